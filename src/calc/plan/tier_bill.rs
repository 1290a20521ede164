//! What one plan workload's tier bills and puts on a provisioned deployment: PTUs for its peak
//! (`ptu`), a PTU base with spillover (`hybrid`, the base `cost` would choose), or tokens on
//! standard, priority, flex or batch; plus the share of its load sent to batch (`batch_share`).

use super::{PlanSettings, PlannedWorkload, Tier};
use crate::calc::cost::{self, CostSettings, OptionName};
use crate::calc::load::LoadCurve;
use crate::calc::param::{Param, ParamError};
use crate::calc::service_tier::ServiceTier;
use crate::calc::workload::Workload;
use crate::catalog::{SubscriptionType, TokenPrices};
use crate::error::InputError;

/// A workload's bill and capacity on its tier.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TierBill {
    /// The month's per-token cost: its tier's tokens, a hybrid's spill, the batch share.
    pub usd: f64,
    /// Normalized TPM it puts on its shared provisioned deployment (ptu and hybrid).
    pub ptu_normalized: Option<f64>,
    /// A hybrid's PTU base.
    pub ptu_base: Option<u64>,
    /// The peak its standard quota is sized for (standard, priority, flex).
    pub quota_peak: Option<Workload>,
    /// A hybrid's spillover quota, as `cost` sizes it.
    pub spill_quota: Option<u64>,
    /// Share of its tier's tokens served as standard (priority's rules, flex's retries).
    pub downgraded_share: f64,
    /// What the tier came to, when it needs saying.
    pub note: Option<String>,
}

/// The workload's tier priced for the month: `month_minutes` long, PTUs at `settings`' rates.
pub(super) fn tier_bill(
    w: &PlannedWorkload<'_>,
    month_minutes: f64,
    settings: &PlanSettings,
) -> Result<TierBill, InputError> {
    let kept = 1.0 - w.batch_share;
    let load = if w.batch_share > 0.0 {
        w.load.scaled(kept)
    } else {
        w.load.clone()
    };
    let scale = month_minutes / w.load.span_minutes;
    let batch_usd = if w.batch_share > 0.0 {
        let batch = w
            .tiers
            .batch
            .as_ref()
            .map_err(|reason| ParamError::TierNotPriced {
                param: Param::BatchShare,
                reason: reason.clone(),
            })?;
        w.load.total().payg_usd(&batch.price.tokens()) * w.batch_share * scale
    } else {
        0.0
    };
    let peak = Workload {
        rpm: w.peak.rpm * kept,
        ..w.peak
    };
    let batch_note = (w.batch_share > 0.0)
        .then(|| batch_over_quota(w, w.batch_share, scale, settings.hours_per_month))
        .flatten();
    let mut bill = TierBill {
        usd: batch_usd,
        ptu_normalized: None,
        ptu_base: None,
        quota_peak: None,
        spill_quota: None,
        downgraded_share: 0.0,
        note: batch_note,
    };
    let report = match w.tier {
        Tier::Ptu => {
            bill.ptu_normalized = Some(peak.normalized_tpm(w.model));
            return Ok(bill);
        }
        Tier::Hybrid => {
            let report = cost::cost(w.model, &load, &hybrid_settings(w, settings)?)?;
            let hybrid = report
                .options
                .iter()
                .find(|o| o.option == OptionName::Hybrid)
                .ok_or_else(|| InputError::Usage(cost::no_spillover_note(w.model)))?;
            bill.usd += hybrid.payg_usd;
            bill.ptu_base = Some(hybrid.ptu);
            bill.spill_quota = hybrid.spillover_tpm_quota;
            let term = hybrid.term.map_or("hourly", |t| t.as_str());
            bill.note = Some(if hybrid.ptu == 0 {
                format!(
                    "hybrid: at {} PTU prices the cheapest base is no PTU at all, so it is \
                     served on standard{}",
                    term,
                    if settings.reserved.contains_key(&w.deployment) {
                        ""
                    } else {
                        " (no [reservation] for its type: PTUs would be billed hourly)"
                    }
                )
            } else {
                format!(
                    "hybrid: a base of {} PTU (priced {term}) with {} of its load spilling to \
                     standard; the base joins its model's shared deployment",
                    hybrid.ptu,
                    crate::numfmt::percent_rounded(hybrid.spill_share)
                )
            });
            bill.ptu_normalized = (hybrid.ptu > 0).then_some(
                hybrid.ptu as f64 * w.model.input_tpm_per_ptu * settings.target_utilization,
            );
            return Ok(bill);
        }
        tier => token_tier(w, &load, tier, scale)?,
    };
    bill.usd += report.0;
    bill.downgraded_share = report.1;
    if w.tier == Tier::Batch {
        bill.note = batch_over_quota(w, 1.0, scale, settings.hours_per_month);
    }
    if w.tier != Tier::Batch {
        bill.quota_peak = Some(peak);
    }
    Ok(bill)
}

/// Why `share` of the workload's load does not fit its batch quota in a day, if it does not.
fn batch_over_quota(w: &PlannedWorkload<'_>, share: f64, scale: f64, hours: f64) -> Option<String> {
    let batch = w.tiers.batch.as_ref().ok()?;
    let daily = w.load.total().prompt * scale * share / (hours / 24.0);
    match &batch.limit {
        Some(limit) if daily <= limit.enqueued_tokens as f64 => None,
        Some(limit) => Some(format!(
            "batch: a day enqueues {} prompt tokens, above the {} enqueued-token quota of {} \
             subscriptions ({}): submit it in parts through the day, or raise the quota",
            crate::numfmt::count(daily),
            crate::numfmt::count(limit.enqueued_tokens as f64),
            limit.subscription,
            limit.source
        )),
        None => Some(
            "batch: this subscription type has no batch quota for the model (S61); set \
             [subscription] type"
                .to_string(),
        ),
    }
}

/// A per-token tier over the (non-batch) load: the month's cost and the share downgraded.
fn token_tier(
    w: &PlannedWorkload<'_>,
    load: &LoadCurve,
    tier: Tier,
    scale: f64,
) -> Result<(f64, f64), InputError> {
    let service = match tier {
        Tier::Priority => ServiceTier::Priority,
        Tier::Flex => ServiceTier::Flex,
        Tier::Batch => ServiceTier::Batch,
        _ => ServiceTier::Standard,
    };
    let standard = standard_prices(w)?;
    cost::tier_month(
        load,
        &w.tiers,
        service,
        &standard,
        w.flex_availability,
        scale,
    )
    .map_err(|reason| {
        ParamError::TierNotPriced {
            param: Param::Tier,
            reason,
        }
        .into()
    })
}

/// The workload's standard prices, or an error naming its tier.
fn standard_prices(w: &PlannedWorkload<'_>) -> Result<TokenPrices, InputError> {
    w.token_prices.ok_or_else(|| {
        ParamError::TierNotPriced {
            param: Param::Tier,
            reason: format!(
                "no price: the catalog has no pay-as-you-go price for {} on {}",
                w.model.name, w.deployment
            ),
        }
        .into()
    })
}

/// `cost`'s settings for a workload of the plan: its prices, the plan's hours and target, the
/// PTUs on the plan's reservation term where it reserves this type (else hourly).
fn hybrid_settings(
    w: &PlannedWorkload<'_>,
    settings: &PlanSettings,
) -> Result<CostSettings, InputError> {
    let ptu_rates = settings
        .ptu_rates
        .get(&w.deployment)
        .copied()
        .ok_or_else(|| ParamError::TierNotPriced {
            param: Param::Tier,
            reason: format!("no PTU price for {} in the catalog", w.deployment),
        })?;
    let term = if settings.reserved.contains_key(&w.deployment) {
        settings.reservation_term
    } else {
        cost::Term::Hourly
    };
    Ok(CostSettings {
        deployment: w.deployment,
        peak_normalized_tpm: None,
        hours_per_month: settings.hours_per_month,
        hybrid_term: term,
        target_utilization: settings.target_utilization,
        token_prices: standard_prices(w)?,
        ptu_rates,
        token_price_source: String::new(),
        ptu_price_source: String::new(),
        prices_unverified: false,
        standard: Some(settings.standard),
        admission_max_tokens: None,
        currency: settings.currency.clone(),
        tiers: w.tiers.clone(),
        flex_availability: w.flex_availability,
        batch_share: 0.0,
        subscription: SubscriptionType::Default,
        latency: None,
    })
}
