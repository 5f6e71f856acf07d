//! The one-call mint through the C ABI: `dst_room_token` and `dst_mint*`.
use super::{
    call, dst_key, dst_status, handle, span_of, str_arg, utf8_error, write_token_into, InputSpan,
    Out,
};
use crate::error::{Arg, Error, ErrorKind, Reason, Result};
use crate::mint::{Fields, RoomToken};
use crate::mintfmt::Text;
use std::ffi::{c_char, CStr, CString};

/// Describes one room token for dst_mint(), dst_mint_into() and dst_mint_url(): every Digital
/// Samba claim and the token's times. A NULL string or a 0 number means "absent".
///
/// Initialise it with DST_ROOM_TOKEN_INIT (`dst_room_token t = DST_ROOM_TOKEN_INIT;`) or
/// dst_room_token_init() (a macro for dst_room_token_init_size()), then set the fields you need. The struct only ever grows at the end:
/// `struct_size` tells the library which version the caller compiled against, so programs built
/// against this header keep working with later libraries.
///
/// The `struct_size` rule: the library accepts exactly
/// - the size of version 1 (the struct up to and including `now`: 120 bytes on LP64
///   platforms), whose callers cannot set `no_expiry` (it reads as false);
/// - the size of version 2 (the struct up to and including `no_expiry`, padded: 128 bytes on
///   LP64), whose callers cannot set `max_lifetime_seconds` or `lifetime_nanos` (they read as
///   0: the default maximum, no sub-second part);
/// - the size of version 3, this header's `sizeof(dst_room_token)` (144 on LP64);
/// - a later version's size: larger than version 3's, at most 4096, a multiple of
///   `_Alignof(dst_room_token)` (8 on LP64), with every byte past version 3's size zero (fields
///   this library does not know must be absent: a token is never minted without them).
///
/// Anything else (for instance 121 to 127, or 129) is refused with DST_ERR_INVALID_ARGUMENT:
/// it is an uninitialised struct, not a version.
///
/// Times are either explicit (`issued_at`, `not_before`, `expires_at`) or relative
/// (`lifetime_seconds` > 0: `iat` = now, `exp` = now + lifetime, and with
/// `not_before_skew_seconds` > 0 also `nbf` = now - skew; `now` = 0 reads the system clock),
/// never both. Relative mode with no skew gives the claims of dst_claims_set_expires_in(), with
/// a skew those of dst_claims_set_validity(). Every time (and `now`) lies in
/// [0, DST_MAX_SIGN_TIME] (unix seconds; a value in milliseconds is refused as such), and an
/// `expires_at` that is not after `now` (or, with `now` 0, the system clock) is refused: the
/// token would be expired when minted. An explicit `now` stands in for the clock in all of
/// this (that makes a mint reproducible), so a past `now` can mint a token the real clock
/// already calls expired; production code leaves `now` 0.
///
/// An expiry is required: set `expires_at` or `lifetime_seconds`, or set `no_expiry` to true to
/// mint a token without `exp` (one that admits its holder until the key changes). A token with
/// neither is refused with DST_ERR_INVALID_ARGUMENT, as is one with both.
///
/// Ownership: the library never keeps or frees the strings; they are borrowed for the call.
/// Thread safety: the library only reads the struct; any number of threads may mint from the
/// same struct at once while no thread writes it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct dst_room_token {
    /// sizeof(dst_room_token) as compiled by the caller; set by DST_ROOM_TOKEN_INIT or
    /// dst_room_token_init().
    pub struct_size: usize,
    /// `td`, the team id: required, non-empty UTF-8.
    pub team_id: *const c_char,
    /// `rd`, the room name or UUID: required, non-empty UTF-8.
    pub room: *const c_char,
    /// `u`, the user's display name (UTF-8), or NULL.
    pub user_name: *const c_char,
    /// `ud`, the external user id (UTF-8), or NULL.
    pub user_id: *const c_char,
    /// `initials` (UTF-8), or NULL.
    pub initials: *const c_char,
    /// `role`, e.g. "moderator" (UTF-8), or NULL.
    pub role: *const c_char,
    /// `breakoutId` (UTF-8), or NULL.
    pub breakout_id: *const c_char,
    /// `avatar`, an image URL (UTF-8), or NULL.
    pub avatar: *const c_char,
    /// `iat` in unix seconds (explicit mode), or 0.
    pub issued_at: i64,
    /// `nbf` in unix seconds (explicit mode), or 0.
    pub not_before: i64,
    /// `exp` in unix seconds (explicit mode), or 0.
    pub expires_at: i64,
    /// > 0 selects relative mode: `iat` = now, `exp` = now + lifetime_seconds; or 0.
    pub lifetime_seconds: i64,
    /// > 0 (relative mode only): `nbf` = now - not_before_skew_seconds; or 0 (no `nbf`).
    pub not_before_skew_seconds: i64,
    /// "Now" in unix seconds, or 0 for the system clock (0 means the clock wherever dstoken
    /// takes a `now`): relative mode's `iat`, and in explicit mode the time `expires_at` must
    /// be after (a token that would already be expired is refused).
    pub now: i64,
    /// Version 2. true: mint a token without `exp` (never expiring), which is refused
    /// otherwise; must then be used without `expires_at` and `lifetime_seconds`. false (the
    /// default): an expiry is required.
    pub no_expiry: bool,
    /// Version 3. The longest `lifetime_seconds` accepted, or 0 for DST_DEFAULT_MAX_LIFETIME
    /// (30 days). A longer lifetime is refused (DST_REASON_LIFETIME_TOO_LONG), so that one
    /// given in milliseconds is not signed as a weeks-long token; raise this to mint
    /// longer-lived tokens on purpose. Negative is refused. (Versions 1 and 2 get the default.)
    pub max_lifetime_seconds: i64,
    /// Version 3. The lifetime's part below one second, in nanoseconds, for bindings whose
    /// duration types have one; must be 0 (DST_REASON_SUB_SECOND otherwise): token times are
    /// whole seconds, and a sub-second lifetime is a unit slip.
    pub lifetime_nanos: u32,
}

/// The size of version 1 of the struct: every field up to and including `now`.
const V1_SIZE: usize = std::mem::offset_of!(dst_room_token, no_expiry);
/// The size of version 2: version 1 and `no_expiry` (with its padding).
const V2_SIZE: usize = std::mem::offset_of!(dst_room_token, max_lifetime_seconds);
/// The size of version 3 (this library's): version 2, `max_lifetime_seconds` and
/// `lifetime_nanos`.
const V3_SIZE: usize = std::mem::size_of::<dst_room_token>();
/// A later version's size is a multiple of the struct's alignment.
const ALIGN: usize = std::mem::align_of::<dst_room_token>();
/// A `struct_size` above this is taken for an uninitialised struct, not a later version.
const MAX_STRUCT_SIZE: usize = 4096;

fn invalid_size(size: usize) -> Error {
    Error::invalid(format!(
        "token->struct_size is {size}, but this library needs {V3_SIZE} (or {V2_SIZE} or \
         {V1_SIZE} for versions 2 and 1, or a later version's size, a multiple of {ALIGN} up \
         to {MAX_STRUCT_SIZE}, with every newer field zero); initialise the struct with \
         DST_ROOM_TOKEN_INIT or dst_room_token_init()"
    ))
    .why(Reason::BadStructSize, Arg::StructSize)
    .nums(crate::sign::to_i64(size), crate::sign::to_i64(V3_SIZE))
}

/// Whether `size` is a `struct_size` the library accepts (before the zero-tail check).
fn size_accepted(size: usize) -> bool {
    size == V1_SIZE
        || size == V2_SIZE
        || size == V3_SIZE
        || (size > V3_SIZE && size <= MAX_STRUCT_SIZE && size.is_multiple_of(ALIGN))
}

/// Checks a caller's `dst_room_token` pointer and `struct_size` and copies the version-2 part
/// (a version-1 struct reads as `no_expiry` false; a `no_expiry` byte other than 0 is true).
unsafe fn room_token_ref(p: *const dst_room_token) -> Result<dst_room_token> {
    if p.is_null() {
        return Err(
            Error::new(ErrorKind::NullArgument, "argument `token` is NULL")
                .why(Reason::Null, Arg::Token),
        );
    }
    // SAFETY: `p` points to a struct that starts with a size_t (every version does); only that
    // member is read before the size is known.
    let size = unsafe { p.cast::<usize>().read() };
    if !size_accepted(size) {
        return Err(invalid_size(size));
    }
    if size > V3_SIZE {
        // A later version's fields this library does not know must be zero ("absent"):
        // refusing them beats silently minting a token without them.
        // SAFETY: the caller's struct is `size` bytes long, as its struct_size says.
        let tail =
            unsafe { std::slice::from_raw_parts(p.cast::<u8>().add(V3_SIZE), size - V3_SIZE) };
        if tail.iter().any(|&b| b != 0) {
            return Err(invalid_size(size));
        }
    }
    // Copy the caller's bytes (only as many as its version has) over an all-absent struct.
    let mut copy = std::mem::MaybeUninit::<dst_room_token>::zeroed();
    let dst = copy.as_mut_ptr().cast::<u8>();
    // Two constant-length copies rather than one of `size.min(V2_SIZE)` bytes: a length known
    // at compile time becomes a few register moves instead of a call to `memcpy`.
    // SAFETY: the caller's struct has `size` >= V1_SIZE readable bytes (V3_SIZE or V2_SIZE or
    // more in the first branches); `copy` has V3_SIZE.
    unsafe {
        if size >= V3_SIZE {
            std::ptr::copy_nonoverlapping(p.cast::<u8>(), dst, V3_SIZE);
        } else if size >= V2_SIZE {
            std::ptr::copy_nonoverlapping(p.cast::<u8>(), dst, V2_SIZE);
        } else {
            std::ptr::copy_nonoverlapping(p.cast::<u8>(), dst, V1_SIZE);
        }
    }
    // A C bool is 0 or 1, but the byte is the caller's: make it a valid Rust bool.
    // SAFETY: the offset is inside `copy`.
    unsafe {
        let flag = dst.add(V1_SIZE);
        flag.write(u8::from(flag.read() != 0));
    }
    // SAFETY: all-zero is a valid dst_room_token (NULLs, zeros, false), the copied bytes are
    // the caller's pointers and integers, and the bool byte is 0 or 1.
    Ok(unsafe { copy.assume_init() })
}

/// The struct's strings with their names for messages, in payload order.
fn strings(t: &dst_room_token) -> [(*const c_char, &'static str); 8] {
    [
        (t.team_id, "token->team_id"),
        (t.room, "token->room"),
        (t.user_name, "token->user_name"),
        (t.user_id, "token->user_id"),
        (t.initials, "token->initials"),
        (t.role, "token->role"),
        (t.breakout_id, "token->breakout_id"),
        (t.avatar, "token->avatar"),
    ]
}

/// The struct's strings in payload order (their names only on the error path: [`strings`]).
fn string_ptrs(t: &dst_room_token) -> [*const c_char; 8] {
    [
        t.team_id,
        t.room,
        t.user_name,
        t.user_id,
        t.initials,
        t.role,
        t.breakout_id,
        t.avatar,
    ]
}

/// The struct's string fields as the overlap check names them, in payload order.
const STRING_NAMES: [&str; 8] = [
    "`token->team_id`",
    "`token->room`",
    "`token->user_name`",
    "`token->user_id`",
    "`token->initials`",
    "`token->role`",
    "`token->breakout_id`",
    "`token->avatar`",
];

/// 0 means "absent".
fn time(v: i64) -> Option<i64> {
    (v != 0).then_some(v)
}

/// Reads and checks a caller's `dst_room_token`: NULL, `struct_size`, then each string's UTF-8
/// (each error naming the field).
unsafe fn room_token<'a>(p: *const dst_room_token) -> Result<RoomToken<'a>> {
    let t = unsafe { room_token_ref(p) }?;
    let mut s = [None; 8];
    for (out, (q, name)) in s.iter_mut().zip(strings(&t)) {
        if !q.is_null() {
            // SAFETY: a non-NULL field is a NUL-terminated string that outlives the call.
            *out = Some(unsafe { str_arg(q, name) }?);
        }
    }
    Ok(RoomToken {
        team_id: s[0],
        room: s[1],
        user_name: s[2],
        user_id: s[3],
        initials: s[4],
        role: s[5],
        breakout_id: s[6],
        avatar: s[7],
        issued_at: time(t.issued_at),
        not_before: time(t.not_before),
        expires_at: time(t.expires_at),
        lifetime_seconds: time(t.lifetime_seconds),
        not_before_skew_seconds: time(t.not_before_skew_seconds),
        now: time(t.now),
        no_expiry: t.no_expiry,
        lifetime_nanos: t.lifetime_nanos,
        max_lifetime_seconds: time(t.max_lifetime_seconds),
    })
}

/// As [`room_token`] (the same checks, in the same order, with the same messages), but each
/// string is validated and classified for the JSON in one pass over its bytes. Fills `out`
/// (all absent on entry) in place: the fields are some 300 bytes, which a returned value
/// would copy with calls to `memcpy`.
unsafe fn room_fields<'a>(p: *const dst_room_token, out: &mut Fields<'a>) -> Result<()> {
    let t = unsafe { room_token_ref(p) }?;
    for (i, (slot, q)) in out.strings.iter_mut().zip(string_ptrs(&t)).enumerate() {
        if !q.is_null() {
            // SAFETY: a non-NULL field is a NUL-terminated string that outlives the call.
            let bytes = unsafe { CStr::from_ptr(q) }.to_bytes();
            *slot = Some(Text::of_bytes(bytes).map_err(|e| utf8_error(strings(&t)[i].1, e))?);
        }
    }
    out.issued_at = time(t.issued_at);
    out.not_before = time(t.not_before);
    out.expires_at = time(t.expires_at);
    out.lifetime_seconds = time(t.lifetime_seconds);
    out.not_before_skew_seconds = time(t.not_before_skew_seconds);
    out.now = time(t.now);
    out.no_expiry = t.no_expiry;
    out.lifetime_nanos = t.lifetime_nanos;
    out.max_lifetime_seconds = time(t.max_lifetime_seconds);
    Ok(())
}

/// Initialises a dst_room_token of version 1, the size every program compiled against version
/// 1's header has: every field up to and including `now` zero/NULL ("absent"), `struct_size` =
/// version 1's size (120 bytes on LP64), and nothing written past it.
///
/// In C and C++ compiled against this header, `dst_room_token_init(t)` is a macro for
/// `dst_room_token_init_size((t), sizeof *(t))`, which initialises the whole struct of the
/// header's version; this function is what programs built against version 1's header (and a
/// function pointer to dst_room_token_init) call, so a later library never writes past their
/// struct. A struct it initialised is version 1: `no_expiry` is not read (it did not exist);
/// use DST_ROOM_TOKEN_INIT or dst_room_token_init_size() for this header's version.
///
/// @param token the struct to initialise; must not be NULL; at least version 1's size.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INTERNAL.
///
/// Ownership: nothing is transferred; the struct is the caller's.
/// Thread safety: may be called from any thread; no other thread may use `token` meanwhile.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_room_token_init(token: *mut dst_room_token) -> dst_status {
    call("dst_room_token_init", || unsafe {
        init_size(token, V1_SIZE)
    })
}

/// Initialises a dst_room_token of `size` bytes: every field zero/NULL/false ("absent") and
/// `struct_size` = `size`. `dst_room_token_init(t)` calls it with `sizeof *(t)`; equivalent to
/// `*t = DST_ROOM_TOKEN_INIT`, which needs no call.
///
/// @param token the struct to initialise; must not be NULL; `size` writable bytes.
/// @param size the struct's size as the caller compiled it, `sizeof(dst_room_token)`: one the
///        library accepts (see dst_room_token's `struct_size` rule); another is refused
///        (DST_ERR_INVALID_ARGUMENT) and nothing is written.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_ARGUMENT; DST_ERR_INTERNAL.
///
/// Ownership: nothing is transferred; the struct is the caller's.
/// Thread safety: may be called from any thread; no other thread may use `token` meanwhile.
/// Stack (release build): at most 4 KiB of the calling thread's stack.
#[no_mangle]
pub unsafe extern "C" fn dst_room_token_init_size(
    token: *mut dst_room_token,
    size: usize,
) -> dst_status {
    call("dst_room_token_init_size", || unsafe {
        init_size(token, size)
    })
}

/// Zeroes `size` bytes at `token` (NULL pointers, zero numbers, false: every field absent) and
/// sets `struct_size`.
unsafe fn init_size(token: *mut dst_room_token, size: usize) -> Result<()> {
    Out::new(token, "token")?;
    if !size_accepted(size) {
        return Err(Error::invalid(format!(
            "argument `size` is {size}, not a dst_room_token size this library accepts \
             ({V1_SIZE}, {V2_SIZE}, {V3_SIZE}, or a later version's); pass sizeof(dst_room_token)"
        ))
        .why(Reason::BadStructSize, Arg::Size)
        .nums(crate::sign::to_i64(size), crate::sign::to_i64(V3_SIZE)));
    }
    // SAFETY: the caller provides `size` writable bytes at `token` (checked non-NULL, aligned
    // as a dst_room_token); all-zero bytes are a valid value of every field.
    unsafe {
        std::ptr::write_bytes(token.cast::<u8>(), 0, size);
        token.cast::<usize>().write(size);
    }
    Ok(())
}

/// Mints the room token `token` describes, signed with `key`, as a new string: one call
/// instead of dst_claims_new(), a setter per claim, dst_sign() and dst_claims_free(). The
/// token is byte-identical to the one that setter path makes for the same claims.
///
/// @param token the token's claims and times; must not be NULL; initialised with
///        DST_ROOM_TOKEN_INIT or dst_room_token_init(). `team_id` and `room` are required; every
///        string must be NUL-terminated UTF-8.
/// @param key the signing key; must not be NULL.
/// @param token_out receives the NUL-terminated token; must not be NULL; written only on
///        success.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT (`token`, `key` or `token_out` NULL);
///         DST_ERR_INVALID_UTF8 (the message names the field); DST_ERR_MISSING_CLAIM
///         (`team_id` or `room` NULL); DST_ERR_INVALID_ARGUMENT (`struct_size` not a known
///         version's or later fields not zero, empty `team_id`/`room`, no expiry (neither
///         `expires_at` nor `lifetime_seconds`) without `no_expiry`, `no_expiry` together with
///         an expiry, explicit times together with `lifetime_seconds`,
///         `not_before_skew_seconds` without `lifetime_seconds`, zero/negative lifetime or
///         negative skew, a time or `now` outside [0, DST_MAX_SIGN_TIME] (the message says
///         when it looks like milliseconds), `exp` earlier than `nbf` or `iat`, `exp` not after
///         `now`: already expired, the message gives when); DST_ERR_INTERNAL.
///
/// Ownership: `token` (and its strings) and `key` are borrowed. The caller owns `*token_out`
/// and frees it with dst_string_free().
/// Thread safety: any number of threads may mint with the same `key` (and the same `token`,
/// while no thread writes it) at once.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input
/// (the 1 KiB below the call wiped after the key was used included), so it may run on a
/// thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_mint(
    token: *const dst_room_token,
    key: *const dst_key,
    token_out: *mut *mut c_char,
) -> dst_status {
    call("dst_mint", || {
        let mut t = Fields::default();
        unsafe { room_fields(token, &mut t) }?;
        let key = unsafe { handle(key, "key") }?;
        let out = Out::new(token_out, "token_out")?;
        // One allocation: the token and its NUL, minted in place.
        let len = crate::mint::fields_len(&t)?;
        let mut buf = vec![0u8; len + 1];
        crate::mint::mint_fields_into(&t, &key.0, &mut buf[..len])?;
        // SAFETY: mint_into wrote only base64url characters and dots into buf[..len] (never a
        // NUL), and buf[len] is the 0 the vector was made with: exactly one NUL, at the end.
        let jwt = unsafe { CString::from_vec_with_nul_unchecked(buf) };
        out.write(jwt.into_raw());
        Ok(())
    })
}

/// Mints the room token `token` describes into the caller's buffer, without allocating: the
/// token and a terminating NUL are written to `buf`. Same token as dst_mint().
///
/// Size protocol (as dst_sign_into()): call with `buf = NULL, cap = 0` to learn the length; it
/// returns DST_ERR_BUFFER_TOO_SMALL and sets `*len_out` to the token length (without the NUL),
/// so a buffer of `*len_out + 1` bytes suffices. Any `cap` below that also returns
/// DST_ERR_BUFFER_TOO_SMALL with `*len_out` set, and leaves `buf` untouched.
///
/// @param token the token's claims and times; must not be NULL (see dst_mint()).
/// @param key the signing key; must not be NULL.
/// @param buf where to write the token; may be NULL only when `cap` is 0; must not overlap
///        `token`, its strings (NUL included), `key` or `*len_out` (refused with
///        DST_ERR_INVALID_ARGUMENT: the token would be written over its own input).
/// @param cap the number of writable bytes at `buf`; at most PTRDIFF_MAX (a larger value, such
///        as SIZE_MAX, is not the size of any buffer and is refused).
/// @param len_out receives the token length without the NUL (on success, and on
///        DST_ERR_BUFFER_TOO_SMALL); must not be NULL.
/// @return DST_OK; DST_ERR_BUFFER_TOO_SMALL; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8;
///         DST_ERR_MISSING_CLAIM; DST_ERR_INVALID_ARGUMENT (as dst_mint(), and `cap` above
///         PTRDIFF_MAX or running `buf` past the end of the address space, and `buf..buf+cap`
///         overlapping another argument); DST_ERR_INTERNAL.
///
/// Ownership: everything is borrowed; nothing is allocated.
/// Thread safety: as dst_mint().
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input
/// (the 1 KiB below the call wiped after the key was used included), so it may run on a
/// thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_mint_into(
    token: *const dst_room_token,
    key: *const dst_key,
    buf: *mut c_char,
    cap: usize,
    len_out: *mut usize,
) -> dst_status {
    call("dst_mint_into", || {
        let mut t = Fields::default();
        unsafe { room_fields(token, &mut t) }?;
        let key = unsafe { handle(key, "key") }?;
        // The struct (as long as its struct_size, checked by room_fields), each string with
        // its NUL, and the key: none may share a byte with the output buffer.
        // SAFETY: `token` was checked non-NULL and its size read by room_fields.
        let struct_size = unsafe { token.cast::<usize>().read() };
        let mut inputs: [InputSpan; 10] = [(0, 0, ""); 10];
        inputs[0] = (token as usize, struct_size, "`token`");
        inputs[1] = span_of(std::ptr::from_ref(key), "`key`");
        for (i, (s, name)) in t.strings.iter().zip(STRING_NAMES).enumerate() {
            if let Some(s) = s {
                let bytes = s.bytes();
                inputs[2 + i] = (bytes.as_ptr() as usize, bytes.len() + 1, name);
            }
        }
        unsafe {
            write_token_into(buf, cap, len_out, &inputs, |dst| {
                crate::mint::mint_fields_into(&t, &key.0, dst)
            })
        }
    })
}

/// Mints the room token `token` describes and returns the URL that opens its room with it:
/// `https://<team>.digitalsamba.com/<room>?token=<token>` (or `https://<custom domain>/...`),
/// the room being `token->room`. One call instead of dst_mint() + dst_join_url().
///
/// @param token the token's claims and times; must not be NULL (see dst_mint()).
/// @param key the signing key; must not be NULL.
/// @param team team subdomain (a DNS label, lowercased) or custom domain (a hostname with a
///        dot, lowercased; no port, no IP literal), as in dst_join_url(); must not be NULL.
/// @param url_out receives the URL; must not be NULL; written only on success.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_MISSING_CLAIM;
///         DST_ERR_INVALID_ARGUMENT (as dst_mint(), or as dst_join_url() for `team` and the
///         room); DST_ERR_INTERNAL.
///
/// Ownership: arguments are borrowed. The caller owns `*url_out` and frees it with
/// dst_string_free().
/// Thread safety: as dst_mint().
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input
/// (the 1 KiB below the call wiped after the key was used included), so it may run on a
/// thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_mint_url(
    token: *const dst_room_token,
    key: *const dst_key,
    team: *const c_char,
    url_out: *mut *mut c_char,
) -> dst_status {
    call("dst_mint_url", || {
        let t = unsafe { room_token(token) }?;
        let key = unsafe { handle(key, "key") }?;
        let team = unsafe { str_arg(team, "team") }?;
        let out = Out::new(url_out, "url_out")?;
        let url = crate::mint::mint_url(&t, &key.0, team)?;
        out.write(super::c_string(url, "URL")?);
        Ok(())
    })
}
