//! `plan`: several workloads sized together. Workloads on the same model and deployment type
//! share one deployment (rounded once); regions and failover multiply deployments; PTU quota
//! and reservations are counted per deployment type; everything is priced for the month.

use std::collections::BTreeMap;

use serde::Serialize;

mod consumers;
mod deployments;
mod router;
mod tier_bill;

pub use consumers::{
    ConsumerHeadroom, ConsumerKey, ConsumerLine, PlannedConsumer, QuotaPeriod, consumer_lines,
    quota_notes,
};
pub use deployments::{DeploymentSpec, deployment_specs};
pub use router::{RouterEntry, RouterPlan, router_plan};

use crate::calc::cost::{PtuRates, Term};
use crate::calc::load::{LoadCurve, LoadKind};
use crate::calc::param::Naming;
use crate::calc::rounding::{ceil_whole, cents, deployable_ptu, snap};
use crate::calc::sizing::{Binding, StandardOptions, request_notes, standard_quota};
use crate::calc::workload::{TokenSplit, Workload};
use crate::catalog::{Model, TokenPrices};
use crate::deployment::DeploymentType;
use crate::error::InputError;
use crate::note::{Note, NoteCode, PlanNote};

/// How a workload is served.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Billing {
    /// On a provisioned deployment (PTUs).
    Ptu,
    /// On a standard deployment, pay-as-you-go.
    Payg,
}

/// How a workload is bought (plan key `tier`; `billing = "payg"` is `standard`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// PTUs for the peak.
    Ptu,
    /// The PTU base `cost` would choose, spilling to a standard deployment.
    Hybrid,
    /// Standard pay-as-you-go tokens.
    Standard,
    /// Priority processing tokens.
    Priority,
    /// Flex processing tokens (preview), retried on standard when refused.
    Flex,
    /// Batch jobs (24-hour target).
    Batch,
}

impl Tier {
    /// The name as in plans, JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Ptu => "ptu",
            Tier::Hybrid => "hybrid",
            Tier::Standard => "standard",
            Tier::Priority => "priority",
            Tier::Flex => "flex",
            Tier::Batch => "batch",
        }
    }

    /// Whether it deploys PTUs (`ptu` billing) or only buys tokens (`payg`).
    pub fn billing(self) -> Billing {
        match self {
            Tier::Ptu | Tier::Hybrid => Billing::Ptu,
            _ => Billing::Payg,
        }
    }
}

/// How deployments in several regions back each other up.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Failover {
    /// One region serves; each other region must be able to carry everything alone.
    ActivePassive,
    /// All regions serve; with one region lost, the others carry everything.
    ActiveActive,
}

/// One workload, validated and resolved against the catalog.
#[derive(Debug, Clone)]
pub struct PlannedWorkload<'a> {
    /// Name from the plan.
    pub name: String,
    /// Catalog model.
    pub model: &'a Model,
    /// Deployment type.
    pub deployment: DeploymentType,
    /// PTU or pay-as-you-go (from the tier).
    pub billing: Billing,
    /// How it is bought.
    pub tier: Tier,
    /// Share of its load sent to batch.
    pub batch_share: f64,
    /// Share of flex attempts that find capacity.
    pub flex_availability: f64,
    /// Priority, flex and batch for its model and type.
    pub tiers: crate::calc::service_tier::TierSetup,
    /// Peak rate and request shape.
    pub peak: Workload,
    /// The month's load.
    pub load: LoadCurve,
    /// Pay-as-you-go prices for this model and type, if known.
    pub token_prices: Option<TokenPrices>,
}

/// Plan-wide settings.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSettings {
    /// Hours billed per month.
    pub hours_per_month: f64,
    /// Target peak utilization for sizing.
    pub target_utilization: f64,
    /// Regions (empty: one unnamed region).
    pub regions: Vec<String>,
    /// How regions back each other up (with two or more regions).
    pub failover: Option<Failover>,
    /// Reserved PTUs per deployment type (all regions together).
    pub reserved: BTreeMap<DeploymentType, u64>,
    /// Term of the reservation.
    pub reservation_term: Term,
    /// PTU prices per deployment type.
    pub ptu_rates: BTreeMap<DeploymentType, PtuRates>,
    /// How standard quotas are sized.
    pub standard: StandardOptions,
    /// ISO code of the prices' currency.
    pub currency: String,
}

/// One workload's share of the plan. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct WorkloadLine {
    /// Name.
    pub name: String,
    /// Model.
    pub model: String,
    /// Deployment type.
    pub deployment: DeploymentType,
    /// `ptu` (PTUs deployed: tiers ptu and hybrid) or `payg` (tokens only).
    pub billing: Billing,
    /// How it is bought: `ptu`, `hybrid`, `standard`, `priority`, `flex` or `batch`.
    pub tier: Tier,
    /// Share of its load sent to batch.
    pub batch_share: f64,
    /// Hybrid: the PTU base (null for other tiers).
    pub ptu_base: Option<u64>,
    /// The month's per-token cost: its tier's tokens, a hybrid's spill and the batch share
    /// (null for ptu without a batch share).
    pub tier_usd: Option<f64>,
    /// Share of its tier's tokens served as standard (priority's rules, flex's retries).
    pub downgraded_share: f64,
    /// Peak requests per minute.
    pub rpm: f64,
    /// Prompt + completion tokens per request at the peak.
    pub tokens_per_request: f64,
    /// Tokens a standard deployment counts per request at admission: prompt + `max_tokens`.
    pub admission_tokens_per_request: f64,
    /// Peak normalized TPM on a provisioned deployment.
    pub normalized_tpm: f64,
    /// PTUs this workload would need on its own (null for payg).
    pub ptu_alone: Option<u64>,
    /// Standard TPM quota it needs in each region at the target (payg; null without an RPM
    /// ratio).
    pub standard_tpm_quota: Option<u64>,
    /// The same quota if requests arrived evenly spread (Microsoft's calculator's answer).
    pub standard_tpm_quota_even: Option<u64>,
    /// Which standard limit binds (payg).
    pub binding: Option<Binding>,
    /// Where the prompt/completion split came from (`assumed_all_prompt`: a bare `tokens`).
    pub token_split: TokenSplit,
    /// Hidden reasoning tokens per request, billed and weighted as output.
    pub reasoning_tokens: f64,
    /// Requests in the month.
    pub monthly_requests: f64,
    /// Tokens (prompt + completion) in the month.
    pub monthly_tokens: f64,
    /// What the month would cost pay-as-you-go (null without prices).
    pub monthly_payg_usd: Option<f64>,
}

/// A shared provisioned deployment. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DeploymentLine {
    /// Model.
    pub model: String,
    /// Deployment type.
    pub deployment: DeploymentType,
    /// Workloads it serves.
    pub workloads: Vec<String>,
    /// Sum of the workloads' peak normalized TPM.
    pub normalized_tpm: f64,
    /// PTUs for that sum before rounding (all traffic, one region).
    pub ptu_raw: f64,
    /// Regions it is deployed in (1 without regions).
    pub regions: u64,
    /// PTUs in each region.
    pub ptu_per_region: u64,
    /// PTUs in all regions.
    pub ptu: u64,
    /// Peak utilization of a serving region in normal operation.
    pub utilization: f64,
    /// Peak utilization of a serving region after one region is lost (as `utilization`
    /// without failover or with active-passive).
    pub utilization_failover: f64,
    /// PTUs if each workload had its own deployment (all regions).
    pub ptu_if_separate: u64,
    /// PTUs saved by sharing: ptu_if_separate − ptu.
    pub ptu_saved: u64,
}

/// One sentence per workload whose `tokens` had no prompt/completion split: `check` repeats
/// them on stderr, since a CI gate that prices output as input passes what it should fail.
pub fn split_warnings(workloads: &[PlannedWorkload<'_>]) -> Vec<Note> {
    workloads
        .iter()
        .filter_map(|w| {
            let shape = w.peak.shape;
            let note = shape
                .token_split
                .assumed_note(shape.prompt_tokens, "'tokens'")?;
            Some(note.unless_strict().for_workload(&w.name))
        })
        .collect()
}

/// PTUs per deployment type and region: what PTU quota must allow.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct QuotaLine {
    /// Deployment type.
    pub deployment: DeploymentType,
    /// Region (`-` without regions).
    pub region: String,
    /// PTUs deployed.
    pub ptu: u64,
}

/// Reserved against deployed PTUs of one deployment type.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ReservationLine {
    /// Deployment type.
    pub deployment: DeploymentType,
    /// PTUs reserved.
    pub reserved: u64,
    /// PTUs deployed.
    pub deployed: u64,
    /// PTUs deployed beyond the reservation, billed hourly.
    pub billed_hourly: u64,
    /// Reserved PTUs with no deployment (paid for, unused).
    pub unused: u64,
    /// Monthly USD for this type's PTUs.
    pub monthly_usd: f64,
}

/// The `plan` answer. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PlanReport {
    /// Per workload.
    pub workloads: Vec<WorkloadLine>,
    /// Per shared provisioned deployment.
    pub deployments: Vec<DeploymentLine>,
    /// PTU quota needed per deployment type and region.
    pub quota: Vec<QuotaLine>,
    /// Reservations against deployments per type.
    pub reservations: Vec<ReservationLine>,
    /// All PTUs deployed.
    pub total_ptu: u64,
    /// Monthly USD for PTUs (reserved and hourly).
    pub ptu_usd: f64,
    /// Monthly USD for tokens: standard, priority, flex and batch workloads, hybrid spill and
    /// batch shares.
    pub payg_usd: f64,
    /// Monthly USD in all.
    pub monthly_usd: f64,
    /// Hours billed per month.
    pub hours_per_month: f64,
    /// Target peak utilization used for sizing.
    pub target_utilization: f64,
    /// Regions and failover.
    pub regions: Vec<String>,
    /// Failover mode, if any.
    pub failover: Option<Failover>,
    /// Per `[[consumer]]`: its request and token limits (left out without consumers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consumers: Vec<ConsumerLine>,
    /// Per deployment with consumers: its capacity, their limits and the headroom.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consumer_headroom: Vec<ConsumerHeadroom>,
    /// Assumptions and caveats.
    pub notes: Vec<crate::note::Note>,
    /// ISO code of every amount (JSON: `catalog.currency`).
    #[serde(skip)]
    pub currency: String,
}

/// Sizes and prices a plan.
pub fn plan(
    workloads: &[PlannedWorkload<'_>],
    settings: &PlanSettings,
) -> Result<PlanReport, InputError> {
    let target = settings.target_utilization;
    let region_count = settings.regions.len().max(1) as u64;
    let failover = if region_count > 1 {
        settings.failover
    } else {
        None
    };
    if region_count > 1 && failover.is_none() {
        return Err(InputError::Usage(
            "a plan with several regions needs failover = \"active-passive\" or \"active-active\""
                .into(),
        ));
    }
    let month_minutes = settings.hours_per_month * 60.0;
    let mut notes = split_warnings(workloads);
    // What each workload's request shape leaves out (reasoning tokens, caching rules); a
    // profile's token columns already hold what was served.
    for w in workloads
        .iter()
        .filter(|w| w.load.kind != LoadKind::Profile)
    {
        for note in request_notes(&w.peak.shape, w.model, Naming::PlanKeys) {
            notes.push(note.for_workload(&w.name));
        }
    }
    let geometry = Geometry {
        target,
        region_count,
        failover,
        standard: settings.standard,
    };
    let (lines, groups, payg_usd) =
        workload_lines(workloads, month_minutes, geometry, settings, &mut notes)?;
    let deployments = deployment_lines(&groups, &lines, geometry)?;
    let (quota, per_type) = quota_lines(&deployments, &settings.regions, region_count);
    let (reservations, ptu_usd) = reservation_lines(&per_type, settings)?;
    notes.extend(hybrid_reservation_notes(&lines, &reservations));
    notes.extend(plan_notes(&deployments, &reservations, settings, geometry));
    let total_ptu = deployments.iter().map(|d| d.ptu).sum();
    let payg_usd = cents(payg_usd);
    let ptu_usd = cents(ptu_usd);
    Ok(PlanReport {
        workloads: lines,
        deployments,
        quota,
        reservations,
        total_ptu,
        ptu_usd,
        payg_usd,
        monthly_usd: cents(ptu_usd + payg_usd),
        hours_per_month: settings.hours_per_month,
        target_utilization: target,
        regions: settings.regions.clone(),
        failover,
        consumers: Vec::new(),
        consumer_headroom: Vec::new(),
        notes,
        currency: settings.currency.clone(),
    })
}

/// How the plan's deployments are laid out: target utilization, regions and failover, and
/// how standard quotas are sized.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    target: f64,
    region_count: u64,
    failover: Option<Failover>,
    standard: StandardOptions,
}

/// Workloads on one model and deployment type, which share one deployment, each with the
/// normalized TPM it puts on it.
type Group<'w, 'a> = (
    &'a Model,
    DeploymentType,
    Vec<(&'w PlannedWorkload<'a>, f64)>,
);

/// Each workload's line (PTUs alone or its standard quota, the month's requests, tokens and
/// per-token cost), the PTU workloads grouped by model and type in first-seen order, and the
/// month's per-token total.
fn workload_lines<'w, 'a>(
    workloads: &'w [PlannedWorkload<'a>],
    month_minutes: f64,
    geometry: Geometry,
    settings: &PlanSettings,
    notes: &mut Vec<Note>,
) -> Result<(Vec<WorkloadLine>, Vec<Group<'w, 'a>>, f64), InputError> {
    let mut lines = Vec::new();
    let mut payg_usd = 0.0;
    // Shared deployments keyed by (model, type), in first-seen order.
    let mut groups: Vec<Group<'w, 'a>> = Vec::new();
    for w in workloads {
        let bill = tier_bill::tier_bill(w, month_minutes, settings)
            .map_err(|e| InputError::Usage(format!("workload '{}': {e}", w.name)))?;
        payg_usd += bill.usd;
        for note in &bill.notes {
            notes.push(note.clone().for_workload(&w.name));
        }
        if w.batch_share > 0.0 {
            let note = PlanNote::BatchShare {
                share: w.batch_share,
                tier: w.tier.as_str().to_string(),
            };
            notes.push(Note::of(NoteCode::ServiceTier, note).for_workload(&w.name));
        }
        let ptu_alone = match bill.ptu_normalized {
            Some(normalized) => {
                let grid = w
                    .model
                    .provisioned(w.deployment)
                    .ok_or_else(|| w.model.not_offered(w.deployment))?;
                let alone = region_size(
                    normalized / w.model.input_tpm_per_ptu,
                    geometry.failover,
                    geometry.region_count,
                    geometry.target,
                    grid.min_ptu,
                    grid.increment,
                );
                match groups
                    .iter_mut()
                    .find(|(m, d, _)| m.name == w.model.name && *d == w.deployment)
                {
                    Some(group) => group.2.push((w, normalized)),
                    None => groups.push((w.model, w.deployment, vec![(w, normalized)])),
                }
                Some(alone * geometry.region_count)
            }
            None => None,
        };
        lines.push(workload_line(w, &bill, ptu_alone, month_minutes, geometry));
    }
    Ok((lines, groups, payg_usd))
}

/// One workload's line.
fn workload_line(
    w: &PlannedWorkload<'_>,
    bill: &tier_bill::TierBill,
    ptu_alone: Option<u64>,
    month_minutes: f64,
    geometry: Geometry,
) -> WorkloadLine {
    let scale = month_minutes / w.load.span_minutes;
    let total = w.load.total();
    let monthly_payg = w.token_prices.map(|prices| {
        cents(
            w.load
                .minutes
                .iter()
                .map(|m| m.payg_usd(&prices))
                .sum::<f64>()
                * scale,
        )
    });
    // Tokens bill per token, so regions and failover do not change the cost; the quota is per
    // region.
    let quota = bill.quota_peak.as_ref().and_then(|peak| {
        let ratio = w.model.rpm_per_1000_tpm_for(w.deployment)?;
        Some(standard_quota(
            &region_share(peak, geometry.failover, geometry.region_count),
            w.model,
            ratio,
            geometry.target,
            geometry.standard,
        ))
    });
    let per_token = bill.usd > 0.0 || w.tier != Tier::Ptu;
    WorkloadLine {
        name: w.name.clone(),
        model: w.model.name.clone(),
        deployment: w.deployment,
        billing: w.billing,
        tier: w.tier,
        batch_share: w.batch_share,
        ptu_base: bill.ptu_base,
        tier_usd: per_token.then(|| cents(bill.usd)),
        downgraded_share: bill.downgraded_share,
        rpm: w.peak.rpm,
        tokens_per_request: w.peak.shape.tokens_per_request(),
        admission_tokens_per_request: snap(w.peak.shape.admission_tokens_for(w.model)),
        normalized_tpm: w.peak.normalized_tpm(w.model),
        ptu_alone,
        standard_tpm_quota: quota.map(|q| q.tpm_quota_for_target).or(bill.spill_quota),
        standard_tpm_quota_even: quota
            .map(|q| ceil_whole(q.tpm_quota_even as f64 / geometry.target) as u64),
        binding: quota.map(|q| q.binding),
        token_split: w.peak.shape.token_split,
        reasoning_tokens: w.peak.shape.reasoning_tokens,
        monthly_requests: snap(total.requests * scale),
        monthly_tokens: snap(total.tokens() * scale),
        monthly_payg_usd: monthly_payg,
    }
}

/// One line per shared deployment: PTUs per region for the members' summed peaks, utilization
/// in normal operation and after losing a region, and what sharing saves.
fn deployment_lines(
    groups: &[Group<'_, '_>],
    lines: &[WorkloadLine],
    geometry: Geometry,
) -> Result<Vec<DeploymentLine>, InputError> {
    let Geometry {
        target,
        region_count,
        failover,
        ..
    } = geometry;
    let mut deployments = Vec::new();
    for (model, deployment, members) in groups {
        let grid = model
            .provisioned(*deployment)
            .ok_or_else(|| model.not_offered(*deployment))?;
        let normalized: f64 = members.iter().map(|(_, normalized)| normalized).sum();
        let raw = snap(normalized / model.input_tpm_per_ptu);
        let per_region = region_size(
            raw,
            failover,
            region_count,
            target,
            grid.min_ptu,
            grid.increment,
        );
        // A hybrid's base is sized at the target but runs full whenever it spills: it serves
        // the smaller of its peak and the base's whole capacity.
        let served: f64 = members
            .iter()
            .map(|(w, normalized)| match w.tier {
                Tier::Hybrid => w.peak.normalized_tpm(model).min(normalized / target),
                _ => *normalized,
            })
            .sum();
        let served = snap(served / model.input_tpm_per_ptu);
        // In normal operation active-active regions split the traffic; after losing one
        // region, the survivors carry it all.
        let (serving_share, failover_share) = match failover {
            Some(Failover::ActiveActive) => (
                served / region_count as f64,
                served / (region_count - 1) as f64,
            ),
            _ => (served, served),
        };
        // Each member's own size, computed with its line above.
        let separate: u64 = lines
            .iter()
            .filter(|line| members.iter().any(|(w, _)| w.name == line.name))
            .filter_map(|line| line.ptu_alone)
            .sum();
        let ptu = per_region * region_count;
        deployments.push(DeploymentLine {
            model: model.name.clone(),
            deployment: *deployment,
            workloads: members.iter().map(|(w, _)| w.name.clone()).collect(),
            normalized_tpm: snap(normalized),
            ptu_raw: raw,
            regions: region_count,
            ptu_per_region: per_region,
            ptu,
            utilization: snap(serving_share / per_region as f64),
            utilization_failover: snap(failover_share / per_region as f64),
            ptu_if_separate: separate,
            ptu_saved: separate.saturating_sub(ptu),
        });
    }

    Ok(deployments)
}

/// PTU quota per deployment type and region, and the PTUs per type in all regions.
fn quota_lines(
    deployments: &[DeploymentLine],
    regions: &[String],
    region_count: u64,
) -> (Vec<QuotaLine>, BTreeMap<DeploymentType, u64>) {
    let region_names: Vec<String> = if regions.is_empty() {
        vec!["-".to_string()]
    } else {
        regions.to_vec()
    };
    let mut per_type: BTreeMap<DeploymentType, u64> = BTreeMap::new();
    for d in deployments {
        *per_type.entry(d.deployment).or_default() += d.ptu;
    }
    let quota: Vec<QuotaLine> = per_type
        .iter()
        .flat_map(|(deployment, total)| {
            region_names.iter().map(move |region| QuotaLine {
                deployment: *deployment,
                region: region.clone(),
                ptu: total / region_count,
            })
        })
        .collect();

    (quota, per_type)
}

/// Reservations against the deployed PTUs per type: reserved, billed hourly, unused, and the
/// month's PTU cost.
fn reservation_lines(
    per_type: &BTreeMap<DeploymentType, u64>,
    settings: &PlanSettings,
) -> Result<(Vec<ReservationLine>, f64), InputError> {
    let mut reservations = Vec::new();
    let mut ptu_usd = 0.0;
    let types: std::collections::BTreeSet<DeploymentType> = per_type
        .keys()
        .chain(settings.reserved.keys())
        .copied()
        .collect();
    for deployment in types {
        let deployed = per_type.get(&deployment).copied().unwrap_or(0);
        let reserved = settings.reserved.get(&deployment).copied().unwrap_or(0);
        let rates = settings.ptu_rates.get(&deployment).ok_or_else(|| {
            InputError::Usage(format!(
                "no PTU prices for {deployment}: the catalog has none"
            ))
        })?;
        let billed_hourly = deployed.saturating_sub(reserved);
        let usd = reserved as f64
            * rates.per_ptu_month(settings.reservation_term, settings.hours_per_month)
            + billed_hourly as f64 * rates.per_ptu_month(Term::Hourly, settings.hours_per_month);
        ptu_usd += usd;
        reservations.push(ReservationLine {
            deployment,
            reserved,
            deployed,
            billed_hourly,
            unused: reserved.saturating_sub(deployed),
            monthly_usd: cents(usd),
        });
    }
    Ok((reservations, ptu_usd))
}

/// Hybrid bases are priced on the reservation's term when the plan reserves their type: say so
/// where PTUs of that type are billed hourly beyond the reservation.
fn hybrid_reservation_notes(lines: &[WorkloadLine], reservations: &[ReservationLine]) -> Vec<Note> {
    reservations
        .iter()
        .filter(|r| r.reserved > 0 && r.billed_hourly > 0)
        .filter(|r| {
            lines
                .iter()
                .any(|w| w.tier == Tier::Hybrid && w.deployment == r.deployment)
        })
        .map(|r| {
            let note = PlanNote::HybridBeyondReservation {
                deployment: r.deployment,
                billed_hourly: r.billed_hourly,
                reserved: r.reserved,
            };
            Note::of(NoteCode::Reservation, note)
        })
        .collect()
}

/// Notes on failover, sharing, reservations and what sizing shared deployments assumes.
fn plan_notes(
    deployments: &[DeploymentLine],
    reservations: &[ReservationLine],
    settings: &PlanSettings,
    geometry: Geometry,
) -> Vec<Note> {
    let (failover, region_count) = (geometry.failover, geometry.region_count);
    let mut notes = Vec::new();
    if let Some(mode) = failover {
        let regions = region_count;
        let note = match mode {
            Failover::ActivePassive => PlanNote::ActivePassive { regions },
            Failover::ActiveActive => PlanNote::ActiveActive { regions },
        };
        notes.push(Note::of(NoteCode::Failover, note));
    }
    let saved: u64 = deployments.iter().map(|d| d.ptu_saved).sum();
    if saved > 0 {
        let note = PlanNote::SharingSaves { ptu: saved };
        notes.push(Note::of(NoteCode::SharedDeployment, note));
    }
    if reservations.iter().any(|r| r.billed_hourly > 0) {
        let hourly: u64 = reservations.iter().map(|r| r.billed_hourly).sum();
        let note = if settings.reserved.is_empty() {
            PlanNote::NoReservation
        } else {
            PlanNote::BeyondReservation { ptu: hourly }
        };
        notes.push(Note::of(NoteCode::Reservation, note));
    }
    let unused: u64 = reservations.iter().map(|r| r.unused).sum();
    if unused > 0 {
        let note = PlanNote::ReservedUnused { ptu: unused };
        notes.push(Note::of(NoteCode::Reservation, note));
    }
    if region_count > 1 && !settings.reserved.is_empty() {
        let note = PlanNote::ReservationAllRegions;
        notes.push(Note::of(NoteCode::Reservation, note));
    }
    notes.push(Note::of(NoteCode::SharedDeployment, PlanNote::SumOfPeaks));
    notes
}

/// The part of a workload one region must serve: all of it, or with active-active failover
/// what falls to each survivor when one region is lost.
fn region_share(peak: &Workload, failover: Option<Failover>, regions: u64) -> Workload {
    match failover {
        Some(Failover::ActiveActive) if regions > 1 => Workload {
            rpm: peak.rpm / (regions - 1) as f64,
            shape: peak.shape,
        },
        _ => *peak,
    }
}

/// PTUs one region needs for `raw` PTUs of traffic (all regions together).
fn region_size(
    raw: f64,
    failover: Option<Failover>,
    regions: u64,
    target: f64,
    min: u32,
    increment: u32,
) -> u64 {
    let carried = match failover {
        Some(Failover::ActiveActive) if regions > 1 => raw / (regions - 1) as f64,
        _ => raw,
    };
    deployable_ptu(snap(carried / target), min, increment)
}
