//! Long work as the app runs it (`debrief::jobs`): progress through every phase, cancelling
//! keeps nothing, files import one by one, and the window's handle keeps answering searches
//! while a worker handle imports and indexes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use chrono::NaiveDate;
use debrief::exchange::json::LibraryDocument;
use debrief::jobs::{self, JobRequest, JobResult, JobState};
use debrief::progress::{Progress, Step};
use debrief::wire::SearchOptions;
use debrief::Library;

use crate::helpers::library;

const TODAY: fn() -> NaiveDate = || NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();

/// A JSON library document of `n` synthetic postmortems written to `dir/name`.
fn synthetic_file(dir: &Path, name: &str, seed: u64, n: usize) -> PathBuf {
    let doc = LibraryDocument::of(
        debrief::synthetic::generate(seed, n, NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).collect(),
    );
    let path = dir.join(name);
    std::fs::write(&path, doc.to_json()).unwrap();
    path
}

fn run(lib: &mut debrief::Library, request: &JobRequest, steps: &mut Vec<Step>, cancel: &AtomicBool) -> JobState {
    let mut progress = Progress::new("the job", |s: &Step| steps.push(s.clone()), cancel);
    jobs::run(lib, request, TODAY(), &mut progress)
}

#[test]
fn an_import_job_reports_every_phase_in_order_and_imports_the_file() {
    let (d, mut lib) = library();
    let path = synthetic_file(d.path(), "big.json", 3, 300);
    let mut steps = Vec::new();
    let end = run(&mut lib, &JobRequest::Import { paths: vec![path.clone()] }, &mut steps, &AtomicBool::new(false));
    let JobState::Done { result: JobResult::Imported { files } } = end else { panic!("{end:?}") };
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].report.as_ref().unwrap().created, 300, "{files:?}");
    let mut phases: Vec<&str> = steps.iter().map(|s| s.phase.as_str()).collect();
    phases.dedup();
    assert_eq!(phases, ["reading", "checking", "saving", "indexing"]);
    let saving: Vec<&Step> = steps.iter().filter(|s| s.phase == "saving").collect();
    assert!(saving.len() >= 6, "saving reports as it goes: {saving:?}");
    assert!(saving.windows(2).all(|w| w[0].done <= w[1].done));
    assert_eq!(saving.last().map(|s| (s.done, s.total)), Some((300, 300)));
    assert_eq!(lib.count().unwrap(), 300);
    assert_eq!(lib.search_index().len(), 300, "indexed before the job ends");
}

#[test]
fn cancelling_an_import_while_it_saves_keeps_nothing() {
    let (d, mut lib) = library();
    let path = synthetic_file(d.path(), "big.json", 4, 300);
    let cancel = AtomicBool::new(false);
    let mut progress = Progress::new(
        "the import of big.json",
        |s: &Step| {
            if s.phase == "saving" && s.done >= 150 {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    let end = jobs::run(&mut lib, &JobRequest::Import { paths: vec![path] }, TODAY(), &mut progress);
    let JobState::Cancelled { message } = end else { panic!("{end:?}") };
    assert!(message.contains("big.json was cancelled; nothing was changed"), "{message}");
    assert_eq!(lib.count().unwrap(), 0, "the transaction rolled back");
    assert!(lib.check().unwrap().problems.is_empty());
    assert_eq!(lib.search_index().len(), 0);
}

#[test]
fn files_import_one_by_one_and_a_bad_file_is_named_without_stopping_the_others() {
    let (d, mut lib) = library();
    let good = synthetic_file(d.path(), "good.json", 5, 20);
    let bad = d.path().join("bad.json");
    std::fs::write(&bad, "{\"format\": \"debrief-library\", \"version\": 1, \"postmortems\": [ {").unwrap();
    let other = synthetic_file(d.path(), "other.json", 6, 10);
    let end =
        run(&mut lib, &JobRequest::Import { paths: vec![good, bad, other] }, &mut Vec::new(), &AtomicBool::new(false));
    let JobState::Done { result: JobResult::Imported { files } } = end else { panic!("{end:?}") };
    assert_eq!(
        files.iter().map(|f| f.report.as_ref().map(|r| r.created)).collect::<Vec<_>>(),
        [Some(20), None, Some(10)]
    );
    let error = files[1].error.as_ref().unwrap();
    assert_eq!(error.code, "parse");
    assert!(error.message.contains("bad.json"), "{}", error.message);
    assert_eq!(lib.count().unwrap(), 30);
}

#[test]
fn a_cancelled_file_names_what_was_imported_before_it() {
    let (d, mut lib) = library();
    let first = synthetic_file(d.path(), "first.json", 7, 5);
    let second = synthetic_file(d.path(), "second.json", 8, 200);
    let third = synthetic_file(d.path(), "third.json", 9, 5);
    let cancel = AtomicBool::new(false);
    let mut progress = Progress::new(
        "import",
        |s: &Step| {
            if s.phase == "saving" && s.total == 200 && s.done >= 50 {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    let end = jobs::run(&mut lib, &JobRequest::Import { paths: vec![first, second, third] }, TODAY(), &mut progress);
    let JobState::Cancelled { message } = end else { panic!("{end:?}") };
    assert!(message.contains("second.json was cancelled"), "{message}");
    assert!(message.contains("imported before it:") && message.contains("first.json"), "{message}");
    assert!(message.contains("not tried: 1 more"), "{message}");
    assert_eq!(lib.count().unwrap(), 5);
}

#[test]
fn a_cancelled_reindex_leaves_the_index_as_it_was() {
    let (_d, mut lib) = library();
    lib.load_sample().unwrap();
    let before = lib.search("certificate", &SearchOptions::default()).unwrap().total;
    assert!(before > 0);
    // Cancel at the first step: the writer has already deleted every document by then, so a
    // missing rollback would leave the index empty.
    let cancel = AtomicBool::new(false);
    let mut progress = Progress::new(
        "the reindex",
        |s: &Step| {
            if s.phase == "indexing" {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    let end = jobs::run(&mut lib, &JobRequest::Reindex, TODAY(), &mut progress);
    assert_eq!(end, JobState::Cancelled { message: "the reindex was cancelled; nothing was changed".into() });
    // The next change commits the index writer again: what the cancelled rebuild had pending
    // (deleting every document) must not go with it.
    let first = lib.list(&Default::default()).unwrap()[0].id.clone();
    let mut pm = lib.get(&first).unwrap().postmortem;
    pm.title.push_str(" (edited)");
    lib.save(pm).unwrap();
    assert_eq!(lib.search("certificate", &SearchOptions::default()).unwrap().total, before);
    assert!(lib.check().unwrap().index.is_clean());
}

#[test]
fn an_export_job_writes_the_library_and_a_cancelled_one_leaves_the_old_file() {
    let (d, mut lib) = library();
    lib.load_sample().unwrap();
    let out = d.path().join("all.json");
    let request = JobRequest::ExportLibrary { ids: vec![], path: out.clone(), anonymize: false };
    let end = run(&mut lib, &request, &mut Vec::new(), &AtomicBool::new(false));
    let n = lib.count().unwrap() as u64;
    assert_eq!(end, JobState::Done { result: JobResult::Exported { count: n, path: out.display().to_string() } });
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(LibraryDocument::parse(&written, "all.json").unwrap().postmortems.len() as u64, n);

    std::fs::write(&out, "previous export").unwrap();
    let end = run(&mut lib, &request, &mut Vec::new(), &AtomicBool::new(true));
    assert!(matches!(end, JobState::Cancelled { .. }), "{end:?}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous export");
}

#[test]
fn pdf_jobs_write_a_postmortem_a_folder_and_a_digest_and_say_what_they_wrote() {
    let (d, mut lib) = library();
    lib.load_sample().unwrap();
    let id = lib.list(&Default::default()).unwrap()[0].id.clone();
    let one = d.path().join("one.pdf");
    let request = JobRequest::ExportPdf { ids: vec![id], path: one.clone(), anonymize: true };
    let JobState::Done { result } = run(&mut lib, &request, &mut Vec::new(), &AtomicBool::new(false)) else {
        panic!("the export finished")
    };
    assert_eq!(result.written(), vec![one.clone()]);
    assert!(std::fs::read(&one).unwrap().starts_with(b"%PDF"));

    let folder = d.path().join("pdfs");
    let request = JobRequest::ExportPdf { ids: vec![], path: folder.clone(), anonymize: false };
    let mut steps = Vec::new();
    let JobState::Done { result: JobResult::Pdf { files, .. } } =
        run(&mut lib, &request, &mut steps, &AtomicBool::new(false))
    else {
        panic!("the export finished")
    };
    assert_eq!(files.len() as i64, lib.count().unwrap());
    assert!(steps.iter().any(|s| s.phase == "writing" && s.total == files.len() as u64));

    let digest = d.path().join("digest.pdf");
    std::fs::write(&digest, "previous digest").unwrap();
    let today = debrief::clock::today();
    let request = JobRequest::ExportDigest {
        from: today - chrono::Duration::days(364),
        to: today,
        path: digest.clone(),
        anonymize: false,
    };
    // Cancelled, it leaves the file as it was.
    let end = run(&mut lib, &request, &mut Vec::new(), &AtomicBool::new(true));
    assert!(matches!(end, JobState::Cancelled { .. }), "{end:?}");
    assert_eq!(std::fs::read_to_string(&digest).unwrap(), "previous digest");
    let mut steps = Vec::new();
    let JobState::Done { result: JobResult::Pdf { files, .. } } =
        run(&mut lib, &request, &mut steps, &AtomicBool::new(false))
    else {
        panic!("the digest finished")
    };
    assert!(files[0].pages > 10, "{files:?}");
    let phases: Vec<&str> = steps.iter().map(|s| s.phase.as_str()).collect();
    for phase in ["reading", "counting", "drawing"] {
        assert!(phases.contains(&phase), "{phases:?}");
    }
}

#[test]
fn a_markdown_job_writes_a_folder_that_imports_back() {
    let (d, mut lib) = library();
    lib.load_sample().unwrap();
    let folder = d.path().join("md");
    let request = JobRequest::ExportMarkdown { ids: vec![], path: folder.clone(), anonymize: false };
    let JobState::Done { result } = run(&mut lib, &request, &mut Vec::new(), &AtomicBool::new(false)) else {
        panic!("the export finished")
    };
    let JobResult::Written { files, .. } = &result else { panic!("{result:?}") };
    assert_eq!(files.len() as i64, lib.count().unwrap());
    assert_eq!(result.written().len(), files.len() + 1, "the folder and each file may be opened");
    let (_d2, mut other) = library();
    let request = JobRequest::Import {
        paths: Library::files_to_import(&[folder]).unwrap().into_iter().map(|f| f.path).collect(),
    };
    let JobState::Done { result: JobResult::Imported { files: imported } } =
        run(&mut other, &request, &mut Vec::new(), &AtomicBool::new(false))
    else {
        panic!("the import finished")
    };
    assert!(imported.iter().all(|f| f.error.is_none()), "{imported:?}");
    assert_eq!(other.count().unwrap(), lib.count().unwrap());
}

/// Issue 9: long work froze the window. The window's handle must answer a search while a
/// worker is in the middle of its database transaction, and again while it holds the index
/// writer to index what it imported.
#[test]
fn the_window_handle_searches_while_a_worker_saves_and_while_it_indexes() {
    let (d, mut lib) = library();
    lib.load_sample().unwrap();
    let path = synthetic_file(d.path(), "big.json", 10, 400);
    let mut worker = lib.worker().unwrap();
    let (at_step, reached) = mpsc::channel::<String>();
    let (go_on, resume) = mpsc::channel::<()>();
    let importer = std::thread::spawn(move || {
        let never = AtomicBool::new(false);
        let mut paused = (false, false);
        let mut progress = Progress::new(
            "import",
            |s: &Step| {
                let pause_here = match s.phase.as_str() {
                    "saving" if s.done >= 200 && !paused.0 => {
                        paused.0 = true;
                        true
                    }
                    "indexing" if s.done > 0 && s.done < s.total && !paused.1 => {
                        paused.1 = true;
                        true
                    }
                    _ => false,
                };
                if pause_here {
                    at_step.send(s.phase.clone()).unwrap();
                    resume.recv().unwrap();
                }
            },
            &never,
        );
        jobs::run(&mut worker, &JobRequest::Import { paths: vec![path] }, TODAY(), &mut progress)
    });
    let sample_hits = |lib: &mut debrief::Library| lib.search("certificate", &SearchOptions::default()).unwrap().total;
    let before = sample_hits(&mut lib);
    let sample_count = lib.count().unwrap();
    assert!(before > 0);

    assert_eq!(reached.recv().unwrap(), "saving");
    // The worker's transaction is open and unfinished: the window reads the committed library.
    assert_eq!(sample_hits(&mut lib), before);
    assert_eq!(lib.count().unwrap(), sample_count, "reads see the library as committed");
    go_on.send(()).unwrap();

    assert_eq!(reached.recv().unwrap(), "indexing");
    // The worker holds the index writer: the window's search does not wait for it.
    let started = std::time::Instant::now();
    assert!(sample_hits(&mut lib) >= before);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    go_on.send(()).unwrap();

    let end = importer.join().unwrap();
    assert!(matches!(end, JobState::Done { .. }), "{end:?}");
    // Both handles see the imported postmortems once the worker is done.
    let total = lib.count().unwrap();
    assert_eq!(total, sample_count + 400);
    assert_eq!(lib.search_index().len(), total as u64);
    assert!(lib.check().unwrap().problems.is_empty(), "{:?}", lib.check().unwrap().problems);
}

#[test]
fn an_export_to_a_folder_that_does_not_exist_fails_naming_the_file_chosen() {
    let (d, mut lib) = library();
    lib.load_sample().unwrap();
    let out = d.path().join("missing").join("all.json");
    let end = run(
        &mut lib,
        &JobRequest::ExportLibrary { ids: vec![], path: out.clone(), anonymize: false },
        &mut Vec::new(),
        &AtomicBool::new(false),
    );
    let JobState::Failed { error } = end else { panic!("{end:?}") };
    assert_eq!(error.code, "io");
    assert!(error.message.starts_with(&out.display().to_string()), "{}", error.message);
    assert!(!error.message.contains(".partial"), "{}", error.message);
}

/// Found by `never_panics`: a service with an SLO target of 0 reached SQLite's CHECK and was
/// reported as a database error instead of naming the field.
#[test]
fn a_document_with_an_impossible_slo_is_refused_naming_the_service_and_field() {
    let (_d, mut lib) = library();
    let mut doc = LibraryDocument::of(vec![]);
    doc.services.push(debrief::model::Service {
        name: "checkout-web".into(),
        description: String::new(),
        slo_target: Some(0.0),
        slo_window_days: None,
        team: None,
        retired: false,
    });
    let err = lib.import_document(&doc, "edited.json").unwrap_err();
    assert_eq!(err.code(), "validation", "{err}");
    assert!(
        err.to_string().starts_with("edited.json: services[0] (\"checkout-web\").slo_target: 0 is not a fraction"),
        "{err}"
    );
}

#[test]
fn a_markdown_folder_is_previewed_without_importing_then_the_chosen_files_import() {
    let (d, mut lib) = library();
    let folder = d.path().join("pms");
    std::fs::create_dir_all(folder.join("2020")).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/dfds-2019-2020");
    for name in
        ["PM2020-001 - Inotify file watches exhaustion.md", "PM2020-002 - KIAM service disruption on Hellman.md"]
    {
        std::fs::copy(corpus.join(name), folder.join("2020").join(name)).unwrap();
    }
    std::fs::write(folder.join("notes.md"), b"# Caf\xe9\n").unwrap();
    let no = AtomicBool::new(false);
    let preview = run(&mut lib, &JobRequest::PreviewMarkdown { folder: folder.clone() }, &mut Vec::new(), &no);
    let JobState::Done { result: JobResult::Markdown { imported: false, files, .. } } = preview else {
        panic!("{preview:?}")
    };
    let outcomes: Vec<(&str, &str)> = files.iter().map(|f| (f.file.as_str(), f.outcome.as_str())).collect();
    assert_eq!(
        outcomes,
        [
            ("pms/2020/PM2020-001 - Inotify file watches exhaustion.md", "would be created"),
            ("pms/2020/PM2020-002 - KIAM service disruption on Hellman.md", "would be created"),
            ("pms/notes.md", "failed"),
        ]
    );
    assert_eq!(lib.list(&Default::default()).unwrap().len(), 0, "a preview imports nothing");

    let chosen = vec!["pms/2020/PM2020-002 - KIAM service disruption on Hellman.md".to_string()];
    let request = JobRequest::ImportMarkdown { folder: folder.clone(), files: chosen };
    let end = run(&mut lib, &request, &mut Vec::new(), &no);
    let JobState::Done { result: JobResult::Markdown { imported: true, files, .. } } = end else { panic!("{end:?}") };
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].outcome, "created");
    let titles: Vec<String> = lib.list(&Default::default()).unwrap().into_iter().map(|p| p.title).collect();
    assert_eq!(titles, ["KIAM Service disruption"]);

    // A file chosen in the preview that has gone since is refused by name; nothing is imported.
    let gone = JobRequest::ImportMarkdown { folder: folder.clone(), files: vec!["pms/2020/missing.md".into()] };
    let JobState::Failed { error } = run(&mut lib, &gone, &mut Vec::new(), &no) else { panic!("should fail") };
    assert!(error.message.contains("missing.md"), "{}", error.message);
}

/// The indexes the library's schema defines, as SQLite stores them.
fn schema_indexes(lib_dir: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(lib_dir.join("debrief.sqlite3")).unwrap();
    let mut stmt = conn.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, Option<String>>(1)?.unwrap_or_default())))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_bulk_import_writes_without_the_secondary_indexes_recreates_them_all_and_leaves_the_search_index_in_one_segment() {
    let (d, mut lib) = library();
    let lib_dir = d.path().join("lib");
    let before = schema_indexes(&lib_dir);
    assert!(before.iter().filter(|(_, sql)| sql.starts_with("CREATE INDEX")).count() >= 20, "{before:?}");
    // Two saved one by one first: each commit is a segment of the search index of its own.
    crate::helpers::rich_postmortem(&mut lib);
    crate::helpers::rich_postmortem(&mut lib);
    assert!(lib.search_index().segment_count() >= 2);
    let n = debrief::store::BULK_IMPORT_MIN;
    let path = synthetic_file(d.path(), "first.json", 8, n);
    let end = run(&mut lib, &JobRequest::Import { paths: vec![path] }, &mut Vec::new(), &AtomicBool::new(false));
    assert!(matches!(end, JobState::Done { .. }), "{end:?}");
    assert_eq!(lib.count().unwrap() as usize, n + 2);
    assert_eq!(schema_indexes(&lib_dir), before, "every index is back, as defined");
    assert!(lib.check().unwrap().problems.is_empty());
    // The search index is left in one segment, and answers.
    assert_eq!(lib.search_index().segment_count(), 1);
    assert_eq!(lib.search_index().len() as usize, n + 2);
    // The indexes hold every row: a filtered list (answered through them) finds what a scan does.
    let all = lib.list(&Default::default()).unwrap();
    let first = &all[0];
    let same = all.iter().filter(|p| p.severity == first.severity && p.status == first.status).count();
    let filter = debrief::wire::ListFilter {
        severities: vec![first.severity],
        statuses: vec![first.status],
        ..Default::default()
    };
    assert_eq!(lib.list(&filter).unwrap().len(), same);
}

#[test]
fn a_cancelled_bulk_import_keeps_nothing_and_every_index() {
    let (d, mut lib) = library();
    let lib_dir = d.path().join("lib");
    let before = schema_indexes(&lib_dir);
    let n = debrief::store::BULK_IMPORT_MIN;
    let path = synthetic_file(d.path(), "big.json", 9, n);
    let cancel = AtomicBool::new(false);
    let mut progress = Progress::new(
        "the import of big.json",
        |s: &Step| {
            if s.phase == "saving" && s.done as usize >= n / 2 {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    let end = jobs::run(&mut lib, &JobRequest::Import { paths: vec![path] }, TODAY(), &mut progress);
    assert!(matches!(end, JobState::Cancelled { .. }), "{end:?}");
    assert_eq!(lib.count().unwrap(), 0);
    assert_eq!(schema_indexes(&lib_dir), before, "rolled back with the transaction");
    assert!(lib.check().unwrap().problems.is_empty());
}
