//! `ptuplan cost` with priority, flex and batch: the options, the latency classes, the mix, the
//! batch quota, the flags and their errors.

use predicates::str::contains;
use serde_json::Value;

use crate::{json, ptuplan};

const PROFILE: &str = "examples/profile-business-day.csv";

fn option<'a>(answer: &'a Value, name: &str) -> Option<&'a Value> {
    crate::entry(answer, "options", "option", name)
}

fn usd(answer: &Value, name: &str) -> f64 {
    option(answer, name).expect("listed")["monthly_usd"]
        .as_f64()
        .expect("number")
}

#[test]
fn interactive_mix_beats_every_option_it_may_use() {
    // The README's example: gpt-5.1 on the business-day profile must answer with a latency
    // target. Priority prices are twice standard for gpt-5.1 (S30): all priority is 2 x payg
    // less what the ramp limit bills at standard.
    let answer = json(&[
        "cost",
        "-m",
        "gpt-5.1",
        "--profile",
        PROFILE,
        "--latency",
        "interactive",
    ]);
    let payg = usd(&answer, "payg");
    let priority = usd(&answer, "priority");
    assert!(
        priority < 2.0 * payg && priority > 1.99 * payg,
        "{priority} vs {payg}"
    );
    let mix = &answer["mix"];
    assert_eq!(mix["latency"], "interactive");
    assert_eq!(mix["chosen"]["overflow"], "priority");
    assert_eq!(mix["chosen"]["term"], "1-year");
    // 15 PTU on a 1-year reservation at $2,652 a year: $3,315 a month.
    assert_eq!(mix["chosen"]["ptu"], 15);
    assert_eq!(mix["chosen"]["ptu_usd"], 3315.0);
    let chosen = mix["chosen"]["monthly_usd"].as_f64().expect("number");
    for o in answer["options"].as_array().expect("options") {
        if o["excluded"].is_null() {
            assert!(chosen < o["monthly_usd"].as_f64().expect("number"), "{o}");
        }
    }
    assert_eq!(
        answer["recommended"], "priority",
        "standard is outside the class"
    );
    for name in ["payg", "hybrid"] {
        let reason = option(&answer, name).expect("listed")["excluded"]
            .as_str()
            .expect("excluded");
        assert!(reason.contains("interactive"), "{reason}");
    }
    // The ramp limit downgrades a little of the day's rise, and says so.
    assert!(option(&answer, "priority").expect("listed")["downgraded_share"].as_f64() > Some(0.0));
    assert!(
        answer["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n["code"] == "priority-downgrade")
    );
}

#[test]
fn batch_share_and_subscription_type_check_the_enqueued_quota() {
    // gpt-4.1 at 100 RPM of 1,000 + 500 tokens: 144M prompt tokens a day. 30% to batch is
    // 43.2M: within the 50M credit-card quota (S61); all of it is not.
    let mut args = cost_gpt41(&[]);
    args.extend(["--batch-share", "30%", "--subscription-type", "credit-card"]);
    let answer = json(&args);
    let batch = &answer["batch"];
    assert_eq!(batch["share"], 0.3);
    assert_eq!(batch["daily_prompt_tokens"], 43_200_000.0);
    assert_eq!(batch["enqueued_limit"], 50_000_000);
    assert_eq!(batch["within_limit"], true);
    // Every option but batch carries 30% at batch prices: 0.3 × $13,140 = $3,942.
    assert_eq!(
        option(&answer, "payg").expect("listed")["batch_usd"],
        3942.0
    );
    assert_eq!(usd(&answer, "payg"), 22_338.0);
    // Without --latency batch is ruled out by its latency; with deferrable, by the quota.
    let all_batch = option(&answer, "batch").expect("listed");
    assert!(
        all_batch["excluded"]
            .as_str()
            .is_some_and(|e| e.contains("--latency deferrable"))
    );
    let mut args = cost_gpt41(&[]);
    args.extend([
        "--latency",
        "deferrable",
        "--subscription-type",
        "credit-card",
    ]);
    let answer = json(&args);
    let all_batch = option(&answer, "batch").expect("listed");
    assert!(
        all_batch["excluded"]
            .as_str()
            .is_some_and(|e| e.contains("144,000,000")),
        "{all_batch}"
    );
    // Students have no batch quota at all.
    let mut args = cost_gpt41(&[]);
    args.extend(["--subscription-type", "student", "--latency", "deferrable"]);
    let answer = json(&args);
    assert_eq!(answer["batch"]["enqueued_limit"], Value::Null);
    let reason = option(&answer, "batch").expect("listed")["excluded"]
        .as_str()
        .expect("excluded");
    assert!(
        reason.contains("student subscriptions have no batch quota"),
        "{reason}"
    );
    assert_eq!(answer["mix"]["batch_share_max"], 0.0);
}

#[test]
fn deferrable_mix_uses_batch_up_to_the_quota() {
    // Enterprise quota (5B a day) takes everything: the mix is all batch, half of payg.
    let answer = json(&cost_gpt41(&[
        "--latency",
        "deferrable",
        "--subscription-type",
        "enterprise",
    ]));
    assert_eq!(answer["mix"]["chosen"]["batch_share"], 1.0);
    assert_eq!(answer["mix"]["chosen"]["monthly_usd"], 13_140.0);
    assert_eq!(answer["recommended"], "batch");
    // The default quota (200M) fits a day of 144M too; at 300 RPM (432M a day) only 46.29% does.
    let answer = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--rpm",
        "300",
        "--prompt",
        "1000",
        "--completion",
        "500",
        "--latency",
        "deferrable",
    ]);
    assert_eq!(
        answer["mix"]["batch_share_max"], 0.4629,
        "200M of 432M, to 0.01%"
    );
    assert!(answer["mix"]["chosen"]["batch_share"].as_f64() <= Some(0.4629));
}

#[test]
fn flex_availability_prices_retries_at_standard() {
    // gpt-5.6-sol: 100 RPM × (1,000 in at $4 + 100 out at $20) = $0.006 a request, 4.38M
    // requests = $26,280 standard; flex is half; 80% served by flex: 0.8 × 13,140 + 0.2 ×
    // 26,280 = $15,768.
    let answer = json(&[
        "cost",
        "-m",
        "gpt-5.6-sol",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "100",
        "--reasoning",
        "0",
        "--flex-availability",
        "80%",
        "--latency",
        "relaxed",
    ]);
    assert_eq!(usd(&answer, "flex"), 15_768.0);
    assert_eq!(answer["recommended"], "flex");
    assert_eq!(answer["prices"]["flex"]["source"], "S59: 50% of S30");
    assert!(
        answer["unpriced"]
            .as_array()
            .expect("list")
            .iter()
            .any(|u| u["option"] == "batch")
    );
}

#[test]
fn priority_flags_replace_the_catalog_prices() {
    let answer = json(&cost_gpt41(&[
        "--price-priority-input",
        "4",
        "--price-priority-output",
        "16",
    ]));
    // 4.38e9 × $4 + 2.19e9 × $16 per 1M = $17,520 + $35,040.
    assert_eq!(usd(&answer, "priority"), 52_560.0);
    // The catalog's cached priority price is still in use: not a full override.
    assert_eq!(answer["prices"]["priority"]["source"], "S30 + override");
    assert_eq!(answer["prices"]["priority"]["unverified"], true);
    // A model offering priority without a catalog price lists it as "no price", not dropped.
    let answer = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "-d",
        "regional",
        "--rpm",
        "10",
        "--tokens",
        "100",
        "--price-input",
        "1",
        "--price-output",
        "1",
    ]);
    let unpriced = answer["unpriced"].as_array().expect("list");
    assert!(
        unpriced.iter().any(|u| u["option"] == "priority"
            && u["reason"]
                .as_str()
                .is_some_and(|r| r.starts_with("not offered"))),
        "{unpriced:?}"
    );
}

#[test]
fn tier_flags_reject_bad_values_naming_the_flag() {
    let base = ["cost", "-m", "gpt-4.1", "--rpm", "100", "--tokens", "1000"];
    for (flag, value, expected) in [
        ("--batch-share", "100%", "--batch-share"),
        ("--batch-share", "-5%", "--batch-share"),
        ("--flex-availability", "150%", "--flex-availability"),
        ("--latency", "soon", "--latency"),
        ("--subscription-type", "gold", "--subscription-type"),
        ("--priority-ramp-floor", "-1", "--priority-ramp-floor"),
        ("--price-priority-input", "nan", "--price-priority-input"),
    ] {
        let mut args = base.to_vec();
        args.extend([flag, value]);
        ptuplan()
            .args(&args)
            .assert()
            .code(2)
            .stderr(contains(expected));
    }
    // A share whose day does not fit the subscription's batch quota is refused: 95% of 144M
    // prompt tokens a day against MSDN's 90,000 (S61).
    ptuplan()
        .args(cost_gpt41(&[]))
        .args(["--batch-share", "95%", "--subscription-type", "msdn"])
        .assert()
        .code(2)
        .stderr(contains(
            "136,800,000 prompt tokens, above the 90,000 enqueued-token quota",
        ));
    // A share for a model without batch is refused, with the reason.
    ptuplan()
        .args([
            "cost",
            "-m",
            "gpt-5.6-sol",
            "--rpm",
            "10",
            "--tokens",
            "100",
            "--batch-share",
            "10%",
        ])
        .assert()
        .code(2)
        .stderr(contains("--batch-share cannot be used: not offered"));
}

fn workload<'a>(answer: &'a Value, name: &str) -> &'a Value {
    crate::entry(answer, "workloads", "name", name).unwrap_or_else(|| panic!("{name}"))
}

#[test]
fn plan_tiers_price_each_workload_as_cost_would() {
    let answer = json(&["plan", "examples/plan-tiers.toml"]);
    // agents: 4.38M requests × (2,000 × $2.50 + 500 × $20 priority) per 1M = $65,700.
    let agents = workload(&answer, "agents");
    assert_eq!(
        (agents["tier"].as_str(), agents["billing"].as_str()),
        (Some("priority"), Some("payg"))
    );
    assert_eq!(agents["tier_usd"], 65_700.0);
    // reports (gpt-5.4): 876K batch requests × (4,000 × $2.50 + 1,000 × $15) ÷ 2 per 1M =
    // $10,950.
    assert_eq!(workload(&answer, "reports")["tier_usd"], 10_950.0);
    assert!(workload(&answer, "reports")["standard_tpm_quota"].is_null());
    // summaries: 3.504M requests at $0.00675, 60% standard + 40% batch at half = $18,921.60.
    assert_eq!(workload(&answer, "summaries")["tier_usd"], 18_921.6);
    // chat: the hybrid `cost` picks for the same curve on a 1-year term.
    let cost = json(&["cost", "-m", "gpt-5.1", "--profile", PROFILE]);
    let hybrid = option(&cost, "hybrid").expect("hybrid");
    let chat = workload(&answer, "chat");
    assert_eq!(chat["ptu_base"], hybrid["ptu"]);
    assert_eq!(chat["tier_usd"], hybrid["payg_usd"]);
    assert_eq!(answer["deployments"][0]["ptu"], hybrid["ptu"]);
    // The total adds them up with the reserved PTUs.
    let tokens: f64 = answer["workloads"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|w| w["tier_usd"].as_f64())
        .sum();
    assert!((answer["payg_usd"].as_f64().expect("number") - tokens).abs() < 0.01);
    let check = ptuplan()
        .args(["check", "examples/plan-tiers.toml"])
        .assert();
    check.code(0);
}

#[test]
fn plan_tier_errors_name_the_key_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("plan.toml");
    for (body, expected) in [
        (
            "tier = \"flex\"",
            "line 4: workload 'w': field 'tier': flex cannot be used: not offered",
        ),
        (
            "tier = \"ptu\"\nbilling = \"payg\"",
            "give 'tier' or 'billing', not both",
        ),
        (
            "batch_share = 1.5",
            "field 'batch_share': 1.5 must be a share from 0 to 0.99",
        ),
        ("tier = \"batch\"\nbatch_share = 0.2", "all batch already"),
        ("tier = \"gold\"", "unknown variant `gold`"),
    ] {
        std::fs::write(
            &plan,
            format!(
                "[[workload]]\nname = \"w\"\nmodel = \"gpt-5.1\"\n{body}\nrpm = 10\ntokens = 100\n"
            ),
        )
        .expect("written");
        ptuplan()
            .arg("plan")
            .arg(&plan)
            .assert()
            .code(2)
            .stderr(contains(expected));
    }
    // A model without pay-as-you-go prices has no batch tier to send a share to.
    std::fs::write(&plan, "[[workload]]\nname = \"w\"\nmodel = \"gpt-5.3-codex\"\nbatch_share = 0.1\nrpm = 10\ntokens = 100\n").expect("written");
    ptuplan()
        .arg("plan")
        .arg(&plan)
        .assert()
        .code(2)
        .stderr(contains(
            "line 4: workload 'w': field 'batch_share': 0.1: batch cannot be used: the catalog has \
         no pay-as-you-go price for gpt-5.3-codex on global to price its tiers from; remove \
         batch_share",
        ));
    // A batch workload needs a quota that holds a day of it.
    std::fs::write(&plan, "[[workload]]\nname = \"w\"\nmodel = \"gpt-4.1\"\ntier = \"batch\"\nrpm = 10\ntokens = 100\n[subscription]\ntype = \"student\"\n").expect("written");
    ptuplan()
        .arg("plan")
        .arg(&plan)
        .assert()
        .code(2)
        .stderr(contains(
            "line 4: workload 'w': field 'tier': student subscriptions have no batch quota",
        ));
    std::fs::write(&plan, "[[workload]]\nname = \"w\"\nmodel = \"DeepSeek-R1\"\ntier = \"hybrid\"\nrpm = 10\ntokens = 100\n").expect("written");
    ptuplan()
        .arg("plan")
        .arg(&plan)
        .assert()
        .code(2)
        .stderr(contains("does not support spillover"));
}

#[test]
fn analyze_splits_the_log_by_the_tier_that_served_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("log.csv");
    std::fs::write(
        &csv,
        "timestamp,prompt_tokens,completion_tokens,service_tier\n\
         2026-11-02T09:00:00Z,100,10,priority\n\
         2026-11-02T09:00:01Z,100,10,Priority\n\
         2026-11-02T09:00:02Z,300,30,default\n\
         2026-11-02T09:00:03Z,100,10,flex\n",
    )
    .expect("written");
    let answer = json(&["analyze", csv.to_str().expect("utf-8")]);
    let tiers = answer["service_tiers"].as_array().expect("list");
    // 2 of 4 requests, 220 of 660 tokens on priority (case folded).
    assert_eq!(tiers[0]["tier"], "priority");
    assert_eq!(tiers[0]["request_share"], 0.5);
    assert!((tiers[0]["token_share"].as_f64().expect("number") - 220.0 / 660.0).abs() < 1e-12);
    assert_eq!(tiers.len(), 3);
    assert!(
        answer["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .any(|n| n["code"] == "priority-downgrade")
    );
    // JSONL responses carry it at the top level; a named path works too.
    let jsonl = dir.path().join("log.jsonl");
    std::fs::write(
        &jsonl,
        "{\"created\": 1793610000, \"usage\": {\"prompt_tokens\": 5, \"completion_tokens\": 1}, \"service_tier\": \"flex\"}\n\
         {\"created\": 1793610001, \"usage\": {\"prompt_tokens\": 5, \"completion_tokens\": 1}, \"meta\": {\"tier\": \"default\"}}\n",
    )
    .expect("written");
    let answer = json(&["analyze", jsonl.to_str().expect("utf-8")]);
    // The second line names no tier: it counts as (none) beside flex.
    let tiers = answer["service_tiers"].as_array().expect("list");
    let names: Vec<&str> = tiers.iter().filter_map(|t| t["tier"].as_str()).collect();
    assert_eq!(names.len(), 2);
    assert!(
        names.contains(&"flex") && names.contains(&"(none)"),
        "{names:?}"
    );
    let answer = json(&[
        "analyze",
        jsonl.to_str().expect("utf-8"),
        "--service-tier-column",
        "meta.tier",
    ]);
    let tiers = answer["service_tiers"].as_array().expect("list");
    assert!(tiers.iter().any(|t| t["tier"] == "default"), "{tiers:?}");
    // No such column: no tiers.
    let plain = json(&["analyze", "examples/logs/burst.csv"]);
    assert_eq!(plain["service_tiers"], Value::Array(Vec::new()));
}

#[test]
fn a_large_log_read_in_two_halves_counts_every_tier_once() {
    // Over 1 MiB: analyze reads it in two halves on two threads and merges them.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.csv");
    let mut text = String::from("timestamp,prompt_tokens,completion_tokens,service_tier\n");
    let rows = 40_000;
    for i in 0..rows {
        let tier = if i % 4 == 0 { "default" } else { "priority" };
        text.push_str(&format!("{},1000,100,{tier}\n", 1_793_610_000 + i / 10));
    }
    assert!(text.len() > 1 << 20);
    std::fs::write(&path, text).expect("written");
    let answer = json(&["analyze", path.to_str().expect("utf-8")]);
    let tiers = answer["service_tiers"].as_array().expect("list");
    let requests: f64 = tiers.iter().filter_map(|t| t["requests"].as_f64()).sum();
    assert_eq!(requests, f64::from(rows));
    assert_eq!(tiers[0]["tier"], "priority");
    assert_eq!(tiers[0]["request_share"], 0.75);
}

#[test]
fn simulate_flex_and_priority_candidates_agree_with_cost() {
    // gpt-5.6-sol, 300 RPM for an hour on 1M TPM: plain standard, all flex (80% find flex
    // capacity) and all priority. cost prices flex at 0.8 × 50% + 0.2 = 60% of standard and
    // priority at 200% (S30); the simulation's months should agree within sampling noise.
    let args = [
        "simulate",
        "-m",
        "gpt-5.6-sol",
        "--rpm",
        "300",
        "--prompt",
        "1000",
        "--completion",
        "200",
        "--reasoning",
        "0",
        "--tpm-quota",
        "1M",
        "--flex-quota",
        "1M",
        "--priority-quota",
        "1M",
        "--flex-availability",
        "80%",
        "--duration",
        "1h",
    ];
    let answer = json(&args);
    let candidates = answer["candidates"].as_array().expect("list");
    let kinds: Vec<&str> = candidates
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["standard", "flex", "priority"]);
    let month = |i: usize| candidates[i]["monthly_usd"].as_f64().expect("priced");
    let flex_share = month(1) / month(0);
    assert!((flex_share - 0.6).abs() < 0.02, "{flex_share}");
    assert!(
        (month(2) / month(0) - 2.0).abs() < 1e-3,
        "steady traffic never ramps"
    );
    let flex = &candidates[1];
    let refused = flex["flex_refused"].as_f64().expect("count");
    let served = flex["served"].as_f64().expect("count");
    assert!((refused / served - 0.2).abs() < 0.02, "{flex}");
    assert_eq!(candidates[2]["downgraded"], 0);
    // A tier the model does not offer is refused, naming the flag.
    ptuplan()
        .args([
            "simulate",
            "-m",
            "gpt-4.1",
            "--rpm",
            "10",
            "--tokens",
            "100",
            "--flex-quota",
            "100k",
        ])
        .assert()
        .code(2)
        .stderr(contains("--flex-quota: not offered"));
}

#[test]
fn a_missing_profile_minute_counts_as_no_traffic_for_the_ramp_limit() {
    // 100 RPM at 00:00 and at 00:30, nothing in between: the second minute ramps from
    // nothing, so half of the priority tokens are served as standard — the same whether the
    // idle minutes are rows of 0 or missing.
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.csv");
    std::fs::write(
        &missing,
        "timestamp,rpm\n2026-11-02T00:00:00Z,100\n2026-11-02T00:30:00Z,100\n",
    )
    .expect("written");
    let explicit = dir.path().join("explicit.csv");
    let mut rows = String::from("timestamp,rpm\n");
    for m in 0..=30 {
        let rpm = if m == 0 || m == 30 { 100 } else { 0 };
        rows.push_str(&format!("2026-11-02T00:{m:02}:00Z,{rpm}\n"));
    }
    std::fs::write(&explicit, rows).expect("written");
    for path in [&missing, &explicit] {
        let answer = json(&[
            "cost",
            "-m",
            "gpt-5.1",
            "--profile",
            path.to_str().expect("utf-8"),
            "--tokens",
            "1000",
        ]);
        assert_eq!(
            option(&answer, "priority").expect("priced")["downgraded_share"],
            0.5,
            "{path:?}"
        );
    }
}

#[test]
fn review_findings_stay_fixed() {
    // Free priority: no break-even against it, and the JSON keeps its schema (json() checks).
    let answer = json(&[
        "cost",
        "-m",
        "gpt-5.1",
        "--rpm",
        "200",
        "--avg-rpm",
        "80",
        "--prompt",
        "2000",
        "--completion",
        "300",
        "--latency",
        "interactive",
        "--price-priority-input",
        "0",
        "--price-priority-cached",
        "0",
        "--price-priority-output",
        "0",
    ]);
    let evens = answer["mix"]["break_even"].as_array().expect("list");
    assert!(evens.iter().all(|b| b["versus"] != "priority"), "{evens:?}");
    // Cached tokens and no cached priority price: priority is not priced, not mispriced.
    let answer = json(&[
        "cost",
        "-m",
        "gpt-5.1",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "100",
        "--cache-rate",
        "50%",
        "--price-priority-input",
        "3",
        "--price-priority-output",
        "20",
        "--price-cached",
        "0.1",
    ]);
    assert!(
        option(&answer, "priority").is_some(),
        "the catalog's cached priority price applies"
    );
    // Tier flags for tiers not priced here are noted.
    let answer = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--rpm",
        "10",
        "--tokens",
        "100",
        "--flex-availability",
        "50%",
    ]);
    let notes: Vec<&str> = answer["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["message"].as_str())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("--flex-availability: not used")),
        "{notes:?}"
    );
    // JSONL: a service_tier that is not a string is an error; lines without it count as (none).
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("log.jsonl");
    let line = |tier: &str| {
        format!(
            "{{\"created\": 1793610000, \"usage\": {{\"prompt_tokens\": 5, \"completion_tokens\": 1}}{tier}}}\n"
        )
    };
    std::fs::write(
        &log,
        line(", \"service_tier\": \"flex\"") + &line("") + &line(", \"service_tier\": null"),
    )
    .expect("written");
    let answer = json(&["analyze", log.to_str().expect("utf-8")]);
    let tiers = answer["service_tiers"].as_array().expect("list");
    assert_eq!(tiers[0]["tier"], "(none)");
    assert_eq!(tiers[0]["requests"], 2.0);
    std::fs::write(&log, line(", \"service_tier\": 1")).expect("written");
    ptuplan()
        .args(["analyze", log.to_str().expect("utf-8")])
        .assert()
        .code(2)
        .stderr(contains("is not a service tier"));
    std::fs::write(&log, line("")).expect("written");
    let answer = json(&[
        "analyze",
        log.to_str().expect("utf-8"),
        "--service-tier-column",
        "nope",
    ]);
    assert!(answer["notes"].as_array().expect("notes").iter().any(|n| {
        n["message"]
            .as_str()
            .is_some_and(|m| m.contains("no row has it"))
    }));
    // A plan's flex_availability applies to flex only.
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, "[[workload]]\nname = \"w\"\nmodel = \"gpt-5.1\"\nflex_availability = 0.5\nrpm = 10\ntokens = 100\n").expect("written");
    ptuplan()
        .arg("plan")
        .arg(&plan)
        .assert()
        .code(2)
        .stderr(contains(
            "field 'flex_availability': it applies to tier = \"flex\"",
        ));
}

#[test]
fn models_show_where_each_tier_is_offered() {
    let text = String::from_utf8(
        ptuplan()
            .args(["models", "gpt-4.1"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("UTF-8");
    assert!(text.contains("99% > 80 TPS"), "{text}");
    assert!(text.contains("enterprise 5B"), "{text}");
    let answer = json(&["models", "gpt-4.1"]);
    let quotas = answer["batch_quota"].as_array().expect("list");
    assert_eq!(quotas.len(), 2, "Global Batch and Data Zone Batch (S61)");
    assert_eq!(
        answer["models"][0]["priority"]["long_prompt_tokens"],
        128_000
    );
    let flexless = json(&["models", "gpt-4o"]);
    assert!(flexless["models"][0]["flex"].is_null());
}

#[test]
fn second_review_findings_stay_fixed() {
    // The largest batch share that fits is a share of the whole load: 90,000 of 144M prompt
    // tokens a day is 0.06%.
    ptuplan()
        .args(cost_gpt41(&[]))
        .args(["--batch-share", "30%", "--subscription-type", "msdn"])
        .assert()
        .code(2)
        .stderr(contains("send at most 0.062% of the load to batch"));
    // simulate: a flex refusal and the standard resend's 429 are one throttled first attempt.
    let answer = json(&[
        "simulate",
        "-m",
        "gpt-6-astra",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "200",
        "--max-tokens",
        "1000",
        "--reasoning",
        "0",
        "--flex-quota",
        "50k",
        "--flex-availability",
        "0.5",
        "--tokens-per-second",
        "50",
        "--duration",
        "10m",
    ]);
    let flex = &answer["candidates"][0];
    assert!(
        flex["first_attempt_429_rate"].as_f64() <= Some(1.0),
        "{flex}"
    );
    // A tier not offered on the type says so; an offered tier without a price is simulated and
    // left unpriced.
    ptuplan()
        .args([
            "simulate", "-m", "gpt-4.1", "-d", "regional", "--rpm", "10", "--tokens", "100",
        ])
        .args(["--priority-quota", "100k"])
        .assert()
        .code(2)
        .stderr(contains(
            "--priority-quota: not offered: the catalog lists no priority processing",
        ));
    let answer = json(&[
        "simulate",
        "-m",
        "gpt-5.6-terra",
        "--rpm",
        "10",
        "--tokens",
        "100",
        "--priority-quota",
        "100k",
        "--duration",
        "5m",
    ]);
    assert!(answer["candidates"][0]["monthly_usd"].is_null());
    assert!(answer["candidates"][0]["served_by_priority"].as_u64() > Some(0));
}

#[test]
fn consumers_share_a_deployment_within_its_capacity() {
    let answer = json(&["plan", "examples/plan-contoso.toml"]);
    // web-chat: 60% of support-chat's 600 RPM = 360 RPM of 1,500 tokens = 540,000 TPM; on
    // PTUs it uses 360 × 2,040 normalized tokens (840 uncached + 300 × 4 output) of 635 PTU ×
    // 3,000 × 85% = 1,619,250 in a region.
    let web = crate::entry(&answer, "consumers", "name", "web-chat").expect("listed");
    assert_eq!(
        (web["rpm"].as_f64(), web["tpm"].as_f64()),
        (Some(360.0), Some(540_000.0))
    );
    assert!(
        (web["share_of_capacity"].as_f64().expect("share") - 734_400.0 / 1_619_250.0).abs() < 1e-9
    );
    let headroom = &answer["consumer_headroom"][0];
    assert_eq!(headroom["capacity"], 1_619_250.0);
    assert_eq!(headroom["limits"], 734_400.0 + 408_000.0);
    // A plan without consumers has neither key.
    let plain = json(&["plan", "examples/plan-business-day.toml"]);
    assert!(plain.get("consumers").is_none() && plain.get("consumer_headroom").is_none());
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("plan.toml");
    let base = "[[workload]]\nname = \"chat\"\nmodel = \"gpt-4.1\"\nrpm = 100\nprompt = 1000\ncompletion = 100\n";
    for (consumers, expected) in [
        (
            "[[consumer]]\nname = \"a\"\nworkload = \"nope\"\nshare = 0.5\n",
            "line 9: consumer 'a': field 'workload': no workload named 'nope'",
        ),
        (
            "[[consumer]]\nname = \"a\"\nworkload = \"chat\"\nshare = 0.5\nrpm = 10\n",
            "give 'share' (of the workload's peak) or 'rpm'",
        ),
        (
            "[[consumer]]\nname = \"a\"\nworkload = \"chat\"\nshare = 1.5\n",
            "field 'share': 1.5 must be above 0",
        ),
        (
            "[[consumer]]\nname = \"a\"\nworkload = \"chat\"\nrpm = 1000000\n",
            "[[consumer]] limits on gpt-4.1 global add up to",
        ),
    ] {
        std::fs::write(&plan, format!("{base}{consumers}")).expect("written");
        ptuplan()
            .arg("plan")
            .arg(&plan)
            .assert()
            .code(2)
            .stderr(contains(expected));
    }
    // The budget caps every consumer's token limit.
    std::fs::write(&plan, format!("{base}[[consumer]]\nname = \"a\"\nworkload = \"chat\"\nshare = 1\n[budget]\nmax_consumer_tpm = 100000\n")).expect("written");
    ptuplan()
        .arg("check")
        .arg(&plan)
        .assert()
        .code(3)
        .stdout(contains("max_consumer_tpm"));
}

/// `cost` for gpt-4.1 at 100 RPM of 1,000 prompt + 500 completion tokens (144M prompt tokens
/// a day), then `extra`.
fn cost_gpt41(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args: Vec<&str> = "cost -m gpt-4.1 --rpm 100 --prompt 1000 --completion 500"
        .split(' ')
        .collect();
    args.extend_from_slice(extra);
    args
}
