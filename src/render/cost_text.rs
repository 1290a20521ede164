//! The sentences `cost` shows besides its option table, shared by the table and the Markdown
//! renderers: the tier prices, the options not considered or not priced, the batch share and
//! the cheapest mix.

use std::collections::BTreeMap;

use crate::calc::cost::{CostReport, MixBreakEven, MixChoice, Term};
use crate::calc::service_tier::TierPrice;
use crate::numfmt::{amount, money, number, percent, percent_rounded};

/// `Priority $3.50 in, $0.875 cached, $14.00 out per 1M tokens (S30), UNVERIFIED`, one per
/// priced tier.
pub fn tier_prices(report: &CostReport) -> Vec<String> {
    let p = &report.prices;
    [
        ("Priority", &p.priority),
        ("Flex", &p.flex),
        ("Batch", &p.batch),
    ]
    .into_iter()
    .filter_map(|(name, price)| {
        price
            .as_ref()
            .map(|price| tier_price(name, price, &p.currency))
    })
    .collect()
}

fn tier_price(name: &str, price: &TierPrice, currency: &str) -> String {
    let rate = |usd: f64| money(currency, &rate(usd));
    format!(
        "{name} {} in, {} cached, {} out per 1M tokens ({}){}",
        rate(price.input),
        price.cached.map_or("-".to_string(), rate),
        rate(price.output),
        price.source,
        if price.unverified { ", UNVERIFIED" } else { "" }
    )
}

/// A per-unit price: cents, or more digits for fractions of a cent ($0.0275).
pub fn rate(usd: f64) -> String {
    let text = number(usd, 4, false);
    let trimmed = text.trim_end_matches('0');
    match trimmed.split_once('.') {
        Some((_, decimals)) if decimals.len() < 2 => {
            format!("{trimmed}{}", "0".repeat(2 - decimals.len()))
        }
        _ => trimmed.to_string(),
    }
}

/// `not recommended: batch, flex (reason)` per reason, and `not priced: flex (reason)` per
/// tier.
pub fn left_out(report: &CostReport) -> Vec<String> {
    let mut by_reason: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for o in &report.options {
        if let Some(reason) = &o.excluded {
            by_reason
                .entry(reason.to_string())
                .or_default()
                .push(o.option.as_str());
        }
    }
    let mut lines: Vec<String> = by_reason
        .into_iter()
        .map(|(reason, names)| format!("not recommended: {} ({reason})", names.join(", ")))
        .collect();
    lines.extend(
        report
            .unpriced
            .iter()
            .map(|u| format!("not priced: {} ({})", u.option.as_str(), u.reason)),
    );
    lines
}

/// The batch share line, when one is given.
pub fn batch_share(report: &CostReport) -> Option<String> {
    (report.batch_share > 0.0).then(|| {
        let usd = report.options.first().map_or(0.0, |o| o.batch_usd);
        format!(
            "{} of the load goes to batch in every option but batch: {} of each option's \
             monthly cost",
            percent(report.batch_share),
            amount(&report.prices.currency, usd)
        )
    })
}

/// The cheapest mix: its line, how its cost splits, the runner-up and the break-evens.
pub fn mix(report: &CostReport) -> Vec<String> {
    let Some(mix) = &report.mix else {
        return Vec::new();
    };
    let cur = report.prices.currency.as_str();
    let usd = |value: f64| amount(cur, value);
    let mut lines = vec![
        format!(
            "cheapest mix for {} latency: {} for {}/month",
            mix.latency.as_str(),
            mix.chosen.label,
            usd(mix.chosen.monthly_usd)
        ),
        split(&mix.chosen, cur),
    ];
    if let Some(runner_up) = &mix.runner_up {
        lines.push(format!(
            "runner-up: {} for {}/month ({} more)",
            runner_up.label,
            usd(runner_up.monthly_usd),
            usd(runner_up.monthly_usd - mix.chosen.monthly_usd)
        ));
    }
    let term = mix.chosen.term.unwrap_or(Term::OneYear);
    let evens: Vec<&MixBreakEven> = mix.break_even.iter().filter(|b| b.term == term).collect();
    if !evens.is_empty() {
        let parts: Vec<String> = evens
            .iter()
            .map(|b| {
                let at = if b.utilization > 1.0 {
                    "never".to_string()
                } else {
                    format!("above {} average utilization", percent(b.utilization))
                };
                format!("against {}: {at}", b.versus.as_str())
            })
            .collect();
        lines.push(format!(
            "break-even: one more {} PTU costs less {}",
            term.as_str(),
            parts.join("; ")
        ));
    }
    lines
}

/// `made of PTU $3,315.00 (92% utilization) + priority $46,108.68 (86% of the load)`.
fn split(choice: &MixChoice, currency: &str) -> String {
    let usd = |value: f64| amount(currency, value);
    let mut parts = Vec::new();
    if choice.ptu > 0 {
        parts.push(format!(
            "PTU {} ({} utilization)",
            usd(choice.ptu_usd),
            choice.utilization.map_or("-".to_string(), percent)
        ));
    }
    if let Some(tier) = choice.overflow {
        let downgraded = if choice.downgraded_share > 0.0 {
            format!(
                ", {} of it served as standard",
                percent_rounded(choice.downgraded_share)
            )
        } else {
            String::new()
        };
        parts.push(format!(
            "{} {} ({} of the load{downgraded})",
            tier.as_str(),
            usd(choice.overflow_usd),
            percent_rounded(choice.overflow_share)
        ));
    }
    if choice.batch_share > 0.0 {
        parts.push(format!(
            "batch {} ({} of the load)",
            usd(choice.batch_usd),
            percent(choice.batch_share)
        ));
    }
    format!("made of {}", parts.join(" + "))
}
