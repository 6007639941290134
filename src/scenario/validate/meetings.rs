//! `[meetings]`: dates, participants, agendas, rounds, clock, protocol and
//! its settings (first proposer, mediator, consensus), against the tactics
//! of those who sit.

use std::collections::{BTreeMap, BTreeSet};

use super::blocs::lead_of;
use super::problems::Checker;
use super::Ids;
use crate::scenario::{Clock, Protocol, Rounds, ScenarioFile, TacticDef, TacticKind};

/// Checks every meeting; `bloc_of` gives the bloc of each member.
pub(super) fn check(c: &mut Checker, s: &ScenarioFile, ids: &Ids, bloc_of: &BTreeMap<&str, &str>) {
    let (issues, parties, units) = (&ids.issues, &ids.parties, &ids.units);
    let tactic_of = |p: &str| -> Option<TacticKind> {
        s.parties.get(p).map(|d| match &d.tactic {
            TacticDef::Name(k) => *k,
            TacticDef::Table(t) => t.kind,
        })
    };
    for (mid, m) in &s.meetings {
        let base = format!("meetings.{mid}");
        c.in_horizon(format!("{base}.date"), m.date.0);
        let mut seen = BTreeSet::new();
        for u in &m.participants {
            if !units.contains(&u.as_str()) {
                c.unknown(
                    format!("{base}.participants"),
                    "party or bloc",
                    u,
                    units.iter().copied(),
                );
                continue;
            }
            if !seen.insert(u.as_str()) {
                c.push(
                    format!("{base}.participants"),
                    format!("`{u}` is listed twice"),
                );
            }
            if let Some(b) = bloc_of.get(u.as_str()) {
                if m.participants.iter().any(|x| x == b) {
                    c.push(
                        format!("{base}.participants"),
                        format!("`{u}` already sits at the table through its bloc `{b}`"),
                    );
                }
            }
        }
        if m.participants.len() < 2 {
            c.push(
                format!("{base}.participants"),
                "a meeting needs at least two participants",
            );
        }
        if m.agenda.is_empty() {
            c.push(
                format!("{base}.agenda"),
                "the agenda needs at least one issue",
            );
        }
        for i in &m.agenda {
            if !s.issues.contains_key(i) {
                c.unknown(format!("{base}.agenda"), "issue", i, issues.iter().copied());
            }
        }
        for u in &m.participants {
            let lead = lead_of(s, u);
            if let Some(p) = s.parties.get(&lead) {
                if !m.agenda.iter().any(|i| p.positions.contains_key(i)) {
                    c.push(
                        format!("{base}.participants"),
                        format!("`{u}` states no position on any agenda issue ({}); give it positions or drop it", m.agenda.join(", ")),
                    );
                }
                if let Some(t @ (TacticKind::Zeuthen | TacticKind::Rubinstein)) = tactic_of(&lead) {
                    if m.participants.len() != 2 {
                        c.push(
                            format!("{base}.participants"),
                            format!("`{u}` uses the {} tactic, which is defined for two parties; this meeting has {}", t.name(), m.participants.len()),
                        );
                    }
                }
            }
        }
        match m.rounds {
            Rounds::Count(n) if n == 0 || n > 10_000 => c.push(
                format!("{base}.rounds"),
                format!("must be within 1..=10000 (or \"unbounded\"), got {n}"),
            ),
            Rounds::Unbounded => {
                for u in &m.participants {
                    let lead = lead_of(s, u);
                    if let Some(
                        t @ (TacticKind::Boulware | TacticKind::Conceder | TacticKind::Linear),
                    ) = tactic_of(&lead)
                    {
                        c.push(
                            format!("{base}.rounds"),
                            format!("`{u}` uses the {} tactic, which concedes against a deadline; give the meeting a number of rounds", t.name()),
                        );
                    }
                }
            }
            _ => {}
        }
        if m.clock == Clock::Negmas
            && (m.protocol != Protocol::Alternating || m.participants.len() != 2)
        {
            c.push(
                format!("{base}.clock"),
                "the negmas clock follows NegMAS's SAO mechanism: an alternating meeting of two participants",
            );
        }
        if let Some(f) = &m.first {
            if m.protocol != Protocol::Alternating {
                c.push(
                    format!("{base}.first"),
                    "only an alternating meeting has a first proposer; drop `first` or set protocol = \"alternating\"",
                );
            } else if !m.participants.contains(f) {
                c.unknown(
                    format!("{base}.first"),
                    "participant",
                    f,
                    m.participants.iter().map(String::as_str),
                );
            }
        }
        match (m.protocol, &m.mediator) {
            (Protocol::Mediated, None) => c.push(
                format!("{base}.mediator"),
                "a mediated meeting needs a mediator party",
            ),
            (Protocol::Mediated, Some(x)) => {
                if !s.parties.contains_key(x) {
                    c.unknown(
                        format!("{base}.mediator"),
                        "party",
                        x,
                        parties.iter().copied(),
                    );
                } else if m.participants.contains(x) {
                    c.push(
                        format!("{base}.mediator"),
                        format!("the mediator `{x}` cannot also be a participant"),
                    );
                } else if let Some(b) = bloc_of
                    .get(x.as_str())
                    .filter(|b| m.participants.iter().any(|p| p == *b))
                {
                    c.push(
                        format!("{base}.mediator"),
                        format!("the mediator `{x}` sits at the table through its bloc `{b}`"),
                    );
                }
            }
            (_, Some(_)) => c.push(
                format!("{base}.mediator"),
                "only a mediated meeting takes a mediator; set protocol = \"mediated\" or drop it",
            ),
            _ => {}
        }
        if let Some(tol) = m.consensus {
            if !(tol.is_finite() && tol > 0.0 && tol <= 1.0) {
                c.push(
                    format!("{base}.consensus"),
                    format!("the consensus tolerance must lie within (0, 1]; got {tol}"),
                );
            }
            if m.protocol == Protocol::Alternating {
                c.push(
                    format!("{base}.consensus"),
                    "consensus compares every seat's demand each round; set protocol = \"simultaneous\" or \"mediated\", or drop it",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::validate::testing::*;

    #[test]
    fn first_only_for_alternating() {
        let ps = problems("[meetings.med]\ndate = 2024-03-01\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nprotocol = \"simultaneous\"\nfirst = \"a\"\n");
        assert!(has(&ps, "meetings.med.first", "alternating"), "{ps:?}");
    }

    #[test]
    fn mediator_may_not_sit_through_its_bloc() {
        let ps = problems("[blocs.pair]\nmembers = [\"a\", \"m\"]\nlead = \"a\"\n[meetings.med]\ndate = 2024-03-01\nparticipants = [\"pair\", \"b\"]\nagenda = [\"x\"]\nprotocol = \"mediated\"\nmediator = \"m\"\n");
        assert!(
            has(&ps, "meetings.med.mediator", "through its bloc"),
            "{ps:?}"
        );
    }
}
