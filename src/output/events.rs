//! The events file: one row per recorded event of every run.
//!
//! Each kind of content has its own typed column (`docs/outputs.md`):
//! `run,seq,day,kind,meeting,sitting,round,party,threat,event,conflict,
//! outcome,utility,no_deal,follow_up_day,war_margin,war_value`, then
//! `offer.<issue>` per issue. No cell is empty: an id that does not apply is
//! `none`, a number `NaN`, `sitting` and `round` `0`. Rounds are numbered
//! from 1, as `negsim trace` numbers them.
//!
//! [`super::EventsSpool`] (in `spool.rs`) formats rows with it as a run
//! records them.

use std::cell::RefCell;
use std::sync::Arc;

use super::columns::{Column, ColumnType, NONE};
use super::numbers::NumberCells;
use super::{push_int, write_record, write_text};
use crate::model::trace::{Trace, TraceKind, TraceRow};
use crate::model::{Model, Outcome};

/// Formats trace rows of one model.
///
/// Cloning is cheap (the ids and the cells made of them are shared), so a
/// job's format is made once and each task writes with its own clone, whose
/// memos of numbers' text and of each party's last offer are its own.
#[derive(Debug, Clone)]
pub struct EventsFormat {
    layout: Arc<Layout>,
    /// Recent numbers' text: a meeting's rows share their day, and offers
    /// are made of a few values.
    numbers: RefCell<NumberCells>,
    /// Each party's last offer cells: half of a founding run's offer rows
    /// repeat their party's offer before.
    offers: RefCell<Vec<OfferCells>>,
}

/// What a format writes with: a model's ids and the cells made of them.
#[derive(Debug, Clone)]
struct Layout {
    issues: Vec<String>,
    parties: Vec<String>,
    meetings: Vec<String>,
    threats: Vec<String>,
    events: Vec<String>,
    conflicts: Vec<String>,
    guard: bool,
    /// The id cells, each with its leading comma, guarded when `guard` is.
    cells: IdCells,
    /// Longer runs of cells made of those, which rows write as one piece.
    runs: RowCells,
    /// The offer cells of a row without an offer, and its line break.
    no_offer: Vec<u8>,
}

impl Layout {
    /// Makes the cells for the ids and `guard`.
    fn with_cells(mut self) -> Self {
        self.cells = IdCells::new(&self);
        self.runs = RowCells::new(&self.cells, &self.no_offer);
        self
    }
}

/// Formatted id cells (`,geneva`), one list per kind of id, `none` last.
#[derive(Debug, Clone, Default)]
struct IdCells {
    parties: Vec<Vec<u8>>,
    meetings: Vec<Vec<u8>>,
    threats: Vec<Vec<u8>>,
    events: Vec<Vec<u8>>,
    conflicts: Vec<Vec<u8>>,
}

impl IdCells {
    fn new(f: &Layout) -> Self {
        let list = |ids: &[String]| -> Vec<Vec<u8>> {
            ids.iter()
                .map(|id| {
                    let mut cell = vec![b','];
                    write_text(&mut cell, id.as_bytes(), f.guard);
                    cell
                })
                .chain(std::iter::once(format!(",{NONE}").into_bytes()))
                .collect()
        };
        IdCells {
            parties: list(&f.parties),
            meetings: list(&f.meetings),
            threats: list(&f.threats),
            events: list(&f.events),
            conflicts: list(&f.conflicts),
        }
    }
}

/// The place of id `k` in a list made by [`IdCells::new`] (that of `none`
/// when there is no id or no such one).
#[inline]
fn id_index(list: &[Vec<u8>], k: Option<usize>) -> usize {
    let none = list.len() - 1;
    k.filter(|&k| k < none).unwrap_or(none)
}

/// The cell of id `k` of a list made by [`IdCells::new`] (`none` when
/// there is no id or no such one).
#[inline]
fn id_cell(list: &[Vec<u8>], k: Option<usize>) -> &[u8] {
    &list[id_index(list, k)]
}

/// Whether rows of kind `k` have `none` in the threat, event, conflict and
/// outcome cells whatever they hold (all kinds but the threats', exogenous,
/// escalation and end).
fn is_plain(k: TraceKind) -> bool {
    use TraceKind as K;
    !matches!(
        k,
        K::ThreatTriggered
            | K::ThreatExecuted
            | K::ThreatDeclined
            | K::Exogenous
            | K::Escalation
            | K::End
    )
}

/// Which of the five number cells (`utility`, `no_deal`, `follow_up_day`,
/// `war_margin`, `war_value`) a row of kind `k` fills with its value; at
/// most one applies, the others are `NaN`.
fn number_cell(k: TraceKind) -> Option<usize> {
    use TraceKind as K;
    match k {
        K::Offer | K::Accept | K::Reject | K::Agreement => Some(0),
        K::Seat | K::Walkout => Some(1),
        K::Process => Some(2),
        K::Decision => Some(3),
        K::Escalation => Some(4),
        _ => None,
    }
}

/// Number cell slots of [`RowCells`]: the five cells, and a sixth for a
/// row without a number.
const SLOTS: usize = 6;

/// Runs of cells that a row writes as one piece each, so that a row is a
/// handful of copies: after the `day` cell, every row `heads`
/// (`kind,meeting,`) and `rounds` (`sitting,round`); a row of a plain kind
/// ([`is_plain`]) then `mids` (the party, the four `none` cells and the
/// number cells up to the row's number), the number, and `ends` (the number
/// cells after it, the offer's cells and the line break) or the offer's
/// cells. Rows of the other kinds write their cells from `party` on one at
/// a time.
#[derive(Debug, Clone, Default)]
struct RowCells {
    /// Per (kind, meeting or none), at `kind * meetings + meeting`.
    heads: Vec<Vec<u8>>,
    /// Entries per kind in `heads`: the meetings and `none`.
    meetings: usize,
    /// `0,R` for the rounds `R` below [`RowCells::ROUNDS`] (a sitting is
    /// not 0 on `meeting_start` rows only).
    rounds: Vec<Vec<u8>>,
    /// Per (party or none, slot), at `party * SLOTS + slot`: the party
    /// cell, the threat, event, conflict and outcome cells (`none`), and the
    /// number cells before the slot's (each `NaN`) with the comma of the
    /// slot's; for the sixth slot all five `NaN` cells.
    mids: Vec<Vec<u8>>,
    /// Per slot: the `NaN` cells after the slot's number and the cells of
    /// no offer, with the line break.
    ends: Vec<Vec<u8>>,
}

impl RowCells {
    /// Rounds with a precomputed cell.
    const ROUNDS: u32 = 64;

    fn new(ids: &IdCells, no_offer: &[u8]) -> Self {
        let meetings = ids.meetings.len();
        let mut heads = Vec::with_capacity(TraceKind::ALL.len() * meetings);
        for k in TraceKind::ALL {
            for m in &ids.meetings {
                let mut cell = k.as_str().as_bytes().to_vec();
                cell.extend_from_slice(m);
                cell.push(b',');
                heads.push(cell);
            }
        }
        let rounds = (0..Self::ROUNDS)
            .map(|r| format!("0,{r}").into_bytes())
            .collect();
        let last = |list: &[Vec<u8>]| list[list.len() - 1].clone();
        let nones = [
            last(&ids.threats),
            last(&ids.events),
            last(&ids.conflicts),
            format!(",{NONE}").into_bytes(),
        ]
        .concat();
        let mut mids = Vec::with_capacity(ids.parties.len() * SLOTS);
        for p in &ids.parties {
            for slot in 0..SLOTS {
                let mut cell = p.clone();
                cell.extend_from_slice(&nones);
                if slot < 5 {
                    cell.extend_from_slice(&NAN_CELLS[..4 * slot]);
                    cell.push(b',');
                } else {
                    cell.extend_from_slice(NAN_CELLS);
                }
                mids.push(cell);
            }
        }
        let ends = (0..SLOTS)
            .map(|slot| {
                let after = if slot < 5 {
                    &NAN_CELLS[4 * (slot + 1)..]
                } else {
                    &[]
                };
                [after, no_offer].concat()
            })
            .collect();
        RowCells {
            heads,
            meetings,
            rounds,
            mids,
            ends,
        }
    }
}

/// A party's last offer: the bits of its values and their cells (each with
/// its leading comma) and the row's line break.
#[derive(Debug, Clone, Default)]
struct OfferCells {
    bits: Vec<u64>,
    text: Vec<u8>,
}

/// Appends the cells of `offer`, each with its leading comma, and the
/// row's line break.
fn offer_cells(out: &mut Vec<u8>, offer: &[f64], numbers: &mut NumberCells) {
    for &x in offer {
        out.push(b',');
        numbers.push(out, x);
    }
    out.push(b'\n');
}

/// The five number cells before the offer's, all `NaN`.
const NAN_CELLS: &[u8] = b",NaN,NaN,NaN,NaN,NaN";

impl EventsFormat {
    /// The format for `model`.
    pub fn new(model: &Model) -> Self {
        let layout = Layout {
            issues: model.issues.iter().map(|i| i.id.clone()).collect(),
            parties: model.parties.iter().map(|p| p.id.clone()).collect(),
            meetings: model.meetings.iter().map(|m| m.id.clone()).collect(),
            threats: model.threats.iter().map(|t| t.id.clone()).collect(),
            events: model.events.iter().map(|e| e.id.clone()).collect(),
            conflicts: model.conflicts.iter().map(|c| c.id.clone()).collect(),
            guard: true,
            cells: IdCells::default(),
            runs: RowCells::default(),
            no_offer: b",NaN"
                .repeat(model.issues.len())
                .into_iter()
                .chain([b'\n'])
                .collect(),
        };
        EventsFormat {
            layout: Arc::new(layout.with_cells()),
            numbers: RefCell::new(NumberCells::default()),
            offers: RefCell::new(vec![OfferCells::default(); model.parties.len()]),
        }
    }

    /// With `raw`, text cells are written as they are (see [`super::RunsFormat::raw`]).
    pub fn raw(mut self, raw: bool) -> Self {
        if self.layout.guard == raw {
            let mut layout = (*self.layout).clone();
            layout.guard = !raw;
            self.layout = Arc::new(layout.with_cells());
        }
        self
    }

    /// The columns, with their types and meanings.
    pub fn schema(&self) -> Vec<Column> {
        use ColumnType::*;
        let mut c = vec![
            Column::new("run", Integer, "run index (the row of the runs file)"),
            Column::new("seq", Integer, "the row's place within its run, from 0"),
            Column::new("day", Number, "when, in days since the scenario's start").unit("day"),
            Column::new(
                "kind",
                String,
                "what happened: meeting_start, seat, offer, accept, reject, agreement, \
                 partial_agreement, process, deadlock, walkout, threat_triggered, \
                 threat_executed, threat_declined, decision, escalation, exogenous or end",
            ),
            Column::new("meeting", String, "the meeting's id; none outside meetings"),
            Column::new(
                "sitting",
                Integer,
                "on meeting_start: which sitting of the meeting opens (1 the first, 2 its first \
                 follow-up...); 0 on other rows",
            ),
            Column::new(
                "round",
                Integer,
                "the round within the meeting, from 1 (as negsim trace numbers them); 0 outside rounds",
            ),
            Column::new(
                "party",
                String,
                "the acting party's id (the one seated, offering, answering, walking out, \
                 holding the threat, deciding or starting the war); none where no party acts",
            ),
            Column::new(
                "threat",
                String,
                "on threat_triggered, threat_executed and threat_declined: the threat's id; none \
                 otherwise",
            ),
            Column::new(
                "event",
                String,
                "on exogenous: the event's id; none otherwise",
            ),
            Column::new(
                "conflict",
                String,
                "on escalation: the conflict's id; none otherwise",
            ),
            Column::new(
                "outcome",
                String,
                "on end: the run's outcome (as in the runs file); none otherwise",
            ),
            Column::new(
                "utility",
                Number,
                "on offer, accept and reject: the acting party's utility of the offer; on \
                 agreement: the first seated party's utility of the settlement; NaN otherwise",
            )
            .unit("utility"),
            Column::new(
                "no_deal",
                Number,
                "on seat and walkout: the party's value of no deal; NaN otherwise",
            )
            .unit("utility"),
            Column::new(
                "follow_up_day",
                Number,
                "on process: the day the follow-up sitting is scheduled for; NaN otherwise",
            )
            .unit("day"),
            Column::new(
                "war_margin",
                Number,
                "on decision: the party's best war's value less the value of going on (positive \
                 means war); NaN otherwise",
            )
            .unit("utility"),
            Column::new(
                "war_value",
                Number,
                "on escalation: the party's value of the war it starts; NaN otherwise",
            )
            .unit("utility"),
        ];
        for i in &self.layout.issues {
            c.push(
                Column::new(
                    format!("offer.{i}"),
                    Number,
                    format!(
                        "`{i}` in the row's offer (offer: the offer made; agreement: the \
                         settlement; partial_agreement: the values in force); NaN on other \
                         rows (accept and reject answer the last offer row before them)"
                    ),
                )
                .unit("issue scale"),
            );
        }
        c
    }

    /// Appends the header row.
    pub fn header(&self, prefix: &[String], out: &mut Vec<u8>) {
        let cols: Vec<String> = prefix
            .iter()
            .cloned()
            .chain(self.schema().into_iter().map(|c| c.name))
            .collect();
        write_record(out, cols.iter().map(|s| s.as_bytes()));
    }

    /// The offer cells of party `party` (None: no party) and the line break.
    fn push_offer(
        &self,
        out: &mut Vec<u8>,
        party: Option<usize>,
        offer: &[f64],
        numbers: &mut NumberCells,
    ) {
        let mut offers = self.offers.borrow_mut();
        let Some(last) = party.and_then(|p| offers.get_mut(p)) else {
            offer_cells(out, offer, numbers);
            return;
        };
        let same = last.bits.len() == offer.len()
            && last.bits.iter().zip(offer).all(|(&b, x)| b == x.to_bits());
        if !same {
            last.bits.clear();
            last.bits.extend(offer.iter().map(|x| x.to_bits()));
            last.text.clear();
            offer_cells(&mut last.text, offer, numbers);
        }
        out.extend_from_slice(&last.text);
    }

    /// Appends one row: `seq` is its place in run `run`, `offer` its offer.
    pub fn row(
        &self,
        prefix: &[u8],
        run: u64,
        seq: u64,
        row: &TraceRow,
        offer: Option<&[f64]>,
        out: &mut Vec<u8>,
    ) {
        out.extend_from_slice(prefix);
        push_int(out, run);
        out.push(b',');
        self.row_after_run(seq, row, offer, out);
    }

    /// Appends a row from its `seq` cell on (the prefix and the `run` cell
    /// are written).
    pub(super) fn row_after_run(
        &self,
        seq: u64,
        row: &TraceRow,
        offer: Option<&[f64]>,
        out: &mut Vec<u8>,
    ) {
        push_int(out, seq);
        out.push(b',');
        let mut numbers = self.numbers.borrow_mut();
        numbers.push(out, row.day);
        out.push(b',');
        let k = row.kind;
        let l = &*self.layout;
        let (c, runs) = (&l.cells, &l.runs);
        out.extend_from_slice(
            &runs.heads[k as usize * runs.meetings + id_index(&c.meetings, row.meeting)],
        );
        let sitting = if k == TraceKind::MeetingStart {
            row.subject.map_or(0, |s| s + 1)
        } else {
            0
        };
        let round = row.round.map_or(0, |r| r + 1);
        match runs.rounds.get(round as usize) {
            Some(cell) if sitting == 0 => out.extend_from_slice(cell),
            _ => {
                push_int(out, sitting);
                out.push(b',');
                push_int(out, round);
            }
        }
        if !is_plain(k) {
            return self.rest_of_any(row, offer, out, &mut numbers);
        }
        let number = number_cell(k).zip(row.value);
        let slot = number.map_or(SLOTS - 1, |(i, _)| i);
        out.extend_from_slice(&runs.mids[id_index(&c.parties, row.party) * SLOTS + slot]);
        if let Some((_, v)) = number {
            numbers.push(out, v);
        }
        match offer {
            None => out.extend_from_slice(&runs.ends[slot]),
            Some(o) => {
                if let Some((i, _)) = number {
                    out.extend_from_slice(&NAN_CELLS[4 * (i + 1)..]);
                }
                self.push_offer(out, row.party, &o[..l.issues.len()], &mut numbers);
            }
        }
    }

    /// Appends a row of any kind from its `party` cell on, one cell at a
    /// time.
    fn rest_of_any(
        &self,
        row: &TraceRow,
        offer: Option<&[f64]>,
        out: &mut Vec<u8>,
        numbers: &mut NumberCells,
    ) {
        use TraceKind as K;
        let k = row.kind;
        let when = |on: bool, x: Option<usize>| if on { x } else { None };
        let l = &*self.layout;
        let c = &l.cells;
        out.extend_from_slice(id_cell(&c.parties, row.party));
        let threat = matches!(
            k,
            K::ThreatTriggered | K::ThreatExecuted | K::ThreatDeclined
        );
        out.extend_from_slice(id_cell(&c.threats, when(threat, row.subject)));
        out.extend_from_slice(id_cell(&c.events, when(k == K::Exogenous, row.subject)));
        out.extend_from_slice(id_cell(&c.conflicts, when(k == K::Escalation, row.subject)));
        out.push(b',');
        match (k, row.value) {
            (K::End, Some(v)) => {
                out.extend_from_slice(Outcome::ALL[v as usize].as_str().as_bytes())
            }
            _ => out.extend_from_slice(NONE.as_bytes()),
        }
        match number_cell(k).zip(row.value) {
            Some((i, v)) => {
                out.extend_from_slice(&NAN_CELLS[..4 * i]);
                out.push(b',');
                numbers.push(out, v);
                out.extend_from_slice(&NAN_CELLS[4 * (i + 1)..]);
            }
            None => out.extend_from_slice(NAN_CELLS),
        }
        match offer {
            Some(o) => self.push_offer(out, row.party, &o[..l.issues.len()], numbers),
            None => out.extend_from_slice(&l.no_offer),
        }
    }

    /// Appends every row of a run's trace.
    pub fn rows(&self, prefix: &[u8], run: u64, trace: &Trace, out: &mut Vec<u8>) {
        for (seq, row) in trace.rows.iter().enumerate() {
            self.row(prefix, run, seq as u64, row, trace.offer_of(row), out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Runner;
    use crate::output::push_f64;
    use crate::scenario::ScenarioSource;

    /// Each row as the column list in the schema says, written cell by
    /// cell with no precomputed cells or memo.
    fn plain_row(
        f: &EventsFormat,
        run: u64,
        seq: u64,
        row: &TraceRow,
        offer: Option<&[f64]>,
    ) -> String {
        use TraceKind as K;
        let k = row.kind;
        let id = |ids: &[String], x: Option<usize>| x.map_or(NONE.to_string(), |i| ids[i].clone());
        let num = |on: bool| {
            let mut b = Vec::new();
            push_f64(
                &mut b,
                if on {
                    row.value.unwrap_or(f64::NAN)
                } else {
                    f64::NAN
                },
            );
            String::from_utf8(b).unwrap()
        };
        let mut day = Vec::new();
        push_f64(&mut day, row.day);
        let threat = matches!(
            k,
            K::ThreatTriggered | K::ThreatExecuted | K::ThreatDeclined
        );
        let mut cells = vec![
            run.to_string(),
            seq.to_string(),
            String::from_utf8(day).unwrap(),
            k.as_str().to_string(),
            id(&f.layout.meetings, row.meeting),
            if k == K::MeetingStart {
                row.subject.map_or(0, |s| s + 1)
            } else {
                0
            }
            .to_string(),
            row.round.map_or(0, |r| r + 1).to_string(),
            id(&f.layout.parties, row.party),
            id(&f.layout.threats, row.subject.filter(|_| threat)),
            id(&f.layout.events, row.subject.filter(|_| k == K::Exogenous)),
            id(
                &f.layout.conflicts,
                row.subject.filter(|_| k == K::Escalation),
            ),
            match (k, row.value) {
                (K::End, Some(v)) => Outcome::ALL[v as usize].as_str().to_string(),
                _ => NONE.to_string(),
            },
            num(matches!(k, K::Offer | K::Accept | K::Reject | K::Agreement)),
            num(matches!(k, K::Seat | K::Walkout)),
            num(k == K::Process),
            num(k == K::Decision),
            num(k == K::Escalation),
        ];
        for i in 0..f.layout.issues.len() {
            let mut b = Vec::new();
            push_f64(&mut b, offer.map_or(f64::NAN, |o| o[i]));
            cells.push(String::from_utf8(b).unwrap());
        }
        cells.join(",") + "\n"
    }

    /// The row writer (id cells made once, the five number cells by kind,
    /// each party's last offer remembered) writes what the schema's cells
    /// give one by one, over the founding scenario's every kind of row.
    #[test]
    fn rows_are_the_schemas_cells_one_by_one() {
        let src = ScenarioSource::from_path("scenarios/jan-2022-security-talks.toml", &[]).unwrap();
        let model = Model::compile(&src.scenario);
        let fmt = EventsFormat::new(&model);
        let mut runner = Runner::new(&model, 11);
        runner.set_trace(true);
        let mut kinds = std::collections::BTreeSet::new();
        let (mut offers, mut repeats) = (0, 0);
        for r in 0..60 {
            runner.run(r).unwrap();
            let trace = runner.trace();
            let mut last: Vec<Option<Vec<f64>>> = vec![None; model.parties.len()];
            for (seq, row) in trace.rows.iter().enumerate() {
                let offer = trace.offer_of(row);
                let mut got = Vec::new();
                fmt.row(b"", r, seq as u64, row, offer, &mut got);
                let want = plain_row(&fmt, r, seq as u64, row, offer);
                assert_eq!(String::from_utf8(got).unwrap(), want, "run {r} row {seq}");
                kinds.insert(row.kind.as_str());
                if let (Some(o), Some(p)) = (offer, row.party) {
                    offers += 1;
                    repeats += usize::from(last[p].as_deref() == Some(o));
                    last[p] = Some(o.to_vec());
                }
            }
        }
        assert!(kinds.len() >= 10, "kinds of rows seen: {kinds:?}");
        assert!(
            repeats > 0 && repeats < offers,
            "{repeats} of {offers} offers repeat"
        );
    }

    /// Every kind of row, with and without each id, number and offer, a
    /// round past the precomputed ones and a sitting, rows of one day in a
    /// row, raw and guarded, with a prefix: the precomputed runs of cells and the cell-by-cell path
    /// write what the schema's cells give one by one.
    #[test]
    fn every_kind_of_row_is_its_schemas_cells() {
        let src = ScenarioSource::from_path("scenarios/jan-2022-security-talks.toml", &[]).unwrap();
        let model = Model::compile(&src.scenario);
        assert!(
            !model.threats.is_empty() && !model.events.is_empty() && !model.conflicts.is_empty()
        );
        let n = model.issues.len();
        let offers: Vec<f64> = (0..n).map(|i| 0.1 * i as f64 + 1.0 / 3.0).collect();
        for raw in [false, true] {
            let fmt = EventsFormat::new(&model).raw(raw);
            let mut seq = 0;
            for kind in TraceKind::ALL {
                for meeting in [None, Some(0), Some(model.meetings.len() - 1)] {
                    for party in [None, Some(0), Some(model.parties.len() - 1)] {
                        for (subject, round) in
                            [(None, None), (Some(0), Some(3)), (Some(0), Some(200))]
                        {
                            let value = if kind == TraceKind::End {
                                Some(2.0)
                            } else {
                                Some(0.25)
                            };
                            for (value, offer) in
                                [(None, None), (value, None), (value, Some(&offers[..]))]
                            {
                                let row = TraceRow {
                                    day: 1.5 + (seq / 3) as f64,
                                    kind,
                                    meeting,
                                    round,
                                    party,
                                    subject,
                                    value,
                                    offer: None,
                                };
                                let mut got = Vec::new();
                                fmt.row(b"p,", 7, seq, &row, offer, &mut got);
                                let want = format!("p,{}", plain_row(&fmt, 7, seq, &row, offer));
                                assert_eq!(String::from_utf8(got).unwrap(), want, "{row:?}");
                                seq += 1;
                            }
                        }
                    }
                }
            }
        }
    }
}
