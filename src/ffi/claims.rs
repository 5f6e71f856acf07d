//! `dst_claims`: the token payload handle.
use super::{
    c_string, call, call_ptr, dst_status, free_handle, handle, handle_mut, into_handle, str_arg,
    Out,
};
use crate::claims::Claims;
use crate::error::Result;
use std::ffi::c_char;

/// 2^53 - 1 seconds, the largest integer every JSON implementation reads exactly (RFC 8259
/// section 6). It was the signing range's bound (+/-DST_MAX_TIME_SECONDS) up to 0.1; it is kept
/// for programs that use it, but times to sign now lie in [0, DST_MAX_SIGN_TIME], well inside
/// it. dst_verify() accepts any finite JSON number as a time.
pub const DST_MAX_TIME_SECONDS: i64 = 9_007_199_254_740_991;

/// The latest time that may be set or signed: 9999-12-31T23:59:59Z (RFC 3339's range) in unix
/// seconds. Setters, signing and the mint refuse a time (`iat`, `nbf`, `exp`, and a
/// dst_room_token's `now`) outside [0, DST_MAX_SIGN_TIME] with DST_ERR_INVALID_ARGUMENT: before
/// 1970, or after 9999, where the message says when the value looks like milliseconds (the
/// value divided by 1000 is in the range: every millisecond time after 1970-04-26 is above
/// DST_MAX_SIGN_TIME). dst_verify() still accepts any finite JSON number as a time.
pub const DST_MAX_SIGN_TIME: i64 = 253_402_300_799;

/// How deeply arrays and objects may nest inside one claim's value (`[[1]]` is 2 deep).
/// dst_claims_set_json() refuses deeper values, and dst_verify() applies the same limit to
/// each payload member (the payload object itself is not counted), so whatever is set and
/// signed also verifies.
pub const DST_MAX_JSON_DEPTH: usize = 128;

/// A set of token claims (the JWT payload). Opaque; made by dst_claims_new(),
/// dst_claims_clone() or dst_verify(), released by dst_claims_free().
pub struct dst_claims(pub(crate) Claims);

unsafe fn set_str(
    func: &str,
    claims: *mut dst_claims,
    value: *const c_char,
    set: fn(&mut Claims, &str) -> Result<()>,
) -> dst_status {
    call(func, || {
        let claims = unsafe { handle_mut(claims, "claims") }?;
        let value = unsafe { str_arg(value, "value") }
            .map_err(|e| e.for_arg(super::c_arg(func.trim_start_matches("dst_claims_set_"))))?;
        set(&mut claims.0, value)
    })
}

unsafe fn set_time(
    func: &str,
    claims: *mut dst_claims,
    value: i64,
    set: fn(&mut Claims, i64) -> Result<()>,
) -> dst_status {
    call(func, || {
        set(&mut unsafe { handle_mut(claims, "claims") }?.0, value)
    })
}

/// Creates an empty claim set.
///
/// @return a new handle, or NULL only if memory could not be allocated or an internal error
///         occurred (see dst_last_error_message()).
///
/// Ownership: the caller owns the handle and releases it with dst_claims_free().
/// Thread safety: may be called from any thread.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub extern "C" fn dst_claims_new() -> *mut dst_claims {
    call_ptr("dst_claims_new", || {
        Ok(into_handle(dst_claims(Claims::new())))
    })
}

/// Makes an independent deep copy of a claim set.
///
/// @param claims the set to copy; must not be NULL.
/// @return a new handle, or NULL when `claims` is NULL (last error: DST_ERR_NULL_ARGUMENT).
///
/// Ownership: `claims` is borrowed; the caller owns the copy and releases it with
/// dst_claims_free().
/// Thread safety: safe while no other thread mutates `claims`.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_clone(claims: *const dst_claims) -> *mut dst_claims {
    call_ptr("dst_claims_clone", || {
        let claims = unsafe { handle(claims, "claims") }?;
        Ok(into_handle(dst_claims(claims.0.clone())))
    })
}

/// Releases a claim set. NULL is a no-op.
///
/// @param claims a handle from dst_claims_new(), dst_claims_clone() or dst_verify(), or NULL.
///
/// Ownership: takes ownership; the handle must not be used afterwards.
/// Thread safety: no other thread may use `claims` during or after the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_free(claims: *mut dst_claims) {
    super::call_infallible((), || unsafe { free_handle(claims) })
}

/// Sets `td`, the Digital Samba team id (required for signing).
///
/// @param claims the claim set; must not be NULL.
/// @param value NUL-terminated UTF-8, not empty; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT, DST_ERR_INVALID_UTF8, DST_ERR_INVALID_ARGUMENT
///         (empty), DST_ERR_INTERNAL.
///
/// Ownership: `value` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_team_id(
    claims: *mut dst_claims,
    value: *const c_char,
) -> dst_status {
    unsafe { set_str("dst_claims_set_team_id", claims, value, Claims::set_team_id) }
}

/// Sets `rd`, the room name or UUID (required for signing).
///
/// @param claims the claim set; must not be NULL.
/// @param value NUL-terminated UTF-8, not empty; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT, DST_ERR_INVALID_UTF8, DST_ERR_INVALID_ARGUMENT
///         (empty), DST_ERR_INTERNAL.
///
/// Ownership: `value` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_room(
    claims: *mut dst_claims,
    value: *const c_char,
) -> dst_status {
    unsafe { set_str("dst_claims_set_room", claims, value, Claims::set_room) }
}

/// Sets `u`, the user's display name.
///
/// @param claims the claim set; must not be NULL.
/// @param value NUL-terminated UTF-8; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT, DST_ERR_INVALID_UTF8, DST_ERR_INTERNAL.
///
/// Ownership: `value` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_user_name(
    claims: *mut dst_claims,
    value: *const c_char,
) -> dst_status {
    unsafe {
        set_str(
            "dst_claims_set_user_name",
            claims,
            value,
            Claims::set_user_name,
        )
    }
}

/// Sets `ud`, the external user id. Setting a new value of the same length reuses the
/// existing storage (no allocation).
///
/// @param claims the claim set; must not be NULL.
/// @param value NUL-terminated UTF-8; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT, DST_ERR_INVALID_UTF8, DST_ERR_INTERNAL.
///
/// Ownership: `value` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_user_id(
    claims: *mut dst_claims,
    value: *const c_char,
) -> dst_status {
    unsafe { set_str("dst_claims_set_user_id", claims, value, Claims::set_user_id) }
}

/// Sets `initials`.
///
/// @param claims the claim set; must not be NULL.
/// @param value NUL-terminated UTF-8; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT, DST_ERR_INVALID_UTF8, DST_ERR_INTERNAL.
///
/// Ownership: `value` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_initials(
    claims: *mut dst_claims,
    value: *const c_char,
) -> dst_status {
    unsafe {
        set_str(
            "dst_claims_set_initials",
            claims,
            value,
            Claims::set_initials,
        )
    }
}

/// Sets `role` (e.g. "moderator", "attendee", or a custom role of the team).
///
/// @param claims the claim set; must not be NULL.
/// @param value NUL-terminated UTF-8; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT, DST_ERR_INVALID_UTF8, DST_ERR_INTERNAL.
///
/// Ownership: `value` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_role(
    claims: *mut dst_claims,
    value: *const c_char,
) -> dst_status {
    unsafe { set_str("dst_claims_set_role", claims, value, Claims::set_role) }
}

/// Sets `breakoutId`, the breakout room to join.
///
/// @param claims the claim set; must not be NULL.
/// @param value NUL-terminated UTF-8; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT, DST_ERR_INVALID_UTF8, DST_ERR_INTERNAL.
///
/// Ownership: `value` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_breakout_id(
    claims: *mut dst_claims,
    value: *const c_char,
) -> dst_status {
    unsafe {
        set_str(
            "dst_claims_set_breakout_id",
            claims,
            value,
            Claims::set_breakout_id,
        )
    }
}

/// Sets `avatar`, the URL of the user's picture.
///
/// @param claims the claim set; must not be NULL.
/// @param value NUL-terminated UTF-8; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT, DST_ERR_INVALID_UTF8, DST_ERR_INTERNAL.
///
/// Ownership: `value` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_avatar(
    claims: *mut dst_claims,
    value: *const c_char,
) -> dst_status {
    unsafe { set_str("dst_claims_set_avatar", claims, value, Claims::set_avatar) }
}

/// Sets `iat`, the issue time in unix seconds.
///
/// @param claims the claim set; must not be NULL.
/// @param unix_seconds seconds since 1970-01-01T00:00:00Z, in [0, DST_MAX_SIGN_TIME].
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_ARGUMENT (outside
///         [0, DST_MAX_SIGN_TIME], the message saying when it looks like milliseconds; the
///         claim is unchanged); DST_ERR_INTERNAL.
///
/// Ownership: nothing is transferred.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_issued_at(
    claims: *mut dst_claims,
    unix_seconds: i64,
) -> dst_status {
    unsafe {
        set_time(
            "dst_claims_set_issued_at",
            claims,
            unix_seconds,
            Claims::set_issued_at,
        )
    }
}

/// Sets `nbf`, the time before which the token is not valid, in unix seconds.
///
/// @param claims the claim set; must not be NULL.
/// @param unix_seconds seconds since 1970-01-01T00:00:00Z, in [0, DST_MAX_SIGN_TIME].
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_ARGUMENT (outside
///         [0, DST_MAX_SIGN_TIME], the message saying when it looks like milliseconds; the
///         claim is unchanged); DST_ERR_INTERNAL.
///
/// Ownership: nothing is transferred.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_not_before(
    claims: *mut dst_claims,
    unix_seconds: i64,
) -> dst_status {
    unsafe {
        set_time(
            "dst_claims_set_not_before",
            claims,
            unix_seconds,
            Claims::set_not_before,
        )
    }
}

/// Sets `exp`, the expiry time in unix seconds. Signing fails with DST_ERR_INVALID_ARGUMENT
/// if `exp` is earlier than `nbf` or `iat`.
///
/// @param claims the claim set; must not be NULL.
/// @param unix_seconds seconds since 1970-01-01T00:00:00Z, in [0, DST_MAX_SIGN_TIME].
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_ARGUMENT (outside
///         [0, DST_MAX_SIGN_TIME], the message saying when it looks like milliseconds; the
///         claim is unchanged); DST_ERR_INTERNAL.
///
/// Ownership: nothing is transferred.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_expires_at(
    claims: *mut dst_claims,
    unix_seconds: i64,
) -> dst_status {
    unsafe {
        set_time(
            "dst_claims_set_expires_at",
            claims,
            unix_seconds,
            Claims::set_expires_at,
        )
    }
}

/// Sets `iat` = now and `exp` = now + `seconds`, reading the system clock.
///
/// @param claims the claim set; must not be NULL.
/// @param seconds the token's lifetime; must be > 0.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_ARGUMENT (seconds <= 0, or the sum
///         overflows or lies outside [0, DST_MAX_SIGN_TIME]); DST_ERR_INTERNAL. On error no
///         claim is changed.
///
/// Ownership: nothing is transferred.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_expires_in(
    claims: *mut dst_claims,
    seconds: i64,
) -> dst_status {
    unsafe {
        set_time(
            "dst_claims_set_expires_in",
            claims,
            seconds,
            Claims::set_expires_in,
        )
    }
}

/// Sets `iat` = now, `nbf` = now - `skew_seconds` and `exp` = now + `lifetime_seconds`,
/// reading the system clock. A small back-dated `nbf` keeps a token usable when the server's
/// clock is slightly behind ours.
///
/// @param claims the claim set; must not be NULL.
/// @param skew_seconds how far to back-date `nbf`; must be >= 0.
/// @param lifetime_seconds the token's lifetime; must be > 0.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_ARGUMENT (out of range, overflow, or
///         a time outside [0, DST_MAX_SIGN_TIME]); DST_ERR_INTERNAL. On error no claim is
///         changed.
///
/// Ownership: nothing is transferred.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_validity(
    claims: *mut dst_claims,
    skew_seconds: i64,
    lifetime_seconds: i64,
) -> dst_status {
    call("dst_claims_set_validity", || {
        let claims = unsafe { handle_mut(claims, "claims") }?;
        claims.0.set_validity(skew_seconds, lifetime_seconds)
    })
}

/// Sets any claim to a string; replaces an existing claim of that name in place.
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8, not empty; copied.
/// @param value NUL-terminated UTF-8; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT
///         (empty name, a time claim `iat`/`nbf`/`exp`, or an empty `td`/`rd`);
///         DST_ERR_INTERNAL.
///
/// Ownership: `name` and `value` are borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_string(
    claims: *mut dst_claims,
    name: *const c_char,
    value: *const c_char,
) -> dst_status {
    call("dst_claims_set_string", || {
        let claims = unsafe { handle_mut(claims, "claims") }?;
        let name = unsafe { str_arg(name, "name") }?;
        let value = unsafe { str_arg(value, "value") }?;
        claims.0.set_string(name, value)
    })
}

/// Sets any claim to a 64-bit integer; replaces an existing claim of that name in place.
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8, not empty; copied.
/// @param value the integer.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT
///         (empty name, a registered string claim such as "u", or a time claim
///         `iat`/`nbf`/`exp` outside [0, DST_MAX_SIGN_TIME]); DST_ERR_INTERNAL.
///
/// Ownership: `name` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_int(
    claims: *mut dst_claims,
    name: *const c_char,
    value: i64,
) -> dst_status {
    call("dst_claims_set_int", || {
        let claims = unsafe { handle_mut(claims, "claims") }?;
        claims.0.set_int(unsafe { str_arg(name, "name") }?, value)
    })
}

/// Sets a custom claim to a boolean; replaces an existing claim of that name in place.
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8, not empty; copied.
/// @param value the boolean.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT
///         (empty name, or any registered claim); DST_ERR_INTERNAL.
///
/// Ownership: `name` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_bool(
    claims: *mut dst_claims,
    name: *const c_char,
    value: bool,
) -> dst_status {
    call("dst_claims_set_bool", || {
        let claims = unsafe { handle_mut(claims, "claims") }?;
        claims.0.set_bool(unsafe { str_arg(name, "name") }?, value)
    })
}

/// Sets any claim to a JSON value given as text (object, array, number, string, true, false
/// or null). The text is validated strictly (RFC 8259; duplicate member names at any depth,
/// lone surrogates, and arrays/objects nested more than DST_MAX_JSON_DEPTH deep are refused)
/// and stored compactly. Numbers are kept exactly as written (`1e3`, `0.10`, a 30-digit
/// integer: every digit is kept, nothing is rounded). Registered claims must get their own
/// type: a JSON string for `td`, `rd`, `u`, ...; for `iat`, `nbf`, `exp` a number (fractions
/// allowed) in [0, DST_MAX_SIGN_TIME].
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8, not empty; copied.
/// @param json_text one JSON value, NUL-terminated UTF-8; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT
///         (empty name, invalid JSON, or the wrong type for a registered claim);
///         DST_ERR_INTERNAL.
///
/// Ownership: `name` and `json_text` are borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_json(
    claims: *mut dst_claims,
    name: *const c_char,
    json_text: *const c_char,
) -> dst_status {
    call("dst_claims_set_json", || {
        let claims = unsafe { handle_mut(claims, "claims") }?;
        let name = unsafe { str_arg(name, "name") }?;
        let json_text = unsafe { str_arg(json_text, "json_text") }?;
        claims.0.set_json(name, json_text)
    })
}

/// Removes a claim. Custom claims after it keep their order.
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8.
/// @return DST_OK; DST_ERR_NOT_FOUND (no such claim); DST_ERR_NULL_ARGUMENT;
///         DST_ERR_INVALID_UTF8; DST_ERR_INTERNAL.
///
/// Ownership: `name` is borrowed for the call.
/// Thread safety: no other thread may use `claims` during the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_remove(
    claims: *mut dst_claims,
    name: *const c_char,
) -> dst_status {
    call("dst_claims_remove", || {
        let claims = unsafe { handle_mut(claims, "claims") }?;
        claims.0.remove(unsafe { str_arg(name, "name") }?)
    })
}

/// Reads a string claim.
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8.
/// @param out receives a new NUL-terminated UTF-8 copy of the value; must not be NULL;
///        written only on success.
/// @return DST_OK; DST_ERR_NOT_FOUND; DST_ERR_WRONG_TYPE (not a string, or a string holding
///         U+0000, which a C string cannot carry: use dst_claims_get_json);
///         DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INTERNAL.
///
/// Ownership: the caller owns `*out` and frees it with dst_string_free() (never free()).
/// Thread safety: safe while no other thread mutates `claims`.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_get_string(
    claims: *const dst_claims,
    name: *const c_char,
    out: *mut *mut c_char,
) -> dst_status {
    call("dst_claims_get_string", || {
        let claims = unsafe { handle(claims, "claims") }?;
        let name = unsafe { str_arg(name, "name") }?;
        let out = Out::new(out, "out")?;
        let value = claims.0.get_string(name)?;
        out.write(c_string(value.to_owned(), &format!("claim \"{name}\""))?);
        Ok(())
    })
}

/// Reads an integer claim: a number whose exact value is an integer that fits in int64
/// (`1e3` and `5.0` give 1000 and 5). A fraction (e.g. a time of `1700000000.5`) or an
/// integer beyond int64 is never rounded: it gives DST_ERR_WRONG_TYPE; read it exactly with
/// dst_claims_get_json().
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8.
/// @param out receives the value; must not be NULL; written only on success.
/// @return DST_OK; DST_ERR_NOT_FOUND; DST_ERR_WRONG_TYPE (not a number, a fraction, or out of
///         int64 range); DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INTERNAL.
///
/// Ownership: nothing is transferred.
/// Thread safety: safe while no other thread mutates `claims`.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_get_int(
    claims: *const dst_claims,
    name: *const c_char,
    out: *mut i64,
) -> dst_status {
    call("dst_claims_get_int", || {
        let claims = unsafe { handle(claims, "claims") }?;
        let name = unsafe { str_arg(name, "name") }?;
        let out = Out::new(out, "out")?;
        out.write(claims.0.get_int(name)?);
        Ok(())
    })
}

/// Reads a boolean claim.
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8.
/// @param out receives the value; must not be NULL; written only on success.
/// @return DST_OK; DST_ERR_NOT_FOUND; DST_ERR_WRONG_TYPE; DST_ERR_NULL_ARGUMENT;
///         DST_ERR_INVALID_UTF8; DST_ERR_INTERNAL.
///
/// Ownership: nothing is transferred.
/// Thread safety: safe while no other thread mutates `claims`.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_get_bool(
    claims: *const dst_claims,
    name: *const c_char,
    out: *mut bool,
) -> dst_status {
    call("dst_claims_get_bool", || {
        let claims = unsafe { handle(claims, "claims") }?;
        let name = unsafe { str_arg(name, "name") }?;
        let out = Out::new(out, "out")?;
        out.write(claims.0.get_bool(name)?);
        Ok(())
    })
}

/// Reads any claim as compact JSON text (e.g. `"John"`, `42`, `{"a":[1]}`).
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8.
/// @param out receives a new NUL-terminated string; must not be NULL; written only on
///        success.
/// @return DST_OK; DST_ERR_NOT_FOUND; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8;
///         DST_ERR_INTERNAL.
///
/// Ownership: the caller owns `*out` and frees it with dst_string_free().
/// Thread safety: safe while no other thread mutates `claims`.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_get_json(
    claims: *const dst_claims,
    name: *const c_char,
    out: *mut *mut c_char,
) -> dst_status {
    call("dst_claims_get_json", || {
        let claims = unsafe { handle(claims, "claims") }?;
        let name = unsafe { str_arg(name, "name") }?;
        let out = Out::new(out, "out")?;
        out.write(c_string(claims.0.get_json(name)?, "JSON")?);
        Ok(())
    })
}

/// Serialises the whole claim set as the compact JSON object a token would carry:
/// `td, rd, u, ud, initials, role, breakoutId, avatar, iat, nbf, exp`, then custom claims in
/// the order they were first set.
///
/// @param claims the claim set; must not be NULL.
/// @param out receives a new NUL-terminated string; must not be NULL; written only on
///        success.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INTERNAL.
///
/// Ownership: the caller owns `*out` and frees it with dst_string_free().
/// Thread safety: safe while no other thread mutates `claims`.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_claims_to_json(
    claims: *const dst_claims,
    out: *mut *mut c_char,
) -> dst_status {
    call("dst_claims_to_json", || {
        let claims = unsafe { handle(claims, "claims") }?;
        let out = Out::new(out, "out")?;
        out.write(c_string(claims.0.to_json(), "JSON")?);
        Ok(())
    })
}

unsafe fn set_custom(
    func: &str,
    claims: *mut dst_claims,
    name: *const c_char,
    set: impl FnOnce(&mut Claims, &str) -> Result<()>,
) -> dst_status {
    call(func, || {
        let claims = unsafe { handle_mut(claims, "claims") }?;
        let name = unsafe { str_arg(name, "name") }?;
        Claims::check_custom_name(name)?;
        set(&mut claims.0, name)
    })
}

/// Sets a custom claim to a string: dst_claims_set_string() for names that are not Digital
/// Samba's registered claims. A registered name (`td`, `rd`, `u`, `ud`, `initials`, `role`,
/// `breakoutId`, `avatar`, `iat`, `nbf`, `exp`) is refused with DST_ERR_INVALID_ARGUMENT and
/// DST_REASON_REGISTERED_NAME (`other` names the registered claim's own argument): those have
/// their own setters and types. Bindings set custom claims through this family, so the list
/// of registered names lives in the library only.
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8, not empty, not registered; copied.
/// @param value NUL-terminated UTF-8; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT;
///         DST_ERR_INTERNAL.
///
/// Ownership: `name` and `value` are borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_custom_string(
    claims: *mut dst_claims,
    name: *const c_char,
    value: *const c_char,
) -> dst_status {
    unsafe {
        set_custom("dst_claims_set_custom_string", claims, name, |c, n| {
            c.set_string(n, str_arg(value, "value")?)
        })
    }
}

/// Sets a custom claim to a 64-bit integer; a registered name is refused as by
/// dst_claims_set_custom_string().
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8, not empty, not registered; copied.
/// @param value the integer.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT;
///         DST_ERR_INTERNAL.
///
/// Ownership: `name` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_custom_int(
    claims: *mut dst_claims,
    name: *const c_char,
    value: i64,
) -> dst_status {
    unsafe {
        set_custom("dst_claims_set_custom_int", claims, name, |c, n| {
            c.set_int(n, value)
        })
    }
}

/// Sets a custom claim to a boolean; a registered name is refused as by
/// dst_claims_set_custom_string().
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8, not empty, not registered; copied.
/// @param value the boolean.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT;
///         DST_ERR_INTERNAL.
///
/// Ownership: `name` is borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_custom_bool(
    claims: *mut dst_claims,
    name: *const c_char,
    value: bool,
) -> dst_status {
    unsafe {
        set_custom("dst_claims_set_custom_bool", claims, name, |c, n| {
            c.set_bool(n, value)
        })
    }
}

/// Sets a custom claim to a JSON value given as text, validated as by dst_claims_set_json();
/// a registered name is refused as by dst_claims_set_custom_string().
///
/// @param claims the claim set; must not be NULL.
/// @param name claim name, NUL-terminated UTF-8, not empty, not registered; copied.
/// @param json_text one JSON value, NUL-terminated UTF-8; copied.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT
///         (also invalid JSON: DST_REASON_BAD_JSON or DST_REASON_TOO_DEEP); DST_ERR_INTERNAL.
///
/// Ownership: `name` and `json_text` are borrowed for the call and copied.
/// Thread safety: no other thread may use `claims` during the call.
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_custom_json(
    claims: *mut dst_claims,
    name: *const c_char,
    json_text: *const c_char,
) -> dst_status {
    unsafe {
        set_custom("dst_claims_set_custom_json", claims, name, |c, n| {
            c.set_json(n, str_arg(json_text, "json_text")?)
        })
    }
}

/// Sets `iat` = now and `exp` = now + `seconds` with every lifetime rule of dst_mint():
/// `seconds` > 0, no part below a second (`nanos` 0: bindings whose duration types have
/// nanoseconds pass them, and a sub-second lifetime is refused as the unit slip it is), and at
/// most `max_seconds` (0: DST_DEFAULT_MAX_LIFETIME, 30 days; a longer lifetime is refused
/// with DST_REASON_LIFETIME_TOO_LONG, whose `suggested` is the value read as milliseconds).
///
/// @param claims the claim set; must not be NULL.
/// @param now unix seconds, or 0 for the system clock.
/// @param seconds the lifetime in whole seconds.
/// @param nanos the lifetime's part below one second; must be 0.
/// @param max_seconds the longest lifetime accepted, or 0 for the default; not negative.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_ARGUMENT; DST_ERR_INTERNAL.
///
/// Ownership: nothing is transferred.
/// Thread safety: no other thread may use `claims` during the call.
#[no_mangle]
pub unsafe extern "C" fn dst_claims_set_lifetime(
    claims: *mut dst_claims,
    now: i64,
    seconds: i64,
    nanos: u32,
    max_seconds: i64,
) -> dst_status {
    call("dst_claims_set_lifetime", || {
        let claims = unsafe { handle_mut(claims, "claims") }?;
        let max = (max_seconds != 0).then_some(max_seconds);
        if now != 0 {
            crate::check_sign_time("now", now).map_err(|e| e.for_arg(crate::Arg::Now))?;
        }
        claims.0.set_lifetime_at(now, seconds, nanos, None, max)
    })
}
