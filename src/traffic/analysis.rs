//! The pure part of `analyze`: true sliding-window peaks from per-second buckets, per-minute
//! distributions, and what they mean for PTUs and standard quota.

use serde::Serialize;

use crate::calc::cost::{CostReport, CostSettings, OptionName, cost};
use crate::calc::load::{LoadCurve, MinuteLoad};
use crate::calc::rounding::{ceil_whole, deployable_ptu, snap};
use crate::calc::sizing::Binding;
use crate::catalog::Model;
use crate::deployment::DeploymentType;
use crate::error::InputError;
use crate::timestamp::format_second;
use crate::traffic::log::SecondBuckets;

/// Nearest-rank percentiles of per-minute values. Field names are the JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Standard TPM quota for the busiest 60-second windows of tokens and of requests.
    pub standard_tpm_quota: Option<u64>,
    /// Which standard limit binds.
    pub binding: Option<Binding>,
    /// The cost-optimal PTU base with spillover, from the per-minute curve (null without prices).
    pub hybrid_ptu: Option<u64>,
    /// Its monthly cost in USD (730 h, catalog prices), the log's traffic scaled from the
    /// span it stands for (`period_minutes`).
    pub hybrid_monthly_usd: Option<f64>,
    /// The share of the load that would spill to pay-as-you-go.
    pub hybrid_spill_share: Option<f64>,
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
    target_utilization: f64,
    settings: Option<&CostSettings>,
) -> Result<ModelAnalysis, InputError> {
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
    let (peak_tokens, peak_requests) = (
        summary.peak_tpm / target_utilization,
        summary.peak_rpm / target_utilization,
    );
    let ratio = model.rpm_per_1000_tpm_for(deployment);
    let quota = ratio.map(|r| {
        let for_requests = peak_requests / r * 1000.0;
        if for_requests > peak_tokens {
            (ceil_whole(for_requests) as u64, Binding::Rpm)
        } else {
            (ceil_whole(peak_tokens) as u64, Binding::Tpm)
        }
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
        standard_tpm_quota: quota.map(|q| q.0),
        binding: quota.map(|q| q.1),
        hybrid_ptu: hybrid.map(|o| o.ptu),
        hybrid_monthly_usd: hybrid.map(|o| o.monthly_usd),
        hybrid_spill_share: hybrid.map(|o| o.spill_share),
    })
}

/// The traffic as a whole. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// 99th percentile of per-minute TPM.
    pub p99_tpm: f64,
    /// Per-minute requests.
    pub rpm: Percentiles,
    /// Per-minute tokens.
    pub tpm: Percentiles,
    /// Peak TPM ÷ average TPM.
    pub peak_to_average: f64,
}

/// Summarizes buckets that hold at least one request. `per_minute` buckets (metric exports)
/// have no sub-minute detail, so their 1- and 10-second peaks are unknown.
pub fn summarize(
    buckets: &SecondBuckets,
    minutes: &[MinuteLoad],
    per_minute: bool,
) -> TrafficSummary {
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
        let summary = summarize(&buckets, &minutes, false);
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// Per-minute load above `capacity`, measured with `load` (normalized tokens for PTUs, tokens
/// for a quota).
pub fn over_capacity(
    minutes: &[MinuteLoad],
    capacity: f64,
    label: String,
    load: impl Fn(&MinuteLoad) -> f64,
) -> OverCapacity {
    let mut over = OverCapacity {
        capacity: label,
        minutes_over: 0,
        minutes_over_share: 0.0,
        requests_over: 0.0,
        tokens_over: 0.0,
    };
    for m in minutes {
        let value = load(m);
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Caveats.
    pub notes: Vec<String>,
}
