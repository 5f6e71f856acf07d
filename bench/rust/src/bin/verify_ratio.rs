//! `dst_verify` beside HMAC-alone on the fixed workload, robust to a busy machine: many short
//! interleaved batches of each, keeping each one's fastest batch (a batch a neighbour did not
//! preempt), and the median batch (the target: <= 3x HMAC alone). Prints ns/token
//! and the ratio, then the threads column: each on 1 and on 2 threads sharing one key.
//! Usage: verify_ratio [rounds] (default 3000; the test command runs it with a tiny count).
//! With DSTOKEN_BENCH_JSON=FILE every result and its rounds (batches) also go to FILE in the
//! format of bench/README.md (bench/run.sh collects them).
use dstoken::ffi::*;
use dstoken_bench::*;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::ffi::CString;
use std::hint::black_box;
use std::ptr::null_mut;
use std::time::Instant;

const BATCH: u32 = 64;

fn per_token(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..BATCH {
        f();
    }
    start.elapsed().as_nanos() as f64 / f64::from(BATCH)
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let key = dstoken::SigningKey::new(KEY).expect("key");
    let mut claims = dstoken::Claims::new();
    claims.set_team_id(TEAM_ID).expect("td");
    claims.set_room(ROOM).expect("rd");
    claims.set_user_name(USER).expect("u");
    claims.set_user_id("user-000000").expect("ud");
    claims.set_role(ROLE).expect("role");
    claims.set_issued_at(IAT).expect("iat");
    claims.set_expires_at(EXP).expect("exp");
    let token = dstoken::sign(&claims, &key).expect("sign");
    let input = token.as_bytes()[..token.rfind('.').expect("dot")].to_vec();
    assert_eq!(input.len(), 244, "the fixed workload's signing input");
    let mac = Hmac::<Sha256>::new_from_slice(KEY).expect("hmac");
    let ctoken = CString::new(token.clone()).expect("token");
    let ckey = unsafe {
        let mut k = null_mut();
        assert_eq!(
            dst_key_new(KEY.as_ptr(), KEY.len(), &mut k),
            dst_status::DST_OK
        );
        k
    };

    let hmac = || {
        let mut m = mac.clone();
        m.update(black_box(&input));
        black_box(m.finalize().into_bytes());
    };
    let core_verify = || {
        black_box(dstoken::verify(black_box(&token), &key, IAT, 0).expect("verify"));
    };
    let ffi_verify = || unsafe {
        let mut out = null_mut();
        let s = dst_verify(ctoken.as_ptr(), ckey, IAT, 0, &mut out);
        assert_eq!(s, dst_status::DST_OK);
        dst_claims_free(black_box(out));
    };
    let mut samples: [Vec<f64>; 3] = Default::default();
    for _ in 0..rounds.max(1) {
        samples[0].push(per_token(hmac));
        samples[1].push(per_token(core_verify));
        samples[2].push(per_token(ffi_verify));
    }
    let mut results = Results::new();
    let metas: [Meta; 3] = [
        (
            "hmac",
            "HMAC-SHA256 alone, 244 B, precomputed key",
            "hmac-crate",
            "reference",
            "hmac",
        ),
        ("core_verify", "Rust verify", "dstoken", "dstoken", "verify"),
        (
            "ffi_verify",
            "dst_verify (C ABI, + dst_claims_free)",
            "dstoken",
            "dstoken",
            "verify",
        ),
    ];
    for (m, s) in metas.iter().zip(&samples) {
        results.add(*m, 1, "ns/token", "wall", s);
    }
    for s in &mut samples {
        s.sort_by(f64::total_cmp);
    }
    let min = |i: usize| samples[i][0];
    let median = |i: usize| samples[i][samples[i].len() / 2];
    println!("verify beside HMAC-alone ({rounds} interleaved batches of {BATCH}; fastest batch, median batch)");
    println!(
        "{:<40} {:>10} {:>10} {:>10} {:>10}",
        "benchmark", "ns (min)", "x HMAC", "ns (med)", "x HMAC"
    );
    for (i, name) in [
        "HMAC-SHA256 alone, 244 B, precomputed key",
        "Rust verify",
        "dst_verify (C ABI, + dst_claims_free)",
    ]
    .iter()
    .enumerate()
    {
        println!(
            "{name:<40} {:>10.1} {:>10.2} {:>10.1} {:>10.2}",
            min(i),
            min(i) / min(0),
            median(i),
            median(i) / median(0)
        );
    }

    // The threads column: the same three on 1 and 2 threads sharing one key.
    let per_thread = (rounds as u32).saturating_mul(BATCH / 8).max(1);
    let thread_rounds = 7;
    let shared = SharedKey(ckey);
    let (token, ctoken, input, key, mac) = (&token, &ctoken, &input, &key, &mac);
    print_scaling_header(thread_rounds, per_thread);
    let hmac_rows = scaling(thread_rounds, per_thread, |n| {
        for _ in 0..n {
            let mut m = mac.clone();
            m.update(black_box(input));
            black_box(m.finalize().into_bytes());
        }
    });
    print_scaling_row("HMAC-SHA256 alone", &hmac_rows);
    results.add_scaling(metas[0], &hmac_rows);
    let core_rows = scaling(thread_rounds, per_thread, |n| {
        for _ in 0..n {
            black_box(dstoken::verify(black_box(token), key, IAT, 0).expect("verify"));
        }
    });
    print_scaling_row("Rust verify", &core_rows);
    results.add_scaling(metas[1], &core_rows);
    let ffi_rows = scaling(thread_rounds, per_thread, |n| {
        let key = shared;
        for _ in 0..n {
            unsafe {
                let mut out = null_mut();
                let s = dst_verify(ctoken.as_ptr(), key.0, IAT, 0, &mut out);
                assert_eq!(s, dst_status::DST_OK);
                dst_claims_free(black_box(out));
            }
        }
    });
    print_scaling_row("dst_verify (C ABI, + dst_claims_free)", &ffi_rows);
    results.add_scaling(metas[2], &ffi_rows);
    results
        .write(
            "bench/rust/src/bin/verify_ratio.rs",
            &format!(r#""batches": {rounds}, "batch": {BATCH}, "thread_rounds": {thread_rounds}"#),
        )
        .expect("DSTOKEN_BENCH_JSON: cannot write the results");
    unsafe { dst_key_free(ckey) };
}
