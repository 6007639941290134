//! The scenario at a glance: its issues with their labels, the parties, the
//! stated positions and red lines, the calendar of meetings and events, the
//! threats and the conflicts, as tables of plain text (the page escapes it).

use super::html::Page;
use crate::model::Model;
use crate::narrate::date_of;
use crate::scenario::{Param, Rounds, ScenarioFile, StakesDef, TriggerDef};
use crate::time::Date;

/// A distribution in words: `0.4`, `0.3 to 0.9 (uniform)`.
pub fn param(p: &Param) -> String {
    match *p {
        Param::Fixed(v) => format!("{v}"),
        Param::Uniform { lo, hi } => format!("{lo} to {hi} (uniform)"),
        Param::Triangular { lo, mode, hi } => format!("{lo} to {hi}, most likely {mode}"),
        Param::Normal { mean, sd, .. } => format!("normal, mean {mean}, sd {sd}"),
        Param::Beta { a, b, min, max } => format!("beta({a}, {b}) on {min} to {max}"),
    }
}

fn date(model: &Model, d: Date) -> String {
    let day = model.start.days_until(d);
    format!("{d} (day {day})")
}

/// Writes the glance section's tables for `s` (compiled as `model`).
pub fn write(page: &mut Page, s: &ScenarioFile, model: &Model) {
    let issues: Vec<Vec<String>> = s
        .issues
        .iter()
        .map(|(id, i)| {
            let kind = match &i.values {
                Some(crate::scenario::IssueValues::Labels(l)) => {
                    format!("discrete: {}", l.join(", "))
                }
                Some(crate::scenario::IssueValues::Count(n)) => format!("discrete, {n} values"),
                None => format!("{:?}", i.kind).to_lowercase(),
            };
            vec![
                id.clone(),
                i.name.clone(),
                i.low.clone(),
                i.high.clone(),
                param(&i.status_quo()),
                kind,
            ]
        })
        .collect();
    page.table(
        "Issues: each runs from 0 to 1 between its two labelled ends",
        &["issue", "name", "0 means", "1 means", "status quo", "kind"],
        &issues,
        &[4],
    );

    let blocs = |id: &str| {
        s.blocs
            .iter()
            .filter(|(_, b)| b.members.iter().any(|m| m == id))
            .map(|(b, def)| {
                if def.lead == id {
                    format!("{b} (speaks for it)")
                } else {
                    b.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let parties: Vec<Vec<String>> = s
        .parties
        .iter()
        .enumerate()
        .map(|(k, (id, p))| {
            let war = if model.can_start_war(k) { "yes" } else { "" };
            vec![
                id.clone(),
                p.name.clone(),
                param(&p.capability),
                model.parties[k].tactic.name().to_string(),
                param(&p.patience),
                param(&p.cost_of_conflict),
                war.to_string(),
                blocs(id),
            ]
        })
        .collect();
    page.table(
        "Parties",
        &[
            "party",
            "name",
            "capability",
            "tactic",
            "patience per day",
            "cost of conflict",
            "may start a war",
            "bloc",
        ],
        &parties,
        &[2],
    );

    let ids: Vec<&String> = s.issues.keys().collect();
    let mut head: Vec<&str> = vec!["party"];
    head.extend(ids.iter().map(|i| i.as_str()));
    let cells = |f: &dyn Fn(&crate::scenario::PartyDef, &str) -> String| -> Vec<Vec<String>> {
        s.parties
            .iter()
            .map(|(id, p)| {
                let mut row = vec![id.clone()];
                row.extend(ids.iter().map(|i| f(p, i)));
                row
            })
            .collect()
    };
    let positions = cells(&|p, i| match p.positions.get(i) {
        Some(v) => match p.salience.get(i) {
            Some(w) => format!("{} ({})", param(v), param(w)),
            None => param(v),
        },
        None => String::new(),
    });
    page.table(
        "Stated positions: the ideal point on each issue (its salience, where given, in brackets)",
        &head,
        &positions,
        &[],
    );
    let red = cells(&|p, i| p.reservation.get(i).map(param).unwrap_or_default());
    if red.iter().any(|r| r.iter().skip(1).any(|c| !c.is_empty())) {
        page.table(
            "Red lines (private: what each party will accept at worst; the others do not know them)",
            &head,
            &red,
            &[],
        );
    }

    let mut calendar: Vec<(i64, Vec<String>)> = Vec::new();
    for (id, m) in &s.meetings {
        let rounds = match m.rounds {
            Rounds::Count(n) => format!("{n} rounds"),
            Rounds::Unbounded => "unbounded rounds".to_string(),
        };
        let follow = m.follow_up.as_ref().map_or(String::new(), |f| {
            format!(
                "; up to {} follow-ups, {} days later",
                f.max,
                param(&f.delay)
            )
        });
        calendar.push((
            model.start.days_until(m.date.0),
            vec![
                date(model, m.date.0),
                format!("meeting {id}"),
                m.venue.clone(),
                m.participants.join(", "),
                m.agenda.join(", "),
                format!("{:?}, {rounds}{follow}", m.protocol).to_lowercase(),
            ],
        ));
    }
    for (id, e) in &s.events {
        let when = match (&e.date, &e.rate) {
            (Some(d), _) => date(model, d.0),
            (None, Some(r)) => format!("at random, {} a day", param(r)),
            _ => String::new(),
        };
        let effects = e
            .effects
            .iter()
            .map(|f| {
                let how = match (f.add, f.scale, f.to) {
                    (Some(a), _, _) => format!("+{a}"),
                    (_, Some(k), _) => format!("×{k}"),
                    (_, _, Some(t)) => format!("= {t}"),
                    _ => String::new(),
                };
                format!("{} {how}", f.path)
            })
            .collect::<Vec<_>>()
            .join("; ");
        let day = e
            .date
            .as_ref()
            .map_or(i64::MAX, |d| model.start.days_until(d.0));
        calendar.push((
            day,
            vec![
                when,
                format!("event {id}"),
                e.name.clone(),
                String::new(),
                effects,
                String::new(),
            ],
        ));
    }
    calendar.sort_by_key(|(d, _)| *d);
    let mut rows: Vec<Vec<String>> = calendar.into_iter().map(|(_, r)| r).collect();
    rows.push(vec![
        date(model, date_of(model, model.horizon)),
        "horizon".into(),
        "the run is watched until here".into(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    page.table(
        "The calendar: meetings and events",
        &[
            "date",
            "what",
            "where or what",
            "participants",
            "agenda or effects",
            "protocol",
        ],
        &rows,
        &[],
    );

    if !s.threats.is_empty() {
        let rows: Vec<Vec<String>> = s
            .threats
            .iter()
            .map(|(id, t)| {
                let trigger = match &t.trigger {
                    TriggerDef::Walkout(p) => format!("{p} walks out"),
                    TriggerDef::Escalation(p) => format!("{p} starts a war"),
                    TriggerDef::Deadline(d) => format!("no agreement by {}", date(model, d.0)),
                    TriggerDef::Threat(x) => format!("threat {x} is carried out"),
                };
                vec![
                    id.clone(),
                    format!("{} against {}", t.issuer, t.target),
                    format!("{:?}", t.kind).to_lowercase(),
                    trigger,
                    param(&t.credibility),
                    t.cost_to_target.as_ref().map(param).unwrap_or_default(),
                    t.cost_to_issuer.as_ref().map(param).unwrap_or_default(),
                    t.delay
                        .as_ref()
                        .map_or("at once".into(), |d| format!("{} days", param(d))),
                ]
            })
            .collect();
        page.table(
            "Threats",
            &[
                "threat",
                "who",
                "kind",
                "trigger",
                "credibility",
                "cost to target",
                "cost to issuer",
                "delay",
            ],
            &rows,
            &[],
        );
    }

    if !s.conflicts.is_empty() {
        let rows: Vec<Vec<String>> = s
            .conflicts
            .iter()
            .map(|(id, c)| {
                let stakes = match &c.stakes {
                    None => "every issue, fully".to_string(),
                    Some(StakesDef::List(l)) => l.join(", "),
                    Some(StakesDef::Table(t)) => t
                        .iter()
                        .map(|(i, f)| format!("{i} {}", param(f)))
                        .collect::<Vec<_>>()
                        .join(", "),
                };
                let allies = c
                    .allies
                    .iter()
                    .map(|(a, d)| {
                        format!(
                            "{a} with {} (probability {}, contribution {})",
                            d.side,
                            param(&d.probability),
                            param(&d.contribution)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![
                    id.clone(),
                    c.name.clone(),
                    c.between.join(" and "),
                    c.initiators
                        .as_ref()
                        .map_or("either side".into(), |i| i.join(", ")),
                    stakes,
                    allies,
                ]
            })
            .collect();
        page.table(
            "Conflicts (what a war would decide, and who may start it)",
            &[
                "conflict",
                "name",
                "between",
                "may start it",
                "stakes",
                "allies",
            ],
            &rows,
            &[],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions_read_in_words() {
        assert_eq!(param(&Param::Fixed(0.4)), "0.4");
        assert_eq!(
            param(&Param::Uniform { lo: 0.3, hi: 0.9 }),
            "0.3 to 0.9 (uniform)"
        );
        assert_eq!(
            param(&Param::Triangular {
                lo: 0.1,
                mode: 0.2,
                hi: 0.35
            }),
            "0.1 to 0.35, most likely 0.2"
        );
    }
}
