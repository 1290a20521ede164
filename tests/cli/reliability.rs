//! Issue 12: hostile input, runaway runs and interrupted writes. Each case runs the binary with
//! a time limit (`timeout`) and, where memory could run away, an address-space limit (`ulimit
//! -v`, in a shell), and checks the exit code and the one-line error.

use std::process::{Command, Stdio};

use crate::{ptuplan, scratch};

const BIN: &str = env!("CARGO_BIN_EXE_ptuplan");

/// Runs `script` in `sh` with at most 20 s and 2 GB of address space; `$P` is the binary.
fn shell(script: &str) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v 2000000; P='{BIN}'; timeout 20 {script}"))
        .env_remove("PTUPLAN_CATALOG")
        .output()
        .expect("sh runs")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn over_budget_plan() -> String {
    scratch(
        "reliability",
        "over.toml",
        "[[workload]]\nname = \"chat\"\nmodel = \"gpt-4.1\"\nrpm = 100\nprompt = 2000\n\
         completion = 400\n\n[budget]\nmax_monthly_usd = 10\n",
    )
}

#[test]
fn a_budget_verdict_is_never_lost_to_a_closed_pipe() {
    let plan = over_budget_plan();
    // The reader goes away before reading anything: exit 3 and the verdict on stderr.
    let mut child = Command::new(BIN)
        .args(["check", &plan])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("waits");
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("budget exceeded"), "{}", stderr(&out));
}

#[test]
fn a_closed_stdout_is_a_failure_not_a_silent_success() {
    let out = shell("\"$P\" models >&-");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("standard output is closed"),
        "{}",
        stderr(&out)
    );
    // A redirect to /dev/null is fine.
    assert_eq!(shell("\"$P\" models > /dev/null").status.code(), Some(0));
}

#[test]
fn endless_or_special_inputs_are_refused_in_bounded_memory_and_time() {
    let plan = scratch(
        "reliability",
        "zero-profile.toml",
        "[[workload]]\nname = \"a\"\nmodel = \"gpt-4.1\"\nprofile = \"/dev/zero\"\n",
    );
    for (script, says) in [
        ("\"$P\" analyze /dev/zero".to_string(), "longer than 1 MiB"),
        (
            "\"$P\" analyze --log-format jsonl /dev/zero".to_string(),
            "longer than 1 MiB",
        ),
        (
            "\"$P\" simulate -m gpt-4.1 --replay /dev/zero --ptu 100".to_string(),
            "longer than 1 MiB",
        ),
        ("\"$P\" plan /dev/zero".to_string(), "not a regular file"),
        ("\"$P\" tokens /dev/zero".to_string(), "not a regular file"),
        (
            "\"$P\" models --catalog /dev/zero".to_string(),
            "not a regular file",
        ),
        (
            "\"$P\" check /dev/null --baseline /dev/zero".to_string(),
            "not a regular file",
        ),
        (
            "\"$P\" cost -m gpt-4.1 --profile /dev/zero".to_string(),
            "not a regular file",
        ),
        (
            format!("\"$P\" plan '{plan}' --allow-outside-paths"),
            "not a regular file",
        ),
        (format!("\"$P\" plan '{plan}'"), "outside the plan's folder"),
        (
            "head -c 30000000 /dev/zero | gzip | \"$P\" analyze -".to_string(),
            "longer than 1 MiB",
        ),
    ] {
        let out = shell(&script);
        let code = out.status.code();
        assert!(
            matches!(code, Some(1 | 2)),
            "{script}: exit {code:?}, {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains(says), "{script}: {}", stderr(&out));
    }
}

#[test]
fn a_fifo_input_is_refused_without_waiting_for_a_writer() {
    // Opening a FIFO with no writer blocks: every whole-file input is refused before opening.
    let fifo = std::path::Path::new(&scratch("fifo", "README", "")).with_file_name("ff");
    let _ = std::fs::remove_file(&fifo);
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    for command in [
        "plan",
        "check",
        "emit arm",
        "tokens",
        "models --catalog",
        "models --prices",
        "cost -m gpt-4.1 --profile",
        "size --rpm 10 --completion 10 --prompt-file",
    ] {
        let out = shell(&format!("\"$P\" {command} '{}'", fifo.display()));
        let code = out.status.code();
        assert!(matches!(code, Some(1 | 2)), "{command}: exit {code:?}");
        assert!(
            stderr(&out).contains("not a regular file"),
            "{command}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn one_log_under_two_names_is_refused_not_counted_twice() {
    let log = scratch(
        "hard-link",
        "log.csv",
        "timestamp,prompt_tokens,completion_tokens\n2026-11-02T09:00:00Z,100,10\n",
    );
    let link = format!("{log}.link.csv");
    let _ = std::fs::remove_file(&link);
    std::fs::hard_link(&log, &link).expect("hard link");
    let as_stdin = || std::fs::File::open(&log).expect("opens");
    for (args, stdin) in [
        ([log.as_str(), link.as_str()], Stdio::null()),
        (["-", log.as_str()], Stdio::from(as_stdin())),
        ([log.as_str(), "-"], Stdio::from(as_stdin())),
    ] {
        let out = Command::new(BIN)
            .arg("analyze")
            .args(args)
            .stdin(stdin)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("is given more than once"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn two_output_flags_naming_one_file_are_refused_before_any_work() {
    // CHART is the file, ALSO another path to it.
    let chart = scratch("two-outputs", "chart.svg", "previous\n");
    let also = chart.replace("chart.svg", "./chart.svg");
    for (args, flags) in [
        (
            "analyze examples/logs/burst.csv --profile-out CHART --plot ALSO",
            ["--plot", "--profile-out"],
        ),
        (
            "simulate -m gpt-4.1 --rpm 60 --prompt 100 --completion 50 --ptu 50 --duration 5m \
             --plot CHART --trace-out CHART",
            ["--plot", "--trace-out"],
        ),
    ] {
        let out = ptuplan()
            .args(
                args.split_whitespace()
                    .map(|arg| arg.replace("CHART", &chart).replace("ALSO", &also)),
            )
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args}: {}", stderr(&out));
        for flag in flags {
            assert!(stderr(&out).contains(flag), "{args}: {}", stderr(&out));
        }
        assert_eq!(std::fs::read_to_string(&chart).expect("kept"), "previous\n");
    }
}

#[test]
fn a_failed_run_clobbers_no_output_file() {
    let profile = scratch("reliability", "keep.csv", "previous\n");
    let out = ptuplan()
        .args([
            "analyze",
            "examples/logs/burst.csv",
            "--profile-out",
            &profile,
        ])
        .args(["--plot", "chart.png"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&profile).expect("kept"),
        "previous\n"
    );
    let trace = scratch("reliability", "trace.csv", "previous\n");
    let out = ptuplan()
        .args([
            "simulate", "-m", "gpt-4.1", "--rpm", "60", "--prompt", "100",
        ])
        .args(["--completion", "10", "--ptu", "100", "--duration", "5m"])
        .args(["--trace-out", &trace, "--plot", "/nonexistent-folder/x.svg"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&trace).expect("kept"), "previous\n");
}

#[test]
fn a_run_killed_mid_write_leaves_the_previous_file() {
    // A day at 20,000 RPM writes a large trace; SIGKILL after half a second leaves the
    // previous file whole (the trace goes to a temporary file renamed only on success).
    let trace = scratch("reliability", "killed.csv", "previous\n");
    let mut child = Command::new(BIN)
        .args([
            "simulate", "-m", "gpt-4.1", "--rpm", "20000", "--prompt", "100",
        ])
        .args(["--completion", "10", "--ptu", "1000", "--duration", "1d"])
        .args(["--trace-out", &trace])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    std::thread::sleep(std::time::Duration::from_millis(500));
    child.kill().expect("kills");
    let _ = child.wait();
    assert_eq!(std::fs::read_to_string(&trace).expect("kept"), "previous\n");
}

#[test]
fn runaway_simulations_are_refused_up_front() {
    for (args, says) in [
        (
            "--retry fixed --retry-delay 0s --ignore-retry-after",
            "at least 1ms",
        ),
        (
            "--retry exponential --retry-delay 0s --retry-cap 0s",
            "at least 1ms",
        ),
        ("--max-retries 10000000", "0..=100"),
        ("--duration 366d --qps 100000", "requests"),
        ("--duration 1d --rpm 10000 --burst 0s+16hx1000", "requests"),
    ] {
        let rate = if args.contains("--qps") || args.contains("--rpm") {
            ""
        } else {
            "--rpm 60"
        };
        let script = format!(
            "\"$P\" simulate -m gpt-4.1 {rate} --prompt 100 --completion 10 --ptu 100 {args}"
        );
        let out = shell(&script);
        assert_eq!(out.status.code(), Some(2), "{script}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{script}: {}", stderr(&out));
    }
    let many: Vec<String> = (0..1000).map(|i| (15 + 5 * i).to_string()).collect();
    let script = format!(
        "\"$P\" simulate -m gpt-4.1 --rpm 1 --prompt 100 --completion 10 --duration 366d \
         --ptu {}",
        many.join(",")
    );
    let out = shell(&script);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("candidate-minutes"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn hostile_names_are_escaped_and_cut_and_garbage_values_refused() {
    let name = format!("\u{1b}[31m{}", "x".repeat(1_000_000));
    let log = scratch(
        "reliability",
        "hostile.csv",
        format!(
            "timestamp,prompt_tokens,completion_tokens,deployment\n\
             2026-11-02T09:00:00Z,100,10,{name}\n"
        ),
    );
    let out = shell(&format!("\"$P\" analyze '{log}'"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains('\u{1b}'), "raw escape printed");
    assert!(stdout.contains("\\u{1b}[31m"));
    assert!(stdout.len() < 20_000, "{} bytes", stdout.len());
    let out = shell(&format!(
        "\"$P\" size --rpm 10 --tokens 10 -m '{}'",
        "y".repeat(100_000)
    ));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).len() < 1100, "{} bytes", stderr(&out).len());
    for args in [
        "size --rpm 100 --tokens 100 --target-utilization 1e-300",
        "size --rpm 1e400 --tokens 10",
        "size --rpm 2B --tokens 10",
    ] {
        let out = shell(&format!("\"$P\" {args}"));
        assert_eq!(out.status.code(), Some(2), "{args}");
        assert_eq!(stderr(&out).lines().count(), 1, "{args}: {}", stderr(&out));
    }
}

#[test]
fn a_log_with_a_million_names_stops_at_the_group_limit() {
    let rows: String = (0..2000)
        .map(|i| format!("2026-11-02T09:00:{:02}Z,10,5,d{i}\n", i % 60))
        .collect();
    let log = scratch(
        "reliability",
        "names.csv",
        format!("timestamp,prompt_tokens,completion_tokens,deployment\n{rows}"),
    );
    let out = shell(&format!("\"$P\" analyze '{log}'"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("more than 1000 distinct"),
        "{}",
        stderr(&out)
    );
    // The same file twice, by two names, is one file.
    let out = ptuplan()
        .args([
            "analyze",
            "examples/logs/burst.csv",
            "./examples/logs/burst.csv",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn findings_of_the_adversarial_pass_stay_fixed() {
    // Each: arguments, and what the one-line error says (exit 2).
    let extra = scratch(
        "reliability",
        "extra.csv",
        "timestamp,prompt_tokens,completion_tokens\n2026-11-02T09:00:00Z,1,200,250\n",
    );
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            "simulate -m gpt-5.1 --tpm-quota 1M --rpm 1e8 --prompt 1 --completion 1 --duration 1m",
            "more than the 2M a run may simulate",
        ),
        (
            "size --rpm 1B --tokens 10 --max-throttle 1e-7",
            "at least 0.01%",
        ),
        (
            "size --rpm 10 --tokens 10 --best-of 1e9",
            "whole number from 1 to 20",
        ),
        (
            "simulate -m gpt-4.1 --rpm 60 --prompt 100 --completion 100 --reasoning 200 \
             --max-tokens 250 --ptu 100",
            "below --completion + --reasoning (300)",
        ),
        (
            "simulate -m gpt-4.1 --rpm 60 --prompt 100 --completion 300 --completion-p95 600 \
             --max-tokens 250 --ptu 100",
            "below --completion (300)",
        ),
        (
            "simulate -m gpt-4.1 --replay examples/logs/burst.csv --max-tokens 0 --ptu 100",
            "at least 1",
        ),
    ]
    .into_iter()
    .map(|(args, says)| (args.split_whitespace().map(String::from).collect(), says))
    .chain(std::iter::once((
        vec!["analyze".to_string(), extra],
        "the row has 4 fields, the header 3",
    )))
    .collect();
    for (args, says) in cases {
        let out = ptuplan().args(&args).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
    // A search for a tiny target over every model at the largest rate stays quick.
    let out = shell(
        "\"$P\" size --rpm 1B --prompt 1 --completion 0 --max-throttle 0.01% --rpm-window 10s",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn findings_of_the_second_pass_stay_fixed() {
    // Output files never replace a device: /dev/null stays a device.
    let out = ptuplan()
        .args([
            "simulate", "-m", "gpt-4.1", "--rpm", "60", "--prompt", "100",
        ])
        .args(["--completion", "50", "--ptu", "50", "--duration", "5m"])
        .args(["--trace-out", "/dev/null"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a file"), "{}", stderr(&out));
    assert!(!std::fs::metadata("/dev/null").expect("exists").is_file());
    // With stdout closed, check's verdict still wins; help is a failure like any answer.
    let plan = over_budget_plan();
    assert_eq!(
        shell(&format!("\"$P\" check '{plan}' >&-")).status.code(),
        Some(3)
    );
    assert_eq!(shell("\"$P\" --help >&-").status.code(), Some(1));
    // A full disk names standard output.
    let out = shell("\"$P\" models > /dev/full");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("standard output"), "{}", stderr(&out));
    // clap's own errors are cut too.
    let out = shell(&format!(
        "\"$P\" size --rpm {} --tokens 10",
        "9".repeat(5000)
    ));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).chars().count() <= 1001,
        "{}",
        stderr(&out).len()
    );
    // One -m sizes every deployment of a log that names no model.
    let log = scratch(
        "reliability",
        "deployments-only.csv",
        "timestamp,prompt_tokens,completion_tokens,deployment\n\
         2026-11-02T09:00:00Z,1000,100,chat-prod\n2026-11-02T09:00:02Z,500,50,batch\n",
    );
    let answer = crate::json(&["analyze", &log, "-m", "gpt-4.1"]);
    for group in answer["groups"].as_array().expect("groups") {
        assert_eq!(group["sizing"]["model"], "gpt-4.1", "{group}");
    }
    // A replay's --max-tokens must allow the log's completions, as analyze's.
    let out = ptuplan()
        .args([
            "simulate",
            "-m",
            "gpt-4.1",
            "--replay",
            "examples/logs/burst.csv",
        ])
        .args(["--max-tokens", "100", "--ptu", "100"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("average 250"), "{}", stderr(&out));
}

#[test]
fn absurd_token_counts_in_a_log_are_refused_with_or_without_a_model() {
    // A row above 10^12 tokens (a minute's most), in CSV and in JSONL.
    let csv = scratch(
        "absurd-tokens",
        "row.csv",
        "timestamp,prompt_tokens,completion_tokens\n2026-11-02T09:00:00Z,1e308,10\n",
    );
    let jsonl = scratch(
        "absurd-tokens",
        "row.jsonl",
        "{\"created\": 1793610000, \"usage\": {\"prompt_tokens\": 99999999999999999999, \"completion_tokens\": 1}}\n",
    );
    for (path, said) in [
        (
            &csv,
            "column 'prompt_tokens': '1e308' is not a token count (a whole number from 0 to 10^12)",
        ),
        (
            &jsonl,
            "field 'usage.prompt_tokens': 1e+20 is not a token count",
        ),
    ] {
        for model in [&[][..], &["-m", "gpt-4.1"][..]] {
            ptuplan()
                .arg("analyze")
                .arg(path)
                .args(model)
                .assert()
                .code(2)
                .stderr(predicates::str::contains(said));
        }
    }
    // Rows within the bound whose busiest 60 s (across a minute boundary) is above it.
    let window = scratch(
        "absurd-tokens",
        "window.csv",
        "timestamp,prompt_tokens,completion_tokens\n\
         2026-11-02T09:00:59Z,600000000000,10\n\
         2026-11-02T09:01:00Z,600000000000,10\n",
    );
    for model in [&[][..], &["-m", "gpt-4.1"][..]] {
        ptuplan()
            .arg("analyze")
            .arg(&window)
            .args(model)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "the logs carry 1.20000000002e12 tokens in the 60 s from 2026-11-02T09:00:59Z, \
                 above the 1e12 tokens a minute ptuplan accepts",
            ));
    }
    // At the bound is accepted: 2 × (499,999,999,990 + 10) = 10^12 tokens in the 60 s.
    let fits = scratch(
        "absurd-tokens",
        "fits.csv",
        "timestamp,prompt_tokens,completion_tokens\n\
         2026-11-02T09:00:59Z,499999999990,10\n\
         2026-11-02T09:01:00Z,499999999990,10\n",
    );
    ptuplan().arg("analyze").arg(&fits).assert().code(0);
}
