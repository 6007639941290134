//! Fuzzing on the stable toolchain: proptest mutates real scenario files
//! (bytes set, inserted and deleted, lines repeated, numbers replaced by
//! extremes) and each mutant goes through load → validate → compile → runs,
//! as `negsim run` would take it. Nothing may panic; a refused file must come
//! with a message that shows no control character; an accepted one must run
//! to an outcome or to the engine's cap, within the limits.
//!
//! The test suite runs a short, deterministic session. For a long one, with
//! fresh random inputs, give a duration (the release build is about ten
//! times faster):
//!
//! ```sh
//! NEGSIM_FUZZ_SECONDS=3600 cargo test --release --test integration fuzz -- --nocapture
//! ```
//!
//! A failure prints the smallest mutant found; `NEGSIM_FUZZ_CASES=N` sets
//! the number of cases of the short session.

use std::time::{Duration, Instant};

use negsim::limits::Limits;
use negsim::model::{Model, Runner};
use negsim::scenario::ScenarioSource;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

const SEEDS: [&str; 6] = [
    include_str!("../../scenarios/jan-2022-security-talks.toml"),
    include_str!("../../scenarios/textbook/rubinstein.toml"),
    include_str!("../../scenarios/textbook/nash.toml"),
    include_str!("../../scenarios/textbook/fearon.toml"),
    include_str!("../../scenarios/textbook/trade-deal.toml"),
    include_str!("../../tests/fixtures/minimal.toml"),
];

/// Values that have broken parsers and models elsewhere.
const EXTREMES: [&str; 16] = [
    "0",
    "-1",
    "1e300",
    "-1e300",
    "1e-300",
    "nan",
    "inf",
    "-inf",
    "4294967296",
    "9223372036854775807",
    "0.5",
    "1",
    "\"\"",
    "[]",
    "{}",
    "2024-02-30",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Set the byte at a position (taken modulo the length).
    SetByte(usize, u8),
    /// Insert bytes at a position.
    Insert(usize, Vec<u8>),
    /// Delete up to `n` bytes from a position.
    Delete(usize, usize),
    /// Repeat a line.
    DupLine(usize),
    /// Replace the k-th number of the text with an extreme value.
    Number(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => (any::<usize>(), 0..EXTREMES.len()).prop_map(|(k, e)| Mutation::Number(k, e)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::SetByte(p, b)),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..6))
            .prop_map(|(p, b)| Mutation::Insert(p, b)),
        1 => (any::<usize>(), 1usize..40).prop_map(|(p, n)| Mutation::Delete(p, n)),
        1 => any::<usize>().prop_map(Mutation::DupLine),
    ]
}

fn apply(text: &mut Vec<u8>, m: &Mutation) {
    let len = text.len().max(1);
    match m {
        Mutation::SetByte(p, b) => {
            if !text.is_empty() {
                text[p % len] = *b;
            }
        }
        Mutation::Insert(p, bytes) => {
            let at = p % (text.len() + 1);
            text.splice(at..at, bytes.iter().copied());
        }
        Mutation::Delete(p, n) => {
            if !text.is_empty() {
                let at = p % len;
                let end = (at + n).min(text.len());
                text.drain(at..end);
            }
        }
        Mutation::DupLine(k) => {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(
                    text.iter()
                        .enumerate()
                        .filter(|(_, &b)| b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .filter(|&i| i < text.len())
                .collect();
            if let Some(&s) = starts.get(k % starts.len().max(1)) {
                let e = text[s..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(text.len(), |i| s + i + 1);
                let line = text[s..e].to_vec();
                text.splice(e..e, line);
            }
        }
        Mutation::Number(k, e) => {
            // Digits after `= ` or `[`/`, `: the start of a number value.
            let starts: Vec<usize> = (1..text.len())
                .filter(|&i| text[i].is_ascii_digit() && matches!(text[i - 1], b' ' | b'[' | b'='))
                .collect();
            if let Some(&s) = starts.get(k % starts.len().max(1)) {
                let end = text[s..]
                    .iter()
                    .position(|b| !(b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'-')))
                    .map_or(text.len(), |i| s + i);
                text.splice(s..end, EXTREMES[*e].bytes());
            }
        }
    }
}

/// Tighter than the defaults, so that every accepted mutant runs quickly in
/// a debug build; the limits themselves are part of what is tested.
fn limits() -> Limits {
    Limits {
        max_events: 100_000,
        rounds_per_run: 20_000,
        horizon_days: 3_660,
        rate: 50,
        ..Limits::default()
    }
}

/// Load, validate, compile and run one mutant; panics only on a real bug.
/// Returns whether the mutant was accepted.
fn check(bytes: &[u8]) -> bool {
    match ScenarioSource::from_bytes_within("fuzz.toml", bytes, &[], &limits()) {
        Ok(src) => {
            let model = Model::compile(&src.scenario);
            let mut runner = Runner::new(&model, 7);
            runner.set_trace(true);
            for r in 0..2 {
                // The engine's cap is an error, not a bug.
                if let Ok(result) = runner.run(r) {
                    assert!(result.end_day as f64 <= model.horizon.ceil() + 1.0);
                }
            }
            true
        }
        Err(e) => {
            assert!(e.is_input_error(), "a mutant is bad input, not {e:?}");
            let text = e.to_string();
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "a control character in {text:?}"
            );
            false
        }
    }
}

fn strategy() -> impl Strategy<Value = (usize, Vec<Mutation>)> {
    (0..SEEDS.len(), prop::collection::vec(mutation(), 1..4))
}

/// One session; returns how many mutants were accepted (and run).
fn session(runner: &mut TestRunner) -> usize {
    let accepted = std::cell::Cell::new(0);
    let result = runner.run(&strategy(), |(seed, mutations)| {
        let mut text = SEEDS[seed].as_bytes().to_vec();
        for m in &mutations {
            apply(&mut text, m);
        }
        if check(&text) {
            accepted.set(accepted.get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    accepted.get()
}

#[test]
fn mutated_scenarios_never_panic() {
    let cases = std::env::var("NEGSIM_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(500);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    match std::env::var("NEGSIM_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        // The suite: the same inputs every time.
        None => {
            let accepted = session(&mut TestRunner::new_with_rng(
                config,
                TestRng::deterministic_rng(RngAlgorithm::ChaCha),
            ));
            println!("fuzz: {accepted} of {cases} mutants accepted and run");
            // The session must reach the model, not only the parser.
            assert!(accepted * 10 >= cases as usize, "only {accepted} accepted");
        }
        // On request: fresh random sessions until the time is up.
        Some(seconds) => {
            let end = Instant::now() + Duration::from_secs(seconds);
            let mut sessions = 0u64;
            while Instant::now() < end {
                session(&mut TestRunner::new(config.clone()));
                sessions += 1;
            }
            println!("fuzz: {sessions} sessions of {cases} mutants, no failure");
        }
    }
}

#[test]
fn the_seeds_themselves_load_and_run() {
    for s in SEEDS {
        let src = ScenarioSource::from_bytes_within("seed.toml", s.as_bytes(), &[], &limits())
            .expect("a shipped scenario is valid within the fuzzing limits");
        let model = Model::compile(&src.scenario);
        Runner::new(&model, 1).run(0).expect("runs");
    }
}
