//! `[events]`: scheduled or random, within the period, and effects on
//! numeric parameters of the scenario.

use std::collections::BTreeSet;

use super::problems::{Checker, Problem};
use crate::error::suggest;
use crate::scenario::ScenarioFile;

/// Checks every event and its effects.
pub(super) fn check(c: &mut Checker, s: &ScenarioFile) {
    let mut param_paths = BTreeSet::new();
    s.for_each_param(|p, _, _| {
        param_paths.insert(p);
    });
    for (eid, e) in &s.events {
        let base = format!("events.{eid}");
        match (&e.date, &e.rate) {
            (Some(d), None) => {
                c.in_horizon(format!("{base}.date"), d.0);
                if e.from.is_some() || e.until.is_some() || e.max.is_some() {
                    c.push(
                        base.clone(),
                        "`from`, `until` and `max` apply to random events (with `rate`) only",
                    );
                }
            }
            (None, Some(_)) => {
                if let Some(f) = &e.from {
                    c.in_horizon(format!("{base}.from"), f.0);
                }
                if let Some(u) = &e.until {
                    c.in_horizon(format!("{base}.until"), u.0);
                }
                if let (Some(f), Some(u)) = (&e.from, &e.until) {
                    if f.0 >= u.0 {
                        c.push(
                            format!("{base}.until"),
                            format!("`until` {} must come after `from` {}", u.0, f.0),
                        );
                    }
                }
            }
            _ => c.push(
                base.clone(),
                "an event needs exactly one of `date` (scheduled) or `rate` (random, per day)",
            ),
        }
        // An event without effects is a decision point only (a date on
        // which parties reconsider, such as an ultimatum expiring).
        for (k, eff) in e.effects.iter().enumerate() {
            let ep = format!("{base}.effects.{k}");
            let ops = [eff.add, eff.scale, eff.to];
            if ops.iter().filter(|o| o.is_some()).count() != 1 {
                c.push(
                    ep.clone(),
                    "an effect needs exactly one of `add`, `scale` or `to`",
                );
            } else if ops.iter().flatten().any(|v| !v.is_finite()) {
                c.push(ep.clone(), "the effect's amount must be a finite number");
            }
            if !param_paths.contains(&eff.path) {
                c.problems.push(Problem {
                    path: format!("{ep}.path"),
                    message: format!("`{}` is not a numeric parameter of this scenario", eff.path),
                    suggestion: suggest(&eff.path, param_paths.iter().map(String::as_str)),
                });
            }
        }
    }
}
