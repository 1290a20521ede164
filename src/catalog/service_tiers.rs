//! Service tiers beyond standard pay-as-you-go: priority processing, flex processing and batch.
//! Catalog `[service_tiers]` (the rules that price and limit them), `[model.priority]`,
//! `[model.flex]` and `[[batch_quota]]`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalog::TokenPrices;
use crate::deployment::DeploymentType;

/// The rules that price and limit the tiers, each with its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierRules {
    /// Flex token prices as a share of the standard ones (0.5: "50% of the corresponding
    /// Standard rates").
    pub flex_price_share: f64,
    /// Source of the flex rule.
    pub flex_source: String,
    /// Batch token prices as a share of the standard ones ("50% less cost than global
    /// standard").
    pub batch_price_share: f64,
    /// Source of the batch rule.
    pub batch_source: String,
    /// Priority traffic rising by more than this share ...
    pub priority_ramp_increase: f64,
    /// ... within fewer minutes than this is served (and billed) as standard.
    pub priority_ramp_minutes: u32,
    /// Source of the ramp rule.
    pub priority_source: String,
    /// Most requests one batch input file may hold.
    pub batch_max_requests_per_file: u64,
    /// Source of the batch limits.
    pub batch_limits_source: String,
}

/// Priority processing on one model (catalog `[model.priority]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityOffer {
    /// Standard deployment types it runs on: `global` (Global Standard) and `data-zone` (Data
    /// Zone Standard, US data zone only).
    pub deployments: Vec<DeploymentType>,
    /// Latency target as published, e.g. `99% > 50 TPS`.
    #[serde(default)]
    pub latency_target: Option<String>,
    /// Requests whose prompt is estimated above this many tokens are served, and billed, as
    /// standard.
    #[serde(default)]
    pub long_prompt_tokens: Option<u64>,
    /// Source of the offer and its latency target.
    pub source: String,
    /// Priority token prices per deployment type, USD per 1M tokens (a type not listed: no
    /// price in the catalog).
    #[serde(default)]
    pub prices: BTreeMap<DeploymentType, TokenPrices>,
    /// Source of the prices.
    #[serde(default)]
    pub prices_source: Option<String>,
    /// True when no Microsoft-owned source confirms the prices.
    #[serde(default)]
    pub prices_unverified: bool,
}

/// Flex processing on one model (catalog `[model.flex]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlexOffer {
    /// Standard deployment types it runs on (`global` only today).
    pub deployments: Vec<DeploymentType>,
    /// Source of the offer.
    pub source: String,
}

/// Who holds the subscription: batch quotas differ by it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum SubscriptionType {
    /// Enterprise Agreement and MCA-E.
    Enterprise,
    /// Any other paid subscription ("Default").
    Default,
    /// Monthly credit-card-based subscriptions.
    CreditCard,
    /// MSDN subscriptions.
    Msdn,
    /// Azure for Students and free trials (no batch quota).
    Student,
}

impl SubscriptionType {
    /// The name as in the catalog and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionType::Enterprise => "enterprise",
            SubscriptionType::Default => "default",
            SubscriptionType::CreditCard => "credit-card",
            SubscriptionType::Msdn => "msdn",
            SubscriptionType::Student => "student",
        }
    }
}

impl std::fmt::Display for SubscriptionType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A model's batch enqueued-token quota on one batch deployment type (catalog
/// `[[batch_quota]]`): the tokens a subscription can have enqueued at one time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchQuota {
    /// Catalog model name.
    pub model: String,
    /// `global` (Global Batch) or `data-zone` (Data Zone Batch).
    pub deployment: DeploymentType,
    /// Enqueued tokens per subscription type (a type not listed: no batch quota).
    pub enqueued_tokens: BTreeMap<SubscriptionType, u64>,
    /// Source ID.
    pub source: String,
}

/// The standard deployment types a tier can run on.
const TIER_DEPLOYMENTS: [DeploymentType; 2] = [DeploymentType::Global, DeploymentType::DataZone];

impl super::Catalog {
    /// Checks a model's priority and flex offers: deployment types, sources, prices.
    pub(super) fn validate_tier_offers(
        &self,
        model: &super::Model,
    ) -> Result<(), (String, String)> {
        let at = |field: &str| format!("model '{}', field '{field}'", model.name);
        if let Some(priority) = &model.priority {
            check_deployments(&priority.deployments, &|| at("priority.deployments"))?;
            self.check_source(&priority.source, at("priority.source"))?;
            self.check_optional_source(
                &priority.prices_source,
                !priority.prices.is_empty(),
                at("priority.prices_source"),
            )?;
            super::check_token_prices(&priority.prices, &|field| {
                at(&format!("priority.prices.{field}"))
            })?;
            if let Some(tokens) = priority.long_prompt_tokens {
                super::check_count(tokens, super::MAX_CATALOG_TOKENS)
                    .map_err(|m| (at("priority.long_prompt_tokens"), m))?;
            }
            if let Some(d) = priority
                .prices
                .keys()
                .find(|d| !priority.deployments.contains(d))
            {
                return Err((
                    at(&format!("priority.prices.{d}")),
                    format!("{d} is not in priority.deployments"),
                ));
            }
        }
        if let Some(flex) = &model.flex {
            check_deployments(&flex.deployments, &|| at("flex.deployments"))?;
            self.check_source(&flex.source, at("flex.source"))?;
        }
        Ok(())
    }

    /// Checks `[service_tiers]`: shares from 0 to 1, a ramp window, sources.
    pub(super) fn validate_tier_rules(&self) -> Result<(), (String, String)> {
        let Some(rules) = &self.service_tiers else {
            return Ok(());
        };
        let at = |field: &str| format!("service_tiers, field '{field}'");
        for (field, share) in [
            ("flex_price_share", rules.flex_price_share),
            ("batch_price_share", rules.batch_price_share),
        ] {
            super::check_between(share, 0.01, 1.0).map_err(|m| (at(field), m))?;
        }
        super::check_between(rules.priority_ramp_increase, 0.01, 100.0)
            .map_err(|m| (at("priority_ramp_increase"), m))?;
        super::check_count(u64::from(rules.priority_ramp_minutes), 1440)
            .map_err(|m| (at("priority_ramp_minutes"), m))?;
        super::check_count(rules.batch_max_requests_per_file, 100_000_000)
            .map_err(|m| (at("batch_max_requests_per_file"), m))?;
        for (field, id) in [
            ("flex_source", &rules.flex_source),
            ("batch_source", &rules.batch_source),
            ("priority_source", &rules.priority_source),
            ("batch_limits_source", &rules.batch_limits_source),
        ] {
            self.check_source(id, at(field))?;
        }
        Ok(())
    }

    /// Checks each `[[batch_quota]]`: a catalog model, a batch deployment type, counts, a
    /// source, once per model and type.
    pub(super) fn validate_batch_quotas(&self) -> Result<(), (String, String)> {
        let mut seen = std::collections::HashSet::new();
        for (i, quota) in self.batch_quotas().iter().enumerate() {
            let at =
                |field: &str| format!("batch_quota #{} ({}), field '{field}'", i + 1, quota.model);
            if self.lookup(&quota.model).map(|m| &m.name) != Some(&quota.model) {
                return Err((
                    at("model"),
                    format!("'{}' is not a catalog model name", quota.model),
                ));
            }
            check_deployments(std::slice::from_ref(&quota.deployment), &|| {
                at("deployment")
            })?;
            for (subscription, tokens) in &quota.enqueued_tokens {
                super::check_count(*tokens, 1_000_000_000_000)
                    .map_err(|m| (at(&format!("enqueued_tokens.{subscription}")), m))?;
            }
            self.check_source(&quota.source, at("source"))?;
            if !seen.insert((&quota.model, quota.deployment)) {
                return Err((
                    at("deployment"),
                    "the same model and deployment type is listed twice".into(),
                ));
            }
        }
        Ok(())
    }
}

/// Tiers run on Global Standard and Data Zone Standard deployments only.
fn check_deployments(
    deployments: &[DeploymentType],
    at: &dyn Fn() -> String,
) -> Result<(), (String, String)> {
    match deployments.iter().find(|d| !TIER_DEPLOYMENTS.contains(d)) {
        Some(d) => Err((
            at(),
            format!("{d} is not a tier deployment type: use global or data-zone"),
        )),
        None if deployments.is_empty() => Err((at(), "must name at least one type".into())),
        None => Ok(()),
    }
}
