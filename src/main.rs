//! The `negsim` command: parses arguments, calls the library, maps errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match negsim::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(negsim::cli::clap_exit(e)),
    };
    match negsim::cli::execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`negsim ... | head`) ends quietly.
            if !e.is_broken_pipe() {
                let text = format!("error: {e}\n");
                negsim::cli::print_err(&negsim::output::terminal_safe_lines(&text));
            }
            ExitCode::from(negsim::cli::exit_code(&e))
        }
    }
}
