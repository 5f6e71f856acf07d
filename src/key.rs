//! The signing key: the team's developer key, used as its raw bytes, with the HMAC-SHA256
//! ipad/opad states computed once, kept in one place on the heap, and never left on the stack.
use crate::error::{Error, Result};
use crate::scrub::scrubbed;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::fmt;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// An HS256 key. Immutable once made, so one key may be shared by any number of threads.
///
/// Only the precomputed HMAC state is kept (the secret itself is not stored). That state is as
/// good as the key, so it stays in one place on the heap for the key's whole life (moving a
/// `SigningKey` moves a pointer) and is zeroed there when the key is dropped (`hmac`/`sha2`
/// built with their `zeroize` feature). Making, cloning, signing and verifying run the HMAC in
/// frames whose stack (and, on x86-64, the registers) are zeroed afterwards, so no key block,
/// midstate or per-token copy of them is left behind (see `scrub.rs`;
/// tests/c/test_stack_secrets.c scans for them). Copies the operating system makes (swap, core
/// dumps) are beyond what a library can wipe.
pub struct SigningKey {
    mac: Box<HmacSha256>,
}

impl SigningKey {
    /// Makes a key from the developer key's raw bytes (never base64-decoded). Any non-empty
    /// length works; keys longer than 64 bytes are hashed first, as HMAC specifies.
    pub fn new(secret: &[u8]) -> Result<Self> {
        if secret.is_empty() {
            return Err(Error::invalid("the key must not be empty"));
        }
        // The state's heap block is allocated (holding the state of an all-zero key) before
        // any key material exists: no allocator code runs inside the scrubbed computation.
        let mut mac = Box::new(HmacSha256::new(&Default::default()));
        scrubbed(|| HmacSha256::new_from_slice(secret).map(|state| *mac = state))
            .map_err(|_| Error::invalid("the key has a length HMAC-SHA256 cannot take"))?;
        Ok(SigningKey { mac })
    }

    /// HMAC-SHA256 of `message` under this key (the tag is public: it goes into the token).
    pub(crate) fn tag(&self, message: &[u8]) -> [u8; 32] {
        scrubbed(|| {
            let mut mac = (*self.mac).clone();
            mac.update(message);
            mac.finalize().into_bytes().into()
        })
    }

    /// Whether `tag` is the HMAC-SHA256 of `message` under this key, compared in constant
    /// time. The expected tag never leaves the scrubbed frames (it would be a valid signature
    /// for whatever the caller sent).
    pub(crate) fn verify_tag(&self, message: &[u8], tag: &[u8]) -> bool {
        scrubbed(|| {
            let mut mac = (*self.mac).clone();
            mac.update(message);
            mac.verify_slice(tag).is_ok()
        })
    }

    /// A fresh HMAC instance primed with the key, for tests that build tokens by hand.
    #[cfg(test)]
    pub(crate) fn mac(&self) -> HmacSha256 {
        (*self.mac).clone()
    }
}

impl Clone for SigningKey {
    /// Another key with the same state, made on the heap in scrubbed frames like the original.
    fn clone(&self) -> Self {
        let mut mac = Box::new(HmacSha256::new(&Default::default()));
        scrubbed(|| mac.clone_from(&self.mac));
        SigningKey { mac }
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
        // A key's state is a boxed HmacSha256; dropping the box drops the state in place and
        // then frees it. Drop such a state in place and look at the memory it occupied: the
        // ipad/opad states (and any buffered bytes) must be zero. Each field is an integer
        // array, so every byte is initialised (no padding) before and after the drop.
        let key = SigningKey::new(&[0xab; 40]).unwrap();
        let mut slot = std::mem::MaybeUninit::<HmacSha256>::uninit();
        slot.write((*key.mac).clone());
        let size = std::mem::size_of::<HmacSha256>();
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

    #[test]
    fn tag_and_verify_tag_agree_with_hmac_and_clones() {
        let key = SigningKey::new(b"Jefe").unwrap();
        let msg = b"what do ya want for nothing?";
        let tag = key.tag(msg);
        assert_eq!(
            hex(&tag),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(key.verify_tag(msg, &tag));
        let copy = key.clone();
        drop(key);
        assert!(copy.verify_tag(msg, &tag));
        let mut bad = tag;
        bad[31] ^= 1;
        assert!(!copy.verify_tag(msg, &bad));
        assert!(!copy.verify_tag(msg, &tag[..31]));
    }
}
