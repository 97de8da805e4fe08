//! Team library benchmark: prints figures, asserts nothing.
//!
//! `cargo bench --bench team_sync [-- --postmortems N] [--rounds R]`
//!
//! The repository: N (default 10,000) postmortems made from the 49 sample postmortems (rich
//! documents: timelines, 5 whys, fishbones, action items), copy n with its title numbered and
//! every id renumbered, so each file is a distinct postmortem of realistic size. The remote is
//! a bare repository on the local disk (`file://`), so the figures are git's and Debrief's
//! work, not a network's.
//!
//! Measured, with the user's own git:
//! - the first sync of a library of N into an empty repository (every file written and pushed);
//! - a second member's first sync (clone and import), against the Markdown importer reading the
//!   same N files from a folder into an empty library (`import_markdown`, what `debrief import
//!   FOLDER` runs): the target is "at the Markdown importer's rate";
//! - a one-file change: one member edits one postmortem and syncs (send), the other syncs
//!   (receive), R rounds; the target is under 2 s each;
//! - a sync with nothing to do.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use debrief::exchange::json::LibraryDocument;
use debrief::model::Postmortem;
use debrief::progress::Progress;
use debrief::Library;

fn corpus(n: usize) -> Vec<Postmortem> {
    let sample = debrief::exchange::sample::document(debrief::clock::today()).expect("sample");
    let re = regex::Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").expect("regex");
    (0..n)
        .map(|i| {
            let mut pm = sample.postmortems[i % sample.postmortems.len()].clone();
            pm.title = format!("{} {i}", pm.title);
            let json = serde_json::to_string(&pm).expect("json");
            let json = re.replace_all(&json, |c: &regex::Captures| {
                uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, format!("{i}/{}", &c[0]).as_bytes()).to_string()
            });
            serde_json::from_str(&json).expect("json")
        })
        .collect()
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n = arg(&args, "--postmortems", 10_000);
    let rounds = arg(&args, "--rounds", 5);
    let dir = tempfile::tempdir().expect("temp dir");
    let remote = dir.path().join("remote.git");
    let status =
        Command::new("git").args(["init", "--bare", "--quiet", "-b", "main"]).arg(&remote).status().expect("git");
    assert!(status.success());
    let url = format!("file://{}", remote.display());
    let git_version =
        Command::new("git").arg("--version").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    println!(
        "team library sync: {n} postmortems from the sample library, {} , remote file://",
        git_version.unwrap_or_default()
    );

    let pms = corpus(n);
    let mut a = Library::open(dir.path().join("a")).expect("library a");
    a.import_document(&LibraryDocument::of(pms), "bench").expect("import");

    let t = Instant::now();
    let first = a.team_connect(&url, Some(("Ana", "ana@example.com")), &mut Progress::none()).expect("connect a");
    let push_all = t.elapsed();
    println!(
        "first sync into an empty repository: {} ({} files sent, {:.0} files/s)",
        secs(push_all),
        first.sent.len(),
        n as f64 / push_all.as_secs_f64()
    );
    let size = dir_size(&remote);
    println!("repository size: {:.1} MB", size as f64 / 1_048_576.0);

    // Git's share of a first sync: fetching every object over file:// (the remote packs them
    // all; a plain path would hard-link the objects instead).
    let t = Instant::now();
    let cloned =
        Command::new("git").args(["clone", "--bare", "--quiet", &url]).arg(dir.path().join("clone.git")).status();
    assert!(cloned.expect("git clone").success());
    println!("git clone --bare of the repository alone (file://): {}", secs(t.elapsed()));

    let mut b = Library::open(dir.path().join("b")).expect("library b");
    let t = Instant::now();
    let got = b.team_connect(&url, Some(("Ben", "ben@example.com")), &mut Progress::none()).expect("connect b");
    let clone = t.elapsed();
    let clone_rate = n as f64 / clone.as_secs_f64();
    println!(
        "second member's first sync (fetch and import): {} ({} received, {clone_rate:.0} files/s)",
        secs(clone),
        got.received.len()
    );

    // The same files through the Markdown importer, from a folder, into an empty library.
    let folder = dir.path().join("folder");
    a.export_markdown(&[], &folder, false, &mut Progress::none()).expect("export");
    let mut c = Library::open(dir.path().join("c")).expect("library c");
    let files = Library::files_to_import(std::slice::from_ref(&folder)).expect("files");
    let t = Instant::now();
    c.import_markdown(&files, debrief::library::MarkdownImport::default(), &mut Progress::none())
        .expect("import markdown");
    let importer = t.elapsed();
    let importer_rate = n as f64 / importer.as_secs_f64();
    println!(
        "Markdown importer on the same files: {} ({importer_rate:.0} files/s); first sync runs at {:.0}% of it",
        secs(importer),
        100.0 * clone_rate / importer_rate
    );

    let ids: Vec<String> = a.list(&Default::default()).expect("list").into_iter().map(|p| p.id).collect();
    let mut send = Vec::new();
    let mut receive = Vec::new();
    for r in 0..rounds {
        let id = &ids[(r * 7919) % ids.len()];
        let mut pm = a.get(id).expect("get").postmortem;
        pm.title = format!("{} (edited {r})", pm.title);
        a.save(pm).expect("save");
        let t = Instant::now();
        let sent = a.team_sync(&mut Progress::none()).expect("sync a");
        send.push(t.elapsed());
        assert_eq!(sent.sent.len(), 1, "{sent:?}");
        let t = Instant::now();
        let got = b.team_sync(&mut Progress::none()).expect("sync b");
        receive.push(t.elapsed());
        assert_eq!(got.received.len(), 1, "{got:?}");
    }
    let t = Instant::now();
    a.team_sync(&mut Progress::none()).expect("sync");
    let idle = t.elapsed();
    let stats = |v: &mut Vec<Duration>| {
        v.sort();
        format!("median {}, max {} over {} rounds", secs(v[v.len() / 2]), secs(*v.last().expect("rounds")), v.len())
    };
    println!("one-file change, send (edit, fetch, merge, commit, push, record): {} (target < 2 s)", stats(&mut send));
    println!("one-file change, receive (fetch, read, merge, store, index): {} (target < 2 s)", stats(&mut receive));
    println!("sync with nothing to do: {}", secs(idle));
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|d| {
            d.flatten()
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        dir_size(&p)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}
