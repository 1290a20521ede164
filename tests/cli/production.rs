//! Issue 11, "answers that hold in production": bare token counts, one source of truth per
//! input, spillover only where Azure has it, and the standard quota confirmed by `simulate`.

use crate::{json, model_entry, ptuplan, scratch, table};

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_bare_token_count_is_reported_by_every_command_and_refused_with_strict() {
    // gpt-4.1 at 100 RPM: 2,400 tokens as all prompt is 240,000 normalized TPM (80 PTU); as
    // 2,000 + 400 it is 200,000 + 4 × 40,000 = 360,000 (120 PTU). The answer differs, so
    // every command must say which it assumed.
    let cost = json(&["cost", "-m", "gpt-4.1", "--rpm", "100", "--tokens", "2400"]);
    assert_eq!(cost["token_split"], "assumed_all_prompt");
    assert_eq!(cost["ptu_for_peak"], 80);
    assert!(
        cost["notes"]
            .to_string()
            .contains("no prompt/completion split")
    );
    let given = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--rpm",
        "100",
        "--prompt",
        "2000",
        "--completion",
        "400",
    ]);
    assert_eq!(given["token_split"], "given");
    assert_eq!(given["ptu_for_peak"], 120);
    let capacity = json(&["capacity", "--tpm", "1M", "--tokens", "2400"]);
    assert_eq!(capacity["token_split"], "assumed_all_prompt");
    let simulate = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--rpm",
        "60",
        "--tokens",
        "2400",
        "--ptu",
        "100",
        "--duration",
        "10m",
    ]);
    assert_eq!(simulate["token_split"], "assumed_all_prompt");
    assert!(
        simulate["notes"]
            .to_string()
            .contains("no prompt/completion split")
    );
    for args in [
        &["size", "--rpm", "100", "--tokens", "2400", "--strict"][..],
        &[
            "cost", "-m", "gpt-4.1", "--rpm", "100", "--tokens", "2400", "--strict",
        ],
        &[
            "simulate", "-m", "gpt-4.1", "--rpm", "60", "--tokens", "2400", "--ptu", "100",
            "--strict",
        ],
    ] {
        let out = ptuplan().args(args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("--tokens") && stderr.contains("strict"),
            "{stderr}"
        );
    }
}

#[test]
fn check_repeats_an_assumed_split_on_stderr_and_strict_plans_refuse_it() {
    let plan = "[[workload]]\nname = \"chat\"\nmodel = \"gpt-4.1\"\nrpm = 100\ntokens = 2400\n\n\
                [budget]\nmax_monthly_usd = 1000000\n";
    let path = scratch("production", "split.toml", plan);
    let out = ptuplan().args(["check", &path]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: workload 'chat': 'tokens' gives no"),
        "{stderr}"
    );
    let report = json(&["plan", &path]);
    assert_eq!(report["workloads"][0]["token_split"], "assumed_all_prompt");
    let strict = scratch(
        "production",
        "strict.toml",
        format!("strict = true\n{plan}"),
    );
    let out = ptuplan().args(["check", &strict]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Line 6 of the strict plan is `tokens = 2400`.
    assert!(
        stderr.contains("line 6") && stderr.contains("tokens"),
        "{stderr}"
    );
}

#[test]
fn a_profile_with_tokens_and_token_flags_is_an_error_naming_both() {
    let profile = "examples/profile-business-day.csv";
    let out = ptuplan()
        .args([
            "cost",
            "-m",
            "gpt-4.1",
            "--profile",
            profile,
            "--prompt",
            "1000",
        ])
        .args(["--completion", "500"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(profile) && stderr.contains("--prompt and --completion"),
        "{stderr}"
    );
    // A peak rate alone is sized with the profile's average request.
    let report = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--profile",
        profile,
        "--rpm",
        "100",
    ]);
    assert!(report["ptu_for_peak"].as_u64().expect("ptu") > 0);
    assert_eq!(report["token_split"], serde_json::Value::Null);
}

#[test]
fn spillover_is_offered_only_where_azure_has_it() {
    // Learn: "Models from other providers (Azure DeepSeek, Meta Llama) don't currently support
    // spillover" (catalog source S4).
    let llama = json(&[
        "cost",
        "-m",
        "Llama-3.3-70B-Instruct",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "200",
        "--price-input",
        "0.7",
        "--price-output",
        "0.9",
    ]);
    let options: Vec<&str> = llama["options"]
        .as_array()
        .expect("options")
        .iter()
        .filter_map(|o| o["option"].as_str())
        .collect();
    assert!(!options.contains(&"hybrid"), "{options:?}");
    assert!(
        llama["notes"]
            .to_string()
            .contains("does not support spillover")
    );
    let gpt = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "200",
    ]);
    assert!(gpt["options"].to_string().contains("\"hybrid\""));
    let out = ptuplan()
        .args([
            "simulate",
            "-m",
            "DeepSeek-R1",
            "--rpm",
            "60",
            "--prompt",
            "1000",
        ])
        .args([
            "--completion",
            "200",
            "--ptu",
            "100",
            "--spillover-quota",
            "100k",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not support spillover"));
}

#[test]
fn reasoning_models_count_hidden_tokens_as_output() {
    // Issue 11's example: gpt-5.1, 100 RPM × (1,000 + 200 + 800 reasoning) → 900,000
    // normalized TPM → 189.47 → 190 PTU; without --reasoning a note says it is missing.
    let base = [
        "size",
        "-m",
        "gpt-5.1",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "200",
    ];
    let with = json(&[&base[..], &["--reasoning", "800"]].concat());
    let m = model_entry(&with, "gpt-5.1");
    assert_eq!(m["normalized_tpm"], 900_000);
    assert_eq!(m["ptu"], 190);
    assert_eq!(with["output_tpm"], 100_000);
    let without = words(&table(&base));
    assert!(
        without.contains("gpt-5.1 is a reasoning model"),
        "{without}"
    );
    // max_tokens bounds reasoning and visible output together.
    let out = ptuplan()
        .args(base)
        .args(["--reasoning", "800", "--max-tokens", "500"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("completion + reasoning"));
}

#[test]
fn cache_rules_are_applied_as_notes() {
    // Prompt caching needs at least 1,024 prompt tokens (S20).
    let short = words(&table(&[
        "size",
        "-m",
        "gpt-4.1",
        "--rpm",
        "100",
        "--prompt",
        "800",
        "--completion",
        "100",
        "--cache-rate",
        "50%",
    ]));
    assert!(short.contains("at least 1,024 tokens"), "{short}");
    let long = words(&table(&[
        "size",
        "-m",
        "gpt-4.1",
        "--rpm",
        "100",
        "--prompt",
        "2000",
        "--completion",
        "100",
        "--cache-rate",
        "50%",
    ]));
    assert!(!long.contains("at least 1,024 tokens"), "{long}");
}

#[test]
fn simulate_confirms_the_standard_quota_size_recommends() {
    // size's quota for Poisson traffic refuses at most 1% of first attempts; simulate with
    // Poisson arrivals at the same rate against it stays within that (a 2-hour run, no
    // retries so every attempt is a first one), and the even answer does not.
    let base = [
        "-m",
        "gpt-4.1",
        "--rpm",
        "300",
        "--prompt",
        "1000",
        "--completion",
        "200",
    ];
    let sized = json(&[&["size"][..], &base[..]].concat());
    let m = model_entry(&sized, "gpt-4.1");
    let (quota, even) = (
        m["standard_tpm_quota"].as_u64().expect("quota"),
        m["standard_tpm_quota_even"].as_u64().expect("even"),
    );
    let sim = |tpm: u64| {
        let tpm = tpm.to_string();
        let report = json(
            &[
                &["simulate"][..],
                &base[..],
                &["--tpm-quota", &tpm, "--retry", "none", "--duration", "2h"],
            ]
            .concat(),
        );
        report["candidates"][0]["first_attempt_429_rate"]
            .as_f64()
            .expect("share")
    };
    let at_quota = sim(quota);
    assert!(at_quota <= 0.012, "{at_quota} at {quota}");
    let at_even = sim(even);
    assert!(at_even > 0.03, "{at_even} at {even}");
}

#[test]
fn simulate_counts_the_max_tokens_size_counts() {
    // Tokens bind here: 1,200 RPM × (1,500 + max_tokens 800) = 2,760,000 TPM on average, and
    // Poisson(1,200) a minute needs 2,767,000 for ≤ 1% (0.99% expected). Simulating with the
    // same --max-tokens refuses about that; counting the completion (300) instead would refuse
    // nothing at all.
    let base = [
        "-m",
        "gpt-4.1",
        "--rpm",
        "1200",
        "--prompt",
        "1500",
        "--completion",
        "300",
        "--max-tokens",
        "800",
    ];
    let sized = json(&[&["size"][..], &base[..]].concat());
    let quota = model_entry(&sized, "gpt-4.1")["standard_tpm_quota"].to_string();
    assert_eq!(quota, "2767000");
    let report = json(
        &[
            &["simulate"][..],
            &base[..],
            &["--tpm-quota", &quota, "--retry", "none", "--duration", "2h"],
        ]
        .concat(),
    );
    let share = report["candidates"][0]["first_attempt_429_rate"]
        .as_f64()
        .expect("share");
    assert!((0.005..=0.012).contains(&share), "{share}");
}

#[test]
fn the_hybrid_names_the_quota_its_spillover_needs() {
    // 600 RPM peak, 150 average, of 1,000 + 200 tokens on gpt-4.1: the cheapest hybrid has no
    // PTUs, so everything spills, and the spillover deployment needs exactly the standard
    // quota `size` recommends for 600 RPM of that shape.
    let shape = [
        "-m",
        "gpt-4.1",
        "--rpm",
        "600",
        "--prompt",
        "1000",
        "--completion",
        "200",
    ];
    let report = json(&[&["cost"][..], &shape[..], &["--avg-rpm", "150"]].concat());
    let hybrid = report["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["option"] == "hybrid")
        .expect("hybrid")
        .clone();
    assert_eq!(hybrid["ptu"], 0);
    let sized = json(&[&["size"][..], &shape[..]].concat());
    let quota = model_entry(&sized, "gpt-4.1")["standard_tpm_quota"].clone();
    assert_eq!(hybrid["spillover_tpm_quota"], quota);
    assert!(
        report["notes"]
            .to_string()
            .contains("spillover deployment needs")
    );
    // The business-day profile keeps a PTU base and spills its peaks.
    let day = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--profile",
        "examples/profile-business-day.csv",
    ]);
    let hybrid = day["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["option"] == "hybrid")
        .expect("hybrid")
        .clone();
    assert!(hybrid["ptu"].as_u64().expect("ptu") > 0);
    assert!(hybrid["spillover_tpm_quota"].as_u64().expect("quota") > 0);
}

#[test]
fn analyze_refuses_a_max_tokens_below_the_logged_completions() {
    // burst.csv's requests complete 250 to 400 tokens: clients cannot have sent max_tokens 100.
    let out = ptuplan()
        .args([
            "analyze",
            "examples/logs/burst.csv",
            "-m",
            "gpt-4.1",
            "--max-tokens",
            "100",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--max-tokens") && stderr.contains("average 250"),
        "{stderr}"
    );
    let ok = json(&[
        "analyze",
        "examples/logs/burst.csv",
        "-m",
        "gpt-4.1",
        "--max-tokens",
        "400",
    ]);
    assert_eq!(ok["max_tokens"], 400);
}
