//! Rendering: finished reports in, bytes out. Tables for people, JSON for scripts.

pub mod json;
pub mod plot;
pub mod table;
