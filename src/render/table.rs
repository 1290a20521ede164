//! Tables for people: the formula's inputs and steps, readable numbers, notes for assumptions.
//! Tables are laid out to fit 80 columns.

use std::fmt::Write as _;

use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, LineStyle, Table, TableStyle, Width,
};

use crate::calc::capacity::{CapacityReport, LimitKind};
use crate::calc::sizing::{ModelSizing, SizeReport, field_name};
use crate::calc::workload::TokenSplit;
use crate::catalog::{Catalog, Model};
use crate::deployment::DeploymentType;
use crate::numfmt::{count, number, percent};

/// No vertical lines; one rule under the header.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// Width every table and paragraph is laid out for.
const WIDTH: usize = 80;
/// Narrowest a wrapped column may become.
const MIN_WRAPPED_WIDTH: usize = 12;

fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_style(STYLE).set_width(WIDTH as u16);
    if !header.is_empty() {
        table.set_header(header.to_vec());
    }
    table
}

/// Finishes a table: one space between columns, none at the left edge. When the table would be
/// wider than [`WIDTH`], only the cells of column `wrap` wrap; the others keep their width.
fn finish(mut table: Table, wrap: usize) -> String {
    for column in table.column_iter_mut() {
        column.set_padding((0, 1));
    }
    let natural = table.trim_fmt();
    if natural.lines().all(|line| line.chars().count() <= WIDTH) {
        return natural;
    }
    // Too wide: keep every other column at its natural width and wrap column `wrap`, unless
    // that would leave it too narrow to read; then the table stays wide.
    let widths: Vec<u16> = (0..table.column_count())
        .map(|i| {
            table
                .column_cells_with_header_iter(i)
                .flatten()
                .flat_map(|cell| {
                    cell.content()
                        .lines()
                        .map(|l| l.chars().count())
                        .collect::<Vec<_>>()
                })
                .max()
                .unwrap_or(0) as u16
        })
        .collect();
    let others: usize = widths
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != wrap)
        .map(|(_, width)| usize::from(*width) + 2)
        .sum();
    if others + MIN_WRAPPED_WIDTH > WIDTH {
        return natural;
    }
    for (index, (column, width)) in table.column_iter_mut().zip(widths).enumerate() {
        if index != wrap {
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(width + 1)));
        }
    }
    table.set_content_arrangement(ContentArrangement::Dynamic);
    table.trim_fmt()
}

/// Word-wraps `text` to [`WIDTH`], starting with `first` and indenting the rest by `indent`.
fn wrap(text: &str, first: &str, indent: &str) -> String {
    let mut out = String::from(first);
    let mut line_len = first.chars().count();
    let mut at_line_start = true;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if !at_line_start && line_len + 1 + len > WIDTH {
            out.push('\n');
            out.push_str(indent);
            line_len = indent.chars().count();
            at_line_start = true;
        }
        if !at_line_start {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
        at_line_start = false;
    }
    out
}

fn right(text: impl ToString) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// Renders `size`: one explained model, or a comparison of several.
pub fn size(report: &SizeReport, catalog: &Catalog) -> String {
    let mut out = String::new();
    workload_header(&mut out, report, catalog);
    let mut all_notes = match report.models.as_slice() {
        [only] => explain_model(&mut out, report, only, catalog),
        models => compare_models(&mut out, report, models),
    };
    all_notes.extend(report.notes.iter().cloned());
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
    let _ = writeln!(
        out,
        "          prompt {} + completion {}{split}, cache {}, max_tokens {max_tokens}",
        count(report.shape.prompt_tokens),
        count(report.shape.completion_tokens),
        percent(report.shape.cache_rate)
    );
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
    let _ = writeln!(
        out,
        "          utilization target {}, catalog{origin} {}",
        percent(report.target_utilization),
        catalog.as_of
    );
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
        Cell::new(format!(
            "{rpm} RPM x {} completion",
            count(report.shape.completion_tokens)
        )),
        right(count(report.output_tpm)),
    ]);
    let cache = if report.shape.cache_rate == 0.0 {
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
            number(m.output_weight, 2, true),
            count(report.output_tpm)
        )),
        right(count(m.normalized_tpm)),
    ]);
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
    match (m.rpm_per_1000_tpm, m.standard_tpm_quota, m.binding) {
        (Some(ratio), Some(quota), Some(binding)) => {
            let admitted = report.rpm
                * (report.shape.prompt_tokens
                    + report
                        .shape
                        .max_tokens
                        .unwrap_or(report.shape.completion_tokens));
            t.add_row(vec![
                Cell::new("standard quota"),
                Cell::new(format!(
                    "max({} TPM admitted, {rpm} RPM / {} x 1,000); {} binds",
                    count(admitted),
                    number(ratio, 4, true),
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
    m.notes.clone()
}

fn fits(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "fits",
        Some(false) => "TOO LONG",
        None => "unknown",
    }
}

/// Writes one row per model and a legend; returns the notes to print after it.
fn compare_models(out: &mut String, report: &SizeReport, models: &[ModelSizing]) -> Vec<String> {
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
    let mut legend = vec![
        "out = output weight (one output token counts as this many input tokens); \
         util = peak utilization of PTU"
            .to_string(),
        "std quota = standard (pay-as-you-go) TPM quota that admits the load; binds = the \
         limit reached first (tpm or rpm); n/a = no published RPM ratio"
            .to_string(),
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
    if !report.skipped.is_empty() {
        let names: Vec<&str> = report.skipped.iter().map(|s| s.model.as_str()).collect();
        let line = format!(
            "not offered as {} provisioned: {}",
            report.deployment,
            names.join(", ")
        );
        let _ = writeln!(out, "{}", wrap(&line, "", "  "));
    }
    // Limits a request or deployment exceeds; the other per-model notes are the legend's marks.
    models
        .iter()
        .flat_map(|m| {
            m.notes
                .iter()
                .filter(|n| n.contains(" exceeds "))
                .map(move |n| format!("{}: {n}", m.model))
        })
        .collect()
}

fn notes(out: &mut String, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nnotes:");
    for note in notes {
        let _ = writeln!(out, "{}", wrap(note, "- ", "  "));
    }
}

/// Renders `capacity`.
pub fn capacity(report: &CapacityReport) -> String {
    let mut out = String::new();
    let mut t = table(&["step", "formula", "value"]);
    let target = if report.target_utilization < 1.0 {
        format!(" x {}", percent(report.target_utilization))
    } else {
        String::new()
    };
    match report.limit {
        LimitKind::Standard => {
            let quota = report.tpm_quota.unwrap_or(report.capacity_tpm);
            let _ = writeln!(
                out,
                "Standard {} quota of {} TPM{}",
                report.deployment,
                count(quota),
                report
                    .model
                    .as_ref()
                    .map_or(String::new(), |m| format!(" for {m}"))
            );
            let output = report.shape.max_tokens.map_or_else(
                || format!("{} completion", count(report.shape.completion_tokens)),
                |m| format!("{} max_tokens", count(m)),
            );
            t.add_row(vec![
                Cell::new("tokens counted"),
                Cell::new(format!(
                    "{} prompt + {output}",
                    count(report.shape.prompt_tokens)
                )),
                right(count(report.counted_tokens_per_request)),
            ]);
            t.add_row(vec![
                Cell::new("RPM by tokens"),
                Cell::new(format!(
                    "{}{target} / {}",
                    count(quota),
                    count(report.counted_tokens_per_request)
                )),
                right(count(
                    quota * report.target_utilization / report.counted_tokens_per_request,
                )),
            ]);
            if let (Some(ratio), Some(limit)) = (report.rpm_per_1000_tpm, report.rpm_limit) {
                t.add_row(vec![
                    Cell::new("RPM limit"),
                    Cell::new(format!(
                        "{} / 1,000 x {}{target}",
                        count(quota),
                        number(ratio, 4, true)
                    )),
                    right(count(limit * report.target_utilization)),
                ]);
            }
        }
        LimitKind::Provisioned => {
            let ptu = report.ptu.unwrap_or_default();
            let model = report.model.clone().unwrap_or_default();
            let _ = writeln!(
                out,
                "{} PTU of {model}, {} provisioned",
                count(ptu),
                report.deployment
            );
            t.add_row(vec![
                Cell::new("capacity"),
                Cell::new(format!(
                    "{} PTU x {} input TPM per PTU",
                    count(ptu),
                    count(report.capacity_tpm / ptu)
                )),
                right(count(report.capacity_tpm)),
            ]);
            t.add_row(vec![
                Cell::new("tokens counted"),
                Cell::new("normalized tokens per request"),
                right(count(report.counted_tokens_per_request)),
            ]);
        }
    }
    let max_formula = match report.limit {
        LimitKind::Provisioned => format!(
            "{}{target} / {}",
            count(report.capacity_tpm),
            count(report.counted_tokens_per_request)
        ),
        LimitKind::Standard => "the smaller of the above".to_string(),
    };
    t.add_row(vec![
        Cell::new("max RPM"),
        Cell::new(format!("{max_formula}; {} binds", report.binding.as_str())),
        right(count(report.max_rpm)),
    ]);
    t.add_row(vec![
        Cell::new("max QPS"),
        Cell::new(format!("{} / 60", count(report.max_rpm))),
        right(count(report.max_qps)),
    ]);
    t.add_row(vec![
        Cell::new("TPM at max"),
        Cell::new(format!(
            "{} x {} tokens per request",
            count(report.max_rpm),
            count(report.tokens_per_request)
        )),
        right(count(report.max_tpm)),
    ]);
    let _ = writeln!(out, "{}", finish(t, 1));
    notes(&mut out, &report.notes);
    out
}

/// Renders the catalog as one row per model.
pub fn models(catalog: &Catalog) -> String {
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
            Cell::new(format!("{}{marker}", model.name)),
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

/// Renders one model in full, with sources and notes.
pub fn model_detail(model: &Model, catalog: &Catalog) -> String {
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
    if let Some(latency) = &model.latency_target {
        row("latency target", latency.clone());
    }
    if !model.unverified.is_empty() {
        let fields: Vec<String> = model.unverified.iter().map(field_name).collect();
        row("UNVERIFIED", fields.join(", "));
    }
    let cited = [
        ("PTU numbers", Some(&model.sources.provisioned)),
        ("RPM ratio", model.sources.standard.as_ref()),
        ("context", model.sources.context.as_ref()),
    ];
    for (what, id) in cited {
        if let Some(id) = id {
            row(&format!("{what} from"), id.clone());
        }
    }
    let _ = writeln!(out, "{}", finish(t, 1));
    let _ = writeln!(out, "\nsources:");
    for id in catalog.cited_sources(model) {
        let _ = writeln!(out, "{}", wrap(&source_line(catalog, &id), "- ", "  "));
    }
    if let Some(note) = &model.note {
        let _ = writeln!(out, "\n{}", wrap(note, "note: ", "  "));
    }
    out
}

fn source_line(catalog: &Catalog, id: &str) -> String {
    match catalog.sources.get(id) {
        Some(source) => format!("{id} ({}): {}", source.date, source.title),
        None => id.to_string(),
    }
}

/// The source's title up to its first parenthesis (the repository path), with its date.
fn short_source_line(catalog: &Catalog, id: &str) -> String {
    match catalog.sources.get(id) {
        Some(source) => {
            let title = source.title.split(" (").next().unwrap_or(&source.title);
            format!("{id}, {title} ({})", source.date)
        }
        None => id.to_string(),
    }
}
