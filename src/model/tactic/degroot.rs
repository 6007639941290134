//! DeGroot averaging (DeGroot 1974, "Reaching a consensus"): at each demand
//! the party moves, issue by issue, a random share of the way from its last
//! demand toward the group's mean demand,
//!
//! ```text
//! d_i ← d_i + U · step · (m_i − d_i),   U ~ U[0, 1) drawn per issue and move
//! ```
//!
//! where `m` is the mean of the demands the seats held when the round began
//! (a seat that has not yet demanded in this run holds its stated
//! positions), and `step` the scenario's `tactic.step`. Its first demand
//! starts from its stated positions. Demands are made as settlements, not as
//! aims on the frontier, so the party's opinion, not its utility, is what
//! moves; it accepts no text by itself: a meeting settles when its
//! `consensus` tolerance is met. Under the alternating protocol there is no
//! group mean, and the party demands its last demand again.

use super::{Tactic, Turn, When};

/// Moves a random share of the way toward the group's mean.
#[derive(Debug, Clone, Copy)]
pub struct DeGroot;

impl Tactic for DeGroot {
    fn name(&self) -> &str {
        "degroot"
    }

    /// What it asks, as a utility: its best (its demands are made directly).
    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        turn.best()
    }

    /// It agrees only by consensus.
    fn accepts(&mut self, _turn: &mut Turn<'_>, _u: f64) -> bool {
        false
    }

    /// So the model need not ask it.
    fn accepts_offers(&self) -> bool {
        false
    }

    /// Its demands are its own: no concession path is needed.
    fn uses_frontier(&self) -> bool {
        false
    }

    fn demand(&mut self, turn: &mut Turn<'_>, out: &mut [f64]) -> bool {
        let from = turn.last_demand().unwrap_or(turn.position());
        crate::model::math::copy_values(out, from);
        let step = turn.step;
        if let Some(mean) = turn.group_mean() {
            for &i in turn.agenda() {
                let (d, m) = (out[i], mean[i]);
                out[i] = d + turn.uniform() * step * (m - d);
            }
        }
        true
    }
}
