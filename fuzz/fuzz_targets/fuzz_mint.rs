//! The one-call mint through the C ABI with arbitrary field bytes (invalid UTF-8 included),
//! arbitrary times and modes, struct_size variants (version 1 and 2, later, invalid), no_expiry, and buffer capacities. Invariants: no crash;
//! dst_mint, dst_mint_into and dst_mint_url agree; the buffer protocol holds (too small: the
//! needed length reported, the buffer untouched); a minted token is byte-identical to the
//! dst_claims setter path and verifies.
#![no_main]
use dstoken::ffi::*;
use libfuzzer_sys::fuzz_target;
use std::ffi::{c_char, CStr, CString};
use std::ptr::{null, null_mut};

const KEY: &[u8] = b"fuzz-key-0123456789abcdef";

type StrSetter = unsafe extern "C" fn(*mut dst_claims, *const c_char) -> dst_status;
const SETTERS: [StrSetter; 8] = [
    dst_claims_set_team_id,
    dst_claims_set_room,
    dst_claims_set_user_name,
    dst_claims_set_user_id,
    dst_claims_set_initials,
    dst_claims_set_role,
    dst_claims_set_breakout_id,
    dst_claims_set_avatar,
];

/// Takes `n` bytes from the front of the input (fewer at its end).
fn take<'a>(data: &mut &'a [u8], n: usize) -> &'a [u8] {
    let n = n.min(data.len());
    let (head, tail) = data.split_at(n);
    *data = tail;
    head
}

fn i64_from(data: &mut &[u8]) -> i64 {
    let mut b = [0u8; 8];
    let got = take(data, 8);
    b[..got.len()].copy_from_slice(got);
    i64::from_le_bytes(b)
}

/// A time: mostly 0 or plausible, sometimes any i64.
fn time(data: &mut &[u8]) -> i64 {
    let sel = take(data, 1).first().copied().unwrap_or(0);
    match sel % 4 {
        0 => 0,
        1 => 1_700_000_000 + i64::from(sel),
        2 => i64::from(i8::from_le_bytes([sel])),
        _ => i64_from(data),
    }
}

fn builder(strings: &[Option<CString>], times: [i64; 3], key: *const dst_key) -> Result<String, dst_status> {
    unsafe {
        let c = dst_claims_new();
        let run = || -> Result<String, dst_status> {
            let ok = |s| if s == dst_status::DST_OK { Ok(()) } else { Err(s) };
            for (s, set) in strings.iter().zip(SETTERS) {
                if let Some(s) = s {
                    ok(set(c, s.as_ptr()))?;
                }
            }
            let time_setters: [unsafe extern "C" fn(*mut dst_claims, i64) -> dst_status; 3] = [
                dst_claims_set_issued_at,
                dst_claims_set_not_before,
                dst_claims_set_expires_at,
            ];
            for (t, set) in times.iter().zip(time_setters) {
                if *t != 0 {
                    ok(set(c, *t))?;
                }
            }
            let mut out = null_mut();
            ok(dst_sign(c, key, &mut out))?;
            let s = CStr::from_ptr(out).to_str().unwrap().to_owned();
            dst_string_free(out);
            Ok(s)
        };
        let r = run();
        dst_claims_free(c);
        r
    }
}


#[path = "common/verify.rs"]
mod common;
use common::verify_any;

fuzz_target!(|input: &[u8]| {
    let mut data = input;
    let flags = u16::from_le_bytes([
        take(&mut data, 1).first().copied().unwrap_or(0),
        take(&mut data, 1).first().copied().unwrap_or(0),
    ]);
    // Eight optional fields of arbitrary bytes (NULs dropped: a C string ends at one).
    let strings: Vec<Option<CString>> = (0..8)
        .map(|i| {
            if flags & (1 << i) == 0 {
                return None;
            }
            let len = usize::from(take(&mut data, 1).first().copied().unwrap_or(0) % 64);
            let mut bytes = take(&mut data, len).to_vec();
            bytes.retain(|&b| b != 0);
            Some(CString::new(bytes).unwrap())
        })
        .collect();
    let ptr = |i: usize| strings[i].as_ref().map_or(null(), |s| s.as_ptr());
    unsafe {
        let mut key = null_mut();
        assert_eq!(dst_key_new(KEY.as_ptr(), KEY.len(), &mut key), dst_status::DST_OK);
        #[repr(C)]
        struct Bigger {
            v2: dst_room_token,
            tail: [u8; 16],
        }
        let mut big = Bigger {
            v2: std::mem::zeroed(),
            tail: [0; 16],
        };
        assert_eq!(dst_room_token_init_size(&mut big.v2, std::mem::size_of::<dst_room_token>()), dst_status::DST_OK);
        let t = &mut big.v2;
        t.team_id = ptr(0);
        t.room = ptr(1);
        t.user_name = ptr(2);
        t.user_id = ptr(3);
        t.initials = ptr(4);
        t.role = ptr(5);
        t.breakout_id = ptr(6);
        t.avatar = ptr(7);
        t.issued_at = time(&mut data);
        t.not_before = time(&mut data);
        t.expires_at = time(&mut data);
        if flags & (1 << 8) != 0 {
            t.lifetime_seconds = time(&mut data);
            t.not_before_skew_seconds = time(&mut data);
            t.now = time(&mut data);
            if t.now == 0 {
                t.now = 1_700_000_000; // keep the system clock out of the comparison
            }
        } else {
            // Explicit mode: the time exp must be after (0: the system clock).
            t.now = time(&mut data);
        }
        // Asking for a token without exp (refused unless there is no expiry; otherwise an
        // expiry is required).
        t.no_expiry = take(&mut data, 1).first().is_some_and(|b| b & 1 == 1);
        // struct_size: ours, a later version's (tail zero or not), or smaller (version 1's,
        // without no_expiry, or an invalid one).
        let size_sel = (flags >> 9) & 3;
        let v2 = std::mem::size_of::<dst_room_token>();
        t.struct_size = match size_sel {
            0 | 1 => v2,
            2 => std::mem::size_of::<Bigger>(),
            _ => v2 - 1 - usize::from(take(&mut data, 1).first().copied().unwrap_or(0)) % v2,
        };
        if size_sel == 2 && flags & (1 << 11) != 0 {
            big.tail[usize::from(flags >> 12)] = 1;
        }
        let t = &big.v2;

        let mut token = null_mut();
        let status = dst_mint(t, key, &mut token);
        let cap = usize::from(take(&mut data, 1).first().copied().unwrap_or(255)) * 2;
        let mut buf = vec![b'#' as c_char; cap + 1];
        let mut len = usize::MAX;
        let into = dst_mint_into(t, key, buf.as_mut_ptr(), cap, &mut len);
        let mut url = null_mut();
        let url_status = dst_mint_url(t, key, c"acme".as_ptr(), &mut url);
        if status == dst_status::DST_OK {
            let jwt = CStr::from_ptr(token).to_str().unwrap().to_owned();
            dst_string_free(token);
            if cap > jwt.len() {
                assert_eq!(into, dst_status::DST_OK);
                assert_eq!(len, jwt.len());
                assert_eq!(CStr::from_ptr(buf.as_ptr()).to_str().unwrap(), jwt);
            } else {
                assert_eq!(into, dst_status::DST_ERR_BUFFER_TOO_SMALL);
                assert_eq!(len, jwt.len());
                assert!(buf.iter().all(|&b| b == b'#' as c_char));
            }
            // dst_mint_url can only add a room-segment error ("." or "..").
            if url_status == dst_status::DST_OK {
                let u = CStr::from_ptr(url).to_str().unwrap().to_owned();
                dst_string_free(url);
                assert!(u.ends_with(&format!("?token={jwt}")));
            } else {
                assert_eq!(url_status, dst_status::DST_ERR_INVALID_ARGUMENT);
            }
            // Byte-identical to the setter path (relative mode as the explicit times it means;
            // 0 is "absent" on the setter path, so a relative time that comes out as 0 is
            // not comparable there).
            let times = if t.lifetime_seconds != 0 {
                let nbf = if t.not_before_skew_seconds != 0 {
                    Some(t.now - t.not_before_skew_seconds)
                } else {
                    None
                };
                [Some(t.now), nbf, Some(t.now + t.lifetime_seconds)]
            } else {
                [t.issued_at, t.not_before, t.expires_at].map(|x| (x != 0).then_some(x))
            };
            if !times.contains(&Some(0)) {
                let explicit = times.map(|x| x.unwrap_or(0));
                assert_eq!(builder(&strings, explicit, key).as_deref(), Ok(jwt.as_str()));
            }
            let times = times.map(|x| x.unwrap_or(0));
            // And it verifies at a time inside its window.
            let now = times[0].max(times[1]);
            let mut claims = null_mut();
            let jwt_c = CString::new(jwt).unwrap();
            let v = verify_any(jwt_c.as_ptr(), key, now, 0, &mut claims);
            assert!(
                v == dst_status::DST_OK || v == dst_status::DST_ERR_EXPIRED,
                "{v:?}"
            );
            dst_claims_free(claims);
        } else {
            assert!(token.is_null());
            assert_eq!(into, status);
            assert_eq!(url_status, status);
            assert!(url.is_null());
        }
        dst_key_free(key);
    }
});
