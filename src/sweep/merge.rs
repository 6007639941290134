//! `negsim merge`: joins the runs CSVs of a sweep's shards into the file the
//! unsharded sweep writes, byte for byte, after checking from their sidecars
//! that they are all the shards of one sweep, and from their rows that no
//! design point or run is missing or duplicated.
//!
//! The merged file's sidecar is the one the unsharded sweep writes, except for
//! `command` (the merge's command line), `scenario_file` (taken from shard
//! 0's sidecar) and an added `merged_from` listing the shard files. A summary
//! CSV, if asked for, is rebuilt from the merged rows and equals the
//! unsharded sweep's `--summary`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use sha2::{Digest, Sha256};

use super::checkpoint::hex;
use super::design::{build_design_within, Design, DesignKind, Factor};
use super::provenance::{mismatch, Provenance};
use super::rows::{push_prefix, PointScanner, Step};
use super::shard::{shard_range, Shard};
use crate::error::{Error, ErrorKind, Result};
use crate::model::Model;
use crate::output::columns::{prefix_columns, Column};
use crate::output::parquet::open_as_csv;
use crate::output::{FileFormat, RunsFormat, Summary, TableWriter};
use crate::scenario::{Override, ScenarioSource};

/// What a merge did.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeReport {
    /// The merged file's sidecar.
    pub provenance: Provenance,
    /// Summary over every run.
    pub total: Summary,
}

/// Merges `files` (in any order) into `out`, and a summary into `summary`.
///
/// Stops with [`crate::ErrorKind::Interrupted`] when `cancel` is set, before
/// anything under the target names is replaced.
pub fn merge(
    files: &[PathBuf],
    out: &Path,
    summary: Option<&Path>,
    command: &[String],
    cancel: &AtomicBool,
) -> Result<MergeReport> {
    merge_as(files, out, summary, None, command, cancel)
}

/// [`merge`], writing the merged files in `format` (else as their names say:
/// `.parquet` is Parquet). Shards may be CSV or Parquet files.
pub fn merge_as(
    files: &[PathBuf],
    out: &Path,
    summary: Option<&Path>,
    format: Option<FileFormat>,
    command: &[String],
    cancel: &AtomicBool,
) -> Result<MergeReport> {
    let limits = crate::limits::Limits::default();
    merge_within(files, out, summary, format, command, cancel, &limits)
}

/// [`merge_as`] within `limits`: the design the sidecars describe is laid
/// out only if its values are within `limits.design_values`, so that a
/// sidecar cannot make the merge allocate without bound; a sweep run with
/// that limit raised is merged with it raised too.
pub fn merge_within(
    files: &[PathBuf],
    out: &Path,
    summary: Option<&Path>,
    format: Option<FileFormat>,
    command: &[String],
    cancel: &AtomicBool,
    limits: &crate::limits::Limits,
) -> Result<MergeReport> {
    if files.is_empty() {
        return Err(Error::usage(
            "merge needs the shard files, e.g. negsim merge out/shard-*.csv --out runs.csv",
        ));
    }
    if files.iter().any(|f| f == out) || summary.is_some_and(|s| files.iter().any(|f| f == s)) {
        return Err(Error::usage(
            "the merged output cannot be one of the shard files; choose another --out",
        ));
    }
    let mut shards: Vec<(Shard, &PathBuf, Provenance)> = Vec::with_capacity(files.len());
    for f in files {
        let meta = Provenance::sidecar_path(f);
        let p = Provenance::read(&meta)?.ok_or_else(|| {
            let why = if f.exists() {
                "keep each sidecar next to its CSV when copying shard files"
            } else {
                "is the shard file name right?"
            };
            Error::usage(format!(
                "{}: no sidecar {} to tell which sweep and shard it is; {why}",
                f.display(),
                meta.display()
            ))
        })?;
        let shard = p
            .shard()
            .map_err(|e| Error::usage(format!("{}: {e}", meta.display())).with_source(e))?;
        shards.push((shard, f, p));
    }
    let (first_file, first) = (shards[0].1, shards[0].2.clone());
    for (_, f, p) in &shards[1..] {
        let d = first.differences_as_sweep(p);
        if !d.is_empty() {
            return Err(mismatch(
                format!(
                    "{} and {} are not shards of the same sweep",
                    first_file.display(),
                    f.display()
                ),
                &d,
                "merge only the shards of one sweep (same scenario, --set, --vary, \
                 --design, --points, --runs, --seed, shard count and negsim version)",
            ));
        }
    }
    let total_points = first.design.points;
    let runs = first.runs_per_point;
    let count = shards[0].0.count;
    for (shard, f, p) in &shards {
        let r = shard_range(total_points, *shard);
        if p.point_range != [r.start, r.end] || p.rows != r.len() as u64 * runs {
            return Err(Error::usage(format!(
                "{}: its sidecar says shard {shard} covers points {}..{} in {} rows, \
                 but shard {shard} of {total_points} points is points {}..{} in {} rows",
                f.display(),
                p.point_range[0],
                p.point_range[1],
                p.rows,
                r.start,
                r.end,
                r.len() as u64 * runs
            )));
        }
    }
    shards.sort_by_key(|(s, _, _)| s.index);
    for w in shards.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(Error::usage(format!(
                "shard {} appears twice: {} and {}; give each shard once",
                w[0].0,
                w[0].1.display(),
                w[1].1.display()
            )));
        }
    }
    let present: Vec<usize> = shards.iter().map(|(s, _, _)| s.index).collect();
    let missing: Vec<String> = (0..count)
        .filter(|i| !present.contains(i))
        .map(|index| {
            let r = shard_range(total_points, Shard { index, count });
            format!("{index}/{count} (points {}..{})", r.start, r.end)
        })
        .collect();
    if !missing.is_empty() {
        return Err(Error::usage(format!(
            "missing shard{} {}: every shard 0..{count} of the sweep is needed; \
             run the missing ones (negsim sweep ... --shard I/{count}) and merge again",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        )));
    }

    let factors: Vec<Factor> = first
        .design
        .keys
        .iter()
        .zip(&first.design.specs)
        .map(|(key, spec)| {
            Ok(Factor {
                key: key.clone(),
                spec: spec.parse().map_err(|e| {
                    Error::usage(format!("sidecar spec `{spec}`: {e}")).with_source(e)
                })?,
            })
        })
        .collect::<Result<_>>()?;
    let design = if first.design.kind == DesignKind::File {
        // The sidecars agree on the design file's hash; its points are read
        // back from the shards' rows, every row of a point checked below.
        let files: Vec<&PathBuf> = shards.iter().map(|(_, f, _)| *f).collect();
        design_from_rows(&files, &first.design.keys, total_points)?
    } else {
        build_design_within(
            first.design.kind,
            &factors,
            Some(total_points),
            first.design.seed,
            &first.design.options,
            limits.design_values,
        )
        .map_err(|e| {
            Error::usage(format!("cannot rebuild the design from the sidecar: {e}")).with_source(e)
        })?
    };

    let mut prefix_cols = vec!["point".to_string()];
    prefix_cols.extend(design.keys.iter().cloned());
    let (runs_cols, summary_cols) = merged_columns(&first, &prefix_cols)?;
    let out_format = FileFormat::for_path(format, out);
    let mut dest = TableWriter::create(out, out_format, "negsim sweep runs", runs_cols)?;
    let mut sum = summary
        .map(|p| {
            TableWriter::create(
                p,
                FileFormat::for_path(format, p),
                "negsim sweep summary",
                summary_cols,
            )
        })
        .transpose()?;
    let mut header: Option<Vec<u8>> = None;
    let mut total = Summary::default();
    // The merged file's rows, for its sidecar's `rows_sha256`.
    let mut all_rows = Sha256::new();
    let mut line = Vec::new();
    let mut prefix = Vec::new();
    let mut rows = Vec::new();
    for (shard, f, shard_prov) in &shards {
        let range = shard_range(total_points, *shard);
        let mut shard_rows = Sha256::new();
        // Parquet shards hold text cells as they are; read back, they get
        // the default spreadsheet guard, as the CSV shards have it.
        let mut reader = BufReader::with_capacity(1 << 20, open_as_csv(f, true)?);
        let mut scan = PointScanner::new(&design.points, range, runs);
        let mut lineno = 0usize;
        loop {
            line.clear();
            let n = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| Error::io(f, e))?;
            if n == 0 {
                break;
            }
            lineno += 1;
            if lineno.is_multiple_of(1024) && cancel.load(Ordering::Relaxed) {
                return Err(Error::new(ErrorKind::Interrupted));
            }
            let at = |what: String| {
                Error::usage(format!(
                    "{}:{lineno}: {what}; the shard file is damaged or incomplete: \
                     rerun that shard (with --resume) and merge again",
                    f.display()
                ))
            };
            if line.last() != Some(&b'\n') {
                return Err(at("the last row is cut short".into()));
            }
            if lineno == 1 {
                match &header {
                    None => {
                        header = Some(line.clone());
                    }
                    Some(h) if *h == line => {}
                    Some(_) => {
                        return Err(at(format!(
                            "its header differs from that of {}",
                            shards[0].1.display()
                        )))
                    }
                }
                continue;
            }
            match scan.feed(&line[..line.len() - 1]).map_err(at)? {
                Step::Row => {}
                Step::PointDone(point, s) => {
                    if let Some(d) = &mut sum {
                        prefix.clear();
                        push_prefix(point, &design.points[point], &mut prefix);
                        rows.clear();
                        s.csv_rows(&prefix, &mut rows);
                        d.write(&rows)?;
                    }
                    total.merge(&s);
                }
            }
            shard_rows.update(&line);
            all_rows.update(&line);
            dest.write(&line)?;
        }
        if lineno == 0 {
            return Err(Error::usage(format!(
                "{}: the file is empty; rerun that shard and merge again",
                f.display()
            )));
        }
        if !scan.is_complete() {
            return Err(Error::usage(format!(
                "{}: the file ends before {}; the shard is incomplete: rerun it \
                 (with --resume) and merge again",
                f.display(),
                scan.expected()
            )));
        }
        if let Some(recorded) = &shard_prov.rows_sha256 {
            if hex(shard_rows.finalize().as_slice()) != *recorded {
                return Err(Error::usage(format!(
                    "{} was changed after it was written: its rows do not have the \
                     SHA-256 recorded for them in {}; restore the file or rerun that \
                     shard, and merge again",
                    f.display(),
                    Provenance::sidecar_path(f).display()
                )));
            }
        }
    }
    let mut prov = first;
    prov.file_format = out_format.name().to_string();
    prov.shard = Provenance::shard_text(Shard::WHOLE);
    prov.point_range = [0, total_points];
    prov.rows = total_points as u64 * runs;
    prov.rows_sha256 = Some(hex(all_rows.finalize().as_slice()));
    prov.command = command.to_vec();
    prov.merged_from = Some(
        shards
            .iter()
            .map(|(_, f, _)| f.display().to_string())
            .collect(),
    );
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::new(ErrorKind::Interrupted));
    }
    let to_file = out.as_os_str() != "-";
    if to_file {
        let meta = Provenance::sidecar_path(out);
        match std::fs::remove_file(&meta) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(meta, e)),
            _ => {}
        }
    }
    dest.commit()?;
    if to_file {
        prov.write(&Provenance::sidecar_path(out))?;
    }
    if let Some(d) = sum {
        d.commit()?;
    }
    Ok(MergeReport {
        provenance: prov,
        total,
    })
}

/// The columns of the merged runs and summary files, from the scenario that
/// the sidecar embeds.
fn merged_columns(p: &Provenance, prefix: &[String]) -> Result<(Vec<Column>, Vec<Column>)> {
    let overrides = p
        .overrides
        .iter()
        .map(|o| o.parse::<Override>())
        .collect::<Result<Vec<_>>>()?;
    let source = ScenarioSource::from_str(&p.scenario_file, &p.scenario_text, &overrides)?;
    let model = Model::compile(&source.scenario);
    let mut runs = prefix_columns(prefix);
    runs.extend(RunsFormat::new(&model).schema());
    let mut summary = prefix_columns(prefix);
    summary.extend(Summary::schema());
    Ok((runs, summary))
}

/// The points of a file design, from the first row of each point in the
/// shard files (in shard order).
fn design_from_rows(files: &[&PathBuf], keys: &[String], total: usize) -> Result<Design> {
    let mut points: Vec<Vec<f64>> = Vec::with_capacity(total);
    for f in files {
        let reader = BufReader::new(open_as_csv(f, true)?);
        for (n, line) in reader.lines().enumerate().skip(1) {
            let line = line.map_err(|e| Error::io(*f, e))?;
            let mut cells = line.split(',');
            let damaged = || {
                Error::usage(format!(
                    "{}:{}: not a row of this sweep; the shard file is damaged: rerun that \
                     shard and merge again",
                    f.display(),
                    n + 1
                ))
            };
            let point: usize = cells
                .next()
                .and_then(|c| c.parse().ok())
                .ok_or_else(damaged)?;
            if point == points.len() {
                let values = cells
                    .take(keys.len())
                    .map(|c| c.parse::<f64>().map_err(|_| damaged()))
                    .collect::<Result<Vec<f64>>>()?;
                if values.len() != keys.len() {
                    return Err(damaged());
                }
                points.push(values);
            }
        }
    }
    if points.len() != total {
        return Err(Error::usage(format!(
            "the shards hold {} of the design's {total} points; rerun the incomplete shards and \
             merge again",
            points.len()
        )));
    }
    Ok(Design {
        keys: keys.to_vec(),
        points,
    })
}
