//! The `ptuplan` binary: parse, run, map errors to exit codes.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use ptuplan::app;
use ptuplan::cli::Cli;
use ptuplan::error::{EXIT_FAILURE, EXIT_OK, EXIT_USAGE, exit_code, is_broken_pipe};
use ptuplan::render::clean;

/// Longest error message printed, in characters.
const MAX_ERROR_CHARS: usize = 1000;

fn main() -> ExitCode {
    let closed = stdout_is_closed();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return command_line_error(&err, closed),
    };
    // With stdout closed the command still runs (into nothing), so that `check`'s budget
    // verdict (exit 3) and real errors win; a success becomes the closed-stdout failure.
    let result = if closed {
        app::run(cli, &mut io::sink())
    } else {
        app::run(cli, &mut io::stdout().lock())
    };
    match result {
        Ok(()) if closed => fail(EXIT_FAILURE, CLOSED_STDOUT),
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(EXIT_OK),
        Err(err) => fail(exit_code(&err), &format!("{err:#}")),
    }
}

const CLOSED_STDOUT: &str = "standard output is closed, so no answer can be written: redirect \
                             it to a file or to /dev/null";

/// Prints `error: MESSAGE` on one line, control characters escaped, at most MAX_ERROR_CHARS
/// in all (an error that quotes a 100 MB header line must not print it), and exits `code`.
fn fail(code: u8, message: &str) -> ExitCode {
    let message = message.replace(['\n', '\r'], " ");
    let room = MAX_ERROR_CHARS - "error: ".len() - 1;
    let _ = writeln!(io::stderr(), "error: {}", clean(message.trim(), room));
    ExitCode::from(code)
}

/// True when `ptuplan` was started with file descriptor 1 closed (`ptuplan ... >&-`). Rust's
/// runtime reopens a closed standard descriptor on /dev/null for reading and writing before
/// `main`, so every answer would vanish with exit 0; a shell redirect to /dev/null opens it
/// write-only, which is told apart by the access mode.
#[cfg(unix)]
fn stdout_is_closed() -> bool {
    use rustix::fs::{FileType, OFlags, fcntl_getfl, fstat, major, minor};
    let stdout = io::stdout();
    let (Ok(stat), Ok(flags)) = (fstat(&stdout), fcntl_getfl(&stdout)) else {
        return true;
    };
    let dev_null = FileType::from_raw_mode(stat.st_mode) == FileType::CharacterDevice
        && (major(stat.st_rdev), minor(stat.st_rdev)) == (1, 3);
    dev_null && flags & OFlags::RWMODE == OFlags::RDWR
}

#[cfg(not(unix))]
fn stdout_is_closed() -> bool {
    false
}

/// Help and version go to stdout with exit 0 (exit 1 when stdout is closed); anything else
/// becomes one line on stderr, exit 2.
fn command_line_error(err: &clap::Error, closed: bool) -> ExitCode {
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        if closed {
            return fail(EXIT_FAILURE, CLOSED_STDOUT);
        }
        let _ = write!(io::stdout(), "{}", err.render());
        return ExitCode::from(EXIT_OK);
    }
    if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = write!(io::stderr(), "{}", err.render());
        return ExitCode::from(EXIT_USAGE);
    }
    let rendered = err.render().to_string();
    let message: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
        .filter(|line| !line.is_empty())
        .collect();
    let message = message.join(" ").replace(" tip:", "; tip:");
    // clap's message starts with `error: ` and quotes the value as typed: cut it too.
    let room = MAX_ERROR_CHARS - " (see --help)".len() - 1;
    let _ = writeln!(io::stderr(), "{} (see --help)", clean(&message, room));
    ExitCode::from(EXIT_USAGE)
}
