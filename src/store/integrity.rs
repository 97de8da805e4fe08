//! What SQLite itself says about a database file: its integrity check and the rows whose
//! foreign keys point at nothing. `check` turns these into problems for the user.

use rusqlite::Connection;

use crate::Result;

/// A row whose foreign key names a row that is not there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeyViolation {
    /// Table of the row whose foreign key dangles.
    pub table: String,
    /// That row's rowid in `table`.
    pub rowid: i64,
    /// Table the key refers to, which lacks the row named.
    pub parent: String,
}

/// The lines of `PRAGMA integrity_check` other than `ok`: empty when the file is sound.
pub fn integrity_errors(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().filter(|row| row != "ok").collect())
}

/// Every foreign-key violation (`PRAGMA foreign_key_check`).
pub fn foreign_key_violations(conn: &Connection) -> Result<Vec<ForeignKeyViolation>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows =
        stmt.query_map([], |r| Ok(ForeignKeyViolation { table: r.get(0)?, rowid: r.get(1)?, parent: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
