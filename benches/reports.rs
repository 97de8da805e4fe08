//! PDF reports benchmark: prints figures, asserts nothing.
//!
//! `cargo bench --bench reports [-- --runs N]`
//!
//! One postmortem: every postmortem of the built-in sample library (49 real-style documents
//! with Markdown sections, timelines, 5 whys, fishbones and action items) rendered to PDF,
//! through `Library::postmortem_pdf` (load, lay out, subset the fonts, write the bytes); the
//! median and the slowest of the 49, each the median of N runs.
//!
//! Digest: a library of the sample's 49 plus 500 synthetic postmortems (`debrief::synthetic`,
//! seed 7) over the two years ending today, and the digest of those two years (549
//! postmortems) through `Library::export_digest` to a file: the first call on the library
//! just opened (cold: it loads the analytics' facts) and the median of the next N.

use std::time::{Duration, Instant};

use debrief::exchange::json::LibraryDocument;
use debrief::progress::Progress;
use debrief::Library;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs: usize = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .map_or(5, |r| r.parse().expect("--runs N"));
    let dir = tempfile::tempdir().expect("temporary folder");
    let today = debrief::clock::today();
    let path = dir.path().join("library");
    let ids: Vec<String> = {
        let mut lib = Library::open(&path).expect("library");
        lib.load_sample().expect("sample library");
        let sample = lib.list(&Default::default()).expect("list").into_iter().map(|s| s.id).collect();
        let doc = LibraryDocument {
            services: debrief::synthetic::services(),
            ..LibraryDocument::of(debrief::synthetic::generate(7, 500, today).collect())
        };
        lib.import_document(&doc, "synthetic").expect("import");
        sample
    };

    let lib = Library::open(&path).expect("library");
    let mut per_doc = Vec::new();
    let mut pages = 0;
    let mut bytes = 0;
    for id in &ids {
        let mut times = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let r = lib.postmortem_pdf(id, None, debrief::clock::now()).expect("pdf");
            times.push(ms(started.elapsed()));
            pages = pages.max(r.pages);
            bytes = bytes.max(r.bytes.len());
        }
        per_doc.push(median(times));
    }
    let slowest = per_doc.iter().copied().fold(0.0, f64::max);
    println!(
        "one postmortem ({} documents, median of {runs} runs each): median {:.1} ms, slowest {:.1} ms; up to {pages} pages, {} KB",
        per_doc.len(),
        median(per_doc.clone()),
        slowest,
        bytes / 1024
    );
    drop(lib);

    let lib = Library::open(&path).expect("library");
    let from = today - chrono::Duration::days(730);
    let out = dir.path().join("digest.pdf");
    let mut times = Vec::new();
    for run in 0..=runs {
        let started = Instant::now();
        let written = lib.export_digest(from, today, &out, false, &mut Progress::none()).expect("digest");
        let t = ms(started.elapsed());
        if run == 0 {
            println!(
                "digest of {} postmortems, {} pages, {} KB: cold {t:.0} ms",
                written.postmortems,
                written.pages,
                std::fs::metadata(&out).map(|m| m.len() / 1024).unwrap_or(0)
            );
        } else {
            times.push(t);
        }
    }
    println!("digest: warm median of {runs}: {:.0} ms", median(times));
}
