//! The sentences of [`SizingNote`]s.

use crate::note::SizingNote;

/// What `note` says.
pub(super) fn sentence(note: &SizingNote) -> String {
    match *note {}
}
