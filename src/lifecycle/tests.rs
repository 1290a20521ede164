use super::*;
use crate::deployment::Sku;
use crate::error::CatalogError;
use crate::note::{NoteCode, lifecycle_notes as notes};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
}

fn embedded() -> Catalog {
    Catalog::embedded().expect("embedded catalog")
}

fn view(catalog: &Catalog, model: &str, as_of: &str) -> LifecycleView {
    let model = catalog.find(model).expect("in the catalog");
    assess(model, &[], catalog, day(as_of))
}

#[test]
fn stages_follow_the_dates_of_the_retirement_table() {
    // gpt-5.2 (S40): deprecated 2026-06-12, retires 2026-12-12.
    let catalog = embedded();
    let stage = |as_of: &str| view(&catalog, "gpt-5.2", as_of).stage;
    assert_eq!(stage("2026-06-11"), Stage::Current);
    assert_eq!(stage("2026-06-12"), Stage::Deprecated);
    assert_eq!(stage("2026-09-13"), Stage::Deprecated, "90 days before");
    assert_eq!(stage("2026-09-14"), Stage::Retiring, "89 days before");
    assert_eq!(stage("2026-12-11"), Stage::Retiring);
    assert_eq!(stage("2026-12-12"), Stage::Retired, "retired on the day");
    let late = view(&catalog, "gpt-5.2", "2026-12-03");
    assert_eq!(late.days_to_retirement, Some(9));
    assert_eq!(late.version.as_deref(), Some("2025-12-11"));
}

#[test]
fn a_model_without_a_published_lifecycle_is_not_warned_about() {
    let catalog = embedded();
    let newest = view(&catalog, "gpt-6-sol", "2026-12-03");
    assert_eq!(newest.stage, Stage::NotPublished);
    assert!(notes(&[newest], day("2026-12-03")).is_empty());
}

#[test]
fn the_migration_compares_per_ptu_numbers_with_the_replacement() {
    let catalog = embedded();
    let old = catalog.find("gpt-4.1").expect("gpt-4.1");
    let new = catalog.find("gpt-5").expect("gpt-5");
    let retired = view(&catalog, "gpt-4.1", "2026-12-03");
    assert_eq!(retired.stage, Stage::Retired);
    let migration = retired.migration.clone().expect("gpt-5 is in the catalog");
    assert_eq!(migration.to, "gpt-5");
    assert_eq!(
        migration.input_tpm_per_ptu,
        [old.input_tpm_per_ptu, new.input_tpm_per_ptu]
    );
    assert_eq!(
        migration.output_weight,
        [old.output_weight, new.output_weight]
    );
    let note = &notes(&[retired], day("2026-12-03"))[0];
    for part in [
        "gpt-4.1 (2025-04-14) was retired on 2026-10-14",
        "auto-upgraded to gpt-5",
        "migrated by hand",
        "size with --model gpt-5",
    ] {
        assert!(
            note.to_string().contains(part),
            "{part:?} missing from {note}"
        );
    }
}

#[test]
fn a_retired_replacement_is_followed_to_a_live_one() {
    // gpt-4o-mini → gpt-4.1-mini (itself retired 2026-10-14) → gpt-5-mini.
    let catalog = embedded();
    let before = view(&catalog, "gpt-4o-mini", "2026-10-02")
        .migration
        .expect("known");
    assert_eq!((before.to.as_str(), before.via.len()), ("gpt-4.1-mini", 0));
    let after = view(&catalog, "gpt-4o-mini", "2026-12-03")
        .migration
        .expect("known");
    assert_eq!(after.to, "gpt-5-mini");
    assert_eq!(after.via, ["gpt-4.1-mini"]);
    let note = &notes(
        &[view(&catalog, "gpt-4o-mini", "2026-12-03")],
        day("2026-12-03"),
    )[0];
    assert!(
        note.to_string()
            .contains("to gpt-5-mini (via retired gpt-4.1-mini)"),
        "{note}"
    );
}

#[test]
fn a_chain_ending_on_a_retired_model_has_no_current_replacement() {
    // o1 → o3, and o3 retired on 2026-10-16 naming no successor.
    let catalog = embedded();
    let o1 = view(&catalog, "o1", "2026-12-03");
    let migration = o1.migration.clone().expect("o3 is in the catalog");
    assert!(migration.retired);
    let note = &notes(&[o1], day("2026-12-03"))[0];
    assert!(note.to_string().contains("o3 is itself retired"), "{note}");
    assert!(!note.to_string().contains("--model o3"), "{note}");
    // A target that retires itself is named with its date.
    let mini = &notes(
        &[view(&catalog, "gpt-4o-mini", "2026-12-03")],
        day("2026-12-03"),
    )[0];
    assert!(
        mini.to_string()
            .contains("(gpt-5-mini itself retires on 2027-02-06)"),
        "{mini}"
    );
}

#[test]
fn a_replacement_outside_the_catalog_is_named_without_numbers() {
    let catalog = embedded();
    let nano = view(&catalog, "gpt-4.1-nano", "2026-12-03");
    assert_eq!(nano.replacement.as_deref(), Some("gpt-5-nano"));
    assert_eq!(nano.migration, None);
    let note = &notes(&[nano], day("2026-12-03"))[0];
    assert!(
        note.to_string()
            .ends_with("replacement gpt-5-nano (not in the catalog)"),
        "{note}"
    );
}

#[test]
fn a_sku_that_retires_earlier_is_named() {
    // gpt-4o-mini (S40): Standard retired 2026-03-31, every other type 2026-10-01.
    let catalog = embedded();
    let model = catalog.find("gpt-4o-mini").expect("gpt-4o-mini");
    let lifecycle = model.lifecycle.as_ref().expect("published");
    assert_eq!(
        lifecycle.retirement_for(Sku::Standard),
        Some(day("2026-03-31"))
    );
    assert_eq!(
        lifecycle.retirement_for(Sku::GlobalStandard),
        Some(day("2026-10-01"))
    );
    let summer = view(&catalog, "gpt-4o-mini", "2026-06-01");
    assert_eq!(summer.stage, Stage::Deprecated);
    let note = &notes(&[summer], day("2026-06-01"))[0];
    assert!(
        note.to_string()
            .contains("; Standard retired on 2026-03-31"),
        "{note}"
    );
    // Judged on the regional SKUs, the Standard date counts.
    let regional = [Sku::ProvisionedManaged, Sku::Standard];
    let judged = assess(model, &regional, &catalog, day("2026-06-01"));
    assert_eq!(judged.stage, Stage::Retired);
    assert_eq!(judged.retirement, Some(day("2026-03-31")));
    let early = assess(model, &regional, &catalog, day("2026-02-01"));
    assert_eq!(
        early.stage,
        Stage::Retiring,
        "58 days before the Standard retirement"
    );
    let global = assess(model, &[Sku::GlobalStandard], &catalog, day("2026-06-01"));
    assert_eq!(global.stage, Stage::Deprecated);
}

#[test]
fn many_warned_models_get_one_note_per_stage() {
    let catalog = embedded();
    let all = catalog.models.iter().map(|m| (m, Vec::new()));
    let lifecycles = Lifecycles::of(all, &catalog, day("2026-12-03"));
    let notes = lifecycles.notes();
    assert_eq!(notes.len(), 3, "{notes:#?}");
    let codes: Vec<NoteCode> = notes.iter().map(|n| n.code).collect();
    assert_eq!(
        codes,
        [
            NoteCode::ModelRetired,
            NoteCode::ModelRetiring,
            NoteCode::ModelDeprecated
        ]
    );
    assert!(notes[0].to_string().starts_with("retired by 2026-12-03"));
    assert!(
        notes[0]
            .to_string()
            .contains("gpt-4.1 (2026-10-14, move to gpt-5)")
    );
    assert!(
        notes[0]
            .to_string()
            .contains("o1 (2026-09-16, no current replacement)")
    );
    assert!(
        notes[1]
            .to_string()
            .starts_with("retiring in fewer than 90 days from 2026-12-03")
    );
    assert!(notes[1].to_string().contains("gpt-5.2 (2026-12-12)"));
    assert!(
        notes[2]
            .to_string()
            .starts_with("deprecated (no new customers)")
    );
    assert!(!notes.iter().any(|n| n.to_string().contains("gpt-6-sol")));
}

#[test]
fn json_keys_the_models_by_name_in_the_order_used() {
    let catalog = embedded();
    let used = ["gpt-5.2", "gpt-4.1", "gpt-5.2"].map(|n| (catalog.find(n).expect("known"), vec![]));
    let lifecycles = Lifecycles::of(used, &catalog, day("2026-12-03"));
    let json = serde_json::to_value(&lifecycles).expect("serializes");
    assert_eq!(json["as_of"], "2026-12-03");
    let names: Vec<&String> = json["models"]
        .as_object()
        .expect("an object")
        .keys()
        .collect();
    assert_eq!(names, ["gpt-5.2", "gpt-4.1"]);
    assert_eq!(json["models"]["gpt-4.1"]["stage"], "retired");
    assert_eq!(json["models"]["gpt-4.1"]["days_to_retirement"], -50);
    assert_eq!(json["models"]["gpt-5.2"]["stage"], "retiring");
    assert_eq!(json["models"]["gpt-5.2"]["retirement"], "2026-12-12");
}

const CATALOG: &str = r#"
schema_version = 1
as_of = "2026-11-22"
[source.S1]
title = "test"
date = "2026-09-23"
[[model]]
name = "m"
input_tpm_per_ptu = 3000
output_weight = 4
sources = { provisioned = "S1" }
"#;

fn with_lifecycle(lines: &str) -> Result<Catalog, CatalogError> {
    Catalog::parse(
        &format!("{CATALOG}[model.lifecycle]\n{lines}\n"),
        "test.toml",
    )
}

#[test]
fn the_catalog_rejects_inconsistent_lifecycles() {
    let ok = "status = \"ga\"\nsource = \"S1\"\ndeprecation = \"2026-01-01\"\nretirement = \"2026-07-01\"";
    assert!(with_lifecycle(ok).is_ok());
    let cases = [
        (
            "status = \"ga\"\nsource = \"S9\"",
            "source 'S9' is not defined",
        ),
        (
            "status = \"ga\"\nsource = \"S1\"\ndeprecation = \"2026-08-01\"\nretirement = \"2026-07-01\"",
            "2026-08-01 is after the retirement date 2026-07-01",
        ),
        (
            "status = \"ga\"\nsource = \"S1\"\nreplacement = \"M\"",
            "names the model itself",
        ),
        (
            "status = \"retired\"\nsource = \"S1\"",
            "unknown variant `retired`",
        ),
        (
            "status = \"ga\"\nsource = \"S1\"\nretirement = \"2026-13-01\"",
            "got '2026-13-01'",
        ),
        (
            "status = \"ga\"\nsource = \"S1\"\nretirement = \"2026-1-1\"",
            "got '2026-1-1'",
        ),
        (
            "status = \"ga\"\nsource = \"S1\"\nretirement = \"0001-01-01\"",
            "from 2000 to 2199",
        ),
        (
            "status = \"ga\"\nsource = \"S1\"\nreplacement = \" \"",
            "is empty",
        ),
        (
            "status = \"ga\"\nsource = \"S1\"\nby_sku.Standard = {}",
            "gives no date",
        ),
        (
            "status = \"ga\"\nsource = \"S1\"\nby_sku.Everywhere = { retirement = \"2026-07-01\" }",
            "Everywhere",
        ),
        (
            "status = \"ga\"\nsource = \"S1\"\nretirement = \"2026-07-01\"\nby_sku.Standard = { deprecation = \"2026-08-01\" }",
            "by_sku.Standard.deprecation",
        ),
    ];
    for (lines, expected) in cases {
        let error = with_lifecycle(lines).expect_err(lines).to_string();
        assert!(error.contains(expected), "{lines}: {error}");
    }
}

#[test]
fn the_catalog_rejects_a_replacement_cycle() {
    let text = format!(
        "{CATALOG}[model.lifecycle]\nstatus = \"ga\"\nsource = \"S1\"\nreplacement = \"n\"\n\
         [[model]]\nname = \"n\"\ninput_tpm_per_ptu = 3000\noutput_weight = 4\n\
         sources = {{ provisioned = \"S1\" }}\n[model.lifecycle]\nstatus = \"ga\"\n\
         source = \"S1\"\nreplacement = \"m\"\n"
    );
    let error = Catalog::parse(&text, "test.toml")
        .expect_err("a cycle")
        .to_string();
    assert!(error.contains("the chain m → n → m is a cycle"), "{error}");
}
