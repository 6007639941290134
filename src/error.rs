//! The library's error type: one struct with a kind, every kind with its context.

use std::fmt;
use std::path::PathBuf;

use crate::engine::EngineError;

/// The name [`Error::io`] is given for standard output.
pub const STDOUT: &str = "<stdout>";

/// One problem found in a scenario: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The scenario file (or `--set KEY=VALUE` when an override is at fault).
    pub file: String,
    /// 1-based line and column of the offending key or value, when known.
    pub location: Option<(usize, usize)>,
    /// Dotted path of the field, e.g. `parties.russia.positions.nato_enlargement`.
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// A likely fix for a misspelt key or id.
    pub suggestion: Option<String>,
}

/// Shows free text from a file with its control characters escaped (see
/// [`crate::output::terminal_safe`]): a scenario cannot reach the terminal
/// through an error message.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::output::{terminal_safe, terminal_safe_lines};
        write!(f, "{}", terminal_safe(&self.file))?;
        if let Some((line, col)) = self.location {
            write!(f, ":{line}:{col}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", terminal_safe(&self.path))?;
        }
        write!(f, ": {}", terminal_safe_lines(&self.message))?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{}`?)", terminal_safe(s))?;
        }
        Ok(())
    }
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The scenario is malformed or inconsistent; every problem found is listed.
    Scenario(Vec<Diagnostic>),
    /// A command-line value is unusable (a bad `--set`, `--runs 0`, a bad sweep spec…).
    Usage(String),
    /// A run exceeded its event cap.
    Engine {
        /// The run index.
        run: u64,
        /// The engine's report.
        source: EngineError,
    },
    /// The run was interrupted (Ctrl-C, SIGTERM, SIGHUP); no output file was left behind.
    Interrupted,
    /// Anything else (a CSV writer failure, a broken pipe…).
    Other(String),
    /// An input file that cannot be used as one: a directory, a device, a file
    /// over its size limit, or one that cannot be read.
    Input {
        /// The file as named.
        path: PathBuf,
        /// What is wrong with it and what was expected.
        reason: String,
    },
}

/// A cause kept by an [`Error`] for [`std::error::Error::source`].
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// negsim's error.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    cause: Option<Cause>,
}

impl Error {
    /// Wraps a kind.
    pub fn new(kind: ErrorKind) -> Self {
        Error { kind, cause: None }
    }

    /// Keeps `cause` as this error's [`source`](std::error::Error::source),
    /// for the kinds that do not carry one of their own (`Usage`, `Other`,
    /// `Input`, `Scenario`).
    pub fn with_source(mut self, cause: impl Into<Cause>) -> Self {
        self.cause = Some(cause.into());
        self
    }

    /// Shorthand for an unusable input file.
    pub fn input(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::new(ErrorKind::Input {
            path: path.into(),
            reason: reason.into(),
        })
    }

    /// Whether the error is a write to a closed pipe (`negsim ... | head`),
    /// which ends the program quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(&self.kind, ErrorKind::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// The kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Shorthand for a usage error.
    pub fn usage(msg: impl Into<String>) -> Self {
        Error::new(ErrorKind::Usage(msg.into()))
    }

    /// Shorthand for an I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::new(ErrorKind::Io {
            path: path.into(),
            source,
        })
    }

    /// Whether the user's input is at fault (exit code 2) rather than the system (exit code 1).
    pub fn is_input_error(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Scenario(_) | ErrorKind::Usage(_) | ErrorKind::Input { .. }
        ) || matches!(&self.kind, ErrorKind::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }

    /// The diagnostics of a scenario error (empty otherwise).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match &self.kind {
            ErrorKind::Scenario(d) => d,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Io { path, source } if path.as_os_str() == STDOUT => {
                write!(f, "cannot write to standard output: {source}")
            }
            ErrorKind::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ErrorKind::Input { path, reason } => write!(f, "{}: {reason}", path.display()),
            ErrorKind::Scenario(diags) => {
                for (i, d) in diags.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            ErrorKind::Usage(m) => write!(f, "{m}"),
            ErrorKind::Engine { run, source } => write!(f, "run {run}: {source}"),
            ErrorKind::Interrupted => write!(f, "interrupted; no output file was written"),
            ErrorKind::Other(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io { source, .. } => Some(source),
            ErrorKind::Engine { source, .. } => Some(source),
            _ => self
                .cause
                .as_deref()
                .map(|c| c as &(dyn std::error::Error + 'static)),
        }
    }
}

/// The closest candidate to a misspelt name, if any is close enough.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            suggest("patiense", ["patience", "capability"]).as_deref(),
            Some("patience")
        );
        assert_eq!(suggest("zzz", ["patience", "capability"]), None);
    }

    #[test]
    fn usage_errors_keep_their_cause() {
        use std::error::Error as _;
        let cause = std::io::Error::other("the cause");
        let e = Error::usage("context").with_source(cause);
        assert_eq!(e.to_string(), "context");
        assert_eq!(e.source().unwrap().to_string(), "the cause");
        assert!(Error::usage("plain").source().is_none());
    }

    #[test]
    fn stdout_errors_say_so_and_broken_pipes_are_told_apart() {
        let full = Error::io(STDOUT, std::io::Error::from_raw_os_error(28));
        assert!(full
            .to_string()
            .starts_with("cannot write to standard output: "));
        assert!(!full.is_broken_pipe() && !full.is_input_error());
        let pipe = Error::io(STDOUT, std::io::ErrorKind::BrokenPipe.into());
        assert!(pipe.is_broken_pipe());
        assert!(Error::input("d", "is a directory").is_input_error());
    }

    #[test]
    fn diagnostic_display() {
        let d = Diagnostic {
            file: "s.toml".into(),
            location: Some((3, 5)),
            path: "parties.russia.patiense".into(),
            message: "unknown field `patiense`".into(),
            suggestion: Some("patience".into()),
        };
        assert_eq!(
            d.to_string(),
            "s.toml:3:5: parties.russia.patiense: unknown field `patiense` (did you mean `patience`?)"
        );
    }
}
