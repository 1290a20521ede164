//! The fast path for the common timestamp form `YYYY-MM-DDTHH:MM:SS[.fff]Z`, with a cache
//! of the last second parsed; anything else goes to the general parser.

use crate::timestamp;

/// Seconds since the epoch for the common form `YYYY-MM-DDTHH:MM:SS[.fff]Z` (or with a space,
/// or without a zone: UTC); `None` for anything else, which the general parser then reads.
#[cfg(test)]
pub(super) fn fast_second(b: &[u8]) -> Option<i64> {
    if !fast_form(b) {
        return None;
    }
    civil_second(b)
}

/// Whether `b` has the form `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z]` (digits checked later).
fn fast_form(b: &[u8]) -> bool {
    if b.len() < 19
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let rest = &b[19..];
    let rest = match rest.first() {
        Some(b'.') => {
            let digits = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            &rest[1 + digits..]
        }
        _ => rest,
    };
    rest.is_empty() || rest == b"Z"
}

/// Remembers the last whole second parsed: rows of one second share their first 19 bytes, so
/// most timestamps cost a comparison.
#[derive(Default)]
pub(super) struct StampCache {
    prefix: [u8; 19],
    second: Option<i64>,
}

impl StampCache {
    pub(super) fn second(&mut self, b: &[u8]) -> Option<i64> {
        if !fast_form(b) {
            return None;
        }
        if self.second.is_some() && b[..19] == self.prefix {
            return self.second;
        }
        let second = civil_second(b)?;
        self.prefix.copy_from_slice(&b[..19]);
        self.second = Some(second);
        Some(second)
    }
}

/// Seconds since the epoch of a string of [`fast_form`].
fn civil_second(b: &[u8]) -> Option<i64> {
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        b[range].iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hour * 3600 + minute * 60 + second)
        .filter(|s| timestamp::SECONDS_ACCEPTED.contains(s))
}
