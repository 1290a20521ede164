//! CSV logs: a header, then one request (or a count of requests) per row, split in place in
//! the read buffer; and Azure Monitor per-minute metric exports.

use std::io::BufRead;

use super::stamps::StampCache;
use super::*;

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

/// A CSV log: a header, then one request per row (or Azure Monitor metric rows).
pub(super) fn read_csv(
    input: impl BufRead,
    names: &ColumnNames,
    ctx: &ReadContext,
    stats: &mut ReadStats,
    sums: &mut SecondSums,
    log: &mut LogBuckets,
) -> Result<(), InputError> {
    let mut input = input;
    let header = Header::read(&mut input, ctx)?;
    let t = header.column(&names.timestamp, &TIMESTAMP_NAMES, "timestamp", ctx)?;
    let metric_column = header.find(&None, &["MetricName", "metric", "name"]);
    let value_column = header.find(&None, &["Total", "value", "Sum"]);
    if let (Some(m), Some(v), None) = (
        metric_column,
        value_column,
        header.find(&names.prompt, &PROMPT_NAMES),
    ) {
        stats.per_minute_metrics = true;
        return read_metrics(input, &header, (t, m, v), ctx, stats, log);
    }
    let columns = Columns::resolve(&header, t, names, ctx)?;
    stats.group_column = columns.group.map(|g| header.names[g].clone());
    stats.count_column = columns.requests.map(|n| header.names[n].clone());
    // One reused line buffer and fast paths for the common timestamp and integer forms:
    // this runs once per request.
    let mut stamps = StampCache::default();
    let mut fields = LineFields::default();
    for_each_line(input, ctx, |text, line| {
        let text = text.trim_ascii_end();
        if text.is_empty() {
            return Ok(());
        }
        if !fields.split(text) {
            return Err(ctx.error(
                Some(line),
                "malformed CSV (quoted fields must close on their line)".into(),
            ));
        }
        match parse_row(&fields, text, &columns, &header.names, &mut stamps) {
            Ok(row) => add_row(row, &fields, text, &columns, log, sums, stats)
                .map_err(|m| ctx.error(Some(line), m)),
            Err(message) => ctx.skip(line, message, stats),
        }
    })
}

/// A CSV header: the column names as written, and trimmed.
struct Header {
    /// As the csv crate read them (quotes removed).
    raw: Vec<String>,
    /// Trimmed, for messages.
    names: Vec<String>,
}

impl Header {
    /// Reads the first line through the csv crate (it may quote names), at most
    /// [`MAX_LINE_BYTES`] long.
    fn read(input: &mut impl BufRead, ctx: &ReadContext) -> Result<Header, InputError> {
        let mut line = Vec::new();
        std::io::Read::take(&mut *input, MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| ctx.error(Some(1), format!("cannot read the header: {e}")))?;
        if line.len() > MAX_LINE_BYTES {
            return Err(ctx.error(Some(1), too_long()));
        }
        let record = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_slice())
            .records()
            .next()
            .transpose()
            .map_err(|e| ctx.error(Some(1), format!("cannot read the header: {e}")))?
            .unwrap_or_default();
        if line.trim_ascii().is_empty() {
            return Err(ctx.error(None, "the file is empty: no header, no rows".into()));
        }
        let raw: Vec<String> = record.iter().map(str::to_string).collect();
        let names = raw.iter().map(|h| h.trim().to_string()).collect();
        Ok(Header { raw, names })
    }

    /// A name without the ` [UTC]` the Azure portal's export adds to `TimeGenerated`.
    fn bare(name: &str) -> &str {
        name.trim().trim_end_matches(" [UTC]")
    }

    /// The column named on the command line, else the first known name present.
    fn find(&self, given: &Option<String>, known: &[&str]) -> Option<usize> {
        let at = |wanted: &str| {
            self.raw
                .iter()
                .position(|h| Self::bare(h).eq_ignore_ascii_case(wanted))
        };
        match given {
            Some(name) => at(name.trim()),
            None => known.iter().find_map(|k| at(k)),
        }
    }

    /// [`Header::find`], or an error naming what was looked for and what the header has.
    fn column(
        &self,
        given: &Option<String>,
        known: &[&str],
        what: &str,
        ctx: &ReadContext,
    ) -> Result<usize, InputError> {
        self.find(given, known).ok_or_else(|| {
            let columns: Vec<&str> = self.raw.iter().map(|h| Self::bare(h)).collect();
            let columns = columns.join(", ");
            let message = match given {
                Some(name) => {
                    format!("no {what} column '{name}' (--{what}-column); the header has {columns}")
                }
                None => format!(
                    "no {what} column: looked for {}; the header has {columns}; name it with \
                     --{what}-column",
                    known.join(", ")
                ),
            };
            ctx.error(Some(1), message)
        })
    }

    /// A column that may be absent, unless it was named on the command line.
    fn optional(
        &self,
        given: &Option<String>,
        known: &[&str],
        what: &str,
        ctx: &ReadContext,
    ) -> Result<Option<usize>, InputError> {
        match given {
            Some(_) => self.column(given, known, what, ctx).map(Some),
            None => Ok(self.find(given, known)),
        }
    }
}

/// Where each field of a request row is.
struct Columns {
    timestamp: usize,
    prompt: usize,
    completion: usize,
    cached: Option<usize>,
    reasoning: Option<usize>,
    model: Option<usize>,
    /// Deployment, else model: what splits the traffic into groups.
    group: Option<usize>,
    tier: Option<usize>,
    requests: Option<usize>,
    /// The last column a row must have.
    needed: usize,
}

impl Columns {
    /// The request columns of `header` (the timestamp column already found).
    fn resolve(
        header: &Header,
        timestamp: usize,
        names: &ColumnNames,
        ctx: &ReadContext,
    ) -> Result<Columns, InputError> {
        let prompt = header.column(&names.prompt, &PROMPT_NAMES, "prompt", ctx)?;
        let completion = header.column(&names.completion, &COMPLETION_NAMES, "completion", ctx)?;
        let cached = header.find(&names.cached, &CACHED_NAMES);
        let model = header.optional(&names.model, &MODEL_NAMES, "model", ctx)?;
        let reasoning = header.optional(&names.reasoning, &REASONING_NAMES, "reasoning", ctx)?;
        let group = header
            .optional(&names.deployment, &DEPLOYMENT_NAMES, "deployment", ctx)?
            .or(model);
        let tier = header.optional(
            &names.service_tier,
            &SERVICE_TIER_NAMES,
            "service-tier",
            ctx,
        )?;
        let requests = header.optional(&names.requests, &REQUEST_COUNT_NAMES, "requests", ctx)?;
        let needed = [cached, reasoning, group, model, tier, requests]
            .into_iter()
            .flatten()
            .chain([timestamp, prompt, completion])
            .max()
            .unwrap_or(0);
        Ok(Columns {
            timestamp,
            prompt,
            completion,
            cached,
            reasoning,
            model,
            group,
            tier,
            requests,
            needed,
        })
    }
}

/// The fields of one line: split at commas in place, or through the csv crate when the line
/// quotes a field.
#[derive(Default)]
struct LineFields {
    ranges: Vec<(usize, usize)>,
    quoted: ::csv::ByteRecord,
    is_quoted: bool,
}

impl LineFields {
    /// Splits `text`; false for a quoted field that does not close on its line.
    #[inline]
    fn split(&mut self, text: &[u8]) -> bool {
        self.ranges.clear();
        self.is_quoted = text.contains(&b'"');
        if self.is_quoted {
            let mut one = ::csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text);
            return matches!(one.read_byte_record(&mut self.quoted), Ok(true));
        }
        let mut from = 0;
        for comma in memchr::memchr_iter(b',', text) {
            self.ranges.push((from, comma));
            from = comma + 1;
        }
        self.ranges.push((from, text.len()));
        true
    }

    /// How many fields the line has.
    fn len(&self) -> usize {
        if self.is_quoted {
            self.quoted.len()
        } else {
            self.ranges.len()
        }
    }

    /// Field `index` of `text` (the line last split), trimmed; empty past the end.
    #[inline]
    fn get<'a>(&'a self, text: &'a [u8], index: usize) -> &'a [u8] {
        if self.is_quoted {
            self.quoted.get(index).unwrap_or_default().trim_ascii()
        } else {
            self.ranges
                .get(index)
                .map_or(&[][..], |&(a, b)| &text[a..b])
                .trim_ascii()
        }
    }
}

/// One request row (or a count of requests): its second, requests and tokens, checked.
#[inline]
fn parse_row(
    fields: &LineFields,
    text: &[u8],
    columns: &Columns,
    header: &[String],
    stamps: &mut StampCache,
) -> Result<Row, String> {
    let field = |index: usize| fields.get(text, index);
    let count = fields.len();
    // Too few fields, or values past the header's columns (an unquoted `1,200` would
    // otherwise shift the columns and read as 1 and 200); empty trailing fields are fine.
    let extra = (header.len()..count).any(|i| !field(i).is_empty());
    if count <= columns.needed || extra {
        return Err(format!(
            "the row has {count} fields, the header {} (quote a value that holds a comma)",
            header.len()
        ));
    }
    let stamp = field(columns.timestamp);
    let second = stamps
        .second(stamp)
        .or_else(|| std::str::from_utf8(stamp).ok().and_then(timestamp::second))
        .ok_or_else(|| {
            format!(
                "column '{}': '{}' is not a time; use {}",
                header[columns.timestamp],
                String::from_utf8_lossy(stamp),
                timestamp::ACCEPTED
            )
        })?;
    let number = |index: usize| -> Result<f64, String> {
        let bytes = field(index);
        if Some(index) == columns.cached && bytes.is_empty() {
            return Ok(0.0);
        }
        fast_count(bytes)
            .filter(|&v| is_token_count(v))
            .or_else(|| std::str::from_utf8(bytes).ok().and_then(token_count))
            .ok_or_else(|| {
                format!(
                    "column '{}': '{}' is not a token count ({TOKEN_COUNT_RULE})",
                    header[index],
                    String::from_utf8_lossy(bytes)
                )
            })
    };
    let requests = match columns.requests {
        Some(n) => {
            let text = String::from_utf8_lossy(field(n));
            request_count(text.trim().parse().ok(), &text, "column", &header[n])?
        }
        None => 1.0,
    };
    let row = Row {
        second,
        requests,
        prompt: number(columns.prompt)?,
        completion: number(columns.completion)?,
        cached: columns.cached.map(number).transpose()?.unwrap_or(0.0),
        // A blank cell: this row does not say.
        reasoning: columns
            .reasoning
            .filter(|&r| !field(r).is_empty())
            .map(number)
            .transpose()?,
    };
    check_cached(&row)?;
    Ok(row)
}

/// Adds a parsed row to its group, its service tier and the log's per-second sums.
#[inline]
fn add_row(
    row: Row,
    fields: &LineFields,
    text: &[u8],
    columns: &Columns,
    log: &mut LogBuckets,
    sums: &mut SecondSums,
    stats: &mut ReadStats,
) -> Result<(), String> {
    let field = |index: usize| String::from_utf8_lossy(fields.get(text, index));
    if let Some(g) = columns.group {
        let model = columns.model.map(field);
        log.add_to_group(group_name(&field(g)), model.as_deref(), &row)?;
    }
    if let Some(s) = columns.tier {
        log.tiers.add(&field(s), row.load())?;
    }
    log.reasoning = add_known(log.reasoning, row.reasoning);
    sums.add(row, stats, &mut log.all);
    Ok(())
}

/// Calls `on_line` with each line (without its `\n`) and its number, from 2 (the header is
/// line 1). Lines are read in place from the reader's buffer; only a line split across two
/// refills is copied, and one longer than [`MAX_LINE_BYTES`] is an error.
fn for_each_line(
    mut input: impl BufRead,
    ctx: &ReadContext,
    mut on_line: impl FnMut(&[u8], u64) -> Result<(), InputError>,
) -> Result<(), InputError> {
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
            return Ok(());
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
}

/// An Azure Monitor per-minute metric export (long format: time, `MetricName`, `Total`),
/// added to the minute each row names; other metrics are passed over.
fn read_metrics(
    input: impl BufRead,
    header: &Header,
    (t, m, v): (usize, usize, usize),
    ctx: &ReadContext,
    stats: &mut ReadStats,
    log: &mut LogBuckets,
) -> Result<(), InputError> {
    let mut reader = ::csv::ReaderBuilder::new()
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
                    &header.raw[t],
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
                    &header.raw[v]
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
    Ok(())
}
