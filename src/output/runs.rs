//! The runs CSV: one row per run.
//!
//! Columns: `run,seed,outcome,end_day,meetings`, then `agreed.<issue>,value.<issue>`
//! per issue in file order (value empty where not agreed), then `threats`
//! (ids of executed threats joined by `;`).

use super::{push_f64, push_int, write_record, write_text};
use crate::model::{Model, RunResult};

/// Formats runs of one model.
#[derive(Debug, Clone)]
pub struct RunsFormat {
    issues: Vec<String>,
    threats: Vec<String>,
    guard: bool,
}

impl RunsFormat {
    /// The format for `model`.
    pub fn new(model: &Model) -> Self {
        RunsFormat {
            issues: model.issues.iter().map(|i| i.id.clone()).collect(),
            threats: model.threats.iter().map(|t| t.id.clone()).collect(),
            guard: true,
        }
    }

    /// With `raw`, text cells are written as they are, without the `'` that
    /// keeps a spreadsheet from running a cell such as `-x` as a formula.
    pub fn raw(mut self, raw: bool) -> Self {
        self.guard = !raw;
        self
    }

    /// Column names, in order.
    pub fn columns(&self) -> Vec<String> {
        let mut c: Vec<String> = ["run", "seed", "outcome", "end_day", "meetings"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for i in &self.issues {
            c.push(format!("agreed.{i}"));
            c.push(format!("value.{i}"));
        }
        c.push("threats".into());
        c
    }

    /// Appends the header row, with `prefix` columns first (sweeps).
    pub fn header(&self, prefix: &[String], out: &mut Vec<u8>) {
        let cols = self.columns();
        write_record(out, prefix.iter().chain(cols.iter()).map(|s| s.as_bytes()));
    }

    /// Appends one row; `prefix` is already-formatted text for leading columns
    /// (it must end with a comma when non-empty).
    pub fn row(&self, prefix: &[u8], seed: u64, r: &RunResult, out: &mut Vec<u8>) {
        out.extend_from_slice(prefix);
        push_int(out, r.run);
        out.push(b',');
        push_int(out, seed);
        out.push(b',');
        out.extend_from_slice(r.outcome().as_str().as_bytes());
        out.push(b',');
        push_int(out, r.end_day);
        out.push(b',');
        push_int(out, r.meetings);
        for v in &r.settled {
            match v {
                Some(x) => {
                    out.extend_from_slice(b",true,");
                    push_f64(out, *x);
                }
                None => out.extend_from_slice(b",false,"),
            }
        }
        out.push(b',');
        let mut joined = Vec::new();
        for (k, &t) in r.threats.iter().enumerate() {
            if k > 0 {
                joined.push(b';');
            }
            joined.extend_from_slice(self.threats[t].as_bytes());
        }
        write_text(out, &joined, self.guard);
        out.push(b'\n');
    }
}
