//! Tables for people: the formula's inputs and steps, readable numbers, notes for assumptions.
//! Tables are laid out to fit 80 columns. One module per command; shared layout helpers here.

mod analyze;
mod capacity;
mod cost;
mod models;
mod plan;
mod simulate;
mod size;
mod tokens;

pub use analyze::analyze;
pub use capacity::capacity;
pub use cost::cost;
pub use models::{model_detail, model_regions, models};
pub use plan::plan;
pub use simulate::simulate;
pub use size::size;
pub use tokens::tokens;

use std::fmt::Write as _;

use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, LineStyle, Table, TableStyle, Width,
};

use crate::catalog::Catalog;

/// No vertical lines; one rule under the header.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// Width every table and paragraph is laid out for.
const WIDTH: usize = 80;
/// Narrowest a wrapped column may become.
const MIN_WRAPPED_WIDTH: usize = 12;

pub(crate) fn table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table.load_style(STYLE).set_width(WIDTH as u16);
    if !header.is_empty() {
        table.set_header(header.to_vec());
    }
    table
}

/// Finishes a table: one space between columns, none at the left edge. When the table would be
/// wider than [`WIDTH`], only the cells of column `wrap` wrap; the others keep their width.
pub(crate) fn finish(mut table: Table, wrap: usize) -> String {
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
pub(crate) fn wrap(text: &str, first: &str, indent: &str) -> String {
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

/// Longest text a table cell shows of a name from the user's input (a log's deployment, a
/// plan's workload, a file path): longer ones are cut with `…`, so one huge name cannot make
/// the layout slow or the table unreadable.
pub const MAX_CELL_CHARS: usize = 60;
/// Longest note printed under a table, in characters (notes quote names from input).
pub const MAX_NOTE_CHARS: usize = 1000;

/// A cell for a name that came from input: control characters escaped, cut to
/// [`MAX_CELL_CHARS`].
pub(crate) fn name_cell(text: &str) -> Cell {
    Cell::new(crate::render::clean(text, MAX_CELL_CHARS))
}

pub(crate) fn right(text: impl ToString) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

pub(crate) fn notes<T: std::fmt::Display>(out: &mut String, notes: &[T]) {
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nnotes:");
    for note in notes {
        let note = crate::render::clean(&note.to_string(), MAX_NOTE_CHARS);
        let _ = writeln!(out, "{}", wrap(&note, "- ", "  "));
    }
}

pub(crate) fn source_line(catalog: &Catalog, id: &str) -> String {
    match catalog.sources.get(id) {
        Some(source) => format!("{id} ({}): {}", source.date, source.title),
        None => id.to_string(),
    }
}

/// The source's title up to its first parenthesis (the repository path), with its date.
pub(crate) fn short_source_line(catalog: &Catalog, id: &str) -> String {
    match catalog.sources.get(id) {
        Some(source) => {
            let title = source.title.split(" (").next().unwrap_or(&source.title);
            format!("{id}, {title} ({})", source.date)
        }
        None => id.to_string(),
    }
}
