//! The PDF of one postmortem: a title block, the people and impact fields, the durations
//! strip, every section's Markdown, the timeline as a table, the 5-whys chains as indented
//! steps, each fishbone as vectors, the contributing factors and the action items as a table.
//! Each part is numbered and in the outline.
//!
//! The document is drawn from the postmortem it is given: an anonymized export passes the
//! anonymized copy, so nothing here needs to know about people.

use chrono::{DateTime, NaiveDate, Utc};

use super::canvas::{Canvas, Colour, Metadata, Paint, CONTENT_WIDTH, MARGIN_X};
use super::flow::{Column, Flow, Furniture, Span, Style, Table, INK, MUTED, RULE, SHADE};
use super::vector::{draw_svg, svg_size, Placement};
use super::{markdown, Rendered};
use crate::model::{ContributingFactor, Durations, Postmortem, Severity, WhysChain};
use crate::report::charts::minutes_text;
use crate::report::fishbone::layout;
use crate::report::fonts::Face;
use crate::report::svg::fishbone_svg;
use crate::Result;

/// How a postmortem PDF is produced.
#[derive(Debug, Clone)]
pub struct PostmortemPdf {
    /// When it is produced (printed in the footer and the metadata).
    pub produced: DateTime<Utc>,
    /// Whether people were replaced by roles (printed, so a reader knows).
    pub anonymized: bool,
}

/// The print colour of a severity.
pub fn severity_colour(severity: Severity) -> Colour {
    match severity {
        Severity::Sev1 => Colour::rgb(0xb4, 0x23, 0x18),
        Severity::Sev2 => Colour::rgb(0xb1, 0x4a, 0x06),
        Severity::Sev3 => Colour::rgb(0x8a, 0x68, 0x00),
        Severity::Sev4 => Colour::rgb(0x3c, 0x58, 0x78),
    }
}

pub use crate::model::names::words;

/// An outline title numbered so printpdf, which orders entries on one page by title, keeps
/// them in reading order (a space sorts before any digit, so " 9" comes before "10").
pub fn numbered(n: usize, title: &str) -> String {
    format!("{n:>2} {title}")
}

/// A numbered part: a bookmarked level-1 heading.
pub fn part(flow: &mut Flow, counter: &mut usize, title: &str) {
    *counter += 1;
    let heading = format!("{} {title}", *counter);
    flow.heading(&heading, 1, Some(&numbered(*counter, title)));
}

/// Label and value pairs as a two-column grid of small text.
pub fn fields(flow: &mut Flow, rows: &[(&str, String)]) {
    let label_width = 120.0;
    for (label, value) in rows {
        let value_lines = super::flow::layout(
            &mut flow.canvas,
            &[Span::new(value.clone(), Style::body().size(9.0))],
            CONTENT_WIDTH - label_width,
        );
        let first = value_lines.first().map_or(12.0, |l| l.height);
        flow.need(first);
        let top = flow.y;
        let label_style = Style::body().size(9.0).colour(MUTED);
        let label_lines = super::flow::layout(&mut flow.canvas, &[Span::new(*label, label_style)], label_width - 8.0);
        flow.lines(&label_lines, MARGIN_X);
        let after_label = (flow.page, flow.y);
        flow.y = top;
        flow.lines(&value_lines, MARGIN_X + label_width);
        if after_label.0 == flow.page {
            flow.y = flow.y.max(after_label.1);
        }
    }
}

/// The durations strip: five boxes, each a duration's name and value; with `explained`, the
/// rule of each duration in a line below.
pub fn durations_strip(flow: &mut Flow, durations: &Durations, explained: bool) {
    let items = [
        ("Time to detect", durations.time_to_detect_min),
        ("Time to acknowledge", durations.time_to_acknowledge_min),
        ("Time to mitigate", durations.time_to_mitigate_min),
        ("Time to resolve", durations.time_to_resolve_min),
        ("Impact duration", durations.impact_duration_min),
    ];
    let gap = 6.0;
    let width = (CONTENT_WIDTH - gap * 4.0) / 5.0;
    let height = 40.0;
    flow.gap(6.0);
    flow.need(height + 4.0);
    let (page, top) = (flow.page, flow.y);
    for (i, (label, minutes)) in items.iter().enumerate() {
        let x = MARGIN_X + i as f32 * (width + gap);
        flow.canvas.rect(
            page,
            x,
            top,
            width,
            height,
            Paint { fill: Some(SHADE), stroke: Some((RULE, 0.5)), even_odd: false },
        );
        let label_style = Style::body().size(7.5).colour(MUTED);
        let label = super::flow::fit(&mut flow.canvas, label, &label_style, width - 10.0);
        flow.canvas.text(page, x + 5.0, top + 13.0, Face::Regular, 7.5, MUTED, &label);
        let value = minutes.map_or_else(|| "not known".to_string(), |m| minutes_text(m as f64));
        let (face, colour, size) = if minutes.is_some() { (Face::Bold, INK, 13.0) } else { (Face::Italic, MUTED, 9.5) };
        let value_style = Style::body().face(face).size(size);
        let value = super::flow::fit(&mut flow.canvas, &value, &value_style, width - 10.0);
        flow.canvas.text(page, x + 5.0, top + 31.0, face, size, colour, &value);
    }
    flow.y = top + height + 4.0;
    if !explained {
        return;
    }
    let note =
        "Detect: started to detected. Acknowledge, mitigate and resolve: from detected. Impact: started to resolved. \
                From the timeline's markers; \"not known\" when a marker is missing.";
    flow.paragraph(&[Span::new(note, Style::small().size(7.5).colour(MUTED))], MARGIN_X, CONTENT_WIDTH);
}

/// A drawing in SVG placed across the column, scaled down to fit the width and, when it is
/// taller than a page, the page.
pub fn drawing(flow: &mut Flow, svg: &str, max_scale: f32) -> Result<()> {
    drawing_within(flow, svg, max_scale, max_scale)
}

/// [`drawing`], shrunk down to `min_scale` to fit in what is left of the page before moving
/// to the next one.
pub fn drawing_within(flow: &mut Flow, svg: &str, max_scale: f32, min_scale: f32) -> Result<()> {
    let (w, h) = svg_size(svg)?;
    let page_room = flow.bottom() - super::canvas::MARGIN_TOP;
    let mut scale = (CONTENT_WIDTH / w).min(page_room / h).min(max_scale);
    let room_scale = (flow.room() - 6.0) / h;
    if room_scale < scale && room_scale >= min_scale.min(scale) {
        scale = room_scale;
    }
    flow.need(h * scale);
    let x = MARGIN_X + (CONTENT_WIDTH - w * scale) / 2.0;
    let (_, height) = draw_svg(&mut flow.canvas, svg, Placement { page: flow.page, x, y: flow.y, scale })?;
    flow.y += height + 6.0;
    Ok(())
}

fn time_text(at: DateTime<Utc>, day: NaiveDate, approximate: bool) -> String {
    let prefix = if approximate { "~" } else { "" };
    if at.date_naive() == day {
        format!("{prefix}{}", at.format("%H:%M"))
    } else {
        format!("{prefix}{}", at.format("%d %b %H:%M"))
    }
}

/// The 5-whys chains as indented steps: each answer under its question, branches indented.
pub fn whys(flow: &mut Flow, chains: &[WhysChain], pm: &Postmortem) {
    for chain in chains {
        flow.gap(4.0);
        flow.paragraph(
            &[Span::new("Problem: ", Style::body().face(Face::Bold)), Span::new(chain.problem.clone(), Style::body())],
            MARGIN_X,
            CONTENT_WIDTH,
        );
        let mut stack: Vec<(&str, usize)> = chain
            .steps
            .iter()
            .filter(|s| s.parent_id.as_deref().is_none_or(|p| !chain.steps.iter().any(|o| o.id == p)))
            .map(|s| (s.id.as_str(), 0))
            .rev()
            .collect();
        let mut number = 0;
        let mut seen = std::collections::HashSet::new();
        while let Some((id, depth)) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(step) = chain.steps.iter().find(|s| s.id == id) else { continue };
            number += 1;
            let x = MARGIN_X + 10.0 + depth.min(8) as f32 * 16.0;
            let question = if step.question.trim().is_empty() { "Why?".to_string() } else { step.question.clone() };
            flow.item(&format!("{number}."), &[Span::new(question, Style::body().face(Face::Bold))], x, 16.0);
            let mut answer = vec![
                Span::new("Because ", Style::body().colour(MUTED)),
                Span::new(
                    if step.answer.trim().is_empty() { "(no answer yet)".into() } else { step.answer.clone() },
                    Style::body(),
                ),
            ];
            let evidence: Vec<String> = step
                .evidence
                .iter()
                .map(|e| match pm.timeline.iter().find(|t| &t.id == e) {
                    Some(event) => time_text(event.at, pm.incident_date, event.approximate),
                    None => "a deleted event".to_string(),
                })
                .collect();
            if !evidence.is_empty() {
                answer.push(Span::new(format!("  (evidence: {})", evidence.join(", ")), Style::small().colour(MUTED)));
            }
            flow.paragraph(&answer, x + 16.0, MARGIN_X + CONTENT_WIDTH - x - 16.0);
            let children: Vec<&str> =
                chain.steps.iter().filter(|s| s.parent_id.as_deref() == Some(id)).map(|s| s.id.as_str()).collect();
            for child in children.into_iter().rev() {
                stack.push((child, depth + 1));
            }
        }
    }
}

/// The contributing factors as a list, each led by its category.
pub fn factors(flow: &mut Flow, factors: &[ContributingFactor]) {
    for factor in factors {
        let mut spans = Vec::new();
        if let Some(category) = factor.category.as_deref().filter(|c| !c.trim().is_empty()) {
            spans.push(Span::new(format!("{category}: "), Style::body().face(Face::Bold)));
        }
        spans.extend(markdown::inline(&factor.text, &Style::body()));
        flow.item("•", &spans, MARGIN_X + 2.0, 12.0);
    }
}

/// A table cell of plain small text.
pub fn cell(text: String) -> Vec<Span> {
    vec![Span::new(text, Style::small())]
}

/// The timeline as a table of time, kind, marker and text.
pub fn timeline_table(pm: &Postmortem) -> Table {
    let mut events: Vec<_> = pm.timeline.iter().collect();
    events.sort_by_key(|e| e.at);
    Table {
        columns: vec![
            Column::new("Time (UTC)", 1.25),
            Column::new("Kind", 2.05),
            Column::new("Marker", 1.75),
            Column::new("What happened", 5.6),
        ],
        rows: events
            .iter()
            .map(|e| {
                vec![
                    cell(time_text(e.at, pm.incident_date, e.approximate)),
                    cell(words(e.kind.as_str())),
                    vec![Span::new(
                        e.marker.map(|m| words(m.as_str())).unwrap_or_default(),
                        Style::small().face(Face::Bold),
                    )],
                    markdown::inline(&e.text, &Style::small()),
                ]
            })
            .collect(),
    }
}

/// The action items as a table.
pub fn actions_table(pm: &Postmortem) -> Table {
    Table {
        columns: vec![
            Column::new("Action", 5.0),
            Column::new("Owner", 1.7),
            Column::new("Due", 1.4),
            Column::new("Priority", 1.2),
            Column::new("Kind", 1.1),
            Column::new("Status", 1.2),
        ],
        rows: pm
            .action_items
            .iter()
            .map(|a| {
                let mut what = vec![Span::new(a.title.clone(), Style::small().face(Face::Bold))];
                if !a.description.trim().is_empty() {
                    what.push(Span::new("\n", Style::small()));
                    what.extend(markdown::inline(a.description.trim(), &Style::small()));
                }
                if let Some(reason) = a.wont_do_reason.as_deref().filter(|r| !r.trim().is_empty()) {
                    what.push(Span::new(format!("\nWon't do: {}", reason.trim()), Style::small().face(Face::Italic)));
                }
                if let Some(url) = a.tracker_url.as_deref().filter(|u| !u.trim().is_empty()) {
                    let mut style = Style::small().colour(super::flow::LINK);
                    style.link = Some(url.to_string());
                    what.push(Span::new(format!("\n{url}"), style));
                }
                let status = words(a.status.as_str());
                vec![
                    what,
                    cell(a.owner.clone().unwrap_or_else(|| "no owner".into())),
                    cell(a.due_date.map_or_else(|| "no date".into(), |d| d.to_string())),
                    cell(a.priority.as_str().to_uppercase()),
                    cell(words(a.kind.as_str())),
                    cell(status),
                ]
            })
            .collect(),
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none recorded".to_string()
    } else {
        items.join(", ")
    }
}

/// The title block: the title, a line of severity, status and date, and the services and
/// categories.
pub fn title_block(flow: &mut Flow, pm: &Postmortem) {
    let title_style = Style::body().face(Face::Bold).size(19.0).colour(INK);
    flow.paragraph(&[Span::new(pm.title.clone(), title_style)], MARGIN_X, CONTENT_WIDTH);
    flow.gap(4.0);
    let mut badges = vec![
        Span::new(
            format!("{}  ", pm.severity.as_str()),
            Style::body().face(Face::Bold).size(11.0).colour(severity_colour(pm.severity)),
        ),
        Span::new(
            format!("{}  ·  {}", words(pm.status.as_str()), pm.incident_date.format("%A %-d %B %Y")),
            Style::body().size(11.0),
        ),
    ];
    if pm.near_miss {
        badges.push(Span::new("  ·  near miss", Style::body().size(11.0).face(Face::Italic)));
    }
    if pm.novel_failure_mode {
        badges.push(Span::new("  ·  novel failure mode", Style::body().size(11.0).face(Face::Italic)));
    }
    flow.paragraph(&badges, MARGIN_X, CONTENT_WIDTH);
    flow.gap(2.0);
    fields(flow, &[("Services", list_or_none(&pm.services)), ("Categories", list_or_none(&pm.categories))]);
}

/// Renders one postmortem as a PDF.
pub fn render(pm: &Postmortem, options: &PostmortemPdf) -> Result<Rendered> {
    let mut flow = Flow::new(Canvas::new(&pm.title));
    flow.canvas.bookmark(&numbered(0, "Overview"), 0);
    title_block(&mut flow, pm);
    let mut n = 0;

    part(&mut flow, &mut n, "People and impact");
    let participants: Vec<String> = pm.participants.iter().map(|p| format!("{} ({})", p.name, p.role)).collect();
    let mut rows = vec![
        ("Authors", list_or_none(&pm.authors)),
        ("Incident commander", pm.incident_commander.clone().unwrap_or_else(|| "none recorded".into())),
        ("Reviewers", list_or_none(&pm.reviewers)),
        ("Participants", list_or_none(&participants)),
    ];
    if !pm.tags.is_empty() {
        rows.push(("Tags", pm.tags.join(", ")));
    }
    if let Some(template) = &pm.template {
        rows.push(("Template", template.clone()));
    }
    let unknown = || "not recorded".to_string();
    rows.extend([
        ("Users affected", pm.users_affected_pct.map_or_else(unknown, |v| format!("{v}%"))),
        ("Revenue impact", pm.revenue_impact.map_or_else(unknown, |v| format!("{v:.0}"))),
        ("Support tickets", pm.support_tickets.map_or_else(unknown, |v| v.to_string())),
        ("Error budget consumed", pm.error_budget_consumed_pct.map_or_else(unknown, |v| format!("{v}%"))),
        ("Data impact", pm.data_impact.clone().filter(|d| !d.trim().is_empty()).unwrap_or_else(|| "none".into())),
    ]);
    fields(&mut flow, &rows);
    durations_strip(&mut flow, &Durations::from_timeline(&pm.timeline), true);

    for section in &pm.sections {
        let heading = if section.heading.trim().is_empty() { words(&section.key) } else { section.heading.clone() };
        part(&mut flow, &mut n, &heading);
        if section.body.trim().is_empty() {
            flow.text(&[Span::new("Not written yet.", Style::body().face(Face::Italic).colour(MUTED))]);
        } else {
            markdown::render(&mut flow, &section.body, MARGIN_X, CONTENT_WIDTH);
        }
    }

    part(&mut flow, &mut n, "Timeline of events");
    if pm.timeline.is_empty() {
        flow.text(&[Span::new("No events recorded.", Style::body().face(Face::Italic).colour(MUTED))]);
    } else {
        flow.table(&timeline_table(pm), MARGIN_X, CONTENT_WIDTH);
    }

    if !pm.whys.is_empty() {
        part(&mut flow, &mut n, "5 whys");
        whys(&mut flow, &pm.whys, pm);
    }
    for fishbone in &pm.fishbones {
        part(&mut flow, &mut n, &format!("Fishbone: {}", fishbone.effect));
        drawing(&mut flow, &fishbone_svg(&layout(fishbone), &fishbone.effect), 1.0)?;
    }

    part(&mut flow, &mut n, "Contributing factors");
    if pm.contributing_factors.is_empty() {
        flow.text(&[Span::new("None recorded.", Style::body().face(Face::Italic).colour(MUTED))]);
    }
    factors(&mut flow, &pm.contributing_factors);

    part(&mut flow, &mut n, "Action items");
    if pm.action_items.is_empty() {
        flow.text(&[Span::new("None recorded.", Style::body().face(Face::Italic).colour(MUTED))]);
    } else {
        flow.table(&actions_table(pm), MARGIN_X, CONTENT_WIDTH);
    }

    let produced = options.produced.format("%Y-%m-%d").to_string();
    let furniture = Furniture {
        header_left: pm.title.clone(),
        header_right: format!("Postmortem · {} · {}", pm.severity.as_str(), pm.incident_date),
        footer_left: if options.anonymized {
            format!("Debrief · exported {produced} · anonymized: people are shown by role")
        } else {
            format!("Debrief · exported {produced}")
        },
    };
    let canvas = flow.finish(&furniture);
    let pages = canvas.page_count();
    let missing = canvas.missing().iter().copied().collect();
    let meta = Metadata {
        title: pm.title.clone(),
        author: if options.anonymized { "Debrief".into() } else { pm.authors.join(", ") },
        subject: format!("Postmortem of a {} incident on {}", pm.severity.as_str(), pm.incident_date),
        keywords: pm.services.iter().chain(&pm.categories).cloned().collect(),
        produced: options.produced,
    };
    Ok(Rendered { bytes: canvas.finish(&meta), pages, missing })
}
