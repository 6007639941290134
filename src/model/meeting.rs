//! Meetings: seating the parties, their moves (propose, respond, walk out)
//! under a protocol, and how a meeting ends (`docs/model.md`, section 5).
//!
//! [`Table`] is what a protocol (in [`super::protocol`]) plays on: it knows
//! who sits where and how each party moves; the protocol decides who moves
//! when. After the rounds: agreement settles the agenda; a walkout fires its
//! threats; otherwise issues whose demands converged settle as a partial
//! agreement, a follow-up is scheduled if one is left (an agreed process),
//! and the meeting ends. A meeting that ends without agreement is a decision
//! point.

mod seat;
mod table;

pub(crate) use seat::Seat;
pub(crate) use table::{clock_table, Table};

use super::trace::TraceKind;
use super::values::Dirty;
use super::world::{Event, World, PRI_MEETING};
use super::Outcome;
use crate::engine::{Flow, Scheduler};
use crate::time::Day;

/// How a meeting's rounds ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum End {
    /// Everyone accepted this settlement.
    Agreement(Vec<f64>),
    /// This party left.
    Walkout(usize),
    /// The rounds ran out.
    NoDeal,
    /// The run's work cap was reached inside the meeting.
    Runaway,
}

impl World<'_> {
    /// The meeting's agenda issues still unsettled, into `out`.
    fn fill_agenda(&self, m: usize, out: &mut Vec<usize>) {
        out.clear();
        out.extend(
            self.model.meetings[m]
                .agenda
                .iter()
                .copied()
                .filter(|&i| self.st.settled[i].is_none()),
        );
    }

    /// A meeting convenes: its rounds under its protocol, then how it ends.
    pub(crate) fn hold_meeting(
        &mut self,
        now: f64,
        m: usize,
        instance: u32,
        sched: &mut Scheduler<Event>,
    ) -> Flow {
        if let Some(ix) = self
            .st
            .pending_meetings
            .iter()
            .position(|&(d, k)| k == m && d == now)
        {
            self.st.pending_meetings.swap_remove(ix);
        }
        let mut agenda = std::mem::take(&mut self.agenda_buf);
        self.fill_agenda(m, &mut agenda);
        if agenda.is_empty() {
            self.agenda_buf = agenda;
            return Flow::Continue;
        }
        self.st.meetings_held += 1;
        self.st.last_talks = now;
        self.record(
            now,
            TraceKind::MeetingStart,
            Some(m),
            None,
            None,
            Some(instance as usize),
            None,
        );
        self.open_seats(m, &agenda, now);
        if self.trace.enabled {
            for k in 0..self.seats.len() {
                let p = self.seats[k].party;
                self.record(
                    now,
                    TraceKind::Seat,
                    Some(m),
                    None,
                    Some(p),
                    None,
                    Some(self.v.d[p]),
                );
            }
        }
        let (end, agenda) = {
            let mut table = Table {
                w: self,
                sched,
                m,
                now,
                agenda,
            };
            let end = match table.walkout_by_chance() {
                Some(p) => End::Walkout(p),
                None => super::protocol::play(&mut table),
            };
            (end, table.agenda)
        };
        self.close_seats(m);
        let flow = self.close_meeting(now, m, instance, &agenda, end, sched);
        self.agenda_buf = agenda;
        flow
    }

    fn close_meeting(
        &mut self,
        now: f64,
        m: usize,
        instance: u32,
        agenda: &[usize],
        end: End,
        sched: &mut Scheduler<Event>,
    ) -> Flow {
        match end {
            End::Runaway => Flow::Stop,
            End::Agreement(x) => {
                for &i in agenda {
                    self.st.settled[i] = Some(self.model.issues[i].snap(x[i]));
                }
                self.invalidate_frontiers();
                self.st.last_settle = now;
                let u = self.v.utility(self.model, self.seats[0].party, &x);
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
                self.refresh(Dirty::SETTLED);
                self.spare_bufs.push(x);
                if self.st.settled.iter().all(Option::is_some) {
                    return self.end(Outcome::Agreement, now);
                }
                // The rest is still open: the state changed.
                self.decision_point(now, sched)
            }
            End::Walkout(p) => {
                self.record(
                    now,
                    TraceKind::Walkout,
                    Some(m),
                    None,
                    Some(p),
                    None,
                    Some(self.v.d[p]),
                );
                let flow = self.trigger_threats(
                    now,
                    |_, tr| {
                        tr == super::Trigger::Walkout(None)
                            || tr == super::Trigger::Walkout(Some(p))
                    },
                    false,
                    sched,
                );
                if flow == Flow::Stop {
                    return flow;
                }
                self.refresh(Dirty::STATE);
                self.decision_point(now, sched)
            }
            End::NoDeal => {
                if self.partial_agreement(now, m, agenda) {
                    self.invalidate_frontiers();
                    self.refresh(Dirty::SETTLED);
                }
                let follow = self.model.meetings[m]
                    .follow_up
                    .filter(|&(_, max)| self.st.follow_count[m] < max);
                let open = self.model.meetings[m]
                    .agenda
                    .iter()
                    .any(|&i| self.st.settled[i].is_none());
                match follow {
                    Some((slot, _)) if open => {
                        self.st.follow_count[m] += 1;
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
                        self.st.pending_meetings.push((at, m));
                        self.record(now, TraceKind::Process, Some(m), None, None, None, Some(at));
                    }
                    _ => self.record(now, TraceKind::Deadlock, Some(m), None, None, None, None),
                }
                if self.st.settled.iter().all(Option::is_some) {
                    return self.end(Outcome::Agreement, now);
                }
                self.decision_point(now, sched)
            }
        }
    }

    /// Settles, at a meeting's end, each agenda issue on which the last
    /// demands lie within `convergence`, at their mean — if that respects
    /// every red line and leaves every participant at least as well off on
    /// the issue as the value in force, and nobody insists on a package.
    fn partial_agreement(&mut self, now: f64, m: usize, agenda: &[usize]) -> bool {
        let model = self.model;
        let n = model.issues.len();
        if self.seats.iter().any(|s| model.parties[s.party].package) {
            return false;
        }
        let units = self.seats.len() as f64;
        let mut any = false;
        for &i in agenda {
            let (mut lo, mut hi, mut sum) = (f64::INFINITY, f64::NEG_INFINITY, 0.0);
            for s in &self.seats {
                let v = if s.has_last {
                    s.last[i]
                } else {
                    self.v.pos[s.party * n + i]
                };
                lo = lo.min(v);
                hi = hi.max(v);
                sum += v;
            }
            let v = model.issues[i].snap(sum / units);
            let within = self.seats.iter().all(|s| {
                let k = s.party * n + i;
                v >= self.v.lo[k] - 1e-12 && v <= self.v.hi[k] + 1e-12
            });
            let improves = self.seats.iter().all(|s| {
                let k = s.party * n + i;
                if self.v.w[k] == 0.0 {
                    return true;
                }
                let shape = model.parties[s.party].shape;
                shape.value(v, self.v.pos[k]) >= shape.value(self.v.base[i], self.v.pos[k]) - 1e-12
            });
            if hi - lo <= model.convergence + 1e-12 && within && improves {
                self.st.settled[i] = Some(v);
                any = true;
            }
        }
        if any {
            self.st.last_settle = now;
            let x: Vec<f64> = self
                .st
                .settled
                .iter()
                .zip(&self.v.base)
                .map(|(s, b)| s.unwrap_or(*b))
                .collect();
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
        any
    }
}
