//! What one plan workload's tier bills and puts on a provisioned deployment: PTUs for its peak
//! (`ptu`), a PTU base with spillover (`hybrid`, the base `cost` would choose), or tokens on
//! standard, priority, flex or batch; plus the share of its load sent to batch (`batch_share`).

use super::{Failover, PlanSettings, PlannedWorkload, Tier};
use crate::calc::cost::{self, CostSettings, OptionName};
use crate::calc::load::LoadCurve;
use crate::calc::param::{Param, ParamError};
use crate::calc::service_tier::ServiceTier;
use crate::calc::workload::Workload;
use crate::catalog::{SubscriptionType, TokenPrices};
use crate::error::InputError;
use crate::note::{Note, NoteCode, PlanNote};

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
    /// What the tier came to, where it needs saying.
    pub notes: Vec<Note>,
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
    let mut bill = TierBill {
        usd: batch_usd,
        ptu_normalized: None,
        ptu_base: None,
        quota_peak: None,
        spill_quota: None,
        downgraded_share: 0.0,
        notes: Vec::new(),
    };
    let report = match w.tier {
        Tier::Ptu => {
            bill.ptu_normalized = Some(peak.normalized_tpm(w.model));
            return Ok(bill);
        }
        Tier::Hybrid => {
            hybrid_bill(w, &load, settings, &mut bill)?;
            return Ok(bill);
        }
        tier => token_tier(w, &load, tier, scale)?,
    };
    bill.usd += report.0;
    bill.downgraded_share = report.1;
    if w.tier != Tier::Batch && bill.downgraded_share > 0.0 {
        let share = bill.downgraded_share;
        let note = if w.tier == Tier::Flex {
            PlanNote::FlexResent { share }
        } else {
            PlanNote::PriorityAsStandard { share }
        };
        bill.notes.push(Note::of(NoteCode::PriorityDowngrade, note));
    }
    if w.tier != Tier::Batch {
        bill.quota_peak = Some(peak);
    }
    Ok(bill)
}

/// A hybrid: the PTU base `cost` picks for the (non-batch) load on the plan's term, its
/// spill billed at standard prices, and its spillover quota.
fn hybrid_bill(
    w: &PlannedWorkload<'_>,
    load: &LoadCurve,
    settings: &PlanSettings,
    bill: &mut TierBill,
) -> Result<(), InputError> {
    let cost_settings = hybrid_settings(w, settings)?;
    let report = cost::cost(w.model, load, &cost_settings)?;
    let hybrid = report
        .options
        .iter()
        .find(|o| o.option == OptionName::Hybrid)
        .ok_or_else(|| InputError::Usage(cost::no_spillover_note(w.model)))?;
    bill.usd += hybrid.payg_usd;
    bill.ptu_base = Some(hybrid.ptu);
    // Each region's spillover quota takes the region's share of the load over its share of
    // the base: active-active regions split both, and after one is lost the others carry it.
    bill.spill_quota = match (settings.failover, settings.regions.len()) {
        (Some(Failover::ActiveActive), regions) if regions > 2 => {
            let share = 1.0 / (regions - 1) as f64;
            cost::hybrid_spill_quota(
                &load.scaled(share),
                w.model,
                hybrid.ptu as f64 * share,
                &cost_settings,
            )
        }
        _ => hybrid.spillover_tpm_quota,
    };
    bill.ptu_normalized = (hybrid.ptu > 0)
        .then_some(hybrid.ptu as f64 * w.model.input_tpm_per_ptu * settings.target_utilization);
    let term = cost_settings.hybrid_term.as_str().to_string();
    let reserved = settings.reserved.get(&w.deployment).copied().unwrap_or(0);
    let note = if hybrid.ptu == 0 {
        PlanNote::HybridNoBase {
            term,
            reserved: reserved > 0,
        }
    } else {
        PlanNote::HybridBase {
            ptu: hybrid.ptu,
            term,
            spill_share: hybrid.spill_share,
        }
    };
    bill.notes.push(Note::of(NoteCode::ServiceTier, note));
    Ok(())
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
        // The spill deployment admits requests as any standard one does.
        admission_max_tokens: w.peak.shape.admission_max_tokens(w.model),
        currency: settings.currency.clone(),
        tiers: w.tiers.clone(),
        flex_availability: w.flex_availability,
        batch_share: 0.0,
        subscription: SubscriptionType::Default,
        latency: None,
    })
}
