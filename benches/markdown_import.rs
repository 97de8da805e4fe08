//! Markdown import benchmark: prints figures, asserts nothing.
//!
//! `cargo bench --bench markdown_import [-- --files N] [--others-only | --mixed-only] [--phases] [--import-only]`
//!
//! The files: N (default 10,000) Markdown postmortems in a folder tree of 100 folders, made
//! from real and realistic documents, measured twice:
//! - other people's Markdown, what the importer is for: the twelve DFDS postmortems and the
//!   ten documents in other people's styles from `tests/fixtures/` (wiki exports, the SRE book
//!   template, chat-ops summaries, European and US dates, front matter of other collections);
//! - mixed: those and the 49 sample postmortems written in Debrief's own Markdown (rich
//!   documents with 5 whys, fishbones and action-item details in YAML).
//!
//! Copy N takes document N mod the count with its title numbered (and, for Debrief's own
//! files, every id renumbered), so every file is a distinct postmortem.
//!
//! Measured: `Library::import_markdown` into an empty library, which is what `debrief import
//! FOLDER` runs: reading every file, understanding it, one transaction for the database and
//! indexing every postmortem (the index committed). Then the same folder again (every file
//! unchanged), and a dry run (reading and understanding only).

use std::path::Path;
use std::time::Instant;

use debrief::library::ImportFile;
use debrief::progress::Progress;
use debrief::Library;

fn documents(with_own: bool) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut docs = Vec::new();
    for folder in ["corpus/dfds-2019-2020", "markdown-styles"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(folder))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".md") && name != "README.md" && !name.starts_with("PMyyyy") {
                docs.push(std::fs::read_to_string(&f).expect("fixture"));
            }
        }
    }
    let sample = debrief::exchange::sample::document(debrief::clock::today()).expect("sample");
    for pm in sample.postmortems.iter().filter(|_| with_own) {
        docs.push(debrief::exchange::debrief_md::write(pm).expect("markdown"));
    }
    docs
}

/// Document `doc` as copy `n`: its title numbered (the H1, or the front matter's title), and
/// for Debrief's own files every id renumbered, so each copy is its own postmortem.
fn copy(doc: &str, n: usize) -> String {
    if doc.starts_with("---\ndebrief:") {
        let mut pm = debrief::exchange::debrief_md::read(doc, "sample").expect("own Markdown");
        pm.title = format!("{} {n}", pm.title);
        let json = renumber_ids(&serde_json::to_string(&pm).expect("json"), n);
        let pm = serde_json::from_str(&json).expect("json");
        return debrief::exchange::debrief_md::write(&pm).expect("markdown");
    }
    match doc.find("\n# ").or_else(|| doc.starts_with("# ").then_some(0)) {
        Some(at) => {
            let line_end = doc[at + 1..].find('\n').map_or(doc.len(), |e| at + 1 + e);
            format!("{} ({n}){}", &doc[..line_end], &doc[line_end..])
        }
        None => doc.replacen("title: ", &format!("title: {n} "), 1),
    }
}

fn renumber_ids(text: &str, n: usize) -> String {
    let re = regex::Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").expect("regex");
    re.replace_all(text, |c: &regex::Captures| {
        uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("{n}/{}", &c[0]).as_bytes()).to_string()
    })
    .into_owned()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .iter()
        .position(|a| a == "--files")
        .and_then(|i| args.get(i + 1))
        .map_or(10_000, |v| v.parse().expect("--files N"));
    let verbose = args.iter().any(|a| a == "--phases");
    if args.iter().any(|a| a == "--mixed-only") {
        measure(&documents(true), n, verbose);
        return;
    }
    println!("== Other people's Markdown (the DFDS postmortems and the ten other styles)");
    measure(&documents(false), n, verbose);
    if !args.iter().any(|a| a == "--others-only") && !args.iter().any(|a| a == "--mixed-only") {
        println!("\n== Mixed: the same with the 49 sample postmortems in Debrief's own Markdown (70% of files)");
        measure(&documents(true), n, verbose);
    }
}

/// Writes `n` copies of `docs` into a folder tree and imports it three ways, printing figures.
fn measure(docs: &[String], n: usize, verbose: bool) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let folder = dir.path().join("postmortems");
    let mut bytes = 0usize;
    for i in 0..n {
        let sub = folder.join(format!("{:03}", i % 100));
        std::fs::create_dir_all(&sub).expect("folder");
        let text = copy(&docs[i % docs.len()], i);
        bytes += text.len();
        std::fs::write(sub.join(format!("pm-{i:05}.md")), text).expect("write");
    }
    let found = Library::files_to_import(std::slice::from_ref(&folder)).expect("files");
    assert_eq!(found.len(), n);
    println!(
        "{n} Markdown files from {} documents, {:.1} MB ({:.1} KB each on average)",
        docs.len(),
        bytes as f64 / 1e6,
        bytes as f64 / n as f64 / 1e3
    );

    let mut lib = Library::open(dir.path().join("library")).expect("library");
    let run = |lib: &mut Library, files: &[ImportFile], dry: bool| {
        let started = Instant::now();
        let mut last = String::new();
        let mut progress = Progress::reporting(|s| {
            if verbose && s.phase != last {
                println!("  {:>7.3} s  {}", started.elapsed().as_secs_f64(), s.phase);
                last = s.phase.clone();
            }
        });
        let reports = lib
            .import_markdown(
                files,
                debrief::library::MarkdownImport { dry_run: dry, ..Default::default() },
                &mut progress,
            )
            .expect("import");
        let failed = reports.iter().filter(|r| r.outcome == "failed").count();
        if let Some(r) = reports.iter().find(|r| r.outcome == "failed") {
            println!("  first failure: {}", r.error.as_deref().unwrap_or(""));
        }
        (started.elapsed(), failed)
    };
    let rate = |d: std::time::Duration| n as f64 / d.as_secs_f64();
    if std::env::args().any(|a| a == "--import-only") {
        let (first, _) = run(&mut lib, &found, false);
        println!("import: {:.2} s, {:.0} files/s", first.as_secs_f64(), rate(first));
        return;
    }
    let (dry, failed) = run(&mut lib, &found, true);
    println!("dry run (read and understand): {:.2} s, {:.0} files/s, {failed} failed", dry.as_secs_f64(), rate(dry));
    let (first, failed) = run(&mut lib, &found, false);
    println!(
        "import into an empty library (database and index): {:.2} s, {:.0} files/s, {failed} failed",
        first.as_secs_f64(),
        rate(first)
    );
    let (again, _) = run(&mut lib, &found, false);
    println!("the same folder again (all unchanged): {:.2} s, {:.0} files/s", again.as_secs_f64(), rate(again));
    let stored = lib.list(&Default::default()).expect("list").len();
    println!("postmortems in the library: {stored}");
}
