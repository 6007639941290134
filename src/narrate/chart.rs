//! ASCII charts of the offers on one issue, a line per offer, for showing
//! positions converging (or not) on a terminal or a projector.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::model::{Model, TraceKind, TraceRow};
use crate::output::terminal_safe;

/// Width of a chart line between its two ends.
const WIDTH: usize = 50;

/// The lines of one issue's chart, made row by row as a run streams.
#[derive(Debug, Clone)]
pub struct ChartLines {
    model: Arc<Model>,
    issue: usize,
    name_width: usize,
}

impl ChartLines {
    /// The chart of issue `issue` of `model`.
    pub fn new(model: Arc<Model>, issue: usize) -> Self {
        let name_width = model
            .parties
            .iter()
            .map(|p| p.id.len())
            .max()
            .unwrap_or(0)
            .max("agreement".len());
        ChartLines {
            model,
            issue,
            name_width,
        }
    }

    /// The title and the scale: which label each end has.
    pub fn header(&self, run: u64) -> String {
        let def = &self.model.issues[self.issue];
        // Labels are free text: escaped here, as the header has lines of its own.
        let end = |l: &str, n: &'static str| {
            if l.is_empty() {
                n.to_string()
            } else {
                terminal_safe(l).into_owned()
            }
        };
        let pad = " ".repeat(2 + 2 + 1 + self.name_width + 1);
        format!(
            "offers on {} ({} = 0, {} = 1), run {run}:\n{pad}0{}1\n",
            def.id,
            end(&def.low, "0"),
            end(&def.high, "1"),
            " ".repeat(WIDTH)
        )
    }

    /// The line for `row`, if it has one: a meeting's title, or a bar with
    /// the offer's (or the agreement's) value on the issue.
    pub fn line(&self, row: &TraceRow, offer: Option<&[f64]>) -> Option<String> {
        let who = match row.kind {
            TraceKind::MeetingStart => {
                let m = row.meeting?;
                return Some(format!(
                    "{} (day {:.1})\n",
                    self.model.meetings[m].id, row.day
                ));
            }
            TraceKind::Offer => row.party.map(|p| self.model.parties[p].id.as_str()),
            TraceKind::Agreement => Some("agreement"),
            _ => None,
        };
        let (who, offer) = (who?, offer?);
        let x = offer[self.issue].clamp(0.0, 1.0);
        let at = (x * (WIDTH - 1) as f64).round() as usize;
        let mut bar = vec![' '; WIDTH];
        bar[at] = '*';
        let round = row
            .round
            .map_or(String::from("  "), |r| format!("{:>2}", r + 1));
        let mut s = String::new();
        let _ = writeln!(
            s,
            "  {round} {who:<w$} |{}| {x:.3}",
            bar.into_iter().collect::<String>(),
            w = self.name_width
        );
        Some(s)
    }
}
