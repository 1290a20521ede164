//! The sentences of [`FlagNote`]s.

use crate::note::FlagNote;

/// What `note` says.
pub(super) fn sentence(note: FlagNote) -> &'static str {
    match note {
        FlagNote::CacheRateFromProfile => {
            "--cache-rate is not used: the profile's 'cached' column gives the cached tokens"
        }
        FlagNote::FlexAvailabilityUnpriced => {
            "--flex-availability: not used, as flex is not priced here (see 'not priced')"
        }
        FlagNote::PriorityFlagsUnpriced => {
            "the priority flags: not used, as priority is not priced here (see 'not priced')"
        }
        FlagNote::FlexAvailabilityWithoutCandidate => {
            "--flex-availability: not used without a --flex-quota candidate"
        }
        FlagNote::PriorityRampFloorWithoutCandidate => {
            "--priority-ramp-floor: not used without a --priority-quota candidate"
        }
    }
}
