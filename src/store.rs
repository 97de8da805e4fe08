//! SQLite storage: opening a library database, migrating it, and reading and writing the
//! model. One submodule per table family; each multi-row change runs in one transaction.
//!
//! Migrations live in `migrations/NNNN_name.sql`, are embedded at compile time, and each runs
//! in its own transaction that also bumps `PRAGMA user_version`. A database whose version is
//! newer than the newest migration is refused untouched. Before migrating a database that
//! already holds a schema, the file is copied into the library's `backups/` folder.

pub mod actions;
pub mod analytics;
pub mod backups;
pub mod integrity;
pub mod meetings;
pub mod plans;
pub mod postmortems;
pub mod revisions;
pub mod roi;
pub mod search_queue;
pub mod taxonomy;
pub mod team;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags};

use crate::{Error, Result};

/// The embedded migrations, in the order they apply. Index + 1 is the schema version.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../migrations/0001_init.sql")),
    ("0002_search_queue", include_str!("../migrations/0002_search_queue.sql")),
    ("0003_factor_cause_link", include_str!("../migrations/0003_factor_cause_link.sql")),
    ("0004_list_indexes", include_str!("../migrations/0004_list_indexes.sql")),
    ("0005_roi_inputs", include_str!("../migrations/0005_roi_inputs.sql")),
    ("0006_taxonomy", include_str!("../migrations/0006_taxonomy.sql")),
    ("0007_analytics_indexes", include_str!("../migrations/0007_analytics_indexes.sql")),
    ("0008_taxonomy_aliases", include_str!("../migrations/0008_taxonomy_aliases.sql")),
    ("0009_postmortem_extra", include_str!("../migrations/0009_postmortem_extra.sql")),
    ("0010_meetings", include_str!("../migrations/0010_meetings.sql")),
    ("0011_team_library", include_str!("../migrations/0011_team_library.sql")),
    ("0012_revision_history", include_str!("../migrations/0012_revision_history.sql")),
];

/// How long a write waits for another connection's transaction (an import of 10,000
/// postmortems takes seconds) before giving up with "database is locked".
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// The page cache of a connection, in KiB (as a negative `cache_size`).
const CACHE_KIB: i64 = -16 * 1024;

/// The page cache while a bulk write runs, per postmortem the library will hold, in KiB. Its
/// rows go to indexes keyed by random ids (each child table's `id`): with the usual cache most
/// inserts found their page evicted and the transaction spilled pages to the WAL before
/// committing (half the time of writing 10,000 postmortems). Those indexes take about 3 KiB a
/// postmortem (28 MB of a 10,000-postmortem database of 208 MB); this is twice that.
///
/// No larger: what the cache holds beyond them is table pages written once, in order, which
/// a smaller cache hands to the WAL as the rows are written. A cache that held the whole
/// database wrote all of it at the commit instead, on one core at the end of the import, into
/// memory touched for the first time: a 10,000-postmortem Markdown import with a 256 MB cache
/// against 64 MB, five alternating runs of `examples/profile import-md 10000`, spent 1.9-2.9 s
/// against 1.4-2.1 s from its last row to its end and ran at 1,618-1,875 against
/// 1,809-1,998 /s (9.1-10.6 against 9.1-10.1 s CPU). At 100,000 the indexes outgrow any such
/// cache; 64 MB there took 102-107 s against 89-91 s for 256 MB (`import-json 100000`).
const BULK_CACHE_KIB_PER_POSTMORTEM: i64 = 6;

/// The least and the most page cache of a bulk write, in KiB ([`BULK_CACHE_KIB_PER_POSTMORTEM`]).
const BULK_CACHE_KIB_RANGE: (i64, i64) = (64 * 1024, 256 * 1024);

/// The page cache of a bulk write into a library that will hold `postmortems`, in KiB.
fn bulk_cache_kib(postmortems: usize) -> i64 {
    let (least, most) = BULK_CACHE_KIB_RANGE;
    (postmortems as i64).saturating_mul(BULK_CACHE_KIB_PER_POSTMORTEM).clamp(least, most)
}

/// Runs `write`, a bulk write after which the library holds about `postmortems` postmortems,
/// with a page cache sized for it ([`BULK_CACHE_KIB_PER_POSTMORTEM`]), then gives the memory
/// back.
pub fn with_bulk_cache<R>(
    conn: &mut Connection,
    postmortems: usize,
    write: impl FnOnce(&mut Connection) -> Result<R>,
) -> Result<R> {
    // A negative `cache_size` is in KiB.
    conn.pragma_update(None, "cache_size", -bulk_cache_kib(postmortems))?;
    let written = write(conn);
    // Giving the memory back cannot undo what was written: its error does not replace the
    // write's outcome (the next open sets the usual size again).
    let _ = conn.pragma_update(None, "cache_size", CACHE_KIB);
    written
}

/// An import at least this large, into a library no larger than itself, writes with the
/// secondary indexes dropped ([`without_secondary_indexes`]).
pub const BULK_IMPORT_MIN: usize = 500;

/// Runs `write` with the schema's secondary indexes (those made by `CREATE INDEX`; the ones
/// behind a primary key or `UNIQUE` stay, so lookups by id and uniqueness checks still work)
/// dropped, then creates them again from their stored definitions. Rows written into a table
/// with its indexes keyed by random ids cost a B-tree search per index; creating an index
/// afterwards sorts once. Copying a 10,000-postmortem library took 3.6 s with the indexes
/// and 1.6 s + 0.6 s to create them after. Inside `tx`: if `write`
/// or the creation fails, rolling back restores the indexes with everything else.
pub fn without_secondary_indexes<R>(
    tx: &rusqlite::Transaction,
    write: impl FnOnce(&rusqlite::Transaction) -> Result<R>,
) -> Result<R> {
    let indexes: Vec<(String, String)> = {
        let mut stmt =
            tx.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    let written = write(tx)?;
    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    Ok(written)
}

/// Runs `write` with SQLite's CHECK constraints off (`ignore_check_constraints`), then turns
/// them on again, whatever `write` returned. Only for rows already validated in full (an
/// imported document is checked before anything is written), where the checks can only
/// repeat what validation said. SQLite runs each `x IN ('a', 'b', 'c')` check by building a
/// temporary B-tree every time a row is written: with the checks on, a 1,000-postmortem import
/// spent a fifth of its thread's instructions building them (action items, with three such
/// checks, cost six times a timeline event to insert; `valgrind --tool=callgrind` on
/// `examples/profile import-json 1000`). Changing the pragma expires the connection's
/// prepared statements, which are prepared again with or without the checks.
pub fn with_validated_rows<R>(
    tx: &rusqlite::Transaction,
    write: impl FnOnce(&rusqlite::Transaction) -> Result<R>,
) -> Result<R> {
    tx.pragma_update(None, "ignore_check_constraints", true)?;
    let written = write(tx);
    // Not undone by a rollback (it is the connection's setting, not the transaction's): turned
    // on again here, on success and failure alike.
    let restored = tx.pragma_update(None, "ignore_check_constraints", false);
    let written = written?;
    restored?;
    Ok(written)
}

/// The page size of a new library's database, in bytes. SQLite's default, 4 KiB, is smaller
/// than many of the rows: a section's or an action item's text spilled to overflow pages, and a
/// commit wrote a WAL frame (two system calls) per page. With 16 KiB pages a 10,000-postmortem
/// import took 12% less CPU (8.2 s against 9.2-10.0 s, alternating runs of
/// `examples/profile import-json 10000`). A library made before keeps its 4 KiB pages (SQLite
/// changes a page size only by rewriting the whole file); [`set_page_size`] makes a copy match.
pub const PAGE_SIZE: i64 = 16 * 1024;

/// The page size of the database of `conn`, in bytes.
pub fn page_size(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "page_size", |r| r.get(0))?)
}

/// Rewrites the database of `conn`, which must not be in WAL mode (a working copy), with pages of
/// `size` bytes, if they are another size. SQLite copies one database into another in WAL mode
/// (a restore into a library) only between equal page sizes.
pub fn set_page_size(conn: &Connection, size: i64) -> Result<()> {
    if page_size(conn)? != size {
        conn.pragma_update(None, "page_size", size)?;
        conn.execute_batch("VACUUM")?;
    }
    Ok(())
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) the database at `db_path`, sets the connection up and migrates it
/// to [`SCHEMA_VERSION`]. Backups made before migrating go to `backup_dir`.
pub fn open(db_path: &Path, backup_dir: &Path) -> Result<Connection> {
    if !db_path.exists() {
        // A new library's database is private from its first byte.
        std::fs::File::create(db_path).map_err(|e| Error::io(db_path, e))?;
        make_private(db_path)?;
    }
    let mut conn = Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // A background import holds the write lock for its whole transaction (it is all or
    // nothing); an autosave or a CLI change made meanwhile waits for it rather than failing.
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Check the version before anything writes to the file: a newer database stays untouched.
    let found = schema_version(&conn)?;
    if found > SCHEMA_VERSION {
        return Err(Error::DatabaseTooNew { path: db_path.to_path_buf(), found, supported: SCHEMA_VERSION });
    }
    // Takes effect only on a new, empty database (see `PAGE_SIZE`).
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Reads of a big library (the list's per-row figures, loading documents to index) go
    // through memory-mapped pages instead of a read call per page, and keep more pages cached.
    conn.pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    // Saving a postmortem runs some 40 distinct statements (a few per child table); with
    // rusqlite's default cache of 16 they pushed each other out and every save re-prepared
    // most of them (a tenth of a bulk import's time).
    conn.set_prepared_statement_cache_capacity(128);
    migrate(&mut conn, backup_dir)?;
    Ok(conn)
}

/// The database's `PRAGMA user_version`.
pub fn schema_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Applies every migration newer than the database's version, each in its own transaction.
/// Returns the backup made first, if any.
pub fn migrate(conn: &mut Connection, backup_dir: &Path) -> Result<Option<PathBuf>> {
    migrate_with(conn, backup_dir, MIGRATIONS)
}

/// [`migrate`] with an explicit migration list (`(name, sql)`, index + 1 = version), so tests
/// can exercise upgrades from one version to the next.
pub fn migrate_with(conn: &mut Connection, backup_dir: &Path, migrations: &[(&str, &str)]) -> Result<Option<PathBuf>> {
    let found = schema_version(conn)?;
    let latest = migrations.len() as i64;
    if found >= latest {
        return Ok(None);
    }
    // A file with our schema in it is copied first; a brand-new file has nothing to lose.
    let backup = if found > 0 { Some(backup_to(conn, backup_dir, found)?) } else { None };
    for (index, (name, sql)) in migrations.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .map_err(|e| Error::Parse { location: format!("migrations/{name}.sql"), message: e.to_string() })?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(backup)
}

/// The embedded migrations as `(name, sql)` pairs.
pub fn migrations() -> &'static [(&'static str, &'static str)] {
    MIGRATIONS
}

/// Copies the live database, consistently, to a new file in `dir`.
pub fn backup_to(conn: &Connection, dir: &Path, version: i64) -> Result<PathBuf> {
    if !dir.exists() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        make_private(dir)?;
    }
    let stamp = crate::clock::now().format("%Y%m%dT%H%M%S%.3fZ");
    let path = dir.join(format!("debrief-v{version}-{stamp}.sqlite3"));
    copy_to(conn, &path)?;
    Ok(path)
}

/// Makes `path` readable only by the user: a folder `rwx------`, a file `rw-------`. The
/// library's folder, its database and every backup are kept so (SQLite gives the `-wal` and
/// `-shm` files the database's permissions). On Windows the user's profile folder already
/// keeps them private, and nothing is changed.
pub fn make_private(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if path.is_dir() { 0o700 } else { 0o600 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|e| Error::io(path, e))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Copies the live database, consistently, into the file `out` (created if missing, readable
/// only by the user).
pub fn copy_to(conn: &Connection, out: &Path) -> Result<()> {
    if !out.exists() {
        // Created empty and private first, so the copy is never readable by others.
        std::fs::File::create(out).map_err(|e| Error::io(out, e))?;
    }
    make_private(out)?;
    let mut dst = Connection::open(out)?;
    {
        let backup = rusqlite::backup::Backup::new(conn, &mut dst)?;
        backup.run_to_completion(256, std::time::Duration::ZERO, None)?;
    }
    // The copy is one self-contained file: in WAL mode (copied from the library), each later
    // read-only open (a check, a restore) would leave `-wal` and `-shm` files beside it.
    dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))?;
    Ok(())
}

/// The column named by a UNIQUE or PRIMARY KEY constraint failure (`"sections.id"`), if `e`
/// is one.
pub fn unique_violation(e: &Error) -> Option<&str> {
    let Error::Database(rusqlite::Error::SqliteFailure(f, Some(message))) = e else { return None };
    let unique = f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
        || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE;
    message.strip_prefix("UNIQUE constraint failed: ").filter(|_| unique)
}

/// Formats a UTC time the way the store keeps it (RFC 3339, `Z`, sub-seconds only if present).
pub(crate) fn fmt_time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Parses a stored UTC time; `field` names the column for the error.
///
/// The analytics parse a million stored times on a large library, so the form [`fmt_time`]
/// writes for whole seconds (`2026-03-01T10:00:00Z`) is read directly; anything else (fractions,
/// offsets, a leap second, or text that is not a valid time) goes through chrono's RFC 3339
/// parser, which gives the same time for what the fast path reads and the error for the rest.
pub(crate) fn parse_time(s: &str, field: &str) -> Result<DateTime<Utc>> {
    if let Some(t) = whole_second_utc(s) {
        return Ok(t);
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::Parse { location: format!("database column {field}"), message: format!("{s:?}: {e}") })
}

/// Parses a stored date; `field` names the column for the error. `YYYY-MM-DD` is read
/// directly (chrono's format-string parser costs more than the rest of a row); anything else
/// goes through that parser, for its answer or its error.
pub(crate) fn parse_date(s: &str, field: &str) -> Result<NaiveDate> {
    if let Some(d) = plain_date(s.as_bytes()) {
        return Ok(d);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| Error::Parse { location: format!("database column {field}"), message: format!("{s:?}: {e}") })
}

/// The decimal number in `digits`, all ASCII digits, else `None`.
fn digits(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, &b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
}

/// `YYYY-MM-DD` exactly (four-digit year), if it names a real day.
fn plain_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(&b[..4])? as i32, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// `YYYY-MM-DDTHH:MM:SSZ` exactly, if it names a real time (no leap second).
fn whole_second_utc(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let time = chrono::NaiveTime::from_hms_opt(digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?)?;
    Some(plain_date(&b[..10])?.and_time(time).and_utc())
}

/// A stored code (`SEV2`, `in_review`, `resolved`, ...) as its enum: the exact name the store
/// writes is matched directly, anything else goes through the enum's lenient `parse` (which
/// trims and folds case, allocating); neither: an error naming the column.
pub(crate) fn code<T: std::str::FromStr>(value: &str, parse: fn(&str) -> Option<T>, field: &str) -> Result<T> {
    match value.parse().ok().or_else(|| parse(value)) {
        Some(v) => Ok(v),
        None => bad_code(value, field),
    }
}

/// Column `i` of `row` as text, borrowed from SQLite (no copy).
pub(crate) fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str> {
    Ok(row
        .get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))?)
}

/// Column `i` of `row` as text when not NULL, borrowed from SQLite.
pub(crate) fn opt_text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r str>> {
    Ok(row
        .get_ref(i)?
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))?)
}

/// Turns an unknown stored code into an error naming the column.
pub(crate) fn bad_code<T>(value: &str, field: &str) -> Result<T> {
    Err(Error::Parse { location: format!("database column {field}"), message: format!("unknown value {value:?}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bulk write's cache is sized for the library it leaves (the size of its random-keyed
    /// indexes), within its bounds, only while it writes: the usual cache comes back after it,
    /// after a failure too.
    #[test]
    fn a_bulk_write_has_a_cache_sized_for_the_library_while_it_writes() {
        let dir = tempfile::tempdir().expect("dir");
        let mut conn = open(&dir.path().join("db.sqlite3"), dir.path()).expect("open");
        let cache =
            |conn: &Connection| -> i64 { conn.pragma_query_value(None, "cache_size", |r| r.get(0)).expect("pragma") };
        for (postmortems, kib) in [(0, 64 * 1024), (10_000, 64 * 1024), (20_000, 120_000), (100_000, 256 * 1024)] {
            let during = with_bulk_cache(&mut conn, postmortems, |conn| Ok(cache(conn))).expect("write");
            assert_eq!(during, -kib, "{postmortems} postmortems");
            assert_eq!(cache(&conn), CACHE_KIB);
        }
        let failed: Result<()> = with_bulk_cache(&mut conn, 50_000, |_| Err(Error::invalid("x", "no")));
        assert!(failed.is_err());
        assert_eq!(cache(&conn), CACHE_KIB);
    }

    /// The direct readers must agree with chrono's parsers on every input, valid or not.
    #[test]
    fn stored_times_and_dates_parse_as_chrono_parses_them() {
        let chrono_time = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).ok();
        for s in [
            "2026-03-01T10:00:00Z",
            "1999-12-31T23:59:59Z",
            "2024-02-29T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "2026-03-01T10:00:00.123Z",
            "2026-03-01T10:00:00+02:00",
            "2026-03-01t10:00:00z",
            "2026-03-01 10:00:00Z",
            "2026-03-01T10:00:60Z",
            "2026-03-01T24:00:00Z",
            "2025-02-29T10:00:00Z",
            "2026-13-01T10:00:00Z",
            "2026-03-01T1a:00:00Z",
            "+026-03-01T10:00:00Z",
            "2026-03-01T10:00:00",
            "",
        ] {
            assert_eq!(parse_time(s, "t").ok(), chrono_time(s), "{s:?}");
        }
        let chrono_date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        for s in ["2026-03-01", "2024-02-29", "2025-02-29", "2026-00-10", "2026-1-01", "2026-01-1x", "+202-01-01", ""] {
            assert_eq!(parse_date(s, "d").ok(), chrono_date(s), "{s:?}");
        }
        assert!(parse_time("2026-13-01T10:00:00Z", "t").unwrap_err().to_string().contains("database column t"));
    }

    /// Inside [`with_validated_rows`] the CHECK constraints are off; after it, whether it
    /// succeeded or failed, they hold again, for statements prepared before and during it.
    #[test]
    fn check_constraints_hold_again_after_writing_validated_rows() {
        let mut conn = Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE t (severity TEXT CHECK (severity IN ('SEV1','SEV2','SEV3')))").expect("t");
        let insert = |c: &Connection, v: &str| c.prepare_cached("INSERT INTO t VALUES (?1)")?.execute([v]);
        insert(&conn, "SEV1").expect("a valid row");
        assert!(insert(&conn, "SEV9").is_err(), "the check holds before");
        let tx = conn.transaction().expect("tx");
        with_validated_rows(&tx, |tx| Ok(insert(tx, "unchecked")?)).expect("written without the check");
        assert!(insert(&tx, "SEV9").is_err(), "the check holds again after");
        let failed: Result<()> =
            with_validated_rows(&tx, |tx| Err(Error::invalid("x", format!("stopped after {}", insert(tx, "also")?))));
        assert!(failed.is_err());
        assert!(insert(&tx, "SEV9").is_err(), "the check holds again after a failure");
        tx.commit().expect("commit");
        let rows: i64 = conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).expect("count");
        assert_eq!(rows, 3);
    }
}
