//! The sentences of [`BudgetNote`]s.

use super::quota::tier_name;
use crate::note::BudgetNote;

/// What `note` says.
pub(super) fn sentence(note: &BudgetNote) -> String {
    match note {
        BudgetNote::NewPlan { baseline } => format!(
            "new plan: no baseline at {baseline} (--baseline-optional), so nothing to compare and \
             max_increase_pct is not checked"
        ),
        BudgetNote::RetirementUndated { subjects } => format!(
            "min_days_to_retirement: no retirement date is published for {}, so {}",
            subjects.join("; "),
            if subjects.len() == 1 {
                "it passes"
            } else {
                "they pass"
            }
        ),
        BudgetNote::TierNoDefault { model, sku, tier } => format!(
            "within_quota_tier: no default is published for {model} {sku} in {}, so it passes",
            tier_name(*tier)
        ),
        BudgetNote::TierNotGiven => {
            "within_quota_tier is not checked: give the tier in [subscription] quota_tier".into()
        }
        BudgetNote::IncreaseNotChecked => {
            "max_increase_pct is not checked: give --baseline REPORT.json".into()
        }
        BudgetNote::Currency { currency } => format!(
            "max_monthly_usd is compared in {currency}, the currency of the prices (--prices)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::Sku;

    #[test]
    fn undated_retirements_agree_with_their_number() {
        let one = BudgetNote::RetirementUndated {
            subjects: vec!["m GlobalStandard payg 'a'".into()],
        };
        assert_eq!(
            sentence(&one),
            "min_days_to_retirement: no retirement date is published for m GlobalStandard payg \
             'a', so it passes"
        );
        let two = BudgetNote::RetirementUndated {
            subjects: vec!["m global ptu 'a'".into(), "n global ptu 'b'".into()],
        };
        assert_eq!(
            sentence(&two),
            "min_days_to_retirement: no retirement date is published for m global ptu 'a'; n \
             global ptu 'b', so they pass"
        );
    }

    #[test]
    fn the_free_tier_is_named_as_such() {
        let note = BudgetNote::TierNoDefault {
            model: "gpt-4.1".into(),
            sku: Sku::DataZoneStandard,
            tier: 0,
        };
        assert_eq!(
            sentence(&note),
            "within_quota_tier: no default is published for gpt-4.1 DataZoneStandard in the Free \
             tier, so it passes"
        );
    }
}
