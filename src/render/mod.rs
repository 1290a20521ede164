//! Rendering: finished reports in, bytes out. Tables for people, JSON for scripts, Markdown
//! for pull-request comments.

pub mod cost_text;
pub mod emit;
pub mod emit_apim;
pub mod emit_litellm;
pub mod json;
pub mod markdown;
pub mod notes;
pub mod plot;
pub mod prose;
pub mod table;

pub use crate::text::{clean, escape_controls, is_invisible_or_break, is_printable_name};
