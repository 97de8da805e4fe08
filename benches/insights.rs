//! Insights benchmark: prints figures, asserts nothing.
//!
//! `cargo bench --bench insights [-- --sizes 1000,10000,100000] [--cache DIR] [--runs N]`
//! builds a synthetic library of each size (`debrief::synthetic`, seed 7, with its services'
//! SLOs) through the real import path, or reopens the one cached in DIR (default
//! `target/bench-libraries`) by an earlier run, then times what the Insights screen asks for
//! one period: the metrics (`stats`, which carries the error budgets), the repeat patterns,
//! the prevention ROI and the error budgets, each alone and the whole set, plus the load of
//! the incident facts they all count from, and the screen itself (`insights_screen`: the same
//! with the charts drawn and the lists cut, with the size of what the window receives). Two
//! periods: the 90 days and the 365 days ending on the library's last incident date.
//!
//! Cold is the first call on a library just opened (SQLite's page cache, the prepared
//! statements and the library's cache of the facts empty; the operating system's file cache is
//! warm): it loads the facts. Warm is the median of the next N calls (default 10), which find
//! the facts cached (the database unchanged) and only count; so does a call for another period.
//!
//! Two more rows show what the app's user waits for. The app calls `prepare_insights` in the
//! background after opening a library (it loads the facts and the words of the last year's
//! incidents, without counting); its row times that load. "The screen after
//! prepare_insights" is the screen's first call on a library just opened and prepared: the
//! first visit to Insights. "The screen after an edit" is the screen's first call after the
//! library, its caches warm, saved one postmortem: what a user who edits and then looks at
//! Insights waits for.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use debrief::exchange::json::LibraryDocument;
use debrief::Library;

/// Bump when the generator changes, so a cached library of an older corpus is not reused.
const CORPUS: &str = "g2";
const SEED: u64 = 7;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn fmt_ms(v: f64) -> String {
    if v >= 1000.0 {
        let whole = v.round() as u64;
        format!("{},{:03} ms", whole / 1000, whole % 1000)
    } else {
        format!("{v:.2} ms")
    }
}

/// The library of `n` postmortems, built on first use and kept in `cache`.
fn library_dir(cache: &Path, n: usize, end: NaiveDate) -> PathBuf {
    let dir = cache.join(format!("insights-s{SEED}-{CORPUS}-{n}"));
    if dir.join("complete").exists() {
        println!("{n} postmortems: cached library {}", dir.display());
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let mut lib = Library::open(&dir).expect("library");
    let started = Instant::now();
    let doc = LibraryDocument {
        services: debrief::synthetic::services(),
        ..LibraryDocument::of(debrief::synthetic::generate(SEED, n, end).collect())
    };
    lib.import_document(&doc, "synthetic").expect("import");
    drop(lib);
    std::fs::write(dir.join("complete"), "").expect("mark complete");
    println!("{n} postmortems: built and imported in {:.1?} into {}", started.elapsed(), dir.display());
    dir
}

/// A table row: the period, the operation, and its (cold, warm) milliseconds at each size.
type Row = (String, &'static str, Vec<(f64, f64)>);

/// One thing the screen asks for, run on `lib` for the period `from..=to`.
type Op = (&'static str, fn(&Library, NaiveDate, NaiveDate) -> String);

/// The screen as the app's first visit finds it: [`screen`] on a library on which
/// `prepare_insights` already ran (the app runs it in the background after opening).
const PREPARED: &str = "the screen after prepare_insights (the app's first visit)";

/// The screen right after an edit: [`screen`] on a library whose caches are warm, just after
/// it saved one postmortem (the latest incident, retitled; put back after the runs).
const AFTER_EDIT: &str = "the screen after an edit (one postmortem saved)";

fn screen(lib: &Library, from: NaiveDate, to: NaiveDate) -> String {
    let screen = lib.insights_screen(from, to, &debrief::report::charts::ChartPalette::print()).unwrap();
    let svg: usize = screen.charts.iter().map(|c| c.svg.len()).sum();
    let marks: usize = screen.charts.iter().map(|c| c.marks.len()).sum();
    let json = serde_json::to_string(&screen).unwrap().len();
    format!("{} charts, {marks} marks, {} KB of SVG, {} KB as JSON", screen.charts.len(), svg / 1024, json / 1024)
}

fn whole_set(lib: &Library, from: NaiveDate, to: NaiveDate) -> String {
    let stats = lib.stats(from, to, None).unwrap();
    let patterns = lib.patterns(from, to).unwrap();
    let roi = lib.roi(to, None, None, &Default::default()).unwrap();
    let budgets = lib.error_budgets(to).unwrap();
    format!(
        "{} incidents, {} patterns, {} ROI rows, {} budgets",
        stats.current.incidents.total,
        patterns.len(),
        roi.categories.len(),
        budgets.len()
    )
}

const OPS: &[Op] = &[
    ("facts load (incident_facts)", |lib, _, _| format!("{} incidents", lib.incident_facts().unwrap().len())),
    ("stats(from, to, None)", |lib, from, to| {
        let s = lib.stats(from, to, None).unwrap();
        let c = &s.current;
        format!(
            "{} incidents ({} near misses), drafts on time {}/{}, items done in 30 days {}/{}, repeats {}/{}, {} budgets",
            c.incidents.total,
            c.near_misses,
            c.drafts_within_48h.on_time.count,
            c.drafts_within_48h.on_time.of,
            c.action_items.done_within_30_days.count,
            c.action_items.done_within_30_days.of,
            c.repeats.rate.count,
            c.repeats.rate.of,
            s.budgets.len()
        )
    }),
    ("patterns(from, to)", |lib, from, to| {
        let p = lib.patterns(from, to).unwrap();
        let mut kinds: Vec<String> = p.iter().map(|p| format!("{:?}", p.kind)).collect();
        kinds.sort();
        kinds.dedup_by(|a, b| a == b);
        let incidents: usize = p.iter().map(|p| p.incidents.len()).sum();
        format!("{} patterns ({}), {incidents} incident entries", p.len(), kinds.join(", "))
    }),
    ("roi(to, None, None, default)", |lib, _, to| {
        let r = lib.roi(to, None, None, &Default::default()).unwrap();
        let included: usize = r.categories.iter().map(|c| c.included.len()).sum();
        format!("{} categories, {included} incidents included", r.categories.len())
    }),
    ("error_budgets(to)", |lib, _, to| {
        let b = lib.error_budgets(to).unwrap();
        let consumed: usize = b.iter().map(|b| b.incidents.len()).sum();
        format!("{} services with an SLO, {consumed} consuming incidents", b.len())
    }),
    ("whole set: the four above", whole_set),
    ("whole set: insights(from, to)", |lib, from, to| {
        let i = lib.insights(from, to).unwrap();
        format!(
            "{} incidents, {} patterns, {} ROI rows, {} budgets",
            i.stats.current.incidents.total,
            i.patterns.len(),
            i.roi.categories.len(),
            i.budgets.len()
        )
    }),
    ("the screen: insights_screen (with the charts)", screen),
    ("prepare_insights(last day): the app's load at start", |lib, _, to| {
        lib.prepare_insights(to).unwrap();
        "facts and the year's words loaded".to_string()
    }),
    (PREPARED, screen),
    (AFTER_EDIT, screen),
];

/// Retitles the library's latest incident (`back`: to its title before), as an autosave would.
fn retitle_latest(lib: &mut Library, back: bool) {
    const MARK: &str = " (edited by the benchmark)";
    let id = lib.incident_facts().unwrap().last().unwrap().id.clone();
    let mut pm = lib.get(&id).unwrap().postmortem;
    pm.title = match back {
        true => pm.title.trim_end_matches(MARK).to_string(),
        false => format!("{}{MARK}", pm.title.trim_end_matches(MARK)),
    };
    lib.save(pm).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let sizes: Vec<usize> = arg("--sizes")
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let cache: PathBuf =
        arg("--cache").map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-libraries"), Into::into);
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(10);
    let end = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    println!("Debrief Insights benchmark (release build; cold = first call after opening, warm = median of {runs})\n");

    // (period label, op label) -> per size (cold, warm)
    let mut table: Vec<Row> = Vec::new();
    for &n in &sizes {
        let dir = library_dir(&cache, n, end);
        let last = Library::open(&dir).unwrap().incident_facts().unwrap().last().expect("incidents").incident_date;
        for days in [90u64, 365] {
            let from = last - Days::new(days - 1);
            let period = format!("{days} days ({from} to {last})");
            println!("  {n} postmortems, {period}:");
            for &(label, op) in OPS {
                let mut lib = Library::open(&dir).expect("open");
                if label == PREPARED {
                    lib.prepare_insights(last).unwrap();
                }
                if label == AFTER_EDIT {
                    op(&lib, from, last);
                    retitle_latest(&mut lib, false);
                }
                let started = Instant::now();
                let _ = op(&lib, from, last);
                let cold = started.elapsed();
                let mut times = Vec::with_capacity(runs);
                let mut note = String::new();
                for _ in 0..runs {
                    let started = Instant::now();
                    note = op(&lib, from, last);
                    times.push(started.elapsed());
                }
                if label == AFTER_EDIT {
                    retitle_latest(&mut lib, true);
                }
                times.sort();
                let warm = times[runs / 2];
                println!("    {label:<32} cold {:>12}   warm {:>12}   {note}", fmt_ms(ms(cold)), fmt_ms(ms(warm)));
                let key = format!("{days} days");
                match table.iter_mut().find(|(p, l, _)| *p == key && *l == label) {
                    Some((_, _, cells)) => cells.push((ms(cold), ms(warm))),
                    None => table.push((key, label, vec![(ms(cold), ms(warm))])),
                }
            }
        }
        println!();
    }

    let header: Vec<String> = sizes.iter().map(|n| format!("{n} cold | {n} warm")).collect();
    let mut period = String::new();
    for (p, label, cells) in &table {
        if *p != period {
            period = p.clone();
            println!("\n{period} ending on the last incident date:\n");
            println!("| | {} |", header.join(" | "));
            println!("| --- |{}", " ---: | ---: |".repeat(sizes.len()));
        }
        let cells: Vec<String> = cells.iter().map(|(c, w)| format!("{} | {}", fmt_ms(*c), fmt_ms(*w))).collect();
        println!("| {label} | {} |", cells.join(" | "));
    }
}
