//! What the notes from checking a request against the model's context window say, as data.

use super::NoteText;

/// A part of a request that does not fit the model's context window.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextNote {
    /// The request's output is above the model's output limit.
    Output {
        /// Output tokens counted: the completion (with reasoning), or `max_tokens` if larger.
        tokens: f64,
        /// The limit, tokens.
        limit: u64,
        /// Whether the tokens counted are the request's `max_tokens`.
        is_max_tokens: bool,
        /// Whether the output includes reasoning tokens.
        with_reasoning: bool,
    },
    /// The prompt is above the model's prompt limit (the same on every deployment).
    Prompt {
        /// Prompt tokens.
        tokens: f64,
        /// The limit, tokens.
        limit: u64,
    },
    /// The prompt is above the model's prompt limit on provisioned deployments.
    ProvisionedPrompt {
        /// Prompt tokens.
        tokens: f64,
        /// The limit, tokens.
        limit: u64,
    },
    /// The prompt is above the model's prompt limit on standard deployments.
    StandardPrompt {
        /// Prompt tokens.
        tokens: f64,
        /// The limit, tokens.
        limit: u64,
    },
    /// Prompt + output are above the model's context window.
    Total {
        /// Prompt + output tokens.
        tokens: f64,
        /// The limit, tokens.
        limit: u64,
    },
    /// Prompt + output are above the model's context window on standard deployments.
    StandardTotal {
        /// Prompt + output tokens.
        tokens: f64,
        /// The limit, tokens.
        limit: u64,
    },
    /// The prompt fits the provisioned prompt limit but prompt + output do not: it fits
    /// only if that limit counts the prompt alone.
    ProvisionedLimitReading {
        /// The provisioned prompt limit, tokens.
        limit: u64,
        /// Prompt + output tokens.
        tokens: f64,
    },
}

impl From<ContextNote> for NoteText {
    fn from(note: ContextNote) -> NoteText {
        NoteText::Context(note)
    }
}
