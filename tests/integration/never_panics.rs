//! Property tests: no parser of user text panics, whatever it is given. Inputs are arbitrary
//! Unicode of any length (`any::<String>()`, `\PC*`, long runs of any character), JSON-ish
//! values built from the formats' own keys, and realistic documents with random edits, so the
//! parsers get past their first line. Each parser must either read the input or return an error
//! with a stable code; the ones that store something run against a real library folder.

use std::cell::RefCell;

use chrono::NaiveDate;
use debrief::exchange::json::LibraryDocument;
use debrief::exchange::{actions_csv, timeline};
use debrief::search::query;
use debrief::wire::SearchOptions;
use debrief::Library;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

use crate::helpers::{library, rich_postmortem};

/// One random edit of a realistic input.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    Replace(usize, char),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
}

/// Characters and pieces that mean something to one of the formats.
const PIECES: &[&str] = &[
    "\"",
    ",",
    "\n",
    "\r\n",
    "|",
    "~",
    ":",
    "{",
    "}",
    "[",
    "]",
    "\\",
    "-",
    "--:--",
    "??:??",
    " ",
    "\t",
    "é",
    "障害",
    "🎉",
    "\u{feff}",
    "\u{0}",
    "\u{200b}",
    "\u{301}",
    "2026-02-30",
    "23:59",
    "24:00",
    "9999-12-31",
    "-service:",
    "severity:",
    "after:",
    "\"ts\":",
    "NaN",
    "1e400",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<String>()).prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), prop::sample::select(PIECES)).prop_map(|(at, s)| Edit::Insert(at, s.to_string())),
        (any::<usize>(), 1..40usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), any::<char>()).prop_map(|(at, c)| Edit::Replace(at, c)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// `base` with `edits` applied, character by character (never splitting one).
fn mutate(base: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    for e in edits {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
        match e {
            Edit::Insert(i, s) => {
                let p = at(*i, chars.len());
                chars.splice(p..p, s.chars());
            }
            Edit::Delete(i, n) => {
                let p = at(*i, chars.len());
                let end = (p + n).min(chars.len());
                chars.drain(p..end);
            }
            Edit::Replace(i, c) => {
                if !chars.is_empty() {
                    let p = i % chars.len();
                    chars[p] = *c;
                }
            }
            Edit::DuplicateLine(i) | Edit::SwapLines(i, _) => {
                let text: String = chars.iter().collect();
                let mut lines: Vec<&str> = text.split('\n').collect();
                let a = i % lines.len();
                match e {
                    Edit::SwapLines(_, j) => {
                        let b = j % lines.len();
                        lines.swap(a, b);
                    }
                    _ => {
                        let line = lines[a];
                        lines.insert(a, line);
                    }
                }
                chars = lines.join("\n").chars().collect();
            }
            Edit::Truncate(i) => {
                let p = at(*i, chars.len());
                chars.truncate(p);
            }
        }
    }
    chars.into_iter().collect()
}

/// `base` with one to eight random edits.
fn mutated(base: String) -> impl Strategy<Value = String> {
    prop::collection::vec(edit(), 1..8).prop_map(move |edits| mutate(&base, &edits))
}

/// Arbitrary text: any Unicode (controls and newlines included), printable text, long runs.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC*",
        prop::collection::vec(any::<char>(), 0..3000).prop_map(String::from_iter),
        prop::collection::vec(prop::sample::select(PIECES), 0..200).prop_map(|p| p.concat()),
    ]
}

/// Arbitrary text, or `base` edited.
fn text_like(base: String) -> impl Strategy<Value = String> {
    prop_oneof![2 => any_text(), 3 => mutated(base)]
}

/// JSON values built from arbitrary leaves and the keys the formats use.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        prop::sample::select(vec![
            "1710410400.000200",
            "NaN",
            "-inf",
            "1e400",
            "-1",
            "99999999999999999999",
            "channel_join",
            "2025-03-14",
            "2025-03-14T14:00:00Z",
            "SEV1",
            "final",
            "00000000-0000-4000-8000-000000000000",
        ])
        .prop_map(Value::from),
    ];
    let key = prop_oneof![
        prop::sample::select(vec![
            "ts",
            "text",
            "subtype",
            "user_profile",
            "real_name",
            "display_name",
            "user_name",
            "type",
            "format",
            "version",
            "postmortems",
            "id",
            "title",
            "timeline",
            "at",
            "marker",
        ])
        .prop_map(String::from),
        any::<String>(),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..8).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Paths to every value inside `v`, as JSON pointers.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                pointers(item, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Strings that look like the values of the formats' fields, or anything.
fn field_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::sample::select(vec![
            "",
            " ",
            "2025-03-14",
            "2025-02-30",
            "9999-12-31",
            "2025-03-14T14:00:00Z",
            "1970-01-01T00:00:00+14:00",
            "SEV1",
            "SEV9",
            "draft",
            "final",
            "in_review",
            "detected",
            "resolved",
            "trigger",
            "P0",
            "done",
            "wont_do",
            "00000000-0000-4000-8000-000000000000",
            "not-a-uuid",
            "Café",
            "障害",
        ])
        .prop_map(String::from),
    ]
}

/// `doc` (JSON) with one to four values anywhere inside it replaced, mostly by values of the
/// same type (so the document still reads and reaches validation and the database), sometimes
/// by any JSON value.
fn json_mutated(doc: String) -> impl Strategy<Value = String> {
    let value: Value = serde_json::from_str(&doc).expect("a valid JSON base");
    let mut paths = Vec::new();
    pointers(&value, String::new(), &mut paths);
    paths.retain(|p| !p.is_empty());
    let swap = (prop::sample::select(paths), field_string(), any::<i64>(), any::<f64>(), json_value(), 0..4u8);
    prop::collection::vec(swap, 1..4).prop_map(move |swaps| {
        let mut v = value.clone();
        for (path, s, i, f, any, how) in swaps {
            if let Some(slot) = v.pointer_mut(&path) {
                *slot = match (&*slot, how) {
                    (_, 0) => any,
                    (Value::String(_), _) => Value::from(s),
                    (Value::Number(_), 1) => Value::from(i),
                    (Value::Number(_), _) => Value::from(f),
                    (Value::Bool(b), _) => Value::from(!b),
                    (Value::Array(items), _) => Value::Array(items.iter().rev().cloned().collect()),
                    _ => any,
                };
            }
        }
        serde_json::to_string_pretty(&v).unwrap()
    })
}

fn dates() -> impl Strategy<Value = Option<NaiveDate>> {
    prop_oneof![
        Just(None),
        Just(Some(NaiveDate::MIN)),
        Just(Some(NaiveDate::MAX)),
        (-262_000i32..262_000, 1u32..=366).prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d)),
        Just(NaiveDate::from_ymd_opt(2026, 3, 29)),
    ]
}

fn zones() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["UTC", "CET", "Europe/Copenhagen", "America/New_York", "+14:00", "-1200", "UTC+2"])
            .prop_map(String::from),
        any::<String>(),
    ]
}

const LINES: &str = "| Time | Event |\n| :--- | --- |\n| 2020-11-17 10:45~ | KIAM upgraded |\n| 2019-12-03 --:-- | Surge |\n\n- 14:23 UTC: Alert fires\n* 14:30 - Bridge opened\n~14:40 Rolled back\n23:50 Café indisponible\n00:10 障害を確認 ack\n2021-06-22 08:29 Issue detected\n2021-06-22 Surge of deployments\n";

const CSV: &str = "time,event,kind,marker\n~2026-01-05T10:00:00Z,Deploy v2.3,trigger,started\n2026-01-05 10:05,\"Alert: 5xx, checkout\",detection,detected\n10:09,\"Ack\non two lines\",,\n23:59,Café résolu,resolution,resolved\n";

fn slack_day() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/slack/2026-10-12.json")).unwrap()
}

/// The codes a parser of user text may fail with: the input's fault, never the program's.
fn is_input_error(e: &debrief::Error) -> bool {
    matches!(e.code().as_str(), "parse" | "validation")
}

proptest! {
    // Failing inputs are printed; none is written into the source tree.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// Pasted timeline lines: any text, any date (the calendar's ends too), any zone.
    #[test]
    fn timeline_lines_never_panic(text in text_like(LINES.to_string()), date in dates(), zone in zones()) {
        match timeline::parse_lines(&text, date, &zone) {
            Ok(events) => {
                prop_assert!(!events.is_empty());
                prop_assert!(events.iter().all(|e| !e.text.trim().is_empty() && e.line >= 1));
            }
            Err(e) => prop_assert!(is_input_error(&e), "{e}"),
        }
    }

    /// Timeline CSV, and telling formats apart, on any text.
    #[test]
    fn timeline_csv_never_panics(text in text_like(CSV.to_string()), date in dates(), zone in zones()) {
        if let Err(e) = timeline::parse_csv(&text, date, &zone) {
            prop_assert!(is_input_error(&e), "{e}");
        }
        if let Err(e) = timeline::parse_any(&text, "pasted.txt", date, &zone) {
            prop_assert!(is_input_error(&e), "{e}");
        }
    }

    /// Slack exports: files as name and content pairs, the content arbitrary text, JSON-ish
    /// values or the real day file edited.
    #[test]
    fn slack_exports_never_panic(files in prop::collection::vec((any::<String>(), prop_oneof![
        any_text(),
        json_value().prop_map(|v| v.to_string()),
        prop::collection::vec(json_value(), 0..10).prop_map(|m| Value::Array(m).to_string()),
        mutated(slack_day()),
        json_mutated(slack_day()),
    ]), 0..4)) {
        if let Err(e) = timeline::parse_slack(&files) {
            prop_assert!(is_input_error(&e), "{e}");
        }
    }

    /// The search query language, on any text and on edited grammatical queries.
    #[test]
    fn search_queries_never_panic(q in text_like(
        r#"disk "connection pool" -cdn -"read replica" severity:SEV1 status:final service:payments category:"config change" owner:alice tag:db after:2025-01-01 before:2025-06-30 error:500"#.to_string()
    )) {
        if let Err(e) = query::parse(&q) {
            prop_assert_eq!(e.code(), "parse");
        }
    }

    /// A JSON library document from any text.
    #[test]
    fn library_documents_from_any_text_never_panic(text in any_text()) {
        if let Err(e) = LibraryDocument::parse(&text, "any.json") {
            prop_assert_eq!(e.code(), "parse");
        }
    }

    /// Action-item CSV from any text.
    #[test]
    fn action_item_csv_from_any_text_never_panics(text in any_text()) {
        if let Err(e) = actions_csv::parse(&text, "any.csv", debrief::clock::now()) {
            prop_assert_eq!(e.code(), "parse");
        }
    }
}

/// Runs `test` on `cases` values of `strategy` (failures shrink as usual), for properties that
/// need one real library across cases.
fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
}

#[test]
fn searching_a_real_index_with_any_query_never_panics() {
    let (_d, mut lib) = library();
    rich_postmortem(&mut lib);
    let lib = RefCell::new(lib);
    let grammar =
        r#"checkout "pool size" -canary severity:SEV2 service:payments owner:"Marcus Chen" after:2025-01-01 exhuasted"#;
    run(256, text_like(grammar.to_string()), |q| {
        match lib.borrow_mut().search(&q, &SearchOptions::default()) {
            Ok(r) => prop_assert!(r.hits.len() <= r.total),
            Err(e) => prop_assert_eq!(e.code(), "parse", "{}", e),
        }
        Ok(())
    });
}

/// A library with the rich postmortem and its exports: (library, JSON document, action CSV).
fn library_with_exports() -> (tempfile::TempDir, RefCell<Library>, String, String) {
    let (d, mut lib) = library();
    rich_postmortem(&mut lib);
    let doc = lib.export_document(&[]).unwrap().to_json();
    let csv = lib.export_actions_csv(&Default::default(), debrief::clock::today()).unwrap();
    (d, RefCell::new(lib), doc, csv)
}

#[test]
fn importing_edited_library_documents_never_panics_and_stores_only_valid_ones() {
    let (_d, lib, doc, _) = library_with_exports();
    run(96, prop_oneof![1 => mutated(doc.clone()), 3 => json_mutated(doc)], |text| {
        let mut lib = lib.borrow_mut();
        match LibraryDocument::parse(&text, "edited.json") {
            Ok(parsed) => {
                if let Err(e) = lib.import_document(&parsed, "edited.json") {
                    prop_assert!(is_input_error(&e), "{}", e);
                }
            }
            Err(e) => prop_assert_eq!(e.code(), "parse"),
        }
        prop_assert!(lib.check().unwrap().problems.is_empty(), "the library stays consistent");
        Ok(())
    });
}

#[test]
fn importing_edited_action_item_csv_never_panics() {
    let (_d, lib, _, csv) = library_with_exports();
    run(128, mutated(csv), |text| {
        if let Err(e) = lib.borrow_mut().import_actions_csv(&text, "edited.csv") {
            prop_assert!(is_input_error(&e), "{}", e);
        }
        Ok(())
    });
}

#[test]
fn importing_any_timeline_file_never_panics() {
    let (d, lib) = library();
    let lib = RefCell::new(lib);
    let file = d.path().join("import.txt");
    let id = rich_postmortem(&mut lib.borrow_mut()).id;
    let text = prop_oneof![text_like(LINES.to_string()), mutated(CSV.to_string()), mutated(slack_day())];
    run(96, (text, dates(), zones()), |(text, date, zone)| {
        std::fs::write(&file, &text).unwrap();
        let mut lib = lib.borrow_mut();
        if let Err(e) = lib.import_timeline_file(&id, &file, &zone, date) {
            prop_assert!(is_input_error(&e), "{}", e);
        }
        Ok(())
    });
}

#[test]
fn weighing_any_text_for_similarity_never_panics() {
    run(256, (any_text(), any_text()), |(title, body)| {
        let mut v = debrief::search::similarity::Vectorizer::for_schema(100, |_: &str| 3);
        let terms = v.vector(&title, &body);
        prop_assert!(terms.len() <= debrief::analysis::families::MAX_TERMS);
        prop_assert!(terms.iter().all(|t| t.1.is_finite() && t.1 > 0.0));
        Ok(())
    });
}

#[test]
fn the_stored_word_counts_of_any_text_read_back_as_counted() {
    use debrief::search::similarity::StemCounter;
    let counter = RefCell::new(StemCounter::new());
    run(256, (any_text(), any_text()), |(title, body)| {
        let counts = counter.borrow_mut().count(&title, &body);
        let stored = StemCounter::encode(&counts);
        let read: Vec<(&str, &str, u32)> = StemCounter::decode(&stored).collect();
        let expected: Vec<(&str, &str, u32)> =
            counts.iter().map(|c| (c.stem.as_str(), c.shown.as_str(), c.count)).collect();
        prop_assert_eq!(read, expected);
        Ok(())
    });
}

#[test]
fn families_and_on_this_day_of_any_text_never_panic() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let lib = RefCell::new(lib);
    let date = pm.incident_date;
    run(32, (any_text(), any_text()), |(title, body)| {
        let mut lib = lib.borrow_mut();
        let mut pm = lib.get(&pm.id).unwrap().postmortem;
        pm.title = title.chars().filter(|c| !c.is_control()).take(200).collect();
        if pm.title.trim().is_empty() {
            pm.title = "x".into();
        }
        pm.sections[0].body = body;
        let _ = lib.save(pm);
        lib.patterns(date - chrono::Duration::days(30), date).unwrap();
        lib.on_this_day(date + chrono::Duration::days(366)).unwrap();
        Ok(())
    });
}
