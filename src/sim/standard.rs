//! The standard (pay-as-you-go) rate limiter: a TPM running count reset each calendar minute and
//! a request count over fixed 1 s or 10 s windows (Microsoft Learn, quota "How rate limiting
//! works", S22: MicrosoftDocs/azure-ai-docs
//! articles/foundry/openai/includes/quota-2.md).
//!
//! - Tokens: a request counts `prompt + max_tokens`, the service's estimate at admission, not
//!   the billed tokens. "The estimated max-processed-token count is added to a running token
//!   count of all requests that is reset each minute. If at any time during that minute, the TPM
//!   rate limit value is reached, then further requests will receive a 429": a request is
//!   admitted while the count is below the quota, so the one that crosses it is admitted.
//! - Requests: "typically 1 or 10 seconds … rate limiting occurs for a 600-RPM deployment if
//!   more than 10 requests are received during each 1-second period": at most ⌊rpm ÷ 60⌋
//!   (1 s) or ⌊rpm ÷ 6⌋ (10 s) requests per window, at least 1; windows are aligned to
//!   multiples of their length.
//! - Every request received counts toward the request window, admitted or not ("Unsuccessful
//!   requests still count toward your per-minute rate limit", S22); only admitted requests add
//!   their tokens to the minute's running count. (Counting a refused request's tokens too is a
//!   stronger reading that Learn does not state; with it, clients retrying at the minute
//!   boundary exhaust the quota with refused requests and a deployment collapses.)
//! - A 429 carries retry-after = time to the next minute (token limit) or the next window
//!   (request limit), the later if both apply.

use crate::sim::SimError;
use crate::sim::SimParam;
use crate::sim::check::{positive, require};

const MINUTE_US: u64 = 60_000_000;

pub use crate::calc::quota::RpmWindow;

/// A standard deployment's limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StandardParams {
    /// Tokens per minute of quota.
    pub tpm_quota: f64,
    /// Requests per minute of quota (≥ 1).
    pub rpm: f64,
    /// Window the request limit is checked over.
    pub rpm_window: RpmWindow,
}

impl StandardParams {
    /// Checks the quota; errors name `field_tpm` or `field_rpm` (e.g. `spillover.rpm`).
    pub fn validate(&self, field_tpm: SimParam, field_rpm: SimParam) -> Result<(), SimError> {
        positive(field_tpm, self.tpm_quota)?;
        require(
            self.rpm.is_finite() && self.rpm >= 1.0,
            field_rpm,
            self.rpm,
            "a finite number of requests per minute at or above 1",
        )
    }

    /// Requests admitted per window: ⌊rpm ÷ 60⌋ or ⌊rpm ÷ 6⌋, at least 1.
    pub fn requests_per_window(&self) -> u64 {
        self.rpm_window.requests_per_window(self.rpm)
    }
}

/// The standard limiter's state.
#[derive(Debug, Clone)]
pub(crate) struct StandardLimiter {
    quota: f64,
    window_us: u64,
    per_window: u64,
    minute: u64,
    tokens: f64,
    window: u64,
    requests: u64,
}

impl StandardLimiter {
    /// A limiter with empty counts.
    pub(crate) fn new(params: &StandardParams) -> Self {
        StandardLimiter {
            quota: params.tpm_quota,
            window_us: params.rpm_window.length_us(),
            per_window: params.requests_per_window(),
            minute: 0,
            tokens: 0.0,
            window: 0,
            requests: 0,
        }
    }

    /// A request counting `counted` tokens (prompt + max_tokens) arrives at `now_us`: `Ok` if
    /// admitted, else the 429's retry-after in µs.
    #[inline]
    pub(crate) fn try_admit(&mut self, now_us: u64, counted: f64) -> Result<(), u64> {
        let minute = now_us / MINUTE_US;
        if minute != self.minute {
            self.minute = minute;
            self.tokens = 0.0;
        }
        let window = now_us / self.window_us;
        if window != self.window {
            self.window = window;
            self.requests = 0;
        }
        let tokens_ok = self.tokens < self.quota;
        let requests_ok = self.requests < self.per_window;
        // Refused requests count toward the request window ("Unsuccessful requests still count
        // toward your per-minute rate limit"), but only admitted ones spend tokens: counting a
        // refused request's prompt + max_tokens too would be a stronger reading of that
        // sentence, and makes retries exhaust a quota the admitted traffic never reaches.
        self.requests += 1;
        match (tokens_ok, requests_ok) {
            (true, true) => {
                self.tokens += counted;
                Ok(())
            }
            (tokens_ok, requests_ok) => {
                let to_minute = if tokens_ok {
                    0
                } else {
                    (minute + 1) * MINUTE_US - now_us
                };
                let to_window = if requests_ok {
                    0
                } else {
                    (window + 1) * self.window_us - now_us
                };
                Err(to_minute.max(to_window))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(tpm: f64, rpm: f64, rpm_window: RpmWindow) -> StandardParams {
        StandardParams {
            tpm_quota: tpm,
            rpm,
            rpm_window,
        }
    }

    #[test]
    fn a_request_refused_by_the_window_spends_no_tokens() {
        // 1,000 TPM and 60 RPM: one request per second. A (600 tokens) is admitted at 0 s, B
        // at 0.5 s is refused by the window; C (300) at 1 s is admitted because only A's 600
        // are counted (with B's 600 the count would be 1,200, over the quota); D (100) at 2 s
        // is admitted too (900 < 1,000) and reaches 1,000, so E at 3 s waits for the minute.
        let mut limiter = StandardLimiter::new(&params(1000.0, 60.0, RpmWindow::OneSecond));
        assert_eq!(limiter.try_admit(0, 600.0), Ok(()));
        assert_eq!(limiter.try_admit(500_000, 600.0), Err(500_000));
        assert_eq!(limiter.try_admit(1_000_000, 300.0), Ok(()));
        assert_eq!(limiter.try_admit(2_000_000, 100.0), Ok(()));
        assert_eq!(limiter.try_admit(3_000_000, 10.0), Err(57_000_000));
    }

    #[test]
    fn requests_per_window_from_learn_example() {
        // S22: a 600-RPM deployment on 1-second intervals allows 10 per second; 10 s → 100.
        assert_eq!(
            params(1e9, 600.0, RpmWindow::OneSecond).requests_per_window(),
            10
        );
        assert_eq!(
            params(1e9, 600.0, RpmWindow::TenSeconds).requests_per_window(),
            100
        );
        // 30 RPM on 1 s windows: ⌊0.5⌋ = 0 → at least 1.
        assert_eq!(
            params(1e9, 30.0, RpmWindow::OneSecond).requests_per_window(),
            1
        );
    }

    #[test]
    fn request_window_rejects_the_101st_until_the_next_window() {
        // 600 RPM, 10 s windows → 100 per window. 150 requests 1 ms apart from t = 2 s: the
        // first 100 pass; the 101st (at 2.100 s) waits to the window boundary at 10 s: 7.9 s.
        let mut l = StandardLimiter::new(&params(1e12, 600.0, RpmWindow::TenSeconds));
        let results: Vec<_> = (0..150u64)
            .map(|i| l.try_admit(2_000_000 + i * 1_000, 1.0))
            .collect();
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 100);
        assert_eq!(results[100], Err(7_900_000));
        // The next window admits again.
        assert_eq!(l.try_admit(10_000_000, 1.0), Ok(()));
    }

    #[test]
    fn tpm_count_resets_at_the_minute_and_the_crossing_request_passes() {
        // Quota 1,000; each request counts 300 + 100 = 400. At 1, 2, 3 s the count before is
        // 0, 400, 800 (< 1,000): all admitted, count 1,200. At 4 s: 1,200 ≥ 1,000 → 429 with
        // retry-after = 60 s − 4 s = 56 s. At 60 s the count is reset: admitted.
        let mut l = StandardLimiter::new(&params(1_000.0, 1e6, RpmWindow::OneSecond));
        for s in 1..=3u64 {
            assert_eq!(l.try_admit(s * 1_000_000, 400.0), Ok(()), "at {s} s");
        }
        assert_eq!(l.try_admit(4_000_000, 400.0), Err(56_000_000));
        assert_eq!(l.try_admit(60_000_000, 400.0), Ok(()));
    }

    #[test]
    fn both_limits_give_the_later_retry_after() {
        // Quota 100 tokens and 60 RPM on 1 s windows (1 per second). A 200-token request at
        // 30.5 s passes (count 0, 0 requests); the next at 30.7 s fails both: next window in
        // 0.3 s, next minute in 29.3 s → 29.3 s.
        let mut l = StandardLimiter::new(&params(100.0, 60.0, RpmWindow::OneSecond));
        assert_eq!(l.try_admit(30_500_000, 200.0), Ok(()));
        assert_eq!(l.try_admit(30_700_000, 200.0), Err(29_300_000));
    }

    #[test]
    fn validation_names_the_field() {
        let p = params(0.0, 600.0, RpmWindow::OneSecond);
        let err = p
            .validate(SimParam::StandardTpmQuota, SimParam::StandardRpm)
            .expect_err("zero quota");
        assert!(err.to_string().contains("standard.tpm_quota"), "{err}");
        let p = params(1000.0, 0.5, RpmWindow::OneSecond);
        let err = p
            .validate(SimParam::StandardTpmQuota, SimParam::StandardRpm)
            .expect_err("rpm below 1");
        assert!(err.to_string().contains("standard.rpm = 0.5"), "{err}");
    }
}
