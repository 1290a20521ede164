//! What the notes from checking a plan against its budget say, as data.

use crate::deployment::Sku;

/// A note from checking a plan against its budget.
#[derive(Debug, Clone, PartialEq)]
pub enum BudgetNote {
    /// `min_days_to_retirement`: no retirement date is published for these, so they pass.
    RetirementUndated {
        /// Each model, SKU and workload without a date.
        subjects: Vec<String>,
    },
    /// `within_quota_tier`: no default is published for a model and SKU, so it passes.
    TierNoDefault {
        /// The model.
        model: String,
        /// The standard SKU.
        sku: Sku,
        /// The quota tier (0: Free).
        tier: u8,
    },
    /// `within_quota_tier` is not checked: the plan gives no quota tier.
    TierNotGiven,
    /// `max_increase_pct` is not checked: no baseline.
    IncreaseNotChecked,
    /// A new plan: the optional baseline does not exist, so there is nothing to compare.
    NewPlan {
        /// The baseline file, as given.
        baseline: String,
    },
    /// `max_monthly_usd` is compared in the prices' currency, not USD.
    Currency {
        /// ISO code of the prices' currency.
        currency: String,
    },
}

impl From<BudgetNote> for super::NoteText {
    fn from(note: BudgetNote) -> Self {
        super::NoteText::Budget(note)
    }
}
