//! Reading back the rows of a sweep's runs CSV, for `--resume` and `negsim
//! merge`: checks that rows come point by point and run by run as the sweep
//! writes them, and rebuilds each point's summary from its rows.
//!
//! Only the leading columns are read: `point`, the parameter values, `run`,
//! `seed`, `outcome` and `end_day`. None of them is ever quoted (numbers and
//! outcome names), so a row is split on commas without a CSV parser, and the
//! row's bytes are otherwise left alone.

use std::ops::Range;

use crate::model::{Outcome, RunResult};
use crate::output::{push_f64, push_int, Summary};

/// Appends the leading columns of a point's rows: `point,v1,...,vk,`.
pub(crate) fn push_prefix(point: usize, values: &[f64], out: &mut Vec<u8>) {
    push_int(out, point);
    for &v in values {
        out.push(b',');
        push_f64(out, v);
    }
    out.push(b',');
}

/// What one row did.
#[derive(Debug, PartialEq)]
pub(crate) enum Step {
    /// A row of a point that is not complete yet.
    Row,
    /// The last row of `point`: the point is complete.
    PointDone(usize, Box<Summary>),
}

/// Checks rows against the expected sequence of points `range`, runs
/// `0..runs` each, and sums up each point.
pub(crate) struct PointScanner<'a> {
    points: &'a [Vec<f64>],
    end: usize,
    runs: u64,
    point: usize,
    run: u64,
    prefix: Vec<u8>,
    summary: Summary,
}

impl<'a> PointScanner<'a> {
    /// Expects the points `range` of `points`, each with `runs` rows.
    pub(crate) fn new(points: &'a [Vec<f64>], range: Range<usize>, runs: u64) -> Self {
        let mut s = PointScanner {
            points,
            end: range.end,
            runs,
            point: range.start,
            run: 0,
            prefix: Vec::new(),
            summary: Summary::default(),
        };
        s.set_prefix();
        s
    }

    fn set_prefix(&mut self) {
        self.prefix.clear();
        if self.point < self.end {
            push_prefix(self.point, &self.points[self.point], &mut self.prefix);
        }
    }

    /// Whether every point of the range is complete.
    pub(crate) fn is_complete(&self) -> bool {
        self.point >= self.end
    }

    /// What was expected next, for messages.
    pub(crate) fn expected(&self) -> String {
        if self.is_complete() {
            "the end of the file".to_string()
        } else {
            format!("point {} run {}", self.point, self.run)
        }
    }

    /// Takes one row (without its line break). On a row that is not the one
    /// expected, returns what is wrong and changes nothing.
    pub(crate) fn feed(&mut self, line: &[u8]) -> Result<Step, String> {
        if self.is_complete() {
            return Err("a row after the last expected point".into());
        }
        let Some(rest) = line.strip_prefix(self.prefix.as_slice()) else {
            let shown = String::from_utf8_lossy(&line[..line.len().min(60)]).into_owned();
            return Err(format!(
                "expected a row of point {} starting `{}`, found `{shown}`",
                self.point,
                String::from_utf8_lossy(&self.prefix)
            ));
        };
        let mut fields = rest.splitn(5, |&b| b == b',');
        let run = fields.next().and_then(parse::<u64>);
        let _seed = fields.next();
        let outcome = fields
            .next()
            .and_then(|f| std::str::from_utf8(f).ok())
            .and_then(Outcome::from_name);
        let end_day = fields.next().and_then(parse::<u32>);
        let has_rest = fields.next().is_some();
        let (Some(run), Some(outcome), Some(end_day), true) = (run, outcome, end_day, has_rest)
        else {
            return Err(format!("cannot read the row of point {}", self.point));
        };
        if run != self.run {
            return Err(format!(
                "expected point {} run {}, found run {run}",
                self.point, self.run
            ));
        }
        self.summary.add(&RunResult {
            run,
            outcome: Some(outcome),
            end_day,
            ..RunResult::default()
        });
        self.run += 1;
        if self.run < self.runs {
            return Ok(Step::Row);
        }
        let done = self.point;
        self.point += 1;
        self.run = 0;
        self.set_prefix();
        Ok(Step::PointDone(
            done,
            Box::new(std::mem::take(&mut self.summary)),
        ))
    }
}

fn parse<T: std::str::FromStr>(f: &[u8]) -> Option<T> {
    std::str::from_utf8(f).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_points_in_order_and_summarises() {
        let points = vec![vec![0.5], vec![1.0]];
        let mut s = PointScanner::new(&points, 0..2, 2);
        assert_eq!(s.feed(b"0,0.5,0,9,agreement,3,1,TRUE,0.5,"), Ok(Step::Row));
        let Ok(Step::PointDone(0, sum)) = s.feed(b"0,0.5,1,9,conflict,5,1,FALSE,0.9,war") else {
            panic!("point 0 should be done");
        };
        assert_eq!(sum.runs(), 2);
        assert_eq!(sum.outcomes[Outcome::Conflict.index()].count, 1);
        assert_eq!(s.expected(), "point 1 run 0");
        let e = s.feed(b"1,1.0,1,9,agreement,3,1,TRUE,0.5,").unwrap_err();
        assert!(e.contains("run 0, found run 1"), "{e}");
        assert!(s.feed(b"1,1.5,0,9,agreement,3,1,TRUE,0.5,").is_err());
        assert!(s.feed(b"1,1.0,0,9,agreemen").is_err());
        assert_eq!(s.feed(b"1,1.0,0,9,agreement,3,1,TRUE,0.5,"), Ok(Step::Row));
        assert!(matches!(
            s.feed(b"1,1.0,1,9,agreement,3,1,TRUE,0.5,"),
            Ok(Step::PointDone(1, _))
        ));
        assert!(s.is_complete());
        assert!(s.feed(b"2,1,0,9,agreement,3,1,TRUE,0.5,").is_err());
    }
}
