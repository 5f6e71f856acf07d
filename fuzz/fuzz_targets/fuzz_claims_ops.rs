//! A sequence of C-ABI setter/remover calls decoded from the input, then sign + verify: the
//! claims must come back exactly, and the JSON/base64 kept incrementally must stay exact.
#![no_main]
use dstoken::ffi::*;
use libfuzzer_sys::fuzz_target;
use std::ffi::{c_char, CStr};
use std::ptr::null_mut;

const NAMES: [&[u8]; 14] = [
    b"td\0",
    b"rd\0",
    b"u\0",
    b"ud\0",
    b"initials\0",
    b"role\0",
    b"breakoutId\0",
    b"avatar\0",
    b"iat\0",
    b"nbf\0",
    b"exp\0",
    b"a\0",
    b"custom\0",
    b"\xc3\xa9\0",
];


#[path = "common/verify.rs"]
mod common;
use common::verify_any;

fuzz_target!(|data: &[u8]| {
    unsafe {
        let c = dst_claims_new();
        let mut ops = data;
        while let [op, name, len, rest @ ..] = ops {
            let name = NAMES[usize::from(*name) % NAMES.len()]
                .as_ptr()
                .cast::<c_char>();
            let n = usize::from(*len % 24).min(rest.len());
            let mut value = rest[..n].to_vec();
            ops = &rest[n..];
            value.retain(|&b| b != 0);
            value.push(0);
            let v = value.as_ptr().cast::<c_char>();
            let number = i64::from_le_bytes({
                let mut b = [0u8; 8];
                let m = rest[..n].len().min(8);
                b[..m].copy_from_slice(&rest[..m]);
                b
            });
            let _ = match op % 8 {
                0 => dst_claims_set_string(c, name, v),
                1 => dst_claims_set_int(c, name, number),
                2 => dst_claims_set_bool(c, name, number & 1 == 1),
                3 => dst_claims_set_json(c, name, v),
                4 => dst_claims_remove(c, name),
                5 => dst_claims_set_user_id(c, v),
                6 => dst_claims_set_validity(c, number & 0xffff, (number >> 16) & 0xffff),
                _ => dst_claims_set_room(c, v),
            };
        }
        let mut json = null_mut();
        assert_eq!(dst_claims_to_json(c, &mut json), dst_status::DST_OK);
        let text = CStr::from_ptr(json).to_str().expect("UTF-8");
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(parsed) => assert!(parsed.is_object()),
            // Numbers are kept exactly as written (1e400 too), beyond serde_json's f64; its
            // recursion limit is its own.
            Err(e) => {
                let m = e.to_string();
                assert!(
                    m.contains("number out of range") || m.contains("recursion limit"),
                    "payload JSON does not parse: {m}"
                );
            }
        }
        let mut k = null_mut();
        assert_eq!(dst_key_new(b"k".as_ptr(), 1, &mut k), dst_status::DST_OK);
        let mut token = null_mut();
        if dst_sign(c, k, &mut token) == dst_status::DST_OK {
            // The token's payload is exactly the JSON kept incrementally.
            let t = CStr::from_ptr(token).to_str().expect("ASCII");
            let mut back = null_mut();
            let mut exp = 0i64;
            let now = if dst_claims_get_int(c, b"exp\0".as_ptr().cast(), &mut exp)
                == dst_status::DST_OK
            {
                exp - 1
            } else {
                0
            };
            let s = verify_any(token, k, now, u32::MAX, &mut back);
            if s == dst_status::DST_OK {
                let mut json2 = null_mut();
                assert_eq!(dst_claims_to_json(back, &mut json2), dst_status::DST_OK);
                assert_eq!(CStr::from_ptr(json2).to_bytes(), text.as_bytes(), "{t}");
                dst_string_free(json2);
            } else {
                assert!(
                    matches!(
                        s,
                        dst_status::DST_ERR_EXPIRED | dst_status::DST_ERR_NOT_YET_VALID
                    ),
                    "{s:?}"
                );
            }
            dst_claims_free(back);
            dst_string_free(token);
        }
        dst_string_free(json);
        dst_key_free(k);
        dst_claims_free(c);
    }
});
