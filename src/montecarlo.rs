//! The Monte Carlo driver: runs jobs (a scenario and a number of runs) in
//! parallel and streams their CSV rows to a sink in run order.
//!
//! Runs are cut into tasks of a few hundred; a wave of tasks runs on the
//! thread pool, each task formatting its own CSV rows into a buffer, and the
//! calling thread hands the buffers to the sink in order. Memory is bounded
//! by the wave, not by the number of runs; results do not depend on the
//! number of threads because run `r` depends only on (seed, r).
//!
//! Events rows are formatted as a run records them (the model pushes them
//! to a [`crate::model::TraceSink`]), into the task's
//! [`EventsSpool`]: in memory up to a megabyte, then in an anonymous
//! temporary file. So memory stays flat however many rows a run records
//! (at most a megabyte per task of the wave), and the rows still reach the
//! sink in run order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Model, Runner};
use crate::output::{EventsFormat, EventsSpool, RunsFormat, SpoolRecorder, Summary};

/// One scenario (already compiled, overrides applied) to run `runs` times.
#[derive(Debug, Clone)]
pub struct Job {
    /// The model.
    pub model: Model,
    /// Master seed.
    pub seed: u64,
    /// Replications: runs `0..runs`.
    pub runs: u64,
    /// Text of leading columns for every row (sweeps), ending in a comma if non-empty.
    pub prefix: Vec<u8>,
}

/// Receives the driver's output, in order.
pub trait Sink {
    /// Runs CSV rows.
    fn runs(&mut self, bytes: &[u8]) -> Result<()>;
    /// Events CSV rows (only when events are recorded).
    fn events(&mut self, _bytes: &[u8]) -> Result<()> {
        Ok(())
    }
    /// Every run of job `job` has been delivered.
    fn job_done(&mut self, _job: usize, _summary: &Summary) -> Result<()> {
        Ok(())
    }
    /// Runs delivered so far.
    fn progress(&mut self, _runs_done: u64) {}
}

/// Runs jobs on a thread pool.
#[derive(Debug)]
pub struct Driver {
    pool: rayon::ThreadPool,
    threads: usize,
    /// Record and deliver events CSV rows.
    pub events: bool,
    /// Runs per task.
    pub task_runs: u64,
    /// Write CSV text cells as they are (no spreadsheet formula guard).
    pub raw_csv: bool,
}

struct Task {
    job: usize,
    spec: Arc<Job>,
    start: u64,
    end: u64,
}

struct TaskOut {
    runs: Vec<u8>,
    events: Option<EventsSpool>,
    summary: Summary,
}

impl Driver {
    /// A driver with `threads` workers (0: one per core).
    pub fn new(threads: usize) -> Result<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("negsim-{i}"))
            .build()
            .map_err(|e| {
                Error::new(ErrorKind::Other(format!(
                    "cannot start worker threads: {e}"
                )))
                .with_source(e)
            })?;
        let threads = pool.current_num_threads();
        Ok(Driver {
            pool,
            threads,
            events: false,
            task_runs: 256,
            raw_csv: false,
        })
    }

    /// Worker threads in use.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `jobs` jobs, built on demand by `make(i)`, delivering rows to
    /// `sink` in (job, run) order. Stops early with [`ErrorKind::Interrupted`]
    /// when `cancel` is set. Returns the summary over all runs.
    ///
    /// Waves overlap: while the pool computes wave `k + 1`, the calling thread
    /// hands wave `k` to the sink, so writing stays off the workers' path.
    pub fn run(
        &self,
        jobs: usize,
        make: impl Fn(usize) -> Result<Job>,
        sink: &mut dyn Sink,
        cancel: &AtomicBool,
    ) -> Result<Summary> {
        let wave = self.threads * 8;
        let events = self.events;
        let raw = self.raw_csv;
        let mut state = Delivery::default();
        let mut next_job = 0;
        let mut current: Option<(usize, Arc<Job>, u64)> = None;
        let mut pending: Option<(Vec<Task>, Slots)> = None;
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::new(ErrorKind::Interrupted));
            }
            let mut tasks = Vec::with_capacity(wave);
            while tasks.len() < wave {
                let exhausted = current.as_ref().is_none_or(|(_, j, next)| *next >= j.runs);
                if exhausted {
                    if next_job >= jobs {
                        break;
                    }
                    let job = Arc::new(make(next_job)?);
                    if job.runs == 0 {
                        // An empty task keeps the job's place in the order.
                        tasks.push(Task {
                            job: next_job,
                            spec: job,
                            start: 0,
                            end: 0,
                        });
                        next_job += 1;
                        current = None;
                        continue;
                    }
                    current = Some((next_job, job, 0));
                    next_job += 1;
                }
                let (idx, job, next) = current.as_mut().expect("set above");
                let end = (*next + self.task_runs).min(job.runs);
                tasks.push(Task {
                    job: *idx,
                    spec: Arc::clone(job),
                    start: *next,
                    end,
                });
                *next = end;
            }
            if tasks.is_empty() && pending.is_none() {
                break;
            }
            let slots: Slots = tasks.iter().map(|_| OnceLock::new()).collect();
            let previous = pending.take();
            let delivered = self.pool.in_place_scope(|scope| {
                for (task, slot) in tasks.iter().zip(&slots) {
                    scope.spawn(move |_| {
                        let _ = slot.set(run_task(task, events, raw, cancel));
                    });
                }
                match previous {
                    Some((t, r)) => state.deliver(t, r, sink),
                    None => Ok(()),
                }
            });
            delivered?;
            if !tasks.is_empty() {
                pending = Some((tasks, slots));
            }
        }
        Ok(state.total)
    }
}

/// One result slot per task of a wave, filled by the workers.
type Slots = Vec<OnceLock<Result<TaskOut>>>;

/// Hands finished tasks to the sink in order and keeps the summaries.
#[derive(Default)]
struct Delivery {
    total: Summary,
    partial: BTreeMap<usize, Summary>,
    done_runs: u64,
}

impl Delivery {
    fn deliver(&mut self, tasks: Vec<Task>, results: Slots, sink: &mut dyn Sink) -> Result<()> {
        for (task, slot) in tasks.iter().zip(results) {
            let out = slot.into_inner().unwrap_or_else(|| {
                Err(Error::new(ErrorKind::Other(
                    "a worker task did not finish".into(),
                )))
            })?;
            sink.runs(&out.runs)?;
            if let Some(mut spool) = out.events {
                spool.drain(|b| sink.events(b))?;
            }
            self.done_runs += task.end - task.start;
            self.partial
                .entry(task.job)
                .or_default()
                .merge(&out.summary);
            if task.end == task.spec.runs {
                let s = self.partial.remove(&task.job).unwrap_or_default();
                sink.job_done(task.job, &s)?;
                self.total.merge(&s);
            }
        }
        sink.progress(self.done_runs);
        Ok(())
    }
}

fn run_task(t: &Task, events: bool, raw: bool, cancel: &AtomicBool) -> Result<TaskOut> {
    let job = &t.spec;
    let mut runner = Runner::new(&job.model, job.seed);
    let fmt = RunsFormat::new(&job.model).raw(raw);
    let spool = events.then(|| {
        let efmt = EventsFormat::new(&job.model).raw(raw);
        Arc::new(Mutex::new(EventsSpool::new(efmt, job.prefix.clone())))
    });
    if let Some(s) = &spool {
        runner.set_trace_sink(Some(Box::new(SpoolRecorder(Arc::clone(s)))));
    }
    let n = (t.end - t.start) as usize;
    let mut out = TaskOut {
        runs: Vec::with_capacity(n * 64),
        events: None,
        summary: Summary::default(),
    };
    for r in t.start..t.end {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::new(ErrorKind::Interrupted));
        }
        if let Some(s) = &spool {
            lock(s).begin_run(r);
        }
        let result = runner
            .run(r)
            .map_err(|source| Error::new(ErrorKind::Engine { run: r, source }))?;
        fmt.row(&job.prefix, job.seed, &result, &mut out.runs);
        out.summary.add(&result);
    }
    drop(runner);
    out.events = spool.map(|s| match Arc::try_unwrap(s) {
        Ok(m) => m.into_inner().unwrap_or_else(PoisonError::into_inner),
        // Unreachable: the runner, the only other holder, is dropped.
        Err(s) => std::mem::replace(
            &mut *lock(&s),
            EventsSpool::new(EventsFormat::new(&job.model), Vec::new()),
        ),
    });
    Ok(out)
}

fn lock(s: &Mutex<EventsSpool>) -> std::sync::MutexGuard<'_, EventsSpool> {
    s.lock().unwrap_or_else(PoisonError::into_inner)
}
