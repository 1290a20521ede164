//! The provisioned (PTU) admission model: a leaky bucket of normalized tokens (Microsoft Learn,
//! provisioned-throughput "How does utilization work", S17: MicrosoftDocs/azure-ai-docs
//! articles/ai-foundry/openai/concepts/provisioned-throughput.md).
//!
//! - Capacity C = PTUs × input TPM per PTU ÷ 60 normalized tokens per second; the level drains
//!   continuously at C and never below 0 ("The overall utilization is decremented at a
//!   continuous rate based on the number of PTU deployed").
//! - 100 % utilization is a level of D = `bucket_seconds` × C. Microsoft does not publish D:
//!   `bucket_seconds` is a modelling assumption ("Bursts just over 100% might be permitted in
//!   short periods, but over time, your traffic is capped at 100% utilization").
//! - A request is admitted while the level is at or below D; it adds its estimate
//!   `(prompt − cached) + cached × cached_weight + max_tokens × output_weight` ("combining the
//!   prompt tokens, less any cached tokens, and the specified max_tokens").
//! - At completion the level is corrected by actual − estimate, the actual using the real
//!   completion tokens instead of `max_tokens` (level kept ≥ 0).
//! - Otherwise the 429 carries retry-after = (level − D) ÷ C, "the time until utilization is
//!   below 100%".

use crate::sim::SimParam;
use crate::sim::check::{non_negative, positive};
use crate::sim::{Request, SimError};

/// Relative slack on the "level ≤ D" test, so that a client retrying exactly after the
/// retry-after is not refused by a rounding error of the drained level.
const LEVEL_SLACK: f64 = 1e-12;

/// A provisioned deployment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProvisionedParams {
    /// PTUs deployed.
    pub ptu: f64,
    /// Input (normalized) tokens per minute per PTU, from the model catalog.
    pub input_tpm_per_ptu: f64,
    /// Weight of an output token in normalized tokens.
    pub output_weight: f64,
    /// Weight of a cached prompt token (0: fully discounted).
    pub cached_weight: f64,
    /// Bucket depth at 100 % utilization, in seconds of capacity (an assumption: not
    /// published).
    pub bucket_seconds: f64,
}

impl ProvisionedParams {
    /// Checks every field.
    pub fn validate(&self) -> Result<(), SimError> {
        positive(SimParam::ProvisionedPtu, self.ptu)?;
        positive(SimParam::ProvisionedInputTpmPerPtu, self.input_tpm_per_ptu)?;
        non_negative(SimParam::ProvisionedOutputWeight, self.output_weight)?;
        non_negative(SimParam::ProvisionedCachedWeight, self.cached_weight)?;
        positive(SimParam::ProvisionedBucketSeconds, self.bucket_seconds)
    }

    /// Capacity C, normalized tokens per second.
    pub fn capacity_per_s(&self) -> f64 {
        self.ptu * self.input_tpm_per_ptu / 60.0
    }

    /// Bucket depth D = `bucket_seconds` × C: the level at 100 % utilization.
    pub fn depth(&self) -> f64 {
        self.bucket_seconds * self.capacity_per_s()
    }

    fn prompt_part(&self, r: &Request) -> f64 {
        f64::from(r.prompt.saturating_sub(r.cached)) + f64::from(r.cached) * self.cached_weight
    }

    /// Normalized tokens estimated at admission (with `max_tokens`).
    #[inline]
    pub fn estimate(&self, r: &Request) -> f64 {
        self.prompt_part(r) + f64::from(r.max_tokens) * self.output_weight
    }

    /// Normalized tokens actually used (with the real completion).
    #[inline]
    pub fn actual(&self, r: &Request) -> f64 {
        self.prompt_part(r) + f64::from(r.completion) * self.output_weight
    }
}

/// The bucket's state. Levels are kept in micro-tokens (normalized tokens × 10^6), so that
/// draining C tokens a second over Δt µs is one product, C × Δt, with no division on the hot
/// path, and whole-number cases stay exact.
#[derive(Debug, Clone)]
pub(crate) struct LeakyBucket {
    /// C, normalized tokens per second = micro-tokens per µs.
    per_s: f64,
    /// D in micro-tokens: the level at 100 % utilization.
    depth_ut: f64,
    /// Highest level at which a request is still admitted: D with [`LEVEL_SLACK`].
    admit_ut: f64,
    level_ut: f64,
    last_us: u64,
}

impl LeakyBucket {
    /// An empty bucket.
    pub(crate) fn new(params: &ProvisionedParams) -> Self {
        let depth_ut = params.depth() * 1e6;
        LeakyBucket {
            per_s: params.capacity_per_s(),
            depth_ut,
            admit_ut: depth_ut * (1.0 + LEVEL_SLACK),
            level_ut: 0.0,
            last_us: 0,
        }
    }

    /// Drains the level to `now_us` and applies `corrections` (the sum of the completion
    /// corrections due since the last call, each ≤ 0). Draining and corrections both lower
    /// the level, clamped at 0, so their order does not matter (see [`super::corrections`]).
    #[inline]
    fn settle(&mut self, now_us: u64, corrections: f64) {
        debug_assert!(
            corrections <= 0.0,
            "a correction raises the level: {corrections}"
        );
        // Through i64 (one instruction; u64 to f64 takes several): spans are far below 2^63 µs.
        let drained_ut = self.per_s * now_us.saturating_sub(self.last_us) as i64 as f64;
        self.level_ut = (self.level_ut - drained_ut + corrections * 1e6).max(0.0);
        self.last_us = self.last_us.max(now_us);
    }

    /// The level at `now_us`.
    #[cfg(test)]
    pub(crate) fn level(&mut self, now_us: u64) -> f64 {
        self.settle(now_us, 0.0);
        self.level_ut / 1e6
    }

    /// A request estimated at `estimate` arrives at `now_us`, after the completion
    /// `corrections` due since the last attempt: `Ok` if admitted, else the 429's retry-after
    /// in µs, (level − D) ÷ C.
    #[inline]
    pub(crate) fn try_admit(
        &mut self,
        now_us: u64,
        corrections: f64,
        estimate: f64,
    ) -> Result<(), f64> {
        self.settle(now_us, corrections);
        if self.level_ut <= self.admit_ut {
            self.level_ut += estimate * 1e6;
            Ok(())
        } else {
            Err((self.level_ut - self.depth_ut) / self.per_s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> ProvisionedParams {
        // C = 1 × 6,000 ÷ 60 = 100 normalized tokens/s; D = 1 s × 100 = 100.
        ProvisionedParams {
            ptu: 1.0,
            input_tpm_per_ptu: 6_000.0,
            output_weight: 4.0,
            cached_weight: 0.0,
            bucket_seconds: 1.0,
        }
    }

    fn request(prompt: u32, cached: u32, completion: u32, max_tokens: u32) -> Request {
        Request {
            at_us: 0,
            prompt,
            cached,
            completion,
            max_tokens,
        }
    }

    #[test]
    fn estimate_and_actual_weigh_tokens() {
        // 200 prompt of which 50 cached (weight 0), max_tokens 30 × 4 → 150 + 120 = 270;
        // completion 10 × 4 → 150 + 40 = 190.
        let p = params();
        let r = request(200, 50, 10, 30);
        assert_eq!(p.estimate(&r), 270.0);
        assert_eq!(p.actual(&r), 190.0);
        let half = ProvisionedParams {
            cached_weight: 0.5,
            ..p
        };
        assert_eq!(half.estimate(&r), 295.0);
    }

    #[test]
    fn retry_after_is_time_back_to_full() {
        // At 0 the level 0 ≤ D = 100: admit 200 → level 200. At 0.5 s it has drained 50 → 150
        // > 100: 429, retry-after = (150 − 100) ÷ 100 = 0.5 s. At 1.0 s the level is 100 = D:
        // admitted again.
        let mut b = LeakyBucket::new(&params());
        assert_eq!(b.try_admit(0, 0.0, 200.0), Ok(()));
        assert_eq!(b.try_admit(500_000, 0.0, 10.0), Err(500_000.0));
        assert_eq!(b.level(500_000), 150.0);
        assert_eq!(b.try_admit(1_000_000, 0.0, 10.0), Ok(()));
        assert_eq!(b.level(1_000_000), 110.0);
    }

    #[test]
    fn completion_correction_lowers_the_level() {
        // Admit estimate 270 at 0 (level 270). At 1 s: drained 100 → 170 > 100, refused. With
        // the completion's correction 190 − 270 = −80 due by then → 90 ≤ 100: admitted.
        let p = params();
        let r = request(200, 50, 10, 30);
        let correction = p.actual(&r) - p.estimate(&r);
        assert_eq!(correction, -80.0);
        let mut refused = LeakyBucket::new(&p);
        assert_eq!(refused.try_admit(0, 0.0, p.estimate(&r)), Ok(()));
        assert_eq!(refused.try_admit(1_000_000, 0.0, 1.0), Err(700_000.0));
        let mut b = LeakyBucket::new(&p);
        assert_eq!(b.try_admit(0, 0.0, p.estimate(&r)), Ok(()));
        assert_eq!(b.try_admit(1_000_000, correction, 1.0), Ok(()));
        assert_eq!(b.level(1_000_000), 91.0);
        // Never below zero: a correction larger than the level leaves 0.
        b.settle(1_000_000, -1_000.0);
        assert_eq!(b.level(1_000_000), 0.0);
        // Nor does draining go below zero.
        assert_eq!(b.level(60_000_000), 0.0);
    }

    #[test]
    fn corrections_summed_late_give_the_level_applied_on_time() {
        // Level 50 at 0; a −80 correction due at 0.1 s; the next attempt at 1 s. On time: 50 −
        // 10 drained = 40, − 80 → 0 (clamped), then 0.9 s of draining stays 0. Summed at 1 s:
        // max(50 − 100 − 80, 0) = 0. And without the clamp: 270 at 0, −80 due at 0.5 s → on
        // time 270 − 50 − 80 = 140, − 50 = 90; summed: 270 − 100 − 80 = 90.
        for (start, on_time) in [(50.0, 0.0), (270.0, 90.0)] {
            let mut b = LeakyBucket::new(&params());
            assert_eq!(b.try_admit(0, 0.0, start), Ok(()));
            b.settle(1_000_000, -80.0);
            assert_eq!(b.level(1_000_000), on_time, "from {start}");
        }
    }

    #[test]
    fn validation_names_the_field() {
        let bad = ProvisionedParams {
            bucket_seconds: 0.0,
            ..params()
        };
        let err = bad.validate().expect_err("zero bucket");
        assert!(
            err.to_string().contains("provisioned.bucket_seconds"),
            "{err}"
        );
        let bad = ProvisionedParams {
            ptu: f64::NAN,
            ..params()
        };
        assert!(bad.validate().is_err());
    }
}
