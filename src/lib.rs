//! negsim: a negotiation scenario simulator.
#![warn(missing_docs)]

pub mod engine;
pub mod error;
pub mod scenario;
pub mod sweep;
pub mod time;

pub use error::{Error, ErrorKind, Result};
pub mod cli;
pub mod model;
pub mod montecarlo;
pub mod output;
