//! A trace row as one JSON object (a line of `negsim trace --format json`):
//! the events CSV's fields by name and in its order, the date, and the
//! narrated text.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use super::{date_of, outcome_of};
use crate::model::{Model, TraceKind, TraceRow};

/// One row, its fields in the order they are written.
#[derive(Debug, Serialize)]
struct JsonRow<'a> {
    run: u64,
    seq: usize,
    day: f64,
    date: String,
    kind: &'static str,
    meeting: Option<&'a str>,
    round: Option<u32>,
    party: Option<&'a str>,
    subject: Option<Value>,
    value: Option<Value>,
    offer: Option<IndexMap<&'a str, f64>>,
    text: &'a str,
}

/// Row `seq` of run `run` as the text of a JSON object (one line), with `text`, its narrated line.
/// Ids are written as ids (a meeting's `subject` is its instance: 0 for the
/// scheduled meeting, k for its k-th follow-up); `value` is the outcome's
/// name on the `end` row; `offer` maps each issue to its value.
pub fn json_row(
    model: &Model,
    run: u64,
    seq: usize,
    row: &TraceRow,
    offer: Option<&[f64]>,
    text: &str,
) -> String {
    let subject = match (row.kind, row.subject) {
        (
            TraceKind::ThreatTriggered | TraceKind::ThreatExecuted | TraceKind::ThreatDeclined,
            Some(t),
        ) => Some(Value::from(model.threats[t].id.as_str())),
        (TraceKind::Exogenous, Some(e)) => Some(Value::from(model.events[e].id.as_str())),
        (TraceKind::Escalation, Some(c)) => Some(Value::from(model.conflicts[c].id.as_str())),
        (_, k) => k.map(Value::from),
    };
    let value = match row.kind {
        TraceKind::End => Some(Value::from(outcome_of(row).as_str())),
        _ => row.value.map(Value::from),
    };
    let r = JsonRow {
        run,
        seq,
        day: row.day,
        date: date_of(model, row.day).to_string(),
        kind: row.kind.as_str(),
        meeting: row.meeting.map(|m| model.meetings[m].id.as_str()),
        round: row.round,
        party: row.party.map(|p| model.parties[p].id.as_str()),
        subject,
        value,
        offer: offer.map(|o| {
            model
                .issues
                .iter()
                .zip(o)
                .map(|(i, &v)| (i.id.as_str(), v))
                .collect()
        }),
        text,
    };
    serde_json::to_string(&r).expect("a row serializes")
}
