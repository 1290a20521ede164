//! The `models` tables: the catalog in one table, or one model in full.

use std::fmt::Write as _;

use comfy_table::Cell;

use super::{finish, name_cell, right, source_line, table, wrap};
use crate::calc::sizing::field_name;
use chrono::NaiveDate;

use crate::catalog::{Availability, Catalog, Model};
use crate::deployment::{DeploymentType, Sku};
use crate::lifecycle::{LifecycleView, Lifecycles, ReleaseStatus, Stage};
use crate::numfmt::{count, money, number};

/// Renders the catalog as one row per model, then where the models stand on `--as-of`.
pub fn models(catalog: &Catalog, lifecycle: &Lifecycles) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "catalog {} as of {}: {} models",
        catalog.origin,
        catalog.as_of,
        catalog.models.len()
    );
    let mut t = table(&[
        "model",
        "TPM/PTU",
        "out",
        "global",
        "data-zone",
        "regional",
        "RPM/1K",
        "context",
    ]);
    for model in &catalog.models {
        let marker = if model.unverified.is_empty() { "" } else { "*" };
        let mut row = vec![
            name_cell(&format!("{}{marker}", model.name)),
            right(count(model.input_tpm_per_ptu)),
            right(number(model.output_weight, 2, true)),
        ];
        for deployment in DeploymentType::ALL {
            row.push(right(grid(model, deployment)));
        }
        row.push(right(
            model
                .rpm_per_1000_tpm_for(DeploymentType::Global)
                .map_or("-".to_string(), |r| number(r, 2, true)),
        ));
        row.push(right(context_summary(model)));
        t.add_row(row);
    }
    let _ = writeln!(out, "{}", finish(t, 0));
    let legend = [
        "global, data-zone, regional = provisioned minimum/increment in PTU (- = not offered)",
        "RPM/1K = standard RPM per 1,000 TPM (global); context = max prompt/output tokens",
        "* some values UNVERIFIED or conflicting: 'ptuplan models NAME' has sources, notes",
    ];
    for line in legend {
        let _ = writeln!(out, "{}", wrap(line, "", "  "));
    }
    for note in lifecycle.notes() {
        let _ = writeln!(out, "{}", wrap(&note.to_string(), "", "  "));
    }
    out
}

fn grid(model: &Model, deployment: DeploymentType) -> String {
    model.provisioned(deployment).map_or("-".to_string(), |g| {
        format!("{}/{}", g.min_ptu, g.increment)
    })
}

/// Token limits in short form: `128K`, `32.8K`, `1.05M`.
fn short_tokens(n: u64) -> String {
    if n >= 1_000_000 {
        format!("{}M", number(n as f64 / 1e6, 2, true))
    } else if n >= 1000 && n.is_multiple_of(1000) {
        format!("{}K", n / 1000)
    } else if n >= 1000 {
        format!("{}K", number(n as f64 / 1000.0, 1, true))
    } else {
        n.to_string()
    }
}

fn context_summary(model: &Model) -> String {
    let Some(context) = model.context else {
        return "-".to_string();
    };
    let input = context
        .max_input
        .or(context.max_total)
        .map_or("?".to_string(), short_tokens);
    let output = context.max_output.map_or("?".to_string(), short_tokens);
    format!("{input}/{output}")
}

/// Priority, flex and batch: where offered, with the priority latency target and prices and
/// the batch enqueued-token quotas per subscription type.
fn tier_rows(model: &Model, catalog: &Catalog) -> Vec<(&'static str, String)> {
    let types = |deployments: &[DeploymentType]| {
        let names: Vec<&str> = deployments.iter().map(|d| d.as_str()).collect();
        names.join(", ")
    };
    let priority = model
        .priority
        .as_ref()
        .map_or("not offered".to_string(), |p| {
            let prices: Vec<String> = p
                .prices
                .iter()
                .map(|(d, t)| {
                    let cur = catalog.currency.as_str();
                    format!(
                        "{d} {} in, {} out",
                        money(cur, &t.input.to_string()),
                        money(cur, &t.output.to_string())
                    )
                })
                .collect();
            format!(
                "{} ({}); {}{}",
                types(&p.deployments),
                p.source,
                p.latency_target.as_deref().unwrap_or("no latency target"),
                if prices.is_empty() {
                    "; no price in the catalog".to_string()
                } else {
                    format!(
                        "; {} per 1M ({}{})",
                        prices.join("; "),
                        p.prices_source.as_deref().unwrap_or("-"),
                        if p.prices_unverified {
                            ", UNVERIFIED"
                        } else {
                            ""
                        }
                    )
                }
            )
        });
    let flex = model.flex.as_ref().map_or("not offered".to_string(), |f| {
        format!("{} ({}), 50% of standard", types(&f.deployments), f.source)
    });
    let batch: Vec<String> = catalog
        .batch_quotas()
        .iter()
        .filter(|q| q.model == model.name)
        .map(|q| {
            let limits: Vec<String> = q
                .enqueued_tokens
                .iter()
                .map(|(s, n)| format!("{s} {}", crate::numfmt::short(*n as f64)))
                .collect();
            format!(
                "{} ({}) enqueued tokens: {}",
                q.deployment,
                q.source,
                limits.join(", ")
            )
        })
        .collect();
    vec![
        ("priority", priority),
        ("flex", flex),
        (
            "batch",
            if batch.is_empty() {
                "not offered".to_string()
            } else {
                batch.join("; ")
            },
        ),
    ]
}

/// Renders one model in full, with its lifecycle on `--as-of`, sources and notes.
pub fn model_detail(model: &Model, catalog: &Catalog, lifecycle: &Lifecycles) -> String {
    let mut out = String::new();
    let mut t = table(&[]);
    let mut row = |key: &str, value: String| {
        t.add_row(vec![Cell::new(key), Cell::new(value)]);
    };
    row("model", model.name.clone());
    if !model.aliases.is_empty() {
        row("aliases", model.aliases.join(", "));
    }
    row("input TPM per PTU", count(model.input_tpm_per_ptu));
    row("output weight", number(model.output_weight, 4, true));
    row(
        "cached input weight",
        number(model.cached_input_weight, 4, true),
    );
    deployment_rows(model, &mut row);
    context_rows(model, &mut row);
    if let Some(latency) = &model.latency_target {
        row("latency target", latency.clone());
    }
    price_rows(model, catalog, &mut row);
    for (key, value) in tier_rows(model, catalog) {
        row(key, value);
    }
    for view in &lifecycle.models {
        lifecycle_rows(view, lifecycle.as_of, &mut row);
    }
    source_rows(model, &mut row);
    let _ = writeln!(out, "{}", finish(t, 1));
    let _ = writeln!(out, "\nsources:");
    for id in catalog.cited_sources(model) {
        let _ = writeln!(out, "{}", wrap(&source_line(catalog, &id), "- ", "  "));
    }
    if let Some(note) = &model.note {
        let _ = writeln!(out, "\n{}", wrap(note, "note: ", "  "));
    }
    if let Some(note) = model.lifecycle.as_ref().and_then(|l| l.note.as_ref()) {
        let _ = writeln!(out, "{}", wrap(note, "lifecycle note: ", "  "));
    }
    out
}

/// Provisioned grids and standard RPM ratios per deployment type.
fn deployment_rows(model: &Model, row: &mut impl FnMut(&str, String)) {
    for deployment in DeploymentType::ALL {
        let value = model
            .provisioned(deployment)
            .map_or("not offered".to_string(), |g| {
                format!("minimum {} PTU, increment {}", g.min_ptu, g.increment)
            });
        row(&format!("{deployment} provisioned"), value);
    }
    for deployment in DeploymentType::ALL {
        row(
            &format!("{deployment} standard"),
            model
                .rpm_per_1000_tpm_for(deployment)
                .map_or("RPM ratio not published".to_string(), |r| {
                    format!("{} RPM per 1,000 TPM", number(r, 4, true))
                }),
        );
    }
}

/// Context limits, when published.
fn context_rows(model: &Model, row: &mut impl FnMut(&str, String)) {
    if let Some(context) = model.context {
        let limits = [
            ("max prompt", context.max_input),
            ("max output", context.max_output),
            ("context window", context.max_total),
            ("provisioned max prompt", context.provisioned_max_input),
            ("standard context window", context.standard_max_total),
        ];
        for (label, limit) in limits {
            if let Some(limit) = limit {
                row(label, format!("{} tokens", count(limit as f64)));
            }
        }
    } else {
        row("context window", "not published".to_string());
    }
}

/// Pay-as-you-go token prices per deployment type.
fn price_rows(model: &Model, catalog: &Catalog, row: &mut impl FnMut(&str, String)) {
    for deployment in DeploymentType::ALL {
        let value = model
            .prices
            .get(&deployment)
            .map_or("not in the catalog".to_string(), |p| {
                let cur = catalog.currency.as_str();
                let cached = p
                    .cached
                    .map_or("-".to_string(), |c| money(cur, &c.to_string()));
                format!(
                    "{} in, {cached} cached, {} out per 1M tokens",
                    money(cur, &p.input.to_string()),
                    money(cur, &p.output.to_string())
                )
            });
        row(&format!("{deployment} PAYG price"), value);
    }
}

/// UNVERIFIED fields and the sources of the model's numbers.
fn source_rows(model: &Model, row: &mut impl FnMut(&str, String)) {
    if !model.unverified.is_empty() {
        let fields: Vec<String> = model.unverified.iter().map(field_name).collect();
        row("UNVERIFIED", fields.join(", "));
    }
    let cited = [
        ("PTU numbers", Some(&model.sources.provisioned)),
        ("RPM ratio", model.sources.standard.as_ref()),
        ("context", model.sources.context.as_ref()),
        ("lifecycle", model.lifecycle.as_ref().map(|l| &l.source)),
    ];
    for (what, id) in cited {
        if let Some(id) = id {
            row(&format!("{what} from"), id.clone());
        }
    }
}

/// The lifecycle rows of `models NAME`: stage on `as_of`, dates, replacement, SKU exceptions.
fn lifecycle_rows(view: &LifecycleView, as_of: NaiveDate, row: &mut impl FnMut(&str, String)) {
    let stage = match view.stage {
        Stage::Retired => "retired",
        Stage::Retiring => "retiring",
        Stage::Deprecated => "deprecated (no new customers)",
        Stage::Current => "current",
        Stage::NotPublished => "no lifecycle published",
    };
    let status = match view.status {
        Some(ReleaseStatus::Ga) => ", GA",
        Some(ReleaseStatus::Preview) => ", preview",
        Some(ReleaseStatus::Legacy) => ", legacy",
        None => "",
    };
    let version = view
        .version
        .as_ref()
        .map(|v| format!(", version {v}"))
        .unwrap_or_default();
    row(
        &format!("lifecycle on {as_of}"),
        format!("{stage}{status}{version}"),
    );
    let date = |day: Option<NaiveDate>| day.map_or("not published".to_string(), |d| d.to_string());
    if view.stage != Stage::NotPublished {
        row("deprecation", date(view.deprecation));
        let days = view
            .days_to_retirement
            .map(|d| match d {
                d if d > 0 => format!(" (in {d} days)"),
                d if d < 0 => format!(" ({} days ago)", -d),
                _ => " (today)".to_string(),
            })
            .unwrap_or_default();
        row("retirement", format!("{}{days}", date(view.retirement)));
        row(
            "replacement",
            view.replacement
                .clone()
                .unwrap_or_else(|| "not published".to_string()),
        );
        if let Some(m) = view
            .migration
            .as_ref()
            .filter(|m| m.retired || !m.via.is_empty())
        {
            let value = if m.retired {
                format!("none current: {} is retired and names no successor", m.to)
            } else {
                format!("{} (via retired {})", m.to, m.via.join(", "))
            };
            row("migrate to", value);
        }
    }
    for (sku, dates) in &view.by_sku {
        let mut parts = Vec::new();
        if let Some(day) = dates.deprecation {
            parts.push(format!("deprecation {day}"));
        }
        if let Some(day) = dates.retirement {
            parts.push(format!("retirement {day}"));
        }
        if let Some(note) = &dates.note {
            parts.push(note.clone());
        }
        row(&format!("{sku} lifecycle"), parts.join("; "));
    }
}

/// `models NAME --regions`: per Azure SKU, the regions the model is offered in.
pub fn model_regions(model: &Model, offered: &[&Availability], catalog: &Catalog) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: regions per Azure SKU", model.name);
    let mut t = table(&["SKU", "regions", "source"]);
    for sku in Sku::ALL {
        let (regions, source) = match offered.iter().find(|a| a.sku == sku) {
            Some(a) => (a.regions.join(", "), a.source.clone()),
            None => ("not in the catalog".to_string(), "-".to_string()),
        };
        t.add_row(vec![
            Cell::new(sku.as_str()),
            Cell::new(regions),
            Cell::new(source),
        ]);
    }
    let _ = writeln!(out, "{}", finish(t, 1));
    let mut cited: Vec<&str> = offered.iter().map(|a| a.source.as_str()).collect();
    cited.dedup();
    if !cited.is_empty() {
        let _ = writeln!(out, "\nsources:");
    }
    for id in cited {
        let _ = writeln!(out, "{}", wrap(&source_line(catalog, id), "- ", "  "));
    }
    out
}
