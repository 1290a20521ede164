//! Every `console` example in README.md and in docs/*.md prints exactly what it shows (trycmd),
//! and the README stays short.
//! The examples run with the working directory at the repository root, judging model
//! lifecycles on the day the examples were written.

#[test]
fn readme_examples_are_true() {
    trycmd::TestCases::new()
        .env("PTUPLAN_CATALOG", "")
        .env("PTUPLAN_AS_OF", super::AS_OF)
        .case("README.md")
        .case("docs/*.md");
}

/// The README stays a guide (what it is, set-up, one example per command, links): depth goes
/// in docs/.
#[test]
fn readme_stays_under_25_kb() {
    let size = std::fs::metadata("README.md").expect("README.md").len();
    assert!(
        size <= 25_000,
        "README.md is {size} bytes: move depth into docs/ (the limit is 25,000)"
    );
}
