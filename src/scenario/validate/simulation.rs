//! `[simulation]`: the period, the counts and the global settings.

use super::problems::Checker;
use crate::scenario::ScenarioFile;

/// The period (end after start, `as_of` within it), `runs` and `max_events`.
pub(super) fn check_period(c: &mut Checker, s: &ScenarioFile) {
    let start = s.simulation.start.0;
    let end = s.simulation.end.0;
    if start >= end {
        c.push(
            "simulation.end",
            format!("the end {end} must come after the start {start}"),
        );
    }
    if s.simulation.runs == Some(0) {
        c.push("simulation.runs", "must be at least 1");
    }
    if s.simulation.max_events == 0 {
        c.push("simulation.max_events", "must be at least 1");
    }
    if let Some(d) = s.simulation.as_of {
        if d.0 < start || d.0 > end {
            c.push(
                "simulation.as_of",
                format!("{} lies outside the simulated period {start} .. {end}", d.0),
            );
        }
    }
}

/// `round_days` and `convergence`.
pub(super) fn check_rounds(c: &mut Checker, s: &ScenarioFile) {
    let rd = s.simulation.round_days;
    if !(rd.is_finite() && rd >= 0.0) {
        c.push(
            "simulation.round_days",
            format!("must be a finite number >= 0, got {rd}"),
        );
    }
    let conv = s.simulation.convergence;
    if !(0.0..=1.0).contains(&conv) {
        c.push(
            "simulation.convergence",
            format!("must be within [0, 1], got {conv}"),
        );
    }
}
