//! `[observed]`: the record of what really happened, for `negsim score`.

use super::problems::{Checker, Problem};
use crate::error::suggest;
use crate::scenario::ScenarioFile;

/// A known outcome, a date within the period, settled values of known
/// issues within [0, 1], and a source.
pub(super) fn check(c: &mut Checker, s: &ScenarioFile) {
    let start = s.simulation.start.0;
    let end = s.simulation.end.0;
    if let Some(o) = &s.observed {
        let names = crate::scenario::OUTCOME_NAMES;
        if !names.contains(&o.outcome.as_str()) {
            c.problems.push(Problem {
                path: "observed.outcome".into(),
                message: format!(
                    "unknown outcome `{}`; expected one of: {}",
                    o.outcome,
                    names.join(", ")
                ),
                suggestion: suggest(&o.outcome, names.iter().copied()),
            });
        }
        if o.date.0 < start || o.date.0 > end {
            c.push(
                "observed.date",
                format!(
                    "{} lies outside the simulated period {start} .. {end}",
                    o.date.0
                ),
            );
        }
        for (i, v) in &o.settled {
            if !s.issues.contains_key(i) {
                c.problems.push(Problem {
                    path: format!("observed.settled.{i}"),
                    message: format!("unknown issue `{i}`"),
                    suggestion: suggest(i, s.issues.keys().map(String::as_str)),
                });
            } else if !(0.0..=1.0).contains(v) {
                c.push(
                    format!("observed.settled.{i}"),
                    format!("must be within [0, 1], got {v}"),
                );
            }
        }
        if o.source.trim().is_empty() {
            c.push("observed.source", "say where the record comes from");
        }
    }
}
