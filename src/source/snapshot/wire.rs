//! The primitives of the snapshot format: LEB128 varints, little-endian words, and a
//! reader that checks every access (it never panics, whatever the bytes).
use super::SnapshotError;

/// Append `v` as an unsigned LEB128 varint (7 bits a byte, low first).
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(crate) fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Whether `s` is worth packing as hexadecimal digits: two or more of `0-9a-f`.
pub(crate) fn is_hex(s: &[u8]) -> bool {
    s.len() >= 2 && s.iter().all(|&b| nibble(b).is_some())
}

fn nibble(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Append lower-case hex digits two to a byte, high nibble first; an odd count leaves the
/// last low nibble 0.
pub(crate) fn put_hex(out: &mut Vec<u8>, digits: &[u8]) {
    for pair in digits.chunks(2) {
        let hi = nibble(pair[0]).unwrap_or(0);
        let lo = pair.get(1).and_then(|&b| nibble(b)).unwrap_or(0);
        out.push(hi << 4 | lo);
    }
}

/// A cursor over untrusted bytes.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    /// Bytes not yet read.
    pub(crate) fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        if n > self.left() {
            return Err(SnapshotError::Truncated);
        }
        let out = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(out)
    }

    pub(crate) fn u64(&mut self) -> Result<u64, SnapshotError> {
        let b = self.take(8)?;
        let mut w = [0u8; 8];
        w.copy_from_slice(b);
        Ok(u64::from_le_bytes(w))
    }

    pub(crate) fn u16(&mut self) -> Result<u16, SnapshotError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    /// A LEB128 varint of at most 10 bytes that fits a `u64`.
    pub(crate) fn varint(&mut self) -> Result<u64, SnapshotError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(SnapshotError::Malformed("varint overflows 64 bits"));
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(SnapshotError::Malformed("varint longer than 10 bytes"))
    }

    /// A varint that must be below `bound` (an index into a table of `bound` entries).
    pub(crate) fn index(&mut self, bound: usize) -> Result<u32, SnapshotError> {
        let v = self.varint()?;
        if v >= bound as u64 {
            return Err(SnapshotError::OutOfRange);
        }
        Ok(v as u32)
    }

    /// `n` packed hex digits, appended to `out` as text; the padding nibble must be 0.
    pub(crate) fn hex(&mut self, n: usize, out: &mut Vec<u8>) -> Result<(), SnapshotError> {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let packed = self.take(n.div_ceil(2))?;
        for (i, &b) in packed.iter().enumerate() {
            out.push(DIGITS[usize::from(b >> 4)]);
            if 2 * i + 1 < n {
                out.push(DIGITS[usize::from(b & 0xf)]);
            } else if b & 0xf != 0 {
                return Err(SnapshotError::Malformed("hex padding is not zero"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_reject_overflow() {
        for v in [0, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            assert_eq!(Reader::new(&out).varint().unwrap(), v);
        }
        let too_big = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert!(Reader::new(&too_big).varint().is_err());
        let too_long = [0x80; 11];
        assert!(Reader::new(&too_long).varint().is_err());
        assert!(Reader::new(&[0x80]).varint().is_err());
    }

    #[test]
    fn hex_round_trips_odd_and_even() {
        for s in ["ab", "0f1", "0123456789abcdef0"] {
            let mut out = Vec::new();
            put_hex(&mut out, s.as_bytes());
            let mut text = Vec::new();
            Reader::new(&out).hex(s.len(), &mut text).unwrap();
            assert_eq!(text, s.as_bytes());
        }
        let mut text = Vec::new();
        assert!(Reader::new(&[0x1f]).hex(1, &mut text).is_err());
        assert!(!is_hex(b"A0") && !is_hex(b"a") && is_hex(b"a0"));
    }
}
