//! `simulate`: candidates side by side, validation cases with known answers, replay, errors.

use predicates::str::contains;

use crate::{json, ptuplan, scratch, table};

#[test]
fn load_well_under_capacity_is_never_throttled() {
    // 60 RPM of 1,000 + 100 tokens on gpt-4.1 is 84,000 normalized TPM; 100 PTU hold 300,000.
    let answer = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--rpm",
        "60",
        "--prompt",
        "1000",
        "--completion",
        "100",
        "--ptu",
        "100",
        "--duration",
        "30m",
    ]);
    let c = &answer["candidates"][0];
    assert_eq!(c["first_attempt_throttled"], 0);
    assert_eq!(c["served"], answer["traffic"]["requests"]);
    assert_eq!(c["attempts_per_request"], 1);
    assert_eq!(
        c["served_tokens"]["prompt"],
        answer["traffic"]["prompt_tokens"]
    );
}

#[test]
fn twice_the_capacity_serves_the_capacity() {
    // gpt-4.1, 100 PTU: 300,000 normalized tokens per minute. Requests of 2,000 prompt + 250
    // completion tokens weigh 2,000 + 4 × 250 = 3,000, so 100 per minute fit; 200 RPM are
    // offered for 30 minutes without retries. Served = 30 min × 100 + one bucket (60 s of
    // capacity = 100 requests) admitted while it first fills = 3,100, give or take the last
    // request's timing.
    let answer = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--rpm",
        "200",
        "--prompt",
        "2000",
        "--completion",
        "250",
        "--ptu",
        "100",
        "--duration",
        "30m",
        "--retry",
        "none",
    ]);
    let c = &answer["candidates"][0];
    let served = c["served"].as_u64().expect("served");
    assert!((3_095..=3_102).contains(&served), "served {served}");
    assert_eq!(
        c["throttled_final"].as_u64().expect("count") + served,
        answer["traffic"]["requests"].as_f64().expect("requests") as u64
    );
}

#[test]
fn candidates_side_by_side_and_more_ptu_throttle_less() {
    let args = [
        "simulate",
        "-m",
        "gpt-4.1",
        "--rpm",
        "1200",
        "--prompt",
        "1500",
        "--completion",
        "300",
        "--ptu",
        "600,900,1200",
        "--tpm-quota",
        "3M",
        "--duration",
        "20m",
    ];
    let answer = json(&args);
    let candidates = answer["candidates"].as_array().expect("candidates");
    let labels: Vec<&str> = candidates
        .iter()
        .map(|c| c["label"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(labels, ["600 PTU", "900 PTU", "1,200 PTU", "3M TPM"]);
    let throttled: Vec<u64> = candidates[..3]
        .iter()
        .map(|c| c["first_attempt_throttled"].as_u64().expect("count"))
        .collect();
    assert!(
        throttled[0] > throttled[1] && throttled[1] >= throttled[2],
        "{throttled:?}"
    );
    // gpt-4.1 standard: 1 RPM per 1,000 TPM.
    assert_eq!(candidates[3]["rpm_limit"], 3000);
    let text = table(&args);
    assert!(
        text.contains("600 PTU") && text.contains("3M TPM"),
        "{text}"
    );
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn mean_rpm_is_over_the_simulated_duration() {
    // 300 RPM on a daily pattern peaking at 4x the average: the night is nearly idle, so the
    // first to last request span less than the day (over it, the mean was 395 RPM). Over the
    // simulated day, 432,000 requests are expected: 300 a minute, within 1 % (Poisson).
    let answer = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--rpm",
        "300",
        "--daily-peak",
        "4",
        "--duration",
        "1d",
        "--tokens",
        "100",
        "--tpm-quota",
        "10M",
    ]);
    let traffic = &answer["traffic"];
    assert_eq!(traffic["duration_seconds"], 86_400);
    let mean_rpm = traffic["mean_rpm"].as_f64().expect("mean_rpm");
    assert!((mean_rpm / 300.0 - 1.0).abs() < 0.01, "{mean_rpm}");
    let requests = traffic["requests"].as_f64().expect("requests");
    assert!((mean_rpm - requests / 1440.0).abs() < 1e-6, "{mean_rpm}");
}

#[test]
fn standard_speed_is_noted_as_borrowed_from_the_ptu_target() {
    let notes = |extra: &[&str]| {
        let mut args = vec![
            "simulate",
            "-m",
            "gpt-4.1",
            "--rpm",
            "60",
            "--tokens",
            "100",
            "--duration",
            "10m",
        ];
        args.extend_from_slice(extra);
        json(&args)["notes"].to_string()
    };
    let assumed = "standard deployments have no latency target";
    assert!(notes(&["--tpm-quota", "1M"]).contains(assumed));
    assert!(notes(&["--ptu", "100", "--spillover-quota", "1M"]).contains(assumed));
    assert!(!notes(&["--ptu", "100"]).contains(assumed));
    assert!(!notes(&["--tpm-quota", "1M", "--tokens-per-second", "50"]).contains(assumed));
}

#[test]
fn the_same_seed_gives_the_same_answer() {
    let run = |seed: &str| {
        json(&[
            "simulate",
            "-m",
            "gpt-4o",
            "--rpm",
            "900",
            "--prompt",
            "100",
            "--completion",
            "50",
            "--tpm-quota",
            "200k",
            "--duration",
            "20m",
            "--seed",
            seed,
        ])
    };
    assert_eq!(run("7"), run("7"));
    assert_ne!(run("7")["candidates"], run("8")["candidates"]);
}

#[test]
fn aggressive_retries_raise_attempts_under_overload() {
    let attempts = |retries: &str, delay: &str| {
        let answer = json(&[
            "simulate",
            "-m",
            "gpt-4.1",
            "--rpm",
            "300",
            "--prompt",
            "2000",
            "--completion",
            "250",
            "--ptu",
            "100",
            "--duration",
            "20m",
            "--retry",
            "fixed",
            "--max-retries",
            retries,
            "--retry-delay",
            delay,
            "--ignore-retry-after",
        ]);
        answer["candidates"][0]["attempts_per_request"]
            .as_f64()
            .expect("number")
    };
    let gentle = attempts("1", "10s");
    let aggressive = attempts("5", "100ms");
    assert!(aggressive > gentle + 1.0, "{gentle} vs {aggressive}");
}

#[test]
fn requests_below_the_rpm_limit_are_throttled_by_one_second_windows() {
    // gpt-4o standard: 6 RPM per 1,000 TPM, so 200K TPM grants 1,200 RPM = 20 per second.
    // Poisson traffic at 900 RPM (15 per second) fits per minute (naive 0.83) but exceeds 20
    // in some seconds; 10-second windows (200 per window) smooth that out.
    let run = |window: &str| {
        let answer = json(&[
            "simulate",
            "-m",
            "gpt-4o",
            "--rpm",
            "900",
            "--prompt",
            "100",
            "--completion",
            "50",
            "--max-tokens",
            "50",
            "--tpm-quota",
            "200k",
            "--duration",
            "1h",
            "--retry",
            "none",
            "--rpm-window",
            window,
        ]);
        answer["candidates"][0].clone()
    };
    let one = run("1s");
    assert!(one["naive_peak_to_capacity"].as_f64().expect("number") < 1.0);
    assert!(
        one["first_attempt_429_rate"].as_f64().expect("number") > 0.005,
        "{one}"
    );
    let ten = run("10s");
    assert!(
        ten["first_attempt_throttled"].as_u64() < one["first_attempt_throttled"].as_u64(),
        "{ten}"
    );
}

#[test]
fn spillover_serves_what_the_ptu_refuses_and_is_priced() {
    let answer = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--rpm",
        "200",
        "--prompt",
        "2000",
        "--completion",
        "250",
        "--ptu",
        "100",
        "--spillover-quota",
        "2M",
        "--duration",
        "20m",
    ]);
    let c = &answer["candidates"][0];
    assert_eq!(c["served"], answer["traffic"]["requests"]);
    let share = c["spillover_share"].as_f64().expect("share");
    assert!(share > 0.3 && share < 0.6, "{share}");
    // Spillover at gpt-4.1's global prices: $2 per million input and $8 per million output.
    let tokens = &c["spillover_tokens"];
    let usd = (tokens["prompt"].as_f64().expect("n") * 2.0
        + tokens["completion"].as_f64().expect("n") * 8.0)
        / 1e6;
    assert!((c["spillover_usd"].as_f64().expect("usd") - usd).abs() < 1e-6);
}

#[test]
fn a_log_is_replayed_and_the_trace_written() {
    let trace = scratch("sim", "trace.csv", "");
    let answer = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--replay",
        "examples/logs/deployments.csv",
        "--ptu",
        "100",
        "--trace-out",
        &trace,
    ]);
    assert_eq!(answer["traffic"]["requests"], 302);
    let analyzed = json(&["analyze", "examples/logs/deployments.csv"]);
    assert_eq!(
        answer["traffic"]["prompt_tokens"],
        analyzed["prompt_tokens"]
    );
    let written = std::fs::read_to_string(&trace).expect("trace");
    assert_eq!(written.lines().count(), 303);
    assert!(written.starts_with(
        "timestamp,at_ms,prompt_tokens,cached_tokens,completion_tokens,max_tokens\n\
         2026-11-02T09:00:00.000Z,0.000,"
    ));
    let fast = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--replay",
        "examples/logs/deployments.csv",
        "--ptu",
        "100",
        "--speedup",
        "2",
    ]);
    let span = |a: &serde_json::Value| a["traffic"]["span_seconds"].as_u64().expect("span");
    assert!(
        span(&fast) <= span(&answer) / 2 + 1,
        "{} vs {}",
        span(&fast),
        span(&answer)
    );
}

#[test]
fn a_trace_is_replayed_and_analyzed_as_the_same_requests() {
    let trace = scratch("sim", "roundtrip.csv", "");
    let offered = |answer: &serde_json::Value| {
        let t = &answer["traffic"];
        [
            &t["requests"],
            &t["prompt_tokens"],
            &t["cached_tokens"],
            &t["completion_tokens"],
        ]
        .map(|v| v.as_f64().expect("number"))
    };
    let synthetic = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--rpm",
        "600",
        "--prompt",
        "1000",
        "--completion",
        "200",
        "--cache-rate",
        "0.25",
        "--ptu",
        "100",
        "--duration",
        "10m",
        "--trace-out",
        &trace,
    ]);
    let written = std::fs::read_to_string(&trace).expect("trace");
    assert!(
        written
            .lines()
            .nth(1)
            .expect("a request")
            .starts_with("2026-01-01T00:00:00."),
        "synthetic day 0 is 2026-01-01: {written:.200}"
    );
    let replayed = json(&[
        "simulate", "-m", "gpt-4.1", "--replay", &trace, "--ptu", "100",
    ]);
    assert_eq!(offered(&replayed), offered(&synthetic));
    assert_eq!(replayed["traffic"]["duration_seconds"], 600);
    let analyzed = json(&["analyze", &trace]);
    let [requests, prompt, cached, completion] = offered(&synthetic);
    assert_eq!(analyzed["requests"], requests);
    assert_eq!(analyzed["prompt_tokens"], prompt);
    assert_eq!(analyzed["cached_tokens"], cached);
    assert_eq!(analyzed["completion_tokens"], completion);
    assert_eq!(analyzed["span_minutes"], 10);
}

#[test]
fn bad_simulations_are_refused_with_a_reason() {
    let cases: [(&[&str], &str); 25] = [
        (
            &[
                "--ptu",
                "100",
                "--rpm",
                "60",
                "--tokens",
                "100",
                "--daily-peak",
                "1e308",
            ],
            "--daily-peak = 1e308: must be a ratio from 1 to 24",
        ),
        (
            &["--tpm-quota", "500", "--rpm", "60", "--tokens", "100"],
            "--tpm-quota 500: allows 0.50 requests a minute",
        ),
        (
            &[
                "--ptu",
                "100",
                "--rpm",
                "60",
                "--tokens",
                "100",
                "--tokens-per-second",
                "1e-9",
            ],
            "--tokens-per-second 1e-9: must be from 0.1 to 1,000,000 tokens a second",
        ),
        (
            &[
                "--ptu",
                "100",
                "--rpm",
                "60",
                "--tokens",
                "100",
                "--tokens-per-second",
                "-1",
            ],
            "--tokens-per-second -1: must be from 0.1",
        ),
        (
            &[
                "--ptu",
                "10",
                "--rpm",
                "60",
                "--tokens",
                "100",
                "--duration",
                "-1h",
            ],
            "a duration cannot be negative",
        ),
        (
            &[
                "--ptu",
                "10",
                "--rpm",
                "60",
                "--tokens",
                "100",
                "--retry",
                "exponential",
                "--retry-delay",
                "10s",
                "--retry-cap",
                "1s",
            ],
            "--retry-cap 1 s is below --retry-delay 10 s",
        ),
        (
            &[
                "--ptu",
                "100",
                "--rpm",
                "60",
                "--tokens",
                "100",
                "--retry-cap",
                "20s",
            ],
            "--retry-cap sets the fixed or exponential backoff, not --retry openai-python",
        ),
        (
            &[
                "--ptu",
                "10",
                "--rpm",
                "60",
                "--tokens",
                "100",
                "--retry",
                "none",
                "--max-retries",
                "5",
            ],
            "--max-retries needs retries",
        ),
        (
            &["--ptu", "1500,", "--rpm", "60", "--tokens", "100"],
            "'1500,' has an empty item",
        ),
        (
            &["--tpm-quota", "5M,6M", "--rpm", "60", "--tokens", "100"],
            "repeat it: --tpm-quota 5M --tpm-quota 6M",
        ),
        (
            &["--ptu", "10", "--qps", "1e8", "--tokens", "100"],
            "at most 16.7M",
        ),
        (
            &["--rpm", "60", "--tokens", "100"],
            "name at least one deployment",
        ),
        (
            &[
                "--ptu",
                "100",
                "--rpm",
                "60",
                "--tokens",
                "100",
                "--per-minute",
            ],
            "--per-minute adds a series to the JSON: use it with --json",
        ),
        (&["--ptu", "100", "--tokens", "100"], "give the traffic"),
        (
            &["--ptu", "100", "--rpm", "60", "--prompt", "100"],
            "--prompt needs --completion",
        ),
        (
            &[
                "--tpm-quota",
                "1M",
                "--rpm",
                "60",
                "--tokens",
                "9",
                "--spillover-quota",
                "1M",
            ],
            "--spillover-quota needs --ptu",
        ),
        (
            &[
                "--ptu",
                "100",
                "--rpm",
                "60",
                "--tokens",
                "9",
                "--duration",
                "30",
            ],
            "has no unit",
        ),
        (
            &[
                "--ptu", "100", "--rpm", "60", "--tokens", "9", "--burst", "10m",
            ],
            "START+LENGTHxFACTOR",
        ),
        (
            &[
                "--ptu", "100", "--rpm", "60", "--tokens", "9", "--plot", "a.png",
            ],
            "name the file .svg",
        ),
        (
            &["--ptu", "1,500", "--rpm", "60", "--tokens", "9"],
            "reads as a list (1 and 500) or as 1500",
        ),
        (
            &[
                "--ptu",
                "100",
                "--rpm",
                "60",
                "--tokens",
                "9",
                "--speedup",
                "2",
            ],
            "it needs --replay",
        ),
        (
            &[
                "--ptu",
                "100",
                "--replay",
                "examples/logs/deployments.csv",
                "--speedup",
                "-1",
            ],
            "--speedup -1: must be above 0",
        ),
        (
            &[
                "--ptu",
                "100",
                "--rpm",
                "60",
                "--tokens",
                "9",
                "--duration",
                "0s",
            ],
            "--duration (seconds) = 0",
        ),
        (
            &[
                "--ptu", "100", "--rpm", "60", "--tokens", "9", "--bucket", "0s",
            ],
            "--bucket (seconds) = 0: must be a finite number above 0",
        ),
        (
            &[
                "--ptu",
                "100",
                "--rpm",
                "60",
                "--prompt",
                "100",
                "--prompt-p95",
                "50",
                "--completion",
                "10",
            ],
            "--prompt-p95 = 50: must be at least the mean",
        ),
    ];
    for (args, message) in cases {
        ptuplan()
            .args(["simulate", "-m", "gpt-4.1"])
            .args(args)
            .assert()
            .code(2)
            .stderr(contains(message));
    }
}

#[test]
fn each_candidate_is_priced_for_a_month() {
    // 10 minutes of traffic repeated for 730 hours = 4,380 times. Standard: the served tokens
    // at gpt-4.1's global prices ($2 in, $8 out per million). PTU: 150 PTU at the catalog's
    // 1-year rate (a twelfth of the yearly price) plus any spillover.
    let answer = json(&[
        "simulate",
        "-m",
        "gpt-4.1",
        "--rpm",
        "60",
        "--prompt",
        "1000",
        "--completion",
        "100",
        "--ptu",
        "150",
        "--tpm-quota",
        "1M",
        "--duration",
        "10m",
    ]);
    let repeats = 730.0 * 3600.0 / 600.0;
    let standard = &answer["candidates"][1];
    let requests = standard["served"].as_f64().expect("served");
    let expected = requests * (1000.0 * 2.0 + 100.0 * 8.0) / 1e6 * repeats;
    let monthly = standard["monthly_usd"].as_f64().expect("usd");
    assert!((monthly - expected).abs() < 0.01, "{monthly} vs {expected}");
    let catalog: toml::Table = std::fs::read_to_string("models.toml")
        .expect("catalog")
        .parse()
        .expect("TOML");
    let yearly = catalog["ptu_prices"]["global"]["yearly"]
        .as_float()
        .expect("a yearly PTU price");
    assert_eq!(
        answer["candidates"][0]["monthly_usd"].as_f64(),
        Some(150.0 * yearly / 12.0)
    );
}

#[test]
fn a_short_run_warns_that_the_empty_bucket_hides_overload() {
    // 1,200 RPM of 1,500 + 300 tokens is 3.24M normalized TPM against 2.7M for 900 PTU: over
    // 5 minutes the empty 60 s bucket absorbs it all, over an hour it cannot.
    let notes = |duration: &str| {
        let answer = json(&[
            "simulate",
            "-m",
            "gpt-4.1",
            "--rpm",
            "1200",
            "--prompt",
            "1500",
            "--completion",
            "300",
            "--ptu",
            "900",
            "--duration",
            duration,
        ]);
        let first = answer["candidates"][0]["first_attempt_429_rate"].as_f64();
        let short_run = answer["notes"].as_array().expect("notes").iter().any(|n| {
            n["code"] == "simulation"
                && n["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("short run"))
        });
        (first, short_run)
    };
    let (five_minutes, warned) = notes("5m");
    assert_eq!(five_minutes, Some(0.0));
    assert!(warned, "a 5-minute run gets the note");
    let (hour, warned) = notes("1h");
    assert!(hour.is_some_and(|r| r > 0.1), "an hour throttles: {hour:?}");
    assert!(!warned, "an hour-long run does not");
}

#[test]
fn requests_beyond_the_context_window_get_a_note() {
    // gpt-4.1: 128,000 prompt tokens on provisioned, 32,768 output tokens.
    let context_note = |prompt: &str, completion: &str| {
        let answer = json(&[
            "simulate",
            "-m",
            "gpt-4.1",
            "--rpm",
            "6",
            "--prompt",
            prompt,
            "--completion",
            completion,
            "--ptu",
            "1000",
            "--duration",
            "10m",
        ]);
        answer["notes"]
            .as_array()
            .expect("notes")
            .iter()
            .filter(|n| n["code"] == "context-window")
            .filter_map(|n| n["message"].as_str())
            .find(|n| n.starts_with("context:"))
            .map(str::to_string)
    };
    let note = context_note("200000", "50000").expect("a note");
    assert!(
        note.contains("provisioned prompt of 200,000 tokens exceeds the 128,000-token limit"),
        "{note}"
    );
    assert!(
        note.contains("completion of 50,000 tokens exceeds the 32,768-token limit"),
        "{note}"
    );
    assert_eq!(context_note("100000", "1000"), None);
}
