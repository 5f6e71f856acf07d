//! The C ABI. Plumbing lives here: the status enum, the thread-local last-error message, the
//! panic boundary, argument checks and handle helpers. The `extern "C"` functions are in one
//! file per C "class"; each checks its arguments, converts them, calls the core and maps the
//! result — nothing more.
#![allow(non_camel_case_types, clippy::missing_safety_doc)]

mod claims;
mod error;
mod key;
mod mint;
mod schema;
mod sign;
mod strings;
mod verify;
mod version;
// The allocator a WebAssembly host uses for its arguments (not in the C header).
#[cfg(target_family = "wasm")]
mod wasm;

pub use claims::*;
pub use error::*;
pub use key::*;
pub use mint::*;
pub use schema::*;
pub use sign::*;
pub use strings::*;
pub use verify::*;
pub use version::*;
#[cfg(target_family = "wasm")]
pub use wasm::*;

use crate::error::{Arg, Error, ErrorKind, Reason, Result};
use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

/// Status returned by every fallible dstoken function. `DST_OK` (0) is success; every other
/// value is an error whose details are in dst_last_error() (as data: reason, argument,
/// numbers) and dst_last_error_message() (in English, for C programs). Numbers are stable and
/// only ever appended to; dst_status_name() gives each one's name.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum dst_status {
    /// Success.
    DST_OK = 0,
    /// A required pointer argument was NULL.
    DST_ERR_NULL_ARGUMENT = 1,
    /// A string argument was not valid UTF-8.
    DST_ERR_INVALID_UTF8 = 2,
    /// An argument or claim value is not acceptable (wrong claim type, empty key, bad JSON,
    /// exp before nbf/iat, bad host name, ...).
    DST_ERR_INVALID_ARGUMENT = 3,
    /// Signing needs the `td` (team id) and `rd` (room) claims.
    DST_ERR_MISSING_CLAIM = 4,
    /// The output buffer is too small; the length needed has been reported.
    DST_ERR_BUFFER_TOO_SMALL = 5,
    /// The token is not a well-formed, strictly encoded HS256 JWT.
    DST_ERR_MALFORMED_TOKEN = 6,
    /// The token's `alg` is not "HS256", or it requires (`crit`) an unsupported extension.
    DST_ERR_UNSUPPORTED_ALGORITHM = 7,
    /// The token's signature does not match the key.
    DST_ERR_BAD_SIGNATURE = 8,
    /// The token's `exp` has passed (beyond the leeway).
    DST_ERR_EXPIRED = 9,
    /// The token's `nbf` has not come, or its `iat` is in the future (beyond the leeway).
    DST_ERR_NOT_YET_VALID = 10,
    /// The named claim is not present.
    DST_ERR_NOT_FOUND = 11,
    /// The named claim is present but of another JSON type.
    DST_ERR_WRONG_TYPE = 12,
    /// An internal error (a bug in dstoken); no state was changed.
    DST_ERR_INTERNAL = 13,
    /// A verified token's team id or room is not the one dst_verify_opts() was told to expect.
    DST_ERR_CLAIM_MISMATCH = 14,
}

/// Every status, indexed by its number (dst_status_name and tests use it).
pub(crate) const ALL_STATUSES: [dst_status; 15] = [
    dst_status::DST_OK,
    dst_status::DST_ERR_NULL_ARGUMENT,
    dst_status::DST_ERR_INVALID_UTF8,
    dst_status::DST_ERR_INVALID_ARGUMENT,
    dst_status::DST_ERR_MISSING_CLAIM,
    dst_status::DST_ERR_BUFFER_TOO_SMALL,
    dst_status::DST_ERR_MALFORMED_TOKEN,
    dst_status::DST_ERR_UNSUPPORTED_ALGORITHM,
    dst_status::DST_ERR_BAD_SIGNATURE,
    dst_status::DST_ERR_EXPIRED,
    dst_status::DST_ERR_NOT_YET_VALID,
    dst_status::DST_ERR_NOT_FOUND,
    dst_status::DST_ERR_WRONG_TYPE,
    dst_status::DST_ERR_INTERNAL,
    dst_status::DST_ERR_CLAIM_MISMATCH,
];

impl dst_status {
    /// The variant's name, NUL-terminated (for dst_status_name).
    pub(crate) fn name(self) -> &'static str {
        use dst_status::*;
        match self {
            DST_OK => "DST_OK\0",
            DST_ERR_NULL_ARGUMENT => "DST_ERR_NULL_ARGUMENT\0",
            DST_ERR_INVALID_UTF8 => "DST_ERR_INVALID_UTF8\0",
            DST_ERR_INVALID_ARGUMENT => "DST_ERR_INVALID_ARGUMENT\0",
            DST_ERR_MISSING_CLAIM => "DST_ERR_MISSING_CLAIM\0",
            DST_ERR_BUFFER_TOO_SMALL => "DST_ERR_BUFFER_TOO_SMALL\0",
            DST_ERR_MALFORMED_TOKEN => "DST_ERR_MALFORMED_TOKEN\0",
            DST_ERR_UNSUPPORTED_ALGORITHM => "DST_ERR_UNSUPPORTED_ALGORITHM\0",
            DST_ERR_BAD_SIGNATURE => "DST_ERR_BAD_SIGNATURE\0",
            DST_ERR_EXPIRED => "DST_ERR_EXPIRED\0",
            DST_ERR_NOT_YET_VALID => "DST_ERR_NOT_YET_VALID\0",
            DST_ERR_NOT_FOUND => "DST_ERR_NOT_FOUND\0",
            DST_ERR_WRONG_TYPE => "DST_ERR_WRONG_TYPE\0",
            DST_ERR_INTERNAL => "DST_ERR_INTERNAL\0",
            DST_ERR_CLAIM_MISMATCH => "DST_ERR_CLAIM_MISMATCH\0",
        }
    }
}

fn status_of(kind: ErrorKind) -> dst_status {
    use dst_status::*;
    match kind {
        ErrorKind::NullArgument => DST_ERR_NULL_ARGUMENT,
        ErrorKind::InvalidUtf8 => DST_ERR_INVALID_UTF8,
        ErrorKind::InvalidArgument => DST_ERR_INVALID_ARGUMENT,
        ErrorKind::MissingClaim => DST_ERR_MISSING_CLAIM,
        ErrorKind::BufferTooSmall { .. } => DST_ERR_BUFFER_TOO_SMALL,
        ErrorKind::MalformedToken => DST_ERR_MALFORMED_TOKEN,
        ErrorKind::UnsupportedAlgorithm => DST_ERR_UNSUPPORTED_ALGORITHM,
        ErrorKind::BadSignature => DST_ERR_BAD_SIGNATURE,
        ErrorKind::Expired => DST_ERR_EXPIRED,
        ErrorKind::NotYetValid => DST_ERR_NOT_YET_VALID,
        ErrorKind::NotFound => DST_ERR_NOT_FOUND,
        ErrorKind::WrongType => DST_ERR_WRONG_TYPE,
        ErrorKind::Internal => DST_ERR_INTERNAL,
        ErrorKind::ClaimMismatch => DST_ERR_CLAIM_MISMATCH,
    }
}

/// Capacity of the last-error message buffer, NUL included; longer messages are cut at a
/// character boundary and end with "...".
pub(crate) const MESSAGE_CAPACITY: usize = 1024;

/// What dst_last_error_message() returns when this thread's storage cannot be reached.
pub(crate) const MESSAGE_UNAVAILABLE: &str =
    "dstoken: the error message is unavailable (this thread's thread-local storage has been destroyed)\0";

thread_local! {
    /// The last error message, NUL-terminated. A plain byte array with a constant initialiser
    /// has no destructor, so it stays usable while the thread's other thread-locals are being
    /// destroyed (pthread key destructors, atexit handlers). Every access still goes through
    /// `try_with`: if it ever cannot be reached, the call returns its status regardless.
    static LAST_ERROR: RefCell<[u8; MESSAGE_CAPACITY]> = const { RefCell::new([0; MESSAGE_CAPACITY]) };
}

/// Records `err` as this thread's last error, prefixed with the C function's name, and returns
/// its status. The only place the last-error message is written. Never panics: a message that
/// cannot be recorded is dropped, the status is returned all the same.
fn fail(func: &str, err: &Error) -> dst_status {
    let status = status_of(err.kind());
    let text = format!("{func}: {}", err.message()).replace('\0', "\\0");
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut buf) = slot.try_borrow_mut() {
            let text = truncate(&text, MESSAGE_CAPACITY - 1);
            buf[..text.len()].copy_from_slice(text.as_bytes());
            buf[text.len()] = 0;
        }
    });
    error::record(status, err.parts());
    status
}

/// Replaces this thread's last-error message (dst_last_error_restore).
pub(crate) fn set_message(text: &str) {
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut buf) = slot.try_borrow_mut() {
            let text = truncate(text, MESSAGE_CAPACITY - 1);
            buf[..text.len()].copy_from_slice(text.as_bytes());
            buf[text.len()] = 0;
        }
    });
}

/// `text` cut to at most `max` bytes at a character boundary, ending with "..." when cut.
fn truncate(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return text.into();
    }
    let mut end = max - 3;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end]).into()
}

/// This thread's last-error message (never NULL; see MESSAGE_UNAVAILABLE).
pub(crate) fn last_error_ptr() -> *const c_char {
    LAST_ERROR
        .try_with(|slot| slot.as_ptr().cast::<c_char>().cast_const())
        .unwrap_or(MESSAGE_UNAVAILABLE.as_ptr().cast())
}

fn panic_error() -> Error {
    Error::new(
        ErrorKind::Internal,
        "internal error: a panic was caught at the C boundary",
    )
    .why(Reason::Internal, Arg::None)
}

/// The argument a C parameter name stands for (the NULL and UTF-8 checks name them).
pub(crate) fn c_arg(name: &str) -> Arg {
    let name = name.trim_matches('`');
    let name = name.strip_prefix("token->").unwrap_or(name);
    if name == "secret" {
        return Arg::Key;
    }
    crate::schema::C_ARGS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(Arg::None, |&(_, arg)| arg)
}

/// The panic boundary for status-returning functions.
pub(crate) fn call(func: &str, body: impl FnOnce() -> Result<()>) -> dst_status {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => dst_status::DST_OK,
        Ok(Err(e)) => fail(func, &e),
        Err(_) => fail(func, &panic_error()),
    }
}

/// The panic boundary for pointer-returning functions: NULL on any error.
pub(crate) fn call_ptr<T>(func: &str, body: impl FnOnce() -> Result<*mut T>) -> *mut T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => {
            fail(func, &e);
            std::ptr::null_mut()
        }
        Err(_) => {
            fail(func, &panic_error());
            std::ptr::null_mut()
        }
    }
}

/// The panic boundary for functions that cannot report an error (destructors, static text).
pub(crate) fn call_infallible<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

fn null_error(name: &str) -> Error {
    Error::new(
        ErrorKind::NullArgument,
        format!("argument `{name}` is NULL"),
    )
    .why(Reason::Null, c_arg(name))
}

/// A borrowed NUL-terminated UTF-8 string argument.
pub(crate) unsafe fn str_arg<'a>(p: *const c_char, name: &str) -> Result<&'a str> {
    if p.is_null() {
        return Err(null_error(name));
    }
    // SAFETY: the caller passes a NUL-terminated string that outlives the call.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    std::str::from_utf8(bytes).map_err(|e| utf8_error(name, e))
}

/// The error for a string argument that is not valid UTF-8.
pub(crate) fn utf8_error(name: &str, e: std::str::Utf8Error) -> Error {
    Error::new(
        ErrorKind::InvalidUtf8,
        format!(
            "argument `{name}` is not valid UTF-8 (bad byte at offset {})",
            e.valid_up_to()
        ),
    )
    .why(Reason::NotUtf8, c_arg(name))
    .nums(crate::sign::to_i64(e.valid_up_to()), 0)
}

/// A borrowed byte buffer argument; NULL is refused even when `len` is 0.
pub(crate) unsafe fn bytes_arg<'a>(p: *const u8, len: usize, name: &str) -> Result<&'a [u8]> {
    if p.is_null() {
        return Err(null_error(name));
    }
    // SAFETY: the caller passes `len` readable bytes at `p` that outlive the call.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// The caller's output buffer of the size protocol (dst_sign_into, dst_mint_into): `cap`
/// writable bytes at `buf`. `buf` may be NULL only when `cap` is 0 (the length query). `cap`
/// above PTRDIFF_MAX, or one that runs `buf` past the end of the address space, cannot be the
/// size of a real buffer (and would make the slice undefined behaviour): it is refused with
/// DST_ERR_INVALID_ARGUMENT rather than trusted.
pub(crate) unsafe fn out_buf_arg<'a>(buf: *mut c_char, cap: usize) -> Result<&'a mut [u8]> {
    check_out_buf(buf, cap)?;
    if buf.is_null() {
        return Ok(&mut []);
    }
    // SAFETY: non-NULL, `cap` fits the slice bounds checked above, and the caller guarantees
    // `cap` writable bytes at `buf` that it does not touch during the call.
    Ok(unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), cap) })
}

/// The checks of [`out_buf_arg`], without making the slice.
fn check_out_buf(buf: *mut c_char, cap: usize) -> Result<()> {
    if buf.is_null() {
        if cap != 0 {
            return Err(Error::new(
                ErrorKind::NullArgument,
                format!("argument `buf` is NULL but `cap` is {cap}; pass NULL with `cap` 0 to ask for the length"),
            )
            .why(Reason::Null, Arg::Buffer)
            .other(Arg::Capacity)
            .nums(crate::sign::to_i64(cap), 0));
        }
        return Ok(());
    }
    if cap > isize::MAX as usize {
        return Err(Error::invalid(format!(
            "argument `cap` is {cap}, above PTRDIFF_MAX ({}): no buffer is that large; pass the number of writable bytes at `buf`",
            isize::MAX
        ))
        .why(Reason::CapacityTooLarge, Arg::Capacity)
        .nums(crate::sign::to_i64(cap), i64::MAX));
    }
    if (buf as usize).checked_add(cap).is_none() {
        return Err(Error::invalid(format!(
            "argument `cap` is {cap}, which runs `buf` past the end of the address space; pass the number of writable bytes at `buf`"
        ))
        .why(Reason::CapacityTooLarge, Arg::Capacity)
        .nums(crate::sign::to_i64(cap), 0));
    }
    Ok(())
}

/// One input of a call that writes into the caller's buffer: its first byte's address, its
/// length in bytes, and its name for the message. A length of 0 is "absent".
pub(crate) type InputSpan = (usize, usize, &'static str);

/// The span of a caller's object of type `T` at `p` (for the overlap check).
pub(crate) fn span_of<T>(p: *const T, name: &'static str) -> InputSpan {
    (p as usize, std::mem::size_of::<T>(), name)
}

/// Refuses an output buffer `buf..buf+cap` that shares a byte with any of `inputs`: the token
/// would be written over the values it is made from (a wrong token, or worse). Nothing can
/// overlap an empty buffer.
fn check_no_overlap(buf: *mut c_char, cap: usize, inputs: &[InputSpan]) -> Result<()> {
    if buf.is_null() || cap == 0 {
        return Ok(());
    }
    let start = buf as usize;
    let end = start.saturating_add(cap);
    for &(at, len, name) in inputs {
        if len != 0 && at < end && start < at.saturating_add(len) {
            return Err(Error::invalid(format!(
                "the output buffer `buf` ({cap} bytes) overlaps {name}: the token would be \
                 written over its own input; pass a buffer that shares no memory with the other \
                 arguments"
            ))
            .why(Reason::Overlap, Arg::Buffer)
            .other(c_arg(name))
            .nums(crate::sign::to_i64(cap), 0));
        }
    }
    Ok(())
}

/// The whole size protocol of dst_sign_into and dst_mint_into, after the caller's own
/// arguments are checked: checks `len_out`, that the buffer overlaps none of `inputs` (nor
/// `*len_out`), and the buffer itself (out_buf_arg), then has `write` put
/// the token into the buffer less one byte, NUL-terminates it and reports its length. When
/// `write` fails with `BufferTooSmall { needed }`, `*len_out` = needed and the message says how
/// big `cap` must be; nothing is written to `buf` then. `write` must write nothing when it
/// fails.
pub(crate) unsafe fn write_token_into(
    buf: *mut c_char,
    cap: usize,
    len_out: *mut usize,
    inputs: &[InputSpan],
    write: impl FnOnce(&mut [u8]) -> Result<usize>,
) -> Result<()> {
    let len_out_span = span_of(len_out.cast_const(), "`len_out`");
    let len_out = Out::new(len_out, "len_out")?;
    // The buffer's own checks (NULL, `cap` no buffer can have) come first; the slice is made
    // only once it is known to share no memory with the inputs.
    check_out_buf(buf, cap)?;
    check_no_overlap(buf, cap, &[len_out_span])?;
    check_no_overlap(buf, cap, inputs)?;
    let buf = unsafe { out_buf_arg(buf, cap) }?;
    let room = cap.saturating_sub(1);
    match write(&mut buf[..room]) {
        Ok(n) => {
            buf[n] = 0;
            len_out.write(n);
            Ok(())
        }
        Err(e) => match e.kind() {
            ErrorKind::BufferTooSmall { needed } => {
                len_out.write(needed);
                Err(Error::new(
                    e.kind(),
                    format!(
                        "`cap` is {cap} but the token needs {} bytes ({needed} + 1 for the NUL)",
                        needed + 1
                    ),
                )
                .why(Reason::BufferTooSmall, Arg::Capacity)
                .nums(
                    crate::sign::to_i64(cap),
                    crate::sign::to_i64(needed).saturating_add(1),
                ))
            }
            _ => Err(e),
        },
    }
}

/// A borrowed read-only handle.
pub(crate) unsafe fn handle<'a, T>(p: *const T, name: &str) -> Result<&'a T> {
    // SAFETY: a non-NULL handle was made by this library and not yet freed.
    unsafe { p.as_ref() }.ok_or_else(|| null_error(name))
}

/// A borrowed mutable handle.
pub(crate) unsafe fn handle_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T> {
    // SAFETY: as for `handle`, and the caller does not use it concurrently.
    unsafe { p.as_mut() }.ok_or_else(|| null_error(name))
}

/// Moves `value` to the heap and hands ownership to C.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back and drops a handle made by `into_handle`; NULL is a no-op.
pub(crate) unsafe fn free_handle<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: `p` came from `into_handle` and is freed once.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// An out-pointer, checked for NULL before any work and written only on success.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    pub(crate) fn new(p: *mut T, name: &str) -> Result<Self> {
        NonNull::new(p).map(Out).ok_or_else(|| null_error(name))
    }

    pub(crate) fn write(self, value: T) {
        // SAFETY: the caller passed a valid, writable, aligned pointer (checked non-NULL).
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// Hands a Rust string to C as a library-owned `char *` (freed by dst_string_free).
pub(crate) fn c_string(s: String, what: &str) -> Result<*mut c_char> {
    CString::new(s).map(CString::into_raw).map_err(|_| {
        Error::new(
            ErrorKind::WrongType,
            format!("{what} contains U+0000, which a C string cannot hold; read it with dst_claims_get_json"),
        )
        .why(Reason::ContainsNul, Arg::Output)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_internal_errors_with_a_message() {
        let status = call("dst_test", || panic!("boom"));
        assert_eq!(status, dst_status::DST_ERR_INTERNAL);
        let msg = unsafe { CStr::from_ptr(last_error_ptr()) }.to_string_lossy();
        assert!(msg.starts_with("dst_test: internal error"), "{msg}");
        let p: *mut u8 = call_ptr("dst_test_ptr", || panic!("boom"));
        assert!(p.is_null());
        assert_eq!(call_infallible(7, || panic!("boom")), 7);
    }

    #[test]
    fn status_numbers_and_names_are_frozen() {
        for (i, s) in ALL_STATUSES.iter().enumerate() {
            assert_eq!(*s as usize, i);
            assert!(s.name().ends_with('\0') && s.name().starts_with("DST_"));
        }
    }

    #[test]
    fn long_messages_are_cut_at_a_character_boundary() {
        let long = "é".repeat(MESSAGE_CAPACITY);
        fail("f", &Error::invalid(long));
        let msg = unsafe { CStr::from_ptr(last_error_ptr()) };
        assert!(msg.to_str().is_ok(), "the message is valid UTF-8");
        let msg = msg.to_string_lossy();
        assert!(msg.len() < MESSAGE_CAPACITY && msg.len() > MESSAGE_CAPACITY - 8);
        assert!(msg.starts_with("f: éé") && msg.ends_with("é..."), "{msg}");
        fail("g", &Error::invalid("short"));
        let msg = unsafe { CStr::from_ptr(last_error_ptr()) };
        assert!(msg.to_str().is_ok(), "the message is valid UTF-8");
        let msg = msg.to_string_lossy();
        assert_eq!(msg, "g: short");
    }

    #[test]
    fn messages_never_hold_interior_nul() {
        fail("f", &Error::invalid("a\0b"));
        let msg = unsafe { CStr::from_ptr(last_error_ptr()) }.to_string_lossy();
        assert_eq!(msg, "f: a\\0b");
    }
}
