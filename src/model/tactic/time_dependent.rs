//! Time-dependent tactics: Boulware, Conceder and Linear (Faratin, Sierra &
//! Jennings 1998, "Negotiation decision functions for autonomous agents").
//!
//! The aim falls from the party's best `U_max` to its value of no deal `D`
//! as the clock `τ = t / t_max` runs:
//!
//! ```text
//! u(τ) = D + (U_max − D) (1 − α(τ)),   α(τ) = k + (1 − k) τ^(1/β)
//! ```
//!
//! `k` is the initial concession (0 by default), `β < 1` concedes late
//! (Boulware), `β > 1` early (Conceder), `β = 1` at a constant rate. Under the
//! NegMAS clock the same curve is NegMAS's `PolyAspiration` with exponent
//! `e = 1/β`. Acceptance: AC_next.

use super::{Tactic, Turn, When};

/// Faratin's time-dependent family; the scenario's `beta` and `k` set its curve.
#[derive(Debug, Clone)]
pub struct TimeDependent {
    name: &'static str,
    /// Memo of [`concession`], keyed by the bits of its arguments and
    /// indexed by the clock's bits: a party's clock takes the same values
    /// run after run, and its curve seldom changes.
    memo: Box<[Concession; MEMO]>,
}

/// Entries of [`TimeDependent`]'s memo: room for a clock of a couple of
/// hundred distinct values (a NegMAS negotiation of 100 steps has 101 per
/// party, and the responder's look one step ahead another 101).
const MEMO: usize = 512;

/// One memo entry: the bits of `(τ, β, k)` and `α(τ)`.
#[derive(Debug, Clone, Copy)]
struct Concession {
    key: [u64; 3],
    value: f64,
}

impl TimeDependent {
    /// The tactic under one of its names (`boulware`, `conceder`, `linear`).
    pub fn new(name: &'static str) -> Self {
        TimeDependent {
            name,
            // Every entry starts as a true one (of arguments no turn has).
            memo: Box::new(
                [Concession {
                    key: [u64::MAX; 3],
                    value: concession(
                        f64::from_bits(u64::MAX),
                        f64::from_bits(u64::MAX),
                        f64::from_bits(u64::MAX),
                    ),
                }; MEMO],
            ),
        }
    }

    /// [`concession`], the same bits, remembered.
    fn concession(&mut self, tau: f64, beta: f64, k: f64) -> f64 {
        let key = [tau.to_bits(), beta.to_bits(), k.to_bits()];
        // Fibonacci hashing of the clock's bits: its top bits pick the slot.
        let h = key[0].wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MEMO.trailing_zeros());
        let slot = &mut self.memo[h as usize];
        // Word by word: an array comparison loads the key just built as one
        // wide word, which the processor cannot forward from its stores.
        let same = slot.key[0] == key[0] && slot.key[1] == key[1] && slot.key[2] == key[2];
        if !same {
            *slot = Concession {
                key,
                value: concession(tau, beta, k),
            };
        }
        slot.value
    }
}

/// `α(τ) = k + (1 − k) τ^(1/β)`, the share of the range conceded at time `τ`.
pub fn concession(tau: f64, beta: f64, k: f64) -> f64 {
    let tau = tau.clamp(0.0, 1.0);
    let curve = if beta == 1.0 {
        tau
    } else {
        crate::fmath::powf(tau, 1.0 / beta)
    };
    k + (1.0 - k) * curve
}

impl Tactic for TimeDependent {
    fn name(&self) -> &str {
        self.name
    }

    fn aim(&mut self, turn: &mut Turn<'_>, when: When) -> f64 {
        let top = turn.best();
        let floor = turn.no_deal;
        if top <= floor {
            return top;
        }
        let tau = match when {
            When::Now => turn.clock,
            When::Next => turn.clock_next,
        };
        floor + (top - floor) * (1.0 - self.concession(tau, turn.beta, turn.k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faratin_curve_by_hand() {
        // Linear: half the range at half time.
        assert_eq!(concession(0.5, 1.0, 0.0), 0.5);
        // Boulware beta = 0.5: tau^2.
        assert!((concession(0.5, 0.5, 0.0) - 0.25).abs() < 1e-15);
        // Conceder beta = 2: sqrt(tau).
        assert!((concession(0.25, 2.0, 0.0) - 0.5).abs() < 1e-15);
        // An initial concession k is conceded at once and the rest scaled.
        assert!((concession(0.0, 1.0, 0.2) - 0.2).abs() < 1e-15);
        assert!((concession(0.5, 1.0, 0.2) - 0.6).abs() < 1e-15);
        assert_eq!(concession(1.0, 0.3, 0.4), 1.0);
    }

    #[test]
    fn the_memo_gives_the_curve_bit_for_bit() {
        let mut t = TimeDependent::new("boulware");
        for round in 0..200u32 {
            for (beta, k) in [(0.2, 0.0), (1.0, 0.1), (3.0, 0.0), (0.2, 0.3)] {
                let tau = f64::from(round % 37) / 36.0;
                assert_eq!(
                    t.concession(tau, beta, k).to_bits(),
                    concession(tau, beta, k).to_bits()
                );
            }
        }
    }
}
