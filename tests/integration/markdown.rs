//! Debrief's own Markdown through the `debrief` binary: export, import into an empty library
//! and export again gives byte-identical files, and a hand edit comes back as just that change.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn debrief(lib: &Path) -> Command {
    let mut c = Command::cargo_bin("debrief").unwrap();
    c.arg("--library").arg(lib);
    c
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn export_import_export_is_byte_identical_and_a_hand_edit_comes_back_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, copy) = (dir.path().join("lib"), dir.path().join("copy"));
    debrief(&lib).arg("demo").assert().success();
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    debrief(&lib).args(["export", "--format", "md", "--out"]).arg(&first).assert().success();
    debrief(&copy).arg("import").arg(&first).assert().success();
    debrief(&copy).args(["export", "--format", "md", "--out"]).arg(&second).assert().success();
    let (a, b) = (files(&first), files(&second));
    assert_eq!(a.len(), 49);
    assert!(a.iter().all(|(name, _)| name.ends_with(".md") && name.starts_with("20")));
    assert!(a == b, "the second export differs from the first");

    // A hand edit of one timeline event's text comes back as just that change.
    let (name, bytes) = &a[0];
    let text = String::from_utf8(bytes.clone()).unwrap();
    let id = text.lines().find_map(|l| l.strip_prefix("id: ")).unwrap().to_string();
    let show = |lib: &Path| -> Value {
        serde_json::from_slice(&debrief(lib).args(["show", &id, "--json"]).output().unwrap().stdout).unwrap()
    };
    let before = show(&copy);
    let old = before["postmortem"]["timeline"][0]["text"].as_str().unwrap().to_string();
    let edited = text.replacen(&format!("| {old} |"), "| Edited by hand, with a \\| pipe |", 1);
    assert_ne!(edited, text);
    let path = first.join(name);
    std::fs::write(&path, edited).unwrap();
    let imported = debrief(&copy).arg("import").arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&imported.stdout).contains(": updated \""), "{imported:?}");
    let mut after = show(&copy);
    assert_eq!(after["postmortem"]["timeline"][0]["text"], "Edited by hand, with a | pipe");
    after["postmortem"]["timeline"][0]["text"] = before["postmortem"]["timeline"][0]["text"].clone();
    assert_eq!(after["postmortem"]["timeline"], before["postmortem"]["timeline"]);
    assert_eq!(after["postmortem"]["sections"], before["postmortem"]["sections"]);
    assert_eq!(after["postmortem"]["action_items"], before["postmortem"]["action_items"]);
}

#[test]
fn a_broken_file_is_named_with_its_line_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    debrief(&lib).arg("demo").assert().success();
    let out = dir.path().join("one.md");
    let id = {
        let list: Value =
            serde_json::from_slice(&debrief(&lib).args(["list", "--json"]).output().unwrap().stdout).unwrap();
        list[0]["id"].as_str().unwrap().to_string()
    };
    debrief(&lib).args(["export", &id, "--format", "md", "--out"]).arg(&out).assert().success();
    let text = std::fs::read_to_string(&out).unwrap().replacen("severity: SEV", "severity: LOUD", 1);
    std::fs::write(&out, text).unwrap();
    let empty = dir.path().join("empty");
    let result = debrief(&empty).arg("import").arg(&out).output().unwrap();
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("one.md:") && stderr.contains("severity"), "{stderr}");
    let list: Value =
        serde_json::from_slice(&debrief(&empty).args(["list", "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 0);
}

#[test]
fn unknown_front_matter_keys_and_hand_added_headings_are_kept_through_import_and_export() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    debrief(&lib).arg("demo").assert().success();
    let out = dir.path().join("one.md");
    let list: Value = serde_json::from_slice(&debrief(&lib).args(["list", "--json"]).output().unwrap().stdout).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_string();
    debrief(&lib).args(["export", &id, "--format", "md", "--out"]).arg(&out).assert().success();
    let text = std::fs::read_to_string(&out).unwrap();
    // Keys another tool (or a person) added, and a section written by hand without a marker.
    let edited =
        text.replacen("\ntitle: ", "\njira: OPS-1234\nreviewed_by_legal:\n  on: 2025-01-02\n  ok: true\ntitle: ", 1)
            + "\n## Notes from legal\n\nNothing to add.\n";
    std::fs::write(&out, &edited).unwrap();
    let copy = dir.path().join("copy");
    debrief(&copy).arg("import").arg(&out).assert().success();
    let shown: Value =
        serde_json::from_slice(&debrief(&copy).args(["show", &id, "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(shown["postmortem"]["extra"]["jira"], "OPS-1234");
    assert_eq!(shown["postmortem"]["extra"]["reviewed_by_legal"]["ok"], true);

    let again = dir.path().join("again.md");
    debrief(&copy).args(["export", &id, "--format", "md", "--out"]).arg(&again).assert().success();
    let written = std::fs::read_to_string(&again).unwrap();
    assert!(written.contains("jira: OPS-1234\n"), "{written}");
    // Written back sorted and quoted where YAML 1.1 would misread them ("on", dates).
    assert!(written.contains("reviewed_by_legal:\n  ok: true\n  \"on\": \"2025-01-02\"\n"), "{written}");
    // The hand-written section became a section of its own, now with its marker.
    let notes = written.find("\n## Notes from legal\n<!-- debrief:section ").expect("the section is kept");
    assert!(written[notes..].contains(" key=\"notes_from_legal\" -->\nNothing to add.\n"), "{written}");
    // And that export is stable: importing and exporting it again changes nothing.
    let third = dir.path().join("third.md");
    debrief(&copy).arg("import").arg(&again).assert().success();
    debrief(&copy).args(["export", &id, "--format", "md", "--out"]).arg(&third).assert().success();
    assert_eq!(written, std::fs::read_to_string(&third).unwrap());
}
