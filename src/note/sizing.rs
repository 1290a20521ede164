//! What the notes from sizing a workload on a model say, as data.

use super::NoteText;

/// A note from sizing a workload on a model.
#[derive(Debug, Clone, PartialEq)]
pub enum SizingNote {
    /// A bare token total was sized as if every token were a prompt token.
    TokenSplitAssumed {
        /// The flag or plan key that carried the total, as the user writes it (`--tokens`,
        /// `'tokens'`).
        field: String,
        /// Tokens per request.
        total: f64,
    },
    /// Prompt tokens were derived as `--tokens` minus `--completion`.
    PromptTokensDerived {
        /// The prompt tokens derived.
        prompt_tokens: f64,
    },
    /// Completion tokens were derived as `--tokens` minus `--prompt`.
    CompletionTokensDerived {
        /// The completion tokens derived.
        completion_tokens: f64,
    },
    /// No `--max-tokens` and no documented default: admission counted the output tokens.
    OutputCountedAsMaxTokens,
    /// No `--max-tokens`: admission counted the model's documented default.
    DefaultMaxTokens {
        /// Catalog name of the model.
        model: String,
        /// The default `max_tokens` the service assumes.
        default_max_tokens: u64,
        /// The `max_tokens` admission counted (the default, or the output when larger).
        counted_max_tokens: f64,
    },
    /// Catalog values of the model are UNVERIFIED or conflicting.
    UnverifiedCatalogValues {
        /// Catalog name of the model.
        model: String,
        /// The catalog keys of those values.
        fields: Vec<String>,
    },
    /// The PTUs needed are more than one deployment takes.
    TooManyPtus {
        /// PTUs needed.
        ptu: u64,
        /// Largest deployment, in PTUs.
        max_ptu: u64,
    },
    /// The model has no published standard RPM-per-TPM ratio: no standard quota.
    NoRpmRatio {
        /// Catalog name of the model.
        model: String,
    },
    /// The standard quota is sized for Poisson arrivals, above the even-arrival answer,
    /// because per-minute token counts vary.
    PoissonQuotaTokensBind {
        /// The quota sized, TPM.
        tpm_quota: u64,
        /// Highest share of first attempts refused.
        max_throttle: f64,
        /// The quota evenly spread requests would need, TPM.
        tpm_quota_even: u64,
    },
    /// The standard quota is sized for Poisson arrivals, above the even-arrival answer,
    /// because the request window binds.
    PoissonQuotaRequestsBind {
        /// The quota sized, TPM.
        tpm_quota: u64,
        /// Highest share of first attempts refused.
        max_throttle: f64,
        /// The quota evenly spread requests would need, TPM.
        tpm_quota_even: u64,
        /// Length of the request window, s.
        window_seconds: u64,
        /// Requests per minute of the workload.
        rpm: f64,
        /// Requests per window on average.
        requests_per_window: f64,
    },
    /// A reasoning model was sized without reasoning tokens.
    ReasoningTokensMissing {
        /// Catalog name of the model.
        model: String,
        /// Whether to name the plan key (`reasoning = N`) rather than the flag.
        plan_key: bool,
    },
    /// The prompt is above the model's long-context threshold.
    LongContext {
        /// Prompt tokens per request.
        prompt_tokens: f64,
        /// Catalog name of the model.
        model: String,
        /// The long-context threshold, tokens.
        threshold_tokens: u64,
        /// Whether that threshold is UNVERIFIED (Microsoft does not publish it).
        threshold_unverified: bool,
        /// Long-context weight of an input token.
        input_weight: f64,
        /// Long-context weight of a cached input token.
        cached_input_weight: f64,
        /// Long-context weight of a token written to the cache.
        cache_write_weight: f64,
        /// Long-context weight of an output token.
        output_weight: f64,
    },
    /// Cache writes were given but the model has no cache-write weight.
    NoCacheWriteWeight {
        /// Catalog name of the model.
        model: String,
    },
    /// A cache rate was given for a model without prompt caching.
    PromptCachingUnsupported {
        /// Catalog name of the model.
        model: String,
        /// The cache rate applied, in [0, 1].
        cache_rate: f64,
    },
    /// A cache rate was given for a prompt too short to be cached.
    PromptTooShortToCache {
        /// Prompt tokens per request.
        prompt_tokens: f64,
        /// The cache rate applied, in [0, 1].
        cache_rate: f64,
    },
}

impl From<SizingNote> for NoteText {
    fn from(note: SizingNote) -> NoteText {
        NoteText::Sizing(note)
    }
}
