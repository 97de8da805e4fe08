//! The review workflow and the postmortem-required criteria through `Library`.

use crate::helpers::{library, rich_postmortem};
use debrief::model::*;

#[test]
fn status_changes_are_guarded_and_recorded_with_who_and_when() {
    let (_d, mut lib) = library();
    lib.set_setting("user_name", &serde_json::json!("Sofia Alvarez")).unwrap();
    let mut pm = rich_postmortem(&mut lib);
    pm.status = ReviewStatus::InReview;
    let err = lib.save(pm.clone()).unwrap_err();
    assert!(err.to_string().starts_with("status: name at least one reviewer"), "{err}");
    assert_eq!(lib.get(&pm.id).unwrap().postmortem.status, ReviewStatus::Draft, "nothing was saved");

    pm.reviewers = vec!["Marcus Chen".into()];
    let saved = lib.save(pm.clone()).unwrap().postmortem;
    assert_eq!(saved.status, ReviewStatus::InReview);
    assert_eq!(saved.status_history.len(), 1);
    assert_eq!(saved.status_history[0].by, "Sofia Alvarez");
    assert_eq!(saved.status_history[0].from, ReviewStatus::Draft);

    let mut fin = saved.clone();
    fin.status = ReviewStatus::Final;
    let err = lib.save(fin.clone()).unwrap_err().to_string();
    assert!(err.contains("Final needs the required sections written") && err.contains("Impact"), "{err}");
    for s in &mut fin.sections {
        if s.body.trim().is_empty() || s.key == "timeline" {
            s.body = format!("{} written.", s.heading);
        }
    }
    let done = lib.save(fin).unwrap().postmortem;
    assert_eq!(done.status, ReviewStatus::Final);
    assert_eq!(done.status_history.len(), 2);
    // A client cannot rewrite the history.
    let mut forged = done.clone();
    forged.status_history.clear();
    forged.title = "Retitled".into();
    assert_eq!(lib.save(forged).unwrap().postmortem.status_history.len(), 2);
}

#[test]
fn the_view_says_why_a_postmortem_is_required_and_the_list_flags_late_drafts() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let view = lib.get(&pm.id).unwrap();
    let r = &view.requirement;
    assert!(r.required);
    assert!(r.reasons.iter().any(|x| x == "SEV2 incident"), "{:?}", r.reasons);
    assert!(r.reasons.iter().any(|x| x.contains("27.5% of the error budget")), "{:?}", r.reasons);
    let resolved = pm.timeline.iter().find(|e| e.marker == Some(Marker::Resolved)).unwrap().at;
    assert_eq!(r.draft_due, Some(resolved + chrono::Duration::hours(48)));
    assert!(r.draft_overdue, "resolved in 2025 and still a draft");
    assert!(lib.list(&Default::default()).unwrap()[0].draft_overdue);

    // A second incident of the same category within 90 days is recurring.
    let mut second = lib
        .create(debrief::wire::NewPostmortem {
            title: "Pool config again".into(),
            severity: Severity::Sev4,
            template: None,
            incident_date: Some("2025-04-20".parse().unwrap()),
        })
        .unwrap();
    second.categories = vec!["config change".into()];
    lib.save(second.clone()).unwrap();
    let reasons = lib.get(&second.id).unwrap().requirement.reasons;
    assert_eq!(reasons, vec!["recurring: same category within 90 days".to_string()]);
    assert!(!lib.get(&second.id).unwrap().requirement.draft_overdue, "no resolved marker, no deadline");
}

#[test]
fn user_templates_can_be_copied_edited_and_deleted_but_built_ins_are_kept() {
    let (_d, mut lib) = library();
    let names: Vec<String> = lib.templates().unwrap().into_iter().map(|t| t.name).collect();
    for n in ["Standard blameless", "Google SRE style", "Near miss", "Security incident", "Light (SEV3/SEV4)"] {
        assert!(names.contains(&n.to_string()), "{names:?}");
    }
    let sre = lib.templates().unwrap().into_iter().find(|t| t.name == "Google SRE style").unwrap();
    assert!(sre.sections.iter().any(|s| s.key == "where_we_got_lucky"));

    let mut copy = lib.copy_template("Google SRE style", "Payments team").unwrap();
    assert!(!copy.builtin);
    copy.sections.retain(|s| s.key != "trigger");
    copy.sections[0].guidance = "Two sentences, for the payments leads.".into();
    lib.save_template(copy).unwrap();
    let stored = lib.templates().unwrap().into_iter().find(|t| t.name == "Payments team").unwrap();
    assert!(!stored.sections.iter().any(|s| s.key == "trigger"));
    assert_eq!(stored.sections[0].guidance, "Two sentences, for the payments leads.");

    let pm = lib
        .create(debrief::wire::NewPostmortem {
            title: "From a user template".into(),
            severity: Severity::Sev2,
            template: Some("Payments team".into()),
            incident_date: None,
        })
        .unwrap();
    assert_eq!(pm.sections.len(), stored.sections.len());

    let mut edited_builtin = sre.clone();
    edited_builtin.sections.pop();
    assert_eq!(lib.save_template(edited_builtin).unwrap_err().code(), "validation");
    assert_eq!(lib.delete_template("Standard blameless").unwrap_err().code(), "validation");
    let mut dup = stored.clone();
    dup.sections.push(dup.sections[0].clone());
    assert!(lib.save_template(dup).unwrap_err().to_string().contains("is used twice"));
    lib.delete_template("Payments team").unwrap();
    assert!(lib.get(&pm.id).is_ok(), "postmortems keep their sections");
    assert_eq!(lib.delete_template("Payments team").unwrap_err().code(), "not_found");
}

#[test]
fn imported_timeline_events_are_added_in_time_order_and_durations_follow() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let events = debrief::exchange::timeline::parse_lines(
        "15:10 CET Status page updated\n~15:12 Rollback decided",
        Some("2025-03-14".parse().unwrap()),
        "CET",
    )
    .unwrap();
    let view = lib.add_timeline_events(&pm.id, &events).unwrap();
    let tl = &view.postmortem.timeline;
    assert_eq!(tl.len(), pm.timeline.len() + 2);
    assert!(tl.windows(2).all(|w| w[0].at <= w[1].at));
    let added = tl.iter().find(|e| e.text == "Rollback decided").unwrap();
    assert!(added.approximate);
    assert_eq!(added.at.to_rfc3339(), "2025-03-14T14:12:00+00:00");
    assert_eq!(view.durations.time_to_detect_min, Some(5), "markers untouched");
    assert_eq!(view.revisions, 2);
}

#[test]
fn a_slack_import_sets_the_missing_key_markers_so_durations_appear() {
    let (_d, mut lib) = library();
    let pm = lib
        .create(debrief::wire::NewPostmortem {
            title: "Payments 5xx after pool change".into(),
            severity: Severity::Sev2,
            template: None,
            incident_date: Some("2026-10-12".parse().unwrap()),
        })
        .unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/slack/2026-10-12.json");
    let content = std::fs::read_to_string(path).unwrap();
    let events = debrief::exchange::timeline::parse_slack(&[("2026-10-12.json".into(), content)]).unwrap();
    assert_eq!(events.len(), 6, "the channel-join message is not an event");
    let view = lib.add_timeline_events(&pm.id, &events).unwrap();
    let d = &view.durations;
    assert_eq!(d.time_to_detect_min, Some(6), "{d:?}");
    assert_eq!(d.time_to_acknowledge_min, Some(3));
    assert_eq!(d.time_to_resolve_min, Some(25));
    assert_eq!(d.impact_duration_min, Some(31));
    // Markers set by hand are never moved by a later import.
    let again = lib.add_timeline_events(&pm.id, &events).unwrap();
    let detected = again.postmortem.timeline.iter().filter(|e| e.marker == Some(Marker::Detected)).count();
    assert_eq!(detected, 1);
    assert_eq!(again.durations, view.durations);
}
