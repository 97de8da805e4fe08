//! The Insights charts, drawn once here with `plotters` as SVG so the app and the PDF digest
//! show the same figures from the same numbers. Axes and ticks are plotters' (the severity
//! legend is plotters' shapes and text in a column beside the plot, where plotters' own legend
//! box would cover bars); this module chooses what to plot, in which colours, and records
//! where each bar landed.
//!
//! Every bar, segment or row a reader might ask about is returned as a [`ChartMark`]: its box
//! in the SVG's pixel space, a label in words, and a [`Drill`] naming the incidents behind it.
//! The app lays invisible buttons over the marks, so a click on any bar opens its incidents in
//! the library list, and the marks double as the chart's accessible description.
//!
//! Text is measured with the embedded DejaVu Sans (registered with plotters once), the same
//! font the SVG names, so labels are placed by the metrics the renderer will use. Colours come
//! from a [`ChartPalette`]: the app sends its theme's, the PDF uses [`ChartPalette::print`].

use std::iter::once;
use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate};
use plotters::coord::ranged1d::{AsRangedCoord, SegmentedCoord, ValueFormatter};
use plotters::coord::types::RangedCoordu32;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fonts::{Font, Weight, BOLD_TTF, FAMILY, REGULAR_TTF};
use crate::analysis::drill::Drill;
use crate::analysis::metrics::Measure;
use crate::analysis::patterns::{Pattern, PatternKind};
use crate::model::Severity;
use crate::wire::{BudgetStatus, DurationStats, Insights, PeriodStats, RoiReport, ServiceBudget, TimeBucket};
use crate::{Error, Result};

/// Periods up to this many days are charted by week; longer ones by month.
pub const WEEKLY_UP_TO_DAYS: i64 = 120;
/// The Pareto shows this many categories; the rest are one "other" bar.
pub const PARETO_TOP: usize = 12;
/// A service's bar draws this many incidents as segments of their own; the rest are one.
pub const BUDGET_SEGMENTS: usize = 10;
/// The ROI ranking shows this many categories, best first.
pub const ROI_TOP: usize = 15;
/// The repeat-families chart shows this many patterns, those with most incidents first.
pub const FAMILIES_TOP: usize = 10;

const WIDE: u32 = 940;
const SMALL: (u32, u32) = (440, 200);
const LABEL_PX: f64 = 12.0;
/// The side of a legend's colour swatch, in pixels.
const LEGEND_SWATCH: i32 = 12;
const FONT_SCALE: f64 = 1.24; // plotters writes font-size as size / 1.24 in SVG

/// Which chart it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChartKind {
    /// Incidents per week or month, stacked by severity.
    IncidentsOverTime,
    /// One duration's histogram.
    Duration,
    /// Categories by incident count, with the cumulative share.
    CategoryPareto,
    /// Each service's error budget consumed, incident by incident.
    BudgetBurn,
    /// Categories by three-year prevention ROI.
    RoiRanking,
    /// Repeat patterns' incidents on a time axis.
    RepeatFamilies,
}

/// A box on the chart and what it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChartMark {
    /// Left edge in SVG pixels.
    pub x: f32,
    /// Top edge in SVG pixels.
    pub y: f32,
    /// Width in SVG pixels.
    pub width: f32,
    /// Height in SVG pixels.
    pub height: f32,
    /// What it shows, in words: "Week of 2 Mar: 3 SEV2 incidents".
    pub label: String,
    /// The incidents behind it.
    pub drill: Drill,
}

/// One chart: an SVG document and its marks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Chart {
    /// Which chart.
    pub kind: ChartKind,
    /// For a duration histogram, which duration.
    pub measure: Option<Measure>,
    /// Its heading.
    pub title: String,
    /// What it shows and the rule behind it, in words (figures included).
    pub caption: String,
    /// The SVG's width in pixels (its viewBox).
    pub width: u32,
    /// The SVG's height in pixels.
    pub height: u32,
    /// The SVG document; empty when `empty` is set.
    pub svg: String,
    /// Every bar, segment or row with incidents behind it.
    pub marks: Vec<ChartMark>,
    /// Why there is nothing to draw ("No incidents in this period"), when so.
    pub empty: Option<String>,
}

/// The colours a chart is drawn in, each `#rrggbb`. The app sends its theme's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChartPalette {
    /// The page behind the chart.
    pub background: String,
    /// Axis labels and text.
    pub text: String,
    /// Axis lines and secondary text.
    pub muted: String,
    /// Grid lines.
    pub grid: String,
    /// Plain bars.
    pub accent: String,
    /// Good news (a healthy budget, a positive ROI is the accent).
    pub good: String,
    /// Bad news (an exhausted budget, a negative ROI).
    pub danger: String,
    /// SEV1, SEV2, SEV3 and SEV4, in that order.
    pub severities: [String; 4],
}

impl ChartPalette {
    /// The light palette of print (the PDF digest): the app's light theme, with SEV3 in a
    /// brighter ochre that stays distinct from SEV2 on paper.
    pub fn print() -> ChartPalette {
        ChartPalette {
            background: "#ffffff".into(),
            text: "#1a1d23".into(),
            muted: "#6a7281".into(),
            grid: "#e5e7ec".into(),
            accent: "#4e5bd6".into(),
            good: "#157347".into(),
            danger: "#c8322a".into(),
            severities: ["#b42318".into(), "#b14a06".into(), "#c69500".into(), "#3c5878".into()],
        }
    }

    fn colors(&self) -> Result<Colors> {
        let sev = |i: usize| hex(&format!("palette.severities[{i}]"), &self.severities[i]);
        Ok(Colors {
            background: hex("palette.background", &self.background)?,
            text: hex("palette.text", &self.text)?,
            muted: hex("palette.muted", &self.muted)?,
            grid: hex("palette.grid", &self.grid)?,
            accent: hex("palette.accent", &self.accent)?,
            good: hex("palette.good", &self.good)?,
            danger: hex("palette.danger", &self.danger)?,
            severities: [sev(0)?, sev(1)?, sev(2)?, sev(3)?],
        })
    }
}

struct Colors {
    background: RGBColor,
    text: RGBColor,
    muted: RGBColor,
    grid: RGBColor,
    accent: RGBColor,
    good: RGBColor,
    danger: RGBColor,
    severities: [RGBColor; 4],
}

impl Colors {
    fn severity(&self, s: Severity) -> RGBColor {
        self.severities[Severity::ALL.iter().position(|x| *x == s).unwrap_or(3)]
    }

    fn status(&self, s: BudgetStatus) -> RGBColor {
        match s {
            BudgetStatus::Healthy => self.good,
            BudgetStatus::Caution => self.severities[2],
            BudgetStatus::Warning => self.severities[1],
            BudgetStatus::Exhausted => self.danger,
        }
    }

    fn label(&self) -> TextStyle<'static> {
        (FAMILY, LABEL_PX * FONT_SCALE).into_font().color(&self.muted)
    }

    fn small(&self) -> TextStyle<'static> {
        (FAMILY, 11.0 * FONT_SCALE).into_font().color(&self.text)
    }
}

/// `#rrggbb` or `#rgb`; anything else is a validation error naming `field`.
fn hex(field: &str, value: &str) -> Result<RGBColor> {
    let digits = value.trim().strip_prefix('#').unwrap_or("");
    let expanded: String = match digits.len() {
        3 => digits.chars().flat_map(|c| [c, c]).collect(),
        6 => digits.to_string(),
        _ => String::new(),
    };
    let channel = |i: usize| expanded.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok());
    match (channel(0), channel(2), channel(4)) {
        (Some(r), Some(g), Some(b)) => Ok(RGBColor(r, g, b)),
        _ => Err(Error::invalid(field, format!("{value:?} is not a colour like #1a2b3c"))),
    }
}

fn fonts_registered() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        // The data is compiled in and known good; failing here is a broken build.
        let regular = plotters::style::register_font(FAMILY, FontStyle::Normal, REGULAR_TTF);
        let bold = plotters::style::register_font(FAMILY, FontStyle::Bold, BOLD_TTF);
        assert!(regular.is_ok() && bold.is_ok(), "the embedded fonts parse");
    });
}

fn draw_err(e: impl std::fmt::Display) -> Error {
    Error::Render(format!("drawing a chart: {e}"))
}

/// `text` cut with an ellipsis to fit `px` at the label size.
fn fit(text: &str, px: f32) -> String {
    let wrapped = Font::get(Weight::Regular).wrap(text, LABEL_PX as f32, px, 1);
    wrapped.lines.into_iter().next().unwrap_or_default()
}

/// Width the longest of `labels` needs at the label size, capped at `max`.
fn label_width(labels: impl Iterator<Item = String>, max: f32) -> u32 {
    let font = Font::get(Weight::Regular);
    let widest = labels.map(|l| font.width(&l, LABEL_PX as f32)).fold(0.0, f32::max);
    (widest.min(max) + 14.0).ceil() as u32
}

/// Room left of a count axis running to `top`, labelled at `px`: its widest count and, when
/// `named`, the axis name turned on its side beside it (thousands of incidents a month must not
/// write "Incidents" over "3000").
fn count_axis_room(top: u32, px: f64, named: bool) -> u32 {
    let widest = Font::get(Weight::Regular).width(&top.to_string(), px as f32);
    (widest + 14.0).ceil() as u32 + if named { px as u32 + 6 } else { 0 }
}

fn day_month(d: NaiveDate) -> String {
    d.format("%-d %b").to_string()
}

fn span(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        day_month(from)
    } else {
        format!("{} – {}", day_month(from), day_month(to))
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The box between two backend points, as a mark.
fn mark(a: (i32, i32), b: (i32, i32), label: String, drill: Drill) -> ChartMark {
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    ChartMark {
        x: x0 as f32,
        y: y0 as f32,
        width: (x1 - x0).max(2) as f32,
        height: (y1 - y0).max(2) as f32,
        label,
        drill,
    }
}

/// Draws with `draw` on an SVG of `size`, returning the document and the marks it recorded.
fn svg(
    size: (u32, u32),
    colors: &Colors,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>, &mut Vec<ChartMark>) -> Result<()>,
) -> Result<(String, Vec<ChartMark>)> {
    fonts_registered();
    let mut out = String::new();
    let mut marks = Vec::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&colors.background).map_err(draw_err)?;
        draw(&root, &mut marks)?;
        root.present().map_err(draw_err)?;
    }
    Ok((out, marks))
}

/// The segmented axis of a chart's columns or rows: one segment per bar.
type Segments = SegmentedCoord<RangedCoordu32>;

/// How many segments an axis of `n` bars has: at least two, because plotters maps every value
/// of a one-value range to the drawing's origin, not the plot's (a lone bar would be drawn over
/// the margin). A lone bar gets a blank segment beside it.
fn slots(n: u32) -> u32 {
    n.max(2)
}

/// The segmented axis of `n` bars (see [`slots`]).
fn axis(n: u32) -> Segments {
    (0u32..slots(n) - 1).into_segmented()
}

/// Segment `i` of an axis of `n` bars as its two edges, the last one closed by the axis's end.
fn segment(i: u32, n: u32) -> (SegmentValue<u32>, SegmentValue<u32>) {
    (SegmentValue::Exact(i), if i + 1 < slots(n) { SegmentValue::Exact(i + 1) } else { SegmentValue::Last })
}

/// Where row `rank` of `n` is drawn: rank 0 at the top, so at the last segment.
fn row_of(rank: usize, n: u32) -> u32 {
    slots(n) - 1 - rank as u32
}

/// Room around a row chart's plot: labels on the left, text past the bars on the right, and a
/// second x axis on top.
struct RowRoom {
    left: u32,
    right: u32,
    top_axis: bool,
}

/// A chart of `n` rows over `x` with `room` around it.
fn row_chart<'a, 's, X: AsRangedCoord>(
    root: &'a DrawingArea<SVGBackend<'s>, Shift>,
    x: X,
    n: u32,
    room: RowRoom,
) -> Result<ChartContext<'a, SVGBackend<'s>, Cartesian2d<X::CoordDescType, Segments>>> {
    let RowRoom { left, right, top_axis } = room;
    ChartBuilder::on(root)
        .margin(12)
        .margin_right(right)
        .x_label_area_size(40)
        .top_x_label_area_size(if top_axis { 24 } else { 0 })
        .y_label_area_size(left)
        .build_cartesian_2d(x, axis(n))
        .map_err(draw_err)
}

/// Draws a row chart's axes: each row named by `labels` (rank order, cut to `label_px`), the
/// x axis described by `x_desc` and its ticks written by `x_format`.
fn row_axes<X>(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<X, Segments>>,
    colors: &Colors,
    labels: &[String],
    label_px: f32,
    x_desc: Option<&str>,
    x_format: &dyn Fn(&X::ValueType) -> String,
) -> Result<()>
where
    X: Ranged + ValueFormatter<X::ValueType>,
{
    let n = labels.len() as u32;
    let name = |v: &SegmentValue<u32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
            labels.get((slots(n) - 1 - i) as usize).map(|l| fit(l, label_px)).unwrap_or_default()
        }
        SegmentValue::Last => String::new(),
    };
    let mut mesh = chart.configure_mesh();
    mesh.disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(colors.grid)
        .axis_style(colors.muted)
        .label_style(colors.label())
        .y_labels(labels.len())
        .y_label_formatter(&name)
        .x_labels(7)
        .x_label_formatter(x_format);
    if let Some(desc) = x_desc {
        mesh.x_desc(desc);
    }
    mesh.draw().map_err(draw_err)
}

/// A chart drawn: its SVG of `size` and the marks recorded while drawing it.
fn drawn(kind: ChartKind, title: &str, caption: String, size: (u32, u32), svg: String, marks: Vec<ChartMark>) -> Chart {
    Chart { kind, measure: None, title: title.into(), caption, width: size.0, height: size.1, svg, marks, empty: None }
}

/// A chart with nothing to draw, saying why.
fn empty(kind: ChartKind, title: &str, why: &str) -> Chart {
    Chart {
        kind,
        measure: None,
        title: title.to_string(),
        caption: String::new(),
        width: 0,
        height: 0,
        svg: String::new(),
        marks: Vec::new(),
        empty: Some(why.to_string()),
    }
}

/// Every chart of the Insights screen, in the order it shows them.
pub fn insight_charts(insights: &Insights, palette: &ChartPalette) -> Result<Vec<Chart>> {
    let colors = palette.colors()?;
    let period = &insights.stats.current;
    let mut charts = vec![incidents_over_time(period, &colors)?];
    let d = &period.durations;
    for (measure, stats) in [
        (Measure::TimeToDetect, &d.time_to_detect),
        (Measure::TimeToAcknowledge, &d.time_to_acknowledge),
        (Measure::TimeToMitigate, &d.time_to_mitigate),
        (Measure::TimeToResolve, &d.time_to_resolve),
        (Measure::Impact, &d.impact),
    ] {
        charts.push(duration(measure, stats, period.from, period.to, &colors)?);
    }
    charts.push(category_pareto(period, &colors)?);
    charts.push(budget_burn(&insights.budgets, &colors)?);
    charts.push(roi_ranking(&insights.roi, &colors)?);
    charts.push(repeat_families(&insights.patterns, period.from, period.to, &colors)?);
    Ok(charts)
}

/// Incidents per week (periods up to [`WEEKLY_UP_TO_DAYS`]) or month, stacked by severity,
/// SEV1 at the bottom. Each non-empty segment drills into its severity's incidents of the
/// bucket.
fn incidents_over_time(period: &PeriodStats, colors: &Colors) -> Result<Chart> {
    const TITLE: &str = "Incidents over time";
    let weekly = (period.to - period.from).num_days() < WEEKLY_UP_TO_DAYS;
    let buckets: &[TimeBucket] = if weekly { &period.weekly } else { &period.monthly };
    if period.incidents.total == 0 || buckets.is_empty() {
        return Ok(empty(ChartKind::IncidentsOverTime, TITLE, "No incidents in this period."));
    }
    let n = buckets.len() as u32;
    let top = buckets.iter().map(|b| b.counts.total).max().unwrap_or(1);
    let name = |b: &TimeBucket| {
        if weekly {
            // The ISO week's Monday, even when the period starts mid-week.
            let monday = b.start - Duration::days(i64::from(b.start.weekday().num_days_from_monday()));
            format!("Week of {}", day_month(monday))
        } else {
            b.start.format("%B %Y").to_string()
        }
    };
    let y_top = top + top.div_ceil(8);
    let (svg, marks) = svg((WIDE, 260), colors, |root, marks| {
        // The legend sits in a column of its own on the right, never over a bar.
        let (plot, legend) = root.split_horizontally(WIDE - 76);
        let mut chart = ChartBuilder::on(&plot)
            .margin(12)
            .margin_right(8)
            .x_label_area_size(28)
            .y_label_area_size(count_axis_room(y_top, LABEL_PX, true))
            .build_cartesian_2d(axis(n), 0u32..y_top)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(colors.grid)
            .axis_style(colors.muted)
            .label_style(colors.label())
            .x_labels(buckets.len().min(if weekly { 9 } else { 12 }))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => buckets
                    .get(*i as usize)
                    .map(|b| if weekly { day_month(b.start) } else { b.start.format("%b %y").to_string() })
                    .unwrap_or_default(),
                SegmentValue::Last => String::new(),
            })
            .y_labels(6)
            .y_label_formatter(&|v| format!("{v}"))
            .y_desc("Incidents")
            .draw()
            .map_err(draw_err)?;
        for (i, bucket) in buckets.iter().enumerate() {
            let i = i as u32;
            let (_, right) = segment(i, n);
            let c = bucket.counts;
            let mut base = 0;
            for (severity, count) in Severity::ALL.into_iter().zip([c.sev1, c.sev2, c.sev3, c.sev4]) {
                if count == 0 {
                    continue;
                }
                let (lo, hi) = ((SegmentValue::Exact(i), base), (right.clone(), base + count));
                let mut bar = Rectangle::new([lo.clone(), hi.clone()], colors.severity(severity).filled());
                bar.set_margin(0, 1, 3, 3);
                chart.draw_series(once(bar)).map_err(draw_err)?;
                marks.push(mark(
                    chart.backend_coord(&lo),
                    chart.backend_coord(&hi),
                    format!(
                        "{} ({}): {} {}",
                        name(bucket),
                        span(bucket.start, bucket.end),
                        count,
                        if count == 1 {
                            format!("{} incident", severity.as_str())
                        } else {
                            format!("{} incidents", severity.as_str())
                        }
                    ),
                    Drill::Period { from: bucket.start, to: bucket.end, severity: Some(severity) },
                ));
                base += count;
            }
        }
        for (k, severity) in Severity::ALL.into_iter().enumerate() {
            let y = 20 + 20 * k as i32;
            let half = LEGEND_SWATCH / 2;
            let swatch =
                Rectangle::new([(4, y - half), (4 + LEGEND_SWATCH, y + half)], colors.severity(severity).filled());
            legend.draw(&swatch).map_err(draw_err)?;
            let style = colors.small().pos(Pos::new(HPos::Left, VPos::Center));
            legend.draw(&Text::new(severity.as_str(), (22, y), style)).map_err(draw_err)?;
        }
        Ok(())
    })?;
    let c = period.incidents;
    let caption = format!(
        "{} from {} to {} by {} ({} SEV1, {} SEV2, {} SEV3, {} SEV4), each counted on its incident date.",
        plural(u64::from(c.total), "incident", "incidents"),
        period.from,
        period.to,
        if weekly { "ISO week" } else { "month" },
        c.sev1,
        c.sev2,
        c.sev3,
        c.sev4
    );
    Ok(drawn(ChartKind::IncidentsOverTime, TITLE, caption, (WIDE, 260), svg, marks))
}

/// The short name of histogram bar `label` ("15–30 min" → "15–30m") for a narrow axis.
fn short_bin(label: &str) -> String {
    label.replace("30–60 min", "½–1h").replace(">24 h", ">1 day").replace(" min", "m").replace(" h", "h")
}

/// Minutes in words: "45 min", "2.5 h", "3.1 days".
pub fn minutes_text(m: f64) -> String {
    if m < 60.0 {
        format!("{m:.0} min")
    } else if m < 48.0 * 60.0 {
        format!("{:.1} h", m / 60.0)
    } else {
        format!("{:.1} days", m / 1440.0)
    }
}

/// One duration's histogram over the period: the bars of [`crate::analysis::metrics`], the
/// median's bar in the accent colour and the others muted, each drilling into its incidents.
fn duration(measure: Measure, stats: &DurationStats, from: NaiveDate, to: NaiveDate, colors: &Colors) -> Result<Chart> {
    let title = measure.label();
    let lacking = u64::from(stats.lacking_total);
    let mut caption = match (stats.median_min, stats.p90_min, stats.mean_min) {
        (Some(median), Some(p90), Some(mean)) => format!(
            "Median {}, p90 {}, mean {} over {}.",
            minutes_text(median),
            minutes_text(p90),
            minutes_text(mean),
            plural(u64::from(stats.n), "incident", "incidents")
        ),
        _ => "No incident of the period has the markers it needs.".to_string(),
    };
    if lacking > 0 {
        caption.push_str(&format!(" {} without the markers, left out.", plural(lacking, "incident", "incidents")));
    }
    if stats.fallback_total > 0 {
        caption.push_str(&format!(
            " {} counted with a stated fallback.",
            plural(u64::from(stats.fallback_total), "incident", "incidents")
        ));
    }
    if stats.n == 0 {
        // The caption already says why; the empty note says it once.
        let mut chart = empty(ChartKind::Duration, title, &caption);
        chart.measure = Some(measure);
        return Ok(chart);
    }
    let bins = &stats.histogram;
    let n = bins.len() as u32;
    let top = bins.iter().map(|b| b.count).max().unwrap_or(1);
    let median_bin = stats.median_min.map(crate::analysis::metrics::histogram_bin);
    let y_top = top + top.div_ceil(6);
    let (svg, marks) = svg(SMALL, colors, |root, marks| {
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .margin_right(10)
            .x_label_area_size(22)
            .y_label_area_size(count_axis_room(y_top, 10.0, false).max(30))
            .build_cartesian_2d(axis(n), 0u32..y_top)
            .map_err(draw_err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(colors.grid)
            .axis_style(colors.muted)
            .label_style((FAMILY, 10.0 * FONT_SCALE).into_font().color(&colors.muted))
            .x_labels(bins.len())
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    bins.get(*i as usize).map(|b| short_bin(&b.label)).unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            })
            .y_labels(4)
            .y_label_formatter(&|v| format!("{v}"))
            .draw()
            .map_err(draw_err)?;
        for (i, bin) in bins.iter().enumerate() {
            if bin.count == 0 {
                continue;
            }
            let i = i as u32;
            let (_, right) = segment(i, n);
            let color = if median_bin == Some(i as usize) { colors.accent.mix(1.0) } else { colors.accent.mix(0.55) };
            let (lo, hi) = ((SegmentValue::Exact(i), 0), (right, bin.count));
            let mut bar = Rectangle::new([lo.clone(), hi.clone()], color.filled());
            bar.set_margin(0, 0, 2, 2);
            chart.draw_series(once(bar)).map_err(draw_err)?;
            marks.push(mark(
                chart.backend_coord(&lo),
                chart.backend_coord(&hi),
                format!("{title} {}: {}", bin.label, plural(u64::from(bin.count), "incident", "incidents")),
                Drill::Duration { measure, from, to, bin: i },
            ));
        }
        Ok(())
    })?;
    Ok(Chart { measure: Some(measure), ..drawn(ChartKind::Duration, title, caption, SMALL, svg, marks) })
}

/// Categories by incident count in the period, most first (the top [`PARETO_TOP`], the rest
/// as one bar), with the cumulative share of category labels as a line on a 0–100% axis.
fn category_pareto(period: &PeriodStats, colors: &Colors) -> Result<Chart> {
    const TITLE: &str = "Categories (Pareto)";
    // (name, category labels, categories); "other" sums its categories' labels.
    let mut rows: Vec<(String, u32, Vec<String>)> = period
        .by_category
        .iter()
        .filter(|b| b.incidents.total > 0)
        .map(|b| (b.key.clone(), b.incidents.total, vec![b.key.clone()]))
        .collect();
    if rows.is_empty() {
        return Ok(empty(ChartKind::CategoryPareto, TITLE, "No categorised incidents in this period."));
    }
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if rows.len() > PARETO_TOP {
        let rest = rows.split_off(PARETO_TOP - 1);
        let count = rest.iter().map(|r| r.1).sum();
        let label = format!("{} other categories", rest.len());
        rows.push((label, count, rest.into_iter().flat_map(|r| r.2).collect()));
    }
    let labelled: u32 = rows.iter().map(|r| r.1).sum();
    let n = rows.len() as u32;
    let top = rows.iter().map(|r| r.1).max().unwrap_or(1);
    let height = 60 + 26 * slots(n);
    let left = label_width(rows.iter().map(|r| r.0.clone()), 190.0);
    let (svg, marks) = svg((WIDE, height), colors, |root, marks| {
        let mut chart = row_chart(root, 0u32..top + top.div_ceil(8), n, RowRoom { left, right: 24, top_axis: true })?
            .set_secondary_coord(0f64..100f64, axis(n));
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        row_axes(&mut chart, colors, &labels, 190.0, Some("Incidents"), &|v| format!("{v}"))?;
        chart
            .configure_secondary_axes()
            .axis_style(colors.muted)
            .label_style(colors.label())
            .x_labels(6)
            .x_label_formatter(&|v| format!("{v:.0}%"))
            .draw()
            .map_err(draw_err)?;
        let mut cumulative = 0u32;
        let mut line = Vec::new();
        for (r, (name, count, names)) in rows.iter().enumerate() {
            let y = row_of(r, n);
            let (top_edge, bottom) = segment(y, n);
            let (lo, hi) = ((0, top_edge), (*count, bottom));
            let mut bar = Rectangle::new([lo.clone(), hi.clone()], colors.accent.mix(0.8).filled());
            bar.set_margin(4, 4, 0, 0);
            chart.draw_series(once(bar)).map_err(draw_err)?;
            cumulative += count;
            let share = f64::from(cumulative) / f64::from(labelled) * 100.0;
            line.push((share, SegmentValue::CenterOf(y)));
            marks.push(mark(
                chart.backend_coord(&lo),
                chart.backend_coord(&hi),
                if names.len() > 1 {
                    format!("{name}: {} ({share:.0}% cumulative)", plural(u64::from(*count), "label", "labels"))
                } else {
                    format!("{name}: {} ({share:.0}% cumulative)", plural(u64::from(*count), "incident", "incidents"))
                },
                Drill::Categories { names: names.clone(), from: period.from, to: period.to },
            ));
        }
        chart.draw_secondary_series(LineSeries::new(line.clone(), colors.text.stroke_width(2))).map_err(draw_err)?;
        chart
            .draw_secondary_series(line.into_iter().map(|p| Circle::new(p, 3, colors.text.filled())))
            .map_err(draw_err)?;
        Ok(())
    })?;
    let caption = format!(
        "{} category labels on {} incidents; an incident with two categories counts in both. The line is the \
         running share of labels, most frequent first.",
        labelled, period.incidents.total
    );
    Ok(drawn(ChartKind::CategoryPareto, TITLE, caption, (WIDE, height), svg, marks))
}

/// Each service's error budget over its SLO window: one segment per incident, as the share of
/// the budget it consumed, in the colour of the service's status, against a 100% line.
fn budget_burn(budgets: &[ServiceBudget], colors: &Colors) -> Result<Chart> {
    const TITLE: &str = "Error-budget burn";
    if budgets.is_empty() {
        return Ok(empty(ChartKind::BudgetBurn, TITLE, "No service has an SLO target. Set one in the taxonomy."));
    }
    let n = budgets.len() as u32;
    // A budget of zero minutes gives no finite share; such a service is drawn empty.
    let used = |b: &ServiceBudget| Some(100.0 - b.remaining_pct).filter(|u| u.is_finite());
    let most = budgets.iter().filter_map(used).fold(100.0, f64::max);
    let x_top = (most * 1.08).ceil();
    let height = 56 + 30 * slots(n);
    let left = label_width(budgets.iter().map(|b| b.service.clone()), 170.0);
    let status_text = |b: &ServiceBudget| match used(b) {
        Some(u) => format!("{u:.0}% used · {:?}", b.status).to_lowercase(),
        None => "no budget to spend".to_string(),
    };
    // The status is written past the end of each bar: room for the widest on the right.
    let right = label_width(budgets.iter().map(status_text), 260.0) + 12;
    let (svg, marks) = svg((WIDE, height), colors, |root, marks| {
        let mut chart = row_chart(root, 0f64..x_top, n, RowRoom { left, right, top_axis: false })?;
        let labels: Vec<String> = budgets.iter().map(|b| b.service.clone()).collect();
        row_axes(&mut chart, colors, &labels, 170.0, Some("Budget consumed"), &|v| format!("{v:.0}%"))?;
        for (r, budget) in budgets.iter().enumerate() {
            let y = row_of(r, n);
            let (_, bottom) = segment(y, n);
            let color = colors.status(budget.status);
            // The largest draws one segment each (incidents come largest first), the rest as one.
            let counted: Vec<_> =
                budget.incidents.iter().filter(|i| i.consumed_pct > 0.0 && i.consumed_pct.is_finite()).collect();
            let (own, rest) = counted.split_at(counted.len().min(BUDGET_SEGMENTS));
            let mut segments: Vec<(f64, String, Vec<String>)> = own
                .iter()
                .map(|i| {
                    let label = format!(
                        "{}: {} ({}) consumed {:.1}% of the budget",
                        budget.service, i.title, i.incident_date, i.consumed_pct
                    );
                    (i.consumed_pct, label, vec![i.id.clone()])
                })
                .collect();
            if !rest.is_empty() {
                let pct: f64 = rest.iter().map(|i| i.consumed_pct).sum();
                let label = format!(
                    "{}: {} more consumed {pct:.1}% of the budget",
                    budget.service,
                    plural(rest.len() as u64, "incident", "incidents")
                );
                segments.push((pct, label, rest.iter().map(|i| i.id.clone()).collect()));
            }
            let mut at = 0.0;
            for (k, (pct, label, ids)) in segments.into_iter().enumerate() {
                let (lo, hi) = ((at, SegmentValue::Exact(y)), (at + pct, bottom.clone()));
                let shade = if k % 2 == 0 { color.mix(0.9) } else { color.mix(0.6) };
                let mut bar = Rectangle::new([lo.clone(), hi.clone()], shade.filled());
                bar.set_margin(5, 5, 0, 1);
                chart.draw_series(once(bar)).map_err(draw_err)?;
                marks.push(mark(chart.backend_coord(&lo), chart.backend_coord(&hi), label, Drill::Incidents { ids }));
                at += pct;
            }
            let anchor = chart.backend_coord(&(at.min(x_top), SegmentValue::CenterOf(y)));
            root.draw(&Text::new(
                status_text(budget),
                (anchor.0 + 6, anchor.1),
                colors.small().pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(draw_err)?;
        }
        chart
            .draw_series(once(PathElement::new(
                vec![(100.0, SegmentValue::Exact(0)), (100.0, SegmentValue::Last)],
                colors.danger.stroke_width(1),
            )))
            .map_err(draw_err)?;
        Ok(())
    })?;
    let exhausted = budgets.iter().filter(|b| b.status == BudgetStatus::Exhausted).count() as u64;
    let caption = format!(
        "Each segment is one incident's draw on its service's budget over the SLO window (impact minutes × share \
         of users affected); the line is the whole budget. {} of {} exhausted.",
        plural(exhausted, "service", "services"),
        budgets.len()
    );
    Ok(drawn(ChartKind::BudgetBurn, TITLE, caption, (WIDE, height), svg, marks))
}

/// Categories with a three-year ROI, ranked, as horizontal bars from zero (negative in the
/// danger colour); each drills into the category's incidents of its window.
fn roi_ranking(roi: &RoiReport, colors: &Colors) -> Result<Chart> {
    const TITLE: &str = "Prevention ROI ranking";
    // A category with no incident in its window has nothing to prevent: its -100% says only
    // that prevention would cost money, so it is counted in the caption, not drawn. A figure
    // that is not finite (inputs near the limits of a float) cannot be placed on an axis.
    let with_incidents = roi.categories.iter().filter(|c| c.incidents > 0);
    let figures: Vec<_> =
        with_incidents.clone().filter_map(|c| c.roi_3y_pct.filter(|v| v.is_finite()).map(|v| (c, v))).collect();
    let quiet = roi.categories.iter().filter(|c| c.incidents == 0).count() as u64;
    let without = with_incidents.count() as u64 - figures.len() as u64;
    let mut caption =
        "Three-year ROI of preventing each category: (annual savings × 3 − implementation cost) / implementation \
         cost, best first."
            .to_string();
    if quiet > 0 {
        caption.push_str(&format!(
            " {} without incidents in the window not shown.",
            plural(quiet, "category", "categories")
        ));
    }
    if without > 0 {
        caption.push_str(&format!(
            " No figure for {} (no incident with both a duration and users affected, or no implementation cost; \
             the table says which).",
            plural(without, "category", "categories")
        ));
    }
    let shown = figures.len().min(ROI_TOP);
    if figures.len() > shown {
        caption.push_str(&format!(
            " {} further down the table.",
            plural((figures.len() - shown) as u64, "category", "categories")
        ));
    }
    let ranked = &figures[..shown];
    if ranked.is_empty() {
        let mut chart = empty(ChartKind::RoiRanking, TITLE, "No category has an ROI figure to rank in this window.");
        chart.caption = caption;
        return Ok(chart);
    }
    let n = ranked.len() as u32;
    let lo = ranked.iter().map(|r| r.1).fold(0.0, f64::min);
    let hi = ranked.iter().map(|r| r.1).fold(0.0, f64::max);
    let pad = ((hi - lo) * 0.12).max(10.0);
    let (x0, x1) = (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad);
    if !(x0.is_finite() && x1.is_finite()) {
        let mut chart =
            empty(ChartKind::RoiRanking, TITLE, "The ROI figures are too large to draw; the table has them.");
        chart.caption = caption;
        return Ok(chart);
    }
    let height = 56 + 26 * slots(n);
    let left = label_width(ranked.iter().map(|r| r.0.category.clone()), 190.0);
    let (svg, marks) = svg((WIDE, height), colors, |root, marks| {
        let mut chart = row_chart(root, x0..x1, n, RowRoom { left, right: 24, top_axis: false })?;
        let labels: Vec<String> = ranked.iter().map(|r| r.0.category.clone()).collect();
        row_axes(&mut chart, colors, &labels, 190.0, Some("3-year ROI"), &|v| format!("{v:.0}%"))?;
        for (r, (category, value)) in ranked.iter().enumerate() {
            let y = row_of(r, n);
            let (_, bottom) = segment(y, n);
            let color = if *value < 0.0 { colors.danger } else { colors.accent };
            let (a, b) = ((0.0, SegmentValue::Exact(y)), (*value, bottom));
            let mut bar = Rectangle::new([a.clone(), b.clone()], color.mix(0.85).filled());
            bar.set_margin(4, 4, 0, 0);
            chart.draw_series(once(bar)).map_err(draw_err)?;
            let end = chart.backend_coord(&(*value, SegmentValue::CenterOf(y)));
            let (dx, h) = if *value < 0.0 { (-6, HPos::Right) } else { (6, HPos::Left) };
            let style = colors.small().pos(Pos::new(h, VPos::Center));
            root.draw(&Text::new(format!("{value:.0}%"), (end.0 + dx, end.1), style)).map_err(draw_err)?;
            let payback = category
                .payback_months
                .map_or("never pays back".to_string(), |m| format!("pays back in {m:.1} months"));
            marks.push(mark(
                chart.backend_coord(&a),
                chart.backend_coord(&b),
                format!("{}: 3-year ROI {value:.0}%, {payback}", category.category),
                Drill::Roi { category: category.category.clone(), to: roi.to },
            ));
        }
        Ok(())
    })?;
    Ok(drawn(ChartKind::RoiRanking, TITLE, caption, (WIDE, height), svg, marks))
}

/// Whether a pattern is a family of incidents (rather than a count, like a rising trend, or a
/// flag on a family, like recurrence after prevention, which would repeat a family's row).
fn is_family(kind: PatternKind) -> bool {
    match kind {
        PatternKind::RepeatCategory | PatternKind::RepeatServiceCause | PatternKind::SimilarFamily => true,
        PatternKind::Rising | PatternKind::RecurrenceAfterPrevention => false,
    }
}

/// The repeat patterns with most incidents (rising trends, which are counts rather than
/// families, left out), one row each, with a dot on the time axis for each incident.
fn repeat_families(patterns: &[Pattern], from: NaiveDate, to: NaiveDate, colors: &Colors) -> Result<Chart> {
    const TITLE: &str = "Repeat families";
    let mut rows: Vec<&Pattern> = patterns.iter().filter(|p| is_family(p.kind) && !p.days.is_empty()).collect();
    if rows.is_empty() {
        return Ok(empty(ChartKind::RepeatFamilies, TITLE, "No repeat families in this period."));
    }
    rows.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.subject.cmp(&b.subject)));
    let shown = rows.len().min(FAMILIES_TOP);
    let left_out = rows.len() - shown;
    rows.truncate(shown);
    // Every incident's day, whether or not the pattern's list of incidents was kept short.
    let first = rows.iter().filter_map(|p| p.days.first()).min().copied().unwrap_or(to);
    let last = rows.iter().filter_map(|p| p.days.last()).max().copied().unwrap_or(to).max(to);
    let pad = Duration::days(((last - first).num_days() / 30).max(1));
    let (start, end) = (first - pad, last + pad);
    let n = rows.len() as u32;
    let height = 60 + 28 * slots(n);
    let labels: Vec<String> = rows
        .iter()
        .map(|p| match p.kind {
            PatternKind::SimilarFamily => format!("≈ {}", p.subject),
            _ => p.subject.clone(),
        })
        .collect();
    let left = label_width(labels.iter().cloned(), 230.0);
    let (svg, marks) = svg((WIDE, height), colors, |root, marks| {
        let mut chart = row_chart(root, start..end, n, RowRoom { left, right: 24, top_axis: false })?;
        // Ticks within a few months are days ("4 Sep"); over a longer span, months.
        let format = if (end - start).num_days() <= 200 { "%-d %b" } else { "%b %Y" };
        row_axes(&mut chart, colors, &labels, 230.0, None, &|d| d.format(format).to_string())?;
        for (r, pattern) in rows.iter().enumerate() {
            let y = row_of(r, n);
            let (_, bottom) = segment(y, n);
            let color = match pattern.kind {
                PatternKind::RepeatServiceCause => colors.severities[1],
                PatternKind::SimilarFamily => colors.good,
                _ => colors.accent,
            };
            let dates = &pattern.days;
            let (lo, hi) = (dates.first().copied().unwrap_or(to), dates.last().copied().unwrap_or(to));
            chart
                .draw_series(once(PathElement::new(
                    vec![(lo, SegmentValue::CenterOf(y)), (hi, SegmentValue::CenterOf(y))],
                    color.mix(0.35).stroke_width(2),
                )))
                .map_err(draw_err)?;
            // One dot per pixel column: incidents on the same day (or days a pixel apart) would
            // be drawn on top of each other, and a busy family would write thousands of them.
            let mut columns = std::collections::BTreeSet::new();
            let dots: Vec<NaiveDate> = dates
                .iter()
                .copied()
                .filter(|d| columns.insert(chart.backend_coord(&(*d, SegmentValue::CenterOf(y))).0))
                .collect();
            chart
                .draw_series(dots.iter().map(|d| Circle::new((*d, SegmentValue::CenterOf(y)), 5, color.filled())))
                .map_err(draw_err)?;
            marks.push(mark(
                chart.backend_coord(&(start, SegmentValue::Exact(y))),
                chart.backend_coord(&(end, bottom)),
                format!("{}: {}", labels[r], pattern.rule),
                Drill::Pattern { pattern: pattern.kind, subject: pattern.subject.clone(), from, to },
            ));
        }
        Ok(())
    })?;
    let mut caption = "Each row is a family of repeats: a category, a service and root-cause type (second \
                       colour), or incidents whose text is alike across categories (≈, third colour, named by the \
                       words they share). Each dot is an incident on its date; earlier incidents that make the \
                       period's incidents repeats are shown too."
        .to_string();
    if left_out > 0 {
        caption
            .push_str(&format!(" {} with fewer incidents not shown.", plural(left_out as u64, "pattern", "patterns")));
    }
    Ok(drawn(ChartKind::RepeatFamilies, TITLE, caption, (WIDE, height), svg, marks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::drill;
    use crate::analysis::facts::IncidentFacts;
    use crate::analysis::{metrics, patterns};
    use crate::wire::{RoiInputs, RoiReport, Stats};
    use chrono::{DateTime, Utc};
    use proptest::prelude::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn noon(date: NaiveDate) -> DateTime<Utc> {
        date.and_hms_opt(12, 0, 0).unwrap().and_utc()
    }

    fn incident(id: &str, date: NaiveDate, severity: Severity, categories: &[&str], resolve_min: i64) -> IncidentFacts {
        let mut f = IncidentFacts { severity, ..IncidentFacts::example(id, date) };
        f.categories = categories.iter().map(|c| c.to_string()).collect();
        f.markers.detected = Some(noon(date));
        f.markers.resolved = Some(noon(date) + Duration::minutes(resolve_min));
        f
    }

    fn insights(facts: &[IncidentFacts], from: NaiveDate, to: NaiveDate) -> Insights {
        let stats: Stats = metrics::stats(facts, &[], from, to, None, noon(to), to, crate::analysis::ALL_INCIDENTS);
        Insights {
            patterns: patterns::patterns(facts, &[], from, to, crate::analysis::ALL_INCIDENTS),
            roi: RoiReport { to, formula: String::new(), rule: String::new(), categories: Vec::new() },
            budgets: Vec::new(),
            on_this_day: Vec::new(),
            on_this_day_total: 0,
            stats,
        }
    }

    /// Parses the SVG as a renderer would; an unescaped label would fail here.
    fn parses(svg: &str) {
        resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("a valid SVG document");
    }

    #[test]
    fn every_bar_is_a_mark_inside_the_chart_and_the_marks_add_up_to_the_figures() {
        let facts = vec![
            incident("a", day(3, 2), Severity::Sev1, &["Deploy"], 20),
            incident("b", day(3, 3), Severity::Sev2, &["Deploy", "Database"], 200),
            incident("c", day(3, 20), Severity::Sev2, &["Database"], 45),
            incident("d", day(4, 1), Severity::Sev4, &["Network"], 20),
        ];
        let ins = insights(&facts, day(3, 1), day(4, 29));
        let charts = insight_charts(&ins, &ChartPalette::print()).unwrap();
        let of = |kind| charts.iter().find(|c| c.kind == kind).unwrap();
        for chart in charts.iter().filter(|c| c.empty.is_none()) {
            parses(&chart.svg);
            if chart.kind != ChartKind::RepeatFamilies {
                marks_cover_the_bars(chart);
            }
            for m in &chart.marks {
                assert!(m.x >= 0.0 && m.y >= 0.0, "{m:?}");
                assert!(m.x + m.width <= chart.width as f32 + 1.0 && m.y + m.height <= chart.height as f32 + 1.0);
            }
        }
        // Over time: one segment per severity per week with incidents; the drills cover all four.
        let over_time = of(ChartKind::IncidentsOverTime);
        assert_eq!(over_time.marks.len(), 4, "{:#?}", over_time.marks);
        let drilled: usize = over_time.marks.iter().map(|m| drill::behind(&facts, &m.drill).unwrap().len()).sum();
        assert_eq!(drilled, 4);
        assert!(over_time.marks.iter().any(|m| m.label.contains("1 SEV1 incident")));
        // Time to resolve: bars 15–30 min (a, d), 30–60 min (c) and 2–4 h (b).
        let resolve = charts.iter().find(|c| c.measure == Some(Measure::TimeToResolve)).unwrap();
        let counts: Vec<usize> = resolve.marks.iter().map(|m| drill::behind(&facts, &m.drill).unwrap().len()).collect();
        assert_eq!(counts, [2, 1, 1]);
        assert_eq!(resolve.caption, "Median 20 min, p90 3.3 h, mean 1.2 h over 4 incidents.");
        // Pareto: Database and Deploy have two each (name order breaks the tie), Network one.
        let pareto = of(ChartKind::CategoryPareto);
        let labels: Vec<&str> = pareto.marks.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Database: 2 incidents (40% cumulative)",
                "Deploy: 2 incidents (80% cumulative)",
                "Network: 1 incident (100% cumulative)"
            ]
        );
        // Nothing to chart is said, not drawn.
        assert_eq!(of(ChartKind::BudgetBurn).empty.as_deref().map(|e| e.contains("SLO")), Some(true));
        assert!(of(ChartKind::RoiRanking).empty.is_some());
    }

    /// The bars drawn in `svg` (every `<rect>` but the background), as (x, y, width, height).
    fn bars(svg: &str) -> Vec<(f32, f32, f32, f32)> {
        let re = regex::Regex::new(r#"<rect x="(-?\d+)" y="(-?\d+)" width="(\d+)" height="(\d+)""#).unwrap();
        let num = |c: &regex::Captures, i: usize| c[i].parse::<f32>().unwrap();
        re.captures_iter(svg).skip(1).map(|c| (num(&c, 1), num(&c, 2), num(&c, 3), num(&c, 4))).collect()
    }

    /// Every mark lies over a bar drawn for it, inside the plot (not over a margin or an axis
    /// label), and every bar drawn is under a mark: the click targets are where the bars are.
    fn marks_cover_the_bars(chart: &Chart) {
        let drawn = bars(&chart.svg);
        let inside = |m: &ChartMark, b: &(f32, f32, f32, f32)| {
            let (cx, cy) = (b.0 + b.2 / 2.0, b.1 + b.3 / 2.0);
            cx >= m.x - 1.0 && cx <= m.x + m.width + 1.0 && cy >= m.y - 1.0 && cy <= m.y + m.height + 1.0
        };
        for m in &chart.marks {
            assert!(drawn.iter().any(|b| inside(m, b)), "{:?}: no bar under {m:?} in {drawn:?}", chart.kind);
            assert!(m.x > 20.0 && m.y >= 8.0, "{:?}: {m:?} is over the margin", chart.kind);
            assert!(m.x + m.width <= chart.width as f32 && m.y + m.height <= chart.height as f32, "{m:?}");
        }
        let swatch = LEGEND_SWATCH as f32;
        for b in drawn.iter().filter(|b| b.2 > 0.0 && b.3 > 0.0 && (b.2, b.3) != (swatch, swatch)) {
            assert!(chart.marks.iter().any(|m| inside(m, b)), "{:?}: bar {b:?} has no mark", chart.kind);
        }
    }

    #[test]
    fn a_lone_bar_or_row_is_drawn_inside_the_plot_with_its_mark_over_it() {
        use crate::analysis::{budget, roi};
        use crate::model::Service;
        let mut one = incident("a", day(3, 4), Severity::Sev2, &["Deploy"], 200);
        one.services = vec!["ledger".into()];
        one.users_affected_pct = Some(50.0);
        one.markers.started = one.markers.detected;
        let facts = vec![one];
        let (from, to) = (day(3, 2), day(3, 8)); // one ISO week: one column
        let mut ins = insights(&facts, from, to);
        let service = Service {
            name: "ledger".into(),
            description: String::new(),
            slo_target: Some(0.99),
            slo_window_days: Some(30),
            team: None,
            retired: false,
        };
        ins.budgets = budget::budgets(&[service], to, &facts);
        ins.roi = roi::report(vec![("Deploy".into(), RoiInputs::default(), false, vec![])], to, &facts);
        let charts = insight_charts(&ins, &ChartPalette::print()).unwrap();
        for kind in
            [ChartKind::IncidentsOverTime, ChartKind::CategoryPareto, ChartKind::BudgetBurn, ChartKind::RoiRanking]
        {
            let chart = charts.iter().find(|c| c.kind == kind).unwrap();
            assert_eq!(chart.marks.len(), 1, "{kind:?}: {:?}", chart.empty);
            marks_cover_the_bars(chart);
        }
    }

    #[test]
    fn many_categories_fit_the_pareto_and_the_rest_is_one_bar_of_labels() {
        let facts: Vec<IncidentFacts> = (0..20)
            .map(|i| incident(&format!("i{i}"), day(3, 1 + i), Severity::Sev3, &[&format!("cat {i:02}")], 30))
            .collect();
        let ins = insights(&facts, day(3, 1), day(3, 31));
        let pareto = category_pareto(&ins.stats.current, &ChartPalette::print().colors().unwrap()).unwrap();
        assert_eq!(pareto.marks.len(), PARETO_TOP);
        let other = pareto.marks.last().unwrap();
        assert!(other.label.starts_with("9 other categories: 9 labels"), "{}", other.label);
        assert_eq!(drill::behind(&facts, &other.drill).unwrap().len(), 9);
        marks_cover_the_bars(&pareto);
    }

    #[test]
    fn roi_figures_too_large_to_draw_are_left_to_the_table_and_quiet_categories_are_not_drawn() {
        use crate::analysis::roi;
        let mut f = incident("a", day(3, 4), Severity::Sev2, &["Deploy"], 200);
        f.users_affected_pct = Some(100.0);
        f.markers.started = f.markers.detected;
        let facts = vec![f];
        // An hourly cost near the largest float: the annual cost overflows to infinity.
        let huge = RoiInputs { hourly_cost: 1e308, ..RoiInputs::default() };
        let rows = vec![("Deploy".into(), huge, true, vec![]), ("Quiet".into(), RoiInputs::default(), false, vec![])];
        let report = roi::report(rows, day(3, 31), &facts);
        let chart = roi_ranking(&report, &ChartPalette::print().colors().unwrap()).unwrap();
        assert!(chart.svg.is_empty() && chart.empty.is_some(), "{:?}", chart.empty);
        assert!(chart.caption.contains("1 category without incidents in the window not shown"), "{}", chart.caption);

        let rows = vec![
            ("Deploy".into(), RoiInputs::default(), false, vec![]),
            ("Quiet".into(), RoiInputs::default(), false, vec![]),
        ];
        let chart =
            roi_ranking(&roi::report(rows, day(3, 31), &facts), &ChartPalette::print().colors().unwrap()).unwrap();
        assert_eq!(chart.marks.len(), 1, "only the category with incidents is ranked");
        marks_cover_the_bars(&chart);
    }

    #[test]
    fn a_busy_family_draws_one_dot_per_pixel_column_not_one_per_incident() {
        // 300 incidents of one category over 10 days: 10 columns of dots, not 300 circles.
        let facts: Vec<IncidentFacts> = (0..300)
            .map(|i| incident(&format!("i{i:03}"), day(3, 1 + i / 30), Severity::Sev3, &["Deploy"], 30))
            .collect();
        let ins = insights(&facts, day(3, 1), day(3, 31));
        let chart =
            repeat_families(&ins.patterns, day(3, 1), day(3, 31), &ChartPalette::print().colors().unwrap()).unwrap();
        assert_eq!(chart.svg.matches("<circle").count(), 10, "one dot per day");
        let drill = Drill::Pattern {
            pattern: PatternKind::RepeatCategory,
            subject: "Deploy".into(),
            from: day(3, 1),
            to: day(3, 31),
        };
        assert_eq!(chart.marks[0].drill, drill, "the row opens its pattern's incidents, by rule");
    }

    #[test]
    fn thousands_of_incidents_leave_the_axis_name_clear_of_the_counts() {
        // 5,000 incidents in one month: the counts on the axis run to four digits.
        let (from, to) = (day(1, 1), day(6, 30));
        let facts: Vec<IncidentFacts> = (0..5000)
            .map(|i| incident(&format!("i{i:05}"), day(3, 1 + (i % 28) as u32), Severity::Sev3, &["dns"], 30))
            .collect();
        let charts = insight_charts(&insights(&facts, from, to), &ChartPalette::print()).unwrap();
        let over_time = charts.iter().find(|c| c.kind == ChartKind::IncidentsOverTime).unwrap();
        let font = Font::get(Weight::Regular);
        // The axis name is turned on its side around its x; the counts end at theirs.
        let attr = |tag: &str, name: &str| -> f32 {
            let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[at..].split('"').next().unwrap().parse().unwrap()
        };
        let texts: Vec<(&str, &str)> = over_time
            .svg
            .split("<text")
            .skip(1)
            .map(|t| {
                let (tag, rest) = t.split_once('>').unwrap();
                (tag, rest.split("</text>").next().unwrap().trim())
            })
            .collect();
        let (name_tag, _) = texts.iter().find(|(tag, _)| tag.contains("rotate(270")).expect("the axis name");
        let name_right = attr(name_tag, "x") + LABEL_PX as f32 / 2.0;
        let counts: Vec<&(&str, &str)> =
            texts.iter().filter(|(tag, t)| tag.contains("text-anchor=\"end\"") && t.parse::<u32>().is_ok()).collect();
        assert!(counts.iter().any(|(_, t)| t.len() == 4), "four-digit counts on the axis");
        for (tag, t) in counts {
            let left = attr(tag, "x") - font.width(t, LABEL_PX as f32);
            assert!(left > name_right, "{t} starts at {left}, over the axis name ending at {name_right}");
        }
    }

    #[test]
    fn an_empty_period_draws_nothing_and_says_why() {
        let ins = insights(&[], day(3, 1), day(3, 31));
        for chart in insight_charts(&ins, &ChartPalette::print()).unwrap() {
            assert!(chart.svg.is_empty() && chart.marks.is_empty(), "{:?}", chart.kind);
            assert!(chart.empty.is_some(), "{:?}", chart.kind);
        }
    }

    #[test]
    fn a_long_period_is_charted_by_month_and_a_short_one_by_week() {
        let facts = vec![incident("a", day(1, 5), Severity::Sev3, &["Deploy"], 10)];
        let short = insights(&facts, day(1, 1), day(3, 31));
        let long = insights(&facts, day(1, 1), day(12, 31));
        let label = |ins: &Insights| insight_charts(ins, &ChartPalette::print()).unwrap()[0].marks[0].label.clone();
        assert!(label(&short).starts_with("Week of 5 Jan"), "{}", label(&short));
        assert!(label(&long).starts_with("January 2026"), "{}", label(&long));
    }

    #[test]
    fn a_bad_colour_is_refused_naming_its_field() {
        let mut palette = ChartPalette::print();
        palette.severities[2] = "yellow".into();
        let ins = insights(&[], day(3, 1), day(3, 31));
        let err = insight_charts(&ins, &palette).unwrap_err().to_string();
        assert!(err.contains("palette.severities[2]") && err.contains("yellow"), "{err}");
        assert_eq!(hex("f", "#abc").unwrap(), RGBColor(0xaa, 0xbb, 0xcc));
        assert_eq!(hex("f", " #0A1b2C ").unwrap(), RGBColor(0x0a, 0x1b, 0x2c));
        for bad in ["", "#", "#12345", "123456", "#gg0000", "#ééé"] {
            assert!(hex("f", bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Category names are user text: any Unicode, markup included, draws a valid SVG.
        #[test]
        fn any_category_name_draws_a_valid_svg(names in proptest::collection::vec(any::<String>(), 1..6)) {
            let facts: Vec<IncidentFacts> = names
                .iter()
                .enumerate()
                .map(|(i, n)| incident(&format!("i{i}"), day(3, 1 + i as u32), Severity::Sev2, &[n.as_str(), "<b>&'\""], 30))
                .collect();
            let ins = insights(&facts, day(3, 1), day(3, 31));
            for chart in insight_charts(&ins, &ChartPalette::print()).unwrap() {
                if chart.empty.is_none() {
                    parses(&chart.svg);
                }
            }
        }
    }
}
