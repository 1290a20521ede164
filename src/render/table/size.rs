//! The `size` tables: one model explained step by step, or several compared.

use std::fmt::Write as _;

use comfy_table::{Cell, Table};

use super::{finish, notes, right, short_source_line, table, wrap};
use crate::calc::sizing::{ModelSizing, SizeReport};
use crate::calc::workload::{MaxTokensSource, TokenSplit};
use crate::catalog::Catalog;
use crate::note::NoteCode;
use crate::numfmt::{count, number, percent, target_percent, trimmed};

/// Renders `size`: one explained model, or a comparison of several.
pub fn size(report: &SizeReport, catalog: &Catalog) -> String {
    let mut out = String::new();
    workload_header(&mut out, report, catalog);
    let mut all_notes = match report.models.as_slice() {
        [only] => explain_model(&mut out, report, only, catalog),
        models => compare_models(&mut out, report, models, catalog),
    };
    all_notes.extend(report.notes.iter().map(|n| n.to_string()));
    notes(&mut out, &all_notes);
    out
}

fn workload_header(out: &mut String, report: &SizeReport, catalog: &Catalog) {
    let _ = writeln!(
        out,
        "Workload  {} RPM ({} QPS) x {} tokens/request = {} TPM",
        count(report.rpm),
        count(report.qps),
        count(report.tokens_per_request),
        count(report.tpm)
    );
    let split = match report.shape.token_split {
        TokenSplit::AssumedAllPrompt => " (split assumed)",
        _ => "",
    };
    let max_tokens = report.shape.max_tokens.map_or("-".to_string(), count);
    let reasoning = if report.shape.reasoning_tokens > 0.0 {
        format!(" + reasoning {}", count(report.shape.reasoning_tokens))
    } else {
        String::new()
    };
    let tokens = format!(
        "          prompt {} + completion {}{reasoning}{split}",
        count(report.shape.prompt_tokens),
        count(report.shape.completion_tokens),
    );
    let rest = format!(
        "cache {}, max_tokens {max_tokens}",
        percent(report.shape.cache_rate)
    );
    // One line when it fits in 80 columns, else the cache and max_tokens on their own.
    if tokens.len() + rest.len() + 2 <= 80 {
        let _ = writeln!(out, "{tokens}, {rest}");
    } else {
        let _ = writeln!(out, "{tokens}\n          {rest}");
    }
    for (side, measured) in [
        ("prompt", &report.measured_prompt),
        ("completion", &report.measured_completion),
    ] {
        if let Some(m) = measured {
            let stat = serde_json::to_value(m.stat)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let line = format!(
                "{side} tokens measured: {stat} of {} {} in {} ({}): {}",
                count(m.distribution.count as f64),
                if m.distribution.count == 1 {
                    "request"
                } else {
                    "requests"
                },
                m.files.join(", "),
                m.encoding,
                count(m.tokens)
            );
            let _ = writeln!(out, "{}", wrap(&line, "          ", "            "));
        }
    }
    let origin = if catalog.origin == "embedded" {
        String::new()
    } else {
        format!(" {}", catalog.origin)
    };
    let _ = writeln!(
        out,
        "Sizing    {} deployments: provisioned PTU and standard quota",
        report.deployment
    );
    let line = format!(
        "utilization target {}, catalog{origin} {}",
        percent(report.target_utilization),
        catalog.as_of
    );
    let _ = writeln!(out, "{}", wrap(&line, "          ", "            "));
    out.push('\n');
}

/// Writes the step-by-step table for one model; returns the notes to print after it.
fn explain_model(
    out: &mut String,
    report: &SizeReport,
    m: &ModelSizing,
    catalog: &Catalog,
) -> Vec<String> {
    let mut t = table(&["step", "formula", "value"]);
    token_rows(&mut t, report, m);
    ptu_rows(&mut t, m);
    quota_rows(&mut t, report, m);
    t.add_row(vec![
        Cell::new("context"),
        Cell::new("provisioned / standard"),
        right(format!(
            "{} / {}",
            fits(m.fits_context),
            fits(m.fits_context_standard)
        )),
    ]);
    let _ = writeln!(out, "{} on {} provisioned", m.model, m.deployment);
    let _ = writeln!(out, "{}", finish(t, 1));
    if let Ok(model) = catalog.find(&m.model) {
        let source = short_source_line(catalog, &model.sources.provisioned);
        let _ = writeln!(out, "\n{}", wrap(&source, "source: ", "  "));
    }
    m.notes.iter().map(|n| n.to_string()).collect()
}

/// Input, output and normalized tokens a minute, with their formulas.
fn token_rows(t: &mut Table, report: &SizeReport, m: &ModelSizing) {
    let rpm = count(report.rpm);
    t.add_row(vec![
        Cell::new("input TPM"),
        Cell::new(format!(
            "{rpm} RPM x {} prompt",
            count(report.shape.prompt_tokens)
        )),
        right(count(report.input_tpm)),
    ]);
    t.add_row(vec![
        Cell::new("output TPM"),
        Cell::new(if report.shape.reasoning_tokens > 0.0 {
            format!(
                "{rpm} RPM x ({} completion + {} reasoning)",
                count(report.shape.completion_tokens),
                count(report.shape.reasoning_tokens)
            )
        } else {
            format!(
                "{rpm} RPM x {} completion",
                count(report.shape.completion_tokens)
            )
        }),
        right(count(report.output_tpm)),
    ]);
    let plain = report.shape.cache_write_rate == 0.0 && !m.long_context;
    let cache = if !plain {
        format!(" x {}", trimmed(m.prompt_factor, 4))
    } else if report.shape.cache_rate == 0.0 {
        String::new()
    } else if m.cached_input_weight == 0.0 {
        format!(" x (1 - {})", percent(report.shape.cache_rate))
    } else {
        format!(
            " x (1 - {c} + {c} x {})",
            number(m.cached_input_weight, 2, true),
            c = percent(report.shape.cache_rate)
        )
    };
    t.add_row(vec![
        Cell::new("normalized TPM"),
        Cell::new(format!(
            "{}{cache} + {} x {}",
            count(report.input_tpm),
            number(m.output_weight_applied, 2, true),
            count(report.output_tpm)
        )),
        right(count(m.normalized_tpm)),
    ]);
}

/// PTUs: raw, rounded to the deployment grid, the utilization, and the same at the target.
fn ptu_rows(t: &mut Table, m: &ModelSizing) {
    t.add_row(vec![
        Cell::new("PTU raw"),
        Cell::new(format!(
            "{} / {} input TPM per PTU",
            count(m.normalized_tpm),
            count(m.input_tpm_per_ptu)
        )),
        right(number(m.ptu_raw, 2, false)),
    ]);
    t.add_row(vec![
        Cell::new("PTU"),
        Cell::new(format!(
            "up to a multiple of {}, at least {}",
            m.increment, m.min_ptu
        )),
        right(count(m.ptu as f64)),
    ]);
    t.add_row(vec![
        Cell::new("utilization"),
        Cell::new(format!(
            "{} / {}",
            number(m.ptu_raw, 2, false),
            count(m.ptu as f64)
        )),
        right(percent(m.utilization)),
    ]);
    if m.target_utilization < 1.0 {
        t.add_row(vec![
            Cell::new(format!("PTU at {}", percent(m.target_utilization))),
            Cell::new(format!(
                "{} / {}, rounded the same way",
                number(m.ptu_raw, 2, false),
                percent(m.target_utilization)
            )),
            right(count(m.ptu_for_target as f64)),
        ]);
        t.add_row(vec![
            Cell::new("utilization"),
            Cell::new(format!(
                "{} / {}",
                number(m.ptu_raw, 2, false),
                m.ptu_for_target
            )),
            right(percent(m.utilization_for_target)),
        ]);
    }
}

/// The standard quota: the even-arrival answer, the Poisson one and the one at the target.
fn quota_rows(t: &mut Table, report: &SizeReport, m: &ModelSizing) {
    let rpm = count(report.rpm);
    match (m.rpm_per_1000_tpm, m.standard_tpm_quota, m.binding) {
        (Some(ratio), Some(quota), Some(binding)) => {
            let admitted = report.rpm * m.admission_tokens_per_request;
            t.add_row(vec![
                Cell::new("quota, even"),
                Cell::new(format!(
                    "max({} TPM admitted, {rpm} RPM / {} x 1,000)",
                    count(admitted),
                    number(ratio, 4, true),
                )),
                right(count(m.standard_tpm_quota_even.unwrap_or(quota) as f64)),
            ]);
            t.add_row(vec![
                Cell::new("standard quota"),
                Cell::new(format!(
                    "random arrivals, <= {} 429s, {} windows, units of {}; {} binds",
                    target_percent(report.max_throttle),
                    report.rpm_window.as_str(),
                    count(f64::from(m.standard_quota_unit_tpm)),
                    binding.as_str()
                )),
                right(count(quota as f64)),
            ]);
            if let Some(for_target) = m
                .standard_tpm_quota_for_target
                .filter(|_| m.target_utilization < 1.0)
            {
                t.add_row(vec![
                    Cell::new(format!("quota at {}", percent(m.target_utilization))),
                    Cell::new(format!(
                        "{} / {}",
                        count(quota as f64),
                        percent(m.target_utilization)
                    )),
                    right(count(for_target as f64)),
                ]);
            }
        }
        _ => {
            t.add_row(vec![
                Cell::new("standard quota"),
                Cell::new("no published RPM-per-TPM ratio"),
                right("n/a"),
            ]);
        }
    }
}

fn fits(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "fits",
        Some(false) => "TOO LONG",
        None => "unknown",
    }
}

/// Writes one row per model and a legend; returns the notes to print after it.
fn compare_models(
    out: &mut String,
    report: &SizeReport,
    models: &[ModelSizing],
    catalog: &Catalog,
) -> Vec<String> {
    let with_target = report.target_utilization < 1.0;
    let ptu_header = if with_target {
        format!("PTU@{}", percent(report.target_utilization))
    } else {
        "PTU".to_string()
    };
    let header = [
        "model",
        "TPM/PTU",
        "out",
        "PTU raw",
        &ptu_header,
        "util",
        "std quota",
        "binds",
    ];
    let mut t = table(&header);
    for m in models {
        let too_long = m.fits_context == Some(false) || m.fits_context_standard == Some(false);
        let marker = format!(
            "{}{}",
            if m.unverified.is_empty() { "" } else { "*" },
            if too_long { "!" } else { "" }
        );
        let (ptu, utilization, quota) = if with_target {
            (
                m.ptu_for_target,
                m.utilization_for_target,
                m.standard_tpm_quota_for_target,
            )
        } else {
            (m.ptu, m.utilization, m.standard_tpm_quota)
        };
        t.add_row(vec![
            Cell::new(format!("{}{marker}", m.model)),
            right(count(m.input_tpm_per_ptu)),
            right(number(m.output_weight, 2, true)),
            right(number(m.ptu_raw, 2, false)),
            right(count(ptu as f64)),
            right(percent(utilization)),
            right(quota.map_or("n/a".to_string(), |q| count(q as f64))),
            Cell::new(m.binding.map_or("-", |b| b.as_str())),
        ]);
    }
    let _ = writeln!(out, "{}", finish(t, 0));
    legend_lines(out, report, models);
    warning_lines(out, report, models, catalog);
    // Limits a request or deployment exceeds; the other per-model notes are the legend's marks.
    models
        .iter()
        .flat_map(|m| {
            m.notes
                .iter()
                .filter(|n| n.code == NoteCode::PtuSize)
                .map(move |n| format!("{}: {n}", m.model))
        })
        .collect()
}

/// The comparison table's legend: columns, marks, and the target utilization.
fn legend_lines(out: &mut String, report: &SizeReport, models: &[ModelSizing]) {
    let with_target = report.target_utilization < 1.0;
    let mut legend = vec![
        "out = output weight (one output token counts as this many input tokens); \
         util = peak utilization of PTU"
            .to_string(),
        format!(
            "std quota = standard (pay-as-you-go) TPM quota, in whole units, that refuses at \
             most {} of first attempts of random arrivals ({} request windows); binds = the \
             limit that needs it (tpm or rpm); n/a = no published RPM ratio",
            target_percent(report.max_throttle),
            report.rpm_window.as_str()
        ),
    ];
    if models.iter().any(|m| !m.unverified.is_empty()) {
        legend.push(
            "* catalog value UNVERIFIED or conflicting: see 'ptuplan models NAME'".to_string(),
        );
    }
    if with_target {
        legend.push(format!(
            "PTU and std quota keep peak utilization at or under {}; --json also has the 100% sizes",
            percent(report.target_utilization)
        ));
    }
    if models
        .iter()
        .any(|m| m.fits_context == Some(false) || m.fits_context_standard == Some(false))
    {
        legend.push("! request does not fit the context window (see notes)".to_string());
    }
    for line in legend {
        let _ = writeln!(out, "{}", wrap(&line, "", "  "));
    }
}

/// What the comparison leaves out or assumes: reasoning models without `--reasoning`, default
/// `max_tokens`, models not offered for the deployment type.
fn warning_lines(out: &mut String, report: &SizeReport, models: &[ModelSizing], catalog: &Catalog) {
    let no_reasoning = report.shape.reasoning_tokens == 0.0;
    let reasoning: Vec<&str> = models
        .iter()
        .filter(|m| no_reasoning && catalog.find(&m.model).is_ok_and(|c| c.reasoning))
        .map(|m| m.model.as_str())
        .collect();
    if !reasoning.is_empty() {
        let line = format!(
            "reasoning models sized without --reasoning (their hidden reasoning tokens are \
             output, so the load is undersized): {}",
            reasoning.join(", ")
        );
        let _ = writeln!(out, "{}", wrap(&line, "", "  "));
    }
    let defaults: Vec<String> = models
        .iter()
        .filter(|m| m.max_tokens_source == MaxTokensSource::ModelDefault)
        .map(|m| {
            let max = m.admission_tokens_per_request - report.shape.prompt_tokens;
            format!(
                "{} ({})",
                m.model,
                count(max / f64::from(report.shape.best_of))
            )
        })
        .collect();
    if !defaults.is_empty() {
        let line = format!(
            "std quota counts the documented default max_tokens of {} (no --max-tokens)",
            defaults.join(", ")
        );
        let _ = writeln!(out, "{}", wrap(&line, "", "  "));
    }
    if !report.skipped.is_empty() {
        let names: Vec<&str> = report.skipped.iter().map(|s| s.model.as_str()).collect();
        let line = format!(
            "not offered as {} provisioned: {}",
            report.deployment,
            names.join(", ")
        );
        let _ = writeln!(out, "{}", wrap(&line, "", "  "));
    }
}
