//! Action items as CSV, for spreadsheets and trackers: one row per item with its postmortem,
//! ids kept so an exported file edited elsewhere imports back onto the same items.
//!
//! Columns (header row required, any order, unknown columns ignored): `id`, `postmortem_id`,
//! `postmortem_title` (informational, ignored on import), `title`, `description`, `owner`,
//! `due_date` (YYYY-MM-DD), `priority` (P0..P3), `kind` (detect, mitigate, prevent, process),
//! `status` (open, in_progress, done, wont_do), `wont_do_reason`, `tracker_url`, `created_at`
//! and `completed_at` (RFC 3339 UTC), `source_step_id`, `source_factor_id`.
//! On import only `postmortem_id` and `title` are required; an empty `id` makes a new item.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::csv_cell;
use crate::model::{ActionItem, ActionKind, ActionStatus, Priority};
use crate::wire::ActionRow;
use crate::{Error, Result};

/// Column order of an export.
pub const COLUMNS: [&str; 16] = [
    "id",
    "postmortem_id",
    "postmortem_title",
    "title",
    "description",
    "owner",
    "due_date",
    "priority",
    "kind",
    "status",
    "wont_do_reason",
    "tracker_url",
    "created_at",
    "completed_at",
    "source_step_id",
    "source_factor_id",
];

/// Writes `rows` as CSV with a header row.
pub fn write(rows: &[ActionRow]) -> Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| Error::Parse { location: "CSV".into(), message: e.to_string() };
    out.write_record(COLUMNS).map_err(csv_err)?;
    for row in rows {
        let a = &row.item;
        let time = |t: &Option<DateTime<Utc>>| t.map(|t| crate::store::fmt_time(&t)).unwrap_or_default();
        let cells = [
            a.id.as_str(),
            &row.postmortem_id,
            &row.postmortem_title,
            &a.title,
            &a.description,
            a.owner.as_deref().unwrap_or(""),
            &a.due_date.map(|d| d.to_string()).unwrap_or_default(),
            a.priority.as_str(),
            a.kind.as_str(),
            a.status.as_str(),
            a.wont_do_reason.as_deref().unwrap_or(""),
            a.tracker_url.as_deref().unwrap_or(""),
            &crate::store::fmt_time(&a.created_at),
            &time(&a.completed_at),
            a.source_step_id.as_deref().unwrap_or(""),
            a.source_factor_id.as_deref().unwrap_or(""),
        ];
        // No cell can run as a formula in a spreadsheet (see csv_cell).
        out.write_record(cells.iter().map(|c| csv_cell::inert(c).into_owned())).map_err(csv_err)?;
    }
    let bytes = out.into_inner().map_err(|e| Error::Parse { location: "CSV".into(), message: e.to_string() })?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8"))
}

/// One parsed row: the item (id filled in, fresh when the file had none) and its postmortem.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    /// 1-based line of the row in the file.
    pub line: u64,
    /// The postmortem the row's item belongs to.
    pub postmortem_id: String,
    /// The item as the row gives it.
    pub item: ActionItem,
    /// The file gave the id (an update if that item exists).
    pub had_id: bool,
}

/// Parses a CSV file's text. Every problem of every bad row is reported (`source:line: column:
/// problem`), not just the first, so a user can fix the file in one pass; the error says how
/// many rows are refused and how many problems they have. Any error means nothing is parsed.
pub fn parse(text: &str, source: &str, now: DateTime<Utc>) -> Result<Vec<ParsedRow>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers =
        reader.headers().map_err(|e| Error::Parse { location: format!("{source}:1"), message: e.to_string() })?.clone();
    let column: HashMap<String, usize> =
        headers.iter().enumerate().map(|(i, h)| (h.trim().to_ascii_lowercase(), i)).collect();
    for required in ["postmortem_id", "title"] {
        if !column.contains_key(required) {
            return Err(Error::Parse {
                location: format!("{source}:1"),
                message: format!("the header row has no \"{required}\" column (columns: {})", COLUMNS.join(", ")),
            });
        }
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut refused = 0;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("{source}:{line}: {e}"));
                refused += 1;
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |name: &str| {
            column.get(name).and_then(|&i| record.get(i)).map(|v| csv_cell::read(v.trim())).filter(|v| !v.is_empty())
        };
        // Problems of this row, each naming its column.
        let mut bad: Vec<String> = Vec::new();
        let postmortem_id = get("postmortem_id");
        if postmortem_id.is_none() {
            bad.push("postmortem_id: missing (every item belongs to a postmortem)".into());
        }
        let title = get("title");
        if title.is_none() {
            bad.push("title: missing".into());
        }
        let due_date = get("due_date").and_then(|v| {
            let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
            if d.is_none() {
                bad.push(format!("due_date: {v:?} is not a date (use YYYY-MM-DD)"));
            }
            d
        });
        let time = |name: &str, bad: &mut Vec<String>| {
            get(name).and_then(|v| {
                let t = DateTime::parse_from_rfc3339(v).ok().map(|t| t.with_timezone(&Utc));
                if t.is_none() {
                    bad.push(format!("{name}: {v:?} is not a time (use 2025-03-14T16:00:00Z)"));
                }
                t
            })
        };
        let created_at = time("created_at", &mut bad);
        let completed_at = time("completed_at", &mut bad);
        let mut code = |name: &str, valid: &str, ok: bool| {
            if !ok {
                bad.push(format!("{name}: {:?} is not one of {valid}", get(name).unwrap_or("")));
            }
        };
        let priority = get("priority").map_or(Some(Priority::P2), Priority::parse);
        code("priority", "P0, P1, P2, P3", priority.is_some());
        let kind = get("kind").map_or(Some(ActionKind::Prevent), ActionKind::parse);
        code("kind", "detect, mitigate, prevent, process", kind.is_some());
        let status = get("status").map_or(Some(ActionStatus::Open), ActionStatus::parse);
        code("status", "open, in_progress, done, wont_do", status.is_some());
        let (Some(postmortem_id), Some(title), Some(priority), Some(kind), Some(status), true) =
            (postmortem_id, title, priority, kind, status, bad.is_empty())
        else {
            problems.extend(bad.into_iter().map(|b| format!("{source}:{line}: {b}")));
            refused += 1;
            continue;
        };
        let id = get("id").map(str::to_string);
        rows.push(ParsedRow {
            line,
            postmortem_id: postmortem_id.to_string(),
            had_id: id.is_some(),
            item: ActionItem {
                id: id.unwrap_or_else(crate::clock::new_id),
                title: title.to_string(),
                description: get("description").unwrap_or("").to_string(),
                owner: get("owner").map(str::to_string),
                due_date,
                priority,
                kind,
                status,
                wont_do_reason: get("wont_do_reason").map(str::to_string),
                tracker_url: get("tracker_url").map(str::to_string),
                created_at: created_at.unwrap_or(now),
                completed_at,
                source_step_id: get("source_step_id").map(str::to_string),
                source_factor_id: get("source_factor_id").map(str::to_string),
            },
        });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        Err(Error::Parse {
            location: source.to_string(),
            message: format!(
                "{} refused ({}); nothing was imported:\n  {}",
                plural(refused, "row"),
                plural(problems.len(), "problem"),
                problems.join("\n  ")
            ),
        })
    }
}
