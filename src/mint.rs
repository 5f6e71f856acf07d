//! The one-call mint: a [`RoomToken`] describes one room token (every Digital Samba claim and
//! its times) and [`mint`], [`mint_into`] and [`mint_url`] sign it in one call.
//!
//! The token is byte-identical to the one the [`Claims`](crate::Claims) setter path makes for
//! the same claims, with the same validation and messages (a property test holds the two paths
//! together). [`mint_into`] allocates nothing: it writes the payload JSON at the tail of the
//! caller's buffer, base64url-encodes it forward into place (the output never overtakes the
//! input still to be read), HMACs the signing input in place and appends the tag.
use crate::b64;
use crate::claims::now_unix;
use crate::error::{Error, ErrorKind, Result};
use crate::json::{self, Sink};
use crate::key::SigningKey;
use crate::sign::HEADER_B64;
use hmac::Mac;

/// Length of the base64url of a 32-byte HMAC-SHA256 tag.
const SIG_B64_LEN: usize = 43;
/// Payload JSON up to this many bytes is built in a stack buffer (no heap either way).
const SCRATCH: usize = 512;

/// Describes one room token: Digital Samba's registered claims and the token's times.
///
/// `None` means "absent". Times are either explicit (`issued_at`, `not_before`, `expires_at`)
/// or relative (`lifetime_seconds`, optionally `not_before_skew_seconds`, from `now` or the
/// system clock), never both. Relative mode with no skew gives the same claims as
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
    /// Relative mode: `iat = now`, `exp = now + lifetime_seconds` (must be > 0).
    pub lifetime_seconds: Option<i64>,
    /// Relative mode only: `nbf = now - not_before_skew_seconds` (must be >= 0).
    pub not_before_skew_seconds: Option<i64>,
    /// The "now" of relative mode; `None` reads the system clock.
    pub now: Option<i64>,
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

/// A validated token: the registered claims in payload order, times resolved.
struct Resolved<'a> {
    strings: [Option<&'a str>; 8],
    times: [Option<i64>; 3],
    /// Which strings need no JSON escape (most do not: they are copied as they are).
    plain: [bool; 8],
}

/// True when no byte of `s` needs a JSON escape (`"`, `\\` or a control character below
/// 0x20), checked eight bytes at a time.
fn is_plain(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        let v = u64::from_le_bytes(b);
        // A byte below 0x20: (v - 0x20 per byte) borrows into its high bit where v's is clear.
        let control = v.wrapping_sub(ONES * 0x20) & !v & HIGH;
        if control
            | has_zero(v ^ (ONES * u64::from(b'"')))
            | has_zero(v ^ (ONES * u64::from(b'\\')))
            != 0
        {
            return false;
        }
    }
    chunks
        .remainder()
        .iter()
        .all(|&b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// Registered claim names in payload order (the same order as `payload::REGISTERED`).
const NAMES: [&str; 11] = [
    "td",
    "rd",
    "u",
    "ud",
    "initials",
    "role",
    "breakoutId",
    "avatar",
    "iat",
    "nbf",
    "exp",
];

impl<'a> Resolved<'a> {
    /// Checks `t` in the order the setter path would meet the same problems (setters first,
    /// then signing), so both paths report the same error.
    fn new(t: &RoomToken<'a>) -> Result<Self> {
        let explicit = t.issued_at.is_some() || t.not_before.is_some() || t.expires_at.is_some();
        let relative = t.lifetime_seconds.is_some() || t.now.is_some();
        if explicit && relative {
            return Err(Error::invalid(
                "explicit times (issued_at, not_before, expires_at) and relative mode \
                 (lifetime_seconds, now) are mutually exclusive; set one or the other",
            ));
        }
        if t.not_before_skew_seconds.is_some() && t.lifetime_seconds.is_none() {
            return Err(Error::invalid(
                "not_before_skew_seconds needs lifetime_seconds (relative mode); for an \
                 explicit nbf set not_before",
            ));
        }
        if t.now.is_some() && t.lifetime_seconds.is_none() {
            return Err(Error::invalid(
                "now is only used in relative mode; set lifetime_seconds too",
            ));
        }
        let strings = [
            t.team_id,
            t.room,
            t.user_name,
            t.user_id,
            t.initials,
            t.role,
            t.breakout_id,
            t.avatar,
        ];
        // The setters refuse an empty td/rd.
        for (i, s) in strings.iter().enumerate().take(2) {
            if s.is_some_and(str::is_empty) {
                return Err(Error::invalid(format!(
                    "claim \"{}\" must not be empty",
                    NAMES[i]
                )));
            }
        }
        let times = match t.lifetime_seconds {
            None => [t.issued_at, t.not_before, t.expires_at],
            Some(lifetime) => relative_times(t.now, lifetime, t.not_before_skew_seconds)?,
        };
        // Then what signing requires (as Claims::check_signable).
        for (i, what) in [(0, "team id"), (1, "room")] {
            if strings[i].is_none() {
                return Err(Error::new(
                    ErrorKind::MissingClaim,
                    format!(
                        "claim \"{}\" ({what}) is required to sign a token",
                        NAMES[i]
                    ),
                ));
            }
        }
        let [iat, nbf, exp] = times;
        if let Some(exp) = exp {
            for (other, name) in [(nbf, "nbf"), (iat, "iat")] {
                if let Some(t) = other.filter(|t| exp < *t) {
                    return Err(Error::invalid(format!(
                        "claim \"exp\" ({exp}) is earlier than \"{name}\" ({t})"
                    )));
                }
            }
        }
        let plain = strings.map(|s| s.is_none_or(|s| is_plain(s.as_bytes())));
        Ok(Resolved {
            strings,
            times,
            plain,
        })
    }

    /// Length of the payload JSON.
    fn json_len(&self) -> usize {
        let mut n = 1; // '{'
        let mut members = 0;
        for (i, s) in self.strings.iter().enumerate() {
            if let Some(s) = s {
                let value = if self.plain[i] {
                    s.len() + 2
                } else {
                    json::str_json_len(s)
                };
                n += NAMES[i].len() + 3 + value;
                members += 1;
            }
        }
        for (i, t) in self.times.iter().enumerate() {
            if let Some(t) = t {
                n += NAMES[8 + i].len() + 3 + json::i64_len(*t);
                members += 1;
            }
        }
        // Commas between members, and '}'.
        n + members.max(1) - 1 + 1
    }

    fn write_json<S: Sink>(&self, out: &mut S) {
        out.put(b"{");
        let mut first = true;
        let mut sep = |out: &mut S| {
            if !first {
                out.put(b",");
            }
            first = false;
        };
        for (i, s) in self.strings.iter().enumerate() {
            if let Some(s) = s {
                sep(out);
                // `"name":` (registered names need no escape).
                out.put(b"\"");
                out.put(NAMES[i].as_bytes());
                out.put(b"\":");
                if self.plain[i] {
                    out.put(b"\"");
                    out.put(s.as_bytes());
                    out.put(b"\"");
                } else {
                    json::write_str(out, s);
                }
            }
        }
        for (i, t) in self.times.iter().enumerate() {
            if let Some(t) = t {
                sep(out);
                out.put(b"\"");
                out.put(NAMES[8 + i].as_bytes());
                out.put(b"\":");
                json::write_i64(out, *t);
            }
        }
        out.put(b"}");
    }
}

/// `iat`, `nbf`, `exp` for relative mode, with the checks and messages of
/// `Claims::set_expires_in_at` (no skew) and `Claims::set_validity_at` (skew).
fn relative_times(now: Option<i64>, lifetime: i64, skew: Option<i64>) -> Result<[Option<i64>; 3]> {
    if let Some(skew) = skew.filter(|s| *s < 0) {
        return Err(Error::invalid(format!(
            "not_before_skew_seconds must not be negative, got {skew}"
        )));
    }
    if lifetime <= 0 {
        return Err(Error::invalid(format!(
            "lifetime_seconds must be positive, got {lifetime}"
        )));
    }
    let now = now.unwrap_or_else(now_unix);
    let nbf = match skew {
        None => None,
        Some(skew) => Some(now.checked_sub(skew).ok_or_else(|| {
            Error::invalid("now - not_before_skew_seconds underflows a 64-bit time")
        })?),
    };
    let exp = now
        .checked_add(lifetime)
        .ok_or_else(|| Error::invalid("now + lifetime_seconds overflows a 64-bit time"))?;
    Ok([Some(now), nbf, Some(exp)])
}

/// A `Sink` writing into a slice from a position (sized beforehand: never overruns).
struct SliceSink<'b> {
    out: &'b mut [u8],
    pos: usize,
}

impl Sink for SliceSink<'_> {
    fn put(&mut self, bytes: &[u8]) {
        self.out[self.pos..self.pos + bytes.len()].copy_from_slice(bytes);
        self.pos += bytes.len();
    }
}

/// The token's length for a validated description.
fn token_len_of(r: &Resolved<'_>) -> (usize, usize) {
    let json_len = r.json_len();
    let len = HEADER_B64.len() + 1 + b64::encoded_len(json_len) + 1 + SIG_B64_LEN;
    (len, json_len)
}

/// The length of the token `token` mints to (no terminator), after validating it.
pub fn mint_len(token: &RoomToken<'_>) -> Result<usize> {
    Ok(token_len_of(&Resolved::new(token)?).0)
}

/// Mints `token` into `buf` without allocating and returns the token's length. When `buf` is
/// too short nothing is written and the error is [`ErrorKind::BufferTooSmall`] carrying the
/// length needed (as [`sign_into`](crate::sign_into)).
pub fn mint_into(token: &RoomToken<'_>, key: &SigningKey, buf: &mut [u8]) -> Result<usize> {
    let r = Resolved::new(token)?;
    let (needed, json_len) = token_len_of(&r);
    if buf.len() < needed {
        return Err(Error::new(
            ErrorKind::BufferTooSmall { needed },
            format!(
                "the buffer holds {} bytes but the token needs {needed}",
                buf.len()
            ),
        ));
    }
    let buf = &mut buf[..needed];
    let h = HEADER_B64.len();
    let b64_start = h + 1;
    let payload_end = b64_start + b64::encoded_len(json_len);
    if json_len <= SCRATCH {
        // Usual tokens: the JSON in a stack scratch, then encoded into place.
        let mut scratch = [0u8; SCRATCH];
        let mut sink = SliceSink {
            out: &mut scratch,
            pos: 0,
        };
        r.write_json(&mut sink);
        debug_assert_eq!(sink.pos, json_len);
        b64::encode_into(&scratch[..json_len], &mut buf[b64_start..payload_end]);
    } else {
        // Longer ones: the JSON goes at the very end of the token's bytes; encoding forward
        // from b64_start writes 4 bytes for every 3 read, and the JSON starts at least
        // json_len / 3 + 1 bytes after b64_start, so no write reaches input not yet read.
        let json_start = needed - json_len;
        let mut sink = SliceSink {
            out: buf,
            pos: json_start,
        };
        r.write_json(&mut sink);
        debug_assert_eq!(sink.pos, needed);
        b64::encode_forward_in_place(buf, json_start, json_len, b64_start);
    }
    buf[..h].copy_from_slice(HEADER_B64.as_bytes());
    buf[h] = b'.';
    let mut mac = key.mac();
    mac.update(&buf[..payload_end]);
    let tag = mac.finalize().into_bytes();
    buf[payload_end] = b'.';
    b64::encode_into(&tag[..], &mut buf[payload_end + 1..]);
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
            t.user_name = Some(&name);
            assert_eq!(mint(&t, &key()).unwrap(), builder(&t).unwrap(), "{n}");
        }
        // Around and beyond the stack scratch: the in-place path.
        for n in (400..1400).step_by(7) {
            let name = "x\"".repeat(n / 2) + &"é".repeat(n % 3);
            let mut t = RoomToken::new("t", "r");
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
                now: Some(1),
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
    fn plain_strings_are_exactly_those_without_escapes() {
        for b in 0..=255u8 {
            for len in 1..20 {
                for at in 0..len {
                    let mut v = vec![b'a'; len];
                    v[at] = b;
                    let want = b >= 0x20 && b != b'"' && b != b'\\';
                    assert_eq!(is_plain(&v), want, "{b:#x} at {at} of {len}");
                }
            }
        }
        assert!(is_plain("Zoë 🎉 李 \u{7f}\u{2028}".as_bytes()));
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
        assert_eq!(
            mint_url(&RoomToken::default(), &key(), "acme")
                .unwrap_err()
                .kind(),
            ErrorKind::MissingClaim
        );
    }
}
