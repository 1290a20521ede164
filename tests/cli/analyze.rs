//! `ptuplan analyze`: true sliding-window peaks from request logs, every input form and error.

use std::io::Write;

use predicates::str::contains;

use crate::{json, ptuplan, scratch, table};

/// 30 requests of 100 prompt tokens in 09:00:45..09:00:59 and 30 in 09:01:00..09:01:14: each
/// calendar minute holds 3,000 tokens; the window from 09:00:45 holds 6,000.
fn straddling_csv() -> String {
    let mut text = String::from("time,input_tokens,output_tokens\n");
    for s in 45..75 {
        let (minute, second) = (s / 60, s % 60);
        text.push_str(&format!("2026-11-02 09:{minute:02}:{second:02},100,0\n"));
    }
    text
}

#[test]
fn a_burst_across_a_minute_boundary_is_the_peak() {
    let path = scratch("logs", "burst.csv", straddling_csv());
    let answer = json(&["analyze", &path, "-m", "gpt-4.1"]);
    assert_eq!(answer["requests"], 30);
    assert_eq!(answer["prompt_tokens"], 3000);
    assert_eq!(answer["completion_tokens"], 0);
    assert_eq!(answer["peak_tpm"], 3000);
    assert_eq!(answer["peak_tpm_at"], "2026-11-02T09:00:45Z");
    assert_eq!(
        answer["tpm"]["max"], 1500,
        "calendar minutes split the burst"
    );
    assert_eq!(answer["peak_rpm"], 30);
    assert_eq!(answer["peak_requests_10s"], 10);
    assert_eq!(answer["p99_tpm"], 1500);
    // gpt-4.1: 3,000 TPM ÷ 3,000 per PTU = 1 → the 15 PTU minimum.
    assert_eq!(answer["models"][0]["ptu_for_peak"], 15);
}

#[test]
fn jsonl_gzip_and_stdin_give_the_same_answer() {
    let lines: String = (0..10)
        .map(|i| format!("{{\"created\": {}, \"usage\": {{\"prompt_tokens\": 1000, \"completion_tokens\": 100, \"prompt_tokens_details\": {{\"cached_tokens\": 200}}}}}}\n", 1_793_610_000 + i * 7))
        .collect();
    let plain = scratch("logs", "responses.jsonl", &lines);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(lines.as_bytes()).expect("compress");
    let compressed = scratch("logs", "responses.jsonl.gz", gz.finish().expect("gzip"));
    let a = json(&["analyze", &plain]);
    let b = json(&["analyze", &compressed]);
    assert_eq!(a["cached_tokens"], 2000);
    assert_eq!(
        (a["peak_tpm"].clone(), a["requests"].clone()),
        (b["peak_tpm"].clone(), b["requests"].clone())
    );
    ptuplan()
        .arg("analyze")
        .arg("--json")
        .write_stdin(lines)
        .assert()
        .success()
        .stdout(contains("\"requests\": 10"));
}

#[test]
fn profile_out_feeds_cost() {
    let log = scratch("logs", "for-profile.csv", straddling_csv());
    let profile =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("logs/profile-out.csv");
    let profile = profile.to_str().expect("utf-8");
    ptuplan()
        .args(["analyze", &log, "--profile-out", profile])
        .assert()
        .success();
    let written = std::fs::read_to_string(profile).expect("written");
    assert_eq!(
        written.lines().next(),
        Some("timestamp,rpm,prompt,completion,cached")
    );
    assert_eq!(written.lines().count(), 3);
    let answer = json(&["cost", "-m", "gpt-4.1", "--profile", profile]);
    assert_eq!(answer["load"]["span_minutes"], 2);
    // A log of two deployments makes one curve of both: the answer says so.
    let both = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("logs/both.csv");
    let both = both.to_str().expect("utf-8");
    let answer = json(&[
        "analyze",
        "examples/logs/deployments.csv",
        "--profile-out",
        both,
    ]);
    let summed = answer["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter(|n| n["code"] == "load-profile")
        .filter_map(|n| n["message"].as_str())
        .any(|m| m.contains("sums the log's 2 deployments (summarize, support-chat)"));
    assert!(summed, "{}", answer["notes"]);
}

#[test]
fn candidate_capacity_checks() {
    let log = scratch("logs", "check.csv", straddling_csv());
    // Both minutes hold 15 requests of 100 tokens: 500 tokens over a 1,000 TPM quota in each,
    // a third of each minute's load, so 1,000 tokens and 10 requests above it.
    let answer = json(&["analyze", &log, "--tpm-quota", "1000"]);
    let check = &answer["over_capacity"][0];
    assert_eq!(
        (
            check["minutes_over"].as_u64(),
            check["tokens_over"].as_f64(),
            check["requests_over"].as_f64()
        ),
        (Some(2), Some(1000.0), Some(10.0))
    );
    // With gpt-4.1 (1 RPM per 1,000 TPM) the quota grants 1 RPM, 1 request a second. Each
    // minute's busiest 1 s window holds 1 request, a rate of 60 a minute that needs 60,000 TPM
    // of quota, so 59/60 of each minute is above it: 2 × 15 × 59/60 = 29.5 requests and
    // 2 × 1,500 × 59/60 = 2,950 tokens.
    let answer = json(&["analyze", &log, "-m", "gpt-4.1", "--tpm-quota", "1000"]);
    let check = &answer["over_capacity"][0];
    assert_eq!(
        check["capacity"],
        "1,000 TPM standard quota (1 RPM, 1 request per 1s window)"
    );
    assert_eq!(
        (
            check["tokens_over"].as_f64(),
            check["requests_over"].as_f64()
        ),
        (Some(2950.0), Some(29.5))
    );
    // At 10 s windows the busiest holds 10 requests: 60 a minute again, the same answer.
    let ten = json(&[
        "analyze",
        &log,
        "-m",
        "gpt-4.1",
        "--tpm-quota",
        "1000",
        "--rpm-window",
        "10s",
    ]);
    assert_eq!(ten["over_capacity"][0]["requests_over"], 29.5);
}

#[test]
fn bad_logs() {
    let bad = scratch(
        "logs",
        "bad.csv",
        "timestamp,prompt_tokens,completion_tokens\n2026-11-02T09:00:00Z,1,1\nlater,1,1\n2026-11-02T09:00:01Z,x,1\n",
    );
    ptuplan()
        .args(["analyze", &bad])
        .assert()
        .code(2)
        .stderr(contains("log '").and(contains(
            "line 3: column 'timestamp': 'later' is not a time",
        )));
    let answer = json(&["analyze", &bad, "--skip-invalid"]);
    assert_eq!(
        (answer["rows"].as_u64(), answer["skipped_rows"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(
        answer["first_skipped"],
        serde_json::json!([format!("{bad}:3"), format!("{bad}:4")])
    );
    let no_tokens = scratch(
        "logs",
        "no-tokens.csv",
        "timestamp,x\n2026-11-02T09:00:00Z,1\n",
    );
    ptuplan()
        .args(["analyze", &no_tokens])
        .assert()
        .code(2)
        .stderr(contains("no prompt column"));
    let empty = scratch(
        "logs",
        "empty.csv",
        "timestamp,prompt_tokens,completion_tokens\n",
    );
    ptuplan()
        .args(["analyze", &empty])
        .assert()
        .code(2)
        .stderr(contains("no requests"));
    ptuplan()
        .args(["analyze", &bad, "--ptu", "100"])
        .assert()
        .code(2)
        .stderr(contains("exactly one --model"));
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn azure_monitor_per_minute_export() {
    let export = scratch(
        "logs",
        "metrics.csv",
        "TimeGenerated,MetricName,Total\n\
         2026-11-02T09:00:00Z,AzureOpenAIRequests,120\n\
         2026-11-02T09:00:00Z,ProcessedPromptTokens,150000\n\
         2026-11-02T09:00:00Z,GeneratedTokens,30000\n\
         2026-11-02T09:01:00Z,Azure OpenAI Requests,60\n\
         2026-11-02T09:01:00Z,Processed Prompt Tokens,70000\n\
         2026-11-02T09:01:00Z,Generated Completion Tokens,15000\n\
         2026-11-02T09:01:00Z,TimeToResponse,500\n",
    );
    let answer = json(&["analyze", &export, "-m", "gpt-4.1"]);
    assert_eq!(answer["requests"], 180);
    assert_eq!(answer["peak_tpm"], 180_000);
    assert_eq!(answer["peak_rpm"], 120);
    assert!(
        answer["peak_requests_1s"].is_null(),
        "no sub-minute detail in a metric export"
    );
    // gpt-4.1: 150,000 + 4 × 30,000 = 270,000 normalized TPM ÷ 3,000 = 90 PTU.
    assert_eq!(answer["models"][0]["ptu_for_peak"], 90);
    // No windows to observe: the quota is sized for random arrivals at the busiest minute's
    // 120 requests (2 a second on average; at 1 RPM per 1,000 TPM the even answer, 120,000
    // TPM, admits 2 a second and refuses far more than 1%), above the even 180,000.
    let model = &answer["models"][0];
    assert_eq!(model["standard_quota_basis"], "poisson");
    assert_eq!(model["standard_tpm_quota_even"], 180_000);
    assert!(
        model["standard_tpm_quota"].as_u64() > Some(180_000),
        "{model}"
    );
    assert!(answer["peak_requests_10s_aligned"].is_null());
    assert!(answer["notes"].to_string().contains("per-minute input"));
}

#[test]
fn azure_openai_benchmark_output() {
    // One line per second with rolling 60-second rpm and tpm; the last line of each minute
    // stands for it: 09:00 → 30 RPM, 40,000 + 3,000; 09:01 → 50 RPM, 70,000 + 5,000.
    let mut lines = String::new();
    for (second, rpm, context, generated) in [
        (58, 20, 30000, 2000),
        (59, 30, 40000, 3000),
        (60, 31, 41000, 3100),
        (119, 50, 70000, 5000),
    ] {
        lines.push_str(&format!(
            "{{\"run_seconds\": {second}, \"timestamp\": \"2026-11-02 09:{:02}:{:02}\", \"rpm\": {rpm}, \"requests\": 9, \"tpm\": {{\"context\": {context}, \"gen\": {generated}, \"total\": {}}}}}\n",
            second / 60,
            second % 60,
            context + generated
        ));
    }
    let path = scratch("logs", "benchmark.jsonl", lines);
    let answer = json(&["analyze", &path]);
    assert_eq!(answer["requests"], 80);
    assert_eq!(answer["peak_tpm"], 75_000);
    assert_eq!(answer["span_minutes"], 2);
    assert!(answer["peak_requests_10s"].is_null());
}

#[test]
fn plot_draws_load_and_capacity() {
    let log = scratch("logs", "plot.csv", straddling_csv());
    let svg = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("logs/plot.svg");
    let svg = svg.to_str().expect("utf-8");
    ptuplan()
        .args(["analyze", &log, "-m", "gpt-4.1", "--plot", svg])
        .assert()
        .success();
    let text = std::fs::read_to_string(svg).expect("written");
    assert!(text.starts_with("<svg"), "{}", &text[..40.min(text.len())]);
    for label in [
        "tokens per calendar minute",
        "gpt-4.1 normalized TPM (calendar minutes)",
        "15 PTU capacity (normalized TPM), sized for the busiest sliding 60 s",
        "PTUs sized for the sliding 60 s peak",
        "standard quota",
    ] {
        assert!(text.contains(label), "missing {label}");
    }
}

#[test]
fn kql_query_for_the_export() {
    ptuplan()
        .args(["analyze", "--kql"])
        .assert()
        .success()
        .stdout(
            contains("AzureMetrics")
                .and(contains("bin(TimeGenerated, 1m)"))
                .and(contains("ProcessedPromptTokens")),
        );
}

#[test]
fn kql_apim_query_exports_per_second_rows() {
    ptuplan()
        .args(["analyze", "--kql", "apim"])
        .assert()
        .success()
        .stdout(
            contains("ApiManagementGatewayLlmLog")
                .and(contains("bin(TimeGenerated, 1s)"))
                .and(contains("requests = count()"))
                .and(contains("deployment = DeploymentName")),
        );
    ptuplan()
        .args(["analyze", "--kql", "kusto"])
        .assert()
        .code(2)
        .stderr(contains("--kql"));
}

/// A deterministic request log over an hour (two deployments, 0 to 6 requests a second) and
/// the same traffic as a per-second export: one row per second and deployment with a count.
fn request_log_and_export() -> (String, String) {
    let mut requests = String::from("timestamp,deployment,prompt_tokens,completion_tokens\n");
    let mut export =
        String::from("timestamp,deployment,requests,prompt_tokens,completion_tokens\n");
    let mut state = 7u64;
    let mut next = |modulo: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) % modulo
    };
    for second in 0..3600u64 {
        let stamp = format!(
            "2026-11-02T{:02}:{:02}:{:02}Z",
            9 + second / 3600,
            second / 60 % 60,
            second % 60
        );
        for deployment in ["chat", "search"] {
            let count = next(7);
            let (mut prompt, mut completion) = (0, 0);
            for _ in 0..count {
                let (p, c) = (100 + next(1900), 10 + next(490));
                prompt += p;
                completion += c;
                requests.push_str(&format!("{stamp},{deployment},{p},{c}\n"));
            }
            if count > 0 {
                export.push_str(&format!(
                    "{stamp},{deployment},{count},{prompt},{completion}\n"
                ));
            }
        }
    }
    (requests, export)
}

#[test]
fn a_per_second_export_reads_as_the_requests_it_counts() {
    let (requests, export) = request_log_and_export();
    let requests = scratch("logs", "per-request.csv", requests);
    let export = scratch("logs", "per-second.csv", export);
    let strip = |mut answer: serde_json::Value| {
        let object = answer.as_object_mut().expect("object");
        object.remove("rows");
        object.remove("notes");
        answer
    };
    let one = json(&["analyze", &requests, "-m", "gpt-5.1"]);
    let counted = json(&["analyze", &export, "-m", "gpt-5.1"]);
    assert!(counted["rows"].as_u64() < one["rows"].as_u64());
    assert!(counted["notes"].as_array().expect("notes").iter().any(|n| {
        n["message"]
            .as_str()
            .is_some_and(|m| m.contains("'requests'"))
    }));
    assert_eq!(strip(one), strip(counted));
    // simulate replays the export as it replays the requests.
    let replay = |log: &str| {
        let answer = json(&[
            "simulate",
            "-m",
            "gpt-5.1",
            "--replay",
            log,
            "--ptu",
            "30",
            "--tpm-quota",
            "1M",
        ]);
        answer["candidates"].clone()
    };
    assert_eq!(replay(&requests), replay(&export));
}

#[test]
fn a_per_second_export_of_millions_of_seconds_streams() {
    // 2,000,000 seconds (23 days) of one deployment, 1 to 5 requests a second in turn: every
    // 60 s window holds 12 turns, 180 requests, 18,000 prompt and 1,800 completion tokens.
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("logs");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("two-million-seconds.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("created"));
    writeln!(
        file,
        "timestamp,deployment,requests,prompt_tokens,completion_tokens"
    )
    .expect("w");
    let start = 1_767_225_600u64; // 2026-01-01T00:00:00Z
    for second in 0..2_000_000u64 {
        let n = 1 + second % 5;
        writeln!(file, "{},chat,{n},{},{}", start + second, 100 * n, 10 * n).expect("w");
    }
    file.flush().expect("flushed");
    drop(file);
    let answer = json(&["analyze", path.to_str().expect("utf-8"), "-m", "gpt-5.1"]);
    assert_eq!(answer["rows"], 2_000_000);
    assert_eq!(answer["requests"], 6_000_000);
    assert_eq!(answer["peak_rpm"], 180);
    assert_eq!(answer["peak_tpm"], 19_800);
    assert_eq!(answer["peak_requests_1s"], 5);
    assert_eq!(answer["span_minutes"], 33_334);
    std::fs::remove_file(&path).expect("removed");
}

#[test]
fn request_counts_must_be_whole_and_positive() {
    let path = scratch(
        "logs",
        "zero-count.csv",
        "timestamp,requests,prompt_tokens,completion_tokens\n2026-11-02T09:00:00Z,0,10,1\n",
    );
    ptuplan()
        .args(["analyze", &path, "-m", "gpt-5.1"])
        .assert()
        .code(2)
        .stderr(contains("column 'requests': '0' is not a request count"));
    let path = scratch(
        "logs",
        "no-count.csv",
        "timestamp,prompt_tokens,completion_tokens\n2026-11-02T09:00:00Z,10,1\n",
    );
    ptuplan()
        .args(["analyze", &path, "-m", "gpt-5.1", "--requests-column", "n"])
        .assert()
        .code(2)
        .stderr(contains("no requests column 'n' (--requests-column)"));
}

#[test]
fn a_large_file_read_in_halves_matches_one_pass() {
    // Over 1 MiB, so the file is read as two halves on two threads; stdin is read in one pass.
    let mut text = String::from("timestamp,prompt_tokens,completion_tokens,cached_tokens,model\n");
    for i in 0..40_000u32 {
        let second = i / 7;
        text.push_str(&format!(
            "2026-11-02T{:02}:{:02}:{:02}.{:03}Z,{},{},{},{}\n",
            second / 3600,
            second / 60 % 60,
            second % 60,
            i % 1000,
            100 + i % 900,
            10 + i % 90,
            i % 50,
            ["gpt-4.1", "gpt-4o"][(i % 2) as usize]
        ));
    }
    assert!(text.len() > 1 << 20);
    let path = scratch("logs", "large.csv", &text);
    let halves = json(&["analyze", &path, "-m", "gpt-4.1"]);
    let output = ptuplan()
        .args(["analyze", "--log-format", "csv", "-m", "gpt-4.1", "--json"])
        .write_stdin(text)
        .output()
        .expect("runs");
    let one_pass: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(halves, one_pass);
    assert_eq!(halves["requests"], 40_000);
    assert_eq!(halves["groups"][1]["traffic"]["requests"], 20_000);
}

#[test]
fn traffic_is_also_sized_per_deployment_named_in_the_log() {
    // "chat" (gpt-4.1 with a dated version): 60 requests of 10,000 prompt + 500 completion
    // tokens in one minute. By hand: normalized 60 × (10,000 + 4 × 500) = 720,000 TPM ÷ 3,000
    // per PTU = 240 PTU (global: minimum 15, increment 5); standard quota 60 × 10,500 =
    // 630,000 TPM, tokens bind (60 RPM needs only 10,000 TPM at 6 RPM per 1,000).
    // "legacy" names a model not in the catalog: counted, not sized.
    let mut text = String::from("timestamp,deployment,model,prompt_tokens,completion_tokens\n");
    for i in 0..60 {
        text.push_str(&format!(
            "2026-11-02T09:00:{i:02}Z,chat,gpt-4.1-2025-04-14,10000,500\n"
        ));
    }
    text.push_str("2026-11-02T09:00:30Z,legacy,gpt-35-turbo,100,10\n");
    let path = scratch("logs", "grouped.csv", &text);
    let answer = json(&["analyze", &path]);
    assert_eq!(answer["group_column"], "deployment");
    assert_eq!(answer["requests"], 61);
    let chat = &answer["groups"][0];
    assert_eq!(chat["name"], "chat");
    assert_eq!(chat["traffic"]["peak_tpm"], 630_000);
    assert_eq!(chat["sizing"]["model"], "gpt-4.1");
    assert_eq!(chat["sizing"]["ptu_for_peak"], 240);
    assert_eq!(chat["sizing"]["standard_tpm_quota"], 630_000);
    assert_eq!(chat["sizing"]["binding"], "tpm");
    let legacy = &answer["groups"][1];
    assert_eq!(
        (
            &legacy["name"],
            &legacy["traffic"]["requests"],
            &legacy["sizing"]
        ),
        (&"legacy".into(), &1.into(), &serde_json::Value::Null)
    );
    let table = table(&["analyze", &path]);
    assert!(table.contains("chat (gpt-4.1)"), "{table}");
    assert!(
        table.contains("legacy: model 'gpt-35-turbo' is not in the catalog"),
        "{table}"
    );
}

#[test]
fn mistaken_inputs_are_refused_with_a_reason() {
    let cases: [(&str, &str, &[&str], &str); 5] = [
        ("empty.csv", "", &[], "the file is empty"),
        // A stray 0 would otherwise stretch the span from 1970 to 2026.
        (
            "zero.csv",
            "timestamp,prompt_tokens,completion_tokens\n0,1,1\n2026-11-02T09:00:00Z,1,1\n",
            &[],
            "line 2: column 'timestamp': '0' is not a time",
        ),
        (
            "short.csv",
            "timestamp,prompt_tokens,completion_tokens\n2026-11-02T09:00:00Z,1\n",
            &[],
            "line 2: the row has 2 fields, the header 3",
        ),
        (
            "allbad.csv",
            "timestamp,prompt_tokens,completion_tokens\nsoon,1,1\n",
            &["--skip-invalid"],
            "all 1 rows were skipped as invalid",
        ),
        (
            "plot.csv",
            "timestamp,prompt_tokens,completion_tokens\n2026-11-02T09:00:00Z,1,1\n",
            &["--plot", "chart.png"],
            "the chart is SVG; name the file .svg",
        ),
    ];
    for (name, text, flags, message) in cases {
        let path = scratch("refused", name, text);
        ptuplan()
            .arg("analyze")
            .arg(&path)
            .args(flags)
            .assert()
            .code(2)
            .stderr(contains(message));
    }
    let log = scratch(
        "refused",
        "twice.csv",
        "timestamp,prompt_tokens,completion_tokens\n2026-11-02T09:00:00Z,1,1\n",
    );
    ptuplan()
        .args(["analyze", &log, &log])
        .assert()
        .code(2)
        .stderr(contains("is given more than once"));
    // Microseconds next to seconds: the same second.
    let mixed = scratch(
        "refused",
        "micro.csv",
        "timestamp,prompt_tokens,completion_tokens\n1793610000250000,1,1\n1793610000,1,1\n",
    );
    let answer = json(&["analyze", &mixed]);
    assert_eq!(answer["peak_requests_1s"], 2);
}

#[test]
fn target_utilization_adds_headroom() {
    // burst.csv on gpt-4.1: busiest 60 s = 354,840 normalized TPM and 327,750 TPM. At 80%:
    // 354,840 ÷ 0.8 ÷ 3,000 = 147.9 → 150 PTU (global increment 5, against 120 at 100%). The
    // standard quota: the busiest second holds 4 requests, ÷ 0.8 = 5 a second, at 1 RPM per
    // 1,000 TPM 300,000 TPM (above the busiest calendar minute's 174,750 admission tokens
    // ÷ 0.8 = 218,438); the even answer is 327,750 ÷ 0.8 = 409,687.5 → 409,688 TPM.
    let full = json(&["analyze", "examples/logs/burst.csv", "-m", "gpt-4.1"]);
    let headroom = json(&[
        "analyze",
        "examples/logs/burst.csv",
        "-m",
        "gpt-4.1",
        "--target-utilization",
        "80%",
    ]);
    assert_eq!(full["models"][0]["peak_normalized_tpm"], 354_840);
    assert_eq!(full["models"][0]["ptu_for_peak"], 120);
    assert_eq!(headroom["models"][0]["ptu_for_peak"], 150);
    assert_eq!(headroom["models"][0]["standard_tpm_quota"], 300_000);
    assert_eq!(headroom["models"][0]["binding"], "rpm");
    assert_eq!(headroom["models"][0]["standard_tpm_quota_even"], 409_688);
    assert_eq!(headroom["models"][0]["target_utilization"], 0.8);
}

#[test]
fn period_states_what_the_log_stands_for_before_monthly_scaling() {
    let monthly = |extra: &[&str]| {
        let mut args = vec!["analyze", "examples/logs/burst.csv", "-m", "gpt-4.1"];
        args.extend_from_slice(extra);
        json(&args)
    };
    // Five minutes of log, no --period: scaled as if representative, and a note says so.
    let plain = monthly(&[]);
    assert_eq!(plain["period_minutes"], 5);
    assert!(
        plain["notes"]
            .to_string()
            .contains("as if they were representative of the whole month"),
        "{}",
        plain["notes"]
    );
    // All of a day's traffic: far less a month than the 5-minute rate repeated. Pay-as-you-go
    // scales linearly: a log standing for 2 days costs half a month of one standing for 1.
    let usd = |answer: &serde_json::Value| {
        answer["models"][0]["hybrid_monthly_usd"]
            .as_f64()
            .expect("priced")
    };
    let day = monthly(&["--period", "1d"]);
    assert_eq!(day["period_minutes"], 1440);
    assert!(
        usd(&day) < usd(&plain) / 100.0,
        "{} vs {}",
        usd(&day),
        usd(&plain)
    );
    assert_eq!(day["models"][0]["hybrid_ptu"], 0, "all pay-as-you-go");
    let two_days = monthly(&["--period", "2d"]);
    assert!((usd(&day) / usd(&two_days) - 2.0).abs() < 0.01);
    assert!(
        day["notes"]
            .to_string()
            .contains("stand for 1 day (--period)")
    );
    // A period shorter than the log, or not whole minutes: refused, naming the flag.
    for (period, message) in [
        ("1m", "--period 1 minute: the logs span 5 minutes"),
        ("30s", "--period"),
    ] {
        ptuplan()
            .args(["analyze", "examples/logs/burst.csv", "--period", period])
            .assert()
            .code(2)
            .stderr(contains(message));
    }
}

/// `simulate --replay` of `log` against a standard quota of `quota` TPM: first attempts refused.
fn replay_refusals(log: &str, model: &str, quota: u64, extra: &[&str]) -> u64 {
    let quota = quota.to_string();
    let mut args = vec![
        "simulate",
        "-m",
        model,
        "--replay",
        log,
        "--tpm-quota",
        &quota,
        "--retry",
        "none",
    ];
    args.extend_from_slice(extra);
    json(&args)["candidates"][0]["first_attempt_throttled"]
        .as_u64()
        .expect("a count")
}

#[test]
fn replaying_the_log_against_the_recommended_quota_refuses_nothing() {
    // Issue 11. burst.csv on gpt-4.1 (1 RPM per 1,000 TPM, units of 1,000 TPM): the busiest
    // second holds 4 requests, 4 × 60 ÷ 1 × 1,000 = 240,000 TPM; the busiest epoch-aligned
    // 10 s holds 33, 33 × 6 × 1,000 = 198,000 TPM; both above the busiest calendar minute's
    // 174,750 prompt + completion tokens, so the window binds. One unit less admits 3 a second
    // (3.98 rounded down) or 197 per 10 s, and the replay is refused.
    let log = "examples/logs/burst.csv";
    for (window, expected) in [("1s", 240_000), ("10s", 198_000)] {
        let answer = json(&["analyze", log, "-m", "gpt-4.1", "--rpm-window", window]);
        let model = &answer["models"][0];
        assert_eq!(model["standard_tpm_quota"], expected, "{window}");
        assert_eq!(model["binding"], "rpm");
        assert_eq!(model["standard_quota_basis"], "observed");
        assert_eq!(model["standard_tpm_quota_even"], 327_750);
        let at = ["--rpm-window", window];
        assert_eq!(
            replay_refusals(log, "gpt-4.1", expected, &at),
            0,
            "{window}"
        );
        assert!(
            replay_refusals(log, "gpt-4.1", expected - 1000, &at) > 0,
            "{window}"
        );
    }
    // gpt-4o (6 RPM per 1,000 TPM): the tokens bind. With --max-tokens 1000 the busiest
    // minute counts 60 requests' prompt (174,750 − completions) + 60 × 1,000; the replay
    // sends the same max_tokens and is admitted whole.
    let answer = json(&["analyze", log, "-m", "gpt-4o", "--max-tokens", "1000"]);
    let model = &answer["models"][0];
    assert_eq!(model["binding"], "tpm");
    assert_eq!(answer["max_tokens"], 1000);
    let quota = model["standard_tpm_quota"].as_u64().expect("quota");
    assert_eq!(
        quota,
        answer["peak_admission_tpm"]
            .as_u64()
            .expect("peak")
            .div_ceil(1000)
            * 1000
    );
    assert_eq!(
        replay_refusals(log, "gpt-4o", quota, &["--max-tokens", "1000"]),
        0
    );
}

#[test]
fn a_deployment_busy_for_part_of_the_log_is_priced_over_the_log_span() {
    // 'steady' sends 10 requests a minute for the log's 60 minutes; 'brief' the same 10 a
    // minute in its first minute only. Scaled to a month over the log's span, brief's bill is
    // a sixtieth of steady's, and the groups add up to the whole log's.
    let mut rows = vec!["timestamp,deployment,model,prompt_tokens,completion_tokens".to_string()];
    for minute in 0..60 {
        for k in 0..10 {
            rows.push(format!(
                "2026-11-02T09:{minute:02}:{:02}Z,steady,gpt-4.1,1000,100",
                k * 5
            ));
            if minute == 0 {
                rows.push(format!(
                    "2026-11-02T09:00:{:02}Z,brief,gpt-4.1,1000,100",
                    k * 5 + 1
                ));
            }
        }
    }
    let path = scratch("analyze-span", "groups.csv", rows.join("\n") + "\n");
    let answer = json(&["analyze", &path, "-m", "gpt-4.1"]);
    let monthly = |name: &str| {
        answer["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["name"] == name)
            .expect("group")["sizing"]["hybrid_monthly_usd"]
            .as_f64()
            .expect("a number")
    };
    let (steady, brief) = (monthly("steady"), monthly("brief"));
    assert!((brief * 60.0 - steady).abs() < 0.01, "{brief} vs {steady}");
    let whole = answer["models"][0]["hybrid_monthly_usd"]
        .as_f64()
        .expect("a number");
    assert!(
        (steady + brief - whole).abs() < 0.01,
        "{steady} + {brief} vs {whole}"
    );
}
