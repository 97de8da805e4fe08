//! Reliability findings (issue 16), each pinned by a test that failed before its fix.

use debrief::model::Severity;
use debrief::wire::{NewPostmortem, SearchOptions};
use debrief::Library;

/// A change another process saves while a reindex runs (after the reindex read that
/// postmortem) stays queued, and reaches the index: the rebuild forgets only what was queued
/// when it began.
#[test]
fn a_change_saved_during_a_reindex_is_not_dropped_from_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib");
    let mut lib = Library::open(&path).unwrap();
    let mut first = None;
    for i in 0..260 {
        let pm = lib
            .create(NewPostmortem {
                title: format!("Incident number {i}"),
                severity: Severity::Sev3,
                template: None,
                incident_date: Some("2025-03-14".parse().unwrap()),
            })
            .unwrap();
        first.get_or_insert(pm.id);
    }
    let first = first.unwrap();
    let mut changed = false;
    lib.reindex(&mut |done, _total| {
        // Past the first postmortem: another process (the CLI) retitles it now.
        if done >= 200 && !changed {
            changed = true;
            let mut other = Library::open(&path).unwrap();
            let mut pm = other.get(&first).unwrap().postmortem;
            pm.title = "Zanzibar outage retitled during the reindex".into();
            other.save(pm).unwrap();
        }
    })
    .unwrap();
    assert!(changed);
    let hits = lib.search("zanzibar", &SearchOptions::default()).unwrap();
    assert_eq!(hits.total, 1, "the change made during the reindex reached the index");
    let check = lib.check().unwrap();
    assert!(check.problems.is_empty(), "{:?}", check.problems);
}

/// A restore killed after it replaced the database but before it rebuilt the index (found by
/// the crash harness): the next start rebuilds the index, so search and `check` agree with the
/// restored library. Before the fix the index kept the replaced library's version of a
/// postmortem (same id, same count), and `check` reported it stale until a manual reindex.
#[test]
fn a_restore_stopped_before_its_reindex_is_finished_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib");
    let mut lib = Library::open(&path).unwrap();
    let pm = lib
        .create(NewPostmortem {
            title: "Quokka outage as first written".into(),
            severity: Severity::Sev3,
            template: None,
            incident_date: Some("2025-03-14".parse().unwrap()),
        })
        .unwrap();
    let snapshot = dir.path().join("snapshot.sqlite3");
    lib.backup(&snapshot).unwrap();
    let mut doc = lib.get(&pm.id).unwrap().postmortem;
    doc.title = "Wombat outage as retitled later".into();
    lib.save(doc).unwrap();
    drop(lib);

    let out = assert_cmd::Command::cargo_bin("debrief")
        .unwrap()
        .arg("--library")
        .arg(&path)
        .env("DEBRIEF_FAULT", "restore-before-reindex")
        .arg("restore")
        .arg(&snapshot)
        .output()
        .unwrap();
    assert!(!out.status.success(), "the fault point stopped the restore");

    let mut lib = Library::open(&path).unwrap();
    assert_eq!(lib.get(&pm.id).unwrap().postmortem.title, "Quokka outage as first written");
    let report = lib.check().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(lib.search("quokka", &SearchOptions::default()).unwrap().total, 1);
    assert_eq!(lib.search("wombat", &SearchOptions::default()).unwrap().total, 0);
}
