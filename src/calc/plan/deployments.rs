//! The Azure deployments a sized plan implies, one per region: what `ptuplan emit` writes as
//! ARM resources and watches with alerts.

use crate::catalog::Catalog;
use crate::deployment::{DeploymentType, Sku};

use super::{Billing, PlanReport, Tier};

/// One deployment to create in one region's account.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentSpec {
    /// Deployment name: letters, digits, `-`, `_` and `.`, at most 64 characters.
    pub name: String,
    /// Region (None: a plan without regions).
    pub region: Option<String>,
    /// Azure SKU.
    pub sku: Sku,
    /// Batch SKUs (`GlobalBatch`, `DataZoneBatch`) have no capacity here.
    pub batch: bool,
    /// PTUs (provisioned) or quota units (standard); None for batch.
    pub capacity: Option<u64>,
    /// The standard TPM quota the capacity stands for (standard deployments).
    pub quota_tpm: Option<u64>,
    /// Peak requests per minute it serves (for 429 alert thresholds).
    pub peak_rpm: f64,
    /// Catalog model name.
    pub model: String,
    /// Model version from the catalog's lifecycle, when known.
    pub version: Option<String>,
    /// `Priority` for a deployment whose requests default to priority processing.
    pub service_tier: Option<&'static str>,
    /// The deployment its 429s spill to (a hybrid's standard deployment).
    pub spillover_to: Option<String>,
    /// Plan workloads it serves.
    pub workloads: Vec<String>,
}

/// Characters a deployment name keeps; others become `-`.
fn deployment_name(text: &str) -> String {
    let name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if name.is_empty() {
        "deployment".into()
    } else {
        name
    }
}

/// Every deployment of the plan in every region: the shared PTU deployments, then one per
/// token workload (standard, priority, flex, batch) and per hybrid's spillover.
pub fn deployment_specs(report: &PlanReport, catalog: &Catalog) -> Vec<DeploymentSpec> {
    let regions: Vec<Option<String>> = if report.regions.is_empty() {
        vec![None]
    } else {
        report.regions.iter().cloned().map(Some).collect()
    };
    let version = |model: &str| {
        catalog
            .lookup(model)
            .and_then(|m| m.lifecycle.as_ref())
            .and_then(|l| l.version.clone())
    };
    let mut specs = Vec::new();
    for region in &regions {
        for d in &report.deployments {
            let name = deployment_name(&format!("{}-{}-ptu", d.model, d.deployment));
            let spill = report
                .workloads
                .iter()
                .filter(|w| w.tier == Tier::Hybrid && d.workloads.contains(&w.name))
                .find(|w| w.standard_tpm_quota.is_some())
                .map(|w| deployment_name(&format!("{}-spill", w.name)));
            let members = report
                .workloads
                .iter()
                .filter(|w| d.workloads.contains(&w.name));
            specs.push(DeploymentSpec {
                name,
                region: region.clone(),
                sku: Sku::of(d.deployment, true),
                batch: false,
                capacity: Some(d.ptu_per_region),
                quota_tpm: None,
                peak_rpm: members.map(|w| w.rpm).sum(),
                model: d.model.clone(),
                version: version(&d.model),
                service_tier: None,
                spillover_to: spill,
                workloads: d.workloads.clone(),
            });
        }
        for w in &report.workloads {
            let spill = w.tier == Tier::Hybrid;
            if w.billing == Billing::Ptu && !spill {
                continue;
            }
            let Some(model) = catalog.lookup(&w.model) else {
                continue;
            };
            let quota = w.standard_tpm_quota;
            let unit = u64::from(model.quota_unit_tpm.max(1));
            let batch = w.tier == Tier::Batch;
            if spill && quota.is_none() {
                continue;
            }
            specs.push(DeploymentSpec {
                name: deployment_name(&if spill {
                    format!("{}-spill", w.name)
                } else {
                    w.name.clone()
                }),
                region: region.clone(),
                sku: Sku::of(w.deployment, false),
                batch,
                capacity: (!batch).then(|| quota.map_or(1, |q| q.div_ceil(unit).max(1))),
                quota_tpm: quota,
                peak_rpm: w.rpm,
                model: w.model.clone(),
                version: version(&w.model),
                service_tier: (w.tier == Tier::Priority).then_some("Priority"),
                spillover_to: None,
                workloads: vec![w.name.clone()],
            });
        }
    }
    unique_names(&mut specs);
    specs
}

/// Makes names unique within each region (`a b` and `a-b` both become `a-b`): later ones get
/// `-2`, `-3`, ...
fn unique_names(specs: &mut [DeploymentSpec]) {
    let mut seen: Vec<(Option<String>, String)> = Vec::new();
    for spec in specs.iter_mut() {
        let base = spec.name.clone();
        let mut n = 1;
        while seen.contains(&(spec.region.clone(), spec.name.clone())) {
            n += 1;
            let suffix = format!("-{n}");
            let keep = 64 - suffix.len();
            spec.name = format!("{}{suffix}", &base[..base.len().min(keep)]);
        }
        seen.push((spec.region.clone(), spec.name.clone()));
    }
}

impl DeploymentSpec {
    /// Azure's SKU name: the standard or provisioned SKU, or the batch one.
    pub fn sku_name(&self) -> &'static str {
        match (self.batch, self.sku.deployment()) {
            (true, DeploymentType::DataZone) => "DataZoneBatch",
            (true, _) => "GlobalBatch",
            (false, _) => self.sku.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_safe_characters_only() {
        assert_eq!(deployment_name("gpt-4.1-global-ptu"), "gpt-4.1-global-ptu");
        assert_eq!(deployment_name("support chat/β"), "support-chat--");
        assert_eq!(deployment_name(&"x".repeat(100)).len(), 64);
        assert_eq!(deployment_name(""), "deployment");
    }
}
