//! The runs file: one row per run.
//!
//! Columns (`docs/outputs.md`): `run,seed,outcome,end_day,meetings`, then
//! `agreed.<issue>,value.<issue>` per issue in file order (`value` is the
//! issue's value in force at the end: the settlement where `agreed` is
//! `TRUE`, else the status quo), then `executed.<threat>` per threat and
//! `threats` (the ids of the threats carried out, in order, joined by `;`,
//! or `none`).

use super::columns::{Column, ColumnType, NONE};
use super::{push_bool, push_f64, push_int, write_record, write_text};
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

    /// The columns, with their types and meanings.
    pub fn schema(&self) -> Vec<Column> {
        use ColumnType::*;
        let mut c = vec![
            Column::new("run", Integer, "run index, from 0; run r depends only on (seed, r)"),
            Column::new("seed", Integer, "the master seed"),
            Column::new(
                "outcome",
                String,
                "agreement, partial_agreement, process, stalemate, breakdown, sanctions or conflict",
            ),
            Column::new(
                "end_day",
                Integer,
                "the whole day the outcome was reached, counted from the scenario's start",
            )
            .unit("day"),
            Column::new("meetings", Integer, "meetings held"),
        ];
        for i in &self.issues {
            c.push(Column::new(
                format!("agreed.{i}"),
                Boolean,
                format!("whether `{i}` was settled by the end of the run"),
            ));
            c.push(
                Column::new(
                    format!("value.{i}"),
                    Number,
                    format!(
                        "the value of `{i}` in force at the end: the settlement where \
                         agreed.{i} is TRUE, else the status quo"
                    ),
                )
                .unit("issue scale"),
            );
        }
        for t in &self.threats {
            c.push(Column::new(
                format!("executed.{t}"),
                Boolean,
                format!("whether the threat `{t}` was carried out"),
            ));
        }
        c.push(Column::new(
            "threats",
            String,
            "the ids of the threats carried out, in the order they were, joined by `;`; `none` \
             when none was",
        ));
        c
    }

    /// Column names, in order.
    pub fn columns(&self) -> Vec<String> {
        self.schema().into_iter().map(|c| c.name).collect()
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
        for i in 0..self.issues.len() {
            out.push(b',');
            push_bool(out, r.settled.get(i).is_some_and(Option::is_some));
            out.push(b',');
            push_f64(out, r.value_at_end(i));
        }
        for t in 0..self.threats.len() {
            out.push(b',');
            push_bool(out, r.threats.contains(&t));
        }
        out.push(b',');
        if r.threats.is_empty() {
            out.extend_from_slice(NONE.as_bytes());
        } else {
            let mut joined = Vec::new();
            for (k, &t) in r.threats.iter().enumerate() {
                if k > 0 {
                    joined.push(b';');
                }
                joined.extend_from_slice(self.threats[t].as_bytes());
            }
            write_text(out, &joined, self.guard);
        }
        out.push(b'\n');
    }
}
