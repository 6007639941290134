//! The exit status of a command: of an error, and of clap's own errors,
//! help and version text.

use std::io::IsTerminal;

use super::{print_err, signals, write_stdout};
use crate::error::Error;

/// The exit status for an error: 2 for bad input or usage, 128 + the signal
/// for a command stopped by SIGINT, SIGTERM or SIGHUP (130, 143, 129), 141
/// (128 + SIGPIPE, as a program killed by it) for a closed pipe, 1 otherwise.
pub fn exit_code(e: &Error) -> u8 {
    if matches!(e.kind(), crate::error::ErrorKind::Interrupted) {
        let sig = signals::received().unwrap_or(2);
        return u8::try_from(128 + sig).unwrap_or(130);
    }
    if e.is_broken_pipe() {
        return 141;
    }
    if e.is_input_error() {
        2
    } else {
        1
    }
}

/// Shows a clap error or the help or version text it carries, and returns
/// the exit status: the help on a closed or full standard output is not
/// lost silently either.
pub fn clap_exit(e: clap::Error) -> u8 {
    if e.use_stderr() {
        let _ = e.print();
        return u8::try_from(e.exit_code()).unwrap_or(2);
    }
    let text = if std::io::stdout().is_terminal() {
        e.render().ansi().to_string()
    } else {
        e.render().to_string()
    };
    match write_stdout(&text) {
        Ok(()) => 0,
        Err(err) => {
            if !err.is_broken_pipe() {
                print_err(&format!("error: {err}\n"));
            }
            exit_code(&err)
        }
    }
}
