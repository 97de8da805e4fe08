//! Debrief's own Markdown: one postmortem per file, readable on any git host, and read back
//! exactly (write, read, write again gives the same bytes; a hand edit to one field comes back
//! as just that change).
//!
//! The file is YAML front matter (written by serde-saphyr, read by [`yaml`]; `debrief: 2`
//! marks the format and its version) with the id and every structured field, then the body:
//!
//! - `# Title` (shown for readers; the front matter's `title` is what is read);
//! - each section as `## Heading` followed by a marker line
//!   `<!-- debrief:section id="…" key="…" -->` and its Markdown as written;
//! - the timeline as a table (time, kind, marker, event, id), the contributing factors as a
//!   table, the action items as a table with their ids and a fenced YAML block of the rest of
//!   each item, and the 5-whys chains and fishbones as fenced YAML blocks (lists could not be
//!   exact for every text).
//!
//! Exactness comes from escapes that are also what keeps the file inert (no raw HTML, no
//! `javascript:` link, in any renderer). A section's Markdown goes through
//! [`md_inert::escape`], which also keeps a body line from reading as a marker. Headings
//! escape `\`, `<` and line breaks. Table cells escape `\`, `|`, `<`, newlines and carriage
//! returns as `\\`, `\|`, `\<`, `\n` and `\r`, and a space at either end of a cell as `\s`,
//! so readers can pad cells freely. A fence is longer than any run of backticks inside it.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::exchange::md_inert::{self, escape_line, unescape_line};
use crate::exchange::yaml;
use crate::model::{
    ActionItem, ActionKind, ActionStatus, ContributingFactor, EventKind, FieldConflict, Fishbone, Marker, Participant,
    Postmortem, Priority, ReviewStatus, Section, Severity, StatusChange, TimelineEvent, WhysChain,
};

/// The version of the format this build writes. Version 2 escapes raw HTML and unsafe links in
/// section bodies ([`md_inert`]); version 1 (still read) kept bodies as written but for a
/// backslash before a marker-like line.
pub const FORMAT_VERSION: u32 = 2;
/// What every marker line starts with.
const MARK: &str = "<!-- debrief:";

/// The structured fields, as the front matter holds them. Keys it does not know (written by a
/// newer Debrief, another tool or a person) are kept in `extra` and written back after these.
#[derive(Debug, Serialize, Deserialize)]
struct FrontMatter {
    debrief: u32,
    id: String,
    title: String,
    incident_date: NaiveDate,
    severity: Severity,
    status: ReviewStatus,
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    incident_commander: Option<String>,
    #[serde(default)]
    reviewers: Vec<String>,
    #[serde(default)]
    participants: Vec<Participant>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    near_miss: bool,
    #[serde(default)]
    novel_failure_mode: bool,
    #[serde(default)]
    users_affected_pct: Option<f64>,
    #[serde(default)]
    revenue_impact: Option<f64>,
    #[serde(default)]
    support_tickets: Option<i64>,
    #[serde(default)]
    error_budget_consumed_pct: Option<f64>,
    #[serde(default)]
    data_impact: Option<String>,
    #[serde(default)]
    status_history: Vec<StatusChange>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    /// A team library's unresolved conflicts, every version kept (absent when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    conflicts: Vec<FieldConflict>,
    #[serde(flatten)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// What an action item holds beyond its table row.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActionDetails {
    id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    wont_do_reason: Option<String>,
    #[serde(default)]
    tracker_url: Option<String>,
    created_at: DateTime<Utc>,
    #[serde(default)]
    completed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    source_step_id: Option<String>,
    #[serde(default)]
    source_factor_id: Option<String>,
}

fn yaml<T: Serialize>(value: &T) -> Result<String> {
    let mut text = serde_saphyr::to_string(value).map_err(|e| Error::Render(format!("YAML: {e}")))?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

fn time(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A section body as version 1 wrote it: a line that could be read as a marker had one more
/// backslash in front; nothing else was escaped.
fn unstuff_v1(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match line.strip_prefix('\\') {
            Some(rest) if rest.trim_start_matches('\\').starts_with(MARK) => out.push_str(rest),
            _ => out.push_str(line),
        }
    }
    out
}

/// One table cell's text, escaped.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let last = text.chars().count().saturating_sub(1);
    let mut previous = None;
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            // Inert in any renderer: no raw HTML, no link (the cell reads back the same).
            '<' => out.push_str("\\<"),
            '(' | ':' if previous == Some(']') => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' ' if i == 0 || i == last => out.push_str("\\s"),
            c => out.push(c),
        }
        previous = Some(c);
    }
    out
}

fn row(cells: &[String]) -> String {
    let mut out = String::from("|");
    for c in cells {
        out.push(' ');
        out.push_str(c);
        out.push_str(" |");
    }
    out.push('\n');
    out
}

fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = row(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    out.push_str(&row(&header.iter().map(|_| "---".to_string()).collect::<Vec<_>>()));
    for r in rows {
        out.push_str(&row(r));
    }
    out
}

/// Splits a table row into its cells, unescaped; `None` when the line is not a row.
fn parse_row(line: &str) -> Option<Vec<String>> {
    let line = line.trim_end_matches(['\r', '\n']).trim_matches([' ', '\t']);
    let inner = line.strip_prefix('|')?;
    if inner.contains('\\') {
        return Some(escaped_cells(inner));
    }
    // Nothing escaped (most rows): the cells are the text between pipes without their padding,
    // and what follows the last pipe is a cell only when it is not blank (a row whose closing
    // pipe is missing). The same cells as `escaped_cells` gives (a unit test compares them).
    let mut cells: Vec<String> = inner.split('|').map(|c| c.trim_matches([' ', '\t']).to_string()).collect();
    if cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    Some(cells)
}

/// The cells of a row (after its opening pipe) with escapes in it, unescaped.
fn escaped_cells(inner: &str) -> Vec<String> {
    let mut cells = Vec::new();
    // Each cell: its characters, and whether each was escaped (escaped spaces are content).
    let mut current: Vec<(char, bool)> = Vec::new();
    let mut chars = inner.chars();
    // Only the padding a writer or an editor puts around a cell is trimmed: unescaped spaces
    // and tabs (a no-break space, say, is content).
    let pad = |c: char, esc: bool| !esc && matches!(c, ' ' | '\t');
    let finish = |current: &mut Vec<(char, bool)>, cells: &mut Vec<String>| {
        let start = current.iter().position(|&(c, esc)| !pad(c, esc)).unwrap_or(current.len());
        let end = current.iter().rposition(|&(c, esc)| !pad(c, esc)).map_or(start, |e| e + 1);
        cells.push(current[start..end.max(start)].iter().map(|(c, _)| *c).collect());
        current.clear();
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => current.push(('\n', true)),
                Some('r') => current.push(('\r', true)),
                Some('t') => current.push(('\t', true)),
                Some('s') => current.push((' ', true)),
                Some(other) => current.push((other, true)),
                None => current.push(('\\', true)),
            },
            '|' => finish(&mut current, &mut cells),
            c => current.push((c, false)),
        }
    }
    if current.iter().any(|&(c, esc)| !pad(c, esc)) {
        // A row whose last pipe is missing: its last cell still counts.
        finish(&mut current, &mut cells);
    }
    cells
}

fn fence(info: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    format!("{ticks}{info}\n{text}{ticks}\n")
}

fn attr(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('>', "\\u003e"))
}

fn marker(kind: &str, attrs: &[(&str, &str)]) -> String {
    let mut out = format!("{MARK}{kind}");
    for (name, value) in attrs {
        out.push_str(&format!(" {name}={}", attr(value)));
    }
    out.push_str(" -->");
    out
}

/// Writes `pm` in Debrief's own Markdown.
pub fn write(pm: &Postmortem) -> Result<String> {
    let front = FrontMatter {
        debrief: FORMAT_VERSION,
        id: pm.id.clone(),
        title: pm.title.clone(),
        incident_date: pm.incident_date,
        severity: pm.severity,
        status: pm.status,
        template: pm.template.clone(),
        authors: pm.authors.clone(),
        incident_commander: pm.incident_commander.clone(),
        reviewers: pm.reviewers.clone(),
        participants: pm.participants.clone(),
        services: pm.services.clone(),
        categories: pm.categories.clone(),
        tags: pm.tags.clone(),
        near_miss: pm.near_miss,
        novel_failure_mode: pm.novel_failure_mode,
        users_affected_pct: pm.users_affected_pct,
        revenue_impact: pm.revenue_impact,
        support_tickets: pm.support_tickets,
        error_budget_consumed_pct: pm.error_budget_consumed_pct,
        data_impact: pm.data_impact.clone(),
        status_history: pm.status_history.clone(),
        created_at: pm.created_at,
        updated_at: pm.updated_at,
        conflicts: pm.conflicts.clone(),
        extra: pm.extra.clone(),
    };
    let mut out = format!("---\n{}---\n\n# {}\n", yaml(&front)?, escape_line(&pm.title));
    let mut part = |heading: &str, marker_line: String, content: String| {
        out.push_str(&format!("\n## {}\n{marker_line}\n{content}\n", escape_line(heading)));
    };
    for s in &pm.sections {
        part(&s.heading, marker("section", &[("id", &s.id), ("key", &s.key)]), md_inert::escape(&s.body));
    }
    let events: Vec<Vec<String>> = pm
        .timeline
        .iter()
        .map(|e| {
            vec![
                format!("{}{}", if e.approximate { "~" } else { "" }, time(&e.at)),
                e.kind.as_str().to_string(),
                e.marker.map(|m| m.as_str().to_string()).unwrap_or_default(),
                cell(&e.text),
                cell(&e.id),
            ]
        })
        .collect();
    part(
        "Timeline of events",
        marker("timeline", &[]),
        table(&["Time (UTC)", "Kind", "Marker", "Event", "Id"], &events),
    );
    part("5 whys", marker("whys", &[]), fence("yaml", &yaml(&pm.whys)?));
    part("Fishbones", marker("fishbones", &[]), fence("yaml", &yaml(&pm.fishbones)?));
    let factors: Vec<Vec<String>> = pm
        .contributing_factors
        .iter()
        .map(|f| {
            vec![
                cell(&f.text),
                cell(f.category.as_deref().unwrap_or("")),
                cell(&f.id),
                cell(f.source_step_id.as_deref().unwrap_or("")),
                cell(f.source_cause_id.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    part(
        "Contributing factors",
        marker("factors", &[]),
        table(&["Factor", "Category", "Id", "From 5-whys step", "From fishbone cause"], &factors),
    );
    let items: Vec<Vec<String>> = pm
        .action_items
        .iter()
        .map(|a| {
            vec![
                cell(&a.id),
                cell(&a.title),
                cell(a.owner.as_deref().unwrap_or("")),
                a.due_date.map(|d| d.to_string()).unwrap_or_default(),
                a.priority.as_str().to_string(),
                a.kind.as_str().to_string(),
                a.status.as_str().to_string(),
            ]
        })
        .collect();
    let details: Vec<ActionDetails> = pm
        .action_items
        .iter()
        .map(|a| ActionDetails {
            id: a.id.clone(),
            description: a.description.clone(),
            wont_do_reason: a.wont_do_reason.clone(),
            tracker_url: a.tracker_url.clone(),
            created_at: a.created_at,
            completed_at: a.completed_at,
            source_step_id: a.source_step_id.clone(),
            source_factor_id: a.source_factor_id.clone(),
        })
        .collect();
    part(
        "Action items, tracked",
        marker("actions", &[]),
        format!(
            "{}\n{}",
            table(&["Id", "Action", "Owner", "Due", "Priority", "Kind", "Status"], &items),
            fence("yaml", &yaml(&details)?)
        ),
    );
    Ok(out)
}

/// Where in the file something is, for errors: `source:line`.
fn at(source: &str, line: usize) -> String {
    format!("{source}:{line}")
}

fn parse_err(source: &str, line: usize, message: impl Into<String>) -> Error {
    Error::Parse { location: at(source, line), message: message.into() }
}

/// Whether `text` is a file in Debrief's own Markdown (its front matter says `debrief:`).
pub fn is_debrief_markdown(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.starts_with("---\n")
        && text.lines().skip(1).take_while(|l| l.trim_end() != "---").any(|l| l.starts_with("debrief:"))
}

struct Part<'a> {
    /// 1-based line of the marker.
    line: usize,
    heading: String,
    kind: String,
    attrs: Vec<(String, String)>,
    content: &'a str,
}

fn parse_marker(line: &str) -> Option<(String, Vec<(String, String)>)> {
    let rest = line.trim_end_matches('\r').strip_prefix(MARK)?.strip_suffix("-->")?.trim_end();
    let (kind, mut rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (name, after) = rest.split_once("=\"")?;
        let mut value = String::new();
        let mut chars = after.char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, 'u')) => {
                        let hex: String = chars.by_ref().take(4).map(|(_, c)| c).collect();
                        value.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)?);
                    }
                    Some((_, other)) => value.push(other),
                    None => return None,
                },
                '"' => {
                    end = Some(i + 1);
                    break;
                }
                c => value.push(c),
            }
        }
        attrs.push((name.trim().to_string(), value));
        rest = &after[end?..];
    }
    Some((kind.to_string(), attrs))
}

/// Reads the fenced YAML block at the start of `content`; returns it and the bytes it spans.
fn yaml_block<T: for<'de> Deserialize<'de>>(
    content: &str,
    source: &str,
    first_line: usize,
    what: &str,
) -> Result<(T, usize)> {
    let mut lines = content.split('\n');
    let open = lines.next().unwrap_or("").trim_end_matches('\r');
    let ticks = open.chars().take_while(|&c| c == '`').count();
    if ticks < 3 {
        return Err(parse_err(source, first_line, format!("the {what} should be a fenced YAML block (```yaml)")));
    }
    let fence_line = &open[..ticks];
    let body_start = open.len() + 1;
    let Some(close) = content[body_start.min(content.len())..]
        .split('\n')
        .scan(body_start, |offset, l| {
            let here = *offset;
            *offset += l.len() + 1;
            Some((here, l))
        })
        .find(|(_, l)| l.trim_end_matches('\r') == fence_line)
        .map(|(offset, _)| offset)
    else {
        return Err(parse_err(source, first_line, format!("the {what} block has no closing {fence_line}")));
    };
    let text = &content[body_start.min(close)..close];
    let value = yaml::from_str(text, first_line)
        .map_err(|e| parse_err(source, e.line.unwrap_or(first_line), format!("{what}: {}", e.message)))?;
    Ok((value, (close + fence_line.len()).min(content.len())))
}

/// The length of the table at the start of `content`: up to its first blank line (one with
/// only spaces or a carriage return counts as blank).
fn table_len(content: &str) -> usize {
    let mut offset: usize = 0;
    for line in content.split_inclusive('\n') {
        if line.trim().is_empty() {
            return offset.saturating_sub(1);
        }
        offset += line.len();
    }
    content.len()
}

/// Text a person wrote after a table or block of the format, before the next marker: each
/// `## ` heading in it starts a section of its own (kept, not dropped); text before the first
/// such heading cannot be placed and is refused naming its line.
fn hand_added(
    rest: &str,
    source: &str,
    first_line: usize,
    body_of: fn(&str) -> String,
    out: &mut Vec<(String, String)>,
) -> Result<()> {
    let mut current: Option<(String, Vec<&str>)> = None;
    for (i, line) in rest.split('\n').enumerate() {
        if let Some(heading) = line.trim_end_matches('\r').strip_prefix("## ") {
            if let Some((h, body)) = current.take() {
                out.push((h, body_of(body.join("\n").trim_matches('\n'))));
            }
            current = Some((unescape_line(heading).trim().to_string(), Vec::new()));
        } else if let Some((_, body)) = current.as_mut() {
            body.push(line);
        } else if !line.trim().is_empty() {
            return Err(parse_err(
                source,
                first_line + i,
                "text after a table or block of the format; put it under a ## heading of its own",
            ));
        }
    }
    if let Some((h, body)) = current {
        out.push((h, body_of(body.join("\n").trim_matches('\n'))));
    }
    Ok(())
}

fn table_rows(
    content: &str,
    source: &str,
    first_line: usize,
    columns: usize,
    what: &str,
) -> Result<Vec<(usize, Vec<String>)>> {
    let mut rows = Vec::new();
    for (i, line) in content.split('\n').enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            break;
        }
        let Some(cells) = parse_row(line) else {
            return Err(parse_err(source, first_line + i, format!("the {what} table has a line that is not a row")));
        };
        // The header and its rule.
        if i < 2 {
            continue;
        }
        if cells.len() != columns {
            return Err(parse_err(
                source,
                first_line + i,
                format!("a {what} row has {} cells; it needs {columns}", cells.len()),
            ));
        }
        rows.push((first_line + i, cells));
    }
    Ok(rows)
}

fn code<T>(value: &str, parse: fn(&str) -> Option<T>, source: &str, line: usize, what: &str) -> Result<T> {
    parse(value).ok_or_else(|| parse_err(source, line, format!("{what} {value:?} is not one Debrief knows")))
}

fn optional(cell: String) -> Option<String> {
    (!cell.is_empty()).then_some(cell)
}

/// Reads a postmortem written in Debrief's own Markdown; `source` names the file in errors.
pub fn read(text: &str, source: &str) -> Result<Postmortem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(after_open) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return Err(parse_err(source, 1, "a Debrief Markdown file starts with front matter (---)"));
    };
    let close = after_open
        .split('\n')
        .scan(0usize, |offset, l| {
            let here = *offset;
            *offset += l.len() + 1;
            Some((here, l))
        })
        .find(|(_, l)| l.trim_end_matches('\r') == "---")
        .map(|(offset, _)| offset)
        .ok_or_else(|| parse_err(source, 1, "the front matter has no closing ---"))?;
    let front_text = &after_open[..close];
    let front: FrontMatter = yaml::from_str(front_text, 1)
        .map_err(|e| parse_err(source, e.line.unwrap_or(1), format!("front matter: {}", e.message)))?;
    if !(1..=FORMAT_VERSION).contains(&front.debrief) {
        return Err(parse_err(
            source,
            2,
            format!(
                "written in version {} of Debrief's Markdown; this build reads versions 1 to {FORMAT_VERSION}",
                front.debrief
            ),
        ));
    }
    // How a section's Markdown was written: version 1 escaped nothing but marker-like lines.
    let body_of = if front.debrief == 1 { unstuff_v1 } else { md_inert::unescape };
    let body_offset = text.len() - after_open.len() + close + after_open[close..].find('\n').map_or(0, |n| n + 1);
    let body = &text[body_offset.min(text.len())..];
    let body_first_line = text[..body_offset.min(text.len())].matches('\n').count() + 1;

    // The marker lines and the heading line before each.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in body.split('\n') {
        lines.push((offset, line));
        offset += line.len() + 1;
    }
    let mut marks = Vec::new();
    for (i, (offset, line)) in lines.iter().enumerate() {
        if line.starts_with(MARK) {
            let Some((kind, attrs)) = parse_marker(line) else {
                return Err(parse_err(source, body_first_line + i, "this Debrief marker cannot be read"));
            };
            let heading = i
                .checked_sub(1)
                .and_then(|h| lines[h].1.trim_end_matches('\r').strip_prefix("## "))
                .map(unescape_line)
                .unwrap_or_default();
            let heading_start = if i > 0 && lines[i - 1].1.starts_with("## ") { lines[i - 1].0 } else { *offset };
            marks.push((i, heading_start, offset + line.len() + 1, kind, attrs, heading));
        }
    }
    let mut parts = Vec::new();
    for (n, (i, _, content_start, kind, attrs, heading)) in marks.iter().enumerate() {
        let end = marks.get(n + 1).map_or(body.len(), |next| next.1);
        let mut content = &body[(*content_start).min(end)..end];
        // Each part ends with a newline, and a blank line stands before the next heading.
        let separator = if n + 1 < marks.len() { 2 } else { 1 };
        for _ in 0..separator {
            content = content.strip_suffix('\n').unwrap_or(content);
        }
        parts.push(Part {
            line: body_first_line + i,
            heading: heading.clone(),
            kind: kind.clone(),
            attrs: attrs.clone(),
            content,
        });
    }

    let mut pm = Postmortem {
        id: front.id,
        title: front.title,
        incident_date: front.incident_date,
        severity: front.severity,
        status: front.status,
        authors: front.authors,
        incident_commander: front.incident_commander,
        reviewers: front.reviewers,
        participants: front.participants,
        services: front.services,
        categories: front.categories,
        tags: front.tags,
        template: front.template,
        near_miss: front.near_miss,
        novel_failure_mode: front.novel_failure_mode,
        users_affected_pct: front.users_affected_pct,
        revenue_impact: front.revenue_impact,
        support_tickets: front.support_tickets,
        error_budget_consumed_pct: front.error_budget_consumed_pct,
        data_impact: front.data_impact,
        sections: Vec::new(),
        timeline: Vec::new(),
        whys: Vec::new(),
        fishbones: Vec::new(),
        contributing_factors: Vec::new(),
        action_items: Vec::new(),
        status_history: front.status_history,
        created_at: front.created_at,
        updated_at: front.updated_at,
        extra: front.extra,
        conflicts: front.conflicts,
    };
    let mut added = Vec::new();
    for part in parts {
        let first = part.line + 1;
        // How much of the part's content the format's table or block spans; sections span all.
        let mut consumed = part.content.len();
        match part.kind.as_str() {
            "section" => {
                let attr = |name: &str| part.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
                let (Some(id), Some(key)) = (attr("id"), attr("key")) else {
                    return Err(parse_err(source, part.line, "a section marker needs an id and a key"));
                };
                pm.sections.push(Section { id, key, heading: part.heading, body: body_of(part.content) });
            }
            "timeline" => {
                consumed = table_len(part.content);
                for (line, cells) in table_rows(part.content, source, first, 5, "timeline")? {
                    let mut cells = cells.into_iter();
                    let mut when = cells.next().unwrap_or_default();
                    let approximate = when.starts_with('~');
                    if approximate {
                        when.remove(0);
                    }
                    let at = DateTime::parse_from_rfc3339(when.trim())
                        .map_err(|e| parse_err(source, line, format!("the time {when:?}: {e}")))?
                        .with_timezone(&Utc);
                    let kind = code(&cells.next().unwrap_or_default(), EventKind::parse, source, line, "the kind")?;
                    let marker_cell = cells.next().unwrap_or_default();
                    let marker = match marker_cell.as_str() {
                        "" => None,
                        m => Some(code(m, Marker::parse, source, line, "the marker")?),
                    };
                    let text = cells.next().unwrap_or_default();
                    let id = cells.next().unwrap_or_default();
                    pm.timeline.push(TimelineEvent { id, at, approximate, kind, marker, text });
                }
            }
            "whys" => {
                let (whys, used) = yaml_block::<Vec<WhysChain>>(part.content, source, first, "5 whys")?;
                pm.whys = whys;
                consumed = used;
            }
            "fishbones" => {
                let (fishbones, used) = yaml_block::<Vec<Fishbone>>(part.content, source, first, "fishbones")?;
                pm.fishbones = fishbones;
                consumed = used;
            }
            "factors" => {
                consumed = table_len(part.content);
                for (_, cells) in table_rows(part.content, source, first, 5, "contributing factors")? {
                    let mut cells = cells.into_iter();
                    let text = cells.next().unwrap_or_default();
                    let category = optional(cells.next().unwrap_or_default());
                    let id = cells.next().unwrap_or_default();
                    pm.contributing_factors.push(ContributingFactor {
                        id,
                        text,
                        category,
                        source_step_id: optional(cells.next().unwrap_or_default()),
                        source_cause_id: optional(cells.next().unwrap_or_default()),
                    });
                }
            }
            "actions" => {
                let rows = table_rows(part.content, source, first, 7, "action items")?;
                let table_len = table_len(part.content);
                let details_text = part.content.get(table_len..).unwrap_or("").trim_start_matches(['\n', '\r']);
                let details_start = part.content.len() - details_text.len();
                let details_line = first + part.content[..table_len].matches('\n').count() + 2;
                consumed = table_len;
                let details: Vec<ActionDetails> = if details_text.trim().is_empty() || details_text.starts_with("## ") {
                    Vec::new()
                } else {
                    let (details, used) = yaml_block(details_text, source, details_line, "action-item details")?;
                    consumed = details_start + used;
                    details
                };
                for (line, cells) in rows {
                    let mut cells = cells.into_iter();
                    let id = cells.next().unwrap_or_default();
                    let title = cells.next().unwrap_or_default();
                    let owner = optional(cells.next().unwrap_or_default());
                    let due = cells.next().unwrap_or_default();
                    let due_date = match due.as_str() {
                        "" => None,
                        d => Some(
                            d.parse::<NaiveDate>()
                                .map_err(|e| parse_err(source, line, format!("the due date {d:?}: {e}")))?,
                        ),
                    };
                    let priority =
                        code(&cells.next().unwrap_or_default(), Priority::parse, source, line, "the priority")?;
                    let kind = code(&cells.next().unwrap_or_default(), ActionKind::parse, source, line, "the kind")?;
                    let status =
                        code(&cells.next().unwrap_or_default(), ActionStatus::parse, source, line, "the status")?;
                    let Some(d) = details.iter().find(|d| d.id == id) else {
                        return Err(parse_err(
                            source,
                            line,
                            format!("action item {id} has no details in the block below the table"),
                        ));
                    };
                    pm.action_items.push(ActionItem {
                        id,
                        title,
                        description: d.description.clone(),
                        owner,
                        due_date,
                        priority,
                        kind,
                        status,
                        wont_do_reason: d.wont_do_reason.clone(),
                        tracker_url: d.tracker_url.clone(),
                        created_at: d.created_at,
                        completed_at: d.completed_at,
                        source_step_id: d.source_step_id.clone(),
                        source_factor_id: d.source_factor_id.clone(),
                    });
                }
            }
            other => {
                return Err(parse_err(source, part.line, format!("unknown Debrief marker {other:?}")));
            }
        }
        let rest = &part.content[consumed.min(part.content.len())..];
        hand_added(
            rest,
            source,
            first + part.content[..consumed.min(part.content.len())].matches('\n').count(),
            body_of,
            &mut added,
        )?;
    }
    for (i, (heading, body)) in added.into_iter().enumerate() {
        let key = crate::exchange::foreign_md::unique_key(&heading, pm.sections.iter().map(|s| s.key.as_str()));
        let heading = if heading.is_empty() { key.clone() } else { heading };
        // Derived from the postmortem's id, so reading the same file twice gives the same ids.
        let id = crate::exchange::foreign_md::stable_id(&format!("{}/hand-added/{i}", pm.id));
        pm.sections.push(Section { id, key, heading, body });
    }
    Ok(pm)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Postmortem> {
        crate::exchange::sample::document(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()).unwrap().postmortems
    }

    #[test]
    fn every_sample_postmortem_round_trips_exactly() {
        for pm in sample() {
            let text = write(&pm).unwrap();
            let back = read(&text, "x.md").unwrap_or_else(|e| panic!("{}: {e}\n{text}", pm.title));
            assert_eq!(back, pm, "{}", pm.title);
            assert_eq!(write(&back).unwrap(), text);
        }
    }

    #[test]
    fn escapes_survive_and_cells_trim_only_unescaped_space() {
        for text in ["", " a ", "a|b", "a\\|b", "line\nnext\r", "\\n", "|", " ", "\\", "x\\s"] {
            let line = row(&[cell(text), cell("id")]);
            assert_eq!(parse_row(&line).unwrap(), vec![text.to_string(), "id".to_string()], "{text:?}");
        }
        // A reader's padding is not content.
        assert_eq!(parse_row("|   a   |  b|").unwrap(), vec!["a", "b"]);
    }

    #[test]
    fn a_hand_edit_comes_back_as_just_that_change() {
        let pm = sample().remove(0);
        let text = write(&pm).unwrap();
        let first = &pm.timeline[0];
        let edited = text.replacen(&cell(&first.text), "Edited by hand", 1);
        let back = read(&edited, "x.md").unwrap();
        let mut expected = pm.clone();
        expected.timeline[0].text = "Edited by hand".into();
        assert_eq!(back, expected);
    }

    #[test]
    fn version_1_files_read_as_they_were_written() {
        let mut pm = sample().remove(0);
        pm.sections[0].body = "PLACEHOLDER".into();
        let v2 = write(&pm).unwrap();
        assert!(v2.starts_with("---\ndebrief: 2\n"));
        // Version 1 kept bodies as written: a backslash before `<` was the user's.
        let v1 = v2.replacen("debrief: 2", "debrief: 1", 1).replacen(
            "PLACEHOLDER",
            "Use \\<br> here\n\\<!-- debrief:x -->\n\\\\<!-- debrief:y -->",
            1,
        );
        let back = read(&v1, "old.md").unwrap();
        assert_eq!(back.sections[0].body, "Use \\<br> here\n<!-- debrief:x -->\n\\<!-- debrief:y -->");
        // Version 2 reads the same text as escaped.
        let now = v2.replacen("PLACEHOLDER", "Use \\<br> here", 1);
        assert_eq!(read(&now, "new.md").unwrap().sections[0].body, "Use <br> here");
        let e = read(&v2.replacen("debrief: 2", "debrief: 3", 1), "future.md").unwrap_err().to_string();
        assert!(e.contains("reads versions 1 to 2"), "{e}");
    }

    #[test]
    fn our_files_are_told_apart_from_other_markdown() {
        let pm = sample().remove(0);
        assert!(is_debrief_markdown(&write(&pm).unwrap()));
        assert!(!is_debrief_markdown("---\ntitle: Outage\n---\n# Outage\n"));
        assert!(!is_debrief_markdown("# Outage\n\ndebrief: 1\n"));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let pm = sample().remove(0);
        let text = write(&pm).unwrap().replacen("severity: SEV", "severity: BAD", 1);
        let e = read(&text, "pm.md").unwrap_err().to_string();
        assert!(e.starts_with("pm.md:"), "{e}");
        assert!(read("no front matter", "n.md").unwrap_err().to_string().starts_with("n.md:1"));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Text of every kind a user can type: any Unicode, and the characters the format escapes.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ |\\\\\\n\\r`#<>!\\-:a-z]{0,40}",
            Just("<!-- debrief:section id=\"x\" key=\"y\" -->".to_string()),
            Just("\\<!-- debrief:timeline -->\n## Heading\n\n---\n".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Reading never panics, on any text or on a valid file cut or spliced anywhere.
        #[test]
        fn reading_never_panics(text in any::<String>(), cut in any::<usize>(), insert in any::<String>()) {
            let _ = read(&text, "any.md");
            let _ = read(&format!("---\ndebrief: 1\n---\n{text}"), "any.md");
            let pm = crate::exchange::sample::document(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
                .unwrap()
                .postmortems
                .remove(1);
            let valid = write(&pm).unwrap();
            let mut at = cut % (valid.len() + 1);
            while !valid.is_char_boundary(at) {
                at -= 1;
            }
            let _ = read(&format!("{}{insert}{}", &valid[..at], &valid[at..]), "spliced.md");
            let _ = read(&valid[..at], "cut.md");
        }

        /// Any text in any field a user types survives writing and reading, and writing again
        /// gives the same bytes.
        #[test]
        fn any_text_in_any_field_round_trips(texts in proptest::collection::vec(text(), 16)) {
            let mut pm = crate::exchange::sample::document(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
                .unwrap()
                .postmortems
                .remove(0);
            let mut t = texts.into_iter().cycle();
            pm.title = t.next().unwrap();
            for s in &mut pm.sections {
                s.heading = t.next().unwrap();
                s.body = t.next().unwrap();
            }
            for e in &mut pm.timeline {
                e.text = t.next().unwrap();
            }
            for f in &mut pm.contributing_factors {
                f.text = t.next().unwrap();
                f.category = Some(t.next().unwrap()).filter(|c| !c.is_empty());
            }
            for a in &mut pm.action_items {
                a.title = t.next().unwrap();
                a.description = t.next().unwrap();
                a.owner = Some(t.next().unwrap()).filter(|o| !o.is_empty());
            }
            for w in &mut pm.whys {
                w.problem = t.next().unwrap();
                for s in &mut w.steps {
                    s.answer = t.next().unwrap();
                }
            }
            pm.data_impact = Some(t.next().unwrap());
            let written = write(&pm).unwrap();
            let back = read(&written, "p.md").unwrap();
            prop_assert_eq!(&back, &pm);
            prop_assert_eq!(write(&back).unwrap(), written);
        }

        /// A row without escapes is split by the quick path into the cells the escape-aware
        /// one gives (pipes, padding, blank and missing last cells included).
        #[test]
        fn rows_without_escapes_split_as_the_escape_aware_reader_splits_them(
            row in "\\|[ \t|a-z\u{a0}é]{0,30}",
        ) {
            let inner = row.strip_prefix('|').unwrap();
            prop_assert_eq!(parse_row(&row), Some(escaped_cells(inner)));
        }
    }
}
