//! `ptuplan schema COMMAND`: JSON Schemas generated from the types that serialize the answers,
//! kept equal to the checked-in docs/schema/*.json (UPDATE_SCHEMAS=1 rewrites them). Every
//! `--json` answer the other tests read is validated against its schema (see `crate::json`).

use serde_json::Value;

use crate::{SCHEMA_COMMANDS, ptuplan};

#[test]
fn checked_in_schemas_equal_the_generated_ones() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    for command in SCHEMA_COMMANDS {
        let output = ptuplan().args(["schema", command]).output().expect("runs");
        assert!(output.status.success(), "{output:?}");
        let generated = String::from_utf8(output.stdout).expect("UTF-8");
        let schema: Value = serde_json::from_str(&generated).expect("JSON");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        jsonschema::meta::validate(&schema).expect("a valid 2020-12 schema");
        let path = format!("docs/schema/{command}.json");
        if update {
            std::fs::write(&path, &generated).expect("writes");
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "{path} differs from 'ptuplan schema {command}': run the tests with UPDATE_SCHEMAS=1"
        );
    }
}

#[test]
fn a_schema_rejects_what_the_contract_forbids() {
    let output = ptuplan().args(["schema", "cost"]).output().expect("runs");
    let schema: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("compiles");
    let mut answer = crate::json(&[
        "cost",
        "-m",
        "gpt-5.1",
        "--rpm",
        "10",
        "--prompt",
        "100",
        "--completion",
        "10",
    ]);
    assert!(validator.is_valid(&answer));
    answer["options"][0]["monthly_usd"] = Value::String("12".into());
    assert!(
        !validator.is_valid(&answer),
        "a number as a string is refused"
    );
    answer["options"][0]["monthly_usd"] = 12.into();
    answer
        .as_object_mut()
        .expect("an object")
        .remove("recommended");
    assert!(!validator.is_valid(&answer), "a missing key is refused");
}

#[test]
fn every_note_code_is_documented() {
    let output = ptuplan().args(["schema", "size"]).output().expect("runs");
    let schema: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let codes: Vec<String> = schema["$defs"]["NoteCode"]["oneOf"]
        .as_array()
        .expect("the note codes")
        .iter()
        .filter_map(|v| v["const"].as_str().map(str::to_string))
        .collect();
    assert!(codes.len() > 30, "{codes:?}");
    let docs = std::fs::read_to_string("docs/json.md").expect("docs/json.md");
    for code in codes {
        assert!(
            docs.contains(&format!("| `{code}` |")),
            "docs/json.md lacks note code {code}"
        );
    }
}
