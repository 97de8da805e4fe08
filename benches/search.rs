//! Search benchmark: builds a synthetic library (default 100,000 postmortems), then runs a
//! fixed mixed query set through Debrief's tantivy search (with snippets and facets) and the
//! same queries through SQLite FTS5 over the same text (with snippet() and facet GROUP BYs),
//! and prints latency percentiles, index size and build time side by side.
//!
//! cargo bench --bench search                 # 100,000 postmortems
//! cargo bench --bench search -- --docs 10000

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use debrief::exchange::json::LibraryDocument;
use debrief::model::Postmortem;
use debrief::wire::{SearchOptions, SearchSort};
use debrief::Library;
use rusqlite::{params, Connection};

/// One benchmark query: Debrief's syntax, and the FTS5 MATCH plus SQL filter it maps to.
struct Q {
    debrief: &'static str,
    fts: &'static str,
    filter: &'static str,
}

const QUERIES: &[Q] = &[
    Q { debrief: "timeout", fts: "timeout", filter: "" },
    Q { debrief: "certificate", fts: "certificate", filter: "" },
    Q { debrief: "replication", fts: "replication", filter: "" },
    Q { debrief: "autoscaler", fts: "autoscaler", filter: "" },
    Q { debrief: "checkout", fts: "checkout", filter: "" },
    Q { debrief: "rolled back deploy", fts: "rolled back deploy", filter: "" },
    Q { debrief: "pool saturated", fts: "pool saturated", filter: "" },
    Q { debrief: "\"connection pool\"", fts: "\"connection pool\"", filter: "" },
    Q { debrief: "\"feature flag\" tenants", fts: "\"feature flag\" tenants", filter: "" },
    Q { debrief: "\"read replica\" lag", fts: "\"read replica\" lag", filter: "" },
    Q { debrief: "severity:SEV1 saturated", fts: "saturated", filter: "severity = 'SEV1'" },
    Q { debrief: "service:payments timeout", fts: "timeout", filter: "service = 'payments-api'" },
    Q { debrief: "category:\"config change\" validation", fts: "validation", filter: "category = 'config change'" },
    Q { debrief: "status:draft certificate", fts: "certificate", filter: "status = 'draft'" },
    Q { debrief: "after:2025-06-01 before:2025-09-30 queue", fts: "queue", filter: "day BETWEEN 20240 AND 20361" },
    Q { debrief: "dns -network", fts: "dns NOT network", filter: "" },
    Q { debrief: "certifcate", fts: "certifcate", filter: "" },
    Q { debrief: "replicaton lag", fts: "replicaton lag", filter: "" },
    Q { debrief: "autoscalr", fts: "autoscalr", filter: "" },
    Q { debrief: "kubernetes node drained", fts: "kubernetes node drained", filter: "" },
    Q { debrief: "memory leak client library", fts: "memory leak client library", filter: "" },
    Q { debrief: "owner:priya backoff", fts: "backoff", filter: "owner LIKE '%Priya%'" },
    Q { debrief: "inotify", fts: "inotify", filter: "" },
    Q { debrief: "ingress 502s", fts: "ingress 502s", filter: "" },
];

const RUNS: usize = 15;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| if e.path().is_dir() { dir_size(&e.path()) } else { e.metadata().map_or(0, |m| m.len()) })
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let docs = arg("--docs", 100_000);
    let seed = arg("--seed", 42) as u64;
    let end = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let tmp = tempfile::tempdir().expect("temp dir");
    println!("Debrief search benchmark: {docs} synthetic postmortems (seed {seed}), {} runs per query", RUNS);

    // Build the library through the real import path (SQLite), which also indexes it.
    let started = Instant::now();
    let postmortems: Vec<Postmortem> = debrief::synthetic::generate(seed, docs, end).collect();
    let generated = started.elapsed();
    let mut lib = Library::open(tmp.path().join("lib")).expect("library");
    let doc = LibraryDocument::of(postmortems);
    let started = Instant::now();
    lib.import_document(&doc, "synthetic").expect("import");
    let imported = started.elapsed();
    let started = Instant::now();
    lib.reindex(&mut |_, _| {}).expect("reindex");
    let build = started.elapsed();
    let index_size = lib.search_index().size_on_disk();
    let db_size = std::fs::metadata(tmp.path().join("lib/debrief.sqlite3")).map_or(0, |m| m.len());

    // The same text in SQLite FTS5.
    let started = Instant::now();
    let fts = build_fts(tmp.path(), &doc.postmortems);
    let fts_build = started.elapsed();
    let fts_size = dir_size(&tmp.path().join("fts"));
    drop(doc);

    let opts = SearchOptions { limit: 10, offset: 0, sort: SearchSort::Relevance };
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    println!("\n{:<44} {:>8} {:>8} {:>11} {:>11}", "query", "hits", "fts hits", "debrief p50", "fts5 p50");
    for q in QUERIES {
        // Warm both once.
        let r = lib.search(q.debrief, &opts).expect("search");
        let fts_hits = fts_query(&fts, q);
        let mut a = Vec::new();
        let mut b = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let r = lib.search(q.debrief, &opts).expect("search");
            a.push(t.elapsed());
            std::hint::black_box(r);
            let t = Instant::now();
            std::hint::black_box(fts_query(&fts, q));
            b.push(t.elapsed());
        }
        a.sort();
        b.sort();
        println!(
            "{:<44} {:>8} {:>8} {:>11} {:>11}",
            q.debrief,
            r.total,
            fts_hits,
            ms(a[a.len() / 2]),
            ms(b[b.len() / 2])
        );
        ours.extend(a);
        theirs.extend(b);
    }
    ours.sort();
    theirs.sort();
    let (p50, p99) = (percentile(&ours, 0.5), percentile(&ours, 0.99));
    let (f50, f99) = (percentile(&theirs, 0.5), percentile(&theirs, 0.99));
    println!("\n{:<28} {:>14} {:>14} {:>8}", "", "debrief", "sqlite fts5", "ratio");
    println!("{:<28} {:>14} {:>14} {:>7.2}x", "p50 latency", ms(p50), ms(f50), f50.as_secs_f64() / p50.as_secs_f64());
    println!("{:<28} {:>14} {:>14} {:>7.2}x", "p99 latency", ms(p99), ms(f99), f99.as_secs_f64() / p99.as_secs_f64());
    println!(
        "{:<28} {:>14} {:>14}",
        "index size",
        format!("{:.1} MiB", index_size as f64 / 1048576.0),
        format!("{:.1} MiB", fts_size as f64 / 1048576.0)
    );
    println!("{:<28} {:>14} {:>14}", "index build", format!("{:.1?}", build), format!("{:.1?}", fts_build));
    println!(
        "\ngenerate {:.1?}; import into SQLite + incremental index {:.1?}; database {:.1} MiB",
        generated,
        imported,
        db_size as f64 / 1048576.0
    );
    println!("targets: p50 <= 2 ms, p99 <= 10 ms, p50 no slower than FTS5");
}

fn build_fts(dir: &std::path::Path, pms: &[Postmortem]) -> Connection {
    std::fs::create_dir_all(dir.join("fts")).unwrap();
    let mut c = Connection::open(dir.join("fts/fts.sqlite3")).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, severity TEXT, status TEXT,
                            service TEXT, category TEXT, owner TEXT, day INTEGER);
         CREATE INDEX docs_severity ON docs (severity);
         CREATE VIRTUAL TABLE fts USING fts5(title, sections, timeline, whys, factors, actions,
                                             tokenize = 'porter unicode61');",
    )
    .unwrap();
    let tx = c.transaction().unwrap();
    {
        let mut d = tx.prepare("INSERT INTO docs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)").unwrap();
        let mut f = tx.prepare("INSERT INTO fts (rowid, title, sections, timeline, whys, factors, actions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)").unwrap();
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for (i, pm) in pms.iter().enumerate() {
            let join = |v: Vec<String>| v.join("\n");
            d.execute(params![
                i as i64,
                pm.id,
                pm.title,
                pm.severity.as_str(),
                pm.status.as_str(),
                pm.services.join(","),
                pm.categories.join(","),
                pm.action_items.iter().filter_map(|a| a.owner.clone()).collect::<Vec<_>>().join(","),
                (pm.incident_date - epoch).num_days()
            ])
            .unwrap();
            f.execute(params![
                i as i64,
                pm.title,
                join(pm.sections.iter().map(|s| s.body.clone()).collect()),
                join(pm.timeline.iter().map(|e| e.text.clone()).collect()),
                join(
                    pm.whys
                        .iter()
                        .flat_map(|c| c.steps.iter().map(|s| format!("{} {}", s.question, s.answer)))
                        .collect()
                ),
                join(pm.contributing_factors.iter().map(|f| f.text.clone()).collect()),
                join(pm.action_items.iter().map(|a| a.title.clone()).collect()),
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    c
}

/// The FTS5 equivalent of one Debrief search: top 10 by bm25 with a snippet, the total, and
/// severity / service / category facet counts.
fn fts_query(c: &Connection, q: &Q) -> usize {
    let filter = if q.filter.is_empty() { String::new() } else { format!("AND {}", q.filter) };
    let matching = format!("SELECT d.rowid FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ?1 {filter}");
    let mut top = c
        .prepare_cached(&format!(
            "SELECT d.id, d.title, snippet(fts, -1, '<mark>', '</mark>', '…', 24) FROM fts JOIN docs d ON d.rowid = fts.rowid
             WHERE fts MATCH ?1 {filter} ORDER BY bm25(fts, 3.0, 1.0, 0.8, 1.2, 1.2, 1.0) LIMIT 10"
        ))
        .unwrap();
    let rows: Vec<(String, String, String)> =
        top.query_map([q.fts], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(|r| r.unwrap()).collect();
    std::hint::black_box(rows);
    let total: i64 = c
        .prepare_cached(&format!("SELECT count(*) FROM ({matching})"))
        .unwrap()
        .query_row([q.fts], |r| r.get(0))
        .unwrap();
    for col in ["severity", "service", "category"] {
        let mut s = c
            .prepare_cached(&format!("SELECT {col}, count(*) FROM docs WHERE rowid IN ({matching}) GROUP BY {col}"))
            .unwrap();
        let facets: Vec<(String, i64)> =
            s.query_map([q.fts], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(|r| r.unwrap()).collect();
        std::hint::black_box(facets);
    }
    total as usize
}
