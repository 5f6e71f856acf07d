//! A fixed loop over one C-ABI operation, for `valgrind --tool=callgrind` instruction counts
//! per token (bench/profile.sh). Usage:
//! profile_loop sign_into|sign|verify|mint_into|hmac [iterations]
//! (`mint_into`: the one-call mint with fresh values, as mint_ratio times it; `hmac`: bare
//! RustCrypto HMAC-SHA256 over the same 244-byte signing input, the baseline.)
use dstoken::ffi::*;
use dstoken_bench::*;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::ffi::{c_char, CString};
use std::hint::black_box;
use std::ptr::null_mut;

fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "sign_into".into());
    let n: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    unsafe {
        let mut key = null_mut();
        assert_eq!(
            dst_key_new(KEY.as_ptr(), KEY.len(), &mut key),
            dst_status::DST_OK
        );
        let c = dst_claims_new();
        let set = |f: unsafe extern "C" fn(*mut dst_claims, *const c_char) -> dst_status,
                   v: &str| {
            let v = CString::new(v).unwrap();
            assert_eq!(f(c, v.as_ptr()), dst_status::DST_OK);
        };
        set(dst_claims_set_team_id, TEAM_ID);
        set(dst_claims_set_room, ROOM);
        set(dst_claims_set_user_name, USER);
        set(dst_claims_set_user_id, "user-000000");
        set(dst_claims_set_role, ROLE);
        dst_claims_set_issued_at(c, IAT);
        dst_claims_set_expires_at(c, EXP);
        let mut buf = [0 as c_char; 512];
        let mut ud = [0u8; 11];
        let mut udz = [0u8; 12];
        let mut len = 0usize;
        assert_eq!(
            dst_sign_into(c, key, buf.as_mut_ptr(), buf.len(), &mut len),
            dst_status::DST_OK
        );
        let token = buf;
        let input = &token[..len - 44];
        let input = std::slice::from_raw_parts(input.as_ptr().cast::<u8>(), input.len());
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(KEY).unwrap();
        let strings = [TEAM_ID, ROOM, USER, ROLE].map(|s| CString::new(s).unwrap());
        let ids = UserIds::new();
        for i in 0..n {
            match what.as_str() {
                "hmac" => {
                    let mut x = mac.clone();
                    x.update(black_box(input));
                    black_box(x.finalize().into_bytes());
                }
                "mint_into" => {
                    let mut tok: dst_room_token = std::mem::zeroed();
                    dst_room_token_init_size(&mut tok, std::mem::size_of::<dst_room_token>());
                    tok.team_id = strings[0].as_ptr();
                    tok.room = strings[1].as_ptr();
                    tok.user_name = strings[2].as_ptr();
                    tok.user_id = ids.c(i);
                    tok.role = strings[3].as_ptr();
                    tok.issued_at = IAT + i64::from(i & 1023);
                    tok.expires_at = tok.issued_at + 3600;
                    tok.now = tok.issued_at; // not the clock: these times are in the past
                    black_box(dst_mint_into(
                        black_box(&tok),
                        key,
                        buf.as_mut_ptr(),
                        buf.len(),
                        &mut len,
                    ));
                }
                "verify" => {
                    let mut out = null_mut();
                    black_box(dst_verify(token.as_ptr(), key, IAT, 0, &mut out));
                    dst_claims_free(out);
                }
                "sign" => {
                    udz[..11].copy_from_slice(user_id(&mut ud, i).as_bytes());
                    dst_claims_set_user_id(c, udz.as_ptr().cast());
                    let mut t = null_mut();
                    black_box(dst_sign(c, key, &mut t));
                    dst_string_free(t);
                }
                _ => {
                    udz[..11].copy_from_slice(user_id(&mut ud, i).as_bytes());
                    dst_claims_set_user_id(c, udz.as_ptr().cast());
                    black_box(dst_sign_into(c, key, buf.as_mut_ptr(), buf.len(), &mut len));
                }
            }
        }
        dst_claims_free(c);
        dst_key_free(key);
    }
}
