//! Shared fixtures.

use debrief::clock::new_id;
use debrief::model::*;
use debrief::wire::NewPostmortem;
use debrief::Library;
use tempfile::TempDir;

/// A fresh library in a temporary folder (deleted when the `TempDir` drops).
pub fn library() -> (TempDir, Library) {
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = Library::open(dir.path().join("lib")).expect("open library");
    (dir, lib)
}

/// A postmortem with one of everything, stored in `lib`.
pub fn rich_postmortem(lib: &mut Library) -> Postmortem {
    let mut pm = lib
        .create(NewPostmortem {
            title: "Checkout 502s after pool change".into(),
            severity: Severity::Sev2,
            template: None,
            incident_date: Some("2025-03-14".parse().unwrap()),
        })
        .unwrap();
    let at =
        |h: u32, m: u32| chrono::NaiveDate::from_ymd_opt(2025, 3, 14).unwrap().and_hms_opt(h, m, 0).unwrap().and_utc();
    pm.authors = vec!["Priya Raman".into(), "Marcus Chen".into()];
    pm.incident_commander = Some("Sofia Alvarez".into());
    pm.participants = vec![Participant { name: "Dana Okafor".into(), role: "scribe".into() }];
    pm.services = vec!["checkout-web".into(), "payments-api".into()];
    pm.categories = vec!["config change".into()];
    pm.tags = vec!["database".into()];
    pm.users_affected_pct = Some(35.0);
    pm.revenue_impact = Some(12500.0);
    pm.support_tickets = Some(41);
    pm.error_budget_consumed_pct = Some(27.5);
    pm.sections[0].body = "Checkout returned **502** for 35% of requests.".into();
    let ev = |h, m, kind, marker, text: &str| TimelineEvent {
        id: new_id(),
        at: at(h, m),
        approximate: false,
        kind,
        marker,
        text: text.into(),
    };
    pm.timeline = vec![
        ev(14, 0, EventKind::Trigger, Some(Marker::Started), "Pool size config deployed"),
        ev(14, 5, EventKind::Detection, Some(Marker::Detected), "5xx alert fires"),
        ev(14, 7, EventKind::Acknowledgement, Some(Marker::Acknowledged), "On-call acknowledges"),
        ev(14, 22, EventKind::Mitigation, Some(Marker::Mitigated), "Config rolled back"),
        ev(14, 30, EventKind::Resolution, Some(Marker::Resolved), "Error rate at baseline"),
    ];
    pm.timeline[2].approximate = true;
    let s1 = new_id();
    let s2 = new_id();
    pm.whys = vec![WhysChain {
        id: new_id(),
        problem: "Checkout returned 502s".into(),
        steps: vec![
            WhyStep {
                id: s1.clone(),
                parent_id: None,
                question: "Why did checkout return 502s?".into(),
                answer: "The connection pool was exhausted.".into(),
                evidence: vec![pm.timeline[1].id.clone()],
            },
            WhyStep {
                id: s2.clone(),
                parent_id: Some(s1.clone()),
                question: "Why was the pool exhausted?".into(),
                answer: "The new config lowered the pool size.".into(),
                evidence: vec![],
            },
            WhyStep {
                id: new_id(),
                parent_id: Some(s1),
                question: "Why did retries make it worse?".into(),
                answer: "Retries had no backoff.".into(),
                evidence: vec![],
            },
        ],
    }];
    pm.fishbones = vec![Fishbone {
        id: new_id(),
        effect: "Checkout 502s".into(),
        categories: vec![FishboneCategory {
            id: new_id(),
            name: "Configuration".into(),
            causes: vec![FishboneCause {
                id: new_id(),
                text: "Pool size lowered".into(),
                children: vec![FishboneCause { id: new_id(), text: "No validation".into(), children: vec![] }],
            }],
        }],
    }];
    let factor = new_id();
    pm.contributing_factors = vec![ContributingFactor {
        id: factor.clone(),
        text: "Config changes skip canary".into(),
        category: Some("Process".into()),
        source_step_id: Some(s2.clone()),
        source_cause_id: None,
    }];
    pm.action_items = vec![ActionItem {
        id: new_id(),
        title: "Validate pool config in CI".into(),
        description: "Reject pool sizes below peak concurrency.".into(),
        owner: Some("Marcus Chen".into()),
        due_date: Some("2025-04-01".parse().unwrap()),
        priority: Priority::P1,
        kind: ActionKind::Prevent,
        status: ActionStatus::Open,
        wont_do_reason: None,
        tracker_url: Some("https://tracker.example.com/REL-1".into()),
        created_at: at(16, 0),
        completed_at: None,
        source_step_id: Some(s2),
        source_factor_id: Some(factor),
    }];
    lib.save(pm).unwrap().postmortem
}

/// Runs the `debrief` binary on the library folder `lib`: whether it succeeded, its stdout and
/// its stderr.
pub fn run_cli(lib: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = assert_cmd::Command::cargo_bin("debrief").unwrap().arg("--library").arg(lib).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
