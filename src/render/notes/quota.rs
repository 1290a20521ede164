//! The sentences of [`QuotaNote`]s.

use crate::note::QuotaNote;
use crate::numfmt::count;

/// What `note` says.
pub(super) fn sentence(note: &QuotaNote) -> String {
    match note {
        QuotaNote::AboveDefault {
            subject,
            sku,
            tier,
            needed_tpm,
            default_tpm,
            source,
        } => format!(
            "{subject} needs {} TPM of {sku} quota per region, above the default of {}, {} [{}]: \
             not deployable as planned without a quota increase (the quota request form)",
            count(*needed_tpm as f64),
            tier_name(*tier),
            count(*default_tpm as f64),
            source.as_deref().unwrap_or("catalog"),
        ),
        QuotaNote::NoDefault {
            subject,
            sku,
            tier,
            needed_tpm,
        } => format!(
            "{subject}: the catalog has no default for {sku} in {}, so the need of {} TPM is not \
             checked against it",
            tier_name(*tier),
            count(*needed_tpm as f64),
        ),
        QuotaNote::AboveDefaultMany { tier, over } => {
            let over: Vec<String> = over
                .iter()
                .map(|(subject, needed, default)| {
                    format!(
                        "{subject} (needs {}, default {})",
                        count(*needed as f64),
                        count(*default as f64)
                    )
                })
                .collect();
            format!(
                "standard quota per region above the default of {} (not deployable as planned \
                 without a quota increase): {}",
                tier_name(*tier),
                over.join(", ")
            )
        }
        QuotaNote::NoDefaultMany { tier, subjects } => format!(
            "no default in the catalog for {}, not checked: {}",
            tier_name(*tier),
            subjects.join(", ")
        ),
    }
}

/// `Tier 3`, or `the Free tier` for 0.
pub(super) fn tier_name(tier: u8) -> String {
    if tier == 0 {
        "the Free tier".to_string()
    } else {
        format!("Tier {tier}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::Sku;

    #[test]
    fn a_need_above_the_default_names_the_tier_and_its_source() {
        let note = QuotaNote::AboveDefault {
            subject: "gpt-4.1".into(),
            sku: Sku::GlobalStandard,
            tier: 0,
            needed_tpm: 1_250_000,
            default_tpm: 50_000,
            source: None,
        };
        assert_eq!(
            sentence(&note),
            "gpt-4.1 needs 1,250,000 TPM of GlobalStandard quota per region, above the default \
             of the Free tier, 50,000 [catalog]: not deployable as planned without a quota \
             increase (the quota request form)"
        );
    }

    #[test]
    fn many_needs_above_the_default_are_one_list() {
        let note = QuotaNote::AboveDefaultMany {
            tier: 2,
            over: vec![("a".into(), 2_000, 1_000), ("b".into(), 30_000, 20_000)],
        };
        assert_eq!(
            sentence(&note),
            "standard quota per region above the default of Tier 2 (not deployable as planned \
             without a quota increase): a (needs 2,000, default 1,000), b (needs 30,000, default \
             20,000)"
        );
    }
}
