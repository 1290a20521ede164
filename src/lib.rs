//! ptuplan: a capacity planner for LLM endpoints, Azure OpenAI first.
//!
//! The crate is split the way data flows (parse → validate → compute → render, with all I/O
//! in [`app`]; the map is in `docs/how-it-works.md`, "Architecture"):
//! - [`cli`] and [`input`] parse the command line;
//! - [`plan_file`] and [`profile`] turn plan files and load profiles into validated requests;
//! - [`catalog`] loads and validates the model catalog (`models.toml`); [`lifecycle`] says
//!   where a catalog model stands on a day; [`retail`] reads Microsoft's Retail Prices API
//!   pages into a price overlay;
//! - [`calc`] is the pure calculation core (sizing, standard quota, capacity, cost, plans);
//! - [`sim`] is the pure discrete-event simulator of Azure OpenAI's rate limiters;
//! - [`traffic`] reads request logs and finds their true peaks; [`tokens`] parses samples and
//!   counts their tokens;
//! - [`render`] turns reports into tables, JSON, Markdown, SVG and the files `emit` writes;
//! - [`note`] holds what notes say, as data (`render` writes the sentences);
//! - [`numfmt`], [`text`], [`deployment`], [`timestamp`] and [`error`] are leaves every step
//!   uses;
//! - [`app`] wires them together, a file per command, and is the only place that does I/O.

pub mod app;
pub mod calc;
pub mod catalog;
pub mod cli;
pub mod deployment;
pub mod error;
pub mod input;
pub mod lifecycle;
pub mod note;
pub mod numfmt;
pub mod plan_file;
pub mod profile;
pub mod render;
pub mod retail;
pub mod sim;
pub mod text;
pub mod timestamp;
pub mod tokens;
pub mod traffic;
