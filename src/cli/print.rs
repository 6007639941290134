//! What a command prints: [`Report`] (a table, nothing or JSON), and
//! writing to standard output and error without a panic or a silent loss.

use std::io::Write;

use crate::error::{Error, Result, STDOUT};

/// What a command prints on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Report {
    /// The table for people.
    #[default]
    Human,
    /// Nothing (`--quiet`).
    Quiet,
    /// JSON on standard output (`--json`).
    Json,
}

impl Report {
    /// From `--quiet` and `--json`.
    pub fn from_flags(quiet: bool, json: bool) -> Report {
        match (quiet, json) {
            (_, true) => Report::Json,
            (true, false) => Report::Quiet,
            _ => Report::Human,
        }
    }
}

/// Writes `text` to standard output and flushes it: a closed pipe or a full
/// disk is an error, never a panic or a silent loss. Control characters other
/// than line breaks are escaped (the text is for people; CSV goes elsewhere).
pub fn print_out(text: &str) -> Result<()> {
    write_stdout(&crate::output::terminal_safe_lines(text))
}

/// Writes negsim's own text (clap's help, with its colours) as it is.
pub(super) fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(STDOUT, e))
}

/// Writes `text` to standard error; a failure there has nowhere to be told,
/// so it is ignored (never a panic).
pub fn print_err(text: &str) {
    let text = crate::output::terminal_safe_lines(text);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// Prints `v` as pretty JSON on standard output, with a final line break.
pub fn write_json(v: &serde_json::Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(v).expect("JSON serializes");
    text.push('\n');
    write_stdout(&text)
}
