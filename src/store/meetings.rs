//! Facilitated meetings (`meetings`, one JSON state per meeting, deleted with the postmortem)
//! and the meeting plan saved per template (`meeting_plans`).

use rusqlite::{params, Connection, OptionalExtension};

use crate::meeting::agenda::MeetingPlan;
use crate::meeting::session::Meeting;
use crate::store::{fmt_time, parse_time};
use crate::{Error, Result};

/// Reads a stored state; a row no build of Debrief could read is reported by meeting id.
fn parse<T: serde::de::DeserializeOwned>(what: &str, id: &str, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| Error::Parse { location: format!("{what} {id}"), message: e.to_string() })
}

/// Stores `meeting` (inserting or replacing it whole).
pub fn save(conn: &Connection, meeting: &Meeting, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    let state = serde_json::to_string(meeting).map_err(|e| Error::Render(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO meetings (id, postmortem_id, started_at, ended_at, updated_at, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(id) DO UPDATE SET started_at = excluded.started_at, ended_at = excluded.ended_at,
            updated_at = excluded.updated_at, state = excluded.state",
    )?
    .execute(params![
        meeting.id,
        meeting.postmortem_id,
        meeting.started_at.as_ref().map(fmt_time),
        meeting.ended_at.as_ref().map(fmt_time),
        fmt_time(&now),
        state
    ])?;
    Ok(())
}

/// The meeting with id `id`, if stored.
pub fn find(conn: &Connection, id: &str) -> Result<Option<Meeting>> {
    let state: Option<String> =
        conn.prepare_cached("SELECT state FROM meetings WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    state.map(|s| parse("meeting", id, &s)).transpose()
}

/// The meetings a query of `(id, state)` rows selects.
fn query(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Meeting>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, state) = row?;
        out.push(parse("meeting", &id, &state)?);
    }
    Ok(out)
}

/// Every meeting of a postmortem, the oldest first.
pub fn of_postmortem(conn: &Connection, postmortem_id: &str) -> Result<Vec<Meeting>> {
    query(
        conn,
        "SELECT id, state FROM meetings WHERE postmortem_id = ?1 ORDER BY coalesce(started_at, updated_at), id",
        [postmortem_id],
    )
}

/// Every meeting in the library, by postmortem then id (the JSON export).
pub fn all(conn: &Connection) -> Result<Vec<Meeting>> {
    query(conn, "SELECT id, state FROM meetings ORDER BY postmortem_id, id", [])
}

/// Every meeting not finished, in any postmortem, with when it last changed (`updated_at`):
/// their clocks are paused when the app closes, or as it starts after a crash.
pub fn unfinished_with_change(conn: &Connection) -> Result<Vec<(Meeting, chrono::DateTime<chrono::Utc>)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, state, updated_at FROM meetings WHERE ended_at IS NULL ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, state, updated_at) = row?;
        let at = parse_time(&updated_at, "meetings.updated_at")?;
        out.push((parse("meeting", &id, &state)?, at));
    }
    Ok(out)
}

/// The postmortem a stored meeting belongs to, if the meeting is stored.
pub fn postmortem_of(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT postmortem_id FROM meetings WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Deletes the plan saved for a template (the template is gone).
pub fn delete_plan(conn: &Connection, template: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM meeting_plans WHERE template = ?1")?.execute([template])?;
    Ok(())
}

/// Every finished meeting in the library, the oldest first (feedback across meetings).
pub fn finished(conn: &Connection) -> Result<Vec<Meeting>> {
    query(conn, "SELECT id, state FROM meetings WHERE ended_at IS NOT NULL ORDER BY ended_at, id", [])
}

/// Every plan saved, by template name (the JSON export).
pub fn plans(conn: &Connection) -> Result<Vec<(String, MeetingPlan)>> {
    let mut stmt = conn.prepare_cached("SELECT template, plan FROM meeting_plans ORDER BY template")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (template, plan) = row?;
        let plan = parse("meeting plan of template", &template, &plan)?;
        out.push((template, plan));
    }
    Ok(out)
}

/// The plan saved for the template called `template` (case-insensitive), if any.
pub fn plan(conn: &Connection, template: &str) -> Result<Option<MeetingPlan>> {
    let plan: Option<String> = conn
        .prepare_cached("SELECT plan FROM meeting_plans WHERE template = ?1")?
        .query_row([template], |r| r.get(0))
        .optional()?;
    plan.map(|p| parse("meeting plan of template", template, &p)).transpose()
}

/// Saves the plan for the template called `template`.
pub fn save_plan(conn: &Connection, template: &str, plan: &MeetingPlan) -> Result<()> {
    let json = serde_json::to_string(plan).map_err(|e| Error::Render(e.to_string()))?;
    conn.prepare_cached(
        "INSERT INTO meeting_plans (template, plan) VALUES (?1, ?2)
         ON CONFLICT(template) DO UPDATE SET plan = excluded.plan",
    )?
    .execute(params![template, json])?;
    Ok(())
}
