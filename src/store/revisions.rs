//! Revisions: a save keeps the version it replaced, whole, as JSON, with why it was replaced.
//! An editing session's autosaves keep one revision between them (see [`add`]), and old
//! revisions are thinned by [`crate::history::to_prune`] each time one is added.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{fmt_time, parse_time};
use crate::clock::{new_id, now};
use crate::history::{self, Why};
use crate::model::Postmortem;
use crate::{Error, Result};

/// One kept revision, without its document.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    /// Its number: 1 for the first ever kept, counting up.
    pub number: i64,
    /// When it was replaced.
    pub saved_at: DateTime<Utc>,
    /// What replaced it.
    pub reason: Why,
}

/// Keeps `previous`, the stored version a write replaces, as the postmortem's next revision,
/// unless `in_session` (an editor's save that continues its editing session) and the
/// previous write belongs to that session (see [`history::same_session`]): the session's
/// first save already kept the version it started from. Then thins the postmortem's older
/// revisions by the pruning policy.
pub fn add(conn: &Connection, previous: &Postmortem, why: Why, in_session: bool) -> Result<()> {
    let at = now();
    let newest = newest(conn, &previous.id)?;
    if in_session
        && why == Why::Edit
        && newest.as_ref().is_some_and(|k| history::same_session(k, previous.updated_at, at))
    {
        return Ok(());
    }
    let number = newest.map_or(1, |k| k.number + 1);
    conn.prepare_cached(
        "INSERT INTO revisions (id, postmortem_id, number, saved_at, document, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        new_id(),
        previous.id,
        number,
        fmt_time(&at),
        serde_json::to_string(previous).expect("model serializes"),
        why.as_str()
    ])?;
    prune(conn, &previous.id, at)
}

/// The newest revision kept for a postmortem, if any.
fn newest(conn: &Connection, postmortem_id: &str) -> Result<Option<Kept>> {
    conn.prepare_cached(
        "SELECT number, saved_at, reason FROM revisions WHERE postmortem_id = ?1 ORDER BY number DESC LIMIT 1",
    )?
    .query_row([postmortem_id], kept_row)
    .optional()?
    .transpose()
}

/// Deletes the revisions of a postmortem that the pruning policy no longer keeps at `now`.
fn prune(conn: &Connection, postmortem_id: &str, now: DateTime<Utc>) -> Result<()> {
    let all = list(conn, postmortem_id)?;
    for number in history::to_prune(&all, now) {
        conn.prepare_cached("DELETE FROM revisions WHERE postmortem_id = ?1 AND number = ?2")?
            .execute(params![postmortem_id, number])?;
    }
    Ok(())
}

/// Every revision kept for a postmortem, newest first.
pub fn list(conn: &Connection, postmortem_id: &str) -> Result<Vec<Kept>> {
    let mut stmt = conn.prepare_cached(
        "SELECT number, saved_at, reason FROM revisions WHERE postmortem_id = ?1 ORDER BY number DESC",
    )?;
    let rows = stmt.query_map([postmortem_id], kept_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

fn kept_row(r: &rusqlite::Row) -> rusqlite::Result<Result<Kept>> {
    let (number, saved_at, reason): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
    Ok((|| {
        Ok(Kept {
            number,
            saved_at: parse_time(&saved_at, "revisions.saved_at")?,
            reason: Why::parse(&reason).ok_or_else(|| Error::Parse {
                location: "database column revisions.reason".into(),
                message: format!("unknown reason {reason:?}"),
            })?,
        })
    })())
}

/// The document of revision `number` of a postmortem.
pub fn load(conn: &Connection, postmortem_id: &str, number: i64) -> Result<Postmortem> {
    let text: String = conn
        .query_row(
            "SELECT document FROM revisions WHERE postmortem_id = ?1 AND number = ?2",
            params![postmortem_id, number],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "revision", id: format!("{postmortem_id} #{number}") })?;
    serde_json::from_str(&text).map_err(|e| Error::Parse {
        location: format!("revision {number} of postmortem {postmortem_id}"),
        message: e.to_string(),
    })
}

/// Number of revisions kept for a postmortem.
pub fn count(conn: &Connection, postmortem_id: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM revisions WHERE postmortem_id = ?1")?
        .query_row([postmortem_id], |r| r.get(0))?)
}
