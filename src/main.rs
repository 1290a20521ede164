//! The `ptuplan` binary: parse, run, map errors to exit codes.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use ptuplan::app;
use ptuplan::cli::Cli;
use ptuplan::error::{EXIT_OK, EXIT_USAGE, exit_code, is_broken_pipe};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return command_line_error(&err),
    };
    let mut stdout = io::stdout().lock();
    match app::run(cli, &mut stdout) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(EXIT_OK),
        Err(err) => {
            let _ = writeln!(io::stderr(), "error: {err:#}");
            ExitCode::from(exit_code(&err))
        }
    }
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
