//! `analyze`: reading request logs (files, gzip, stdin; CSV in two halves) and reporting.

use std::io::BufRead;

use chrono::NaiveDate;

use crate::calc::cost::{CostSettings, Term};
use crate::calc::load::MinuteLoad;
use crate::calc::prices::{self, PriceOverrides};
use crate::calc::service_tier::TierSetup;
use crate::catalog::SubscriptionType;
use crate::catalog::{Catalog, Model};
use crate::cli::{AnalyzeArgs, Format, KqlSource, LogFormatArg};
use crate::error::InputError;
use crate::note::{Note, NoteCode};
use crate::render::{plot, table};
use crate::traffic::analysis::{
    self, AnalyzeReport, GroupAnalysis, QuotaBasis, SizingSettings, SummaryInputs, TrafficSummary,
};
use crate::traffic::log::{ColumnNames, LogBuckets, LogFormat, ReadStats, SecondBuckets};
use crate::traffic::service_tiers::TierShare;
use crate::{numfmt, traffic};

use super::output::{OutputFile, refuse_overwriting_inputs};
use super::{both_skus, render_json};
use crate::lifecycle::Lifecycles;

/// Reads an uncompressed CSV file as two halves on two threads (the second half gets a copy
/// of the header), adding its requests to `buckets`. `None` when the file is not such a file,
/// the machine has one core, or a half fails: the caller then reads it in one pass.
fn read_csv_in_halves(
    path: &str,
    given: Option<LogFormatArg>,
    names: &ColumnNames,
    log: &mut LogBuckets,
) -> Option<ReadStats> {
    use std::io::{Read, Seek, SeekFrom};
    let is_csv = match given {
        Some(LogFormatArg::Csv) => true,
        Some(LogFormatArg::Jsonl) => false,
        None => path.to_ascii_lowercase().ends_with(".csv"),
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if path == "-" || !is_csv || cores < 2 {
        return None;
    }
    let mut file = std::fs::File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut magic = [0u8; 2];
    if size < 1 << 20 || file.read_exact(&mut magic).is_err() || magic == [0x1f, 0x8b] {
        return None;
    }
    file.seek(SeekFrom::Start(0)).ok()?;
    let mut start = std::io::BufReader::new(&mut file);
    let mut header = Vec::new();
    start.read_until(b'\n', &mut header).ok()?;
    // The second half starts at the first line break after the middle.
    let mut split_reader = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    split_reader.seek(SeekFrom::Start(size / 2)).ok()?;
    let mut partial = Vec::new();
    let split = size / 2 + split_reader.read_until(b'\n', &mut partial).ok()? as u64;
    let first_half = std::fs::File::open(path).ok()?.take(split);
    let second_half = {
        let mut file = std::fs::File::open(path).ok()?;
        file.seek(SeekFrom::Start(split)).ok()?;
        std::io::Cursor::new(header).chain(file)
    };
    let read_half = |input: Box<dyn Read + Send>| {
        let mut own = LogBuckets::default();
        let reader = std::io::BufReader::with_capacity(1 << 16, input);
        traffic::log::read(reader, path, LogFormat::Csv, names, false, &mut own)
            .ok()
            .map(|stats| (own, stats))
    };
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| read_half(Box::new(first_half)));
        let second = read_half(Box::new(second_half));
        (first.join().ok().flatten(), second)
    });
    let ((first_buckets, first_stats), (second_buckets, second_stats)) = (first?, second?);
    for half in [first_buckets, second_buckets] {
        log.merge(half);
    }
    Some(ReadStats {
        rows: first_stats.rows + second_stats.rows,
        group_column: first_stats.group_column.or(second_stats.group_column),
        per_minute_metrics: first_stats.per_minute_metrics || second_stats.per_minute_metrics,
        count_column: first_stats.count_column.or(second_stats.count_column),
        ..ReadStats::default()
    })
}

/// Opens a log (`-` is stdin), decompressing gzip, and decides its format. A file read while
/// stderr is a terminal shows a progress bar (by bytes read); otherwise nothing is drawn.
pub(super) fn open_log(
    path: &str,
    given: Option<LogFormatArg>,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<(Box<dyn BufRead>, LogFormat)> {
    let error = |message: String| InputError::File {
        kind: "log",
        path: path.to_string(),
        line: None,
        message,
    };
    let raw: Box<dyn std::io::Read> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(path).map_err(|e| error(format!("cannot read it: {e}")))?;
        progress.set_length(file.metadata().map_or(0, |m| m.len()));
        progress.set_position(0);
        progress.set_message(path.to_string());
        Box::new(progress.wrap_read(file))
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, raw);
    let gzip = reader
        .fill_buf()
        .map_err(|e| error(format!("cannot read it: {e}")))?
        .starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead> = if gzip {
        Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(reader),
        ))
    } else {
        Box::new(reader)
    };
    let name = path.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let format = match given {
        Some(LogFormatArg::Csv) => LogFormat::Csv,
        Some(LogFormatArg::Jsonl) => LogFormat::Jsonl,
        None if name.ends_with(".csv") => LogFormat::Csv,
        None if name.ends_with(".jsonl")
            || name.ends_with(".ndjson")
            || name.ends_with(".json") =>
        {
            LogFormat::Jsonl
        }
        None => {
            let head = reader
                .fill_buf()
                .map_err(|e| error(format!("cannot read it: {e}")))?;
            match head.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => LogFormat::Jsonl,
                _ => LogFormat::Csv,
            }
        }
    };
    Ok((reader, format))
}

/// The longest time span `analyze` takes: longer is almost always a wrong timestamp.
const MAX_SPAN_DAYS: i64 = 2 * 366;

/// A Kusto query for Log Analytics that writes the per-minute export `analyze` reads.
const KQL_APIM: &str = "\
// Per-second LLM traffic per deployment for `ptuplan analyze` (export the result as CSV).
// Needs API Management's \"Generative AI gateway logs\" (GatewayLlmLogs) in Log Analytics.
// One row per second and deployment, requests counted and tokens summed, so the sliding
// 60 s, 10 s and 1 s peaks stay exact. The table has no cached-token column.
// Log Analytics returns at most 500,000 rows (the portal fewer: use the API or az): a day
// of one deployment is 86,400; export a day at a time and give analyze every file.
ApiManagementGatewayLlmLog
| where TimeGenerated > ago(1d)
| where isnotempty(DeploymentName)   // each request's token row; message chunks have none
| summarize requests = count(), prompt_tokens = sum(PromptTokens),
    completion_tokens = sum(CompletionTokens)
    by timestamp = bin(TimeGenerated, 1s), deployment = DeploymentName
| order by timestamp asc
";

/// The Kusto query over Azure Monitor's per-minute platform metrics.
const KQL: &str = "\
// Per-minute Azure OpenAI traffic for `ptuplan analyze` (export the result as CSV).
// Needs the resource's platform metrics sent to Log Analytics (diagnostic setting AllMetrics).
AzureMetrics
| where ResourceProvider == \"MICROSOFT.COGNITIVESERVICES\"
| where MetricName in (\"AzureOpenAIRequests\", \"ProcessedPromptTokens\", \"GeneratedTokens\")
| where TimeGenerated > ago(7d)
| summarize Total = sum(Total) by TimeGenerated = bin(TimeGenerated, 1m), MetricName
| order by TimeGenerated asc
";

/// The minutes the log stands for when scaled to a month: `--period`, at least the log's
/// `span_minutes`; without it the span, with a note when that is less than a day. Notes only
/// when there are `monthly` figures.
fn period(
    period: Option<u64>,
    span_minutes: u64,
    monthly: bool,
    notes: &mut Vec<Note>,
) -> anyhow::Result<u64> {
    let describe = |minutes: u64| match minutes {
        m if m % 1440 == 0 => numfmt::plural((m / 1440) as f64, "day", "days"),
        m if m % 60 == 0 => numfmt::plural((m / 60) as f64, "hour", "hours"),
        m => numfmt::plural(m as f64, "minute", "minutes"),
    };
    match period {
        Some(period) if period < span_minutes => Err(InputError::Usage(format!(
            "--period {}: the logs span {} (first to last request), longer than the period \
             they stand for; give at least --period {}m",
            describe(period),
            describe(span_minutes),
            span_minutes
        ))
        .into()),
        Some(period) => {
            if monthly {
                notes.push(Note::new(
                    NoteCode::LogPeriod,
                    format!(
                        "monthly figures: the logs stand for {} (--period), scaled to 730 hours",
                        describe(period)
                    ),
                ));
            }
            Ok(period)
        }
        None => {
            if monthly && span_minutes < 1440 {
                notes.push(Note::new(
                    NoteCode::LogPeriod,
                    format!(
                        "monthly figures scale the logs' {} to 730 hours as if they were \
                     representative of the whole month; if they hold all the traffic of a \
                     longer span, say which: --period 1d",
                        describe(span_minutes)
                    ),
                ));
            }
            Ok(span_minutes)
        }
    }
}

/// How models are sized, from the flags: `--max-tokens` must be a whole number.
fn sizing_settings(args: &AnalyzeArgs) -> anyhow::Result<SizingSettings> {
    let max_tokens = match args.max_tokens {
        Some(n) if n.fract() != 0.0 || n < 1.0 || n > f64::from(u32::MAX) => {
            return Err(InputError::Usage(format!(
                "--max-tokens {n}: must be a whole number of tokens, 1 or more"
            ))
            .into());
        }
        n => n.map(|n| n as u32),
    };
    Ok(SizingSettings {
        target_utilization: args.target_utilization,
        rpm_window: super::rpm_window(args.quota.rpm_window),
        max_throttle: args.quota.max_throttle,
        max_tokens,
    })
}

/// Where a log's requests are, for checking a request window minute by minute.
#[derive(Clone, Copy)]
struct WindowLoad<'a> {
    buckets: &'a SecondBuckets,
    first_minute: i64,
    per_minute: bool,
}

/// `--tpm-quota`: the minutes whose admission tokens, or whose busiest request window (with one
/// `--model`, its RPM ratio), exceed the quota, as the limiter counts them.
fn quota_check(
    quota: f64,
    models: &[&Model],
    minutes: &[MinuteLoad],
    window: WindowLoad,
    args: &AnalyzeArgs,
    sizing: &SizingSettings,
    notes: &mut Vec<Note>,
) -> analysis::OverCapacity {
    let ratio = match models {
        [model] => model.rpm_per_1000_tpm_for(args.deployment),
        _ => None,
    };
    // Per-minute input has no windows: the minute's requests are its rate.
    let rates = if window.per_minute {
        minutes.iter().map(|m| m.requests).collect()
    } else {
        let width = sizing.rpm_window.seconds() as i64;
        analysis::minute_window_rates(window.buckets, window.first_minute, minutes.len(), width)
    };
    let label = match ratio {
        Some(ratio) => format!(
            "{} TPM standard quota ({} RPM, {} per {} window)",
            numfmt::count(quota),
            numfmt::count(quota / 1000.0 * ratio),
            numfmt::plural(
                sizing
                    .rpm_window
                    .requests_per_window(quota / 1000.0 * ratio) as f64,
                "request",
                "requests"
            ),
            sizing.rpm_window.as_str()
        ),
        None => {
            notes.push(Note::new(
                NoteCode::RpmNotChecked,
                "--tpm-quota: its request limit is not checked (give one --model for its \
                 RPM ratio)"
                    .into(),
            ));
            format!("{} TPM standard quota", numfmt::count(quota))
        }
    };
    // A minute's busiest window counts as the quota its rate needs.
    analysis::over_capacity(minutes, quota, label, |i, m| {
        let tokens = analysis::admission_tokens(m, sizing.max_tokens);
        ratio.map_or(tokens, |r| tokens.max(rates[i] / r * 1000.0))
    })
}

/// Notes on how the standard quotas were sized: what admission counts, and the basis (with
/// the whole log's peaks when a `--model` was sized for it).
fn quota_notes(
    summary: &TrafficSummary,
    analyses: &[analysis::ModelAnalysis],
    groups: &[GroupAnalysis],
    sizing: &SizingSettings,
    notes: &mut Vec<Note>,
) {
    let mut sized = analyses
        .iter()
        .chain(groups.iter().filter_map(|g| g.sizing.as_ref()))
        .filter(|a| a.standard_tpm_quota.is_some());
    let Some(first) = sized.next() else {
        return;
    };
    let code = match sizing.max_tokens {
        Some(_) => NoteCode::StandardQuota,
        None => NoteCode::MaxTokensAssumed,
    };
    notes.push(Note::new(
        code,
        match sizing.max_tokens {
            Some(n) => format!(
                "standard quota counts prompt + {} max_tokens per request at admission \
             (--max-tokens)",
                numfmt::count(f64::from(n))
            ),
            None => "standard quota counts prompt + each request's own completion as max_tokens \
                 at admission, as a replay sends; clients that send a larger max_tokens need \
                 more quota: give it with --max-tokens"
                .into(),
        },
    ));
    let window = sizing.rpm_window;
    let peak = summary.peak_window_requests(window);
    let whole_log = analyses.iter().any(|a| a.standard_tpm_quota.is_some());
    notes.push(Note::new(
        NoteCode::StandardQuota,
        match (first.standard_quota_basis, peak) {
            (Some(QuotaBasis::Observed), _) if !whole_log => format!(
                "standard quota admits each deployment's (or model's) busiest {} request window \
             and busiest calendar minute of admission tokens, the windows `simulate` enforces \
             (--rpm-window)",
                window.as_str()
            ),
            (Some(QuotaBasis::Observed), Some(peak)) => format!(
                "standard quota admits the busiest {} request window ({}) and the busiest \
             calendar minute of admission tokens ({}), the windows `simulate` enforces \
             (--rpm-window); replaying the log against it refuses nothing",
                window.as_str(),
                numfmt::plural(peak, "request", "requests"),
                numfmt::short(summary.peak_admission_tpm)
            ),
            _ => format!(
                "standard quota: per-minute input has no sub-minute detail, so it is sized for \
             random (Poisson) arrivals at the busiest minute's {} with at most {} of first \
             attempts refused (--max-throttle) at the {} window",
                numfmt::plural(summary.rpm.max, "request", "requests"),
                numfmt::percent(sizing.max_throttle),
                window.as_str()
            ),
        },
    ));
}

/// How the log was read: rows skipped, and how peaks are measured.
fn reading_notes(stats: &ReadStats, first_skipped: &[String]) -> Vec<Note> {
    let mut notes = Vec::new();
    if stats.skipped > 0 {
        notes.push(Note::new(
            NoteCode::SkippedRows,
            format!(
                "{} skipped as invalid, first at {}",
                numfmt::plural(stats.skipped as f64, "row", "rows"),
                first_skipped.join(", ")
            ),
        ));
    }
    if !stats.at_row_limit.is_empty() {
        notes.push(Note::new(
            NoteCode::ExportRowLimit,
            format!(
                "{} {} exactly as many rows as Log Analytics returns at most (30,000 in the \
                 portal, 500,000 through the API): if it is a query's export it may be cut \
                 off; export shorter spans (a day at a time) and give analyze every file",
                stats.at_row_limit.join(", "),
                if stats.at_row_limit.len() == 1 {
                    "holds"
                } else {
                    "hold"
                }
            ),
        ));
    }
    if stats.minute_counts {
        notes.push(Note::new(
            NoteCode::PeakMeasurement,
            "every counted row is on a whole minute, so the counts are read as per-minute \
             totals: peaks are calendar minutes, and the standard quota is sized for random \
             arrivals within them; export per second (analyze --kql apim) for exact peaks"
                .into(),
        ));
    }
    if !stats.per_minute_metrics {
        let rows = match &stats.count_column {
            Some(column) => format!("each row stands for its '{column}' requests in one second; "),
            None => String::new(),
        };
        notes.push(Note::new(
            NoteCode::PeakMeasurement,
            format!(
                "{rows}peaks are the busiest windows starting on any whole second, not calendar \
                 minutes; distributions and capacity checks are per calendar minute"
            ),
        ));
    }
    notes
}

/// The lifecycles of the models sized, on their deployment types' SKUs.
fn analyzed_lifecycles(
    analyses: &[analysis::ModelAnalysis],
    groups: &[GroupAnalysis],
    catalog: &Catalog,
    as_of: NaiveDate,
) -> Lifecycles {
    let used = analyses
        .iter()
        .chain(groups.iter().filter_map(|g| g.sizing.as_ref()))
        .filter_map(|a| {
            let model = catalog.find(&a.model).ok()?;
            Some((model, both_skus(a.deployment).to_vec()))
        });
    Lifecycles::of(used, catalog, as_of)
}

/// `analyze`: read the logs, measure the true peaks, size each model and group, report.
pub(super) fn run_analyze(
    args: &AnalyzeArgs,
    catalog: &Catalog,
    format: Format,
    as_of: NaiveDate,
) -> anyhow::Result<String> {
    if let Some(source) = args.kql {
        return print_kql(source, args, catalog, format);
    }
    let models = chosen_models(args, catalog)?;
    let (mut profile_file, mut plot_file) = open_outputs(args)?;
    let input = AnalyzeInput::read(args)?;
    let (buckets, stats, sizing) = (&input.log.all, &input.stats, &input.sizing);
    let (minutes, first_minute) = analysis::minutes(buckets);
    let inputs = SummaryInputs {
        per_minute: stats.per_minute_metrics,
        max_tokens: sizing.max_tokens,
        reasoning: input.log.reasoning,
    };
    let summary = analysis::summarize(buckets, &minutes, inputs);
    let mut notes = Vec::new();
    let monthly = !models.is_empty() || !input.log.groups.is_empty();
    let period_minutes = period(args.period, minutes.len() as u64, monthly, &mut notes)?;
    notes.extend(per_minute_note(stats));
    let sizer = Sizer {
        args,
        catalog,
        sizing,
    };
    let traffic = Traffic {
        buckets,
        minutes: &minutes,
        period: period_minutes,
        summary: &summary,
    };
    let groups = (&input.log.groups, inputs);
    let sized = size_traffic(&sizer, (traffic, first_minute), &models, groups, &mut notes)?;
    notes.extend(reading_notes(stats, &input.first_skipped));
    let chart = Chart {
        models: &models,
        analyses: &sized.analyses,
        minutes: &minutes,
        summary: &summary,
    };
    let files = (profile_file.as_mut(), plot_file.as_mut());
    let profile_out = fill_outputs(args, files, chart, first_minute, &mut notes)?;
    let service_tiers = input.log.tiers.shares();
    notes.extend(service_tier_notes(args, &service_tiers));
    let lifecycle = analyzed_lifecycles(&sized.analyses, &sized.groups, catalog, as_of);
    notes.extend(lifecycle.notes());
    let report = AnalyzeReport {
        summary,
        models: sized.analyses,
        group_column: input.stats.group_column,
        groups: sized.groups,
        over_capacity: sized.over,
        rpm_window: input.sizing.rpm_window,
        max_tokens: input.sizing.max_tokens,
        period_minutes,
        rows: input.stats.rows,
        skipped_rows: input.stats.skipped,
        first_skipped: input.first_skipped,
        profile_out,
        service_tiers,
        notes,
    };
    let text = match format {
        Format::Json => render_json(catalog, Some(&lifecycle), &report)?,
        Format::Table | Format::Markdown => table::analyze(&report, &catalog.currency),
    };
    for file in [profile_file, plot_file].into_iter().flatten() {
        file.commit()?;
    }
    Ok(text)
}

/// The logs read and checked, with the sizing settings: what `analyze` computes from.
struct AnalyzeInput {
    log: LogBuckets,
    stats: ReadStats,
    /// The first rows skipped as invalid, quoted.
    first_skipped: Vec<String>,
    sizing: SizingSettings,
}

impl AnalyzeInput {
    /// Reads every log, tells per-minute counts apart, and checks the buckets against the
    /// sizing flags.
    fn read(args: &AnalyzeArgs) -> anyhow::Result<Self> {
        let (log, mut stats, first_skipped) = read_logs(args)?;
        mark_minute_counts(&mut stats, &log.all)?;
        let sizing = sizing_settings(args)?;
        check_buckets(&log.all, &stats, &sizing)?;
        Ok(Self {
            log,
            stats,
            first_skipped,
            sizing,
        })
    }
}

/// The traffic sized: per `--model`, per group, and the minutes over `--ptu`.
struct Sized {
    analyses: Vec<analysis::ModelAnalysis>,
    groups: Vec<GroupAnalysis>,
    over: Vec<analysis::OverCapacity>,
}

/// The traffic sized for each `--model`, each group sized for its model, the minutes over
/// `--ptu`, and the quota's notes.
fn size_traffic(
    sizer: &Sizer,
    (traffic, first_minute): (Traffic, i64),
    models: &[&Model],
    (groups, inputs): (
        &std::collections::BTreeMap<String, traffic::log::Group>,
        SummaryInputs,
    ),
    notes: &mut Vec<Note>,
) -> Result<Sized, InputError> {
    let window = WindowLoad {
        buckets: traffic.buckets,
        first_minute,
        per_minute: inputs.per_minute,
    };
    let analyses = models
        .iter()
        .map(|model| sizer.size(traffic, model, notes))
        .collect::<Result<Vec<_>, _>>()?;
    let groups = size_groups(sizer, groups, models, (inputs, traffic.period), notes)?;
    let over = over_capacity(
        sizer.args,
        models,
        traffic.minutes,
        window,
        sizer.sizing,
        notes,
    );
    quota_notes(traffic.summary, &analyses, &groups, sizer.sizing, notes);
    Ok(Sized {
        analyses,
        groups,
        over,
    })
}

/// `--profile-out` and `--plot`, checked and opened before the logs are read, and written
/// only on success.
fn open_outputs(args: &AnalyzeArgs) -> anyhow::Result<(Option<OutputFile>, Option<OutputFile>)> {
    let inputs: Vec<&std::path::Path> = args.files.iter().map(std::path::Path::new).collect();
    refuse_overwriting_inputs(args.profile_out.as_deref(), "--profile-out", &inputs)?;
    refuse_overwriting_inputs(args.plot.as_deref(), "--plot", &inputs)?;
    Ok((
        OutputFile::open_if(args.profile_out.as_deref(), "profile")?,
        OutputFile::open_plot(args.plot.as_deref())?,
    ))
}

/// What per-minute input cannot tell, if the input is per minute.
fn per_minute_note(stats: &ReadStats) -> Option<Note> {
    stats.per_minute_metrics.then(|| {
        Note::new(
            NoteCode::PeakMeasurement,
            "per-minute input (Azure Monitor metric totals, or azure-openai-benchmark's rolling \
             rpm and tpm taken once a minute): peaks are per minute, sub-minute peaks unknown, \
             cached tokens not included"
                .into(),
        )
    })
}

/// Fills `--profile-out` (the per-minute curve) and `--plot` (the chart), committed later
/// with the answer; returns the profile's path for the report.
fn fill_outputs(
    args: &AnalyzeArgs,
    (profile, plot): (Option<&mut OutputFile>, Option<&mut OutputFile>),
    chart: Chart<'_>,
    first_minute: i64,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Option<String>> {
    let profile_out = match (&args.profile_out, profile) {
        (Some(path), Some(file)) => {
            notes.extend(profile_notes(chart.analyses));
            file.write_all(profile_csv(chart.minutes, first_minute).as_bytes())?;
            Some(path.display().to_string())
        }
        _ => None,
    };
    if let (Some(path), Some(file)) = (&args.plot, plot) {
        file.write_all(plot_svg(args, chart)?.as_bytes())?;
        notes.push(Note::new(
            NoteCode::FileWritten,
            format!("plot written to {}", path.display()),
        ));
    }
    Ok(profile_out)
}

/// `analyze --kql`: the query for Log Analytics, which reads no log.
fn print_kql(
    source: KqlSource,
    args: &AnalyzeArgs,
    catalog: &Catalog,
    format: Format,
) -> anyhow::Result<String> {
    if !args.files.is_empty() {
        return Err(InputError::Usage(
            "--kql prints a query and reads no log: drop the files".into(),
        )
        .into());
    }
    let query = match source {
        KqlSource::Metrics => KQL,
        KqlSource::Apim => KQL_APIM,
    };
    match format {
        Format::Json => render_json(catalog, None, &serde_json::json!({ "kql": query })),
        Format::Table | Format::Markdown => Ok(query.to_string()),
    }
}

/// The `--model`s, found in the catalog; `--ptu` needs exactly one.
fn chosen_models<'c>(args: &AnalyzeArgs, catalog: &'c Catalog) -> anyhow::Result<Vec<&'c Model>> {
    let models = args
        .models
        .iter()
        .map(|name| catalog.find(name))
        .collect::<Result<Vec<_>, _>>()?;
    if args.ptu.is_some() && models.len() != 1 {
        return Err(
            InputError::Usage("--ptu needs exactly one --model (its PTU ratios)".into()).into(),
        );
    }
    Ok(models)
}

/// Counts on whole minutes only are per-minute counts (`bin(TimeGenerated, 1m)`): they hold
/// no sub-minute detail, so they are read as per-minute metrics are. Counts spaced by more
/// than a minute (5-minute or hourly bins) would be read as minute bursts: an error.
fn mark_minute_counts(stats: &mut ReadStats, buckets: &SecondBuckets) -> Result<(), InputError> {
    if stats.count_column.is_none()
        || stats.per_minute_metrics
        || buckets.len() < 2
        || buckets.keys().any(|second| second.rem_euclid(60) != 0)
    {
        return Ok(());
    }
    let gcd = |mut a: i64, mut b: i64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let keys: Vec<i64> = buckets.keys().copied().collect();
    let step = keys.windows(2).fold(0, |g, pair| gcd(g, pair[1] - pair[0]));
    if step > 60 {
        return Err(InputError::Usage(format!(
            "the counted rows are {} minutes apart: counts over longer bins than a minute \
             cannot be placed within their bin; export per second (analyze --kql apim) or per \
             minute (bin(TimeGenerated, 1m))",
            step / 60
        )));
    }
    stats.per_minute_metrics = true;
    stats.minute_counts = true;
    Ok(())
}

/// What the service tiers served says: standard answers to what may have been sent as
/// priority or flex.
fn service_tier_notes(args: &AnalyzeArgs, shares: &[TierShare]) -> Vec<Note> {
    if let (Some(column), true) = (&args.service_tier_column, shares.is_empty()) {
        return vec![Note::new(
            NoteCode::GroupNotSized,
            format!(
                "--service-tier-column {}: no row has it, so nothing is split by tier",
                crate::render::clean(column, 60)
            ),
        )];
    }
    let served = |tier: &str| shares.iter().find(|s| s.tier == tier);
    let (Some(default), true) = (
        served("default"),
        served("priority").is_some() || served("flex").is_some(),
    ) else {
        return Vec::new();
    };
    vec![Note::new(
        NoteCode::PriorityDowngrade,
        format!(
            "{} of the requests were served by the standard tier (service_tier \"default\") \
             beside priority or flex ones: requests sent as priority are served and billed as \
             standard when traffic ramps more than 50% in 15 minutes or prompts are long (S57); \
             flex has no automatic fallback, so 'default' flex traffic is the client's retries \
             (S59)",
            crate::numfmt::percent(default.request_share)
        ),
    )]
}

/// The column names given on the command line.
fn column_names(args: &AnalyzeArgs) -> ColumnNames {
    ColumnNames {
        timestamp: args.timestamp_column.clone(),
        prompt: args.prompt_column.clone(),
        completion: args.completion_column.clone(),
        cached: args.cached_column.clone(),
        reasoning: args.reasoning_column.clone(),
        model: args.model_column.clone(),
        deployment: args.deployment_column.clone(),
        service_tier: args.service_tier_column.clone(),
        requests: args.requests_column.clone(),
    }
}

/// Reads every log (stdin for `-` or none) into per-second buckets; also the read statistics
/// and the first skipped rows as `FILE:LINE`.
fn read_logs(args: &AnalyzeArgs) -> anyhow::Result<(LogBuckets, ReadStats, Vec<String>)> {
    let names = column_names(args);
    let paths: Vec<String> = if args.files.is_empty() {
        vec!["-".into()]
    } else {
        args.files.clone()
    };
    super::files::reject_repeated_paths(&paths)?;
    let mut log = LogBuckets::default();
    let mut stats = ReadStats::default();
    let mut first_skipped = Vec::new();
    let progress = super::progress_bar(true, 0, "{msg} {wide_bar} {bytes}/{total_bytes} {eta}");
    for path in &paths {
        // A plain CSV file is read in two halves on two threads; any error is then reported
        // by reading it again in one pass, so that line numbers are exact.
        if !args.skip_invalid
            && let Some(read) = read_csv_in_halves(path, args.log_format, &names, &mut log)
        {
            add_stats(&mut stats, read, path);
            continue;
        }
        let (reader, log_format) = open_log(path, args.log_format, &progress)?;
        let read = traffic::log::read(
            reader,
            path,
            log_format,
            &names,
            args.skip_invalid,
            &mut log,
        )?;
        first_skipped.extend(
            read.first_skipped
                .iter()
                .map(|line| format!("{path}:{line}")),
        );
        add_stats(&mut stats, read, path);
    }
    progress.finish_and_clear();
    Ok((log, stats, first_skipped))
}

/// Row counts at which Log Analytics cuts a query's result: the API's 500,000 records, and the
/// 30,000 rows the portal's Logs page shows and exports.
const EXPORT_ROW_LIMITS: [u64; 2] = [30_000, 500_000];

/// Adds one file's read to the run's: rows, skipped rows, columns, and whether an export of
/// counts stops at a Log Analytics row limit (its file named in `at_row_limit`).
fn add_stats(stats: &mut ReadStats, read: ReadStats, path: &str) {
    if read.count_column.is_some() && EXPORT_ROW_LIMITS.contains(&read.rows) {
        stats.at_row_limit.push(path.to_string());
    }
    stats.rows += read.rows;
    stats.skipped += read.skipped;
    stats.group_column = stats.group_column.take().or(read.group_column);
    stats.count_column = stats.count_column.take().or(read.count_column);
    stats.per_minute_metrics |= read.per_minute_metrics;
}

/// Errors for logs with no requests, a `--max-tokens` below their completions, or a span
/// over [`MAX_SPAN_DAYS`].
fn check_buckets(
    buckets: &SecondBuckets,
    stats: &ReadStats,
    sizing: &SizingSettings,
) -> Result<(), InputError> {
    if buckets.is_empty() {
        let why = if stats.skipped > 0 {
            format!("all {} rows were skipped as invalid", stats.skipped)
        } else {
            "the logs hold no requests".to_string()
        };
        return Err(InputError::Usage(format!("{why}: nothing to analyze")));
    }
    analysis::check_max_tokens(buckets, sizing.max_tokens)?;
    let first_second = *buckets.keys().next().unwrap_or(&0);
    let last_second = *buckets.keys().next_back().unwrap_or(&0);
    if last_second - first_second > MAX_SPAN_DAYS * 86_400 {
        return Err(InputError::Usage(format!(
            "the logs span {} days ({} to {}); analyze at most {MAX_SPAN_DAYS} days at a time \
             (is one timestamp wrong?)",
            (last_second - first_second) / 86_400,
            crate::timestamp::format_second(first_second),
            crate::timestamp::format_second(last_second)
        )));
    }
    Ok(())
}

/// Some traffic to size: per second, per calendar minute, the span it stands for, summarized.
#[derive(Clone, Copy)]
struct Traffic<'a> {
    buckets: &'a SecondBuckets,
    minutes: &'a [MinuteLoad],
    period: u64,
    summary: &'a TrafficSummary,
}

/// Sizes models for traffic, with a hybrid when the catalog prices it.
struct Sizer<'a> {
    args: &'a AnalyzeArgs,
    catalog: &'a Catalog,
    sizing: &'a SizingSettings,
}

impl Sizer<'_> {
    fn size(
        &self,
        traffic: Traffic,
        model: &Model,
        notes: &mut Vec<Note>,
    ) -> Result<analysis::ModelAnalysis, InputError> {
        let deployment = self.args.deployment;
        let prices = prices::resolve(
            model,
            self.catalog.ptu_prices.get(&deployment),
            deployment,
            &PriceOverrides::default(),
            &self.catalog.currency,
        );
        let settings = prices.ok().map(|p| CostSettings {
            deployment,
            peak_normalized_tpm: None,
            hours_per_month: crate::calc::cost::DEFAULT_HOURS_PER_MONTH,
            hybrid_term: Term::OneYear,
            target_utilization: 1.0,
            token_prices: p.tokens,
            ptu_rates: p.ptu,
            token_price_source: p.token_source,
            ptu_price_source: p.ptu_source,
            prices_unverified: p.unverified,
            standard: None,
            admission_max_tokens: None,
            currency: self.catalog.currency.clone(),
            // analyze reads the hybrid only.
            tiers: TierSetup::none("not priced by analyze"),
            flex_availability: 1.0,
            batch_share: 0.0,
            subscription: SubscriptionType::Default,
            latency: None,
        });
        if settings.is_none() {
            notes.push(Note::new(
                NoteCode::NoPrices,
                format!(
                    "{}: no catalog prices on {}, so no hybrid",
                    model.name, deployment
                ),
            ));
        }
        let usable = settings
            .filter(|s| traffic.summary.cached_tokens == 0.0 || s.token_prices.cached.is_some());
        analysis::analyze_model(
            traffic.buckets,
            analysis::Minutes {
                load: traffic.minutes,
                period: traffic.period,
            },
            traffic.summary,
            model,
            deployment,
            self.sizing,
            usable.as_ref(),
        )
    }
}

/// Each deployment (or model) the log names, summarized and sized as the model the log names
/// for it, else the name as a model, else the one `-m` given.
fn size_groups(
    sizer: &Sizer,
    groups: &std::collections::BTreeMap<String, traffic::log::Group>,
    models: &[&Model],
    (inputs, period_minutes): (SummaryInputs, u64),
    notes: &mut Vec<Note>,
) -> Result<Vec<GroupAnalysis>, InputError> {
    let (catalog, deployment) = (sizer.catalog, sizer.args.deployment);
    let mut group_analyses = Vec::new();
    for (name, group) in groups {
        let (group_minutes, _) = analysis::minutes(&group.buckets);
        let group_inputs = SummaryInputs {
            reasoning: group.reasoning,
            ..inputs
        };
        let summary = analysis::summarize(&group.buckets, &group_minutes, group_inputs);
        let model = catalog
            .find_logged(group.model.as_deref().unwrap_or(name))
            .or_else(|| catalog.find_logged(name))
            .or(match (group.model.as_ref(), models) {
                (None, [only]) => Some(*only),
                _ => None,
            });
        let sizing = match model {
            Some(model) if model.provisioned(deployment).is_some() => {
                let traffic = Traffic {
                    buckets: &group.buckets,
                    minutes: &group_minutes,
                    period: period_minutes,
                    summary: &summary,
                };
                Some(sizer.size(traffic, model, notes)?)
            }
            Some(model) => {
                notes.push(Note::new(
                    NoteCode::GroupNotSized,
                    format!(
                        "{name}: {} has no {deployment} provisioned deployment, so no sizing",
                        model.name
                    ),
                ));
                None
            }
            None => {
                notes.push(Note::new(NoteCode::GroupNotSized, format!(
                    "{name}: model '{}' is not in the catalog, so no sizing (give one -m to size \
                     every deployment as that model)",
                    group.model.as_deref().unwrap_or(name)
                )));
                None
            }
        };
        group_analyses.push(GroupAnalysis {
            name: name.clone(),
            log_model: group.model.clone(),
            traffic: summary,
            sizing,
        });
    }
    Ok(group_analyses)
}

/// The candidate checks: `--ptu` (with one model) and `--tpm-quota`, minute by minute.
fn over_capacity(
    args: &AnalyzeArgs,
    models: &[&Model],
    minutes: &[MinuteLoad],
    window: WindowLoad,
    sizing: &SizingSettings,
    notes: &mut Vec<Note>,
) -> Vec<analysis::OverCapacity> {
    let mut over = Vec::new();
    if let (Some(ptu), [model]) = (args.ptu, models) {
        let label = format!(
            "{} PTU of {} ({})",
            numfmt::count(ptu),
            model.name,
            args.deployment
        );
        over.push(analysis::over_capacity(
            minutes,
            ptu * model.input_tpm_per_ptu,
            label,
            |_, m| m.normalized(model),
        ));
    }
    if let Some(quota) = args.tpm_quota {
        over.push(quota_check(
            quota, models, minutes, window, args, sizing, notes,
        ));
    }
    over
}

/// Notes for `--profile-out`: a profile holds calendar minutes, which can be below the
/// busiest 60 s the PTUs are sized for.
fn profile_notes(analyses: &[analysis::ModelAnalysis]) -> Vec<Note> {
    analyses
        .iter()
        .filter(|a| a.peak_normalized_tpm > a.normalized_tpm.max)
        .map(|a| {
            Note::new(
                NoteCode::LoadProfile,
                format!(
                    "the profile holds calendar minutes: `cost --profile` sizes {} for the \
                 busiest one ({} normalized TPM), below the busiest 60 s ({}, {} PTU)",
                    a.model,
                    numfmt::short(a.normalized_tpm.max),
                    numfmt::short(a.peak_normalized_tpm),
                    numfmt::count(a.ptu_for_peak as f64)
                ),
            )
        })
        .collect()
}

/// The per-minute load in the profile format `cost --profile` reads.
fn profile_csv(minutes: &[MinuteLoad], first_minute: i64) -> String {
    let mut csv = String::from("timestamp,rpm,prompt,completion,cached\n");
    for (i, m) in minutes.iter().enumerate() {
        let stamp = crate::timestamp::format_second((first_minute + i as i64) * 60);
        csv.push_str(&format!(
            "{stamp},{},{},{},{}\n",
            m.requests, m.prompt, m.completion, m.cached
        ));
    }
    csv
}

/// What the plot draws.
struct Chart<'a> {
    models: &'a [&'a Model],
    analyses: &'a [analysis::ModelAnalysis],
    minutes: &'a [MinuteLoad],
    summary: &'a TrafficSummary,
}

/// The per-minute tokens and normalized TPM against the PTU capacity and the standard quota,
/// as SVG.
fn plot_svg(args: &AnalyzeArgs, chart: Chart) -> anyhow::Result<String> {
    let minutes = chart.minutes;
    let tokens: Vec<f64> = minutes.iter().map(MinuteLoad::tokens).collect();
    let mut series = vec![plot::Series {
        label: "tokens per calendar minute",
        values: &tokens,
        color: plot::GREY,
    }];
    let normalized: Vec<f64> = chart.models.first().map_or(Vec::new(), |m| {
        minutes.iter().map(|x| x.normalized(m)).collect()
    });
    let normalized_label = chart
        .models
        .first()
        .map(|m| format!("{} normalized TPM (calendar minutes)", m.name))
        .unwrap_or_default();
    if !normalized.is_empty() {
        series.push(plot::Series {
            label: &normalized_label,
            values: &normalized,
            color: plot::BLUE,
        });
    }
    let mut levels = Vec::new();
    let ptu_label;
    if let (Some(model), Some(first)) = (chart.models.first(), chart.analyses.first()) {
        let ptu = args.ptu.unwrap_or(first.ptu_for_peak as f64);
        ptu_label = format!(
            "{} PTU capacity (normalized TPM){}",
            numfmt::count(ptu),
            match args.ptu {
                Some(_) => "",
                None => ", sized for the busiest sliding 60 s",
            }
        );
        levels.push(plot::Level {
            label: &ptu_label,
            value: ptu * model.input_tpm_per_ptu,
            color: plot::RED,
        });
    }
    let quota = args.tpm_quota.or(chart
        .analyses
        .first()
        .and_then(|a| a.standard_tpm_quota.map(|q| q as f64)));
    let quota_label = format!("standard quota {} TPM", numfmt::short(quota.unwrap_or(0.0)));
    if let Some(quota) = quota {
        levels.push(plot::Level {
            label: &quota_label,
            value: quota,
            color: plot::ORANGE,
        });
    }
    // The curve is per calendar minute; the PTUs are sized for the busiest 60 s starting on
    // any second, which can exceed every calendar minute: the title says so.
    let title = format!(
        "Per calendar minute from {}; PTUs sized for the sliding 60 s peak",
        chart.summary.first
    );
    plot::svg(
        &title,
        &chart.summary.first,
        "tokens per minute",
        &series,
        &levels,
    )
    .map_err(|e| anyhow::anyhow!("cannot draw the plot: {e}"))
}
