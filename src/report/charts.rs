//! The report's charts, drawn with plotters to SVG (one file per kind of
//! chart), and what they share: colours, fonts, a chart's title and text
//! alternative.

pub mod days;
pub mod offers;
pub mod settled;
pub mod shares;
pub mod sweep;

use plotters::prelude::*;
use plotters::style::RGBColor;

use crate::error::{Error, ErrorKind, Result};
use crate::model::Outcome;

/// A drawn chart: its SVG and what it says for people who cannot see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The SVG, as plotters wrote it.
    pub svg: String,
    /// A short title.
    pub title: String,
    /// The text alternative: the data in words.
    pub desc: String,
}

/// The drawing area charts draw on.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// A plotters error as negsim's.
pub fn plot_error<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> Error {
    Error::new(ErrorKind::Other(format!("drawing a chart: {e}")))
}

/// Draws a `width × height` chart with `draw`.
pub fn draw(
    (width, height): (u32, u32),
    title: String,
    desc: String,
    draw: impl FnOnce(&Area<'_>) -> std::result::Result<(), DrawingAreaErrorKind<std::io::Error>>,
) -> Result<Chart> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        draw(&root).map_err(plot_error)?;
        root.present().map_err(plot_error)?;
    }
    Ok(Chart { svg, title, desc })
}

/// Text from a scenario, fit for a chart: control characters replaced
/// (plotters escapes the markup characters itself) and long text cut.
pub fn clean(text: &str, max: usize) -> String {
    let mut s: String = text
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if s.chars().count() > max {
        s = s.chars().take(max.saturating_sub(1)).collect::<String>() + "…";
    }
    s
}

/// The colour of an outcome, the same in every chart.
pub fn outcome_colour(o: Outcome) -> RGBColor {
    match o {
        Outcome::Agreement => RGBColor(27, 120, 55),
        Outcome::PartialAgreement => RGBColor(127, 188, 65),
        Outcome::Process => RGBColor(117, 112, 179),
        Outcome::Stalemate => RGBColor(110, 110, 110),
        Outcome::Breakdown => RGBColor(204, 153, 0),
        Outcome::Sanctions => RGBColor(217, 95, 2),
        Outcome::Conflict => RGBColor(192, 30, 40),
    }
}

/// The colour of party `p` (by its index), the same in every chart.
pub fn party_colour(p: usize) -> RGBColor {
    const PALETTE: [RGBColor; 10] = [
        RGBColor(31, 119, 180),
        RGBColor(214, 39, 40),
        RGBColor(44, 160, 44),
        RGBColor(255, 127, 14),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(23, 190, 207),
        RGBColor(188, 189, 34),
        RGBColor(127, 127, 127),
    ];
    PALETTE[p % PALETTE.len()]
}

/// The width of every chart, in SVG pixels (the page scales it down).
pub const WIDTH: u32 = 900;

/// Draws a legend in one row across `area`: a short line in each colour
/// and its name.
pub fn legend(
    area: &Area<'_>,
    items: &[(String, RGBColor)],
) -> std::result::Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let (w, h) = area.dim_in_pixel();
    let total: i32 = items
        .iter()
        .map(|(name, _)| 34 + 7 * name.chars().count() as i32)
        .sum();
    let mut x = ((w as i32 - total) / 2).max(4);
    let y = h as i32 / 2;
    for (name, colour) in items {
        area.draw(&PathElement::new(
            vec![(x, y), (x + 22, y)],
            colour.stroke_width(3),
        ))?;
        area.draw(&Text::new(name.clone(), (x + 27, y - 7), LABEL.into_font()))?;
        x += 34 + 7 * name.chars().count() as i32;
    }
    Ok(())
}

/// The font of titles.
pub const TITLE: (&str, u32) = ("sans-serif", 18);
/// The font of labels.
pub const LABEL: (&str, u32) = ("sans-serif", 13);

/// A share as a percentage with two decimals.
pub fn pct(x: f64) -> String {
    format!("{:.2}%", 100.0 * x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_text_is_cleaned_and_cut_for_a_chart() {
        assert_eq!(clean("a\u{7}b", 10), "a\u{fffd}b");
        assert_eq!(clean("abcdefgh", 5), "abcd…");
        assert_eq!(clean("<b>&", 10), "<b>&", "plotters escapes markup itself");
    }

    #[test]
    fn plotters_escapes_text_in_its_svg() {
        let c = draw((200, 100), "t".into(), "d".into(), |root| {
            root.draw(&Text::new(
                "<script>alert(1)</script> & \"q\"",
                (10, 10),
                LABEL.into_font(),
            ))
        })
        .unwrap();
        assert!(!c.svg.contains("<script>"), "{}", c.svg);
        assert!(c
            .svg
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"));
    }
}
