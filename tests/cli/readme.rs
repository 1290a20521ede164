//! Every `console` example in README.md and in docs/*.md prints exactly what it shows (trycmd).
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
