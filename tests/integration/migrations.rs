//! Schema migrations: empty to latest, idempotent reruns, newer databases refused untouched,
//! backups before migrating.

use debrief::store::{self, SCHEMA_VERSION};
use debrief::{Error, Library};

#[test]
fn an_empty_folder_becomes_a_library_at_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path().join("new")).unwrap();
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

/// A library written at every past schema version (tests/fixtures/migrations, made by
/// scripts/make-migration-fixtures.sh with the CLI of that version) opens with today's code:
/// migrated to the latest schema, a backup of the old file made first, and every postmortem,
/// revision and action item its manifest lists still there and readable.
#[test]
fn every_past_schema_version_migrates_with_all_its_data() {
    use sha2::{Digest, Sha256};
    use std::io::Read;

    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrations");
    let mut versions = Vec::new();
    for version in 1..SCHEMA_VERSION {
        let gz = fixtures.join(format!("v{version}.sqlite3.gz"));
        assert!(gz.exists(), "no fixture for schema v{version}: run scripts/make-migration-fixtures.sh");
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(fixtures.join(format!("v{version}.manifest.json"))).unwrap())
                .unwrap();
        assert_eq!(manifest["schema_version"], version);
        let dir = tempfile::tempdir().unwrap();
        let lib_dir = dir.path().join("lib");
        std::fs::create_dir_all(&lib_dir).unwrap();
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap()).read_to_end(&mut bytes).unwrap();
        std::fs::write(lib_dir.join("debrief.sqlite3"), &bytes).unwrap();

        let mut lib = Library::open(&lib_dir).unwrap_or_else(|e| panic!("v{version}: {e}"));
        let report = lib.check().unwrap();
        assert_eq!(report.schema_version, SCHEMA_VERSION, "v{version}");
        assert!(report.problems.is_empty(), "v{version}: {:?}", report.problems);
        let backups: Vec<String> = std::fs::read_dir(lib_dir.join("backups"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(backups.iter().any(|b| b.starts_with(&format!("debrief-v{version}-"))), "v{version}: {backups:?}");

        let expected = manifest["postmortems"].as_array().unwrap();
        assert_eq!(lib.count().unwrap() as usize, expected.len(), "v{version}");
        for want in expected {
            let id = want["id"].as_str().unwrap();
            let view = lib.get(id).unwrap_or_else(|e| panic!("v{version} {id}: {e}"));
            let pm = &view.postmortem;
            let what = format!("v{version} {id}");
            assert_eq!(pm.title, want["title"].as_str().unwrap(), "{what}");
            assert_eq!(pm.incident_date.to_string(), want["incident_date"].as_str().unwrap(), "{what}");
            assert_eq!(serde_json::to_value(pm.severity).unwrap(), want["severity"], "{what}");
            assert_eq!(serde_json::to_value(pm.status).unwrap(), want["status"], "{what}");
            assert_eq!(pm.timeline.len() as u64, want["timeline"].as_u64().unwrap(), "{what}");
            let mut items: Vec<&str> = pm.action_items.iter().map(|a| a.id.as_str()).collect();
            items.sort_unstable();
            let want_items: Vec<&str> =
                want["action_items"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
            assert_eq!(items, want_items, "{what}");
            let bodies: Vec<&str> = pm.sections.iter().map(|s| s.body.as_str()).collect();
            let digest = format!("{:x}", Sha256::digest(bodies.join("\u{1f}").as_bytes()));
            assert_eq!(&digest[..16], want["sections"].as_str().unwrap(), "{what}: section text");
            let steps: usize = pm.whys.iter().map(|c| c.steps.len()).sum();
            assert_eq!(steps as u64, want["whys"].as_u64().unwrap(), "{what}");
            assert_eq!(pm.contributing_factors.len() as u64, want["factors"].as_u64().unwrap(), "{what}");
            // Revisions written by old code still load and compare.
            assert_eq!(view.revisions as u64, want["revisions"].as_u64().unwrap(), "{what}");
            for r in lib.history(id).unwrap_or_else(|e| panic!("{what}: history: {e}")) {
                lib.revision_diff(id, r.number, None).unwrap_or_else(|e| panic!("{what}: revision {}: {e}", r.number));
            }
        }
        // And the migrated library takes new work.
        let first = expected[0]["id"].as_str().unwrap();
        let view = lib.get(first).unwrap();
        let mut pm = view.postmortem.clone();
        pm.title = format!("{} (saved after migrating)", pm.title);
        lib.save_edit(pm, view.writes, false).unwrap_or_else(|e| panic!("v{version}: save: {e}"));
        assert!(lib.check().unwrap().problems.is_empty(), "v{version}");
        versions.push(version);
    }
    assert_eq!(versions.len() as i64, SCHEMA_VERSION - 1);
}
