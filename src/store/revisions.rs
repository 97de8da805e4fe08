//! Revisions: each save of a postmortem keeps the version it replaced, whole, as JSON.

use rusqlite::{params, Connection};

use super::fmt_time;
use crate::clock::{new_id, now};
use crate::model::Postmortem;
use crate::Result;

/// Keeps `previous`, the stored version a save replaces, as the postmortem's next revision.
pub fn add(conn: &Connection, previous: &Postmortem) -> Result<()> {
    let number: i64 = conn.query_row(
        "SELECT coalesce(max(number), 0) + 1 FROM revisions WHERE postmortem_id = ?1",
        [&previous.id],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO revisions (id, postmortem_id, number, saved_at, document) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            new_id(),
            previous.id,
            number,
            fmt_time(&now()),
            serde_json::to_string(previous).expect("model serializes")
        ],
    )?;
    Ok(())
}

/// Number of revisions kept for a postmortem.
pub fn count(conn: &Connection, postmortem_id: &str) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM revisions WHERE postmortem_id = ?1", [postmortem_id], |r| r.get(0))?)
}
