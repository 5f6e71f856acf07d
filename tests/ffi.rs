//! The C ABI exercised from Rust with raw pointers: NULLs, bad UTF-8, ownership, statuses.
use dstoken::ffi::*;
use std::ffi::{c_char, CStr, CString};
use std::ptr::{null, null_mut};

fn cs(s: &str) -> CString {
    CString::new(s).unwrap()
}

fn last_error() -> String {
    unsafe { CStr::from_ptr(dst_last_error_message()) }
        .to_str()
        .unwrap()
        .to_owned()
}

fn take(p: *mut c_char) -> String {
    assert!(!p.is_null());
    let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
    unsafe { dst_string_free(p) };
    s
}

const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

fn key() -> *mut dst_key {
    let mut k = null_mut();
    assert_eq!(
        unsafe { dst_key_new(KEY.as_ptr(), KEY.len(), &mut k) },
        dst_status::DST_OK
    );
    k
}

fn room_claims() -> *mut dst_claims {
    let c = dst_claims_new();
    unsafe {
        assert_eq!(
            dst_claims_set_team_id(c, cs("team-1").as_ptr()),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_set_room(c, cs("daily").as_ptr()),
            dst_status::DST_OK
        );
    }
    c
}

#[test]
fn sign_verify_round_trip_through_the_abi() {
    unsafe {
        let (c, k) = (room_claims(), key());
        assert_eq!(
            dst_claims_set_user_name(c, cs("Zoë 🎉 李").as_ptr()),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_set_user_id(c, cs("u-1").as_ptr()),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_set_initials(c, cs("ZL").as_ptr()),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_set_role(c, cs("moderator").as_ptr()),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_set_breakout_id(c, cs("b-2").as_ptr()),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_set_avatar(c, cs("https://x.test/a.png").as_ptr()),
            dst_status::DST_OK
        );
        assert_eq!(dst_claims_set_validity(c, 30, 3600), dst_status::DST_OK);
        assert_eq!(
            dst_claims_set_bool(c, cs("admin").as_ptr(), true),
            dst_status::DST_OK
        );
        let mut tok = null_mut();
        assert_eq!(dst_sign(c, k, &mut tok), dst_status::DST_OK);
        let token = take(tok);
        let tok_c = cs(&token);
        let mut out = null_mut();
        let now = dstoken::now_unix();
        assert_eq!(
            dst_verify(tok_c.as_ptr(), k, now, 0, &mut out),
            dst_status::DST_OK
        );
        let mut s = null_mut();
        assert_eq!(
            dst_claims_get_string(out, cs("u").as_ptr(), &mut s),
            dst_status::DST_OK
        );
        assert_eq!(take(s), "Zoë 🎉 李");
        let mut exp = 0i64;
        assert_eq!(
            dst_claims_get_int(out, cs("exp").as_ptr(), &mut exp),
            dst_status::DST_OK
        );
        assert!(exp > now + 3500);
        let mut b = false;
        assert_eq!(
            dst_claims_get_bool(out, cs("admin").as_ptr(), &mut b),
            dst_status::DST_OK
        );
        assert!(b);
        let (mut j1, mut j2) = (null_mut(), null_mut());
        assert_eq!(dst_claims_to_json(c, &mut j1), dst_status::DST_OK);
        assert_eq!(dst_claims_to_json(out, &mut j2), dst_status::DST_OK);
        assert_eq!(take(j1), take(j2));
        dst_claims_free(out);
        dst_claims_free(c);
        dst_key_free(k);
    }
}

#[test]
fn null_arguments_are_reported_by_name() {
    unsafe {
        let (c, k) = (room_claims(), key());
        let v = cs("v");
        let mut s = null_mut();
        let mut i = 0i64;
        let mut n = 0usize;
        macro_rules! null_case {
            ($call:expr, $msg:expr) => {{
                assert_eq!($call, dst_status::DST_ERR_NULL_ARGUMENT, "{}", $msg);
                assert!(last_error().contains($msg), "{} vs {}", last_error(), $msg);
            }};
        }
        null_case!(
            dst_claims_set_room(null_mut(), v.as_ptr()),
            "argument `claims` is NULL"
        );
        null_case!(dst_claims_set_room(c, null()), "argument `value` is NULL");
        null_case!(
            dst_claims_set_issued_at(null_mut(), 1),
            "argument `claims` is NULL"
        );
        null_case!(
            dst_claims_set_validity(null_mut(), 1, 1),
            "argument `claims` is NULL"
        );
        null_case!(
            dst_claims_set_string(c, null(), v.as_ptr()),
            "argument `name` is NULL"
        );
        null_case!(
            dst_claims_set_json(c, v.as_ptr(), null()),
            "argument `json_text` is NULL"
        );
        null_case!(
            dst_claims_get_string(c, v.as_ptr(), null_mut()),
            "argument `out` is NULL"
        );
        null_case!(
            dst_claims_get_int(null(), v.as_ptr(), &mut i),
            "argument `claims` is NULL"
        );
        null_case!(dst_claims_to_json(c, null_mut()), "argument `out` is NULL");
        null_case!(
            dst_key_new(null(), 0, null_mut()),
            "argument `secret` is NULL"
        );
        null_case!(
            dst_key_new(KEY.as_ptr(), 1, null_mut()),
            "argument `out` is NULL"
        );
        null_case!(dst_sign(c, null(), &mut s), "argument `key` is NULL");
        null_case!(dst_sign(c, k, null_mut()), "argument `token_out` is NULL");
        null_case!(
            dst_sign_into(c, k, null_mut(), 10, &mut n),
            "argument `buf` is NULL"
        );
        null_case!(
            dst_sign_into(c, k, null_mut(), 0, null_mut()),
            "argument `len_out` is NULL"
        );
        null_case!(
            dst_verify(null(), k, 0, 0, null_mut()),
            "argument `token` is NULL"
        );
        null_case!(
            dst_join_url(null(), v.as_ptr(), null(), &mut s),
            "argument `team` is NULL"
        );
        // Messages name the function and the argument.
        assert_eq!(
            dst_sign(c, k, null_mut()),
            dst_status::DST_ERR_NULL_ARGUMENT
        );
        assert_eq!(last_error(), "dst_sign: argument `token_out` is NULL");
        assert!(dst_claims_clone(null()).is_null());
        assert_eq!(last_error(), "dst_claims_clone: argument `claims` is NULL");
        dst_claims_free(null_mut());
        dst_key_free(null_mut());
        dst_string_free(null_mut());
        dst_claims_free(c);
        dst_key_free(k);
    }
}

#[test]
fn invalid_utf8_is_reported() {
    unsafe {
        let c = dst_claims_new();
        let bad = [0x66u8, 0xff, 0xfe, 0];
        let p = bad.as_ptr().cast::<c_char>();
        assert_eq!(
            dst_claims_set_user_name(c, p),
            dst_status::DST_ERR_INVALID_UTF8
        );
        assert!(
            last_error().contains("argument `value` is not valid UTF-8"),
            "{}",
            last_error()
        );
        assert_eq!(
            dst_claims_set_int(c, p, 1),
            dst_status::DST_ERR_INVALID_UTF8
        );
        let mut out = null_mut();
        assert_eq!(
            dst_verify(p, null(), 0, 0, &mut out),
            dst_status::DST_ERR_INVALID_UTF8
        );
        assert!(out.is_null(), "out-pointers are written only on success");
        dst_claims_free(c);
    }
}

#[test]
fn statuses_for_claims() {
    unsafe {
        let c = dst_claims_new();
        let mut s = null_mut();
        let mut i = 0;
        assert_eq!(
            dst_claims_set_int(c, cs("u").as_ptr(), 5),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert!(last_error().contains("claim \"u\""), "{}", last_error());
        assert_eq!(
            dst_claims_set_json(c, cs("x").as_ptr(), cs("{bad").as_ptr()),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert_eq!(
            dst_claims_remove(c, cs("x").as_ptr()),
            dst_status::DST_ERR_NOT_FOUND
        );
        assert_eq!(
            dst_claims_get_string(c, cs("u").as_ptr(), &mut s),
            dst_status::DST_ERR_NOT_FOUND
        );
        assert_eq!(
            dst_claims_set_int(c, cs("n").as_ptr(), 5),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_get_string(c, cs("n").as_ptr(), &mut s),
            dst_status::DST_ERR_WRONG_TYPE
        );
        assert!(s.is_null());
        assert_eq!(
            dst_claims_get_int(c, cs("n").as_ptr(), &mut i),
            dst_status::DST_OK
        );
        assert_eq!(i, 5);
        assert_eq!(
            dst_claims_set_json(c, cs("z").as_ptr(), cs("\"a\\u0000b\"").as_ptr()),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_get_string(c, cs("z").as_ptr(), &mut s),
            dst_status::DST_ERR_WRONG_TYPE
        );
        assert_eq!(
            dst_claims_get_json(c, cs("z").as_ptr(), &mut s),
            dst_status::DST_OK
        );
        assert_eq!(take(s), "\"a\\u0000b\"");
        let k = key();
        assert_eq!(dst_sign(c, k, &mut s), dst_status::DST_ERR_MISSING_CLAIM);
        assert!(last_error().contains("\"td\""));
        let mut k2 = null_mut();
        assert_eq!(
            dst_key_new(KEY.as_ptr(), 0, &mut k2),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert!(k2.is_null());
        dst_key_free(k);
        dst_claims_free(c);
    }
}

#[test]
fn sign_into_size_protocol() {
    unsafe {
        let (c, k) = (room_claims(), key());
        let mut need = 0usize;
        assert_eq!(
            dst_sign_into(c, k, null_mut(), 0, &mut need),
            dst_status::DST_ERR_BUFFER_TOO_SMALL
        );
        assert!(need > 80);
        let mut buf = vec![b'#' as c_char; need];
        let mut n = 0usize;
        assert_eq!(
            dst_sign_into(c, k, buf.as_mut_ptr(), need, &mut n),
            dst_status::DST_ERR_BUFFER_TOO_SMALL
        );
        assert_eq!(n, need);
        assert!(
            buf.iter().all(|&b| b == b'#' as c_char),
            "buffer untouched on failure"
        );
        assert!(last_error().contains("needs"), "{}", last_error());
        buf.push(b'#' as c_char);
        assert_eq!(
            dst_sign_into(c, k, buf.as_mut_ptr(), need + 1, &mut n),
            dst_status::DST_OK
        );
        assert_eq!(n, need);
        assert_eq!(buf[need], 0);
        let mut tok = null_mut();
        assert_eq!(dst_sign(c, k, &mut tok), dst_status::DST_OK);
        assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str().unwrap(), take(tok));
        dst_claims_free(c);
        dst_key_free(k);
    }
}

#[test]
fn sign_into_refuses_a_cap_no_buffer_can_have() {
    // A `cap` above PTRDIFF_MAX (isize::MAX) used to reach slice::from_raw_parts_mut: undefined
    // behaviour (a debug build aborted the process here). It is refused, nothing is written.
    unsafe {
        let (c, k) = (room_claims(), key());
        let mut buf = [b'#' as c_char; 16];
        for cap in [usize::MAX, isize::MAX as usize + 1] {
            let mut n = 7usize;
            assert_eq!(
                dst_sign_into(c, k, buf.as_mut_ptr(), cap, &mut n),
                dst_status::DST_ERR_INVALID_ARGUMENT
            );
            assert_eq!(n, 7, "len_out untouched");
            let msg = last_error();
            assert!(
                msg.starts_with("dst_sign_into: argument `cap` is") && msg.contains("PTRDIFF_MAX"),
                "{msg}"
            );
        }
        // A cap that would run the buffer past the end of the address space.
        let near_end = (usize::MAX - 8) as *mut c_char;
        let mut n = 0usize;
        assert_eq!(
            dst_sign_into(c, k, near_end, 1 << 20, &mut n),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert!(last_error().contains("address space"), "{}", last_error());
        assert!(buf.iter().all(|&b| b == b'#' as c_char));
        dst_claims_free(c);
        dst_key_free(k);
    }
}

#[test]
fn verify_statuses() {
    unsafe {
        let (c, k) = (room_claims(), key());
        assert_eq!(dst_claims_set_validity(c, 0, 60), dst_status::DST_OK);
        let mut tok = null_mut();
        assert_eq!(dst_sign(c, k, &mut tok), dst_status::DST_OK);
        let token = take(tok);
        let now = dstoken::now_unix();
        let mut out = null_mut();
        let check = |t: &str, now: i64, want: dst_status| {
            let mut out = null_mut();
            assert_eq!(dst_verify(cs(t).as_ptr(), k, now, 0, &mut out), want, "{t}");
            dst_claims_free(out);
        };
        check(&token, now, dst_status::DST_OK);
        check(&token, now + 120, dst_status::DST_ERR_EXPIRED);
        check(&token, now - 120, dst_status::DST_ERR_NOT_YET_VALID);
        check("a.b", now, dst_status::DST_ERR_MALFORMED_TOKEN);
        check(
            &token.replace('.', "x"),
            now,
            dst_status::DST_ERR_MALFORMED_TOKEN,
        );
        let none = format!("eyJhbGciOiJub25lIn0.{}.", token.split('.').nth(1).unwrap());
        check(&none, now, dst_status::DST_ERR_UNSUPPORTED_ALGORITHM);
        let mut other = null_mut();
        assert_eq!(
            dst_key_new(b"x".as_ptr(), 1, &mut other),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_verify(cs(&token).as_ptr(), other, now, 0, &mut out),
            dst_status::DST_ERR_BAD_SIGNATURE
        );
        assert!(out.is_null());
        assert!(
            !last_error().contains("0123456789abcdef"),
            "never echo key bytes"
        );
        dst_key_free(other);
        dst_claims_free(c);
        dst_key_free(k);
    }
}

#[test]
fn join_url_version_and_status_names() {
    unsafe {
        let mut url = null_mut();
        assert_eq!(
            dst_join_url(
                cs("acme").as_ptr(),
                cs("my room").as_ptr(),
                cs("a.b.c").as_ptr(),
                &mut url
            ),
            dst_status::DST_OK
        );
        assert_eq!(
            take(url),
            "https://acme.digitalsamba.com/my%20room?token=a.b.c"
        );
        assert_eq!(
            dst_join_url(cs("acme").as_ptr(), cs("r").as_ptr(), null(), &mut url),
            dst_status::DST_OK
        );
        assert_eq!(take(url), "https://acme.digitalsamba.com/r");
        assert_eq!(
            dst_join_url(cs("a/b").as_ptr(), cs("r").as_ptr(), null(), &mut url),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        // Custom domains: lowercased; a port only with DST_URL_ALLOW_PORT; no IP literal.
        for (team, flags, want) in [
            ("ACME", 0, Some("https://acme.digitalsamba.com/r")),
            ("Meet.Example.com", 0, Some("https://meet.example.com/r")),
            ("meet.example.com:8443", 0, None),
            (
                "meet.example.com:8443",
                DST_URL_ALLOW_PORT,
                Some("https://meet.example.com:8443/r"),
            ),
            ("127.0.0.1:8080", 0, None),
            ("127.0.0.1:8080", DST_URL_ALLOW_PORT, None),
            ("acme", 4, None),
        ] {
            url = null_mut();
            let status =
                dst_join_url_opts(cs(team).as_ptr(), cs("r").as_ptr(), null(), flags, &mut url);
            match want {
                Some(w) => {
                    assert_eq!(status, dst_status::DST_OK, "{team}");
                    assert_eq!(take(url), w);
                }
                None => {
                    assert_eq!(
                        status,
                        dst_status::DST_ERR_INVALID_ARGUMENT,
                        "{team} {flags}"
                    );
                    assert!(url.is_null());
                    let msg = CStr::from_ptr(dst_last_error_message()).to_string_lossy();
                    assert!(msg.starts_with("dst_join_url_opts: "), "{msg}");
                }
            }
        }
        assert_eq!(
            CStr::from_ptr(dst_version()).to_str().unwrap(),
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(
            CStr::from_ptr(dst_status_name(0)).to_str().unwrap(),
            "DST_OK"
        );
        assert_eq!(
            CStr::from_ptr(dst_status_name(8)).to_str().unwrap(),
            "DST_ERR_BAD_SIGNATURE"
        );
        assert_eq!(
            CStr::from_ptr(dst_status_name(13)).to_str().unwrap(),
            "DST_ERR_INTERNAL"
        );
        assert_eq!(
            CStr::from_ptr(dst_status_name(14)).to_str().unwrap(),
            "DST_ERR_CLAIM_MISMATCH"
        );
        for bad in [-1, 15, i32::MAX, i32::MIN] {
            assert_eq!(
                CStr::from_ptr(dst_status_name(bad)).to_str().unwrap(),
                "unknown status"
            );
        }
    }
}

#[test]
fn last_error_is_thread_local_and_empty_at_start() {
    let fresh = std::thread::spawn(last_error).join().unwrap();
    assert_eq!(fresh, "");
    unsafe {
        assert_eq!(
            dst_claims_set_room(null_mut(), null()),
            dst_status::DST_ERR_NULL_ARGUMENT
        );
    }
    let other = std::thread::spawn(last_error).join().unwrap();
    assert_eq!(other, "");
    assert!(last_error().starts_with("dst_claims_set_room:"));
}

#[test]
fn clone_is_deep() {
    unsafe {
        let c = room_claims();
        let d = dst_claims_clone(c);
        assert_eq!(
            dst_claims_set_room(d, cs("other").as_ptr()),
            dst_status::DST_OK
        );
        let mut s = null_mut();
        assert_eq!(
            dst_claims_get_string(c, cs("rd").as_ptr(), &mut s),
            dst_status::DST_OK
        );
        assert_eq!(take(s), "daily");
        dst_claims_free(c);
        dst_claims_free(d);
    }
}

/// Through the C ABI: exact numbers, NumericDate spellings, one set
/// of limits for signing and verifying, and time messages.
#[test]
fn limits_numbers_and_times_through_the_abi() {
    unsafe {
        let (c, k) = (room_claims(), key());
        let get_json = |c: *const dst_claims, name: &str| {
            let mut out = null_mut();
            assert_eq!(
                dst_claims_get_json(c, cs(name).as_ptr(), &mut out),
                dst_status::DST_OK
            );
            take(out)
        };
        // Item 5: a 30-digit integer keeps every digit; get_int refuses to round it.
        let big = "123456789012345678901234567891";
        assert_eq!(
            dst_claims_set_json(c, cs("uid").as_ptr(), cs(big).as_ptr()),
            dst_status::DST_OK
        );
        assert_eq!(get_json(c, "uid"), big);
        let mut n = 0i64;
        assert_eq!(
            dst_claims_get_int(c, cs("uid").as_ptr(), &mut n),
            dst_status::DST_ERR_WRONG_TYPE
        );
        assert!(last_error().contains("get_json"), "{}", last_error());
        // Item 6: the time setters stop at +/-(2^53 - 1); set_json takes any number there.
        assert_eq!(
            dst_claims_set_expires_at(c, DST_MAX_TIME_SECONDS + 1),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert!(last_error().contains("dst_claims_set_expires_at"));
        assert_eq!(
            dst_claims_set_json(c, cs("exp").as_ptr(), cs("1700003600.5").as_ptr()),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_get_int(c, cs("exp").as_ptr(), &mut n),
            dst_status::DST_ERR_WRONG_TYPE
        );
        // Item 7: a value nested DST_MAX_JSON_DEPTH deep signs and verifies; one more is refused.
        let nest = |d: usize| "[".repeat(d) + &"]".repeat(d);
        assert_eq!(
            dst_claims_set_json(
                c,
                cs("deep").as_ptr(),
                cs(&nest(DST_MAX_JSON_DEPTH)).as_ptr()
            ),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_set_json(
                c,
                cs("deeper").as_ptr(),
                cs(&nest(DST_MAX_JSON_DEPTH + 1)).as_ptr()
            ),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        let mut token = null_mut();
        assert_eq!(dst_sign(c, k, &mut token), dst_status::DST_OK);
        let token = cs(&take(token));
        let mut back = null_mut();
        assert_eq!(
            dst_verify(token.as_ptr(), k, 1_700_003_600, 0, &mut back),
            dst_status::DST_OK
        );
        assert_eq!(get_json(back, "uid"), big);
        assert_eq!(get_json(back, "exp"), "1700003600.5");
        dst_claims_free(back);
        // Item 11: the message says when, how long ago, now and the leeway.
        assert_eq!(
            dst_verify(token.as_ptr(), k, 1_700_003_601, 0, &mut back),
            dst_status::DST_ERR_EXPIRED
        );
        assert_eq!(
            last_error(),
            "dst_verify: the token expired at 2023-11-14T23:13:20.500Z (exp 1700003600.5), \
             0.500 s ago (now 1700003601 = 2023-11-14T23:13:21Z, leeway 0 s)"
        );
        // Item 7: a token over DST_MAX_TOKEN_LENGTH is not signed, by either function.
        let pad = "x".repeat(DST_MAX_TOKEN_LENGTH);
        assert_eq!(
            dst_claims_set_string(c, cs("pad").as_ptr(), cs(&pad).as_ptr()),
            dst_status::DST_OK
        );
        let mut token = null_mut();
        assert_eq!(
            dst_sign(c, k, &mut token),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert!(token.is_null());
        assert!(
            last_error().contains("DST_MAX_TOKEN_LENGTH"),
            "{}",
            last_error()
        );
        let mut buf = vec![0 as c_char; 4 * DST_MAX_TOKEN_LENGTH];
        let mut len = 7usize;
        assert_eq!(
            dst_sign_into(c, k, buf.as_mut_ptr(), buf.len(), &mut len),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        assert_eq!(len, 7, "len_out untouched");
        assert_eq!(
            dst_sign_into(c, k, null_mut(), 0, &mut len),
            dst_status::DST_ERR_INVALID_ARGUMENT
        );
        dst_claims_free(c);
        dst_key_free(k);
    }
}
