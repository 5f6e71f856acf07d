//! The core's error type. It knows nothing of C: `src/ffi` maps each [`ErrorKind`] to a
//! `dst_status` number.
use std::fmt;

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
}

/// An error: a kind plus a human-readable message naming the argument or claim at fault.
/// Messages never contain key bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// Builds an error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
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
