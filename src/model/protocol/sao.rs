//! NegMAS 0.16's stacked alternating offers (`SAOMechanism` with
//! `offering_is_accepting`), selected by `clock = "negmas"`: in each step
//! every seat acts once, in seating order from `first`. A seat facing the
//! other's standing offer answers it first (accepting ends the meeting in
//! agreement); otherwise, or on rejection, it proposes, and its offer becomes
//! the standing one. Relative time in step `s` of `n` is `(s + 1) / (n + 1)`
//! for both seats; acceptance is NegMAS's band (see `acceptance`). NegMAS's
//! mechanism has no walkouts, so neither does this protocol.

use super::round_numbers;
use crate::model::meeting::{End, Table};

/// Plays the steps.
pub(crate) fn play(t: &mut Table<'_, '_>) -> End {
    let units = t.units();
    let mut x = t.buffer();
    let mut standing: Option<usize> = None;
    for step in round_numbers(t.rounds()) {
        if !t.begin_round(step) {
            t.recycle(x);
            return End::Runaway;
        }
        for j in 0..units {
            let k = (t.first() + j) % units;
            if let Some(from) = standing.filter(|&f| f != k) {
                if t.respond_to(k, from, &x, step) {
                    return End::Agreement(x);
                }
            }
            t.propose(k, step, &mut x);
            standing = Some(k);
        }
        t.end_round();
    }
    t.recycle(x);
    End::NoDeal
}
