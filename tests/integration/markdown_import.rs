//! Other people's Markdown postmortems through `Library::import_markdown` and `debrief import`:
//! every fixture document gives the hand-counted title, sections, timeline events, action items
//! and factors; a folder imports in one go with a report per file; importing it again changes
//! nothing; bad files are named and the rest still import.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use debrief::library::ImportFile;
use debrief::progress::Progress;
use debrief::Library;
use serde_json::Value;

fn debrief(lib: &Path) -> Command {
    let mut c = Command::cargo_bin("debrief").unwrap();
    c.arg("--library").arg(lib);
    c
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every document listed in an `expectations.json`, with what it must give.
fn expectations(folder: &str) -> Vec<(PathBuf, Value)> {
    let dir = fixtures().join(folder);
    let list: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expectations.json")).unwrap()).unwrap();
    list.as_array().unwrap().iter().map(|e| (dir.join(e["file"].as_str().unwrap()), e.clone())).collect()
}

/// The reports of a dry-run import of `cases`' files into a new library, in their order.
fn dry_run(cases: &[(PathBuf, Value)]) -> Vec<debrief::exchange::foreign_md::FileReport> {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path().join("lib")).unwrap();
    let files: Vec<ImportFile> = cases
        .iter()
        .map(|(p, _)| ImportFile { path: p.clone(), seed: p.file_name().unwrap().to_string_lossy().into() })
        .collect();
    lib.import_markdown(
        &files,
        debrief::library::MarkdownImport { dry_run: true, ..Default::default() },
        &mut Progress::none(),
    )
    .unwrap()
}

fn check_against_hand_counts(folder: &str, at_least: usize) {
    let cases = expectations(folder);
    assert!(cases.len() >= at_least, "{folder}: {} documents", cases.len());
    let reports = dry_run(&cases);
    let mut wrong = Vec::new();
    for ((path, want), got) in cases.iter().zip(&reports) {
        assert!(got.error.is_none(), "{}: {:?}", path.display(), got.error);
        let today = debrief::clock::today().to_string();
        let got_date = got.incident_date.map(|d| d.to_string());
        let checks = [
            ("title", want["title"].as_str().unwrap().to_string(), got.title.clone()),
            ("sections", want["sections"].to_string(), got.sections.to_string()),
            ("timeline", want["timeline"].to_string(), got.timeline_events.to_string()),
            ("actions", want["actions"].to_string(), got.action_items.to_string()),
            ("factors", want["factors"].to_string(), got.contributing_factors.to_string()),
            (
                "incident_date",
                want["incident_date"].as_str().map_or(today, str::to_string),
                got_date.unwrap_or_default(),
            ),
        ];
        for (what, want, got) in checks {
            if want != got {
                wrong.push(format!("{}: {what}: counted {want}, imported {got}", path.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_real_postmortem_and_template_matches_its_hand_count() {
    check_against_hand_counts("corpus", 20);
}

#[test]
fn ten_more_styles_match_their_hand_counts() {
    check_against_hand_counts("markdown-styles", 10);
}

#[test]
fn a_folder_imports_with_a_report_per_file_and_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let folder = fixtures().join("corpus/dfds-2019-2020");
    let dry = debrief(&lib).args(["import", "--dry-run", "--json"]).arg(&folder).output().unwrap();
    assert!(dry.status.success(), "{dry:?}");
    let reports: Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(reports.as_array().unwrap().len(), 13);
    // DFDS's template, kept beside its postmortems, is left out.
    for r in reports.as_array().unwrap() {
        let template = r["file"].as_str().unwrap().contains("Postmortem template");
        assert_eq!(r["outcome"], if template { "would be skipped" } else { "would be created" }, "{r}");
    }
    let list = |lib: &Path| -> Value {
        serde_json::from_slice(&debrief(lib).args(["list", "--json"]).output().unwrap().stdout).unwrap()
    };
    assert_eq!(list(&lib).as_array().unwrap().len(), 0, "a dry run imports nothing");

    let out = debrief(&lib).arg("import").arg(&folder).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("13 files: 12 created, 0 updated, 0 unchanged, 1 skipped as templates, 0 failed"), "{text}");
    // What became what, and what it was unsure of, with lines.
    assert!(text.contains("line    9: ## Timeline → 4 timeline events"), "{text}");
    assert!(
        text.contains("Time to detection: 54 minutes → marker detected on the event at 2020-01-21 15:30 UTC"),
        "{text}"
    );
    assert!(text.contains("unsure (line 14): the year 20202 has five digits; read as 2020"), "{text}");
    assert_eq!(list(&lib).as_array().unwrap().len(), 12);

    let again = debrief(&lib).arg("import").arg(&folder).output().unwrap();
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("13 files: 0 created, 0 updated, 12 unchanged, 1 skipped"),
        "{again:?}"
    );
    assert_eq!(list(&lib).as_array().unwrap().len(), 12);

    // Found by search, and the index agrees with the database.
    let hits: Value =
        serde_json::from_slice(&debrief(&lib).args(["search", "KIAM certificate", "--json"]).output().unwrap().stdout)
            .unwrap();
    assert!(hits["hits"].as_array().unwrap().iter().any(|h| h["title"] == "KIAM Service disruption"), "{hits}");
    debrief(&lib).arg("check").assert().success();

    // The KIAM postmortem in full: CET read as UTC, stats as markers, the category.
    let id = list(&lib).as_array().unwrap().iter().find(|p| p["title"] == "KIAM Service disruption").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shown: Value =
        serde_json::from_slice(&debrief(&lib).args(["show", &id, "--json"]).output().unwrap().stdout).unwrap();
    let pm = &shown["postmortem"];
    assert_eq!(pm["timeline"][0]["at"], "2020-01-21T14:36:00Z");
    assert_eq!(pm["categories"][0], "Kubernetes");
    assert_eq!(shown["durations"]["time_to_detect_min"], 54);
    assert_eq!(shown["durations"]["impact_duration_min"], 148);
    assert_eq!(pm["action_items"][2]["title"], "Replace KIAM server with \"EKS Service IAM Role\"");
}

#[test]
fn bad_files_are_named_and_the_rest_of_the_folder_still_imports() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let folder = dir.path().join("in");
    std::fs::create_dir_all(folder.join("nested")).unwrap();
    std::fs::copy(
        fixtures().join("corpus/dfds-2019-2020/PM2020-001 - Inotify file watches exhaustion.md"),
        folder.join("nested/good.md"),
    )
    .unwrap();
    // Markdown without an extension is read; an image is not looked at.
    std::fs::write(
        folder.join("NOTES"),
        "# Disk full on build agents\n\nDate: 2024-02-02\n\n## Summary\n\nThe disk filled.\n",
    )
    .unwrap();
    std::fs::write(folder.join("logo.png"), [0x89, b'P', b'N', b'G', 0, 0]).unwrap();
    // The repository's README is not a postmortem; a README one folder per incident is.
    std::fs::write(folder.join("README.md"), "# Our postmortems\n\nOne file per incident.\n").unwrap();
    std::fs::create_dir_all(folder.join("incident-7")).unwrap();
    std::fs::write(folder.join("incident-7/README.md"), "# Queue stuck\n\nDate: 2024-03-03\n\n## Summary\n\nStuck.\n")
        .unwrap();
    std::fs::write(folder.join("latin1.md"), b"# Caf\xe9 outage\n").unwrap();
    std::fs::write(folder.join("front.md"), "---\ntitle: ok\nseverity: [SEV2\n---\n# X\n").unwrap();
    std::fs::write(folder.join("binary.md"), b"# a\0b").unwrap();
    let headings: String = (0..10_000).map(|i| format!("## Heading {i}\n\nText.\n\n")).collect();
    std::fs::write(folder.join("headings.md"), headings).unwrap();
    let big = std::fs::File::create(folder.join("huge.md")).unwrap();
    big.set_len(50 * 1024 * 1024).unwrap();

    let out = debrief(&lib).arg("import").arg(&folder).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for (file, says) in [
        ("latin1.md", "is not UTF-8"),
        // Where libyaml found the `]` missing, and where the sequence began.
        ("front.md:4", "front matter: did not find expected ',' or ']', while parsing a flow sequence at line 3"),
        ("binary.md", "not a text file"),
        ("headings.md:", "more than 500 sections"),
        ("huge.md", "50.0 MB"),
    ] {
        assert!(stderr.lines().any(|l| l.contains(file) && l.contains(says)), "{file}: {says}\n{stderr}");
    }
    assert!(!stdout.contains("logo.png") && !stderr.contains("logo.png"));
    assert!(!stdout.contains("Our postmortems"), "{stdout}");
    assert!(stdout.contains("8 files: 3 created, 0 updated, 0 unchanged, 5 failed"), "{stdout}");
    let list: Value = serde_json::from_slice(&debrief(&lib).args(["list", "--json"]).output().unwrap().stdout).unwrap();
    let mut titles: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["title"].as_str().unwrap()).collect();
    titles.sort();
    assert_eq!(titles, ["Disk full on build agents", "Inotify file watches exhaustion", "Queue stuck"]);
}

#[test]
fn files_of_the_same_name_in_two_folders_are_two_postmortems_and_a_copy_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    let text = |title: &str| format!("# {title}\n\nDate: 2024-05-05\n\n## Summary\n\nS.\n");
    for (folder, title) in [("team-a", "Cache stampede"), ("team-b", "Expired token")] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("postmortem.md"), text(title)).unwrap();
    }
    debrief(&lib).arg("import").arg(dir.path().join("team-a/postmortem.md")).assert().success();
    debrief(&lib).arg("import").arg(dir.path().join("team-b")).assert().success();
    let list: Value = serde_json::from_slice(&debrief(&lib).args(["list", "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");

    // The same postmortem twice in one folder (Debrief's own Markdown, copied): one is imported.
    let copies = dir.path().join("copies");
    std::fs::create_dir_all(&copies).unwrap();
    let id = list[0]["id"].as_str().unwrap().to_string();
    let one = copies.join("one.md");
    debrief(&lib).args(["export", &id, "--format", "md", "--out"]).arg(&one).assert().success();
    std::fs::copy(&one, copies.join("two.md")).unwrap();
    let other = dir.path().join("other");
    let out = debrief(&other).arg("import").arg(&copies).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("two.md") && stderr.contains("the same postmortem") && stderr.contains("copies/one.md"),
        "{stderr}"
    );
    let list: Value =
        serde_json::from_slice(&debrief(&other).args(["list", "--json"]).output().unwrap().stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

/// A file whose postmortem the database refuses (an event id another postmortem already has)
/// rolls the batch back; the files are then imported one by one: the refused one is named
/// and the others are imported.
#[test]
fn a_file_the_database_refuses_is_named_and_the_others_still_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut lib = Library::open(dir.path().join("lib")).unwrap();
    lib.load_sample().unwrap();
    let sample = lib.list(&debrief::wire::ListFilter::default()).unwrap();
    let stored = lib.get(&sample[0].id).unwrap().postmortem;
    let taken = stored.timeline[0].id.clone();
    // Two Debrief files of postmortems not in the library: one reuses the stored event's id.
    let folder = dir.path().join("in");
    std::fs::create_dir_all(&folder).unwrap();
    let fresh = debrief::synthetic::generate(11, 2, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    for ((name, reuse), mut pm) in [("a-clash.md", true), ("b-fine.md", false)].into_iter().zip(fresh) {
        pm.title = format!("Copy for {name}");
        if reuse {
            pm.timeline[0].id = taken.clone();
        }
        let text = debrief::exchange::debrief_md::write(&pm).unwrap();
        std::fs::write(folder.join(name), text).unwrap();
    }
    let files = Library::files_to_import(std::slice::from_ref(&folder)).unwrap();
    let reports =
        lib.import_markdown(&files, debrief::library::MarkdownImport::default(), &mut Progress::none()).unwrap();
    let by_file = |name: &str| reports.iter().find(|r| r.file.ends_with(name)).unwrap();
    assert_eq!(by_file("b-fine.md").outcome, "created", "{reports:?}");
    let clash = by_file("a-clash.md");
    assert_eq!(clash.outcome, "failed", "{reports:?}");
    assert!(clash.error.as_deref().unwrap().contains("already belongs to another postmortem"), "{clash:?}");
    let titles: Vec<String> =
        lib.list(&debrief::wire::ListFilter::default()).unwrap().into_iter().map(|p| p.title).collect();
    assert!(titles.iter().any(|t| t == "Copy for b-fine.md") && !titles.iter().any(|t| t == "Copy for a-clash.md"));
    assert_eq!(lib.get(&sample[0].id).unwrap().postmortem, stored, "the stored postmortem is untouched");
}

/// Every template among the fixtures is asked about in its report ("is this a template?"),
/// and no real postmortem is.
#[test]
fn templates_among_the_fixtures_are_asked_about_and_postmortems_are_not() {
    let mut cases = expectations("corpus");
    cases.extend(expectations("markdown-styles"));
    let reports = dry_run(&cases);
    let mut templates = 0;
    for ((path, _), report) in cases.iter().zip(&reports) {
        // The seven templates and DFDS's own; `google-sre-template.md` is a postmortem in that
        // template's style.
        let is_template = path.file_name().unwrap().to_string_lossy().to_lowercase().contains("postmortem template")
            || path.file_name().unwrap().to_string_lossy().starts_with("postmortem-template-");
        let asked = report.unsure.iter().any(|n| n.message.contains("reads like a template"));
        assert_eq!(asked, is_template, "{}: {:?}", path.display(), report.unsure);
        assert_eq!(report.template, is_template, "{}", path.display());
        templates += usize::from(is_template);
    }
    assert_eq!(templates, 8, "the seven templates and DFDS's own");
}

/// `debrief import` of a folder that keeps its templates beside its postmortems (as a
/// repository does) skips the templates, names each and counts them; `--include-templates`
/// imports them too. Nothing else changes: the postmortems import either way.
#[test]
fn the_cli_skips_templates_in_a_folder_unless_asked() {
    let d = tempfile::tempdir().unwrap();
    let folder = d.path().join("postmortems");
    std::fs::create_dir_all(&folder).unwrap();
    let dfds = fixtures().join("corpus/dfds-2019-2020");
    for name in ["PM2020-002 - KIAM service disruption on Hellman.md", "PMyyyy-nnn - Postmortem template.md"] {
        std::fs::copy(dfds.join(name), folder.join(name)).unwrap();
    }
    std::fs::copy(
        fixtures().join("corpus/templates/postmortem-template-azure.md"),
        folder.join("postmortem-template-azure.md"),
    )
    .unwrap();
    let lib = d.path().join("lib");
    let listed = |lib: &Path| -> Vec<String> {
        let out = debrief(lib).args(["list", "--json"]).output().unwrap();
        let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        rows.iter().map(|r| r["title"].as_str().unwrap().to_string()).collect()
    };

    // A dry run says what would be skipped.
    let out = debrief(&lib).arg("import").arg(&folder).args(["--dry-run", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let reports: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let outcomes: Vec<(&str, &str, bool)> = reports
        .iter()
        .map(|r| (r["file"].as_str().unwrap(), r["outcome"].as_str().unwrap(), r["template"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("postmortems/PM2020-002 - KIAM service disruption on Hellman.md", "would be created", false),
            ("postmortems/PMyyyy-nnn - Postmortem template.md", "would be skipped", true),
            ("postmortems/postmortem-template-azure.md", "would be skipped", true),
        ]
    );

    let out = debrief(&lib).arg("import").arg(&folder).output().unwrap();
    assert!(out.status.success(), "skipping is not a failure");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("skipped as a template: import it with --include-templates").count(), 2, "{stdout}");
    assert!(
        stdout.contains("3 files: 1 created, 0 updated, 0 unchanged, 2 skipped as templates, 0 failed"),
        "{stdout}"
    );
    assert_eq!(listed(&lib), ["KIAM Service disruption"]);

    let out = debrief(&lib).arg("import").arg(&folder).arg("--include-templates").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 files: 2 created, 0 updated, 1 unchanged, 0 failed"));
    assert_eq!(listed(&lib).len(), 3);
}
