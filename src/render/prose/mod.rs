//! The sentences of report fields: reports carry data, and this module writes what tables,
//! Markdown and JSON show of it.

pub mod simulate;
pub mod sizing;
