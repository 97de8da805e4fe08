//! Schema migrations: empty to latest, idempotent reruns, newer databases refused untouched,
//! backups before migrating.

use debrief::store::{self, SCHEMA_VERSION};
use debrief::{Error, Library};

#[test]
fn an_empty_folder_becomes_a_library_at_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(dir.path().join("new")).unwrap();
    let report = lib.check().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(dir.path().join("new").join("debrief.sqlite3").exists());
}

#[test]
fn opening_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib");
    drop(Library::open(&path).unwrap());
    let schema = |p: &std::path::Path| -> Vec<String> {
        let c = rusqlite::Connection::open(p.join("debrief.sqlite3")).unwrap();
        let mut s = c.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").unwrap();
        s.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    };
    let before = schema(&path);
    drop(Library::open(&path).unwrap());
    assert_eq!(before, schema(&path));
    // No backup is made when nothing is migrated.
    assert!(!path.join("backups").exists() || std::fs::read_dir(path.join("backups")).unwrap().next().is_none());
}

#[test]
fn a_database_from_a_newer_debrief_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib");
    drop(Library::open(&path).unwrap());
    let db = path.join("debrief.sqlite3");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 5).unwrap();
    }
    let bytes_before = std::fs::read(&db).unwrap();
    let err = Library::open(&path).err().expect("newer database must be refused");
    assert_eq!(err.code(), "database_too_new");
    let msg = err.to_string();
    assert!(msg.contains(&format!("version {}", SCHEMA_VERSION + 5)), "{msg}");
    assert!(msg.contains("upgrade Debrief"), "{msg}");
    assert!(matches!(err, Error::DatabaseTooNew { .. }));
    assert_eq!(bytes_before, std::fs::read(&db).unwrap());
}

#[test]
fn an_older_database_is_backed_up_before_it_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib");
    let mut lib = Library::open(&path).unwrap();
    let id = lib
        .create(debrief::wire::NewPostmortem {
            title: "Kept across upgrades".into(),
            severity: debrief::model::Severity::Sev3,
            template: None,
            incident_date: None,
        })
        .unwrap()
        .id;
    drop(lib);
    // Upgrade the version-1 file with a hypothetical second migration.
    let mut next: Vec<(&str, &str)> = store::migrations().to_vec();
    next.push(("0002_test", "ALTER TABLE postmortems ADD COLUMN mood TEXT;"));
    let backups = path.join("backups");
    let mut conn = rusqlite::Connection::open(path.join("debrief.sqlite3")).unwrap();
    let made = store::migrate_with(&mut conn, &backups, &next).unwrap().expect("a backup is made");
    assert_eq!(store::schema_version(&conn).unwrap(), SCHEMA_VERSION + 1);
    let copy = rusqlite::Connection::open(&made).unwrap();
    assert_eq!(store::schema_version(&copy).unwrap(), SCHEMA_VERSION);
    let title: String = copy.query_row("SELECT title FROM postmortems WHERE id = ?1", [&id], |r| r.get(0)).unwrap();
    assert_eq!(title, "Kept across upgrades");
}

#[test]
fn a_failing_migration_rolls_back_and_names_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib");
    drop(Library::open(&path).unwrap());
    let mut next: Vec<(&str, &str)> = store::migrations().to_vec();
    next.push(("0002_broken", "CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL;"));
    let mut conn = rusqlite::Connection::open(path.join("debrief.sqlite3")).unwrap();
    let err = store::migrate_with(&mut conn, &path.join("backups"), &next).unwrap_err();
    assert!(err.to_string().contains("migrations/0002_broken.sql"), "{err}");
    assert_eq!(store::schema_version(&conn).unwrap(), SCHEMA_VERSION);
    let half: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'", [], |r| r.get(0)).unwrap();
    assert_eq!(half, 0, "nothing of the failed migration is left behind");
}
