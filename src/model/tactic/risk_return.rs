//! Fearon's risk-return trade-off (Fearon 1995, "Rationalist explanations for
//! war", section on private information and incentives to misrepresent).
//!
//! The proposer is unsure what the others accept: it believes each
//! counterpart's value of no deal is `Normal(D̂_q, σ)`, its estimate and its
//! noise. It asks for the aim that maximises its expected utility
//!
//! ```text
//! E(u) = P(u) · u + (1 − P(u)) · D_p,   P(u) = Π_q Φ((U_q(x(u)) − D̂_q) / σ)
//! ```
//!
//! over its frontier (a 64-point grid, then golden-section refinement). With
//! `σ = 0` it asks for exactly the most it can get leaving every counterpart
//! its value of no deal. As `σ` grows the optimal offer leaves a growing
//! chance of rejection. Acceptance: AC_next.

use super::{Tactic, Turn, When};
use crate::model::math::{golden_max, normal_cdf};

/// Maximises expected utility against noisy estimates of what the others accept.
#[derive(Debug, Clone, Copy)]
pub struct RiskReturn;

fn expected(turn: &mut Turn<'_>, aim: f64, sd: f64) -> f64 {
    let mut p = 1.0;
    for j in 0..turn.counterparts() {
        let floor = turn.counterpart_floor(j);
        p *= normal_cdf((turn.counterpart_utility_at(j, aim) - floor) / sd);
    }
    let u = turn.own_utility_at(aim);
    p * u + (1.0 - p) * turn.no_deal
}

impl Tactic for RiskReturn {
    fn name(&self) -> &str {
        "risk_return"
    }

    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        let top = turn.best();
        let d = turn.no_deal;
        let sd = turn.noise;
        if sd <= 1e-12 {
            return match turn.max_leaving_others() {
                Some(u) => u.max(d.min(top)),
                None => top,
            };
        }
        // As without noise, never below its value of no deal: an aim below
        // it is worth less than no deal if accepted, so when no deal is worth
        // at least its best it asks for its best (as the time-dependent
        // tactics do), and otherwise the optimum is at least `d` (E(u) < d
        // below it, E(top) ≥ d); the refinement is held to that too.
        if d >= top {
            return top;
        }
        let lo = turn.worst_efficient();
        if top - lo <= 1e-15 {
            return top;
        }
        let steps = 64;
        let at = |j: u32| lo + (top - lo) * f64::from(j) / f64::from(steps);
        let mut best = (steps, expected(turn, top, sd));
        for j in 0..steps {
            let v = expected(turn, at(j), sd);
            if v > best.1 {
                best = (j, v);
            }
        }
        let (a, b) = (at(best.0.saturating_sub(1)), at((best.0 + 1).min(steps)));
        golden_max(a, b, 40, |u| expected(turn, u, sd)).max(d)
    }
}
