//! Utilities over settlements and the concession path along which a party
//! builds its offers.
//!
//! A party's utility is the salience-weighted closeness of each issue to its
//! stated position: `U(x) = Σ_i w_i v(x_i, c_i)` with `v = 1 - |x - c|`
//! (linear) or `v = 1 - (x - c)^2` (quadratic) and `Σ_i w_i = 1`.
//!
//! Offers are built on a *concession path*: starting from the party's own
//! positions on the agenda, it gives ground issue by issue toward what its
//! counterparts ask, the issues it values least relative to them first (the
//! trade-off ordering of Faratin, Sierra & Jennings 2002; for two parties
//! with linear utilities this ordering traces the Pareto frontier exactly,
//! as in a fractional knapsack). A point on the path is named by the utility
//! the party gives up, its *budget*.

/// Per-issue utility shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `1 - |x - c|`.
    Linear,
    /// `1 - (x - c)^2`.
    Quadratic,
}

impl Shape {
    /// Closeness of `x` to the ideal `c`, in `[0, 1]`.
    #[inline]
    pub fn value(self, x: f64, c: f64) -> f64 {
        let d = x - c;
        match self {
            Shape::Linear => 1.0 - d.abs(),
            Shape::Quadratic => 1.0 - d * d,
        }
    }

    /// The distance from `c` at which the loss (times weight `w`) equals `budget`.
    #[inline]
    fn distance_for(self, budget: f64, w: f64) -> f64 {
        match self {
            Shape::Linear => budget / w,
            Shape::Quadratic => (budget / w).sqrt(),
        }
    }
}

/// `Σ_i w_i v(x_i, c_i)`: a party's utility of the settlement `x`, given its
/// weights `w` and positions `c`.
#[inline]
pub fn utility(shape: Shape, w: &[f64], c: &[f64], x: &[f64]) -> f64 {
    let mut u = 0.0;
    for ((&xi, &wi), &ci) in x.iter().zip(w).zip(c) {
        if wi != 0.0 {
            u += wi * shape.value(xi, ci);
        }
    }
    u
}

/// One party's preferences, as slices over all issues.
#[derive(Debug, Clone, Copy)]
pub struct Prefs<'a> {
    /// Stated positions (ideal points).
    pub pos: &'a [f64],
    /// Normalised saliences (sum to 1 over positioned issues, 0 elsewhere).
    pub w: &'a [f64],
    /// Lowest acceptable value per issue (red line).
    pub lo: &'a [f64],
    /// Highest acceptable value per issue (red line).
    pub hi: &'a [f64],
    /// Utility shape.
    pub shape: Shape,
}

impl Prefs<'_> {
    /// Utility of a full settlement vector.
    #[cfg(test)]
    fn utility(&self, x: &[f64]) -> f64 {
        utility(self.shape, self.w, self.pos, x)
    }

    /// Whether every agenda value respects the red lines.
    #[inline]
    pub fn acceptable(&self, x: &[f64], agenda: &[usize]) -> bool {
        agenda
            .iter()
            .all(|&i| x[i] >= self.lo[i] - 1e-12 && x[i] <= self.hi[i] + 1e-12)
    }
}

#[derive(Debug, Clone, Copy)]
struct Step {
    issue: usize,
    to: f64,
    loss: f64,
    binary: bool,
}

/// A party's concession path at one meeting.
#[derive(Debug, Clone, Default)]
pub struct ConcessionPath {
    steps: Vec<Step>,
    start: Vec<f64>,
    total: f64,
}

impl ConcessionPath {
    /// Builds the path of `me` toward the points `toward` (per issue) on the
    /// `agenda`, ordering issues by `counter_weight[i] / me.w[i]` descending.
    /// `base` holds the values of issues off the agenda.
    pub fn rebuild(
        &mut self,
        me: &Prefs<'_>,
        toward: &[f64],
        counter_weight: &[f64],
        agenda: &[usize],
        base: &[f64],
        binary: &[bool],
    ) {
        self.steps.clear();
        self.start.clear();
        self.start.extend_from_slice(base);
        // A binary issue's points are 0 or 1: round before clamping (its red
        // lines are 0 or 1 too).
        let snap = |i: usize, x: f64| if binary[i] { x.round() } else { x };
        for &i in agenda {
            let own = if me.w[i] > 0.0 { me.pos[i] } else { toward[i] };
            self.start[i] = snap(i, own).clamp(me.lo[i], me.hi[i]);
        }
        for &i in agenda {
            let from = self.start[i];
            let to = snap(i, toward[i]).clamp(me.lo[i], me.hi[i]);
            if (to - from).abs() < 1e-15 || counter_weight[i] <= 0.0 {
                continue;
            }
            let w = me.w[i];
            let loss = w * (me.shape.value(from, me.pos[i]) - me.shape.value(to, me.pos[i]));
            self.steps.push(Step {
                issue: i,
                to,
                loss: loss.max(0.0),
                binary: binary[i],
            });
        }
        let ratio = |s: &Step| {
            let w = me.w[s.issue];
            if w <= 0.0 {
                f64::INFINITY
            } else {
                counter_weight[s.issue] / w
            }
        };
        // Stable sort: ties keep agenda order, so paths are deterministic.
        self.steps.sort_by(|a, b| ratio(b).total_cmp(&ratio(a)));
        self.total = self.steps.iter().map(|s| s.loss).sum();
    }

    /// The path's first point: the party's own positions on the agenda.
    pub fn start(&self) -> &[f64] {
        &self.start
    }

    /// Utility the party can give up along the whole path.
    pub fn total(&self) -> f64 {
        self.total
    }

    /// Writes into `out` the point reached after giving up `budget` utility.
    pub fn offer(&self, me: &Prefs<'_>, budget: f64, out: &mut [f64]) {
        out.copy_from_slice(&self.start);
        let mut left = budget.max(0.0);
        for s in &self.steps {
            if left <= 0.0 {
                break;
            }
            if s.loss <= left + 1e-15 {
                out[s.issue] = s.to;
                left -= s.loss;
            } else if !s.binary {
                let i = s.issue;
                let c = me.pos[i];
                let from = self.start[i];
                // Utility already lost at `from` (non-zero if a red line moved it).
                let pre = me.w[i] * (1.0 - me.shape.value(from, c));
                let d = me.shape.distance_for(pre + left, me.w[i]);
                let dir = (s.to - from).signum();
                let x = c + dir * d;
                out[i] = if dir > 0.0 { x.min(s.to) } else { x.max(s.to) };
                left = 0.0;
            }
        }
    }

    /// The offer at a fraction `lambda` in `[0, 1]` of the whole path.
    pub fn offer_at(&self, me: &Prefs<'_>, lambda: f64, out: &mut [f64]) {
        self.offer(me, lambda.clamp(0.0, 1.0) * self.total, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefs<'a>(
        pos: &'a [f64],
        w: &'a [f64],
        lo: &'a [f64],
        hi: &'a [f64],
        shape: Shape,
    ) -> Prefs<'a> {
        Prefs {
            pos,
            w,
            lo,
            hi,
            shape,
        }
    }

    #[test]
    fn one_issue_linear_path_is_exact() {
        let (pos, w, lo, hi) = ([1.0], [1.0], [0.0], [1.0]);
        let me = prefs(&pos, &w, &lo, &hi, Shape::Linear);
        let mut path = ConcessionPath::default();
        path.rebuild(&me, &[0.0], &[1.0], &[0], &[0.5], &[false]);
        assert!((path.total() - 1.0).abs() < 1e-15);
        let mut x = [0.0];
        path.offer(&me, 0.3, &mut x);
        assert!((x[0] - 0.7).abs() < 1e-15);
        assert!((me.utility(&x) - 0.7).abs() < 1e-15);
    }

    #[test]
    fn quadratic_budget_matches_utility_loss() {
        let (pos, w, lo, hi) = ([0.2], [1.0], [0.0], [1.0]);
        let me = prefs(&pos, &w, &lo, &hi, Shape::Quadratic);
        let mut path = ConcessionPath::default();
        path.rebuild(&me, &[1.0], &[1.0], &[0], &[0.5], &[false]);
        let mut x = [0.0];
        path.offer(&me, 0.25, &mut x);
        assert!((me.utility(&x) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn concedes_cheapest_issue_first_and_respects_red_lines() {
        // I care 0.8 about issue 0 and 0.2 about issue 1; they care equally.
        let (pos, w, lo, hi) = ([1.0, 1.0], [0.8, 0.2], [0.0, 0.6], [1.0, 1.0]);
        let me = prefs(&pos, &w, &lo, &hi, Shape::Linear);
        let mut path = ConcessionPath::default();
        path.rebuild(
            &me,
            &[0.0, 0.0],
            &[0.5, 0.5],
            &[0, 1],
            &[0.5, 0.5],
            &[false, false],
        );
        let mut x = [0.0; 2];
        path.offer(&me, 0.05, &mut x);
        assert_eq!(x[0], 1.0);
        assert!((x[1] - 0.75).abs() < 1e-12);
        path.offer(&me, 10.0, &mut x);
        assert_eq!(x[1], 0.6, "never past the red line");
        assert_eq!(x[0], 0.0);
    }
}
