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
    /// The most processed tokens a minute its standard quota lets through: the quota times
    /// tokens per request over prompt + `max_tokens`, or fewer when its RPM limit binds first.
    pub admitted_tpm: Option<f64>,
    /// Every workload on it is a hybrid whose base it is: it runs full whenever they spill.
    pub saturates: bool,
    /// Share of its requests the plan expects to be answered 429 by design: flex attempts
    /// without capacity (retried on standard by the client); 0 elsewhere.
    pub expected_429_share: f64,
    /// Catalog model name.
    pub model: String,
    /// Model version from the catalog's lifecycle, when known.
    pub version: Option<String>,
    /// Model format: the publisher (`OpenAI`, `Meta`, `DeepSeek`).
    pub format: &'static str,
    /// `Priority` for a deployment whose requests default to priority processing.
    pub service_tier: Option<&'static str>,
    /// The deployment its 429s spill to (a hybrid's standard deployment).
    pub spillover_to: Option<String>,
    /// Plan workloads it serves.
    pub workloads: Vec<String>,
}

/// Characters a deployment name keeps (others become `-`), starting and ending with a letter
/// or digit.
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
        .collect();
    let name = name.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if name.is_empty() {
        "deployment".into()
    } else {
        name.chars()
            .take(64)
            .collect::<String>()
            .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
            .to_string()
    }
}

/// Every deployment of the plan in every region: each hybrid's spillover deployment (which
/// must exist before a PTU deployment names it), the shared PTU deployments, then one per
/// token workload (standard, priority, flex, batch) and per batch share.
pub fn deployment_specs(report: &PlanReport, catalog: &Catalog) -> Vec<DeploymentSpec> {
    let regions: Vec<Option<String>> = if report.regions.is_empty() {
        vec![None]
    } else {
        report.regions.iter().cloned().map(Some).collect()
    };
    let mut specs = Vec::new();
    for region in &regions {
        let mut spills = Vec::new();
        let mut tokens = Vec::new();
        for w in &report.workloads {
            let hybrid = w.tier == Tier::Hybrid;
            if w.billing == Billing::Ptu && !hybrid {
                if w.batch_share > 0.0 {
                    tokens.extend(batch_part(w, region, catalog));
                }
                continue;
            }
            let Some(spec) = token_spec(w, region, catalog) else {
                continue;
            };
            if spills_over(w) {
                spills.push(spec);
            } else {
                tokens.push(spec);
            }
            if w.batch_share > 0.0 {
                tokens.extend(batch_part(w, region, catalog));
            }
        }
        let first = specs.len();
        specs.extend(spills);
        // Settle the spillover names before the PTU deployments name them.
        unique_names(&mut specs);
        let spills_end = specs.len();
        for d in &report.deployments {
            let spill = specs[first..spills_end]
                .iter()
                .find(|s| s.workloads.iter().any(|w| d.workloads.contains(w)))
                .map(|s| s.name.clone());
            let members = report
                .workloads
                .iter()
                .filter(|w| d.workloads.contains(&w.name));
            specs.push(DeploymentSpec {
                name: deployment_name(&format!("{}-{}-ptu", d.model, d.deployment)),
                region: region.clone(),
                sku: Sku::of(d.deployment, true),
                batch: false,
                capacity: Some(d.ptu_per_region),
                quota_tpm: None,
                peak_rpm: members.clone().map(|w| w.rpm * (1.0 - w.batch_share)).sum(),
                admitted_tpm: None,
                saturates: members.clone().all(|w| w.tier == Tier::Hybrid),
                expected_429_share: 0.0,
                model: d.model.clone(),
                version: version(catalog, &d.model),
                format: format(&d.model),
                service_tier: None,
                spillover_to: spill,
                workloads: d.workloads.clone(),
            });
        }
        specs.extend(tokens);
    }
    unique_names(&mut specs);
    specs
}

/// The model's version from the catalog's lifecycle.
fn version(catalog: &Catalog, model: &str) -> Option<String> {
    catalog
        .lookup(model)
        .and_then(|m| m.lifecycle.as_ref())
        .and_then(|l| l.version.clone())
}

/// The model format Foundry deploys it with: its publisher's name (Azure OpenAI models are
/// `OpenAI`).
fn format(model: &str) -> &'static str {
    let lower = model.to_ascii_lowercase();
    if lower.starts_with("deepseek") {
        "DeepSeek"
    } else if lower.starts_with("llama") {
        "Meta"
    } else {
        "OpenAI"
    }
}

/// A token workload's standard deployment (a hybrid's is its spillover), sized by its quota.
fn token_spec(
    w: &super::WorkloadLine,
    region: &Option<String>,
    catalog: &Catalog,
) -> Option<DeploymentSpec> {
    let model = catalog.lookup(&w.model)?;
    let quota = w.standard_tpm_quota;
    if w.tier == Tier::Hybrid && quota.is_none() {
        return None;
    }
    let unit = u64::from(model.quota_unit_tpm.max(1));
    let batch = w.tier == Tier::Batch;
    Some(DeploymentSpec {
        name: deployment_name(&if spills_over(w) {
            format!("{}-spill", w.name)
        } else {
            w.name.clone()
        }),
        region: region.clone(),
        sku: Sku::of(w.deployment, false),
        batch,
        capacity: (!batch).then(|| quota.map_or(1, |q| q.div_ceil(unit).max(1))),
        quota_tpm: quota,
        peak_rpm: w.rpm * (1.0 - w.batch_share),
        admitted_tpm: quota.map(|q| admitted_tpm(w, model, q as f64)),
        saturates: false,
        expected_429_share: if w.tier == Tier::Flex {
            w.downgraded_share
        } else {
            0.0
        },
        model: w.model.clone(),
        version: version(catalog, &w.model),
        format: format(&w.model),
        service_tier: (w.tier == Tier::Priority).then_some("Priority"),
        spillover_to: None,
        workloads: vec![w.name.clone()],
    })
}

/// The processed tokens a minute a standard quota of `quota` TPM lets through for `w`'s
/// requests: each admitted at prompt + `max_tokens`, and no more requests than the quota's
/// RPM (the catalog's ratio).
fn admitted_tpm(w: &super::WorkloadLine, model: &crate::catalog::Model, quota: f64) -> f64 {
    let by_tokens = if w.admission_tokens_per_request > 0.0 {
        quota * (w.tokens_per_request / w.admission_tokens_per_request).min(1.0)
    } else {
        quota
    };
    match model.rpm_per_1000_tpm_for(w.deployment) {
        Some(ratio) => by_tokens.min(quota / 1000.0 * ratio * w.tokens_per_request),
        None => by_tokens,
    }
}

/// A hybrid with a PTU base: its standard deployment takes the base's spillover. A hybrid
/// whose cheapest base is no PTU is served on standard alone, under its own name.
pub fn spills_over(w: &super::WorkloadLine) -> bool {
    w.tier == Tier::Hybrid && w.ptu_base.unwrap_or(0) > 0
}

/// The batch deployment a workload's `batch_share` is sent to.
fn batch_part(
    w: &super::WorkloadLine,
    region: &Option<String>,
    catalog: &Catalog,
) -> Option<DeploymentSpec> {
    catalog.lookup(&w.model)?;
    Some(DeploymentSpec {
        name: deployment_name(&format!("{}-batch", w.name)),
        region: region.clone(),
        sku: Sku::of(w.deployment, false),
        batch: true,
        capacity: None,
        quota_tpm: None,
        peak_rpm: w.rpm * w.batch_share,
        admitted_tpm: None,
        saturates: false,
        expected_429_share: 0.0,
        model: w.model.clone(),
        version: version(catalog, &w.model),
        format: format(&w.model),
        service_tier: None,
        spillover_to: None,
        workloads: vec![w.name.clone()],
    })
}

/// Makes names unique within each region, ignoring case as ARM does (`a b` and `a-b` both
/// become `a-b`): later ones get `-2`, `-3`, ... Spillover deployments come first in a region,
/// so the ones PTU deployments name keep their names.
fn unique_names(specs: &mut [DeploymentSpec]) {
    let mut seen: Vec<(Option<String>, String)> = Vec::new();
    for spec in specs.iter_mut() {
        let base = spec.name.clone();
        let key = |name: &str| name.to_ascii_lowercase();
        let mut n = 1;
        while seen.contains(&(spec.region.clone(), key(&spec.name))) {
            n += 1;
            let suffix = format!("-{n}");
            let keep = 64 - suffix.len();
            spec.name = format!("{}{suffix}", &base[..base.len().min(keep)]);
        }
        seen.push((spec.region.clone(), key(&spec.name)));
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
        assert_eq!(deployment_name("support chat/β"), "support-chat");
        assert_eq!(deployment_name("foo."), "foo");
        assert_eq!(deployment_name("."), "deployment");
        assert_eq!(deployment_name(&"x".repeat(100)).len(), 64);
        assert_eq!(deployment_name(""), "deployment");
    }
}
