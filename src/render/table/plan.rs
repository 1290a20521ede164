//! The `plan` and `check` tables: workloads, shared deployments, quota, reservations, total,
//! and the budget checks.

use std::fmt::Write as _;

use comfy_table::Cell;

use super::{finish, name_cell, notes, right, table, wrap};
use crate::calc::budget::{BudgetReport, show};
use crate::calc::plan::{Failover, PlanReport};
use crate::numfmt::{count, money, number, percent, short};

/// Renders `plan`, and `check` when `budget` is given.
pub fn plan(report: &PlanReport, budget: Option<&BudgetReport>) -> String {
    let mut out = String::new();
    workloads(&mut out, report);
    consumers(&mut out, report);
    deployments(&mut out, report);
    reservations(&mut out, report);
    let cur = report.currency.as_str();
    let amount = |usd: f64| money(cur, &number(usd, 2, false));
    let total = format!(
        "{} PTU; {} per month (PTU {} + tokens {}; {} hours)",
        count(report.total_ptu as f64),
        amount(report.monthly_usd),
        amount(report.ptu_usd),
        amount(report.payg_usd),
        count(report.hours_per_month)
    );
    let _ = writeln!(out, "\n{}", wrap(&total, "Total     ", "          "));
    let mut all_notes = report.notes.clone();
    if let Some(budget) = budget {
        budget_section(&mut out, report, budget);
        all_notes.extend(budget.notes.iter().cloned());
    }
    notes(&mut out, &all_notes);
    out
}

/// The workloads: model, type, tier, rate, request size, what it needs alone, what it costs.
fn workloads(out: &mut String, report: &PlanReport) {
    let tokens_header = format!("{}/mo", report.currency);
    // One deployment type for all: said once in the title, not in a column of its own.
    let first_type = report.workloads.first().map(|w| w.deployment);
    let one_type = first_type.filter(|d| report.workloads.iter().all(|w| w.deployment == *d));
    let mut header = vec![
        "workload", "model", "type", "tier", "RPM", "tok/req", "alone",
    ];
    header.push(&tokens_header);
    if one_type.is_some() {
        header.remove(2);
    }
    let mut t = table(&header);
    for w in &report.workloads {
        let mut row = vec![
            name_cell(&w.name),
            name_cell(&w.model),
            Cell::new(w.deployment.as_str()),
            Cell::new(w.tier.as_str()),
            right(count(w.rpm)),
            right(count(w.tokens_per_request)),
            right(match (w.ptu_alone, w.standard_tpm_quota) {
                (Some(ptu), _) => format!("{} PTU", count(ptu as f64)),
                (None, Some(quota)) => format!("{} TPM", short(quota as f64)),
                (None, None) => "-".to_string(),
            }),
            right(
                w.tier_usd
                    .map_or("-".to_string(), |usd| number(usd, 2, false)),
            ),
        ];
        if one_type.is_some() {
            row.remove(2);
        }
        t.add_row(row);
    }
    let title = match one_type {
        Some(d) => format!("Workloads ({d})"),
        None => "Workloads".to_string(),
    };
    let _ = writeln!(out, "{title}\n{}", finish(t, 0));
    let _ = writeln!(
        out,
        "{}",
        wrap(
            "alone = PTUs on a deployment of its own in all regions together (ptu, \
             hybrid), or the standard TPM quota each region needs (standard, priority, flex), at \
             the target utilization; /mo = what its tokens cost a month (its tier, a hybrid's \
             spill, its batch share)",
            "",
            "  "
        )
    );
}

/// The shared PTU deployments and the PTU quota they need, when the plan has any.
fn deployments(out: &mut String, report: &PlanReport) {
    if report.deployments.is_empty() {
        return;
    }
    let after_loss = report
        .deployments
        .iter()
        .any(|d| d.utilization_failover > d.utilization);
    let mut header = vec!["model", "type", "PTU raw", "PTU each", "PTU", "util"];
    if after_loss {
        header.push("1 lost");
    }
    header.extend(["saved", "workloads"]);
    let mut t = table(&header);
    for d in &report.deployments {
        let mut row = vec![
            name_cell(&d.model),
            Cell::new(d.deployment.as_str()),
            right(number(d.ptu_raw, 2, false)),
            right(count(d.ptu_per_region as f64)),
            right(count(d.ptu as f64)),
            right(percent(d.utilization)),
        ];
        if after_loss {
            row.push(right(percent(d.utilization_failover)));
        }
        row.extend([
            right(count(d.ptu_saved as f64)),
            name_cell(&d.workloads.join(", ")),
        ]);
        t.add_row(row);
    }
    let regions = match (report.regions.len(), report.failover) {
        (0 | 1, _) => String::new(),
        (n, Some(Failover::ActiveActive)) => format!(", {n} regions, active-active"),
        (n, Some(Failover::ActivePassive)) => format!(", {n} regions, active-passive"),
        (n, None) => format!(", {n} regions"),
    };
    let _ = writeln!(
        out,
        "\nDeployments (one per model and type{regions})\n{}",
        finish(t, header.len() - 1)
    );
    let _ = writeln!(
        out,
        "{}",
        wrap(
            "workloads on the same model and type share one deployment; PTU raw = all \
                 traffic in one region; PTU each = per region; util = peak utilization of a \
                 serving region (1 lost: after one region is lost); saved = PTUs saved over one \
                 deployment per workload",
            "",
            "  "
        )
    );
    let mut t = table(&["type", "region", "PTU quota"]);
    for q in &report.quota {
        t.add_row(vec![
            Cell::new(q.deployment.as_str()),
            name_cell(&q.region),
            right(count(q.ptu as f64)),
        ]);
    }
    let _ = writeln!(
        out,
        "\nPTU quota needed (per deployment type and region)\n{}",
        finish(t, 1)
    );
}

/// PTU billing: reserved against deployed PTUs per type, when the plan reserves any.
fn reservations(out: &mut String, report: &PlanReport) {
    if report.reservations.is_empty() {
        return;
    }
    let mut t = table(&[
        "type",
        "reserved",
        "deployed",
        "hourly",
        "unused",
        &format!("{}/month", report.currency),
    ]);
    for r in &report.reservations {
        t.add_row(vec![
            Cell::new(r.deployment.as_str()),
            right(count(r.reserved as f64)),
            right(count(r.deployed as f64)),
            right(count(r.billed_hourly as f64)),
            right(count(r.unused as f64)),
            right(number(r.monthly_usd, 2, false)),
        ]);
    }
    let _ = writeln!(
        out,
        "\nPTU billing (reserved, and hourly beyond the reservation)\n{}",
        finish(t, 0)
    );
}

/// The budget's checks, the change against the baseline and the verdict.
fn budget_section(out: &mut String, report: &PlanReport, budget: &BudgetReport) {
    let cur = report.currency.as_str();
    let amount = |usd: f64| money(cur, &number(usd, 2, false));
    let mut t = table(&["limit", "applies to", "value", "bound", "excess", "result"]);
    for c in &budget.checks {
        t.add_row(vec![
            Cell::new(c.limit),
            name_cell(&c.subject),
            right(show(c.limit, c.value, cur)),
            right(show(c.limit, c.max, cur)),
            right(if c.ok {
                "-".to_string()
            } else {
                show(c.limit, c.excess, cur)
            }),
            Cell::new(if c.ok { "ok" } else { "EXCEEDED" }),
        ]);
    }
    let _ = writeln!(out, "\nBudget\n{}", finish(t, 1));
    if let (Some(base), Some(pct)) = (budget.baseline_monthly_usd, budget.increase_pct) {
        let line = format!(
            "against the baseline: {} -> {} per month ({}{}%)",
            amount(base),
            amount(report.monthly_usd),
            if pct >= 0.0 { "+" } else { "" },
            number(pct, 1, false)
        );
        let _ = writeln!(out, "{}", wrap(&line, "", "  "));
    }
    let verdict = if budget.ok {
        "within budget"
    } else {
        "OVER BUDGET"
    };
    let _ = writeln!(out, "result: {verdict}");
}

/// The consumers' limits and what they leave of each deployment, when the plan has any.
fn consumers(out: &mut String, report: &PlanReport) {
    if report.consumers.is_empty() {
        return;
    }
    let mut t = table(&["consumer", "workload", "RPM", "TPM limit", "of capacity"]);
    for c in &report.consumers {
        t.add_row(vec![
            name_cell(&c.name),
            name_cell(&c.workload),
            right(count(c.rpm)),
            right(count(c.tpm)),
            right(percent(c.share_of_capacity)),
        ]);
    }
    let _ = writeln!(out, "\nConsumers\n{}", finish(t, 0));
    for h in &report.consumer_headroom {
        // Whole units, the limits rounded up, so the three figures add up as shown.
        let limits = crate::calc::rounding::ceil_whole(h.limits);
        let capacity = h.capacity.round();
        let line = format!(
            "{}: limits {} of {} at the target utilization, headroom {} ({})",
            h.deployment,
            count(limits),
            count(capacity),
            count(capacity - limits),
            percent(h.headroom / h.capacity)
        );
        let _ = writeln!(out, "{}", wrap(&line, "", "  "));
    }
    let _ = writeln!(
        out,
        "{}",
        wrap(
            "TPM limit = prompt + completion tokens a minute, as API Management counts them; of \
             capacity (and the limits and headroom lines) = normalized TPM of a PTU deployment, \
             or tokens of a standard quota, in one region",
            "",
            "  "
        )
    );
}
