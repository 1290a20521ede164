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
    let headers = ::csv::ReaderBuilder::new()
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
    let mut quoted = ::csv::ByteRecord::new();
    let mut on_line = |text: &[u8], line: u64| -> Result<(), InputError> {
        let text = text.trim_ascii_end();
        if text.is_empty() {
            return Ok(());
        }
        ranges.clear();
        let is_quoted = text.contains(&b'"');
        if is_quoted {
            let mut one = ::csv::ReaderBuilder::new()
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
