//! Looking after the library: the integrity check, rebuilding the search index, the query
//! plans, and worker handles for background jobs. Backups are in `backups.rs`.

use super::{Library, BACKUP_DIR, DB_FILE};
use crate::progress::Progress;
use crate::store::{self, postmortems};
use crate::wire::CheckReport;
use crate::Result;

impl Library {
    /// Checks database integrity, foreign keys, the schema version and the search index.
    /// Changes queued for the index (an autosave leaves its own, see [`Library::save_edit`])
    /// are indexed first: queued is not drift. Those still queued after that (another process
    /// holds the index writer) are reported.
    pub fn check(&mut self) -> Result<CheckReport> {
        self.sync_index()?;
        let mut problems = Vec::new();
        for row in store::integrity::integrity_errors(&self.conn)? {
            problems.push(format!("integrity: {row}"));
        }
        for v in store::integrity::foreign_key_violations(&self.conn)? {
            problems.push(format!("foreign key: {} row {} points at a missing {} row", v.table, v.rowid, v.parent));
        }
        let index = self.index.drift(&self.conn)?;
        if !index.is_clean() {
            problems.push(format!(
                "search index: {} missing, {} extra, {} stale, {} queued; run `debrief reindex`",
                index.missing.len(),
                index.extra.len(),
                index.stale.len(),
                index.pending
            ));
        }
        let version = store::schema_version(&self.conn)?;
        if version != store::SCHEMA_VERSION {
            problems.push(format!("schema version {version}, expected {}", store::SCHEMA_VERSION));
        }
        // Every stored document must load and still pass validation.
        for id in postmortems::all_ids(&self.conn)? {
            match postmortems::load(&self.conn, &id) {
                Ok(pm) => {
                    if let Err(e) = pm.validate(crate::clock::today()) {
                        problems.push(format!("postmortem {id}: {e}"));
                    }
                }
                Err(e) => problems.push(format!("postmortem {id}: {e}")),
            }
        }
        Ok(CheckReport {
            library: self.dir.display().to_string(),
            schema_version: version,
            postmortems: self.count()?,
            problems,
            index,
        })
    }

    /// Rebuilds the search index from the database; `progress(done, total)` is called as it
    /// goes. Returns the number of postmortems indexed.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(usize, usize)) -> Result<usize> {
        self.reindex_with(&mut Progress::reporting(|s| progress(s.done as usize, s.total as usize)))
    }

    /// Rebuilds the search index, reporting `indexing` steps; cancelling leaves the index as
    /// it was.
    pub fn reindex_with(&mut self, progress: &mut Progress) -> Result<usize> {
        let indexed = self.index.rebuild(&self.conn, progress)?;
        self.clear_rebuild_mark()?;
        Ok(indexed)
    }

    /// The plans SQLite chose for the list and board queries (for `check` and the benchmarks).
    pub fn query_plans(&self) -> Result<Vec<store::plans::QueryPlan>> {
        store::plans::hot_queries(&self.conn)
    }

    /// Another handle on this library for background work (the app's imports, exports and
    /// reindex): its own SQLite connection, so the window's reads go on while it writes, and
    /// the same search index, whose writer the two share.
    pub fn worker(&self) -> Result<Library> {
        let conn = store::open(&self.dir.join(DB_FILE), &self.dir.join(BACKUP_DIR))?;
        Ok(Library { dir: self.dir.clone(), conn, index: self.index.share(), facts: Default::default() })
    }
}
