//! Verification of a received token: structure, `alg`, signature (constant time) over the bytes
//! received, then the payload and its times.
use crate::b64;
use crate::claims::Claims;
use crate::error::{Error, ErrorKind, Result};
use crate::json;
use crate::key::SigningKey;
use crate::sign::HEADER_B64;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value as JsonValue;

/// Tokens longer than this many bytes are rejected before any decoding.
pub const MAX_TOKEN_LEN: usize = 65_536;

fn decode_part(part: &str, what: &str) -> Result<Vec<u8>> {
    b64::decode(part.as_bytes()).map_err(|e| {
        Error::malformed(format!(
            "the token's {what} is not strict unpadded base64url ({e})"
        ))
    })
}

fn decode_object(part: &str, what: &str) -> Result<serde_json::Map<String, JsonValue>> {
    let bytes = decode_part(part, what)?;
    match json::parse_strict(&bytes) {
        Ok(JsonValue::Object(map)) => Ok(map),
        Ok(_) => Err(Error::malformed(format!(
            "the token's {what} is not a JSON object"
        ))),
        Err(e) => Err(Error::malformed(format!(
            "the token's {what} is not valid JSON ({e})"
        ))),
    }
}

/// Quotes attacker-controlled text for a message: at most 24 characters, escaped.
fn quote(s: &str) -> String {
    let short: String = s.chars().take(24).collect();
    if short.len() < s.len() {
        format!("{short:?}...")
    } else {
        format!("{short:?}")
    }
}

/// Verifies `token` with `key` at time `now` (unix seconds), allowing `leeway` seconds of clock
/// difference, and returns its claims.
///
/// Accepts only `alg` = "HS256" (`typ` optional; any `crit` is refused), checks the signature
/// in constant time over the bytes received before the payload is interpreted, requires
/// `exp`/`nbf`/`iat`, when present, to be integers that fit in `i64`, and rejects a token whose
/// `exp` has passed, whose `nbf` has not come, or whose `iat` lies after `now + leeway`.
/// `td`/`rd` are not required.
pub fn verify(token: &str, key: &SigningKey, now: i64, leeway: u32) -> Result<Claims> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(Error::malformed(format!(
            "the token is {} bytes, over the {MAX_TOKEN_LEN}-byte limit",
            token.len()
        )));
    }
    let bytes = token.as_bytes();
    let dots: Option<(usize, usize)> = bytes.iter().position(|&b| b == b'.').and_then(|first| {
        let second = first + 1 + bytes[first + 1..].iter().position(|&b| b == b'.')?;
        (!bytes[second + 1..].contains(&b'.')).then_some((first, second))
    });
    let Some((first, second)) = dots else {
        return Err(Error::malformed(
            "a token has three base64url parts separated by two dots",
        ));
    };
    let (header, payload, signature) = (
        &token[..first],
        &token[first + 1..second],
        &token[second + 1..],
    );
    // Our own header (and most others) is the constant one: no need to decode it.
    if header != HEADER_B64 {
        check_header(header)?;
    }
    let mut sig = [0u8; 33];
    let sig_len = URL_SAFE_NO_PAD
        .decode_slice(signature, &mut sig[..])
        .map_err(|e| {
            Error::malformed(format!(
                "the token's signature is not strict unpadded base64url of 32 bytes ({e})"
            ))
        })?;
    let signing_input = &token.as_bytes()[..header.len() + 1 + payload.len()];
    if sig_len != 32 || !key.verify_tag(signing_input, &sig[..sig_len]) {
        return Err(Error::new(
            ErrorKind::BadSignature,
            "the token's signature does not match the key",
        ));
    }
    let json = decode_part(payload, "payload")?;
    let members = json::parse_members(&json)
        .map_err(|e| Error::malformed(format!("the token's payload is not a JSON object ({e})")))?;
    let claims = Claims::from_members(members)?;
    check_times(&claims, now, leeway)?;
    Ok(claims)
}

/// The header rules for any header other than the constant one: a JSON object whose `alg` is
/// exactly "HS256", `typ` (if any) a string, and no `crit`.
fn check_header(header: &str) -> Result<()> {
    let header_obj = decode_object(header, "header")?;
    match header_obj.get("alg") {
        Some(JsonValue::String(alg)) if alg == "HS256" => {}
        Some(JsonValue::String(alg)) => {
            return Err(Error::new(
                ErrorKind::UnsupportedAlgorithm,
                format!(
                    "the token's alg is {}; only \"HS256\" is accepted",
                    quote(alg)
                ),
            ))
        }
        Some(_) => {
            return Err(Error::malformed(
                "the token's header \"alg\" is not a string",
            ))
        }
        None => return Err(Error::malformed("the token's header has no \"alg\"")),
    }
    if let Some(typ) = header_obj.get("typ") {
        if !typ.is_string() {
            return Err(Error::malformed(
                "the token's header \"typ\" is not a string",
            ));
        }
    }
    if header_obj.contains_key("crit") {
        return Err(Error::new(
            ErrorKind::UnsupportedAlgorithm,
            "the token's header has \"crit\" extensions, which this library does not support",
        ));
    }
    Ok(())
}

/// `exp`, `nbf` and `iat` against `now` with `leeway` (64-bit times, no overflow).
fn check_times(claims: &Claims, now: i64, leeway: u32) -> Result<()> {
    let now = i128::from(now);
    let leeway = i128::from(leeway);
    if let Some(exp) = claims.time("exp") {
        if now >= i128::from(exp) + leeway {
            return Err(Error::new(
                ErrorKind::Expired,
                format!("the token expired at {exp}"),
            ));
        }
    }
    if let Some(nbf) = claims.time("nbf") {
        if now + leeway < i128::from(nbf) {
            return Err(Error::new(
                ErrorKind::NotYetValid,
                format!("the token is not valid before {nbf}"),
            ));
        }
    }
    if let Some(iat) = claims.time("iat") {
        if i128::from(iat) > now + leeway {
            return Err(Error::new(
                ErrorKind::NotYetValid,
                format!("the token was issued in the future (iat {iat})"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::sign;

    const RFC7515_KEY_B64: &str =
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    const RFC7515_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    fn key() -> SigningKey {
        SigningKey::new(b"secret-key").unwrap()
    }

    fn token(edit: impl FnOnce(&mut Claims)) -> String {
        let mut c = Claims::new();
        c.set_team_id("t").unwrap();
        c.set_room("r").unwrap();
        edit(&mut c);
        sign(&c, &key()).unwrap()
    }

    fn kind(r: Result<Claims>) -> ErrorKind {
        r.unwrap_err().kind()
    }

    #[test]
    fn rfc7515_a1_verifies() {
        let k = SigningKey::new(&URL_SAFE_NO_PAD.decode(RFC7515_KEY_B64).unwrap()).unwrap();
        let c = verify(RFC7515_TOKEN, &k, 1_300_819_000, 0).unwrap();
        assert_eq!(c.get_string("iss").unwrap(), "joe");
        assert_eq!(c.get_int("exp").unwrap(), 1_300_819_380);
        assert!(c.get_bool("http://example.com/is_root").unwrap());
        assert_eq!(
            kind(verify(RFC7515_TOKEN, &k, 1_300_819_380, 0)),
            ErrorKind::Expired
        );
        assert!(verify(RFC7515_TOKEN, &k, 1_300_819_380, 1).is_ok());
    }

    #[test]
    fn round_trip_and_wrong_key() {
        let t = token(|c| c.set_user_name("Zoë 🎉").unwrap());
        let c = verify(&t, &key(), 0, 0).unwrap();
        assert_eq!(c.get_string("u").unwrap(), "Zoë 🎉");
        let other = SigningKey::new(b"other").unwrap();
        assert_eq!(kind(verify(&t, &other, 0, 0)), ErrorKind::BadSignature);
    }

    #[test]
    fn structure_is_strict() {
        let t = token(|_| {});
        let (hp, sig) = t.rsplit_once('.').unwrap();
        assert_eq!(kind(verify("", &key(), 0, 0)), ErrorKind::MalformedToken);
        assert_eq!(kind(verify(hp, &key(), 0, 0)), ErrorKind::MalformedToken);
        assert_eq!(
            kind(verify(&format!("{t}."), &key(), 0, 0)),
            ErrorKind::MalformedToken
        );
        assert_eq!(
            kind(verify(&format!("{t}="), &key(), 0, 0)),
            ErrorKind::MalformedToken
        );
        assert_eq!(
            kind(verify(&format!("{hp}.{sig} "), &key(), 0, 0)),
            ErrorKind::MalformedToken
        );
        assert_eq!(
            kind(verify(&format!("{hp}."), &key(), 0, 0)),
            ErrorKind::BadSignature
        );
        // Non-canonical trailing bits: last char of a 43-char signature carries 4 spare bits.
        let mut bad = sig.to_string();
        let last = bad.pop().unwrap();
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let idx = alphabet.find(last).unwrap();
        bad.push(alphabet.as_bytes()[(idx & !3) | ((idx + 1) & 3)] as char);
        assert_eq!(
            kind(verify(&format!("{hp}.{bad}"), &key(), 0, 0)),
            ErrorKind::MalformedToken
        );
        let long = "a".repeat(MAX_TOKEN_LEN + 1);
        assert_eq!(kind(verify(&long, &key(), 0, 0)), ErrorKind::MalformedToken);
    }

    fn forge(header: &str, payload: &str, k: &SigningKey) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload)
        );
        format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(k.tag(input.as_bytes()))
        )
    }

    #[test]
    fn header_rules() {
        let k = key();
        let p = r#"{"td":"t"}"#;
        assert!(verify(&forge(r#"{"alg":"HS256"}"#, p, &k), &k, 0, 0).is_ok());
        assert_eq!(
            kind(verify(&forge(r#"{"alg":"none"}"#, p, &k), &k, 0, 0)),
            ErrorKind::UnsupportedAlgorithm
        );
        assert_eq!(
            kind(verify(&forge(r#"{"alg":"hs256"}"#, p, &k), &k, 0, 0)),
            ErrorKind::UnsupportedAlgorithm
        );
        assert_eq!(
            kind(verify(&forge(r#"{"alg":"HS512"}"#, p, &k), &k, 0, 0)),
            ErrorKind::UnsupportedAlgorithm
        );
        assert_eq!(
            kind(verify(&forge(r#"{"typ":"JWT"}"#, p, &k), &k, 0, 0)),
            ErrorKind::MalformedToken
        );
        assert_eq!(
            kind(verify(&forge(r#"{"alg":1}"#, p, &k), &k, 0, 0)),
            ErrorKind::MalformedToken
        );
        assert_eq!(
            kind(verify(
                &forge(r#"{"alg":"HS256","typ":1}"#, p, &k),
                &k,
                0,
                0
            )),
            ErrorKind::MalformedToken
        );
        assert_eq!(
            kind(verify(
                &forge(r#"{"alg":"HS256","crit":["b64"]}"#, p, &k),
                &k,
                0,
                0
            )),
            ErrorKind::UnsupportedAlgorithm
        );
        assert_eq!(
            kind(verify(
                &forge(r#"{"alg":"HS256","alg":"HS256"}"#, p, &k),
                &k,
                0,
                0
            )),
            ErrorKind::MalformedToken
        );
        assert_eq!(
            kind(verify(&forge(r#"["HS256"]"#, p, &k), &k, 0, 0)),
            ErrorKind::MalformedToken
        );
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(p)
        );
        assert_eq!(
            kind(verify(&none, &k, 0, 0)),
            ErrorKind::UnsupportedAlgorithm
        );
    }

    #[test]
    fn payload_rules() {
        let k = key();
        let h = r#"{"alg":"HS256","typ":"JWT"}"#;
        for bad in [
            r#"{"exp":1.5}"#,
            r#"{"exp":"1"}"#,
            r#"{"nbf":9223372036854775808}"#,
            r#"{"iat":null}"#,
            "[]",
            "{",
            r#"{"a":1,"a":2}"#,
        ] {
            assert_eq!(
                kind(verify(&forge(h, bad, &k), &k, 0, 0)),
                ErrorKind::MalformedToken,
                "{bad}"
            );
        }
        let c = verify(&forge(h, r#"{"u":5,"x":{"y":[1]}}"#, &k), &k, 0, 0).unwrap();
        assert_eq!(c.get_string("u").unwrap_err().kind(), ErrorKind::WrongType);
        assert_eq!(c.get_json("x").unwrap(), r#"{"y":[1]}"#);
    }

    #[test]
    fn times_with_leeway_past_2038() {
        let t = token(|c| c.set_validity_at(4_102_444_800, 60, 3_600).unwrap());
        let k = key();
        assert!(verify(&t, &k, 4_102_444_800, 0).is_ok());
        // iat = now: a verifier whose clock is behind needs leeway for iat, not for nbf.
        assert_eq!(
            kind(verify(&t, &k, 4_102_444_800 - 1, 0)),
            ErrorKind::NotYetValid
        );
        assert!(verify(&t, &k, 4_102_444_800 - 60, 60).is_ok());
        let nbf_only = token(|c| {
            c.set_not_before(4_102_444_740).unwrap();
            c.set_expires_at(4_102_448_400).unwrap();
        });
        assert!(verify(&nbf_only, &k, 4_102_444_740, 0).is_ok());
        assert_eq!(
            kind(verify(&nbf_only, &k, 4_102_444_739, 0)),
            ErrorKind::NotYetValid
        );
        assert!(verify(&nbf_only, &k, 4_102_444_739, 1).is_ok());
        assert_eq!(
            kind(verify(&t, &k, 4_102_444_800 + 3_600, 0)),
            ErrorKind::Expired
        );
        assert!(verify(&t, &k, 4_102_444_800 + 3_600, 5).is_ok());
        let future_iat = token(|c| c.set_issued_at(1_000).unwrap());
        assert_eq!(
            kind(verify(&future_iat, &k, 999, 0)),
            ErrorKind::NotYetValid
        );
        assert!(verify(&future_iat, &k, 999, 1).is_ok());
        let extreme = token(|c| c.set_expires_at(i64::MAX).unwrap());
        assert!(verify(&extreme, &k, i64::MAX - 1, u32::MAX).is_ok());
        let old = token(|c| c.set_expires_at(i64::MIN).unwrap());
        assert_eq!(kind(verify(&old, &k, i64::MIN, 0)), ErrorKind::Expired);
    }

    #[test]
    fn every_single_byte_change_fails() {
        let t = token(|c| c.set_user_name("x").unwrap());
        let k = key();
        let bytes = t.as_bytes();
        for i in 0..bytes.len() {
            for replacement in [b'A', b'.', b'-', b'0'] {
                if bytes[i] == replacement {
                    continue;
                }
                let mut m = bytes.to_vec();
                m[i] = replacement;
                let s = String::from_utf8(m).unwrap();
                assert!(verify(&s, &k, 0, 0).is_err(), "changed byte {i}");
            }
            let mut dropped = bytes.to_vec();
            dropped.remove(i);
            assert!(verify(std::str::from_utf8(&dropped).unwrap(), &k, 0, 0).is_err());
        }
    }
}
