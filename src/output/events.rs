//! The events CSV: one row per recorded event of every run.
//!
//! Columns: `run,seq,day,kind,meeting,round,party,subject,value`, then
//! `offer.<issue>` per issue (filled on offers and settlements).

use super::{push_f64, push_int, write_record, write_text};
use crate::model::trace::{Trace, TraceKind, TraceRow};
use crate::model::{Model, Outcome};

/// Formats trace rows of one model.
#[derive(Debug, Clone)]
pub struct EventsFormat {
    issues: Vec<String>,
    parties: Vec<String>,
    meetings: Vec<String>,
    threats: Vec<String>,
    events: Vec<String>,
    guard: bool,
}

impl EventsFormat {
    /// The format for `model`.
    pub fn new(model: &Model) -> Self {
        EventsFormat {
            issues: model.issues.iter().map(|i| i.id.clone()).collect(),
            parties: model.parties.iter().map(|p| p.id.clone()).collect(),
            meetings: model.meetings.iter().map(|m| m.id.clone()).collect(),
            threats: model.threats.iter().map(|t| t.id.clone()).collect(),
            events: model.events.iter().map(|e| e.id.clone()).collect(),
            guard: true,
        }
    }

    /// With `raw`, text cells are written as they are (see [`super::RunsFormat::raw`]).
    pub fn raw(mut self, raw: bool) -> Self {
        self.guard = !raw;
        self
    }

    /// Appends the header row.
    pub fn header(&self, prefix: &[String], out: &mut Vec<u8>) {
        let mut cols: Vec<String> = prefix.to_vec();
        cols.extend(
            [
                "run", "seq", "day", "kind", "meeting", "round", "party", "subject", "value",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        cols.extend(self.issues.iter().map(|i| format!("offer.{i}")));
        write_record(out, cols.iter().map(|s| s.as_bytes()));
    }

    /// Appends every row of a run's trace.
    pub fn rows(&self, prefix: &[u8], run: u64, trace: &Trace, out: &mut Vec<u8>) {
        for (seq, row) in trace.rows.iter().enumerate() {
            self.row(prefix, run, seq, row, trace.offer_of(row), out);
        }
    }

    /// Appends one row: row `seq` of run `run`, with its offer (a row streamed
    /// to a [`crate::model::TraceSink`] carries its offer beside it).
    pub fn row(
        &self,
        prefix: &[u8],
        run: u64,
        seq: usize,
        row: &TraceRow,
        offer: Option<&[f64]>,
        out: &mut Vec<u8>,
    ) {
        out.extend_from_slice(prefix);
        push_int(out, run);
        out.push(b',');
        push_int(out, seq);
        out.push(b',');
        push_f64(out, row.day);
        out.push(b',');
        out.extend_from_slice(row.kind.as_str().as_bytes());
        out.push(b',');
        if let Some(m) = row.meeting {
            write_text(out, self.meetings[m].as_bytes(), self.guard);
        }
        out.push(b',');
        if let Some(r) = row.round {
            push_int(out, r);
        }
        out.push(b',');
        if let Some(p) = row.party {
            write_text(out, self.parties[p].as_bytes(), self.guard);
        }
        out.push(b',');
        match (row.kind, row.subject) {
            (
                TraceKind::ThreatTriggered | TraceKind::ThreatExecuted | TraceKind::ThreatDeclined,
                Some(t),
            ) => write_text(out, self.threats[t].as_bytes(), self.guard),
            (TraceKind::Exogenous, Some(e)) => {
                write_text(out, self.events[e].as_bytes(), self.guard)
            }
            (TraceKind::MeetingStart, Some(k)) => push_int(out, k),
            _ => {}
        }
        out.push(b',');
        match (row.kind, row.value) {
            (TraceKind::End, Some(v)) => {
                out.extend_from_slice(Outcome::ALL[v as usize].as_str().as_bytes())
            }
            (_, Some(v)) => push_f64(out, v),
            _ => {}
        }
        for i in 0..self.issues.len() {
            out.push(b',');
            if let Some(o) = offer {
                push_f64(out, o[i]);
            }
        }
        out.push(b'\n');
    }
}
