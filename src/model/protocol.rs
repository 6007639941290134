//! Protocols: who speaks when at a meeting, and what ends its rounds.
//!
//! The mechanism stands apart from the negotiators (as NegMAS's `SAOMechanism`
//! stands apart from its negotiators): a protocol plays on a
//! table (the model's `meeting` module), asking seats to propose and answer, and
//! knows nothing of how they choose. One file each:
//! - [`alternating`]: the proposer rotates; every other seat answers;
//! - [`simultaneous`]: every seat demands at once; the text is their mean;
//! - [`mediated`]: every seat demands; the mediator's single text weighs
//!   the demands by capability and salience;
//! - [`sao`]: NegMAS's stacked alternating offers (the `negmas` clock).

pub mod alternating;
pub mod mediated;
pub mod sao;
pub mod simultaneous;

use super::meeting::{End, Table};
use crate::scenario::{Clock, Protocol};

/// Plays a meeting's rounds under its protocol.
pub(crate) fn play(t: &mut Table<'_, '_>) -> End {
    match (t.protocol(), t.clock()) {
        (Protocol::Alternating, Clock::Negmas) => sao::play(t),
        (Protocol::Alternating, Clock::Negsim) => alternating::play(t),
        (Protocol::Simultaneous, _) => simultaneous::play(t),
        (Protocol::Mediated, _) => mediated::play(t),
    }
}

/// Rounds `0, 1, …` of a meeting: `rounds` of them, or without end (the
/// run's work cap stops an unbounded meeting that never settles).
pub(crate) fn round_numbers(rounds: Option<u32>) -> std::ops::Range<u32> {
    0..rounds.unwrap_or(u32::MAX)
}
