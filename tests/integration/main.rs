//! Integration tests: one binary, one module per behaviour.

mod bargaining;
mod cli;
mod determinism;
mod errors;
mod negmas;
mod properties;
mod readme;
mod sweep;
mod textbook;
mod war;
