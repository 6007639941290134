//! Relative tit-for-tat (Faratin, Sierra & Jennings 1998, after Axelrod
//! 1984): the party opens at its best and then gives up exactly the utility
//! the counterparts' last offer conceded to it (and takes back what they
//! took back):
//!
//! ```text
//! u_t = clamp(u_{t−1} − (U(o_t) − U(o_{t−1})), D, U_max)
//! ```
//!
//! At a later meeting it opens where it last stood. Acceptance: AC_next.

use super::{Tactic, Turn, When};

/// Mirrors the counterparts' concessions in its own utility.
#[derive(Debug, Clone, Copy)]
pub struct TitForTat;

impl Tactic for TitForTat {
    fn name(&self) -> &str {
        "tit_for_tat"
    }

    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        let top = turn.best();
        let low = turn.no_deal.min(top);
        match (
            turn.received,
            turn.received_prev,
            turn.own_last,
            turn.last_aim,
        ) {
            (Some(now), Some(prev), Some(_), Some(last)) => (last - (now - prev)).clamp(low, top),
            // It has moved at this meeting but has seen no concession yet,
            // or a new meeting: it goes on from where it stood.
            (_, _, _, Some(last)) => last.clamp(low, top),
            _ => top,
        }
    }
}
