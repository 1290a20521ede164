//! Standard (pay-as-you-go) quota that holds under Azure's enforcement, not just on average.
//!
//! Microsoft Learn, quota (S22, `articles/foundry/openai/includes/quota-2.md`, 2026-05-06):
//! - tokens: "the estimated max-processed-token count is added to a running token count of all
//!   requests that is reset each minute"; a request counts prompt + `max_tokens` (× `best_of`);
//! - requests: "evaluated over a small period of time, typically 1 or 10 seconds … rate limiting
//!   occurs for a 600-RPM deployment if more than 10 requests are received during each 1-second
//!   period";
//! - quota "is allocated in terms of units of capacity" (S21, `quota-1.md`): 1,000 TPM for most
//!   models, a catalog value per model.
//!
//! A quota sized for the average minute (RPM × tokens) throttles real traffic, whose per-second
//! and per-minute counts vary. Two answers are computed here, both in whole units of capacity:
//! - for a stated mean rate, arrivals are taken as Poisson and the quota is the smallest whose
//!   expected share of refused first attempts, from the request window plus the minute's token
//!   count, is at most a target ([`poisson_quota`]);
//! - for observed traffic, the quota admits the busiest window and the busiest calendar minute
//!   exactly ([`observed_quota`]), so replaying the log refuses nothing.
//!
//! The limiter itself (the one `simulate` runs) is `sim::standard`; both use [`RpmWindow`].

use serde::Serialize;
use statrs::function::erf::erfc;
use statrs::function::gamma::ln_gamma;

use crate::calc::rounding::{RELATIVE_TOLERANCE, ceil_whole};
use crate::calc::sizing::Binding;

/// The default highest share of first attempts a recommended quota may refuse.
pub const DEFAULT_MAX_THROTTLE: f64 = 0.01;

/// The fixed window over which a standard deployment counts requests.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub enum RpmWindow {
    /// 1-second windows: ⌊rpm ÷ 60⌋ requests each.
    #[serde(rename = "1s")]
    OneSecond,
    /// 10-second windows: ⌊rpm ÷ 6⌋ requests each.
    #[serde(rename = "10s")]
    TenSeconds,
}

impl RpmWindow {
    /// Window length, µs.
    pub fn length_us(self) -> u64 {
        self.seconds() * 1_000_000
    }

    /// Window length, s.
    pub fn seconds(self) -> u64 {
        match self {
            RpmWindow::OneSecond => 1,
            RpmWindow::TenSeconds => 10,
        }
    }

    /// Requests admitted per window at a request limit of `rpm`: ⌊rpm × length ÷ 60⌋, at
    /// least 1.
    pub fn requests_per_window(self, rpm: f64) -> u64 {
        let per = rpm * self.seconds() as f64 / 60.0;
        ((per * (1.0 + RELATIVE_TOLERANCE)).floor() as u64).max(1)
    }

    /// As written on the command line and in JSON: `1s` or `10s`.
    pub fn as_str(self) -> &'static str {
        match self {
            RpmWindow::OneSecond => "1s",
            RpmWindow::TenSeconds => "10s",
        }
    }
}

/// How a model's standard quota is granted and enforced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuotaRule {
    /// RPM granted per 1,000 TPM of quota.
    pub rpm_per_1000_tpm: f64,
    /// TPM in one unit of capacity.
    pub unit_tpm: u32,
    /// The window requests are counted over.
    pub window: RpmWindow,
}

impl QuotaRule {
    /// Requests admitted per window by a quota of `tpm`.
    pub fn requests_per_window(&self, tpm: f64) -> u64 {
        self.window
            .requests_per_window(tpm / 1000.0 * self.rpm_per_1000_tpm)
    }

    /// `tpm` rounded up to whole units of capacity.
    pub fn units_up(&self, tpm: f64) -> u64 {
        let unit = f64::from(self.unit_tpm);
        (ceil_whole(tpm / unit).max(1.0) as u64) * u64::from(self.unit_tpm)
    }

    /// The smallest quota (not rounded to units) whose window admits `requests`.
    fn tpm_for_window_requests(&self, requests: f64) -> f64 {
        requests * 60.0 / self.window.seconds() as f64 / self.rpm_per_1000_tpm * 1000.0
    }
}

/// A quota sized for Poisson arrivals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PoissonQuota {
    /// The smallest quota in whole units whose expected refused share is within the target.
    pub tpm_quota: u64,
    /// Expected share of first attempts the request window refuses at `tpm_quota`.
    pub window_throttle: f64,
    /// Expected share of first attempts the minute's token count refuses at `tpm_quota`.
    pub token_throttle: f64,
    /// Which limit needs more quota on its own: `rpm` (the window) or `tpm`.
    pub binding: Binding,
}

impl PoissonQuota {
    /// Expected share of first attempts refused: window plus tokens (an upper bound: a request
    /// refused by the window spends no tokens).
    pub fn expected_throttle(&self) -> f64 {
        self.window_throttle + self.token_throttle
    }
}

/// The smallest quota, in whole units and at least the even-arrival answer, that refuses at
/// most `max_throttle` of first attempts when requests arrive as a Poisson process at `rpm`
/// per minute, each counting `admission_tokens` (prompt + `max_tokens` × `best_of`).
/// `max_throttle` is in (0, 1).
pub fn poisson_quota(
    rule: &QuotaRule,
    rpm: f64,
    admission_tokens: f64,
    max_throttle: f64,
) -> PoissonQuota {
    let unit = u64::from(rule.unit_tpm);
    let at = |units: u64| throttle_at(rule, rpm, admission_tokens, (units * unit) as f64);
    let even = (rpm * admission_tokens).max(rpm / rule.rpm_per_1000_tpm * 1000.0);
    // Never below the even answer: with very rare requests the limiter admits one request a
    // minute whatever its size (the count starts at 0), which no one should plan on.
    let start = rule.units_up(even) / unit;
    let units = smallest_units(
        |u| {
            let (window, tokens) = at(u);
            window + tokens <= max_throttle
        },
        start,
    )
    .max(start);
    let window_only = smallest_units(|u| at(u).0 <= max_throttle, units);
    let tokens_only = smallest_units(|u| at(u).1 <= max_throttle, units);
    let (window_throttle, token_throttle) = at(units);
    PoissonQuota {
        tpm_quota: units * unit,
        window_throttle,
        token_throttle,
        binding: if window_only > tokens_only {
            Binding::Rpm
        } else {
            Binding::Tpm
        },
    }
}

/// The smallest unit count for which `ok` holds, searched below `high` (doubled until `ok`
/// holds there); `ok` must be monotone.
fn smallest_units(ok: impl Fn(u64) -> bool, high: u64) -> u64 {
    let mut high = high.max(1);
    while !ok(high) {
        high *= 2;
    }
    let mut low = 0;
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if ok(mid) { high = mid } else { low = mid }
    }
    high
}

/// Expected shares of first attempts refused by the window and by the token count at a quota
/// of `tpm`, for Poisson arrivals at `rpm` of `admission_tokens` each.
pub fn throttle_at(rule: &QuotaRule, rpm: f64, admission_tokens: f64, tpm: f64) -> (f64, f64) {
    (
        window_throttle(rule.window, rule.requests_per_window(tpm), rpm),
        token_throttle(rpm, admission_tokens, tpm),
    )
}

/// Expected share of Poisson arrivals at `rpm` that a window admitting `allowed` refuses.
fn window_throttle(window: RpmWindow, allowed: u64, rpm: f64) -> f64 {
    let per_window = rpm * window.seconds() as f64 / 60.0;
    poisson_excess(per_window, allowed as f64) / per_window
}

/// Expected share of Poisson arrivals at `rpm` that a per-minute token count of `tpm` refuses.
fn token_throttle(rpm: f64, admission_tokens: f64, tpm: f64) -> f64 {
    if admission_tokens <= 0.0 {
        return 0.0;
    }
    // Admitted while the count is below the quota: ⌈quota ÷ tokens⌉ requests a minute.
    let per_minute = ceil_whole(tpm / admission_tokens);
    poisson_excess(rpm, per_minute) / rpm
}

/// The largest mean rate (RPM) of Poisson arrivals, each counting `admission_tokens`, that a
/// quota of `tpm` serves refusing at most `max_throttle` of first attempts; the request window
/// is checked when `window` (the window and the requests it admits) is known. Never above the
/// even-arrival rate `even_rpm`.
pub fn poisson_max_rpm(
    window: Option<(RpmWindow, u64)>,
    tpm: f64,
    admission_tokens: f64,
    max_throttle: f64,
    even_rpm: f64,
) -> f64 {
    let refused = |rpm: f64| {
        window.map_or(0.0, |(w, allowed)| window_throttle(w, allowed, rpm))
            + token_throttle(rpm, admission_tokens, tpm)
    };
    let (mut low, mut high) = (0.0, even_rpm);
    if refused(high) <= max_throttle {
        return high;
    }
    for _ in 0..60 {
        let mid = (low + high) / 2.0;
        if refused(mid) <= max_throttle {
            low = mid;
        } else {
            high = mid;
        }
    }
    low
}

/// E[(N − k)⁺] for N ~ Poisson(λ): the expected number of arrivals beyond `k`.
///
/// Sums the probability mass outward from `k` with the pmf's ratio recurrence (one
/// multiplication a term), starting from p(k) computed in logs; the sum stops once terms are
/// negligible, which takes a few standard deviations of terms.
pub fn poisson_excess(lambda: f64, k: f64) -> f64 {
    if lambda <= 0.0 {
        return 0.0;
    }
    let k = k.max(0.0).floor();
    if lambda > NORMAL_ABOVE {
        return normal_excess(lambda, k);
    }
    exact_excess(lambda, k)
}

/// E[(N − k)⁺] summed exactly (see [`poisson_excess`]); `k` is a whole number ≥ 0.
fn exact_excess(lambda: f64, k: f64) -> f64 {
    let pmf_k = (k * lambda.ln() - lambda - ln_gamma(k + 1.0)).exp();
    if k >= lambda {
        // Σ_{n>k} (n − k) p(n).
        let (mut sum, mut p, mut n) = (0.0, pmf_k, k);
        loop {
            n += 1.0;
            p *= lambda / n;
            let term = (n - k) * p;
            sum += term;
            if term <= sum * 1e-17 || p == 0.0 {
                return sum;
            }
        }
    }
    // E[N − k] + Σ_{n<k} (k − n) p(n).
    let (mut sum, mut p, mut n) = (0.0, pmf_k, k);
    while n > 0.0 {
        p *= n / lambda;
        n -= 1.0;
        let term = (k - n) * p;
        sum += term;
        if term <= sum * 1e-17 && n < lambda {
            break;
        }
    }
    lambda - k + sum
}

/// Mean above which [`poisson_excess`] uses the normal approximation: the exact sum takes
/// about ten standard deviations of terms (10,000 here), and above it the two agree within
/// 1% out to 3 standard deviations (checked in the tests), past any tail a target reaches.
const NORMAL_ABOVE: f64 = 1e6;

/// E[(X − k)⁺] for X ~ N(λ, λ) with a continuity correction: σ φ(z) − (k + ½ − λ) Q(z),
/// z = (k + ½ − λ) ÷ σ.
fn normal_excess(lambda: f64, k: f64) -> f64 {
    let sigma = lambda.sqrt();
    let gap = k + 0.5 - lambda;
    let z = gap / sigma;
    let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let upper_tail = 0.5 * erfc(z / std::f64::consts::SQRT_2);
    (sigma * density - gap * upper_tail).max(0.0)
}

/// A quota sized for observed traffic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObservedQuota {
    /// The smallest quota in whole units that admits every request of the traffic.
    pub tpm_quota: u64,
    /// Which binds: the busiest request window (`Rpm`) or the busiest minute's tokens (`Tpm`).
    pub binding: Binding,
}

/// The quota that admits traffic whose busiest request window (of `rule.window`) holds
/// `peak_window_requests` and whose busiest calendar minute counts `peak_minute_tokens`
/// admission tokens; `headroom` (≥ 1) multiplies both.
pub fn observed_quota(
    rule: &QuotaRule,
    peak_window_requests: f64,
    peak_minute_tokens: f64,
    headroom: f64,
) -> ObservedQuota {
    let tpm_for_requests = rule.tpm_for_window_requests(peak_window_requests * headroom);
    let tpm_for_tokens = peak_minute_tokens * headroom;
    let (need, binding) = if tpm_for_requests > tpm_for_tokens {
        (tpm_for_requests, Binding::Rpm)
    } else {
        (tpm_for_tokens, Binding::Tpm)
    };
    ObservedQuota {
        tpm_quota: rule.units_up(need),
        binding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(ratio: f64, window: RpmWindow) -> QuotaRule {
        QuotaRule {
            rpm_per_1000_tpm: ratio,
            unit_tpm: 1000,
            window,
        }
    }

    /// E[(N − k)⁺] by brute force over the pmf.
    fn brute_excess(lambda: f64, k: u64) -> f64 {
        let mut p = (-lambda).exp();
        let mut sum = 0.0;
        for n in 0..2000u64 {
            if n > 0 {
                p *= lambda / n as f64;
            }
            if n > k {
                sum += (n - k) as f64 * p;
            }
        }
        sum
    }

    #[test]
    fn poisson_excess_matches_brute_force() {
        for lambda in [0.1, 1.0, 5.0, 37.5, 300.0] {
            for k in [0u64, 1, 3, 5, 10, 40, 300, 340] {
                let fast = poisson_excess(lambda, k as f64);
                let slow = brute_excess(lambda, k);
                assert!(
                    (fast - slow).abs() <= 1e-9 * slow.max(1e-6),
                    "λ {lambda}, k {k}: {fast} vs {slow}"
                );
            }
        }
        // E[(N − 0)⁺] = λ; λ = 0.1, k = 1: λ − 1 + e^−λ = 0.004837…
        assert!((poisson_excess(1e4, 0.0) - 1e4).abs() < 1e-6);
        assert!((poisson_excess(1e6, 0.0) - 1e6).abs() < 1.0);
        assert!((poisson_excess(0.1, 1.0) - (0.1 - 1.0 + (-0.1f64).exp())).abs() < 1e-12);
    }

    #[test]
    fn the_normal_approximation_agrees_where_it_takes_over() {
        // At λ = 10⁶ (σ = 1,000) the exact sum and the approximation give the same expected
        // excess within 1% from k = λ − 2σ to λ + 3σ, where the refused share is 4 × 10⁻⁷,
        // far below the smallest --max-throttle (0.01%).
        let lambda = NORMAL_ABOVE;
        for sigmas in [-2.0, 0.0, 1.0, 2.0, 3.0] {
            let k = (lambda + sigmas * lambda.sqrt()).floor();
            let (exact, approx) = (exact_excess(lambda, k), normal_excess(lambda, k));
            assert!(
                (approx - exact).abs() <= 0.01 * exact,
                "{sigmas}σ: {approx} vs {exact}"
            );
        }
    }

    #[test]
    fn windows_admit_the_documented_counts() {
        // S22: a 600-RPM deployment is throttled above 10 requests in a 1-second period.
        assert_eq!(RpmWindow::OneSecond.requests_per_window(600.0), 10);
        assert_eq!(RpmWindow::TenSeconds.requests_per_window(600.0), 100);
        assert_eq!(RpmWindow::OneSecond.requests_per_window(59.0), 1);
        // 6 RPM per 1,000 TPM: 100,000 TPM is 600 RPM, 10 a second.
        assert_eq!(
            rule(6.0, RpmWindow::OneSecond).requests_per_window(100_000.0),
            10
        );
    }

    #[test]
    fn units_round_up() {
        let mut r = rule(1.0, RpmWindow::OneSecond);
        assert_eq!(r.units_up(360_000.0), 360_000);
        assert_eq!(r.units_up(360_001.0), 361_000);
        assert_eq!(r.units_up(0.5), 1000);
        r.unit_tpm = 6000;
        assert_eq!(r.units_up(3_000_001.0), 3_006_000);
    }

    #[test]
    fn gpt_5_1_at_300_rpm_needs_more_than_the_even_answer() {
        // Issue 11: 300 RPM × (1,000 + 200) is 360,000 TPM on average; the per-minute count
        // is Poisson(300) (sd 17.3), so 360,000 refuses ≈ 2.3% of first attempts (E[(N −
        // 300)⁺] ≈ 6.9). At 10 RPM per 1,000 TPM the 1-second window (60 a second) never binds.
        let r = rule(10.0, RpmWindow::OneSecond);
        let (window, tokens) = throttle_at(&r, 300.0, 1200.0, 360_000.0);
        assert!(window < 1e-12, "{window}");
        assert!((0.02..0.026).contains(&tokens), "{tokens}");
        let quota = poisson_quota(&r, 300.0, 1200.0, 0.01);
        assert_eq!(quota.binding, Binding::Tpm);
        // The smallest whole-unit quota within 1%, and one unit less is over it.
        assert!(quota.expected_throttle() <= 0.01);
        let (w, t) = throttle_at(&r, 300.0, 1200.0, (quota.tpm_quota - 1000) as f64);
        assert!(w + t > 0.01);
        assert!(
            (368_000..=376_000).contains(&quota.tpm_quota),
            "{}",
            quota.tpm_quota
        );
    }

    #[test]
    fn one_rpm_per_1000_tpm_binds_on_the_one_second_window() {
        // gpt-4.1 (1 RPM per 1,000 TPM), 300 RPM of 1,200 tokens: the even answer is 360,000
        // TPM = 360 RPM = 6 a second, but Poisson(5) exceeds 6 in a second often (by hand:
        // E[(N − 6)⁺] = Σ (n − 6) p(n) ≈ 0.104 + 2 × 0.065 + 3 × 0.036 + … ≈ 0.49, 9.9% of
        // requests): the window binds.
        let r = rule(1.0, RpmWindow::OneSecond);
        let (window, _) = throttle_at(&r, 300.0, 1200.0, 360_000.0);
        assert!((0.095..0.1).contains(&window), "{window}");
        let quota = poisson_quota(&r, 300.0, 1200.0, 0.01);
        assert_eq!(quota.binding, Binding::Rpm);
        assert!(quota.expected_throttle() <= 0.01);
        // A 10-second window averages out: far less quota.
        let ten = poisson_quota(&rule(1.0, RpmWindow::TenSeconds), 300.0, 1200.0, 0.01);
        assert!(ten.tpm_quota < quota.tpm_quota);
    }

    #[test]
    fn the_largest_random_rate_inverts_the_quota() {
        // 840,000 TPM at 1 RPM per 1,000 TPM admits 14 a second: Poisson arrivals stay within
        // 1% up to about 500 RPM (8.33 a second refuses 0.54%, see the gpt-4.1 size test), and
        // the rate found is where the share reaches the target.
        let r = rule(1.0, RpmWindow::OneSecond);
        let window = Some((r.window, r.requests_per_window(840_000.0)));
        let rpm = poisson_max_rpm(window, 840_000.0, 800.0, 0.01, 840.0);
        assert!((500.0..840.0).contains(&rpm), "{rpm}");
        let (w, t) = throttle_at(&r, rpm, 800.0, 840_000.0);
        assert!((w + t - 0.01).abs() < 1e-6, "{}", w + t);
        // Without a window only the minute's tokens count; a quota with room to spare is
        // capped at the even rate.
        assert_eq!(poisson_max_rpm(None, 1e9, 1.0, 0.01, 100.0), 100.0);
    }

    #[test]
    fn observed_quota_admits_the_busiest_second_and_minute() {
        // 62 requests in one second at 6 RPM per 1,000 TPM need 62 × 60 ÷ 6 × 1,000 = 620,000.
        let r = rule(6.0, RpmWindow::OneSecond);
        let q = observed_quota(&r, 62.0, 80_177.0, 1.0);
        assert_eq!(q.tpm_quota, 620_000);
        assert_eq!(q.binding, Binding::Rpm);
        let q = observed_quota(&r, 2.0, 80_177.0, 1.0);
        assert_eq!(q.tpm_quota, 81_000);
        assert_eq!(q.binding, Binding::Tpm);
        // The quota's own window admits the peak, one unit less does not.
        let q = observed_quota(&r, 62.0, 0.0, 1.0);
        assert!(r.requests_per_window(q.tpm_quota as f64) >= 62);
        assert!(r.requests_per_window((q.tpm_quota - 1000) as f64) < 62);
    }
}
