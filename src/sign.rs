//! Signing: the payload JSON is streamed through a base64url encoder straight into the output
//! buffer, then HMAC-SHA256 runs over `header.payload` in place. No heap allocation.
use crate::claims::Claims;
use crate::error::{Error, ErrorKind, Result};
use crate::json::{Counter, Sink};
use crate::key::SigningKey;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::Mac;

/// `base64url({"alg":"HS256","typ":"JWT"})`.
pub(crate) const HEADER_B64: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
/// Length of the base64url of a 32-byte HMAC-SHA256 tag.
const SIG_B64_LEN: usize = 43;

/// Length of unpadded base64 for `n` input bytes.
pub(crate) const fn b64_len(n: usize) -> usize {
    n / 3 * 4 + [0, 2, 3][n % 3]
}

/// A sink that base64url-encodes into a fixed slice, carrying up to two bytes between calls.
struct B64Writer<'a> {
    out: &'a mut [u8],
    pos: usize,
    carry: [u8; 3],
    carry_len: usize,
}

impl B64Writer<'_> {
    fn encode(&mut self, input: &[u8]) {
        // The caller sized `out` from the counting pass, so this cannot fail; if it ever did,
        // the final length check in `sign_into` reports it.
        if let Ok(n) = URL_SAFE_NO_PAD.encode_slice(input, &mut self.out[self.pos..]) {
            self.pos += n;
        }
    }

    fn finish(mut self) -> usize {
        if self.carry_len > 0 {
            let carry = self.carry;
            self.encode(&carry[..self.carry_len]);
        }
        self.pos
    }
}

impl Sink for B64Writer<'_> {
    fn put(&mut self, mut bytes: &[u8]) {
        if self.carry_len > 0 {
            let take = (3 - self.carry_len).min(bytes.len());
            self.carry[self.carry_len..self.carry_len + take].copy_from_slice(&bytes[..take]);
            self.carry_len += take;
            bytes = &bytes[take..];
            if self.carry_len < 3 {
                return;
            }
            let carry = self.carry;
            self.encode(&carry);
            self.carry_len = 0;
        }
        let whole = bytes.len() / 3 * 3;
        if whole > 0 {
            self.encode(&bytes[..whole]);
        }
        let rest = &bytes[whole..];
        self.carry[..rest.len()].copy_from_slice(rest);
        self.carry_len = rest.len();
    }
}

/// The length of the token `claims` would sign to (no terminator), after checking that they
/// can be signed (`td` and `rd` present, `exp` not before `nbf`/`iat`).
pub fn token_len(claims: &Claims) -> Result<usize> {
    claims.check_signable()?;
    let mut count = Counter::default();
    claims.write_json(&mut count);
    Ok(HEADER_B64.len() + 1 + b64_len(count.0) + 1 + SIG_B64_LEN)
}

/// Signs `claims` into `buf` without allocating and returns the token's length.
/// When `buf` is too short nothing is written and the error is
/// [`ErrorKind::BufferTooSmall`] carrying the length needed.
pub fn sign_into(claims: &Claims, key: &SigningKey, buf: &mut [u8]) -> Result<usize> {
    let needed = token_len(claims)?;
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
    buf[..h].copy_from_slice(HEADER_B64.as_bytes());
    buf[h] = b'.';
    let payload_end = {
        let mut w = B64Writer {
            out: &mut buf[h + 1..needed - 1 - SIG_B64_LEN],
            pos: 0,
            carry: [0; 3],
            carry_len: 0,
        };
        claims.write_json(&mut w);
        h + 1 + w.finish()
    };
    if payload_end != needed - 1 - SIG_B64_LEN {
        return Err(Error::new(
            ErrorKind::Internal,
            "payload length changed while signing",
        ));
    }
    let mut mac = key.mac();
    mac.update(&buf[..payload_end]);
    let tag = mac.finalize().into_bytes();
    buf[payload_end] = b'.';
    URL_SAFE_NO_PAD
        .encode_slice(&tag[..], &mut buf[payload_end + 1..])
        .map_err(|_| Error::new(ErrorKind::Internal, "signature does not fit"))?;
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
    fn streaming_encoder_matches_one_shot_for_every_split() {
        let data: Vec<u8> = (0u8..=40).collect();
        for len in 0..data.len() {
            for split in 0..=len {
                let mut out = vec![0u8; b64_len(len)];
                let mut w = B64Writer {
                    out: &mut out,
                    pos: 0,
                    carry: [0; 3],
                    carry_len: 0,
                };
                w.put(&data[..split]);
                for b in &data[split..len] {
                    w.put(std::slice::from_ref(b));
                }
                let n = w.finish();
                assert_eq!(n, b64_len(len));
                assert_eq!(out, URL_SAFE_NO_PAD.encode(&data[..len]).into_bytes());
            }
        }
    }

    #[test]
    fn token_matches_an_independent_construction() {
        let key = SigningKey::new(b"0123456789abcdef0123456789abcdef").unwrap();
        let token = sign(&claims(), &key).unwrap();
        assert_eq!(
            token.len(),
            288,
            "the issue's fixed workload is a 288-byte token"
        );
        let payload = URL_SAFE_NO_PAD.encode(claims().to_json());
        let input = format!("{HEADER_B64}.{payload}");
        let mut mac = key.mac();
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

    #[test]
    fn unsignable_claims_are_rejected() {
        let key = SigningKey::new(b"k").unwrap();
        assert_eq!(
            sign(&Claims::new(), &key).unwrap_err().kind(),
            ErrorKind::MissingClaim
        );
    }
}
