//! dstoken's strict JSON parser (src/json.rs) against serde_json on arbitrary text: a claim
//! value through `Claims::set_json`, and an object through the header path of `verify` (parsed
//! before any key is involved). Whatever both accept reads as the same value; what only one
//! accepts is explained (dstoken refuses duplicate names and nesting beyond 128; serde_json
//! cannot hold numbers beyond f64 and has its own recursion limit); the stored text is
//! stable when set again; verify never panics and refuses the forged token.
#![no_main]
use dstoken::{Claims, ErrorKind, SigningKey};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::new(b"fuzz-key").expect("key"))
}

fn b64url(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let v = chunk.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for k in 0..=chunk.len() {
            out.push(char::from(A[(v >> (18 - 6 * k) & 63) as usize]));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    // The object path: any bytes as a token header (verify decodes and parses it strictly).
    let token = format!("{}.e30.{}", b64url(data), "A".repeat(43));
    let header_verdict = dstoken::verify(&token, key(), 0, 0).expect_err("forged token");
    assert!(matches!(
        header_verdict.kind(),
        ErrorKind::MalformedToken | ErrorKind::UnsupportedAlgorithm | ErrorKind::BadSignature
    ));
    let Ok(text) = std::str::from_utf8(data) else {
        assert_eq!(header_verdict.kind(), ErrorKind::MalformedToken);
        return;
    };
    let mut c = Claims::new();
    let ours = c.set_json("x", text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(()), Ok(value)) => {
            let stored = c.get_json("x").expect("stored");
            let back: serde_json::Value = serde_json::from_str(&stored).expect("stored parses");
            assert_eq!(&back, value, "same value: {text:?} stored as {stored:?}");
            let mut again = Claims::new();
            again.set_json("x", &stored).expect("stored is accepted again");
            assert_eq!(again.get_json("x").expect("stored"), stored, "stable");
            if value.is_object() {
                // An object set_json accepts is one the token parser accepts too.
                // (The message may quote the header's own text, which can spell the phrase:
                // only the parser's verdict, which starts the message, counts.)
                assert!(
                    !header_verdict
                        .message()
                        .starts_with("the token's header is not a strict JSON object"),
                    "{text:?}: {}",
                    header_verdict.message()
                );
            }
        }
        (Ok(()), Err(e)) => {
            let m = e.to_string();
            assert!(
                m.contains("number out of range") || m.contains("recursion limit"),
                "only dstoken accepts {text:?}: serde_json says {m}"
            );
        }
        (Err(e), Ok(_)) => {
            let m = e.message();
            assert!(
                m.contains("duplicate member name") || m.contains("nest more than"),
                "only serde_json accepts {text:?}: dstoken says {m}"
            );
        }
        (Err(e), Err(_)) => assert_eq!(e.kind(), ErrorKind::InvalidArgument),
    }
});
