//! Backups and restoring one. Every backup is a consistent copy made with SQLite's online
//! backup API while the library stays open, written beside its final name and renamed into
//! place, then checked. Kinds, by file name in the library's `backups/` folder:
//! `auto-*` (on the schedule; only the newest `keep` are kept), `manual-*`, `debrief-vN-*`
//! (before a migration, see [`crate::store::migrate`]) and `before-restore-*`. Only
//! automatic ones are ever deleted.
//!
//! A restore checks the file before it replaces anything (SQLite's integrity check, a schema
//! version this build can open, Debrief's tables), migrates a working copy of it and loads
//! every postmortem from that copy, keeps the current library as a `before-restore-*` backup,
//! and only then copies the checked library over the live one (in one SQLite transaction, so
//! a crash leaves either the old library or the restored one) and rebuilds the search index.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OpenFlags};

use super::{Library, BACKUP_DIR};
use crate::progress::Progress;
use crate::store::{self, backups, postmortems};
use crate::wire::{BackupInfo, BackupKind, BackupStatus, RestoreReport};
use crate::{Error, Result};

/// The longest schedule interval accepted: 30 days.
pub const MAX_INTERVAL_HOURS: u32 = 24 * 30;
/// The most automatic backups kept.
pub const MAX_KEEP: u32 = 100;

impl Library {
    /// A consistent copy of the database written to `out`, which must not exist yet, and checked.
    pub fn backup(&self, out: &Path) -> Result<BackupInfo> {
        if out.exists() {
            return Err(Error::invalid("out", format!("{} already exists", out.display())));
        }
        write_checked(&self.conn, out)?;
        info(out)
    }

    /// A backup made now into the library's `backups/` folder.
    pub fn backup_now(&self) -> Result<BackupInfo> {
        self.backup(&self.backup_dir().join(format!("manual-{}.sqlite3", stamp(crate::clock::now()))))
    }

    /// The schedule and every backup in the folder, newest first.
    pub fn backup_status(&self) -> Result<BackupStatus> {
        let schedule = backups::schedule(&self.conn)?;
        Ok(BackupStatus {
            folder: self.backup_dir().display().to_string(),
            interval_hours: schedule.interval_hours,
            keep: schedule.keep,
            last_auto_at: schedule.last_auto_at,
            backups: self.backups()?,
        })
    }

    /// Sets how often automatic backups are made (0 turns them off) and how many are kept.
    pub fn set_backup_schedule(&mut self, interval_hours: u32, keep: u32) -> Result<BackupStatus> {
        if interval_hours > MAX_INTERVAL_HOURS {
            return Err(Error::invalid("interval_hours", format!("at most {MAX_INTERVAL_HOURS} hours (30 days)")));
        }
        if !(1..=MAX_KEEP).contains(&keep) {
            return Err(Error::invalid("keep", format!("keep between 1 and {MAX_KEEP} automatic backups")));
        }
        backups::set_schedule(&self.conn, interval_hours, keep)?;
        self.prune_auto(keep)?;
        self.backup_status()
    }

    /// Makes the automatic backup if one is due at `now` (the schedule is on, and the last
    /// one is older than its interval), then deletes the oldest automatic ones beyond `keep`.
    /// An empty library is not backed up.
    pub fn auto_backup_if_due(&self, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
        let schedule = backups::schedule(&self.conn)?;
        let due = schedule.interval_hours > 0
            && schedule
                .last_auto_at
                .is_none_or(|last| now.signed_duration_since(last) >= Duration::hours(schedule.interval_hours.into()));
        if !due || self.count()? == 0 {
            return Ok(None);
        }
        let made = self.backup(&self.backup_dir().join(format!("auto-{}.sqlite3", stamp(now))))?;
        backups::made_auto(&self.conn, now)?;
        self.prune_auto(schedule.keep)?;
        Ok(Some(made))
    }

    /// Replaces the library with the one in `from`, checked first (see the module's notes).
    /// Nothing is changed when the check fails. `progress` reports the index rebuild.
    pub fn restore(&mut self, from: &Path, progress: &mut Progress) -> Result<RestoreReport> {
        let found = backups::inspect(from)?;
        // A working copy, migrated and read whole, in a folder of its own that goes at the end.
        let staging = Staging::new(self.dir.join("restore-staging"))?;
        let staged_path = staging.0.join("library.sqlite3");
        {
            let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            store::copy_to(&source, &staged_path)?;
        }
        let mut staged = Connection::open(&staged_path)?;
        store::migrate(&mut staged, &staging.0.join("migration-backup"))?;
        for id in postmortems::all_ids(&staged)? {
            postmortems::load(&staged, &id).map_err(|e| Error::Parse {
                location: from.display().to_string(),
                message: format!("postmortem {id} cannot be read: {e}"),
            })?;
        }
        // Copied into the live database page by page: with its page size (a backup of a
        // library made before may have 4 KiB pages, see `store::PAGE_SIZE`).
        store::set_page_size(&staged, store::page_size(&self.conn)?)?;
        // The last moment a cancel is honoured: from the swap on, the restore goes to its end.
        progress.check()?;
        let kept = self.backup_dir().join(format!("before-restore-{}.sqlite3", stamp(crate::clock::now())));
        let live_path = self.dir.join(super::DB_FILE);
        // Killed from the mark until the rebuild is done, the next start rebuilds the index: it
        // may hold documents of the library being replaced (found by the crash harness). The
        // mark is left just before the swap, once the kept copy is made.
        let mark = self.rebuild_mark();
        copy_over_keeping(&staged, &mut self.conn, &live_path, &kept, || super::write_mark(&mark))?;
        crate::search::fault_point("restore-before-reindex");
        drop(staged);
        self.facts = Default::default();
        self.install_builtin_templates()?;
        // The database is restored: the rebuild cannot be cancelled (it reports its steps),
        // and if another process holds the index (the app, while the CLI restores), the mark
        // stays and the index is rebuilt when the library is next opened by itself.
        let mut steps = Progress::reporting(|s| progress.report(&s.phase, s.done as usize, s.total as usize));
        let index_note = match self.index.rebuild(&self.conn, &mut steps) {
            Ok(_) => {
                self.clear_rebuild_mark()?;
                None
            }
            Err(e) => Some(format!("the search index will be rebuilt when Debrief next opens this library ({e})")),
        };
        let restored = backups::inspect_open(&self.conn)?;
        Ok(RestoreReport {
            from: from.display().to_string(),
            schema_version: found.schema_version,
            postmortems: restored.postmortems,
            action_items: restored.action_items,
            revisions: restored.revisions,
            kept_as: kept.display().to_string(),
            index_note,
        })
    }

    fn backup_dir(&self) -> PathBuf {
        self.dir.join(BACKUP_DIR)
    }

    /// Every backup in the folder, newest first.
    fn backups(&self) -> Result<Vec<BackupInfo>> {
        let dir = self.backup_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io(&dir, e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| Error::io(&dir, e))?.path();
            if kind_of(&path).is_some() {
                out.push(info(&path)?);
            }
        }
        out.sort_by(|a, b| b.made_at.cmp(&a.made_at).then_with(|| b.file_name.cmp(&a.file_name)));
        Ok(out)
    }

    /// Deletes the oldest automatic backups beyond the newest `keep`.
    fn prune_auto(&self, keep: u32) -> Result<()> {
        let mut autos: Vec<BackupInfo> = self.backups()?.into_iter().filter(|b| b.kind == BackupKind::Auto).collect();
        // Their names carry the time they were made: newest first by name.
        autos.sort_by(|a, b| b.file_name.cmp(&a.file_name));
        for old in autos.iter().skip(keep as usize) {
            std::fs::remove_file(&old.path).map_err(|e| Error::io(&old.path, e))?;
        }
        Ok(())
    }
}

/// A sortable UTC time for a file name.
fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%S%.3fZ").to_string()
}

/// What kind of backup the file at `path` is, by its name; `None` for other files.
fn kind_of(path: &Path) -> Option<BackupKind> {
    let name = path.file_name()?.to_str()?;
    if !name.ends_with(".sqlite3") {
        return None;
    }
    [
        ("auto-", BackupKind::Auto),
        ("manual-", BackupKind::Manual),
        ("before-restore-", BackupKind::BeforeRestore),
        ("debrief-v", BackupKind::BeforeMigration),
    ]
    .into_iter()
    .find(|(prefix, _)| name.starts_with(prefix))
    .map(|(_, kind)| kind)
}

/// The listing entry of one backup file. A file not named like a backup counts as manual
/// (one written with `--out`).
fn info(path: &Path) -> Result<BackupInfo> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    let made_at: DateTime<Utc> = meta.modified().map_err(|e| Error::io(path, e))?.into();
    Ok(BackupInfo {
        path: path.display().to_string(),
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        kind: kind_of(path).unwrap_or(BackupKind::Manual),
        made_at,
        bytes: meta.len(),
        size: size_label(meta.len()),
    })
}

/// A size as people read it: `1.4 MB`, `812 KB`, `96 B`.
pub fn size_label(bytes: u64) -> String {
    match bytes {
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / f64::from(1 << 20)),
        n if n >= 1 << 10 => format!("{} KB", n >> 10),
        n => format!("{n} B"),
    }
}

/// Copies the live database to `out` through a temporary file beside it (a crash never leaves
/// a half-written file under a backup's name), then checks the copy.
fn write_checked(conn: &Connection, out: &Path) -> Result<()> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            store::make_private(dir)?;
        }
    }
    let partial = out.with_extension("sqlite3.partial");
    let _ = std::fs::remove_file(&partial);
    let written = store::copy_to(conn, &partial).and_then(|()| backups::inspect(&partial).map(|_| ()));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, out).map_err(|e| Error::io(out, e))?;
    sweep_leftovers(out.parent().unwrap_or(Path::new(".")));
    Ok(())
}

/// Removes the `-wal` and `-shm` files that checks by earlier versions left beside finished
/// backups (`X.sqlite3.partial-wal` where `X.sqlite3` exists and no copy `X.sqlite3.partial` is
/// being written). Best effort: a file that cannot be removed stays.
fn sweep_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Some(finished) = name.strip_suffix(".partial-wal").or_else(|| name.strip_suffix(".partial-shm")) else {
            continue;
        };
        if dir.join(finished).is_file() && !dir.join(format!("{finished}.partial")).exists() {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Copies every page of `from` over the live database `to` (at `live_path`) in one SQLite
/// write transaction, so readers and a crash see the old library or the new one, never a mix,
/// and keeps the library it replaces in `kept`, with every save made before the swap.
///
/// The kept copy is made first, from another connection, without holding anything (on a large
/// library it takes seconds, and the window's saves must not wait for it). Then the backup
/// API's first step (of no pages) takes the live database's write lock and holds it to the
/// end; if another process committed since the copy began (`PRAGMA data_version` moved), the
/// copy is made again, now that nobody else can write. `before_swap` runs under the lock, just
/// before the pages are copied. A save by another process is thus in the kept copy, or waits
/// and lands after the restore; none is lost between the two.
fn copy_over_keeping(
    from: &Connection,
    to: &mut Connection,
    live_path: &Path,
    kept: &Path,
    before_swap: impl FnOnce() -> Result<()>,
) -> Result<()> {
    use rusqlite::backup::{Backup, StepResult};
    let live = Connection::open_with_flags(live_path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    live.busy_timeout(store::BUSY_TIMEOUT)?;
    let before = backups::data_version(&live)?;
    write_checked(&live, kept)?;
    crate::search::pause_point("restore-after-keep");
    let backup = Backup::new(from, to)?;
    let deadline = std::time::Instant::now() + store::BUSY_TIMEOUT;
    let step = |pages| loop {
        match backup.step(pages)? {
            // Another connection holds the write lock: wait for it, as a save would.
            StepResult::Busy | StepResult::Locked if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            StepResult::Busy | StepResult::Locked => {
                return Err(Error::invalid("library", "another process kept the library busy; nothing was restored"))
            }
            done_or_more => return Ok::<_, Error>(done_or_more),
        }
    };
    step(0)?;
    if backups::data_version(&live)? != before {
        write_checked(&live, kept)?;
    }
    drop(live);
    before_swap()?;
    while step(-1)? != StepResult::Done {}
    Ok(())
}

/// A working folder removed when dropped.
struct Staging(PathBuf);

impl Staging {
    fn new(dir: PathBuf) -> Result<Staging> {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging(dir))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
