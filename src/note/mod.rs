//! Notes: what an answer assumed, left out or warns about. Each has a stable `code` a script
//! can act on (JSON `{"code": "token-split-assumed", "message": "..."}`) and the sentence
//! people read in tables. The codes are the contract; the sentences may be reworded.
//!
//! A note holds what it says as data ([`NoteText`]: numbers, names, which case); the
//! sentence is written by `render::notes`, so the computing layers write no English. The one
//! exception, [`NoteText::Sentence`], is for a note whose words are also an error's, made
//! where the error is (`plan_file`'s region notes).

mod analyze;
mod budget;
mod capacity;
mod context;
mod cost;
mod flags;
mod lifecycle;
mod plan;
mod prices;
mod quota;
mod simulate;
mod sizing;
mod tokens;

pub use analyze::{AnalyzeNote, QuotaBasis};
pub use budget::BudgetNote;
pub use capacity::CapacityNote;
pub use context::ContextNote;
pub use cost::{BatchDay, CostNote};
pub use flags::FlagNote;
pub use lifecycle::{LifecycleNote, notes as lifecycle_notes};
pub use plan::PlanNote;
pub use prices::{PriceSource, PriceSources, Priced};
pub use quota::QuotaNote;
pub use simulate::SimulateNote;
pub use sizing::SizingNote;
pub use tokens::TokensNote;

/// One note of an answer: its kind and what it says. JSON writes it as `code` and `message`
/// (see `render::notes`).
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// What kind of note it is (stable).
    pub code: NoteCode,
    /// What it says, as data.
    pub text: NoteText,
}

impl Note {
    /// A note of kind `code` whose sentence its maker wrote (see [`NoteText::Sentence`]).
    pub fn sentence(code: NoteCode, message: String) -> Note {
        Note {
            code,
            text: NoteText::Sentence(message),
        }
    }

    /// A note of kind `code` saying `text`.
    pub fn of(code: NoteCode, text: impl Into<NoteText>) -> Note {
        Note {
            code,
            text: text.into(),
        }
    }

    /// The same note, about the plan workload `name`.
    pub fn for_workload(self, name: &str) -> Note {
        Note {
            text: NoteText::Workload {
                name: name.to_string(),
                note: Box::new(self.text),
            },
            ..self
        }
    }

    /// The same note, adding that a plan's `strict = true` makes it an error.
    pub fn unless_strict(self) -> Note {
        Note {
            text: NoteText::UnlessStrict(Box::new(self.text)),
            ..self
        }
    }
}

/// What a note says, by the part of the answer it comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum NoteText {
    /// A finished sentence.
    Sentence(String),
    /// A note about one workload of a plan.
    Workload {
        /// The workload's name, as the plan wrote it.
        name: String,
        /// What is said of it.
        note: Box<NoteText>,
    },
    /// A note that a plan's `strict = true` would make an error.
    UnlessStrict(Box<NoteText>),
    /// From sizing a workload on a model.
    Sizing(SizingNote),
    /// From checking a request against the model's context window.
    Context(ContextNote),
    /// From checking a standard quota against the quota tier.
    Quota(QuotaNote),
    /// From checking what a deployment can serve.
    Capacity(CapacityNote),
    /// From pricing a workload.
    Cost(CostNote),
    /// From sizing and pricing a plan.
    Plan(PlanNote),
    /// From checking a plan against its budget.
    Budget(BudgetNote),
    /// From setting up or running a simulation.
    Simulate(SimulateNote),
    /// From reading, measuring or sizing logged traffic.
    Analyze(AnalyzeNote),
    /// From counting tokens.
    Tokens(TokensNote),
    /// A flag given but not used.
    Flag(FlagNote),
    /// On models retired, retiring or deprecated.
    Lifecycle(LifecycleNote),
    /// Where a plan's prices come from.
    PriceSources(PriceSources),
}

/// The kinds of notes (JSON: kebab-case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum NoteCode {
    /// A bare token count was sized as all prompt tokens.
    TokenSplitAssumed,
    /// Prompt or completion tokens were derived from the total and the other.
    TokenSplitDerived,
    /// A reasoning model was sized without its hidden reasoning tokens.
    ReasoningTokensMissing,
    /// A long-context request weighs the long-context token weights.
    LongContext,
    /// Prompt-caching rules changed what the cache rate does.
    PromptCaching,
    /// Admission counted an assumed `max_tokens`.
    MaxTokensAssumed,
    /// The request does not fit the model's context window.
    ContextWindow,
    /// Catalog values used are UNVERIFIED or conflicting.
    UnverifiedCatalogValue,
    /// A PTU count is not a deployable size, or above one deployment's maximum.
    PtuSize,
    /// How the standard quota was sized (arrival model, request windows, units).
    StandardQuota,
    /// The standard request limit was not checked (or the standard quota not computed): no
    /// published RPM ratio, or no model given.
    RpmNotChecked,
    /// How provisioned admission counts tokens.
    ProvisionedAdmission,
    /// The model is retired.
    ModelRetired,
    /// The model retires in fewer than 90 days.
    ModelRetiring,
    /// The model is deprecated (no new customers).
    ModelDeprecated,
    /// A standard quota is above the quota tier's default.
    QuotaTierExceeded,
    /// No quota-tier default is published to check against.
    QuotaTierUnknown,
    /// A plan region is not listed for the model and SKU.
    RegionUnlisted,
    /// The catalog lists no regions for the model and SKU.
    RegionsUnchecked,
    /// Prices used are UNVERIFIED third-party figures.
    PricesUnverified,
    /// Where the prices come from.
    PriceSources,
    /// No prices, so no cost.
    NoPrices,
    /// Amounts compared in a currency other than USD.
    Currency,
    /// The load was assumed (flat, or peak and average).
    LoadAssumed,
    /// How a load profile was read or scaled.
    LoadProfile,
    /// Part of the load is above the PTUs sized for the peak.
    LoadAbovePeak,
    /// How spillover is computed, or that the model has none.
    Spillover,
    /// How regions back each other up.
    Failover,
    /// Shared deployments: savings and the sum of peaks.
    SharedDeployment,
    /// How reservations are counted.
    Reservation,
    /// A budget limit could not be checked.
    LimitNotChecked,
    /// A new plan: no baseline to compare with.
    NewPlan,
    /// How tokens were counted (encodings, message format).
    TokenCounting,
    /// Parts of the input were not counted (images, audio, tool definitions).
    TokensNotCounted,
    /// Rows of an input were skipped as invalid.
    SkippedRows,
    /// How a log's period is scaled to a month.
    LogPeriod,
    /// How peaks and windows are measured in a log or a replay.
    PeakMeasurement,
    /// A deployment or model named in a log was not sized.
    GroupNotSized,
    /// An output file was written.
    FileWritten,
    /// A simulation caveat (short runs, assumed speeds, replay spreading).
    Simulation,
    /// Priority, flex or batch: offered or not, priced or not, which latency class allows it.
    ServiceTier,
    /// Priority traffic served, and billed, as standard (ramp limit, long prompts).
    PriorityDowngrade,
    /// Flex attempts that find no capacity and are retried on standard.
    FlexRetry,
    /// Batch against its enqueued-token quota and file limits.
    BatchQuota,
    /// A consumer's token quota is below the tokens it is planned to use in its period.
    ConsumerTokenQuota,
    /// An export holds exactly as many rows as Log Analytics returns at most.
    ExportRowLimit,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_a_code_and_a_message() {
        let note = Note::sentence(NoteCode::TokenSplitAssumed, "sized as prompt".into())
            .unless_strict()
            .for_workload("w");
        assert_eq!(note.code, NoteCode::TokenSplitAssumed);
        let NoteText::Workload { name, note: inner } = note.text else {
            panic!("not a workload note: {note:?}");
        };
        assert_eq!(name, "w");
        assert_eq!(
            *inner,
            NoteText::UnlessStrict(Box::new(NoteText::Sentence("sized as prompt".into())))
        );
    }
}
