//! `ptuplan emit apim`: an API Management policy that gives each `[[consumer]]` its token and
//! request limits (`llm-token-limit`, `rate-limit-by-key`), emits token metrics per consumer
//! (`llm-emit-token-metric`) and sends requests to its workload's backend pool, retrying 429s
//! and 503s there; and, with `--backends`, the pools themselves as an ARM template: the PTU
//! deployment first, the standard (spillover) one second, each with a circuit breaker on 429.
//! Element and attribute names: Learn's API Management policy reference (llm-token-limit,
//! llm-emit-token-metric, backends, retry).

use serde_json::{Value, json};

use super::emit::Origin;
use crate::calc::plan::{DeploymentSpec, PlanReport};

/// How the gateway tells consumers apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsumerKey {
    /// By the API Management subscription's name (the consumer's name).
    Subscription,
    /// By a request header carrying the consumer's name.
    Header(String),
}

impl ConsumerKey {
    /// The policy expression of the caller's consumer name.
    fn expression(&self) -> String {
        match self {
            ConsumerKey::Subscription => "context.Subscription?.Name ?? \"\"".to_string(),
            ConsumerKey::Header(name) => {
                format!("context.Request.Headers.GetValueOrDefault(\"{name}\", \"\")")
            }
        }
    }
}

/// Text made safe inside an XML attribute or comment.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace("--", "-&#45;")
}

/// A C# string literal for a policy expression: `"web"`, with `\` and `"` escaped.
fn csharp_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out + "\""
}

/// The backend pool of a workload.
pub fn pool_id(workload: &str) -> String {
    let id: String = workload
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{id}-pool")
}

/// The policy document: per consumer, its limits and its workload's pool; token metrics per
/// consumer; retries of 429 and 503 over the pool.
pub fn policy(
    report: &PlanReport,
    specs: &[DeploymentSpec],
    key: &ConsumerKey,
    origin: &Origin,
) -> String {
    let caller = key.expression();
    let mut out = format!(
        "<!-- ptuplan {} from {} (catalog {}): API Management policy for the plan's consumers.\n     \
         Limits: prompt + completion tokens and requests a minute, from the plan. -->\n\
         <policies>\n  <inbound>\n    <base />\n    <choose>\n",
        xml(origin.version),
        xml(&origin.plan),
        xml(&origin.catalog)
    );
    for c in &report.consumers {
        out.push_str(&format!(
            "      <when condition=\"{}\">\n        \
             <llm-token-limit counter-key=\"{}\" tokens-per-minute=\"{}\"{} estimate-prompt-tokens=\"true\" remaining-tokens-header-name=\"x-ratelimit-remaining-tokens\" />\n        \
             <rate-limit-by-key calls=\"{}\" renewal-period=\"60\" counter-key=\"{}\" />\n        \
             <set-variable name=\"ptuplan-pool\" value=\"{}\" />\n      </when>\n",
            xml(&format!("@(({caller}) == {})", csharp_string(&c.name))),
            xml(&c.name),
            c.tpm.ceil() as u64,
            match (c.token_quota, c.token_quota_period) {
                (Some(tokens), Some(period)) => format!(
                    " token-quota=\"{tokens}\" token-quota-period=\"{}\"",
                    period.apim()
                ),
                _ => String::new(),
            },
            c.rpm.ceil() as u64,
            xml(&format!("{}-rpm", c.name)),
            xml(&pool_id(&c.workload)),
        ));
    }
    out.push_str(
        "      <otherwise>\n        <return-response>\n          \
         <set-status code=\"403\" reason=\"Not a consumer of this plan\" />\n        \
         </return-response>\n      </otherwise>\n    </choose>\n",
    );
    out.push_str(&format!(
        "    <llm-emit-token-metric namespace=\"ptuplan\">\n      \
         <dimension name=\"API ID\" />\n      <dimension name=\"Subscription ID\" />\n      \
         <dimension name=\"Consumer\" value=\"{}\" />\n    </llm-emit-token-metric>\n    \
         <set-backend-service backend-id=\"{}\" />\n  </inbound>\n",
        xml(&format!("@({caller})")),
        xml("@((string)context.Variables[\"ptuplan-pool\"])")
    ));
    out.push_str(&format!(
        "  <backend>\n    <!-- A 429 or 503 trips the backend's circuit breaker; the retry goes \
         back to the pool, which then skips it. -->\n    \
         <retry count=\"{}\" interval=\"0\" first-fast-retry=\"true\" condition=\"{}\">\n      \
         <set-backend-service backend-id=\"{}\" />\n      \
         <forward-request buffer-request-body=\"true\" />\n    </retry>\n  </backend>\n  \
         <outbound>\n    <base />\n  </outbound>\n  <on-error>\n    <base />\n  </on-error>\n\
         </policies>\n",
        max_pool_size(report, specs).saturating_sub(1).max(1),
        xml("@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)"),
        xml("@((string)context.Variables[\"ptuplan-pool\"])")
    ));
    out
}

/// The most backends in one pool: the real-time deployments serving a consumer's workload.
fn max_pool_size(report: &PlanReport, specs: &[DeploymentSpec]) -> usize {
    report
        .consumers
        .iter()
        .map(|c| {
            specs
                .iter()
                .filter(|s| !s.batch && s.workloads.contains(&c.workload))
                .count()
        })
        .max()
        .unwrap_or(1)
}

/// The backends and pools as an ARM template: one backend per deployment serving a consumer's
/// workload, each with a circuit breaker on 429 (accepting Retry-After), and per workload a
/// pool with the PTU deployments at priority 1 and the standard ones at priority 2.
pub fn backends(report: &PlanReport, specs: &[DeploymentSpec], origin: &Origin) -> Value {
    let mut resources = Vec::new();
    let mut workloads: Vec<&str> = Vec::new();
    for c in &report.consumers {
        if !workloads.contains(&c.workload.as_str()) {
            workloads.push(&c.workload);
        }
    }
    let mut params = serde_json::Map::new();
    params.insert(
        "apimName".into(),
        json!({"type": "string", "metadata": {"description": "The API Management service"}}),
    );
    for workload in workloads {
        // Batch deployments take files, not chat requests: they stay out of the pool.
        let mut members: Vec<&DeploymentSpec> = specs
            .iter()
            .filter(|s| !s.batch && s.workloads.iter().any(|w| w == workload))
            .collect();
        members.sort_by_key(|s| !s.sku.is_provisioned());
        let (mut services, mut ids) = (Vec::new(), Vec::new());
        for spec in members {
            let account = match &spec.region {
                Some(region) => format!("accountName_{region}"),
                None => "accountName".to_string(),
            };
            params.insert(account.clone(), json!({"type": "string"}));
            let id = format!(
                "{}-{}",
                spec.name,
                spec.region.as_deref().unwrap_or("default")
            );
            resources.push(json!({
                "type": "Microsoft.ApiManagement/service/backends",
                "apiVersion": "2024-06-01-preview",
                "name": format!("[format('{{0}}/{{1}}', parameters('apimName'), '{id}')]"),
                "properties": {
                    "url": format!(
                        "[format('https://{{0}}.openai.azure.com/openai/deployments/{}', parameters('{account}'))]",
                        spec.name
                    ),
                    "protocol": "http",
                    "circuitBreaker": {"rules": [{
                        "name": "throttled",
                        "failureCondition": {
                            "count": 1,
                            "interval": "PT1M",
                            "statusCodeRanges": [{"min": 429, "max": 429}],
                            "errorReasons": ["Server errors"]
                        },
                        "tripDuration": "PT1M",
                        "acceptRetryAfter": true
                    }]}
                }
            }));
            let resource_id = format!(
                "[resourceId('Microsoft.ApiManagement/service/backends', parameters('apimName'), '{id}')]"
            );
            ids.push(resource_id.clone());
            services.push(json!({
                "id": resource_id,
                "priority": if spec.sku.is_provisioned() { 1 } else { 2 },
                "weight": 1
            }));
        }
        resources.push(json!({
            "type": "Microsoft.ApiManagement/service/backends",
            "apiVersion": "2024-06-01-preview",
            "name": format!("[format('{{0}}/{{1}}', parameters('apimName'), '{}')]", pool_id(workload)),
            "dependsOn": ids,
            "properties": {
                "description": format!(
                    "ptuplan: {workload}: PTU deployments first (priority 1), standard second"
                ),
                "type": "Pool",
                "pool": {"services": services}
            }
        }));
    }
    json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "metadata": {"_generator": {"name": "ptuplan", "version": origin.version},
                     "ptuplan": {"plan": origin.plan, "catalog": origin.catalog}},
        "parameters": Value::Object(params),
        "resources": resources,
    })
}
