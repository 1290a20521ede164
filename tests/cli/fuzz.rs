//! Fuzzing on stable Rust: every parser gets random mutations of a checked-in corpus
//! (`tests/fuzz-corpus/`) and random bytes, and must answer `Ok` or an error, never panic.
//! Inputs stay under 64 KiB, so memory per input is bounded by construction.
//!
//! CI runs `PTUPLAN_FUZZ_CASES` (default 200) cases per parser; a longer local run:
//! `PTUPLAN_FUZZ_CASES=100000 cargo test --release --test cli fuzz`. A failure prints the
//! minimal input; proptest records it under `proptest-regressions/` to replay first.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use ptuplan::catalog::{Catalog, EMBEDDED};
use ptuplan::traffic::log::{self, ColumnNames, LogBuckets, LogFormat};

/// Cases per parser: `PTUPLAN_FUZZ_CASES`, else 200.
fn cases() -> u32 {
    std::env::var("PTUPLAN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// The corpus files of one kind.
fn corpus(kind: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(kind);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|path| std::fs::read(path).expect("corpus file"))
        .collect()
}

/// Fragments worth splicing in: separators, quotes, huge and odd numbers, escapes.
const TOKENS: [&[u8]; 16] = [
    b",",
    b"\n",
    b"\"",
    b"=",
    b"[",
    b"]",
    b"{",
    b"}",
    b"1e308",
    b"-1",
    b"NaN",
    b"\xef\xbb\xbf",
    b"\x1b[31m",
    b"99999999999999999999",
    b"\r\n",
    b"0",
];

/// A corpus entry with random edits, or random bytes, at most 64 KiB.
fn mutated(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec((0u8..5, any::<prop::sample::Index>(), any::<u8>()), 0..12);
    let from_seed = (prop::sample::select(seeds), edits).prop_map(|(mut bytes, edits)| {
        for (op, at, byte) in edits {
            let i = if bytes.is_empty() {
                0
            } else {
                at.index(bytes.len())
            };
            match op {
                0 if !bytes.is_empty() => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                2 if !bytes.is_empty() => {
                    bytes.remove(i);
                }
                3 => {
                    let token = TOKENS[usize::from(byte) % TOKENS.len()];
                    bytes.splice(i..i, token.iter().copied());
                }
                _ => bytes.truncate(i),
            }
        }
        bytes.truncate(64 * 1024);
        bytes
    });
    prop_oneof![4 => from_seed, 1 => prop::collection::vec(any::<u8>(), 0..512)]
}

/// Runs `check` on `cases()` inputs made from the corpus of `kind`.
fn fuzz(kind: &str, check: impl Fn(&[u8])) {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&mutated(corpus(kind)), |bytes| {
            check(&bytes);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{kind}: {e}"));
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn fuzz_logs() {
    for (kind, format) in [("log-csv", LogFormat::Csv), ("log-jsonl", LogFormat::Jsonl)] {
        fuzz(kind, |bytes| {
            for skip_invalid in [false, true] {
                let mut buckets = LogBuckets::default();
                let _ = log::read(
                    bytes,
                    "fuzz",
                    format,
                    &ColumnNames::default(),
                    skip_invalid,
                    &mut buckets,
                );
            }
        });
    }
}

#[test]
fn fuzz_plans_profiles_and_catalogs() {
    let catalog = Catalog::parse(EMBEDDED, "embedded").expect("valid");
    let profile = std::fs::read_to_string("tests/fuzz-corpus/profile/business-day.csv")
        .expect("corpus profile");
    fuzz("plan", |bytes| {
        let text = text(bytes);
        if let Ok(file) = ptuplan::plan_file::parse(&text, "fuzz.toml") {
            let read = |_: &Path| Ok(profile.clone());
            if let Ok(plan) = ptuplan::plan_file::resolve(
                &file,
                &text,
                "fuzz.toml",
                Path::new("."),
                &catalog,
                &read,
            ) {
                let _ = ptuplan::calc::plan::plan(&plan.workloads, &plan.settings);
            }
        }
    });
    fuzz("profile", |bytes| {
        let _ = ptuplan::profile::parse(&text(bytes), "fuzz.csv");
    });
    fuzz("catalog", |bytes| {
        let _ = Catalog::parse(&text(bytes), "fuzz.toml");
    });
}

#[test]
fn fuzz_token_inputs() {
    use ptuplan::tokens::request::{self, InputKind, Side};
    fuzz("chat", |bytes| {
        let Ok(text) = request::decode(bytes.to_vec(), "fuzz", true) else {
            return;
        };
        for kind in [InputKind::Text, InputKind::Chat, InputKind::Jsonl] {
            for side in [Side::Prompt, Side::Completion, Side::Any] {
                let _ = request::parse(&text, "fuzz", kind, side);
            }
        }
    });
}

#[test]
fn fuzz_numbers_durations_and_timestamps() {
    use ptuplan::input;
    fuzz("numbers", |bytes| {
        for line in text(bytes).lines() {
            let _ = input::quantity(line);
            let _ = input::rpm(line);
            let _ = input::ptu_list(line);
            let _ = input::tpm_candidate(line);
            let _ = input::cache_rate(line);
            let _ = input::max_throttle(line);
            let _ = input::target_utilization(line);
            let _ = input::duration(line);
            let _ = input::burst(line);
            let _ = input::deployment(line);
            let _ = ptuplan::timestamp::second(line);
            let _ = ptuplan::timestamp::minute(line);
        }
    });
}
