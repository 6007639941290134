//! Semantic validation: every problem in a scenario, reported at once.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    Clock, IssueKind, IssueValues, Param, Protocol, Rounds, ScenarioFile, StakesDef, TacticDef,
    TacticKind, TriggerDef,
};
use crate::error::suggest;

/// The range a numeric parameter must stay in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bounds {
    /// `[0, 1]`.
    Unit,
    /// `(0, 1]`.
    UnitOpenLow,
    /// `[0, ∞)`.
    NonNegative,
    /// `(0, ∞)`.
    Positive,
    /// `[-1, 1]`.
    Signed,
}

impl Bounds {
    /// Whether every value from `lo` to `hi` lies in the range.
    pub fn contains(self, lo: f64, hi: f64) -> bool {
        match self {
            Bounds::Unit => lo >= 0.0 && hi <= 1.0,
            Bounds::UnitOpenLow => lo > 0.0 && hi <= 1.0,
            Bounds::NonNegative => lo >= 0.0 && hi < f64::INFINITY,
            Bounds::Positive => lo > 0.0 && hi < f64::INFINITY,
            Bounds::Signed => lo >= -1.0 && hi <= 1.0,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Bounds::Unit => "within [0, 1]",
            Bounds::UnitOpenLow => "within (0, 1]",
            Bounds::NonNegative => "finite and >= 0",
            Bounds::Positive => "finite and > 0",
            Bounds::Signed => "within [-1, 1]",
        }
    }

    /// Clamps a value into the range (used after exogenous effects).
    pub fn clamp(self, x: f64) -> f64 {
        match self {
            Bounds::Unit => x.clamp(0.0, 1.0),
            Bounds::UnitOpenLow => x.clamp(1e-9, 1.0),
            Bounds::NonNegative => x.clamp(0.0, MAX_MAGNITUDE),
            Bounds::Positive => x.clamp(1e-12, MAX_MAGNITUDE),
            Bounds::Signed => x.clamp(-1.0, 1.0),
        }
    }
}

/// The largest value an exogenous effect can push an unbounded parameter to,
/// so that repeated scaling can never produce infinities.
pub const MAX_MAGNITUDE: f64 = 1e12;

/// One semantic problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Dotted path.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// A likely intended id or key.
    pub suggestion: Option<String>,
}

impl ScenarioFile {
    /// Visits every numeric parameter of the model with its path and range,
    /// in a fixed order (file order within each table).
    pub fn for_each_param(&self, mut f: impl FnMut(String, &Param, Bounds)) {
        f(
            "simulation.noise".into(),
            &self.simulation.noise,
            Bounds::NonNegative,
        );
        f(
            "simulation.temperature".into(),
            &self.simulation.temperature,
            Bounds::NonNegative,
        );
        for (id, i) in &self.issues {
            f(
                format!("issues.{id}.status_quo"),
                &i.status_quo(),
                Bounds::Unit,
            );
        }
        for (id, p) in &self.parties {
            for (iss, v) in &p.positions {
                f(format!("parties.{id}.positions.{iss}"), v, Bounds::Unit);
            }
            for (iss, v) in &p.salience {
                f(
                    format!("parties.{id}.salience.{iss}"),
                    v,
                    Bounds::NonNegative,
                );
            }
            for (iss, v) in &p.reservation {
                f(format!("parties.{id}.reservation.{iss}"), v, Bounds::Unit);
            }
            f(
                format!("parties.{id}.capability"),
                &p.capability,
                Bounds::Positive,
            );
            f(
                format!("parties.{id}.cost_of_conflict"),
                &p.cost_of_conflict,
                Bounds::NonNegative,
            );
            f(
                format!("parties.{id}.patience"),
                &p.patience,
                Bounds::UnitOpenLow,
            );
            f(
                format!("parties.{id}.walkout"),
                &p.walkout,
                Bounds::NonNegative,
            );
            if let Some(c) = &p.walkout_chance {
                f(format!("parties.{id}.walkout_chance"), c, Bounds::Unit);
            }
            if let Some(t) = &p.temperature {
                f(format!("parties.{id}.temperature"), t, Bounds::NonNegative);
            }
            if let Some(n) = &p.noise {
                f(format!("parties.{id}.noise"), n, Bounds::NonNegative);
            }
            if let Some(d) = &p.disagreement {
                f(format!("parties.{id}.disagreement"), d, Bounds::Signed);
            }
            if let TacticDef::Table(t) = &p.tactic {
                if let Some(b) = &t.beta {
                    f(format!("parties.{id}.tactic.beta"), b, Bounds::Positive);
                }
                if let Some(k) = &t.k {
                    f(format!("parties.{id}.tactic.k"), k, Bounds::Unit);
                }
                if let Some(s) = &t.step {
                    f(format!("parties.{id}.tactic.step"), s, Bounds::Unit);
                }
            }
        }
        for (id, m) in &self.meetings {
            if let Some(fu) = &m.follow_up {
                f(
                    format!("meetings.{id}.follow_up.delay"),
                    &fu.delay,
                    Bounds::NonNegative,
                );
            }
            if let Some(d) = &m.date_shift {
                f(format!("meetings.{id}.date_shift"), d, Bounds::NonNegative);
            }
        }
        for (id, t) in &self.threats {
            if let Some(c) = &t.cost_to_target {
                f(
                    format!("threats.{id}.cost_to_target"),
                    c,
                    Bounds::NonNegative,
                );
            }
            if let Some(c) = &t.cost_to_issuer {
                f(
                    format!("threats.{id}.cost_to_issuer"),
                    c,
                    Bounds::NonNegative,
                );
            }
            f(
                format!("threats.{id}.credibility"),
                &t.credibility,
                Bounds::Unit,
            );
            if let Some(d) = &t.delay {
                f(format!("threats.{id}.delay"), d, Bounds::NonNegative);
            }
        }
        for (id, e) in &self.events {
            if let Some(r) = &e.rate {
                f(format!("events.{id}.rate"), r, Bounds::NonNegative);
            }
        }
        for (id, c) in &self.conflicts {
            if let Some(StakesDef::Table(t)) = &c.stakes {
                for (iss, v) in t {
                    f(format!("conflicts.{id}.stakes.{iss}"), v, Bounds::Unit);
                }
            }
            for (a, ally) in &c.allies {
                f(
                    format!("conflicts.{id}.allies.{a}.probability"),
                    &ally.probability,
                    Bounds::Unit,
                );
                f(
                    format!("conflicts.{id}.allies.{a}.contribution"),
                    &ally.contribution,
                    Bounds::NonNegative,
                );
            }
        }
    }
}

/// Most allies a conflict may have (its war value sums over every subset of
/// them that could join).
pub const MAX_ALLIES: usize = 8;

/// Most values a discrete issue may have.
pub const MAX_ISSUE_VALUES: usize = 10_001;

/// Whether `x` is a value of a discrete issue with `n` values.
pub fn on_grid(x: f64, n: usize) -> bool {
    let k = x * (n - 1) as f64;
    (k - k.round()).abs() < 1e-9 * (n as f64)
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
            suggestion: None,
        });
    }

    fn unknown<'a>(
        &mut self,
        path: String,
        what: &str,
        id: &str,
        known: impl IntoIterator<Item = &'a str> + Clone,
    ) {
        let list: Vec<&str> = known.clone().into_iter().collect();
        self.problems.push(Problem {
            path,
            message: format!(
                "unknown {what} `{id}`; expected one of: {}",
                list.join(", ")
            ),
            suggestion: suggest(id, known),
        });
    }
}

fn check_binary(c: &mut Checker, path: String, id: &str, def: &super::IssueDef, v: &Param) {
    match def.kind {
        IssueKind::Continuous => {}
        IssueKind::Binary => match v {
            Param::Fixed(x) if *x == 0.0 || *x == 1.0 => {}
            Param::Fixed(x) => c.push(
                path,
                format!("issue `{id}` is binary: the value is 0 or 1, got {x}"),
            ),
            _ => c.push(
                path,
                format!("issue `{id}` is binary: give 0 or 1, not a distribution"),
            ),
        },
        IssueKind::Discrete => {
            let Some(n) = def
                .values
                .as_ref()
                .map(IssueValues::len)
                .filter(|&n| n >= 2)
            else {
                return; // reported on the issue itself
            };
            if let Param::Fixed(x) = v {
                if (0.0..=1.0).contains(x) && !on_grid(*x, n) {
                    let step = 1.0 / (n - 1) as f64;
                    let below = (x / step).floor() * step;
                    c.push(
                        path,
                        format!(
                            "issue `{id}` has {n} values, spaced {step}: {x} is not one of them (nearest: {} or {})",
                            short(below),
                            short((below + step).min(1.0))
                        ),
                    );
                }
            }
        }
    }
}

/// A value rounded to nine decimals for messages.
fn short(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// Checks a deserialized scenario for consistency; returns every problem.
pub fn validate(s: &ScenarioFile) -> Vec<Problem> {
    let mut c = Checker { problems: vec![] };
    let issues: Vec<&str> = s.issues.keys().map(String::as_str).collect();
    let parties: Vec<&str> = s.parties.keys().map(String::as_str).collect();
    let blocs: Vec<&str> = s.blocs.keys().map(String::as_str).collect();
    let units: Vec<&str> = parties.iter().chain(blocs.iter()).copied().collect();

    // Parameters and their ranges.
    s.for_each_param(|path, p, bounds| {
        if let Some(msg) = p.check() {
            c.push(path, msg);
            return;
        }
        let (lo, hi) = p.support();
        if !bounds.contains(lo, hi) {
            let shown = if p.is_random() {
                format!("the distribution {p} ranges over [{lo}, {hi}]")
            } else {
                format!("got {p}")
            };
            c.push(path, format!("must be {}; {shown}", bounds.describe()));
        }
    });

    // Simulation settings.
    let start = s.simulation.start.0;
    let end = s.simulation.end.0;
    if start >= end {
        c.push(
            "simulation.end",
            format!("the end {end} must come after the start {start}"),
        );
    }
    if s.simulation.runs == Some(0) {
        c.push("simulation.runs", "must be at least 1");
    }
    if s.simulation.max_events == 0 {
        c.push("simulation.max_events", "must be at least 1");
    }
    if let Some(d) = s.simulation.as_of {
        if d.0 < start || d.0 > end {
            c.push(
                "simulation.as_of",
                format!("{} lies outside the simulated period {start} .. {end}", d.0),
            );
        }
    }
    if let Some(o) = &s.observed {
        let names = super::OUTCOME_NAMES;
        if !names.contains(&o.outcome.as_str()) {
            c.problems.push(Problem {
                path: "observed.outcome".into(),
                message: format!(
                    "unknown outcome `{}`; expected one of: {}",
                    o.outcome,
                    names.join(", ")
                ),
                suggestion: suggest(&o.outcome, names.iter().copied()),
            });
        }
        if o.date.0 < start || o.date.0 > end {
            c.push(
                "observed.date",
                format!(
                    "{} lies outside the simulated period {start} .. {end}",
                    o.date.0
                ),
            );
        }
        for (i, v) in &o.settled {
            if !s.issues.contains_key(i) {
                c.problems.push(Problem {
                    path: format!("observed.settled.{i}"),
                    message: format!("unknown issue `{i}`"),
                    suggestion: suggest(i, s.issues.keys().map(String::as_str)),
                });
            } else if !(0.0..=1.0).contains(v) {
                c.push(
                    format!("observed.settled.{i}"),
                    format!("must be within [0, 1], got {v}"),
                );
            }
        }
        if o.source.trim().is_empty() {
            c.push("observed.source", "say where the record comes from");
        }
    }
    let rd = s.simulation.round_days;
    if !(rd.is_finite() && rd >= 0.0) {
        c.push(
            "simulation.round_days",
            format!("must be a finite number >= 0, got {rd}"),
        );
    }
    let conv = s.simulation.convergence;
    if !(0.0..=1.0).contains(&conv) {
        c.push(
            "simulation.convergence",
            format!("must be within [0, 1], got {conv}"),
        );
    }
    let in_horizon = |c: &mut Checker, path: String, d: crate::time::Date| {
        if d < start || d > end {
            c.push(
                path,
                format!("{d} lies outside the simulated period {start} .. {end}"),
            );
        }
    };

    if s.issues.is_empty() {
        c.push("issues", "a scenario needs at least one issue");
    }
    if s.parties.len() < 2 {
        c.push("parties", "a scenario needs at least two parties");
    }
    for (id, def) in &s.issues {
        match (def.kind, &def.values) {
            (IssueKind::Discrete, None) => c.push(
                format!("issues.{id}.values"),
                "a discrete issue needs `values`: a count such as 5, or labels such as [\"none\", \"partial\", \"full\"]",
            ),
            (IssueKind::Discrete, Some(v)) => {
                if v.len() < 2 || v.len() > MAX_ISSUE_VALUES {
                    c.push(
                        format!("issues.{id}.values"),
                        format!("a discrete issue has 2..={MAX_ISSUE_VALUES} values, got {}", v.len()),
                    );
                }
                if let IssueValues::Labels(labels) = v {
                    let mut seen = BTreeSet::new();
                    for l in labels {
                        if !seen.insert(l.as_str()) {
                            c.push(
                                format!("issues.{id}.values"),
                                format!("the label `{l}` is listed twice"),
                            );
                        }
                    }
                }
            }
            (_, Some(_)) => c.push(
                format!("issues.{id}.values"),
                "`values` applies to a discrete issue; add kind = \"discrete\" or drop it",
            ),
            _ => {}
        }
        check_binary(
            &mut c,
            format!("issues.{id}.status_quo"),
            id,
            def,
            &def.status_quo(),
        );
    }
    if s.parties.contains_key("any") {
        c.push(
            "parties.any",
            "`any` is reserved (it means every party in triggers); choose another id",
        );
    }
    for (id, b) in &s.blocs {
        if s.parties.contains_key(id) {
            c.push(
                format!("blocs.{id}"),
                format!("`{id}` is already a party id; ids must be unique"),
            );
        }
        let _ = b;
    }

    // Parties.
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
                check_binary(
                    &mut c,
                    format!("parties.{pid}.reservation.{iss}"),
                    iss,
                    def,
                    v,
                );
            }
        }
        for (iss, v) in &p.positions {
            if let Some(def) = s.issues.get(iss) {
                check_binary(
                    &mut c,
                    format!("parties.{pid}.positions.{iss}"),
                    iss,
                    def,
                    v,
                );
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

    // Meetings.
    let tactic_of = |p: &str| -> Option<TacticKind> {
        s.parties.get(p).map(|d| match &d.tactic {
            TacticDef::Name(k) => *k,
            TacticDef::Table(t) => t.kind,
        })
    };
    let lead_of = |u: &str| -> String { s.blocs.get(u).map_or(u.to_string(), |b| b.lead.clone()) };
    for (mid, m) in &s.meetings {
        let base = format!("meetings.{mid}");
        in_horizon(&mut c, format!("{base}.date"), m.date.0);
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
            let lead = lead_of(u);
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
                    let lead = lead_of(u);
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

    // Conflicts.
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
                        initiators.insert(lead_of(i));
                        initiators.insert(i.clone());
                    }
                }
            }
            None => {
                for u in [a, b] {
                    initiators.insert(lead_of(u));
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
            in_horizon(&mut c, format!("{base}.not_before"), d.0);
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

    // Threats.
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
            TriggerDef::Deadline(d) => in_horizon(&mut c, format!("{base}.trigger.deadline"), d.0),
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

    // Events.
    let mut param_paths = BTreeSet::new();
    s.for_each_param(|p, _, _| {
        param_paths.insert(p);
    });
    for (eid, e) in &s.events {
        let base = format!("events.{eid}");
        match (&e.date, &e.rate) {
            (Some(d), None) => {
                in_horizon(&mut c, format!("{base}.date"), d.0);
                if e.from.is_some() || e.until.is_some() || e.max.is_some() {
                    c.push(
                        base.clone(),
                        "`from`, `until` and `max` apply to random events (with `rate`) only",
                    );
                }
            }
            (None, Some(_)) => {
                if let Some(f) = &e.from {
                    in_horizon(&mut c, format!("{base}.from"), f.0);
                }
                if let Some(u) = &e.until {
                    in_horizon(&mut c, format!("{base}.until"), u.0);
                }
                if let (Some(f), Some(u)) = (&e.from, &e.until) {
                    if f.0 >= u.0 {
                        c.push(
                            format!("{base}.until"),
                            format!("`until` {} must come after `from` {}", u.0, f.0),
                        );
                    }
                }
            }
            _ => c.push(
                base.clone(),
                "an event needs exactly one of `date` (scheduled) or `rate` (random, per day)",
            ),
        }
        // An event without effects is a decision point only (a date on
        // which parties reconsider, such as an ultimatum expiring).
        for (k, eff) in e.effects.iter().enumerate() {
            let ep = format!("{base}.effects.{k}");
            let ops = [eff.add, eff.scale, eff.to];
            if ops.iter().filter(|o| o.is_some()).count() != 1 {
                c.push(
                    ep.clone(),
                    "an effect needs exactly one of `add`, `scale` or `to`",
                );
            } else if ops.iter().flatten().any(|v| !v.is_finite()) {
                c.push(ep.clone(), "the effect's amount must be a finite number");
            }
            if !param_paths.contains(&eff.path) {
                c.problems.push(Problem {
                    path: format!("{ep}.path"),
                    message: format!("`{}` is not a numeric parameter of this scenario", eff.path),
                    suggestion: suggest(&eff.path, param_paths.iter().map(String::as_str)),
                });
            }
        }
    }
    c.problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
name = "t"
[simulation]
start = 2024-01-01
end = 2024-06-30
[issues.x]
[issues.flag]
kind = "binary"
[parties.a]
positions = { x = 1.0 }
[parties.b]
positions = { x = 0.0 }
[parties.m]
[meetings.talk]
date = 2024-02-01
participants = ["a", "b"]
agenda = ["x"]
"#;

    fn problems(extra: &str) -> Vec<Problem> {
        let text = format!("{BASE}{extra}");
        let s: ScenarioFile = toml::from_str(&text).expect("parses");
        validate(&s)
    }

    fn has(ps: &[Problem], path: &str, words: &str) -> bool {
        ps.iter()
            .any(|p| p.path == path && p.message.contains(words))
    }

    #[test]
    fn base_is_valid() {
        assert_eq!(problems(""), vec![]);
    }

    #[test]
    fn first_only_for_alternating() {
        let ps = problems("[meetings.med]\ndate = 2024-03-01\nparticipants = [\"a\", \"b\"]\nagenda = [\"x\"]\nprotocol = \"simultaneous\"\nfirst = \"a\"\n");
        assert!(has(&ps, "meetings.med.first", "alternating"), "{ps:?}");
    }

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
    fn binary_values_are_zero_or_one() {
        let text = BASE.replace(
            "kind = \"binary\"\n",
            "kind = \"binary\"\nstatus_quo = 0.5\n",
        );
        let s: ScenarioFile = toml::from_str(&text).unwrap();
        assert!(has(&validate(&s), "issues.flag.status_quo", "binary"));
        let text = BASE.replace(
            "positions = { x = 1.0 }",
            "positions = { x = 1.0, flag = { uniform = [0, 1] } }",
        );
        let s: ScenarioFile = toml::from_str(&text).unwrap();
        assert!(has(
            &validate(&s),
            "parties.a.positions.flag",
            "not a distribution"
        ));
    }

    #[test]
    fn reserved_and_misplaced_ids() {
        let ps = problems("[parties.any]\n");
        assert!(has(&ps, "parties.any", "reserved"));
        let ps = problems("[blocs.pair]\nmembers = [\"a\", \"m\"]\nlead = \"a\"\n[meetings.med]\ndate = 2024-03-01\nparticipants = [\"pair\", \"b\"]\nagenda = [\"x\"]\nprotocol = \"mediated\"\nmediator = \"m\"\n");
        assert!(
            has(&ps, "meetings.med.mediator", "through its bloc"),
            "{ps:?}"
        );
    }

    #[test]
    fn unknown_ids_come_with_suggestions() {
        let ps = problems("[meetings.other]\ndate = 2024-03-01\nparticipants = [\"a\", \"bb\"]\nagenda = [\"xx\"]\n");
        let p = ps.iter().find(|p| p.message.contains("`bb`")).unwrap();
        assert_eq!(p.suggestion.as_deref(), Some("b"));
        assert!(ps.iter().any(|p| p.message.contains("`xx`")));
    }

    #[test]
    fn distributions_must_fit_the_range() {
        let text = BASE.replace(
            "[parties.b]\n",
            "[parties.b]\npatience = { uniform = [0.5, 1.5] }\n",
        );
        let s: ScenarioFile = toml::from_str(&text).unwrap();
        assert!(has(&validate(&s), "parties.b.patience", "(0, 1]"));
        let text = BASE.replace(
            "[parties.b]\n",
            "[parties.b]\npatience = { normal = [0.9, 0.05] }\n",
        );
        let s: ScenarioFile = toml::from_str(&text).unwrap();
        assert!(has(&validate(&s), "parties.b.patience", "ranges over"));
    }
}
