//! Small JSON helpers: a byte sink abstraction, RFC 8259 string escaping, and a strict parser
//! front-end that rejects duplicate member names at every depth.
use crate::claims::Value;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value as JsonValue};
use std::borrow::Cow;
use std::fmt;

/// Where serialised bytes go: a `Vec<u8>`, a length counter, or the base64url stream that writes
/// straight into a caller's buffer.
pub(crate) trait Sink {
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Extra bytes each input byte takes when escaped: 1 for `"` `\\` and the five short control
/// escapes, 5 for the other control characters (`\u00XX`), 0 otherwise.
const ESCAPE_EXTRA: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = 5;
        b += 1;
    }
    t[b'"' as usize] = 1;
    t[b'\\' as usize] = 1;
    t[b'\n' as usize] = 1;
    t[b'\r' as usize] = 1;
    t[b'\t' as usize] = 1;
    t[0x08] = 1;
    t[0x0c] = 1;
    t
};

/// The length of `s` written as a JSON string literal (with its quotes).
pub(crate) fn str_json_len(s: &str) -> usize {
    s.len()
        + 2
        + s.bytes()
            .map(|b| usize::from(ESCAPE_EXTRA[usize::from(b)]))
            .sum::<usize>()
}

/// The number of decimal characters of `v` (with its sign).
pub(crate) fn i64_len(v: i64) -> usize {
    let mut n = v.unsigned_abs();
    let mut len = usize::from(v < 0) + 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

/// Writes `s` as a JSON string literal: quotes, backslash and every control character
/// (U+0000..U+001F) escaped, everything else (all of Unicode) passed through as UTF-8. Runs of
/// bytes that need no escape are found with a table and copied at once.
pub(crate) fn write_str<S: Sink>(out: &mut S, s: &str) {
    let bytes = s.as_bytes();
    out.put(b"\"");
    let mut rest = bytes;
    while let Some(i) = rest.iter().position(|&b| ESCAPE_EXTRA[usize::from(b)] != 0) {
        if i > 0 {
            out.put(&rest[..i]);
        }
        let b = rest[i];
        match b {
            b'"' => out.put(b"\\\""),
            b'\\' => out.put(b"\\\\"),
            b'\n' => out.put(b"\\n"),
            b'\r' => out.put(b"\\r"),
            b'\t' => out.put(b"\\t"),
            0x08 => out.put(b"\\b"),
            0x0c => out.put(b"\\f"),
            _ => out.put(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ]),
        }
        rest = &rest[i + 1..];
    }
    if !rest.is_empty() {
        out.put(rest);
    }
    out.put(b"\"");
}

/// Writes a signed integer in decimal without allocating.
pub(crate) fn write_i64<S: Sink>(out: &mut S, v: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let negative = v < 0;
    let mut n = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        out.put(b"-");
    }
    out.put(&buf[i..]);
}

/// A JSON value parsed strictly: like `serde_json::Value`, but an object that names the same
/// member twice is an error (RFC 8725 §3.x advice; RFC 7515 §4 allows rejecting them).
pub(crate) struct StrictValue(pub JsonValue);

impl<'de> Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonValue, E> {
        Number::from_f64(v)
            .map(JsonValue::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<JsonValue, E> {
        Ok(JsonValue::String(v))
    }
    fn visit_unit<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(JsonValue::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if members.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate member name {key:?}"
                )));
            }
            let StrictValue(v) = map.next_value()?;
            members.insert(key, v);
        }
        Ok(JsonValue::Object(members))
    }
}

/// A top-level member name: borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// A top-level member value, straight into a claim [`Value`]: strings, `i64` integers and
/// booleans as themselves, anything else as compact JSON text (nested values strictly parsed).
struct Member(Value);

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Member;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Member, E> {
                Ok(Member(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Member, E> {
                Ok(Member(Value::Int(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Member, E> {
                Ok(Member(
                    i64::try_from(v).map_or_else(|_| Value::Json(v.to_string()), Value::Int),
                ))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Member, E> {
                StrictVisitor
                    .visit_f64(v)
                    .map(|n| Member(Value::Json(n.to_string())))
            }
            fn visit_str<E>(self, v: &str) -> Result<Member, E> {
                Ok(Member(Value::String(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Member, E> {
                Ok(Member(Value::String(v)))
            }
            fn visit_unit<E>(self) -> Result<Member, E> {
                Ok(Member(Value::Json("null".to_owned())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Member, A::Error> {
                StrictVisitor
                    .visit_seq(seq)
                    .map(|v| Member(Value::Json(v.to_string())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Member, A::Error> {
                StrictVisitor
                    .visit_map(map)
                    .map(|v| Member(Value::Json(v.to_string())))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A JSON object's members in order, duplicates refused.
struct Members<'de>(Vec<(Cow<'de, str>, Value)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(12).min(64));
                while let Some(Key(name)) = map.next_key()? {
                    let Member(value) = map.next_value()?;
                    members.push((name, value));
                }
                match duplicate(&members) {
                    Some(name) => Err(de::Error::custom(format_args!(
                        "duplicate member name {name:?}"
                    ))),
                    None => Ok(Members(members)),
                }
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// The first name that occurs twice, if any. A payload has a handful of members, compared
/// pairwise; a large (hostile) object is sorted instead, so it costs n log n, not n^2.
fn duplicate<'a>(members: &'a [(Cow<'_, str>, Value)]) -> Option<&'a str> {
    if members.len() <= 16 {
        for (i, (a, _)) in members.iter().enumerate() {
            if members[i + 1..].iter().any(|(b, _)| a == b) {
                return Some(a);
            }
        }
        return None;
    }
    let mut names: Vec<&str> = members.iter().map(|(n, _)| n.as_ref()).collect();
    names.sort_unstable();
    names.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

/// Parses a JSON object into its members (in order), strictly: duplicate names at any depth
/// are refused, nesting is bounded, nothing may follow the object. Names without escapes are
/// borrowed from `text`.
pub(crate) fn parse_members(text: &[u8]) -> Result<Vec<(Cow<'_, str>, Value)>, serde_json::Error> {
    serde_json::from_slice::<Members>(text).map(|m| m.0)
}

/// Parses one JSON text strictly (duplicate names rejected, nesting bounded by serde_json's
/// recursion limit of 128, nothing but whitespace after the value).
pub(crate) fn parse_strict(text: &[u8]) -> Result<JsonValue, serde_json::Error> {
    serde_json::from_slice::<StrictValue>(text).map(|v| v.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn esc(s: &str) -> String {
        let mut v = Vec::new();
        write_str(&mut v, s);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn escapes_per_rfc8259() {
        assert_eq!(esc("plain"), "\"plain\"");
        assert_eq!(esc("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(esc("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(esc("\u{0}\u{1f}\u{7f}"), "\"\\u0000\\u001f\u{7f}\"");
        assert_eq!(esc("Zoë 🎉 李 \u{2028}"), "\"Zoë 🎉 李 \u{2028}\"");
    }

    #[test]
    fn escaped_strings_parse_back_identically() {
        let samples = [
            "",
            "\"",
            "\\\\",
            "\u{0}x\u{1}",
            "emoji 🎉",
            "عربي",
            "tab\tend",
        ];
        for s in samples {
            let back: String = serde_json::from_str(&esc(s)).unwrap();
            assert_eq!(back, s);
        }
    }

    #[test]
    fn integers() {
        for v in [
            0i64,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            42,
            i64::MAX,
            i64::MIN,
            1_767_225_600,
        ] {
            let mut out = Vec::new();
            write_i64(&mut out, v);
            assert_eq!(String::from_utf8(out).unwrap(), v.to_string());
            assert_eq!(i64_len(v), v.to_string().len(), "{v}");
        }
    }

    #[test]
    fn escaped_lengths_match_what_is_written() {
        let all: String = (0u8..0x80).map(char::from).collect();
        for s in [
            "",
            "plain",
            "a\"b\\c",
            "\u{0}\u{1f}\n\t",
            "Zoë 🎉 李",
            all.as_str(),
        ] {
            assert_eq!(str_json_len(s), esc(s).len(), "{s:?}");
        }
    }

    #[test]
    fn strict_parser_rejects_duplicates_at_any_depth() {
        assert!(parse_strict(br#"{"a":1,"a":2}"#).is_err());
        assert!(parse_strict(br#"{"x":[{"a":1,"a":2}]}"#).is_err());
        assert!(parse_strict(br#"{"a":1,"b":{"a":2}}"#).is_ok());
    }

    #[test]
    fn members_parse_in_order_with_types() {
        let m = parse_members(br#"{"b":"x\u0041","a":1,"big":18446744073709551615,"f":1.5,"t":true,"n":null,"o":{"k":[1]}}"#).unwrap();
        let got: Vec<(&str, Value)> = m.iter().map(|(n, v)| (n.as_ref(), v.clone())).collect();
        assert_eq!(
            got,
            vec![
                ("b", Value::String("xA".into())),
                ("a", Value::Int(1)),
                ("big", Value::Json("18446744073709551615".into())),
                ("f", Value::Json("1.5".into())),
                ("t", Value::Bool(true)),
                ("n", Value::Json("null".into())),
                ("o", Value::Json(r#"{"k":[1]}"#.into())),
            ]
        );
        assert!(parse_members(br#"{"a":1,"b":2,"a":3}"#).is_err());
        assert!(parse_members(br#"{"o":{"k":1,"k":2}}"#).is_err());
        assert!(parse_members(br#"[1]"#).is_err());
        assert!(parse_members(br#"{"a":1} x"#).is_err());
        assert!(
            parse_members(br#"{"\ud800":1}"#).is_err(),
            "lone surrogate escapes are not UTF-8"
        );
    }

    #[test]
    fn strict_parser_keeps_member_order_and_bounds_depth() {
        let v = parse_strict(br#"{"z":1,"a":2}"#).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"z":1,"a":2}"#);
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse_strict(deep.as_bytes()).is_err());
        assert!(parse_strict(b"1 2").is_err());
    }
}
