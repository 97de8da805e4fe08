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
    assert!(String::from_utf8_lossy(&imported.stdout).contains("1 updated"), "{imported:?}");
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
