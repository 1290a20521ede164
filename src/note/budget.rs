//! What the notes from checking a plan against its budget say, as data.

/// A note from checking a plan against its budget.
#[derive(Debug, Clone, PartialEq)]
pub enum BudgetNote {}
