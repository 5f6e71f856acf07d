//! `dst_key`: the signing key handle.
use super::{bytes_arg, call, call_infallible, dst_status, free_handle, into_handle, Out};
use crate::key::SigningKey;

/// An HS256 signing key (the team's developer key). Opaque and immutable: one key may be used
/// by any number of threads at once. Made by dst_key_new(), released by dst_key_free().
pub struct dst_key(pub(crate) SigningKey);

/// Makes a signing key from the developer key's raw bytes. The bytes are used as they are
/// (never base64-decoded or trimmed); keys longer than 64 bytes are hashed first, as HMAC
/// specifies. The HMAC-SHA256 inner/outer states are computed once here, so signing with the
/// key later costs only the hashing of the token. RFC 7518 asks for keys of at least 32 bytes;
/// shorter non-empty keys are accepted because Digital Samba issues the keys.
///
/// @param secret the key bytes; must not be NULL, even when `len` is 0.
/// @param len number of bytes at `secret`; must be > 0.
/// @param out receives the new key; must not be NULL; written only on success.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_ARGUMENT (empty key);
///         DST_ERR_INTERNAL.
///
/// Ownership: `secret` is borrowed for the call (the caller may wipe it afterwards; the key
/// keeps only the derived HMAC state). The caller owns `*out` and releases it with
/// dst_key_free().
/// Thread safety: may be called from any thread.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input
/// (the 1 KiB below the call wiped after the key was used included), so it may run on a
/// thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_key_new(
    secret: *const u8,
    len: usize,
    out: *mut *mut dst_key,
) -> dst_status {
    call("dst_key_new", || {
        let secret = unsafe { bytes_arg(secret, len, "secret") }?;
        let out = Out::new(out, "out")?;
        out.write(into_handle(dst_key(SigningKey::new(secret)?)));
        Ok(())
    })
}

/// Releases a key, wiping its HMAC state (which is as sensitive as the key itself).
/// NULL is a no-op.
///
/// @param key a handle from dst_key_new(), or NULL.
///
/// Ownership: takes ownership; the handle must not be used afterwards.
/// Thread safety: no other thread may be using `key` during or after the call.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_key_free(key: *mut dst_key) {
    call_infallible((), || unsafe { free_handle(key) })
}

/// Creates a signing key from the developer key given as text, as bindings pass a key given
/// as a string: the same as dst_key_new(), but whitespace at the start or the end (a space, a
/// tab, a CR or LF, VT, FF) is refused (DST_REASON_KEY_WHITESPACE, `value` its offset): a
/// developer key never has any, and a trailing newline read from a file would otherwise make
/// every token fail at Digital Samba. Keys given as bytes go through dst_key_new() unchanged.
///
/// @param text the key's bytes (UTF-8 text, not NUL-terminated); must not be NULL.
/// @param len its length in bytes; not 0.
/// @param out receives the new key; must not be NULL; written only on success.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_ARGUMENT (empty, or whitespace at
///         either end); DST_ERR_INTERNAL.
///
/// Ownership: the bytes are copied (and the copy wiped as dst_key_new() does); the caller
/// owns `*out` and releases it with dst_key_free().
/// Thread safety: may be called from any thread; the key, as dst_key_new()'s.
#[no_mangle]
pub unsafe extern "C" fn dst_key_new_text(
    text: *const u8,
    len: usize,
    out: *mut *mut dst_key,
) -> dst_status {
    call("dst_key_new_text", || {
        let text = unsafe { bytes_arg(text, len, "key") }?;
        let out = Out::new(out, "out")?;
        out.write(into_handle(dst_key(SigningKey::from_text(text)?)));
        Ok(())
    })
}
