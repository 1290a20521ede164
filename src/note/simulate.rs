//! What the notes from setting up and running a simulation say, as data.

use crate::deployment::DeploymentType;

use super::{ContextNote, NoteText};

/// A note from setting up or running a simulation.
#[derive(Debug, Clone, PartialEq)]
pub enum SimulateNote {
    /// A standard quota's RPM, rounded down to whole requests per window, is well below it.
    WindowRounding {
        /// The quota, in TPM.
        tpm_quota: f64,
        /// The RPM it grants.
        rpm: f64,
        /// Requests per window before rounding.
        exact_per_window: f64,
        /// Requests per window after rounding down.
        per_window: f64,
    },
    /// A PTU count that is not a deployable size, simulated as given.
    PtuNotDeployable {
        /// The PTUs given.
        ptu: f64,
        /// The model.
        model: String,
        /// The deployment type.
        deployment: DeploymentType,
        /// The smallest deployment.
        min_ptu: u32,
        /// The step above it.
        increment: u32,
    },
    /// The offered requests were written to a trace file.
    TraceWritten {
        /// The file, as given.
        path: String,
    },
    /// The chart was written.
    PlotWritten {
        /// The file, as given.
        path: String,
    },
    /// A run too short for the PTU buckets to fill.
    ShortRun {
        /// The bucket's length, in seconds.
        bucket_s: f64,
        /// The run's length, in seconds.
        span_s: f64,
        /// The shortest run that is not short, in seconds.
        warm_up_s: f64,
    },
    /// A reasoning model simulated without reasoning tokens.
    ReasoningTokensMissing {
        /// The model.
        model: String,
    },
    /// Standard deployments generate at the PTU latency target's speed, an assumption.
    StandardSpeedAssumed {
        /// The speed assumed, in tokens per second.
        tokens_per_second: f64,
    },
    /// No prices for the model, so no cost.
    NoPrices {
        /// Why, as the price lookup says it.
        reason: String,
    },
    /// The PTU price used is an UNVERIFIED third-party figure.
    PtuPriceUnverified {
        /// The catalog's currency.
        currency: String,
        /// The price per PTU-year.
        ptu_yearly: f64,
        /// The catalog source of the price.
        source: String,
    },
    /// Replayed requests count their own completion as `max_tokens`.
    ReplayMaxTokens {
        /// The model.
        model: String,
        /// The model's default `max_tokens`.
        default: u32,
    },
    /// Synthetic clients are taken to send no `max_tokens`: the model's default counts.
    DefaultMaxTokens {
        /// The model.
        model: String,
        /// The model's default `max_tokens`.
        default: u32,
    },
    /// Rows of a replayed log were skipped as invalid.
    SkippedRows {
        /// How many.
        rows: u64,
    },
    /// A replayed log names several deployments (or models), all replayed as one model.
    GroupsReplayedTogether {
        /// The log's column that names them.
        column: String,
        /// Their names.
        groups: Vec<String>,
        /// The model simulated.
        model: String,
    },
    /// The typical request does not fit the model's context window.
    ContextProblems {
        /// The model.
        model: String,
        /// What does not fit.
        problems: Vec<ContextNote>,
    },
    /// Per-minute input: each minute's requests are spread evenly over it.
    PerMinuteSpread,
    /// A replay spreads each second's requests evenly over it.
    ReplaySpread,
}

impl From<SimulateNote> for NoteText {
    fn from(note: SimulateNote) -> NoteText {
        NoteText::Simulate(note)
    }
}
