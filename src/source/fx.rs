//! A small, fast, non-cryptographic hasher (the Fx hash of rustc) for the in-memory maps of
//! the engine and the lineage snapshot, whose keys are symbols and strings from the lineage
//! tables, not from attackers. Never stored: the stable hash of what a snapshot stores is
//! `snapshot::hash`.
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Build-hasher for `HashMap`/`HashSet`.
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// A `HashMap` with the Fx hasher.
pub(crate) type FxMap<K, V> = HashMap<K, V, FxBuild>;

const K: u64 = 0x517c_c1b7_2722_0a95;

/// The Fx hash: rotate, xor, multiply per word.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(i.into());
    }

    fn write_u32(&mut self, i: u32) {
        self.add(i.into());
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}
