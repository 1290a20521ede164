//! `size`: from a workload to PTUs per model and deployment type, and the standard quota.
//!
//! Formula (Microsoft Learn, provisioned-throughput-sizing, S1 2026-09-23):
//! input TPM = RPM × prompt; output TPM = RPM × completion;
//! normalized TPM = input TPM × (1 − cache rate) + output weight × output TPM
//! (GPT-6 family: cached prompt tokens weigh `cached_input_weight` instead of 0);
//! PTU raw = normalized TPM ÷ input TPM per PTU; PTU = smallest deployable size ≥ raw.

use serde::Serialize;

use crate::calc::context;
use crate::calc::param::Naming;
use crate::calc::param::ParamError;
use crate::calc::quota::{DEFAULT_MAX_THROTTLE, QuotaRule, RpmWindow, poisson_quota};
use crate::calc::rounding::{ceil_whole, deployable_ptu, snap};
use crate::calc::workload::{MaxTokensSource, RequestShape, TokenSplit, Workload};
use crate::catalog::{CatalogField, Model};
use crate::deployment::DeploymentType;
use crate::error::InputError;
use crate::note::{Note, NoteCode, SizingNote};

/// Shortest prompt served from the prompt cache, in tokens (prompt caching how-to, S20:
/// "A minimum of 1,024 tokens in length"; hits then come in 128-token steps).
pub const MIN_CACHED_PROMPT: f64 = 1024.0;

/// Largest provisioned deployment Azure allows, in PTUs (quotas-limits, S23).
pub const MAX_PTU_PER_DEPLOYMENT: u64 = 100_000;

/// What limit binds a standard deployment or a capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    /// Tokens per minute.
    Tpm,
    /// Requests per minute.
    Rpm,
    /// Provisioned capacity.
    Ptu,
}

impl Binding {
    /// Lower-case name as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Binding::Tpm => "tpm",
            Binding::Rpm => "rpm",
            Binding::Ptu => "ptu",
        }
    }
}

/// Sizing options shared by all models.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeOptions {
    /// Which deployment type to size.
    pub deployment: DeploymentType,
    /// Highest acceptable utilization at the peak, in (0, 1].
    pub target_utilization: f64,
    /// How standard quota is enforced and how much throttling a recommendation may leave.
    pub standard: StandardOptions,
}

/// How a standard quota is sized for a stated rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StandardOptions {
    /// The window requests are counted over.
    pub rpm_window: RpmWindow,
    /// Highest expected share of first attempts refused, in (0, 0.5].
    pub max_throttle: f64,
}

impl Default for StandardOptions {
    fn default() -> Self {
        StandardOptions {
            rpm_window: RpmWindow::OneSecond,
            max_throttle: DEFAULT_MAX_THROTTLE,
        }
    }
}

/// The standard (pay-as-you-go) quota that admits a workload.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StandardQuota {
    /// RPM granted per 1,000 TPM of quota.
    pub rpm_per_1000_tpm: f64,
    /// TPM the service counts at admission: RPM × (prompt + max_tokens × best_of).
    pub admission_tpm: f64,
    /// TPM of quota whose RPM allowance equals the workload's RPM: RPM ÷ ratio × 1,000.
    pub rpm_as_tpm: f64,
    /// Quota that admits the load if requests were spread evenly: the larger of the two,
    /// rounded up to a whole token (Microsoft's calculator's answer).
    pub tpm_quota_even: u64,
    /// Quota needed for Poisson arrivals within the throttle target, in whole units.
    pub tpm_quota: u64,
    /// `tpm_quota` ÷ the target utilization, in whole units.
    pub tpm_quota_for_target: u64,
    /// Which limit needs more quota: the request window (`rpm`) or the tokens (`tpm`).
    pub binding: Binding,
    /// TPM in one unit of capacity.
    pub quota_unit_tpm: u32,
    /// Expected share of first attempts refused at `tpm_quota`.
    pub expected_throttle: f64,
}

/// One model sized for one deployment type. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ModelSizing {
    /// Catalog name.
    pub model: String,
    /// Deployment type sized.
    pub deployment: DeploymentType,
    /// Input TPM one PTU serves.
    pub input_tpm_per_ptu: f64,
    /// Output-to-input token weight.
    pub output_weight: f64,
    /// Weight of a cached prompt token.
    pub cached_input_weight: f64,
    /// Average weight of one prompt token after caching and cache writes.
    pub prompt_factor: f64,
    /// Weight of one output token of this request: `output_weight`, or the long-context one.
    pub output_weight_applied: f64,
    /// Whether the prompt is above the model's long-context threshold (GPT-6 family).
    pub long_context: bool,
    /// Input-equivalent TPM on a provisioned deployment.
    pub normalized_tpm: f64,
    /// PTUs needed before rounding.
    pub ptu_raw: f64,
    /// Smallest deployable PTU count that carries the load.
    pub ptu: u64,
    /// Minimum deployment for this type.
    pub min_ptu: u32,
    /// Scale increment for this type.
    pub increment: u32,
    /// Peak utilization of `ptu`: ptu_raw ÷ ptu.
    pub utilization: f64,
    /// The target utilization used for `ptu_for_target`.
    pub target_utilization: f64,
    /// Smallest deployable PTU count whose peak utilization is at most the target.
    pub ptu_for_target: u64,
    /// Peak utilization of `ptu_for_target`.
    pub utilization_for_target: f64,
    /// Standard RPM per 1,000 TPM (null: not published for this model).
    pub rpm_per_1000_tpm: Option<f64>,
    /// Standard TPM quota that admits the load (null when the RPM ratio is unknown).
    pub standard_tpm_quota: Option<u64>,
    /// Standard TPM quota at the target utilization.
    pub standard_tpm_quota_for_target: Option<u64>,
    /// Standard TPM quota if requests arrived evenly spread over each minute (Microsoft's
    /// calculator's answer; null when the RPM ratio is unknown).
    pub standard_tpm_quota_even: Option<u64>,
    /// Standard quota is granted in units of this many TPM.
    pub standard_quota_unit_tpm: u32,
    /// Expected share of first attempts refused at `standard_tpm_quota` (Poisson arrivals).
    pub standard_expected_throttle: Option<f64>,
    /// Tokens the service counts per request at admission: prompt + max_tokens × best_of.
    pub admission_tokens_per_request: f64,
    /// Where that max_tokens came from: `given`, `model_default` or `assumed_output`.
    pub max_tokens_source: MaxTokensSource,
    /// Which standard limit binds: `tpm` or `rpm` (null when unknown).
    pub binding: Option<Binding>,
    /// Whether one request fits the context window on a provisioned deployment (null: unknown).
    pub fits_context: Option<bool>,
    /// Whether one request fits the context window on a standard deployment (null: unknown).
    pub fits_context_standard: Option<bool>,
    /// Catalog fields of this model that are unverified or conflicting.
    pub unverified: Vec<CatalogField>,
    /// `standard_tpm_quota_for_target` against `--quota-tier`'s default (only with that flag).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota_tier: Option<crate::calc::quota_tier::TierCheck>,
    /// Assumptions, limits hit and caveats for this model.
    pub notes: Vec<crate::note::Note>,
}

/// A model left out of an all-models comparison.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Skipped {
    /// Catalog name.
    pub model: String,
    /// Why it was left out.
    pub reason: NotOffered,
}

/// Why a model was left out of an all-models comparison: it is not offered as the deployment
/// type sized.
#[derive(Debug, Clone, PartialEq)]
pub struct NotOffered {
    /// The deployment type sized.
    pub deployment: DeploymentType,
    /// The provisioned deployment types the model is offered as (the catalog's order).
    pub offered: Vec<DeploymentType>,
}

/// The whole `size` answer. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SizeReport {
    /// Requests per minute.
    pub rpm: f64,
    /// Requests per second.
    pub qps: f64,
    /// The shape of one request (flattened into the JSON object).
    #[serde(flatten)]
    pub shape: RequestShape,
    /// Prompt + completion tokens per request.
    pub tokens_per_request: f64,
    /// Tokens per minute (prompt + completion).
    pub tpm: f64,
    /// Prompt tokens per minute.
    pub input_tpm: f64,
    /// Completion tokens per minute.
    pub output_tpm: f64,
    /// Deployment type sized.
    pub deployment: DeploymentType,
    /// Target peak utilization.
    pub target_utilization: f64,
    /// Window standard deployments count requests over: `1s` or `10s`.
    pub rpm_window: RpmWindow,
    /// Highest expected share of first attempts a standard quota may refuse.
    pub max_throttle: f64,
    /// One entry per sized model.
    pub models: Vec<ModelSizing>,
    /// Models not offered for this deployment type (all-models comparison only).
    pub skipped: Vec<Skipped>,
    /// Prompt tokens measured from files (`size --prompt-file`), else null.
    pub measured_prompt: Option<crate::tokens::count::MeasuredTokens>,
    /// Completion tokens measured from files (`size --completion-file`), else null.
    pub measured_completion: Option<crate::tokens::count::MeasuredTokens>,
    /// Notes about the workload as a whole.
    pub notes: Vec<crate::note::Note>,
}

/// Sizes `workload` on each model. Models that do not offer the deployment type are an error
/// when `models_were_named`, and are listed in `skipped` otherwise.
pub fn size(
    workload: &Workload,
    models: &[&Model],
    options: SizeOptions,
    models_were_named: bool,
) -> Result<SizeReport, InputError> {
    check_target(options.target_utilization)?;
    let mut sized = Vec::new();
    let mut skipped = Vec::new();
    for model in models {
        match size_model(workload, model, options) {
            Some(sizing) => sized.push(sizing),
            None if models_were_named => return Err(model.not_offered(options.deployment)),
            None => skipped.push(Skipped {
                model: model.name.clone(),
                reason: NotOffered {
                    deployment: options.deployment,
                    offered: model.deployments.keys().copied().collect(),
                },
            }),
        }
    }
    let shape = workload.shape;
    Ok(SizeReport {
        rpm: workload.rpm,
        qps: workload.qps(),
        shape,
        tokens_per_request: shape.tokens_per_request(),
        tpm: workload.tpm(),
        input_tpm: workload.input_tpm(),
        output_tpm: workload.output_tpm(),
        deployment: options.deployment,
        target_utilization: options.target_utilization,
        rpm_window: options.standard.rpm_window,
        max_throttle: options.standard.max_throttle,
        notes: workload_notes(
            workload,
            sized
                .iter()
                .any(|m| m.max_tokens_source == MaxTokensSource::AssumedOutput),
        ),
        measured_prompt: None,
        measured_completion: None,
        models: sized,
        skipped,
    })
}

/// Checks a target utilization is in (0, 1].
pub fn check_target(target: f64) -> Result<(), ParamError> {
    if (MIN_TARGET_UTILIZATION..=1.0).contains(&target) {
        return Ok(());
    }
    Err(ParamError::TargetUtilization { value: target })
}

/// Lowest target utilization accepted: below it PTU counts grow past any deployment.
pub const MIN_TARGET_UTILIZATION: f64 = 0.01;

/// Sizes one model, or `None` when it is not offered as this deployment type.
pub fn size_model(workload: &Workload, model: &Model, options: SizeOptions) -> Option<ModelSizing> {
    let grid = model.provisioned(options.deployment)?;
    let shape = workload.shape;
    let target = options.target_utilization;
    let normalized_tpm = workload.normalized_tpm(model);
    let ptu_raw = snap(normalized_tpm / model.input_tpm_per_ptu);
    let ptu = deployable_ptu(ptu_raw, grid.min_ptu, grid.increment);
    let ptu_for_target = deployable_ptu(ptu_raw / target, grid.min_ptu, grid.increment);
    let rpm_per_1000_tpm = model.rpm_per_1000_tpm_for(options.deployment);
    let standard = rpm_per_1000_tpm
        .map(|ratio| standard_quota(workload, model, ratio, target, options.standard));
    let fit = context::check(&shape, model);

    let mut notes = unverified_note(model).into_iter().collect::<Vec<_>>();
    notes.extend(
        fit.problems
            .into_iter()
            .map(|p| Note::of(NoteCode::ContextWindow, p)),
    );
    notes.extend(standard_notes(
        workload,
        model,
        standard.as_ref(),
        options.standard,
    ));
    notes.extend(request_notes(&shape, model, Naming::Flags));
    notes.extend(too_many_ptus_note(ptu_for_target));
    Some(ModelSizing {
        model: model.name.clone(),
        deployment: options.deployment,
        input_tpm_per_ptu: model.input_tpm_per_ptu,
        output_weight: model.output_weight,
        cached_input_weight: model.cached_input_weight,
        prompt_factor: shape.prompt_factor(model),
        output_weight_applied: shape.output_weight(model),
        long_context: shape.is_long_context(model),
        normalized_tpm,
        ptu_raw,
        ptu,
        min_ptu: grid.min_ptu,
        increment: grid.increment,
        utilization: snap(ptu_raw / ptu as f64),
        target_utilization: target,
        ptu_for_target,
        utilization_for_target: snap(ptu_raw / ptu_for_target as f64),
        rpm_per_1000_tpm,
        standard_tpm_quota: standard.map(|q| q.tpm_quota),
        standard_tpm_quota_for_target: standard.map(|q| q.tpm_quota_for_target),
        quota_tier: None,
        standard_tpm_quota_even: standard.map(|q| q.tpm_quota_even),
        standard_quota_unit_tpm: model.quota_unit_tpm,
        standard_expected_throttle: standard.map(|q| snap(q.expected_throttle)),
        admission_tokens_per_request: shape.admission_tokens_for(model),
        max_tokens_source: shape.max_tokens_for(model).1,
        binding: standard.map(|q| q.binding),
        fits_context: fit.provisioned,
        fits_context_standard: fit.standard,
        unverified: model.unverified.clone(),
        notes,
    })
}

/// The catalog values of `model` that are UNVERIFIED or conflicting, if any.
fn unverified_note(model: &Model) -> Option<Note> {
    (!model.unverified.is_empty()).then(|| {
        Note::of(
            NoteCode::UnverifiedCatalogValue,
            SizingNote::UnverifiedCatalogValues {
                model: model.name.clone(),
                fields: model.unverified.iter().map(field_name).collect(),
            },
        )
    })
}

/// The warning for more PTUs than one deployment takes, if so.
fn too_many_ptus_note(ptu: u64) -> Option<Note> {
    (ptu > MAX_PTU_PER_DEPLOYMENT).then(|| {
        Note::of(
            NoteCode::PtuSize,
            SizingNote::TooManyPtus {
                ptu,
                max_ptu: MAX_PTU_PER_DEPLOYMENT,
            },
        )
    })
}

/// The standard quota for a workload on `model` at a given RPM-per-1,000-TPM ratio: sized for
/// Poisson arrivals at the workload's rate ([`poisson_quota`]), in the model's units, with the
/// even-arrival answer alongside.
pub fn standard_quota(
    workload: &Workload,
    model: &Model,
    rpm_per_1000_tpm: f64,
    target: f64,
    options: StandardOptions,
) -> StandardQuota {
    let admission = workload.shape.admission_tokens_for(model);
    let admission_tpm = snap(workload.rpm * admission);
    let rpm_as_tpm = snap(workload.rpm / rpm_per_1000_tpm * 1000.0);
    let rule = QuotaRule {
        rpm_per_1000_tpm,
        unit_tpm: model.quota_unit_tpm,
        window: options.rpm_window,
    };
    let poisson = poisson_quota(&rule, workload.rpm, admission, options.max_throttle);
    StandardQuota {
        rpm_per_1000_tpm,
        admission_tpm,
        rpm_as_tpm,
        tpm_quota_even: ceil_whole(admission_tpm.max(rpm_as_tpm)) as u64,
        tpm_quota: poisson.tpm_quota,
        tpm_quota_for_target: rule.units_up(poisson.tpm_quota as f64 / target),
        binding: poisson.binding,
        quota_unit_tpm: model.quota_unit_tpm,
        expected_throttle: poisson.expected_throttle(),
    }
}

/// The catalog key of a field, as shown to users.
pub fn field_name(field: &CatalogField) -> String {
    serde_json::to_value(field)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Notes on the standard quota: unknown ratio, or how it differs from the even-arrival answer.
fn standard_notes(
    workload: &Workload,
    model: &Model,
    standard: Option<&StandardQuota>,
    options: StandardOptions,
) -> Vec<Note> {
    let Some(quota) = standard else {
        return vec![Note::of(
            NoteCode::RpmNotChecked,
            SizingNote::NoRpmRatio {
                model: model.name.clone(),
            },
        )];
    };
    let mut notes = Vec::new();
    if quota.tpm_quota > quota.tpm_quota_even {
        let note = match quota.binding {
            Binding::Rpm => {
                let window = options.rpm_window;
                SizingNote::PoissonQuotaRequestsBind {
                    tpm_quota: quota.tpm_quota,
                    max_throttle: options.max_throttle,
                    tpm_quota_even: quota.tpm_quota_even,
                    window_seconds: window.seconds(),
                    rpm: workload.rpm,
                    requests_per_window: workload.rpm * window.seconds() as f64 / 60.0,
                }
            }
            _ => SizingNote::PoissonQuotaTokensBind {
                tpm_quota: quota.tpm_quota,
                max_throttle: options.max_throttle,
                tpm_quota_even: quota.tpm_quota_even,
            },
        };
        notes.push(Note::of(NoteCode::StandardQuota, note));
    }
    if let (None, Some(default)) = (workload.shape.max_tokens, model.default_max_tokens) {
        notes.push(Note::of(
            NoteCode::MaxTokensAssumed,
            SizingNote::DefaultMaxTokens {
                model: model.name.clone(),
                default_max_tokens: default,
                counted_max_tokens: workload.shape.max_tokens_for(model).0,
            },
        ));
    }
    notes
}

/// Notes on what the request shape leaves out for this model: reasoning tokens, caching;
/// `naming` spells the parameter to give (a flag, or a plan key).
pub fn request_notes(shape: &RequestShape, model: &Model, naming: Naming) -> Vec<Note> {
    let mut notes = Vec::new();
    if model.reasoning && shape.reasoning_tokens == 0.0 {
        notes.push(Note::of(
            NoteCode::ReasoningTokensMissing,
            SizingNote::ReasoningTokensMissing {
                model: model.name.clone(),
                plan_key: naming == Naming::PlanKeys,
            },
        ));
    }
    if let Some(long) = model.long_context.filter(|_| shape.is_long_context(model)) {
        notes.push(Note::of(
            NoteCode::LongContext,
            SizingNote::LongContext {
                prompt_tokens: shape.prompt_tokens,
                model: model.name.clone(),
                threshold_tokens: long.threshold_tokens,
                threshold_unverified: model.is_unverified(CatalogField::LongContext),
                input_weight: long.input_weight,
                cached_input_weight: long.cached_input_weight,
                cache_write_weight: long.cache_write_weight,
                output_weight: long.output_weight,
            },
        ));
    }
    if shape.cache_write_rate > 0.0 && model.cache_write_weight.is_none() {
        notes.push(Note::of(
            NoteCode::PromptCaching,
            SizingNote::NoCacheWriteWeight {
                model: model.name.clone(),
            },
        ));
    }
    if shape.cache_rate > 0.0 {
        if model.prompt_caching == Some(false) {
            notes.push(Note::of(
                NoteCode::PromptCaching,
                SizingNote::PromptCachingUnsupported {
                    model: model.name.clone(),
                    cache_rate: shape.cache_rate,
                },
            ));
        } else if shape.prompt_tokens < MIN_CACHED_PROMPT {
            notes.push(Note::of(
                NoteCode::PromptCaching,
                SizingNote::PromptTooShortToCache {
                    prompt_tokens: shape.prompt_tokens,
                    cache_rate: shape.cache_rate,
                },
            ));
        }
    }
    notes
}

/// Notes on the workload as a whole; `output_as_max_tokens`: some model counted the output
/// tokens as `max_tokens` at admission (no `--max-tokens`, no documented default).
fn workload_notes(workload: &Workload, output_as_max_tokens: bool) -> Vec<Note> {
    let shape = workload.shape;
    let mut notes = Vec::new();
    match shape.token_split {
        TokenSplit::AssumedAllPrompt => notes.extend(
            shape
                .token_split
                .assumed_note(shape.prompt_tokens, "--tokens"),
        ),
        TokenSplit::PromptDerived => notes.push(Note::of(
            NoteCode::TokenSplitDerived,
            SizingNote::PromptTokensDerived {
                prompt_tokens: shape.prompt_tokens,
            },
        )),
        TokenSplit::CompletionDerived => notes.push(Note::of(
            NoteCode::TokenSplitDerived,
            SizingNote::CompletionTokensDerived {
                completion_tokens: shape.completion_tokens,
            },
        )),
        TokenSplit::Given => {}
    }
    if output_as_max_tokens && shape.output_tokens() > 0.0 {
        notes.push(Note::of(
            NoteCode::MaxTokensAssumed,
            SizingNote::OutputCountedAsMaxTokens,
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::workload::{RequestShape, TokenCounts};
    use crate::catalog::{Catalog, EMBEDDED};
    use crate::note::NoteText;

    fn catalog() -> Catalog {
        Catalog::parse(EMBEDDED, "embedded").expect("embedded catalog is valid")
    }

    fn workload(rpm: f64, prompt: f64, completion: f64, cache_rate: f64) -> Workload {
        let counts = TokenCounts {
            total: None,
            prompt: Some(prompt),
            completion: Some(completion),
        };
        let shape = RequestShape::new(counts, cache_rate, None).expect("valid shape");
        Workload::new(rpm, shape).expect("valid workload")
    }

    fn options(deployment: DeploymentType) -> SizeOptions {
        SizeOptions {
            deployment,
            target_utilization: 1.0,
            standard: StandardOptions::default(),
        }
    }

    /// gpt-4.1 without a default max_tokens, in 1,000-TPM units: the standard quota's
    /// arithmetic alone.
    fn plain_model() -> Model {
        let mut model = catalog().find("gpt-4.1").expect("present").clone();
        model.default_max_tokens = None;
        model.quota_unit_tpm = 1000;
        model
    }

    fn quota(w: &Workload, ratio: f64) -> StandardQuota {
        standard_quota(w, &plain_model(), ratio, 1.0, StandardOptions::default())
    }

    fn size_one(w: &Workload, model: &str, deployment: DeploymentType) -> ModelSizing {
        let catalog = catalog();
        let model = catalog.find(model).expect("model in catalog");
        size_model(w, model, options(deployment)).expect("offered")
    }

    #[test]
    fn we1_gpt_5_2_regional_147_06_to_150() {
        // Learn worked example (S4, concepts/provisioned-throughput.md): 1,000 RPM, 100 prompt, 50 response, ratio 8, 3,400 TPM/PTU.
        let sizing = size_one(
            &workload(1000.0, 100.0, 50.0, 0.0),
            "gpt-5.2",
            DeploymentType::Regional,
        );
        assert_eq!(sizing.normalized_tpm, 500_000.0);
        assert!((sizing.ptu_raw - 147.058_823_5).abs() < 1e-6);
        assert_eq!(sizing.ptu, 150);
    }

    #[test]
    fn we4_gpt_5_2_data_zone_with_and_without_cache() {
        // Learn worked example (S1/S2, provisioned-throughput-sizing): 200/20 tokens → 105.88 → 110; with 50% cache 76.47 → 80.
        let plain = size_one(
            &workload(1000.0, 200.0, 20.0, 0.0),
            "gpt-5.2",
            DeploymentType::DataZone,
        );
        assert_eq!(plain.normalized_tpm, 360_000.0);
        assert!((plain.ptu_raw - 105.882_352_9).abs() < 1e-6);
        assert_eq!(plain.ptu, 110);
        let cached = size_one(
            &workload(1000.0, 200.0, 20.0, 0.5),
            "gpt-5.2",
            DeploymentType::DataZone,
        );
        assert_eq!(cached.normalized_tpm, 260_000.0);
        assert!((cached.ptu_raw - 76.470_588_2).abs() < 1e-6);
        assert_eq!(cached.ptu, 80);
        assert!((cached.utilization - 76.470_588_2 / 80.0).abs() < 1e-9);
    }

    #[test]
    fn we5_gpt_image_2_384_25_to_400() {
        // Learn worked example (S1, provisioned-throughput-sizing): 2,000 text + 1,229 image input (× 1.6) as prompt-equivalent
        // tokens, 7,024 image output tokens at weight 3.75 × 1.6 = 6, 10 RPM, 1,200 per PTU.
        let prompt = 2000.0 + 1229.0 * 1.6;
        let sizing = size_one(
            &workload(10.0, prompt, 7024.0, 0.0),
            "gpt-image-2",
            DeploymentType::Global,
        );
        assert!((sizing.normalized_tpm - 461_104.0).abs() < 1e-6);
        assert!((sizing.ptu_raw - 384.253_333).abs() < 1e-5);
        assert_eq!(sizing.ptu, 400);
    }

    #[test]
    fn gpt_6_cached_tokens_weigh_one_tenth() {
        // S1, GPT-6 normalized token accounting: cached input 0.1, output 5. 1,000 RPM × (1,000 prompt, half cached; 100 out):
        // 1,000 × (500 + 500 × 0.1) + 5 × 100,000 = 1,050,000 normalized TPM ÷ 3,000 = 350.
        let sizing = size_one(
            &workload(1000.0, 1000.0, 100.0, 0.5),
            "gpt-6-sol",
            DeploymentType::Global,
        );
        assert!((sizing.normalized_tpm - 1_050_000.0).abs() < 1e-6);
        assert_eq!(sizing.ptu, 350);
    }

    fn gpt_6_shape(prompt: f64, completion: f64, cached: f64, written: f64) -> RequestShape {
        let counts = TokenCounts {
            total: None,
            prompt: Some(prompt),
            completion: Some(completion),
        };
        RequestShape::new(counts, cached, None)
            .and_then(|s| s.with_cache_writes(Some(written)))
            .expect("valid")
    }

    #[test]
    fn gpt_6_cache_writes_weigh_1_25() {
        // S1, GPT-6 normalized token accounting: 1,000 RPM × 1,000 prompt (50% cached at 0.1, 10% written at 1.25, 40% plain)
        // + 100 output at 5: 1,000 × (400 + 50 + 125) + 500,000 = 1,075,000 ÷ 3,000 = 358.33
        // → 360 PTU.
        let w = Workload::new(1000.0, gpt_6_shape(1000.0, 100.0, 0.5, 0.1)).expect("valid");
        let sizing = size_one(&w, "gpt-6-sol", DeploymentType::Global);
        assert!((sizing.normalized_tpm - 1_075_000.0).abs() < 1e-6);
        assert_eq!(sizing.ptu, 360);
        assert!(!sizing.long_context);
        // gpt-4.1 has no cache-write weight: written tokens count as input, and a note says so.
        let plain = size_one(&w, "gpt-4.1", DeploymentType::Global);
        assert!((plain.prompt_factor - 0.5).abs() < 1e-12);
        assert!(plain.notes.contains(&Note::of(
            NoteCode::PromptCaching,
            SizingNote::NoCacheWriteWeight {
                model: "gpt-4.1".into()
            }
        )));
    }

    #[test]
    fn gpt_6_long_context_requests_weigh_more() {
        // A 300,000-token prompt is above gpt-6-sol's 272,000 threshold (UNVERIFIED): input 2,
        // cached 0.2, cache write 2.5, output 7.5. 10 RPM × 300,000 × (0.4 × 2 + 0.5 × 0.2 +
        // 0.1 × 2.5 = 1.15) + 7.5 × 10,000 = 3,525,000 ÷ 3,000 = 1,175 PTU.
        let w = Workload::new(10.0, gpt_6_shape(300_000.0, 1000.0, 0.5, 0.1)).expect("valid");
        let sizing = size_one(&w, "gpt-6-sol", DeploymentType::Global);
        assert!(sizing.long_context);
        assert!((sizing.normalized_tpm - 3_525_000.0).abs() < 1e-6);
        assert_eq!(sizing.ptu, 1175);
        assert_eq!(sizing.output_weight_applied, 7.5);
        assert!(
            sizing.notes.iter().any(|n| matches!(
                n.text,
                NoteText::Sizing(SizingNote::LongContext {
                    threshold_tokens: 272_000,
                    threshold_unverified: true,
                    ..
                })
            )),
            "{:?}",
            sizing.notes
        );
    }

    #[test]
    fn gpt_4o_mini_output_weight_conflict_is_visible() {
        // Output weight conflict (S12, S13 vs S1): Microsoft's gpt-4o-mini example (S26) — 1,000 RPM, 5,000 prompt,
        // 50 response — gives 139.19 → 140 PTU only with output weight 3; the 2026 tables'
        // weight 4 gives 140.54 → 145. The catalog follows the 2026 tables and says so.
        let w = workload(1000.0, 5000.0, 50.0, 0.0);
        let catalog = catalog();
        let mut model = catalog.find("gpt-4o-mini").expect("present").clone();
        assert!(model.is_unverified(CatalogField::OutputWeight));
        let current = size_model(&w, &model, options(DeploymentType::Global)).expect("offered");
        assert!((current.ptu_raw - 140.540_540_5).abs() < 1e-6);
        assert_eq!(current.ptu, 145);
        let NoteText::Sizing(SizingNote::UnverifiedCatalogValues { fields, .. }) =
            &current.notes[0].text
        else {
            panic!("{:?}", current.notes);
        };
        assert!(fields.contains(&"output_weight".to_string()), "{fields:?}");
        model.output_weight = 3.0;
        let documented = size_model(&w, &model, options(DeploymentType::Global)).expect("offered");
        assert!((documented.ptu_raw - 139.189_189_2).abs() < 1e-6);
        assert_eq!(documented.ptu, 140);
    }

    #[test]
    fn target_utilization_adds_headroom() {
        let w = workload(1000.0, 200.0, 20.0, 0.0);
        let catalog = catalog();
        let model = catalog.find("gpt-5.2").expect("present");
        let options = SizeOptions {
            target_utilization: 0.85,
            ..options(DeploymentType::DataZone)
        };
        let sizing = size_model(&w, model, options).expect("offered");
        // 105.88 / 0.85 = 124.57 → 125 PTU, peak utilization 84.7%.
        assert_eq!(sizing.ptu, 110);
        assert_eq!(sizing.ptu_for_target, 125);
        assert!(sizing.utilization_for_target <= 0.85);
    }

    #[test]
    fn standard_quota_seed_example_binds_on_tokens() {
        // Seed: 500 RPM × 800 tokens = 400,000 TPM; at 6 RPM per 1,000 TPM, 500 RPM needs
        // only 83,334 TPM of quota, so tokens bind. Poisson(500) a minute needs more than
        // the even 400,000: within 1%, one more unit takes it over.
        let w = workload(500.0, 800.0, 0.0, 0.0);
        let q = quota(&w, 6.0);
        assert_eq!(q.tpm_quota_even, 400_000);
        assert_eq!(q.binding, Binding::Tpm);
        assert!((q.rpm_as_tpm - 83_333.333).abs() < 1e-3);
        assert!(q.tpm_quota > 400_000 && q.tpm_quota.is_multiple_of(1000));
        assert!(q.expected_throttle <= 0.01);
    }

    #[test]
    fn small_requests_bind_on_rpm() {
        // 600 RPM of 50-token requests = 30,000 TPM, but 600 RPM at 6 RPM per 1,000 TPM needs
        // 100,000 TPM of quota (10 a second); Poisson(10) a second needs more.
        let q = quota(&workload(600.0, 40.0, 10.0, 0.0), 6.0);
        assert_eq!(q.binding, Binding::Rpm);
        assert_eq!(q.tpm_quota_even, 100_000);
        assert!(q.tpm_quota > 100_000);
        // o1: 1 RPM per 6,000 TPM; 500 RPM needs exactly 3,000,000 TPM (no float noise).
        let q = quota(&workload(500.0, 40.0, 10.0, 0.0), 1.0 / 6.0);
        assert_eq!(q.tpm_quota_even, 3_000_000);
    }

    #[test]
    fn reasoning_tokens_weigh_as_output() {
        // Issue 11: gpt-5.1, 100 RPM × (1,000 prompt + 200 completion + 800 reasoning):
        // 100,000 + 8 × 100,000 = 900,000 normalized TPM ÷ 4,750 = 189.47 → 190 PTU.
        let counts = TokenCounts {
            total: None,
            prompt: Some(1000.0),
            completion: Some(200.0),
        };
        let shape = RequestShape::new(counts, 0.0, None)
            .and_then(|s| s.with_output_extras(Some(800.0), None))
            .expect("valid");
        let w = Workload::new(100.0, shape).expect("valid");
        let sizing = size_one(&w, "gpt-5.1", DeploymentType::Global);
        assert_eq!(sizing.normalized_tpm, 900_000.0);
        assert!((sizing.ptu_raw - 189.473_684).abs() < 1e-5);
        assert_eq!(sizing.ptu, 190);
        assert_eq!(w.output_tpm(), 100_000.0);
        assert_eq!(shape.admission_tokens_per_request(), 2000.0);
    }

    #[test]
    fn model_default_max_tokens_counts_at_admission() {
        // A model whose service default is 4,096 (gpt-4o, S23): with no --max-tokens a
        // 1,000 + 200 request counts 5,096 at admission; a given max_tokens wins.
        let mut model = plain_model();
        model.default_max_tokens = Some(4096);
        let w = workload(60.0, 1000.0, 200.0, 0.0);
        assert_eq!(w.shape.admission_tokens_for(&model), 5096.0);
        let q = standard_quota(&w, &model, 1.0, 1.0, StandardOptions::default());
        assert_eq!(q.admission_tpm, 305_760.0);
        let counts = TokenCounts {
            total: None,
            prompt: Some(1000.0),
            completion: Some(200.0),
        };
        let given = RequestShape::new(counts, 0.0, Some(300.0))
            .and_then(|s| s.with_output_extras(None, Some(2)))
            .expect("valid");
        assert_eq!(given.admission_tokens_for(&model), 1600.0);
    }

    #[test]
    fn named_model_not_offered_is_an_error_and_skipped_otherwise() {
        let catalog = catalog();
        let model = catalog.find("DeepSeek-R1").expect("present");
        let w = workload(10.0, 100.0, 10.0, 0.0);
        let err =
            size(&w, &[model], options(DeploymentType::Regional), true).expect_err("regional");
        assert!(
            err.to_string().contains("offered: global, data-zone"),
            "{err}"
        );
        let report = size(&w, &[model], options(DeploymentType::Regional), false).expect("skips");
        assert!(report.models.is_empty());
        assert_eq!(report.skipped[0].model, "DeepSeek-R1");
    }
}
