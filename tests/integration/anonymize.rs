//! Anonymized exports (`debrief export --anonymize`): the file names none of the library's
//! people, keeps everything that is not about people, and is still a library document.

use std::path::Path;

use assert_cmd::Command;
use debrief::Library;
use serde_json::Value;

use crate::helpers::rich_postmortem;

fn debrief(lib: &Path) -> Command {
    let mut c = Command::cargo_bin("debrief").unwrap();
    c.arg("--library").arg(lib);
    c
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(String::from)).collect()
}

/// Everyone a (plain) library document names in a people field.
fn people_of(doc: &Value) -> Vec<String> {
    let mut people = Vec::new();
    for pm in doc["postmortems"].as_array().unwrap() {
        people.extend(strings(&pm["authors"]));
        people.extend(strings(&pm["reviewers"]));
        people.extend(pm["incident_commander"].as_str().map(String::from));
        for (list, field) in [("participants", "name"), ("action_items", "owner"), ("status_history", "by")] {
            people.extend(pm[list].as_array().unwrap().iter().filter_map(|x| x[field].as_str().map(String::from)));
        }
    }
    people
}

/// Whether `needle` occurs in `haystack` with no letter or digit on either side.
fn has_word(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The parts of a postmortem an anonymized export must leave as they were.
fn not_about_people(pm: &Value) -> Value {
    let pick = |v: &Value, keys: &[&str]| -> Value { keys.iter().map(|k| (k.to_string(), v[*k].clone())).collect() };
    let each =
        |list: &str, keys: &[&str]| -> Value { pm[list].as_array().unwrap().iter().map(|x| pick(x, keys)).collect() };
    serde_json::json!({
        "top": pick(pm, &["id", "incident_date", "severity", "status", "services", "categories", "template",
            "near_miss", "users_affected_pct", "revenue_impact", "created_at", "updated_at"]),
        "sections": each("sections", &["id", "key"]),
        "timeline": each("timeline", &["id", "at", "kind", "marker", "approximate"]),
        "whys": each("whys", &["id"]),
        "factors": each("contributing_factors", &["id", "category", "source_step_id"]),
        "actions": each("action_items", &["id", "due_date", "status", "priority", "kind", "tracker_url", "created_at"]),
        "history": each("status_history", &["from", "to", "at"]),
    })
}

#[test]
fn an_anonymized_export_names_nobody_and_imports_into_an_empty_library() {
    let d = tempfile::tempdir().unwrap();
    let (lib_dir, fresh) = (d.path().join("lib"), d.path().join("fresh"));
    debrief(&lib_dir).arg("demo").assert().success();
    // The sample names people in their fields and in prose; add handles, addresses and a
    // name nobody listed, and a user name the review history could carry.
    {
        let mut lib = Library::open(&lib_dir).unwrap();
        lib.set_setting("user_name", &Value::from("Quinn Harper")).unwrap();
        let mut pm = rich_postmortem(&mut lib);
        pm.sections[1].body = "Paged @priya.raman and mailed <marcus.chen@example.com>. Kenji joined; \
                               Dana's notes are in [the doc](mailto:sofia.alvarez@example.com). Quinn Harper agreed."
            .into();
        pm.timeline[0].text = "Sofia Alvarez deployed the pool change (@sofia)".into();
        lib.save(pm).unwrap();
    }
    let (plain_file, anon_file) = (d.path().join("plain.json"), d.path().join("anon.json"));
    debrief(&lib_dir).args(["export", "--format", "json", "--out"]).arg(&plain_file).assert().success();
    let out = debrief(&lib_dir)
        .args(["export", "--format", "json", "--anonymize", "--out"])
        .arg(&anon_file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plain_text = std::fs::read_to_string(&plain_file).unwrap();
    let anon_text = std::fs::read_to_string(&anon_file).unwrap();
    let plain: Value = serde_json::from_str(&plain_text).unwrap();
    let anon: Value = serde_json::from_str(&anon_text).unwrap();

    let mut people = people_of(&plain);
    people.extend(Library::open(&lib_dir).unwrap().taxonomy().unwrap().people);
    people.push("Quinn Harper".into());
    people.sort();
    people.dedup();
    assert!(people.len() >= 20, "{people:?}");
    let anon_lower = anon_text.to_lowercase();
    for name in &people {
        assert!(!anon_lower.contains(&name.to_lowercase()), "{name} is in the anonymized export");
        for part in name.split_whitespace().filter(|p| p.chars().count() >= 3) {
            assert!(!has_word(&anon_text, part), "{part} (of {name}) is in the anonymized export");
        }
    }
    // The handles and addresses went too, and so did the name nobody listed.
    assert!(plain_text.contains("@priya.raman") && plain_text.contains("Kenji"));
    // (The sample mentions a mail alias, `certs@`, that names no one.)
    let handle_or_address =
        anon_text.match_indices('@').any(|(at, _)| anon_text[at + 1..].starts_with(char::is_alphanumeric));
    assert!(!handle_or_address, "a handle or an address is left");
    assert!(!has_word(&anon_text, "Kenji"));

    // Everything that is not about people is as it was.
    let (plain_pms, anon_pms) = (plain["postmortems"].as_array().unwrap(), anon["postmortems"].as_array().unwrap());
    assert_eq!(plain_pms.len(), anon_pms.len());
    for (p, a) in plain_pms.iter().zip(anon_pms) {
        assert_eq!(not_about_people(p), not_about_people(a));
    }
    for list in ["services", "categories", "templates"] {
        assert_eq!(plain[list], anon[list], "{list}");
    }

    // The anonymized file is a library document: it imports into an empty library whole, and
    // exports from there unchanged.
    let out = debrief(&fresh).arg("import").arg(&anon_file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{} created", anon_pms.len())), "{out:?}");
    let again = d.path().join("again.json");
    debrief(&fresh).args(["export", "--out"]).arg(&again).assert().success();
    assert_eq!(std::fs::read_to_string(&again).unwrap(), anon_text);
}
