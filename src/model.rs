//! The negotiation model: a scenario compiled to indices, and the per-run
//! world that the engine plays forward.
//!
//! [`Model::compile`] resolves every id to an index and every numeric
//! parameter to a slot of a flat value vector; a run draws that vector once
//! from its parameter stream and never hashes a string again. The mathematics
//! is documented in `docs/model.md`.

mod offer;
mod outcome;
mod runner;
pub mod streams;
pub mod trace;
mod world;

use std::collections::BTreeMap;

pub use offer::Shape;
pub use outcome::{Outcome, RunResult};
pub use runner::Runner;
pub use trace::{Trace, TraceKind, TraceRow};
pub use world::World;

use crate::scenario::validate::Bounds;
use crate::scenario::{
    Param, Protocol, ScenarioFile, TacticDef, TacticKind, ThreatKind, TriggerDef, UtilityShape,
    ValidScenario,
};
use crate::time::Date;

/// Index of a value in a run's parameter vector.
pub type Slot = usize;

/// A numeric parameter of the compiled model.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSlot {
    /// Its path (as for `--set`).
    pub path: String,
    /// Its distribution.
    pub dist: Param,
    /// Its range (effects are clamped to it).
    pub bounds: Bounds,
    /// A value on a binary issue (effects round it to 0 or 1).
    pub binary: bool,
    /// A position, salience, red line or capability: changing it changes the
    /// derived preferences, not only the values of no deal.
    pub preference: bool,
}

/// Whether the parameter at `path` feeds a party's derived preferences.
fn is_preference(path: &str) -> bool {
    path.starts_with("parties.")
        && (path.contains(".positions.")
            || path.contains(".salience.")
            || path.contains(".reservation.")
            || path.ends_with(".capability"))
}

/// An issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Id.
    pub id: String,
    /// Label of the 0 end.
    pub low: String,
    /// Label of the 1 end.
    pub high: String,
    /// Only 0 or 1.
    pub binary: bool,
    /// Status quo slot.
    pub status_quo: Slot,
}

/// A party with its slots.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// Id.
    pub id: String,
    /// Position slot per issue (None: no stated position, no salience).
    pub position: Vec<Option<Slot>>,
    /// Salience slot per issue (None where no position).
    pub salience: Vec<Option<Slot>>,
    /// Red line slot per issue.
    pub reservation: Vec<Option<Slot>>,
    /// Capability.
    pub capability: Slot,
    /// Cost of conflict.
    pub cost: Slot,
    /// Discount factor per round.
    pub patience: Slot,
    /// Walkout threshold.
    pub walkout: Slot,
    /// Escalation hazard scale.
    pub escalation: Slot,
    /// Estimation noise (sd).
    pub noise: Slot,
    /// Tactic.
    pub tactic: TacticKind,
    /// Concession exponent slot (time-dependent tactics).
    pub beta: Option<Slot>,
    /// Utility shape.
    pub shape: Shape,
    /// Rival parties (for the conflict lottery).
    pub rivals: Vec<usize>,
    /// Its bloc.
    pub bloc: Option<usize>,
    /// Fixed value of no deal, if given.
    pub disagreement: Option<Slot>,
    /// Agrees to nothing until everything is agreed (no partial settlements).
    pub package: bool,
    /// Rounds of the scheduled meetings it attends (the concession clock).
    pub horizon_rounds: u32,
}

/// A bloc.
#[derive(Debug, Clone, PartialEq)]
pub struct Bloc {
    /// Id.
    pub id: String,
    /// Members.
    pub members: Vec<usize>,
    /// Negotiating member.
    pub lead: usize,
}

/// A meeting of the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    /// Id.
    pub id: String,
    /// Day since start.
    pub day: f64,
    /// Negotiating parties (bloc leads stand for their blocs).
    pub units: Vec<usize>,
    /// Agenda issues.
    pub agenda: Vec<usize>,
    /// Protocol.
    pub protocol: Protocol,
    /// Rounds.
    pub rounds: u32,
    /// Index into `units` of the first proposer.
    pub first: usize,
    /// Mediator party.
    pub mediator: Option<usize>,
    /// Follow-up delay slot and maximum count.
    pub follow_up: Option<(Slot, u32)>,
}

/// What sets a threat off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A walkout by this party (None: anyone).
    Walkout(Option<usize>),
    /// An escalation by this party (None: anyone).
    Escalation(Option<usize>),
    /// A date (day since start).
    Deadline(u32),
    /// Another threat's execution.
    Threat(usize),
}

/// A threat.
#[derive(Debug, Clone, PartialEq)]
pub struct Threat {
    /// Id.
    pub id: String,
    /// Issuer party.
    pub issuer: usize,
    /// Target party.
    pub target: usize,
    /// Effect.
    pub kind: ThreatKind,
    /// Trigger.
    pub trigger: Trigger,
    /// Whether the chain it belongs to starts with an escalation (a cost of war,
    /// not of no deal).
    pub war_branch: Option<Option<usize>>,
    /// Cost slots.
    pub cost_to_target: Option<Slot>,
    /// Cost slots.
    pub cost_to_issuer: Option<Slot>,
    /// Credibility slot.
    pub credibility: Slot,
    /// Delay slot.
    pub delay: Option<Slot>,
}

/// How an effect changes a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EffectOp {
    /// Add.
    Add(f64),
    /// Multiply.
    Scale(f64),
    /// Replace.
    To(f64),
}

/// An exogenous event.
#[derive(Debug, Clone, PartialEq)]
pub struct Exogenous {
    /// Id.
    pub id: String,
    /// Scheduled day, or None for a random event.
    pub day: Option<f64>,
    /// Rate slot for random events.
    pub rate: Option<Slot>,
    /// Window of a random event.
    pub window: (f64, f64),
    /// Maximum occurrences of a random event.
    pub max: u32,
    /// Changes to slots.
    pub effects: Vec<(Slot, EffectOp)>,
}

/// A scenario compiled for simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Scenario name.
    pub name: String,
    /// Start date.
    pub start: Date,
    /// Horizon in days since the start.
    pub horizon: f64,
    /// Default runs.
    pub default_runs: u64,
    /// Default seed.
    pub default_seed: u64,
    /// Event cap per run.
    pub max_events: u64,
    /// Partial-agreement tolerance.
    pub convergence: f64,
    /// Parameter slots, in draw order.
    pub params: Vec<ParamSlot>,
    /// Issues.
    pub issues: Vec<Issue>,
    /// Parties.
    pub parties: Vec<Party>,
    /// Blocs.
    pub blocs: Vec<Bloc>,
    /// Meetings.
    pub meetings: Vec<Meeting>,
    /// Threats.
    pub threats: Vec<Threat>,
    /// Exogenous events.
    pub events: Vec<Exogenous>,
    /// Per party: its bloc's members, or itself.
    pub sides: Vec<Vec<usize>>,
    /// Per party: the members of its rivals' sides, excluding its own side.
    pub opponents: Vec<Vec<usize>>,
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
                path,
                dist: *p,
                bounds,
                binary: false,
            });
        });
        // Positions, red lines and status quo of binary issues stay 0 or 1.
        for (id, issue) in &s.issues {
            if issue.kind != crate::scenario::IssueKind::Binary {
                continue;
            }
            let mut mark = |path: String| {
                if let Some(&k) = by_path.get(&path) {
                    params[k].binary = true;
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
                path,
                dist: Param::Fixed(v),
                bounds,
                binary: false,
            });
            params.len() - 1
        };
        let slot = |path: &str| -> Slot { by_path[path] };
        let issue_ix = |id: &str| s.issues.get_index_of(id).expect("validated issue id");
        let party_ix = |id: &str| s.parties.get_index_of(id).expect("validated party id");
        let start = s.simulation.start.0;
        let day_of = |d: Date| start.days_until(d) as f64;

        let issues = s
            .issues
            .iter()
            .map(|(id, i)| Issue {
                id: id.clone(),
                low: i.low.clone(),
                high: i.high.clone(),
                binary: i.kind == crate::scenario::IssueKind::Binary,
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
            let (tactic, beta) = match &p.tactic {
                TacticDef::Name(k) => (*k, None),
                TacticDef::Table(t) => (
                    t.kind,
                    t.beta.map(|_| slot(&format!("parties.{pid}.tactic.beta"))),
                ),
            };
            let beta = beta.or_else(|| {
                let default = match tactic {
                    TacticKind::Boulware => 0.3,
                    TacticKind::Conceder => 3.0,
                    _ => 1.0,
                };
                Some(constant(
                    format!("parties.{pid}.tactic.beta"),
                    default,
                    Bounds::Positive,
                ))
            });
            let noise = match by_path.get(&format!("parties.{pid}.noise")) {
                Some(&n) => n,
                None => slot("simulation.noise"),
            };
            let shape = match p.utility.unwrap_or(s.simulation.utility) {
                UtilityShape::Linear => Shape::Linear,
                UtilityShape::Quadratic => Shape::Quadratic,
            };
            let horizon_rounds = s
                .meetings
                .values()
                .filter(|m| m.participants.iter().any(|u| unit_lead(u) == party_ix(pid)))
                .map(|m| m.rounds)
                .sum::<u32>()
                .max(1);
            parties.push(Party {
                id: pid.clone(),
                position,
                salience,
                reservation,
                capability: slot(&format!("parties.{pid}.capability")),
                cost: slot(&format!("parties.{pid}.cost_of_conflict")),
                patience: slot(&format!("parties.{pid}.patience")),
                walkout: slot(&format!("parties.{pid}.walkout")),
                escalation: slot(&format!("parties.{pid}.escalation")),
                noise,
                tactic,
                beta,
                shape,
                rivals: p.rivals.iter().map(|r| party_ix(r)).collect(),
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
                    rounds: m.rounds,
                    mediator: m.mediator.as_ref().map(|x| party_ix(x)),
                    follow_up: m
                        .follow_up
                        .as_ref()
                        .map(|f| (slot(&format!("meetings.{id}.follow_up.delay")), f.max)),
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
                war_branch: None,
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
        for k in 0..threats.len() {
            let mut cur = k;
            for _ in 0..=threats.len() {
                match threats[cur].trigger {
                    Trigger::Threat(next) => cur = next,
                    Trigger::Escalation(p) => {
                        threats[k].war_branch = Some(p);
                        break;
                    }
                    _ => break,
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

        // Rivalry is mutual: naming a rival makes each the other's rival.
        let declared: Vec<Vec<usize>> = parties.iter().map(|p| p.rivals.clone()).collect();
        for (p, rivals) in declared.iter().enumerate() {
            for &q in rivals {
                if !parties[q].rivals.contains(&p) {
                    parties[q].rivals.push(p);
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
        let opponents = parties
            .iter()
            .enumerate()
            .map(|(p, party)| {
                let mut out: Vec<usize> = Vec::new();
                for &r in &party.rivals {
                    for &q in &sides[r] {
                        if !sides[p].contains(&q) && !out.contains(&q) {
                            out.push(q);
                        }
                    }
                }
                out
            })
            .collect();
        Model {
            sides,
            opponents,
            name: s.name.clone(),
            start,
            horizon,
            default_runs: s.simulation.runs.unwrap_or(10_000),
            default_seed: s.simulation.seed.unwrap_or(0),
            max_events: s.simulation.max_events,
            convergence: s.simulation.convergence,
            params,
            issues,
            parties,
            blocs,
            meetings,
            threats,
            events,
        }
    }

    /// The parties whose capability a party pools: its bloc, or itself.
    pub fn side(&self, p: usize) -> &[usize] {
        &self.sides[p]
    }

    /// The parties on its rivals' sides (its opponents in the conflict lottery).
    pub fn opponents(&self, p: usize) -> &[usize] {
        &self.opponents[p]
    }
}

/// Direct access to parameter slots, for sweeps that set one numeric
/// parameter per design point without recompiling the scenario.
impl Model {
    /// The slot of the numeric parameter at `path` (a `--set` path such as
    /// `parties.russia.patience`), if the model has one.
    pub fn param_slot(&self, path: &str) -> Option<Slot> {
        self.params.iter().position(|p| p.path == path)
    }

    /// Replaces the distribution of parameter `slot` (its path, range and
    /// flags stay). The caller checks the value against the slot's range.
    ///
    /// # Panics
    /// If `slot` is not a slot of this model.
    pub fn set_param(&mut self, slot: Slot, dist: Param) {
        self.params[slot].dist = dist;
    }
}
