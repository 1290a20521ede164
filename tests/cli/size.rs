//! `ptuplan size`: numbers from the seeds and Microsoft's worked examples, end to end.

use crate::{json, model_entry, table};

#[test]
fn seed_500_rpm_times_800_tokens_is_400k_tpm() {
    let answer = json(&["size", "--rpm", "500", "--tokens", "800"]);
    assert_eq!(answer["tpm"], 400_000);
    assert_eq!(answer["tokens_per_request"], 800);
    assert_eq!(answer["rpm"], 500);
    assert!((answer["qps"].as_f64().expect("qps") - 500.0 / 60.0).abs() < 1e-12);
    assert_eq!(answer["token_split"], "assumed_all_prompt");
    // Every catalog model that offers global provisioned is sized.
    assert!(answer["models"].as_array().expect("array").len() >= 25);
    // gpt-4.1: 400,000 ÷ 3,000 = 133.33 → 135; standard 1 RPM per 1K TPM: 500 RPM needs 500K
    // if requests came evenly. Poisson(8.33) a second exceeds k with expected share 1.08% at
    // k = 13 and 0.54% at k = 14 (by hand from the pmf), so the 1 s window needs 14 a second:
    // 14 × 60 = 840 RPM = 840,000 TPM.
    let gpt41 = model_entry(&answer, "gpt-4.1");
    assert_eq!(gpt41["ptu"], 135);
    assert_eq!(gpt41["standard_tpm_quota_even"], 500_000);
    assert_eq!(gpt41["standard_tpm_quota"], 840_000);
    assert_eq!(gpt41["binding"], "rpm");
    // gpt-4o: 6 RPM per 1K TPM, so tokens bind; with no --max-tokens the service assumes
    // gpt-4o's documented 4,096 (S23): 500 × (800 + 4,096) = 2,448,000 on average.
    let gpt4o = model_entry(&answer, "gpt-4o");
    assert_eq!(gpt4o["standard_tpm_quota_even"], 2_448_000);
    assert_eq!(gpt4o["max_tokens_source"], "model_default");
    assert_eq!(gpt4o["binding"], "tpm");
}

#[test]
fn the_standard_quota_holds_random_arrivals_within_the_target() {
    // Issue 11: gpt-5.1, 300 RPM × 1,200 tokens is 360,000 TPM on average; per-minute counts
    // are Poisson(300), so 360,000 refuses ≈ 2.3% of first attempts. The recommendation is
    // whole 1,000-TPM units, within 1% (or the --max-throttle given), and minimal.
    let base = [
        "size",
        "-m",
        "gpt-5.1",
        "--rpm",
        "300",
        "--prompt",
        "1000",
        "--completion",
        "200",
    ];
    let m = model_entry(&json(&base), "gpt-5.1").clone();
    assert_eq!(m["standard_tpm_quota_even"], 360_000);
    let quota = m["standard_tpm_quota"].as_u64().expect("quota");
    assert!(quota > 360_000 && quota.is_multiple_of(1000), "{quota}");
    assert!(m["standard_expected_throttle"].as_f64().expect("share") <= 0.01);
    let loose = json(&[&base[..], &["--max-throttle", "5%"]].concat());
    let loose = model_entry(&loose, "gpt-5.1")["standard_tpm_quota"]
        .as_u64()
        .expect("quota");
    assert_eq!(loose, 360_000, "5% allows the even answer (2.3% refused)");
    let out = table(&base)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        out.contains("evenly spread requests would need 360,000 TPM"),
        "{out}"
    );
}

#[test]
fn the_table_says_the_split_was_assumed() {
    let out = table(&["size", "--rpm", "500", "--tokens", "800"]);
    assert!(out.contains("400,000 TPM"), "{out}");
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        out.contains("sized as if all 800 tokens were prompt"),
        "{out}"
    );
    assert!(
        out.contains("give the prompt and completion tokens"),
        "{out}"
    );
}

#[test]
fn we1_gpt_5_2_regional_is_150_ptu() {
    let answer = json(&[
        "size",
        "--rpm",
        "1000",
        "--prompt",
        "100",
        "--completion",
        "50",
        "--model",
        "gpt-5.2",
        "--deployment",
        "regional",
    ]);
    let m = model_entry(&answer, "gpt-5.2");
    assert_eq!(m["normalized_tpm"], 500_000);
    assert!((m["ptu_raw"].as_f64().expect("raw") - 147.058_823_529).abs() < 1e-6);
    assert_eq!(m["ptu"], 150);
    assert_eq!(m["deployment"], "regional");
}

#[test]
fn we4_gpt_5_2_data_zone_110_and_80_with_cache() {
    let base = [
        "size",
        "--rpm",
        "1000",
        "--prompt",
        "200",
        "--completion",
        "20",
        "-m",
        "gpt-5.2",
    ];
    let plain = json(&[&base[..], &["-d", "data-zone"]].concat());
    assert_eq!(model_entry(&plain, "gpt-5.2")["ptu"], 110);
    let cached = json(
        &[
            &base[..],
            &["-d", "DataZoneProvisionedManaged", "--cache-rate", "50%"],
        ]
        .concat(),
    );
    let m = model_entry(&cached, "gpt-5.2");
    assert_eq!(m["normalized_tpm"], 260_000);
    assert_eq!(m["ptu"], 80);
    assert_eq!(cached["cache_rate"], 0.5);
}

#[test]
fn single_model_table_shows_each_step() {
    let out = table(&[
        "size",
        "--rpm",
        "1000",
        "--prompt",
        "200",
        "--completion",
        "20",
        "--cache-rate",
        "0.5",
        "--model",
        "gpt-5.2",
        "--deployment",
        "data-zone",
    ]);
    for expected in [
        "200,000 x (1 - 50%) + 8 x 20,000",
        "260,000",
        "260,000 / 3,400 input TPM per PTU",
        "76.47",
        "up to a multiple of 5, at least 15",
        "95.5%",
        "source: S1",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    assert!(
        out.lines().all(|line| line.chars().count() <= 80),
        "wider than 80:\n{out}"
    );
}

#[test]
fn qps_is_converted_to_rpm() {
    let answer = json(&[
        "size",
        "--qps",
        "8.5",
        "--prompt",
        "100",
        "--completion",
        "10",
        "-m",
        "o3",
    ]);
    assert_eq!(answer["rpm"], 510);
}

#[test]
fn target_utilization_adds_headroom_and_keeps_the_100_percent_answer() {
    let answer = json(&[
        "size",
        "--rpm",
        "1000",
        "--prompt",
        "200",
        "--completion",
        "20",
        "-m",
        "gpt-5.2",
        "-d",
        "data-zone",
        "--target-utilization",
        "85%",
    ]);
    let m = model_entry(&answer, "gpt-5.2");
    assert_eq!(m["ptu"], 110);
    assert_eq!(m["ptu_for_target"], 125); // 105.88 ÷ 0.85 = 124.57 → 125
    assert!(m["utilization_for_target"].as_f64().expect("number") <= 0.85);
    // Standard: 220,000 TPM on average; the Poisson answer in whole units, then ÷ 0.85 and
    // rounded up to whole units again.
    assert_eq!(m["standard_tpm_quota_even"], 220_000);
    let quota = m["standard_tpm_quota"].as_u64().expect("quota");
    let for_target = (quota as f64 / 0.85 / 1000.0).ceil() as u64 * 1000;
    assert_eq!(m["standard_tpm_quota_for_target"], for_target);
}

#[test]
fn max_tokens_raises_the_standard_quota_not_the_ptu() {
    let base = [
        "size",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "200",
        "-m",
        "gpt-4.1",
    ];
    let without = json(&base);
    let with = json(&[&base[..], &["--max-tokens", "4000"]].concat());
    let (a, b) = (
        model_entry(&without, "gpt-4.1"),
        model_entry(&with, "gpt-4.1"),
    );
    assert_eq!(a["ptu_raw"], b["ptu_raw"]);
    assert_eq!(a["standard_tpm_quota_even"], 120_000); // 100 × (1,000 + 200)
    assert_eq!(b["standard_tpm_quota_even"], 500_000); // 100 × (1,000 + 4,000)
    assert_eq!(a["max_tokens_source"], "assumed_output");
    assert_eq!(b["max_tokens_source"], "given");
    assert!(b["standard_tpm_quota"].as_u64() > a["standard_tpm_quota"].as_u64());
}

#[test]
fn context_window_is_checked_per_deployment_family() {
    // gpt-4.1: 128K prompt on provisioned, 300K window on standard (S27).
    let answer = json(&[
        "size",
        "--rpm",
        "10",
        "--prompt",
        "150000",
        "--completion",
        "1000",
        "-m",
        "gpt-4.1",
    ]);
    let m = model_entry(&answer, "gpt-4.1");
    assert_eq!(m["fits_context"], false);
    assert_eq!(m["fits_context_standard"], true);
    assert!(
        m["notes"].to_string().contains("128,000-token limit"),
        "{m}"
    );
}

#[test]
fn models_not_offered_are_listed_as_skipped() {
    let answer = json(&["size", "--rpm", "100", "--tokens", "1000", "-d", "regional"]);
    let skipped: Vec<&str> = answer["skipped"]
        .as_array()
        .expect("array")
        .iter()
        .map(|s| s["model"].as_str().expect("name"))
        .collect();
    assert!(skipped.contains(&"DeepSeek-R1"), "{skipped:?}");
    assert!(
        answer["models"]
            .as_array()
            .expect("array")
            .iter()
            .all(|m| m["model"] != "DeepSeek-R1")
    );
}

#[test]
fn comparison_table_fits_80_columns() {
    for args in [
        &["size", "--rpm", "500", "--tokens", "800"][..],
        &[
            "size",
            "--rpm",
            "500",
            "--tokens",
            "800",
            "--target-utilization",
            "85%",
            "-d",
            "regional",
        ],
    ] {
        let out = table(args);
        assert!(out.contains("gpt-4.1"), "{out}");
        for line in out.lines() {
            assert!(
                line.chars().count() <= 80,
                "{} chars: {line}",
                line.chars().count()
            );
        }
    }
}

#[test]
fn sort_by_ptu_and_duplicates_removed() {
    let answer = json(&[
        "size",
        "--rpm",
        "2000",
        "--prompt",
        "1200",
        "--completion",
        "300",
        "--sort",
        "ptu",
        "-m",
        "gpt-4.1",
        "-m",
        "gpt-4.1-nano",
        "-m",
        "gpt-4.1-2025-04-14",
        "-m",
        "gpt-4o-mini",
    ]);
    let order: Vec<&str> = answer["models"]
        .as_array()
        .expect("array")
        .iter()
        .map(|m| m["model"].as_str().expect("name"))
        .collect();
    // 2,000 × (1,200 + 4 × 300) = 4.8M normalized TPM: nano 80.8 → 85, 4o-mini 129.7 → 130,
    // 4.1 1,600.
    assert_eq!(order, ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4.1"]);
}

#[test]
fn aliases_and_case_are_accepted() {
    let answer = json(&[
        "size",
        "--rpm",
        "10",
        "--tokens",
        "100",
        "-m",
        "GPT-4.1-2025-04-14",
    ]);
    assert_eq!(model_entry(&answer, "gpt-4.1")["ptu"], 15);
}

#[test]
fn quota_tier_flags_a_standard_quota_above_the_default() {
    let small = crate::json(&[
        "size",
        "--rpm",
        "50",
        "--prompt",
        "1000",
        "--completion",
        "200",
        "--model",
        "gpt-5.1",
        "--quota-tier",
        "1",
    ]);
    let check = &small["models"][0]["quota_tier"];
    assert_eq!(check["within"], true);
    assert_eq!(
        check["needed_tpm"],
        small["models"][0]["standard_tpm_quota_for_target"]
    );
    let big = crate::json(&[
        "size",
        "--rpm",
        "5000",
        "--prompt",
        "1000",
        "--completion",
        "200",
        "--model",
        "gpt-5.1",
        "--quota-tier",
        "1",
    ]);
    assert_eq!(big["models"][0]["quota_tier"]["within"], false);
    let notes = big["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n["code"] == "quota-tier-exceeded"
            && n["message"]
                .as_str()
                .is_some_and(|n| n.contains("above the default of Tier 1"))),
        "{notes:?}"
    );
    let without = crate::json(&[
        "size", "--rpm", "50", "--tokens", "100", "--model", "gpt-5.1",
    ]);
    assert!(without["models"][0].get("quota_tier").is_none());
}
