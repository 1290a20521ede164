//! The sizing report's sentences: why a model was left out of a comparison.

use std::borrow::Cow;

use crate::calc::sizing::NotOffered;

/// E.g. `not offered as data-zone provisioned (offered: global, regional)`.
pub fn not_offered(reason: &NotOffered) -> String {
    let offered: Vec<&str> = reason.offered.iter().map(|d| d.as_str()).collect();
    format!(
        "not offered as {} provisioned (offered: {})",
        reason.deployment,
        if offered.is_empty() {
            "none".to_string()
        } else {
            offered.join(", ")
        }
    )
}

impl std::fmt::Display for NotOffered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&not_offered(self))
    }
}

impl serde::Serialize for NotOffered {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&not_offered(self))
    }
}

impl schemars::JsonSchema for NotOffered {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "NotOffered".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string"})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::DeploymentType;

    #[test]
    fn names_the_types_offered_or_none() {
        let reason = NotOffered {
            deployment: DeploymentType::DataZone,
            offered: vec![DeploymentType::Global, DeploymentType::Regional],
        };
        assert_eq!(
            not_offered(&reason),
            "not offered as data-zone provisioned (offered: global, regional)"
        );
        let reason = NotOffered {
            deployment: DeploymentType::Global,
            offered: Vec::new(),
        };
        assert_eq!(
            not_offered(&reason),
            "not offered as global provisioned (offered: none)"
        );
    }
}
