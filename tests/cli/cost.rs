//! `ptuplan cost`: money figures checked by hand, profiles, overrides and errors.

use serde_json::Value;

use crate::{json, ptuplan, table};

fn option<'a>(answer: &'a Value, name: &str) -> &'a Value {
    crate::entry(answer, "options", "option", name).unwrap_or_else(|| panic!("{name} in {answer}"))
}

#[test]
fn hand_example_gpt_4_1_flat_100_rpm() {
    // The example: gpt-4.1 global, 100 RPM, 1,000/500 tokens, $2/$8 per 1M, 730 h.
    let answer = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "500",
    ]);
    assert_eq!(option(&answer, "payg")["monthly_usd"], 26_280);
    assert_eq!(option(&answer, "ptu-hourly")["monthly_usd"], 73_000);
    assert_eq!(option(&answer, "ptu-hourly")["ptu"], 100);
    assert_eq!(option(&answer, "ptu-1-month")["monthly_usd"], 26_000);
    assert_eq!(option(&answer, "ptu-1-year")["monthly_usd"], 22_100);
    assert_eq!(answer["recommended"], "ptu-1-year");
    assert_eq!(answer["prices"]["unverified"], true);
    assert!(answer["notes"].to_string().contains("UNVERIFIED"));
    let out = table(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "500",
    ]);
    assert!(
        out.contains("26,280.00") && out.contains("22,100.00") && out.contains("UNVERIFIED"),
        "{out}"
    );
    assert!(
        out.lines().all(|l| l.chars().count() <= 80),
        "wider than 80:\n{out}"
    );
}

#[test]
fn price_overrides_replace_the_catalog() {
    let answer = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "500",
        "--ptu-monthly",
        "240",
        "--price-output",
        "6",
    ]);
    assert_eq!(option(&answer, "ptu-1-month")["monthly_usd"], 24_000); // 100 × $240
    // 4.38e9 × $2 + 2.19e9 × $6 per 1M = $8,760 + $13,140.
    assert_eq!(option(&answer, "payg")["monthly_usd"], 21_900);
    assert_eq!(answer["prices"]["token_price_source"], "S30 + override");
    assert_eq!(answer["prices"]["ptu_price_source"], "S32 + override");
}

#[test]
fn a_low_average_favours_pay_as_you_go() {
    // Peak 600 RPM, average 150: the PTUs for the peak would run at 25%.
    let answer = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--rpm",
        "600",
        "--avg-rpm",
        "150",
        "--prompt",
        "1000",
        "--completion",
        "500",
    ]);
    assert_eq!(answer["recommended"], "payg");
    assert_eq!(option(&answer, "payg")["monthly_usd"], 39_420); // 150 RPM × 43,800 × $0.006
    assert_eq!(option(&answer, "ptu-1-year")["utilization"], 0.25);
    assert_eq!(option(&answer, "hybrid")["monthly_usd"], 39_420);
}

#[test]
fn profile_example_prices_a_hybrid() {
    let answer = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--profile",
        "examples/profile-business-day.csv",
    ]);
    assert_eq!(answer["load"]["kind"], "profile");
    assert_eq!(answer["load"]["span_minutes"], 1440);
    let hybrid = option(&answer, "hybrid")["monthly_usd"]
        .as_f64()
        .expect("number");
    // The hybrid is the cheapest of the options that may be recommended (batch, cheaper,
    // is listed but excluded without --latency deferrable).
    for o in answer["options"].as_array().expect("options") {
        if o["excluded"].is_null() {
            assert!(
                hybrid <= o["monthly_usd"].as_f64().expect("number") + 0.005,
                "{o}"
            );
        }
    }
    assert_eq!(answer["recommended"], "hybrid");
    // The busiest minute sizes the PTU options.
    assert!(answer["ptu_for_peak"].as_u64().expect("ptu") >= 300);
}

#[test]
fn profile_without_tokens_uses_the_flags_shape() {
    // Two minutes of 100 RPM and two idle minutes (one missing): span 4 minutes.
    let path = &crate::scratch(
        "profiles",
        "rpm-only.csv",
        "timestamp,rpm\n2026-11-02T09:00:00Z,100\n2026-11-02T09:01:00Z,100\n2026-11-02T09:03:00Z,0\n",
    );
    let answer = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--profile",
        path,
        "--prompt",
        "1000",
        "--completion",
        "500",
    ]);
    // Half of the month at 100 RPM: $26,280 ÷ 2.
    assert_eq!(option(&answer, "payg")["monthly_usd"], 13_140);
    assert!(
        answer["notes"]
            .to_string()
            .contains("1 of the profile's 4 minutes has no row"),
        "{answer}"
    );
    ptuplan()
        .args(["cost", "-m", "gpt-4.1", "--profile", path])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no prompt/completion columns"));
}

#[test]
fn bad_cost_input() {
    let cases: [(&[&str], &str); 7] = [
        (
            &[
                "cost",
                "-m",
                "gpt-4.1",
                "--prompt",
                "1",
                "--completion",
                "1",
            ],
            "give the peak rate (--rpm or --qps)",
        ),
        (
            &[
                "cost",
                "-m",
                "gpt-4.1",
                "--rpm",
                "100",
                "--avg-rpm",
                "200",
                "--tokens",
                "10",
            ],
            "--avg-rpm",
        ),
        (
            &[
                "cost", "-m", "gpt-4.1", "--rpm", "100", "--tokens", "10", "-d", "regional",
            ],
            "--price-input",
        ),
        (
            &[
                "cost", "-m", "gpt-4.1", "--rpm", "100", "--tokens", "10", "--hours", "800",
            ],
            "at most 744",
        ),
        (
            &["cost", "-m", "gpt-4.1", "--profile", "/nonexistent.csv"],
            "profile '/nonexistent.csv': cannot read it",
        ),
        (
            &[
                "cost",
                "-m",
                "gpt-4.1",
                "--profile",
                "x.csv",
                "--avg-rpm",
                "5",
            ],
            "cannot be used with",
        ),
        (
            &[
                "cost",
                "-m",
                "gpt-5.6-sol",
                "--rpm",
                "10",
                "--tokens",
                "10",
                "--cache-rate",
                "0.5",
            ],
            "--price-cached",
        ),
    ];
    for (args, expected) in cases {
        let output = ptuplan().args(args).output().expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}

#[test]
fn ptu_options_below_the_profile_peak_are_never_recommended() {
    // 100 and 10 requests of 1,000/500 tokens: 300,000 and 30,000 normalized TPM.
    let path = &crate::scratch(
        "profiles",
        "two-minutes.csv",
        "timestamp,rpm,prompt,completion\n2026-11-02T09:00:00Z,100,100000,50000\n2026-11-02T09:01:00Z,10,10000,5000\n",
    );
    // --rpm 10 sizes 15 PTU (45,000 TPM) with the profile's average request (1,000/500):
    // 255,000 of the 330,000 normalized tokens are above it.
    let answer = json(&["cost", "-m", "gpt-4.1", "--profile", path, "--rpm", "10"]);
    let year = option(&answer, "ptu-1-year");
    assert_eq!(year["ptu"], 15);
    assert!(
        (year["throttled_share"].as_f64().expect("number") - 255_000.0 / 330_000.0).abs() < 1e-9
    );
    // Served 30,000 + 45,000 of 2 × 45,000 capacity.
    assert!((year["utilization"].as_f64().expect("number") - 75_000.0 / 90_000.0).abs() < 1e-9);
    assert_ne!(answer["recommended"], "ptu-1-year", "{answer}");
    assert_eq!(option(&answer, "hybrid")["throttled_share"], 0);
}

#[test]
fn absurd_profile_rows_are_rejected_quickly() {
    let path = crate::scratch(
        "profiles",
        "huge.csv",
        "timestamp,rpm\n2026-11-02T10:00:00Z,1e30\n",
    );
    ptuplan()
        .args([
            "cost",
            "-m",
            "gpt-4.1",
            "--profile",
            &path,
            "--prompt",
            "100",
            "--completion",
            "50",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("column 'rpm'"));
    // The largest accepted load prices instantly too (binary search over the PTU grid).
    let path = crate::scratch(
        "profiles",
        "largest.csv",
        "timestamp,rpm\n2026-11-02T10:00:00Z,1e9\n2026-11-02T10:01:00Z,1\n",
    );
    let answer = json(&[
        "cost",
        "-m",
        "gpt-4.1",
        "--profile",
        &path,
        "--prompt",
        "900",
        "--completion",
        "50",
    ]);
    assert_eq!(answer["ptu_for_peak"], 366_666_670);
}

#[test]
fn cached_tokens_without_a_cached_price_name_the_flag_to_give() {
    // gpt-4o has no regional pay-as-you-go prices; the overrides give input and output only.
    ptuplan()
        .args(["cost", "-m", "gpt-4o", "--deployment", "regional"])
        .args(["--rpm", "10", "--prompt", "100", "--completion", "10"])
        .args([
            "--cache-rate",
            "0.5",
            "--price-input",
            "1",
            "--price-output",
            "2",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the catalog has no cached-input price for gpt-4o on regional: give --price-cached",
        ));
}
