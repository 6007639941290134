//! `[threats]`: issuer and target, triggers that can fire, and no cycle of
//! threats triggering each other.

use std::collections::{BTreeMap, BTreeSet};

use super::problems::Checker;
use super::Ids;
use crate::scenario::{ScenarioFile, TriggerDef};

/// Checks every threat; `bloc_of` gives the bloc of each member, and
/// `initiators` who can start a war.
pub(super) fn check(
    c: &mut Checker,
    s: &ScenarioFile,
    ids: &Ids,
    bloc_of: &BTreeMap<&str, &str>,
    initiators: &BTreeSet<String>,
) {
    let parties = &ids.parties;
    let threat_ids: Vec<&str> = s.threats.keys().map(String::as_str).collect();
    for (tid, t) in &s.threats {
        let base = format!("threats.{tid}");
        for (field, who) in [("issuer", &t.issuer), ("target", &t.target)] {
            if !s.parties.contains_key(who) {
                c.unknown(
                    format!("{base}.{field}"),
                    "party",
                    who,
                    parties.iter().copied(),
                );
            }
        }
        if t.issuer == t.target {
            c.push(
                format!("{base}.target"),
                "a threat's target must differ from its issuer",
            );
        }
        if let TriggerDef::Escalation(p) = &t.trigger {
            let can = if p == "any" {
                !initiators.is_empty()
            } else {
                initiators.contains(p)
            };
            if !can && (p == "any" || s.parties.contains_key(p)) {
                c.push(
                    format!("{base}.trigger"),
                    format!("`{p}` starts no war (no conflict names it as an initiator and it has no rivals), so this threat could never fire"),
                );
            }
        }
        match &t.trigger {
            TriggerDef::Walkout(p) | TriggerDef::Escalation(p) => {
                if p != "any" && !s.parties.contains_key(p) {
                    c.unknown(
                        format!("{base}.trigger"),
                        "party",
                        p,
                        parties.iter().copied().chain(["any"]),
                    );
                }
                // Only a party at the table can walk out: a bloc member that
                // never sits down itself leaves through its lead.
                if let (TriggerDef::Walkout(p), Some(b)) = (&t.trigger, bloc_of.get(p.as_str())) {
                    let lead = &s.blocs[*b].lead;
                    let sits = s
                        .meetings
                        .values()
                        .any(|m| m.participants.iter().any(|u| u == p));
                    if lead != p && !sits {
                        c.push(
                            format!("{base}.trigger"),
                            format!("`{p}` negotiates through bloc `{b}`, whose lead `{lead}` is the one who can walk out; trigger on `{lead}`"),
                        );
                    }
                }
            }
            TriggerDef::Deadline(d) => c.in_horizon(format!("{base}.trigger.deadline"), d.0),
            TriggerDef::Threat(other) => {
                if other == tid {
                    c.push(
                        format!("{base}.trigger.threat"),
                        "a threat cannot trigger itself",
                    );
                } else if !s.threats.contains_key(other) {
                    c.unknown(
                        format!("{base}.trigger.threat"),
                        "threat",
                        other,
                        threat_ids.iter().copied(),
                    );
                }
            }
        }
    }
    // Cycles in threat chains.
    for (tid, t) in &s.threats {
        if matches!(&t.trigger, TriggerDef::Threat(o) if o == tid) {
            continue;
        }
        let mut cur = tid.as_str();
        let mut steps = 0;
        while let Some(TriggerDef::Threat(next)) = s.threats.get(cur).map(|t| &t.trigger) {
            cur = next;
            steps += 1;
            if cur == tid || steps > s.threats.len() {
                c.push(
                    format!("threats.{tid}.trigger.threat"),
                    "threats trigger each other in a cycle",
                );
                break;
            }
        }
    }
}
