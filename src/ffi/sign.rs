//! Signing through the C ABI.
use super::{call, dst_claims, dst_key, dst_status, handle, span_of, write_token_into, Out};
use std::ffi::{c_char, CString};

/// Signs `claims` with `key` and returns the token as a new string
/// (`header.payload.signature`, HS256, base64url without padding).
///
/// The claim-set path signs what it is given: a token without `exp` (one that never expires)
/// included. The one-call mint (dst_mint(), dst_mint_into(), dst_mint_url()) refuses a token
/// without an expiry unless `no_expiry` is set: prefer it for room tokens.
///
/// @param claims the claims; must not be NULL; must contain `td` and `rd`.
/// @param key the signing key; must not be NULL.
/// @param token_out receives the NUL-terminated token; must not be NULL; written only on
///        success.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_MISSING_CLAIM (`td` or `rd` absent);
///         DST_ERR_INVALID_ARGUMENT (`exp` earlier than `nbf` or `iat`, a registered claim of
///         the wrong type, a time outside [0, DST_MAX_SIGN_TIME], or a token that would be
///         longer than DST_MAX_TOKEN_LENGTH, which dst_verify() would refuse);
///         DST_ERR_INTERNAL.
///
/// Ownership: `claims` and `key` are borrowed. The caller owns `*token_out` and frees it with
/// dst_string_free().
/// Thread safety: any number of threads may sign with the same `key` at once; `claims` must
/// not be mutated by another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn dst_sign(
    claims: *const dst_claims,
    key: *const dst_key,
    token_out: *mut *mut c_char,
) -> dst_status {
    call("dst_sign", || {
        let claims = unsafe { handle(claims, "claims") }?;
        let key = unsafe { handle(key, "key") }?;
        let out = Out::new(token_out, "token_out")?;
        // One allocation: the token and its NUL, signed in place.
        let len = crate::sign::token_len(&claims.0)?;
        let mut buf = vec![0u8; len + 1];
        crate::sign::sign_into(&claims.0, &key.0, &mut buf[..len])?;
        // SAFETY: sign_into wrote only base64url characters and dots into buf[..len] (never
        // a NUL), and buf[len] is the 0 the vector was made with: exactly one NUL, at the end.
        let token = unsafe { CString::from_vec_with_nul_unchecked(buf) };
        out.write(token.into_raw());
        Ok(())
    })
}

/// Signs `claims` with `key` into the caller's buffer, without allocating: the token and a
/// terminating NUL are written to `buf`.
///
/// Size protocol (as zstd/snprintf): call with `buf = NULL, cap = 0` to learn the length; it
/// returns DST_ERR_BUFFER_TOO_SMALL and sets `*len_out` to the token length (without the NUL),
/// so a buffer of `*len_out + 1` bytes suffices. Any `cap` below that also returns
/// DST_ERR_BUFFER_TOO_SMALL with `*len_out` set, and leaves `buf` untouched.
///
/// @param claims the claims; must not be NULL; must contain `td` and `rd`.
/// @param key the signing key; must not be NULL.
/// @param buf where to write the token; may be NULL only when `cap` is 0; must not overlap
///        `claims`, `key` or `*len_out` (refused with DST_ERR_INVALID_ARGUMENT).
/// @param cap the number of writable bytes at `buf`; at most PTRDIFF_MAX (a larger value, such
///        as SIZE_MAX, is not the size of any buffer and is refused).
/// @param len_out receives the token length without the NUL (on success, and on
///        DST_ERR_BUFFER_TOO_SMALL); must not be NULL.
/// @return DST_OK; DST_ERR_BUFFER_TOO_SMALL; DST_ERR_NULL_ARGUMENT; DST_ERR_MISSING_CLAIM;
///         DST_ERR_INVALID_ARGUMENT (as dst_sign(), including a token that would be longer
///         than DST_MAX_TOKEN_LENGTH: then `*len_out` is not written; also `cap` above
///         PTRDIFF_MAX or running `buf` past the end of the address space, and `buf..buf+cap`
///         overlapping another argument); DST_ERR_INTERNAL.
///
/// Ownership: everything is borrowed; nothing is allocated on the success path.
/// Thread safety: as dst_sign().
#[no_mangle]
pub unsafe extern "C" fn dst_sign_into(
    claims: *const dst_claims,
    key: *const dst_key,
    buf: *mut c_char,
    cap: usize,
    len_out: *mut usize,
) -> dst_status {
    call("dst_sign_into", || {
        let claims = unsafe { handle(claims, "claims") }?;
        let key = unsafe { handle(key, "key") }?;
        let inputs = [
            span_of(std::ptr::from_ref(claims), "`claims`"),
            span_of(std::ptr::from_ref(key), "`key`"),
        ];
        unsafe {
            write_token_into(buf, cap, len_out, &inputs, |dst| {
                crate::sign::sign_into(&claims.0, &key.0, dst)
            })
        }
    })
}
