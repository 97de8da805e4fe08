//! The sample library loads, is rich enough for every screen, and loads idempotently.

use std::collections::HashSet;

use crate::helpers::library;
use debrief::model::*;
use debrief::wire::ListFilter;

#[test]
fn the_sample_library_has_forty_varied_postmortems() {
    let (_d, mut lib) = library();
    let report = lib.load_sample().unwrap();
    assert!(report.created >= 40, "{report:?}");
    let rows = lib.list(&ListFilter::default()).unwrap();
    assert_eq!(rows.len(), report.created);
    let sevs: HashSet<_> = rows.iter().map(|r| r.severity).collect();
    assert_eq!(sevs.len(), 4, "all four severities");
    let services: HashSet<_> = rows.iter().flat_map(|r| r.services.clone()).collect();
    let categories: HashSet<_> = rows.iter().flat_map(|r| r.categories.clone()).collect();
    assert!(services.len() >= 8 && categories.len() >= 8, "{services:?} {categories:?}");
    assert!(rows.iter().any(|r| r.near_miss));
    // Twelve months of history ending shortly before today.
    let today = debrief::clock::today();
    let newest = rows.iter().map(|r| r.incident_date).max().unwrap();
    let oldest = rows.iter().map(|r| r.incident_date).min().unwrap();
    assert!((today - newest).num_days() >= 7 && (today - newest).num_days() <= 21);
    assert!((newest - oldest).num_days() >= 300);
    // Some items are overdue today; every status appears.
    assert!(rows.iter().map(|r| r.action_items_overdue).sum::<i64>() >= 5);
    let mut statuses = HashSet::new();
    let (mut chains, mut fishbones) = (0, 0);
    for r in &rows {
        let pm = lib.get(&r.id).unwrap().postmortem;
        statuses.extend(pm.action_items.iter().map(|a| a.status));
        chains += pm.whys.len();
        fishbones += pm.fishbones.len();
        if !pm.near_miss {
            assert!(pm.timeline.len() >= 5, "{} has a thin timeline", pm.title);
        }
    }
    assert_eq!(statuses.len(), 4, "{statuses:?}");
    assert!(chains >= 10 && fishbones >= 5, "chains {chains}, fishbones {fishbones}");
    assert!(lib.check().unwrap().problems.is_empty());
}

#[test]
fn loading_the_sample_twice_adds_nothing_and_keeps_edits() {
    let (_d, mut lib) = library();
    lib.load_sample().unwrap();
    let id = lib.list(&ListFilter::default()).unwrap()[0].id.clone();
    let mut pm = lib.get(&id).unwrap().postmortem;
    pm.title = "Edited by the user".into();
    lib.save(pm).unwrap();
    let count = lib.count().unwrap();
    let again = lib.load_sample().unwrap();
    assert_eq!(again.created, 0);
    assert_eq!(again.unchanged as i64, count);
    assert_eq!(lib.get(&id).unwrap().postmortem.title, "Edited by the user");
    assert_eq!(lib.status().unwrap().postmortems, count);
    assert!(lib.status().unwrap().overdue_action_items >= 5);
    let _ = Severity::ALL;
}
