//! Interleaved rounds of HMAC alone, sign_into (set ud + sign) and the one-call mint_into with
//! fresh values, through the C ABI; prints the median of each and the ratios. Robust to a
//! loaded machine (every round runs all three back to back). Then the threads column: each of
//! them on 1 and on 2 threads sharing one key (tokens/s, and the ratio).
//! Usage: mint_ratio [N] [rounds]
//! With DSTOKEN_BENCH_JSON=FILE every result and its rounds also go to FILE in the format of
//! bench/README.md (bench/run.sh collects them).
use dstoken::ffi::*;
use dstoken_bench::*;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::ffi::{c_char, CString};
use std::hint::black_box;
use std::ptr::null_mut;
use std::time::Instant;

const HMAC: Meta = (
    "hmac",
    "HMAC-SHA256 alone (hmac crate, 244 B)",
    "hmac-crate",
    "reference",
    "hmac",
);
const SIGN_INTO: Meta = (
    "sign_into",
    "dst_sign_into (set ud + sign)",
    "dstoken",
    "dstoken",
    "sign",
);
const MINT_INTO: Meta = (
    "mint_into",
    "dst_mint_into (fresh values)",
    "dstoken",
    "dstoken",
    "mint",
);

/// The workload's dst_room_token for token `i`: fresh `ud` and times (iat in the past, so `now`
/// is set to it instead of the clock: the mint would refuse the token as expired).
fn room_token(strings: [&CString; 4], user_id: *const c_char, i: u32) -> dst_room_token {
    let [team, room, user, role] = strings;
    // SAFETY: all-zero bytes are a valid dst_room_token (NULL pointers, zero numbers); the init
    // call gets the struct's own size.
    let mut tok: dst_room_token = unsafe { std::mem::zeroed() };
    let status =
        unsafe { dst_room_token_init_size(&mut tok, std::mem::size_of::<dst_room_token>()) };
    assert!(
        status == dst_status::DST_OK,
        "dst_room_token_init_size failed"
    );
    tok.team_id = team.as_ptr();
    tok.room = room.as_ptr();
    tok.user_name = user.as_ptr();
    tok.user_id = user_id;
    tok.role = role.as_ptr();
    tok.issued_at = IAT + i64::from(i & 1023);
    tok.expires_at = tok.issued_at + 3600;
    tok.now = tok.issued_at;
    tok
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let rounds: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(15);
    let ids = UserIds::new();
    unsafe {
        let mut key = null_mut();
        assert_eq!(
            dst_key_new(KEY.as_ptr(), KEY.len(), &mut key),
            dst_status::DST_OK
        );
        let c = dst_claims_new();
        let (team, room, user, role) = (
            CString::new(TEAM_ID).unwrap(),
            CString::new(ROOM).unwrap(),
            CString::new(USER).unwrap(),
            CString::new(ROLE).unwrap(),
        );
        dst_claims_set_team_id(c, team.as_ptr());
        dst_claims_set_room(c, room.as_ptr());
        dst_claims_set_user_name(c, user.as_ptr());
        dst_claims_set_user_id(c, ids.c(0));
        dst_claims_set_role(c, role.as_ptr());
        dst_claims_set_issued_at(c, IAT);
        dst_claims_set_expires_at(c, EXP);
        let mut buf = [0 as c_char; 512];
        let mut len = 0usize;
        assert_eq!(
            dst_sign_into(c, key, buf.as_mut_ptr(), buf.len(), &mut len),
            dst_status::DST_OK
        );
        let input = std::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), len).to_vec();
        let dot = input.iter().rposition(|&b| b == b'.').unwrap();
        let input = input[..dot].to_vec();
        assert_eq!(input.len(), 244);
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(KEY).unwrap();
        if std::env::var_os("MINT_ONLY").is_some() {
            for i in 0..n {
                let tok = room_token([&team, &room, &user, &role], ids.c(i), i);
                black_box(dst_mint_into(
                    black_box(&tok),
                    key,
                    buf.as_mut_ptr(),
                    buf.len(),
                    &mut len,
                ));
            }
            return;
        }
        let (mut h, mut s, mut m) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            for _ in 0..n {
                let mut x = mac.clone();
                x.update(black_box(&input));
                black_box(x.finalize().into_bytes());
            }
            h.push(t.elapsed().as_nanos() as f64 / f64::from(n));
            let t = Instant::now();
            for i in 0..n {
                dst_claims_set_user_id(c, ids.c(i));
                black_box(dst_sign_into(c, key, buf.as_mut_ptr(), buf.len(), &mut len));
            }
            s.push(t.elapsed().as_nanos() as f64 / f64::from(n));
            let t = Instant::now();
            for i in 0..n {
                let tok = room_token([&team, &room, &user, &role], ids.c(i), i);
                black_box(dst_mint_into(
                    black_box(&tok),
                    key,
                    buf.as_mut_ptr(),
                    buf.len(),
                    &mut len,
                ));
            }
            m.push(t.elapsed().as_nanos() as f64 / f64::from(n));
        }
        let mut results = Results::new();
        results.add(HMAC, 1, "ns/token", "wall", &h);
        results.add(SIGN_INTO, 1, "ns/token", "wall", &s);
        results.add(MINT_INTO, 1, "ns/token", "wall", &m);
        let (h, s, m) = (median(&h), median(&s), median(&m));
        println!("HMAC alone {h:.1} ns | dst_sign_into {s:.1} ns ({:.2}x) | dst_mint_into fresh {m:.1} ns ({:.2}x HMAC, {:.2}x sign_into)", s / h, m / h, m / s);

        // The threads column: the same three on 1 and 2 threads sharing one key.
        let shared = SharedKey(key);
        let (team, room, user, role) = (&team, &room, &user, &role);
        let ids = &ids;
        print_scaling_header(rounds, n);
        let hmac_rows = scaling(rounds, n, |n| {
            for _ in 0..n {
                let mut x = mac.clone();
                x.update(black_box(&input));
                black_box(x.finalize().into_bytes());
            }
        });
        print_scaling_row("HMAC alone (hmac crate)", &hmac_rows);
        results.add_scaling(HMAC, &hmac_rows);
        let sign_rows = scaling(rounds, n, |n| {
            let key = shared;
            let c = dst_claims_new();
            dst_claims_set_team_id(c, team.as_ptr());
            dst_claims_set_room(c, room.as_ptr());
            dst_claims_set_user_name(c, user.as_ptr());
            dst_claims_set_role(c, role.as_ptr());
            dst_claims_set_issued_at(c, IAT);
            dst_claims_set_expires_at(c, EXP);
            let mut buf = [0 as c_char; 512];
            let mut len = 0usize;
            for i in 0..n {
                dst_claims_set_user_id(c, ids.c(i));
                black_box(dst_sign_into(
                    c,
                    key.0,
                    buf.as_mut_ptr(),
                    buf.len(),
                    &mut len,
                ));
            }
            dst_claims_free(c);
        });
        print_scaling_row("dst_sign_into (set ud + sign)", &sign_rows);
        results.add_scaling(SIGN_INTO, &sign_rows);
        let mint_rows = scaling(rounds, n, |n| {
            let key = shared;
            let mut buf = [0 as c_char; 512];
            let mut len = 0usize;
            for i in 0..n {
                let tok = room_token([team, room, user, role], ids.c(i), i);
                let status = dst_mint_into(
                    black_box(&tok),
                    key.0,
                    buf.as_mut_ptr(),
                    buf.len(),
                    &mut len,
                );
                // Measure the mint, never its error path (an expired token is refused).
                assert!(status == dst_status::DST_OK, "dst_mint_into failed");
                black_box(len);
            }
        });
        print_scaling_row("dst_mint_into (fresh values)", &mint_rows);
        results.add_scaling(MINT_INTO, &mint_rows);
        results
            .write(
                "bench/rust/src/bin/mint_ratio.rs",
                &format!(r#""n": {n}, "rounds": {rounds}"#),
            )
            .expect("DSTOKEN_BENCH_JSON: cannot write the results");
    }
}
