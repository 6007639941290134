//! Threats: what sets them off, carrying them out, and the chains of
//! answers they start (`docs/model.md`, section 6).
//!
//! A triggered threat comes due after its delay and is carried out with
//! probability equal to its credibility (a draw from the threats' own
//! sub-stream); otherwise it is dropped, and so are the threats that would
//! have answered it. Carried out, `sanctions` cost both sides from then on
//! and the run goes on (a decision point), `breakdown` and `conflict` end it.

use rand::Rng;

use super::trace::TraceKind;
use super::values::Dirty;
use super::world::{Event, World, PRI_THREAT};
use super::{Outcome, Trigger};
use crate::engine::{Flow, Scheduler};
use crate::scenario::ThreatKind;

/// Where a threat stands in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ThreatState {
    /// Its trigger has not fired.
    Pending,
    /// Triggered, waiting for its delay.
    Triggered,
    /// Carried out.
    Executed,
    /// Triggered but not carried out, or answering one that was not.
    Declined,
}

impl World<'_> {
    /// Fires every pending threat whose trigger `matches` (index, trigger):
    /// each is carried out after its delay, or at once when `immediate`
    /// (the answers to a war, recorded as the run ends).
    pub(crate) fn trigger_threats(
        &mut self,
        now: f64,
        matches: impl Fn(usize, Trigger) -> bool,
        immediate: bool,
        sched: &mut Scheduler<Event>,
    ) -> Flow {
        for t in 0..self.model.threats.len() {
            if self.st.threats[t] != ThreatState::Pending
                || !matches(t, self.model.threats[t].trigger)
            {
                continue;
            }
            self.st.threats[t] = ThreatState::Triggered;
            let issuer = self.model.threats[t].issuer;
            self.record(
                now,
                TraceKind::ThreatTriggered,
                None,
                None,
                Some(issuer),
                Some(t),
                None,
            );
            let delay = self.model.threats[t].delay.map_or(0.0, |s| self.values[s]);
            self.st.due[t] = now + delay;
            if immediate {
                if self.carry_out(now, t, sched, false) == Flow::Stop {
                    return Flow::Stop;
                }
            } else {
                sched.schedule_in(delay, PRI_THREAT, Event::Execute { t });
            }
        }
        Flow::Continue
    }

    /// Threats answering `t` (directly or down a chain) can no longer fire
    /// once `t` is not carried out: they stop weighing on anyone's values.
    fn drop_descendants(&mut self, t: usize) {
        for c in 0..self.model.threats.len() {
            if self.model.threats[c].trigger == Trigger::Threat(t)
                && self.st.threats[c] == ThreatState::Pending
            {
                self.st.threats[c] = ThreatState::Declined;
                self.drop_descendants(c);
            }
        }
    }

    /// A triggered threat comes due.
    pub(crate) fn execute(&mut self, now: f64, t: usize, sched: &mut Scheduler<Event>) -> Flow {
        self.carry_out(now, t, sched, true)
    }

    /// Carries out (or declines) threat `t`; `decide`: a decision point follows.
    fn carry_out(
        &mut self,
        now: f64,
        t: usize,
        sched: &mut Scheduler<Event>,
        decide: bool,
    ) -> Flow {
        if self.st.threats[t] != ThreatState::Triggered {
            return Flow::Continue;
        }
        let threat = &self.model.threats[t];
        let cred = self.values[threat.credibility];
        if self.rng.threats.random::<f64>() >= cred {
            self.st.threats[t] = ThreatState::Declined;
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
            self.refresh(Dirty::STATE);
            return Flow::Continue;
        }
        self.st.threats[t] = ThreatState::Executed;
        self.st.executed.push(t);
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
                self.st.first_sanctions.get_or_insert(now);
                let (target, issuer) = (threat.target, threat.issuer);
                self.st.sanctions[target] += threat.cost_to_target.map_or(0.0, |c| self.values[c]);
                self.st.sanctions[issuer] += threat.cost_to_issuer.map_or(0.0, |c| self.values[c]);
            }
        }
        if self.trigger_threats(now, |_, tr| tr == Trigger::Threat(t), !decide, sched) == Flow::Stop
        {
            return Flow::Stop;
        }
        if !decide {
            return Flow::Continue;
        }
        self.refresh(Dirty::STATE);
        self.decision_point(now, sched)
    }
}
