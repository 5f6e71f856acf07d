//! Verification through the C ABI.
use super::{call, dst_claims, dst_key, dst_status, handle, into_handle, str_arg, Out};

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
/// long ago or until, and the `now` and leeway used. `td`/`rd` are not required. Numbers in
/// the returned claims are kept exactly as the token wrote them.
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
///         DST_ERR_NOT_YET_VALID; DST_ERR_INTERNAL.
///
/// Ownership: `token` and `key` are borrowed. The caller owns `*claims_out` and releases it
/// with dst_claims_free().
/// Thread safety: any number of threads may verify with the same `key` at once.
/// Stack (release build): at most 8 KiB of the calling thread's stack, whatever the input
/// (about 6.5 KiB for a payload nested DST_MAX_JSON_DEPTH deep, which is parsed without
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
        let claims = crate::verify::verify(token, &key.0, now, leeway_seconds)?;
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
