//! The runner: plays runs of one model, reusing every buffer between runs.

use super::streams::{master_generator, RunKey};
use super::trace::{Trace, TraceKind, TraceSink};
use super::world::World;
use super::{Model, RunResult};
use crate::engine::{EngineError, Simulation};
use crate::time::Day;

/// Runs one model repeatedly, reusing every buffer.
#[derive(Debug)]
pub struct Runner<'m> {
    sim: Simulation<World<'m>>,
    key: RunKey,
}

impl<'m> Runner<'m> {
    /// A runner for `model` with the master `seed`.
    pub fn new(model: &'m Model, seed: u64) -> Self {
        Runner {
            sim: Simulation::new(World::new(model), model.max_events),
            key: RunKey::new(&master_generator(seed), 0),
        }
    }

    /// Replaces the tactic of the party with id `party` for every later run
    /// (a library user's own [`Tactic`](super::Tactic)); `Err` names the
    /// parties when there is no such id.
    pub fn set_tactic(
        &mut self,
        party: &str,
        tactic: Box<dyn super::Tactic>,
    ) -> Result<(), String> {
        let world = self.sim.handler_mut();
        let model = world.model();
        match model.party_index(party) {
            Some(p) => {
                world.set_tactic(p, tactic);
                Ok(())
            }
            None => Err(format!(
                "no party `{party}`; expected one of: {}",
                model
                    .parties
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Turns trace recording on or off.
    pub fn set_trace(&mut self, on: bool) {
        self.sim.handler_mut().trace.enabled = on;
    }

    /// Streams the rows of every later run to `sink` as they are recorded,
    /// instead of buffering them (recording turns on), so that memory stays
    /// flat however long a run is; `None` turns streaming and recording off.
    /// Returns the sink that was installed, if any.
    pub fn set_trace_sink(
        &mut self,
        sink: Option<Box<dyn TraceSink>>,
    ) -> Option<Box<dyn TraceSink>> {
        let trace = &mut self.sim.handler_mut().trace;
        trace.enabled = sink.is_some();
        trace.set_sink(sink)
    }

    /// The last run's trace.
    pub fn trace(&self) -> &Trace {
        &self.sim.handler().trace
    }

    /// The world (after a run: its final state).
    pub fn world(&self) -> &World<'m> {
        self.sim.handler()
    }

    /// Plays run `r` to its end.
    pub fn run(&mut self, r: u64) -> Result<RunResult, EngineError> {
        let run = self.key.for_run(r);
        self.sim.reset();
        let (world, sched) = self.sim.parts_mut();
        world.reset(&run);
        world.schedule_initial(sched);
        let horizon = Day(world.model().horizon);
        self.sim.run_until(horizon)?;
        let events = self.sim.processed();
        let world = self.sim.handler_mut();
        let result = world.result(r, events);
        if world.trace.enabled {
            let o = result.outcome().index() as f64;
            world.trace.push(
                result.end_time,
                TraceKind::End,
                None,
                None,
                None,
                None,
                Some(o),
                None,
            );
        }
        Ok(result)
    }
}
