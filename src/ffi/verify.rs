//! Verification through the C ABI.
use super::{c_string, call, dst_claims, dst_key, dst_status, handle, into_handle, str_arg, Out};
use crate::error::{Arg, Error, ErrorKind, Reason, Result};
use crate::verify::VerifyOptions;
use std::ffi::c_char;

/// Tokens longer than this many bytes are rejected by dst_verify() before any decoding.
pub const DST_MAX_TOKEN_LENGTH: usize = 65536;

/// Verifies a token and hands back its claims.
///
/// Checks, in order: length (at most DST_MAX_TOKEN_LENGTH), structure (three strict base64url
/// parts, no padding, no whitespace, canonical trailing bits), a JSON-object header whose `alg`
/// is exactly "HS256" (`none` and every other algorithm refused; `typ` optional; `crit`
/// refused), the HMAC-SHA256 signature in constant time over the bytes received, then a JSON-
/// object payload (duplicate names refused at any depth, each member nested at most
/// DST_MAX_JSON_DEPTH deep) whose `exp`/`nbf`/`iat`, when present, are numbers (RFC 7519
/// NumericDate: any finite JSON number, e.g. `1700003600`, `1.7000036e9`, `1700003600.5`),
/// and finally the times, compared exactly (never rounded): expired when
/// `now >= exp + leeway`, not yet valid when `now + leeway < nbf` or `iat > now + leeway`.
/// The message of DST_ERR_EXPIRED / DST_ERR_NOT_YET_VALID gives the time in RFC 3339 UTC, how
/// long ago or until, and the `now` and leeway used. A token without `exp` is refused
/// (DST_ERR_MISSING_CLAIM), as the mint refuses to sign one: dst_verify_opts() can make it
/// optional, and can require an expected team id and room. `td`/`rd` are not required.
/// Numbers in the returned claims are kept exactly as the token wrote them.
///
/// @param token the compact JWT, NUL-terminated; must not be NULL.
/// @param key the key it should be signed with; must not be NULL.
/// @param now the current time in unix seconds (e.g. `time(NULL)`), or 0 for the system clock
///        (as everywhere dstoken takes a `now`); 64-bit, so past 2038.
/// @param leeway_seconds allowed clock difference for `exp`, `nbf` and `iat`.
/// @param claims_out receives the token's claims; must not be NULL; written only on success.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_MALFORMED_TOKEN (also
///         for a whole URL, a string starting with `http://` or `https://` or containing
///         `?token=`: the message says to pass the token alone); DST_ERR_UNSUPPORTED_ALGORITHM;
///         DST_ERR_BAD_SIGNATURE (the message lists the usual causes: a trailing newline in the
///         key, a base64-decoded key, another team's key); DST_ERR_EXPIRED;
///         DST_ERR_NOT_YET_VALID; DST_ERR_MISSING_CLAIM (no `exp`); DST_ERR_INTERNAL.
///
/// Ownership: `token` and `key` are borrowed. The caller owns `*claims_out` and releases it
/// with dst_claims_free().
/// Thread safety: any number of threads may verify with the same `key` at once.
/// Stack (release build): at most 8 KiB of the calling thread's stack, whatever the input
/// (about 7.5 KiB for a payload nested DST_MAX_JSON_DEPTH deep, which is parsed without
/// recursion; the 1 KiB wiped below the call after the key was used included), so it may
/// run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_verify(
    token: *const std::ffi::c_char,
    key: *const dst_key,
    now: i64,
    leeway_seconds: u32,
    claims_out: *mut *mut dst_claims,
) -> dst_status {
    call("dst_verify", || {
        let token = unsafe { str_arg(token, "token") }?;
        let key = unsafe { handle(key, "key") }?;
        let out = Out::new(claims_out, "claims_out")?;
        let opts = VerifyOptions {
            now,
            leeway: leeway_seconds,
            ..VerifyOptions::default()
        };
        let claims = crate::verify::verify_with(token, &key.0, &opts)?;
        out.write(into_handle(dst_claims(claims)));
        Ok(())
    })
}

/// What dst_verify_opts() checks besides the signature and the times. Initialise it with
/// DST_VERIFY_OPTIONS_INIT (every member zero or NULL but `struct_size`): the defaults are
/// the system clock, no leeway, `exp` required, and no expected team or room.
///
/// The struct only ever grows at the end; `struct_size` tells the library which version the
/// caller compiled against (this one, or a later one whose extra bytes are all zero).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct dst_verify_options {
    /// sizeof(dst_verify_options) as compiled by the caller.
    pub struct_size: usize,
    /// Unix seconds, or 0 for the system clock.
    pub now: i64,
    /// Seconds of clock difference allowed for `exp`, `nbf` and `iat`.
    pub leeway_seconds: u32,
    /// false (the default): a token without `exp` is refused (DST_ERR_MISSING_CLAIM,
    /// DST_REASON_MISSING), as the mint refuses to sign one. true: `exp` is optional, as in
    /// Digital Samba's own REST examples, which mint tokens without it.
    pub exp_optional: bool,
    /// The team id (`td`) the token must carry, NUL-terminated UTF-8, or NULL for any. Another
    /// value, or none, is refused with DST_ERR_CLAIM_MISMATCH (the token's value in the error's
    /// `text`).
    pub team_id: *const c_char,
    /// The room (`rd`) the token must carry, or NULL for any; as `team_id`.
    pub room: *const c_char,
    /// Names of further claims the token must carry (NUL-terminated UTF-8 each), or NULL.
    pub required: *const *const c_char,
    /// How many names `required` holds.
    pub required_len: usize,
}

/// Above this, `struct_size` is taken for an uninitialised struct.
const MAX_OPTIONS_SIZE: usize = 4096;

/// Verifies a token as dst_verify() does, then applies `options`: `exp` required unless
/// `exp_optional`, the `required` claims present (DST_ERR_MISSING_CLAIM, DST_REASON_MISSING,
/// `name` the claim), and `td` and `rd` equal to `team_id` and `room` when given
/// (DST_ERR_CLAIM_MISMATCH, DST_REASON_CLAIM_MISMATCH, `name` the claim and `text` the
/// token's value). The signature and the times are checked first, so a mismatch is reported
/// only for a token this key signed and that is valid now.
///
/// @param token the compact JWT, NUL-terminated; must not be NULL.
/// @param key the key; must not be NULL.
/// @param options the options, or NULL for the defaults (dst_verify() with `exp` required).
/// @param claims_out receives the claims on success (free with dst_claims_free()); must not be
///        NULL; written only on success.
/// @return DST_OK, or any status of dst_verify(); DST_ERR_MISSING_CLAIM;
///         DST_ERR_CLAIM_MISMATCH; DST_ERR_INVALID_ARGUMENT (an options `struct_size` this
///         library does not accept).
///
/// Ownership: nothing is kept; the claims are the caller's.
/// Thread safety: any number of threads may verify with the same key at once.
/// Stack (release build): at most 8 KiB of the calling thread's stack, as dst_verify().
#[no_mangle]
pub unsafe extern "C" fn dst_verify_opts(
    token: *const c_char,
    key: *const dst_key,
    options: *const dst_verify_options,
    claims_out: *mut *mut dst_claims,
) -> dst_status {
    call("dst_verify_opts", || {
        let token = unsafe { str_arg(token, "token") }?;
        let key = unsafe { handle(key, "key") }?;
        let out = Out::new(claims_out, "claims_out")?;
        let mut names: Vec<&str> = Vec::new();
        let mut opts = VerifyOptions::default();
        if !options.is_null() {
            let o = unsafe { options_ref(options) }?;
            opts.now = o.now;
            opts.leeway = o.leeway_seconds;
            opts.require_exp = !o.exp_optional;
            if !o.team_id.is_null() {
                opts.team_id = Some(unsafe { str_arg(o.team_id, "team_id") }?);
            }
            if !o.room.is_null() {
                opts.room = Some(unsafe { str_arg(o.room, "room") }?);
            }
            if o.required_len > 0 {
                if o.required.is_null() {
                    return Err(Error::new(
                        ErrorKind::NullArgument,
                        "options->required is NULL but options->required_len is not 0",
                    )
                    .why(Reason::Null, Arg::Required));
                }
                // SAFETY: the caller passes `required_len` readable pointers at `required`.
                let list = unsafe { std::slice::from_raw_parts(o.required, o.required_len) };
                for &p in list {
                    names.push(unsafe { str_arg(p, "required") }?);
                }
            }
        }
        opts.required = &names;
        let claims = crate::verify::verify_with(token, &key.0, &opts)?;
        out.write(into_handle(dst_claims(claims)));
        Ok(())
    })
}

/// Copies a caller's options after checking `struct_size` (this version's size, or a later
/// one whose extra bytes are zero).
unsafe fn options_ref(p: *const dst_verify_options) -> Result<dst_verify_options> {
    let size = unsafe { p.cast::<usize>().read() };
    let ours = std::mem::size_of::<dst_verify_options>();
    let bad = || {
        Error::invalid(format!(
            "options->struct_size is {size}, but this library needs {ours} (or a later \
             version's size, up to {MAX_OPTIONS_SIZE}, with every newer field zero); \
             initialise the struct with DST_VERIFY_OPTIONS_INIT"
        ))
        .why(Reason::BadStructSize, Arg::Options)
        .nums(crate::sign::to_i64(size), crate::sign::to_i64(ours))
    };
    if size < ours || size > MAX_OPTIONS_SIZE {
        return Err(bad());
    }
    if size > ours {
        // SAFETY: the caller's struct is `size` bytes long.
        let tail = unsafe { std::slice::from_raw_parts(p.cast::<u8>().add(ours), size - ours) };
        if tail.iter().any(|&b| b != 0) {
            return Err(bad());
        }
    }
    // SAFETY: `size` >= ours readable bytes; a C bool is 0 or 1 (normalised below).
    let mut copy = std::mem::MaybeUninit::<dst_verify_options>::zeroed();
    unsafe {
        std::ptr::copy_nonoverlapping(p.cast::<u8>(), copy.as_mut_ptr().cast::<u8>(), ours);
        let flag = copy
            .as_mut_ptr()
            .cast::<u8>()
            .add(std::mem::offset_of!(dst_verify_options, exp_optional));
        flag.write(u8::from(flag.read() != 0));
        Ok(copy.assume_init())
    }
}

/// Reads a token's header and claims WITHOUT checking its signature or its times: what it
/// returns proves nothing about who made the token (anyone can write one). For choosing a key,
/// routing or logging before dst_verify(). The token is parsed as strictly as dst_verify()
/// parses it, and only what is malformed is refused (DST_ERR_MALFORMED_TOKEN), whatever its
/// `alg`; a URL passed whole is refused as by dst_verify().
///
/// @param token the compact JWT, NUL-terminated; must not be NULL.
/// @param header_out receives the header as compact JSON text (free with dst_string_free()),
///        or NULL when the caller does not want it.
/// @param claims_out receives the claims (free with dst_claims_free()); must not be NULL.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_MALFORMED_TOKEN;
///         DST_ERR_INTERNAL. Outputs are written only on success.
///
/// Ownership: the outputs are the caller's.
/// Thread safety: any thread, any time.
/// Stack (release build): at most 8 KiB of the calling thread's stack, as dst_verify().
#[no_mangle]
pub unsafe extern "C" fn dst_decode_unverified(
    token: *const c_char,
    header_out: *mut *mut c_char,
    claims_out: *mut *mut dst_claims,
) -> dst_status {
    call("dst_decode_unverified", || {
        let token = unsafe { str_arg(token, "token") }?;
        let out = Out::new(claims_out, "claims_out")?;
        let (header, claims) = crate::verify::decode_unverified(token)?;
        let header = if header_out.is_null() {
            None
        } else {
            Some(c_string(header, "the header")?)
        };
        if let Some(h) = header {
            // SAFETY: non-NULL, writable, as the caller passes.
            unsafe { header_out.write(h) };
        }
        out.write(into_handle(dst_claims(claims)));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn header_constant_matches_the_core() {
        assert_eq!(super::DST_MAX_TOKEN_LENGTH, crate::verify::MAX_TOKEN_LEN);
        assert_eq!(crate::ffi::DST_MAX_TIME_SECONDS, crate::MAX_TIME_SECONDS);
        assert_eq!(crate::ffi::DST_MAX_SIGN_TIME, crate::MAX_SIGN_TIME);
        assert_eq!(crate::ffi::DST_MAX_JSON_DEPTH, crate::MAX_JSON_DEPTH);
    }
}
