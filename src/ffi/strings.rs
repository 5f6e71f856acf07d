//! Library-owned strings and the join URL.
use super::{c_string, call, call_infallible, dst_status, str_arg, Out};
use std::ffi::{c_char, CString};

/// Frees a string returned by dstoken (tokens, JSON, claim values, URLs). NULL is a no-op.
///
/// @param s a string from dst_sign(), dst_claims_get_string(), dst_claims_get_json(),
///        dst_claims_to_json(), dst_join_url(), dst_join_url_opts(), dst_mint() or
///        dst_mint_url(), or NULL.
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

/// Flag for dst_join_url_opts(): accept a custom domain with a port (`meet.example.com:8443`).
/// Without it a port is refused (DST_ERR_INVALID_ARGUMENT): rooms are served on the default
/// HTTPS port, and `host:port` is more often a mistake (a local test server) than a room host.
pub const DST_URL_ALLOW_PORT: u32 = 1;

/// Every flag dst_join_url_opts() knows; other bits are refused.
const URL_FLAGS: u32 = DST_URL_ALLOW_PORT;

/// Builds the URL that opens a Digital Samba room:
/// `https://<team>.digitalsamba.com/<room>?token=<token>`, or on a team's own domain
/// `https://meet.example.com/<room>?token=<token>`.
///
/// `team` is either a Digital Samba team subdomain, a DNS label (letters, digits and inner
/// hyphens, at most 63; lowercased: "ACME" gives `acme.digitalsamba.com`), or, when it
/// contains a dot, the team's custom domain: a hostname (labels as above, at most 253 bytes, no
/// trailing dot; lowercased; an internationalised name in its punycode `xn--` form, which must
/// be valid IDNA: `xn--a` is refused, as browsers refuse it). A port (`meet.example.com:8443`)
/// is refused here (see dst_join_url_opts() and DST_URL_ALLOW_PORT); IP literals are always
/// refused, rooms being served on a domain name: brackets (`[::1]`), and any host whose last
/// label the WHATWG URL parser reads as a number, so as IPv4 (`127.0.0.1`, `127.0.0.0x1`,
/// `0x7f.0x0.0x0.0x1`, `a.0177`) or refuses (`a.0x`). The room is percent-encoded as one path segment (RFC 3986
/// unreserved characters pass).
///
/// @param team team subdomain or custom domain, ASCII; must not be NULL.
/// @param room room name or UUID, UTF-8, not empty, not "." or ".."; must not be NULL.
/// @param token a token from dst_sign(), or NULL for the public-room URL without a query.
/// @param url_out receives the URL; must not be NULL; written only on success.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT
///         (`team` not a valid team subdomain or domain, with a port, or an IP address; an
///         unusable room; a token with characters a compact JWT never has); DST_ERR_INTERNAL.
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
    call("dst_join_url", || unsafe {
        join_url(team, room, token, 0, url_out)
    })
}

/// dst_join_url() with flags: DST_URL_ALLOW_PORT accepts a custom domain with a port
/// (`meet.example.com:8443`, port 1 to 65535). 0 behaves as dst_join_url().
///
/// @param team team subdomain or custom domain, as in dst_join_url(); must not be NULL.
/// @param room room name or UUID, as in dst_join_url(); must not be NULL.
/// @param token a token, or NULL for the public-room URL.
/// @param flags 0, or DST_URL_ALLOW_PORT; any other bit is refused (DST_ERR_INVALID_ARGUMENT).
/// @param url_out receives the URL; must not be NULL; written only on success.
/// @return DST_OK; DST_ERR_NULL_ARGUMENT; DST_ERR_INVALID_UTF8; DST_ERR_INVALID_ARGUMENT (as
///         dst_join_url(), a port only without DST_URL_ALLOW_PORT, or an unknown flag);
///         DST_ERR_INTERNAL.
///
/// Ownership: arguments are borrowed. The caller owns `*url_out` and frees it with
/// dst_string_free().
/// Thread safety: may be called from any thread.
/// Stack (release build): at most 4 KiB of the calling thread's stack, whatever the input,
/// so it may run on a thread of PTHREAD_STACK_MIN (16 KiB).
#[no_mangle]
pub unsafe extern "C" fn dst_join_url_opts(
    team: *const c_char,
    room: *const c_char,
    token: *const c_char,
    flags: u32,
    url_out: *mut *mut c_char,
) -> dst_status {
    call("dst_join_url_opts", || unsafe {
        join_url(team, room, token, flags, url_out)
    })
}

/// The body of dst_join_url and dst_join_url_opts.
unsafe fn join_url(
    team: *const c_char,
    room: *const c_char,
    token: *const c_char,
    flags: u32,
    url_out: *mut *mut c_char,
) -> crate::error::Result<()> {
    let team = unsafe { str_arg(team, "team") }?;
    let room = unsafe { str_arg(room, "room") }?;
    let token = if token.is_null() {
        None
    } else {
        Some(unsafe { str_arg(token, "token") }?)
    };
    let out = Out::new(url_out, "url_out")?;
    if flags & !URL_FLAGS != 0 {
        return Err(crate::error::Error::invalid(format!(
            "argument `flags` has unknown bits ({:#x}); pass 0 or DST_URL_ALLOW_PORT",
            flags & !URL_FLAGS
        )));
    }
    let opts = crate::url::UrlOptions::default().allow_port(flags & DST_URL_ALLOW_PORT != 0);
    let url = crate::url::join_url_with(team, room, token, &opts)?;
    out.write(c_string(url, "URL")?);
    Ok(())
}
