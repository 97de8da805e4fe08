//! Saving, revisions, listing with filters, deleting: through `Library` on real SQLite.

use crate::helpers::{library, rich_postmortem};
use debrief::model::*;
use debrief::wire::ListFilter;
use debrief::wire::NewPostmortem;

#[test]
fn a_saved_postmortem_loads_back_identical() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let loaded = lib.get(&pm.id).unwrap();
    assert_eq!(loaded.postmortem, pm);
    assert_eq!(loaded.durations.time_to_detect_min, Some(5));
    assert_eq!(loaded.durations.time_to_resolve_min, Some(25));
    assert_eq!(loaded.durations.impact_duration_min, Some(30));
    // Branching survives: two steps share the first as parent.
    let chain = &loaded.postmortem.whys[0];
    assert_eq!(chain.steps.iter().filter(|s| s.parent_id.as_deref() == Some(&chain.steps[0].id)).count(), 2);
    assert_eq!(loaded.postmortem.fishbones[0].categories[0].causes[0].children[0].text, "No validation");
}

#[test]
fn new_postmortems_start_from_the_template_suggested_for_their_severity() {
    let (_d, mut lib) = library();
    let major = lib
        .create(NewPostmortem { title: "Major".into(), severity: Severity::Sev1, template: None, incident_date: None })
        .unwrap();
    assert_eq!(major.template.as_deref(), Some("Standard blameless"));
    let keys: Vec<&str> = major.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys.first(), Some(&"summary"));
    assert!(keys.contains(&"root_cause") && keys.contains(&"lessons") && keys.contains(&"went_well"));
    let minor = lib
        .create(NewPostmortem { title: "Minor".into(), severity: Severity::Sev4, template: None, incident_date: None })
        .unwrap();
    assert_eq!(minor.template.as_deref(), Some("Light (SEV3/SEV4)"));
    assert_eq!(minor.status, ReviewStatus::Draft);
}

#[test]
fn each_save_keeps_the_previous_version() {
    let (_d, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    let before = lib.get(&pm.id).unwrap().revisions;
    pm.title = "Renamed".into();
    let view = lib.save(pm.clone()).unwrap();
    assert_eq!(view.revisions, before + 1, "a save outside an editor's session keeps a revision");
    assert_eq!(view.postmortem.title, "Renamed");
    // Saving an identical document does not add a revision.
    let again = lib.save(view.postmortem.clone()).unwrap();
    assert_eq!(again.revisions, before + 1);
}

#[test]
fn marking_an_item_done_stamps_its_completion_time() {
    let (_d, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    pm.action_items[0].status = ActionStatus::Done;
    let saved = lib.save(pm).unwrap().postmortem;
    assert!(saved.action_items[0].completed_at.is_some());
    let mut reopened = saved.clone();
    reopened.action_items[0].status = ActionStatus::Open;
    assert!(lib.save(reopened).unwrap().postmortem.action_items[0].completed_at.is_none());
}

#[test]
fn list_filters_by_severity_status_service_and_category() {
    let (_d, mut lib) = library();
    let rich = rich_postmortem(&mut lib);
    lib.create(NewPostmortem { title: "Other".into(), severity: Severity::Sev4, template: None, incident_date: None })
        .unwrap();
    let all = lib.list(&ListFilter::default()).unwrap();
    assert_eq!(all.len(), 2);
    let sev2 = lib.list(&ListFilter { severities: vec![Severity::Sev2], ..Default::default() }).unwrap();
    assert_eq!(sev2.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), vec![rich.id.as_str()]);
    let by_service = lib.list(&ListFilter { service: Some("payments-api".into()), ..Default::default() }).unwrap();
    assert_eq!(by_service.len(), 1);
    assert_eq!(by_service[0].services, vec!["checkout-web", "payments-api"]);
    let by_cat = lib.list(&ListFilter { category: Some("Config Change".into()), ..Default::default() }).unwrap();
    assert_eq!(by_cat.len(), 1, "category names match case-insensitively");
    let finals = lib.list(&ListFilter { statuses: vec![ReviewStatus::Final], ..Default::default() }).unwrap();
    assert!(finals.is_empty());
    // The rich one's open item was due in 2025: overdue today.
    assert_eq!(sev2[0].action_items_open, 1);
    assert_eq!(sev2[0].action_items_overdue, 1);
}

#[test]
fn delete_removes_the_postmortem_and_everything_it_owns() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    lib.delete(&pm.id).unwrap();
    assert_eq!(lib.get(&pm.id).unwrap_err().code(), "not_found");
    assert_eq!(lib.count().unwrap(), 0);
    assert!(lib.check().unwrap().problems.is_empty());
    assert_eq!(lib.delete(&pm.id).unwrap_err().code(), "not_found");
}

#[test]
fn ids_resolve_from_a_unique_prefix() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    assert_eq!(lib.resolve_id(&pm.id[..8]).unwrap(), pm.id);
    assert_eq!(lib.resolve_id(&pm.id.to_uppercase()).unwrap(), pm.id);
    assert_eq!(lib.resolve_id("ffffffffffff").unwrap_err().code(), "not_found");
}

#[test]
fn the_library_survives_reopening_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lib");
    let mut lib = debrief::Library::open(&path).unwrap();
    let pm = rich_postmortem(&mut lib);
    drop(lib);
    let lib = debrief::Library::open(&path).unwrap();
    assert_eq!(lib.get(&pm.id).unwrap().postmortem, pm);
}

/// A library of `n` synthetic postmortems (every severity, status, service and category).
fn synthetic_library(n: usize) -> (tempfile::TempDir, debrief::Library) {
    use debrief::exchange::json::LibraryDocument;
    let (d, mut lib) = library();
    let end = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let doc = LibraryDocument::of(debrief::synthetic::generate(11, n, end).collect());
    lib.import_document(&doc, "synthetic").unwrap();
    (d, lib)
}

fn status_rank(s: ReviewStatus) -> usize {
    ReviewStatus::ALL.iter().position(|x| *x == s).unwrap()
}

#[test]
fn list_pages_concatenate_to_the_whole_list_in_every_sort() {
    use debrief::wire::{ListQuery, ListSortKey, SortDir};
    let (_d, lib) = synthetic_library(60);
    let all = lib.list(&ListFilter::default()).unwrap();
    assert_eq!(all.len(), 60);
    for sort in [ListSortKey::Date, ListSortKey::Title, ListSortKey::Severity, ListSortKey::Status] {
        for dir in [SortDir::Asc, SortDir::Desc] {
            let mut paged = Vec::new();
            let mut offset = 0;
            loop {
                let page = lib.list_page(&ListQuery { sort, dir, offset, limit: 7, ..Default::default() }).unwrap();
                assert_eq!((page.matching, page.total), (60, 60));
                if page.rows.is_empty() {
                    break;
                }
                offset += page.rows.len() as u32;
                paged.extend(page.rows);
            }
            // The order the core promises: the key in the direction asked, then newest first,
            // then title (case-insensitive), then id.
            let mut expected = all.clone();
            expected.sort_by(|a, b| {
                let key = match sort {
                    ListSortKey::Date => a.incident_date.cmp(&b.incident_date),
                    ListSortKey::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
                    ListSortKey::Severity => a.severity.as_str().cmp(b.severity.as_str()),
                    ListSortKey::Status => status_rank(a.status).cmp(&status_rank(b.status)),
                };
                let key = if dir == SortDir::Desc { key.reverse() } else { key };
                key.then(b.incident_date.cmp(&a.incident_date))
                    .then(a.title.to_lowercase().cmp(&b.title.to_lowercase()))
                    .then(a.id.cmp(&b.id))
            });
            let ids = |v: &[PostmortemSummary]| v.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
            assert_eq!(ids(&paged), ids(&expected), "{sort:?} {dir:?}");
            // A page carries the same figures as the whole list.
            assert_eq!(paged.iter().find(|s| s.id == all[0].id), Some(&all[0]));
        }
    }
}

#[test]
fn list_filters_combine_several_severities_and_statuses_and_count_the_matches() {
    use debrief::wire::ListQuery;
    let (_d, lib) = synthetic_library(60);
    let all = lib.list(&ListFilter::default()).unwrap();
    let service = all.iter().flat_map(|s| s.services.clone()).next().unwrap();
    let filter = ListFilter {
        severities: vec![Severity::Sev1, Severity::Sev3],
        statuses: vec![ReviewStatus::Draft, ReviewStatus::Final],
        service: Some(service.to_uppercase()),
        category: None,
        ids: Vec::new(),
    };
    let expected: Vec<&PostmortemSummary> = all
        .iter()
        .filter(|s| matches!(s.severity, Severity::Sev1 | Severity::Sev3))
        .filter(|s| matches!(s.status, ReviewStatus::Draft | ReviewStatus::Final))
        .filter(|s| s.services.contains(&service))
        .collect();
    assert!(!expected.is_empty(), "the synthetic library has such postmortems");
    let page = lib.list_page(&ListQuery { filter: filter.clone(), limit: 1000, ..Default::default() }).unwrap();
    assert_eq!(page.matching as usize, expected.len());
    assert_eq!(page.total, 60);
    assert_eq!(page.rows.iter().map(|s| &s.id).collect::<Vec<_>>(), expected.iter().map(|s| &s.id).collect::<Vec<_>>());
    let first = lib.list_page(&ListQuery { filter, limit: 1, ..Default::default() }).unwrap();
    assert_eq!((first.rows.len(), first.matching as usize), (1, expected.len()));
}

/// Each combination of filters gets SQL of its own (only the filters set are written as
/// conditions): every one of the 32 counts and lists what filtering the whole list in memory
/// gives, names matched in any case.
#[test]
fn every_combination_of_list_filters_matches_filtering_the_whole_list() {
    use debrief::wire::ListQuery;
    let (_d, lib) = synthetic_library(80);
    let all = lib.list(&ListFilter::default()).unwrap();
    let (service, category) = (all[0].services[0].clone(), all[0].categories[0].clone());
    let picked: Vec<String> = all.iter().step_by(2).map(|s| s.id.clone()).collect();
    for set in 0u32..32 {
        let on = |bit: u32| set & (1 << bit) != 0;
        let filter = ListFilter {
            severities: if on(0) { vec![all[0].severity, Severity::Sev1] } else { Vec::new() },
            statuses: if on(1) { vec![all[0].status] } else { Vec::new() },
            category: on(2).then(|| category.to_uppercase()),
            service: on(3).then(|| service.to_uppercase()),
            ids: if on(4) { picked.clone() } else { Vec::new() },
        };
        let expected: Vec<&String> = all
            .iter()
            .filter(|s| !on(0) || filter.severities.contains(&s.severity))
            .filter(|s| !on(1) || filter.statuses.contains(&s.status))
            .filter(|s| !on(2) || s.categories.contains(&category))
            .filter(|s| !on(3) || s.services.contains(&service))
            .filter(|s| !on(4) || picked.contains(&s.id))
            .map(|s| &s.id)
            .collect();
        let page = lib.list_page(&ListQuery { filter, limit: 1000, ..Default::default() }).unwrap();
        assert_eq!(page.matching as usize, expected.len(), "filters {set:05b}");
        assert_eq!(page.total as usize, all.len());
        assert_eq!(page.rows.iter().map(|s| &s.id).collect::<Vec<_>>(), expected, "filters {set:05b}");
    }
}

#[test]
fn the_list_narrows_to_the_ids_behind_a_figure_and_combines_them_with_other_filters() {
    use debrief::wire::ListQuery;
    let (_d, lib) = synthetic_library(40);
    let all = lib.list(&ListFilter::default()).unwrap();
    let picked: Vec<String> = all.iter().step_by(3).map(|s| s.id.clone()).collect();
    let page = lib
        .list_page(&ListQuery {
            filter: ListFilter { ids: picked.clone(), ..Default::default() },
            limit: 1000,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.matching as usize, picked.len());
    let mut got: Vec<String> = page.rows.iter().map(|s| s.id.clone()).collect();
    got.sort();
    let mut want = picked.clone();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(lib.list(&ListFilter { ids: picked.clone(), ..Default::default() }).unwrap().len(), picked.len());
    let severity = all.iter().find(|s| picked.contains(&s.id)).unwrap().severity;
    let both = ListFilter { ids: picked.clone(), severities: vec![severity], ..Default::default() };
    let expected = all.iter().filter(|s| picked.contains(&s.id) && s.severity == severity).count();
    assert_eq!(
        lib.list_page(&ListQuery { filter: both, limit: 1000, ..Default::default() }).unwrap().matching as usize,
        expected
    );
}

#[test]
fn a_list_page_larger_than_the_bound_is_refused_naming_the_field() {
    use debrief::store::postmortems::MAX_LIST_PAGE;
    use debrief::wire::ListQuery;
    let (_d, lib) = library();
    let err = lib.list_page(&ListQuery { limit: MAX_LIST_PAGE + 1, ..Default::default() }).unwrap_err();
    assert_eq!(err.code(), "validation");
    assert!(err.to_string().starts_with("limit: "), "{err}");
    assert!(err.to_string().contains("at most 1000"), "{err}");
}

/// Issue 9: the overdue count's subquery used the due-date index and scanned every overdue item
/// of the library for every row, so the list grew with the square of the library.
#[test]
fn list_and_board_queries_never_scan_a_table_per_row() {
    let (_d, lib) = synthetic_library(30);
    let plans = lib.query_plans().unwrap();
    assert!(plans.len() >= 11);
    for plan in &plans {
        assert!(plan.per_row_scans().is_empty(), "{plan}");
        assert!(!plan.lines.is_empty());
    }
    // The per-row action-item counts go through the index made for them.
    let list = plans.iter().find(|p| p.name == "list page by Date Desc").unwrap();
    assert!(list.lines.iter().any(|l| l.contains("action_items_open_by_postmortem")), "{list}");
}

/// Issue 10: SQL lives in `src/store/` (and `src/store.rs`, which opens and migrates) only.
#[test]
fn sql_lives_only_in_the_store() {
    let sql = regex::Regex::new(
        r#""(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|WITH|REPLACE)\b|\.(execute|execute_batch|prepare|prepare_cached|query_row|pragma_update|pragma_query_value)\("#,
    )
    .unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path == root.join("store") || path == root.join("store.rs") {
                continue;
            }
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (n, line) in text.lines().enumerate().filter(|(_, l)| sql.is_match(l)) {
                    found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "SQL outside src/store:\n{}", found.join("\n"));
}
