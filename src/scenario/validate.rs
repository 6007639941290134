//! Semantic validation: every problem in a scenario, reported at once.
//!
//! One file per part of the scenario, checked (and its problems reported) in
//! this order: `params` (every numeric parameter within its [`Bounds`]),
//! `simulation`, `observed`, `issues`, `parties` and `blocs`, `meetings`,
//! `conflicts`, `threats`, `events`. `problems` collects them, with a
//! did-you-mean for an unknown id.

mod blocs;
mod bounds;
mod conflicts;
mod events;
mod issues;
mod meetings;
mod observed;
mod params;
mod parties;
mod problems;
mod simulation;
mod threats;

pub use bounds::{Bounds, MAX_MAGNITUDE};
pub use conflicts::MAX_ALLIES;
pub use issues::{on_grid, MAX_ISSUE_VALUES};
pub use problems::Problem;

use super::ScenarioFile;
use problems::Checker;

/// The ids a scenario defines, for lookups and did-you-mean lists.
struct Ids<'a> {
    issues: Vec<&'a str>,
    parties: Vec<&'a str>,
    /// Parties, then blocs: what may sit at a table or fight a war.
    units: Vec<&'a str>,
}

/// Checks a deserialized scenario for consistency; returns every problem.
pub fn validate(s: &ScenarioFile) -> Vec<Problem> {
    let mut c = Checker::new(s);
    let issues: Vec<&str> = s.issues.keys().map(String::as_str).collect();
    let parties: Vec<&str> = s.parties.keys().map(String::as_str).collect();
    let blocs: Vec<&str> = s.blocs.keys().map(String::as_str).collect();
    let units: Vec<&str> = parties.iter().chain(blocs.iter()).copied().collect();
    let ids = Ids {
        issues,
        parties,
        units,
    };

    params::check(&mut c, s);
    simulation::check_period(&mut c, s);
    observed::check(&mut c, s);
    simulation::check_rounds(&mut c, s);
    if s.issues.is_empty() {
        c.push("issues", "a scenario needs at least one issue");
    }
    if s.parties.len() < 2 {
        c.push("parties", "a scenario needs at least two parties");
    }
    issues::check(&mut c, s);
    parties::check_reserved(&mut c, s);
    let bloc_of = blocs::check(&mut c, s, &ids);
    parties::check(&mut c, s, &ids, &bloc_of);
    meetings::check(&mut c, s, &ids, &bloc_of);
    let initiators = conflicts::check(&mut c, s, &ids);
    threats::check(&mut c, s, &ids, &bloc_of, &initiators);
    events::check(&mut c, s);
    c.problems
}

/// A small valid scenario, and helpers to check variants of it.
#[cfg(test)]
mod testing {
    pub(super) use super::{validate, Problem};
    pub(super) use crate::scenario::ScenarioFile;

    pub(super) const BASE: &str = r#"
name = "t"
[simulation]
start = 2024-01-01
end = 2024-06-30
[issues.x]
[issues.flag]
kind = "binary"
[parties.a]
positions = { x = 1.0 }
[parties.b]
positions = { x = 0.0 }
[parties.m]
[meetings.talk]
date = 2024-02-01
participants = ["a", "b"]
agenda = ["x"]
"#;

    pub(super) fn problems(extra: &str) -> Vec<Problem> {
        let text = format!("{BASE}{extra}");
        let s: ScenarioFile = toml::from_str(&text).expect("parses");
        validate(&s)
    }

    pub(super) fn has(ps: &[Problem], path: &str, words: &str) -> bool {
        ps.iter()
            .any(|p| p.path == path && p.message.contains(words))
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;

    #[test]
    fn base_is_valid() {
        assert_eq!(problems(""), vec![]);
    }
}
