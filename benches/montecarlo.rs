//! Batch throughput of the Monte Carlo driver: 10,000 runs of the founding
//! scenario through [`Driver`], runs CSV formatted into memory, on 1 and on 2
//! worker threads.
//!
//! `cargo bench --bench montecarlo`; see `docs/performance.md`.

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use negsim::model::Model;
use negsim::montecarlo::{Driver, Job, Sink};
use negsim::scenario::ScenarioSource;
use negsim::Result;

const FOUNDING: &str = "scenarios/jan-2022-security-talks.toml";
const RUNS: u64 = 10_000;

/// Keeps the latest buffer of rows (cleared on every delivery) and counts bytes.
#[derive(Default)]
struct VecSink {
    buf: Vec<u8>,
    bytes: u64,
}

impl Sink for VecSink {
    fn runs(&mut self, bytes: &[u8]) -> Result<()> {
        self.buf.clear();
        self.buf.extend_from_slice(bytes);
        self.bytes += bytes.len() as u64;
        Ok(())
    }
}

fn founding() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FOUNDING);
    let src = ScenarioSource::from_path(&path, &[])
        .unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()));
    Model::compile(&src.scenario)
}

fn batch(c: &mut Criterion) {
    let model = founding();
    let job = Job {
        seed: model.default_seed,
        model,
        runs: RUNS,
        prefix: Vec::new(),
    };
    let cancel = AtomicBool::new(false);
    let mut group = c.benchmark_group("montecarlo/jan-2022-security-talks");
    group.throughput(Throughput::Elements(RUNS));
    // Each iteration is a whole batch (about half a second on one core):
    // flat sampling keeps the sample count at 10 without growing iterations.
    group.sampling_mode(SamplingMode::Flat);
    for threads in [1usize, 2] {
        let driver = Driver::new(threads).expect("thread pool");
        let mut sink = VecSink::default();
        driver
            .run(1, |_| Ok(job.clone()), &mut sink, &cancel)
            .expect("batch runs");
        eprintln!(
            "montecarlo: {} bytes of runs CSV per batch of {RUNS} runs",
            sink.bytes
        );
        group.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| {
                let summary = driver
                    .run(1, |_| Ok(job.clone()), &mut sink, &cancel)
                    .expect("batch runs");
                black_box(summary)
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(15))
}

criterion_group! {
    name = benches;
    config = config();
    targets = batch
}
criterion_main!(benches);
