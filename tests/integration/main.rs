//! Integration tests: one binary, one module per behaviour.

mod backtest;
mod bargaining;
mod browser;
mod catalogue;
mod cli;
mod decisions;
mod determinism;
mod errors;
mod explicit_offers;
mod fuzz;
mod hardening;
mod mutants_survivors;
mod negmas;
mod outputs;
mod peer_model;
mod play;
mod properties;
mod readme;
mod report;
mod sensitivity;
mod sweep;
mod teaching;
mod textbook;
mod trace_class;
mod war;
