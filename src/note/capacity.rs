//! What the notes from checking what a deployment can serve say, as data.

/// A note from checking what a deployment can serve.
#[derive(Debug, Clone, PartialEq)]
pub enum CapacityNote {}
