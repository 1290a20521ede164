//! What the note on a plan's price sources says, as data.

use crate::deployment::DeploymentType;

use super::NoteText;

/// Where the prices of a plan come from, in the order they were used.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceSources(pub Vec<PriceSource>);

/// One kind of price and its source.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceSource {
    /// What is priced.
    pub priced: Priced,
    /// The catalog source id (or `catalog`).
    pub source: String,
    /// Whether the price is UNVERIFIED.
    pub unverified: bool,
}

/// What a price is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Priced {
    /// PTUs of a deployment type.
    Ptu(DeploymentType),
    /// A model's pay-as-you-go tokens.
    Tokens {
        /// The model.
        model: String,
    },
    /// A model's tokens on a service tier (priority, flex, batch).
    TierTokens {
        /// The model.
        model: String,
        /// The tier, as a plan names it.
        tier: String,
    },
}

impl PriceSources {
    /// Whether any price is UNVERIFIED.
    pub fn any_unverified(&self) -> bool {
        self.0.iter().any(|s| s.unverified)
    }
}

impl From<PriceSources> for NoteText {
    fn from(note: PriceSources) -> NoteText {
        NoteText::PriceSources(note)
    }
}
