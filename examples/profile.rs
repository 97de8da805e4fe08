//! Runs the benchmark suite's search query log against a kept library, and prints the times
//! by kind of query and the slowest queries: the loop to put under a profiler.
//!
//!   cargo build --release --example profile_search
//!   perf record -g target/release/examples/profile_search 10000 10
//!
//! Arguments: the library size and how many shuffled rounds of the log to run. The library
//! (the suite's realistic corpus, seed 42) is built once in the system temp folder and reused.

#[path = "../benches/suite/search.rs"]
#[allow(dead_code)] // the suite's FTS5 and ripgrep runners are not used here
mod search;
use debrief::exchange::json::LibraryDocument;
use debrief::synthetic::realistic;
use debrief::Library;
use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let number = |i: usize, default: usize| args.get(i).map_or(default, |a| a.parse().expect("a number"));
    let (size, rounds) = (number(1, 10_000), number(2, 3));
    let end = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let corpus: Vec<_> = realistic::generate(42, size, end).collect();
    let dir = std::env::temp_dir().join(format!("debrief-profile-{size}"));
    if !dir.exists() {
        let file = std::env::temp_dir().join(format!("debrief-profile-{size}.json"));
        let doc = LibraryDocument { services: debrief::synthetic::services(), ..LibraryDocument::of(corpus.clone()) };
        serde_json::to_writer(std::io::BufWriter::new(std::fs::File::create(&file).unwrap()), &doc).unwrap();
        let mut lib = Library::open(&dir).unwrap();
        let t = Instant::now();
        lib.import_json_file(&file).unwrap();
        let _ = std::fs::remove_file(&file);
        eprintln!("import {:.1}s", t.elapsed().as_secs_f64());
    }
    let mut lib = Library::open(&dir).unwrap();
    let log = search::query_log(&corpus, 300, 42);
    let (runs, _) = search::run_debrief(&mut lib, &log, rounds, 43);
    let mut by_kind: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for (i, d) in &runs {
        by_kind.entry(format!("{:?}", log[*i].kind)).or_default().push(d.as_secs_f64() * 1000.0);
    }
    let mut all: Vec<f64> = runs.iter().map(|r| r.1.as_secs_f64() * 1000.0).collect();
    all.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("all n={} p50 {:.2} p99 {:.2}", all.len(), all[all.len() / 2], all[all.len() * 99 / 100]);
    for (k, mut v) in by_kind {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("{k:10} n={:4} p50 {:.2} max {:.2}", v.len(), v[v.len() / 2], v[v.len() - 1]);
    }
    let mut slow: Vec<_> = runs.iter().collect();
    slow.sort_by_key(|r| std::cmp::Reverse(r.1));
    for (i, d) in slow.iter().take(8) {
        println!("{:.2} ms  {:?}  {}", d.as_secs_f64() * 1000.0, log[*i].kind, log[*i].debrief);
    }
}
