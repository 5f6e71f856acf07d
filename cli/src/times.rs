//! Durations (`30s`, `15m`, `1h`, `1d`, `1h30m`), points in time (unix seconds or RFC 3339) and
//! their display (RFC 3339 UTC plus a relative phrase).
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const UNITS: [(char, i64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

/// Parses a duration into seconds: bare digits (seconds) or one or more `<digits><unit>` groups
/// with units `d`, `h`, `m`, `s`, largest first, each at most once (`1h30m`, `90s`, `2d`).
/// No sign, no fractions, no spaces.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    const HINT: &str =
        "use whole numbers with s, m, h or d, largest unit first, e.g. 30s, 15m, 1h, 1d, 1h30m";
    if s.is_empty() {
        return Err(format!("empty duration ({HINT})"));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<i64>()
            .map_err(|_| format!("duration {s:?} is too large"));
    }
    let mut total: i64 = 0;
    let mut rest = s;
    let mut next_unit = 0; // index into UNITS: units must come in decreasing size
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("invalid duration {s:?}: {HINT}"));
        }
        let (num, tail) = rest.split_at(digits);
        let unit = tail.chars().next();
        let Some(pos) = unit.and_then(|u| UNITS.iter().position(|&(c, _)| c == u)) else {
            return Err(format!("invalid duration {s:?}: {HINT}"));
        };
        if pos < next_unit {
            return Err(format!("invalid duration {s:?}: {HINT}"));
        }
        next_unit = pos + 1;
        let n: i64 = num
            .parse()
            .map_err(|_| format!("duration {s:?} is too large"))?;
        total = n
            .checked_mul(UNITS[pos].1)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("duration {s:?} is too large"))?;
        rest = &tail[1..];
    }
    Ok(total)
}

/// Parses a point in time: unix seconds (`1700000000`, `-5`) or an RFC 3339 date-time with a
/// `Z` or numeric offset (`2023-11-14T22:13:20Z`, `2023-11-15T00:13:20+02:00`). Fractional
/// seconds must be zero: token times are whole seconds.
pub fn parse_time(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<i64>()
            .map_err(|_| format!("time {s:?} does not fit in 64-bit unix seconds"));
    }
    let t = OffsetDateTime::parse(s, &Rfc3339).map_err(|e| {
        format!(
            "invalid time {s:?} ({e}): give unix seconds (1700000000) or RFC 3339 \
             (2023-11-14T22:13:20Z, 2023-11-15T00:13:20+02:00)"
        )
    })?;
    if t.nanosecond() != 0 {
        return Err(format!(
            "time {s:?} has fractional seconds; token times are whole seconds"
        ));
    }
    Ok(t.unix_timestamp())
}

/// `t` as RFC 3339 in UTC, or `None` outside years 0000-9999.
pub fn rfc3339_utc(t: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
}

/// A span of seconds in the largest whole unit: "42 s", "59 min", "3 h", "2 d".
pub fn span(secs: u128) -> String {
    match secs {
        0..60 => format!("{secs} s"),
        60..3_600 => format!("{} min", secs / 60),
        3_600..86_400 => format!("{} h", secs / 3_600),
        _ => format!("{} d", secs / 86_400),
    }
}

/// A phrase for a time claim seen at `now`: "expires in 59 min", "expired 3 h ago",
/// "valid in 5 min", "valid since 2 min ago", "issued 1 h ago", "issued 3 s in the future".
pub fn relative(claim: &str, t: i64, now: i64) -> String {
    let d = i128::from(t) - i128::from(now);
    let s = span(d.unsigned_abs());
    match (claim, d.signum()) {
        ("exp", 1) => format!("expires in {s}"),
        ("exp", 0) => "expired just now".to_string(),
        ("exp", _) => format!("expired {s} ago"),
        ("nbf", 1) => format!("valid in {s}"),
        ("nbf", 0) => "valid from now".to_string(),
        ("nbf", _) => format!("valid since {s} ago"),
        (_, 1) => format!("issued {s} in the future"),
        (_, 0) => "issued just now".to_string(),
        (_, _) => format!("issued {s} ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (s, v) in [
            ("0", 0),
            ("90", 90),
            ("30s", 30),
            ("15m", 900),
            ("1h", 3600),
            ("1d", 86_400),
            ("1h30m", 5400),
            ("2d3h4m5s", 2 * 86_400 + 3 * 3600 + 4 * 60 + 5),
            ("0s", 0),
        ] {
            assert_eq!(parse_duration(s), Ok(v), "{s}");
        }
        for s in [
            "",
            "1x",
            "h",
            "-5s",
            "+5s",
            "1.5h",
            "1 h",
            " 1h",
            "1h ",
            "30m1h",
            "1h1h",
            "1H",
            "1hs",
            "5sec",
            "99999999999999999999",
            "9223372036854775807d",
            "1h-",
        ] {
            assert!(parse_duration(s).is_err(), "{s:?} should be rejected");
        }
        assert!(parse_duration("1x").unwrap_err().contains("e.g. 30s"));
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("1700000000"), Ok(1_700_000_000));
        assert_eq!(parse_time("-5"), Ok(-5));
        assert_eq!(parse_time("0"), Ok(0));
        assert_eq!(parse_time("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert_eq!(parse_time("2023-11-15T00:13:20+02:00"), Ok(1_700_000_000));
        assert_eq!(parse_time("2023-11-14T17:13:20-05:00"), Ok(1_700_000_000));
        assert_eq!(parse_time("2023-11-14T22:13:20.000Z"), Ok(1_700_000_000));
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Ok(0));
        // RFC 3339 allows lower-case t/z and (section 5.6, note) a space for the T.
        assert_eq!(parse_time("2023-11-14t22:13:20z"), Ok(1_700_000_000));
        assert_eq!(parse_time("2023-11-14 22:13:20Z"), Ok(1_700_000_000));
        for s in [
            "",
            "-",
            "1.5",
            "2023-11-14",
            "2023-11-14T22:13:20",
            "2023-13-01T00:00:00Z",
            "2023-02-30T00:00:00Z",
            "2023-11-14T22:13:20.5Z",
            "2023-11-14T22:13:20+2:00",
            "99999999999999999999",
            "tomorrow",
        ] {
            assert!(parse_time(s).is_err(), "{s:?} should be rejected");
        }
    }

    #[test]
    fn display() {
        assert_eq!(
            rfc3339_utc(1_700_000_000).as_deref(),
            Some("2023-11-14T22:13:20Z")
        );
        assert_eq!(rfc3339_utc(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(rfc3339_utc(i64::MAX), None);
        assert_eq!(relative("exp", 1000 + 3599, 1000), "expires in 59 min");
        assert_eq!(
            relative("exp", 1000, 1000 + 3 * 3600 + 5),
            "expired 3 h ago"
        );
        assert_eq!(relative("exp", 5, 5), "expired just now");
        assert_eq!(relative("nbf", 100, 70), "valid in 30 s");
        assert_eq!(relative("nbf", 0, 2 * 86_400), "valid since 2 d ago");
        assert_eq!(relative("iat", 0, 60), "issued 1 min ago");
        assert_eq!(relative("iat", 9, 6), "issued 3 s in the future");
        assert_eq!(
            relative("exp", i64::MAX, i64::MIN),
            format!("expires in {} d", (u128::from(u64::MAX)) / 86_400)
        );
    }
}
