//! Property tests: arbitrary claims survive sign -> verify exactly; any single change to a
//! token breaks it; bytes through the C ABI are accepted exactly when they are UTF-8; verify
//! never panics. `write_pyjwt_vectors` (ignored by default) writes cases for PyJWT to check.
use dstoken::ffi::*;
use dstoken::{
    sign, token_len, verify, Claims, ErrorKind, SigningKey, MAX_JSON_DEPTH, MAX_SIGN_TIME,
    MAX_TOKEN_LEN,
};
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

/// JSON numbers as another library might write them: long integers, many decimals, huge and
/// tiny exponents, `-0`. They must come back with every digit.
fn big_number() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        "(0|[1-9][0-9]{0,40})",
        prop::option::of("[0-9]{1,30}"),
        prop::option::of(("[eE]", "[+-]?", 0u32..500)),
    )
        .prop_map(|(neg, int, frac, exp)| {
            let mut n = String::new();
            if neg {
                n.push('-');
            }
            n.push_str(&int);
            if let Some(f) = frac {
                n.push('.');
                n.push_str(&f);
            }
            if let Some((e, sign, v)) = exp {
                n.push_str(&format!("{e}{sign}{v}"));
            }
            n
        })
}

/// A value nested exactly `depth` arrays/objects deep (`MAX_JSON_DEPTH` is the most that signs).
fn nested(depth: usize, leaf: &str) -> String {
    let mut s = leaf.to_string();
    for d in 0..depth {
        s = if d % 2 == 0 {
            format!("[{s}]")
        } else {
            format!("{{\"k\":{s}}}")
        };
    }
    s
}

#[derive(Debug, Clone)]
enum Custom {
    Str(String),
    Int(i64),
    Bool(bool),
    Json(Json),
    /// JSON text set verbatim (big numbers, maximum depth).
    Text(String),
}

/// One way of writing a time: `Int` through `set_int`, the others as JSON text through
/// `set_json` (RFC 7519 NumericDate: any JSON number).
#[derive(Debug, Clone, Copy)]
enum Spelling {
    Int,
    Plain,
    PointZero,
    Half,
    Exponent,
    ScaledDown,
    NegativeZero,
}

#[derive(Debug, Clone, Copy)]
struct Time {
    seconds: i64,
    spelling: Spelling,
}

impl Time {
    /// The JSON text this time is set with (`None`: set with `set_int`).
    fn text(&self) -> Option<String> {
        let t = self.seconds;
        Some(match self.spelling {
            Spelling::Int => return None,
            Spelling::Plain => t.to_string(),
            Spelling::PointZero => format!("{t}.0"),
            // t + 0.5 for t >= 0, t - 0.5 below: within half a second either way.
            Spelling::Half => format!("{t}.5"),
            Spelling::Exponent => format!("{t}e0"),
            Spelling::ScaledDown if t == 0 => "0E-1".into(),
            Spelling::ScaledDown => format!("{t}0E-1"),
            Spelling::NegativeZero if t == 0 => "-0".into(),
            Spelling::NegativeZero => format!("{t}.000"),
        })
    }
}

fn spelling() -> impl Strategy<Value = Spelling> {
    prop_oneof![
        Just(Spelling::Int),
        Just(Spelling::Plain),
        Just(Spelling::PointZero),
        Just(Spelling::Half),
        Just(Spelling::Exponent),
        Just(Spelling::ScaledDown),
        Just(Spelling::NegativeZero),
    ]
}

/// Times anywhere in the signable range ([0, 9999-12-31T23:59:59Z]), its edges, around today
/// and zero. Two seconds of room at the top leave space for `exp` after `iat` and `nbf`.
fn seconds() -> impl Strategy<Value = i64> {
    let edge = MAX_SIGN_TIME - 2;
    prop_oneof![
        0..=edge,
        Just(edge),
        Just(0),
        1_700_000_000i64..1_800_000_000,
        0i64..=2,
    ]
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
    times: (Option<Time>, Option<Time>, Option<Time>),
    custom: Vec<(String, Custom)>,
    /// Pad the claims with a string so the token is as long as signing allows.
    fill: bool,
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
    let time = || prop::option::of((seconds(), spelling()));
    let times = (time(), time(), time()).prop_map(|(iat, nbf, exp)| {
        let t = |(seconds, spelling)| Time { seconds, spelling };
        let (iat, nbf) = (iat.map(t), nbf.map(t));
        // Signing requires exp >= iat and exp >= nbf: a whole second after both (a Half
        // spelling adds only 0.5).
        let floor = iat.iter().chain(&nbf).map(|t| t.seconds).max();
        let exp = exp.map(t).map(|mut e| {
            if let Some(f) = floor {
                e.seconds = e.seconds.max(f + 1);
            }
            e
        });
        (iat, nbf, exp)
    });
    let custom_value = prop_oneof![
        tricky_string().prop_map(Custom::Str),
        any::<i64>().prop_map(Custom::Int),
        any::<bool>().prop_map(Custom::Bool),
        json_value().prop_map(Custom::Json),
        big_number().prop_map(Custom::Text),
        (1..=MAX_JSON_DEPTH, big_number()).prop_map(|(d, n)| Custom::Text(nested(d, &n))),
        big_number().prop_map(|n| Custom::Text(nested(MAX_JSON_DEPTH, &n))),
    ];
    let custom = prop::collection::vec((tricky_string(), custom_value), 0..5).prop_map(|v| {
        let mut seen = std::collections::HashSet::new();
        v.into_iter()
            .filter(|(n, _)| {
                !n.is_empty() && !REGISTERED.contains(&n.as_str()) && seen.insert(n.clone())
            })
            .collect()
    });
    let fill = prop::bool::weighted(0.02);
    (strings, times, custom, fill).prop_map(|(strings, times, custom, fill)| Case {
        strings,
        times,
        custom,
        fill,
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
            match t.text() {
                None => c.set_int(name, t.seconds).unwrap(),
                Some(text) => c.set_json(name, &text).unwrap(),
            }
        }
    }
    for (name, v) in &case.custom {
        match v {
            Custom::Str(s) => c.set_string(name, s).unwrap(),
            Custom::Int(i) => c.set_int(name, *i).unwrap(),
            Custom::Bool(b) => c.set_bool(name, *b).unwrap(),
            Custom::Json(j) => c.set_json(name, &j.to_string()).unwrap(),
            Custom::Text(t) => c.set_json(name, t).unwrap(),
        }
    }
    if case.fill {
        // The longest ASCII padding that still signs (base64 grows in 4-byte steps).
        let pad = "\u{1F3AF}pad";
        c.set_string(pad, "").unwrap();
        let mut n = (MAX_TOKEN_LEN - token_len(&c).unwrap()) / 4 * 3;
        c.set_string(pad, &"p".repeat(n)).unwrap();
        while token_len(&c).is_ok() {
            n += 1;
            c.set_string(pad, &"p".repeat(n)).unwrap();
        }
        c.set_string(pad, &"p".repeat(n - 1)).unwrap();
        assert!(token_len(&c).unwrap() > MAX_TOKEN_LEN - 4);
    }
    c
}

/// A time at which the case's token is valid, and the leeway that needs: a second after the
/// later of `iat`/`nbf` (each at most half a second past its whole seconds), or a second
/// before `exp` (at least a second after both).
fn valid_time(case: &Case) -> (i64, u32) {
    let (iat, nbf, exp) = case.times;
    let now = iat
        .iter()
        .chain(&nbf)
        .map(|t| t.seconds + 1)
        .max()
        .or(exp.map(|e| e.seconds - 1))
        .unwrap_or(1);
    // dst_verify reads a `now` of 0 as the system clock: the instant 0 is -1 with a second
    // more of leeway.
    if now == 0 {
        (-1, 2)
    } else {
        (now, 1)
    }
}

fn key() -> SigningKey {
    SigningKey::new(b"property-test-key-0123456789abcdef").unwrap()
}

proptest! {
    #![proptest_config(Config { cases: 512, failure_persistence: None, ..Config::default() })]

    /// Whatever signs, verifies: every generated claim set, including
    /// maximum depth, maximum token size, numbers of any length and every time spelling,
    /// signs, verifies at a valid time, and gives back exactly the claims that were set.
    #[test]
    fn sign_then_verify_gives_back_exactly_the_claims(case in case()) {
        let claims = claims_of(&case);
        let token = sign(&claims, &key()).unwrap();
        prop_assert!(token.len() <= MAX_TOKEN_LEN);
        let (now, leeway) = valid_time(&case);
        let back = verify(&token, &key(), now, leeway).unwrap();
        prop_assert_eq!(&back, &claims);
        prop_assert_eq!(back.to_json(), claims.to_json());
        for (name, value) in claims.iter() {
            prop_assert_eq!(back.get_json(name).unwrap(), value.to_json());
        }
        // Times: exactly as set; an integral spelling reads back as its integer.
        let (iat, nbf, exp) = case.times;
        for (name, t) in [("iat", iat), ("nbf", nbf), ("exp", exp)] {
            if let Some(t) = t {
                let text = t.text().unwrap_or_else(|| t.seconds.to_string());
                prop_assert_eq!(back.get_json(name).unwrap(), text);
                match t.spelling {
                    Spelling::Half => prop_assert_eq!(back.get_int(name).unwrap_err().kind(), ErrorKind::WrongType),
                    _ => prop_assert_eq!(back.get_int(name).unwrap(), t.seconds),
                }
            }
        }
        for (name, v) in &case.custom {
            if let Custom::Text(text) = v {
                // Set verbatim (no whitespace): every digit comes back.
                prop_assert_eq!(&back.get_json(name).unwrap(), text);
            }
        }
        prop_assert_eq!(back.len(), claims.len());
        // (PyJWT reads the same tokens: write_pyjwt_vectors + tests/python/test_properties.py.)
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

/// Writes 2000 generated cases (key, token, expected claims) as JSON lines to the file named by
/// DSTOKEN_PROPTEST_VECTORS, for tests/python/test_properties.py to check with PyJWT.
#[test]
#[ignore = "run by the test command to feed the PyJWT check"]
fn write_pyjwt_vectors() {
    let path = std::env::var("DSTOKEN_PROPTEST_VECTORS")
        .expect("DSTOKEN_PROPTEST_VECTORS names the output file");
    let config = Config {
        cases: 2000,
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
    for i in 0..2000 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let secret = keys[i % keys.len()];
        let key = SigningKey::new(secret).unwrap();
        let token = sign(&claims_of(&case), &key).unwrap();
        let (now, leeway) = valid_time(&case);
        assert_eq!(
            verify(&token, &key, now, leeway).unwrap(),
            claims_of(&case),
            "case {i}"
        );
        let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        let line =
            serde_json::json!({"key": hex, "token": token, "claims": claims_of(&case).to_json()});
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(&path, lines).unwrap();
}
