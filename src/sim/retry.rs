//! Client retry policies: what a client does after a 429.
//!
//! A throttled request is retried after a delay chosen by [`RetryKind`]. For `Fixed` and
//! `Exponential`, when `honour_retry_after` is set the client waits at least the
//! `retry-after-ms` the service sent. [`RetryKind::OpenAiPython`] is openai-python's own rule
//! (see its doc). A client gives up — the request is *throttled finally* — after
//! `max_retries` retries (openai-python defaults to 2), when the next attempt would start later
//! than its first arrival + `deadline_ms`, or when its policy declines to retry. Whatever the
//! policy, a request still unserved [`GIVE_UP_AFTER_MS`] (24 h) after its first attempt is
//! given up: a guard that keeps a run bounded (real client deadlines are far shorter).

use rand::RngExt;
use rand::rngs::Xoshiro256PlusPlus;

use crate::sim::SimError;
use crate::sim::SimParam;
use crate::sim::check::{non_negative, non_negative_or_infinite};

/// Longest a request is retried after its first attempt, ms (24 h).
pub const GIVE_UP_AFTER_MS: f64 = 86_400_000.0;

/// openai-python's first backoff, ms (`INITIAL_RETRY_DELAY = 0.5` s, `src/openai/_constants.py`).
pub const OPENAI_PYTHON_INITIAL_DELAY_MS: f64 = 500.0;
/// openai-python's longest backoff, ms (`MAX_RETRY_DELAY = 8.0` s).
pub const OPENAI_PYTHON_MAX_DELAY_MS: f64 = 8_000.0;
/// The longest retry-after openai-python waits as given, µs (`MAX_RETRY_AFTER_DELAY = 2 * 60`
/// s); a longer one is not retried at all.
pub const OPENAI_PYTHON_MAX_RETRY_AFTER_US: u64 = 120_000_000;

/// How long a client waits before retrying.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RetryKind {
    /// Never retries: the first 429 is final.
    None,
    /// Waits a fixed delay.
    Fixed {
        /// The delay, ms.
        delay_ms: f64,
    },
    /// Exponential backoff with full jitter: retry `n` (0-based) waits
    /// uniform(0, min(cap_ms, base_ms × 2ⁿ)).
    Exponential {
        /// Upper bound of the first retry's delay, ms.
        base_ms: f64,
        /// Largest upper bound, ms.
        cap_ms: f64,
    },
    /// openai-python's default (`BaseClient._calculate_retry_timeout` and `_should_retry` in
    /// `src/openai/_base_client.py`, v3.3.1, commit e43b422412a9e96c9cc5192c61fffbe2d7e04836,
    /// 2026-08-21): a retry-after (`retry-after-ms` first, then `retry-after`) with
    /// 0 < value ≤ 120 s is waited as given; a longer one ends the retries; otherwise retry `n`
    /// (0-based) waits min(0.5 s × 2ⁿ, 8 s) × (1 − 0.25 × U), U uniform in [0, 1). Before
    /// v2.52.0 (commit 7fa7946, 2026-07-30) the limit was 60 s and a longer retry-after fell
    /// back to the backoff. The SDK's 600 s timeout is per attempt: there is no overall
    /// deadline.
    OpenAiPython,
}

/// A client's retry behaviour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Delay rule.
    pub kind: RetryKind,
    /// Retries after the first attempt before giving up.
    pub max_retries: u32,
    /// Gives up rather than start an attempt later than first arrival + this, ms
    /// (`f64::INFINITY`: no deadline).
    pub deadline_ms: f64,
    /// Waits at least the 429's retry-after.
    pub honour_retry_after: bool,
}

impl RetryPolicy {
    /// A client that never retries.
    pub const NONE: RetryPolicy = RetryPolicy {
        kind: RetryKind::None,
        max_retries: 0,
        deadline_ms: 0.0,
        honour_retry_after: false,
    };

    /// Checks the delays and the deadline.
    pub fn validate(&self) -> Result<(), SimError> {
        non_negative_or_infinite(SimParam::RetryDeadlineMs, self.deadline_ms)?;
        match self.kind {
            RetryKind::None => Ok(()),
            RetryKind::Fixed { delay_ms } => non_negative(SimParam::RetryDelayMs, delay_ms),
            RetryKind::Exponential { base_ms, cap_ms } => {
                non_negative(SimParam::RetryBaseMs, base_ms)?;
                non_negative(SimParam::RetryCapMs, cap_ms)
            }
            RetryKind::OpenAiPython => Ok(()),
        }
    }

    /// When the next attempt starts, µs, for a request first sent at `first_us` that got a 429
    /// at `now_us` with `retry_after_us`, after `retries_done` retries; `None`: the client gives
    /// up. Draws jitter from `rng` only for backoff.
    pub(crate) fn next_attempt(
        &self,
        rng: &mut Xoshiro256PlusPlus,
        now_us: u64,
        first_us: u64,
        retries_done: u32,
        retry_after_us: u64,
    ) -> Option<u64> {
        if retries_done >= self.max_retries {
            return None;
        }
        let at_least = |wait_us: u64| match self.honour_retry_after {
            true => wait_us.max(retry_after_us),
            false => wait_us,
        };
        let wait_us = match self.kind {
            RetryKind::None => return None,
            RetryKind::Fixed { delay_ms } => at_least(whole_us(delay_ms)),
            RetryKind::Exponential { base_ms, cap_ms } => {
                let ceiling = (base_ms * doubling(retries_done)).min(cap_ms);
                at_least(whole_us(rng.random::<f64>() * ceiling))
            }
            RetryKind::OpenAiPython => openai_python_wait_us(
                rng,
                retries_done,
                self.honour_retry_after.then_some(retry_after_us),
            )?,
        };
        // Capped at 2^63 µs (292,000 years, past any deadline) so the i64 below stays exact.
        let next = now_us.saturating_add(wait_us).min(i64::MAX as u64);
        let deadline = first_us as i64 as f64 + self.deadline_ms.min(GIVE_UP_AFTER_MS) * 1_000.0;
        (next as i64 as f64 <= deadline).then_some(next)
    }
}

/// 2^n (n capped at 1,000), built from its exponent bits: exact, and no `powi` call.
fn doubling(n: u32) -> f64 {
    f64::from_bits((1_023 + u64::from(n.min(1_000))) << 52)
}

/// A delay in ms as whole µs: + 0.5 and truncation (no libm `round`; the delay is ≥ 0), and
/// through i64, which converts in one instruction. Delays are far below 2^63 µs.
fn whole_us(delay_ms: f64) -> u64 {
    (delay_ms * 1_000.0 + 0.5) as i64 as u64
}

/// openai-python's wait before retry `n` (0-based) given the 429's retry-after (`None`: not
/// read), µs; `None`: it does not retry. See [`RetryKind::OpenAiPython`].
fn openai_python_wait_us(
    rng: &mut Xoshiro256PlusPlus,
    n: u32,
    retry_after_us: Option<u64>,
) -> Option<u64> {
    match retry_after_us {
        Some(after) if after > OPENAI_PYTHON_MAX_RETRY_AFTER_US => return None,
        Some(after) if after > 0 => return Some(after),
        _ => {}
    }
    let backoff_ms = (OPENAI_PYTHON_INITIAL_DELAY_MS * doubling(n)).min(OPENAI_PYTHON_MAX_DELAY_MS);
    Some(whole_us(backoff_ms * (1.0 - 0.25 * rng.random::<f64>())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn policy(kind: RetryKind, max_retries: u32, honour: bool) -> RetryPolicy {
        RetryPolicy {
            kind,
            max_retries,
            deadline_ms: f64::INFINITY,
            honour_retry_after: honour,
        }
    }

    #[test]
    fn fixed_delay_retry_after_and_limits() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let fixed = policy(RetryKind::Fixed { delay_ms: 250.0 }, 2, false);
        // 429 at 1 s: next attempt at 1 s + 250 ms, whatever the retry-after.
        assert_eq!(
            fixed.next_attempt(&mut rng, 1_000_000, 0, 0, 5_000_000),
            Some(1_250_000)
        );
        // Honouring a 5 s retry-after waits 5 s instead.
        let honour = policy(RetryKind::Fixed { delay_ms: 250.0 }, 2, true);
        assert_eq!(
            honour.next_attempt(&mut rng, 1_000_000, 0, 0, 5_000_000),
            Some(6_000_000)
        );
        // Two retries done of two allowed: give up.
        assert_eq!(fixed.next_attempt(&mut rng, 1_000_000, 0, 2, 0), None);
        // Deadline 1 s after first arrival at 0: an attempt at 1.25 s is too late.
        let short = RetryPolicy {
            deadline_ms: 1_000.0,
            ..fixed
        };
        assert_eq!(short.next_attempt(&mut rng, 1_000_000, 0, 0, 0), None);
        assert_eq!(
            short.next_attempt(&mut rng, 500_000, 0, 0, 0),
            Some(750_000)
        );
        // No retries at all.
        assert_eq!(RetryPolicy::NONE.next_attempt(&mut rng, 0, 0, 0, 0), None);
    }

    #[test]
    fn exponential_full_jitter_stays_under_the_capped_ceiling() {
        // Retry n waits uniform(0, min(cap, base × 2ⁿ)): base 500 ms, cap 8 s → ceilings
        // 0.5, 1, 2, 4, 8, 8 s. Over many draws the mean is half the ceiling.
        let p = policy(
            RetryKind::Exponential {
                base_ms: 500.0,
                cap_ms: 8_000.0,
            },
            10,
            false,
        );
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        for (n, ceiling_us) in [
            500_000u64, 1_000_000, 2_000_000, 4_000_000, 8_000_000, 8_000_000,
        ]
        .into_iter()
        .enumerate()
        {
            let draws = 20_000;
            let mut sum = 0u64;
            for _ in 0..draws {
                let next = p
                    .next_attempt(&mut rng, 0, 0, n as u32, 0)
                    .expect("retries");
                assert!(next <= ceiling_us, "retry {n}: {next}");
                sum += next;
            }
            let mean = sum as f64 / draws as f64;
            // Uniform mean = ceiling / 2; sd of the mean = ceiling/√12/√20000 ≈ 0.2 % of it.
            assert!(
                (mean / (ceiling_us as f64 / 2.0) - 1.0).abs() < 0.02,
                "retry {n}: mean {mean}"
            );
        }
    }

    #[test]
    fn openai_python_backoff_is_half_a_second_doubling_to_8_s_less_a_quarter_jitter() {
        // No retry-after (0): retry n waits min(0.5 × 2ⁿ, 8) s × (1 − 0.25 U), U in [0, 1), to
        // the nearest µs:
        // (375, 500] ms, (750, 1000], (1500, 2000], and from n = 4 on (6000, 8000].
        let p = policy(RetryKind::OpenAiPython, 10, true);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        for (n, top_us) in [
            (0, 500_000u64),
            (1, 1_000_000),
            (2, 2_000_000),
            (5, 8_000_000),
        ] {
            let (mut low, mut high) = (u64::MAX, 0);
            for _ in 0..20_000 {
                let next = p.next_attempt(&mut rng, 0, 0, n, 0).expect("retries");
                low = low.min(next);
                high = high.max(next);
            }
            assert!(
                low >= top_us * 3 / 4 && high <= top_us,
                "retry {n}: {low}..{high}"
            );
            // The draws fill the range: within 0.5 % of both ends.
            assert!(low < top_us * 3 / 4 + top_us / 200, "retry {n}: low {low}");
            assert!(high > top_us - top_us / 200, "retry {n}: high {high}");
        }
    }

    #[test]
    fn openai_python_waits_a_retry_after_up_to_two_minutes_as_given() {
        let p = policy(RetryKind::OpenAiPython, 2, true);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        // As given, even where the backoff would be shorter or longer: 1 ms, 30 s, 90 s (the
        // SDK before v2.52.0 ignored this one), and exactly 120 s.
        for after in [1_000u64, 30_000_000, 90_000_000, 120_000_000] {
            assert_eq!(
                p.next_attempt(&mut rng, 1_000_000, 0, 0, after),
                Some(1_000_000 + after)
            );
        }
        // Over 120 s: not retried.
        assert_eq!(p.next_attempt(&mut rng, 1_000_000, 0, 0, 120_001_000), None);
        // Two retries done of two: give up, however short the retry-after.
        assert_eq!(p.next_attempt(&mut rng, 0, 0, 2, 1_000), None);
        // With the header ignored, a 30 s retry-after leaves the backoff: (375, 500] ms.
        let deaf = policy(RetryKind::OpenAiPython, 2, false);
        let next = deaf
            .next_attempt(&mut rng, 0, 0, 0, 30_000_000)
            .expect("retries");
        assert!((375_001..=500_000).contains(&next), "{next}");
        // No deadline: a retry 110 s after the first attempt is still made.
        assert_eq!(
            p.next_attempt(&mut rng, 100_000_000, 0, 1, 10_000_000),
            Some(110_000_000)
        );
    }

    #[test]
    fn bad_values_are_named() {
        let bad = policy(RetryKind::Fixed { delay_ms: -1.0 }, 2, true);
        let err = bad.validate().expect_err("negative delay");
        assert!(err.to_string().contains("retry.delay_ms"), "{err}");
        let bad = RetryPolicy {
            deadline_ms: f64::NAN,
            ..RetryPolicy::NONE
        };
        assert!(bad.validate().is_err());
        assert!(RetryPolicy::NONE.validate().is_ok());
    }
}
