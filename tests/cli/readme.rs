//! Every `console` example in README.md prints exactly what the README shows (trycmd).

#[test]
fn readme_examples_are_true() {
    trycmd::TestCases::new()
        .env("PTUPLAN_CATALOG", "")
        .case("README.md");
}
