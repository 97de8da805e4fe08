//! JSON export and import: lossless round trip, idempotent re-import, all-or-nothing files.

use crate::helpers::{library, rich_postmortem};
use debrief::exchange::json::LibraryDocument;

#[test]
fn export_import_export_gives_the_same_document() {
    let (d, mut lib) = library();
    rich_postmortem(&mut lib);
    lib.load_sample().unwrap();
    let first = lib.export_document(&[]).unwrap().to_json();
    let file = d.path().join("export.json");
    std::fs::write(&file, &first).unwrap();

    let mut fresh = debrief::Library::open(d.path().join("fresh")).unwrap();
    let report = fresh.import_json_file(&file).unwrap();
    assert_eq!(report.created, lib.count().unwrap() as usize);
    let second = fresh.export_document(&[]).unwrap().to_json();
    assert!(first == second, "re-export differs from the first export");
}

#[test]
fn the_taxonomy_travels_with_the_library_root_cause_types_and_roi_inputs_included() {
    use debrief::wire::{RoiInputs, TaxonomyKind};
    let (d, mut lib) = library();
    lib.load_sample().unwrap();
    lib.add_taxonomy(TaxonomyKind::Cause, "Retry storm", "Clients retrying in lockstep").unwrap();
    lib.retire_taxonomy(TaxonomyKind::Cause, "Retry storm", true).unwrap();
    lib.describe_taxonomy(TaxonomyKind::Cause, "Change management", "How changes ship").unwrap();
    let inputs = RoiInputs { window_days: 180, hourly_cost: 2500.0, implementation_cost: 12000.0, effectiveness: 0.5 };
    lib.set_roi_inputs("deployment", inputs).unwrap();
    let file = d.path().join("export.json");
    lib.export_json_file(&[], &file).unwrap();

    let mut fresh = debrief::Library::open(d.path().join("fresh")).unwrap();
    fresh.import_json_file(&file).unwrap();
    let t = fresh.taxonomy().unwrap();
    let storm = t.cause_types.iter().find(|c| c.name == "Retry storm").expect("the added type");
    assert!(storm.retired && storm.description == "Clients retrying in lockstep", "{storm:?}");
    let change = t.cause_types.iter().find(|c| c.name == "Change management").unwrap();
    assert_eq!(change.description, "How changes ship");
    assert_eq!(fresh.roi_inputs("deployment").unwrap(), inputs);
    assert_eq!(lib.export_document(&[]).unwrap().to_json(), fresh.export_document(&[]).unwrap().to_json());

    // Saved inputs for a category neither the file nor the library has are refused by name,
    // and nothing of the file is kept.
    let text =
        std::fs::read_to_string(&file).unwrap().replace("\"category\": \"deployment\"", "\"category\": \"ghost\"");
    std::fs::write(&file, text).unwrap();
    let mut empty = debrief::Library::open(d.path().join("empty")).unwrap();
    let err = empty.import_json_file(&file).unwrap_err().to_string();
    assert!(err.contains("roi_inputs[0]") && err.contains("ghost"), "{err}");
    assert_eq!(empty.count().unwrap(), 0);

    let text = std::fs::read_to_string(&file).unwrap().replace("\"name\": \"Retry storm\"", "\"name\": \"  \"");
    std::fs::write(&file, text).unwrap();
    let err = empty.import_json_file(&file).unwrap_err().to_string();
    assert!(err.contains("cause_types[") && err.contains(".name"), "{err}");
    assert_eq!(empty.count().unwrap(), 0);
}

#[test]
fn importing_the_same_file_twice_updates_instead_of_duplicating() {
    let (d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let file = d.path().join("one.json");
    std::fs::write(&file, lib.export_document(std::slice::from_ref(&pm.id)).unwrap().to_json()).unwrap();

    let mut other = debrief::Library::open(d.path().join("other")).unwrap();
    assert_eq!(other.import_json_file(&file).unwrap().created, 1);
    let again = other.import_json_file(&file).unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 1));
    assert_eq!(other.count().unwrap(), 1);

    // A changed file updates the stored postmortem and keeps a revision.
    let mut doc = LibraryDocument::parse(&std::fs::read_to_string(&file).unwrap(), "one.json").unwrap();
    doc.postmortems[0].title = "Retitled in another copy".into();
    std::fs::write(&file, doc.to_json()).unwrap();
    let changed = other.import_json_file(&file).unwrap();
    assert_eq!(changed.updated, 1);
    let view = other.get(&pm.id).unwrap();
    assert_eq!(view.postmortem.title, "Retitled in another copy");
    assert_eq!(view.revisions, 1);
}

#[test]
fn a_file_that_fails_leaves_nothing_behind() {
    let (d, mut lib) = library();
    rich_postmortem(&mut lib);
    lib.load_sample().unwrap();
    let mut doc = lib.export_document(&[]).unwrap();
    let n = doc.postmortems.len();
    // The last postmortem is invalid: nothing at all may be imported.
    doc.postmortems[n - 1].title = String::new();
    let file = d.path().join("broken.json");
    std::fs::write(&file, doc.to_json()).unwrap();
    let mut fresh = debrief::Library::open(d.path().join("fresh")).unwrap();
    let err = fresh.import_json_file(&file).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("broken.json"), "{msg}");
    assert!(msg.contains(&format!("postmortems[{}]", n - 1)), "{msg}");
    assert!(msg.ends_with("title: must not be empty"), "{msg}");
    assert_eq!(fresh.count().unwrap(), 0);
    assert!(fresh.taxonomy().unwrap().services.is_empty(), "no taxonomy rows either");
}

#[test]
fn a_bad_field_deep_inside_is_named_by_its_path_line_and_column() {
    let (d, mut lib) = library();
    rich_postmortem(&mut lib);
    lib.load_sample().unwrap();
    let doc = lib.export_document(&[]).unwrap();
    let n = doc.postmortems.len();
    assert!(n > 4, "the sample gives a library of several postmortems");
    let title = doc.postmortems[3].title.clone();
    // A timeline time that is not a time, in the fourth postmortem.
    let mut value = serde_json::to_value(&doc).unwrap();
    value["postmortems"][3]["timeline"][0]["at"] = "half past two".into();
    let text = serde_json::to_string_pretty(&value).unwrap();
    let line = text.lines().position(|l| l.contains("\"half past two\"")).unwrap() + 1;
    let file = d.path().join("deep.json");
    std::fs::write(&file, &text).unwrap();

    let mut fresh = debrief::Library::open(d.path().join("fresh")).unwrap();
    let err = fresh.import_json_file(&file).unwrap_err();
    let msg = err.to_string();
    assert_eq!(err.code(), "parse", "{msg}");
    assert!(msg.contains(&format!("deep.json:{line}:")), "{msg}");
    assert!(msg.contains("postmortems[3].timeline[0].at"), "{msg}");
    assert!(msg.contains(&format!("{title:?}")), "{msg}");
    assert_eq!(fresh.count().unwrap(), 0);
    assert!(fresh.taxonomy().unwrap().services.is_empty(), "no taxonomy rows either");
}

#[test]
fn a_truncated_file_reports_its_line() {
    let (d, mut lib) = library();
    rich_postmortem(&mut lib);
    let text = lib.export_document(&[]).unwrap().to_json();
    let cut = &text[..text.len() / 2];
    let file = d.path().join("cut.json");
    std::fs::write(&file, cut).unwrap();
    let err = lib.import_json_file(&file).unwrap_err();
    let lines = cut.lines().count();
    assert!(err.to_string().contains(&format!("cut.json:{lines}:")), "{err}");
}

#[test]
fn a_file_of_another_kind_is_refused_plainly() {
    let (d, mut lib) = library();
    let file = d.path().join("package.json");
    std::fs::write(&file, r#"{"name": "not-a-library"}"#).unwrap();
    let err = lib.import_json_file(&file).unwrap_err();
    assert!(err.to_string().contains("not a Debrief library document"), "{err}");
    // Valid JSON that is not an object at all: serde read an array as a struct's fields in
    // order and reported "trailing characters".
    for (text, kind) in [("[{\"a\": 1},\n{\"b\": 2},\n{\"c\": 3}]", "array"), ("\"x\"", "string"), (" 12", "number")] {
        std::fs::write(&file, text).unwrap();
        let err = lib.import_json_file(&file).unwrap_err().to_string();
        assert!(err.contains("not a Debrief library document") && err.contains(&format!("a JSON {kind}")), "{err}");
    }
    // Broken JSON is still named with its line.
    std::fs::write(&file, "[{\"a\": 1},\n{\"b\": ]").unwrap();
    let err = lib.import_json_file(&file).unwrap_err().to_string();
    assert!(err.contains("package.json:2:"), "{err}");
}

/// Found by `never_panics`: a copy of a postmortem under a new id but with its parts' ids kept
/// failed with a bare UNIQUE constraint error; now the postmortem and the clash are named and
/// nothing is imported.
#[test]
fn a_copy_whose_parts_keep_their_ids_is_refused_naming_the_postmortem() {
    let (_d, mut lib) = crate::helpers::library();
    let pm = crate::helpers::rich_postmortem(&mut lib);
    let mut copy = pm.clone();
    copy.id = debrief::clock::new_id();
    copy.title = "A copy".into();
    let doc = debrief::exchange::json::LibraryDocument::of(vec![copy]);
    let err = lib.import_document(&doc, "copy.json").unwrap_err();
    assert_eq!(err.code(), "validation", "{err}");
    assert!(err.to_string().starts_with("copy.json: postmortems[0] (\"A copy\"): an id in it ("), "{err}");
    assert!(err.to_string().contains("already belongs to another postmortem"), "{err}");
    assert_eq!(lib.count().unwrap(), 1);
}

/// The search index is filled while the import's transaction writes: when the database
/// refuses the document, what was already handed to the index goes too, and a later import
/// commits only its own documents.
#[test]
fn a_refused_import_leaves_nothing_in_the_search_index() {
    let (_d, mut lib) = crate::helpers::library();
    let pm = crate::helpers::rich_postmortem(&mut lib);
    let mut fresh = pm.clone();
    fresh.title = "Zanzibar quokka outage".into();
    fresh.id = debrief::clock::new_id();
    for s in fresh.sections.iter_mut() {
        s.id = debrief::clock::new_id();
    }
    fresh.timeline.clear();
    fresh.whys.clear();
    fresh.fishbones.clear();
    fresh.contributing_factors.clear();
    fresh.action_items.clear();
    let mut copy = pm.clone();
    copy.id = debrief::clock::new_id();
    copy.title = "A copy".into();
    let quokka = |lib: &mut debrief::Library| {
        let opts = debrief::wire::SearchOptions { limit: 10, ..Default::default() };
        lib.search("quokka", &opts).unwrap().total
    };
    // The fresh one is written (and handed to the index) before the copy is refused.
    let doc = debrief::exchange::json::LibraryDocument::of(vec![fresh.clone(), copy]);
    let err = lib.import_document(&doc, "two.json").unwrap_err();
    assert!(err.to_string().contains("already belongs to another postmortem"), "refused by the database: {err}");
    assert_eq!(lib.count().unwrap(), 1);
    // Another change commits the index: only what it changed goes in.
    let mut edited = pm.clone();
    edited.title = "Edited after the refused import".into();
    lib.save(edited).unwrap();
    assert_eq!(quokka(&mut lib), 0, "nothing of the refused import is searchable");
    assert!(lib.check().unwrap().index.is_clean());
    lib.import_document(&debrief::exchange::json::LibraryDocument::of(vec![fresh]), "one.json").unwrap();
    assert_eq!(quokka(&mut lib), 1, "indexed once, by the import that was saved");
    assert!(lib.check().unwrap().index.is_clean());
}

#[test]
fn an_export_replaces_the_file_whole_and_leaves_nothing_else_in_the_folder() {
    let (d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let out = d.path().join("exports");
    std::fs::create_dir(&out).unwrap();
    let file = out.join("one.json");
    std::fs::write(&file, "an older, longer file that the export replaces whole ".repeat(1000)).unwrap();
    assert_eq!(lib.export_json_file(std::slice::from_ref(&pm.id), &file).unwrap(), 1);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        lib.export_document(std::slice::from_ref(&pm.id)).unwrap().to_json()
    );
    let names: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("one.json")], "no temporary file is left behind");

    // The file gets the permissions a plain write gives (the umask's), not a temporary file's
    // owner-only ones.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let plain = d.path().join("plain.txt");
        std::fs::write(&plain, "x").unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let fresh = out.join("fresh.json");
        lib.export_json_file(&[], &fresh).unwrap();
        assert_eq!(mode(&fresh), mode(&plain));
    }
}

/// An import writes its rows on a thread that gives way to indexing (a lower priority, on
/// Linux); the caller's own thread (in the app, one of a pool that runs every command) keeps
/// its priority, and the import's progress is still reported on it.
#[test]
fn an_import_leaves_the_callers_priority_as_it_was_and_reports_on_its_thread() {
    let (d, mut lib) = library();
    lib.load_sample().unwrap();
    let file = d.path().join("export.json");
    std::fs::write(&file, lib.export_document(&[]).unwrap().to_json()).unwrap();
    let mut fresh = debrief::Library::open(d.path().join("fresh")).unwrap();
    #[cfg(target_os = "linux")]
    // SAFETY: reads the calling thread's nice value; no memory is touched.
    let priority = || unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    #[cfg(target_os = "linux")]
    let before = priority();
    let here = std::thread::current().id();
    let mut on = Vec::new();
    let mut progress =
        debrief::progress::Progress::reporting(|s| on.push((s.phase.clone(), std::thread::current().id())));
    let report = fresh.import_json_file_with(&file, &mut progress).unwrap();
    drop(progress);
    assert_eq!(report.created, lib.count().unwrap() as usize);
    assert!(on.iter().any(|(phase, _)| phase == "saving"), "the saving steps reached the caller: {on:?}");
    assert!(on.iter().all(|(_, thread)| *thread == here), "every step reported on the caller's thread");
    #[cfg(target_os = "linux")]
    assert_eq!(priority(), before, "the caller's priority is unchanged");
    // Indexed as well as stored.
    let found = |l: &mut debrief::Library| l.search("database", &Default::default()).unwrap().total;
    assert_eq!(found(&mut fresh), found(&mut lib));
}
