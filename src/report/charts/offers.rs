//! Every party's offers on one issue, meeting by meeting, for a few sample
//! runs: a panel per run, the offers in the order they were made, a line
//! per party within each meeting, and the settlement when one was reached.

use plotters::prelude::*;

use super::{clean, draw, legend, party_colour, Chart, LABEL, TITLE, WIDTH};
use crate::error::Result;
use crate::model::Model;
use crate::narrate::date_of;
use crate::report::samples::Sample;

/// Who made an offer, for the legend: a party, or the table's own text.
fn who(model: &Model, party: Option<usize>) -> String {
    party.map_or_else(
        || "the table's text".to_string(),
        |p| clean(&model.parties[p].id, 24),
    )
}

/// The chart of the offers on issue `issue` in `samples`, or `None` when no
/// sample put an offer on it.
pub fn chart(model: &Model, issue: usize, samples: &[Sample]) -> Result<Option<Chart>> {
    let on_issue = |s: &Sample| {
        s.meetings
            .iter()
            .filter(|h| model.meetings[h.meeting].agenda.contains(&issue))
            .count()
    };
    let shown: Vec<&Sample> = samples.iter().filter(|s| on_issue(s) > 0).collect();
    if shown.is_empty() {
        return Ok(None);
    }
    let def = &model.issues[issue];
    let mut desc = format!(
        "Offers on {} (0 = {}, 1 = {}) in {} sample runs. ",
        def.id,
        if def.low.is_empty() { "0" } else { &def.low },
        if def.high.is_empty() { "1" } else { &def.high },
        shown.len()
    );
    for s in &shown {
        desc.push_str(&format!("Run {} ({}): ", s.run, s.outcome));
        let parts: Vec<String> = s
            .meetings
            .iter()
            .filter(|h| model.meetings[h.meeting].agenda.contains(&issue))
            .map(|h| {
                let mut firsts: Vec<(Option<usize>, f64, f64)> = Vec::new();
                for o in &h.offers {
                    match firsts.iter_mut().find(|f| f.0 == o.party) {
                        Some(f) => f.2 = o.x[issue],
                        None => firsts.push((o.party, o.x[issue], o.x[issue])),
                    }
                }
                let moves: Vec<String> = firsts
                    .iter()
                    .map(|(p, a, b)| format!("{} {a:.2} to {b:.2}", who(model, *p)))
                    .collect();
                let end = h
                    .agreement
                    .as_ref()
                    .map_or(String::from("no agreement"), |x| {
                        format!("agreed at {:.2}", x[issue])
                    });
                format!(
                    "{} on {}: {}; {end}",
                    model.meetings[h.meeting].id,
                    date_of(model, h.day),
                    moves.join(", ")
                )
            })
            .collect();
        desc.push_str(&parts.join(". "));
        desc.push_str(". ");
    }
    // Everyone who put an offer on the issue, for the legend.
    let mut makers: Vec<Option<usize>> = Vec::new();
    for s in &shown {
        for h in s
            .meetings
            .iter()
            .filter(|h| model.meetings[h.meeting].agenda.contains(&issue))
        {
            for o in &h.offers {
                if !makers.contains(&o.party) {
                    makers.push(o.party);
                }
            }
        }
    }
    let colour_of = |p: Option<usize>| p.map_or(RGBColor(0, 0, 0), party_colour);
    let items: Vec<(String, RGBColor)> = makers
        .iter()
        .map(|&p| (who(model, p), colour_of(p)))
        .collect();
    let panel = 220u32;
    let height = 70 + panel * shown.len() as u32;
    let title = format!("Offers on {}, meeting by meeting", clean(&def.id, 40));
    let chart = draw((WIDTH, height), title.clone(), desc, |root| {
        let (top, rest) = root.split_vertically(70);
        let (heading, key) = top.split_vertically(38);
        heading.titled(&title, TITLE)?;
        legend(&key, &items)?;
        let panels = rest.split_evenly((shown.len(), 1));
        for (area, s) in panels.iter().zip(&shown) {
            let held: Vec<_> = s
                .meetings
                .iter()
                .filter(|h| model.meetings[h.meeting].agenda.contains(&issue))
                .collect();
            let steps: usize = held
                .iter()
                .map(|h| h.offers.len() + 1)
                .sum::<usize>()
                .max(1);
            let mut c = ChartBuilder::on(area)
                .caption(
                    format!("run {} ({} on day {})", s.run, s.outcome, s.end_day),
                    LABEL,
                )
                .margin(8)
                .x_label_area_size(24)
                .y_label_area_size(44)
                .build_cartesian_2d(0f64..steps as f64, -0.02f64..1.12f64)?;
            c.configure_mesh()
                .disable_x_mesh()
                .light_line_style(WHITE)
                .x_labels(0)
                .y_labels(3)
                .y_label_formatter(&|v| format!("{v:.1}"))
                .x_desc("offers in the order made; a band per meeting")
                .label_style(LABEL)
                .axis_desc_style(LABEL)
                .draw()?;
            let mut at = 0usize;
            for (k, h) in held.iter().enumerate() {
                let start = at as f64;
                let end = (at + h.offers.len() + 1) as f64;
                let shade = if k % 2 == 0 { 0.07 } else { 0.0 };
                c.draw_series(std::iter::once(Rectangle::new(
                    [(start, -0.02), (end, 1.12)],
                    RGBColor(60, 60, 120).mix(shade).filled(),
                )))?;
                c.draw_series(std::iter::once(Text::new(
                    clean(&model.meetings[h.meeting].id, 14),
                    (start + 0.2, 1.1),
                    ("sans-serif", 11).into_font(),
                )))?;
                for &p in &makers {
                    let pts: Vec<(f64, f64)> = h
                        .offers
                        .iter()
                        .enumerate()
                        .filter(|(_, o)| o.party == p)
                        .map(|(k, o)| ((at + k) as f64 + 0.5, o.x[issue]))
                        .collect();
                    if pts.is_empty() {
                        continue;
                    }
                    let colour = colour_of(p);
                    c.draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))?;
                    c.draw_series(pts.iter().map(|&q| Circle::new(q, 3, colour.filled())))?;
                }
                if let Some(x) = &h.agreement {
                    let q = (end - 0.5, x[issue]);
                    c.draw_series(std::iter::once(Cross::new(q, 6, BLACK.stroke_width(2))))?;
                }
                at += h.offers.len() + 1;
            }
        }
        Ok(())
    })?;
    Ok(Some(chart))
}
