//! Running a sweep: the Monte Carlo driver over this shard's design points,
//! the runs and summary CSVs, the checkpoint that `--resume` continues from,
//! and the provenance sidecar.
//!
//! # Files
//!
//! With `--out FILE`, rows go to the checkpoint `FILE.partial` (described by
//! `FILE.partial.meta.json`), flushed after every completed design point. When
//! the last point is done, the checkpoint is synced and renamed to `FILE`, then
//! `FILE.meta.json` is written (atomically) and the checkpoint's sidecar is
//! removed. So `FILE` only ever appears complete; an interrupted sweep leaves
//! `FILE.partial` behind instead.
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
//! again. A complete `FILE` with its own sidecar is kept as it is.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use sha2::{Digest, Sha256};

use super::plan::Sweep;
use super::provenance::{mismatch, Provenance};
use super::rows::{PointScanner, Step};
use crate::error::{Error, Result};
use crate::montecarlo::{Driver, Job, Sink};
use crate::output::parquet::open_as_csv;
use crate::output::{write_schema, FileFormat, Summary, TableWriter};

/// Where a sweep writes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SweepOutputs {
    /// Runs CSV (`-` for standard output; no sidecar or checkpoint then).
    pub out: Option<PathBuf>,
    /// Summary CSV (`-` for standard output).
    pub summary: Option<PathBuf>,
    /// Continue from an earlier, interrupted sweep's checkpoint.
    pub resume: bool,
    /// The command line, recorded in the sidecar.
    pub command: Vec<String>,
    /// `--format` (else by the extension of `--out` / `--summary`).
    pub format: Option<FileFormat>,
    /// The `--sweep-file`'s text, embedded in the sidecar.
    pub sweep_file_text: Option<String>,
}

/// Told about a sweep's progress, in point order. An error (the terminal's
/// table cannot be written) stops the sweep, keeping its checkpoint.
pub trait SweepObserver {
    /// Before the first point: the file that earlier work is kept from, if any.
    fn start(&mut self, _resuming_from: Option<&Path>) -> Result<()> {
        Ok(())
    }
    /// Design point `point` (with parameter `values`) is complete.
    fn point_done(&mut self, _point: usize, _values: &[f64], _summary: &Summary) -> Result<()> {
        Ok(())
    }
    /// Runs complete so far in this shard, kept ones included.
    fn progress(&mut self, _runs_done: u64) {}
}

/// An observer that ignores everything.
#[derive(Debug, Default)]
pub struct Quiet;

impl SweepObserver for Quiet {}

/// Earlier work that a resumed sweep keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Resumed {
    /// The file the points were kept from.
    pub from: PathBuf,
    /// Points kept.
    pub points: usize,
}

/// What a sweep did.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepReport {
    /// Points computed now.
    pub points_run: usize,
    /// Points kept from a checkpoint.
    pub resumed: Option<Resumed>,
    /// Summary over every run of this shard.
    pub total: Summary,
    /// Worker threads.
    pub threads: usize,
}

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

fn hex(digest: &[u8]) -> String {
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

fn is_stdout(p: &Path) -> bool {
    p.as_os_str() == "-"
}

fn remove_if_exists(p: &Path) -> Result<()> {
    match std::fs::remove_file(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(p, e)),
        _ => Ok(()),
    }
}

/// Where earlier work was found.
struct Checkpoint {
    path: PathBuf,
    in_place: bool,
}

fn find_checkpoint(out: &Path, prov: &Provenance) -> Result<Option<Checkpoint>> {
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

/// The runs CSV being written.
enum RunsOut {
    None,
    /// `--resume` found `FILE` complete: it is left as it is.
    Kept,
    Stdout(TableWriter),
    Partial {
        writer: BufWriter<File>,
        path: PathBuf,
        synced: Instant,
        /// `FILE.partial.sums`, appended to after each completed point.
        sums: File,
        /// The rows of the point being written.
        hasher: Box<Sha256>,
    },
}

impl RunsOut {
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        match self {
            RunsOut::None | RunsOut::Kept => Ok(()),
            RunsOut::Stdout(d) => d.write(bytes),
            RunsOut::Partial {
                writer,
                path,
                hasher,
                ..
            } => {
                hasher.update(bytes);
                writer.write_all(bytes).map_err(|e| Error::io(&*path, e))
            }
        }
    }

    /// Makes the rows written so far durable against a killed process.
    fn flush(&mut self) -> Result<()> {
        if let RunsOut::Partial { writer, path, .. } = self {
            writer.flush().map_err(|e| Error::io(&*path, e))?;
        }
        Ok(())
    }

    /// Point `point` is complete: its rows are flushed, then its hash is
    /// recorded; now and then both are synced against a crashed machine.
    fn checkpoint(&mut self, point: usize) -> Result<()> {
        self.flush()?;
        if let RunsOut::Partial {
            writer,
            path,
            synced,
            sums,
            hasher,
        } = self
        {
            let digest = std::mem::take(&mut **hasher).finalize();
            let sums_file = sums_path(path);
            writeln!(sums, "{point} {}", hex(&digest)).map_err(|e| Error::io(&sums_file, e))?;
            if synced.elapsed() > Duration::from_secs(30) {
                writer
                    .get_ref()
                    .sync_data()
                    .map_err(|e| Error::io(&*path, e))?;
                sums.sync_data().map_err(|e| Error::io(&sums_file, e))?;
                *synced = Instant::now();
            }
        }
        Ok(())
    }
}

struct Outputs<'a> {
    sweep: &'a Sweep,
    runs: RunsOut,
    summary: Option<TableWriter>,
    observer: &'a mut dyn SweepObserver,
    first_job_point: usize,
    runs_before: u64,
    total: Summary,
    buf: Vec<u8>,
}

impl Outputs<'_> {
    fn point_done(&mut self, point: usize, s: &Summary) -> Result<()> {
        if let Some(d) = &mut self.summary {
            self.buf.clear();
            self.sweep.push_prefix(point, &mut self.buf);
            let prefix = std::mem::take(&mut self.buf);
            let mut rows = Vec::with_capacity(512);
            s.csv_rows(&prefix, &mut rows);
            self.buf = prefix;
            d.write(&rows)?;
        }
        self.observer
            .point_done(point, &self.sweep.design().points[point], s)?;
        self.total.merge(s);
        Ok(())
    }
}

impl Sink for Outputs<'_> {
    fn runs(&mut self, bytes: &[u8]) -> Result<()> {
        self.runs.write(bytes)
    }
    fn job_done(&mut self, job: usize, s: &Summary) -> Result<()> {
        self.runs.checkpoint(self.first_job_point + job)?;
        self.point_done(self.first_job_point + job, s)
    }
    fn progress(&mut self, done: u64) {
        self.observer.progress(self.runs_before + done);
    }
}

/// Runs this shard of `sweep` on `driver`, writing `outputs`.
///
/// Stops with [`crate::ErrorKind::Interrupted`] when `cancel` is set; the
/// checkpoint then holds every point completed so far.
pub fn run_sweep(
    sweep: &Sweep,
    outputs: &SweepOutputs,
    driver: &Driver,
    observer: &mut dyn SweepObserver,
    cancel: &AtomicBool,
) -> Result<SweepReport> {
    let range = sweep.point_range();
    let out_format = outputs
        .out
        .as_deref()
        .map_or(FileFormat::Csv, |p| FileFormat::for_path(outputs.format, p));
    let mut prov = sweep.provenance(&outputs.command);
    prov.file_format = out_format.name().to_string();
    prov.sweep_file_text = outputs.sweep_file_text.clone();
    let guard = !driver.raw_csv;
    let out_file = outputs.out.as_deref().filter(|p| !is_stdout(p));
    if outputs.resume && out_file.is_none() {
        return Err(Error::usage(
            "--resume needs --out FILE: it continues from FILE.partial or FILE",
        ));
    }
    if let Some(out) = out_file {
        if crate::output::is_special(out) {
            return Err(Error::usage(format!(
                "--out {}: a sweep's runs file must be a regular file (it gets a checkpoint and a provenance sidecar); use --out - for standard output",
                out.display()
            )));
        }
        if out.is_dir() {
            return Err(Error::input(out, "is a directory; give a file name"));
        }
        if outputs.summary.as_deref() == Some(out) {
            return Err(Error::usage(format!(
                "{} is given for two outputs; each output needs its own file",
                out.display()
            )));
        }
    }
    let checkpoint = match (outputs.resume, out_file) {
        (true, Some(out)) => find_checkpoint(out, &prov)?,
        _ => None,
    };

    let summary = outputs
        .summary
        .as_deref()
        .map(|p| {
            TableWriter::create(
                p,
                FileFormat::for_path(outputs.format, p),
                "negsim sweep summary",
                sweep.summary_columns(),
            )
        })
        .transpose()?;
    let mut o = Outputs {
        sweep,
        runs: RunsOut::None,
        summary,
        observer,
        first_job_point: range.start,
        runs_before: 0,
        total: Summary::default(),
        buf: Vec::new(),
    };

    let mut resumed = None;
    match (out_file, &outputs.out) {
        (Some(out), _) => {
            let partial = partial_path(out);
            let partial_meta = Provenance::sidecar_path(&partial);
            o.observer
                .start(checkpoint.as_ref().map(|c| c.path.as_path()))?;
            let (file, kept) = match checkpoint {
                Some(cp) => {
                    let (file, kept) = continue_from(&cp, &partial, &partial_meta, &mut o, guard)?;
                    resumed = Some(Resumed {
                        from: cp.path,
                        points: kept,
                    });
                    (file, kept)
                }
                None => (Some(start_partial(sweep, &partial, &partial_meta)?), 0),
            };
            o.first_job_point = range.start + kept;
            o.runs_before = kept as u64 * sweep.spec().runs;
            o.runs = match file {
                Some((file, sums)) => {
                    prov.write(&partial_meta)?;
                    RunsOut::Partial {
                        writer: BufWriter::with_capacity(1 << 20, file),
                        path: partial,
                        synced: Instant::now(),
                        sums,
                        hasher: Box::default(),
                    }
                }
                None => RunsOut::Kept,
            };
        }
        (None, Some(_)) => {
            o.observer.start(None)?;
            let d = TableWriter::create(
                Path::new("-"),
                out_format,
                "negsim sweep runs",
                sweep.runs_columns().to_vec(),
            )?;
            o.runs = RunsOut::Stdout(d);
        }
        (None, None) => o.observer.start(None)?,
    }

    let first = o.first_job_point;
    let jobs = range.end - first;
    let source = JobSource::new(sweep, first, jobs, driver);
    let result = driver.run(jobs, |i| source.make(i), &mut o, cancel);
    if let Err(e) = result {
        if e.is_input_error() {
            // A bad value at some point: the same command fails again, so
            // the checkpoint is of no use.
            if let RunsOut::Partial { path, .. } = std::mem::replace(&mut o.runs, RunsOut::None) {
                let _ = std::fs::remove_file(&path);
                let _ = std::fs::remove_file(Provenance::sidecar_path(&path));
                let _ = std::fs::remove_file(sums_path(&path));
            }
        } else {
            // Keep every completed point in the checkpoint.
            let _ = o.runs.flush();
        }
        return Err(e);
    }
    let Outputs {
        runs,
        summary,
        total,
        ..
    } = o;
    match runs {
        RunsOut::Partial { writer, path, .. } => {
            let file = writer
                .into_inner()
                .map_err(|e| Error::io(&path, e.into_error()))?;
            file.sync_all().map_err(|e| Error::io(&path, e))?;
            drop(file);
            let out = out_file.expect("partial only with a file");
            let meta = Provenance::sidecar_path(out);
            remove_if_exists(&meta)?;
            match out_format {
                FileFormat::Csv => {
                    std::fs::rename(&path, out).map_err(|e| Error::io(out, e))?;
                    write_schema(out, "negsim sweep runs", sweep.runs_columns())?;
                }
                FileFormat::Parquet => {
                    // The checkpoint is CSV text (resumable, hashable);
                    // the finished file is converted from it in one pass.
                    convert_to_parquet(&path, out, sweep)?;
                    remove_if_exists(&path)?;
                }
            }
            prov.write(&meta)?;
            remove_if_exists(&Provenance::sidecar_path(&path))?;
            remove_if_exists(&sums_path(&path))?;
        }
        RunsOut::Kept => {
            let out = out_file.expect("kept only with a file");
            let meta = Provenance::sidecar_path(out);
            let current = Provenance::read(&meta)?;
            if current.is_none_or(|m| !prov.differences_as_file(&m).is_empty()) {
                prov.write(&meta)?;
            }
            let partial = partial_path(out);
            remove_if_exists(&partial)?;
            remove_if_exists(&Provenance::sidecar_path(&partial))?;
            remove_if_exists(&sums_path(&partial))?;
        }
        RunsOut::Stdout(d) => d.commit()?,
        RunsOut::None => {}
    }
    if let Some(d) = summary {
        d.commit()?;
    }
    Ok(SweepReport {
        points_run: jobs,
        resumed,
        total,
        threads: driver.threads(),
    })
}

/// Writes the CSV checkpoint `partial` as the Parquet file `out`
/// (atomically), streaming: one row group in memory at a time.
fn convert_to_parquet(partial: &Path, out: &Path, sweep: &Sweep) -> Result<()> {
    let mut t = TableWriter::create(
        out,
        FileFormat::Parquet,
        "negsim sweep runs",
        sweep.runs_columns().to_vec(),
    )?;
    let mut reader = BufReader::with_capacity(
        1 << 20,
        File::open(partial).map_err(|e| Error::io(partial, e))?,
    );
    let mut header = Vec::new();
    reader
        .read_until(b'\n', &mut header)
        .map_err(|e| Error::io(partial, e))?;
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = reader.read(&mut chunk).map_err(|e| Error::io(partial, e))?;
        if n == 0 {
            break;
        }
        t.write(&chunk[..n])?;
    }
    t.commit()
}

/// Builds the design points' jobs ahead of the driver, a batch at a time and
/// in parallel: parsing and compiling a point's scenario costs as much as a
/// few runs, and the driver asks for jobs on its own thread between waves,
/// while the workers wait.
struct JobSource<'a> {
    sweep: &'a Sweep,
    first: usize,
    jobs: usize,
    batch: usize,
    pool: Option<rayon::ThreadPool>,
    ready: RefCell<VecDeque<Result<Job>>>,
    next: Cell<usize>,
}

impl<'a> JobSource<'a> {
    fn new(sweep: &'a Sweep, first: usize, jobs: usize, driver: &Driver) -> Self {
        // About one wave of the driver's tasks.
        let tasks_per_point = sweep.spec().runs.div_ceil(driver.task_runs.max(1)).max(1);
        let wave = (driver.threads() * 8) as u64;
        let batch = (wave / tasks_per_point).clamp(1, 256) as usize;
        let pool = (batch > 1 && driver.threads() > 1)
            .then(|| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(driver.threads())
                    .thread_name(|i| format!("negsim-build-{i}"))
                    .build()
                    .ok()
            })
            .flatten();
        JobSource {
            sweep,
            first,
            jobs,
            batch,
            pool,
            ready: RefCell::new(VecDeque::new()),
            next: Cell::new(0),
        }
    }

    /// Job `i` (the driver asks in order; anything else is built directly).
    fn make(&self, i: usize) -> Result<Job> {
        let Some(pool) = &self.pool else {
            return self.sweep.job(self.first + i);
        };
        let mut ready = self.ready.borrow_mut();
        if ready.is_empty() || self.next.get() != i {
            let end = (i + self.batch).min(self.jobs).max(i + 1);
            let (sweep, first) = (self.sweep, self.first);
            let built: Vec<Result<Job>> = pool.install(|| {
                (i..end)
                    .into_par_iter()
                    .map(|k| sweep.job(first + k))
                    .collect()
            });
            *ready = built.into();
            self.next.set(i);
        }
        self.next.set(i + 1);
        ready.pop_front().expect("filled above")
    }
}

/// A fresh checkpoint holding the header only, and its empty sums file.
fn start_partial(sweep: &Sweep, partial: &Path, partial_meta: &Path) -> Result<(File, File)> {
    remove_if_exists(partial_meta)?;
    let sums = sums_path(partial);
    let sums = File::create(&sums).map_err(|e| Error::io(&sums, e))?;
    let mut file = File::create(partial).map_err(|e| Error::io(partial, e))?;
    file.write_all(sweep.runs_header())
        .map_err(|e| Error::io(partial, e))?;
    Ok((file, sums))
}

/// Reads the complete points of a checkpoint, reports them, and returns the
/// checkpoint file cut after them, ready to append to, and their number; no
/// file when the checkpoint is a complete `FILE`, which is left alone.
fn continue_from(
    cp: &Checkpoint,
    partial: &Path,
    partial_meta: &Path,
    o: &mut Outputs<'_>,
    guard: bool,
) -> Result<(Option<(File, File)>, usize)> {
    let sweep = o.sweep;
    let range = sweep.point_range();
    let sums_file = sums_path(partial);
    // A checkpoint is trusted point by point, through its hashes; a complete
    // FILE written by this sweep (its sidecar says so) as a whole.
    let sums = read_sums(&sums_file)?;
    let verify = cp.in_place || sums.is_some();
    let sums = sums.unwrap_or_default();
    let mut kept_sums = String::new();
    let mut hasher = Sha256::new();
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
                    o.point_done(point, &s)?;
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
        return Ok((None, kept));
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
    Ok((Some((file, sums)), kept))
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
