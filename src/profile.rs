//! Load profiles: a CSV with one row per minute, read into per-minute loads for `cost`.
//!
//! Format (the one `analyze --profile-out` writes):
//!
//! ```text
//! timestamp,rpm,prompt,completion,cached
//! 2026-11-02T09:00:00Z,812,650000,162000,120000
//! ```
//!
//! `timestamp` and `rpm` (requests in that minute) are required; `prompt`, `completion` and
//! `cached` are optional token sums for the minute (without `prompt` and `completion`, the
//! request shape from the command line applies to every minute). Rows may come in any order;
//! a minute may appear once. Minutes missing inside the span count as minutes with no load.

use std::collections::HashMap;

use crate::calc::load::MinuteLoad;
use crate::calc::workload::{MAX_RPM, MAX_TPM, RequestShape, TokenCounts};
use crate::error::InputError;
use crate::timestamp;

/// A parsed profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Minutes that have a row, in time order, each with the minute it stands for.
    pub minutes: Vec<(i64, MinuteLoad)>,
    /// Minutes from the first to the last row, both included.
    pub span_minutes: u64,
    /// Whether the rows carry prompt and completion token sums.
    pub has_tokens: bool,
    /// Whether the rows carry cached token sums.
    pub has_cached: bool,
}

impl Profile {
    /// Each row's minute counted from the first row's (rows are sorted): where the minutes
    /// missing between rows are, for rules that look back in time.
    pub fn offsets(&self) -> Vec<u64> {
        let first = self.minutes.first().map_or(0, |(m, _)| *m);
        self.minutes
            .iter()
            .map(|(m, _)| (m - first) as u64)
            .collect()
    }

    /// The average request of a profile with token columns (`None` without them, or without
    /// requests): what a given peak rate is sized with. `cache_rate` applies when the profile
    /// has no cached column.
    pub fn mean_shape(&self, cache_rate: f64) -> Option<RequestShape> {
        if !self.has_tokens {
            return None;
        }
        let total = crate::calc::load::total(self.minutes.iter().map(|(_, m)| m));
        if total.requests <= 0.0 {
            return None;
        }
        let counts = TokenCounts {
            total: None,
            prompt: Some(total.prompt / total.requests),
            completion: Some(total.completion / total.requests),
        };
        let cache_rate = match (self.has_cached, total.prompt > 0.0) {
            (true, true) => total.cached / total.prompt,
            (true, false) => 0.0,
            (false, _) => cache_rate,
        };
        RequestShape::new(counts, cache_rate.clamp(0.0, 1.0), None).ok()
    }
}

const REQUIRED: [&str; 2] = ["timestamp", "rpm"];
const OPTIONAL: [&str; 3] = ["prompt", "completion", "cached"];

/// Parses profile CSV text; `path` names the file in errors.
pub fn parse(text: &str, path: &str) -> Result<Profile, InputError> {
    let error = |line: Option<u64>, message: String| InputError::File {
        kind: "profile",
        path: path.to_string(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| error(Some(1), format!("cannot read the header: {e}")))?
        .clone();
    let columns = Columns::of(&headers).map_err(|message| error(Some(1), message))?;
    let mut seen: HashMap<i64, u64> = HashMap::new();
    let mut minutes = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line());
            error(line, format!("malformed CSV: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let at_line = |message: String| error(Some(line), message);
        let stamp = record.get(columns.timestamp).unwrap_or_default();
        let minute = timestamp::minute(stamp).ok_or_else(|| {
            at_line(format!(
                "column 'timestamp': '{stamp}' is not a time; use {}",
                timestamp::ACCEPTED
            ))
        })?;
        if let Some(first) = seen.insert(minute, line) {
            return Err(at_line(format!(
                "minute of '{stamp}' already has a row (line {first}); one row per minute"
            )));
        }
        minutes.push((minute, row_load(&record, &columns).map_err(at_line)?));
    }
    if minutes.is_empty() {
        return Err(error(
            None,
            "no rows after the header: a profile needs at least one minute".into(),
        ));
    }
    if minutes.iter().all(|(_, m)| m.requests == 0.0) {
        return Err(error(
            None,
            "every minute has 0 requests: there is no load to price".into(),
        ));
    }
    minutes.sort_by_key(|(minute, _)| *minute);
    let first = minutes.first().map_or(0, |(m, _)| *m);
    let last = minutes.last().map_or(0, |(m, _)| *m);
    Ok(Profile {
        span_minutes: (last - first) as u64 + 1,
        has_tokens: columns.prompt.is_some(),
        has_cached: columns.cached.is_some(),
        minutes,
    })
}

/// Where a profile's columns are.
struct Columns {
    timestamp: usize,
    rpm: usize,
    /// Prompt and completion, both or neither.
    prompt: Option<(usize, usize)>,
    cached: Option<usize>,
}

impl Columns {
    /// The columns of a header: `timestamp` and `rpm`, optionally `prompt` with `completion`
    /// and then `cached`, nothing else.
    fn of(headers: &csv::StringRecord) -> Result<Columns, String> {
        let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        for name in REQUIRED {
            if column(name).is_none() {
                return Err(format!(
                    "no '{name}' column; the header must have timestamp,rpm[,prompt,completion,cached]"
                ));
            }
        }
        for header in headers.iter() {
            let known = REQUIRED
                .iter()
                .chain(&OPTIONAL)
                .any(|n| n.eq_ignore_ascii_case(header));
            if !known {
                return Err(format!(
                    "unknown column '{header}'; expected timestamp, rpm, prompt, completion, cached"
                ));
            }
        }
        let prompt = match (column("prompt"), column("completion")) {
            (Some(p), Some(c)) => Some((p, c)),
            (None, None) => None,
            _ => return Err("give both 'prompt' and 'completion' columns, or neither".into()),
        };
        let cached = column("cached");
        if cached.is_some() && prompt.is_none() {
            return Err("a 'cached' column needs 'prompt' and 'completion' columns".into());
        }
        Ok(Columns {
            timestamp: column("timestamp").unwrap_or_default(),
            rpm: column("rpm").unwrap_or_default(),
            prompt,
            cached,
        })
    }
}

/// One row's load, checked: bounds, tokens with requests, cached within prompt.
fn row_load(record: &csv::StringRecord, columns: &Columns) -> Result<MinuteLoad, String> {
    let field = |index: usize, name: &str| -> Result<f64, String> {
        let text = record.get(index).unwrap_or_default();
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            _ => Err(format!(
                "column '{name}': '{text}' is not a non-negative number"
            )),
        }
    };
    let requests = field(columns.rpm, "rpm")?;
    if requests > MAX_RPM {
        return Err(format!(
            "column 'rpm': {requests} is above the {MAX_RPM:e} requests a minute ptuplan accepts"
        ));
    }
    let mut load = MinuteLoad {
        requests,
        ..MinuteLoad::default()
    };
    if let Some((p, c)) = columns.prompt {
        load.prompt = field(p, "prompt")?;
        load.completion = field(c, "completion")?;
    }
    if load.prompt + load.completion > MAX_TPM {
        return Err(format!(
            "{} tokens in one minute is above the {MAX_TPM:e} ptuplan accepts",
            load.prompt + load.completion
        ));
    }
    if columns.prompt.is_some() && (requests == 0.0) != (load.prompt + load.completion == 0.0) {
        return Err(if requests == 0.0 {
            "tokens without requests: 'rpm' is 0 but 'prompt' or 'completion' is not"
        } else {
            "requests without tokens: 'prompt' and 'completion' are both 0"
        }
        .to_string());
    }
    if let Some(index) = columns.cached {
        load.cached = field(index, "cached")?;
        if load.cached > load.prompt {
            return Err(format!(
                "cached tokens ({}) exceed prompt tokens ({})",
                load.cached, load.prompt
            ));
        }
    }
    Ok(load)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_in_any_order_and_counts_the_span() {
        let text = "timestamp,rpm,prompt,completion,cached\n\
                    2026-11-02T09:02:00Z,10,1000,500,100\n\
                    2026-11-02T09:00:00Z,20,2000,1000,0\n";
        let profile = parse(text, "p.csv").expect("valid");
        assert_eq!(profile.span_minutes, 3, "09:00 to 09:02, 09:01 missing");
        assert_eq!(profile.minutes.len(), 2);
        assert_eq!(profile.minutes[0].1.requests, 20.0);
        assert_eq!(profile.minutes[1].1.cached, 100.0);
        assert!(profile.has_tokens && profile.has_cached);
    }

    #[test]
    fn rpm_only_profiles_use_the_flags_shape() {
        let profile = parse("timestamp,rpm\n2026-11-02 09:00,5\n", "p.csv").expect("valid");
        assert!(!profile.has_tokens);
        assert_eq!(profile.span_minutes, 1);
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let cases = [
            ("time,rpm\nx,1\n", "no 'timestamp' column"),
            (
                "timestamp,rpm,extra\n2026-11-02T09:00:00Z,1,2\n",
                "unknown column 'extra'",
            ),
            (
                "timestamp,rpm\n2026-11-02T09:00:00Z,abc\n",
                "line 2: column 'rpm': 'abc'",
            ),
            (
                "timestamp,rpm\n2026-11-02T09:00:00Z,-1\n",
                "line 2: column 'rpm': '-1'",
            ),
            (
                "timestamp,rpm\nsoon,1\n",
                "line 2: column 'timestamp': 'soon' is not a time",
            ),
            (
                "timestamp,rpm\n2026-11-02T09:00:00Z,1\n2026-11-02T09:00:30Z,1\n",
                "line 3: minute of",
            ),
            (
                "timestamp,rpm,prompt\n2026-11-02T09:00:00Z,1,5\n",
                "both 'prompt' and 'completion'",
            ),
            (
                "timestamp,rpm,prompt,completion,cached\n2026-11-02T09:00:00Z,1,5,1,9\n",
                "cached tokens (9) exceed",
            ),
            ("timestamp,rpm\n", "no rows"),
            (
                "timestamp,rpm\n2026-11-02T09:00:00Z,1e30\n",
                "line 2: column 'rpm': 1000000000000000000000000000000 is above",
            ),
            (
                "timestamp,rpm,prompt,completion\n2026-11-02T09:00:00Z,0,10,5\n",
                "line 2: tokens without requests",
            ),
            (
                "timestamp,rpm,prompt,completion\n2026-11-02T09:00:00Z,3,0,0\n",
                "line 2: requests without tokens",
            ),
            (
                "timestamp,rpm\n2026-11-02T09:00:00Z,0\n",
                "every minute has 0 requests",
            ),
            (
                "timestamp,rpm\n2026-11-02T09:00:00Z,1,2\n",
                "line 2: malformed CSV",
            ),
        ];
        for (text, expected) in cases {
            let message = parse(text, "p.csv").expect_err(expected).to_string();
            assert!(message.starts_with("profile 'p.csv'"), "{message}");
            assert!(message.contains(expected), "{expected}: {message}");
        }
    }
}
