//! `check`: a plan's figures against its budget limits.

use serde::{Deserialize, Serialize};

use crate::calc::plan::PlanReport;
use crate::calc::quota_tier::PlanTierLine;
use crate::calc::rounding::{cents, snap};
use crate::note::{BudgetNote, Note, NoteCode};
use crate::numfmt;

/// Limits from a plan's `[budget]` table; each is optional.
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize, Serialize, schemars::JsonSchema)]
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
    /// Fewest days from `--as-of` to the retirement of any model the plan deploys.
    pub min_days_to_retirement: Option<f64>,
    /// Pay-as-you-go quota must fit the `[subscription]` quota tier's defaults.
    pub within_quota_tier: Option<bool>,
    /// Largest token limit (TPM) any `[[consumer]]` may have.
    pub max_consumer_tpm: Option<f64>,
}

/// A workload's model and SKU with its retirement, for `min_days_to_retirement`.
#[derive(Debug, Clone, PartialEq)]
pub struct Retirement {
    /// What it is about: model, Azure SKU and workload.
    pub subject: String,
    /// Retirement date (YYYY-MM-DD), or `None` when none is published.
    pub date: Option<String>,
    /// Days from `--as-of` to that date (negative: already retired).
    pub days: Option<i64>,
}

/// One limit checked. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Check {
    /// The budget key, e.g. `max_monthly_usd`.
    pub limit: &'static str,
    /// What it applies to (a deployment for `max_utilization`, a model for
    /// `min_days_to_retirement`, else `plan`).
    pub subject: String,
    /// The limit's value (for a `min_` limit, the minimum).
    pub max: f64,
    /// The plan's value.
    pub value: f64,
    /// How far past the limit (0 when within): over a `max_` limit, under a `min_` one.
    pub excess: f64,
    /// Within the limit.
    pub ok: bool,
}

/// The outcome of `check`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
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
    pub notes: Vec<crate::note::Note>,
    /// ISO code of the money limits (JSON: `catalog.currency`).
    #[serde(skip)]
    pub currency: String,
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
                let past = if c.limit.starts_with("min_") {
                    "short by"
                } else {
                    "over by"
                };
                format!(
                    "{}{subject} is {}, limit {} ({past} {})",
                    c.limit,
                    show(c.limit, c.value, &self.currency),
                    show(c.limit, c.max, &self.currency),
                    show(c.limit, c.excess, &self.currency)
                )
            })
            .collect();
        format!("budget exceeded: {}", parts.join("; "))
    }
}

/// One `min_days_to_retirement` check per workload with a published retirement; a note for
/// the rest.
fn retirement_checks(
    min: f64,
    retirements: &[Retirement],
    checks: &mut Vec<Check>,
    notes: &mut Vec<Note>,
) {
    let (dated, undated): (Vec<&Retirement>, Vec<&Retirement>) =
        retirements.iter().partition(|r| r.days.is_some());
    for r in dated {
        let days = r.days.unwrap_or_default() as f64;
        let date = r.date.as_deref().unwrap_or_default();
        checks.push(Check {
            limit: "min_days_to_retirement",
            subject: format!("{}, retires {date}", r.subject),
            max: min,
            value: days,
            excess: (min - days).max(0.0),
            ok: days >= min,
        });
    }
    if !undated.is_empty() {
        let subjects = undated.iter().map(|r| r.subject.clone()).collect();
        let note = BudgetNote::RetirementUndated { subjects };
        notes.push(Note::of(NoteCode::LimitNotChecked, note));
    }
}

/// One `within_quota_tier` check per model and SKU with a published default; a note for the
/// rest.
fn tier_checks(lines: &[PlanTierLine], checks: &mut Vec<Check>, notes: &mut Vec<Note>) {
    for line in lines {
        match line.check.default_tpm {
            Some(default) => {
                let needed = line.check.needed_tpm as f64;
                let excess = (needed - default as f64).max(0.0);
                checks.push(Check {
                    limit: "within_quota_tier",
                    subject: format!("{} {}", line.model, line.check.sku),
                    max: default as f64,
                    value: needed,
                    excess,
                    ok: excess == 0.0,
                });
            }
            None => {
                let note = BudgetNote::TierNoDefault {
                    model: line.model.clone(),
                    sku: line.check.sku,
                    tier: line.check.tier,
                };
                notes.push(Note::of(NoteCode::LimitNotChecked, note));
            }
        }
    }
}

/// A value as its limit reads: money with cents (in `currency`), utilization as a percentage.
pub fn show(limit: &str, value: f64, currency: &str) -> String {
    match limit {
        "max_monthly_usd" => numfmt::money(currency, &numfmt::number(value, 2, false)),
        "max_utilization" => numfmt::percent(value),
        "max_increase_pct" => format!("{}%", numfmt::number(value, 1, true)),
        "min_days_to_retirement" => numfmt::plural(value, "day", "days"),
        "within_quota_tier" => format!("{} TPM", numfmt::short(value)),
        _ => numfmt::count(value),
    }
}

/// The `max_` limits: monthly cost, PTUs, utilization (after a region loss where that is
/// higher) and the increase over the baseline (`increase_pct`, when there is one).
fn max_checks(
    report: &PlanReport,
    budget: &Budget,
    increase_pct: Option<f64>,
    checks: &mut Vec<Check>,
) {
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
            // A hybrid's base runs full whenever it spills, by design: say so where it binds.
            let hybrid = report
                .workloads
                .iter()
                .any(|w| w.tier == super::plan::Tier::Hybrid && d.workloads.contains(&w.name));
            let subject = format!(
                "{} {}{}{}",
                d.model,
                d.deployment,
                if after_loss { " (one region lost)" } else { "" },
                if hybrid {
                    " (hybrid base: full when it spills)"
                } else {
                    ""
                }
            );
            push(
                "max_utilization",
                subject,
                max,
                d.utilization_failover.max(d.utilization),
            );
        }
    }
    if let (Some(max), Some(pct)) = (budget.max_increase_pct, increase_pct) {
        push("max_increase_pct", "plan".into(), max, pct);
    }
    if let Some(max) = budget.max_consumer_tpm {
        for c in &report.consumers {
            push(
                "max_consumer_tpm",
                format!("consumer {}", c.name),
                max,
                c.tpm,
            );
        }
    }
}

/// Checks `report` against `budget`; `baseline_usd` is the monthly cost of an earlier plan,
/// `retirements` the plan's models with their retirement dates on `--as-of`.
pub fn evaluate(
    report: &PlanReport,
    budget: &Budget,
    baseline_usd: Option<f64>,
    (retirements, tiers): (&[Retirement], Option<&[PlanTierLine]>),
) -> BudgetReport {
    let mut checks = Vec::new();
    let mut notes = Vec::new();
    if budget.within_quota_tier == Some(true) {
        match tiers {
            Some(lines) => tier_checks(lines, &mut checks, &mut notes),
            None => notes.push(Note::of(
                NoteCode::LimitNotChecked,
                BudgetNote::TierNotGiven,
            )),
        }
    }
    if let Some(min) = budget.min_days_to_retirement {
        retirement_checks(min, retirements, &mut checks, &mut notes);
    }
    let increase_pct = baseline_usd
        .filter(|b| *b > 0.0)
        .map(|b| (report.monthly_usd - b) / b * 100.0);
    max_checks(report, budget, increase_pct, &mut checks);
    if budget.max_increase_pct.is_some() && increase_pct.is_none() {
        let note = BudgetNote::IncreaseNotChecked;
        notes.push(Note::of(NoteCode::LimitNotChecked, note));
    }
    if budget.max_monthly_usd.is_some() && report.currency != "USD" {
        let note = BudgetNote::Currency {
            currency: report.currency.clone(),
        };
        notes.push(Note::of(NoteCode::Currency, note));
    }
    let ok = checks.iter().all(|c| c.ok);
    BudgetReport {
        checks,
        ok,
        baseline_monthly_usd: baseline_usd,
        increase_pct,
        notes,
        currency: report.currency.clone(),
    }
}
