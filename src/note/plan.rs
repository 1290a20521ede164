//! What the notes from sizing and pricing a plan say, as data.

/// A note from sizing and pricing a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanNote {}
