//! Backups and restore on real SQLite files: checked copies, the automatic schedule and its
//! rolling window, and restores that are verified before they replace anything, keep the
//! library they replace, bring the search index along, and refuse bad files untouched.

use std::path::Path;

use chrono::Duration;
use debrief::error::ErrorCode;
use debrief::progress::Progress;
use debrief::wire::{BackupKind, SearchOptions};
use debrief::Library;

use crate::helpers::{library, rich_postmortem, run_cli};

fn titles(lib: &Library) -> Vec<String> {
    let mut t: Vec<String> = lib.list(&Default::default()).unwrap().into_iter().map(|s| s.title).collect();
    t.sort();
    t
}

fn new_pm(lib: &mut Library, title: &str) -> String {
    lib.create(debrief::wire::NewPostmortem {
        title: title.into(),
        severity: debrief::model::Severity::Sev3,
        template: None,
        incident_date: None,
    })
    .unwrap()
    .id
}

#[test]
fn a_backup_is_a_checked_copy_and_never_overwrites() {
    let (dir, mut lib) = library();
    rich_postmortem(&mut lib);
    let out = dir.path().join("copy.sqlite3");
    let made = lib.backup(&out).unwrap();
    assert_eq!(made.bytes, std::fs::metadata(&out).unwrap().len());
    let copy = Library::open(dir.path().join("opened-copy")).unwrap();
    drop(copy);
    std::fs::copy(&out, dir.path().join("opened-copy/debrief.sqlite3")).unwrap();
    assert_eq!(titles(&Library::open(dir.path().join("opened-copy")).unwrap()), titles(&lib));
    let again = lib.backup(&out).unwrap_err();
    assert_eq!(again.code(), ErrorCode::Validation);
    assert!(!dir.path().join("copy.sqlite3.partial").exists());
    let now = lib.backup_now().unwrap();
    assert_eq!(now.kind, BackupKind::Manual);
    assert!(now.path.contains("backups"), "{}", now.path);
}

#[test]
fn automatic_backups_follow_the_schedule_and_keep_the_newest() {
    let (_dir, mut lib) = library();
    let start = debrief::clock::now();
    assert!(lib.auto_backup_if_due(start).unwrap().is_none(), "an empty library is not backed up");
    rich_postmortem(&mut lib);
    lib.set_backup_schedule(6, 2).unwrap();
    let first = lib.auto_backup_if_due(start).unwrap().expect("the first is due at once");
    assert_eq!(first.kind, BackupKind::Auto);
    assert!(lib.auto_backup_if_due(start + Duration::hours(5)).unwrap().is_none(), "not due yet");
    lib.auto_backup_if_due(start + Duration::hours(6)).unwrap().expect("due after the interval");
    lib.auto_backup_if_due(start + Duration::hours(12)).unwrap().expect("due again");
    lib.backup_now().unwrap();
    let status = lib.backup_status().unwrap();
    let autos: Vec<_> = status.backups.iter().filter(|b| b.kind == BackupKind::Auto).collect();
    assert_eq!(autos.len(), 2, "only the newest two automatic backups are kept: {:?}", status.backups);
    assert!(!autos.iter().any(|b| b.file_name == first.file_name), "the oldest went");
    assert_eq!(status.backups.iter().filter(|b| b.kind == BackupKind::Manual).count(), 1, "manual ones stay");
    assert_eq!(status.last_auto_at, Some(start + Duration::hours(12)));
    // Off means off.
    lib.set_backup_schedule(0, 2).unwrap();
    assert!(lib.auto_backup_if_due(start + Duration::days(30)).unwrap().is_none());
    // Bounds are named.
    let refused = lib.set_backup_schedule(24, 0).unwrap_err();
    assert!(refused.to_string().starts_with("keep:"), "{refused}");
}

#[test]
fn a_restore_brings_back_the_backup_and_keeps_what_it_replaced() {
    let (dir, mut lib) = library();
    let kept = rich_postmortem(&mut lib);
    let backup = dir.path().join("before.sqlite3");
    lib.backup(&backup).unwrap();
    let before = titles(&lib);

    // Work done after the backup, seen by a second handle (as the app's worker would be).
    let later = new_pm(&mut lib, "Written after the backup quokka");
    let mut other = Library::open(dir.path().join("lib")).unwrap();
    assert!(other.get(&later).is_ok());

    let report = lib.restore(&backup, &mut Progress::none()).unwrap();
    assert_eq!(report.postmortems, 1);
    assert_eq!(titles(&lib), before);
    assert!(lib.get(&kept.id).is_ok());
    assert_eq!(lib.get(&later).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(other.get(&later).unwrap_err().code(), ErrorCode::NotFound, "another handle sees the restore");
    // The index follows, and the check finds nothing amiss.
    assert_eq!(lib.search("quokka", &SearchOptions::default()).unwrap().total, 0);
    assert_eq!(other.search("\"pool change\"", &SearchOptions::default()).unwrap().total, 1);
    assert!(lib.check().unwrap().problems.is_empty());

    // What was replaced is a backup that holds the later work.
    assert!(Path::new(&report.kept_as).exists());
    let status = lib.backup_status().unwrap();
    assert!(status.backups.iter().any(|b| b.kind == BackupKind::BeforeRestore && b.path == report.kept_as));
    let undo = lib.restore(Path::new(&report.kept_as), &mut Progress::none()).unwrap();
    assert_eq!(undo.postmortems, 2);
    assert_eq!(lib.get(&later).unwrap().postmortem.title, "Written after the backup quokka");
    assert!(!dir.path().join("lib/restore-staging").exists(), "the working copy is gone");
}

#[test]
fn a_bad_file_is_refused_and_the_library_is_untouched() {
    let (dir, mut lib) = library();
    rich_postmortem(&mut lib);
    let good = dir.path().join("good.sqlite3");
    lib.backup(&good).unwrap();
    let before = titles(&lib);
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let full = std::fs::read(&good).unwrap();
    let newer = dir.path().join("newer.sqlite3");
    std::fs::copy(&good, &newer).unwrap();
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 999).unwrap();
    let foreign = dir.path().join("foreign.sqlite3");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 3;")
        .unwrap();
    let cases = [
        (write("text.sqlite3", b"not a database at all"), "not a Debrief library"),
        (write("truncated.sqlite3", &full[..full.len() / 3]), "sqlite3"),
        (newer, "schema version 999"),
        (foreign, "not a Debrief library"),
        (dir.path().join("missing.sqlite3"), "no such file"),
    ];
    for (path, says) in cases {
        let e = lib.restore(&path, &mut Progress::none()).unwrap_err();
        let message = e.to_string();
        assert!(message.contains(&path.display().to_string()), "names the file: {message}");
        assert!(message.contains(says), "{message}");
        assert_eq!(titles(&lib), before, "{}", path.display());
        assert!(
            !lib.backup_status().unwrap().backups.iter().any(|b| b.kind == BackupKind::BeforeRestore),
            "nothing was replaced, so nothing was kept"
        );
    }
    assert!(lib.check().unwrap().problems.is_empty());
}

#[test]
fn an_old_backup_is_migrated_as_it_is_restored() {
    use std::io::Read;
    let (dir, mut lib) = library();
    rich_postmortem(&mut lib);
    let gz = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations/v1.sqlite3.gz");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(gz).unwrap()).read_to_end(&mut bytes).unwrap();
    let old = dir.path().join("v1.sqlite3");
    std::fs::write(&old, bytes).unwrap();
    let report = lib.restore(&old, &mut Progress::none()).unwrap();
    assert_eq!(report.schema_version, 1);
    assert_eq!(report.postmortems, 50);
    assert_eq!(lib.check().unwrap().schema_version, debrief::store::SCHEMA_VERSION);
    assert!(lib.check().unwrap().problems.is_empty());
}

#[test]
fn the_cli_backs_up_lists_and_restores() {
    let (dir, mut lib) = library();
    rich_postmortem(&mut lib);
    drop(lib);
    let cli = |args: &[&str]| run_cli(&dir.path().join("lib"), args);
    let file = dir.path().join("b.sqlite3");
    let (ok, said, _) = cli(&["backup", "--out", file.to_str().unwrap()]);
    assert!(ok && said.contains("checked"), "{said}");
    let (ok, said, _) = cli(&["backup", "--every", "12", "--keep", "3"]);
    assert!(ok && said.contains("every 12 h, the newest 3 kept"), "{said}");
    let mut lib = Library::open(dir.path().join("lib")).unwrap();
    new_pm(&mut lib, "After the backup");
    drop(lib);
    // What checks by earlier versions left beside a finished backup is swept by the next one.
    std::fs::create_dir_all(dir.path().join("lib/backups")).unwrap();
    let leftover = dir.path().join("lib/backups/manual-20260101T000000Z.sqlite3");
    std::fs::write(&leftover, "x").unwrap();
    let wal = dir.path().join("lib/backups/manual-20260101T000000Z.sqlite3.partial-wal");
    std::fs::write(&wal, "x").unwrap();
    let (ok, said, err) = cli(&["restore", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(!wal.exists() && leftover.exists());
    assert!(said.contains("1 postmortems") && said.contains("kept as"), "{said}");
    let (ok, listed, _) = cli(&["backup", "--list", "--json"]);
    assert!(ok);
    let status: serde_json::Value = serde_json::from_str(&listed).unwrap();
    assert!(status["backups"].as_array().unwrap().iter().any(|b| b["kind"] == "before_restore"));
    let (ok, _, err) = cli(&["restore", dir.path().join("nope.sqlite3").to_str().unwrap()]);
    assert!(!ok && err.contains("[io]") && err.contains("nope.sqlite3"), "{err}");
}

/// The library's folder, its database and its backups are readable only by the user.
#[cfg(unix)]
#[test]
fn the_library_and_its_backups_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, mut lib) = library();
    rich_postmortem(&mut lib);
    let made = lib.backup_now().unwrap();
    let out = dir.path().join("elsewhere.sqlite3");
    lib.backup(&out).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let root = dir.path().join("lib");
    assert_eq!(mode(&root), 0o700, "the library folder");
    for file in ["debrief.sqlite3", "debrief.sqlite3-wal", "debrief.sqlite3-shm"] {
        assert_eq!(mode(&root.join(file)), 0o600, "{file}");
    }
    assert_eq!(mode(&root.join("backups")), 0o700, "the backups folder");
    assert_eq!(mode(Path::new(&made.path)), 0o600, "a backup");
    assert_eq!(mode(&out), 0o600, "a backup written elsewhere");

    // A library an older version made with the usual umask is tightened when next opened
    // (its folder, which the user may have chosen, is left as it is).
    drop(lib);
    let loose = |p: &Path, m| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    loose(&root, 0o755);
    loose(&root.join("debrief.sqlite3"), 0o644);
    loose(&root.join("backups"), 0o755);
    loose(Path::new(&made.path), 0o644);
    loose(&root.join("index"), 0o755);
    let _lib = Library::open(&root).unwrap();
    assert_eq!(mode(&root), 0o755, "the folder is the user's");
    assert_eq!(mode(&root.join("debrief.sqlite3")), 0o600);
    assert_eq!(mode(&root.join("backups")), 0o700);
    assert_eq!(mode(Path::new(&made.path)), 0o600);
    assert_eq!(mode(&root.join("index")), 0o700);
}

/// A save by another process while a restore runs is never lost: it lands before the restore
/// takes the write lock (and is in the kept library) or waits and lands after the swap. The
/// restore pauses right after keeping the old library, before it takes the write lock (a
/// `DEBRIEF_FAULT` pause point), while another `debrief` process saves: the restore sees the
/// database changed and keeps it again under the lock. Without that, the save landed in neither.
#[test]
fn a_save_during_a_restore_is_kept_or_lands_after_it() {
    use std::io::BufRead;
    let (dir, mut lib) = library();
    rich_postmortem(&mut lib);
    drop(lib);
    let lib_dir = dir.path().join("lib");
    let file = dir.path().join("b.sqlite3");
    assert!(run_cli(&lib_dir, &["backup", "--out", file.to_str().unwrap()]).0);

    let mut restore = std::process::Command::new(assert_cmd::cargo::cargo_bin("debrief"))
        .arg("--library")
        .arg(&lib_dir)
        .args(["restore", file.to_str().unwrap()])
        .env("DEBRIEF_FAULT", "restore-after-keep")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = std::io::BufReader::new(restore.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("pausing on purpose") {
        line.clear();
        assert!(said.read_line(&mut line).unwrap() > 0, "the restore ended before its pause point");
    }
    let (ok, _, err) = run_cli(&lib_dir, &["new", "--title", "Saved during the restore"]);
    assert!(ok, "{err}");
    assert!(restore.wait().unwrap().success());

    let (_, listed, _) = run_cli(&lib_dir, &["list", "--json"]);
    let in_live = listed.contains("Saved during the restore");
    let kept: Vec<_> = std::fs::read_dir(lib_dir.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let c = rusqlite::Connection::open(&kept[0]).unwrap();
    let in_kept: i64 = c
        .query_row("SELECT count(*) FROM postmortems WHERE title = 'Saved during the restore'", [], |r| r.get(0))
        .unwrap();
    assert!(in_live || in_kept == 1, "the save made during the restore is lost (live: {in_live}, kept: {in_kept})");
    // It was made while the first copy was being kept, before the write lock: the copy was
    // made again under the lock, so the save is in it.
    assert_eq!(in_kept, 1, "kept again after the save");
}

/// A new library's database has 16 KiB pages; libraries made before have 4 KiB ones. A backup
/// with the other page size restores (SQLite copies into a database in WAL mode only between
/// equal page sizes, so the working copy is rewritten with the library's).
#[test]
fn a_backup_with_another_page_size_restores() {
    let (dir, mut lib) = library();
    let page_size = |path: &Path| -> i64 {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap()
    };
    assert_eq!(page_size(&dir.path().join("lib").join(debrief::library::DB_FILE)), debrief::store::PAGE_SIZE);
    let kept = rich_postmortem(&mut lib);
    let backup = dir.path().join("small-pages.sqlite3");
    lib.backup(&backup).unwrap();
    debrief::store::set_page_size(&rusqlite::Connection::open(&backup).unwrap(), 4096).unwrap();
    assert_eq!(page_size(&backup), 4096, "the backup now has an older library's pages");
    new_pm(&mut lib, "Written after the backup");

    let report = lib.restore(&backup, &mut Progress::none()).unwrap();
    assert_eq!(report.postmortems, 1);
    assert_eq!(lib.get(&kept.id).unwrap().postmortem, kept);
    assert!(lib.check().unwrap().problems.is_empty());
    assert_eq!(page_size(&dir.path().join("lib").join(debrief::library::DB_FILE)), debrief::store::PAGE_SIZE);
}
