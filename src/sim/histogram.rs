//! A fixed-size, log-bucketed histogram of `u64` values (latencies in microseconds) for
//! percentiles without keeping every value.
//!
//! Values below 128 get a bucket each (exact). Above, each power of two `[2^e, 2^(e+1))` is split
//! into 128 equal buckets, so a bucket is at most 1/128 of its lower edge wide. A percentile is
//! reported as the midpoint of its bucket (clamped to the smallest and largest value seen), so
//! its relative error is at most half a bucket: 1/256 ≈ 0.39 %, well inside the 1 % promised in
//! the report. The maximum is exact. Memory is fixed: 7,424 counters (58 KiB) cover all of `u64`.

/// Sub-buckets per power of two (2^7).
const SUB_BITS: u32 = 7;
const SUB: u64 = 1 << SUB_BITS;
/// Bucket count: the 128 exact buckets, then 128 per exponent 7..=63.
const BUCKETS: usize = ((64 - SUB_BITS as usize) + 1) * SUB as usize;

/// Log-bucketed histogram with ≤ 0.39 % relative error on percentiles.
#[derive(Debug, Clone)]
pub struct Histogram {
    counts: Vec<u64>,
    total: u64,
    sum: u128,
    min: u64,
    max: u64,
}

impl Default for Histogram {
    fn default() -> Self {
        Self::new()
    }
}

impl Histogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Histogram {
            counts: vec![0; BUCKETS],
            total: 0,
            sum: 0,
            min: u64::MAX,
            max: 0,
        }
    }

    /// Bucket of `v`.
    #[inline]
    fn index(v: u64) -> usize {
        if v < SUB {
            v as usize
        } else {
            let exp = 63 - v.leading_zeros(); // ≥ SUB_BITS
            let shift = exp - SUB_BITS;
            let mantissa = v >> shift; // in [SUB, 2·SUB)
            ((shift as u64 + 1) * SUB + (mantissa - SUB)) as usize
        }
    }

    /// Smallest value and width of bucket `i`.
    fn bounds(i: usize) -> (u64, u64) {
        let i = i as u64;
        if i < SUB {
            (i, 1)
        } else {
            let shift = i / SUB - 1;
            let mantissa = SUB + i % SUB;
            (mantissa << shift, 1 << shift)
        }
    }

    /// Adds one value.
    #[inline]
    pub fn record(&mut self, v: u64) {
        self.counts[Self::index(v)] += 1;
        self.total += 1;
        self.sum += u128::from(v);
        self.min = self.min.min(v);
        self.max = self.max.max(v);
    }

    /// How many values were recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// Largest value recorded (exact); `None` when empty.
    pub fn max(&self) -> Option<u64> {
        (self.total > 0).then_some(self.max)
    }

    /// Mean of the values recorded (exact); `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        (self.total > 0).then(|| self.sum as f64 / self.total as f64)
    }

    /// Nearest-rank percentile `pct` (0–100]: the midpoint of the bucket holding the smallest
    /// value with at least `pct` % of the values at or below it; `None` when empty.
    pub fn percentile(&self, pct: f64) -> Option<f64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((pct / 100.0) * self.total as f64).ceil().max(1.0) as u64;
        let rank = rank.min(self.total);
        let mut seen = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let (low, width) = Self::bounds(i);
                let mid = low as f64 + (width as f64 - 1.0) / 2.0;
                return Some(mid.clamp(self.min as f64, self.max as f64));
            }
        }
        Some(self.max as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::stats::nearest_rank;

    #[test]
    fn buckets_are_contiguous_and_narrow() {
        // Every bucket starts where the previous ended, and is at most 1/128 of its start wide.
        let mut next = 0u64;
        for i in 0..BUCKETS {
            let (low, width) = Histogram::bounds(i);
            assert_eq!(low, next, "bucket {i}");
            assert_eq!(Histogram::index(low), i);
            assert_eq!(Histogram::index(low + (width - 1)), i);
            if low >= SUB {
                assert!(width * SUB <= low, "bucket {i} too wide");
            }
            next = low.wrapping_add(width);
        }
        assert_eq!(next, 0, "the last bucket ends at 2^64");
        assert_eq!(Histogram::index(u64::MAX), BUCKETS - 1);
    }

    #[test]
    fn percentiles_within_one_percent_of_exact() {
        // A known set: 1..=100,000 squared-ish spread (v = i² mod a large prime + i), compared to
        // the exact nearest-rank percentile of the sorted values.
        let values: Vec<u64> = (1..=100_000u64).map(|i| (i * i) % 1_000_003 + i).collect();
        let mut h = Histogram::new();
        for &v in &values {
            h.record(v);
        }
        let mut sorted: Vec<f64> = values.iter().map(|&v| v as f64).collect();
        sorted.sort_by(f64::total_cmp);
        for pct in [1.0, 10.0, 50.0, 90.0, 95.0, 99.0, 99.9, 100.0] {
            let exact = nearest_rank(&sorted, pct);
            let got = h.percentile(pct).expect("non-empty");
            assert!(
                (got - exact).abs() <= exact * 0.01,
                "p{pct}: {got} vs exact {exact}"
            );
            // The documented bound is half a bucket: 1/256 of the value.
            assert!((got - exact).abs() <= exact / 256.0 + 0.5, "p{pct}");
        }
        assert_eq!(h.max(), Some(*values.iter().max().expect("some")));
        assert_eq!(h.count(), 100_000);
    }

    #[test]
    fn small_values_are_exact_and_empty_is_none() {
        // 1..=20: nearest-rank p50 = 10, p95 = 19 (as in calc::stats), below 128 so exact.
        let mut h = Histogram::new();
        for v in 1..=20 {
            h.record(v);
        }
        assert_eq!(h.percentile(50.0), Some(10.0));
        assert_eq!(h.percentile(95.0), Some(19.0));
        assert_eq!(h.mean(), Some(10.5));
        let empty = Histogram::new();
        assert_eq!(empty.percentile(50.0), None);
        assert_eq!(empty.max(), None);
    }
}
