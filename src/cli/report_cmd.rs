//! `negsim report`: a self-contained HTML report of a batch it runs, or of
//! the runs CSV a batch or a sweep wrote.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;

use super::{interrupt_flag, parse_overrides, print_out};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::{clamp_threads, Limits};
use crate::output::{terminal_safe, Destination};
use crate::report::Report;
use crate::scenario::ScenarioSource;

/// `negsim report`.
#[derive(Debug, Args, Clone, PartialEq)]
#[command(after_help = "Examples:
  negsim report scenarios/jan-2022-security-talks.toml --html report.html
  negsim report SCENARIO --runs 2000 --set parties.russia.patience=0.9 --html r.html
  negsim report --from runs.csv --events events.csv --html r.html
  negsim sweep SCENARIO --vary KEY=0..1:5 --out sweep.csv && negsim report --from sweep.csv --html s.html

With --from, the scenario is the one the runs CSV's provenance sidecar
(RUNS.csv.meta.json) names, or SCENARIO when given.")]
pub struct ReportArgs {
    /// Scenario file (TOML); with --from, the scenario the runs were made from.
    pub scenario: Option<PathBuf>,
    /// Build the report from this runs CSV (`negsim run --out` or `negsim sweep --out`).
    #[arg(long, value_name = "RUNS.csv")]
    pub from: Option<PathBuf>,
    /// With --from: the events CSV of the same runs, for the sample runs' offers.
    #[arg(long, value_name = "EVENTS.csv", requires = "from")]
    pub events: Option<PathBuf>,
    /// Write the report here (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    pub html: PathBuf,
    /// Number of runs (default: the scenario's, else 10000).
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed (default: the scenario's, else 0).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Override a scenario value by path: `parties.russia.patience=0.9`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Raise (or lower) a limit on purpose: `runs=5000000000` (see docs/scenario-format.md, "Limits").
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limit: Vec<String>,
}

/// Where a report's runs come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportInput {
    /// A batch to run.
    Batch {
        /// The scenario, overrides applied.
        source: Box<ScenarioSource>,
        /// Runs.
        runs: u64,
        /// Master seed.
        seed: u64,
        /// Threads (0: one per core).
        threads: usize,
    },
    /// Files a batch or a sweep wrote.
    Files {
        /// The runs CSV.
        runs: PathBuf,
        /// Its events CSV.
        events: Option<PathBuf>,
        /// The scenario, when named on the command line.
        scenario: Option<PathBuf>,
    },
}

/// Everything `negsim report` needs, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportConfig {
    /// The runs.
    pub input: ReportInput,
    /// Where the page goes.
    pub html: PathBuf,
    /// The limits in force.
    pub limits: Limits,
}

impl ReportConfig {
    /// Loads and validates everything the flags name.
    pub fn from_args(args: &ReportArgs) -> Result<Self> {
        let limits = Limits::from_settings(&args.limit)?;
        let mut inputs: Vec<(&str, &std::path::Path)> = Vec::new();
        let input = match &args.from {
            Some(from) => {
                for (flag, given) in [
                    ("--runs", args.runs.is_some()),
                    ("--seed", args.seed.is_some()),
                    ("--threads", args.threads.is_some()),
                    ("--set", !args.set.is_empty()),
                ] {
                    if given {
                        return Err(Error::usage(format!(
                            "{flag} sets up a batch for the report to run; with --from the runs \
                             are read from {}",
                            from.display()
                        )));
                    }
                }
                inputs.push(("--from", from));
                if let Some(e) = &args.events {
                    inputs.push(("--events", e));
                }
                ReportInput::Files {
                    runs: from.clone(),
                    events: args.events.clone(),
                    scenario: args.scenario.clone(),
                }
            }
            None => {
                let Some(path) = &args.scenario else {
                    return Err(Error::usage(
                        "name a scenario to run, or a runs CSV to read with --from RUNS.csv",
                    ));
                };
                let overrides = parse_overrides(&args.set)?;
                if let Some(runs) = args.runs.filter(|&r| r > limits.runs) {
                    return Err(limits.usage_error(&format!("--runs {runs}"), "runs", runs));
                }
                let source = ScenarioSource::from_path_within(path, &overrides, &limits)?;
                let model = crate::model::Model::compile(&source.scenario);
                let runs = args.runs.unwrap_or(model.default_runs);
                if runs == 0 {
                    return Err(Error::usage("--runs must be at least 1"));
                }
                if args.threads == Some(0) {
                    return Err(Error::usage("--threads must be at least 1"));
                }
                ReportInput::Batch {
                    runs,
                    seed: args.seed.unwrap_or(model.default_seed),
                    threads: args.threads.unwrap_or(0),
                    source: Box::new(source),
                }
            }
        };
        if let Some(s) = &args.scenario {
            inputs.push(("the scenario", s));
        }
        crate::output::refuse_clobber(&inputs, &[("--html", &args.html)])?;
        Ok(ReportConfig {
            input,
            html: args.html.clone(),
            limits,
        })
    }

    /// Builds the report.
    pub fn build(&self) -> Result<Report> {
        self.build_until(&AtomicBool::new(false))
    }

    /// Builds the report; a batch stops early, with
    /// [`ErrorKind::Interrupted`], when `cancel` is set.
    pub fn build_until(&self, cancel: &AtomicBool) -> Result<Report> {
        match &self.input {
            ReportInput::Batch {
                source,
                runs,
                seed,
                threads,
            } => {
                let (threads, note) = clamp_threads(*threads, *runs);
                if let Some(n) = note {
                    super::print_err(&format!("{n}\n"));
                }
                Report::from_batch((**source).clone(), *runs, *seed, threads, cancel)
            }
            ReportInput::Files {
                runs,
                events,
                scenario,
            } => Report::from_files(runs, events.as_deref(), scenario.as_deref(), &self.limits),
        }
    }
}

pub(super) fn report(args: &ReportArgs) -> Result<()> {
    let cfg = ReportConfig::from_args(args)?;
    // Before the temporary file exists: a signal from then on removes it.
    let cancel = interrupt_flag();
    let mut dest = Destination::open(&cfg.html)?;
    let report = cfg.build_until(cancel)?;
    let html = report.to_html()?;
    // Reading files (`--from`) and drawing do not look at the flag: a
    // signal during them is honoured here, before the page replaces FILE.
    if cancel.load(Ordering::SeqCst) {
        return Err(Error::new(ErrorKind::Interrupted));
    }
    dest.write_all(html.as_bytes())
        .map_err(|e| Error::io(dest.name(), e))?;
    dest.commit()?;
    let charts = html.matches("<figure class=\"chart\"").count();
    let text = format!(
        "report: {} ({}), {charts} charts\nwrote report: {} ({} KB)\n",
        terminal_safe(&report.model.name),
        terminal_safe(&report.origin),
        terminal_safe(&cfg.html.display().to_string()),
        html.len().div_ceil(1024)
    );
    if cfg.html.as_os_str() == "-" {
        super::print_err(&text);
        Ok(())
    } else {
        print_out(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(argv: &[&str]) -> ReportArgs {
        let mut all = vec!["negsim", "report"];
        all.extend_from_slice(argv);
        match crate::cli::Cli::try_parse_from(all)
            .expect("parses")
            .command
        {
            crate::cli::Command::Report(a) => *a,
            other => panic!("not a report: {other:?}"),
        }
    }

    #[test]
    fn a_batch_report_takes_the_scenarios_defaults() {
        let cfg = ReportConfig::from_args(&args(&[
            "scenarios/textbook/fearon.toml",
            "--html",
            "r.html",
            "--runs",
            "50",
        ]))
        .unwrap();
        let source = ScenarioSource::from_path("scenarios/textbook/fearon.toml", &[]).unwrap();
        assert_eq!(
            cfg,
            ReportConfig {
                input: ReportInput::Batch {
                    source: Box::new(source),
                    runs: 50,
                    seed: 1995,
                    threads: 0
                },
                html: "r.html".into(),
                limits: Limits::default(),
            }
        );
    }

    #[test]
    fn a_report_from_files_names_them() {
        let cfg = ReportConfig::from_args(&args(&[
            "--from", "runs.csv", "--events", "ev.csv", "--html", "r.html",
        ]))
        .unwrap();
        assert_eq!(
            cfg.input,
            ReportInput::Files {
                runs: "runs.csv".into(),
                events: Some("ev.csv".into()),
                scenario: None
            }
        );
    }

    #[test]
    fn batch_flags_with_from_and_a_missing_scenario_are_usage_errors() {
        for argv in [
            &["--from", "runs.csv", "--runs", "5", "--html", "r.html"][..],
            &["--from", "runs.csv", "--set", "a.b=1", "--html", "r.html"],
            &["--html", "r.html"],
            &[
                "scenarios/textbook/fearon.toml",
                "--runs",
                "0",
                "--html",
                "r.html",
            ],
            &[
                "scenarios/textbook/fearon.toml",
                "--html",
                "scenarios/textbook/fearon.toml",
            ],
        ] {
            let e = ReportConfig::from_args(&args(argv)).unwrap_err();
            assert!(e.is_input_error(), "{argv:?}: {e}");
        }
    }
}
