//! Arbitrary bytes as a token, through the C ABI (NUL-terminated copy) and the Rust core:
//! never a crash or hang, never success without the key's signature.
#![no_main]
use dstoken::ffi::*;
use libfuzzer_sys::fuzz_target;
use std::ptr::null_mut;
use std::sync::OnceLock;

fn key() -> &'static dstoken::SigningKey {
    static KEY: OnceLock<dstoken::SigningKey> = OnceLock::new();
    KEY.get_or_init(|| dstoken::SigningKey::new(b"fuzz-key").expect("key"))
}

fuzz_target!(|data: &[u8]| {
    // The C boundary: any bytes (NUL ends the string early, as in C).
    let mut c = data.to_vec();
    c.push(0);
    unsafe {
        let mut k = null_mut();
        assert_eq!(
            dst_key_new(b"fuzz-key".as_ptr(), 8, &mut k),
            dst_status::DST_OK
        );
        let mut out = null_mut();
        let s = dst_verify(c.as_ptr().cast(), k, 1_767_225_600, 60, &mut out);
        assert!(s == dst_status::DST_OK || out.is_null());
        dst_claims_free(out);
        dst_key_free(k);
    }
    if let Ok(token) = std::str::from_utf8(data) {
        if let Ok(claims) = dstoken::verify(token, key(), 0, u32::MAX) {
            // Only a token signed with the key can get here (the seeds include some): its
            // claims must re-sign and verify again.
            if claims.get("td").is_some() && claims.get("rd").is_some() {
                if let Ok(again) = dstoken::sign(&claims, key()) {
                    assert!(dstoken::verify(&again, key(), 0, u32::MAX).is_ok());
                }
            }
        }
    }
});
