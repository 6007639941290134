//! A mediated single negotiating text: every seat states its demand; the
//! mediator's text is, per issue, the capability × salience weighted mean of
//! the demands, `x_i = Σ_q C_q w_qi d_qi / Σ_q C_q w_qi` — a power-weighted
//! compromise in the spirit of Bueno de Mesquita's expected utility model —
//! and all accepting it settles the agenda. The rounds run as in
//! [`super::simultaneous`]; only the text differs.

use crate::model::meeting::{End, Table};

/// Plays the rounds.
pub(crate) fn play(t: &mut Table<'_, '_>) -> End {
    super::simultaneous::play_on_a_text(t)
}
