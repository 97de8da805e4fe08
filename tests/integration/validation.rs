//! Validation errors name the field, and a rejected save changes nothing.

use crate::helpers::{library, rich_postmortem};
use debrief::clock::new_id;
use debrief::model::*;
use debrief::wire::NewPostmortem;

fn field_of(err: debrief::Error) -> String {
    match err {
        debrief::Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn an_empty_title_is_refused_on_create_and_save() {
    let (_d, mut lib) = library();
    let err = lib
        .create(NewPostmortem { title: "   ".into(), severity: Severity::Sev3, template: None, incident_date: None })
        .unwrap_err();
    assert_eq!(err.code(), "validation");
    assert_eq!(field_of(err), "title");
    let mut pm = rich_postmortem(&mut lib);
    pm.title = String::new();
    assert_eq!(field_of(lib.save(pm).unwrap_err()), "title");
}

#[test]
fn resolved_before_started_names_the_event() {
    let (_d, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    let started = pm.timeline[0].at;
    pm.timeline[4].at = started - chrono::Duration::minutes(10);
    let err = lib.save(pm.clone()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("timeline[4].at"), "{msg}");
    assert!(msg.contains("resolved"), "{msg}");
    // The stored document is unchanged.
    assert_eq!(lib.get(&pm.id).unwrap().postmortem.timeline[4].text, "Error rate at baseline");
}

#[test]
fn a_marker_used_twice_is_refused() {
    let (_d, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    pm.timeline[3].marker = Some(Marker::Detected);
    assert_eq!(field_of(lib.save(pm).unwrap_err()), "timeline[3].marker");
}

#[test]
fn out_of_range_impact_numbers_are_refused() {
    let (_d, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    pm.users_affected_pct = Some(140.0);
    assert_eq!(field_of(lib.save(pm.clone()).unwrap_err()), "users_affected_pct");
    pm.users_affected_pct = Some(10.0);
    pm.support_tickets = Some(-1);
    assert_eq!(field_of(lib.save(pm).unwrap_err()), "support_tickets");
}

#[test]
fn an_unknown_template_names_the_template_field() {
    let (_d, mut lib) = library();
    let err = lib
        .create(NewPostmortem {
            title: "x".into(),
            severity: Severity::Sev1,
            template: Some("No such template".into()),
            incident_date: None,
        })
        .unwrap_err();
    assert!(err.to_string().contains("No such template"));
    assert_eq!(field_of(err), "template");
}

#[test]
fn a_whys_step_pointing_outside_its_chain_is_refused() {
    let (_d, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    pm.whys[0].steps[1].parent_id = Some(new_id());
    assert_eq!(field_of(lib.save(pm).unwrap_err()), "whys[0].steps[1].parent_id");
}

#[test]
fn duplicate_child_ids_are_refused() {
    let (_d, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    pm.action_items[0].id = pm.timeline[0].id.clone();
    assert_eq!(field_of(lib.save(pm).unwrap_err()), "action_items[0].id");
}

#[test]
fn a_future_incident_date_is_refused() {
    let (_d, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    pm.incident_date = debrief::clock::today() + chrono::Duration::days(30);
    assert_eq!(field_of(lib.save(pm).unwrap_err()), "incident_date");
}

#[test]
fn unknown_severity_in_a_file_names_the_file_line_and_field() {
    let (d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let doc = lib.export_document(&[pm.id]).unwrap();
    let text = doc.to_json().replace("\"SEV2\"", "\"SEV9\"");
    let file = d.path().join("bad.json");
    std::fs::write(&file, text).unwrap();
    let err = lib.import_json_file(&file).unwrap_err();
    let msg = err.to_string();
    assert_eq!(err.code(), "parse");
    assert!(msg.contains("bad.json:"), "{msg}");
    assert!(msg.contains("SEV9"), "{msg}");
}

/// Found by `never_panics`: a title starting with a NUL passed validation but SQLite's CHECK
/// (which reads text up to the NUL) refused it as empty, a database error instead of the field.
#[test]
fn a_title_holding_a_nul_character_is_refused_naming_the_field() {
    let (_d, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    pm.action_items[0].title = "\0Validate pool config".into();
    assert_eq!(field_of(lib.save(pm.clone()).unwrap_err()), "action_items[0].title");
    pm.action_items[0].title = "Validate pool config".into();
    pm.title = "\0Checkout".into();
    assert_eq!(field_of(lib.save(pm).unwrap_err()), "title");
}

/// An import checks its postmortems on every core, a thousand at a time: the error names the
/// first invalid one in the document's order (not the first a thread happened to find), and
/// nothing is imported.
#[test]
fn an_import_names_its_first_invalid_postmortem_and_imports_nothing() {
    let (_d, mut lib) = library();
    let model = rich_postmortem(&mut lib);
    let before = lib.list(&Default::default()).unwrap().len();
    // The invalid ones, and the one named: in a later part of a chunk (a second thread's, on
    // two cores), and before another thread's in the same chunk.
    for (invalid, first) in [(vec![2300, 1700], 1700), (vec![2300, 1900, 1200], 1200)] {
        let mut postmortems: Vec<Postmortem> =
            (0..2500).map(|i| Postmortem { id: new_id(), title: format!("Copy {i}"), ..model.clone() }).collect();
        for i in invalid {
            postmortems[i].title = String::new();
        }
        let doc = debrief::exchange::json::LibraryDocument::of(postmortems);
        let err = lib.import_document(&doc, "many.json").unwrap_err().to_string();
        assert!(err.starts_with(&format!("many.json: postmortems[{first}] (\"\")")), "{err}");
        assert!(err.contains("title"), "{err}");
        assert_eq!(lib.list(&Default::default()).unwrap().len(), before, "nothing imported");
    }
}
