//! Integration tests: one binary, one module per behaviour.

mod catalogue;
mod cli;
mod determinism;
mod errors;
mod fuzz;
mod hardening;
mod properties;
mod readme;
mod sensitivity;
mod sweep;
mod textbook;
