//! The `analyze` table: totals, true peaks, per-minute distributions, and per-model sizing.

use std::fmt::Write as _;

use comfy_table::Cell;

use super::{finish, name_cell, notes, right, table, wrap};
use crate::numfmt::{count, money, number, percent, percent_rounded, plural, short, usd_short};

use crate::render::clean;
use crate::traffic::analysis::{AnalyzeReport, Percentiles, TrafficSummary};

/// Renders `analyze`.
pub fn analyze(report: &AnalyzeReport, currency: &str) -> String {
    let mut out = String::new();
    summary_lines(&mut out, report);
    distribution(&mut out, report);
    models(&mut out, report, currency);
    groups(&mut out, report);
    over_capacity(&mut out, report);
    if let Some(path) = &report.profile_out {
        let _ = writeln!(out, "\nprofile written to {path}");
    }
    notes(&mut out, &report.notes);
    out
}

/// Span, totals, averages, peaks, reasoning tokens and the service tiers that served.
fn summary_lines(out: &mut String, report: &AnalyzeReport) {
    let s = &report.summary;
    let lines = [
        (
            "Span",
            format!(
                "{} to {} ({})",
                s.first,
                s.last,
                plural(s.span_minutes as f64, "minute", "minutes")
            ),
        ),
        (
            "Totals",
            format!(
                "{}; {} prompt ({} cached) + {} completion tokens",
                if s.requests == 1.0 {
                    "1 request".to_string()
                } else {
                    format!("{} requests", short(s.requests))
                },
                short(s.prompt_tokens),
                short(s.cached_tokens),
                short(s.completion_tokens)
            ),
        ),
        (
            "Average",
            format!(
                "{} RPM, {} TPM",
                number(s.avg_rpm, 2, true),
                short(s.avg_tpm)
            ),
        ),
        ("Peaks", peaks_line(s)),
    ];
    let reasoning = reasoning_line(s).map(|text| ("Reasoning", text));
    let tiers = served_by_line(report).map(|text| ("Served by", text));
    for (label, text) in lines.into_iter().chain(reasoning).chain(tiers) {
        let _ = writeln!(
            out,
            "{}",
            wrap(&text, &format!("{label:<10}"), "          ")
        );
    }
}

/// The peaks: TPM and RPM with when they happened, the busiest 10 s and 1 s, peak/average.
fn peaks_line(s: &TrafficSummary) -> String {
    format!(
        "{} TPM from {}; {} RPM from {} ({}); {}peak/average {}",
        short(s.peak_tpm),
        s.peak_tpm_at,
        count(s.peak_rpm),
        s.peak_rpm_at,
        if s.peak_requests_1s.is_some() {
            "busiest 60 s"
        } else {
            "busiest calendar minute"
        },
        match (s.peak_requests_10s, s.peak_requests_1s) {
            (Some(ten), Some(one)) =>
                format!("{} requests in 10 s, {} in 1 s; ", count(ten), count(one)),
            _ => String::new(),
        },
        number(s.peak_to_average, 2, true)
    )
}

/// Reasoning tokens and their share of completion tokens, when the log counts them.
fn reasoning_line(s: &TrafficSummary) -> Option<String> {
    match (s.reasoning_tokens, s.reasoning_share) {
        (Some(tokens), Some(share)) => Some(format!(
            "{} tokens, {} of completion tokens",
            short(tokens),
            percent(share)
        )),
        _ => None,
    }
}

/// The service tiers that served, with their shares, when the log names them.
fn served_by_line(report: &AnalyzeReport) -> Option<String> {
    (!report.service_tiers.is_empty()).then(|| {
        let parts: Vec<String> = report
            .service_tiers
            .iter()
            .map(|s| {
                format!(
                    "{} {} of requests ({} of tokens)",
                    clean(&s.tier, 60),
                    percent(s.request_share),
                    percent(s.token_share)
                )
            })
            .collect();
        parts.join(", ")
    })
}

/// Per-minute percentiles of requests, tokens and each model's normalized tokens.
fn distribution(out: &mut String, report: &AnalyzeReport) {
    let s = &report.summary;
    let mut t = table(&["per minute", "p50", "p90", "p95", "p99", "max", "mean"]);
    let row = |name: &str, p: &Percentiles| {
        vec![
            name_cell(name),
            right(short(p.p50)),
            right(short(p.p90)),
            right(short(p.p95)),
            right(short(p.p99)),
            right(short(p.max)),
            right(short(p.mean)),
        ]
    };
    t.add_row(row("requests", &s.rpm));
    t.add_row(row("tokens", &s.tpm));
    for m in &report.models {
        t.add_row(row(&format!("{} normalized", m.model), &m.normalized_tpm));
    }
    let _ = writeln!(out, "\n{}", finish(t, 0));
}

/// Each sized model: PTUs for the peak and the 99th percentile minute, the standard quota,
/// and the cheapest hybrid.
fn models(out: &mut String, report: &AnalyzeReport, currency: &str) {
    if report.models.is_empty() {
        return;
    }
    let mut t = table(&[
        "model",
        "type",
        "PTU peak",
        "PTU p99",
        "std quota",
        "binds",
        "hybrid",
    ]);
    for m in &report.models {
        let hybrid = match (m.hybrid_ptu, m.hybrid_monthly_usd, m.hybrid_spill_share) {
            (Some(0), Some(usd), _) => format!("payg {}", money(currency, &usd_short(usd))),
            (Some(ptu), Some(usd), Some(spill)) => format!(
                "{}+{} {}",
                count(ptu as f64),
                percent_rounded(spill),
                money(currency, &usd_short(usd))
            ),
            _ => "-".to_string(),
        };
        t.add_row(vec![
            name_cell(&m.model),
            Cell::new(m.deployment.as_str()),
            right(count(m.ptu_for_peak as f64)),
            right(count(m.ptu_for_p99 as f64)),
            right(
                m.standard_tpm_quota
                    .map_or("n/a".to_string(), |q| short(q as f64)),
            ),
            Cell::new(m.binding.map_or("-", |b| b.as_str())),
            right(hybrid),
        ]);
    }
    let _ = writeln!(out, "\n{}", finish(t, 0));
    let legend = format!(
        "PTU peak = for the busiest 60 s; PTU p99 = for the 99th percentile minute; \
             std quota = standard TPM quota that admits the busiest {} request window and \
             calendar minute of prompt + max_tokens (see notes); hybrid = cheapest PTU base \
             (1-year) + share spilled, {currency}/month",
        report.rpm_window.as_str()
    );
    let _ = writeln!(out, "{}", wrap(&legend, "", "  "));
}

/// The traffic of each deployment (or model) named in the log, and its sizing.
fn groups(out: &mut String, report: &AnalyzeReport) {
    if report.groups.is_empty() {
        return;
    }
    let column = report.group_column.as_deref().unwrap_or("group");
    let mut t = table(&[
        column,
        "requests",
        "peak TPM",
        "PTU peak",
        "PTU p99",
        "std quota",
    ]);
    for g in &report.groups {
        let name = match (&g.sizing, &g.log_model) {
            (Some(s), _) if s.model != g.name => format!("{} ({})", g.name, s.model),
            (None, Some(model)) if *model != g.name => format!("{} ({model}?)", g.name),
            _ => g.name.clone(),
        };
        let sizing = |value: Option<String>| right(value.unwrap_or_else(|| "-".into()));
        t.add_row(vec![
            name_cell(&name),
            right(short(g.traffic.requests)),
            right(short(g.traffic.peak_tpm)),
            sizing(g.sizing.as_ref().map(|s| count(s.ptu_for_peak as f64))),
            sizing(g.sizing.as_ref().map(|s| count(s.ptu_for_p99 as f64))),
            sizing(
                g.sizing
                    .as_ref()
                    .and_then(|s| s.standard_tpm_quota)
                    .map(|q| short(q as f64)),
            ),
        ]);
    }
    let _ = writeln!(out, "\nPer {column} in the log:\n{}", finish(t, 0));
}

/// The minutes above a `--ptu` or `--tpm-quota` capacity.
fn over_capacity(out: &mut String, report: &AnalyzeReport) {
    for o in &report.over_capacity {
        let line = format!(
            "{}: {} {} over ({}), {} requests and {} tokens above it (spilled, or throttled \
             without spillover)",
            o.capacity,
            count(o.minutes_over as f64),
            if o.minutes_over == 1 {
                "minute"
            } else {
                "minutes"
            },
            percent(o.minutes_over_share),
            short(o.requests_over),
            short(o.tokens_over)
        );
        let _ = writeln!(out, "\n{}", wrap(&line, "Check     ", "          "));
    }
}
