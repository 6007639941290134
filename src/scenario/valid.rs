//! A scenario that passed validation, as a type: [`crate::model::Model::compile`]
//! takes only this, and only validation makes one, so a scenario with an
//! unknown id or an out-of-range value cannot reach the compiler (misuse is
//! a compile error or an `Err`, never a panic).

use std::ops::Deref;

use super::validate::{validate, Problem};
use super::ScenarioFile;
use crate::limits::Limits;

/// A [`ScenarioFile`] whose ids, references, ranges and limits were checked.
/// Read it through `Deref`; get one from [`ValidScenario::new`] or from
/// loading ([`super::ScenarioSource`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidScenario(ScenarioFile);

impl ValidScenario {
    /// Validates `scenario` within `limits`: every problem, or the
    /// validated scenario.
    ///
    /// # Errors
    /// Every problem found, as [`ScenarioSource`](super::ScenarioSource)
    /// would report them (without file locations).
    pub fn new(scenario: ScenarioFile, limits: &Limits) -> Result<Self, Vec<Problem>> {
        let problems = problems(&scenario, limits);
        if problems.is_empty() {
            Ok(ValidScenario(scenario))
        } else {
            Err(problems)
        }
    }

    /// For the loader, which has just found no [`problems`].
    pub(super) fn checked(scenario: ScenarioFile) -> Self {
        ValidScenario(scenario)
    }

    /// The scenario, to edit it (it must then be validated again).
    pub fn into_inner(self) -> ScenarioFile {
        self.0
    }
}

impl Deref for ValidScenario {
    type Target = ScenarioFile;
    fn deref(&self) -> &ScenarioFile {
        &self.0
    }
}

/// Every problem of `s`: its ids, its meaning, its limits.
pub(super) fn problems(s: &ScenarioFile, limits: &Limits) -> Vec<Problem> {
    let mut p = super::ids::check(s);
    p.extend(validate(s));
    p.extend(super::limits::check(s, limits));
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_valid_scenario_is_made_valid() {
        let text = r#"
name = "t"
[simulation]
start = 2024-01-01
end = 2024-06-30
[issues.x]
[parties.a]
positions = { x = 1.0 }
[parties.b]
positions = { x = 0.0 }
[meetings.m]
date = 2024-02-01
participants = ["a", "ghost"]
agenda = ["x"]
"#;
        let bad: ScenarioFile = toml::from_str(text).unwrap();
        let problems = ValidScenario::new(bad, &Limits::default()).unwrap_err();
        assert!(problems.iter().any(|p| p.message.contains("`ghost`")));
        let good: ScenarioFile = toml::from_str(&text.replace("ghost", "b")).unwrap();
        let valid = ValidScenario::new(good.clone(), &Limits::default()).unwrap();
        assert_eq!(valid.name, "t");
        assert_eq!(valid.into_inner(), good);
    }
}
