//! Integration tests: the `ptuplan` binary as users run it. One test binary, a module per area.

mod action;
mod analyze;
mod capacity;
mod catalog;
mod cost;
mod emit;
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
mod schema;
mod shell;
mod simulate;
mod size;
mod tiers;
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

/// Runs `ptuplan ARGS --json`, asserts success, parses stdout and checks it against the
/// command's JSON Schema (`ptuplan schema COMMAND`).
pub fn json(args: &[&str]) -> Value {
    let output = ptuplan().args(args).arg("--json").output().expect("runs");
    assert!(
        output.status.success(),
        "ptuplan {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    if let Some(command) = args.iter().find(|a| SCHEMA_COMMANDS.contains(a))
        && !args.contains(&"--kql")
    {
        let errors: Vec<String> = validator(command)
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .take(5)
            .collect();
        assert!(
            errors.is_empty(),
            "ptuplan {args:?} --json breaks its schema: {errors:#?}"
        );
    }
    value
}

/// The element of the array `answer[list]` whose `key` is `name`, if any.
pub fn entry<'a>(answer: &'a Value, list: &str, key: &str, name: &str) -> Option<&'a Value> {
    answer[list].as_array()?.iter().find(|e| e[key] == name)
}

/// The commands with a JSON Schema.
pub const SCHEMA_COMMANDS: [&str; 9] = [
    "size", "capacity", "tokens", "analyze", "simulate", "cost", "plan", "check", "models",
];

/// The compiled schema of `command`'s answer, from `ptuplan schema COMMAND` (once per command).
fn validator(command: &str) -> &'static jsonschema::Validator {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, &'static jsonschema::Validator>>> =
        OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .expect("not poisoned");
    cache.entry(command.to_string()).or_insert_with(|| {
        let output = ptuplan().args(["schema", command]).output().expect("runs");
        let schema: Value = serde_json::from_slice(&output.stdout).expect("a JSON schema");
        Box::leak(Box::new(
            jsonschema::validator_for(&schema).expect("a valid schema"),
        ))
    })
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
