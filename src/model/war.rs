//! War as a choice: the lottery a war is, and the logit choice a party makes
//! between fighting and going on (`docs/model.md`, section 7).
//!
//! **The lottery** (Fearon 1995): a conflict has two sides, a bloc fighting
//! with all its members; allies join independently with their probability,
//! bringing their contribution times their capability. Side `A` wins with
//! probability `C_A / (C_A + C_B)`, averaged over who joins. A win moves each
//! issue at stake from the value in force `b_i` toward the winner's position
//! `a_i` (capability-weighted over the side's members who state one) by the
//! stake's share `f_i`; issues not at stake stay as they are. For any party
//! `r`, belligerent or not:
//!
//! ```text
//! W_r = P̄_A U_r(x^A) + (1 − P̄_A) U_r(x^B) − k_r [r fights] − π_r k_r [r is an ally]
//!       − expected cost of the threats that answer this war
//! ```
//!
//! where an ally's cost is scaled by the share of its capability it brings
//! (`min(1, contribution)`): arms and aid cost less than fighting.
//!
//! ```text
//! ```
//!
//! **The choice**: at a decision point each party that may start a war
//! compares its value of each war with its value of going on (see
//! [`continuation`]) and takes the best, ties going to peace. Each war's
//! value carries the party's *resolve* this run, a shock `τ η` with `η`
//! standard logistic, drawn once per run, and `τ` its temperature. To an
//! analyst who knows everything but the shock, a single decision is then the
//! logit choice `P(war) = 1 / (1 + exp(−(W − C)/τ))` (McFadden 1974's random
//! utility; McKelvey & Palfrey 1995's quantal response), and `τ = 0` is a
//! pure best response. The shock is part of the party's true war value: the
//! others see it, like the rest of that value, through their noise, so with
//! no noise information stays complete. Because it persists, a party that
//! declines war at one decision point does not draw a fresh chance at the
//! next unless the situation changed. Outcome shares move continuously with
//! every parameter.

use super::trace::TraceKind;
use super::values::Values;
use super::world::{Event, World};
use super::{Model, Outcome, Trigger};
use crate::engine::{Flow, Scheduler};

/// Buffers for the lottery.
#[derive(Debug, Clone, Default)]
pub(crate) struct LotteryScratch {
    xa: Vec<f64>,
    xb: Vec<f64>,
}

/// The side (0 or 1) party `r` fights on in conflict `c`, if it is a belligerent.
fn side_of(model: &Model, c: usize, r: usize) -> Option<usize> {
    let conflict = &model.conflicts[c];
    conflict.sides.iter().position(|s| s.contains(&r))
}

/// `utils[r]`: party `r`'s value of the war of conflict `c` (before the
/// threats that answer it), for every party.
#[inline(never)]
pub(crate) fn lottery(
    model: &Model,
    params: &[f64],
    v: &Values,
    c: usize,
    scratch: &mut LotteryScratch,
    utils: &mut Vec<f64>,
) {
    let conflict = &model.conflicts[c];
    let np = model.parties.len();
    let n = model.issues.len();
    let core = |s: usize| -> f64 { conflict.sides[s].iter().map(|&m| v.cap[m]).sum() };
    let (ca, cb) = (core(0), core(1));
    // Average the win probability over every set of allies that may join.
    let na = conflict.allies.len();
    let mut p_win = 0.0;
    for mask in 0..(1u32 << na) {
        let (mut a, mut b, mut pr) = (ca, cb, 1.0);
        for (k, ally) in conflict.allies.iter().enumerate() {
            let pi = params[ally.probability];
            if mask & (1 << k) != 0 {
                pr *= pi;
                let add = params[ally.contribution] * v.cap[ally.party];
                if ally.side == 0 {
                    a += add;
                } else {
                    b += add;
                }
            } else {
                pr *= 1.0 - pi;
            }
        }
        if pr > 0.0 {
            p_win += pr * if a + b > 0.0 { a / (a + b) } else { 0.5 };
        }
    }
    // What each side imposes if it wins.
    scratch.xa.clear();
    scratch.xa.extend_from_slice(&v.base);
    scratch.xb.clear();
    scratch.xb.extend_from_slice(&v.base);
    for &(i, share) in &conflict.stakes {
        let f = share.map_or(1.0, |s| params[s]);
        for (s, x) in [(0usize, &mut scratch.xa), (1, &mut scratch.xb)] {
            let (mut num, mut den) = (0.0, 0.0);
            for &m in &conflict.sides[s] {
                if v.w[m * n + i] > 0.0 {
                    num += v.cap[m] * v.pos[m * n + i];
                    den += v.cap[m];
                }
            }
            if den > 0.0 {
                let goal = num / den;
                x[i] = model.issues[i].snap(v.base[i] + f * (goal - v.base[i]));
            }
        }
    }
    utils.clear();
    for r in 0..np {
        let ua = v.utility(model, r, &scratch.xa);
        let ub = v.utility(model, r, &scratch.xb);
        let mut u = p_win * ua + (1.0 - p_win) * ub;
        let k = params[model.parties[r].cost];
        if side_of(model, c, r).is_some() {
            u -= k;
        } else if let Some(ally) = conflict.allies.iter().find(|a| a.party == r) {
            // An ally pays in proportion to what it brings.
            u -= params[ally.probability] * params[ally.contribution].min(1.0) * k;
        }
        utils.push(u);
    }
}

/// Logit choice probabilities, in place: `vals` holds the options' values
/// and receives their probabilities. `tau <= 0` is a best response, the
/// first of equal options winning (peace goes first).
pub fn choice_probabilities(vals: &mut [f64], tau: f64) {
    if vals.is_empty() {
        return;
    }
    if tau <= 1e-12 {
        let mut best = 0;
        for (k, v) in vals.iter().enumerate() {
            if *v > vals[best] {
                best = k;
            }
        }
        for (k, v) in vals.iter_mut().enumerate() {
            *v = if k == best { 1.0 } else { 0.0 };
        }
        return;
    }
    let top = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in vals.iter_mut() {
        *v = crate::fmath::exp((*v - top) / tau);
        sum += *v;
    }
    for v in vals.iter_mut() {
        *v /= sum;
    }
}

/// The probability of the second of two options, `choice_probabilities(&mut
/// [a, b], tau)[1]` with the same bits, without the exponential of the
/// best option (`exp(0) = 1` exactly).
pub fn second_choice_probability(a: f64, b: f64, tau: f64) -> f64 {
    if tau <= 1e-12 {
        return if b > a { 1.0 } else { 0.0 };
    }
    if b > a {
        // top = b: [exp((a - b) / tau), 1] / their sum.
        let ea = crate::fmath::exp((a - b) / tau);
        1.0 / (ea + 1.0)
    } else {
        // top = a: [1, exp((b - a) / tau)] / their sum.
        let eb = crate::fmath::exp((b - a) / tau);
        eb / (1.0 + eb)
    }
}

/// Whether a uniform `draw` in `[0, 1)` picks the second of two options:
/// `draw < second_choice_probability(a, b, tau)`, decided without the
/// exponential when a bound settles it. For `z ≤ 0`, `e^z ≤ 1 / (1 − z)`
/// (since `e^(−z) ≥ 1 − z`), so the second option's probability is at most
/// `1 / (1 − z)` when it is the worse (`z = (b − a) / τ`) and at least
/// `(1 − z) / (2 − z)` when it is the better (`z = (a − b) / τ`). The bounds
/// are compared multiplied out, `d = |b − a|`: the worse is not picked when
/// `draw (τ + d) ≥ τ (1 + 10⁻¹²)`, the better is when `draw (2τ + d) <
/// (τ + d)(1 − 10⁻¹²)` (sums of non-negative terms, so a few units of
/// rounding); the margin of `10⁻¹²` covers that rounding, so a draw beyond a
/// bound gets the answer the exact probability would give, bit for bit.
pub fn picks_second(a: f64, b: f64, tau: f64, draw: f64) -> bool {
    if tau > 1e-12 {
        if b > a {
            let d = b - a;
            if draw * (2.0 * tau + d) < (tau + d) * (1.0 - 1e-12) {
                return true;
            }
        } else {
            let d = a - b;
            if draw * (tau + d) >= tau * (1.0 + 1e-12) {
                return false;
            }
        }
    }
    draw < second_choice_probability(a, b, tau)
}

/// The expected, discounted value of going on talking, for a party whose
/// next meeting is `wait` days away (see `docs/model.md`, section 7):
///
/// ```text
/// C = (1 − δ^wait) flow + δ^wait (π U_deal + (1 − π) D'),
/// U_deal = D' + ½ max(0, M' − D'),   π = Φ((M' − D') / σ)   (σ = 0: M' ≥ D')
/// ```
///
/// where `flow` is what the status quo gives meanwhile, `D'` its value of no
/// deal at that meeting and `M'` the most it believes it can get there
/// (None: no offer leaves the others their values of no deal).
pub fn continuation(
    flow: f64,
    delta: f64,
    wait: f64,
    no_deal: f64,
    best: Option<f64>,
    sd: f64,
) -> f64 {
    let g = crate::fmath::powf(delta, wait.max(0.0));
    continuation_discounted(flow, g, no_deal, best, sd)
}

/// [`continuation`] with the discount over the wait, `g = δ^max(wait, 0)`, given.
fn continuation_discounted(flow: f64, g: f64, no_deal: f64, best: Option<f64>, sd: f64) -> f64 {
    let (pi, deal) = match best {
        None => (0.0, no_deal),
        Some(m) => {
            let surplus = m - no_deal;
            let pi = if sd > 1e-12 {
                super::math::normal_cdf(surplus / sd)
            } else if surplus >= 0.0 {
                1.0
            } else {
                0.0
            };
            (pi, no_deal + 0.5 * surplus.max(0.0))
        }
    };
    let later = pi * deal + (1.0 - pi) * no_deal;
    (1.0 - g) * flow + g * later
}

impl World<'_> {
    /// A decision point: each party that may start a war chooses between
    /// going on and each of its wars (in party order; the first war ends the run).
    pub(crate) fn decision_point(&mut self, now: f64, sched: &mut Scheduler<Event>) -> Flow {
        if self.st.terminal.is_some() {
            return Flow::Stop;
        }
        let model = self.model;
        let np = model.parties.len();
        for (i, opts) in &model.initiators {
            let i = *i;
            // Its best war it may start now (its values include its resolve
            // this run; a war with a `not_before` date waits for it).
            let mut best: Option<(usize, f64)> = None;
            for &o in opts {
                if model.conflicts[model.war_options[o].conflict].not_before > now {
                    continue;
                }
                let v = self.v.war[o * np + i];
                if best.is_none_or(|(_, b)| v > b) {
                    best = Some((o, v));
                }
            }
            let Some((o, war)) = best else { continue };
            // Going on is worth at least the discounted value of no deal at
            // its next meeting: when war falls short of that, the choice is
            // made without the (costlier) frontier of that meeting. A trace
            // records the exact margin; the choice is the same either way.
            let going_on = match self.continuation_value(i, now, war) {
                Continuation::Exact(c) => c,
                Continuation::AtLeast(_) if self.trace.enabled => {
                    match self.continuation_value(i, now, f64::INFINITY) {
                        Continuation::Exact(c) | Continuation::AtLeast(c) => c,
                    }
                }
                Continuation::AtLeast(c) => c,
            };
            self.record(
                now,
                TraceKind::Decision,
                None,
                None,
                Some(i),
                None,
                Some(war - going_on),
            );
            if war > going_on {
                return self.start_war(now, i, o, sched);
            }
        }
        Flow::Continue
    }

    /// Party `i` starts war option `o`: the threats that answer it are
    /// carried out at once (and recorded) and the run ends in conflict.
    fn start_war(&mut self, now: f64, i: usize, o: usize, sched: &mut Scheduler<Event>) -> Flow {
        let np = self.model.parties.len();
        let w = self.v.war[o * np + i];
        let c = self.model.war_options[o].conflict;
        self.st.terminal = Some((Outcome::Conflict, now));
        self.record(
            now,
            TraceKind::Escalation,
            None,
            None,
            Some(i),
            Some(c),
            Some(w),
        );
        self.trigger_threats(
            now,
            |_, tr| tr == Trigger::Escalation(None) || tr == Trigger::Escalation(Some(i)),
            true,
            sched,
        );
        self.end(Outcome::Conflict, now)
    }

    /// What party `p` expects from going on: the discounted value of its next
    /// meeting (in the state projected to that day), or its peace value when
    /// none is ahead.
    /// Stops at a lower bound once that bound reaches `enough`.
    pub(crate) fn continuation_value(&mut self, p: usize, now: f64, enough: f64) -> Continuation {
        let model = self.model;
        let next = self
            .st
            .pending_meetings
            .iter()
            .filter(|(t, m)| *t >= now && model.meetings[*m].units.contains(&p))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .copied();
        let Some((at, m)) = next else {
            return Continuation::Exact(self.v.s_tilde[p]);
        };
        let dirty = self.project_params(now, at);
        let projected = dirty.is_some();
        if let Some(dirty) = dirty {
            // Today's values with what the events ahead reach recomputed:
            // the same bits as recomputing everything from the projected
            // parameters, since every cached value is a function of its inputs.
            let mut view = self.st.view();
            view.now = at;
            let shocks = super::values::Shocks {
                errors: &self.err,
                resolve: &self.resolve,
            };
            self.proj.copy_from(&self.v);
            self.proj
                .refresh(model, &self.proj_params, &view, &shocks, dirty);
        }
        let vals = if projected { &self.proj } else { &self.v };
        let params = if projected {
            &self.proj_params
        } else {
            &self.values
        };
        let party = &model.parties[p];
        let (delta, sd) = (params[party.patience], params[party.noise]);
        // Going on is worth a mix of the flow and the value of no deal there
        // (at least), so at least the smaller of the two: when that clears
        // `enough` by more than the rounding of the mix, the bound below
        // would too, and its discount need not be computed. (A trace records
        // the exact value: it asks with `enough` infinite.)
        let (flow, no_deal) = (self.v.flow[p], vals.d[p]);
        let low = flow.min(no_deal);
        if (0.0..=1.0).contains(&delta)
            && low >= enough + 1e-12 * (1.0 + flow.abs() + no_deal.abs())
        {
            return Continuation::AtLeast(low);
        }
        // A deal is worth at least the value of no deal: the bound without a frontier.
        // The discount over the wait, computed once for both bounds.
        let g = crate::fmath::powf(delta, (at - now).max(0.0));
        let floor = continuation_discounted(self.v.flow[p], g, vals.d[p], None, sd);
        if floor >= enough {
            return Continuation::AtLeast(floor);
        }
        let mut agenda = std::mem::take(&mut self.agenda_buf);
        agenda.clear();
        agenda.extend(
            model.meetings[m]
                .agenda
                .iter()
                .copied()
                .filter(|&i| self.st.settled[i].is_none()),
        );
        let k = model.meetings[m]
            .units
            .iter()
            .position(|&q| q == p)
            .unwrap_or(0);
        self.scratch.resize(model.issues.len(), 0.0);
        let np = model.parties.len();
        // The cached frontier serves today's state, unless the open
        // meeting's seats hold it (a meeting seated alike shares its cache).
        let lent = self.lent_slot == Some(self.frontier_slot[m]);
        let best = if agenda.is_empty() {
            None
        } else if projected || lent {
            // The state projected to that day, or a frontier lent to the
            // open meeting: a frontier of its own (the same bits as the cache's).
            let vals = if projected { &self.proj } else { &self.v };
            let meeting = &model.meetings[m];
            let others = meeting
                .units
                .iter()
                .filter(|&&q| q != p)
                .map(|&q| (q, vals.prefs(model, q)));
            self.look.rebuild(
                p,
                &vals.prefs(model, p),
                others,
                &agenda,
                &vals.base,
                &model.grids,
            );
            self.floors.clear();
            self.floors.extend(
                meeting
                    .units
                    .iter()
                    .filter(|&&q| q != p)
                    .map(|&q| vals.d_hat[p * np + q]),
            );
            self.look.max_leaving(&self.floors, &mut self.scratch)
        } else {
            // Today's state: the meeting's cached frontier serves.
            self.ensure_frontier(m, k, &agenda, true);
            let meeting = &model.meetings[m];
            self.floors.clear();
            self.floors.extend(
                meeting
                    .units
                    .iter()
                    .filter(|&&q| q != p)
                    .map(|&q| self.v.d_hat[p * np + q]),
            );
            self.frontiers[self.frontier_slot[m]][k]
                .1
                .max_leaving(&self.floors, &mut self.scratch)
        };
        self.agenda_buf = agenda;
        let vals = if projected { &self.proj } else { &self.v };
        Continuation::Exact(continuation_discounted(
            self.v.flow[p],
            g,
            vals.d[p],
            best,
            sd,
        ))
    }
}

/// The value of going on, exactly or as a lower bound.
pub(crate) enum Continuation {
    Exact(f64),
    AtLeast(f64),
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn logit_by_hand() {
        let mut v = [0.0, 0.01];
        choice_probabilities(&mut v, 0.01);
        let e = std::f64::consts::E;
        assert!((v[1] - e / (1.0 + e)).abs() < 1e-12);
        assert!((v[0] + v[1] - 1.0).abs() < 1e-15);
        let mut v = [0.3, 0.3, 0.1];
        choice_probabilities(&mut v, 0.0);
        assert_eq!(v, [1.0, 0.0, 0.0], "a tie goes to the first option (peace)");
        let mut v = [0.3, 0.31];
        choice_probabilities(&mut v, 0.0);
        assert_eq!(v, [0.0, 1.0]);
        // A cold choice: (1.0 − 0.9) / 0.001 = 100, so the better option
        // has probability 1 / (1 + e^−100), which is 1 in floating point,
        // and the other e^−100 (about 3.7e−44): no overflow on the way.
        let mut v = [0.9, 1.0];
        choice_probabilities(&mut v, 1e-3);
        assert_eq!(v[1], 1.0);
        assert!((v[0] - (-100.0f64).exp()).abs() < 1e-50, "{v:?}");
    }

    #[test]
    fn second_choice_probability_has_the_bits_of_the_logit() {
        for (a, b) in [
            (0.3, 0.1),
            (0.1, 0.3),
            (0.2, 0.2),
            (-0.4, 0.25),
            (0.7, -3.0),
        ] {
            for tau in [0.0, 1e-13, 0.01, 0.2, 1.5] {
                let mut v = [a, b];
                choice_probabilities(&mut v, tau);
                assert_eq!(
                    v[1].to_bits(),
                    second_choice_probability(a, b, tau).to_bits(),
                    "a = {a}, b = {b}, tau = {tau}"
                );
            }
        }
    }

    #[test]
    fn picks_second_agrees_with_the_probability_on_every_draw() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut skipped = 0;
        for _ in 0..200_000 {
            let a: f64 = rng.random_range(-2.0..2.0);
            let b: f64 = rng.random_range(-2.0..2.0);
            let tau = [0.0, 1e-13, 1e-3, 0.01, 0.2, 1.5][rng.random_range(0..6)];
            // Draws near the probability as well as anywhere.
            let p = second_choice_probability(a, b, tau);
            // Draws anywhere, near the probability, and at the bounds.
            let z = -(a - b).abs() / tau;
            let near = match rng.random_range(0..4) {
                0 => rng.random::<f64>(),
                1 => p + rng.random_range(-1e-9..1e-9),
                2 => 1.0 / (1.0 - z) * (1.0 + 1e-12),
                _ => (1.0 - z) / (2.0 - z) * (1.0 - 1e-12),
            };
            let draw = near.clamp(0.0, 1.0 - f64::EPSILON);
            assert_eq!(
                picks_second(a, b, tau, draw),
                draw < p,
                "{a} {b} {tau} {draw}"
            );
            if tau > 1e-12 && b <= a && draw >= 1.0 / (1.0 - z) * (1.0 + 1e-12) {
                skipped += 1;
            }
        }
        // The bound decides most draws (the exponential is the exception).
        assert!(skipped > 10_000, "{skipped}");
    }

    #[test]
    fn continuation_by_hand() {
        // No wait: the value at the meeting itself.
        assert!((continuation(0.2, 0.9, 0.0, 0.4, Some(0.8), 0.0) - 0.6).abs() < 1e-12);
        // No range: the value of no deal, discounted toward the status quo.
        let c = continuation(0.2, 0.5, 1.0, 0.4, None, 0.0);
        assert!((c - (0.5 * 0.2 + 0.5 * 0.4)).abs() < 1e-12);
        // Noise: the deal happens with probability Phi(surplus / sd) = 0.5 at zero surplus.
        let c = continuation(0.0, 1.0, 3.0, 0.4, Some(0.4), 0.1);
        assert!((c - 0.4).abs() < 1e-9);
        // Noise and a surplus: the deal (0.4 + ½ · 0.2 = 0.5) happens with
        // probability Phi(0.2 / 0.1) = Phi(2) = 0.977249868..., else 0.4
        // (to the CDF's approximation, relative error 1.2e-7).
        let c = continuation(0.0, 1.0, 0.0, 0.4, Some(0.6), 0.1);
        let phi2 = 0.977_249_868_051_820_8;
        assert!((c - (phi2 * 0.5 + (1.0 - phi2) * 0.4)).abs() < 1e-6, "{c}");
        // More patience, more weight on the meeting.
        let lo = continuation(0.1, 0.9, 10.0, 0.3, Some(0.9), 0.0);
        let hi = continuation(0.1, 0.99, 10.0, 0.3, Some(0.9), 0.0);
        assert!(hi > lo);
    }
}
