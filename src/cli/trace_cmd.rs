//! `negsim trace`: one run told meeting by meeting, for teaching and
//! debugging: whole or in brief, as text, the events CSV or JSON lines, with
//! ASCII charts of the offers on any issues.
//!
//! The run's rows stream from the model to standard output as they are
//! recorded (a [`TraceSink`]); nothing holds the whole run. Each chart is
//! drawn by replaying the run (run `r` depends only on the seed and `r`),
//! so a chart's memory does not grow with the run either.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use clap::{Args, ValueEnum};

use super::parse_overrides;
use crate::error::{Error, ErrorKind, Result, STDOUT};
use crate::limits::Limits;
use crate::model::{Model, Runner, TraceRow, TraceSink};
use crate::narrate::{json_row, ChartLines, Detail, Narrator};
use crate::output::{terminal_safe, terminal_safe_lines, EventsFormat};
use crate::scenario::ScenarioSource;

/// How `trace` writes its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum TraceFormat {
    /// Narrated lines, for people.
    #[default]
    Text,
    /// The events CSV of `negsim run --events`, for this run.
    Csv,
    /// One JSON object per row (JSON lines), with the narrated text.
    Json,
}

/// `negsim trace`.
#[derive(Debug, Args, Clone, PartialEq)]
#[command(after_help = "Examples:
  negsim trace scenarios/jan-2022-security-talks.toml --run 59 --brief
  negsim trace scenarios/textbook/nash.toml --chart x
  negsim trace SCENARIO --brief --chart all
  negsim trace SCENARIO --run 57 --format csv      (row 57's lines of `run --events`)")]
pub struct TraceArgs {
    /// Scenario file (TOML); `-` reads it from standard input.
    pub scenario: PathBuf,
    /// Which run to replay (its row in the runs CSV).
    #[arg(long, default_value_t = 0)]
    pub run: u64,
    /// Master seed (default: the scenario's, else 0).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override a scenario value by path.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Meetings, decisions, threats, wars and the outcome, without the rounds.
    #[arg(long)]
    pub brief: bool,
    /// Also chart every offer on these issues, round by round, to show the
    /// positions converging (or not): issue ids, comma-separated or repeated,
    /// or `all`.
    #[arg(long, value_name = "ISSUE", value_delimiter = ',')]
    pub chart: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TraceFormat::Text)]
    pub format: TraceFormat,
    /// Raise (or lower) a limit on purpose: `max_events=50000000` (see docs/scenario-format.md, "Limits").
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limit: Vec<String>,
}

/// Everything `negsim trace` needs, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceConfig {
    /// The compiled model.
    pub model: Arc<Model>,
    /// Master seed.
    pub seed: u64,
    /// The run to tell.
    pub run: u64,
    /// Whole or brief.
    pub detail: Detail,
    /// Issues to chart, by index, in the order asked.
    pub charts: Vec<usize>,
    /// Output format.
    pub format: TraceFormat,
}

/// Resolves `--chart` ids (or `all`) to issue indices.
pub(crate) fn chart_issues(model: &Model, ids: &[String]) -> Result<Vec<usize>> {
    let mut out: Vec<usize> = Vec::new();
    for id in ids {
        let found = model.issues.iter().position(|i| &i.id == id);
        let add: Vec<usize> = match found {
            Some(k) => vec![k],
            None if id == "all" => (0..model.issues.len()).collect(),
            None => {
                let ids: Vec<&str> = model.issues.iter().map(|i| i.id.as_str()).collect();
                let hint = crate::error::suggest(id, ids.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(Error::usage(format!(
                    "--chart {id}: no such issue; expected one of: {}, or all{hint}",
                    ids.join(", ")
                )));
            }
        };
        for k in add {
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    Ok(out)
}

impl TraceConfig {
    /// Loads and validates everything the flags name.
    pub fn from_args(args: &TraceArgs) -> Result<Self> {
        let limits = Limits::from_settings(&args.limit)?;
        let overrides = parse_overrides(&args.set)?;
        let source = ScenarioSource::from_path_within(&args.scenario, &overrides, &limits)?;
        let model = Model::compile(&source.scenario);
        let charts = chart_issues(&model, &args.chart)?;
        if !charts.is_empty() && args.format != TraceFormat::Text {
            return Err(Error::usage(
                "--chart draws text; with --format csv or json every offer is already in the rows",
            ));
        }
        Ok(TraceConfig {
            seed: args.seed.unwrap_or(model.default_seed),
            model: Arc::new(model),
            run: args.run,
            detail: if args.brief {
                Detail::Brief
            } else {
                Detail::Full
            },
            charts,
            format: args.format,
        })
    }
}

/// Bytes on their way to a writer, sent on in blocks; the first write error
/// is kept and everything after it dropped.
pub(crate) struct Out {
    buf: Vec<u8>,
    w: Box<dyn Write + Send>,
    error: Option<std::io::Error>,
}

impl Out {
    /// Output to `w`.
    pub(crate) fn new(w: Box<dyn Write + Send>) -> Self {
        Out {
            buf: Vec::with_capacity(1 << 16),
            w,
            error: None,
        }
    }

    /// Text for people: control characters in names are escaped.
    pub(crate) fn text(&mut self, s: &str) {
        let safe = terminal_safe_lines(s);
        self.bytes(safe.as_bytes());
    }

    /// One line for people whose text may hold names from the scenario:
    /// every control character in it is escaped, line breaks included, so a
    /// name cannot start a line of its own; then the line's end.
    pub(crate) fn line(&mut self, s: &str) {
        let safe = terminal_safe(s);
        self.bytes(safe.as_bytes());
        self.bytes(b"\n");
    }

    /// Bytes as they are.
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        if self.error.is_some() {
            return;
        }
        self.buf.extend_from_slice(b);
        if self.buf.len() >= 1 << 15 {
            self.send();
        }
    }

    fn send(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.w.write_all(&self.buf) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }

    /// Sends what is left and flushes; the first error, if any.
    pub(crate) fn finish(&mut self) -> std::io::Result<()> {
        self.send();
        if self.error.is_none() {
            if let Err(e) = self.w.flush() {
                self.error = Some(e);
            }
        }
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// How streamed rows are written.
enum Rows {
    Text(Narrator),
    Csv(Box<EventsFormat>),
    Json(Narrator),
    Chart(ChartLines),
}

/// The sink the run streams into.
struct Stream {
    model: Arc<Model>,
    run: u64,
    detail: Detail,
    rows: Rows,
    seq: usize,
    scratch: Vec<u8>,
    out: Arc<Mutex<Out>>,
}

impl TraceSink for Stream {
    fn record(&mut self, row: &TraceRow, offer: Option<&[f64]>) {
        let seq = self.seq;
        self.seq += 1;
        let Ok(mut out) = self.out.lock() else {
            return;
        };
        match &mut self.rows {
            Rows::Text(n) => {
                if let Some(line) = n.line(row, offer) {
                    out.line(&line);
                }
            }
            Rows::Json(n) => {
                if let Some(text) = n.tell(row, offer) {
                    let mut line =
                        json_row(&self.model, self.run, seq, row, offer, text.trim_start());
                    line.push('\n');
                    out.bytes(line.as_bytes());
                }
            }
            Rows::Csv(f) => {
                if self.detail.shows(row.kind) {
                    self.scratch.clear();
                    f.row(&[], self.run, seq as u64, row, offer, &mut self.scratch);
                    out.bytes(&self.scratch);
                }
            }
            Rows::Chart(c) => {
                if let Some(line) = c.line(row, offer) {
                    out.text(&line);
                }
            }
        }
    }
}

/// Plays run `cfg.run` once, streaming its rows as `rows` into `out`.
fn stream(cfg: &TraceConfig, rows: Rows, out: &Arc<Mutex<Out>>) -> Result<()> {
    let mut runner = Runner::new(&cfg.model, cfg.seed);
    runner.set_trace_sink(Some(Box::new(Stream {
        model: Arc::clone(&cfg.model),
        run: cfg.run,
        detail: cfg.detail,
        rows,
        seq: 0,
        scratch: Vec::new(),
        out: Arc::clone(out),
    })));
    runner.run(cfg.run).map_err(|source| {
        Error::new(ErrorKind::Engine {
            run: cfg.run,
            source,
        })
    })?;
    Ok(())
}

/// Writes the trace `cfg` asks for to `w`.
pub fn write_trace(cfg: &TraceConfig, w: Box<dyn Write + Send>) -> Result<()> {
    let out = Arc::new(Mutex::new(Out::new(w)));
    let with = |f: &mut dyn FnMut(&mut Out)| {
        if let Ok(mut o) = out.lock() {
            f(&mut o);
        }
    };
    let model = &cfg.model;
    match cfg.format {
        TraceFormat::Text => {
            let n = Narrator::new(Arc::clone(model), cfg.detail);
            let title = n.title(cfg.run, cfg.seed);
            with(&mut |o| o.line(&title));
            stream(cfg, Rows::Text(n), &out)?;
        }
        TraceFormat::Csv => {
            let f = EventsFormat::new(model);
            let mut head = Vec::new();
            f.header(&[], &mut head);
            with(&mut |o| o.bytes(&head));
            stream(cfg, Rows::Csv(Box::new(f)), &out)?;
        }
        TraceFormat::Json => {
            let n = Narrator::new(Arc::clone(model), cfg.detail);
            stream(cfg, Rows::Json(n), &out)?;
        }
    }
    for &issue in &cfg.charts {
        let c = ChartLines::new(Arc::clone(model), issue);
        let head = format!("\n{}", c.header(cfg.run));
        with(&mut |o| o.text(&head));
        stream(cfg, Rows::Chart(c), &out)?;
    }
    let result = match out.lock() {
        Ok(mut o) => o.finish(),
        Err(_) => Ok(()),
    };
    result.map_err(|e| Error::io(STDOUT, e))
}

pub(super) fn trace(args: &TraceArgs) -> Result<()> {
    let cfg = TraceConfig::from_args(args)?;
    write_trace(&cfg, Box::new(std::io::stdout()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(extra: &[&str]) -> TraceArgs {
        let mut argv = vec!["negsim", "trace", "scenarios/textbook/nash.toml"];
        argv.extend_from_slice(extra);
        match crate::cli::Cli::try_parse_from(argv)
            .expect("parses")
            .command
        {
            crate::cli::Command::Trace(a) => a,
            other => panic!("not a trace: {other:?}"),
        }
    }

    #[test]
    fn flags_become_the_whole_expected_config() {
        let cfg = TraceConfig::from_args(&args(&[
            "--run", "3", "--seed", "9", "--brief", "--chart", "x",
        ]))
        .unwrap();
        let source = ScenarioSource::from_path("scenarios/textbook/nash.toml", &[]).unwrap();
        let expected = TraceConfig {
            model: Arc::new(Model::compile(&source.scenario)),
            seed: 9,
            run: 3,
            detail: Detail::Brief,
            charts: vec![0],
            format: TraceFormat::Text,
        };
        assert_eq!(cfg, expected);
        let cfg = TraceConfig::from_args(&args(&["--format", "json"])).unwrap();
        assert_eq!(
            (cfg.seed, cfg.run, cfg.detail, cfg.charts.len(), cfg.format),
            (1950, 0, Detail::Full, 0, TraceFormat::Json)
        );
    }

    #[test]
    fn charts_of_all_or_a_list_resolve_once_each_in_order() {
        let src = ScenarioSource::from_path("scenarios/jan-2022-security-talks.toml", &[]).unwrap();
        let model = Model::compile(&src.scenario);
        let ids = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            chart_issues(&model, &ids(&["arms_control", "nato_enlargement"])).unwrap(),
            [4, 0]
        );
        assert_eq!(
            chart_issues(&model, &ids(&["risk_reduction", "all"])).unwrap(),
            [3, 0, 1, 2, 4, 5]
        );
        let e = chart_issues(&model, &ids(&["arms_contrl"])).unwrap_err();
        assert!(e.is_input_error());
        assert!(e.to_string().contains("did you mean `arms_control`"), "{e}");
    }

    #[test]
    fn a_chart_with_csv_or_json_is_a_usage_error() {
        for f in ["csv", "json"] {
            let e = TraceConfig::from_args(&args(&["--chart", "x", "--format", f])).unwrap_err();
            assert!(
                e.is_input_error() && e.to_string().contains("--chart"),
                "{e}"
            );
        }
    }

    /// A writer that keeps what it is given, for the test to read.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_streamed_csv_is_the_events_csv_of_the_buffered_run() {
        let cfg = TraceConfig::from_args(&args(&["--format", "csv", "--run", "2"])).unwrap();
        let w = Shared::default();
        write_trace(&cfg, Box::new(w.clone())).unwrap();
        let streamed = w.0.lock().unwrap().clone();
        let mut runner = Runner::new(&cfg.model, cfg.seed);
        runner.set_trace(true);
        runner.run(2).unwrap();
        let f = EventsFormat::new(&cfg.model);
        let mut buffered = Vec::new();
        f.header(&[], &mut buffered);
        f.rows(&[], 2, runner.trace(), &mut buffered);
        assert!(buffered.len() > 1000);
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            String::from_utf8(buffered).unwrap()
        );
    }

    /// A writer that fails, as a closed pipe does.
    struct Closed;

    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_write_error_is_returned_not_lost() {
        let cfg = TraceConfig::from_args(&args(&[])).unwrap();
        let e = write_trace(&cfg, Box::new(Closed)).unwrap_err();
        assert!(e.is_broken_pipe(), "{e}");
    }
}
