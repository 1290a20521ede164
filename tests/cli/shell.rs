//! Shell integration: completions that know the catalog, man pages per subcommand, help that
//! fits 80 columns, and formats refused where they mean nothing.

use predicates::str::contains;

use crate::{ptuplan, table};

#[test]
fn completions_offer_model_names_aliases_and_deployment_types() {
    let script = table(&["completions", "bash"]);
    for word in [
        "gpt-5.1",
        "gpt-4.1-2025-04-14",
        "DeepSeek-R1",
        "data-zone",
        "regional",
    ] {
        assert!(
            script.contains(word),
            "{word} missing from the bash completions"
        );
    }
    // Parsing still takes any spelling the catalog resolves: the completion list does not
    // restrict it.
    ptuplan()
        .args([
            "size", "--rpm", "1", "--tokens", "10", "--model", "GPT-5.1", "-d", "dz",
        ])
        .assert()
        .success();
}

#[test]
fn man_dir_writes_a_page_per_subcommand() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("man");
    let _ = std::fs::remove_dir_all(&dir);
    ptuplan()
        .args(["man", "--dir", dir.to_str().expect("UTF-8")])
        .assert()
        .success()
        .stdout("");
    for page in [
        "ptuplan.1",
        "ptuplan-size.1",
        "ptuplan-check.1",
        "ptuplan-prices.1",
    ] {
        let text = std::fs::read_to_string(dir.join(page)).expect(page);
        assert!(
            text.starts_with(".ie") || text.contains(".TH"),
            "{page} is roff"
        );
    }
    let size = std::fs::read_to_string(dir.join("ptuplan-size.1")).expect("size page");
    assert!(size.contains("ptuplan\\-size"), "named for its subcommand");
}

#[test]
fn json_is_refused_by_man_and_completions() {
    for args in [
        &["man", "--json"][..],
        &["completions", "zsh", "--format", "json"],
    ] {
        ptuplan()
            .args(args)
            .assert()
            .code(2)
            .stderr(contains("schema, prices and emit print one format"));
    }
}

#[test]
fn every_help_fits_80_columns() {
    let commands: &[&[&str]] = &[
        &[],
        &["size"],
        &["capacity"],
        &["tokens"],
        &["analyze"],
        &["simulate"],
        &["cost"],
        &["plan"],
        &["check"],
        &["models"],
        &["prices"],
        &["prices", "fetch"],
        &["completions"],
        &["man"],
    ];
    for command in commands {
        let help = table(&[command, &["--help"][..]].concat());
        // A hard newline in help text longer than the terminal leaves a stub line: a short,
        // unindented line whose sentence goes on in lower case on the next.
        let lines: Vec<&str> = help.lines().collect();
        for pair in lines.windows(2) {
            let (line, next) = (pair[0], pair[1]);
            let stub = !line.starts_with(' ')
                && !line.is_empty()
                && line.chars().count() < 45
                && !line.trim_end().ends_with([':', ','])
                && next.starts_with(|c: char| c.is_lowercase());
            assert!(
                !stub,
                "ptuplan {} --help splits a sentence: {line:?} / {next:?}",
                command.join(" ")
            );
        }
        for line in help.lines() {
            assert!(
                line.chars().count() <= 80,
                "ptuplan {} --help: {} columns: {line}",
                command.join(" "),
                line.chars().count()
            );
        }
    }
}
