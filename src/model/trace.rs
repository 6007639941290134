//! The narrated record of one run: what happened, when, to whom.
//!
//! Recording is off unless the caller asks for it (the events CSV, `trace`);
//! rows land in a reusable buffer so a run allocates nothing once warm, or,
//! with a [`TraceSink`] installed, go straight to it as they happen, so that
//! memory stays flat however many rows a run records.

use std::fmt;

/// What a trace row reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceKind {
    /// A meeting opens.
    MeetingStart,
    /// A party takes its seat at a meeting (value: its value of no deal).
    Seat,
    /// A party (or mediator) puts an offer on the table.
    Offer,
    /// A party accepts the offer on the table.
    Accept,
    /// A party rejects it.
    Reject,
    /// Every agenda issue settled.
    Agreement,
    /// Some agenda issues settled at the end of a meeting.
    PartialAgreement,
    /// The meeting ends with a follow-up scheduled.
    Process,
    /// The meeting ends with nothing.
    Deadlock,
    /// A party leaves the table.
    Walkout,
    /// A threat's trigger fired.
    ThreatTriggered,
    /// A threat was carried out.
    ThreatExecuted,
    /// A triggered threat was not carried out (not credible this time).
    ThreatDeclined,
    /// A party that may start a war chose, at a decision point (value: its
    /// best war's value less the value of going on; positive means war).
    Decision,
    /// A party started a war (subject: the conflict; value: its war value).
    Escalation,
    /// An exogenous event changed parameters.
    Exogenous,
    /// The run's terminal outcome.
    End,
}

impl TraceKind {
    /// Every kind, in declaration order (`ALL[k as usize] == k`).
    pub const ALL: [TraceKind; 17] = [
        TraceKind::MeetingStart,
        TraceKind::Seat,
        TraceKind::Offer,
        TraceKind::Accept,
        TraceKind::Reject,
        TraceKind::Agreement,
        TraceKind::PartialAgreement,
        TraceKind::Process,
        TraceKind::Deadlock,
        TraceKind::Walkout,
        TraceKind::ThreatTriggered,
        TraceKind::ThreatExecuted,
        TraceKind::ThreatDeclined,
        TraceKind::Decision,
        TraceKind::Escalation,
        TraceKind::Exogenous,
        TraceKind::End,
    ];

    /// Name written to the events CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            TraceKind::MeetingStart => "meeting_start",
            TraceKind::Seat => "seat",
            TraceKind::Offer => "offer",
            TraceKind::Accept => "accept",
            TraceKind::Reject => "reject",
            TraceKind::Agreement => "agreement",
            TraceKind::PartialAgreement => "partial_agreement",
            TraceKind::Process => "process",
            TraceKind::Deadlock => "deadlock",
            TraceKind::Walkout => "walkout",
            TraceKind::ThreatTriggered => "threat_triggered",
            TraceKind::ThreatExecuted => "threat_executed",
            TraceKind::ThreatDeclined => "threat_declined",
            TraceKind::Decision => "decision",
            TraceKind::Escalation => "escalation",
            TraceKind::Exogenous => "exogenous",
            TraceKind::End => "end",
        }
    }
}

impl fmt::Display for TraceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of a run's trace. Indices refer to the compiled model.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceRow {
    /// Simulated time (days since start).
    pub day: f64,
    /// What happened.
    pub kind: TraceKind,
    /// Meeting index.
    pub meeting: Option<usize>,
    /// Round within the meeting (0-based).
    pub round: Option<u32>,
    /// Acting party.
    pub party: Option<usize>,
    /// Threat, exogenous event or conflict index, for those kinds.
    pub subject: Option<usize>,
    /// The acting party's utility of the offer, or the outcome index for `End`.
    pub value: Option<f64>,
    /// Range of this row's offer in [`Trace::offers`].
    pub offer: Option<(usize, usize)>,
}

/// Receives a run's rows one at a time, as they are recorded (see
/// [`Trace::set_sink`]): a writer that streams them out, or a live display.
pub trait TraceSink: Send {
    /// One row; `offer` is its offer or settlement (full issue vector), if
    /// any. The row's own `offer` range is `None`: nothing is buffered.
    fn record(&mut self, row: &TraceRow, offer: Option<&[f64]>);
}

/// A run's trace buffer.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// Whether to record at all.
    pub enabled: bool,
    /// Rows in order.
    pub rows: Vec<TraceRow>,
    /// Offer values, referenced by rows.
    pub offers: Vec<f64>,
    sink: SinkSlot,
}

/// The installed sink (a clone of a trace has none: a sink is one consumer).
#[derive(Default)]
struct SinkSlot(Option<Box<dyn TraceSink>>);

impl Clone for SinkSlot {
    fn clone(&self) -> Self {
        SinkSlot(None)
    }
}

impl fmt::Debug for SinkSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Some(sink)"
        } else {
            "None"
        })
    }
}

impl Trace {
    /// Sends every later row to `sink` instead of the buffer (recording
    /// must still be enabled); `None` goes back to buffering. Returns the
    /// sink that was installed, if any.
    pub fn set_sink(&mut self, sink: Option<Box<dyn TraceSink>>) -> Option<Box<dyn TraceSink>> {
        std::mem::replace(&mut self.sink.0, sink)
    }

    /// Clears the buffer for a new run.
    pub fn clear(&mut self) {
        self.rows.clear();
        self.offers.clear();
    }

    /// Adds a row; `offer` is copied into the arena.
    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        day: f64,
        kind: TraceKind,
        meeting: Option<usize>,
        round: Option<u32>,
        party: Option<usize>,
        subject: Option<usize>,
        value: Option<f64>,
        offer: Option<&[f64]>,
    ) {
        if !self.enabled {
            return;
        }
        if let Some(sink) = self.sink.0.as_mut() {
            let row = TraceRow {
                day,
                kind,
                meeting,
                round,
                party,
                subject,
                value,
                offer: None,
            };
            sink.record(&row, offer);
            return;
        }
        let offer = offer.map(|o| {
            let a = self.offers.len();
            self.offers.extend_from_slice(o);
            (a, self.offers.len())
        });
        self.rows.push(TraceRow {
            day,
            kind,
            meeting,
            round,
            party,
            subject,
            value,
            offer,
        });
    }

    /// The offer values of a row.
    pub fn offer_of(&self, row: &TraceRow) -> Option<&[f64]> {
        row.offer.map(|(a, b)| &self.offers[a..b])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A row's kind and its offer, as kept.
    type Kept = (TraceKind, Option<Vec<f64>>);

    /// Keeps what it is sent, for the test to read.
    struct Keep(Arc<Mutex<Vec<Kept>>>);

    impl TraceSink for Keep {
        fn record(&mut self, row: &TraceRow, offer: Option<&[f64]>) {
            assert_eq!(row.offer, None, "a streamed row points into no buffer");
            self.0
                .lock()
                .unwrap()
                .push((row.kind, offer.map(<[f64]>::to_vec)));
        }
    }

    #[test]
    fn all_kinds_are_listed_once_in_order() {
        for (i, k) in TraceKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i, "{k}");
        }
        let names: std::collections::BTreeSet<_> =
            TraceKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), TraceKind::ALL.len());
        assert_eq!(
            TraceKind::End as usize + 1,
            TraceKind::ALL.len(),
            "End is the last"
        );
    }

    #[test]
    fn a_sink_receives_rows_as_they_come_and_nothing_is_buffered() {
        let mut t = Trace {
            enabled: true,
            ..Trace::default()
        };
        let got = Arc::new(Mutex::new(Vec::new()));
        assert!(t.set_sink(Some(Box::new(Keep(Arc::clone(&got))))).is_none());
        t.push(
            1.0,
            TraceKind::MeetingStart,
            Some(0),
            None,
            None,
            Some(0),
            None,
            None,
        );
        t.push(
            1.0,
            TraceKind::Offer,
            Some(0),
            Some(0),
            Some(1),
            None,
            Some(0.5),
            Some(&[0.25, 0.75]),
        );
        assert!(t.rows.is_empty() && t.offers.is_empty());
        assert_eq!(
            *got.lock().unwrap(),
            [
                (TraceKind::MeetingStart, None),
                (TraceKind::Offer, Some(vec![0.25, 0.75]))
            ]
        );
        // A clone is a buffer again; removing the sink buffers too.
        let mut copy = t.clone();
        copy.push(
            2.0,
            TraceKind::Deadlock,
            Some(0),
            None,
            None,
            None,
            None,
            None,
        );
        assert_eq!(copy.rows.len(), 1);
        assert!(t.set_sink(None).is_some());
        t.push(
            2.0,
            TraceKind::Deadlock,
            Some(0),
            None,
            None,
            None,
            None,
            None,
        );
        assert_eq!((t.rows.len(), got.lock().unwrap().len()), (1, 2));
    }

    #[test]
    fn nothing_is_recorded_when_disabled_even_with_a_sink() {
        let mut t = Trace::default();
        let got = Arc::new(Mutex::new(Vec::new()));
        t.set_sink(Some(Box::new(Keep(Arc::clone(&got)))));
        t.push(1.0, TraceKind::End, None, None, None, None, Some(3.0), None);
        assert!(got.lock().unwrap().is_empty() && t.rows.is_empty());
    }
}
