//! A workload: a request rate and the shape of one request, validated once.

use crate::note::{Note, NoteCode, SizingNote};
use serde::Serialize;

use crate::calc::param::{Param, ParamError};
use crate::calc::rounding::snap;
use crate::catalog::Model;
use crate::error::InputError;

/// Largest request rate accepted, in requests per minute (16.7 million per second).
pub const MAX_RPM: f64 = 1e9;
/// Largest token count accepted for one request (context windows are about 1 million).
pub const MAX_TOKENS_PER_REQUEST: f64 = 1e8;
/// Largest load or quota accepted, in tokens per minute (a trillion: far beyond any deployment,
/// and small enough that every count prints and serializes exactly).
pub const MAX_TPM: f64 = 1e12;

/// Where the prompt/completion split came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenSplit {
    /// `--prompt` and `--completion` were both given.
    Given,
    /// Only `--tokens`: every token is counted as a prompt token (output weighting unknown).
    AssumedAllPrompt,
    /// `--tokens` and `--completion`: prompt = tokens − completion.
    PromptDerived,
    /// `--tokens` and `--prompt`: completion = tokens − prompt.
    CompletionDerived,
}

impl TokenSplit {
    /// For a total given with no split, the note that says every token was counted as a
    /// prompt token, naming `field`, the flag or key that carried the total.
    pub fn assumed_note(self, total: f64, field: &str) -> Option<Note> {
        (self == TokenSplit::AssumedAllPrompt).then(|| {
            Note::of(
                NoteCode::TokenSplitAssumed,
                SizingNote::TokenSplitAssumed {
                    field: field.to_string(),
                    total,
                },
            )
        })
    }

    /// With `--strict` (or plan `strict = true`): a bare total with no split is an error
    /// naming `field`, the flag or key that carried it.
    pub fn check_strict(self, field: &'static str) -> Result<(), InputError> {
        if self == TokenSplit::AssumedAllPrompt {
            return Err(InputError::Usage(format!(
                "{field} gives no prompt/completion split and strict mode refuses it: give the \
                 prompt and completion tokens (output tokens weigh 4-8x on provisioned \
                 deployments and cost more)"
            )));
        }
        Ok(())
    }
}

/// The token counts as the user gave them, before the split is resolved.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TokenCounts {
    /// Total tokens per request (`--tokens`).
    pub total: Option<f64>,
    /// Prompt tokens per request (`--prompt`).
    pub prompt: Option<f64>,
    /// Completion tokens per request (`--completion`).
    pub completion: Option<f64>,
}

impl TokenCounts {
    /// Resolves the prompt and completion tokens per request and says how.
    pub fn resolve(self) -> Result<(f64, f64, TokenSplit), ParamError> {
        let derive = |total: f64, value: f64, part: Param| {
            if value > total {
                Err(ParamError::PartAboveTotal { part, value, total })
            } else {
                Ok(total - value)
            }
        };
        match (self.total, self.prompt, self.completion) {
            (None, Some(prompt), Some(completion)) => Ok((prompt, completion, TokenSplit::Given)),
            (Some(total), None, None) => Ok((total, 0.0, TokenSplit::AssumedAllPrompt)),
            (Some(total), None, Some(completion)) => Ok((
                derive(total, completion, Param::Completion)?,
                completion,
                TokenSplit::PromptDerived,
            )),
            (Some(total), Some(prompt), None) => Ok((
                prompt,
                derive(total, prompt, Param::Prompt)?,
                TokenSplit::CompletionDerived,
            )),
            (Some(_), Some(_), Some(_)) => Err(ParamError::AllTokenCounts),
            (None, Some(_), None) => Err(ParamError::PromptWithoutCompletion),
            (None, None, Some(_)) => Err(ParamError::CompletionWithoutPrompt),
            (None, None, None) => Err(ParamError::NoTokenCounts),
        }
    }
}

/// One request's token shape.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RequestShape {
    /// Prompt (input) tokens per request, including cached ones.
    pub prompt_tokens: f64,
    /// Completion (output) tokens per request.
    pub completion_tokens: f64,
    /// Fraction of prompt tokens served from the prompt cache, 0 to 1.
    pub cache_rate: f64,
    /// The `max_tokens` the client sends, if known.
    pub max_tokens: Option<f64>,
    /// Where the prompt/completion split came from.
    pub token_split: TokenSplit,
    /// Fraction of prompt tokens written to the prompt cache (GPT-6 family weighs them 1.25).
    pub cache_write_rate: f64,
    /// Hidden reasoning tokens per request (reasoning models): billed and weighted as output.
    pub reasoning_tokens: f64,
    /// The `best_of` the client sends (legacy Completions API): the admission estimate counts
    /// `max_tokens` this many times.
    pub best_of: u32,
}

/// Weights of one request's token kinds, in input-token equivalents.
#[derive(Debug, Clone, Copy)]
struct TokenWeights {
    input: f64,
    cached: f64,
    cache_write: f64,
    output: f64,
}

/// Largest `best_of` accepted (the Completions API allowed up to 20).
pub const MAX_BEST_OF: u32 = 20;

/// Where the `max_tokens` of the admission estimate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaxTokensSource {
    /// The client's `max_tokens` (`--max-tokens`).
    Given,
    /// The model's documented default, the client sending none.
    ModelDefault,
    /// Unknown: the service estimates it; counted as the output tokens.
    AssumedOutput,
}

impl RequestShape {
    /// Builds a shape from token counts, checking every value.
    pub fn new(
        tokens: TokenCounts,
        cache_rate: f64,
        max_tokens: Option<f64>,
    ) -> Result<RequestShape, ParamError> {
        for (param, value) in [
            (Param::Tokens, tokens.total),
            (Param::Prompt, tokens.prompt),
            (Param::Completion, tokens.completion),
            (Param::MaxTokens, max_tokens),
        ] {
            if let Some(value) = value {
                check_token_count(param, value)?;
            }
        }
        if !(0.0..=1.0).contains(&cache_rate) {
            return Err(ParamError::CacheRate { value: cache_rate });
        }
        let (prompt_tokens, completion_tokens, token_split) = tokens.resolve()?;
        if prompt_tokens + completion_tokens <= 0.0 {
            return Err(ParamError::NoTokens);
        }
        match max_tokens {
            Some(0.0) => return Err(ParamError::MaxTokensZero),
            Some(max_tokens) if max_tokens < completion_tokens => {
                return Err(ParamError::MaxTokensBelowCompletion {
                    max_tokens,
                    completion: completion_tokens,
                });
            }
            _ => {}
        }
        Ok(RequestShape {
            prompt_tokens,
            completion_tokens,
            cache_rate,
            max_tokens,
            token_split,
            cache_write_rate: 0.0,
            reasoning_tokens: 0.0,
            best_of: 1,
        })
    }

    /// Adds the fraction of prompt tokens written to the prompt cache; cached and written
    /// together are at most all of the prompt.
    pub fn with_cache_writes(mut self, rate: Option<f64>) -> Result<RequestShape, ParamError> {
        let Some(rate) = rate else { return Ok(self) };
        if !(0.0..=1.0).contains(&rate) || self.cache_rate + rate > 1.0 + 1e-12 {
            return Err(ParamError::CacheWriteRate {
                value: rate,
                most: 1.0 - self.cache_rate,
            });
        }
        self.cache_write_rate = rate;
        Ok(self)
    }

    /// Adds hidden reasoning tokens per request and the client's `best_of`, checking them and
    /// that `max_tokens` (which bounds reasoning and visible output together) covers both.
    pub fn with_output_extras(
        mut self,
        reasoning: Option<f64>,
        best_of: Option<u32>,
    ) -> Result<RequestShape, ParamError> {
        if let Some(reasoning) = reasoning {
            check_token_count(Param::Reasoning, reasoning)?;
            self.reasoning_tokens = reasoning;
        }
        if let Some(best_of) = best_of {
            if !(1..=MAX_BEST_OF).contains(&best_of) {
                return Err(ParamError::BestOf {
                    value: best_of,
                    most: MAX_BEST_OF,
                });
            }
            self.best_of = best_of;
        }
        if let Some(max_tokens) = self.max_tokens
            && max_tokens < self.output_tokens()
        {
            return Err(ParamError::MaxTokensBelowOutput {
                max_tokens,
                output: self.output_tokens(),
            });
        }
        Ok(self)
    }

    /// Output tokens per request: visible completion plus hidden reasoning tokens, all billed
    /// and weighted as output.
    pub fn output_tokens(&self) -> f64 {
        self.completion_tokens + self.reasoning_tokens
    }

    /// Prompt + output tokens: what TPM and billing count.
    pub fn tokens_per_request(&self) -> f64 {
        self.prompt_tokens + self.output_tokens()
    }

    /// Tokens a standard deployment counts at admission, without a model: prompt +
    /// (`max_tokens`, else the output tokens) × `best_of`.
    pub fn admission_tokens_per_request(&self) -> f64 {
        self.prompt_tokens
            + self.max_tokens.unwrap_or(self.output_tokens()) * f64::from(self.best_of)
    }

    /// The `max_tokens` the service counts on `model`, and where it came from: the client's,
    /// else the model's documented default (at least the output), else the output tokens.
    pub fn max_tokens_for(&self, model: &Model) -> (f64, MaxTokensSource) {
        match (self.max_tokens, model.default_max_tokens) {
            (Some(given), _) => (given, MaxTokensSource::Given),
            (None, Some(default)) => (
                (default as f64).max(self.output_tokens()),
                MaxTokensSource::ModelDefault,
            ),
            (None, None) => (self.output_tokens(), MaxTokensSource::AssumedOutput),
        }
    }

    /// The output tokens one request counts at admission on `model` (`max_tokens` ×
    /// `best_of`), or None when it is the request's own output (no `max_tokens` given or
    /// documented, one completion): what [`crate::calc::cost::CostSettings`] takes.
    pub fn admission_max_tokens(&self, model: &Model) -> Option<f64> {
        match self.max_tokens_for(model) {
            (_, MaxTokensSource::AssumedOutput) if self.best_of == 1 => None,
            (max, _) => Some(max * f64::from(self.best_of)),
        }
    }

    /// Tokens a standard deployment of `model` counts at admission: prompt + `max_tokens` ×
    /// `best_of` (S22), with `max_tokens` from [`RequestShape::max_tokens_for`].
    pub fn admission_tokens_for(&self, model: &Model) -> f64 {
        self.prompt_tokens + self.max_tokens_for(model).0 * f64::from(self.best_of)
    }

    /// Input-equivalent tokens one request uses of a provisioned deployment:
    /// prompt × prompt factor + output weight × output (the long-context weights when the
    /// prompt is above the model's long-context threshold).
    pub fn normalized_tokens_per_request(&self, model: &Model) -> f64 {
        self.prompt_factor(model) * self.prompt_tokens
            + self.weights(model).output * self.output_tokens()
    }

    /// How much one prompt token weighs on average after prompt caching:
    /// (1 − cached − written) × input + cached × cached weight + written × cache-write weight
    /// (S1, GPT-6 normalized token accounting; models without a cache-write weight count written tokens as input).
    pub fn prompt_factor(&self, model: &Model) -> f64 {
        let w = self.weights(model);
        let written = if model.cache_write_weight.is_some() {
            self.cache_write_rate
        } else {
            0.0
        };
        (1.0 - self.cache_rate - written) * w.input
            + self.cache_rate * w.cached
            + written * w.cache_write
    }

    /// Whether this request is long-context on `model` (prompt above its threshold).
    pub fn is_long_context(&self, model: &Model) -> bool {
        model
            .long_context
            .is_some_and(|long| self.prompt_tokens > long.threshold_tokens as f64)
    }

    /// The weight of one output token of this request on `model`.
    pub fn output_weight(&self, model: &Model) -> f64 {
        self.weights(model).output
    }

    /// The token weights that apply to this request on `model`.
    fn weights(&self, model: &Model) -> TokenWeights {
        match model.long_context.filter(|_| self.is_long_context(model)) {
            Some(long) => TokenWeights {
                input: long.input_weight,
                cached: long.cached_input_weight,
                cache_write: long.cache_write_weight,
                output: long.output_weight,
            },
            None => TokenWeights {
                input: 1.0,
                cached: model.cached_input_weight,
                cache_write: model.cache_write_weight.unwrap_or(1.0),
                output: model.output_weight,
            },
        }
    }
}

/// A rate and a request shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Workload {
    /// Requests per minute at the peak being sized for.
    pub rpm: f64,
    /// The shape of each request.
    pub shape: RequestShape,
}

impl Workload {
    /// Checks the rate and pairs it with a shape.
    pub fn new(rpm: f64, shape: RequestShape) -> Result<Workload, ParamError> {
        check_positive(Param::Rpm, rpm, MAX_RPM, "requests per minute")?;
        let tpm = rpm
            * shape
                .tokens_per_request()
                .max(shape.admission_tokens_per_request());
        if tpm > MAX_TPM {
            return Err(ParamError::LoadTooHigh { tpm, most: MAX_TPM });
        }
        Ok(Workload { rpm, shape })
    }

    /// Queries per second: RPM ÷ 60.
    pub fn qps(&self) -> f64 {
        self.rpm / 60.0
    }

    /// Input-equivalent tokens per minute on a provisioned deployment of `model`.
    pub fn normalized_tpm(&self, model: &Model) -> f64 {
        snap(self.rpm * self.shape.normalized_tokens_per_request(model))
    }

    /// Tokens per minute, prompt and completion together.
    pub fn tpm(&self) -> f64 {
        snap(self.rpm * self.shape.tokens_per_request())
    }

    /// Prompt tokens per minute.
    pub fn input_tpm(&self) -> f64 {
        snap(self.rpm * self.shape.prompt_tokens)
    }

    /// Output tokens per minute (completion and reasoning).
    pub fn output_tpm(&self) -> f64 {
        snap(self.rpm * self.shape.output_tokens())
    }
}

/// Checks a token count: finite, 0 to the largest accepted per request.
fn check_token_count(param: Param, value: f64) -> Result<(), ParamError> {
    check_range(param, value, MAX_TOKENS_PER_REQUEST, "a token count")
}

/// Checks that `value` is finite and from 0 to `high`; the error says `what` it is.
pub fn check_range(
    param: Param,
    value: f64,
    high: f64,
    what: &'static str,
) -> Result<(), ParamError> {
    if value.is_finite() && (0.0..=high).contains(&value) {
        Ok(())
    } else {
        Err(ParamError::OutOfRange {
            param,
            value,
            low: 0.0,
            high,
            what,
        })
    }
}

/// Checks `0 < value <= high` and finiteness, naming the parameter on failure.
pub fn check_positive(
    param: Param,
    value: f64,
    high: f64,
    what: &'static str,
) -> Result<(), ParamError> {
    if value.is_finite() && value > 0.0 && value <= high {
        Ok(())
    } else {
        Err(ParamError::NotPositive {
            param,
            value,
            high,
            what,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(total: Option<f64>, prompt: Option<f64>, completion: Option<f64>) -> TokenCounts {
        TokenCounts {
            total,
            prompt,
            completion,
        }
    }

    #[test]
    fn seed_example_500_rpm_times_800_tokens_is_400k_tpm() {
        let shape = RequestShape::new(counts(Some(800.0), None, None), 0.0, None).expect("valid");
        let workload = Workload::new(500.0, shape).expect("valid");
        assert_eq!(workload.tpm(), 400_000.0);
        assert_eq!(shape.token_split, TokenSplit::AssumedAllPrompt);
        assert_eq!(workload.input_tpm(), 400_000.0);
        assert!((workload.qps() - 8.333_333).abs() < 1e-6);
    }

    #[test]
    fn token_split_is_derived_from_the_total() {
        assert_eq!(
            counts(Some(800.0), None, Some(200.0)).resolve(),
            Ok((600.0, 200.0, TokenSplit::PromptDerived))
        );
        assert_eq!(
            counts(Some(800.0), Some(700.0), None).resolve(),
            Ok((700.0, 100.0, TokenSplit::CompletionDerived))
        );
        assert!(counts(Some(800.0), None, Some(900.0)).resolve().is_err());
        assert!(counts(Some(1.0), Some(1.0), Some(0.0)).resolve().is_err());
        assert!(counts(None, Some(1.0), None).resolve().is_err());
    }

    #[test]
    fn rejects_values_outside_their_range() {
        let given = counts(None, Some(100.0), Some(50.0));
        assert!(RequestShape::new(given, 1.5, None).is_err());
        assert!(RequestShape::new(given, f64::NAN, None).is_err());
        assert!(
            RequestShape::new(given, 0.0, Some(10.0)).is_err(),
            "max_tokens < completion"
        );
        assert!(RequestShape::new(counts(None, Some(0.0), Some(0.0)), 0.0, None).is_err());
        assert!(RequestShape::new(counts(None, Some(-1.0), Some(0.0)), 0.0, None).is_err());
        assert!(
            RequestShape::new(counts(None, Some(f64::INFINITY), Some(0.0)), 0.0, None).is_err()
        );
        let shape = RequestShape::new(given, 0.0, None).expect("valid");
        assert!(Workload::new(0.0, shape).is_err());
        assert!(Workload::new(-5.0, shape).is_err());
        assert!(Workload::new(f64::NAN, shape).is_err());
        assert!(Workload::new(2e9, shape).is_err());
        let huge = RequestShape::new(counts(Some(1e7), None, None), 0.0, None).expect("valid");
        assert!(
            Workload::new(1e9, huge).is_err(),
            "1e16 TPM is beyond any deployment"
        );
        assert!(
            RequestShape::new(given, 0.0, Some(0.0)).is_err(),
            "max_tokens 0"
        );
    }

    #[test]
    fn admission_counts_max_tokens() {
        let shape = RequestShape::new(counts(None, Some(100.0), Some(50.0)), 0.5, Some(400.0))
            .expect("valid");
        assert_eq!(shape.tokens_per_request(), 150.0);
        assert_eq!(shape.admission_tokens_per_request(), 500.0);
    }
}
