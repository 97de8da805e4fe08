//! The team library's bookkeeping: the remote (`team_remote`), each postmortem's file and
//! the version last synced (`team_files`), and the repository's unreadable files
//! (`team_problems`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{fmt_time, parse_time};
use crate::Result;

/// The repository a library syncs with, and how the last sync went.
#[derive(Debug, Clone, PartialEq)]
pub struct Remote {
    /// Where the repository is (any URL or path git understands).
    pub url: String,
    /// The branch synced.
    pub branch: String,
    /// The commit last taken in and pushed; `None` before the first sync.
    pub synced_commit: Option<String>,
    /// When the last sync finished.
    pub synced_at: Option<DateTime<Utc>>,
    /// Since when the remote could not be reached, and git's message; `None` when it answered.
    pub offline: Option<(DateTime<Utc>, String)>,
    /// Minutes between the app's automatic syncs; 0 for none.
    pub interval_minutes: u32,
    /// The name and email to commit with instead of git's own.
    pub author: Option<(String, String)>,
    /// The last sync's report, as JSON.
    pub last_report: Option<String>,
}

/// The remote, if the library is connected to one.
pub fn remote(conn: &Connection) -> Result<Option<Remote>> {
    let row = conn
        .prepare_cached(
            "SELECT url, branch, synced_commit, synced_at, offline_since, offline_reason, interval_minutes,
                    author_name, author_email, last_report
             FROM team_remote WHERE only = 1",
        )?
        .query_row([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })
        .optional()?;
    let Some((
        url,
        branch,
        synced_commit,
        synced_at,
        offline_since,
        reason,
        interval_minutes,
        name,
        email,
        last_report,
    )) = row
    else {
        return Ok(None);
    };
    let offline = match offline_since {
        Some(at) => Some((parse_time(&at, "team_remote.offline_since")?, reason.unwrap_or_default())),
        None => None,
    };
    Ok(Some(Remote {
        url,
        branch,
        synced_commit,
        synced_at: synced_at.map(|t| parse_time(&t, "team_remote.synced_at")).transpose()?,
        offline,
        interval_minutes,
        author: name.zip(email),
        last_report,
    }))
}

/// Connects the library to `url` on `branch`, forgetting any earlier remote and what was
/// synced with it.
pub fn connect(conn: &Connection, url: &str, branch: &str) -> Result<()> {
    disconnect(conn)?;
    conn.execute("INSERT INTO team_remote (only, url, branch) VALUES (1, ?1, ?2)", params![url, branch])?;
    Ok(())
}

/// Forgets the remote and everything synced with it (the postmortems stay).
pub fn disconnect(conn: &Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM team_remote; DELETE FROM team_files; DELETE FROM team_problems;")?;
    Ok(())
}

/// Records a finished sync: the commit taken in, when, and its report; the remote answered.
pub fn set_synced(conn: &Connection, commit: Option<&str>, at: DateTime<Utc>, report: &str) -> Result<()> {
    conn.execute(
        "UPDATE team_remote SET synced_commit = ?1, synced_at = ?2, offline_since = NULL, offline_reason = NULL,
            last_report = ?3 WHERE only = 1",
        params![commit, fmt_time(&at), report],
    )?;
    Ok(())
}

/// Records that the remote could not be reached at `at` (keeping the first time), and why.
pub fn set_offline(conn: &Connection, at: DateTime<Utc>, reason: &str, report: &str) -> Result<()> {
    conn.execute(
        "UPDATE team_remote SET offline_since = coalesce(offline_since, ?1), offline_reason = ?2, last_report = ?3
         WHERE only = 1",
        params![fmt_time(&at), reason, report],
    )?;
    Ok(())
}

/// The library's settings (`debrief.yml`'s text) as the last sync left them.
pub fn synced_settings(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT synced_settings FROM team_remote WHERE only = 1", [], |r| r.get(0)).optional()?.flatten())
}

/// Records the library's settings as this sync leaves them.
pub fn set_synced_settings(conn: &Connection, text: &str) -> Result<()> {
    conn.execute("UPDATE team_remote SET synced_settings = ?1 WHERE only = 1", [text])?;
    Ok(())
}

/// Records that the remote answered again.
pub fn clear_offline(conn: &Connection) -> Result<()> {
    conn.execute("UPDATE team_remote SET offline_since = NULL, offline_reason = NULL WHERE only = 1", [])?;
    Ok(())
}

/// Sets the minutes between automatic syncs (0: none).
pub fn set_interval(conn: &Connection, minutes: u32) -> Result<()> {
    conn.execute("UPDATE team_remote SET interval_minutes = ?1 WHERE only = 1", [minutes])?;
    Ok(())
}

/// Sets the name and email to commit with (`None`: git's own).
pub fn set_author(conn: &Connection, author: Option<(&str, &str)>) -> Result<()> {
    conn.execute(
        "UPDATE team_remote SET author_name = ?1, author_email = ?2 WHERE only = 1",
        params![author.map(|a| a.0), author.map(|a| a.1)],
    )?;
    Ok(())
}

/// Each synced postmortem's file and the `updated_at` it was synced at, by postmortem id.
pub fn files(conn: &Connection) -> Result<HashMap<String, (String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT postmortem_id, path, synced_updated_at FROM team_files")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records postmortem `id` as synced at `updated_at`, in the file `path`.
pub fn set_file(conn: &Connection, id: &str, path: &str, updated_at: &DateTime<Utc>) -> Result<()> {
    // A path another postmortem had (its file deleted and the name used again) moves over.
    conn.prepare_cached("DELETE FROM team_files WHERE path = ?1 AND postmortem_id <> ?2")?.execute([path, id])?;
    conn.prepare_cached(
        "INSERT INTO team_files (postmortem_id, path, synced_updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(postmortem_id) DO UPDATE SET path = excluded.path, synced_updated_at = excluded.synced_updated_at",
    )?
    .execute(params![id, path, fmt_time(updated_at)])?;
    Ok(())
}

/// Forgets postmortem `id`'s file (its deletion was synced).
pub fn remove_file(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM team_files WHERE postmortem_id = ?1")?.execute([id])?;
    Ok(())
}

/// The postmortems with a change to send: saved since they were synced, never synced, or
/// deleted since.
pub fn pending(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id FROM postmortems p LEFT JOIN team_files f ON f.postmortem_id = p.id
         WHERE f.postmortem_id IS NULL OR f.synced_updated_at <> p.updated_at
         UNION ALL
         SELECT f.postmortem_id FROM team_files f LEFT JOIN postmortems p ON p.id = f.postmortem_id
         WHERE p.id IS NULL",
    )?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// The repository's files that could not be read at the synced commit, and why.
pub fn problems(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT path, message FROM team_problems ORDER BY path")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces the list of unreadable files.
pub fn set_problems(conn: &Connection, problems: &[(String, String)]) -> Result<()> {
    conn.execute("DELETE FROM team_problems", [])?;
    for (path, message) in problems {
        conn.prepare_cached("INSERT INTO team_problems (path, message) VALUES (?1, ?2)")?.execute([path, message])?;
    }
    Ok(())
}

/// The postmortems with unresolved conflicts: id, title and how many fields.
pub fn conflicted(conn: &Connection) -> Result<Vec<(String, String, usize)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, title, conflicts FROM postmortems WHERE conflicts IS NOT NULL ORDER BY title")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, title, json) = row?;
        let count = serde_json::from_str::<Vec<serde_json::Value>>(&json).map_or(1, |v| v.len());
        out.push((id, title, count));
    }
    Ok(out)
}
