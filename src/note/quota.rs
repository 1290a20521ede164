//! What the notes from checking a standard quota against its quota tier say, as data.

use crate::deployment::Sku;

/// A note from checking a standard quota against its quota tier.
#[derive(Debug, Clone, PartialEq)]
pub enum QuotaNote {
    /// A need above the tier's default: not deployable without a quota increase.
    AboveDefault {
        /// What needs it: a model, or a model and its workloads.
        subject: String,
        /// The standard SKU.
        sku: Sku,
        /// The quota tier (0: Free).
        tier: u8,
        /// TPM quota needed per region.
        needed_tpm: u64,
        /// TPM the tier grants by default.
        default_tpm: u64,
        /// Source ID of the default (`None`: the catalog gives none).
        source: Option<String>,
    },
    /// No default published for the SKU in the tier: the need is not checked.
    NoDefault {
        /// What needs it: a model, or a model and its workloads.
        subject: String,
        /// The standard SKU.
        sku: Sku,
        /// The quota tier (0: Free).
        tier: u8,
        /// TPM quota needed per region.
        needed_tpm: u64,
    },
    /// Many needs above the tier's default, in one note.
    AboveDefaultMany {
        /// The quota tier (0: Free).
        tier: u8,
        /// Each need: what needs it, TPM needed, the default TPM.
        over: Vec<(String, u64, u64)>,
    },
    /// Many needs with no default published in the tier, in one note.
    NoDefaultMany {
        /// The quota tier (0: Free).
        tier: u8,
        /// What needs them.
        subjects: Vec<String>,
    },
}

impl From<QuotaNote> for super::NoteText {
    fn from(note: QuotaNote) -> Self {
        super::NoteText::Quota(note)
    }
}
