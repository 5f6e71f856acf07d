//! A small base64url (RFC 4648 §5, no padding) encoder for the signing hot path: a few bytes
//! re-encoded after a claim changes, and the 32-byte tag. On inputs this short the table loop
//! costs a fraction of a general-purpose engine's set-up. Decoding (strict) stays with the
//! `base64` crate.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Two output characters for every 12-bit value: one lookup per half of a 3-byte group
/// (8 KiB, built at compile time).
static PAIRS: [[u8; 2]; 4096] = {
    let mut t = [[0u8; 2]; 4096];
    let mut v = 0;
    while v < 4096 {
        t[v] = [ALPHABET[v >> 6], ALPHABET[v & 63]];
        v += 1;
    }
    t
};

/// Length of unpadded base64 for `n` input bytes.
pub(crate) const fn encoded_len(n: usize) -> usize {
    n / 3 * 4 + [0, 2, 3][n % 3]
}

/// Encodes `input` into the start of `out` and returns the bytes written. `out` must hold
/// `encoded_len(input.len())` bytes; shorter output panics (a bug: callers size it).
pub(crate) fn encode_into(input: &[u8], out: &mut [u8]) -> usize {
    let n = encoded_len(input.len());
    let (whole, tail) = out[..n].split_at_mut(input.len() / 3 * 4);
    let mut chunks = input.chunks_exact(3);
    // Zipped exact chunks let the compiler drop every bounds check in the loop.
    for (c, o) in (&mut chunks).zip(whole.chunks_exact_mut(4)) {
        let v = usize::from(c[0]) << 16 | usize::from(c[1]) << 8 | usize::from(c[2]);
        o[..2].copy_from_slice(&PAIRS[v >> 12]);
        o[2..].copy_from_slice(&PAIRS[v & 0xfff]);
    }
    match (chunks.remainder(), tail) {
        (&[a], [o0, o1]) => {
            *o0 = ALPHABET[usize::from(a >> 2)];
            *o1 = ALPHABET[usize::from(a & 3) << 4];
        }
        (&[a, b], [o0, o1, o2]) => {
            let v = u32::from(a) << 8 | u32::from(b);
            *o0 = ALPHABET[(v >> 10) as usize & 63];
            *o1 = ALPHABET[(v >> 4) as usize & 63];
            *o2 = ALPHABET[(v << 2) as usize & 63];
        }
        _ => {}
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    #[test]
    fn matches_the_base64_crate_for_every_length_and_byte() {
        let data: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..data.len() {
            for start in [0, 1, 2, 7] {
                let input = &data[start..(start + len).min(data.len())];
                let mut out = vec![0u8; encoded_len(input.len())];
                assert_eq!(encode_into(input, &mut out), out.len());
                assert_eq!(out, URL_SAFE_NO_PAD.encode(input).into_bytes());
            }
        }
    }
}
