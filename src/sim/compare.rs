//! Candidates side by side for `simulate`: each candidate's simulation next to the naive
//! "busiest minute ÷ capacity" estimate, with the pay-as-you-go cost of its spillover.

use serde::Serialize;

use crate::calc::load::MinuteLoad;
use crate::calc::rounding::snap;
use crate::calc::service_tier::ServiceTier;
use crate::catalog::TokenPrices;
use crate::sim::{MinuteStats, SimReport, TokenTotals};

/// What one candidate deployment is, for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// E.g. `150 PTU` or `300K TPM`.
    pub label: String,
    /// PTUs (provisioned candidates).
    pub ptu: Option<f64>,
    /// TPM quota (standard candidates).
    pub tpm_quota: Option<f64>,
    /// Its capacity in the unit the naive estimate divides by: normalized TPM for PTUs, TPM
    /// for a quota.
    pub capacity_tpm: f64,
    /// Standard request limit per minute (standard candidates).
    pub rpm_limit: Option<f64>,
    /// TPM quota of the spillover deployment (provisioned candidates).
    pub spillover_tpm_quota: Option<f64>,
    /// The tier its requests are sent with (standard candidates sent as flex or priority).
    pub tier: Option<ServiceTier>,
}

/// The busiest 60 seconds of the offered traffic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OfferedPeaks {
    /// Most tokens (prompt + completion) in any 60 s.
    pub peak_tpm: f64,
    /// Most normalized tokens (the model's PTU weighting) in any 60 s.
    pub peak_normalized_tpm: f64,
    /// Most requests in any 60 s.
    pub peak_rpm: f64,
    /// Most tokens a standard deployment counts at admission (prompt + max_tokens) in any
    /// 60 s.
    pub peak_admission_tpm: f64,
}

/// One candidate's outcome. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CandidateResult {
    /// E.g. `150 PTU` or `300K TPM`.
    pub label: String,
    /// `provisioned`, `standard`, or the tier a standard deployment's requests are sent with:
    /// `flex` or `priority`.
    pub kind: &'static str,
    /// PTUs (null for standard).
    pub ptu: Option<f64>,
    /// TPM quota (null for provisioned).
    pub tpm_quota: Option<f64>,
    /// Standard request limit per minute (null for provisioned).
    pub rpm_limit: Option<f64>,
    /// TPM quota of the spillover deployment (null: none).
    pub spillover_tpm_quota: Option<f64>,
    /// The naive estimate: busiest 60 s of offered load ÷ capacity (above 1: "too small"):
    /// normalized tokens for PTUs; for a quota, prompt + max_tokens as admission counts them,
    /// or requests against the RPM limit, whichever is higher.
    pub naive_peak_to_capacity: f64,
    /// Requests offered.
    pub requests: u64,
    /// Requests served.
    pub served: u64,
    /// Requests served by spillover.
    pub served_by_spillover: u64,
    /// Tokens of the requests served (by the PTU, the standard deployment or spillover).
    pub served_tokens: TokenTotals,
    /// Served by spillover ÷ served.
    pub spillover_share: f64,
    /// Requests whose first attempt got a 429.
    pub first_attempt_throttled: u64,
    /// That ÷ requests.
    pub first_attempt_429_rate: f64,
    /// Requests that gave up (429 after the last retry or past the deadline).
    pub throttled_final: u64,
    /// That ÷ requests.
    pub final_429_rate: f64,
    /// Attempts, retries included.
    pub attempts: u64,
    /// Attempts ÷ requests (retry amplification).
    pub attempts_per_request: f64,
    /// Requests served by flex capacity (flex candidates; the rest by standard).
    pub served_by_flex: u64,
    /// Flex attempts refused for want of capacity, resent as standard (not billed).
    pub flex_refused: u64,
    /// Requests served by priority processing (priority candidates).
    pub served_by_priority: u64,
    /// Requests sent as priority but served, and billed, as standard (ramp limit, long
    /// prompts).
    pub downgraded: u64,
    /// Latency of served requests incl. 429 waits and backoff, ms (null: none served). The
    /// percentiles are the midpoints of log-histogram buckets 1/128 of an octave wide (within
    /// 0.39 % of the exact value, see [`crate::sim::histogram`]); the maximum is exact.
    pub latency_p50_ms: Option<f64>,
    /// 95th percentile.
    pub latency_p95_ms: Option<f64>,
    /// 99th percentile.
    pub latency_p99_ms: Option<f64>,
    /// Slowest.
    pub latency_max_ms: Option<f64>,
    /// Per-minute utilization, median minute.
    pub utilization_p50: Option<f64>,
    /// 99th percentile minute.
    pub utilization_p99: Option<f64>,
    /// Busiest minute.
    pub utilization_max: Option<f64>,
    /// Share of minutes above 85% utilization (the usual alert threshold).
    pub minutes_above_85_share: Option<f64>,
    /// Tokens served by spillover.
    pub spillover_tokens: TokenTotals,
    /// Their pay-as-you-go cost for the simulated span, USD (cached tokens without a cached
    /// price at the input price; null: no catalog prices).
    pub spillover_usd: Option<f64>,
    /// A month at this traffic, USD: PTUs on a 1-year reservation plus spillover, or the
    /// served tokens pay-as-you-go; the simulated span repeated for 730 hours (null: no
    /// catalog prices).
    pub monthly_usd: Option<f64>,
    /// Per-minute utilization, 429s and served requests: for the plot, and in the JSON with
    /// `--per-minute` (left out when empty).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub minutes: Vec<MinuteStats>,
}

/// What a candidate costs: token prices (USD per million) and one PTU's monthly price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pricing {
    /// Pay-as-you-go token prices.
    pub tokens: TokenPrices,
    /// One PTU for a month (on a 1-year reservation).
    pub ptu_month: f64,
    /// Flex token prices (None: not priced).
    pub flex: Option<TokenPrices>,
    /// Priority token prices (None: not priced).
    pub priority: Option<TokenPrices>,
    /// Months in the simulated span (its seconds ÷ 730 hours'): spans scale by its inverse.
    pub months: f64,
}

/// Puts one simulation next to its naive estimate and prices it with `pricing`.
pub fn result(
    candidate: &Candidate,
    report: SimReport,
    peaks: &OfferedPeaks,
    pricing: Option<&Pricing>,
) -> CandidateResult {
    let prices = pricing.map(|p| &p.tokens);
    let share = |part: u64, whole: u64| {
        if whole == 0 {
            0.0
        } else {
            snap(part as f64 / whole as f64)
        }
    };
    let spill = report.spillover_tokens;
    let spillover_usd = prices.map(|p| {
        let load = MinuteLoad {
            requests: report.served_by_spillover as f64,
            prompt: spill.prompt as f64,
            cached: spill.cached as f64,
            completion: spill.completion as f64,
        };
        snap(load.payg_usd(p))
    });
    let latency = report.latency_ms;
    let utilization = report.utilization;
    CandidateResult {
        label: candidate.label.clone(),
        kind: match (candidate.ptu, candidate.tier) {
            (Some(_), _) => "provisioned",
            (None, Some(tier)) => tier.as_str(),
            (None, None) => "standard",
        },
        ptu: candidate.ptu,
        tpm_quota: candidate.tpm_quota,
        rpm_limit: candidate.rpm_limit,
        spillover_tpm_quota: candidate.spillover_tpm_quota,
        naive_peak_to_capacity: snap(naive_peak_to_capacity(candidate, peaks)),
        requests: report.requests,
        served: report.served,
        served_by_spillover: report.served_by_spillover,
        served_tokens: report.served_tokens,
        spillover_share: share(report.served_by_spillover, report.served),
        first_attempt_throttled: report.first_attempt_throttled,
        first_attempt_429_rate: share(report.first_attempt_throttled, report.requests),
        throttled_final: report.throttled_final,
        final_429_rate: share(report.throttled_final, report.requests),
        attempts: report.attempts,
        attempts_per_request: snap(report.attempts_per_request),
        served_by_flex: report.served_by_flex,
        flex_refused: report.flex_refused,
        served_by_priority: report.served_by_priority,
        downgraded: report.downgraded,
        latency_p50_ms: latency.map(|l| snap(l.p50)),
        latency_p95_ms: latency.map(|l| snap(l.p95)),
        latency_p99_ms: latency.map(|l| snap(l.p99)),
        latency_max_ms: latency.map(|l| snap(l.max)),
        utilization_p50: utilization.map(|u| snap(u.p50)),
        utilization_p99: utilization.map(|u| snap(u.p99)),
        utilization_max: utilization.map(|u| snap(u.max)),
        minutes_above_85_share: utilization.map(|u| snap(u.share_above_85)),
        spillover_tokens: spill,
        spillover_usd,
        monthly_usd: pricing.and_then(|p| monthly_usd(candidate, &report, p, spillover_usd)),
        minutes: report.minutes,
    }
}

/// The naive estimate: the offered peak over the candidate's capacity (normalized TPM for
/// PTUs; admission TPM, or the peak RPM over the RPM limit if higher, for a quota).
fn naive_peak_to_capacity(candidate: &Candidate, peaks: &OfferedPeaks) -> f64 {
    match (candidate.ptu, candidate.rpm_limit) {
        (Some(_), _) => peaks.peak_normalized_tpm / candidate.capacity_tpm,
        (None, Some(rpm)) => {
            (peaks.peak_admission_tpm / candidate.capacity_tpm).max(peaks.peak_rpm / rpm)
        }
        (None, None) => peaks.peak_admission_tpm / candidate.capacity_tpm,
    }
}

/// The candidate's month: PTUs for the month plus the spill, or the served tokens, scaled
/// from the simulated span (None: a tier served some and has no price).
fn monthly_usd(
    candidate: &Candidate,
    report: &SimReport,
    pricing: &Pricing,
    spillover_usd: Option<f64>,
) -> Option<f64> {
    let per_month = |usd: f64| usd / pricing.months;
    let usd = match candidate.ptu {
        Some(ptu) => ptu * pricing.ptu_month + per_month(spillover_usd.unwrap_or(0.0)),
        None => per_month(tokens_usd(report, pricing)?),
    };
    Some(crate::calc::rounding::cents(usd))
}

/// What a standard candidate's served tokens cost: those its tier served at the tier's prices,
/// the rest at standard prices (None: a tier served some and has no price).
fn tokens_usd(report: &SimReport, pricing: &Pricing) -> Option<f64> {
    let load = |requests: u64, t: TokenTotals| MinuteLoad {
        requests: requests as f64,
        prompt: t.prompt as f64,
        cached: t.cached as f64,
        completion: t.completion as f64,
    };
    let served = load(report.served, report.served_tokens);
    let tiered = [
        (report.served_by_flex, report.flex_tokens, pricing.flex),
        (
            report.served_by_priority,
            report.priority_tokens,
            pricing.priority,
        ),
    ];
    // A tier that served requests and has no price leaves the month unpriced.
    tiered.into_iter().try_fold(
        served.payg_usd(&pricing.tokens),
        |usd, (n, tokens, prices)| match (prices, n) {
            (_, 0) => Some(usd),
            (Some(prices), _) => {
                let part = load(n, tokens);
                Some(usd - part.payg_usd(&pricing.tokens) + part.payg_usd(&prices))
            }
            (None, _) => None,
        },
    )
}

/// Where offered requests come from (the report says it in words: `render::prose`).
#[derive(Debug, Clone, PartialEq)]
pub enum TrafficSource {
    /// A log replayed.
    Replay {
        /// The log, as given.
        path: String,
        /// How much faster than logged.
        speedup: f64,
    },
    /// Seeded synthetic traffic.
    Synthetic(SyntheticTraffic),
}

/// Seeded synthetic traffic: Poisson arrivals at a mean rate, with its pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticTraffic {
    /// Mean requests per minute.
    pub rpm: f64,
    /// Seconds simulated.
    pub duration_s: f64,
    /// The daily pattern's peak factor and its hour (UTC), if any.
    pub daily_peak: Option<(f64, u8)>,
    /// Reasoning tokens in each completion, if any.
    pub reasoning_tokens: Option<f64>,
    /// Bursts: start (s), length (s) and rate factor.
    pub bursts: Vec<(f64, f64, f64)>,
}

/// The offered traffic, measured while the first candidate ran. Field names are the JSON
/// contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OfferedTraffic {
    /// Where the requests come from, in words.
    pub source: TrafficSource,
    /// Requests offered.
    pub requests: f64,
    /// Seconds from the first to the last request's second, inclusive.
    pub span_seconds: u64,
    /// The simulated duration, s: `--duration` for synthetic traffic; for a replay, the log's
    /// span (from its first to its last second, inclusive) divided by `--speedup`.
    pub duration_seconds: f64,
    /// Requests per minute over the simulated duration (`duration_seconds`), not the span from
    /// the first to the last request: quiet hours at the ends of a daily pattern count.
    pub mean_rpm: f64,
    /// Prompt tokens offered, cached included.
    pub prompt_tokens: f64,
    /// Cached prompt tokens.
    pub cached_tokens: f64,
    /// Completion tokens offered.
    pub completion_tokens: f64,
    /// Its busiest 60 seconds.
    #[serde(flatten)]
    pub peaks: OfferedPeaks,
}

/// How the simulated clients back off after a 429.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backoff {
    /// No retries: the first 429 is final.
    None,
    /// openai-python's defaults: retry-after as given up to 2 min (longer: no retry), else
    /// 0.5 s doubling up to 8 s, less up to 25% jitter.
    OpenAiPython,
    /// The same delay before every retry.
    Fixed {
        /// Delay before a retry, s.
        delay_s: f64,
    },
    /// A random delay up to `delay_s` × 2^retry, at most `cap_s` (full jitter).
    Exponential {
        /// The first backoff's upper bound, s.
        delay_s: f64,
        /// The longest backoff, s.
        cap_s: f64,
    },
}

/// The clients' retry policy, as the report states it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClientPolicy {
    /// How clients back off.
    pub backoff: Backoff,
    /// Retries after the first attempt (0 without retries).
    pub max_retries: u32,
    /// Whether clients ignore the retry-after header.
    pub ignore_retry_after: bool,
    /// When clients give up on a request, s from its first attempt (`None`: never).
    pub deadline_s: Option<f64>,
}

/// The service time of every request.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceTime {
    /// Time to first token, s.
    pub ttft_s: f64,
    /// Completion tokens generated per second.
    pub tokens_per_second: f64,
    /// The catalog's latency target the speed comes from (`None` when `--tokens-per-second`
    /// set it, or the catalog has none).
    pub catalog_target: Option<CatalogLatencyTarget>,
}

/// A catalog latency target the simulated speed was taken from.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogLatencyTarget {
    /// The target as the catalog states it.
    pub target: String,
    /// Whether it is the PTU target, assumed for standard deployments too.
    pub assumed_for_standard: bool,
}

/// What the limiters assume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimiterAssumptions {
    /// The window standard deployments count requests over, s (`None`: no standard candidate
    /// and no spillover).
    pub standard_rpm_window_s: Option<u64>,
    /// The capacity a provisioned deployment's leaky bucket holds at 100% utilization, as
    /// time at full rate, s (`None`: no provisioned candidate).
    pub ptu_bucket_s: Option<f64>,
}

/// The `simulate` answer. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SimulateReport {
    /// Catalog model name.
    pub model: String,
    /// Deployment type.
    pub deployment: crate::deployment::DeploymentType,
    /// The traffic offered to every candidate.
    pub traffic: OfferedTraffic,
    /// The clients' retry policy, in words.
    pub client: ClientPolicy,
    /// Service time, in words.
    pub service: ServiceTime,
    /// Limiter assumptions, in words.
    pub limiters: LimiterAssumptions,
    /// Seed of the traffic and the jitter.
    pub seed: u64,
    /// Where the request shape's prompt/completion split came from (null for a replay, whose
    /// log gives both); `assumed_all_prompt` means `--tokens` was counted as prompt.
    pub token_split: Option<crate::calc::workload::TokenSplit>,
    /// One entry per candidate deployment, in the order given.
    pub candidates: Vec<CandidateResult>,
    /// Caveats.
    pub notes: Vec<crate::note::Note>,
}
