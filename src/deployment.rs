//! Deployment types: where a deployment's capacity lives (global, data zone, one region).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An Azure deployment type. Each has a provisioned (PTU) flavour and a standard
/// (pay-as-you-go) flavour; the provisioned minimum and scale increment differ by type.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum DeploymentType {
    /// Global: traffic may be processed in any Azure region.
    Global,
    /// Data zone: traffic stays inside a data zone (e.g. the US or the EU).
    DataZone,
    /// Regional: traffic stays in the deployment's region.
    Regional,
}

impl DeploymentType {
    /// All types, in the order tables show them.
    pub const ALL: [DeploymentType; 3] = [Self::Global, Self::DataZone, Self::Regional];

    /// The catalog and JSON name: `global`, `data-zone` or `regional`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::DataZone => "data-zone",
            Self::Regional => "regional",
        }
    }

    /// Azure's SKU names for the provisioned and the standard flavour of this type.
    pub fn azure_skus(self) -> [&'static str; 2] {
        match self {
            Self::Global => ["GlobalProvisionedManaged", "GlobalStandard"],
            Self::DataZone => ["DataZoneProvisionedManaged", "DataZoneStandard"],
            Self::Regional => ["ProvisionedManaged", "Standard"],
        }
    }
}

impl fmt::Display for DeploymentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The words accepted for each type, besides Azure's SKU names (case-insensitive).
const SPELLINGS: [(&str, DeploymentType); 6] = [
    ("global", DeploymentType::Global),
    ("data-zone", DeploymentType::DataZone),
    ("datazone", DeploymentType::DataZone),
    ("data_zone", DeploymentType::DataZone),
    ("dz", DeploymentType::DataZone),
    ("regional", DeploymentType::Regional),
];

impl FromStr for DeploymentType {
    type Err = String;

    /// Parses `global`, `data-zone` (`datazone`, `dz`), `regional`, or an Azure SKU name
    /// such as `GlobalProvisionedManaged` or `DataZoneStandard`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        SPELLINGS
            .iter()
            .find(|(word, _)| word.eq_ignore_ascii_case(wanted))
            .map(|&(_, kind)| kind)
            .or_else(|| {
                Self::ALL.into_iter().find(|kind| {
                    kind.azure_skus()
                        .iter()
                        .any(|sku| sku.eq_ignore_ascii_case(wanted))
                })
            })
            .ok_or_else(|| {
                "expected global, data-zone or regional (or an Azure SKU name such as \
                 GlobalProvisionedManaged, DataZoneStandard, ProvisionedManaged)"
                    .to_string()
            })
    }
}

/// An Azure deployment SKU: a deployment type in its provisioned or its standard flavour,
/// spelled as Azure spells it (`GlobalProvisionedManaged`, `DataZoneStandard`, ...). The catalog's
/// lifecycle, quota-tier and region entries are keyed by it.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Sku {
    /// Global provisioned (PTU).
    GlobalProvisionedManaged,
    /// Data zone provisioned (PTU).
    DataZoneProvisionedManaged,
    /// Regional provisioned (PTU).
    ProvisionedManaged,
    /// Global standard (pay-as-you-go).
    GlobalStandard,
    /// Data zone standard (pay-as-you-go).
    DataZoneStandard,
    /// Regional standard (pay-as-you-go).
    Standard,
}

impl Sku {
    /// All SKUs: the provisioned ones, then the standard ones.
    pub const ALL: [Sku; 6] = [
        Self::GlobalProvisionedManaged,
        Self::DataZoneProvisionedManaged,
        Self::ProvisionedManaged,
        Self::GlobalStandard,
        Self::DataZoneStandard,
        Self::Standard,
    ];

    /// The SKU of `deployment` in its provisioned (`true`) or standard flavour.
    pub fn of(deployment: DeploymentType, provisioned: bool) -> Sku {
        match (deployment, provisioned) {
            (DeploymentType::Global, true) => Self::GlobalProvisionedManaged,
            (DeploymentType::DataZone, true) => Self::DataZoneProvisionedManaged,
            (DeploymentType::Regional, true) => Self::ProvisionedManaged,
            (DeploymentType::Global, false) => Self::GlobalStandard,
            (DeploymentType::DataZone, false) => Self::DataZoneStandard,
            (DeploymentType::Regional, false) => Self::Standard,
        }
    }

    /// The deployment type (where capacity lives).
    pub fn deployment(self) -> DeploymentType {
        match self {
            Self::GlobalProvisionedManaged | Self::GlobalStandard => DeploymentType::Global,
            Self::DataZoneProvisionedManaged | Self::DataZoneStandard => DeploymentType::DataZone,
            Self::ProvisionedManaged | Self::Standard => DeploymentType::Regional,
        }
    }

    /// Whether this is a provisioned (PTU) SKU.
    pub fn is_provisioned(self) -> bool {
        matches!(
            self,
            Self::GlobalProvisionedManaged
                | Self::DataZoneProvisionedManaged
                | Self::ProvisionedManaged
        )
    }

    /// Azure's name, e.g. `DataZoneStandard`.
    pub fn as_str(self) -> &'static str {
        let [provisioned, standard] = self.deployment().azure_skus();
        if self.is_provisioned() {
            provisioned
        } else {
            standard
        }
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_names_and_azure_skus() {
        assert_eq!("global".parse(), Ok(DeploymentType::Global));
        assert_eq!("DZ".parse(), Ok(DeploymentType::DataZone));
        assert_eq!("data-zone".parse(), Ok(DeploymentType::DataZone));
        assert_eq!("Regional".parse(), Ok(DeploymentType::Regional));
        assert_eq!(
            "GlobalProvisionedManaged".parse(),
            Ok(DeploymentType::Global)
        );
        assert_eq!("datazonestandard".parse(), Ok(DeploymentType::DataZone));
        assert_eq!("ProvisionedManaged".parse(), Ok(DeploymentType::Regional));
        assert!("everywhere".parse::<DeploymentType>().is_err());
    }

    #[test]
    fn skus_round_trip_through_type_and_flavour() {
        for sku in Sku::ALL {
            assert_eq!(Sku::of(sku.deployment(), sku.is_provisioned()), sku);
            let json = serde_json::to_string(&sku).expect("serializes");
            assert_eq!(json, format!("\"{}\"", sku.as_str()));
        }
        assert_eq!(
            Sku::of(DeploymentType::Regional, false).as_str(),
            "Standard"
        );
    }
}
