//! Simultaneous offers: every seat states its demand at once; the text on
//! the table is their plain mean (rounded on discrete issues); all accepting
//! it settles the agenda, and so does consensus (every agenda issue's
//! demands within the meeting's `consensus` tolerance), without a vote.

use super::round_numbers;
use crate::model::meeting::{End, Table};

/// Plays the rounds.
pub(crate) fn play(t: &mut Table<'_, '_>) -> End {
    play_on_a_text(t)
}

/// Rounds of demands and a single text (the table builds the text by the
/// meeting's protocol), shared with [`super::mediated`].
pub(crate) fn play_on_a_text(t: &mut Table<'_, '_>) -> End {
    let (mut demand, mut text) = (t.buffer(), t.buffer());
    for round in round_numbers(t.rounds()) {
        if !t.begin_round(round) {
            t.recycle(demand);
            t.recycle(text);
            return End::Runaway;
        }
        t.demands(round, &mut demand);
        t.text(round, &mut text);
        // Consensus settles at the text without a vote.
        let all = t.consensus() || t.poll(&text, None, round);
        t.end_round();
        if all {
            t.recycle(demand);
            return End::Agreement(text);
        }
        if let Some(p) = t.walkout(round) {
            t.recycle(demand);
            t.recycle(text);
            return End::Walkout(p);
        }
    }
    t.recycle(demand);
    t.recycle(text);
    End::NoDeal
}
