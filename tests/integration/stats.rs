//! `debrief stats` on the sample library: the figures it prints agree with the facts the
//! library holds, counted here the plain way, and a backwards period is refused by flag name.

use assert_cmd::Command;
use chrono::NaiveDate;
use debrief::analysis::facts::IncidentFacts;
use debrief::model::{ReviewStatus, Severity};
use debrief::Library;
use serde_json::Value;

fn debrief(lib: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("debrief").unwrap();
    c.arg("--library").arg(lib);
    c
}

fn stats_json(lib: &std::path::Path, args: &[&str]) -> Value {
    let out = debrief(lib).arg("stats").args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn stats_json_agrees_with_the_library_and_a_backwards_period_names_its_flags() {
    let d = tempfile::tempdir().unwrap();
    debrief(d.path()).arg("demo").assert().success();
    let facts = Library::open(d.path()).unwrap().incident_facts().unwrap();

    let (from, to) = (day("2026-01-01"), day("2026-06-30"));
    let v = stats_json(d.path(), &["--from", "2026-01-01", "--to", "2026-06-30"]);
    let now = &v["current"];
    assert_eq!(now["from"], "2026-01-01");
    assert_eq!(now["to"], "2026-06-30");
    // The previous period: the 181 days before.
    assert_eq!(v["previous"]["from"], "2025-07-04");
    assert_eq!(v["previous"]["to"], "2025-12-31");

    let period: Vec<&IncidentFacts> =
        facts.iter().filter(|f| f.incident_date >= from && f.incident_date <= to).collect();
    assert!(period.len() >= 10, "the sample has incidents in the first half of 2026");
    assert_eq!(now["incidents"]["total"], period.len());
    assert_eq!(now["incidents"]["sev1"], period.iter().filter(|f| f.severity == Severity::Sev1).count());
    assert_eq!(now["near_misses"], period.iter().filter(|f| f.near_miss).count());
    assert_eq!(now["monthly"].as_array().unwrap().len(), 6);
    let monthly_total: u64 =
        now["monthly"].as_array().unwrap().iter().map(|b| b["counts"]["total"].as_u64().unwrap()).sum();
    assert_eq!(monthly_total as usize, period.len());

    // Time to resolve: detected to resolved, nearest-rank median, lacking ones listed.
    let mut resolve: Vec<f64> = period
        .iter()
        .filter_map(|f| Some((f.markers.resolved? - f.markers.detected?).num_seconds() as f64 / 60.0))
        .filter(|m| *m >= 0.0)
        .collect();
    resolve.sort_by(f64::total_cmp);
    let ttr = &now["durations"]["time_to_resolve"];
    assert_eq!(ttr["n"], resolve.len());
    assert_eq!(ttr["median_min"].as_f64(), Some(resolve[resolve.len().div_ceil(2) - 1]));
    assert_eq!(ttr["lacking"].as_array().unwrap().len(), period.len() - resolve.len());

    // SEV1/SEV2 postmortems now Final.
    let severe: Vec<_> = period.iter().filter(|f| matches!(f.severity, Severity::Sev1 | Severity::Sev2)).collect();
    assert_eq!(now["sev12_final"]["of"], severe.len());
    assert_eq!(now["sev12_final"]["count"], severe.iter().filter(|f| f.status == ReviewStatus::Final).count());

    // Repeats: a shared category with any incident 1 to 90 days earlier.
    let repeats = period
        .iter()
        .filter(|f| {
            facts.iter().any(|e| {
                let gap = (f.incident_date - e.incident_date).num_days();
                (1..=90).contains(&gap) && e.categories.iter().any(|c| f.categories.contains(c))
            })
        })
        .count();
    assert_eq!(now["repeats"]["rate"]["count"], repeats);
    assert_eq!(now["repeats"]["rate"]["of"], period.len());

    // Narrowed to one service.
    let v = stats_json(d.path(), &["--from", "2026-01-01", "--to", "2026-06-30", "--service", "payments-api"]);
    let with_service = period.iter().filter(|f| f.services.iter().any(|s| s == "payments-api")).count();
    assert_eq!(v["service"], "payments-api");
    assert_eq!(v["current"]["incidents"]["total"], with_service);

    // The default period: the 90 days ending today.
    let v = stats_json(d.path(), &[]);
    let (f, t) = (day(v["current"]["from"].as_str().unwrap()), day(v["current"]["to"].as_str().unwrap()));
    assert_eq!((t - f).num_days(), 89);

    // The text report says each figure with its count and the previous value.
    let out = debrief(d.path()).args(["stats", "--from", "2026-01-01", "--to", "2026-06-30"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Time to resolve") && text.contains(&format!("n={}", resolve.len())), "{text}");
    assert!(text.contains("was"), "{text}");

    // A period that ends before it starts names the flags.
    let out = debrief(d.path()).args(["stats", "--from", "2026-05-01", "--to", "2026-04-01"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--from") && err.contains("--to"), "{err}");
}
