//! Where a sweep writes: one output on standard output at most, no file
//! given twice, nothing an input or another output needs clobbered, a
//! regular `--out` (it gets a checkpoint and a sidecar), `--out` for
//! `--resume`, and nothing to write beside `--write-design`.

use std::path::{Path, PathBuf};

use super::{is_stdout, SweepArgs};
use crate::error::{Error, Result};
use crate::output::schema_path;
use crate::sweep::provenance::Provenance;
use crate::sweep::runner::partial_path;

/// The outputs the flags name, checked before anything is read.
pub(super) fn check(args: &SweepArgs) -> Result<()> {
    if is_stdout(&args.out) && is_stdout(&args.summary) {
        return Err(Error::usage(
            "only one output can go to standard output (`-`)",
        ));
    }
    if args.json && (is_stdout(&args.out) || is_stdout(&args.summary)) {
        return Err(Error::usage(
            "--json prints on standard output, so no output can go there too: give \
             --out a file name instead of `-`",
        ));
    }
    if let (Some(a), Some(b)) = (&args.out, &args.summary) {
        if a == b && !is_stdout(&args.out) {
            return Err(Error::usage(format!(
                "{} is given for two outputs; each output needs its own file",
                a.display()
            )));
        }
    }
    {
        let mut inputs: Vec<(&str, &Path)> = vec![("the scenario", &args.scenario)];
        if let Some(f) = &args.sweep_file {
            inputs.push(("the sweep file", f));
        }
        let derived: Vec<PathBuf> = match args.out.as_deref().filter(|p| p.as_os_str() != "-") {
            Some(out) => {
                let partial = partial_path(out);
                vec![
                    out.to_path_buf(),
                    Provenance::sidecar_path(out),
                    schema_path(out),
                    Provenance::sidecar_path(&partial),
                    crate::sweep::runner::sums_path(&partial),
                    partial,
                ]
            }
            None => vec![],
        };
        let mut outputs: Vec<(&str, &Path)> =
            derived.iter().map(|p| ("--out", p.as_path())).collect();
        let summary_schema = args.summary.as_deref().map(schema_path);
        if let Some(sum) = &args.summary {
            outputs.push(("--summary", sum));
        }
        if let Some(s) = &summary_schema {
            outputs.push(("--summary", s));
        }
        if let Some(f) = &args.design_file {
            inputs.push(("the design file", f));
        }
        if let Some(w) = &args.write_design {
            outputs.push(("--write-design", w));
        }
        if let Some(a) = &args.analysis_out {
            outputs.push(("--analysis-out", a));
        }
        crate::output::refuse_clobber(&inputs, &outputs)?;
    }
    if let Some(out) = args.out.as_deref().filter(|p| p.as_os_str() != "-") {
        // Before the design is laid out, which may take a while.
        if crate::output::is_special(out) || out.is_dir() {
            return Err(Error::usage(format!(
                "--out {}: a sweep's runs file must be a regular file (it gets a checkpoint \
                 and a provenance sidecar); use --out - for standard output",
                out.display()
            )));
        }
    }
    if args.resume && (args.out.is_none() || is_stdout(&args.out)) {
        return Err(Error::usage(
            "--resume needs --out FILE: it continues from FILE.partial, the checkpoint \
             an interrupted sweep leaves beside FILE",
        ));
    }
    Ok(())
}

/// `--write-design` writes the design and runs nothing, so no flag of a run.
pub(super) fn check_write_design(args: &SweepArgs) -> Result<()> {
    if let Some(w) = &args.write_design {
        for (given, flag) in [
            (args.out.is_some(), "--out"),
            (args.summary.is_some(), "--summary"),
            (args.resume, "--resume"),
            (args.shard.is_some(), "--shard"),
        ] {
            if given {
                return Err(Error::usage(format!(
                    "--write-design {} writes the design without running it; drop {flag}",
                    w.display()
                )));
            }
        }
    }
    Ok(())
}
