//! Search, side by side: a mixed query log drawn from the corpus itself, run through Debrief
//! (pages of 20 with snippets and facets, as the app asks), through SQLite FTS5 tuned and in one
//! pass, and through ripgrep over the library exported as Markdown files.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use debrief::model::Postmortem;
use debrief::wire::{SearchOptions, SearchSort};
use debrief::Library;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::{params, Connection};

/// What a query tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Rare,
    Common,
    Typo,
    Phrase,
    Words,
    Exclusion,
    Filter,
}

/// One query of the log: Debrief's syntax, the FTS5 MATCH and SQL filter it maps to, and the
/// fixed string ripgrep looks for (none for filters: a grep cannot filter by field).
#[derive(Debug, Clone)]
pub struct Query {
    pub kind: Kind,
    pub debrief: String,
    pub fts: String,
    pub filter: String,
    pub grep: Option<String>,
}

/// Lower-cased runs of letters and digits.
fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_lowercase)
}

fn all_text(pm: &Postmortem) -> String {
    let mut t = pm.title.clone();
    for s in &pm.sections {
        t.push('\n');
        t.push_str(&s.body);
    }
    for e in &pm.timeline {
        t.push('\n');
        t.push_str(&e.text);
    }
    t
}

/// A mixed log of `n` queries, drawn from the corpus with `seed`, shuffled: rare words (a host,
/// an error code), common words, typos of mid-frequency words, phrases and word pairs taken
/// from real sentences, exclusions, and field filters with a word.
pub fn query_log(corpus: &[Postmortem], n: usize, seed: u64) -> Vec<Query> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Document frequencies over (a sample of) the corpus.
    let sample: Vec<&Postmortem> = corpus.iter().step_by((corpus.len() / 5_000).max(1)).collect();
    let mut df: HashMap<String, usize> = HashMap::new();
    for pm in &sample {
        let mut seen: Vec<String> = terms(&all_text(pm)).collect();
        seen.sort();
        seen.dedup();
        for t in seen {
            *df.entry(t).or_default() += 1;
        }
    }
    let docs = sample.len().max(1) as f64;
    let alphabetic = |t: &str| t.len() >= 5 && t.chars().all(|c| c.is_ascii_lowercase());
    let mut by = |lo: f64, hi: f64, alpha: bool| {
        let mut v: Vec<String> = df
            .iter()
            .filter(|(t, &d)| (d as f64 / docs) >= lo && (d as f64 / docs) <= hi && (!alpha || alphabetic(t)))
            .map(|(t, _)| t.clone())
            .collect();
        v.sort();
        v.shuffle(&mut rng);
        v
    };
    let mid = by(0.01, 0.1, true);
    assert!(!mid.is_empty(), "the corpus is too small for a query log");
    // A small corpus may have no word that rare or that common: mid-frequency ones stand in.
    let or_mid = |v: Vec<String>| if v.is_empty() { mid.clone() } else { v };
    let rare = or_mid(by(0.0, 0.002, false).into_iter().filter(|t| t.len() >= 5).collect());
    let common = or_mid(by(0.2, 0.9, true));
    let pick = |v: &[String], rng: &mut ChaCha8Rng| v[rng.random_range(0..v.len())].clone();
    let plain =
        |kind, q: String| Query { kind, debrief: q.clone(), fts: q.clone(), filter: String::new(), grep: Some(q) };

    // Two neighbouring words of a real sentence.
    let pair = |rng: &mut ChaCha8Rng| {
        for _ in 0..1_000 {
            let pm = &corpus[rng.random_range(0..corpus.len())];
            let Some(section) = pm.sections.get(rng.random_range(0..pm.sections.len().max(1))) else { continue };
            let words: Vec<&str> = section
                .body
                .split_whitespace()
                .filter(|w| w.len() >= 4 && w.chars().all(|c| c.is_ascii_alphabetic()))
                .collect();
            if words.len() >= 2 {
                let i = rng.random_range(0..words.len() - 1);
                return (words[i].to_lowercase(), words[i + 1].to_lowercase());
            }
        }
        panic!("no sentence of the corpus has two words in a row");
    };
    let mut log = Vec::with_capacity(n);
    let share = |f: f64| ((n as f64) * f).round() as usize;
    for _ in 0..share(0.2) {
        log.push(plain(Kind::Rare, pick(&rare, &mut rng)));
    }
    for _ in 0..share(0.1) {
        log.push(plain(Kind::Common, pick(&common, &mut rng)));
    }
    for _ in 0..share(0.15) {
        let word = pick(&mid, &mut rng);
        let mut chars: Vec<char> = word.chars().collect();
        let at = rng.random_range(1..chars.len() - 1);
        // Swapping two equal letters ("coffee") would not be a typo: drop one instead.
        if rng.random_bool(0.5) || chars[at] == chars[at + 1] {
            chars.remove(at);
        } else {
            chars.swap(at, at + 1);
        }
        let typo: String = chars.into_iter().collect();
        log.push(plain(Kind::Typo, typo));
    }
    for _ in 0..share(0.15) {
        let (a, b) = pair(&mut rng);
        let mut q = plain(Kind::Phrase, format!("\"{a} {b}\""));
        q.grep = Some(format!("{a} {b}"));
        log.push(q);
    }
    for _ in 0..share(0.15) {
        let (a, _) = pair(&mut rng);
        let b = pick(&mid, &mut rng);
        let mut q = plain(Kind::Words, format!("{a} {b}"));
        q.grep = Some(a);
        log.push(q);
    }
    for _ in 0..share(0.05) {
        let (a, b) = (pick(&mid, &mut rng), pick(&mid, &mut rng));
        log.push(Query {
            kind: Kind::Exclusion,
            debrief: format!("{a} -{b}"),
            fts: format!("{a} NOT {b}"),
            filter: String::new(),
            grep: None,
        });
    }
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    while log.len() < n {
        let word = pick(&mid, &mut rng);
        let pm = &corpus[rng.random_range(0..corpus.len())];
        let (debrief, filter) = match rng.random_range(0..4) {
            0 => {
                (format!("severity:{} {word}", pm.severity.as_str()), format!("severity = '{}'", pm.severity.as_str()))
            }
            1 => (format!("service:\"{}\" {word}", pm.services[0]), format!("service = '{}'", pm.services[0])),
            2 => (format!("status:{} {word}", pm.status.as_str()), format!("status = '{}'", pm.status.as_str())),
            _ => {
                let from = pm.incident_date - chrono::Duration::days(60);
                let to = pm.incident_date + chrono::Duration::days(60);
                (
                    format!("after:{from} before:{to} {word}"),
                    format!("day BETWEEN {} AND {}", (from - epoch).num_days(), (to - epoch).num_days()),
                )
            }
        };
        log.push(Query { kind: Kind::Filter, debrief, fts: word, filter, grep: None });
    }
    log.shuffle(&mut rng);
    log
}

/// The app's search: a page of 20 by relevance, with snippets and facets.
pub fn options() -> SearchOptions {
    SearchOptions { limit: 20, offset: 0, sort: SearchSort::Relevance }
}

/// What a run of the log gives: each run's time with the query it ran (its index in the log),
/// and each query's top ten ids (from the first round).
pub type LogRun = (Vec<(usize, Duration)>, Vec<Vec<String>>);

/// Runs the log `rounds` times, in a new shuffled order each round (the same orders for every
/// engine with the same seed); `search` answers one query with its top ten ids.
fn run_log(log: &[Query], rounds: usize, seed: u64, mut search: impl FnMut(&Query) -> Vec<String>) -> LogRun {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut times = Vec::with_capacity(log.len() * rounds);
    let mut tops = vec![Vec::new(); log.len()];
    let mut order: Vec<usize> = (0..log.len()).collect();
    for round in 0..rounds {
        order.shuffle(&mut rng);
        for &i in &order {
            let started = Instant::now();
            let top = search(&log[i]);
            times.push((i, started.elapsed()));
            if round == 0 {
                tops[i] = top;
            }
        }
    }
    (times, tops)
}

/// The log through Debrief, as the app searches.
pub fn run_debrief(lib: &mut Library, log: &[Query], rounds: usize, seed: u64) -> LogRun {
    run_log(log, rounds, seed, |q| {
        let r = lib.search(&q.debrief, &options()).unwrap_or_else(|e| panic!("{}: {e}", q.debrief));
        r.hits.iter().take(10).map(|h| h.id.clone()).collect()
    })
}

/// SQLite FTS5 over the same text, tuned as a careful user would: built in one transaction,
/// `optimize`d, the WAL checkpointed away before its size is read, and queried with mmap.
pub struct Fts5 {
    conn: Connection,
    /// Bytes of the database file.
    pub size: u64,
    pub build: Duration,
}

impl Fts5 {
    pub fn build(dir: &Path, pms: &[Postmortem]) -> Fts5 {
        let started = Instant::now();
        std::fs::create_dir_all(dir).expect("fts folder");
        let path = dir.join("fts.sqlite3");
        let mut c = Connection::open(&path).expect("fts database");
        c.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, severity TEXT, status TEXT,
                                service TEXT, category TEXT, day INTEGER);
             CREATE VIRTUAL TABLE fts USING fts5(title, sections, timeline, whys, factors, actions,
                                                 tokenize = 'porter unicode61');",
        )
        .expect("fts schema");
        let tx = c.transaction().expect("transaction");
        {
            let mut d = tx.prepare("INSERT INTO docs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)").expect("insert");
            let mut f = tx
                .prepare("INSERT INTO fts (rowid, title, sections, timeline, whys, factors, actions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .expect("insert");
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
            for (i, pm) in pms.iter().enumerate() {
                let join = |v: Vec<&str>| v.join("\n");
                d.execute(params![
                    i as i64,
                    pm.id,
                    pm.title,
                    pm.severity.as_str(),
                    pm.status.as_str(),
                    pm.services.join(","),
                    pm.categories.join(","),
                    (pm.incident_date - epoch).num_days()
                ])
                .expect("doc row");
                f.execute(params![
                    i as i64,
                    pm.title,
                    join(pm.sections.iter().map(|s| s.body.as_str()).collect()),
                    join(pm.timeline.iter().map(|e| e.text.as_str()).collect()),
                    join(
                        pm.whys
                            .iter()
                            .flat_map(|c| std::iter::once(c.problem.as_str())
                                .chain(c.steps.iter().map(|s| s.answer.as_str())))
                            .collect()
                    ),
                    join(pm.contributing_factors.iter().map(|f| f.text.as_str()).collect()),
                    join(pm.action_items.iter().flat_map(|a| [a.title.as_str(), a.description.as_str()]).collect()),
                ])
                .expect("fts row");
            }
        }
        tx.commit().expect("commit");
        c.execute_batch(
            "INSERT INTO fts(fts) VALUES ('optimize');
             CREATE INDEX docs_severity ON docs (severity);
             PRAGMA wal_checkpoint(TRUNCATE);",
        )
        .expect("optimize");
        let build = started.elapsed();
        drop(c);
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let conn = Connection::open(&path).expect("fts database");
        conn.execute_batch("PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -262144;").expect("tuning");
        Fts5 { conn, size, build }
    }

    /// The equivalent of one Debrief search in one pass over the matches: the top 20 by bm25,
    /// the total and the severity / service / category counts in one statement, then the 20
    /// snippets. Returns the top ten ids and the total.
    pub fn query(&self, q: &Query) -> (Vec<String>, usize) {
        let filter = if q.filter.is_empty() { String::new() } else { format!("AND {}", q.filter) };
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "WITH m AS MATERIALIZED (
                   SELECT d.rowid AS rowid, d.id AS id, d.severity AS severity, d.service AS service,
                          d.category AS category, bm25(fts, 3.0, 1.0, 0.8, 1.2, 1.2, 1.0) AS rank
                   FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ?1 {filter})
                 SELECT 0, id, rowid, rank FROM (SELECT id, rowid, rank FROM m ORDER BY rank LIMIT 20)
                 UNION ALL SELECT 1, severity, count(*), NULL FROM m GROUP BY severity
                 UNION ALL SELECT 2, service, count(*), NULL FROM m GROUP BY service
                 UNION ALL SELECT 3, category, count(*), NULL FROM m GROUP BY category
                 UNION ALL SELECT 4, NULL, count(*), NULL FROM m"
            ))
            .expect("fts query");
        let mut top: Vec<(f64, String, i64)> = Vec::new();
        let mut total = 0usize;
        let rows = stmt
            .query_map([&q.fts], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<f64>>(3)?,
                ))
            })
            .expect("fts rows");
        for row in rows {
            let (part, name, n, rank) = row.expect("fts row");
            match part {
                0 => top.push((rank.unwrap_or(0.0), name.unwrap_or_default(), n)),
                4 => total = n as usize,
                _ => {
                    std::hint::black_box((name, n));
                }
            }
        }
        top.sort_by(|a, b| a.0.total_cmp(&b.0));
        if !top.is_empty() {
            let ids = format!("[{}]", top.iter().map(|t| t.2.to_string()).collect::<Vec<_>>().join(","));
            let mut snip = self
                .conn
                .prepare_cached(
                    "SELECT rowid, snippet(fts, -1, '<mark>', '</mark>', '…', 24) FROM fts
                     WHERE fts MATCH ?1 AND rowid IN (SELECT value FROM json_each(?2))",
                )
                .expect("snippets");
            let snippets: Vec<(i64, String)> = snip
                .query_map(params![&q.fts, ids], |r| Ok((r.get(0)?, r.get(1)?)))
                .expect("snippets")
                .map(|r| r.expect("snippet"))
                .collect();
            std::hint::black_box(snippets);
        }
        (top.into_iter().take(10).map(|t| t.1).collect(), total)
    }
}

/// The log through FTS5, in the same orders as [`run_debrief`].
pub fn run_fts5(fts: &Fts5, log: &[Query], rounds: usize, seed: u64) -> LogRun {
    run_log(log, rounds, seed, |q| fts.query(q).0)
}

/// The mean share of Debrief's top ten that FTS5's top ten also holds, over the queries both
/// answer with ten or more hits (typos excluded: FTS5 has no typo tolerance). With the count.
pub fn overlap(log: &[Query], ours: &[Vec<String>], theirs: &[Vec<String>]) -> (f64, usize) {
    let mut sum = 0.0;
    let mut n = 0;
    for (i, q) in log.iter().enumerate() {
        if q.kind == Kind::Typo || ours[i].len() < 10 || theirs[i].len() < 10 {
            continue;
        }
        let shared = ours[i].iter().filter(|id| theirs[i].contains(id)).count();
        sum += shared as f64 / 10.0;
        n += 1;
    }
    (if n == 0 { f64::NAN } else { sum / n as f64 }, n)
}

/// Whether `rg` (ripgrep) is installed.
pub fn ripgrep_available() -> bool {
    Command::new("rg").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// What a team keeping postmortems as Markdown in git does today: `rg -l -i -F` over the
/// folder, once per query that a grep can express. Each call's wall time (a process each, as
/// at a terminal).
pub fn run_ripgrep(folder: &Path, log: &[Query]) -> Vec<(usize, Duration)> {
    log.iter()
        .enumerate()
        .filter_map(|(i, q)| q.grep.as_ref().map(|needle| (i, needle)))
        .map(|(i, needle)| {
            let started = Instant::now();
            let out = Command::new("rg")
                .args(["--files-with-matches", "--ignore-case", "--fixed-strings", "--no-messages", "--"])
                .arg(needle)
                .arg(folder)
                .output()
                .expect("rg runs");
            std::hint::black_box(out.stdout.len());
            (i, started.elapsed())
        })
        .collect()
}
