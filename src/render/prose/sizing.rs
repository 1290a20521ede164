//! The sizing report's sentences: why a model was left out of a comparison.

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

sentence_field!(NotOffered, not_offered);
