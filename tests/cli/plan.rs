//! `ptuplan plan` and `ptuplan check`: shared deployments, failover, reservations, budgets,
//! baselines, and malformed plan files.

use predicates::str::contains;
use serde_json::Value;

use crate::{json, ptuplan};

const TWO_WORKLOADS: &str = r#"
[[workload]]
name = "a"
model = "gpt-4.1"
rpm = 100
prompt = 1000
completion = 500

[[workload]]
name = "b"
model = "gpt-4.1"
rpm = 10
prompt = 1000
completion = 500
"#;

#[test]
fn workloads_on_one_model_share_a_deployment() {
    // a: 100 × 3,000 = 300,000 TPM = 100 PTU; b: 30,000 TPM = 10 → 15 PTU alone.
    // Shared: 330,000 ÷ 3,000 = 110 PTU, 5 fewer than 100 + 15.
    let path = write("two.toml", TWO_WORKLOADS);
    let answer = json(&["plan", &path]);
    let d = &answer["deployments"][0];
    assert_eq!(
        (d["model"].as_str(), d["ptu"].as_u64()),
        (Some("gpt-4.1"), Some(110))
    );
    assert_eq!(d["ptu_if_separate"], 115);
    assert_eq!(d["ptu_saved"], 5);
    assert_eq!(answer["total_ptu"], 110);
    // No reservation: 110 PTU × $1 × 730 h.
    assert_eq!(answer["monthly_usd"], 80_300);
    assert!(
        answer["notes"].to_string().contains("saves 5 PTU"),
        "{answer}"
    );
}

#[test]
fn failover_sizes_every_region() {
    let active_passive = format!(
        "regions = [\"eastus2\", \"swedencentral\"]\nfailover = \"active-passive\"\n{TWO_WORKLOADS}"
    );
    let answer = json(&["plan", &write("ap.toml", &active_passive)]);
    let d = &answer["deployments"][0];
    assert_eq!(
        (d["ptu_per_region"].as_u64(), d["ptu"].as_u64()),
        (Some(110), Some(220))
    );
    let quota = answer["quota"].as_array().expect("quota");
    assert_eq!(quota.len(), 2);
    assert!(quota.iter().all(|q| q["ptu"] == 110));
    // Active-active over 3 regions: losing one leaves 2 to carry 110 → 55 each.
    let active_active = format!(
        "regions = [\"eastus\", \"eastus2\", \"westus3\"]\nfailover = \"active-active\"\n{TWO_WORKLOADS}"
    );
    let answer = json(&["plan", &write("aa.toml", &active_active)]);
    let d = &answer["deployments"][0];
    assert_eq!(
        (d["ptu_per_region"].as_u64(), d["ptu"].as_u64()),
        (Some(55), Some(165))
    );
    // In normal operation each region serves a third: 36.67 ÷ 55.
    assert!((d["utilization"].as_f64().expect("number") - 110.0 / 3.0 / 55.0).abs() < 1e-9);
}

#[test]
fn reservation_splits_reserved_and_hourly() {
    // The docs' example: 500 reserved, 600 deployed → 100 billed hourly.
    let plan = r#"
[[workload]]
name = "big"
model = "gpt-4.1"
rpm = 600
prompt = 1000
completion = 500
[reservation]
term = "1-year"
global = 500
"#;
    let answer = json(&["plan", &write("reserved.toml", plan)]);
    let r = &answer["reservations"][0];
    assert_eq!(
        (r["reserved"].as_u64(), r["deployed"].as_u64()),
        (Some(500), Some(600))
    );
    assert_eq!(
        (r["billed_hourly"].as_u64(), r["unused"].as_u64()),
        (Some(100), Some(0))
    );
    // 500 × $221 + 100 × $730 = $110,500 + $73,000.
    assert_eq!(r["monthly_usd"], 183_500);
    let over_reserved = plan.replace("global = 500", "global = 700");
    let answer = json(&["plan", &write("over-reserved.toml", &over_reserved)]);
    assert_eq!(answer["reservations"][0]["unused"], 100);
}

#[test]
fn check_exits_3_naming_each_exceeded_limit() {
    let plan = format!("{TWO_WORKLOADS}\n[budget]\nmax_monthly_usd = 50000\nmax_ptu = 200\n");
    let path = write("over.toml", &plan);
    ptuplan()
        .args(["check", &path])
        .assert()
        .code(3)
        .stdout(contains("EXCEEDED"))
        .stderr(contains(
            "budget exceeded: max_monthly_usd is $80,300.00, limit $50,000.00 (over by $30,300.00)",
        ));
    let within = format!("{TWO_WORKLOADS}\n[budget]\nmax_monthly_usd = 90000\nmax_ptu = 200\n");
    ptuplan()
        .args(["check", &write("within.toml", &within)])
        .assert()
        .success()
        .stdout(contains("within budget"));
}

#[test]
fn check_against_a_baseline() {
    let base_path = write("base.toml", TWO_WORKLOADS);
    let baseline = ptuplan()
        .args(["plan", &base_path, "--json"])
        .output()
        .expect("runs")
        .stdout;
    let baseline_path = write("baseline.json", String::from_utf8(baseline).expect("utf-8"));
    // 20% more traffic on workload a: 120 RPM → 120 + 10 → 130 PTU, $94,900: +18.2%.
    let grown = format!(
        "{}\n[budget]\nmax_increase_pct = 10\n",
        TWO_WORKLOADS.replacen("rpm = 100", "rpm = 120", 1)
    );
    let output = ptuplan()
        .args([
            "check",
            &write("grown.toml", &grown),
            "--baseline",
            &baseline_path,
            "--json",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let answer: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(answer["budget"]["baseline_monthly_usd"], 80_300);
    let pct = answer["budget"]["increase_pct"].as_f64().expect("number");
    assert!(
        (pct - (94_900.0 / 80_300.0 - 1.0) * 100.0).abs() < 1e-9,
        "{pct}"
    );
}

#[test]
fn examples_are_valid_plans() {
    ptuplan()
        .args(["check", "examples/plan-contoso.toml"])
        .assert()
        .success();
    ptuplan()
        .args(["check", "examples/plan-business-day.toml"])
        .assert()
        .code(3);
}

#[test]
fn malformed_plans_name_file_line_and_field() {
    let cases: Vec<(String, &str, &str)> = vec![
        (
            TWO_WORKLOADS.replace("rpm = 10\n", "rpm = 10\ncolour = \"red\"\n"),
            "line 13",
            "unknown field `colour`",
        ),
        (
            TWO_WORKLOADS.replace("rpm = 10\n", "rpm = \"ten\"\n"),
            "line 12",
            "expected a number",
        ),
        (
            TWO_WORKLOADS.replacen("model = \"gpt-4.1\"", "model = \"gpt-4.l\"", 1),
            "line 4",
            "workload 'a': field 'model': unknown model 'gpt-4.l' (did you mean 'gpt-4.1'?)",
        ),
        (
            format!("{TWO_WORKLOADS}\n[budget]\nmax_ptu = -5\n"),
            "line 17",
            "[budget] field 'max_ptu': -5 must be 0 or more",
        ),
        (
            // Placed on the key the user wrote ('prompt', line 6), not the workload's name.
            TWO_WORKLOADS.replace("completion = 500\n\n", "\n"),
            "line 6",
            "workload 'a': prompt was given without completion",
        ),
        (
            TWO_WORKLOADS.replace("name = \"b\"", "name = \"a\""),
            "line 10",
            "workload 'a': the name is used twice",
        ),
        (
            "regions = [\"eastus2\", \"westus3\"]\n".to_string() + TWO_WORKLOADS,
            "line 1",
            "field 'regions': several regions need failover",
        ),
        ("hours = 5".to_string(), "no [[workload]]", ""),
        (
            TWO_WORKLOADS.replacen("completion = 500", "completion = 500\ncache_rate = 1.5", 1),
            "line 8",
            "workload 'a': invalid value '1.5' for cache_rate",
        ),
        (
            TWO_WORKLOADS.replacen("rpm = 100", "rpm = \"100\"", 1),
            "line 5",
            "field 'rpm': invalid type: string \"100\", expected a number",
        ),
        (
            format!("{TWO_WORKLOADS}\n[reservation]\nterm = \"3-year\"\n"),
            "line 17",
            "field 'term': unknown variant `3-year`",
        ),
        (
            format!("{TWO_WORKLOADS}\n[reservation]\nglobal = -10\n"),
            "line 17",
            "field 'global'",
        ),
        (
            TWO_WORKLOADS.replacen(
                "rpm = 100",
                "rpm = 100\nbilling = \"payg\"\ndeployment = \"regional\"",
                1,
            ),
            "line 6",
            "field 'billing': the catalog has no pay-as-you-go price",
        ),
        (
            format!(
                "regions = [\"eastus2\", \"eastus2\"]\nfailover = \"active-active\"\n{TWO_WORKLOADS}"
            ),
            "line 1",
            "'eastus2' is listed twice",
        ),
        (
            format!("failover = \"active-active\"\n{TWO_WORKLOADS}"),
            "line 1",
            "failover needs two or more regions",
        ),
        (
            format!("{TWO_WORKLOADS}\n[budget]\nmax_ptu = 10.5\n"),
            "line 17",
            "must be a whole number of PTUs",
        ),
    ];
    for (i, (text, place, message)) in cases.iter().enumerate() {
        let path = write(&format!("bad-{i}.toml"), text);
        let output = ptuplan().args(["plan", &path]).output().expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "case {i}: {stderr}");
        assert!(
            stderr.contains(&format!("plan '{path}'")),
            "case {i}: {stderr}"
        );
        assert!(
            stderr.contains(place) && stderr.contains(message),
            "case {i}: {stderr}"
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "case {i}: {stderr}");
    }
    ptuplan()
        .args(["check", &write("no-budget.toml", TWO_WORKLOADS)])
        .assert()
        .code(2)
        .stderr(contains("no [budget] table"));
}

#[test]
fn a_workload_sized_from_its_profile() {
    // Busiest minute: 100 requests of 1,000/500 tokens = 300,000 normalized TPM = 100 PTU.
    write(
        "p.csv",
        "timestamp,rpm,prompt,completion\n2026-11-02T09:00:00Z,100,100000,50000\n2026-11-02T09:01:00Z,10,10000,5000\n",
    );
    let plan = "[[workload]]\nname = \"w\"\nmodel = \"gpt-4.1\"\nprofile = \"p.csv\"\n";
    let answer = json(&["plan", &write("from-profile.toml", plan)]);
    assert_eq!(answer["workloads"][0]["rpm"], 100);
    assert_eq!(answer["deployments"][0]["ptu"], 100);
    // A peak rate is sized with the profile's average request (1,000/500).
    let below = "[[workload]]\nname = \"w\"\nmodel = \"gpt-4.1\"\nrpm = 10\nprofile = \"p.csv\"\n";
    ptuplan()
        .args(["plan", &write("below-peak.toml", below)])
        .assert()
        .code(2)
        .stderr(contains("line 4: workload 'w': field 'rpm': the peak (10 RPM) is below the profile's busiest minute"));
    // The profile's token columns are the one source of the tokens.
    let both = "[[workload]]\nname = \"w\"\nmodel = \"gpt-4.1\"\nrpm = 100\nprompt = 1000\ncompletion = 500\nprofile = \"p.csv\"\n";
    ptuplan()
        .args(["plan", &write("both.toml", both)])
        .assert()
        .code(2)
        .stderr(contains(
            "line 5: workload 'w': field 'prompt': the profile has prompt/completion columns",
        ));
}

#[test]
fn active_active_reports_utilization_after_losing_a_region() {
    // 2 regions, 110 PTU of traffic: each region sized for all of it (110); normally each
    // serves half (50%), after a loss one serves all (100%): max_utilization checks the latter.
    let plan = format!(
        "regions = [\"eastus2\", \"swedencentral\"]\nfailover = \"active-active\"\n{TWO_WORKLOADS}\n[budget]\nmax_utilization = 0.9\n"
    );
    let output = ptuplan()
        .args(["check", &write("aa-util.toml", &plan), "--json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let answer: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let d = &answer["deployments"][0];
    assert_eq!(
        (
            d["utilization"].as_f64(),
            d["utilization_failover"].as_f64()
        ),
        (Some(0.5), Some(1.0))
    );
    assert_eq!(
        answer["budget"]["checks"][0]["subject"],
        "gpt-4.1 global (one region lost)"
    );
}

#[test]
fn baselines_must_be_plan_reports() {
    let plan = format!("{TWO_WORKLOADS}\n[budget]\nmax_increase_pct = 10\n");
    let plan = write("for-baseline.toml", &plan);
    for (name, text, expected) in [
        (
            "zero.json",
            r#"{"schema_version": 1, "deployments": [], "monthly_usd": 0}"#,
            "'monthly_usd' is 0",
        ),
        (
            "tiny.json",
            r#"{"schema_version": 3, "deployments": [], "monthly_usd": 1e-300}"#,
            "'monthly_usd' is 1e-300: an increase can only be measured from a cost of at least 0.01",
        ),
        (
            "other.json",
            r#"{"schema_version": 2, "monthly_usd": 100, "total_ptu": "x"}"#,
            "is not a plan report",
        ),
        ("broken.json", "{", "not JSON"),
    ] {
        ptuplan()
            .args(["check", &plan, "--baseline", &write(name, text)])
            .assert()
            .code(2)
            .stderr(contains(expected));
    }
}

fn write(name: &str, contents: impl AsRef<[u8]>) -> String {
    crate::scratch("plans", name, contents)
}

#[test]
fn check_fails_a_plan_whose_model_retires_within_the_limit() {
    // gpt-5.2 retires on 2026-12-12 (S40); on --as-of 2026-12-03 that is 9 days away.
    let plan = r#"
[[workload]]
name = "chat"
model = "gpt-5.2"
rpm = 100
prompt = 1000
completion = 200
billing = "payg"

[budget]
min_days_to_retirement = 30
"#;
    let path = write("retiring.toml", plan);
    ptuplan()
        .args(["check", &path, "--as-of", "2026-12-03"])
        .assert()
        .code(3)
        .stderr(contains(
            "min_days_to_retirement (gpt-5.2 global payg 'chat', retires 2026-12-12) is 9 \
             days, limit 30 days (short by 21 days)",
        ));
    // Judged 40 days earlier the same plan passes, and JSON has the check and the lifecycle.
    let output = ptuplan()
        .args(["check", &path, "--as-of", "2026-10-24", "--json"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let answer: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let check = &answer["budget"]["checks"][0];
    assert_eq!(check["limit"], "min_days_to_retirement");
    assert_eq!(check["value"], 49);
    assert_eq!(check["ok"], true);
    assert_eq!(answer["lifecycle"]["as_of"], "2026-10-24");
    assert_eq!(
        answer["lifecycle"]["models"]["gpt-5.2"]["stage"],
        "retiring"
    );
}

#[test]
fn check_passes_models_with_no_published_retirement_and_says_so() {
    let plan = r#"
[[workload]]
name = "new"
model = "gpt-6-sol"
rpm = 10
prompt = 1000
completion = 200

[budget]
min_days_to_retirement = 90
"#;
    ptuplan()
        .args(["check", &write("unpublished.toml", plan)])
        .assert()
        .success()
        .stdout(contains("no retirement date is published for gpt-6-sol"));
    let fractional = "[[workload]]\nname = \"a\"\nmodel = \"gpt-5.1\"\nrpm = 1\ntokens = 10\n\
                      [budget]\nmin_days_to_retirement = 1.5\n";
    ptuplan()
        .args(["check", &write("fractional-days.toml", fractional)])
        .assert()
        .code(2)
        .stderr(contains(
            "[budget] field 'min_days_to_retirement': 1.5 must be a whole number of days",
        ));
}

#[test]
fn as_of_is_a_day_or_a_clear_error() {
    ptuplan()
        .args(["models", "gpt-5.2", "--as-of", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(contains("expected a day as YYYY-MM-DD"));
    let early = json(&["models", "gpt-5.2", "--as-of", "2026-01-01"]);
    assert_eq!(early["lifecycle"]["models"]["gpt-5.2"]["stage"], "current");
    // The environment variable sets it too; the flag wins over it.
    let output = ptuplan()
        .env("PTUPLAN_AS_OF", "2027-01-01")
        .args(["models", "gpt-5.2", "--json"])
        .output()
        .expect("runs");
    let answer: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(answer["lifecycle"]["models"]["gpt-5.2"]["stage"], "retired");
}

#[test]
fn check_sums_pay_as_you_go_quota_per_model_against_the_quota_tier() {
    let plan = r#"
[subscription]
quota_tier = 1

[[workload]]
name = "chat"
model = "gpt-5.1"
rpm = 3000
prompt = 1000
completion = 200
billing = "payg"

[[workload]]
name = "batch"
model = "gpt-5.1"
rpm = 2000
prompt = 1000
completion = 200
billing = "payg"

[budget]
within_quota_tier = true
"#;
    let path = write("tier.toml", plan);
    let answer = json(&["plan", &path]);
    let line = &answer["quota_tier"][0];
    let quotas: Vec<u64> = answer["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .map(|w| w["standard_tpm_quota"].as_u64().expect("a quota"))
        .collect();
    assert_eq!(line["needed_tpm"].as_u64(), Some(quotas.iter().sum()));
    assert_eq!(line["workloads"], serde_json::json!(["chat", "batch"]));
    assert_eq!(line["sku"], "GlobalStandard");
    assert_eq!(line["within"], false);
    // A plan's notes name plan keys, not flags.
    let notes = answer["notes"].to_string();
    assert!(notes.contains("add reasoning = N"), "{notes}");
    assert!(!notes.contains("--reasoning"), "{notes}");
    let default = line["default_tpm"].as_u64().expect("Tier 1 lists gpt-5.1");
    ptuplan()
        .args(["check", &path])
        .assert()
        .code(3)
        .stderr(contains(format!(
            "within_quota_tier (gpt-5.1 GlobalStandard) is {}M TPM, limit {}M TPM",
            quotas.iter().sum::<u64>() / 1_000_000,
            default / 1_000_000
        )));
    let bad = plan.replace("quota_tier = 1", "quota_tier = 9");
    ptuplan()
        .args(["plan", &write("bad-tier.toml", &bad)])
        .assert()
        .code(2)
        .stderr(contains("line 3"))
        .stderr(contains(
            "[subscription] field 'quota_tier': 9 is not a quota tier",
        ));
}

#[test]
fn plan_regions_must_offer_the_workloads_model_and_sku() {
    // gpt-5.1 regional provisioned (ProvisionedManaged) is not listed in eastus2 (S52).
    let plan = r#"
regions = ["westus3", "eastus2"]
failover = "active-passive"

[[workload]]
name = "chat"
model = "gpt-5.1"
deployment = "regional"
rpm = 100
prompt = 1000
completion = 200
"#;
    let offered = json(&["models", "gpt-5.1", "--regions"]);
    let listed = offered["availability"]
        .as_array()
        .expect("availability")
        .iter()
        .find(|a| a["sku"] == "ProvisionedManaged")
        .expect("listed")["regions"]
        .clone();
    assert!(
        listed
            .as_array()
            .expect("regions")
            .contains(&"westus3".into())
    );
    assert!(
        !listed
            .as_array()
            .expect("regions")
            .contains(&"eastus2".into())
    );
    let path = write("regions.toml", plan);
    ptuplan()
        .args(["plan", &path])
        .assert()
        .code(2)
        .stderr(contains("line 7: workload 'chat'"))
        .stderr(contains(
            "gpt-5.1 is not offered on ProvisionedManaged in eastus2",
        ))
        .stderr(contains("offered in: australiaeast"));
    let allowed = format!("allow_unlisted_regions = true\n{plan}");
    let answer = json(&["plan", &write("regions-allowed.toml", &allowed)]);
    let notes = answer["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n["code"] == "region-unlisted"
            && n["message"]
                .as_str()
                .is_some_and(|n| n.contains("in eastus2") && n.contains("allow_unlisted_regions"))),
        "{notes:?}"
    );
    // Both regions listed: no error, no note.
    let fine = plan.replace("\"eastus2\"", "\"uksouth\"");
    let answer = json(&["plan", &write("regions-fine.toml", &fine)]);
    assert!(
        !answer["notes"].to_string().contains("not offered"),
        "{}",
        answer["notes"]
    );
}

#[test]
fn regions_are_arm_names_and_tier_checks_need_a_tier() {
    let upper = format!(
        "regions = [\"EastUS2\", \"eastus2\"]\nfailover = \"active-active\"\n{TWO_WORKLOADS}"
    );
    ptuplan()
        .args(["plan", &write("upper-region.toml", &upper)])
        .assert()
        .code(2)
        .stderr(contains("'EastUS2' is not an Azure region's ARM name"));
    let no_tier = format!("{TWO_WORKLOADS}\n[budget]\nwithin_quota_tier = true\n");
    ptuplan()
        .args(["check", &write("no-tier.toml", &no_tier)])
        .assert()
        .code(2)
        .stderr(contains("add [subscription] quota_tier = N"));
}

#[test]
fn a_plan_cache_rate_error_offers_only_what_a_plan_takes() {
    // A flag takes `25%`; a plan file's cache_rate is a number, so its error must not suggest
    // a percentage string (which TOML then refuses as a string).
    let plan = write(
        "cache-rate.toml",
        "[[workload]]\nname = \"chat\"\nmodel = \"gpt-4.1\"\nrpm = 100\nprompt = 1000\n\
         completion = 100\ncache_rate = 1.5\n",
    );
    let output = ptuplan().args(["plan", &plan]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(
        stderr.contains("line 7") && stderr.contains("must be a fraction from 0 to 1 (e.g. 0.25)"),
        "{stderr}"
    );
    assert!(!stderr.contains("percentage"), "{stderr}");
}

#[test]
fn a_huge_plan_value_is_quoted_in_scientific_form() {
    // 1e308 printed in full is 309 digits; the error quotes it as written in science.
    let plan = write(
        "huge-rpm.toml",
        "[[workload]]\nname = \"chat\"\nmodel = \"gpt-4.1\"\nrpm = 1e308\nprompt = 1000\n\
         completion = 100\n",
    );
    let output = ptuplan().args(["plan", &plan]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(
        stderr.contains("field 'rpm': 1e308 must be above 0 and at most 1B requests per minute"),
        "{stderr}"
    );
    assert!(stderr.len() < 200, "{stderr}");
}
