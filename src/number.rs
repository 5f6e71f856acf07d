//! JSON numbers kept exactly as written, and exact arithmetic-free comparisons on them.
//!
//! A claim's number is stored as the text it was given in (`1e3`, `1700003600.0`,
//! `123456789012345678901234567891`); nothing is rounded through `f64`. Comparisons (a token's
//! `exp` against `now` and the leeway, `exp` against `nbf` at signing) work on the decimal
//! digits, so they are exact for every finite JSON number however long.
use std::cmp::Ordering;

/// 2^53 − 1 seconds, the largest integer every JSON implementation reads exactly (RFC 8259 §6,
/// RFC 7493 §2.2). Kept (it shipped): the range signing accepts is now the narrower
/// [0, [`MAX_SIGN_TIME`]].
pub const MAX_TIME_SECONDS: i64 = (1 << 53) - 1;

/// The latest time signing accepts: 9999-12-31T23:59:59Z (RFC 3339's range), 253402300799 unix
/// seconds. Times to sign (`iat`, `nbf`, `exp`, and a mint's `now`) lie in [0, MAX_SIGN_TIME]:
/// a millisecond timestamp of any date after 1970-04-26 is above it, so the unit mistake is
/// caught. Verification accepts every finite NumericDate.
pub const MAX_SIGN_TIME: i64 = 253_402_300_799;

/// Where a time to sign lies relative to [0, [`MAX_SIGN_TIME`]].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignTime {
    InRange,
    /// Below 0 (before 1970).
    BeforeEpoch,
    /// Above the range, but the value divided by 1000 is in it: probably milliseconds.
    Millis,
    /// Above the range, even in milliseconds.
    TooLate,
}

/// Classifies an integer time to sign.
pub(crate) fn sign_time(t: i64) -> SignTime {
    sign_time_order(|n| i128::from(t).cmp(&n))
}

/// Classifies the JSON number `text` as a time to sign; `None` when it is not a JSON number.
pub(crate) fn sign_time_text(text: &str) -> Option<SignTime> {
    Decimal::parse(text)?;
    Some(sign_time_order(|n| {
        cmp_int(text, n).unwrap_or(Ordering::Equal)
    }))
}

/// The classification from an exact comparison of the value with an integer.
fn sign_time_order(cmp: impl Fn(i128) -> Ordering) -> SignTime {
    let max = i128::from(MAX_SIGN_TIME);
    if cmp(0) == Ordering::Less {
        SignTime::BeforeEpoch
    } else if cmp(max) != Ordering::Greater {
        SignTime::InRange
    } else if cmp((max + 1) * 1000) == Ordering::Less {
        SignTime::Millis
    } else {
        SignTime::TooLate
    }
}

/// `t` (unix seconds, 0 ..= [`MAX_SIGN_TIME`]) as RFC 3339 UTC: `2026-01-01T00:00:00Z`.
/// Other values are shown as `t` seconds.
pub(crate) fn rfc3339(t: i64) -> String {
    if !(0..=MAX_SIGN_TIME).contains(&t) {
        return format!("{t} s");
    }
    let (days, secs) = (t / 86_400, t % 86_400);
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 >= 0.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// A JSON number as sign, significant digits and a decimal exponent: the value is
/// `0.d1 d2 ... dk × 10^point` (no leading or trailing zeros in `digits`; zero has none).
#[derive(Debug, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    point: i64,
}

/// Exponents are clamped to this magnitude: far beyond any digit count that fits in memory, and
/// far from overflowing `i64` when the digit count is added.
const EXP_CLAMP: i64 = 1 << 50;

impl Decimal {
    /// Parses text already known to be a JSON number (RFC 8259 grammar); `None` otherwise.
    fn parse(text: &str) -> Option<Decimal> {
        let b = text.as_bytes();
        let mut i = 0;
        let negative = b.first() == Some(&b'-');
        if negative {
            i += 1;
        }
        let int_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let int = &b[int_start..i];
        let mut frac: &[u8] = &[];
        if b.get(i) == Some(&b'.') {
            let s = i + 1;
            i = s;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            frac = &b[s..i];
        }
        let mut exp: i64 = 0;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            let neg_exp = match b.get(i) {
                Some(b'-') => {
                    i += 1;
                    true
                }
                Some(b'+') => {
                    i += 1;
                    false
                }
                _ => false,
            };
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                exp = (exp * 10 + i64::from(b[i] - b'0')).min(EXP_CLAMP);
                i += 1;
            }
            if s == i {
                return None;
            }
            if neg_exp {
                exp = -exp;
            }
        }
        if int.is_empty() || i != b.len() {
            return None;
        }
        let all = int.iter().chain(frac);
        let lead = all.clone().take_while(|&&d| d == b'0').count();
        let mut digits: Vec<u8> = all.skip(lead).map(|d| d - b'0').collect();
        while digits.last() == Some(&0) {
            digits.pop();
        }
        let int_len = i64::try_from(int.len()).ok()?;
        let lead = i64::try_from(lead).ok()?;
        Some(Decimal {
            negative,
            point: if digits.is_empty() {
                0
            } else {
                int_len - lead + exp
            },
            digits,
        })
    }

    fn from_int(n: i128) -> Decimal {
        Decimal::parse(&n.to_string()).unwrap_or(Decimal {
            negative: false,
            digits: Vec::new(),
            point: 0,
        })
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Exact order of two decimals.
    fn cmp(&self, other: &Decimal) -> Ordering {
        let sign = |d: &Decimal| match (d.is_zero(), d.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let (a, b) = (sign(self), sign(other));
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let magnitude = self
            .point
            .cmp(&other.point)
            .then_with(|| self.digits.cmp(&other.digits));
        if a < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

/// The exact order of the JSON number `text` and the integer `n` (`None`: not a JSON number).
pub(crate) fn cmp_int(text: &str, n: i128) -> Option<Ordering> {
    Some(Decimal::parse(text)?.cmp(&Decimal::from_int(n)))
}

/// The exact order of two JSON numbers (`None`: one is not a JSON number).
pub(crate) fn cmp(a: &str, b: &str) -> Option<Ordering> {
    Some(Decimal::parse(a)?.cmp(&Decimal::parse(b)?))
}

/// The JSON number rounded toward negative infinity and clamped to `i64` (a time shown in an
/// error's numbers; precision beyond 2^53 does not matter there). `None`: not a JSON number.
pub(crate) fn floor_i64(text: &str) -> Option<i64> {
    Decimal::parse(text)?;
    let f: f64 = text.parse().ok()?;
    // `as` saturates at i64's bounds.
    Some(f.floor() as i64)
}

/// The number's value when it is an integer that fits in `i64` (`1e3`, `-0`, `5.0` included),
/// `None` for a fraction, a value out of range, or text that is not a JSON number.
pub(crate) fn as_i64(text: &str) -> Option<i64> {
    let d = Decimal::parse(text)?;
    if d.is_zero() {
        return Some(0);
    }
    let digits = usize::try_from(d.point).ok()?;
    if digits < d.digits.len() || digits > 19 {
        return None;
    }
    let mut v: i128 = 0;
    for k in 0..digits {
        v = v * 10 + i128::from(d.digits.get(k).copied().unwrap_or(0));
    }
    i64::try_from(if d.negative { -v } else { v }).ok()
}

/// The value when the text is a canonical `i64` (`12`, `-9`: what `i64` prints), so the claim
/// can be kept as [`crate::Value::Int`] without changing a byte. (The parser computes this as
/// it scans; this is the tests' oracle.)
#[cfg(test)]
pub(crate) fn canonical_i64(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty()
        || digits.len() > 19
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
        || text == "-0"
    {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_time_range_and_the_milliseconds_hint() {
        use SignTime::*;
        for (t, class) in [
            (0, InRange),
            (MAX_SIGN_TIME, InRange),
            (-1, BeforeEpoch),
            (i64::MIN, BeforeEpoch),
            (MAX_SIGN_TIME + 1, Millis),
            (1_767_229_200_000, Millis),
            ((MAX_SIGN_TIME + 1) * 1000 - 1, Millis),
            ((MAX_SIGN_TIME + 1) * 1000, TooLate),
            (i64::MAX, TooLate),
        ] {
            assert_eq!(sign_time(t), class, "{t}");
            assert_eq!(sign_time_text(&t.to_string()), Some(class), "{t}");
        }
        for (text, class) in [
            ("-0", InRange),
            ("0.0", InRange),
            ("-0.5", BeforeEpoch),
            ("-1e-30", BeforeEpoch),
            ("253402300799.5", Millis),
            ("1.7e12", Millis),
            ("2.534023008e14", TooLate),
            ("1e400", TooLate),
            ("1700000000.25", InRange),
        ] {
            assert_eq!(sign_time_text(text), Some(class), "{text}");
        }
        assert_eq!(sign_time_text("x"), None);
    }

    #[test]
    fn rfc3339_dates() {
        for (t, s) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_767_229_200, "2026-01-01T01:00:00Z"),
            (4_102_444_800, "2100-01-01T00:00:00Z"),
            (MAX_SIGN_TIME, "9999-12-31T23:59:59Z"),
        ] {
            assert_eq!(rfc3339(t), s);
        }
        assert_eq!(rfc3339(-1), "-1 s");
    }

    #[test]
    fn exact_order_whatever_the_spelling() {
        use Ordering::*;
        for (a, b, o) in [
            ("1e3", "1000", Equal),
            ("1000.0", "1e3", Equal),
            ("-0", "0", Equal),
            ("0.0e99999999999999999999", "0", Equal),
            ("1700003600.5", "1700003600", Greater),
            ("1700003599.999999999999999999999", "1700003600", Less),
            (
                "123456789012345678901234567891",
                "123456789012345678901234567890",
                Greater,
            ),
            (
                "-123456789012345678901234567891",
                "-123456789012345678901234567890",
                Less,
            ),
            ("2.5e-400", "0", Greater),
            ("-2.5e-400", "0", Less),
            ("1e400", "9223372036854775807", Greater),
            ("-1e400", "-9223372036854775808", Less),
            ("10", "9", Greater),
            ("0.1", "0.09", Greater),
            ("-0.1", "-0.09", Less),
            ("1E+2", "100", Equal),
            ("12e-1", "1.2", Equal),
        ] {
            assert_eq!(cmp(a, b), Some(o), "{a} vs {b}");
            assert_eq!(cmp(b, a), Some(o.reverse()), "{b} vs {a}");
        }
        assert_eq!(cmp_int("1700003600.0", 1_700_003_600), Some(Equal));
        assert_eq!(cmp_int("-1", i128::from(i64::MIN)), Some(Greater));
        assert_eq!(cmp("1e", "1"), None);
        assert_eq!(cmp("x", "1"), None);
    }

    #[test]
    fn integers_and_ranges() {
        assert_eq!(as_i64("1e3"), Some(1000));
        assert_eq!(as_i64("-0"), Some(0));
        assert_eq!(as_i64("5.000"), Some(5));
        assert_eq!(as_i64("9223372036854775807"), Some(i64::MAX));
        assert_eq!(as_i64("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(as_i64("9223372036854775808"), None);
        assert_eq!(as_i64("1.5"), None);
        assert_eq!(as_i64("1e400"), None);
        assert_eq!(as_i64("2.5e-400"), None);
        assert_eq!(canonical_i64("12"), Some(12));
        assert_eq!(canonical_i64("-9"), Some(-9));
        assert_eq!(canonical_i64("0"), Some(0));
        for not in ["-0", "1e3", "1.0", "01", "9223372036854775808", "", "-"] {
            assert_eq!(canonical_i64(not), None, "{not}");
        }
    }
}
