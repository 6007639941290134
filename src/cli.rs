//! The command line: clap structures that mirror the flags, their conversion
//! into library configuration, and the commands themselves.
//!
//! One file per command (`run_cmd`, `validate_cmd`, `sweep_cmd`, …), and
//! apart from them what every command shares: `print` (standard output and
//! error, [`Report`]), `progress` (the progress bar), `exit` (exit codes).

use clap::{Args, Parser, Subcommand};

use crate::error::{Error, Result, STDOUT};
use crate::scenario::Override;
use print::write_stdout;
use score_cmd::ScoreArgs;

mod analyze_cmd;
mod exit;
mod merge_cmd;
mod play_cmd;
mod print;
mod progress;
mod report_cmd;
mod rerun_cmd;
mod run_cmd;
mod score_cmd;
mod signals;
mod sweep_cmd;
mod sweep_table;
mod trace_cmd;
mod validate_cmd;

pub use analyze_cmd::{AnalysisFlags, AnalyzeArgs};
pub use exit::{clap_exit, exit_code};
pub use merge_cmd::MergeArgs;
pub use play_cmd::{game_from_args, PlayArgs};
pub use print::{print_err, print_out, write_json, Report};
pub use progress::{Progress, ProgressMode};
pub use report_cmd::{ReportArgs, ReportConfig, ReportInput};
pub use rerun_cmd::RerunArgs;
pub use run_cmd::{run, run_provenance, RunArgs, RunConfig};
pub use signals::interrupt_flag;
pub use sweep_cmd::SweepArgs;
pub use trace_cmd::{write_trace, TraceArgs, TraceConfig, TraceFormat};
pub use validate_cmd::{Failures, ValidateArgs};

/// negsim: negotiation scenario simulator.
#[derive(Debug, Parser)]
#[command(name = "negsim", version, about, long_about = None)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files; print `ok: FILE` for each good one.
    Validate(ValidateArgs),
    /// Run a scenario many times and summarise the outcomes.
    Run(RunArgs),
    /// Narrate one run, meeting by meeting.
    Trace(TraceArgs),
    /// Run a scenario over a design of parameter values.
    Sweep(Box<SweepArgs>),
    /// Merge the shard files of a sweep into the file one machine would write.
    Merge(MergeArgs),
    /// Sensitivity analysis (Morris, Sobol') and scenario discovery (PRIM) of a sweep.
    Analyze(Box<AnalyzeArgs>),
    /// Write a self-contained HTML report with charts, of a batch or a sweep.
    Report(Box<ReportArgs>),
    /// Play one party yourself, through the calendar, against the model.
    Play(Box<PlayArgs>),
    /// Score scenarios against what really happened (their `[observed]` tables).
    Score(ScoreArgs),
    /// Reproduce a result file from its FILE.meta.json and say whether it is byte-identical.
    Rerun(RerunArgs),
    /// Print a shell completion script: `negsim completions bash > /etc/bash_completion.d/negsim`.
    Completions(CompletionsArgs),
    /// Print the man page (roff): `negsim man > ~/.local/share/man/man1/negsim.1`.
    Man,
    /// Print the JSON Schema of the scenario format, for editors (docs/scenario-format.md).
    Schema,
}

/// `negsim completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The command line as given, for sidecars.
pub fn command_line() -> Vec<String> {
    std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// Parses `--set` strings.
pub fn parse_overrides(set: &[String]) -> Result<Vec<Override>> {
    set.iter().map(|s| s.parse()).collect()
}

/// Runs a parsed command line. Returns the process exit code on success.
pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Validate(a) => validate_cmd::validate(&a),
        Command::Run(a) => run(&RunConfig::from_args(&a)?),
        Command::Trace(a) => trace_cmd::trace(&a),
        Command::Sweep(a) => sweep_cmd::sweep(&a),
        Command::Merge(a) => merge_cmd::merge(&a),
        Command::Analyze(a) => analyze_cmd::analyze(&a),
        Command::Report(a) => report_cmd::report(&a),
        Command::Play(a) => play_cmd::play(&a),
        Command::Score(a) => score_cmd::score_cmd(&a),
        Command::Rerun(a) => rerun_cmd::rerun(&a),
        Command::Completions(a) => {
            let mut out = Vec::new();
            clap_complete::generate(
                a.shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "negsim",
                &mut out,
            );
            write_stdout(&String::from_utf8_lossy(&out))
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .map_err(|e| Error::io(STDOUT, e))?;
            write_stdout(&String::from_utf8_lossy(&out))
        }
        Command::Schema => {
            let mut text = serde_json::to_string_pretty(&crate::scenario::schema::json_schema())
                .expect("the schema serializes");
            text.push('\n');
            write_stdout(&text)
        }
    }
}
