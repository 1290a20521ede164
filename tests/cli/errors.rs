//! Bad input: one line on stderr naming the flag, the value and what is allowed; exit 2.
//! Never a panic, also when stdout is closed early.

use std::io::Read;
use std::process::{Command as StdCommand, Stdio};

use crate::ptuplan;

/// Runs with `args`, expects exit 2 and one stderr line containing every `expected` text.
fn rejects(args: &[&str], expected: &[&str]) {
    let output = ptuplan().args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?} printed to stdout");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "{args:?}: not one line: {stderr}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for text in expected {
        assert!(
            stderr.contains(text),
            "{args:?}: missing {text:?} in {stderr}"
        );
    }
}

#[test]
fn bad_numbers() {
    let shape = ["--tokens", "800"];
    for (rpm, why) in [
        ("-5", "must be above 0"),
        ("0", "must be above 0"),
        ("NaN", "not a number"),
        ("inf", "not a number"),
        ("five", "not a number"),
        ("1e30", "at most 1B"),
    ] {
        rejects(
            &[&["size", "--rpm", rpm][..], &shape].concat(),
            &["--rpm", rpm, why],
        );
    }
    rejects(
        &["size", "--rpm", "5", "--tokens", "-1"],
        &["--tokens", "-1", "at least 0"],
    );
    rejects(
        &["size", "--rpm", "5", "--tokens", "1e12"],
        &["--tokens", "1e12"],
    );
    rejects(
        &["size", "--rpm", "1,5", "--tokens", "8"],
        &["--rpm", "1,5", "misplaced separators"],
    );
    rejects(
        &["size", "--rpm", "2m", "--tokens", "8"],
        &["--rpm", "M for million"],
    );
    rejects(
        &["size", "--rpm", "1e9", "--tokens", "1e7"],
        &["rate x tokens per request", "1e16 TPM", "at most 1e12"],
    );
    rejects(
        &["capacity", "--tpm", "0", "--tokens", "5"],
        &["--tpm", "'0'"],
    );
    rejects(
        &["capacity", "--ptu", "-3", "-m", "gpt-4o", "--tokens", "5"],
        &["--ptu", "-3"],
    );
}

#[test]
fn rate_flags() {
    rejects(
        &["size", "--rpm", "5", "--qps", "1", "--tokens", "8"],
        &["--rpm", "--qps", "cannot be used with"],
    );
    rejects(&["size", "--tokens", "8"], &["--rpm", "--qps", "required"]);
}

#[test]
fn token_flags() {
    rejects(
        &["size", "--rpm", "5"],
        &["missing token counts", "--prompt", "--tokens"],
    );
    rejects(
        &["size", "--rpm", "5", "--prompt", "10"],
        &["--prompt was given without --completion"],
    );
    rejects(
        &["size", "--rpm", "5", "--completion", "10"],
        &["--completion was given without --prompt"],
    );
    rejects(
        &["size", "--rpm", "5", "--tokens", "10", "--max-tokens", "0"],
        &["--max-tokens", "at least 1"],
    );
    rejects(
        &["size", "--rpm", "5", "--tokens", "0"],
        &["tokens per request", "at least one"],
    );
    rejects(
        &[
            "size",
            "--rpm",
            "5",
            "--tokens",
            "100",
            "--completion",
            "200",
        ],
        &["--completion", "must not exceed --tokens"],
    );
    rejects(
        &[
            "size",
            "--rpm",
            "5",
            "--tokens",
            "10",
            "--prompt",
            "5",
            "--completion",
            "5",
        ],
        &["--tokens, --prompt and --completion were all given"],
    );
    rejects(
        &[
            "size",
            "--rpm",
            "5",
            "--prompt",
            "10",
            "--completion",
            "20",
            "--max-tokens",
            "10",
        ],
        &["--max-tokens", "'10'", "at least the completion tokens"],
    );
}

#[test]
fn fractions() {
    for value in ["1.5", "150%", "-0.1", "25", "nan", "abc"] {
        rejects(
            &["size", "--rpm", "5", "--tokens", "8", "--cache-rate", value],
            &["--cache-rate", value],
        );
    }
    for value in ["0", "0%", "1.2", "120%"] {
        rejects(
            &[
                "size",
                "--rpm",
                "5",
                "--tokens",
                "8",
                "--target-utilization",
                value,
            ],
            &["--target-utilization", value],
        );
    }
}

#[test]
fn unknown_names() {
    rejects(
        &["size", "--rpm", "5", "--tokens", "8", "-d", "everywhere"],
        &[
            "--deployment",
            "everywhere",
            "global, data-zone or regional",
        ],
    );
    rejects(
        &["size", "--rpm", "5", "--tokens", "8", "-m", "gpt-4.l"],
        &["unknown model 'gpt-4.l'", "did you mean 'gpt-4.1'"],
    );
    rejects(
        &["models", "claude-9"],
        &["unknown model 'claude-9'", "ptuplan models"],
    );
    rejects(
        &[
            "size",
            "--rpm",
            "5",
            "--tokens",
            "8",
            "-m",
            "DeepSeek-R1",
            "-d",
            "regional",
        ],
        &["not offered as regional", "offered: global, data-zone"],
    );
    rejects(
        &["size", "--rpm", "5", "--tokenz", "8"],
        &["--tokenz", "--tokens"],
    );
    rejects(&["capacity", "--ptu", "100", "--tokens", "8"], &["--model"]);
    rejects(&["frobnicate"], &["frobnicate"]);
    rejects(
        &["size", "--rpm", "5", "--tokens", "8", "--format", "yaml"],
        &["--format", "yaml"],
    );
}

#[test]
fn closed_stdout_is_not_an_error() {
    // `ptuplan models --format json | head -c 1`: the reader goes away after one byte.
    let bin = assert_cmd::cargo::cargo_bin("ptuplan");
    for args in [
        &["models", "--format", "json"][..],
        &["size", "--rpm", "500", "--tokens", "800"],
    ] {
        let mut child = StdCommand::new(&bin)
            .args(args)
            .env_remove("PTUPLAN_CATALOG")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        let mut stdout = child.stdout.take().expect("stdout");
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).expect("one byte");
        drop(stdout);
        let output = child.wait_with_output().expect("exits");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{args:?}: {:?} {stderr}",
            output.status
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn help_and_version_succeed_and_document_exit_codes() {
    let output = ptuplan().arg("--help").output().expect("runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(
        help.contains("Exit codes:")
            && help.contains("2  bad input")
            && help.lines().all(|line| line.chars().count() <= 80),
        "{help}"
    );
    ptuplan().arg("--version").assert().success();
    for sub in [
        "size", "capacity", "cost", "plan", "check", "tokens", "analyze", "models",
    ] {
        let out = ptuplan().args([sub, "--help"]).output().expect("runs");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("Examples:"), "{sub} --help has no examples");
        // Help is laid out for 80 columns (clap's max_term_width), examples included.
        for line in help.lines() {
            assert!(line.chars().count() <= 80, "{sub} --help: {line}");
        }
    }
}

#[test]
fn completions_and_man_page() {
    let out = ptuplan()
        .args(["completions", "bash"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("ptuplan"));
    let out = ptuplan().arg("man").output().expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(".TH ptuplan"));
}
