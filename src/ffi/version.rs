//! Version, status names and the last-error message.
use super::{call_infallible, last_error_ptr, ALL_STATUSES};
use std::ffi::{c_char, c_int};

const UNKNOWN_STATUS: &str = "unknown status\0";
const EMPTY: &str = "\0";

/// The message describing the most recent failed dstoken call on the calling thread. It names
/// the function and the argument or claim at fault, and never contains key bytes. It is ""
/// when nothing has failed on this thread; successful calls leave it unchanged (as errno).
/// Messages longer than 1023 bytes are cut at a character boundary and end with "...".
///
/// Late in a thread's life — in a pthread key destructor, a C++ `thread_local` destructor, or an
/// `atexit` handler, after the thread's thread-local storage has been torn down — every dstoken
/// function still returns its status (it never aborts the process), but the message may be
/// unavailable: this function then returns a fixed text saying so instead of the message.
///
/// @return a NUL-terminated UTF-8 string, never NULL.
///
/// Ownership: owned by the library; do not free it. It stays valid until the next failing
/// dstoken call on the same thread (copy it if you need it longer).
/// Thread safety: the message is thread-local; each thread sees its own.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub extern "C" fn dst_last_error_message() -> *const c_char {
    call_infallible(EMPTY.as_ptr().cast(), last_error_ptr)
}

/// The name of a status value, e.g. "DST_ERR_BAD_SIGNATURE".
///
/// @param status any integer; values that are not a dst_status get "unknown status".
/// @return static NUL-terminated text, never NULL.
///
/// Ownership: static storage; do not free it.
/// Thread safety: may be called from any thread.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub extern "C" fn dst_status_name(status: c_int) -> *const c_char {
    call_infallible(UNKNOWN_STATUS.as_ptr().cast(), || {
        let name = usize::try_from(status)
            .ok()
            .and_then(|i| ALL_STATUSES.get(i))
            .map_or(UNKNOWN_STATUS, |s| s.name());
        name.as_ptr().cast()
    })
}

/// The library version, e.g. "0.1.0"; equals DSTOKEN_VERSION_STRING of the header the
/// library was built with.
///
/// @return static NUL-terminated text, never NULL.
///
/// Ownership: static storage; do not free it.
/// Thread safety: may be called from any thread.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub extern "C" fn dst_version() -> *const c_char {
    const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    call_infallible(VERSION.as_ptr().cast(), || VERSION.as_ptr().cast())
}
