//! Prevention ROI and error budgets end to end: hand-built libraries, saved inputs, the
//! `debrief roi` command.

use assert_cmd::Command;
use chrono::{Duration, NaiveDate};
use debrief::clock::new_id;
use debrief::model::*;
use debrief::wire::{BudgetStatus, NewPostmortem, RoiInputs, RoiOverrides};
use debrief::{Error, Library};

use crate::helpers::library;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Stores an incident of `category` on `service` on `date`, started at 10:00 and resolved
/// `minutes` later (no resolution when `None`), with `users` percent of users affected.
fn incident(
    lib: &mut Library,
    category: &str,
    service: &str,
    date: &str,
    minutes: Option<i64>,
    users: Option<f64>,
) -> String {
    let date = d(date);
    let mut pm = lib
        .create(NewPostmortem {
            title: format!("{category} on {date}"),
            severity: Severity::Sev2,
            template: None,
            incident_date: Some(date),
        })
        .unwrap();
    let start = date.and_hms_opt(10, 0, 0).unwrap().and_utc();
    let ev = |at, kind, marker| TimelineEvent { id: new_id(), at, approximate: false, kind, marker, text: "x".into() };
    pm.timeline = vec![ev(start, EventKind::Trigger, Some(Marker::Started))];
    if let Some(m) = minutes {
        pm.timeline.push(ev(start + Duration::minutes(m), EventKind::Resolution, Some(Marker::Resolved)));
    }
    pm.categories = vec![category.into()];
    pm.services = vec![service.into()];
    pm.users_affected_pct = users;
    let id = pm.id.clone();
    lib.save(pm).unwrap();
    id
}

/// PRODUCT.md's worked example in the 90 days ending 2026-03-31, plus one incident the day
/// before the window and one of another category.
fn worked_example(lib: &mut Library) {
    incident(lib, "capacity", "api", "2026-01-10", Some(72), Some(15.0));
    incident(lib, "capacity", "api", "2026-02-10", Some(48), Some(20.0));
    incident(lib, "capacity", "api", "2026-03-10", Some(120), Some(10.0));
    incident(lib, "capacity", "api", "2025-12-31", Some(600), Some(100.0));
    incident(lib, "config change", "api", "2026-03-01", Some(30), None);
}

fn debrief(lib: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("debrief").unwrap();
    c.arg("--library").arg(lib);
    c
}

fn roi_json(lib: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = debrief(lib).args(["roi", "--to", "2026-03-31", "--json"]).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn close(v: &serde_json::Value, want: f64, precision: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"));
    assert!((got - want).abs() < precision, "{got} is not {want}");
}

#[test]
fn the_worked_example_end_to_end_through_the_cli() {
    let (dir, mut lib) = library();
    worked_example(&mut lib);
    let path = lib.dir().to_path_buf();
    drop(lib);
    let v = roi_json(&path, &[]);
    let cats = v["categories"].as_array().unwrap();
    assert_eq!(cats.len(), 2);
    let c = &cats[0];
    assert_eq!(c["category"], "capacity", "ranked first");
    assert_eq!(c["incidents"], 3, "the incident of 2025-12-31 is outside the window");
    assert_eq!((c["from"].as_str(), c["to"].as_str()), (Some("2026-01-01"), Some("2026-03-31")));
    close(&c["incidents_per_year"], 12.1667, 0.00005);
    close(&c["avg_impact"], 0.18, 1e-9);
    close(&c["annual_cost"], 21_900.0, 1e-6);
    close(&c["annual_savings"], 17_520.0, 1e-6);
    close(&c["payback_months"], 34.25, 0.005);
    close(&c["roi_3y_pct"], 5.12, 1e-9);
    assert_eq!(c["inputs"]["window_days"], 90);
    assert_eq!(c["saved_inputs"], false);
    // The other category's one incident gave no users affected: counted, excluded, named.
    let other = &cats[1];
    assert_eq!(other["category"], "config change");
    assert_eq!(other["incidents"], 1);
    assert_eq!(other["excluded"][0]["lacks"][0], "users affected");
    assert!(other["roi_3y_pct"].is_null());
    assert!(v["rule"].as_str().unwrap().contains("still counts in n"));

    // The text table shows the inputs and names the excluded incident.
    let out = debrief(&path).args(["roi", "--to", "2026-03-31"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("capacity") && text.contains("34.25") && text.contains("5.12"), "{text}");
    assert!(text.contains("10000.00") && text.contains("50000.00") && text.contains("0.80"), "{text}");
    assert!(text.contains("excluded") && text.contains("config change on 2026-03-01"), "{text}");
    drop(dir);
}

#[test]
fn saved_inputs_override_the_defaults_and_flags_override_saved_inputs() {
    let (dir, mut lib) = library();
    worked_example(&mut lib);
    assert_eq!(lib.roi_inputs("capacity").unwrap(), RoiInputs::default());
    let saved = RoiInputs { window_days: 90, hourly_cost: 20_000.0, implementation_cost: 50_000.0, effectiveness: 0.5 };
    lib.set_roi_inputs("Capacity", saved).unwrap();
    assert_eq!(lib.roi_inputs("capacity").unwrap(), saved);

    let r = lib.roi(d("2026-03-31"), None, Some("capacity"), &RoiOverrides::default()).unwrap();
    let c = &r.categories[0];
    assert!(c.saved_inputs && c.overridden.is_empty());
    assert!((c.annual_cost.unwrap() - 43_800.0).abs() < 1e-6);
    assert!((c.annual_savings.unwrap() - 21_900.0).abs() < 1e-6);

    let path = lib.dir().to_path_buf();
    drop(lib);
    let v = roi_json(&path, &["--category", "capacity", "--effectiveness", "0.8", "--hourly-cost", "10000"]);
    let c = &v["categories"][0];
    assert_eq!(c["overridden"], serde_json::json!(["hourly_cost", "effectiveness"]));
    close(&c["annual_savings"], 17_520.0, 1e-6);
    close(&c["roi_3y_pct"], 5.12, 1e-9);
    // A shorter window drops the January and February incidents.
    let v = roi_json(&path, &["--category", "capacity", "--window-days", "30"]);
    assert_eq!(v["categories"][0]["incidents"], 1);
    assert_eq!(v["categories"].as_array().unwrap().len(), 1, "only the category asked for");
    drop(dir);
}

#[test]
fn unknown_categories_and_bad_inputs_are_refused_naming_them() {
    let (_dir, mut lib) = library();
    worked_example(&mut lib);
    let field = |e: Error| match e {
        Error::Validation { field, message } => format!("{field}: {message}"),
        other => panic!("{other:?}"),
    };
    let e = field(lib.set_roi_inputs("nope", RoiInputs::default()).unwrap_err());
    assert!(e.starts_with("category") && e.contains("nope"), "{e}");
    let e = field(lib.roi_inputs("nope").unwrap_err());
    assert!(e.contains("nope"), "{e}");
    let e = field(lib.roi(d("2026-03-31"), None, Some("nope"), &RoiOverrides::default()).unwrap_err());
    assert!(e.contains("nope"), "{e}");
    let e = field(lib.set_roi_inputs("capacity", RoiInputs { effectiveness: 2.0, ..Default::default() }).unwrap_err());
    assert!(e.starts_with("effectiveness"), "{e}");
    let e = field(lib.roi(d("2026-03-31"), Some(0), None, &RoiOverrides::default()).unwrap_err());
    assert!(e.starts_with("window_days"), "{e}");

    let path = lib.dir().to_path_buf();
    drop(lib);
    let out = debrief(&path).args(["roi", "--hourly-cost=-5"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("hourly_cost"), "{err}");
}

#[test]
fn saved_inputs_go_with_their_category_and_survive_reopening() {
    let (dir, mut lib) = library();
    worked_example(&mut lib);
    let saved = RoiInputs { window_days: 30, ..Default::default() };
    lib.set_roi_inputs("capacity", saved).unwrap();
    let path = lib.dir().to_path_buf();
    drop(lib);
    let lib = Library::open(&path).unwrap();
    assert_eq!(lib.roi_inputs("capacity").unwrap(), saved);
    drop(lib);
    // Deleting the category (once nothing refers to it) deletes its saved inputs.
    let db = rusqlite::Connection::open(path.join(debrief::library::DB_FILE)).unwrap();
    db.pragma_update(None, "foreign_keys", "ON").unwrap();
    db.execute("DELETE FROM postmortem_categories", []).unwrap();
    db.execute("DELETE FROM categories WHERE name = 'capacity'", []).unwrap();
    let left: i64 = db.query_row("SELECT count(*) FROM roi_inputs", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 0);
    drop(dir);
}

#[test]
fn error_budgets_of_services_with_an_slo() {
    let (_dir, mut lib) = library();
    // 99.9% over 30 days: 43.2 minutes. 21.6 minutes for all users leaves half: caution.
    incident(&mut lib, "capacity", "api", "2026-03-20", Some(12), None);
    incident(&mut lib, "capacity", "api", "2026-03-21", Some(56), Some(10.0)); // 5.6 minutes
    incident(&mut lib, "capacity", "api", "2026-03-23", Some(40), Some(10.0)); // 4 minutes
    incident(&mut lib, "capacity", "api", "2026-03-22", None, Some(10.0)); // no span
    incident(&mut lib, "capacity", "api", "2026-01-01", Some(600), None); // in the quarter, not the 30 days
    incident(&mut lib, "capacity", "api", "2025-12-31", Some(600), None); // before the quarter
    incident(&mut lib, "capacity", "web", "2026-03-20", Some(600), None); // a service without an SLO
    assert_eq!(lib.taxonomy().unwrap().services.len(), 2);
    // Set the SLO straight in the database: managing the taxonomy is another part of issue 11.
    let db = rusqlite::Connection::open(lib.dir().join(debrief::library::DB_FILE)).unwrap();
    db.execute("UPDATE services SET slo_target = 0.999, slo_window_days = 30 WHERE name = 'api'", []).unwrap();
    drop(db);

    let budgets = lib.error_budgets(d("2026-03-31")).unwrap();
    assert_eq!(budgets.len(), 1);
    let b = &budgets[0];
    assert_eq!(b.service, "api");
    assert!((b.budget_minutes - 43.2).abs() < 1e-9);
    assert!((b.consumed_minutes - 21.6).abs() < 1e-9);
    assert_eq!(b.remaining_pct, 50.0);
    assert_eq!(b.status, BudgetStatus::Caution);
    let req: Vec<(bool, bool)> = b.incidents.iter().map(|i| (i.all_users_assumed, i.postmortem_required)).collect();
    // 12 of 43.2 minutes is 27.8% (required); 5.6 is 13.0% and 4 is 9.3% (not required).
    assert_eq!(req, [(true, true), (false, false), (false, false)]);
    assert_eq!(b.not_counted.len(), 1);
    // The quarter (90 days ending on the date) has 129.6 minutes; capacity used 621.6 of them.
    assert_eq!(b.categories_flagged.len(), 1);
    assert_eq!(b.categories_flagged[0].category, "capacity");
    assert_eq!(b.categories_flagged[0].incidents.len(), 4, "the 30 days' three and 2026-01-01's");
    assert!((b.categories_flagged[0].consumed_minutes - 621.6).abs() < 1e-9);
}
