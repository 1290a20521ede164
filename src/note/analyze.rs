//! What the notes from analyzing logs say, as data.

use crate::deployment::DeploymentType;

use super::NoteText;

/// A note from reading, measuring or sizing logged traffic.
#[derive(Debug, Clone, PartialEq)]
pub enum AnalyzeNote {
    /// Monthly figures scale `--period` to a month.
    PeriodGiven {
        /// The period the logs stand for, in minutes.
        minutes: u64,
    },
    /// Monthly figures scale a span shorter than a day to a month.
    ShortSpanScaled {
        /// The logs' span, in minutes.
        minutes: u64,
    },
    /// Rows were skipped as invalid.
    SkippedRows {
        /// How many.
        rows: u64,
        /// Where the first ones are (`file:line`).
        first_at: Vec<String>,
    },
    /// Files hold exactly as many rows as Log Analytics returns at most.
    ExportRowLimit {
        /// The files.
        files: Vec<String>,
    },
    /// Every counted row is on a whole minute: the counts are read as per-minute totals.
    MinuteCounts,
    /// Peaks are the busiest windows starting on any whole second.
    SecondWindows {
        /// The column whose count each row stands for, if any.
        count_column: Option<String>,
    },
    /// Per-minute input (metric totals or a benchmark's rolling rates).
    PerMinuteInput,
    /// `--service-tier-column` names a column no row has.
    TierColumnMissing {
        /// The column, as given.
        column: String,
    },
    /// Part of the traffic was served by the standard tier beside priority or flex.
    ServedAsStandard {
        /// The share of requests served by the standard tier.
        request_share: f64,
    },
    /// The chart was written.
    PlotWritten {
        /// The file, as given.
        path: String,
    },
    /// A profile's busiest calendar minute is below the busiest 60 s the PTUs are sized for.
    ProfileMinutes {
        /// The model.
        model: String,
        /// The busiest calendar minute, in normalized TPM.
        busiest_minute_tpm: f64,
        /// The busiest 60 s, in normalized TPM.
        peak_tpm: f64,
        /// The PTUs for the busiest 60 s.
        ptu: u64,
    },
    /// The profile written sums every deployment (or model) of the log into one curve.
    ProfileSumsGroups {
        /// The deployments (or models), as logged.
        groups: Vec<String>,
    },
    /// `--tpm-quota`'s request limit is not checked without one `--model`.
    QuotaRequestsNotChecked,
    /// What admission counts per request: prompt + `max_tokens` (given or each completion).
    QuotaAdmission {
        /// `--max-tokens`, if given.
        max_tokens: Option<u32>,
    },
    /// The basis the standard quota is sized on.
    QuotaBasis(QuotaBasis),
    /// No catalog prices for the model on the deployment type, so no hybrid.
    NoHybridPrices {
        /// The model.
        model: String,
        /// The deployment type.
        deployment: DeploymentType,
    },
    /// A group's model has no provisioned deployment of the type.
    NoProvisionedDeployment {
        /// The group (deployment or model) as logged.
        group: String,
        /// The model.
        model: String,
        /// The deployment type.
        deployment: DeploymentType,
    },
    /// A group's model is not in the catalog.
    ModelNotInCatalog {
        /// The group (deployment or model) as logged.
        group: String,
        /// The model name looked up.
        model: String,
    },
}

/// What the standard quota of an analysis is sized for.
#[derive(Debug, Clone, PartialEq)]
pub enum QuotaBasis {
    /// Each deployment's (or model's) observed busiest windows.
    ObservedPerGroup {
        /// The request window, in seconds.
        window_s: u64,
    },
    /// The whole log's observed busiest windows.
    ObservedWholeLog {
        /// The request window, in seconds.
        window_s: u64,
        /// Requests in the busiest window.
        peak_requests: f64,
        /// Admission tokens in the busiest calendar minute.
        peak_admission_tpm: f64,
    },
    /// Poisson arrivals at the busiest minute's rate (per-minute input).
    Poisson {
        /// The request window, in seconds.
        window_s: u64,
        /// Requests in the busiest minute.
        busiest_minute_requests: f64,
        /// The share of first attempts that may be refused.
        max_throttle: f64,
    },
}

impl From<AnalyzeNote> for NoteText {
    fn from(note: AnalyzeNote) -> NoteText {
        NoteText::Analyze(note)
    }
}
