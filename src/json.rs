//! Small JSON helpers: a byte sink abstraction, RFC 8259 string escaping, and the strict
//! parser used for tokens and `set_json` (duplicate member names refused at every depth,
//! bounded nesting, numbers kept exactly as written).
use crate::claims::Value;
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

/// How deeply a claim's value may nest arrays and objects: `[[1]]` is 2 deep. The payload
/// object around the claims is not counted, so whatever `set_json` accepts, a token carrying
/// it verifies (`DST_MAX_JSON_DEPTH` in C).
pub const MAX_DEPTH: usize = 128;

/// Why a JSON text was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    message: String,
    at: usize,
}

impl ParseError {
    /// Where the text went wrong: `Some(byte offset)`, or `None` when it nests deeper than
    /// [`MAX_DEPTH`] (a limit, not a syntax error).
    pub(crate) fn position(&self) -> Option<(i64, i64)> {
        if self.message.starts_with(DEPTH_MESSAGE) {
            None
        } else {
            Some((i64::try_from(self.at).unwrap_or(i64::MAX), 0))
        }
    }
}

/// How the depth error's message starts (see [`ParseError::position`]).
const DEPTH_MESSAGE: &str = "arrays and objects nest more than";

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.at)
    }
}

type Parsed<T> = Result<T, ParseError>;

/// Bytes that end the plain run of a string: the quote, the backslash, control characters.
static STRING_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// The length of the run of `b` before its first quote, backslash or control character (all
/// of `b` when there is none), eight bytes at a time.
fn plain_run(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while let Some(word) = b.get(i..i + 8) {
        let w = u64::from_le_bytes([
            word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7],
        ]);
        // A byte's high bit is set in `m` where it is < 0x20, '"' or '\\'. Bytes above the
        // first true match may be flagged falsely (borrows), but the lowest flag is exact.
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        let m = (w.wrapping_sub(0x20 * ONES) & !w & HIGH)
            | zero(w ^ (u64::from(b'"') * ONES))
            | zero(w ^ (u64::from(b'\\') * ONES));
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + b[i..]
        .iter()
        .position(|&c| STRING_SPECIAL[usize::from(c)])
        .unwrap_or(b.len() - i)
}

/// An array or object being read by `Parser::compact`: its closing bracket and, for an object,
/// the member names so far (with their positions).
struct Open<'a> {
    close: u8,
    names: Vec<(Cow<'a, str>, usize)>,
}

/// A strict RFC 8259 parser over UTF-8 text: no trailing commas, comments, leading zeros,
/// lone surrogates or unescaped control characters; duplicate member names refused in every
/// object; nesting bounded by [`MAX_DEPTH`]; numbers kept exactly as written.
struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn err<T>(&self, message: impl Into<String>) -> Parsed<T> {
        Err(ParseError {
            message: message.into(),
            at: self.i,
        })
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            b: text.as_bytes(),
            i: 0,
        }
    }

    /// The text from `start` to the current position (both at ASCII bytes of the grammar).
    fn since(&self, start: usize) -> Parsed<&'a str> {
        match self.text.get(start..self.i) {
            Some(s) => Ok(s),
            None => self.err("internal error: not at a character boundary"),
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> Parsed<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else if self.peek().is_none() {
            self.err(format!("the text ends where {what} was expected"))
        } else {
            self.err(format!("expected {what}"))
        }
    }

    fn end(&mut self) -> Parsed<()> {
        self.ws();
        if self.i == self.b.len() {
            Ok(())
        } else {
            self.err("unexpected characters after the JSON value")
        }
    }

    /// A string literal (at its opening quote), borrowed when it has no escapes.
    fn string(&mut self) -> Parsed<Cow<'a, str>> {
        self.expect(b'"', "'\"'")?;
        let bytes = self.b;
        let start = self.i;
        self.i += plain_run(&bytes[start..]);
        let run = self.since(start)?;
        match self.peek() {
            None => return self.err("unterminated string"),
            Some(b'"') => {
                self.i += 1;
                return Ok(Cow::Borrowed(run));
            }
            Some(_) => {}
        }
        let mut s = String::from(run);
        loop {
            match self.peek() {
                None => return self.err("unterminated string"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(Cow::Owned(s));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let c = self.escape()?;
                    s.push(c);
                }
                Some(b) if b < 0x20 => {
                    return self.err("a control character must be escaped inside a string")
                }
                Some(_) => {
                    let from = self.i;
                    self.i += plain_run(&bytes[from..]);
                    s.push_str(self.since(from)?);
                }
            }
        }
    }

    fn hex4(&mut self) -> Parsed<u32> {
        let digits = self.b.get(self.i..self.i + 4);
        let value = digits.and_then(|d| {
            d.iter().try_fold(0u32, |acc, &b| {
                char::from(b).to_digit(16).map(|v| acc * 16 + v)
            })
        });
        match value {
            Some(v) => {
                self.i += 4;
                Ok(v)
            }
            None => self.err("\\u must be followed by four hex digits"),
        }
    }

    /// The character an escape (after its backslash) stands for.
    fn escape(&mut self) -> Parsed<char> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.i += 1;
                let hi = self.hex4()?;
                let code = match hi {
                    0xD800..=0xDBFF => {
                        if self.b.get(self.i..self.i + 2) != Some(b"\\u") {
                            return self
                                .err("a high surrogate escape must be followed by a low one");
                        }
                        self.i += 2;
                        let lo = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return self
                                .err("a high surrogate escape must be followed by a low one");
                        }
                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return self.err("lone low surrogate escape"),
                    v => v,
                };
                return match char::from_u32(code) {
                    Some(c) => Ok(c),
                    None => self.err("invalid \\u escape"),
                };
            }
            _ => return self.err("invalid escape in a string"),
        };
        self.i += 1;
        Ok(c)
    }

    /// A number (RFC 8259 grammar), returned exactly as written, with its value when it is
    /// written the way `i64` prints (a plain integer in range, not `-0`).
    fn number(&mut self) -> Parsed<(&'a str, Option<i64>)> {
        let bytes = self.b;
        let start = self.i;
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.i += 1;
            }
            p.i - s
        };
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        // Accumulated negatively, so i64::MIN fits.
        let mut int: Option<i64> = Some(0);
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                while let Some(d @ b'0'..=b'9') = self.peek() {
                    int = int
                        .and_then(|v| v.checked_mul(10))
                        .and_then(|v| v.checked_sub(i64::from(d - b'0')));
                    self.i += 1;
                }
            }
            _ => return self.err("invalid number"),
        }
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            int = None;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return self.err("a decimal point must be followed by digits");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if digits(self) == 0 {
                return self.err("an exponent must have digits");
            }
        }
        if bytes.get(self.i).is_some_and(|b| b.is_ascii_digit()) {
            return self.err("a number must not have leading zeros");
        }
        let int = match (int, negative) {
            (Some(0), true) => None, // -0
            (Some(v), true) => Some(v),
            (Some(v), false) => v.checked_neg(),
            (None, _) => None,
        };
        Ok((self.since(start)?, int))
    }

    fn literal(&mut self, word: &'static str) -> Parsed<()> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(())
        } else {
            self.err("expected a JSON value")
        }
    }

    /// Any value, written compactly to `out` (strings re-escaped the one canonical way,
    /// numbers exactly as written). The arrays and objects being read are kept on an explicit
    /// stack (on the heap, at most [`MAX_DEPTH`] entries), not in recursive calls, so the
    /// stack this needs does not grow with the nesting.
    fn compact<S: Sink>(&mut self, out: &mut S) -> Parsed<()> {
        let mut open: Vec<Open<'a>> = Vec::new();
        loop {
            // A value starts here.
            match self.peek() {
                Some(bracket @ (b'{' | b'[')) => {
                    if open.len() >= MAX_DEPTH {
                        return self.err(format!(
                            "arrays and objects nest more than {MAX_DEPTH} deep"
                        ));
                    }
                    self.i += 1;
                    out.put(&[bracket]);
                    let close = if bracket == b'{' { b'}' } else { b']' };
                    self.ws();
                    if self.peek() == Some(close) {
                        self.i += 1;
                        out.put(&[close]);
                    } else {
                        let mut names = Vec::new();
                        if close == b'}' {
                            self.member_name(out, &mut names)?;
                        }
                        open.push(Open { close, names });
                        continue;
                    }
                }
                Some(b'"') => {
                    let s = self.string()?;
                    write_str(out, &s);
                }
                Some(b'-' | b'0'..=b'9') => {
                    let (n, _) = self.number()?;
                    out.put(n.as_bytes());
                }
                Some(b't') => self.literal("true").map(|()| out.put(b"true"))?,
                Some(b'f') => self.literal("false").map(|()| out.put(b"false"))?,
                Some(b'n') => self.literal("null").map(|()| out.put(b"null"))?,
                None => return self.err("the text ends where a JSON value was expected"),
                Some(_) => return self.err("expected a JSON value"),
            }
            // A value ended: a comma starts the next one, a bracket closes its container.
            loop {
                let Some(top) = open.last_mut() else {
                    return Ok(());
                };
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        out.put(b",");
                        self.ws();
                        if top.close == b'}' {
                            self.member_name(out, &mut top.names)?;
                        }
                        break;
                    }
                    Some(c) if c == top.close => {
                        self.i += 1;
                        out.put(&[c]);
                        if let Some(k) = first_duplicate(&top.names, |(n, _)| n.as_ref()) {
                            self.i = top.names[k].1;
                            return self.err(format!("duplicate member name {:?}", top.names[k].0));
                        }
                        open.pop();
                    }
                    _ if top.close == b'}' => return self.err("expected ',' or '}'"),
                    _ => return self.err("expected ',' or ']'"),
                }
            }
        }
    }

    /// An object member's name and colon (the name recorded with its position, for the
    /// duplicate check).
    fn member_name<S: Sink>(
        &mut self,
        out: &mut S,
        names: &mut Vec<(Cow<'a, str>, usize)>,
    ) -> Parsed<()> {
        let at = self.i;
        let name = self.string()?;
        write_str(out, &name);
        names.push((name, at));
        self.ws();
        self.expect(b':', "':'")?;
        out.put(b":");
        self.ws();
        Ok(())
    }

    /// A claim's value: strings, canonical `i64` integers and booleans as themselves, other
    /// numbers exactly as written, anything else as compact JSON.
    fn claim_value(&mut self) -> Parsed<Value> {
        Ok(match self.peek() {
            Some(b'"') => Value::String(self.string()?.into_owned()),
            Some(b'-' | b'0'..=b'9') => match self.number()? {
                (_, Some(i)) => Value::Int(i),
                (n, None) => Value::Json(n.to_owned()),
            },
            Some(b't') => self.literal("true").map(|()| Value::Bool(true))?,
            Some(b'f') => self.literal("false").map(|()| Value::Bool(false))?,
            _ => {
                let mut out = Vec::new();
                self.compact(&mut out)?;
                match String::from_utf8(out) {
                    Ok(s) => Value::Json(s),
                    Err(_) => return self.err("internal error: compact JSON is not UTF-8"),
                }
            }
        })
    }

    /// An object's members, in order, each handed to `member` (which may refuse it, e.g. as
    /// a duplicate); nothing may follow the object.
    fn object(
        &mut self,
        mut member: impl FnMut(Cow<'a, str>, Value) -> Result<(), String>,
    ) -> Parsed<()> {
        self.ws();
        if self.peek() != Some(b'{') {
            return self.err("expected a JSON object");
        }
        self.i += 1;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else {
            loop {
                let at = self.i;
                let name = self.string()?;
                self.ws();
                self.expect(b':', "':'")?;
                self.ws();
                let value = self.claim_value()?;
                if let Err(message) = member(name, value) {
                    self.i = at;
                    return self.err(message);
                }
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        self.ws();
                    }
                    Some(b'}') => {
                        self.i += 1;
                        break;
                    }
                    _ => return self.err("expected ',' or '}'"),
                }
            }
        }
        self.end()
    }
}

/// The index of the second occurrence of a name that occurs twice, if any. Small objects are
/// compared pairwise; a large (hostile) one is sorted instead, so it costs n log n, not n^2.
pub(crate) fn first_duplicate<T>(items: &[T], name: impl Fn(&T) -> &str) -> Option<usize> {
    if items.len() <= 16 {
        return (1..items.len()).find(|&j| items[..j].iter().any(|a| name(a) == name(&items[j])));
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    // Unstable sort (ties are broken by position, so the order is the same): the stable sort
    // takes a 4 KiB scratch buffer on the stack, too much for a small thread stack.
    order.sort_unstable_by(|&a, &b| name(&items[a]).cmp(name(&items[b])).then(a.cmp(&b)));
    order
        .windows(2)
        .filter(|w| name(&items[w[0]]) == name(&items[w[1]]))
        .map(|w| w[1])
        .min()
}

fn utf8(text: &[u8]) -> Parsed<&str> {
    std::str::from_utf8(text).map_err(|e| ParseError {
        message: "invalid UTF-8".into(),
        at: e.valid_up_to(),
    })
}

/// Parses a JSON object into its members (in order), strictly: duplicate names at any depth
/// are refused, nesting is bounded by [`MAX_DEPTH`] below each member, nothing may follow the
/// object. Names without escapes are borrowed from `text`.
pub(crate) fn parse_members(text: &[u8]) -> Parsed<Vec<(Cow<'_, str>, Value)>> {
    let mut members = Vec::new();
    Parser::new(utf8(text)?).object(|name, value| {
        members.push((name, value));
        Ok(())
    })?;
    if let Some(k) = first_duplicate(&members, |(n, _)| n.as_ref()) {
        return Err(ParseError {
            message: format!("duplicate member name {:?}", members[k].0),
            at: 0,
        });
    }
    Ok(members)
}

/// Parses a JSON object as [`parse_members`] does, handing each member to `member` as it is
/// read (no intermediate list); `member` refuses duplicates (its message becomes the error).
pub(crate) fn parse_object<'a>(
    text: &'a [u8],
    member: impl FnMut(Cow<'a, str>, Value) -> Result<(), String>,
) -> Parsed<()> {
    Parser::new(utf8(text)?).object(member)
}

/// Parses one JSON text (a claim's value) strictly, as [`parse_members`] parses each member.
pub(crate) fn parse_value(text: &str) -> Parsed<Value> {
    let mut p = Parser::new(text);
    p.ws();
    let v = p.claim_value()?;
    p.end()?;
    Ok(v)
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

    fn value(text: &str) -> Result<Value, ParseError> {
        parse_value(text)
    }

    #[test]
    fn strict_parser_rejects_duplicates_at_any_depth() {
        assert!(value(r#"{"a":1,"a":2}"#).is_err());
        assert!(value(r#"{"x":[{"a":1,"a":2}]}"#).is_err());
        assert!(
            value(r#"{"a":1,"\u0061":2}"#).is_err(),
            "escaped spelling of the same name"
        );
        assert!(value(r#"{"a":1,"b":{"a":2}}"#).is_ok());
        let wide = format!(
            "{{{}\"k7\":0}}",
            (0..100)
                .map(|i| format!("\"k{i}\":{i},"))
                .collect::<String>()
        );
        let e = value(&wide).unwrap_err();
        assert!(
            e.to_string().contains("duplicate member name \"k7\""),
            "{e}"
        );
    }

    #[test]
    fn numbers_are_kept_exactly_as_written() {
        for n in [
            "123456789012345678901234567891",
            "123456789.123456789",
            "2.5e-400",
            "1e400",
            "-0",
            "1E+3",
            "1700003600.0",
            "0.10",
        ] {
            assert_eq!(value(n).unwrap(), Value::Json(n.into()), "{n}");
            let nested = format!("[{n},{{\"n\":{n}}}]");
            assert_eq!(value(&nested).unwrap(), Value::Json(nested.clone()));
        }
        assert_eq!(value("-42").unwrap(), Value::Int(-42));
        // Kept as an integer exactly when i64 prints it that way.
        for n in [
            "0",
            "-0",
            "7",
            "-7",
            "10",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999",
            "1.0",
            "1e2",
            "-1E2",
            "123456789012",
            "-1234567890123456789",
        ] {
            let want = match crate::number::canonical_i64(n) {
                Some(i) => Value::Int(i),
                None => Value::Json(n.into()),
            };
            assert_eq!(value(n).unwrap(), want, "{n}");
        }
        assert_eq!(value(" 0 ").unwrap(), Value::Int(0));
        for bad in [
            "01", "-", "1.", ".5", "1e", "+1", "0x1", "1.e3", "NaN", "Infinity", "--1",
        ] {
            assert!(value(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn strings_and_literals_are_strict() {
        assert_eq!(
            value(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83c\udf89""#).unwrap(),
            Value::String("a\"\\/\u{8}\u{c}\n\r\té🎉".into())
        );
        for bad in [
            "\"\u{1}\"",
            r#""\x""#,
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            r#""\u12""#,
            "\"abc",
            "tru",
            "nul",
            "[1,]",
            "{\"a\":1,}",
            "[1 2]",
            "{\"a\" 1}",
            "{1:2}",
            "",
            " ",
            "[",
            "// c\n1",
        ] {
            assert!(value(bad).is_err(), "{bad:?}");
        }
        assert_eq!(value("true").unwrap(), Value::Bool(true));
        assert_eq!(value("null").unwrap(), Value::Json("null".into()));
        assert_eq!(
            value(" [ \"\\u0041\\n\" , { } , [ ] , null ] ").unwrap(),
            Value::Json(r#"["A\n",{},[],null]"#.into())
        );
        assert!(parse_members(b"{\"a\":\"\xff\"}").is_err());
    }

    #[test]
    fn depth_limit_is_the_same_for_a_value_and_a_member() {
        let nest = |d: usize| "[".repeat(d) + &"]".repeat(d);
        assert!(value(&nest(MAX_DEPTH)).is_ok());
        let e = value(&nest(MAX_DEPTH + 1)).unwrap_err();
        assert!(e.to_string().contains("nest more than 128"), "{e}");
        let member = |d: usize| format!("{{\"x\":{}}}", nest(d));
        assert!(parse_members(member(MAX_DEPTH).as_bytes()).is_ok());
        assert!(parse_members(member(MAX_DEPTH + 1).as_bytes()).is_err());
        let deep = "[".repeat(10_000_000);
        assert!(value(&deep).is_err());
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
    fn plain_runs_stop_at_the_first_special_byte() {
        let mut text: Vec<u8> = (0..40).map(|i| b'a' + (i % 26)).collect();
        assert_eq!(plain_run(&text), 40);
        for at in 0..40 {
            for special in [b'"', b'\\', 0, 0x1f, b'\n'] {
                let saved = text[at];
                text[at] = special;
                assert_eq!(plain_run(&text), at, "{special} at {at}");
                // A later special byte never hides an earlier one.
                text[39] = b'"';
                assert_eq!(plain_run(&text), at);
                text[39] = b'a' + 13;
                text[at] = saved;
            }
        }
        let high = "é🎉\u{7f} ~李".as_bytes();
        assert_eq!(plain_run(high), high.len());
        assert_eq!(plain_run(b""), 0);
    }

    #[test]
    fn members_keep_order_and_nothing_may_follow() {
        let m = parse_members(br#" { "z" : 1 , "a" : 2 } "#).unwrap();
        assert_eq!(m[0].0, "z");
        assert!(matches!(m[0].0, Cow::Borrowed(_)));
        assert!(parse_members(b"{} x").is_err());
        assert!(parse_members(b"{}").unwrap().is_empty());
    }
}
