//! The table an analysis works on: one row per design point, its input
//! values and one output, read from a sweep's runs CSV or any CSV of inputs
//! and an output.
//!
//! - **Points.** A file with a `point` column (a sweep's runs CSV, whole or
//!   merged) has one point per value of `point`, its rows consecutive and the
//!   points numbered `0, 1, 2, ...`; without one, every row is a point.
//! - **Inputs.** The keys of the sweep's sidecar (`FILE.meta.json`) if there
//!   is one; else the columns given; else the columns between `point` and
//!   `run` (the layout of a runs CSV); else every column but the output.
//! - **Output.** An outcome name (`conflict`, `agreement`, ...) with an
//!   `outcome` column: the share of the point's runs that end so; or a
//!   column: the mean of its values over the point's rows (`true`/`false`
//!   count as 1/0, empty cells are left out). The default is `conflict` when
//!   there is an `outcome` column.
//! - **Ranges** (which Morris's elementary effects are scaled by): the
//!   sidecar's specs, else the smallest and largest value in the file.

use std::path::Path;

use crate::error::{suggest, Error, Result};
use crate::model::Outcome;
use crate::sweep::design::{DesignKind, DesignOptions, Spec};
use crate::sweep::provenance::Provenance;

/// Points, inputs and an output, ready to analyse.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// The file, as named.
    pub file: String,
    /// Input names (scenario keys), in column order.
    pub inputs: Vec<String>,
    /// `x[i][k]`: input `k` at point `i`.
    pub x: Vec<Vec<f64>>,
    /// The output at each point.
    pub y: Vec<f64>,
    /// The output's name, and how it was made from the rows.
    pub output: String,
    /// Rows (runs) per point: the smallest count over the points.
    pub rows_per_point: usize,
    /// Each input's range.
    pub ranges: Vec<(f64, f64)>,
    /// The design kind, from the sidecar.
    pub kind: Option<DesignKind>,
    /// The design's settings, from the sidecar.
    pub options: DesignOptions,
    /// The sweep's seed, from the sidecar.
    pub seed: Option<u64>,
}

impl Dataset {
    /// Builds a dataset from points and outputs (for functions evaluated in
    /// code); ranges are the smallest and largest values.
    pub fn from_points(inputs: Vec<String>, x: Vec<Vec<f64>>, y: Vec<f64>) -> Dataset {
        let ranges = observed_ranges(&x, inputs.len());
        Dataset {
            file: String::new(),
            inputs,
            x,
            y,
            output: "y".into(),
            rows_per_point: 1,
            ranges,
            kind: None,
            options: DesignOptions::default(),
            seed: None,
        }
    }
}

fn observed_ranges(x: &[Vec<f64>], k: usize) -> Vec<(f64, f64)> {
    (0..k)
        .map(|c| {
            x.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                    (lo.min(p[c]), hi.max(p[c]))
                })
        })
        .collect()
}

/// Reads `path` (and its sidecar, if any). `output` and `inputs` as in the
/// module docs.
///
/// # Errors
///
/// An I/O error, or an input error (exit 2) for a shard file, an unknown
/// output or input, a cell that is not a number, points out of order, or a
/// point without any value of the output.
pub fn load(path: &Path, output: Option<&str>, inputs: Option<&[String]>) -> Result<Dataset> {
    let file = path.display().to_string();
    let sidecar = Provenance::read(&Provenance::sidecar_path(path))?;
    if let Some(p) = &sidecar {
        if p.shard != "whole" {
            return Err(Error::usage(format!(
                "{file} is shard {} of a sweep; an analysis needs every point: merge the \
                 shards first (negsim merge SHARD_FILES... --out FILE)",
                p.shard
            )));
        }
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| csv_error(&file, e))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(&file, e))?
        .iter()
        .map(str::to_string)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let outcome_col = col("outcome");
    let output = match (output, outcome_col) {
        (Some(o), _) => o.to_string(),
        (None, Some(_)) => "conflict".to_string(),
        (None, None) => {
            return Err(Error::usage(format!(
                "{file} has no outcome column; name the output with --output COLUMN (one of: {})",
                header.join(", ")
            )))
        }
    };
    let outcome = outcome_col.and(Outcome::ALL.into_iter().find(|o| o.as_str() == output));
    let output_col = match outcome {
        Some(_) => outcome_col,
        None => col(&output),
    };
    let Some(output_col) = output_col else {
        let mut names: Vec<&str> = header.iter().map(String::as_str).collect();
        if outcome_col.is_some() {
            names.extend(Outcome::ALL.iter().map(|o| o.as_str()));
        }
        let hint = suggest(&output, names.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(Error::usage(format!(
            "--output {output}: not an outcome or a column of {file}{hint}; expected one of: {}",
            names.join(", ")
        )));
    };
    let point_col = col("point");
    let input_names: Vec<String> = match (&sidecar, inputs) {
        (Some(p), _) => p.design.keys.clone(),
        (None, Some(given)) => given.to_vec(),
        (None, None) => match (point_col, col("run")) {
            (Some(p), Some(r)) if p < r => header[p + 1..r].to_vec(),
            _ => header
                .iter()
                .enumerate()
                .filter(|&(c, h)| c != output_col && Some(c) != point_col && !h.is_empty())
                .map(|(_, h)| h.clone())
                .collect(),
        },
    };
    let input_cols: Vec<usize> = input_names
        .iter()
        .map(|name| {
            col(name).ok_or_else(|| {
                Error::usage(format!(
                    "input {name} is not a column of {file}; its columns are: {}",
                    header.join(", ")
                ))
            })
        })
        .collect::<Result<_>>()?;
    if input_cols.is_empty() {
        return Err(Error::usage(format!("{file}: no input columns")));
    }

    let mut x: Vec<Vec<f64>> = Vec::new();
    let mut y: Vec<f64> = Vec::new();
    let mut sum = 0.0;
    let mut count = 0usize;
    let mut rows = 0usize;
    let mut min_rows = usize::MAX;
    let mut current: Option<String> = None;
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    let finish = |x_len: usize,
                  y: &mut Vec<f64>,
                  sum: f64,
                  count: usize,
                  rows: usize,
                  min_rows: &mut usize|
     -> Result<()> {
        if count == 0 {
            return Err(Error::usage(format!(
                "{file}: point {} has no value of {output}",
                x_len - 1
            )));
        }
        y.push(sum / count as f64);
        *min_rows = (*min_rows).min(rows);
        Ok(())
    };
    while reader
        .read_record(&mut record)
        .map_err(|e| csv_error(&file, e))?
    {
        line += 1;
        let number = |c: usize| -> Result<f64> {
            let cell = record.get(c).unwrap_or("").trim();
            match cell.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(Error::usage(format!(
                    "{file}:{line}: {}: '{cell}' is not a number",
                    header[c]
                ))),
            }
        };
        let new_point = match point_col {
            Some(p) => {
                let id = record.get(p).unwrap_or("");
                if current.as_deref() == Some(id) {
                    false
                } else {
                    let expected = x.len().to_string();
                    if id != expected {
                        return Err(Error::usage(format!(
                            "{file}:{line}: expected point {expected}, found point {id}; the rows of \
                             a sweep's runs CSV come point by point"
                        )));
                    }
                    current = Some(id.to_string());
                    true
                }
            }
            None => true,
        };
        if new_point {
            if !x.is_empty() {
                finish(x.len(), &mut y, sum, count, rows, &mut min_rows)?;
            }
            x.push(
                input_cols
                    .iter()
                    .map(|&c| number(c))
                    .collect::<Result<_>>()?,
            );
            (sum, count, rows) = (0.0, 0, 0);
        }
        rows += 1;
        let cell = record.get(output_col).unwrap_or("").trim();
        match outcome {
            Some(o) => {
                count += 1;
                if cell == o.as_str() {
                    sum += 1.0;
                }
            }
            None => match cell {
                "" => {}
                "true" => (sum, count) = (sum + 1.0, count + 1),
                "false" => count += 1,
                _ => (sum, count) = (sum + number(output_col)?, count + 1),
            },
        }
    }
    if x.is_empty() {
        return Err(Error::usage(format!("{file}: no rows")));
    }
    finish(x.len(), &mut y, sum, count, rows, &mut min_rows)?;
    let k = input_names.len();
    let mut ranges = observed_ranges(&x, k);
    if let Some(p) = &sidecar {
        for (r, spec) in ranges.iter_mut().zip(&p.design.specs) {
            match spec.parse::<Spec>() {
                Ok(Spec::Range { lo, hi, .. }) => *r = (lo, hi),
                Ok(Spec::List(v)) => {
                    *r = v
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                            (a.min(x), b.max(x))
                        })
                }
                Err(_) => {}
            }
        }
    }
    let output = match outcome {
        Some(o) => format!("{} share", o.as_str()),
        None => format!("mean {output}"),
    };
    Ok(Dataset {
        file,
        inputs: input_names,
        x,
        y,
        output,
        rows_per_point: min_rows,
        ranges,
        kind: sidecar.as_ref().map(|p| p.design.kind),
        options: sidecar
            .as_ref()
            .map(|p| p.design.options)
            .unwrap_or_default(),
        seed: sidecar.as_ref().map(|p| p.seed),
    })
}

fn csv_error(file: &str, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(file, io),
        other => Error::usage(format!("{file}: not a readable CSV file ({other:?})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("runs.csv");
        std::fs::write(&p, text).unwrap();
        (dir, p)
    }

    const RUNS: &str = "point,a,b,run,seed,outcome,end_day,agreed.x\n\
        0,0.1,5,0,1,conflict,10,false\n\
        0,0.1,5,1,1,stalemate,20,true\n\
        1,0.2,6,0,1,conflict,30,\n\
        1,0.2,6,1,1,conflict,,false\n";

    #[test]
    fn shares_and_means_per_point() {
        let (_d, p) = write(RUNS);
        let d = load(&p, None, None).unwrap();
        assert_eq!(d.inputs, ["a", "b"]);
        assert_eq!(d.x, [[0.1, 5.0], [0.2, 6.0]]);
        assert_eq!(d.y, [0.5, 1.0]);
        assert_eq!(d.output, "conflict share");
        assert_eq!(d.rows_per_point, 2);
        assert_eq!(d.ranges, [(0.1, 0.2), (5.0, 6.0)]);
        assert_eq!(load(&p, Some("end_day"), None).unwrap().y, [15.0, 30.0]);
        assert_eq!(load(&p, Some("agreed.x"), None).unwrap().y, [0.5, 0.0]);
        assert_eq!(load(&p, Some("stalemate"), None).unwrap().y, [0.5, 0.0]);
    }

    #[test]
    fn plain_tables_have_a_point_per_row() {
        let (_d, p) = write("x1,x2,y\n0,1,2\n1,0,3\n");
        let d = load(&p, Some("y"), None).unwrap();
        assert_eq!((d.inputs.len(), d.y.clone()), (2, vec![2.0, 3.0]));
        let e = load(&p, None, None).unwrap_err().to_string();
        assert!(e.contains("no outcome column"), "{e}");
        let only = load(&p, Some("y"), Some(&["x2".to_string()])).unwrap();
        assert_eq!(only.x, [[1.0], [0.0]]);
    }

    #[test]
    fn bad_tables_are_input_errors() {
        let (_d, p) = write(RUNS);
        let e = load(&p, Some("conflit"), None).unwrap_err();
        assert!(e.is_input_error());
        assert!(e.to_string().contains("did you mean `conflict`"), "{e}");
        let (_d, p) = write(&RUNS.replace("1,0.2,6,0", "2,0.2,6,0"));
        assert!(load(&p, None, None)
            .unwrap_err()
            .to_string()
            .contains("expected point 1, found point 2"));
        let (_d, p) = write("x,y\n1,\n");
        assert!(load(&p, Some("y"), None)
            .unwrap_err()
            .to_string()
            .contains("point 0 has no value of y"));
        let (_d, p) = write("x,y\nz,1\n");
        assert!(load(&p, Some("y"), None)
            .unwrap_err()
            .to_string()
            .contains(":2: x: 'z' is not a number"));
    }
}
