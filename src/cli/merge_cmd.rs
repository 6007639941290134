//! `negsim merge`: its flags and its terminal output. The work is in
//! [`crate::sweep::merge`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{interrupt_flag, print_err, print_out};
use crate::error::{Error, Result};
use crate::output::{schema_path, FileFormat};
use crate::sweep::merge::merge_within as merge_files;
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
    /// File format of --out and --summary (default: Parquet for a name ending
    /// in `.parquet`, else CSV). Shards may be CSV or Parquet either way.
    #[arg(long, value_enum)]
    pub format: Option<FileFormat>,
    /// Raise a limit on purpose, as the sweep did: `design_values=50000000`
    /// (see docs/scenario-format.md, "Limits").
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limit: Vec<String>,
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
    let sidecars: Vec<PathBuf> = args
        .shards
        .iter()
        .map(|f| Provenance::sidecar_path(f))
        .collect();
    let inputs: Vec<(&str, &Path)> = args
        .shards
        .iter()
        .map(|f| ("the shard", f.as_path()))
        .chain(sidecars.iter().map(|f| ("the shard sidecar", f.as_path())))
        .collect();
    let out_meta = Provenance::sidecar_path(&args.out);
    let out_schema = schema_path(&args.out);
    let sum_schema = args.summary.as_deref().map(schema_path);
    let mut outputs: Vec<(&str, &Path)> = vec![("--out", &args.out)];
    if args.out.as_os_str() != "-" {
        outputs.push(("--out", &out_meta));
        outputs.push(("--out", &out_schema));
    }
    if let Some(sum) = &args.summary {
        outputs.push(("--summary", sum));
    }
    if let Some(s) = &sum_schema {
        outputs.push(("--summary", s));
    }
    crate::output::refuse_clobber(&inputs, &outputs)?;
    let limits = crate::limits::Limits::from_settings(&args.limit)?;
    let report = merge_files(
        &args.shards,
        &args.out,
        args.summary.as_deref(),
        args.format,
        &command,
        interrupt_flag(),
        &limits,
    )?;
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
        print_err(&t);
        Ok(())
    } else {
        print_out(&t)
    }
}

fn is_stdout(p: &Option<PathBuf>) -> bool {
    p.as_ref().is_some_and(|p| p.as_os_str() == "-")
}
