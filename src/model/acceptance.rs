//! Acceptance conditions the tactics share.
//!
//! - [`ac_next`]: accept an offer worth at least what the party would get by
//!   proposing at its next move, the AC_next condition of Baarslag, Hindriks
//!   & Jonker ("Acceptance conditions in automated negotiation", 2011), with
//!   the surplus over the value of no deal discounted for the wait; with no
//!   move left, accept anything worth at least the value of no deal.
//! - [`negmas_band`]: NegMAS 0.16's time-based negotiators accept what
//!   reaches their current aspiration less `1e-4`.

use super::tactic::Turn;

/// Tolerance of acceptance comparisons.
pub const EPS: f64 = 1e-9;

/// The `eps` of NegMAS's utility-based negotiators.
pub const NEGMAS_EPS: f64 = 1e-4;

/// AC_next with discounting: accept `u` when
/// `u − D ≥ δ · (u_next − D)`, where `D` is the party's value of no deal,
/// `u_next` what it would ask at its next move and `δ` the discount over the
/// wait until then; with no move left, when `u ≥ D`.
///
/// This is Baarslag et al.'s `AC_next(α, β)`, `α·u + β ≥ u_next`, with
/// `α = 1/δ` and `β = −D (1 − δ)/δ`: the party compares taking the offer
/// now with proposing later, and waiting costs it a share of its surplus.
pub fn ac_next(turn: &Turn<'_>, u: f64, next: f64) -> bool {
    let d = turn.no_deal;
    if !turn.has_future {
        return u >= d - EPS;
    }
    u >= d + turn.discount_next() * (next - d).max(0.0) - EPS
}

/// NegMAS's acceptance: `u` reaches the aspiration `aim` less
/// [`NEGMAS_EPS`], the band's lower end never below `floor`
/// (NegMAS's `max(min u, reserved value)`).
pub fn negmas_band(u: f64, aim: f64, floor: f64) -> bool {
    u >= (aim - NEGMAS_EPS).max(floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negmas_band_by_hand() {
        assert!(negmas_band(0.4999, 0.5, 0.0));
        assert!(!negmas_band(0.49989, 0.5, 0.0));
        assert!(!negmas_band(0.05, 0.0, 0.1), "never below the floor");
    }
}
