//! The signing key: the team's developer key, used as its raw bytes, with the HMAC-SHA256
//! ipad/opad states computed once.
use crate::error::{Error, Result};
use hmac::{Hmac, KeyInit};
use sha2::Sha256;
use std::fmt;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// An HS256 key. Immutable once made, so one key may be shared by any number of threads.
///
/// Only the precomputed HMAC state is kept (the secret itself is not stored); that state is
/// as good as the key, so it is wiped when the key is dropped (`hmac`/`sha2` built with their
/// `zeroize` feature), and so is every per-token copy of it.
#[derive(Clone)]
pub struct SigningKey {
    mac: HmacSha256,
}

impl SigningKey {
    /// Makes a key from the developer key's raw bytes (never base64-decoded). Any non-empty
    /// length works; keys longer than 64 bytes are hashed first, as HMAC specifies.
    pub fn new(secret: &[u8]) -> Result<Self> {
        if secret.is_empty() {
            return Err(Error::invalid("the key must not be empty"));
        }
        let mac = HmacSha256::new_from_slice(secret)
            .map_err(|_| Error::invalid("the key has a length HMAC-SHA256 cannot take"))?;
        Ok(SigningKey { mac })
    }

    /// A fresh HMAC instance primed with the key (a cheap copy of the precomputed state).
    pub(crate) fn mac(&self) -> HmacSha256 {
        self.mac.clone()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::Mac;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn rfc4231_vectors() {
        // RFC 4231 test cases 1, 2 and 6 (a 131-byte key, hashed first).
        let cases: [(&[u8], &[u8], &str); 3] = [
            (
                &[0x0b; 20],
                b"Hi There",
                "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            ),
            (
                b"Jefe",
                b"what do ya want for nothing?",
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
            (
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
            ),
        ];
        for (key, msg, want) in cases {
            let mut mac = SigningKey::new(key).unwrap().mac();
            mac.update(msg);
            assert_eq!(hex(&mac.finalize().into_bytes()), want);
        }
    }

    #[test]
    fn empty_key_is_an_error_and_debug_hides_the_key() {
        assert!(SigningKey::new(b"").is_err());
        let k = SigningKey::new(b"super-secret").unwrap();
        assert_eq!(format!("{k:?}"), "SigningKey { .. }");
    }

    #[test]
    #[allow(unsafe_code)]
    fn key_state_is_wiped_on_drop() {
        // Drop a key in place and look at the memory it occupied: the ipad/opad states (and
        // any buffered bytes) must be zero. Each field is an integer array, so every byte of
        // the struct is initialised (no padding) before and after the drop.
        let mut slot = std::mem::MaybeUninit::<SigningKey>::uninit();
        slot.write(SigningKey::new(&[0xab; 40]).unwrap());
        let size = std::mem::size_of::<SigningKey>();
        // SAFETY: `slot` was initialised above; its bytes stay allocated after drop_in_place.
        let before =
            unsafe { std::slice::from_raw_parts(slot.as_ptr().cast::<u8>(), size) }.to_vec();
        assert!(before.iter().filter(|&&b| b != 0).count() > 32);
        unsafe { std::ptr::drop_in_place(slot.as_mut_ptr()) };
        let after = unsafe { std::slice::from_raw_parts(slot.as_ptr().cast::<u8>(), size) };
        assert!(
            after.iter().all(|&b| b == 0),
            "key state left in memory: {after:?}"
        );
    }
}
