//! The ways Azure sells the same tokens besides standard pay-as-you-go, priced for `cost`:
//! priority processing (a premium price and a latency target; traffic that ramps too fast is
//! served, and billed, as standard: S57), flex processing (preview; half the standard price
//! when flex capacity is there, HTTP 429 when not: S59) and batch (half the standard price,
//! a 24-hour target, an enqueued-token quota per subscription type: S60, S61). The rules and
//! their sources are the catalog's `[service_tiers]`.

use serde::Serialize;

use crate::catalog::{Catalog, Model, SubscriptionType, TierRules, TokenPrices};
use crate::deployment::DeploymentType;

/// A way of buying tokens on a standard deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceTier {
    /// Standard pay-as-you-go.
    Standard,
    /// Priority processing.
    Priority,
    /// Flex processing (preview).
    Flex,
    /// Batch (24-hour target).
    Batch,
}

impl ServiceTier {
    /// The name as in JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceTier::Standard => "standard",
            ServiceTier::Priority => "priority",
            ServiceTier::Flex => "flex",
            ServiceTier::Batch => "batch",
        }
    }
}

/// One tier's token prices for a model and deployment type, and where they came from.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TierPrice {
    /// Per 1M uncached prompt tokens.
    pub input: f64,
    /// Per 1M cached prompt tokens (null: not published; cached tokens cost the input price).
    pub cached: Option<f64>,
    /// Per 1M completion tokens.
    pub output: f64,
    /// Source IDs, `override`, or the rule that derives them (e.g. `S59: 50% of S30`).
    pub source: String,
    /// True when a price used is UNVERIFIED.
    pub unverified: bool,
}

impl TierPrice {
    /// The prices as token prices.
    pub fn tokens(&self) -> TokenPrices {
        TokenPrices {
            input: self.input,
            cached: self.cached,
            output: self.output,
        }
    }
}

/// Priority prices given on the command line, each replacing the catalog's.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PriorityOverrides {
    /// Per 1M uncached prompt tokens.
    pub input: Option<f64>,
    /// Per 1M cached prompt tokens.
    pub cached: Option<f64>,
    /// Per 1M completion tokens.
    pub output: Option<f64>,
}

/// The standard prices the derived tiers start from.
#[derive(Debug, Clone, Copy)]
pub struct StandardPrice<'a> {
    /// The prices in use (catalog, overlay or flags).
    pub prices: &'a TokenPrices,
    /// Their source.
    pub source: &'a str,
    /// Whether they are UNVERIFIED.
    pub unverified: bool,
}

/// A subscription's batch enqueued-token quota for one model and batch type.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct BatchLimit {
    /// The subscription type it is for.
    pub subscription: SubscriptionType,
    /// Tokens that may be enqueued at one time.
    pub enqueued_tokens: u64,
    /// Source ID.
    pub source: String,
}

/// Priority processing as priced for one model and deployment type.
#[derive(Debug, Clone, PartialEq)]
pub struct PrioritySetup {
    /// The prices.
    pub price: TierPrice,
    /// The published latency target.
    pub latency_target: Option<String>,
    /// Prompts above this many tokens are served and billed as standard.
    pub long_prompt_tokens: Option<u64>,
    /// How fast priority traffic may rise before the excess is served as standard.
    pub ramp: RampRule,
    /// Source of the ramp rule.
    pub ramp_source: String,
}

/// Batch as priced for one model and deployment type.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchSetup {
    /// The prices.
    pub price: TierPrice,
    /// The subscription's enqueued-token quota (None: no quota for its subscription type).
    pub limit: Option<BatchLimit>,
    /// Most requests per input file.
    pub max_requests_per_file: u64,
    /// Whose quota applies.
    pub subscription: SubscriptionType,
}

impl BatchSetup {
    /// Whether `share` of a load whose prompts come to `daily_prompt_tokens` a day fits the
    /// subscription's enqueued-token quota (a day's jobs enqueued at once: batch targets 24
    /// hours); `Err` says why not, and the largest share that fits.
    pub fn fits(&self, daily_prompt_tokens: f64, share: f64, model: &str) -> Result<(), String> {
        let enqueued = daily_prompt_tokens * share;
        match &self.limit {
            Some(limit) if enqueued <= limit.enqueued_tokens as f64 => Ok(()),
            Some(limit) => Err(format!(
                "a day of it enqueues {} prompt tokens, above the {} enqueued-token quota of {} \
                 subscriptions for {model} ({}; a day's jobs enqueued at once, as batch targets \
                 24 hours): send at most {} of the load to batch, or name a subscription type \
                 with more quota",
                crate::numfmt::count(enqueued.round()),
                crate::numfmt::count(limit.enqueued_tokens as f64),
                limit.subscription,
                limit.source,
                share_that_fits(limit.enqueued_tokens as f64 / daily_prompt_tokens)
            )),
            None => Err(format!(
                "{} subscriptions have no batch quota for {model} (S61)",
                self.subscription
            )),
        }
    }
}

/// A share as a percentage rounded down, with three decimals below 1% (`0.062%`), so that
/// the share said to fit does.
fn share_that_fits(share: f64) -> String {
    let decimals = if share < 0.01 { 3 } else { 1 };
    let scale = 10f64.powi(decimals as i32);
    let percent = (share * 100.0 * scale).floor() / scale;
    format!("{}%", crate::numfmt::number(percent, decimals, true))
}

/// Every tier beyond standard for one model and deployment type: its setup, or why it is not
/// priced (not offered, or offered without a known price).
#[derive(Debug, Clone, PartialEq)]
pub struct TierSetup {
    /// Priority processing.
    pub priority: Result<PrioritySetup, String>,
    /// Flex processing.
    pub flex: Result<TierPrice, String>,
    /// Batch.
    pub batch: Result<BatchSetup, String>,
}

impl TierSetup {
    /// No tier beyond standard (a catalog without `[service_tiers]`, or tests).
    pub fn none(reason: &str) -> TierSetup {
        TierSetup {
            priority: Err(reason.to_string()),
            flex: Err(reason.to_string()),
            batch: Err(reason.to_string()),
        }
    }

    /// The tiers `model` offers on `deployment`, priced from the catalog, the standard
    /// prices in use and the overrides.
    pub fn resolve(
        catalog: &Catalog,
        model: &Model,
        deployment: DeploymentType,
        standard: StandardPrice<'_>,
        overrides: &PriorityOverrides,
        subscription: SubscriptionType,
    ) -> TierSetup {
        let Some(rules) = &catalog.service_tiers else {
            return TierSetup::none("the catalog has no [service_tiers] rules");
        };
        TierSetup {
            priority: priority(model, deployment, rules, overrides, &catalog.currency),
            flex: flex(model, deployment, rules, standard),
            batch: batch(catalog, model, deployment, rules, standard, subscription),
        }
    }
}

/// Priority's prices (flags over catalog) and rules, or why it is not priced.
fn priority(
    model: &Model,
    deployment: DeploymentType,
    rules: &TierRules,
    overrides: &PriorityOverrides,
    currency: &str,
) -> Result<PrioritySetup, String> {
    let offer = model
        .priority
        .as_ref()
        .filter(|p| p.deployments.contains(&deployment))
        .ok_or_else(|| not_offered("priority processing", model, deployment, "S56"))?;
    let catalog = offer.prices.get(&deployment);
    let (Some(input), Some(output)) = (
        overrides.input.or(catalog.map(|p| p.input)),
        overrides.output.or(catalog.map(|p| p.output)),
    ) else {
        return Err(format!(
            "no price: the catalog has no {currency} priority price for {} on {deployment}; \
             pass --price-priority-input and --price-priority-output",
            model.name
        ));
    };
    let overridden =
        overrides.input.is_some() || overrides.output.is_some() || overrides.cached.is_some();
    // Fully: no catalog price is left in use (a catalog cached price still counts).
    let cached_from_catalog =
        overrides.cached.is_none() && catalog.is_some_and(|p| p.cached.is_some());
    let fully_overridden =
        overrides.input.is_some() && overrides.output.is_some() && !cached_from_catalog;
    let source = match (
        offer.prices_source.as_deref().filter(|_| catalog.is_some()),
        overridden,
    ) {
        (Some(id), false) => id.to_string(),
        (Some(id), true) if !fully_overridden => format!("{id} + override"),
        _ => "override".to_string(),
    };
    Ok(PrioritySetup {
        price: TierPrice {
            input,
            cached: overrides.cached.or(catalog.and_then(|p| p.cached)),
            output,
            source,
            unverified: offer.prices_unverified && !fully_overridden,
        },
        latency_target: offer.latency_target.clone(),
        long_prompt_tokens: offer.long_prompt_tokens,
        ramp: RampRule {
            increase: rules.priority_ramp_increase,
            minutes: rules.priority_ramp_minutes,
            floor_tpm: 0.0,
        },
        ramp_source: rules.priority_source.clone(),
    })
}

/// Flex prices: the catalog's share of the standard prices in use.
fn flex(
    model: &Model,
    deployment: DeploymentType,
    rules: &TierRules,
    standard: StandardPrice<'_>,
) -> Result<TierPrice, String> {
    model
        .flex
        .as_ref()
        .filter(|f| f.deployments.contains(&deployment))
        .ok_or_else(|| not_offered("flex processing", model, deployment, &rules.flex_source))?;
    Ok(share_of(
        standard,
        rules.flex_price_share,
        &rules.flex_source,
    ))
}

/// Batch prices (the catalog's share of the standard prices in use) and the subscription's
/// enqueued-token quota; batch is offered where the catalog lists a quota.
fn batch(
    catalog: &Catalog,
    model: &Model,
    deployment: DeploymentType,
    rules: &TierRules,
    standard: StandardPrice<'_>,
    subscription: SubscriptionType,
) -> Result<BatchSetup, String> {
    let quota = catalog
        .batch_quota(&model.name, deployment)
        .ok_or_else(|| not_offered("batch", model, deployment, &rules.batch_limits_source))?;
    let limit = quota
        .enqueued_tokens
        .get(&subscription)
        .map(|&tokens| BatchLimit {
            subscription,
            enqueued_tokens: tokens,
            source: quota.source.clone(),
        });
    Ok(BatchSetup {
        price: share_of(standard, rules.batch_price_share, &rules.batch_source),
        limit,
        max_requests_per_file: rules.batch_max_requests_per_file,
        subscription,
    })
}

/// Standard prices times a rule's share, cited as `RULE: 50% of SOURCE`.
fn share_of(standard: StandardPrice<'_>, share: f64, rule: &str) -> TierPrice {
    let prices = standard.prices;
    TierPrice {
        input: prices.input * share,
        cached: prices.cached.map(|c| c * share),
        output: prices.output * share,
        source: format!(
            "{rule}: {} of {}",
            crate::numfmt::percent(share),
            standard.source
        ),
        unverified: standard.unverified,
    }
}

/// Why a tier is not priced: the catalog does not list it for this model and type.
fn not_offered(tier: &str, model: &Model, deployment: DeploymentType, source: &str) -> String {
    format!(
        "not offered: the catalog lists no {tier} for {} on {deployment} ({source})",
        model.name
    )
}

/// Priority's ramp limit: how fast priority traffic may rise before the excess is served as
/// standard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RampRule {
    /// The most a minute may exceed the fewest tokens of the window, as a share (0.5).
    pub increase: f64,
    /// The window, in minutes (15).
    pub minutes: u32,
    /// Tokens per minute that are never downgraded by the rule (Azure publishes no floor: 0).
    pub floor_tpm: f64,
}

/// How long a workload's requests can wait: which tiers may serve it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LatencyClass {
    /// Answers within seconds with a published latency target: PTUs and priority only.
    Interactive,
    /// Answers within seconds to minutes, no latency target needed: also standard and flex.
    Relaxed,
    /// Requests can wait up to 24 hours: also batch.
    Deferrable,
}

impl LatencyClass {
    /// The name as in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            LatencyClass::Interactive => "interactive",
            LatencyClass::Relaxed => "relaxed",
            LatencyClass::Deferrable => "deferrable",
        }
    }

    /// Whether this class may be served by `tier` (PTUs serve every class).
    pub fn allows(self, tier: ServiceTier) -> bool {
        match tier {
            ServiceTier::Priority => true,
            ServiceTier::Standard | ServiceTier::Flex => self != LatencyClass::Interactive,
            ServiceTier::Batch => self == LatencyClass::Deferrable,
        }
    }
}

/// Priority's ramp limit on a per-minute series of priority tokens: in each minute, tokens
/// above (1 + `increase`) × the fewest tokens of the `window` minutes before it are served,
/// and billed, as standard (S57: "increasing traffic by more than 50% tokens per minute in
/// less than 15 minutes"). `offsets` gives each entry's minute (ascending); a minute missing
/// from the series had no traffic. The first minutes are judged on the minutes before them
/// only; minutes at or below the rule's floor are never downgraded. Returns the tokens
/// downgraded in each minute. O(n) with a monotonic queue.
pub fn ramp_downgraded(tokens: &[f64], offsets: &[u64], rule: RampRule) -> Vec<f64> {
    let RampRule {
        increase,
        minutes: window,
        floor_tpm,
    } = rule;
    let window = u64::from(window);
    let mut queue: std::collections::VecDeque<(u64, f64)> = std::collections::VecDeque::new();
    let mut out = Vec::with_capacity(tokens.len());
    let first = offsets.first().copied().unwrap_or(0);
    // Index of the first entry inside the window.
    let mut oldest = 0;
    for (i, &now) in tokens.iter().enumerate() {
        let at = offsets[i];
        while queue.front().is_some_and(|&(t, _)| t + window < at) {
            queue.pop_front();
        }
        while offsets[oldest] + window < at {
            oldest += 1;
        }
        // Minutes in the window that are past the first and have no entry had no traffic:
        // then the fewest is 0.
        let looked_back = at.saturating_sub(first).min(window);
        let entries = (i - oldest) as u64;
        let fewest = if entries < looked_back {
            Some(0.0)
        } else {
            queue.front().map(|&(_, v)| v)
        };
        let allowed = fewest.map_or(f64::INFINITY, |f| (f * (1.0 + increase)).max(floor_tpm));
        out.push((now - allowed).max(0.0));
        while queue.back().is_some_and(|&(_, v)| v >= now) {
            queue.pop_back();
        }
        queue.push_back((at, now));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(minutes: u32) -> RampRule {
        RampRule {
            increase: 0.5,
            minutes,
            floor_tpm: 0.0,
        }
    }

    #[test]
    fn traffic_under_the_floor_is_never_downgraded() {
        let floored = RampRule {
            floor_tpm: 150.0,
            ..rule(15)
        };
        let downgraded = ramp_downgraded(&[10.0, 140.0, 400.0], &[0, 1, 2], floored);
        assert_eq!(downgraded, vec![0.0, 0.0, 250.0]);
    }

    #[test]
    fn ramp_limit_downgrades_what_rises_over_half_within_the_window() {
        // Steady at 100, then 160 (over 150: 10 downgraded), 200 (min of window 100: 50), ...
        let tokens = [100.0, 100.0, 160.0, 200.0];
        let offsets = [0, 1, 2, 3];
        assert_eq!(
            ramp_downgraded(&tokens, &offsets, rule(15)),
            vec![0.0, 0.0, 10.0, 50.0]
        );
        // Outside a 2-minute window the 100s no longer count: 160 → 240 is exactly +50%.
        let tokens = [100.0, 160.0, 240.0, 400.0];
        assert_eq!(
            ramp_downgraded(&tokens, &[0, 1, 2, 3], rule(1)),
            vec![0.0, 10.0, 0.0, 40.0]
        );
    }

    #[test]
    fn a_missing_minute_counts_as_no_traffic() {
        // Minute 1 has no entry: from minute 2 on the window holds a minute of no traffic, so
        // everything is downgraded until minute 17, whose window (2 to 16) is full.
        let offsets: Vec<u64> = std::iter::once(0).chain(2..=17).collect();
        let tokens = vec![100.0; offsets.len()];
        let mut expected = vec![100.0; offsets.len()];
        expected[0] = 0.0;
        expected[offsets.len() - 1] = 0.0;
        assert_eq!(ramp_downgraded(&tokens, &offsets, rule(15)), expected);
    }
}
