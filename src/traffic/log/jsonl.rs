//! JSONL logs: one OpenAI-style response (or azure-openai-benchmark sample) per line, fields
//! found by name or dotted path.

use std::io::BufRead;

use serde_json::Value;

use super::*;

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

/// A JSONL log: one OpenAI-style response (or benchmark sample) per line.
pub(super) fn read_jsonl(
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
        let Some(value) = parse_line(&bytes, number, ctx, stats)? else {
            continue;
        };
        if let Some(sample) = benchmark_sample(&value) {
            match sample {
                Ok((minute, load)) => {
                    benchmark.insert(minute, load);
                    stats.per_minute_metrics = true;
                    stats.rows += 1;
                }
                Err(message) => ctx.skip(number, message, stats)?,
            }
            continue;
        }
        match request_row(&value, names, stats) {
            Ok(row) => {
                add_request(&value, row, names, log, stats)
                    .map_err(|m| ctx.error(Some(number), m))?;
                sums.add(row, stats, &mut log.all);
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

/// One line as JSON: None for a blank line or a skipped malformed one.
fn parse_line(
    bytes: &[u8],
    number: u64,
    ctx: &ReadContext,
    stats: &mut ReadStats,
) -> Result<Option<Value>, InputError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ctx.error(Some(number), "not UTF-8 text: is it a log?".to_string()))?;
    // A UTF-8 byte-order mark on the first line is read, as in CSV.
    let line = if number == 1 {
        text.trim_start_matches('\u{feff}')
    } else {
        text
    };
    if line.trim().is_empty() {
        return Ok(None);
    }
    match serde_json::from_str(line) {
        Ok(value) => Ok(Some(value)),
        Err(e) => {
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            ctx.skip(
                number,
                format!("column {}: malformed JSON: {message}", e.column()),
                stats,
            )?;
            Ok(None)
        }
    }
}

/// A JSON value as text: a string as it is, anything else as JSON.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An azure-openai-benchmark sample (`rpm`, `tpm.context`, `tpm.gen`): its minute and load,
/// or an error for a bad timestamp; None for any other line.
fn benchmark_sample(value: &Value) -> Option<Result<(i64, MinuteLoad), String>> {
    let rpm = value.get("rpm").and_then(Value::as_f64)?;
    let context = lookup(value, "tpm.context").and_then(Value::as_f64)?;
    let generated = lookup(value, "tpm.gen").and_then(Value::as_f64)?;
    let stamp = value.get("timestamp").map(text_of).unwrap_or_default();
    Some(match timestamp::second(&stamp) {
        Some(second) => Ok((
            second.div_euclid(60),
            MinuteLoad {
                requests: rpm,
                prompt: context,
                cached: 0.0,
                completion: generated,
            },
        )),
        None => Err(format!(
            "timestamp '{stamp}' is not a time; use {}",
            timestamp::ACCEPTED
        )),
    })
}

/// One request (or a count of requests): its second, requests and tokens, checked.
fn request_row(value: &Value, names: &ColumnNames, stats: &mut ReadStats) -> Result<Row, String> {
    let (_, stamp) =
        find_field(value, names.timestamp.as_deref(), &TIMESTAMP_NAMES).ok_or_else(|| {
            format!(
                "no timestamp field (looked for {}; name it with --timestamp-column)",
                TIMESTAMP_NAMES.join(", ")
            )
        })?;
    let stamp = text_of(stamp);
    let second = timestamp::second(&stamp).ok_or_else(|| {
        format!(
            "timestamp '{stamp}' is not a time; use {}",
            timestamp::ACCEPTED
        )
    })?;
    let count =
        |given: &Option<String>, known: &[&str], what: &str, required: bool| match find_field(
            value,
            given.as_deref(),
            known,
        ) {
            Some((path, v)) => v.as_f64().filter(|&n| is_token_count(n)).ok_or_else(|| {
                format!("field '{path}': {v} is not a token count ({TOKEN_COUNT_RULE})")
            }),
            None if required => Err(format!(
                "no {what} field (looked for {}; name it with --{what}-column)",
                known.join(", ")
            )),
            None => Ok(0.0),
        };
    let requests = match find_field(value, names.requests.as_deref(), &REQUEST_COUNT_NAMES) {
        Some((path, v)) => {
            if stats.count_column.is_none() {
                stats.count_column = Some(path.to_string());
            }
            request_count(v.as_f64(), &v.to_string(), "field", path)?
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
        reasoning: find_field(value, names.reasoning.as_deref(), &REASONING_NAMES)
            .filter(|(_, v)| !v.is_null())
            .map(|_| count(&names.reasoning, &REASONING_NAMES, "reasoning", false))
            .transpose()?,
    };
    check_cached(&row)?;
    Ok(row)
}

/// Adds a request row to its group (rows without one join a "(none)" group, dropped when no
/// row names a deployment or model) and to its service tier.
fn add_request(
    value: &Value,
    row: Row,
    names: &ColumnNames,
    log: &mut LogBuckets,
    stats: &mut ReadStats,
) -> Result<(), String> {
    let deployment = find_field(value, names.deployment.as_deref(), &DEPLOYMENT_NAMES);
    let model = find_field(value, names.model.as_deref(), &MODEL_NAMES);
    let group = deployment.or(model);
    if stats.group_column.is_none() {
        stats.group_column = group.map(|(path, _)| path.to_string());
    }
    let name = group.map(|(_, v)| text_of(v)).unwrap_or_default();
    let model = model.map(|(_, v)| text_of(v));
    log.add_to_group(group_name(&name), model.as_deref(), &row)?;
    match find_field(value, names.service_tier.as_deref(), &SERVICE_TIER_NAMES) {
        Some((_, Value::String(tier))) => log.tiers.add(tier, row.load())?,
        Some((_, Value::Null)) | None => log.tiers.add_untagged(row.load()),
        Some((path, other)) => {
            return Err(format!(
                "field '{path}': {other} is not a service tier (a string such as \"priority\")"
            ));
        }
    }
    log.reasoning = add_known(log.reasoning, row.reasoning);
    Ok(())
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
