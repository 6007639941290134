//! `negsim validate`: check scenario files, print `ok: FILE` for each good
//! one, and report every bad one.

use std::path::PathBuf;

use clap::Args;

use super::print_out;
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::scenario::ScenarioSource;

/// `negsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files (`-`: standard input).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Raise (or lower) a limit on purpose: `runs=5000000000` (see docs/scenario-format.md, "Limits").
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limit: Vec<String>,
}

/// `negsim validate`: every file checked, every failure reported.
pub(super) fn validate(args: &ValidateArgs) -> Result<()> {
    let limits = Limits::from_settings(&args.limit)?;
    let mut failed: Vec<Error> = Vec::new();
    for path in &args.scenarios {
        match ScenarioSource::from_path_within(path, &[], &limits) {
            Ok(_) => print_out(&format!("ok: {}\n", path.display()))?,
            Err(e) => failed.push(e),
        }
    }
    match failed.len() {
        0 => Ok(()),
        1 => Err(failed.remove(0)),
        n => {
            let input = failed.iter().all(Error::is_input_error);
            let mut text = String::new();
            for e in &failed {
                text.push_str(&e.to_string());
                text.push('\n');
            }
            text.push_str(&format!(
                "{n} of {} scenario files are invalid",
                args.scenarios.len()
            ));
            let e = if input {
                Error::usage(text)
            } else {
                Error::new(crate::error::ErrorKind::Other(text))
            };
            Err(e.with_source(Failures(failed)))
        }
    }
}

/// The errors of several scenario files, kept as the source of the error
/// that lists them.
#[derive(Debug)]
pub struct Failures(pub Vec<Error>);

impl std::fmt::Display for Failures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} scenario files are invalid", self.0.len())
    }
}

impl std::error::Error for Failures {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .first()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
