//! A tactic of your own, without editing negsim: a "split the difference"
//! negotiator that always asks for the midpoint between its best and its
//! value of no deal, and accepts by negsim's default rule (AC_next).
//!
//! It implements the public [`Tactic`] trait, takes party `a`'s seat in the
//! textbook Rubinstein scenario, and plays a batch of runs against `b`'s
//! subgame-perfect strategy:
//!
//! ```sh
//! cargo run --example custom_tactic
//! ```

use negsim::model::tactic::When;
use negsim::model::{Model, Runner, Tactic, Turn};
use negsim::scenario::ScenarioSource;

/// Asks for half of what it believes the table can give it above no deal.
#[derive(Debug, Default)]
struct SplitTheDifference {
    moves: u32,
}

impl Tactic for SplitTheDifference {
    fn name(&self) -> &str {
        "split_the_difference"
    }

    fn reset(&mut self) {
        self.moves = 0;
    }

    fn aim(&mut self, turn: &mut Turn<'_>, _when: When) -> f64 {
        // The most it can get while leaving the others their value of no
        // deal, as it estimates them; its best if it sees no range.
        let top = turn.max_leaving_others().unwrap_or_else(|| turn.best());
        turn.no_deal + 0.5 * (top - turn.no_deal)
    }

    fn proposed(&mut self, _aim: f64) {
        self.moves += 1;
    }
}

/// Plays `runs` runs of the Rubinstein scenario with `a` splitting the
/// difference; returns a's mean settled share.
fn play(runs: u64) -> Result<f64, Box<dyn std::error::Error>> {
    let src = ScenarioSource::from_path("scenarios/textbook/rubinstein.toml", &[])?;
    let model = Model::compile(&src.scenario);
    let mut runner = Runner::new(&model, 1982);
    runner.set_tactic("a", Box::new(SplitTheDifference::default()))?;
    let mut total = 0.0;
    for r in 0..runs {
        let result = runner.run(r)?;
        total += result.settled[0].unwrap_or(0.0);
    }
    Ok(total / runs as f64)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let share = play(100)?;
    println!("a splits the difference and gets {share:.4} of the pie on average");
    println!("(Rubinstein's equilibrium share for the first proposer at 0.9 / 0.9: 0.5263)");
    Ok(())
}

#[test]
fn the_custom_tactic_takes_its_seat_and_plays() {
    // b's equilibrium strategy accepts any share it would get by rejecting
    // (0.9 * 0.5263 of the pie as next proposer): half the pie meets that,
    // so a's first offer settles at exactly one half.
    let share = play(10).unwrap();
    assert!((share - 0.5).abs() < 1e-9, "share {share}");
}
