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
        .create(debrief::library::NewPostmortem {
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
