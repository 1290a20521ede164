//! The sentence of a plan's [`PriceSources`].

use crate::note::{PriceSource, PriceSources, Priced};

/// What `note` says.
pub(super) fn sentence(note: &PriceSources) -> String {
    let parts: Vec<String> = note.0.iter().map(part).collect();
    let advice = if note.any_unverified() {
        "; UNVERIFIED prices are third-party figures: apply Microsoft's with 'ptuplan prices fetch' \
         and --prices"
    } else {
        ""
    };
    format!("prices: {}{advice}", parts.join("; "))
}

/// `global PTUs from S9, UNVERIFIED`, `gpt-4.1 tokens from S1`.
fn part(price: &PriceSource) -> String {
    let flag = if price.unverified { ", UNVERIFIED" } else { "" };
    let source = &price.source;
    match &price.priced {
        Priced::Ptu(deployment) => format!("{deployment} PTUs from {source}{flag}"),
        Priced::Tokens { model } => format!("{model} tokens from {source}{flag}"),
        Priced::TierTokens { model, tier } => format!("{model} {tier} tokens from {source}{flag}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::DeploymentType;

    fn source(priced: Priced, unverified: bool) -> PriceSource {
        PriceSource {
            priced,
            source: "S30".into(),
            unverified,
        }
    }

    #[test]
    fn unverified_prices_are_flagged_and_advised_on() {
        let tokens = Priced::Tokens {
            model: "gpt-4.1".into(),
        };
        let verified = PriceSources(vec![source(tokens.clone(), false)]);
        assert_eq!(sentence(&verified), "prices: gpt-4.1 tokens from S30");
        let mixed = PriceSources(vec![
            source(Priced::Ptu(DeploymentType::Global), true),
            source(tokens, false),
            source(
                Priced::TierTokens {
                    model: "gpt-4.1".into(),
                    tier: "priority".into(),
                },
                false,
            ),
        ]);
        assert_eq!(
            sentence(&mixed),
            "prices: global PTUs from S30, UNVERIFIED; gpt-4.1 tokens from S30; gpt-4.1 \
             priority tokens from S30; UNVERIFIED prices are third-party figures: apply \
             Microsoft's with 'ptuplan prices fetch' and --prices"
        );
    }
}
