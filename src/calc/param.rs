//! The parameters of a workload and the errors that name them. `calc` names a [`Param`];
//! the command line shows it as a flag (`--max-tokens`), a plan file as its key
//! (`max_tokens`, placed on the line the user wrote).

use thiserror::Error;

/// A parameter of a workload's rate or request shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// Requests per minute.
    Rpm,
    /// Total tokens per request.
    Tokens,
    /// Prompt tokens per request.
    Prompt,
    /// Completion tokens per request.
    Completion,
    /// The client's `max_tokens`.
    MaxTokens,
    /// Fraction of prompt tokens read from the prompt cache.
    CacheRate,
    /// Fraction of prompt tokens written to the prompt cache.
    CacheWriteRate,
    /// Hidden reasoning tokens per request.
    Reasoning,
    /// The client's `best_of`.
    BestOf,
}

impl Param {
    /// The command-line flag, e.g. `--max-tokens`.
    pub fn flag(self) -> &'static str {
        match self {
            Param::Rpm => "--rpm",
            Param::Tokens => "--tokens",
            Param::Prompt => "--prompt",
            Param::Completion => "--completion",
            Param::MaxTokens => "--max-tokens",
            Param::CacheRate => "--cache-rate",
            Param::CacheWriteRate => "--cache-write-rate",
            Param::Reasoning => "--reasoning",
            Param::BestOf => "--best-of",
        }
    }

    /// The plan-file key, e.g. `max_tokens`.
    pub fn key(self) -> &'static str {
        match self {
            Param::Rpm => "rpm",
            Param::Tokens => "tokens",
            Param::Prompt => "prompt",
            Param::Completion => "completion",
            Param::MaxTokens => "max_tokens",
            Param::CacheRate => "cache_rate",
            Param::CacheWriteRate => "cache_write_rate",
            Param::Reasoning => "reasoning",
            Param::BestOf => "best_of",
        }
    }
}

/// How a message names parameters: as flags or as plan keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// `--max-tokens`: the command line.
    Flags,
    /// `max_tokens`: a plan file.
    PlanKeys,
}

impl Naming {
    fn name(self, param: Param) -> &'static str {
        match self {
            Naming::Flags => param.flag(),
            Naming::PlanKeys => param.key(),
        }
    }
}

/// A workload's rate or request shape that is not valid. Displayed with flag names; a plan
/// file shows it with [`WorkloadError::describe`] in its keys.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{}", self.describe(Naming::Flags))]
pub enum WorkloadError {
    /// A value outside `low..=high` (or not finite).
    OutOfRange {
        /// The parameter.
        param: Param,
        /// The value given.
        value: f64,
        /// Smallest allowed.
        low: f64,
        /// Largest allowed.
        high: f64,
        /// What the value is, e.g. `a token count`.
        what: &'static str,
    },
    /// A value not above 0, above `high` or not finite.
    NotPositive {
        /// The parameter.
        param: Param,
        /// The value given.
        value: f64,
        /// Largest allowed.
        high: f64,
        /// What the value is, e.g. `requests per minute`.
        what: &'static str,
    },
    /// A prompt or completion count above the given total.
    PartAboveTotal {
        /// `Prompt` or `Completion`.
        part: Param,
        /// The part's value.
        value: f64,
        /// The total tokens given.
        total: f64,
    },
    /// Total, prompt and completion all given.
    AllTokenCounts,
    /// Prompt given without completion or total.
    PromptWithoutCompletion,
    /// Completion given without prompt or total.
    CompletionWithoutPrompt,
    /// No token counts at all.
    NoTokenCounts,
    /// Prompt and completion both zero.
    NoTokens,
    /// A cache rate outside 0 to 1.
    CacheRate {
        /// The value given.
        value: f64,
    },
    /// A cache-write rate outside 0 to `1 - cache rate`.
    CacheWriteRate {
        /// The value given.
        value: f64,
        /// Largest allowed: 1 − the cache rate.
        most: f64,
    },
    /// A `best_of` outside 1 to the maximum.
    BestOf {
        /// The value given.
        value: u32,
        /// Largest allowed.
        most: u32,
    },
    /// `max_tokens` of 0.
    MaxTokensZero,
    /// `max_tokens` below the visible completion.
    MaxTokensBelowCompletion {
        /// The `max_tokens` given.
        max_tokens: f64,
        /// Completion tokens per request.
        completion: f64,
    },
    /// `max_tokens` below completion plus reasoning.
    MaxTokensBelowOutput {
        /// The `max_tokens` given.
        max_tokens: f64,
        /// Completion + reasoning tokens per request.
        output: f64,
    },
    /// Rate × tokens per request above the largest load accepted.
    LoadTooHigh {
        /// The load, tokens per minute.
        tpm: f64,
        /// Largest accepted.
        most: f64,
    },
    /// A load profile without token columns and no request shape given.
    ProfileNeedsShape,
}

impl WorkloadError {
    /// The parameter the error is about: where a plan file places it.
    pub fn param(&self) -> Param {
        match self {
            WorkloadError::OutOfRange { param, .. } | WorkloadError::NotPositive { param, .. } => {
                *param
            }
            WorkloadError::PartAboveTotal { part, .. } => *part,
            WorkloadError::AllTokenCounts | WorkloadError::NoTokens => Param::Tokens,
            WorkloadError::PromptWithoutCompletion
            | WorkloadError::NoTokenCounts
            | WorkloadError::ProfileNeedsShape => Param::Prompt,
            WorkloadError::CompletionWithoutPrompt => Param::Completion,
            WorkloadError::CacheRate { .. } => Param::CacheRate,
            WorkloadError::CacheWriteRate { .. } => Param::CacheWriteRate,
            WorkloadError::BestOf { .. } => Param::BestOf,
            WorkloadError::MaxTokensZero
            | WorkloadError::MaxTokensBelowCompletion { .. }
            | WorkloadError::MaxTokensBelowOutput { .. } => Param::MaxTokens,
            WorkloadError::LoadTooHigh { .. } => Param::Rpm,
        }
    }

    /// The one-line message, naming parameters as `naming` says.
    pub fn describe(&self, naming: Naming) -> String {
        let n = |param| naming.name(param);
        let invalid = |field: &str, value: &dyn std::fmt::Display, allowed: &str| {
            format!("invalid value '{value}' for {field}: {allowed}")
        };
        let (tokens, prompt, completion) =
            (n(Param::Tokens), n(Param::Prompt), n(Param::Completion));
        match self {
            WorkloadError::OutOfRange {
                param,
                value,
                low,
                high,
                what,
            } => invalid(
                n(*param),
                value,
                &format!("{what} must be at least {low} and at most {high:e}"),
            ),
            WorkloadError::NotPositive {
                param,
                value,
                high,
                what,
            } => invalid(
                n(*param),
                value,
                &format!("{what} must be above 0 and at most {high:e}"),
            ),
            WorkloadError::PartAboveTotal { part, value, total } => invalid(
                n(*part),
                value,
                &format!("must not exceed {tokens} {total}"),
            ),
            WorkloadError::AllTokenCounts => format!(
                "{tokens}, {prompt} and {completion} were all given: give {prompt} and \
                 {completion}, or {tokens} (optionally with one of them)"
            ),
            WorkloadError::PromptWithoutCompletion => format!(
                "{prompt} was given without {completion}: add {completion} N (tokens per \
                 response; 0 if negligible), or give {tokens} N"
            ),
            WorkloadError::CompletionWithoutPrompt => format!(
                "{completion} was given without {prompt}: add {prompt} N (tokens per prompt), \
                 or give {tokens} N"
            ),
            WorkloadError::NoTokenCounts => format!(
                "missing token counts: give {prompt} N {completion} N (tokens per request), \
                 or {tokens} N"
            ),
            WorkloadError::NoTokens => invalid(
                "tokens per request",
                &0,
                "a request must have at least one prompt or completion token",
            ),
            WorkloadError::CacheRate { value } => invalid(
                n(Param::CacheRate),
                value,
                "must be a fraction from 0 to 1 (e.g. 0.25) or a percentage (25%)",
            ),
            WorkloadError::CacheWriteRate { value, most } => invalid(
                n(Param::CacheWriteRate),
                value,
                &format!(
                    "must be a fraction from 0 to {} (1 - the cache rate): a prompt token is \
                     read from the cache, written to it, or neither",
                    crate::numfmt::trimmed(*most, 4)
                ),
            ),
            WorkloadError::BestOf { value, most } => invalid(
                n(Param::BestOf),
                value,
                &format!("must be from 1 to {most}"),
            ),
            WorkloadError::MaxTokensZero => invalid(
                n(Param::MaxTokens),
                &0,
                "must be at least 1: a request with max_tokens 0 cannot produce a response",
            ),
            WorkloadError::MaxTokensBelowCompletion {
                max_tokens,
                completion,
            } => invalid(
                n(Param::MaxTokens),
                max_tokens,
                &format!(
                    "must be at least the completion tokens ({completion}): a response \
                     cannot be longer than max_tokens"
                ),
            ),
            WorkloadError::MaxTokensBelowOutput { max_tokens, output } => invalid(
                n(Param::MaxTokens),
                max_tokens,
                &format!(
                    "must be at least completion + reasoning tokens ({output}): max_tokens \
                     bounds reasoning and visible output together"
                ),
            ),
            WorkloadError::LoadTooHigh { tpm, most } => invalid(
                "rate x tokens per request",
                &format!("{tpm:e} TPM"),
                &format!(
                    "the load, RPM x (prompt + output, or prompt + max_tokens x best_of), must \
                     be at most {most:e} tokens per minute: lower {}, the token counts, {} or {}",
                    n(Param::Rpm),
                    n(Param::MaxTokens),
                    n(Param::BestOf)
                ),
            ),
            WorkloadError::ProfileNeedsShape => format!(
                "the profile has no prompt/completion columns: give the request shape with \
                 {prompt} and {completion} (or {tokens})"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_names_flags_on_the_command_line_and_keys_in_a_plan() {
        let err = WorkloadError::PromptWithoutCompletion;
        assert_eq!(
            err.to_string(),
            "--prompt was given without --completion: add --completion N (tokens per \
             response; 0 if negligible), or give --tokens N"
        );
        assert_eq!(
            err.describe(Naming::PlanKeys),
            "prompt was given without completion: add completion N (tokens per response; 0 \
             if negligible), or give tokens N"
        );
        assert_eq!(err.param(), Param::Prompt);
    }

    #[test]
    fn every_param_has_a_flag_and_a_key_that_match() {
        let all = [
            Param::Rpm,
            Param::Tokens,
            Param::Prompt,
            Param::Completion,
            Param::MaxTokens,
            Param::CacheRate,
            Param::CacheWriteRate,
            Param::Reasoning,
            Param::BestOf,
        ];
        for param in all {
            let flag = param.flag().trim_start_matches("--").replace('-', "_");
            assert_eq!(flag, param.key(), "{param:?}");
        }
    }
}
