//! The GitHub Action's scripts (action/check.sh, action/comment.sh) run as CI runs them: the
//! check with the built binary, the comment with a stand-in for the GitHub CLI that records
//! its calls.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh scratch folder.
fn folder(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("action")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Runs action/check.sh PLAN [BASE] with outputs in `out`; returns the exit code.
fn check(plan: &str, base: Option<&str>, out: &Path) -> Option<i32> {
    let mut cmd = Command::new("bash");
    cmd.arg("action/check.sh")
        .arg(plan)
        .args(base)
        .env("PTUPLAN", env!("CARGO_BIN_EXE_ptuplan"))
        .env("PTUPLAN_AS_OF", crate::AS_OF)
        .env("OUT_DIR", out)
        .env("GITHUB_OUTPUT", out.join("github-output"))
        .env_remove("PTUPLAN_CATALOG");
    cmd.output().expect("bash runs").status.code()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn check_writes_the_comment_and_a_report_and_exits_with_the_verdict() {
    let out = folder("over");
    let code = check(
        "examples/plan-business-day.toml",
        Some("examples/plan-contoso.toml"),
        &out,
    );
    assert_eq!(code, Some(3), "over budget");
    let comment = read(&out.join("ptuplan-comment.md"));
    assert!(comment.contains("❌ over budget"), "{comment}");
    assert!(comment.contains("Against the baseline"), "{comment}");
    let report: serde_json::Value =
        serde_json::from_str(&read(&out.join("ptuplan-report.json"))).expect("a JSON report");
    assert_eq!(report["budget"]["ok"], false);
    let outputs = read(&out.join("github-output"));
    assert!(outputs.contains("exit-code=3"), "{outputs}");
    assert!(outputs.contains("ptuplan-report.json"), "{outputs}");
}

#[test]
fn the_first_pull_request_of_a_plan_has_no_baseline() {
    let out = folder("new");
    let code = check(
        "examples/plan-business-day.toml",
        Some("no/such/base-plan.toml"),
        &out,
    );
    assert_eq!(code, Some(3));
    assert!(read(&out.join("ptuplan-comment.md")).contains("New plan: no baseline"));
}

#[test]
fn an_unreadable_base_plan_is_said_not_taken_for_a_new_plan() {
    let out = folder("bad-base");
    let code = check(
        "examples/plan-business-day.toml",
        Some("examples/broken-plan.toml"),
        &out,
    );
    assert_eq!(code, Some(3));
    let comment = read(&out.join("ptuplan-comment.md"));
    assert!(comment.contains("⚠️ Baseline unavailable"), "{comment}");
    assert!(comment.contains("unknown model"), "{comment}");
    assert!(!comment.contains("New plan"), "{comment}");
}

#[test]
fn a_malformed_plan_leaves_no_report_and_says_why() {
    let out = folder("broken");
    std::fs::write(out.join("ptuplan-report.json"), "stale").expect("writes");
    let code = check("examples/broken-plan.toml", None, &out);
    assert_eq!(code, Some(2));
    assert!(
        !out.join("ptuplan-report.json").exists(),
        "no stale or empty report"
    );
    let comment = read(&out.join("ptuplan-comment.md"));
    assert!(comment.contains("not checked (exit 2)"), "{comment}");
    assert!(comment.contains("unknown model 'gpt-4.l'"), "{comment}");
    assert!(read(&out.join("github-output")).contains("report=\n"));
}

/// A stand-in for `gh` that logs its arguments and lists `existing` as a marked comment.
fn fake_gh(dir: &Path, existing: Option<u64>) -> PathBuf {
    let script = dir.join("gh");
    let listed = existing.map(|id| id.to_string()).unwrap_or_default();
    std::fs::write(
        &script,
        format!(
            "#!/usr/bin/env bash\nprintf '%s\\n' \"$*\" >> '{log}'\n\
             case \"$*\" in *--paginate*) printf '%s' '{listed}';; esac\n",
            log = dir.join("gh.log").display()
        ),
    )
    .expect("writes");
    script
}

fn comment(dir: &Path, gh: &Path) -> std::process::Output {
    std::fs::write(dir.join("comment.md"), "### ptuplan check: plan.toml").expect("writes");
    Command::new("bash")
        .arg("action/comment.sh")
        .arg(dir.join("comment.md"))
        .arg("capacity/plan.toml")
        .env("GH", format!("bash {}", gh.display()))
        .env("GITHUB_REPOSITORY", "acme/platform")
        .env("PR_NUMBER", "17")
        .output()
        .expect("bash runs")
}

#[test]
fn comment_posts_once_then_updates_the_marked_comment() {
    let dir = folder("comment-new");
    let output = comment(&dir, &fake_gh(&dir, None));
    assert!(output.status.success(), "{output:?}");
    let log = read(&dir.join("gh.log"));
    assert!(
        log.contains("-X POST repos/acme/platform/issues/17/comments"),
        "{log}"
    );
    assert!(
        log.contains("body=<!-- ptuplan-cost-check capacity/plan.toml -->"),
        "{log}"
    );
    let dir = folder("comment-update");
    let output = comment(&dir, &fake_gh(&dir, Some(4242)));
    assert!(output.status.success(), "{output:?}");
    let log = read(&dir.join("gh.log"));
    assert!(
        log.contains("-X PATCH repos/acme/platform/issues/comments/4242"),
        "{log}"
    );
    assert!(!log.contains("POST"), "{log}");
}
