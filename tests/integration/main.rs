//! Integration tests: one binary, one module per behaviour.

mod backtest;
mod bargaining;
mod catalogue;
mod cli;
mod decisions;
mod determinism;
mod errors;
mod fuzz;
mod hardening;
mod mutants_survivors;
mod negmas;
mod properties;
mod readme;
mod sensitivity;
mod sweep;
mod textbook;
mod war;
