//! `[issues]`: each issue's kind and values, and any value given for an
//! issue (a binary issue's 0 or 1, a discrete issue's grid).

use std::collections::BTreeSet;

use super::problems::Checker;
use crate::scenario::{IssueDef, IssueKind, IssueValues, Param, ScenarioFile};

/// Most values a discrete issue may have.
pub const MAX_ISSUE_VALUES: usize = 10_001;

/// Whether `x` is a value of a discrete issue with `n` values.
pub fn on_grid(x: f64, n: usize) -> bool {
    let k = x * (n - 1) as f64;
    (k - k.round()).abs() < 1e-9 * (n as f64)
}

/// A discrete issue has values, between 2 and [`MAX_ISSUE_VALUES`] of them,
/// labels listed once; `values` on no other kind; the status quo fits the kind.
pub(super) fn check(c: &mut Checker, s: &ScenarioFile) {
    for (id, def) in &s.issues {
        match (def.kind, &def.values) {
            (IssueKind::Discrete, None) => c.push(
                format!("issues.{id}.values"),
                "a discrete issue needs `values`: a count such as 5, or labels such as [\"none\", \"partial\", \"full\"]",
            ),
            (IssueKind::Discrete, Some(v)) => {
                if v.len() < 2 || v.len() > MAX_ISSUE_VALUES {
                    c.push(
                        format!("issues.{id}.values"),
                        format!("a discrete issue has 2..={MAX_ISSUE_VALUES} values, got {}", v.len()),
                    );
                }
                if let IssueValues::Labels(labels) = v {
                    let mut seen = BTreeSet::new();
                    for l in labels {
                        if !seen.insert(l.as_str()) {
                            c.push(
                                format!("issues.{id}.values"),
                                format!("the label `{l}` is listed twice"),
                            );
                        }
                    }
                }
            }
            (_, Some(_)) => c.push(
                format!("issues.{id}.values"),
                "`values` applies to a discrete issue; add kind = \"discrete\" or drop it",
            ),
            _ => {}
        }
        check_binary(
            c,
            format!("issues.{id}.status_quo"),
            id,
            def,
            &def.status_quo(),
        );
    }
}

/// A value `v` given at `path` for issue `id` fits its kind: 0 or 1 for a
/// binary issue, one of the values of a discrete one.
pub(super) fn check_binary(c: &mut Checker, path: String, id: &str, def: &IssueDef, v: &Param) {
    match def.kind {
        IssueKind::Continuous => {}
        IssueKind::Binary => match v {
            Param::Fixed(x) if *x == 0.0 || *x == 1.0 => {}
            Param::Fixed(x) => c.push(
                path,
                format!("issue `{id}` is binary: the value is 0 or 1, got {x}"),
            ),
            _ => c.push(
                path,
                format!("issue `{id}` is binary: give 0 or 1, not a distribution"),
            ),
        },
        IssueKind::Discrete => {
            let Some(n) = def
                .values
                .as_ref()
                .map(IssueValues::len)
                .filter(|&n| n >= 2)
            else {
                return; // reported on the issue itself
            };
            if let Param::Fixed(x) = v {
                if (0.0..=1.0).contains(x) && !on_grid(*x, n) {
                    let step = 1.0 / (n - 1) as f64;
                    let below = (x / step).floor() * step;
                    c.push(
                        path,
                        format!(
                            "issue `{id}` has {n} values, spaced {step}: {x} is not one of them (nearest: {} or {})",
                            short(below),
                            short((below + step).min(1.0))
                        ),
                    );
                }
            }
        }
    }
}

/// A value rounded to nine decimals for messages.
fn short(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

#[cfg(test)]
mod tests {
    use crate::scenario::validate::testing::*;

    #[test]
    fn binary_values_are_zero_or_one() {
        let text = BASE.replace(
            "kind = \"binary\"\n",
            "kind = \"binary\"\nstatus_quo = 0.5\n",
        );
        let s: ScenarioFile = toml::from_str(&text).unwrap();
        assert!(has(&validate(&s), "issues.flag.status_quo", "binary"));
        let text = BASE.replace(
            "positions = { x = 1.0 }",
            "positions = { x = 1.0, flag = { uniform = [0, 1] } }",
        );
        let s: ScenarioFile = toml::from_str(&text).unwrap();
        assert!(has(
            &validate(&s),
            "parties.a.positions.flag",
            "not a distribution"
        ));
    }
}
