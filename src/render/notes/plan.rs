//! The sentences of [`PlanNote`]s.

use crate::note::PlanNote;

/// What `note` says.
pub(super) fn sentence(note: &PlanNote) -> String {
    match *note {}
}
