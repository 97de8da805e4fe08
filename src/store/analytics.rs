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
pub fn facts(conn: &Connection) -> Result<Vec<IncidentFacts>> {
    let mut out = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, incident_date, severity, status, near_miss, users_affected_pct
         FROM postmortems ORDER BY incident_date, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, bool>(5)?,
            r.get::<_, Option<f64>>(6)?,
        ))
    })?;
    for row in rows {
        let (id, title, date, severity, status, near_miss, users_affected_pct) = row?;
        at.insert(id.clone(), out.len());
        out.push(IncidentFacts {
            incident_date: parse_date(&date, "postmortems.incident_date")?,
            severity: match Severity::parse(&severity) {
                Some(s) => s,
                None => return bad_code(&severity, "postmortems.severity"),
            },
            status: match ReviewStatus::parse(&status) {
                Some(s) => s,
                None => return bad_code(&status, "postmortems.status"),
            },
            id,
            title,
            near_miss,
            services: Vec::new(),
            categories: Vec::new(),
            root_cause_types: Vec::new(),
            users_affected_pct,
            markers: MarkerTimes::default(),
            left_draft_at: None,
        });
    }

    let mut names = |sql: &str, push: fn(&mut IncidentFacts, String)| -> Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, name) = row?;
            if let Some(&i) = at.get(&id) {
                push(&mut out[i], name);
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
    names(
        "SELECT postmortem_id, trim(category) FROM contributing_factors
         WHERE category IS NOT NULL AND trim(category) <> ''
         GROUP BY postmortem_id, trim(category) COLLATE NOCASE ORDER BY postmortem_id, min(position)",
        |f, n| f.root_cause_types.push(n),
    )?;

    let mut stmt = conn.prepare_cached(
        "SELECT postmortem_id, marker, at FROM timeline_events WHERE marker IS NOT NULL
         ORDER BY postmortem_id, position",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    for row in rows {
        let (id, marker, time) = row?;
        let Some(&i) = at.get(&id) else { continue };
        let Some(marker) = Marker::parse(&marker) else { return bad_code(&marker, "timeline_events.marker") };
        out[i].markers.set_first(marker, parse_time(&time, "timeline_events.at")?);
    }

    // The first move out of Draft, in the order the changes were made.
    let mut stmt = conn.prepare_cached(
        "SELECT postmortem_id, changed_at FROM status_changes
         WHERE from_status = 'draft' AND to_status <> 'draft' ORDER BY postmortem_id, position",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, time) = row?;
        let Some(&i) = at.get(&id) else { continue };
        if out[i].left_draft_at.is_none() {
            out[i].left_draft_at = Some(parse_time(&time, "status_changes.changed_at")?);
        }
    }
    Ok(out)
}
