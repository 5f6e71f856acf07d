//! Property tests: arbitrary claims survive sign -> verify exactly; any single change to a
//! token breaks it; bytes through the C ABI are accepted exactly when they are UTF-8; verify
//! never panics. `write_pyjwt_vectors` (ignored by default) writes cases for PyJWT to check.
use dstoken::ffi::*;
use dstoken::{sign, verify, Claims, ErrorKind, SigningKey};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value as Json;
use std::ffi::{c_char, CStr};
use std::ptr::null_mut;

/// Strings with the characters that break naive JSON: quotes, backslashes, every control
/// character, U+2028/2029, non-BMP, RTL, plus fully arbitrary Unicode.
fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\"\\\\\u{0}-\u{1f}\u{7f}\u{2028}\u{2029}🎉李éمרa-z ]{0,24}",
        "[a-zA-Z0-9 ]{1,12}",
    ]
}

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Json::from),
        tricky_string().prop_map(Json::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::btree_map(tricky_string(), inner, 0..4)
                .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

#[derive(Debug, Clone)]
enum Custom {
    Str(String),
    Int(i64),
    Bool(bool),
    Json(Json),
}

/// PyJWT enforces types on these RFC 7519 names, so the shared generator avoids them.
const REGISTERED: [&str; 15] = [
    "td",
    "rd",
    "u",
    "ud",
    "initials",
    "role",
    "breakoutId",
    "avatar",
    "iat",
    "nbf",
    "exp",
    "iss",
    "sub",
    "aud",
    "jti",
];

#[derive(Debug, Clone)]
struct Case {
    strings: Vec<(&'static str, String)>,
    times: (Option<i64>, Option<i64>, Option<i64>),
    custom: Vec<(String, Custom)>,
}

fn case() -> impl Strategy<Value = Case> {
    let optional = || prop::option::of(tricky_string());
    let strings = (
        tricky_string().prop_filter("non-empty", |s| !s.is_empty()),
        tricky_string().prop_filter("non-empty", |s| !s.is_empty()),
        optional(),
        optional(),
        optional(),
        optional(),
        optional(),
        optional(),
    )
        .prop_map(|(td, rd, u, ud, initials, role, breakout, avatar)| {
            let mut v = vec![("td", td), ("rd", rd)];
            for (name, value) in [
                ("u", u),
                ("ud", ud),
                ("initials", initials),
                ("role", role),
                ("breakoutId", breakout),
                ("avatar", avatar),
            ] {
                if let Some(value) = value {
                    v.push((name, value));
                }
            }
            v
        });
    let times = (
        prop::option::of(any::<i64>()),
        prop::option::of(any::<i64>()),
        prop::option::of(any::<i64>()),
    )
        .prop_map(|(iat, nbf, exp)| {
            // Signing requires exp >= iat and exp >= nbf.
            let floor = iat.into_iter().chain(nbf).max();
            let exp = exp.map(|e| floor.map_or(e, |f| e.max(f)));
            (iat, nbf, exp)
        });
    let custom_value = prop_oneof![
        tricky_string().prop_map(Custom::Str),
        any::<i64>().prop_map(Custom::Int),
        any::<bool>().prop_map(Custom::Bool),
        json_value().prop_map(Custom::Json),
    ];
    let custom = prop::collection::vec((tricky_string(), custom_value), 0..5).prop_map(|v| {
        let mut seen = std::collections::HashSet::new();
        v.into_iter()
            .filter(|(n, _)| {
                !n.is_empty() && !REGISTERED.contains(&n.as_str()) && seen.insert(n.clone())
            })
            .collect()
    });
    (strings, times, custom).prop_map(|(strings, times, custom)| Case {
        strings,
        times,
        custom,
    })
}

fn claims_of(case: &Case) -> Claims {
    let mut c = Claims::new();
    for (name, value) in &case.strings {
        c.set_string(name, value).unwrap();
    }
    let (iat, nbf, exp) = case.times;
    for (name, t) in [("iat", iat), ("nbf", nbf), ("exp", exp)] {
        if let Some(t) = t {
            c.set_int(name, t).unwrap();
        }
    }
    for (name, v) in &case.custom {
        match v {
            Custom::Str(s) => c.set_string(name, s).unwrap(),
            Custom::Int(i) => c.set_int(name, *i).unwrap(),
            Custom::Bool(b) => c.set_bool(name, *b).unwrap(),
            Custom::Json(j) => c.set_json(name, &j.to_string()).unwrap(),
        }
    }
    c
}

/// A time at which the case's token is valid, and the leeway that needs.
fn valid_time(case: &Case) -> (i64, u32) {
    let (iat, nbf, exp) = case.times;
    let now = iat
        .into_iter()
        .chain(nbf)
        .max()
        .or(exp.map(|e| e.saturating_sub(1)))
        .unwrap_or(0);
    (now, 1)
}

fn key() -> SigningKey {
    SigningKey::new(b"property-test-key-0123456789abcdef").unwrap()
}

proptest! {
    #![proptest_config(Config { cases: 512, failure_persistence: None, ..Config::default() })]

    #[test]
    fn sign_then_verify_gives_back_exactly_the_claims(case in case()) {
        let claims = claims_of(&case);
        let token = sign(&claims, &key()).unwrap();
        let (now, leeway) = valid_time(&case);
        let back = verify(&token, &key(), now, leeway).unwrap();
        prop_assert_eq!(&back, &claims);
        prop_assert_eq!(back.to_json(), claims.to_json());
        // And PyJWT-style: the payload is exactly the claims' JSON.
        let parsed: Json = serde_json::from_str(&claims.to_json()).unwrap();
        prop_assert_eq!(parsed.as_object().map(|o| o.len()), Some(claims.len()));
    }

    #[test]
    fn any_single_change_to_a_token_fails(case in case(), at in any::<prop::sample::Index>(), kind in 0u8..3, byte in 0x21u8..0x7f) {
        let token = sign(&claims_of(&case), &key()).unwrap();
        let (now, leeway) = valid_time(&case);
        let mut bytes = token.clone().into_bytes();
        let i = at.index(bytes.len());
        match kind {
            0 => {
                let replacement = if bytes[i] == byte { if byte == b'A' { b'B' } else { b'A' } } else { byte };
                bytes[i] = replacement;
            }
            1 => { bytes.remove(i); }
            _ => bytes.insert(i, byte),
        }
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert_ne!(&changed, &token);
        prop_assert!(verify(&changed, &key(), now, leeway).is_err());
    }

    #[test]
    fn verify_never_panics_and_rejects_garbage(s in any::<String>(), dots in prop::collection::vec("[A-Za-z0-9_-]{0,40}", 0..5)) {
        prop_assert!(verify(&s, &key(), 0, 0).is_err());
        let joined = dots.join(".");
        prop_assert!(verify(&joined, &key(), 0, 0).is_err());
    }

    #[test]
    fn c_strings_are_accepted_exactly_when_they_are_utf8(bytes in prop::collection::vec(1u8..=255, 0..48)) {
        let mut with_nul = bytes.clone();
        with_nul.push(0);
        unsafe {
            let c = dst_claims_new();
            let status = dst_claims_set_user_name(c, with_nul.as_ptr().cast::<c_char>());
            match std::str::from_utf8(&bytes) {
                Ok(text) => {
                    prop_assert_eq!(status, dst_status::DST_OK);
                    let mut out = null_mut();
                    let name = b"u\0";
                    prop_assert_eq!(dst_claims_get_string(c, name.as_ptr().cast(), &mut out), dst_status::DST_OK);
                    prop_assert_eq!(CStr::from_ptr(out).to_bytes(), text.as_bytes());
                    dst_string_free(out);
                }
                Err(_) => prop_assert_eq!(status, dst_status::DST_ERR_INVALID_UTF8),
            }
            dst_claims_free(c);
        }
    }
}

#[test]
fn deep_and_huge_inputs_return_promptly_with_a_status() {
    let mut c = Claims::new();
    let deep = "[".repeat(5_000_000) + &"]".repeat(5_000_000);
    assert_eq!(
        c.set_json("x", &deep).unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    let huge = "a".repeat(10 * 1024 * 1024);
    assert_eq!(
        verify(&huge, &key(), 0, 0).unwrap_err().kind(),
        ErrorKind::MalformedToken
    );
    let wide = format!(
        "{{{}\"z\":1}}",
        (0..20_000)
            .map(|i| format!("\"k{i}\":1,"))
            .collect::<String>()
    );
    c.set_json("wide", &wide).unwrap();
}

/// Writes 1000 generated cases (key, token, expected claims) as JSON lines to the file named by
/// DSTOKEN_PROPTEST_VECTORS, for tests/python/test_properties.py to check with PyJWT.
#[test]
#[ignore = "run by the test command to feed the PyJWT check"]
fn write_pyjwt_vectors() {
    let path = std::env::var("DSTOKEN_PROPTEST_VECTORS")
        .expect("DSTOKEN_PROPTEST_VECTORS names the output file");
    let config = Config {
        cases: 1000,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let strategy = case();
    let mut lines = String::new();
    let keys: [&[u8]; 4] = [
        b"k",
        b"0123456789abcdef0123456789abcdef",
        &[0u8, 255, 1, 128],
        &[0xab; 100],
    ];
    for i in 0..1000 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let secret = keys[i % keys.len()];
        let token = sign(&claims_of(&case), &SigningKey::new(secret).unwrap()).unwrap();
        let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        let line =
            serde_json::json!({"key": hex, "token": token, "claims": claims_of(&case).to_json()});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(&path, lines).unwrap();
}
