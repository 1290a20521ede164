//! The candidates from the flags: each PTU size, standard, flex and priority quota checked
//! against the catalog (errors name the flag), then built by `sim::candidates`.

use crate::calc::prices::{self};
use crate::calc::rounding::deployable_ptu;
use crate::calc::service_tier::{PriorityOverrides, ServiceTier, StandardPrice, TierSetup};
use crate::catalog::{Catalog, Model, TokenPrices};
use crate::cli::{RpmWindowArg, SimulateArgs};
use crate::note::{FlagNote, Note, NoteCode, SimulateNote};
use crate::numfmt;
use crate::sim::{self, compare::Candidate};
use crate::sim::{PriorityMode, ProvisionedParams, RpmWindow, StandardParams, Target, TierMode};

use super::{tokens_per_second, usage};

/// The deployments to simulate, in the order given: PTU candidates (with the spillover
/// deployment, if any), then standard quotas, then flex and priority ones.
pub(super) fn candidates(
    args: &SimulateArgs,
    model: &Model,
    ptus: &[f64],
    catalog: &Catalog,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Vec<(Candidate, Target)>> {
    let spillover = args
        .spillover_quota
        .map(|q| standard_params(args, model, q, "--spillover-quota"))
        .transpose()?;
    let mut candidates = ptu_candidates(args, model, ptus, spillover, notes)?;
    for &quota in &args.tpm_quota {
        let params = standard_params(args, model, quota, "--tpm-quota")?;
        notes.extend(window_rounding_note(quota, &params));
        candidates.push(sim::candidates::standard(params, None));
    }
    for (quotas, tier, flag) in [
        (&args.flex_quota, ServiceTier::Flex, "--flex-quota"),
        (
            &args.priority_quota,
            ServiceTier::Priority,
            "--priority-quota",
        ),
    ] {
        for &quota in quotas {
            let params = standard_params(args, model, quota, flag)?;
            let mode = tier_mode(args, model, catalog, tier, flag)?;
            candidates.push(sim::candidates::standard(params, Some(mode)));
        }
    }
    Ok(candidates)
}

/// The standard deployment a quota flag gives: its RPM from the catalog's ratio.
pub(super) fn standard_params(
    args: &SimulateArgs,
    model: &Model,
    quota: f64,
    flag: &str,
) -> anyhow::Result<StandardParams> {
    let deployment = args.deployment;
    let rpm_window = match args.rpm_window {
        RpmWindowArg::OneSecond => RpmWindow::OneSecond,
        RpmWindowArg::TenSeconds => RpmWindow::TenSeconds,
    };
    let ratio = model.rpm_per_1000_tpm_for(deployment);
    match ratio.map(|r| (r, quota / 1000.0 * r)) {
        Some((ratio, rpm)) if rpm < 1.0 => Err(usage(format!(
            "{flag} {}: allows {} requests a minute ({} RPM per 1,000 TPM); give at least {} TPM",
            numfmt::count(quota),
            numfmt::number(rpm, 2, true),
            numfmt::number(ratio, 2, true),
            numfmt::count((1000.0 / ratio).ceil())
        ))),
        Some((_, rpm)) => Ok(StandardParams {
            tpm_quota: quota,
            rpm,
            rpm_window,
        }),
        None => Err(usage(format!(
            "{flag}: the catalog has no standard RPM per 1,000 TPM for {} on {deployment}, so its \
             request limit is unknown",
            model.name
        ))),
    }
}

/// A note when a quota's RPM, rounded down to whole requests per window, is well below it.
pub(super) fn window_rounding_note(quota: f64, params: &StandardParams) -> Option<Note> {
    let per_window = params.requests_per_window() as f64;
    let exact = match params.rpm_window {
        RpmWindow::OneSecond => params.rpm / 60.0,
        RpmWindow::TenSeconds => params.rpm / 6.0,
    };
    (per_window < exact * 0.95).then(|| {
        Note::of(
            NoteCode::StandardQuota,
            SimulateNote::WindowRounding {
                tpm_quota: quota,
                rpm: params.rpm,
                exact_per_window: exact,
                per_window,
            },
        )
    })
}

/// The PTU candidates, each with the spillover deployment if any.
pub(super) fn ptu_candidates(
    args: &SimulateArgs,
    model: &Model,
    ptus: &[f64],
    spillover: Option<StandardParams>,
    notes: &mut Vec<Note>,
) -> anyhow::Result<Vec<(Candidate, Target)>> {
    let deployment = args.deployment;
    let mut candidates = Vec::new();
    if ptus.is_empty() {
        return Ok(candidates);
    }
    let grid = model
        .provisioned(deployment)
        .ok_or_else(|| model.not_offered(deployment))?;
    for &ptu in ptus {
        if deployable_ptu(ptu, grid.min_ptu, grid.increment) as f64 != ptu {
            notes.push(Note::of(
                NoteCode::PtuSize,
                SimulateNote::PtuNotDeployable {
                    ptu,
                    model: model.name.clone(),
                    deployment,
                    min_ptu: grid.min_ptu,
                    increment: grid.increment,
                },
            ));
        }
        let params = ProvisionedParams {
            ptu,
            input_tpm_per_ptu: model.input_tpm_per_ptu,
            output_weight: model.output_weight,
            cached_weight: model.cached_input_weight,
            bucket_seconds: args.bucket,
        };
        candidates.push(sim::candidates::provisioned(params, spillover));
    }
    Ok(candidates)
}

/// Notes on tier flags given without a candidate of that tier.
pub(super) fn unused_tier_flags(args: &SimulateArgs) -> Vec<Note> {
    [
        (
            args.flex_availability < 1.0 && args.flex_quota.is_empty(),
            FlagNote::FlexAvailabilityWithoutCandidate,
        ),
        (
            args.priority_ramp_floor > 0.0 && args.priority_quota.is_empty(),
            FlagNote::PriorityRampFloorWithoutCandidate,
        ),
    ]
    .into_iter()
    .filter(|(unused, _)| *unused)
    .map(|(_, flag)| Note::of(NoteCode::Simulation, flag))
    .collect()
}

/// Whether any standard deployment is simulated (plain, flex or priority).
pub(super) fn has_standard_candidates(args: &SimulateArgs) -> bool {
    !(args.tpm_quota.is_empty() && args.flex_quota.is_empty() && args.priority_quota.is_empty())
}

/// Priority and flex prices for the model and type, from the catalog's standard prices (none
/// without them: tier candidates are then simulated, not priced).
pub(super) fn sim_tiers(
    args: &SimulateArgs,
    model: &Model,
    catalog: &Catalog,
) -> anyhow::Result<TierSetup> {
    let Some(prices) = model.prices.get(&args.deployment) else {
        return Ok(TierSetup::none(
            "no pay-as-you-go price in the catalog for this model and type",
        ));
    };
    let standard = StandardPrice {
        prices,
        source: model.sources.prices.as_deref().unwrap_or("catalog"),
        unverified: model.is_unverified(crate::catalog::CatalogField::Prices),
    };
    Ok(TierSetup::resolve(
        catalog,
        model,
        args.deployment,
        standard,
        &PriorityOverrides::default(),
        crate::catalog::SubscriptionType::Default,
    ))
}

/// How a tier candidate's requests are treated; an error naming `flag` when the catalog does
/// not offer the tier on the model and type (prices aside: an unpriced tier is simulated, not
/// priced).
pub(super) fn tier_mode(
    args: &SimulateArgs,
    model: &Model,
    catalog: &Catalog,
    tier: ServiceTier,
    flag: &str,
) -> anyhow::Result<TierMode> {
    let deployment = args.deployment;
    let not_offered = |what: &str| {
        usage(format!(
            "{flag}: not offered: the catalog lists no {what} for {} on {deployment}",
            model.name
        ))
    };
    if tier == ServiceTier::Flex {
        if !model
            .flex
            .as_ref()
            .is_some_and(|f| f.deployments.contains(&deployment))
        {
            return Err(not_offered("flex processing"));
        }
        return Ok(TierMode::Flex {
            availability: args.flex_availability,
        });
    }
    let offer = model
        .priority
        .as_ref()
        .filter(|p| p.deployments.contains(&deployment))
        .ok_or_else(|| not_offered("priority processing"))?;
    let rules = catalog
        .service_tiers
        .as_ref()
        .ok_or_else(|| usage(format!("{flag}: the catalog has no [service_tiers] rules")))?;
    let speed = offer
        .latency_target
        .as_deref()
        .and_then(tokens_per_second)
        .or(args.tokens_per_second)
        .ok_or_else(|| {
            usage(format!(
                "{flag}: the catalog has no priority latency target for {}: give \
                 --tokens-per-second",
                model.name
            ))
        })?;
    Ok(TierMode::Priority(PriorityMode {
        tokens_per_second: speed,
        ramp: crate::calc::service_tier::RampRule {
            increase: rules.priority_ramp_increase,
            minutes: rules.priority_ramp_minutes,
            floor_tpm: args.priority_ramp_floor,
        },
        long_prompt_tokens: offer
            .long_prompt_tokens
            .map(|t| u32::try_from(t).unwrap_or(u32::MAX)),
    }))
}

/// The flex and priority prices a tier candidate's cost uses: the tiers', or none without
/// standard prices.
pub(super) fn tier_prices(
    tiers: &TierSetup,
    prices: Option<&prices::ResolvedPrices>,
) -> (Option<TokenPrices>, Option<TokenPrices>) {
    if prices.is_none() {
        return (None, None);
    }
    (
        tiers.flex.as_ref().ok().map(|p| p.tokens()),
        tiers.priority.as_ref().ok().map(|p| p.price.tokens()),
    )
}
