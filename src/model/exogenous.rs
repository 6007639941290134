//! Exogenous events: scheduled or random (Poisson) shocks that change
//! parameters mid-run (`docs/model.md`, section 8). Each is a decision point.

use super::math::exponential;
use super::trace::TraceKind;
use super::values::Dirty;
use super::world::{Event, World, PRI_EXO};
use super::{EffectOp, Model};
use crate::engine::{Flow, Scheduler};
use crate::time::Day;

/// Applies event `e`'s effects to a parameter vector, clamped into each
/// parameter's range and snapped to its grid.
pub(crate) fn apply_effects(model: &Model, e: usize, values: &mut [f64]) {
    for &(slot, op) in &model.events[e].effects {
        let old = values[slot];
        let new = match op {
            EffectOp::Add(a) => old + a,
            EffectOp::Scale(s) => old * s,
            EffectOp::To(t) => t,
        };
        let param = &model.params[slot];
        values[slot] = super::snap_to_grid(param.bounds.clamp(new), param.grid);
    }
}

/// What event `e`'s effects reach among the derived values.
pub(crate) fn dirty_of(model: &Model, e: usize) -> Dirty {
    model.events[e]
        .effects
        .iter()
        .fold(Dirty::STATE, |d, &(slot, _)| {
            d.or(Dirty::of_slot(model, slot))
        })
}

/// The scheduled events by day (ties in file order), for projections.
pub(crate) fn scheduled(model: &Model) -> Vec<(f64, usize)> {
    let mut ahead: Vec<(f64, usize)> = model
        .events
        .iter()
        .enumerate()
        .filter_map(|(k, e)| e.day.map(|d| (d, k)))
        .collect();
    ahead.sort_by(|a, b| a.0.total_cmp(&b.0));
    ahead
}

impl World<'_> {
    /// Schedules every scheduled event and the first of each random one.
    pub(crate) fn schedule_exogenous(&mut self, sched: &mut Scheduler<Event>) {
        for (k, e) in self.model.events.iter().enumerate() {
            match (e.day, e.rate) {
                (Some(d), _) => {
                    sched.schedule(Day(d), PRI_EXO, Event::Exogenous { e: k, count: 0 })
                }
                (None, Some(rate)) => {
                    let rate = self.values[rate];
                    if rate > 0.0 && e.max > 0 {
                        let at = e.window.0 + exponential(&mut self.rng.exogenous, rate);
                        if at <= e.window.1 {
                            sched.schedule(Day(at), PRI_EXO, Event::Exogenous { e: k, count: 0 });
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Event `e` happens (its `count`-th time): its effects, the next
    /// occurrence of a random event, then a decision point.
    pub(crate) fn apply_exogenous(
        &mut self,
        now: f64,
        e: usize,
        count: u32,
        sched: &mut Scheduler<Event>,
    ) -> Flow {
        let model = self.model;
        apply_effects(model, e, &mut self.values);
        if model.events[e]
            .effects
            .iter()
            .any(|&(slot, _)| model.params[slot].shapes_offers)
        {
            self.invalidate_frontiers();
        }
        self.record(now, TraceKind::Exogenous, None, None, None, Some(e), None);
        let ev = &model.events[e];
        if let (None, Some(rate)) = (ev.day, ev.rate) {
            let rate = self.values[rate];
            if rate > 0.0 && count + 1 < ev.max {
                let at = now + exponential(&mut self.rng.exogenous, rate);
                if at <= ev.window.1 {
                    sched.schedule(
                        Day(at),
                        PRI_EXO,
                        Event::Exogenous {
                            e,
                            count: count + 1,
                        },
                    );
                }
            }
        }
        self.refresh(self.event_dirty[e]);
        self.decision_point(now, sched)
    }

    /// Projects the parameters to day `until`: the scheduled events between
    /// now and then applied in order (random ones cannot be foreseen).
    /// Returns what they reach, or None, touching nothing, when none falls
    /// in that window.
    pub(crate) fn project_params(&mut self, now: f64, until: f64) -> Option<Dirty> {
        let model = self.model;
        let mut dirty = None;
        for &(d, k) in &self.scheduled {
            if d > now && d <= until {
                if dirty.is_none() {
                    self.proj_params.copy_from_slice(&self.values);
                }
                apply_effects(model, k, &mut self.proj_params);
                dirty = Some(dirty.unwrap_or(Dirty::STATE).or(self.event_dirty[k]));
            }
        }
        dirty
    }
}
