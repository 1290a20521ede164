//! The sentences of [`SizingNote`]s.

use crate::note::SizingNote;
use crate::numfmt::{count, number, percent, target_percent, trimmed};

/// What `note` says: one arm per kind of note, so a new kind cannot go without its sentence.
pub(super) fn sentence(note: &SizingNote) -> String {
    match note {
        SizingNote::TokenSplitAssumed { field, total } => format!(
            "{field} gives no prompt/completion split: sized as if all {} tokens were prompt \
             tokens; output tokens weigh 4-8x on provisioned deployments and cost more, so give \
             the prompt and completion tokens for a real answer",
            count(*total)
        ),
        SizingNote::PromptTokensDerived { prompt_tokens } => format!(
            "prompt tokens derived as --tokens minus --completion: {}",
            count(*prompt_tokens)
        ),
        SizingNote::CompletionTokensDerived { completion_tokens } => format!(
            "completion tokens derived as --tokens minus --prompt: {}",
            count(*completion_tokens)
        ),
        SizingNote::OutputCountedAsMaxTokens => "no --max-tokens: admission counted the output \
             tokens as max_tokens (models with a documented default count that); the service \
             counts the max_tokens your client sends (or its own estimate when none), so pass \
             --max-tokens"
            .to_string(),
        SizingNote::DefaultMaxTokens {
            model,
            default_max_tokens,
            counted_max_tokens,
        } => format!(
            "no --max-tokens: {model} assumes max_tokens {} when a client sends none, so \
             admission counts prompt + {}; pass --max-tokens with what your client sends",
            count(*default_max_tokens as f64),
            count(*counted_max_tokens)
        ),
        SizingNote::UnverifiedCatalogValues { model, fields } => format!(
            "UNVERIFIED or conflicting catalog values: {} (see 'ptuplan models {model}')",
            fields.join(", ")
        ),
        SizingNote::TooManyPtus { ptu, max_ptu } => format!(
            "{} PTUs exceeds the {} PTU maximum of one deployment: split across deployments",
            count(*ptu as f64),
            count(*max_ptu as f64)
        ),
        SizingNote::NoRpmRatio { model } => format!(
            "no published standard RPM-per-TPM ratio for {model}: standard quota not computed"
        ),
        SizingNote::PoissonQuotaTokensBind {
            tpm_quota,
            max_throttle,
            tpm_quota_even,
        } => poisson_quota(
            *tpm_quota,
            *max_throttle,
            *tpm_quota_even,
            "per-minute token counts vary",
        ),
        SizingNote::PoissonQuotaRequestsBind {
            tpm_quota,
            max_throttle,
            tpm_quota_even,
            window_seconds,
            rpm,
            requests_per_window,
        } => poisson_quota(
            *tpm_quota,
            *max_throttle,
            *tpm_quota_even,
            &window_binds(*window_seconds, *rpm, *requests_per_window),
        ),
        SizingNote::ReasoningTokensMissing { model, plan_key } => reasoning(model, *plan_key),
        SizingNote::LongContext {
            prompt_tokens,
            model,
            threshold_tokens,
            threshold_unverified,
            input_weight,
            cached_input_weight,
            cache_write_weight,
            output_weight,
        } => format!(
            "a {}-token prompt is long-context on {model} (above {} tokens{}): every token of \
             the request weighs the long-context weights (input {}, cached {}, cache write {}, \
             output {}; S1)",
            count(*prompt_tokens),
            count(*threshold_tokens as f64),
            if *threshold_unverified {
                ", a threshold Microsoft does not publish: UNVERIFIED"
            } else {
                ""
            },
            trimmed(*input_weight, 2),
            trimmed(*cached_input_weight, 2),
            trimmed(*cache_write_weight, 2),
            trimmed(*output_weight, 2),
        ),
        SizingNote::NoCacheWriteWeight { model } => format!(
            "{model} has no cache-write weight: prompt tokens written to the cache count as \
             ordinary input tokens"
        ),
        SizingNote::PromptCachingUnsupported { model, cache_rate } => format!(
            "{model} does not support prompt caching: the cache rate {} was applied as given, \
             but no prompt would be served from a cache",
            percent(*cache_rate)
        ),
        SizingNote::PromptTooShortToCache {
            prompt_tokens,
            cache_rate,
        } => format!(
            "prompt caching needs a prompt of at least 1,024 tokens (then hits in 128-token \
             steps): a {}-token prompt gets no cache hits, yet the cache rate {} was applied",
            count(*prompt_tokens),
            percent(*cache_rate)
        ),
    }
}

/// The standard quota sized for Poisson arrivals with at most `max_throttle` refused, and why
/// (`limit`) it is above the quota evenly spread requests need.
fn poisson_quota(tpm_quota: u64, max_throttle: f64, tpm_quota_even: u64, limit: &str) -> String {
    format!(
        "standard quota {} TPM is sized for random (Poisson) arrivals with at most {} of first \
         attempts refused ({limit}; clients retrying together at the next window add more: \
         check yours with 'ptuplan simulate'); evenly spread requests would need {} TPM, the \
         figure Microsoft's calculator gives",
        count(tpm_quota as f64),
        target_percent(max_throttle),
        count(tpm_quota_even as f64),
    )
}

/// Why a Poisson quota is above the even one when the request window binds.
fn window_binds(window_seconds: u64, rpm: f64, requests_per_window: f64) -> String {
    format!(
        "the {window_seconds}s request window binds: {} RPM averages {} requests a window, and \
         arrivals bunch",
        count(rpm),
        number(requests_per_window, 2, true)
    )
}

/// A reasoning model sized without reasoning tokens; `plan_key`: name the plan key, not the
/// flag.
fn reasoning(model: &str, plan_key: bool) -> String {
    let give = if plan_key {
        "reasoning = N"
    } else {
        "--reasoning N"
    };
    format!(
        "{model} is a reasoning model: its hidden reasoning tokens are billed and weighted as \
         output, and none were given; add {give} (measure it with 'ptuplan analyze' on logs \
         with completion_tokens_details.reasoning_tokens), or the load is undersized"
    )
}

impl std::fmt::Display for SizingNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&sentence(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasoning_names_the_flag_or_the_plan_key() {
        let note = |plan_key| SizingNote::ReasoningTokensMissing {
            model: "o3".into(),
            plan_key,
        };
        let flag = sentence(&note(false));
        assert!(
            flag.starts_with(
                "o3 is a reasoning model: its hidden reasoning tokens are billed and weighted as \
                 output, and none were given; add --reasoning N (measure it"
            ),
            "{flag}"
        );
        assert!(sentence(&note(true)).contains("; add reasoning = N (measure it"));
    }

    #[test]
    fn long_context_says_when_its_threshold_is_unverified() {
        let note = |threshold_unverified| SizingNote::LongContext {
            prompt_tokens: 300_000.0,
            model: "gpt-6-sol".into(),
            threshold_tokens: 272_000,
            threshold_unverified,
            input_weight: 2.0,
            cached_input_weight: 0.2,
            cache_write_weight: 2.5,
            output_weight: 7.5,
        };
        assert_eq!(
            sentence(&note(false)),
            "a 300,000-token prompt is long-context on gpt-6-sol (above 272,000 tokens): every \
             token of the request weighs the long-context weights (input 2, cached 0.2, cache \
             write 2.5, output 7.5; S1)"
        );
        assert!(sentence(&note(true)).contains(
            "(above 272,000 tokens, a threshold Microsoft does not publish: UNVERIFIED): every"
        ));
    }

    #[test]
    fn the_poisson_quota_says_which_limit_makes_arrivals_matter() {
        // 600 RPM in 1 s windows: 600 × 1 ÷ 60 = 10 requests a window.
        let requests = sentence(&SizingNote::PoissonQuotaRequestsBind {
            tpm_quota: 130_000,
            max_throttle: 0.01,
            tpm_quota_even: 100_000,
            window_seconds: 1,
            rpm: 600.0,
            requests_per_window: 10.0,
        });
        assert_eq!(
            requests,
            "standard quota 130,000 TPM is sized for random (Poisson) arrivals with at most 1% \
             of first attempts refused (the 1s request window binds: 600 RPM averages 10 \
             requests a window, and arrivals bunch; clients retrying together at the next \
             window add more: check yours with 'ptuplan simulate'); evenly spread requests \
             would need 100,000 TPM, the figure Microsoft's calculator gives"
        );
        let tokens = sentence(&SizingNote::PoissonQuotaTokensBind {
            tpm_quota: 410_000,
            max_throttle: 0.005,
            tpm_quota_even: 400_000,
        });
        assert!(
            tokens.starts_with(
                "standard quota 410,000 TPM is sized for random (Poisson) arrivals with at most \
                 0.5% of first attempts refused (per-minute token counts vary; clients"
            ),
            "{tokens}"
        );
    }
}
