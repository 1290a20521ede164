//! Parsing of the numbers users type: `500`, `1,000`, `15M`, `30k`, `0.25`, `25%`.
//! Each parser returns a message that says what is allowed; clap adds the flag and value.

use crate::calc::capacity::MAX_PTU;
use crate::calc::workload::{MAX_RPM, MAX_TOKENS_PER_REQUEST, MAX_TPM};
use crate::deployment::DeploymentType;

/// A number with optional thousands separators (`1,000` or `1_000`, in groups of three) and
/// suffix `k` (×1,000), `M` (×1,000,000) or `B` (×1,000,000,000, as bounds are printed).
/// Rejects NaN, infinities and `1,5`-style commas.
pub fn quantity(text: &str) -> Result<f64, String> {
    let text = text.trim();
    if text.ends_with('m') {
        return Err("write M for million (15M); lower-case m is not accepted".to_string());
    }
    if !separators_group_thousands(text) {
        return Err(format!(
            "misplaced separators in '{text}'; write 1,000 or 1000 (decimals with a point: 1.5)"
        ));
    }
    let cleaned: String = text.chars().filter(|c| *c != ',' && *c != '_').collect();
    let (digits, scale) = match cleaned.chars().last() {
        Some('k' | 'K') => (&cleaned[..cleaned.len() - 1], 1e3),
        Some('M') => (&cleaned[..cleaned.len() - 1], 1e6),
        Some('B') => (&cleaned[..cleaned.len() - 1], 1e9),
        _ => (cleaned.as_str(), 1.0),
    };
    let is_numeral = !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    let value = if is_numeral {
        digits.parse::<f64>().ok()
    } else {
        None
    };
    match value.map(|v| v * scale) {
        Some(v) if v.is_finite() => Ok(v),
        Some(v) if v.is_infinite() => Err("out of range: far too large a number".to_string()),
        _ => Err("not a number; write e.g. 500, 1,000, 8.5, 30k or 15M".to_string()),
    }
}

/// True when every `,` or `_` separates groups of exactly three digits in the whole part.
fn separators_group_thousands(text: &str) -> bool {
    let body = text
        .trim_start_matches(['-', '+'])
        .trim_end_matches(['k', 'K', 'M', 'B']);
    let (whole, rest) = body.split_at(body.find(['.', 'e', 'E']).unwrap_or(body.len()));
    if rest.contains([',', '_']) {
        return false;
    }
    let mut groups = whole.split([',', '_']);
    let first = groups.next().unwrap_or_default();
    (1..=3).contains(&first.len()) && groups.all(|group| group.len() == 3)
        || !whole.contains([',', '_'])
}

fn bounded(
    text: &str,
    low: f64,
    low_inclusive: bool,
    high: f64,
    what: &str,
) -> Result<f64, String> {
    let value = quantity(text)?;
    let above_low = if low_inclusive {
        value >= low
    } else {
        value > low
    };
    if above_low && value <= high {
        Ok(value)
    } else {
        let relation = if low_inclusive { "at least" } else { "above" };
        Err(format!(
            "{what} must be {relation} {low} and at most {}",
            crate::numfmt::short(high)
        ))
    }
}

/// A `best_of` from 1 to 20 (the Completions API's range).
pub fn best_of(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=crate::calc::workload::MAX_BEST_OF).contains(&n) => Ok(n),
        _ => Err("must be a whole number from 1 to 20".to_string()),
    }
}

/// Smallest `--max-throttle` accepted.
pub const MIN_MAX_THROTTLE: f64 = 1e-4;

/// A share of first attempts a quota may refuse: above 0, at most 50% (`1%` or `0.01`).
pub fn max_throttle(text: &str) -> Result<f64, String> {
    let value = fraction(text)?;
    if (MIN_MAX_THROTTLE..=0.5).contains(&value) {
        Ok(value)
    } else if value > 0.0 && value < MIN_MAX_THROTTLE {
        Err(
            "must be at least 0.01% (0.0001): a smaller share is below what traffic \
             estimates can tell apart"
                .to_string(),
        )
    } else if value == 0.0 {
        Err(
            "must be above 0 (e.g. 1% or 0.01): no quota refuses nothing at all under \
             random arrivals"
                .to_string(),
        )
    } else {
        Err("must be above 0 and at most 50% (e.g. 1% or 0.01)".to_string())
    }
}

/// Requests per minute: above 0, at most [`MAX_RPM`].
pub fn rpm(text: &str) -> Result<f64, String> {
    bounded(text, 0.0, false, MAX_RPM, "requests per minute")
}

/// Requests per second: above 0, at most [`MAX_RPM`] ÷ 60.
pub fn qps(text: &str) -> Result<f64, String> {
    bounded(text, 0.0, false, MAX_RPM / 60.0, "requests per second")
}

/// Tokens per request: 0 or more, at most [`MAX_TOKENS_PER_REQUEST`].
pub fn tokens(text: &str) -> Result<f64, String> {
    bounded(text, 0.0, true, MAX_TOKENS_PER_REQUEST, "a token count")
}

/// A TPM quota: above 0, at most [`MAX_TPM`].
pub fn tpm(text: &str) -> Result<f64, String> {
    bounded(text, 0.0, false, MAX_TPM, "tokens per minute")
}

/// Tokens per minute from 0 up: a floor below which a rule does not apply.
pub fn tpm_floor(text: &str) -> Result<f64, String> {
    bounded(text, 0.0, true, MAX_TPM, "tokens per minute")
}

/// A PTU count: above 0, at most [`MAX_PTU`].
pub fn ptu(text: &str) -> Result<f64, String> {
    bounded(text, 0.0, false, MAX_PTU, "a PTU count")
}

/// No deployment of any catalog model is smaller than this many PTUs (Learn's minimums are 15
/// and more), so a list item below it is no candidate a user means.
const SMALLEST_DEPLOYMENT_PTU: f64 = 15.0;

/// A list of PTU counts, `100,150,200`. Thousands separators cannot be told from the list's
/// commas: a value that reads as one number of at most 100,000 is refused when, read as a list,
/// an item is below any deployment's minimum (`1,500`, `10,000`); `50,100` and `300,600` are
/// lists of realistic candidates.
pub fn ptu_list(text: &str) -> Result<Vec<f64>, String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let like_thousands = parts.len() > 1
        && (1..=3).contains(&parts[0].len())
        && parts[1..]
            .iter()
            .all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
        && parts.concat().parse::<f64>().is_ok_and(|v| v <= 100_000.0)
        && parts
            .iter()
            .any(|p| p.parse::<f64>().is_ok_and(|v| v < SMALLEST_DEPLOYMENT_PTU));
    if like_thousands {
        return Err(format!(
            "'{text}' reads as a list ({}) or as {}: write PTU counts without separators \
             (1500), and a list as 100,150,200 or by repeating --ptu",
            parts.join(" and "),
            parts.concat()
        ));
    }
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "'{text}' has an empty item: write one PTU count (1500) or a list (100,150,200)"
        ));
    }
    parts
        .iter()
        .map(|p| {
            ptu(p).map_err(|e| {
                if e.starts_with("not a number") {
                    format!(
                        "'{p}' is not a number: write one PTU count (1500) or a list (100,150,200)"
                    )
                } else {
                    e
                }
            })
        })
        .collect()
}

/// A TPM quota of `simulate`, which takes one quota per flag: a list such as `5M,6M` gets a
/// hint to repeat the flag.
pub fn tpm_candidate(text: &str) -> Result<f64, String> {
    tpm(text).map_err(|e| {
        if text.contains(',') && text.bytes().any(|b| b.is_ascii_alphabetic()) {
            format!("'{text}': one quota per flag; to compare quotas, repeat it: --tpm-quota 5M --tpm-quota 6M")
        } else {
            e
        }
    })
}

/// A price in USD: 0 or more, at most a million.
pub fn price(text: &str) -> Result<f64, String> {
    bounded(text, 0.0, true, 1e6, "a price in USD")
}

/// Hours billed per month: above 0, at most 744 (31 days).
pub fn hours(text: &str) -> Result<f64, String> {
    let value = quantity(text)?;
    if value > 0.0 && value <= 744.0 {
        Ok(value)
    } else {
        Err("hours per month must be above 0 and at most 744 (31 days)".to_string())
    }
}

/// A fraction written `0.25` or `25%`, without range check.
fn fraction(text: &str) -> Result<f64, String> {
    let trimmed = text.trim();
    let (number, scale) = match trimmed.strip_suffix('%') {
        Some(number) => (number.trim(), 0.01),
        None => (trimmed, 1.0),
    };
    match number.parse::<f64>() {
        Ok(value) if value.is_finite() => Ok(value * scale),
        _ => Err("not a fraction; write e.g. 0.25 or 25%".to_string()),
    }
}

/// A cache hit rate from 0 to 1 (`0.25` or `25%`).
pub fn cache_rate(text: &str) -> Result<f64, String> {
    let value = fraction(text)?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err("must be a fraction from 0 to 1 (e.g. 0.25) or a percentage from 0% to 100%".into())
    }
}

/// How API Management tells consumers apart: `subscription`, or `header:NAME`.
pub fn consumer_key(text: &str) -> Result<crate::calc::plan::ConsumerKey, String> {
    use crate::calc::plan::ConsumerKey;
    match text.trim().split_once(':') {
        None if text.trim() == "subscription" => Ok(ConsumerKey::Subscription),
        Some(("header", name))
            if !name.is_empty()
                && name.len() <= 100
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Ok(ConsumerKey::Header(name.to_string()))
        }
        _ => Err("must be 'subscription' or 'header:NAME' (letters, digits, - and _)".into()),
    }
}

/// An alert window Azure Monitor accepts, in minutes: 1m, 5m, 15m, 30m, 1h, 6h, 12h, 24h.
pub fn alert_window(text: &str) -> Result<u32, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1m" => Ok(1),
        "5m" => Ok(5),
        "15m" => Ok(15),
        "30m" => Ok(30),
        "1h" | "60m" => Ok(60),
        "6h" => Ok(360),
        "12h" => Ok(720),
        "24h" | "1d" => Ok(1440),
        _ => Err(
            "must be one of 1m, 5m, 15m, 30m, 1h, 6h, 12h, 24h (Azure Monitor's windows)".into(),
        ),
    }
}

/// A share of the load sent to batch: 0 to 99% (`0.3` or `30%`).
pub fn batch_share(text: &str) -> Result<f64, String> {
    let value = fraction(text)?;
    if (0.0..=crate::calc::cost::MAX_BATCH_SHARE).contains(&value) {
        Ok(value)
    } else {
        Err(
            "must be a fraction from 0 to 0.99 (e.g. 0.3) or a percentage from 0% to 99%: \
             the batch option prices all of the load"
                .into(),
        )
    }
}

/// A target utilization from 1% to 100% (`0.85` or `85%`).
pub fn target_utilization(text: &str) -> Result<f64, String> {
    let value = fraction(text)?;
    if crate::calc::sizing::check_target(value).is_ok() {
        Ok(value)
    } else {
        Err("must be from 0.01 to 1 (e.g. 0.85) or a percentage from 1% to 100%".into())
    }
}

/// An alert threshold: a share of capacity from 1% to 99.9% (utilization above 100% is never
/// reported, so an alert at 100% would never fire).
pub fn alert_threshold(text: &str) -> Result<f64, String> {
    let value = fraction(text)?;
    // 99.9% is 0.9990000000000001 in floating point.
    if (0.01 - 1e-12..=0.999 + 1e-12).contains(&value) {
        Ok(value)
    } else {
        Err(
            "must be from 0.01 to 0.999 (e.g. 0.85) or a percentage from 1% to 99.9%: an \
             alert at 100% of capacity never fires"
                .into(),
        )
    }
}

/// What span a log stands for (`analyze --period`), in whole minutes: at least 1 minute, at
/// most 732 days (the longest log `analyze` takes), e.g. `1h`, `1d`, `7d`, `30d`.
pub fn period(text: &str) -> Result<u64, String> {
    let seconds = duration(text)?;
    let minutes = seconds / 60.0;
    if minutes.fract() != 0.0 || !(1.0..=732.0 * 1440.0).contains(&minutes) {
        return Err(format!(
            "'{text}' is not a whole number of minutes from 1m to 732d; write e.g. 1h, 1d, 7d \
             or 30d"
        ));
    }
    Ok(minutes as u64)
}

/// A duration with a unit: `500ms`, `30s`, `15m` (or `min`), `2h`, `1d`; returned in seconds.
/// A bare number is refused: its unit would be a guess.
pub fn duration(text: &str) -> Result<f64, String> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err("a duration cannot be negative; write e.g. 500ms, 30s, 15m, 2h or 1d".into());
    }
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit.trim() {
        "ms" => 0.001,
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        "" => {
            return Err(format!(
                "'{text}' has no unit; write e.g. 500ms, 30s, 15m, 2h or 1d"
            ));
        }
        other => {
            return Err(format!(
                "unknown unit '{other}'; use ms, s, m (minutes), h or d"
            ));
        }
    };
    match number.parse::<f64>() {
        Ok(value) if value.is_finite() && value * scale <= 3.2e8 => Ok(value * scale),
        Ok(_) => Err("too long: at most 10 years".to_string()),
        Err(_) => Err("not a duration; write e.g. 500ms, 30s, 15m, 2h or 1d".to_string()),
    }
}

/// A burst `START+LENGTHxFACTOR`: from START into the run, for LENGTH, the request rate times
/// FACTOR (e.g. `10m+60sx4`). Returns (start s, length s, factor).
pub fn burst(text: &str) -> Result<(f64, f64, f64), String> {
    let usage = "write START+LENGTHxFACTOR, e.g. 10m+60sx4 (at 10 minutes, for 60 s, 4x the rate)";
    let (start, rest) = text.split_once('+').ok_or_else(|| usage.to_string())?;
    let (length, factor) = rest
        .rsplit_once(['x', '*'])
        .ok_or_else(|| usage.to_string())?;
    let start = duration(start).map_err(|e| format!("start: {e}"))?;
    let length = duration(length).map_err(|e| format!("length: {e}"))?;
    let factor: f64 = factor
        .trim()
        .parse()
        .map_err(|_| format!("factor '{factor}' is not a number; {usage}"))?;
    if length <= 0.0 {
        return Err("length must be above 0".into());
    }
    if !(factor.is_finite() && factor > 0.0 && factor <= 1000.0) {
        return Err("factor must be above 0 and at most 1000".into());
    }
    Ok((start, length, factor))
}

/// A tiktoken encoding name.
pub fn encoding(text: &str) -> Result<crate::tokens::encoding::Encoding, String> {
    text.parse()
}

/// An ISO 4217 currency code: three letters, upper-cased (`eur` → `EUR`).
pub fn currency(text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_uppercase();
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else {
        Err(format!(
            "expected a currency code such as USD, EUR or GBP, got '{text}'"
        ))
    }
}

/// An Azure region's ARM name: lower-case letters and digits (`eastus`, `swedencentral`).
pub fn region(text: &str) -> Result<String, String> {
    let name = text.trim().to_ascii_lowercase();
    if !name.is_empty() && name.len() <= 40 && name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(name)
    } else {
        Err(format!(
            "expected an Azure region's ARM name such as eastus or swedencentral, got '{text}'"
        ))
    }
}

/// A deployment type name or Azure SKU name.
pub fn deployment(text: &str) -> Result<DeploymentType, String> {
    text.parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_with_separators_and_suffixes() {
        assert_eq!(quantity("500"), Ok(500.0));
        assert_eq!(quantity("1,000"), Ok(1000.0));
        assert_eq!(quantity("1_000_000"), Ok(1e6));
        assert_eq!(quantity("15M"), Ok(15e6));
        assert_eq!(quantity("30k"), Ok(30e3));
        assert_eq!(quantity("8.5"), Ok(8.5));
        for bad in [
            "", "abc", "NaN", "nan", "inf", "-inf", "infinity", "5m", "1e999", "k",
        ] {
            assert!(quantity(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bounds() {
        assert!(rpm("0").is_err());
        assert!(rpm("-5").is_err());
        assert!(rpm("1e10").is_err());
        assert_eq!(tokens("0"), Ok(0.0));
        assert!(tokens("-1").is_err());
        assert!(tokens("1e9").is_err());
        assert!(ptu("0").is_err());
    }

    #[test]
    fn ptu_lists_refuse_what_reads_as_thousands() {
        assert_eq!(ptu_list("100,150,200"), Ok(vec![100.0, 150.0, 200.0]));
        assert_eq!(ptu_list("300"), Ok(vec![300.0]));
        assert_eq!(ptu_list("1500, 2000"), Ok(vec![1500.0, 2000.0]));
        assert_eq!(
            ptu_list("100,150"),
            Ok(vec![100.0, 150.0]),
            "100150 is over 100,000"
        );
        // Realistic candidate lists, although each also reads as one number with a thousands
        // separator (50,100 PTU is no deployment anyone means).
        assert_eq!(ptu_list("50,100"), Ok(vec![50.0, 100.0]));
        assert_eq!(ptu_list("300,600"), Ok(vec![300.0, 600.0]));
        assert_eq!(ptu_list("50,500"), Ok(vec![50.0, 500.0]));
        assert_eq!(ptu_list("15,100,200"), Ok(vec![15.0, 100.0, 200.0]));
        // An item below the smallest deployment (15 PTU): a thousands separator.
        for ambiguous in ["1,500", "10,000", "1,000", "2,500", "100,000"] {
            let err = ptu_list(ambiguous).expect_err(ambiguous);
            assert!(err.contains("write PTU counts without separators"), "{err}");
        }
        assert!(ptu_list("100,,200").is_err());
        assert!(ptu_list("100,-5").is_err());
    }

    #[test]
    fn periods_are_whole_minutes() {
        assert_eq!(period("1h"), Ok(60));
        assert_eq!(period("1d"), Ok(1440));
        assert_eq!(period("30d"), Ok(43_200));
        for bad in ["30s", "90s", "0m", "1000d", "1", "-1d"] {
            assert!(period(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_need_a_unit() {
        assert_eq!(duration("500ms"), Ok(0.5));
        assert_eq!(duration("30s"), Ok(30.0));
        assert_eq!(duration("15m"), Ok(900.0));
        assert_eq!(duration("1.5h"), Ok(5400.0));
        assert_eq!(duration("1d"), Ok(86_400.0));
        for bad in ["30", "", "s", "-5s", "5 parsecs", "1e3s", "100000000d"] {
            assert!(duration(bad).is_err(), "{bad}");
        }
        assert_eq!(burst("10m+60sx4"), Ok((600.0, 60.0, 4.0)));
        assert_eq!(burst("0s+1h*1.5"), Ok((0.0, 3600.0, 1.5)));
        for bad in ["10m", "10m+60s", "10m+0sx2", "10m+60sx0", "10m+60sxfast"] {
            assert!(burst(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn fractions_and_percentages() {
        assert_eq!(cache_rate("0.25"), Ok(0.25));
        assert_eq!(cache_rate("25%"), Ok(0.25));
        assert_eq!(cache_rate("0"), Ok(0.0));
        assert!(cache_rate("25").is_err());
        assert!(cache_rate("-0.1").is_err());
        assert!(cache_rate("nan").is_err());
        assert_eq!(target_utilization("85%"), Ok(0.85));
        assert!(target_utilization("0").is_err());
        assert!(target_utilization("120%").is_err());
    }
}
