//! `negsim report` of 10,000 founding runs on one core: the whole command
//! as the CLI does it (run the batch, tally it, replay the sample runs,
//! draw the charts, write the HTML file), and the HTML alone from a built
//! report.
//!
//! `cargo bench --bench report`; see `docs/performance.md` ("Reports").
//! The budget: under 2 seconds for the whole command.

use std::hint::black_box;
use std::time::Duration;

use clap::Parser;
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use negsim::cli::{Cli, Command, ReportConfig};

const FOUNDING: &str = "scenarios/jan-2022-security-talks.toml";
const RUNS: u64 = 10_000;

/// The configuration `negsim report FOUNDING --runs 10000 --threads 1 --html OUT` makes.
fn config(out: &std::path::Path) -> ReportConfig {
    let scenario = format!("{}/{FOUNDING}", env!("CARGO_MANIFEST_DIR"));
    let cli = Cli::try_parse_from([
        "negsim",
        "report",
        &scenario,
        "--runs",
        &RUNS.to_string(),
        "--threads",
        "1",
        "--html",
        &out.display().to_string(),
    ])
    .expect("the command parses");
    let Command::Report(args) = cli.command else {
        unreachable!("a report command")
    };
    ReportConfig::from_args(&args).expect("the founding scenario loads")
}

fn report(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("report.html");
    let cfg = config(&out);
    let mut group = c.benchmark_group("report/jan-2022-security-talks");
    group.throughput(Throughput::Elements(RUNS));
    // An iteration is a whole report: flat sampling, ten of them.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("batch_10000_1_thread_to_file", |b| {
        b.iter(|| {
            let report = cfg.build().expect("the batch runs");
            let html = report.to_html().expect("the page renders");
            std::fs::write(&out, html.as_bytes()).expect("the file is written");
            black_box(html.len())
        })
    });
    let built = cfg.build().expect("the batch runs");
    group.bench_function("html_only", |b| {
        b.iter(|| black_box(built.to_html().expect("the page renders").len()))
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
