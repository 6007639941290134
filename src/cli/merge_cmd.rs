//! `negsim merge`: its flags and its terminal output. The work is in
//! [`crate::sweep::merge`].

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use crate::error::{Error, Result};
use crate::sweep::merge::merge as merge_files;
use crate::sweep::provenance::Provenance;

/// `negsim merge`.
#[derive(Debug, Args, Clone, PartialEq, Default)]
pub struct MergeArgs {
    /// Shard files (runs CSVs of `negsim sweep --shard`), each with its FILE.meta.json.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// The merged runs CSV.
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the per-point summary CSV, rebuilt from the merged rows.
    #[arg(long)]
    pub summary: Option<PathBuf>,
}

/// `negsim merge`.
pub(super) fn merge(args: &MergeArgs) -> Result<()> {
    let command: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if args.out.as_os_str() == "-" && is_stdout(&args.summary) {
        return Err(Error::usage(
            "only one output can go to standard output (`-`)",
        ));
    }
    let report = merge_files(&args.shards, &args.out, args.summary.as_deref(), &command)?;
    let p = &report.provenance;
    let mut t = format!(
        "merged {} file(s): {} points x {} runs = {} rows\n",
        args.shards.len(),
        p.design.points,
        p.runs_per_point,
        p.rows
    );
    if args.out.as_os_str() != "-" {
        let _ = writeln!(
            t,
            "wrote runs: {} (provenance: {})",
            args.out.display(),
            Provenance::sidecar_path(&args.out).display()
        );
    }
    if let Some(s) = args.summary.as_ref().filter(|p| p.as_os_str() != "-") {
        let _ = writeln!(t, "wrote summary: {}", s.display());
    }
    if args.out.as_os_str() == "-" || is_stdout(&args.summary) {
        eprint!("{t}");
    } else {
        print!("{t}");
    }
    Ok(())
}

fn is_stdout(p: &Option<PathBuf>) -> bool {
    p.as_ref().is_some_and(|p| p.as_os_str() == "-")
}
