//! The deployments a simulation compares: each candidate as a row of the report
//! ([`Candidate`]) and as the limiter its requests meet ([`Target`]). `app` checks the flags
//! against the catalog and gives the checked numbers here.

use crate::calc::service_tier::ServiceTier;
use crate::numfmt;
use crate::sim::compare::Candidate;
use crate::sim::{ProvisionedParams, StandardParams, Target, TierMode};

/// A provisioned deployment, with the standard deployment that takes its 429s if any:
/// `150 PTU`, `150 PTU+1M`.
pub fn provisioned(
    ptu: ProvisionedParams,
    spillover: Option<StandardParams>,
) -> (Candidate, Target) {
    let label = match spillover {
        Some(s) => format!(
            "{} PTU+{}",
            numfmt::count(ptu.ptu),
            numfmt::short(s.tpm_quota)
        ),
        None => format!("{} PTU", numfmt::count(ptu.ptu)),
    };
    let candidate = Candidate {
        label,
        ptu: Some(ptu.ptu),
        tpm_quota: None,
        capacity_tpm: ptu.ptu * ptu.input_tpm_per_ptu,
        rpm_limit: None,
        spillover_tpm_quota: spillover.map(|s| s.tpm_quota),
        tier: None,
    };
    (candidate, Target::Provisioned { ptu, spillover })
}

/// A standard deployment, its requests sent plain (`300K TPM`) or with a service tier
/// (`flex 300K`, `priority 300K`).
pub fn standard(params: StandardParams, mode: Option<TierMode>) -> (Candidate, Target) {
    let tier = mode.map(|mode| match mode {
        TierMode::Priority(_) => ServiceTier::Priority,
        TierMode::Flex { .. } => ServiceTier::Flex,
    });
    let quota = numfmt::short(params.tpm_quota);
    let candidate = Candidate {
        label: match tier {
            Some(tier) => format!("{} {quota}", tier.as_str()),
            None => format!("{quota} TPM"),
        },
        ptu: None,
        tpm_quota: Some(params.tpm_quota),
        capacity_tpm: params.tpm_quota,
        rpm_limit: Some(params.rpm),
        spillover_tpm_quota: None,
        tier,
    };
    let target = match mode {
        Some(mode) => Target::Tiered {
            standard: params,
            mode,
        },
        None => Target::Standard(params),
    };
    (candidate, target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::RpmWindow;

    fn params(tpm_quota: f64) -> StandardParams {
        StandardParams {
            tpm_quota,
            rpm: tpm_quota / 1000.0,
            rpm_window: RpmWindow::OneSecond,
        }
    }

    #[test]
    fn a_provisioned_candidate_names_its_spillover_and_weighs_its_capacity() {
        let ptu = ProvisionedParams {
            ptu: 150.0,
            input_tpm_per_ptu: 3_000.0,
            output_weight: 4.0,
            cached_weight: 0.0,
            bucket_seconds: 60.0,
        };
        let (candidate, target) = provisioned(ptu, Some(params(1_000_000.0)));
        assert_eq!(candidate.label, "150 PTU+1M");
        // 150 PTU × 3,000 input TPM per PTU.
        assert_eq!(candidate.capacity_tpm, 450_000.0);
        assert_eq!(candidate.spillover_tpm_quota, Some(1_000_000.0));
        assert!(matches!(
            target,
            Target::Provisioned {
                spillover: Some(_),
                ..
            }
        ));
        assert_eq!(provisioned(ptu, None).0.label, "150 PTU");
    }

    #[test]
    fn a_standard_candidate_is_labelled_by_its_tier() {
        let (plain, target) = standard(params(300_000.0), None);
        assert_eq!(plain.label, "300K TPM");
        assert_eq!(plain.rpm_limit, Some(300.0));
        assert!(matches!(target, Target::Standard(_)));
        let flex = TierMode::Flex { availability: 0.8 };
        let (tiered, target) = standard(params(300_000.0), Some(flex));
        assert_eq!(tiered.label, "flex 300K");
        assert_eq!(tiered.tier, Some(ServiceTier::Flex));
        assert!(matches!(target, Target::Tiered { .. }));
    }
}
