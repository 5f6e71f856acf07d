//! The token payload: Digital Samba's registered claims in fixed slots (so the payload always
//! serialises in one documented order without sorting or hashing), then custom claims in
//! insertion order.
use crate::error::{Arg, Error, ErrorKind, JsonType, Reason, Result};
use crate::json::{self, Sink};
use crate::number::{self, SignTime, MAX_SIGN_TIME};
use crate::payload::{registered_index, Payload, REGISTERED};
use std::cmp::Ordering;
use std::time::{SystemTime, UNIX_EPOCH};

/// One claim's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A JSON string.
    String(String),
    /// A JSON integer that fits in `i64`, written the way `i64` prints (`12`, `-9`).
    Int(i64),
    /// A JSON boolean.
    Bool(bool),
    /// Any other JSON value (null, arrays, objects, and every other number: fractional, huge,
    /// or spelled `1e3`, `-0`, `5.0`), kept as compact JSON text. Numbers keep exactly the
    /// digits they were written with, however many; nothing is rounded.
    Json(String),
}

impl Value {
    /// The value as compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        self.write_json(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    pub(crate) fn write_json<S: Sink>(&self, out: &mut S) {
        match self {
            Value::String(s) => json::write_str(out, s),
            Value::Int(i) => json::write_i64(out, *i),
            Value::Bool(true) => out.put(b"true"),
            Value::Bool(false) => out.put(b"false"),
            Value::Json(text) => out.put(text.as_bytes()),
        }
    }

    /// The length of the value's compact JSON.
    pub(crate) fn json_len(&self) -> usize {
        match self {
            Value::String(s) => json::str_json_len(s),
            Value::Int(i) => json::i64_len(*i),
            Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Json(text) => text.len(),
        }
    }

    /// The value's JSON type, as errors report it.
    pub(crate) fn json_type(&self) -> JsonType {
        match self {
            Value::String(_) => JsonType::String,
            Value::Int(_) => JsonType::Integer,
            Value::Bool(_) => JsonType::Bool,
            Value::Json(t) if t.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
                JsonType::Number
            }
            Value::Json(t) if t.starts_with('[') => JsonType::Array,
            Value::Json(t) if t.starts_with('{') => JsonType::Object,
            Value::Json(_) => JsonType::Null,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::String(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Bool(_) => "a boolean",
            Value::Json(t) if t.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
                "a number that is not an int64 integer"
            }
            Value::Json(_) => "a JSON value that is not a string, number or boolean",
        }
    }

    /// The number's text when the value is a JSON number other than a canonical `i64`.
    fn number_text(&self) -> Option<&str> {
        match self {
            Value::Json(t) if t.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => Some(t),
            _ => None,
        }
    }

    /// The number rounded toward negative infinity and clamped to `i64` (a time in an error's
    /// numbers); `None` when the value is not a number.
    pub(crate) fn as_time(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            v => number::floor_i64(v.number_text()?),
        }
    }

    /// Whether the value is a JSON number (any spelling).
    fn is_number(&self) -> bool {
        matches!(self, Value::Int(_)) || self.number_text().is_some()
    }

    /// The exact order of this number and `n`; `None` when the value is not a number.
    pub(crate) fn cmp_number(&self, n: i128) -> Option<Ordering> {
        match self {
            Value::Int(i) => Some(i128::from(*i).cmp(&n)),
            _ => number::cmp_int(self.number_text()?, n),
        }
    }

    /// The exact order of two numbers; `None` when one is not a number.
    fn cmp_numbers(&self, other: &Value) -> Option<Ordering> {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
            (a, Value::Int(b)) => a.cmp_number(i128::from(*b)),
            (Value::Int(a), b) => b.cmp_number(i128::from(*a)).map(Ordering::reverse),
            (a, b) => number::cmp(a.number_text()?, b.number_text()?),
        }
    }

    /// Where the number lies relative to the range of times to sign; `None` when not a number.
    fn sign_time(&self) -> Option<SignTime> {
        match self {
            Value::Int(t) => Some(number::sign_time(*t)),
            v => number::sign_time_text(v.number_text()?),
        }
    }
}

/// Checks that `t`, the value about to be signed for time claim `name`, lies within
/// [0, [`MAX_SIGN_TIME`]] (1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z). Every path that sets
/// or signs a time applies it (the typed setters, `set_int`/`set_json` on `iat`/`nbf`/`exp`,
/// the relative setters, signing and the mint); verification does not.
pub(crate) fn check_time_range(name: &str, t: i64) -> Result<()> {
    // The usual case first, without the exact classification (the same answer: in range
    // exactly when 0 <= t <= MAX_SIGN_TIME).
    if (0..=MAX_SIGN_TIME).contains(&t) {
        return Ok(());
    }
    match number::sign_time(t) {
        SignTime::InRange => Ok(()),
        // The label is made only on the error path: the mint allocates nothing when it signs.
        class => Err(sign_time_error(&format!("claim \"{name}\""), t, class)
            .for_arg(claim_arg(name))
            .name(name)),
    }
}

/// The argument a claim is set through: its own for a registered claim, [`Arg::Claim`] for a
/// custom one.
pub(crate) fn claim_arg(name: &str) -> Arg {
    crate::schema::CLAIM_ARGS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or(Arg::Claim, |&(_, arg)| arg)
}

/// [`check_time_range`] for any time to sign, `what` naming it in the message (`claim "exp"`,
/// `now`, `--expires-at`).
pub fn check_sign_time(what: &str, t: i64) -> Result<()> {
    if (0..=MAX_SIGN_TIME).contains(&t) {
        return Ok(());
    }
    match number::sign_time(t) {
        SignTime::InRange => Ok(()),
        class => Err(sign_time_error(what, t, class)),
    }
}

fn sign_time_error(what: &str, t: i64, class: SignTime) -> Error {
    let secs = (class == SignTime::Millis).then_some(t / 1000);
    let e = time_range_error(what, &t.to_string(), class, secs);
    match secs {
        Some(s) => e.nums(t, MAX_SIGN_TIME).suggest(s),
        None => e.nums(t, MAX_SIGN_TIME),
    }
}

/// The refusal of a time to sign outside [0, MAX_SIGN_TIME]: says which side, and when the
/// value looks like milliseconds says so (with the date it would be in seconds when known).
fn time_range_error(what: &str, shown: &str, class: SignTime, secs: Option<i64>) -> Error {
    let range = format!(
        "times to sign must lie in the time range [0, {MAX_SIGN_TIME}] \
         (1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z), in unix seconds"
    );
    let why = match class {
        SignTime::BeforeEpoch => "is before 1970-01-01T00:00:00Z".to_string(),
        SignTime::Millis => match secs {
            Some(s) => format!(
                "is after 9999-12-31T23:59:59Z: it looks like milliseconds ({shown} ms is \
                 {s} s, {}); give seconds",
                number::rfc3339(s)
            ),
            None => "is after 9999-12-31T23:59:59Z: it looks like milliseconds; give seconds \
                     (the value divided by 1000)"
                .to_string(),
        },
        _ => "is after 9999-12-31T23:59:59Z".to_string(),
    };
    let reason = match class {
        SignTime::Millis => Reason::Milliseconds,
        _ => Reason::OutOfRange,
    };
    Error::invalid(format!("{what} is {shown}, which {why}; {range}")).why(reason, Arg::None)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Time,
}

/// The type each registered claim (in `payload::REGISTERED` order) must have.
const KINDS: [Kind; 11] = [
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Str,
    Kind::Time,
    Kind::Time,
    Kind::Time,
];
const TD: usize = 0;
const RD: usize = 1;
const IAT: usize = 8;
const NBF: usize = 9;
const EXP: usize = 10;

fn registered(name: &str) -> Option<(usize, Kind)> {
    registered_index(name).map(|i| (i, KINDS[i]))
}

/// Seconds since the Unix epoch from the system clock (negative before 1970).
pub fn now_unix() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs())
            .map(|s| -s)
            .unwrap_or(i64::MIN),
    }
}

/// A set of token claims.
///
/// Registered claims (`td, rd, u, ud, initials, role, breakoutId, avatar, iat, nbf, exp`) always
/// serialise first, in that order; custom claims follow in the order they were first set.
/// Setting a claim again replaces its value in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    payload: Payload,
}

impl Claims {
    /// An empty claim set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `td`, the team id (non-empty).
    pub fn set_team_id(&mut self, v: &str) -> Result<()> {
        self.set_registered_string(0, v)
    }
    /// Sets `rd`, the room name or UUID (non-empty).
    pub fn set_room(&mut self, v: &str) -> Result<()> {
        self.set_registered_string(1, v)
    }
    /// Sets `u`, the user's display name.
    pub fn set_user_name(&mut self, v: &str) -> Result<()> {
        self.set_registered_string(2, v)
    }
    /// Sets `ud`, the external user id.
    pub fn set_user_id(&mut self, v: &str) -> Result<()> {
        self.set_registered_string(3, v)
    }
    /// Sets `initials`.
    pub fn set_initials(&mut self, v: &str) -> Result<()> {
        self.set_registered_string(4, v)
    }
    /// Sets `role` (e.g. "moderator").
    pub fn set_role(&mut self, v: &str) -> Result<()> {
        self.set_registered_string(5, v)
    }
    /// Sets `breakoutId`.
    pub fn set_breakout_id(&mut self, v: &str) -> Result<()> {
        self.set_registered_string(6, v)
    }
    /// Sets `avatar` (an image URL).
    pub fn set_avatar(&mut self, v: &str) -> Result<()> {
        self.set_registered_string(7, v)
    }
    /// Sets `iat` (unix seconds, within [0, [`MAX_SIGN_TIME`]]).
    pub fn set_issued_at(&mut self, t: i64) -> Result<()> {
        self.set_int("iat", t)
    }
    /// Sets `nbf` (unix seconds, within [0, [`MAX_SIGN_TIME`]]).
    pub fn set_not_before(&mut self, t: i64) -> Result<()> {
        self.set_int("nbf", t)
    }
    /// Sets `exp` (unix seconds, within [0, [`MAX_SIGN_TIME`]]).
    pub fn set_expires_at(&mut self, t: i64) -> Result<()> {
        self.set_int("exp", t)
    }

    /// A registered string claim by slot (the typed setters: no name lookup on this hot path).
    fn set_registered_string(&mut self, i: usize, v: &str) -> Result<()> {
        if (i == TD || i == RD) && v.is_empty() {
            return Err(
                Error::invalid(format!("claim \"{}\" must not be empty", REGISTERED[i]))
                    .why(Reason::Empty, claim_arg(REGISTERED[i]))
                    .name(REGISTERED[i]),
            );
        }
        self.payload.set_slot_string(i, v);
        Ok(())
    }

    /// Sets `iat = now` and `exp = now + seconds` (`seconds` > 0, at most
    /// [`DEFAULT_MAX_LIFETIME`](crate::DEFAULT_MAX_LIFETIME)).
    pub fn set_expires_in_at(&mut self, now: i64, seconds: i64) -> Result<()> {
        self.set_lifetime_at(now, seconds, 0, None, None)
    }

    /// Relative times with every lifetime rule of the mint: `iat = now`, `exp = now +
    /// seconds`, and with a `skew` also `nbf = now - skew`. `seconds` > 0 with no sub-second
    /// part (`nanos` 0) and at most `max` (`None`: [`DEFAULT_MAX_LIFETIME`](crate::DEFAULT_MAX_LIFETIME));
    /// `skew` >= 0; `now` 0 is the system clock.
    pub fn set_lifetime_at(
        &mut self,
        now: i64,
        seconds: i64,
        nanos: u32,
        skew: Option<i64>,
        max: Option<i64>,
    ) -> Result<()> {
        let now = crate::mint::given_now(Some(now));
        if let Some(skew) = skew {
            if skew < 0 {
                return Err(Error::invalid(format!(
                    "skew_seconds must not be negative, got {skew}"
                ))
                .why(Reason::Negative, Arg::Skew)
                .nums(skew, 0));
            }
        }
        crate::mint::check_lifetime(seconds, nanos, max)?;
        match skew {
            Some(skew) => self.validity_unchecked(now, skew, seconds),
            None => self.expires_in_unchecked(now, seconds),
        }
    }

    fn expires_in_unchecked(&mut self, now: i64, seconds: i64) -> Result<()> {
        let exp = now.checked_add(seconds).ok_or_else(|| {
            Error::invalid("now + seconds overflows a 64-bit time")
                .why(Reason::Overflow, Arg::Lifetime)
                .nums(seconds, 0)
                .at(now)
        })?;
        check_time_range("iat", now)?;
        check_time_range("exp", exp)?;
        self.set_issued_at(now)?;
        self.set_expires_at(exp)
    }

    /// [`Claims::set_expires_in_at`] with the system clock.
    pub fn set_expires_in(&mut self, seconds: i64) -> Result<()> {
        self.set_expires_in_at(now_unix(), seconds)
    }

    /// Sets `iat = now`, `nbf = now - skew` and `exp = now + lifetime`
    /// (`skew` >= 0, `lifetime` > 0).
    pub fn set_validity_at(&mut self, now: i64, skew: i64, lifetime: i64) -> Result<()> {
        self.set_lifetime_at(now, lifetime, 0, Some(skew), None)
    }

    fn validity_unchecked(&mut self, now: i64, skew: i64, lifetime: i64) -> Result<()> {
        if skew < 0 {
            return Err(
                Error::invalid(format!("skew_seconds must not be negative, got {skew}"))
                    .why(Reason::Negative, Arg::Skew)
                    .nums(skew, 0),
            );
        }
        if lifetime <= 0 {
            return Err(Error::invalid(format!(
                "lifetime_seconds must be positive, got {lifetime}"
            ))
            .why(Reason::NotPositive, Arg::Lifetime)
            .nums(lifetime, 0));
        }
        let nbf = now.checked_sub(skew).ok_or_else(|| {
            Error::invalid("now - skew_seconds underflows a 64-bit time")
                .why(Reason::Overflow, Arg::Skew)
                .nums(skew, 0)
                .at(now)
        })?;
        let exp = now.checked_add(lifetime).ok_or_else(|| {
            Error::invalid("now + lifetime_seconds overflows a 64-bit time")
                .why(Reason::Overflow, Arg::Lifetime)
                .nums(lifetime, 0)
                .at(now)
        })?;
        check_time_range("iat", now)?;
        check_time_range("nbf", nbf)?;
        check_time_range("exp", exp)?;
        self.set_issued_at(now)?;
        self.set_not_before(nbf)?;
        self.set_expires_at(exp)
    }

    /// [`Claims::set_validity_at`] with the system clock.
    pub fn set_validity(&mut self, skew: i64, lifetime: i64) -> Result<()> {
        self.set_validity_at(now_unix(), skew, lifetime)
    }

    /// Sets any claim to a string. A time claim (`iat`, `nbf`, `exp`) is rejected; `td` and
    /// `rd` must not be empty. Reuses the old value's storage when it was a string.
    pub fn set_string(&mut self, name: &str, value: &str) -> Result<()> {
        check_name(name)?;
        match registered(name) {
            Some((_, Kind::Time)) => {
                return Err(Error::invalid(format!(
                    "claim \"{name}\" is a time (a number of unix seconds), not a string"
                ))
                .why(Reason::WrongType, claim_arg(name))
                .name(name)
                .nums(JsonType::String as i64, JsonType::Time as i64))
            }
            Some((i, Kind::Str)) if (i == TD || i == RD) && value.is_empty() => {
                return Err(
                    Error::invalid(format!("claim \"{name}\" must not be empty"))
                        .why(Reason::Empty, claim_arg(name))
                        .name(name),
                )
            }
            _ => {}
        }
        self.payload.set_string(name, value);
        Ok(())
    }

    /// Sets any claim to an integer. A registered string claim (`td`, `u`, ...) is rejected;
    /// a time claim (`iat`, `nbf`, `exp`) must lie within [0, [`MAX_SIGN_TIME`]].
    pub fn set_int(&mut self, name: &str, value: i64) -> Result<()> {
        check_name(name)?;
        match registered(name) {
            Some((_, Kind::Str)) => {
                return Err(
                    Error::invalid(format!("claim \"{name}\" is a string, not an integer"))
                        .why(Reason::WrongType, claim_arg(name))
                        .name(name)
                        .nums(JsonType::Integer as i64, JsonType::String as i64),
                )
            }
            Some((_, Kind::Time)) => check_time_range(name, value)?,
            None => {}
        }
        self.put(name, Value::Int(value))
    }

    /// Sets a custom claim to a boolean. Registered claims are rejected.
    pub fn set_bool(&mut self, name: &str, value: bool) -> Result<()> {
        check_name(name)?;
        if let Some((_, kind)) = registered(name) {
            return Err(Error::invalid(format!(
                "claim \"{name}\" is {}, not a boolean",
                kind_name(kind)
            ))
            .why(Reason::WrongType, claim_arg(name))
            .name(name)
            .nums(JsonType::Bool as i64, kind_type(kind) as i64));
        }
        self.put(name, Value::Bool(value))
    }

    /// Sets any claim to a JSON value given as text (validated strictly: duplicate member
    /// names and nesting deeper than [`crate::MAX_JSON_DEPTH`] are rejected). Numbers are kept
    /// exactly as written. Registered claims must get their own type: a string, or for times
    /// a number (any spelling, fractions allowed) within [0, [`MAX_SIGN_TIME`]].
    pub fn set_json(&mut self, name: &str, json_text: &str) -> Result<()> {
        check_name(name)?;
        let value = json::parse_value(json_text).map_err(|e| {
            let (reason, line, column) = match e.position() {
                Some((line, column)) => (Reason::BadJson, line, column),
                None => (Reason::TooDeep, 0, crate::json::MAX_DEPTH as i64),
            };
            Error::invalid(format!(
                "json_text for claim \"{name}\" is not valid JSON: {e}"
            ))
            .why(reason, Arg::JsonText)
            .name(name)
            .nums(line, column)
        })?;
        match (registered(name), &value) {
            (Some((_, Kind::Str)), Value::String(s)) => return self.set_string(name, s),
            (Some((_, Kind::Time)), v) if v.is_number() => match v.sign_time() {
                Some(SignTime::InRange) | None => {}
                Some(class) => {
                    return Err(time_range_error(
                        &format!("claim \"{name}\""),
                        json_text.trim(),
                        class,
                        None,
                    )
                    .for_arg(claim_arg(name))
                    .name(name)
                    .text(json_text.trim())
                    .nums(0, MAX_SIGN_TIME))
                }
            },
            (None, _) => {}
            (Some((_, kind)), v) => {
                return Err(Error::invalid(format!(
                    "claim \"{name}\" is {}, but json_text is {}",
                    kind_name(kind),
                    v.type_name()
                ))
                .why(Reason::WrongType, claim_arg(name))
                .name(name)
                .nums(v.json_type() as i64, kind_type(kind) as i64))
            }
        }
        self.put(name, value)
    }

    /// Refuses a name that cannot be a custom claim: empty, or a registered claim's name
    /// (`td`, `exp`, ...), which has its own setter and type. Every binding's custom-claim
    /// setter goes through it, so the list of registered names lives here only.
    pub fn check_custom_name(name: &str) -> Result<()> {
        check_name(name)?;
        match crate::schema::CLAIM_ARGS.iter().find(|(n, _)| *n == name) {
            Some(&(_, arg)) => Err(Error::invalid(format!(
                "\"{name}\" is a registered claim: set it with its own setter, not as a custom \
                 claim"
            ))
            .why(Reason::RegisteredName, Arg::ClaimName)
            .other(arg)
            .name(name)),
            None => Ok(()),
        }
    }

    /// Removes a claim; [`ErrorKind::NotFound`] when it is absent.
    pub fn remove(&mut self, name: &str) -> Result<()> {
        if self.payload.remove(name) {
            Ok(())
        } else {
            Err(not_found(name))
        }
    }

    /// The value of a claim, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.payload.get(name)
    }

    /// A string claim: [`ErrorKind::NotFound`] or [`ErrorKind::WrongType`] otherwise.
    pub fn get_string(&self, name: &str) -> Result<&str> {
        match self.get(name) {
            Some(Value::String(s)) => Ok(s),
            Some(v) => Err(wrong_type(name, "a string", v, JsonType::String)),
            None => Err(not_found(name)),
        }
    }

    /// An integer claim: [`ErrorKind::NotFound`] when absent; [`ErrorKind::WrongType`] when it
    /// is not a number whose exact value is an integer within `i64` (a fraction such as
    /// `1700000000.5`, or an integer beyond `i64`, is never rounded: read it with
    /// [`Claims::get_json`]). Integral spellings such as `1e3` or `5.0` give their value.
    pub fn get_int(&self, name: &str) -> Result<i64> {
        match self.get(name) {
            Some(Value::Int(i)) => Ok(*i),
            Some(v) => match v.number_text() {
                Some(t) => number::as_i64(t).ok_or_else(|| {
                    Error::new(
                        ErrorKind::WrongType,
                        format!(
                            "claim \"{name}\" is the number {t}, which is not an integer that fits \
                             in 64 bits; read it exactly with get_json"
                        ),
                    )
                    .why(Reason::NotAnInteger, claim_arg(name))
                    .name(name)
                    .text(t)
                }),
                None => Err(wrong_type(name, "an integer", v, JsonType::Integer)),
            },
            None => Err(not_found(name)),
        }
    }

    /// A boolean claim: [`ErrorKind::NotFound`] or [`ErrorKind::WrongType`] otherwise.
    pub fn get_bool(&self, name: &str) -> Result<bool> {
        match self.get(name) {
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(wrong_type(name, "a boolean", v, JsonType::Bool)),
            None => Err(not_found(name)),
        }
    }

    /// Any claim as compact JSON text: [`ErrorKind::NotFound`] when absent.
    pub fn get_json(&self, name: &str) -> Result<String> {
        self.get(name)
            .map(Value::to_json)
            .ok_or_else(|| not_found(name))
    }

    /// Number of claims present.
    pub fn len(&self) -> usize {
        self.payload.len()
    }

    /// True when no claim is set.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All claims in payload order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.payload.iter()
    }

    /// The payload as compact JSON, in payload order.
    pub fn to_json(&self) -> String {
        String::from_utf8_lossy(self.payload.json()).into_owned()
    }

    /// The payload JSON's base64url, kept current by every change (what signing uses).
    pub(crate) fn payload_b64(&self) -> &[u8] {
        self.payload.b64()
    }

    /// Checks what signing requires: `td` and `rd` present as non-empty strings, and `exp` not
    /// earlier than `nbf` or `iat`.
    pub(crate) fn check_signable(&self) -> Result<()> {
        for (i, what) in [(TD, "team id"), (RD, "room")] {
            let name = REGISTERED[i];
            match self.payload.slot(i) {
                None => {
                    return Err(Error::new(
                        ErrorKind::MissingClaim,
                        format!("claim \"{name}\" ({what}) is required to sign a token"),
                    )
                    .why(Reason::Missing, claim_arg(name))
                    .name(name))
                }
                Some(Value::String(s)) if !s.is_empty() => {}
                Some(Value::String(_)) => {
                    return Err(
                        Error::invalid(format!("claim \"{name}\" must not be empty"))
                            .why(Reason::Empty, claim_arg(name))
                            .name(name),
                    )
                }
                Some(v) => return Err(wrong_kind(name, Kind::Str, v)),
            }
        }
        let time = |i: usize| -> Result<Option<&Value>> {
            match self.payload.slot(i) {
                None => Ok(None),
                Some(v) if v.is_number() => match v.sign_time() {
                    Some(SignTime::InRange) | None => Ok(Some(v)),
                    Some(class) => Err(time_range_error(
                        &format!("claim \"{}\"", REGISTERED[i]),
                        &v.to_json(),
                        class,
                        None,
                    )
                    .for_arg(claim_arg(REGISTERED[i]))
                    .name(REGISTERED[i])
                    .text(&v.to_json())
                    .nums(0, MAX_SIGN_TIME)),
                },
                Some(v) => Err(wrong_kind(REGISTERED[i], Kind::Time, v)),
            }
        };
        let (iat, nbf, exp) = (time(IAT)?, time(NBF)?, time(EXP)?);
        if let Some(exp) = exp {
            for (other, name) in [(nbf, "nbf"), (iat, "iat")] {
                if let Some(t) = other.filter(|t| exp.cmp_numbers(t) == Some(Ordering::Less)) {
                    return Err(Error::invalid(format!(
                        "claim \"exp\" ({}) is earlier than \"{name}\" ({})",
                        exp.to_json(),
                        t.to_json()
                    ))
                    .why(Reason::ExpBefore, Arg::ExpiresAt)
                    .other(claim_arg(name))
                    .name("exp")
                    .nums(
                        exp.as_time().unwrap_or_default(),
                        t.as_time().unwrap_or_default(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Builds claims from a token's decoded payload, parsed strictly straight into the claim
    /// store (duplicate names at any depth refused, nesting bounded, numbers kept exactly).
    /// Time claims must be numbers (RFC 7519 NumericDate: any finite JSON number); other values
    /// are kept as they came. `what` names the part for messages ("payload").
    pub(crate) fn from_token_json(json: &[u8], what: &str) -> Result<Claims> {
        let mut payload = Payload::for_token();
        let mut bad_time = None;
        json::parse_object(json, |name, value| {
            let slot = registered_index(&name);
            if let Some(i) = slot.filter(|&i| KINDS[i] == Kind::Time) {
                if !value.is_number() {
                    let name = REGISTERED[i];
                    bad_time = Some((
                        name,
                        format!(
                            "claim \"{name}\" must be a number of seconds (a NumericDate), but it is {}",
                            value.type_name()
                        ),
                    ));
                    return Err("a time claim that is not a number".into());
                }
            }
            match payload.push_token_member(slot, name, value) {
                Ok(()) => Ok(()),
                Err(name) => Err(format!("duplicate member name {name:?}")),
            }
        })
        .map_err(|e| match bad_time.take() {
            Some((name, message)) => Error::malformed(message)
                .why(Reason::NotNumericDate, claim_arg(name))
                .name(name),
            None => Error::malformed(format!(
                "the token's {what} is not a strict JSON object ({e})"
            ))
            .why(
                Reason::NotJsonObject,
                if what == "header" {
                    Arg::Header
                } else {
                    Arg::Payload
                },
            ),
        })?;
        Ok(Claims { payload })
    }

    pub(crate) const IAT: usize = IAT;
    pub(crate) const NBF: usize = NBF;
    pub(crate) const EXP: usize = EXP;

    /// The time claim in registered slot `i` ([`Claims::IAT`], ...) when present.
    pub(crate) fn time(&self, i: usize) -> Option<&Value> {
        self.payload.slot(i)
    }

    fn put(&mut self, name: &str, value: Value) -> Result<()> {
        self.payload.set(name, value);
        Ok(())
    }
}

fn check_name(name: &str) -> Result<()> {
    if name.is_empty() {
        Err(Error::invalid("claim name must not be empty").why(Reason::Empty, Arg::ClaimName))
    } else {
        Ok(())
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Str => "a string",
        Kind::Time => "a time (a number of unix seconds)",
    }
}

fn kind_type(kind: Kind) -> JsonType {
    match kind {
        Kind::Str => JsonType::String,
        Kind::Time => JsonType::Time,
    }
}

fn wrong_kind(name: &str, kind: Kind, v: &Value) -> Error {
    Error::invalid(format!(
        "claim \"{name}\" must be {}, but it is {}",
        kind_name(kind),
        v.type_name()
    ))
    .why(Reason::WrongType, claim_arg(name))
    .name(name)
    .nums(v.json_type() as i64, kind_type(kind) as i64)
}

fn not_found(name: &str) -> Error {
    Error::new(
        ErrorKind::NotFound,
        format!("claim \"{name}\" is not present"),
    )
    .why(Reason::NotFound, claim_arg(name))
    .name(name)
}

fn wrong_type(name: &str, wanted: &str, v: &Value, want: JsonType) -> Error {
    Error::new(
        ErrorKind::WrongType,
        format!("claim \"{name}\" is {}, not {wanted}", v.type_name()),
    )
    .why(Reason::WrongType, claim_arg(name))
    .name(name)
    .nums(v.json_type() as i64, want as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Claims {
        let mut c = Claims::new();
        c.set_string("custom", "x").unwrap();
        c.set_expires_at(200).unwrap();
        c.set_user_name("John Smith").unwrap();
        c.set_room("daily").unwrap();
        c.set_team_id("team").unwrap();
        c.set_issued_at(100).unwrap();
        c
    }

    #[test]
    fn serialises_in_documented_order() {
        assert_eq!(
            sample().to_json(),
            r#"{"td":"team","rd":"daily","u":"John Smith","iat":100,"exp":200,"custom":"x"}"#
        );
    }

    #[test]
    fn replaces_in_place_and_keeps_custom_order() {
        let mut c = Claims::new();
        c.set_string("a", "1").unwrap();
        c.set_int("b", 2).unwrap();
        c.set_bool("c", true).unwrap();
        c.set_json("a", "[1,2]").unwrap();
        c.set_user_name("x").unwrap();
        c.set_user_name("y").unwrap();
        assert_eq!(c.to_json(), r#"{"u":"y","a":[1,2],"b":2,"c":true}"#);
        c.remove("b").unwrap();
        assert_eq!(c.to_json(), r#"{"u":"y","a":[1,2],"c":true}"#);
        assert_eq!(c.remove("b").unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(c.len(), 3);
    }

    #[test]
    fn registered_claims_keep_their_types() {
        let mut c = Claims::new();
        assert_eq!(
            c.set_int("u", 5).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            c.set_string("exp", "5").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            c.set_bool("role", true).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            c.set_json("iat", "true").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            c.set_json("iat", "\"1\"").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            c.set_json("td", "7").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            c.set_team_id("").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            c.set_string("", "x").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        c.set_json("iat", "12").unwrap();
        c.set_json("u", "\"Zoë\"").unwrap();
        assert_eq!(c.get_int("iat").unwrap(), 12);
        assert_eq!(c.get_string("u").unwrap(), "Zoë");
        assert!(!c.is_empty());
    }

    #[test]
    fn set_json_validates_and_normalises() {
        let mut c = Claims::new();
        assert_eq!(
            c.set_json("x", "{").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            c.set_json("x", "").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            c.set_json("x", r#"{"a":1,"a":1}"#).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        c.set_json("x", " { \"b\" : [ 1 , null ], \"a\": 1.5 } ")
            .unwrap();
        assert_eq!(c.get_json("x").unwrap(), r#"{"b":[1,null],"a":1.5}"#);
        c.set_json("n", "-9").unwrap();
        assert_eq!(c.get_int("n").unwrap(), -9);
        c.set_json("big", "18446744073709551615").unwrap();
        assert_eq!(c.get_int("big").unwrap_err().kind(), ErrorKind::WrongType);
    }

    #[test]
    fn floats_survive_reserialisation_exactly() {
        // Found by the property tests: without serde_json's float_roundtrip, parsing this
        // shortest representation was off by one ULP and the claim changed on each re-parse.
        let mut c = Claims::new();
        c.set_json("f", "[[2.2361692093150114e-114]]").unwrap();
        assert_eq!(c.get_json("f").unwrap(), "[[2.2361692093150114e-114]]");
    }

    /// Numbers are kept exactly as written, never rounded.
    #[test]
    fn numbers_keep_every_digit() {
        let mut c = Claims::new();
        for n in [
            "123456789012345678901234567891",
            "123456789012345678901234567892",
            "123456789.123456789",
            "2.5e-400",
            "1e400",
            "-0",
            "1E3",
        ] {
            c.set_json("n", n).unwrap();
            assert_eq!(c.get_json("n").unwrap(), n);
            assert_eq!(c.to_json(), format!("{{\"n\":{n}}}"));
        }
        c.set_json("n", "[123456789012345678901234567891,{\"x\":0.1000}]")
            .unwrap();
        assert_eq!(
            c.get_json("n").unwrap(),
            "[123456789012345678901234567891,{\"x\":0.1000}]"
        );
        // Integer getters never round: beyond int64 or fractional is WRONG_TYPE.
        for (n, want) in [
            ("9223372036854775807", Ok(i64::MAX)),
            ("-9223372036854775808", Ok(i64::MIN)),
            ("1E3", Ok(1000)),
            ("-0", Ok(0)),
            ("9223372036854775808", Err(ErrorKind::WrongType)),
            ("123456789012345678901234567891", Err(ErrorKind::WrongType)),
            ("1.5", Err(ErrorKind::WrongType)),
            ("1e400", Err(ErrorKind::WrongType)),
        ] {
            c.set_json("n", n).unwrap();
            assert_eq!(c.get_int("n").map_err(|e| e.kind()), want, "{n}");
        }
    }

    /// Times to sign lie in [0, 9999-12-31T23:59:59Z]; a value above it that
    /// is a time in milliseconds is named as such; set_json takes any number in the range.
    #[test]
    fn times_are_limited_to_the_sign_range() {
        let mut c = Claims::new();
        c.set_expires_at(MAX_SIGN_TIME).unwrap();
        c.set_not_before(0).unwrap();
        for (t, words) in [
            (MAX_SIGN_TIME + 1, "looks like milliseconds"),
            (1_767_229_200_000, "1767229200 s, 2026-01-01T01:00:00Z"),
            (-1, "before 1970-01-01T00:00:00Z"),
            (crate::MAX_TIME_SECONDS, "after 9999-12-31T23:59:59Z"),
            (i64::MAX, "after 9999-12-31T23:59:59Z"),
            (i64::MIN, "before 1970"),
        ] {
            let e = c.set_expires_at(t).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument);
            assert!(e.message().contains(words), "{}", e.message());
            assert!(e.message().contains("253402300799"), "{}", e.message());
            assert!(
                e.message().starts_with("claim \"exp\" is "),
                "{}",
                e.message()
            );
            assert!(c.set_int("iat", t).is_err());
            assert!(c.set_json("nbf", &t.to_string()).is_err());
            c.set_int("custom", t).unwrap();
        }
        let huge = (MAX_SIGN_TIME + 1) * 1000;
        let e = c.set_issued_at(huge).unwrap_err();
        assert!(!e.message().contains("milliseconds"), "{}", e.message());
        assert_eq!(c.get_int("exp").unwrap(), MAX_SIGN_TIME, "unchanged");
        assert!(c.set_expires_in_at(MAX_SIGN_TIME, 1).is_err());
        assert!(c.set_validity_at(10, 11, 10).is_err());
        assert!(c.set_validity_at(-1, 0, 10).is_err());
        for t in ["1700003600.5", "1e3", "-0", "1700003600.0", "253402300799"] {
            c.set_json("exp", t).unwrap();
            assert_eq!(c.get_json("exp").unwrap(), t);
        }
        for (t, words) in [
            ("253402300799.5", "milliseconds"),
            ("1.7e12", "milliseconds"),
            ("1e16", "after 9999"),
            ("-0.5", "before 1970"),
            ("\"1\"", "is a time"),
            ("null", "is a time"),
        ] {
            let e = c.set_json("exp", t).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{t}");
            assert!(e.message().contains(words), "{t}: {}", e.message());
        }
        c.set_json("iat", "1700003600.5").unwrap();
        c.set_json("exp", "1700003600.25").unwrap();
        c.set_team_id("t").unwrap();
        c.set_room("r").unwrap();
        let e = c.check_signable().unwrap_err();
        assert!(e
            .message()
            .contains("(1700003600.25) is earlier than \"iat\" (1700003600.5)"));
        c.set_json("exp", "17000036005e-1").unwrap();
        c.check_signable().unwrap();
    }

    #[test]
    fn getters_report_missing_and_wrong_type() {
        let c = sample();
        assert_eq!(c.get_string("td").unwrap(), "team");
        assert_eq!(c.get_int("exp").unwrap(), 200);
        assert_eq!(c.get_int("td").unwrap_err().kind(), ErrorKind::WrongType);
        assert_eq!(
            c.get_string("exp").unwrap_err().kind(),
            ErrorKind::WrongType
        );
        assert_eq!(c.get_bool("td").unwrap_err().kind(), ErrorKind::WrongType);
        assert_eq!(c.get_string("ud").unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(c.get_json("nope").unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(c.get_json("u").unwrap(), "\"John Smith\"");
    }

    #[test]
    fn signable_rules() {
        let mut c = Claims::new();
        assert_eq!(
            c.check_signable().unwrap_err().kind(),
            ErrorKind::MissingClaim
        );
        c.set_team_id("t").unwrap();
        assert_eq!(
            c.check_signable().unwrap_err().kind(),
            ErrorKind::MissingClaim
        );
        c.set_room("r").unwrap();
        c.check_signable().unwrap();
        c.set_issued_at(100).unwrap();
        c.set_expires_at(99).unwrap();
        assert_eq!(
            c.check_signable().unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        c.set_expires_at(100).unwrap();
        c.check_signable().unwrap();
        c.set_not_before(101).unwrap();
        assert_eq!(
            c.check_signable().unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }

    #[test]
    fn relative_times() {
        let mut c = Claims::new();
        c.set_validity_at(1_000, 30, 3_600).unwrap();
        assert_eq!(
            (c.get_int("iat"), c.get_int("nbf"), c.get_int("exp")),
            (Ok(1_000), Ok(970), Ok(4_600))
        );
        c.set_expires_in_at(5_000_000_000, 60).unwrap();
        assert_eq!(c.get_int("exp"), Ok(5_000_000_060));
        assert!(c.set_expires_in_at(i64::MAX, 1).is_err());
        assert!(c.set_expires_in_at(0, 0).is_err());
        assert!(c.set_validity_at(0, -1, 10).is_err());
        assert!(c.set_validity_at(0, 1, 0).is_err());
        assert!(c.set_validity_at(i64::MIN, 1, 10).is_err());
        let now = now_unix();
        c.set_expires_in(10).unwrap();
        assert!((c.get_int("iat").unwrap() - now).abs() <= 1);
    }

    #[test]
    fn string_setter_reuses_capacity() {
        let mut c = Claims::new();
        c.set_user_id("user-000001").unwrap();
        let before = match c.get("ud") {
            Some(Value::String(s)) => s.as_ptr(),
            _ => unreachable!(),
        };
        c.set_user_id("user-000002").unwrap();
        let after = match c.get("ud") {
            Some(Value::String(s)) => s.as_ptr(),
            _ => unreachable!(),
        };
        assert_eq!(before, after);
    }
}
