//! `negsim play`: a student plays one party through the meeting calendar,
//! the others follow the model, and at the end sees where what they got
//! falls among what the model got in their seat: in the same run, and over
//! a batch of runs.
//!
//! The student sits at the table as a [`Tactic`](crate::model::Tactic)
//! ([`human::Human`]: explicit offers, answers and walkouts typed in), and
//! the run is told as it happens through a trace sink
//! ([`console::Live`]). What a party gets is its value of the state at the
//! end, as the model reckons it ([`payoff`]).

pub mod console;
pub mod human;
pub mod moves;

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    tactic::builtin, Model, Outcome, RunResult, Runner, TraceKind, TraceRow, TraceSink,
};
use crate::narrate::date_of;
use crate::output::terminal_safe;
use crate::scenario::Clock;
use console::{Console, Live};
use human::Human;

/// A game: a scenario, the student's party, and the run to play.
#[derive(Debug, Clone, PartialEq)]
pub struct Game {
    /// The model.
    pub model: Arc<Model>,
    /// The student's party.
    pub party: usize,
    /// Master seed.
    pub seed: u64,
    /// The run (its draws: red lines, costs, patience, events).
    pub run: u64,
    /// Runs of the model in the student's seat to compare with.
    pub batch: u64,
}

/// How a game went, and how the model did in the same seat.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    /// The run's outcome and end day with the student at the table.
    pub outcome: Outcome,
    /// Its end day.
    pub end_day: u32,
    /// What the student's party got.
    pub yours: f64,
    /// The same run with the model in the seat: outcome, end day, what it got.
    pub model_run: (Outcome, u32, f64),
    /// What the model got in the seat in each run of the batch.
    pub batch: Vec<f64>,
}

/// Keeps the war a run started, if any: (initiator, conflict).
struct WarWatch(Arc<Mutex<Option<(usize, usize)>>>);

impl TraceSink for WarWatch {
    fn record(&mut self, row: &TraceRow, _offer: Option<&[f64]>) {
        if row.kind == TraceKind::Escalation {
            if let Ok(mut w) = self.0.lock() {
                *w = row.party.zip(row.subject);
            }
        }
    }
}

/// What party `p` got in the run `runner` just played: its value of the war
/// when the run ended in one it can name (`war`: initiator and conflict),
/// else its value of the state in force (settled issues, the status quo
/// elsewhere, less the sanctions in force on it).
pub fn payoff(runner: &Runner<'_>, war: Option<(usize, usize)>, p: usize) -> f64 {
    let world = runner.world();
    let model = world.model();
    let option = war.and_then(|(i, c)| {
        model
            .war_options
            .iter()
            .position(|o| o.initiator == i && o.conflict == c)
    });
    match option {
        Some(o) => world.war_value(o, p),
        None => world.in_force_value(p),
    }
}

fn engine_error(run: u64) -> impl Fn(crate::engine::EngineError) -> Error {
    move |source| Error::new(ErrorKind::Engine { run, source })
}

impl Game {
    /// A game of `model` with the student as party `party`; an error (a
    /// usage error) names the parties that can be played when this one has
    /// no seat at any meeting.
    pub fn new(model: Model, party: &str, seed: u64, run: u64, batch: u64) -> Result<Game> {
        let seated: Vec<usize> = (0..model.parties.len())
            .filter(|&p| model.meetings.iter().any(|m| m.units.contains(&p)))
            .collect();
        let names = || {
            seated
                .iter()
                .map(|&p| model.parties[p].id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(p) = model.party_index(party) else {
            let hint = crate::error::suggest(party, model.parties.iter().map(|p| p.id.as_str()))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(Error::usage(format!(
                "--as {party}: no such party; the parties with a seat are: {}{hint}",
                names()
            )));
        };
        if !seated.contains(&p) {
            return Err(Error::usage(format!(
                "--as {party}: {party} has no seat at any meeting (a bloc's lead speaks for it, a \
                 mediator only mediates); the parties with a seat are: {}",
                names()
            )));
        }
        if let Some(m) = model
            .meetings
            .iter()
            .find(|m| m.units.contains(&p) && m.clock == Clock::Negmas)
        {
            return Err(Error::usage(format!(
                "--as {party}: meeting {} uses NegMAS's clock, whose acceptance rule is not the \
                 party's choice; play a scenario on negsim's clock",
                m.id
            )));
        }
        Ok(Game {
            model: Arc::new(model),
            party: p,
            seed,
            run,
            batch,
        })
    }

    /// The briefing before the first move: who the student is and what the
    /// calendar holds.
    pub fn briefing(&self) -> String {
        let m = &self.model;
        let p = &m.parties[self.party];
        let mut s = String::new();
        let _ = writeln!(s, "{}", terminal_safe(&m.name));
        let _ = writeln!(
            s,
            "You are {} ({}); the other parties follow the model. Run {}, seed {}.",
            p.id,
            terminal_safe(if p.name.is_empty() { &p.id } else { &p.name }),
            self.run,
            self.seed
        );
        let _ = writeln!(s, "Your meetings:");
        for meeting in m
            .meetings
            .iter()
            .filter(|mt| mt.units.contains(&self.party))
        {
            let others: Vec<&str> = meeting
                .units
                .iter()
                .filter(|&&u| u != self.party)
                .map(|&u| m.parties[u].id.as_str())
                .collect();
            let agenda: Vec<&str> = meeting
                .agenda
                .iter()
                .map(|&i| m.issues[i].id.as_str())
                .collect();
            let _ = writeln!(
                s,
                "  {} {}: with {}; {}; agenda {}",
                date_of(m, meeting.day),
                meeting.id,
                others.join(", "),
                meeting
                    .rounds
                    .map_or("open-ended".to_string(), |r| format!("{r} rounds")),
                agenda.join(", ")
            );
        }
        if m.can_start_war(self.party) {
            let _ = writeln!(
                s,
                "You may start a war; the model decides at each decision point whether you do."
            );
        }
        let _ = writeln!(s, "Type `help` at any prompt for the moves.");
        s
    }

    /// Plays the game at `console`: the student's run, then the same run and
    /// the batch with the model in the seat.
    pub fn play(&self, console: Arc<Mutex<Console>>) -> Result<Played> {
        let model = &*self.model;
        if let Ok(mut c) = console.lock() {
            c.say(&self.briefing());
        }
        let mut runner = Runner::new(model, self.seed);
        let own = builtin(model.parties[self.party].tactic);
        let human = Human::new(
            Arc::clone(&console),
            Arc::clone(&self.model),
            self.party,
            own,
        );
        runner
            .set_tactic(&model.parties[self.party].id, Box::new(human))
            .map_err(Error::usage)?;
        runner.set_trace_sink(Some(Box::new(Live::new(
            Arc::clone(&console),
            Arc::clone(&self.model),
            self.party,
        ))));
        let res = runner.run(self.run).map_err(engine_error(self.run))?;
        let war = console.lock().ok().and_then(|c| c.war);
        let yours = payoff(&runner, war, self.party);

        let mut model_runner = Runner::new(model, self.seed);
        let watch = Arc::new(Mutex::new(None));
        model_runner.set_trace_sink(Some(Box::new(WarWatch(Arc::clone(&watch)))));
        let mut seat = |r: u64| -> Result<(RunResult, f64)> {
            if let Ok(mut w) = watch.lock() {
                *w = None;
            }
            let res = model_runner.run(r).map_err(engine_error(r))?;
            let war = watch.lock().ok().and_then(|w| *w);
            Ok((res, payoff(&model_runner, war, self.party)))
        };
        let (same, got) = seat(self.run)?;
        let mut batch = Vec::with_capacity(self.batch as usize);
        for r in 0..self.batch {
            batch.push(seat(r)?.1);
        }
        Ok(Played {
            outcome: res.outcome(),
            end_day: res.end_day,
            yours,
            model_run: (same.outcome(), same.end_day, got),
            batch,
        })
    }
}

impl Played {
    /// The end of the game in words, with a histogram of the batch and the
    /// student's place in it.
    pub fn summary(&self, game: &Game) -> String {
        let m = &game.model;
        let id = &m.parties[game.party].id;
        let mut s = String::new();
        let _ = writeln!(s, "\n== the end ==");
        let _ = writeln!(
            s,
            "outcome: {} on day {} ({})",
            self.outcome,
            self.end_day,
            date_of(m, f64::from(self.end_day))
        );
        let _ = writeln!(
            s,
            "you ({id}) got {:.3}: {}",
            self.yours,
            if self.outcome == Outcome::Conflict {
                "your value of the war (its lottery, less its costs and the sanctions answering it)"
            } else {
                "your utility of what is in force at the end (settled issues, the status quo elsewhere), less sanctions on you"
            }
        );
        let (o, d, got) = self.model_run;
        let _ = writeln!(
            s,
            "the model in your seat, same run: {o} on day {d}, and got {got:.3} ({})",
            compare(self.yours, got)
        );
        let n = self.batch.len();
        if n == 0 {
            return s;
        }
        let mut sorted = self.batch.clone();
        sorted.sort_by(f64::total_cmp);
        let q = |p: f64| sorted[((p * (n - 1) as f64).round() as usize).min(n - 1)];
        let below = sorted
            .iter()
            .filter(|&&v| shown(v) < shown(self.yours))
            .count();
        let equal = sorted
            .iter()
            .filter(|&&v| shown(v) == shown(self.yours))
            .count();
        let _ = writeln!(
            s,
            "the model in your seat over {n} runs (seed {}): median {:.3}, quartiles {:.3} / {:.3}, range {:.3} to {:.3}",
            game.seed,
            q(0.5),
            q(0.25),
            q(0.75),
            sorted[0],
            sorted[n - 1]
        );
        let pc = |k: usize| 100.0 * k as f64 / n as f64;
        let _ = writeln!(
            s,
            "you did better than {:.1}% of them, as well as {:.1}%, worse than {:.1}%",
            pc(below),
            pc(equal),
            pc(n - below - equal)
        );
        s.push_str(&histogram(&sorted, self.yours));
        s
    }
}

/// A utility as the student reads it, to three decimals: values that print
/// the same count as the same (a Zeuthen settlement reached a rounding
/// apart is not "more than you").
fn shown(v: f64) -> i64 {
    (v * 1000.0).round() as i64
}

fn compare(yours: f64, theirs: f64) -> &'static str {
    if shown(yours) == shown(theirs) {
        "as much as you"
    } else if yours > theirs {
        "less than you"
    } else {
        "more than you"
    }
}

/// A text histogram of `sorted` (ascending) with `you` marked.
fn histogram(sorted: &[f64], you: f64) -> String {
    const BINS: usize = 12;
    const BAR: usize = 40;
    let (lo, hi) = (sorted[0].min(you), sorted[sorted.len() - 1].max(you));
    if shown(hi) == shown(lo) {
        // Everyone, the student included, got the same: one bar says it.
        return format!(
            "  {lo:>7.3} | {} {:>5}  <- you\n",
            "#".repeat(BAR),
            sorted.len()
        );
    }
    let w = (hi - lo) / BINS as f64;
    let bin = |v: f64| (((v - lo) / w) as usize).min(BINS - 1);
    let mut counts = [0usize; BINS];
    for &v in sorted {
        counts[bin(v)] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(1).max(1);
    let mut s = String::new();
    for (k, &c) in counts.iter().enumerate() {
        let from = lo + k as f64 * w;
        let bar = "#".repeat((c * BAR).div_ceil(top).min(BAR));
        let mark = if bin(you) == k { "  <- you" } else { "" };
        let _ = writeln!(s, "  {from:>7.3} | {bar:<BAR$} {c:>5}{mark}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSource;

    fn founding() -> Model {
        let src = ScenarioSource::from_path("scenarios/jan-2022-security-talks.toml", &[]).unwrap();
        Model::compile(&src.scenario)
    }

    #[test]
    fn only_a_party_with_a_seat_can_be_played() {
        let e = Game::new(founding(), "osce", 1, 0, 10).unwrap_err();
        assert!(e.is_input_error());
        assert!(e.to_string().contains("osce has no seat"), "{e}");
        assert!(
            e.to_string()
                .contains("russia, united_states, nato_allies, eu, ukraine"),
            "{e}"
        );
        let e = Game::new(founding(), "rusia", 1, 0, 10).unwrap_err();
        assert!(e.to_string().contains("did you mean `russia`"), "{e}");
        assert_eq!(Game::new(founding(), "ukraine", 1, 0, 10).unwrap().party, 4);
    }

    #[test]
    fn utilities_that_print_the_same_compare_the_same() {
        assert_eq!(compare(0.61803, 0.61812), "as much as you");
        assert_eq!(compare(0.618, 0.619), "more than you");
        assert_eq!(compare(0.62, 0.619), "less than you");
    }

    #[test]
    fn the_histogram_marks_the_student() {
        let h = histogram(&[0.1, 0.2, 0.2, 0.3], 0.25);
        assert_eq!(h.lines().count(), 12);
        assert_eq!(h.matches("<- you").count(), 1);
        assert!(h.lines().next().unwrap().starts_with("    0.100 |"));
        // No spread: one line, not twelve with the same label.
        let flat = histogram(&[0.474; 20], 0.4741);
        assert_eq!(flat.lines().count(), 1, "{flat}");
        assert!(flat.contains("   20  <- you"), "{flat}");
    }
}
