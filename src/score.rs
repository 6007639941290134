//! Scoring a scenario's forecast against what really happened (its
//! `[observed]` table): the probability it gave the observed outcome, proper
//! scores of its outcome distribution against two baselines, where the
//! observed date falls, and how far its settlements were from the real ones.
//! The definitions are in `docs/backtest.md`.
//!
//! - **Brier score** (Brier 1950), over the seven outcomes:
//!   `Σ_o (p_o − 1[o observed])²`, from 0 (certain and right) to 2.
//! - **Log score** (Good 1952): `−ln max(p_observed, ε)` with `ε = 0.001`,
//!   so a forecast that ruled the outcome out scores ln 1000 ≈ 6.9, not
//!   infinity; 0 is certain and right.
//! - **Baselines**: equal odds over the seven outcomes, and the persistence
//!   of the status quo (half the mass on `stalemate`, half on `process`).
//!   A skill score is `1 − score / baseline score`: above 0 the model beats
//!   the baseline.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::model::{Model, Outcome, Runner};
use crate::output::{wilson_interval, Summary};
use crate::scenario::ObservedDef;

/// Probability floor of the log score.
pub const LOG_FLOOR: f64 = 0.001;

/// Runs per chunk: chunks are combined in order, so results do not depend
/// on the number of threads.
const CHUNK: u64 = 1024;

/// A forecast's scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Brier score.
    pub brier: f64,
    /// Log score (lower is better).
    pub log: f64,
}

impl Scores {
    /// The scores of the outcome distribution `p` when `observed` happened.
    pub fn of(p: &[f64; 7], observed: Outcome) -> Scores {
        let brier = p
            .iter()
            .enumerate()
            .map(|(k, &pk)| {
                let o = if k == observed.index() { 1.0 } else { 0.0 };
                (pk - o) * (pk - o)
            })
            .sum();
        Scores {
            brier,
            log: -p[observed.index()].max(LOG_FLOOR).ln(),
        }
    }

    /// Equal odds over the seven outcomes.
    pub fn equal_odds(observed: Outcome) -> Scores {
        Scores::of(&[1.0 / 7.0; 7], observed)
    }

    /// The status quo persists: half on `stalemate`, half on `process`.
    pub fn persistence(observed: Outcome) -> Scores {
        let mut p = [0.0; 7];
        p[Outcome::Stalemate.index()] = 0.5;
        p[Outcome::Process.index()] = 0.5;
        Scores::of(&p, observed)
    }
}

/// One settled issue compared with the real settlement.
#[derive(Debug, Clone, PartialEq)]
pub struct SettledError {
    /// Issue id.
    pub issue: String,
    /// The real settled value.
    pub observed: f64,
    /// Runs that settled the issue.
    pub runs: u64,
    /// Mean absolute error over those runs (NaN when none).
    pub mean_abs_error: f64,
}

/// A scenario's score.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Scenario name.
    pub name: String,
    /// The observed outcome.
    pub observed: Outcome,
    /// The observed day (days since the scenario's start).
    pub observed_day: u32,
    /// Runs.
    pub runs: u64,
    /// Each outcome's share.
    pub shares: [f64; 7],
    /// The share of the observed outcome and its 95% Wilson interval.
    pub p_observed: (f64, f64, f64),
    /// The model's scores.
    pub model: Scores,
    /// Equal odds.
    pub equal_odds: Scores,
    /// Persistence of the status quo.
    pub persistence: Scores,
    /// Among runs with the observed outcome, the share ending on or before
    /// the observed day (None when no run had that outcome).
    pub date_percentile: Option<f64>,
    /// Median end day of those runs.
    pub median_day: Option<u32>,
    /// Per settled issue of the record.
    pub settled: Vec<SettledError>,
}

/// What a chunk of runs adds up to.
#[derive(Debug, Clone, Default)]
struct Tally {
    summary: Summary,
    /// Per observed settled issue: (runs settling it, sum of absolute errors).
    errors: Vec<(u64, f64)>,
}

impl Tally {
    fn merge(&mut self, other: &Tally) {
        self.summary.merge(&other.summary);
        for (a, b) in self.errors.iter_mut().zip(&other.errors) {
            a.0 += b.0;
            a.1 += b.1;
        }
    }
}

/// Runs `runs` runs of `model` with `seed` and scores them against `observed`.
pub fn score(model: &Model, observed: &ObservedDef, seed: u64, runs: u64) -> Result<Score> {
    let outcome = Outcome::from_name(&observed.outcome)
        .ok_or_else(|| Error::usage(format!("unknown outcome `{}`", observed.outcome)))?;
    let issues: Vec<(usize, f64)> = observed
        .settled
        .iter()
        .map(|(id, v)| {
            let i = model
                .issues
                .iter()
                .position(|iss| &iss.id == id)
                .ok_or_else(|| Error::usage(format!("unknown issue `{id}` in [observed]")))?;
            Ok((i, *v))
        })
        .collect::<Result<_>>()?;
    let chunks: Vec<(u64, u64)> = (0..runs.div_ceil(CHUNK))
        .map(|c| (c * CHUNK, ((c + 1) * CHUNK).min(runs)))
        .collect();
    let tallies: Vec<Result<Tally>> = chunks
        .par_iter()
        .map(|&(from, to)| {
            let mut runner = Runner::new(model, seed);
            let mut t = Tally {
                summary: Summary::default(),
                errors: vec![(0, 0.0); issues.len()],
            };
            for r in from..to {
                let res = runner
                    .run(r)
                    .map_err(|e| Error::usage(format!("run {r}: {e}")))?;
                t.summary.add(&res);
                for (k, &(i, v)) in issues.iter().enumerate() {
                    if let Some(x) = res.settled[i] {
                        t.errors[k].0 += 1;
                        t.errors[k].1 += (x - v).abs();
                    }
                }
            }
            Ok(t)
        })
        .collect();
    let mut total = Tally {
        summary: Summary::default(),
        errors: vec![(0, 0.0); issues.len()],
    };
    for t in tallies {
        total.merge(&t?);
    }
    let n = total.summary.runs().max(1);
    let mut shares = [0.0; 7];
    for (k, s) in shares.iter_mut().enumerate() {
        *s = total.summary.outcomes[k].count as f64 / n as f64;
    }
    let k = total.summary.outcomes[outcome.index()].count;
    let (lo, hi) = wilson_interval(k, n);
    let observed_day = model.start.days_until(observed.date.0).max(0) as u32;
    let stats = &total.summary.outcomes[outcome.index()];
    let date_percentile = (stats.count > 0).then(|| {
        let upto: u64 = stats.days.iter().take(observed_day as usize + 1).sum();
        upto as f64 / stats.count as f64
    });
    Ok(Score {
        name: model.name.clone(),
        observed: outcome,
        observed_day,
        runs: n,
        shares,
        p_observed: (shares[outcome.index()], lo, hi),
        model: Scores::of(&shares, outcome),
        equal_odds: Scores::equal_odds(outcome),
        persistence: Scores::persistence(outcome),
        date_percentile,
        median_day: stats.quantile(0.5),
        settled: observed
            .settled
            .iter()
            .zip(&total.errors)
            .map(|((id, v), &(runs, sum))| SettledError {
                issue: id.clone(),
                observed: *v,
                runs,
                mean_abs_error: if runs > 0 {
                    sum / runs as f64
                } else {
                    f64::NAN
                },
            })
            .collect(),
    })
}

/// Mean scores over several cases: (model, equal odds, persistence).
pub fn pooled(scores: &[Score]) -> (Scores, Scores, Scores) {
    let mean = |f: &dyn Fn(&Score) -> Scores| {
        let n = scores.len().max(1) as f64;
        Scores {
            brier: scores.iter().map(|s| f(s).brier).sum::<f64>() / n,
            log: scores.iter().map(|s| f(s).log).sum::<f64>() / n,
        }
    };
    (
        mean(&|s| s.model),
        mean(&|s| s.equal_odds),
        mean(&|s| s.persistence),
    )
}

/// `1 − score / baseline`: above 0 the forecast beats the baseline.
pub fn skill(score: f64, baseline: f64) -> f64 {
    if baseline == 0.0 {
        f64::NAN
    } else {
        1.0 - score / baseline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brier_and_log_scores_by_hand() {
        // Certain and right.
        let mut p = [0.0; 7];
        p[Outcome::Conflict.index()] = 1.0;
        let s = Scores::of(&p, Outcome::Conflict);
        assert_eq!((s.brier, s.log), (0.0, 0.0));
        // Certain and wrong: Brier 2, log -ln(0.001).
        let s = Scores::of(&p, Outcome::Agreement);
        assert_eq!(s.brier, 2.0);
        assert!((s.log - 1000f64.ln()).abs() < 1e-12);
        // Equal odds: (6/7)^2 + 6 (1/7)^2 = 42/49; log ln 7.
        let s = Scores::equal_odds(Outcome::Sanctions);
        assert!((s.brier - 42.0 / 49.0).abs() < 1e-12);
        assert!((s.log - 7f64.ln()).abs() < 1e-12);
        // Persistence: right half-way (stalemate) scores 0.25 + 0.25.
        let s = Scores::persistence(Outcome::Stalemate);
        assert!((s.brier - 0.5).abs() < 1e-12);
        assert!((s.log - 2f64.ln()).abs() < 1e-12);
        // Persistence when war came: 1 + 0.25 + 0.25.
        assert!((Scores::persistence(Outcome::Conflict).brier - 1.5).abs() < 1e-12);
    }

    #[test]
    fn skill_against_a_baseline() {
        assert_eq!(skill(0.5, 1.0), 0.5);
        assert!(skill(2.0, 1.0) < 0.0);
    }
}
