//! A [`Problem`], and the `Checker` that collects them in the order they are
//! found: plain problems, unknown ids with a did-you-mean (`suggest`), and
//! dates outside the simulated period.

use crate::error::suggest;
use crate::scenario::ScenarioFile;
use crate::time::Date;

/// One semantic problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Dotted path.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// A likely intended id or key.
    pub suggestion: Option<String>,
}

/// Collects the problems of one scenario.
pub(super) struct Checker {
    pub(super) problems: Vec<Problem>,
    /// The simulated period, for dates that must lie within it.
    start: Date,
    end: Date,
}

impl Checker {
    /// An empty list, for scenario `s`.
    pub(super) fn new(s: &ScenarioFile) -> Self {
        Checker {
            problems: vec![],
            start: s.simulation.start.0,
            end: s.simulation.end.0,
        }
    }

    /// A problem at `path`.
    pub(super) fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
            suggestion: None,
        });
    }

    /// An id that names nothing: the ids it could have named, and the
    /// likeliest of them (did-you-mean).
    pub(super) fn unknown<'a>(
        &mut self,
        path: String,
        what: &str,
        id: &str,
        known: impl IntoIterator<Item = &'a str> + Clone,
    ) {
        let list: Vec<&str> = known.clone().into_iter().collect();
        self.problems.push(Problem {
            path,
            message: format!(
                "unknown {what} `{id}`; expected one of: {}",
                list.join(", ")
            ),
            suggestion: suggest(id, known),
        });
    }

    /// A date that must lie within the simulated period.
    pub(super) fn in_horizon(&mut self, path: String, d: Date) {
        let (start, end) = (self.start, self.end);
        if d < start || d > end {
            self.push(
                path,
                format!("{d} lies outside the simulated period {start} .. {end}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::validate::testing::*;

    #[test]
    fn unknown_ids_come_with_suggestions() {
        let ps = problems("[meetings.other]\ndate = 2024-03-01\nparticipants = [\"a\", \"bb\"]\nagenda = [\"xx\"]\n");
        let p = ps.iter().find(|p| p.message.contains("`bb`")).unwrap();
        assert_eq!(p.suggestion.as_deref(), Some("b"));
        assert!(ps.iter().any(|p| p.message.contains("`xx`")));
    }
}
