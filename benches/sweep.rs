//! Sweep throughput: a 100-point x 100-run grid over the founding scenario
//! (10 values of the US's patience x 10 of the noise in what parties know),
//! on 2 worker threads, through the library:
//!
//! - `driver`: [`Driver::run`] with jobs built one by one by [`Sweep::job`]
//!   on the driver's thread and a sink that counts bytes;
//! - `run_sweep`: [`run_sweep`] with no output files, which builds the next
//!   points' jobs in parallel while formatting rows and summaries.
//!
//! - `point/direct` and `point/rebuilt`: the cost of making one design point's
//!   job for a Sobol design over four numeric parameters of the founding
//!   scenario, applied directly to the compiled model ([`Sweep::job`]) or by
//!   editing, validating and recompiling the scenario ([`Sweep::job_rebuilt`]);
//!   `point/run` is one run of the founding scenario, for scale.
//!
//! `cargo bench --bench sweep`; see `docs/performance.md` ("Sweeps").

use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use negsim::model::{Model, Runner};
use negsim::montecarlo::{Driver, Sink};
use negsim::scenario::ScenarioSource;
use negsim::sweep::design::{parse_vary, DesignKind, DesignOptions};
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

fn point(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FOUNDING);
    let source = ScenarioSource::from_path(&path, &[]).expect("founding scenario");
    let spec = SweepSpec {
        factors: [
            "parties.russia.cost_of_conflict=0.1..0.6",
            "threats.us_sanctions.credibility=0..1",
            "parties.russia.reservation.nato_enlargement=0.3..0.9",
            "parties.russia.noise=0..0.2",
        ]
        .iter()
        .map(|v| parse_vary(v).expect("factor"))
        .collect(),
        kind: DesignKind::Sobol,
        points: None,
        runs: 1,
        seed: 2022,
        shard: Shard::WHOLE,
        options: DesignOptions {
            base_points: Some(256),
            ..DesignOptions::default()
        },
        file: None,
    };
    let sweep = Sweep::new(&source, spec).unwrap_or_else(|e| panic!("bad sweep: {e}"));
    assert!(sweep.is_direct());
    let n = sweep.design().len();
    let mut group = c.benchmark_group("sweep/point");
    let mut i = 0;
    group.bench_function("direct", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(sweep.job(i).expect("point"))
        })
    });
    group.bench_function("rebuilt", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(sweep.job_rebuilt(i).expect("point"))
        })
    });
    let model = Model::compile(&source.scenario);
    let mut runner = Runner::new(&model, 2022);
    let mut r = 0;
    group.bench_function("run", |b| {
        b.iter(|| {
            r += 1;
            black_box(runner.run(r).expect("run"))
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
    targets = sweep, point
}
criterion_main!(benches);
