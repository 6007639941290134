//! One run of the model: the per-run world (drawn parameters, derived values,
//! negotiation state) and the engine handler that plays it forward.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::streams::{Streams, PARAM_WORD_SHIFT};

use super::offer::{ConcessionPath, Prefs};
use super::trace::{Trace, TraceKind};
use super::{EffectOp, Model, Outcome, RunResult, Trigger};
use crate::engine::{Flow, Handler, Scheduler};
use crate::scenario::{Protocol, TacticKind, ThreatKind};
use crate::time::Day;

/// Tolerance on acceptance comparisons.
const EPS: f64 = 1e-9;

/// Engine events of the negotiation model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// A meeting (or its `instance`-th follow-up) convenes.
    Meeting {
        /// Meeting index.
        m: usize,
        /// 0 for the scheduled meeting, k for its k-th follow-up.
        instance: u32,
    },
    /// An exogenous event occurs (its `count`-th occurrence).
    Exogenous {
        /// Event index.
        e: usize,
        /// Occurrence number.
        count: u32,
    },
    /// A threat's deadline passes.
    Deadline {
        /// Threat index.
        t: usize,
    },
    /// A triggered threat comes due.
    Execute {
        /// Threat index.
        t: usize,
    },
    /// A party escalates (if `version` is still current).
    Escalate {
        /// Party index.
        p: usize,
        /// Invalidates escalations drawn under an older state.
        version: u32,
    },
}

// Priorities: at the same instant, exogenous shocks land first, then threats,
// then meetings, then escalations.
const PRI_EXO: i32 = 0;
const PRI_THREAT: i32 = 1;
const PRI_MEETING: i32 = 2;
const PRI_ESCALATE: i32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ThreatState {
    Pending,
    Triggered,
    Executed,
    Declined,
}

/// Per-unit negotiation state inside one meeting.
#[derive(Debug, Clone, Default)]
struct Seat {
    party: usize,
    path: ConcessionPath,
    u0: f64,
    target: f64,
    /// Latest offer (full issue vector); empty before the first.
    last: Vec<f64>,
    has_last: bool,
    /// Latest offer received from others, and the one before (utilities to me).
    recv_latest: Option<f64>,
    recv_prev: Option<f64>,
    best_recv: Vec<f64>,
    best_recv_u: f64,
    has_best: bool,
}

/// The state of one run.
#[derive(Debug)]
pub struct World<'m> {
    model: &'m Model,
    n: usize,
    np: usize,
    /// Drawn parameter values, by slot.
    pub values: Vec<f64>,
    rng: Streams,
    pos: Vec<f64>,
    w: Vec<f64>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    base: Vec<f64>,
    binary: Vec<bool>,
    settled: Vec<Option<f64>>,
    cap_side: Vec<f64>,
    s_val: Vec<f64>,
    w_val: Vec<f64>,
    d_val: Vec<f64>,
    err: Vec<f64>,
    sanctions_cost: Vec<f64>,
    threat_state: Vec<ThreatState>,
    executed: Vec<usize>,
    esc_version: Vec<u32>,
    rounds_done: Vec<u32>,
    /// Each party's last target utility (NaN before its first offer).
    aim: Vec<f64>,
    follow_count: Vec<u32>,
    pending_meetings: Vec<(f64, usize)>,
    meetings_held: u32,
    terminal: Option<(Outcome, f64)>,
    first_sanctions: Option<f64>,
    last_settle: f64,
    last_talks: f64,
    seats: Vec<Seat>,
    agenda_buf: Vec<usize>,
    offer_buf: Vec<f64>,
    scratch: Vec<f64>,
    scratch2: Vec<f64>,
    toward: Vec<f64>,
    cweight: Vec<f64>,
    /// The trace of the run (recorded only when enabled).
    pub trace: Trace,
}

impl<'m> World<'m> {
    /// A world for `model`, ready for [`World::reset`].
    pub fn new(model: &'m Model) -> Self {
        let n = model.issues.len();
        let np = model.parties.len();
        World {
            model,
            n,
            np,
            values: vec![0.0; model.params.len()],
            rng: Streams::new(&ChaCha8Rng::seed_from_u64(0)),
            pos: vec![0.0; n * np],
            w: vec![0.0; n * np],
            lo: vec![0.0; n * np],
            hi: vec![1.0; n * np],
            base: vec![0.5; n],
            binary: model.issues.iter().map(|i| i.binary).collect(),
            settled: vec![None; n],
            cap_side: vec![0.0; np],
            s_val: vec![0.0; np],
            w_val: vec![0.0; np],
            d_val: vec![0.0; np],
            err: vec![0.0; np * np],
            sanctions_cost: vec![0.0; np],
            threat_state: vec![ThreatState::Pending; model.threats.len()],
            executed: Vec::new(),
            esc_version: vec![0; np],
            rounds_done: vec![0; np],
            aim: vec![f64::NAN; np],
            follow_count: vec![0; model.meetings.len()],
            pending_meetings: Vec::new(),
            meetings_held: 0,
            terminal: None,
            first_sanctions: None,
            last_settle: 0.0,
            last_talks: 0.0,
            seats: Vec::new(),
            agenda_buf: Vec::new(),
            offer_buf: Vec::with_capacity(n),
            scratch: vec![0.0; n],
            scratch2: vec![0.0; n],
            toward: vec![0.0; n],
            cweight: vec![0.0; n],
            trace: Trace::default(),
        }
    }

    /// The model this world plays.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    #[inline]
    fn prefs(&self, p: usize) -> Prefs<'_> {
        let r = p * self.n..(p + 1) * self.n;
        Prefs {
            pos: &self.pos[r.clone()],
            w: &self.w[r.clone()],
            lo: &self.lo[r.clone()],
            hi: &self.hi[r],
            shape: self.model.parties[p].shape,
        }
    }

    #[inline]
    fn utility(&self, p: usize, x: &[f64]) -> f64 {
        let n = self.n;
        let w = &self.w[p * n..(p + 1) * n];
        let c = &self.pos[p * n..(p + 1) * n];
        super::offer::utility(self.model.parties[p].shape, w, c, x)
    }

    /// The value of no deal of party `p` (after the last refresh).
    pub fn disagreement(&self, p: usize) -> f64 {
        self.d_val[p]
    }

    /// Party `p`'s estimate of party `q`'s value of no deal.
    fn estimate(&self, p: usize, q: usize) -> f64 {
        self.d_val[q] + self.error(p, q)
    }

    /// `p`'s error about `q`'s value of no deal: its current noise times the
    /// unit normal drawn for the pair (so an effect on noise rescales it).
    #[inline]
    fn error(&self, p: usize, q: usize) -> f64 {
        self.values[self.model.parties[p].noise] * self.err[p * self.np + q]
    }

    fn v(&self, slot: usize) -> f64 {
        self.values[slot]
    }

    /// Draws the run's parameters and resets all state. `run` is the master
    /// generator set to the run's stream: parameter `k` draws from its own
    /// block of words, the dynamics from their own sub-streams.
    pub fn reset(&mut self, run: &ChaCha8Rng) {
        let mut params = run.clone();
        for (k, p) in self.model.params.iter().enumerate() {
            self.values[k] = if p.dist.is_random() {
                params.set_word_pos((k as u128) << PARAM_WORD_SHIFT);
                p.dist.sample(&mut params)
            } else {
                p.dist.mean()
            };
        }
        self.rng = Streams::new(run);
        self.settled.iter_mut().for_each(|s| *s = None);
        self.sanctions_cost.iter_mut().for_each(|s| *s = 0.0);
        self.threat_state
            .iter_mut()
            .for_each(|s| *s = ThreatState::Pending);
        self.executed.clear();
        self.esc_version.iter_mut().for_each(|v| *v = 0);
        self.rounds_done.iter_mut().for_each(|v| *v = 0);
        self.aim.iter_mut().for_each(|v| *v = f64::NAN);
        self.follow_count.iter_mut().for_each(|v| *v = 0);
        self.pending_meetings.clear();
        self.meetings_held = 0;
        self.terminal = None;
        self.first_sanctions = None;
        self.last_settle = 0.0;
        self.last_talks = 0.0;
        self.trace.clear();
        // Estimation errors: a unit normal per pair, scaled by the observer's
        // noise when used. Always drawn, so that noise 0 and noise > 0 share
        // every other draw.
        for p in 0..self.np {
            for q in 0..self.np {
                let z = standard_normal(&mut self.rng.errors);
                self.err[p * self.np + q] = if p == q { 0.0 } else { z };
            }
        }
        self.refresh();
    }

    /// Recomputes everything derived from parameter values (after a draw or
    /// an exogenous event), then the values of no deal.
    fn refresh(&mut self) {
        let m = self.model;
        let n = self.n;
        for i in 0..n {
            self.base[i] = self.settled[i].unwrap_or(self.values[m.issues[i].status_quo]);
        }
        self.refresh_preferences();
        self.refresh_values();
    }

    /// Positions, normalised weights, red lines and pooled capabilities.
    fn refresh_preferences(&mut self) {
        let m = self.model;
        let n = self.n;
        for (p, party) in m.parties.iter().enumerate() {
            let mut total = 0.0;
            for i in 0..n {
                let k = p * n + i;
                match (party.position[i], party.salience[i]) {
                    (Some(ps), Some(ss)) => {
                        self.pos[k] = self.values[ps];
                        self.w[k] = self.values[ss];
                        total += self.w[k];
                    }
                    _ => {
                        self.pos[k] = self.base[i];
                        self.w[k] = 0.0;
                    }
                }
                let (lo, hi) = match party.reservation[i] {
                    Some(rs) => {
                        let r = self.values[rs];
                        if r <= self.pos[k] {
                            (r, 1.0)
                        } else {
                            (0.0, r)
                        }
                    }
                    None => (0.0, 1.0),
                };
                self.lo[k] = lo;
                self.hi[k] = hi;
            }
            let positioned = party.position.iter().filter(|s| s.is_some()).count();
            for i in 0..n {
                let k = p * n + i;
                if party.position[i].is_some() {
                    self.w[k] = if total > 0.0 && total.is_finite() {
                        self.w[k] / total
                    } else {
                        1.0 / positioned as f64
                    };
                }
            }
        }
        for p in 0..self.np {
            self.cap_side[p] = m
                .side(p)
                .iter()
                .map(|&q| self.values[m.parties[q].capability])
                .sum();
        }
    }

    /// The base (settled values or status quo) and, from it, every party's
    /// status-quo value, war value and value of no deal.
    fn refresh_values(&mut self) {
        let m = self.model;
        let n = self.n;
        for i in 0..n {
            self.base[i] = self.settled[i].unwrap_or(self.values[m.issues[i].status_quo]);
            for p in 0..self.np {
                if m.parties[p].position[i].is_none() {
                    self.pos[p * n + i] = self.base[i];
                }
            }
        }
        // Status-quo and war values.
        for p in 0..self.np {
            let mut s = self.utility(p, &self.base) - self.sanctions_cost[p];
            let mut w = self.war_value(p);
            for (t, threat) in m.threats.iter().enumerate() {
                if self.threat_state[t] != ThreatState::Pending
                    && self.threat_state[t] != ThreatState::Triggered
                {
                    continue;
                }
                let cred = self.values[threat.credibility];
                let mut cost = 0.0;
                if threat.target == p {
                    cost += threat.cost_to_target.map_or(0.0, |c| self.values[c]);
                }
                if threat.issuer == p {
                    cost += threat.cost_to_issuer.map_or(0.0, |c| self.values[c]);
                }
                if cost == 0.0 {
                    continue;
                }
                if threat.war_branch.is_some() {
                    w -= cred * cost;
                } else {
                    s -= cred * cost;
                }
            }
            self.s_val[p] = s;
            self.w_val[p] = w;
        }
        for p in 0..self.np {
            self.d_val[p] = match m.parties[p].disagreement {
                Some(slot) => self.values[slot],
                None => {
                    let threatened = m.parties[p].rivals.iter().any(|&q| {
                        self.values[m.parties[q].escalation] > 0.0
                            && self.w_val[q] + self.error(p, q) > self.s_val[q]
                    });
                    if threatened {
                        self.w_val[p]
                    } else {
                        self.s_val[p].max(self.w_val[p])
                    }
                }
            };
        }
    }

    /// The conflict lottery (Fearon 1995): win with probability from relative
    /// capability, lose to the rivals' capability-weighted positions, pay the cost.
    fn war_value(&mut self, p: usize) -> f64 {
        let m = self.model;
        let party = &m.parties[p];
        if party.rivals.is_empty() {
            return f64::NEG_INFINITY;
        }
        let rival_cap: f64 = m
            .opponents(p)
            .iter()
            .map(|&q| self.values[m.parties[q].capability])
            .sum();
        let own = self.cap_side[p];
        let prob = own / (own + rival_cap);
        let n = self.n;
        for i in 0..n {
            let mut num = 0.0;
            let mut den = 0.0;
            for &r in &party.rivals {
                let k = r * n + i;
                if self.w[k] > 0.0 {
                    let c = self.values[m.parties[r].capability];
                    num += c * self.pos[k];
                    den += c;
                }
            }
            self.scratch2[i] = if den > 0.0 { num / den } else { self.base[i] };
        }
        let x = std::mem::take(&mut self.scratch2);
        let lose = self.utility(p, &x);
        self.scratch2 = x;
        prob + (1.0 - prob) * lose - self.values[party.cost]
    }

    /// Schedules the run's initial events.
    pub fn schedule_initial(&mut self, sched: &mut Scheduler<Event>) {
        let m = self.model;
        for (k, meeting) in m.meetings.iter().enumerate() {
            sched.schedule(
                Day(meeting.day),
                PRI_MEETING,
                Event::Meeting { m: k, instance: 0 },
            );
            self.pending_meetings.push((meeting.day, k));
        }
        for (k, e) in m.events.iter().enumerate() {
            match (e.day, e.rate) {
                (Some(d), _) => {
                    sched.schedule(Day(d), PRI_EXO, Event::Exogenous { e: k, count: 0 })
                }
                (None, Some(rate)) => {
                    let rate = self.values[rate];
                    if rate > 0.0 && e.max > 0 {
                        let at = e.window.0 + exponential(&mut self.rng.exogenous, rate);
                        if at <= e.window.1 {
                            sched.schedule(Day(at), PRI_EXO, Event::Exogenous { e: k, count: 0 });
                        }
                    }
                }
                _ => {}
            }
        }
        for (t, threat) in m.threats.iter().enumerate() {
            if let Trigger::Deadline(d) = threat.trigger {
                sched.schedule(Day(f64::from(d)), PRI_THREAT, Event::Deadline { t });
            }
        }
        self.reschedule_escalations(sched);
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        day: f64,
        kind: TraceKind,
        meeting: Option<usize>,
        round: Option<u32>,
        party: Option<usize>,
        subject: Option<usize>,
        value: Option<f64>,
    ) {
        self.trace
            .push(day, kind, meeting, round, party, subject, value, None);
    }

    fn end(&mut self, outcome: Outcome, day: f64) -> Flow {
        if self.terminal.is_none() {
            self.terminal = Some((outcome, day));
        }
        Flow::Stop
    }

    // ----- threats -----------------------------------------------------------

    fn trigger_threats(
        &mut self,
        now: f64,
        matches: impl Fn(&Trigger) -> bool,
        sched: &mut Scheduler<Event>,
        immediate: bool,
    ) -> Flow {
        for t in 0..self.model.threats.len() {
            if self.threat_state[t] != ThreatState::Pending
                || !matches(&self.model.threats[t].trigger)
            {
                continue;
            }
            self.threat_state[t] = ThreatState::Triggered;
            self.record(
                now,
                TraceKind::ThreatTriggered,
                None,
                None,
                Some(self.model.threats[t].issuer),
                Some(t),
                None,
            );
            let delay = self.model.threats[t].delay.map_or(0.0, |s| self.values[s]);
            if immediate {
                if self.execute(now, t, sched) == Flow::Stop {
                    return Flow::Stop;
                }
            } else {
                sched.schedule_in(delay, PRI_THREAT, Event::Execute { t });
            }
        }
        Flow::Continue
    }

    /// Threats answering `t` (directly or down a chain) can no longer fire
    /// once `t` is not carried out: they stop weighing on values of no deal.
    fn drop_descendants(&mut self, t: usize) {
        for c in 0..self.model.threats.len() {
            if self.model.threats[c].trigger == Trigger::Threat(t)
                && self.threat_state[c] == ThreatState::Pending
            {
                self.threat_state[c] = ThreatState::Declined;
                self.drop_descendants(c);
            }
        }
    }

    fn execute(&mut self, now: f64, t: usize, sched: &mut Scheduler<Event>) -> Flow {
        if self.threat_state[t] != ThreatState::Triggered {
            return Flow::Continue;
        }
        let threat = &self.model.threats[t];
        let cred = self.values[threat.credibility];
        if self.rng.threats.random::<f64>() >= cred {
            self.threat_state[t] = ThreatState::Declined;
            self.record(
                now,
                TraceKind::ThreatDeclined,
                None,
                None,
                Some(threat.issuer),
                Some(t),
                None,
            );
            self.drop_descendants(t);
            self.refresh_values();
            self.reschedule_escalations(sched);
            return Flow::Continue;
        }
        self.threat_state[t] = ThreatState::Executed;
        self.executed.push(t);
        self.record(
            now,
            TraceKind::ThreatExecuted,
            None,
            None,
            Some(threat.issuer),
            Some(t),
            None,
        );
        match threat.kind {
            ThreatKind::Breakdown => return self.end(Outcome::Breakdown, now),
            ThreatKind::Conflict => return self.end(Outcome::Conflict, now),
            ThreatKind::Sanctions => {
                self.first_sanctions.get_or_insert(now);
                let (target, issuer) = (threat.target, threat.issuer);
                self.sanctions_cost[target] +=
                    threat.cost_to_target.map_or(0.0, |c| self.values[c]);
                self.sanctions_cost[issuer] +=
                    threat.cost_to_issuer.map_or(0.0, |c| self.values[c]);
            }
        }
        if self.trigger_threats(now, |tr| *tr == Trigger::Threat(t), sched, false) == Flow::Stop {
            return Flow::Stop;
        }
        self.refresh_values();
        self.reschedule_escalations(sched);
        Flow::Continue
    }

    // ----- escalation --------------------------------------------------------

    /// Redraws every party's escalation time under the current state. The
    /// hazard is constant between state changes, so a fresh exponential draw
    /// at each change is exact (memorylessness).
    fn reschedule_escalations(&mut self, sched: &mut Scheduler<Event>) {
        let now = sched.now().get();
        for p in 0..self.np {
            self.esc_version[p] = self.esc_version[p].wrapping_add(1);
            let rate = self.values[self.model.parties[p].escalation];
            if rate <= 0.0 || !self.w_val[p].is_finite() {
                continue;
            }
            if self.w_val[p] <= self.s_val[p] {
                continue; // war is no better than the status quo: no hazard
            }
            let gap = if self.model.parties[p].disagreement.is_none() {
                // Here d_val[p] == w_val[p] > s_val[p]: expected talks are either
                // at least w_val (no hazard) or minus infinity (gap w - s).
                if self.talks_offer_range(p) {
                    continue;
                }
                self.w_val[p] - self.s_val[p]
            } else {
                let talks = self.expected_from_talks(p);
                self.w_val[p] - self.s_val[p].max(talks)
            };
            if gap <= 1e-12 {
                continue;
            }
            let at = now + exponential(&mut self.rng.escalation, rate * gap);
            if at <= self.model.horizon {
                sched.schedule(
                    Day(at),
                    PRI_ESCALATE,
                    Event::Escalate {
                        p,
                        version: self.esc_version[p],
                    },
                );
            }
        }
    }

    /// Seats `p`'s next pending meeting (its own path only) and returns its
    /// seat; `None` when no meeting is on its calendar.
    fn seat_at_next_meeting(&mut self, p: usize) -> Option<usize> {
        let m = self
            .pending_meetings
            .iter()
            .filter(|(_, m)| self.model.meetings[*m].units.contains(&p))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|&(_, m)| m)?;
        self.open_seats(m, Some(p));
        self.seats.iter().position(|s| s.party == p)
    }

    /// Whether `best_leaving_others` would find `u >= d_val[p]` at p's next
    /// meeting: one feasibility test at the lambda where u == d instead of a bisection.
    fn talks_offer_range(&mut self, p: usize) -> bool {
        let Some(k) = self.seat_at_next_meeting(p) else {
            return false;
        };
        let d = self.d_val[p];
        let u0 = self.seats[k].u0;
        let total = self.seats[k].path.total();
        if self.leaves_others_enough(k, 0.0) {
            return u0 >= d;
        }
        if !self.leaves_others_enough(k, 1.0) || u0 < d {
            return false;
        }
        if total <= 0.0 || u0 - total >= d {
            return true;
        }
        self.leaves_others_enough(k, (u0 - d) / total)
    }

    /// What `p` expects from talks still on the calendar: half the surplus it
    /// believes the next meeting offers over its value of no deal; minus
    /// infinity when no meeting is pending or it sees no bargaining range.
    fn expected_from_talks(&mut self, p: usize) -> f64 {
        let Some(seat) = self.seat_at_next_meeting(p) else {
            return f64::NEG_INFINITY;
        };
        // A precision of 2^-16 of the path is ample for a hazard rate.
        let best = self.best_leaving_others(seat, 16);
        let d = self.d_val[p];
        match best {
            Some((_, u)) if u >= d => d + 0.5 * (u - d),
            _ => f64::NEG_INFINITY,
        }
    }

    // ----- meetings ----------------------------------------------------------

    fn open_agenda(&self, m: usize) -> Vec<usize> {
        let mut a = Vec::with_capacity(self.model.meetings[m].agenda.len());
        self.fill_agenda(m, &mut a);
        a
    }

    /// The meeting's agenda issues still unsettled, into `out`.
    fn fill_agenda(&self, m: usize, out: &mut Vec<usize>) {
        out.clear();
        out.extend(
            self.model.meetings[m]
                .agenda
                .iter()
                .copied()
                .filter(|&i| self.settled[i].is_none()),
        );
    }

    /// Sets up one seat per negotiating unit with its concession path
    /// (only `only`'s path when given: the others get their party alone).
    fn open_seats(&mut self, m: usize, only: Option<usize>) {
        let meeting = &self.model.meetings[m];
        let mut agenda = std::mem::take(&mut self.agenda_buf);
        self.fill_agenda(m, &mut agenda);
        let n = self.n;
        self.seats.resize_with(meeting.units.len(), Seat::default);
        for (k, &p) in meeting.units.iter().enumerate() {
            self.seats[k].party = p;
            if only.is_some_and(|o| o != p) {
                continue;
            }
            // What the others ask, weighted by capability and salience.
            for i in 0..n {
                let mut num = 0.0;
                let mut den = 0.0;
                for &q in &meeting.units {
                    if q == p {
                        continue;
                    }
                    let a = self.cap_side[q] * self.w[q * n + i];
                    num += a * self.pos[q * n + i];
                    den += a;
                }
                self.toward[i] = if den > 0.0 {
                    num / den
                } else {
                    self.pos[p * n + i]
                };
                let sum_w: f64 = meeting
                    .units
                    .iter()
                    .filter(|&&q| q != p)
                    .map(|&q| self.w[q * n + i])
                    .sum();
                self.cweight[i] = sum_w;
            }
            let mut path = std::mem::take(&mut self.seats[k].path);
            path.rebuild(
                &self.prefs(p),
                &self.toward,
                &self.cweight,
                &agenda,
                &self.base,
                &self.binary,
            );
            let mut start = std::mem::take(&mut self.scratch);
            path.offer(&self.prefs(p), 0.0, &mut start);
            let u0 = self.utility(p, &start);
            self.scratch = start;
            let seat = &mut self.seats[k];
            seat.path = path;
            seat.party = p;
            seat.u0 = u0;
            seat.target = u0;
            seat.has_last = false;
            seat.last.resize(n, 0.0);
            seat.best_recv.resize(n, 0.0);
            seat.recv_latest = None;
            seat.recv_prev = None;
            seat.has_best = false;
            seat.best_recv_u = f64::NEG_INFINITY;
        }
        self.agenda_buf = agenda;
    }

    /// The most seat `k` can get on its path while leaving every other seat at
    /// least what `k` estimates its value of no deal to be: (lambda, utility).
    fn best_leaving_others(&mut self, k: usize, iters: u32) -> Option<(f64, f64)> {
        let lambda = if self.leaves_others_enough(k, 0.0) {
            0.0
        } else if !self.leaves_others_enough(k, 1.0) {
            return None;
        } else {
            let (mut a, mut b) = (0.0, 1.0);
            for _ in 0..iters {
                let mid = 0.5 * (a + b);
                if self.leaves_others_enough(k, mid) {
                    b = mid;
                } else {
                    a = mid;
                }
            }
            b
        };
        let u = self.seats[k].u0 - lambda * self.seats[k].path.total();
        Some((lambda, u))
    }

    /// Whether the point `lambda` of seat `k`'s path gives every other seat at
    /// least what `k` estimates its value of no deal to be.
    fn leaves_others_enough(&mut self, k: usize, lambda: f64) -> bool {
        let p = self.seats[k].party;
        let mut x = std::mem::take(&mut self.scratch2);
        self.seats[k].path.offer_at(&self.prefs(p), lambda, &mut x);
        let fine = self
            .seats
            .iter()
            .filter(|s| s.party != p)
            .all(|s| self.utility(s.party, &x) >= self.estimate(p, s.party) - EPS);
        self.scratch2 = x;
        fine
    }

    /// The utility seat `k` aims for at this turn, by its tactic.
    /// `ahead` is 0 for the move being made now, 1 for the party's next turn.
    fn target(&mut self, k: usize, ahead: u32) -> f64 {
        let p = self.seats[k].party;
        let party = &self.model.parties[p];
        let d = self.d_val[p];
        let u0 = self.seats[k].u0;
        let time_dependent = |w: &Self| -> f64 {
            if u0 <= d {
                return u0;
            }
            let beta = party.beta.map_or(1.0, |s| w.values[s]);
            let tau = clock(w.rounds_done[p] + ahead, party.horizon_rounds);
            d + (u0 - d) * (1.0 - tau.powf(1.0 / beta))
        };
        match party.tactic {
            TacticKind::Boulware | TacticKind::Conceder | TacticKind::Linear => {
                time_dependent(self)
            }
            TacticKind::Hardliner => u0,
            TacticKind::TitForTat => {
                let seat = &self.seats[k];
                match (seat.recv_latest, seat.recv_prev, seat.has_last) {
                    (Some(now), Some(prev), true) => {
                        (seat.target - (now - prev)).clamp(d.min(u0), u0)
                    }
                    (_, _, true) => seat.target,
                    // A new meeting: it goes on from where it stood.
                    _ if self.aim[p].is_finite() => self.aim[p].clamp(d.min(u0), u0),
                    _ => u0,
                }
            }
            TacticKind::Rubinstein => {
                let q = self.seats.iter().find(|s| s.party != p).map(|s| s.party);
                let Some(q) = q else { return u0 };
                let (dp, dq) = (
                    self.v(party.patience),
                    self.v(self.model.parties[q].patience),
                );
                match self.best_leaving_others(k, 50) {
                    Some((_, best)) if best >= d => d + rubinstein_share(dp, dq) * (best - d),
                    _ => u0,
                }
            }
            TacticKind::Zeuthen => self.zeuthen_target(k),
            TacticKind::RiskReturn => self.risk_return_target(k),
        }
    }

    fn nash_product(&mut self, k: usize, q: usize, lambda: f64) -> f64 {
        let p = self.seats[k].party;
        let mut x = std::mem::take(&mut self.scratch2);
        self.seats[k].path.offer_at(&self.prefs(p), lambda, &mut x);
        let a = self.utility(p, &x) - self.d_val[p];
        let b = self.utility(q, &x) - self.estimate(p, q);
        self.scratch2 = x;
        a.max(0.0) * b.max(0.0)
    }

    /// Zeuthen (1930) as restated by Harsanyi (1956): the party whose offer has
    /// the smaller Nash product (the lower risk willingness) concedes; it moves
    /// to the point of its path whose Nash product lies halfway between the
    /// other's offer's and the best attainable, so the burden shifts to the
    /// other side and the offers converge geometrically on the Nash solution.
    fn zeuthen_target(&mut self, k: usize) -> f64 {
        let p = self.seats[k].party;
        let Some(other) = self.seats.iter().position(|s| s.party != p) else {
            return self.seats[k].u0;
        };
        let q = self.seats[other].party;
        if !self.seats[k].has_last || !self.seats[other].has_last {
            return self.seats[k].u0;
        }
        let total = self.seats[k].path.total();
        if total <= 0.0 {
            return self.seats[k].u0;
        }
        let prod = |w: &Self, x: &[f64]| {
            (w.utility(p, x) - w.d_val[p]).max(0.0) * (w.utility(q, x) - w.estimate(p, q)).max(0.0)
        };
        let (own, theirs) = (&self.seats[k].last, &self.seats[other].last);
        let n_own = prod(self, own);
        let n_theirs = prod(self, theirs);
        let u_own = self.utility(p, own);
        let cur = ((self.seats[k].u0 - u_own) / total).clamp(0.0, 1.0);
        if n_own > n_theirs {
            return u_own;
        }
        // Golden-section search for the best Nash product on [cur, 1] (the
        // product is unimodal along the path); one new evaluation per step.
        let g = 0.618_033_988_749_895;
        let (mut a, mut b) = (cur, 1.0);
        let mut c = b - g * (b - a);
        let mut d = a + g * (b - a);
        let mut fc = self.nash_product(k, q, c);
        let mut fd = self.nash_product(k, q, d);
        for _ in 0..80 {
            if fc >= fd {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = self.nash_product(k, q, c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = self.nash_product(k, q, d);
            }
        }
        let star = 0.5 * (a + b);
        let n_max = self.nash_product(k, q, star);
        let level = n_theirs + 0.5 * (n_max - n_theirs);
        // Smallest concession from `cur` reaching that level.
        let (mut lo, mut hi) = (cur, star);
        if self.nash_product(k, q, lo) >= level {
            hi = lo;
        }
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.nash_product(k, q, mid) >= level {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        self.seats[k].u0 - hi * total
    }

    /// Fearon's (1995) risk-return trade-off: choose the offer maximising
    /// `P(accept) U(offer) + (1 - P(accept)) D`, where acceptance means every
    /// counterpart gets at least its value of no deal, believed normal around
    /// the estimate with the party's noise as sd.
    fn risk_return_target(&mut self, k: usize) -> f64 {
        let p = self.seats[k].party;
        let sd = self.v(self.model.parties[p].noise);
        let d = self.d_val[p];
        let u0 = self.seats[k].u0;
        if sd <= 1e-12 {
            return match self.best_leaving_others(k, 50) {
                Some((_, u)) => u.max(d.min(u0)),
                None => u0,
            };
        }
        let total = self.seats[k].path.total();
        let others: Vec<(usize, f64)> = self
            .seats
            .iter()
            .filter(|s| s.party != p)
            .map(|s| (s.party, self.estimate(p, s.party)))
            .collect();
        let eu = |w: &mut Self, lambda: f64| -> f64 {
            let mut x = std::mem::take(&mut w.scratch2);
            w.seats[k].path.offer_at(&w.prefs(p), lambda, &mut x);
            let mut prob = 1.0;
            for &(q, dq) in &others {
                prob *= normal_cdf((w.utility(q, &x) - dq) / sd);
            }
            let u = w.utility(p, &x);
            w.scratch2 = x;
            prob * u + (1.0 - prob) * d
        };
        // Coarse grid, then golden-section refinement around the best cell.
        let steps = 64;
        let mut best = (0.0, eu(self, 0.0));
        for j in 1..=steps {
            let l = f64::from(j) / f64::from(steps);
            let val = eu(self, l);
            if val > best.1 {
                best = (l, val);
            }
        }
        let h = 1.0 / f64::from(steps);
        let (mut a, mut b) = ((best.0 - h).max(0.0), (best.0 + h).min(1.0));
        let g = 0.618_033_988_749_895;
        for _ in 0..40 {
            let c = b - g * (b - a);
            let dd = a + g * (b - a);
            if eu(self, c) >= eu(self, dd) {
                b = dd;
            } else {
                a = c;
            }
        }
        u0 - 0.5 * (a + b) * total
    }

    /// Whether seat `k` accepts `x` (whose utility to it is `u`).
    fn accepts(&mut self, k: usize, x: &[f64], agenda: &[usize], has_future: bool) -> bool {
        let p = self.seats[k].party;
        let u = self.utility(p, x);
        if !self.prefs(p).acceptable(x, agenda) || u < self.d_val[p] - EPS {
            return false;
        }
        let party = &self.model.parties[p];
        match party.tactic {
            TacticKind::Rubinstein => {
                let q = self.seats.iter().find(|s| s.party != p).map(|s| s.party);
                let Some(q) = q else { return true };
                let (dp, dq) = (
                    self.v(party.patience),
                    self.v(self.model.parties[q].patience),
                );
                let d = self.d_val[p];
                match self.best_leaving_others(k, 50) {
                    Some((_, best)) if best >= d => {
                        u >= d + dp * rubinstein_share(dp, dq) * (best - d) - EPS
                    }
                    _ => true,
                }
            }
            TacticKind::Zeuthen => {
                let seat = &self.seats[k];
                let mine = if seat.has_last {
                    self.utility(p, &seat.last)
                } else {
                    seat.u0
                };
                u >= mine - 1e-7
            }
            _ if !has_future => true,
            _ => {
                let delta = self.v(party.patience);
                let next = self.target(k, 1);
                u >= delta * next - EPS
            }
        }
    }

    fn has_future(&self, m: usize, round: u32, p: usize) -> bool {
        let meeting = &self.model.meetings[m];
        round + 1 < meeting.rounds
            || meeting
                .follow_up
                .is_some_and(|(_, max)| self.follow_count[m] < max)
            || self
                .pending_meetings
                .iter()
                .any(|&(_, other)| self.model.meetings[other].units.contains(&p))
    }

    /// Seat `k` makes its move: computes its target and writes its offer into `seat.last`.
    fn make_offer(&mut self, k: usize) {
        let target = self.target(k, 0);
        let p = self.seats[k].party;
        let budget = (self.seats[k].u0 - target).max(0.0);
        let mut x = std::mem::take(&mut self.seats[k].last);
        self.seats[k].path.offer(&self.prefs(p), budget, &mut x);
        let seat = &mut self.seats[k];
        seat.last = x;
        seat.has_last = true;
        seat.target = target;
        self.aim[p] = target;
    }

    fn receive(&mut self, k: usize, x: &[f64]) {
        let p = self.seats[k].party;
        let u = self.utility(p, x);
        let seat = &mut self.seats[k];
        seat.recv_prev = seat.recv_latest;
        seat.recv_latest = Some(u);
        if u > seat.best_recv_u {
            seat.best_recv_u = u;
            seat.best_recv.copy_from_slice(x);
            seat.has_best = true;
        }
    }

    /// Records an offer by `party` with its own utility for it.
    fn record_offer(&mut self, now: f64, m: usize, round: u32, party: usize, x: &[f64]) {
        if self.trace.enabled {
            let u = self.utility(party, x);
            self.trace.push(
                now,
                TraceKind::Offer,
                Some(m),
                Some(round),
                Some(party),
                None,
                Some(u),
                Some(x),
            );
        }
    }

    /// Puts `x` to every seat but `skip`; records each reply. True when all accept.
    fn poll(
        &mut self,
        now: f64,
        m: usize,
        round: u32,
        x: &[f64],
        agenda: &[usize],
        skip: Option<usize>,
    ) -> bool {
        let mut all = true;
        for j in 0..self.seats.len() {
            if Some(j) == skip {
                continue;
            }
            self.receive(j, x);
            let party = self.seats[j].party;
            let fut = self.has_future(m, round, party);
            let yes = self.accepts(j, x, agenda, fut);
            if self.trace.enabled {
                let u = self.utility(party, x);
                let kind = if yes {
                    TraceKind::Accept
                } else {
                    TraceKind::Reject
                };
                self.record(now, kind, Some(m), Some(round), Some(party), None, Some(u));
            }
            all &= yes;
        }
        all
    }

    fn hold_meeting(
        &mut self,
        now: f64,
        m: usize,
        instance: u32,
        sched: &mut Scheduler<Event>,
    ) -> Flow {
        if let Some(ix) = self
            .pending_meetings
            .iter()
            .position(|&(d, k)| k == m && d == now)
        {
            self.pending_meetings.swap_remove(ix);
        }
        let agenda = self.open_agenda(m);
        if agenda.is_empty() {
            // Nothing left to negotiate; the calendar changed all the same.
            self.reschedule_escalations(sched);
            return Flow::Continue;
        }
        self.meetings_held += 1;
        self.last_talks = now;
        self.record(
            now,
            TraceKind::MeetingStart,
            Some(m),
            None,
            None,
            Some(instance as usize),
            None,
        );
        self.open_seats(m, None);
        let meeting = &self.model.meetings[m];
        let units = self.seats.len();
        let mut agreed: Option<Vec<f64>> = None;
        let mut walked_out: Option<usize> = None;
        let mut x = std::mem::take(&mut self.offer_buf);
        for round in 0..meeting.rounds {
            let all = match meeting.protocol {
                Protocol::Alternating => {
                    let k = (meeting.first + round as usize) % units;
                    self.make_offer(k);
                    x.clear();
                    x.extend_from_slice(&self.seats[k].last);
                    self.record_offer(now, m, round, self.seats[k].party, &x);
                    self.poll(now, m, round, &x, &agenda, Some(k))
                }
                Protocol::Simultaneous | Protocol::Mediated => {
                    for k in 0..units {
                        self.make_offer(k);
                        let last = std::mem::take(&mut self.seats[k].last);
                        self.record_offer(now, m, round, self.seats[k].party, &last);
                        self.seats[k].last = last;
                    }
                    // The text: the mean of the demands, weighted by capability
                    // and salience under a mediator, plain otherwise.
                    x.clear();
                    x.extend_from_slice(&self.base);
                    for &i in &agenda {
                        let mut num = 0.0;
                        let mut den = 0.0;
                        for s in &self.seats {
                            let a = if meeting.protocol == Protocol::Mediated {
                                self.cap_side[s.party] * self.w[s.party * self.n + i]
                            } else {
                                1.0
                            };
                            num += a * s.last[i];
                            den += a;
                        }
                        x[i] = if den > 0.0 { num / den } else { self.base[i] };
                        if self.binary[i] {
                            x[i] = x[i].round();
                        }
                    }
                    if let Some(med) = meeting.mediator {
                        self.trace.push(
                            now,
                            TraceKind::Offer,
                            Some(m),
                            Some(round),
                            Some(med),
                            None,
                            None,
                            Some(&x),
                        );
                    }
                    self.poll(now, m, round, &x, &agenda, None)
                }
            };
            if all {
                agreed = Some(x.clone());
            }
            for s in 0..units {
                let p = self.seats[s].party;
                self.rounds_done[p] += 1;
            }
            if agreed.is_some() {
                break;
            }
            // Walkout: what talks promise (half-way between my demand and the
            // best offer I have seen) against my value of no deal.
            for k in 0..units {
                let seat = &self.seats[k];
                if !seat.has_best {
                    continue;
                }
                let p = seat.party;
                let mine = if seat.has_last {
                    &seat.last[..]
                } else {
                    seat.path.start()
                };
                for ((s, a), b) in self.scratch.iter_mut().zip(mine).zip(&seat.best_recv) {
                    *s = 0.5 * (a + b);
                }
                let x = std::mem::take(&mut self.scratch);
                let expect = self.utility(p, &x);
                self.scratch = x;
                if expect < self.d_val[p] - self.v(self.model.parties[p].walkout) {
                    walked_out = Some(p);
                    break;
                }
            }
            if walked_out.is_some() {
                break;
            }
        }
        self.offer_buf = x;
        let mut changed = agreed.is_some();
        if let Some(x) = agreed {
            for &i in &agenda {
                let v = if self.binary[i] { x[i].round() } else { x[i] };
                self.settled[i] = Some(v);
            }
            self.last_settle = now;
            let u = self.utility(self.seats[0].party, &x);
            self.trace.push(
                now,
                TraceKind::Agreement,
                Some(m),
                None,
                None,
                None,
                Some(u),
                Some(&x),
            );
        } else if let Some(p) = walked_out {
            self.record(
                now,
                TraceKind::Walkout,
                Some(m),
                None,
                Some(p),
                None,
                Some(self.d_val[p]),
            );
            self.refresh_values();
            if self.trigger_threats(
                now,
                |tr| matches!(tr, Trigger::Walkout(None)) || *tr == Trigger::Walkout(Some(p)),
                sched,
                false,
            ) == Flow::Stop
            {
                return Flow::Stop;
            }
        } else {
            // Partial agreement on issues where the demands have converged,
            // where the settlement respects every red line and leaves every
            // party at least as well off as the status quo on that issue;
            // never when a party insists on a package deal.
            let mut any = false;
            let package = self
                .seats
                .iter()
                .any(|s| self.model.parties[s.party].package);
            for &i in &agenda {
                if package {
                    break;
                }
                let (mut lo, mut hi, mut sum) = (f64::INFINITY, f64::NEG_INFINITY, 0.0);
                for s in &self.seats {
                    let v = if s.has_last {
                        s.last[i]
                    } else {
                        self.pos[s.party * self.n + i]
                    };
                    lo = lo.min(v);
                    hi = hi.max(v);
                    sum += v;
                }
                let mut v = sum / units as f64;
                if self.binary[i] {
                    v = v.round();
                }
                let within = self.seats.iter().all(|s| {
                    let k = s.party * self.n + i;
                    v >= self.lo[k] - 1e-12 && v <= self.hi[k] + 1e-12
                });
                let improves = self.seats.iter().all(|s| {
                    let k = s.party * self.n + i;
                    if self.w[k] == 0.0 {
                        return true;
                    }
                    let shape = self.model.parties[s.party].shape;
                    shape.value(v, self.pos[k]) >= shape.value(self.base[i], self.pos[k]) - 1e-12
                });
                if hi - lo <= self.model.convergence + 1e-12 && within && improves {
                    self.settled[i] = Some(v);
                    any = true;
                }
            }
            changed |= any;
            if any {
                self.last_settle = now;
                let x = self
                    .settled
                    .iter()
                    .zip(&self.base)
                    .map(|(s, b)| s.unwrap_or(*b))
                    .collect::<Vec<_>>();
                self.trace.push(
                    now,
                    TraceKind::PartialAgreement,
                    Some(m),
                    None,
                    None,
                    None,
                    None,
                    Some(&x),
                );
            }
            let follow = meeting
                .follow_up
                .filter(|&(_, max)| self.follow_count[m] < max);
            let open = self.open_agenda(m);
            match follow {
                Some((slot, _)) if !open.is_empty() => {
                    self.follow_count[m] += 1;
                    // A fresh delay for each follow-up, from its own sub-stream.
                    let delay = self.model.params[slot].dist.sample(&mut self.rng.delays);
                    let at = now + delay;
                    sched.schedule(
                        Day(at),
                        PRI_MEETING,
                        Event::Meeting {
                            m,
                            instance: instance + 1,
                        },
                    );
                    self.pending_meetings.push((at, m));
                    self.record(now, TraceKind::Process, Some(m), None, None, None, Some(at));
                }
                _ => self.record(now, TraceKind::Deadlock, Some(m), None, None, None, None),
            }
        }
        if changed {
            self.refresh_values();
        }
        if self.settled.iter().all(Option::is_some) {
            return self.end(Outcome::Agreement, now);
        }
        self.reschedule_escalations(sched);
        Flow::Continue
    }

    fn apply_exogenous(&mut self, now: f64, e: usize, count: u32, sched: &mut Scheduler<Event>) {
        let ev = &self.model.events[e];
        for &(slot, op) in &ev.effects {
            let old = self.values[slot];
            let new = match op {
                EffectOp::Add(a) => old + a,
                EffectOp::Scale(s) => old * s,
                EffectOp::To(t) => t,
            };
            let param = &self.model.params[slot];
            let new = param.bounds.clamp(new);
            self.values[slot] = if param.binary { new.round() } else { new };
        }
        self.record(now, TraceKind::Exogenous, None, None, None, Some(e), None);
        if let (None, Some(rate)) = (ev.day, ev.rate) {
            let rate = self.values[rate];
            if rate > 0.0 && count + 1 < ev.max {
                let at = now + exponential(&mut self.rng.exogenous, rate);
                if at <= ev.window.1 {
                    sched.schedule(
                        Day(at),
                        PRI_EXO,
                        Event::Exogenous {
                            e,
                            count: count + 1,
                        },
                    );
                }
            }
        }
        // Positions, saliences, red lines and capabilities feed the derived
        // preferences; anything else needs only the values of no deal.
        if ev
            .effects
            .iter()
            .any(|&(slot, _)| self.model.params[slot].preference)
        {
            self.refresh();
        } else {
            self.refresh_values();
        }
        self.reschedule_escalations(sched);
    }

    /// The run's result once the engine has stopped.
    pub fn result(&self, run: u64, events: u64) -> RunResult {
        let horizon = self.model.horizon;
        let (outcome, day) = match self.terminal {
            Some(t) => t,
            None => {
                if let Some(d) = self.first_sanctions {
                    (Outcome::Sanctions, d)
                } else if self.settled.iter().any(Option::is_some) {
                    (Outcome::PartialAgreement, self.last_settle)
                } else if !self.pending_meetings.is_empty() {
                    (Outcome::Process, horizon)
                } else if self.meetings_held > 0 {
                    (Outcome::Stalemate, self.last_talks)
                } else {
                    (Outcome::Stalemate, horizon)
                }
            }
        };
        RunResult {
            run,
            outcome: Some(outcome),
            // A terminal event stops the run; otherwise it is watched to the
            // horizon, where the trace's `end` row goes.
            end_time: if self.terminal.is_some() {
                day
            } else {
                horizon
            },
            end_day: Day(day).whole_days(),
            meetings: self.meetings_held,
            settled: self.settled.clone(),
            threats: self.executed.clone(),
            events,
        }
    }
}

impl Handler for World<'_> {
    type Event = Event;

    fn handle(&mut self, now: Day, event: Event, sched: &mut Scheduler<Event>) -> Flow {
        let now = now.get();
        match event {
            Event::Meeting { m, instance } => self.hold_meeting(now, m, instance, sched),
            Event::Exogenous { e, count } => {
                self.apply_exogenous(now, e, count, sched);
                Flow::Continue
            }
            Event::Deadline { t } => {
                if self.settled.iter().all(Option::is_some) {
                    return Flow::Continue;
                }
                self.trigger_threats(
                    now,
                    |tr| {
                        matches!(tr, Trigger::Deadline(_))
                            && std::ptr::eq(tr, &self.model.threats[t].trigger)
                    },
                    sched,
                    false,
                )
            }
            Event::Execute { t } => self.execute(now, t, sched),
            Event::Escalate { p, version } => {
                if version != self.esc_version[p] {
                    return Flow::Skip;
                }
                // The run ends in conflict whatever the threats that answer
                // the escalation do; they are carried out and recorded.
                self.terminal = Some((Outcome::Conflict, now));
                self.record(
                    now,
                    TraceKind::Escalation,
                    None,
                    None,
                    Some(p),
                    None,
                    Some(self.w_val[p]),
                );
                if self.trigger_threats(
                    now,
                    |tr| {
                        matches!(tr, Trigger::Escalation(None))
                            || *tr == Trigger::Escalation(Some(p))
                    },
                    sched,
                    true,
                ) == Flow::Stop
                {
                    return Flow::Stop;
                }
                self.end(Outcome::Conflict, now)
            }
        }
    }
}

/// Rubinstein's (1982) share of the first proposer with discount factor `dp`
/// facing a responder with `dq`: `(1 - dq) / (1 - dp dq)`, and its limit 1/2
/// when both are (numerically) 1.
pub fn rubinstein_share(dp: f64, dq: f64) -> f64 {
    let denom = 1.0 - dp * dq;
    if denom < 1e-12 {
        0.5
    } else {
        (1.0 - dq) / denom
    }
}

/// Faratin et al.'s time fraction `t / t_max` after `done` of a party's
/// `total` scheduled rounds: 0 at its first move, 1 at its last (and for a
/// single round, which is its deadline).
fn clock(done: u32, total: u32) -> f64 {
    if total <= 1 {
        1.0
    } else {
        (f64::from(done) / f64::from(total - 1)).min(1.0)
    }
}

fn exponential<R: Rng + ?Sized>(rng: &mut R, rate: f64) -> f64 {
    // 1 - U lies in (0, 1], so the log is finite.
    -(1.0 - rng.random::<f64>()).ln() / rate
}

fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    use rand_distr::{Distribution, StandardNormal};
    StandardNormal.sample(rng)
}

/// Standard normal CDF via the complementary error function
/// (W. J. Cody's rational approximation as given in Numerical Recipes'
/// `erfcc`, relative error below 1.2e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let y = t
        * (-x * x - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    let erfc = if x >= 0.0 { y } else { 2.0 - y };
    0.5 * erfc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_254).abs() < 1e-6);
    }
}
