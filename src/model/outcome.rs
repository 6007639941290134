//! Terminal outcomes of a run and the per-run result record.

use std::fmt;

/// How a run ends. The order is the column order of summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// Every issue settled.
    Agreement,
    /// Some issues settled, talks over or at the horizon.
    PartialAgreement,
    /// Talks still going (an agreed process) at the horizon.
    Process,
    /// Talks ended without agreement, nothing else happened.
    Stalemate,
    /// Relations broken off (a breakdown threat carried out).
    Breakdown,
    /// Sanctions imposed and in force at the end.
    Sanctions,
    /// Armed conflict (a war started, or a conflict threat carried out).
    Conflict,
}

impl Outcome {
    /// Every outcome, in summary order.
    pub const ALL: [Outcome; 7] = [
        Outcome::Agreement,
        Outcome::PartialAgreement,
        Outcome::Process,
        Outcome::Stalemate,
        Outcome::Breakdown,
        Outcome::Sanctions,
        Outcome::Conflict,
    ];

    /// The name written to CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Agreement => "agreement",
            Outcome::PartialAgreement => "partial_agreement",
            Outcome::Process => "process",
            Outcome::Stalemate => "stalemate",
            Outcome::Breakdown => "breakdown",
            Outcome::Sanctions => "sanctions",
            Outcome::Conflict => "conflict",
        }
    }

    /// Parses a CSV name.
    pub fn from_name(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Index into [`Outcome::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one run produced: one row of the runs CSV.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunResult {
    /// Run index.
    pub run: u64,
    /// Terminal outcome.
    pub outcome: Option<Outcome>,
    /// Day the outcome was reached, in whole days since the start.
    pub end_day: u32,
    /// The same instant, exactly (fractional days since the start).
    pub end_time: f64,
    /// Meetings held.
    pub meetings: u32,
    /// Settled value per issue (None where not agreed).
    pub settled: Vec<Option<f64>>,
    /// Indices of the threats carried out, in order of execution.
    pub threats: Vec<usize>,
    /// Engine events processed.
    pub events: u64,
}

impl RunResult {
    /// The outcome (runs always end in one; `Stalemate` if unset).
    pub fn outcome(&self) -> Outcome {
        self.outcome.unwrap_or(Outcome::Stalemate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_scenario_format() {
        let names: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(names, crate::scenario::OUTCOME_NAMES);
    }
}
