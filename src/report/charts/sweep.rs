//! A sweep's charts: each outcome's share against each varied parameter,
//! with 95% interval bands (the points at each value pooled), and a heat
//! map of an outcome's share over two parameters.
//!
//! A parameter with at most [`MAX_LEVELS`] distinct values (a grid) is shown
//! at those values; one with more (a Latin hypercube, random or Sobol'
//! design) in [`BINS`] equal-width bins, each at its midpoint.

use plotters::prelude::*;

use super::{clean, draw, outcome_colour, pct, Chart, LABEL, TITLE, WIDTH};
use crate::error::Result;
use crate::model::Outcome;
use crate::output::wilson_interval;
use crate::report::tally::{Point, Tally};

/// The most distinct values shown as they are.
pub const MAX_LEVELS: usize = 12;
/// Bins for a parameter with more values.
pub const BINS: usize = 10;

/// The levels of one parameter over the points: each level's value, and
/// each point's level.
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    /// The value shown for each level (a grid value or a bin's midpoint).
    pub values: Vec<f64>,
    /// Each point's level.
    pub of_point: Vec<usize>,
    /// Whether the levels are bins.
    pub binned: bool,
}

/// The levels of parameter `k` over `points`.
pub fn levels(points: &[Point], k: usize) -> Levels {
    let vals: Vec<f64> = points
        .iter()
        .map(|p| p.values.get(k).copied().unwrap_or(0.0))
        .collect();
    let mut distinct = vals.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if distinct.len() <= MAX_LEVELS {
        let of_point = vals
            .iter()
            .map(|v| distinct.iter().position(|d| d == v).unwrap_or(0))
            .collect();
        return Levels {
            values: distinct,
            of_point,
            binned: false,
        };
    }
    let (lo, hi) = (distinct[0], distinct[distinct.len() - 1]);
    let w = (hi - lo) / BINS as f64;
    let of_point = vals
        .iter()
        .map(|v| (((v - lo) / w) as usize).min(BINS - 1))
        .collect();
    Levels {
        values: (0..BINS).map(|b| lo + (b as f64 + 0.5) * w).collect(),
        of_point,
        binned: true,
    }
}

/// Counts per outcome pooled over the points of each level.
fn pooled(points: &[Point], lv: &Levels) -> Vec<[u64; 7]> {
    let mut out = vec![[0u64; 7]; lv.values.len()];
    for (p, &l) in points.iter().zip(&lv.of_point) {
        for (a, b) in out[l].iter_mut().zip(&p.counts) {
            *a += b;
        }
    }
    out
}

/// Outcomes that happened at some point, most frequent first.
fn outcomes(t: &Tally) -> Vec<Outcome> {
    t.happened()
}

/// Each outcome's share against parameter `k`, with 95% interval bands.
pub fn against(t: &Tally, k: usize) -> Result<Chart> {
    let key = clean(&t.keys[k], 60);
    let lv = levels(&t.points, k);
    let counts = pooled(&t.points, &lv);
    let shown = outcomes(t);
    let mut desc = format!(
        "Share of runs ending in each outcome against {key}{}, with 95% Wilson intervals. ",
        if lv.binned {
            " (in equal-width bins)"
        } else {
            ""
        }
    );
    for (v, c) in lv.values.iter().zip(&counts) {
        let n: u64 = c.iter().sum();
        if n == 0 {
            continue;
        }
        let parts: Vec<String> = shown
            .iter()
            .map(|o| format!("{o} {}", pct(c[o.index()] as f64 / n as f64)))
            .collect();
        desc.push_str(&format!("At {v:.4}: {} ({n} runs). ", parts.join(", ")));
    }
    let (x0, x1) = match (lv.values.first(), lv.values.last()) {
        (Some(&a), Some(&b)) if b > a => (a, b),
        (Some(&a), _) => (a - 0.5, a + 0.5),
        _ => (0.0, 1.0),
    };
    let pad = (x1 - x0) * 0.03;
    draw(
        (WIDTH, 380),
        format!("Outcome shares against {key}"),
        desc,
        |root| {
            let mut c = ChartBuilder::on(root)
                .caption(format!("Outcome shares against {key}"), TITLE)
                .margin(12)
                .x_label_area_size(40)
                .y_label_area_size(56)
                .build_cartesian_2d((x0 - pad)..(x1 + pad), 0f64..100f64)?;
            c.configure_mesh()
                .light_line_style(WHITE)
                .x_labels(8)
                .y_labels(6)
                .y_label_formatter(&|y| format!("{y:.0}%"))
                .x_desc(key.clone())
                .y_desc("share of runs")
                .label_style(LABEL)
                .axis_desc_style(LABEL)
                .draw()?;
            for &o in &shown {
                let colour = outcome_colour(o);
                let mut line = Vec::new();
                let mut upper = Vec::new();
                let mut lower = Vec::new();
                for (v, cnt) in lv.values.iter().zip(&counts) {
                    let n: u64 = cnt.iter().sum();
                    if n == 0 {
                        continue;
                    }
                    let k = cnt[o.index()];
                    let (lo, hi) = wilson_interval(k, n);
                    line.push((*v, 100.0 * k as f64 / n as f64));
                    upper.push((*v, 100.0 * hi));
                    lower.push((*v, 100.0 * lo));
                }
                lower.reverse();
                let band: Vec<(f64, f64)> = upper.into_iter().chain(lower).collect();
                c.draw_series(std::iter::once(Polygon::new(
                    band,
                    colour.mix(0.18).filled(),
                )))?;
                c.draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))?
                    .label(o.as_str())
                    .legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(3))
                    });
                c.draw_series(line.iter().map(|&q| Circle::new(q, 3, colour.filled())))?;
            }
            c.configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(180, 180, 180))
                .label_font(LABEL)
                .draw()?;
            Ok(())
        },
    )
}

/// A heat map of outcome `o`'s share over parameters `a` (across) and `b` (up).
pub fn heat_map(t: &Tally, o: Outcome, a: usize, b: usize) -> Result<Chart> {
    let (ka, kb) = (clean(&t.keys[a], 60), clean(&t.keys[b], 60));
    let (la, lb) = (levels(&t.points, a), levels(&t.points, b));
    let (na, nb) = (la.values.len(), lb.values.len());
    let mut cells = vec![[0u64; 2]; na * nb];
    for (p, (&i, &j)) in t.points.iter().zip(la.of_point.iter().zip(&lb.of_point)) {
        cells[j * na + i][0] += p.counts[o.index()];
        cells[j * na + i][1] += p.runs();
    }
    let share = |c: &[u64; 2]| (c[1] > 0).then(|| c[0] as f64 / c[1] as f64);
    let mut desc = format!("Share of runs ending in {o} over {ka} (across) and {kb} (up). ");
    for j in 0..nb {
        for i in 0..na {
            if let Some(s) = share(&cells[j * na + i]) {
                desc.push_str(&format!(
                    "{ka} {:.4}, {kb} {:.4}: {}. ",
                    la.values[i],
                    lb.values[j],
                    pct(s)
                ));
            }
        }
    }
    let colour = outcome_colour(o);
    let fill = move |s: f64| {
        let mix = |c: u8| (255.0 - s * (255.0 - f64::from(c))).round() as u8;
        RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
    };
    let title = format!("Share of {o} over {ka} and {kb}");
    draw((WIDTH, 440), title.clone(), desc, |root| {
        let (main, scale) = root.split_horizontally(WIDTH - 100);
        let mut c = ChartBuilder::on(&main)
            .caption(&title, TITLE)
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(64)
            .build_cartesian_2d(
                (0u32..na as u32 - 1).into_segmented(),
                (0u32..nb as u32 - 1).into_segmented(),
            )?;
        let at = |v: &SegmentValue<u32>, values: &[f64]| match v {
            SegmentValue::CenterOf(k) => values
                .get(*k as usize)
                .map_or(String::new(), |x| format!("{x:.3}")),
            _ => String::new(),
        };
        let fa = |x: &SegmentValue<u32>| at(x, &la.values);
        let fb = |y: &SegmentValue<u32>| at(y, &lb.values);
        c.configure_mesh()
            .disable_mesh()
            .x_labels(na)
            .y_labels(nb)
            .x_label_formatter(&fa)
            .y_label_formatter(&fb)
            .x_desc(ka.clone())
            .y_desc(kb.clone())
            .label_style(LABEL)
            .axis_desc_style(LABEL)
            .draw()?;
        for j in 0..nb {
            for i in 0..na {
                let cell = &cells[j * na + i];
                let (x, y) = (i as u32, j as u32);
                let corners = [
                    (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                    (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                ];
                match share(cell) {
                    Some(s) => {
                        c.draw_series(std::iter::once(Rectangle::new(corners, fill(s).filled())))?;
                        if na <= MAX_LEVELS && nb <= MAX_LEVELS {
                            let ink = if s > 0.55 { WHITE } else { BLACK };
                            c.draw_series(std::iter::once(Text::new(
                                format!("{:.0}%", 100.0 * s),
                                (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)),
                                ("sans-serif", 12).into_font().color(&ink).pos(
                                    plotters::style::text_anchor::Pos::new(
                                        plotters::style::text_anchor::HPos::Center,
                                        plotters::style::text_anchor::VPos::Center,
                                    ),
                                ),
                            )))?;
                        }
                    }
                    None => {
                        c.draw_series(std::iter::once(Rectangle::new(
                            corners,
                            RGBColor(235, 235, 235).filled(),
                        )))?;
                    }
                }
            }
        }
        // The colour scale: 0% at the bottom, 100% at the top.
        let mut s = ChartBuilder::on(&scale)
            .margin_top(60)
            .margin_bottom(56)
            .margin_right(8)
            .y_label_area_size(44)
            .build_cartesian_2d(0f64..1f64, 0f64..100f64)?;
        s.configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(5)
            .y_label_formatter(&|y| format!("{y:.0}%"))
            .label_style(LABEL)
            .draw()?;
        s.draw_series((0..50).map(|k| {
            let v = k as f64 * 2.0;
            Rectangle::new([(0.0, v), (1.0, v + 2.0)], fill(v / 100.0).filled())
        }))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(values: &[f64]) -> Point {
        Point {
            values: values.to_vec(),
            counts: [1, 0, 0, 1, 0, 0, 0],
        }
    }

    #[test]
    fn a_grid_keeps_its_values_and_a_dense_design_is_binned() {
        let grid: Vec<Point> = [0.0, 0.5, 1.0, 0.5].iter().map(|&v| point(&[v])).collect();
        let l = levels(&grid, 0);
        assert_eq!(l.values, [0.0, 0.5, 1.0]);
        assert_eq!(l.of_point, [0, 1, 2, 1]);
        assert!(!l.binned);
        let dense: Vec<Point> = (0..=100).map(|k| point(&[f64::from(k) / 100.0])).collect();
        let l = levels(&dense, 0);
        assert!(l.binned);
        assert_eq!(l.values.len(), BINS);
        assert!((l.values[0] - 0.05).abs() < 1e-12);
        assert_eq!(
            (
                l.of_point[0],
                l.of_point[9],
                l.of_point[10],
                l.of_point[100]
            ),
            (0, 0, 1, 9)
        );
        assert_eq!(
            pooled(&dense, &l)[9][0],
            11,
            "0.90 ..= 1.00 pool in the last bin"
        );
    }
}
