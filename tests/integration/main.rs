//! Integration tests: one binary, one module per behaviour.

mod cli;
mod determinism;
mod errors;
mod properties;
mod sweep;
mod textbook;
