//! `simulate`: candidates and traffic from the command line, the runs, the report.

use chrono::NaiveDate;

use crate::calc::prices::{self, PriceOverrides};
use crate::calc::service_tier::TierSetup;
use crate::calc::workload::TokenSplit;
use crate::catalog::{Catalog, Model};
use crate::cli::{Format, RetryArg, SimulateArgs};
use crate::deployment::Sku;
use crate::error::InputError;
use crate::note::{Note, NoteCode, SimulateNote};
use crate::numfmt;
use crate::render::table;
use crate::sim::compare::Candidate;
use crate::sim::{RetryKind, RetryPolicy, Service, SimError, SimParam, Target};

use super::output::{OutputFile, refuse_clashing_outputs};
use super::{lifecycles, render_json};

mod candidates;
mod offered;
mod report;
mod runs;

use candidates::{candidates, has_standard_candidates, sim_tiers, tier_prices, unused_tier_flags};
use offered::{Offered, traffic};
use report::{ReportParts, plot, retry_name, simulate_report};
use runs::{RunSetup, Trace, run_candidates};

/// The most attempts a run may make if every request used all its retries: bounds the time a
/// run can take whatever the retry policy.
const MAX_ATTEMPTS: f64 = 3e9;
/// The most candidate-minutes a run may hold (each candidate keeps a record per simulated
/// minute): bounds memory, e.g. 100 candidates over about 70 days.
const MAX_CANDIDATE_MINUTES: f64 = 1e7;
/// The most candidate-minutes `--per-minute` may write to the JSON (about 100 MB).
const MAX_PER_MINUTE_RECORDS: f64 = 1e6;
/// The highest request rate a run may reach, per minute (33,000 a second): clients waiting to
/// retry are held in memory, up to about two minutes of arrivals when a quota refuses all.
const MAX_PEAK_RPM: f64 = 2e6;
/// The most requests `--trace-out` may write (about 60 bytes each: 3 GB).
const MAX_TRACE_REQUESTS: f64 = 5e7;
/// The shortest fixed or exponential retry delay: a client that retries at once would make
/// simulated time stand still.
const MIN_RETRY_DELAY_S: f64 = 0.001;

/// Retries after a 429 when `--max-retries` is not given: openai-python's
/// `DEFAULT_MAX_RETRIES` (`src/openai/_constants.py`).
const DEFAULT_MAX_RETRIES: u32 = 2;
/// `--retry-delay` when not given, s.
const DEFAULT_RETRY_DELAY_S: f64 = 0.5;
/// `--retry-cap` when not given, s.
const DEFAULT_RETRY_CAP_S: f64 = 8.0;
/// `--deadline` of the fixed and exponential policies when not given, s.
const DEFAULT_DEADLINE_S: f64 = 60.0;

/// Runs shorter than this many bucket depths get a note that the empty bucket at the start
/// hides some overload.
const WARM_UP_BUCKETS: f64 = 10.0;

/// A command-line error (exit 2).
fn usage(message: String) -> anyhow::Error {
    anyhow::Error::from(InputError::Usage(message))
}

/// A token count given as a flag, as a whole number.
fn whole(value: f64, flag: &str) -> anyhow::Result<u32> {
    if value.fract() == 0.0 && value <= f64::from(u32::MAX) {
        Ok(value as u32)
    } else {
        Err(usage(format!(
            "{flag} {value}: must be a whole number of tokens"
        )))
    }
}

/// Tokens per second from a catalog latency target such as `99% > 80 TPS`.
fn tokens_per_second(latency_target: &str) -> Option<f64> {
    let number = latency_target
        .split('>')
        .nth(1)?
        .trim()
        .strip_suffix("TPS")?;
    number.trim().parse().ok().filter(|v: &f64| *v > 0.0)
}

/// `simulate`: validate the flags, run every candidate on the same requests, report.
pub(super) fn run_simulate(
    args: &SimulateArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    let model = &*catalog.find_version(&args.model)?;
    let request = SimulateRequest::validate(args, model, catalog, format)?;
    let mut notes = request.notes;
    let trace = request
        .outputs
        .trace
        .map(|file| Trace::create(file, request.offered.epoch_s))
        .transpose()?;
    let setup = RunSetup {
        service: request.service,
        retry: request.checked.retry,
        seed: args.seed,
    };
    let runs = run_candidates(&request.candidates, &request.offered, setup, trace)?;
    notes.extend(args.trace_out.as_ref().map(|path| {
        Note::of(
            NoteCode::FileWritten,
            SimulateNote::TraceWritten {
                path: path.display().to_string(),
            },
        )
    }));
    let parts = ReportParts {
        model,
        offered: &request.offered,
        tier_prices: tier_prices(&request.tiers, request.prices.as_ref()),
        prices: request.prices,
        standard_speed_assumed: request.standard_speed_assumed,
        tokens_per_second: request.service.tokens_per_second,
        token_split: request.checked.token_split,
        has_ptus: args.ptu.iter().flatten().next().is_some(),
    };
    let mut report = simulate_report(args, parts, runs.results, &runs.measured, notes);
    let mut plot_file = request.outputs.plot;
    write_plot(args, model, &mut report, plot_file.as_mut())?;
    if !args.per_minute {
        for result in &mut report.candidates {
            result.minutes.clear();
        }
    }
    let lifecycle = lifecycles([model], &simulated_skus(args), catalog, as_of);
    report.notes.extend(lifecycle.notes());
    let text = match format {
        Format::Json => render_json(catalog, Some(&lifecycle), &report)?,
        Format::Table | Format::Markdown => table::simulate(&report, &catalog.currency),
    };
    for file in [runs.trace_file, plot_file].into_iter().flatten() {
        file.commit()?;
    }
    Ok(text)
}

/// Writes the chart into `--plot`'s file (committed later, with the answer) and says so.
fn write_plot(
    args: &SimulateArgs,
    model: &Model,
    report: &mut crate::sim::compare::SimulateReport,
    file: Option<&mut OutputFile>,
) -> anyhow::Result<()> {
    if let (Some(path), Some(file)) = (&args.plot, file) {
        file.write_all(plot(model, &report.candidates)?.as_bytes())?;
        report.notes.push(Note::of(
            NoteCode::FileWritten,
            SimulateNote::PlotWritten {
                path: path.display().to_string(),
            },
        ));
    }
    Ok(())
}

/// The output files `--trace-out` and `--plot` name, opened before any work.
struct SimulateOutputs {
    trace: Option<OutputFile>,
    plot: Option<OutputFile>,
}

/// A simulation checked and ready to run: every flag validated, the candidates built, the
/// traffic ready to make, and the notes so far.
struct SimulateRequest {
    outputs: SimulateOutputs,
    checked: Checked,
    tiers: TierSetup,
    candidates: Vec<(Candidate, Target)>,
    service: Service,
    standard_speed_assumed: bool,
    offered: Offered,
    prices: Option<prices::ResolvedPrices>,
    notes: Vec<Note>,
}

impl SimulateRequest {
    /// Checks the flags against each other and the model, in the order users see errors.
    fn validate(
        args: &SimulateArgs,
        model: &Model,
        catalog: &Catalog,
        format: Format,
    ) -> anyhow::Result<Self> {
        let mut notes = Vec::new();
        let ptus: Vec<f64> = args.ptu.iter().flatten().copied().collect();
        if ptus.is_empty() && !has_standard_candidates(args) {
            return Err(usage(
                "name at least one deployment to simulate: --ptu 100 (or a list: --ptu \
                 100,150,200), --tpm-quota 300k, --flex-quota 300k or --priority-quota 300k"
                    .into(),
            ));
        }
        let outputs = open_outputs(args)?;
        let checked = check_args(args, model, &ptus, format, &mut notes)?;
        let tiers = sim_tiers(args, model, catalog)?;
        let candidates = candidates(args, model, &ptus, catalog, &mut notes)?;
        notes.extend(unused_tier_flags(args));
        let (service, standard_speed_assumed) = service(args, model, &mut notes)?;
        let max_tokens = max_tokens(args, model, &mut notes)?;
        let offered = traffic(args, model, max_tokens, &mut notes)?;
        check_run_size(&offered, candidates.len(), checked.retry.max_retries, args)?;
        if !ptus.is_empty() {
            notes.extend(short_run_note(args, offered.span_s));
        }
        let prices = prices_for(model, catalog, args.deployment, &mut notes);
        Ok(Self {
            outputs,
            checked,
            tiers,
            candidates,
            service,
            standard_speed_assumed,
            offered,
            prices,
            notes,
        })
    }
}

/// Output files are checked before any work, and written only on success, never over an
/// input.
fn open_outputs(args: &SimulateArgs) -> anyhow::Result<SimulateOutputs> {
    let replayed: Vec<&std::path::Path> = args.replay.iter().map(std::path::Path::new).collect();
    refuse_clashing_outputs(
        (args.trace_out.as_deref(), "--trace-out"),
        (args.plot.as_deref(), "--plot"),
        &replayed,
    )?;
    Ok(SimulateOutputs {
        trace: OutputFile::open_if(args.trace_out.as_deref(), "trace")?,
        plot: OutputFile::open_plot(args.plot.as_deref())?,
    })
}

/// The warning for a run too short for the PTU buckets to fill, if it is.
fn short_run_note(args: &SimulateArgs, span_s: f64) -> Option<Note> {
    (span_s < WARM_UP_BUCKETS * args.bucket).then(|| {
        Note::of(
            NoteCode::Simulation,
            SimulateNote::ShortRun {
                bucket_s: args.bucket,
                span_s,
                warm_up_s: WARM_UP_BUCKETS * args.bucket,
            },
        )
    })
}

/// The Azure SKUs simulated: provisioned with `--ptu`, standard with `--tpm-quota`.
fn simulated_skus(args: &SimulateArgs) -> Vec<Sku> {
    let provisioned = args.ptu.iter().flatten().next().is_some();
    let standard = has_standard_candidates(args);
    [
        provisioned.then_some(Sku::of(args.deployment, true)),
        standard.then_some(Sku::of(args.deployment, false)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// What the flag checks settle: the clients' retry policy and where the token split came from.
struct Checked {
    retry: RetryPolicy,
    token_split: Option<TokenSplit>,
}

/// Cross-flag checks that need no traffic: the retry policy, `--per-minute` with `--json`,
/// `--strict`, spillover; notes for a bare `--tokens` and a reasoning model without
/// `--reasoning`.
fn check_args(
    args: &SimulateArgs,
    model: &Model,
    ptus: &[f64],
    format: Format,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Checked> {
    let retry = retry_policy(args)?;
    if args.per_minute && format != Format::Json {
        return Err(usage(
            "--per-minute adds a series to the JSON: use it with --json (or plot it: --plot \
             FILE.svg)"
                .into(),
        ));
    }
    let token_split = match (&args.replay, args.tokens, args.completion) {
        (Some(_), _, _) => None,
        (None, Some(_), None) => Some(TokenSplit::AssumedAllPrompt),
        _ => Some(TokenSplit::Given),
    };
    if let (Some(split), Some(tokens)) = (token_split, args.tokens) {
        if args.strict {
            split.check_strict("--tokens")?;
        }
        notes.extend(split.assumed_note(tokens, "--tokens"));
    }
    if model.reasoning && args.replay.is_none() && args.reasoning.is_none() {
        notes.push(Note::of(
            NoteCode::ReasoningTokensMissing,
            SimulateNote::ReasoningTokensMissing {
                model: model.name.clone(),
            },
        ));
    }
    if args.spillover_quota.is_some() && ptus.is_empty() {
        return Err(usage(
            "--spillover-quota needs --ptu (it takes the PTU's 429s)".into(),
        ));
    }
    if args.spillover_quota.is_some() && !model.spillover {
        return Err(usage(format!(
            "--spillover-quota: {}; simulate the PTU candidates alone, or a standard \
             deployment with --tpm-quota",
            crate::calc::cost::no_spillover_note(model).trim_start_matches("no hybrid: ")
        )));
    }
    Ok(Checked { retry, token_split })
}

/// The slowest generation `--tokens-per-second` takes: slower, one request can outlast what
/// the simulator's clock holds.
const MIN_TOKENS_PER_SECOND: f64 = 0.1;
/// The fastest: no model generates near it.
const MAX_TOKENS_PER_SECOND: f64 = 1e6;

/// The service time: `--ttft` and `--tokens-per-second`, else the catalog's latency target;
/// also whether that PTU target stands in for standard deployments (noted).
fn service(
    args: &SimulateArgs,
    model: &Model,
    notes: &mut Vec<Note>,
) -> anyhow::Result<(Service, bool)> {
    let tokens_per_second = match args.tokens_per_second {
        Some(tps) if (MIN_TOKENS_PER_SECOND..=MAX_TOKENS_PER_SECOND).contains(&tps) => tps,
        Some(tps) => {
            return Err(usage(format!(
                "--tokens-per-second {}: must be from 0.1 to 1,000,000 tokens a second (e.g. 80)",
                if tps != 0.0 && tps.abs() < 0.01 {
                    format!("{tps:e}")
                } else {
                    tps.to_string()
                }
            )));
        }
        None => model
            .latency_target
            .as_deref()
            .and_then(tokens_per_second)
            .ok_or_else(|| {
                usage(format!(
                    "the catalog has no latency target for {}: give --tokens-per-second",
                    model.name
                ))
            })?,
    };
    let standard_speed_assumed = args.tokens_per_second.is_none()
        && (has_standard_candidates(args) || args.spillover_quota.is_some());
    if standard_speed_assumed {
        notes.push(Note::of(
            NoteCode::Simulation,
            SimulateNote::StandardSpeedAssumed { tokens_per_second },
        ));
    }
    let service = Service {
        ttft_ms: args.ttft * 1000.0,
        tokens_per_second,
    };
    Ok((service, standard_speed_assumed))
}

/// `--max-tokens` as a whole number of at least 1, else the default [`default_max_tokens`]
/// gives.
fn max_tokens(
    args: &SimulateArgs,
    model: &Model,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Option<u32>> {
    let given = args
        .max_tokens
        .map(|m| whole(m, "--max-tokens"))
        .transpose()?;
    if given == Some(0) {
        return Err(usage(
            "--max-tokens 0: must be at least 1, a request with max_tokens 0 cannot produce a \
             response"
                .into(),
        ));
    }
    Ok(default_max_tokens(args, model, given, notes))
}

/// The catalog's prices for the month's cost of each candidate, or a note saying why there is
/// none; a note names the unverified PTU price used.
fn prices_for(
    model: &Model,
    catalog: &Catalog,
    deployment: crate::deployment::DeploymentType,
    notes: &mut Vec<Note>,
) -> Option<prices::ResolvedPrices> {
    let resolved = prices::resolve(
        model,
        catalog.ptu_prices.get(&deployment),
        deployment,
        &PriceOverrides::default(),
        &catalog.currency,
    );
    let prices = match resolved {
        Ok(prices) => prices,
        Err(e) => {
            notes.push(Note::of(
                NoteCode::NoPrices,
                SimulateNote::NoPrices {
                    reason: e.to_string(),
                },
            ));
            return None;
        }
    };
    if prices.unverified {
        notes.push(Note::of(
            NoteCode::PricesUnverified,
            SimulateNote::PtuPriceUnverified {
                currency: catalog.currency.clone(),
                ptu_yearly: prices.ptu.yearly,
                source: prices.ptu_source.clone(),
            },
        ));
    }
    Some(prices)
}

/// A simulator error for the user who typed the flags (exit 2): a parameter is named by the
/// flag that sets it (`traffic.duration_s` → `--duration (seconds)`).
fn sim_usage(err: SimError) -> anyhow::Error {
    match err {
        SimError::InvalidParam {
            field,
            value,
            expected,
        } => usage(format!(
            "{} = {}: must be {expected}",
            flag_of(field),
            crate::numfmt::quoted(value)
        )),
        other => usage(other.to_string()),
    }
}

/// The flag (or, for catalog values, the words) that sets a simulator parameter.
fn flag_of(param: SimParam) -> &'static str {
    match param {
        SimParam::StandardTpmQuota => "--tpm-quota",
        SimParam::StandardRpm => "the standard RPM limit",
        SimParam::SpilloverTpmQuota => "--spillover-quota",
        SimParam::SpilloverRpm => "the spillover RPM limit",
        SimParam::ServiceTtftMs => "--ttft (ms)",
        SimParam::ServiceTokensPerSecond => "--tokens-per-second",
        SimParam::ProvisionedPtu => "--ptu",
        SimParam::ProvisionedInputTpmPerPtu => "the catalog's input TPM per PTU",
        SimParam::ProvisionedOutputWeight => "the catalog's output weight",
        SimParam::ProvisionedCachedWeight => "the catalog's cached-input weight",
        SimParam::ProvisionedBucketSeconds => "--bucket (seconds)",
        SimParam::RetryDeadlineMs => "--deadline (ms)",
        SimParam::RetryDelayMs => "--retry-delay (ms)",
        SimParam::RetryBaseMs => "--retry-delay (ms)",
        SimParam::RetryCapMs => "--retry-cap (ms)",
        SimParam::TrafficRatePerS => "the request rate (per second)",
        SimParam::TrafficDurationS => "--duration (seconds)",
        SimParam::TrafficStartS => "the start (--start-hour)",
        SimParam::TrafficCachedShare => "--cache-rate",
        SimParam::TrafficDailyPeakToAverage => "--daily-peak",
        SimParam::TrafficDailyPeakHour => "--peak-hour",
        SimParam::TrafficBurstStartS => "--burst start (seconds)",
        SimParam::TrafficBurstDurationS => "--burst length (seconds)",
        SimParam::TrafficBurstMultiplier => "--burst factor",
        SimParam::TrafficPromptMean => "--prompt",
        SimParam::TrafficPromptP95 => "--prompt-p95",
        SimParam::TrafficCompletionMean => "--completion",
        SimParam::TrafficCompletionP95 => "--completion-p95",
        SimParam::FlexAvailability => "--flex-availability",
        SimParam::PriorityTokensPerSecond => "the catalog's priority latency target",
    }
}

/// The client's retry policy from the flags; flags the policy does not use are refused.
fn retry_policy(args: &SimulateArgs) -> anyhow::Result<RetryPolicy> {
    let delay = args.retry_delay.unwrap_or(DEFAULT_RETRY_DELAY_S);
    let cap = args.retry_cap.unwrap_or(DEFAULT_RETRY_CAP_S);
    let unused = match args.retry {
        RetryArg::OpenaiPython | RetryArg::None => args
            .retry_delay
            .map(|_| "--retry-delay")
            .or(args.retry_cap.map(|_| "--retry-cap")),
        RetryArg::Fixed => args.retry_cap.map(|_| "--retry-cap"),
        RetryArg::Exponential => None,
    };
    if let Some(flag) = unused {
        return Err(usage(format!(
            "{flag} sets the fixed or exponential backoff, not --retry {}: add --retry \
             exponential (or fixed), or drop {flag}",
            retry_name(args.retry)
        )));
    }
    if args.retry == RetryArg::Exponential && cap < delay {
        return Err(usage(format!(
            "--retry-cap {} is below --retry-delay {}: the cap is the longest backoff, at least \
             the first",
            numfmt::duration(cap),
            numfmt::duration(delay)
        )));
    }
    let backoff = matches!(args.retry, RetryArg::Fixed | RetryArg::Exponential);
    if backoff
        && delay.min(if args.retry == RetryArg::Exponential {
            cap
        } else {
            delay
        }) < MIN_RETRY_DELAY_S
    {
        return Err(usage(format!(
            "--retry-delay {} ms (or --retry-cap): a retry needs a delay of at least 1ms, or \
             simulated time would stand still",
            numfmt::trimmed(delay.min(cap) * 1000.0, 3)
        )));
    }
    if args.retry == RetryArg::None && args.max_retries.is_some() {
        return Err(usage(
            "--max-retries needs retries: --retry openai-python, fixed or exponential".into(),
        ));
    }
    let kind = match args.retry {
        RetryArg::OpenaiPython => RetryKind::OpenAiPython,
        RetryArg::None => RetryKind::None,
        RetryArg::Fixed => RetryKind::Fixed {
            delay_ms: delay * 1000.0,
        },
        RetryArg::Exponential => RetryKind::Exponential {
            base_ms: delay * 1000.0,
            cap_ms: cap * 1000.0,
        },
    };
    Ok(RetryPolicy {
        kind,
        max_retries: if args.retry == RetryArg::None {
            0
        } else {
            args.max_retries.unwrap_or(DEFAULT_MAX_RETRIES)
        },
        deadline_ms: deadline_s(args) * 1000.0,
        honour_retry_after: !args.ignore_retry_after,
    })
}

/// The `max_tokens` requests send: `--max-tokens`, else for synthetic traffic the model's
/// documented default (clients that send none: gpt-4o's 4,096), as `size` counts it; a replay
/// keeps each request's completion, with a note when the model has a default.
fn default_max_tokens(
    args: &SimulateArgs,
    model: &Model,
    given: Option<u32>,
    notes: &mut Vec<Note>,
) -> Option<u32> {
    if given.is_some() {
        return given;
    }
    let default = model.default_max_tokens?;
    let default = u32::try_from(default).unwrap_or(u32::MAX);
    if args.replay.is_some() {
        notes.push(Note::of(
            NoteCode::MaxTokensAssumed,
            SimulateNote::ReplayMaxTokens {
                model: model.name.clone(),
                default,
            },
        ));
        return None;
    }
    notes.push(Note::of(
        NoteCode::MaxTokensAssumed,
        SimulateNote::DefaultMaxTokens {
            model: model.name.clone(),
            default,
        },
    ));
    let largest_fixed = args.completion.unwrap_or(0.0) + args.reasoning.unwrap_or(0.0);
    Some(default.max(largest_fixed.ceil() as u32))
}

/// Refuses a run whose attempts (every request retried to the limit), candidate-minutes or
/// `--per-minute` series exceed the named limits, naming the flags that size them.
fn check_run_size(
    offered: &Offered,
    candidates: usize,
    max_retries: u32,
    args: &SimulateArgs,
) -> anyhow::Result<()> {
    let (requests, span_s) = (offered.requests, offered.span_s);
    if args.trace_out.is_some() && requests > MAX_TRACE_REQUESTS {
        return Err(usage(format!(
            "--trace-out would write about {} requests (several GB), more than {}: trace a \
             shorter --duration or a lower rate",
            numfmt::short(requests),
            numfmt::short(MAX_TRACE_REQUESTS)
        )));
    }
    if offered.peak_rpm > MAX_PEAK_RPM * (1.0 + 1e-9) {
        return Err(usage(format!(
            "the traffic peaks at about {} requests a minute, more than the {} a run may \
             simulate (requests waiting to retry are held in memory): {}",
            numfmt::short(offered.peak_rpm),
            numfmt::short(MAX_PEAK_RPM),
            if args.replay.is_some() {
                "replay slower (--speedup) or split the log"
            } else {
                "lower --rpm, --daily-peak or the burst factor"
            }
        )));
    }
    let attempts = requests * (1.0 + f64::from(max_retries));
    if attempts > MAX_ATTEMPTS {
        return Err(usage(format!(
            "about {} requests with up to {max_retries} retries each could make {} attempts, \
             more than the {} a run may make: lower --max-retries, the rate or --duration",
            numfmt::short(requests),
            numfmt::short(attempts),
            numfmt::short(MAX_ATTEMPTS)
        )));
    }
    let candidate_minutes = candidates as f64 * (span_s / 60.0).ceil();
    if candidate_minutes > MAX_CANDIDATE_MINUTES {
        return Err(usage(format!(
            "{candidates} candidates over {} are {} candidate-minutes, more than the {} a run \
             may hold: simulate fewer candidates (--ptu, --tpm-quota) or a shorter --duration",
            numfmt::duration(span_s),
            numfmt::short(candidate_minutes),
            numfmt::short(MAX_CANDIDATE_MINUTES)
        )));
    }
    if args.per_minute && candidate_minutes > MAX_PER_MINUTE_RECORDS {
        return Err(usage(format!(
            "--per-minute would write {} candidate-minutes, more than {}: simulate fewer \
             candidates or a shorter --duration, or drop --per-minute",
            numfmt::short(candidate_minutes),
            numfmt::short(MAX_PER_MINUTE_RECORDS)
        )));
    }
    Ok(())
}

/// The give-up deadline, s: `--deadline`, else none for openai-python (its 600 s timeout is
/// per attempt) and 60 s for the fixed and exponential policies.
fn deadline_s(args: &SimulateArgs) -> f64 {
    match (args.deadline, args.retry) {
        (Some(deadline), _) => deadline,
        (None, RetryArg::OpenaiPython) => f64::INFINITY,
        (None, _) => DEFAULT_DEADLINE_S,
    }
}
