//! The discrete-event core: a clock and a priority queue of timestamped events.
//!
//! The engine knows nothing about negotiation. A model implements [`Handler`];
//! the [`Simulation`] pops events in order of (time, priority, insertion
//! sequence) and hands each to the model, which may schedule more through the
//! [`Scheduler`]. A per-run cap on processed events turns a runaway scenario
//! into an [`EngineError`] rather than a hang.
//!
//! ```
//! use negsim::engine::{Flow, Handler, Scheduler, Simulation};
//! use negsim::time::Day;
//!
//! /// Counts down: each tick schedules the next one a day later.
//! struct Countdown(u32);
//! impl Handler for Countdown {
//!     type Event = ();
//!     fn handle(&mut self, _now: Day, _ev: (), sched: &mut Scheduler<()>) -> Flow {
//!         self.0 -= 1;
//!         if self.0 == 0 { return Flow::Stop; }
//!         sched.schedule_in(1.0, 0, ());
//!         Flow::Continue
//!     }
//! }
//! let mut sim = Simulation::new(Countdown(3), 100);
//! sim.scheduler_mut().schedule(Day(0.0), 0, ());
//! let end = sim.run_until(Day(10.0)).unwrap();
//! assert_eq!(end.get(), 2.0);
//! ```

mod queue;

pub use queue::{EventQueue, Scheduled};

use crate::time::Day;

/// What a handler tells the engine after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep processing events.
    Continue,
    /// The run is over (a terminal outcome was reached).
    Stop,
    /// The event was stale (superseded by a later decision) and did nothing:
    /// it does not count toward the event cap nor as the last event handled.
    Skip,
}

/// A model plugged into the engine.
pub trait Handler {
    /// The model's event type.
    type Event;
    /// Handles one event at time `now`; may schedule further events.
    fn handle(&mut self, now: Day, event: Self::Event, sched: &mut Scheduler<Self::Event>) -> Flow;
}

/// The engine's failure: only a runaway run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("run exceeded the cap of {cap} events (rounds of talks included) at {at}; the scenario schedules events without end (raise [simulation] max_events if this is intended)")]
pub struct EngineError {
    /// The cap that was hit.
    pub cap: u64,
    /// Simulated time when it was hit.
    pub at: Day,
}

/// The view of the queue a handler gets: the clock and scheduling.
#[derive(Debug)]
pub struct Scheduler<E> {
    queue: EventQueue<E>,
    now: Day,
    /// Work done this run: events processed plus units charged by handlers.
    spent: u64,
    cap: u64,
}

impl<E> Scheduler<E> {
    /// Current simulated time.
    pub fn now(&self) -> Day {
        self.now
    }

    /// Schedules `event` at absolute time `at` (never before now).
    pub fn schedule(&mut self, at: Day, priority: i32, event: E) {
        let at = if at.get() < self.now.get() {
            self.now
        } else {
            at
        };
        self.queue.push(at, priority, event);
    }

    /// Schedules `event` `delay` days from now.
    pub fn schedule_in(&mut self, delay: f64, priority: i32, event: E) {
        let at = self.now.after(delay.max(0.0));
        self.queue.push(at, priority, event);
    }

    /// Number of pending events.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Charges `units` of work done inside one event (steps a handler takes
    /// without scheduling them, such as the rounds of a meeting) against the
    /// run's cap. Returns false once the cap is exceeded: the handler should
    /// stop, and the engine then reports the run as a runaway.
    pub fn charge(&mut self, units: u64) -> bool {
        self.spent = self.spent.saturating_add(units);
        self.spent <= self.cap
    }
}

/// A model assembled with its queue, ready to run.
#[derive(Debug)]
pub struct Simulation<H: Handler> {
    handler: H,
    sched: Scheduler<H::Event>,
    max_events: u64,
    processed: u64,
    skipped: u64,
    last: Day,
}

impl<H: Handler> Simulation<H> {
    /// Assembles a simulation with a cap on events processed per run.
    pub fn new(handler: H, max_events: u64) -> Self {
        Simulation {
            handler,
            sched: Scheduler {
                queue: EventQueue::new(),
                now: Day::ZERO,
                spent: 0,
                cap: max_events,
            },
            max_events,
            processed: 0,
            skipped: 0,
            last: Day::ZERO,
        }
    }

    /// The model.
    pub fn handler(&self) -> &H {
        &self.handler
    }

    /// The model, mutably (to reset it between runs).
    pub fn handler_mut(&mut self) -> &mut H {
        &mut self.handler
    }

    /// The scheduler, to seed the initial events.
    pub fn scheduler_mut(&mut self) -> &mut Scheduler<H::Event> {
        &mut self.sched
    }

    /// Both at once: the model and the scheduler.
    pub fn parts_mut(&mut self) -> (&mut H, &mut Scheduler<H::Event>) {
        (&mut self.handler, &mut self.sched)
    }

    /// Clears the queue and the clock, keeping allocations for the next run.
    pub fn reset(&mut self) {
        self.sched.queue.clear();
        self.sched.now = Day::ZERO;
        self.sched.spent = 0;
        self.processed = 0;
        self.skipped = 0;
        self.last = Day::ZERO;
    }

    /// Events processed since the last reset (skipped ones not counted).
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Processes the next event if it falls at or before `deadline`.
    /// Returns `Ok(None)` when nothing is left to do before the deadline.
    pub fn step_until(&mut self, deadline: Day) -> Result<Option<Flow>, EngineError> {
        match self.sched.queue.peek_time() {
            Some(t) if t.get() <= deadline.get() => {}
            _ => return Ok(None),
        }
        let Some(Scheduled { at, event, .. }) = self.sched.queue.pop() else {
            return Ok(None);
        };
        self.sched.now = at;
        let flow = self.handler.handle(at, event, &mut self.sched);
        if flow == Flow::Skip {
            self.skipped += 1;
        } else {
            self.processed += 1;
            self.sched.spent = self.sched.spent.saturating_add(1);
            self.last = at;
        }
        // More than the cap of real events and charged work, or a flood of
        // stale events, is a runaway scenario.
        if self.sched.spent > self.max_events || self.skipped > self.max_events.saturating_mul(100)
        {
            return Err(EngineError {
                cap: self.max_events,
                at,
            });
        }
        Ok(Some(flow))
    }

    /// Runs until the handler stops, the queue empties, or the next event
    /// lies past `deadline`. Returns the time of the last event handled
    /// (skipped events aside), or the start if none was.
    pub fn run_until(&mut self, deadline: Day) -> Result<Day, EngineError> {
        while let Some(flow) = self.step_until(deadline)? {
            if flow == Flow::Stop {
                break;
            }
        }
        Ok(self.last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Log(Vec<(f64, &'static str)>);
    impl Handler for Log {
        type Event = &'static str;
        fn handle(
            &mut self,
            now: Day,
            ev: &'static str,
            sched: &mut Scheduler<&'static str>,
        ) -> Flow {
            self.0.push((now.get(), ev));
            if ev == "spawn" {
                sched.schedule_in(0.0, 5, "child-low");
                sched.schedule_in(0.0, -5, "child-high");
            }
            if ev == "stop" {
                return Flow::Stop;
            }
            Flow::Continue
        }
    }

    #[test]
    fn orders_by_time_priority_then_insertion() {
        let mut sim = Simulation::new(Log(vec![]), 100);
        let s = sim.scheduler_mut();
        s.schedule(Day(2.0), 0, "c");
        s.schedule(Day(1.0), 1, "b2");
        s.schedule(Day(1.0), 0, "a");
        s.schedule(Day(1.0), 1, "b3");
        s.schedule(Day(1.5), 0, "spawn");
        sim.run_until(Day(10.0)).unwrap();
        let names: Vec<_> = sim.handler().0.iter().map(|e| e.1).collect();
        assert_eq!(
            names,
            ["a", "b2", "b3", "spawn", "child-high", "child-low", "c"]
        );
    }

    #[test]
    fn stops_and_respects_deadline() {
        let mut sim = Simulation::new(Log(vec![]), 100);
        let s = sim.scheduler_mut();
        s.schedule(Day(1.0), 0, "x");
        s.schedule(Day(3.0), 0, "stop");
        s.schedule(Day(4.0), 0, "never");
        assert_eq!(sim.run_until(Day(2.0)).unwrap(), Day(1.0));
        assert_eq!(sim.run_until(Day(10.0)).unwrap(), Day(3.0));
        assert_eq!(sim.handler().0.len(), 2);
    }

    /// Every other event is stale and skipped.
    struct Stale(u32);
    impl Handler for Stale {
        type Event = u32;
        fn handle(&mut self, _: Day, ev: u32, _: &mut Scheduler<u32>) -> Flow {
            self.0 += 1;
            if ev % 2 == 1 {
                Flow::Skip
            } else {
                Flow::Continue
            }
        }
    }

    #[test]
    fn skipped_events_neither_count_nor_mark_the_end() {
        let mut sim = Simulation::new(Stale(0), 5);
        for k in 0..10u32 {
            sim.scheduler_mut().schedule(Day(f64::from(k)), 0, k);
        }
        // Five real events fit under a cap of five; the skipped ones are free.
        let last = sim.run_until(Day(100.0)).unwrap();
        assert_eq!(sim.processed(), 5);
        assert_eq!(sim.handler().0, 10);
        assert_eq!(
            last,
            Day(8.0),
            "the last event handled, not the stale one at 9"
        );
    }

    struct Runaway;
    impl Handler for Runaway {
        type Event = ();
        fn handle(&mut self, _: Day, _: (), sched: &mut Scheduler<()>) -> Flow {
            sched.schedule_in(0.0, 0, ());
            Flow::Continue
        }
    }

    /// One event that works in a loop, charging each step.
    struct Looper(u64);
    impl Handler for Looper {
        type Event = ();
        fn handle(&mut self, _: Day, _: (), sched: &mut Scheduler<()>) -> Flow {
            loop {
                self.0 += 1;
                if !sched.charge(1) {
                    return Flow::Stop;
                }
            }
        }
    }

    #[test]
    fn charged_work_counts_toward_the_cap() {
        let mut sim = Simulation::new(Looper(0), 20);
        sim.scheduler_mut().schedule(Day(0.0), 0, ());
        let err = sim.run_until(Day(1.0)).unwrap_err();
        assert_eq!(err.cap, 20);
        assert_eq!(sim.handler().0, 21, "the step past the cap is refused");
    }

    #[test]
    fn runaway_hits_the_cap() {
        let mut sim = Simulation::new(Runaway, 50);
        sim.scheduler_mut().schedule(Day(0.0), 0, ());
        let err = sim.run_until(Day(1.0)).unwrap_err();
        assert_eq!(err.cap, 50);
        assert!(err.to_string().contains("max_events"));
        sim.reset();
        assert_eq!(sim.processed(), 0);
        assert_eq!(sim.scheduler_mut().pending(), 0);
    }
}
