//! `negsim rerun FILE.meta.json`: reproduces a result file from its
//! provenance sidecar alone (the scenario, the sweep's design and the
//! command are all in it) and says whether the new file is byte-identical
//! to the one beside the sidecar.

use std::path::{Path, PathBuf};

use clap::Args;

use super::sweep_cmd::{SweepArgs, SweepConfig};
use super::{print_out, ProgressMode, RunArgs, RunConfig};
use crate::error::{Error, Result};
use crate::output::{terminal_safe, FileFormat};
use crate::sweep::design::DesignKind;
use crate::sweep::provenance::{platform_fingerprint, sha256_hex, Provenance};

/// `negsim rerun`.
#[derive(Debug, Args, Clone, PartialEq)]
#[command(after_help = "Examples:
  negsim rerun results/runs.csv.meta.json
  negsim rerun results/runs.csv --out /tmp/again.csv

Exit codes: 0 when the file comes out byte-identical (or there is no original
to compare with), 1 when it differs, 2 for a sidecar that cannot be read.")]
pub struct RerunArgs {
    /// The sidecar `FILE.meta.json` (or `FILE`, the file it describes).
    pub sidecar: PathBuf,
    /// Keep the reproduced file here (default: a temporary file, removed after
    /// the comparison).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: one per core); the bytes do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

/// The values that follow `flag` in a recorded command line.
fn flag_values(command: &[String], flag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let prefix = format!("{flag}=");
    let mut it = command.iter();
    while let Some(a) = it.next() {
        if a == flag {
            if let Some(v) = it.next() {
                out.push(v.clone());
            }
        } else if let Some(v) = a.strip_prefix(&prefix) {
            out.push(v.to_string());
        }
    }
    out
}

/// The sidecar path and the file it describes.
fn paths(given: &Path) -> (PathBuf, PathBuf) {
    let s = given.as_os_str().to_string_lossy();
    match s.strip_suffix(".meta.json") {
        Some(file) => (given.to_path_buf(), PathBuf::from(file)),
        None => (Provenance::sidecar_path(given), given.to_path_buf()),
    }
}

/// `negsim rerun`.
pub(super) fn rerun(args: &RerunArgs) -> Result<()> {
    let (meta, original) = paths(&args.sidecar);
    let prov = Provenance::read(&meta)?.ok_or_else(|| {
        Error::usage(format!(
            "{}: no such sidecar; give the FILE.meta.json that negsim wrote beside a result file",
            meta.display()
        ))
    })?;
    let dir = tempfile::tempdir().map_err(|e| Error::io("a temporary directory", e))?;
    let scenario = dir.path().join("scenario.toml");
    std::fs::write(&scenario, &prov.scenario_text).map_err(|e| Error::io(&scenario, e))?;
    if sha256_hex(prov.scenario_text.as_bytes()) != prov.scenario_sha256 {
        return Err(Error::usage(format!(
            "{}: the embedded scenario does not have the recorded SHA-256; the sidecar was \
             edited",
            meta.display()
        )));
    }
    let ext = original
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let target = match &args.out {
        Some(p) => p.clone(),
        None => dir.path().join(format!("rerun{ext}")),
    };
    crate::output::refuse_clobber(
        &[
            ("the sidecar", meta.as_path()),
            ("the original", original.as_path()),
        ],
        &[("--out", target.as_path())],
    )?;
    let format = Some(if prov.file_format == "parquet" {
        FileFormat::Parquet
    } else {
        FileFormat::Csv
    });
    let limit = flag_values(&prov.command, "--limit");
    let raw_csv = prov.command.iter().any(|a| a == "--raw-csv");
    let set = prov.overrides.clone();
    let is_run = prov.command.get(1).map(String::as_str) == Some("run");
    if is_run {
        let mut a = RunArgs {
            scenario: scenario.clone(),
            runs: Some(prov.runs_per_point),
            seed: Some(prov.seed),
            threads: args.threads,
            out: None,
            events: None,
            summary: None,
            set,
            limit,
            progress: ProgressMode::Never,
            raw_csv,
            format,
            quiet: true,
            json: false,
        };
        match prov.output.as_str() {
            "events" => a.events = Some(target.clone()),
            "summary" => a.summary = Some(target.clone()),
            _ => a.out = Some(target.clone()),
        }
        let mut cfg = RunConfig::from_args(&a)?;
        cfg.source.file = prov.scenario_file.clone();
        cfg.command = prov.command.clone();
        super::run(&cfg)?;
    } else {
        let d = &prov.design;
        let mut a = SweepArgs {
            scenario: scenario.clone(),
            runs: Some(prov.runs_per_point),
            seed: Some(prov.seed),
            threads: args.threads,
            out: Some(target.clone()),
            set,
            limit,
            progress: ProgressMode::Never,
            raw_csv,
            format,
            quiet: true,
            levels: d.options.levels,
            trajectories: d.options.trajectories,
            candidates: d.options.candidates,
            base_points: d.options.base_points,
            second_order: d.options.second_order == Some(true),
            sequence: d.options.sequence.map(|s| s.to_string()),
            ..SweepArgs::default()
        };
        if prov.shard != "whole" {
            a.shard = Some(prov.shard.clone());
        }
        if d.kind == DesignKind::File {
            let file = dir.path().join("design.csv");
            let text = prov.design_file_text.as_deref().ok_or_else(|| {
                Error::usage(format!(
                    "{}: a file design without the design file's text (a sidecar of an older \
                     negsim); run the original command again",
                    meta.display()
                ))
            })?;
            std::fs::write(&file, text).map_err(|e| Error::io(&file, e))?;
            a.design_file = Some(file);
        } else {
            a.design = Some(d.kind.to_string());
            a.vary = d
                .keys
                .iter()
                .zip(&d.specs)
                .map(|(k, s)| format!("{k}={s}"))
                .collect();
            if matches!(d.kind, DesignKind::Lhs | DesignKind::Random) {
                a.points = Some(d.points);
            }
        }
        let cfg = SweepConfig::from_args_with(&a, prov.command.clone(), |_| None)?;
        super::sweep_cmd::run(&cfg)?;
    }
    let mut t = String::new();
    if prov.negsim_version != env!("CARGO_PKG_VERSION") || prov.platform != platform_fingerprint() {
        t.push_str(&format!(
            "note: the file was written by negsim {} on {}; this is negsim {} on {}\n",
            prov.negsim_version,
            prov.platform,
            env!("CARGO_PKG_VERSION"),
            platform_fingerprint()
        ));
    }
    let shown = |p: &Path| terminal_safe(&p.display().to_string()).into_owned();
    let new = std::fs::read(&target).map_err(|e| Error::io(&target, e))?;
    let kept = args.out.is_some();
    let wrote = if kept {
        format!("wrote {}; ", shown(&target))
    } else {
        String::new()
    };
    match std::fs::read(&original) {
        Err(_) => {
            t.push_str(&format!(
                "{wrote}{} is not there to compare with ({} bytes, sha256 {})\n",
                shown(&original),
                new.len(),
                sha256_hex(&new)
            ));
            print_out(&t)
        }
        Ok(old) if old == new => {
            t.push_str(&format!(
                "{wrote}{}: reproduced byte-identical ({} bytes, sha256 {})\n",
                shown(&original),
                new.len(),
                sha256_hex(&new)
            ));
            print_out(&t)
        }
        Ok(old) => {
            let at = old
                .iter()
                .zip(&new)
                .position(|(a, b)| a != b)
                .unwrap_or(old.len().min(new.len()));
            t.push_str(&format!(
                "{wrote}{}: NOT byte-identical: the files first differ at byte {at} (original {} \
                 bytes, rerun {} bytes)\n",
                shown(&original),
                old.len(),
                new.len()
            ));
            print_out(&t)?;
            Err(Error::new(crate::ErrorKind::Other(format!(
                "the rerun of {} differs from it",
                shown(&original)
            ))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_found_in_a_recorded_command() {
        let cmd: Vec<String> = [
            "negsim",
            "run",
            "s.toml",
            "--limit",
            "runs=9",
            "--limit=x=1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(flag_values(&cmd, "--limit"), ["runs=9", "x=1"]);
        assert_eq!(
            paths(Path::new("a/r.csv.meta.json")),
            (PathBuf::from("a/r.csv.meta.json"), PathBuf::from("a/r.csv"))
        );
        assert_eq!(
            paths(Path::new("r.csv")),
            (PathBuf::from("r.csv.meta.json"), PathBuf::from("r.csv"))
        );
    }
}
