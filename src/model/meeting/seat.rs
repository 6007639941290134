//! A party's seat at a meeting: what it knows there (its frontier of
//! efficient offers, its counterparts' floors and patience) and what it has
//! heard and said; seats are opened when a meeting convenes and their
//! frontiers cached between meetings and runs.

use std::cell::Cell;

use super::super::frontier::Frontier;
use super::super::tactic::Tactic;
use super::super::world::World;

/// One party at one meeting.
#[derive(Debug, Clone, Default)]
pub(crate) struct Seat {
    pub party: usize,
    /// Boxed, so that moving it in and out of the cache moves a pointer.
    pub frontier: Box<Frontier>,
    /// The counterparts' party indices, in seating order.
    pub others: Vec<usize>,
    /// Their values of no deal as this party estimates them.
    pub floors: Vec<f64>,
    /// Their discount factors per round.
    pub their_patience: Vec<f64>,
    /// Its latest offer or demand (full issue vector).
    pub last: Vec<f64>,
    pub has_last: bool,
    pub own_last_u: f64,
    pub received: Option<f64>,
    pub received_prev: Option<f64>,
    pub best_recv: Vec<f64>,
    pub best_recv_u: f64,
    pub has_best: bool,
    /// The offer on the table from a counterpart: (counterpart, to me); its
    /// utility to them is worked out when a tactic asks (`Turn::standing`).
    pub standing: Option<(usize, f64)>,
    pub standing_x: Vec<f64>,
    /// Whether it has a move after this meeting's rounds (a follow-up of
    /// it, or a later meeting it attends): fixed while the meeting sits.
    pub later: bool,
    /// The patience and the wait until that move (when `later`), and the
    /// discount over it (`δ^wait`), computed when first needed (NaN until
    /// then: most seats never reach their meeting's last round).
    pub later_patience: f64,
    pub later_wait: f64,
    pub later_discount: Cell<f64>,
}

impl World<'_> {
    /// One seat per negotiating unit, each with its frontier.
    pub(super) fn open_seats(&mut self, m: usize, agenda: &[usize], now: f64) {
        let model = self.model;
        let meeting = &model.meetings[m];
        let n = model.issues.len();
        let np = model.parties.len();
        // Seats are kept between meetings (their buffers with them).
        while self.seats.len() > meeting.units.len() {
            let seat = self.seats.pop().expect("non-empty");
            self.spare_seats.push(seat);
        }
        while self.seats.len() < meeting.units.len() {
            let seat = self.spare_seats.pop().unwrap_or_default();
            self.seats.push(seat);
        }
        let follow_up = meeting
            .follow_up
            .filter(|&(_, max)| self.st.follow_count[m] < max);
        for (k, &p) in meeting.units.iter().enumerate() {
            // Its next move after these rounds: a follow-up (at its mean
            // delay) or the nearest later meeting it attends.
            let next_meeting = self
                .st
                .pending_meetings
                .iter()
                .filter(|&&(_, other)| model.meetings[other].units.contains(&p))
                .map(|&(t, _)| t - now)
                .fold(None, |a: Option<f64>, t| Some(a.map_or(t, |a| a.min(t))));
            let later = follow_up.is_some() || next_meeting.is_some();
            let wait = match follow_up {
                Some((slot, _)) => model.params[slot].dist.mean() + model.round_days,
                None => next_meeting.unwrap_or(f64::INFINITY).max(0.0) + model.round_days,
            };
            let later_discount = if later { f64::NAN } else { 1.0 };
            let complete = self.tactics[p].uses_frontier();
            let slot = self.frontier_slot[m];
            self.ensure_frontier(m, k, agenda, complete);
            let seat = &mut self.seats[k];
            std::mem::swap(&mut seat.frontier, &mut self.frontiers[slot][k].1);
            seat.party = p;
            seat.others.clear();
            seat.others
                .extend(meeting.units.iter().copied().filter(|&q| q != p));
            seat.floors.clear();
            seat.floors
                .extend(seat.others.iter().map(|&q| self.v.d_hat[p * np + q]));
            seat.their_patience.clear();
            seat.their_patience
                .extend(seat.others.iter().map(|&q| self.v.per_round[q]));
            seat.last.resize(n, 0.0);
            seat.best_recv.resize(n, 0.0);
            seat.has_last = false;
            seat.own_last_u = f64::NEG_INFINITY;
            seat.received = None;
            seat.received_prev = None;
            seat.has_best = false;
            seat.best_recv_u = f64::NEG_INFINITY;
            seat.standing = None;
            seat.later = later;
            seat.later_patience = self.values[model.parties[p].patience];
            seat.later_wait = wait;
            seat.later_discount.set(later_discount);
        }
        self.lent_slot = Some(self.frontier_slot[m]);
    }

    /// Makes the cached frontier of unit `k` at meeting `m` current: it is
    /// rebuilt only when preferences, settlements or parameters changed
    /// since, and then only if what it is built from changed bits (often it
    /// does not: a party whose preferences are not random faces the same
    /// counterparts run after run).
    /// With `complete` false, a frontier built since is enough even if
    /// only its ideal was built ([`Frontier::rebuild_ideal`]).
    pub(crate) fn ensure_frontier(&mut self, m: usize, k: usize, agenda: &[usize], complete: bool) {
        let model = self.model;
        let meeting = &model.meetings[m];
        let m = self.frontier_slot[m];
        debug_assert_ne!(self.lent_slot, Some(m), "a lent frontier asked for");
        let cached = &mut self.frontiers[m][k];
        if cached.0 == self.epoch {
            if complete {
                cached.1.complete();
            }
            return;
        }
        let p = meeting.units[k];
        // What the frontier is built from: the agenda, and the generations
        // of the values in force, the proposer's preferences and red lines
        // and the counterparts' preferences (shapes and grids are fixed).
        // Equal generations mean bit-identical inputs (`Values::generations`).
        let mut key = std::mem::take(&mut self.frontier_keys[m][k]);
        let (fresh, lines_only) = {
            let v = &self.v;
            let (base, pw, lines) = v.generations(p);
            let stamp = key.len();
            key.extend(agenda.iter().map(|&i| i as u64));
            key.extend([base, pw, lines]);
            key.extend(
                meeting
                    .units
                    .iter()
                    .filter(|&&q| q != p)
                    .map(|&q| v.pw_generation(q)),
            );
            let (was, now) = key.split_at(stamp);
            let same = was == now;
            // Only the proposer's red lines changed (its generation sits
            // after the agenda and the two other generations).
            let lines = agenda.len() + 2;
            let lines_only = !same
                && was.len() == now.len()
                && (0..was.len()).all(|j| j == lines || was[j] == now[j]);
            key.drain(..stamp);
            (!same, lines_only)
        };
        self.frontier_keys[m][k] = key;
        if !fresh {
            let cached = &mut self.frontiers[m][k];
            if complete {
                cached.1.complete();
            }
            cached.0 = self.epoch;
            return;
        }
        if lines_only {
            let cached = &mut self.frontiers[m][k];
            cached.1.relimit(&self.v.prefs(model, p));
            if complete {
                cached.1.complete();
            }
            cached.0 = self.epoch;
            return;
        }
        let others = meeting
            .units
            .iter()
            .filter(|&&q| q != p)
            .map(|&q| (q, self.v.prefs(model, q)));
        let cached = &mut self.frontiers[m][k];
        let build = if complete {
            Frontier::rebuild
        } else {
            Frontier::rebuild_ideal
        };
        build(
            &mut cached.1,
            p,
            &self.v.prefs(model, p),
            others,
            agenda,
            &self.v.base,
            &model.grids,
        );
        cached.0 = self.epoch;
    }

    /// Returns the seats' frontiers to the cache.
    pub(super) fn close_seats(&mut self, m: usize) {
        let slot = self.frontier_slot[m];
        for k in 0..self.seats.len() {
            std::mem::swap(&mut self.seats[k].frontier, &mut self.frontiers[slot][k].1);
        }
        self.lent_slot = None;
    }
}
