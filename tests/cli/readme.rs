//! Every `console` example in README.md and in docs/*.md prints exactly what it shows (trycmd).
//! The examples run with the working directory at the repository root.

#[test]
fn readme_examples_are_true() {
    trycmd::TestCases::new()
        .env("PTUPLAN_CATALOG", "")
        .case("README.md")
        .case("docs/*.md");
}
