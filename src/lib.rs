//! dstoken: mint and verify Digital Samba room tokens (HS256 JWTs).
//!
//! A safe Rust core ([`Claims`], [`SigningKey`], [`sign`], [`sign_into`], [`verify`],
//! [`join_url`], and the one-call [`mint`] of a [`RoomToken`]) and, in [`ffi`], the C ABI
//! that `include/dstoken.h` declares.
#![deny(unsafe_op_in_unsafe_fn)]

mod b64;
mod claims;
mod error;
mod json;
mod key;
mod mint;
mod mintfmt;
mod number;
mod payload;
mod schema;
mod scrub;
mod sign;
mod url;
mod verify;

pub mod ffi;

pub use claims::{check_sign_time, now_unix, Claims, Value};
pub use error::{Arg, Error, ErrorKind, JsonType, Parts, Reason, Result};
pub use json::MAX_DEPTH as MAX_JSON_DEPTH;
pub use key::SigningKey;
pub use mint::{
    check_lifetime, check_not_expired, given_now, mint, mint_into, mint_len, mint_url, RoomToken,
    DEFAULT_MAX_LIFETIME,
};
pub use number::{MAX_SIGN_TIME, MAX_TIME_SECONDS};
pub use sign::{sign, sign_into, token_len};
pub use url::{join_url, join_url_with, UrlOptions};
pub use verify::{
    decode_unverified, span_seconds as span, verify, verify_with, VerifyOptions, MAX_TOKEN_LEN,
};

/// The library version, from `Cargo.toml`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
