//! `negsim sweep`: its flags, the conversion of the flags into a
//! [`SweepConfig`], and running it (its terminal table is in `sweep_table`).
//! The work itself is in [`crate::sweep`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use super::sweep_table::{compact_value, design_keys, design_label, footer, Table};
use super::{interrupt_flag, parse_overrides, print_err, print_out, Progress, ProgressMode};
use crate::analysis::{AnalysisRequest, Method};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::{clamp_threads, Limits};
use crate::model::Outcome;
use crate::montecarlo::Driver;
use crate::output::terminal_safe;
use crate::scenario::{read_text, ScenarioSource, SweepDef};
use crate::sweep::design::file::{read_design, write_design};
use crate::sweep::design::saltelli::block_len;
use crate::sweep::design::{
    parse_vary, DesignError, DesignKind, DesignOptions, SobolScramble, Spec, DEFAULT_TRAJECTORIES,
};
use crate::sweep::provenance::Provenance;
use crate::sweep::runner::partial_path;
use crate::sweep::shard::{Shard, ShardSpec};
use crate::sweep::{run_sweep, Sweep, SweepOutputs, SweepSpec};

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
    /// Scenario file (TOML).
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

/// Reads a `--sweep-file`: the keys of `[sweep]` at the top level (or a
/// `[sweep]` table).
/// `limits` bounds its size as a scenario file's.
pub fn read_sweep_file(path: &Path, limits: &Limits) -> Result<SweepDef> {
    let text = read_text(path, limits.scenario_bytes)?;
    let bad = |e: toml::de::Error| {
        Error::usage(format!(
            "{}: {}; a sweep file holds the keys of [sweep]: vary = [\"KEY=SPEC\", ...], \
             design, points, runs",
            path.display(),
            terminal_safe(e.to_string().trim())
        ))
        .with_source(e)
    };
    let mut table: toml::Table = toml::from_str(&text).map_err(bad)?;
    if table.len() == 1 {
        if let Some(toml::Value::Table(inner)) = table.get("sweep") {
            table = inner.clone();
        }
    }
    toml::Value::Table(table).try_into().map_err(bad)
}

impl SweepConfig {
    /// Loads and validates everything the flags name, reading `--shard auto`
    /// from the process environment.
    pub fn from_args(args: &SweepArgs) -> Result<Self> {
        let command: Vec<String> = std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        Self::from_args_with(args, command, |k| std::env::var(k).ok())
    }

    /// [`SweepConfig::from_args`] with the command line and the environment given.
    pub fn from_args_with(
        args: &SweepArgs,
        command: Vec<String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self> {
        if args.threads == Some(0) {
            return Err(Error::usage("--threads must be at least 1"));
        }
        let limits = Limits::from_settings(&args.limit)?;
        if let Some(runs) = args.runs.filter(|&r| r > limits.runs) {
            return Err(limits.usage_error(&format!("--runs {runs}"), "runs", runs));
        }
        if let Some(points) = args.points {
            let values = (points as u64).saturating_mul(args.vary.len().max(1) as u64);
            if values > limits.design_values {
                return Err(limits.usage_error(
                    &format!("--points {points} (x {} keys)", args.vary.len().max(1)),
                    "design_values",
                    values,
                ));
            }
        }
        if is_stdout(&args.out) && is_stdout(&args.summary) {
            return Err(Error::usage(
                "only one output can go to standard output (`-`)",
            ));
        }
        if let (Some(a), Some(b)) = (&args.out, &args.summary) {
            if a == b && !is_stdout(&args.out) {
                return Err(Error::usage(format!(
                    "{} is given for two outputs; each output needs its own file",
                    a.display()
                )));
            }
        }
        {
            let mut inputs: Vec<(&str, &Path)> = vec![("the scenario", &args.scenario)];
            if let Some(f) = &args.sweep_file {
                inputs.push(("the sweep file", f));
            }
            let derived: Vec<PathBuf> = match args.out.as_deref().filter(|p| p.as_os_str() != "-") {
                Some(out) => {
                    let partial = partial_path(out);
                    vec![
                        out.to_path_buf(),
                        Provenance::sidecar_path(out),
                        Provenance::sidecar_path(&partial),
                        crate::sweep::runner::sums_path(&partial),
                        partial,
                    ]
                }
                None => vec![],
            };
            let mut outputs: Vec<(&str, &Path)> =
                derived.iter().map(|p| ("--out", p.as_path())).collect();
            if let Some(sum) = &args.summary {
                outputs.push(("--summary", sum));
            }
            if let Some(f) = &args.design_file {
                inputs.push(("the design file", f));
            }
            if let Some(w) = &args.write_design {
                outputs.push(("--write-design", w));
            }
            if let Some(a) = &args.analysis_out {
                outputs.push(("--analysis-out", a));
            }
            crate::output::refuse_clobber(&inputs, &outputs)?;
        }
        if let Some(out) = args.out.as_deref().filter(|p| p.as_os_str() != "-") {
            // Before the design is laid out, which may take a while.
            if crate::output::is_special(out) || out.is_dir() {
                return Err(Error::usage(format!(
                    "--out {}: a sweep's runs file must be a regular file (it gets a checkpoint \
                     and a provenance sidecar); use --out - for standard output",
                    out.display()
                )));
            }
        }
        if args.resume && (args.out.is_none() || is_stdout(&args.out)) {
            return Err(Error::usage(
                "--resume needs --out FILE: it continues from FILE.partial, the checkpoint \
                 an interrupted sweep leaves beside FILE",
            ));
        }
        let shard = match (&args.shard, args.shards) {
            (Some(s), flag) => s
                .parse::<ShardSpec>()
                .and_then(|spec| spec.resolve(flag, env))
                .map_err(usage_kept)?,
            (None, Some(n)) => {
                return Err(Error::usage(format!(
                    "--shards {n} needs --shard: --shard auto --shards {n} in a Kubernetes \
                     indexed Job, or --shard I/{n}"
                )))
            }
            (None, None) => Shard::WHOLE,
        };
        let overrides = parse_overrides(&args.set)?;
        let source = ScenarioSource::from_path_within(&args.scenario, &overrides, &limits)?;
        let file_def = args
            .sweep_file
            .as_deref()
            .map(|p| read_sweep_file(p, &limits))
            .transpose()?;
        let defs: Vec<&SweepDef> = file_def.iter().chain(&source.scenario.sweep).collect();
        let design_file = args
            .design_file
            .as_deref()
            .map(|p| {
                if !args.vary.is_empty() {
                    return Err(Error::usage(
                        "--design-file gives the keys and their values; drop --vary",
                    ));
                }
                if args.design.is_some() {
                    return Err(Error::usage(
                        "--design-file gives the design; drop --design",
                    ));
                }
                read_design(p)
            })
            .transpose()?;
        let vary: &[String] = if design_file.is_some() {
            &[]
        } else if !args.vary.is_empty() {
            &args.vary
        } else {
            defs.iter()
                .map(|d| d.vary.as_slice())
                .find(|v| !v.is_empty())
                .unwrap_or(&[])
        };
        if vary.is_empty() && design_file.is_none() {
            return Err(usage(DesignError::NoFactors));
        }
        let factors = vary
            .iter()
            .map(|v| parse_vary(v))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(usage_kept)?;
        // Before any value is laid out: each factor's count, then the whole
        // design's values (points x keys).
        let keys = match &design_file {
            Some(f) => f.design.keys.len(),
            None => factors.len(),
        }
        .max(1) as u64;
        for f in &factors {
            if let Spec::Range { n: Some(n), .. } = f.spec {
                if n as u64 > limits.design_values {
                    return Err(limits.usage_error(
                        &format!("--vary {}={}", f.key, f.spec),
                        "design_values",
                        n as u64,
                    ));
                }
            }
        }
        let kind = match (
            &design_file,
            args.design
                .as_deref()
                .or_else(|| defs.iter().find_map(|d| d.design.as_deref())),
        ) {
            (Some(_), _) => DesignKind::File,
            (None, Some(k)) => k.parse::<DesignKind>().map_err(usage_kept)?,
            (None, None) => DesignKind::Grid,
        };
        let points = args.points.or_else(|| defs.iter().find_map(|d| d.points));
        let sequence = args
            .sequence
            .as_deref()
            .or_else(|| defs.iter().find_map(|d| d.sequence.as_deref()))
            .map(str::parse::<SobolScramble>)
            .transpose()
            .map_err(usage)?;
        let options = DesignOptions {
            levels: args.levels.or_else(|| defs.iter().find_map(|d| d.levels)),
            trajectories: args
                .trajectories
                .or_else(|| defs.iter().find_map(|d| d.trajectories)),
            candidates: args
                .candidates
                .or_else(|| defs.iter().find_map(|d| d.candidates)),
            base_points: args
                .base_points
                .or_else(|| defs.iter().find_map(|d| d.base_points)),
            second_order: if args.second_order {
                Some(true)
            } else {
                defs.iter().find_map(|d| d.second_order)
            },
            sequence,
        };
        let design_points = match kind {
            DesignKind::Grid => factors.iter().try_fold(1u64, |acc, f| {
                let n = match &f.spec {
                    Spec::Range { n, .. } => n.unwrap_or(1) as u64,
                    Spec::List(v) => v.len() as u64,
                };
                acc.checked_mul(n)
            }),
            DesignKind::Morris => {
                let r = options.trajectories.unwrap_or(DEFAULT_TRAJECTORIES) as u64;
                Some(r.saturating_mul(factors.len() as u64 + 1))
            }
            // Without --base-points the design says so itself, below.
            DesignKind::Sobol => Some(options.base_points.map_or(0, |n| {
                let per = block_len(factors.len(), options.second_order == Some(true));
                (n as u64).saturating_mul(per as u64)
            })),
            DesignKind::File => design_file.as_ref().map(|f| f.design.len() as u64),
            _ => points.map(|p| p as u64),
        }
        .unwrap_or(u64::MAX);
        let values = design_points.saturating_mul(keys);
        if values > limits.design_values {
            return Err(Error::usage(format!(
                "the design: {}",
                Limits::exceeded(
                    "design_values",
                    format!("{design_points} points x {keys} keys = {values} values"),
                    limits.design_values
                )
            )));
        }
        let runs = args
            .runs
            .or_else(|| defs.iter().find_map(|d| d.runs))
            .or(source.scenario.simulation.runs)
            .unwrap_or(DEFAULT_RUNS_PER_POINT);
        if runs > limits.runs {
            return Err(limits.usage_error("runs per point", "runs", runs));
        }
        let total = design_points.saturating_mul(runs);
        if total > limits.runs {
            return Err(Error::usage(format!(
                "the sweep: {}",
                Limits::exceeded(
                    "runs",
                    format!("{design_points} points x {runs} runs = {total} runs"),
                    limits.runs
                )
            )));
        }
        let seed = args.seed.or(source.scenario.simulation.seed).unwrap_or(0);
        if let Some(w) = &args.write_design {
            for (given, flag) in [
                (args.out.is_some(), "--out"),
                (args.summary.is_some(), "--summary"),
                (args.resume, "--resume"),
                (args.shard.is_some(), "--shard"),
            ] {
                if given {
                    return Err(Error::usage(format!(
                        "--write-design {} writes the design without running it; drop {flag}",
                        w.display()
                    )));
                }
            }
        }
        let analyze = if args.analyze {
            let out_file = args.out.as_ref().filter(|p| p.as_os_str() != "-");
            if out_file.is_none() {
                return Err(Error::usage(
                    "--analyze reads the runs CSV back: give --out FILE (not -)",
                ));
            }
            if args.shard.is_some() || args.write_design.is_some() {
                return Err(Error::usage(
                    "--analyze needs the whole design run here: drop --shard (analyse the \
                     merged file with negsim analyze) and --write-design",
                ));
            }
            let method = args
                .analyze_method
                .as_deref()
                .map(str::parse::<Method>)
                .transpose()?;
            let fits = match (method, kind) {
                (Some(Method::Morris), k) => matches!(k, DesignKind::Morris | DesignKind::File),
                (Some(Method::Sobol), k) => matches!(k, DesignKind::Sobol | DesignKind::File),
                (None, DesignKind::File) => false,
                _ => true,
            };
            if !fits {
                return Err(Error::usage(format!(
                    "--analyze{}: a {kind} design does not fit it; use --design morris for \
                     Morris, --design sobol for Sobol' indices, or --analyze-method prim",
                    method
                        .map(|m| format!(" --analyze-method {m}"))
                        .unwrap_or_default()
                )));
            }
            let request = AnalysisRequest {
                output: args.analyze_output.clone(),
                method,
                second_order: options.second_order == Some(true),
                ..AnalysisRequest::default()
            };
            Some((request, args.analysis_out.clone()))
        } else {
            for (given, flag) in [
                (args.analyze_output.is_some(), "--analyze-output"),
                (args.analyze_method.is_some(), "--analyze-method"),
                (args.analysis_out.is_some(), "--analysis-out"),
            ] {
                if given {
                    return Err(Error::usage(format!("{flag} needs --analyze")));
                }
            }
            None
        };
        let spec = SweepSpec {
            factors,
            kind,
            points,
            runs,
            seed,
            shard,
            options,
            file: design_file,
        };
        let sweep = Sweep::new(&source, spec)?;
        if let Some(output) = analyze.as_ref().and_then(|(r, _)| r.output.as_deref()) {
            let header = String::from_utf8_lossy(sweep.runs_header()).into_owned();
            let columns: Vec<&str> = header.trim_end().split(',').collect();
            let outcomes = Outcome::ALL.map(Outcome::as_str);
            if !outcomes.contains(&output) && !columns.contains(&output) {
                return Err(Error::usage(format!(
                    "--analyze-output {output}: expected an outcome ({}) or a column of the runs \
                     CSV, e.g. end_day",
                    outcomes.join(", ")
                )));
            }
        }
        Ok(SweepConfig {
            sweep,
            threads: args.threads.unwrap_or(0),
            outputs: SweepOutputs {
                out: args.out.clone(),
                summary: args.summary.clone(),
                resume: args.resume,
                command,
            },
            progress: args.progress,
            raw_csv: args.raw_csv,
            write_design: args.write_design.clone(),
            analyze,
        })
    }
}

/// `negsim sweep`.
pub(super) fn sweep(args: &SweepArgs) -> Result<()> {
    let cfg = SweepConfig::from_args(args)?;
    run(&cfg)
}

/// Runs a configured sweep with terminal output.
pub fn run(cfg: &SweepConfig) -> Result<()> {
    if let Some(path) = &cfg.write_design {
        let design = cfg.sweep.design();
        write_design(path, design)?;
        return print_out(&format!(
            "wrote design: {} ({} design, {} points x {} keys)\n",
            terminal_safe(&path.display().to_string()),
            cfg.sweep.spec().kind,
            design.len(),
            design.keys.len()
        ));
    }
    let cancel = interrupt_flag();
    let sweep = &cfg.sweep;
    let spec = sweep.spec();
    let design = sweep.design();
    let range = sweep.point_range();
    let (threads, note) =
        clamp_threads(cfg.threads, (range.len() as u64).saturating_mul(spec.runs));
    if let Some(n) = note {
        print_err(&format!("{n}\n"));
    }
    let mut driver = Driver::new(threads)?;
    driver.raw_csv = cfg.raw_csv;
    let to_stderr = is_stdout(&cfg.outputs.out) || is_stdout(&cfg.outputs.summary);

    let mut widths = vec![5usize.max(range.end.saturating_sub(1).to_string().len())];
    for (k, key) in design.keys.iter().enumerate() {
        let longest = design.points[range.clone()]
            .iter()
            .map(|p| compact_value(p[k]).len())
            .max()
            .unwrap_or(0);
        widths.push(key.len().max(longest));
    }
    let mut table = Table {
        widths,
        to_stderr,
        progress: Progress::with_mode(range.len() as u64 * spec.runs, cfg.progress),
        points_done: 0,
    };

    let mut head = format!(
        "scenario: {} ({})\n",
        terminal_safe(sweep.name()),
        terminal_safe(sweep.file())
    );
    for o in sweep.overrides() {
        let _ = writeln!(head, "override: {}", terminal_safe(&o.to_string()));
    }
    let _ = writeln!(
        head,
        "design: {}, {} points ({}); {} runs per point; seed {}",
        design_label(spec),
        design.len(),
        design_keys(spec, &design.keys),
        spec.runs,
        spec.seed
    );
    if spec.shard.count > 1 {
        let _ = writeln!(
            head,
            "shard: {} (points {}..{})",
            spec.shard, range.start, range.end
        );
    }
    let _ = writeln!(head);
    head.push_str(&table.header(&design.keys));
    table.print(&head)?;

    let started = Instant::now();
    let result = run_sweep(sweep, &cfg.outputs, &driver, &mut table, cancel);
    table.progress.finish();
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            if let (Some(out), false) = (&cfg.outputs.out, is_stdout(&cfg.outputs.out)) {
                if matches!(e.kind(), ErrorKind::Interrupted) || !e.is_input_error() {
                    print_err(&format!(
                        "note: completed design points are kept in {}; run the same command \
                         with --resume to continue\n",
                        terminal_safe(&partial_path(out).display().to_string())
                    ));
                }
            }
            return Err(e);
        }
    };
    let elapsed = started.elapsed();
    table.print(&footer(cfg, &report, elapsed))?;
    if let (Some((request, analysis_out)), Some(out)) = (&cfg.analyze, &cfg.outputs.out) {
        print_out("\n")?;
        super::analyze_cmd::analyze_and_report(out, request, analysis_out.as_deref())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Override;
    use crate::sweep::design::{Factor, Spec};

    const SCENARIO: &str = r#"
name = "t"
[simulation]
start = 2024-01-01
end = 2024-03-01
seed = 11
[issues.x]
[parties.a]
positions = { x = 1.0 }
patience = 0.9
[parties.b]
positions = { x = 0.0 }
patience = 0.9
[meetings.m]
date = 2024-01-02
participants = ["a", "b"]
agenda = ["x"]
protocol = "alternating"
first = "a"
rounds = 10
[sweep]
vary = ["parties.a.patience=0.5..0.9:3"]
runs = 7
"#;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn setup() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, SCENARIO).unwrap();
        (dir, path)
    }

    fn args(path: &Path) -> SweepArgs {
        SweepArgs {
            scenario: path.to_path_buf(),
            ..SweepArgs::default()
        }
    }

    fn factor(key: &str, spec: Spec) -> Factor {
        Factor {
            key: key.into(),
            spec,
        }
    }

    #[test]
    fn flags_win_over_the_sweep_file_and_the_scenario() {
        let (dir, path) = setup();
        let sweep_file = dir.path().join("sweep.toml");
        std::fs::write(
            &sweep_file,
            "vary = [\"parties.b.patience=0.2..0.4\"]\ndesign = \"lhs\"\npoints = 4\nruns = 9\n",
        )
        .unwrap();
        let a = SweepArgs {
            sweep_file: Some(sweep_file),
            runs: Some(3),
            threads: Some(2),
            out: Some(dir.path().join("o.csv")),
            shard: Some("1/2".into()),
            resume: true,
            set: vec!["meetings.m.rounds=5".into()],
            ..args(&path)
        };
        let cfg = SweepConfig::from_args_with(&a, vec!["negsim".into()], no_env).unwrap();
        let overrides = vec![Override {
            key: "meetings.m.rounds".into(),
            value: "5".into(),
        }];
        let source = ScenarioSource::from_path(&path, &overrides).unwrap();
        let spec = SweepSpec {
            factors: vec![factor(
                "parties.b.patience",
                Spec::Range {
                    lo: 0.2,
                    hi: 0.4,
                    n: None,
                },
            )],
            kind: DesignKind::Lhs,
            points: Some(4),
            runs: 3,
            seed: 11,
            shard: Shard { index: 1, count: 2 },
            options: DesignOptions::default(),
            file: None,
        };
        let expected = SweepConfig {
            sweep: Sweep::new(&source, spec).unwrap(),
            threads: 2,
            outputs: SweepOutputs {
                out: Some(dir.path().join("o.csv")),
                summary: None,
                resume: true,
                command: vec!["negsim".into()],
            },
            progress: ProgressMode::Auto,
            raw_csv: false,
            write_design: None,
            analyze: None,
        };
        assert_eq!(cfg, expected);
        assert_eq!(cfg.sweep.point_range(), 2..4);
    }

    #[test]
    fn scenario_sweep_table_and_defaults() {
        let (_dir, path) = setup();
        let cfg = SweepConfig::from_args_with(&args(&path), vec![], no_env).unwrap();
        let source = ScenarioSource::from_path(&path, &[]).unwrap();
        let spec = SweepSpec {
            factors: vec![factor(
                "parties.a.patience",
                Spec::Range {
                    lo: 0.5,
                    hi: 0.9,
                    n: Some(3),
                },
            )],
            kind: DesignKind::Grid,
            points: None,
            runs: 7,
            seed: 11,
            shard: Shard::WHOLE,
            options: DesignOptions::default(),
            file: None,
        };
        let expected = SweepConfig {
            sweep: Sweep::new(&source, spec).unwrap(),
            threads: 0,
            outputs: SweepOutputs::default(),
            progress: ProgressMode::Auto,
            raw_csv: false,
            write_design: None,
            analyze: None,
        };
        assert_eq!(cfg, expected);
    }

    #[test]
    fn runs_default_to_the_scenario_then_100() {
        let (dir, _) = setup();
        let path = dir.path().join("t.toml");
        let text = SCENARIO.replace("runs = 7\n", "");
        std::fs::write(&path, &text).unwrap();
        let cfg = SweepConfig::from_args_with(&args(&path), vec![], no_env).unwrap();
        assert_eq!(cfg.sweep.spec().runs, DEFAULT_RUNS_PER_POINT);
        std::fs::write(&path, text.replace("seed = 11", "seed = 11\nruns = 40")).unwrap();
        let cfg = SweepConfig::from_args_with(&args(&path), vec![], no_env).unwrap();
        assert_eq!(cfg.sweep.spec().runs, 40);
    }

    #[test]
    fn shard_auto_reads_the_environment() {
        let (_dir, path) = setup();
        let a = SweepArgs {
            shard: Some("auto".into()),
            shards: Some(3),
            ..args(&path)
        };
        let env = |k: &str| (k == "JOB_COMPLETION_INDEX").then(|| "2".to_string());
        let cfg = SweepConfig::from_args_with(&a, vec![], env).unwrap();
        assert_eq!(cfg.sweep.spec().shard, Shard { index: 2, count: 3 });
        let e = SweepConfig::from_args_with(&a, vec![], no_env).unwrap_err();
        assert!(
            e.to_string().contains("found neither SLURM_ARRAY_TASK_ID"),
            "{e}"
        );
    }

    #[test]
    fn flag_errors_are_usage_errors() {
        let (_dir, path) = setup();
        let cases: Vec<(SweepArgs, &str)> = vec![
            (
                SweepArgs {
                    threads: Some(0),
                    ..args(&path)
                },
                "--threads",
            ),
            (
                SweepArgs {
                    resume: true,
                    ..args(&path)
                },
                "--resume needs --out",
            ),
            (
                SweepArgs {
                    shards: Some(4),
                    ..args(&path)
                },
                "--shards 4 needs --shard",
            ),
            (
                SweepArgs {
                    shard: Some("3/3".into()),
                    ..args(&path)
                },
                "shard index 3 is out of range",
            ),
            (
                SweepArgs {
                    design: Some("halton".into()),
                    ..args(&path)
                },
                "unknown design 'halton'",
            ),
            (
                SweepArgs {
                    design: Some("sobol".into()),
                    ..args(&path)
                },
                "--design sobol needs --base-points N",
            ),
            (
                SweepArgs {
                    levels: Some(4),
                    ..args(&path)
                },
                "--levels applies to --design morris only, not --design grid",
            ),
            (
                SweepArgs {
                    design: Some("morris".into()),
                    vary: vec!["parties.a.patience=[0.5, 0.9]".into()],
                    ..args(&path)
                },
                "--design morris needs a range LO..HI",
            ),
            (
                SweepArgs {
                    design: Some("sobol".into()),
                    base_points: Some(8),
                    sequence: Some("owen".into()),
                    vary: vec!["parties.a.patience=0.5..0.9".into()],
                    ..args(&path)
                },
                "unknown sequence 'owen'",
            ),
            (
                SweepArgs {
                    write_design: Some("d.csv".into()),
                    out: Some("o.csv".into()),
                    ..args(&path)
                },
                "writes the design without running it; drop --out",
            ),
            (
                SweepArgs {
                    analyze: true,
                    ..args(&path)
                },
                "--analyze reads the runs CSV back: give --out FILE",
            ),
            (
                SweepArgs {
                    analyze: true,
                    analyze_method: Some("sobol".into()),
                    out: Some("o.csv".into()),
                    ..args(&path)
                },
                "a grid design does not fit it",
            ),
            (
                SweepArgs {
                    analyze_output: Some("conflict".into()),
                    ..args(&path)
                },
                "--analyze-output needs --analyze",
            ),
            (
                SweepArgs {
                    design_file: Some("no-such-design.csv".into()),
                    vary: vec!["parties.a.patience=0.5..0.9".into()],
                    ..args(&path)
                },
                "--design-file gives the keys and their values; drop --vary",
            ),
            (
                SweepArgs {
                    vary: vec!["parties.a.patience=0.9..0.2:3".into()],
                    ..args(&path)
                },
                "lower bound 0.9 is above upper bound 0.2",
            ),
            (
                SweepArgs {
                    out: Some("-".into()),
                    summary: Some("-".into()),
                    ..args(&path)
                },
                "only one output",
            ),
            (
                SweepArgs {
                    out: Some("o.csv".into()),
                    summary: Some("o.csv".into()),
                    ..args(&path)
                },
                "given for two outputs",
            ),
        ];
        for (a, msg) in cases {
            let e = SweepConfig::from_args_with(&a, vec![], no_env).unwrap_err();
            assert!(e.is_input_error(), "{e}");
            assert!(e.to_string().contains(msg), "{msg}: {e}");
        }
    }

    #[test]
    fn morris_and_sobol_settings_come_from_flags_or_the_sweep_file() {
        let (dir, path) = setup();
        let sweep_file = dir.path().join("sweep.toml");
        std::fs::write(
            &sweep_file,
            "vary = [\"parties.b.patience=0.2..0.4\", \"parties.a.patience=0.5..0.9\"]\n\
             design = \"sobol\"\nbase_points = 4\nsequence = \"plain\"\nsecond_order = true\n",
        )
        .unwrap();
        let a = SweepArgs {
            sweep_file: Some(sweep_file.clone()),
            ..args(&path)
        };
        let cfg = SweepConfig::from_args_with(&a, vec![], no_env).unwrap();
        let o = cfg.sweep.spec().options;
        assert_eq!(
            (o.base_points, o.second_order, o.sequence),
            (Some(4), Some(true), Some(SobolScramble::Plain))
        );
        assert_eq!(cfg.sweep.design().len(), 4 * 6);
        let a = SweepArgs {
            sweep_file: Some(sweep_file),
            design: Some("morris".into()),
            base_points: None,
            ..args(&path)
        };
        let e = SweepConfig::from_args_with(&a, vec![], no_env).unwrap_err();
        assert!(
            e.to_string()
                .contains("--base-points applies to --design sobol"),
            "{e}"
        );
        let a = SweepArgs {
            design: Some("morris".into()),
            trajectories: Some(3),
            levels: Some(6),
            vary: vec!["parties.a.patience=0.5..0.9".into()],
            ..args(&path)
        };
        let cfg = SweepConfig::from_args_with(&a, vec![], no_env).unwrap();
        assert_eq!(cfg.sweep.design().len(), 3 * 2);
        assert_eq!(cfg.sweep.spec().options.levels, Some(6));
    }

    #[test]
    fn sweep_file_may_wrap_keys_in_a_sweep_table() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s.toml");
        std::fs::write(&p, "[sweep]\nvary = [\"a=1\"]\npoints = 2\n").unwrap();
        let d = read_sweep_file(&p, &Limits::default()).unwrap();
        assert_eq!((d.vary, d.points), (vec!["a=1".to_string()], Some(2)));
        std::fs::write(&p, "vary = [\"a=1\"]\npoint = 2\n").unwrap();
        let e = read_sweep_file(&p, &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("unknown field `point`"), "{e}");
    }
}
