//! The workloads of the peer table (`benches/peers/compare.sh`, issue 13),
//! in criterion, through the library:
//!
//! - `workloads/consensus`: a batch of runs of the peer model
//!   (`scenarios/benchmarks/consensus.toml`) through [`Driver`] on one
//!   thread, runs CSV formatted into memory (the SimPy and hand-loop peers'
//!   work);
//! - `workloads/negmas/{boulware,linear,conceder}`: one NegMAS 0.16
//!   benchmark negotiation (`scenarios/benchmarks/negmas.toml`, NegMAS's
//!   exponent e as negsim's beta = 1/e) through [`Runner`], no output (as
//!   the NegMAS runner writes none);
//! - `workloads/founding/{runs_csv,events_csv}`: a batch of runs of the
//!   founding scenario through [`Driver`] on one thread, with the runs CSV
//!   alone and with the events CSV as well (both into memory).
//!
//! `cargo bench --bench workloads`; see `docs/performance.md`.

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use negsim::model::{Model, Runner};
use negsim::montecarlo::{Driver, Job, Sink};
use negsim::scenario::{Override, ScenarioSource};
use negsim::Result;

const FOUNDING: &str = "scenarios/jan-2022-security-talks.toml";
const CONSENSUS: &str = "scenarios/benchmarks/consensus.toml";
const NEGMAS: &str = "scenarios/benchmarks/negmas.toml";
/// NegMAS's tactics and negsim's beta for each (NegMAS's e = 1/beta).
const TACTICS: [(&str, f64); 3] = [("boulware", 0.25), ("linear", 1.0), ("conceder", 4.0)];
/// Runs per batch of the Driver benches.
const BATCH: u64 = 2_000;

/// Counts the bytes of runs and events CSV, keeping none.
#[derive(Default)]
struct CountingSink {
    runs: u64,
    events: u64,
}

impl Sink for CountingSink {
    fn runs(&mut self, bytes: &[u8]) -> Result<()> {
        self.runs += black_box(bytes).len() as u64;
        Ok(())
    }
    fn events(&mut self, bytes: &[u8]) -> Result<()> {
        self.events += black_box(bytes).len() as u64;
        Ok(())
    }
}

fn load(rel: &str, sets: &[Override]) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let src = ScenarioSource::from_path(&path, sets)
        .unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()));
    Model::compile(&src.scenario)
}

fn job(model: Model) -> Job {
    Job {
        seed: model.default_seed,
        model,
        runs: BATCH,
        prefix: Vec::new(),
    }
}

/// Times one batch of `job` through a one-thread driver.
fn bench_batch(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    group_name: &str,
    name: &str,
    job: &Job,
    events: bool,
) {
    let cancel = AtomicBool::new(false);
    let mut driver = Driver::new(1).expect("thread pool");
    driver.events = events;
    let mut sink = CountingSink::default();
    driver
        .run(1, |_| Ok(job.clone()), &mut sink, &cancel)
        .expect("batch runs");
    eprintln!(
        "{group_name}/{name}: {} bytes of runs CSV and {} of events CSV per batch of {BATCH} runs",
        sink.runs, sink.events
    );
    group.bench_function(name, |b| {
        b.iter(|| {
            let summary = driver
                .run(1, |_| Ok(job.clone()), &mut sink, &cancel)
                .expect("batch runs");
            black_box(summary)
        })
    });
}

fn consensus(c: &mut Criterion) {
    let job = job(load(CONSENSUS, &[]));
    let mut group = c.benchmark_group("workloads");
    group.throughput(Throughput::Elements(BATCH));
    group.sampling_mode(SamplingMode::Flat);
    bench_batch(&mut group, "workloads", "consensus", &job, false);
    group.finish();
}

fn negmas(c: &mut Criterion) {
    let mut group = c.benchmark_group("workloads/negmas");
    group.throughput(Throughput::Elements(1));
    for (name, beta) in TACTICS {
        let sets: Vec<Override> = ["a", "b"]
            .iter()
            .map(|p| Override {
                key: format!("parties.{p}.tactic.beta"),
                value: beta.to_string(),
            })
            .collect();
        let model = load(NEGMAS, &sets);
        let mut runner = Runner::new(&model, model.default_seed);
        let first = runner.run(0).expect("a negotiation");
        assert!(
            first.settled[0].is_some(),
            "{name}: the benchmark negotiation ends in an agreement"
        );
        let mut r = 0u64;
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let result = runner.run(black_box(r)).expect("a negotiation");
                r = r.wrapping_add(1);
                black_box(result)
            })
        });
    }
    group.finish();
}

fn founding(c: &mut Criterion) {
    let job = job(load(FOUNDING, &[]));
    let mut group = c.benchmark_group("workloads/founding");
    group.throughput(Throughput::Elements(BATCH));
    group.sampling_mode(SamplingMode::Flat);
    bench_batch(&mut group, "workloads/founding", "runs_csv", &job, false);
    bench_batch(&mut group, "workloads/founding", "events_csv", &job, true);
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = consensus, negmas, founding
}
criterion_main!(benches);
