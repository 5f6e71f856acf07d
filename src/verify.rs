//! Verification of a received token: structure, `alg`, signature (constant time) over the bytes
//! received, then the payload and its times.
use crate::b64;
use crate::claims::claim_arg;
use crate::claims::{Claims, Value};
use crate::error::{Arg, Error, ErrorKind, Reason, Result};
use crate::json;
use crate::key::SigningKey;
use crate::sign::HEADER_B64;
use std::borrow::Cow;
use std::cmp::Ordering;

/// Tokens longer than this many bytes are rejected before any decoding.
pub const MAX_TOKEN_LEN: usize = 65_536;

fn part_arg(what: &str) -> Arg {
    match what {
        "header" => Arg::Header,
        "payload" => Arg::Payload,
        _ => Arg::Signature,
    }
}

fn decode_part(part: &str, what: &str) -> Result<Vec<u8>> {
    b64::decode(part.as_bytes()).map_err(|e| {
        Error::malformed(format!(
            "the token's {what} is not strict unpadded base64url ({e})"
        ))
        .why(Reason::BadBase64, part_arg(what))
    })
}

fn parse_object<'a>(json: &'a [u8], what: &str) -> Result<Vec<(Cow<'a, str>, Value)>> {
    json::parse_members(json).map_err(|e| {
        Error::malformed(format!(
            "the token's {what} is not a strict JSON object ({e})"
        ))
        .why(Reason::NotJsonObject, part_arg(what))
    })
}

/// What [`verify_with`] checks beyond the signature and the times.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct VerifyOptions<'a> {
    /// Unix seconds; 0 reads the system clock.
    pub now: i64,
    /// Seconds of clock difference allowed for `exp`, `nbf` and `iat`.
    pub leeway: u32,
    /// Whether `exp` must be present (true unless the caller opts out: Digital Samba's own
    /// REST examples mint tokens without one).
    pub require_exp: bool,
    /// Claims that must be present besides `exp`.
    pub required: &'a [&'a str],
    /// The team id (`td`) the token must carry, when given.
    pub team_id: Option<&'a str>,
    /// The room (`rd`) the token must carry, when given.
    pub room: Option<&'a str>,
}

impl Default for VerifyOptions<'_> {
    fn default() -> Self {
        VerifyOptions {
            now: 0,
            leeway: 0,
            require_exp: true,
            required: &[],
            team_id: None,
            room: None,
        }
    }
}

/// [`verify`] with options: after the signature and the times, `exp` must be present unless
/// `require_exp` is false ([`ErrorKind::MissingClaim`], [`Reason::Missing`]), every claim in
/// `required` must be present (the same), and `td`/`rd` must equal `team_id`/`room` when they
/// are given ([`ErrorKind::ClaimMismatch`], the token's value in the error's text; a claim
/// that is absent or not a string is a mismatch too).
pub fn verify_with(token: &str, key: &SigningKey, opts: &VerifyOptions<'_>) -> Result<Claims> {
    let claims = verify(token, key, opts.now, opts.leeway)?;
    check_options(claims, opts)
}

/// The options' checks on verified claims, in a frame of their own: the verification above
/// runs with the small-stack budget the header promises, and this adds nothing to its peak.
#[inline(never)]
fn check_options(claims: Claims, opts: &VerifyOptions<'_>) -> Result<Claims> {
    let exp: &[&str] = if opts.require_exp { &["exp"] } else { &[] };
    for &name in exp.iter().chain(opts.required) {
        if claims.get(name).is_none() {
            return Err(Error::new(
                ErrorKind::MissingClaim,
                format!("the token has no claim \"{name}\", which the verifier requires"),
            )
            .why(Reason::Missing, claim_arg(name))
            .other(Arg::Required)
            .name(name));
        }
    }
    for (name, want) in [("td", opts.team_id), ("rd", opts.room)] {
        let Some(want) = want else { continue };
        let got = claims.get(name);
        if !matches!(got, Some(Value::String(s)) if s == want) {
            let shown = match got {
                Some(Value::String(s)) => s.clone(),
                Some(v) => v.to_json(),
                None => String::new(),
            };
            return Err(Error::new(
                ErrorKind::ClaimMismatch,
                format!(
                    "the token's claim \"{name}\" is {}, not the expected {}",
                    if got.is_some() {
                        quote(&shown)
                    } else {
                        "absent".into()
                    },
                    quote(want)
                ),
            )
            .why(Reason::ClaimMismatch, claim_arg(name))
            .name(name)
            .text(&shown));
        }
    }
    Ok(claims)
}

/// Reads a token's header (as compact JSON text) and claims WITHOUT checking its signature or
/// its times: what it returns proves nothing about who made the token. For choosing a key or
/// for logging before verification. The token is parsed as strictly as [`verify`] parses it
/// (three parts, strict base64url, strict JSON objects, time claims numbers); only what is
/// malformed is refused, whatever the `alg`.
pub fn decode_unverified(token: &str) -> Result<(String, Claims)> {
    decode_parts(token).map_err(|e| url_error(token, e))
}

fn decode_parts(token: &str) -> Result<(String, Claims)> {
    let (header, payload, signature) = split(token)?;
    let header_bytes = decode_part(header, "header")?;
    let members = parse_object(&header_bytes, "header")?;
    let mut header_json: Vec<u8> = Vec::new();
    header_json.push(b'{');
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            header_json.push(b',');
        }
        json::write_str(&mut header_json, name);
        header_json.push(b':');
        value.write_json(&mut header_json);
    }
    header_json.push(b'}');
    let payload_bytes = decode_part(payload, "payload")?;
    decode_part(signature, "signature")?;
    let claims = Claims::from_token_json(&payload_bytes, "payload")?;
    Ok((String::from_utf8(header_json).unwrap_or_default(), claims))
}

/// A URL passed where a token belongs gets the error that says so (checked only on the error
/// path).
#[cold]
#[inline(never)]
fn url_error(token: &str, e: Error) -> Error {
    if looks_like_url(token) {
        Error::malformed(
            "this is a URL, not a token: pass the token alone (the value of the URL's \
             `token` parameter, between \"token=\" and the next '&' or the end)",
        )
        .why(Reason::IsUrl, Arg::Token)
    } else {
        e
    }
}

/// The token's three parts, after the length limit.
fn split(token: &str) -> Result<(&str, &str, &str)> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(Error::malformed(format!(
            "the token is {} bytes, over the {MAX_TOKEN_LEN}-byte limit",
            token.len()
        ))
        .why(Reason::TokenTooLong, Arg::Token)
        .nums(
            crate::sign::to_i64(token.len()),
            crate::sign::to_i64(MAX_TOKEN_LEN),
        ));
    }
    let bytes = token.as_bytes();
    // The first and the last dot. Exactly two: the header before the first is either the
    // constant one or decoded strictly, and the payload and the signature are strictly
    // decoded, so a third dot anywhere is refused as malformed.
    let h = HEADER_B64.len();
    let first = if bytes.get(h) == Some(&b'.') && bytes.starts_with(HEADER_B64.as_bytes()) {
        Some(h)
    } else {
        bytes.iter().position(|&b| b == b'.')
    };
    let second = bytes.iter().rposition(|&b| b == b'.');
    match (first, second) {
        (Some(f), Some(s)) if f < s => Ok((&token[..f], &token[f + 1..s], &token[s + 1..])),
        _ => Err(
            Error::malformed("a token has three base64url parts separated by two dots")
                .why(Reason::NotThreeParts, Arg::Token),
        ),
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

/// Verifies `token` with `key` at time `now` (unix seconds; 0 reads the system clock, as it does
/// wherever dstoken takes a `now`), allowing `leeway` seconds of clock difference, and returns
/// its claims.
///
/// Accepts only `alg` = "HS256" (`typ` optional; any `crit` is refused), checks the signature
/// in constant time over the bytes received before the payload is interpreted (it is only
/// base64url-decoded before), requires `exp`/`nbf`/`iat`, when present, to be numbers (any
/// finite JSON number, compared exactly, never rounded), and rejects a token whose `exp` has
/// passed, whose `nbf` has not come, or whose `iat` lies after `now + leeway`. `td`/`rd` are
/// not required. Numbers in the claims are kept exactly as the token wrote them.
///
/// A whole URL (starting with `http://` or `https://`, or containing `?token=`) is refused as
/// [`ErrorKind::MalformedToken`] with a message saying to pass the token alone; a signature
/// that does not match is [`ErrorKind::BadSignature`] with the usual causes in the message.
pub fn verify(token: &str, key: &SigningKey, now: i64, leeway: u32) -> Result<Claims> {
    // A URL never verifies (':', '/' and '?' are not base64url): the check runs only on the
    // error path.
    let now = if now == 0 {
        crate::claims::now_unix()
    } else {
        now
    };
    verify_token(token, key, now, leeway).map_err(|e| url_error(token, e))
}

/// Whether `s` is a URL rather than a token (a join URL passed whole, most likely).
pub(crate) fn looks_like_url(s: &str) -> bool {
    let lower =
        |p: &str| s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    lower("http://") || lower("https://") || s.contains("?token=")
}

/// The message of [`ErrorKind::BadSignature`]: what usually causes it.
pub(crate) const BAD_SIGNATURE: &str = "the token's signature does not match the key. Usual \
     causes: the key has a trailing newline or space (read from a file or an environment \
     variable; the key is exactly the developer key's text); the key was base64-decoded \
     (Digital Samba's developer key is used as its raw text, never decoded); it is another \
     team's key (or the token was changed after it was signed)";

fn verify_token(token: &str, key: &SigningKey, now: i64, leeway: u32) -> Result<Claims> {
    let (header, payload, signature) = split(token)?;
    let bytes = token.as_bytes();
    let second = header.len() + 1 + payload.len();
    // Our own header (and most others) is the constant one: no need to decode it.
    if header != HEADER_B64 {
        check_header(header)?;
    }
    // The payload is decoded (not interpreted) before the signature check, into the stack
    // when it is of the usual size: no allocation.
    let mut stack = [0u8; 768];
    let mut heap = Vec::new();
    let size = b64::decoded_len(payload.len());
    let out = if size <= stack.len() {
        &mut stack[..]
    } else {
        heap.resize(size, 0);
        &mut heap[..]
    };
    let n = b64::decode_into(payload.as_bytes(), out).map_err(|e| {
        Error::malformed(format!(
            "the token's payload is not strict unpadded base64url ({e})"
        ))
        .why(Reason::BadBase64, Arg::Payload)
    })?;
    let json = &out[..n];
    let mut sig = [0u8; 33];
    let sig_len = if b64::decoded_len(signature.len()) <= sig.len() {
        b64::decode_into(signature.as_bytes(), &mut sig)
    } else {
        Err(b64::DecodeError::InvalidLength)
    }
    .map_err(|e| {
        Error::malformed(format!(
            "the token's signature is not strict unpadded base64url of 32 bytes ({e})"
        ))
        .why(Reason::BadBase64, Arg::Signature)
    })?;
    let signing_input = &bytes[..second];
    if sig_len != 32 || !key.verify_tag(signing_input, &sig[..sig_len]) {
        return Err(Error::new(ErrorKind::BadSignature, BAD_SIGNATURE)
            .why(Reason::SignatureMismatch, Arg::Signature));
    }
    let claims = Claims::from_token_json(json, "payload")?;
    check_times(&claims, now, leeway)?;
    Ok(claims)
}

/// The header rules for any header other than the constant one: a JSON object whose `alg` is
/// exactly "HS256", `typ` (if any) a string, and no `crit`.
fn check_header(header: &str) -> Result<()> {
    let bytes = decode_part(header, "header")?;
    let members = parse_object(&bytes, "header")?;
    let get = |name: &str| members.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    match get("alg") {
        Some(Value::String(alg)) if alg == "HS256" => {}
        Some(Value::String(alg)) => {
            return Err(Error::new(
                ErrorKind::UnsupportedAlgorithm,
                format!(
                    "the token's alg is {}; only \"HS256\" is accepted",
                    quote(alg)
                ),
            )
            .why(Reason::Algorithm, Arg::Header)
            .name("alg")
            .text(alg))
        }
        Some(_) => {
            return Err(
                Error::malformed("the token's header \"alg\" is not a string")
                    .why(Reason::HeaderField, Arg::Header)
                    .name("alg"),
            )
        }
        None => {
            return Err(Error::malformed("the token's header has no \"alg\"")
                .why(Reason::HeaderField, Arg::Header)
                .name("alg"))
        }
    }
    if let Some(typ) = get("typ") {
        if !matches!(typ, Value::String(_)) {
            return Err(
                Error::malformed("the token's header \"typ\" is not a string")
                    .why(Reason::HeaderField, Arg::Header)
                    .name("typ"),
            );
        }
    }
    if get("crit").is_some() {
        return Err(Error::new(
            ErrorKind::UnsupportedAlgorithm,
            "the token's header has \"crit\" extensions, which this library does not support",
        )
        .why(Reason::Crit, Arg::Header)
        .name("crit"));
    }
    Ok(())
}

/// `exp`, `nbf` and `iat` against `now` with `leeway`, exactly: a time may be any JSON number
/// (`1e3`, `-0`, `1700003600.5`, or longer than any machine integer) and is compared digit by
/// digit, never rounded.
#[inline(never)]
fn check_times(claims: &Claims, now: i64, leeway: u32) -> Result<()> {
    let now_i = i128::from(now);
    let leeway_i = i128::from(leeway);
    let order = |name: &str, v: &Value, n: i128| {
        v.cmp_number(n).ok_or_else(|| {
            Error::malformed(format!(
                "claim \"{name}\" must be a number of seconds (a NumericDate)"
            ))
            .why(Reason::NotNumericDate, claim_arg(name))
            .name(name)
        })
    };
    // The parts of a time error: the claim's time, and the seconds between it and now.
    let parts = |e: Error, reason: Reason, name: &str, v: &Value| {
        let t = v.as_time().unwrap_or_default();
        e.why(reason, claim_arg(name))
            .name(name)
            .at(t)
            .nums(now.saturating_sub(t).saturating_abs(), i64::from(leeway))
    };
    // Expired when now >= exp + leeway, i.e. exp <= now - leeway.
    if let Some(exp) = claims.time(Claims::EXP) {
        if order("exp", exp, now_i - leeway_i)? != Ordering::Greater {
            let e = Error::new(
                ErrorKind::Expired,
                format!(
                    "the token expired at {}, {} ago ({})",
                    describe_time("exp", exp),
                    span(now_i, exp, -1),
                    clock(now, leeway)
                ),
            );
            return Err(parts(e, Reason::Expired, "exp", exp));
        }
    }
    // Not yet valid when nbf > now + leeway, or iat > now + leeway.
    if let Some(nbf) = claims.time(Claims::NBF) {
        if order("nbf", nbf, now_i + leeway_i)? == Ordering::Greater {
            let e = Error::new(
                ErrorKind::NotYetValid,
                format!(
                    "the token is not valid before {}, {} from now ({})",
                    describe_time("nbf", nbf),
                    span(now_i, nbf, 1),
                    clock(now, leeway)
                ),
            );
            return Err(parts(e, Reason::NotYetValid, "nbf", nbf));
        }
    }
    if let Some(iat) = claims.time(Claims::IAT) {
        if order("iat", iat, now_i + leeway_i)? == Ordering::Greater {
            let e = Error::new(
                ErrorKind::NotYetValid,
                format!(
                    "the token was issued in the future, at {}, {} from now ({})",
                    describe_time("iat", iat),
                    span(now_i, iat, 1),
                    clock(now, leeway)
                ),
            );
            return Err(parts(e, Reason::IssuedInFuture, "iat", iat));
        }
    }
    Ok(())
}

/// `now 1700003600 = 2023-11-14T23:13:20Z, leeway 60 s`.
fn clock(now: i64, leeway: u32) -> String {
    match rfc3339(f64_of_int(now)) {
        Some(date) => format!("now {now} = {date}, leeway {leeway} s"),
        None => format!("now {now}, leeway {leeway} s"),
    }
}

fn f64_of_int(n: i64) -> f64 {
    // Exact for |n| < 2^53; messages only.
    n as f64
}

/// A time claim's value as a number of seconds (approximate beyond 2^53; messages only).
fn seconds(v: &Value) -> f64 {
    match v {
        Value::Int(t) => f64_of_int(*t),
        other => other.to_json().parse().unwrap_or(f64::NAN),
    }
}

/// `2023-11-14T22:13:20Z (exp 1700000000)`: the date in RFC 3339 UTC when it has one (years
/// 0000-9999), then the claim exactly as the token wrote it.
fn describe_time(name: &str, v: &Value) -> String {
    let exact = v.to_json();
    match rfc3339(seconds(v)) {
        Some(date) => format!("{date} ({name} {exact})"),
        None => format!("{name} {exact}"),
    }
}

/// How far `t` lies from `now` (`sign` -1: in the past, 1: in the future), e.g. `1 h 5 min 3 s`.
fn span(now: i128, t: &Value, sign: i8) -> String {
    let diff = match t {
        Value::Int(t) => (i128::from(*t) - now) as f64,
        other => seconds(other) - now as f64,
    } * f64::from(sign);
    if !diff.is_finite() {
        return "an unimaginably long time".into();
    }
    if diff < 60.0 && diff.fract() != 0.0 {
        return format!("{diff:.3} s");
    }
    if diff >= 1e15 {
        return format!("{diff:.3e} s");
    }
    span_seconds(diff.round() as u64)
}

/// A whole number of seconds as days, hours, minutes and seconds (`1 h 5 min 3 s`, `42 s`): the
/// one format of every "expired ... ago" and "... from now" message, at mint and at verify.
pub fn span_seconds(total: u64) -> String {
    let (d, h, m, s) = (
        total / 86_400,
        total / 3_600 % 24,
        total / 60 % 60,
        total % 60,
    );
    let mut out = String::new();
    for (n, unit) in [(d, "d"), (h, "h"), (m, "min"), (s, "s")] {
        if n > 0 || !out.is_empty() || unit == "s" {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&format!("{n} {unit}"));
        }
    }
    out
}

/// `secs` (unix seconds) as RFC 3339 UTC, `YYYY-MM-DDTHH:MM:SS[.mmm]Z`, for years 0000-9999.
fn rfc3339(secs: f64) -> Option<String> {
    // 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z.
    if !(-62_167_219_200.0..253_402_300_800.0).contains(&secs) {
        return None;
    }
    let whole = secs.floor();
    let millis = ((secs - whole) * 1000.0).floor() as u32;
    let whole = whole as i64;
    let (days, sod) = (whole.div_euclid(86_400), whole.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let frac = if millis > 0 {
        format!(".{millis:03}")
    } else {
        String::new()
    };
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{frac}Z",
        sod / 3_600,
        sod / 60 % 60,
        sod % 60
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::sign;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

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
        let e = verify(&t, &other, 0, 0).unwrap_err();
        for cause in ["trailing newline", "base64-decoded", "another team's key"] {
            assert!(e.message().contains(cause), "{e}");
        }
        // A whole URL: pass the token alone.
        for url in [
            format!("https://acme.digitalsamba.com/room?token={t}"),
            format!("HTTP://acme.example/r?token={t}&x=1"),
            format!("meet.example.com/r?token={t}"),
            "https://acme.digitalsamba.com/room".to_string(),
        ] {
            let e = verify(&url, &key(), 0, 0).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::MalformedToken, "{url}");
            assert!(e.message().contains("pass the token alone"), "{e}");
        }
        assert!(!looks_like_url(&t));
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
            r#"{"exp":"1"}"#,
            r#"{"nbf":[1]}"#,
            r#"{"iat":null}"#,
            r#"{"exp":true}"#,
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
        // Other signers may write times beyond our signing range: compared exactly, no overflow.
        let h = r#"{"alg":"HS256"}"#;
        let extreme = forge(h, r#"{"exp":9223372036854775807}"#, &k);
        assert!(verify(&extreme, &k, i64::MAX - 1, u32::MAX).is_ok());
        assert_eq!(kind(verify(&extreme, &k, i64::MAX, 0)), ErrorKind::Expired);
        let old = forge(h, r#"{"exp":-9223372036854775808}"#, &k);
        assert_eq!(kind(verify(&old, &k, i64::MIN, 0)), ErrorKind::Expired);
    }

    /// `now` = 0 reads the system clock: a token that expired at 10 is refused then, not at 9.
    #[test]
    fn now_zero_is_the_system_clock() {
        let k = key();
        let h = r#"{"alg":"HS256","typ":"JWT"}"#;
        let old = forge(h, r#"{"exp":10}"#, &k);
        assert_eq!(kind(verify(&old, &k, 0, 0)), ErrorKind::Expired);
        assert!(verify(&old, &k, 9, 0).is_ok());
        let late = forge(h, r#"{"nbf":4102444800}"#, &k);
        assert_eq!(kind(verify(&late, &k, 0, 0)), ErrorKind::NotYetValid);
    }

    #[test]
    fn every_numeric_date_spelling_is_compared_exactly() {
        let k = key();
        let h = r#"{"alg":"HS256","typ":"JWT"}"#;
        let at = |payload: &str, now: i64, leeway: u32| {
            verify_token(&forge(h, payload, &k), &k, now, leeway)
        };
        // exp 1700003600 in every spelling: valid at now = exp - 1, expired at now = exp.
        for exp in [
            "1700003600",
            "1700003600.0",
            "1.7000036e9",
            "17000036E2",
            "1700003600.000000000000000000001",
        ] {
            let p = format!(r#"{{"exp":{exp}}}"#);
            assert!(at(&p, 1_700_003_599, 0).is_ok(), "{exp}");
            let c = at(&p, 1_700_003_599, 0).unwrap();
            assert_eq!(c.get_json("exp").unwrap(), exp, "kept exactly as written");
            if exp.ends_with("0001") {
                // The fraction keeps it alive at exactly now = 1700003600.
                assert!(at(&p, 1_700_003_600, 0).is_ok());
                assert_eq!(c.get_int("exp").unwrap_err().kind(), ErrorKind::WrongType);
            } else {
                assert_eq!(kind(at(&p, 1_700_003_600, 0)), ErrorKind::Expired, "{exp}");
                assert_eq!(c.get_int("exp").unwrap(), 1_700_003_600);
            }
        }
        // A fractional exp between two seconds, with and without leeway.
        let half = r#"{"exp":1700003600.5}"#;
        assert!(at(half, 1_700_003_600, 0).is_ok());
        assert_eq!(kind(at(half, 1_700_003_601, 0)), ErrorKind::Expired);
        assert!(at(half, 1_700_003_601, 1).is_ok());
        assert_eq!(
            at(half, 1_700_003_600, 0)
                .unwrap()
                .get_int("exp")
                .unwrap_err()
                .kind(),
            ErrorKind::WrongType
        );
        // nbf/iat: -0, 1e3, fractions.
        assert!(at(r#"{"nbf":-0,"iat":-0}"#, 0, 0).is_ok());
        assert!(at(r#"{"nbf":1e3}"#, 1000, 0).is_ok());
        assert_eq!(kind(at(r#"{"nbf":1e3}"#, 999, 0)), ErrorKind::NotYetValid);
        assert!(at(r#"{"nbf":1e3}"#, 999, 1).is_ok());
        assert_eq!(kind(at(r#"{"iat":999.5}"#, 999, 0)), ErrorKind::NotYetValid);
        assert!(at(r#"{"iat":999.5}"#, 999, 1).is_ok());
        // Huge and tiny magnitudes are still finite numbers, compared exactly.
        assert!(at(r#"{"exp":1e400}"#, i64::MAX, 0).is_ok());
        assert!(
            at(r#"{"exp":2.5e-400}"#, 0, 0).is_ok(),
            "0 < 2.5e-400: not yet expired"
        );
        assert_eq!(kind(at(r#"{"exp":2.5e-400}"#, 1, 0)), ErrorKind::Expired);
        assert!(at(r#"{"nbf":2.5e-400}"#, 0, 0).is_err());
        assert!(at(r#"{"nbf":-2.5e-400}"#, 0, 0).is_ok());
        assert!(at(
            r#"{"exp":123456789012345678901234567891}"#,
            i64::MAX,
            u32::MAX
        )
        .is_ok());
    }

    /// The message says when (RFC 3339 UTC), how long ago, `now` and leeway.
    #[test]
    fn time_errors_say_when_how_long_and_which_clock() {
        let k = key();
        let t = token(|c| c.set_validity_at(1_700_000_000, 0, 3_600).unwrap());
        let e = verify(&t, &k, 1_700_003_600 + 3_723, 60).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Expired);
        assert_eq!(
            e.message(),
            "the token expired at 2023-11-14T23:13:20Z (exp 1700003600), 1 h 2 min 3 s ago \
             (now 1700007323 = 2023-11-15T00:15:23Z, leeway 60 s)"
        );
        let e = verify(&t, &k, 1_699_999_000, 0).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotYetValid);
        assert_eq!(
            e.message(),
            "the token is not valid before 2023-11-14T22:13:20Z (nbf 1700000000), 16 min 40 s \
             from now (now 1699999000 = 2023-11-14T21:56:40Z, leeway 0 s)"
        );
        let future = token(|c| c.set_issued_at(1_700_000_000).unwrap());
        let e = verify(&future, &k, 1_699_913_600, 0).unwrap_err();
        assert_eq!(
            e.message(),
            "the token was issued in the future, at 2023-11-14T22:13:20Z (iat 1700000000), \
             1 d 0 h 0 min 0 s from now (now 1699913600 = 2023-11-13T22:13:20Z, leeway 0 s)"
        );
        let h = r#"{"alg":"HS256"}"#;
        let e = verify(&forge(h, r#"{"exp":1.5}"#, &k), &k, 2, 0).unwrap_err();
        assert_eq!(
            e.message(),
            "the token expired at 1970-01-01T00:00:01.500Z (exp 1.5), 0.500 s ago \
             (now 2 = 1970-01-01T00:00:02Z, leeway 0 s)"
        );
        let e = verify(&forge(h, r#"{"exp":-1e20}"#, &k), &k, 0, 0).unwrap_err();
        assert!(
            e.message().starts_with("the token expired at exp -1e20, "),
            "{}",
            e.message()
        );
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
