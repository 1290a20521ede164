//! The parameters of a workload (and of a deployment or a month) and the errors that name
//! them. `calc` names a [`Param`];
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
    /// A standard deployment's tokens-per-minute quota.
    Tpm,
    /// A provisioned deployment's PTU count.
    Ptu,
    /// Hours in a billing month.
    Hours,
    /// The utilization provisioned deployments are sized to.
    TargetUtilization,
    /// Pay-as-you-go input price, USD per 1M tokens.
    PriceInput,
    /// Pay-as-you-go output price, USD per 1M tokens.
    PriceOutput,
    /// Pay-as-you-go cached-input price, USD per 1M tokens.
    PriceCached,
    /// PTU price per hour.
    PtuHourly,
    /// Reserved PTU price per month.
    PtuMonthly,
    /// Reserved PTU price per year.
    PtuYearly,
    /// Share of the load sent to batch.
    BatchShare,
    /// Share of flex attempts that find capacity.
    FlexAvailability,
    /// A plan workload's tier (no flag: `cost` prices every tier).
    Tier,
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
            Param::Tpm => "--tpm",
            Param::Ptu => "--ptu",
            Param::Hours => "--hours",
            Param::TargetUtilization => "--target-utilization",
            Param::PriceInput => "--price-input",
            Param::PriceOutput => "--price-output",
            Param::PriceCached => "--price-cached",
            Param::PtuHourly => "--ptu-hourly",
            Param::PtuMonthly => "--ptu-monthly",
            Param::PtuYearly => "--ptu-yearly",
            Param::BatchShare => "--batch-share",
            Param::FlexAvailability => "--flex-availability",
            Param::Tier => "tier",
        }
    }

    /// The plan-file key, e.g. `max_tokens`: the flag's name in a plan's spelling. Plans take
    /// no TPM quota, PTU count or price overrides; those keys name the flag in that spelling.
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
            Param::Tpm => "tpm",
            Param::Ptu => "ptu",
            Param::Hours => "hours",
            Param::TargetUtilization => "target_utilization",
            Param::PriceInput => "price_input",
            Param::PriceOutput => "price_output",
            Param::PriceCached => "price_cached",
            Param::PtuHourly => "ptu_hourly",
            Param::PtuMonthly => "ptu_monthly",
            Param::PtuYearly => "ptu_yearly",
            Param::BatchShare => "batch_share",
            Param::FlexAvailability => "flex_availability",
            Param::Tier => "tier",
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

/// A parameter's value that is not valid. Displayed with flag names; a plan file shows it
/// with [`ParamError::describe`] in its keys.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{}", self.describe(Naming::Flags))]
pub enum ParamError {
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
    /// A target utilization outside 1% to 100%.
    TargetUtilization {
        /// The value given.
        value: f64,
    },
    /// Prices the catalog lacks for a model and deployment type, and none given.
    MissingPrices {
        /// What is missing, e.g. `PTU prices`.
        what: &'static str,
        /// The model's catalog name.
        model: String,
        /// The deployment type.
        deployment: String,
        /// The parameters that would give them (the first is where a plan places the error).
        params: &'static [Param],
        /// Their unit, e.g. `per PTU`.
        unit: &'static str,
        /// ISO code of the catalog's prices, which the flags are read in.
        currency: String,
    },
    /// Cached prompt tokens to price and no cached-input price in the catalog or given.
    MissingCachedPrice {
        /// ISO code of the catalog's prices.
        currency: String,
        /// The model's catalog name.
        model: String,
        /// The deployment type.
        deployment: String,
    },
    /// A tier asked for that the model does not offer (or that has no price).
    TierNotPriced {
        /// The parameter asking for it.
        param: Param,
        /// Why, e.g. `not offered: ...`.
        reason: String,
    },
}

impl ParamError {
    /// The parameter the error is about: where a plan file places it.
    pub fn param(&self) -> Param {
        match self {
            ParamError::OutOfRange { param, .. }
            | ParamError::NotPositive { param, .. }
            | ParamError::TierNotPriced { param, .. } => *param,
            ParamError::PartAboveTotal { part, .. } => *part,
            ParamError::AllTokenCounts | ParamError::NoTokens => Param::Tokens,
            ParamError::PromptWithoutCompletion
            | ParamError::NoTokenCounts
            | ParamError::ProfileNeedsShape => Param::Prompt,
            ParamError::CompletionWithoutPrompt => Param::Completion,
            ParamError::CacheRate { .. } => Param::CacheRate,
            ParamError::CacheWriteRate { .. } => Param::CacheWriteRate,
            ParamError::BestOf { .. } => Param::BestOf,
            ParamError::MaxTokensZero
            | ParamError::MaxTokensBelowCompletion { .. }
            | ParamError::MaxTokensBelowOutput { .. } => Param::MaxTokens,
            ParamError::LoadTooHigh { .. } => Param::Rpm,
            ParamError::TargetUtilization { .. } => Param::TargetUtilization,
            ParamError::MissingCachedPrice { .. } => Param::PriceCached,
            ParamError::MissingPrices { params, .. } => {
                params.first().copied().unwrap_or(Param::PriceInput)
            }
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
            ParamError::OutOfRange {
                param,
                value,
                low,
                high,
                what,
            } => invalid(
                n(*param),
                &crate::numfmt::quoted(*value),
                &format!("{what} must be at least {low} and at most {high:e}"),
            ),
            ParamError::NotPositive {
                param,
                value,
                high,
                what,
            } => invalid(
                n(*param),
                &crate::numfmt::quoted(*value),
                &format!("{what} must be above 0 and at most {high:e}"),
            ),
            ParamError::PartAboveTotal { part, value, total } => invalid(
                n(*part),
                &crate::numfmt::quoted(*value),
                &format!("must not exceed {tokens} {total}"),
            ),
            ParamError::AllTokenCounts => format!(
                "{tokens}, {prompt} and {completion} were all given: give {prompt} and \
                 {completion}, or {tokens} (optionally with one of them)"
            ),
            ParamError::PromptWithoutCompletion => format!(
                "{prompt} was given without {completion}: add {completion} N (tokens per \
                 response; 0 if negligible), or give {tokens} N"
            ),
            ParamError::CompletionWithoutPrompt => format!(
                "{completion} was given without {prompt}: add {prompt} N (tokens per prompt), \
                 or give {tokens} N"
            ),
            ParamError::NoTokenCounts => format!(
                "missing token counts: give {prompt} N {completion} N (tokens per request), \
                 or {tokens} N"
            ),
            ParamError::NoTokens => invalid(
                "tokens per request",
                &0,
                "a request must have at least one prompt or completion token",
            ),
            // A flag takes `25%`; a plan file's number does not.
            ParamError::CacheRate { value } => invalid(
                n(Param::CacheRate),
                &crate::numfmt::quoted(*value),
                match naming {
                    Naming::Flags => {
                        "must be a fraction from 0 to 1 (e.g. 0.25) or a percentage (25%)"
                    }
                    Naming::PlanKeys => "must be a fraction from 0 to 1 (e.g. 0.25)",
                },
            ),
            ParamError::CacheWriteRate { value, most } => invalid(
                n(Param::CacheWriteRate),
                value,
                &format!(
                    "must be a fraction from 0 to {} (1 - the cache rate): a prompt token is \
                     read from the cache, written to it, or neither",
                    crate::numfmt::trimmed(*most, 4)
                ),
            ),
            ParamError::BestOf { value, most } => invalid(
                n(Param::BestOf),
                value,
                &format!("must be from 1 to {most}"),
            ),
            ParamError::MaxTokensZero => invalid(
                n(Param::MaxTokens),
                &0,
                "must be at least 1: a request with max_tokens 0 cannot produce a response",
            ),
            ParamError::MaxTokensBelowCompletion {
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
            ParamError::MaxTokensBelowOutput { max_tokens, output } => invalid(
                n(Param::MaxTokens),
                max_tokens,
                &format!(
                    "must be at least completion + reasoning tokens ({output}): max_tokens \
                     bounds reasoning and visible output together"
                ),
            ),
            ParamError::LoadTooHigh { tpm, most } => invalid(
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
            ParamError::ProfileNeedsShape => format!(
                "the profile has no prompt/completion columns: give the request shape with \
                 {prompt} and {completion} (or {tokens})"
            ),
            ParamError::TargetUtilization { value } => invalid(
                n(Param::TargetUtilization),
                value,
                "a target utilization must be from 1% (0.01) to 100% (1)",
            ),
            ParamError::MissingPrices {
                what,
                model,
                deployment,
                params,
                unit,
                currency,
            } => {
                let names: Vec<&str> = params.iter().map(|&p| n(p)).collect();
                let listed = match names.split_last() {
                    Some((last, [])) => last.to_string(),
                    Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                    None => String::new(),
                };
                format!(
                    "the catalog has no {what} for {model} on {deployment}: give {listed} \
                     ({currency} {unit}){}",
                    dropped_usd(currency)
                )
            }
            ParamError::MissingCachedPrice {
                currency,
                model,
                deployment,
            } => format!(
                "the catalog has no cached-input price for {model} on {deployment}: give {} \
                 ({currency} per 1M cached tokens), or no cached tokens (a cache rate of 0, or a profile \
                 without a cached column)",
                n(Param::PriceCached)
            ),
            ParamError::TierNotPriced { param, reason } => {
                format!("{} cannot be used: {reason}", n(*param))
            }
        }
    }
}

/// Why a catalog price may be missing under a price overlay in another currency.
fn dropped_usd(currency: &str) -> String {
    if currency == "USD" {
        String::new()
    } else {
        format!(
            "; the {currency} price overlay (--prices) gives none, and the catalog's USD prices \
             are not mixed in"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_names_flags_on_the_command_line_and_keys_in_a_plan() {
        let err = ParamError::PromptWithoutCompletion;
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
            Param::Tpm,
            Param::Ptu,
            Param::Hours,
            Param::TargetUtilization,
            Param::PriceInput,
            Param::PriceOutput,
            Param::PriceCached,
            Param::PtuHourly,
            Param::PtuMonthly,
            Param::PtuYearly,
        ];
        for param in all {
            let flag = param.flag().trim_start_matches("--").replace('-', "_");
            assert_eq!(flag, param.key(), "{param:?}");
        }
    }

    #[test]
    fn missing_prices_list_every_flag_that_gives_them() {
        let err = ParamError::MissingPrices {
            what: "PTU prices",
            model: "m".into(),
            deployment: "global".into(),
            params: &[Param::PtuHourly, Param::PtuMonthly, Param::PtuYearly],
            unit: "per PTU",
            currency: "USD".into(),
        };
        assert_eq!(
            err.to_string(),
            "the catalog has no PTU prices for m on global: give --ptu-hourly, --ptu-monthly \
             and --ptu-yearly (USD per PTU)"
        );
        assert_eq!(err.param(), Param::PtuHourly);
    }
}
