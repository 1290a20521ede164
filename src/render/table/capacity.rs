//! The `capacity` table.

use std::fmt::Write as _;

use comfy_table::{Cell, Table};

use super::{finish, notes, right, table};
use crate::calc::capacity::{CapacityReport, LimitKind};
use crate::numfmt::{count, number, percent, target_percent};

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
        LimitKind::Standard => standard_rows(&mut out, &mut t, report, &target),
        LimitKind::Provisioned => provisioned_rows(&mut out, &mut t, report),
    }
    max_rows(&mut t, report, &target);
    let _ = writeln!(out, "{}", finish(t, 1));
    notes(&mut out, &report.notes);
    out
}

/// A standard quota: the tokens each request is counted at, and the two RPM limits.
fn standard_rows(out: &mut String, t: &mut Table, report: &CapacityReport, target: &str) {
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
    let shape = &report.shape;
    let counted_output = report.counted_tokens_per_request - shape.prompt_tokens;
    let per_choice = counted_output / f64::from(shape.best_of);
    let output = if shape.best_of > 1 {
        format!("{} x {} max_tokens", shape.best_of, count(per_choice))
    } else if shape.max_tokens.is_some() || counted_output != shape.output_tokens() {
        format!("{} max_tokens", count(counted_output))
    } else if shape.reasoning_tokens > 0.0 {
        format!(
            "{} completion + {} reasoning",
            count(shape.completion_tokens),
            count(shape.reasoning_tokens)
        )
    } else {
        format!("{} completion", count(counted_output))
    };
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

/// A provisioned deployment: its capacity and the normalized tokens of a request.
fn provisioned_rows(out: &mut String, t: &mut Table, report: &CapacityReport) {
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

/// The largest rate: RPM (and for random arrivals), QPS and the TPM it carries.
fn max_rows(t: &mut Table, report: &CapacityReport, target: &str) {
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
    if let Some(random) = report.max_rpm_random {
        t.add_row(vec![
            Cell::new("max RPM, random"),
            Cell::new(format!(
                "random arrivals, <= {} 429s, {} windows",
                target_percent(report.max_throttle),
                report.rpm_window.as_str()
            )),
            right(count(random)),
        ]);
    }
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
}
