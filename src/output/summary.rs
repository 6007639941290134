//! Outcome counts with 95% Wilson intervals and end-day statistics, kept in
//! constant memory (an end-day histogram per outcome).

use std::fmt::Write as _;

use super::columns::{Column, ColumnType};
use super::{push_f64, push_int, write_record};
use crate::model::{Outcome, RunResult};

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// Wilson's (1927) score interval for a binomial proportion `k / n` at 95%.
pub fn wilson_interval(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At k = 0 and k = n the exact bounds are 0 and 1; rounding must not
    // leave the share outside its own interval.
    let lo = if k == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if k as f64 == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

/// Counts and end days for one outcome (or for all runs).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutcomeStats {
    /// Runs ending in this outcome.
    pub count: u64,
    /// Sum of end days.
    pub day_sum: u64,
    /// Histogram of end days (index = whole day).
    pub days: Vec<u64>,
}

impl OutcomeStats {
    fn add(&mut self, day: u32) {
        self.count += 1;
        self.day_sum += u64::from(day);
        let d = day as usize;
        if self.days.len() <= d {
            self.days.resize(d + 1, 0);
        }
        self.days[d] += 1;
    }

    fn merge(&mut self, other: &OutcomeStats) {
        self.count += other.count;
        self.day_sum += other.day_sum;
        if self.days.len() < other.days.len() {
            self.days.resize(other.days.len(), 0);
        }
        for (a, b) in self.days.iter_mut().zip(&other.days) {
            *a += b;
        }
    }

    /// Mean end day (NaN when empty).
    pub fn mean_day(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.day_sum as f64 / self.count as f64
        }
    }

    /// The `q`-quantile of end days: the smallest day whose cumulative share
    /// reaches `q` (the inverse of the empirical CDF).
    pub fn quantile(&self, q: f64) -> Option<u32> {
        if self.count == 0 {
            return None;
        }
        let need = (q * self.count as f64).ceil().max(1.0) as u64;
        let mut cum = 0;
        for (d, &c) in self.days.iter().enumerate() {
            cum += c;
            if cum >= need {
                return Some(d as u32);
            }
        }
        None
    }
}

/// Summary of a batch of runs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    /// Per outcome, in [`Outcome::ALL`] order.
    pub outcomes: [OutcomeStats; 7],
    /// All runs together.
    pub all: OutcomeStats,
}

impl Summary {
    /// Adds one run.
    pub fn add(&mut self, r: &RunResult) {
        self.outcomes[r.outcome().index()].add(r.end_day);
        self.all.add(r.end_day);
    }

    /// Adds another summary's counts.
    pub fn merge(&mut self, other: &Summary) {
        for (a, b) in self.outcomes.iter_mut().zip(&other.outcomes) {
            a.merge(b);
        }
        self.all.merge(&other.all);
    }

    /// Number of runs.
    pub fn runs(&self) -> u64 {
        self.all.count
    }

    /// Summary CSV column names (after any prefix columns).
    pub const COLUMNS: [&'static str; 9] = [
        "outcome",
        "count",
        "share",
        "ci_low",
        "ci_high",
        "end_day_mean",
        "end_day_p25",
        "end_day_median",
        "end_day_p75",
    ];

    /// The columns after any prefix, with their types and meanings.
    pub fn schema() -> Vec<Column> {
        use ColumnType::*;
        vec![
            Column::new(
                "outcome",
                String,
                "an outcome (agreement, partial_agreement, process, stalemate, breakdown, \
                 sanctions, conflict), or all for every run",
            ),
            Column::new("count", Integer, "runs that ended so"),
            Column::new("share", Number, "count / runs").unit("fraction"),
            Column::new(
                "ci_low",
                Number,
                "lower bound of Wilson's 95% score interval for the share",
            )
            .unit("fraction"),
            Column::new(
                "ci_high",
                Number,
                "upper bound of Wilson's 95% score interval for the share",
            )
            .unit("fraction"),
            Column::new(
                "end_day_mean",
                Number,
                "mean end day of these runs; NaN when count is 0",
            )
            .unit("day"),
            Column::new(
                "end_day_p25",
                Number,
                "first quartile of the end days (the smallest day whose cumulative share \
                 reaches 0.25); NaN when count is 0",
            )
            .unit("day"),
            Column::new(
                "end_day_median",
                Number,
                "median end day (as end_day_p25, at 0.5); NaN when count is 0",
            )
            .unit("day"),
            Column::new(
                "end_day_p75",
                Number,
                "third quartile of the end days; NaN when count is 0",
            )
            .unit("day"),
        ]
    }

    /// Appends the summary CSV header.
    pub fn csv_header(prefix: &[String], out: &mut Vec<u8>) {
        write_record(
            out,
            prefix
                .iter()
                .map(|s| s.as_bytes())
                .chain(Self::COLUMNS.iter().map(|s| s.as_bytes())),
        );
    }

    /// Appends one row per outcome and an `all` row; `prefix` ends with a comma when non-empty.
    pub fn csv_rows(&self, prefix: &[u8], out: &mut Vec<u8>) {
        let n = self.runs();
        let rows = Outcome::ALL
            .iter()
            .map(|o| (o.as_str(), &self.outcomes[o.index()]))
            .chain(std::iter::once(("all", &self.all)));
        for (name, s) in rows {
            out.extend_from_slice(prefix);
            out.extend_from_slice(name.as_bytes());
            out.push(b',');
            push_int(out, s.count);
            out.push(b',');
            let (lo, hi) = wilson_interval(s.count, n);
            push_f64(
                out,
                if n == 0 {
                    0.0
                } else {
                    s.count as f64 / n as f64
                },
            );
            out.push(b',');
            push_f64(out, lo);
            out.push(b',');
            push_f64(out, hi);
            out.push(b',');
            push_f64(out, s.mean_day());
            for q in [0.25, 0.5, 0.75] {
                out.push(b',');
                push_f64(out, s.quantile(q).map_or(f64::NAN, f64::from));
            }
            out.push(b'\n');
        }
    }

    /// The summary as JSON: `runs`, and per outcome (and `all`) its count,
    /// share, 95% interval and end-day statistics (`null` where no run ended so).
    pub fn to_json(&self) -> serde_json::Value {
        let n = self.runs();
        let num = |x: f64| {
            if x.is_finite() {
                serde_json::json!(x)
            } else {
                serde_json::Value::Null
            }
        };
        let rows: Vec<serde_json::Value> = Outcome::ALL
            .iter()
            .map(|o| (o.as_str(), &self.outcomes[o.index()]))
            .chain(std::iter::once(("all", &self.all)))
            .map(|(name, s)| {
                let (lo, hi) = wilson_interval(s.count, n);
                let q = |p: f64| s.quantile(p).map_or(serde_json::Value::Null, |d| d.into());
                serde_json::json!({
                    "outcome": name,
                    "count": s.count,
                    "share": if n == 0 { 0.0 } else { s.count as f64 / n as f64 },
                    "ci_low": lo,
                    "ci_high": hi,
                    "end_day_mean": num(s.mean_day()),
                    "end_day_p25": q(0.25),
                    "end_day_median": q(0.5),
                    "end_day_p75": q(0.75),
                })
            })
            .collect();
        serde_json::json!({ "runs": n, "outcomes": rows })
    }

    /// A table for people.
    pub fn render(&self) -> String {
        let n = self.runs();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<18} {:>8} {:>8}   {:<17}  end day (mean, quartiles)",
            "outcome", "count", "share", "95% CI"
        );
        for o in Outcome::ALL {
            let st = &self.outcomes[o.index()];
            let (lo, hi) = wilson_interval(st.count, n);
            let share = if n == 0 {
                0.0
            } else {
                st.count as f64 / n as f64
            };
            let days = match (st.quantile(0.25), st.quantile(0.5), st.quantile(0.75)) {
                (Some(a), Some(b), Some(c)) => format!("{:.1}  ({a} / {b} / {c})", st.mean_day()),
                _ => "-".to_string(),
            };
            let _ = writeln!(
                s,
                "{:<18} {:>8} {:>7.2}%   [{:>5.2}%, {:>5.2}%]  {}",
                o.as_str(),
                st.count,
                100.0 * share,
                100.0 * lo,
                100.0 * hi,
                days
            );
        }
        if let (Some(a), Some(b), Some(c)) = (
            self.all.quantile(0.25),
            self.all.quantile(0.5),
            self.all.quantile(0.75),
        ) {
            let _ = writeln!(
                s,
                "end day, all runs: mean {:.1}, quartiles {a} / {b} / {c}",
                self.all.mean_day()
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_published_example() {
        // Newcombe (1998), Table I: 81/263 gives 0.2553 to 0.3662.
        let (lo, hi) = wilson_interval(81, 263);
        assert!((lo - 0.2553).abs() < 5e-4, "{lo}");
        assert!((hi - 0.3662).abs() < 5e-4, "{hi}");
        let (lo, hi) = wilson_interval(0, 10);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 5e-4, "{hi}");
    }

    #[test]
    fn quantiles_invert_the_cdf() {
        let mut s = OutcomeStats::default();
        for d in [1, 2, 3, 4] {
            s.add(d);
        }
        assert_eq!(s.quantile(0.25), Some(1));
        assert_eq!(s.quantile(0.5), Some(2));
        assert_eq!(s.quantile(0.75), Some(3));
        assert_eq!(s.mean_day(), 2.5);
    }
}
