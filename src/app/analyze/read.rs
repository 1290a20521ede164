//! The logs read: files and stdin, gzip, a large CSV in two halves on two threads, the counts checked.

use std::io::BufRead;

use crate::cli::{AnalyzeArgs, LogFormatArg};
use crate::error::InputError;
use crate::traffic;
use crate::traffic::analysis::{self, SizingSettings};
use crate::traffic::log::{ColumnNames, LogBuckets, LogFormat, ReadStats, SecondBuckets};

use super::sizing::sizing_settings;

/// Reads an uncompressed CSV file as two halves on two threads (the second half gets a copy
/// of the header), adding its requests to `buckets`. `None` when the file is not such a file,
/// the machine has one core, or a half fails: the caller then reads it in one pass.
pub(super) fn read_csv_in_halves(
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
pub(in crate::app) fn open_log(
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
pub(super) const MAX_SPAN_DAYS: i64 = 2 * 366;

/// The logs read and checked, with the sizing settings: what `analyze` computes from.
pub(super) struct AnalyzeInput {
    pub(super) log: LogBuckets,
    pub(super) stats: ReadStats,
    /// The first rows skipped as invalid, quoted.
    pub(super) first_skipped: Vec<String>,
    pub(super) sizing: SizingSettings,
}

impl AnalyzeInput {
    /// Reads every log, tells per-minute counts apart, and checks the buckets against the
    /// sizing flags.
    pub(super) fn read(args: &AnalyzeArgs) -> anyhow::Result<Self> {
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

/// Counts on whole minutes only are per-minute counts (`bin(TimeGenerated, 1m)`): they hold
/// no sub-minute detail, so they are read as per-minute metrics are. Counts spaced by more
/// than a minute (5-minute or hourly bins) would be read as minute bursts: an error.
pub(super) fn mark_minute_counts(
    stats: &mut ReadStats,
    buckets: &SecondBuckets,
) -> Result<(), InputError> {
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

/// The column names given on the command line.
pub(super) fn column_names(args: &AnalyzeArgs) -> ColumnNames {
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
pub(super) fn read_logs(
    args: &AnalyzeArgs,
) -> anyhow::Result<(LogBuckets, ReadStats, Vec<String>)> {
    let names = column_names(args);
    let paths: Vec<String> = if args.files.is_empty() {
        vec!["-".into()]
    } else {
        args.files.clone()
    };
    crate::app::files::reject_repeated_paths(&paths)?;
    let mut log = LogBuckets::default();
    let mut stats = ReadStats::default();
    let mut first_skipped = Vec::new();
    let progress =
        crate::app::progress_bar(true, 0, "{msg} {wide_bar} {bytes}/{total_bytes} {eta}");
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
pub(super) const EXPORT_ROW_LIMITS: [u64; 2] = [30_000, 500_000];

/// Adds one file's read to the run's: rows, skipped rows, columns, and whether an export of
/// counts stops at a Log Analytics row limit (its file named in `at_row_limit`).
pub(super) fn add_stats(stats: &mut ReadStats, read: ReadStats, path: &str) {
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
pub(super) fn check_buckets(
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
