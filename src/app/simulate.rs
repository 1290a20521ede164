//! `simulate`: candidates and traffic from the command line, the runs, the report.

use std::io::Write;

use chrono::NaiveDate;

use crate::calc::cost::{DEFAULT_HOURS_PER_MONTH, Term};
use crate::calc::load::MinuteLoad;
use crate::calc::prices::{self, PriceOverrides};
use crate::calc::rounding::{deployable_ptu, snap};
use crate::calc::service_tier::{PriorityOverrides, ServiceTier, StandardPrice, TierSetup};
use crate::calc::workload::TokenSplit;
use crate::catalog::{Catalog, Model, TokenPrices};
use crate::cli::{Format, RetryArg, RpmWindowArg, SimulateArgs};
use crate::deployment::Sku;
use crate::error::InputError;
use crate::note::{Note, NoteCode};
use crate::render::{plot, table};
use crate::sim::compare::{self, Candidate, CandidateResult, OfferedPeaks};
use crate::sim::traffic::{Burst, DailyPattern, TokenSize, Traffic, TrafficSpec};
use crate::sim::{
    PriorityMode, ProvisionedParams, RetryKind, RetryPolicy, RpmWindow, Service, SimConfig,
    SimError, SimParam, StandardParams, Target, TierMode,
};
use crate::traffic::analysis;
use crate::traffic::log::{ColumnNames, LogBuckets};
use crate::{numfmt, traffic};

use super::analyze::open_log;
use super::batches::pipelined;
use super::output::{OutputFile, refuse_overwriting_inputs};
use super::{lifecycles, render_json};

/// The requests a simulation replays: synthetic, or rebuilt from a log. One value per run,
/// so the large variant stays inline (boxing would add a pointer chase per request).
#[allow(clippy::large_enum_variant)]
enum Requests {
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

/// The most requests (on average) a synthetic run may offer: about 100 s of computing.
const MAX_REQUESTS: f64 = 1e9;
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

/// Makes the offered requests anew, the same each time.
type MakeRequests = Box<dyn Fn() -> anyhow::Result<Requests>>;

/// The offered traffic: its description, its size, and a generator of it.
struct Offered {
    /// In words, for the report.
    describe: String,
    /// Simulated seconds it spans.
    span_s: f64,
    /// Unix time of simulated time 0, s: the replayed log's first minute, or
    /// [`SYNTHETIC_DAY_0`] for synthetic traffic.
    epoch_s: i64,
    /// Requests it holds (the mean, for synthetic traffic).
    requests: f64,
    /// Highest request rate it reaches, per minute (the mean rate at the daily peak and in the
    /// largest burst, for synthetic traffic; the busiest second, for a replay).
    peak_rpm: f64,
    /// Makes the requests, the same each time.
    make: MakeRequests,
}

/// Unix time at which synthetic traffic's day 0 starts in a trace: 2026-01-01T00:00:00Z (the
/// simulation itself knows no date).
const SYNTHETIC_DAY_0: i64 = 1_767_225_600;

/// The columns of a `--trace-out` file: names the log reader recognizes, so that `--replay`
/// and `analyze` read it; `at_ms` is the simulated time in ms, as in earlier traces.
const TRACE_HEADER: &str =
    "timestamp,at_ms,prompt_tokens,cached_tokens,completion_tokens,max_tokens";

/// The offered requests, written as CSV while the first candidate runs.
struct Trace {
    file: OutputFile,
    out: std::io::BufWriter<std::fs::File>,
    /// Unix time of simulated time 0, s.
    epoch_s: i64,
    /// The second last formatted and its RFC 3339 text up to the seconds.
    second: Option<i64>,
    stamp: String,
    /// The first write error, reported by [`Trace::finish`].
    error: Option<std::io::Error>,
}

impl Trace {
    /// Writes the header to `file`, the output opened before the run.
    fn create(mut file: OutputFile, epoch_s: i64) -> anyhow::Result<Trace> {
        let handle = file.file().try_clone().map_err(|e| file.error(e))?;
        let mut out = std::io::BufWriter::new(handle);
        writeln!(out, "{TRACE_HEADER}").map_err(|e| file.error(e))?;
        Ok(Trace {
            file,
            out,
            epoch_s,
            second: None,
            stamp: String::new(),
            error: None,
        })
    }

    /// One request: its time as RFC 3339 with milliseconds (UTC) and in simulated ms.
    fn write(&mut self, r: &crate::sim::Request) {
        if self.error.is_some() {
            return;
        }
        let second = self.epoch_s + (r.at_us / 1_000_000) as i64;
        if self.second != Some(second) {
            self.stamp = crate::timestamp::format_second(second);
            self.stamp.pop(); // the `Z`, written after the milliseconds
            self.second = Some(second);
        }
        if let Err(e) = writeln!(
            self.out,
            "{}.{:03}Z,{:.3},{},{},{},{}",
            self.stamp,
            r.at_us / 1000 % 1000,
            r.at_us as f64 / 1000.0,
            r.prompt,
            r.cached,
            r.completion,
            r.max_tokens
        ) {
            self.error = Some(e);
        }
    }

    /// Flushes the trace; returns its file, to commit when the run succeeds.
    fn finish(mut self) -> anyhow::Result<OutputFile> {
        let flushed = match self.error.take() {
            Some(e) => Err(e),
            None => self.out.flush(),
        };
        flushed.map_err(|e| self.file.error(e))?;
        Ok(self.file)
    }
}

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

/// Runs shorter than this many requests (about half a second) show no progress bar.
const PROGRESS_FROM_REQUESTS: f64 = 5e6;

/// A progress bar on stderr in simulated seconds, for a long run on a terminal; else hidden.
fn progress_bar(offered: &Offered, message: String) -> indicatif::ProgressBar {
    super::progress_bar(
        offered.requests >= PROGRESS_FROM_REQUESTS,
        offered.span_s.ceil() as u64,
        "{msg} {wide_bar} {percent}% {eta}",
    )
    .with_message(message)
}

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
    let SimulateRequest {
        outputs,
        checked,
        tiers,
        candidates,
        service,
        standard_speed_assumed,
        offered,
        prices,
        mut notes,
    } = SimulateRequest::validate(args, model, catalog, format)?;
    let trace = outputs
        .trace
        .map(|file| Trace::create(file, offered.epoch_s))
        .transpose()?;
    let setup = RunSetup {
        service,
        retry: checked.retry,
        seed: args.seed,
    };
    let runs = run_candidates(&candidates, &offered, setup, trace)?;
    if let Some(path) = &args.trace_out {
        notes.push(Note::new(
            NoteCode::FileWritten,
            format!(
                "offered requests written to {} (read by --replay and analyze)",
                path.display()
            ),
        ));
    }
    let parts = ReportParts {
        model,
        offered: &offered,
        tier_prices: tier_prices(&tiers, prices.as_ref()),
        prices,
        standard_speed_assumed,
        tokens_per_second: service.tokens_per_second,
        token_split: checked.token_split,
        has_ptus: args.ptu.iter().flatten().next().is_some(),
    };
    let mut report = simulate_report(args, parts, runs.results, &runs.measured, notes);
    let mut plot_file = outputs.plot;
    if let (Some(path), Some(file)) = (&args.plot, plot_file.as_mut()) {
        file.write_all(plot(model, &report.candidates)?.as_bytes())?;
        report.notes.push(Note::new(
            NoteCode::FileWritten,
            format!("plot written to {}", path.display()),
        ));
    }
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
    refuse_overwriting_inputs(args.trace_out.as_deref(), "--trace-out", &replayed)?;
    refuse_overwriting_inputs(args.plot.as_deref(), "--plot", &replayed)?;
    Ok(SimulateOutputs {
        trace: OutputFile::open_if(args.trace_out.as_deref(), "trace")?,
        plot: OutputFile::open_plot(args.plot.as_deref())?,
    })
}

/// The warning for a run too short for the PTU buckets to fill, if it is.
fn short_run_note(args: &SimulateArgs, span_s: f64) -> Option<Note> {
    (span_s < WARM_UP_BUCKETS * args.bucket).then(|| {
        Note::new(
            NoteCode::Simulation,
            format!(
                "short run: each PTU bucket starts empty and first absorbs {} of capacity above \
                 100%, so over {} sustained overload shows fewer 429s than it will later; \
                 simulate at least {} (--duration)",
                describe_duration(args.bucket),
                describe_duration(span_s),
                describe_duration(WARM_UP_BUCKETS * args.bucket)
            ),
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
        notes.push(Note::new(
            NoteCode::ReasoningTokensMissing,
            format!(
                "{} is a reasoning model: its hidden reasoning tokens are generated, billed and \
             weighted as output, and none were given; add --reasoning N, or the load is \
             undersized",
                model.name
            ),
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

/// The service time: `--ttft` and `--tokens-per-second`, else the catalog's latency target;
/// also whether that PTU target stands in for standard deployments (noted).
fn service(
    args: &SimulateArgs,
    model: &Model,
    notes: &mut Vec<Note>,
) -> anyhow::Result<(Service, bool)> {
    let tokens_per_second = match args.tokens_per_second {
        Some(tps) if tps.is_finite() && tps > 0.0 => tps,
        Some(tps) => {
            return Err(usage(format!(
                "--tokens-per-second {tps}: must be above 0 (e.g. 80)"
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
        notes.push(Note::new(
            NoteCode::Simulation,
            format!(
                "standard deployments have no latency target; their generation speed is the PTU \
             target's {} tokens/s (an assumption: give --tokens-per-second)",
                numfmt::number(tokens_per_second, 1, true)
            ),
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
            notes.push(Note::new(
                NoteCode::NoPrices,
                format!(
                    "no cost: {}",
                    e.to_string().replace("give ", "`ptuplan cost` takes ")
                ),
            ));
            return None;
        }
    };
    if prices.unverified {
        notes.push(Note::new(
            NoteCode::PricesUnverified,
            format!(
                "prices: PTUs at {}/PTU-year on a 1-year reservation (catalog source {}, \
             models.toml [ptu_prices]): UNVERIFIED third-party figures, as Microsoft's docs give \
             none; `ptuplan cost` takes your own (--ptu-yearly)",
                numfmt::money(&catalog.currency, &numfmt::count(prices.ptu.yearly)),
                prices.ptu_source
            ),
        ));
    }
    Some(prices)
}

/// What every candidate's run shares.
#[derive(Clone, Copy)]
struct RunSetup {
    service: Service,
    retry: RetryPolicy,
    seed: u64,
}

/// The runs: each candidate's report, the offered traffic as measured during the first run,
/// and the finished trace file.
struct Runs<'a> {
    results: Vec<(&'a Candidate, crate::sim::SimReport)>,
    measured: traffic::OfferedLoad,
    trace_file: Option<OutputFile>,
}

/// Simulates every candidate on the same requests. The first run also measures the offered
/// traffic and writes the trace.
fn run_candidates<'a>(
    candidates: &'a [(Candidate, Target)],
    offered: &Offered,
    setup: RunSetup,
    mut trace: Option<Trace>,
) -> anyhow::Result<Runs<'a>> {
    let mut measured = traffic::OfferedLoad::default();
    let mut results = Vec::new();
    for (index, (candidate, target)) in candidates.iter().enumerate() {
        let config = SimConfig {
            target: *target,
            service: setup.service,
            retry: setup.retry,
            seed: setup.seed,
        };
        let requests = (offered.make)()?;
        let message = format!(
            "simulating {} ({}/{})",
            candidate.label,
            index + 1,
            candidates.len()
        );
        let progress = progress_bar(offered, message);
        let simulate = |r| crate::sim::simulate(&config, r);
        let report = if index == 0 {
            let observe = |r: &crate::sim::Request| {
                measured.add(r);
                if let Some(trace) = &mut trace {
                    trace.write(r);
                }
            };
            pipelined(requests, observe, &progress, simulate)
        } else {
            pipelined(requests, |_| {}, &progress, simulate)
        }
        .map_err(sim_usage)?;
        if index == 0 {
            measured.finish();
            if report.requests == 0 {
                return Err(usage(
                    "the traffic has no requests: raise --rpm or --duration".into(),
                ));
            }
        }
        results.push((candidate, report));
    }
    Ok(Runs {
        results,
        measured,
        trace_file: trace.map(Trace::finish).transpose()?,
    })
}

/// What the report needs beyond the flags and the runs.
struct ReportParts<'a> {
    model: &'a Model,
    offered: &'a Offered,
    prices: Option<prices::ResolvedPrices>,
    /// Flex and priority token prices, where priced.
    tier_prices: (Option<TokenPrices>, Option<TokenPrices>),
    standard_speed_assumed: bool,
    tokens_per_second: f64,
    token_split: Option<TokenSplit>,
    has_ptus: bool,
}

/// The `simulate` report: the offered traffic, its peaks, and each candidate's result priced
/// for a month.
fn simulate_report(
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
            source: parts.offered.describe.clone(),
            requests: total.requests,
            span_seconds: span_seconds as u64,
            duration_seconds: parts.offered.span_s,
            mean_rpm: snap(total.requests * 60.0 / parts.offered.span_s),
            prompt_tokens: total.prompt,
            cached_tokens: total.cached,
            completion_tokens: total.completion,
            peaks,
        },
        client: describe_client(args),
        service: describe_service(args, &parts),
        limiters: describe_limiters(args, parts.has_ptus),
        seed: args.seed,
        token_split: parts.token_split,
        candidates,
        notes,
    }
}

/// The service time, in words.
fn describe_service(args: &SimulateArgs, parts: &ReportParts) -> String {
    format!(
        "{} to first token + {} tokens/s{}",
        describe_duration(args.ttft),
        numfmt::number(parts.tokens_per_second, 1, true),
        match (&args.tokens_per_second, &parts.model.latency_target) {
            (None, Some(target)) if parts.standard_speed_assumed => {
                format!(" (catalog PTU latency target: {target}; assumed for standard)")
            }
            (None, Some(target)) => format!(" (catalog latency target: {target})"),
            _ => String::new(),
        }
    )
}

/// The limiters' assumptions, in words.
fn describe_limiters(args: &SimulateArgs, has_ptus: bool) -> String {
    let mut parts = Vec::new();
    if has_standard_candidates(args) || args.spillover_quota.is_some() {
        parts.push(format!(
            "standard: requests limited per {} window, tokens per minute",
            match args.rpm_window {
                RpmWindowArg::OneSecond => "1 s",
                RpmWindowArg::TenSeconds => "10 s",
            }
        ));
    }
    if has_ptus {
        parts.push(format!(
            "PTU: leaky bucket holding {} of capacity at 100%",
            describe_duration(args.bucket)
        ));
    }
    parts.join("; ")
}

/// A simulator error for the user who typed the flags (exit 2): a parameter is named by the
/// flag that sets it (`traffic.duration_s` → `--duration (seconds)`).
fn sim_usage(err: SimError) -> anyhow::Error {
    match err {
        SimError::InvalidParam {
            field,
            value,
            expected,
        } => usage(format!("{} = {value}: must be {expected}", flag_of(field))),
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

/// `90 s`, `15 min`, `2 h`, `1 d`: the largest whole unit.
fn describe_duration(seconds: f64) -> String {
    let units = [(86_400.0, "d"), (3600.0, "h"), (60.0, "min"), (1.0, "s")];
    for (size, unit) in units {
        if seconds >= size && (seconds / size).fract() == 0.0 {
            return format!("{} {unit}", numfmt::count(seconds / size));
        }
    }
    if seconds >= 1.0 {
        format!("{} s", numfmt::number(seconds, 1, true))
    } else {
        format!("{} ms", numfmt::number(seconds * 1000.0, 0, true))
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
            describe_duration(cap),
            describe_duration(delay)
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
        notes.push(Note::new(
            NoteCode::MaxTokensAssumed,
            format!(
                "replayed requests count their own completion as max_tokens; clients that send \
             none are counted by {} at its default {} (pass --max-tokens {} to simulate that)",
                model.name,
                numfmt::count(f64::from(default)),
                default
            ),
        ));
        return None;
    }
    notes.push(Note::new(
        NoteCode::MaxTokensAssumed,
        format!(
            "no --max-tokens: clients are taken to send none, so {} counts its default max_tokens \
         {} at admission (as size does); pass --max-tokens with what your clients send",
            model.name,
            numfmt::count(f64::from(default))
        ),
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
            describe_duration(span_s),
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

/// `--retry`'s value as typed.
fn retry_name(retry: RetryArg) -> &'static str {
    match retry {
        RetryArg::OpenaiPython => "openai-python",
        RetryArg::None => "none",
        RetryArg::Fixed => "fixed",
        RetryArg::Exponential => "exponential",
    }
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

/// The client policy in words.
fn describe_client(args: &SimulateArgs) -> String {
    let delay = args.retry_delay.unwrap_or(DEFAULT_RETRY_DELAY_S);
    let policy = match args.retry {
        RetryArg::None => return "no retries: the first 429 is final".into(),
        RetryArg::OpenaiPython if args.ignore_retry_after => {
            "openai-python's backoff: 0.5 s doubling up to 8 s, less up to 25% jitter".to_string()
        }
        RetryArg::OpenaiPython => "openai-python defaults (v3.3.1): retry-after as given up to \
                                   2 min (longer: no retry), else 0.5 s doubling up to 8 s, \
                                   less up to 25% jitter"
            .to_string(),
        RetryArg::Fixed => format!("retry after {}", describe_duration(delay)),
        RetryArg::Exponential => format!(
            "exponential backoff from {} up to {} (full jitter)",
            describe_duration(delay),
            describe_duration(args.retry_cap.unwrap_or(DEFAULT_RETRY_CAP_S))
        ),
    };
    let retry_after = match (args.retry, args.ignore_retry_after) {
        (_, true) => ", ignoring retry-after",
        (RetryArg::OpenaiPython, false) => "",
        (_, false) => ", waiting at least retry-after",
    };
    let deadline = deadline_s(args);
    format!(
        "{policy}; {} retries{retry_after}, {}",
        args.max_retries.unwrap_or(DEFAULT_MAX_RETRIES),
        if deadline.is_finite() {
            format!("give up after {}", describe_duration(deadline))
        } else {
            "no deadline".to_string()
        }
    )
}

/// The deployments to simulate, in the order given: PTU candidates (with the spillover
/// deployment, if any), then standard quotas, then flex and priority ones.
fn candidates(
    args: &SimulateArgs,
    model: &Model,
    ptus: &[f64],
    catalog: &Catalog,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Vec<(Candidate, Target)>> {
    let spillover = args
        .spillover_quota
        .map(|q| standard_params(args, model, q, "--spillover-quota"))
        .transpose()?;
    let mut candidates = ptu_candidates(args, model, ptus, spillover, notes)?;
    for &quota in &args.tpm_quota {
        let params = standard_params(args, model, quota, "--tpm-quota")?;
        notes.extend(window_rounding_note(quota, &params));
        candidates.push((
            standard_candidate(format!("{} TPM", numfmt::short(quota)), &params, None),
            Target::Standard(params),
        ));
    }
    for (quotas, tier, flag) in [
        (&args.flex_quota, ServiceTier::Flex, "--flex-quota"),
        (
            &args.priority_quota,
            ServiceTier::Priority,
            "--priority-quota",
        ),
    ] {
        for &quota in quotas {
            let params = standard_params(args, model, quota, flag)?;
            let mode = tier_mode(args, model, catalog, tier, flag)?;
            let label = format!("{} {}", tier.as_str(), numfmt::short(quota));
            candidates.push((
                standard_candidate(label, &params, Some(tier)),
                Target::Tiered {
                    standard: params,
                    mode,
                },
            ));
        }
    }
    Ok(candidates)
}

/// The standard deployment a quota flag gives: its RPM from the catalog's ratio.
fn standard_params(
    args: &SimulateArgs,
    model: &Model,
    quota: f64,
    flag: &str,
) -> anyhow::Result<StandardParams> {
    let deployment = args.deployment;
    let rpm_window = match args.rpm_window {
        RpmWindowArg::OneSecond => RpmWindow::OneSecond,
        RpmWindowArg::TenSeconds => RpmWindow::TenSeconds,
    };
    let ratio = model.rpm_per_1000_tpm_for(deployment);
    match ratio.map(|r| (r, quota / 1000.0 * r)) {
        Some((ratio, rpm)) if rpm < 1.0 => Err(usage(format!(
            "{flag} {}: allows {} requests a minute ({} RPM per 1,000 TPM); give at least {} TPM",
            numfmt::count(quota),
            numfmt::number(rpm, 2, true),
            numfmt::number(ratio, 2, true),
            numfmt::count((1000.0 / ratio).ceil())
        ))),
        Some((_, rpm)) => Ok(StandardParams {
            tpm_quota: quota,
            rpm,
            rpm_window,
        }),
        None => Err(usage(format!(
            "{flag}: the catalog has no standard RPM per 1,000 TPM for {} on {deployment}, so its \
             request limit is unknown",
            model.name
        ))),
    }
}

/// A standard candidate (plain, or sent with a tier) for the report.
fn standard_candidate(
    label: String,
    params: &StandardParams,
    tier: Option<ServiceTier>,
) -> Candidate {
    Candidate {
        label,
        ptu: None,
        tpm_quota: Some(params.tpm_quota),
        capacity_tpm: params.tpm_quota,
        rpm_limit: Some(params.rpm),
        spillover_tpm_quota: None,
        tier,
    }
}

/// A note when a quota's RPM, rounded down to whole requests per window, is well below it.
fn window_rounding_note(quota: f64, params: &StandardParams) -> Option<Note> {
    let per_window = params.requests_per_window() as f64;
    let exact = match params.rpm_window {
        RpmWindow::OneSecond => params.rpm / 60.0,
        RpmWindow::TenSeconds => params.rpm / 6.0,
    };
    (per_window < exact * 0.95).then(|| {
        Note::new(
            NoteCode::StandardQuota,
            format!(
                "{} TPM grants {} RPM, {} per window rounded down to {}: effectively {} RPM",
                numfmt::short(quota),
                numfmt::count(params.rpm),
                numfmt::number(exact, 2, true),
                numfmt::count(per_window),
                numfmt::count(per_window * params.rpm / exact)
            ),
        )
    })
}

/// The PTU candidates, each with the spillover deployment if any.
fn ptu_candidates(
    args: &SimulateArgs,
    model: &Model,
    ptus: &[f64],
    spillover: Option<StandardParams>,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Vec<(Candidate, Target)>> {
    let deployment = args.deployment;
    let mut candidates = Vec::new();
    if ptus.is_empty() {
        return Ok(candidates);
    }
    let grid = model
        .provisioned(deployment)
        .ok_or_else(|| model.not_offered(deployment))?;
    for &ptu in ptus {
        if deployable_ptu(ptu, grid.min_ptu, grid.increment) as f64 != ptu {
            notes.push(Note::new(NoteCode::PtuSize, format!(
                "{} PTU is not deployable ({} {deployment} deploys from {} PTU in steps of {}); \
                 simulated as given",
                numfmt::count(ptu),
                model.name,
                grid.min_ptu,
                grid.increment
            )));
        }
        let label = match args.spillover_quota {
            Some(q) => format!("{} PTU+{}", numfmt::count(ptu), numfmt::short(q)),
            None => format!("{} PTU", numfmt::count(ptu)),
        };
        candidates.push((
            Candidate {
                label,
                ptu: Some(ptu),
                tpm_quota: None,
                capacity_tpm: ptu * model.input_tpm_per_ptu,
                rpm_limit: None,
                spillover_tpm_quota: args.spillover_quota,
                tier: None,
            },
            Target::Provisioned {
                ptu: ProvisionedParams {
                    ptu,
                    input_tpm_per_ptu: model.input_tpm_per_ptu,
                    output_weight: model.output_weight,
                    cached_weight: model.cached_input_weight,
                    bucket_seconds: args.bucket,
                },
                spillover,
            },
        ));
    }
    Ok(candidates)
}

/// Notes on tier flags given without a candidate of that tier.
fn unused_tier_flags(args: &SimulateArgs) -> Vec<Note> {
    [
        (
            args.flex_availability < 1.0 && args.flex_quota.is_empty(),
            "--flex-availability: not used without a --flex-quota candidate",
        ),
        (
            args.priority_ramp_floor > 0.0 && args.priority_quota.is_empty(),
            "--priority-ramp-floor: not used without a --priority-quota candidate",
        ),
    ]
    .into_iter()
    .filter(|(unused, _)| *unused)
    .map(|(_, text)| Note::new(NoteCode::Simulation, text.to_string()))
    .collect()
}

/// Whether any standard deployment is simulated (plain, flex or priority).
fn has_standard_candidates(args: &SimulateArgs) -> bool {
    !(args.tpm_quota.is_empty() && args.flex_quota.is_empty() && args.priority_quota.is_empty())
}

/// Priority and flex prices for the model and type, from the catalog's standard prices (none
/// without them: tier candidates are then simulated, not priced).
fn sim_tiers(args: &SimulateArgs, model: &Model, catalog: &Catalog) -> anyhow::Result<TierSetup> {
    let Some(prices) = model.prices.get(&args.deployment) else {
        return Ok(TierSetup::none(
            "no pay-as-you-go price in the catalog for this model and type",
        ));
    };
    let standard = StandardPrice {
        prices,
        source: model.sources.prices.as_deref().unwrap_or("catalog"),
        unverified: model.is_unverified(crate::catalog::CatalogField::Prices),
    };
    Ok(TierSetup::resolve(
        catalog,
        model,
        args.deployment,
        standard,
        &PriorityOverrides::default(),
        crate::catalog::SubscriptionType::Default,
    ))
}

/// How a tier candidate's requests are treated; an error naming `flag` when the catalog does
/// not offer the tier on the model and type (prices aside: an unpriced tier is simulated, not
/// priced).
fn tier_mode(
    args: &SimulateArgs,
    model: &Model,
    catalog: &Catalog,
    tier: ServiceTier,
    flag: &str,
) -> anyhow::Result<TierMode> {
    let deployment = args.deployment;
    let not_offered = |what: &str| {
        usage(format!(
            "{flag}: not offered: the catalog lists no {what} for {} on {deployment}",
            model.name
        ))
    };
    if tier == ServiceTier::Flex {
        if !model
            .flex
            .as_ref()
            .is_some_and(|f| f.deployments.contains(&deployment))
        {
            return Err(not_offered("flex processing"));
        }
        return Ok(TierMode::Flex {
            availability: args.flex_availability,
        });
    }
    let offer = model
        .priority
        .as_ref()
        .filter(|p| p.deployments.contains(&deployment))
        .ok_or_else(|| not_offered("priority processing"))?;
    let rules = catalog
        .service_tiers
        .as_ref()
        .ok_or_else(|| usage(format!("{flag}: the catalog has no [service_tiers] rules")))?;
    let speed = offer
        .latency_target
        .as_deref()
        .and_then(tokens_per_second)
        .or(args.tokens_per_second)
        .ok_or_else(|| {
            usage(format!(
                "{flag}: the catalog has no priority latency target for {}: give \
                 --tokens-per-second",
                model.name
            ))
        })?;
    Ok(TierMode::Priority(PriorityMode {
        tokens_per_second: speed,
        ramp: crate::calc::service_tier::RampRule {
            increase: rules.priority_ramp_increase,
            minutes: rules.priority_ramp_minutes,
            floor_tpm: args.priority_ramp_floor,
        },
        long_prompt_tokens: offer
            .long_prompt_tokens
            .map(|t| u32::try_from(t).unwrap_or(u32::MAX)),
    }))
}

/// The flex and priority prices a tier candidate's cost uses: the tiers', or none without
/// standard prices.
fn tier_prices(
    tiers: &TierSetup,
    prices: Option<&prices::ResolvedPrices>,
) -> (Option<TokenPrices>, Option<TokenPrices>) {
    if prices.is_none() {
        return (None, None);
    }
    (
        tiers.flex.as_ref().ok().map(|p| p.tokens()),
        tiers.priority.as_ref().ok().map(|p| p.price.tokens()),
    )
}

/// The offered traffic: a generator made anew for each candidate, so that all see the same
/// requests.
fn traffic(
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
fn replay_traffic(
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
        describe: format!("replay of {path} at {}x", numfmt::trimmed(speedup, 4)),
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
fn read_replayed_log(
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
fn replay_notes(log: &LogBuckets, stats: &traffic::log::ReadStats, model: &Model) -> Vec<Note> {
    let mut notes = Vec::new();
    if stats.skipped > 0 {
        notes.push(Note::new(
            NoteCode::SkippedRows,
            format!(
                "{} skipped as invalid",
                numfmt::plural(stats.skipped as f64, "row", "rows")
            ),
        ));
    }
    if log.groups.len() > 1 {
        notes.push(Note::new(
            NoteCode::Simulation,
            format!(
                "the log names {} {}s ({}): all are replayed together, as {}",
                log.groups.len(),
                stats.group_column.as_deref().unwrap_or("deployment"),
                log.groups.keys().cloned().collect::<Vec<_>>().join(", "),
                model.name
            ),
        ));
    }
    if stats.per_minute_metrics {
        notes.push(Note::new(
            NoteCode::PeakMeasurement,
            "per-minute input: each minute's requests are spread evenly over it, so \
                         sub-minute bursts are not replayed"
                .into(),
        ));
    }
    notes.push(Note::new(
        NoteCode::PeakMeasurement,
        "replay: each second's requests are spread evenly over it, with the second's \
                     mean sizes"
            .into(),
    ));
    notes
}

/// A replay longer than the simulator's clock holds (366 days) is refused.
fn check_replay_span(path: &str, span_s: f64, speedup: f64) -> anyhow::Result<()> {
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
fn synthetic_traffic(
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
    notes.extend(
        context_note(args, model, (&prompt, &completion), max_tokens)
            .map(|n| Note::new(NoteCode::ContextWindow, n)),
    );
    let spec = traffic_spec(args, rate_per_s, (prompt, completion), max_tokens);
    Traffic::new(&spec).map_err(sim_usage)?;
    check_output_fits(args, max_tokens)?;
    check_bursts_start(args)?;
    Ok(Offered {
        describe: describe_synthetic(args, rate_per_s),
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
fn synthetic_rate(args: &SimulateArgs) -> anyhow::Result<f64> {
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
fn expected_requests(args: &SimulateArgs, rate_per_s: f64) -> anyhow::Result<f64> {
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
            describe_duration(args.duration),
            numfmt::short(expected),
            numfmt::short(MAX_REQUESTS)
        )));
    }
    Ok(expected)
}

/// The generator's specification from the flags.
fn traffic_spec(
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
fn check_output_fits(args: &SimulateArgs, max_tokens: Option<u32>) -> anyhow::Result<()> {
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
fn check_bursts_start(args: &SimulateArgs) -> anyhow::Result<()> {
    for &(start, _, _) in &args.burst {
        if start >= args.duration {
            return Err(usage(format!(
                "--burst starts at {} but the run lasts {} (--duration)",
                describe_duration(start),
                describe_duration(args.duration)
            )));
        }
    }
    Ok(())
}

/// The prompt and completion sizes of synthetic requests: fixed, or log-normal with a p95;
/// reasoning tokens ride on the completion.
fn token_sizes(args: &SimulateArgs) -> anyhow::Result<(TokenSize, TokenSize)> {
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
fn context_note(
    args: &SimulateArgs,
    model: &Model,
    sizes: (&TokenSize, &TokenSize),
    max_tokens: Option<u32>,
) -> Option<String> {
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
        format!(
            "context: for {}, {}; the service refuses such requests (HTTP 400), which \
                     this simulation does not model",
            model.name,
            fit.problems.join("; ")
        )
    })
}

/// Synthetic traffic in words, for the report.
fn describe_synthetic(args: &SimulateArgs, rate_per_s: f64) -> String {
    let mut describe = format!(
        "Poisson, mean {} RPM for {}",
        numfmt::count(rate_per_s * 60.0),
        describe_duration(args.duration)
    );
    if let Some(p) = args.daily_peak {
        describe.push_str(&format!(
            ", daily peak {}x at {:02}:00 UTC",
            numfmt::number(p, 2, true),
            args.peak_hour
        ));
    }
    if let Some(reasoning) = args.reasoning.filter(|&r| r > 0.0) {
        describe.push_str(&format!(
            ", completions include {} reasoning tokens",
            numfmt::count(reasoning)
        ));
    }
    for &(start, length, factor) in &args.burst {
        describe.push_str(&format!(
            ", {}x burst at {} for {}",
            numfmt::number(factor, 2, true),
            describe_duration(start),
            describe_duration(length)
        ));
    }
    describe
}

/// Draws each candidate's per-minute utilization and share of 429s against the 85% line.
fn plot(model: &Model, results: &[CandidateResult]) -> anyhow::Result<String> {
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
