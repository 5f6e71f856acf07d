//! Failures with their exit codes, and a small JSON writer that embeds claim JSON verbatim (so
//! numbers of any size come out exactly as the token has them).
use crate::{schema, times};
use dstoken::{Error, ErrorKind, Parts};

/// Exit codes: one per class of failure (documented in `--help` and the README).
pub mod code {
    /// Success.
    pub const OK: u8 = 0;
    /// Key or I/O error (no key, unreadable or empty key, unreadable input, failed output), or
    /// an internal error.
    pub const IO: u8 = 1;
    /// Usage: bad or conflicting options, invalid UTF-8, bad durations or times, claim values
    /// the library refuses. (clap's own parse errors exit 2 too.)
    pub const USAGE: u8 = 2;
    /// The token is malformed or uses an unsupported algorithm or header.
    pub const MALFORMED: u8 = 3;
    /// The signature does not match the key.
    pub const SIGNATURE: u8 = 4;
    /// Expired, or not yet valid.
    pub const TIME: u8 = 5;
}

/// For time failures: which claim, its time, the `now` used and the leeway.
#[derive(Debug)]
pub struct TimeDetail {
    pub claim: &'static str,
    /// The claim exactly as the token wrote it (a JSON number: a NumericDate may have a
    /// fraction or an exponent).
    pub claim_time: String,
    pub now: i64,
    pub leeway: u32,
}

/// Why a command failed.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub class: &'static str,
    /// The library's status name (`DST_ERR_...`) when the library refused.
    pub status: Option<&'static str>,
    pub message: String,
    pub time: Option<TimeDetail>,
}

impl Failure {
    fn plain(code: u8, class: &'static str, message: impl Into<String>) -> Self {
        Failure {
            code,
            class,
            status: None,
            message: message.into(),
            time: None,
        }
    }
    pub fn io(message: impl Into<String>) -> Self {
        Self::plain(code::IO, "io", message)
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::plain(code::USAGE, "usage", message)
    }
    pub fn malformed(message: impl Into<String>) -> Self {
        Self::plain(code::MALFORMED, "malformed", message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::plain(code::IO, "internal", message)
    }

    /// A library error, worded from its parts (the core's reason, argument and numbers) with
    /// this tool's option names; never from the library's English message.
    pub fn from_core(e: &Error) -> Self {
        Self::from_core_as(e, None)
    }

    /// [`Failure::from_core`] where the library's `team` argument is `--domain` (`url
    /// --domain`, `mint --url --domain`).
    pub fn from_core_as(e: &Error, team: Option<&'static str>) -> Self {
        let (code, class) = match e.kind() {
            ErrorKind::MalformedToken | ErrorKind::UnsupportedAlgorithm => {
                (code::MALFORMED, "malformed")
            }
            ErrorKind::BadSignature | ErrorKind::ClaimMismatch => (code::SIGNATURE, "signature"),
            ErrorKind::Expired | ErrorKind::NotYetValid => (code::TIME, "time"),
            ErrorKind::Internal => (code::IO, "internal"),
            ErrorKind::NullArgument
            | ErrorKind::InvalidUtf8
            | ErrorKind::InvalidArgument
            | ErrorKind::MissingClaim
            | ErrorKind::BufferTooSmall { .. }
            | ErrorKind::NotFound
            | ErrorKind::WrongType => (code::USAGE, "usage"),
        };
        Failure {
            code,
            class,
            status: Some(status_name(e.kind())),
            message: compose_with(e.parts(), team),
            time: None,
        }
    }

    /// The human form, for standard error (one line, then the time detail if any).
    pub fn human(&self, command: &str) -> String {
        let mut s = match self.status {
            Some(st) => format!("dstoken {command}: {st}: {}\n", self.message),
            None => format!("dstoken {command}: error: {}\n", self.message),
        };
        if let Some(t) = &self.time {
            let utc = |x: i64| times::rfc3339_utc(x).unwrap_or_else(|| "(outside RFC 3339)".into());
            // Whole seconds get their date and a phrase; other NumericDates are shown as written.
            let claim_extra = match t.claim_time.parse::<i64>() {
                Ok(ct) => format!("  {}  ({})", utc(ct), times::relative(t.claim, ct, t.now)),
                Err(_) => String::new(),
            };
            s.push_str(&format!(
                "  {:<6}  {}{claim_extra}\n  now     {}  {}\n  leeway  {} s\n",
                t.claim,
                t.claim_time,
                t.now,
                utc(t.now),
                t.leeway
            ));
        }
        s
    }

    /// The `--json` form: `{"ok":false,"command":..,"error":{..}}`.
    pub fn json(&self, command: &str) -> String {
        let mut err = Obj::new()
            .int("exit_code", i64::from(self.code))
            .str("class", self.class);
        err = match self.status {
            Some(s) => err.str("status", s),
            None => err.null("status"),
        };
        err = err.str("message", &self.message);
        if let Some(t) = &self.time {
            err = err
                .str("claim", t.claim)
                .raw("claim_time", &t.claim_time)
                .int("now", t.now)
                .int("leeway", i64::from(t.leeway));
        }
        Obj::new()
            .bool("ok", false)
            .str("command", command)
            .raw("error", &err.finish())
            .finish()
    }
}

/// An error's message: the schema's template for its reason, filled with its parts and this
/// tool's spelling of the arguments (schema/dstoken.json, generated into `schema.rs`).
pub fn compose(p: &Parts) -> String {
    compose_with(p, None)
}

/// [`compose`], with `team` as the spelling of the library's `team` argument when given.
fn compose_with(p: &Parts, team: Option<&'static str>) -> String {
    let template = schema::REASONS
        .get(p.reason as usize)
        .copied()
        .unwrap_or("{arg}");
    let arg = |a: dstoken::Arg| match (a, team) {
        (dstoken::Arg::Team, Some(t)) => t,
        _ => schema::ARGS.get(a as usize).copied().unwrap_or(""),
    };
    let number = |n: i64, format: &str| match format {
        "time" => times::rfc3339_utc(n).unwrap_or_else(|| n.to_string()),
        "span" => dstoken::span(n.unsigned_abs()),
        "type" => schema::TYPES
            .get(usize::try_from(n).unwrap_or(usize::MAX))
            .copied()
            .unwrap_or("a value")
            .to_string(),
        _ => n.to_string(),
    };
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let field = &rest[open + 1..open + close];
        let (name, format) = field.split_once(':').unwrap_or((field, ""));
        match name {
            "arg" => out.push_str(arg(p.arg)),
            "other" => out.push_str(arg(p.other)),
            "name" => out.push_str(&p.name),
            "text" => out.push_str(&p.text),
            "value" => out.push_str(&number(p.value, format)),
            "limit" => out.push_str(&number(p.limit, format)),
            "time" => out.push_str(&number(p.time, format)),
            "suggested" => out.push_str(&number(p.suggested, format)),
            _ => out.push_str(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The C API's name for a core error kind (`dst_status_name`).
pub fn status_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::NullArgument => "DST_ERR_NULL_ARGUMENT",
        ErrorKind::InvalidUtf8 => "DST_ERR_INVALID_UTF8",
        ErrorKind::InvalidArgument => "DST_ERR_INVALID_ARGUMENT",
        ErrorKind::MissingClaim => "DST_ERR_MISSING_CLAIM",
        ErrorKind::BufferTooSmall { .. } => "DST_ERR_BUFFER_TOO_SMALL",
        ErrorKind::MalformedToken => "DST_ERR_MALFORMED_TOKEN",
        ErrorKind::UnsupportedAlgorithm => "DST_ERR_UNSUPPORTED_ALGORITHM",
        ErrorKind::BadSignature => "DST_ERR_BAD_SIGNATURE",
        ErrorKind::Expired => "DST_ERR_EXPIRED",
        ErrorKind::NotYetValid => "DST_ERR_NOT_YET_VALID",
        ErrorKind::NotFound => "DST_ERR_NOT_FOUND",
        ErrorKind::WrongType => "DST_ERR_WRONG_TYPE",
        ErrorKind::Internal => "DST_ERR_INTERNAL",
        ErrorKind::ClaimMismatch => "DST_ERR_CLAIM_MISMATCH",
    }
}

/// Whether `c` must not reach a terminal as it is: the C0 controls but newline and tab (ESC
/// starts the escape sequences that move the cursor, recolour, retitle the window or write to
/// the clipboard), DEL, the C1 controls (U+0080..U+009F: CSI, OSC, ... in one byte), and the
/// bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069), which
/// reorder what is shown.
fn unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Human-readable text made safe for a terminal: every character [`unsafe_for_terminal`]
/// finds is written as `\uXXXX` (the JSON spelling, so a JSON value shown stays valid JSON
/// text). The `--json` output is JSON and is not changed.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(unsafe_for_terminal) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if unsafe_for_terminal(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// A JSON string literal.
pub fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// Builds one JSON object; `raw` members are inserted verbatim (already valid JSON).
pub struct Obj {
    buf: String,
}

impl Obj {
    pub fn new() -> Self {
        Obj {
            buf: String::from("{"),
        }
    }
    pub fn raw(mut self, key: &str, json: &str) -> Self {
        if self.buf.len() > 1 {
            self.buf.push(',');
        }
        self.buf.push_str(&json_str(key));
        self.buf.push(':');
        self.buf.push_str(json);
        self
    }
    pub fn str(self, key: &str, v: &str) -> Self {
        let v = json_str(v);
        self.raw(key, &v)
    }
    pub fn int(self, key: &str, v: i64) -> Self {
        self.raw(key, &v.to_string())
    }
    pub fn bool(self, key: &str, v: bool) -> Self {
        self.raw(key, if v { "true" } else { "false" })
    }
    pub fn null(self, key: &str) -> Self {
        self.raw(key, "null")
    }
    pub fn finish(mut self) -> String {
        self.buf.push('}');
        self.buf
    }
}

/// `{"unix":..,"utc":..,"relative":..}` for one time claim.
pub fn time_json(claim: &str, t: i64, now: i64) -> String {
    let o = Obj::new().int("unix", t);
    let o = match times::rfc3339_utc(t) {
        Some(u) => o.str("utc", &u),
        None => o.null("utc"),
    };
    o.str("relative", &times::relative(claim, t, now)).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_safe_escapes_controls_and_bidi_overrides() {
        assert_eq!(terminal_safe("plain é 李 🎉\n\tx"), "plain é 李 🎉\n\tx");
        assert_eq!(
            terminal_safe("\u{1b}[31mred\u{7}\u{7f}\u{9b}2J\u{202e}evil\u{2066}\r"),
            "\\u001b[31mred\\u0007\\u007f\\u009b2J\\u202eevil\\u2066\\u000d"
        );
        for c in [
            '\u{202a}', '\u{202d}', '\u{2067}', '\u{2069}', '\u{85}', '\u{80}',
        ] {
            assert!(!terminal_safe(&c.to_string()).contains(c), "{c:?}");
        }
        // Neighbours that are not bidi controls pass.
        for c in ['\u{2029}', '\u{202f}', '\u{2065}', '\u{206a}', '\u{a0}'] {
            assert_eq!(terminal_safe(&c.to_string()), c.to_string(), "{c:?}");
        }
    }

    #[test]
    fn failure_json_is_valid_and_complete() {
        let mut f = Failure::from_core(&Error::new(ErrorKind::Expired, "the token expired at 5"));
        f.time = Some(TimeDetail {
            claim: "exp",
            claim_time: "5".to_string(),
            now: 10,
            leeway: 2,
        });
        let v: serde_json::Value = serde_json::from_str(&f.json("verify")).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["error"]["exit_code"], 5);
        assert_eq!(v["error"]["status"], "DST_ERR_EXPIRED");
        assert_eq!(v["error"]["claim_time"], 5);
        assert_eq!(v["error"]["leeway"], 2);
        assert!(f.human("verify").contains("leeway  2 s"));
        let u = Failure::usage("say \"why\"\n");
        let v: serde_json::Value = serde_json::from_str(&u.json("mint")).unwrap();
        assert_eq!(v["error"]["status"], serde_json::Value::Null);
        assert_eq!(v["error"]["message"], "say \"why\"\n");
    }
}
