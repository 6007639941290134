//! A run told in words, one trace row at a time: the lines of `negsim
//! trace` (whole or `--brief`), its JSON rows, its ASCII charts of offers,
//! and values described with the issues' labels.
//!
//! Everything here works on single rows as they stream from a run (see
//! [`crate::model::TraceSink`]), keeping only the little state a line needs
//! (the meeting's round count), so a narration's memory does not grow with
//! the run.

mod chart;
mod json;

pub use chart::ChartLines;
pub use json::json_row;

use std::fmt::Write as _;
use std::sync::Arc;

use crate::model::{Issue, Model, Outcome, TraceKind, TraceRow};
use crate::time::Date;

/// How much of a run to tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Every row: seats, offers, answers.
    #[default]
    Full,
    /// Meetings, decisions, threats, wars, events and the outcome; no rounds.
    Brief,
}

impl Detail {
    /// Whether a row of this kind is told at this detail.
    pub fn shows(self, kind: TraceKind) -> bool {
        self == Detail::Full || !is_round_row(kind)
    }
}

/// Rows that belong to a meeting's rounds (left out of a brief).
pub fn is_round_row(kind: TraceKind) -> bool {
    matches!(
        kind,
        TraceKind::Seat | TraceKind::Offer | TraceKind::Accept | TraceKind::Reject
    )
}

/// The calendar date of `day` (days since the scenario's start).
pub fn date_of(model: &Model, day: f64) -> Date {
    Date::from_days_since_epoch(model.start.days_since_epoch() + day.floor() as i64)
}

/// Where `v` lies between an issue's two labelled ends, in words:
/// `at "open door"`, `towards "legally binding halt"`, `half-way`; a labelled
/// value of a discrete issue by its label. `None` when the issue has no
/// labels to say it with.
pub fn label_of(issue: &Issue, v: f64) -> Option<String> {
    if let Some(n) = issue.grid.filter(|_| !issue.labels.is_empty()) {
        let k = (v.clamp(0.0, 1.0) * f64::from(n.saturating_sub(1))).round() as usize;
        return issue.labels.get(k).map(|l| format!("\"{l}\""));
    }
    let (low, high) = (issue.low.as_str(), issue.high.as_str());
    if low.is_empty() && high.is_empty() {
        return None;
    }
    let end = |l: &str, fallback: &str| {
        if l.is_empty() {
            fallback.to_string()
        } else {
            format!("\"{l}\"")
        }
    };
    Some(if v <= 1e-9 {
        format!("at {}", end(low, "0"))
    } else if v >= 1.0 - 1e-9 {
        format!("at {}", end(high, "1"))
    } else if (v - 0.5).abs() < 1e-9 {
        "half-way".to_string()
    } else if v < 0.5 {
        format!("towards {}", end(low, "0"))
    } else {
        format!("towards {}", end(high, "1"))
    })
}

/// `id=0.80 (towards "label")`: a value with its label, when it has one.
pub fn describe(issue: &Issue, v: f64) -> String {
    match label_of(issue, v) {
        Some(l) => format!("{}={v:.2} ({l})", issue.id),
        None => format!("{}={v:.3}", issue.id),
    }
}

/// Tells a run's rows one at a time.
#[derive(Debug, Clone)]
pub struct Narrator {
    model: Arc<Model>,
    detail: Detail,
    /// Rounds played at the meeting in progress.
    rounds: u32,
}

impl Narrator {
    /// A narrator of `model`'s runs at `detail`.
    pub fn new(model: Arc<Model>, detail: Detail) -> Self {
        Narrator {
            model,
            detail,
            rounds: 0,
        }
    }

    /// The title line: `NAME: run R, seed S`.
    pub fn title(&self, run: u64, seed: u64) -> String {
        format!("{}: run {run}, seed {seed}", self.model.name)
    }

    /// What `row` (with its offer) says, without the day, or `None` when
    /// the detail leaves it out. Every row of a run must be passed, in order.
    pub fn tell(&mut self, row: &TraceRow, offer: Option<&[f64]>) -> Option<String> {
        match row.kind {
            TraceKind::MeetingStart => self.rounds = 0,
            TraceKind::Offer => self.rounds = self.rounds.max(row.round.map_or(0, |r| r + 1)),
            _ => {}
        }
        if !self.detail.shows(row.kind) {
            return None;
        }
        Some(self.text(row, offer))
    }

    /// [`Narrator::tell`]'s text as a line beginning with the day and the date.
    pub fn line(&mut self, row: &TraceRow, offer: Option<&[f64]>) -> Option<String> {
        let text = self.tell(row, offer)?;
        Some(format!(
            "day {:>6.2} {}  {text}",
            row.day,
            date_of(&self.model, row.day)
        ))
    }

    /// What the row says, without the day.
    pub fn text(&self, row: &TraceRow, offer: Option<&[f64]>) -> String {
        let model = &*self.model;
        let party = |p: Option<usize>| p.map_or("-", |p| model.parties[p].id.as_str());
        let val = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3}"));
        let meeting = row.meeting.map_or("", |m| model.meetings[m].id.as_str());
        let after = match self.detail {
            Detail::Brief => match self.rounds {
                0 => String::new(),
                1 => " after 1 round".to_string(),
                n => format!(" after {n} rounds"),
            },
            Detail::Full => String::new(),
        };
        match row.kind {
            TraceKind::MeetingStart => format!("{meeting} opens"),
            TraceKind::Seat => format!(
                "  {} takes its seat (its value of no deal {})",
                party(row.party),
                val(row.value)
            ),
            TraceKind::Offer => format!(
                "  round {}: {} puts forward {} (its utility {})",
                row.round.unwrap_or(0) + 1,
                party(row.party),
                self.offer_text(offer),
                val(row.value)
            ),
            TraceKind::Accept | TraceKind::Reject => format!(
                "  {} {}s (its utility {})",
                party(row.party),
                row.kind,
                val(row.value)
            ),
            TraceKind::Agreement => format!(
                "{meeting}: agreement{after}: {}",
                self.settlement_text(row.meeting, offer)
            ),
            TraceKind::PartialAgreement => format!(
                "{meeting}: partial agreement{after}; settlement so far {}",
                self.settlement_text(row.meeting, offer)
            ),
            TraceKind::Process => format!(
                "{meeting}: no deal yet{after}, follow-up meeting on day {}",
                val(row.value)
            ),
            TraceKind::Deadlock => format!("{meeting}: deadlock{after}"),
            TraceKind::Walkout => format!(
                "{meeting}: {} walks out{after} (its value of no deal {})",
                party(row.party),
                val(row.value)
            ),
            TraceKind::ThreatTriggered | TraceKind::ThreatExecuted | TraceKind::ThreatDeclined => {
                let t = row.subject.map_or("?", |t| model.threats[t].id.as_str());
                let what = match row.kind {
                    TraceKind::ThreatTriggered => "is triggered",
                    TraceKind::ThreatExecuted => "is carried out",
                    _ => "is not carried out",
                };
                format!("threat {t} by {} {what}", party(row.party))
            }
            TraceKind::Decision => {
                let margin = row.value.unwrap_or(0.0);
                format!(
                    "{} weighs war against going on: war is worth {:.3} {} to it, so it {}",
                    party(row.party),
                    margin.abs(),
                    if margin > 0.0 { "more" } else { "less" },
                    if margin > 0.0 { "fights" } else { "goes on" }
                )
            }
            TraceKind::Escalation => format!(
                "{} starts a war ({}): armed conflict",
                party(row.party),
                row.subject.map_or("?", |c| model.conflicts[c].id.as_str())
            ),
            TraceKind::Exogenous => format!(
                "event {}",
                row.subject.map_or("?", |e| model.events[e].id.as_str())
            ),
            TraceKind::End => format!("outcome: {}", outcome_of(row)),
        }
    }

    /// An offer as `id=value` on every issue (a labelled discrete value
    /// with its label).
    fn offer_text(&self, offer: Option<&[f64]>) -> String {
        let Some(o) = offer else {
            return String::new();
        };
        let mut s = String::new();
        for (k, (issue, &v)) in self.model.issues.iter().zip(o).enumerate() {
            if k > 0 {
                s.push(' ');
            }
            let _ = write!(s, "{}={v:.3}", issue.id);
            if issue.grid.is_some() && !issue.labels.is_empty() {
                if let Some(l) = label_of(issue, v) {
                    let _ = write!(s, " ({l})");
                }
            }
        }
        s
    }

    /// A settlement on the meeting's agenda, each value with its label.
    fn settlement_text(&self, meeting: Option<usize>, offer: Option<&[f64]>) -> String {
        let Some(o) = offer else {
            return String::new();
        };
        let all: Vec<usize> = (0..self.model.issues.len()).collect();
        let agenda = meeting.map_or(&all[..], |m| &self.model.meetings[m].agenda[..]);
        agenda
            .iter()
            .map(|&i| describe(&self.model.issues[i], o[i]))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The outcome an `end` row reports.
pub fn outcome_of(row: &TraceRow) -> Outcome {
    Outcome::ALL
        .get(row.value.unwrap_or(0.0) as usize)
        .copied()
        .unwrap_or(Outcome::Stalemate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(low: &str, high: &str) -> Issue {
        Issue {
            id: "x".into(),
            name: "X".into(),
            low: low.into(),
            high: high.into(),
            grid: None,
            labels: Vec::new(),
            status_quo: 0,
        }
    }

    #[test]
    fn values_are_told_with_the_labels_of_their_side() {
        let i = issue("open door", "legally binding halt");
        assert_eq!(
            describe(&i, 0.8),
            "x=0.80 (towards \"legally binding halt\")"
        );
        assert_eq!(describe(&i, 0.2), "x=0.20 (towards \"open door\")");
        assert_eq!(describe(&i, 0.0), "x=0.00 (at \"open door\")");
        assert_eq!(describe(&i, 1.0), "x=1.00 (at \"legally binding halt\")");
        assert_eq!(describe(&i, 0.5), "x=0.50 (half-way)");
        // No labels, nothing to add; one label, the other end by its number.
        assert_eq!(describe(&issue("", ""), 0.8), "x=0.800");
        assert_eq!(label_of(&issue("low", ""), 0.9).unwrap(), "towards 1");
    }

    #[test]
    fn a_discrete_value_is_told_by_its_own_label() {
        let mut i = issue("none", "all");
        i.grid = Some(3);
        i.labels = vec!["none".into(), "moratorium".into(), "halt".into()];
        assert_eq!(label_of(&i, 0.5).unwrap(), "\"moratorium\"");
        assert_eq!(label_of(&i, 1.0).unwrap(), "\"halt\"");
        i.labels.clear();
        assert_eq!(label_of(&i, 0.5).unwrap(), "half-way");
    }

    #[test]
    fn a_brief_leaves_out_the_rounds() {
        for k in [
            TraceKind::Seat,
            TraceKind::Offer,
            TraceKind::Accept,
            TraceKind::Reject,
        ] {
            assert!(!Detail::Brief.shows(k) && Detail::Full.shows(k));
        }
        for k in [
            TraceKind::MeetingStart,
            TraceKind::Decision,
            TraceKind::ThreatExecuted,
            TraceKind::Escalation,
            TraceKind::Exogenous,
            TraceKind::Deadlock,
            TraceKind::End,
        ] {
            assert!(Detail::Brief.shows(k));
        }
    }
}
