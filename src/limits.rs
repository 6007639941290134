//! Ceilings on the work that a scenario file or a flag can ask for, checked
//! before anything is allocated or run, and raised on purpose with
//! `--limit NAME=N`.
//!
//! A scenario file may come from a stranger: every size it controls (runs,
//! events per run, rounds, follow-ups, horizon, rates, sweep designs, the
//! file itself) has a ceiling here, so that no file can make negsim allocate
//! without bound or run for days. The defaults sit far above any published
//! scenario and are listed in `docs/scenario-format.md`, section "Limits".
//!
//! ```
//! use negsim::limits::Limits;
//!
//! let mut limits = Limits::default();
//! assert_eq!(limits.runs, 1_000_000_000);
//! limits.raise("runs=5000000000").unwrap();
//! assert_eq!(limits.runs, 5_000_000_000);
//! assert!(limits.raise("runz=1").unwrap_err().to_string().contains("did you mean `runs`"));
//! ```

use crate::error::{suggest, Error, Result};

/// The ceilings in force.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Bytes of a scenario file (or a sweep file), checked before parsing.
    pub scenario_bytes: u64,
    /// Runs of one command: `--runs` and `[simulation] runs` for `run`; points
    /// times runs per point for `sweep`.
    pub runs: u64,
    /// `[simulation] max_events`, the engine's cap on events per run.
    pub max_events: u64,
    /// `follow_up.max` of one meeting.
    pub follow_ups: u64,
    /// Rounds one run can hold: the sum over meetings of `rounds` times
    /// (1 + `follow_up.max`).
    pub rounds_per_run: u64,
    /// Days from `[simulation] start` to `end`.
    pub horizon_days: u64,
    /// The highest rate (occurrences per day) of a random event, over its
    /// whole distribution.
    pub rate: u64,
    /// Values of a sweep design: points times varied keys (also the count
    /// of one `LO..HI:N` factor).
    pub design_values: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            scenario_bytes: 8 << 20,
            runs: 1_000_000_000,
            max_events: 10_000_000,
            follow_ups: 1_000,
            rounds_per_run: 100_000,
            horizon_days: 36_600,
            rate: 1_000,
            design_values: 1 << 22,
        }
    }
}

/// Worker threads per core beyond which more threads only add overhead;
/// `--threads` above it (or above the number of runs) is clamped with a note.
pub const THREADS_PER_CORE: usize = 4;

impl Limits {
    /// The names `--limit` takes, in the order of the docs.
    pub const NAMES: [&'static str; 8] = [
        "scenario_bytes",
        "runs",
        "max_events",
        "follow_ups",
        "rounds_per_run",
        "horizon_days",
        "rate",
        "design_values",
    ];

    fn slot(&mut self, name: &str) -> Option<&mut u64> {
        Some(match name {
            "scenario_bytes" => &mut self.scenario_bytes,
            "runs" => &mut self.runs,
            "max_events" => &mut self.max_events,
            "follow_ups" => &mut self.follow_ups,
            "rounds_per_run" => &mut self.rounds_per_run,
            "horizon_days" => &mut self.horizon_days,
            "rate" => &mut self.rate,
            "design_values" => &mut self.design_values,
            _ => return None,
        })
    }

    /// The value of the limit `name`, if there is one by that name.
    pub fn get(&self, name: &str) -> Option<u64> {
        let mut copy = *self;
        copy.slot(name).map(|v| *v)
    }

    /// Sets one limit from `NAME=N` (the text of `--limit`).
    ///
    /// # Errors
    /// A usage error for an unknown name (with a suggestion), or a value
    /// that is not a whole number of at least 1.
    pub fn raise(&mut self, setting: &str) -> Result<()> {
        let Some((name, value)) = setting.split_once('=') else {
            return Err(Error::usage(format!(
                "--limit {setting}: expected NAME=N, e.g. --limit runs=5000000000; names: {}",
                Self::NAMES.join(", ")
            )));
        };
        let name = name.trim();
        let value = value.trim().replace('_', "");
        let parsed: u64 = value.parse().map_err(|e| {
            Error::usage(format!(
                "--limit {setting}: `{value}` is not a whole number; expected e.g. --limit {name}=1000000"
            ))
            .with_source(e)
        })?;
        if parsed == 0 {
            return Err(Error::usage(format!(
                "--limit {setting}: a limit must be at least 1"
            )));
        }
        match self.slot(name) {
            Some(slot) => {
                *slot = parsed;
                Ok(())
            }
            None => {
                let hint = suggest(name, Self::NAMES)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                Err(Error::usage(format!(
                    "--limit {setting}: no limit named `{name}`; expected one of: {}{hint}",
                    Self::NAMES.join(", ")
                )))
            }
        }
    }

    /// The limits with every `--limit NAME=N` applied in order.
    ///
    /// # Errors
    /// The first setting [`Limits::raise`] refuses.
    pub fn from_settings(settings: &[String]) -> Result<Self> {
        let mut l = Limits::default();
        for s in settings {
            l.raise(s)?;
        }
        Ok(l)
    }

    /// The message for `value` above the limit `name`: what, the limit and
    /// how to raise it.
    pub fn exceeded(name: &str, value: impl std::fmt::Display, limit: u64) -> String {
        format!(
            "{value} is above the limit of {limit} ({name}); use a smaller value, or raise \
             the limit on purpose with --limit {name}=N"
        )
    }

    /// A usage error for `what` (a flag) at `value` above the limit `name`.
    pub fn usage_error(&self, what: &str, name: &str, value: u64) -> Error {
        let limit = self.get(name).unwrap_or(0);
        Error::usage(format!("{what}: {}", Self::exceeded(name, value, limit)))
    }
}

/// The worker threads to use for `requested` threads (0: one per core) and
/// `runs` runs, with a note when an explicit request was clamped.
pub fn clamp_threads(requested: usize, runs: u64) -> (usize, Option<String>) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let ceiling = cores * THREADS_PER_CORE;
    let by_runs = usize::try_from(runs).unwrap_or(usize::MAX).max(1);
    if requested == 0 {
        return (cores.min(by_runs), None);
    }
    let used = requested.min(ceiling).min(by_runs);
    if used == requested {
        return (used, None);
    }
    let why = if used == by_runs && by_runs < ceiling {
        format!("there are only {runs} runs")
    } else {
        format!("{THREADS_PER_CORE} per core on {cores} cores")
    };
    (
        used,
        Some(format!(
            "note: --threads {requested} clamped to {used} ({why})"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_and_sets_its_own_limit() {
        for (k, name) in Limits::NAMES.iter().enumerate() {
            let mut l = Limits::default();
            l.raise(&format!("{name}={}", 1000 + k)).unwrap();
            assert_eq!(l.get(name), Some(1000 + k as u64), "{name}");
            let others = Limits::NAMES.iter().filter(|n| *n != name);
            for other in others {
                assert_eq!(
                    l.get(other),
                    Limits::default().get(other),
                    "{name} moved {other}"
                );
            }
        }
    }

    #[test]
    fn bad_settings_are_usage_errors() {
        for bad in ["runs", "runs=0", "runs=-1", "runs=lots", "rune=5"] {
            let e = Limits::from_settings(&[bad.to_string()]).unwrap_err();
            assert!(e.is_input_error(), "{bad}: {e}");
        }
        let e = Limits::from_settings(&["runs=x".into()]).unwrap_err();
        assert!(
            std::error::Error::source(&e).is_some(),
            "the parse error is kept"
        );
        assert_eq!(
            Limits::from_settings(&["runs=1_000".into()]).unwrap().runs,
            1000
        );
    }

    #[test]
    fn threads_are_clamped_with_a_note() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(clamp_threads(0, 1_000_000), (cores, None));
        assert_eq!(clamp_threads(1, 10), (1, None));
        let (t, note) = clamp_threads(100_000, 10);
        assert_eq!(t, 10.min(cores * THREADS_PER_CORE));
        assert!(note.unwrap().contains("--threads 100000 clamped to"));
        let (t, note) = clamp_threads(100_000, 1_000_000);
        assert_eq!(t, cores * THREADS_PER_CORE);
        assert!(note.unwrap().contains("per core"));
        assert_eq!(clamp_threads(3, 1).0, 1);
    }
}
