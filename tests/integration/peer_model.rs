//! The peer benchmark of issue 13 as a negsim scenario
//! (`scenarios/benchmarks/consensus.toml`): its outcome distribution matches
//! the reference distribution of `../shared/reference/perf/README.md`
//! (1,000,000 runs of the hand-written loop), |z| < 3 for each outcome share
//! and for the mean end time.

use negsim::model::{Model, Outcome, Runner};
use negsim::scenario::ScenarioSource;
use std::path::Path;

/// The reference: (agreement, agreement_after_threat, walkout, no_deal)
/// shares and the mean end time, from 1,000,000 runs of the hand loop.
const REF_SHARES: [(&str, f64); 4] = [
    ("agreement", 0.1149),
    ("agreement_after_threat", 0.6538),
    ("walkout", 0.2312),
    ("no_deal", 0.0001),
];
const REF_MEAN_END: f64 = 61.826;
const REF_RUNS: f64 = 1_000_000.0;

/// Runs in the test (the benchmark script runs the full million).
const RUNS: u64 = 20_000;

#[test]
fn consensus_scenario_reproduces_the_reference_distribution() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/benchmarks/consensus.toml");
    let src = ScenarioSource::from_path(&path, &[]).expect("the benchmark scenario loads");
    let model = Model::compile(&src.scenario);
    let sanctions = model
        .threats
        .iter()
        .position(|t| t.id == "deadline_sanctions")
        .expect("the deadline's threat");
    let mut runner = Runner::new(&model, model.default_seed);
    let mut counts = [0u64; 4];
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    for r in 0..RUNS {
        let res = runner.run(r).expect("a run within the cap");
        // The reference's outcomes in negsim's terms (see the scenario's header).
        let k = match res.outcome() {
            Outcome::Agreement if res.threats.contains(&sanctions) => 1,
            Outcome::Agreement => 0,
            Outcome::Breakdown => 2,
            // No outcome after the last meeting: negsim reports the sanctions
            // in force (or a stalemate had the deadline not come).
            Outcome::Sanctions | Outcome::Stalemate => 3,
            other => panic!("run {r}: outcome {other:?} has no counterpart in the reference"),
        };
        counts[k] += 1;
        sum += res.end_time;
        sum_sq += res.end_time * res.end_time;
    }
    let n = RUNS as f64;
    for (k, (name, p0)) in REF_SHARES.iter().enumerate() {
        let p = counts[k] as f64 / n;
        // Two samples: ours and the reference's million runs.
        let se = (p * (1.0 - p) / n + p0 * (1.0 - p0) / REF_RUNS).sqrt();
        let z = (p - p0) / se;
        assert!(z.abs() < 3.0, "{name}: {p:.4} against {p0} (z = {z:.2})");
    }
    // The mean end time, with the reference's spread taken as ours. A run
    // without an outcome ends at the horizon in negsim and at its last
    // meeting in the reference: 1 run in 10,000, less than 0.01 days on the mean.
    let mean = sum / n;
    let var = (sum_sq / n - mean * mean) * n / (n - 1.0);
    let se = (var / n + var / REF_RUNS).sqrt();
    let z = (mean - REF_MEAN_END) / se;
    assert!(
        z.abs() < 3.0,
        "mean end time {mean:.3} against {REF_MEAN_END} (z = {z:.2})"
    );
}
