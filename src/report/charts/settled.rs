//! The distribution of settled values: for each issue some run settled, how
//! many runs settled it in each fiftieth of its scale.

use plotters::prelude::*;

use super::{clean, draw, Chart, LABEL, TITLE, WIDTH};
use crate::error::Result;
use crate::model::Model;
use crate::report::tally::{Tally, VALUE_BINS};

/// The chart of the settled values of every issue some run settled, or
/// `None` when no run settled any.
pub fn chart(model: &Model, t: &Tally) -> Result<Option<Chart>> {
    let issues: Vec<usize> = (0..model.issues.len())
        .filter(|&i| t.settled_runs.get(i).copied().unwrap_or(0) > 0)
        .collect();
    if issues.is_empty() {
        return Ok(None);
    }
    let width = 1.0 / VALUE_BINS as f64;
    let mut desc = String::from("Settled values by issue. ");
    for &i in &issues {
        let bins = &t.settled[i];
        let (mode, _) = bins
            .iter()
            .enumerate()
            .max_by_key(|(k, &n)| (n, std::cmp::Reverse(*k)))
            .unwrap_or((0, &0));
        desc.push_str(&format!(
            "{}: settled in {} of {} runs, most often between {:.2} and {:.2}. ",
            model.issues[i].id,
            t.settled_runs[i],
            t.runs,
            mode as f64 * width,
            (mode + 1) as f64 * width
        ));
    }
    let panel = 190u32;
    let height = 40 + panel * issues.len() as u32;
    let chart = draw((WIDTH, height), "Settled values".into(), desc, |root| {
        let (top, rest) = root.split_vertically(40);
        top.titled("Settled values (runs settling each issue, by value)", TITLE)?;
        for (area, &i) in rest.split_evenly((issues.len(), 1)).iter().zip(&issues) {
            let def = &model.issues[i];
            let bins = &t.settled[i];
            let top_count = bins.iter().copied().max().unwrap_or(1).max(1) as f64;
            let ends = format!(
                "0 = {}, 1 = {}",
                clean(if def.low.is_empty() { "0" } else { &def.low }, 40),
                clean(if def.high.is_empty() { "1" } else { &def.high }, 40)
            );
            let mut c = ChartBuilder::on(area)
                .caption(
                    format!(
                        "{}: settled in {} of {} runs",
                        clean(&def.id, 40),
                        t.settled_runs[i],
                        t.runs
                    ),
                    LABEL,
                )
                .margin(8)
                .x_label_area_size(34)
                .y_label_area_size(56)
                .build_cartesian_2d(0f64..1f64, 0f64..top_count * 1.1)?;
            c.configure_mesh()
                .disable_x_mesh()
                .x_labels(11)
                .y_labels(4)
                .x_label_formatter(&|x| format!("{x:.1}"))
                .y_label_formatter(&|v| format!("{v:.0}"))
                .x_desc(ends)
                .y_desc("runs")
                .label_style(LABEL)
                .axis_desc_style(LABEL)
                .draw()?;
            c.draw_series(
                bins.iter()
                    .enumerate()
                    .filter(|(_, &n)| n > 0)
                    .map(|(k, &n)| {
                        let x = k as f64 * width;
                        Rectangle::new(
                            [(x, 0.0), (x + width, n as f64)],
                            RGBColor(31, 119, 180).filled(),
                        )
                    }),
            )?;
        }
        Ok(())
    })?;
    Ok(Some(chart))
}
