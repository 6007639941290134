//! Tactics: how a party sets its aim at each move and when it accepts.
//!
//! A negotiator is three parts (Baarslag et al. 2014, the BOA architecture):
//! a bidding strategy, an opponent model and an acceptance strategy. In
//! negsim the bidding strategy is a [`Tactic`]'s [`Tactic::aim`] (the utility
//! it asks for; the model turns an aim into the efficient offer of
//! [`super::frontier`]), the opponent model is what the party believes of the
//! others (their utilities, which are public, and their values of no deal,
//! which it sees with noise: [`Turn::counterpart_floor`]), and the acceptance
//! strategy is [`Tactic::accepts`], by default AC_next
//! ([`super::acceptance::ac_next`]).
//!
//! Whatever the tactic, the model enforces two rules: a party never accepts
//! an offer that crosses one of its red lines or gives it less than its value
//! of no deal, and never proposes an offer it values below the standing
//! offer (it proposes the standing offer instead).
//!
//! A tactic that chooses settlements rather than utilities (a person at the
//! table: `negsim play`) proposes through [`Tactic::offer`], whose offer is
//! put on the table as given (within `[0, 1]` and the issues' grids), and
//! may decide its walkouts through [`Tactic::walks_out`]; both default to
//! the model's own rules.
//!
//! Built-in tactics, one file each: [`TimeDependent`] (Boulware, Conceder,
//! Linear), [`TitForTat`], [`Hardliner`], [`Zeuthen`], [`Rubinstein`],
//! [`RiskReturn`] and [`DeGroot`]. A library user writes a tactic of their own by
//! implementing the trait and installing it with
//! [`super::Runner::set_tactic`] (see `examples/custom_tactic.rs`).

mod degroot;
mod hardliner;
mod risk_return;
mod rubinstein;
mod seated;
mod time_dependent;
mod tit_for_tat;
mod zeuthen;

use std::cell::Cell;
use std::fmt;

pub use degroot::DeGroot;
pub use hardliner::Hardliner;
pub use risk_return::RiskReturn;
pub use rubinstein::{rubinstein_share, Rubinstein};
pub use time_dependent::TimeDependent;
pub use tit_for_tat::TitForTat;
pub use zeuthen::Zeuthen;

pub(crate) use seated::Seated;

use super::frontier::Frontier;
use super::values::Memo2;
use crate::scenario::TacticKind;

/// Which move an aim is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// The move the party is making now.
    Now,
    /// Its next move (what AC_next compares with).
    Next,
}

/// What a party knows when it moves: its own position, the clock, the
/// offers so far, and queries on its frontier of efficient offers.
///
/// Utilities are the party's own (in `[0, 1]`, over the whole settlement);
/// counterparts are numbered `0..counterparts()` in seating order.
#[derive(Debug)]
pub struct Turn<'a> {
    pub(crate) frontier: &'a Frontier,
    pub(crate) floors: &'a [f64],
    pub(crate) their_patience: &'a [f64],
    pub(crate) scratch: &'a mut Vec<f64>,
    /// The party's index in the model.
    pub party: usize,
    /// Its value of no deal: what it expects if talks end now without agreement.
    pub no_deal: f64,
    /// Its discount factor per round (`patience ^ round_days`).
    pub patience: f64,
    /// Faratin's time `t / t_max` at this move, in `[0, 1]`.
    pub clock: f64,
    /// The same at its next move.
    pub clock_next: f64,
    /// Rounds left in this meeting, this one included (`None`: unbounded).
    pub rounds_left: Option<u32>,
    /// Whether any move remains after this one (in this meeting, a
    /// follow-up, or another meeting it attends).
    pub has_future: bool,
    /// The discount over the wait until its next move: see
    /// [`Turn::discount_next`] (worked out only when a tactic asks).
    pub(crate) discount: NextDiscount<'a>,
    /// The sd of its errors about the others' values of no deal.
    pub noise: f64,
    /// The concession exponent β of its scenario entry.
    pub beta: f64,
    /// The initial concession k of its scenario entry.
    pub k: f64,
    /// Its aim at its previous move this run (any meeting), if any.
    pub last_aim: Option<f64>,
    /// The utility to it of the offer put to it most recently at this
    /// meeting, and of the one before.
    pub received: Option<f64>,
    /// See [`Turn::received`].
    pub received_prev: Option<f64>,
    /// Its own utility of its last offer at this meeting.
    pub own_last: Option<f64>,
    pub(crate) own_last_offer: Option<&'a [f64]>,
    /// The offer on the table from a counterpart: (counterpart, its utility
    /// to this party); see [`Turn::standing`].
    pub(crate) standing: Option<(usize, f64)>,
    pub(crate) standing_offer: Option<&'a [f64]>,
    /// The largest share of a DeGroot move (its scenario entry's
    /// `tactic.step`; 0 for other tactics).
    pub step: f64,
    pub(crate) position: &'a [f64],
    pub(crate) last_demand: Option<&'a [f64]>,
    pub(crate) group_mean: Option<&'a [f64]>,
    pub(crate) draws: &'a mut super::streams::Stream,
}

/// The discount over the wait until a party's next move, as a move's
/// context holds it: the power is taken only when a tactic asks for it
/// ([`Turn::discount_next`]; most tactics never do).
#[derive(Debug, Clone, Copy)]
pub(crate) enum NextDiscount<'a> {
    /// No move remains: 1.
    None,
    /// `per_round^rounds`, whole rounds within the meeting.
    Rounds { per_round: f64, rounds: u32 },
    /// `patience^wait`, days until a later meeting: kept in the seat's
    /// `cell` once known (NaN until then) and memoised across runs in
    /// `memo` by the bits of (patience, wait).
    Later {
        patience: f64,
        wait: f64,
        cell: &'a Cell<f64>,
        memo: &'a Cell<Memo2>,
    },
}

impl NextDiscount<'_> {
    /// The discount's value.
    pub(crate) fn get(&self) -> f64 {
        match *self {
            NextDiscount::None => 1.0,
            // powi(1) is the value itself; the call costs more than the rest.
            NextDiscount::Rounds {
                per_round,
                rounds: 1,
            } => per_round,
            NextDiscount::Rounds { per_round, rounds } => per_round.powi(rounds as i32),
            NextDiscount::Later {
                patience,
                wait,
                cell,
                memo,
            } => {
                let d = cell.get();
                if !d.is_nan() {
                    return d;
                }
                let mut m = memo.get();
                let d = m.get(patience, wait, crate::fmath::powf);
                memo.set(m);
                cell.set(d);
                d
            }
        }
    }
}

impl<'a> Turn<'a> {
    /// The discount over the wait until its next move (`1` when none):
    /// `patience^rounds` over whole rounds of this meeting, `patience^days`
    /// (its daily patience) over the days to a follow-up or a later meeting
    /// it attends.
    pub fn discount_next(&self) -> f64 {
        self.discount.get()
    }

    /// The meeting's open agenda (issue indices).
    pub fn agenda(&self) -> &'a [usize] {
        self.frontier.agenda()
    }

    /// Its stated positions, as a full issue vector (the values in force
    /// where it states none).
    pub fn position(&self) -> &'a [f64] {
        self.position
    }

    /// Its last demand or offer this run (any meeting), as a full issue vector.
    pub fn last_demand(&self) -> Option<&'a [f64]> {
        self.last_demand
    }

    /// The mean of the demands the seats held when this round began (each
    /// seat's last demand this run, or its stated positions), where the
    /// protocol has every seat demand at once (simultaneous, mediated).
    pub fn group_mean(&self) -> Option<&'a [f64]> {
        self.group_mean
    }

    /// A uniform draw in `[0, 1)` from the run's sub-stream for tactics
    /// (`docs/model.md`, "Randomness").
    pub fn uniform(&mut self) -> f64 {
        use rand::Rng;
        self.draws.random::<f64>()
    }
}

impl Turn<'_> {
    /// The offer on the table from a counterpart: (counterpart, its utility
    /// to this party, its utility to that counterpart). The last is worked
    /// out when asked.
    pub fn standing(&self) -> Option<(usize, f64, f64)> {
        let (j, to_me) = self.standing?;
        let x = self.standing_offer?;
        Some((j, to_me, self.frontier.other_utility(j, x)))
    }

    /// Its last offer's utility to the counterpart it faces (the proposer of
    /// the standing offer, else the first counterpart).
    pub fn own_last_to_them(&self) -> Option<f64> {
        let j = self.standing.map_or(0, |s| s.0);
        self.own_last_offer
            .map(|x| self.frontier.other_utility(j, x))
    }

    /// Its utility at its own ideal on the agenda (within its red lines).
    pub fn best(&self) -> f64 {
        self.frontier.u_max()
    }

    /// Its utility at the offer best for the others.
    pub fn worst_efficient(&self) -> f64 {
        self.frontier.u_min()
    }

    /// Its lowest utility over every offer within its red lines.
    pub fn worst(&self) -> f64 {
        self.frontier.u_worst()
    }

    /// Number of counterparts at the table.
    pub fn counterparts(&self) -> usize {
        self.frontier.counterparts()
    }

    /// Its ideal offer (full issue vector: its positions on the agenda,
    /// within its red lines; the values in force elsewhere).
    pub fn ideal(&self) -> &[f64] {
        self.frontier.start()
    }

    /// The offer on the table (see [`Turn::standing`]), as a full issue vector.
    pub fn standing_offer(&self) -> Option<&[f64]> {
        self.standing_offer
    }

    /// Its own last offer at this meeting, as a full issue vector.
    pub fn own_last_offer(&self) -> Option<&[f64]> {
        self.own_last_offer
    }

    /// Its utility of any full issue vector `x` that keeps the values in
    /// force off the agenda.
    pub fn own_utility_of(&self, x: &[f64]) -> f64 {
        self.frontier.own_utility(x)
    }

    /// The values it can accept on issue `i` (its private red line), if
    /// `i` is on the agenda.
    pub fn red_lines(&self, i: usize) -> Option<(f64, f64)> {
        let k = self.frontier.agenda().iter().position(|&a| a == i)?;
        Some(self.frontier.bounds(k))
    }

    /// Counterpart `j`'s party index in the model.
    pub fn counterpart_party(&self, j: usize) -> usize {
        self.frontier.counterpart(j)
    }

    /// Counterpart `j`'s value of no deal, as this party estimates it.
    pub fn counterpart_floor(&self, j: usize) -> f64 {
        self.floors[j]
    }

    /// Counterpart `j`'s discount factor per round.
    pub fn counterpart_patience(&self, j: usize) -> f64 {
        self.their_patience[j]
    }

    /// Counterpart `j`'s utility of the efficient offer at `aim`.
    pub fn counterpart_utility_at(&mut self, j: usize, aim: f64) -> f64 {
        let x = &mut *self.scratch;
        self.frontier.offer(aim, x);
        self.frontier.other_utility(j, x)
    }

    /// The efficient offer at `aim` (what the model would put on the table
    /// for that aim), as a full issue vector.
    pub fn offer_at(&mut self, aim: f64) -> Vec<f64> {
        let x = &mut *self.scratch;
        self.frontier.offer(aim, x);
        x.clone()
    }

    /// Its own utility of the efficient offer at `aim` (the aim itself
    /// within `[worst_efficient, best]`, rounded up on discrete issues).
    pub fn own_utility_at(&mut self, aim: f64) -> f64 {
        let x = &mut *self.scratch;
        self.frontier.offer(aim, x);
        self.frontier.own_utility(x)
    }

    /// The highest aim whose offer leaves every counterpart at least what
    /// this party estimates its value of no deal to be; `None` when no
    /// offer does (it sees no bargaining range).
    pub fn max_leaving_others(&mut self) -> Option<f64> {
        let x = &mut *self.scratch;
        self.frontier.max_leaving(self.floors, x)
    }

    /// The highest aim whose offer leaves counterpart `j` at least `floor`
    /// (the others at their estimated values of no deal).
    pub fn max_leaving(&mut self, j: usize, floor: f64) -> Option<f64> {
        let mut floors: Vec<f64> = self.floors.to_vec();
        floors[j] = floor;
        let x = &mut *self.scratch;
        self.frontier.max_leaving(&floors, x)
    }
}

/// A party's bidding and acceptance strategy.
///
/// The model calls [`Tactic::aim`] whenever the party proposes (and, for
/// AC_next, to learn what it would ask at its next move), then builds the
/// efficient offer at that aim; it calls [`Tactic::accepts`] on every offer
/// put to the party that respects its red lines and its value of no deal.
/// `aim` must not change the tactic's state (it is asked about the next move
/// too); memory belongs in [`Tactic::proposed`] and [`Tactic::observe`].
pub trait Tactic: fmt::Debug + Send {
    /// The tactic's name, as in scenario files.
    fn name(&self) -> &str;

    /// Called at the start of each run.
    fn reset(&mut self) {}

    /// The utility the party asks for at this move (`When::Now`) or would
    /// ask for at its next (`When::Next`).
    fn aim(&mut self, turn: &mut Turn<'_>, when: When) -> f64;

    /// Whether the party accepts an offer worth `u` to it. Default: AC_next
    /// with discounting ([`super::acceptance::ac_next`]).
    fn accepts(&mut self, turn: &mut Turn<'_>, u: f64) -> bool {
        let next = self.aim(turn, When::Next);
        super::acceptance::ac_next(turn, u, next)
    }

    /// An explicit offer instead of an aim, for a tactic that chooses
    /// settlements rather than utilities (a person at the table): write it
    /// into `out` (a full issue vector; it arrives holding the party's ideal
    /// offer, [`Turn::ideal`]) and return true, and the offer is put on the
    /// table as it is (values clamped into `[0, 1]` and snapped to discrete
    /// issues' grids, the values in force kept off the agenda), in place of
    /// the efficient offer at [`Tactic::aim`]; the aim it is recorded with
    /// is its utility. Default: false, the model builds the offer from the aim.
    fn offer(&mut self, _turn: &mut Turn<'_>, _out: &mut [f64]) -> bool {
        false
    }

    /// Whether the party leaves the table after a round without agreement:
    /// `Some(true)` it walks out, `Some(false)` it stays, `None` (the
    /// default) the model's walkout rule decides (`docs/model.md`, section 8).
    fn walks_out(&mut self) -> Option<bool> {
        None
    }

    /// A demand made directly as a settlement rather than as the efficient
    /// offer at an aim, by a tactic of the model (DeGroot's averaging): write
    /// it into `out` (a full issue vector; only agenda issues count) and
    /// return `true`. Unlike [`Tactic::offer`], the model's rules still hold:
    /// the demand is snapped to discrete issues' grids, and replaced by the
    /// standing offer when that is acceptable and worth more to the party.
    /// Asked only when [`Tactic::offer`] returned false. Default: `false`,
    /// and the model offers the frontier's offer at [`Tactic::aim`].
    fn demand(&mut self, _turn: &mut Turn<'_>, _out: &mut [f64]) -> bool {
        false
    }

    /// Whether the tactic concedes along the frontier of efficient offers
    /// (asks for [`Turn::worst_efficient`], or leaves its offers to
    /// [`Tactic::aim`]). A tactic that makes every demand itself
    /// ([`Tactic::demand`] or [`Tactic::offer`] always true) may return
    /// false, and the model then builds only its ideal offer, not the
    /// concession path; the offer it makes and everything it is told are
    /// the same either way. Default: true.
    fn uses_frontier(&self) -> bool {
        true
    }

    /// Whether the party may accept an offer by itself, through
    /// [`Tactic::accepts`]. A tactic that agrees only when a meeting's
    /// consensus rule settles it (DeGroot) returns false, and `accepts` is
    /// then never asked (it would say no). Under NegMAS's clock the
    /// acceptance band decides and this is not asked. Default: true.
    fn accepts_offers(&self) -> bool {
        true
    }

    /// The party proposed with this aim.
    fn proposed(&mut self, _aim: f64) {}

    /// An offer worth `u` to the party was put to it.
    fn observe(&mut self, _u: f64) {}
}

/// The built-in tactic of a scenario's `tactic` key.
pub fn builtin(kind: TacticKind) -> Box<dyn Tactic> {
    Box::new(Seated::builtin(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each built-in tactic answers to the name a scenario file gives it
    /// (`tactic = "…"`, the snake_case spelling of its `TacticKind`).
    #[test]
    fn builtin_tactics_carry_their_scenario_names() {
        let names = [
            (TacticKind::Boulware, "boulware"),
            (TacticKind::Conceder, "conceder"),
            (TacticKind::Linear, "linear"),
            (TacticKind::TitForTat, "tit_for_tat"),
            (TacticKind::Hardliner, "hardliner"),
            (TacticKind::Zeuthen, "zeuthen"),
            (TacticKind::Rubinstein, "rubinstein"),
            (TacticKind::RiskReturn, "risk_return"),
            (TacticKind::DeGroot, "degroot"),
        ];
        for (kind, name) in names {
            assert_eq!(builtin(kind).name(), name, "{kind:?}");
            // A world holds each built-in by value, not behind the trait.
            let seated = Seated::builtin(kind);
            assert!(!matches!(seated, Seated::Custom(_)), "{kind:?}");
            assert_eq!(seated.name(), name, "{kind:?}");
        }
    }

    /// Only DeGroot, which agrees by consensus alone, tells the model not
    /// to ask it about offers; every other built-in may accept one.
    #[test]
    fn only_degroot_accepts_no_offer_by_itself() {
        for kind in [
            TacticKind::Boulware,
            TacticKind::Conceder,
            TacticKind::Linear,
            TacticKind::TitForTat,
            TacticKind::Hardliner,
            TacticKind::Zeuthen,
            TacticKind::Rubinstein,
            TacticKind::RiskReturn,
            TacticKind::DeGroot,
        ] {
            let want = kind != TacticKind::DeGroot;
            assert_eq!(builtin(kind).accepts_offers(), want, "{kind:?}");
            assert_eq!(Seated::builtin(kind).accepts_offers(), want, "{kind:?}");
        }
    }

    /// The discount a move's context works out when asked has the value the
    /// table computed for every move before it was made lazy: 1 with no
    /// move left, `per_round^rounds` within the meeting, `patience^wait`
    /// to a later meeting, kept in the seat's cell once known and
    /// memoised across runs by the bits of (patience, wait).
    #[test]
    fn the_next_discount_is_worked_out_when_asked() {
        assert_eq!(NextDiscount::None.get(), 1.0);
        let one = NextDiscount::Rounds {
            per_round: 0.93,
            rounds: 1,
        };
        assert_eq!(one.get().to_bits(), 0.93f64.to_bits());
        let three = NextDiscount::Rounds {
            per_round: 0.93,
            rounds: 3,
        };
        assert_eq!(three.get().to_bits(), 0.93f64.powi(3).to_bits());
        let (cell, memo) = (Cell::new(f64::NAN), Cell::new(Memo2::EMPTY));
        let later = NextDiscount::Later {
            patience: 0.99,
            wait: 17.5,
            cell: &cell,
            memo: &memo,
        };
        let want = crate::fmath::powf(0.99, 17.5);
        assert_eq!(later.get().to_bits(), want.to_bits());
        assert_eq!(cell.get().to_bits(), want.to_bits(), "kept in the seat");
        // Once known, the seat's value is what is read.
        cell.set(0.5);
        assert_eq!(later.get(), 0.5);
        // A new seat with the same patience and wait reads the memo's bits.
        let fresh = Cell::new(f64::NAN);
        let again = NextDiscount::Later {
            patience: 0.99,
            wait: 17.5,
            cell: &fresh,
            memo: &memo,
        };
        assert_eq!(again.get().to_bits(), want.to_bits());
    }
}
