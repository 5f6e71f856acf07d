//! Criterion benchmarks of dstoken on the fixed workload, beside bare HMAC-SHA256 on the same
//! 244-byte signing input, a straightforward hmac+sha2+base64 implementation, and the
//! jsonwebtoken crate (rust_crypto backend). `bench/report.py` prints the ratios.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dstoken::ffi::*;
use dstoken_bench::*;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::ffi::{c_char, CString};
use std::hint::black_box;
use std::ptr::null_mut;
use std::time::{Duration, Instant};

fn workload_claims() -> dstoken::Claims {
    let mut c = dstoken::Claims::new();
    c.set_team_id(TEAM_ID).unwrap();
    c.set_room(ROOM).unwrap();
    c.set_user_name(USER).unwrap();
    c.set_user_id("user-000000").unwrap();
    c.set_role(ROLE).unwrap();
    c.set_issued_at(IAT).unwrap();
    c.set_expires_at(EXP).unwrap();
    c
}

/// The signing input (`header.payload`) of a workload token: 244 bytes.
fn signing_input(claims: &dstoken::Claims, key: &dstoken::SigningKey) -> Vec<u8> {
    let token = dstoken::sign(claims, key).unwrap();
    let dot = token.rfind('.').unwrap();
    token.as_bytes()[..dot].to_vec()
}

#[derive(serde::Serialize)]
struct JwtClaims<'a> {
    td: &'a str,
    rd: &'a str,
    u: &'a str,
    ud: &'a str,
    role: &'a str,
    iat: i64,
    exp: i64,
}

/// The obvious implementation: format the JSON, base64 it, HMAC it, concatenate.
fn naive_sign(mac: &Hmac<Sha256>, ud: &str) -> String {
    let payload = format!(
        r#"{{"td":"{TEAM_ID}","rd":"{ROOM}","u":"{USER}","ud":"{ud}","role":"{ROLE}","iat":{IAT},"exp":{EXP}}}"#
    );
    let input = format!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{}",
        URL_SAFE_NO_PAD.encode(payload)
    );
    let mut m = mac.clone();
    m.update(input.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
    format!("{input}.{sig}")
}

fn workload(c: &mut Criterion) {
    let key = dstoken::SigningKey::new(KEY).unwrap();
    let mut claims = workload_claims();
    let input = signing_input(&claims, &key);
    assert_eq!(input.len(), 244);
    let mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
    let ids = UserIds::new();
    let mut g = c.benchmark_group("workload");
    g.throughput(Throughput::Elements(1));

    g.bench_function("hmac_only", |b| {
        b.iter(|| {
            let mut m = mac.clone();
            m.update(black_box(&input));
            black_box(m.finalize().into_bytes())
        })
    });

    let mut buf = [0u8; 512];
    let mut i = 0u32;
    g.bench_function("core_sign_into", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            claims.set_user_id(ids.str(i)).unwrap();
            black_box(dstoken::sign_into(&claims, &key, &mut buf).unwrap())
        })
    });
    // The one-call mint with fresh values every token (a new ud, iat and exp).
    g.bench_function("core_mint_into", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            let mut t = dstoken::RoomToken::new(TEAM_ID, ROOM);
            t.user_name = Some(USER);
            t.user_id = Some(ids.str(i));
            t.role = Some(ROLE);
            t.issued_at = Some(IAT + i64::from(i & 1023));
            t.expires_at = Some(IAT + 3600 + i64::from(i & 1023));
            t.now = Some(IAT); // not the clock: these times are in the past
            black_box(dstoken::mint_into(black_box(&t), &key, &mut buf).unwrap())
        })
    });
    g.bench_function("core_sign", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            claims.set_user_id(ids.str(i)).unwrap();
            black_box(dstoken::sign(&claims, &key).unwrap())
        })
    });
    g.bench_function("core_set_user_id_only", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            claims.set_user_id(black_box(ids.str(i))).unwrap()
        })
    });
    g.bench_function("core_sign_into_only", |b| {
        b.iter(|| black_box(dstoken::sign_into(&claims, &key, &mut buf).unwrap()))
    });
    let token = dstoken::sign(&claims, &key).unwrap();
    g.bench_function("core_verify", |b| {
        b.iter(|| black_box(dstoken::verify(black_box(&token), &key, IAT, 0).unwrap()))
    });

    // The C ABI, called as C would.
    unsafe {
        let ck = {
            let mut k = null_mut();
            assert_eq!(
                dst_key_new(KEY.as_ptr(), KEY.len(), &mut k),
                dst_status::DST_OK
            );
            k
        };
        let cc = dst_claims_new();
        for (f, v) in [
            (
                dst_claims_set_team_id
                    as unsafe extern "C" fn(*mut dst_claims, *const c_char) -> dst_status,
                TEAM_ID,
            ),
            (dst_claims_set_room, ROOM),
            (dst_claims_set_user_name, USER),
            (dst_claims_set_user_id, "user-000000"),
            (dst_claims_set_role, ROLE),
        ] {
            let v = CString::new(v).unwrap();
            assert_eq!(f(cc, v.as_ptr()), dst_status::DST_OK);
        }
        assert_eq!(dst_claims_set_issued_at(cc, IAT), dst_status::DST_OK);
        assert_eq!(dst_claims_set_expires_at(cc, EXP), dst_status::DST_OK);
        let mut cbuf = [0 as c_char; 512];
        g.bench_function("ffi_sign_into", |b| {
            b.iter(|| {
                i = i.wrapping_add(1);
                dst_claims_set_user_id(cc, ids.c(i));
                let mut len = 0usize;
                let s = dst_sign_into(cc, ck, cbuf.as_mut_ptr(), cbuf.len(), &mut len);
                black_box((s, len))
            })
        });
        let (team, room, user, role) = (
            CString::new(TEAM_ID).unwrap(),
            CString::new(ROOM).unwrap(),
            CString::new(USER).unwrap(),
            CString::new(ROLE).unwrap(),
        );
        g.bench_function("ffi_mint_into", |b| {
            b.iter(|| {
                i = i.wrapping_add(1);
                let mut t: dst_room_token = std::mem::zeroed();
                dst_room_token_init_size(&mut t, std::mem::size_of::<dst_room_token>());
                t.team_id = team.as_ptr();
                t.room = room.as_ptr();
                t.user_name = user.as_ptr();
                t.user_id = ids.c(i);
                t.role = role.as_ptr();
                t.issued_at = IAT + i64::from(i & 1023);
                t.expires_at = t.issued_at + 3600;
                t.now = t.issued_at; // not the clock: these times are in the past
                let mut len = 0usize;
                let s = dst_mint_into(black_box(&t), ck, cbuf.as_mut_ptr(), cbuf.len(), &mut len);
                black_box((s, len))
            })
        });
        g.bench_function("ffi_sign", |b| {
            b.iter(|| {
                i = i.wrapping_add(1);
                dst_claims_set_user_id(cc, ids.c(i));
                let mut tok = null_mut();
                let s = dst_sign(cc, ck, &mut tok);
                dst_string_free(black_box(tok));
                black_box(s)
            })
        });
        let ctoken = CString::new(token.clone()).unwrap();
        g.bench_function("ffi_verify", |b| {
            b.iter(|| {
                let mut out = null_mut();
                let s = dst_verify(ctoken.as_ptr(), ck, IAT, 0, &mut out);
                dst_claims_free(black_box(out));
                black_box(s)
            })
        });
        dst_claims_free(cc);
        dst_key_free(ck);
    }

    g.bench_function("naive_hmac_base64", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            black_box(naive_sign(&mac, ids.str(i)))
        })
    });

    let enc_key = jsonwebtoken::EncodingKey::from_secret(KEY);
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    g.bench_function("jsonwebtoken_encode", |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            let claims = JwtClaims {
                td: TEAM_ID,
                rd: ROOM,
                u: USER,
                ud: ids.str(i),
                role: ROLE,
                iat: IAT,
                exp: EXP,
            };
            black_box(jsonwebtoken::encode(&header, &claims, &enc_key).unwrap())
        })
    });
    let dec_key = jsonwebtoken::DecodingKey::from_secret(KEY);
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    g.bench_function("jsonwebtoken_decode", |b| {
        b.iter(|| {
            black_box(
                jsonwebtoken::decode::<serde_json_value::Value>(
                    black_box(&token),
                    &dec_key,
                    &validation,
                )
                .unwrap(),
            )
        })
    });
    g.finish();
}

mod serde_json_value {
    /// Decode target for jsonwebtoken: any JSON object.
    pub type Value = std::collections::BTreeMap<String, jsonwebtoken_any::Any>;
    pub mod jsonwebtoken_any {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        pub enum Any {
            S(#[allow(dead_code)] String),
            I(#[allow(dead_code)] i64),
        }
    }
}

/// Cost against claim size: payloads of about 100 B, 1 KB and 10 KB.
fn payload_size(c: &mut Criterion) {
    let key = dstoken::SigningKey::new(KEY).unwrap();
    let mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
    let mut g = c.benchmark_group("payload");
    for size in [100usize, 1_000, 10_000] {
        let mut claims = dstoken::Claims::new();
        claims.set_team_id("t").unwrap();
        claims.set_room("r").unwrap();
        let filler = size.saturating_sub(r#"{"td":"t","rd":"r","x":""}"#.len());
        claims.set_string("x", &"a".repeat(filler)).unwrap();
        assert_eq!(claims.to_json().len(), size);
        let input = signing_input(&claims, &key);
        let mut buf = vec![0u8; input.len() + 64];
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_with_input(BenchmarkId::new("core_sign_into", size), &size, |b, _| {
            b.iter(|| black_box(dstoken::sign_into(&claims, &key, &mut buf).unwrap()))
        });
        g.bench_with_input(BenchmarkId::new("hmac_only", size), &size, |b, _| {
            b.iter(|| {
                let mut m = mac.clone();
                m.update(black_box(&input));
                black_box(m.finalize().into_bytes())
            })
        });
    }
    g.finish();
}

/// One key shared by 1 and 2 threads: wall time per token (lower with more threads = scaling).
fn threads(c: &mut Criterion) {
    let key = dstoken::SigningKey::new(KEY).unwrap();
    let mut g = c.benchmark_group("threads");
    g.throughput(Throughput::Elements(1));
    for n in [1usize, 2] {
        g.bench_with_input(BenchmarkId::new("core_sign_into", n), &n, |b, &n| {
            b.iter_custom(|iters| {
                let per = iters.div_ceil(n as u64);
                let start = Instant::now();
                std::thread::scope(|s| {
                    for t in 0..n {
                        let key = &key;
                        s.spawn(move || {
                            let mut claims = workload_claims();
                            let mut buf = [0u8; 512];
                            let ids = UserIds::new();
                            for i in 0..per {
                                claims.set_user_id(ids.str(i as u32 ^ t as u32)).unwrap();
                                black_box(dstoken::sign_into(&claims, key, &mut buf).unwrap());
                            }
                        });
                    }
                });
                start
                    .elapsed()
                    .mul_f64(iters as f64 / (per * n as u64) as f64)
            })
        });
    }
    g.finish();
}

fn config() -> Criterion {
    let quick = std::env::var_os("DSTOKEN_BENCH_QUICK").is_some();
    let c = Criterion::default().configure_from_args();
    if quick {
        c.warm_up_time(Duration::from_millis(20))
            .measurement_time(Duration::from_millis(50))
            .sample_size(10)
    } else {
        c.warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2))
            .sample_size(50)
    }
}

criterion_group! { name = benches; config = config(); targets = workload, payload_size, threads }
criterion_main!(benches);
