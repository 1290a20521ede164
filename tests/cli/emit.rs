//! `ptuplan emit`: the ARM template of a plan's deployments and its metric alerts, validated
//! against Microsoft's published ARM schemas (vendored in tests/fixtures/arm-schemas).

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::{Value, json};

use crate::ptuplan;

const SCHEMAS: &str = "tests/fixtures/arm-schemas";
const BASE: &str = "https://schema.management.azure.com/schemas";

fn load(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{SCHEMAS}/{path}")).expect("vendored schema");
    serde_json::from_str(&text).expect("JSON")
}

/// Relaxes the 2018-03-01 metric-alert criteria's `additionalProperties` (which under draft 4
/// rejects every valid `odata.type`; fixed upstream in 2026-01-01): see the fixtures' README.
fn relax(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let criteria = map.get("properties").is_some_and(|p| p == &json!({}))
                && map.contains_key("additionalProperties");
            if criteria {
                map.insert("additionalProperties".into(), json!({}));
            }
            map.values_mut().for_each(relax);
        }
        Value::Array(items) => items.iter_mut().for_each(relax),
        _ => {}
    }
}

/// A validator of whole templates whose resources are deployments (2026-05-01) or metric
/// alerts (2018-03-01).
fn validator() -> jsonschema::Validator {
    let mut root = load("2019-04-01/deploymentTemplate.json");
    root["definitions"]["resource"] = json!({"allOf": [
        {"$ref": "#/definitions/resourceBase"},
        {"oneOf": [
            {"$ref": format!("{BASE}/2026-05-01/Microsoft.CognitiveServices.json#/resourceDefinitions/accounts_deployments")},
            {"$ref": format!("{BASE}/2018-03-01/Microsoft.Insights.json#/resourceDefinitions/metricAlerts")},
            {"$ref": format!("{BASE}/2024-06-01-preview/Microsoft.ApiManagement.json#/resourceDefinitions/service_backends")}
        ]}
    ]});
    let mut insights = load("2018-03-01/Microsoft.Insights.json");
    relax(&mut insights);
    let files = [
        ("common/definitions.json", load("common/definitions.json")),
        (
            "2026-05-01/Microsoft.CognitiveServices.json",
            load("2026-05-01/Microsoft.CognitiveServices.json"),
        ),
        ("2018-03-01/Microsoft.Insights.json", insights),
        (
            "2024-06-01-preview/Microsoft.ApiManagement.json",
            load("2024-06-01-preview/Microsoft.ApiManagement.json"),
        ),
    ];
    let mut registry = jsonschema::Registry::new().draft(jsonschema::Draft::Draft4);
    for (path, schema) in files {
        registry = registry
            .add(format!("{BASE}/{path}"), schema)
            .expect("added");
    }
    let registry = registry.prepare().expect("resolved offline");
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .with_registry(&registry)
        .build(&root)
        .expect("compiles")
}

fn emit(args: &[&str]) -> String {
    let output = ptuplan().arg("emit").args(args).output().expect("runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The priorities of the members of the first backend pool in an `emit apim --backends`
/// template, in order.
fn pool_priorities(backends: &Value) -> Vec<i64> {
    let pool = backends["resources"]
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["properties"]["type"] == "Pool")
        .expect("pool");
    pool["properties"]["pool"]["services"]
        .as_array()
        .expect("members")
        .iter()
        .filter_map(|s| s["priority"].as_i64())
        .collect()
}

fn template(args: &[&str]) -> Value {
    let value: Value = serde_json::from_str(&emit(args)).expect("JSON");
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .take(3)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    value
}

#[test]
fn arm_template_has_the_plans_deployments_per_region() {
    let plan = crate::json(&["plan", "examples/plan-contoso.toml"]);
    let arm = template(&["arm", "examples/plan-contoso.toml"]);
    let resources = arm["resources"].as_array().expect("resources");
    // Two regions: the shared gpt-4.1 PTU deployment and the classifier's standard one in each.
    assert_eq!(resources.len(), 4);
    let ptu = &resources[0];
    assert_eq!(ptu["sku"]["name"], "GlobalProvisionedManaged");
    assert_eq!(
        ptu["sku"]["capacity"],
        plan["deployments"][0]["ptu_per_region"]
    );
    assert_eq!(ptu["properties"]["model"]["name"], "gpt-4.1");
    assert_eq!(ptu["properties"]["model"]["version"], "2025-04-14");
    // The classifier's quota per region in 1,000-TPM units.
    let classifier = crate::entry(&plan, "workloads", "name", "classifier").expect("listed");
    let quota = classifier["standard_tpm_quota"].as_u64().expect("quota");
    assert_eq!(resources[1]["sku"]["name"], "GlobalStandard");
    assert_eq!(resources[1]["sku"]["capacity"], quota.div_ceil(1000));
    // Deployments of one account are chained; each region has its own account parameter.
    assert!(resources[0].get("dependsOn").is_none());
    assert!(
        resources[1]["dependsOn"][0]
            .as_str()
            .is_some_and(|d| d.contains("gpt-4.1-global-ptu"))
    );
    assert!(
        resources[2]["name"]
            .as_str()
            .is_some_and(|n| n.contains("accountName_swedencentral"))
    );
    assert_eq!(
        arm["metadata"]["ptuplan"]["plan"],
        "examples/plan-contoso.toml"
    );
    // Tiers: priority workloads say so, batch has its own SKU, a hybrid spills to its own.
    let tiers = template(&["arm", "examples/plan-tiers.toml"]);
    let by_name = |name: &str| {
        tiers["resources"]
            .as_array()
            .expect("list")
            .iter()
            .find(|r| {
                r["name"]
                    .as_str()
                    .is_some_and(|n| n.contains(&format!("'{name}'")))
            })
            .cloned()
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(by_name("agents")["properties"]["serviceTier"], "Priority");
    assert_eq!(by_name("reports")["sku"]["name"], "GlobalBatch");
    assert_eq!(
        by_name("gpt-5.1-global-ptu")["properties"]["spilloverDeploymentName"],
        "chat-spill"
    );
    assert_eq!(by_name("chat-spill")["sku"]["name"], "GlobalStandard");
}

#[test]
fn the_vendored_schemas_catch_a_wrong_template() {
    let mut arm = template(&["arm", "examples/plan-contoso.toml"]);
    let validator = validator();
    assert!(validator.is_valid(&arm));
    arm["resources"][0]["sku"]["capacity"] = json!("635");
    assert!(!validator.is_valid(&arm), "a capacity must be an integer");
    arm["resources"][0]["sku"]["capacity"] = json!(635);
    arm["resources"][0]["apiVersion"] = json!("2020-01-01");
    assert!(!validator.is_valid(&arm), "an unknown API version");
    let mut alerts = template(&["alerts", "examples/plan-contoso.toml"]);
    alerts["resources"][0]["properties"]["criteria"]["allOf"][0]["timeAggregation"] = json!("Avg");
    assert!(!validator.is_valid(&alerts), "Avg is not an aggregation");
    let mut backends = template(&["apim", "examples/plan-contoso.toml", "--backends"]);
    backends["resources"][0]["properties"]["protocol"] = json!("ftp");
    assert!(
        !validator.is_valid(&backends),
        "a backend speaks http or soap"
    );
    backends["resources"][0]["properties"]["protocol"] = json!("http");
    let pool = backends["resources"].as_array().expect("list").len() - 1;
    backends["resources"][pool]["properties"]["pool"]["services"][0]["priority"] = json!("1");
    assert!(!validator.is_valid(&backends), "a priority is a number");
}

#[test]
fn alerts_watch_utilization_tokens_and_429s() {
    let alerts = template(&[
        "alerts",
        "examples/plan-contoso.toml",
        "--threshold",
        "80%",
        "--window",
        "15m",
    ]);
    let rules = alerts["resources"].as_array().expect("rules");
    let criteria = |rule: &Value| rule["properties"]["criteria"]["allOf"][0].clone();
    let utilization = &rules[0];
    assert_eq!(
        criteria(utilization)["metricName"],
        "AzureOpenAIProvisionedManagedUtilizationV2"
    );
    assert_eq!(criteria(utilization)["threshold"], 80.0);
    assert_eq!(utilization["properties"]["windowSize"], "PT15M");
    // The classifier's standard quota: tokens above 80% of what it admits over 15 minutes,
    // counted as processed tokens (per request: tokens ÷ prompt + max_tokens).
    let plan = crate::json(&["plan", "examples/plan-contoso.toml"]);
    let classifier = crate::entry(&plan, "workloads", "name", "classifier").expect("listed");
    let number = |key: &str| classifier[key].as_f64().expect(key);
    // It binds on requests: at most quota / 1,000 × the RPM ratio requests get through.
    let models = crate::json(&["models", "gpt-4.1-nano"]);
    let ratio = models["models"][0]["rpm_per_1000_tpm"]
        .as_f64()
        .expect("ratio");
    let tokens = number("tokens_per_request");
    let quota = (number("standard_tpm_quota") * tokens / number("admission_tokens_per_request"))
        .min(number("standard_tpm_quota") / 1000.0 * ratio * tokens);
    let tokens = rules
        .iter()
        .find(|r| criteria(r)["metricName"] == "TokenTransaction")
        .expect("tokens rule");
    assert_eq!(criteria(tokens)["threshold"], (quota * 0.8 * 15.0).floor());
    let throttles = rules
        .iter()
        .filter(|r| criteria(r)["metricName"] == "AzureOpenAIRequests")
        .count();
    assert_eq!(throttles, 4, "one 429 rule per deployment and region");
    // The same as az commands.
    let script = emit(&["alerts", "examples/plan-contoso.toml", "--az"]);
    assert!(script.starts_with("#!/bin/sh\n# ptuplan "));
    assert_eq!(
        script.matches("az monitor metrics alert create").count(),
        rules.len()
    );
    assert!(script.contains("--window-size 5m"));
    // It parses as a shell script.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("alerts.sh");
    std::fs::write(&path, &script).expect("written");
    let parsed = std::process::Command::new("sh")
        .arg("-n")
        .arg(&path)
        .status()
        .expect("sh runs");
    assert!(parsed.success());
}

#[test]
fn emit_refuses_bad_input_and_writes_files_whole() {
    for (args, expected) in [
        (
            vec!["alerts", "examples/plan-contoso.toml", "--window", "7m"],
            "--window",
        ),
        (
            vec![
                "alerts",
                "examples/plan-contoso.toml",
                "--threshold",
                "150%",
            ],
            "--threshold",
        ),
        (
            vec!["yaml", "examples/plan-contoso.toml"],
            "invalid value 'yaml'",
        ),
        (vec!["arm", "examples/broken-plan.toml"], "broken-plan.toml"),
    ] {
        ptuplan()
            .arg("emit")
            .args(&args)
            .assert()
            .code(2)
            .stderr(contains(expected));
    }
    ptuplan()
        .args(["emit", "arm", "examples/plan-contoso.toml", "--json"])
        .assert()
        .code(2);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("deployments.json");
    ptuplan()
        .args(["emit", "arm", "examples/plan-contoso.toml", "-o"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("written")).expect("JSON");
    assert_eq!(written["resources"].as_array().map(Vec::len), Some(4));
}

#[test]
fn terraform_has_the_same_deployments_and_parses_as_hcl() {
    let arm = template(&["arm", "examples/plan-contoso.toml"]);
    let text = emit(&["terraform", "examples/plan-contoso.toml"]);
    assert!(text.starts_with("# ptuplan "));
    let body: hcl::Body = hcl::from_str(&text).expect("valid HCL");
    let resources: Vec<&hcl::Block> = body
        .blocks()
        .filter(|b| b.identifier() == "resource")
        .collect();
    assert_eq!(
        resources.len(),
        arm["resources"].as_array().map_or(0, Vec::len)
    );
    let attribute = |block: &hcl::Block, key: &str| {
        block
            .body()
            .attributes()
            .find(|a| a.key() == key)
            .map(|a| a.expr().to_string())
    };
    let nested = |block: &hcl::Block, name: &str| {
        block
            .body()
            .blocks()
            .find(|b| b.identifier() == name)
            .cloned()
            .expect(name)
    };
    for (resource, arm) in resources
        .iter()
        .zip(arm["resources"].as_array().expect("list"))
    {
        assert_eq!(
            resource.labels()[0].as_str(),
            "azurerm_cognitive_deployment"
        );
        let sku = nested(resource, "sku");
        assert_eq!(
            attribute(&sku, "name"),
            Some(format!(
                "\"{}\"",
                arm["sku"]["name"].as_str().expect("name")
            ))
        );
        assert_eq!(
            attribute(&sku, "capacity"),
            arm["sku"]["capacity"].as_u64().map(|c| c.to_string())
        );
        let model = nested(resource, "model");
        assert_eq!(attribute(&model, "version"), Some("\"2025-04-14\"".into()));
    }
    // Two regions, two account variables; the second deployment of an account waits for the
    // first.
    let variables = body
        .blocks()
        .filter(|b| b.identifier() == "variable")
        .count();
    assert_eq!(variables, 2);
    assert!(attribute(resources[1], "depends_on").is_some());
    assert!(
        attribute(resources[2], "depends_on").is_none(),
        "another account"
    );
}

#[test]
fn names_that_collide_once_sanitized_stay_apart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("plan.toml");
    let workload = |name: &str| {
        format!(
            "[[workload]]\nname = \"{name}\"\nmodel = \"gpt-4.1\"\ntier = \"standard\"\nrpm = 10\ntokens = 100\n"
        )
    };
    std::fs::write(&plan, workload("a b") + &workload("a-b")).expect("written");
    let arm = template(&["arm", plan.to_str().expect("utf-8")]);
    let names: Vec<&str> = arm["resources"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(
        names[0].contains("'a-b'") && names[1].contains("'a-b-2'"),
        "{names:?}"
    );
    let text = emit(&["terraform", plan.to_str().expect("utf-8")]);
    let body: hcl::Body = hcl::from_str(&text).expect("valid HCL");
    let labels: Vec<String> = body
        .blocks()
        .filter(|b| b.identifier() == "resource")
        .map(|b| b.labels()[1].as_str().to_string())
        .collect();
    assert_eq!(labels.len(), 2);
    assert_ne!(labels[0], labels[1]);
}

#[test]
fn apim_policy_limits_each_consumer_as_the_plan_says() {
    let plan = crate::json(&["plan", "examples/plan-contoso.toml"]);
    let text = emit(&["apim", "examples/plan-contoso.toml"]);
    let doc = roxmltree::Document::parse(&text).expect("the policy is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "policies");
    let whens: Vec<roxmltree::Node> = root
        .descendants()
        .filter(|n| n.has_tag_name("when"))
        .collect();
    let consumers = plan["consumers"].as_array().expect("consumers");
    assert_eq!(whens.len(), consumers.len());
    for (when, consumer) in whens.iter().zip(consumers) {
        let name = consumer["name"].as_str().expect("name");
        assert!(
            when.attribute("condition")
                .is_some_and(|c| c.contains(&format!("== \"{name}\"")))
        );
        let limit = when
            .children()
            .find(|n| n.has_tag_name("llm-token-limit"))
            .expect("token limit");
        assert_eq!(
            limit.attribute("tokens-per-minute"),
            Some(
                consumer["tpm"]
                    .as_f64()
                    .expect("tpm")
                    .ceil()
                    .to_string()
                    .as_str()
            )
        );
        assert_eq!(limit.attribute("estimate-prompt-tokens"), Some("true"));
        assert_eq!(limit.attribute("counter-key"), Some(name));
        let rate = when
            .children()
            .find(|n| n.has_tag_name("rate-limit-by-key"))
            .expect("rate limit");
        assert_eq!(
            rate.attribute("calls"),
            Some(
                consumer["rpm"]
                    .as_f64()
                    .expect("rpm")
                    .ceil()
                    .to_string()
                    .as_str()
            )
        );
        assert_eq!(rate.attribute("renewal-period"), Some("60"));
    }
    assert!(
        root.descendants()
            .any(|n| n.has_tag_name("llm-emit-token-metric"))
    );
    let retry = root
        .descendants()
        .find(|n| n.has_tag_name("retry"))
        .expect("retry");
    assert!(
        retry
            .attribute("condition")
            .is_some_and(|c| c.contains("429"))
    );
    // Consumers told apart by a header instead.
    let text = emit(&[
        "apim",
        "examples/plan-contoso.toml",
        "--consumer-key",
        "header:X-Team",
    ]);
    let doc = roxmltree::Document::parse(&text).expect("XML");
    let condition = doc
        .descendants()
        .find(|n| n.has_tag_name("when"))
        .and_then(|n| n.attribute("condition"))
        .expect("when");
    assert!(
        condition.contains("GetValueOrDefault(\"X-Team\""),
        "{condition}"
    );
    // The pools: PTU deployments first, standard (spillover) second.
    let backends = template(&["apim", "examples/plan-contoso.toml", "--backends"]);
    let pools: Vec<&Value> = backends["resources"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|r| r["properties"]["type"] == "Pool")
        .collect();
    assert_eq!(pools.len(), 1, "one pool: support-chat's");
    let services = pools[0]["properties"]["pool"]["services"]
        .as_array()
        .expect("members");
    assert_eq!(
        services.len(),
        2,
        "the shared PTU deployment in each region"
    );
    assert!(services.iter().all(|s| s["priority"] == 1));
    let breaker = &backends["resources"][0]["properties"]["circuitBreaker"]["rules"][0];
    assert_eq!(
        breaker["failureCondition"]["statusCodeRanges"][0]["min"],
        429
    );
    // A hybrid's pool: its PTU base first, its spillover deployment second.
    let backends = template(&["apim", "examples/plan-tiers.toml", "--backends"]);
    let priorities = pool_priorities(&backends);
    assert_eq!(priorities, [1, 2]);
    // A plan without consumers has nothing to limit; a bad key is refused.
    ptuplan()
        .args(["emit", "apim", "examples/plan-business-day.toml"])
        .assert()
        .code(2)
        .stderr(contains("has no [[consumer]] tables"));
    ptuplan()
        .args([
            "emit",
            "apim",
            "examples/plan-contoso.toml",
            "--consumer-key",
            "header:",
        ])
        .assert()
        .code(2)
        .stderr(contains("--consumer-key"));
}

/// Finds a resource of a template by a piece of its name expression.
fn resource<'a>(template: &'a Value, name: &str) -> &'a Value {
    template["resources"]
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["name"].as_str().is_some_and(|n| n.contains(name)))
        .unwrap_or_else(|| panic!("no resource named {name}"))
}

#[test]
fn emit_review_findings_stay_fixed() {
    // A spillover deployment exists before the PTU deployment that names it; a batch_share
    // gets its own batch deployment, and the 429 alert counts only the real-time share:
    // summaries peak 200 RPM × 60% × 5 min × 1% = 6.
    let arm = template(&["arm", "examples/plan-tiers.toml"]);
    let names: Vec<&str> = arm["resources"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    let at = |piece: &str| names.iter().position(|n| n.contains(piece)).expect(piece);
    assert!(at("'chat-spill'") < at("-ptu'"), "{names:?}");
    let ptu = resource(&arm, "-ptu'");
    assert_eq!(ptu["properties"]["spilloverDeploymentName"], "chat-spill");
    assert!(
        ptu["dependsOn"][0]
            .as_str()
            .is_some_and(|d| d.contains("chat-spill"))
    );
    assert_eq!(
        resource(&arm, "'summaries-batch'")["sku"]["name"],
        "GlobalBatch"
    );
    let alerts = template(&["alerts", "examples/plan-tiers.toml"]);
    let throttles = resource(&alerts, "summaries-429s");
    let criterion = &throttles["properties"]["criteria"]["allOf"][0];
    assert_eq!(criterion["threshold"], 6.0);
    // Long windows: ISO hours, and the 5-minute frequency Azure Monitor requires above 4 h.
    let alerts = template(&["alerts", "examples/plan-tiers.toml", "--window", "6h"]);
    let first = &alerts["resources"][0]["properties"];
    assert_eq!(first["windowSize"], "PT6H");
    assert_eq!(first["evaluationFrequency"], "PT5M");
    // The threshold is kept exactly, and 100% (which never fires) is refused.
    let alerts = template(&[
        "alerts",
        "examples/plan-contoso.toml",
        "--threshold",
        "85.5%",
    ]);
    let utilization = resource(&alerts, "-utilization");
    assert_eq!(
        utilization["properties"]["criteria"]["allOf"][0]["threshold"],
        85.5
    );
    ptuplan()
        .args([
            "emit",
            "alerts",
            "examples/plan-tiers.toml",
            "--threshold",
            "100%",
        ])
        .assert()
        .code(2)
        .stderr(contains("never fires"));
    // Retired models are named on stderr; `-o -` is stdout.
    ptuplan()
        .args(["emit", "arm", "examples/plan-contoso.toml", "-o", "-"])
        .assert()
        .success()
        .stdout(contains("\"$schema\""))
        .stderr(contains("warning: gpt-4.1 (2025-04-14) was retired"));
    // A bad output path is the one line on stderr: the warnings wait for the checks.
    let output = ptuplan()
        .args([
            "emit",
            "arm",
            "examples/plan-contoso.toml",
            "-o",
            "/nonexistent/x.json",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: emitted file"), "{stderr}");
}

#[test]
fn emit_keeps_names_and_paths_from_breaking_what_it_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A name az's condition grammar would misread is refused with --az, kept in ARM.
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        "[[workload]]\nname = \"chat-with-docs\"\nmodel = \"gpt-5.1\"\ntier = \"standard\"\n\
         rpm = 10\ntokens = 100\n\n[[workload]]\nname = \"llama\"\n\
         model = \"Llama-3.3-70B-Instruct\"\ntier = \"ptu\"\nrpm = 10\ntokens = 100\n",
    )
    .expect("written");
    let path = plan.to_str().expect("utf-8");
    ptuplan()
        .args(["emit", "alerts", path, "--az"])
        .assert()
        .code(2)
        .stderr(contains("'chat-with-docs' contains 'with'"));
    let alerts = template(&["alerts", path]);
    let rule = resource(&alerts, "chat-with-docs-429s");
    let dimension = &rule["properties"]["criteria"]["allOf"][0]["dimensions"][0];
    assert_eq!(dimension["values"][0], "chat-with-docs");
    // Each model is deployed with its publisher's format.
    let arm = template(&["arm", path]);
    assert_eq!(
        resource(&arm, "'Llama-3.3-70B-Instruct-global-ptu'")["properties"]["model"]["format"],
        "Meta"
    );
    assert_eq!(
        resource(&arm, "'chat-with-docs'")["properties"]["model"]["format"],
        "OpenAI"
    );
    // A plan path with a line break stays inside the script's comment.
    let evil = dir.path().join("evil\ntouch PWNED\n#.toml");
    std::fs::write(
        &evil,
        "[[workload]]\nname = \"chat\"\nmodel = \"gpt-5.1\"\ntier = \"standard\"\nrpm = 10\n\
         tokens = 100\n",
    )
    .expect("written");
    let script = emit(&["alerts", evil.to_str().expect("utf-8"), "--az"]);
    assert!(!script.lines().any(|l| l.starts_with("touch")), "{script}");
    let terraform = emit(&["terraform", evil.to_str().expect("utf-8")]);
    assert!(!terraform.lines().any(|l| l.starts_with("touch")));
    // --az and --backends go with their own kinds only.
    ptuplan()
        .args(["emit", "arm", path, "--az"])
        .assert()
        .code(2)
        .stderr(contains(
            "--az, --threshold and --window go with 'emit alerts' only",
        ));
}

/// The Python with LiteLLM that `.ci/run` sets up (`PTUPLAN_LITELLM_PYTHON`); CI must have it.
fn litellm_python() -> Option<String> {
    match std::env::var("PTUPLAN_LITELLM_PYTHON") {
        Ok(python) if !python.is_empty() => Some(python),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must set PTUPLAN_LITELLM_PYTHON: .ci/run creates the LiteLLM environment"
            );
            eprintln!("PTUPLAN_LITELLM_PYTHON unset: LiteLLM's Router check skipped (.ci/run)");
            None
        }
    }
}

/// What LiteLLM's Router holds after loading `config`: groups and fallbacks.
fn load_in_litellm(python: &str, config: &str) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config.yaml");
    std::fs::write(&path, config).expect("written");
    let output = std::process::Command::new(python)
        .args(["-W", "ignore", "tests/litellm/check_router.py"])
        .arg(&path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "LiteLLM refused the config: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn litellm_router_config_loads_in_litellm_with_the_plans_limits() {
    let plan = crate::json(&["plan", "examples/plan-tiers.toml"]);
    let workload = |name: &str| crate::entry(&plan, "workloads", "name", name).expect("listed");
    let config = emit(&["litellm", "examples/plan-tiers.toml"]);
    assert!(config.starts_with("# ptuplan "));
    assert!(config.contains("# Left out (Batch API, not a router): reports."));
    assert!(
        !config.contains("api_key: \"sk"),
        "keys are environment references"
    );
    let Some(python) = litellm_python() else {
        return;
    };
    let router = load_in_litellm(&python, &config);
    let groups = &router["groups"];
    let names: Vec<&String> = groups.as_object().expect("groups").keys().collect();
    assert_eq!(names, ["agents", "chat", "chat-spill", "summaries"]);
    // The hybrid: its PTU deployment carries its peak, the spillover its standard quota.
    let chat = workload("chat");
    let peak_tpm =
        chat["rpm"].as_f64().expect("rpm") * chat["tokens_per_request"].as_f64().expect("t");
    assert_eq!(groups["chat"][0]["model"], "azure/gpt-5.1-global-ptu");
    assert_eq!(groups["chat"][0]["tpm"], peak_tpm.ceil());
    assert_eq!(groups["chat-spill"][0]["tpm"], chat["standard_tpm_quota"]);
    assert_eq!(router["fallbacks"]["chat"], json!(["chat-spill"]));
    // Priority requests say so; a standard workload gets its quota.
    assert_eq!(groups["agents"][0]["service_tier"], "priority");
    assert_eq!(
        groups["summaries"][0]["tpm"],
        workload("summaries")["standard_tpm_quota"]
    );
    // Flex falls back to the same deployment as standard, then to the standby region;
    // a group name a workload already has gets a suffix.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("flex.toml");
    std::fs::write(
        &path,
        "regions = [\"eastus2\", \"westus3\"]\nfailover = \"active-passive\"\n\n\
         [[workload]]\nname = \"bulk\"\nmodel = \"gpt-5.6-sol\"\ntier = \"flex\"\nrpm = 100\n\
         prompt = 1000\ncompletion = 200\n\n[[workload]]\nname = \"bulk-standard\"\n\
         model = \"gpt-5.6-sol\"\ntier = \"standard\"\nrpm = 50\nprompt = 400\ncompletion = 100\n",
    )
    .expect("written");
    let router = load_in_litellm(&python, &emit(&["litellm", path.to_str().expect("utf-8")]));
    assert_eq!(
        router["fallbacks"]["bulk"],
        json!(["bulk-standard-2", "bulk-failover", "bulk-failover-standard"])
    );
    assert_eq!(router["groups"]["bulk"][0]["service_tier"], "flex");
    assert_eq!(
        router["groups"]["bulk-standard-2"][0]["model"],
        "azure/bulk"
    );
    assert_eq!(
        router["groups"]["bulk-standard-2"][0]["service_tier"],
        Value::Null
    );
    assert_eq!(
        router["fallbacks"]["bulk-standard"],
        json!(["bulk-standard-failover"])
    );
}

#[test]
fn consumer_token_quotas_reach_the_policy_and_are_checked_against_the_plan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, consumers: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!(
                "[[workload]]\nname = \"chat\"\nmodel = \"gpt-5.1\"\ntier = \"standard\"\n\
                 rpm = 100\navg_rpm = 50\nprompt = 1000\ncompletion = 200\n\n{consumers}"
            ),
        )
        .expect("written");
        path.to_str().expect("utf-8").to_string()
    };
    // web: half of 100 RPM × 1,200 tokens, at an average of 50 RPM over 730 hours:
    // 0.5 × 50 × 1,200 × 60 × 730 = 1,314,000,000 tokens a month, above its 1M quota; a
    // daily quota of 100M is above the 43.2M (0.5 × 50 × 1,200 × 1,440) of an average day.
    let path = write(
        "quota.toml",
        "[[consumer]]\nname = \"web\"\nworkload = \"chat\"\nshare = 0.5\n\
         token_quota = 1000000\n\n[[consumer]]\nname = \"say hi\"\nworkload = \"chat\"\n\
         share = 0.25\ntoken_quota = 100000000\ntoken_quota_period = \"daily\"\n",
    );
    let plan = crate::json(&["plan", &path]);
    let notes: Vec<&str> = plan["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter(|n| n["code"] == "consumer-token-quota")
        .filter_map(|n| n["message"].as_str())
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("below the 1,314,000,000"), "{}", notes[0]);
    assert_eq!(plan["consumers"][0]["token_quota"], 1_000_000);
    assert_eq!(plan["consumers"][0]["token_quota_period"], "monthly");
    let text = emit(&["apim", &path]);
    let doc = roxmltree::Document::parse(&text).expect("XML");
    let limits: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("llm-token-limit"))
        .collect();
    assert_eq!(limits[0].attribute("token-quota"), Some("1000000"));
    assert_eq!(limits[0].attribute("token-quota-period"), Some("Monthly"));
    assert_eq!(limits[1].attribute("token-quota-period"), Some("Daily"));
    // The name is compared as a C# string.
    let condition = doc
        .descendants()
        .filter(|n| n.has_tag_name("when"))
        .nth(1)
        .and_then(|n| n.attribute("condition"))
        .expect("condition");
    assert!(condition.ends_with(r#"== "say hi")"#), "{condition}");
    for (consumers, expected) in [
        ("token_quota = 0\n", "field 'token_quota': 0 tokens"),
        ("token_quota_period = \"daily\"\n", "needs 'token_quota'"),
        (
            "token_quota = 5\ntoken_quota_period = \"fortnightly\"\n",
            "token_quota_period",
        ),
    ] {
        let path = write(
            "bad.toml",
            &format!("[[consumer]]\nname = \"web\"\nworkload = \"chat\"\nshare = 0.5\n{consumers}"),
        );
        ptuplan()
            .args(["plan", &path])
            .assert()
            .code(2)
            .stderr(contains(expected));
    }
}

#[test]
fn a_tiny_consumer_still_gets_one_request_and_one_token_a_minute() {
    // A share of 1e-12 of 100 RPM is a positive rate that rounds to 0: APIM would then refuse
    // every request of the consumer, so the policy's limits are at least 1.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tiny.toml");
    std::fs::write(
        &path,
        "[[workload]]\nname = \"chat\"\nmodel = \"gpt-5.1\"\ntier = \"standard\"\nrpm = 100\n\
         prompt = 1000\ncompletion = 200\n\n[[consumer]]\nname = \"tiny\"\nworkload = \"chat\"\n\
         share = 1e-12\n",
    )
    .expect("written");
    let text = emit(&["apim", path.to_str().expect("utf-8")]);
    let doc = roxmltree::Document::parse(&text).expect("XML");
    let attribute = |tag: &str, name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| n.attribute(name))
            .map(str::to_string)
    };
    assert_eq!(
        attribute("rate-limit-by-key", "calls").as_deref(),
        Some("1")
    );
    assert_eq!(
        attribute("llm-token-limit", "tokens-per-minute").as_deref(),
        Some("1")
    );
}

/// A two-region active-active plan at an 85% target: a hybrid chat (average `avg` RPM) and a
/// standard extract, with max_tokens given.
fn hybrid_plan(dir: &std::path::Path, avg: u32) -> String {
    let path = dir.join(format!("hybrid-{avg}.toml"));
    std::fs::write(
        &path,
        format!(
            "regions = [\"eastus2\", \"swedencentral\"]\nfailover = \"active-active\"\n\
             target_utilization = 0.85\n\n[[workload]]\nname = \"chat\"\nmodel = \"gpt-5.1\"\n\
             tier = \"hybrid\"\nrpm = 400\navg_rpm = {avg}\nprompt = 1500\ncompletion = 400\n\
             cache_rate = 0.2\nmax_tokens = 1000\n\n[[workload]]\nname = \"extract\"\n\
             model = \"gpt-5.1\"\ntier = \"standard\"\nrpm = 300\nprompt = 3000\n\
             completion = 200\nmax_tokens = 500\n\n[[consumer]]\nname = \"web\"\n\
             workload = \"chat\"\nshare = 0.6\n\n[reservation]\nterm = \"1-year\"\nglobal = 30\n"
        ),
    )
    .expect("written");
    path.to_str().expect("utf-8").to_string()
}

#[test]
fn cold_read_findings_stay_fixed() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A hybrid whose cheapest base is no PTU: its quota is what `size` gives the same requests
    // at the same target (prompt + max_tokens at admission), and it is deployed, routed and
    // commented on as a standard workload under its own name.
    let plan_path = hybrid_plan(dir.path(), 150);
    let plan = crate::json(&["plan", &plan_path]);
    let chat = crate::entry(&plan, "workloads", "name", "chat").expect("chat");
    assert_eq!(chat["ptu_base"], 0);
    let size = crate::json(&[
        "size",
        "-m",
        "gpt-5.1",
        "--rpm",
        "400",
        "--prompt",
        "1500",
        "--completion",
        "400",
        "--cache-rate",
        "0.2",
        "--max-tokens",
        "1000",
        "--target-utilization",
        "85%",
    ]);
    assert_eq!(
        chat["standard_tpm_quota"],
        size["models"][0]["standard_tpm_quota_for_target"]
    );
    let arm = template(&["arm", &plan_path]);
    assert_eq!(
        resource(&arm, "'chat'")["sku"]["capacity"].as_u64(),
        chat["standard_tpm_quota"].as_u64().map(|q| q / 1000)
    );
    assert!(!emit(&["arm", &plan_path]).contains("chat-spill"));
    let litellm = emit(&["litellm", &plan_path]);
    assert!(litellm.contains("model_name: \"chat\""), "{litellm}");
    let markdown = ptuplan()
        .args(["plan", &plan_path, "--format", "markdown"])
        .output()
        .expect("runs");
    let markdown = String::from_utf8(markdown.stdout).expect("UTF-8");
    assert!(
        markdown.contains("| chat | gpt-5.1 | global | hybrid |"),
        "{markdown}"
    );
    // Token alerts fire on processed tokens: 85% of the quota × 5 min × 1,900 of the 2,500
    // tokens (prompt + max_tokens) each request is admitted with.
    let alerts = template(&["alerts", &plan_path]);
    let tokens = resource(&alerts, "chat-eastus2-tokens");
    let quota = chat["standard_tpm_quota"].as_f64().expect("quota");
    assert_eq!(
        tokens["properties"]["criteria"]["allOf"][0]["threshold"],
        (quota * 0.85 * 5.0 * 1900.0 / 2500.0).floor()
    );
    // With a PTU base: the base runs full whenever it spills, so it is not reported at the
    // target, and it gets no utilization alert (its spillover's alerts watch it).
    let plan_path = hybrid_plan(dir.path(), 380);
    let plan = crate::json(&["plan", &plan_path]);
    let chat = crate::entry(&plan, "workloads", "name", "chat").expect("chat");
    assert!(chat["ptu_base"].as_u64() > Some(0));
    assert_eq!(plan["deployments"][0]["utilization_failover"], 1.0);
    let alerts = template(&["alerts", &plan_path]);
    let names: Vec<&str> = alerts["resources"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("utilization")),
        "{names:?}"
    );
    assert!(
        names
            .iter()
            .any(|n| n.contains("chat-spill-eastus2-tokens"))
    );
    // The retry count follows the pool: two regions × (PTU + spill) = 4 backends.
    let policy = emit(&["apim", &plan_path]);
    assert!(policy.contains("<retry count=\"3\""), "{policy}");
}

#[test]
fn an_export_at_a_log_analytics_row_limit_is_flagged() {
    ptuplan()
        .args(["analyze", "--kql", "apim"])
        .assert()
        .success()
        .stdout(contains("ago(1d)").and(contains("500,000 rows")));
    let mut text = String::from("timestamp,requests,prompt_tokens,completion_tokens\n");
    for second in 0..30_000u64 {
        text.push_str(&format!("{},2,200,20\n", 1_767_225_600 + second));
    }
    let path = crate::scratch("logs", "thirty-thousand.csv", text);
    let answer = crate::json(&["analyze", &path, "-m", "gpt-5.1"]);
    assert!(
        answer["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n["code"] == "export-row-limit"),
        "{}",
        answer["notes"]
    );
}

/// Writes `text` as `name` in `dir` and returns its path.
fn plan_file(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path.to_str().expect("utf-8").to_string()
}

/// A standard gpt-5.1 workload named `name`, with optional extra lines.
fn standard(name: &str, extra: &str) -> String {
    format!(
        "[[workload]]\nname = \"{name}\"\nmodel = \"gpt-5.1\"\ntier = \"standard\"\nrpm = 100\n\
         prompt = 1000\ncompletion = 200\n{extra}\n"
    )
}

#[test]
fn hostile_names_and_paths_cannot_reshape_what_emit_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A line separator in a workload name would end a YAML comment line.
    let path = plan_file(dir.path(), "sep.toml", &standard("a\\u2028b: c", ""));
    ptuplan()
        .args(["plan", &path])
        .assert()
        .code(2)
        .stderr(contains("field 'name'"));
    // A consumer name that API Management would evaluate or substitute is refused.
    for name in ["@(context.Request.IpAddress)", "{{backend-api-key}}"] {
        let text = standard("chat", "")
            + &format!("[[consumer]]\nname = \"{name}\"\nworkload = \"chat\"\nshare = 0.5\n");
        let path = plan_file(dir.path(), "consumer.toml", &text);
        ptuplan()
            .args(["emit", "apim", &path])
            .assert()
            .code(2)
            .stderr(contains("is not a consumer name"));
    }
    // Outputs never replace inputs, whatever path names them.
    let plan = plan_file(dir.path(), "self.toml", &standard("chat", ""));
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&plan, &link).expect("symlink");
    for output in [plan.as_str(), link.to_str().expect("utf-8")] {
        ptuplan()
            .args(["emit", "terraform", &plan, "-o", output])
            .assert()
            .code(2)
            .stderr(contains("that is the input"));
    }
    assert!(
        std::fs::read_to_string(&plan)
            .expect("read")
            .starts_with("[[workload]]")
    );
    let log = crate::scratch(
        "logs",
        "own.csv",
        "timestamp,prompt_tokens,completion_tokens\n\
        2026-11-02T09:00:00Z,10,1\n",
    );
    ptuplan()
        .args(["analyze", &log, "-m", "gpt-5.1", "--profile-out", &log])
        .assert()
        .code(2)
        .stderr(contains("--profile-out"));
    // Names equal once cleaned get their own Terraform resources and APIM pools.
    let text = standard("a.b", "")
        + &standard("a_b", "")
        + &standard("A.B", "")
        + "[[consumer]]\nname = \"one\"\nworkload = \"a.b\"\nshare = 0.5\n\n\
           [[consumer]]\nname = \"two\"\nworkload = \"A.B\"\nshare = 0.5\n";
    let path = plan_file(dir.path(), "same.toml", &text);
    let body: hcl::Body = hcl::from_str(&emit(&["terraform", &path])).expect("HCL");
    let mut labels: Vec<String> = body
        .blocks()
        .filter(|b| b.identifier() == "resource")
        .map(|b| b.labels()[1].as_str().to_string())
        .collect();
    labels.sort();
    labels.dedup();
    assert_eq!(labels.len(), 3);
    let backends = template(&["apim", &path, "--backends"]);
    let mut names: Vec<String> = backends["resources"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["name"].as_str().map(str::to_ascii_lowercase))
        .collect();
    let count = names.len();
    names.sort();
    names.dedup();
    assert_eq!(
        names.len(),
        count,
        "every backend and pool once, ignoring case"
    );
}

#[test]
fn adversarial_numbers_stay_right() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A consumer's requests count against a standard quota's RPM, not only its tokens.
    let text = standard("cls", "")
        + "[[consumer]]\nname = \"burst\"\nworkload = \"cls\"\nrpm = 50000\ntokens = 1\n";
    let path = plan_file(dir.path(), "rpm.toml", &text);
    ptuplan()
        .args(["plan", &path])
        .assert()
        .code(2)
        .stderr(contains("[[consumer]] limits on cls"));
    // An active-passive pool tries the standby region after the primary's deployments.
    let text = "regions = [\"eastus2\", \"swedencentral\"]\nfailover = \"active-passive\"\n\n"
        .to_string()
        + &standard("chat", "")
        + "[[consumer]]\nname = \"web\"\nworkload = \"chat\"\nshare = 0.5\n";
    let path = plan_file(dir.path(), "ap.toml", &text);
    let backends = template(&["apim", &path, "--backends"]);
    let priorities = pool_priorities(&backends);
    assert_eq!(
        priorities,
        [2, 4],
        "primary standard, then standby standard"
    );
    // Flex answers 429 by design: its alert allows the plan's share, 1% and 3 standard
    // deviations of the share over the window's 500 peak requests.
    let text = "[[workload]]\nname = \"bulk\"\nmodel = \"gpt-5.6-sol\"\ntier = \"flex\"\n\
                flex_availability = 0.8\nrpm = 100\nprompt = 1000\ncompletion = 200\n";
    let path = plan_file(dir.path(), "flex.toml", text);
    let plan = crate::json(&["plan", &path]);
    let share = plan["workloads"][0]["downgraded_share"]
        .as_f64()
        .expect("share");
    let alerts = template(&["alerts", &path]);
    let rule = resource(&alerts, "bulk-429s");
    let spread = 3.0 * (share * (1.0 - share) / 500.0).sqrt();
    assert_eq!(
        rule["properties"]["criteria"]["allOf"][0]["threshold"],
        (100.0 * 5.0 * (share + 0.01 + spread)).ceil()
    );
    // 99.9% is a threshold; flags of other kinds are refused; `_` joins az's words.
    template(&["alerts", &path, "--threshold", "99.9%"]);
    for args in [
        vec!["litellm", path.as_str(), "--threshold", "50%"],
        vec!["arm", path.as_str(), "--consumer-key", "header:X"],
    ] {
        ptuplan().arg("emit").args(&args).assert().code(2);
    }
    let path = plan_file(dir.path(), "under.toml", &standard("a_or_b", ""));
    emit(&["alerts", &path, "--az"]);
    // A plan of batch jobs only has an empty model list.
    let text = "[[workload]]\nname = \"nightly\"\nmodel = \"gpt-5.4\"\ntier = \"batch\"\n\
                rpm = 50\nprompt = 1000\ncompletion = 100\n";
    let path = plan_file(dir.path(), "batch.toml", text);
    assert!(emit(&["litellm", &path]).contains("model_list: []\n"));
    // Counts on whole minutes are per-minute counts: no one-second bursts are made up.
    let mut text = String::from("timestamp,count_,prompt_tokens,completion_tokens\n");
    for minute in 0..30 {
        text.push_str(&format!("2026-11-02T09:{minute:02}:00Z,600,600000,60000\n"));
    }
    let log = crate::scratch("logs", "per-minute-counts.csv", text);
    let answer = crate::json(&["analyze", &log, "-m", "gpt-5"]);
    assert_eq!(answer["peak_requests_1s"], Value::Null);
    assert_eq!(answer["peak_rpm"], 600);
}

#[test]
fn recheck_findings_stay_fixed() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Three active-active regions: a hybrid served on standard needs the quota a standard
    // workload of the same traffic needs in each region.
    let workload = |name: &str, tier: &str| {
        format!(
            "[[workload]]\nname = \"{name}\"\nmodel = \"gpt-5.1\"\ntier = \"{tier}\"\nrpm = 400\n\
             avg_rpm = 150\nprompt = 1500\ncompletion = 400\nmax_tokens = 1000\n\n"
        )
    };
    let text = "regions = [\"eastus2\", \"swedencentral\", \"westus3\"]\n\
                failover = \"active-active\"\ntarget_utilization = 0.85\n\n"
        .to_string()
        + &workload("chat", "hybrid")
        + &workload("same", "standard");
    let path = plan_file(dir.path(), "three.toml", &text);
    let plan = crate::json(&["plan", &path]);
    let quota = |name: &str| {
        crate::entry(&plan, "workloads", "name", name).expect("listed")["standard_tpm_quota"]
            .clone()
    };
    assert_eq!(quota("chat"), quota("same"));
    // An output over the plan's profile or the catalog is refused.
    std::fs::copy("examples/plan-tiers.toml", dir.path().join("tiers.toml")).expect("copied");
    std::fs::copy(
        "examples/profile-business-day.csv",
        dir.path().join("profile-business-day.csv"),
    )
    .expect("copied");
    let tiers = dir.path().join("tiers.toml");
    let profile = dir.path().join("profile-business-day.csv");
    ptuplan()
        .args(["emit", "arm"])
        .arg(&tiers)
        .arg("-o")
        .arg(&profile)
        .assert()
        .code(2)
        .stderr(contains("that is the input"));
    let catalog = dir.path().join("catalog.toml");
    std::fs::copy("models.toml", &catalog).expect("copied");
    ptuplan()
        .args(["emit", "arm"])
        .arg(&tiers)
        .arg("--catalog")
        .arg(&catalog)
        .arg("-o")
        .arg(&catalog)
        .assert()
        .code(2);
    // A PTU deployment that also serves a plain PTU workload keeps its utilization alert.
    let text = "[reservation]\nterm = \"1-year\"\nglobal = 2000\n\n".to_string()
        + &workload("chat", "hybrid").replace("avg_rpm = 150", "avg_rpm = 380")
        + &workload("steady", "ptu");
    let path = plan_file(dir.path(), "shared.toml", &text);
    let plan = crate::json(&["plan", &path]);
    assert_eq!(
        plan["deployments"][0]["workloads"],
        json!(["chat", "steady"])
    );
    let alerts = template(&["alerts", &path]);
    resource(&alerts, "gpt-5.1-global-ptu-utilization");
    // A utilization budget on it says why it is over: the hybrid base runs full.
    let budgeted = plan_file(
        dir.path(),
        "budgeted.toml",
        &(text.clone() + "[budget]\nmax_utilization = 0.9\n"),
    );
    ptuplan()
        .args(["check", &budgeted])
        .assert()
        .code(3)
        .stdout(contains("(hybrid base:").and(contains("full when it spills)")));
    // Counts five minutes apart cannot be placed within their bins.
    let mut text = String::from("timestamp,requests,prompt_tokens,completion_tokens\n");
    for bin in 0..6 {
        text.push_str(&format!(
            "2026-11-02T09:{:02}:00Z,500,500000,50000\n",
            bin * 5
        ));
    }
    let log = crate::scratch("logs", "five-minute-counts.csv", text);
    ptuplan()
        .args(["analyze", &log, "-m", "gpt-5.1"])
        .assert()
        .code(2)
        .stderr(contains("5 minutes apart"));
}
