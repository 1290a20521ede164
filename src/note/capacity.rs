//! What the notes from checking what a deployment can serve say, as data.

use super::NoteText;
use crate::deployment::DeploymentType;

/// A note from checking what a deployment can serve.
#[derive(Debug, Clone, PartialEq)]
pub enum CapacityNote {
    /// Catalog values of the model are UNVERIFIED or conflicting.
    UnverifiedCatalogValues {
        /// Catalog name of the model.
        model: String,
    },
    /// No model was given: the standard RPM limit was not checked.
    NoModelRpmNotChecked,
    /// The model has no published standard RPM-per-TPM ratio: the RPM limit was not checked.
    NoRpmRatio {
        /// Catalog name of the model.
        model: String,
    },
    /// The PTU count is not a deployable size.
    PtuOffGrid {
        /// PTUs asked about.
        ptu: f64,
        /// Deployment type asked about.
        deployment: DeploymentType,
        /// Catalog name of the model.
        model: String,
        /// Smallest deployment, PTUs.
        min_ptu: u32,
        /// Step above the smallest deployment, PTUs.
        increment: u32,
    },
    /// The PTU count is above one deployment's maximum.
    PtuAboveMaximum {
        /// PTUs asked about.
        ptu: f64,
        /// Largest deployment, PTUs.
        max_ptu: u64,
    },
    /// Provisioned admission reserves `max_tokens` but is corrected at completion.
    ProvisionedAdmission,
    /// The request window's whole-request count rounds the RPM limit down.
    WindowRoundsDown {
        /// Length of the request window, s.
        window_seconds: u64,
        /// Requests one window admits.
        admitted: u64,
        /// Requests per window the RPM limit allows before rounding.
        exact: f64,
        /// The RPM even traffic gets at most.
        even_rpm: f64,
    },
    /// No `--max-tokens`: admission counted the model's documented default.
    DefaultMaxTokens {
        /// The `max_tokens` admission counted.
        max_tokens: f64,
        /// Catalog name of the model.
        model: String,
    },
    /// No `--max-tokens`: admission counted the output tokens as `max_tokens`.
    OutputCountedAsMaxTokens,
    /// The TPM quota is not a whole number of the model's quota units.
    QuotaOffUnits {
        /// Catalog name of the model.
        model: String,
        /// TPM in one unit of quota.
        unit_tpm: u32,
        /// The quota asked about, TPM.
        tpm: f64,
    },
}

impl From<CapacityNote> for NoteText {
    fn from(note: CapacityNote) -> NoteText {
        NoteText::Capacity(note)
    }
}
