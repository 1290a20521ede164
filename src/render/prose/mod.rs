//! The sentences of report fields: the computing layers fill a field with data, and this
//! module writes what tables, Markdown and JSON show of it.

pub mod cost;
