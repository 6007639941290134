//! negsim: a negotiation scenario simulator.
//!
//! A scenario (TOML) names parties, issues, positions, threats and a calendar
//! of meetings. [`scenario`] reads and validates it, [`model`] compiles it to
//! indices and plays one run on the discrete-event [`engine`], [`montecarlo`]
//! repeats runs in parallel and streams them in order, and [`output`] writes
//! CSV and summaries. [`sweep`] runs designs of parameter values, and
//! [`analysis`] reads their results back for Morris screening, Sobol'
//! indices and PRIM boxes (`docs/sensitivity.md`), and [`score`] scores
//! historical cases against what happened (`docs/backtest.md`).
//!
//! # A run, step by step
//!
//! ```
//! use negsim::model::{Model, Outcome, Runner};
//! use negsim::scenario::{Override, ScenarioSource};
//!
//! // Read a scenario, overriding one value as `--set` would.
//! let overrides = [Override { key: "parties.b.patience".into(), value: "0.8".into() }];
//! let src = ScenarioSource::from_path("scenarios/textbook/rubinstein.toml", &overrides)?;
//!
//! // Compile it once; a runner reuses its buffers across runs.
//! let model = Model::compile(&src.scenario);
//! let mut runner = Runner::new(&model, 1982);
//!
//! // Run 0 of seed 1982: Rubinstein's equilibrium, (1 - 0.8) / (1 - 0.9 * 0.8).
//! let result = runner.run(0)?;
//! assert_eq!(result.outcome(), Outcome::Agreement);
//! let share = result.settled[0].unwrap();
//! assert!((share - 0.2 / 0.28).abs() < 1e-9);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Many runs, in parallel, in order
//!
//! ```
//! use std::sync::atomic::AtomicBool;
//! use negsim::model::{Model, Outcome};
//! use negsim::montecarlo::{Driver, Job, Sink};
//! use negsim::scenario::ScenarioSource;
//!
//! /// Collects the runs CSV rows in memory.
//! struct Collect(Vec<u8>);
//! impl Sink for Collect {
//!     fn runs(&mut self, bytes: &[u8]) -> negsim::Result<()> {
//!         self.0.extend_from_slice(bytes);
//!         Ok(())
//!     }
//! }
//!
//! let src = ScenarioSource::from_path("scenarios/textbook/fearon.toml", &[])?;
//! let job = Job { model: Model::compile(&src.scenario), seed: 1995, runs: 500, prefix: vec![] };
//! let driver = Driver::new(2)?;
//! let mut sink = Collect(Vec::new());
//! let summary = driver.run(1, |_| Ok(job.clone()), &mut sink, &AtomicBool::new(false))?;
//!
//! // Complete information: Fearon's bargaining range is always found.
//! assert_eq!(summary.outcomes[Outcome::Agreement.index()].count, 500);
//! assert_eq!(sink.0.iter().filter(|&&b| b == b'\n').count(), 500);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The model's mathematics is in `docs/model.md`, the scenario format in
//! `docs/scenario-format.md`.
#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod engine;
pub mod error;
pub mod limits;
pub mod model;
pub mod montecarlo;
pub mod narrate;
pub mod output;
pub mod play;
pub mod report;
pub mod scenario;
pub mod score;
pub mod sweep;
pub mod time;

pub use error::{Error, ErrorKind, Result};
