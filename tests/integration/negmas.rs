//! Conformance with NegMAS 0.16: `scenarios/benchmarks/negmas.toml` with
//! NegMAS's clock replays the three recorded reference negotiations
//! (`tests/fixtures/negmas/`, copied from NegMAS's own runs) offer by offer:
//! the same proposer, round and value for every offer, and the same
//! agreement, agreement round and accepting party.

use negsim::model::{Model, Runner, TraceKind};
use negsim::scenario::{Override, ScenarioSource};

/// One offer: (round, proposer, share 0..100).
type Offer = (u32, String, u32);
/// An agreement: (share, round, accepted by).
type Agreed = (u32, u32, String);

fn reference(variant: &str) -> (Vec<Offer>, String) {
    let text = std::fs::read_to_string(format!("tests/fixtures/negmas/{variant}.tsv")).unwrap();
    let mut offers = Vec::new();
    let mut result = String::new();
    for line in text.lines() {
        if let Some(r) = line.strip_prefix("# result: ") {
            result = r.to_string();
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        offers.push((
            cells[0].parse().unwrap(),
            cells[1].to_string(),
            cells[2].parse().unwrap(),
        ));
    }
    (offers, result)
}

/// The recorded summary line of a variant: (value, round, accepted_by).
fn record(variant: &str) -> Agreed {
    let text =
        std::fs::read_to_string(format!("tests/fixtures/negmas/{variant}.records.jsonl")).unwrap();
    let line = text.lines().next().unwrap();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    (
        v["value"].as_u64().unwrap() as u32,
        v["round"].as_u64().unwrap() as u32,
        v["accepted_by"].as_str().unwrap().to_string(),
    )
}

fn replay(beta: f64) -> (Vec<Offer>, Option<Agreed>) {
    let sets = [
        Override {
            key: "parties.a.tactic.beta".into(),
            value: beta.to_string(),
        },
        Override {
            key: "parties.b.tactic.beta".into(),
            value: beta.to_string(),
        },
    ];
    let src = ScenarioSource::from_path("scenarios/benchmarks/negmas.toml", &sets).unwrap();
    let model = Model::compile(&src.scenario);
    let mut runner = Runner::new(&model, 0);
    runner.set_trace(true);
    let res = runner.run(0).unwrap();
    let name = |p: usize| model.parties[p].id.to_uppercase();
    let trace = runner.trace();
    let mut offers = Vec::new();
    let mut accepted = None;
    for row in &trace.rows {
        match row.kind {
            TraceKind::Offer => {
                let x = trace.offer_of(row).unwrap()[0];
                let share = (x * 100.0).round() as u32;
                assert!(
                    (x * 100.0 - f64::from(share)).abs() < 1e-9,
                    "offer {x} off the grid"
                );
                offers.push((row.round.unwrap(), name(row.party.unwrap()), share));
            }
            TraceKind::Accept => accepted = Some((row.round.unwrap(), name(row.party.unwrap()))),
            _ => {}
        }
    }
    let agreed = res.settled[0].map(|x| {
        let (round, by) = accepted.clone().expect("an acceptance");
        ((x * 100.0).round() as u32, round, by)
    });
    (offers, agreed)
}

fn conforms(variant: &str, beta: f64) {
    let (want, result) = reference(variant);
    let (got, agreed) = replay(beta);
    assert_eq!(got.len(), want.len(), "{variant}: number of offers");
    for (k, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "{variant}: offer {k} (round, proposer, share)");
    }
    let (value, round, by) = record(variant);
    assert_eq!(agreed, Some((value, round, by)), "{variant}: {result}");
}

#[test]
fn boulware_replays_negmas_offer_by_offer() {
    conforms("boulware", 0.25);
}

#[test]
fn linear_replays_negmas_offer_by_offer() {
    conforms("linear", 1.0);
}

#[test]
fn conceder_replays_negmas_offer_by_offer() {
    conforms("conceder", 4.0);
}
