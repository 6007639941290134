//! The command line: clap structures that mirror the flags, their conversion
//! into library configuration, and the commands themselves.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::{Error, Result, STDOUT};
use crate::limits::{clamp_threads, Limits};
use crate::model::Model;
use crate::montecarlo::{Driver, Job, Sink};
use crate::output::columns::schema_path;
use crate::output::{terminal_safe, EventsFormat, FileFormat, RunsFormat, Summary, TableWriter};
use crate::scenario::{Override, ScenarioSource};
use crate::sweep::provenance::Provenance;
use score_cmd::ScoreArgs;

mod analyze_cmd;
mod merge_cmd;
mod play_cmd;
mod report_cmd;
mod rerun_cmd;
mod score_cmd;
mod signals;
mod sweep_cmd;
mod sweep_table;
mod trace_cmd;

pub use analyze_cmd::{AnalysisFlags, AnalyzeArgs};
pub use merge_cmd::MergeArgs;
pub use play_cmd::{game_from_args, PlayArgs};
pub use report_cmd::{ReportArgs, ReportConfig, ReportInput};
pub use rerun_cmd::RerunArgs;
pub use sweep_cmd::SweepArgs;
pub use trace_cmd::{write_trace, TraceArgs, TraceConfig, TraceFormat};

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

/// `negsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files (`-`: standard input).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Raise (or lower) a limit on purpose: `runs=5000000000` (see docs/scenario-format.md, "Limits").
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limit: Vec<String>,
}

/// When the progress bar shows (only ever on a terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ProgressMode {
    /// Once a batch has taken half a second.
    #[default]
    Auto,
    /// From the first run.
    Always,
    /// Never.
    Never,
}

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

/// What a command prints on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Report {
    /// The table for people.
    #[default]
    Human,
    /// Nothing (`--quiet`).
    Quiet,
    /// JSON on standard output (`--json`).
    Json,
}

impl Report {
    /// From `--quiet` and `--json`.
    pub fn from_flags(quiet: bool, json: bool) -> Report {
        match (quiet, json) {
            (_, true) => Report::Json,
            (true, false) => Report::Quiet,
            _ => Report::Human,
        }
    }
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

/// Writes `text` to standard output and flushes it: a closed pipe or a full
/// disk is an error, never a panic or a silent loss. Control characters other
/// than line breaks are escaped (the text is for people; CSV goes elsewhere).
pub fn print_out(text: &str) -> Result<()> {
    write_stdout(&crate::output::terminal_safe_lines(text))
}

/// Writes negsim's own text (clap's help, with its colours) as it is.
fn write_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(STDOUT, e))
}

/// Writes `text` to standard error; a failure there has nowhere to be told,
/// so it is ignored (never a panic).
pub fn print_err(text: &str) {
    let text = crate::output::terminal_safe_lines(text);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

pub use signals::interrupt_flag;

/// The exit status for an error: 2 for bad input or usage, 128 + the signal
/// for a command stopped by SIGINT, SIGTERM or SIGHUP (130, 143, 129), 141
/// (128 + SIGPIPE, as a program killed by it) for a closed pipe, 1 otherwise.
pub fn exit_code(e: &Error) -> u8 {
    if matches!(e.kind(), crate::error::ErrorKind::Interrupted) {
        let sig = signals::received().unwrap_or(2);
        return u8::try_from(128 + sig).unwrap_or(130);
    }
    if e.is_broken_pipe() {
        return 141;
    }
    if e.is_input_error() {
        2
    } else {
        1
    }
}

/// Shows a clap error or the help or version text it carries, and returns
/// the exit status: the help on a closed or full standard output is not
/// lost silently either.
pub fn clap_exit(e: clap::Error) -> u8 {
    if e.use_stderr() {
        let _ = e.print();
        return u8::try_from(e.exit_code()).unwrap_or(2);
    }
    let text = if std::io::stdout().is_terminal() {
        e.render().ansi().to_string()
    } else {
        e.render().to_string()
    };
    match write_stdout(&text) {
        Ok(()) => 0,
        Err(err) => {
            if !err.is_broken_pipe() {
                print_err(&format!("error: {err}\n"));
            }
            exit_code(&err)
        }
    }
}

/// Runs a parsed command line. Returns the process exit code on success.
pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Validate(a) => validate(&a),
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

fn validate(args: &ValidateArgs) -> Result<()> {
    let limits = Limits::from_settings(&args.limit)?;
    let mut failed: Vec<Error> = Vec::new();
    for path in &args.scenarios {
        match ScenarioSource::from_path_within(path, &[], &limits) {
            Ok(_) => print_out(&format!("ok: {}\n", path.display()))?,
            Err(e) => failed.push(e),
        }
    }
    match failed.len() {
        0 => Ok(()),
        1 => Err(failed.remove(0)),
        n => {
            let input = failed.iter().all(Error::is_input_error);
            let mut text = String::new();
            for e in &failed {
                text.push_str(&e.to_string());
                text.push('\n');
            }
            text.push_str(&format!(
                "{n} of {} scenario files are invalid",
                args.scenarios.len()
            ));
            let e = if input {
                Error::usage(text)
            } else {
                Error::new(crate::error::ErrorKind::Other(text))
            };
            Err(e.with_source(Failures(failed)))
        }
    }
}

/// The errors of several scenario files, kept as the source of the error
/// that lists them.
#[derive(Debug)]
pub struct Failures(pub Vec<Error>);

impl std::fmt::Display for Failures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} scenario files are invalid", self.0.len())
    }
}

impl std::error::Error for Failures {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .first()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A progress bar on stderr, shown only on a terminal and only once a batch
/// has taken longer than a moment.
pub struct Progress {
    bar: indicatif::ProgressBar,
    started: Instant,
    delay: Duration,
    shown: bool,
    tty: bool,
}

impl Progress {
    /// For a batch of `total` runs, shown as `mode` says.
    pub fn with_mode(total: u64, mode: ProgressMode) -> Self {
        let mut p = Progress::new(total);
        match mode {
            ProgressMode::Auto => {}
            ProgressMode::Always => p.delay = Duration::ZERO,
            ProgressMode::Never => p.tty = false,
        }
        p
    }

    /// For a batch of `total` runs.
    pub fn new(total: u64) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {human_pos}/{human_len} runs  {msg}  eta {eta}",
        ) {
            bar.set_style(style);
        }
        Progress {
            bar,
            started: Instant::now(),
            delay: Duration::from_millis(500),
            shown: false,
            tty: std::io::stderr().is_terminal(),
        }
    }

    /// Updates the count.
    pub fn set(&mut self, done: u64) {
        if self.tty && !self.shown && self.started.elapsed() >= self.delay {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.bar.set_position(done);
        if self.shown {
            let rate = done as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
            self.bar.set_message(format!("{rate:.0} runs/s"));
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if self.shown {
            self.bar.finish_and_clear();
        }
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

/// Prints `v` as pretty JSON on standard output, with a final line break.
pub fn write_json(v: &serde_json::Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(v).expect("JSON serializes");
    text.push('\n');
    write_stdout(&text)
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
