//! The Monte Carlo driver: runs jobs (a scenario and a number of runs) in
//! parallel and streams their CSV rows to a sink in run order.
//!
//! Runs are cut into tasks of a few hundred; up to a window of tasks runs
//! on the thread pool, each task formatting its own CSV rows into a buffer,
//! and the calling thread hands the buffers to the sink in order as they
//! come due, starting a new task for each one finished. Memory is bounded
//! by the window, not by the number of runs; results do not depend on the
//! number of threads because run `r` depends only on (seed, r).
//!
//! Events rows are formatted as a run records them (the model pushes them
//! to a [`crate::model::TraceSink`]), into the task's
//! [`EventsSpool`]: in memory up to a megabyte, then in an anonymous
//! temporary file. So memory stays flat however many rows a run records
//! (at most a megabyte per task of the window), and the rows still reach the
//! sink in run order. With events, tasks are sized from the rows per run
//! of the tasks delivered so far so that a task's rows fit in memory
//! (`TaskSizer`): the temporary file is the exception, not the rule
//! (a founding run records 23 KB of rows, a task of 256 runs 6 MB).

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};

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

#[derive(Clone)]
struct Task {
    job: usize,
    spec: Arc<Job>,
    formats: Arc<Formats>,
    start: u64,
    end: u64,
}

/// A job's row formats, made once and shared by its tasks.
struct Formats {
    runs: RunsFormat,
    /// When events are recorded: the format each task clones (a cheap
    /// clone, with memos of its own; they are why it sits in a mutex).
    events: Option<Mutex<EventsFormat>>,
}

impl Formats {
    fn new(model: &Model, events: bool, raw: bool) -> Self {
        Formats {
            runs: RunsFormat::new(model).raw(raw),
            events: events.then(|| Mutex::new(EventsFormat::new(model).raw(raw))),
        }
    }

    /// A task's own events format.
    fn events(&self) -> Option<EventsFormat> {
        let f = self.events.as_ref()?;
        Some(f.lock().unwrap_or_else(PoisonError::into_inner).clone())
    }
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
    /// A pipeline without barriers: up to a window of tasks (eight per
    /// worker) is running or finished and waiting its turn; whenever one
    /// finishes, the calling thread hands every task now next in order to
    /// the sink and starts new ones, so no worker waits for the slowest task
    /// of a wave and building the next jobs overlaps the running ones.
    /// Memory is bounded by the window, not by the number of runs.
    pub fn run(
        &self,
        jobs: usize,
        make: impl Fn(usize) -> Result<Job>,
        sink: &mut dyn Sink,
        cancel: &AtomicBool,
    ) -> Result<Summary> {
        let window = self.threads * 8;
        let (events, raw) = (self.events, self.raw_csv);
        let mut state = Delivery::default();
        let mut sizer = TaskSizer::new(self.task_runs, events);
        let mut tasks = TaskSource {
            jobs,
            make: &make,
            events,
            raw,
            next_job: 0,
            current: None,
        };
        // Set when this call stops early, so the running tasks stop too.
        let stop = AtomicBool::new(false);
        let (tx, rx) = mpsc::channel::<(usize, Result<TaskOut>)>();
        let result = self.pool.in_place_scope(|scope| -> Result<()> {
            let mut pipeline = || -> Result<()> {
                let (mut started, mut delivered) = (0usize, 0usize);
                let mut running = 0usize;
                let mut waiting: BTreeMap<usize, (Task, Result<TaskOut>)> = BTreeMap::new();
                let mut order: BTreeMap<usize, Task> = BTreeMap::new();
                let mut exhausted = false;
                loop {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(Error::new(ErrorKind::Interrupted));
                    }
                    while !exhausted && running + waiting.len() < window {
                        let Some(task) = tasks.next_task(sizer.runs())? else {
                            exhausted = true;
                            break;
                        };
                        let (seq, tx, stop) = (started, tx.clone(), &stop);
                        let meta = task.clone();
                        scope.spawn(move |_| {
                            // A panicking task still reports, so the loop never waits on it.
                            let out = std::panic::catch_unwind(AssertUnwindSafe(|| {
                                run_task(&task, cancel, stop)
                            }))
                            .unwrap_or_else(|_| {
                                Err(Error::new(ErrorKind::Other(
                                    "a worker task panicked".into(),
                                )))
                            });
                            let _ = tx.send((seq, out));
                        });
                        order.insert(seq, meta);
                        started += 1;
                        running += 1;
                    }
                    if running == 0 && waiting.is_empty() {
                        return Ok(());
                    }
                    let (seq, out) = rx.recv().map_err(|_| {
                        Error::new(ErrorKind::Other("a worker task did not finish".into()))
                    })?;
                    running -= 1;
                    let task = order.remove(&seq).expect("started above");
                    waiting.insert(seq, (task, out));
                    while let Some((task, out)) = waiting.remove(&delivered) {
                        if let Ok(TaskOut {
                            events: Some(spool),
                            ..
                        }) = &out
                        {
                            sizer.learn(task.end - task.start, spool.bytes());
                        }
                        state.deliver(&task, out, sink)?;
                        delivered += 1;
                    }
                    sink.progress(state.done_runs);
                }
            };
            let result = pipeline();
            if result.is_err() {
                // The scope waits for the running tasks: have them stop.
                stop.store(true, Ordering::Relaxed);
            }
            result
        });
        result?;
        Ok(state.total)
    }
}

/// How many runs the next task gets.
///
/// Without events, always the driver's `task_runs`. With events, few enough
/// that the task's rows fit in its spool's memory (three quarters of
/// [`EventsSpool::MEMORY`], at the rows per run of the last task delivered),
/// so they are not written to a temporary file and read back; the first
/// tasks, before any is delivered, are short probes. The split into tasks
/// changes no output: run `r` depends only on (seed, r), rows are delivered
/// in run order and the summary's sums are integers.
#[derive(Debug, Clone)]
struct TaskSizer {
    max: u64,
    events: bool,
    bytes_per_run: Option<u64>,
}

impl TaskSizer {
    /// Runs of a task before any task's rows are measured.
    const PROBE: u64 = 16;

    fn new(max: u64, events: bool) -> Self {
        TaskSizer {
            max: max.max(1),
            events,
            bytes_per_run: None,
        }
    }

    fn runs(&self) -> u64 {
        if !self.events {
            return self.max;
        }
        match self.bytes_per_run {
            None => Self::PROBE.min(self.max),
            Some(b) => (EventsSpool::MEMORY as u64 * 3 / 4 / b.max(1)).clamp(1, self.max),
        }
    }

    /// A delivered task of `runs` runs recorded `bytes` bytes of rows.
    fn learn(&mut self, runs: u64, bytes: u64) {
        if runs > 0 {
            self.bytes_per_run = Some(bytes.div_ceil(runs));
        }
    }
}

/// Cuts the jobs into tasks of at most `task_runs` runs, in order.
struct TaskSource<'a, F: Fn(usize) -> Result<Job>> {
    jobs: usize,
    make: &'a F,
    /// Whether tasks record events, and write text cells raw.
    events: bool,
    raw: bool,
    next_job: usize,
    /// The job being cut: its index, itself, its formats and its next run.
    current: Option<(usize, Arc<Job>, Arc<Formats>, u64)>,
}

impl<F: Fn(usize) -> Result<Job>> TaskSource<'_, F> {
    /// The next task, at most `runs` runs long.
    fn next_task(&mut self, runs: u64) -> Result<Option<Task>> {
        loop {
            if let Some((idx, job, formats, next)) = self.current.as_mut() {
                if *next < job.runs {
                    let end = (*next + runs).min(job.runs);
                    let task = Task {
                        job: *idx,
                        spec: Arc::clone(job),
                        formats: Arc::clone(formats),
                        start: *next,
                        end,
                    };
                    *next = end;
                    return Ok(Some(task));
                }
            }
            if self.next_job >= self.jobs {
                return Ok(None);
            }
            let job = Arc::new((self.make)(self.next_job)?);
            let formats = Arc::new(Formats::new(&job.model, self.events, self.raw));
            let idx = self.next_job;
            self.next_job += 1;
            if job.runs == 0 {
                // An empty task keeps the job's place in the order.
                self.current = None;
                return Ok(Some(Task {
                    job: idx,
                    spec: job,
                    formats,
                    start: 0,
                    end: 0,
                }));
            }
            self.current = Some((idx, job, formats, 0));
        }
    }
}

/// Hands finished tasks to the sink in order and keeps the summaries.
#[derive(Default)]
struct Delivery {
    total: Summary,
    partial: BTreeMap<usize, Summary>,
    done_runs: u64,
}

impl Delivery {
    fn deliver(&mut self, task: &Task, out: Result<TaskOut>, sink: &mut dyn Sink) -> Result<()> {
        let out = out?;
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
        Ok(())
    }
}

fn run_task(t: &Task, cancel: &AtomicBool, stop: &AtomicBool) -> Result<TaskOut> {
    let job = &t.spec;
    let mut runner = Runner::new(&job.model, job.seed);
    let fmt = &t.formats.runs;
    let spool = t
        .formats
        .events()
        .map(|efmt| Arc::new(Mutex::new(EventsSpool::new(efmt, job.prefix.clone()))));
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
        if cancel.load(Ordering::Relaxed) || stop.load(Ordering::Relaxed) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSource;

    /// Keeps what the driver delivers, and fails on a chosen delivery.
    #[derive(Default)]
    struct Keep {
        runs: Vec<u8>,
        jobs_done: Vec<usize>,
        calls: usize,
        fail_at: Option<usize>,
    }

    impl Sink for Keep {
        fn runs(&mut self, bytes: &[u8]) -> Result<()> {
            self.calls += 1;
            if Some(self.calls) == self.fail_at {
                return Err(Error::new(ErrorKind::Other("full disk".into())));
            }
            self.runs.extend_from_slice(bytes);
            Ok(())
        }
        fn job_done(&mut self, job: usize, _summary: &Summary) -> Result<()> {
            self.jobs_done.push(job);
            Ok(())
        }
    }

    /// Jobs of uneven size (some empty), each with its own prefix.
    fn jobs() -> impl Fn(usize) -> Result<Job> {
        let src = ScenarioSource::from_path("scenarios/textbook/fearon.toml", &[]).unwrap();
        let model = Model::compile(&src.scenario);
        move |i| {
            Ok(Job {
                model: model.clone(),
                seed: 7 + i as u64,
                runs: [13, 0, 40, 1, 0, 27][i % 6],
                prefix: format!("{i},").into_bytes(),
            })
        }
    }

    #[test]
    fn tasks_finishing_out_of_order_are_delivered_in_order() {
        let mut reference = None;
        for threads in [1, 2, 3] {
            let mut driver = Driver::new(threads).unwrap();
            driver.task_runs = 3;
            let mut sink = Keep::default();
            let summary = driver
                .run(18, jobs(), &mut sink, &AtomicBool::new(false))
                .unwrap();
            assert_eq!(sink.jobs_done, (0..18).collect::<Vec<_>>());
            let rows = sink.runs.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(rows, 3 * (13 + 40 + 1 + 27));
            assert_eq!(summary.all.count, rows as u64);
            match &reference {
                None => reference = Some(sink.runs),
                Some(r) => assert!(r == &sink.runs, "{threads} threads"),
            }
        }
    }

    #[test]
    fn tasks_with_events_are_sized_to_fit_the_spools_memory() {
        let plain = TaskSizer::new(256, false);
        assert_eq!(plain.runs(), 256);
        let mut s = TaskSizer::new(256, true);
        assert_eq!(s.runs(), TaskSizer::PROBE);
        // A founding run's 23 KB of rows: 34 runs fill three quarters of a megabyte.
        s.learn(16, 16 * 23_000);
        assert_eq!(s.runs(), 34);
        assert!(s.runs() * 23_000 <= EventsSpool::MEMORY as u64);
        // Rows larger than the memory: one run a task; few rows: the most.
        s.learn(2, 4 * EventsSpool::MEMORY as u64);
        assert_eq!(s.runs(), 1);
        s.learn(100, 100);
        assert_eq!(s.runs(), 256);
        // An empty task teaches nothing.
        s.learn(0, 0);
        assert_eq!(s.runs(), 256);
        assert_eq!(TaskSizer::new(0, true).runs(), 1);
    }

    #[test]
    fn a_failing_sink_stops_the_run_with_its_error() {
        let mut driver = Driver::new(2).unwrap();
        driver.task_runs = 2;
        let mut sink = Keep {
            fail_at: Some(5),
            ..Keep::default()
        };
        let err = driver
            .run(60, jobs(), &mut sink, &AtomicBool::new(false))
            .unwrap_err();
        assert!(err.to_string().contains("full disk"), "{err}");
        assert_eq!(sink.calls, 5);
    }

    #[test]
    fn a_set_cancel_flag_interrupts() {
        let driver = Driver::new(2).unwrap();
        let mut sink = Keep::default();
        let err = driver
            .run(6, jobs(), &mut sink, &AtomicBool::new(true))
            .unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Interrupted), "{err}");
    }
}
