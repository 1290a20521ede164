//! Reading request logs, CSV or JSONL (optionally gzip-compressed), one row per request, into
//! per-second buckets. Streaming: memory grows with the seconds the log spans, not its rows.

use std::collections::BTreeMap;
use std::io::BufRead;

use serde_json::Value;

use crate::calc::load::MinuteLoad;
use crate::error::InputError;
use crate::timestamp;

/// Column names recognized without flags (case-insensitive; JSONL also looks inside `usage`).
pub const TIMESTAMP_NAMES: [&str; 6] = [
    "timestamp",
    "time",
    "TimeGenerated",
    "created",
    "created_at",
    "date",
];
/// Prompt-token column names.
pub const PROMPT_NAMES: [&str; 5] = [
    "prompt_tokens",
    "input_tokens",
    "PromptTokens",
    "usage.prompt_tokens",
    "usage.input_tokens",
];
/// Completion-token column names.
pub const COMPLETION_NAMES: [&str; 5] = [
    "completion_tokens",
    "output_tokens",
    "CompletionTokens",
    "usage.completion_tokens",
    "usage.output_tokens",
];
/// Request-count column names: a row stands for this many requests (a per-second export such
/// as `analyze --kql apim` writes; `count_` is what Kusto names `count()`).
pub const REQUEST_COUNT_NAMES: [&str; 3] = ["requests", "request_count", "count_"];
/// Cached-token column names.
pub const CACHED_NAMES: [&str; 4] = [
    "cached_tokens",
    "CachedTokens",
    "usage.prompt_tokens_details.cached_tokens",
    "usage.input_tokens_details.cached_tokens",
];

/// Reasoning-token column names: a share of the completion tokens, already counted in them.
pub const REASONING_NAMES: [&str; 4] = [
    "reasoning_tokens",
    "ReasoningTokens",
    "usage.completion_tokens_details.reasoning_tokens",
    "usage.output_tokens_details.reasoning_tokens",
];

/// Model column names: rows are then analyzed per model as well.
pub const MODEL_NAMES: [&str; 4] = ["model", "model_name", "ModelName", "modelName"];

/// Most distinct deployment or model names a log may split into: each keeps its own
/// per-second load, so this bounds memory (a log with a million names is a wrong column).
pub const MAX_GROUPS: usize = 1000;

/// Longest line read from a log, bytes: far above any request record, and a bound on the
/// memory one line (a decompression bomb, `/dev/zero`) can take.
pub const MAX_LINE_BYTES: usize = 1 << 20;

fn too_long() -> String {
    format!(
        "a line longer than {} MiB: is it a request log? (logs have one request per line)",
        MAX_LINE_BYTES >> 20
    )
}

/// Reads one line, without its newline (and a `\r` before it), into `buf`, refusing one
/// longer than [`MAX_LINE_BYTES`]; `Ok(false)` at the end of the input.
fn read_line_bounded(input: &mut impl BufRead, buf: &mut Vec<u8>) -> Result<bool, String> {
    let mut read_any = false;
    loop {
        let chunk = input.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
        if chunk.is_empty() {
            return Ok(read_any);
        }
        read_any = true;
        let (taken, done) = match memchr::memchr(b'\n', chunk) {
            Some(end) => (end, true),
            None => (chunk.len(), false),
        };
        if buf.len() + taken > MAX_LINE_BYTES {
            return Err(too_long());
        }
        buf.extend_from_slice(&chunk[..taken]);
        input.consume(if done { taken + 1 } else { taken });
        if done {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(true);
        }
    }
}
/// Deployment column names: rows are then analyzed per deployment (before the model column).
pub const DEPLOYMENT_NAMES: [&str; 5] = [
    "deployment",
    "deployment_name",
    "DeploymentName",
    "ModelDeploymentName",
    "deployment_id",
];

/// Columns named on the command line (a dotted path reaches into JSON objects).
#[derive(Debug, Clone, Default)]
pub struct ColumnNames {
    /// `--timestamp-column`.
    pub timestamp: Option<String>,
    /// `--prompt-column`.
    pub prompt: Option<String>,
    /// `--completion-column`.
    pub completion: Option<String>,
    /// `--cached-column`.
    pub cached: Option<String>,
    /// `--reasoning-column`.
    pub reasoning: Option<String>,
    /// `--model-column`.
    pub model: Option<String>,
    /// `--deployment-column`.
    pub deployment: Option<String>,
    /// `--service-tier-column`.
    pub service_tier: Option<String>,
    /// `--requests-column`.
    pub requests: Option<String>,
}

pub use crate::calc::load::SecondBuckets;
use crate::traffic::service_tiers::{SERVICE_TIER_NAMES, TierTally};

/// The traffic of one deployment or model named in the log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    /// The model column's first value in the group, if the log has one.
    pub model: Option<String>,
    /// Its requests and tokens per second.
    pub buckets: SecondBuckets,
    /// Its reasoning tokens (None: no row of it has the field).
    pub reasoning: Option<f64>,
}

/// What a log adds up to: all requests, and the requests of each deployment (or model) when
/// the log names them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogBuckets {
    /// Every request.
    pub all: SecondBuckets,
    /// Per value of the deployment column, else of the model column.
    pub groups: BTreeMap<String, Group>,
    /// Reasoning tokens of every request (None: no row has the field).
    pub reasoning: Option<f64>,
    /// Requests and tokens per `service_tier` value (empty: the log has no such column).
    pub tiers: TierTally,
}

/// `a + b` where either may be absent.
fn add_known(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
    }
}

impl LogBuckets {
    /// Adds everything in `other`.
    pub fn merge(&mut self, other: LogBuckets) {
        merge_buckets(&mut self.all, other.all);
        self.reasoning = add_known(self.reasoning, other.reasoning);
        self.tiers.merge(other.tiers);
        for (name, group) in other.groups {
            let into = self.groups.entry(name).or_default();
            if into.model.is_none() {
                into.model = group.model;
            }
            merge_buckets(&mut into.buckets, group.buckets);
            into.reasoning = add_known(into.reasoning, group.reasoning);
        }
    }

    /// Adds one request of `row` to the group named `name` (model `model`); an error once a
    /// log names more than [`MAX_GROUPS`] deployments or models.
    fn add_to_group(&mut self, name: &str, model: Option<&str>, row: &Row) -> Result<(), String> {
        if !self.groups.contains_key(name) && self.groups.len() >= MAX_GROUPS {
            return Err(format!(
                "more than {MAX_GROUPS} distinct deployment or model names: is the group column \
                 right? (--deployment-column, --model-column)"
            ));
        }
        let group = self
            .groups
            .entry(name.to_string())
            .or_insert_with(|| Group {
                model: model.map(str::to_string),
                buckets: SecondBuckets::new(),
                reasoning: None,
            });
        merge(&mut group.buckets, row.second, row.load());
        group.reasoning = add_known(group.reasoning, row.reasoning);
        Ok(())
    }
}

/// Azure Monitor metric names (REST name, display name) and the field each adds to.
const METRICS: [(&str, &str, Field); 3] = [
    (
        "AzureOpenAIRequests",
        "Azure OpenAI Requests",
        Field::Requests,
    ),
    (
        "ProcessedPromptTokens",
        "Processed Prompt Tokens",
        Field::Prompt,
    ),
    (
        "GeneratedTokens",
        "Generated Completion Tokens",
        Field::Completion,
    ),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Requests,
    Prompt,
    Completion,
}

/// What reading a log found besides the requests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadStats {
    /// The log held per-minute metric totals, not requests: sub-minute peaks are unknown.
    pub per_minute_metrics: bool,
    /// Rows read as requests.
    pub rows: u64,
    /// Rows skipped with --skip-invalid.
    pub skipped: u64,
    /// Line numbers of the first skipped rows.
    pub first_skipped: Vec<u64>,
    /// The column whose values split the traffic into groups (deployment, else model).
    pub group_column: Option<String>,
    /// The request-count column: each row stood for that many requests.
    pub count_column: Option<String>,
    /// Files of counts holding exactly a Log Analytics row limit (possibly cut off).
    pub at_row_limit: Vec<String>,
    /// Every counted row fell on a whole minute: the counts are per minute, not per second.
    pub minute_counts: bool,
}

/// The log format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Comma-separated with a header.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

#[derive(Clone, Copy)]
struct Row {
    second: i64,
    /// Requests the row stands for (1 without a request-count column).
    requests: f64,
    prompt: f64,
    completion: f64,
    cached: f64,
    /// Reasoning tokens, part of `completion` (None: the row has no such field).
    reasoning: Option<f64>,
}

impl Row {
    /// The row as its requests' load.
    fn load(&self) -> MinuteLoad {
        MinuteLoad {
            requests: self.requests,
            prompt: self.prompt,
            cached: self.cached,
            completion: self.completion,
        }
    }
}

/// Reads one log into `buckets`. Without `skip_invalid` the first bad row is an error naming
/// the file, line and column; with it, bad rows are counted and skipped.
pub fn read(
    input: impl BufRead,
    path: &str,
    format: LogFormat,
    names: &ColumnNames,
    skip_invalid: bool,
    log: &mut LogBuckets,
) -> Result<ReadStats, InputError> {
    let ctx = ReadContext { path, skip_invalid };
    let mut stats = ReadStats::default();
    let mut sums = SecondSums::default();
    match format {
        LogFormat::Csv => read_csv(input, names, &ctx, &mut stats, &mut sums, log)?,
        LogFormat::Jsonl => read_jsonl(input, names, &ctx, &mut stats, &mut sums, log)?,
    }
    sums.finish(&mut log.all);
    Ok(stats)
}

/// Where a log is read from and how bad rows are treated: the errors of a read.
struct ReadContext<'a> {
    path: &'a str,
    skip_invalid: bool,
}

impl ReadContext<'_> {
    /// An error about the log, at `line` when known.
    fn error(&self, line: Option<u64>, message: String) -> InputError {
        InputError::File {
            kind: "log",
            path: self.path.to_string(),
            line,
            message,
        }
    }

    /// A bad row: an error, or with `--skip-invalid` counted (and its line kept, five at most).
    fn skip(&self, line: u64, message: String, stats: &mut ReadStats) -> Result<(), InputError> {
        if !self.skip_invalid {
            return Err(self.error(
                Some(line),
                format!("{message} (--skip-invalid skips such rows)"),
            ));
        }
        stats.skipped += 1;
        if stats.first_skipped.len() < 5 {
            stats.first_skipped.push(line);
        }
        Ok(())
    }
}

/// Rows summed per second. Logs are mostly in time order: the current second is summed
/// apart and the map touched only when the second changes.
#[derive(Default)]
struct SecondSums {
    current: Option<(i64, MinuteLoad)>,
}

impl SecondSums {
    /// Adds one row (one request) and counts it.
    #[inline]
    fn add(&mut self, row: Row, stats: &mut ReadStats, buckets: &mut SecondBuckets) {
        match &mut self.current {
            Some((second, sum)) if *second == row.second => *sum += row.load(),
            _ => {
                if let Some((second, sum)) = self.current.take() {
                    merge(buckets, second, sum);
                }
                self.current = Some((row.second, row.load()));
            }
        }
        stats.rows += 1;
    }

    /// Stores the last second.
    fn finish(&mut self, buckets: &mut SecondBuckets) {
        if let Some((second, sum)) = self.current.take() {
            merge(buckets, second, sum);
        }
    }
}

/// A CSV log: a header, then one request per row (or Azure Monitor metric rows).
fn read_csv(
    input: impl BufRead,
    names: &ColumnNames,
    ctx: &ReadContext,
    stats: &mut ReadStats,
    sums: &mut SecondSums,
    log: &mut LogBuckets,
) -> Result<(), InputError> {
    // The header through the csv crate (it may quote names); the rows below through a
    // fast line splitter, with the csv crate for lines that quote a field.
    let mut input = input;
    let mut header_line = Vec::new();
    std::io::Read::take(&mut input, MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', &mut header_line)
        .map_err(|e| ctx.error(Some(1), format!("cannot read the header: {e}")))?;
    if header_line.len() > MAX_LINE_BYTES {
        return Err(ctx.error(Some(1), too_long()));
    }
    let headers = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(header_line.as_slice())
        .records()
        .next()
        .transpose()
        .map_err(|e| ctx.error(Some(1), format!("cannot read the header: {e}")))?
        .unwrap_or_default();
    if header_line.trim_ascii().is_empty() {
        return Err(ctx.error(None, "the file is empty: no header, no rows".into()));
    }
    // The Azure portal's export writes `TimeGenerated [UTC]`.
    let bare = |h: &str| h.trim().trim_end_matches(" [UTC]").to_string();
    let find = |given: &Option<String>, known: &[&str]| -> Option<usize> {
        match given {
            Some(name) => headers
                .iter()
                .position(|h| bare(h).eq_ignore_ascii_case(name.trim())),
            None => known
                .iter()
                .find_map(|k| headers.iter().position(|h| bare(h).eq_ignore_ascii_case(k))),
        }
    };
    let column = |given: &Option<String>, known: &[&str], what: &str| {
        find(given, known).ok_or_else(|| {
            let columns = headers.iter().map(bare).collect::<Vec<_>>().join(", ");
            let message = match given {
                Some(name) => {
                    format!("no {what} column '{name}' (--{what}-column); the header has {columns}")
                }
                None => format!(
                    "no {what} column: looked for {}; the header has {columns}; name \
                             it with --{what}-column",
                    known.join(", ")
                ),
            };
            ctx.error(Some(1), message)
        })
    };
    let t = column(&names.timestamp, &TIMESTAMP_NAMES, "timestamp")?;
    let metric_column = find(&None, &["MetricName", "metric", "name"]);
    let value_column = find(&None, &["Total", "value", "Sum"]);
    if let (Some(m), Some(v), None) = (
        metric_column,
        value_column,
        find(&names.prompt, &PROMPT_NAMES),
    ) {
        stats.per_minute_metrics = true;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        for record in reader.records() {
            let record = record.map_err(|e| {
                ctx.error(
                    e.position().map(|p| p.line()),
                    format!("malformed CSV: {e}"),
                )
            })?;
            // Positions count from the first row after the header.
            let line = record.position().map_or(0, |p| p.line()) + 1;
            let stamp = record.get(t).unwrap_or_default().trim();
            let Some(second) = timestamp::second(stamp) else {
                ctx.skip(
                    line,
                    format!(
                        "column '{}': '{stamp}' is not a time; use {}",
                        &headers[t],
                        timestamp::ACCEPTED
                    ),
                    stats,
                )?;
                continue;
            };
            let name = record.get(m).unwrap_or_default().trim();
            let Some(&(_, _, field)) = METRICS.iter().find(|(rest, display, _)| {
                rest.eq_ignore_ascii_case(name) || display.eq_ignore_ascii_case(name)
            }) else {
                continue;
            };
            let text = record.get(v).unwrap_or_default().trim();
            let Some(value) = text
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
            else {
                ctx.skip(
                    line,
                    format!(
                        "column '{}': '{text}' is not a count, 0 or more",
                        &headers[v]
                    ),
                    stats,
                )?;
                continue;
            };
            let bucket = log.all.entry(second.div_euclid(60) * 60).or_default();
            match field {
                Field::Requests => bucket.requests += value,
                Field::Prompt => bucket.prompt += value,
                Field::Completion => bucket.completion += value,
            }
            stats.rows += 1;
        }
        return Ok(());
    }
    let p = column(&names.prompt, &PROMPT_NAMES, "prompt")?;
    let c = column(&names.completion, &COMPLETION_NAMES, "completion")?;
    let k = find(&names.cached, &CACHED_NAMES);
    let optional = |given: &Option<String>, known: &[&str], what: &str| match given {
        Some(_) => column(given, known, what).map(Some),
        None => Ok(find(given, known)),
    };
    let model_column = optional(&names.model, &MODEL_NAMES, "model")?;
    let r = optional(&names.reasoning, &REASONING_NAMES, "reasoning")?;
    let group_column =
        optional(&names.deployment, &DEPLOYMENT_NAMES, "deployment")?.or(model_column);
    let tier_column = optional(&names.service_tier, &SERVICE_TIER_NAMES, "service-tier")?;
    let n = optional(&names.requests, &REQUEST_COUNT_NAMES, "requests")?;
    stats.group_column = group_column.map(|g| headers[g].trim().to_string());
    stats.count_column = n.map(|n| headers[n].trim().to_string());
    let header_names: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    // The last column a row must have.
    let needed = [
        Some(t),
        Some(p),
        Some(c),
        k,
        r,
        group_column,
        model_column,
        tier_column,
        n,
    ]
    .into_iter()
    .flatten()
    .max()
    .unwrap_or(0);
    // One reused line buffer and fast paths for the common timestamp and integer forms:
    // this loop runs once per request.
    let mut stamps = StampCache::default();
    let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(8);
    let mut quoted = csv::ByteRecord::new();
    let mut on_line = |text: &[u8], line: u64| -> Result<(), InputError> {
        let text = text.trim_ascii_end();
        if text.is_empty() {
            return Ok(());
        }
        ranges.clear();
        let is_quoted = text.contains(&b'"');
        if is_quoted {
            let mut one = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text);
            match one.read_byte_record(&mut quoted) {
                Ok(true) => {}
                _ => {
                    return Err(ctx.error(
                        Some(line),
                        "malformed CSV (quoted fields must close on their line)".into(),
                    ));
                }
            }
        } else {
            let mut from = 0;
            for comma in memchr::memchr_iter(b',', text) {
                ranges.push((from, comma));
                from = comma + 1;
            }
            ranges.push((from, text.len()));
        }
        let field = |index: usize| -> &[u8] {
            if is_quoted {
                quoted.get(index).unwrap_or_default().trim_ascii()
            } else {
                ranges
                    .get(index)
                    .map_or(&[][..], |&(a, b)| &text[a..b])
                    .trim_ascii()
            }
        };
        let parsed = (|| -> Result<Row, String> {
            let fields = if is_quoted {
                quoted.len()
            } else {
                ranges.len()
            };
            // Too few fields, or values past the header's columns (an unquoted `1,200`
            // would otherwise shift the columns and read as 1 and 200); empty trailing
            // fields are fine.
            let extra = (header_names.len()..fields).any(|i| !field(i).is_empty());
            if fields <= needed || extra {
                return Err(format!(
                    "the row has {fields} fields, the header {} (quote a value that holds \
                             a comma)",
                    header_names.len()
                ));
            }
            let stamp = field(t);
            let second = stamps
                .second(stamp)
                .or_else(|| std::str::from_utf8(stamp).ok().and_then(timestamp::second))
                .ok_or_else(|| {
                    format!(
                        "column '{}': '{}' is not a time; use {}",
                        header_names[t],
                        String::from_utf8_lossy(stamp),
                        timestamp::ACCEPTED
                    )
                })?;
            let number = |index: usize| -> Result<f64, String> {
                let bytes = field(index);
                if index == k.unwrap_or(usize::MAX) && bytes.is_empty() {
                    return Ok(0.0);
                }
                fast_count(bytes)
                    .or_else(|| std::str::from_utf8(bytes).ok().and_then(token_count))
                    .ok_or_else(|| {
                        format!(
                            "column '{}': '{}' is not a token count (a whole number, 0 or more)",
                            header_names[index],
                            String::from_utf8_lossy(bytes)
                        )
                    })
            };
            let requests = match n {
                Some(n) => {
                    let text = String::from_utf8_lossy(field(n));
                    request_count(text.trim().parse().ok(), &text, &header_names[n])?
                }
                None => 1.0,
            };
            let row = Row {
                second,
                requests,
                prompt: number(p)?,
                completion: number(c)?,
                cached: k.map(number).transpose()?.unwrap_or(0.0),
                // A blank cell: this row does not say.
                reasoning: r
                    .filter(|&r| !field(r).is_empty())
                    .map(number)
                    .transpose()?,
            };
            check_cached(&row)?;
            Ok(row)
        })();
        match parsed {
            Ok(row) => {
                if let Some(g) = group_column {
                    let name = String::from_utf8_lossy(field(g));
                    let model = model_column.map(|m| String::from_utf8_lossy(field(m)));
                    log.add_to_group(group_name(&name), model.as_deref(), &row)
                        .map_err(|m| ctx.error(Some(line), m))?;
                }
                if let Some(s) = tier_column {
                    let tier = String::from_utf8_lossy(field(s));
                    log.tiers
                        .add(&tier, row.load())
                        .map_err(|m| ctx.error(Some(line), m))?;
                }
                log.reasoning = add_known(log.reasoning, row.reasoning);
                sums.add(row, stats, &mut log.all)
            }
            Err(message) => ctx.skip(line, message, stats)?,
        }
        Ok(())
    };
    // Lines are read in place from the reader's buffer; only a line split across two
    // refills is copied.
    let mut line = 1u64;
    let mut partial: Vec<u8> = Vec::new();
    loop {
        let chunk = input
            .fill_buf()
            .map_err(|e| ctx.error(Some(line + 1), format!("cannot read: {e}")))?;
        if chunk.is_empty() {
            if !partial.is_empty() {
                on_line(&partial, line + 1)?;
            }
            break;
        }
        let mut from = 0;
        for end in memchr::memchr_iter(b'\n', chunk) {
            line += 1;
            if partial.is_empty() {
                on_line(&chunk[from..end], line)?;
            } else {
                partial.extend_from_slice(&chunk[from..end]);
                on_line(&partial, line)?;
                partial.clear();
            }
            from = end + 1;
        }
        partial.extend_from_slice(&chunk[from..]);
        if partial.len() > MAX_LINE_BYTES {
            return Err(ctx.error(Some(line + 1), too_long()));
        }
        let used = chunk.len();
        input.consume(used);
    }

    Ok(())
}

/// A JSONL log: one OpenAI-style response (or benchmark sample) per line.
fn read_jsonl(
    input: impl BufRead,
    names: &ColumnNames,
    ctx: &ReadContext,
    stats: &mut ReadStats,
    sums: &mut SecondSums,
    log: &mut LogBuckets,
) -> Result<(), InputError> {
    // azure-openai-benchmark output: one line per second with rolling 60-second `rpm`
    // and `tpm` {context, gen}; the last line of each minute stands for that minute.
    let mut benchmark: std::collections::BTreeMap<i64, MinuteLoad> = Default::default();
    let mut input = input;
    let mut bytes = Vec::new();
    let mut number = 0u64;
    loop {
        number += 1;
        bytes.clear();
        let more =
            read_line_bounded(&mut input, &mut bytes).map_err(|e| ctx.error(Some(number), e))?;
        if !more {
            break;
        }
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| ctx.error(Some(number), "not UTF-8 text: is it a log?".to_string()))?;
        // A UTF-8 byte-order mark on the first line is read, as in CSV.
        let line = if number == 1 {
            text.trim_start_matches('\u{feff}')
        } else {
            text
        };
        if line.trim().is_empty() {
            continue;
        }
        // Each line is parsed once: a benchmark sample, or a request.
        let value: Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(e) => {
                let message = e.to_string();
                let message = message.split(" at line ").next().unwrap_or(&message);
                ctx.skip(
                    number,
                    format!("column {}: malformed JSON: {message}", e.column()),
                    stats,
                )?;
                continue;
            }
        };
        if let (Some(rpm), Some(context), Some(generated)) = (
            value.get("rpm").and_then(Value::as_f64),
            lookup(&value, "tpm.context").and_then(Value::as_f64),
            lookup(&value, "tpm.gen").and_then(Value::as_f64),
        ) {
            let stamp = match value.get("timestamp") {
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => String::new(),
            };
            let Some(second) = timestamp::second(&stamp) else {
                ctx.skip(
                    number,
                    format!(
                        "timestamp '{stamp}' is not a time; use {}",
                        timestamp::ACCEPTED
                    ),
                    stats,
                )?;
                continue;
            };
            benchmark.insert(
                second.div_euclid(60),
                MinuteLoad {
                    requests: rpm,
                    prompt: context,
                    cached: 0.0,
                    completion: generated,
                },
            );
            stats.per_minute_metrics = true;
            stats.rows += 1;
            continue;
        }
        let parsed = (|| -> Result<Row, String> {
            let (_, stamp) = find_field(&value, names.timestamp.as_deref(), &TIMESTAMP_NAMES)
                .ok_or_else(|| {
                    format!(
                        "no timestamp field (looked for {}; name it with --timestamp-column)",
                        TIMESTAMP_NAMES.join(", ")
                    )
                })?;
            let stamp_text = match stamp {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let second = timestamp::second(&stamp_text).ok_or_else(|| {
                format!(
                    "timestamp '{stamp_text}' is not a time; use {}",
                    timestamp::ACCEPTED
                )
            })?;
            let count = |given: &Option<String>,
                         known: &[&str],
                         what: &str,
                         required: bool|
             -> Result<f64, String> {
                match find_field(&value, given.as_deref(), known) {
                            Some((path, v)) => v
                                .as_f64()
                                .filter(|n| *n >= 0.0 && n.fract() == 0.0)
                                .ok_or_else(|| format!("field '{path}': {v} is not a token count (a whole number, 0 or more)")),
                            None if required => Err(format!("no {what} field (looked for {}; name it with --{what}-column)", known.join(", "))),
                            None => Ok(0.0),
                        }
            };
            let requests = match find_field(&value, names.requests.as_deref(), &REQUEST_COUNT_NAMES)
            {
                Some((path, v)) => {
                    if stats.count_column.is_none() {
                        stats.count_column = Some(path.to_string());
                    }
                    request_count(v.as_f64(), &v.to_string(), path)?
                }
                None if names.requests.is_some() => {
                    return Err(format!(
                        "no requests field '{}' (--requests-column)",
                        names.requests.as_deref().unwrap_or_default()
                    ));
                }
                None => 1.0,
            };
            let row = Row {
                second,
                requests,
                prompt: count(&names.prompt, &PROMPT_NAMES, "prompt", true)?,
                completion: count(&names.completion, &COMPLETION_NAMES, "completion", true)?,
                cached: count(&names.cached, &CACHED_NAMES, "cached", false)?,
                // A null count says nothing, as an empty CSV cell.
                reasoning: find_field(&value, names.reasoning.as_deref(), &REASONING_NAMES)
                    .filter(|(_, v)| !v.is_null())
                    .map(|_| count(&names.reasoning, &REASONING_NAMES, "reasoning", false))
                    .transpose()?,
            };
            check_cached(&row)?;
            Ok(row)
        })();
        match parsed {
            Ok(row) => {
                // Rows without the field join a "(none)" group, dropped below when no
                // row names a deployment or model.
                let text = |v: &Value| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let deployment = find_field(&value, names.deployment.as_deref(), &DEPLOYMENT_NAMES);
                let model = find_field(&value, names.model.as_deref(), &MODEL_NAMES);
                let group = deployment.or(model);
                if stats.group_column.is_none() {
                    stats.group_column = group.map(|(path, _)| path.to_string());
                }
                let name = group.map(|(_, v)| text(v)).unwrap_or_default();
                let model = model.map(|(_, v)| text(v));
                log.add_to_group(group_name(&name), model.as_deref(), &row)
                    .map_err(|m| ctx.error(Some(number), m))?;
                match find_field(&value, names.service_tier.as_deref(), &SERVICE_TIER_NAMES) {
                    Some((_, Value::String(tier))) => log
                        .tiers
                        .add(tier, row.load())
                        .map_err(|m| ctx.error(Some(number), m))?,
                    Some((_, Value::Null)) | None => log.tiers.add_untagged(row.load()),
                    Some((path, other)) => {
                        return Err(ctx.error(
                            Some(number),
                            format!(
                                "field '{path}': {other} is not a service tier (a string such \
                                 as \"priority\")"
                            ),
                        ));
                    }
                }
                log.reasoning = add_known(log.reasoning, row.reasoning);
                sums.add(row, stats, &mut log.all)
            }
            Err(message) => ctx.skip(number, message, stats)?,
        }
    }
    if stats.group_column.is_none() {
        log.groups.clear();
    }
    for (minute, load) in benchmark {
        merge(&mut log.all, minute * 60, load);
    }

    Ok(())
}

/// The group of a row whose deployment or model cell is blank.
pub const NO_GROUP: &str = "(none)";

fn group_name(value: &str) -> &str {
    match value.trim() {
        "" => NO_GROUP,
        name => name,
    }
}

/// Adds every bucket of `from` into `into`.
pub fn merge_buckets(into: &mut SecondBuckets, from: SecondBuckets) {
    for (second, sum) in from {
        merge(into, second, sum);
    }
}

fn merge(buckets: &mut SecondBuckets, second: i64, sum: MinuteLoad) {
    *buckets.entry(second).or_default() += sum;
}

/// Seconds since the epoch for the common form `YYYY-MM-DDTHH:MM:SS[.fff]Z` (or with a space,
/// or without a zone: UTC); `None` for anything else, which the general parser then reads.
#[cfg(test)]
fn fast_second(b: &[u8]) -> Option<i64> {
    if !fast_form(b) {
        return None;
    }
    civil_second(b)
}

/// Whether `b` has the form `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z]` (digits checked later).
fn fast_form(b: &[u8]) -> bool {
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let rest = &b[19..];
    let rest = match rest.first() {
        Some(b'.') => {
            let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            &rest[1 + digits..]
        }
        _ => rest,
    };
    rest.is_empty() || rest == b"Z"
}

/// Remembers the last whole second parsed: rows of one second share their first 19 bytes, so
/// most timestamps cost a comparison.
#[derive(Default)]
struct StampCache {
    prefix: [u8; 19],
    second: Option<i64>,
}

impl StampCache {
    fn second(&mut self, b: &[u8]) -> Option<i64> {
        if !fast_form(b) {
            return None;
        }
        if self.second.is_some() && b[..19] == self.prefix {
            return self.second;
        }
        let second = civil_second(b)?;
        self.prefix.copy_from_slice(&b[..19]);
        self.second = Some(second);
        Some(second)
    }
}

/// Seconds since the epoch of a string of [`fast_form`].
fn civil_second(b: &[u8]) -> Option<i64> {
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        b[range].iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
        .filter(|s| timestamp::SECONDS_ACCEPTED.contains(s))
}

/// A token count written as plain digits.
fn fast_count(b: &[u8]) -> Option<f64> {
    if b.is_empty() || b.len() > 15 {
        return None;
    }
    b.iter()
        .try_fold(0u64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u64::from(c - b'0'))
        })
        .map(|n| n as f64)
}

/// A token count: a whole number, 0 or more.
fn token_count(text: &str) -> Option<f64> {
    let value: f64 = text.parse().ok()?;
    (value.is_finite() && value >= 0.0 && value.fract() == 0.0).then_some(value)
}

/// Cached tokens are part of the prompt, reasoning tokens part of the completion.
/// The most requests one row may stand for (a second's count; more is a unit mistake).
const MAX_ROW_REQUESTS: f64 = 1e9;

/// A row's request count: a whole number from 1 to [`MAX_ROW_REQUESTS`].
fn request_count(value: Option<f64>, text: &str, column: &str) -> Result<f64, String> {
    match value {
        Some(v) if (1.0..=MAX_ROW_REQUESTS).contains(&v) && v.fract() == 0.0 => Ok(v),
        _ => Err(format!(
            "column '{column}': '{text}' is not a request count (a whole number from 1 to \
             1,000,000,000)"
        )),
    }
}

fn check_cached(row: &Row) -> Result<(), String> {
    if row.cached > row.prompt {
        Err(format!(
            "cached tokens ({}) exceed prompt tokens ({})",
            row.cached, row.prompt
        ))
    } else if let Some(reasoning) = row.reasoning.filter(|r| *r > row.completion) {
        Err(format!(
            "reasoning tokens ({reasoning}) exceed completion tokens ({}), which include them",
            row.completion
        ))
    } else {
        Ok(())
    }
}

/// The field named on the command line, else the first known name present, with its path.
fn find_field<'a>(
    value: &'a Value,
    given: Option<&'a str>,
    known: &[&'a str],
) -> Option<(&'a str, &'a Value)> {
    match given {
        Some(path) => lookup(value, path).map(|v| (path, v)),
        None => known
            .iter()
            .find_map(|path| lookup(value, path).map(|v| (*path, v))),
    }
}

/// A value by dotted path (`usage.prompt_tokens`), matching keys without regard to case.
fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| {
        v.as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(
        text: &str,
        format: LogFormat,
        skip: bool,
    ) -> Result<(SecondBuckets, ReadStats), InputError> {
        let (log, stats) = read_grouped(text, format, &ColumnNames::default(), skip)?;
        Ok((log.all, stats))
    }

    fn read_grouped(
        text: &str,
        format: LogFormat,
        names: &ColumnNames,
        skip: bool,
    ) -> Result<(LogBuckets, ReadStats), InputError> {
        let mut log = LogBuckets::default();
        let stats = read(text.as_bytes(), "log", format, names, skip, &mut log)?;
        Ok((log, stats))
    }

    #[test]
    fn lines_split_across_buffer_refills_are_read_whole() {
        // The same rows through a 5-byte buffer (every line split) and a large one; the last
        // line has no line break, and the error on line 5 names line 5 in both.
        let text = "timestamp,prompt_tokens,completion_tokens\n\
                    2026-11-02T09:00:00Z,100,10\n\n2026-11-02T09:00:01.5Z,\"7\",3\r\n\
                    2026-11-02T09:00:01Z,1,1";
        let read_with = |capacity: usize, text: &str| {
            let mut log = LogBuckets::default();
            let input = std::io::BufReader::with_capacity(capacity, text.as_bytes());
            let names = ColumnNames::default();
            read(input, "log", LogFormat::Csv, &names, false, &mut log).map(|s| (log, s))
        };
        let (small, stats) = read_with(5, text).expect("valid");
        let (large, _) = read_with(1 << 16, text).expect("valid");
        assert_eq!(small, large);
        assert_eq!(stats.rows, 3);
        assert_eq!(small.all[&1_793_610_001].prompt, 8.0);
        let bad = format!("{text}\n2026-11-02T09:00:02Z,x,1\n");
        for capacity in [5, 1 << 16] {
            let err = read_with(capacity, &bad).expect_err("bad").to_string();
            assert!(
                err.starts_with("log 'log', line 6: column 'prompt_tokens'"),
                "{err}"
            );
        }
    }

    #[test]
    fn rows_are_grouped_by_deployment_else_model() {
        // Two deployments of gpt-4o and one of gpt-4.1; a blank deployment is "(none)".
        let text = "timestamp,deployment,model,prompt_tokens,completion_tokens\n\
                    2026-11-02T09:00:00Z,chat,gpt-4o,100,10\n\
                    2026-11-02T09:00:00Z,chat,gpt-4o,50,5\n\
                    2026-11-02T09:00:01Z,batch,gpt-4.1,7,3\n\
                    2026-11-02T09:00:02Z,,gpt-4o,1,1\n";
        let (log, stats) =
            read_grouped(text, LogFormat::Csv, &ColumnNames::default(), false).expect("valid");
        assert_eq!(stats.group_column.as_deref(), Some("deployment"));
        let names: Vec<&str> = log.groups.keys().map(String::as_str).collect();
        assert_eq!(names, ["(none)", "batch", "chat"]);
        let chat = &log.groups["chat"];
        assert_eq!(chat.model.as_deref(), Some("gpt-4o"));
        assert_eq!(
            (
                chat.buckets[&1_793_610_000].requests,
                chat.buckets[&1_793_610_000].prompt
            ),
            (2.0, 150.0)
        );
        assert_eq!(log.groups["batch"].buckets[&1_793_610_001].completion, 3.0);
        assert_eq!(log.all.values().map(|b| b.requests).sum::<f64>(), 4.0);
        // Naming the model column groups per model instead.
        let names = ColumnNames {
            deployment: Some("model".into()),
            ..ColumnNames::default()
        };
        let (log, _) = read_grouped(text, LogFormat::Csv, &names, false).expect("valid");
        assert_eq!(log.groups.keys().collect::<Vec<_>>(), ["gpt-4.1", "gpt-4o"]);
        // A named column that is missing is an error.
        let names = ColumnNames {
            model: Some("engine".into()),
            ..ColumnNames::default()
        };
        let err = read_grouped(text, LogFormat::Csv, &names, false)
            .expect_err("no such column")
            .to_string();
        assert!(
            err.contains(
                "no model column 'engine' (--model-column); the header has timestamp, deployment"
            ),
            "{err}"
        );
    }

    #[test]
    fn jsonl_rows_are_grouped_by_model_only_when_some_row_names_one() {
        let text = r#"{"created": 1793610000, "model": "gpt-4o-2024-08-06", "usage": {"prompt_tokens": 10, "completion_tokens": 1}}
{"created": 1793610001, "usage": {"prompt_tokens": 5, "completion_tokens": 1}}
"#;
        let (log, stats) =
            read_grouped(text, LogFormat::Jsonl, &ColumnNames::default(), false).expect("valid");
        assert_eq!(stats.group_column.as_deref(), Some("model"));
        assert_eq!(
            log.groups.keys().collect::<Vec<_>>(),
            ["(none)", "gpt-4o-2024-08-06"]
        );
        let plain = "{\"created\": 1793610000, \"prompt_tokens\": 1, \"completion_tokens\": 1}\n";
        let (log, stats) =
            read_grouped(plain, LogFormat::Jsonl, &ColumnNames::default(), false).expect("valid");
        assert_eq!((stats.group_column, log.groups.len()), (None, 0));
    }

    proptest::proptest! {
        #[test]
        fn fast_timestamps_agree_with_the_general_parser(
            seconds in 0i64..8_000_000_000,
            millis in 0u32..1000,
            separator in proptest::sample::select(vec!["T", " "]),
            zone in proptest::sample::select(vec!["Z", ""]),
        ) {
            let text = chrono::DateTime::from_timestamp(seconds, 0).expect("in range")
                .format(&format!("%Y-%m-%d{separator}%H:%M:%S.{millis:03}{zone}")).to_string();
            let expected = timestamp::SECONDS_ACCEPTED.contains(&seconds).then_some(seconds);
            proptest::prop_assert_eq!(fast_second(text.as_bytes()), expected);
            proptest::prop_assert_eq!(timestamp::second(&text), expected);
        }
    }

    #[test]
    fn fast_paths_leave_other_forms_to_the_general_parser() {
        assert_eq!(fast_second(b"2026-11-02T10:00:00+01:00"), None);
        assert_eq!(fast_second(b"1793610000"), None);
        assert_eq!(fast_second(b"2026-13-02T09:00:00Z"), None);
        assert_eq!(fast_count(b"1200"), Some(1200.0));
        assert_eq!(fast_count(b"12.0"), None);
        assert_eq!(fast_count(b"-3"), None);
    }

    #[test]
    fn csv_with_known_column_names() {
        let text = "TimeGenerated,PromptTokens,CompletionTokens\n\
                    2026-11-02T09:00:00Z,100,10\n2026-11-02T09:00:00.5Z,50,5\n2026-11-02T09:00:01Z,1,1\n";
        let (buckets, stats) = read_str(text, LogFormat::Csv, false).expect("valid");
        assert_eq!(stats.rows, 3);
        let first = buckets[&1_793_610_000];
        assert_eq!(
            (first.requests, first.prompt, first.completion),
            (2.0, 150.0, 15.0)
        );
    }

    #[test]
    fn jsonl_openai_responses_with_nested_usage() {
        let text = r#"{"created": 1793610000, "usage": {"prompt_tokens": 1200, "completion_tokens": 300, "prompt_tokens_details": {"cached_tokens": 1024}}}
{"created": 1793610001, "usage": {"input_tokens": 10, "output_tokens": 2}}
"#;
        let (buckets, _) = read_str(text, LogFormat::Jsonl, false).expect("valid");
        assert_eq!(buckets[&1_793_610_000].cached, 1024.0);
        assert_eq!(buckets[&1_793_610_001].prompt, 10.0);
    }

    #[test]
    fn reasoning_tokens_are_read_where_given_and_checked_against_completions() {
        // JSONL: the OpenAI usage path; CSV: a reasoning_tokens column, a blank cell unknown.
        let text = r#"{"created": 1793610000, "usage": {"prompt_tokens": 10, "completion_tokens": 300, "completion_tokens_details": {"reasoning_tokens": 256}}}
{"created": 1793610001, "usage": {"prompt_tokens": 10, "completion_tokens": 5}}
"#;
        let (log, _) =
            read_grouped(text, LogFormat::Jsonl, &ColumnNames::default(), false).expect("valid");
        assert_eq!(log.reasoning, Some(256.0));
        assert_eq!(log.all[&1_793_610_000].completion, 300.0, "not added twice");
        let csv = "timestamp,prompt_tokens,completion_tokens,reasoning_tokens\n\
                   2026-11-02T09:00:00Z,1,10,4\n2026-11-02T09:00:01Z,1,10,\n";
        let (log, _) =
            read_grouped(csv, LogFormat::Csv, &ColumnNames::default(), false).expect("valid");
        assert_eq!(log.reasoning, Some(4.0));
        let (log, _) = read_grouped(
            "timestamp,prompt_tokens,completion_tokens\n2026-11-02T09:00:00Z,1,10\n",
            LogFormat::Csv,
            &ColumnNames::default(),
            false,
        )
        .expect("valid");
        assert_eq!(log.reasoning, None);
        let err = read_grouped(
            "timestamp,prompt_tokens,completion_tokens,reasoning_tokens\n2026-11-02T09:00:00Z,1,10,11\n",
            LogFormat::Csv,
            &ColumnNames::default(),
            false,
        )
        .expect_err("more reasoning than completion")
        .to_string();
        assert!(
            err.contains("reasoning tokens (11) exceed completion tokens (10)"),
            "{err}"
        );
    }

    #[test]
    fn bad_rows_fail_or_are_skipped_and_counted() {
        let text = "timestamp,prompt_tokens,completion_tokens\nsoon,1,1\n2026-11-02T09:00:00Z,-3,1\n2026-11-02T09:00:00Z,3,1\n";
        let err = read_str(text, LogFormat::Csv, false)
            .expect_err("bad")
            .to_string();
        assert!(
            err.starts_with("log 'log', line 2: column 'timestamp': 'soon' is not a time"),
            "{err}"
        );
        let (_, stats) = read_str(text, LogFormat::Csv, true).expect("skips");
        assert_eq!(
            (stats.rows, stats.skipped, stats.first_skipped.clone()),
            (1, 2, vec![2, 3])
        );
        let err = read_str("time,x\n", LogFormat::Csv, false)
            .expect_err("no column")
            .to_string();
        assert!(err.contains("no prompt column"), "{err}");
        let err = read_str(
            "{\"created\": 1793610000, \"usage\": {}}\n",
            LogFormat::Jsonl,
            false,
        )
        .expect_err("no tokens")
        .to_string();
        assert!(err.contains("line 1: no prompt field"), "{err}");
    }
}
