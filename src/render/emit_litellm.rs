//! `ptuplan emit litellm`: a LiteLLM router config (YAML): one `model_list` entry per
//! deployment and group with its `tpm` and `rpm`, and `router_settings.fallbacks` from each
//! workload to its spillover, standard (flex) and standby-region groups. Endpoints, keys and
//! the API version are `os.environ/` references: nothing secret is written.

use super::emit::{Origin, comment};
use crate::calc::plan::RouterPlan;

/// A YAML double-quoted scalar: JSON's string syntax (valid YAML), with the characters YAML
/// reads as line breaks or cannot print (U+0085, U+2028, U+2029, DEL, C1, noncharacters)
/// escaped as well.
fn quoted(text: &str) -> String {
    let json = serde_json::Value::String(text.to_string()).to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        let code = u32::from(c);
        if (0x7f..=0x9f).contains(&code) || crate::render::is_invisible_or_break(c) {
            out.push_str(&format!("\\u{code:04x}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// The environment variable holding a region's endpoint or key: `AZURE_API_BASE` or
/// `AZURE_API_BASE_EASTUS2`.
fn env_name(prefix: &str, region: Option<&str>) -> String {
    match region {
        Some(region) => format!(
            "{prefix}_{}",
            region
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                })
                .collect::<String>()
        ),
        None => prefix.to_string(),
    }
}

/// The router config as YAML.
pub fn litellm(router: &RouterPlan, origin: &Origin) -> String {
    let mut out = format!(
        "# ptuplan {} from {} (catalog {}): LiteLLM router config.\n\
         # Clients call a workload's name; tpm and rpm are what the plan sized each deployment\n\
         # for (a PTU deployment's share of the peak, else the standard quota). Set the\n\
         # AZURE_API_BASE*, AZURE_API_KEY* and AZURE_API_VERSION variables.\n",
        origin.version,
        comment(&origin.plan),
        comment(&origin.catalog)
    );
    if !router.left_out.is_empty() {
        out.push_str(&format!(
            "# Left out (Batch API, not a router): {}.\n",
            comment(&router.left_out.join(", "))
        ));
    }
    out.push_str(if router.entries.is_empty() {
        "model_list: []\n"
    } else {
        "model_list:\n"
    });
    for entry in &router.entries {
        let region = entry.region.as_deref();
        out.push_str(&format!(
            "  - model_name: {}\n    litellm_params:\n      model: {}\n      \
             api_base: {}\n      api_key: {}\n      api_version: os.environ/AZURE_API_VERSION\n      \
             tpm: {}\n      rpm: {}\n",
            quoted(&entry.group),
            quoted(&format!("azure/{}", entry.deployment)),
            quoted(&format!("os.environ/{}", env_name("AZURE_API_BASE", region))),
            quoted(&format!("os.environ/{}", env_name("AZURE_API_KEY", region))),
            entry.tpm,
            entry.rpm
        ));
        if let Some(tier) = entry.service_tier {
            out.push_str(&format!("      service_tier: {tier}\n"));
        }
    }
    out.push_str("router_settings:\n  routing_strategy: simple-shuffle\n");
    if router.fallbacks.is_empty() {
        out.push_str("  fallbacks: []\n");
    } else {
        out.push_str("  fallbacks:\n");
        for (group, after) in &router.fallbacks {
            let list: Vec<String> = after.iter().map(|g| quoted(g)).collect();
            out.push_str(&format!("    - {}: [{}]\n", quoted(group), list.join(", ")));
        }
    }
    out
}
