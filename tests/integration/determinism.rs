//! Integration tests: determinism.
