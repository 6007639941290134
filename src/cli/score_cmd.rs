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
use crate::score::{pooled, score, skill, Score, Scores};

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

/// The model's scores beside the two baselines'.
fn scores_table(t: &mut String, model: Scores, equal: Scores, persistence: Scores) {
    let _ = writeln!(
        t,
        "                           model   equal odds  persistence"
    );
    let _ = writeln!(
        t,
        "  Brier score            {:>7.3}      {:>7.3}      {:>7.3}",
        model.brier, equal.brier, persistence.brier
    );
    let _ = writeln!(
        t,
        "  log score              {:>7.3}      {:>7.3}      {:>7.3}",
        model.log, equal.log, persistence.log
    );
    let _ = writeln!(
        t,
        "  Brier skill vs baseline              {:>7.3}      {:>7.3}",
        skill(model.brier, equal.brier),
        skill(model.brier, persistence.brier)
    );
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
        scores_table(&mut t, s.model, s.equal_odds, s.persistence);
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
        scores_table(&mut t, m, eq, per);
    }
    t
}

/// The tidy CSV: one row per case and metric.
fn csv(scores: &[(String, u64, Score)]) -> String {
    let mut t = String::from("scenario,file,seed,runs,observed,metric,value,ci_low,ci_high\n");
    // `lead`: the first five cells, the same for every row of a case.
    let row = |t: &mut String, lead: &str, metric: &str, v: f64, ci: Option<(f64, f64)>| {
        let (lo, hi) = ci.map_or((String::new(), String::new()), |(a, b)| (num(a), num(b)));
        let _ = writeln!(t, "{lead},{metric},{},{lo},{hi}", num(v));
    };
    let scored = |t: &mut String, lead: &str, m: Scores, eq: Scores, per: Scores| {
        for (name, sc) in [("model", m), ("equal_odds", eq), ("persistence", per)] {
            row(t, lead, &format!("brier.{name}"), sc.brier, None);
            row(t, lead, &format!("log.{name}"), sc.log, None);
        }
    };
    for (file, seed, s) in scores {
        let lead = format!(
            "{},{},{seed},{},{}",
            quote(&s.name),
            quote(file),
            s.runs,
            s.observed
        );
        let (p, lo, hi) = s.p_observed;
        row(&mut t, &lead, "p_observed", p, Some((lo, hi)));
        for (k, o) in Outcome::ALL.iter().enumerate() {
            row(&mut t, &lead, &format!("share.{o}"), s.shares[k], None);
        }
        scored(&mut t, &lead, s.model, s.equal_odds, s.persistence);
        if let Some(q) = s.date_percentile {
            row(&mut t, &lead, "date_percentile", q, None);
        }
        for e in &s.settled {
            let metric = format!("settled_abs_error.{}", e.issue);
            row(&mut t, &lead, &metric, e.mean_abs_error, None);
        }
    }
    if scores.len() > 1 {
        let all: Vec<Score> = scores.iter().map(|(_, _, s)| s.clone()).collect();
        let (m, eq, per) = pooled(&all);
        scored(&mut t, "pooled,,,,", m, eq, per);
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
