//! The `cost` table: the month's load and prices, one row per option, the recommendation.

use std::fmt::Write as _;

use comfy_table::Cell;

use super::{finish, notes, right, table, wrap};
use crate::calc::cost::CostReport;
use crate::calc::load::LoadKind;
use crate::numfmt::{count, money, number, percent, percent_rounded, short};
use crate::render::cost_text::{self, rate as money_rate};

/// Renders `cost`.
pub fn cost(report: &CostReport) -> String {
    let mut out = String::new();
    heading(&mut out, report);
    out.push('\n');
    options(&mut out, report);
    for line in cost_text::left_out(report) {
        let _ = writeln!(out, "{}", wrap(&line, "", "  "));
    }
    let recommended = format!("recommended: {} - ", report.recommended.as_str());
    let _ = writeln!(
        out,
        "\n{}",
        wrap(&report.reason.to_string(), &recommended, "  ")
    );
    let mix = cost_text::mix(report);
    if !mix.is_empty() {
        out.push('\n');
        for line in mix {
            let _ = writeln!(out, "{}", wrap(&line, "", "  "));
        }
    }
    notes(&mut out, &report.notes);
    out
}

/// The title, the load, the month and the prices everything is priced at.
fn heading(out: &mut String, report: &CostReport) {
    let load = &report.load;
    let kind = match load.kind {
        LoadKind::Flat if load.span_minutes > 1.0 => "peak and average load".to_string(),
        LoadKind::Flat => "flat load".to_string(),
        LoadKind::Profile if load.span_minutes == 1.0 => "profile of 1 minute".to_string(),
        LoadKind::Profile => format!("profile of {} minutes", count(load.span_minutes)),
    };
    let title = format!(
        "{} on {} deployments, {kind}, {} hours/month",
        report.model,
        report.deployment,
        count(load.hours)
    );
    let _ = writeln!(out, "{}", wrap(&title, "", "  "));
    let line = format!(
        "peak {} normalized TPM = {} PTU; average {} RPM = {} normalized TPM",
        short(load.peak_normalized_tpm),
        count(report.ptu_for_peak as f64),
        short(load.avg_rpm),
        short(load.avg_normalized_tpm)
    );
    let _ = writeln!(out, "{}", wrap(&line, "Load      ", "          "));
    let line = format!(
        "{} requests; {} prompt ({} cached) + {} completion tokens",
        short(load.requests),
        short(load.prompt_tokens),
        short(load.cached_tokens),
        short(load.completion_tokens)
    );
    let _ = writeln!(out, "{}", wrap(&line, "Month     ", "          "));
    let p = &report.prices;
    let cur = p.currency.as_str();
    let cached = p
        .cached
        .map_or("-".to_string(), |c| money(cur, &money_rate(c)));
    let line = format!(
        "PAYG {} in, {cached} cached, {} out per 1M tokens ({})",
        money(cur, &money_rate(p.input)),
        money(cur, &money_rate(p.output)),
        p.token_price_source
    );
    let _ = writeln!(out, "{}", wrap(&line, "Prices    ", "          "));
    let line = format!(
        "PTU {}/hour, {}/month, {}/year ({}){}",
        money(cur, &money_rate(p.ptu_hourly)),
        money(cur, &number(p.ptu_monthly, 2, true)),
        money(cur, &number(p.ptu_yearly, 2, true)),
        p.ptu_price_source,
        if p.unverified { ", UNVERIFIED" } else { "" }
    );
    let _ = writeln!(out, "{}", wrap(&line, "          ", "          "));
    for line in cost_text::tier_prices(report) {
        let _ = writeln!(out, "{}", wrap(&line, "          ", "          "));
    }
    if let Some(line) = cost_text::batch_share(report) {
        let _ = writeln!(out, "{}", wrap(&line, "Batch     ", "          "));
    }
}

/// The options side by side, with their legend.
fn options(out: &mut String, report: &CostReport) {
    let cur = report.prices.currency.as_str();
    let throttles = report.options.iter().any(|o| o.throttled_share > 0.0);
    let (per_month, per_million) = (format!("{cur}/month"), format!("{cur}/1M"));
    let mut header = vec![
        "option",
        "PTU",
        "term",
        &per_month,
        &per_million,
        "util",
        "break-even",
        "spill",
    ];
    if throttles {
        header.push("429s");
    }
    let mut t = table(&header);
    for o in &report.options {
        let mut row = vec![
            Cell::new(o.option.as_str()),
            right(if o.ptu == 0 {
                "-".to_string()
            } else {
                count(o.ptu as f64)
            }),
            Cell::new(o.term.map_or("-", |t| t.as_str())),
            right(number(o.monthly_usd, 2, false)),
            right(
                o.usd_per_1m_tokens
                    .map_or("-".to_string(), |u| number(u, 2, false)),
            ),
            right(o.utilization.map_or("-".to_string(), percent)),
            right(o.break_even_utilization.map_or("-".to_string(), percent)),
            right(percent_rounded(o.spill_share)),
        ];
        if throttles {
            row.push(right(percent_rounded(o.throttled_share)));
        }
        t.add_row(row);
    }
    let _ = writeln!(out, "{}", finish(t, 0));
    let mut legend = format!(
        "{per_million} = per million tokens served; util = average PTU utilization; \
         break-even = average utilization at which the PTUs cost as much as pay-as-you-go; \
         spill = share of the load served pay-as-you-go"
    );
    if throttles {
        legend.push_str("; 429s = share above the PTUs, throttled");
    }
    let _ = writeln!(out, "{}", wrap(&legend, "", "  "));
}
