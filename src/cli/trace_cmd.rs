//! `negsim trace`: one run told meeting by meeting, for teaching and debugging.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use super::{parse_overrides, print_out};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use crate::model::{Model, Outcome, Runner, TraceKind};
use crate::output::terminal_safe;
use crate::scenario::ScenarioSource;
use crate::time::Date;

/// `negsim trace`.
#[derive(Debug, Args, Clone, PartialEq)]
pub struct TraceArgs {
    /// Scenario file (TOML); `-` reads it from standard input.
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
    /// Also chart every offer on this issue, round by round, to show the
    /// positions converging (or not).
    #[arg(long, value_name = "ISSUE")]
    pub chart: Option<String>,
    /// Raise (or lower) a limit on purpose: `max_events=50000000` (see docs/scenario-format.md, "Limits").
    #[arg(long = "limit", value_name = "NAME=N")]
    pub limit: Vec<String>,
}

pub(super) fn trace(args: &TraceArgs) -> Result<()> {
    let limits = Limits::from_settings(&args.limit)?;
    let overrides = parse_overrides(&args.set)?;
    let source = ScenarioSource::from_path_within(&args.scenario, &overrides, &limits)?;
    let model = Model::compile(&source.scenario);
    let chart = match &args.chart {
        Some(id) => Some(
            model
                .issues
                .iter()
                .position(|i| &i.id == id)
                .ok_or_else(|| {
                    let ids: Vec<&str> = model.issues.iter().map(|i| i.id.as_str()).collect();
                    let hint = crate::error::suggest(id, ids.iter().copied())
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    Error::usage(format!(
                        "--chart {id}: no such issue; expected one of: {}{hint}",
                        ids.join(", ")
                    ))
                })?,
        ),
        None => None,
    };
    let seed = args.seed.unwrap_or(model.default_seed);
    let mut runner = Runner::new(&model, seed);
    runner.set_trace(true);
    runner.run(args.run).map_err(|source| {
        Error::new(ErrorKind::Engine {
            run: args.run,
            source,
        })
    })?;
    let mut text = narrate(&model, &runner, seed, args.run);
    if let Some(issue) = chart {
        text.push('\n');
        text.push_str(&chart_issue(&model, &runner, issue, args.run));
    }
    print_out(&text)
}

fn label<'a>(text: &'a str, fallback: &'a str) -> &'a str {
    if text.is_empty() {
        fallback
    } else {
        text
    }
}

/// Width of a chart line between its two ends.
const CHART_WIDTH: usize = 50;

/// Every offer and settlement on one issue as a row of text: where each
/// party stood, round by round, on the issue's 0..1 scale.
pub fn chart_issue(model: &Model, runner: &Runner<'_>, issue: usize, run: u64) -> String {
    let trace = runner.trace();
    let def = &model.issues[issue];
    let name_width = model
        .parties
        .iter()
        .map(|p| p.id.len())
        .max()
        .unwrap_or(0)
        .max("agreement".len());
    let pad = " ".repeat(2 + 2 + 1 + name_width + 1);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "offers on {} ({} = 0, {} = 1), run {run}:",
        def.id,
        terminal_safe(label(&def.low, "0")),
        terminal_safe(label(&def.high, "1"))
    );
    let _ = writeln!(s, "{pad}0{}1", " ".repeat(CHART_WIDTH));
    for row in &trace.rows {
        let who = match row.kind {
            TraceKind::MeetingStart => {
                if let Some(m) = row.meeting {
                    let _ = writeln!(s, "{} (day {:.1})", model.meetings[m].id, row.day);
                }
                continue;
            }
            TraceKind::Offer => row.party.map(|p| model.parties[p].id.as_str()),
            TraceKind::Agreement => Some("agreement"),
            _ => None,
        };
        let (Some(who), Some(offer)) = (who, trace.offer_of(row)) else {
            continue;
        };
        let x = offer[issue].clamp(0.0, 1.0);
        let at = (x * (CHART_WIDTH - 1) as f64).round() as usize;
        let mut bar: Vec<char> = vec![' '; CHART_WIDTH];
        bar[at] = '*';
        let round = row
            .round
            .map_or(String::from("  "), |r| format!("{:>2}", r + 1));
        let _ = writeln!(
            s,
            "  {round} {who:<name_width$} |{}| {x:.3}",
            bar.into_iter().collect::<String>()
        );
    }
    s
}

/// The narrated trace of the runner's last run.
pub fn narrate(model: &Model, runner: &Runner<'_>, seed: u64, run: u64) -> String {
    let trace = runner.trace();
    let mut s = String::new();
    let _ = writeln!(s, "{}: run {run}, seed {seed}", terminal_safe(&model.name));
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
            TraceKind::Seat => format!(
                "  {} takes its seat (its value of no deal {})",
                party(row.party),
                val(row.value)
            ),
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
            TraceKind::Decision => {
                let margin = row.value.unwrap_or(0.0);
                format!(
                    "{} weighs war against going on: war is worth {:.3} {} to it, so it {}",
                    party(row.party),
                    margin.abs(),
                    if margin > 0.0 { "more" } else { "less" },
                    if margin > 0.0 { "fights" } else { "goes on" }
                )
            }
            TraceKind::Escalation => format!(
                "{} starts a war ({}): armed conflict",
                party(row.party),
                row.subject.map_or("?", |c| model.conflicts[c].id.as_str())
            ),
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
