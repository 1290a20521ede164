//! `check`: a plan's figures against its budget limits.

use serde::{Deserialize, Serialize};

use crate::calc::plan::PlanReport;
use crate::calc::rounding::{cents, snap};
use crate::numfmt;

/// Limits from a plan's `[budget]` table; each is optional.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Most the plan may cost per month, USD.
    pub max_monthly_usd: Option<f64>,
    /// Most PTUs the plan may deploy in all.
    pub max_ptu: Option<f64>,
    /// Highest peak utilization any deployment may run at (0 to 1).
    pub max_utilization: Option<f64>,
    /// Largest increase of the monthly cost over the baseline, in percent.
    pub max_increase_pct: Option<f64>,
}

/// One limit checked. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The budget key, e.g. `max_monthly_usd`.
    pub limit: &'static str,
    /// What it applies to (a deployment for `max_utilization`, else `plan`).
    pub subject: String,
    /// The limit's value.
    pub max: f64,
    /// The plan's value.
    pub value: f64,
    /// How far over the limit (0 when within).
    pub excess: f64,
    /// Within the limit.
    pub ok: bool,
}

/// The outcome of `check`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetReport {
    /// Every check made.
    pub checks: Vec<Check>,
    /// All within budget.
    pub ok: bool,
    /// Baseline monthly USD, when a baseline was given.
    pub baseline_monthly_usd: Option<f64>,
    /// Change against the baseline in percent, when a baseline was given.
    pub increase_pct: Option<f64>,
    /// Limits that could not be checked, and why.
    pub notes: Vec<String>,
}

impl BudgetReport {
    /// One line naming each exceeded limit, its value and the excess.
    pub fn exceeded_summary(&self) -> String {
        let parts: Vec<String> = self
            .checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| {
                let subject = if c.subject == "plan" {
                    String::new()
                } else {
                    format!(" ({})", c.subject)
                };
                format!(
                    "{}{subject} is {}, limit {} (over by {})",
                    c.limit,
                    show(c.limit, c.value),
                    show(c.limit, c.max),
                    show(c.limit, c.excess)
                )
            })
            .collect();
        format!("budget exceeded: {}", parts.join("; "))
    }
}

/// A value as its limit reads: money with cents, utilization as a percentage.
pub fn show(limit: &str, value: f64) -> String {
    match limit {
        "max_monthly_usd" => format!("${}", numfmt::number(value, 2, false)),
        "max_utilization" => numfmt::percent(value),
        "max_increase_pct" => format!("{}%", numfmt::number(value, 1, true)),
        _ => numfmt::count(value),
    }
}

/// Checks `report` against `budget`; `baseline_usd` is the monthly cost of an earlier plan.
pub fn evaluate(report: &PlanReport, budget: &Budget, baseline_usd: Option<f64>) -> BudgetReport {
    let mut checks = Vec::new();
    let mut push = |limit: &'static str, subject: String, max: f64, value: f64| {
        // Money to the cent, everything else without floating-point noise.
        let tidy = |x: f64| {
            if limit == "max_monthly_usd" {
                cents(x)
            } else {
                snap(x)
            }
        };
        let excess = tidy((value - max).max(0.0));
        checks.push(Check {
            limit,
            subject,
            max,
            value: tidy(value),
            excess,
            ok: excess <= 1e-9 * max.abs().max(1.0),
        });
    };
    if let Some(max) = budget.max_monthly_usd {
        push("max_monthly_usd", "plan".into(), max, report.monthly_usd);
    }
    if let Some(max) = budget.max_ptu {
        push("max_ptu", "plan".into(), max, report.total_ptu as f64);
    }
    if let Some(max) = budget.max_utilization {
        // The worst case: after a region is lost, when failover puts more on each survivor.
        for d in &report.deployments {
            let after_loss = d.utilization_failover > d.utilization;
            let subject = format!(
                "{} {}{}",
                d.model,
                d.deployment,
                if after_loss { " (one region lost)" } else { "" }
            );
            push(
                "max_utilization",
                subject,
                max,
                d.utilization_failover.max(d.utilization),
            );
        }
    }
    let increase_pct = baseline_usd
        .filter(|b| *b > 0.0)
        .map(|b| (report.monthly_usd - b) / b * 100.0);
    let mut notes = Vec::new();
    if let Some(max) = budget.max_increase_pct {
        match increase_pct {
            Some(pct) => push("max_increase_pct", "plan".into(), max, pct),
            None => {
                notes.push("max_increase_pct is not checked: give --baseline REPORT.json".into())
            }
        }
    }
    let ok = checks.iter().all(|c| c.ok);
    BudgetReport {
        checks,
        ok,
        baseline_monthly_usd: baseline_usd,
        increase_pct,
        notes,
    }
}
