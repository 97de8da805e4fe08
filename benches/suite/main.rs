//! The benchmark suite (issue 17): one command builds realistic libraries (see
//! `debrief::synthetic::realistic`) of 1,000, 10,000 and 100,000 postmortems through the real
//! import paths, measures every figure of `docs/benchmarks.json` at each size, runs SQLite FTS5
//! and ripgrep on the same corpus and queries, prints a table, and writes the JSON.
//!
//!   cargo bench --bench suite                # the full run (15 to 25 minutes here)
//!   cargo bench --bench suite -- --plot docs/benchmarks.json   # only redraw docs/benchmarks.svg
//!   cargo test --bench suite -- --quick      # 1,000 postmortems in a debug build, for CI (it
//!                                            # must run, never be fast); writes
//!                                            # target/benchmarks-quick.json
//!
//! Every timing is of the core calls the app and the CLI make, on a library opened the way
//! they open it. The app's own figures (start-up, memory) come last in a full run, from
//! `tests/e2e/measure-open.mjs` in the real window, which writes them into the same JSON.

mod figures;
mod plot;
mod search;
mod workloads;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use debrief::model::Postmortem;
use debrief::progress::Progress;
use debrief::synthetic::realistic;

use debrief::Library;
use figures::{Better, Figure, Report, Timings};
use workloads::{
    autosaves, build_json, drop_caches, end, import_markdown, list_pages, similar_sample, wait_until_read_in,
    write_markdown, SEED,
};

/// Queries in the search log, and how many times it runs (shuffled each time).
const QUERIES: usize = 300;
const ROUNDS: usize = 3;
/// How many times each import is measured, up to 10,000 postmortems (the median is reported).
const IMPORT_RUNS: usize = 3;

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| if e.path().is_dir() { dir_size(&e.path()) } else { e.metadata().map_or(0, |m| m.len()) })
                .sum()
        })
        .unwrap_or(0)
}

struct Args {
    quick: bool,
    sizes: Vec<usize>,
    out: PathBuf,
}

fn args() -> Args {
    let all: Vec<String> = std::env::args().collect();
    let quick = all.iter().any(|a| a == "--quick");
    let sizes = all
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| all.get(i + 1))
        .map(|s| s.split(',').map(|n| n.trim().parse().expect("--sizes 1000,10000")).collect())
        .unwrap_or_else(|| if quick { vec![1_000] } else { vec![1_000, 10_000, 100_000] });
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = if quick { root.join("target/benchmarks-quick.json") } else { root.join("docs/benchmarks.json") };
    Args { quick, sizes, out }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|k| k.parse::<u64>().ok()))
        .map_or("?".into(), |kib| format!("{:.0} GiB", kib as f64 / 1048576.0));
    format!("{cpu}, {cores} cores, {mem}, {}", std::env::consts::OS)
}

fn commit() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or("unknown".into(), |o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

fn main() {
    let all: Vec<String> = std::env::args().collect();
    if let Some(json) = all.iter().position(|a| a == "--plot").and_then(|i| all.get(i + 1)) {
        return plot_only(Path::new(json));
    }
    if let Some(json) = all.iter().position(|a| a == "--markdown").and_then(|i| all.get(i + 1)) {
        return print!("{}", markdown_table(Path::new(json)));
    }
    let args = args();
    let work = tempfile::tempdir().expect("work folder");
    let mut figures: Vec<Figure> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let target = |size: usize, at: usize, t: f64| (size == at).then_some(t);
    // The quick run only has to show that everything runs.
    let rounds = if args.quick { 1 } else { ROUNDS };
    println!(
        "Debrief benchmark suite ({}): sizes {:?}, seed {SEED}",
        if args.quick { "quick" } else { "full" },
        args.sizes
    );
    println!("machine: {}\n", machine());

    for &size in &args.sizes {
        // Each size is a library of its own: a larger one spans more years (see
        // `realistic::span_days`), so it is not a prefix of the largest.
        let started = Instant::now();
        let corpus: Vec<Postmortem> = realistic::generate(SEED, size, end()).collect();
        println!(
            "\ngenerated {size} postmortems over {} days in {:.1} s",
            realistic::span_days(size),
            secs(started.elapsed())
        );
        let part = &corpus[..];
        let stats = realistic::stats(part);
        println!(
            "== {size} postmortems: words per postmortem mean {:.0} (p10 {}, p90 {}), {} distinct terms, Zipf slope {:.2} (R² {:.3})",
            stats.words_mean, stats.words_p10, stats.words_p90, stats.distinct_terms, stats.zipf_slope, stats.zipf_r2
        );
        figures.push(Figure::one(
            "distinct_terms",
            size,
            stats.distinct_terms as f64,
            "terms",
            target(size, 100_000, 20_000.0),
            Better::Higher,
        ));
        figures.push(Figure::one("words_per_postmortem", size, stats.words_mean, "words", None, Better::Higher));

        // Import: JSON (which builds the library every later figure uses) and Markdown, each
        // into a new library, IMPORT_RUNS times up to 10,000 (the median is the figure, with
        // the fastest and slowest: one import's rate moved by a fifth from run to run here).
        let runs = if args.quick || size > 10_000 { 1 } else { IMPORT_RUNS };
        let mut lib_dir = PathBuf::new();
        let mut rates = Vec::new();
        for run in 0..runs {
            let (dir, took) = build_json(part, work.path(), &format!("lib-{size}-{run}"));
            rates.push(size as f64 / secs(took));
            println!("import JSON: {:.1} s, {:.0} postmortems/s", secs(took), size as f64 / secs(took));
            if run == 0 {
                lib_dir = dir;
            } else {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
        figures.push(Figure::spread(
            "import_json_per_s",
            size,
            &rates,
            "pm/s",
            target(size, 10_000, 2_000.0),
            Better::Higher,
        ));
        if size <= 10_000 {
            let folder = work.path().join(format!("md-{size}"));
            write_markdown(part, &folder);
            let mut rates = Vec::new();
            for run in 0..runs {
                let name = format!("md-lib-{size}-{run}");
                let took = import_markdown(&folder, work.path(), &name);
                rates.push(size as f64 / secs(took));
                println!("import Markdown: {:.1} s, {:.0} postmortems/s", secs(took), size as f64 / secs(took));
                let _ = std::fs::remove_dir_all(work.path().join(name));
            }
            figures.push(Figure::spread(
                "import_md_per_s",
                size,
                &rates,
                "pm/s",
                target(size, 10_000, 2_000.0),
                Better::Higher,
            ));
        }
        let db_size = std::fs::metadata(lib_dir.join("debrief.sqlite3")).map_or(0, |m| m.len());
        let index_size = dir_size(&lib_dir.join("index"));

        // The first query after opening the library cold, right after the open: the log is
        // drawn before (drawing it takes a while, in which the index's background reading after
        // an open would finish).
        let log = search::query_log(part, QUERIES, SEED);
        let dropped = drop_caches();
        let started = Instant::now();
        let opened_at = started;
        let mut lib = Library::open(&lib_dir).expect("library");
        let open = started.elapsed();
        let started = Instant::now();
        lib.search(&log[0].debrief, &search::options()).expect("search");
        let cold = started.elapsed();
        println!(
            "open {:.0} ms, first query {:.1} ms ({})",
            open.as_secs_f64() * 1000.0,
            cold.as_secs_f64() * 1000.0,
            if dropped { "page cache dropped" } else { "page cache not dropped: not root" }
        );
        if !dropped {
            notes
                .push(format!("search_cold_ms at {size}: the page cache could not be dropped (not root), so not cold"));
        }
        figures.push(Figure::one(
            "search_cold_ms",
            size,
            cold.as_secs_f64() * 1000.0,
            "ms",
            target(size, 100_000, 50.0),
            Better::Lower,
        ));
        figures.push(Figure::one("open_ms", size, open.as_secs_f64() * 1000.0, "ms", None, Better::Lower));

        // The log once, shuffled, straight after that first query: while the index is still
        // being read into the page cache after the cold open (see `debrief::search::warming`).
        // Reported, with no target: nobody types 300 queries in the second after opening.
        let (warming, _) = search::run_debrief(&mut lib, &log, 1, SEED + 2);
        let warming = Timings::new(warming.into_iter().map(|r| r.1).collect());
        figures.push(warming.figure("search_warming_p99_ms", size, 0.99, None));
        println!(
            "search while the index is read in after the open: p50 {:.2} ms, p99 {:.2} ms",
            warming.at(0.5),
            warming.at(0.99)
        );
        wait_until_read_in();
        println!("the index was read in by {:.2} s after the open", secs(opened_at.elapsed()));

        // The query log, shuffled, pages of 20 with snippets and facets, as a user meets it
        // seconds after opening.
        let (runs, our_tops) = search::run_debrief(&mut lib, &log, rounds, SEED + 1);
        let ours = Timings::new(runs.iter().map(|r| r.1).collect());
        figures.push(ours.figure("search_p50_ms", size, 0.5, target(size, 100_000, 2.0)));
        figures.push(ours.figure("search_p99_ms", size, 0.99, target(size, 100_000, 10.0)));
        println!("search: {} runs, p50 {:.2} ms, p99 {:.2} ms", ours.len(), ours.at(0.5), ours.at(0.99));

        // Similar incidents for random postmortems.
        let similar: Vec<Duration> = similar_sample(part)
            .map(|pm| {
                let started = Instant::now();
                std::hint::black_box(lib.similar(&pm.id, 5).expect("similar"));
                started.elapsed()
            })
            .collect();
        figures.push(Timings::new(similar).figure("similar_p99_ms", size, 0.99, target(size, 100_000, 20.0)));

        // SQLite FTS5 on the same corpus and queries.
        let fts = search::Fts5::build(&work.path().join(format!("fts-{size}")), part);
        let (theirs, their_tops) = search::run_fts5(&fts, &log, rounds, SEED + 1);
        let theirs = Timings::new(theirs.into_iter().map(|r| r.1).collect());
        let (shared, compared) = search::overlap(&log, &our_tops, &their_tops);
        println!(
            "FTS5: p50 {:.2} ms, p99 {:.2} ms; index {:.1} MiB (Debrief {:.1} MiB); built in {:.1} s; top-10 overlap {:.2} over {compared} queries",
            theirs.at(0.5),
            theirs.at(0.99),
            fts.size as f64 / 1048576.0,
            index_size as f64 / 1048576.0,
            secs(fts.build),
            shared
        );
        figures.push(Figure::one("fts5_ratio_p50", size, theirs.at(0.5) / ours.at(0.5), "x", None, Better::Higher));
        figures.push(Figure::one("fts5_ratio_p99", size, theirs.at(0.99) / ours.at(0.99), "x", None, Better::Higher));
        figures.push(Figure::one("fts5_top10_overlap", size, shared, "share", None, Better::Higher));
        drop(fts);
        let _ = std::fs::remove_dir_all(work.path().join(format!("fts-{size}")));

        // ripgrep over the library as Markdown files.
        if search::ripgrep_available() {
            let folder = work.path().join(format!("md-{size}"));
            if !folder.exists() {
                write_markdown(part, &folder);
            }
            let _ = drop_caches();
            let rg = search::run_ripgrep(&folder, &log);
            // Against Debrief on the same queries (those a grep can express).
            let greppable: std::collections::HashSet<usize> = rg.iter().map(|r| r.0).collect();
            let same = Timings::new(runs.iter().filter(|r| greppable.contains(&r.0)).map(|r| r.1).collect());
            let rg = Timings::new(rg.into_iter().map(|r| r.1).collect());
            println!(
                "ripgrep over {size} Markdown files: p50 {:.1} ms over {} queries (Debrief on the same: p50 {:.2} ms)",
                rg.at(0.5),
                rg.len(),
                same.at(0.5)
            );
            figures.push(Figure::one("ripgrep_ratio_p50", size, rg.at(0.5) / same.at(0.5), "x", None, Better::Higher));
            let _ = std::fs::remove_dir_all(&folder);
        } else {
            notes.push("ripgrep is not installed (apt install ripgrep): no ripgrep_ratio_p50".into());
            let _ = std::fs::remove_dir_all(work.path().join(format!("md-{size}")));
        }

        // The library list, the autosave, Insights.
        let lists = Timings::new(list_pages(&lib, part));
        let mut list = lists.figure("list_ms", size, 1.0, target(size, 100_000, 50.0));
        list.p90 = None;
        figures.push(list);
        let saves = Timings::new(autosaves(&mut lib, if args.quick { 40 } else { 200 }));
        figures.push(saves.figure("autosave_p99_ms", size, 0.99, target(size, 100_000, 10.0)));
        drop(lib);
        let lib = Library::open(&lib_dir).expect("library");
        let (from, to) = (end() - chrono::Duration::days(365), end());
        let palette = debrief::report::charts::ChartPalette::print();
        let started = Instant::now();
        std::hint::black_box(lib.insights_screen(from, to, &palette).expect("insights"));
        let first = started.elapsed();
        let warm: Vec<Duration> = (0..5)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(lib.insights_screen(from, to, &palette).expect("insights"));
                started.elapsed()
            })
            .collect();
        let warm = Timings::new(warm);
        println!(
            "Insights (last 365 days): first {:.0} ms, then p50 {:.0} ms",
            first.as_secs_f64() * 1000.0,
            warm.at(0.5)
        );
        figures.push(Figure::one("insights_first_ms", size, first.as_secs_f64() * 1000.0, "ms", None, Better::Lower));
        figures.push(warm.figure("insights_ms", size, 0.5, target(size, 100_000, 200.0)));

        // Reports, on the smallest library: one postmortem's PDF, and the digest of a year
        // (about 500 incidents at 1,000 postmortems over two years).
        if size == args.sizes[0] {
            let pdfs: Vec<Duration> = part
                .iter()
                .take(12)
                .map(|pm| {
                    let started = Instant::now();
                    std::hint::black_box(lib.postmortem_pdf(&pm.id, None, debrief::clock::now()).expect("pdf"));
                    started.elapsed()
                })
                .collect();
            figures.push(Timings::new(pdfs).figure("pdf_one_ms", size, 0.5, Some(100.0)));
            let out = work.path().join("digest.pdf");
            let started = Instant::now();
            lib.export_digest(from, to, &out, false, &mut Progress::none()).expect("digest");
            let took = started.elapsed();
            let incidents = part.iter().filter(|pm| pm.incident_date >= from && pm.incident_date <= to).count();
            println!("digest of {incidents} incidents: {:.2} s", secs(took));
            figures.push(Figure::one("digest_500_s", incidents, secs(took), "s", Some(2.0), Better::Lower));
        }
        println!("database {:.1} MiB, index {:.1} MiB", db_size as f64 / 1048576.0, index_size as f64 / 1048576.0);
        drop(lib);
        let _ = std::fs::remove_dir_all(&lib_dir);
    }

    println!("\n{}", figures::table(&figures));
    for n in &notes {
        println!("note: {n}");
    }
    let report = Report {
        commit: commit(),
        date: debrief::clock::today().to_string(),
        machine: machine(),
        mode: if args.quick { "quick" } else { "full" },
        notes: notes.clone(),
        figures,
    };
    if let Some(dir) = args.out.parent() {
        std::fs::create_dir_all(dir).expect("output folder");
    }
    std::fs::write(&args.out, serde_json::to_string_pretty(&report).expect("json") + "\n").expect("benchmarks.json");
    println!("wrote {}", args.out.display());
    let points: Vec<(String, usize, f64)> = report.figures.iter().map(|f| (f.name.clone(), f.size, f.value)).collect();
    draw_plot(&points, &args.out.with_extension("svg"));
    if !args.quick {
        app_figures(&args.out);
    }
}

/// The app's own figures (start-up and memory in the real window), measured by
/// `tests/e2e/measure-open.mjs`, which writes them into the report. Needs what the README's
/// test command sets up (the UI built, the e2e packages, tauri-driver, Xvfb); says what is
/// missing instead when it cannot run, and the report keeps no app figures.
fn app_figures(report: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let e2e = root.join("tests/e2e");
    let missing = [
        (root.join("ui/dist/index.html").exists(), "the UI is not built (cd ui && npm run build)"),
        (e2e.join("node_modules").exists(), "the e2e packages are not installed (cd tests/e2e && npm ci)"),
        (which("xvfb-run"), "xvfb-run is not installed"),
        (which("tauri-driver"), "tauri-driver is not installed"),
    ];
    if let Some((_, why)) = missing.iter().find(|(ok, _)| !ok) {
        println!("app figures not measured: {why}");
        return;
    }
    println!("\nthe app in the real window (tests/e2e/measure-open.mjs):");
    let built = std::process::Command::new("cargo")
        .args(["build", "--release", "--workspace", "--bins"])
        .current_dir(root)
        .status();
    assert!(built.is_ok_and(|s| s.success()), "the release app builds");
    let measured = std::process::Command::new("xvfb-run")
        .args(["-a", "--server-args=-screen 0 1280x820x24", "node", "measure-open.mjs", "--runs", "3", "--into"])
        .arg(report)
        .current_dir(&e2e)
        .status();
    assert!(measured.is_ok_and(|s| s.success()), "measure-open.mjs runs");
}

fn which(program: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Draws the latency plot next to the JSON (`docs/benchmarks.svg`).
fn draw_plot(points: &[(String, usize, f64)], path: &Path) {
    match plot::latency(points, path) {
        Ok(()) => println!("wrote {}", path.display()),
        Err(e) => panic!("{e}"),
    }
}

/// `--plot FILE.json`: draws the plot of a written run again (after a change to the plot).
fn plot_only(json: &Path) {
    let text = std::fs::read_to_string(json).unwrap_or_else(|e| panic!("{}: {e}", json.display()));
    let report: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", json.display()));
    let points: Vec<(String, usize, f64)> = report["figures"]
        .as_array()
        .map(|figures| {
            figures
                .iter()
                .filter_map(|f| {
                    Some((f["name"].as_str()?.to_string(), f["size"].as_u64()? as usize, f["value"].as_f64()?))
                })
                .collect()
        })
        .unwrap_or_default();
    draw_plot(&points, &json.with_extension("svg"));
}

/// `--markdown FILE.json`: the run's figures as the Markdown table BENCHMARKS.md shows (a row
/// per figure, a column per library size), so the document quotes the JSON, not memory.
fn markdown_table(json: &Path) -> String {
    use serde_json::Value;
    let text = std::fs::read_to_string(json).unwrap_or_else(|e| panic!("{}: {e}", json.display()));
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", json.display()));
    let figures = report["figures"].as_array().cloned().unwrap_or_default();
    // A column per library size most figures were measured at; a figure measured at another
    // size (the digest's incidents, the app's libraries) shows it beside its value.
    let mut sizes: Vec<u64> = figures.iter().filter_map(|f| f["size"].as_u64()).collect();
    sizes.sort();
    sizes.dedup();
    let count_at = |s: u64| figures.iter().filter(|f| f["size"].as_u64() == Some(s)).count();
    sizes.retain(|s| count_at(*s) >= 5);
    let mut names: Vec<&str> = Vec::new();
    for f in &figures {
        if let Some(n) = f["name"].as_str().filter(|n| !names.contains(n)) {
            names.push(n);
        }
    }
    let thousands = |n: u64| {
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    // As the printed table shows a value, with thousands separated.
    let show = |v: f64| if v.abs() >= 1000.0 { thousands(v.round() as u64) } else { figures::show(v) };
    let mut out = String::from("| figure | unit |");
    for s in &sizes {
        out.push_str(&format!(" {} |", thousands(*s)));
    }
    out.push_str(" target |\n| --- | --- |");
    out.push_str(&" ---: |".repeat(sizes.len()));
    out.push_str(" --- |\n");
    for name in names {
        let mine: Vec<&Value> = figures.iter().filter(|f| f["name"] == name).collect();
        let unit = mine[0]["unit"].as_str().unwrap_or("");
        out.push_str(&format!("| `{name}` | {unit} |"));
        for s in &sizes {
            match mine.iter().find(|f| f["size"].as_u64() == Some(*s)).and_then(|f| f["value"].as_f64()) {
                Some(v) => out.push_str(&format!(" {} |", show(v))),
                None if *s == sizes[0] => {
                    let elsewhere: Vec<String> = mine
                        .iter()
                        .filter(|f| !f["size"].as_u64().is_some_and(|x| sizes.contains(&x)))
                        .map(|f| {
                            let at = thousands(f["size"].as_u64().unwrap_or(0));
                            format!("{} (at {at})", show(f["value"].as_f64().unwrap_or(f64::NAN)))
                        })
                        .collect();
                    out.push_str(&format!(" {} |", elsewhere.join(", ")));
                }
                None => out.push_str("  |"),
            }
        }
        let target = mine.iter().find_map(|f| {
            let t = f["target"].as_f64()?;
            let better = if f["better"] == "lower" { "≤" } else { "≥" };
            let value = f["value"].as_f64()?;
            let met = if f["better"] == "lower" { value <= t } else { value >= t };
            let at =
                f["size"].as_u64().filter(|s| *s >= 1000).map(|s| format!(" at {}", thousands(s))).unwrap_or_default();
            Some(format!("{better} {}{at}{}", show(t), if met { "" } else { " **missed**" }))
        });
        out.push_str(&format!(" {} |\n", target.unwrap_or_else(|| "-".into())));
    }
    out
}
