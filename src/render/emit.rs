//! `ptuplan emit`: the deployments a plan implies as an ARM template or Terraform
//! (`azurerm_cognitive_deployment`), and the Azure Monitor metric alerts that watch them (ARM
//! template, or `az monitor metrics alert create` commands). Accounts are parameters or
//! variables; nothing secret is written.

use serde_json::{Value, json};

use crate::calc::plan::DeploymentSpec;

/// The deployments' API version: the newest stable one with `serviceTier` (Azure's schemas,
/// 2026-05-01).
pub const DEPLOYMENTS_API: &str = "2026-05-01";
/// The metric alerts' API version (the one Learn's samples use).
pub const ALERTS_API: &str = "2018-03-01";
/// ARM's deployment template schema.
const TEMPLATE_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
/// The metric namespace of Azure OpenAI accounts.
const NAMESPACE: &str = "Microsoft.CognitiveServices/accounts";
/// Provisioned utilization, percent, per deployment (Learn, monitoring data reference).
pub const UTILIZATION_METRIC: &str = "AzureOpenAIProvisionedManagedUtilizationV2";
/// Prompt + generated tokens, per deployment.
pub const TOKENS_METRIC: &str = "TokenTransaction";
/// Requests, with a StatusCode dimension.
pub const REQUESTS_METRIC: &str = "AzureOpenAIRequests";

/// What an emitted file says about where it came from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// ptuplan's version.
    pub version: &'static str,
    /// The plan file.
    pub plan: String,
    /// The catalog's date and origin.
    pub catalog: String,
}

/// The account parameter of a region (`accountName` without regions).
fn account_parameter(region: Option<&str>) -> String {
    match region {
        Some(region) => format!("accountName_{region}"),
        None => "accountName".to_string(),
    }
}

/// The template's parameters: one account name per region.
fn parameters(specs: &[DeploymentSpec]) -> Value {
    let mut params = serde_json::Map::new();
    for spec in specs {
        let region = spec.region.as_deref();
        params.insert(
            account_parameter(region),
            json!({
                "type": "string",
                "metadata": {"description": format!(
                    "The Azure OpenAI (Foundry) account{}",
                    region.map_or(String::new(), |r| format!(" in {r}"))
                )}
            }),
        );
    }
    Value::Object(params)
}

/// The template's metadata: generator, plan and catalog.
fn metadata(origin: &Origin) -> Value {
    json!({
        "_generator": {"name": "ptuplan", "version": origin.version},
        "ptuplan": {
            "plan": origin.plan,
            "catalog": origin.catalog,
            "note": "Generated from a capacity plan: review before deploying; account names are parameters."
        }
    })
}

/// `[resourceId('Microsoft.CognitiveServices/accounts/deployments', account, name)]`.
fn deployment_id(spec: &DeploymentSpec) -> String {
    format!(
        "[resourceId('Microsoft.CognitiveServices/accounts/deployments', parameters('{}'), '{}')]",
        account_parameter(spec.region.as_deref()),
        spec.name
    )
}

/// The ARM template: one `Microsoft.CognitiveServices/accounts/deployments` per spec, those of
/// one account chained with `dependsOn` (parallel siblings fail with RequestConflict).
pub fn arm(specs: &[DeploymentSpec], origin: &Origin) -> Value {
    let mut resources = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let previous = specs[..i]
            .iter()
            .rev()
            .find(|s| s.region == spec.region)
            .map(deployment_id);
        let mut sku = json!({"name": spec.sku_name()});
        if let Some(capacity) = spec.capacity {
            sku["capacity"] = json!(capacity);
        }
        let mut model = json!({"format": spec.format, "name": arm_literal(&spec.model)});
        if let Some(version) = &spec.version {
            model["version"] = json!(arm_literal(version));
        }
        let mut properties = json!({"model": model});
        if let Some(tier) = spec.service_tier {
            properties["serviceTier"] = json!(tier);
        }
        if let Some(spill) = &spec.spillover_to {
            properties["spilloverDeploymentName"] = json!(spill);
        }
        let mut resource = json!({
            "type": "Microsoft.CognitiveServices/accounts/deployments",
            "apiVersion": DEPLOYMENTS_API,
            "name": format!(
                "[format('{{0}}/{{1}}', parameters('{}'), '{}')]",
                account_parameter(spec.region.as_deref()),
                spec.name
            ),
            "sku": sku,
            "properties": properties,
        });
        if let Some(previous) = previous {
            resource["dependsOn"] = json!([previous]);
        }
        resources.push(resource);
    }
    json!({
        "$schema": TEMPLATE_SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": metadata(origin),
        "parameters": parameters(specs),
        "resources": resources,
    })
}

/// What the alerts watch for: the threshold share and the window in minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlertSettings {
    /// Share of capacity (0.85).
    pub threshold: f64,
    /// Window, minutes (one of 1, 5, 15, 30, 60, 360, 720, 1440).
    pub window_minutes: u32,
}

/// One alert rule: its name, description, metric, aggregation, threshold and deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRule {
    /// Rule name.
    pub name: String,
    /// What it says when it fires.
    pub description: String,
    /// Metric REST name.
    pub metric: &'static str,
    /// `Average` or `Total`.
    pub aggregation: &'static str,
    /// Fires above this value.
    pub threshold: f64,
    /// The deployment it watches (ModelDeploymentName).
    pub deployment: String,
    /// The status code it counts (429 alerts).
    pub status_code: Option<&'static str>,
    /// Region of the deployment's account.
    pub region: Option<String>,
}

/// The rules for every deployment: provisioned utilization or standard tokens above the
/// threshold share, and 429s above 1% of the peak's requests, over the window.
pub fn alert_rules(specs: &[DeploymentSpec], settings: AlertSettings) -> Vec<AlertRule> {
    let percent = crate::calc::rounding::snap(settings.threshold * 100.0);
    let window = f64::from(settings.window_minutes);
    let mut rules = Vec::new();
    for spec in specs.iter().filter(|s| !s.batch) {
        let suffix = spec
            .region
            .as_deref()
            .map_or(String::new(), |r| format!("-{r}"));
        let base = |what: &str| format!("{}{suffix}-{what}", spec.name);
        let rule = |name, description, metric, aggregation, threshold, status_code| AlertRule {
            name,
            description,
            metric,
            aggregation,
            threshold,
            deployment: spec.name.clone(),
            status_code,
            region: spec.region.clone(),
        };
        // A hybrid's base runs full whenever it spills: its spillover's alerts watch it.
        if spec.sku.is_provisioned() && !spec.saturates {
            rules.push(rule(
                base("utilization"),
                format!(
                    "{}: provisioned utilization above {percent}% on average over {} min",
                    spec.name, settings.window_minutes
                ),
                UTILIZATION_METRIC,
                "Average",
                percent,
                None,
            ));
        } else if let (false, Some(quota), Some(admitted)) =
            (spec.sku.is_provisioned(), spec.quota_tpm, spec.admitted_tpm)
        {
            // The quota admits prompt + max_tokens and a number of requests, the metric counts
            // the tokens processed: the threshold is a share of what can get through.
            rules.push(rule(
                base("tokens"),
                tokens_description(spec, (quota, admitted), percent, settings.window_minutes),
                TOKENS_METRIC,
                "Total",
                (admitted * settings.threshold * window).floor(),
                None,
            ));
        }
        let allowed = allowed_429_share(spec, window);
        rules.push(rule(
            base("429s"),
            format!(
                "{}: HTTP 429 responses above {}% of its peak requests over {} min",
                spec.name,
                crate::calc::rounding::snap((allowed * 1000.0).round() / 10.0),
                settings.window_minutes
            ),
            REQUESTS_METRIC,
            "Total",
            (spec.peak_rpm * window * allowed).ceil().max(1.0),
            Some("429"),
        ));
    }
    rules
}

/// What a token alert says: the share of what the quota lets through, and how much that is
/// when admission (`max_tokens`) or the RPM limit keeps it below the quota.
fn tokens_description(
    spec: &DeploymentSpec,
    (quota, admitted): (u64, f64),
    percent: f64,
    window_minutes: u32,
) -> String {
    let through = if admitted < quota as f64 {
        format!(
            " ({} processed tokens a minute get through it: admission counts max_tokens, and \
             its RPM limit)",
            admitted.floor()
        )
    } else {
        String::new()
    };
    format!(
        "{}: tokens above {percent}% of what its {quota} TPM quota lets through over \
         {window_minutes} min{through}",
        spec.name
    )
}

/// The share of a deployment's peak requests its 429 alert allows: 1%, and for flex, which
/// answers 429 by design when it has no capacity, what the plan expects plus three standard
/// deviations of that share over the window's requests.
fn allowed_429_share(spec: &DeploymentSpec, window_minutes: f64) -> f64 {
    let expected = spec.expected_429_share;
    let attempts = (spec.peak_rpm * window_minutes).max(1.0);
    let spread = 3.0 * (expected * (1.0 - expected) / attempts).sqrt();
    (expected + 0.01 + spread).min(1.0)
}

/// The metric alerts as an ARM template (`Microsoft.Insights/metricAlerts`, 2018-03-01).
pub fn alerts(rules: &[AlertRule], settings: AlertSettings, origin: &Origin) -> Value {
    let window = iso_window(settings.window_minutes);
    // Azure Monitor wants a frequency of 5 minutes or more above a 4-hour window.
    let frequency = if settings.window_minutes > 240 {
        "PT5M"
    } else {
        "PT1M"
    };
    let mut params = serde_json::Map::new();
    for region in rules.iter().map(|r| r.region.as_deref()) {
        params.insert(
            account_parameter(region),
            json!({"type": "string", "metadata": {"description": "The Azure OpenAI (Foundry) account the deployments are in"}}),
        );
    }
    params.insert(
        "actionGroupId".into(),
        json!({"type": "string", "defaultValue": "", "metadata": {"description": "An action group to notify (empty: none)"}}),
    );
    let resources: Vec<Value> = rules
        .iter()
        .map(|rule| {
            let mut dimensions = vec![json!({
                "name": "ModelDeploymentName", "operator": "Include", "values": [rule.deployment]
            })];
            if let Some(code) = rule.status_code {
                dimensions.push(json!({"name": "StatusCode", "operator": "Include", "values": [code]}));
            }
            json!({
                "type": "Microsoft.Insights/metricAlerts",
                "apiVersion": ALERTS_API,
                "name": rule.name,
                "location": "global",
                "properties": {
                    "description": rule.description,
                    "severity": 2,
                    "enabled": true,
                    "scopes": [format!(
                        "[resourceId('Microsoft.CognitiveServices/accounts', parameters('{}'))]",
                        account_parameter(rule.region.as_deref())
                    )],
                    "evaluationFrequency": frequency,
                    "windowSize": window,
                    "autoMitigate": true,
                    "criteria": {
                        "odata.type": "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                        "allOf": [{
                            "criterionType": "StaticThresholdCriterion",
                            "name": "cond0",
                            "metricNamespace": NAMESPACE,
                            "metricName": rule.metric,
                            "operator": "GreaterThan",
                            "threshold": rule.threshold,
                            "timeAggregation": rule.aggregation,
                            "dimensions": dimensions,
                        }]
                    },
                    "actions": "[if(empty(parameters('actionGroupId')), createArray(), createArray(createObject('actionGroupId', parameters('actionGroupId'))))]",
                }
            })
        })
        .collect();
    json!({
        "$schema": TEMPLATE_SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": metadata(origin),
        "parameters": Value::Object(params),
        "resources": resources,
    })
}

/// A string ARM takes as it is: one starting with `[` would be evaluated as an expression, so
/// it is written `[[...` (ARM's escape).
fn arm_literal(text: &str) -> String {
    if text.starts_with('[') {
        format!("[{text}")
    } else {
        text.to_string()
    }
}

/// A window in ISO 8601 as Learn writes them: `PT5M`, `PT1H`, `PT24H`.
fn iso_window(minutes: u32) -> String {
    if minutes >= 60 && minutes.is_multiple_of(60) {
        format!("PT{}H", minutes / 60)
    } else {
        format!("PT{minutes}M")
    }
}

/// Text for a comment: one line, control characters and Unicode line separators escaped.
pub fn comment(text: &str) -> String {
    crate::render::clean(&text.replace(['\n', '\r', '\u{85}'], " "), 300)
}

/// Words the `az` condition grammar reads as keywords even inside a hyphenated name
/// (azure-cli's MetricAlertCondition.g4).
const AZ_CONDITION_KEYWORDS: [&str; 10] = [
    "where",
    "and",
    "or",
    "with",
    "since",
    "of",
    "includes",
    "excludes",
    "dynamic",
    "skipmetricvalidation",
];

/// The keyword of the `az` condition grammar a deployment name contains, if any.
pub fn az_keyword_in(name: &str) -> Option<&'static str> {
    // The grammar's words take letters, digits and `_`: `a_or_b` is one word.
    name.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .find_map(|part| {
            AZ_CONDITION_KEYWORDS
                .into_iter()
                .find(|k| part.eq_ignore_ascii_case(k))
        })
}

/// A shell word in single quotes.
fn sh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The same alerts as `az monitor metrics alert create` commands (a shell script). Deployment
/// names with a condition keyword (see [`az_keyword_in`]) are refused by the caller.
pub fn az_commands(rules: &[AlertRule], settings: AlertSettings, origin: &Origin) -> String {
    let frequency = if settings.window_minutes > 240 { 5 } else { 1 };
    let mut out = format!(
        "#!/bin/sh\n# ptuplan {} from {} (catalog {}): Azure Monitor metric alerts.\n\
         # Set RG and the account variables first; nothing secret is written here.\nset -eu\n",
        origin.version,
        comment(&origin.plan),
        comment(&origin.catalog)
    );
    for rule in rules {
        let account = account_parameter(rule.region.as_deref()).replace('-', "_");
        let aggregation = if rule.aggregation == "Average" {
            "avg"
        } else {
            "total"
        };
        let mut condition = format!(
            "{aggregation} {} > {} where ModelDeploymentName includes {}",
            rule.metric, rule.threshold, rule.deployment
        );
        if let Some(code) = rule.status_code {
            condition.push_str(&format!(" and StatusCode includes {code}"));
        }
        out.push_str(&format!(
            "az monitor metrics alert create -n {} -g \"$RG\" --scopes \"$(az cognitiveservices account show -g \"$RG\" -n \"${account}\" --query id -o tsv)\" --condition {} --window-size {}m --evaluation-frequency {frequency}m --severity 2 --description {}\n",
            sh_quote(&rule.name),
            sh_quote(&condition),
            settings.window_minutes,
            sh_quote(&rule.description)
        ));
    }
    out
}

/// A Terraform identifier for each deployment in each region: `d_` + letters, digits and `_`,
/// unique (`d_a_b_2` when `a.b` and `a_b` would both be `d_a_b`).
fn terraform_ids(specs: &[DeploymentSpec]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for spec in specs {
        let raw = match &spec.region {
            Some(region) => format!("{}_{region}", spec.name),
            None => spec.name.clone(),
        };
        let cleaned: String = raw
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let base = format!("d_{cleaned}");
        let mut id = base.clone();
        let mut n = 1;
        while ids.contains(&id) {
            n += 1;
            id = format!("{base}_{n}");
        }
        ids.push(id);
    }
    ids
}

/// An HCL string literal: `"` and `\` escaped, control characters as `\uXXXX`, and `${` / `%{`
/// written `$${` / `%%{` so that nothing is interpolated.
fn hcl_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || crate::render::is_invisible_or_break(c) => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out = out.replace("${", "$${").replace("%{", "%%{");
    out + "\""
}

/// The account variable of a region (`account_id` without regions).
fn terraform_account(region: Option<&str>) -> String {
    match region {
        Some(region) => format!("account_id_{region}"),
        None => "account_id".to_string(),
    }
}

/// The deployments as Terraform `azurerm_cognitive_deployment` resources, the accounts' IDs as
/// variables, those of one account chained with `depends_on`.
pub fn terraform(specs: &[DeploymentSpec], origin: &Origin) -> String {
    let mut out = format!(
        "# ptuplan {} from {} (catalog {}): Azure OpenAI deployments.\n\
         # Generated from a capacity plan: review before applying; account IDs are variables.\n\n",
        origin.version,
        comment(&origin.plan),
        comment(&origin.catalog)
    );
    let mut regions: Vec<Option<&str>> = Vec::new();
    for region in specs.iter().map(|s| s.region.as_deref()) {
        if !regions.contains(&region) {
            regions.push(region);
        }
    }
    for region in &regions {
        out.push_str(&format!(
            "variable \"{}\" {{\n  type        = string\n  description = \"ID of the Azure OpenAI (Foundry) account{}\"\n}}\n\n",
            terraform_account(*region),
            region.map_or(String::new(), |r| format!(" in {r}"))
        ));
    }
    let ids = terraform_ids(specs);
    for (i, spec) in specs.iter().enumerate() {
        let previous = (0..i).rev().find(|&j| specs[j].region == spec.region);
        out.push_str(&format!(
            "resource \"azurerm_cognitive_deployment\" \"{}\" {{\n  name                 = {}\n  cognitive_account_id = var.{}\n\n  model {{\n    format  = {}\n    name    = {}\n",
            ids[i],
            hcl_string(&spec.name),
            terraform_account(spec.region.as_deref()),
            hcl_string(spec.format),
            hcl_string(&spec.model)
        ));
        if let Some(version) = &spec.version {
            out.push_str(&format!("    version = {}\n", hcl_string(version)));
        }
        out.push_str(&format!(
            "  }}\n\n  sku {{\n    name     = \"{}\"\n",
            spec.sku_name()
        ));
        if let Some(capacity) = spec.capacity {
            out.push_str(&format!("    capacity = {capacity}\n"));
        }
        out.push_str("  }\n");
        if spec.service_tier.is_some() {
            out.push_str(
                "  # Priority processing: the provider has no deployment setting for it; send\n  \
                 # service_tier = \"priority\" on requests (or set it with the ARM template).\n",
            );
        }
        if let Some(spill) = &spec.spillover_to {
            out.push_str(&format!(
                "  # Spillover to \"{}\": set spilloverDeploymentName (ARM template) or per request.\n",
                comment(spill)
            ));
        }
        if let Some(previous) = previous {
            out.push_str(&format!(
                "\n  depends_on = [azurerm_cognitive_deployment.{}]\n",
                ids[previous]
            ));
        }
        out.push_str("}\n\n");
    }
    out
}
