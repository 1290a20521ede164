//! ptuplan: a capacity planner for LLM endpoints, Azure OpenAI first.
//!
//! The crate is split the way data flows:
//! - [`cli`] and [`input`] parse the command line;
//! - [`catalog`] loads and validates the model catalog (`models.toml`); [`lifecycle`] says
//!   where a catalog model stands on a day;
//! - [`calc`] is the pure calculation core (sizing, standard quota, capacity);
//! - [`traffic`] reads request logs and finds their true peaks;
//! - [`retail`] reads Microsoft's Retail Prices API pages into a price overlay;
//! - [`sim`] is the pure discrete-event simulator of Azure OpenAI's rate limiters;
//! - [`render`] turns reports into tables or JSON;
//! - [`app`] wires them together and is the only place that does I/O.

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
