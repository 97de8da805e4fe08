//! The team library against real git: bare repositories over `file://` and plain paths, and
//! `git daemon` for the git protocol. Two (or three) libraries share one remote.

use std::path::{Path, PathBuf};
use std::process::Command;

use debrief::progress::Progress;
use debrief::wire::SyncReport;
use debrief::Library;
use tempfile::TempDir;

use crate::helpers::rich_postmortem;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Hand Editor")
        .env("GIT_AUTHOR_EMAIL", "hand@example.com")
        .env("GIT_COMMITTER_NAME", "Hand Editor")
        .env("GIT_COMMITTER_EMAIL", "hand@example.com")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A temporary folder holding an empty bare repository `remote.git`.
fn remote() -> (TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "--bare", "--quiet", "-b", "main", "remote.git"]);
    let url = format!("file://{}", dir.path().join("remote.git").display());
    (dir, url)
}

fn open(dir: &TempDir, name: &str) -> Library {
    Library::open(dir.path().join(name)).unwrap()
}

fn connect(lib: &mut Library, url: &str, who: &str) -> SyncReport {
    let email = format!("{}@example.com", who.to_lowercase());
    lib.team_connect(url, Some((who, &email)), &mut Progress::none()).unwrap()
}

fn sync(lib: &mut Library) -> SyncReport {
    let r = lib.team_sync(&mut Progress::none()).unwrap();
    assert_eq!(r.offline, None);
    r
}

/// A working clone of the remote, to edit files by hand as on a git host.
fn hand_clone(remote_dir: &TempDir) -> PathBuf {
    let work = remote_dir.path().join("work");
    if !work.exists() {
        git(remote_dir.path(), &["clone", "--quiet", "remote.git", "work"]);
    } else {
        git(&work, &["pull", "--quiet"]);
    }
    work
}

/// Commits everything changed in the hand clone `work` and pushes it, as a person on the git
/// host would.
fn push_by_hand(work: &Path, message: &str) {
    git(work, &["add", "--all"]);
    git(work, &["commit", "--quiet", "-m", message]);
    git(work, &["push", "--quiet"]);
}

/// A remote, library "a" connected to it as Ana, and one rich postmortem synced there.
fn shared_postmortem() -> (TempDir, String, Library, debrief::model::Postmortem) {
    let (rdir, url) = remote();
    let mut a = open(&rdir, "a");
    connect(&mut a, &url, "Ana");
    let pm = rich_postmortem(&mut a);
    sync(&mut a);
    (rdir, url, a, pm)
}

fn file_of(work: &Path, id: &str) -> PathBuf {
    let short: String = id.chars().filter(|c| c.is_ascii_alphanumeric()).take(8).collect();
    std::fs::read_dir(work.join("postmortems"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(&short))
        .expect("the postmortem's file")
}

fn assert_consistent(lib: &mut Library) {
    let check = lib.check().unwrap();
    assert!(check.problems.is_empty(), "{:?}", check.problems);
}

#[test]
fn an_empty_repository_gets_the_library_and_a_second_member_gets_it_all() {
    let (rdir, url) = remote();
    let mut a = open(&rdir, "a");
    a.load_sample().unwrap();
    let sent = connect(&mut a, &url, "Ana");
    assert_eq!(sent.sent.iter().filter(|s| s.starts_with("added")).count(), a.count().unwrap() as usize + 1);
    let work = hand_clone(&rdir);
    assert!(work.join("debrief.yml").exists());
    let files = std::fs::read_dir(work.join("postmortems")).unwrap().count();
    assert_eq!(files as i64, a.count().unwrap());
    let log = git(&work, &["log", "--format=%an <%ae>|%s"]);
    assert!(log.starts_with("Ana <ana@example.com>|Debrief: "), "{log}");

    let mut b = open(&rdir, "b");
    let got = connect(&mut b, &url, "Ben");
    assert_eq!(got.received.iter().filter(|s| s.starts_with("added")).count() as i64, a.count().unwrap());
    assert_eq!(b.count().unwrap(), a.count().unwrap());
    assert_eq!(b.export_document(&[]).unwrap().postmortems, a.export_document(&[]).unwrap().postmortems);
    assert!(
        b.search("DNS", &debrief::wire::SearchOptions::default()).unwrap().total > 0,
        "the second library's index has the postmortems"
    );
    assert_consistent(&mut b);
    // Nothing more to do on either side.
    for lib in [&mut a, &mut b] {
        let r = sync(lib);
        assert!(r.sent.is_empty() && r.received.is_empty(), "{r:?}");
        assert_eq!(lib.team_status(true).unwrap().state, "up_to_date");
    }
}

#[test]
fn create_edit_and_delete_travel_both_ways_in_either_order() {
    let (rdir, url) = remote();
    let (mut a, mut b) = (open(&rdir, "a"), open(&rdir, "b"));
    connect(&mut a, &url, "Ana");
    connect(&mut b, &url, "Ben");
    let pm = rich_postmortem(&mut a);
    assert_eq!(a.team_status(false).unwrap().to_send, 1);
    assert_eq!(a.team_status(false).unwrap().state, "to_send");
    sync(&mut a);
    assert_eq!(b.team_status(true).unwrap().to_receive, 1);
    sync(&mut b);
    let mut on_b = b.get(&pm.id).unwrap().postmortem;
    assert_eq!(on_b.title, pm.title);
    on_b.title = "Checkout 502s after the pool change".into();
    b.save(on_b).unwrap();
    let other = rich_postmortem(&mut b);
    sync(&mut b);
    sync(&mut a);
    assert_eq!(a.get(&pm.id).unwrap().postmortem.title, "Checkout 502s after the pool change");
    assert!(a.get(&other.id).is_ok());
    // Deleted on a, synced in the other order.
    a.delete(&other.id).unwrap();
    let r = sync(&mut a);
    assert!(r.sent.iter().any(|s| s.starts_with("deleted")), "{r:?}");
    sync(&mut b);
    assert!(b.get(&other.id).is_err());
    assert_eq!(a.count().unwrap(), b.count().unwrap());
    // An import that changes a postmortem but keeps the file's updated_at is a change to send
    // too, and so is an action item's status set from the board.
    let mut doc = a.export_document(std::slice::from_ref(&pm.id)).unwrap();
    doc.postmortems[0].title = "Imported over it".into();
    a.import_document(&doc, "edit.json").unwrap();
    assert_eq!(a.team_status(false).unwrap().to_send, 1);
    sync(&mut a);
    let item = a.get(&pm.id).unwrap().postmortem.action_items[0].id.clone();
    a.set_action_status(&[item], debrief::model::ActionStatus::Done, None).unwrap();
    assert_eq!(a.team_status(false).unwrap().to_send, 1);
    sync(&mut a);
    sync(&mut b);
    let got = b.get(&pm.id).unwrap().postmortem;
    assert_eq!(got.title, "Imported over it");
    assert_eq!(got.action_items[0].status, debrief::model::ActionStatus::Done);
    assert_consistent(&mut a);
    assert_consistent(&mut b);
}

#[test]
fn different_fields_and_items_merge_and_the_same_field_keeps_both_versions() {
    let (rdir, url, mut a, pm) = shared_postmortem();
    let mut b = open(&rdir, "b");
    connect(&mut b, &url, "Ben");

    // Different fields and different action items: no conflict.
    let mut on_a = a.get(&pm.id).unwrap().postmortem;
    on_a.title = "Checkout 502s (pool exhaustion)".into();
    on_a.action_items[0].owner = Some("Dana Okafor".into());
    a.save(on_a).unwrap();
    let mut on_b = b.get(&pm.id).unwrap().postmortem;
    on_b.severity = debrief::model::Severity::Sev1;
    on_b.timeline[0].text = "Pool size lowered from 50 to 5".into();
    b.save(on_b).unwrap();
    sync(&mut a);
    let r = sync(&mut b);
    assert_eq!((r.merged, r.new_conflicts), (1, 0), "{r:?}");
    sync(&mut a);
    for lib in [&a, &b] {
        let got = lib.get(&pm.id).unwrap().postmortem;
        assert_eq!(got.title, "Checkout 502s (pool exhaustion)");
        assert_eq!(got.severity, debrief::model::Severity::Sev1);
        assert_eq!(got.action_items[0].owner.as_deref(), Some("Dana Okafor"));
        assert_eq!(got.timeline[0].text, "Pool size lowered from 50 to 5");
        assert!(got.conflicts.is_empty());
    }

    // The same field: both versions kept, shown, and the repository's file still reads.
    let mut on_a = a.get(&pm.id).unwrap().postmortem;
    on_a.sections[0].body = "Ana's summary.".into();
    a.save(on_a).unwrap();
    let mut on_b = b.get(&pm.id).unwrap().postmortem;
    on_b.sections[0].body = "Ben's summary.".into();
    b.save(on_b).unwrap();
    sync(&mut a);
    let r = sync(&mut b);
    assert_eq!(r.new_conflicts, 1, "{r:?}");
    sync(&mut a);
    for lib in [&mut a, &mut b] {
        let got = lib.get(&pm.id).unwrap().postmortem;
        assert_eq!(got.conflicts.len(), 1);
        let c = &got.conflicts[0];
        let values: Vec<_> = c.versions.iter().map(|v| (v.by.as_str(), v.value.as_str().unwrap())).collect();
        assert_eq!(values, vec![("Ben", "Ben's summary."), ("Ana", "Ana's summary.")]);
        assert_eq!(got.sections[0].body, "Ben's summary.");
        let status = lib.team_status(false).unwrap();
        assert_eq!(status.state, "conflict");
        assert_eq!(status.conflicts[0].id, pm.id);
    }
    let work = hand_clone(&rdir);
    let text = std::fs::read_to_string(file_of(&work, &pm.id)).unwrap();
    let read = debrief::exchange::debrief_md::read(&text, "repo").unwrap();
    assert_eq!(read.conflicts.len(), 1, "the conflict is in the file, which stays valid Markdown");

    // Ana chooses her version; everyone gets the choice.
    let cid = a.get(&pm.id).unwrap().postmortem.conflicts[0].id.clone();
    a.resolve_conflict(&pm.id, &cid, 1).unwrap();
    sync(&mut a);
    sync(&mut b);
    for lib in [&mut a, &mut b] {
        let got = lib.get(&pm.id).unwrap().postmortem;
        assert!(got.conflicts.is_empty());
        assert_eq!(got.sections[0].body, "Ana's summary.");
        assert_eq!(lib.team_status(false).unwrap().state, "up_to_date");
    }
}

#[test]
fn an_edit_wins_over_a_deletion_and_the_user_is_told() {
    let (rdir, url, mut a, pm) = shared_postmortem();
    let mut b = open(&rdir, "b");
    connect(&mut b, &url, "Ben");
    a.delete(&pm.id).unwrap();
    let mut on_b = b.get(&pm.id).unwrap().postmortem;
    on_b.title = "Still matters".into();
    b.save(on_b).unwrap();
    sync(&mut a);
    let r = sync(&mut b);
    assert!(r.notices.iter().any(|n| n.contains("deleted in the repository but edited here")), "{r:?}");
    let r = sync(&mut a);
    assert!(r.received.iter().any(|s| s.contains("Still matters")), "{r:?}");
    assert_eq!(a.get(&pm.id).unwrap().postmortem.title, "Still matters");
}

#[test]
fn hand_edits_come_in_and_an_invalid_file_is_reported_and_not_applied() {
    let (rdir, _, mut a, pm) = shared_postmortem();

    let work = hand_clone(&rdir);
    let path = file_of(&work, &pm.id);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("title: Checkout 502s after pool change", "title: Checkout 502s, edited on the web"),
    )
    .unwrap();
    push_by_hand(&work, "Fix the title");
    let r = sync(&mut a);
    assert_eq!(r.received.len(), 1, "{r:?}");
    assert_eq!(a.get(&pm.id).unwrap().postmortem.title, "Checkout 502s, edited on the web");

    // Broken front matter: reported with its path and line, not applied; the rest still syncs.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("severity: SEV2", "severity: [oops")).unwrap();
    push_by_hand(&work, "Break it");
    let before = a.get(&pm.id).unwrap().postmortem;
    let r = sync(&mut a);
    let rel = path.strip_prefix(&work).unwrap().to_string_lossy().into_owned();
    assert_eq!(r.problems.len(), 1, "{r:?}");
    assert!(r.problems[0].path == rel, "{:?}", r.problems);
    assert!(r.problems[0].message.starts_with(&format!("{rel}:")), "names the line: {}", r.problems[0].message);
    assert_eq!(a.get(&pm.id).unwrap().postmortem, before, "not applied");
    assert_consistent(&mut a);
    let status = a.team_status(false).unwrap();
    assert_eq!(status.problems.len(), 1);
    // Fixed by hand: it comes in on the next sync.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("severity: [oops", "severity: SEV1")).unwrap();
    push_by_hand(&work, "Fix it");
    let r = sync(&mut a);
    assert!(r.problems.is_empty(), "{r:?}");
    assert_eq!(a.get(&pm.id).unwrap().postmortem.severity, debrief::model::Severity::Sev1);
    assert!(a.team_status(false).unwrap().problems.is_empty());
}

#[test]
fn a_repository_of_other_peoples_markdown_is_imported_and_left_in_its_own_words() {
    let (rdir, url) = remote();
    let seed = rdir.path().join("seed");
    std::fs::create_dir_all(seed.join("2019")).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/dfds-2019-2020");
    let mut n = 0;
    for e in std::fs::read_dir(&corpus).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("PM20") && name.ends_with(".md") {
            std::fs::copy(&p, seed.join("2019").join(&name)).unwrap();
            n += 1;
        }
    }
    std::fs::write(seed.join("README.md"), "# Our postmortems\n\nOne file per incident.\n").unwrap();
    git(&seed, &["init", "--quiet", "-b", "main"]);
    git(&seed, &["add", "."]);
    git(&seed, &["commit", "--quiet", "-m", "Our postmortems"]);
    git(&seed, &["push", "--quiet", rdir.path().join("remote.git").to_str().unwrap(), "main"]);

    let mut a = open(&rdir, "a");
    let r = connect(&mut a, &url, "Ana");
    assert_eq!(a.count().unwrap(), n, "every postmortem, and not the README: {r:?}");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    assert!(r.sent.iter().all(|s| s.contains("taxonomy")), "the files stay in their own words: {:?}", r.sent);
    let again = sync(&mut a);
    assert!(again.sent.is_empty() && again.received.is_empty(), "{again:?}");
    // Edited in Debrief: that file is written in Debrief's Markdown, at the same path.
    let id = a.list(&Default::default()).unwrap()[0].id.clone();
    let mut pm = a.get(&id).unwrap().postmortem;
    pm.tags.push("networking".into());
    a.save(pm).unwrap();
    let r = sync(&mut a);
    assert_eq!(r.sent.iter().filter(|s| !s.contains("taxonomy")).count(), 1, "{r:?}");
    let work = hand_clone(&rdir);
    let changed = git(&work, &["log", "-1", "--name-only", "--format=", "--", "2019"]);
    assert!(changed.trim().starts_with("2019/PM20"), "{changed}");
}

#[test]
fn offline_it_keeps_working_and_the_next_sync_catches_up() {
    let (rdir, url) = remote();
    let mut a = open(&rdir, "a");
    connect(&mut a, &url, "Ana");
    let away = rdir.path().join("away.git");
    std::fs::rename(rdir.path().join("remote.git"), &away).unwrap();
    let pm = rich_postmortem(&mut a);
    let r = a.team_sync(&mut Progress::none()).unwrap();
    assert!(r.offline.is_some(), "{r:?}");
    let status = a.team_status(false).unwrap();
    assert_eq!((status.state.as_str(), status.to_send), ("offline", 1));
    assert!(status.offline_reason.unwrap().contains("git"));
    std::fs::rename(&away, rdir.path().join("remote.git")).unwrap();
    assert_eq!(a.team_status(true).unwrap().state, "to_send", "back online once the remote answers");
    let r = sync(&mut a);
    assert!(r.sent.contains(&format!("added: {}", pm.title)), "{r:?}");
    assert_eq!(a.team_status(true).unwrap().state, "up_to_date");
    let mut b = open(&rdir, "b");
    connect(&mut b, &url, "Ben");
    assert!(b.get(&pm.id).is_ok());
}

#[test]
fn works_over_the_git_protocol_with_git_daemon() {
    let (rdir, _) = remote();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    // git-daemon itself (not the `git daemon` wrapper), so killing it stops the server.
    let exec_path = git(rdir.path(), &["--exec-path"]);
    let mut daemon = Command::new(Path::new(exec_path.trim()).join("git-daemon"))
        .args([
            "--export-all",
            "--enable=receive-pack",
            "--reuseaddr",
            "--listen=127.0.0.1",
            &format!("--port={port}"),
            &format!("--base-path={}", rdir.path().display()),
        ])
        .arg(rdir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("git daemon");
    let url = format!("git://127.0.0.1:{port}/remote.git");
    // The daemon takes a moment to listen.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let result = std::panic::catch_unwind(|| {
        let mut a = open(&rdir, "a");
        let pm = rich_postmortem(&mut a);
        connect(&mut a, &url, "Ana");
        let mut b = open(&rdir, "b");
        connect(&mut b, &url, "Ben");
        assert_eq!(b.get(&pm.id).unwrap().postmortem.title, pm.title);
        let mut on_b = b.get(&pm.id).unwrap().postmortem;
        on_b.tags.push("over-the-network".into());
        b.save(on_b).unwrap();
        sync(&mut b);
        sync(&mut a);
        assert!(a.get(&pm.id).unwrap().postmortem.tags.contains(&"over-the-network".to_string()));
    });
    let _ = daemon.kill();
    let _ = daemon.wait();
    result.unwrap();
}

#[test]
fn a_sync_killed_at_any_moment_leaves_both_sides_consistent_and_the_next_completes() {
    let (rdir, url) = remote();
    let bin = env!("CARGO_BIN_EXE_debrief");
    let lib_dir = rdir.path().join("a");
    {
        let mut a = Library::open(&lib_dir).unwrap();
        connect(&mut a, &url, "Ana");
    }
    let mut rng = 7u64;
    let mut kills = 0;
    for round in 0..12 {
        {
            // Something to send each round.
            let mut a = Library::open(&lib_dir).unwrap();
            let mut pm = rich_postmortem(&mut a);
            pm.title = format!("Round {round}");
            a.save(pm).unwrap();
        }
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = std::time::Duration::from_millis(5 + (rng >> 33) % 120);
        let mut child = Command::new(bin)
            .args(["--library", lib_dir.to_str().unwrap(), "sync"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            kills += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let mut a = Library::open(&lib_dir).unwrap();
        assert_consistent(&mut a);
        let fsck = Command::new("git")
            .args(["fsck", "--no-progress"])
            .current_dir(rdir.path().join("remote.git"))
            .output()
            .unwrap();
        assert!(fsck.status.success(), "{}", String::from_utf8_lossy(&fsck.stderr));
    }
    assert!(kills >= 1, "no sync was caught half-way; the delays are too long");
    let mut a = Library::open(&lib_dir).unwrap();
    sync(&mut a);
    assert_eq!(a.team_status(true).unwrap().state, "up_to_date");
    let mut b = open(&rdir, "b");
    connect(&mut b, &url, "Ben");
    assert_eq!(b.count().unwrap(), a.count().unwrap(), "every round's postmortem arrived once ({kills} kills)");
    assert_eq!(b.export_document(&[]).unwrap().postmortems, a.export_document(&[]).unwrap().postmortems);
}

#[test]
fn a_copied_file_is_reported_and_the_original_stays_the_postmortem() {
    let (rdir, _, mut a, pm) = shared_postmortem();
    let work = hand_clone(&rdir);
    let original = file_of(&work, &pm.id);
    let text = std::fs::read_to_string(&original).unwrap();
    std::fs::write(work.join("postmortems/zz-copy.md"), text.replace(&pm.title, "A copy with the same id")).unwrap();
    push_by_hand(&work, "Copy");
    for _ in 0..2 {
        let r = sync(&mut a);
        assert_eq!(r.problems.len(), 1, "{r:?}");
        assert!(r.problems[0].message.contains("the same postmortem"), "{:?}", r.problems);
        assert_eq!(r.problems[0].path, "postmortems/zz-copy.md");
        assert_eq!(a.get(&pm.id).unwrap().postmortem.title, pm.title);
    }
}

#[test]
fn a_refused_push_says_why_and_a_renamed_branch_is_not_taken_for_an_empty_repository() {
    let (rdir, url) = remote();
    let mut a = open(&rdir, "a");
    connect(&mut a, &url, "Ana");
    let hook = rdir.path().join("remote.git/hooks/pre-receive");
    std::fs::write(&hook, "#!/bin/sh\necho 'main is protected: open a pull request' >&2\nexit 1\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    rich_postmortem(&mut a);
    let e = a.team_sync(&mut Progress::none()).unwrap_err().to_string();
    assert!(e.contains("refused the push") && e.contains("main is protected"), "{e}");
    std::fs::remove_file(&hook).unwrap();
    sync(&mut a);
    // The branch renamed on the host: an error naming it, nothing pushed to the old name.
    git(&rdir.path().join("remote.git"), &["branch", "-m", "main", "trunk"]);
    let e = a.team_sync(&mut Progress::none()).unwrap_err().to_string();
    assert!(e.contains("\"main\" is no longer"), "{e}");
    let branches = git(&rdir.path().join("remote.git"), &["branch", "--list"]);
    assert!(!branches.contains("main"), "{branches}");
}

#[test]
fn connecting_to_a_repository_that_does_not_answer_keeps_the_current_one() {
    let (rdir, url) = remote();
    let mut a = open(&rdir, "a");
    connect(&mut a, &url, "Ana");
    let e = a.team_connect("file:///nowhere/at/all.git", None, &mut Progress::none()).unwrap_err().to_string();
    assert!(e.contains("could not reach file:///nowhere/at/all.git"), "{e}");
    let status = a.team_status(true).unwrap();
    assert_eq!(status.url.as_deref(), Some(url.as_str()));
    assert_eq!(status.state, "up_to_date");
    rich_postmortem(&mut a);
    assert_eq!(sync(&mut a).sent.iter().filter(|s| !s.contains("taxonomy")).count(), 1);
}

#[test]
fn a_category_removed_from_debrief_yml_by_hand_is_not_sent_back() {
    let (rdir, url) = remote();
    let mut a = open(&rdir, "a");
    a.load_sample().unwrap();
    connect(&mut a, &url, "Ana");
    let work = hand_clone(&rdir);
    let yml = std::fs::read_to_string(work.join("debrief.yml")).unwrap();
    let settings = debrief::team::TeamSettings::read(&yml).unwrap();
    let gone = settings.categories.last().unwrap().name.clone();
    let mut edited = settings.clone();
    edited.categories.pop();
    edited.roi_inputs.retain(|r| r.category != gone);
    std::fs::write(work.join("debrief.yml"), edited.write().unwrap()).unwrap();
    push_by_hand(&work, "Drop a category");
    let r = sync(&mut a);
    assert!(r.sent.is_empty(), "nothing sent back: {r:?}");
    let again = sync(&mut a);
    assert!(again.sent.is_empty(), "{again:?}");
    let work = hand_clone(&rdir);
    let now = debrief::team::TeamSettings::read(&std::fs::read_to_string(work.join("debrief.yml")).unwrap()).unwrap();
    assert!(!now.categories.iter().any(|c| c.name == gone), "{gone} stays out of the repository");
}

/// A sync asked for while the library's repository is busy (the team screen reading the
/// remote, or the CLI syncing) waits its turn instead of failing at once: the team e2e test
/// clicked Sync while the screen's status fetch held the lock, and the sync was refused.
#[test]
fn a_sync_waits_for_a_status_reading_instead_of_failing() {
    let (_remote, _url, mut lib, _pm) = shared_postmortem();
    let lock_path = lib.dir().join("team.git/debrief-sync");
    let held = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path).unwrap();
    held.lock().unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(1500));
        drop(held);
    });
    let started = std::time::Instant::now();
    let report = lib.team_sync(&mut Progress::none()).expect("the sync waits for the lock");
    assert!(started.elapsed() >= std::time::Duration::from_millis(1000), "it did wait");
    assert_eq!(report.offline, None);
    release.join().unwrap();
}
