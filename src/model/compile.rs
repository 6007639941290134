//! Compiling a validated scenario: ids to indices, numbers to parameter slots.

use std::collections::BTreeMap;

use super::{
    Ally, Bloc, Branch, Conflict, EffectOp, Exogenous, Issue, Meeting, Model, ParamSlot, Party,
    Shape, Slot, Threat, Trigger, WarOption,
};
use crate::scenario::validate::Bounds;
use crate::scenario::{
    IssueKind, IssueValues, Param, ScenarioFile, StakesDef, TacticDef, TacticKind, TriggerDef,
    UtilityShape, ValidScenario,
};
use crate::time::Date;

/// Whether the parameter at `path` feeds a party's derived preferences.
fn is_preference(path: &str) -> bool {
    path.starts_with("parties.")
        && (path.contains(".positions.")
            || path.contains(".salience.")
            || path.contains(".reservation.")
            || path.ends_with(".capability"))
}

/// Whether the parameter at `path` shapes the offers (frontiers): positions,
/// saliences, red lines and the values in force.
fn shapes_offers(path: &str) -> bool {
    (path.starts_with("parties.")
        && (path.contains(".positions.")
            || path.contains(".salience.")
            || path.contains(".reservation.")))
        || (path.starts_with("issues.") && path.ends_with(".status_quo"))
}

/// Default concession exponent of a tactic (Faratin et al. 1998 use β < 1
/// for Boulware, β > 1 for Conceder).
fn default_beta(t: TacticKind) -> f64 {
    match t {
        TacticKind::Boulware => 0.3,
        TacticKind::Conceder => 3.0,
        _ => 1.0,
    }
}

impl Model {
    /// Compiles a validated scenario. Only validation makes a
    /// [`ValidScenario`], so every id it looks up exists and this never panics.
    pub fn compile(s: &ValidScenario) -> Model {
        let s: &ScenarioFile = s;
        let mut params = Vec::new();
        let mut by_path: BTreeMap<String, Slot> = BTreeMap::new();
        s.for_each_param(|path, p, bounds| {
            by_path.insert(path.clone(), params.len());
            params.push(ParamSlot {
                preference: is_preference(&path),
                shapes_offers: shapes_offers(&path),
                path,
                dist: *p,
                bounds,
                grid: None,
            });
        });
        let grid_of = |kind: IssueKind, values: &Option<IssueValues>| -> Option<u32> {
            match kind {
                IssueKind::Continuous => None,
                IssueKind::Binary => Some(2),
                IssueKind::Discrete => values.as_ref().map(|v| v.len() as u32),
            }
        };
        // Positions, red lines and status quo of discrete issues stay on their grid.
        for (id, issue) in &s.issues {
            let Some(n) = grid_of(issue.kind, &issue.values) else {
                continue;
            };
            let mut mark = |path: String| {
                if let Some(&k) = by_path.get(&path) {
                    params[k].grid = Some(n);
                }
            };
            mark(format!("issues.{id}.status_quo"));
            for pid in s.parties.keys() {
                mark(format!("parties.{pid}.positions.{id}"));
                mark(format!("parties.{pid}.reservation.{id}"));
            }
        }
        let mut constant = |path: String, v: f64, bounds: Bounds| -> Slot {
            params.push(ParamSlot {
                preference: is_preference(&path),
                shapes_offers: shapes_offers(&path),
                path,
                dist: Param::Fixed(v),
                bounds,
                grid: None,
            });
            params.len() - 1
        };
        let slot = |path: &str| -> Slot { by_path[path] };
        let issue_ix = |id: &str| s.issues.get_index_of(id).expect("validated issue id");
        let party_ix = |id: &str| s.parties.get_index_of(id).expect("validated party id");
        let start = s.simulation.start.0;
        let day_of = |d: Date| start.days_until(d) as f64;

        let issues: Vec<Issue> = s
            .issues
            .iter()
            .map(|(id, i)| Issue {
                id: id.clone(),
                name: i.name.clone(),
                low: i.low.clone(),
                high: i.high.clone(),
                grid: grid_of(i.kind, &i.values),
                labels: match &i.values {
                    Some(IssueValues::Labels(l)) => l.clone(),
                    _ => Vec::new(),
                },
                status_quo: slot(&format!("issues.{id}.status_quo")),
            })
            .collect();

        let blocs: Vec<Bloc> = s
            .blocs
            .iter()
            .map(|(id, b)| Bloc {
                id: id.clone(),
                members: b.members.iter().map(|m| party_ix(m)).collect(),
                lead: party_ix(&b.lead),
            })
            .collect();
        let unit_lead = |u: &str| -> usize {
            match s.blocs.get(u) {
                Some(b) => party_ix(&b.lead),
                None => party_ix(u),
            }
        };
        let unit_members = |u: &str| -> Vec<usize> {
            match s.blocs.get(u) {
                Some(b) => b.members.iter().map(|m| party_ix(m)).collect(),
                None => vec![party_ix(u)],
            }
        };

        let mut parties = Vec::new();
        for (pid, p) in &s.parties {
            let mut position = vec![None; s.issues.len()];
            let mut salience = vec![None; s.issues.len()];
            let mut reservation = vec![None; s.issues.len()];
            for iss in p.positions.keys() {
                let i = issue_ix(iss);
                position[i] = Some(slot(&format!("parties.{pid}.positions.{iss}")));
                let sp = format!("parties.{pid}.salience.{iss}");
                salience[i] = Some(match by_path.get(&sp) {
                    Some(&sl) => sl,
                    None => constant(sp, 1.0, Bounds::NonNegative),
                });
                reservation[i] = by_path
                    .get(&format!("parties.{pid}.reservation.{iss}"))
                    .copied();
            }
            let tactic = match &p.tactic {
                TacticDef::Name(k) => *k,
                TacticDef::Table(t) => t.kind,
            };
            let beta_path = format!("parties.{pid}.tactic.beta");
            let beta = match by_path.get(&beta_path) {
                Some(&b) => b,
                None => constant(beta_path, default_beta(tactic), Bounds::Positive),
            };
            let k_path = format!("parties.{pid}.tactic.k");
            let k = match by_path.get(&k_path) {
                Some(&k) => k,
                None => constant(k_path, 0.0, Bounds::Unit),
            };
            let step = (tactic == TacticKind::DeGroot).then(|| {
                let path = format!("parties.{pid}.tactic.step");
                match by_path.get(&path) {
                    Some(&s) => s,
                    None => constant(path, 1.0, Bounds::Unit),
                }
            });
            let walkout_chance = by_path
                .get(&format!("parties.{pid}.walkout_chance"))
                .copied();
            let noise = match by_path.get(&format!("parties.{pid}.noise")) {
                Some(&n) => n,
                None => slot("simulation.noise"),
            };
            let temperature = match by_path.get(&format!("parties.{pid}.temperature")) {
                Some(&t) => t,
                None => slot("simulation.temperature"),
            };
            let shape = match p.utility.unwrap_or(s.simulation.utility) {
                UtilityShape::Linear => Shape::Linear,
                UtilityShape::Quadratic => Shape::Quadratic,
            };
            let horizon_rounds = s
                .meetings
                .values()
                .filter(|m| m.participants.iter().any(|u| unit_lead(u) == party_ix(pid)))
                .map(|m| m.rounds.count().unwrap_or(0))
                .fold(0u32, u32::saturating_add)
                .max(1);
            parties.push(Party {
                id: pid.clone(),
                name: p.name.clone(),
                position,
                salience,
                reservation,
                capability: slot(&format!("parties.{pid}.capability")),
                cost: slot(&format!("parties.{pid}.cost_of_conflict")),
                patience: slot(&format!("parties.{pid}.patience")),
                walkout: slot(&format!("parties.{pid}.walkout")),
                temperature,
                noise,
                tactic,
                beta,
                k,
                step,
                walkout_chance,
                shape,
                bloc: s
                    .blocs
                    .values()
                    .position(|b| b.members.iter().any(|m| m == pid)),
                disagreement: p
                    .disagreement
                    .map(|_| slot(&format!("parties.{pid}.disagreement"))),
                horizon_rounds,
                package: p.package,
            });
        }

        let meetings = s
            .meetings
            .iter()
            .map(|(id, m)| {
                let units: Vec<usize> = m.participants.iter().map(|u| unit_lead(u)).collect();
                Meeting {
                    id: id.clone(),
                    day: day_of(m.date.0),
                    first: m
                        .first
                        .as_ref()
                        .and_then(|f| m.participants.iter().position(|u| u == f))
                        .unwrap_or(0),
                    units,
                    agenda: m.agenda.iter().map(|i| issue_ix(i)).collect(),
                    protocol: m.protocol,
                    rounds: m.rounds.count(),
                    clock: m.clock,
                    mediator: m.mediator.as_ref().map(|x| party_ix(x)),
                    follow_up: m
                        .follow_up
                        .as_ref()
                        .map(|f| (slot(&format!("meetings.{id}.follow_up.delay")), f.max)),
                    date_shift: m
                        .date_shift
                        .map(|_| slot(&format!("meetings.{id}.date_shift"))),
                    consensus: m.consensus,
                }
            })
            .collect();

        let who = |p: &str| if p == "any" { None } else { Some(party_ix(p)) };
        let mut threats: Vec<Threat> = s
            .threats
            .iter()
            .map(|(id, t)| Threat {
                id: id.clone(),
                issuer: party_ix(&t.issuer),
                target: party_ix(&t.target),
                kind: t.kind,
                trigger: match &t.trigger {
                    TriggerDef::Walkout(p) => Trigger::Walkout(who(p)),
                    TriggerDef::Escalation(p) => Trigger::Escalation(who(p)),
                    TriggerDef::Deadline(d) => {
                        Trigger::Deadline(start.days_until(d.0).max(0) as u32)
                    }
                    TriggerDef::Threat(o) => {
                        Trigger::Threat(s.threats.get_index_of(o).expect("validated threat id"))
                    }
                },
                branch: Branch::NoDeal,
                cost_to_target: t
                    .cost_to_target
                    .map(|_| slot(&format!("threats.{id}.cost_to_target"))),
                cost_to_issuer: t
                    .cost_to_issuer
                    .map(|_| slot(&format!("threats.{id}.cost_to_issuer"))),
                credibility: slot(&format!("threats.{id}.credibility")),
                delay: t.delay.map(|_| slot(&format!("threats.{id}.delay"))),
            })
            .collect();
        // Each threat bites on the branch where its chain starts.
        for k in 0..threats.len() {
            let mut cur = k;
            for _ in 0..=threats.len() {
                match threats[cur].trigger {
                    Trigger::Threat(next) => cur = next,
                    Trigger::Escalation(p) => {
                        threats[k].branch = Branch::War(p);
                        break;
                    }
                    Trigger::Walkout(p) => {
                        threats[k].branch = Branch::Walkout(p);
                        break;
                    }
                    Trigger::Deadline(_) => break,
                }
            }
        }

        let horizon = day_of(s.simulation.end.0);
        let events = s
            .events
            .iter()
            .map(|(id, e)| Exogenous {
                id: id.clone(),
                day: e.date.map(|d| day_of(d.0)),
                rate: e.rate.map(|_| slot(&format!("events.{id}.rate"))),
                window: (
                    e.from.map_or(0.0, |d| day_of(d.0)),
                    e.until.map_or(horizon, |d| day_of(d.0)),
                ),
                max: e.max.unwrap_or(u32::MAX),
                effects: e
                    .effects
                    .iter()
                    .map(|f| {
                        let op = match (f.add, f.scale, f.to) {
                            (Some(a), _, _) => EffectOp::Add(a),
                            (_, Some(m), _) => EffectOp::Scale(m),
                            (_, _, Some(t)) => EffectOp::To(t),
                            _ => EffectOp::Add(0.0),
                        };
                        (slot(&f.path), op)
                    })
                    .collect(),
            })
            .collect();

        // Conflicts: `rivals` first (each pair once, in file order), then the tables.
        let all_issues: Vec<(usize, Option<Slot>)> = (0..issues.len()).map(|i| (i, None)).collect();
        let mut conflicts: Vec<Conflict> = Vec::new();
        let mut war_options: Vec<WarOption> = Vec::new();
        let mut seen: Vec<(usize, usize)> = Vec::new();
        for (pid, p) in &s.parties {
            let a = party_ix(pid);
            for r in &p.rivals {
                let b = party_ix(r);
                let pair = (a.min(b), a.max(b));
                if seen.contains(&pair) {
                    continue;
                }
                seen.push(pair);
                let c = conflicts.len();
                conflicts.push(Conflict {
                    id: format!("{pid}~{r}"),
                    sides: [unit_members(pid), unit_members(r)],
                    stakes: all_issues.clone(),
                    allies: Vec::new(),
                    not_before: 0.0,
                });
                war_options.push(WarOption {
                    conflict: c,
                    initiator: a,
                });
                war_options.push(WarOption {
                    conflict: c,
                    initiator: b,
                });
            }
        }
        for (cid, cdef) in &s.conflicts {
            let c = conflicts.len();
            let (ua, ub) = (&cdef.between[0], &cdef.between[1]);
            let stakes = match &cdef.stakes {
                None => all_issues.clone(),
                Some(StakesDef::List(l)) => l.iter().map(|i| (issue_ix(i), None)).collect(),
                Some(StakesDef::Table(t)) => t
                    .keys()
                    .map(|i| {
                        (
                            issue_ix(i),
                            Some(slot(&format!("conflicts.{cid}.stakes.{i}"))),
                        )
                    })
                    .collect(),
            };
            let allies = cdef
                .allies
                .iter()
                .map(|(ally, def)| Ally {
                    party: party_ix(ally),
                    side: usize::from(def.side != *ua),
                    probability: slot(&format!("conflicts.{cid}.allies.{ally}.probability")),
                    contribution: slot(&format!("conflicts.{cid}.allies.{ally}.contribution")),
                })
                .collect();
            conflicts.push(Conflict {
                id: cid.clone(),
                sides: [unit_members(ua), unit_members(ub)],
                stakes,
                allies,
                not_before: cdef.not_before.map_or(0.0, |d| day_of(d.0)),
            });
            let initiators: Vec<usize> = match &cdef.initiators {
                Some(list) => list.iter().map(|u| unit_lead(u)).collect(),
                None => vec![unit_lead(ua), unit_lead(ub)],
            };
            let mut added: Vec<usize> = Vec::new();
            for i in initiators {
                if !added.contains(&i) {
                    added.push(i);
                    war_options.push(WarOption {
                        conflict: c,
                        initiator: i,
                    });
                }
            }
        }

        let sides: Vec<Vec<usize>> = parties
            .iter()
            .enumerate()
            .map(|(p, party)| match party.bloc {
                Some(b) => blocs[b].members.clone(),
                None => vec![p],
            })
            .collect();
        let initiators = (0..parties.len())
            .filter_map(|p| {
                let opts: Vec<usize> = war_options
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.initiator == p)
                    .map(|(k, _)| k)
                    .collect();
                (!opts.is_empty()).then_some((p, opts))
            })
            .collect();
        let grids = issues.iter().map(|i| i.grid).collect();
        Model {
            sides,
            initiators,
            grids,
            name: s.name.clone(),
            start,
            horizon,
            default_runs: s.simulation.runs.unwrap_or(10_000),
            default_seed: s.simulation.seed.unwrap_or(0),
            max_events: s.simulation.max_events,
            convergence: s.simulation.convergence,
            round_days: s.simulation.round_days,
            params,
            issues,
            parties,
            blocs,
            meetings,
            threats,
            events,
            conflicts,
            war_options,
        }
    }
}
