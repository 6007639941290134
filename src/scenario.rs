//! The scenario format: serde types for the TOML file, loading with precise
//! errors, `--set` overrides and semantic validation.
//!
//! Every keyed table (`issues`, `parties`, `blocs`, `meetings`, `threats`,
//! `events`) keeps the order of the file; ids are the table keys.

mod date;
mod ids;
mod limits;
mod load;
pub mod param;
mod rounds;
mod valid;
pub mod validate;

use indexmap::IndexMap;
use serde::Deserialize;

pub use date::DateValue;
pub use load::{read_text, Override, ScenarioSource, ScenarioTemplate};
pub use param::Param;
pub use rounds::Rounds;
pub use valid::ValidScenario;

/// A whole scenario file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Display name.
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: String,
    /// Clock, horizon, default runs and seed, global model settings.
    pub simulation: Simulation,
    /// Negotiated dimensions.
    pub issues: IndexMap<String, IssueDef>,
    /// Actors.
    pub parties: IndexMap<String, PartyDef>,
    /// Parties that negotiate as one.
    #[serde(default)]
    pub blocs: IndexMap<String, BlocDef>,
    /// The calendar of meetings.
    #[serde(default)]
    pub meetings: IndexMap<String, MeetingDef>,
    /// Conditional moves.
    #[serde(default)]
    pub threats: IndexMap<String, ThreatDef>,
    /// Exogenous shocks.
    #[serde(default)]
    pub events: IndexMap<String, EventDef>,
    /// Wars the parties may choose: who fights whom, over what.
    #[serde(default)]
    pub conflicts: IndexMap<String, ConflictDef>,
    /// A parameter sweep stored with the scenario (used by `negsim sweep`).
    #[serde(default)]
    pub sweep: Option<SweepDef>,
    /// What really happened, for `negsim score`.
    pub observed: Option<ObservedDef>,
}

/// `[simulation]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Simulation {
    /// Day 0 of the run.
    pub start: DateValue,
    /// The date of the information the scenario uses (a historical case is
    /// calibrated as of this date).
    pub as_of: Option<DateValue>,
    /// Last day simulated (the horizon).
    pub end: DateValue,
    /// Default number of runs (10000 when absent).
    pub runs: Option<u64>,
    /// Default master seed (0 when absent).
    pub seed: Option<u64>,
    /// Cap on engine events per run.
    #[serde(default = "default_max_events")]
    pub max_events: u64,
    /// Default utility shape for parties.
    #[serde(default)]
    pub utility: UtilityShape,
    /// Default sd of a party's error about another's value of no deal.
    #[serde(default = "default_noise")]
    pub noise: Param,
    /// Issues whose last demands lie within this distance settle at a meeting's end.
    #[serde(default = "default_convergence")]
    pub convergence: f64,
    /// Default temperature of the parties' logit choices (war, walkout), in
    /// utility units; 0 is a pure best response.
    #[serde(default = "default_temperature")]
    pub temperature: Param,
    /// Days of delay a bargaining round counts for when a party discounts
    /// (patience is a discount factor per day).
    #[serde(default = "default_round_days")]
    pub round_days: f64,
}

fn default_max_events() -> u64 {
    10_000
}
fn default_noise() -> Param {
    Param::Fixed(0.0)
}
fn default_convergence() -> f64 {
    0.05
}
fn default_temperature() -> Param {
    Param::Fixed(0.01)
}
fn default_round_days() -> f64 {
    1.0
}

/// Utility shape over each issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UtilityShape {
    /// `1 - |x - ideal|`.
    #[default]
    Linear,
    /// `1 - (x - ideal)^2`.
    Quadratic,
}

/// Continuous or binary issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// Any value in `[0, 1]`.
    #[default]
    Continuous,
    /// Only 0 or 1.
    Binary,
    /// A number of evenly spaced values on `[0, 1]` (see [`IssueDef::values`]).
    Discrete,
}

/// The values of a discrete issue: how many, or their labels in order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum IssueValues {
    /// `values = 5`: 0, 0.25, 0.5, 0.75, 1.
    Count(u32),
    /// `values = ["none", "partial", "full"]`: evenly spaced, labelled.
    Labels(Vec<String>),
}

impl IssueValues {
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            IssueValues::Count(n) => *n as usize,
            IssueValues::Labels(l) => l.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `[issues.ID]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueDef {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Label of the 0 end.
    #[serde(default)]
    pub low: String,
    /// Label of the 1 end.
    #[serde(default)]
    pub high: String,
    /// Continuous, binary or discrete.
    #[serde(default)]
    pub kind: IssueKind,
    /// The values of a discrete issue.
    pub values: Option<IssueValues>,
    /// Value in force while unsettled (default 0.5; 0 for a binary or discrete issue).
    pub status_quo: Option<Param>,
}

impl IssueDef {
    /// The status quo, with its default.
    pub fn status_quo(&self) -> Param {
        self.status_quo.unwrap_or(Param::Fixed(match self.kind {
            IssueKind::Continuous => 0.5,
            IssueKind::Binary | IssueKind::Discrete => 0.0,
        }))
    }
}

/// A party's tactic: a name, or a table with parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum TacticDef {
    /// `tactic = "boulware"`.
    Name(TacticKind),
    /// `tactic = { kind = "boulware", beta = 0.3 }`.
    Table(TacticTable),
}

/// The tactic table form.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TacticTable {
    /// Which tactic.
    pub kind: TacticKind,
    /// Concession exponent for time-dependent tactics.
    pub beta: Option<Param>,
    /// Initial concession `k` of time-dependent tactics (Faratin et al. 1998):
    /// the share of the range conceded at the first move.
    pub k: Option<Param>,
    /// The largest share of the way to the group's mean a `degroot` party
    /// moves at a demand (each move draws its share uniformly below it).
    pub step: Option<Param>,
}

/// The tactics of `docs/model.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TacticKind {
    /// Concede late (time-dependent, beta < 1).
    Boulware,
    /// Concede early (time-dependent, beta > 1).
    Conceder,
    /// Concede at a constant rate (beta = 1).
    Linear,
    /// Mirror the counterpart's last concession.
    TitForTat,
    /// Never concede.
    Hardliner,
    /// Zeuthen's rule: concede when your risk willingness is the lower.
    Zeuthen,
    /// Rubinstein's subgame-perfect strategy (two parties).
    Rubinstein,
    /// Fearon's risk-return trade-off: the offer that maximises expected utility
    /// given a noisy estimate of what the counterpart accepts.
    RiskReturn,
    /// DeGroot's averaging: move a random share of the way toward the
    /// group's mean demand, issue by issue.
    #[serde(rename = "degroot")]
    DeGroot,
}

/// `[parties.ID]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyDef {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Stated position (public ideal point) per issue.
    #[serde(default)]
    pub positions: IndexMap<String, Param>,
    /// Salience weight per issue (normalised to sum 1); default 1 for each positioned issue.
    #[serde(default)]
    pub salience: IndexMap<String, Param>,
    /// Private red line per issue: the worst value the party accepts.
    #[serde(default)]
    pub reservation: IndexMap<String, Param>,
    /// Military and economic capability (any positive unit; blocs pool it).
    #[serde(default = "one")]
    pub capability: Param,
    /// Cost of conflict, in utility units.
    #[serde(default = "default_cost")]
    pub cost_of_conflict: Param,
    /// Discount factor per bargaining round, in (0, 1].
    #[serde(default = "default_patience")]
    pub patience: Param,
    /// Negotiation tactic.
    #[serde(default = "default_tactic")]
    pub tactic: TacticDef,
    /// Utility shape (defaults to `[simulation] utility`).
    pub utility: Option<UtilityShape>,
    /// Walk out when expected value of talks is below the value of no deal by more than this.
    #[serde(default = "default_walkout")]
    pub walkout: Param,
    /// Chance that the party walks out at the start of each meeting it
    /// attends, whatever the talks promise (drawn per meeting; none when absent).
    pub walkout_chance: Option<Param>,
    /// Temperature of this party's logit choices (defaults to `[simulation] temperature`).
    pub temperature: Option<Param>,
    /// sd of this party's error about the others' values of no deal (defaults to `[simulation] noise`).
    pub noise: Option<Param>,
    /// Shorthand for a conflict with each of these parties in which either
    /// side may start a war over every issue (see `[conflicts]`).
    #[serde(default)]
    pub rivals: Vec<String>,
    /// Fixes the value of no deal instead of deriving it (textbook cases).
    pub disagreement: Option<Param>,
    /// "Nothing is agreed until everything is agreed": the party accepts no
    /// partial settlement at a meeting's end, only a full agreement.
    #[serde(default)]
    pub package: bool,
}

fn one() -> Param {
    Param::Fixed(1.0)
}
fn default_cost() -> Param {
    Param::Fixed(0.2)
}
fn default_patience() -> Param {
    Param::Fixed(0.95)
}
fn default_tactic() -> TacticDef {
    TacticDef::Name(TacticKind::Linear)
}
fn default_walkout() -> Param {
    Param::Fixed(0.2)
}

/// `[blocs.ID]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlocDef {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Member parties.
    pub members: Vec<String>,
    /// The member that negotiates for the bloc.
    pub lead: String,
}

/// How a meeting's rounds run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// Proposer rotates; responders accept or counter.
    #[default]
    Alternating,
    /// A mediator proposes a single text.
    Mediated,
    /// Everyone offers at once; agreement when offers cross.
    Simultaneous,
}

/// `follow_up = { delay = .., max = .. }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpDef {
    /// Days until the follow-up meeting.
    pub delay: Param,
    /// At most this many follow-ups of this meeting.
    #[serde(default = "default_follow_max")]
    pub max: u32,
}

fn default_follow_max() -> u32 {
    1
}

/// `[meetings.ID]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingDef {
    /// When it happens.
    pub date: DateValue,
    /// Where.
    #[serde(default)]
    pub venue: String,
    /// Parties or blocs at the table.
    pub participants: Vec<String>,
    /// Issues negotiated.
    pub agenda: Vec<String>,
    /// How rounds run.
    #[serde(default)]
    pub protocol: Protocol,
    /// Number of rounds, or `"unbounded"` (until agreement or walkout).
    #[serde(default = "default_rounds")]
    pub rounds: Rounds,
    /// Whose conventions the rounds follow: negsim's (default) or NegMAS's.
    #[serde(default)]
    pub clock: Clock,
    /// First proposer (alternating); defaults to the first participant.
    pub first: Option<String>,
    /// The mediating party (mediated protocol).
    pub mediator: Option<String>,
    /// Follow-up meetings when talks end in an agreed process.
    pub follow_up: Option<FollowUpDef>,
    /// Days added to `date`, drawn per run (an uncertain meeting date).
    pub date_shift: Option<Param>,
    /// Agreement by consensus: the meeting settles its agenda at the text
    /// as soon as, on every agenda issue, the demands' spread (highest less
    /// lowest) falls below this (simultaneous and mediated protocols).
    pub consensus: Option<f64>,
}

fn default_rounds() -> Rounds {
    Rounds::Count(4)
}

/// The conventions of a meeting's clock and acceptance rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// negsim's: a round is one proposal; Faratin's time `t / t_max` runs over
    /// every round of the party's scheduled meetings; acceptance is AC_next.
    #[default]
    Negsim,
    /// NegMAS 0.16's SAO mechanism: in each step every party acts once (it
    /// answers the standing offer, then proposes); relative time is
    /// `(step + 1) / (steps + 1)`; a party accepts what reaches its current
    /// aspiration less 1e-4.
    Negmas,
}

/// What a threat does when carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreatKind {
    /// Costs both sides; the run goes on.
    Sanctions,
    /// Ends the run in `breakdown`.
    Breakdown,
    /// Ends the run in `conflict`.
    Conflict,
}

/// What sets a threat off.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum TriggerDef {
    /// When this party walks out of a meeting (`"any"` for anyone).
    Walkout(String),
    /// When this party escalates.
    Escalation(String),
    /// At this date, unless every issue is settled.
    Deadline(DateValue),
    /// When this other threat is carried out.
    Threat(String),
}

/// `[threats.ID]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatDef {
    /// Who threatens.
    pub issuer: String,
    /// Whom.
    pub target: String,
    /// What it does.
    pub kind: ThreatKind,
    /// What sets it off.
    pub trigger: TriggerDef,
    /// Utility lost by the target when carried out.
    #[serde(default)]
    pub cost_to_target: Option<Param>,
    /// Utility lost by the issuer when carried out.
    #[serde(default)]
    pub cost_to_issuer: Option<Param>,
    /// Probability it is carried out once triggered.
    #[serde(default = "one")]
    pub credibility: Param,
    /// Days between trigger and execution.
    #[serde(default)]
    pub delay: Option<Param>,
}

/// How an effect changes a parameter.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectDef {
    /// The parameter's path, as for `--set` (e.g. `parties.russia.patience`).
    pub path: String,
    /// Add this.
    pub add: Option<f64>,
    /// Multiply by this.
    pub scale: Option<f64>,
    /// Set to this.
    pub to: Option<f64>,
}

/// `[events.ID]`: scheduled (`date`) or random (`rate`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDef {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// When a scheduled event happens.
    pub date: Option<DateValue>,
    /// Occurrences per day of a random (Poisson) event.
    pub rate: Option<Param>,
    /// Random events happen from this date (default: start).
    pub from: Option<DateValue>,
    /// Random events happen until this date (default: end).
    pub until: Option<DateValue>,
    /// At most this many occurrences of a random event.
    pub max: Option<u32>,
    /// Parameter changes.
    pub effects: Vec<EffectDef>,
}

/// The outcomes a run can end in, as outputs name them (the model's
/// `Outcome` enum follows this order).
pub const OUTCOME_NAMES: [&str; 7] = [
    "agreement",
    "partial_agreement",
    "process",
    "stalemate",
    "breakdown",
    "sanctions",
    "conflict",
];

/// `[observed]`: what really happened in a historical case.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservedDef {
    /// The outcome, as the runs CSV names them (`agreement`, `conflict`, …).
    pub outcome: String,
    /// The day it happened.
    pub date: DateValue,
    /// The settled value of each issue that was settled, on its 0–1 scale.
    #[serde(default)]
    pub settled: IndexMap<String, f64>,
    /// Where the record comes from.
    pub source: String,
}

/// `[conflicts.ID]`: a war some party may choose to start.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictDef {
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// The two belligerents (parties or blocs); a bloc fights with all its members.
    pub between: Vec<String>,
    /// Who may start it (parties, or blocs standing for their lead); default both.
    pub initiators: Option<Vec<String>>,
    /// The issues force settles, with the share of the way a win moves each
    /// from the status quo to the winner's position (default: every issue, fully).
    pub stakes: Option<StakesDef>,
    /// Third parties that may join the fighting.
    #[serde(default)]
    pub allies: IndexMap<String, AllyDef>,
    /// The war cannot start before this date (an ultimatum, an authorisation).
    pub not_before: Option<DateValue>,
}

/// `stakes = ["a", "b"]` (fully) or `stakes = { a = 1.0, b = 0.5 }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum StakesDef {
    /// These issues, fully.
    List(Vec<String>),
    /// Each issue with its share.
    Table(IndexMap<String, Param>),
}

/// An ally of one side in a conflict.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllyDef {
    /// The belligerent it would fight beside.
    pub side: String,
    /// Probability that it joins the fighting.
    #[serde(default = "one")]
    pub probability: Param,
    /// Share of its capability it brings when it joins (arms and aid rather
    /// than troops when small).
    #[serde(default = "one")]
    pub contribution: Param,
}

/// `[sweep]`: a sweep stored with the scenario.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepDef {
    /// `KEY=SPEC` strings, as for `--vary`.
    #[serde(default)]
    pub vary: Vec<String>,
    /// `grid`, `lhs`, `random`, `morris` or `sobol`.
    pub design: Option<String>,
    /// Number of points for `lhs`/`random`.
    pub points: Option<usize>,
    /// Replications per point.
    pub runs: Option<u64>,
    /// Morris: levels of each key's grid.
    pub levels: Option<usize>,
    /// Morris: number of trajectories.
    pub trajectories: Option<usize>,
    /// Morris: candidate trajectories for the improved spread.
    pub candidates: Option<usize>,
    /// Sobol: base points.
    pub base_points: Option<usize>,
    /// Sobol: add the points for second-order indices.
    pub second_order: Option<bool>,
    /// Sobol: `scrambled` or `plain`.
    pub sequence: Option<String>,
}
