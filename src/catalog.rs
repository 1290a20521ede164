//! The model catalog: per-model PTU ratios, deployment minimums and increments, standard
//! (pay-as-you-go) RPM ratios and context windows, each with its source and date.
//!
//! The default catalog is `models.toml` at the top of the repository, embedded in the binary.
//! [`Catalog::parse`] is pure: it turns TOML text into a validated catalog or an error that
//! names the file, the model, the field and (for syntax errors) the line.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::deployment::{DeploymentType, Sku};
use crate::error::{CatalogError, InputError};

pub mod service_tiers;

pub use service_tiers::{BatchQuota, FlexOffer, PriorityOffer, SubscriptionType, TierRules};

/// The default catalog's TOML text (`models.toml`), compiled into the binary.
pub const EMBEDDED: &str = include_str!("../models.toml");

/// The same catalog as JSON, converted by `build.rs`: JSON parses several times faster, and the
/// embedded catalog is read on every run. Empty when the TOML does not parse.
const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/models.json"));
/// The embedded catalog's quota-tier and region lists (JSON), parsed on first use.
const EMBEDDED_EXTRAS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/extras.json"));

/// Sane ranges for catalog values: far beyond any real model, and small enough that nothing
/// computed from them overflows or prints as garbage.
const MAX_TPM_PER_PTU: f64 = 1e7;
/// Largest token weight (output, cached, cache write, long context).
const MAX_WEIGHT: f64 = 100.0;
/// Smallest and largest standard RPM per 1,000 TPM (o3-mini's 0.1 is the smallest published).
const MIN_RPM_RATIO: f64 = 1e-3;
const MAX_RPM_RATIO: f64 = 1e4;
/// Largest pay-as-you-go price, USD per 1M tokens.
pub const MAX_TOKEN_PRICE: f64 = 1e4;
/// Smallest price of anything (tokens, PTUs): a ten-thousandth of the currency's unit, below
/// any meter Azure lists; a smaller one would make a plan free and recommend it.
pub const MIN_PRICE: f64 = 1e-4;
/// Largest PTU price per hour.
pub const MAX_PTU_PRICE_HOURLY: f64 = 1e4;
/// Largest PTU price for a 1-month reservation.
pub const MAX_PTU_PRICE_MONTHLY: f64 = 1e6;
/// Largest PTU price for a 1-year reservation.
pub const MAX_PTU_PRICE_YEARLY: f64 = 1e7;
/// Largest PTU minimum or increment (one deployment holds at most 100,000 PTUs).
const MAX_PTU_GRID: u64 = 100_000;
/// Largest context limit, quota unit or default max_tokens, in tokens.
const MAX_CATALOG_TOKENS: u64 = 1_000_000_000;

/// The catalog schema version this build understands.
pub const SCHEMA_VERSION: u32 = 1;

/// A validated catalog.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Catalog {
    /// Where it was loaded from: `embedded` or a path.
    pub origin: String,
    /// Date the catalog's numbers were compiled (YYYY-MM-DD).
    pub as_of: String,
    /// One-line description.
    pub description: Option<String>,
    /// Cited sources by ID.
    pub sources: BTreeMap<String, Source>,
    /// Models in catalog order.
    pub models: Vec<Model>,
    /// PTU prices per provisioned deployment type.
    pub ptu_prices: BTreeMap<DeploymentType, PtuPrices>,
    /// ISO code of every price in it: `USD`, or a price overlay's currency.
    pub currency: String,
    /// The rules that price and limit priority, flex and batch (absent: those tiers are not
    /// priced).
    pub service_tiers: Option<TierRules>,
    /// Quota tiers and regions (see [`Catalog::quota_tiers`], [`Catalog::region_lists`]).
    #[serde(skip)]
    #[schemars(skip)]
    extras: Extras,
}

/// The catalog's quota-tier and region lists: given with the file, or, for the embedded
/// catalog, parsed on first use (most commands never read them).
#[derive(Debug, Clone, Default)]
struct Extras {
    lists: std::sync::OnceLock<ExtraLists>,
}

/// The lists themselves.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraLists {
    #[serde(default)]
    quota_tier: Vec<QuotaTier>,
    #[serde(default)]
    availability: Vec<Availability>,
    #[serde(default)]
    batch_quota: Vec<BatchQuota>,
}

/// The Azure regions where a model can be deployed on one SKU (catalog `[[availability]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    /// Catalog model name.
    pub model: String,
    /// The Azure SKU.
    pub sku: Sku,
    /// ARM region names, e.g. `eastus2`.
    pub regions: Vec<String>,
    /// Source ID.
    pub source: String,
}

/// The default standard quota a quota tier grants a subscription, per region, for one model and
/// standard SKU (catalog `[[quota_tier]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaTier {
    /// Catalog model name.
    pub model: String,
    /// A standard SKU: `GlobalStandard`, `DataZoneStandard` or `Standard`.
    pub sku: Sku,
    /// Tier number, 1 to 6 (0: the Free tier).
    pub tier: u8,
    /// Tokens per minute granted.
    pub tpm: u64,
    /// Requests per minute granted (absent: not published per minute).
    #[serde(default)]
    pub rpm: Option<u64>,
    /// Source ID.
    pub source: String,
}

/// The highest quota tier number (tiers 1 to 6, and 0 for Free).
pub const MAX_QUOTA_TIER: u8 = 6;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    schema_version: u32,
    as_of: String,
    description: Option<String>,
    #[serde(default)]
    source: BTreeMap<String, Source>,
    #[serde(default)]
    model: Vec<Model>,
    #[serde(default)]
    ptu_prices: BTreeMap<DeploymentType, PtuPrices>,
    #[serde(default)]
    quota_tier: Vec<QuotaTier>,
    #[serde(default)]
    availability: Vec<Availability>,
    #[serde(default)]
    batch_quota: Vec<BatchQuota>,
    #[serde(default)]
    service_tiers: Option<TierRules>,
}

/// What one PTU of a provisioned deployment type costs, in USD.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PtuPrices {
    /// Per PTU per hour, billed hourly.
    pub hourly: f64,
    /// Per PTU per month with a 1-month reservation.
    pub monthly: f64,
    /// Per PTU per year with a 1-year reservation.
    pub yearly: f64,
    /// Source ID of these prices.
    pub source: String,
    /// True when no Microsoft-owned source confirms them.
    #[serde(default)]
    pub unverified: bool,
    /// Caveats and conflicts.
    #[serde(default)]
    pub note: Option<String>,
}

/// Pay-as-you-go prices of one standard deployment type, USD per 1 million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenPrices {
    /// Uncached prompt tokens.
    pub input: f64,
    /// Cached prompt tokens (absent: not published).
    #[serde(default)]
    pub cached: Option<f64>,
    /// Completion tokens.
    pub output: f64,
}

/// A cited document.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// What it is (document, repository path, commit).
    pub title: String,
    /// Where to read it, when public.
    #[serde(default)]
    pub url: Option<String>,
    /// The document's own date (YYYY-MM-DD).
    pub date: String,
}

/// One model's capacity parameters.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Canonical name, e.g. `gpt-4.1`.
    pub name: String,
    /// Other accepted names, e.g. versioned `gpt-4.1-2025-04-14`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Input tokens per minute one PTU serves.
    pub input_tpm_per_ptu: f64,
    /// How many input tokens one output token counts as.
    pub output_weight: f64,
    /// How many input tokens one cached prompt token counts as (0 = deducted entirely).
    #[serde(default)]
    pub cached_input_weight: f64,
    /// Standard deployments: RPM granted per 1,000 TPM of quota (absent = not published).
    #[serde(default)]
    pub rpm_per_1000_tpm: Option<f64>,
    /// Per-type exceptions to `rpm_per_1000_tpm`.
    #[serde(default)]
    pub rpm_per_1000_tpm_by_deployment: BTreeMap<DeploymentType, f64>,
    /// Latency target as published, e.g. `99% > 50 TPS`.
    #[serde(default)]
    pub latency_target: Option<String>,
    /// Fields whose value is unverified or conflicting between sources.
    #[serde(default)]
    pub unverified: Vec<CatalogField>,
    /// Conflicts, caveats and what is not modelled.
    #[serde(default)]
    pub note: Option<String>,
    /// Source IDs behind each group of numbers.
    pub sources: ModelSources,
    /// Provisioned deployment types offered, with their minimum and increment.
    #[serde(default)]
    pub deployments: BTreeMap<DeploymentType, Provisioned>,
    /// Context window limits, when published.
    #[serde(default)]
    pub context: Option<Context>,
    /// tiktoken encoding of the model's tokens (absent: not in tiktoken's table).
    #[serde(default)]
    pub tokenizer: Option<crate::tokens::encoding::Encoding>,
    /// Pay-as-you-go prices per standard deployment type (a type not listed: no price).
    #[serde(default)]
    pub prices: BTreeMap<DeploymentType, TokenPrices>,
    /// Standard quota is granted in units of this many TPM (absent: 1,000).
    #[serde(default = "default_quota_unit")]
    pub quota_unit_tpm: u32,
    /// Whether a provisioned deployment can spill over to a standard one (absent: yes).
    #[serde(default = "spillover_default")]
    pub spillover: bool,
    /// Whether the model supports prompt caching (absent: unknown).
    #[serde(default)]
    pub prompt_caching: Option<bool>,
    /// A reasoning model: hidden reasoning tokens are billed and counted as output tokens.
    #[serde(default)]
    pub reasoning: bool,
    /// The `max_tokens` the service assumes when a client sends none, where documented.
    #[serde(default)]
    pub default_max_tokens: Option<u64>,
    /// Context limits of dated versions (aliases) that differ from the model's own.
    #[serde(default)]
    pub version_context: BTreeMap<String, Context>,
    /// Weight of a prompt token written to the prompt cache (GPT-6 family: 1.25).
    #[serde(default)]
    pub cache_write_weight: Option<f64>,
    /// Long-context token weights (GPT-6 family), absent when the model has none.
    #[serde(default)]
    pub long_context: Option<LongContext>,
    /// Deprecation and retirement dates, where published.
    #[serde(default)]
    pub lifecycle: Option<crate::lifecycle::Lifecycle>,
    /// Priority processing, where offered.
    #[serde(default)]
    pub priority: Option<PriorityOffer>,
    /// Flex processing, where offered.
    #[serde(default)]
    pub flex: Option<FlexOffer>,
}

fn default_quota_unit() -> u32 {
    1000
}

fn spillover_default() -> bool {
    true
}

/// Token weights of long-context requests (prompt above a threshold), GPT-6 family.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LongContext {
    /// Prompt tokens above which a request is long-context.
    pub threshold_tokens: u64,
    /// Weight of an uncached long-context prompt token.
    pub input_weight: f64,
    /// Weight of a cached long-context prompt token.
    pub cached_input_weight: f64,
    /// Weight of a long-context prompt token written to the cache.
    pub cache_write_weight: f64,
    /// Weight of a long-context output token.
    pub output_weight: f64,
}

/// Names of the catalog fields that can be marked unverified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum CatalogField {
    InputTpmPerPtu,
    OutputWeight,
    CachedInputWeight,
    #[serde(rename = "rpm_per_1000_tpm")]
    RpmPer1000Tpm,
    Deployments,
    Context,
    LatencyTarget,
    Prices,
    PtuPrices,
    QuotaUnitTpm,
    Spillover,
    PromptCaching,
    Reasoning,
    DefaultMaxTokens,
    VersionContext,
    CacheWriteWeight,
    LongContext,
}

/// Which source backs which group of a model's numbers.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelSources {
    /// Input TPM per PTU, output weight, minimums and increments.
    pub provisioned: String,
    /// The standard RPM ratio.
    #[serde(default)]
    pub standard: Option<String>,
    /// The context window.
    #[serde(default)]
    pub context: Option<String>,
    /// The pay-as-you-go prices.
    #[serde(default)]
    pub prices: Option<String>,
    /// The tokenizer encoding.
    #[serde(default)]
    pub tokenizer: Option<String>,
    /// The quota unit and the default `max_tokens`.
    #[serde(default)]
    pub quota: Option<String>,
    /// Spillover, prompt caching and reasoning support.
    #[serde(default)]
    pub features: Option<String>,
}

/// A provisioned deployment type's sizing grid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provisioned {
    /// Smallest deployment, in PTUs.
    pub min_ptu: u32,
    /// Step between deployable sizes, in PTUs.
    pub increment: u32,
}

/// Context window limits in tokens; any may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// Largest prompt.
    #[serde(default)]
    pub max_input: Option<u64>,
    /// Largest completion (`max_tokens`).
    #[serde(default)]
    pub max_output: Option<u64>,
    /// Prompt + completion.
    #[serde(default)]
    pub max_total: Option<u64>,
    /// Largest prompt on provisioned deployments, where lower.
    #[serde(default)]
    pub provisioned_max_input: Option<u64>,
    /// Prompt + completion on standard deployments, where lower.
    #[serde(default)]
    pub standard_max_total: Option<u64>,
}

impl Context {
    /// Each limit with its catalog key.
    pub fn limits(&self) -> [(&'static str, Option<u64>); 5] {
        [
            ("max_input", self.max_input),
            ("max_output", self.max_output),
            ("max_total", self.max_total),
            ("provisioned_max_input", self.provisioned_max_input),
            ("standard_max_total", self.standard_max_total),
        ]
    }

    /// These limits with `other`'s where it sets them.
    pub fn overlaid(self, other: &Context) -> Context {
        Context {
            max_input: other.max_input.or(self.max_input),
            max_output: other.max_output.or(self.max_output),
            max_total: other.max_total.or(self.max_total),
            provisioned_max_input: other.provisioned_max_input.or(self.provisioned_max_input),
            standard_max_total: other.standard_max_total.or(self.standard_max_total),
        }
    }
}

impl Model {
    /// The standard RPM per 1,000 TPM for a deployment type, if published.
    pub fn rpm_per_1000_tpm_for(&self, deployment: DeploymentType) -> Option<f64> {
        self.rpm_per_1000_tpm_by_deployment
            .get(&deployment)
            .copied()
            .or(self.rpm_per_1000_tpm)
    }

    /// The provisioned grid for a deployment type, or `None` when not offered.
    pub fn provisioned(&self, deployment: DeploymentType) -> Option<Provisioned> {
        self.deployments.get(&deployment).copied()
    }

    /// The offered provisioned types as a comma-separated list (or `none`).
    pub fn offered_list(&self) -> String {
        if self.deployments.is_empty() {
            return "none".to_string();
        }
        let names: Vec<&str> = self.deployments.keys().map(|d| d.as_str()).collect();
        names.join(", ")
    }

    /// Whether a field is marked unverified.
    pub fn is_unverified(&self, field: CatalogField) -> bool {
        self.unverified.contains(&field)
    }

    /// The error for a deployment type this model is not offered as.
    pub fn not_offered(&self, deployment: DeploymentType) -> InputError {
        InputError::NotOffered {
            model: self.name.clone(),
            deployment: deployment.to_string(),
            offered: self.offered_list(),
        }
    }
}

impl Catalog {
    /// The embedded catalog, validated. Reads the build-time JSON copy; falls back to the TOML
    /// (for its error message) if that copy is missing.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        match serde_json::from_str::<CatalogFile>(EMBEDDED_JSON) {
            // The embedded catalog cannot change after the build, and the test suite validates
            // it (`embedded_catalog_is_valid`): checking it again on every start would cost
            // every command a few hundred microseconds.
            Ok(file) if file.schema_version == SCHEMA_VERSION => {
                let mut catalog = Catalog::unchecked(file, "embedded");
                catalog.extras = Extras::default();
                Ok(catalog)
            }
            _ => Catalog::parse(EMBEDDED, "embedded"),
        }
    }

    /// Parses and validates catalog TOML. `origin` names it in errors (`embedded` or a path).
    pub fn parse(text: &str, origin: &str) -> Result<Catalog, CatalogError> {
        let file: CatalogFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_and_column(text, span.start))
                .unwrap_or((1, 1));
            CatalogError::Syntax {
                origin: origin.to_string(),
                line,
                column,
                message: plain_type_names(e.message().trim()),
            }
        })?;
        Catalog::from_file(file, origin)
    }

    /// Validates a deserialized catalog file.
    fn from_file(file: CatalogFile, origin: &str) -> Result<Catalog, CatalogError> {
        let schema_version = file.schema_version;
        let catalog = Catalog::unchecked(file, origin);
        let invalid = |place: String, message: String| CatalogError::Invalid {
            origin: origin.to_string(),
            place,
            message,
        };
        if schema_version != SCHEMA_VERSION {
            return Err(invalid(
                "field 'schema_version'".into(),
                format!("is {schema_version}, this ptuplan reads version {SCHEMA_VERSION}"),
            ));
        }
        catalog
            .validate()
            .map_err(|(place, message)| invalid(place, message))?;
        Ok(catalog)
    }

    /// A catalog file as it is, not validated.
    fn unchecked(file: CatalogFile, origin: &str) -> Catalog {
        Catalog {
            origin: origin.to_string(),
            as_of: file.as_of,
            description: file.description,
            sources: file.source,
            models: file.model,
            ptu_prices: file.ptu_prices,
            currency: "USD".to_string(),
            service_tiers: file.service_tiers,
            extras: Extras {
                lists: std::sync::OnceLock::from(ExtraLists {
                    quota_tier: file.quota_tier,
                    availability: file.availability,
                    batch_quota: file.batch_quota,
                }),
            },
        }
    }

    /// IDs of the sources a model cites: its `sources` table, then any mentioned in its note.
    pub fn cited_sources(&self, model: &Model) -> Vec<String> {
        let named = [
            Some(&model.sources.provisioned),
            model.sources.standard.as_ref(),
            model.sources.context.as_ref(),
            model.sources.prices.as_ref(),
            model.sources.tokenizer.as_ref(),
            model.sources.quota.as_ref(),
            model.sources.features.as_ref(),
            model.lifecycle.as_ref().map(|l| &l.source),
            model.priority.as_ref().map(|p| &p.source),
            model
                .priority
                .as_ref()
                .and_then(|p| p.prices_source.as_ref()),
            model.flex.as_ref().map(|f| &f.source),
        ];
        let lifecycle_note = model.lifecycle.as_ref().and_then(|l| l.note.as_deref());
        let in_notes = [model.note.as_deref(), lifecycle_note]
            .into_iter()
            .flatten()
            .flat_map(|note| note.split(|c: char| !c.is_ascii_alphanumeric()))
            .filter(|word| self.sources.contains_key(*word));
        let mut ids: Vec<String> = Vec::new();
        for id in named
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain(in_notes)
        {
            if !ids.iter().any(|known| known == id) {
                ids.push(id.to_string());
            }
        }
        ids
    }

    /// Batch enqueued-token quotas per model and batch deployment type.
    pub fn batch_quotas(&self) -> &[BatchQuota] {
        &self.lists().batch_quota
    }

    /// The batch quota of `model` on `deployment`, if batch is offered there.
    pub fn batch_quota(&self, model: &str, deployment: DeploymentType) -> Option<&BatchQuota> {
        self.batch_quotas()
            .iter()
            .find(|q| q.model == model && q.deployment == deployment)
    }

    /// The quota-tier and region lists (the embedded catalog's are parsed here, once).
    fn lists(&self) -> &ExtraLists {
        self.extras
            .lists
            .get_or_init(|| serde_json::from_str(EMBEDDED_EXTRAS_JSON).unwrap_or_default())
    }

    /// Default standard quota per model, standard SKU and quota tier.
    pub fn quota_tiers(&self) -> &[QuotaTier] {
        &self.lists().quota_tier
    }

    /// The regions each model is offered in, per Azure SKU.
    pub fn region_lists(&self) -> &[Availability] {
        &self.lists().availability
    }

    /// The default quota `tier` grants for `model` on standard `sku`, if published.
    pub fn quota_tier(&self, model: &str, sku: Sku, tier: u8) -> Option<&QuotaTier> {
        self.quota_tiers()
            .iter()
            .find(|q| q.model == model && q.sku == sku && q.tier == tier)
    }

    /// The regions where `model` is offered on `sku`, if the catalog lists them.
    pub fn availability(&self, model: &str, sku: Sku) -> Option<&Availability> {
        self.region_lists()
            .iter()
            .find(|a| a.model == model && a.sku == sku)
    }

    /// The model with this name or alias (ASCII case ignored), if any; no suggestion is
    /// computed (see [`Catalog::find`] for the error users see).
    pub fn lookup(&self, name: &str) -> Option<&Model> {
        let wanted = name.trim();
        self.models.iter().find(|m| {
            m.name.eq_ignore_ascii_case(wanted)
                || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(wanted))
        })
    }

    /// Finds a model by name or alias, ignoring ASCII case.
    pub fn find(&self, name: &str) -> Result<&Model, InputError> {
        let wanted = name.trim();
        self.lookup(wanted).ok_or_else(|| InputError::UnknownModel {
            name: name.to_string(),
            suggestion: self.closest_name(wanted),
        })
    }

    /// Finds a model by name or alias; a dated version with limits of its own
    /// (`version_context`, e.g. gpt-4o-2024-05-13's 4,096 output tokens) comes back as a copy
    /// with those limits.
    pub fn find_version(&self, name: &str) -> Result<Cow<'_, Model>, InputError> {
        let model = self.find(name)?;
        let wanted = name.trim();
        Ok(
            match model
                .version_context
                .iter()
                .find(|(version, _)| version.eq_ignore_ascii_case(wanted))
            {
                Some((_, limits)) => {
                    let mut versioned = model.clone();
                    versioned.context = Some(model.context.unwrap_or_default().overlaid(limits));
                    Cow::Owned(versioned)
                }
                None => Cow::Borrowed(model),
            },
        )
    }

    /// The model a log names: a catalog name or alias, also with a dated version suffix as
    /// OpenAI-style responses report it (`gpt-4o-2024-08-06` is gpt-4o).
    pub fn find_logged(&self, name: &str) -> Option<&Model> {
        let name = name.trim();
        self.find(name).ok().or_else(|| {
            let (base, date) = name.split_at_checked(name.len().checked_sub(11)?)?;
            let is_date = date.len() == 11
                && date.bytes().enumerate().all(|(i, c)| match i {
                    0 | 5 | 8 => c == b'-',
                    _ => c.is_ascii_digit(),
                });
            is_date.then(|| self.find(base).ok()).flatten()
        })
    }

    /// The catalog name closest to `wanted`: the first name it begins, or the nearest name
    /// within a typo's distance (one edit per four characters, at least one).
    fn closest_name(&self, wanted: &str) -> Option<String> {
        let wanted = wanted.to_ascii_lowercase();
        // No model name is long: a long input is no typo, and edit distances to it are costly.
        if wanted.is_empty() || wanted.len() > 64 {
            return None;
        }
        if let Some(model) = self
            .models
            .iter()
            .find(|m| m.name.to_ascii_lowercase().starts_with(&wanted))
        {
            return Some(model.name.clone());
        }
        self.models
            .iter()
            .flat_map(|m| {
                std::iter::once(&m.name)
                    .chain(&m.aliases)
                    .map(move |candidate| (m, candidate))
            })
            .map(|(m, candidate)| {
                let distance = strsim::levenshtein(&wanted, &candidate.to_ascii_lowercase());
                (distance, m.name.clone())
            })
            .filter(|(distance, _)| *distance <= 1.max(wanted.len() / 4))
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, name)| name)
    }

    /// Checks every value; returns the place (model and field) and the problem.
    fn validate(&self) -> Result<(), (String, String)> {
        check_date(&self.as_of).map_err(|m| ("field 'as_of'".to_string(), m))?;
        if self.models.is_empty() {
            return Err((
                "models".into(),
                "the catalog has no [[model]] entries".into(),
            ));
        }
        for (id, source) in &self.sources {
            check_date(&source.date).map_err(|m| (format!("source '{id}', field 'date'"), m))?;
        }
        for (deployment, prices) in &self.ptu_prices {
            let field = |name: &str| format!("ptu_prices.{deployment}, field '{name}'");
            check_price(prices.hourly, MAX_PTU_PRICE_HOURLY).map_err(|m| (field("hourly"), m))?;
            check_price(prices.monthly, MAX_PTU_PRICE_MONTHLY)
                .map_err(|m| (field("monthly"), m))?;
            check_price(prices.yearly, MAX_PTU_PRICE_YEARLY).map_err(|m| (field("yearly"), m))?;
            self.check_source(&prices.source, field("source"))?;
        }
        // Every name and alias, lower-cased, with the model that owns it and how.
        let mut seen: HashMap<String, (&str, &str)> = HashMap::new();
        for model in &self.models {
            if model.name.trim().is_empty() {
                let at = format!("model '{}', field 'name'", model.name);
                return Err((at, "must not be empty".into()));
            }
            self.check_names(model, &mut seen)?;
            check_model_numbers(model)?;
            self.check_model_sources(model)?;
            self.validate_quota_and_features(model)?;
            self.validate_lifecycle(model)?;
            let at = |field: &str| format!("model '{}', field '{field}'", model.name);
            check_token_prices(&model.prices, &|field| at(&format!("prices.{field}")))?;
            self.validate_tier_offers(model)?;
        }
        self.validate_quota_tiers()?;
        self.validate_availability()?;
        self.validate_tier_rules()?;
        self.validate_batch_quotas()
    }

    /// A model's name and aliases: plain, and unique (ignoring case) across the catalog;
    /// `seen` holds every name and alias so far, lower-cased, with its owner and how.
    fn check_names<'m>(
        &self,
        model: &'m Model,
        seen: &mut HashMap<String, (&'m str, &'static str)>,
    ) -> Result<(), (String, String)> {
        let at = |field: &str| format!("model '{}', field '{field}'", model.name);
        let names = std::iter::once((&model.name, "name"))
            .chain(model.aliases.iter().map(|alias| (alias, "aliases")));
        for (name, field) in names {
            // Names go into deployments, templates and configs: keep them plain.
            let plain = name.len() <= 100
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
            if !plain {
                return Err((
                    at(field),
                    format!(
                        "'{}' is not a model name: at most 100 letters, digits, '.', '-' \
                         and '_'",
                        crate::text::clean(name, 100)
                    ),
                ));
            }
            let key = name.to_ascii_lowercase();
            if let Some((owner, how)) = seen.get(&key) {
                let used = if *how == "name" {
                    "the name of"
                } else {
                    "an alias of"
                };
                let message = if *owner == model.name.as_str() && *how == "name" && field == "name"
                {
                    "the model is defined twice".to_string()
                } else {
                    format!("'{name}' is already {used} model '{owner}'")
                };
                return Err((at(field), message));
            }
            seen.insert(key, (&model.name, field));
        }
        Ok(())
    }

    /// A model's sources: the provisioned one always, the others where their data is given.
    fn check_model_sources(&self, model: &Model) -> Result<(), (String, String)> {
        let at = |field: &str| format!("model '{}', field '{field}'", model.name);
        self.check_source(&model.sources.provisioned, at("sources.provisioned"))?;
        let has_standard =
            model.rpm_per_1000_tpm.is_some() || !model.rpm_per_1000_tpm_by_deployment.is_empty();
        self.check_optional_source(
            &model.sources.standard,
            has_standard,
            at("sources.standard"),
        )?;
        self.check_optional_source(
            &model.sources.context,
            model.context.is_some(),
            at("sources.context"),
        )?;
        self.check_optional_source(
            &model.sources.prices,
            !model.prices.is_empty(),
            at("sources.prices"),
        )?;
        self.check_optional_source(
            &model.sources.tokenizer,
            model.tokenizer.is_some(),
            at("sources.tokenizer"),
        )?;
        Ok(())
    }

    /// Checks that each availability entry names a catalog model, ARM region names and a
    /// defined source, once per model and SKU.
    fn validate_availability(&self) -> Result<(), (String, String)> {
        let names: HashSet<&str> = self.models.iter().map(|m| m.name.as_str()).collect();
        let mut listed = HashSet::new();
        for (i, entry) in self.region_lists().iter().enumerate() {
            let at = |field: &str| {
                format!(
                    "availability #{} ({} {}), field '{field}'",
                    i + 1,
                    entry.model,
                    entry.sku
                )
            };
            if !names.contains(entry.model.as_str()) {
                return Err((
                    at("model"),
                    format!("'{}' is not a catalog model name", entry.model),
                ));
            }
            if let Some(bad) = entry.regions.iter().find(|r| {
                r.is_empty()
                    || !r
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            }) {
                return Err((
                    at("regions"),
                    format!("'{bad}' is not an ARM region name (lower-case, e.g. eastus2)"),
                ));
            }
            if entry.regions.is_empty() {
                return Err((
                    at("regions"),
                    "is empty: list a region or leave the entry out".into(),
                ));
            }
            let mut seen = HashSet::new();
            if let Some(twice) = entry.regions.iter().find(|r| !seen.insert(r.as_str())) {
                return Err((at("regions"), format!("'{twice}' is listed twice")));
            }
            self.check_source(&entry.source, at("source"))?;
            if !listed.insert((entry.model.as_str(), entry.sku)) {
                return Err((at("sku"), "the same model and SKU is listed twice".into()));
            }
        }
        Ok(())
    }

    fn check_source(&self, id: &str, place: String) -> Result<(), (String, String)> {
        if self.sources.contains_key(id) {
            Ok(())
        } else {
            Err((
                place,
                format!("source '{id}' is not defined in a [source.{id}] table"),
            ))
        }
    }

    /// Checks that each quota tier entry names a catalog model, a standard SKU, a tier from 0 to
    /// 6 and a defined source, once per model, SKU and tier.
    fn validate_quota_tiers(&self) -> Result<(), (String, String)> {
        let mut seen = HashSet::new();
        let names: HashSet<&str> = self.models.iter().map(|m| m.name.as_str()).collect();
        for (i, entry) in self.quota_tiers().iter().enumerate() {
            let at =
                |field: &str| format!("quota_tier #{} ({}), field '{field}'", i + 1, entry.model);
            if !names.contains(entry.model.as_str()) {
                return Err((
                    at("model"),
                    format!("'{}' is not a catalog model name", entry.model),
                ));
            }
            if entry.sku.is_provisioned() {
                return Err((
                    at("sku"),
                    format!(
                        "{} is provisioned; quota tiers are for GlobalStandard, DataZoneStandard \
                         and Standard",
                        entry.sku
                    ),
                ));
            }
            if entry.tier > MAX_QUOTA_TIER {
                return Err((
                    at("tier"),
                    format!("{} is not a tier from 0 (Free) to 6", entry.tier),
                ));
            }
            if entry.tpm > MAX_CATALOG_TOKENS {
                return Err((
                    at("tpm"),
                    format!("must be at most {MAX_CATALOG_TOKENS}, got {}", entry.tpm),
                ));
            }
            self.check_source(&entry.source, at("source"))?;
            if !seen.insert((&entry.model, entry.sku, entry.tier)) {
                return Err((
                    at("tier"),
                    "the same model, SKU and tier is listed twice".into(),
                ));
            }
        }
        Ok(())
    }

    /// Follows `model`'s replacements through the catalog; the chain as `a → b → a` if it
    /// comes back to a model already passed.
    fn check_replacement_chain(&self, model: &Model) -> Result<(), String> {
        let mut chain = vec![model.name.as_str()];
        let mut next = model;
        while let Some(name) = next
            .lifecycle
            .as_ref()
            .and_then(|l| l.replacement.as_deref())
        {
            let Some(found) = self.lookup(name) else {
                return Ok(());
            };
            let seen = chain.contains(&found.name.as_str());
            chain.push(&found.name);
            if seen {
                return Err(chain.join(" → "));
            }
            next = found;
        }
        Ok(())
    }

    /// Checks that a model's lifecycle cites a source and that no deprecation follows its
    /// retirement (for the model and for each SKU).
    fn validate_lifecycle(&self, model: &Model) -> Result<(), (String, String)> {
        let Some(lifecycle) = &model.lifecycle else {
            return Ok(());
        };
        let at = |field: &str| format!("model '{}', field 'lifecycle.{field}'", model.name);
        self.check_source(&lifecycle.source, at("source"))?;
        if let Some(name) = lifecycle.replacement.as_deref() {
            if name.trim().is_empty() {
                return Err((
                    at("replacement"),
                    "is empty: name a model or leave it out".into(),
                ));
            }
            if name.eq_ignore_ascii_case(&model.name) {
                return Err((at("replacement"), "names the model itself".into()));
            }
            self.check_replacement_chain(model)
                .map_err(|chain| (at("replacement"), format!("the chain {chain} is a cycle")))?;
        }
        for (sku, dates) in &lifecycle.by_sku {
            if dates.deprecation.is_none() && dates.retirement.is_none() {
                return Err((
                    at(&format!("by_sku.{sku}")),
                    "gives no date: add deprecation or retirement, or leave it out".into(),
                ));
            }
        }
        let dates = std::iter::once((
            "deprecation".to_string(),
            lifecycle.deprecation,
            lifecycle.retirement,
        ))
        .chain(lifecycle.by_sku.iter().map(|(sku, d)| {
            (
                format!("by_sku.{sku}.deprecation"),
                d.deprecation.or(lifecycle.deprecation),
                d.retirement.or(lifecycle.retirement),
            )
        }));
        for (field, deprecation, retirement) in dates {
            if let (Some(deprecation), Some(retirement)) = (deprecation, retirement)
                && deprecation > retirement
            {
                return Err((
                    at(&field),
                    format!("{deprecation} is after the retirement date {retirement}"),
                ));
            }
        }
        Ok(())
    }

    /// Checks the quota unit, the default `max_tokens`, per-version limits, cache-write and
    /// long-context weights, and that the quota and feature values name their sources.
    fn validate_quota_and_features(&self, model: &Model) -> Result<(), (String, String)> {
        let at = |field: &str| format!("model '{}', field '{field}'", model.name);
        check_count(u64::from(model.quota_unit_tpm), MAX_CATALOG_TOKENS)
            .map_err(|m| (at("quota_unit_tpm"), m))?;
        if let Some(tokens) = model.default_max_tokens {
            check_count(tokens, MAX_CATALOG_TOKENS).map_err(|m| (at("default_max_tokens"), m))?;
        }
        for (version, context) in &model.version_context {
            if !model
                .aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(version))
            {
                return Err((
                    at(&format!("version_context.{version}")),
                    format!("names no alias of the model; add '{version}' to its aliases"),
                ));
            }
            for (field, limit) in context.limits() {
                if let Some(limit) = limit {
                    check_count(limit, MAX_CATALOG_TOKENS)
                        .map_err(|m| (at(&format!("version_context.{version}.{field}")), m))?;
                }
            }
        }
        if let Some(weight) = model.cache_write_weight {
            check_weight(weight).map_err(|m| (at("cache_write_weight"), m))?;
        }
        if let Some(long) = &model.long_context {
            for (field, weight) in [
                ("input_weight", long.input_weight),
                ("cached_input_weight", long.cached_input_weight),
                ("cache_write_weight", long.cache_write_weight),
                ("output_weight", long.output_weight),
            ] {
                check_weight(weight).map_err(|m| (at(&format!("long_context.{field}")), m))?;
            }
            check_count(long.threshold_tokens, MAX_CATALOG_TOKENS)
                .map_err(|m| (at("long_context.threshold_tokens"), m))?;
        }
        let has_quota = model.quota_unit_tpm != 1000 || model.default_max_tokens.is_some();
        self.check_optional_source(&model.sources.quota, has_quota, at("sources.quota"))?;
        let has_features = !model.spillover || model.prompt_caching.is_some() || model.reasoning;
        self.check_optional_source(
            &model.sources.features,
            has_features,
            at("sources.features"),
        )
    }

    fn check_optional_source(
        &self,
        id: &Option<String>,
        required: bool,
        place: String,
    ) -> Result<(), (String, String)> {
        match id {
            Some(id) => self.check_source(id, place),
            None if required => Err((
                place,
                "is required: name the source of these numbers".into(),
            )),
            None => Ok(()),
        }
    }
}

/// Checks token prices per deployment type; `at` names a field (`global.input`) in errors.
fn check_token_prices(
    prices: &BTreeMap<DeploymentType, TokenPrices>,
    at: &dyn Fn(&str) -> String,
) -> Result<(), (String, String)> {
    for (deployment, prices) in prices {
        let field = |name: &str| at(&format!("{deployment}.{name}"));
        check_price(prices.input, MAX_TOKEN_PRICE).map_err(|m| (field("input"), m))?;
        check_price(prices.output, MAX_TOKEN_PRICE).map_err(|m| (field("output"), m))?;
        if let Some(cached) = prices.cached {
            check_price(cached, MAX_TOKEN_PRICE).map_err(|m| (field("cached"), m))?;
        }
    }
    Ok(())
}

fn check_weight(value: f64) -> Result<(), String> {
    if value.is_finite() && (0.0..=MAX_WEIGHT).contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "must be a weight from 0 to {MAX_WEIGHT}, got {}",
            crate::numfmt::quoted(value)
        ))
    }
}

fn check_positive(value: f64, max: f64) -> Result<(), String> {
    if value.is_finite() && value > 0.0 && value <= max {
        Ok(())
    } else {
        Err(format!(
            "must be above 0 and at most {max:e}, got {}",
            crate::numfmt::quoted(value)
        ))
    }
}

/// A price from [`MIN_PRICE`] to `max`, or why not.
pub fn check_price(value: f64, max: f64) -> Result<(), String> {
    check_between(value, MIN_PRICE, max)
}

fn check_between(value: f64, min: f64, max: f64) -> Result<(), String> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "must be from {min:e} to {max:e}, got {}",
            crate::numfmt::quoted(value)
        ))
    }
}

/// Checks a count (PTUs, tokens) is from 1 to `max`.
fn check_count(value: u64, max: u64) -> Result<(), String> {
    if (1..=max).contains(&value) {
        Ok(())
    } else {
        Err(format!("must be from 1 to {max}, got {value}"))
    }
}

/// Accepts `YYYY-MM-DD` with a plausible month and day.
fn check_date(date: &str) -> Result<(), String> {
    let parts: Vec<&str> = date.split('-').collect();
    let ok = parts.len() == 3
        && parts[0].len() == 4
        && parts[1].len() == 2
        && parts[2].len() == 2
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && (1..=12).contains(&parts[1].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&parts[2].parse::<u32>().unwrap_or(0));
    if ok {
        Ok(())
    } else {
        Err(format!("must be a date written YYYY-MM-DD, got '{date}'"))
    }
}

/// serde's Rust type names in a message, in words: `expected f64` → `expected a number`.
fn plain_type_names(message: &str) -> String {
    message
        .replace('\n', " ")
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number")
        .replace("expected u64", "expected a whole number")
        .replace("expected a sequence", "expected a list [\"...\"]")
}

/// 1-based line and column of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A model's numbers within their ranges: PTU ratios, weights, RPM ratios, PTU grids, context.
fn check_model_numbers(model: &Model) -> Result<(), (String, String)> {
    let at = |field: &str| format!("model '{}', field '{field}'", model.name);
    check_between(model.input_tpm_per_ptu, 1.0, MAX_TPM_PER_PTU)
        .map_err(|m| (at("input_tpm_per_ptu"), m))?;
    check_positive(model.output_weight, MAX_WEIGHT).map_err(|m| (at("output_weight"), m))?;
    if !(0.0..=1.0).contains(&model.cached_input_weight) {
        return Err((
            at("cached_input_weight"),
            format!("must be between 0 and 1, got {}", model.cached_input_weight),
        ));
    }
    if let Some(ratio) = model.rpm_per_1000_tpm {
        check_between(ratio, MIN_RPM_RATIO, MAX_RPM_RATIO)
            .map_err(|m| (at("rpm_per_1000_tpm"), m))?;
    }
    for (deployment, ratio) in &model.rpm_per_1000_tpm_by_deployment {
        check_between(*ratio, MIN_RPM_RATIO, MAX_RPM_RATIO).map_err(|m| {
            (
                at(&format!("rpm_per_1000_tpm_by_deployment.{deployment}")),
                m,
            )
        })?;
    }
    for (deployment, grid) in &model.deployments {
        check_count(u64::from(grid.min_ptu), MAX_PTU_GRID)
            .map_err(|m| (at(&format!("deployments.{deployment}.min_ptu")), m))?;
        check_count(u64::from(grid.increment), MAX_PTU_GRID)
            .map_err(|m| (at(&format!("deployments.{deployment}.increment")), m))?;
    }
    if let Some(context) = &model.context {
        for (field, limit) in context.limits() {
            if let Some(limit) = limit {
                check_count(limit, MAX_CATALOG_TOKENS)
                    .map_err(|m| (at(&format!("context.{field}")), m))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
schema_version = 1
as_of = "2026-11-22"
[source.S1]
title = "test"
date = "2026-09-23"
[[model]]
name = "m"
aliases = ["m-2025-01-01"]
input_tpm_per_ptu = 3000
output_weight = 4
sources = { provisioned = "S1" }
[model.deployments]
global = { min_ptu = 15, increment = 5 }
"#;

    fn parse(text: &str) -> Result<Catalog, CatalogError> {
        Catalog::parse(text, "test.toml")
    }

    #[test]
    fn tier_offers_rules_and_batch_quotas_are_checked() {
        let priority = "[model.priority]\ndeployments = [\"global\"]\nsource = \"S1\"\n";
        let batch = |body: &str| {
            format!(
                "{MINIMAL}[[batch_quota]]\n{body}\nenqueued_tokens = {{ default = 5 }}\nsource = \"S1\"\n"
            )
        };
        let rules = "[service_tiers]\nflex_price_share = 0.5\nflex_source = \"S1\"\n\
            batch_price_share = 0.5\nbatch_source = \"S1\"\npriority_ramp_increase = 0.5\n\
            priority_ramp_minutes = 15\npriority_source = \"S1\"\n\
            batch_max_requests_per_file = 100000\nbatch_limits_source = \"S1\"\n";
        let with_rules = |text: &str| text.replace("[source.S1]", &format!("{rules}[source.S1]"));
        let ok = with_rules(&batch("model = \"m\"\ndeployment = \"global\""));
        let catalog = parse(&format!("{ok}{priority}")).expect("valid");
        assert_eq!(
            catalog
                .batch_quota("m", DeploymentType::Global)
                .map(|q| q.enqueued_tokens[&SubscriptionType::Default]),
            Some(5)
        );
        let cases = [
            (
                format!("{MINIMAL}{}", priority.replace("global", "regional")),
                "model 'm', field 'priority.deployments'",
            ),
            (
                format!("{MINIMAL}{}", priority.replace("S1", "S9")),
                "source 'S9'",
            ),
            (
                format!(
                    "{MINIMAL}{priority}[model.priority.prices]\nglobal = {{ input = 1, output = 2 }}\n"
                ),
                "field 'priority.prices_source'",
            ),
            (
                format!(
                    "{MINIMAL}{priority}prices_source = \"S1\"\n[model.priority.prices]\ndata-zone = {{ input = 1, output = 2 }}\n"
                ),
                "data-zone is not in priority.deployments",
            ),
            (
                batch("model = \"x\"\ndeployment = \"global\""),
                "'x' is not a catalog model name",
            ),
            (
                batch("model = \"m\"\ndeployment = \"regional\""),
                "batch_quota #1 (m), field 'deployment'",
            ),
            (
                with_rules(MINIMAL).replace("flex_price_share = 0.5", "flex_price_share = 2"),
                "field 'flex_price_share'",
            ),
            (
                with_rules(MINIMAL)
                    .replace("priority_ramp_minutes = 15", "priority_ramp_minutes = 0"),
                "field 'priority_ramp_minutes'",
            ),
        ];
        for (text, expected) in cases {
            let message = parse(&text).expect_err(expected).to_string();
            assert!(message.contains(expected), "{expected}: {message}");
        }
    }

    #[test]
    fn quota_tier_and_region_entries_must_name_catalog_models_and_skus() {
        let tier = |body: &str| format!("{MINIMAL}[[quota_tier]]\n{body}\nsource = \"S1\"\n");
        let region = |body: &str| format!("{MINIMAL}[[availability]]\n{body}\nsource = \"S1\"\n");
        let ok = tier("model = \"m\"\nsku = \"GlobalStandard\"\ntier = 1\ntpm = 1000");
        assert!(parse(&ok).is_ok());
        let cases = [
            (
                tier("model = \"x\"\nsku = \"GlobalStandard\"\ntier = 1\ntpm = 1000"),
                "'x' is not a catalog model name",
            ),
            (
                tier("model = \"m\"\nsku = \"ProvisionedManaged\"\ntier = 1\ntpm = 1000"),
                "ProvisionedManaged is provisioned",
            ),
            (
                tier("model = \"m\"\nsku = \"GlobalStandard\"\ntier = 7\ntpm = 1000"),
                "7 is not a tier from 0 (Free) to 6",
            ),
            (
                region("model = \"m\"\nsku = \"Standard\"\nregions = [\"East US\"]"),
                "'East US' is not an ARM region name",
            ),
            (
                region("model = \"x\"\nsku = \"Standard\"\nregions = [\"eastus\"]"),
                "'x' is not a catalog model name",
            ),
        ];
        for (text, expected) in cases {
            let error = parse(&text).expect_err(expected).to_string();
            assert!(error.contains(expected), "{expected}: {error}");
        }
        let twice = format!(
            "{}[[quota_tier]]\nmodel = \"m\"\nsku = \"GlobalStandard\"\ntier = 1\ntpm = 9\n\
             source = \"S1\"\n",
            ok
        );
        let error = parse(&twice).expect_err("twice").to_string();
        assert!(error.contains("listed twice"), "{error}");
    }

    #[test]
    fn models_named_in_logs_with_a_dated_version() {
        let catalog = Catalog::embedded().expect("embedded");
        let name = |logged: &str| catalog.find_logged(logged).map(|m| m.name.as_str());
        assert_eq!(name("gpt-4o-2024-08-06"), Some("gpt-4o"));
        assert_eq!(name(" GPT-4.1 "), Some("gpt-4.1"));
        assert_eq!(name("gpt-4o-mini-2024-07-18"), Some("gpt-4o-mini"));
        assert_eq!(name("gpt-35-turbo"), None);
        assert_eq!(
            name("gpt-4o-2024-8-6"),
            None,
            "only a full date is a version"
        );
        assert_eq!(name("é-2024-08-06x"), None, "no panic on a char boundary");
    }

    #[test]
    fn embedded_catalog_is_valid() {
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("embedded catalog parses");
        // The build-time JSON copy is the same catalog.
        let fast = Catalog::embedded().expect("embedded JSON parses");
        // Catalog::embedded() skips validation at run time: this is where it is validated.
        fast.validate().expect("the build-time JSON copy is valid");
        assert_eq!(
            fast.quota_tiers(),
            catalog.quota_tiers(),
            "lazy quota tiers"
        );
        assert_eq!(
            fast.region_lists(),
            catalog.region_lists(),
            "lazy region lists"
        );
        assert!(fast.quota_tiers().len() > 200 && fast.region_lists().len() > 80);
        assert_eq!(
            serde_json::to_value(&fast.models).expect("serializes"),
            serde_json::to_value(&catalog.models).expect("serializes")
        );
        assert_eq!(fast.sources.len(), catalog.sources.len());
        assert!(catalog.models.len() >= 25);
        // Spot checks against Learn's per-model PTU table (S1, 2026-09-23).
        let gpt52 = catalog.find("gpt-5.2").expect("gpt-5.2 present");
        assert_eq!(gpt52.input_tpm_per_ptu, 3400.0);
        assert_eq!(gpt52.output_weight, 8.0);
        assert_eq!(
            gpt52.provisioned(DeploymentType::Regional),
            Some(Provisioned {
                min_ptu: 50,
                increment: 50
            })
        );
        let o1 = catalog.find("o1").expect("o1 present");
        assert_eq!(
            o1.provisioned(DeploymentType::Regional),
            Some(Provisioned {
                min_ptu: 25,
                increment: 50
            })
        );
        let deepseek = catalog.find("DeepSeek-R1").expect("DeepSeek-R1 present");
        assert_eq!(deepseek.provisioned(DeploymentType::Regional), None);
        assert!(
            catalog
                .find("gpt-4o")
                .expect("gpt-4o")
                .is_unverified(CatalogField::OutputWeight)
        );
    }

    #[test]
    fn tokenizers_agree_with_tiktokens_model_table() {
        use crate::tokens::encoding::Encoding;
        use tiktoken_rs::tokenizer::{Tokenizer, get_tokenizer};
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        for model in &catalog.models {
            let expected = match get_tokenizer(&model.name) {
                Some(Tokenizer::O200kBase) => Some(Encoding::O200kBase),
                Some(Tokenizer::Cl100kBase) => Some(Encoding::Cl100kBase),
                Some(other) => panic!("{}: unexpected {other:?}", model.name),
                None => None,
            };
            assert_eq!(model.tokenizer, expected, "{}", model.name);
        }
    }

    #[test]
    fn finds_by_alias_ignoring_case() {
        let catalog = parse(MINIMAL).expect("valid");
        assert_eq!(
            catalog.find("M-2025-01-01").map(|m| m.name.as_str()),
            Ok("m")
        );
    }

    #[test]
    fn suggests_close_names() {
        let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
        assert_eq!(
            catalog.find("gpt-4.l").map(|m| m.name.clone()),
            Err(InputError::UnknownModel {
                name: "gpt-4.l".into(),
                suggestion: Some("gpt-4.1".into())
            })
        );
        assert!(matches!(
            catalog.find("claude"),
            Err(InputError::UnknownModel {
                suggestion: None,
                ..
            })
        ));
    }

    #[test]
    fn syntax_errors_name_the_line() {
        let text = MINIMAL.replace("output_weight = 4", "output_weight = = 4");
        let err = parse(&text).expect_err("invalid");
        assert!(
            matches!(
                err,
                CatalogError::Syntax {
                    line: 11,
                    column: 17,
                    ..
                }
            ),
            "{err}"
        );
        let text = MINIMAL.replace("output_weight = 4", "output_wieght = 4");
        let message = parse(&text).expect_err("unknown field").to_string();
        assert!(
            message.contains("test.toml") && message.contains("output_wieght"),
            "{message}"
        );
    }

    #[test]
    fn semantic_errors_name_model_and_field() {
        let cases = [
            (
                "output_weight = 4",
                "output_weight = -4",
                "field 'output_weight'",
            ),
            (
                "output_weight = 4",
                "output_weight = nan",
                "field 'output_weight'",
            ),
            (
                "input_tpm_per_ptu = 3000",
                "input_tpm_per_ptu = inf",
                "field 'input_tpm_per_ptu'",
            ),
            (
                "increment = 5",
                "increment = 0",
                "deployments.global.increment",
            ),
            (
                "provisioned = \"S1\"",
                "provisioned = \"S9\"",
                "source 'S9'",
            ),
            (
                "aliases = [\"m-2025-01-01\"]",
                "aliases = [\"M\"]",
                "'M' is already the name of model 'm'",
            ),
            (
                "output_weight = 4",
                "output_weight = \"four\"",
                "expected a number",
            ),
            (
                "as_of = \"2026-11-22\"",
                "as_of = \"22/11/2026\"",
                "field 'as_of'",
            ),
        ];
        for (from, to, expected) in cases {
            let message = parse(&MINIMAL.replace(from, to)).expect_err(to).to_string();
            assert!(message.contains(expected), "{to}: {message}");
            assert!(message.contains("test.toml"), "{message}");
        }
    }

    #[test]
    fn unknown_deployment_type_is_rejected() {
        let text = MINIMAL.replace("global = {", "everywhere = {");
        let message = parse(&text).expect_err("unknown type").to_string();
        assert!(message.contains("everywhere"), "{message}");
    }
}
