//! The plot BENCHMARKS.md shows: each latency figure against the library's size, both axes
//! logarithmic, drawn with `plotters` (the charts' library) as SVG in the embedded DejaVu Sans.
//! A line steeper than the dotted "linear" guide grows faster than the library.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::FontStyle;

/// The latency figures plotted, with their colours.
const SERIES: [(&str, RGBColor); 8] = [
    ("search_p50_ms", RGBColor(0x1f, 0x77, 0xb4)),
    ("search_p99_ms", RGBColor(0x6b, 0xae, 0xd6)),
    ("search_cold_ms", RGBColor(0x17, 0xbe, 0xcf)),
    ("search_warming_p99_ms", RGBColor(0x8c, 0x56, 0x4b)),
    ("similar_p99_ms", RGBColor(0x2c, 0xa0, 0x2c)),
    ("list_ms", RGBColor(0xff, 0x7f, 0x0e)),
    ("autosave_p99_ms", RGBColor(0x94, 0x67, 0xbd)),
    ("insights_ms", RGBColor(0xd6, 0x27, 0x28)),
];

/// Draws `figures` (name, library size, milliseconds) into an SVG at `path`.
pub fn latency(figures: &[(String, usize, f64)], path: &Path) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("drawing {}: {e}", path.display());
    let family = debrief::report::fonts::FAMILY;
    plotters::style::register_font(family, FontStyle::Normal, debrief::report::fonts::REGULAR_TTF)
        .map_err(|_| "the embedded font does not parse".to_string())?;
    let points = |name: &str| -> Vec<(f64, f64)> {
        let mut p: Vec<(f64, f64)> = figures
            .iter()
            .filter(|(n, _, v)| n == name && v.is_finite() && *v > 0.0)
            .map(|(_, s, v)| (*s as f64, *v))
            .collect();
        p.sort_by(|a, b| a.0.total_cmp(&b.0));
        p
    };
    let all: Vec<(f64, f64)> = SERIES.iter().flat_map(|(n, _)| points(n)).collect();
    if all.is_empty() {
        return Err("no latency figures to plot".into());
    }
    let (min_x, max_x) = all.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (min_y, max_y) = all.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let x = (min_x / 1.5)..(max_x * 1.5);
    let y = (min_y / 2.0)..(max_y * 2.0);

    let root = SVGBackend::new(path, (760, 460)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption("Latency against library size (log-log)", (family, 18))
        .margin(14)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(x.clone().log_scale(), y.clone().log_scale())
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc("postmortems in the library")
        .y_desc("milliseconds")
        .label_style((family, 12))
        .axis_desc_style((family, 13))
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| if *v >= 1.0 { format!("{v:.0}") } else { format!("{v}") })
        .draw()
        .map_err(|e| err(&e))?;
    // The linear guide: ten times the library, ten times the time, from the lowest first point.
    let start = SERIES.iter().filter_map(|(n, _)| points(n).first().copied()).fold((f64::MAX, f64::MAX), |a, p| {
        if p.1 < a.1 {
            p
        } else {
            a
        }
    });
    let guide = [start, (x.end, start.1 * x.end / start.0)];
    chart
        .draw_series(DashedLineSeries::new(guide, 4, 4, BLACK.mix(0.4).stroke_width(1)))
        .map_err(|e| err(&e))?
        .label("linear growth")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], BLACK.mix(0.4)));
    for (name, colour) in SERIES {
        let line = points(name);
        if line.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))
            .map_err(|e| err(&e))?
            .label(name.trim_end_matches("_ms"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2)));
        chart.draw_series(line.iter().map(|p| Circle::new(*p, 3, colour.filled()))).map_err(|e| err(&e))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((family, 12))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}
