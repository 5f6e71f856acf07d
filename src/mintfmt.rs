//! The one-call mint's formatting helpers: one scan per string that both validates it (bytes
//! from C are not yet known to be UTF-8) and tells whether it needs a JSON escape, a cursor
//! that writes the payload JSON straight into the token's buffer, and time digits formatted
//! once. The output is exactly `json::write_str` / `json::write_i64`'s (tests hold them
//! together), so the mint stays byte-identical to the setter path.
use crate::error::{Error, ErrorKind};
use crate::json::{self, Sink};
use std::str::Utf8Error;

/// A claim string, classified once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text<'a> {
    /// Valid UTF-8 with no byte that needs a JSON escape: copied between quotes as it is
    /// (the usual case).
    Plain(&'a [u8]),
    /// Valid UTF-8 with a `"`, `\` or control character: written by `json::write_str`.
    Escaped(&'a str),
}

impl<'a> Text<'a> {
    /// Classifies a Rust string (already UTF-8).
    pub(crate) fn of_str(s: &'a str) -> Self {
        if scan(s.as_bytes()).escape {
            Text::Escaped(s)
        } else {
            Text::Plain(s.as_bytes())
        }
    }

    /// Validates and classifies bytes from C: an all-ASCII string needs no UTF-8 decoding (one
    /// word-at-a-time pass decides both questions); any other goes through `str::from_utf8`.
    pub(crate) fn of_bytes(b: &'a [u8]) -> Result<Self, Utf8Error> {
        if plain_ascii(b) {
            return Ok(Text::Plain(b));
        }
        let Scan { non_ascii, escape } = scan(b);
        if !non_ascii && !escape {
            return Ok(Text::Plain(b));
        }
        let s = std::str::from_utf8(b)?;
        Ok(if escape {
            Text::Escaped(s)
        } else {
            Text::Plain(b)
        })
    }

    /// The text's bytes (borrowed from the caller).
    pub(crate) fn bytes(&self) -> &'a [u8] {
        match self {
            Text::Plain(b) => b,
            Text::Escaped(s) => s.as_bytes(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Text::Plain(b) => b.is_empty(),
            Text::Escaped(s) => s.is_empty(),
        }
    }

    /// Length of the JSON string literal (quotes included).
    pub(crate) fn json_len(&self) -> usize {
        match self {
            Text::Plain(b) => b.len() + 2,
            Text::Escaped(s) => json::str_json_len(s),
        }
    }
}

/// What one pass over a string found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scan {
    /// A byte >= 0x80 (the string needs full UTF-8 validation).
    non_ascii: bool,
    /// A byte that needs a JSON escape: `"`, `\` or below 0x20.
    escape: bool,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `v` below `n` (n <= 128), possibly more (never when none is):
/// (v - n per byte) borrows into a byte's high bit where v's is clear.
#[inline(always)]
fn below(v: u64, n: u8) -> u64 {
    v.wrapping_sub(ONES * u64::from(n)) & !v & HIGH
}

/// Accumulates one word's findings: its high bits, and whether a byte is `"`, `\` or < 0x20.
#[inline(always)]
fn word_flags(v: u64) -> (u64, u64) {
    let escape = below(v, 0x20)
        | below(v ^ (ONES * u64::from(b'"')), 1)
        | below(v ^ (ONES * u64::from(b'\\')), 1);
    (v & HIGH, escape)
}

/// One pass over `s`, eight bytes at a time (a string of 8 or more bytes ends with an
/// overlapping last word; a shorter one is padded with spaces).
fn scan(s: &[u8]) -> Scan {
    let (mut high, mut escape) = (0, 0);
    if s.len() >= 8 {
        // Whole words, then the last 8 bytes (overlapping the previous word when the length is
        // not a multiple of 8; scanning a byte twice changes nothing).
        let mut i = 0;
        while i + 8 < s.len() {
            let (h, e) = word_flags(u64_le(&s[i..]));
            high |= h;
            escape |= e;
            i += 8;
        }
        let (h, e) = word_flags(u64_le(&s[s.len() - 8..]));
        high |= h;
        escape |= e;
    } else {
        let mut w = [b' '; 8];
        w[..s.len()].copy_from_slice(s);
        (high, escape) = word_flags(u64::from_le_bytes(w));
    }
    Scan {
        non_ascii: high != 0,
        escape: escape != 0,
    }
}

/// Whether every byte of `s` is ASCII and needs no JSON escape (the usual claim string): one
/// accumulator, one test at the end; a string for which it is false is scanned again by
/// [`scan`] to tell why. A byte >= 0x80 sets its own high bit; one that needs an escape sets a
/// high bit through [`below`] (exact when no byte is >= 0x80, which is all that matters here).
fn plain_ascii(s: &[u8]) -> bool {
    let flags = |v: u64| {
        let quote = v ^ (ONES * u64::from(b'"'));
        let backslash = v ^ (ONES * u64::from(b'\\'));
        v | (v.wrapping_sub(ONES * 0x20) & !v)
            | (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
    };
    let mut acc = 0;
    let mut words = s.chunks_exact(8);
    for w in &mut words {
        acc |= flags(u64_le(w));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        // The last 8 bytes (overlapping bytes already seen) or, for a string shorter than a
        // word, the string padded with spaces.
        let last = if s.len() >= 8 {
            u64_le(&s[s.len() - 8..])
        } else {
            let mut w = [b' '; 8];
            copy(&mut w[..s.len()], s);
            u64::from_le_bytes(w)
        };
        acc |= flags(last);
    }
    acc & HIGH == 0
}

#[inline(always)]
fn u64_le(c: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&c[..8]);
    u64::from_le_bytes(w)
}

/// The 8 decimal digits of `x` (< 10^8, with leading zeros) as byte values 0-9, the first in
/// the low byte: SWAR, splitting the number in lanes (4+4 digits, then 2+2, then 1+1) with
/// multiply-shift divisions that are exact in this range, without tables or branches.
#[inline(always)]
fn eight_digits(x: u32) -> u64 {
    let v = u64::from(x / 10_000) | u64::from(x % 10_000) << 32;
    // Two 32-bit lanes < 10^4: v / 100 per lane is (v * 10486) >> 20.
    let hi = ((v * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let v = hi | (v - hi * 100) << 16;
    // Four 16-bit lanes < 100: v / 10 per lane is (v * 103) >> 10.
    let hi = ((v * 103) >> 10) & 0x000f_000f_000f_000f;
    hi | (v - hi * 10) << 8
}

/// Times up to this many digits are formatted (every time to sign has at most 12).
const MAX_DIGITS: usize = 16;

/// A time's decimal text, formatted once for both the length and the write: left-aligned in
/// 16 bytes, so that it is written with one fixed-size copy (as a [`Prefix`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Digits {
    bytes: [u8; MAX_DIGITS],
    len: usize,
}

impl Digits {
    /// The digits of `v`, which must lie in [0, 10^16): every time to sign does (they are
    /// checked to lie in [0, MAX_SIGN_TIME] first). Another value is a bug, reported as
    /// [`ErrorKind::Internal`] rather than formatted wrongly.
    pub(crate) fn new(v: i64) -> crate::error::Result<Self> {
        let n = u64::try_from(v)
            .ok()
            .filter(|&n| n < 10u64.pow(MAX_DIGITS as u32))
            .ok_or_else(|| Error::new(ErrorKind::Internal, "time to format out of range"))?;
        // 16 digit values with leading zeros, the first in the low byte; the leading zeros
        // (zero bytes, at most 15: "0" keeps its digit) are shifted out, then made ASCII.
        let digits = u128::from(eight_digits((n / 100_000_000) as u32))
            | u128::from(eight_digits((n % 100_000_000) as u32)) << 64;
        let zeros = (digits.trailing_zeros() / 8).min(MAX_DIGITS as u32 - 1);
        let text = (digits >> (8 * zeros)) | u128::from_le_bytes([b'0'; MAX_DIGITS]);
        Ok(Digits {
            bytes: text.to_le_bytes(),
            len: MAX_DIGITS - zeros as usize,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[cfg(test)]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// Bytes past the end of the JSON that [`Cursor::put_prefix`] may scribble on (the mint
/// leaves this much room and overwrites it afterwards).
pub(crate) const SLACK: usize = 16;

/// A member's `"name":` (with its leading `{` or `,`, and the value's opening quote for a
/// plain string), padded to 16 bytes so that it is written with one fixed-size copy.
pub(crate) struct Prefix {
    bytes: [u8; 16],
    len: usize,
}

impl Prefix {
    /// `text` must be at most 16 bytes (checked at compile time: every prefix is a const).
    pub(crate) const fn new(text: &str) -> Self {
        let t = text.as_bytes();
        assert!(t.len() <= 16);
        let mut bytes = [0u8; 16];
        let mut i = 0;
        while i < t.len() {
            bytes[i] = t[i];
            i += 1;
        }
        Prefix {
            bytes,
            len: t.len(),
        }
    }

    pub(crate) const fn len(&self) -> usize {
        self.len
    }
}

/// Writes into a slice sized beforehand (a longer write is a bug and panics), `SLACK` bytes
/// longer than what is written.
pub(crate) struct Cursor<'b> {
    out: &'b mut [u8],
    pos: usize,
}

impl<'b> Cursor<'b> {
    pub(crate) fn new(out: &'b mut [u8]) -> Self {
        Cursor { out, pos: 0 }
    }

    /// Writes a prefix: one 16-byte copy, of which `p.len()` bytes count.
    #[inline(always)]
    pub(crate) fn put_prefix(&mut self, p: &Prefix) {
        self.out[self.pos..self.pos + 16].copy_from_slice(&p.bytes);
        self.pos += p.len;
    }

    /// Writes a time's digits: one 16-byte copy, of which `d.len()` bytes count.
    #[inline(always)]
    pub(crate) fn put_digits(&mut self, d: &Digits) {
        self.out[self.pos..self.pos + MAX_DIGITS].copy_from_slice(&d.bytes);
        self.pos += d.len;
    }

    #[inline(always)]
    pub(crate) fn put_byte(&mut self, b: u8) {
        self.out[self.pos] = b;
        self.pos += 1;
    }

    #[inline(always)]
    pub(crate) fn put(&mut self, bytes: &[u8]) {
        copy(&mut self.out[self.pos..self.pos + bytes.len()], bytes);
        self.pos += bytes.len();
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }
}

impl Sink for Cursor<'_> {
    fn put(&mut self, bytes: &[u8]) {
        Cursor::put(self, bytes);
    }
}

/// Copies `src` into `dst` (the same length) with a few fixed-size, possibly overlapping
/// copies instead of a call to `memcpy`: claim strings are short. (No loop up to 64 bytes: the
/// compiler turns a loop of 16-byte copies back into a `memcpy` call.) Also used for the
/// message's last partial block in `key.rs`.
#[inline(always)]
pub(crate) fn copy(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if n > 64 {
        dst.copy_from_slice(src);
    } else if n > 32 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[16..32].copy_from_slice(&src[16..32]);
        dst[n - 32..n - 16].copy_from_slice(&src[n - 32..n - 16]);
        dst[n - 16..].copy_from_slice(&src[n - 16..]);
    } else if n >= 16 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[n - 16..].copy_from_slice(&src[n - 16..]);
    } else if n >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[n - 8..].copy_from_slice(&src[n - 8..]);
    } else if n >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[n - 4..].copy_from_slice(&src[n - 4..]);
    } else if n >= 2 {
        dst[..2].copy_from_slice(&src[..2]);
        dst[n - 2..].copy_from_slice(&src[n - 2..]);
    } else if n == 1 {
        dst[0] = src[0];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(t: Text<'_>) -> Vec<u8> {
        let mut out = vec![0u8; t.json_len()];
        let mut c = Cursor::new(&mut out);
        match t {
            Text::Plain(b) => {
                c.put_byte(b'"');
                c.put(b);
                c.put_byte(b'"');
            }
            Text::Escaped(s) => json::write_str(&mut c, s),
        }
        assert_eq!(c.pos(), out.len());
        out
    }

    #[test]
    fn copies_of_every_short_length_are_exact() {
        let src: Vec<u8> = (0..200u8).collect();
        for n in 0..200 {
            let mut dst = vec![0xee; n + 3];
            copy(&mut dst[1..n + 1], &src[..n]);
            assert_eq!(&dst[1..n + 1], &src[..n]);
            assert_eq!([dst[0], dst[n + 1], dst[n + 2]], [0xee; 3]);
        }
    }

    #[test]
    fn prefixes_write_their_length() {
        let p = Prefix::new(",\"breakoutId\":\"");
        assert_eq!(p.len(), 15);
        let mut out = [b'#'; 40];
        let mut c = Cursor::new(&mut out);
        c.put_byte(b'x');
        c.put_prefix(&p);
        c.put(b"1");
        assert_eq!(c.pos(), 17);
        assert_eq!(&out[..17], b"x,\"breakoutId\":\"1");
    }

    #[test]
    fn scan_flags_exactly_the_bytes_that_matter() {
        for b in 0..=255u8 {
            for len in 1..20 {
                for at in 0..len {
                    let mut v = vec![b'a'; len];
                    v[at] = b;
                    let want = Scan {
                        non_ascii: b >= 0x80,
                        escape: b < 0x20 || b == b'"' || b == b'\\',
                    };
                    assert_eq!(scan(&v), want, "{b:#x} at {at} of {len}");
                }
            }
        }
        assert_eq!(
            scan(b""),
            Scan {
                non_ascii: false,
                escape: false
            }
        );
        assert!(!scan("Zoë 🎉 李 \u{7f}\u{2028}".as_bytes()).escape);
    }

    #[test]
    fn plain_ascii_is_exactly_no_escape_and_no_high_byte() {
        for b in 0..=255u8 {
            for len in 1..20 {
                for at in 0..len {
                    let mut v = vec![b'a'; len];
                    v[at] = b;
                    let s = scan(&v);
                    assert_eq!(
                        plain_ascii(&v),
                        !s.non_ascii && !s.escape,
                        "{b:#x} at {at} of {len}"
                    );
                }
            }
        }
        assert!(plain_ascii(b""));
        assert!(!plain_ascii("é\"".as_bytes()));
    }

    #[test]
    fn texts_write_as_the_json_module_does() {
        let strings = [
            "",
            "x",
            "John Smith",
            "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f",
            "q\"uote",
            "back\\slash",
            "ctl\u{1}\u{1f}\n\t\r\u{8}\u{c}",
            "Zoë 🎉 李 \u{7f}\u{2028}",
            "é\"",
        ];
        for s in strings {
            let mut want = Vec::new();
            json::write_str(&mut want, s);
            assert_eq!(write(Text::of_str(s)), want, "{s:?}");
            assert_eq!(Text::of_bytes(s.as_bytes()), Ok(Text::of_str(s)), "{s:?}");
            assert_eq!(Text::of_str(s).json_len(), json::str_json_len(s));
        }
    }

    #[test]
    fn invalid_utf8_is_refused_with_its_offset() {
        for (bytes, at) in [
            (&b"\xff"[..], 0),
            (b"abc\xc3", 3),
            (b"abcdefgh\xe2\x82", 8),
            (b"ok \"\x80\"", 4),
            (b"\xed\xa0\x80", 0),
        ] {
            assert_eq!(Text::of_bytes(bytes).unwrap_err().valid_up_to(), at);
        }
    }

    #[test]
    fn eight_digits_is_exact() {
        let xs = (0..100_000_000u32)
            .step_by(997)
            .chain(0..20_000)
            .chain(99_990_000..100_000_000);
        for x in xs {
            let d = eight_digits(x).to_le_bytes().map(|b| b + b'0');
            assert_eq!(d, format!("{x:08}").as_bytes(), "{x}");
        }
    }

    #[test]
    fn digits_match_the_json_module() {
        let mut v: Vec<i64> = vec![0, 1, 9, 10, 99, 100, 1_767_225_600];
        v.push(crate::MAX_SIGN_TIME);
        let mut p = 1i64;
        for _ in 0..16 {
            p *= 10;
            v.extend([p - 1, p, p + 1, p / 7 * 3]);
        }
        for x in v {
            let mut want = Vec::new();
            json::write_i64(&mut want, x);
            if x < 10i64.pow(16) {
                let d = Digits::new(x).unwrap();
                assert_eq!(d.as_bytes(), &want[..], "{x}");
                assert_eq!(d.len(), want.len(), "{x}");
                let mut out = [b'#'; 40];
                let mut c = Cursor::new(&mut out);
                c.put_byte(b'x');
                c.put_digits(&d);
                assert_eq!(c.pos(), 1 + want.len());
                assert_eq!(&out[1..1 + want.len()], &want[..], "{x}");
            } else {
                assert_eq!(Digits::new(x).unwrap_err().kind(), ErrorKind::Internal);
            }
        }
        for x in [-1, -100, i64::MIN, i64::MAX] {
            assert_eq!(Digits::new(x).unwrap_err().kind(), ErrorKind::Internal);
        }
    }
}
