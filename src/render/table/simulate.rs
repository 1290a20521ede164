//! The `simulate` table: the traffic and assumptions, then the candidates side by side.

use std::fmt::Write as _;

use comfy_table::Cell;

use super::{finish, notes, right, table, wrap};
use crate::numfmt::{count, money, number, percent, percent_up, plural, short, usd_short};
use crate::sim::compare::{CandidateResult, SimulateReport};

/// Renders `simulate`.
pub fn simulate(report: &SimulateReport, currency: &str) -> String {
    let mut out = String::new();
    let t = &report.traffic;
    let lines = [
        (
            "Traffic",
            format!(
                "{}: {}, {} prompt ({} cached) + {} completion tokens (mean {} + {}); \
                 busiest 60 s: {} TPM, {} normalized, {} RPM",
                t.source,
                plural(t.requests, "request", "requests"),
                short(t.prompt_tokens),
                short(t.cached_tokens),
                short(t.completion_tokens),
                count((t.prompt_tokens / t.requests.max(1.0)).round()),
                count((t.completion_tokens / t.requests.max(1.0)).round()),
                short(t.peaks.peak_tpm),
                short(t.peaks.peak_normalized_tpm),
                count(t.peaks.peak_rpm)
            ),
        ),
        ("Clients", report.client.to_string()),
        ("Service", report.service.to_string()),
        ("Limiters", report.limiters.to_string()),
    ];
    let _ = writeln!(
        out,
        "{} on {}, seed {}",
        report.model, report.deployment, report.seed
    );
    for (label, text) in lines {
        let _ = writeln!(
            out,
            "{}",
            wrap(&text, &format!("{label:<10}"), "          ")
        );
    }
    // At most four candidates a table, so that a table fits 80 columns.
    for candidates in report.candidates.chunks(4) {
        let _ = writeln!(out, "\n{}", candidates_table(candidates, currency));
    }
    let legend = "naive estimate = busiest 60 s of offered load ÷ capacity (above 1: too small); \
                  utilization = load admitted in a calendar minute ÷ a minute's capacity (above \
                  100% while a full bucket drains); latency = of served requests, from first \
                  attempt to last token, 429 waits and backoff included (percentiles are \
                  histogram bucket midpoints, within 0.4%); spillover cost = \
                  pay-as-you-go for the simulated span; cost per month = PTUs on a 1-year \
                  reservation plus spillover, or the served tokens pay-as-you-go, with the \
                  simulated span repeated for 730 hours; served by the tier = by flex \
                  capacity or priority processing (the rest as standard); flex refused = \
                  attempts without flex capacity, resent as standard; downgraded = sent as \
                  priority, served and billed as standard (ramp limit, long prompts)";
    let _ = writeln!(out, "{}", wrap(legend, "", "  "));
    notes(&mut out, &report.notes);
    out
}

/// The candidates side by side: one column each.
fn candidates_table(candidates: &[CandidateResult], currency: &str) -> String {
    let mut header = vec![String::new()];
    header.extend(candidates.iter().map(|c| c.label.clone()));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut rows = Rows {
        table: table(&header_refs),
        candidates,
    };
    let seconds = |v: Option<f64>| {
        v.map_or("-".to_string(), |v| {
            format!("{} s", number(v / 1000.0, 2, false))
        })
    };
    let share = |v: Option<f64>| v.map_or("-".to_string(), percent);
    rows.add("naive estimate", &|c| {
        number(c.naive_peak_to_capacity, 2, false)
    });
    rows.add("served", &|c| {
        format!(
            "{} ({})",
            short(c.served as f64),
            percent(c.served as f64 / c.requests.max(1) as f64)
        )
    });
    rows.add("429 on 1st attempt", &|c| {
        percent_up(c.first_attempt_429_rate)
    });
    rows.add("gave up (final 429)", &|c| {
        format!(
            "{} ({})",
            short(c.throttled_final as f64),
            percent_up(c.final_429_rate)
        )
    });
    rows.add("attempts per request", &|c| {
        number(c.attempts_per_request, 3, false)
    });
    spillover_rows(&mut rows, currency);
    tier_rows(&mut rows);
    rows.add("cost per month", &|c| {
        c.monthly_usd
            .map_or("-".into(), |usd| money(currency, &usd_short(usd)))
    });
    rows.add("latency p50", &|c| seconds(c.latency_p50_ms));
    rows.add("latency p99", &|c| seconds(c.latency_p99_ms));
    rows.add("utilization p50", &|c| share(c.utilization_p50));
    rows.add("utilization p99", &|c| share(c.utilization_p99));
    rows.add("minutes above 85%", &|c| {
        c.minutes_above_85_share.map_or("-".to_string(), percent_up)
    });
    finish(rows.table, 0)
}

/// The candidates table as it fills: a row is a label and a cell per candidate.
struct Rows<'a> {
    table: comfy_table::Table,
    candidates: &'a [CandidateResult],
}

impl Rows<'_> {
    /// Adds the row `label`, with `cell` of each candidate.
    fn add(&mut self, label: &str, cell: &dyn Fn(&CandidateResult) -> String) {
        let mut row = vec![Cell::new(label)];
        row.extend(self.candidates.iter().map(|c| right(cell(c))));
        self.table.add_row(row);
    }
}

/// The spillover's share and cost, when a candidate spills.
fn spillover_rows(rows: &mut Rows, currency: &str) {
    if !rows
        .candidates
        .iter()
        .any(|c| c.spillover_tpm_quota.is_some())
    {
        return;
    }
    rows.add("spillover share", &|c| match c.spillover_tpm_quota {
        Some(_) => percent(c.spillover_share),
        None => "-".into(),
    });
    rows.add(
        "spillover cost",
        &|c| match (c.spillover_tpm_quota, c.spillover_usd) {
            (Some(_), Some(usd)) => money(currency, &number(usd, 2, false)),
            _ => "-".into(),
        },
    );
}

/// What flex and priority candidates served on their tier, and what flex refused or
/// priority downgraded.
fn tier_rows(rows: &mut Rows) {
    if !rows
        .candidates
        .iter()
        .any(|c| matches!(c.kind, "flex" | "priority"))
    {
        return;
    }
    let of_served = |n: u64, c: &CandidateResult| {
        format!(
            "{} ({})",
            short(n as f64),
            percent(n as f64 / c.served.max(1) as f64)
        )
    };
    rows.add("served by the tier", &|c| match c.kind {
        "flex" => of_served(c.served_by_flex, c),
        "priority" => of_served(c.served_by_priority, c),
        _ => "-".into(),
    });
    rows.add("flex refused / downgraded", &|c| match c.kind {
        "flex" => short(c.flex_refused as f64),
        "priority" => of_served(c.downgraded, c),
        _ => "-".into(),
    });
}
