//! Notes: what an answer assumed, left out or warns about. Each has a stable `code` a script
//! can act on (JSON `{"code": "token-split-assumed", "message": "..."}`) and the sentence
//! people read in tables. The codes are the contract; the sentences may be reworded.

use serde::Serialize;

/// One note of an answer.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Note {
    /// What kind of note it is (stable).
    pub code: NoteCode,
    /// The sentence for people (may change between versions).
    pub message: String,
}

impl Note {
    /// A note of kind `code`.
    pub fn new(code: NoteCode, message: String) -> Note {
        Note { code, message }
    }

    /// The same note with its message prefixed, e.g. `workload 'chat': `.
    pub fn prefixed(self, prefix: &str) -> Note {
        Note {
            message: format!("{prefix}{}", self.message),
            ..self
        }
    }
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl AsRef<str> for Note {
    fn as_ref(&self) -> &str {
        &self.message
    }
}

/// The kinds of notes (JSON: kebab-case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
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
        let note = Note::new(NoteCode::TokenSplitAssumed, "sized as prompt".into()).prefixed("w: ");
        let json = serde_json::to_value(&note).expect("serializes");
        assert_eq!(json["code"], "token-split-assumed");
        assert_eq!(json["message"], "w: sized as prompt");
        assert_eq!(note.as_ref(), "w: sized as prompt");
    }
}
