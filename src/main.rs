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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return command_line_error(&err),
    };
    if stdout_is_closed() {
        let _ = writeln!(
            io::stderr(),
            "error: standard output is closed, so no answer can be written: redirect it to a \
             file or to /dev/null"
        );
        return ExitCode::from(EXIT_FAILURE);
    }
    let mut stdout = io::stdout().lock();
    match app::run(cli, &mut stdout) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(EXIT_OK),
        Err(err) => {
            // One line, control characters escaped, and at most MAX_ERROR_CHARS: an error
            // that quotes a 100 MB header line must not print it.
            let message = format!("{err:#}").replace(['\n', '\r'], " ");
            let _ = writeln!(io::stderr(), "error: {}", clean(&message, MAX_ERROR_CHARS));
            ExitCode::from(exit_code(&err))
        }
    }
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

/// Help and version go to stdout with exit 0; anything else becomes one line on stderr, exit 2.
fn command_line_error(err: &clap::Error) -> ExitCode {
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
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
    let _ = writeln!(io::stderr(), "{message} (see --help)");
    ExitCode::from(EXIT_USAGE)
}
