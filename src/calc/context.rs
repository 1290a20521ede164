//! Whether one request fits a model's context window.

use crate::calc::workload::RequestShape;
use crate::catalog::Model;
use crate::note::ContextNote;

/// The outcome of a context-window check on both deployment families.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextFit {
    /// Fits a provisioned deployment (`None`: the catalog has no limits for the model).
    pub provisioned: Option<bool>,
    /// Fits a standard deployment (`None`: unknown).
    pub standard: Option<bool>,
    /// One problem per exceeded limit (`ContextWindow` notes).
    pub problems: Vec<ContextNote>,
}

/// Checks the prompt, the completion (or `max_tokens`, when larger) and their sum against the
/// model's limits. Provisioned and standard deployments can differ (gpt-4.1: 128K prompt on
/// provisioned, 300K window on standard).
pub fn check(shape: &RequestShape, model: &Model) -> ContextFit {
    let Some(context) = model.context else {
        return ContextFit {
            provisioned: None,
            standard: None,
            problems: Vec::new(),
        };
    };
    let prompt = shape.prompt_tokens;
    let output = shape.output_tokens().max(shape.max_tokens.unwrap_or(0.0));
    let total = prompt + output;
    let is_max_tokens = shape.max_tokens.is_some_and(|m| m > shape.output_tokens());
    let with_reasoning = shape.reasoning_tokens > 0.0;
    let mut problems = Vec::new();
    let mut check_limit = |tokens: f64,
                           max: Option<u64>,
                           problem: &dyn Fn(f64, u64) -> ContextNote|
     -> Option<bool> {
        let max = max?;
        let fits = tokens <= max as f64;
        if !fits {
            problems.push(problem(tokens, max));
        }
        Some(fits)
    };
    let output_fits = check_limit(output, context.max_output, &|tokens, limit| {
        ContextNote::Output {
            tokens,
            limit,
            is_max_tokens,
            with_reasoning,
        }
    });
    let provisioned_prompt = if context.provisioned_max_input.is_some() {
        check_limit(prompt, context.provisioned_max_input, &|tokens, limit| {
            ContextNote::ProvisionedPrompt { tokens, limit }
        })
    } else {
        check_limit(prompt, context.max_input, &|tokens, limit| {
            ContextNote::Prompt { tokens, limit }
        })
    };
    let provisioned_total = check_limit(total, context.max_total, &|tokens, limit| {
        ContextNote::Total { tokens, limit }
    });
    let standard_prompt = if context.provisioned_max_input.is_some() {
        check_limit(prompt, context.max_input, &|tokens, limit| {
            ContextNote::StandardPrompt { tokens, limit }
        })
    } else {
        provisioned_prompt
    };
    let standard_total = if context.standard_max_total.is_some() {
        check_limit(total, context.standard_max_total, &|tokens, limit| {
            ContextNote::StandardTotal { tokens, limit }
        })
    } else {
        provisioned_total
    };
    if let Some(max) = context.provisioned_max_input
        && prompt <= max as f64
        && total > max as f64
    {
        problems.push(ContextNote::ProvisionedLimitReading {
            limit: max,
            tokens: total,
        });
    }
    ContextFit {
        provisioned: all_known(&[output_fits, provisioned_prompt, provisioned_total]),
        standard: all_known(&[output_fits, standard_prompt, standard_total]),
        problems,
    }
}

/// `None` when no limit is known, otherwise whether every known limit holds.
fn all_known(checks: &[Option<bool>]) -> Option<bool> {
    let known: Vec<bool> = checks.iter().flatten().copied().collect();
    (!known.is_empty()).then(|| known.iter().all(|&fits| fits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::workload::TokenCounts;
    use crate::catalog::{Catalog, EMBEDDED};

    fn shape(prompt: f64, completion: f64, max_tokens: Option<f64>) -> RequestShape {
        let counts = TokenCounts {
            total: None,
            prompt: Some(prompt),
            completion: Some(completion),
        };
        RequestShape::new(counts, 0.0, max_tokens).expect("valid shape")
    }

    #[test]
    fn gpt_4_1_limits_differ_between_provisioned_and_standard() {
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4.1").expect("present");
        // S27: 128,000 on provisioned, 300,000 on standard, 32,768 max output.
        let fit = check(&shape(150_000.0, 1_000.0, None), model);
        assert_eq!((fit.provisioned, fit.standard), (Some(false), Some(true)));
        let fit = check(&shape(100_000.0, 1_000.0, None), model);
        assert_eq!((fit.provisioned, fit.standard), (Some(true), Some(true)));
        let fit = check(&shape(1_000.0, 1_000.0, Some(40_000.0)), model);
        assert_eq!(fit.provisioned, Some(false));
        assert_eq!(
            fit.problems,
            [ContextNote::Output {
                tokens: 40_000.0,
                limit: 32_768,
                is_max_tokens: true,
                with_reasoning: false,
            }]
        );
    }

    #[test]
    fn the_two_readings_of_the_provisioned_128k_limit_are_flagged() {
        // 120,000 prompt + 10,000 output: under 128K as a prompt limit, over it as a window.
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-4.1").expect("present");
        let fit = check(&shape(120_000.0, 10_000.0, None), model);
        assert_eq!(fit.provisioned, Some(true));
        assert_eq!(
            fit.problems,
            [ContextNote::ProvisionedLimitReading {
                limit: 128_000,
                tokens: 130_000.0,
            }]
        );
        let fit = check(&shape(100_000.0, 10_000.0, None), model);
        assert!(fit.problems.is_empty(), "{:?}", fit.problems);
    }

    #[test]
    fn unknown_context_is_none() {
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        let model = catalog.find("gpt-image-2").expect("present");
        let fit = check(&shape(100.0, 100.0, None), model);
        assert_eq!((fit.provisioned, fit.standard), (None, None));
    }
}
