//! `[conflicts]` and rivals: the wars the parties may choose, who fights,
//! who may start them, what they decide, and their allies.

use std::collections::{BTreeMap, BTreeSet};

use super::blocs::lead_of;
use super::problems::Checker;
use super::Ids;
use crate::scenario::{ScenarioFile, StakesDef};

/// Most allies a conflict may have (its war value sums over every subset of
/// them that could join).
pub const MAX_ALLIES: usize = 8;

/// Checks every conflict; returns who can start a war (parties with rivals,
/// a conflict's initiators and their leads).
pub(super) fn check(c: &mut Checker, s: &ScenarioFile, ids: &Ids) -> BTreeSet<String> {
    let (issues, parties, units) = (&ids.issues, &ids.parties, &ids.units);
    let mut initiators: BTreeSet<String> = BTreeSet::new();
    for (pid, p) in &s.parties {
        for r in &p.rivals {
            initiators.insert(pid.clone());
            initiators.insert(r.clone());
        }
    }
    let side_of = |u: &str| -> Vec<String> {
        match s.blocs.get(u) {
            Some(b) => b.members.clone(),
            None => vec![u.to_string()],
        }
    };
    let mut pairs: BTreeMap<(String, String), String> = BTreeMap::new();
    for (pid, p) in &s.parties {
        for r in &p.rivals {
            let key = if pid < r {
                (pid.clone(), r.clone())
            } else {
                (r.clone(), pid.clone())
            };
            pairs
                .entry(key)
                .or_insert_with(|| format!("parties.{pid}.rivals"));
        }
    }
    for (cid, cdef) in &s.conflicts {
        let base = format!("conflicts.{cid}");
        if cdef.between.len() != 2 {
            c.push(
                format!("{base}.between"),
                format!(
                    "a conflict is fought between two belligerents (parties or blocs), got {}",
                    cdef.between.len()
                ),
            );
        }
        let mut known = true;
        for u in &cdef.between {
            if !units.contains(&u.as_str()) {
                known = false;
                c.unknown(
                    format!("{base}.between"),
                    "party or bloc",
                    u,
                    units.iter().copied(),
                );
            }
        }
        if !known || cdef.between.len() != 2 {
            continue;
        }
        let (a, b) = (&cdef.between[0], &cdef.between[1]);
        let (side_a, side_b) = (side_of(a), side_of(b));
        if side_a.iter().any(|m| side_b.contains(m)) {
            c.push(
                format!("{base}.between"),
                format!("`{a}` and `{b}` are on the same side; a conflict needs two opponents"),
            );
        }
        let key = if a < b {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        if let Some(other) = pairs.get(&key) {
            c.push(
                format!("{base}.between"),
                format!(
                    "`{a}` and `{b}` already fight each other through {other}; give the war once"
                ),
            );
        } else {
            pairs.insert(key, base.clone());
        }
        match &cdef.initiators {
            Some(list) => {
                if list.is_empty() {
                    c.push(
                        format!("{base}.initiators"),
                        "nobody may start this war; name at least one initiator, or drop the conflict",
                    );
                }
                for i in list {
                    let inside = i == a || i == b || side_a.contains(i) || side_b.contains(i);
                    if !inside {
                        c.unknown(
                            format!("{base}.initiators"),
                            "belligerent",
                            i,
                            cdef.between.iter().map(String::as_str),
                        );
                    } else {
                        initiators.insert(lead_of(s, i));
                        initiators.insert(i.clone());
                    }
                }
            }
            None => {
                for u in [a, b] {
                    initiators.insert(lead_of(s, u));
                    initiators.insert(u.clone());
                }
            }
        }
        match &cdef.stakes {
            Some(StakesDef::List(list)) => {
                if list.is_empty() {
                    c.push(
                        format!("{base}.stakes"),
                        "a war must decide at least one issue",
                    );
                }
                for i in list {
                    if !s.issues.contains_key(i) {
                        c.unknown(format!("{base}.stakes"), "issue", i, issues.iter().copied());
                    }
                }
            }
            Some(StakesDef::Table(t)) => {
                if t.is_empty() {
                    c.push(
                        format!("{base}.stakes"),
                        "a war must decide at least one issue",
                    );
                }
                for i in t.keys() {
                    if !s.issues.contains_key(i) {
                        c.unknown(
                            format!("{base}.stakes.{i}"),
                            "issue",
                            i,
                            issues.iter().copied(),
                        );
                    }
                }
            }
            None => {}
        }
        if let Some(d) = cdef.not_before {
            c.in_horizon(format!("{base}.not_before"), d.0);
        }
        if cdef.allies.len() > MAX_ALLIES {
            c.push(
                format!("{base}.allies"),
                format!(
                    "at most {MAX_ALLIES} allies per conflict, got {}",
                    cdef.allies.len()
                ),
            );
        }
        for (ally, def) in &cdef.allies {
            let path = format!("{base}.allies.{ally}");
            if !s.parties.contains_key(ally) {
                c.unknown(path.clone(), "party", ally, parties.iter().copied());
            } else if side_a.contains(ally) || side_b.contains(ally) {
                c.push(
                    path.clone(),
                    format!("`{ally}` already fights in this war as a belligerent"),
                );
            }
            if def.side != *a && def.side != *b {
                c.unknown(
                    format!("{path}.side"),
                    "belligerent",
                    &def.side,
                    cdef.between.iter().map(String::as_str),
                );
            }
        }
    }
    initiators
}
