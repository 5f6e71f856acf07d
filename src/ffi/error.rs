//! The last error as data: `dst_error` and dst_last_error().
use super::{call_infallible, dst_status};
use crate::error::Parts;
use std::cell::RefCell;
use std::ffi::c_char;

/// Capacity of dst_error's `name`, NUL included.
pub const DST_ERROR_NAME_CAPACITY: usize = 128;
/// Capacity of dst_error's `text`, NUL included.
pub const DST_ERROR_TEXT_CAPACITY: usize = 256;

/// The last error of the calling thread, as data: what dst_last_error() copies out. Every
/// binding composes its own message from these parts (in its own words, naming arguments its
/// way), with the message templates of dstoken's error schema; dst_last_error_message() is the
/// same error worded for C.
///
/// Which of `name`, `text` and the four numbers a reason sets, and what they mean, is listed
/// with each DST_REASON_ constant; the others are zero or empty. Times are unix seconds;
/// a time from a token that is not an integer is rounded toward negative infinity and
/// clamped to int64_t.
///
/// Initialise it with DST_ERROR_INIT (or set `struct_size` to sizeof(dst_error)): the struct
/// only ever grows at the end, and the library writes no more than `struct_size` bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct dst_error {
    /// sizeof(dst_error) as compiled by the caller.
    pub struct_size: usize,
    /// The status the failing call returned (a dst_status number); DST_OK when this thread
    /// has had no error.
    pub status: i32,
    /// Why: a DST_REASON_ number (DST_REASON_NONE when the status says all there is).
    pub reason: u32,
    /// The argument or claim at fault: a DST_ARG_ number.
    pub argument: u32,
    /// A second argument the rule involves (the other of two that conflict, ...): a DST_ARG_
    /// number, or DST_ARG_NONE.
    pub other: u32,
    /// The value given (see the reason).
    pub value: i64,
    /// The limit, the value wanted, or a second value (see the reason).
    pub limit: i64,
    /// A time the error involves (see the reason).
    pub time: i64,
    /// The value to give instead, when the reason has one.
    pub suggested: i64,
    /// A claim's JSON name, NUL-terminated UTF-8 (cut at a character boundary to fit), or "".
    pub name: [c_char; DST_ERROR_NAME_CAPACITY],
    /// A string the error is about (the host given, the token's alg, a claim's value),
    /// NUL-terminated UTF-8 (cut to fit), or "".
    pub text: [c_char; DST_ERROR_TEXT_CAPACITY],
}

/// The parts as stored per thread: plain data with a constant initialiser (no destructor, so
/// it stays usable while the thread's other thread-locals are destroyed).
#[derive(Clone, Copy)]
struct Stored {
    status: i32,
    reason: u32,
    argument: u32,
    other: u32,
    numbers: [i64; 4],
    name: [u8; DST_ERROR_NAME_CAPACITY],
    text: [u8; DST_ERROR_TEXT_CAPACITY],
}

const EMPTY: Stored = Stored {
    status: 0,
    reason: 0,
    argument: 0,
    other: 0,
    numbers: [0; 4],
    name: [0; DST_ERROR_NAME_CAPACITY],
    text: [0; DST_ERROR_TEXT_CAPACITY],
};

thread_local! {
    static LAST: RefCell<Stored> = const { RefCell::new(EMPTY) };
}

/// `s` into `out` NUL-terminated, cut at a character boundary (and at an embedded NUL).
fn put_str(out: &mut [u8], s: &str) {
    let s = s.split('\0').next().unwrap_or_default();
    let mut end = s.len().min(out.len() - 1);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    out[..end].copy_from_slice(&s.as_bytes()[..end]);
    out[end..].fill(0);
}

/// Records `parts` as this thread's last error (called by `fail`, with the message).
pub(crate) fn record(status: dst_status, parts: &Parts) {
    let _ = LAST.try_with(|slot| {
        if let Ok(mut s) = slot.try_borrow_mut() {
            s.status = status as i32;
            s.reason = parts.reason as u32;
            s.argument = parts.arg as u32;
            s.other = parts.other as u32;
            s.numbers = [parts.value, parts.limit, parts.time, parts.suggested];
            put_str(&mut s.name, &parts.name);
            put_str(&mut s.text, &parts.text);
        }
    });
}

/// Copies the calling thread's last error into `*out` as data.
///
/// @param out a dst_error whose `struct_size` the caller set (DST_ERROR_INIT); the library
///        writes at most `struct_size` bytes of it.
/// @return true when `*out` was filled; false when `out` is NULL, its `struct_size` is smaller
///         than this function's first version of the struct, or this thread's storage is
///         gone (during thread exit). It records no error of its own, so it never replaces
///         the error it reports.
///
/// The last error is the one of the most recent failing dstoken call on this thread;
/// successful calls leave it unchanged, so read it right after the call that failed. Like
/// `errno`, a failing call made in between (in a signal handler, say) replaces it: a handler
/// that calls dstoken should save it first and put it back with dst_last_error_restore().
///
/// Thread safety: per-thread; any thread may call it.
#[no_mangle]
pub unsafe extern "C" fn dst_last_error(out: *mut dst_error) -> bool {
    call_infallible(false, || {
        if out.is_null() {
            return false;
        }
        // SAFETY: a non-NULL `out` points at a writable struct of at least `struct_size`
        // bytes, starting with `struct_size`.
        let size = unsafe { (*out).struct_size };
        if size < std::mem::size_of::<dst_error>() {
            return false;
        }
        LAST.try_with(|slot| {
            let Ok(s) = slot.try_borrow() else {
                return false;
            };
            let mut e = dst_error {
                struct_size: size,
                status: s.status,
                reason: s.reason,
                argument: s.argument,
                other: s.other,
                value: s.numbers[0],
                limit: s.numbers[1],
                time: s.numbers[2],
                suggested: s.numbers[3],
                name: [0; DST_ERROR_NAME_CAPACITY],
                text: [0; DST_ERROR_TEXT_CAPACITY],
            };
            for (d, b) in e.name.iter_mut().zip(s.name) {
                *d = b as c_char;
            }
            for (d, b) in e.text.iter_mut().zip(s.text) {
                *d = b as c_char;
            }
            // SAFETY: as above; this version's fields fit in `size` bytes.
            unsafe { out.write(e) };
            true
        })
        .unwrap_or(false)
    })
}

/// Makes `*saved` (a dst_error filled by dst_last_error()) the calling thread's last error
/// again: the parts, and a message naming its status (the English message itself is not
/// kept in a dst_error). For code that makes dstoken calls while another call's error is
/// still to be read: a signal handler, a callback, a logger.
///
/// @param saved a filled dst_error; NULL or a `struct_size` too small is ignored.
///
/// Thread safety: per-thread.
#[no_mangle]
pub unsafe extern "C" fn dst_last_error_restore(saved: *const dst_error) {
    call_infallible((), || {
        // SAFETY: a non-NULL `saved` points at a readable dst_error of `struct_size` bytes.
        let Some(e) = (unsafe { saved.as_ref() }) else {
            return;
        };
        if e.struct_size < std::mem::size_of::<dst_error>() {
            return;
        }
        let _ = LAST.try_with(|slot| {
            if let Ok(mut s) = slot.try_borrow_mut() {
                s.status = e.status;
                s.reason = e.reason;
                s.argument = e.argument;
                s.other = e.other;
                s.numbers = [e.value, e.limit, e.time, e.suggested];
                for (d, &b) in s.name.iter_mut().zip(e.name.iter()) {
                    *d = b as u8;
                }
                for (d, &b) in s.text.iter_mut().zip(e.text.iter()) {
                    *d = b as u8;
                }
                if let Some(last) = s.name.last_mut() {
                    *last = 0;
                }
                if let Some(last) = s.text.last_mut() {
                    *last = 0;
                }
            }
        });
        let name = super::ALL_STATUSES
            .get(usize::try_from(e.status).unwrap_or(usize::MAX))
            .map_or("an unknown status", |s| s.name().trim_end_matches('\0'));
        super::set_message(&format!("{name} (restored by dst_last_error_restore)"));
    })
}
