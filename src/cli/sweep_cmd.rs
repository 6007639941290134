//! `negsim sweep`: its flags and the [`SweepConfig`] they become. The
//! conversion is in `config` (with `outputs`, `design` and `analyze`, the
//! checks of each part, and `sweep_file` for `--sweep-file`); running it is in
//! `run` (its terminal table is in `sweep_table`). The work itself is in
//! [`crate::sweep`].

use std::path::PathBuf;

use clap::Args;

use super::{ProgressMode, Report};
use crate::analysis::AnalysisRequest;
use crate::error::{Error, Result};
use crate::output::FileFormat;
use crate::sweep::{Sweep, SweepOutputs};

mod analyze;
mod config;
mod design;
mod outputs;
mod run;
mod sweep_file;

pub use run::run;

/// Runs per design point when neither the command line, the sweep nor the
/// scenario says.
pub const DEFAULT_RUNS_PER_POINT: u64 = 100;

/// `negsim sweep`.
#[derive(Debug, Args, Clone, PartialEq, Default)]
#[command(after_help = "Examples:
  negsim sweep SCENARIO --vary parties.russia.patience=0.80..0.98:10 --runs 500 --out runs.csv
  negsim sweep SCENARIO --design lhs --points 2000 --vary K=LO..HI... --out r.csv --analyze
  negsim sweep SCENARIO --design morris --trajectories 20 --vary K=LO..HI... --out r.csv --analyze
  negsim sweep SCENARIO --design sobol --base-points 1024 --vary K=LO..HI... --out r.csv --analyze
  negsim sweep SCENARIO --design sobol --base-points 1024 --vary K=LO..HI... --write-design d.csv
  negsim sweep SCENARIO --design-file d.csv --runs 50 --out r.csv --shard 0/4 --resume

Designs and analyses: docs/sweep.md and docs/sensitivity.md.
Exit codes: 0 success, 2 bad input or usage, 1 anything else.")]
pub struct SweepArgs {
    /// Scenario file (TOML); `-` reads it from standard input.
    pub scenario: PathBuf,
    /// A varied parameter, KEY=SPEC: `0.2..0.9:8` (8 values, ends included),
    /// `[0.1, 0.3, 0.5]`, or `0.2..0.9` for lhs/random designs. Repeat per key.
    #[arg(long, value_name = "KEY=SPEC")]
    pub vary: Vec<String>,
    /// Design: grid (full factorial, first key slowest), lhs, random, morris or sobol.
    #[arg(long, value_name = "grid|lhs|random|morris|sobol")]
    pub design: Option<String>,
    /// Number of design points (required for lhs and random).
    #[arg(long, value_name = "M")]
    pub points: Option<usize>,
    /// Runs per design point (default: the sweep's, else the scenario's, else 100).
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed, for the runs and the design (default: the scenario's, else 0).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Write the runs CSV here (`-` for standard output), with FILE.meta.json beside it.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the per-point summary CSV here.
    #[arg(long)]
    pub summary: Option<PathBuf>,
    /// Run only shard I of N (0-based), or `auto` from Slurm / Kubernetes.
    #[arg(long, value_name = "I/N|auto")]
    pub shard: Option<String>,
    /// Number of shards, for `--shard auto` in a Kubernetes indexed Job.
    #[arg(long, value_name = "N")]
    pub shards: Option<usize>,
    /// Continue an interrupted sweep from FILE.partial (or keep a finished FILE).
    #[arg(long)]
    pub resume: bool,
    /// Fix a scenario value by path: `parties.russia.patience=0.9`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Read `vary`, `design`, `points` and `runs` from a TOML file (the keys of `[sweep]`).
    #[arg(long, value_name = "FILE")]
    pub sweep_file: Option<PathBuf>,
    /// Raise (or lower) a limit on purpose: `design_values=50000000` (see docs/scenario-format.md, "Limits").
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limit: Vec<String>,
    /// When to show the progress bar on a terminal.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
    /// Write CSV cells as they are, without the formula guard (see `negsim run --help`).
    #[arg(long)]
    pub raw_csv: bool,
    /// Morris: levels of each key's grid (even; default 4).
    #[arg(long, value_name = "P")]
    pub levels: Option<usize>,
    /// Morris: number of trajectories (default 10).
    #[arg(long, value_name = "R")]
    pub trajectories: Option<usize>,
    /// Morris: keep the R most spread-out of M candidate trajectories
    /// (Campolongo et al. 2007's improved spread).
    #[arg(long, value_name = "M")]
    pub candidates: Option<usize>,
    /// Sobol: base points N (N (k + 2) design points, N (2k + 2) with --second-order).
    #[arg(long, value_name = "N")]
    pub base_points: Option<usize>,
    /// Sobol: add the points that second-order indices need.
    #[arg(long)]
    pub second_order: bool,
    /// Sobol: scrambled (default) or plain Sobol' sequence.
    #[arg(long, value_name = "scrambled|plain")]
    pub sequence: Option<String>,
    /// Run the design in this CSV file: a header of keys, one row of values per
    /// point (as SALib or the EMA Workbench write them).
    #[arg(long, value_name = "FILE.csv")]
    pub design_file: Option<PathBuf>,
    /// Write the design to this CSV file (one column per key) and stop: nothing runs.
    #[arg(long, value_name = "FILE.csv")]
    pub write_design: Option<PathBuf>,
    /// After the sweep, analyse its runs CSV (needs --out FILE and the whole
    /// design): Morris for morris designs, Sobol' for sobol, PRIM otherwise.
    #[arg(long)]
    pub analyze: bool,
    /// --analyze: the output, an outcome or a numeric column (default conflict).
    #[arg(long, value_name = "OUTCOME|COLUMN")]
    pub analyze_output: Option<String>,
    /// --analyze: the method, morris, sobol or prim.
    #[arg(long, value_name = "morris|sobol|prim")]
    pub analyze_method: Option<String>,
    /// --analyze: write the analysis as tidy CSV here.
    #[arg(long, value_name = "FILE")]
    pub analysis_out: Option<PathBuf>,
    /// File format of --out and --summary (default: Parquet for a name ending
    /// in `.parquet`, else CSV).
    #[arg(long, value_enum)]
    pub format: Option<FileFormat>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print a machine-readable summary (JSON) on standard output instead of the table.
    #[arg(long, conflicts_with = "quiet")]
    pub json: bool,
}

/// Everything `negsim sweep` needs, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepConfig {
    /// The sweep.
    pub sweep: Sweep,
    /// Threads (0: all cores).
    pub threads: usize,
    /// Outputs, resume and the command line.
    pub outputs: SweepOutputs,
    /// When to show the progress bar.
    pub progress: ProgressMode,
    /// CSV cells as they are (no formula guard).
    pub raw_csv: bool,
    /// `--write-design`: write the design here instead of running it.
    pub write_design: Option<PathBuf>,
    /// `--analyze`: the analysis to run on the runs CSV, and where its CSV goes.
    pub analyze: Option<(AnalysisRequest, Option<PathBuf>)>,
    /// What to print on success.
    pub report: Report,
}

fn usage(e: impl std::fmt::Display) -> Error {
    Error::usage(e.to_string())
}

/// A usage error that keeps `e` as its source.
fn usage_kept<E: std::error::Error + Send + Sync + 'static>(e: E) -> Error {
    Error::usage(e.to_string()).with_source(e)
}

fn is_stdout(p: &Option<PathBuf>) -> bool {
    p.as_ref().is_some_and(|p| p.as_os_str() == "-")
}

/// `negsim sweep`.
pub(super) fn sweep(args: &SweepArgs) -> Result<()> {
    let cfg = SweepConfig::from_args(args)?;
    run(&cfg)
}
