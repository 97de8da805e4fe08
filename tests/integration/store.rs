//! Saving, revisions, listing with filters, deleting: through `Library` on real SQLite.

use crate::helpers::{library, rich_postmortem};
use debrief::library::NewPostmortem;
use debrief::model::*;
use debrief::store::postmortems::ListFilter;

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
    assert_eq!(view.revisions, before + 1);
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
    let sev2 = lib.list(&ListFilter { severity: Some(Severity::Sev2), ..Default::default() }).unwrap();
    assert_eq!(sev2.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), vec![rich.id.as_str()]);
    let by_service = lib.list(&ListFilter { service: Some("payments-api".into()), ..Default::default() }).unwrap();
    assert_eq!(by_service.len(), 1);
    assert_eq!(by_service[0].services, vec!["checkout-web", "payments-api"]);
    let by_cat = lib.list(&ListFilter { category: Some("Config Change".into()), ..Default::default() }).unwrap();
    assert_eq!(by_cat.len(), 1, "category names match case-insensitively");
    let finals = lib.list(&ListFilter { status: Some(ReviewStatus::Final), ..Default::default() }).unwrap();
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
