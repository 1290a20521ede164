//! `plan`, `check` and the plan behind `emit`: a plan file resolved, sized and judged.

use std::io::Write;

use chrono::NaiveDate;

use serde::Serialize;

use crate::calc::budget::{self, BudgetReport};
use crate::calc::plan::{Billing, PlanReport, PlannedWorkload, Tier, plan, split_warnings};
use crate::calc::quota_tier;
use crate::catalog::{Catalog, CatalogField};
use crate::cli::{Cli, Format};
use crate::deployment::{DeploymentType, Sku};
use crate::error::{BudgetExceeded, InputError};
use crate::lifecycle::Lifecycles;
use crate::note::{BudgetNote, Note, NoteCode, PriceSource, PriceSources, Priced};
use crate::plan_file;
use crate::render::{markdown, table};

use super::{CATALOG_ENV, files, footer, price_overlay, printable, render_json, write_answer};

/// `check`: the plan's report on stdout, split-token warnings on stderr, and the verdict as
/// the result (exit 3 over budget), which wins over a reader that went away or a full disk:
/// a budget gate must never pass because its output was cut short.
pub(super) fn run_check(
    args: &crate::cli::CheckArgs,
    catalog: &Catalog,
    (format, as_of): (Format, NaiveDate),
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (text, budget, warnings) = run_plan(
        &args.file,
        Some((args.baseline.as_deref(), args.baseline_optional)),
        args.allow_outside_paths,
        catalog,
        (format, as_of),
    )?;
    let text = printable(text, format);
    let mut stderr = std::io::stderr().lock();
    for warning in &warnings {
        let _ = writeln!(stderr, "warning: {}", crate::render::clean(warning, 1000));
    }
    let written = write_answer(out, &text);
    match (budget, written) {
        (Some(report), _) if !report.ok => Err(BudgetExceeded(report.exceeded_summary()).into()),
        (_, written) => written,
    }
}

/// The JSON body of `plan` and `check`.
#[derive(Serialize, schemars::JsonSchema)]
pub(super) struct PlanBody<'a> {
    plan: String,
    #[serde(flatten)]
    report: &'a PlanReport,
    /// Pay-as-you-go quota per model and SKU against `[subscription] quota_tier`.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    quota_tier: &'a [quota_tier::PlanTierLine],
    #[serde(skip_serializing_if = "Option::is_none")]
    budget: Option<&'a BudgetReport>,
}

/// The files `emit` reads, which its `--output` must not replace: the plan, its profiles, the
/// catalog and the price overlay.
pub(super) fn emit_inputs(cli: &Cli, args: &crate::cli::EmitArgs) -> Vec<std::path::PathBuf> {
    let mut inputs = vec![args.file.clone()];
    let base_dir = args.file.parent().unwrap_or(std::path::Path::new(""));
    if let Ok(text) = std::fs::read_to_string(&args.file)
        && let Ok(file) = plan_file::parse(&text, "")
    {
        let profiles = file
            .workload
            .iter()
            .filter_map(|w| w.get_ref().profile.as_ref());
        inputs.extend(profiles.map(|p| base_dir.join(p)));
    }
    let catalog = files::flag_or_env(cli.catalog.as_deref(), CATALOG_ENV);
    let prices = files::flag_or_env(cli.prices.as_deref(), price_overlay::PRICES_ENV);
    inputs.extend(
        [catalog, prices]
            .into_iter()
            .flatten()
            .map(|(path, _)| path),
    );
    inputs
}

/// The lifecycles of the models a plan deploys, on the SKUs it deploys them on.
pub(super) fn plan_lifecycles(
    resolved: &plan_file::ResolvedPlan<'_>,
    catalog: &Catalog,
    as_of: NaiveDate,
) -> Lifecycles {
    let used = resolved.workloads.iter().map(|w| {
        (
            w.model,
            vec![Sku::of(w.deployment, w.billing == Billing::Ptu)],
        )
    });
    Lifecycles::of(used, catalog, as_of)
}

/// Sizes and prices a plan file. With `check` set (to the optional baseline path), also
/// evaluates its budget and returns the result.
pub(super) fn run_plan(
    path: &std::path::Path,
    check: Option<(Option<&std::path::Path>, bool)>,
    allow_outside_paths: bool,
    catalog: &Catalog,
    (format, as_of): (Format, NaiveDate),
) -> anyhow::Result<(String, Option<BudgetReport>, Vec<String>)> {
    let (shown, resolved, mut report) = sized_plan(path, allow_outside_paths, catalog)?;
    let tiers = plan_tiers(&mut report, resolved.quota_tier, catalog);
    let (budget, new_plan) = match check {
        None => (None, false),
        Some(baseline) => {
            let (budget, new_plan) =
                check_budget(&report, &resolved, &shown, baseline, (&tiers, as_of))?;
            (Some(budget), new_plan)
        }
    };
    let lifecycle = plan_lifecycles(&resolved, catalog, as_of);
    report.notes.extend(lifecycle.notes());
    let text = match format {
        Format::Json => render_json(
            catalog,
            Some(&lifecycle),
            &PlanBody {
                plan: shown,
                report: &report,
                quota_tier: &tiers,
                budget: budget.as_ref(),
            },
        )?,
        Format::Table => table::plan(&report, budget.as_ref()),
        Format::Markdown => {
            let context = markdown::PlanContext {
                command: if check.is_some() { "check" } else { "plan" },
                path: &shown,
                new_plan,
                footer: footer(catalog, as_of),
            };
            markdown::plan(&report, budget.as_ref(), &context)
        }
    };
    let warnings = split_warnings(&resolved.workloads)
        .into_iter()
        .map(|n| n.to_string())
        .collect();
    Ok((text, budget, warnings))
}

/// Reads, resolves and sizes a plan file: its name as shown, the resolved plan and the report
/// (with the plan's and the prices' notes).
pub(super) fn sized_plan<'a>(
    path: &std::path::Path,
    allow_outside_paths: bool,
    catalog: &'a Catalog,
) -> anyhow::Result<(String, plan_file::ResolvedPlan<'a>, PlanReport)> {
    let shown = path.display().to_string();
    let text = files::read_input(path, "plan", files::MAX_PLAN_BYTES)?;
    let file = plan_file::parse(&text, &shown)?;
    let base_dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => std::path::Path::new("."),
    };
    // Plans are read on pull requests: a profile must be a regular file inside the plan's
    // folder unless --allow-outside-paths says otherwise.
    let read = |p: &std::path::Path| {
        if !allow_outside_paths {
            files::check_inside(base_dir, p)?;
        }
        files::read_text(p, files::MAX_PROFILE_BYTES).map_err(files::ReadFailure::into_io)
    };
    let resolved = plan_file::resolve(&file, &text, &shown, base_dir, catalog, &read)?;
    let mut report = plan(&resolved.workloads, &resolved.settings)?;
    let (consumers, headroom) = crate::calc::plan::consumer_lines(&report, &resolved.consumers)
        .map_err(|e| InputError::File {
            kind: "plan",
            path: shown.clone(),
            line: None,
            message: e.to_string(),
        })?;
    report.consumers = consumers;
    report.consumer_headroom = headroom;
    let quota_notes = crate::calc::plan::quota_notes(&report, &resolved.consumers);
    report.notes.extend(quota_notes);
    report.notes.extend(resolved.notes.iter().cloned());
    report
        .notes
        .extend(price_sources(&resolved.workloads, catalog));
    Ok((shown, resolved, report))
}

/// Where the plan's prices come from: the catalog's sources (or a `--prices` overlay), and which
/// are UNVERIFIED.
fn price_sources(workloads: &[PlannedWorkload<'_>], catalog: &Catalog) -> Vec<Note> {
    let mut ptu_types: Vec<DeploymentType> = workloads
        .iter()
        .filter(|w| w.billing == Billing::Ptu)
        .map(|w| w.deployment)
        .collect();
    ptu_types.sort();
    ptu_types.dedup();
    let mut parts: Vec<PriceSource> = ptu_types
        .iter()
        .filter_map(|d| {
            let p = catalog.ptu_prices.get(d)?;
            Some(PriceSource {
                priced: Priced::Ptu(*d),
                source: p.source.clone(),
                unverified: p.unverified,
            })
        })
        .collect();
    let mut payg: Vec<PriceSource> = Vec::new();
    for w in workloads
        .iter()
        .filter(|w| w.tier != Tier::Ptu || w.batch_share > 0.0)
    {
        let mut part_of = |part: PriceSource| {
            if !payg.contains(&part) {
                payg.push(part);
            }
        };
        part_of(PriceSource {
            priced: Priced::Tokens {
                model: w.model.name.clone(),
            },
            source: w
                .model
                .sources
                .prices
                .as_deref()
                .unwrap_or("catalog")
                .into(),
            unverified: w.model.is_unverified(CatalogField::Prices),
        });
        let tier_price = match w.tier {
            Tier::Priority => w.tiers.priority.as_ref().ok().map(|p| &p.price),
            Tier::Flex => w.tiers.flex.as_ref().ok(),
            Tier::Batch => w.tiers.batch.as_ref().ok().map(|b| &b.price),
            _ => None,
        };
        if let Some(price) = tier_price {
            part_of(PriceSource {
                priced: Priced::TierTokens {
                    model: w.model.name.clone(),
                    tier: w.tier.as_str().into(),
                },
                source: price.source.clone(),
                unverified: price.unverified,
            });
        }
    }
    parts.extend(payg);
    if parts.is_empty() {
        return Vec::new();
    }
    let sources = PriceSources(parts);
    let code = if sources.any_unverified() {
        NoteCode::PricesUnverified
    } else {
        NoteCode::PriceSources
    };
    vec![Note::of(code, sources)]
}

/// The plan's pay-as-you-go quota against its `[subscription] quota_tier`, with their notes.
fn plan_tiers(
    report: &mut PlanReport,
    tier: Option<u8>,
    catalog: &Catalog,
) -> Vec<quota_tier::PlanTierLine> {
    let Some(tier) = tier else {
        return Vec::new();
    };
    let lines = quota_tier::plan_tier_lines(report, catalog, tier);
    let subjects: Vec<(String, quota_tier::TierCheck)> = lines
        .iter()
        .map(|l| {
            let subject = format!("{} (workloads {})", l.model, l.workloads.join(", "));
            (subject, l.check.clone())
        })
        .collect();
    report.notes.extend(quota_tier::tier_notes(&subjects));
    lines
}

/// `check`: the plan's budget against its figures, the baseline (a missing optional one is a
/// new plan: returned as `true`), retirements and quota tiers.
fn check_budget(
    report: &PlanReport,
    resolved: &plan_file::ResolvedPlan<'_>,
    shown: &str,
    (baseline, optional): (Option<&std::path::Path>, bool),
    (tiers, as_of): (&[quota_tier::PlanTierLine], NaiveDate),
) -> anyhow::Result<(BudgetReport, bool)> {
    let limits = resolved.budget.ok_or_else(|| InputError::File {
        kind: "plan",
        path: shown.to_string(),
        line: None,
        message: "no [budget] table: nothing to check (see 'Plan files' in docs/guide.md)".into(),
    })?;
    let new_plan = optional && baseline.is_some_and(|p| !p.exists());
    let baseline_usd = match baseline {
        Some(path) if !new_plan => Some(read_baseline(path, &report.currency)?),
        _ => None,
    };
    let retirements = plan_retirements(&resolved.workloads, as_of);
    let checked_tiers = resolved.quota_tier.map(|_| tiers);
    let mut budget = budget::evaluate(report, &limits, baseline_usd, (&retirements, checked_tiers));
    if let (true, Some(path)) = (new_plan, baseline) {
        budget
            .notes
            .retain(|n| n.text != BudgetNote::IncreaseNotChecked.into());
        budget.notes.push(Note::of(
            NoteCode::NewPlan,
            BudgetNote::NewPlan {
                baseline: path.display().to_string(),
            },
        ));
    }
    Ok((budget, new_plan))
}

/// Each workload's model and Azure SKU with its retirement on `as_of`, for `check`.
fn plan_retirements(
    workloads: &[PlannedWorkload<'_>],
    as_of: NaiveDate,
) -> Vec<budget::Retirement> {
    workloads
        .iter()
        .map(|w| {
            let sku = Sku::of(w.deployment, w.billing == Billing::Ptu);
            let date = w
                .model
                .lifecycle
                .as_ref()
                .and_then(|l| l.retirement_for(sku));
            let billing = if w.billing == Billing::Ptu {
                "ptu"
            } else {
                "payg"
            };
            budget::Retirement {
                subject: format!("{} {} {billing} '{}'", w.model.name, w.deployment, w.name),
                date: date.map(|d| d.to_string()),
                days: date.map(|d| (d - as_of).num_days()),
            }
        })
        .collect()
}

/// The monthly cost recorded in an earlier `plan --json` report, which must be in `currency`
/// (reports from before `catalog.currency` existed are in USD).
fn read_baseline(path: &std::path::Path, currency: &str) -> anyhow::Result<f64> {
    let shown = path.display().to_string();
    let error = |message: String| InputError::File {
        kind: "baseline",
        path: shown.clone(),
        line: None,
        message,
    };
    let text = files::read_text(path, files::MAX_BASELINE_BYTES)
        .map_err(|failure| error(failure.to_string()))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| InputError::File {
        kind: "baseline",
        path: shown.clone(),
        line: Some(e.line() as u64),
        message: format!("not JSON: {e}"),
    })?;
    // Plan reports of every schema version (1: notes as strings; 2: notes as objects; 3:
    // cost's service tiers) hold monthly_usd the same way.
    let version = value["schema_version"].as_u64();
    let is_plan_report = matches!(version, Some(1..=3)) && value["deployments"].is_array();
    let theirs = value["catalog"]["currency"].as_str().unwrap_or("USD");
    if is_plan_report && theirs != currency {
        return Err(error(format!(
            "its amounts are in {theirs} and this run's prices in {currency}: make the baseline \
             with the same --prices overlay, so that like is compared with like"
        ))
        .into());
    }
    // A cent at least: from less, an increase runs to hundreds of digits or to infinity.
    match value["monthly_usd"].as_f64() {
        Some(usd) if is_plan_report && usd.is_finite() && usd >= 0.01 => Ok(usd),
        Some(usd) if is_plan_report => Err(error(format!(
            "'monthly_usd' is {}: an increase can only be measured from a cost of at least 0.01",
            if usd == 0.0 || usd.abs() >= 0.01 {
                usd.to_string()
            } else {
                format!("{usd:e}")
            }
        ))
        .into()),
        _ => Err(error(
            "is not a plan report (schema_version 1 to 3 with deployments and monthly_usd): give the \
             output of 'ptuplan plan --json'"
                .into(),
        )
        .into()),
    }
}
