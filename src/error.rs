//! The core's error type. It knows nothing of C: `src/ffi` maps each [`ErrorKind`] to a
//! `dst_status` number and copies the [`Parts`] into a `dst_error`.
//!
//! An error is data: a kind (the status), a [`Reason`] (which rule refused), the [`Arg`] it
//! concerns, and the strings and numbers involved. The English message is the C API's wording
//! for C callers; every binding composes its own message from the parts (see
//! schema/dstoken.json), so the message can change without breaking them.
use std::fmt;

pub use crate::schema::{Arg, JsonType, Reason};

/// What went wrong, in categories a caller can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A required pointer/handle was absent (used by the C layer).
    NullArgument,
    /// Bytes that should be UTF-8 were not.
    InvalidUtf8,
    /// An argument or claim value is not acceptable.
    InvalidArgument,
    /// A claim required for signing (`td`, `rd`) is absent.
    MissingClaim,
    /// The output buffer is too small; `needed` is the token length in bytes.
    BufferTooSmall {
        /// Bytes the output needs (for a token: its length, without any terminator).
        needed: usize,
    },
    /// The token is not a well-formed compact JWS/JWT.
    MalformedToken,
    /// The token's `alg` is not HS256 (or it asks for a feature we do not support).
    UnsupportedAlgorithm,
    /// The token's signature does not match the key.
    BadSignature,
    /// The token's `exp` has passed.
    Expired,
    /// The token's `nbf` (or `iat`) lies in the future.
    NotYetValid,
    /// The requested claim is not present.
    NotFound,
    /// The claim is present but of another JSON type.
    WrongType,
    /// A bug in this library (e.g. a caught panic).
    Internal,
    /// A verified token's claim is not the value the caller expected (its team or room).
    ClaimMismatch,
}

/// An error's parts, as data. Which numbers a reason sets, and what they mean, is in the
/// schema (schema/dstoken.json); unset numbers are 0 and unset strings empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// Which rule refused.
    pub reason: Reason,
    /// The argument or claim at fault.
    pub arg: Arg,
    /// A second argument the rule involves (the other of two conflicting ones, ...).
    pub other: Arg,
    /// A claim's JSON name (custom or registered), when the error concerns one.
    pub name: String,
    /// A string the error is about (the host given, the token's `alg`, the claim's value).
    pub text: String,
    /// The value given (see the reason's numbers).
    pub value: i64,
    /// The limit, the value wanted, or a second value.
    pub limit: i64,
    /// A time the error involves, in unix seconds.
    pub time: i64,
    /// The value to give instead, when there is one.
    pub suggested: i64,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            reason: Reason::None,
            arg: Arg::None,
            other: Arg::None,
            name: String::new(),
            text: String::new(),
            value: 0,
            limit: 0,
            time: 0,
            suggested: 0,
        }
    }
}

/// An error: a kind plus a human-readable message naming the argument or claim at fault.
/// Messages never contain key bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    parts: Box<Parts>,
}

impl Error {
    /// Builds an error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            parts: Box::default(),
        }
    }

    /// The error's parts: reason, argument, strings and numbers.
    pub fn parts(&self) -> &Parts {
        &self.parts
    }

    /// Sets the reason and the argument at fault.
    pub(crate) fn why(mut self, reason: Reason, arg: Arg) -> Self {
        self.parts.reason = reason;
        self.parts.arg = arg;
        self
    }

    /// Sets the second argument the rule involves.
    pub(crate) fn other(mut self, other: Arg) -> Self {
        self.parts.other = other;
        self
    }

    /// Sets the argument at fault, keeping the reason (a caller that knows better than the
    /// rule which of its arguments a value came from).
    pub fn for_arg(mut self, arg: Arg) -> Self {
        self.parts.arg = arg;
        self
    }

    /// Sets the claim name.
    pub(crate) fn name(mut self, name: &str) -> Self {
        self.parts.name = name.to_owned();
        self
    }

    /// Sets the string the error is about.
    pub(crate) fn text(mut self, text: &str) -> Self {
        self.parts.text = text.to_owned();
        self
    }

    /// Sets `value` and `limit`.
    pub(crate) fn nums(mut self, value: i64, limit: i64) -> Self {
        self.parts.value = value;
        self.parts.limit = limit;
        self
    }

    /// Sets `time`.
    pub(crate) fn at(mut self, time: i64) -> Self {
        self.parts.time = time;
        self
    }

    /// Sets `suggested`.
    pub(crate) fn suggest(mut self, suggested: i64) -> Self {
        self.parts.suggested = suggested;
        self
    }

    /// The category of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    pub(crate) fn malformed(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::MalformedToken, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Result alias used throughout the core.
pub type Result<T> = std::result::Result<T, Error>;
