//! The one-call mint: a [`RoomToken`] describes one room token (every Digital Samba claim and
//! its times) and [`mint`], [`mint_into`] and [`mint_url`] sign it in one call.
//!
//! The token is byte-identical to the one the [`Claims`](crate::Claims) setter path makes for
//! the same claims, with the same validation and messages (a property test holds the two paths
//! together). [`mint_into`] allocates nothing: it writes the payload JSON at the tail of the
//! caller's buffer, base64url-encodes it forward into place (the output never overtakes the
//! input still to be read), HMACs the signing input in place and appends the tag.
use crate::b64;
use crate::claims::{check_sign_time, check_time_range, claim_arg, now_unix};
use crate::error::{Arg, Error, ErrorKind, Reason, Result};
use crate::json;
use crate::key::SigningKey;
use crate::mintfmt::{Cursor, Digits, Prefix, Text, SLACK};
use crate::number::rfc3339;
use crate::sign::{check_capacity, check_token_len, HEADER_B64};

/// Length of the base64url of a 32-byte HMAC-SHA256 tag.
const SIG_B64_LEN: usize = 43;

/// Describes one room token: Digital Samba's registered claims and the token's times.
///
/// `None` means "absent". Times are either explicit (`issued_at`, `not_before`, `expires_at`)
/// or relative (`lifetime_seconds`, optionally `not_before_skew_seconds`, from `now` or the
/// system clock), never both. Times lie in [0, [`MAX_SIGN_TIME`](crate::MAX_SIGN_TIME)] (unix
/// seconds up to 9999-12-31T23:59:59Z; a value in milliseconds is refused as such), and an
/// `exp` that is not after `now` (or the system clock) is refused: the token would be expired.
/// An expiry is required unless `no_expiry` is set. Relative mode with no skew gives the same claims as
/// [`Claims::set_expires_in_at`](crate::Claims::set_expires_in_at) (`iat`, `exp`); with a skew,
/// those of [`Claims::set_validity_at`](crate::Claims::set_validity_at) (`iat`, `nbf`, `exp`).
///
/// ```
/// let key = dstoken::SigningKey::new(b"0123456789abcdef0123456789abcdef").unwrap();
/// let mut t = dstoken::RoomToken::new("team-uuid", "daily-standup");
/// t.user_name = Some("John Smith");
/// t.lifetime_seconds = Some(3600);
/// let token = dstoken::mint(&t, &key).unwrap();
/// assert_eq!(token.matches('.').count(), 2);
/// ```
///
/// New fields may be added in later versions (hence `#[non_exhaustive]`): make one with
/// [`RoomToken::new`] or [`RoomToken::default`] and assign the fields you need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RoomToken<'a> {
    /// `td`, the team id (required to sign, non-empty).
    pub team_id: Option<&'a str>,
    /// `rd`, the room name or UUID (required to sign, non-empty).
    pub room: Option<&'a str>,
    /// `u`, the user's display name.
    pub user_name: Option<&'a str>,
    /// `ud`, the external user id.
    pub user_id: Option<&'a str>,
    /// `initials`.
    pub initials: Option<&'a str>,
    /// `role` (e.g. "moderator").
    pub role: Option<&'a str>,
    /// `breakoutId`.
    pub breakout_id: Option<&'a str>,
    /// `avatar` (an image URL).
    pub avatar: Option<&'a str>,
    /// `iat`, unix seconds (explicit mode).
    pub issued_at: Option<i64>,
    /// `nbf`, unix seconds (explicit mode).
    pub not_before: Option<i64>,
    /// `exp`, unix seconds (explicit mode).
    pub expires_at: Option<i64>,
    /// Relative mode: `iat = now`, `exp = now + lifetime_seconds` (must be > 0, and at most
    /// `max_lifetime_seconds`).
    pub lifetime_seconds: Option<i64>,
    /// The part of the lifetime below one second, in nanoseconds, from a language whose
    /// durations have one (Go's `time.Duration`, Java's `Duration`). A token's times are whole
    /// seconds, so anything but 0 is refused ([`Reason::SubSecond`]): it is a unit slip
    /// (`3600` nanoseconds meant as seconds) or a fraction that would be silently cut.
    pub lifetime_nanos: u32,
    /// The longest lifetime relative mode accepts; `None` is [`DEFAULT_MAX_LIFETIME`]. Raise
    /// it to mint longer-lived tokens on purpose.
    pub max_lifetime_seconds: Option<i64>,
    /// Relative mode only: `nbf = now - not_before_skew_seconds` (must be >= 0).
    pub not_before_skew_seconds: Option<i64>,
    /// The "now" of relative mode (`iat`), and in explicit mode the time `expires_at` must be
    /// after (a token already expired is refused); `None` or `Some(0)` reads the system clock
    /// (see [`given_now`]).
    pub now: Option<i64>,
    /// Signs a token without `exp` (one that never expires). A token needs either an expiry
    /// (`expires_at` or `lifetime_seconds`) or this flag set; both together are refused.
    pub no_expiry: bool,
}

impl<'a> RoomToken<'a> {
    /// A token description with the two required claims set and nothing else.
    pub fn new(team_id: &'a str, room: &'a str) -> Self {
        RoomToken {
            team_id: Some(team_id),
            room: Some(room),
            ..RoomToken::default()
        }
    }
}

/// A [`RoomToken`] whose strings are classified (see [`Text`]); the C ABI builds one straight
/// from the caller's bytes, validating each string in one pass.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fields<'a> {
    /// `td`, `rd`, `u`, `ud`, `initials`, `role`, `breakoutId`, `avatar`, in payload order.
    pub(crate) strings: [Option<Text<'a>>; 8],
    pub(crate) issued_at: Option<i64>,
    pub(crate) not_before: Option<i64>,
    pub(crate) expires_at: Option<i64>,
    pub(crate) lifetime_seconds: Option<i64>,
    pub(crate) lifetime_nanos: u32,
    pub(crate) max_lifetime_seconds: Option<i64>,
    pub(crate) not_before_skew_seconds: Option<i64>,
    pub(crate) now: Option<i64>,
    pub(crate) no_expiry: bool,
}

impl<'a> Fields<'a> {
    fn of(t: &RoomToken<'a>) -> Self {
        let s = |v: Option<&'a str>| v.map(Text::of_str);
        Fields {
            strings: [
                s(t.team_id),
                s(t.room),
                s(t.user_name),
                s(t.user_id),
                s(t.initials),
                s(t.role),
                s(t.breakout_id),
                s(t.avatar),
            ],
            issued_at: t.issued_at,
            not_before: t.not_before,
            expires_at: t.expires_at,
            lifetime_seconds: t.lifetime_seconds,
            lifetime_nanos: t.lifetime_nanos,
            max_lifetime_seconds: t.max_lifetime_seconds,
            not_before_skew_seconds: t.not_before_skew_seconds,
            now: t.now,
            no_expiry: t.no_expiry,
        }
    }
}

/// A validated token: the registered claims in payload order, times resolved and formatted,
/// and the payload JSON's length.
struct Resolved<'f, 'a> {
    strings: &'f [Option<Text<'a>>; 8],
    times: [Option<Digits>; 3],
    json_len: usize,
}

// Registered claim names in payload order.
use crate::payload::REGISTERED as NAMES;

/// What goes before each member's value: `"name":`, after `{` for `td` (always the first
/// member: signing requires it) and after `,` for every other; for a plain string (the usual
/// case) also the value's opening quote.
const PREFIXES: [[Prefix; 2]; 11] = [
    [Prefix::new("{\"td\":"), Prefix::new("{\"td\":\"")],
    [Prefix::new(",\"rd\":"), Prefix::new(",\"rd\":\"")],
    [Prefix::new(",\"u\":"), Prefix::new(",\"u\":\"")],
    [Prefix::new(",\"ud\":"), Prefix::new(",\"ud\":\"")],
    [
        Prefix::new(",\"initials\":"),
        Prefix::new(",\"initials\":\""),
    ],
    [Prefix::new(",\"role\":"), Prefix::new(",\"role\":\"")],
    [
        Prefix::new(",\"breakoutId\":"),
        Prefix::new(",\"breakoutId\":\""),
    ],
    [Prefix::new(",\"avatar\":"), Prefix::new(",\"avatar\":\"")],
    [Prefix::new(",\"iat\":"), Prefix::new("")],
    [Prefix::new(",\"nbf\":"), Prefix::new("")],
    [Prefix::new(",\"exp\":"), Prefix::new("")],
];

impl<'f, 'a> Resolved<'f, 'a> {
    /// Checks `t` in the order the setter path would meet the same problems (setters first,
    /// then signing), so both paths report the same error.
    fn new(t: &'f Fields<'a>) -> Result<Self> {
        let explicit = t.issued_at.is_some() || t.not_before.is_some() || t.expires_at.is_some();
        if explicit && t.lifetime_seconds.is_some() {
            let arg = if t.expires_at.is_some() {
                Arg::ExpiresAt
            } else if t.issued_at.is_some() {
                Arg::IssuedAt
            } else {
                Arg::NotBefore
            };
            return Err(Error::invalid(
                "explicit times (issued_at, not_before, expires_at) and relative mode \
                 (lifetime_seconds) are mutually exclusive; set one or the other",
            )
            .why(Reason::Conflict, arg)
            .other(Arg::Lifetime));
        }
        if t.not_before_skew_seconds.is_some() && t.lifetime_seconds.is_none() {
            return Err(Error::invalid(
                "not_before_skew_seconds needs lifetime_seconds (relative mode); for an \
                 explicit nbf set not_before",
            )
            .why(Reason::Needs, Arg::Skew)
            .other(Arg::Lifetime));
        }
        if t.lifetime_nanos != 0 && t.lifetime_seconds.is_none() {
            check_lifetime(0, t.lifetime_nanos, t.max_lifetime_seconds)?;
        }
        if let Some(now) = t.now {
            check_sign_time("now", now).map_err(|e| e.for_arg(Arg::Now))?;
        }
        let strings = &t.strings;
        // The setters refuse an empty td/rd.
        for (i, s) in strings.iter().enumerate().take(2) {
            if s.is_some_and(|s| s.is_empty()) {
                return Err(
                    Error::invalid(format!("claim \"{}\" must not be empty", NAMES[i]))
                        .why(Reason::Empty, claim_arg(NAMES[i]))
                        .name(NAMES[i]),
                );
            }
        }
        let times = match t.lifetime_seconds {
            None => [t.issued_at, t.not_before, t.expires_at],
            Some(lifetime) => {
                check_lifetime(lifetime, t.lifetime_nanos, t.max_lifetime_seconds)?;
                relative_times(t.now, lifetime, t.not_before_skew_seconds)?
            }
        };
        // The time setters' range check (+/-(2^53 - 1)), in the order they set iat, nbf, exp.
        for (name, time) in ["iat", "nbf", "exp"].into_iter().zip(times) {
            if let Some(time) = time {
                check_time_range(name, time)?;
            }
        }
        // Then what signing requires (as Claims::check_signable).
        for (i, what) in [(0, "team id"), (1, "room")] {
            if strings[i].is_none() {
                return Err(Error::new(
                    ErrorKind::MissingClaim,
                    format!(
                        "claim \"{}\" ({what}) is required to sign a token",
                        NAMES[i]
                    ),
                )
                .why(Reason::Missing, claim_arg(NAMES[i]))
                .name(NAMES[i]));
            }
        }
        let [iat, nbf, exp] = times;
        // Mint-only: an expiry is required unless the caller asks for none.
        match (exp, t.no_expiry) {
            (None, false) => {
                return Err(Error::invalid(NO_EXPIRY_MESSAGE)
                    .why(Reason::NoExpiry, Arg::Lifetime)
                    .other(Arg::ExpiresAt))
            }
            (Some(_), true) => {
                return Err(Error::invalid(
                    "no_expiry is set but so is an expiry (expires_at or lifetime_seconds); \
                     set one or the other",
                )
                .why(Reason::Conflict, Arg::NoExpiry)
                .other(if t.lifetime_seconds.is_some() {
                    Arg::Lifetime
                } else {
                    Arg::ExpiresAt
                }))
            }
            _ => {}
        }
        if let Some(exp) = exp {
            for (other, name) in [(nbf, "nbf"), (iat, "iat")] {
                if let Some(t) = other.filter(|t| exp < *t) {
                    return Err(Error::invalid(format!(
                        "claim \"exp\" ({exp}) is earlier than \"{name}\" ({t})"
                    ))
                    .why(Reason::ExpBefore, Arg::ExpiresAt)
                    .other(claim_arg(name))
                    .name("exp")
                    .nums(exp, t));
                }
            }
            // Mint-only: a token already expired when minted admits no one. (Relative mode's
            // exp is after its now by construction.)
            if t.lifetime_seconds.is_none() {
                check_not_expired(exp, given_now(t.now))?;
            }
        }
        let mut digits = [None; 3];
        for (d, t) in digits.iter_mut().zip(times) {
            if let Some(t) = t {
                *d = Some(Digits::new(t)?);
            }
        }
        let times = digits;
        // The closing '}' (td's prefix carries the '{', the others their commas).
        let mut json_len = 1;
        for (i, s) in strings.iter().enumerate() {
            if let Some(s) = s {
                json_len += PREFIXES[i][0].len() + s.json_len();
            }
        }
        for (i, t) in times.iter().enumerate() {
            if let Some(t) = t {
                json_len += PREFIXES[8 + i][0].len() + t.len();
            }
        }
        Ok(Resolved {
            strings,
            times,
            json_len,
        })
    }

    /// Writes the payload JSON into `out`: exactly `self.json_len` bytes, and `out` has
    /// `SLACK` more.
    fn write_json(&self, out: &mut [u8]) {
        let mut w = Cursor::new(out);
        for (i, s) in self.strings.iter().enumerate() {
            match s {
                Some(Text::Plain(b)) => {
                    w.put_prefix(&PREFIXES[i][1]);
                    w.put(b);
                    w.put_byte(b'"');
                }
                Some(Text::Escaped(s)) => {
                    w.put_prefix(&PREFIXES[i][0]);
                    json::write_str(&mut w, s);
                }
                None => {}
            }
        }
        for (i, t) in self.times.iter().enumerate() {
            if let Some(t) = t {
                w.put_prefix(&PREFIXES[8 + i][0]);
                w.put_digits(t);
            }
        }
        w.put_byte(b'}');
        debug_assert_eq!(w.pos(), self.json_len);
    }

    /// The token's length.
    fn token_len(&self) -> usize {
        HEADER_B64.len() + 1 + b64::encoded_len(self.json_len) + 1 + SIG_B64_LEN
    }
}

/// The `now` of a mint: the caller's, or the system clock when it is absent or 0. Zero means
/// the clock in every front end because it does in C, whose `dst_room_token` has no other way
/// to say "absent": a binding passes its caller's 0 through, and no binding decides it again.
/// An explicit `now` stands in for the clock in everything the mint decides (the times of
/// relative mode, and whether an explicit `exp` is already past), which is what makes a mint
/// reproducible; so a `now` in the past mints a token that may already be expired by the real
/// clock, as a test or a replay asks.
pub fn given_now(now: Option<i64>) -> i64 {
    match now {
        None | Some(0) => now_unix(),
        Some(now) => now,
    }
}

/// Refuses an `exp` that is not after `now` (a token verification would already call expired:
/// `now >= exp`), naming the time it expired. The mint applies it to explicit times; the CLI to
/// `--expires-at`.
pub fn check_not_expired(exp: i64, now: i64) -> Result<()> {
    if exp > now {
        return Ok(());
    }
    let ago = crate::verify::span_seconds(now.abs_diff(exp));
    Err(Error::invalid(format!(
        "the token would be expired when minted: exp ({exp}, {}) is not after now ({now}, {}), \
         it expired {ago} ago; give a later expires_at, or a lifetime (lifetime_seconds) \
         instead",
        rfc3339(exp),
        rfc3339(now)
    ))
    .why(Reason::AlreadyExpired, Arg::ExpiresAt)
    .other(Arg::Lifetime)
    .name("exp")
    .nums(now, now.saturating_sub(exp))
    .at(exp))
}

/// The longest lifetime accepted unless the caller raises it: 30 days. Long enough for a
/// meeting link sent a few weeks ahead; short enough that a lifetime given in milliseconds is
/// refused instead of signed (an hour in milliseconds, 3 600 000, is 41.7 days).
pub const DEFAULT_MAX_LIFETIME: i64 = 30 * 86_400;

/// The rules every relative lifetime meets, in every front end: positive, whole seconds (no
/// sub-second part from a language's duration type), and at most `max` (`None`:
/// [`DEFAULT_MAX_LIFETIME`]), where the message says what the value would mean in
/// milliseconds.
pub fn check_lifetime(seconds: i64, nanos: u32, max: Option<i64>) -> Result<()> {
    if nanos != 0 {
        return Err(Error::invalid(format!(
            "lifetime_seconds is {seconds} s and {nanos} ns: token times are whole seconds; \
             give a whole number of seconds"
        ))
        .why(Reason::SubSecond, Arg::Lifetime)
        .nums(seconds, i64::from(nanos)));
    }
    let max = match max {
        None => DEFAULT_MAX_LIFETIME,
        Some(m) if m > 0 => m,
        Some(m) => {
            return Err(
                Error::invalid(format!("max_lifetime_seconds must be positive, got {m}"))
                    .why(Reason::NotPositive, Arg::MaxLifetime)
                    .nums(m, 0),
            )
        }
    };
    if seconds <= 0 {
        return Err(
            Error::invalid(format!("lifetime_seconds must be positive, got {seconds}"))
                .why(Reason::NotPositive, Arg::Lifetime)
                .nums(seconds, 0),
        );
    }
    if seconds > max {
        let span = crate::verify::span_seconds(seconds.unsigned_abs());
        return Err(Error::invalid(format!(
            "lifetime_seconds is {seconds} ({span}), longer than the {} allowed; if it is \
             milliseconds, give {} seconds; to mint longer-lived tokens raise \
             max_lifetime_seconds",
            crate::verify::span_seconds(max.unsigned_abs()),
            seconds / 1000
        ))
        .why(Reason::LifetimeTooLong, Arg::Lifetime)
        .other(Arg::MaxLifetime)
        .nums(seconds, max)
        .suggest(seconds / 1000));
    }
    Ok(())
}

/// The refusal of a token without expiry that did not ask for one.
const NO_EXPIRY_MESSAGE: &str = "the token has no expiry: set expires_at (unix seconds) or \
     lifetime_seconds (> 0), or set no_expiry to sign a token that never expires";

/// `iat`, `nbf`, `exp` for relative mode, with the checks and messages of
/// `Claims::set_expires_in_at` (no skew) and `Claims::set_validity_at` (skew).
fn relative_times(now: Option<i64>, lifetime: i64, skew: Option<i64>) -> Result<[Option<i64>; 3]> {
    if let Some(skew) = skew.filter(|s| *s < 0) {
        return Err(Error::invalid(format!(
            "not_before_skew_seconds must not be negative, got {skew}"
        ))
        .why(Reason::Negative, Arg::Skew)
        .nums(skew, 0));
    }
    if lifetime <= 0 {
        return Err(
            Error::invalid(format!("lifetime_seconds must be positive, got {lifetime}"))
                .why(Reason::NotPositive, Arg::Lifetime)
                .nums(lifetime, 0),
        );
    }
    let now = given_now(now);
    let nbf = match skew {
        None => None,
        Some(skew) => Some(now.checked_sub(skew).ok_or_else(|| {
            Error::invalid("now - not_before_skew_seconds underflows a 64-bit time")
                .why(Reason::Overflow, Arg::Skew)
                .nums(skew, 0)
                .at(now)
        })?),
    };
    let exp = now.checked_add(lifetime).ok_or_else(|| {
        Error::invalid("now + lifetime_seconds overflows a 64-bit time")
            .why(Reason::Overflow, Arg::Lifetime)
            .nums(lifetime, 0)
            .at(now)
    })?;
    Ok([Some(now), nbf, Some(exp)])
}

/// The length of the token `token` mints to (no terminator), after validating it.
pub fn mint_len(token: &RoomToken<'_>) -> Result<usize> {
    fields_len(&Fields::of(token))
}

/// [`mint_len`] of classified fields.
pub(crate) fn fields_len(fields: &Fields<'_>) -> Result<usize> {
    let len = Resolved::new(fields)?.token_len();
    check_token_len(len)?;
    Ok(len)
}

/// Mints `token` into `buf` without allocating and returns the token's length. When `buf` is
/// too short nothing is written and the error is [`ErrorKind::BufferTooSmall`] carrying the
/// length needed (as [`sign_into`](crate::sign_into)).
pub fn mint_into(token: &RoomToken<'_>, key: &SigningKey, buf: &mut [u8]) -> Result<usize> {
    mint_fields_into(&Fields::of(token), key, buf)
}

/// [`mint_into`] of classified fields: the payload JSON is written near the end of the
/// token's bytes and base64url-encoded forward into place (4 bytes written for every 3 read,
/// and the JSON starts more than `json_len / 3 + 4` bytes after the encoding, so no write
/// reaches input not yet read); HMAC runs over the signing input in place and the tag is
/// appended. No scratch buffer, no heap.
pub(crate) fn mint_fields_into(
    fields: &Fields<'_>,
    key: &SigningKey,
    buf: &mut [u8],
) -> Result<usize> {
    let r = Resolved::new(fields)?;
    let needed = r.token_len();
    check_token_len(needed)?;
    check_capacity(buf.len(), needed)?;
    let buf = &mut buf[..needed];
    let h = HEADER_B64.len();
    let b64_start = h + 1;
    let payload_end = b64_start + b64::encoded_len(r.json_len);
    // The JSON ends SLACK bytes before the token does (room for the writer's fixed-size
    // copies): it still starts json_len / 3 + 27 or more bytes after the encoding.
    let json_start = needed - SLACK - r.json_len;
    r.write_json(&mut buf[json_start..]);
    b64::encode_forward_in_place(buf, json_start, r.json_len, b64_start);
    buf[..h].copy_from_slice(HEADER_B64.as_bytes());
    buf[h] = b'.';
    let tag = key.tag(&buf[..payload_end]);
    buf[payload_end] = b'.';
    // The tag is encoded straight into its place (an array view of the last 43 bytes: no
    // copy of a runtime-length slice, which would be a call to `memcpy`).
    let (_, sig) = buf.split_at_mut(needed - SIG_B64_LEN);
    if let Ok(sig) = <&mut [u8; SIG_B64_LEN]>::try_from(sig) {
        b64::encode_tag(&tag, sig);
    }
    Ok(needed)
}

/// Mints `token` and returns it.
pub fn mint(token: &RoomToken<'_>, key: &SigningKey) -> Result<String> {
    let mut buf = vec![0u8; mint_len(token)?];
    let n = mint_into(token, key, &mut buf)?;
    buf.truncate(n);
    String::from_utf8(buf).map_err(|_| Error::new(ErrorKind::Internal, "token is not ASCII"))
}

/// Mints `token` and returns the URL that admits its holder to `token.room`:
/// `https://<team>.digitalsamba.com/<room>?token=<token>` (see [`join_url`](crate::join_url)
/// for `team`, a team name or a custom domain).
pub fn mint_url(token: &RoomToken<'_>, key: &SigningKey, team: &str) -> Result<String> {
    let jwt = mint(token, key)?;
    // mint succeeded, so the room is present.
    let room = token.room.unwrap_or_default();
    crate::url::join_url(team, room, Some(&jwt))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{sign, Claims};

    fn key() -> SigningKey {
        SigningKey::new(b"0123456789abcdef0123456789abcdef").unwrap()
    }

    fn full() -> RoomToken<'static> {
        let mut t = RoomToken::new("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", "daily-standup");
        t.user_name = Some("John Smith");
        t.user_id = Some("user-000001");
        t.role = Some("moderator");
        t.issued_at = Some(1_767_225_600);
        t.expires_at = Some(1_767_229_200);
        t.now = Some(1_767_225_600);
        t
    }

    type Setter = fn(&mut Claims, &str) -> Result<()>;

    fn builder(t: &RoomToken<'_>) -> Result<String> {
        let mut c = Claims::new();
        let setters: [(Option<&str>, Setter); 8] = [
            (t.team_id, Claims::set_team_id),
            (t.room, Claims::set_room),
            (t.user_name, Claims::set_user_name),
            (t.user_id, Claims::set_user_id),
            (t.initials, Claims::set_initials),
            (t.role, Claims::set_role),
            (t.breakout_id, Claims::set_breakout_id),
            (t.avatar, Claims::set_avatar),
        ];
        for (v, set) in setters {
            if let Some(v) = v {
                set(&mut c, v)?;
            }
        }
        if let Some(v) = t.issued_at {
            c.set_issued_at(v)?;
        }
        if let Some(v) = t.not_before {
            c.set_not_before(v)?;
        }
        if let Some(v) = t.expires_at {
            c.set_expires_at(v)?;
        }
        if let Some(l) = t.lifetime_seconds {
            let now = t.now.unwrap_or_else(now_unix);
            match t.not_before_skew_seconds {
                None => c.set_expires_in_at(now, l)?,
                Some(s) => c.set_validity_at(now, s, l)?,
            }
        }
        sign(&c, &key())
    }

    #[test]
    fn the_issue_workload_matches_the_builder_path() {
        let token = mint(&full(), &key()).unwrap();
        assert_eq!(token.len(), 288);
        assert_eq!(token, builder(&full()).unwrap());
    }

    #[test]
    fn every_field_escapes_and_relative_modes_match_the_builder_path() {
        let mut t = full();
        t.initials = Some("JS");
        t.breakout_id = Some("b\"r\\e\u{1}ak\n");
        t.avatar = Some("https://example.com/a.png?x=ü€😀");
        t.not_before = Some(1_767_225_000);
        assert_eq!(mint(&t, &key()).unwrap(), builder(&t).unwrap());
        let mut r = RoomToken::new("t", "r");
        r.lifetime_seconds = Some(3600);
        r.now = Some(1_700_000_000);
        assert_eq!(mint(&r, &key()).unwrap(), builder(&r).unwrap());
        r.not_before_skew_seconds = Some(30);
        assert_eq!(mint(&r, &key()).unwrap(), builder(&r).unwrap());
        r.not_before_skew_seconds = Some(0);
        assert_eq!(mint(&r, &key()).unwrap(), builder(&r).unwrap());
        // Every length of one field: exercises every base64 tail and in-place overlap.
        for n in 0..200 {
            let name = "é".repeat(n / 2) + &"x".repeat(n % 2);
            let mut t = RoomToken::new("t", "r");
            t.no_expiry = true;
            t.user_name = Some(&name);
            assert_eq!(mint(&t, &key()).unwrap(), builder(&t).unwrap(), "{n}");
        }
        // Around and beyond the stack scratch: the in-place path.
        for n in (400..1400).step_by(7) {
            let name = "x\"".repeat(n / 2) + &"é".repeat(n % 3);
            let mut t = RoomToken::new("t", "r");
            t.no_expiry = true;
            t.avatar = Some(&name);
            assert_eq!(mint(&t, &key()).unwrap(), builder(&t).unwrap(), "{n}");
        }
        // System clock: the same second on both paths (or the next one).
        let mut s = RoomToken::new("t", "r");
        s.lifetime_seconds = Some(60);
        let a = mint(&s, &key()).unwrap();
        let b = builder(&s).unwrap();
        assert!(a == b || a.len() == b.len());
    }

    #[test]
    fn errors_match_the_setter_path() {
        let cases: Vec<(RoomToken<'static>, ErrorKind)> = vec![
            (RoomToken::default(), ErrorKind::MissingClaim),
            (
                RoomToken {
                    team_id: Some("t"),
                    ..RoomToken::default()
                },
                ErrorKind::MissingClaim,
            ),
            (RoomToken::new("", "r"), ErrorKind::InvalidArgument),
            (
                RoomToken {
                    team_id: Some(""),
                    ..RoomToken::default()
                },
                ErrorKind::InvalidArgument,
            ),
            (
                RoomToken {
                    issued_at: Some(10),
                    expires_at: Some(9),
                    ..RoomToken::new("t", "r")
                },
                ErrorKind::InvalidArgument,
            ),
            (
                RoomToken {
                    not_before: Some(10),
                    expires_at: Some(9),
                    ..RoomToken::new("t", "r")
                },
                ErrorKind::InvalidArgument,
            ),
            (
                RoomToken {
                    lifetime_seconds: Some(0),
                    ..RoomToken::new("t", "r")
                },
                ErrorKind::InvalidArgument,
            ),
            (
                RoomToken {
                    lifetime_seconds: Some(1),
                    now: Some(i64::MAX),
                    ..RoomToken::new("t", "r")
                },
                ErrorKind::InvalidArgument,
            ),
            (
                RoomToken {
                    lifetime_seconds: Some(1),
                    not_before_skew_seconds: Some(-1),
                    now: Some(5),
                    ..RoomToken::new("t", "r")
                },
                ErrorKind::InvalidArgument,
            ),
            (
                RoomToken {
                    lifetime_seconds: Some(10),
                    not_before_skew_seconds: Some(1),
                    now: Some(i64::MIN),
                    ..RoomToken::new("t", "r")
                },
                ErrorKind::InvalidArgument,
            ),
        ];
        for (t, kind) in cases {
            let ours = mint(&t, &key()).unwrap_err();
            let theirs = builder(&t).unwrap_err();
            assert_eq!(ours.kind(), kind, "{t:?}: {ours}");
            assert_eq!(ours.kind(), theirs.kind(), "{t:?}");
            // Relative-mode messages name the struct's fields instead of the setters'
            // arguments; every other message is the setter path's.
            if t.lifetime_seconds.is_none() {
                assert_eq!(ours.message(), theirs.message(), "{t:?}");
            }
        }
    }

    #[test]
    fn mint_only_rules() {
        for t in [
            RoomToken {
                issued_at: Some(1),
                lifetime_seconds: Some(5),
                ..RoomToken::new("t", "r")
            },
            RoomToken {
                expires_at: Some(9),
                now: Some(9),
                ..RoomToken::new("t", "r")
            },
            RoomToken {
                expires_at: Some(1_767_229_200),
                ..RoomToken::new("t", "r")
            },
            RoomToken {
                not_before_skew_seconds: Some(5),
                ..RoomToken::new("t", "r")
            },
            RoomToken {
                now: Some(5),
                ..RoomToken::new("t", "r")
            },
        ] {
            assert_eq!(
                mint(&t, &key()).unwrap_err().kind(),
                ErrorKind::InvalidArgument,
                "{t:?}"
            );
        }
    }

    #[test]
    fn an_expiry_is_required_unless_no_expiry_is_set() {
        let t = RoomToken::new("t", "r");
        for e in [
            mint(&t, &key()).unwrap_err(),
            mint_len(&t).unwrap_err(),
            mint_into(&t, &key(), &mut [0u8; 512]).unwrap_err(),
            mint_url(&t, &key(), "acme").unwrap_err(),
        ] {
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
            for word in ["expires_at", "lifetime_seconds", "no_expiry"] {
                assert!(e.message().contains(word), "{e}");
            }
        }
        // iat and nbf alone are no expiry either.
        let t = RoomToken {
            issued_at: Some(1_700_000_000),
            not_before: Some(1_700_000_000),
            ..RoomToken::new("t", "r")
        };
        assert_eq!(mint(&t, &key()).unwrap_err().message(), NO_EXPIRY_MESSAGE);
        // Asked for explicitly: the setter path's token, without exp.
        let t = RoomToken {
            no_expiry: true,
            ..t
        };
        assert_eq!(mint(&t, &key()).unwrap(), builder(&t).unwrap());
        // An expiry and no_expiry together contradict each other.
        for t in [
            RoomToken {
                expires_at: Some(1_800_000_000),
                ..t
            },
            RoomToken {
                issued_at: None,
                not_before: None,
                lifetime_seconds: Some(60),
                ..t
            },
        ] {
            let e = mint(&t, &key()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
            assert!(e.message().contains("no_expiry is set"), "{e}");
        }
        // A zero or negative lifetime is refused, with or without no_expiry.
        for lifetime in [0, -1, i64::MIN] {
            let t = RoomToken {
                lifetime_seconds: Some(lifetime),
                ..RoomToken::new("t", "r")
            };
            let e = mint(&t, &key()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
            assert!(e.message().contains("lifetime_seconds"), "{e}");
        }
    }

    #[test]
    fn times_to_sign_and_an_already_expired_token() {
        let at = |exp: i64, now: Option<i64>| RoomToken {
            expires_at: Some(exp),
            now,
            ..RoomToken::new("t", "r")
        };
        // `now` with explicit times: the time exp must be after.
        assert!(mint(&at(10, Some(9)), &key()).is_ok());
        // A `now` of 0 is the system clock (as absent), not 1970.
        for now in [Some(10), Some(11), Some(0), None] {
            let e = mint(&at(10, now), &key()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(
                e.message().contains("would be expired")
                    && e.message().contains("1970-01-01T00:00:10Z"),
                "{e}"
            );
        }
        let e = mint(&at(1_767_229_200, Some(1_767_232_800)), &key()).unwrap_err();
        assert!(
            e.message()
                .contains("exp (1767229200, 2026-01-01T01:00:00Z)")
                && e.message().contains("expired 1 h 0 min 0 s ago"),
            "{e}"
        );
        // Milliseconds, before 1970, after 9999: in every time field and `now`.
        let ms = 1_767_229_200_000;
        for (t, what) in [
            (at(ms, None), "claim \"exp\""),
            (
                RoomToken {
                    issued_at: Some(ms),
                    ..at(4_102_444_800, None)
                },
                "claim \"iat\"",
            ),
            (at(4_102_444_800, Some(ms)), "now"),
            (
                RoomToken {
                    lifetime_seconds: Some(3600),
                    now: Some(ms),
                    ..RoomToken::new("t", "r")
                },
                "now",
            ),
            (
                RoomToken {
                    lifetime_seconds: Some(ms),
                    // Raised so that the range check, not the maximum lifetime, refuses it.
                    max_lifetime_seconds: Some(i64::MAX),
                    now: Some(1_767_225_600),
                    ..RoomToken::new("t", "r")
                },
                "claim \"exp\"",
            ),
        ] {
            let e = mint(&t, &key()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(
                e.message().starts_with(&format!("{what} is "))
                    && e.message().contains("milliseconds"),
                "{e}"
            );
        }
        for t in [at(-1, Some(-5)), at(4_102_444_800, Some(-1))] {
            let e = mint(&t, &key()).unwrap_err();
            assert!(e.message().contains("before 1970"), "{e}");
        }
        assert!(mint(&at(crate::MAX_SIGN_TIME, None), &key()).is_ok());
        let e = mint(&at(crate::MAX_SIGN_TIME + 1000 * 1000 * 1000, None), &key()).unwrap_err();
        assert!(e.message().contains("after 9999-12-31T23:59:59Z"), "{e}");
    }

    #[test]
    fn mint_into_reports_needed_length_and_writes_nothing() {
        let need = mint_len(&full()).unwrap();
        let mut small = vec![b'#'; need - 1];
        let err = mint_into(&full(), &key(), &mut small).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BufferTooSmall { needed: need });
        assert!(small.iter().all(|&b| b == b'#'));
        let mut big = vec![b'#'; need + 10];
        assert_eq!(mint_into(&full(), &key(), &mut big).unwrap(), need);
        assert_eq!(&big[..need], mint(&full(), &key()).unwrap().as_bytes());
        assert!(big[need..].iter().all(|&b| b == b'#'));
    }

    #[test]
    fn mint_applies_the_setters_time_range_and_the_verify_length_limit() {
        let k = key();
        let big = crate::MAX_TIME_SECONDS + 1;
        for t in [
            RoomToken {
                issued_at: Some(big),
                ..full()
            },
            RoomToken {
                expires_at: Some(-big),
                issued_at: None,
                not_before: None,
                ..full()
            },
            RoomToken {
                issued_at: None,
                not_before: None,
                expires_at: None,
                lifetime_seconds: Some(crate::MAX_TIME_SECONDS),
                max_lifetime_seconds: Some(i64::MAX),
                now: Some(10),
                ..full()
            },
        ] {
            let e = mint(&t, &k).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
            assert!(e.message().contains("time range"), "{e}");
            // The builder path refuses the same description with the same status.
            assert_eq!(builder(&t).unwrap_err().kind(), ErrorKind::InvalidArgument);
        }
        let avatar = "a".repeat(crate::MAX_TOKEN_LEN);
        let t = RoomToken {
            avatar: Some(&avatar),
            ..full()
        };
        let e = mint_len(&t).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert!(e.message().contains("DST_MAX_TOKEN_LENGTH"), "{e}");
        let mut buf = vec![0u8; 2 * crate::MAX_TOKEN_LEN];
        assert_eq!(
            mint_into(&t, &k, &mut buf).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(builder(&t).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }

    #[test]
    fn mint_url_uses_the_room() {
        let url = mint_url(&full(), &key(), "acme").unwrap();
        let jwt = mint(&full(), &key()).unwrap();
        assert_eq!(
            url,
            format!("https://acme.digitalsamba.com/daily-standup?token={jwt}")
        );
        assert_eq!(
            mint_url(&full(), &key(), "bad host!").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        // A custom domain (lowercased); no port, no IP literal.
        assert_eq!(
            mint_url(&full(), &key(), "Meet.Example.com").unwrap(),
            format!("https://meet.example.com/daily-standup?token={jwt}")
        );
        for team in ["meet.example.com:8443", "127.0.0.1:8080", "10.0.0.1"] {
            assert_eq!(
                mint_url(&full(), &key(), team).unwrap_err().kind(),
                ErrorKind::InvalidArgument,
                "{team}"
            );
        }
        assert_eq!(
            mint_url(&RoomToken::default(), &key(), "acme")
                .unwrap_err()
                .kind(),
            ErrorKind::MissingClaim
        );
    }

    #[test]
    fn lifetimes_meet_the_maximum_and_whole_seconds() {
        let k = key();
        let t = |lifetime, nanos, max| RoomToken {
            lifetime_seconds: Some(lifetime),
            lifetime_nanos: nanos,
            max_lifetime_seconds: max,
            now: Some(1_767_225_600),
            ..RoomToken::new("t", "r")
        };
        // An hour in milliseconds is 41.7 days: over the default maximum, with the seconds
        // it would have meant.
        let e = mint(&t(3_600_000, 0, None), &k).unwrap_err();
        let p = e.parts();
        assert_eq!(
            (p.reason, p.arg, p.other),
            (Reason::LifetimeTooLong, Arg::Lifetime, Arg::MaxLifetime)
        );
        assert_eq!(
            (p.value, p.limit, p.suggested),
            (3_600_000, DEFAULT_MAX_LIFETIME, 3_600)
        );
        // The default maximum itself is accepted; raising it accepts longer lifetimes.
        mint(&t(DEFAULT_MAX_LIFETIME, 0, None), &k).unwrap();
        mint(&t(3_600_000, 0, Some(3_600_000)), &k).unwrap();
        assert_eq!(
            mint(&t(3_600_001, 0, Some(3_600_000)), &k)
                .unwrap_err()
                .parts()
                .limit,
            3_600_000
        );
        // A sub-second part is refused, alone (3600 ns meant as seconds) or with seconds.
        for (secs, nanos) in [(0, 3_600), (3, 600_000_000)] {
            let e = mint(&t(secs, nanos, None), &k).unwrap_err();
            assert_eq!(e.parts().reason, Reason::SubSecond, "{e}");
            assert_eq!((e.parts().value, e.parts().limit), (secs, i64::from(nanos)));
        }
        let e = mint(&t(3600, 0, Some(-1)), &k).unwrap_err();
        assert_eq!(
            (e.parts().reason, e.parts().arg),
            (Reason::NotPositive, Arg::MaxLifetime)
        );
        // The setter path applies the same rules.
        let mut c = crate::Claims::new();
        let e = c.set_expires_in_at(1_767_225_600, 3_600_000).unwrap_err();
        assert_eq!(e.parts().reason, Reason::LifetimeTooLong);
    }
}
