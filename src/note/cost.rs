//! What the notes from pricing a workload say, as data.

/// A note from pricing a workload.
#[derive(Debug, Clone, PartialEq)]
pub enum CostNote {}
