//! The report: the candidates side by side, with the assumptions, priced, and plotted.

use crate::calc::cost::{DEFAULT_HOURS_PER_MONTH, Term};
use crate::calc::load::MinuteLoad;
use crate::calc::prices::{self};
use crate::calc::rounding::snap;
use crate::calc::workload::TokenSplit;
use crate::catalog::{Model, TokenPrices};
use crate::cli::{RetryArg, RpmWindowArg, SimulateArgs};
use crate::note::Note;
use crate::render::plot;
use crate::sim::compare::{self, Candidate, CandidateResult, OfferedPeaks};
use crate::traffic;
use crate::traffic::analysis;

use super::candidates::has_standard_candidates;
use super::offered::Offered;
use super::{DEFAULT_MAX_RETRIES, DEFAULT_RETRY_CAP_S, DEFAULT_RETRY_DELAY_S, deadline_s};

/// What the report needs beyond the flags and the runs.
pub(super) struct ReportParts<'a> {
    pub(super) model: &'a Model,
    pub(super) offered: &'a Offered,
    pub(super) prices: Option<prices::ResolvedPrices>,
    /// Flex and priority token prices, where priced.
    pub(super) tier_prices: (Option<TokenPrices>, Option<TokenPrices>),
    pub(super) standard_speed_assumed: bool,
    pub(super) tokens_per_second: f64,
    pub(super) token_split: Option<TokenSplit>,
    pub(super) has_ptus: bool,
}

/// The `simulate` report: the offered traffic, its peaks, and each candidate's result priced
/// for a month.
pub(super) fn simulate_report(
    args: &SimulateArgs,
    parts: ReportParts,
    results: Vec<(&Candidate, crate::sim::SimReport)>,
    measured: &traffic::OfferedLoad,
    notes: Vec<Note>,
) -> compare::SimulateReport {
    let model = parts.model;
    let (offered, counted) = (&measured.offered, &measured.counted);
    let total = crate::calc::load::total(offered.values());
    let peaks = OfferedPeaks {
        peak_tpm: analysis::window_max(offered, 60, MinuteLoad::tokens).0,
        peak_normalized_tpm: analysis::window_max(offered, 60, |b| b.normalized(model)).0,
        peak_rpm: analysis::window_max(offered, 60, |b| b.requests).0,
        peak_admission_tpm: analysis::window_max(counted, 60, |b| b.prompt).0,
    };
    let span_seconds = offered
        .keys()
        .next_back()
        .zip(offered.keys().next())
        .map_or(0, |(last, first)| last - first + 1);
    let pricing = parts.prices.as_ref().map(|p| compare::Pricing {
        tokens: p.tokens,
        ptu_month: p.ptu.per_ptu_month(Term::OneYear, DEFAULT_HOURS_PER_MONTH),
        flex: parts.tier_prices.0,
        priority: parts.tier_prices.1,
        // Synthetic traffic lasts --duration; a replay, the log's span.
        months: match args.replay {
            Some(_) => span_seconds as f64,
            None => args.duration,
        } / (DEFAULT_HOURS_PER_MONTH * 3600.0),
    });
    let candidates = results
        .into_iter()
        .map(|(candidate, report)| compare::result(candidate, report, &peaks, pricing.as_ref()))
        .collect();
    compare::SimulateReport {
        model: model.name.clone(),
        deployment: args.deployment,
        traffic: compare::OfferedTraffic {
            source: parts.offered.source.clone(),
            requests: total.requests,
            span_seconds: span_seconds as u64,
            duration_seconds: parts.offered.span_s,
            mean_rpm: snap(total.requests * 60.0 / parts.offered.span_s),
            prompt_tokens: total.prompt,
            cached_tokens: total.cached,
            completion_tokens: total.completion,
            peaks,
        },
        client: client_policy(args),
        service: service_time(args, &parts),
        limiters: limiters(args, parts.has_ptus),
        seed: args.seed,
        token_split: parts.token_split,
        candidates,
        notes,
    }
}

/// The service time: `--ttft`, the speed, and the catalog target the speed came from.
fn service_time(args: &SimulateArgs, parts: &ReportParts) -> compare::ServiceTime {
    compare::ServiceTime {
        ttft_s: args.ttft,
        tokens_per_second: parts.tokens_per_second,
        catalog_target: match (&args.tokens_per_second, &parts.model.latency_target) {
            (None, Some(target)) => Some(compare::CatalogLatencyTarget {
                target: target.clone(),
                assumed_for_standard: parts.standard_speed_assumed,
            }),
            _ => None,
        },
    }
}

/// The limiters' assumptions: the standard request window when a standard limiter runs, the
/// PTU bucket when a provisioned one does.
fn limiters(args: &SimulateArgs, has_ptus: bool) -> compare::LimiterAssumptions {
    let standard = has_standard_candidates(args) || args.spillover_quota.is_some();
    compare::LimiterAssumptions {
        standard_rpm_window_s: standard.then_some(match args.rpm_window {
            RpmWindowArg::OneSecond => 1,
            RpmWindowArg::TenSeconds => 10,
        }),
        ptu_bucket_s: has_ptus.then_some(args.bucket),
    }
}

/// `--retry`'s value as typed.
pub(super) fn retry_name(retry: RetryArg) -> &'static str {
    match retry {
        RetryArg::OpenaiPython => "openai-python",
        RetryArg::None => "none",
        RetryArg::Fixed => "fixed",
        RetryArg::Exponential => "exponential",
    }
}

/// The clients' retry policy from the flags, with the defaults filled in.
fn client_policy(args: &SimulateArgs) -> compare::ClientPolicy {
    let delay_s = args.retry_delay.unwrap_or(DEFAULT_RETRY_DELAY_S);
    let backoff = match args.retry {
        RetryArg::None => compare::Backoff::None,
        RetryArg::OpenaiPython => compare::Backoff::OpenAiPython,
        RetryArg::Fixed => compare::Backoff::Fixed { delay_s },
        RetryArg::Exponential => compare::Backoff::Exponential {
            delay_s,
            cap_s: args.retry_cap.unwrap_or(DEFAULT_RETRY_CAP_S),
        },
    };
    let deadline = deadline_s(args);
    compare::ClientPolicy {
        backoff,
        max_retries: match args.retry {
            RetryArg::None => 0,
            _ => args.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
        },
        ignore_retry_after: args.ignore_retry_after,
        deadline_s: deadline.is_finite().then_some(deadline),
    }
}

/// Draws each candidate's per-minute utilization and share of 429s against the 85% line.
pub(super) fn plot(model: &Model, results: &[CandidateResult]) -> anyhow::Result<String> {
    let series_values: Vec<(String, Vec<f64>, Vec<f64>)> = results
        .iter()
        .map(|r| {
            (
                r.label.clone(),
                r.minutes
                    .iter()
                    .map(|m| snap(m.utilization * 100.0))
                    .collect(),
                r.minutes
                    .iter()
                    .map(|m| {
                        let attempts = m.served + m.throttled;
                        if attempts == 0 {
                            0.0
                        } else {
                            snap(m.throttled as f64 * 100.0 / attempts as f64)
                        }
                    })
                    .collect(),
            )
        })
        .collect();
    let labels: Vec<(String, String)> = series_values
        .iter()
        .map(|(label, _, _)| {
            (
                format!("{label}: utilization %"),
                format!("{label}: 429s %"),
            )
        })
        .collect();
    let mut series = Vec::new();
    for (i, ((_, utilization, throttled), (u_label, t_label))) in
        series_values.iter().zip(&labels).enumerate()
    {
        let (strong, light) = plot::CANDIDATES[i % plot::CANDIDATES.len()];
        series.push(plot::Series {
            label: u_label,
            values: utilization,
            color: strong,
        });
        series.push(plot::Series {
            label: t_label,
            values: throttled,
            color: light,
        });
    }
    let levels = [plot::Level {
        label: "85% (alert)",
        value: 85.0,
        color: plot::RED,
    }];
    let svg = plot::svg(
        &format!("{}: utilization and 429s per minute", model.name),
        "the start",
        "percent",
        &series,
        &levels,
    )
    .map_err(|e| anyhow::anyhow!("cannot draw the plot: {e}"))?;
    Ok(svg)
}
