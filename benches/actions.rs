//! Action-item board and follow-through benchmark: prints figures, asserts nothing.
//!
//! `cargo bench --bench actions [-- --docs N]` (default 100,000 synthetic postmortems, about
//! three items each). Times the queries the board and the start-up badge run.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use debrief::exchange::json::LibraryDocument;
use debrief::wire::ActionFilter;
use debrief::Library;

const RUNS: usize = 15;

fn time<T>(label: &str, mut f: impl FnMut() -> T, describe: impl Fn(&T) -> String) {
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let out = f();
        times.push(started.elapsed());
        last = Some(out);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<40} p50 {:>9.2} ms   max {:>9.2} ms   {}",
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1]),
        describe(last.as_ref().expect("ran"))
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let docs = args
        .iter()
        .position(|a| a == "--docs")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let end = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(tmp.path().join("lib")).expect("library");
    let doc = LibraryDocument::of(debrief::synthetic::generate(7, docs, end).collect());
    let started = Instant::now();
    lib.import_document(&doc, "synthetic").expect("import");
    drop(doc);
    println!("Debrief action-item benchmark: {docs} synthetic postmortems, imported in {:.1?}\n", started.elapsed());

    time("start-up counts (open, overdue)", || lib.action_counts(today).unwrap(), |c| format!("{c:?}"));
    time(
        "board: overdue items",
        || lib.actions(&ActionFilter { overdue: true, ..Default::default() }, today).unwrap(),
        |r| format!("{} rows", r.len()),
    );
    let owner = lib.actions(&ActionFilter::default(), today).unwrap()[0].item.owner.clone();
    time(
        "board: one owner's items",
        || lib.actions(&ActionFilter { owner: owner.clone(), ..Default::default() }, today).unwrap(),
        |r| format!("{} rows", r.len()),
    );
    time(
        "board: open items",
        || lib.actions(&ActionFilter { open_only: true, ..Default::default() }, today).unwrap(),
        |r| format!("{} rows", r.len()),
    );
    time(
        "board: first page (100) of open items",
        || lib.actions_page(&ActionFilter { open_only: true, limit: Some(100), ..Default::default() }, today).unwrap(),
        |p| format!("{} rows of {}", p.rows.len(), p.total),
    );
    time(
        "board: every item",
        || lib.actions(&ActionFilter::default(), today).unwrap(),
        |r| format!("{} rows", r.len()),
    );
    time(
        "follow-through metrics",
        || lib.follow_through(today).unwrap(),
        |m| format!("{} items, {:.1}% on time", m.items, m.completion_rate.unwrap_or(0.0) * 100.0),
    );
    time(
        "CSV export of every item",
        || lib.export_actions_csv(&ActionFilter::default(), today).unwrap(),
        |s| format!("{:.1} MiB", s.len() as f64 / 1048576.0),
    );
}
