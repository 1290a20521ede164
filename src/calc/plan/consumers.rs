//! Consumers (teams, apps) sharing a workload's deployment, each with its own token and request
//! limit — the per-consumer limits an API Management gateway enforces (`emit apim`). The limits
//! on one deployment never sum past its capacity at the target utilization.

use serde::Serialize;

use super::{Billing, PlanReport, Tier};
use crate::calc::rounding::snap;
use crate::calc::workload::Workload;
use crate::catalog::Model;
use crate::error::InputError;
use crate::note::{Note, NoteCode, PlanNote};

/// How the gateway tells consumers apart (`emit apim --consumer-key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsumerKey {
    /// By the API Management subscription's name (the consumer's name).
    Subscription,
    /// By a request header carrying the consumer's name.
    Header(String),
}

/// A consumer as resolved from a plan: the workload it calls and its peak.
#[derive(Debug, Clone)]
pub struct PlannedConsumer<'a> {
    /// Name.
    pub name: String,
    /// The workload it calls.
    pub workload: String,
    /// Its model.
    pub model: &'a Model,
    /// Its peak rate and request shape.
    pub peak: Workload,
    /// Tokens allowed per period (API Management's `token-quota`), if any.
    pub token_quota: Option<(u64, QuotaPeriod)>,
}

/// The period of a consumer's token quota (API Management's `token-quota-period`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum QuotaPeriod {
    /// Each hour.
    Hourly,
    /// Each day.
    Daily,
    /// Each week.
    Weekly,
    /// Each month.
    Monthly,
    /// Each year.
    Yearly,
}

impl QuotaPeriod {
    /// Hours in one period (a month and a year as the plan bills them).
    fn hours(self, hours_per_month: f64) -> f64 {
        match self {
            QuotaPeriod::Hourly => 1.0,
            QuotaPeriod::Daily => 24.0,
            QuotaPeriod::Weekly => 168.0,
            QuotaPeriod::Monthly => hours_per_month,
            QuotaPeriod::Yearly => hours_per_month * 12.0,
        }
    }

    /// The name as in plans and JSON: `hourly`, `daily`, ...
    fn as_str(self) -> &'static str {
        match self {
            QuotaPeriod::Hourly => "hourly",
            QuotaPeriod::Daily => "daily",
            QuotaPeriod::Weekly => "weekly",
            QuotaPeriod::Monthly => "monthly",
            QuotaPeriod::Yearly => "yearly",
        }
    }

    /// API Management's spelling: `Hourly`, `Daily`, ...
    pub fn apim(self) -> &'static str {
        match self {
            QuotaPeriod::Hourly => "Hourly",
            QuotaPeriod::Daily => "Daily",
            QuotaPeriod::Weekly => "Weekly",
            QuotaPeriod::Monthly => "Monthly",
            QuotaPeriod::Yearly => "Yearly",
        }
    }
}

/// One consumer's limits. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConsumerLine {
    /// Name.
    pub name: String,
    /// The workload it calls.
    pub workload: String,
    /// The deployment that serves it: `MODEL TYPE` (PTU) or the workload's name (tokens).
    pub deployment: String,
    /// Its limit, requests per minute.
    pub rpm: f64,
    /// Its limit, tokens (prompt + completion) per minute: what API Management counts.
    pub tpm: f64,
    /// Its share of the deployment's capacity at the target utilization.
    pub share_of_capacity: f64,
    /// Tokens allowed per `token_quota_period` (left out without a quota).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_quota: Option<u64>,
    /// The quota's period (left out without a quota).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_quota_period: Option<QuotaPeriod>,
}

/// What the consumers of one deployment leave. Field names are the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ConsumerHeadroom {
    /// The deployment.
    pub deployment: String,
    /// Its capacity at the target utilization in one region: normalized TPM (PTU), TPM quota
    /// (tokens), or a hybrid workload's peak normalized TPM (its base and spillover serve it).
    pub capacity: f64,
    /// The consumers' limits on it, in the same unit.
    pub limits: f64,
    /// Capacity left: capacity − limits.
    pub headroom: f64,
}

/// Each consumer's limits and each deployment's headroom; an error when the limits on one
/// deployment add up past its capacity.
pub fn consumer_lines(
    report: &PlanReport,
    consumers: &[PlannedConsumer<'_>],
) -> Result<(Vec<ConsumerLine>, Vec<ConsumerHeadroom>), InputError> {
    let mut lines = Vec::new();
    let mut headroom: Vec<ConsumerHeadroom> = Vec::new();
    for consumer in consumers {
        let (deployment, capacity, used) = placement(report, consumer)?;
        lines.push(ConsumerLine {
            name: consumer.name.clone(),
            workload: consumer.workload.clone(),
            deployment: deployment.clone(),
            rpm: snap(consumer.peak.rpm),
            tpm: snap(consumer.peak.rpm * consumer.peak.shape.tokens_per_request()),
            share_of_capacity: snap(used / capacity),
            token_quota: consumer.token_quota.map(|(tokens, _)| tokens),
            token_quota_period: consumer.token_quota.map(|(_, period)| period),
        });
        match headroom.iter_mut().find(|h| h.deployment == deployment) {
            Some(h) => h.limits += used,
            None => headroom.push(ConsumerHeadroom {
                deployment,
                capacity,
                limits: used,
                headroom: 0.0,
            }),
        }
    }
    for h in &mut headroom {
        h.limits = snap(h.limits);
        h.headroom = snap(h.capacity - h.limits);
        if h.headroom < -1e-9 * h.capacity {
            let names: Vec<&str> = lines
                .iter()
                .filter(|l| l.deployment == h.deployment)
                .map(|l| l.name.as_str())
                .collect();
            return Err(InputError::Usage(format!(
                "[[consumer]] limits on {} add up to {} but its capacity at the target \
                 utilization is {}: lower the shares or rates of {}",
                h.deployment,
                crate::numfmt::count(h.limits),
                crate::numfmt::count(h.capacity),
                names.join(", ")
            )));
        }
    }
    Ok((lines, headroom))
}

/// Where a consumer's workload is served: the deployment's name, its capacity at the target in
/// one region, and what the consumer's peak uses of it (normalized TPM on PTUs, tokens on a
/// standard quota).
fn placement(
    report: &PlanReport,
    consumer: &PlannedConsumer<'_>,
) -> Result<(String, f64, f64), InputError> {
    let workload = report
        .workloads
        .iter()
        .find(|w| w.name == consumer.workload)
        .ok_or_else(|| {
            InputError::Usage(format!(
                "consumer '{}': no workload '{}'",
                consumer.name, consumer.workload
            ))
        })?;
    let target = report.target_utilization;
    // A hybrid serves its whole peak with its base and its spillover quota: its consumers
    // share that peak.
    if workload.tier == Tier::Hybrid {
        let used = consumer.peak.normalized_tpm(consumer.model);
        return Ok((
            format!("{} (hybrid)", workload.name),
            workload.normalized_tpm,
            used,
        ));
    }
    if workload.billing == Billing::Ptu {
        let shared = report
            .deployments
            .iter()
            .find(|d| d.workloads.contains(&workload.name));
        if let Some(d) = shared {
            let capacity = d.ptu_per_region as f64 * consumer.model.input_tpm_per_ptu * target;
            let used = consumer.peak.normalized_tpm(consumer.model);
            return Ok((format!("{} {}", d.model, d.deployment), capacity, used));
        }
    }
    let quota = workload.standard_tpm_quota.ok_or_else(|| {
        InputError::Usage(format!(
            "consumer '{}': workload '{}' has no sized capacity to share (no PTU deployment \
             and no standard quota: batch, or no published RPM ratio)",
            consumer.name, consumer.workload
        ))
    })?;
    // A standard quota admits prompt + max_tokens per request, and requests at the catalog's
    // RPM ratio: a consumer uses the larger share of the two.
    let capacity = quota as f64 * target;
    let tokens = consumer.peak.rpm * consumer.peak.shape.admission_tokens_for(consumer.model);
    let requests = consumer
        .model
        .rpm_per_1000_tpm_for(workload.deployment)
        .map_or(0.0, |ratio| {
            consumer.peak.rpm / (capacity / 1000.0 * ratio) * capacity
        });
    Ok((workload.name.clone(), capacity, tokens.max(requests)))
}

/// A note per consumer whose token quota is below the tokens it is planned to use in a period:
/// its share of its workload's peak rate times the workload's tokens over the month, spread
/// evenly (a busy day or hour uses more, so an even spread is the least it needs).
pub fn quota_notes(report: &PlanReport, consumers: &[PlannedConsumer<'_>]) -> Vec<Note> {
    let mut notes = Vec::new();
    for consumer in consumers {
        let Some((quota, period)) = consumer.token_quota else {
            continue;
        };
        let Some(workload) = report
            .workloads
            .iter()
            .find(|w| w.name == consumer.workload)
        else {
            continue;
        };
        let rate_share = consumer.peak.rpm * consumer.peak.shape.tokens_per_request()
            / (workload.rpm * workload.tokens_per_request).max(f64::MIN_POSITIVE);
        let planned = workload.monthly_tokens * rate_share * period.hours(report.hours_per_month)
            / report.hours_per_month;
        if (quota as f64) < planned {
            let note = PlanNote::ConsumerTokenQuota {
                consumer: consumer.name.clone(),
                quota,
                period: period.as_str().to_string(),
                planned: crate::calc::rounding::ceil_whole(planned),
                share: rate_share,
                workload: consumer.workload.clone(),
            };
            notes.push(Note::of(NoteCode::ConsumerTokenQuota, note));
        }
    }
    notes
}
