//! negsim command-line entry point.
fn main() {}
