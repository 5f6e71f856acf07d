//! Library-owned strings and the join URL.
use super::{c_string, call, call_infallible, dst_status, str_arg, Out};
use std::ffi::{c_char, CString};

/// Frees a string returned by dstoken (tokens, JSON, claim values, URLs). NULL is a no-op.
///
/// @param s a string from dst_sign(), dst_claims_get_string(), dst_claims_get_json(),
///        dst_claims_to_json() or dst_join_url(), or NULL.
///
/// Ownership: takes ownership. Never pass these strings to free(): dstoken's allocator need not
/// be the C library's. Never pass a string dstoken did not return.
/// Thread safety: may be called from any thread.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_string_free(s: *mut c_char) {
    call_infallible((), || {
        if !s.is_null() {
            // SAFETY: `s` came from `CString::into_raw` in this library and is freed once.
            drop(unsafe { CString::from_raw(s) })
        }
    })
}

/// Builds the URL that opens a Digital Samba room:
/// `https://<team>.digitalsamba.com/<room>?token=<token>`. When `team` contains a dot it is
/// taken as a full custom domain (optionally with `:port`): `https://meet.example.com/<room>...`.
/// The room is percent-encoded as one path segment (RFC 3986 unreserved characters pass).
///
/// @param team team name (a DNS label) or custom domain; must not be NULL.
/// @param room room name or UUID, UTF-8, not empty, not "." or ".."; must not be NULL.
/// @param token a token from dst_sign(), or NULL for the public-room URL without a query.
/// @param url_out receives the URL; must not be NULL; written only on success.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT
///         (invalid host characters, unusable room, or a token with characters a compact JWT
///         never has); DST_ERR_INTERNAL.
///
/// Ownership: arguments are borrowed. The caller owns `*url_out` and frees it with
/// dst_string_free().
/// Thread safety: may be called from any thread.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_join_url(
    team: *const c_char,
    room: *const c_char,
    token: *const c_char,
    url_out: *mut *mut c_char,
) -> dst_status {
    call("dst_join_url", || {
        let team = unsafe { str_arg(team, "team") }?;
        let room = unsafe { str_arg(room, "room") }?;
        let token = if token.is_null() {
            None
        } else {
            Some(unsafe { str_arg(token, "token") }?)
        };
        let out = Out::new(url_out, "url_out")?;
        out.write(c_string(crate::url::join_url(team, room, token)?, "URL")?);
        Ok(())
    })
}
