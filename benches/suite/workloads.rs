//! The timed workloads of the suite beyond search: building a library through the JSON
//! import, writing and importing Markdown, the autosave of a large postmortem, and the library
//! list's first pages. Shared with `examples/profile`, which loops one under a profiler.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use debrief::exchange::json::LibraryDocument;
use debrief::model::Postmortem;
use debrief::progress::Progress;
use debrief::synthetic::realistic;
use debrief::wire::{ListFilter, ListQuery};
use debrief::Library;

/// The seed of every generated corpus and shuffle.
pub const SEED: u64 = 42;

/// The day the generated corpus ends (its incidents span the years before).
pub fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid")
}

/// Builds the library of `corpus` by importing it as a JSON library document, the CLI's and
/// the app's path (database and index). Returns the import's wall time.
pub fn build_json(corpus: &[Postmortem], work: &Path, name: &str) -> (PathBuf, Duration) {
    let file = work.join(format!("{name}.json"));
    let doc = LibraryDocument { services: debrief::synthetic::services(), ..LibraryDocument::of(corpus.to_vec()) };
    let out = std::io::BufWriter::new(std::fs::File::create(&file).expect("json file"));
    serde_json::to_writer(out, &doc).expect("json written");
    drop(doc);
    let lib_dir = work.join(name);
    let mut lib = Library::open(&lib_dir).expect("library");
    settle();
    let started = Instant::now();
    lib.import_json_file(&file).expect("import");
    let took = started.elapsed();
    drop(lib);
    let _ = std::fs::remove_file(&file);
    (lib_dir, took)
}

/// Writes out to disk whatever the system still holds to write (`sync`), before an import is
/// timed: the files to import were written just before, and the kernel writing them back
/// would otherwise happen during the import and be charged to it. A user's files are on disk
/// long before they import them. (On these shared machines the same import's CPU time still
/// varies by a tenth from run to run.)
pub fn settle() {
    let _ = std::process::Command::new("sync").status();
}

/// Asks the kernel to drop its page cache (after a `sync`), so the next open reads from disk.
/// Needs root; says whether it happened.
pub fn drop_caches() -> bool {
    settle();
    std::fs::write("/proc/sys/vm/drop_caches", "3").is_ok()
}

/// Waits (at most two minutes) until the indexes opened in this process have been read into the
/// page cache after their open (`debrief::search::warming`): search as a user meets it seconds
/// after opening.
pub fn wait_until_read_in() {
    let waiting = Instant::now();
    while debrief::search::warming() && waiting.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The postmortems whose similar incidents are timed: every (size / 300)th, about 300.
pub fn similar_sample(corpus: &[Postmortem]) -> impl Iterator<Item = &Postmortem> {
    corpus.iter().step_by((corpus.len() / 300).max(1))
}

/// Writes `corpus` as Debrief Markdown files into `folder` (one file each).
pub fn write_markdown(corpus: &[Postmortem], folder: &Path) {
    std::fs::create_dir_all(folder).expect("markdown folder");
    for (i, pm) in corpus.iter().enumerate() {
        let text = debrief::exchange::debrief_md::write(pm).expect("markdown");
        std::fs::write(folder.join(format!("{i:06}.md")), text).expect("markdown file");
    }
}

/// Imports the Markdown folder into a new library; its wall time.
pub fn import_markdown(folder: &Path, work: &Path, name: &str) -> Duration {
    let mut lib = Library::open(work.join(name)).expect("library");
    settle();
    let started = Instant::now();
    let files = Library::files_to_import(&[folder.to_path_buf()]).expect("files");
    let reports = lib
        .import_markdown(&files, debrief::library::MarkdownImport::default(), &mut Progress::none())
        .expect("import");
    let took = started.elapsed();
    assert!(reports.iter().all(|r| r.error.is_none()), "every file imports");
    took
}

/// A large postmortem (50 events, 30 action items) saved into `lib`; the app's autosave of it,
/// `runs` times (each a small edit to a section, as typing makes); each save's time.
pub fn autosaves(lib: &mut Library, runs: usize) -> Vec<Duration> {
    // One of its own (another seed: ids of its own), grown to the size.
    let mut pm = realistic::generate(SEED + 1, 1, end()).next().expect("a postmortem");
    pm.title = "A large postmortem for the autosave benchmark".into();
    let (events, items) = (pm.timeline.clone(), pm.action_items.clone());
    let mut n = 0;
    while pm.timeline.len() < 50 {
        let mut e = events[n % events.len()].clone();
        e.id = debrief::clock::new_id();
        // Copies are plain events: each marker is set once.
        e.marker = None;
        pm.timeline.push(e);
        n += 1;
    }
    pm.timeline.sort_by_key(|e| e.at);
    n = 0;
    while pm.action_items.len() < 30 {
        let mut a = items[n % items.len()].clone();
        a.id = debrief::clock::new_id();
        pm.action_items.push(a);
        n += 1;
    }
    let id = pm.id.clone();
    lib.import_document(&LibraryDocument::of(vec![pm]), "benchmark").expect("large postmortem imported");
    let view = lib.get(&id).expect("large postmortem");
    let (mut pm, mut writes) = (view.postmortem, view.writes);
    let mut times = Vec::with_capacity(runs);
    // The first save of an editing session keeps a revision; the autosaves after it are the
    // ones timed (one warm-up save first).
    for i in 0..=runs {
        pm.sections[0].body.push_str(if i % 2 == 0 { " More." } else { " Typed." });
        let edit = pm.clone();
        let started = Instant::now();
        let view = lib.save_edit(edit, writes, i > 0).expect("autosave");
        if i > 0 {
            times.push(started.elapsed());
        }
        writes = view.writes;
        pm = view.postmortem;
    }
    times
}

/// The library list's first page with counts, under each filter the list offers; the median
/// time of each.
pub fn list_pages(lib: &Library, corpus: &[Postmortem]) -> Vec<Duration> {
    let filters = [
        ListFilter::default(),
        ListFilter { severities: vec![debrief::model::Severity::Sev1], ..Default::default() },
        ListFilter { statuses: vec![debrief::model::ReviewStatus::Draft], ..Default::default() },
        ListFilter { service: Some(corpus[0].services[0].clone()), ..Default::default() },
        ListFilter { category: Some(corpus[0].categories[0].clone()), ..Default::default() },
    ];
    filters
        .into_iter()
        .map(|filter| {
            let query = ListQuery { filter, limit: 50, ..Default::default() };
            let mut t: Vec<Duration> = (0..7)
                .map(|_| {
                    let started = Instant::now();
                    std::hint::black_box(lib.list_page(&query).expect("list"));
                    started.elapsed()
                })
                .collect();
            t.sort();
            t[t.len() / 2]
        })
        .collect()
}
