//! Outcome shares: a bar per outcome with its 95% Wilson interval.

use plotters::prelude::*;

use super::{draw, outcome_colour, pct, Chart, LABEL, TITLE, WIDTH};
use crate::error::Result;
use crate::model::Outcome;
use crate::output::wilson_interval;
use crate::report::tally::Tally;

/// The chart of `t`'s outcome shares.
pub fn chart(t: &Tally) -> Result<Chart> {
    let rows: Vec<(Outcome, f64, f64, f64)> = Outcome::ALL
        .iter()
        .map(|&o| {
            let k = t.counts[o.index()];
            let (lo, hi) = wilson_interval(k, t.runs);
            (o, t.share(o), lo, hi)
        })
        .collect();
    let desc = format!(
        "Share of {} runs ending in each outcome, with 95% Wilson intervals: {}.",
        t.runs,
        rows.iter()
            .map(|(o, s, lo, hi)| format!("{o} {} [{}, {}]", pct(*s), pct(*lo), pct(*hi)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let n = rows.len() as u32;
    draw((WIDTH, 330), "Outcome shares".into(), desc, |root| {
        let mut c = ChartBuilder::on(root)
            .caption(
                format!("Outcome shares over {} runs, with 95% intervals", t.runs),
                TITLE,
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(130)
            .build_cartesian_2d(0f64..100f64, (0u32..n - 1).into_segmented())?;
        c.configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .x_labels(11)
            .x_label_formatter(&|x| format!("{x:.0}%"))
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => rows
                    .get(*i as usize)
                    .map_or(String::new(), |r| r.0.as_str().to_string()),
                _ => String::new(),
            })
            .x_desc("share of runs (bar), 95% interval (line)")
            .label_style(LABEL)
            .axis_desc_style(LABEL)
            .draw()?;
        for (i, &(o, s, lo, hi)) in rows.iter().enumerate() {
            let i = i as u32;
            let colour = outcome_colour(o);
            c.draw_series(std::iter::once(Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (100.0 * s, SegmentValue::Exact(i + 1)),
                ],
                colour.mix(0.75).filled(),
            )))?;
            let mid = SegmentValue::CenterOf(i);
            let whisker = BLACK.stroke_width(2);
            c.draw_series(std::iter::once(PathElement::new(
                vec![(100.0 * lo, mid.clone()), (100.0 * hi, mid.clone())],
                whisker,
            )))?;
            let label = format!("{} [{}, {}]", pct(s), pct(lo), pct(hi));
            let at = if s > 0.6 {
                100.0 * lo - 1.0
            } else {
                100.0 * hi + 1.0
            };
            let anchor = if s > 0.6 {
                plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Right,
                    plotters::style::text_anchor::VPos::Center,
                )
            } else {
                plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Left,
                    plotters::style::text_anchor::VPos::Center,
                )
            };
            c.draw_series(std::iter::once(Text::new(
                label,
                (at, SegmentValue::CenterOf(i)),
                LABEL.into_font().color(&BLACK).pos(anchor),
            )))?;
        }
        Ok(())
    })
}
