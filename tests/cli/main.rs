//! Integration tests: the `ptuplan` binary as users run it. One test binary, a module per area.

mod action;
mod analyze;
mod capacity;
mod catalog;
mod cost;
mod errors;
mod fuzz;
mod json_contract;
mod markdown;
mod models;
mod plan;
mod prices;
mod production;
mod readme;
mod reliability;
mod shell;
mod simulate;
mod size;
mod tokens;

use assert_cmd::Command;
use serde_json::Value;

/// The day the tests judge model lifecycles on, so that their output does not change with the
/// calendar.
pub const AS_OF: &str = "2026-12-03";

/// `ptuplan` with a clean environment (no PTUPLAN_CATALOG from the caller) and lifecycles
/// judged on [`AS_OF`].
pub fn ptuplan() -> Command {
    let mut cmd = Command::cargo_bin("ptuplan").expect("binary built");
    cmd.env_remove("PTUPLAN_CATALOG");
    cmd.env("PTUPLAN_AS_OF", AS_OF);
    cmd
}

/// Runs `ptuplan ARGS --json`, asserts success and parses stdout.
pub fn json(args: &[&str]) -> Value {
    let output = ptuplan().args(args).arg("--json").output().expect("runs");
    assert!(
        output.status.success(),
        "ptuplan {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// Runs `ptuplan ARGS`, asserts success and returns stdout.
pub fn table(args: &[&str]) -> String {
    let output = ptuplan().args(args).output().expect("runs");
    assert!(
        output.status.success(),
        "ptuplan {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Writes `contents` to `folder/name` under cargo's per-target scratch directory (target/tmp)
/// and returns the path.
pub fn scratch(folder: &str, name: &str, contents: impl AsRef<[u8]>) -> String {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write scratch file");
    path.to_str().expect("UTF-8 path").to_string()
}

/// The entry for `model` in a `size --json` answer.
pub fn model_entry<'a>(answer: &'a Value, model: &str) -> &'a Value {
    answer["models"]
        .as_array()
        .expect("models array")
        .iter()
        .find(|m| m["model"] == model)
        .unwrap_or_else(|| panic!("{model} in {answer}"))
}
