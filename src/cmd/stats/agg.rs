//! The keyspace breakdown in bounded memory: per group (each key kind, other `ol:` keys,
//! foreign keys) counts, bytes, an exact maximum, a log histogram of sizes for percentiles,
//! and a TTL histogram. With sampling, every key is counted by name and every k-th key of
//! each group is measured; the measured figures are scaled up to the counted keys.
use crate::keys::{parse, Kind, PREFIX};

/// TTL buckets of the histogram, in order; the last one holds keys without a TTL.
pub(crate) const TTL_BUCKETS: [&str; 7] = ["<1m", "<5m", "<15m", "<30m", "<1h", ">=1h", "none"];
const TTL_LIMITS_SECS: [i64; 5] = [60, 300, 900, 1800, 3600];

/// The TTL bucket of a `PTTL` reply.
pub(crate) fn ttl_bucket(pttl_ms: i64) -> usize {
    if pttl_ms < 0 {
        return TTL_BUCKETS.len() - 1;
    }
    TTL_LIMITS_SECS
        .iter()
        .position(|limit| pttl_ms < limit * 1000)
        .unwrap_or(TTL_LIMITS_SECS.len())
}

/// Sub-buckets per power of two: each bucket spans at most 1/32 of its values (±1.6% at
/// its midpoint); values below 64 are exact.
const SUB_BITS: u32 = 5;
const SUB: usize = 1 << SUB_BITS;
const BUCKETS: usize = SUB + (64 - SUB_BITS as usize) * SUB;

/// A fixed-bucket log histogram of sizes: 15 KB whatever the number of values.
#[derive(Debug, Clone)]
pub(crate) struct LogHist {
    counts: Vec<u64>,
    total: u64,
}

impl Default for LogHist {
    fn default() -> Self {
        LogHist {
            counts: vec![0; BUCKETS],
            total: 0,
        }
    }
}

fn bucket_of(v: u64) -> usize {
    if v < SUB as u64 {
        return v as usize;
    }
    let e = 63 - v.leading_zeros(); // floor(log2 v) >= SUB_BITS
    let shift = e - SUB_BITS;
    let sub = ((v >> shift) as usize) & (SUB - 1);
    SUB + shift as usize * SUB + sub
}

/// The smallest and largest value of a bucket.
fn bucket_bounds(i: usize) -> (u64, u64) {
    if i < SUB {
        return (i as u64, i as u64);
    }
    let shift = ((i - SUB) / SUB) as u32;
    let sub = ((i - SUB) % SUB) as u64;
    let lo = (SUB as u64 + sub) << shift;
    let hi = lo.saturating_add((1u64 << shift) - 1);
    (lo, hi)
}

impl LogHist {
    pub(crate) fn add(&mut self, v: u64) {
        self.counts[bucket_of(v)] += 1;
        self.total += 1;
    }

    pub(crate) fn merge(&mut self, other: &LogHist) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
    }

    /// The `q` quantile (0..=1) as the midpoint of its bucket; `None` when empty.
    pub(crate) fn quantile(&self, q: f64) -> Option<u64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (lo, hi) = bucket_bounds(i);
                return Some(lo + (hi - lo) / 2);
            }
        }
        None
    }
}

/// The figures of one group of keys.
#[derive(Debug, Clone, Default)]
pub(crate) struct Group {
    /// Keys the scan delivered.
    pub seen: u64,
    /// Keys probed (all of them, or every k-th when sampling).
    pub probed: u64,
    /// Probed keys that still existed.
    pub measured: u64,
    pub bytes: u64,
    pub max: u64,
    pub sizes: LogHist,
    pub ttl: [u64; 7],
    /// Sum of squared sizes, for the margin of a sampled estimate.
    pub squares: f64,
    /// Probed keys that exist but could not be sized (`MEMORY USAGE` refused by an ACL).
    pub refused: u64,
}

/// A group's figures, scaled to every counted key.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Estimate {
    pub keys: u64,
    pub bytes: u64,
    pub avg: u64,
    pub p50: u64,
    pub p95: u64,
    pub max: u64,
    pub ttl: [u64; 7],
    /// With sampling: the 95 % margin of `bytes`, relative (0.01 = ±1 %).
    pub margin: Option<f64>,
}

impl Group {
    pub(crate) fn measure(&mut self, size: u64, pttl: Option<i64>) {
        self.measured += 1;
        self.bytes += size;
        self.max = self.max.max(size);
        self.sizes.add(size);
        self.squares += (size as f64) * (size as f64);
        if let Some(p) = pttl {
            self.ttl[ttl_bucket(p)] += 1;
        }
    }

    /// Add another group's figures (for totals).
    pub(crate) fn merge(&mut self, o: &Group) {
        self.seen += o.seen;
        self.probed += o.probed;
        self.measured += o.measured;
        self.bytes += o.bytes;
        self.max = self.max.max(o.max);
        self.sizes.merge(&o.sizes);
        self.squares += o.squares;
        self.refused += o.refused;
        for (a, b) in self.ttl.iter_mut().zip(o.ttl) {
            *a += b;
        }
    }

    /// Scale the measured keys up to the counted ones (exact without sampling).
    pub(crate) fn estimate(&self) -> Estimate {
        if self.probed == 0 {
            return Estimate::default();
        }
        let scale = self.seen as f64 / self.probed as f64;
        let up = |n: u64| (n as f64 * scale).round() as u64;
        let mut ttl = [0; 7];
        for (t, n) in ttl.iter_mut().zip(self.ttl) {
            *t = up(n);
        }
        Estimate {
            keys: up(self.measured + self.refused),
            bytes: up(self.bytes),
            avg: self.bytes.checked_div(self.measured).unwrap_or(0),
            p50: self.sizes.quantile(0.5).unwrap_or(0).min(self.max),
            p95: self.sizes.quantile(0.95).unwrap_or(0).min(self.max),
            max: self.max,
            ttl,
            margin: self.margin(),
        }
    }

    /// The 95 % margin of the scaled bytes: the key count is exact, so it is the standard
    /// error of the mean size (with the finite population correction), relative to the mean.
    fn margin(&self) -> Option<f64> {
        if self.probed >= self.seen || self.measured < 2 || self.bytes == 0 {
            return None;
        }
        let n = self.measured as f64;
        let mean = self.bytes as f64 / n;
        let var = ((self.squares - n * mean * mean) / (n - 1.0)).max(0.0);
        let fpc = (1.0 - self.probed as f64 / self.seen as f64).max(0.0);
        Some(1.96 * (var / n * fpc).sqrt() / mean)
    }
}

/// Index of the group of other `ol:` keys (of no kind of the contract).
pub(crate) const OTHER: usize = Kind::ALL.len();
/// Index of the group of keys outside the prefix.
pub(crate) const FOREIGN: usize = OTHER + 1;

/// Every group of the keyspace.
#[derive(Debug, Clone)]
pub(crate) struct Keyspace {
    pub groups: Vec<Group>,
    /// Measure every k-th key of each group (1: all).
    pub every: u64,
}

impl Keyspace {
    pub(crate) fn new(every: u64) -> Self {
        Keyspace {
            groups: vec![Group::default(); FOREIGN + 1],
            every: every.max(1),
        }
    }

    /// Count a scanned key; whether to measure it, and its group.
    pub(crate) fn see(&mut self, key: &[u8]) -> (usize, bool) {
        let g = group_of(key);
        let group = &mut self.groups[g];
        group.seen += 1;
        let pick = (group.seen - 1).is_multiple_of(self.every);
        if pick {
            group.probed += 1;
        }
        (g, pick)
    }

    pub(crate) fn scanned(&self) -> u64 {
        self.groups.iter().map(|g| g.seen).sum()
    }

    pub(crate) fn probed(&self) -> u64 {
        self.groups.iter().map(|g| g.probed).sum()
    }

    /// Probed keys whose size was refused (scaled like the other figures).
    pub(crate) fn unsized_keys(&self) -> u64 {
        self.groups
            .iter()
            .filter(|g| g.probed > 0)
            .map(|g| (g.refused as f64 * g.seen as f64 / g.probed as f64).round() as u64)
            .sum()
    }

    /// Every key under the prefix (each kind and the other `ol:` keys) together.
    pub(crate) fn prefix_total(&self) -> Group {
        let mut t = Group::default();
        for g in &self.groups[..=OTHER] {
            t.merge(g);
        }
        t
    }
}

/// The group of a key: its kind, other `ol:` keys, or foreign.
pub(crate) fn group_of(key: &[u8]) -> usize {
    if !key.starts_with(PREFIX.as_bytes()) {
        return FOREIGN;
    }
    let kind = std::str::from_utf8(key).ok().and_then(|k| parse(k).kind());
    kind.and_then(|k| Kind::ALL.iter().position(|x| *x == k))
        .unwrap_or(OTHER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_buckets_have_exclusive_upper_bounds() {
        let cases = [
            (-1, "none"),
            (0, "<1m"),
            (59_999, "<1m"),
            (60_000, "<5m"),
            (899_999, "<15m"),
            (1_800_000, "<1h"),
            (3_600_000, ">=1h"),
        ];
        for (ms, want) in cases {
            assert_eq!(TTL_BUCKETS[ttl_bucket(ms)], want, "{ms}");
        }
    }

    #[test]
    fn buckets_cover_every_value_and_stay_narrow() {
        for v in (0..5000u64).chain([u64::MAX, 1 << 40, (1 << 40) + 12345]) {
            let (lo, hi) = bucket_bounds(bucket_of(v));
            assert!(lo <= v && v <= hi, "{v} not in [{lo}, {hi}]");
            assert!(
                (hi - lo) as f64 <= lo as f64 / 32.0 + 1.0,
                "{v}: [{lo}, {hi}]"
            );
        }
        assert!(bucket_of(u64::MAX) < BUCKETS);
    }

    #[test]
    fn percentiles_are_within_two_percent() {
        let mut h = LogHist::default();
        for v in 1..=10_000u64 {
            h.add(v);
        }
        let near = |got: u64, want: f64| (got as f64 - want).abs() / want < 0.02;
        assert!(near(h.quantile(0.5).unwrap(), 5000.0));
        assert!(near(h.quantile(0.95).unwrap(), 9500.0));
        assert_eq!(LogHist::default().quantile(0.5), None);
    }

    #[test]
    fn sampling_counts_everything_and_scales_the_measured() {
        let mut ks = Keyspace::new(10);
        let mut measured = 0;
        for i in 0..1000u64 {
            let key = format!("ol:dataset:get:ns/db.T{i}");
            let (g, pick) = ks.see(key.as_bytes());
            assert_eq!(
                g,
                Kind::ALL
                    .iter()
                    .position(|k| *k == Kind::DatasetGet)
                    .unwrap()
            );
            if pick {
                ks.groups[g].measure(100 + (i / 10) % 2, Some(-1));
                measured += 1;
            }
        }
        assert_eq!(measured, 100);
        assert_eq!(ks.scanned(), 1000);
        let e = ks.groups[group_of(b"ol:dataset:get:x")].estimate();
        assert_eq!(e.keys, 1000);
        assert_eq!(e.bytes, 100_500);
        assert_eq!(e.ttl[6], 1000);
        // Sizes 100 and 101 alternate: a tiny margin, and none without sampling.
        let m = e.margin.unwrap();
        assert!(m > 0.0 && m < 0.001, "{m}");
        let mut full = Group {
            seen: 2,
            probed: 2,
            ..Group::default()
        };
        full.measure(10, None);
        full.measure(30, None);
        assert_eq!(full.estimate().margin, None);
        assert_eq!(group_of(b"session:1"), FOREIGN);
        assert_eq!(group_of(b"ol:nothing"), OTHER);
        assert_eq!(group_of(b"ol:\xff"), OTHER);
    }
}
