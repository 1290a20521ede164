//! The sentences of [`QuotaNote`]s.

use crate::note::QuotaNote;

/// What `note` says.
pub(super) fn sentence(note: &QuotaNote) -> String {
    match *note {}
}
