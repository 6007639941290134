//! Integration tests: the textbook scenarios reproduce the theory.

use negsim::model::{Model, Outcome, Runner};
use negsim::output::{wilson_interval, Summary};
use negsim::scenario::{Override, ScenarioSource};

fn model(path: &str, sets: &[(&str, String)]) -> Model {
    let overrides: Vec<Override> = sets
        .iter()
        .map(|(k, v)| Override {
            key: (*k).to_string(),
            value: v.clone(),
        })
        .collect();
    let src = ScenarioSource::from_path(path, &overrides).expect("scenario loads");
    Model::compile(&src.scenario)
}

fn summarise(model: &Model, seed: u64, runs: u64) -> Summary {
    let mut runner = Runner::new(model, seed);
    let mut s = Summary::default();
    for r in 0..runs {
        s.add(&runner.run(r).expect("run completes"));
    }
    s
}

/// Rubinstein (1982): immediate agreement, proposer's share (1 - d_b) / (1 - d_a d_b).
#[test]
fn rubinstein_first_round_share_over_a_patience_grid() {
    let grid = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99];
    for &da in &grid {
        for &db in &grid {
            let m = model(
                "scenarios/textbook/rubinstein.toml",
                &[
                    ("parties.a.patience", da.to_string()),
                    ("parties.b.patience", db.to_string()),
                ],
            );
            let mut runner = Runner::new(&m, 7);
            runner.set_trace(true);
            for r in 0..3 {
                let res = runner.run(r).unwrap();
                assert_eq!(res.outcome(), Outcome::Agreement, "d_a={da} d_b={db}");
                let share = res.settled[0].expect("share agreed");
                let theory = (1.0 - db) / (1.0 - da * db);
                assert!(
                    (share - theory).abs() < 1e-9,
                    "d_a={da} d_b={db}: share {share}, theory {theory}"
                );
                // First round: exactly one offer, then acceptance.
                let offers = runner
                    .trace()
                    .rows
                    .iter()
                    .filter(|row| row.kind == negsim::model::TraceKind::Offer)
                    .count();
                assert_eq!(offers, 1, "agreement must come in the first round");
            }
        }
    }
}

/// The Nash bargaining solution of nash.toml, computed independently by
/// golden-section search on (u_a - d_a)(u_b - d_b).
fn nash_solution() -> f64 {
    let f = |x: f64| {
        let ua = 1.0 - (1.0 - x) * (1.0 - x);
        let ub = 1.0 - x;
        (ua - 0.1).max(0.0) * (ub - 0.2).max(0.0)
    };
    let (mut a, mut b) = (0.0f64, 1.0f64);
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..200 {
        let c = b - g * (b - a);
        let d = a + g * (b - a);
        if f(c) > f(d) {
            b = d;
        } else {
            a = c;
        }
    }
    0.5 * (a + b)
}

#[test]
fn zeuthen_concessions_reach_the_nash_solution() {
    let m = model("scenarios/textbook/nash.toml", &[]);
    let star = nash_solution();
    assert!(
        (star - 0.381_569).abs() < 1e-4,
        "independent solution {star}"
    );
    let mut runner = Runner::new(&m, 1950);
    for r in 0..20 {
        let res = runner.run(r).unwrap();
        assert_eq!(res.outcome(), Outcome::Agreement);
        let x = res.settled[0].unwrap();
        assert!((x - star).abs() < 1e-3, "settled {x}, Nash {star}");
    }
}

#[test]
fn zeuthen_tracks_the_nash_solution_as_disagreement_moves() {
    for (da, db) in [(0.0, 0.0), (0.3, 0.1), (0.05, 0.5)] {
        let m = model(
            "scenarios/textbook/nash.toml",
            &[
                ("parties.a.disagreement", da.to_string()),
                ("parties.b.disagreement", db.to_string()),
            ],
        );
        let f = |x: f64| ((1.0 - (1.0 - x) * (1.0 - x)) - da).max(0.0) * ((1.0 - x) - db).max(0.0);
        let star = (0..=1_000_000)
            .map(|i| f64::from(i) / 1e6)
            .max_by(|a, b| f(*a).total_cmp(&f(*b)))
            .unwrap();
        let res = Runner::new(&m, 3).run(0).unwrap();
        let x = res.settled[0].unwrap();
        assert!(
            (x - star).abs() < 1e-3,
            "d=({da},{db}): settled {x}, Nash {star}"
        );
    }
}

#[test]
fn fearon_complete_information_never_fights() {
    let m = model(
        "scenarios/textbook/fearon.toml",
        &[("simulation.noise", "0".into())],
    );
    let s = summarise(&m, 1995, 10_000);
    assert_eq!(s.outcomes[Outcome::Conflict.index()].count, 0);
    assert_eq!(s.outcomes[Outcome::Agreement.index()].count, 10_000);
}

#[test]
fn fearon_conflict_rises_with_private_information() {
    let mut last_hi = 0.0;
    let mut last_share = 0.0;
    for noise in [0.02, 0.05, 0.1] {
        let m = model(
            "scenarios/textbook/fearon.toml",
            &[("simulation.noise", noise.to_string())],
        );
        let s = summarise(&m, 1995, 10_000);
        let k = s.outcomes[Outcome::Conflict.index()].count;
        let (lo, hi) = wilson_interval(k, 10_000);
        let share = k as f64 / 10_000.0;
        assert!(
            share > last_share,
            "noise {noise}: conflict {share} not above {last_share}"
        );
        assert!(
            lo > last_hi,
            "noise {noise}: interval [{lo}, {hi}] overlaps the previous level"
        );
        last_hi = hi;
        last_share = share;
    }
}
