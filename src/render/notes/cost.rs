//! The sentences of [`CostNote`]s.

use crate::note::CostNote;

/// What `note` says.
pub(super) fn sentence(note: &CostNote) -> String {
    match *note {}
}
