//! `--format markdown`: pull-request comments for `plan`, `check` and `cost`, read back with a
//! CommonMark parser (GitHub tables on) to check they render as the tables they claim.

use predicates::str::contains;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::ptuplan;

/// Every table in `markdown` as rows of cell texts (the header row first).
fn tables(markdown: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let (mut table, mut row, mut cell): (Vec<Vec<String>>, Vec<String>, String) =
        Default::default();
    let mut in_cell = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                cell.clear();
            }
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                row.push(cell.trim().to_string());
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                table.push(std::mem::take(&mut row))
            }
            Event::End(TagEnd::Table) => tables.push(std::mem::take(&mut table)),
            Event::Text(text) | Event::Code(text) if in_cell => cell.push_str(&text),
            _ => {}
        }
    }
    tables
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = ptuplan().args(args).output().expect("runs");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("UTF-8"),
    )
}

#[test]
fn check_comment_has_the_budget_verdict_per_limit_and_the_baseline_change() {
    let baseline = crate::scratch("markdown", "baseline.json", "");
    let (code, _) = run(&["plan", "examples/plan-contoso.toml", "--json"]);
    assert_eq!(code, Some(0));
    let report = ptuplan()
        .args(["plan", "examples/plan-contoso.toml", "--json"])
        .output()
        .expect("runs")
        .stdout;
    std::fs::write(&baseline, report).expect("writes");
    let (code, markdown) = run(&[
        "check",
        "examples/plan-business-day.toml",
        "--baseline",
        &baseline,
        "--format",
        "markdown",
    ]);
    assert_eq!(code, Some(3), "over budget still exits 3");
    assert!(
        markdown.starts_with("### ptuplan check: examples/plan-business-day.toml — ❌ over budget")
    );
    assert!(
        markdown.contains("(**−\\$70,524.06, −25.1%**)"),
        "{markdown}"
    );
    let all = tables(&markdown);
    let budget = all.last().expect("a budget table");
    assert_eq!(
        budget[0],
        ["Limit", "Applies to", "Value", "Bound", "Result"]
    );
    assert_eq!(
        budget[1],
        [
            "max_monthly_usd",
            "plan",
            "$210,550.00",
            "$60,000.00",
            "❌ exceeded by $150,550.00"
        ]
    );
    assert_eq!(
        budget[2],
        ["max_ptu", "plan", "385", "200", "❌ exceeded by 185"]
    );
    let deployments = &all[0];
    assert_eq!(deployments[1][..3], ["gpt-4.1", "global", "385"]);
}

#[test]
fn a_missing_optional_baseline_is_a_new_plan() {
    let (code, markdown) = run(&[
        "check",
        "examples/plan-contoso.toml",
        "--baseline",
        "no-such-baseline.json",
        "--baseline-optional",
        "--format",
        "markdown",
    ]);
    assert!(code == Some(0) || code == Some(3), "{code:?}");
    assert!(
        markdown.contains("New plan: no baseline to compare with."),
        "{markdown}"
    );
    assert!(
        !markdown.contains("no baseline at"),
        "said once, under the heading"
    );
    // Without --baseline-optional the missing file is an error.
    ptuplan()
        .args([
            "check",
            "examples/plan-contoso.toml",
            "--baseline",
            "no-such-baseline.json",
        ])
        .assert()
        .code(2)
        .stderr(contains("no-such-baseline.json"));
}

#[test]
fn cost_comment_marks_the_recommendation() {
    let (code, markdown) = run(&[
        "cost",
        "--model",
        "gpt-5.1",
        "--rpm",
        "100",
        "--prompt",
        "1000",
        "--completion",
        "200",
        "--format",
        "markdown",
    ]);
    assert_eq!(code, Some(0));
    let options = &tables(&markdown)[0];
    assert_eq!(options[0][0], "Option");
    let names: Vec<&str> = options[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "payg",
            "ptu-hourly",
            "ptu-1-month",
            "ptu-1-year",
            "hybrid",
            "priority",
            "batch"
        ]
    );
    assert!(
        markdown.contains("**Recommended: ptu-1-year**"),
        "{markdown}"
    );
}

#[test]
fn markdown_is_refused_where_there_is_no_comment() {
    ptuplan()
        .args([
            "size", "--rpm", "5", "--tokens", "10", "--format", "markdown",
        ])
        .assert()
        .code(2)
        .stderr(contains("--format markdown is for plan, check and cost"));
}
