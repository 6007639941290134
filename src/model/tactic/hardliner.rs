//! Hardliner: always asks for its best (Faratin et al. 1998's limiting
//! Boulware, `β → 0`). Acceptance: AC_next, so at its last move it takes
//! anything worth its value of no deal.

use super::{Tactic, Turn, When};

/// Never concedes.
#[derive(Debug, Clone, Copy)]
pub struct Hardliner;

impl Tactic for Hardliner {
    fn name(&self) -> &str {
        "hardliner"
    }

    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        turn.best()
    }
}
