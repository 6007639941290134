//! When each outcome happened: for every outcome that did, how many runs
//! ended on each day, on a date axis, with the scheduled meetings marked.

use plotters::prelude::*;

use super::{clean, draw, outcome_colour, Chart, LABEL, TITLE, WIDTH};
use crate::error::Result;
use crate::model::Model;
use crate::narrate::date_of;
use crate::report::tally::Tally;

/// Short date for an axis: `10 Jan`.
fn short_date(model: &Model, day: f64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let d = date_of(model, day.max(0.0)).to_string();
    // `YYYY-MM-DD`
    let month: usize = d.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let dd: u32 = d.get(8..10).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{dd} {}", MONTHS[(month.max(1) - 1) % 12])
}

/// The chart of `t`'s end days by outcome, or `None` when no run was counted.
pub fn chart(model: &Model, t: &Tally) -> Result<Option<Chart>> {
    let happened = t.happened();
    if happened.is_empty() {
        return Ok(None);
    }
    let horizon = model.horizon.max(1.0);
    let mut desc = String::from("Runs ending on each day, by outcome. ");
    for &o in &happened {
        let q = |p| {
            t.day_quantile(o, p)
                .map_or("-".into(), |d| date_of(model, f64::from(d)).to_string())
        };
        desc.push_str(&format!(
            "{o}: {} runs, first {}, median {}, last {}. ",
            t.counts[o.index()],
            q(0.0),
            q(0.5),
            q(1.0)
        ));
    }
    let meetings: Vec<(f64, String)> = model
        .meetings
        .iter()
        .map(|m| (m.day, clean(&m.id, 16)))
        .collect();
    desc.push_str(&format!(
        "Scheduled meetings: {}.",
        meetings
            .iter()
            .map(|(d, id)| format!("{id} on {}", date_of(model, *d)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let panel = 170u32;
    let height = 40 + panel * happened.len() as u32;
    let chart =
        draw(
            (WIDTH, height),
            "When each outcome happened".into(),
            desc,
            |root| {
                let (top, rest) = root.split_vertically(40);
                top.titled(
                    "When each outcome happened (runs ending on each day)",
                    TITLE,
                )?;
                let panels = rest.split_evenly((happened.len(), 1));
                // Meeting names, those close together in one label (at the first).
                let mut labels: Vec<(f64, String)> = Vec::new();
                let mut sorted = meetings.clone();
                sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
                for (d, id) in sorted {
                    match labels.last_mut() {
                        Some((at, text)) if d - *at < horizon / 15.0 => {
                            text.push_str(", ");
                            text.push_str(&id);
                        }
                        _ => labels.push((d, id)),
                    }
                }
                for (area, &o) in panels.iter().zip(&happened) {
                    let days = &t.days[o.index()];
                    let top_count = days.iter().copied().max().unwrap_or(1).max(1) as f64;
                    let mut c = ChartBuilder::on(area)
                        .caption(
                            format!("{o}: {} runs", t.counts[o.index()]),
                            LABEL.into_font().color(&outcome_colour(o)),
                        )
                        .margin(8)
                        .x_label_area_size(28)
                        .y_label_area_size(56)
                        .build_cartesian_2d(0f64..horizon, 0f64..top_count * 1.1)?;
                    c.configure_mesh()
                        .disable_x_mesh()
                        .light_line_style(WHITE)
                        .x_labels(10)
                        .y_labels(4)
                        .x_label_formatter(&|d| short_date(model, *d))
                        .y_label_formatter(&|v| format!("{v:.0}"))
                        .y_desc("runs")
                        .label_style(LABEL)
                        .axis_desc_style(LABEL)
                        .draw()?;
                    for (d, _) in &meetings {
                        c.draw_series(std::iter::once(PathElement::new(
                            vec![(*d, 0.0), (*d, top_count * 1.1)],
                            RGBColor(150, 150, 150).stroke_width(1),
                        )))?;
                    }
                    for (d, text) in &labels {
                        c.draw_series(std::iter::once(Text::new(
                            text.clone(),
                            (*d + 0.5, top_count * 1.08),
                            ("sans-serif", 11).into_font().color(&RGBColor(90, 90, 90)),
                        )))?;
                    }
                    let colour = outcome_colour(o);
                    c.draw_series(days.iter().enumerate().filter(|(_, &n)| n > 0).map(
                        |(d, &n)| {
                            let d = d as f64;
                            Rectangle::new([(d, 0.0), (d + 1.0, n as f64)], colour.filled())
                        },
                    ))?;
                }
                Ok(())
            },
        )?;
    Ok(Some(chart))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSource;

    #[test]
    fn axis_dates_are_short() {
        let src = ScenarioSource::from_path("scenarios/jan-2022-security-talks.toml", &[]).unwrap();
        let m = Model::compile(&src.scenario);
        assert_eq!(short_date(&m, 24.0), "10 Jan");
        assert_eq!(short_date(&m, 69.0), "24 Feb");
    }
}
