//! Quota tiers: whether a needed standard quota fits the default a subscription's quota tier
//! grants (catalog `[[quota_tier]]`), per model, standard SKU and region.

use serde::Serialize;

use crate::calc::plan::{Billing, PlanReport};
use crate::catalog::Catalog;
use crate::deployment::Sku;
use crate::note::{Note, NoteCode, QuotaNote};

/// A needed standard quota against a tier's default.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TierCheck {
    /// The tier (0: Free).
    pub tier: u8,
    /// The standard SKU.
    pub sku: Sku,
    /// TPM quota needed (per region).
    pub needed_tpm: u64,
    /// TPM the tier grants by default (null: no default published for this model and SKU).
    pub default_tpm: Option<u64>,
    /// RPM the tier grants by default, where published per minute.
    pub default_rpm: Option<u64>,
    /// Whether the need fits the default (null: no default published).
    pub within: Option<bool>,
    /// Source ID of the default.
    pub source: Option<String>,
}

/// Compares `needed_tpm` of `model` on standard `sku` with `tier`'s default.
pub fn against_tier(
    catalog: &Catalog,
    model: &str,
    sku: Sku,
    tier: u8,
    needed_tpm: u64,
) -> TierCheck {
    let entry = catalog.quota_tier(model, sku, tier);
    TierCheck {
        tier,
        sku,
        needed_tpm,
        default_tpm: entry.map(|e| e.tpm),
        default_rpm: entry.and_then(|e| e.rpm),
        within: entry.map(|e| needed_tpm <= e.tpm),
        source: entry.map(|e| e.source.clone()),
    }
}

/// The note for a need above the tier's default, or with no default published; `None` when
/// it fits. `subject` names the model (and workload).
pub fn tier_note(subject: &str, check: &TierCheck) -> Option<Note> {
    let subject = subject.to_string();
    let (sku, tier, needed_tpm) = (check.sku, check.tier, check.needed_tpm);
    match (check.within, check.default_tpm) {
        (Some(false), Some(default_tpm)) => Some(Note::of(
            NoteCode::QuotaTierExceeded,
            QuotaNote::AboveDefault {
                subject,
                sku,
                tier,
                needed_tpm,
                default_tpm,
                source: check.source.clone(),
            },
        )),
        (None, _) => Some(Note::of(
            NoteCode::QuotaTierUnknown,
            QuotaNote::NoDefault {
                subject,
                sku,
                tier,
                needed_tpm,
            },
        )),
        _ => None,
    }
}

/// The notes for `checks` (subject, check): one per subject, or one line for those above the
/// default and one for those without a default when there are many.
pub fn tier_notes(checks: &[(String, TierCheck)]) -> Vec<Note> {
    let flagged: Vec<&(String, TierCheck)> = checks
        .iter()
        .filter(|(_, c)| c.within != Some(true))
        .collect();
    if flagged.len() <= 3 {
        return flagged
            .into_iter()
            .filter_map(|(subject, check)| tier_note(subject, check))
            .collect();
    }
    let tier = flagged[0].1.tier;
    let over: Vec<(String, u64, u64)> = flagged
        .iter()
        .filter_map(|(subject, c)| {
            let default = c.default_tpm.filter(|_| c.within == Some(false))?;
            Some((subject.clone(), c.needed_tpm, default))
        })
        .collect();
    let subjects: Vec<String> = flagged
        .iter()
        .filter(|(_, c)| c.within.is_none())
        .map(|(subject, _)| subject.clone())
        .collect();
    let mut notes = Vec::new();
    if !over.is_empty() {
        let note = QuotaNote::AboveDefaultMany { tier, over };
        notes.push(Note::of(NoteCode::QuotaTierExceeded, note));
    }
    if !subjects.is_empty() {
        let note = QuotaNote::NoDefaultMany { tier, subjects };
        notes.push(Note::of(NoteCode::QuotaTierUnknown, note));
    }
    notes
}

/// A plan's pay-as-you-go quota for one model and SKU, summed over its workloads (they share
/// the subscription's quota in each region), against the plan's quota tier.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PlanTierLine {
    /// Model.
    pub model: String,
    /// The pay-as-you-go workloads on it.
    pub workloads: Vec<String>,
    /// The summed need against the tier.
    #[serde(flatten)]
    pub check: TierCheck,
}

/// The plan's pay-as-you-go quota per model and SKU against `tier` (standard, priority and
/// flex workloads, and a hybrid's spillover deployment); workloads without a computed quota
/// (no published RPM ratio) are left out.
pub fn plan_tier_lines(report: &PlanReport, catalog: &Catalog, tier: u8) -> Vec<PlanTierLine> {
    let mut lines: Vec<PlanTierLine> = Vec::new();
    for w in report
        .workloads
        .iter()
        .filter(|w| w.billing == Billing::Payg || w.tier == crate::calc::plan::Tier::Hybrid)
    {
        let Some(quota) = w.standard_tpm_quota else {
            continue;
        };
        let sku = Sku::of(w.deployment, false);
        match lines
            .iter_mut()
            .find(|l| l.model == w.model && l.check.sku == sku)
        {
            Some(line) => {
                line.workloads.push(w.name.clone());
                line.check =
                    against_tier(catalog, &w.model, sku, tier, line.check.needed_tpm + quota);
            }
            None => lines.push(PlanTierLine {
                model: w.model.clone(),
                workloads: vec![w.name.clone()],
                check: against_tier(catalog, &w.model, sku, tier, quota),
            }),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_need_above_the_default_is_flagged() {
        let catalog = Catalog::embedded().expect("embedded");
        let default = catalog
            .quota_tier("gpt-4.1", Sku::GlobalStandard, 1)
            .expect("Tier 1 lists gpt-4.1 GlobalStandard")
            .tpm;
        let fits = against_tier(&catalog, "gpt-4.1", Sku::GlobalStandard, 1, default);
        assert_eq!(fits.within, Some(true));
        assert_eq!(tier_note("gpt-4.1", &fits), None);
        let over = against_tier(&catalog, "gpt-4.1", Sku::GlobalStandard, 1, default + 1000);
        assert_eq!(over.within, Some(false));
        let note = tier_note("gpt-4.1", &over).expect("a note");
        assert_eq!(note.code, NoteCode::QuotaTierExceeded);
        assert_eq!(
            note.text,
            QuotaNote::AboveDefault {
                subject: "gpt-4.1".into(),
                sku: Sku::GlobalStandard,
                tier: 1,
                needed_tpm: default + 1000,
                default_tpm: default,
                source: over.source.clone(),
            }
            .into()
        );
        assert!(
            note.to_string().contains("above the default of Tier 1"),
            "{note}"
        );
    }

    #[test]
    fn no_published_default_is_said_not_guessed() {
        let catalog = Catalog::embedded().expect("embedded");
        let check = against_tier(&catalog, "DeepSeek-R1", Sku::GlobalStandard, 2, 10_000);
        assert_eq!((check.within, check.default_tpm), (None, None));
        let note = tier_note("DeepSeek-R1", &check).expect("a note");
        assert_eq!(note.code, NoteCode::QuotaTierUnknown);
        assert_eq!(
            note.text,
            QuotaNote::NoDefault {
                subject: "DeepSeek-R1".into(),
                sku: Sku::GlobalStandard,
                tier: 2,
                needed_tpm: 10_000,
            }
            .into()
        );
        assert!(
            note.to_string()
                .contains("no default for GlobalStandard in Tier 2"),
            "{note}"
        );
    }

    #[test]
    fn more_than_three_flagged_are_one_note_per_kind() {
        let check = |within, default_tpm| TierCheck {
            tier: 2,
            sku: Sku::GlobalStandard,
            needed_tpm: 5000,
            default_tpm,
            default_rpm: None,
            within,
            source: None,
        };
        let checks = [
            ("a".to_string(), check(Some(false), Some(1000))),
            ("b".to_string(), check(None, None)),
            ("c".to_string(), check(Some(true), Some(9000))),
            ("d".to_string(), check(None, None)),
            ("e".to_string(), check(Some(false), Some(2000))),
        ];
        let notes = tier_notes(&checks);
        let texts: Vec<_> = notes.iter().map(|n| (n.code, n.text.clone())).collect();
        assert_eq!(
            texts,
            [
                (
                    NoteCode::QuotaTierExceeded,
                    QuotaNote::AboveDefaultMany {
                        tier: 2,
                        over: vec![("a".into(), 5000, 1000), ("e".into(), 5000, 2000)],
                    }
                    .into()
                ),
                (
                    NoteCode::QuotaTierUnknown,
                    QuotaNote::NoDefaultMany {
                        tier: 2,
                        subjects: vec!["b".into(), "d".into()],
                    }
                    .into()
                ),
            ]
        );
    }
}
