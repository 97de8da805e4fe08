//! Loads what the analytics count ([`IncidentFacts`]) for every postmortem in a handful of
//! table scans, grouped in memory: no per-postmortem queries, so a 100,000-postmortem library
//! costs six statements.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{bad_code, parse_date, parse_time};
use crate::analysis::facts::{IncidentFacts, MarkerTimes};
use crate::model::{Marker, ReviewStatus, Severity};
use crate::Result;

/// Every postmortem's facts, oldest incident first.
///
/// The statements read in index order with no sort in SQLite; child rows are matched to their
/// postmortem by a map keyed by the id as SQLite holds it (no copy per row), and the orders
/// that decide a result (oldest incident first, first marker event by position, first
/// spelling of a root-cause type) are kept in memory.
pub fn facts(conn: &Connection) -> Result<Vec<IncidentFacts>> {
    let mut out = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, title, incident_date, severity, status, near_miss, users_affected_pct FROM postmortems",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let date = text(r, 2)?;
            let severity = text(r, 3)?;
            let status = text(r, 4)?;
            out.push(IncidentFacts {
                incident_date: parse_date(date, "postmortems.incident_date")?,
                severity: match Severity::parse(severity) {
                    Some(s) => s,
                    None => return bad_code(severity, "postmortems.severity"),
                },
                status: match ReviewStatus::parse(status) {
                    Some(s) => s,
                    None => return bad_code(status, "postmortems.status"),
                },
                id: r.get(0)?,
                title: r.get(1)?,
                near_miss: r.get(5)?,
                services: Vec::new(),
                categories: Vec::new(),
                root_cause_types: Vec::new(),
                users_affected_pct: r.get(6)?,
                markers: MarkerTimes::default(),
                left_draft_at: None,
            });
        }
    }
    // Oldest incident first, then by id (as SQLite's ORDER BY incident_date, id would).
    out.sort_unstable_by(|a, b| a.incident_date.cmp(&b.incident_date).then_with(|| a.id.cmp(&b.id)));
    let ids: Vec<String> = out.iter().map(|f| f.id.clone()).collect();
    let at: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();

    let mut names = |sql: &str, push: fn(&mut IncidentFacts, String)| -> Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(&i) = at.get(text(r, 0)?) {
                push(&mut out[i], r.get(1)?);
            }
        }
        Ok(())
    };
    names(
        "SELECT ps.postmortem_id, s.name FROM postmortem_services ps JOIN services s ON s.id = ps.service_id
         ORDER BY ps.postmortem_id, ps.position",
        |f, n| f.services.push(n),
    )?;
    names(
        "SELECT pc.postmortem_id, c.name FROM postmortem_categories pc JOIN categories c ON c.id = pc.category_id
         ORDER BY pc.postmortem_id, pc.position",
        |f, n| f.categories.push(n),
    )?;
    // Each root-cause type once per postmortem (compared as SQLite's NOCASE does, ASCII only),
    // spelt as its first factor by position spells it, in the order of first appearance.
    names(
        "SELECT postmortem_id, trim(category) FROM contributing_factors
         WHERE category IS NOT NULL AND trim(category) <> '' ORDER BY postmortem_id, position",
        |f, n| {
            if !f.root_cause_types.iter().any(|t| t.eq_ignore_ascii_case(&n)) {
                f.root_cause_types.push(n);
            }
        },
    )?;

    let mut stmt = conn.prepare_cached(
        "SELECT postmortem_id, marker, at FROM timeline_events WHERE marker IS NOT NULL
         ORDER BY postmortem_id, position",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let Some(&i) = at.get(text(r, 0)?) else { continue };
        let marker = text(r, 1)?;
        let Some(marker) = Marker::parse(marker) else { return bad_code(marker, "timeline_events.marker") };
        out[i].markers.set_first(marker, parse_time(text(r, 2)?, "timeline_events.at")?);
    }

    // The first move out of Draft, in the order the changes were made.
    let mut stmt = conn.prepare_cached(
        "SELECT postmortem_id, changed_at FROM status_changes
         WHERE from_status = 'draft' AND to_status <> 'draft' ORDER BY postmortem_id, position",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let Some(&i) = at.get(text(r, 0)?) else { continue };
        if out[i].left_draft_at.is_none() {
            out[i].left_draft_at = Some(parse_time(text(r, 1)?, "status_changes.changed_at")?);
        }
    }
    Ok(out)
}

/// Column `i` of `row` as text, borrowed from SQLite.
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str> {
    Ok(row
        .get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))?)
}
