//! What the notes from pricing a workload say, as data.

use crate::catalog::SubscriptionType;

use super::NoteText;

/// A note from pricing a workload.
#[derive(Debug, Clone, PartialEq)]
pub enum CostNote {
    /// The PTU prices are UNVERIFIED third-party figures (Microsoft's docs give none).
    PtuPricesUnverified,
    /// Priority uses the standard deployment's quota (S58); its prices may be UNVERIFIED.
    PriorityQuota {
        /// The model priced.
        model: String,
        /// Where its priority prices come from, when they are UNVERIFIED third-party figures.
        unverified_source: Option<String>,
        /// Whether the deployment is a data zone, where priority is in the US data zone only.
        data_zone: bool,
    },
    /// The standard quota the hybrid's spillover deployment needs.
    SpilloverQuota {
        /// The quota, in TPM.
        tpm: u64,
    },
    /// No hybrid: the model does not support spillover.
    NoSpillover {
        /// The model's name.
        model: String,
        /// The catalog source of the model's features (None: none given).
        source: Option<String>,
    },
    /// Spillover is computed per minute, so bursts within a minute spill somewhat more.
    SpillPerMinute,
    /// Part of the load is above the PTUs sized for the given peak.
    AbovePeak {
        /// The share of the month's normalized tokens above the PTUs.
        share: f64,
        /// Minutes above the PTUs.
        minutes: u64,
        /// The PTUs sized for the peak.
        ptu: u64,
        /// Whether there is a hybrid to serve it pay-as-you-go.
        hybrid: bool,
    },
    /// Without `--profile`, the load is taken to run at its peak part of the time.
    AtPeakPart {
        /// The share of the time at the peak.
        share: f64,
        /// Whether there is a hybrid, for which this shape is the least favourable.
        hybrid: bool,
    },
    /// Without `--profile` and `--avg-rpm`, the load is taken as flat at the peak all month.
    AtPeakAllMonth,
    /// Minutes of the profile's span have no row and count as no load.
    ProfileGaps {
        /// Minutes without a row.
        missing: f64,
        /// Minutes in the profile's span.
        span: f64,
    },
    /// The profile's minutes are scaled to the month.
    ProfileScaled {
        /// Minutes in the profile's span.
        span: f64,
        /// Minutes in the month.
        month: f64,
        /// The factor.
        scale: f64,
    },
    /// The mix sends less of the load to batch than may wait: the batch quota is the limit.
    MixBatchCapped {
        /// The largest share the mix sends to batch.
        most: f64,
        /// The share that may wait.
        wanted: f64,
        /// The subscription type whose enqueued-token quota applies.
        subscription: SubscriptionType,
        /// The quota's catalog source.
        source: String,
    },
    /// The mix uses only the tiers the interactive latency class allows, searched per minute.
    InteractiveMix,
    /// The mix uses only the tiers the relaxed latency class allows, searched per minute.
    RelaxedMix,
    /// The mix uses only the tiers the deferrable latency class allows, searched per minute.
    DeferrableMix,
    /// A share of the mix's priority overflow rises faster than the ramp limit.
    MixRampDowngraded {
        /// The share of the priority overflow served (and billed) as standard.
        share: f64,
    },
    /// Priority's ramp limit is not judged for the mix without `--profile`.
    MixRampNotJudged,
    /// Priority's ramp limit is not judged without `--profile`.
    RampNotJudged {
        /// The most traffic may rise, as a share, within the window.
        increase: f64,
        /// The window, in minutes.
        window: u64,
        /// The rule's catalog source.
        source: String,
    },
    /// Minutes of the profile rise faster than priority's ramp limit.
    RampDowngraded {
        /// Minutes that rise too fast.
        minutes: u64,
        /// The most traffic may rise, as a share, within the window.
        increase: f64,
        /// The window, in minutes.
        window: u64,
        /// The share of the priority tokens served and billed as standard.
        share: f64,
        /// The rule's catalog source.
        source: String,
    },
    /// Minutes whose average prompt is above priority's long-prompt threshold (S56).
    LongPrompts {
        /// Those minutes.
        minutes: u64,
        /// The threshold, in prompt tokens.
        tokens: u64,
    },
    /// Flex has no SLA and no fallback: a share of attempts finds capacity (S59).
    FlexRetry {
        /// The share of attempts assumed to find capacity.
        availability: f64,
    },
    /// Batch: turnaround, requests and files a day, enqueued tokens against the quota.
    Batch(BatchDay),
}

/// A day of batch against its limits.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchDay {
    /// The share of the load in batch.
    pub share: f64,
    /// Requests a day.
    pub requests: f64,
    /// Input files a day.
    pub files: u64,
    /// Most requests per input file.
    pub requests_per_file: u64,
    /// Prompt tokens enqueued a day if submitted at once.
    pub prompt_tokens: f64,
    /// The subscription type whose quota applies.
    pub subscription: SubscriptionType,
    /// Its enqueued-token quota (None: none).
    pub enqueued_limit: Option<u64>,
}

impl From<CostNote> for NoteText {
    fn from(note: CostNote) -> NoteText {
        NoteText::Cost(note)
    }
}
