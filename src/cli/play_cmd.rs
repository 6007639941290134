//! `negsim play`: a student plays one party in the terminal, reading moves
//! from the keyboard, a file, or standard input when it is not a terminal.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clap::Args;

use super::parse_overrides;
use crate::error::{Error, Result, STDOUT};
use crate::limits::Limits;
use crate::model::Model;
use crate::play::console::Console;
use crate::play::Game;
use crate::scenario::ScenarioSource;

/// `negsim play`.
#[derive(Debug, Args, Clone, PartialEq)]
#[command(after_help = "Examples:
  negsim play scenarios/textbook/rubinstein.toml --as a
  negsim play scenarios/jan-2022-security-talks.toml --as russia --run 59
  negsim play SCENARIO --as b --moves moves.txt        (one move a line; `help` lists them)

Moves: ISSUE=VALUE ... (an offer), aim U, accept, reject, walk, hint, show, help.
When the moves run out, the model plays the party to the end.")]
pub struct PlayArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// The party you play (its id).
    #[arg(long = "as", value_name = "PARTY")]
    pub party: String,
    /// Master seed (default: the scenario's, else 0).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Which run's draws to play (its row in the runs CSV).
    #[arg(long, default_value_t = 0)]
    pub run: u64,
    /// Read the moves from this file instead of standard input.
    #[arg(long, value_name = "FILE")]
    pub moves: Option<PathBuf>,
    /// Runs of the model in your seat to compare with.
    #[arg(long, default_value_t = 1000)]
    pub batch: u64,
    /// Override a scenario value by path.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Raise (or lower) a limit on purpose (see docs/scenario-format.md, "Limits").
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limit: Vec<String>,
}

/// Loads the scenario and seats the student.
pub fn game_from_args(args: &PlayArgs) -> Result<Game> {
    let limits = Limits::from_settings(&args.limit)?;
    let overrides = parse_overrides(&args.set)?;
    if args.batch > limits.runs {
        return Err(limits.usage_error(&format!("--batch {}", args.batch), "runs", args.batch));
    }
    let source = ScenarioSource::from_path_within(&args.scenario, &overrides, &limits)?;
    let model = Model::compile(&source.scenario);
    let seed = args.seed.unwrap_or(model.default_seed);
    Game::new(model, &args.party, seed, args.run, args.batch)
}

pub(super) fn play(args: &PlayArgs) -> Result<()> {
    let game = game_from_args(args)?;
    let (input, echo): (Box<dyn BufRead + Send>, bool) = match &args.moves {
        Some(p) => {
            let f = std::fs::File::open(p).map_err(|e| Error::io(p, e))?;
            (Box::new(std::io::BufReader::new(f)), true)
        }
        None => {
            let tty = std::io::stdin().is_terminal();
            (Box::new(std::io::BufReader::new(std::io::stdin())), !tty)
        }
    };
    let console = Arc::new(Mutex::new(Console::new(
        input,
        Box::new(std::io::stdout()),
        echo,
    )));
    let played = game.play(Arc::clone(&console))?;
    let mut c = console
        .lock()
        .map_err(|_| Error::usage("the console failed"))?;
    c.say(&played.summary(&game));
    c.finish().map_err(|e| Error::io(STDOUT, e))
}
