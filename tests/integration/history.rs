//! Revision history on real SQLite: one revision per editing session, imports and restores
//! always keeping theirs, the pruning policy, the diff, restoring, and the later of two
//! editors' saves refused instead of silently overwriting.

use chrono::Duration;
use debrief::error::ErrorCode;
use debrief::history::{Why, KEEP_ALL_DAYS, KEEP_NEWEST, SESSION_GAP_MINUTES};
use debrief::wire::LineChange;
use debrief::wire::SearchOptions;
use debrief::Library;

use crate::helpers::{library, rich_postmortem, run_cli};

/// Moves every stored time of postmortem `id` (its row and its revisions) `minutes` into
/// the past, as if the last edit had been made that long ago.
fn age(dir: &std::path::Path, id: &str, minutes: i64) {
    let conn = rusqlite::Connection::open(dir.join("lib/debrief.sqlite3")).unwrap();
    let shift = format!("-{minutes} minutes");
    conn.execute(
        "UPDATE postmortems SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', updated_at, ?2) WHERE id = ?1",
        rusqlite::params![id, shift],
    )
    .unwrap();
    conn.execute(
        "UPDATE revisions SET saved_at = strftime('%Y-%m-%dT%H:%M:%fZ', saved_at, ?2) WHERE postmortem_id = ?1",
        rusqlite::params![id, shift],
    )
    .unwrap();
}

#[test]
fn an_editing_session_keeps_one_revision_and_the_next_session_another() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let start = lib.get(&pm.id).unwrap().revisions;
    let mut view = lib.get(&pm.id).unwrap();
    age(dir.path(), &pm.id, SESSION_GAP_MINUTES + 5);
    // A page's burst of autosaves: one revision, the version the session started from.
    for i in 0..8 {
        let mut doc = view.postmortem.clone();
        doc.sections[0].body = format!("typed {i}");
        view = lib.save_edit(doc, view.writes, i > 0).unwrap();
    }
    let view = lib.get(&pm.id).unwrap();
    assert_eq!(view.revisions, start + 1, "a session's autosaves keep one revision");
    let kept = lib.history(&pm.id).unwrap();
    assert_eq!(kept[0].replaced_by, Why::Edit);
    assert!(!lib.revision_diff(&pm.id, kept[0].number, None).unwrap().changes.is_empty());

    // A pause longer than the gap: the next save, even continuing, keeps a revision.
    age(dir.path(), &pm.id, SESSION_GAP_MINUTES + 1);
    let view = lib.get(&pm.id).unwrap();
    let mut doc = view.postmortem.clone();
    doc.title = "After the break".into();
    let view = lib.save_edit(doc, view.writes, true).unwrap();
    assert_eq!(lib.get(&pm.id).unwrap().revisions, start + 2);
    let newest = &lib.history(&pm.id).unwrap()[0];
    assert_eq!(newest.summary, vec!["Title".to_string()], "the session's version differs only by its title");

    // Any other write (the CLI, the board, "Keep mine") keeps the version it replaces, even
    // seconds after an autosave: only an editor's own session coalesces.
    let mut doc = view.postmortem.clone();
    doc.sections[0].body = "changed on the command line".into();
    lib.save(doc).unwrap();
    assert_eq!(lib.get(&pm.id).unwrap().revisions, start + 3);
    let view = lib.get(&pm.id).unwrap();
    let mut doc = view.postmortem.clone();
    doc.sections[0].body = "the page saves over it, starting its session".into();
    lib.save_edit(doc, view.writes, false).unwrap();
    assert_eq!(lib.get(&pm.id).unwrap().revisions, start + 4, "the CLI's version is kept");
}

#[test]
fn an_import_keeps_a_revision_even_mid_session() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let mut doc = lib.get(&pm.id).unwrap().postmortem;
    doc.title = "Edited".into();
    lib.save(doc).unwrap();
    let before = lib.get(&pm.id).unwrap().revisions;
    let file = dir.path().join("one.json");
    lib.export_json_file(std::slice::from_ref(&pm.id), &file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap().replace("\"Edited\"", "\"Imported over\"");
    std::fs::write(&file, text).unwrap();
    lib.import_json_file(&file).unwrap();
    assert_eq!(lib.get(&pm.id).unwrap().revisions, before + 1);
    assert_eq!(lib.history(&pm.id).unwrap()[0].replaced_by, Why::Import);
}

#[test]
fn old_revisions_are_thinned_by_the_stated_policy() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    // Three years of revisions, three a month, written straight into the file.
    {
        let conn = rusqlite::Connection::open(dir.path().join("lib/debrief.sqlite3")).unwrap();
        let document: String = serde_json::to_string(&lib.get(&pm.id).unwrap().postmortem).unwrap();
        conn.execute("DELETE FROM revisions WHERE postmortem_id = ?1", [&pm.id]).unwrap();
        let mut number = 0;
        for days_ago in (1..=36 * 30).rev().step_by(10) {
            number += 1;
            let at = (debrief::clock::now() - Duration::days(days_ago)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
            conn.execute(
                "INSERT INTO revisions (id, postmortem_id, number, saved_at, document, reason) VALUES (?1, ?2, ?3, ?4, ?5, 'edit')",
                rusqlite::params![format!("r{number}"), pm.id, number, at, document],
            )
            .unwrap();
        }
    }
    let written = 36 * 3;
    // An import keeps one more revision, and the policy runs.
    let file = dir.path().join("one.json");
    lib.export_json_file(std::slice::from_ref(&pm.id), &file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap().replace(&pm.title, "Retitled");
    std::fs::write(&file, text).unwrap();
    lib.import_json_file(&file).unwrap();
    let kept = lib.history(&pm.id).unwrap();
    assert!(kept.len() < written / 2, "{} of {written} kept", kept.len());
    // The newest 20 are there, so is everything younger than 30 days, and one per month.
    let numbers: Vec<i64> = kept.iter().map(|k| k.number).collect();
    let newest = *numbers.iter().max().unwrap();
    for n in newest - KEEP_NEWEST as i64 + 1..=newest {
        assert!(numbers.contains(&n), "revision {n} is one of the newest and was pruned");
    }
    let month = |k: &debrief::wire::RevisionInfo| k.replaced_at.format("%Y-%m").to_string();
    let mut months: Vec<String> = kept.iter().map(month).collect();
    let all_months = months.len();
    months.dedup();
    let young = kept.iter().filter(|k| debrief::clock::now() - k.replaced_at < Duration::days(KEEP_ALL_DAYS)).count();
    assert!(all_months <= KEEP_NEWEST.max(young) + months.len(), "more than one old revision per month");
    assert!(months.len() >= 36, "a revision of every month is kept: {months:?}");
}

#[test]
fn a_revision_can_be_compared_and_restored() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    age(dir.path(), &pm.id, SESSION_GAP_MINUTES + 1);
    let original = lib.get(&pm.id).unwrap().postmortem;
    let mut doc = original.clone();
    doc.title = "Rewritten entirely".into();
    doc.sections[0].body = "Line one\nLine two".into();
    doc.action_items.clear();
    doc.status = debrief::model::ReviewStatus::InReview;
    doc.reviewers = vec!["Rosa".into()];
    let saved = lib.save(doc).unwrap();
    let number = lib.history(&pm.id).unwrap()[0].number;

    let diff = lib.revision_diff(&pm.id, number, None).unwrap();
    let labels: Vec<&str> = diff.changes.iter().map(|c| c.label.as_str()).collect();
    assert!(labels.contains(&"Title"), "{labels:?}");
    assert!(diff.changes.iter().any(|c| c.change == LineChange::Removed && c.label.starts_with("Action item")));
    let body = diff.changes.iter().find(|c| c.label.ends_with(": Body")).expect("the section body");
    assert!(body.lines.iter().any(|l| l.change == LineChange::Added && l.text == "Line two"));

    let restored = lib.restore_revision(&pm.id, number).unwrap();
    assert_eq!(restored.postmortem.title, original.title);
    assert_eq!(restored.postmortem.action_items, original.action_items);
    assert_eq!(restored.postmortem.status, saved.postmortem.status, "the review status is not rolled back");
    let history = lib.history(&pm.id).unwrap();
    assert_eq!(history[0].replaced_by, Why::Restore);
    assert_eq!(history[0].title, "Rewritten entirely", "the replaced version is kept");
    // The index follows: the restored title is found, the replaced one is not.
    let hits = lib.search("\"Checkout 502s after pool change\"", &SearchOptions::default()).unwrap();
    assert!(hits.hits.iter().any(|h| h.id == pm.id), "restored title not found");
    assert_eq!(lib.search("\"Rewritten entirely\"", &SearchOptions::default()).unwrap().total, 0);
    assert!(lib.check().unwrap().problems.is_empty());

    let missing = lib.restore_revision(&pm.id, 999).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

#[test]
fn the_later_of_two_editors_is_told_instead_of_overwriting() {
    let (dir, mut first) = library();
    let pm = rich_postmortem(&mut first);
    let mut second = Library::open(dir.path().join("lib")).unwrap();
    let opened_a = first.get(&pm.id).unwrap();
    let opened_b = second.get(&pm.id).unwrap();
    let (mut a, mut b) = (opened_a.postmortem, opened_b.postmortem);
    a.title = "Window A's title".into();
    let saved = first.save_edit(a, opened_a.writes, false).unwrap();
    b.sections[0].body = "Window B's text".into();
    let refused = second.save_edit(b.clone(), opened_b.writes, false).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Changed);
    assert!(refused.to_string().contains("changed elsewhere"), "{refused}");
    let stored = second.get(&pm.id).unwrap().postmortem;
    assert_eq!(stored.title, "Window A's title");
    assert_ne!(stored.sections[0].body, "Window B's text", "nothing of the stale copy was written");
    // The same editor goes on saving over its own saves.
    let mut again = saved.postmortem.clone();
    again.title = "Window A, later".into();
    let later = first.save_edit(again, saved.writes, true).unwrap();
    // Keeping B's version on purpose: over the version now stored.
    assert_eq!(
        second.save_edit(b.clone(), later.writes, false).unwrap().postmortem.sections[0].body,
        "Window B's text"
    );

    // An import that keeps the file's updated_at is still a newer version.
    let opened = first.get(&pm.id).unwrap();
    let file = dir.path().join("same-time.json");
    first.export_json_file(std::slice::from_ref(&pm.id), &file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap().replace("Window B's text", "Imported text");
    std::fs::write(&file, text).unwrap();
    assert_eq!(first.import_json_file(&file).unwrap().updated, 1);
    let mut stale = opened.postmortem.clone();
    stale.title = "From the stale page".into();
    assert_eq!(first.save_edit(stale, opened.writes, true).unwrap_err().code(), ErrorCode::Changed);
}

#[test]
fn the_cli_lists_compares_and_restores_revisions() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    age(dir.path(), &pm.id, SESSION_GAP_MINUTES + 1);
    let mut doc = lib.get(&pm.id).unwrap().postmortem;
    doc.title = "Renamed in the window".into();
    lib.save(doc).unwrap();
    drop(lib);
    let cli = |args: &[&str]| run_cli(&dir.path().join("lib"), args);
    let short = &pm.id[..8];
    let (ok, listed, _) = cli(&["history", short]);
    assert!(ok);
    assert!(listed.contains("Checkout 502s after pool change"), "{listed}");
    assert!(listed.contains("by edit: Title"), "{listed}");
    let (ok, json, _) = cli(&["history", short, "--json"]);
    assert!(ok);
    let revisions: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let newest = revisions[0]["number"].as_i64().unwrap().to_string();
    let (ok, diff, _) = cli(&["history", short, "--diff", &newest]);
    assert!(ok);
    assert!(diff.contains("~ Title\n    - Checkout 502s after pool change\n    + Renamed in the window"), "{diff}");
    let (ok, restored, _) = cli(&["history", short, "--restore", &newest]);
    assert!(ok, "{restored}");
    assert_eq!(Library::open(dir.path().join("lib")).unwrap().get(&pm.id).unwrap().postmortem.title, pm.title);
    let (ok, _, err) = cli(&["history", short, "--diff", "4711"]);
    assert!(!ok);
    assert!(err.contains("[not_found]") && err.contains("#4711"), "{err}");
}
