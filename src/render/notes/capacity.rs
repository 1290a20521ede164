//! The sentences of [`CapacityNote`]s.

use crate::note::CapacityNote;
use crate::numfmt::{count, number};

/// What `note` says.
pub(super) fn sentence(note: &CapacityNote) -> String {
    match note {
        CapacityNote::UnverifiedCatalogValues { model } => format!(
            "catalog values for {model} are UNVERIFIED or conflicting (see 'ptuplan models \
             {model}')"
        ),
        CapacityNote::NoModelRpmNotChecked => "no --model given: the standard RPM limit (RPM per \
             1,000 TPM) was not checked; pass --model to include it"
            .to_string(),
        CapacityNote::NoRpmRatio { model } => format!(
            "no published standard RPM-per-TPM ratio for {model}: the RPM limit was not checked"
        ),
        CapacityNote::PtuOffGrid {
            ptu,
            deployment,
            model,
            min_ptu,
            increment,
        } => format!(
            "{} PTU is not a deployable {deployment} size for {model}: minimum {min_ptu}, then \
             multiples of {increment}",
            count(*ptu)
        ),
        CapacityNote::PtuAboveMaximum { ptu, max_ptu } => format!(
            "{} PTU exceeds the {} PTU maximum of one deployment",
            count(*ptu),
            count(*max_ptu as f64)
        ),
        CapacityNote::ProvisionedAdmission => "provisioned admission reserves prompt + \
             max_tokens but corrects to the actual tokens at completion: sustained capacity uses \
             the completion tokens"
            .to_string(),
        CapacityNote::WindowRoundsDown {
            window_seconds,
            admitted,
            exact,
            even_rpm,
        } => format!(
            "a {window_seconds}s window admits {admitted} of the {} requests the RPM limit \
             allows per window (rounded down), so even traffic gets at most {} RPM",
            number(*exact, 2, true),
            count(*even_rpm)
        ),
        CapacityNote::DefaultMaxTokens { max_tokens, model } => format!(
            "admission counted prompt + {} max_tokens, the default the service assumes for \
             {model} when a client sends none; pass --max-tokens with what your client sends",
            count(*max_tokens)
        ),
        CapacityNote::OutputCountedAsMaxTokens => "no --max-tokens: admission counted the \
             output tokens as max_tokens; the service counts the max_tokens your client sends \
             (or its own estimate when none), so pass --max-tokens"
            .to_string(),
        CapacityNote::QuotaOffUnits {
            model,
            unit_tpm,
            tpm,
        } => format!(
            "{model} quota is granted in units of {} TPM: {} TPM is not a whole number of units",
            count(f64::from(*unit_tpm)),
            count(*tpm)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::DeploymentType;

    #[test]
    fn a_window_rounding_down_says_what_even_traffic_gets() {
        // 90 RPM in 1 s windows: 1.5 requests a window, 1 admitted: 1 × 60 ÷ 1 = 60 RPM.
        let note = CapacityNote::WindowRoundsDown {
            window_seconds: 1,
            admitted: 1,
            exact: 1.5,
            even_rpm: 60.0,
        };
        assert_eq!(
            sentence(&note),
            "a 1s window admits 1 of the 1.50 requests the RPM limit allows per window (rounded \
             down), so even traffic gets at most 60 RPM"
        );
    }

    #[test]
    fn rpm_not_checked_says_why() {
        assert_eq!(
            sentence(&CapacityNote::NoModelRpmNotChecked),
            "no --model given: the standard RPM limit (RPM per 1,000 TPM) was not checked; pass \
             --model to include it"
        );
        assert_eq!(
            sentence(&CapacityNote::NoRpmRatio {
                model: "gpt-image-2".into()
            }),
            "no published standard RPM-per-TPM ratio for gpt-image-2: the RPM limit was not \
             checked"
        );
    }

    #[test]
    fn an_off_grid_ptu_count_names_the_grid() {
        let note = CapacityNote::PtuOffGrid {
            ptu: 7.0,
            deployment: DeploymentType::Regional,
            model: "gpt-4.1".into(),
            min_ptu: 50,
            increment: 50,
        };
        assert_eq!(
            sentence(&note),
            "7 PTU is not a deployable regional size for gpt-4.1: minimum 50, then multiples of 50"
        );
    }
}
