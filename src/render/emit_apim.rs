//! `ptuplan emit apim`: an API Management policy that gives each `[[consumer]]` its token and
//! request limits (`llm-token-limit`, `rate-limit-by-key`), emits token metrics per consumer
//! (`llm-emit-token-metric`) and sends requests to its workload's backend pool, retrying 429s
//! and 503s there; and, with `--backends`, the pools themselves as an ARM template: the PTU
//! deployment first, the standard (spillover) one second, each with a circuit breaker on 429.
//! Element and attribute names: Learn's API Management policy reference (llm-token-limit,
//! llm-emit-token-metric, backends, retry).

use serde_json::{Value, json};

use super::emit::Origin;
use crate::calc::plan::{ConsumerKey, DeploymentSpec, Failover, PlanReport};

/// The policy expression of the caller's consumer name.
fn key_expression(key: &ConsumerKey) -> String {
    match key {
        ConsumerKey::Subscription => "context.Subscription?.Name ?? \"\"".to_string(),
        ConsumerKey::Header(name) => {
            format!("context.Request.Headers.GetValueOrDefault(\"{name}\", \"\")")
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

/// The backend pool of each workload with consumers, in consumer order: letters, digits and
/// `-`, starting with a letter, at most 80 characters, unique ignoring case (as API Management
/// names are): `chat-pool`, and `chat-pool-2` for a `Chat` beside it.
pub fn pool_ids(report: &PlanReport) -> Vec<(String, String)> {
    let mut ids: Vec<(String, String)> = Vec::new();
    for c in &report.consumers {
        if ids.iter().any(|(w, _)| *w == c.workload) {
            continue;
        }
        let cleaned: String = c
            .workload
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .take(60)
            .collect();
        let cleaned = cleaned.trim_matches('-');
        let base = if cleaned.starts_with(|c: char| c.is_ascii_alphabetic()) {
            format!("{cleaned}-pool")
        } else {
            format!("pool-{cleaned}").trim_end_matches('-').to_string()
        };
        let taken = |id: &str| ids.iter().any(|(_, t)| t.eq_ignore_ascii_case(id));
        let mut id = base.clone();
        let mut n = 1;
        while taken(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        ids.push((c.workload.clone(), id));
    }
    ids
}

/// The pool of `workload` among [`pool_ids`].
fn pool_of<'a>(ids: &'a [(String, String)], workload: &str) -> &'a str {
    ids.iter()
        .find(|(w, _)| w == workload)
        .map_or("pool", |(_, id)| id.as_str())
}

/// The policy document: per consumer, its limits and its workload's pool; token metrics per
/// consumer; retries of 429 and 503 over the pool.
pub fn policy(
    report: &PlanReport,
    specs: &[DeploymentSpec],
    key: &ConsumerKey,
    origin: &Origin,
) -> String {
    let caller = key_expression(key);
    let pools = pool_ids(report);
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
            at_least_one(c.tpm),
            match (c.token_quota, c.token_quota_period) {
                (Some(tokens), Some(period)) => format!(
                    " token-quota=\"{tokens}\" token-quota-period=\"{}\"",
                    period.apim()
                ),
                _ => String::new(),
            },
            at_least_one(c.rpm),
            xml(&format!("{}-rpm", c.name)),
            xml(pool_of(&pools, &c.workload)),
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
/// workload (each once, even when workloads share it), each with a circuit breaker on 429
/// (accepting Retry-After), and per workload a pool in priority order: the primary region's
/// PTU deployments (1), its standard ones (2), then an active-passive plan's standby regions
/// (3 and 4).
pub fn backends(report: &PlanReport, specs: &[DeploymentSpec], origin: &Origin) -> Value {
    let mut resources = Vec::new();
    let mut defined: Vec<String> = Vec::new();
    let mut params = serde_json::Map::new();
    params.insert(
        "apimName".into(),
        json!({"type": "string", "metadata": {"description": "The API Management service"}}),
    );
    let standby = |region: Option<&str>| {
        report.failover == Some(Failover::ActivePassive)
            && region.is_some_and(|r| report.regions.first().is_some_and(|p| p != r))
    };
    for (workload, pool) in pool_ids(report) {
        // Batch deployments take files, not chat requests: they stay out of the pool.
        let mut members: Vec<(u32, &DeploymentSpec)> = specs
            .iter()
            .filter(|s| !s.batch && s.workloads.contains(&workload))
            .map(|s| {
                let priority = 1
                    + u32::from(!s.sku.is_provisioned())
                    + 2 * u32::from(standby(s.region.as_deref()));
                (priority, s)
            })
            .collect();
        members.sort_by_key(|(priority, _)| *priority);
        let (mut services, mut ids) = (Vec::new(), Vec::new());
        for (priority, spec) in members {
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
            if !defined.contains(&id) {
                resources.push(backend(&id, &spec.name, &account));
                defined.push(id.clone());
            }
            let resource_id = format!(
                "[resourceId('Microsoft.ApiManagement/service/backends', parameters('apimName'), '{id}')]"
            );
            ids.push(resource_id.clone());
            services.push(json!({"id": resource_id, "priority": priority, "weight": 1}));
        }
        resources.push(json!({
            "type": "Microsoft.ApiManagement/service/backends",
            "apiVersion": "2024-06-01-preview",
            "name": format!("[format('{{0}}/{{1}}', parameters('apimName'), '{pool}')]"),
            "dependsOn": ids,
            "properties": {
                "description": "ptuplan: PTU deployments first, standard second, standby regions last",
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

/// One backend: a deployment in a region's account, with a circuit breaker that trips on one
/// 429 for a minute and honours `Retry-After`.
fn backend(id: &str, deployment: &str, account: &str) -> Value {
    json!({
        "type": "Microsoft.ApiManagement/service/backends",
        "apiVersion": "2024-06-01-preview",
        "name": format!("[format('{{0}}/{{1}}', parameters('apimName'), '{id}')]"),
        "properties": {
            "url": format!(
                "[format('https://{{0}}.openai.azure.com/openai/deployments/{deployment}', parameters('{account}'))]"
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
    })
}

/// A consumer's limit as APIM takes it: whole, rounded up, and never 0 (a limit of 0 would
/// refuse every request of a consumer the plan gives a positive rate).
fn at_least_one(limit: f64) -> u64 {
    (limit.ceil() as u64).max(1)
}
