//! A few sample runs told offer by offer, for the report's charts of the
//! offers on each issue: chosen from a tally (the first run of each outcome
//! that happened, most frequent first, then the first runs), and either
//! replayed from the scenario (run `r` depends only on the seed and `r`) or
//! read from an events CSV.

use std::collections::BTreeSet;
use std::io::Read;

use super::tally::{Row, Tally};
use crate::error::{Error, Result};
use crate::model::{Model, Outcome, Runner, TraceKind};

/// One offer (or a mediator's text) on the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// Who made it (None: the table's own text).
    pub party: Option<usize>,
    /// The round (0-based).
    pub round: u32,
    /// The offer, every issue.
    pub x: Vec<f64>,
}

/// One meeting of a sample run.
#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    /// Meeting index.
    pub meeting: usize,
    /// Day it convened.
    pub day: f64,
    /// Its offers, in order.
    pub offers: Vec<Offer>,
    /// The settlement if it agreed.
    pub agreement: Option<Vec<f64>>,
}

/// A sample run.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Its design point (sweeps).
    pub point: Option<usize>,
    /// The run.
    pub run: u64,
    /// How it ended.
    pub outcome: Outcome,
    /// On which day.
    pub end_day: u32,
    /// The meetings it held.
    pub meetings: Vec<Held>,
}

/// Up to `n` sample rows: the first run of each outcome that happened (most
/// frequent first), then the first runs of the file.
pub fn pick(t: &Tally, n: usize) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    let mut add = |r: &Row| {
        if out.len() < n && !out.iter().any(|o| (o.point, o.run) == (r.point, r.run)) {
            out.push(r.clone());
        }
    };
    for o in t.happened() {
        if let Some(r) = t.kept.iter().find(|r| r.outcome == o) {
            add(r);
        }
    }
    for r in &t.kept {
        add(r);
    }
    out
}

/// Builds a sample from one run's trace rows.
#[derive(Debug, Default)]
struct Builder {
    meetings: Vec<Held>,
}

impl Builder {
    fn row(
        &mut self,
        kind: TraceKind,
        meeting: Option<usize>,
        day: f64,
        party: Option<usize>,
        round: Option<u32>,
        x: Option<&[f64]>,
    ) {
        match (kind, meeting) {
            (TraceKind::MeetingStart, Some(m)) => self.meetings.push(Held {
                meeting: m,
                day,
                offers: Vec::new(),
                agreement: None,
            }),
            (TraceKind::Offer, Some(_)) => {
                if let (Some(h), Some(x)) = (self.meetings.last_mut(), x) {
                    h.offers.push(Offer {
                        party,
                        round: round.unwrap_or(0),
                        x: x.to_vec(),
                    });
                }
            }
            (TraceKind::Agreement, Some(_)) => {
                if let (Some(h), Some(x)) = (self.meetings.last_mut(), x) {
                    h.agreement = Some(x.to_vec());
                }
            }
            _ => {}
        }
    }
}

/// Replays `row`'s run of `model` (already at the row's point) with seed
/// `seed`; `None` when the replay does not end as the row says (the file
/// was made with other settings).
pub fn replay(model: &Model, seed: u64, row: &Row) -> Result<Option<Sample>> {
    let mut runner = Runner::new(model, seed);
    runner.set_trace(true);
    let res = runner.run(row.run).map_err(|source| {
        Error::new(crate::error::ErrorKind::Engine {
            run: row.run,
            source,
        })
    })?;
    if res.outcome() != row.outcome || res.end_day != row.end_day || res.settled != row.settled {
        return Ok(None);
    }
    let trace = runner.trace();
    let mut b = Builder::default();
    for r in &trace.rows {
        b.row(
            r.kind,
            r.meeting,
            r.day,
            r.party,
            r.round,
            trace.offer_of(r),
        );
    }
    Ok(Some(Sample {
        point: row.point,
        run: row.run,
        outcome: row.outcome,
        end_day: row.end_day,
        meetings: b.meetings,
    }))
}

/// Reads the samples `rows` from an events CSV (`negsim run --events` or
/// `negsim sweep --events`), keeping only their meetings and offers.
pub fn from_events(
    model: &Model,
    input: impl Read,
    file: &str,
    rows: &[Row],
) -> Result<Vec<Sample>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let bad = |what: String| Error::usage(format!("{file}: {what}"));
    let header = rdr.headers().map_err(|e| bad(e.to_string()))?.clone();
    let pos = |name: &str| header.iter().position(|h| h == name);
    let need = |name: &str| {
        pos(name).ok_or_else(|| {
            bad(format!(
                "no `{name}` column; expected the events CSV of `negsim run --events`"
            ))
        })
    };
    let (run, kind, day) = (need("run")?, need("kind")?, need("day")?);
    let (meeting, party, round) = (need("meeting")?, need("party")?, need("round")?);
    let point = pos("point");
    let offer: Vec<Option<usize>> = model
        .issues
        .iter()
        .map(|i| pos(&format!("offer.{}", i.id)))
        .collect();
    let wanted: BTreeSet<(Option<usize>, u64)> = rows.iter().map(|r| (r.point, r.run)).collect();
    let mut builders: Vec<Builder> = rows.iter().map(|_| Builder::default()).collect();
    let unguard = |c: &str| c.strip_prefix('\'').unwrap_or(c).to_string();
    let mut x = vec![0.0; model.issues.len()];
    for (line, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| bad(format!("line {}: {e}", line + 2)))?;
        let get = |k: usize| unguard(rec.get(k).unwrap_or(""));
        let key = (
            point.and_then(|k| get(k).parse().ok()),
            get(run).parse::<u64>().unwrap_or(u64::MAX),
        );
        if !wanted.contains(&key) {
            continue;
        }
        let Some(b) = rows.iter().position(|r| (r.point, r.run) == key) else {
            continue;
        };
        let k = match get(kind).as_str() {
            "meeting_start" => TraceKind::MeetingStart,
            "offer" => TraceKind::Offer,
            "agreement" => TraceKind::Agreement,
            _ => continue,
        };
        let m = model.meetings.iter().position(|m| m.id == get(meeting));
        let p = model.parties.iter().position(|p| p.id == get(party));
        let mut has_offer = !offer.is_empty();
        for (i, c) in offer.iter().enumerate() {
            match c.and_then(|c| get(c).parse::<f64>().ok()) {
                Some(v) => x[i] = v,
                None => has_offer = false,
            }
        }
        let d = get(day).parse::<f64>().unwrap_or(0.0);
        let r = get(round).parse::<u32>().ok();
        builders[b].row(k, m, d, p, r, has_offer.then_some(&x[..]));
    }
    Ok(rows
        .iter()
        .zip(builders)
        .map(|(r, b)| Sample {
            point: r.point,
            run: r.run,
            outcome: r.outcome,
            end_day: r.end_day,
            meetings: b.meetings,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSource;

    fn nash() -> Model {
        let src = ScenarioSource::from_path("scenarios/textbook/nash.toml", &[]).unwrap();
        Model::compile(&src.scenario)
    }

    #[test]
    fn samples_are_the_first_of_each_outcome_then_the_first_runs() {
        let m = nash();
        let csv = "run,seed,outcome,end_day\n0,1,agreement,1\n1,1,agreement,1\n\
                   2,1,agreement,1\n3,1,stalemate,2\n4,1,agreement,1\n";
        let t = Tally::read(&m, csv.as_bytes(), "r.csv").unwrap();
        let runs: Vec<u64> = pick(&t, 3).iter().map(|r| r.run).collect();
        assert_eq!(runs, [0, 3, 1]);
        assert_eq!(pick(&t, 1).len(), 1);
    }

    #[test]
    fn a_replay_and_the_events_csv_give_the_same_sample() {
        let m = nash();
        let mut runner = Runner::new(&m, 1950);
        runner.set_trace(true);
        let res = runner.run(0).unwrap();
        let row = Row {
            point: None,
            run: 0,
            outcome: res.outcome(),
            end_day: res.end_day,
            settled: res.settled.clone(),
        };
        let replayed = replay(&m, 1950, &row).unwrap().expect("it replays");
        assert_eq!(replayed.meetings.len(), 1);
        assert_eq!(replayed.meetings[0].offers.len(), 49);
        assert!(replayed.meetings[0].agreement.is_some());
        let f = crate::output::EventsFormat::new(&m);
        let mut csv = Vec::new();
        f.header(&[], &mut csv);
        f.rows(&[], 0, runner.trace(), &mut csv);
        let read = from_events(&m, &csv[..], "e.csv", std::slice::from_ref(&row)).unwrap();
        assert_eq!(read, vec![replayed]);
        // A row the scenario does not reproduce is not replayed.
        let other = Row {
            end_day: row.end_day + 1,
            ..row
        };
        assert_eq!(replay(&m, 1950, &other).unwrap(), None);
    }
}
