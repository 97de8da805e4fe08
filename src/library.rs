//! The one entry point the CLI and the app call. A [`Library`] is a folder holding the SQLite
//! database, its backups and the search index. Every public method is one use-case; each
//! change runs in one transaction, so a failure leaves nothing half-written.
//!
//! The use-cases live in submodules, each an `impl Library` block: `postmortems` (writing
//! them), `actions` (the board), `templates` (templates, settings, reading the taxonomy), `taxonomy` (managing it), `exchange` (files
//! in and out, the sample), `search`, `analytics` (the facts the figures count), `recall` (families of similar incidents
//! and "on this day", from the index), and
//! `maintenance` (check, reindex, backup, workers). This
//! file keeps the struct, opening, and the helpers they share.

mod actions;
mod analytics;
mod backups;
mod exchange;
mod history;
mod maintenance;
mod meetings;
mod postmortems;
mod recall;
mod reports;
mod search;
mod taxonomy;
mod team;
mod templates;

pub use analytics::{PREPARED_DAYS, SCREEN_LIST, SCREEN_ON_THIS_DAY, SCREEN_PATTERN_LIST};
pub use exchange::{ImportFile, MarkdownImport};
pub use meetings::{MeetingFeedbackSummary, MeetingView};
pub use reports::file_stem;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction};

use crate::clock::now;
use crate::history::Why;
use crate::model::*;
use crate::progress::Progress;
use crate::review::{templates as builtin_templates, workflow};
use crate::search::SearchIndex;
use crate::store;
use crate::wire::TaxonomyKind;
use crate::{Error, Result};

/// File name of the database inside a library folder.
pub const DB_FILE: &str = "debrief.sqlite3";
/// Folder of automatic and manual backups inside a library folder.
pub const BACKUP_DIR: &str = "backups";
/// Folder of the tantivy search index inside a library folder.
pub const INDEX_DIR: &str = "index";

/// An open library.
pub struct Library {
    dir: PathBuf,
    conn: Connection,
    index: SearchIndex,
    /// The analytics' facts as last loaded, reused while the database is unchanged (see
    /// `analytics.rs`).
    facts: analytics::FactsCache,
}

/// Leaves a mark file, durably (the rebuild mark: before work that replaces what the index was
/// built from).
fn write_mark(mark: &Path) -> Result<()> {
    let file = std::fs::File::create(mark).map_err(|e| Error::io(mark, e))?;
    file.sync_all().map_err(|e| Error::io(mark, e))
}

/// Makes Debrief's own files in the library folder readable only by the user, on every open:
/// a library made by a version that did not (or copied in with loose permissions) is tightened.
/// The database with its `-wal` and `-shm`, the index folder, the team library's repository,
/// the backups folder and every backup in it. The library folder itself is left as the user set it, unless Debrief made it.
/// Best effort: a file that cannot be changed (another owner, a read-only disk) does not stop
/// the library from opening.
fn keep_private(dir: &Path) {
    let team = crate::library::team::TEAM_DIR;
    for name in [DB_FILE, "debrief.sqlite3-wal", "debrief.sqlite3-shm", INDEX_DIR, BACKUP_DIR, team] {
        let path = dir.join(name);
        if path.exists() {
            let _ = store::make_private(&path);
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir.join(BACKUP_DIR)) {
        for path in entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()) {
            let _ = store::make_private(&path);
        }
    }
}

impl Library {
    /// The default library folder: the OS's app-data folder (e.g. `~/.local/share/debrief`).
    pub fn default_dir() -> PathBuf {
        directories::ProjectDirs::from("org", "Debrief", "debrief")
            .map(|d| d.data_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from("debrief-library"))
    }

    /// Opens the library in `dir`, creating the folder and database if needed and migrating
    /// the database to the current schema.
    pub fn open(dir: impl AsRef<Path>) -> Result<Library> {
        let dir = dir.as_ref().to_path_buf();
        if !dir.exists() {
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            // Only the user may read the library (its folder holds the database, index and
            // backups). A folder that already existed is the user's to set, and is left as is.
            store::make_private(&dir)?;
        }
        let conn = store::open(&dir.join(DB_FILE), &dir.join(BACKUP_DIR))?;
        let (index, fresh) = SearchIndex::open(&dir.join(INDEX_DIR))?;
        keep_private(&dir);
        let mut lib = Library { dir, conn, index, facts: Default::default() };
        lib.install_builtin_templates()?;
        lib.reconcile_index(fresh)?;
        Ok(lib)
    }

    /// Start-up reconciliation: drain changes a crash left queued; rebuild a new index or
    /// one whose size disagrees with the database.
    ///
    /// Another process (the app) may hold the index writer. Then nothing here rebuilds: the
    /// library still opens, searches what the holder has indexed, and the holder reconciles
    /// the index when it next opens. A size that disagrees is then no proof of loss either:
    /// the holder may have committed documents between this reader's opening and the count.
    fn reconcile_index(&mut self, fresh: bool) -> Result<()> {
        // A restore that stopped between replacing the database and rebuilding the index
        // leaves this mark: the index may hold documents of the library that was replaced.
        let marked = self.rebuild_mark().exists();
        if (fresh && self.count()? > 0) || marked {
            // Left marked when another process holds the writer.
            if self.index.rebuild_unless_busy(&self.conn, &mut Progress::none())?.is_some() {
                self.clear_rebuild_mark()?;
            }
            return Ok(());
        }
        // Indexing what is queued changes the index, and must come before comparing sizes: only
        // once the queue is drained does a difference mean the index lost something. `None`:
        // another process holds the writer (and drains the queue); the sizes are left alone.
        if self.index.sync(&self.conn)?.is_none() {
            return Ok(());
        }
        // An empty queue does not mean this process drained it: the holder may have, and
        // committed after this reader opened. Read the index as it is now before comparing.
        self.index.refresh()?;
        if self.index.len() != self.count()? as u64 {
            self.index.rebuild_unless_busy(&self.conn, &mut Progress::none())?;
        }
        Ok(())
    }

    /// The file whose presence says the index must be rebuilt from the database on the next
    /// start (see [`Library::restore`]).
    fn rebuild_mark(&self) -> PathBuf {
        self.dir.join(INDEX_DIR).join("rebuild-needed")
    }

    fn clear_rebuild_mark(&self) -> Result<()> {
        let mark = self.rebuild_mark();
        match std::fs::remove_file(&mark) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&mark, e)),
            _ => Ok(()),
        }
    }

    /// Brings the index up to date with queued changes. When another process holds the index
    /// writer the changes stay queued for it.
    fn sync_index(&mut self) -> Result<()> {
        self.index.sync(&self.conn)?;
        Ok(())
    }

    /// Indexes the changes saves left queued ([`Library::save_edit`] leaves its change queued
    /// rather than wait for the index). Searches index them first anyway; this is for after an
    /// autosave, so Insights and the next search find nothing left to do.
    pub fn index_queued_changes(&mut self) -> Result<()> {
        self.sync_index()
    }

    /// The library folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn install_builtin_templates(&mut self) -> Result<()> {
        // Only those missing or changed (a new version of the app) are written: opening a
        // library to read it writes nothing, so it does not move the database's change stamp
        // under another open library's cached figures.
        let stored = store::taxonomy::templates(&self.conn)?;
        let changed: Vec<_> =
            builtin_templates::builtin().into_iter().filter(|t| !stored.iter().any(|s| s == t)).collect();
        if changed.is_empty() {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        for t in &changed {
            store::taxonomy::upsert_template(&tx, t)?;
        }
        tx.commit()?;
        Ok(())
    }
}

// The save path, shared by every use-case that changes a postmortem. Each loads the stored
// version once, in the transaction that writes over it, and writes only what changed.

/// `pm` as the user wrote it, tidied (see [`normalize`]) and validated.
fn checked(mut pm: Postmortem) -> Result<Postmortem> {
    normalize(&mut pm);
    pm.validate(crate::clock::today())?;
    Ok(pm)
}

/// Readies `pm`, checked, for writing over `stored` (loaded in the same transaction as
/// `conn`): completion times stamped, a status change checked and recorded. `None` when
/// nothing changed.
fn ready_for_save(conn: &Connection, mut pm: Postmortem, stored: &Postmortem) -> Result<Option<Postmortem>> {
    follow_aliases(conn, &mut pm)?;
    let now = now();
    // Completed items get a completion time the first time they are saved as done.
    for a in &mut pm.action_items {
        match (a.status, a.completed_at) {
            (ActionStatus::Done, None) => a.completed_at = Some(now),
            (s, Some(_)) if s != ActionStatus::Done => a.completed_at = None,
            _ => {}
        }
    }
    if pm.status != stored.status {
        let template = store::taxonomy::templates(conn)?.into_iter().find(|t| Some(&t.name) == pm.template.as_ref());
        workflow::check_transition(&pm, stored.status, template.as_ref())?;
        pm.status_history = stored.status_history.clone();
        pm.status_history.push(StatusChange {
            from: stored.status,
            to: pm.status,
            by: templates::user_name(conn)?,
            at: now,
        });
    } else {
        // The history is the core's record, not something a client edits.
        pm.status_history = stored.status_history.clone();
    }
    pm.created_at = stored.created_at;
    pm.updated_at = stored.updated_at;
    if pm == *stored {
        return Ok(None);
    }
    pm.updated_at = now;
    Ok(Some(pm))
}

/// Saves `pm`, checked, over `stored`, which `tx` loaded: readied, then only what changed
/// written, keeping `stored` as a revision. Returns what was written, `None` when nothing
/// changed (and nothing was written).
fn write_over(tx: &Transaction, stored: &Postmortem, pm: Postmortem, why: Why) -> Result<Option<Postmortem>> {
    write_over_in(tx, stored, pm, why, false)
}

/// [`write_over`], for an editor's save that continues its editing session when `in_session`.
fn write_over_in(
    tx: &Transaction,
    stored: &Postmortem,
    pm: Postmortem,
    why: Why,
    in_session: bool,
) -> Result<Option<Postmortem>> {
    let Some(pm) = ready_for_save(tx, pm, stored)? else { return Ok(None) };
    store::postmortems::update_in(tx, stored, &pm, why, in_session)?;
    Ok(Some(pm))
}

/// Writes each readied postmortem (see [`ready_for_save`]) over its stored version, given as
/// `(stored, ready)`.
fn write_all(tx: &Transaction, ready: &[(Postmortem, Postmortem)], why: Why) -> Result<()> {
    for (stored, pm) in ready {
        store::postmortems::update(tx, stored, pm, why)?;
    }
    Ok(())
}

/// Relabels `pm`'s categories, services and root-cause types that were renamed or merged away
/// with the names they became, so a document edited since (a page left open while the CLI
/// merged two categories) does not bring the old entry back; a name listed twice as a result
/// is kept once. Imports are left as the file says: they restore what was exported.
fn follow_aliases(conn: &Connection, pm: &mut Postmortem) -> Result<()> {
    let aliases = store::taxonomy::aliases(conn)?;
    if aliases.is_empty() {
        return Ok(());
    }
    let now_called = |kind: TaxonomyKind, name: &str| {
        aliases
            .iter()
            .find(|(k, old, _)| *k == kind && old.eq_ignore_ascii_case(name.trim()))
            .map(|(_, _, new)| new.clone())
    };
    for (kind, list) in [(TaxonomyKind::Category, &mut pm.categories), (TaxonomyKind::Service, &mut pm.services)] {
        let mut renamed: Vec<String> = Vec::with_capacity(list.len());
        for name in list.drain(..) {
            let name = now_called(kind, &name).unwrap_or(name);
            if !renamed.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                renamed.push(name);
            }
        }
        *list = renamed;
    }
    for f in &mut pm.contributing_factors {
        if let Some(new) = f.category.as_deref().and_then(|c| now_called(TaxonomyKind::Cause, c)) {
            f.category = Some(new);
        }
    }
    Ok(())
}

/// Trims the strings users type into lists and drops empty entries, so that a trailing comma
/// in "authors" does not fail validation.
fn normalize(pm: &mut Postmortem) {
    for list in [&mut pm.authors, &mut pm.reviewers, &mut pm.services, &mut pm.categories, &mut pm.tags] {
        for s in list.iter_mut() {
            *s = s.trim().to_string();
        }
        list.retain(|s| !s.is_empty());
    }
    pm.title = pm.title.trim().to_string();
    if pm.incident_commander.as_deref().is_some_and(|s| s.trim().is_empty()) {
        pm.incident_commander = None;
    }
    if pm.data_impact.as_deref().is_some_and(|s| s.trim().is_empty()) {
        pm.data_impact = None;
    }
    for a in &mut pm.action_items {
        if a.owner.as_deref().is_some_and(|s| s.trim().is_empty()) {
            a.owner = None;
        }
    }
}

/// Writes to a temporary file beside `path`, flushes it to disk, then renames it over `path`,
/// so a crash or a full disk never leaves a half-written export where the old file was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    // Errors name the file the user chose; the temporary one beside it is an implementation
    // detail (removed when the write fails half-way: dropping it deletes it).
    let io = |e: std::io::Error| Error::io(path, e);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    #[cfg_attr(not(unix), allow(unused_mut))]
    let mut builder = tempfile::Builder::new();
    // The file gets the mode a plain write would give it (0666 less the umask), not the
    // owner-only mode temporary files get by default: it is the user's export.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    // The rename is durable once the folder is flushed too. Best effort: some file systems
    // refuse to flush a folder, and the file is in place either way.
    #[cfg(unix)]
    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    Ok(())
}
