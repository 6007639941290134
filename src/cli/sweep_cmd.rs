//! `negsim sweep` and `negsim merge`.

use std::path::PathBuf;

use clap::Args;

use crate::error::{Error, Result};

/// `negsim sweep`.
#[derive(Debug, Args, Clone, PartialEq)]
pub struct SweepArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
}

/// `negsim merge`.
#[derive(Debug, Args, Clone, PartialEq)]
pub struct MergeArgs {
    /// Shard files.
    pub shards: Vec<PathBuf>,
}

pub(super) fn sweep(_args: &SweepArgs) -> Result<()> {
    Err(Error::usage("sweep is not available yet"))
}

pub(super) fn merge(_args: &MergeArgs) -> Result<()> {
    Err(Error::usage("merge is not available yet"))
}
