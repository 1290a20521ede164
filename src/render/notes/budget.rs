//! The sentences of [`BudgetNote`]s.

use crate::note::BudgetNote;

/// What `note` says.
pub(super) fn sentence(note: &BudgetNote) -> String {
    match *note {}
}
