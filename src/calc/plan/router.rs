//! The model groups a client-side router (LiteLLM) needs to call a plan's deployments: per
//! workload, its serving deployments in each region, and the groups it falls back to on
//! errors (a hybrid's spillover, flex retried as standard, an active-passive standby).

use crate::calc::rounding::ceil_whole;
use crate::catalog::Catalog;

use super::{DeploymentSpec, Failover, PlanReport, Tier, WorkloadLine};

/// One deployment in one router group.
#[derive(Debug, Clone, PartialEq)]
pub struct RouterEntry {
    /// The group clients (or fallbacks) name: the workload, or `<workload>-spill`,
    /// `<workload>-standard`, `<workload>-failover`.
    pub group: String,
    /// The Azure deployment it calls.
    pub deployment: String,
    /// Region of the deployment's account.
    pub region: Option<String>,
    /// Tokens a minute it is sized for: a PTU deployment's share of the workload's peak, else
    /// the standard quota.
    pub tpm: u64,
    /// Requests a minute, the same way.
    pub rpm: u64,
    /// `priority` or `flex` for requests sent with that service tier.
    pub service_tier: Option<&'static str>,
}

/// The router's groups and fallbacks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RouterPlan {
    /// Every group member, in plan order.
    pub entries: Vec<RouterEntry>,
    /// Per workload group, the groups tried after it, in order.
    pub fallbacks: Vec<(String, Vec<String>)>,
    /// Workloads left out: batch jobs go to the Batch API, not a chat router.
    pub left_out: Vec<String>,
}

/// The router groups of every real-time workload. A batch workload, and a `batch_share`, are
/// left out: they go to the Batch API as files.
pub fn router_plan(report: &PlanReport, specs: &[DeploymentSpec], catalog: &Catalog) -> RouterPlan {
    let mut plan = RouterPlan::default();
    let regions: Vec<Option<String>> = if report.regions.is_empty() {
        vec![None]
    } else {
        report.regions.iter().cloned().map(Some).collect()
    };
    let passive = report.failover == Some(Failover::ActivePassive);
    // Each serving region's share of the peak in normal operation.
    let share = if report.failover == Some(Failover::ActiveActive) {
        1.0 / regions.len() as f64
    } else {
        1.0
    };
    let mut taken: Vec<String> = report.workloads.iter().map(|w| w.name.clone()).collect();
    for w in &report.workloads {
        if w.tier == Tier::Batch {
            plan.left_out.push(w.name.clone());
            continue;
        }
        let mut groups = Groups::new(w, &mut taken);
        let mut entries = Vec::new();
        for (index, region) in regions.iter().enumerate() {
            let standby = passive && index > 0;
            for spec in specs_of(w, region, specs) {
                entries.push(router_entry(
                    w,
                    spec,
                    (standby, share),
                    &mut groups,
                    catalog,
                ));
            }
            if w.tier == Tier::Flex {
                // Attempts without flex capacity are resent as standard by the client.
                for spec in specs_of(w, region, specs) {
                    let mut entry = router_entry(w, spec, (standby, share), &mut groups, catalog);
                    entry.group = groups.name(standby, true);
                    entry.service_tier = None;
                    entries.push(entry);
                }
            }
        }
        // A group's members in the order its fallbacks are tried.
        let order = groups.order();
        entries.sort_by_key(|e| order.iter().position(|g| *g == e.group));
        plan.entries.extend(entries);
        if order.len() > 1 {
            plan.fallbacks.push((w.name.clone(), order[1..].to_vec()));
        }
    }
    plan
}

/// One deployment's entry for `w` in its group (`standby`: in an active-passive standby
/// region): a PTU deployment's share of the peak, else the standard quota.
fn router_entry(
    w: &WorkloadLine,
    spec: &DeploymentSpec,
    (standby, share): (bool, f64),
    groups: &mut Groups,
    catalog: &Catalog,
) -> RouterEntry {
    let provisioned = spec.sku.is_provisioned();
    let (tpm, rpm) = match spec.quota_tpm {
        Some(quota) if !provisioned => {
            let quota = quota as f64;
            (quota, standard_rpm(w, quota, catalog).unwrap_or(w.rpm))
        }
        _ => {
            let rpm = w.rpm * (1.0 - w.batch_share) * share;
            (rpm * w.tokens_per_request, rpm)
        }
    };
    // A hybrid's standard deployment is its spillover (when it has a PTU base).
    let spill = super::deployments::spills_over(w) && !provisioned;
    RouterEntry {
        group: groups.name(standby, spill),
        deployment: spec.name.clone(),
        region: spec.region.clone(),
        tpm: ceil_whole(tpm) as u64,
        rpm: ceil_whole(rpm) as u64,
        service_tier: spec
            .service_tier
            .map(tier_word)
            .or((w.tier == Tier::Flex).then_some("flex")),
    }
}

/// A workload's group names: its own, then its spillover (hybrid) or standard (flex) group,
/// then the same two for standby regions; unique among the plan's workloads and groups.
struct Groups<'a> {
    workload: &'a WorkloadLine,
    taken: &'a mut Vec<String>,
    /// (standby, second) → name, in the order they were first used.
    named: Vec<((bool, bool), String)>,
}

impl<'a> Groups<'a> {
    fn new(workload: &'a WorkloadLine, taken: &'a mut Vec<String>) -> Groups<'a> {
        Groups {
            workload,
            taken,
            named: Vec::new(),
        }
    }

    /// The group of a region's deployments (`standby`), the workload's own or (`second`) the
    /// one its errors fall back to.
    fn name(&mut self, standby: bool, second: bool) -> String {
        if let Some((_, name)) = self.named.iter().find(|(k, _)| *k == (standby, second)) {
            return name.clone();
        }
        let w = &self.workload.name;
        let suffix = match self.workload.tier {
            Tier::Hybrid => "-spill",
            _ => "-standard",
        };
        let name = match (standby, second) {
            (false, false) => w.clone(),
            (false, true) => unique(format!("{w}{suffix}"), self.taken),
            (true, false) => unique(format!("{w}-failover"), self.taken),
            (true, true) => unique(format!("{w}-failover{suffix}"), self.taken),
        };
        self.named.push(((standby, second), name.clone()));
        name
    }

    /// The groups in the order they are tried: own, second, standby own, standby second.
    fn order(&self) -> Vec<String> {
        let mut named = self.named.clone();
        named.sort_by_key(|(key, _)| *key);
        named.into_iter().map(|(_, name)| name).collect()
    }
}

/// The request value of a deployment's service tier (`Priority` → `priority`).
fn tier_word(tier: &'static str) -> &'static str {
    if tier.eq_ignore_ascii_case("priority") {
        "priority"
    } else {
        "flex"
    }
}

/// The real-time deployments serving `w` in `region`: its PTU deployment, its standard one,
/// or a hybrid's spillover.
fn specs_of<'a>(
    w: &'a WorkloadLine,
    region: &'a Option<String>,
    specs: &'a [DeploymentSpec],
) -> impl Iterator<Item = &'a DeploymentSpec> {
    specs
        .iter()
        .filter(move |s| !s.batch && &s.region == region && s.workloads.contains(&w.name))
}

/// Requests a minute a standard TPM quota allows (the catalog's ratio).
fn standard_rpm(w: &WorkloadLine, quota: f64, catalog: &Catalog) -> Option<f64> {
    let ratio = catalog
        .lookup(&w.model)?
        .rpm_per_1000_tpm_for(w.deployment)?;
    Some(quota / 1000.0 * ratio)
}

/// `name`, or `name-2`, `name-3`, ... when a workload or group already has it.
fn unique(name: String, taken: &mut Vec<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 1;
    while taken.contains(&candidate) {
        n += 1;
        candidate = format!("{name}-{n}");
    }
    taken.push(candidate.clone());
    candidate
}
