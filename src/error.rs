//! Typed errors of the library, and the exit codes `main` maps them to.
//!
//! Exit codes (documented in `--help` and docs/guide.md):
//! - 0: success (also when the reader of stdout goes away, e.g. `| head`);
//! - 1: a failure that is not the user's input: unreadable or invalid catalog, I/O;
//! - 2: bad command-line input: a flag's value, a combination of flags, an unknown model.

use std::io;

use thiserror::Error;

use crate::calc::param::ParamError;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for failures other than bad input (catalog, I/O).
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for bad command-line input.
pub const EXIT_USAGE: u8 = 2;
/// Exit code of `check` when a budget limit is exceeded.
pub const EXIT_BUDGET: u8 = 3;

/// A plan over its budget: the report was printed; this names the exceeded limits.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct BudgetExceeded(pub String);

/// Bad input from the user: always exit code 2, always one line naming the field and value.
#[derive(Debug, Error, PartialEq)]
pub enum InputError {
    /// A value outside what the field allows.
    #[error("invalid value '{value}' for {field}: {allowed}")]
    InvalidValue {
        /// The flag or field, e.g. `--cache-rate`.
        field: &'static str,
        /// The offending value as the user gave it (or as computed from it).
        value: String,
        /// What is allowed instead.
        allowed: String,
    },
    /// A workload's rate or request shape that is not valid, naming its parameter.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// Flags that do not go together, or a missing one.
    #[error("{0}")]
    Usage(String),
    /// A model name that is neither a catalog name nor an alias.
    #[error("unknown model '{name}'{}; run 'ptuplan models' for the list", suggestion_text(.suggestion))]
    UnknownModel {
        /// The name as given.
        name: String,
        /// The closest catalog name, when one is close.
        suggestion: Option<String>,
    },
    /// An input file (a load profile, a plan) that cannot be read or parsed.
    #[error("{kind} '{path}'{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    File {
        /// What the file is, e.g. `profile`.
        kind: &'static str,
        /// The path as given.
        path: String,
        /// 1-based line of the problem, when there is one.
        line: Option<u64>,
        /// What is wrong and what is expected.
        message: String,
    },
    /// The model exists but not as a provisioned deployment of this type.
    #[error("model '{model}' is not offered as {deployment} provisioned; offered: {offered}")]
    NotOffered {
        /// Catalog name of the model.
        model: String,
        /// The requested deployment type.
        deployment: String,
        /// The types the catalog lists for the model (or "none").
        offered: String,
    },
}

fn suggestion_text(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|name| format!(" (did you mean '{name}'?)"))
        .unwrap_or_default()
}

/// A catalog that cannot be read or is not valid: exit code 1.
#[derive(Debug, Error)]
pub enum CatalogError {
    /// The file could not be read.
    #[error("cannot read catalog '{path}': {error}")]
    Read {
        /// Path as given (and where it came from, for the environment variable).
        path: String,
        /// The underlying I/O error.
        error: io::Error,
    },
    /// TOML syntax or schema error (unknown key, wrong type), with its position.
    #[error("catalog '{origin}', line {line}, column {column}: {message}")]
    Syntax {
        /// Where the catalog came from.
        origin: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A value that parses but makes no sense (negative ratio, duplicate name, ...).
    #[error("catalog '{origin}': {place}: {message}")]
    Invalid {
        /// Where the catalog came from.
        origin: String,
        /// Which model and field, e.g. `model 'gpt-4o', field 'output_weight'`.
        place: String,
        /// What is wrong and what is allowed.
        message: String,
    },
}

/// The exit code for an error that reached `main`: 2 for bad input, 1 for anything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err.downcast_ref::<InputError>().is_some() || err.downcast_ref::<ParamError>().is_some() {
        EXIT_USAGE
    } else if err.downcast_ref::<BudgetExceeded>().is_some() {
        EXIT_BUDGET
    } else {
        EXIT_FAILURE
    }
}

/// True when stdout's reader went away: not a failure for a CLI (`ptuplan ... | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
