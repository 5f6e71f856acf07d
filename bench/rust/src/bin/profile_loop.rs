//! A fixed loop over one C-ABI operation, for `valgrind --tool=callgrind` instruction counts
//! per stage (bench/profile.sh). Usage: profile_loop sign_into|sign|verify [iterations]
use dstoken::ffi::*;
use dstoken_bench::*;
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
        for i in 0..n {
            match what.as_str() {
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
