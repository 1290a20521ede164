//! The sentences of [`ContextNote`]s.

use crate::note::ContextNote;
use crate::numfmt::count;

/// What `note` says.
pub(super) fn sentence(note: &ContextNote) -> String {
    match note {
        ContextNote::Output {
            tokens,
            limit,
            is_max_tokens,
            with_reasoning,
        } => over_limit(
            output_name(*is_max_tokens, *with_reasoning),
            *tokens,
            *limit,
        ),
        ContextNote::Prompt { tokens, limit } => over_limit("prompt", *tokens, *limit),
        ContextNote::ProvisionedPrompt { tokens, limit } => {
            over_limit("provisioned prompt", *tokens, *limit)
        }
        ContextNote::StandardPrompt { tokens, limit } => {
            over_limit("standard prompt", *tokens, *limit)
        }
        ContextNote::Total { tokens, limit } => over_limit("prompt + output", *tokens, *limit),
        ContextNote::StandardTotal { tokens, limit } => {
            over_limit("standard prompt + output", *tokens, *limit)
        }
        ContextNote::ProvisionedLimitReading { limit, tokens } => format!(
            "fits provisioned only if its {}-token limit counts the prompt alone: Microsoft \
             states it as a prompt limit (sizing page) and, for gpt-4.1, as the context window \
             (models page), which prompt + output ({}) exceeds",
            count(*limit as f64),
            count(*tokens)
        ),
    }
}

/// What the output limit counted: `max_tokens` (when larger than the output), or the
/// completion with or without reasoning tokens.
fn output_name(is_max_tokens: bool, with_reasoning: bool) -> &'static str {
    if is_max_tokens {
        "max_tokens"
    } else if with_reasoning {
        "completion + reasoning"
    } else {
        "completion"
    }
}

/// `what` of one request is above a context limit.
fn over_limit(what: &str, tokens: f64, limit: u64) -> String {
    format!(
        "{what} of {} tokens exceeds the {}-token limit",
        count(tokens),
        count(limit as f64)
    )
}

impl std::fmt::Display for ContextNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&sentence(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_limit_names_what_was_counted() {
        let note = |is_max_tokens, with_reasoning| ContextNote::Output {
            tokens: 40_000.0,
            limit: 32_768,
            is_max_tokens,
            with_reasoning,
        };
        assert_eq!(
            sentence(&note(true, true)),
            "max_tokens of 40,000 tokens exceeds the 32,768-token limit"
        );
        assert_eq!(
            sentence(&note(false, true)),
            "completion + reasoning of 40,000 tokens exceeds the 32,768-token limit"
        );
        assert_eq!(
            sentence(&note(false, false)),
            "completion of 40,000 tokens exceeds the 32,768-token limit"
        );
        assert_eq!(
            sentence(&ContextNote::StandardTotal {
                tokens: 310_000.0,
                limit: 300_000,
            }),
            "standard prompt + output of 310,000 tokens exceeds the 300,000-token limit"
        );
    }
}
