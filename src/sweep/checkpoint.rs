//! The checkpoint of a sweep writing `FILE`: finding earlier work for
//! `--resume`, checking it, and reopening it to append to.
//!
//! # Resume
//!
//! With `resume`, the sweep looks for earlier work, in this order:
//!
//! 1. `FILE.partial` with a `FILE.partial.meta.json` of the same sweep and
//!    shard: continued in place. A sidecar of another sweep is refused; a
//!    checkpoint without a sidecar (killed before its sidecar was written)
//!    holds nothing worth keeping and is started over.
//! 2. `FILE` whose `FILE.meta.json` (or, if the sweep was killed while
//!    renaming, `FILE.partial.meta.json`) is of the same sweep and shard: its
//!    points are kept; a complete `FILE` is left as it is and nothing runs. A
//!    `FILE` of another sweep, or without a sidecar, is refused.
//! 3. Nothing: the sweep starts from the first point.
//!
//! The kept rows are checked point by point (point index, parameter values,
//! run index) and cut after the last complete point; the summary and the
//! observer get the kept points' summaries, rebuilt from their rows, so the
//! outputs are the same as an uninterrupted sweep's.
//!
//! # A checkpoint that proves itself
//!
//! Beside the checkpoint, `FILE.partial.sums` gets one line per completed
//! point, `POINT SHA256`, the SHA-256 of the point's rows (header excluded),
//! appended once the rows are flushed. `--resume` keeps a point only if its
//! rows have the hash recorded for it: a checkpoint whose rows were changed
//! is refused (a usage error, exit 2), and points without a recorded hash (a
//! process killed between the two writes, or no sums file at all) are run
//! again. A complete `FILE` is kept as it is if its rows still have the
//! hash its sidecar records ([`Provenance::rows_sha256`], written when the
//! sweep finished), and refused otherwise.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::plan::Sweep;
use super::provenance::{mismatch, Provenance};
use super::rows::{PointScanner, Step};
use crate::error::{Error, Result};
use crate::output::parquet::open_as_csv;
use crate::output::Summary;

/// `FILE.partial`: the checkpoint of a sweep writing `FILE`.
pub fn partial_path(out: &Path) -> PathBuf {
    let mut s = out.as_os_str().to_owned();
    s.push(".partial");
    PathBuf::from(s)
}

/// `FILE.partial.sums`: the hash of each completed point of the checkpoint
/// `FILE.partial`.
pub fn sums_path(partial: &Path) -> PathBuf {
    let mut s = partial.as_os_str().to_owned();
    s.push(".sums");
    PathBuf::from(s)
}

pub(super) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a sums file: point index to hash; `None` when there is none.
fn read_sums(path: &Path) -> Result<Option<std::collections::BTreeMap<usize, String>>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut sums = std::collections::BTreeMap::new();
    for line in text.lines() {
        // A line cut short by a kill is simply not a hash.
        if let Some((point, hash)) = line.split_once(' ') {
            if let (Ok(point), true) = (point.parse::<usize>(), hash.len() == 64) {
                sums.insert(point, hash.to_string());
            }
        }
    }
    Ok(Some(sums))
}

pub(super) fn remove_if_exists(p: &Path) -> Result<()> {
    match std::fs::remove_file(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(p, e)),
        _ => Ok(()),
    }
}

/// Where earlier work was found.
pub(super) struct Checkpoint {
    /// The file the kept points are read from.
    pub(super) path: PathBuf,
    /// Whether it is the checkpoint `FILE.partial`, continued in place.
    pub(super) in_place: bool,
}

/// Where `--resume` of the sweep described by `prov` finds earlier work for
/// `out`, refusing a file of another sweep and a complete `FILE` whose rows
/// are not those its sidecar records.
pub(super) fn find_checkpoint(
    out: &Path,
    prov: &Provenance,
    sweep: &Sweep,
    guard: bool,
) -> Result<Option<Checkpoint>> {
    let partial = partial_path(out);
    let partial_meta_path = Provenance::sidecar_path(&partial);
    let partial_meta = Provenance::read(&partial_meta_path)?;
    let fix = "use another --out, or run without --resume to start over";
    if partial.exists() {
        if let Some(m) = &partial_meta {
            let d = prov.differences_as_file(m);
            if !d.is_empty() {
                return Err(mismatch(
                    format!(
                        "cannot resume: {} is from a different sweep ({})",
                        partial.display(),
                        partial_meta_path.display()
                    ),
                    &d,
                    fix,
                ));
            }
            return Ok(Some(Checkpoint {
                path: partial,
                in_place: true,
            }));
        }
    }
    if out.exists() {
        let meta_path = Provenance::sidecar_path(out);
        let meta = Provenance::read(&meta_path)?;
        let same = |m: &Option<Provenance>| {
            m.as_ref()
                .map(|m| prov.differences_as_file(m))
                .filter(|d| d.is_empty())
                .is_some()
        };
        if same(&meta) || same(&partial_meta) {
            let recorded = meta
                .as_ref()
                .filter(|_| same(&meta))
                .and_then(|m| m.rows_sha256.as_deref());
            if let Some(recorded) = recorded {
                let (header, digest) = rows_sha256(out, guard)?;
                if header != sweep.runs_header() || digest != recorded {
                    return Err(Error::usage(format!(
                        "cannot resume: {} was changed after it was written: its {} do not \
                         have the SHA-256 recorded for them in {}; restore the file, or run \
                         without --resume to start over",
                        out.display(),
                        if header == sweep.runs_header() {
                            "rows"
                        } else {
                            "header and rows"
                        },
                        meta_path.display()
                    )));
                }
            }
            return Ok(Some(Checkpoint {
                path: out.to_path_buf(),
                in_place: false,
            }));
        }
        return Err(match meta {
            Some(m) => mismatch(
                format!(
                    "cannot resume: {} is from a different sweep ({})",
                    out.display(),
                    meta_path.display()
                ),
                &prov.differences_as_file(&m),
                fix,
            ),
            None => Error::usage(format!(
                "cannot resume: {} exists but has no sidecar {}, so it cannot be told \
                 apart from another sweep's file; {fix}",
                out.display(),
                meta_path.display()
            )),
        });
    }
    Ok(None)
}

/// The header line of the table `path` (CSV, or Parquet read back as CSV)
/// and the SHA-256 (hex) of everything after it: the
/// [`Provenance::rows_sha256`] of the file.
pub(crate) fn rows_sha256(path: &Path, guard: bool) -> Result<(Vec<u8>, String)> {
    let mut reader = BufReader::with_capacity(1 << 20, open_as_csv(path, guard)?);
    let mut header = Vec::new();
    reader
        .read_until(b'\n', &mut header)
        .map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut chunk).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&chunk[..n]);
    }
    Ok((header, hex(&hasher.finalize())))
}

/// A fresh checkpoint holding the header only, and its empty sums file.
pub(super) fn start_partial(
    sweep: &Sweep,
    partial: &Path,
    partial_meta: &Path,
) -> Result<(File, File)> {
    remove_if_exists(partial_meta)?;
    let sums = sums_path(partial);
    let sums = File::create(&sums).map_err(|e| Error::io(&sums, e))?;
    let mut file = File::create(partial).map_err(|e| Error::io(partial, e))?;
    file.write_all(sweep.runs_header())
        .map_err(|e| Error::io(partial, e))?;
    Ok((file, sums))
}

/// What [`continue_from`] returns: the checkpoint file and its sums file to
/// append to (none when a complete `FILE` is kept as it is), the number of
/// points kept, and the hash of their rows.
pub(super) type Continued = (Option<(File, File)>, usize, Box<Sha256>);

/// Reads the complete points of a checkpoint, reports them, and returns the
/// checkpoint file cut after them, ready to append to, their number, and the
/// hash of their rows so far (the start of [`Provenance::rows_sha256`]); no
/// file when the checkpoint is a complete `FILE`, which is left alone.
pub(super) fn continue_from(
    cp: &Checkpoint,
    partial: &Path,
    partial_meta: &Path,
    sweep: &Sweep,
    point_done: &mut dyn FnMut(usize, &Summary) -> Result<()>,
    guard: bool,
) -> Result<Continued> {
    let range = sweep.point_range();
    let sums_file = sums_path(partial);
    // A checkpoint is trusted point by point, through its hashes; a complete
    // FILE written by this sweep (its sidecar says so) as a whole.
    let sums = read_sums(&sums_file)?;
    let verify = cp.in_place || sums.is_some();
    let sums = sums.unwrap_or_default();
    let mut kept_sums = String::new();
    let mut hasher = Sha256::new();
    // All rows read, and all rows of the kept points.
    let mut rows = Sha256::new();
    let mut kept_rows = Box::new(Sha256::new());
    let mut reader = BufReader::with_capacity(1 << 20, open_as_csv(&cp.path, guard)?);
    let mut line = Vec::new();
    let read = |r: &mut BufReader<Box<dyn Read + Send>>, line: &mut Vec<u8>| -> Result<bool> {
        line.clear();
        r.read_until(b'\n', line)
            .map_err(|e| Error::io(&cp.path, e))?;
        Ok(line.last() == Some(&b'\n'))
    };
    let mut keep: u64 = 0;
    let mut kept = 0;
    if read(&mut reader, &mut line)? && line == sweep.runs_header() {
        let mut offset = line.len() as u64;
        keep = offset;
        let mut scan = PointScanner::new(&sweep.design().points, range.clone(), sweep.spec().runs);
        while !scan.is_complete() && read(&mut reader, &mut line)? {
            offset += line.len() as u64;
            let step = scan.feed(&line[..line.len() - 1]);
            if step.is_ok() {
                hasher.update(&line);
                rows.update(&line);
            }
            match step {
                Ok(Step::Row) => {}
                Ok(Step::PointDone(point, s)) => {
                    let digest = hex(&std::mem::take(&mut hasher).finalize());
                    if verify {
                        match sums.get(&point) {
                            Some(h) if *h == digest => {
                                kept_sums.push_str(&format!("{point} {digest}\n"));
                            }
                            Some(_) => {
                                return Err(Error::usage(format!(
                                    "cannot resume: {} was changed after it was written: the \
                                     rows of design point {point} do not have the hash recorded \
                                     for them in {}; run without --resume to start over",
                                    cp.path.display(),
                                    sums_file.display()
                                )))
                            }
                            // Not recorded: run again from here.
                            None => break,
                        }
                    }
                    point_done(point, &s)?;
                    *kept_rows = rows.clone();
                    keep = offset;
                    kept += 1;
                }
                Err(_) => break,
            }
        }
    }
    // Read to the end: a complete file has nothing after the kept points.
    let mut len = keep;
    loop {
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(&cp.path, e))?;
        if n == 0 {
            break;
        }
        len += n as u64;
        line.clear();
    }
    drop(reader);
    if !cp.in_place && kept == range.len() && keep == len {
        return Ok((None, kept, kept_rows));
    }
    let mut file = if cp.in_place {
        OpenOptions::new()
            .write(true)
            .open(partial)
            .map_err(|e| Error::io(partial, e))?
    } else {
        remove_if_exists(partial_meta)?;
        let mut dst = File::create(partial).map_err(|e| Error::io(partial, e))?;
        let mut src = open_as_csv(&cp.path, guard)?;
        std::io::copy(&mut (&mut src).take(keep), &mut dst).map_err(|e| Error::io(partial, e))?;
        dst
    };
    file.set_len(keep).map_err(|e| Error::io(partial, e))?;
    file.seek(SeekFrom::End(0))
        .map_err(|e| Error::io(partial, e))?;
    if keep == 0 {
        file.write_all(sweep.runs_header())
            .map_err(|e| Error::io(partial, e))?;
    }
    // The hashes of exactly the kept points; later ones are appended.
    let mut sums = File::create(&sums_file).map_err(|e| Error::io(&sums_file, e))?;
    if !verify {
        // Kept from a complete FILE: its points get their hashes now.
        kept_sums = recompute_sums(&cp.path, keep, sweep, guard)?;
    }
    sums.write_all(kept_sums.as_bytes())
        .and_then(|()| sums.flush())
        .map_err(|e| Error::io(&sums_file, e))?;
    Ok((Some((file, sums)), kept, kept_rows))
}

/// The sums lines of the complete points in the first `keep` bytes of `path`.
fn recompute_sums(path: &Path, keep: u64, sweep: &Sweep, guard: bool) -> Result<String> {
    let mut reader = BufReader::new(open_as_csv(path, guard)?.take(keep));
    let range = sweep.point_range();
    let mut scan = PointScanner::new(&sweep.design().points, range, sweep.spec().runs);
    let mut line = Vec::new();
    let mut out = String::new();
    let mut hasher = Sha256::new();
    let mut first = true;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(path, e))?;
        if n == 0 || line.last() != Some(&b'\n') {
            break;
        }
        if std::mem::take(&mut first) {
            continue;
        }
        hasher.update(&line);
        match scan.feed(&line[..line.len() - 1]) {
            Ok(Step::Row) => {}
            Ok(Step::PointDone(point, _)) => {
                let digest = hex(&std::mem::take(&mut hasher).finalize());
                out.push_str(&format!("{point} {digest}\n"));
            }
            Err(_) => break,
        }
    }
    Ok(out)
}
