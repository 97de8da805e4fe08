//! Learning analytics over real libraries: the facts loaded in bulk agree with each
//! postmortem as the library gives it.

use debrief::model::{Durations, ReviewStatus};

use crate::helpers::library;

#[test]
fn the_facts_of_the_sample_library_agree_with_each_postmortem() {
    let (_dir, mut lib) = library();
    lib.load_sample().unwrap();
    let facts = lib.incident_facts().unwrap();
    assert_eq!(facts.len(), lib.list(&Default::default()).unwrap().len());
    assert!(facts.windows(2).all(|w| w[0].incident_date <= w[1].incident_date), "oldest first");
    let mut with_span = 0;
    for f in &facts {
        let view = lib.get(&f.id).unwrap();
        let pm = &view.postmortem;
        assert_eq!(f.title, pm.title);
        assert_eq!(f.severity, pm.severity);
        assert_eq!(f.services, pm.services);
        assert_eq!(f.categories, pm.categories);
        assert_eq!(f.users_affected_pct, pm.users_affected_pct);
        let d = Durations::from_timeline(&pm.timeline);
        let minutes = |a: Option<chrono::DateTime<chrono::Utc>>, b: Option<chrono::DateTime<chrono::Utc>>| {
            a.zip(b).map(|(a, b)| (b - a).num_minutes())
        };
        assert_eq!(minutes(f.markers.started, f.markers.detected), d.time_to_detect_min, "{}", pm.title);
        assert_eq!(minutes(f.markers.detected, f.markers.resolved), d.time_to_resolve_min, "{}", pm.title);
        let first_out_of_draft = pm
            .status_history
            .iter()
            .find(|c| c.from == ReviewStatus::Draft && c.to != ReviewStatus::Draft)
            .map(|c| c.at);
        assert_eq!(f.left_draft_at, first_out_of_draft);
        let mut types: Vec<&str> =
            pm.contributing_factors.iter().filter_map(|c| c.category.as_deref()).map(str::trim).collect();
        types.retain(|t| !t.is_empty());
        for t in &f.root_cause_types {
            assert!(types.iter().any(|x| x.eq_ignore_ascii_case(t)), "{t} is one of {types:?}");
        }
        with_span += usize::from(f.impact_span().is_some());
    }
    assert!(with_span > facts.len() / 2, "most sample incidents have an impact span ({with_span})");
}

#[test]
fn debrief_patterns_lists_each_rule_with_its_incidents_and_refuses_a_backwards_period() {
    use assert_cmd::Command;
    let dir = tempfile::tempdir().unwrap();
    let cli = || {
        let mut c = Command::cargo_bin("debrief").unwrap();
        c.arg("--library").arg(dir.path());
        c
    };
    cli().arg("demo").assert().success();
    let out = cli().args(["patterns", "--from", "2000-01-01", "--to", "2100-12-31", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let patterns: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let patterns = patterns.as_array().unwrap();
    let kinds: std::collections::HashSet<&str> = patterns.iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains("repeat_category"), "{kinds:?}");
    for p in patterns {
        assert!(!p["rule"].as_str().unwrap().is_empty());
        assert!(!p["incidents"].as_array().unwrap().is_empty(), "every pattern lists its incidents");
    }
    let lib = debrief::Library::open(dir.path()).unwrap();
    let facts = lib.incident_facts().unwrap();
    let repeat = patterns.iter().find(|p| p["kind"] == "repeat_category").unwrap();
    for i in repeat["incidents"].as_array().unwrap() {
        let f = facts.iter().find(|f| f.id == i["id"].as_str().unwrap()).unwrap();
        let subject = repeat["subject"].as_str().unwrap();
        assert!(f.categories.iter().any(|c| c.eq_ignore_ascii_case(subject)), "{} is in {subject}", f.title);
    }

    let out = cli().args(["patterns", "--from", "2026-12-01", "--to", "2026-01-01"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("from") && err.contains("2026-12-01"), "{err}");
}

#[test]
fn debrief_stats_carries_the_error_budget_of_every_service_with_an_slo() {
    use assert_cmd::Command;
    let dir = tempfile::tempdir().unwrap();
    let cli = || {
        let mut c = Command::cargo_bin("debrief").unwrap();
        c.arg("--library").arg(dir.path());
        c
    };
    cli().arg("demo").assert().success();
    let out = cli().args(["stats", "--to", "2026-11-30", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lib = debrief::Library::open(dir.path()).unwrap();
    let with_slo: Vec<_> = lib.taxonomy().unwrap().services.into_iter().filter(|s| s.slo_target.is_some()).collect();
    let budgets = stats["budgets"].as_array().unwrap();
    assert!(!with_slo.is_empty(), "the sample has services with SLOs");
    assert_eq!(budgets.len(), with_slo.len());
    for b in budgets {
        let s = with_slo.iter().find(|s| s.name == b["service"].as_str().unwrap()).unwrap();
        let window = s.slo_window_days.unwrap_or(30) as f64;
        let expected = (1.0 - s.slo_target.unwrap()) * window * 24.0 * 60.0;
        assert!((b["budget_minutes"].as_f64().unwrap() - expected).abs() < 1e-6, "{b}");
        assert_eq!(b["to"], "2026-11-30");
    }
    let text = cli().args(["stats", "--to", "2026-11-30"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("Error budgets"));
}

#[test]
fn insights_equal_the_four_calls_they_stand_for_on_the_sample_library() {
    let (_dir, mut lib) = library();
    lib.load_sample().unwrap();
    let facts = lib.incident_facts().unwrap();
    let last = facts.last().unwrap().incident_date;
    for days in [30, 90, 365, 3650] {
        let from = last - chrono::Days::new(days - 1);
        let all = lib.insights(from, last).unwrap();
        assert_eq!(all.stats, lib.stats(from, last, None).unwrap(), "stats over {days} days");
        assert_eq!(all.patterns, lib.patterns(from, last).unwrap(), "patterns over {days} days");
        assert_eq!(all.roi, lib.roi(last, None, None, &Default::default()).unwrap(), "roi to {last}");
        assert_eq!(all.budgets, lib.error_budgets(last).unwrap(), "budgets to {last}");
        assert!(all.stats.current.incidents.total > 0 || days == 30);
    }
    assert!(lib.insights(last, last - chrono::Days::new(1)).is_err(), "a backwards period is refused");
}

/// A library holding the sample, and its folder (for a second library on it).
fn sample_library() -> (tempfile::TempDir, debrief::Library, std::path::PathBuf) {
    let (temp, mut lib) = library();
    lib.load_sample().unwrap();
    let dir = lib.dir().to_path_buf();
    (temp, lib, dir)
}

/// The insights of the library in `dir` as a library just opened there (nothing cached) gives
/// them.
fn fresh_insights(dir: &std::path::Path, from: chrono::NaiveDate, to: chrono::NaiveDate) -> debrief::wire::Insights {
    debrief::Library::open(dir).unwrap().insights(from, to).unwrap()
}

/// The sample library's last incident date, its most recent incident's id, and the year
/// ending on that date.
fn sample_year(lib: &debrief::Library) -> (String, chrono::NaiveDate, chrono::NaiveDate) {
    let facts = lib.incident_facts().unwrap();
    let last = facts.last().unwrap();
    (last.id.clone(), last.incident_date - chrono::Days::new(364), last.incident_date)
}

/// The facts are kept between calls (issue 11 part 8); a write through the same library must
/// show in the next figures: a changed incident, an action item marked done, a renamed
/// category, a deleted postmortem.
#[test]
fn insights_follow_each_write_through_the_same_library() {
    use debrief::model::{ActionStatus, Severity};
    use debrief::wire::TaxonomyKind;
    let (_dir, mut lib, dir) = sample_library();
    let (id, from, to) = sample_year(&lib);
    let first = lib.insights(from, to).unwrap();
    assert_eq!(lib.insights(from, to).unwrap(), first, "nothing changed, nothing differs");

    let mut pm = lib.get(&id).unwrap().postmortem;
    pm.severity = if pm.severity == Severity::Sev1 { Severity::Sev4 } else { Severity::Sev1 };
    lib.save(pm).unwrap();
    // The save patched the cached facts in place (nothing else wrote meanwhile).
    assert!(lib.facts_are_current().unwrap(), "a save keeps the facts cached");
    let saved = lib.insights(from, to).unwrap();
    assert_ne!(saved.stats.current.incidents, first.stats.current.incidents, "the new severity is counted");
    assert_eq!(saved, fresh_insights(&dir, from, to));

    let items: Vec<String> = lib.get(&id).unwrap().postmortem.action_items.iter().map(|a| a.id.clone()).collect();
    assert!(!items.is_empty(), "the sample's latest incident has action items");
    lib.set_action_status(&items, ActionStatus::WontDo, Some("superseded")).unwrap();
    assert!(lib.facts_are_current().unwrap(), "the board's bulk change keeps the facts cached");
    assert_eq!(lib.insights(from, to).unwrap(), fresh_insights(&dir, from, to), "after the items changed");

    let category = saved.roi.categories.iter().find(|c| c.incidents > 0).unwrap().category.clone();
    lib.rename_taxonomy(TaxonomyKind::Category, &category, "Renamed in the test").unwrap();
    let renamed = lib.insights(from, to).unwrap();
    assert!(renamed.roi.categories.iter().any(|c| c.category == "Renamed in the test" && c.incidents > 0));
    assert_eq!(renamed, fresh_insights(&dir, from, to));

    lib.incident_facts().unwrap();
    lib.delete(&id).unwrap();
    assert!(lib.facts_are_current().unwrap(), "a delete keeps the facts cached");
    let deleted = lib.insights(from, to).unwrap();
    assert_eq!(deleted.stats.current.incidents.total + 1, renamed.stats.current.incidents.total);
    assert_eq!(deleted, fresh_insights(&dir, from, to));
    assert!(lib.incident_facts().unwrap().iter().all(|f| f.id != id));

    // A new incident in the period, one moved to the period's first day (the facts stay in
    // date order), and an item edited on the board.
    let new = debrief::wire::NewPostmortem {
        title: "Written in the test".into(),
        severity: Severity::Sev1,
        template: None,
        incident_date: Some(to),
    };
    let created = lib.create(new).unwrap();
    assert!(lib.facts_are_current().unwrap(), "a create keeps the facts cached");
    assert_eq!(lib.insights(from, to).unwrap(), fresh_insights(&dir, from, to), "after a create");
    let moved_id = lib.incident_facts().unwrap().iter().rev().nth(3).unwrap().id.clone();
    let mut moved = lib.get(&moved_id).unwrap().postmortem;
    moved.incident_date = from;
    lib.save(moved).unwrap();
    let facts = lib.incident_facts().unwrap();
    assert!(facts.is_sorted_by_key(|f| (f.incident_date, f.id.clone())), "oldest first, then by id");
    assert_eq!(lib.insights(from, to).unwrap(), fresh_insights(&dir, from, to), "after a date moved");
    let mut item = lib.get(&moved_id).unwrap().postmortem.action_items.into_iter().next().unwrap();
    item.status = if item.status == ActionStatus::Done { ActionStatus::Open } else { ActionStatus::Done };
    lib.incident_facts().unwrap();
    lib.update_action(item, to).unwrap();
    assert!(lib.facts_are_current().unwrap(), "an item edit keeps the facts cached");
    assert_eq!(lib.insights(from, to).unwrap(), fresh_insights(&dir, from, to), "after an item edit");
    assert!(lib.incident_facts().unwrap().iter().any(|f| f.id == created.id));
}

/// A write from another connection on the same folder (the app's worker, the CLI, another
/// process) must show in the figures of a library that loaded them before it.
#[test]
fn insights_follow_a_write_from_another_library_on_the_same_folder() {
    use debrief::model::Severity;
    let (_dir, mut lib, dir) = sample_library();
    let (id, from, to) = sample_year(&lib);
    let first = lib.insights(from, to).unwrap();

    let mut other = debrief::Library::open(&dir).unwrap();
    let mut pm = other.get(&id).unwrap().postmortem;
    pm.severity = if pm.severity == Severity::Sev1 { Severity::Sev4 } else { Severity::Sev1 };
    other.save(pm).unwrap();
    let after = lib.insights(from, to).unwrap();
    assert_ne!(after.stats.current.incidents, first.stats.current.incidents, "the other write is counted");
    assert_eq!(after, fresh_insights(&dir, from, to));
    assert_eq!(lib.incident_facts().unwrap(), other.incident_facts().unwrap());

    // And the other way round, with both libraries holding facts.
    other.delete(&id).unwrap();
    assert_eq!(lib.insights(from, to).unwrap(), fresh_insights(&dir, from, to));
    let mut mine = lib.incident_facts().unwrap();
    let last = mine.pop().unwrap();
    let mut pm = lib.get(&last.id).unwrap().postmortem;
    pm.title = format!("{} (retitled)", pm.title);
    lib.save(pm).unwrap();
    assert!(other.incident_facts().unwrap().iter().any(|f| f.title.ends_with("(retitled)")));
}

/// The screen's lists are cut (a pattern of 300 incidents is not sent whole), and every figure
/// whose list was cut opens its incidents by rule: exactly the full list the library gives.
#[test]
fn the_screen_cuts_its_lists_and_every_cut_figure_opens_all_its_incidents_by_rule() {
    use debrief::analysis::drill::Drill;
    use debrief::exchange::json::LibraryDocument;
    use debrief::library::{SCREEN_LIST, SCREEN_PATTERN_LIST};
    use debrief::report::charts::ChartPalette;
    let (_dir, mut lib) = library();
    let end = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let doc = LibraryDocument {
        services: debrief::synthetic::services(),
        ..LibraryDocument::of(debrief::synthetic::generate(5, 1500, end).collect())
    };
    lib.import_document(&doc, "synthetic").unwrap();
    let (from, to) = (end - chrono::Days::new(729), end);
    // A window of two years gives one category's ROI more incidents than the cut.
    let category = lib.taxonomy().unwrap().categories[0].name.clone();
    let inputs = debrief::wire::RoiInputs { window_days: 730, ..lib.roi_inputs(&category).unwrap() };
    lib.set_roi_inputs(&category, inputs).unwrap();
    let full = lib.insights(from, to).unwrap();
    let drawn = lib.insights_screen(from, to, &ChartPalette::print()).unwrap();
    let screen = drawn.insights;
    // The screen builds its lists short; its charts are those of the whole figures.
    let whole = debrief::wire::Insights {
        stats: debrief::wire::Stats { budgets: vec![], ..full.stats.clone() },
        ..full.clone()
    };
    assert_eq!(drawn.charts, debrief::report::charts::insight_charts(&whole, &ChartPalette::print()).unwrap());

    let big = full.patterns.iter().find(|p| p.incidents.len() > SCREEN_LIST).expect("a long pattern");
    let cut = screen.patterns.iter().find(|p| p.kind == big.kind && p.subject == big.subject).unwrap();
    assert_eq!((cut.incidents.len(), cut.total as usize), (SCREEN_PATTERN_LIST, big.incidents.len()));
    assert_eq!(cut.incidents.last(), big.incidents.last(), "the newest are kept");
    let drill = Drill::Pattern { pattern: big.kind, subject: big.subject.clone(), from, to };
    let all: Vec<String> = big.incidents.iter().map(|i| i.id.clone()).collect();
    assert_eq!(lib.incidents_behind(&drill).unwrap(), all);

    let now = &full.stats.current;
    assert!(now.repeats.repeats.len() > SCREEN_LIST);
    assert_eq!(screen.stats.current.repeats.repeats.len(), SCREEN_LIST);
    assert_eq!(screen.stats.current.repeats.rate, now.repeats.rate, "the counts stay whole");
    let lacking = &screen.stats.current.durations.time_to_detect;
    assert_eq!(lacking.lacking_total as usize, now.durations.time_to_detect.lacking.len());
    let repeats: Vec<String> = now.repeats.repeats.iter().map(|r| r.id.clone()).collect();
    let mut behind = lib.incidents_behind(&Drill::Repeats { from, to }).unwrap();
    behind.sort();
    let mut expected = repeats.clone();
    expected.sort();
    assert_eq!(behind, expected);

    let roi = full.roi.categories.iter().find(|c| c.included.len() > SCREEN_LIST).expect("a category over the cut");
    let shown = screen.roi.categories.iter().find(|c| c.category == roi.category).unwrap();
    assert_eq!((shown.included.len(), shown.incidents), (SCREEN_LIST, roi.incidents));
    let by_rule = lib.incidents_behind(&Drill::Roi { category: roi.category.clone(), to: full.roi.to }).unwrap();
    assert_eq!(by_rule.len() as i64, roi.incidents);

    assert!(screen.stats.budgets.is_empty() && !screen.budgets.is_empty(), "the budgets once");
    // A budget names its heaviest draws and counts those that require a postmortem, which
    // open by rule: the same incidents, oldest first, as the whole list holds.
    let mut opened = 0;
    for (whole, shown) in full.budgets.iter().zip(&screen.budgets) {
        let mut required: Vec<_> =
            whole.incidents.iter().filter(|i| i.postmortem_required).map(|i| (i.incident_date, i.id.clone())).collect();
        required.sort();
        assert_eq!(shown.required_total as usize, required.len(), "{}", whole.service);
        assert!(shown.incidents.len() <= SCREEN_PATTERN_LIST);
        assert_eq!(shown.incidents.first(), whole.incidents.first(), "the heaviest draw is kept");
        let drill = Drill::BudgetRequired { service: whole.service.to_uppercase(), to: whole.to };
        let ids: Vec<String> = required.into_iter().map(|(_, id)| id).collect();
        assert_eq!(lib.incidents_behind(&drill).unwrap(), ids, "{}", whole.service);
        opened += ids.len();
    }
    assert!(opened > SCREEN_PATTERN_LIST, "some service has more incidents requiring a postmortem than shown");
    for (whole, shown) in full.roi.categories.iter().zip(&screen.roi.categories) {
        assert_eq!(shown.excluded_total as usize, whole.excluded.len());
    }
    let (cut, whole) = (serde_json::to_string(&screen).unwrap().len(), serde_json::to_string(&full).unwrap().len());
    // Here a third; the cut lists are bounded by the taxonomy, the whole ones grow with the
    // library (the insights bench prints the sizes at 100,000 postmortems).
    assert!(cut < whole / 2, "{cut} bytes cut from {whole}");
}

/// Preparing Insights (what the app does in the background after opening a library) loads
/// what the screen counts from and changes no figure; an edit afterwards is still counted.
#[test]
fn preparing_insights_changes_no_figure_and_an_edit_after_it_is_counted() {
    let (_dir, mut lib, dir) = sample_library();
    let to = lib.incident_facts().unwrap().last().unwrap().incident_date;
    let from = to - chrono::Days::new(364);
    let expected = fresh_insights(&dir, from, to);
    let prepared = debrief::Library::open(&dir).unwrap();
    prepared.prepare_insights(to).unwrap();
    assert!(prepared.facts_are_current().unwrap(), "prepared: the next figure only counts");
    assert_eq!(prepared.insights(from, to).unwrap(), expected);
    drop(prepared);

    // As the app does it: the vectors on a worker handle, then the facts on the window's.
    let window = debrief::Library::open(&dir).unwrap();
    window.worker().unwrap().prepare_insight_vectors(to).unwrap();
    window.prepare_insights(to).unwrap();
    assert!(window.facts_are_current().unwrap());
    assert_eq!(window.insights(from, to).unwrap(), expected);
    drop(window);

    lib.prepare_insights(to).unwrap();
    let id = lib.incident_facts().unwrap().last().unwrap().id.clone();
    let mut pm = lib.get(&id).unwrap().postmortem;
    pm.title = format!("{} (retitled)", pm.title);
    lib.save(pm).unwrap();
    assert_eq!(lib.insights(from, to).unwrap(), fresh_insights(&dir, from, to));
    // An empty library prepares too.
    let (_empty_dir, empty) = library();
    empty.prepare_insights(to).unwrap();
}

/// Opening a library to read it writes nothing: another open library's cached figures stay
/// valid (the built-in templates are written only when missing or changed).
#[test]
fn opening_a_library_again_writes_nothing() {
    let (_dir, mut lib) = library();
    lib.load_sample().unwrap();
    lib.incident_facts().unwrap();
    let db = lib.dir().join(debrief::library::DB_FILE);
    let watcher = rusqlite::Connection::open(&db).unwrap();
    let version =
        |c: &rusqlite::Connection| c.pragma_query_value(None, "data_version", |r| r.get::<_, i64>(0)).unwrap();
    let before = version(&watcher);
    drop(debrief::Library::open(lib.dir()).unwrap());
    assert_eq!(version(&watcher), before, "a second open committed something");
    assert!(lib.facts_are_current().unwrap());
}
