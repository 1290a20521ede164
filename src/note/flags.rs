//! What the notes on flags given but not used say, as data.

use super::NoteText;

/// A flag the answer was given but does not use, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagNote {
    /// `cost --cache-rate` with a profile whose `cached` column gives the cached tokens.
    CacheRateFromProfile,
    /// `cost --flex-availability` when flex is not priced.
    FlexAvailabilityUnpriced,
    /// `cost`'s priority flags when priority is not priced.
    PriorityFlagsUnpriced,
    /// `simulate --flex-availability` without a `--flex-quota` candidate.
    FlexAvailabilityWithoutCandidate,
    /// `simulate --priority-ramp-floor` without a `--priority-quota` candidate.
    PriorityRampFloorWithoutCandidate,
}

impl From<FlagNote> for NoteText {
    fn from(note: FlagNote) -> NoteText {
        NoteText::Flag(note)
    }
}
