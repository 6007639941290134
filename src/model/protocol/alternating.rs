//! Alternating offers (Rubinstein 1982; Ståhl 1972): in round `r` the seat
//! `(first + r) mod seats` proposes and every other seat answers; all
//! accepting settles the agenda at the offer. After a round without
//! agreement any seat may walk out.

use super::round_numbers;
use crate::model::meeting::{End, Table};

/// Plays the rounds.
pub(crate) fn play(t: &mut Table<'_, '_>) -> End {
    let units = t.units();
    let mut x = t.buffer();
    for round in round_numbers(t.rounds()) {
        if !t.begin_round(round) {
            t.recycle(x);
            return End::Runaway;
        }
        let k = (t.first() + round as usize) % units;
        t.propose(k, round, &mut x);
        let all = t.poll(&x, Some(k), round);
        t.end_round();
        if all {
            return End::Agreement(x);
        }
        if let Some(p) = t.walkout(round) {
            t.recycle(x);
            return End::Walkout(p);
        }
    }
    t.recycle(x);
    End::NoDeal
}
