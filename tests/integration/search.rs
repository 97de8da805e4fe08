//! Search through `Library` and the `debrief` binary on real tantivy indexes: the query
//! language, snippets, facets, typos, similar incidents, reindex, and crash consistency.

use assert_cmd::Command;
use debrief::model::*;
use debrief::search::engine::{MAX_LIMIT, MAX_OFFSET, MAX_SIMILAR};
use debrief::wire::{DraftText, NewPostmortem};
use debrief::wire::{SearchOptions, SearchResults, SearchSort};
use debrief::Library;

use crate::helpers::{library, rich_postmortem};

fn search(lib: &mut Library, q: &str) -> SearchResults {
    lib.search(q, &SearchOptions { limit: 50, ..Default::default() }).unwrap_or_else(|e| panic!("{q}: {e}"))
}

fn ids(r: &SearchResults) -> Vec<String> {
    r.hits.iter().map(|h| h.id.clone()).collect()
}

fn top3(lib: &mut Library, q: &str, title_part: &str) {
    let r = search(lib, q);
    let titles: Vec<&str> = r.hits.iter().take(3).map(|h| h.title.as_str()).collect();
    assert!(titles.iter().any(|t| t.contains(title_part)), "{q:?} top 3 {titles:?} lacks {title_part:?}");
}

#[test]
fn known_items_in_the_sample_library_rank_in_the_top_three() {
    let (_d, mut lib) = library();
    lib.load_sample().unwrap();
    let rows = lib.list(&Default::default()).unwrap();
    // For a handful of postmortems, a query made of two distinctive title words finds them.
    let mut checked = 0;
    for r in rows.iter().step_by(5) {
        let words: Vec<&str> = r.title.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 6).take(2).collect();
        if words.len() < 2 {
            continue;
        }
        top3(&mut lib, &words.join(" "), &r.title);
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} titles had two long words");
}

#[test]
fn every_written_field_is_searchable_with_a_named_snippet() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    for (q, field) in [
        ("502", "Summary"),
        ("acknowledges", "Timeline"),
        ("backoff", "5 whys"),
        ("canary", "Contributing factors"),
        ("concurrency", "Action items"),
        ("validation", "Fishbone"),
        // The same stem is in the action item's "Validate": the word as typed decides.
        ("validate", "Action items"),
    ] {
        let r = search(&mut lib, q);
        assert_eq!(ids(&r), vec![pm.id.clone()], "{q}");
        let s = r.hits[0].snippet.as_ref().unwrap_or_else(|| panic!("{q}: no snippet"));
        assert!(s.html.contains("<mark>"), "{q}: {}", s.html);
        assert_eq!(s.field, field, "{q}: {s:?}");
    }
}

#[test]
fn filters_narrow_and_exclusions_remove() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let other = lib
        .create(NewPostmortem {
            title: "Search latency spike".into(),
            severity: Severity::Sev4,
            template: None,
            incident_date: Some("2025-08-02".parse().unwrap()),
        })
        .unwrap();
    let both = |lib: &mut Library, q: &str| ids(&search(lib, q));
    assert_eq!(both(&mut lib, "severity:SEV2"), vec![pm.id.clone()]);
    assert_eq!(both(&mut lib, "severity:sev4"), vec![other.id.clone()]);
    assert_eq!(both(&mut lib, "status:draft").len(), 2);
    assert_eq!(both(&mut lib, "service:payments"), vec![pm.id.clone()], "service:payments finds payments-api");
    assert_eq!(both(&mut lib, r#"category:"config change""#), vec![pm.id.clone()]);
    assert_eq!(both(&mut lib, "owner:marcus"), vec![pm.id.clone()]);
    assert_eq!(both(&mut lib, "tag:database"), vec![pm.id.clone()]);
    assert_eq!(both(&mut lib, "after:2025-06-01"), vec![other.id.clone()]);
    assert_eq!(both(&mut lib, "before:2025-06-01"), vec![pm.id.clone()]);
    assert_eq!(both(&mut lib, "after:2025-03-14 before:2025-03-14"), vec![pm.id.clone()], "bounds are inclusive");
    assert_eq!(both(&mut lib, "-service:payments"), vec![other.id.clone()]);
    assert_eq!(both(&mut lib, "502 -canary"), Vec::<String>::new());
    assert_eq!(both(&mut lib, "latency -checkout"), vec![other.id.clone()]);
}

#[test]
fn phrases_match_words_in_order() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    assert_eq!(ids(&search(&mut lib, r#""pool size lowered""#)), vec![pm.id.clone()]);
    assert!(ids(&search(&mut lib, r#""lowered size pool""#)).is_empty());
}

/// Phrases holding common words are looked up by the pairs the prose fields index them as
/// (`search::analyzer::CommonPairs`): they must still match exactly the words in order, in
/// any prose field, whatever the stemming, and nothing where the words are apart or reversed.
#[test]
fn phrases_with_common_words_match_only_those_words_in_order() {
    let (_d, mut lib) = library();
    let mut make = |title: &str, body: &str| {
        let mut pm = lib
            .create(NewPostmortem {
                title: title.into(),
                severity: Severity::Sev3,
                template: None,
                incident_date: Some("2025-05-01".parse().unwrap()),
            })
            .unwrap();
        pm.sections[0].body = body.into();
        lib.save(pm.clone()).unwrap();
        pm.id
    };
    let a = make("Checkout outage", "The checkout was failing with timeouts on the primary database.");
    let b = make("Queue backlog", "With failing checks, the team saw timeouts. Primary on call was paged.");
    let c = make("Payments failed with errors", "A retry storm.");
    let d = make("Cache eviction", "Keys were evicted and nothing else broke. Luckily the on-call noticed.");
    let mut found = |q: &str| {
        let mut v = ids(&search(&mut lib, q));
        v.sort();
        v
    };
    let sorted = |mut v: Vec<&String>| {
        v.sort();
        v.into_iter().cloned().collect::<Vec<String>>()
    };
    assert_eq!(found(r#""failing with""#), sorted(vec![&a, &c]), "stems match: 'failed with' in c's title");
    assert_eq!(found(r#""with failing""#), sorted(vec![&b]));
    assert_eq!(found(r#""timeouts on the primary""#), sorted(vec![&a]));
    assert_eq!(found(r#""on the""#), sorted(vec![&a]), "two common words (d has 'the on')");
    assert_eq!(found(r#""the team""#), sorted(vec![&b]));
    assert_eq!(found(r#""the on-call""#), sorted(vec![&d]), "b has 'on call' but not 'the on'");
    assert_eq!(found(r#""primary the""#), Vec::<String>::new());
    assert_eq!(found(r#""was paged""#), sorted(vec![&b]));
    assert_eq!(found(r#""with""#), sorted(vec![&a, &b, &c]), "a common word alone is still a word");
    assert_eq!(found(r#"timeouts -"failing with""#), sorted(vec![&b]));
    // The snippet highlights both words of the phrase.
    let r = search(&mut lib, r#""failing with" timeouts"#);
    let s = r.hits[0].snippet.as_ref().expect("a snippet");
    assert!(s.html.contains("<mark>failing with</mark>"), "{}", s.html);
}

#[test]
fn one_typo_in_a_long_word_still_finds_the_document() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    for q in ["checkuot", "exhausted", "exhuasted", "concurency", "validaton"] {
        let r = search(&mut lib, q);
        assert_eq!(ids(&r), vec![pm.id.clone()], "{q}");
        assert!(
            r.hits[0].snippet.as_ref().is_some_and(|s| s.html.contains("<mark>")),
            "{q}: typo match not highlighted"
        );
    }
    // Short words must match exactly: a typo there would match too much.
    assert!(ids(&search(&mut lib, "poal")).is_empty());
}

#[test]
fn facets_count_all_matches_and_sorting_and_paging_work() {
    let (_d, mut lib) = library();
    lib.load_sample().unwrap();
    let total = lib.count().unwrap() as usize;
    let all = lib.search("", &SearchOptions { limit: 5, offset: 0, sort: SearchSort::Newest }).unwrap();
    assert_eq!(all.total, total);
    assert_eq!(all.hits.len(), 5);
    assert_eq!(all.facets.severity.iter().map(|f| f.count as usize).sum::<usize>(), total);
    assert!(all.hits.windows(2).all(|w| w[0].incident_date >= w[1].incident_date));
    let page2 = lib.search("", &SearchOptions { limit: 5, offset: 5, sort: SearchSort::Newest }).unwrap();
    assert!(page2.hits.iter().all(|h| !all.hits.iter().any(|a| a.id == h.id)));
    assert!(page2.hits[0].incident_date <= all.hits[4].incident_date);
    let oldest = lib.search("", &SearchOptions { limit: 1, offset: 0, sort: SearchSort::Oldest }).unwrap();
    let rows = lib.list(&Default::default()).unwrap();
    assert_eq!(oldest.hits[0].incident_date, rows.iter().map(|r| r.incident_date).min().unwrap());
    // A service facet agrees with a service filter.
    let svc = &all.facets.service[0];
    let filtered = search(&mut lib, &format!("service:\"{}\"", svc.value));
    assert!(filtered.total as u64 >= svc.count);
}

#[test]
fn a_bad_query_gets_a_helpful_error_not_a_panic() {
    let (_d, mut lib) = library();
    let err = lib.search("severity:SEV7", &SearchOptions::default()).unwrap_err();
    assert_eq!(err.code(), "parse");
    assert!(err.to_string().contains("SEV1, SEV2, SEV3 or SEV4"));
}

#[test]
fn paging_beyond_the_bounds_is_refused_naming_the_field_and_the_bound() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let page = |limit, offset| SearchOptions { limit, offset, sort: SearchSort::Newest };
    for (opts, start, bound) in [
        (page(0, 0), "limit: 0 is out of range", "1 to 1000"),
        (page(MAX_LIMIT + 1, 0), "limit: 1001 is out of range", "1 to 1000"),
        (page(usize::MAX, 0), "limit: ", "1 to 1000"),
        (page(10, MAX_OFFSET + 1), "offset: 100001 is past", "offset 100000 at most"),
        (page(10, usize::MAX), "offset: ", "offset 100000 at most"),
    ] {
        let err = lib.search("checkout", &opts).unwrap_err();
        assert_eq!(err.code(), "validation", "{err}");
        let msg = err.to_string();
        assert!(msg.starts_with(start) && msg.contains(bound), "{opts:?}: {msg}");
    }
    // The bounds themselves are served.
    assert_eq!(lib.search("checkout", &page(MAX_LIMIT, 0)).unwrap().hits.len(), 1);
    let deepest = lib.search("checkout", &page(1, MAX_OFFSET)).unwrap();
    assert!(deepest.hits.is_empty() && deepest.total == 1, "{deepest:?}");

    let draft = DraftText { title: "Checkout pool".into(), ..Default::default() };
    for limit in [0, MAX_SIMILAR + 1, usize::MAX] {
        for err in [lib.similar(&pm.id, limit).unwrap_err(), lib.similar_to_draft(&draft, limit).unwrap_err()] {
            assert_eq!(err.code(), "validation");
            assert!(err.to_string().starts_with(&format!("limit: {limit} is out of range; ask for 1 to 100")), "{err}");
        }
    }
    assert!(lib.similar(&pm.id, MAX_SIMILAR).is_ok());
}

#[test]
fn the_app_never_pages_past_the_core_bounds() {
    // The search view asks for PAGE_SIZE hits from offset = hits shown, while that is at most
    // MAX_OFFSET; its copy of the bound must be the core's.
    let ts =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/features/search/searchState.svelte.ts"))
            .unwrap();
    let constant = |name: &str| -> usize {
        let at = ts.find(&format!("export const {name} = ")).unwrap_or_else(|| panic!("{name} not found"));
        let digits: String = ts[at..].split('=').nth(1).unwrap().chars().take_while(|c| *c != ';').collect();
        digits.trim().replace('_', "").parse().unwrap_or_else(|_| panic!("{name}: {digits}"))
    };
    assert_eq!(constant("MAX_OFFSET"), MAX_OFFSET);
    assert!((1..=MAX_LIMIT).contains(&constant("PAGE_SIZE")));
    assert!(ts.contains("this.hits.length <= MAX_OFFSET"), "hasMore stops at the bound");
}

#[test]
fn similar_incidents_come_with_reasons() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let mut twin = lib
        .create(NewPostmortem {
            title: "Checkout 502s when the connection pool ran dry".into(),
            severity: Severity::Sev2,
            template: None,
            incident_date: Some("2025-07-01".parse().unwrap()),
        })
        .unwrap();
    twin.categories = vec!["config change".into()];
    twin.sections[0].body = "Checkout requests failed because the connection pool was exhausted.".into();
    lib.save(twin.clone()).unwrap();
    let unrelated = lib
        .create(NewPostmortem {
            title: "Marketing email sent twice".into(),
            severity: Severity::Sev4,
            template: None,
            incident_date: None,
        })
        .unwrap();
    let hits = lib.similar(&pm.id, 5).unwrap();
    assert_eq!(hits[0].id, twin.id, "{hits:?}");
    assert!(hits.iter().all(|h| h.id != pm.id), "a postmortem is not similar to itself");
    assert!(hits[0].reasons.iter().any(|r| r == "same category: config change"), "{:?}", hits[0].reasons);
    assert!(
        hits[0].reasons.iter().any(|r| r.starts_with("shared terms:") && r.contains("checkout")),
        "{:?}",
        hits[0].reasons
    );
    assert!(hits.iter().all(|h| h.id != unrelated.id), "an incident that shares nothing is not similar: {hits:?}");

    // While drafting: title and summary so far.
    let draft = DraftText {
        title: "Pool exhausted on checkout".into(),
        text: "Connection pool exhausted again".into(),
        ..Default::default()
    };
    let hits = lib.similar_to_draft(&draft, 3).unwrap();
    assert!([pm.id.as_str(), twin.id.as_str()].contains(&hits[0].id.as_str()), "{hits:?}");
}

#[test]
fn reindex_gives_the_same_results_as_the_incremental_index() {
    let (_d, mut lib) = library();
    lib.load_sample().unwrap();
    // Incremental changes: an edit and a delete.
    let rows = lib.list(&Default::default()).unwrap();
    let mut pm = lib.get(&rows[3].id).unwrap().postmortem;
    pm.title = format!("{} with quokka", pm.title);
    lib.save(pm).unwrap();
    lib.delete(&rows[7].id).unwrap();
    let queries =
        ["database", "certificate expired", "\"connection pool\"", "severity:SEV1", "quokka", "deploy -rollback", ""];
    let opts = SearchOptions { limit: 100, offset: 0, sort: SearchSort::Relevance };
    let before: Vec<Vec<String>> = queries.iter().map(|q| ids(&lib.search(q, &opts).unwrap())).collect();
    assert!(lib.check().unwrap().index.is_clean());
    let n = lib.reindex(&mut |_, _| {}).unwrap();
    assert_eq!(n as i64, lib.count().unwrap());
    let after: Vec<Vec<String>> = queries.iter().map(|q| ids(&lib.search(q, &opts).unwrap())).collect();
    for (q, (b, a)) in queries.iter().zip(before.iter().zip(&after)) {
        let (mut b, mut a) = (b.clone(), a.clone());
        b.sort();
        a.sort();
        assert_eq!(b, a, "{q}");
    }
    assert_eq!(before[4].len(), 1);
}

#[test]
fn a_deleted_index_is_rebuilt_on_open_and_check_reports_drift() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("lib");
    let mut lib = Library::open(&path).unwrap();
    let pm = rich_postmortem(&mut lib);
    drop(lib);
    std::fs::remove_dir_all(path.join("index")).unwrap();
    let mut lib = Library::open(&path).unwrap();
    assert_eq!(ids(&search(&mut lib, "checkout")), vec![pm.id.clone()]);
    assert!(lib.check().unwrap().index.is_clean());
}

fn debrief(lib: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("debrief").unwrap();
    c.arg("--library").arg(lib);
    c
}

fn pending(lib: &std::path::Path) -> i64 {
    let c = rusqlite::Connection::open(lib.join("debrief.sqlite3")).unwrap();
    c.query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_process_killed_between_the_database_and_index_commits_leaves_search_right() {
    let d = tempfile::tempdir().unwrap();
    let lib = d.path().join("lib");
    debrief(&lib).args(["new", "--title", "Quasar cache stampede"]).assert().success();

    // Killed after the SQLite commit of a new postmortem, before the index commit.
    let out = debrief(&lib)
        .env("DEBRIEF_FAULT", "before-index-commit")
        .args(["new", "--title", "Zephyr queue backlog"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "the fault point must have killed the process");
    assert!(String::from_utf8_lossy(&out.stderr).contains("aborting on purpose"));
    assert_eq!(pending(&lib), 1, "the change is committed and still queued for the index");

    // The next process finds it: start-up drains the queue.
    let out = debrief(&lib).args(["search", "zephyr", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(pending(&lib), 0);

    // Killed during an update: the old title must not linger in search once recovered.
    let id = v["hits"][0]["id"].as_str().unwrap().to_string();
    let mut view: serde_json::Value =
        serde_json::from_slice(&debrief(&lib).args(["show", &id, "--json"]).output().unwrap().stdout).unwrap();
    view["postmortem"]["title"] = "Nebula queue backlog".into();
    let doc = serde_json::json!({
        "format": "debrief-library", "version": 1, "services": [], "categories": [], "templates": [],
        "postmortems": [view["postmortem"]],
    });
    let file = d.path().join("edit.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = debrief(&lib).env("DEBRIEF_FAULT", "before-index-commit").arg("import").arg(&file).output().unwrap();
    assert!(!out.status.success());
    let check = debrief(&lib).args(["check", "--json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(report["index"]["pending"], 0, "opening for check already reconciled: {report}");
    let zephyr: serde_json::Value =
        serde_json::from_slice(&debrief(&lib).args(["search", "zephyr", "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(zephyr["total"], 0);
    let nebula: serde_json::Value =
        serde_json::from_slice(&debrief(&lib).args(["search", "nebula", "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(nebula["total"], 1);
}

/// A stored postmortem's similar incidents are read from its index document, not loaded from
/// the database (which, cold, was most of a lookup's time): the same incidents, reasons and
/// scores as from the postmortem loaded, and the same on every call, for every one of the
/// sample library. An edit is seen at once; an id nobody stored is still "not found".
#[test]
fn similar_incidents_from_the_index_are_those_from_the_stored_postmortem() {
    let (_d, mut lib) = library();
    lib.load_sample().unwrap();
    let listed = lib.list(&Default::default()).unwrap();
    assert!(listed.len() >= 40);
    for summary in &listed {
        let from_index = lib.similar(&summary.id, 5).unwrap();
        let pm = lib.get(&summary.id).unwrap().postmortem;
        let from_database = lib.search_index().similar_to(&pm, 5).unwrap();
        // The same every time (tantivy's own more-like-this picked among equally good words
        // at random: 16 of the sample's postmortems changed within 20 calls).
        for _ in 0..5 {
            assert_eq!(lib.search_index().similar_to(&pm, 5).unwrap(), from_database, "{}", pm.title);
        }
        assert_eq!(from_index, from_database, "{}", pm.title);
        assert!(!from_index.is_empty(), "{}", pm.title);
    }

    // Edited, then asked at once: the edit is what is compared.
    let mut pm = lib.get(&listed[0].id).unwrap().postmortem;
    let before = lib.similar(&pm.id, 5).unwrap();
    pm.title = "Zeppelin hangar doors jammed".into();
    for s in &mut pm.sections {
        s.body = "The zeppelin hangar doors jammed shut during the zeppelin launch window.".into();
    }
    pm.whys.clear();
    pm.contributing_factors.clear();
    lib.save(pm.clone()).unwrap();
    let after = lib.similar(&pm.id, 5).unwrap();
    assert_ne!(after, before);
    assert_eq!(after, lib.search_index().similar_to(&lib.get(&pm.id).unwrap().postmortem, 5).unwrap());

    let missing = lib.similar("00000000-0000-0000-0000-000000000000", 5).unwrap_err();
    assert!(missing.to_string().contains("not found") || missing.to_string().contains("no postmortem"), "{missing}");
}

#[test]
fn cli_search_similar_and_reindex_print_json() {
    let d = tempfile::tempdir().unwrap();
    let lib = d.path().join("lib");
    debrief(&lib).arg("demo").assert().success();
    let out = debrief(&lib).args(["search", "certificate", "--limit", "3", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["total"].as_u64().unwrap() >= 1);
    assert!(v["hits"].as_array().unwrap().len() <= 3);
    assert!(v["facets"]["severity"].is_array());
    let id = v["hits"][0]["id"].as_str().unwrap();
    let out = debrief(&lib).args(["similar", id, "--json"]).output().unwrap();
    let sim: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!sim.as_array().unwrap().is_empty());
    let out = debrief(&lib).arg("reindex").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("indexed "));
    let out = debrief(&lib).args(["search", "\"unclosed"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("never closed"));
}

#[test]
fn the_cli_reports_a_limit_or_offset_beyond_the_bounds_cleanly() {
    let d = tempfile::tempdir().unwrap();
    let lib = d.path().join("lib");
    debrief(&lib).args(["new", "--title", "Checkout pool exhausted"]).assert().success();
    for (args, expected) in [
        (
            ["--limit", "1001"],
            "debrief: error [validation]: limit: 1001 is out of range; a page holds from 1 to 1000 hits",
        ),
        (["--limit", "0"], "debrief: error [validation]: limit: 0 is out of range"),
        (["--offset", "100001"], "debrief: error [validation]: offset: 100001 is past the deepest page"),
    ] {
        let out = debrief(&lib).arg("search").arg("checkout").args(args).output().unwrap();
        assert!(!out.status.success());
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with(expected) && !err.contains("panicked"), "{args:?}: {err}");
    }
    let out =
        debrief(&lib).args(["search", "checkout", "--limit", "1000", "--offset", "100000", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = debrief(&lib).args(["list", "--json"]).output().unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = rows[0]["id"].as_str().unwrap();
    let out = debrief(&lib).args(["similar", id, "--limit", "101"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("limit: 101 is out of range; ask for 1 to 100"));
}

/// A process killed inside tantivy's commit, after it wrote a segment's delete file and before
/// `meta.json` named it, leaves that file behind. The next writer starts again from the last
/// committed operation number, reaches the same number, and must not refuse to write the file
/// ("FileAlreadyExists"): the crash harness once hit exactly this.
#[test]
fn delete_files_left_by_a_killed_commit_do_not_block_the_next_writer() {
    let d = tempfile::tempdir().unwrap();
    let lib = d.path().join("lib");
    debrief(&lib).arg("demo").assert().success();

    // Leave what a killed commit leaves: delete files, registered as tantivy's own, for every
    // operation number the next few commits could reach.
    let index = tantivy::Index::open_in_dir(lib.join("index")).unwrap();
    let metas = index.load_metas().unwrap();
    let mut orphans = Vec::new();
    for segment in &metas.segments {
        for stamp in metas.opstamp + 1..=metas.opstamp + 400 {
            let path = std::path::PathBuf::from(format!("{}.{stamp}.del", segment.id().uuid_string()));
            let mut w = tantivy::directory::Directory::open_write(index.directory(), &path).unwrap();
            std::io::Write::write_all(&mut w, b"left by a killed commit").unwrap();
            tantivy::directory::TerminatingWrite::terminate(w).unwrap();
            orphans.push(lib.join("index").join(path));
        }
    }
    drop(index);
    assert!(!orphans.is_empty());

    // Edits that delete documents from existing segments, as an update does.
    let out = debrief(&lib).args(["search", "certificate", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = v["hits"][0]["id"].as_str().unwrap().to_string();
    let mut view: serde_json::Value =
        serde_json::from_slice(&debrief(&lib).args(["show", &id, "--json"]).output().unwrap().stdout).unwrap();
    view["postmortem"]["title"] = "Nebula certificate expiry".into();
    let doc = serde_json::json!({
        "format": "debrief-library", "version": 1, "services": [], "categories": [], "templates": [],
        "postmortems": [view["postmortem"]],
    });
    let file = d.path().join("edit.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = debrief(&lib).arg("import").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = debrief(&lib).args(["check", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["index"]["pending"], 0, "{report}");
    let nebula: serde_json::Value =
        serde_json::from_slice(&debrief(&lib).args(["search", "nebula", "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(nebula["total"], 1, "the edit reached the index");
    let out = debrief(&lib).arg("reindex").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(orphans.iter().all(|p| !p.exists()), "leftover delete files are collected");
}

#[test]
fn an_autosave_leaves_the_index_to_later_and_the_next_search_or_check_catches_up() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let lib_dir = dir.path().join("lib");
    assert_eq!(pending(&lib_dir), 0, "a create is indexed before it returns");

    let view = lib.get(&pm.id).unwrap();
    let mut edited = view.postmortem.clone();
    edited.title = "Checkout 502s after the zeppelin pool change".into();
    let view = lib.save_edit(edited, view.writes, false).unwrap();
    assert_eq!(pending(&lib_dir), 1, "the autosave is committed and queued, not yet indexed");
    // A search indexes what is queued first: the edit is found at once.
    assert_eq!(ids(&search(&mut lib, "zeppelin")), vec![pm.id.clone()]);
    assert_eq!(pending(&lib_dir), 0);

    let mut edited = view.postmortem.clone();
    edited.title = "Checkout 502s after the dirigible pool change".into();
    let view = lib.save_edit(edited, view.writes, true).unwrap();
    assert_eq!(pending(&lib_dir), 1);
    // What the app calls a moment after an autosave.
    lib.index_queued_changes().unwrap();
    assert_eq!(pending(&lib_dir), 0);

    // And a check does not call a queued change drift.
    let mut edited = view.postmortem.clone();
    edited.title = "Checkout 502s after the blimp pool change".into();
    lib.save_edit(edited, view.writes, true).unwrap();
    let report = lib.check().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(ids(&search(&mut lib, "blimp")), vec![pm.id]);
}

/// A library opened while another process (the app) holds the index writer opens even when
/// the index and the database disagree in size: that happens in the instant after the holder
/// drains the queue and commits, and is the holder's to reconcile (CI once saw the CLI refuse
/// to open with "another Debrief process is using the search index" there).
#[test]
fn a_library_opens_while_another_process_holds_the_writer_and_the_index_lags() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("lib");
    let mut app = Library::open(&path).unwrap();
    rich_postmortem(&mut app); // the app's first save opens its writer, and it keeps it
    let mut cli = Library::open(&path).unwrap();
    let new = NewPostmortem {
        title: "Quasar cache stampede".into(),
        severity: Severity::Sev3,
        template: None,
        incident_date: Some("2025-08-02".parse().unwrap()),
    };
    cli.create(new).unwrap();
    drop(cli);
    // The queued change, forgotten as the app forgets it after its commit, but not indexed:
    // the next process sees an empty queue and an index one short.
    rusqlite::Connection::open(path.join("debrief.sqlite3"))
        .unwrap()
        .execute("DELETE FROM search_pending", [])
        .unwrap();

    let mut cli = Library::open(&path).expect("opens while the app holds the writer");
    assert_eq!(ids(&search(&mut cli, "checkout")).len(), 1, "searches what the app indexed");
    drop(cli);
    // The holder closes; the next open may rebuild, and does.
    drop(app);
    let mut lib = Library::open(&path).unwrap();
    assert_eq!(search(&mut lib, "quasar").hits.len(), 1);
    assert!(lib.check().unwrap().index.is_clean());
}
