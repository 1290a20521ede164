//! Timestamps in the forms logs and exports use, reduced to whole minutes since the Unix epoch.

use chrono::{DateTime, NaiveDateTime};

/// The forms accepted, for error messages.
pub const ACCEPTED: &str = "RFC 3339 (2026-11-02T09:00:00Z or with an offset), \
    'YYYY-MM-DD HH:MM[:SS[.fff]]' (UTC), 'M/D/YYYY, h:mm:ss[.fff] AM' (UTC), or Unix seconds, \
    milliseconds, microseconds or nanoseconds, in the years 2000 to 2199";

/// The first and last second accepted: 2000-01-01 and the end of 2199. Anything else in a
/// traffic log is a unit or parsing mistake (a stray 0, microseconds read as seconds).
pub const SECONDS_ACCEPTED: std::ops::Range<i64> = 946_684_800..7_258_118_400;

/// Parses a timestamp and returns the minute it falls in (minutes since 1970-01-01T00:00Z).
///
/// Accepted: RFC 3339 with `Z` or an offset; `YYYY-MM-DD HH:MM[:SS[.fff]]` or the same with a
/// `T`, without offset, read as UTC; Unix seconds (an integer).
pub fn minute(text: &str) -> Option<i64> {
    second(text).map(|s| s.div_euclid(60))
}

/// Parses a timestamp and returns the whole second it falls in (seconds since the epoch).
/// Besides the forms of [`minute`], Unix time may have a fraction (`1793610000.25`) or be in
/// milliseconds, microseconds or nanoseconds (told apart by their number of digits). Times
/// outside the years 2000 to 2199 are refused.
pub fn second(text: &str) -> Option<i64> {
    parse_second(text.trim()).filter(|s| SECONDS_ACCEPTED.contains(s))
}

fn parse_second(text: &str) -> Option<i64> {
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
    // Seconds have 10 digits from 2001 to 2286; each finer unit adds three.
    let per_second = match whole.trim_start_matches('0').len() {
        0..=11 => 1,
        12..=14 => 1_000,
        15..=17 => 1_000_000,
        18..=19 => 1_000_000_000,
        _ => return None,
    };
    Some(value.div_euclid(per_second))
}

/// A second as RFC 3339 in UTC, e.g. `2026-11-02T09:00:00Z`.
pub fn format_second(second: i64) -> String {
    DateTime::from_timestamp(second, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| second.to_string())
}

fn naive(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 6] = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        // The Azure portal's CSV export of Log Analytics results.
        "%m/%d/%Y, %I:%M:%S%.f %p",
        "%m/%d/%Y %I:%M:%S%.f %p",
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
        assert_eq!(
            second("1793610059750123"),
            Some(1_793_610_059),
            "microseconds"
        );
        assert_eq!(
            second("1793610059750123456"),
            Some(1_793_610_059),
            "nanoseconds"
        );
        assert_eq!(second("11/2/2026, 9:00:59.000 AM"), Some(1_793_610_059));
        assert_eq!(
            second("11/2/2026 9:00:59 PM"),
            Some(1_793_610_059 + 12 * 3600)
        );
    }

    #[test]
    fn times_outside_2000_to_2199_are_refused() {
        for text in [
            "0",
            "1",
            "1999-12-31T23:59:59Z",
            "2200-01-01T00:00:00Z",
            "99999999999",
        ] {
            assert_eq!(second(text), None, "{text}");
        }
        assert_eq!(second("2000-01-01T00:00:00Z"), Some(946_684_800));
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
