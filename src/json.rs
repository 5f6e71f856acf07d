//! Small JSON helpers: a byte sink abstraction, RFC 8259 string escaping, and a strict parser
//! front-end that rejects duplicate member names at every depth.
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value as JsonValue};
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
    s.len() + 2 + s.bytes().map(|b| usize::from(ESCAPE_EXTRA[usize::from(b)])).sum::<usize>()
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
/// (U+0000..U+001F) escaped, everything else (all of Unicode) passed through as UTF-8.
pub(crate) fn write_str<S: Sink>(out: &mut S, s: &str) {
    let bytes = s.as_bytes();
    out.put(b"\"");
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        if start < i {
            out.put(&bytes[start..i]);
        }
        if short.is_empty() {
            let esc = [
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0xf)],
            ];
            out.put(&esc);
        } else {
            out.put(short);
        }
        start = i + 1;
    }
    if start < bytes.len() {
        out.put(&bytes[start..]);
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
        for v in [0i64, 1, -1, 9, 10, -10, 99, 100, 42, i64::MAX, i64::MIN, 1_767_225_600] {
            let mut out = Vec::new();
            write_i64(&mut out, v);
            assert_eq!(String::from_utf8(out).unwrap(), v.to_string());
            assert_eq!(i64_len(v), v.to_string().len(), "{v}");
        }
    }

    #[test]
    fn escaped_lengths_match_what_is_written() {
        let all: String = (0u8..0x80).map(char::from).collect();
        for s in ["", "plain", "a\"b\\c", "\u{0}\u{1f}\n\t", "Zoë 🎉 李", all.as_str()] {
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
    fn strict_parser_keeps_member_order_and_bounds_depth() {
        let v = parse_strict(br#"{"z":1,"a":2}"#).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"z":1,"a":2}"#);
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse_strict(deep.as_bytes()).is_err());
        assert!(parse_strict(b"1 2").is_err());
    }
}
