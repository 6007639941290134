//! `[blocs]`: ids apart from the parties', members that exist and belong to
//! one bloc, a lead among them; and who speaks for a unit.

use std::collections::BTreeMap;

use super::problems::Checker;
use super::Ids;
use crate::scenario::ScenarioFile;

/// Checks the blocs; returns the bloc of each member party.
pub(super) fn check<'a>(
    c: &mut Checker,
    s: &'a ScenarioFile,
    ids: &Ids,
) -> BTreeMap<&'a str, &'a str> {
    let parties = &ids.parties;
    for (id, b) in &s.blocs {
        if s.parties.contains_key(id) {
            c.push(
                format!("blocs.{id}"),
                format!("`{id}` is already a party id; ids must be unique"),
            );
        }
        let _ = b;
    }

    // Members, and the bloc of each.
    let mut bloc_of: BTreeMap<&str, &str> = BTreeMap::new();
    for (bid, b) in &s.blocs {
        if b.members.is_empty() {
            c.push(
                format!("blocs.{bid}.members"),
                "a bloc needs at least one member",
            );
        }
        for m in &b.members {
            if !s.parties.contains_key(m) {
                c.unknown(
                    format!("blocs.{bid}.members"),
                    "party",
                    m,
                    parties.iter().copied(),
                );
            } else if let Some(other) = bloc_of.insert(m, bid) {
                c.push(
                    format!("blocs.{bid}.members"),
                    format!("`{m}` is already a member of bloc `{other}`; a party belongs to one bloc at most"),
                );
            }
        }
        if !b.members.contains(&b.lead) {
            c.push(
                format!("blocs.{bid}.lead"),
                format!("the lead `{}` must be one of the bloc's members", b.lead),
            );
        }
    }
    bloc_of
}

/// Who speaks for unit `u`: a bloc's lead, or the party itself.
pub(super) fn lead_of(s: &ScenarioFile, u: &str) -> String {
    s.blocs.get(u).map_or(u.to_string(), |b| b.lead.clone())
}
