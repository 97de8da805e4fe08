//! The learning-review digest of a period, for leaders: stories first, then distributions.
//!
//! A cover; a one-page summary written as sentences from the figures; the most instructive
//! incidents, one page each (the rule that picks them is printed with them); the key figures
//! with the Insights screen's charts, drawn as vectors from the same SVG; repeat families with
//! their rules; the prevention-ROI ranking with its inputs; action-item follow-through; near
//! misses in brief; an appendix listing every incident of the period; and, on the last page,
//! what makes the numbers reproducible (filters, count, a hash of the documents, the version).

use chrono::{DateTime, NaiveDate, Utc};

use super::canvas::{Canvas, Metadata, CONTENT_WIDTH, MARGIN_TOP, MARGIN_X};
use super::flow::{Column, Flow, Furniture, Span, Style, Table, ACCENT, MUTED};
use super::postmortem::{
    cell, drawing, drawing_within, durations_strip, factors, fields, numbered, part, severity_colour, timeline_table,
    title_block, whys, words,
};
use super::vector::svg_size;
use super::{markdown, Rendered};
use crate::analysis::followthrough::FollowThrough;
use crate::analysis::metrics::Measure;
use crate::analysis::patterns::PatternKind;
use crate::exchange::anonymize::Anonymizer;
use crate::model::{Durations, Postmortem, Severity};
use crate::report::charts::{insight_charts, minutes_text, Chart, ChartKind, ChartPalette};
use crate::report::fishbone::layout;
use crate::report::fonts::Face;
use crate::report::svg::fishbone_svg;
use crate::wire::{DurationStats, Insights, Ratio};
use crate::Result;

/// The most instructive incidents the digest tells, at most.
pub const STORIES: usize = 5;

/// The newest incidents listed under each repeat pattern.
const PATTERN_INCIDENTS: usize = 4;

/// The rule that picks the stories, printed in the digest.
pub const STORY_RULE: &str = "Incidents are taken SEV1 first, then SEV2; after those, novel failure modes, then near \
     misses, then the rest by severity. Within each group the longest impact comes first, then the most recent.";

/// Action items opened and closed in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemFlow {
    /// Items created in the period.
    pub opened: u32,
    /// Items marked done in the period.
    pub done: u32,
}

/// What a digest shows, gathered by `Library::digest_data`.
#[derive(Debug)]
pub struct DigestData {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// The day the follow-through is counted as of.
    pub today: NaiveDate,
    /// When it was produced.
    pub produced: DateTime<Utc>,
    /// The library's name.
    pub library: String,
    /// The figures of the period, every list whole.
    pub insights: Insights,
    /// Action-item follow-through across the library as of `today`.
    pub follow: FollowThrough,
    /// Items opened and closed in the period.
    pub items: ItemFlow,
    /// Every postmortem of the period, oldest first (already anonymized when asked).
    pub incidents: Vec<Postmortem>,
    /// SHA-256 of the period's postmortems as stored.
    pub data_hash: String,
    /// The export's anonymizer, when people are to be replaced.
    pub anonymizer: Option<Anonymizer>,
}

/// The postmortems the digest tells as stories, in order, by [`STORY_RULE`].
pub fn stories(incidents: &[Postmortem]) -> Vec<&Postmortem> {
    let mut ranked: Vec<&Postmortem> = incidents.iter().collect();
    let group = |pm: &Postmortem| match pm.severity {
        Severity::Sev1 => 0,
        Severity::Sev2 => 1,
        _ if pm.novel_failure_mode => 2,
        _ if pm.near_miss => 3,
        Severity::Sev3 => 4,
        Severity::Sev4 => 5,
    };
    let impact = |pm: &Postmortem| Durations::from_timeline(&pm.timeline).impact_duration_min.unwrap_or(-1);
    ranked.sort_by(|a, b| {
        group(a)
            .cmp(&group(b))
            .then(impact(b).cmp(&impact(a)))
            .then(b.incident_date.cmp(&a.incident_date))
            .then(a.id.cmp(&b.id))
    });
    ranked.truncate(STORIES);
    ranked
}

fn period_text(from: NaiveDate, to: NaiveDate) -> String {
    format!("{} to {}", from.format("%-d %B %Y"), to.format("%-d %B %Y"))
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "no figure".to_string(), |r| format!("{:.0}%", r * 100.0))
}

fn ratio_text(r: &Ratio) -> String {
    match r.rate {
        Some(rate) => format!("{} of {} ({:.0}%)", r.count, r.of, rate * 100.0),
        None => "none to count".to_string(),
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn distribution(name: &str, stats: &DurationStats) -> Option<String> {
    let (median, p90) = (stats.median_min?, stats.p90_min?);
    Some(format!(
        "{name}: median {}, 90th percentile {}, over {} that have the markers it needs{}.",
        minutes_text(median),
        minutes_text(p90),
        plural(stats.n, "incident", "incidents"),
        if stats.lacking_total > 0 { format!(" ({} lacked them)", stats.lacking_total) } else { String::new() }
    ))
}

/// The summary's sentences, from the figures.
pub fn summary_sentences(data: &DigestData) -> Vec<String> {
    let current = &data.insights.stats.current;
    let previous = &data.insights.stats.previous;
    let c = &current.incidents;
    let mut out = Vec::new();
    let near = match current.near_misses {
        0 => String::new(),
        n => format!(" and {}", plural(n, "near miss", "near misses")),
    };
    let first = format!(
        "{}, {} of them SEV1, {} SEV2{near}, against {} in the {} days before.",
        plural(c.total, "incident", "incidents"),
        c.sev1,
        c.sev2,
        previous.incidents.total,
        (current.to - current.from).num_days() + 1
    );
    out.push(first);
    let mut categories: Vec<_> = current.by_category.iter().collect();
    categories.sort_by(|a, b| b.incidents.total.cmp(&a.incidents.total).then(a.key.cmp(&b.key)));
    if let Some(top) = categories.first() {
        let others: Vec<String> =
            categories.iter().skip(1).take(2).map(|b| format!("{} ({})", b.key, b.incidents.total)).collect();
        let others = if others.is_empty() { String::new() } else { format!(", then {}", others.join(" and ")) };
        out.push(format!(
            "The most frequent category was {} with {}{others}.",
            top.key,
            plural(top.incidents.total, "incident", "incidents")
        ));
    }
    let d = &current.durations;
    out.extend(distribution("Time to detect", &d.time_to_detect));
    out.extend(distribution("Time to resolve", &d.time_to_resolve));
    out.extend(distribution("Impact", &d.impact));
    let repeats = match current.repeats.rate.of {
        0 => "No incident repeated a category seen in the 90 days before it".to_string(),
        _ => format!(
            "{} of {} incidents repeated a category seen in the 90 days before them",
            current.repeats.rate.count, current.repeats.rate.of
        ),
    };
    let finals = match current.sev12_final.of {
        0 => "there were no SEV1 or SEV2 postmortems to finish".to_string(),
        _ => format!("SEV1 and SEV2 postmortems reached Final in {}", ratio_text(&current.sev12_final)),
    };
    out.push(format!("{repeats}; {finals}."));
    let f = &data.follow;
    let completion = match f.completion_rate {
        Some(rate) => format!(
            "{:.0}% of the {} items old enough to count were done within 30 days, against a target of {:.0}%",
            rate * 100.0,
            f.eligible,
            f.completion_target * 100.0
        ),
        None => "no action item is old enough yet to count its completion within 30 days".to_string(),
    };
    out.push(format!(
        "Across the library as of {}, {completion}; {} items are open, {} of them overdue. In the period, {} items were opened and {} done.",
        f.today, f.open, f.overdue, data.items.opened, data.items.done
    ));
    let over: Vec<&str> = data
        .insights
        .budgets
        .iter()
        .filter(|b| matches!(b.status, crate::wire::BudgetStatus::Exhausted))
        .map(|b| b.service.as_str())
        .collect();
    if !data.insights.budgets.is_empty() {
        out.push(match over.len() {
            0 => format!("No service with an SLO ran out of error budget ({} tracked).", data.insights.budgets.len()),
            _ => format!("Error budget exhausted: {}.", over.join(", ")),
        });
    }
    // The ranking's order, among categories that had incidents and a finite return (the chart
    // leaves out the others too).
    if let Some(best) =
        data.insights.roi.categories.iter().find(|c| c.incidents > 0 && c.roi_3y_pct.is_some_and(f64::is_finite))
    {
        out.push(format!(
            "The best prevention return is in {}: {} over three years on the inputs shown later.",
            best.category,
            percent(best.roi_3y_pct.map(|p| p / 100.0))
        ));
    }
    // A rising trend within what chance alone makes likely is listed, but not counted here.
    let found = data.insights.patterns.iter().filter(|p| !p.noise).count();
    let families = data.insights.patterns.iter().filter(|p| p.kind == PatternKind::SimilarFamily).count();
    out.push(format!(
        "{} found; {} of them {}.",
        plural(found as u32, "repeat pattern was", "repeat patterns were"),
        families,
        if families == 1 { "is a family of similar incidents" } else { "are families of similar incidents" }
    ));
    out
}

fn section<'a>(pm: &'a Postmortem, keys: &[&str]) -> Option<&'a str> {
    pm.sections.iter().find(|s| keys.contains(&s.key.as_str()) && !s.body.trim().is_empty()).map(|s| s.body.as_str())
}

/// How a story is set: its text size and the fishbone's largest and smallest scale. The
/// digest tries each in turn until the story fits on one page.
const STORY_FITS: [(f32, f32, f32); 4] = [(1.0, 0.85, 0.55), (0.9, 0.75, 0.45), (0.8, 0.65, 0.4), (0.72, 0.6, 0.38)];

/// One story on a page of its own: set smaller, with its fishbone shrunk, until it fits on
/// that page; a story too long even then goes on over the next.
fn story(flow: &mut Flow, pm: &Postmortem, number: usize, counter: usize) -> Result<()> {
    flow.new_page();
    let start = flow.checkpoint();
    for (i, &(scale, fishbone_max, fishbone_min)) in STORY_FITS.iter().enumerate() {
        flow.scale = scale;
        story_body(flow, pm, number, counter, (fishbone_max, fishbone_min))?;
        if flow.page == start.page() || i + 1 == STORY_FITS.len() {
            break;
        }
        flow.rollback(&start);
    }
    flow.scale = 1.0;
    Ok(())
}

fn story_body(flow: &mut Flow, pm: &Postmortem, number: usize, counter: usize, fishbone: (f32, f32)) -> Result<()> {
    flow.canvas.bookmark(&numbered(counter, &format!("Story {number}: {}", pm.title)), flow.page);
    let label = Style::small().colour(MUTED).face(Face::Bold);
    flow.text(&[Span::new(format!("STORY {number}"), label)]);
    title_block(flow, pm);
    durations_strip(flow, &Durations::from_timeline(&pm.timeline), false);
    let small_heading = |flow: &mut Flow, text: &str| {
        flow.gap(6.0 * flow.scale);
        flow.need(40.0);
        flow.text(&[Span::new(text, Style::body().face(Face::Bold).size(11.0).colour(ACCENT))]);
    };
    if let Some(summary) = section(pm, &["summary", "what_happened"]) {
        small_heading(flow, "Summary");
        markdown::render(flow, summary, MARGIN_X, CONTENT_WIDTH);
    }
    let figures = impact_figures(pm);
    let prose = section(pm, &["impact"]).and_then(first_paragraph);
    if prose.is_some() || !figures.is_empty() {
        small_heading(flow, "Impact");
        if let Some(prose) = prose {
            markdown::render(flow, prose, MARGIN_X, CONTENT_WIDTH);
        }
        if !figures.is_empty() {
            flow.text(&[Span::new(figures.join("  ·  "), Style::body().face(Face::Bold))]);
        }
    }
    let mut highlights = pm.clone();
    highlights.timeline.retain(|e| e.marker.is_some());
    if !highlights.timeline.is_empty() {
        small_heading(flow, "Timeline highlights");
        flow.table(&timeline_table(&highlights), MARGIN_X, CONTENT_WIDTH);
    }
    if !pm.contributing_factors.is_empty() {
        small_heading(flow, "Contributing factors");
        factors(flow, &pm.contributing_factors);
    } else if !pm.whys.is_empty() {
        small_heading(flow, "5 whys");
        whys(flow, &pm.whys, pm);
    }
    if let Some(lessons) = section(pm, &["lessons", "lessons_learned"]) {
        small_heading(flow, "Lessons");
        markdown::render(flow, lessons, MARGIN_X, CONTENT_WIDTH);
    }
    if let Some(diagram) = pm.fishbones.first() {
        let svg = fishbone_svg(&layout(diagram), &diagram.effect);
        // The heading goes where the drawing can follow it at its smallest.
        let (_, h) = svg_size(&svg)?;
        flow.need(h * fishbone.1 + 30.0);
        small_heading(flow, &format!("Fishbone: {}", diagram.effect));
        drawing_within(flow, &svg, fishbone.0, fishbone.1)?;
    }
    Ok(())
}

/// The story's impact in figures: users, revenue, tickets, budget and data, where recorded.
fn impact_figures(pm: &Postmortem) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(v) = pm.users_affected_pct {
        out.push(format!("{v}% of users affected"));
    }
    if let Some(v) = pm.revenue_impact {
        out.push(format!("revenue impact {v:.0}"));
    }
    if let Some(v) = pm.support_tickets {
        out.push(format!("{v} support tickets"));
    }
    if let Some(v) = pm.error_budget_consumed_pct {
        out.push(format!("{v}% of the error budget"));
    }
    if pm.data_impact.as_deref().is_some_and(|d| !d.trim().is_empty()) {
        out.push("data affected".to_string());
    }
    out
}

/// The first paragraph of a section's Markdown that is prose (not a list, table or heading).
fn first_paragraph(markdown: &str) -> Option<&str> {
    markdown.split("\n\n").map(str::trim).find(|block| {
        !block.is_empty()
            && !block.starts_with(['-', '*', '+', '|', '#', '>', '`'])
            && !block.starts_with(char::is_numeric)
    })
}

fn chart(flow: &mut Flow, chart: &Chart) -> Result<()> {
    flow.gap(8.0);
    // The title, the drawing and a line of caption stay on one page.
    let scale = CONTENT_WIDTH / chart.width.max(1) as f32;
    let height = if chart.empty.is_some() { 14.0 } else { chart.height as f32 * scale.min(1.0) };
    flow.need(height + 44.0);
    flow.text(&[Span::new(chart.title.clone(), Style::body().face(Face::Bold).size(11.0))]);
    match &chart.empty {
        Some(why) => flow.text(&[Span::new(why.clone(), Style::body().face(Face::Italic).colour(MUTED))]),
        None => drawing(flow, &chart.svg, CONTENT_WIDTH / chart.width.max(1) as f32)?,
    }
    flow.text(&[Span::new(chart.caption.clone(), Style::small().colour(MUTED))]);
    Ok(())
}

fn money(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| format!("{v:.0}"))
}

/// Renders the digest.
pub fn render(mut data: DigestData) -> Result<Rendered> {
    let period = period_text(data.from, data.to);
    let mut flow = Flow::new(Canvas::new(&format!("Learning review, {period}")));
    let mut n = 0;

    // The cover.
    flow.canvas.bookmark(&numbered(0, "Cover"), 0);
    flow.y = MARGIN_TOP + 180.0;
    flow.text(&[Span::new("Learning review", Style::body().face(Face::Bold).size(30.0).colour(ACCENT))]);
    flow.gap(6.0);
    flow.text(&[Span::new(period.clone(), Style::body().size(16.0))]);
    flow.gap(18.0);
    let cover = Style::body().size(11.0).colour(MUTED);
    flow.text(&[Span::new(format!("Library: {}", data.library), cover.clone())]);
    flow.text(&[Span::new(format!("Produced {}", data.produced.format("%-d %B %Y, %H:%M UTC")), cover.clone())]);
    flow.text(&[Span::new(
        format!("{} in the period", plural(data.incidents.len() as u32, "postmortem", "postmortems")),
        cover.clone(),
    )]);
    if data.anonymizer.is_some() {
        flow.gap(10.0);
        flow.text(&[Span::new(
            "Anonymized: people are shown by their role in each incident, or as Person A, Person B… across incidents.",
            cover,
        )]);
    }

    // The summary.
    flow.new_page();
    part(&mut flow, &mut n, "Summary");
    for sentence in summary_sentences(&data) {
        flow.item("•", &[Span::new(sentence, Style::body().size(10.5))], MARGIN_X + 2.0, 13.0);
        flow.gap(3.0);
    }

    // The stories.
    let told: Vec<Postmortem> = stories(&data.incidents).into_iter().cloned().collect();
    flow.new_page();
    part(&mut flow, &mut n, "The most instructive incidents");
    flow.text(&[Span::new(STORY_RULE, Style::body())]);
    if told.is_empty() {
        flow.text(&[Span::new("No incidents in this period.", Style::body().face(Face::Italic).colour(MUTED))]);
    }
    for (i, pm) in told.iter().enumerate() {
        let line = vec![
            Span::new(
                format!("{}  ", pm.severity.as_str()),
                Style::body().face(Face::Bold).colour(severity_colour(pm.severity)),
            ),
            Span::new(pm.title.clone(), Style::body()),
            Span::new(format!("  {}", pm.incident_date), Style::small().colour(MUTED)),
        ];
        flow.item(&format!("{}.", i + 1), &line, MARGIN_X + 2.0, 16.0);
    }
    for (i, pm) in told.iter().enumerate() {
        n += 1;
        story(&mut flow, pm, i + 1, n)?;
    }

    // Key figures.
    let charts = insight_charts(&data.insights, &ChartPalette::print())?;
    flow.new_page();
    part(&mut flow, &mut n, "Key figures");
    let current = &data.insights.stats.current;
    let previous = &data.insights.stats.previous;
    let median = |s: &DurationStats| s.median_min.map_or_else(|| "–".into(), minutes_text);
    let p90 = |s: &DurationStats| s.p90_min.map_or_else(|| "–".into(), minutes_text);
    let mut rows = vec![
        vec![
            cell("Incidents".into()),
            cell(current.incidents.total.to_string()),
            cell(previous.incidents.total.to_string()),
        ],
        vec![
            cell("SEV1 / SEV2".into()),
            cell(format!("{} / {}", current.incidents.sev1, current.incidents.sev2)),
            cell(format!("{} / {}", previous.incidents.sev1, previous.incidents.sev2)),
        ],
        vec![cell("Near misses".into()), cell(current.near_misses.to_string()), cell(previous.near_misses.to_string())],
    ];
    for &measure in <Measure as strum::VariantArray>::VARIANTS {
        let (c, p) = (measure.of(&current.durations), measure.of(&previous.durations));
        rows.push(vec![
            cell(format!("{} (median · p90)", measure.label())),
            cell(format!("{} · {} (n={})", median(c), p90(c), c.n)),
            cell(format!("{} · {} (n={})", median(p), p90(p), p.n)),
        ]);
    }
    rows.push(vec![
        cell("SEV1/2 postmortems final".into()),
        cell(ratio_text(&current.sev12_final)),
        cell(ratio_text(&previous.sev12_final)),
    ]);
    rows.push(vec![
        cell("Repeat incidents".into()),
        cell(ratio_text(&current.repeats.rate)),
        cell(ratio_text(&previous.repeats.rate)),
    ]);
    let figures = Table {
        columns: vec![
            Column::new("Figure", 3.0),
            Column::new(format!("{} – {}", current.from, current.to), 3.0),
            Column::new(format!("Before: {} – {}", previous.from, previous.to), 3.0),
        ],
        rows,
    };
    flow.table(&figures, MARGIN_X, CONTENT_WIDTH);
    for kind in [ChartKind::IncidentsOverTime, ChartKind::Duration, ChartKind::CategoryPareto, ChartKind::BudgetBurn] {
        for c in charts.iter().filter(|c| c.kind == kind) {
            chart(&mut flow, c)?;
        }
    }

    // Repeat families.
    flow.new_page();
    part(&mut flow, &mut n, "Repeat patterns and families");
    for c in charts.iter().filter(|c| c.kind == ChartKind::RepeatFamilies) {
        chart(&mut flow, c)?;
    }
    if data.insights.patterns.is_empty() {
        flow.text(&[Span::new("No repeat patterns in this period.", Style::body().face(Face::Italic).colour(MUTED))]);
    }
    for pattern in &data.insights.patterns {
        flow.gap(5.0);
        flow.need(40.0);
        let subject = match data.anonymizer.as_mut() {
            Some(a) => a.text(&pattern.subject),
            None => pattern.subject.clone(),
        };
        let kind = match pattern.kind {
            PatternKind::RepeatCategory => "Repeat category",
            PatternKind::RepeatServiceCause => "Repeat service and cause",
            PatternKind::Rising => "Rising",
            PatternKind::RecurrenceAfterPrevention => "Recurrence after prevention",
            PatternKind::SimilarFamily => "Family of similar incidents",
        };
        flow.text(&[Span::new(format!("{kind}: "), Style::body().face(Face::Bold)), Span::new(subject, Style::body())]);
        let rule = match data.anonymizer.as_mut() {
            Some(a) => a.text(&pattern.rule),
            None => pattern.rule.clone(),
        };
        flow.text(&[Span::new(rule, Style::small().colour(MUTED).face(Face::Italic))]);
        for incident in pattern.incidents.iter().rev().take(PATTERN_INCIDENTS) {
            let title = match data.anonymizer.as_mut() {
                Some(a) => a.text(&incident.title),
                None => incident.title.clone(),
            };
            flow.item(
                "–",
                &[Span::new(format!("{}  {title}", incident.incident_date), Style::small())],
                MARGIN_X + 10.0,
                10.0,
            );
        }
        if pattern.total as usize > PATTERN_INCIDENTS {
            let more = format!(
                "and {} earlier (every incident is in the appendix)",
                pattern.total as usize - PATTERN_INCIDENTS
            );
            flow.item("", &[Span::new(more, Style::small().colour(MUTED))], MARGIN_X + 10.0, 10.0);
        }
    }

    // Prevention ROI.
    flow.new_page();
    part(&mut flow, &mut n, "Prevention ROI");
    let roi = &data.insights.roi;
    flow.text(&[Span::new(roi.formula.clone(), Style::small())]);
    flow.text(&[Span::new(roi.rule.clone(), Style::small().colour(MUTED))]);
    for c in charts.iter().filter(|c| c.kind == ChartKind::RoiRanking) {
        chart(&mut flow, c)?;
    }
    let roi_rows = roi
        .categories
        .iter()
        .map(|c| {
            vec![
                cell(c.category.clone()),
                cell(c.incidents.to_string()),
                cell(money(c.annual_cost)),
                cell(format!(
                    "{:.0}/h · {:.0} · {:.0}% · {} d{}",
                    c.inputs.hourly_cost,
                    c.inputs.implementation_cost,
                    c.inputs.effectiveness * 100.0,
                    c.inputs.window_days,
                    if c.saved_inputs { "" } else { " (defaults)" }
                )),
                cell(c.payback_months.map_or_else(|| "–".into(), |m| format!("{m:.1} months"))),
                cell(c.roi_3y_pct.map_or_else(|| "–".into(), |p| format!("{p:.0}%"))),
            ]
        })
        .collect();
    flow.gap(4.0);
    flow.table(
        &Table {
            columns: vec![
                Column::new("Category", 2.6),
                Column::new("Incidents", 1.2),
                Column::new("Annual cost", 1.4),
                Column::new("Inputs: hourly cost · fix cost · effectiveness · window", 3.6),
                Column::new("Payback", 1.4),
                Column::new("3-year ROI", 1.2),
            ],
            rows: roi_rows,
        },
        MARGIN_X,
        CONTENT_WIDTH,
    );

    // Follow-through.
    flow.gap(8.0);
    part(&mut flow, &mut n, "Action-item follow-through");
    let f = &data.follow;
    fields(
        &mut flow,
        &[
            (
                "Done within 30 days",
                format!(
                    "{} of {} items old enough to count: {} (target {:.0}%)",
                    f.done_within_30_days,
                    f.eligible,
                    percent(f.completion_rate),
                    f.completion_target * 100.0
                ),
            ),
            ("Open now", format!("{} items, {} overdue, as of {}", f.open, f.overdue, f.today)),
            ("In the period", format!("{} items opened, {} done", data.items.opened, data.items.done)),
            ("Median days to done", f.median_days_to_done.map_or_else(|| "–".into(), |d| format!("{d:.0} days"))),
        ],
    );
    let owners: Vec<_> = f.by_owner.iter().filter(|o| o.overdue > 0).take(25).collect();
    if !owners.is_empty() {
        flow.gap(6.0);
        let rows = owners
            .iter()
            .map(|o| {
                let owner = match (&o.owner, data.anonymizer.as_mut()) {
                    (Some(name), Some(a)) => a.person(name),
                    (Some(name), None) => name.clone(),
                    (None, _) => "nobody".to_string(),
                };
                vec![cell(owner), cell(o.overdue.to_string()), cell(o.open.to_string())]
            })
            .collect();
        flow.table(
            &Table {
                columns: vec![Column::new("Owner", 4.0), Column::new("Overdue", 1.5), Column::new("Open", 1.5)],
                rows,
            },
            MARGIN_X,
            CONTENT_WIDTH * 0.6,
        );
    }

    // Near misses.
    part(&mut flow, &mut n, "Near misses");
    let near: Vec<&Postmortem> = data.incidents.iter().filter(|pm| pm.near_miss).collect();
    if near.is_empty() {
        flow.text(&[Span::new(
            "No near misses were written up in this period.",
            Style::body().face(Face::Italic).colour(MUTED),
        )]);
    }
    for pm in near {
        let mut spans = vec![
            Span::new(format!("{}  ", pm.incident_date), Style::small().colour(MUTED)),
            Span::new(pm.title.clone(), Style::body().face(Face::Bold)),
        ];
        if let Some(summary) = section(pm, &["summary", "what_happened", "why_it_did_not_become_an_incident"]) {
            let first: String = summary.split_inclusive(['.', '\n']).next().unwrap_or(summary).trim().to_string();
            spans.push(Span::new(" — ", Style::body()));
            spans.extend(markdown::inline(&first, &Style::body()));
        }
        flow.item("•", &spans, MARGIN_X + 2.0, 12.0);
    }

    // Appendix.
    flow.new_page();
    part(&mut flow, &mut n, "Appendix: every incident in the period");
    let appendix = data
        .incidents
        .iter()
        .map(|pm| {
            let impact = Durations::from_timeline(&pm.timeline).impact_duration_min;
            let mut flags = Vec::new();
            if pm.near_miss {
                flags.push("near miss");
            }
            if pm.novel_failure_mode {
                flags.push("novel");
            }
            vec![
                cell(pm.incident_date.to_string()),
                vec![Span::new(
                    pm.severity.as_str(),
                    Style::small().face(Face::Bold).colour(severity_colour(pm.severity)),
                )],
                vec![
                    Span::new(pm.title.clone(), Style::small()),
                    Span::new(
                        if flags.is_empty() { String::new() } else { format!(" ({})", flags.join(", ")) },
                        Style::small().colour(MUTED),
                    ),
                ],
                cell(pm.services.join(", ")),
                cell(pm.categories.join(", ")),
                cell(words(pm.status.as_str())),
                cell(impact.map_or_else(|| "–".into(), |m| minutes_text(m as f64))),
            ]
        })
        .collect();
    flow.table(
        &Table {
            columns: vec![
                Column::new("Date", 1.45),
                Column::new("Sev.", 0.8),
                Column::new("Incident", 4.2),
                Column::new("Services", 1.9),
                Column::new("Categories", 1.9),
                Column::new("Status", 1.1),
                Column::new("Impact", 1.1),
            ],
            rows: appendix,
        },
        MARGIN_X,
        CONTENT_WIDTH,
    );

    // What makes the numbers reproducible.
    flow.gap(10.0);
    flow.need(110.0);
    flow.canvas.bookmark(&numbered(n + 1, "How these figures were made"), flow.page);
    flow.text(&[Span::new("How these figures were made", Style::body().face(Face::Bold).size(11.0))]);
    let version = env!("CARGO_PKG_VERSION");
    let mut command = format!("debrief digest --from {} --to {}", data.from, data.to);
    if data.anonymizer.is_some() {
        command.push_str(" --anonymize");
    }
    fields(
        &mut flow,
        &[
            (
                "Filters",
                format!("incidents dated {} to {} (both included); all services and severities", data.from, data.to),
            ),
            ("Postmortems", data.incidents.len().to_string()),
            ("Data hash", format!("SHA-256 {}", data.data_hash)),
            ("Counted as of", format!("{} (follow-through and overdue items)", data.today)),
            ("Produced by", format!("Debrief {version}: {command}")),
        ],
    );

    let furniture = Furniture {
        header_left: format!("Learning review · {}", data.library),
        header_right: period.clone(),
        footer_left: format!(
            "Debrief {version} · produced {}{}",
            data.produced.format("%Y-%m-%d"),
            if data.anonymizer.is_some() { " · anonymized" } else { "" }
        ),
    };
    let canvas = flow.finish(&furniture);
    let pages = canvas.page_count();
    let missing = canvas.missing().iter().copied().collect();
    let meta = Metadata {
        title: format!("Learning review, {period}"),
        author: format!("Debrief {version}"),
        subject: format!("Learning-review digest of {} for {period}", data.library),
        keywords: vec!["postmortem".into(), "learning review".into()],
        produced: data.produced,
    };
    Ok(Rendered { bytes: canvas.finish(&meta), pages, missing })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pm(id: &str, severity: Severity, novel: bool, near: bool) -> Postmortem {
        let mut pm = Postmortem::from_template(
            id,
            severity,
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            &crate::review::templates::builtin()[0],
            crate::clock::now(),
        );
        pm.id = id.into();
        pm.novel_failure_mode = novel;
        pm.near_miss = near;
        pm
    }

    #[test]
    fn stories_are_sev1_then_sev2_then_novel_then_near_misses_and_at_most_five() {
        let incidents = vec![
            pm("sev4", Severity::Sev4, false, false),
            pm("near", Severity::Sev3, false, true),
            pm("novel", Severity::Sev3, true, false),
            pm("sev2", Severity::Sev2, false, false),
            pm("sev1", Severity::Sev1, false, false),
            pm("sev3", Severity::Sev3, false, false),
        ];
        let ids: Vec<&str> = stories(&incidents).iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["sev1", "sev2", "novel", "near", "sev3"]);
    }

    #[test]
    fn the_first_paragraph_of_prose_skips_lists_and_headings() {
        assert_eq!(first_paragraph("- a\n- b\n\n## H\n\nCheckout failed.\n\nMore."), Some("Checkout failed."));
        assert_eq!(first_paragraph("- only a list"), None);
    }
}
