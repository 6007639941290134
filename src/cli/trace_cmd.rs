//! `negsim trace`: one run told meeting by meeting, for teaching and debugging.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use super::parse_overrides;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Model, Outcome, Runner, TraceKind};
use crate::scenario::ScenarioSource;
use crate::time::Date;

/// `negsim trace`.
#[derive(Debug, Args, Clone, PartialEq)]
pub struct TraceArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Which run to replay (its row in the runs CSV).
    #[arg(long, default_value_t = 0)]
    pub run: u64,
    /// Master seed (default: the scenario's, else 0).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override a scenario value by path.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

pub(super) fn trace(args: &TraceArgs) -> Result<()> {
    let overrides = parse_overrides(&args.set)?;
    let source = ScenarioSource::from_path(&args.scenario, &overrides)?;
    let model = Model::compile(&source.scenario);
    let seed = args.seed.unwrap_or(model.default_seed);
    let mut runner = Runner::new(&model, seed);
    runner.set_trace(true);
    runner.run(args.run).map_err(|source| {
        Error::new(ErrorKind::Engine {
            run: args.run,
            source,
        })
    })?;
    print!("{}", narrate(&model, &runner, seed, args.run));
    Ok(())
}

/// The narrated trace of the runner's last run.
pub fn narrate(model: &Model, runner: &Runner<'_>, seed: u64, run: u64) -> String {
    let trace = runner.trace();
    let mut s = String::new();
    let _ = writeln!(s, "{}: run {run}, seed {seed}", model.name);
    let party = |p: Option<usize>| p.map_or("-".to_string(), |p| model.parties[p].id.clone());
    let fmt_offer = |o: Option<&[f64]>| -> String {
        o.map(|o| {
            model
                .issues
                .iter()
                .zip(o)
                .map(|(i, v)| format!("{}={:.3}", i.id, v))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
    };
    let val = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3}"));
    for row in &trace.rows {
        let date =
            Date::from_days_since_epoch(model.start.days_since_epoch() + row.day.floor() as i64);
        let meeting = row
            .meeting
            .map_or(String::new(), |m| model.meetings[m].id.clone());
        let line = match row.kind {
            TraceKind::MeetingStart => format!("{meeting} opens"),
            TraceKind::Offer => format!(
                "  round {}: {} puts forward {} (its utility {})",
                row.round.unwrap_or(0) + 1,
                party(row.party),
                fmt_offer(trace.offer_of(row)),
                val(row.value)
            ),
            TraceKind::Accept | TraceKind::Reject => format!(
                "  {} {}s (its utility {})",
                party(row.party),
                row.kind,
                val(row.value)
            ),
            TraceKind::Agreement => {
                format!("{meeting}: agreement: {}", fmt_offer(trace.offer_of(row)))
            }
            TraceKind::PartialAgreement => {
                format!(
                    "{meeting}: partial agreement; settlement so far {}",
                    fmt_offer(trace.offer_of(row))
                )
            }
            TraceKind::Process => format!(
                "{meeting}: no deal yet, follow-up meeting on day {}",
                val(row.value)
            ),
            TraceKind::Deadlock => format!("{meeting}: deadlock"),
            TraceKind::Walkout => format!(
                "{meeting}: {} walks out (its value of no deal {})",
                party(row.party),
                val(row.value)
            ),
            TraceKind::ThreatTriggered | TraceKind::ThreatExecuted | TraceKind::ThreatDeclined => {
                let t = row.subject.map_or("?", |t| model.threats[t].id.as_str());
                let what = match row.kind {
                    TraceKind::ThreatTriggered => "is triggered",
                    TraceKind::ThreatExecuted => "is carried out",
                    _ => "is not carried out",
                };
                format!("threat {t} by {} {what}", party(row.party))
            }
            TraceKind::Escalation => format!("{} escalates to armed conflict", party(row.party)),
            TraceKind::Exogenous => {
                format!(
                    "event {}",
                    row.subject.map_or("?", |e| model.events[e].id.as_str())
                )
            }
            TraceKind::End => format!(
                "outcome: {}",
                Outcome::ALL[row.value.unwrap_or(0.0) as usize]
            ),
        };
        let _ = writeln!(s, "day {:>6.2} {date}  {line}", row.day);
    }
    s
}
