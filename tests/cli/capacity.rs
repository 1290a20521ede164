//! `ptuplan capacity`: the inverse of `size`.

use crate::{json, table};

#[test]
fn seed_15m_tpm_at_30k_tokens_is_500_rpm_8_33_qps() {
    let answer = json(&["capacity", "--tpm", "15M", "--tokens", "30000"]);
    assert_eq!(answer["max_rpm"], 500);
    assert!((answer["max_qps"].as_f64().expect("qps") - 8.333_333_333).abs() < 1e-6);
    assert_eq!(answer["binding"], "tpm");
    let out = table(&["capacity", "--tpm", "15,000,000", "--tokens", "30k"]);
    assert!(out.contains("8.33"), "{out}");
    assert!(
        !out.lines().any(|l| l.starts_with("RPM limit")),
        "no model, no RPM limit row:\n{out}"
    );
    assert!(out.contains("was not checked"), "{out}");
}

#[test]
fn small_requests_are_bound_by_rpm() {
    // gpt-4o: 6 RPM per 1,000 TPM → 100,000 TPM allows 600 RPM, though 50-token
    // requests would fit 2,000 RPM.
    let answer = json(&[
        "capacity",
        "--tpm",
        "100k",
        "--prompt",
        "40",
        "--completion",
        "10",
        "-m",
        "gpt-4o",
        "--max-tokens",
        "10",
    ]);
    assert_eq!(answer["rpm_limit"], 600);
    assert_eq!(answer["max_rpm"], 600);
    assert_eq!(answer["max_qps"], 10);
    assert_eq!(answer["binding"], "rpm");
    // Random arrivals at 600 RPM overrun a 10-a-second window often: the rate that keeps
    // first-attempt 429s within 1% lies between 300 RPM (0.44% by hand) and 360 (1.29%).
    let random = answer["max_rpm_random"].as_f64().expect("number");
    assert!((300.0..360.0).contains(&random), "{random}");
}

#[test]
fn ptu_capacity_of_gpt_5_2() {
    // 150 × 3,400 = 510,000 normalized TPM; 100 + 8 × 50 = 500 per request → 1,020 RPM.
    let answer = json(&[
        "capacity",
        "--ptu",
        "150",
        "-m",
        "gpt-5.2",
        "-d",
        "regional",
        "--prompt",
        "100",
        "--completion",
        "50",
    ]);
    assert_eq!(answer["capacity_tpm"], 510_000);
    assert_eq!(answer["counted_tokens_per_request"], 500);
    assert_eq!(answer["max_rpm"], 1020);
    assert_eq!(answer["max_qps"], 17);
    assert_eq!(answer["binding"], "ptu");
    assert_eq!(answer["max_tpm"], 153_000);
    // gpt-5.2 reasons: without --reasoning the capacity is overstated, as size and
    // capacity --tpm say too.
    let codes: Vec<&str> = answer["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["code"].as_str())
        .collect();
    assert!(codes.contains(&"reasoning-tokens-missing"), "{codes:?}");
}

#[test]
fn capacity_checks_the_context_window() {
    let answer = json(&[
        "capacity",
        "--ptu",
        "300",
        "-m",
        "gpt-4.1",
        "--prompt",
        "500000",
        "--completion",
        "50000",
    ]);
    assert_eq!(answer["fits_context"], false);
    assert!(
        answer["notes"].to_string().contains("128,000-token limit"),
        "{answer}"
    );
}

#[test]
fn target_utilization_scales_the_capacity() {
    let answer = json(&[
        "capacity",
        "--ptu",
        "150",
        "-m",
        "gpt-5.2",
        "-d",
        "regional",
        "--prompt",
        "100",
        "--completion",
        "50",
        "--target-utilization",
        "50%",
    ]);
    assert_eq!(answer["max_rpm"], 510);
    let out = crate::table(&[
        "capacity",
        "--ptu",
        "150",
        "-m",
        "gpt-5.2",
        "-d",
        "regional",
        "--prompt",
        "100",
        "--completion",
        "50",
        "--target-utilization",
        "85%",
    ]);
    assert!(out.contains("510,000 x 85% / 500"), "{out}");
    assert!(out.contains("867"), "{out}");
}

#[test]
fn off_grid_ptu_counts_are_flagged() {
    let answer = json(&[
        "capacity", "--ptu", "17", "-m", "gpt-4.1", "--tokens", "1000",
    ]);
    assert!(
        answer["notes"]
            .to_string()
            .contains("not a deployable global size"),
        "{answer}"
    );
}
