//! Parameter sweeps: designs over scenario parameters, sharding and merging.
//!
//! A sweep runs a scenario at many design points (values of the varied
//! parameters), `runs` replications each, and writes one runs CSV whose rows
//! are ordered by point, then run:
//!
//! - [`design`] parses `--vary KEY=SPEC` and lays out grid, Latin hypercube
//!   and random designs;
//! - [`plan::Sweep`] validates a design against the scenario and builds each
//!   point's Monte Carlo job;
//! - [`shard`] picks this process's contiguous slice of the points;
//! - [`runner::run_sweep`] runs it with a checkpoint for `--resume`
//!   ([`checkpoint`]) and a [`provenance`] sidecar;
//! - [`merge::merge`] joins shard files into the file one machine writes.
//!
//! Replication `r` uses the generator of (seed, `r`) at every design point:
//! common random numbers, so differences between points come from the
//! parameters, not from luck.

pub mod checkpoint;
pub mod design;
pub mod merge;
pub mod plan;
pub mod provenance;
mod rows;
pub mod runner;
pub mod shard;

pub use plan::{Sweep, SweepSpec};
pub use runner::{run_sweep, SweepObserver, SweepOutputs, SweepReport};
