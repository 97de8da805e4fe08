//! The `debrief` binary as a user runs it: exit codes, stdout JSON, stderr errors.

use assert_cmd::Command;

fn debrief(lib: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("debrief").unwrap();
    c.arg("--library").arg(lib);
    c
}

#[test]
fn demo_then_list_json_prints_forty_or_more() {
    let d = tempfile::tempdir().unwrap();
    debrief(d.path()).arg("demo").assert().success();
    let out = debrief(d.path()).args(["list", "--json"]).output().unwrap();
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.len() >= 40, "{}", rows.len());
    // Filters narrow it.
    let out = debrief(d.path()).args(["list", "--severity", "sev1", "--json"]).output().unwrap();
    let sev1: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!sev1.is_empty() && sev1.len() < rows.len());
    assert!(sev1.iter().all(|r| r["severity"] == "SEV1"));
}

#[test]
fn the_library_can_come_from_the_environment() {
    let d = tempfile::tempdir().unwrap();
    let mut c = Command::cargo_bin("debrief").unwrap();
    let out =
        c.env("DEBRIEF_LIBRARY", d.path()).args(["new", "--title", "From env", "--severity", "SEV2"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let show = debrief(d.path()).args(["show", &id[..8], "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(v["postmortem"]["title"], "From env");
    assert_eq!(v["postmortem"]["template"], "Standard blameless");
    assert!(v["durations"].is_object());
}

#[test]
fn errors_go_to_stderr_with_a_code_and_a_failing_exit() {
    let d = tempfile::tempdir().unwrap();
    let out = debrief(d.path()).args(["show", "0000"]).output().unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[not_found]") && err.contains("0000"), "{err}");

    let out = debrief(d.path()).args(["new", "--title", "x", "--severity", "SEV7"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown severity"));
}

#[test]
fn export_and_import_round_trip_through_files() {
    let d = tempfile::tempdir().unwrap();
    let a = d.path().join("a");
    let b = d.path().join("b");
    debrief(&a).arg("demo").assert().success();
    let file = d.path().join("all.json");
    debrief(&a).args(["export", "--format", "json", "--out"]).arg(&file).assert().success();
    let out = debrief(&b).arg("import").arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created"));
    let again = d.path().join("again.json");
    debrief(&b).args(["export", "--out"]).arg(&again).assert().success();
    assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(&again).unwrap());

    // A bad file in a folder fails alone, named, with a failing exit; the good one lands.
    let folder = d.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("1-bad.json"), "{ not json").unwrap();
    std::fs::copy(&file, folder.join("2-good.json")).unwrap();
    let c = d.path().join("c");
    let out = debrief(&c).arg("import").arg(&folder).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1-bad.json:1:"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("2-good.json"));
}

#[test]
fn check_reports_a_healthy_library() {
    let d = tempfile::tempdir().unwrap();
    debrief(d.path()).arg("demo").assert().success();
    let out = debrief(d.path()).args(["check", "--json"]).output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);
    assert!(v["postmortems"].as_i64().unwrap() >= 40);
}

#[test]
fn lint_checks_a_text_file_line_by_line_and_each_postmortem_of_a_json_document() {
    let d = tempfile::tempdir().unwrap();
    let notes = d.path().join("notes.md");
    std::fs::write(&notes, "# Notes\n\nThe deploy went out.\nBob carelessly skipped the review.\n").unwrap();
    let out = debrief(d.path()).args(["lint", "--json"]).arg(&notes).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["field"] == notes.display().to_string() && f["line"] == 4), "{findings:?}");

    // A JSON library document: its postmortems, each field named by its place in the file.
    debrief(d.path()).arg("demo").assert().success();
    let doc = d.path().join("all.json");
    debrief(d.path()).args(["export", "--out"]).arg(&doc).assert().success();
    let out = debrief(d.path()).args(["lint", "--json"]).arg(&doc).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let from_file: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!from_file.is_empty(), "the sample library has phrasing the coach flags");
    let prefix = format!("{}: postmortems[", doc.display());
    assert!(from_file.iter().all(|f| f["field"].as_str().unwrap().starts_with(&prefix)), "{from_file:?}");
    assert_eq!(
        from_file.len(),
        debrief::Library::lint_file(&doc).unwrap().len(),
        "the CLI prints what the library finds"
    );
}

/// Issue 10: "today" is the user's local date. Two time zones 26 hours apart (POSIX `TZ`
/// strings, so no time-zone database is needed) are never on the same calendar day; a core
/// that counted in UTC would give both the same date.
#[test]
fn today_is_the_local_date_in_the_users_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let today_in = |tz: &str| -> chrono::NaiveDate {
        let out = debrief(dir.path()).env("TZ", tz).args(["actions", "--metrics", "--json"]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["today"].as_str().unwrap().parse().unwrap()
    };
    let east = today_in("EAST-14"); // UTC+14
    let west = today_in("WEST+12"); // UTC-12
    let apart = (east - west).num_days();
    assert!(apart == 1 || apart == 2, "UTC+14 says {east}, UTC-12 says {west}");
}
