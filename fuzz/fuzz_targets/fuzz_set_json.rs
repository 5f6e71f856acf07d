//! Arbitrary bytes to dst_claims_set_json (through the C ABI, so a NUL ends the text as in C):
//! either a clean status, or a claim whose stored JSON is valid, stable when set again, and
//! survives sign -> verify exactly.
#![no_main]
use dstoken::ffi::*;
use libfuzzer_sys::fuzz_target;
use std::ffi::{c_char, CStr};
use std::ptr::null_mut;


#[path = "common/verify.rs"]
mod common;
use common::verify_any;

fuzz_target!(|data: &[u8]| {
    let mut text = data.to_vec();
    text.push(0);
    let name = b"x\0".as_ptr().cast::<c_char>();
    unsafe {
        let c = dst_claims_new();
        let status = dst_claims_set_json(c, name, text.as_ptr().cast());
        if status != dst_status::DST_OK {
            assert!(matches!(
                status,
                dst_status::DST_ERR_INVALID_ARGUMENT | dst_status::DST_ERR_INVALID_UTF8
            ));
            dst_claims_free(c);
            return;
        }
        let mut stored = null_mut();
        assert_eq!(
            dst_claims_get_json(c, name, &mut stored),
            dst_status::DST_OK
        );
        let stored_text = CStr::from_ptr(stored)
            .to_str()
            .expect("stored JSON is UTF-8")
            .to_owned();
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&stored_text) {
            // dstoken keeps numbers exactly as written (1e400 included), which serde_json's
            // f64 numbers cannot hold; its recursion limit is its own.
            let m = e.to_string();
            assert!(
                m.contains("number out of range") || m.contains("recursion limit"),
                "stored JSON does not parse: {m}"
            );
        }
        let again = dst_claims_new();
        assert_eq!(
            dst_claims_set_json(again, name, stored),
            dst_status::DST_OK,
            "stored JSON is accepted again"
        );
        let mut stored2 = null_mut();
        assert_eq!(
            dst_claims_get_json(again, name, &mut stored2),
            dst_status::DST_OK
        );
        assert_eq!(
            CStr::from_ptr(stored2).to_bytes(),
            stored_text.as_bytes(),
            "re-setting changes nothing"
        );
        assert_eq!(
            dst_claims_set_team_id(c, b"t\0".as_ptr().cast()),
            dst_status::DST_OK
        );
        assert_eq!(
            dst_claims_set_room(c, b"r\0".as_ptr().cast()),
            dst_status::DST_OK
        );
        let mut key = null_mut();
        assert_eq!(dst_key_new(b"k".as_ptr(), 1, &mut key), dst_status::DST_OK);
        let mut token = null_mut();
        assert_eq!(dst_sign(c, key, &mut token), dst_status::DST_OK);
        let mut back = null_mut();
        assert_eq!(verify_any(token, key, 0, 0, &mut back), dst_status::DST_OK);
        let (mut j1, mut j2) = (null_mut(), null_mut());
        assert_eq!(dst_claims_to_json(c, &mut j1), dst_status::DST_OK);
        assert_eq!(dst_claims_to_json(back, &mut j2), dst_status::DST_OK);
        assert_eq!(CStr::from_ptr(j1), CStr::from_ptr(j2));
        for s in [stored, stored2, token, j1, j2] {
            dst_string_free(s);
        }
        dst_claims_free(back);
        dst_claims_free(again);
        dst_claims_free(c);
        dst_key_free(key);
    }
});
