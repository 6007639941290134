//! Sweep throughput: a 100-point x 100-run grid over the founding scenario
//! (10 values of the US's patience x 10 of the noise in what parties know),
//! on 2 worker threads, through the library:
//!
//! - `driver`: [`Driver::run`] with jobs built one by one by [`Sweep::job`]
//!   on the driver's thread and a sink that counts bytes;
//! - `run_sweep`: [`run_sweep`] with no output files, which builds the next
//!   points' jobs in parallel while formatting rows and summaries.
//!
//! `cargo bench --bench sweep`; see `docs/performance.md` ("Sweeps").

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use negsim::montecarlo::{Driver, Sink};
use negsim::scenario::ScenarioSource;
use negsim::sweep::design::parse_vary;
use negsim::sweep::runner::Quiet;
use negsim::sweep::shard::Shard;
use negsim::sweep::{run_sweep, Sweep, SweepOutputs, SweepSpec};
use negsim::Result;

const FOUNDING: &str = "scenarios/jan-2022-security-talks.toml";
const POINTS: usize = 100;
const RUNS: u64 = 100;

/// Counts the bytes of runs CSV and drops them.
#[derive(Default)]
struct CountingSink {
    bytes: u64,
}

impl Sink for CountingSink {
    fn runs(&mut self, bytes: &[u8]) -> Result<()> {
        self.bytes += bytes.len() as u64;
        Ok(())
    }
}

fn founding_sweep() -> Sweep {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FOUNDING);
    let source = ScenarioSource::from_path(&path, &[])
        .unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()));
    let spec = SweepSpec {
        factors: vec![
            parse_vary("parties.united_states.patience=0.80..0.99:10").expect("factor"),
            parse_vary("simulation.noise=0..0.2:10").expect("factor"),
        ],
        kind: Default::default(),
        points: None,
        runs: RUNS,
        seed: 2022,
        shard: Shard::WHOLE,
        options: Default::default(),
        file: None,
    };
    let sweep = Sweep::new(&source, spec).unwrap_or_else(|e| panic!("bad sweep: {e}"));
    assert_eq!(sweep.design().len(), POINTS);
    sweep
}

fn sweep(c: &mut Criterion) {
    let sweep = founding_sweep();
    let cancel = AtomicBool::new(false);
    let driver = Driver::new(2).expect("thread pool");
    let mut group = c.benchmark_group("sweep/jan-2022-security-talks/100x100");
    group.throughput(Throughput::Elements(POINTS as u64 * RUNS));
    group.sampling_mode(SamplingMode::Flat);
    let mut sink = CountingSink::default();
    group.bench_function("driver", |b| {
        b.iter(|| {
            let summary = driver
                .run(POINTS, |i| sweep.job(i), &mut sink, &cancel)
                .expect("sweep runs");
            black_box(summary)
        })
    });
    eprintln!("sweep: {} bytes of runs CSV delivered", sink.bytes);
    let outputs = SweepOutputs::default();
    group.bench_function("run_sweep", |b| {
        b.iter(|| {
            let report =
                run_sweep(&sweep, &outputs, &driver, &mut Quiet, &cancel).expect("sweep runs");
            black_box(report)
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

criterion_group! {
    name = benches;
    config = config();
    targets = sweep
}
criterion_main!(benches);
