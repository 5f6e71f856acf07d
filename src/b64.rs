//! A small base64url (RFC 4648 §5, no padding) encoder for the signing hot path: a few bytes
//! re-encoded after a claim changes, and the 32-byte tag. On inputs this short the table loop
//! costs a fraction of a general-purpose engine's set-up. A strict table decoder for the
//! verify hot path writes into the caller's (stack) buffer.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Two output characters for every 12-bit value, as a little-endian `u16` (first character in
/// the low byte): one lookup per half of a 3-byte group (8 KiB, built at compile time).
static PAIRS: [u16; 4096] = {
    let mut t = [0u16; 4096];
    let mut v = 0;
    while v < 4096 {
        t[v] = ALPHABET[v >> 6] as u16 | (ALPHABET[v & 63] as u16) << 8;
        v += 1;
    }
    t
};

/// Length of unpadded base64 for `n` input bytes.
pub(crate) const fn encoded_len(n: usize) -> usize {
    n / 3 * 4 + [0, 2, 3][n % 3]
}

/// The 8 characters of the 6 bytes in the high 48 bits of `w` (big-endian order).
#[inline(always)]
fn chars8(w: u64) -> [u8; 8] {
    let pair = |shift: u32| u64::from(PAIRS[(w >> shift) as usize & 0xfff]);
    (pair(52) | pair(40) << 16 | pair(28) << 32 | pair(16) << 48).to_le_bytes()
}

/// The 4 characters of the 3 bytes `v` (24 bits).
#[inline(always)]
fn chars4(v: usize) -> [u8; 4] {
    (u32::from(PAIRS[v >> 12 & 0xfff]) | u32::from(PAIRS[v & 0xfff]) << 16).to_le_bytes()
}

/// The 2 or 3 characters of a final 1- or 2-byte group, written to the start of `out`.
#[inline(always)]
fn tail(rest: &[u8], out: &mut [u8]) {
    match *rest {
        [a] => {
            out[0] = ALPHABET[usize::from(a >> 2)];
            out[1] = ALPHABET[usize::from(a & 3) << 4];
        }
        [a, b] => {
            let v = usize::from(a) << 8 | usize::from(b);
            out[0] = ALPHABET[v >> 10 & 63];
            out[1] = ALPHABET[v >> 4 & 63];
            out[2] = ALPHABET[v << 2 & 63];
        }
        _ => {}
    }
}

/// Reads 8 bytes at `i` as a big-endian word.
#[inline(always)]
fn word(input: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&input[i..i + 8]);
    u64::from_be_bytes(w)
}

/// Encodes `input` into the start of `out` and returns the bytes written. `out` must hold
/// `encoded_len(input.len())` bytes; shorter output panics (a bug: callers size it).
/// Six bytes at a time (one 8-byte load, four 12-bit lookups, one 8-byte store) while at least
/// 8 remain, then 3-byte groups and the tail.
pub(crate) fn encode_into(input: &[u8], out: &mut [u8]) -> usize {
    let n = encoded_len(input.len());
    let out = &mut out[..n];
    let mut i = 0;
    let mut o = 0;
    while i + 8 <= input.len() {
        out[o..o + 8].copy_from_slice(&chars8(word(input, i)));
        i += 6;
        o += 8;
    }
    while i + 3 <= input.len() {
        let v = usize::from(input[i]) << 16
            | usize::from(input[i + 1]) << 8
            | usize::from(input[i + 2]);
        out[o..o + 4].copy_from_slice(&chars4(v));
        i += 3;
        o += 4;
    }
    tail(&input[i..], &mut out[o..]);
    n
}

/// Encodes `buf[src..src + len]` into `buf[dst..]` in place, moving forward, and returns the
/// bytes written. Each group is read before its output is written (12 bytes read as two
/// overlapping words become 16 characters), so the output may overlap the input as long as it
/// stays 4 bytes behind: `src >= dst + len / 3 + 4` (the mint lays the payload JSON out near
/// the end of the token's bytes, well beyond that).
pub(crate) fn encode_forward_in_place(buf: &mut [u8], src: usize, len: usize, dst: usize) -> usize {
    debug_assert!(src >= dst + len / 3 + 4, "output would overtake input");
    let n = encoded_len(len);
    let end = src + len;
    let mut i = src;
    let mut o = dst;
    while i + 14 <= end {
        let (a, b) = (word(buf, i), word(buf, i + 6));
        if let Ok(out) = <&mut [u8; 16]>::try_from(&mut buf[o..o + 16]) {
            // Each pair of characters stored as it is looked up (fewer operations than
            // assembling whole words first).
            for (k, (w, shift)) in [
                (a, 52),
                (a, 40),
                (a, 28),
                (a, 16),
                (b, 52),
                (b, 40),
                (b, 28),
                (b, 16),
            ]
            .into_iter()
            .enumerate()
            {
                out[2 * k..2 * k + 2]
                    .copy_from_slice(&PAIRS[(w >> shift) as usize & 0xfff].to_le_bytes());
            }
        }
        i += 12;
        o += 16;
    }
    while i + 3 <= end {
        let v = usize::from(buf[i]) << 16 | usize::from(buf[i + 1]) << 8 | usize::from(buf[i + 2]);
        buf[o..o + 4].copy_from_slice(&chars4(v));
        i += 3;
        o += 4;
    }
    // 0-2 bytes left: copied out before the characters overwrite them.
    // (Byte by byte: a copy of a runtime length of 0-2 bytes would be a call to `memcpy`.)
    let mut rest = [0u8; 2];
    let r = end - i;
    for (k, b) in rest.iter_mut().enumerate().take(r) {
        *b = buf[i + k];
    }
    tail(&rest[..r], &mut buf[o..]);
    n
}

/// Encodes a 32-byte HMAC-SHA256 tag into its 43 characters (unrolled: five 6-byte groups,
/// then 2 bytes).
pub(crate) fn encode_tag(tag: &[u8; 32], out: &mut [u8; 43]) {
    for k in 0..5 {
        let w = word(tag, 6 * k);
        // Each pair of characters stored as it is looked up (as encode_forward_in_place).
        for (j, shift) in [52, 40, 28, 16].into_iter().enumerate() {
            let at = 8 * k + 2 * j;
            out[at..at + 2].copy_from_slice(&PAIRS[(w >> shift) as usize & 0xfff].to_le_bytes());
        }
    }
    let v = usize::from(tag[30]) << 8 | usize::from(tag[31]);
    out[40] = ALPHABET[v >> 10 & 63];
    out[41] = ALPHABET[v >> 4 & 63];
    out[42] = ALPHABET[v << 2 & 63];
}

/// Value of each base64url character, or 0xff.
static DECODE: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 64 {
        t[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Why [`decode`] refused its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// A byte outside the base64url alphabet (padding and whitespace included) at this offset.
    InvalidByte(usize),
    /// A length of 4k+1 characters, which no input encodes to.
    InvalidLength,
    /// The last character carries bits a canonical encoder leaves zero.
    NonCanonical,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::InvalidByte(i) => write!(f, "invalid character at offset {i}"),
            DecodeError::InvalidLength => f.write_str("invalid length"),
            DecodeError::NonCanonical => f.write_str("non-canonical trailing bits"),
        }
    }
}

/// The number of bytes strict unpadded base64url of `n` characters decodes to (`n` % 4 != 1).
pub(crate) const fn decoded_len(n: usize) -> usize {
    n / 4 * 3 + [0, 0, 1, 2][n % 4]
}

/// Decodes strict unpadded base64url: only the 64 alphabet characters, no padding or
/// whitespace, no length of 4k+1, and zero spare bits in the last character (so every byte
/// string has exactly one accepted encoding).
pub(crate) fn decode(input: &[u8]) -> Result<Vec<u8>, DecodeError> {
    if input.len() % 4 == 1 {
        return Err(DecodeError::InvalidLength);
    }
    let mut out = vec![0u8; decoded_len(input.len())];
    decode_into(input, &mut out)?;
    Ok(out)
}

/// [`decode`] into the start of `out`, without allocating; returns the bytes written.
/// `out` must hold [`decoded_len`]`(input.len())` bytes (shorter output panics: a bug, since
/// callers size it).
pub(crate) fn decode_into(input: &[u8], out: &mut [u8]) -> Result<usize, DecodeError> {
    if input.len() % 4 == 1 {
        return Err(DecodeError::InvalidLength);
    }
    let n = decoded_len(input.len());
    let (whole, tail) = out[..n].split_at_mut(input.len() / 4 * 3);
    // Eight characters (six bytes) at a time, then four, then the tail.
    let mut i = 0;
    while let (Some(c), Some(o)) = (input.get(i..i + 8), whole.get_mut(i / 4 * 3..i / 4 * 3 + 6)) {
        let d = |j: usize| DECODE[usize::from(c[j])];
        let (d0, d1, d2, d3, d4, d5, d6, d7) = (d(0), d(1), d(2), d(3), d(4), d(5), d(6), d(7));
        if (d0 | d1 | d2 | d3 | d4 | d5 | d6 | d7) == 0xff {
            return Err(invalid(c, i));
        }
        let v = u64::from(d0) << 42
            | u64::from(d1) << 36
            | u64::from(d2) << 30
            | u64::from(d3) << 24
            | u64::from(d4) << 18
            | u64::from(d5) << 12
            | u64::from(d6) << 6
            | u64::from(d7);
        let v = v.to_be_bytes();
        o.copy_from_slice(&v[2..]);
        i += 8;
    }
    let done = input.len() / 8 * 8;
    let mut chunks = input[done..].chunks_exact(4);
    let whole = &mut whole[done / 4 * 3..];
    for (at, (c, o)) in (&mut chunks).zip(whole.chunks_exact_mut(3)).enumerate() {
        let (a, b, d, e) = (
            DECODE[usize::from(c[0])],
            DECODE[usize::from(c[1])],
            DECODE[usize::from(c[2])],
            DECODE[usize::from(c[3])],
        );
        if (a | b | d | e) == 0xff {
            return Err(invalid(c, done + at * 4));
        }
        let v = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(d) << 6 | u32::from(e);
        o.copy_from_slice(&v.to_be_bytes()[1..]);
    }
    let rest = chunks.remainder();
    let at = input.len() - rest.len();
    let mut v: u32 = 0;
    for &ch in rest {
        let d = DECODE[usize::from(ch)];
        if d == 0xff {
            return Err(invalid(rest, at));
        }
        v = v << 6 | u32::from(d);
    }
    match rest.len() {
        2 => {
            if v & 0xf != 0 {
                return Err(DecodeError::NonCanonical);
            }
            tail[0] = (v >> 4) as u8;
        }
        3 => {
            if v & 0x3 != 0 {
                return Err(DecodeError::NonCanonical);
            }
            tail.copy_from_slice(&[(v >> 10) as u8, (v >> 2) as u8]);
        }
        _ => {}
    }
    Ok(n)
}

/// The error for the first invalid byte of `chunk`, which starts at input offset `at`.
fn invalid(chunk: &[u8], at: usize) -> DecodeError {
    let i = chunk
        .iter()
        .position(|&c| DECODE[usize::from(c)] == 0xff)
        .unwrap_or(0);
    DecodeError::InvalidByte(at + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    #[test]
    fn decoder_agrees_with_the_strict_base64_crate() {
        // Valid encodings of every length, and every single-character corruption of them.
        let data: Vec<u8> = (0..=255u8).collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..80 {
            let enc = URL_SAFE_NO_PAD.encode(&data[len..len * 2]).into_bytes();
            assert_eq!(decode(&enc).unwrap(), &data[len..len * 2]);
            for i in 0..enc.len() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let mut bad = enc.clone();
                bad[i] = (seed >> 24) as u8;
                let ours = decode(&bad).ok();
                let theirs = URL_SAFE_NO_PAD.decode(&bad).ok();
                assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(&bad));
            }
            for extra in [&b"="[..], b"==", b" ", b"\n", b"A", b"+", b"/"] {
                let mut bad = enc.clone();
                bad.extend_from_slice(extra);
                assert_eq!(decode(&bad).ok(), URL_SAFE_NO_PAD.decode(&bad).ok());
            }
        }
        assert_eq!(decode(b"A"), Err(DecodeError::InvalidLength));
        assert_eq!(decode(b"AB"), Err(DecodeError::NonCanonical));
        assert_eq!(decode(b"AQ"), Ok(vec![1]));
        assert_eq!(decode(b"A=="), Err(DecodeError::InvalidByte(1)));
        assert_eq!(decode(b"AAAAA==="), Err(DecodeError::InvalidByte(5)));
        let mut buf = [7u8; 8];
        assert_eq!(decode_into(b"AQID", &mut buf), Ok(3));
        assert_eq!(buf[..4], [1, 2, 3, 7]);
    }

    #[test]
    fn in_place_forward_encoding_matches_for_every_length_and_gap() {
        let data: Vec<u8> = (0..=255u8).rev().collect();
        for len in 0..120 {
            let want = URL_SAFE_NO_PAD.encode(&data[..len]).into_bytes();
            for gap in [len / 3 + 4, len / 3 + 5, len / 2 + 4, len + 7] {
                let dst = 5;
                let src = dst + gap;
                let mut buf = vec![b'#'; src + len + encoded_len(len)];
                buf[src..src + len].copy_from_slice(&data[..len]);
                let n = encode_forward_in_place(&mut buf, src, len, dst);
                assert_eq!(&buf[dst..dst + n], &want[..], "len {len} gap {gap}");
                assert!(buf[..dst].iter().all(|&b| b == b'#'));
            }
        }
    }

    #[test]
    fn tags_encode_as_the_base64_crate_does() {
        let mut tag = [0u8; 32];
        for round in 0..64u8 {
            for (i, b) in tag.iter_mut().enumerate() {
                *b = (i as u8)
                    .wrapping_mul(37)
                    .wrapping_add(round.wrapping_mul(101))
                    ^ round;
            }
            let mut out = [0u8; 43];
            encode_tag(&tag, &mut out);
            assert_eq!(&out[..], URL_SAFE_NO_PAD.encode(tag).as_bytes());
        }
        let mut out = [0u8; 43];
        encode_tag(&[0xff; 32], &mut out);
        assert_eq!(&out[..], URL_SAFE_NO_PAD.encode([0xff; 32]).as_bytes());
    }

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
