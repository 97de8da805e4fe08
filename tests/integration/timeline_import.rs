//! Timeline import and export: real postmortems written elsewhere (DFDS's published
//! postmortems, copied with their license into tests/fixtures/corpus/dfds-2019-2020) read in
//! the zone their documents state, and `debrief timeline` as a user runs it on a real library
//! folder: showing a timeline, importing pasted lines, CSV and Slack exports all or nothing,
//! and writing CSV that imports back as it was.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use debrief::exchange::timeline::parse_lines;
use serde_json::Value;

use crate::helpers::{library, rich_postmortem};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The DFDS postmortems (not their template), by file name.
fn dfds_documents() -> Vec<(String, String)> {
    let dir = fixtures().join("corpus/dfds-2019-2020");
    let mut docs: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the DFDS fixtures are in the repository")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("PM2"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().to_string(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    docs.sort();
    docs
}

/// The body of a document's `## Timeline` section.
fn timeline_section(doc: &str) -> &str {
    let start = doc.find("## Timeline").expect("every DFDS postmortem has a timeline");
    let body = &doc[start + "## Timeline".len()..];
    &body[..body.find("\n## ").unwrap_or(body.len())]
}

#[test]
fn every_dfds_timeline_section_parses_except_the_one_with_a_mistyped_year() {
    let mut parsed = 0;
    for (name, doc) in dfds_documents() {
        let section = timeline_section(&doc);
        // Keep table rows and list items; prose lines ("All times in CET.") state the zone.
        let zone = if section.contains("UTC") { "UTC" } else { "CET" };
        let lines: Vec<&str> = section
            .lines()
            .filter(|l| {
                l.trim_start().starts_with('|') || l.trim_start().starts_with("- ") || l.trim_start().starts_with("* ")
            })
            .collect();
        match parse_lines(&lines.join("\n"), None, zone) {
            Ok(events) => {
                assert!(events.len() >= 2, "{name}: {events:?}");
                assert!(events.windows(2).all(|w| w[0].at <= w[1].at || w[1].approximate), "{name}: out of order");
                parsed += 1;
            }
            Err(e) => {
                // PM2020-003 writes the year 20202 on all five rows: each one is named and quoted.
                let msg = e.to_string();
                assert!(name.starts_with("PM2020-003"), "{name}: {msg}");
                assert!(msg.starts_with("timeline: 5 unreadable lines"), "{msg}");
                for line in 3..=7 {
                    assert!(msg.contains(&format!("line {line}: no time at the start of \"| 20202-01-")), "{msg}");
                }
            }
        }
    }
    assert_eq!(parsed, 11);
}

fn debrief(lib: &Path) -> Command {
    let mut c = Command::cargo_bin("debrief").unwrap();
    c.arg("--library").arg(lib);
    c
}

/// Runs `debrief` and returns stdout, failing the test with stderr if it fails.
fn ok(lib: &Path, args: &[&str]) -> String {
    let out = debrief(lib).args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `debrief`, expects it to fail, and returns stderr.
fn fails(lib: &Path, args: &[&str]) -> String {
    let out = debrief(lib).args(args).output().unwrap();
    assert!(!out.status.success(), "{args:?} succeeded: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap()
}

fn timeline_json(lib: &Path, id: &str) -> Value {
    serde_json::from_str(&ok(lib, &["timeline", id, "--json"])).unwrap()
}

fn new_postmortem(lib: &Path, title: &str, date: &str) -> String {
    ok(lib, &["new", "--title", title, "--date", date]).trim().to_string()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_timeline_command_shows_times_kinds_markers_and_approximate_flags() {
    let (d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    drop(lib);
    let lib = d.path().join("lib");
    let text = ok(&lib, &["timeline", &pm.id[..6]]);
    assert!(text.starts_with("Checkout 502s after pool change ("), "{text}");
    assert!(text.contains(" 2025-03-14 14:00  trigger         Pool size config deployed [started]"), "{text}");
    assert!(text.contains("~2025-03-14 14:07  acknowledgement On-call acknowledges [acknowledged]"), "{text}");
    assert!(text.contains("5 events. durations: detect 5m  acknowledge 2m  mitigate 17m  resolve 25m  impact 30m"));

    let v = timeline_json(&lib, &pm.id[..6]);
    assert_eq!(v["id"], pm.id.as_str());
    assert_eq!(v["title"], "Checkout 502s after pool change");
    let events = v["timeline"].as_array().unwrap();
    assert_eq!(events.len(), 5);
    assert_eq!(events[2]["approximate"], true);
    assert_eq!(events[2]["marker"], "acknowledged");
    assert_eq!(events[0]["at"], "2025-03-14T14:00:00Z");
    assert_eq!(v["durations"]["time_to_resolve_min"], 25);

    let empty = new_postmortem(&lib, "Nothing yet", "2025-05-01");
    assert!(ok(&lib, &["timeline", &empty]).contains("no timeline events yet"));
    assert!(fails(&lib, &["timeline", "ffffffff"]).contains("[not_found]"));
}

#[test]
fn pasted_lines_with_accents_and_cjk_import_in_the_stated_zone_and_only_once() {
    let d = tempfile::tempdir().unwrap();
    let lib = d.path().join("lib");
    let id = new_postmortem(&lib, "Paiements indisponibles", "2026-02-12");
    let file = d.path().join("notes.txt");
    std::fs::write(
        &file,
        "14:23 Café indisponible, alerte reçue\n14:25 決済APIの障害を確認 ack\n~14:40 Rolled back to v41 🎉\n15:02 All clear, résolu\n",
    )
    .unwrap();
    let out = ok(&lib, &["timeline", &id[..8], "--import", path(&file), "--zone", "CET"]);
    assert!(out.contains("notes.txt (lines): 4 events read, 4 added"), "{out}");
    let v = timeline_json(&lib, &id);
    let events = v["timeline"].as_array().unwrap();
    let texts: Vec<&str> = events.iter().map(|e| e["text"].as_str().unwrap()).collect();
    assert_eq!(
        texts,
        ["Café indisponible, alerte reçue", "決済APIの障害を確認 ack", "Rolled back to v41 🎉", "All clear, résolu"]
    );
    assert_eq!(events[0]["at"], "2026-02-12T13:23:00Z", "CET is UTC+1 in February; the incident date is used");
    assert_eq!(events[2]["approximate"], true);
    assert_eq!(v["durations"]["time_to_acknowledge_min"], 2);
    assert!(ok(&lib, &["timeline", &id]).contains("決済APIの障害を確認 ack [acknowledged]"));

    // The same file again adds nothing; --date places time-only lines on another day.
    let out = ok(&lib, &["timeline", &id, "--import", path(&file), "--zone", "CET"]);
    assert!(out.contains("4 events read, 0 added; 4 already in the timeline"), "{out}");
    let out = ok(&lib, &["timeline", &id, "--import", path(&file), "--zone", "+09:00", "--date", "2026-02-11"]);
    assert!(out.contains("4 added"), "{out}");
    assert_eq!(timeline_json(&lib, &id)["timeline"][0]["at"], "2026-02-11T05:23:00Z");
    assert!(
        fails(&lib, &["timeline", &id, "--import", path(&file), "--zone", "Mars/Olympus"]).contains("not a time zone")
    );
}

#[test]
fn a_file_with_two_unreadable_lines_names_both_and_stores_nothing() {
    let d = tempfile::tempdir().unwrap();
    let lib = d.path().join("lib");
    let id = new_postmortem(&lib, "Checkout errors", "2026-01-05");
    let file = d.path().join("bad.txt");
    std::fs::write(&file, "10:00 Deploy of v2.3\nthe bridge was opened\n10:05 Alert fires\nvers 10h on a vu l'échec\n")
        .unwrap();
    let before = ok(&lib, &["show", &id, "--json"]);
    let err = fails(&lib, &["timeline", &id, "--import", path(&file)]);
    assert!(err.starts_with("debrief: error [parse]: "), "{err}");
    assert!(err.contains("2 unreadable lines; nothing was imported"), "{err}");
    assert!(err.contains("bad.txt:2: no time at the start of \"the bridge was opened\""), "{err}");
    assert!(err.contains("bad.txt:4: no time at the start of \"vers 10h on a vu l'échec\""), "{err}");
    assert!(!err.contains("bad.txt:1") && !err.contains("bad.txt:3"), "{err}");
    assert_eq!(ok(&lib, &["show", &id, "--json"]), before, "nothing stored, no revision either");

    // A CSV with bad rows is refused the same way, each row named.
    let csv = d.path().join("bad.csv");
    std::fs::write(&csv, "time,event,kind\n10:00,Deploy,trigger\n10:05,,detection\nlater,Rollback,mitigation\n")
        .unwrap();
    let err = fails(&lib, &["timeline", &id, "--import", path(&csv)]);
    assert!(err.contains("bad.csv:3: the event column is empty") && err.contains("bad.csv:4: time \"later\""), "{err}");

    // A file that is not UTF-8 is refused naming its line.
    let latin1 = d.path().join("latin1.txt");
    std::fs::write(&latin1, b"10:00 Deploy\n10:05 Caf\xe9 down\n").unwrap();
    let err = fails(&lib, &["timeline", &id, "--import", path(&latin1)]);
    assert!(err.contains("latin1.txt:2: this is not UTF-8 text"), "{err}");
    assert_eq!(ok(&lib, &["show", &id, "--json"]), before);
}

#[test]
fn a_slack_export_imports_from_a_day_file_or_a_channel_folder_told_apart_by_content() {
    let d = tempfile::tempdir().unwrap();
    let lib = d.path().join("lib");
    let id = new_postmortem(&lib, "Payments 5xx after pool change", "2026-10-12");
    // The day file under a name that says nothing of its format.
    let day = d.path().join("export");
    std::fs::copy(fixtures().join("slack/2026-10-12.json"), &day).unwrap();
    let out = ok(&lib, &["timeline", &id, "--import", path(&day)]);
    assert!(out.contains("(slack): 6 events read, 6 added"), "{out}");
    let v = timeline_json(&lib, &id);
    assert_eq!(v["timeline"][0]["text"], "Priya Raman: Deploying payments-api v2.41 with the new pool settings");
    assert_eq!(v["durations"]["time_to_detect_min"], 6);
    assert_eq!(v["durations"]["impact_duration_min"], 31);

    // A channel folder of two day files.
    let other = new_postmortem(&lib, "Search latency after shard change", "2026-09-03");
    let folder = fixtures().join("e2e/slack-inc-search");
    let out = ok(&lib, &["timeline", &other, "--import", path(&folder)]);
    assert!(out.contains("(slack): 8 events read, 8 added"), "{out}");
    let v = timeline_json(&lib, &other);
    let events = v["timeline"].as_array().unwrap();
    assert!(events[0]["text"].as_str().unwrap().starts_with("Jonas Berg: Config change rolled out"));
    assert_eq!(events[7]["marker"], "resolved");
    assert!(events[2]["text"].as_str().unwrap().ends_with("ack, looking at the search dashboard"), "links tidied");

    // A folder without day files, and a broken day file, are refused by name.
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(fails(&lib, &["timeline", &other, "--import", path(&empty)]).contains("no Slack day files"));
    let broken = d.path().join("broken.json");
    std::fs::write(&broken, "[{\"ts\": \"1788478860.1\", \"text\": \"x\"},").unwrap();
    assert!(fails(&lib, &["timeline", &other, "--import", path(&broken)]).contains("broken.json:1:"));
}

#[test]
fn the_dfds_timelines_import_through_the_cli_in_cet() {
    let d = tempfile::tempdir().unwrap();
    let lib = d.path().join("lib");
    let mut imported = 0;
    for (name, doc) in dfds_documents() {
        let rows: Vec<&str> = timeline_section(&doc).lines().filter(|l| l.trim_start().starts_with('|')).collect();
        let file = d.path().join(format!("{}.md", &name[..10]));
        std::fs::write(&file, rows.join("\n")).unwrap();
        // The incident date: the first date in the table (PM2020-003 has none that reads).
        let date = rows
            .iter()
            .filter_map(|r| r.trim_matches(['|', ' ']).get(..10))
            .find(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
            .unwrap_or("2020-01-16");
        let id = new_postmortem(&lib, &name[13..name.len() - 3], date);
        let out = debrief(&lib).args(["timeline", &id, "--import", path(&file), "--zone", "CET"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        if name.starts_with("PM2020-003") {
            // The mistyped year 20202 on every row: all five are named, nothing is stored.
            assert!(!out.status.success());
            assert!(err.contains("5 unreadable lines"), "{err}");
            for line in 3..=7 {
                assert!(err.contains(&format!("PM2020-003.md:{line}: no time at the start of \"| 20202-01-")), "{err}");
            }
            assert!(timeline_json(&lib, &id)["timeline"].as_array().unwrap().is_empty());
            continue;
        }
        assert!(out.status.success(), "{name}: {err}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let v = timeline_json(&lib, &id);
        let events = v["timeline"].as_array().unwrap();
        assert_eq!(stdout.trim_end(), format!("{} (lines): {n} events read, {n} added", path(&file), n = events.len()));
        assert_eq!(events.len(), rows.len() - 2, "{name}: every row but the header and separator");
        imported += 1;
        if name.starts_with("PM2020-002") {
            assert_eq!(events[0]["at"], "2020-01-21T14:36:00Z", "15:36 CET");
            assert_eq!(events[0]["text"], "Certificate for KIAM server expires");
        }
        if name.starts_with("PM2020-009") {
            assert_eq!(events[0]["approximate"], true, "10:45~");
        }
        if name.starts_with("PM2019-009") {
            let unknown =
                events.iter().find(|e| e["text"].as_str().unwrap().starts_with("Surge new deployments")).unwrap();
            assert_eq!(unknown["approximate"], true, "--:--");
        }
    }
    assert_eq!(imported, 11);
}

#[test]
fn a_timeline_written_as_csv_imports_back_as_it_was() {
    let (d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let mut edited = lib.get(&pm.id).unwrap().postmortem;
    // Text a spreadsheet must quote, and text beyond ASCII.
    edited.timeline[1].text = "5xx alert fires: \"checkout\", payments\nsecond line".into();
    edited.timeline[3].text = "Config rolled back — 障害は収まった".into();
    lib.save(edited).unwrap();
    drop(lib);
    let lib = d.path().join("lib");
    let csv = d.path().join("timeline.csv");
    std::fs::write(&csv, "an older file, replaced whole").unwrap();
    assert_eq!(
        ok(&lib, &["timeline", &pm.id, "--csv", path(&csv)]).trim(),
        format!("5 events written to {}", path(&csv))
    );
    let written = std::fs::read_to_string(&csv).unwrap();
    assert!(
        written.starts_with("time,event,kind,marker\n2025-03-14T14:00:00Z,Pool size config deployed,trigger,started\n")
    );
    assert!(!d.path().join("timeline.partial").exists(), "written through a temporary file");

    let copy = new_postmortem(&lib, "Copy", "2025-03-14");
    let out = ok(&lib, &["timeline", &copy, "--import", path(&csv), "--zone", "America/New_York"]);
    assert!(out.contains("(csv): 5 events read, 5 added"), "{out}");
    let strip = |v: Value| -> Vec<Value> {
        v["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.as_object_mut().unwrap().remove("id");
                e
            })
            .collect()
    };
    let original = timeline_json(&lib, &pm.id);
    let back = timeline_json(&lib, &copy);
    assert_eq!(strip(back.clone()), strip(original.clone()));
    assert_eq!(back["durations"], original["durations"]);
}
