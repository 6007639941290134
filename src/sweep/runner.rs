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
//! `--resume` and the checkpoint's proof of itself are described in
//! [`checkpoint`](super::checkpoint).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use sha2::{Digest, Sha256};

use super::checkpoint::{continue_from, find_checkpoint, hex, remove_if_exists, start_partial};
pub use super::checkpoint::{partial_path, sums_path};
use super::plan::Sweep;
use super::provenance::Provenance;
use crate::error::{Error, Result};
use crate::montecarlo::{Driver, Job, Sink};
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

fn is_stdout(p: &Path) -> bool {
    p.as_os_str() == "-"
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
        /// All rows of the file, kept ones included: its `rows_sha256`.
        rows: Box<Sha256>,
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
                rows,
                ..
            } => {
                hasher.update(bytes);
                rows.update(bytes);
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
            ..
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
        (true, Some(out)) => find_checkpoint(out, &prov, sweep, guard)?,
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
            let (file, kept, kept_rows) = match checkpoint {
                Some(cp) => {
                    let (file, kept, rows) = continue_from(
                        &cp,
                        &partial,
                        &partial_meta,
                        sweep,
                        &mut |point, s| o.point_done(point, s),
                        guard,
                    )?;
                    resumed = Some(Resumed {
                        from: cp.path,
                        points: kept,
                    });
                    (file, kept, rows)
                }
                None => (
                    Some(start_partial(sweep, &partial, &partial_meta)?),
                    0,
                    Box::default(),
                ),
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
                        rows: kept_rows,
                    }
                }
                None => {
                    prov.rows_sha256 = Some(hex(&kept_rows.finalize()));
                    RunsOut::Kept
                }
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
        RunsOut::Partial {
            writer, path, rows, ..
        } => {
            prov.rows_sha256 = Some(hex(&rows.finalize()));
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
/// few runs, and the driver asks for jobs on its own thread as its window
/// of tasks frees up, so a batch built in parallel keeps that thread short.
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
        // About one window of the driver's tasks.
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
