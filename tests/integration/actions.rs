//! Action items across the library: the board and its filters, overdue against an injected
//! "today", bulk status changes, quick edits, follow-through metrics on hand-built fixtures
//! with known answers, nudges, CSV round trips and bad CSV rows, and `debrief actions`.

use assert_cmd::Command;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use debrief::clock::new_id;
use debrief::model::*;
use debrief::review::nudges::action_nudges;
use debrief::wire::ActionFilter;
use debrief::wire::NewPostmortem;
use debrief::Library;

use crate::helpers::library;

/// The injected "today" of these fixtures.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
}

/// Noon, `days` before [`today`].
fn days_ago(days: i64) -> DateTime<Utc> {
    (today() - Duration::days(days)).and_hms_opt(12, 0, 0).unwrap().and_utc()
}

struct Item {
    title: &'static str,
    owner: Option<&'static str>,
    created: i64,
    done: Option<i64>,
    status: ActionStatus,
    due: Option<i64>,
    kind: ActionKind,
}

fn item(title: &'static str, owner: Option<&'static str>, created: i64, status: ActionStatus) -> Item {
    Item { title, owner, created, done: None, status, due: None, kind: ActionKind::Prevent }
}

fn postmortem(lib: &mut Library, title: &str, date_days_ago: i64, category: &str, items: Vec<Item>) -> Postmortem {
    let mut pm = lib
        .create(NewPostmortem {
            title: title.into(),
            severity: Severity::Sev2,
            template: None,
            incident_date: Some(today() - Duration::days(date_days_ago)),
        })
        .unwrap();
    pm.categories = vec![category.into()];
    pm.services = vec!["payments-api".into()];
    pm.action_items = items
        .into_iter()
        .map(|i| ActionItem {
            id: new_id(),
            title: i.title.into(),
            description: String::new(),
            owner: i.owner.map(str::to_string),
            due_date: i.due.map(|d| today() - Duration::days(d)),
            priority: Priority::P2,
            kind: i.kind,
            status: i.status,
            wont_do_reason: (i.status == ActionStatus::WontDo).then(|| "superseded by the platform migration".into()),
            tracker_url: None,
            created_at: days_ago(i.created),
            completed_at: i.done.map(days_ago),
            source_step_id: None,
            source_factor_id: None,
        })
        .collect();
    lib.save(pm).unwrap().postmortem
}

/// Seven items whose follow-through is worked out by hand in the test below.
fn fixture(lib: &mut Library) -> (Postmortem, Postmortem, Postmortem) {
    use ActionStatus::*;
    let first = postmortem(
        lib,
        "Deploy broke checkout",
        70,
        "deployment",
        vec![
            // A: 20 days to done, eligible, on time.
            Item { done: Some(40), ..item("Canary for config changes", Some("Alice Ng"), 60, Done) },
            // B: 40 days to done, eligible, late.
            Item { done: Some(20), ..item("Pool size lint", Some("Bob Stone"), 60, Done) },
            // C: 31 days old, open, due 5 days ago: eligible, not done, overdue.
            Item { due: Some(5), ..item("Runbook for pool exhaustion", Some("Alice Ng"), 31, Open) },
            // D: exactly 30 days old: not yet counted, though done the next day.
            Item { done: Some(29), kind: ActionKind::Detect, ..item("Alert on pool saturation", None, 30, Done) },
        ],
    );
    let second = postmortem(
        lib,
        "Deploy broke search",
        20,
        "deployment",
        vec![
            // E: done exactly 30 days after creation: on time.
            Item { done: Some(15), ..item("Rollback button", Some("Bob Stone"), 45, Done) },
            // F: new, open, due yesterday: overdue but not eligible.
            Item { due: Some(1), ..item("Dashboards for search", Some("Alice Ng"), 10, InProgress) },
        ],
    );
    let third = postmortem(
        lib,
        "Switch firmware bug",
        80,
        "network",
        vec![
            // G: won't do, eligible, not done.
            item("Replace switches", Some("Chen Wu"), 50, WontDo),
            Item { done: Some(60), ..item("Pin firmware", Some("Chen Wu"), 75, Done) },
        ],
    );
    (first, second, third)
}

#[test]
fn follow_through_matches_the_hand_worked_answers() {
    let (_dir, mut lib) = library();
    fixture(&mut lib);
    let m = lib.follow_through(today()).unwrap();
    assert_eq!(m.items, 8);
    // Eligible: A, B, C, E, G, and "Pin firmware" (75 days, done in 15): 6. On time: A, E, Pin.
    assert_eq!((m.eligible, m.done_within_30_days), (6, 3));
    assert_eq!(m.completion_rate, Some(0.5));
    // Days to done: D 1, Pin 15, A 20, E 30, B 40 -> median 20.
    assert_eq!(m.median_days_to_done, Some(20.0));
    assert_eq!((m.open, m.overdue), (2, 2));
    let alice = m.by_owner.iter().find(|o| o.owner.as_deref() == Some("Alice Ng")).unwrap();
    assert_eq!((alice.open, alice.overdue), (2, 2));
    assert_eq!(m.by_owner[0].owner.as_deref(), Some("Alice Ng"), "most overdue first");

    // Deployment: prevention last done 15 days ago (E); "Deploy broke search" started 20 days
    // ago, before it, so no recurrence yet. Network: done 60 days ago, no incident since.
    let deployment = m.categories.iter().find(|c| c.category == "deployment").unwrap();
    assert_eq!((deployment.incidents, deployment.prevent_items, deployment.prevent_done), (2, 5, 3));
    assert_eq!(deployment.prevention_done_at, Some(days_ago(15)));
    assert_eq!((deployment.incidents_after, deployment.recurred), (0, false));

    // A later deployment incident is a recurrence.
    postmortem(&mut lib, "Deploy broke login", 3, "deployment", vec![]);
    let m = lib.follow_through(today()).unwrap();
    let deployment = m.categories.iter().find(|c| c.category == "deployment").unwrap();
    assert_eq!((deployment.incidents_after, deployment.recurred), (1, true));
    assert_eq!(m.categories[0].category, "deployment", "recurrences first");
    let network = m.categories.iter().find(|c| c.category == "network").unwrap();
    assert!(!network.recurred);
}

#[test]
fn the_thirty_day_boundary_counts_from_the_injected_today() {
    let (_dir, mut lib) = library();
    fixture(&mut lib);
    // One day later, D (created 30 days before the old today) becomes eligible and on time.
    let m = lib.follow_through(today() + Duration::days(1)).unwrap();
    assert_eq!((m.eligible, m.done_within_30_days), (7, 4));
}

#[test]
fn overdue_follows_the_injected_today_and_filters_narrow_the_board() {
    let (_dir, mut lib) = library();
    fixture(&mut lib);
    let overdue = |lib: &Library, day: NaiveDate| {
        let rows = lib.actions(&ActionFilter { overdue: true, ..Default::default() }, day).unwrap();
        rows.into_iter().map(|r| r.item.title).collect::<Vec<_>>()
    };
    assert_eq!(overdue(&lib, today()), vec!["Runbook for pool exhaustion", "Dashboards for search"]);
    assert_eq!(overdue(&lib, today() - Duration::days(3)), vec!["Runbook for pool exhaustion"]);
    assert!(overdue(&lib, today() - Duration::days(10)).is_empty());

    let by = |filter: ActionFilter| lib.actions(&filter, today()).unwrap().len();
    assert_eq!(by(ActionFilter::default()), 8);
    assert_eq!(by(ActionFilter { owner: Some("alice".into()), ..Default::default() }), 3, "first name, any case");
    assert_eq!(by(ActionFilter { owner: Some("Alice Ng".into()), ..Default::default() }), 3);
    assert_eq!(by(ActionFilter { status: Some(ActionStatus::Done), ..Default::default() }), 5);
    assert_eq!(by(ActionFilter { open_only: true, ..Default::default() }), 2);
    assert_eq!(by(ActionFilter { kind: Some(ActionKind::Detect), ..Default::default() }), 1);
    assert_eq!(by(ActionFilter { service: Some("PAYMENTS-API".into()), ..Default::default() }), 8);
    assert_eq!(by(ActionFilter { service: Some("search".into()), ..Default::default() }), 0);
    let rows = lib.actions(&ActionFilter::default(), today()).unwrap();
    let page =
        lib.actions_page(&ActionFilter { limit: Some(3), offset: Some(2), ..Default::default() }, today()).unwrap();
    assert_eq!(page.total, 8, "the total counts every match, not the page");
    assert_eq!(page.rows, rows[2..5].to_vec(), "a page is a slice of the same order");
    let runbook = rows.iter().find(|r| r.item.title == "Runbook for pool exhaustion").unwrap();
    assert_eq!((runbook.days_open, runbook.overdue), (31, true));
    assert_eq!(runbook.postmortem_title, "Deploy broke checkout");
    let a = rows.iter().find(|r| r.item.title == "Canary for config changes").unwrap();
    assert_eq!(a.days_open, 20, "done items count days to completion");
}

#[test]
fn bulk_status_changes_are_all_or_nothing_and_quick_edits_save() {
    let (_dir, mut lib) = library();
    let (first, second, _) = fixture(&mut lib);
    let ids = vec![first.action_items[2].id.clone(), second.action_items[1].id.clone()];
    let (open, overdue) = lib.action_counts(today()).unwrap();
    assert_eq!((open, overdue), (2, 2));

    // An unknown id refuses the whole change.
    let err = lib.set_action_status(&[ids[0].clone(), new_id()], ActionStatus::Done, None).unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(lib.action_counts(today()).unwrap(), (2, 2));
    // Won't do needs a reason.
    assert_eq!(lib.set_action_status(&ids, ActionStatus::WontDo, Some(" ")).unwrap_err().code(), "validation");

    assert_eq!(lib.set_action_status(&ids, ActionStatus::Done, None).unwrap(), 2);
    assert_eq!(lib.action_counts(today()).unwrap(), (0, 0));
    let reloaded = lib.get(&first.id).unwrap().postmortem;
    assert!(reloaded.action_items[2].completed_at.is_some(), "completion time stamped");
    assert_eq!(lib.get(&first.id).unwrap().revisions, 2, "the change kept a revision");

    let mut item = reloaded.action_items[0].clone();
    item.owner = Some("Dana Okafor".into());
    item.tracker_url = Some("https://tracker.example.com/REL-9".into());
    let row = lib.update_action(item.clone(), today()).unwrap();
    assert_eq!(row.item.owner.as_deref(), Some("Dana Okafor"));
    item.tracker_url = Some("tracker/REL-9".into());
    let err = lib.update_action(item, today()).unwrap_err();
    assert!(err.to_string().contains("tracker_url"), "{err}");
}

#[test]
fn nudges_ask_for_an_owner_a_date_a_person_and_a_systemic_fix() {
    let (_dir, mut lib) = library();
    let mut pm = postmortem(&mut lib, "Nudged", 5, "deployment", vec![]);
    let kinds = |pm: &Postmortem| action_nudges(pm).into_iter().map(|n| (n.field, n.kind)).collect::<Vec<_>>();
    assert_eq!(kinds(&pm), vec![("action_items".to_string(), "no_items".to_string())]);

    let mut base = ActionItem {
        id: new_id(),
        title: "Engineers should be more careful when editing pool sizes".into(),
        description: String::new(),
        owner: Some("Platform team".into()),
        due_date: None,
        priority: Priority::P2,
        kind: ActionKind::Prevent,
        status: ActionStatus::Open,
        wont_do_reason: None,
        tracker_url: None,
        created_at: days_ago(1),
        completed_at: None,
        source_step_id: None,
        source_factor_id: None,
    };
    pm.action_items.push(base.clone());
    let found = kinds(&pm);
    for expected in ["team_owner", "no_due_date", "not_systemic"] {
        assert!(found.iter().any(|(f, k)| k == expected && f.starts_with("action_items[0]")), "{expected}: {found:?}");
    }
    base.title = "Validate pool sizes in CI".into();
    base.owner = Some("Priya Raman".into());
    base.due_date = Some(today());
    pm.action_items = (0..6).map(|_| ActionItem { id: new_id(), ..base.clone() }).collect();
    assert_eq!(kinds(&pm), vec![("action_items".to_string(), "too_many_items".to_string())]);
    pm.action_items.truncate(5);
    assert!(kinds(&pm).is_empty());
}

#[test]
fn csv_round_trips_with_ids_and_reports_every_bad_row_by_line() {
    let (_dir, mut lib) = library();
    let (first, _, _) = fixture(&mut lib);
    let all = ActionFilter::default();
    let csv = lib.export_actions_csv(&all, today()).unwrap();
    assert_eq!(csv.lines().count(), 9, "header and 8 items");

    // Same file back: nothing changes.
    let report = lib.import_actions_csv(&csv, "items.csv").unwrap();
    assert_eq!((report.created, report.updated, report.unchanged), (0, 0, 8));

    // Remove the first postmortem's items, import: they come back with the same ids.
    let mut pm = lib.get(&first.id).unwrap().postmortem;
    let before = pm.action_items.clone();
    pm.action_items.clear();
    lib.save(pm).unwrap();
    let report = lib.import_actions_csv(&csv, "items.csv").unwrap();
    assert_eq!((report.created, report.updated, report.unchanged), (4, 0, 4));
    assert_eq!(lib.get(&first.id).unwrap().postmortem.action_items, before);
    assert_eq!(lib.export_actions_csv(&all, today()).unwrap(), csv, "export, import, export is stable");

    // A row edited in a spreadsheet updates its item.
    let edited = csv.replacen("Runbook for pool exhaustion", "Runbook for pool exhaustion (v2)", 1);
    assert_eq!(lib.import_actions_csv(&edited, "items.csv").unwrap().updated, 1);

    // Bad rows: every problem is named by line and column, rows are counted as rows (line 3
    // has two problems), and nothing is imported.
    let bad = format!(
        "postmortem_id,title,priority,due_date,status\n\
         {id},Fine row,P1,2026-07-01,open\n\
         {id},Bad priority and status,P9,2026-07-01,finished\n\
         {id},,P1,2026-07-01,open\n\
         {id},Bad date,P1,01/07/2026,open\n\
         {id},Bad status,P1,2026-07-01,finished\n",
        id = first.id
    );
    let count = lib.actions(&all, today()).unwrap().len();
    let err = lib.import_actions_csv(&bad, "bad.csv").unwrap_err().to_string();
    assert!(err.starts_with("bad.csv: 4 rows refused (5 problems); nothing was imported:\n"), "{err}");
    for expected in [
        "bad.csv:3: priority: \"P9\"",
        "bad.csv:3: status: \"finished\"",
        "bad.csv:4: title: missing",
        "bad.csv:5: due_date",
        "bad.csv:6: status",
    ] {
        assert!(err.contains(expected), "{expected} missing from: {err}");
    }
    assert!(!err.contains("bad.csv:2"), "{err}");
    assert_eq!(lib.actions(&all, today()).unwrap().len(), count, "nothing imported");

    let unknown = "postmortem_id,title\n00000000-0000-4000-8000-000000000000,Orphan\n";
    let err = lib.import_actions_csv(unknown, "orphan.csv").unwrap_err().to_string();
    assert!(err.contains("orphan.csv:2") && err.contains("no postmortem"), "{err}");
    let err = lib.import_actions_csv("title\nx\n", "nohead.csv").unwrap_err().to_string();
    assert!(err.contains("nohead.csv:1") && err.contains("postmortem_id"), "{err}");
}

#[test]
fn the_cli_lists_filters_exports_and_imports_items() {
    let (dir, mut lib) = library();
    fixture(&mut lib);
    drop(lib);
    let library_dir = dir.path().join("lib");
    let run = |args: &[&str]| {
        let mut cmd = Command::cargo_bin("debrief").unwrap();
        cmd.args(["--library", library_dir.to_str().unwrap()]).args(args);
        cmd.assert()
    };
    let out = run(&["actions", "--overdue", "--today", "2026-06-30", "--json"]).success();
    let rows: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert_eq!(rows[0]["item"]["title"], "Runbook for pool exhaustion");
    assert_eq!(rows[0]["overdue"], true);

    let out = run(&["actions", "--owner", "bob", "--today", "2026-06-30"]).success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("Pool size lint") && text.contains("Rollback button") && !text.contains("Runbook"), "{text}");

    let out = run(&["actions", "--metrics", "--today", "2026-06-30", "--json"]).success();
    let m: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(m["completion_rate"], 0.5);

    let csv = dir.path().join("items.csv");
    run(&["actions", "--csv", csv.to_str().unwrap()]).success();
    let out = run(&["import", csv.to_str().unwrap()]).success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("0 created, 0 updated, 8 unchanged"), "{text}");
    run(&["actions", "--status", "finished"]).failure();
}
