//! The tactic a party plays in a run: a built-in one, called directly, or
//! one installed by the library's user behind the [`Tactic`] trait.
//!
//! The model asks a party's tactic several things at every move (an
//! explicit offer? a demand of its own? its aim, then what it proposed, what
//! it heard, whether it walks out). Through `Box<dyn Tactic>` each is an
//! indirect call the processor must guess, and the built-ins' answers to
//! most of them are constants it cannot inline; with the built-ins held by
//! value in an enum, each call is a `match` whose arms inline. The trait is
//! unchanged: every arm forwards to the tactic's own implementation.

use super::{
    DeGroot, Hardliner, RiskReturn, Rubinstein, Tactic, TimeDependent, TitForTat, Turn, When,
    Zeuthen,
};
use crate::scenario::TacticKind;

/// A party's tactic for the runs of one world.
#[derive(Debug)]
pub(crate) enum Seated {
    TimeDependent(TimeDependent),
    TitForTat(TitForTat),
    Hardliner(Hardliner),
    Zeuthen(Zeuthen),
    Rubinstein(Rubinstein),
    RiskReturn(RiskReturn),
    DeGroot(DeGroot),
    /// A tactic of the library's user.
    Custom(Box<dyn Tactic>),
}

impl Seated {
    /// The built-in tactic of a scenario's `tactic` key.
    pub(crate) fn builtin(kind: TacticKind) -> Self {
        match kind {
            TacticKind::Boulware => Seated::TimeDependent(TimeDependent::new("boulware")),
            TacticKind::Conceder => Seated::TimeDependent(TimeDependent::new("conceder")),
            TacticKind::Linear => Seated::TimeDependent(TimeDependent::new("linear")),
            TacticKind::TitForTat => Seated::TitForTat(TitForTat),
            TacticKind::Hardliner => Seated::Hardliner(Hardliner),
            TacticKind::Zeuthen => Seated::Zeuthen(Zeuthen),
            TacticKind::Rubinstein => Seated::Rubinstein(Rubinstein),
            TacticKind::RiskReturn => Seated::RiskReturn(RiskReturn),
            TacticKind::DeGroot => Seated::DeGroot(DeGroot),
        }
    }
}

/// Forwards a call to the tactic in whichever arm holds it.
macro_rules! forward {
    ($self:ident, $t:ident => $call:expr) => {
        match $self {
            Seated::TimeDependent($t) => $call,
            Seated::TitForTat($t) => $call,
            Seated::Hardliner($t) => $call,
            Seated::Zeuthen($t) => $call,
            Seated::Rubinstein($t) => $call,
            Seated::RiskReturn($t) => $call,
            Seated::DeGroot($t) => $call,
            Seated::Custom($t) => $call,
        }
    };
}

impl Tactic for Seated {
    fn name(&self) -> &str {
        forward!(self, t => t.name())
    }

    #[inline]
    fn reset(&mut self) {
        forward!(self, t => t.reset())
    }

    #[inline]
    fn aim(&mut self, turn: &mut Turn<'_>, when: When) -> f64 {
        forward!(self, t => t.aim(turn, when))
    }

    #[inline]
    fn accepts(&mut self, turn: &mut Turn<'_>, u: f64) -> bool {
        forward!(self, t => t.accepts(turn, u))
    }

    #[inline]
    fn offer(&mut self, turn: &mut Turn<'_>, out: &mut [f64]) -> bool {
        forward!(self, t => t.offer(turn, out))
    }

    #[inline]
    fn walks_out(&mut self) -> Option<bool> {
        forward!(self, t => t.walks_out())
    }

    #[inline]
    fn demand(&mut self, turn: &mut Turn<'_>, out: &mut [f64]) -> bool {
        forward!(self, t => t.demand(turn, out))
    }

    #[inline]
    fn uses_frontier(&self) -> bool {
        forward!(self, t => t.uses_frontier())
    }

    #[inline]
    fn accepts_offers(&self) -> bool {
        forward!(self, t => t.accepts_offers())
    }

    #[inline]
    fn proposed(&mut self, aim: f64) {
        forward!(self, t => t.proposed(aim))
    }

    #[inline]
    fn observe(&mut self, u: f64) {
        forward!(self, t => t.observe(u))
    }
}
