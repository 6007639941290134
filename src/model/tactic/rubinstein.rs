//! Rubinstein's alternating-offers equilibrium (Rubinstein 1982), with a
//! deadline as in Ståhl (1972), for two parties, on any frontier.
//!
//! In utility space the frontier is `F`: the counterpart's utility when this
//! party asks for `u` (the efficient offer of [`crate::model::frontier`]).
//! With `m` rounds left and discount factors per round `δ_p`, `δ_q`, backward
//! induction gives the subgame-perfect offers: at the last round the proposer
//! leaves the responder its value of no deal; with `m` left it leaves the
//! responder exactly what the responder gets by rejecting and proposing with
//! `m − 1` left, discounted by one round. With no deadline the proposer asks
//! for the stationary `a` solving
//!
//! ```text
//! F(a) − D_q = δ_q (F(D_p + δ_p (a − D_p)) − D_q)
//! ```
//!
//! which for one divisible issue with linear utilities and `D = 0` is
//! Rubinstein's `(1 − δ_q) / (1 − δ_p δ_q)`; when both discount factors are 1
//! it takes the limit, the Nash bargaining solution (Binmore, Rubinstein &
//! Wolinsky 1986). The responder accepts exactly what it would get by
//! rejecting: `D_p + δ_p (u_next − D_p)`, with `u_next` its equilibrium
//! utility as proposer with one round fewer (its value of no deal at the
//! deadline).

use super::{Tactic, Turn, When};

/// The subgame-perfect strategy of the alternating-offers game.
#[derive(Debug, Clone, Copy)]
pub struct Rubinstein;

/// The first proposer's share of a unit pie under infinite-horizon
/// alternating offers (Rubinstein 1982): `(1 − δ_q) / (1 − δ_p δ_q)`, and its
/// limit 1/2 when both discount factors are 1.
pub fn rubinstein_share(dp: f64, dq: f64) -> f64 {
    let denom = 1.0 - dp * dq;
    if denom < 1e-12 {
        0.5
    } else {
        (1.0 - dq) / denom
    }
}

/// The proposer's equilibrium utility with `rounds` left (None: no
/// deadline), this party proposing now; `None` when it sees no bargaining range.
pub(crate) fn proposer_value(turn: &mut Turn<'_>, rounds: Option<u32>) -> Option<f64> {
    let j = 0;
    let (dp, dq) = (turn.patience, turn.counterpart_patience(j));
    let (d, e) = (turn.no_deal, turn.counterpart_floor(j));
    let top = turn.max_leaving_others()?;
    if top < d {
        return None;
    }
    match rounds {
        Some(m) => {
            // Backward from the last round; `mine`/`theirs`: utilities in the
            // subgame with `r` rounds left, proposer alternating.
            let (mut mine, mut theirs) = (0.0, 0.0);
            for r in 1..=m.max(1) {
                let me_proposes = (m - r) % 2 == 0;
                if r == 1 {
                    if me_proposes {
                        mine = top;
                        theirs = e;
                    } else {
                        mine = d;
                        theirs = turn.counterpart_utility_at(j, d);
                    }
                } else if me_proposes {
                    let w = e + dq * (theirs - e);
                    mine = turn.max_leaving(j, w).unwrap_or(d).max(d);
                    theirs = w;
                } else {
                    let v = d + dp * (mine - d);
                    theirs = turn.counterpart_utility_at(j, v);
                    mine = v;
                }
            }
            Some(mine)
        }
        None => {
            if dp * dq >= 1.0 - 1e-12 {
                // Both perfectly patient: the Nash bargaining solution.
                let f = |t: &mut Turn<'_>, a: f64| (a - d) * (t.counterpart_utility_at(j, a) - e);
                return Some(crate::model::math::golden_max(d, top, 100, |a| f(turn, a)));
            }
            // An affine frontier (one divisible issue, linear utilities) has
            // the closed form; F(a) = α + β a.
            let (f0, f1) = (
                turn.counterpart_utility_at(j, d),
                turn.counterpart_utility_at(j, top),
            );
            let fm = turn.counterpart_utility_at(j, 0.5 * (d + top));
            if top > d && (fm - 0.5 * (f0 + f1)).abs() < 1e-12 {
                let beta = (f1 - f0) / (top - d);
                let alpha = f0 - beta * d;
                let a = (dq * (alpha - e + beta * d * (1.0 - dp)) - (alpha - e))
                    / (beta * (1.0 - dp * dq));
                return Some(a.clamp(d, top));
            }
            // r(a) = F(a) − e − δ_q (F(d + δ_p (a − d)) − e): ≥ 0 at a = d, ≤ 0 at the top.
            let r = |t: &mut Turn<'_>, a: f64| {
                let fa = t.counterpart_utility_at(j, a);
                let fb = t.counterpart_utility_at(j, d + dp * (a - d));
                fa - e - dq * (fb - e)
            };
            let (mut lo, mut hi) = (d, top);
            for _ in 0..100 {
                let mid = 0.5 * (lo + hi);
                if r(turn, mid) >= 0.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            Some(0.5 * (lo + hi))
        }
    }
}

impl Tactic for Rubinstein {
    fn name(&self) -> &str {
        "rubinstein"
    }

    fn aim(&mut self, turn: &mut Turn<'_>, when: When) -> f64 {
        let rounds = match when {
            When::Now => turn.rounds_left,
            When::Next => turn.rounds_left.map(|m| m.saturating_sub(2)),
        };
        if rounds == Some(0) {
            return turn.no_deal.min(turn.best());
        }
        proposer_value(turn, rounds).unwrap_or_else(|| turn.best())
    }

    fn accepts(&mut self, turn: &mut Turn<'_>, u: f64) -> bool {
        let d = turn.no_deal;
        // Rejecting, it proposes with one round fewer (none: it gets D).
        let next = match turn.rounds_left {
            Some(m) if m <= 1 => None,
            Some(m) => proposer_value(turn, Some(m - 1)),
            None => proposer_value(turn, None),
        };
        let keep = match next {
            Some(v) => d + turn.patience * (v - d),
            None => d,
        };
        u >= keep - 1e-9
    }
}
