//! `negsim run`: its flags, the conversion of the flags into a
//! [`RunConfig`], the batch, its outputs (with sidecars) and the summary.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;

use super::{
    command_line, interrupt_flag, parse_overrides, print_err, print_out, write_json, Progress,
    ProgressMode, Report,
};
use crate::error::{Error, Result};
use crate::limits::{clamp_threads, Limits};
use crate::model::Model;
use crate::montecarlo::{Driver, Job, Sink};
use crate::output::columns::schema_path;
use crate::output::{terminal_safe, EventsFormat, FileFormat, RunsFormat, Summary, TableWriter};
use crate::scenario::ScenarioSource;
use crate::sweep::provenance::Provenance;

/// `negsim run`.
#[derive(Debug, Args, Clone, PartialEq)]
#[command(after_help = "Examples:
  negsim run scenarios/jan-2022-security-talks.toml
  negsim run SCENARIO --runs 100000 --out runs.csv --summary summary.csv
  negsim run SCENARIO --set 'parties.russia.cost_of_conflict={ uniform = [0.3, 0.6] }'
  negsim run scenarios/textbook/rubinstein.toml --set parties.b.patience=0.8 --out -

Exit codes: 0 success, 2 bad input or usage, 1 anything else; 130, 143, 129 when
stopped by SIGINT, SIGTERM, SIGHUP (temporary files removed); 141 when standard
output is closed. Limits: docs/scenario-format.md, \"Limits\".")]
pub struct RunArgs {
    /// Scenario file (TOML); `-` reads it from standard input.
    pub scenario: PathBuf,
    /// Number of runs (default: the scenario's, else 10000).
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed (default: the scenario's, else 0).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Write the runs CSV here (`-` for standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the per-event CSV here.
    #[arg(long)]
    pub events: Option<PathBuf>,
    /// Write the summary CSV here.
    #[arg(long)]
    pub summary: Option<PathBuf>,
    /// Override a scenario value by path: `parties.russia.patience=0.9`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Raise (or lower) a limit on purpose: `runs=5000000000` (see docs/scenario-format.md, "Limits").
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limit: Vec<String>,
    /// When to show the progress bar on a terminal.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
    /// Write CSV cells as they are, without the `'` that keeps a spreadsheet
    /// from running a cell starting with `=`, `+`, `-`, `@` as a formula.
    #[arg(long)]
    pub raw_csv: bool,
    /// File format of --out, --events and --summary (default: Parquet for a
    /// name ending in `.parquet`, else CSV).
    #[arg(long, value_enum)]
    pub format: Option<FileFormat>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print a machine-readable summary (JSON) on standard output instead of the table.
    #[arg(long, conflicts_with = "quiet")]
    pub json: bool,
}

/// Everything `negsim run` needs, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct RunConfig {
    /// The scenario as read.
    pub source: ScenarioSource,
    /// The compiled model.
    pub model: Model,
    /// Runs.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Threads (0: all cores).
    pub threads: usize,
    /// Runs CSV destination.
    pub out: Option<PathBuf>,
    /// Events CSV destination.
    pub events: Option<PathBuf>,
    /// Summary CSV destination.
    pub summary: Option<PathBuf>,
    /// The limits in force.
    pub limits: Limits,
    /// When to show the progress bar.
    pub progress: ProgressMode,
    /// CSV cells as they are (no formula guard).
    pub raw_csv: bool,
    /// `--format`, if given.
    pub format: Option<FileFormat>,
    /// What to print on success.
    pub report: Report,
    /// The command line, recorded in the sidecars.
    pub command: Vec<String>,
}

impl RunConfig {
    /// Loads and validates everything the flags name.
    pub fn from_args(args: &RunArgs) -> Result<Self> {
        let limits = Limits::from_settings(&args.limit)?;
        let overrides = parse_overrides(&args.set)?;
        if let Some(runs) = args.runs.filter(|&r| r > limits.runs) {
            return Err(limits.usage_error(&format!("--runs {runs}"), "runs", runs));
        }
        let source = ScenarioSource::from_path_within(&args.scenario, &overrides, &limits)?;
        let model = Model::compile(&source.scenario);
        let runs = args.runs.unwrap_or(model.default_runs);
        if runs == 0 {
            return Err(Error::usage("--runs must be at least 1"));
        }
        if args.threads == Some(0) {
            return Err(Error::usage("--threads must be at least 1"));
        }
        let outs = [&args.out, &args.events, &args.summary];
        let stdout_count = outs
            .iter()
            .filter(|o| o.as_ref().is_some_and(|p| p.as_os_str() == "-"))
            .count();
        if stdout_count > 1 {
            return Err(Error::usage(
                "only one output can go to standard output (`-`)",
            ));
        }
        if stdout_count == 1 && args.json {
            return Err(Error::usage(
                "--json prints on standard output, so no output can go there too: give \
                 --out a file name instead of `-`",
            ));
        }
        let named: Vec<&PathBuf> = outs
            .iter()
            .filter_map(|o| o.as_ref())
            .filter(|p| p.as_os_str() != "-")
            .collect();
        for (k, a) in named.iter().enumerate() {
            if named[..k].contains(a) {
                return Err(Error::usage(format!(
                    "{} is given for two outputs; each output needs its own file",
                    a.display()
                )));
            }
        }
        let outputs: Vec<(&str, &std::path::Path)> = [
            ("--out", &args.out),
            ("--events", &args.events),
            ("--summary", &args.summary),
        ]
        .into_iter()
        .filter_map(|(w, p)| p.as_deref().map(|p| (w, p)))
        .collect();
        let sidecars: Vec<(&str, PathBuf)> = outputs
            .iter()
            .map(|&(w, p)| (w, Provenance::sidecar_path(p)))
            .chain(outputs.iter().map(|&(w, p)| (w, schema_path(p))))
            .collect();
        let mut all = outputs.clone();
        all.extend(sidecars.iter().map(|(w, p)| (*w, p.as_path())));
        crate::output::refuse_clobber(&[("the scenario", &args.scenario)], &all)?;
        Ok(RunConfig {
            seed: args.seed.unwrap_or(model.default_seed),
            runs,
            threads: args.threads.unwrap_or(0),
            out: args.out.clone(),
            events: args.events.clone(),
            summary: args.summary.clone(),
            source,
            model,
            limits,
            progress: args.progress,
            raw_csv: args.raw_csv,
            format: args.format,
            report: Report::from_flags(args.quiet, args.json),
            command: command_line(),
        })
    }
}

struct RunSink {
    runs: Option<TableWriter>,
    events: Option<TableWriter>,
    progress: Progress,
}

fn write_to(dest: &mut Option<TableWriter>, bytes: &[u8]) -> Result<()> {
    match dest {
        Some(d) => d.write(bytes),
        None => Ok(()),
    }
}

impl Sink for RunSink {
    fn runs(&mut self, bytes: &[u8]) -> Result<()> {
        write_to(&mut self.runs, bytes)
    }
    fn events(&mut self, bytes: &[u8]) -> Result<()> {
        write_to(&mut self.events, bytes)
    }
    fn progress(&mut self, done: u64) {
        self.progress.set(done);
    }
}

/// The sidecar of output `output` (`runs`, `events`, `summary`) of a run.
pub fn run_provenance(cfg: &RunConfig, output: &str, format: FileFormat, rows: u64) -> Provenance {
    use crate::sweep::design::{DesignKind, DesignOptions};
    use crate::sweep::provenance::{
        platform_fingerprint, sha256_hex, DesignRecord, FORMAT, GENERATOR,
    };
    Provenance {
        format: FORMAT,
        negsim_version: env!("CARGO_PKG_VERSION").to_string(),
        platform: platform_fingerprint(),
        output: output.to_string(),
        file_format: format.name().to_string(),
        scenario_file: cfg.source.file.clone(),
        scenario_sha256: sha256_hex(cfg.source.text.as_bytes()),
        scenario_text: cfg.source.text.clone(),
        sweep_file_text: None,
        design_file_text: None,
        overrides: cfg.source.overrides.iter().map(|o| o.to_string()).collect(),
        seed: cfg.seed,
        design: DesignRecord {
            kind: DesignKind::Grid,
            keys: Vec::new(),
            specs: Vec::new(),
            points: 1,
            seed: cfg.seed,
            options: DesignOptions::default(),
            file_sha256: None,
        },
        runs_per_point: cfg.runs,
        generator: GENERATOR.to_string(),
        shard: "whole".to_string(),
        point_range: [0, 1],
        rows,
        rows_sha256: None,
        command: cfg.command.clone(),
        merged_from: None,
    }
}

/// Completes an output table and writes its sidecar beside it.
fn commit_with_sidecar(cfg: &RunConfig, output: &str, t: TableWriter) -> Result<()> {
    let path = t.path().to_path_buf();
    let (format, rows) = (t.format(), t.rows());
    t.commit()?;
    if path.as_os_str() != "-" && !crate::output::is_special(&path) {
        run_provenance(cfg, output, format, rows).write(&Provenance::sidecar_path(&path))?;
    }
    Ok(())
}

/// `negsim run`: the batch, the outputs and the human summary.
pub fn run(cfg: &RunConfig) -> Result<()> {
    let cancel = interrupt_flag();
    let (threads, note) = clamp_threads(cfg.threads, cfg.runs);
    if let Some(n) = note {
        if cfg.report == Report::Human {
            print_err(&format!("{n}\n"));
        }
    }
    let driver = {
        let mut d = Driver::new(threads)?;
        d.events = cfg.events.is_some();
        d.raw_csv = cfg.raw_csv;
        d
    };
    let open = |p: &Option<PathBuf>, title: &str, columns: Vec<crate::output::columns::Column>| {
        p.as_deref()
            .map(|p| TableWriter::create(p, FileFormat::for_path(cfg.format, p), title, columns))
            .transpose()
    };
    // Open every output before running, so a bad path fails fast and
    // nothing is replaced.
    let summary_cols = Summary::schema();
    let mut summary_dest = open(&cfg.summary, "negsim run summary", summary_cols)?;
    let mut sink = RunSink {
        runs: open(
            &cfg.out,
            "negsim runs",
            RunsFormat::new(&cfg.model).schema(),
        )?,
        events: open(
            &cfg.events,
            "negsim events",
            EventsFormat::new(&cfg.model).schema(),
        )?,
        progress: Progress::with_mode(
            cfg.runs,
            if cfg.report == Report::Human {
                cfg.progress
            } else {
                ProgressMode::Never
            },
        ),
    };
    let started = Instant::now();
    let job = Job {
        model: cfg.model.clone(),
        seed: cfg.seed,
        runs: cfg.runs,
        prefix: Vec::new(),
    };
    let summary = driver.run(1, |_| Ok(job.clone()), &mut sink, cancel)?;
    let elapsed = started.elapsed();
    sink.progress.finish();
    if let Some(d) = summary_dest.as_mut() {
        let mut buf = Vec::new();
        summary.csv_rows(&[], &mut buf);
        d.write(&buf)?;
    }
    for (what, d) in [
        ("runs", sink.runs.take()),
        ("events", sink.events.take()),
        ("summary", summary_dest),
    ] {
        if let Some(d) = d {
            commit_with_sidecar(cfg, what, d)?;
        }
    }
    let to_stderr = [&cfg.out, &cfg.events, &cfg.summary]
        .iter()
        .any(|o| o.as_ref().is_some_and(|p| p.as_os_str() == "-"));
    match cfg.report {
        Report::Quiet => Ok(()),
        Report::Json => {
            let mut v = summary.to_json();
            v["scenario"] = serde_json::json!(cfg.model.name);
            v["scenario_file"] = serde_json::json!(cfg.source.file);
            v["overrides"] = serde_json::json!(cfg
                .source
                .overrides
                .iter()
                .map(|o| o.to_string())
                .collect::<Vec<_>>());
            v["seed"] = serde_json::json!(cfg.seed);
            v["threads"] = serde_json::json!(driver.threads());
            v["seconds"] = serde_json::json!(elapsed.as_secs_f64());
            let mut files = serde_json::Map::new();
            for (what, p) in [
                ("runs", &cfg.out),
                ("events", &cfg.events),
                ("summary", &cfg.summary),
            ] {
                if let Some(p) = p {
                    files.insert(what.into(), serde_json::json!(p.display().to_string()));
                }
            }
            v["files"] = serde_json::Value::Object(files);
            write_json(&v)
        }
        Report::Human => {
            let text = human_summary(cfg, &summary, driver.threads(), elapsed);
            if to_stderr {
                print_err(&text);
                Ok(())
            } else {
                print_out(&text)
            }
        }
    }
}

fn human_summary(cfg: &RunConfig, s: &Summary, threads: usize, elapsed: Duration) -> String {
    let mut t = String::new();
    t.push_str(&format!(
        "scenario: {} ({})\n",
        terminal_safe(&cfg.model.name),
        terminal_safe(&cfg.source.file)
    ));
    for o in &cfg.source.overrides {
        t.push_str(&format!("override: {}\n", terminal_safe(&o.to_string())));
    }
    let secs = elapsed.as_secs_f64();
    t.push_str(&format!(
        "runs: {}   seed: {}   threads: {}   time: {:.2} s ({:.0} runs/s)\n\n",
        cfg.runs,
        cfg.seed,
        threads,
        secs,
        cfg.runs as f64 / secs.max(1e-9)
    ));
    t.push_str(&s.render());
    for (what, p) in [
        ("runs", &cfg.out),
        ("events", &cfg.events),
        ("summary", &cfg.summary),
    ] {
        if let Some(p) = p {
            if p.as_os_str() != "-" {
                let shown = p.display().to_string();
                t.push_str(&format!("wrote {what}: {}\n", terminal_safe(&shown)));
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use crate::scenario::Override;
    use clap::Parser;

    const FOUNDING: &str = "scenarios/jan-2022-security-talks.toml";

    fn args(extra: &[&str]) -> RunArgs {
        let mut argv = vec!["negsim", "run", FOUNDING];
        argv.extend_from_slice(extra);
        match Cli::try_parse_from(argv).expect("parses").command {
            Command::Run(a) => a,
            other => panic!("not a run: {other:?}"),
        }
    }

    #[test]
    fn defaults_come_from_the_scenario() {
        let cfg = RunConfig::from_args(&args(&[])).unwrap();
        let source = ScenarioSource::from_path(FOUNDING, &[]).unwrap();
        let model = Model::compile(&source.scenario);
        let expected = RunConfig {
            runs: 10_000,
            seed: 20_220_110,
            threads: 0,
            out: None,
            events: None,
            summary: None,
            source,
            model,
            limits: Limits::default(),
            progress: ProgressMode::Auto,
            raw_csv: false,
            format: None,
            report: Report::Human,
            command: cfg.command.clone(),
        };
        assert_eq!(cfg, expected);
    }

    #[test]
    fn flags_win_and_overrides_apply() {
        let cfg = RunConfig::from_args(&args(&[
            "--runs",
            "7",
            "--seed",
            "3",
            "--threads",
            "2",
            "--out",
            "-",
            "--summary",
            "s.csv",
            "--set",
            "parties.russia.patience=0.9",
        ]))
        .unwrap();
        let overrides = vec![Override {
            key: "parties.russia.patience".into(),
            value: "0.9".into(),
        }];
        let source = ScenarioSource::from_path(FOUNDING, &overrides).unwrap();
        let model = Model::compile(&source.scenario);
        let expected = RunConfig {
            runs: 7,
            seed: 3,
            threads: 2,
            out: Some("-".into()),
            events: None,
            summary: Some("s.csv".into()),
            source,
            model,
            limits: Limits::default(),
            progress: ProgressMode::Auto,
            raw_csv: false,
            format: None,
            report: Report::Human,
            command: cfg.command.clone(),
        };
        assert_eq!(cfg, expected);
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        for extra in [
            &["--runs", "0"][..],
            &["--threads", "0"],
            &["--out", "-", "--events", "-"],
            &["--out", "a.csv", "--summary", "a.csv"],
            &["--set", "no_equals_sign"],
        ] {
            let err = RunConfig::from_args(&args(extra)).unwrap_err();
            assert!(err.is_input_error(), "{extra:?}: {err}");
        }
    }
}
