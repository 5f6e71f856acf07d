//! The signing key: the team's developer key, used as its raw bytes, with the HMAC-SHA256
//! ipad/opad midstates computed once, kept in one place on the heap, and never left on the
//! stack. HMAC (RFC 2104) is computed here directly over SHA-256's compression function
//! (`sha2`'s `compress256`), so that the code handling key material makes no call outside this
//! library (no `memcpy`, no allocator) and its stack can be wiped cheaply afterwards.
use crate::error::{Error, Result};
use crate::scrub::scrubbed;
use hmac::digest::CtOutput;
use sha2::block_api::compress256;
use sha2::Sha256;
use std::fmt;
use zeroize::Zeroize;

/// Bytes of stack below the caller's frame wiped after signing, verifying or cloning. The code
/// run in scrubbed frames (`hmac`, the tag comparison, SHA-256's compression function) calls
/// nothing outside this library (no `memcpy`, no allocator, no lazily bound symbol), so its
/// frames are the same on every call: `scrubbed_frames_fit_the_wipe` measures them (in a
/// release build about 0.4 KiB with SHA-NI, 0.6 KiB with the portable SHA-256 that valgrind
/// runs) and fails when they outgrow this bound. Unoptimised (debug) builds get 32 KiB: their
/// portable SHA-256 alone takes 18 KiB of stack.
const TAG_WIPE: usize = if cfg!(debug_assertions) {
    32 * 1024
} else {
    1024
};
/// Bytes of stack wiped after making a key (`derive`: the same rule, measured the same way).
const KEY_WIPE: usize = TAG_WIPE;

/// SHA-256's initial state (FIPS 180-4 5.3.3).
const SHA256_IV: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// The two midstates: SHA-256 after the key block XOR 0x36 (ipad) and after the key block XOR
/// 0x5c (opad). As good as the key; zeroed in place when dropped.
struct KeyState {
    ipad: [u32; 8],
    opad: [u32; 8],
}

impl Drop for KeyState {
    fn drop(&mut self) {
        self.ipad.zeroize();
        self.opad.zeroize();
    }
}

/// An HS256 key. Immutable once made, so one key may be shared by any number of threads.
///
/// Only the precomputed HMAC midstates are kept (the secret itself is not stored). They are as
/// good as the key, so they stay in one place on the heap for the key's whole life (moving a
/// `SigningKey` moves a pointer) and are zeroed there when the key is dropped. Making,
/// cloning, signing and verifying run in frames whose stack (and, on x86-64, the registers) are
/// zeroed afterwards, so no key block, midstate or per-token copy of them is left behind (see
/// `scrub.rs`; tests/c/test_stack_secrets.c scans for them). Copies the operating system makes
/// (swap, core dumps) are beyond what a library can wipe.
pub struct SigningKey {
    state: Box<KeyState>,
}

impl SigningKey {
    /// Makes a key from the developer key given as text (a string in the caller's language),
    /// refusing whitespace at either end: a developer key never has any, and a trailing
    /// newline read from a file or an environment variable would otherwise make every token
    /// fail verification at Digital Samba with no hint why. Bytes given as bytes are taken as
    /// they are ([`SigningKey::new`]).
    pub fn from_text(text: &[u8]) -> Result<Self> {
        let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
        let at = match (text.first(), text.last()) {
            (Some(b), _) if ws(b) => Some(0),
            (_, Some(b)) if ws(b) => Some(text.len() - 1),
            _ => None,
        };
        if let Some(at) = at {
            return Err(Error::invalid(format!(
                "the key has whitespace at its {} (byte {at}), which a developer key never \
                 has: strip it (a trailing newline read from a file, say), or pass the key as \
                 bytes if the whitespace belongs to it",
                if at == 0 { "start" } else { "end" }
            ))
            .why(crate::error::Reason::KeyWhitespace, crate::error::Arg::Key)
            .nums(i64::try_from(at).unwrap_or(i64::MAX), 0));
        }
        Self::new(text)
    }

    /// Makes a key from the developer key's raw bytes (never base64-decoded). Any non-empty
    /// length works; keys longer than 64 bytes are hashed first, as HMAC specifies.
    pub fn new(secret: &[u8]) -> Result<Self> {
        if secret.is_empty() {
            return Err(Error::invalid("the key must not be empty")
                .why(crate::error::Reason::Empty, crate::error::Arg::Key));
        }
        // The heap block is allocated (holding SHA-256's public IV) before any key material
        // exists: no allocator code runs inside the scrubbed computation.
        let mut state = Box::new(KeyState {
            ipad: SHA256_IV,
            opad: SHA256_IV,
        });
        scrubbed::<KEY_WIPE, _>(|| derive(&mut state, secret));
        Ok(SigningKey { state })
    }

    /// HMAC-SHA256 of `message` under this key (the tag is public: it goes into the token).
    pub(crate) fn tag(&self, message: &[u8]) -> [u8; 32] {
        let tail = Tail::new(message);
        scrubbed::<TAG_WIPE, _>(|| hmac(&self.state, message, &tail))
    }

    /// Whether `tag` is the HMAC-SHA256 of `message` under this key, compared in constant
    /// time. The expected tag never leaves the scrubbed frames (it would be a valid signature
    /// for whatever the caller sent).
    pub(crate) fn verify_tag(&self, message: &[u8], tag: &[u8]) -> bool {
        let Ok(given) = <[u8; 32]>::try_from(tag) else {
            return false;
        };
        let tail = Tail::new(message);
        scrubbed::<TAG_WIPE, _>(|| {
            let expected = hmac(&self.state, message, &tail);
            CtOutput::<Sha256>::new(expected.into()) == CtOutput::new(given.into())
        })
    }
}

impl Clone for SigningKey {
    /// Another key with the same state, made on the heap in scrubbed frames like the original.
    fn clone(&self) -> Self {
        let mut state = Box::new(KeyState {
            ipad: SHA256_IV,
            opad: SHA256_IV,
        });
        scrubbed::<TAG_WIPE, _>(|| {
            state.ipad = self.state.ipad;
            state.opad = self.state.opad;
        });
        SigningKey { state }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey { .. }")
    }
}

/// Computes the midstates of `secret` into `state` (which holds SHA-256's IV). Calls nothing
/// outside this library: a key longer than a block is hashed here over `compress256`, and the
/// key bytes are copied one at a time (`copy_bytes`), never by a `memcpy` that a static link
/// could route through a lazily bound PLT entry while key bytes sit in the registers.
fn derive(state: &mut KeyState, secret: &[u8]) {
    let mut block = [0u8; 64];
    if secret.len() > 64 {
        let mut digest = SHA256_IV;
        let mut chunks = secret.chunks_exact(64);
        for chunk in &mut chunks {
            if let Ok(chunk) = <&[u8; 64]>::try_from(chunk) {
                compress256(&mut digest, std::slice::from_ref(chunk));
            }
        }
        let rest = chunks.remainder();
        let mut last = [[0u8; 64]; 2];
        let count = if rest.len() < 56 { 1 } else { 2 };
        // `rest` is shorter than a block.
        copy_bytes(&mut last[0], rest);
        last[0][rest.len() % 64] = 0x80;
        let bits = (secret.len() as u64).wrapping_mul(8).to_be_bytes();
        copy_bytes(&mut last[count - 1][56..], &bits);
        compress256(&mut digest, &last[..count]);
        for (i, word) in digest.iter().enumerate() {
            copy_bytes(&mut block[4 * i..4 * i + 4], &word.to_be_bytes());
        }
        digest.zeroize();
        last.iter_mut().for_each(|b| b.zeroize());
    } else {
        copy_bytes(&mut block, secret);
    }
    block.iter_mut().for_each(|b| *b ^= 0x36);
    compress256(&mut state.ipad, std::slice::from_ref(&block));
    block.iter_mut().for_each(|b| *b ^= 0x36 ^ 0x5c);
    compress256(&mut state.opad, std::slice::from_ref(&block));
    block.zeroize();
}

/// Copies `src` into the start of `dst` a byte at a time; `black_box` keeps the compiler from
/// turning the loop into a call to `memcpy`.
fn copy_bytes(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = std::hint::black_box(*s);
    }
}

/// The message's last partial block with SHA-256 padding (one or two blocks), prepared before
/// any key material is loaded: the message is public, and copying its tail may call `memcpy`.
struct Tail {
    blocks: [[u8; 64]; 2],
    count: usize,
}

impl Tail {
    fn new(message: &[u8]) -> Tail {
        let rest = message.chunks_exact(64).remainder();
        let mut flat = [0u8; 128];
        // (Fixed-size copies: a runtime-length one would be a call to `memcpy`.)
        crate::mintfmt::copy(&mut flat[..rest.len()], rest);
        flat[rest.len()] = 0x80;
        let count = if rest.len() < 56 { 1 } else { 2 };
        // The inner hash also covers the 64-byte ipad block.
        let bits = (64 + message.len() as u64) * 8;
        flat[count * 64 - 8..count * 64].copy_from_slice(&bits.to_be_bytes());
        let mut blocks = [[0u8; 64]; 2];
        blocks[0].copy_from_slice(&flat[..64]);
        blocks[1].copy_from_slice(&flat[64..]);
        Tail { blocks, count }
    }
}

/// HMAC-SHA256 (RFC 2104) from the midstates: inner = SHA-256 continued from `ipad` over the
/// message, outer = SHA-256 continued from `opad` over the inner digest.
fn hmac(state: &KeyState, message: &[u8], tail: &Tail) -> [u8; 32] {
    let mut inner = state.ipad;
    for block in message.chunks_exact(64) {
        if let Ok(block) = <&[u8; 64]>::try_from(block) {
            compress256(&mut inner, std::slice::from_ref(block));
        }
    }
    compress256(&mut inner, &tail.blocks[..tail.count]);
    let mut block = [0u8; 64];
    for (i, word) in inner.iter().enumerate() {
        block[4 * i..4 * i + 4].copy_from_slice(&word.to_be_bytes());
    }
    block[32] = 0x80;
    block[56..].copy_from_slice(&((64u64 + 32) * 8).to_be_bytes());
    let mut outer = state.opad;
    compress256(&mut outer, std::slice::from_ref(&block));
    let mut tag = [0u8; 32];
    for (i, word) in outer.iter().enumerate() {
        tag[4 * i..4 * i + 4].copy_from_slice(&word.to_be_bytes());
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};
    use proptest::prelude::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn rfc4231_vectors() {
        // RFC 4231 test cases 1, 2, 6 and 7 (131-byte keys, hashed first; case 7's message
        // spans three blocks).
        let cases: [(&[u8], &[u8], &str); 4] = [
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
            (
                &[0xaa; 131],
                b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
                "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
            ),
        ];
        for (key, msg, want) in cases {
            let key = SigningKey::new(key).unwrap();
            assert_eq!(hex(&key.tag(msg)), want);
            assert!(key.verify_tag(msg, &key.tag(msg)));
        }
    }

    proptest! {
        /// The HMAC computed here over compress256 equals the `hmac` crate's, for every key
        /// length (up to two blocks) and message length (every padding case).
        #[test]
        fn tag_matches_the_hmac_crate(key in proptest::collection::vec(any::<u8>(), 1..140),
                                      msg in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
            mac.update(&msg);
            let want: [u8; 32] = mac.finalize().into_bytes().into();
            let k = SigningKey::new(&key).unwrap();
            prop_assert_eq!(k.tag(&msg), want);
            prop_assert!(k.verify_tag(&msg, &want));
            prop_assert_eq!(k.clone().tag(&msg), want);
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
        // Dropping a key drops its boxed KeyState in place (then frees it). Drop a copy of one
        // in place and look at the memory it occupied: both midstates must be zero.
        let key = SigningKey::new(&[0xab; 40]).unwrap();
        let mut slot = std::mem::MaybeUninit::<KeyState>::uninit();
        slot.write(KeyState {
            ipad: key.state.ipad,
            opad: key.state.opad,
        });
        let size = std::mem::size_of::<KeyState>();
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

    /// Bytes painted below the measuring frame.
    const PAINT: usize = 32 * 1024;
    const PAINT_BYTE: u8 = 0xa5;

    /// Fills `PAINT` bytes just below the caller's frame with `PAINT_BYTE`; returns their
    /// address range.
    #[inline(never)]
    fn paint() -> (usize, usize) {
        let mut area = [PAINT_BYTE; PAINT];
        std::hint::black_box(&mut area);
        let low = area.as_ptr() as usize;
        (low, low + PAINT)
    }

    /// How far below `top` the lowest byte of the painted range that is no longer
    /// `PAINT_BYTE` lies: the stack the code run since `paint` used.
    #[inline(never)]
    #[allow(unsafe_code)]
    fn used_below((low, top): (usize, usize)) -> usize {
        (low..top)
            // SAFETY: reads the stack region `paint` wrote, below this frame (dead stack of
            // this thread, mapped: this frame is smaller than the region's top part).
            .find(|&a| unsafe { std::ptr::read_volatile(a as *const u8) } != PAINT_BYTE)
            .map_or(0, |a| top - a)
    }

    /// The frames `scrubbed` wipes after (`derive`, `hmac`, the tag comparison, and
    /// SHA-256's compression underneath) fit in the wipe, with room to spare: measured by
    /// painting the stack and running each the way `scrubbed` does, without the wipe.
    #[test]
    fn scrubbed_frames_fit_the_wipe() {
        let key = SigningKey::new(b"0123456789abcdef0123456789abcdef").unwrap();
        let message = [b'm'; 300];
        let tail = Tail::new(&message);
        let long_key = [0x5a; 200];
        let mut state = KeyState {
            ipad: SHA256_IV,
            opad: SHA256_IV,
        };
        let mut used = Vec::new();
        for _ in 0..3 {
            let region = paint();
            crate::scrub::run(|| hmac(&key.state, &message, &tail));
            used.push(("hmac", used_below(region)));
            let region = paint();
            crate::scrub::run(|| {
                let expected = hmac(&key.state, &message, &tail);
                CtOutput::<Sha256>::new(expected.into()) == CtOutput::new([0u8; 32].into())
            });
            used.push(("verify_tag", used_below(region)));
            let region = paint();
            crate::scrub::run(|| derive(&mut state, &long_key));
            used.push(("derive", used_below(region)));
        }
        for (what, bytes) in used {
            assert!(bytes > 0, "{what}: nothing measured");
            assert!(
                bytes + 256 <= TAG_WIPE.min(KEY_WIPE),
                "{what} used {bytes} bytes of stack; the wipe covers {TAG_WIPE}"
            );
            eprintln!("{what}: {bytes} bytes of stack");
        }
    }

    #[test]
    fn verify_tag_refuses_wrong_tags() {
        let key = SigningKey::new(b"Jefe").unwrap();
        let msg = b"what do ya want for nothing?";
        let tag = key.tag(msg);
        let copy = key.clone();
        drop(key);
        assert!(copy.verify_tag(msg, &tag));
        let mut bad = tag;
        bad[31] ^= 1;
        assert!(!copy.verify_tag(msg, &bad));
        assert!(!copy.verify_tag(msg, &tag[..31]));
        assert!(!copy.verify_tag(b"other", &tag));
    }
}
