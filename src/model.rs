//! The negotiation model: a scenario compiled to indices, and the per-run
//! world that the engine plays forward.
//!
//! [`Model::compile`] resolves every id to an index and every numeric
//! parameter to a slot of a flat value vector; a run draws that vector once
//! from its parameter stream and never hashes a string again. The mathematics
//! is documented in `docs/model.md`.
//!
//! The model's rooms:
//! - [`utility`]: utilities, red lines;
//! - [`frontier`]: the efficient offers a party can make at a given aim;
//! - [`tactic`]: how a party sets its aim and accepts ([`Tactic`], one file per tactic);
//! - [`acceptance`]: the acceptance conditions tactics share (AC_next, NegMAS's band);
//! - [`protocol`]: who speaks when in a meeting (one file per protocol);
//! - `meeting`: seats, rounds, walkouts, partial agreements, follow-ups;
//! - `threats`: triggers, executions, and what pending threats cost;
//! - `values`: each party's values of the status quo, of war and of no deal;
//! - [`war`]: the war lotteries and the decision to fight;
//! - `world`: one run, coordinating the above on the engine.

pub mod acceptance;
mod compile;
mod exogenous;
pub mod frontier;
pub mod math;
mod meeting;
mod outcome;
pub mod protocol;
mod runner;
pub mod streams;
pub mod tactic;
mod threats;
pub mod trace;
pub mod utility;
mod values;
pub mod war;
mod world;

pub use outcome::{Outcome, RunResult};
pub use runner::Runner;
pub use tactic::{Tactic, Turn};
pub use trace::{Trace, TraceKind, TraceRow, TraceSink};
pub use utility::Shape;
pub use world::World;

use crate::scenario::validate::Bounds;
use crate::scenario::{Clock, Param, Protocol, TacticKind, ThreatKind};
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
    /// A value on a discrete issue's grid of this many values (binary: 2):
    /// draws and effects snap to it.
    pub grid: Option<u32>,
    /// A position, salience, red line or capability: changing it changes the
    /// derived preferences, not only the values of no deal.
    pub preference: bool,
    /// A position, salience, red line or status quo: changing it changes the
    /// offers a party can make (its frontier).
    pub shapes_offers: bool,
}

/// An issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Label of the 0 end.
    pub low: String,
    /// Label of the 1 end.
    pub high: String,
    /// Number of evenly spaced values of a discrete or binary issue (None: continuous).
    pub grid: Option<u32>,
    /// Labels of a discrete issue's values, in order (empty when unlabelled).
    pub labels: Vec<String>,
    /// Status quo slot.
    pub status_quo: Slot,
}

impl Issue {
    /// Whether only 0 and 1 are allowed.
    pub fn is_binary(&self) -> bool {
        self.grid == Some(2)
    }

    /// The nearest value on the issue's grid (the value itself when continuous).
    pub fn snap(&self, x: f64) -> f64 {
        snap_to_grid(x, self.grid)
    }
}

/// `x` rounded to the nearest of `n` evenly spaced values on `[0, 1]`.
pub fn snap_to_grid(x: f64, grid: Option<u32>) -> f64 {
    match grid {
        Some(n) if n >= 2 => {
            let steps = f64::from(n - 1);
            (crate::fmath::round(x * steps) / steps).clamp(0.0, 1.0)
        }
        _ => x,
    }
}

/// A party with its slots.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
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
    /// Discount factor per day.
    pub patience: Slot,
    /// Walkout threshold.
    pub walkout: Slot,
    /// Temperature of its logit choices.
    pub temperature: Slot,
    /// Estimation noise (sd).
    pub noise: Slot,
    /// Tactic.
    pub tactic: TacticKind,
    /// Concession exponent slot (time-dependent tactics).
    pub beta: Slot,
    /// Initial concession slot (time-dependent tactics).
    pub k: Slot,
    /// Largest share of the way to the group's mean (the `degroot` tactic).
    pub step: Option<Slot>,
    /// Chance of walking out at the start of each meeting it attends.
    pub walkout_chance: Option<Slot>,
    /// Utility shape.
    pub shape: Shape,
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
    /// Rounds (None: unbounded).
    pub rounds: Option<u32>,
    /// Clock and acceptance conventions.
    pub clock: Clock,
    /// Index into `units` of the first proposer.
    pub first: usize,
    /// Mediator party.
    pub mediator: Option<usize>,
    /// Follow-up delay slot and maximum count.
    pub follow_up: Option<(Slot, u32)>,
    /// Days added to `day`, drawn per run.
    pub date_shift: Option<Slot>,
    /// Consensus tolerance: the agenda settles at the text once every
    /// issue's spread of demands falls below it.
    pub consensus: Option<f64>,
}

/// What sets a threat off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A walkout by this party (None: anyone).
    Walkout(Option<usize>),
    /// A war started by this party (None: anyone).
    Escalation(Option<usize>),
    /// A date (day since start).
    Deadline(u32),
    /// Another threat's execution.
    Threat(usize),
}

/// The branch of the future on which a threat (through its chain) bites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Branch {
    /// Talks fail and nobody fights: a deadline passes.
    NoDeal,
    /// A walkout by this party (None: anyone).
    Walkout(Option<usize>),
    /// A war started by this party (None: anyone).
    War(Option<usize>),
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
    /// Where the chain it belongs to starts.
    pub branch: Branch,
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

/// A third party that may fight beside one side of a conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct Ally {
    /// The party.
    pub party: usize,
    /// 0 or 1: the side of `Conflict::sides` it joins.
    pub side: usize,
    /// Probability it joins.
    pub probability: Slot,
    /// Share of its capability it brings.
    pub contribution: Slot,
}

/// A war some party may choose: who fights whom, over what.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// Id (`rivals` give `p~q`).
    pub id: String,
    /// The two sides' members (a bloc fights with all its members).
    pub sides: [Vec<usize>; 2],
    /// The issues force settles, with the slot of the share a win moves each.
    pub stakes: Vec<(usize, Option<Slot>)>,
    /// Third parties that may join.
    pub allies: Vec<Ally>,
    /// The first day the war can start (0: any time).
    pub not_before: f64,
}

/// One way a war can start: a conflict and the party that would start it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarOption {
    /// Index into [`Model::conflicts`].
    pub conflict: usize,
    /// The party that starts it.
    pub initiator: usize,
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
    /// Days a bargaining round counts for in discounting.
    pub round_days: f64,
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
    /// Conflicts.
    pub conflicts: Vec<Conflict>,
    /// Every (conflict, initiator) pair, in conflict order.
    pub war_options: Vec<WarOption>,
    /// Each party that may start a war, with the indices of its options.
    pub initiators: Vec<(usize, Vec<usize>)>,
    /// Each issue's grid (its number of values; None when continuous).
    pub grids: Vec<Option<u32>>,
    /// Per party: its bloc's members, or itself.
    pub sides: Vec<Vec<usize>>,
}

impl Model {
    /// The parties whose capability a party pools: its bloc, or itself.
    pub fn side(&self, p: usize) -> &[usize] {
        &self.sides[p]
    }

    /// Whether party `p` may start some war.
    pub fn can_start_war(&self, p: usize) -> bool {
        self.initiators.iter().any(|(i, _)| *i == p)
    }

    /// The index of the party with id `id`.
    pub fn party_index(&self, id: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.id == id)
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
