//! `[parties]`: positions, saliences and red lines on known issues, tactic
//! settings that apply to the tactic, rivals; the reserved id `any`.

use std::collections::BTreeMap;

use super::issues::check_binary;
use super::problems::Checker;
use super::Ids;
use crate::scenario::{Param, ScenarioFile, TacticDef, TacticKind};

/// No party is called `any`.
pub(super) fn check_reserved(c: &mut Checker, s: &ScenarioFile) {
    if s.parties.contains_key("any") {
        c.push(
            "parties.any",
            "`any` is reserved (it means every party in triggers); choose another id",
        );
    }
}

/// Each party's tables and rivals; `bloc_of` gives the bloc of each member.
pub(super) fn check(c: &mut Checker, s: &ScenarioFile, ids: &Ids, bloc_of: &BTreeMap<&str, &str>) {
    let (issues, parties) = (&ids.issues, &ids.parties);
    for (pid, p) in &s.parties {
        for iss in p.positions.keys() {
            if !s.issues.contains_key(iss) {
                c.unknown(
                    format!("parties.{pid}.positions.{iss}"),
                    "issue",
                    iss,
                    issues.iter().copied(),
                );
            }
        }
        for (iss, v) in &p.reservation {
            if let Some(def) = s.issues.get(iss) {
                check_binary(c, format!("parties.{pid}.reservation.{iss}"), iss, def, v);
            }
        }
        for (iss, v) in &p.positions {
            if let Some(def) = s.issues.get(iss) {
                check_binary(c, format!("parties.{pid}.positions.{iss}"), iss, def, v);
            }
        }
        for iss in p.salience.keys() {
            if !p.positions.contains_key(iss) {
                c.push(
                    format!("parties.{pid}.salience.{iss}"),
                    format!("salience given for `{iss}`, but the party states no position on it; add parties.{pid}.positions.{iss}"),
                );
            }
        }
        for iss in p.reservation.keys() {
            if !p.positions.contains_key(iss) {
                c.push(
                    format!("parties.{pid}.reservation.{iss}"),
                    format!("red line given for `{iss}`, but the party states no position on it; add parties.{pid}.positions.{iss}"),
                );
            }
        }
        if let TacticDef::Table(t) = &p.tactic {
            let time_dependent = matches!(
                t.kind,
                TacticKind::Boulware | TacticKind::Conceder | TacticKind::Linear
            );
            if t.beta.is_some() && !time_dependent {
                c.push(
                    format!("parties.{pid}.tactic.beta"),
                    format!(
                        "`beta` applies to the boulware, conceder and linear tactics, not {}",
                        t.kind.name()
                    ),
                );
            }
            if t.k.is_some() && !time_dependent {
                c.push(
                    format!("parties.{pid}.tactic.k"),
                    format!(
                        "`k` applies to the boulware, conceder and linear tactics, not {}",
                        t.kind.name()
                    ),
                );
            }
            if t.step.is_some() && t.kind != TacticKind::DeGroot {
                c.push(
                    format!("parties.{pid}.tactic.step"),
                    format!(
                        "`step` applies to the degroot tactic, not {}",
                        t.kind.name()
                    ),
                );
            }
        }
        if !p.positions.is_empty() {
            let total: f64 = p
                .positions
                .keys()
                .map(|i| p.salience.get(i).map_or(1.0, Param::mean))
                .sum();
            if total <= 0.0 {
                c.push(
                    format!("parties.{pid}.salience"),
                    "saliences add up to zero; give at least one issue a positive weight",
                );
            }
        }
        for r in &p.rivals {
            if r == pid {
                c.push(
                    format!("parties.{pid}.rivals"),
                    "a party cannot be its own rival",
                );
            } else if !s.parties.contains_key(r) {
                c.unknown(
                    format!("parties.{pid}.rivals"),
                    "party",
                    r,
                    parties.iter().copied(),
                );
            } else if bloc_of.contains_key(pid.as_str())
                && bloc_of.get(pid.as_str()) == bloc_of.get(r.as_str())
            {
                c.push(
                    format!("parties.{pid}.rivals"),
                    format!("`{r}` is in the same bloc"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::validate::testing::*;

    #[test]
    fn beta_only_for_time_dependent_tactics() {
        let text = BASE.replace(
            "[parties.b]\n",
            "[parties.b]\ntactic = { kind = \"hardliner\", beta = 0.5 }\n",
        );
        let s: ScenarioFile = toml::from_str(&text).unwrap();
        let ps = validate(&s);
        assert!(has(&ps, "parties.b.tactic.beta", "hardliner"), "{ps:?}");
    }

    #[test]
    fn any_is_a_reserved_id() {
        let ps = problems("[parties.any]\n");
        assert!(has(&ps, "parties.any", "reserved"));
    }
}
