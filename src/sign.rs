//! Signing: the claims keep their payload's base64url current (see `payload.rs`), so signing
//! copies the constant header and that payload into the output buffer, runs HMAC-SHA256 over
//! them in place (from the key's precomputed state) and appends the tag. No heap allocation.
use crate::b64;
use crate::claims::Claims;
use crate::error::{Arg, Error, ErrorKind, Reason, Result};
use crate::key::SigningKey;
use crate::verify::MAX_TOKEN_LEN;

/// `base64url({"alg":"HS256","typ":"JWT"})`.
pub(crate) const HEADER_B64: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
/// Length of the base64url of a 32-byte HMAC-SHA256 tag.
const SIG_B64_LEN: usize = 43;

/// A length as an error's number.
pub(crate) fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The length of a token whose payload's base64url is `payload_b64_len` bytes.
pub(crate) const fn token_len_for_payload(payload_b64_len: usize) -> usize {
    HEADER_B64.len() + 1 + payload_b64_len + 1 + SIG_B64_LEN
}

/// Refuses a buffer of `cap` bytes for a token of `needed` bytes with
/// [`ErrorKind::BufferTooSmall`] carrying `needed` (the size protocol of `sign_into` and
/// `mint_into`).
pub(crate) fn check_capacity(cap: usize, needed: usize) -> Result<()> {
    if cap < needed {
        return Err(Error::new(
            ErrorKind::BufferTooSmall { needed },
            format!("the buffer holds {cap} bytes but the token needs {needed}"),
        )
        .why(Reason::BufferTooSmall, Arg::Buffer)
        .nums(to_i64(cap), to_i64(needed)));
    }
    Ok(())
}

/// Refuses to sign a token longer than [`MAX_TOKEN_LEN`] (what `verify` accepts), so that
/// whatever signs also verifies. Every signing path calls it with the token's length.
pub(crate) fn check_token_len(len: usize) -> Result<()> {
    if len <= MAX_TOKEN_LEN {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "the token would be {len} bytes, over the {MAX_TOKEN_LEN}-byte limit \
             (DST_MAX_TOKEN_LENGTH) that verification accepts; remove or shorten claims"
        ))
        .why(Reason::TokenTooLongToSign, Arg::Claims)
        .nums(to_i64(len), to_i64(MAX_TOKEN_LEN)))
    }
}

/// The length of the token `claims` would sign to (no terminator), after checking that they
/// can be signed (`td` and `rd` present, times numbers within ±[`crate::MAX_TIME_SECONDS`],
/// `exp` not before `nbf`/`iat`, the token at most [`MAX_TOKEN_LEN`] bytes).
pub fn token_len(claims: &Claims) -> Result<usize> {
    claims.check_signable()?;
    let len = token_len_for_payload(claims.payload_b64().len());
    check_token_len(len)?;
    Ok(len)
}

/// Signs `claims` into `buf` without allocating and returns the token's length.
/// When `buf` is too short nothing is written and the error is
/// [`ErrorKind::BufferTooSmall`] carrying the length needed.
pub fn sign_into(claims: &Claims, key: &SigningKey, buf: &mut [u8]) -> Result<usize> {
    let needed = token_len(claims)?;
    check_capacity(buf.len(), needed)?;
    let buf = &mut buf[..needed];
    let payload = claims.payload_b64();
    let h = HEADER_B64.len();
    let payload_end = h + 1 + payload.len();
    buf[..h].copy_from_slice(HEADER_B64.as_bytes());
    buf[h] = b'.';
    buf[h + 1..payload_end].copy_from_slice(payload);
    let tag = key.tag(&buf[..payload_end]);
    buf[payload_end] = b'.';
    let mut sig = [0u8; SIG_B64_LEN];
    b64::encode_tag(&tag, &mut sig);
    buf[payload_end + 1..].copy_from_slice(&sig);
    Ok(needed)
}

/// Signs `claims` and returns the token.
pub fn sign(claims: &Claims, key: &SigningKey) -> Result<String> {
    let mut buf = vec![0u8; token_len(claims)?];
    let n = sign_into(claims, key, &mut buf)?;
    buf.truncate(n);
    String::from_utf8(buf).map_err(|_| Error::new(ErrorKind::Internal, "token is not ASCII"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use hmac::{KeyInit, Mac};

    fn claims() -> Claims {
        let mut c = Claims::new();
        c.set_team_id("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f")
            .unwrap();
        c.set_room("daily-standup").unwrap();
        c.set_user_name("John Smith").unwrap();
        c.set_user_id("user-000001").unwrap();
        c.set_role("moderator").unwrap();
        c.set_issued_at(1_767_225_600).unwrap();
        c.set_expires_at(1_767_229_200).unwrap();
        c
    }

    #[test]
    fn header_constant_is_the_fixed_header() {
        assert_eq!(
            URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
            HEADER_B64
        );
    }

    #[test]
    fn token_matches_an_independent_construction() {
        let key = SigningKey::new(b"0123456789abcdef0123456789abcdef").unwrap();
        let token = sign(&claims(), &key).unwrap();
        assert_eq!(
            token.len(),
            288,
            "the benchmarks' fixed workload is a 288-byte token"
        );
        let payload = URL_SAFE_NO_PAD.encode(claims().to_json());
        let input = format!("{HEADER_B64}.{payload}");
        let mut mac =
            hmac::Hmac::<sha2::Sha256>::new_from_slice(b"0123456789abcdef0123456789abcdef")
                .unwrap();
        mac.update(input.as_bytes());
        let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        assert_eq!(token, format!("{input}.{sig}"));
    }

    #[test]
    fn sign_into_reports_needed_length_and_writes_nothing() {
        let key = SigningKey::new(b"k").unwrap();
        let need = token_len(&claims()).unwrap();
        let mut small = vec![b'#'; need - 1];
        let err = sign_into(&claims(), &key, &mut small).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BufferTooSmall { needed: need });
        assert!(small.iter().all(|&b| b == b'#'));
        let mut big = vec![0u8; need + 10];
        assert_eq!(sign_into(&claims(), &key, &mut big).unwrap(), need);
        assert_eq!(&big[..need], sign(&claims(), &key).unwrap().as_bytes());
    }

    /// A token verify would refuse (too long) is not signed.
    #[test]
    fn tokens_over_the_verify_limit_are_not_signed() {
        let key = SigningKey::new(b"k").unwrap();
        let mut c = claims();
        let base = token_len(&c).unwrap();
        // Base64 grows 4 bytes per 3 JSON bytes: find the longest `pad` that still fits.
        let member = |n: usize| "x".repeat(n);
        c.set_string("pad", "").unwrap();
        let with_empty = token_len(&c).unwrap();
        assert!(with_empty > base);
        let mut n = (MAX_TOKEN_LEN - with_empty) / 4 * 3;
        c.set_string("pad", &member(n)).unwrap();
        while token_len(&c).is_ok_and(|l| l < MAX_TOKEN_LEN) {
            n += 1;
            c.set_string("pad", &member(n)).unwrap();
        }
        let at_limit = sign(&c, &key).unwrap();
        assert!(at_limit.len() <= MAX_TOKEN_LEN && at_limit.len() > MAX_TOKEN_LEN - 4);
        assert!(crate::verify(&at_limit, &key, 1_767_225_600, 0).is_ok());
        c.set_string("pad", &member(n + 3)).unwrap();
        let e = sign(&c, &key).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(e.message().contains("65536-byte limit"), "{}", e.message());
        let mut buf = vec![0u8; 2 * MAX_TOKEN_LEN];
        let e = sign_into(&c, &key, &mut buf).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(buf.iter().all(|&b| b == 0), "nothing written");
    }

    #[test]
    fn unsignable_claims_are_rejected() {
        let key = SigningKey::new(b"k").unwrap();
        assert_eq!(
            sign(&Claims::new(), &key).unwrap_err().kind(),
            ErrorKind::MissingClaim
        );
    }
}
