//! One run of the model: the drawn parameters, the run's state, and the
//! engine handler that coordinates meetings, threats, exogenous events and
//! the war decision (each in a module of its own).

use super::meeting::Seat;
use super::streams::{master_generator, RunKey, Stream, Streams, BLOCK_WORDS, PARAM_WORD_SHIFT};
use super::tactic::{Seated, Tactic};
use super::threats::ThreatState;
use super::trace::{Trace, TraceKind};
use super::values::{Dirty, StateView, Values};
use super::{Model, Outcome, RunResult, Trigger};
use crate::engine::{Flow, Handler, Scheduler};
use crate::time::Day;

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
}

// Priorities: at the same instant, exogenous shocks land first, then threats,
// then meetings.
pub(crate) const PRI_EXO: i32 = 0;
pub(crate) const PRI_THREAT: i32 = 1;
pub(crate) const PRI_MEETING: i32 = 2;

/// The mutable state of a run, apart from the drawn parameters.
#[derive(Debug, Clone)]
pub(crate) struct RunState {
    pub settled: Vec<Option<f64>>,
    pub sanctions: Vec<f64>,
    pub threats: Vec<ThreatState>,
    pub due: Vec<f64>,
    pub executed: Vec<usize>,
    pub rounds_done: Vec<u32>,
    /// Each party's last aim (NaN before its first offer).
    pub aim: Vec<f64>,
    /// Each party's last demand this run (`p * n + i`), when a tactic may
    /// read the group's mean (see `World::group_mean`).
    pub demand: Vec<f64>,
    pub has_demand: Vec<bool>,
    pub follow_count: Vec<u32>,
    pub pending_meetings: Vec<(f64, usize)>,
    pub meetings_held: u32,
    pub terminal: Option<(Outcome, f64)>,
    pub first_sanctions: Option<f64>,
    pub last_settle: f64,
    pub last_talks: f64,
    pub now: f64,
}

impl RunState {
    fn new(model: &Model) -> Self {
        let np = model.parties.len();
        RunState {
            settled: vec![None; model.issues.len()],
            sanctions: vec![0.0; np],
            threats: vec![ThreatState::Pending; model.threats.len()],
            due: vec![0.0; model.threats.len()],
            executed: Vec::new(),
            rounds_done: vec![0; np],
            aim: vec![f64::NAN; np],
            demand: vec![0.0; np * model.issues.len()],
            has_demand: vec![false; np],
            follow_count: vec![0; model.meetings.len()],
            pending_meetings: Vec::new(),
            meetings_held: 0,
            terminal: None,
            first_sanctions: None,
            last_settle: 0.0,
            last_talks: 0.0,
            now: 0.0,
        }
    }

    fn clear(&mut self) {
        self.settled.iter_mut().for_each(|s| *s = None);
        self.sanctions.iter_mut().for_each(|s| *s = 0.0);
        self.threats
            .iter_mut()
            .for_each(|s| *s = ThreatState::Pending);
        self.due.iter_mut().for_each(|d| *d = 0.0);
        self.executed.clear();
        self.rounds_done.iter_mut().for_each(|v| *v = 0);
        self.aim.iter_mut().for_each(|v| *v = f64::NAN);
        self.has_demand.iter_mut().for_each(|v| *v = false);
        self.follow_count.iter_mut().for_each(|v| *v = 0);
        self.pending_meetings.clear();
        self.meetings_held = 0;
        self.terminal = None;
        self.first_sanctions = None;
        self.last_settle = 0.0;
        self.last_talks = 0.0;
        self.now = 0.0;
    }

    pub fn view(&self) -> StateView<'_> {
        StateView {
            settled: &self.settled,
            sanctions: &self.sanctions,
            threats: &self.threats,
            due: &self.due,
            now: self.now,
        }
    }
}

/// The state of one run.
#[derive(Debug)]
pub struct World<'m> {
    pub(crate) model: &'m Model,
    /// Drawn parameter values, by slot.
    pub values: Vec<f64>,
    pub(crate) rng: Streams,
    /// The random parameters' slots, and the word each one's draws start at.
    random_params: Vec<usize>,
    param_starts: Vec<u128>,
    /// The reader a random parameter draws from (kept for its buffers).
    param_stream: Stream,
    /// Unit normals of each party's error about each other, `p * np + q`.
    pub(crate) err: Vec<f64>,
    /// Unit resolve shock of each war option (standard logistic).
    pub(crate) resolve: Vec<f64>,
    pub(crate) v: Values,
    /// A projection of the values to a later day (scheduled events applied).
    pub(crate) proj_params: Vec<f64>,
    pub(crate) proj: Values,
    pub(crate) st: RunState,
    pub(crate) tactics: Vec<Seated>,
    pub(crate) seats: Vec<Seat>,
    /// Seats not in use at the current meeting, kept with their buffers.
    pub(crate) spare_seats: Vec<Seat>,
    /// Issue-vector buffers the protocols borrow, kept between meetings.
    pub(crate) spare_bufs: Vec<Vec<f64>>,
    /// A frontier for look-ahead (the war decision's view of a later meeting).
    pub(crate) look: super::frontier::Frontier,
    /// Cached frontiers by seat, with the epoch they were built in, indexed
    /// by a meeting's `frontier_slot`.
    pub(crate) frontiers: Vec<Vec<(u64, Box<super::frontier::Frontier>)>>,
    /// Each meeting's slot in `frontiers`: the first meeting seated by the
    /// same units in the same order. A frontier is a function of its seat's
    /// party, its counterparts, the agenda and the values in force (the key
    /// checks the last two), so such meetings share one cache and a run with
    /// ten identical meetings builds each seat's frontier once, not ten times.
    pub(crate) frontier_slot: Vec<usize>,
    /// The slot whose frontiers the open meeting's seats hold, if any.
    pub(crate) lent_slot: Option<usize>,
    /// What each cached frontier was built from (see `ensure_frontier`).
    pub(crate) frontier_keys: Vec<Vec<Vec<u64>>>,
    /// Each meeting's seats' discounts over the wait to their next move
    /// after it, memoised by the bits of (patience, wait).
    pub(crate) later_discounts: Vec<Vec<std::cell::Cell<super::values::Memo2>>>,
    /// Each party's concession clock by rounds done (see `meeting::table`).
    pub(crate) clocks: Vec<Vec<f64>>,
    /// Bumped whenever what frontiers depend on changes (preferences, the
    /// values in force, the open agenda), so a stale one is rebuilt.
    pub(crate) epoch: u64,
    pub(crate) agenda_buf: Vec<usize>,
    /// Whether a tactic may read the group's mean demand (a `degroot`
    /// party, or a tactic installed by the library's user).
    pub(crate) wants_group_mean: bool,
    /// The mean of the seats' demands at the start of the round (valid
    /// while `group_mean_on`).
    pub(crate) group_mean: Vec<f64>,
    pub(crate) group_mean_on: bool,
    /// What each exogenous event's effects reach among the derived values.
    pub(crate) event_dirty: Vec<Dirty>,
    /// The scheduled exogenous events by day, for projections.
    pub(crate) scheduled: Vec<(f64, usize)>,
    pub(crate) floors: Vec<f64>,
    pub(crate) scratch: Vec<f64>,
    /// The trace of the run (recorded only when enabled).
    pub trace: Trace,
}

impl<'m> World<'m> {
    /// A world for `model`, ready for [`World::reset`].
    pub fn new(model: &'m Model) -> Self {
        let placeholder = RunKey::new(&master_generator(0), 0);
        let random_params: Vec<usize> = model
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.dist.is_random())
            .map(|(k, _)| k)
            .collect();
        let n = model.issues.len();
        let np = model.parties.len();
        World {
            model,
            values: vec![0.0; model.params.len()],
            rng: Streams::new(&placeholder),
            param_stream: Stream::new(&placeholder, 0, &[0; BLOCK_WORDS]),
            param_starts: random_params
                .iter()
                .map(|&k| (k as u128) << PARAM_WORD_SHIFT)
                .collect(),
            random_params,
            err: vec![0.0; np * np],
            resolve: vec![0.0; model.war_options.len()],
            v: Values::new(model),
            proj_params: vec![0.0; model.params.len()],
            proj: Values::new(model),
            st: RunState::new(model),
            tactics: model
                .parties
                .iter()
                .map(|p| Seated::builtin(p.tactic))
                .collect(),
            seats: Vec::new(),
            spare_seats: Vec::new(),
            spare_bufs: Vec::new(),
            look: super::frontier::Frontier::default(),
            frontiers: model
                .meetings
                .iter()
                .map(|m| vec![(0, Box::default()); m.units.len()])
                .collect(),
            frontier_slot: (0..model.meetings.len())
                .map(|m| {
                    (0..=m)
                        .find(|&e| model.meetings[e].units == model.meetings[m].units)
                        .unwrap_or(m)
                })
                .collect(),
            lent_slot: None,
            frontier_keys: model
                .meetings
                .iter()
                .map(|m| vec![Vec::new(); m.units.len()])
                .collect(),
            later_discounts: model
                .meetings
                .iter()
                .map(|m| vec![std::cell::Cell::new(super::values::Memo2::EMPTY); m.units.len()])
                .collect(),
            clocks: model
                .parties
                .iter()
                .map(|p| super::meeting::clock_table(p.horizon_rounds))
                .collect(),
            epoch: 0,
            agenda_buf: Vec::new(),
            wants_group_mean: model
                .parties
                .iter()
                .any(|p| p.tactic == crate::scenario::TacticKind::DeGroot),
            group_mean: vec![0.0; n],
            group_mean_on: false,
            event_dirty: (0..model.events.len())
                .map(|e| super::exogenous::dirty_of(model, e))
                .collect(),
            scheduled: super::exogenous::scheduled(model),
            floors: Vec::new(),
            scratch: vec![0.0; n],
            trace: Trace::default(),
        }
    }

    /// The model this world plays.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// Replaces party `p`'s tactic (for every run from the next reset on).
    pub fn set_tactic(&mut self, p: usize, tactic: Box<dyn Tactic>) {
        self.tactics[p] = Seated::Custom(tactic);
        self.wants_group_mean = true;
    }

    /// The value of no deal of party `p` (after the last refresh).
    pub fn disagreement(&self, p: usize) -> f64 {
        self.v.d[p]
    }

    /// Party `p`'s value of the state in force (after the last refresh):
    /// its utility of the settled issues and the status quo elsewhere, less
    /// the sanctions in force on it.
    pub fn in_force_value(&self, p: usize) -> f64 {
        self.v.flow[p]
    }

    /// Party `p`'s value of war option `o` (`Model::war_options`): the
    /// war's lottery less its costs and the threats that answer it, with the
    /// initiator's resolve this run (after the last refresh).
    pub fn war_value(&self, o: usize, p: usize) -> f64 {
        self.v.war[o * self.model.parties.len() + p]
    }

    /// Party `p`'s utility of the full issue vector `x`.
    pub fn utility(&self, p: usize, x: &[f64]) -> f64 {
        self.v.utility(self.model, p, x)
    }

    /// Draws the run's parameters and resets all state for the run `run`:
    /// parameter `k` draws from its own words of the run's stream, the
    /// dynamics from their own sub-streams.
    pub fn reset(&mut self, run: &RunKey) {
        let model = self.model;
        for (k, p) in model.params.iter().enumerate() {
            if !p.dist.is_random() {
                self.values[k] = super::snap_to_grid(p.dist.mean(), p.grid);
            }
        }
        // The random ones, each reading its own words from their first
        // block on (the blocks made eight at a time).
        let (random, starts, values) = (&self.random_params, &self.param_starts, &mut self.values);
        let stream = &mut self.param_stream;
        run.each_block(starts, |j, block| {
            let k = random[j];
            let p = &model.params[k];
            stream.reset(run, starts[j], block);
            values[k] = super::snap_to_grid(p.dist.sample(stream), p.grid);
        });
        self.rng.reset(run);
        self.st.clear();
        self.trace.clear();
        for t in &mut self.tactics {
            t.reset();
        }
        // Estimation errors: a unit normal per pair, scaled by the observer's
        // noise when used. Always drawn, so that noise 0 and noise > 0 share
        // every other draw.
        let np = self.model.parties.len();
        for p in 0..np {
            for q in 0..np {
                let z = super::math::standard_normal(&mut self.rng.errors);
                self.err[p * np + q] = if p == q { 0.0 } else { z };
            }
        }
        // Resolve: a standard logistic shock per war option, drawn once per
        // run (it persists, so repeated decision points do not compound it).
        for o in 0..self.resolve.len() {
            self.resolve[o] = super::math::logistic(&mut self.rng.decisions);
        }
        self.invalidate_frontiers();
        self.refresh(Dirty::ALL);
    }

    /// Recomputes the derived values that `dirty` reaches.
    pub(crate) fn refresh(&mut self, dirty: Dirty) {
        let view = self.st.view();
        let shocks = super::values::Shocks {
            errors: &self.err,
            resolve: &self.resolve,
        };
        self.v
            .refresh(self.model, &self.values, &view, &shocks, dirty);
    }

    /// Marks every cached frontier stale.
    pub(crate) fn invalidate_frontiers(&mut self) {
        self.epoch += 1;
    }

    /// Schedules the run's initial events.
    pub fn schedule_initial(&mut self, sched: &mut Scheduler<Event>) {
        let m = self.model;
        for k in 0..m.meetings.len() {
            let day = self.meeting_day(k);
            sched.schedule(Day(day), PRI_MEETING, Event::Meeting { m: k, instance: 0 });
            self.st.pending_meetings.push((day, k));
        }
        self.schedule_exogenous(sched);
        for (t, threat) in m.threats.iter().enumerate() {
            if let Trigger::Deadline(d) = threat.trigger {
                sched.schedule(Day(f64::from(d)), PRI_THREAT, Event::Deadline { t });
            }
        }
    }

    /// The day scheduled meeting `k` convenes this run (its date, shifted
    /// by its drawn `date_shift`).
    pub(crate) fn meeting_day(&self, k: usize) -> f64 {
        let meeting = &self.model.meetings[k];
        meeting
            .date_shift
            .map_or(meeting.day, |s| meeting.day + self.values[s])
    }

    pub(crate) fn end(&mut self, outcome: Outcome, day: f64) -> Flow {
        if self.st.terminal.is_none() {
            self.st.terminal = Some((outcome, day));
        }
        Flow::Stop
    }

    /// The run's result once the engine has stopped.
    pub fn result(&self, run: u64, events: u64) -> RunResult {
        let horizon = self.model.horizon;
        let st = &self.st;
        let (outcome, day) = match st.terminal {
            Some(t) => t,
            None => {
                if let Some(d) = st.first_sanctions {
                    (Outcome::Sanctions, d)
                } else if st.settled.iter().any(Option::is_some) {
                    (Outcome::PartialAgreement, st.last_settle)
                } else if !st.pending_meetings.is_empty() {
                    (Outcome::Process, horizon)
                } else if st.meetings_held > 0 {
                    (Outcome::Stalemate, st.last_talks)
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
            end_time: if st.terminal.is_some() { day } else { horizon },
            end_day: Day(day).whole_days(),
            meetings: st.meetings_held,
            settled: st.settled.clone(),
            status_quo: self
                .model
                .issues
                .iter()
                .map(|i| self.values[i.status_quo])
                .collect(),
            threats: st.executed.clone(),
            events,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record(
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
}

impl Handler for World<'_> {
    type Event = Event;

    fn handle(&mut self, now: Day, event: Event, sched: &mut Scheduler<Event>) -> Flow {
        let now = now.get();
        self.st.now = now;
        match event {
            Event::Meeting { m, instance } => self.hold_meeting(now, m, instance, sched),
            Event::Exogenous { e, count } => self.apply_exogenous(now, e, count, sched),
            Event::Deadline { t } => {
                if self.st.settled.iter().all(Option::is_some) {
                    return Flow::Continue;
                }
                if self.trigger_threats(now, |k, _| k == t, false, sched) == Flow::Stop {
                    return Flow::Stop;
                }
                self.refresh(Dirty::STATE);
                self.decision_point(now, sched)
            }
            Event::Execute { t } => self.execute(now, t, sched),
        }
    }
}
