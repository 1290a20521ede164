//! The pure part of `analyze`: true sliding-window peaks from per-second buckets, per-minute
//! distributions, and what they mean for PTUs and standard quota.

use serde::Serialize;

use crate::calc::cost::{CostReport, CostSettings, OptionName, cost};
use crate::calc::load::SecondBuckets;
use crate::calc::load::{LoadCurve, MinuteLoad};
use crate::calc::quota::{QuotaRule, RpmWindow, observed_quota, poisson_quota};
use crate::calc::rounding::{ceil_whole, deployable_ptu, snap};
use crate::calc::sizing::Binding;
use crate::catalog::Model;
use crate::deployment::DeploymentType;
use crate::error::InputError;
use crate::timestamp::format_second;

/// Nearest-rank percentiles of per-minute values. Field names are the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Percentiles {
    /// Median minute.
    pub p50: f64,
    /// 90th percentile minute.
    pub p90: f64,
    /// 95th percentile minute.
    pub p95: f64,
    /// 99th percentile minute.
    pub p99: f64,
    /// Busiest calendar minute.
    pub max: f64,
    /// Mean over the span.
    pub mean: f64,
}

impl Percentiles {
    fn of(values: &[f64]) -> Percentiles {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let at = |pct| crate::calc::stats::nearest_rank(&sorted, pct);
        Percentiles {
            p50: at(50.0),
            p90: at(90.0),
            p95: at(95.0),
            p99: at(99.0),
            max: at(100.0),
            mean: snap(sorted.iter().sum::<f64>() / sorted.len() as f64),
        }
    }
}

/// The largest sum in any window of `width` seconds starting on a whole second, and where it
/// starts. Some busiest window always starts at a second with requests, so checking those
/// (two pointers over the sorted seconds) is exact and linear.
pub fn window_max(
    buckets: &SecondBuckets,
    width: i64,
    value: impl Fn(&MinuteLoad) -> f64,
) -> (f64, i64) {
    let points: Vec<(i64, f64)> = buckets.iter().map(|(s, b)| (*s, value(b))).collect();
    let (mut best, mut best_start, mut sum, mut end) =
        (0.0, points.first().map_or(0, |p| p.0), 0.0, 0);
    for (start, &(second, _)) in points.iter().enumerate() {
        while end < points.len() && points[end].0 < second + width {
            sum += points[end].1;
            end += 1;
        }
        if sum > best {
            best = sum;
            best_start = second;
        }
        sum -= points[start].1;
    }
    (snap(best), best_start)
}

/// The most requests in one window of `width` seconds aligned to multiples of `width` since
/// the epoch: the windows a standard deployment's limiter counts (a replay starts at the first
/// request's minute, so its windows are these).
pub fn aligned_window_max(buckets: &SecondBuckets, width: i64) -> f64 {
    let (mut best, mut window, mut sum) = (0.0, i64::MIN, 0.0);
    for (second, load) in buckets {
        if second.div_euclid(width) != window {
            (window, sum) = (second.div_euclid(width), 0.0);
        }
        sum += load.requests;
        best = f64::max(best, sum);
    }
    snap(best)
}

/// Per calendar minute from `first_minute` (`count` minutes), the most requests in one aligned
/// window of `width` seconds, as a rate per minute (× 60 ÷ `width`): the request rate the
/// limiter's busiest window of that minute holds the quota to.
pub fn minute_window_rates(
    buckets: &SecondBuckets,
    first_minute: i64,
    count: usize,
    width: i64,
) -> Vec<f64> {
    let mut rates = vec![0.0; count];
    let (mut window, mut sum) = (i64::MIN, 0.0);
    for (second, load) in buckets {
        if second.div_euclid(width) != window {
            (window, sum) = (second.div_euclid(width), 0.0);
        }
        sum += load.requests;
        let minute = (second.div_euclid(60) - first_minute) as usize;
        if let Some(rate) = rates.get_mut(minute) {
            *rate = f64::max(*rate, sum * 60.0 / width as f64);
        }
    }
    rates
}

/// Tokens the standard limiter counts for `load` at admission: prompt + `max_tokens` per
/// request, or prompt + completion when the clients' `max_tokens` is unknown (`None`: each
/// request's own completion, what a replay sends).
pub fn admission_tokens(load: &MinuteLoad, max_tokens: Option<u32>) -> f64 {
    load.prompt + max_tokens.map_or(load.completion, |n| f64::from(n) * load.requests)
}

/// Per-minute loads from the first to the last minute with requests (empty minutes included),
/// and the first minute.
pub fn minutes(buckets: &SecondBuckets) -> (Vec<MinuteLoad>, i64) {
    let first = buckets.keys().next().map_or(0, |s| s.div_euclid(60));
    let last = buckets.keys().next_back().map_or(0, |s| s.div_euclid(60));
    let mut minutes = vec![MinuteLoad::default(); (last - first + 1) as usize];
    for (second, load) in buckets {
        minutes[(second.div_euclid(60) - first) as usize] += *load;
    }
    (minutes, first)
}

/// What the traffic means for one model. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ModelAnalysis {
    /// Catalog name.
    pub model: String,
    /// Deployment type.
    pub deployment: DeploymentType,
    /// The highest peak utilization the PTUs and quota below allow (1: none of headroom).
    pub target_utilization: f64,
    /// Per-minute normalized TPM on a provisioned deployment of this model.
    pub normalized_tpm: Percentiles,
    /// Busiest 60-second window in normalized TPM.
    pub peak_normalized_tpm: f64,
    /// PTUs for that window (at the target utilization).
    pub ptu_for_peak: u64,
    /// PTUs for the 99th percentile minute (at the target utilization).
    pub ptu_for_p99: u64,
    /// Standard RPM per 1,000 TPM (null: not published).
    pub rpm_per_1000_tpm: Option<f64>,
    /// Standard TPM quota that admits the traffic at the limiter's windows (`basis`
    /// `observed`): the busiest request window of `--rpm-window` and the busiest calendar
    /// minute of admission tokens; for per-minute input, sized for random arrivals at the
    /// busiest minute (`poisson`). In whole units of capacity, at the target utilization.
    pub standard_tpm_quota: Option<u64>,
    /// Which standard limit binds.
    pub binding: Option<Binding>,
    /// The even answer, for comparison: the busiest sliding 60 s of tokens (prompt +
    /// completion) and of requests, as if both were spread evenly over the minute.
    pub standard_tpm_quota_even: Option<u64>,
    /// How `standard_tpm_quota` was sized: `observed` or `poisson`.
    pub standard_quota_basis: Option<QuotaBasis>,
    /// The cost-optimal PTU base with spillover, from the per-minute curve (null without prices).
    pub hybrid_ptu: Option<u64>,
    /// Its monthly cost in USD (730 h, catalog prices), the log's traffic scaled from the
    /// span it stands for (`period_minutes`).
    pub hybrid_monthly_usd: Option<f64>,
    /// The share of the load that would spill to pay-as-you-go.
    pub hybrid_spill_share: Option<f64>,
}

/// How a standard quota was sized from a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotaBasis {
    /// Admits the observed busiest request window and calendar minute of tokens.
    Observed,
    /// Per-minute input: sized for random (Poisson) arrivals at the busiest minute's rate.
    Poisson,
}

/// How `analyze` sizes a model: headroom, and how standard quota is enforced and counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizingSettings {
    /// The highest peak utilization the PTUs and quota allow, in (0, 1].
    pub target_utilization: f64,
    /// The window the standard limiter counts requests over.
    pub rpm_window: RpmWindow,
    /// Highest share of first attempts a Poisson-sized quota may refuse.
    pub max_throttle: f64,
    /// `max_tokens` the clients send (None: each request's completion).
    pub max_tokens: Option<u32>,
}

/// A log's per-minute load and the span it stands for when scaled to a month.
#[derive(Debug, Clone, Copy)]
pub struct Minutes<'a> {
    /// Calendar minutes from the first request's.
    pub load: &'a [MinuteLoad],
    /// Minutes the log stands for (`--period`, else `load.len()`), at least `load.len()`:
    /// minutes beyond the log are idle.
    pub period: u64,
}

/// Sizes one model for the traffic summarized in `summary` (its token and request peaks are
/// the same for every model). `settings` prices the hybrid when prices are known.
pub fn analyze_model(
    buckets: &SecondBuckets,
    minutes: Minutes,
    summary: &TrafficSummary,
    model: &Model,
    deployment: DeploymentType,
    sizing: &SizingSettings,
    settings: Option<&CostSettings>,
) -> Result<ModelAnalysis, InputError> {
    let target_utilization = sizing.target_utilization;
    let grid = model
        .provisioned(deployment)
        .ok_or_else(|| model.not_offered(deployment))?;
    let per_minute: Vec<f64> = minutes
        .load
        .iter()
        .map(|m| snap(m.normalized(model)))
        .collect();
    let normalized = Percentiles::of(&per_minute);
    let (peak_normalized, _) = window_max(buckets, 60, |b| b.normalized(model));
    let ptu = |tpm: f64| {
        deployable_ptu(
            snap(tpm / target_utilization / model.input_tpm_per_ptu),
            grid.min_ptu,
            grid.increment,
        )
    };
    let ratio = model.rpm_per_1000_tpm_for(deployment);
    let quota = ratio.map(|r| {
        let rule = QuotaRule {
            rpm_per_1000_tpm: r,
            unit_tpm: model.quota_unit_tpm,
            window: sizing.rpm_window,
        };
        standard_quota(minutes.load, summary, &rule, sizing)
    });
    let hybrid: Option<CostReport> = match settings {
        Some(settings) => {
            let curve = LoadCurve::profile(minutes.load, minutes.period, true, true, None)?;
            Some(cost(model, &curve, settings)?)
        }
        None => None,
    };
    let hybrid = hybrid
        .as_ref()
        .and_then(|r| r.options.iter().find(|o| o.option == OptionName::Hybrid));
    Ok(ModelAnalysis {
        model: model.name.clone(),
        deployment,
        target_utilization,
        normalized_tpm: normalized,
        peak_normalized_tpm: peak_normalized,
        ptu_for_peak: ptu(peak_normalized),
        ptu_for_p99: ptu(normalized.p99),
        rpm_per_1000_tpm: ratio,
        standard_tpm_quota: quota.map(|q| q.tpm_quota),
        binding: quota.map(|q| q.binding),
        standard_tpm_quota_even: quota.map(|q| q.even),
        standard_quota_basis: quota.map(|q| q.basis),
        hybrid_ptu: hybrid.map(|o| o.ptu),
        hybrid_monthly_usd: hybrid.map(|o| o.monthly_usd),
        hybrid_spill_share: hybrid.map(|o| o.spill_share),
    })
}

/// A model's standard quota for a log.
#[derive(Debug, Clone, Copy, PartialEq)]
struct StandardAnswer {
    tpm_quota: u64,
    binding: Binding,
    even: u64,
    basis: QuotaBasis,
}

/// The standard quota under `rule` for traffic summarized in `summary` (per minute `minutes`):
/// it admits the busiest window and minute the limiter counts ([`observed_quota`]); without
/// sub-minute detail, it is sized for Poisson arrivals at the busiest minute's request count,
/// each request counting the log's mean admission tokens ([`poisson_quota`]).
fn standard_quota(
    minutes: &[MinuteLoad],
    summary: &TrafficSummary,
    rule: &QuotaRule,
    sizing: &SizingSettings,
) -> StandardAnswer {
    let headroom = 1.0 / sizing.target_utilization;
    // The old answer: sliding 60 s peaks of tokens and requests, as if spread evenly.
    let even = f64::max(
        summary.peak_tpm * headroom,
        summary.peak_rpm * headroom / rule.rpm_per_1000_tpm * 1000.0,
    );
    let window_peak = summary.peak_window_requests(rule.window);
    let (tpm_quota, binding, basis) = match window_peak {
        Some(peak) => {
            let q = observed_quota(rule, peak, summary.peak_admission_tpm, headroom);
            (q.tpm_quota, q.binding, QuotaBasis::Observed)
        }
        None => {
            let requests: f64 = minutes.iter().map(|m| m.requests).sum();
            let admission: f64 = minutes
                .iter()
                .map(|m| admission_tokens(m, sizing.max_tokens))
                .sum();
            let per_request = admission / requests.max(1.0);
            let q = poisson_quota(rule, summary.rpm.max, per_request, sizing.max_throttle);
            let tpm_quota = rule.units_up(q.tpm_quota as f64 * headroom);
            (tpm_quota, q.binding, QuotaBasis::Poisson)
        }
    };
    StandardAnswer {
        tpm_quota,
        binding,
        even: ceil_whole(even) as u64,
        basis,
    }
}

/// The traffic as a whole. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TrafficSummary {
    /// Requests.
    pub requests: f64,
    /// Prompt tokens, cached ones included.
    pub prompt_tokens: f64,
    /// Cached prompt tokens.
    pub cached_tokens: f64,
    /// Completion tokens.
    pub completion_tokens: f64,
    /// First request (RFC 3339, UTC).
    pub first: String,
    /// Last request.
    pub last: String,
    /// Calendar minutes from the first to the last request.
    pub span_minutes: u64,
    /// Requests per minute over the span.
    pub avg_rpm: f64,
    /// Tokens per minute over the span.
    pub avg_tpm: f64,
    /// Most tokens in any 60-second window starting on a whole second.
    pub peak_tpm: f64,
    /// Where that window starts.
    pub peak_tpm_at: String,
    /// Most requests in any 60-second window.
    pub peak_rpm: f64,
    /// Where that window starts.
    pub peak_rpm_at: String,
    /// Most requests in any 1-second window (null for per-minute metric exports).
    pub peak_requests_1s: Option<f64>,
    /// Most requests in any 10-second window (null for per-minute metric exports).
    pub peak_requests_10s: Option<f64>,
    /// Most requests in one 10-second window aligned to the epoch, the windows the standard
    /// limiter counts with `--rpm-window 10s` (null for per-minute metric exports).
    pub peak_requests_10s_aligned: Option<f64>,
    /// Busiest calendar minute of admission tokens: prompt + `max_tokens` (`--max-tokens`,
    /// else each request's completion), what the standard limiter counts.
    pub peak_admission_tpm: f64,
    /// Reasoning tokens, part of the completion tokens (null: the log has none).
    pub reasoning_tokens: Option<f64>,
    /// Reasoning tokens' share of the completion tokens (null: the log has none).
    pub reasoning_share: Option<f64>,
    /// 99th percentile of per-minute TPM.
    pub p99_tpm: f64,
    /// Per-minute requests.
    pub rpm: Percentiles,
    /// Per-minute tokens.
    pub tpm: Percentiles,
    /// Peak TPM ÷ average TPM.
    pub peak_to_average: f64,
}

impl TrafficSummary {
    /// The busiest request window of `window` a standard deployment checks: 1 s, or the
    /// aligned 10 s windows (None for per-minute data, which has no windows).
    pub fn peak_window_requests(&self, window: RpmWindow) -> Option<f64> {
        match window {
            RpmWindow::OneSecond => self.peak_requests_1s,
            RpmWindow::TenSeconds => self.peak_requests_10s_aligned,
        }
    }
}

/// What a summary needs besides the buckets.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SummaryInputs {
    /// The buckets are per minute (metric exports): no sub-minute detail, so the 1- and
    /// 10-second peaks are unknown.
    pub per_minute: bool,
    /// `max_tokens` the clients send (None: each request's completion).
    pub max_tokens: Option<u32>,
    /// Reasoning tokens in the log (None: it has none).
    pub reasoning: Option<f64>,
}

/// Summarizes buckets that hold at least one request.
pub fn summarize(
    buckets: &SecondBuckets,
    minutes: &[MinuteLoad],
    inputs: SummaryInputs,
) -> TrafficSummary {
    let per_minute = inputs.per_minute;
    let total = crate::calc::load::total(minutes);
    let span = minutes.len() as f64;
    let (peak_tpm, tpm_at) = window_max(buckets, 60, MinuteLoad::tokens);
    let (peak_rpm, rpm_at) = window_max(buckets, 60, |b| b.requests);
    let tpm = Percentiles::of(&minutes.iter().map(MinuteLoad::tokens).collect::<Vec<_>>());
    let avg_tpm = snap(total.tokens() / span);
    TrafficSummary {
        requests: total.requests,
        prompt_tokens: total.prompt,
        cached_tokens: total.cached,
        completion_tokens: total.completion,
        first: format_second(*buckets.keys().next().unwrap_or(&0)),
        last: format_second(*buckets.keys().next_back().unwrap_or(&0)),
        span_minutes: minutes.len() as u64,
        avg_rpm: snap(total.requests / span),
        avg_tpm,
        peak_tpm,
        peak_tpm_at: format_second(tpm_at),
        peak_rpm,
        peak_rpm_at: format_second(rpm_at),
        peak_requests_1s: (!per_minute).then(|| window_max(buckets, 1, |b| b.requests).0),
        peak_requests_10s: (!per_minute).then(|| window_max(buckets, 10, |b| b.requests).0),
        peak_requests_10s_aligned: (!per_minute).then(|| aligned_window_max(buckets, 10)),
        peak_admission_tpm: snap(
            minutes
                .iter()
                .map(|m| admission_tokens(m, inputs.max_tokens))
                .fold(0.0, f64::max),
        ),
        reasoning_tokens: inputs.reasoning,
        reasoning_share: inputs
            .reasoning
            .map(|r| snap(r / total.completion.max(1.0))),
        p99_tpm: tpm.p99,
        rpm: Percentiles::of(&minutes.iter().map(|m| m.requests).collect::<Vec<_>>()),
        tpm,
        peak_to_average: if avg_tpm > 0.0 {
            snap(peak_tpm / avg_tpm)
        } else {
            0.0
        },
    }
}

/// `--max-tokens` must allow the log's completions: a second whose requests average more
/// completion tokens than it holds a response longer than max_tokens, which the service
/// never returns.
pub fn check_max_tokens(
    buckets: &SecondBuckets,
    max_tokens: Option<u32>,
) -> Result<(), InputError> {
    let Some(max) = max_tokens else {
        return Ok(());
    };
    let over = buckets
        .iter()
        .find(|(_, b)| b.requests > 0.0 && b.completion / b.requests > f64::from(max) + 1e-9);
    match over {
        Some((second, b)) => Err(InputError::InvalidValue {
            field: "--max-tokens",
            value: max.to_string(),
            allowed: format!(
                "the log's requests at {} average {} completion tokens, more than max_tokens \
                 allows a response: give the max_tokens your clients send",
                crate::timestamp::format_second(*second),
                crate::numfmt::count((b.completion / b.requests).ceil())
            ),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(requests: f64, tokens: f64) -> MinuteLoad {
        MinuteLoad {
            requests,
            prompt: tokens,
            cached: 0.0,
            completion: 0.0,
        }
    }

    #[test]
    fn a_burst_straddling_a_minute_boundary_is_caught() {
        // 30 requests of 100 tokens in 09:00:45..09:00:59 and 30 in 09:01:00..09:01:14:
        // each calendar minute holds 3,000 tokens, but the window from 09:00:45 holds 6,000.
        let base = 1_793_610_000;
        let mut buckets = SecondBuckets::new();
        for s in 45..75 {
            buckets.insert(base + s, bucket(2.0, 200.0));
        }
        let (minutes, _) = minutes(&buckets);
        assert_eq!(
            minutes.iter().map(MinuteLoad::tokens).collect::<Vec<_>>(),
            [3000.0, 3000.0]
        );
        let summary = summarize(&buckets, &minutes, SummaryInputs::default());
        assert_eq!(summary.peak_tpm, 6000.0);
        assert_eq!(summary.peak_tpm_at, "2026-11-02T09:00:45Z");
        assert_eq!(summary.peak_rpm, 60.0);
        assert_eq!(summary.peak_requests_1s, Some(2.0));
        assert_eq!(summary.peak_requests_10s, Some(20.0));
        assert_eq!(
            summary.tpm.max, 3000.0,
            "the busiest calendar minute misses half the burst"
        );
    }

    #[test]
    fn aligned_windows_are_the_limiters() {
        // One request a second in 09:00:05..09:00:14: any 10 s from 09:00:05 holds all 10,
        // but the limiter's windows 09:00:00..09:00:09 and 09:00:10..09:00:19 hold 5 each,
        // and so does each minute's busiest window (as a rate: 5 × 6 = 30 a minute).
        let base = 1_793_610_000;
        let mut buckets = SecondBuckets::new();
        for s in 5..15 {
            buckets.insert(base + s, bucket(1.0, 10.0));
        }
        assert_eq!(window_max(&buckets, 10, |b| b.requests).0, 10.0);
        assert_eq!(aligned_window_max(&buckets, 10), 5.0);
        assert_eq!(
            minute_window_rates(&buckets, base / 60, 1, 10),
            [30.0],
            "one minute"
        );
        assert_eq!(minute_window_rates(&buckets, base / 60, 1, 1), [60.0]);
    }

    #[test]
    fn window_max_against_brute_force() {
        let mut buckets = SecondBuckets::new();
        for (s, r) in [
            (0, 3.0),
            (5, 1.0),
            (9, 4.0),
            (10, 2.0),
            (70, 9.0),
            (71, 1.0),
            (200, 5.0),
        ] {
            buckets.insert(s, bucket(r, 0.0));
        }
        for width in [1, 10, 60] {
            let brute = (-100..300)
                .map(|t| {
                    buckets
                        .range(t..t + width)
                        .map(|(_, b)| b.requests)
                        .sum::<f64>()
                })
                .fold(0.0, f64::max);
            assert_eq!(
                window_max(&buckets, width, |b| b.requests).0,
                brute,
                "width {width}"
            );
        }
    }
}

/// Load above a candidate capacity, minute by minute. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OverCapacity {
    /// What was checked, e.g. `300 PTU of gpt-4.1 (global)` or `1,000,000 TPM quota`.
    pub capacity: String,
    /// Minutes with load above it.
    pub minutes_over: u64,
    /// Share of minutes above it.
    pub minutes_over_share: f64,
    /// Requests above it: in each minute over, its requests times the share of its load above
    /// the capacity.
    pub requests_over: f64,
    /// Tokens (prompt + completion) of the requests above it: they would spill over, or be
    /// throttled without spillover.
    pub tokens_over: f64,
}

/// Per-minute load above `capacity`, measured with `load` of each minute's index and load
/// (normalized tokens for PTUs, admission tokens or requests as quota for a quota).
pub fn over_capacity(
    minutes: &[MinuteLoad],
    capacity: f64,
    label: String,
    load: impl Fn(usize, &MinuteLoad) -> f64,
) -> OverCapacity {
    let mut over = OverCapacity {
        capacity: label,
        minutes_over: 0,
        minutes_over_share: 0.0,
        requests_over: 0.0,
        tokens_over: 0.0,
    };
    for (i, m) in minutes.iter().enumerate() {
        let value = load(i, m);
        if value > capacity * (1.0 + 1e-9) {
            let share = (value - capacity) / value;
            over.minutes_over += 1;
            over.tokens_over += m.tokens() * share;
            over.requests_over += m.requests * share;
        }
    }
    over.minutes_over_share = snap(over.minutes_over as f64 / minutes.len().max(1) as f64);
    over.tokens_over = snap(over.tokens_over);
    over.requests_over = snap(over.requests_over);
    over
}

/// The traffic of one deployment or model named in the log. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct GroupAnalysis {
    /// The deployment or model as the log names it.
    pub name: String,
    /// The model the log names for it (its first value), if the log has a model column.
    pub log_model: Option<String>,
    /// Its traffic.
    pub traffic: TrafficSummary,
    /// Its sizing as the catalog model the log names (null when not in the catalog).
    pub sizing: Option<ModelAnalysis>,
}

/// The `analyze` answer. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AnalyzeReport {
    /// The traffic as a whole.
    #[serde(flatten)]
    pub summary: TrafficSummary,
    /// Per model sized (`--model`), for all the traffic.
    pub models: Vec<ModelAnalysis>,
    /// The log column that names deployments or models (null: none).
    pub group_column: Option<String>,
    /// Per deployment or model named in the log.
    pub groups: Vec<GroupAnalysis>,
    /// Candidate capacities checked (--ptu, --tpm-quota).
    pub over_capacity: Vec<OverCapacity>,
    /// The window standard quota counts requests over (`--rpm-window`): `1s` or `10s`.
    pub rpm_window: RpmWindow,
    /// The max_tokens counted per request at admission (`--max-tokens`; null: each request's
    /// completion, as a replay sends).
    pub max_tokens: Option<u32>,
    /// Minutes the log stands for, from which monthly figures scale: `--period`, else the
    /// calendar minutes from the first to the last request (`span_minutes`).
    pub period_minutes: u64,
    /// Rows read as requests.
    pub rows: u64,
    /// Rows skipped with --skip-invalid.
    pub skipped_rows: u64,
    /// The first skipped rows, as `FILE:LINE`.
    pub first_skipped: Vec<String>,
    /// Where the per-minute profile was written, if asked.
    pub profile_out: Option<String>,
    /// Requests and tokens per `service_tier` the responses report (empty: the log has no
    /// such column).
    pub service_tiers: Vec<crate::traffic::service_tiers::TierShare>,
    /// Caveats.
    pub notes: Vec<crate::note::Note>,
}
