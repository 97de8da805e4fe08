//! Loops one of the benchmark suite's workloads on its realistic corpus, so a profiler can see
//! where the time goes, and prints what it timed. Issue 17 asks that a missed target be
//! profiled; this is the loop to profile.
//!
//!   cargo build --release --example profile
//!   perf record -g target/release/examples/profile search 10000
//!   perf report --no-children
//!
//! Workloads: `search` (the suite's query log, by kind of query, and the slowest queries),
//! `cold` (the first query after dropping the page cache, as root, and what it read), `similar`, `import-json`,
//! `import-md`, `insights`, `list`, `autosave`, and `merge` (the kept index into
//! one segment, to see what the segment count costs a search). The size defaults to 10,000. A
//! library to query is built once in the system temp folder and reused by later runs.

#[path = "../benches/suite/search.rs"]
#[allow(dead_code)] // the suite's FTS5 and ripgrep runners are not used here
mod search;
#[path = "../benches/suite/workloads.rs"]
#[allow(dead_code)] // the suite's timed Markdown import; this one times its phases
mod workloads;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use debrief::model::Postmortem;
use debrief::synthetic::realistic;
use debrief::Library;
use workloads::{end, SEED};

fn ms(d: &Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median and largest of some times, in milliseconds.
fn summary(times: &mut [f64]) -> String {
    times.sort_by(f64::total_cmp);
    format!(
        "n={} p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        times[times.len() / 2],
        times[times.len() * 99 / 100],
        times[times.len() - 1]
    )
}

/// CPU time this process has used on all its threads, user and system, in seconds (Linux:
/// from `/proc/self/stat`, in clock ticks of 1/100 s); 0 elsewhere. Wall time on two busy
/// cores varies by a tenth from run to run; the CPU an import costs varies far less, and is
/// what a change to it changes.
fn cpu_seconds() -> f64 {
    let (user, system) = user_and_system_seconds();
    user + system
}

/// The CPU this process has used, in user and in system (kernel) time, in seconds.
fn user_and_system_seconds() -> (f64, f64) {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return (0.0, 0.0) };
    // The command (which may hold spaces) ends at the last parenthesis; the fields after it
    // start at the 3rd, so utime and stime, the 14th and 15th, are the 12th and 13th after it.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let field = |n: usize| after.split_whitespace().nth(n).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (field(11) / 100.0, field(12) / 100.0)
}

/// Runs an import into a new library at `dir` and prints its speed, then each phase's wall and
/// CPU time, from the first progress step that names the phase to the next phase's first.
fn timed_phases(
    what: &str,
    size: usize,
    dir: &std::path::Path,
    import: impl FnOnce(&mut Library, &mut debrief::progress::Progress) -> debrief::Result<()>,
) {
    let mut lib = Library::open(dir).expect("library");
    workloads::settle();
    let (started, cpu, (_, system), written) =
        (Instant::now(), cpu_seconds(), user_and_system_seconds(), bytes_written());
    let mut phases: Vec<(String, f64, f64)> = Vec::new();
    let mut progress = debrief::progress::Progress::reporting(|step| {
        if phases.last().is_none_or(|(phase, _, _)| *phase != step.phase) {
            phases.push((step.phase.clone(), started.elapsed().as_secs_f64(), cpu_seconds()));
        }
    });
    import(&mut lib, &mut progress).expect("import");
    drop(progress);
    let (took, cpu_end, (_, system_end)) = (started.elapsed().as_secs_f64(), cpu_seconds(), user_and_system_seconds());
    println!(
        "import {what}: {:.0} postmortems/s, {:.1} s CPU (on every thread; {:.1} s of it in the kernel) in {:.1} s; \
         {:.0} MB written",
        size as f64 / took,
        cpu_end - cpu,
        system_end - system,
        took,
        (bytes_written() - written) as f64 / 1e6
    );
    let mut next: Vec<(f64, f64)> = phases.iter().skip(1).map(|(_, at, c)| (*at, *c)).collect();
    next.push((took, cpu_end));
    for ((phase, at, c), (end_at, end_c)) in phases.iter().zip(next) {
        println!("  {phase:10} {:.2} s, {:.2} s CPU", end_at - at, end_c - c);
    }
}

/// Bytes this process has handed to write calls so far (`wchar` of `/proc/self/io`); 0 elsewhere.
fn bytes_written() -> u64 {
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    io.lines().find_map(|l| l.strip_prefix("wchar: ")).and_then(|n| n.trim().parse().ok()).unwrap_or(0)
}

/// The library of `corpus`, built once and kept in the temp folder.
fn kept_library(corpus: &[Postmortem]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("debrief-profile-{}", corpus.len()));
    if !dir.join("debrief.sqlite3").exists() {
        let (built, took) =
            workloads::build_json(corpus, &std::env::temp_dir(), &format!("debrief-profile-{}", corpus.len()));
        println!("built the library in {:.1} s", took.as_secs_f64());
        assert_eq!(built, dir);
    }
    dir
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let workload = args.get(1).map_or("search", String::as_str);
    let size: usize = args.get(2).map_or(10_000, |a| a.parse().expect("a size"));
    let corpus: Vec<Postmortem> = realistic::generate(SEED, size, end()).collect();
    let work = tempfile::tempdir().expect("work folder");
    match workload {
        "search" => {
            let mut lib = Library::open(kept_library(&corpus)).expect("library");
            let log = search::query_log(&corpus, 300, SEED);
            let (runs, _) = search::run_debrief(&mut lib, &log, 5, SEED + 1);
            let mut by_kind: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for (i, d) in &runs {
                by_kind.entry(format!("{:?}", log[*i].kind)).or_default().push(ms(d));
            }
            println!("all        {}", summary(&mut runs.iter().map(|r| ms(&r.1)).collect::<Vec<_>>()));
            for (kind, mut times) in by_kind {
                println!("{kind:10} {}", summary(&mut times));
            }
            let mut slow: Vec<_> = runs.iter().collect();
            slow.sort_by_key(|r| std::cmp::Reverse(r.1));
            for (i, d) in slow.iter().take(8) {
                println!("{:.2} ms  {:?}  {}", ms(d), log[*i].kind, log[*i].debrief);
            }
        }
        // The suite's cold first query: the page cache dropped (needs root), the library opened,
        // the log's first query run; then how much of each index file that read into memory, and the
        // log and similar incidents after it, as the suite runs them.
        "cold" => {
            let dir = kept_library(&corpus);
            // A query may be given after the size; else the log's first, as the suite runs.
            let log = search::query_log(&corpus, 300, SEED);
            let query = args.get(3).cloned().unwrap_or_else(|| log[0].debrief.clone());
            let dropped = workloads::drop_caches();
            let started = Instant::now();
            let mut lib = Library::open(&dir).expect("library");
            let open = started.elapsed();
            let started = Instant::now();
            lib.search(&query, &search::options()).expect("search");
            println!(
                "open {:.1} ms, first query {:.1} ms ({}; {})",
                ms(&open),
                ms(&started.elapsed()),
                query,
                if dropped { "page cache dropped" } else { "page cache NOT dropped" }
            );
            let _ = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "fincore --bytes {0}/index/* {0}/debrief.sqlite3* | sort -k1 -n | tail -15",
                    dir.display()
                ))
                .status();
            // Then what the suite runs next, still on the just-opened library: the log, and
            // similar incidents for every (size / 300)th postmortem.
            let (runs, _) = search::run_debrief(&mut lib, &log, 3, SEED + 1);
            println!("then the log        {}", summary(&mut runs.iter().map(|r| ms(&r.1)).collect::<Vec<_>>()));
            for (n, third) in runs.chunks(runs.len().div_ceil(3)).enumerate() {
                println!(
                    "  its {} third     {}",
                    ["first", "second", "last"][n],
                    summary(&mut third.iter().map(|r| ms(&r.1)).collect::<Vec<_>>())
                );
            }
            let mut similar: Vec<f64> = workloads::similar_sample(&corpus)
                .map(|pm| {
                    let started = Instant::now();
                    std::hint::black_box(lib.similar(&pm.id, 5).expect("similar"));
                    ms(&started.elapsed())
                })
                .collect();
            println!("then similar        {}", summary(&mut similar));
        }
        // Similar incidents for every (size / 300)th postmortem, once the index is read in,
        // twice (the second round warm); the slowest lookups. `similar SIZE cold` drops the page
        // cache first (root), and after the rounds times loading each from the database.
        "similar" => {
            let dir = kept_library(&corpus);
            let dropped = args.get(3).is_some_and(|a| a == "cold") && workloads::drop_caches();
            let mut lib = Library::open(&dir).expect("library");
            workloads::wait_until_read_in();
            let ids: Vec<&str> = workloads::similar_sample(&corpus).map(|pm| pm.id.as_str()).collect();
            for round in ["first", "second"] {
                let mut runs: Vec<(f64, &str)> = ids
                    .iter()
                    .map(|id| {
                        let started = Instant::now();
                        std::hint::black_box(lib.similar(id, 5).expect("similar"));
                        (ms(&started.elapsed()), *id)
                    })
                    .collect();
                println!("similar, {round} round {}", summary(&mut runs.iter().map(|r| r.0).collect::<Vec<_>>()));
                runs.sort_by(|a, b| b.0.total_cmp(&a.0));
                for (t, id) in runs.iter().take(4) {
                    println!("  {t:.2} ms  {id}");
                }
            }
            if dropped {
                let mut loads: Vec<f64> = ids
                    .iter()
                    .map(|id| {
                        let started = Instant::now();
                        std::hint::black_box(lib.get(id).expect("postmortem"));
                        ms(&started.elapsed())
                    })
                    .collect();
                println!("then loading each from the database (cold) {}", summary(&mut loads));
            }
        }
        // Reading Debrief's own Markdown only, on one thread (for callgrind).
        "read-md" => {
            let texts: Vec<String> =
                corpus.iter().map(|pm| debrief::exchange::debrief_md::write(pm).expect("md")).collect();
            let started = Instant::now();
            for (i, text) in texts.iter().enumerate() {
                std::hint::black_box(debrief::exchange::debrief_md::read(text, &i.to_string()).expect("read"));
            }
            println!("read {} files in {:.0} ms on one thread", texts.len(), ms(&started.elapsed()));
        }
        "import-json-phases" => {
            let file = work.path().join("lib.json");
            let doc = debrief::exchange::json::LibraryDocument {
                services: debrief::synthetic::services(),
                ..debrief::exchange::json::LibraryDocument::of(corpus.clone())
            };
            serde_json::to_writer(std::io::BufWriter::new(std::fs::File::create(&file).expect("file")), &doc)
                .expect("json written");
            drop(doc);
            timed_phases("JSON", size, &work.path().join("lib"), |lib, progress| {
                lib.import_json_file_with(&file, progress).map(drop)
            });
        }
        "import-json" => {
            // The CPU of writing the JSON file is counted too; it is small beside the import.
            let cpu = cpu_seconds();
            let (_, took) = workloads::build_json(&corpus, work.path(), "lib");
            println!(
                "import JSON: {:.0} postmortems/s, {:.1} s CPU (on every thread) in {:.1} s",
                size as f64 / took.as_secs_f64(),
                cpu_seconds() - cpu,
                took.as_secs_f64()
            );
        }
        "import-md" => {
            let folder = work.path().join("md");
            workloads::write_markdown(&corpus, &folder);
            let files = Library::files_to_import(std::slice::from_ref(&folder)).expect("files");
            timed_phases("Markdown", size, &work.path().join("lib"), |lib, progress| {
                lib.import_markdown(&files, debrief::library::MarkdownImport::default(), progress).map(drop)
            });
        }
        "insights" => {
            let lib = Library::open(kept_library(&corpus)).expect("library");
            let (from, to) = (end() - chrono::Duration::days(365), end());
            let palette = debrief::report::charts::ChartPalette::print();
            let mut times: Vec<f64> = (0..10)
                .map(|_| {
                    let started = Instant::now();
                    std::hint::black_box(lib.insights_screen(from, to, &palette).expect("insights"));
                    ms(&started.elapsed())
                })
                .collect();
            println!("insights   {}", summary(&mut times));
        }
        "list" => {
            let lib = Library::open(kept_library(&corpus)).expect("library");
            // Each round gives each filter's median page (see `workloads::list_pages`).
            let rounds: Vec<Vec<Duration>> = (0..10).map(|_| workloads::list_pages(&lib, &corpus)).collect();
            for (i, name) in ["no filter", "severity", "status", "service", "category"].iter().enumerate() {
                let mut times: Vec<f64> = rounds.iter().map(|r| ms(&r[i])).collect();
                println!("list, {name:10} {}", summary(&mut times));
            }
        }
        "autosave" => {
            // A copy of the kept library: the autosave adds a postmortem.
            let dir = work.path().join("lib");
            let status = std::process::Command::new("cp").arg("-r").arg(kept_library(&corpus)).arg(&dir).status();
            assert!(status.is_ok_and(|s| s.success()), "library copied");
            let mut lib = Library::open(&dir).expect("library");
            let mut times: Vec<f64> = workloads::autosaves(&mut lib, 300).iter().map(ms).collect();
            println!("autosave   {}", summary(&mut times));
        }
        // Merges the kept library's index into one segment, to measure what the segment count
        // costs a search (run `search` before and after).
        "merge" => {
            let dir = kept_library(&corpus).join("index");
            let index = tantivy::Index::open_in_dir(&dir).expect("index");
            let before = index.searchable_segment_ids().expect("segments");
            let mut writer: tantivy::IndexWriter = index.writer(200_000_000).expect("writer");
            let start = Instant::now();
            writer.merge(&before).wait().expect("merge");
            let _ = writer.garbage_collect_files().wait();
            println!("merged {} segments into one in {:.1} s", before.len(), start.elapsed().as_secs_f64());
        }
        other => {
            panic!("unknown workload {other}: search, cold, similar, import-json, import-md, insights, list, autosave or merge")
        }
    }
}
