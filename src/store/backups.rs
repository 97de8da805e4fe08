//! The backup schedule's row (`backup_state`), and checking a database file that is to be
//! restored: that SQLite can read it whole, that it is a Debrief library of a version this
//! build can open, and what it holds.

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OpenFlags};

use super::{fmt_time, parse_time, SCHEMA_VERSION};
use crate::{Error, Result};

/// The schedule of automatic backups, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// Hours between automatic backups; 0 when they are off.
    pub interval_hours: u32,
    /// How many automatic backups are kept.
    pub keep: u32,
    /// When the last automatic backup was made.
    pub last_auto_at: Option<DateTime<Utc>>,
}

/// The stored schedule.
pub fn schedule(conn: &Connection) -> Result<Schedule> {
    let (interval, keep, last): (i64, i64, Option<String>) =
        conn.query_row("SELECT interval_hours, keep, last_auto_at FROM backup_state", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    Ok(Schedule {
        interval_hours: u32::try_from(interval).unwrap_or(0),
        keep: u32::try_from(keep).unwrap_or(1).max(1),
        last_auto_at: last.map(|s| parse_time(&s, "backup_state.last_auto_at")).transpose()?,
    })
}

/// Stores how often automatic backups are made and how many are kept.
pub fn set_schedule(conn: &Connection, interval_hours: u32, keep: u32) -> Result<()> {
    conn.execute("UPDATE backup_state SET interval_hours = ?1, keep = ?2", params![interval_hours, keep])?;
    Ok(())
}

/// Records that an automatic backup was made at `at`.
pub fn made_auto(conn: &Connection, at: DateTime<Utc>) -> Result<()> {
    conn.execute("UPDATE backup_state SET last_auto_at = ?1", [fmt_time(&at)])?;
    Ok(())
}

/// What a database file holds, once checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Contents {
    /// Its schema version (`PRAGMA user_version`).
    pub schema_version: i64,
    /// Rows in `postmortems`.
    pub postmortems: i64,
    /// Rows in `action_items`.
    pub action_items: i64,
    /// Rows in `revisions`.
    pub revisions: i64,
}

/// SQLite's `PRAGMA data_version` on `conn`: it moves when another connection commits.
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "data_version", |r| r.get::<_, i64>(0))?)
}

/// Opens `path` read-only and checks it: SQLite's full integrity check, a schema version this
/// build knows, and Debrief's tables. The error names the file and what is wrong.
pub fn inspect(path: &Path) -> Result<Contents> {
    let bad = |message: String| Error::Parse { location: path.display().to_string(), message };
    if !path.is_file() {
        return Err(Error::io(path, std::io::Error::new(std::io::ErrorKind::NotFound, "no such file")));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| bad(format!("cannot be opened as a database: {e}")))?;
    let not_a_library = |e: rusqlite::Error| bad(format!("not a Debrief library: {e}"));
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(not_a_library)?;
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check").map_err(not_a_library)?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0)).map_err(not_a_library)? {
        let row = row.map_err(not_a_library)?;
        if row != "ok" {
            problems.push(row);
        }
    }
    if !problems.is_empty() {
        let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
        return Err(bad(format!("the database is damaged ({} problems: {})", problems.len(), shown.join("; "))));
    }
    if found < 1 {
        return Err(bad("not a Debrief library: it has no Debrief schema".into()));
    }
    if found > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew { path: path.to_path_buf(), found, supported: SCHEMA_VERSION });
    }
    counts(&conn).map_err(|e| bad(format!("not a Debrief library: {e}")))
}

/// What the open library holds.
pub fn inspect_open(conn: &Connection) -> Result<Contents> {
    Ok(counts(conn)?)
}

fn counts(conn: &Connection) -> rusqlite::Result<Contents> {
    let count = |table: &str| -> rusqlite::Result<i64> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
    };
    Ok(Contents {
        schema_version: conn.pragma_query_value(None, "user_version", |r| r.get(0))?,
        postmortems: count("postmortems")?,
        action_items: count("action_items")?,
        revisions: count("revisions")?,
    })
}
