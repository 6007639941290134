//! Per-run cost of the model and per-event cost of the bare engine.
//!
//! * `run/jan-2022-security-talks`: one run of the founding scenario. One
//!   [`Runner`] is reused across iterations (as the Monte Carlo driver does
//!   within a task) and every iteration plays a different run index, so the
//!   figure is an average over the scenario's outcome mix.
//! * `run/textbook/*`: the same for each textbook scenario.
//! * `engine/push_pop`: the discrete-event core alone, with a handler that
//!   does no work, to show the engine's overhead per event.
//!
//! `cargo bench --bench engine`; see `docs/performance.md`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use negsim::engine::{Flow, Handler, Scheduler, Simulation};
use negsim::model::{Model, Runner};
use negsim::scenario::ScenarioSource;
use negsim::time::Day;

const FOUNDING: &str = "scenarios/jan-2022-security-talks.toml";
const TEXTBOOK: [&str; 3] = ["rubinstein", "nash", "fearon"];

fn load(rel: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let src = ScenarioSource::from_path(&path, &[])
        .unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()));
    Model::compile(&src.scenario)
}

/// Average engine events per run over the first `runs` runs (printed once so
/// that per-run times can be turned into per-event times).
fn mean_events(model: &Model, runs: u64) -> f64 {
    let mut runner = Runner::new(model, model.default_seed);
    let total: u64 = (0..runs)
        .map(|r| runner.run(r).expect("run within the event cap").events)
        .sum();
    total as f64 / runs as f64
}

fn bench_run(c: &mut Criterion, group_name: &str, name: &str, model: &Model) {
    eprintln!(
        "{group_name}/{name}: {:.3} engine events per run (mean of 10,000 runs)",
        mean_events(model, 10_000)
    );
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(1));
    let mut runner = Runner::new(model, model.default_seed);
    let mut r = 0u64;
    group.bench_function(BenchmarkId::from_parameter(name), |b| {
        b.iter(|| {
            let result = runner.run(black_box(r)).expect("run within the event cap");
            r = r.wrapping_add(1);
            black_box(result)
        })
    });
    group.finish();
}

fn founding(c: &mut Criterion) {
    let model = load(FOUNDING);
    bench_run(c, "run", "jan-2022-security-talks", &model);
}

fn textbook(c: &mut Criterion) {
    for name in TEXTBOOK {
        let model = load(&format!("scenarios/textbook/{name}.toml"));
        bench_run(c, "run/textbook", name, &model);
    }
}

/// A handler that does nothing but reschedule itself `EVENTS` times.
struct Ticker {
    left: u32,
}

const EVENTS: u32 = 10;

impl Handler for Ticker {
    type Event = u32;

    fn handle(&mut self, _now: Day, event: u32, sched: &mut Scheduler<u32>) -> Flow {
        self.left -= 1;
        if self.left == 0 {
            return Flow::Stop;
        }
        // Keep a few events in flight, as a run does (meetings, deadlines,
        // escalations), so pops sift through a non-trivial heap.
        sched.schedule_in(1.0 + f64::from(event % 3), (event % 4) as i32, event + 1);
        Flow::Continue
    }
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(u64::from(EVENTS)));
    let mut sim = Simulation::new(Ticker { left: 0 }, 1_000);
    group.bench_function("push_pop_10_events", |b| {
        b.iter(|| {
            sim.reset();
            let (ticker, sched) = sim.parts_mut();
            ticker.left = EVENTS;
            for k in 0..4 {
                sched.schedule(Day(f64::from(k) * 5.0), k as i32, k);
            }
            let end = sim.run_until(black_box(Day(1_000.0))).expect("under cap");
            black_box((end, sim.processed()))
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
}

criterion_group! {
    name = benches;
    config = config();
    targets = founding, textbook, engine
}
criterion_main!(benches);
