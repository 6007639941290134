//! The narrated record of one run: what happened, when, to whom.
//!
//! Recording is off unless the caller asks for it (the events CSV, `trace`).
//! Rows land in a reusable buffer, so a run allocates nothing once warm, or,
//! with a [`Recorder`] installed, go straight to it as they happen, so that
//! memory stays flat however many rows a run records (the events file).

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

/// Receives a run's rows as they are recorded, instead of the buffer.
pub trait Recorder: Send {
    /// One row; `offer` is its offer, if it has one (one value per issue).
    fn record(&mut self, row: &TraceRow, offer: Option<&[f64]>);
}

/// A run's trace buffer.
#[derive(Default)]
pub struct Trace {
    /// Whether to record at all.
    pub enabled: bool,
    /// Rows in order (empty while a [`Recorder`] is installed).
    pub rows: Vec<TraceRow>,
    /// Offer values, referenced by rows.
    pub offers: Vec<f64>,
    /// Where rows go instead of `rows`, if set.
    recorder: Option<Box<dyn Recorder>>,
}

impl fmt::Debug for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trace")
            .field("enabled", &self.enabled)
            .field("rows", &self.rows)
            .field("offers", &self.offers)
            .field("recorder", &self.recorder.is_some())
            .finish()
    }
}

impl Clone for Trace {
    /// The rows; a recorder is not cloned.
    fn clone(&self) -> Self {
        Trace {
            enabled: self.enabled,
            rows: self.rows.clone(),
            offers: self.offers.clone(),
            recorder: None,
        }
    }
}

impl Trace {
    /// Clears the buffer for a new run.
    pub fn clear(&mut self) {
        self.rows.clear();
        self.offers.clear();
    }

    /// Sends rows to `recorder` instead of the buffer (and turns recording
    /// on); `None` goes back to the buffer.
    pub fn set_recorder(&mut self, recorder: Option<Box<dyn Recorder>>) {
        self.enabled |= recorder.is_some();
        self.recorder = recorder;
    }

    /// Adds a row; `offer` is copied into the arena (or handed to the recorder).
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
        if let Some(r) = &mut self.recorder {
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
            r.record(&row, offer);
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
