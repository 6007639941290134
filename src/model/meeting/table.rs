//! The table of a meeting in progress: who sits where and how each party
//! moves (propose, hear and answer, state a demand, walk out); the protocol
//! (in [`crate::model::protocol`]) decides who moves when.

use rand::Rng;

use super::super::acceptance::{negmas_band, EPS, NEGMAS_EPS};
use super::super::math::copy_values;
use super::super::tactic::{NextDiscount, Seated, Tactic, Turn, When};
use super::super::trace::TraceKind;
use super::super::world::{Event, World};
use crate::engine::Scheduler;
use crate::scenario::{Clock, Protocol};

/// The clock of a move: Faratin's time after `done` of `total` rounds.
pub(crate) fn faratin_clock(done: u32, total: u32) -> f64 {
    if total <= 1 {
        1.0
    } else {
        (f64::from(done) / f64::from(total - 1)).min(1.0)
    }
}

/// Longest table of [`faratin_clock`] values kept per party.
const CLOCK_TABLE: u32 = 4096;

/// `faratin_clock(d, total)` for `d` below `total − 1` (at most
/// [`CLOCK_TABLE`] of them): the clock is 1 from there on.
pub(crate) fn clock_table(total: u32) -> Vec<f64> {
    (0..total.saturating_sub(1).min(CLOCK_TABLE))
        .map(|d| faratin_clock(d, total))
        .collect()
}

/// [`faratin_clock`] read from its table (the same bits).
#[inline]
fn clock_of(table: &[f64], done: u32, total: u32) -> f64 {
    match table.get(done as usize) {
        Some(&t) => t,
        None if done >= total.saturating_sub(1) => 1.0,
        None => faratin_clock(done, total),
    }
}

/// A meeting in progress, for the protocol to play.
pub(crate) struct Table<'w, 'm> {
    pub(super) w: &'w mut World<'m>,
    pub(super) sched: &'w mut Scheduler<Event>,
    pub(super) m: usize,
    pub(super) now: f64,
    pub(super) agenda: Vec<usize>,
}

impl Table<'_, '_> {
    /// Number of seats.
    pub fn units(&self) -> usize {
        self.w.seats.len()
    }

    /// Rounds of the meeting (None: unbounded).
    pub fn rounds(&self) -> Option<u32> {
        self.w.model.meetings[self.m].rounds
    }

    /// Seat index of the first proposer.
    pub fn first(&self) -> usize {
        self.w.model.meetings[self.m].first
    }

    /// The meeting's protocol.
    pub fn protocol(&self) -> Protocol {
        self.w.model.meetings[self.m].protocol
    }

    /// The meeting's clock conventions.
    pub fn clock(&self) -> Clock {
        self.w.model.meetings[self.m].clock
    }

    /// A buffer for an issue vector (kept between meetings: hand it back
    /// with [`Table::recycle`] or in [`End::Agreement`]).
    pub fn buffer(&mut self) -> Vec<f64> {
        self.w.spare_bufs.pop().unwrap_or_default()
    }

    /// Hands a buffer back.
    pub fn recycle(&mut self, v: Vec<f64>) {
        self.w.spare_bufs.push(v);
    }

    /// Starts round `round`; false when the run's work cap is exhausted.
    pub fn begin_round(&mut self, _round: u32) -> bool {
        self.sched.charge(1)
    }

    /// Every seat played a round (the concession clock moves on).
    pub fn end_round(&mut self) {
        for s in 0..self.w.seats.len() {
            let p = self.w.seats[s].party;
            self.w.st.rounds_done[p] += 1;
        }
    }

    fn rounds_left(&self, round: u32) -> Option<u32> {
        self.rounds().map(|r| r.saturating_sub(round))
    }

    /// Whether round `round` is followed by another round of this meeting.
    fn round_follows(&self, round: u32) -> bool {
        self.w.model.meetings[self.m]
            .rounds
            .is_none_or(|r| round + 1 < r)
    }

    /// Whether seat `k` has a move after round `round`: a later round here,
    /// a follow-up of this meeting, or another meeting it attends.
    pub fn has_future(&self, round: u32, k: usize) -> bool {
        self.round_follows(round) || self.w.seats[k].later
    }

    /// Seat `k`'s next move after round `round`: whole rounds within the
    /// meeting, or a later meeting (its power is taken only if a tactic
    /// asks: [`NextDiscount`]).
    fn next_move(&self, k: usize, round: u32) -> NextMove {
        if !self.round_follows(round) {
            return NextMove::Later;
        }
        let meeting = &self.w.model.meetings[self.m];
        let units = self.units();
        let rounds = match meeting.protocol {
            Protocol::Alternating if meeting.clock == Clock::Negsim => {
                // Its next turn to propose.
                let now_proposer = (meeting.first + round as usize) % units;
                let ahead = (k + units - now_proposer) % units;
                if ahead == 0 {
                    units
                } else {
                    ahead
                }
            }
            _ => 1,
        };
        NextMove::Rounds(rounds as u32)
    }

    /// The move's context for seat `k` at round `round` (inlined: the
    /// context is built in place rather than copied out).
    #[inline(always)]
    fn turn<'a>(
        w: &'a mut World<'_>,
        k: usize,
        round: u32,
        info: &TurnInfo,
    ) -> (Turn<'a>, &'a mut Seated) {
        let model = w.model;
        let seat = &w.seats[k];
        let p = seat.party;
        let party = &model.parties[p];
        let values = &w.values;
        let turn = Turn {
            frontier: &seat.frontier,
            floors: &seat.floors,
            their_patience: &seat.their_patience,
            scratch: &mut w.scratch,
            party: p,
            no_deal: info.no_deal,
            patience: w.v.per_round[p],
            clock: info.clock,
            clock_next: info.clock_next,
            rounds_left: info.rounds_left,
            has_future: info.has_future,
            discount: match info.next {
                NextMove::None => NextDiscount::None,
                NextMove::Rounds(rounds) => NextDiscount::Rounds {
                    per_round: w.v.per_round[p],
                    rounds,
                },
                NextMove::Later => NextDiscount::Later {
                    patience: seat.later_patience,
                    wait: seat.later_wait,
                    cell: &seat.later_discount,
                    memo: &w.later_discounts[info.m][k],
                },
            },
            noise: values[party.noise],
            beta: values[party.beta],
            k: values[party.k],
            last_aim: Some(w.st.aim[p]).filter(|a| a.is_finite()),
            received: seat.received,
            received_prev: seat.received_prev,
            own_last: seat.has_last.then_some(seat.own_last_u),
            own_last_offer: seat.has_last.then_some(&seat.last[..]),
            standing: seat.standing,
            standing_offer: seat.standing.map(|_| &seat.standing_x[..]),
            step: party.step.map_or(0.0, |s| values[s]),
            position: &w.v.pos[p * model.issues.len()..(p + 1) * model.issues.len()],
            last_demand: w.st.has_demand[p].then(|| {
                let n = model.issues.len();
                &w.st.demand[p * n..(p + 1) * n]
            }),
            group_mean: w.group_mean_on.then_some(&w.group_mean[..]),
            draws: &mut w.rng.tactics,
        };
        let _ = round;
        (turn, &mut w.tactics[p])
    }

    #[inline(always)]
    fn info(&self, k: usize, round: u32) -> TurnInfo {
        let w = &self.w;
        let model = w.model;
        let meeting = &model.meetings[self.m];
        let p = w.seats[k].party;
        let party = &model.parties[p];
        let (clock, clock_next, no_deal) = match meeting.clock {
            Clock::Negsim => {
                let done = w.st.rounds_done[p];
                (
                    clock_of(&w.clocks[p], done, party.horizon_rounds),
                    clock_of(&w.clocks[p], done + 1, party.horizon_rounds),
                    w.v.d[p],
                )
            }
            Clock::Negmas => {
                let steps = f64::from(meeting.rounds.unwrap_or(1));
                let t = (f64::from(round) + 1.0) / (steps + 1.0);
                let t2 = (f64::from(round) + 2.0) / (steps + 1.0);
                // NegMAS scales between max(min u, reserved) and max u.
                let floor = w.v.d[p].max(w.seats[k].frontier.u_worst());
                (t, t2.min(1.0), floor)
            }
        };
        let has_future = self.has_future(round, k);
        let next = if has_future {
            self.next_move(k, round)
        } else {
            NextMove::None
        };
        TurnInfo {
            no_deal,
            clock,
            clock_next,
            rounds_left: self.rounds_left(round),
            has_future,
            next,
            m: self.m,
        }
    }

    /// Seat `k` proposes at round `round`: its aim, the efficient offer at
    /// it (or the standing offer if that is worth more to it), into `out`.
    pub fn propose(&mut self, k: usize, round: u32, out: &mut Vec<f64>) {
        let info = self.info(k, round);
        let negmas = self.w.model.meetings[self.m].clock == Clock::Negmas;
        let n = self.w.model.issues.len();
        out.resize(n, 0.0);
        copy_values(out, self.w.seats[k].frontier.start());
        let (mut turn, tactic) = Self::turn(self.w, k, round, &info);
        let explicit = tactic.offer(&mut turn, out);
        let demanded = !explicit && tactic.demand(&mut turn, out);
        let mut aim = f64::NAN;
        // A demand's own utility as demanded (before any rounding to a grid).
        let mut demand_u = f64::NAN;
        if !explicit {
            aim = if demanded {
                demand_u = turn.frontier.own_utility(out);
                demand_u
            } else {
                tactic.aim(&mut turn, When::Now)
            };
            if negmas {
                aim = (aim - NEGMAS_EPS).max(info.no_deal);
            }
        }
        let w = &mut *self.w;
        let seat = &mut w.seats[k];
        let own_u;
        if explicit {
            // Put as given: on the agenda within [0, 1] and on the grid, the
            // values in force elsewhere (the frontier's ideal holds them).
            let start = seat.frontier.start();
            for (i, x) in out.iter_mut().enumerate() {
                *x = if self.agenda.contains(&i) {
                    w.model.issues[i].snap(x.clamp(0.0, 1.0))
                } else {
                    start[i]
                };
            }
            aim = seat.frontier.own_utility(out);
            own_u = aim;
        } else {
            let mut rounded = true;
            // The offer's own utility, when rounding it to the grid found it.
            let mut known = None;
            if demanded {
                // On the grid of discrete issues, like any offer.
                rounded = false;
                for &i in &self.agenda {
                    let x = w.model.issues[i].snap(out[i]);
                    rounded |= x.to_bits() != out[i].to_bits();
                    out[i] = x;
                }
            } else {
                known = seat.frontier.offer_known(aim, out);
            }
            // Never below an acceptable offer already on the table: take that
            // instead (its own utility computed once either way; a demand
            // the grid left as it was keeps the utility found above).
            let mut u = if rounded {
                known.unwrap_or_else(|| seat.frontier.own_utility(out))
            } else {
                demand_u
            };
            if let Some((_, to_me)) = seat.standing {
                let p = seat.party;
                if to_me > u
                    && to_me >= w.v.d[p] - EPS
                    && w.v.within_lines(p, &seat.standing_x, &self.agenda)
                {
                    copy_values(out, &seat.standing_x);
                    u = seat.frontier.own_utility(out);
                }
            }
            own_u = u;
        }
        w.tactics[seat.party].proposed(aim);
        copy_values(&mut seat.last, out);
        seat.has_last = true;
        seat.own_last_u = own_u;
        let p = seat.party;
        w.st.aim[p] = aim;
        if w.wants_group_mean {
            copy_values(&mut w.st.demand[p * n..(p + 1) * n], out);
            w.st.has_demand[p] = true;
        }
        if w.trace.enabled {
            let u = w.v.utility(w.model, p, out);
            w.trace.push(
                self.now,
                TraceKind::Offer,
                Some(self.m),
                Some(round),
                Some(p),
                None,
                Some(u),
                Some(out),
            );
        }
    }

    /// Seat `k` hears `x` (from seat `from`, or from the table when None).
    fn receive(&mut self, k: usize, x: &[f64], from: Option<usize>) -> f64 {
        let w = &mut *self.w;
        let p = w.seats[k].party;
        let u = w.v.utility(w.model, p, x);
        debug_assert!(from.is_none_or(|f| {
            let j = if f > k { f - 1 } else { f };
            f == k || w.seats[k].others[j] == w.seats[f].party
        }));
        let seat = &mut w.seats[k];
        seat.received_prev = seat.received;
        seat.received = Some(u);
        if u > seat.best_recv_u {
            seat.best_recv_u = u;
            copy_values(&mut seat.best_recv, x);
            seat.has_best = true;
        }
        // Counterparts sit in seat order without seat `k` itself.
        let j = from.map_or(0, |f| if f > k { f - 1 } else { f });
        seat.standing = Some((j, u));
        seat.standing_x.resize(x.len(), 0.0);
        copy_values(&mut seat.standing_x, x);
        w.tactics[p].observe(u);
        u
    }

    /// Whether `x` respects seat `k`'s red lines and gives it its value of no deal.
    fn acceptable_to(&self, k: usize, x: &[f64]) -> bool {
        let w = &self.w;
        let u = w.v.utility(w.model, w.seats[k].party, x);
        self.acceptable_at(k, x, u)
    }

    /// The same, with `u` its utility of `x` already known.
    #[inline]
    fn acceptable_at(&self, k: usize, x: &[f64], u: f64) -> bool {
        let w = &self.w;
        let p = w.seats[k].party;
        u >= w.v.d[p] - EPS && w.v.within_lines(p, x, &self.agenda)
    }

    /// Seat `k` answers `x`: red lines and value of no deal first, then its tactic.
    fn answer(&mut self, k: usize, x: &[f64], round: u32, u: f64) -> bool {
        if !self.acceptable_at(k, x, u) {
            return false;
        }
        let negmas = self.w.model.meetings[self.m].clock == Clock::Negmas;
        if !negmas && !self.w.tactics[self.w.seats[k].party].accepts_offers() {
            // It would say no: its context need not be built.
            return false;
        }
        let info = self.info(k, round);
        let (mut turn, tactic) = Self::turn(self.w, k, round, &info);
        if negmas {
            let aim = tactic.aim(&mut turn, When::Now);
            negmas_band(u, aim, info.no_deal)
        } else {
            tactic.accepts(&mut turn, u)
        }
    }

    /// Puts `x` (made by seat `from`, if any) to every other seat; records
    /// each reply. True when all accept.
    pub fn poll(&mut self, x: &[f64], from: Option<usize>, round: u32) -> bool {
        let mut all = true;
        for k in 0..self.units() {
            if Some(k) == from {
                continue;
            }
            all &= self.reply(k, x, from, round, None);
        }
        // An offer binds its proposer only if it is acceptable to it too
        // (a party whose best is worth less than no deal cannot agree);
        // asked last, as it matters only when every seat said yes.
        all && from.is_none_or(|k| self.acceptable_to(k, x))
    }

    /// Under NegMAS's rules: seat `k` answers the standing offer `x` of seat
    /// `from`; true when it accepts (and the offer binds its proposer).
    pub fn respond_to(&mut self, k: usize, from: usize, x: &[f64], round: u32) -> bool {
        self.reply(k, x, Some(from), round, Some(from))
    }

    /// Seat `k` hears `x` (from seat `from`, or from the table) and answers
    /// it; the reply is traced. With `binds` a seat, a yes needs `x` to
    /// bind that seat too (acceptable to it), which does not change what
    /// seat `k` hears. Whether it binds is a pure function of `x`, asked
    /// only after a yes.
    fn reply(
        &mut self,
        k: usize,
        x: &[f64],
        from: Option<usize>,
        round: u32,
        binds: Option<usize>,
    ) -> bool {
        let u = self.receive(k, x, from);
        let yes = self.answer(k, x, round, u) && binds.is_none_or(|b| self.acceptable_to(b, x));
        let w = &mut *self.w;
        if w.trace.enabled {
            let kind = if yes {
                TraceKind::Accept
            } else {
                TraceKind::Reject
            };
            let p = w.seats[k].party;
            w.record(
                self.now,
                kind,
                Some(self.m),
                Some(round),
                Some(p),
                None,
                Some(u),
            );
        }
        yes
    }

    /// Every seat states its demand (simultaneous and mediated protocols).
    pub fn demands(&mut self, round: u32, buf: &mut Vec<f64>) {
        if self.w.wants_group_mean {
            self.fill_group_mean();
        }
        for k in 0..self.units() {
            self.propose(k, round, buf);
        }
        self.w.group_mean_on = false;
    }

    /// The mean of the demands the seats hold (each seat's last demand this
    /// run, else its stated positions), for the tactics that read it.
    fn fill_group_mean(&mut self) {
        let w = &mut *self.w;
        let n = w.model.issues.len();
        let units = w.seats.len() as f64;
        for i in 0..n {
            let mut sum = 0.0;
            for s in &w.seats {
                let p = s.party;
                sum += if w.st.has_demand[p] {
                    w.st.demand[p * n + i]
                } else {
                    w.v.pos[p * n + i]
                };
            }
            w.group_mean[i] = sum / units;
        }
        w.group_mean_on = true;
    }

    /// Whether the meeting's consensus rule settles it: on every agenda
    /// issue the seats' demands lie within less than its tolerance.
    pub fn consensus(&self) -> bool {
        let Some(tol) = self.w.model.meetings[self.m].consensus else {
            return false;
        };
        self.agenda.iter().all(|&i| {
            let (lo, hi) = self
                .w
                .seats
                .iter()
                .map(|s| s.last[i])
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                    (lo.min(x), hi.max(x))
                });
            hi - lo < tol
        })
    }

    /// Each seat whose party has a `walkout_chance` may leave as the
    /// meeting opens (a draw per seat, in seating order).
    pub fn walkout_by_chance(&mut self) -> Option<usize> {
        let w = &mut *self.w;
        for s in &w.seats {
            if let Some(slot) = w.model.parties[s.party].walkout_chance {
                if w.rng.walkouts.random::<f64>() < w.values[slot] {
                    return Some(s.party);
                }
            }
        }
        None
    }

    /// The single text from the demands: their mean, weighted by capability
    /// and salience under a mediator (recorded as the mediator's offer).
    pub fn text(&mut self, round: u32, out: &mut Vec<f64>) {
        let w = &mut *self.w;
        let meeting = &w.model.meetings[self.m];
        let n = w.model.issues.len();
        out.clear();
        out.extend_from_slice(&w.v.base);
        for &i in &self.agenda {
            let (mut num, mut den) = (0.0, 0.0);
            for s in &w.seats {
                let a = if meeting.protocol == Protocol::Mediated {
                    w.v.cap_side[s.party] * w.v.w[s.party * n + i]
                } else {
                    1.0
                };
                num += a * s.last[i];
                den += a;
            }
            let x = if den > 0.0 { num / den } else { w.v.base[i] };
            out[i] = w.model.issues[i].snap(x);
        }
        // The text on the table: the mediator's, or the table's own (no party).
        w.trace.push(
            self.now,
            TraceKind::Offer,
            Some(self.m),
            Some(round),
            meeting.mediator,
            None,
            None,
            Some(out),
        );
    }

    /// After a round without agreement, each seat may walk out: a logit
    /// choice on what leaving is worth (its value of no deal, less the
    /// threats its walkout sets off and its `walkout` threshold) against what
    /// staying promises (the point half-way between its demand and the best
    /// offer it has heard).
    pub fn walkout(&mut self, _round: u32) -> Option<usize> {
        let w = &mut *self.w;
        let model = w.model;
        for k in 0..w.seats.len() {
            let seat = &w.seats[k];
            match w.tactics[seat.party].walks_out() {
                Some(true) => return Some(seat.party),
                Some(false) => continue,
                None => {}
            }
            if !seat.has_best {
                continue;
            }
            let p = seat.party;
            let mine = if seat.has_last {
                &seat.last[..]
            } else {
                seat.frontier.start()
            };
            let stay = w.v.utility_of_midpoint(model, p, mine, &seat.best_recv);
            let leave = w.v.d[p] - w.v.walk_cost[p] - w.values[model.parties[p].walkout];
            let tau = w.values[model.parties[p].temperature];
            let draw = w.rng.walkouts.random::<f64>();
            if super::super::war::picks_second(stay, leave, tau, draw) {
                return Some(p);
            }
        }
        None
    }
}

/// What a move's context is computed from.
struct TurnInfo {
    no_deal: f64,
    clock: f64,
    clock_next: f64,
    rounds_left: Option<u32>,
    has_future: bool,
    next: NextMove,
    /// The meeting.
    m: usize,
}

/// When a seat moves next, for the discount over the wait.
#[derive(Clone, Copy)]
enum NextMove {
    /// Never again.
    None,
    /// After this many rounds of this meeting.
    Rounds(u32),
    /// At a follow-up or a later meeting.
    Later,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table gives the clock's bits, below, at and past its end, and
    /// past its length cap.
    #[test]
    fn clock_table_gives_the_clock() {
        for total in (0..40).chain([CLOCK_TABLE, CLOCK_TABLE + 1, CLOCK_TABLE + 7, 10_000]) {
            let table = clock_table(total);
            for done in (0..total + 3).filter(|d| *d < 60 || d % 97 == 0 || *d + 3 >= total) {
                assert_eq!(
                    clock_of(&table, done, total).to_bits(),
                    faratin_clock(done, total).to_bits(),
                    "done {done} of {total}"
                );
            }
        }
        assert_eq!(faratin_clock(1, 3), 0.5);
        assert_eq!(faratin_clock(5, 3), 1.0);
        assert_eq!(faratin_clock(0, 1), 1.0);
    }
}
