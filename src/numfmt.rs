//! Human-readable numbers: thousands separators and a fixed number of decimals.
//! Used by rendered tables and by the sentences in notes.

/// Like [`number`] with at most `decimals` decimals, trailing zeros dropped: `1.1500` →
/// `1.15`, `2.50` → `2.5`, `7.0` → `7`.
pub fn trimmed(value: f64, decimals: usize) -> String {
    let text = number(value, decimals, true);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Formats with `decimals` decimals and thousands separators: `1234567.891, 2` → `1,234,567.89`.
/// Whole numbers print without decimals when `trim_whole` is set: `400000` → `400,000`.
pub fn number(value: f64, decimals: usize, trim_whole: bool) -> String {
    let text = if trim_whole && value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.decimals$}")
    };
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// A formatted amount in `currency`: `$1,234.50` for USD, `1,234.50 EUR` for any other.
pub fn money(currency: &str, amount: &str) -> String {
    if currency == "USD" {
        format!("${amount}")
    } else {
        format!("{amount} {currency}")
    }
}

/// A count and its noun, singular for exactly one: `1 row`, `3 rows`.
pub fn plural(value: f64, one: &str, many: &str) -> String {
    format!("{} {}", count(value), if value == 1.0 { one } else { many })
}

/// A count with thousands separators, decimals only when it has a fraction: `83333.5` →
/// `83,333.50`; below 1, three significant digits so small rates do not print as 0 (`0.0167`).
pub fn count(value: f64) -> String {
    if value != 0.0 && value.abs() < 1.0 && value.fract() != 0.0 {
        let decimals = (2.0 - value.abs().log10().floor()) as usize;
        let text = format!("{value:.decimals$}");
        return text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    number(value, 2, true)
}

/// A large count in short form with three significant digits: `6,570,000,000` → `6.57B`,
/// `450,000` → `450K`; below 10,000 as [`count`].
pub fn short(value: f64) -> String {
    let (scaled, suffix) = match value.abs() {
        v if v >= 1e12 => (value / 1e12, "T"),
        v if v >= 1e9 => (value / 1e9, "B"),
        v if v >= 1e6 => (value / 1e6, "M"),
        v if v >= 1e4 => (value / 1e3, "K"),
        _ => return count(value),
    };
    let decimals = match scaled.abs() {
        v if v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    let text = format!("{scaled:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}{suffix}")
}

/// A fraction as a percentage rounded to one decimal (for savings and shares, where rounding
/// down would understate): `0.1148` → `11.5%`.
pub fn percent_rounded(fraction: f64) -> String {
    let tenths = (fraction * 1000.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}%")
    } else {
        format!("{tenths:.1}%")
    }
}

/// A target share as given, as a percentage with the decimals it needs: `0.01` → `1%`,
/// `0.005` → `0.5%`, `0.0001` → `0.01%`.
pub fn target_percent(fraction: f64) -> String {
    format!("{}%", trimmed(fraction * 100.0, 4))
}

/// A fraction as a percentage, rounded down to one decimal so it never overstates:
/// `0.9559` → `95.5%`, `0.9999` → `99.9%`; whole percentages without decimals (`85%`).
pub fn percent(fraction: f64) -> String {
    let tenths = (fraction * 1000.0 + 1e-6).floor() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}%")
    } else {
        format!("{tenths:.1}%")
    }
}

/// A fraction as a percentage, rounded up to one decimal so it never understates (for 429s
/// and other bad news: `0.0004` → `0.1%`, only none is `0%`): `0.1446` → `14.5%`. With
/// [`percent`] for the complement, the two add up to 100%.
pub fn percent_up(fraction: f64) -> String {
    let tenths = (fraction * 1000.0 - 1e-6).ceil() / 10.0;
    if tenths <= 0.0 {
        // Also keeps −0 (the ceiling of a tiny negative) from printing as "-0%".
        return "0%".to_string();
    }
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}%")
    } else {
        format!("{tenths:.1}%")
    }
}

/// Dollars in about three significant digits, without the sign: `447`, `1.57K`, `70.0K`, `10.3M`.
pub fn usd_short(usd: f64) -> String {
    let (value, suffix) = match usd {
        u if u >= 1e6 => (u / 1e6, "M"),
        u if u >= 1e3 => (u / 1e3, "K"),
        u => return number(u.round(), 0, true),
    };
    let decimals = match value {
        v if v < 10.0 => 2,
        v if v < 100.0 => 1,
        _ => 0,
    };
    format!("{}{suffix}", number(value, decimals, true))
}

/// `90 s`, `15 min`, `2 h`, `1 d`: the largest whole unit.
pub fn duration(seconds: f64) -> String {
    let units = [(86_400.0, "d"), (3600.0, "h"), (60.0, "min"), (1.0, "s")];
    for (size, unit) in units {
        if seconds >= size && (seconds / size).fract() == 0.0 {
            return format!("{} {unit}", count(seconds / size));
        }
    }
    if seconds >= 1.0 {
        format!("{} s", number(seconds, 1, true))
    } else {
        format!("{} ms", number(seconds * 1000.0, 0, true))
    }
}

/// `2 days`, `3 hours`, `90 minutes`: a span in its largest whole unit.
pub fn minutes(minutes: u64) -> String {
    match minutes {
        m if m % 1440 == 0 => plural((m / 1440) as f64, "day", "days"),
        m if m % 60 == 0 => plural((m / 60) as f64, "hour", "hours"),
        m => plural(m as f64, "minute", "minutes"),
    }
}

/// An amount of money with two decimals: `$1,234.50`, `1,234.50 EUR`.
pub fn amount(currency: &str, value: f64) -> String {
    money(currency, &number(value, 2, false))
}

/// A value as an error quotes it: plain, or in scientific notation when it is huge or tiny
/// (1e308 is not 309 digits).
pub fn quoted(value: f64) -> String {
    if value != 0.0 && !(1e-6..1e15).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_keeps_decimals() {
        assert_eq!(number(1_234_567.891, 2, false), "1,234,567.89");
        assert_eq!(number(400_000.0, 2, true), "400,000");
        assert_eq!(number(-1_000.5, 1, true), "-1,000.5");
        assert_eq!(count(999.0), "999");
        assert_eq!(count(83_333.333), "83,333.33");
        assert_eq!(count(1_047_576.0), "1,047,576");
    }

    #[test]
    fn small_counts_keep_three_significant_digits() {
        assert_eq!(count(0.001 / 60.0 * 1000.0), "0.0167");
        assert_eq!(count(0.5), "0.5");
        assert_eq!(count(0.125), "0.125");
    }

    #[test]
    fn short_forms() {
        assert_eq!(short(6_570_000_000.0), "6.57B");
        assert_eq!(short(450_000.0), "450K");
        assert_eq!(short(1_800_000.0), "1.8M");
        assert_eq!(short(43_800.0), "43.8K");
        assert_eq!(short(9_999.0), "9,999");
        assert_eq!(short(3_285_000_000.0), "3.29B");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0.955_882), "95.5%");
        assert_eq!(percent(0.9999), "99.9%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.85), "85%");
        // Bad news rounds up: a few 429s never show as none.
        assert_eq!(percent_up(0.1446), "14.5%");
        assert_eq!(percent_up(0.0004), "0.1%");
        assert_eq!(percent_up(0.0), "0%");
        assert_eq!(percent_up(0.85), "85%");
        // Served (down) and gave up (up) add up to 100%.
        assert_eq!(
            (percent(0.8554), percent_up(0.1446)),
            ("85.5%".into(), "14.5%".into())
        );
    }

    #[test]
    fn durations_use_the_largest_whole_unit() {
        assert_eq!(duration(90.0), "90 s");
        assert_eq!(duration(900.0), "15 min");
        assert_eq!(duration(86_400.0), "1 d");
        assert_eq!(duration(1.5), "1.5 s");
        assert_eq!(duration(0.25), "250 ms");
    }

    #[test]
    fn errors_quote_extreme_values_in_scientific_form() {
        assert_eq!(quoted(1e308), "1e308");
        assert_eq!(quoted(1e-9), "1e-9");
        assert_eq!(quoted(-2.0), "-2");
        assert_eq!(quoted(0.0), "0");
        assert_eq!(quoted(1_500.5), "1500.5");
    }
}
