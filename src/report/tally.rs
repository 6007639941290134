//! What a report counts, read row by row from a runs CSV (a batch's or a
//! sweep's) in constant memory per outcome, issue and design point:
//! outcomes, end days, settled values, and each point's outcomes.
//!
//! Columns are found by name (`run`, `seed`, `outcome`, `end_day`,
//! `value.<issue>`; a sweep's `point` and its varied keys, the columns
//! between `point` and `run`), so a file with more columns reads the same.

use std::io::Read;

use crate::error::{Error, Result};
use crate::model::{Model, Outcome};

/// Bins of a settled-value histogram on `[0, 1]`.
pub const VALUE_BINS: usize = 50;

/// One design point of a sweep: its key values and outcome counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The varied keys' values, in column order.
    pub values: Vec<f64>,
    /// Runs per outcome, in [`Outcome::ALL`] order.
    pub counts: [u64; 7],
}

impl Point {
    /// Runs at the point.
    pub fn runs(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// A batch's or a sweep's runs, counted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Tally {
    /// Runs read.
    pub runs: u64,
    /// Runs per outcome.
    pub counts: [u64; 7],
    /// Per outcome, runs ending on each whole day.
    pub days: [Vec<u64>; 7],
    /// Per issue, runs that settled it, by value bin.
    pub settled: Vec<[u64; VALUE_BINS]>,
    /// Per issue, runs that settled it.
    pub settled_runs: Vec<u64>,
    /// The first row (point, run) of each outcome, for sample runs.
    pub first: [Option<(Option<usize>, u64)>; 7],
    /// The rows sample runs are chosen from: the first of each outcome and
    /// the file's first three.
    pub kept: Vec<Row>,
    /// The seed in the file's `seed` column (its first row).
    pub seed: Option<u64>,
    /// A sweep's varied keys (empty for a plain batch).
    pub keys: Vec<String>,
    /// A sweep's points, in file order.
    pub points: Vec<Point>,
}

/// What a row tells the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The design point (sweeps).
    pub point: Option<usize>,
    /// The run.
    pub run: u64,
    /// Its outcome.
    pub outcome: Outcome,
    /// Its end day.
    pub end_day: u32,
    /// Settled value per issue.
    pub settled: Vec<Option<f64>>,
}

/// Column positions of a runs CSV.
#[derive(Debug, Clone)]
struct Columns {
    point: Option<usize>,
    keys: Vec<(String, usize)>,
    run: usize,
    seed: Option<usize>,
    outcome: usize,
    end_day: usize,
    values: Vec<Option<usize>>,
}

/// A cell as written, without the `'` that guards a formula-like cell.
fn cell(rec: &csv::StringRecord, k: usize) -> &str {
    let c = rec.get(k).unwrap_or("");
    c.strip_prefix('\'').unwrap_or(c)
}

impl Columns {
    fn find(header: &csv::StringRecord, model: &Model, file: &str) -> Result<Columns> {
        let pos = |name: &str| header.iter().position(|h| h == name);
        let need = |name: &str| {
            pos(name).ok_or_else(|| {
                Error::usage(format!(
                    "{file}: no `{name}` column; expected the runs CSV of `negsim run --out` \
                     or `negsim sweep --out`"
                ))
            })
        };
        let run = need("run")?;
        let point = pos("point");
        let keys = match point {
            Some(p) if p < run => ((p + 1)..run)
                .map(|k| (header.get(k).unwrap_or("").to_string(), k))
                .collect(),
            _ => Vec::new(),
        };
        Ok(Columns {
            point,
            keys,
            run,
            seed: pos("seed"),
            outcome: need("outcome")?,
            end_day: need("end_day")?,
            values: model
                .issues
                .iter()
                .map(|i| pos(&format!("value.{}", i.id)))
                .collect(),
        })
    }
}

impl Tally {
    /// An empty tally for `model`'s issues.
    pub fn new(model: &Model) -> Self {
        let n = model.issues.len();
        Tally {
            settled: vec![[0; VALUE_BINS]; n],
            settled_runs: vec![0; n],
            ..Tally::default()
        }
    }

    /// Reads every row of a runs CSV (`file` names it in messages).
    pub fn read(model: &Model, input: impl Read, file: &str) -> Result<Tally> {
        let mut t = Tally::new(model);
        t.read_more(model, input, file, true)?;
        Ok(t)
    }

    /// Reads rows from `input`, with a header row first when `header`.
    pub(crate) fn read_more(
        &mut self,
        model: &Model,
        input: impl Read,
        file: &str,
        header: bool,
    ) -> Result<()> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut rec = csv::StringRecord::new();
        let bad = |line: u64, what: String| Error::usage(format!("{file}, line {line}: {what}"));
        let cols = if header {
            if !rdr
                .read_record(&mut rec)
                .map_err(|e| bad(1, e.to_string()))?
            {
                return Err(Error::usage(format!("{file}: empty; expected a runs CSV")));
            }
            let c = Columns::find(&rec, model, file)?;
            self.keys = c.keys.iter().map(|(k, _)| k.clone()).collect();
            c
        } else {
            Columns::find(&header_of(model), model, file)?
        };
        let mut line = u64::from(header);
        loop {
            line += 1;
            match rdr.read_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(bad(line, e.to_string())),
            }
            let row = parse(&cols, &rec, model).map_err(|w| bad(line, w))?;
            if self.seed.is_none() {
                self.seed = cols.seed.and_then(|k| cell(&rec, k).parse().ok());
            }
            if !cols.keys.is_empty() {
                let values = cols
                    .keys
                    .iter()
                    .map(|(name, k)| {
                        cell(&rec, *k)
                            .parse::<f64>()
                            .map_err(|_| bad(line, format!("`{name}` is not a number")))
                    })
                    .collect::<Result<Vec<f64>>>()?;
                let p = row.point.unwrap_or(0);
                if self.points.len() <= p {
                    self.points.resize(
                        p + 1,
                        Point {
                            values: Vec::new(),
                            counts: [0; 7],
                        },
                    );
                }
                let point = &mut self.points[p];
                point.values = values;
                point.counts[row.outcome.index()] += 1;
            }
            self.add(&row);
        }
        Ok(())
    }

    /// Counts one run.
    pub fn add(&mut self, row: &Row) {
        let o = row.outcome.index();
        self.runs += 1;
        self.counts[o] += 1;
        let d = row.end_day as usize;
        if self.days[o].len() <= d {
            self.days[o].resize(d + 1, 0);
        }
        self.days[o][d] += 1;
        for (i, v) in row.settled.iter().enumerate() {
            if let (Some(v), Some(bins)) = (v, self.settled.get_mut(i)) {
                let b = ((v.clamp(0.0, 1.0) * VALUE_BINS as f64) as usize).min(VALUE_BINS - 1);
                bins[b] += 1;
                self.settled_runs[i] += 1;
            }
        }
        if self.first[o].is_none() {
            self.first[o] = Some((row.point, row.run));
            self.kept.push(row.clone());
        } else if self.runs <= 3 {
            self.kept.push(row.clone());
        }
    }

    /// The share of runs ending in `o`.
    pub fn share(&self, o: Outcome) -> f64 {
        if self.runs == 0 {
            0.0
        } else {
            self.counts[o.index()] as f64 / self.runs as f64
        }
    }

    /// Outcomes that happened, most frequent first (ties in summary order).
    pub fn happened(&self) -> Vec<Outcome> {
        let mut v: Vec<Outcome> = Outcome::ALL
            .into_iter()
            .filter(|o| self.counts[o.index()] > 0)
            .collect();
        v.sort_by_key(|o| std::cmp::Reverse(self.counts[o.index()]));
        v
    }

    /// The `q`-quantile of outcome `o`'s end days (the inverse of the
    /// empirical distribution), if it happened.
    pub fn day_quantile(&self, o: Outcome, q: f64) -> Option<u32> {
        let n = self.counts[o.index()];
        if n == 0 {
            return None;
        }
        let need = (q * n as f64).ceil().max(1.0) as u64;
        let mut cum = 0;
        for (d, &c) in self.days[o.index()].iter().enumerate() {
            cum += c;
            if cum >= need {
                return Some(d as u32);
            }
        }
        None
    }
}

/// The header of `negsim run`'s runs CSV for `model` (for rows read without one).
fn header_of(model: &Model) -> csv::StringRecord {
    csv::StringRecord::from(crate::output::RunsFormat::new(model).columns())
}

fn parse(
    cols: &Columns,
    rec: &csv::StringRecord,
    model: &Model,
) -> std::result::Result<Row, String> {
    let num = |k: usize, name: &str| -> std::result::Result<u64, String> {
        cell(rec, k)
            .parse()
            .map_err(|_| format!("`{name}` is `{}`, not a whole number", cell(rec, k)))
    };
    let outcome = Outcome::from_name(cell(rec, cols.outcome)).ok_or_else(|| {
        format!(
            "`outcome` is `{}`; expected one of {}",
            cell(rec, cols.outcome),
            Outcome::ALL.map(|o| o.as_str()).join(", ")
        )
    })?;
    let point = match cols.point {
        Some(k) => Some(num(k, "point")? as usize),
        None => None,
    };
    let end_day = u32::try_from(num(cols.end_day, "end_day")?)
        .map_err(|_| "`end_day` is too large".to_string())?;
    let settled = cols
        .values
        .iter()
        .zip(&model.issues)
        .map(|(k, issue)| match k.map(|k| cell(rec, k)) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse::<f64>()
                .map(Some)
                .map_err(|_| format!("`value.{}` is `{v}`, not a number", issue.id)),
        })
        .collect::<std::result::Result<Vec<_>, String>>()?;
    Ok(Row {
        point,
        run: num(cols.run, "run")?,
        outcome,
        end_day,
        settled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSource;

    fn nash() -> Model {
        let src = ScenarioSource::from_path("scenarios/textbook/nash.toml", &[]).unwrap();
        Model::compile(&src.scenario)
    }

    #[test]
    fn a_batch_is_counted_by_outcome_day_and_settled_value() {
        let m = nash();
        let csv = "run,seed,outcome,end_day,meetings,agreed.x,value.x,threats\n\
                   0,7,agreement,1,1,true,0.381,\n\
                   1,7,stalemate,3,1,false,,\n\
                   2,7,agreement,2,1,true,0.999,\n";
        let t = Tally::read(&m, csv.as_bytes(), "runs.csv").unwrap();
        assert_eq!(t.runs, 3);
        assert_eq!(t.counts[Outcome::Agreement.index()], 2);
        assert_eq!(t.days[Outcome::Agreement.index()], vec![0, 1, 1]);
        assert_eq!(t.settled_runs, vec![2]);
        assert_eq!(t.settled[0][19], 1, "0.381 falls in [0.38, 0.40)");
        assert_eq!(t.settled[0][VALUE_BINS - 1], 1);
        assert_eq!(t.first[Outcome::Stalemate.index()], Some((None, 1)));
        assert_eq!(t.happened(), [Outcome::Agreement, Outcome::Stalemate]);
        assert_eq!(t.day_quantile(Outcome::Agreement, 0.5), Some(1));
        assert_eq!(t.seed, Some(7));
        assert!(t.keys.is_empty() && t.points.is_empty());
    }

    #[test]
    fn a_sweep_is_counted_point_by_point() {
        let m = nash();
        let csv =
            "point,parties.a.patience,run,seed,outcome,end_day,meetings,agreed.x,value.x,threats\n\
                   0,0.5,0,7,agreement,1,1,true,0.4,\n\
                   0,0.5,1,7,stalemate,1,1,false,,\n\
                   1,0.9,0,7,agreement,1,1,true,0.4,\n";
        let t = Tally::read(&m, csv.as_bytes(), "sweep.csv").unwrap();
        assert_eq!(t.keys, ["parties.a.patience"]);
        assert_eq!(t.points.len(), 2);
        assert_eq!(t.points[0].values, [0.5]);
        assert_eq!(t.points[0].runs(), 2);
        assert_eq!(t.points[1].counts[0], 1);
    }

    #[test]
    fn bad_rows_name_the_file_line_and_column() {
        let m = nash();
        for (csv, want) in [
            ("run,outcome\n", "no `end_day` column"),
            (
                "run,seed,outcome,end_day\n0,1,peace,3\n",
                "line 2: `outcome` is `peace`",
            ),
            (
                "run,seed,outcome,end_day\n0,1,agreement,x\n",
                "line 2: `end_day` is `x`",
            ),
            (
                "run,seed,outcome,end_day,value.x\n0,1,agreement,1,high\n",
                "`value.x` is `high`",
            ),
            ("", "empty"),
        ] {
            let e = Tally::read(&m, csv.as_bytes(), "f.csv").unwrap_err();
            assert!(e.is_input_error(), "{e}");
            assert!(e.to_string().contains(want), "{e} lacks {want}");
            assert!(e.to_string().starts_with("f.csv"), "{e}");
        }
    }
}
