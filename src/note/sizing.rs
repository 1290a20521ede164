//! What the notes from sizing a workload on a model say, as data.

/// A note from sizing a workload on a model.
#[derive(Debug, Clone, PartialEq)]
pub enum SizingNote {}
