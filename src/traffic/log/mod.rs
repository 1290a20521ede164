//! Reading request logs, CSV or JSONL (optionally gzip-compressed), one row per request, into
//! per-second buckets. Streaming: memory grows with the seconds the log spans, not its rows.
//! The formats read in their own modules: `csv` (and Azure Monitor metric exports),
//! `jsonl`; `stamps` holds the fast timestamp path both share.

mod csv;
mod jsonl;
mod stamps;

use std::collections::BTreeMap;
use std::io::BufRead;

use crate::calc::load::{MinuteLoad, SecondAccumulator};
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
        LogFormat::Csv => csv::read_csv(input, names, &ctx, &mut stats, &mut sums, log)?,
        LogFormat::Jsonl => jsonl::read_jsonl(input, names, &ctx, &mut stats, &mut sums, log)?,
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

/// Rows summed per second (logs are mostly in time order), and counted.
#[derive(Default)]
struct SecondSums(SecondAccumulator<MinuteLoad>);

impl SecondSums {
    /// Adds one row (one request) and counts it.
    #[inline]
    fn add(&mut self, row: Row, stats: &mut ReadStats, buckets: &mut SecondBuckets) {
        self.0.add(row.second, row.load(), |second, sum| {
            merge(buckets, second, sum)
        });
        stats.rows += 1;
    }

    /// Stores the last second.
    fn finish(&mut self, buckets: &mut SecondBuckets) {
        self.0.finish(|second, sum| merge(buckets, second, sum));
    }
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

/// The most tokens one row may carry: the most a minute may (`calc::workload::MAX_TPM`);
/// more is a unit mistake or a broken export.
const MAX_ROW_TOKENS: f64 = crate::calc::workload::MAX_TPM;

/// What a token count may be, for errors.
const TOKEN_COUNT_RULE: &str = "a whole number from 0 to 10^12";

/// Whether `value` is a token count: a whole number from 0 to [`MAX_ROW_TOKENS`].
fn is_token_count(value: f64) -> bool {
    (0.0..=MAX_ROW_TOKENS).contains(&value) && value.fract() == 0.0
}

/// A token count written as a number: see [`is_token_count`].
fn token_count(text: &str) -> Option<f64> {
    let value: f64 = text.parse().ok()?;
    is_token_count(value).then_some(value)
}

/// The most requests one row may stand for (a second's count; more is a unit mistake).
const MAX_ROW_REQUESTS: f64 = 1e9;

/// A row's request count: a whole number from 1 to [`MAX_ROW_REQUESTS`].
/// `kind` and `name` say where it was: `column 'requests'` (CSV), `field 'requests'` (JSONL).
fn request_count(value: Option<f64>, text: &str, kind: &str, name: &str) -> Result<f64, String> {
    match value {
        Some(v) if (1.0..=MAX_ROW_REQUESTS).contains(&v) && v.fract() == 0.0 => Ok(v),
        _ => Err(format!(
            "{kind} '{name}': '{text}' is not a request count (a whole number from 1 to \
             1,000,000,000)"
        )),
    }
}

/// Cached tokens are part of the prompt, reasoning tokens part of the completion.
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

#[cfg(test)]
mod tests {
    use super::stamps::fast_second;
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
