//! Every numeric parameter of the model, visited with its path and range
//! ([`ScenarioFile::for_each_param`]), and checked against that range.

use super::problems::Checker;
use super::Bounds;
use crate::scenario::{Param, ScenarioFile, StakesDef, TacticDef};

impl ScenarioFile {
    /// Visits every numeric parameter of the model with its path and range,
    /// in a fixed order (file order within each table).
    pub fn for_each_param(&self, mut f: impl FnMut(String, &Param, Bounds)) {
        f(
            "simulation.noise".into(),
            &self.simulation.noise,
            Bounds::NonNegative,
        );
        f(
            "simulation.temperature".into(),
            &self.simulation.temperature,
            Bounds::NonNegative,
        );
        for (id, i) in &self.issues {
            f(
                format!("issues.{id}.status_quo"),
                &i.status_quo(),
                Bounds::Unit,
            );
        }
        for (id, p) in &self.parties {
            for (iss, v) in &p.positions {
                f(format!("parties.{id}.positions.{iss}"), v, Bounds::Unit);
            }
            for (iss, v) in &p.salience {
                f(
                    format!("parties.{id}.salience.{iss}"),
                    v,
                    Bounds::NonNegative,
                );
            }
            for (iss, v) in &p.reservation {
                f(format!("parties.{id}.reservation.{iss}"), v, Bounds::Unit);
            }
            f(
                format!("parties.{id}.capability"),
                &p.capability,
                Bounds::Positive,
            );
            f(
                format!("parties.{id}.cost_of_conflict"),
                &p.cost_of_conflict,
                Bounds::NonNegative,
            );
            f(
                format!("parties.{id}.patience"),
                &p.patience,
                Bounds::UnitOpenLow,
            );
            f(
                format!("parties.{id}.walkout"),
                &p.walkout,
                Bounds::NonNegative,
            );
            if let Some(c) = &p.walkout_chance {
                f(format!("parties.{id}.walkout_chance"), c, Bounds::Unit);
            }
            if let Some(t) = &p.temperature {
                f(format!("parties.{id}.temperature"), t, Bounds::NonNegative);
            }
            if let Some(n) = &p.noise {
                f(format!("parties.{id}.noise"), n, Bounds::NonNegative);
            }
            if let Some(d) = &p.disagreement {
                f(format!("parties.{id}.disagreement"), d, Bounds::Signed);
            }
            if let TacticDef::Table(t) = &p.tactic {
                if let Some(b) = &t.beta {
                    f(format!("parties.{id}.tactic.beta"), b, Bounds::Positive);
                }
                if let Some(k) = &t.k {
                    f(format!("parties.{id}.tactic.k"), k, Bounds::Unit);
                }
                if let Some(s) = &t.step {
                    f(format!("parties.{id}.tactic.step"), s, Bounds::Unit);
                }
            }
        }
        for (id, m) in &self.meetings {
            if let Some(fu) = &m.follow_up {
                f(
                    format!("meetings.{id}.follow_up.delay"),
                    &fu.delay,
                    Bounds::NonNegative,
                );
            }
            if let Some(d) = &m.date_shift {
                f(format!("meetings.{id}.date_shift"), d, Bounds::NonNegative);
            }
        }
        for (id, t) in &self.threats {
            if let Some(c) = &t.cost_to_target {
                f(
                    format!("threats.{id}.cost_to_target"),
                    c,
                    Bounds::NonNegative,
                );
            }
            if let Some(c) = &t.cost_to_issuer {
                f(
                    format!("threats.{id}.cost_to_issuer"),
                    c,
                    Bounds::NonNegative,
                );
            }
            f(
                format!("threats.{id}.credibility"),
                &t.credibility,
                Bounds::Unit,
            );
            if let Some(d) = &t.delay {
                f(format!("threats.{id}.delay"), d, Bounds::NonNegative);
            }
        }
        for (id, e) in &self.events {
            if let Some(r) = &e.rate {
                f(format!("events.{id}.rate"), r, Bounds::NonNegative);
            }
        }
        for (id, c) in &self.conflicts {
            if let Some(StakesDef::Table(t)) = &c.stakes {
                for (iss, v) in t {
                    f(format!("conflicts.{id}.stakes.{iss}"), v, Bounds::Unit);
                }
            }
            for (a, ally) in &c.allies {
                f(
                    format!("conflicts.{id}.allies.{a}.probability"),
                    &ally.probability,
                    Bounds::Unit,
                );
                f(
                    format!("conflicts.{id}.allies.{a}.contribution"),
                    &ally.contribution,
                    Bounds::NonNegative,
                );
            }
        }
    }
}

/// Each parameter is well formed and lies in its range (a distribution over
/// the whole of its support).
pub(super) fn check(c: &mut Checker, s: &ScenarioFile) {
    s.for_each_param(|path, p, bounds| {
        if let Some(msg) = p.check() {
            c.push(path, msg);
            return;
        }
        let (lo, hi) = p.support();
        if !bounds.contains(lo, hi) {
            let shown = if p.is_random() {
                format!("the distribution {p} ranges over [{lo}, {hi}]")
            } else {
                format!("got {p}")
            };
            c.push(path, format!("must be {}; {shown}", bounds.describe()));
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::scenario::validate::testing::*;

    #[test]
    fn distributions_must_fit_the_range() {
        let text = BASE.replace(
            "[parties.b]\n",
            "[parties.b]\npatience = { uniform = [0.5, 1.5] }\n",
        );
        let s: ScenarioFile = toml::from_str(&text).unwrap();
        assert!(has(&validate(&s), "parties.b.patience", "(0, 1]"));
        let text = BASE.replace(
            "[parties.b]\n",
            "[parties.b]\npatience = { normal = [0.9, 0.05] }\n",
        );
        let s: ScenarioFile = toml::from_str(&text).unwrap();
        assert!(has(&validate(&s), "parties.b.patience", "ranges over"));
    }
}
