//! Markdown for pull-request comments (`--format markdown`): `plan` and `check` (deployments,
//! pay-as-you-go quota, PTU billing, the change against the baseline, the budget verdict per
//! limit, notes) and `cost` (one row per option, the recommendation). GitHub-flavoured tables;
//! every text from input is escaped so a plan cannot inject Markdown or HTML.

use std::fmt::Write as _;

use crate::calc::budget::{BudgetReport, show};
use crate::calc::cost::CostReport;
use crate::calc::plan::{Billing, PlanReport, Tier};
use crate::note::{Note, NoteCode};
use crate::numfmt::{amount, count, number, percent, percent_rounded};
use crate::render::cost_text;

/// What a plan comment is about besides the report.
pub struct PlanContext<'a> {
    /// `plan` or `check`.
    pub command: &'a str,
    /// The plan file as given.
    pub path: &'a str,
    /// The baseline was optional and missing: a new plan.
    pub new_plan: bool,
    /// Catalog date and the `--as-of` day, for the footer.
    pub footer: String,
}

/// Escapes text for Markdown: backslash-escapes punctuation Markdown acts on, `<` and `>` as
/// entities, line breaks as spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An amount with its `$` escaped: GitHub reads `$...$` as math.
fn dollars(text: String) -> String {
    text.replace('$', "\\$")
}

/// A table: header cells (a leading `>` right-aligns the column) and rows of cells.
fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let names: Vec<&str> = header.iter().map(|h| h.trim_start_matches('>')).collect();
    let rule: Vec<&str> = header
        .iter()
        .map(|h| if h.starts_with('>') { "--:" } else { "---" })
        .collect();
    let _ = writeln!(out, "| {} |", names.join(" | "));
    let _ = writeln!(out, "|{}|", rule.join("|"));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

/// Notes in a collapsed block.
fn notes<T: std::fmt::Display>(out: &mut String, notes: &[T]) {
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(out, "<details><summary>Notes ({})</summary>\n", notes.len());
    for note in notes {
        let _ = writeln!(out, "- {}", escape(&note.to_string()));
    }
    out.push_str("\n</details>\n\n");
}

/// The `plan` / `check` comment.
pub fn plan(report: &PlanReport, budget: Option<&BudgetReport>, context: &PlanContext) -> String {
    let cur = report.currency.as_str();
    let usd = |value: f64| dollars(amount(cur, value));
    let mut out = String::new();
    let verdict = match budget {
        Some(b) if b.ok => " — ✅ within budget",
        Some(_) => " — ❌ over budget",
        None => "",
    };
    let _ = writeln!(
        out,
        "### ptuplan {}: {}{verdict}\n",
        context.command,
        escape(context.path)
    );
    let _ = writeln!(
        out,
        "**{} per month**, {} PTU (PTU {} + tokens {}; {} hours)\n",
        usd(report.monthly_usd),
        count(report.total_ptu as f64),
        usd(report.ptu_usd),
        usd(report.payg_usd),
        count(report.hours_per_month)
    );
    baseline_line(&mut out, budget, context, &usd);
    deployments(&mut out, report);
    pay_as_you_go(&mut out, report, &usd);
    ptu_billing(&mut out, report, &usd);
    if let Some(budget) = budget {
        budget_table(&mut out, budget, cur);
    }
    let mut all: Vec<Note> = report.notes.clone();
    // A new plan is said under the heading; its budget note names a temporary path.
    let said = |note: &Note| context.new_plan && note.code == NoteCode::NewPlan;
    all.extend(
        budget
            .iter()
            .flat_map(|b| b.notes.iter().filter(|n| !said(n)).cloned()),
    );
    notes(&mut out, &all);
    let _ = writeln!(out, "<sub>{}</sub>", escape(&context.footer));
    out
}

/// The change against the baseline, or that the plan is new.
fn baseline_line(
    out: &mut String,
    budget: Option<&BudgetReport>,
    context: &PlanContext,
    amount: &dyn Fn(f64) -> String,
) {
    if context.new_plan {
        out.push_str("New plan: no baseline to compare with.\n\n");
        return;
    }
    let Some((base, pct)) = budget.and_then(|b| Some((b.baseline_monthly_usd?, b.increase_pct?)))
    else {
        return;
    };
    let change = base * pct / 100.0;
    let sign = if change >= 0.0 { "+" } else { "−" };
    let _ = writeln!(
        out,
        "Against the baseline: {} → {} per month (**{sign}{}, {sign}{}%**)\n",
        amount(base),
        amount(base + change),
        amount(change.abs()),
        number(pct.abs(), 1, false)
    );
}

fn deployments(out: &mut String, report: &PlanReport) {
    if report.deployments.is_empty() {
        return;
    }
    out.push_str("#### Provisioned deployments\n\n");
    let failover = report.deployments.iter().any(|d| d.regions > 1);
    let rows: Vec<Vec<String>> = report
        .deployments
        .iter()
        .map(|d| {
            let mut row = vec![
                escape(&d.model),
                d.deployment.to_string(),
                count(d.ptu as f64),
                count(d.ptu_per_region as f64),
                count(d.regions as f64),
                percent(d.utilization),
            ];
            if failover {
                row.push(percent(d.utilization_failover));
            }
            row.push(escape(&d.workloads.join(", ")));
            row
        })
        .collect();
    let mut header = vec![
        "Model",
        "Type",
        ">PTU",
        ">PTU per region",
        ">Regions",
        ">Utilization",
    ];
    if failover {
        header.push(">After a region loss");
    }
    header.push("Workloads");
    table(out, &header, &rows);
}

fn pay_as_you_go(out: &mut String, report: &PlanReport, amount: &dyn Fn(f64) -> String) {
    let payg: Vec<Vec<String>> = report
        .workloads
        .iter()
        // A hybrid's spill is paid per token too, on its own standard quota.
        .filter(|w| w.billing == Billing::Payg || w.tier == Tier::Hybrid)
        .map(|w| {
            vec![
                escape(&w.name),
                escape(&w.model),
                w.deployment.to_string(),
                w.tier.as_str().to_string(),
                w.standard_tpm_quota
                    .map_or("n/a".to_string(), |q| count(q as f64)),
                w.tier_usd
                    .or(w.monthly_payg_usd)
                    .map_or("-".to_string(), amount),
            ]
        })
        .collect();
    if payg.is_empty() {
        return;
    }
    out.push_str("#### Pay-as-you-go\n\n");
    table(
        out,
        &[
            "Workload",
            "Model",
            "Type",
            "Tier",
            ">Standard quota per region (TPM)",
            ">Per month",
        ],
        &payg,
    );
}

fn ptu_billing(out: &mut String, report: &PlanReport, amount: &dyn Fn(f64) -> String) {
    if report.reservations.is_empty() {
        return;
    }
    out.push_str("#### PTU billing\n\n");
    let rows: Vec<Vec<String>> = report
        .reservations
        .iter()
        .map(|r| {
            vec![
                r.deployment.to_string(),
                count(r.deployed as f64),
                count(r.reserved as f64),
                count(r.billed_hourly as f64),
                count(r.unused as f64),
                amount(r.monthly_usd),
            ]
        })
        .collect();
    table(
        out,
        &[
            "Type",
            ">Deployed",
            ">Reserved",
            ">Hourly",
            ">Unused",
            ">Per month",
        ],
        &rows,
    );
}

fn budget_table(out: &mut String, budget: &BudgetReport, currency: &str) {
    out.push_str("#### Budget\n\n");
    let rows: Vec<Vec<String>> = budget
        .checks
        .iter()
        .map(|c| {
            vec![
                format!("`{}`", c.limit),
                escape(&c.subject),
                dollars(show(c.limit, c.value, currency)),
                dollars(show(c.limit, c.max, currency)),
                if c.ok {
                    "✅ ok".to_string()
                } else {
                    format!(
                        "❌ exceeded by {}",
                        dollars(show(c.limit, c.excess, currency))
                    )
                },
            ]
        })
        .collect();
    table(
        out,
        &["Limit", "Applies to", ">Value", ">Bound", "Result"],
        &rows,
    );
}

/// The `cost` comment.
pub fn cost(report: &CostReport, footer: &str) -> String {
    let cur = report.prices.currency.as_str();
    let usd = |value: f64| dollars(amount(cur, value));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### ptuplan cost: {} on {}\n",
        escape(&report.model),
        report.deployment
    );
    let rows: Vec<Vec<String>> = report
        .options
        .iter()
        .map(|o| {
            let name = if o.option == report.recommended {
                format!("**{}**", o.option.as_str())
            } else {
                o.option.as_str().to_string()
            };
            vec![
                name,
                if o.ptu == 0 {
                    "-".to_string()
                } else {
                    count(o.ptu as f64)
                },
                usd(o.monthly_usd),
                o.usd_per_1m_tokens.map_or("-".to_string(), &usd),
                o.utilization.map_or("-".to_string(), percent),
                percent_rounded(o.spill_share),
            ]
        })
        .collect();
    table(
        &mut out,
        &[
            "Option",
            ">PTU",
            ">Per month",
            ">Per 1M tokens",
            ">Utilization",
            ">Spill",
        ],
        &rows,
    );
    let _ = writeln!(
        out,
        "**Recommended: {}** — {}\n",
        report.recommended.as_str(),
        escape(&report.reason.to_string())
    );
    let mix = cost_text::mix(report);
    if !mix.is_empty() {
        for line in mix {
            let _ = writeln!(out, "- {}", escape(&line));
        }
        out.push('\n');
    }
    let tiers: Vec<String> = cost_text::tier_prices(report)
        .into_iter()
        .chain(cost_text::batch_share(report))
        .chain(cost_text::left_out(report))
        .collect();
    for line in &tiers {
        let _ = writeln!(out, "- {}", escape(line));
    }
    if !tiers.is_empty() {
        out.push('\n');
    }
    notes(&mut out, &report.notes);
    let _ = writeln!(out, "<sub>{}</sub>", escape(footer));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_cannot_inject_markdown_or_html() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(escape("<script>"), "&lt;script&gt;");
        assert_eq!(escape("**bold** [x](y)"), "\\*\\*bold\\*\\* \\[x\\](y)");
        assert_eq!(escape("two\nlines"), "two lines");
        assert_eq!(escape("plain text, 1.5%"), "plain text, 1.5%");
    }
}
