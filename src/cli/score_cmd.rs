//! `negsim score`: how well scenarios foresaw what happened (their
//! `[observed]` tables). The scores are computed in [`crate::score`].

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use clap::Args;

use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::model::{Model, Outcome};
use crate::output::Destination;
use crate::scenario::ScenarioSource;
use crate::score::{pooled, score, skill, Score};

/// `negsim score`.
#[derive(Debug, Args, Clone, PartialEq)]
#[command(after_help = "Examples:
  negsim score scenarios/jan-2022-security-talks.toml scenarios/history/*.toml
  negsim score scenarios/history/*.toml --runs 20000 --out scores.csv

Each scenario needs an [observed] table (outcome, date, settled values, source).
Exit codes: 0 success, 2 bad input or usage (a scenario without [observed]), 1 anything else.")]
pub struct ScoreArgs {
    /// Scenario files, each with an `[observed]` table.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Runs per scenario (default: each scenario's `[simulation] runs`, else 10,000).
    #[arg(long)]
    pub runs: Option<u64>,
    /// Master seed (default: each scenario's, else 0).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Write the tidy CSV of the scores here (`-` for standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub(super) fn score_cmd(args: &ScoreArgs) -> Result<()> {
    let limits = Limits::default();
    // Load everything first: a scenario without a record fails before any run.
    let mut cases = Vec::new();
    for path in &args.scenarios {
        let source = ScenarioSource::from_path_within(path, &[], &limits)?;
        let Some(observed) = source.scenario.observed.clone() else {
            return Err(Error::usage(format!(
                "{}: the scenario has no [observed] table, so there is nothing to score it against; \
                 add one with `outcome`, `date` and `source` (docs/backtest.md, \"Adding a case\")",
                path.display()
            )));
        };
        let model = Model::compile(&source.scenario);
        cases.push((path.display().to_string(), model, observed));
    }
    let threads = args.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::usage(format!("cannot start the worker threads: {e}")))?;
    let mut scores = Vec::new();
    for (file, model, observed) in &cases {
        let runs = args.runs.unwrap_or(model.default_runs);
        if runs == 0 {
            return Err(Error::usage("--runs must be at least 1"));
        }
        let seed = args.seed.unwrap_or(model.default_seed);
        let s = pool.install(|| score(model, observed, seed, runs))?;
        scores.push((file.clone(), seed, s));
    }
    if let Some(path) = &args.out {
        let mut d = Destination::open(path)?;
        d.write_all(csv(&scores).as_bytes())
            .map_err(|e| Error::io(d.name(), e))?;
        d.commit()?;
        if path.as_os_str() == "-" {
            super::print_err(&render(&scores));
            return Ok(());
        }
    }
    super::print_out(&render(&scores))
}

fn pct(x: f64) -> String {
    format!("{:.2}%", 100.0 * x)
}

/// The terminal table.
fn render(scores: &[(String, u64, Score)]) -> String {
    let mut t = String::new();
    for (file, seed, s) in scores {
        let (p, lo, hi) = s.p_observed;
        let _ = writeln!(t, "{} ({file})", s.name);
        let _ = writeln!(
            t,
            "  observed: {} on day {}   runs: {}   seed: {seed}",
            s.observed, s.observed_day, s.runs
        );
        let _ = writeln!(
            t,
            "  P(observed outcome)      {:>8}   95% CI [{}, {}]",
            pct(p),
            pct(lo),
            pct(hi)
        );
        let _ = writeln!(
            t,
            "                           model   equal odds  persistence"
        );
        let _ = writeln!(
            t,
            "  Brier score            {:>7.3}      {:>7.3}      {:>7.3}",
            s.model.brier, s.equal_odds.brier, s.persistence.brier
        );
        let _ = writeln!(
            t,
            "  log score              {:>7.3}      {:>7.3}      {:>7.3}",
            s.model.log, s.equal_odds.log, s.persistence.log
        );
        let _ = writeln!(
            t,
            "  Brier skill vs baseline              {:>7.3}      {:>7.3}",
            skill(s.model.brier, s.equal_odds.brier),
            skill(s.model.brier, s.persistence.brier)
        );
        match (s.date_percentile, s.median_day) {
            (Some(q), Some(m)) => {
                let _ = writeln!(
                    t,
                    "  observed day among runs ending in {}: percentile {:.1} (their median day {m})",
                    s.observed,
                    100.0 * q
                );
            }
            _ => {
                let _ = writeln!(t, "  no run ended in {}: no date to compare", s.observed);
            }
        }
        for e in &s.settled {
            if e.runs == 0 {
                let _ = writeln!(
                    t,
                    "  settled {} = {}: no run settled it",
                    e.issue, e.observed
                );
            } else {
                let _ = writeln!(
                    t,
                    "  settled {} = {}: mean absolute error {:.3} over {} runs",
                    e.issue, e.observed, e.mean_abs_error, e.runs
                );
            }
        }
        t.push('\n');
    }
    if scores.len() > 1 {
        let all: Vec<Score> = scores.iter().map(|(_, _, s)| s.clone()).collect();
        let (m, eq, per) = pooled(&all);
        let _ = writeln!(t, "pooled over {} cases (means)", all.len());
        let _ = writeln!(
            t,
            "                           model   equal odds  persistence"
        );
        let _ = writeln!(
            t,
            "  Brier score            {:>7.3}      {:>7.3}      {:>7.3}",
            m.brier, eq.brier, per.brier
        );
        let _ = writeln!(
            t,
            "  log score              {:>7.3}      {:>7.3}      {:>7.3}",
            m.log, eq.log, per.log
        );
        let _ = writeln!(
            t,
            "  Brier skill vs baseline              {:>7.3}      {:>7.3}",
            skill(m.brier, eq.brier),
            skill(m.brier, per.brier)
        );
    }
    t
}

/// The tidy CSV: one row per case and metric.
fn csv(scores: &[(String, u64, Score)]) -> String {
    let mut t = String::from("scenario,file,seed,runs,observed,metric,value,ci_low,ci_high\n");
    let mut row = |file: &str,
                   seed: String,
                   runs: String,
                   s_name: &str,
                   obs: &str,
                   metric: &str,
                   v: f64,
                   ci: Option<(f64, f64)>| {
        let (lo, hi) = ci.map_or((String::new(), String::new()), |(a, b)| (num(a), num(b)));
        let _ = writeln!(
            t,
            "{},{},{seed},{runs},{obs},{metric},{},{lo},{hi}",
            quote(s_name),
            quote(file),
            num(v)
        );
    };
    for (file, seed, s) in scores {
        let (seed, runs, obs) = (seed.to_string(), s.runs.to_string(), s.observed.as_str());
        let (p, lo, hi) = s.p_observed;
        row(
            file,
            seed.clone(),
            runs.clone(),
            &s.name,
            obs,
            "p_observed",
            p,
            Some((lo, hi)),
        );
        for (k, o) in Outcome::ALL.iter().enumerate() {
            let metric = format!("share.{o}");
            row(
                file,
                seed.clone(),
                runs.clone(),
                &s.name,
                obs,
                &metric,
                s.shares[k],
                None,
            );
        }
        for (name, sc) in [
            ("model", s.model),
            ("equal_odds", s.equal_odds),
            ("persistence", s.persistence),
        ] {
            row(
                file,
                seed.clone(),
                runs.clone(),
                &s.name,
                obs,
                &format!("brier.{name}"),
                sc.brier,
                None,
            );
            row(
                file,
                seed.clone(),
                runs.clone(),
                &s.name,
                obs,
                &format!("log.{name}"),
                sc.log,
                None,
            );
        }
        if let Some(q) = s.date_percentile {
            row(
                file,
                seed.clone(),
                runs.clone(),
                &s.name,
                obs,
                "date_percentile",
                q,
                None,
            );
        }
        for e in &s.settled {
            row(
                file,
                seed.clone(),
                runs.clone(),
                &s.name,
                obs,
                &format!("settled_abs_error.{}", e.issue),
                e.mean_abs_error,
                None,
            );
        }
    }
    if scores.len() > 1 {
        let all: Vec<Score> = scores.iter().map(|(_, _, s)| s.clone()).collect();
        let (m, eq, per) = pooled(&all);
        for (name, sc) in [("model", m), ("equal_odds", eq), ("persistence", per)] {
            row(
                "",
                String::new(),
                String::new(),
                "pooled",
                "",
                &format!("brier.{name}"),
                sc.brier,
                None,
            );
            row(
                "",
                String::new(),
                String::new(),
                "pooled",
                "",
                &format!("log.{name}"),
                sc.log,
                None,
            );
        }
    }
    t
}

fn num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        let mut b = ryu::Buffer::new();
        b.format(x).to_string()
    }
}

/// A text CSV cell: guarded against spreadsheet formulas (a leading `'`,
/// as the other outputs do), quoted when it holds a comma or a quote.
fn quote(s: &str) -> String {
    let s = if crate::output::is_formula_like(s.as_bytes()) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
