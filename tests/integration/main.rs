//! Integration tests: one binary, one module per behaviour.

mod cli;
mod determinism;
mod errors;
mod properties;
mod readme;
mod sensitivity;
mod sweep;
mod textbook;
