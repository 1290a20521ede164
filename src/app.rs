//! Orchestration: command-line arguments → validated request → pure core → rendered bytes.
//! The only module that reads files or writes output.

use std::io::{BufRead, Write};

use clap::CommandFactory;
use serde::Serialize;

use crate::calc::budget::{self, BudgetReport};
use crate::calc::capacity::{Limit, capacity};
use crate::calc::cost::{CostSettings, Term, cost};
use crate::calc::load::{LoadCurve, MinuteLoad};
use crate::calc::plan::{PlanReport, plan};
use crate::calc::prices::{self, PriceOverrides};
use crate::calc::rounding::{deployable_ptu, snap};
use crate::calc::sizing::{ModelSizing, SizeOptions, size};
use crate::calc::workload::{RequestShape, TokenCounts, Workload};
use crate::catalog::{Catalog, Model, Source};
use crate::cli::{
    AnalyzeArgs, CapacityArgs, Cli, Command, CostArgs, Format, LogFormatArg, ModelsArgs, RetryArg,
    RpmWindowArg, ShapeArgs, SimulateArgs, SizeArgs, SortOrder, TermArg, TokensArgs,
};
use crate::error::{BudgetExceeded, CatalogError, InputError};
use crate::render::{json, plot, table};
use crate::tokens::count::{MeasuredTokens, ParsedInput, TokenStat, count_inputs};
use crate::tokens::encoding::Encoding;
use crate::tokens::request::{self, InputKind, Request, Side};
use crate::traffic::analysis::{self, AnalyzeReport, GroupAnalysis, TrafficSummary};
use crate::traffic::log::{ColumnNames, LogBuckets, LogFormat, ReadStats, SecondBuckets};
use crate::{numfmt, plan_file, profile, traffic};

/// Runs one command, writing its output to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<()> {
    let format = cli.output_format();
    let text = match &cli.command {
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "ptuplan", &mut script);
            out.write_all(&script)?;
            return Ok(());
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page)?;
            out.write_all(&page)?;
            return Ok(());
        }
        Command::Size(args) => run_size(args, &load_catalog(&cli)?, format)?,
        Command::Capacity(args) => run_capacity(args, &load_catalog(&cli)?, format)?,
        Command::Cost(args) => run_cost(args, &load_catalog(&cli)?, format)?,
        Command::Tokens(args) => run_tokens(args, &load_catalog(&cli)?, format)?,
        Command::Analyze(args) => run_analyze(args, &load_catalog(&cli)?, format)?,
        Command::Simulate(args) => run_simulate(args, &load_catalog(&cli)?, format)?,
        Command::Plan(args) => run_plan(&args.file, None, &load_catalog(&cli)?, format)?.0,
        Command::Check(args) => {
            let catalog = load_catalog(&cli)?;
            let (text, budget) =
                run_plan(&args.file, Some(args.baseline.as_deref()), &catalog, format)?;
            out.write_all(text.as_bytes())?;
            out.flush()?;
            return match budget {
                Some(report) if !report.ok => Err(BudgetExceeded(report.exceeded_summary()).into()),
                _ => Ok(()),
            };
        }
        Command::Models(args) => run_models(args, &load_catalog(&cli)?, format)?,
    };
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Environment variable naming a catalog file; `--catalog` wins, an empty value is ignored.
pub const CATALOG_ENV: &str = "PTUPLAN_CATALOG";

/// The catalog named by `--catalog` or `PTUPLAN_CATALOG`, or the embedded one.
fn load_catalog(cli: &Cli) -> anyhow::Result<Catalog> {
    let from_env = std::env::var_os(CATALOG_ENV).filter(|value| !value.is_empty());
    let (path, shown) = match (&cli.catalog, from_env) {
        (Some(path), _) => (path.clone(), path.display().to_string()),
        (None, Some(value)) => {
            let path = std::path::PathBuf::from(value);
            let shown = format!("{} (from {CATALOG_ENV})", path.display());
            (path, shown)
        }
        (None, None) => return Ok(Catalog::embedded()?),
    };
    let text = std::fs::read_to_string(&path).map_err(|error| CatalogError::Read {
        path: shown.clone(),
        error,
    })?;
    Ok(Catalog::parse(&text, &shown)?)
}

fn request_shape(args: &ShapeArgs) -> anyhow::Result<RequestShape> {
    let counts = TokenCounts {
        total: args.tokens,
        prompt: args.prompt,
        completion: args.completion,
    };
    Ok(RequestShape::new(counts, args.cache_rate, args.max_tokens)?)
}

fn render_json<T: Serialize>(catalog: &Catalog, body: &T) -> anyhow::Result<String> {
    Ok(json::render(catalog, body)?)
}

fn run_size(args: &SizeArgs, catalog: &Catalog, format: Format) -> anyhow::Result<String> {
    let rpm = match (args.rate.rpm, args.rate.qps) {
        (Some(rpm), _) => rpm,
        (None, Some(qps)) => qps * 60.0,
        (None, None) => unreachable!("clap requires --rpm or --qps"),
    };
    // Named models in the order given, each once (a name and its alias are one model).
    let mut models: Vec<&Model> = Vec::new();
    for name in &args.models {
        let model = catalog.find(name)?;
        if !models.iter().any(|m| m.name == model.name) {
            models.push(model);
        }
    }
    if models.is_empty() {
        models = catalog.models.iter().collect();
    }
    if args.prompt_file.is_empty()
        && args.completion_file.is_empty()
        && args.token_stat != TokenStat::Mean
    {
        return Err(InputError::Usage(
            "--token-stat applies to --prompt-file and --completion-file; give one of them".into(),
        )
        .into());
    }
    let mut token_notes = Vec::new();
    let measure = |files: &[String],
                   side: Side,
                   notes: &mut Vec<String>|
     -> anyhow::Result<Option<MeasuredTokens>> {
        if files.is_empty() {
            return Ok(None);
        }
        let encoding = match args.encoding {
            Some(encoding) => encoding,
            None => models_encoding(&models, notes)?,
        };
        let inputs = read_inputs(files, InputKind::Auto, side, args.lossy)?;
        let counted = count_inputs(encoding, None, &inputs);
        notes.extend(
            counted
                .notes
                .iter()
                .filter(|n| n.contains("not counted"))
                .cloned(),
        );
        Ok(Some(MeasuredTokens {
            stat: args.token_stat,
            encoding,
            files: files.to_vec(),
            tokens: args.token_stat.of(&counted.distribution),
            distribution: counted.distribution,
        }))
    };
    let measured_prompt = measure(&args.prompt_file, Side::Prompt, &mut token_notes)?;
    let measured_completion = measure(&args.completion_file, Side::Completion, &mut token_notes)?;
    let mut shape_args = args.shape.clone();
    if let Some(m) = &measured_prompt {
        shape_args.prompt = Some(m.tokens);
        if shape_args.completion.is_none() && measured_completion.is_none() {
            return Err(InputError::Usage(
                "--prompt-file needs the completion side too: give --completion N or \
                 --completion-file FILE"
                    .into(),
            )
            .into());
        }
    }
    if let Some(m) = &measured_completion {
        shape_args.completion = Some(m.tokens);
        if shape_args.prompt.is_none() {
            return Err(InputError::Usage(
                "--completion-file needs the prompt side too: give --prompt N or --prompt-file FILE"
                    .into(),
            )
            .into());
        }
    }
    let workload = Workload::new(rpm, request_shape(&shape_args)?)?;
    let options = SizeOptions {
        deployment: args.deployment,
        target_utilization: args.target_utilization,
    };
    let mut report = size(&workload, &models, options, !args.models.is_empty())?;
    sort_models(&mut report.models, args.sort);
    report.measured_prompt = measured_prompt;
    report.measured_completion = measured_completion;
    token_notes.dedup();
    report.notes.extend(token_notes);
    match format {
        Format::Json => render_json(catalog, &report),
        Format::Table => Ok(table::size(&report, catalog)),
    }
}

/// The one encoding the models use (o200k_base when none names one); an error when they
/// differ. Models without a tiktoken encoding get a note: their counts are approximations.
fn models_encoding(models: &[&Model], notes: &mut Vec<String>) -> anyhow::Result<Encoding> {
    let mut found: Vec<Encoding> = models.iter().filter_map(|m| m.tokenizer).collect();
    found.dedup();
    let without: Vec<&str> = models
        .iter()
        .filter(|m| m.tokenizer.is_none())
        .map(|m| m.name.as_str())
        .collect();
    let encoding = match found.as_slice() {
        [] => Encoding::O200kBase,
        [one] => *one,
        _ => {
            return Err(InputError::Usage(
                "the models use different encodings: give --encoding, or size one model at a time"
                    .into(),
            )
            .into());
        }
    };
    if !without.is_empty() {
        notes.push(format!(
            "{} not in tiktoken's model table: sample tokens counted with {encoding}, an \
             approximation for {}",
            if without.len() == 1 {
                "one model is"
            } else {
                "some models are"
            },
            without.join(", ")
        ));
    }
    Ok(encoding)
}

/// Reads several token inputs; stdin may appear once.
fn read_inputs(
    paths: &[String],
    kind: InputKind,
    side: Side,
    lossy: bool,
) -> anyhow::Result<Vec<ParsedInput>> {
    for (i, path) in paths.iter().enumerate() {
        if paths[..i].contains(path) {
            return Err(InputError::Usage(format!(
                "'{path}' is given more than once: its requests would be counted twice"
            ))
            .into());
        }
    }
    paths
        .iter()
        .map(|path| read_input(path, kind, side, lossy))
        .collect()
}

/// Reads, decodes and parses one token input (`-` is stdin).
fn read_input(path: &str, kind: InputKind, side: Side, lossy: bool) -> anyhow::Result<ParsedInput> {
    let bytes = if path == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|e| {
            InputError::File {
                kind: "file",
                path: "-".into(),
                line: None,
                message: format!("cannot read stdin: {e}"),
            }
        })?;
        bytes
    } else {
        std::fs::read(path).map_err(|e| InputError::File {
            kind: "file",
            path: path.to_string(),
            line: None,
            message: format!("cannot read it: {e}"),
        })?
    };
    let text = request::decode(bytes, path, lossy)?;
    let kind = request::resolve_kind(kind, path, &text);
    let requests = request::parse(&text, path, kind, side)?;
    Ok(ParsedInput {
        path: path.to_string(),
        kind,
        requests,
    })
}

fn run_tokens(args: &TokensArgs, catalog: &Catalog, format: Format) -> anyhow::Result<String> {
    let model = args
        .model
        .as_deref()
        .map(|name| catalog.find(name))
        .transpose()?;
    let encoding = match (args.encoding, model) {
        (Some(encoding), _) => encoding,
        (None, Some(model)) => model.tokenizer.ok_or_else(|| {
            InputError::Usage(format!(
                "{} is not in tiktoken's model table, so its encoding is unknown: add \
                 --encoding o200k_base to approximate",
                model.name
            ))
        })?,
        (None, None) => Encoding::O200kBase,
    };
    let paths: Vec<String> = if args.files.is_empty() {
        vec!["-".to_string()]
    } else {
        args.files.clone()
    };
    let inputs = read_inputs(&paths, args.input_kind, Side::Any, args.lossy)?;
    let mut report = count_inputs(encoding, model.map(|m| m.name.as_str()), &inputs);
    if let (Some(model), Some(_)) = (model, args.encoding)
        && model.tokenizer != Some(encoding)
    {
        report.notes.push(format!(
            "counted with {encoding}, which is not {}'s own encoding: an approximation",
            model.name
        ));
    }
    for input in inputs
        .iter()
        .filter(|i| i.path == "-" && i.kind == InputKind::Text)
    {
        let start = input.requests.first().map(|r| match r {
            Request::Text(text) => text.trim_start().starts_with(['{', '[']),
            Request::Chat(..) => false,
        });
        if start == Some(true) {
            report.notes.push(
                "stdin looks like JSON but does not parse as a chat request or JSONL: counted \
                 as plain text (give --input chat or jsonl to see the error)"
                    .into(),
            );
        }
    }
    if args.encoding.is_none() && model.is_none() {
        report
            .notes
            .push("no --model or --encoding: counted with o200k_base (gpt-4o and later)".into());
    }
    match format {
        Format::Json => render_json(catalog, &report),
        Format::Table => Ok(table::tokens(&report)),
    }
}

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
        ..ReadStats::default()
    })
}

/// Opens a log (`-` is stdin), decompressing gzip, and decides its format. A file read while
/// stderr is a terminal shows a progress bar (by bytes read); otherwise nothing is drawn.
fn open_log(
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

/// A Kusto query for Log Analytics that writes the per-minute export `analyze` reads.
/// The longest time span `analyze` takes: longer is almost always a wrong timestamp.
const MAX_SPAN_DAYS: i64 = 2 * 366;

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

fn run_analyze(args: &AnalyzeArgs, catalog: &Catalog, format: Format) -> anyhow::Result<String> {
    if args.kql {
        if !args.files.is_empty() {
            return Err(InputError::Usage(
                "--kql prints a query and reads no log: drop the files".into(),
            )
            .into());
        }
        return match format {
            Format::Json => render_json(catalog, &serde_json::json!({ "kql": KQL })),
            Format::Table => Ok(KQL.to_string()),
        };
    }
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
    let names = ColumnNames {
        timestamp: args.timestamp_column.clone(),
        prompt: args.prompt_column.clone(),
        completion: args.completion_column.clone(),
        cached: args.cached_column.clone(),
        model: args.model_column.clone(),
        deployment: args.deployment_column.clone(),
    };
    let paths: Vec<String> = if args.files.is_empty() {
        vec!["-".into()]
    } else {
        args.files.clone()
    };
    for (i, path) in paths.iter().enumerate() {
        if paths[..i].contains(path) {
            return Err(InputError::Usage(format!(
                "'{path}' is given more than once: its requests would be counted twice"
            ))
            .into());
        }
    }
    let mut log = LogBuckets::default();
    let mut stats = ReadStats::default();
    let mut first_skipped = Vec::new();
    let progress = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        indicatif::ProgressBar::new(0).with_style(
            indicatif::ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    for path in &paths {
        // A plain CSV file is read in two halves on two threads; any error is then reported
        // by reading it again in one pass, so that line numbers are exact.
        if !args.skip_invalid
            && let Some(read) = read_csv_in_halves(path, args.log_format, &names, &mut log)
        {
            stats.rows += read.rows;
            stats.group_column = stats.group_column.or(read.group_column);
            stats.per_minute_metrics |= read.per_minute_metrics;
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
        stats.rows += read.rows;
        stats.group_column = stats.group_column.or(read.group_column);
        stats.skipped += read.skipped;
        first_skipped.extend(
            read.first_skipped
                .iter()
                .map(|line| format!("{path}:{line}")),
        );
        stats.per_minute_metrics |= read.per_minute_metrics;
    }
    progress.finish_and_clear();
    let LogBuckets {
        all: buckets,
        groups,
    } = log;
    if buckets.is_empty() {
        let why = if stats.skipped > 0 {
            format!("all {} rows were skipped as invalid", stats.skipped)
        } else {
            "the logs hold no requests".to_string()
        };
        return Err(InputError::Usage(format!("{why}: nothing to analyze")).into());
    }
    let first_second = *buckets.keys().next().unwrap_or(&0);
    let last_second = *buckets.keys().next_back().unwrap_or(&0);
    if last_second - first_second > MAX_SPAN_DAYS * 86_400 {
        return Err(InputError::Usage(format!(
            "the logs span {} days ({} to {}); analyze at most {MAX_SPAN_DAYS} days at a time \
             (is one timestamp wrong?)",
            (last_second - first_second) / 86_400,
            crate::timestamp::format_second(first_second),
            crate::timestamp::format_second(last_second)
        ))
        .into());
    }
    let (minutes, first_minute) = analysis::minutes(&buckets);
    let summary = analysis::summarize(&buckets, &minutes, stats.per_minute_metrics);
    let mut notes = Vec::new();
    if stats.per_minute_metrics {
        notes.push(
            "per-minute input (Azure Monitor metric totals, or azure-openai-benchmark's rolling \
             rpm and tpm taken once a minute): peaks are per minute, sub-minute peaks unknown, \
             cached tokens not included"
                .into(),
        );
    }
    // Sizes `model` for the traffic in `buckets` (per minute `minutes`, summarized `summary`),
    // with a hybrid when the catalog prices it.
    let size_model = |buckets: &SecondBuckets,
                      minutes: &[MinuteLoad],
                      summary: &TrafficSummary,
                      model: &Model,
                      notes: &mut Vec<String>| {
        let prices = prices::resolve(
            model,
            catalog.ptu_prices.get(&args.deployment),
            args.deployment,
            &PriceOverrides::default(),
        );
        let settings = prices.ok().map(|p| CostSettings {
            deployment: args.deployment,
            peak_normalized_tpm: None,
            hours_per_month: crate::calc::cost::DEFAULT_HOURS_PER_MONTH,
            hybrid_term: Term::OneYear,
            target_utilization: 1.0,
            token_prices: p.tokens,
            ptu_rates: p.ptu,
            token_price_source: p.token_source,
            ptu_price_source: p.ptu_source,
            prices_unverified: p.unverified,
        });
        if settings.is_none() {
            notes.push(format!(
                "{}: no catalog prices on {}, so no hybrid",
                model.name, args.deployment
            ));
        }
        let usable =
            settings.filter(|s| summary.cached_tokens == 0.0 || s.token_prices.cached.is_some());
        analysis::analyze_model(
            buckets,
            minutes,
            summary,
            model,
            args.deployment,
            usable.as_ref(),
        )
    };
    let mut analyses = Vec::new();
    for model in &models {
        analyses.push(size_model(&buckets, &minutes, &summary, model, &mut notes)?);
    }
    let mut group_analyses = Vec::new();
    for (name, group) in &groups {
        let (group_minutes, _) = analysis::minutes(&group.buckets);
        let traffic = analysis::summarize(&group.buckets, &group_minutes, stats.per_minute_metrics);
        let model = catalog
            .find_logged(group.model.as_deref().unwrap_or(name))
            .or_else(|| catalog.find_logged(name));
        let sizing = match model {
            Some(model) if model.provisioned(args.deployment).is_some() => Some(size_model(
                &group.buckets,
                &group_minutes,
                &traffic,
                model,
                &mut notes,
            )?),
            Some(model) => {
                notes.push(format!(
                    "{name}: {} has no {} provisioned deployment, so no sizing",
                    model.name, args.deployment
                ));
                None
            }
            None => {
                notes.push(format!(
                    "{name}: model '{}' is not in the catalog, so no sizing (size it with -m)",
                    group.model.as_deref().unwrap_or(name)
                ));
                None
            }
        };
        group_analyses.push(GroupAnalysis {
            name: name.clone(),
            log_model: group.model.clone(),
            traffic,
            sizing,
        });
    }
    let mut over = Vec::new();
    if let (Some(ptu), [model]) = (args.ptu, models.as_slice()) {
        let label = format!(
            "{} PTU of {} ({})",
            numfmt::count(ptu),
            model.name,
            args.deployment
        );
        over.push(analysis::over_capacity(
            &minutes,
            ptu * model.input_tpm_per_ptu,
            label,
            |m| m.normalized(model),
        ));
    }
    if let Some(quota) = args.tpm_quota {
        // A quota grants requests too: a minute's requests count as the quota they need.
        let ratio = match models.as_slice() {
            [model] => model.rpm_per_1000_tpm_for(args.deployment),
            _ => None,
        };
        let label = match ratio {
            Some(ratio) => format!(
                "{} TPM standard quota ({} RPM)",
                numfmt::count(quota),
                numfmt::count(quota / 1000.0 * ratio)
            ),
            None => {
                notes.push(
                    "--tpm-quota: its request limit is not checked (give one --model for its \
                     RPM ratio)"
                        .into(),
                );
                format!("{} TPM standard quota", numfmt::count(quota))
            }
        };
        over.push(analysis::over_capacity(&minutes, quota, label, |m| {
            ratio.map_or(m.tokens(), |r| m.tokens().max(m.requests / r * 1000.0))
        }));
    }
    if stats.skipped > 0 {
        notes.push(format!(
            "{} skipped as invalid, first at {}",
            numfmt::plural(stats.skipped as f64, "row", "rows"),
            first_skipped.join(", ")
        ));
    }
    if !stats.per_minute_metrics {
        notes.push(
            "peaks are the busiest windows starting on any whole second, not calendar minutes; \
             distributions and capacity checks are per calendar minute"
                .into(),
        );
    }
    let profile_out = match &args.profile_out {
        Some(path) => {
            for a in &analyses {
                if a.peak_normalized_tpm > a.normalized_tpm.max {
                    notes.push(format!(
                        "the profile holds calendar minutes: `cost --profile` sizes {} for the \
                         busiest one ({} normalized TPM), below the busiest 60 s ({}, {} PTU)",
                        a.model,
                        numfmt::short(a.normalized_tpm.max),
                        numfmt::short(a.peak_normalized_tpm),
                        numfmt::count(a.ptu_for_peak as f64)
                    ));
                }
            }
            let mut csv = String::from("timestamp,rpm,prompt,completion,cached\n");
            for (i, m) in minutes.iter().enumerate() {
                let stamp = crate::timestamp::format_second((first_minute + i as i64) * 60);
                csv.push_str(&format!(
                    "{stamp},{},{},{},{}\n",
                    m.requests, m.prompt, m.completion, m.cached
                ));
            }
            std::fs::write(path, csv).map_err(|e| cannot_write("profile", path, e))?;
            Some(path.display().to_string())
        }
        None => None,
    };
    if let Some(path) = &args.plot {
        check_svg_path(path)?;
        let tokens: Vec<f64> = minutes.iter().map(MinuteLoad::tokens).collect();
        let mut series = vec![plot::Series {
            label: "tokens per minute",
            values: &tokens,
            color: plot::GREY,
        }];
        let normalized: Vec<f64> = models.first().map_or(Vec::new(), |m| {
            minutes.iter().map(|x| x.normalized(m)).collect()
        });
        let normalized_label = models
            .first()
            .map(|m| format!("{} normalized TPM", m.name))
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
        if let (Some(model), Some(first)) = (models.first(), analyses.first()) {
            let ptu = args.ptu.unwrap_or(first.ptu_for_peak as f64);
            ptu_label = format!("{} PTU capacity (normalized TPM)", numfmt::count(ptu));
            levels.push(plot::Level {
                label: &ptu_label,
                value: ptu * model.input_tpm_per_ptu,
                color: plot::RED,
            });
        }
        let quota = args.tpm_quota.or(analyses
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
        let title = format!("Per-minute load, {} to {}", summary.first, summary.last);
        let svg = plot::svg(
            &title,
            &summary.first,
            "tokens per minute",
            &series,
            &levels,
        )
        .map_err(|e| anyhow::anyhow!("cannot draw the plot: {e}"))?;
        std::fs::write(path, svg).map_err(|e| cannot_write("plot", path, e))?;
        notes.push(format!("plot written to {}", path.display()));
    }
    let report = AnalyzeReport {
        summary,
        models: analyses,
        group_column: stats.group_column,
        groups: group_analyses,
        over_capacity: over,
        rows: stats.rows,
        skipped_rows: stats.skipped,
        first_skipped,
        profile_out,
        notes,
    };
    match format {
        Format::Json => render_json(catalog, &report),
        Format::Table => Ok(table::analyze(&report)),
    }
}

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

/// Tokens per second from a catalog latency target such as `99% > 80 TPS`.
fn tokens_per_second(latency_target: &str) -> Option<f64> {
    let number = latency_target
        .split('>')
        .nth(1)?
        .trim()
        .strip_suffix("TPS")?;
    number.trim().parse().ok().filter(|v: &f64| *v > 0.0)
}

fn run_simulate(args: &SimulateArgs, catalog: &Catalog, format: Format) -> anyhow::Result<String> {
    use crate::sim::compare::{self, Candidate, OfferedPeaks};
    use crate::sim::traffic::{Burst, DailyPattern, TokenSize, Traffic, TrafficSpec};
    use crate::sim::{
        ProvisionedParams, RetryKind, RetryPolicy, RpmWindow, Service, SimConfig, StandardParams,
        Target,
    };
    let model = catalog.find(&args.model)?;
    let deployment = args.deployment;
    let mut notes = Vec::new();
    let usage = |message: String| anyhow::Error::from(InputError::Usage(message));
    if args.ptu.is_empty() && args.tpm_quota.is_empty() {
        return Err(usage(
            "name at least one deployment to simulate: --ptu 100 (or a list: --ptu 100,150,200) \
             and/or --tpm-quota 300k"
                .into(),
        ));
    }
    if args.spillover_quota.is_some() && args.ptu.is_empty() {
        return Err(usage(
            "--spillover-quota needs --ptu (it takes the PTU's 429s)".into(),
        ));
    }
    let rpm_window = match args.rpm_window {
        RpmWindowArg::OneSecond => RpmWindow::OneSecond,
        RpmWindowArg::TenSeconds => RpmWindow::TenSeconds,
    };
    let ratio = model.rpm_per_1000_tpm_for(deployment);
    let standard = |quota: f64, flag: &str| match ratio {
        Some(ratio) => Ok(StandardParams {
            tpm_quota: quota,
            rpm: quota / 1000.0 * ratio,
            rpm_window,
        }),
        None => Err(usage(format!(
            "{flag}: the catalog has no standard RPM per 1,000 TPM for {} on {deployment}, so its \
             request limit is unknown",
            model.name
        ))),
    };
    let spillover = args
        .spillover_quota
        .map(|q| standard(q, "--spillover-quota"))
        .transpose()?;
    let mut candidates: Vec<(Candidate, Target)> = Vec::new();
    if !args.ptu.is_empty() {
        let grid = model
            .provisioned(deployment)
            .ok_or_else(|| model.not_offered(deployment))?;
        for &ptu in &args.ptu {
            if deployable_ptu(ptu, grid.min_ptu, grid.increment) as f64 != ptu {
                notes.push(format!(
                    "{} PTU is not deployable ({} {deployment} deploys from {} PTU in steps of {}); \
                     simulated as given",
                    numfmt::count(ptu),
                    model.name,
                    grid.min_ptu,
                    grid.increment
                ));
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
    }
    for &quota in &args.tpm_quota {
        let params = standard(quota, "--tpm-quota")?;
        candidates.push((
            Candidate {
                label: format!("{} TPM", numfmt::short(quota)),
                ptu: None,
                tpm_quota: Some(quota),
                capacity_tpm: quota,
                rpm_limit: Some(params.rpm),
                spillover_tpm_quota: None,
            },
            Target::Standard(params),
        ));
    }
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
    let service = Service {
        ttft_ms: args.ttft * 1000.0,
        tokens_per_second,
    };
    let retry = RetryPolicy {
        kind: match args.retry {
            RetryArg::None => RetryKind::None,
            RetryArg::Fixed => RetryKind::Fixed {
                delay_ms: args.retry_delay * 1000.0,
            },
            RetryArg::Exponential => RetryKind::Exponential {
                base_ms: args.retry_delay * 1000.0,
                cap_ms: args.retry_cap * 1000.0,
            },
        },
        max_retries: if args.retry == RetryArg::None {
            0
        } else {
            args.max_retries
        },
        deadline_ms: args.deadline * 1000.0,
        honour_retry_after: !args.ignore_retry_after,
    };
    let whole = |value: f64, flag: &str| -> anyhow::Result<u32> {
        if value.fract() == 0.0 && value <= f64::from(u32::MAX) {
            Ok(value as u32)
        } else {
            Err(usage(format!(
                "{flag} {value}: must be a whole number of tokens"
            )))
        }
    };
    let max_tokens = args
        .max_tokens
        .map(|m| whole(m, "--max-tokens"))
        .transpose()?;
    // The traffic: a generator made anew for each candidate, so that all see the same requests.
    let (describe, make_requests): (String, Box<dyn Fn() -> anyhow::Result<Requests>>) = match &args
        .replay
    {
        Some(path) => {
            if !(args.speedup.is_finite() && args.speedup > 0.0) {
                return Err(usage(format!(
                    "--speedup {}: must be above 0 (2 = twice as fast)",
                    args.speedup
                )));
            }
            let (reader, log_format) = open_log(path, None, &indicatif::ProgressBar::hidden())?;
            let mut log = LogBuckets::default();
            let stats = traffic::log::read(
                reader,
                path,
                log_format,
                &ColumnNames::default(),
                false,
                &mut log,
            )?;
            if log.all.is_empty() {
                return Err(usage(format!("{path}: the log holds no requests")));
            }
            if stats.per_minute_metrics {
                notes.push(
                    "per-minute input: each minute's requests are spread evenly over it, so \
                         sub-minute bursts are not replayed"
                        .into(),
                );
            }
            notes.push(
                "replay: each second's requests are spread evenly over it, with the second's \
                     mean sizes"
                    .into(),
            );
            let bucket_seconds = if stats.per_minute_metrics { 60 } else { 1 };
            let buckets = log.all;
            let speedup = args.speedup;
            (
                format!("replay of {path} at {}x", numfmt::number(speedup, 2, true)),
                Box::new(move || {
                    Ok(Requests::Replay(crate::sim::replay::Replay::new(
                        &buckets,
                        bucket_seconds,
                        speedup,
                        max_tokens,
                    )))
                }),
            )
        }
        None => {
            let rate_per_s = match (args.rpm, args.qps) {
                (Some(rpm), _) => rpm / 60.0,
                (None, Some(qps)) => qps,
                (None, None) => {
                    return Err(usage(
                        "give the traffic: --rpm or --qps (mean rate), or --replay LOG".into(),
                    ));
                }
            };
            let size = |mean: f64, p95: Option<f64>, flag: &str| -> anyhow::Result<TokenSize> {
                Ok(match p95 {
                    Some(p95) => TokenSize::LogNormal { mean, p95 },
                    None => TokenSize::Fixed(whole(mean, flag)?),
                })
            };
            let (prompt, completion) = match (args.tokens, args.prompt, args.completion) {
                (Some(tokens), None, None) => (
                    TokenSize::Fixed(whole(tokens, "--tokens")?),
                    TokenSize::Fixed(0),
                ),
                (None, Some(p), Some(c)) => (
                    size(p, args.prompt_p95, "--prompt")?,
                    size(c, args.completion_p95, "--completion")?,
                ),
                (None, Some(_), None) => {
                    return Err(usage(
                        "--prompt needs --completion (completion tokens weigh most on PTUs)".into(),
                    ));
                }
                _ => {
                    return Err(usage(
                        "give the request size: --prompt N --completion N, or --tokens N".into(),
                    ));
                }
            };
            let spec = TrafficSpec {
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
            };
            Traffic::new(&spec).map_err(|e| usage(e.to_string()))?;
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
            for &(start, length, factor) in &args.burst {
                describe.push_str(&format!(
                    ", {}x burst at {} for {}",
                    numfmt::number(factor, 2, true),
                    describe_duration(start),
                    describe_duration(length)
                ));
            }
            (
                describe,
                Box::new(move || {
                    Ok(Requests::Synthetic(
                        Traffic::new(&spec).map_err(|e| usage(e.to_string()))?,
                    ))
                }),
            )
        }
    };
    let prices = prices::resolve(
        model,
        catalog.ptu_prices.get(&deployment),
        deployment,
        &PriceOverrides::default(),
    )
    .ok()
    .map(|p| p.tokens);
    // The first run also measures the offered traffic (and writes the trace).
    let mut offered = SecondBuckets::new();
    let mut current: Option<(i64, MinuteLoad)> = None;
    let mut trace = match &args.trace_out {
        Some(path) => Some((
            path,
            std::io::BufWriter::new(
                std::fs::File::create(path).map_err(|e| cannot_write("trace", path, e))?,
            ),
        )),
        None => None,
    };
    let mut trace_error = None;
    if let Some((_, out)) = &mut trace
        && let Err(e) = writeln!(out, "at_ms,prompt,cached,completion,max_tokens")
    {
        trace_error = Some(e);
    }
    let mut results = Vec::new();
    for (index, (candidate, target)) in candidates.iter().enumerate() {
        let config = SimConfig {
            target: *target,
            service,
            retry,
            seed: args.seed,
        };
        let requests = make_requests()?;
        let report = if index == 0 {
            let measured = requests.inspect(|r| {
                let second = (r.at_us / 1_000_000) as i64;
                let load = MinuteLoad {
                    requests: 1.0,
                    prompt: f64::from(r.prompt),
                    cached: f64::from(r.cached),
                    completion: f64::from(r.completion),
                };
                match &mut current {
                    Some((s, sum)) if *s == second => {
                        sum.requests += 1.0;
                        sum.prompt += load.prompt;
                        sum.cached += load.cached;
                        sum.completion += load.completion;
                    }
                    _ => {
                        if let Some((s, sum)) = current.replace((second, load)) {
                            offered.insert(s, sum);
                        }
                    }
                }
                if let Some((_, out)) = &mut trace
                    && trace_error.is_none()
                    && let Err(e) = writeln!(
                        out,
                        "{:.3},{},{},{},{}",
                        r.at_us as f64 / 1000.0,
                        r.prompt,
                        r.cached,
                        r.completion,
                        r.max_tokens
                    )
                {
                    trace_error = Some(e);
                }
            });
            crate::sim::simulate(&config, measured)
        } else {
            crate::sim::simulate(&config, requests)
        }
        .map_err(|e| usage(e.to_string()))?;
        if index == 0 {
            if let Some((s, sum)) = current.take() {
                offered.insert(s, sum);
            }
            if report.requests == 0 {
                return Err(usage(
                    "the traffic has no requests: raise --rpm or --duration".into(),
                ));
            }
        }
        results.push((candidate, report));
    }
    if let Some((path, mut out)) = trace {
        let flushed = match trace_error {
            Some(e) => Err(e),
            None => out.flush(),
        };
        flushed.map_err(|e| cannot_write("trace", path, e))?;
        notes.push(format!("offered requests written to {}", path.display()));
    }
    let total = crate::calc::load::total(&offered.values().copied().collect::<Vec<_>>());
    let peaks = OfferedPeaks {
        peak_tpm: analysis::window_max(&offered, 60, MinuteLoad::tokens).0,
        peak_normalized_tpm: analysis::window_max(&offered, 60, |b| b.normalized(model)).0,
        peak_rpm: analysis::window_max(&offered, 60, |b| b.requests).0,
    };
    let results: Vec<_> = results
        .into_iter()
        .map(|(candidate, report)| compare::result(candidate, report, &peaks, prices.as_ref()))
        .collect();
    let span_s = offered
        .keys()
        .next_back()
        .zip(offered.keys().next())
        .map_or(0, |(last, first)| last - first + 1);
    if let Some(path) = &args.plot {
        check_svg_path(path)?;
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
        std::fs::write(path, svg).map_err(|e| cannot_write("plot", path, e))?;
        notes.push(format!("plot written to {}", path.display()));
    }
    let report = crate::sim::compare::SimulateReport {
        model: model.name.clone(),
        deployment,
        traffic: crate::sim::compare::OfferedTraffic {
            source: describe,
            requests: total.requests,
            span_seconds: span_s as u64,
            mean_rpm: snap(total.requests * 60.0 / span_s.max(1) as f64),
            prompt_tokens: total.prompt,
            cached_tokens: total.cached,
            completion_tokens: total.completion,
            peaks,
        },
        client: describe_client(args),
        service: format!(
            "{} to first token + {} tokens/s{}",
            describe_duration(args.ttft),
            numfmt::number(tokens_per_second, 1, true),
            match (&args.tokens_per_second, &model.latency_target) {
                (None, Some(target)) => format!(" (catalog latency target: {target})"),
                _ => String::new(),
            }
        ),
        limiters: {
            let mut parts = Vec::new();
            if !args.tpm_quota.is_empty() || args.spillover_quota.is_some() {
                parts.push(format!(
                    "standard: requests limited per {} window, tokens per minute",
                    match args.rpm_window {
                        RpmWindowArg::OneSecond => "1 s",
                        RpmWindowArg::TenSeconds => "10 s",
                    }
                ));
            }
            if !args.ptu.is_empty() {
                parts.push(format!(
                    "PTU: leaky bucket holding {} of capacity at 100%",
                    describe_duration(args.bucket)
                ));
            }
            parts.join("; ")
        },
        seed: args.seed,
        candidates: results,
        notes,
    };
    match format {
        Format::Json => render_json(catalog, &report),
        Format::Table => Ok(table::simulate(&report)),
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

/// The client policy in words.
fn describe_client(args: &SimulateArgs) -> String {
    let policy = match args.retry {
        RetryArg::None => return "no retries: the first 429 is final".into(),
        RetryArg::Fixed => format!("retry after {}", describe_duration(args.retry_delay)),
        RetryArg::Exponential => format!(
            "exponential backoff from {} up to {} (full jitter)",
            describe_duration(args.retry_delay),
            describe_duration(args.retry_cap)
        ),
    };
    format!(
        "{policy}, {} retries, {}, give up after {}",
        args.max_retries,
        if args.ignore_retry_after {
            "ignoring retry-after"
        } else {
            "waiting at least retry-after"
        },
        describe_duration(args.deadline)
    )
}

/// The error for an output file (`kind`: plot, profile, trace) that cannot be written.
fn cannot_write(kind: &'static str, path: &std::path::Path, e: std::io::Error) -> InputError {
    InputError::File {
        kind,
        path: path.display().to_string(),
        line: None,
        message: format!("cannot write it: {e}"),
    }
}

/// `--plot` writes SVG: a name ending otherwise would mislead whoever opens it.
fn check_svg_path(path: &std::path::Path) -> Result<(), InputError> {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("svg") => Ok(()),
        _ => Err(InputError::Usage(format!(
            "--plot {}: the chart is SVG; name the file .svg (convert it with e.g. rsvg-convert)",
            path.display()
        ))),
    }
}

/// Orders sized models as `--sort` asks; ties keep catalog order.
fn sort_models(models: &mut [ModelSizing], order: SortOrder) {
    match order {
        SortOrder::Catalog => {}
        SortOrder::Ptu => models.sort_by_key(|m| m.ptu_for_target),
        SortOrder::Quota => {
            models.sort_by_key(|m| m.standard_tpm_quota_for_target.unwrap_or(u64::MAX))
        }
    }
}

fn run_capacity(args: &CapacityArgs, catalog: &Catalog, format: Format) -> anyhow::Result<String> {
    let shape = request_shape(&args.shape)?;
    let model = args
        .model
        .as_deref()
        .map(|name| catalog.find(name))
        .transpose()?;
    let limit = match (args.tpm, args.ptu, model) {
        (Some(tpm), _, model) => Limit::Standard { tpm, model },
        (None, Some(ptu), Some(model)) => Limit::Provisioned { ptu, model },
        _ => unreachable!("clap requires --tpm, or --ptu with --model"),
    };
    let report = capacity(limit, &shape, args.deployment, args.target_utilization)?;
    match format {
        Format::Json => render_json(catalog, &report),
        Format::Table => Ok(table::capacity(&report)),
    }
}

/// The request shape, or `None` when no token flag was given.
fn optional_shape(args: &ShapeArgs) -> anyhow::Result<Option<RequestShape>> {
    let given = args.tokens.is_some() || args.prompt.is_some() || args.completion.is_some();
    Ok(if given {
        Some(request_shape(args)?)
    } else {
        None
    })
}

fn run_cost(args: &CostArgs, catalog: &Catalog, format: Format) -> anyhow::Result<String> {
    let model = catalog.find(&args.model)?;
    let shape = optional_shape(&args.shape)?;
    let peak_rpm = args.rpm.or(args.qps.map(|qps| qps * 60.0));
    let peak_workload = match (peak_rpm, shape) {
        (Some(rpm), Some(shape)) => Some(Workload::new(rpm, shape)?),
        // No token flags: the shape's own error says which are missing.
        (Some(_), None) => {
            return Err(request_shape(&args.shape).err().unwrap_or_else(|| {
                InputError::Usage("--rpm needs the request shape".into()).into()
            }));
        }
        (None, _) => None,
    };
    let mut profile_has_cached = false;
    let load = match (&args.profile, &peak_workload) {
        (Some(path), _) => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| InputError::File {
                kind: "profile",
                path: shown.clone(),
                line: None,
                message: format!("cannot read it: {e}"),
            })?;
            let profile = profile::parse(&text, &shown)?;
            profile_has_cached = profile.has_cached;
            let minutes: Vec<MinuteLoad> = profile.minutes.iter().map(|(_, m)| *m).collect();
            LoadCurve::profile(
                &minutes,
                profile.span_minutes,
                profile.has_tokens,
                profile.has_cached,
                shape.as_ref(),
            )?
        }
        (None, Some(peak)) => {
            let avg = args.avg_rpm.unwrap_or(peak.rpm);
            if avg > peak.rpm {
                return Err(InputError::InvalidValue {
                    field: "--avg-rpm",
                    value: avg.to_string(),
                    allowed: format!("the average must not exceed the peak ({} RPM)", peak.rpm),
                }
                .into());
            }
            LoadCurve::peak_and_average(peak.rpm, avg, &peak.shape)
        }
        (None, None) => {
            return Err(InputError::Usage(
                "give the peak rate (--rpm or --qps) and the request shape, or a --profile FILE"
                    .into(),
            )
            .into());
        }
    };
    let overrides = PriceOverrides {
        input: args.price_input,
        cached: args.price_cached,
        output: args.price_output,
        ptu_hourly: args.ptu_hourly,
        ptu_monthly: args.ptu_monthly,
        ptu_yearly: args.ptu_yearly,
    };
    let catalog_ptu = catalog.ptu_prices.get(&args.deployment);
    let prices = prices::resolve(model, catalog_ptu, args.deployment, &overrides)?;
    let settings = CostSettings {
        deployment: args.deployment,
        peak_normalized_tpm: peak_workload.map(|w| w.normalized_tpm(model)),
        hours_per_month: args.hours,
        hybrid_term: match args.hybrid_term {
            TermArg::Hourly => Term::Hourly,
            TermArg::OneMonth => Term::OneMonth,
            TermArg::OneYear => Term::OneYear,
        },
        target_utilization: args.target_utilization,
        token_prices: prices.tokens,
        ptu_rates: prices.ptu,
        token_price_source: prices.token_source,
        ptu_price_source: prices.ptu_source,
        prices_unverified: prices.unverified,
    };
    let mut report = cost(model, &load, &settings)?;
    if profile_has_cached && args.shape.cache_rate > 0.0 {
        report.notes.push(
            "--cache-rate is not used: the profile's 'cached' column gives the cached tokens"
                .into(),
        );
    }
    match format {
        Format::Json => render_json(catalog, &report),
        Format::Table => Ok(table::cost(&report)),
    }
}

/// The JSON body of `plan` and `check`.
#[derive(Serialize)]
struct PlanBody<'a> {
    plan: String,
    #[serde(flatten)]
    report: &'a PlanReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    budget: Option<&'a BudgetReport>,
}

/// Sizes and prices a plan file. With `check` set (to the optional baseline path), also
/// evaluates its budget and returns the result.
fn run_plan(
    path: &std::path::Path,
    check: Option<Option<&std::path::Path>>,
    catalog: &Catalog,
    format: Format,
) -> anyhow::Result<(String, Option<BudgetReport>)> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| InputError::File {
        kind: "plan",
        path: shown.clone(),
        line: None,
        message: format!("cannot read it: {e}"),
    })?;
    let file = plan_file::parse(&text, &shown)?;
    let base_dir = path.parent().unwrap_or(std::path::Path::new("."));
    let read = |p: &std::path::Path| std::fs::read_to_string(p);
    let resolved = plan_file::resolve(&file, &text, &shown, base_dir, catalog, &read)?;
    let report = plan(&resolved.workloads, &resolved.settings)?;
    let budget = match check {
        None => None,
        Some(baseline) => {
            let limits = resolved.budget.ok_or_else(|| InputError::File {
                kind: "plan",
                path: shown.clone(),
                line: None,
                message: "no [budget] table: nothing to check (see the README's plan format)"
                    .into(),
            })?;
            let baseline_usd = baseline.map(read_baseline).transpose()?;
            Some(budget::evaluate(&report, &limits, baseline_usd))
        }
    };
    let text = match format {
        Format::Json => render_json(
            catalog,
            &PlanBody {
                plan: shown,
                report: &report,
                budget: budget.as_ref(),
            },
        )?,
        Format::Table => table::plan(&report, budget.as_ref()),
    };
    Ok((text, budget))
}

/// The monthly cost recorded in an earlier `plan --json` report.
fn read_baseline(path: &std::path::Path) -> anyhow::Result<f64> {
    let shown = path.display().to_string();
    let error = |message: String| InputError::File {
        kind: "baseline",
        path: shown.clone(),
        line: None,
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| error(format!("cannot read it: {e}")))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| InputError::File {
        kind: "baseline",
        path: shown.clone(),
        line: Some(e.line() as u64),
        message: format!("not JSON: {e}"),
    })?;
    let is_plan_report = value["schema_version"] == 1 && value["deployments"].is_array();
    match value["monthly_usd"].as_f64() {
        Some(usd) if is_plan_report && usd.is_finite() && usd > 0.0 => Ok(usd),
        Some(usd) if is_plan_report => Err(error(format!(
            "'monthly_usd' is {usd}: an increase can only be measured from a positive cost"
        ))
        .into()),
        _ => Err(error(
            "is not a plan report (schema_version 1 with deployments and monthly_usd): give the \
             output of 'ptuplan plan --json'"
                .into(),
        )
        .into()),
    }
}

/// The JSON body of `models`: the models shown and the sources they cite.
#[derive(Serialize)]
struct ModelsBody<'a> {
    models: Vec<&'a Model>,
    sources: std::collections::BTreeMap<&'a str, &'a Source>,
}

fn run_models(args: &ModelsArgs, catalog: &Catalog, format: Format) -> anyhow::Result<String> {
    let models: Vec<&Model> = match &args.name {
        Some(name) => vec![catalog.find(name)?],
        None => catalog.models.iter().collect(),
    };
    match format {
        Format::Json => {
            let sources = models
                .iter()
                .flat_map(|m| catalog.cited_sources(m))
                .filter_map(|id| catalog.sources.get_key_value(id.as_str()))
                .map(|(id, source)| (id.as_str(), source))
                .collect();
            render_json(catalog, &ModelsBody { models, sources })
        }
        Format::Table => Ok(match models.as_slice() {
            [one] if args.name.is_some() => table::model_detail(one, catalog),
            _ => table::models(catalog),
        }),
    }
}
