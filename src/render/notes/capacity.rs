//! The sentences of [`CapacityNote`]s.

use crate::note::CapacityNote;

/// What `note` says.
pub(super) fn sentence(note: &CapacityNote) -> String {
    match *note {}
}
