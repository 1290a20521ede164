//! The offered traffic: synthetic (seeded Poisson with a daily pattern and bursts) or a log replayed.

use crate::catalog::Model;
use crate::cli::SimulateArgs;
use crate::note::{Note, NoteCode, SimulateNote};
use crate::sim::compare::{SyntheticTraffic, TrafficSource};
use crate::sim::traffic::{Burst, DailyPattern, TokenSize, Traffic, TrafficSpec};
use crate::traffic::log::{ColumnNames, LogBuckets};
use crate::{numfmt, traffic};

use super::{sim_usage, usage, whole};
use crate::app::analyze::open_log;

/// The requests a simulation replays: synthetic, or rebuilt from a log. One value per run,
/// so the large variant stays inline (boxing would add a pointer chase per request).
#[allow(clippy::large_enum_variant)]
pub(super) enum Requests {
    Synthetic(crate::sim::traffic::Traffic),
    Replay(crate::sim::replay::Replay),
}

impl Iterator for Requests {
    type Item = crate::sim::Request;

    fn next(&mut self) -> Option<crate::sim::Request> {
        match self {
            Requests::Synthetic(traffic) => traffic.next(),
            Requests::Replay(replay) => replay.next(),
        }
    }
}

/// Makes the offered requests anew, the same each time.
pub(super) type MakeRequests = Box<dyn Fn() -> anyhow::Result<Requests>>;

/// The offered traffic: its description, its size, and a generator of it.
pub(super) struct Offered {
    /// Where it comes from, for the report.
    pub(super) source: TrafficSource,
    /// Simulated seconds it spans.
    pub(super) span_s: f64,
    /// Unix time of simulated time 0, s: the replayed log's first minute, or
    /// [`SYNTHETIC_DAY_0`] for synthetic traffic.
    pub(super) epoch_s: i64,
    /// Requests it holds (the mean, for synthetic traffic).
    pub(super) requests: f64,
    /// Highest request rate it reaches, per minute (the mean rate at the daily peak and in the
    /// largest burst, for synthetic traffic; the busiest second, for a replay).
    pub(super) peak_rpm: f64,
    /// Makes the requests, the same each time.
    pub(super) make: MakeRequests,
}

/// Unix time at which synthetic traffic's day 0 starts in a trace: 2026-01-01T00:00:00Z (the
/// simulation itself knows no date).
pub(super) const SYNTHETIC_DAY_0: i64 = 1_767_225_600;

/// The most requests (on average) a synthetic run may offer: about 100 s of computing.
pub(super) const MAX_REQUESTS: f64 = 1e9;

/// The offered traffic: a generator made anew for each candidate, so that all see the same
/// requests.
pub(super) fn traffic(
    args: &SimulateArgs,
    model: &Model,
    max_tokens: Option<u32>,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Offered> {
    match &args.replay {
        Some(path) => replay_traffic(args, path, model, max_tokens, notes),
        None => synthetic_traffic(args, model, max_tokens, notes),
    }
}

/// A log replayed: its per-second buckets back into requests, `--speedup` times faster.
pub(super) fn replay_traffic(
    args: &SimulateArgs,
    path: &str,
    model: &Model,
    max_tokens: Option<u32>,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Offered> {
    if !(args.speedup.is_finite() && args.speedup > 0.0) {
        return Err(usage(format!(
            "--speedup {}: must be above 0 (2 = twice as fast)",
            args.speedup
        )));
    }
    let (log, stats) = read_replayed_log(args, path)?;
    notes.extend(replay_notes(&log, &stats, model));
    let bucket_seconds = if stats.per_minute_metrics { 60 } else { 1 };
    let buckets = log.all;
    let speedup = args.speedup;
    let (first, last) = (buckets.keys().next(), buckets.keys().next_back());
    let span_s = match (first, last) {
        (Some(first), Some(last)) => (last - first + 1) as f64 / speedup,
        _ => 0.0,
    };
    crate::traffic::analysis::check_max_tokens(&buckets, max_tokens)?;
    check_replay_span(path, span_s, speedup)?;
    Ok(Offered {
        source: TrafficSource::Replay {
            path: path.to_string(),
            speedup,
        },
        span_s,
        epoch_s: crate::sim::replay::origin_s(&buckets),
        requests: buckets.values().map(|b| b.requests).sum(),
        peak_rpm: buckets.values().map(|b| b.requests).fold(0.0, f64::max) * speedup * 60.0
            / f64::from(bucket_seconds),
        make: Box::new(move || {
            Ok(Requests::Replay(crate::sim::replay::Replay::new(
                &buckets,
                bucket_seconds,
                speedup,
                max_tokens,
            )))
        }),
    })
}

/// The replayed log read into per-second buckets; a log without requests is refused.
pub(super) fn read_replayed_log(
    args: &SimulateArgs,
    path: &str,
) -> anyhow::Result<(LogBuckets, traffic::log::ReadStats)> {
    let (reader, log_format) = open_log(path, None, &indicatif::ProgressBar::hidden())?;
    let mut log = LogBuckets::default();
    let stats = traffic::log::read(
        reader,
        path,
        log_format,
        &ColumnNames::default(),
        args.skip_invalid,
        &mut log,
    )?;
    if log.all.is_empty() {
        return Err(usage(format!("{path}: the log holds no requests")));
    }
    Ok((log, stats))
}

/// What a replay says about its log: skipped rows, several groups replayed as one model, and
/// how each bucket's requests are spread.
pub(super) fn replay_notes(
    log: &LogBuckets,
    stats: &traffic::log::ReadStats,
    model: &Model,
) -> Vec<Note> {
    let mut notes = Vec::new();
    if stats.skipped > 0 {
        notes.push(Note::of(
            NoteCode::SkippedRows,
            SimulateNote::SkippedRows {
                rows: stats.skipped,
            },
        ));
    }
    if log.groups.len() > 1 {
        notes.push(Note::of(
            NoteCode::Simulation,
            SimulateNote::GroupsReplayedTogether {
                column: stats.group_column.as_deref().unwrap_or("deployment").into(),
                groups: log.groups.keys().cloned().collect(),
                model: model.name.clone(),
            },
        ));
    }
    if stats.per_minute_metrics {
        notes.push(Note::of(
            NoteCode::PeakMeasurement,
            SimulateNote::PerMinuteSpread,
        ));
    }
    notes.push(Note::of(
        NoteCode::PeakMeasurement,
        SimulateNote::ReplaySpread,
    ));
    notes
}

/// A replay longer than the simulator's clock holds (366 days) is refused.
pub(super) fn check_replay_span(path: &str, span_s: f64, speedup: f64) -> anyhow::Result<()> {
    let longest_s = crate::sim::MAX_SPAN_US as f64 / 1e6;
    if span_s > longest_s {
        return Err(usage(format!(
            "--replay {path} spans {} days at --speedup {}; replay at most 366 days at a \
                     time (split the log, or raise --speedup; is one timestamp wrong?)",
            numfmt::count((span_s / 86_400.0).floor()),
            numfmt::trimmed(speedup, 4)
        )));
    }
    Ok(())
}

/// Seeded synthetic traffic: Poisson at the mean rate, with the daily pattern and bursts.
pub(super) fn synthetic_traffic(
    args: &SimulateArgs,
    model: &Model,
    max_tokens: Option<u32>,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Offered> {
    if args.speedup != 1.0 {
        return Err(usage(
            "--speedup replays a log faster: it needs --replay (synthetic traffic is \
                     set by --rpm or --qps)"
                .into(),
        ));
    }
    let rate_per_s = synthetic_rate(args)?;
    let expected = expected_requests(args, rate_per_s)?;
    let (prompt, completion) = token_sizes(args)?;
    notes.extend(context_note(
        args,
        model,
        (&prompt, &completion),
        max_tokens,
    ));
    let spec = traffic_spec(args, rate_per_s, (prompt, completion), max_tokens);
    Traffic::new(&spec).map_err(sim_usage)?;
    check_output_fits(args, max_tokens)?;
    check_bursts_start(args)?;
    Ok(Offered {
        source: TrafficSource::Synthetic(SyntheticTraffic {
            rpm: rate_per_s * 60.0,
            duration_s: args.duration,
            daily_peak: args.daily_peak.map(|p| (p, args.peak_hour)),
            reasoning_tokens: args.reasoning.filter(|&r| r > 0.0),
            bursts: args.burst.clone(),
        }),
        span_s: args.duration,
        epoch_s: SYNTHETIC_DAY_0,
        requests: expected,
        peak_rpm: rate_per_s
            * 60.0
            * args.daily_peak.unwrap_or(1.0).max(1.0)
            * args.burst.iter().map(|b| b.2).fold(1.0, f64::max),
        make: Box::new(move || Ok(Requests::Synthetic(Traffic::new(&spec).map_err(sim_usage)?))),
    })
}

/// The mean request rate per second, from `--rpm` or `--qps`.
pub(super) fn synthetic_rate(args: &SimulateArgs) -> anyhow::Result<f64> {
    match (args.rpm, args.qps) {
        (Some(rpm), _) => Ok(rpm / 60.0),
        (None, Some(qps)) => Ok(qps),
        (None, None) => Err(usage(
            "give the traffic: --rpm or --qps (mean rate), or --replay LOG".into(),
        )),
    }
}

/// The requests the run should make on average, refused above [`MAX_REQUESTS`]. Bursts add
/// (factor − 1) × the rate over their length (within the run).
pub(super) fn expected_requests(args: &SimulateArgs, rate_per_s: f64) -> anyhow::Result<f64> {
    let extra: f64 = args
        .burst
        .iter()
        .map(|&(_, length, factor)| {
            rate_per_s * length.min(args.duration) * (factor - 1.0).max(0.0)
        })
        .sum();
    let expected = rate_per_s * args.duration + extra;
    if expected > MAX_REQUESTS {
        return Err(usage(format!(
            "{} RPM for {} is about {} requests; simulate at most {} at a time \
                     (about 100 s of computing): lower the rate or shorten --duration",
            numfmt::count(rate_per_s * 60.0),
            numfmt::duration(args.duration),
            numfmt::short(expected),
            numfmt::short(MAX_REQUESTS)
        )));
    }
    Ok(expected)
}

/// The generator's specification from the flags.
pub(super) fn traffic_spec(
    args: &SimulateArgs,
    rate_per_s: f64,
    (prompt, completion): (TokenSize, TokenSize),
    max_tokens: Option<u32>,
) -> TrafficSpec {
    TrafficSpec {
        rate_per_s,
        duration_s: args.duration,
        start_s: f64::from(args.start_hour) * 3600.0,
        daily: args.daily_peak.map(|peak_to_average| DailyPattern {
            peak_to_average,
            peak_hour: args.peak_hour,
        }),
        bursts: args
            .burst
            .iter()
            .map(|&(start_s, duration_s, multiplier)| Burst {
                start_s,
                duration_s,
                multiplier,
            })
            .collect(),
        prompt,
        completion,
        cached_share: args.cache_rate,
        max_tokens,
        seed: args.seed,
    }
}

/// `max_tokens` bounds reasoning and visible output together: it must allow the mean (or
/// fixed) completion.
pub(super) fn check_output_fits(
    args: &SimulateArgs,
    max_tokens: Option<u32>,
) -> anyhow::Result<()> {
    let output = args.completion.unwrap_or(0.0) + args.reasoning.unwrap_or(0.0);
    if let Some(max) = max_tokens
        && output > f64::from(max)
    {
        let what = if args.reasoning.is_some() {
            "--completion + --reasoning"
        } else {
            "--completion"
        };
        return Err(usage(format!(
            "--max-tokens {max} is below {what} ({}): a response cannot be longer \
                     than max_tokens",
            numfmt::count(output)
        )));
    }
    Ok(())
}

/// Every `--burst` must start within the run.
pub(super) fn check_bursts_start(args: &SimulateArgs) -> anyhow::Result<()> {
    for &(start, _, _) in &args.burst {
        if start >= args.duration {
            return Err(usage(format!(
                "--burst starts at {} but the run lasts {} (--duration)",
                numfmt::duration(start),
                numfmt::duration(args.duration)
            )));
        }
    }
    Ok(())
}

/// The prompt and completion sizes of synthetic requests: fixed, or log-normal with a p95;
/// reasoning tokens ride on the completion.
pub(super) fn token_sizes(args: &SimulateArgs) -> anyhow::Result<(TokenSize, TokenSize)> {
    let size = |mean: f64, p95: Option<f64>, flag: &str| -> anyhow::Result<TokenSize> {
        Ok(match p95 {
            Some(p95) => TokenSize::LogNormal { mean, p95 },
            None => TokenSize::Fixed(whole(mean, flag)?),
        })
    };
    Ok(match (args.tokens, args.prompt, args.completion) {
        (Some(tokens), None, None) if tokens < 1.0 => {
            return Err(usage("--tokens 0: a request has at least 1 token".into()));
        }
        (Some(tokens), None, None) => (
            TokenSize::Fixed(whole(tokens, "--tokens")?),
            TokenSize::Fixed(0),
        ),
        (None, Some(p), Some(c)) => {
            // Reasoning tokens are generated, billed and weighted as output: the
            // simulated completion carries them (a shift of the whole distribution).
            let r = args.reasoning.unwrap_or(0.0);
            let p95 = args.completion_p95.map(|p95| p95 + r);
            (
                size(p, args.prompt_p95, "--prompt")?,
                size(c + r, p95, "--completion")?,
            )
        }
        (None, Some(_), None) => {
            return Err(usage(
                "--prompt needs --completion (completion tokens weigh most on PTUs)".into(),
            ));
        }
        (Some(_), _, _) => {
            return Err(usage(
                "--tokens stands alone in simulate (all prompt tokens): give --prompt N \
                         --completion N instead of --tokens with --completion"
                    .into(),
            ));
        }
        _ => {
            return Err(usage(
                "give the request size: --prompt N --completion N, or --tokens N".into(),
            ));
        }
    })
}

/// A note when the typical request (means, or fixed sizes) does not fit the model's context
/// limits: the service refuses such requests (HTTP 400), which is not simulated.
pub(super) fn context_note(
    args: &SimulateArgs,
    model: &Model,
    sizes: (&TokenSize, &TokenSize),
    max_tokens: Option<u32>,
) -> Option<Note> {
    // The typical request (means, or fixed sizes) against the model's context limits:
    // the service refuses what does not fit (HTTP 400), which is not simulated.
    let typical = |size: &TokenSize| match *size {
        TokenSize::Fixed(n) => f64::from(n),
        TokenSize::LogNormal { mean, .. } => mean,
    };
    let shape = crate::calc::workload::RequestShape {
        prompt_tokens: typical(sizes.0),
        completion_tokens: typical(sizes.1),
        cache_rate: args.cache_rate,
        max_tokens: max_tokens.map(f64::from),
        token_split: crate::calc::workload::TokenSplit::Given,
        cache_write_rate: 0.0,
        reasoning_tokens: 0.0,
        best_of: 1,
    };
    let fit = crate::calc::context::check(&shape, model);
    (!fit.problems.is_empty()).then(|| {
        Note::of(
            NoteCode::ContextWindow,
            SimulateNote::ContextProblems {
                model: model.name.clone(),
                problems: fit.problems,
            },
        )
    })
}
