//! Catalog selection (`--catalog`, `PTUPLAN_CATALOG`) and catalog errors.

use predicates::str::contains;

use crate::ptuplan;

const SMALL: &str = r#"
schema_version = 1
as_of = "2026-01-01"
[source.T]
title = "hand-made test catalog"
date = "2026-01-01"
[[model]]
name = "toy"
input_tpm_per_ptu = 1000
output_weight = 2
rpm_per_1000_tpm = 6
sources = { provisioned = "T", standard = "T" }
[model.deployments]
global = { min_ptu = 10, increment = 10 }
"#;

/// Writes a catalog under cargo's per-target scratch directory (target/tmp), not /tmp.

#[test]
fn catalog_flag_replaces_the_embedded_catalog() {
    let path = write("small.toml", SMALL);
    // 100 RPM × (500 + 2 × 100) = 70,000 normalized TPM ÷ 1,000 = 70 PTU.
    ptuplan()
        .args([
            "size",
            "--rpm",
            "100",
            "--prompt",
            "500",
            "--completion",
            "100",
            "--json",
        ])
        .arg("--catalog")
        .arg(&path)
        .assert()
        .success()
        .stdout(contains("\"ptu\": 70"))
        .stdout(contains("\"as_of\": \"2026-01-01\""));
}

#[test]
fn environment_variable_replaces_the_embedded_catalog() {
    let path = write("env.toml", SMALL);
    ptuplan()
        .env("PTUPLAN_CATALOG", &path)
        .args(["models", "--json"])
        .assert()
        .success()
        .stdout(contains("\"toy\""))
        .stdout(contains("gpt-4o").not());
}

#[test]
fn missing_catalog_is_exit_1_naming_the_path() {
    ptuplan()
        .args(["models", "--catalog", "/nonexistent/models.toml"])
        .assert()
        .code(1)
        .stderr(contains(
            "cannot read catalog '/nonexistent/models.toml': No such file",
        ))
        .stderr(predicates::function::function(|err: &str| {
            err.matches("No such file").count() == 1
        }));
    ptuplan()
        .env("PTUPLAN_CATALOG", "/nonexistent/env.toml")
        .arg("models")
        .assert()
        .code(1)
        .stderr(contains("'PTUPLAN_CATALOG=/nonexistent/env.toml'"));
}

#[test]
fn malformed_catalog_names_the_line() {
    let path = write(
        "bad-syntax.toml",
        &SMALL.replace("output_weight = 2", "output_weight = = 2"),
    );
    ptuplan()
        .args(["models", "--catalog"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(contains("bad-syntax.toml', line 10, column 17"));
}

#[test]
fn semantically_invalid_catalog_names_model_and_field() {
    let path = write(
        "bad-value.toml",
        &SMALL.replace("output_weight = 2", "output_weight = -2"),
    );
    ptuplan()
        .args(["models", "--catalog"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(contains(
            "model 'toy', field 'output_weight': must be above 0 and at most 1e2, got -2",
        ));
}

#[test]
fn absurd_catalog_values_are_refused() {
    // Values that used to give u64::MAX PTUs, NaN% or a $0 hybrid (issue 12).
    for (from, to, field) in [
        (
            "output_weight = 2",
            "output_weight = 1e308",
            "output_weight",
        ),
        (
            "input_tpm_per_ptu = 1000",
            "input_tpm_per_ptu = 1e-300",
            "input_tpm_per_ptu",
        ),
        (
            // A price of 1e-308 made every option free and recommended it.
            "sources = { provisioned = \"T\", standard = \"T\" }\n[model.deployments]",
            "sources = { provisioned = \"T\", standard = \"T\", prices = \"T\" }\n\
             [model.prices]\nglobal = { input = 1e-308, output = 1 }\n[model.deployments]",
            "prices.global.input",
        ),
    ] {
        assert!(SMALL.contains(from), "{from}");
        let path = write("absurd.toml", &SMALL.replace(from, to));
        ptuplan()
            .args(["models", "--catalog"])
            .arg(&path)
            .assert()
            .code(1)
            .stderr(contains(format!("field '{field}'")));
    }
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn empty_environment_variable_means_embedded() {
    ptuplan()
        .env("PTUPLAN_CATALOG", "")
        .args(["models", "gpt-4o", "--json"])
        .assert()
        .success()
        .stdout(contains("\"origin\": \"embedded\""));
}

#[test]
fn flag_wins_over_environment_variable() {
    let path = write("flag.toml", SMALL);
    ptuplan()
        .env("PTUPLAN_CATALOG", "/nonexistent/env.toml")
        .args(["models", "toy", "--catalog"])
        .arg(&path)
        .assert()
        .success();
}

fn write(name: &str, text: &str) -> String {
    crate::scratch("catalogs", name, text)
}
