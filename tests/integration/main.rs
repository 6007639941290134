//! Integration tests: one binary, one module per behaviour.

mod catalogue;
mod cli;
mod determinism;
mod errors;
mod fuzz;
mod properties;
mod readme;
mod sweep;
mod textbook;
