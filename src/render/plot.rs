//! `analyze --plot` and `simulate --plot`: per-minute series against level lines, as SVG.

use plotters::prelude::*;

/// Colors of the chart's lines.
pub const GREY: RGBColor = RGBColor(150, 150, 150);
/// Normalized load.
pub const BLUE: RGBColor = RGBColor(31, 119, 180);
/// PTU capacity.
pub const RED: RGBColor = RGBColor(214, 39, 40);
/// Standard quota.
pub const ORANGE: RGBColor = RGBColor(255, 127, 14);
/// Candidates of `simulate`: a strong color for utilization, a light one for its 429s.
pub const CANDIDATES: [(RGBColor, RGBColor); 4] = [
    (BLUE, RGBColor(158, 202, 225)),
    (RGBColor(44, 160, 44), RGBColor(161, 217, 155)),
    (RGBColor(148, 103, 189), RGBColor(203, 184, 222)),
    (RGBColor(140, 86, 75), RGBColor(210, 180, 170)),
];

/// One series of per-minute values.
pub struct Series<'a> {
    /// Legend label.
    pub label: &'a str,
    /// One value per minute.
    pub values: &'a [f64],
    /// Line color.
    pub color: RGBColor,
}

/// A horizontal line, e.g. a capacity.
pub struct Level<'a> {
    /// Legend label.
    pub label: &'a str,
    /// Its value.
    pub value: f64,
    /// Line color.
    pub color: RGBColor,
}

/// Renders series and levels over `minutes` minutes starting at `start` (a label) as SVG text.
pub fn svg(
    title: &str,
    start: &str,
    y_desc: &str,
    series: &[Series<'_>],
    levels: &[Level<'_>],
) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (1000, 500)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let minutes = series
            .iter()
            .map(|s| s.values.len())
            .max()
            .unwrap_or(1)
            .max(2);
        let top = series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .chain(levels.iter().map(|l| l.value))
            .fold(1.0, f64::max)
            // Head room above the data for the legend, drawn in the upper right.
            * (1.15 + 0.07 * (series.len() + levels.len()) as f64);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(90)
            .build_cartesian_2d(0.0..(minutes - 1) as f64, 0.0..top)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .x_desc(format!("minutes from {start}"))
            .y_desc(y_desc)
            .x_labels(minutes.min(11))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| crate::numfmt::short(*v))
            .draw()
            .map_err(|e| e.to_string())?;
        for s in series {
            let color = s.color;
            chart
                .draw_series(LineSeries::new(
                    s.values.iter().enumerate().map(|(i, v)| (i as f64, *v)),
                    color.stroke_width(1),
                ))
                .map_err(|e| e.to_string())?
                .label(s.label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
        }
        for l in levels {
            let color = l.color;
            chart
                .draw_series(LineSeries::new(
                    [(0.0, l.value), ((minutes - 1) as f64, l.value)],
                    color.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(l.label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(out)
}
