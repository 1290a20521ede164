//! Timestamps in the forms logs and exports use, reduced to whole minutes since the Unix epoch.

use chrono::{DateTime, NaiveDateTime};

/// The forms accepted, for error messages.
pub const ACCEPTED: &str = "RFC 3339 (2026-11-02T09:00:00Z or with an offset), \
    'YYYY-MM-DD HH:MM[:SS[.fff]]' (UTC), or Unix seconds";

/// Parses a timestamp and returns the minute it falls in (minutes since 1970-01-01T00:00Z).
///
/// Accepted: RFC 3339 with `Z` or an offset; `YYYY-MM-DD HH:MM[:SS[.fff]]` or the same with a
/// `T`, without offset, read as UTC; Unix seconds (an integer).
pub fn minute(text: &str) -> Option<i64> {
    let text = text.trim();
    let seconds = if let Ok(parsed) = DateTime::parse_from_rfc3339(text) {
        parsed.timestamp()
    } else if let Some(naive) = naive(text) {
        naive.and_utc().timestamp()
    } else if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse::<i64>().ok()?
    } else {
        return None;
    };
    Some(seconds.div_euclid(60))
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
