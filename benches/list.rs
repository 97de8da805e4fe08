//! Library list benchmark: prints figures, asserts nothing.
//!
//! `cargo bench --bench list [-- --sizes 1000,10000,100000] [--keep DIR]` builds a synthetic library of each
//! size (seed 7, the same generator as the search benchmark), then times what the home screen
//! and `debrief list` run: the first page in each sort, a deep page, a filtered page, every row,
//! and the start-up counts. A list that grows linearly shows about 10x per 10x rows for "every
//! row" and a flat line for a page.
//!
//! Baseline: the list query as it was before migration 0004 (every row, with the overdue count
//! reading `action_items_by_due`), run on a copy of the same database without the new index, at
//! the sizes where it finishes in reasonable time. At 100,000 it prints the plan of every list
//! and board query, and any per-row step that is not narrowed to its row.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use debrief::exchange::json::LibraryDocument;
use debrief::model::{ReviewStatus, Severity};
use debrief::wire::{ListFilter, ListQuery, ListSortKey, SortDir};
use debrief::Library;

/// The library list's query before migration 0004, kept here as the baseline.
const OLD_LIST_SQL: &str = "SELECT p.id, p.title, p.incident_date, p.severity, p.status, p.near_miss, p.updated_at,
    (SELECT json_group_array(name) FROM (SELECT s.name FROM postmortem_services ps
        JOIN services s ON s.id = ps.service_id WHERE ps.postmortem_id = p.id ORDER BY ps.position)),
    (SELECT json_group_array(name) FROM (SELECT c.name FROM postmortem_categories pc
        JOIN categories c ON c.id = pc.category_id WHERE pc.postmortem_id = p.id ORDER BY pc.position)),
    (SELECT count(*) FROM action_items a WHERE a.postmortem_id = p.id AND a.status IN ('open','in_progress')),
    (SELECT count(*) FROM action_items a WHERE a.postmortem_id = p.id AND a.status IN ('open','in_progress')
        AND a.due_date IS NOT NULL AND a.due_date < ?1),
    p.status = 'draft' AND EXISTS (SELECT 1 FROM timeline_events e WHERE e.postmortem_id = p.id
        AND e.marker = 'resolved' AND julianday(e.at) + 2.0 < julianday(?2))
 FROM postmortems p ORDER BY p.incident_date DESC, p.title";

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let out = f();
        times.push(started.elapsed());
        last = Some(out);
    }
    times.sort();
    (times[runs / 2], last.expect("ran"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sizes: Vec<usize> = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| args.get(i + 1))
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000]);
    let keep: Option<std::path::PathBuf> =
        args.iter().position(|a| a == "--keep").and_then(|i| args.get(i + 1)).map(Into::into);
    let end = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    println!("Debrief library-list benchmark (median of repeated runs; release build)\n");

    let mut rows_by_size: Vec<(usize, Vec<(String, f64)>)> = Vec::new();
    for &n in &sizes {
        let tmp = tempfile::tempdir().expect("temp dir");
        // --keep DIR leaves each library in DIR/<size> for a look with sqlite3 afterwards.
        let dir = keep.as_ref().map_or_else(|| tmp.path().join("lib"), |k| k.join(n.to_string()));
        let mut lib = Library::open(&dir).expect("library");
        let doc = LibraryDocument::of(debrief::synthetic::generate(7, n, end).collect());
        let started = Instant::now();
        lib.import_document(&doc, "synthetic").expect("import");
        let service = doc.postmortems[0].services[0].clone();
        drop(doc);
        println!("{n} postmortems: imported in {:.1?}", started.elapsed());
        let runs = if n >= 100_000 { 5 } else { 15 };
        let page = |sort, dir, offset| ListQuery { sort, dir, offset, limit: 100, ..Default::default() };
        let mut figures: Vec<(String, f64)> = Vec::new();
        let mut row = |label: &str, d: Duration, note: String| {
            println!("  {label:<44} {:>10.2} ms   {note}", ms(d));
            figures.push((label.to_string(), ms(d)));
        };
        let (d, s) = time(runs, || lib.status().unwrap());
        row("start-up status (count, overdue items)", d, format!("{} overdue", s.overdue_action_items));
        for (label, sort, dir) in [
            ("first page, newest first", ListSortKey::Date, SortDir::Desc),
            ("first page, by title", ListSortKey::Title, SortDir::Asc),
            ("first page, by severity", ListSortKey::Severity, SortDir::Asc),
            ("first page, by status", ListSortKey::Status, SortDir::Asc),
        ] {
            let (d, p) = time(runs, || lib.list_page(&page(sort, dir, 0)).unwrap());
            row(label, d, format!("{} rows of {}", p.rows.len(), p.matching));
        }
        let deep = (n as u32 / 2).saturating_sub(100);
        let (d, p) = time(runs, || lib.list_page(&page(ListSortKey::Date, SortDir::Desc, deep)).unwrap());
        row("a page half-way down (newest first)", d, format!("rows {}..{}", deep + 1, deep + p.rows.len() as u32));
        let filtered = ListQuery {
            filter: ListFilter {
                severities: vec![Severity::Sev1, Severity::Sev2],
                statuses: vec![ReviewStatus::Draft, ReviewStatus::InReview],
                service: Some(service.clone()),
                category: None,
                ids: Vec::new(),
            },
            ..Default::default()
        };
        let (d, p) = time(runs, || lib.list_page(&filtered).unwrap());
        row("first page, SEV1+2 drafts/in review, 1 service", d, format!("{} of {} match", p.rows.len(), p.matching));
        let (d, all) = time(runs.min(5), || lib.list(&ListFilter::default()).unwrap());
        row("every row (debrief list)", d, format!("{} rows", all.len()));

        if n <= 10_000 {
            // The baseline: the old query on a copy of the database without the new index.
            let copy = tmp.path().join("before-0004.sqlite3");
            lib.backup(&copy).expect("copy");
            let conn = rusqlite::Connection::open(&copy).expect("open copy");
            conn.execute_batch("DROP INDEX action_items_open_by_postmortem").expect("drop index");
            let mut stmt = conn.prepare(OLD_LIST_SQL).expect("old sql");
            let today = debrief::clock::today().to_string();
            let now = debrief::clock::now().to_rfc3339();
            let (d, count) =
                time(if n > 1_000 { 1 } else { 3 }, || stmt.query_map([&today, &now], |_| Ok(())).unwrap().count());
            row("baseline: every row, query before 0004", d, format!("{count} rows"));
        }
        if n >= 100_000 {
            println!("\n  Query plans at {n} postmortems:");
            for plan in lib.query_plans().expect("plans") {
                let flag = if plan.per_row_scans().is_empty() {
                    "every per-row step is narrowed to its row".to_string()
                } else {
                    format!("NOT NARROWED: {:?}", plan.per_row_scans())
                };
                println!("  - {} ({flag})", plan.name);
                for line in &plan.lines {
                    println!("      {line}");
                }
            }
        }
        println!();
        rows_by_size.push((n, figures));
    }

    if rows_by_size.len() > 1 {
        println!("Growth (time at each size / time at {}):", rows_by_size[0].0);
        let (base_n, base) = &rows_by_size[0];
        for (label, base_ms) in base {
            let mut line = format!("  {label:<44}");
            for (n, figures) in &rows_by_size[1..] {
                if let Some((_, v)) = figures.iter().find(|(l, _)| l == label) {
                    line.push_str(&format!("  {}x rows: {:>6.1}x", n / base_n, v / base_ms.max(1e-6)));
                }
            }
            println!("{line}");
        }
    }
}
