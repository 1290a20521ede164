//! Timestamps in the forms logs and exports use, reduced to whole minutes since the Unix epoch.

use chrono::{DateTime, NaiveDateTime};

/// The forms accepted, for error messages.
pub const ACCEPTED: &str = "RFC 3339 (2026-11-02T09:00:00Z or with an offset), \
    'YYYY-MM-DD HH:MM[:SS[.fff]]' (UTC), or Unix seconds or milliseconds";

/// Parses a timestamp and returns the minute it falls in (minutes since 1970-01-01T00:00Z).
///
/// Accepted: RFC 3339 with `Z` or an offset; `YYYY-MM-DD HH:MM[:SS[.fff]]` or the same with a
/// `T`, without offset, read as UTC; Unix seconds (an integer).
pub fn minute(text: &str) -> Option<i64> {
    second(text).map(|s| s.div_euclid(60))
}

/// Parses a timestamp and returns the whole second it falls in (seconds since the epoch).
/// Besides the forms of [`minute`], Unix time may have a fraction (`1793610000.25`) or be in
/// milliseconds (13 digits or more: `1793610000250`).
pub fn second(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(parsed) = DateTime::parse_from_rfc3339(text) {
        return Some(parsed.timestamp());
    }
    if let Some(naive) = naive(text) {
        return Some(naive.and_utc().timestamp());
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    let value: i64 = whole.parse().ok()?;
    // 13 or more digits is milliseconds (seconds would be after the year 5000).
    Some(if whole.len() >= 13 {
        value.div_euclid(1000)
    } else {
        value
    })
}

/// A second as RFC 3339 in UTC, e.g. `2026-11-02T09:00:00Z`.
pub fn format_second(second: i64) -> String {
    DateTime::from_timestamp(second, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| second.to_string())
}

fn naive(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 4] = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_forms_give_the_same_minute() {
        // 2026-11-02T09:00:00Z = 1,793,610,000 s = 29,893,500 min.
        let expected = Some(29_893_500);
        assert_eq!(minute("2026-11-02T09:00:00Z"), expected);
        assert_eq!(minute("2026-11-02T09:00:59.999Z"), expected);
        assert_eq!(minute("2026-11-02T10:00:30+01:00"), expected);
        assert_eq!(minute("2026-11-02 09:00:00"), expected);
        assert_eq!(minute("2026-11-02 09:00"), expected);
        assert_eq!(minute("2026-11-02T09:00"), expected);
        assert_eq!(minute("1793610000"), expected);
        assert_eq!(minute("1793610059"), expected);
        assert_eq!(second("1793610059.75"), Some(1_793_610_059));
        assert_eq!(second("1793610059750"), Some(1_793_610_059));
        assert_eq!(format_second(1_793_610_000), "2026-11-02T09:00:00Z");
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for bad in [
            "",
            "yesterday",
            "2026-13-02 09:00",
            "2026-11-02",
            "12:00",
            "-5",
        ] {
            assert_eq!(minute(bad), None, "{bad}");
        }
    }
}
