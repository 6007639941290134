//! Zeuthen's concession rule (Zeuthen 1930), as restated by Harsanyi (1956),
//! for two parties.
//!
//! With offers `x_p` (own) and `x_q` (theirs) on the table, each party's
//! risk willingness is `r_p = (U_p(x_p) − U_p(x_q)) / (U_p(x_p) − D_p)`; the
//! party with the lower one concedes. Harsanyi showed this is the party whose
//! own offer has the smaller Nash product `N(x) = (U_p(x) − D_p)(U_q(x) − D_q)`.
//! It concedes along its frontier of efficient offers to the smallest
//! concession whose Nash product lies halfway between the other's offer's
//! and the best attainable `N*`: the burden passes to the other side, and the
//! two offers close in on the maximiser of `N` geometrically. The settlement
//! converges to the Nash (1950) bargaining solution. It accepts once the
//! other's offer is worth at least its own last offer to it (within 1e-7),
//! or, with no move left, anything worth its value of no deal.

use super::{Tactic, Turn, When};
use crate::model::math::golden_max;

/// Zeuthen–Harsanyi concessions toward the Nash bargaining solution.
#[derive(Debug, Clone, Copy)]
pub struct Zeuthen;

impl Tactic for Zeuthen {
    fn name(&self) -> &str {
        "zeuthen"
    }

    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        let top = turn.best();
        let (Some(own), Some(own_them), Some((j, theirs_me, theirs_them))) =
            (turn.own_last, turn.own_last_to_them(), turn.standing())
        else {
            return top;
        };
        let (d, dq) = (turn.no_deal, turn.counterpart_floor(j));
        let nash = |a: f64, b: f64| (a - d).max(0.0) * (b - dq).max(0.0);
        let n_own = nash(own, own_them);
        let n_theirs = nash(theirs_me, theirs_them);
        if n_own > n_theirs {
            return own; // the other side concedes
        }
        let lo = turn.worst_efficient().max(d.min(top));
        if own <= lo {
            return own;
        }
        let product = |t: &mut Turn<'_>, a: f64| {
            let b = t.counterpart_utility_at(j, a);
            nash(t.own_utility_at(a), b)
        };
        let star = golden_max(lo, own, 80, |a| product(turn, a));
        let n_max = product(turn, star);
        let level = n_theirs + 0.5 * (n_max - n_theirs);
        // The smallest concession from `own` whose product reaches the level.
        if product(turn, own) >= level {
            return own;
        }
        let (mut hi, mut low) = (own, star);
        for _ in 0..60 {
            let mid = 0.5 * (hi + low);
            if product(turn, mid) >= level {
                low = mid;
            } else {
                hi = mid;
            }
        }
        low
    }

    fn accepts(&mut self, turn: &mut Turn<'_>, u: f64) -> bool {
        if !turn.has_future {
            return u >= turn.no_deal - super::super::acceptance::EPS;
        }
        u >= turn.own_last.unwrap_or_else(|| turn.best()) - 1e-7
    }
}
