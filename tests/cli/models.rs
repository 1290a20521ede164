//! `ptuplan models`: the catalog as a table and as JSON.

use crate::{json, table};

#[test]
fn lists_every_model_with_its_grid() {
    let answer = json(&["models"]);
    let models = answer["models"].as_array().expect("array");
    assert!(models.len() >= 25);
    let o1 = models.iter().find(|m| m["name"] == "o1").expect("o1");
    assert_eq!(o1["input_tpm_per_ptu"], 230);
    assert_eq!(o1["deployments"]["regional"]["min_ptu"], 25);
    assert_eq!(o1["deployments"]["regional"]["increment"], 50);
    // Every cited source is included with a date.
    for m in models {
        let id = m["sources"]["provisioned"].as_str().expect("source id");
        assert!(answer["sources"][id]["date"].is_string(), "{id} missing");
    }
    assert_eq!(answer["catalog"]["as_of"], "2026-11-22");
}

#[test]
fn one_model_in_full() {
    let out = table(&["models", "gpt-4o"]);
    for expected in [
        "2,500",
        "UNVERIFIED",
        "output_weight",
        "sources:",
        "S1 (2026-09-23)",
        "note:",
    ] {
        assert!(out.contains(expected), "missing {expected:?}:\n{out}");
    }
    let answer = json(&["models", "gpt-4o-2024-11-20"]);
    assert_eq!(answer["models"].as_array().expect("array").len(), 1);
    assert_eq!(answer["models"][0]["name"], "gpt-4o");
}

#[test]
fn table_fits_80_columns() {
    let out = table(&["models"]);
    assert!(out.contains("gpt-5.2"), "{out}");
    for line in out.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} chars: {line}",
            line.chars().count()
        );
    }
}
