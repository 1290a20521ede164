//! The `tokens` table: tokens per input and the distribution over requests.

use std::fmt::Write as _;

use comfy_table::Cell;

use super::{finish, name_cell, notes, right, table};
use crate::numfmt::{count, number};
use crate::tokens::count::TokensReport;

/// Renders `tokens`.
pub fn tokens(report: &TokensReport) -> String {
    let mut out = String::new();
    let encoding = match &report.model {
        Some(model) => format!("{} ({model})", report.encoding),
        None => report.encoding.to_string(),
    };
    let mut t = table(&[
        "input", "kind", "count", "tokens", "mean", "p50", "p95", "max",
    ]);
    for f in &report.files {
        t.add_row(vec![
            name_cell(&f.path),
            Cell::new(
                serde_json::to_value(f.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            ),
            right(count(f.distribution.count as f64)),
            right(count(f.total_tokens as f64)),
            right(number(f.distribution.mean, 1, true)),
            right(count(f.distribution.p50)),
            right(count(f.distribution.p95)),
            right(count(f.distribution.max)),
        ]);
    }
    if report.files.len() > 1 {
        let d = &report.distribution;
        t.add_row(vec![
            Cell::new("all"),
            Cell::new(""),
            right(count(d.count as f64)),
            right(count(report.total_tokens as f64)),
            right(number(d.mean, 1, true)),
            right(count(d.p50)),
            right(count(d.p95)),
            right(count(d.max)),
        ]);
    }
    let _ = writeln!(out, "encoding {encoding}");
    let _ = writeln!(out, "{}", finish(t, 0));
    notes(&mut out, &report.notes);
    out
}
