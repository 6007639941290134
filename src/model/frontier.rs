//! Efficient offers: for a party's aim `u`, the settlement that keeps its own
//! utility at `u` while giving its counterparts the most.
//!
//! The proposer `p` solves `max Σ_q U_q(x)` subject to `U_p(x) ≥ u`, with
//! each agenda issue inside `p`'s own red lines (it does not know the
//! others'). Utilities are concave and separable, so by Lagrangian duality
//! the solutions are the maximisers of `Σ_q U_q(x) + μ U_p(x)` for the `μ ≥ 0`
//! that makes `U_p = u`, and each issue can be solved on its own
//! (Raiffa 1982, ch. 10; Boyd & Vandenberghe 2004, §5.5). Every offer is
//! therefore Pareto-efficient among the parties at the table, as far as the
//! proposer knows their utilities. As `μ` falls from `∞` to `0` the offer
//! moves from the proposer's ideal (within its red lines) to the point best
//! for the others: the *frontier* of its offers, named by its own utility.
//!
//! Two constructions:
//! - **linear** (every utility on the agenda linear): the maximiser on each
//!   issue is a weighted median of the ideal points, which moves from kink to
//!   kink at critical values of `μ`; sorting those moves by `μ` gives the
//!   whole frontier exactly as a list of steps (a fractional knapsack over
//!   issues and kinks), built once per meeting.
//! - **general** (any quadratic utility): each issue's maximiser is found
//!   from its piecewise-affine derivative, and `μ` by bisection, with a final
//!   interpolation between the two bracketing solutions (both maximise the
//!   Lagrangian at the limiting `μ`, so their segment does too).
//!
//! Discrete issues: the utility of a partial move on one is rounded to the
//! grid toward the proposer, so an offer never gives it less than its aim;
//! in the linear construction only the issue being conceded can be off the
//! grid, and on a single discrete issue the offer is exactly the proposer's
//! worst value that still meets its aim.

use super::math::copy_values;
use super::snap_to_grid;
use super::utility::{Prefs, Shape, Term};

/// One party's preferences on the agenda, by agenda position.
#[derive(Debug, Clone, Default)]
struct Side {
    party: usize,
    shape: Option<Shape>,
    pos: Vec<f64>,
    w: Vec<f64>,
    /// Its utility from the issues off the agenda (constant within a meeting).
    offset: f64,
    /// Its agenda terms of positive weight, by issue index, in agenda order.
    terms: Vec<Term>,
}

/// A move of one issue from one kink to the next at a critical `μ`.
#[derive(Debug, Clone, Copy)]
struct Step {
    /// Agenda position.
    k: usize,
    from: f64,
    to: f64,
    mu: f64,
    /// The proposer's utility lost over the whole step.
    loss: f64,
}

/// A party's frontier of efficient offers at one meeting.
#[derive(Debug, Clone, Default)]
pub struct Frontier {
    agenda: Vec<usize>,
    grid: Vec<Option<u32>>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    me: Side,
    others: Vec<Side>,
    start: Vec<f64>,
    floor: Vec<f64>,
    u_max: f64,
    u_min: f64,
    /// [`Frontier::u_worst`], found with the ideal.
    u_worst: f64,
    linear: bool,
    steps: Vec<Step>,
    /// Per step, each counterpart's utility gained over the whole step.
    gains: Vec<f64>,
    kinks: Vec<Vec<f64>>,
    /// Whether `kinks` belong to the sides as last built.
    kinks_built: bool,
    /// Scratch for the kinks along one issue.
    points: Vec<f64>,
    /// The values in force on the agenda (by agenda position).
    base_on_agenda: Vec<f64>,
    /// Whether the floor and the concession path are built.
    complete: bool,
    /// Which issues are on the agenda.
    on_agenda: Vec<bool>,
    /// Per agenda position, the last linear floor: the bits of its red
    /// lines and of the point it breaks ties toward, and of the floor (valid
    /// for the sides as last built; a new build clears it). A relimit most
    /// often changes one or two issues' red lines, so most floors stand.
    floor_memo: Vec<Option<[u64; 4]>>,
}

impl Frontier {
    /// Builds the frontier of `me` (party `me_id`) facing `others` at a
    /// meeting with this `agenda`; `base` gives every issue's value in force,
    /// `grid` each issue's number of values (None: continuous).
    pub fn rebuild<'a>(
        &mut self,
        me_id: usize,
        me: &Prefs<'a>,
        others: impl IntoIterator<Item = (usize, Prefs<'a>)>,
        agenda: &[usize],
        base: &[f64],
        grid: &[Option<u32>],
    ) {
        self.rebuild_ideal(me_id, me, others, agenda, base, grid);
        self.complete();
    }

    /// Builds only what needs no concession path: the proposer's ideal
    /// ([`Frontier::start`], [`Frontier::u_max`]), everyone's utilities on
    /// the agenda and [`Frontier::u_worst`], for a party whose tactic makes
    /// its demands itself ([`super::tactic::Tactic::uses_frontier`]).
    /// [`Frontier::complete`] adds the rest; until then the concession path
    /// ([`Frontier::offer`], [`Frontier::u_min`], [`Frontier::max_leaving`])
    /// must not be asked for.
    pub fn rebuild_ideal<'a>(
        &mut self,
        me_id: usize,
        me: &Prefs<'a>,
        others: impl IntoIterator<Item = (usize, Prefs<'a>)>,
        agenda: &[usize],
        base: &[f64],
        grid: &[Option<u32>],
    ) {
        self.agenda.clear();
        self.agenda.extend_from_slice(agenda);
        self.grid.clear();
        self.grid.extend(agenda.iter().map(|&i| grid[i]));
        self.lo.clear();
        self.lo.extend(agenda.iter().map(|&i| me.lo[i]));
        self.hi.clear();
        self.hi.extend(agenda.iter().map(|&i| me.hi[i]));
        self.on_agenda.clear();
        self.on_agenda.resize(base.len(), false);
        for &i in agenda {
            self.on_agenda[i] = true;
        }
        fill_side(&mut self.me, me_id, me, agenda, &self.on_agenda, base);
        let mut count = 0;
        for (q, prefs) in others {
            if count == self.others.len() {
                self.others.push(Side::default());
            }
            fill_side(
                &mut self.others[count],
                q,
                &prefs,
                agenda,
                &self.on_agenda,
                base,
            );
            count += 1;
        }
        self.others.truncate(count);
        self.linear = self.me.shape != Some(Shape::Quadratic)
            && self
                .others
                .iter()
                .all(|s| s.shape != Some(Shape::Quadratic));
        self.kinks_built = false;
        self.floor_memo.clear();
        self.floor_memo.resize(agenda.len(), None);
        self.start.clear();
        self.start.extend_from_slice(base);
        self.base_on_agenda.clear();
        self.base_on_agenda.extend(agenda.iter().map(|&i| base[i]));
        self.find_ideal();
    }

    /// The proposer's ideal on the agenda within its red lines, and its
    /// utility; the concession path is left to [`Frontier::complete`].
    fn find_ideal(&mut self) {
        // An issue the proposer does not care about is solved for the others,
        // along the kinks; its own best needs none.
        if !self.me.w.iter().all(|&w| w > 0.0) {
            self.build_kinks();
        }
        for k in 0..self.agenda.len() {
            let i = self.agenda[k];
            self.start[i] = self.solve_issue(k, f64::INFINITY, self.base_on_agenda[k]);
        }
        self.u_max = self.own_utility(&self.start);
        self.u_worst = self.find_u_worst();
        self.complete = false;
    }

    /// The same frontier with the proposer's red lines `me.lo`, `me.hi`
    /// changed and nothing else (the agenda, the values in force and every
    /// side's positions and weights as at the last build): the sides and the
    /// kinks stand, the ideal is found anew, and the concession path is
    /// left to [`Frontier::complete`]. The result has the bits of a rebuild.
    pub fn relimit(&mut self, me: &Prefs<'_>) {
        for (k, &i) in self.agenda.iter().enumerate() {
            self.lo[k] = me.lo[i];
            self.hi[k] = me.hi[i];
        }
        self.find_ideal();
    }

    /// Completes a frontier built by [`Frontier::rebuild_ideal`]: the offer
    /// best for the others and the concession path to it (a no-op on a
    /// complete one).
    pub fn complete(&mut self) {
        if self.complete {
            return;
        }
        self.build_kinks();
        // The values in force off the agenda, as the ideal holds them.
        self.floor.clear();
        self.floor.extend_from_slice(&self.start);
        for k in 0..self.agenda.len() {
            let (i, base) = (self.agenda[k], self.base_on_agenda[k]);
            let floor = if self.linear {
                self.linear_floor_memo(k, base)
            } else {
                self.solve_issue(k, 0.0, base)
            };
            self.floor[i] = snap_to_grid(floor, self.grid[k]);
        }
        self.u_min = self.own_utility(&self.floor);
        self.steps.clear();
        self.gains.clear();
        if self.linear {
            self.build_steps();
        }
        self.complete = true;
    }

    /// Each agenda issue's kinks: the sorted, distinct ideals of the linear
    /// sides that weigh it (built once per build of the sides, when first needed).
    fn build_kinks(&mut self) {
        if self.kinks_built {
            return;
        }
        let na = self.agenda.len();
        self.kinks.resize_with(na, Vec::new);
        for k in 0..na {
            let kinks = &mut self.kinks[k];
            kinks.clear();
            let mut push = |y: f64, w: f64, shape: Option<Shape>| {
                if w > 0.0 && shape == Some(Shape::Linear) {
                    kinks.push(y);
                }
            };
            push(self.me.pos[k], self.me.w[k], self.me.shape);
            for s in &self.others {
                push(s.pos[k], s.w[k], s.shape);
            }
            kinks.sort_by(f64::total_cmp);
            kinks.dedup();
        }
        self.kinks_built = true;
    }

    /// Whether the concession path is built (see [`Frontier::rebuild_ideal`]).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The proposer's utility at its own ideal on the agenda (within its red lines).
    pub fn u_max(&self) -> f64 {
        self.u_max
    }

    /// The proposer's utility at the offer best for the others.
    pub fn u_min(&self) -> f64 {
        debug_assert!(self.complete, "u_min of an ideal-only frontier");
        self.u_min
    }

    /// The proposer's lowest utility over every offer within its red lines
    /// (the `min u(o)` of NegMAS's scaling).
    pub fn u_worst(&self) -> f64 {
        self.u_worst
    }

    /// [`Frontier::u_worst`] from the sides and red lines (a function of
    /// what [`Frontier::rebuild_ideal`] and [`Frontier::relimit`] set).
    fn find_u_worst(&self) -> f64 {
        let Some(shape) = self.me.shape else {
            return self.me.offset;
        };
        let mut u = self.me.offset;
        for k in 0..self.agenda.len() {
            let (c, w) = (self.me.pos[k], self.me.w[k]);
            if w > 0.0 {
                u += w * shape.value(self.lo[k], c).min(shape.value(self.hi[k], c));
            }
        }
        u
    }

    /// The proposer's ideal offer (the frontier's first point).
    pub fn start(&self) -> &[f64] {
        &self.start
    }

    /// The proposer's red lines on agenda position `k`: the values it accepts.
    pub fn bounds(&self, k: usize) -> (f64, f64) {
        (self.lo[k], self.hi[k])
    }

    /// The agenda the frontier was built for.
    pub fn agenda(&self) -> &[usize] {
        &self.agenda
    }

    /// Number of counterparts.
    pub fn counterparts(&self) -> usize {
        self.others.len()
    }

    /// The party index of counterpart `j`.
    pub fn counterpart(&self, j: usize) -> usize {
        self.others[j].party
    }

    /// Writes into `out` (a full issue vector) the efficient offer that gives
    /// the proposer `aim` (clamped into `[u_min, u_max]`).
    pub fn offer(&self, aim: f64, out: &mut [f64]) {
        self.offer_known(aim, out);
    }

    /// [`Frontier::offer`], with the proposer's utility of the offer written
    /// when rounding it to the grid already worked it out (the same bits as
    /// [`Frontier::own_utility`] of `out`), else `None`.
    pub(crate) fn offer_known(&self, aim: f64, out: &mut [f64]) -> Option<f64> {
        debug_assert!(self.complete, "offer on an ideal-only frontier");
        if aim >= self.u_max {
            copy_values(out, &self.start);
            return None;
        }
        if aim <= self.u_min {
            copy_values(out, &self.floor);
            return None;
        }
        if self.linear {
            self.offer_linear(aim, out);
        } else {
            self.offer_general(aim, out);
        }
        self.snap_discrete(aim, out)
    }

    /// Counterpart `j`'s utility of `x`, a full issue vector that agrees
    /// with the meeting's base off the agenda.
    pub fn other_utility(&self, j: usize, x: &[f64]) -> f64 {
        side_utility(&self.others[j], &self.agenda, x)
    }

    /// The proposer's utility of `x` (as [`Frontier::other_utility`]).
    pub fn own_utility(&self, x: &[f64]) -> f64 {
        side_utility(&self.me, &self.agenda, x)
    }

    /// The highest aim whose offer leaves every counterpart `j` at least
    /// `floors[j]`, searching from the proposer's ideal down the frontier;
    /// `None` when even the offer best for the others falls short. `out`
    /// receives that offer.
    pub fn max_leaving(&self, floors: &[f64], out: &mut [f64]) -> Option<f64> {
        debug_assert!(self.complete, "max_leaving on an ideal-only frontier");
        let fine = |f: &Self, x: &[f64]| {
            (0..f.others.len()).all(|j| f.other_utility(j, x) >= floors[j] - 1e-12)
        };
        out.copy_from_slice(&self.start);
        if fine(self, out) {
            return Some(self.u_max);
        }
        out.copy_from_slice(&self.floor);
        if !fine(self, out) {
            return None;
        }
        if self.linear {
            return Some(self.max_leaving_linear(floors, out));
        }
        // General: bisection on the aim (each counterpart's utility falls as
        // the aim rises for two parties; with more it is a search along the frontier).
        let (mut lo, mut hi) = (self.u_min, self.u_max);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            self.offer(mid, out);
            if fine(self, out) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        self.offer(lo, out);
        Some(self.own_utility(out))
    }

    // ----- construction --------------------------------------------------

    /// The maximiser on agenda issue `k` of `Σ_q w_q v_q + μ w_p v_p` within the
    /// proposer's red lines; `μ = ∞` gives its own best. Where nobody cares
    /// the value in force stays.
    fn solve_issue(&self, k: usize, mu: f64, base: f64) -> f64 {
        let (lo, hi) = (self.lo[k], self.hi[k]);
        let mine = self.me.w[k] > 0.0;
        let theirs = self.others.iter().any(|s| s.w[k] > 0.0);
        if mu.is_infinite() && mine {
            return self.me.pos[k].clamp(lo, hi);
        }
        if !theirs {
            return if mine {
                self.me.pos[k].clamp(lo, hi)
            } else {
                base.clamp(lo, hi)
            };
        }
        let mu = if mu.is_infinite() { 0.0 } else { mu };
        // Terms: (shape, ideal, weight).
        let terms = || {
            std::iter::once((self.me.shape, self.me.pos[k], mu * self.me.w[k]))
                .chain(self.others.iter().map(move |s| (s.shape, s.pos[k], s.w[k])))
        };
        // Derivative from the right (`right`) or the left at x.
        let slope = |x: f64, right: bool| -> f64 {
            let mut g = 0.0;
            for (shape, y, a) in terms() {
                if a <= 0.0 {
                    continue;
                }
                g += match shape {
                    Some(Shape::Linear) => {
                        let ahead = if right { y > x } else { y >= x };
                        if ahead {
                            a
                        } else {
                            -a
                        }
                    }
                    Some(Shape::Quadratic) => 2.0 * a * (y - x),
                    None => 0.0,
                };
            }
            g
        };
        // The sorted breakpoints: lo, kinks inside, hi.
        let inside = self.kinks[k].iter().copied().filter(|&y| y > lo && y < hi);
        let mut a = lo;
        for b in inside.chain(std::iter::once(hi)) {
            if slope(a, true) <= 0.0 {
                return a;
            }
            if slope(b, false) >= 0.0 {
                a = b;
                continue;
            }
            // The root lies in (a, b), where the derivative is affine: c - s x.
            let mid = 0.5 * (a + b);
            let (mut c, mut s) = (0.0, 0.0);
            for (shape, y, w) in terms() {
                if w <= 0.0 {
                    continue;
                }
                match shape {
                    Some(Shape::Linear) => c += if y > mid { w } else { -w },
                    Some(Shape::Quadratic) => {
                        c += 2.0 * w * y;
                        s += 2.0 * w;
                    }
                    None => {}
                }
            }
            return if s > 0.0 { (c / s).clamp(a, b) } else { a };
        }
        hi
    }

    /// [`Frontier::linear_floor`], remembered by the bits of what it reads
    /// besides the sides: the red lines and the point it breaks ties toward.
    fn linear_floor_memo(&mut self, k: usize, base: f64) -> f64 {
        let c = if self.me.w[k] > 0.0 {
            self.me.pos[k]
        } else {
            base
        };
        let key = [self.lo[k].to_bits(), self.hi[k].to_bits(), c.to_bits()];
        if let Some([a, b, cc, floor]) = self.floor_memo[k] {
            if [a, b, cc] == key {
                return f64::from_bits(floor);
            }
        }
        let floor = self.linear_floor(k, base);
        self.floor_memo[k] = Some([key[0], key[1], key[2], floor.to_bits()]);
        floor
    }

    /// The others' best value on agenda issue `k` when every utility is
    /// linear: a weighted median of their ideal points within the red lines,
    /// the one closest to the proposer's ideal where several are optimal.
    fn linear_floor(&self, k: usize, base: f64) -> f64 {
        let (lo, hi) = (self.lo[k], self.hi[k]);
        if !self.others.iter().any(|s| s.w[k] > 0.0) {
            return if self.me.w[k] > 0.0 {
                self.me.pos[k].clamp(lo, hi)
            } else {
                base.clamp(lo, hi)
            };
        }
        let c = if self.me.w[k] > 0.0 {
            self.me.pos[k]
        } else {
            base
        };
        let cost = |z: f64| -> f64 {
            self.others
                .iter()
                .filter(|s| s.w[k] > 0.0)
                .map(|s| s.w[k] * (z - s.pos[k]).abs())
                .sum()
        };
        let candidates = self
            .others
            .iter()
            .filter(|s| s.w[k] > 0.0)
            .map(|s| s.pos[k].clamp(lo, hi))
            .chain([lo, hi]);
        let mut best = (f64::INFINITY, f64::INFINITY, lo);
        for z in candidates {
            let key = (cost(z), (z - c).abs());
            if key.0 < best.0 - 1e-15 || ((key.0 - best.0).abs() <= 1e-15 && key.1 < best.1) {
                best = (key.0, key.1, z);
            }
        }
        best.2
    }

    /// The frontier of an all-linear agenda as a list of steps, by `μ`
    /// descending (ties in agenda order).
    fn build_steps(&mut self) {
        for k in 0..self.agenda.len() {
            let b = self.me.w[k];
            let i = self.agenda[k];
            let (from0, to0) = (self.start[i], self.floor[i]);
            if b <= 0.0 || (to0 - from0).abs() < 1e-15 {
                continue;
            }
            let dir = (to0 - from0).signum();
            // Kinks strictly between, then the end.
            let mut z = from0;
            let mut points = std::mem::take(&mut self.points);
            points.clear();
            points.extend(
                self.kinks[k]
                    .iter()
                    .copied()
                    .filter(|&y| (y - from0) * dir > 1e-15 && (to0 - y) * dir > 1e-15),
            );
            if dir < 0.0 {
                points.reverse();
            }
            points.push(to0);
            for &next in &points {
                // Others' pull at z in the direction of travel, against my cost.
                let mut pull = 0.0;
                for s in &self.others {
                    let a = s.w[k];
                    if a <= 0.0 {
                        continue;
                    }
                    pull += if (s.pos[k] - z) * dir > 1e-15 { a } else { -a };
                }
                let mu = pull / b;
                if mu <= 0.0 {
                    break;
                }
                let loss = b * (z - next).abs();
                self.steps.push(Step {
                    k,
                    from: z,
                    to: next,
                    mu,
                    loss,
                });
                z = next;
            }
            self.points = points;
        }
        // Stable: equal μ keep agenda order, so the frontier is deterministic.
        self.steps.sort_by(|a, b| b.mu.total_cmp(&a.mu));
        for s in &self.steps {
            for o in &self.others {
                let (c, a) = (o.pos[s.k], o.w[s.k]);
                self.gains.push(a * ((s.from - c).abs() - (s.to - c).abs()));
            }
        }
    }

    fn offer_linear(&self, aim: f64, out: &mut [f64]) {
        copy_values(out, &self.start);
        let mut left = (self.u_max - aim).max(0.0);
        for s in &self.steps {
            if left <= 0.0 {
                break;
            }
            let i = self.agenda[s.k];
            if s.loss <= left {
                out[i] = s.to;
                left -= s.loss;
            } else {
                out[i] = s.from + (s.to - s.from) * (left / s.loss);
                left = 0.0;
            }
        }
    }

    fn max_leaving_linear(&self, floors: &[f64], out: &mut [f64]) -> f64 {
        let no = self.others.len();
        out.copy_from_slice(&self.start);
        let mut have: Vec<f64> = (0..no).map(|j| self.other_utility(j, out)).collect();
        let mut u = self.u_max;
        for (n, s) in self.steps.iter().enumerate() {
            let g = &self.gains[n * no..(n + 1) * no];
            // The smallest share θ of this step that satisfies everyone.
            let (mut need, mut cap) = (0.0f64, 1.0f64);
            for j in 0..no {
                let short = floors[j] - 1e-12 - have[j];
                if g[j] > 0.0 {
                    need = need.max(short / g[j]);
                } else if short > 0.0 {
                    need = f64::INFINITY;
                } else if g[j] < 0.0 {
                    cap = cap.min(short / g[j]);
                }
            }
            let i = self.agenda[s.k];
            if need <= cap && need <= 1.0 {
                let theta = need.max(0.0);
                out[i] = s.from + (s.to - s.from) * theta;
                u -= s.loss * theta;
                return self
                    .snap_discrete(u, out)
                    .unwrap_or_else(|| self.own_utility(out));
            }
            out[i] = s.to;
            u -= s.loss;
            for j in 0..no {
                have[j] += g[j];
            }
        }
        self.own_utility(out)
    }

    fn offer_general(&self, aim: f64, out: &mut [f64]) {
        let own_at = |f: &Self, t: f64, x: &mut [f64]| -> f64 {
            f.point_at(t, x);
            f.own_utility(x)
        };
        // t = μ / (1 + μ) in [0, 1]; own utility rises with t.
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for _ in 0..64 {
            let mid = 0.5 * (lo + hi);
            if own_at(self, mid, out) >= aim {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let mut a = out.to_vec();
        self.point_at(lo, &mut a);
        let mut b = out.to_vec();
        self.point_at(hi, &mut b);
        // Interpolate between the bracketing maximisers to meet the aim.
        let (mut tl, mut th) = (0.0f64, 1.0f64);
        for _ in 0..60 {
            let m = 0.5 * (tl + th);
            for &i in &self.agenda {
                out[i] = a[i] + (b[i] - a[i]) * m;
            }
            if self.own_utility(out) >= aim {
                th = m;
            } else {
                tl = m;
            }
        }
        for &i in &self.agenda {
            out[i] = a[i] + (b[i] - a[i]) * th;
        }
    }

    /// The Lagrangian maximiser at `t = μ / (1 + μ)`.
    fn point_at(&self, t: f64, out: &mut [f64]) {
        out.copy_from_slice(&self.start);
        let mu = if t >= 1.0 {
            f64::INFINITY
        } else {
            t / (1.0 - t)
        };
        for (k, &i) in self.agenda.iter().enumerate() {
            out[i] = self.solve_issue(k, mu, self.start[i]);
        }
    }

    /// Rounds discrete agenda issues to their grid: to the nearest value if
    /// the proposer still gets `aim`, else one value toward its ideal.
    /// Returns the proposer's utility of `out` as left when the last value
    /// set was the one evaluated (else `None`).
    fn snap_discrete(&self, aim: f64, out: &mut [f64]) -> Option<f64> {
        let mut known = None;
        for (k, &i) in self.agenda.iter().enumerate() {
            let Some(n) = self.grid[k] else { continue };
            let x = out[i];
            let near = snap_to_grid(x, Some(n));
            if (near - x).abs() < 1e-15 {
                if near.to_bits() != x.to_bits() {
                    known = None;
                }
                out[i] = near;
                continue;
            }
            let toward = self.start[i];
            let step = 1.0 / f64::from(n - 1);
            let back = if toward > x {
                (near + step).min(1.0)
            } else {
                (near - step).max(0.0)
            };
            // `near` may sit on the far side of x; `back` is then the neighbour toward the ideal.
            let safe = if (near - x) * (toward - x) >= 0.0 {
                near
            } else {
                back
            };
            out[i] = near;
            let u = self.own_utility(out);
            known = Some(u);
            if u < aim {
                out[i] = safe;
                let u = self.own_utility(out);
                known = Some(u);
                if u < aim && (safe - toward).abs() > 1e-15 {
                    out[i] = snap_to_grid(safe + (toward - safe).signum() * step, Some(n));
                    known = None;
                }
            }
        }
        known
    }
}

fn fill_side(
    side: &mut Side,
    party: usize,
    prefs: &Prefs<'_>,
    agenda: &[usize],
    on_agenda: &[bool],
    base: &[f64],
) {
    side.party = party;
    side.pos.clear();
    side.pos.extend(agenda.iter().map(|&i| prefs.pos[i]));
    side.w.clear();
    side.w.extend(agenda.iter().map(|&i| prefs.w[i]));
    // A party that cares about nothing on the agenda adds no terms.
    side.shape = side.w.iter().any(|&w| w > 0.0).then_some(prefs.shape);
    side.offset = 0.0;
    // With every issue on the agenda there is nothing off it, and the
    // offset stays 0.
    if !on_agenda.iter().all(|&on| on) {
        for (i, (&w, &c)) in prefs.w.iter().zip(prefs.pos).enumerate() {
            if w > 0.0 && !on_agenda[i] {
                side.offset += w * prefs.shape.value(base[i], c);
            }
        }
    }
    side.terms.clear();
    side.terms.extend(
        agenda
            .iter()
            .zip(side.w.iter().zip(&side.pos))
            .filter(|(_, (&w, _))| w > 0.0)
            .map(|(&i, (&w, &c))| Term { i, w, c }),
    );
}

/// A side's utility of `x`: its agenda issues, plus the constant from the rest.
fn side_utility(side: &Side, _agenda: &[usize], x: &[f64]) -> f64 {
    let Some(shape) = side.shape else {
        return side.offset;
    };
    // The agenda terms of positive weight, in agenda order, from the offset.
    let mut u = side.offset;
    match shape {
        Shape::Linear => {
            for t in &side.terms {
                u += t.w * Shape::Linear.value(x[t.i], t.c);
            }
        }
        Shape::Quadratic => {
            for t in &side.terms {
                u += t.w * Shape::Quadratic.value(x[t.i], t.c);
            }
        }
    }
    u
}
