//! The managed taxonomy: adding, renaming, merging and retiring categories, services and
//! root-cause types; each change relabels every postmortem in one transaction and keeps search
//! right; a suggested category for a draft from its similar incidents.

use debrief::clock::new_id;
use debrief::model::*;
use debrief::wire::{DraftText, NewPostmortem, RoiInputs, SearchOptions, ServiceChanges, TaxonomyKind};
use debrief::Library;

use crate::helpers::library;

/// Stores a postmortem titled `title` with `categories`, `services` and contributing factors of
/// the root-cause types `causes`.
fn labelled(lib: &mut Library, title: &str, categories: &[&str], services: &[&str], causes: &[&str]) -> String {
    let mut pm = lib
        .create(NewPostmortem {
            title: title.into(),
            severity: Severity::Sev3,
            template: None,
            incident_date: Some("2026-01-10".parse().unwrap()),
        })
        .unwrap();
    pm.categories = categories.iter().map(|c| c.to_string()).collect();
    pm.services = services.iter().map(|s| s.to_string()).collect();
    pm.contributing_factors = causes
        .iter()
        .map(|c| ContributingFactor {
            id: new_id(),
            text: format!("factor of type {c}"),
            category: Some(c.to_string()),
            source_step_id: None,
            source_cause_id: None,
        })
        .collect();
    let id = pm.id.clone();
    lib.save(pm).unwrap();
    id
}

fn categories_of(lib: &Library, id: &str) -> Vec<String> {
    lib.get(id).unwrap().postmortem.categories
}

fn found(lib: &mut Library, query: &str) -> usize {
    lib.search(query, &SearchOptions::default()).unwrap().total
}

#[test]
fn a_merge_relabels_every_postmortem_once_and_search_follows_at_once() {
    let (_d, mut lib) = library();
    let a = labelled(&mut lib, "Pool limit lowered", &["misconfiguration"], &["api"], &[]);
    let b = labelled(&mut lib, "Flag flipped", &["misconfiguration", "config change"], &["api"], &[]);
    let c = labelled(&mut lib, "Rule edited", &["config change"], &["web"], &[]);
    let other = labelled(&mut lib, "Disk full", &["capacity"], &["db"], &[]);
    assert_eq!(found(&mut lib, "category:misconfiguration"), 2);

    let n = lib.merge_taxonomy(TaxonomyKind::Category, "Misconfiguration", "config change").unwrap();
    assert_eq!(n, 2, "the postmortems labelled misconfiguration");
    assert_eq!(categories_of(&lib, &a), vec!["config change"]);
    assert_eq!(categories_of(&lib, &b), vec!["config change"], "no duplicate link");
    assert_eq!(categories_of(&lib, &c), vec!["config change"]);
    assert_eq!(categories_of(&lib, &other), vec!["capacity"]);
    assert!(
        !lib.taxonomy().unwrap().categories.iter().any(|c| c.name == "misconfiguration"),
        "the merged category is gone"
    );
    // Searched right after the merge, with no explicit reindex.
    assert_eq!(found(&mut lib, r#"category:"config change""#), 3);
    assert_eq!(found(&mut lib, "category:misconfiguration"), 0);
    assert!(lib.check().unwrap().problems.is_empty());
}

#[test]
fn a_merge_moves_roi_inputs_unless_the_target_has_its_own() {
    let (_d, mut lib) = library();
    labelled(&mut lib, "one", &["a"], &[], &[]);
    labelled(&mut lib, "two", &["b"], &[], &[]);
    labelled(&mut lib, "three", &["c"], &[], &[]);
    let a = RoiInputs { window_days: 30, ..Default::default() };
    let b = RoiInputs { window_days: 60, ..Default::default() };
    lib.set_roi_inputs("a", a).unwrap();
    lib.set_roi_inputs("b", b).unwrap();
    lib.merge_taxonomy(TaxonomyKind::Category, "a", "b").unwrap();
    assert_eq!(lib.roi_inputs("b").unwrap(), b, "the target keeps its own");
    lib.merge_taxonomy(TaxonomyKind::Category, "b", "c").unwrap();
    assert_eq!(lib.roi_inputs("c").unwrap(), b, "moved to a target without its own");
}

#[test]
fn merging_services_and_root_cause_types_relabels_them() {
    let (_d, mut lib) = library();
    let x = labelled(&mut lib, "x", &[], &["payments", "payments-api"], &["Monitoring gap", "alerting"]);
    let y = labelled(&mut lib, "y", &[], &["payments"], &["ALERTING "]);
    assert_eq!(lib.merge_taxonomy(TaxonomyKind::Service, "payments", "payments-api").unwrap(), 2);
    assert_eq!(lib.get(&x).unwrap().postmortem.services, vec!["payments-api"]);
    assert_eq!(lib.get(&y).unwrap().postmortem.services, vec!["payments-api"]);
    assert_eq!(lib.merge_taxonomy(TaxonomyKind::Cause, "alerting", "alerting gap").unwrap(), 2);
    let types = |id: &str| -> Vec<Option<String>> {
        lib.get(id).unwrap().postmortem.contributing_factors.into_iter().map(|f| f.category).collect()
    };
    assert_eq!(types(&x), vec![Some("Monitoring gap".into()), Some("Alerting gap".into())]);
    assert_eq!(types(&y), vec![Some("Alerting gap".into())]);
    assert!(!lib.taxonomy().unwrap().root_cause_types.iter().any(|t| t.eq_ignore_ascii_case("alerting")));
}

#[test]
fn a_merge_is_all_or_nothing() {
    let (_d, mut lib) = library();
    let a = labelled(&mut lib, "a", &["config"], &["api"], &["Runbook gap"]);
    let before = lib.taxonomy().unwrap();
    let err = lib.merge_taxonomy(TaxonomyKind::Category, "config", "no such thing").unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
    assert!(err.to_string().contains("no such thing"), "{err}");
    let err = lib.merge_taxonomy(TaxonomyKind::Category, "config", "CONFIG").unwrap_err();
    assert_eq!(err.code(), "validation", "{err}");
    let err = lib.merge_taxonomy(TaxonomyKind::Cause, "Runbook gap", "nope").unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
    assert_eq!(categories_of(&lib, &a), vec!["config"]);
    assert_eq!(lib.taxonomy().unwrap().categories, before.categories);
    assert_eq!(lib.taxonomy().unwrap().cause_types, before.cause_types);
    assert_eq!(found(&mut lib, "category:config"), 1);
}

#[test]
fn a_rename_keeps_links_and_roi_inputs_and_refuses_a_taken_name() {
    let (_d, mut lib) = library();
    let a = labelled(&mut lib, "Pool limit lowered", &["config"], &["api"], &["Runbook gap"]);
    labelled(&mut lib, "Disk full", &["capacity"], &["db"], &[]);
    let inputs = RoiInputs { window_days: 45, ..Default::default() };
    lib.set_roi_inputs("config", inputs).unwrap();

    assert_eq!(lib.rename_taxonomy(TaxonomyKind::Category, "CONFIG", "settings drift").unwrap(), 1);
    assert_eq!(categories_of(&lib, &a), vec!["settings drift"]);
    assert_eq!(lib.roi_inputs("settings drift").unwrap(), inputs);
    assert_eq!(found(&mut lib, r#"category:"settings drift""#), 1);
    assert_eq!(found(&mut lib, "category:config"), 0);

    lib.rename_taxonomy(TaxonomyKind::Service, "api", "payments-api").unwrap();
    assert_eq!(lib.get(&a).unwrap().postmortem.services, vec!["payments-api"]);
    lib.rename_taxonomy(TaxonomyKind::Cause, "runbook gap", "Missing runbook").unwrap();
    let pm = lib.get(&a).unwrap().postmortem;
    assert_eq!(pm.contributing_factors[0].category.as_deref(), Some("Missing runbook"));
    let t = lib.taxonomy().unwrap();
    assert!(t.root_cause_types.contains(&"Missing runbook".to_string()));
    assert!(!t.root_cause_types.iter().any(|x| x == "Runbook gap"));

    // Only the case: a rename.
    lib.rename_taxonomy(TaxonomyKind::Category, "capacity", "Capacity").unwrap();
    assert!(lib.taxonomy().unwrap().categories.iter().any(|c| c.name == "Capacity"));
    // A name another entry has: refused, naming the field and suggesting a merge.
    let err = lib.rename_taxonomy(TaxonomyKind::Category, "capacity", "SETTINGS drift").unwrap_err();
    assert_eq!(err.code(), "validation");
    let msg = err.to_string();
    assert!(msg.contains("new_name") && msg.contains("merge"), "{msg}");
    let err = lib.rename_taxonomy(TaxonomyKind::Category, "capacity", "  ").unwrap_err();
    assert!(err.to_string().contains("new_name"), "{err}");
    let err = lib.rename_taxonomy(TaxonomyKind::Category, "nothing", "x").unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn retiring_keeps_old_labels_and_stops_offering() {
    let (_d, mut lib) = library();
    let a = labelled(&mut lib, "a", &["legacy"], &["old-svc"], &["Testing gap"]);
    lib.retire_taxonomy(TaxonomyKind::Category, "legacy", true).unwrap();
    lib.retire_taxonomy(TaxonomyKind::Service, "old-svc", true).unwrap();
    lib.retire_taxonomy(TaxonomyKind::Cause, "testing gap", true).unwrap();
    let pm = lib.get(&a).unwrap().postmortem;
    assert_eq!(pm.categories, vec!["legacy"]);
    assert_eq!(pm.services, vec!["old-svc"]);
    assert_eq!(pm.contributing_factors[0].category.as_deref(), Some("Testing gap"));
    let t = lib.taxonomy().unwrap();
    assert!(t.categories.iter().find(|c| c.name == "legacy").unwrap().retired);
    assert!(t.services.iter().find(|s| s.name == "old-svc").unwrap().retired);
    assert!(t.cause_types.iter().find(|c| c.name == "Testing gap").unwrap().retired);
    assert!(!t.root_cause_types.contains(&"Testing gap".to_string()), "not offered");
    // Saving the postmortem again keeps its retired labels.
    lib.save(pm).unwrap();
    assert_eq!(categories_of(&lib, &a), vec!["legacy"]);
    assert!(lib.taxonomy().unwrap().categories.iter().find(|c| c.name == "legacy").unwrap().retired);

    lib.retire_taxonomy(TaxonomyKind::Cause, "Testing gap", false).unwrap();
    assert!(lib.taxonomy().unwrap().root_cause_types.contains(&"Testing gap".to_string()));
    assert_eq!(lib.retire_taxonomy(TaxonomyKind::Category, "nope", true).unwrap_err().code(), "not_found");
}

#[test]
fn adding_entries_and_setting_a_services_team_and_slo() {
    let (_d, mut lib) = library();
    lib.add_taxonomy(TaxonomyKind::Category, " queueing ", "Backlogs in queues").unwrap();
    lib.add_taxonomy(TaxonomyKind::Cause, "Retry amplification", "").unwrap();
    lib.add_service(Service {
        name: "payments-api".into(),
        description: "Takes payments".into(),
        slo_target: Some(0.999),
        slo_window_days: Some(30),
        team: Some("Payments".into()),
        retired: false,
    })
    .unwrap();
    let t = lib.taxonomy().unwrap();
    assert_eq!(t.categories[0].name, "queueing");
    assert_eq!(t.categories[0].description, "Backlogs in queues");
    assert_eq!(t.root_cause_types.last().map(String::as_str), Some("Retry amplification"));
    assert_eq!(t.services[0].team.as_deref(), Some("Payments"));

    let err = lib.add_taxonomy(TaxonomyKind::Category, "QUEUEING", "").unwrap_err();
    assert!(err.to_string().contains("name") && err.to_string().contains("already exists"), "{err}");
    let err = lib.add_taxonomy(TaxonomyKind::Cause, "monitoring GAP", "").unwrap_err();
    assert_eq!(err.code(), "validation");

    let s =
        lib.update_service("PAYMENTS-API", &ServiceChanges { slo_target: Some(0.9995), ..Default::default() }).unwrap();
    assert_eq!((s.slo_target, s.slo_window_days, s.team.as_deref()), (Some(0.9995), Some(30), Some("Payments")));
    let s =
        lib.update_service("payments-api", &ServiceChanges { team: Some("".into()), ..Default::default() }).unwrap();
    assert_eq!(s.team, None, "an empty team clears it");
    let err = lib
        .update_service("payments-api", &ServiceChanges { slo_target: Some(99.9), ..Default::default() })
        .unwrap_err();
    assert!(err.to_string().contains("slo_target"), "{err}");
    let err = lib
        .update_service("payments-api", &ServiceChanges { slo_window_days: Some(0), ..Default::default() })
        .unwrap_err();
    assert!(err.to_string().contains("slo_window_days"), "{err}");
    assert_eq!(lib.taxonomy().unwrap().services[0].slo_target, Some(0.9995), "a refused change changes nothing");
    let err = lib.update_service("nope", &ServiceChanges::default()).unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn a_draft_gets_the_most_common_category_of_its_similar_incidents() {
    let (_d, mut lib) = library();
    lib.load_sample().unwrap();
    let draft = DraftText {
        title: "TLS certificate expired on the partner API".into(),
        text: "The certificate expired overnight and clients failed the TLS handshake; no alert fired before \
               expiry."
            .into(),
        ..Default::default()
    };
    let (category, hits) = lib.suggest_category(&draft).unwrap().expect("a suggestion");
    assert_eq!(category, "certificate expiry");
    assert!(!hits.is_empty());
    for h in &hits {
        assert!(categories_of(&lib, &h.id).contains(&category), "{} carries it", h.title);
    }

    // A category already chosen is not suggested again; a retired one is not offered.
    let chosen = DraftText { categories: vec!["Certificate Expiry".into()], ..draft.clone() };
    let (other, _) = lib.suggest_category(&chosen).unwrap().expect("another suggestion");
    assert_ne!(other, "certificate expiry");
    lib.retire_taxonomy(TaxonomyKind::Category, "certificate expiry", true).unwrap();
    let (after, _) = lib.suggest_category(&draft).unwrap().expect("a suggestion");
    assert_ne!(after, "certificate expiry");

    assert_eq!(lib.suggest_category(&DraftText::default()).unwrap(), None, "nothing written, nothing similar");
}

// ---- The CLI ----

fn debrief(lib: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("debrief").unwrap();
    c.arg("--library").arg(lib);
    c
}

/// Runs `debrief` with `args`, expecting success, and returns stdout.
fn ok(lib: &std::path::Path, args: &[&str]) -> String {
    let out = debrief(lib).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `debrief` with `args`, expecting failure, and returns stderr.
fn fails(lib: &std::path::Path, args: &[&str]) -> String {
    let out = debrief(lib).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} succeeded");
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn the_cli_lists_and_manages_the_taxonomy() {
    let d = tempfile::tempdir().unwrap();
    let lib = d.path();
    ok(lib, &["demo"]);
    let json = |lib| -> serde_json::Value { serde_json::from_str(&ok(lib, &["taxonomy", "--json"])).unwrap() };
    let t = json(lib);
    assert!(t["categories"].as_array().unwrap().iter().any(|c| c["name"] == "third-party outage"));
    assert_eq!(t["cause_types"][0]["name"], "Change management");

    let out =
        ok(lib, &["taxonomy", "add", "service", "ledger", "--team", "Money", "--slo", "0.999", "--window-days", "28"]);
    assert!(out.contains("ledger"), "{out}");
    ok(lib, &["taxonomy", "add", "category", "queueing", "--description", "Backlogs"]);
    ok(lib, &["taxonomy", "add", "cause", "Retry amplification"]);
    ok(lib, &["taxonomy", "service", "payments-api", "--team", "Payments", "--slo", "0.9995"]);
    let out = ok(lib, &["taxonomy", "merge", "category", "third-party outage", "dependency failure"]);
    assert!(out.contains("postmortems relabelled"), "{out}");
    ok(lib, &["taxonomy", "rename", "category", "queueing", "queue backlog"]);
    ok(lib, &["taxonomy", "retire", "cause", "Runbook gap"]);
    ok(lib, &["taxonomy", "retire", "service", "ledger"]);
    ok(lib, &["taxonomy", "describe", "category", "Capacity", "  Ran out of headroom  "]);
    ok(lib, &["taxonomy", "describe", "cause", "Runbook gap", "No runbook, or a wrong one"]);
    ok(lib, &["taxonomy", "describe", "service", "payments-api", "Takes the money"]);

    let t = json(lib);
    let named = |list: &str, name: &str| -> serde_json::Value {
        t[list].as_array().unwrap().iter().find(|x| x["name"] == name).cloned().unwrap_or(serde_json::Value::Null)
    };
    assert_eq!(named("services", "ledger")["team"], "Money");
    assert_eq!(named("services", "ledger")["slo_window_days"], 28);
    assert_eq!(named("services", "ledger")["retired"], true);
    assert_eq!(named("services", "payments-api")["team"], "Payments");
    assert_eq!(named("services", "payments-api")["slo_target"], 0.9995);
    assert!(named("categories", "third-party outage").is_null());
    assert_eq!(named("categories", "queue backlog")["description"], "Backlogs");
    assert_eq!(named("cause_types", "Runbook gap")["retired"], true);
    assert_eq!(named("cause_types", "Retry amplification")["retired"], false);
    assert_eq!(named("categories", "capacity")["description"], "Ran out of headroom", "trimmed, found ignoring case");
    assert_eq!(named("cause_types", "Runbook gap")["description"], "No runbook, or a wrong one");
    assert_eq!(named("services", "payments-api")["description"], "Takes the money");
    let search = ok(lib, &["search", r#"category:"third-party outage""#]);
    assert!(search.contains("no postmortems match"), "{search}");

    let text = ok(lib, &["taxonomy"]);
    assert!(text.contains("ledger (retired)  [team Money; SLO 99.9% over 28 days]"), "{text}");
    assert!(text.contains("Runbook gap — No runbook, or a wrong one (retired)"), "{text}");

    let err = fails(lib, &["taxonomy", "rename", "category", "capacity", "network"]);
    assert!(err.contains("[validation]") && err.contains("new_name") && err.contains("merge"), "{err}");
    let err = fails(lib, &["taxonomy", "merge", "category", "capacity", "no such category"]);
    assert!(err.contains("[not_found]") && err.contains("no such category"), "{err}");
    let err = fails(lib, &["taxonomy", "add", "category", "x", "--team", "t"]);
    assert!(err.contains("team"), "{err}");
    let err = fails(lib, &["taxonomy", "service", "ledger", "--slo", "99.9"]);
    assert!(err.contains("slo_target"), "{err}");
    let err = fails(lib, &["taxonomy", "describe", "category", "no such category", "x"]);
    assert!(err.contains("[not_found]") && err.contains("no such category"), "{err}");
    let err = fails(lib, &["taxonomy", "add", "widget", "x"]);
    assert!(err.contains("use category, service or cause"), "{err}");
}

/// A postmortem page left open while a category was merged (or a service and a root-cause
/// type renamed) saves the document it holds, with the old names: they are saved as the new
/// ones, the old entries do not come back, and an unchanged document writes nothing.
#[test]
fn a_document_saved_with_a_merged_or_renamed_name_follows_it_and_does_not_bring_it_back() {
    let (_d, mut lib) = library();
    let id = labelled(&mut lib, "Pool limit lowered", &["misconfiguration", "capacity"], &["api"], &["Process"]);
    let open_page = lib.get(&id).unwrap().postmortem; // what the editor holds
    lib.merge_taxonomy(TaxonomyKind::Category, "misconfiguration", "capacity").unwrap();
    lib.rename_taxonomy(TaxonomyKind::Service, "api", "public-api").unwrap();
    lib.rename_taxonomy(TaxonomyKind::Service, "public-api", "edge-api").unwrap(); // a rename of a rename
    lib.rename_taxonomy(TaxonomyKind::Cause, "Process", "Process gap").unwrap();
    let stored = lib.get(&id).unwrap().postmortem;

    let saved = lib.save(open_page.clone()).unwrap().postmortem;
    assert_eq!(saved.categories, ["capacity"], "merged into capacity, listed once");
    assert_eq!(saved.services, ["edge-api"]);
    assert_eq!(saved.contributing_factors[0].category.as_deref(), Some("Process gap"));
    assert_eq!(saved.updated_at, stored.updated_at, "nothing changed, so nothing was written");
    let t = lib.taxonomy().unwrap();
    assert!(!t.categories.iter().any(|c| c.name == "misconfiguration"), "the merged category stays gone");
    assert!(!t.services.iter().any(|s| s.name == "api" || s.name == "public-api"));

    // An edit made on the open page is kept, under the new names.
    let mut edited = open_page.clone();
    edited.title = "Pool limit lowered by a config push".into();
    let saved = lib.save(edited).unwrap().postmortem;
    assert_eq!(
        (saved.title.as_str(), saved.categories.as_slice()),
        ("Pool limit lowered by a config push", &["capacity".to_string()][..])
    );

    // Adding the old name again makes it a name of its own: no longer followed.
    lib.add_taxonomy(TaxonomyKind::Category, "misconfiguration", "").unwrap();
    let saved = lib.save(open_page).unwrap().postmortem;
    assert_eq!(saved.categories, ["misconfiguration", "capacity"]);
}
