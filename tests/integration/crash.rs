//! The crash harness (issue 16): real `debrief` processes (imports, edits, team syncs,
//! reindexes, restores) and the app's autosave (`examples/autosave_writer.rs`, the core call
//! the window makes) are killed with SIGKILL at random moments. After each kill:
//! - SQLite's `PRAGMA integrity_check` says ok;
//! - every write acknowledged before the kill is there (a `debrief new` that exited 0, an
//!   import that exited 0, an autosave that printed `saved N`);
//! - no import is half done (each file's postmortems are all there or none);
//! - `debrief check` (a fresh start, which reconciles the search index with the database)
//!   reports no problem and no index drift.
//!
//! The normal test run kills a few processes. The full run (README "Data safety"):
//!   DEBRIEF_KILLS=240 cargo test --test integration crash:: -- --nocapture
//! The run prints its seed; DEBRIEF_CRASH_SEED=N repeats a run, or tries other moments.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use debrief::exchange::json::LibraryDocument;

/// Kills in the normal test run; DEBRIEF_KILLS sets another count.
const DEFAULT_KILLS: usize = 12;
/// Postmortems per imported file.
const PER_IMPORT: usize = 120;

/// A small deterministic generator (xorshift64*): the run is the same for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Import,
    New,
    Reindex,
    Sync,
    Autosave,
    Restore,
}

const OPS: [Op; 6] = [Op::Import, Op::New, Op::Reindex, Op::Sync, Op::Autosave, Op::Restore];

/// What the library must hold: the writes acknowledged so far.
#[derive(Clone, Default)]
struct Acked {
    /// Titles of postmortems made by a `debrief new` that exited 0.
    titles: BTreeSet<String>,
    /// Import rounds whose process exited 0.
    imports: BTreeSet<usize>,
    /// The highest `saved N` the autosave printed.
    autosave: u64,
}

/// Starts a command with its output dropped and its errors kept (for the failure message).
trait Quiet {
    fn quiet(&mut self) -> std::process::Child;
}

impl Quiet for Command {
    fn quiet(&mut self) -> std::process::Child {
        self.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
    }
}

/// What a run that ended on its own (and succeeded) acknowledged.
type OnSuccess = Box<dyn FnOnce(&mut Acked)>;

struct Harness {
    lib: PathBuf,
    work: PathBuf,
    debrief: PathBuf,
    writer: PathBuf,
    autosave_id: String,
    acked: Acked,
    /// Every import round started (acknowledged or not): each must be whole or absent.
    rounds: Vec<usize>,
    /// The backup restores go back to, and what was acknowledged when it was made.
    snapshot: PathBuf,
    at_snapshot: Acked,
}

impl Harness {
    fn debrief(&self) -> Command {
        let mut c = Command::new(&self.debrief);
        c.arg("--library").arg(&self.lib).env("GIT_TERMINAL_PROMPT", "0");
        c
    }

    fn run_ok(&self, args: &[&str]) -> String {
        let out = self.debrief().args(args).output().unwrap();
        assert!(out.status.success(), "debrief {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn import_file(&self, round: usize) -> PathBuf {
        let end = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let pms = debrief::synthetic::generate(10_000 + round as u64, PER_IMPORT, end)
            .map(|mut pm| {
                pm.title = format!("[round {round}] {}", pm.title);
                pm
            })
            .collect();
        let path = self.work.join(format!("round-{round}.json"));
        std::fs::write(&path, LibraryDocument::of(pms).to_json()).unwrap();
        path
    }

    /// Starts `op`; returns the child and what to record if it ends on its own.
    fn start(&mut self, op: Op, round: usize) -> (std::process::Child, OnSuccess) {
        match op {
            Op::Import => {
                let file = self.import_file(round);
                self.rounds.push(round);
                let child = self.debrief().arg("import").arg(file).quiet();
                (
                    child,
                    Box::new(move |a: &mut Acked| {
                        a.imports.insert(round);
                    }),
                )
            }
            Op::New => {
                let title = format!("Acknowledged edit {round}");
                let child = self.debrief().args(["new", "--title", &title]).quiet();
                (
                    child,
                    Box::new(move |a: &mut Acked| {
                        a.titles.insert(title);
                    }),
                )
            }
            Op::Reindex => (self.debrief().arg("reindex").quiet(), Box::new(|_| {})),
            Op::Sync => (self.debrief().arg("sync").quiet(), Box::new(|_| {})),
            Op::Restore => {
                let child = self.debrief().arg("restore").arg(&self.snapshot).quiet();
                let back = self.at_snapshot.clone();
                (child, Box::new(move |a: &mut Acked| *a = back))
            }
            Op::Autosave => {
                let child = Command::new(&self.writer)
                    .arg(&self.lib)
                    .arg(&self.autosave_id)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap();
                (child, Box::new(|_| {}))
            }
        }
    }

    /// What the library holds now: titles, rows per import round, the autosave's number.
    fn state(&self) -> (BTreeSet<String>, Vec<(usize, i64)>, u64) {
        let conn = rusqlite::Connection::open(self.lib.join("debrief.sqlite3")).unwrap();
        let rows: Vec<String> = {
            let check: Vec<String> = conn
                .prepare("PRAGMA integrity_check")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(check, vec!["ok".to_string()], "integrity_check");
            conn.prepare("SELECT title FROM postmortems")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let rounds = self
            .rounds
            .iter()
            .map(|&r| {
                let n: i64 = conn
                    .query_row(
                        "SELECT count(*) FROM postmortems WHERE title LIKE ?1",
                        [format!("[round {r}] %")],
                        |x| x.get(0),
                    )
                    .unwrap();
                (r, n)
            })
            .collect();
        let body: Option<String> = conn
            .query_row(
                "SELECT body FROM sections WHERE postmortem_id = ?1 ORDER BY position LIMIT 1",
                [&self.autosave_id],
                |r| r.get(0),
            )
            .ok();
        let saved = body.and_then(|b| b.strip_prefix("autosave ").and_then(|n| n.parse().ok())).unwrap_or(0);
        (rows.into_iter().collect(), rounds, saved)
    }

    /// Whether the library holds at least what `acked` says.
    fn holds(&self, acked: &Acked) -> Result<(), String> {
        let (titles, rounds, saved) = self.state();
        if let Some(t) = acked.titles.iter().find(|t| !titles.contains(*t)) {
            return Err(format!("acknowledged postmortem {t:?} is missing"));
        }
        for (r, n) in rounds {
            if n != 0 && n != PER_IMPORT as i64 {
                return Err(format!("import round {r} is half done: {n} of {PER_IMPORT}"));
            }
            if acked.imports.contains(&r) && n == 0 {
                return Err(format!("acknowledged import round {r} is missing"));
            }
        }
        if saved < acked.autosave {
            return Err(format!("the autosave acknowledged {} but the library holds {saved}", acked.autosave));
        }
        Ok(())
    }
}

#[test]
fn killed_processes_lose_nothing_acknowledged_and_leave_a_consistent_library() {
    #[allow(clippy::disallowed_methods)] // the count of a long run is the caller's to set
    let kills: usize = std::env::var("DEBRIEF_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_KILLS);
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().to_path_buf();
    let debrief = PathBuf::from(env!("CARGO_BIN_EXE_debrief"));
    // The example is built beside the test binaries (target/<profile>/examples).
    let exe = std::env::current_exe().unwrap();
    let writer = exe.parent().and_then(Path::parent).unwrap().join("examples/autosave_writer");
    assert!(writer.exists(), "build the example first: cargo build --example autosave_writer ({})", writer.display());

    let remote = work.join("remote.git");
    let git = Command::new("git").args(["init", "--bare", "--quiet", "-b", "main"]).arg(&remote).status().unwrap();
    assert!(git.success());
    let mut h = Harness {
        lib: work.join("lib"),
        work: work.clone(),
        debrief,
        writer,
        autosave_id: String::new(),
        acked: Acked::default(),
        rounds: Vec::new(),
        snapshot: work.join("snapshot.sqlite3"),
        at_snapshot: Acked::default(),
    };
    h.autosave_id = h.run_ok(&["new", "--title", "Autosaved by the harness"]).trim().to_string();
    h.acked.titles.insert("Autosaved by the harness".into());
    h.run_ok(&["sync", "--remote", remote.to_str().unwrap(), "--author", "Kill Harness <kills@example.com>"]);
    h.run_ok(&["backup", "--out", h.snapshot.to_str().unwrap()]);
    h.at_snapshot = h.acked.clone();

    // How long each operation takes when left alone: kills land anywhere in that span.
    let mut typical = std::collections::HashMap::new();
    #[allow(clippy::disallowed_methods)] // as the count
    let seed: u64 =
        std::env::var("DEBRIEF_CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x00C0_FFEE_D15C_0B01);
    eprintln!("crash harness: seed {seed} (DEBRIEF_CRASH_SEED), {kills} kills");
    // Never zero: xorshift would stay at zero.
    let mut rng = Rng((seed ^ kills as u64).max(1));
    let mut round = 0;
    let mut killed = 0;
    let mut finished = 0;
    let mut per_op: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let started = Instant::now();
    while killed < kills {
        let op = OPS[rng.below(OPS.len() as u64) as usize];
        round += 1;
        let (mut child, record) = h.start(op, round);
        // Until an operation has run to its end once, kills spread over its first 1.5 s.
        let span: &Duration = typical.entry(format!("{op:?}")).or_insert(Duration::from_millis(1500));
        let delay = Duration::from_micros(rng.below(span.as_micros() as u64 + 1));
        let begun = Instant::now();
        // The autosave's acknowledgements are read as they come.
        let acks = child.stdout.take().map(|out| {
            std::thread::spawn(move || {
                let mut last = 0u64;
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    if let Some(n) = line.strip_prefix("saved ").and_then(|n| n.parse().ok()) {
                        last = n;
                    }
                }
                last
            })
        });
        let mut ended = None;
        while begun.elapsed() < delay {
            if let Some(status) = child.try_wait().unwrap() {
                ended = Some(status);
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let entry = per_op.entry(format!("{op:?}")).or_default();
        match ended {
            Some(status) => {
                // Kills spread over a quarter more than it took, so some runs still finish.
                typical.insert(format!("{op:?}"), begun.elapsed().max(Duration::from_millis(20)).mul_f64(1.25));
                let mut stderr = String::new();
                use std::io::Read;
                child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
                // A sync may fail (the remote moved after a killed push): that is not a loss.
                assert!(status.success() || op == Op::Sync, "{op:?} failed on its own: {stderr}");
                if status.success() {
                    record(&mut h.acked);
                }
                finished += 1;
                entry.1 += 1;
            }
            None => {
                child.kill().unwrap();
                child.wait().unwrap();
                killed += 1;
                entry.0 += 1;
            }
        }
        if let Some(acks) = acks {
            h.acked.autosave = h.acked.autosave.max(acks.join().unwrap());
        }
        // A restore killed midway leaves the old library or the snapshot, never a mix.
        let check = h.holds(&h.acked);
        if op == Op::Restore && check.is_err() {
            h.holds(&h.at_snapshot)
                .unwrap_or_else(|e| panic!("round {round}: a killed restore left neither library: {e}"));
            h.acked = h.at_snapshot.clone();
        } else {
            check.unwrap_or_else(|e| panic!("round {round} ({op:?}, killed: {}): {e}", ended.is_none()));
        }
        // The next start reconciles the index; `check` must find nothing wrong.
        let out = h.debrief().args(["check", "--json"]).output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("round {round}: check: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(report["problems"], serde_json::json!([]), "round {round} ({op:?}): {report}");
    }
    println!(
        "crash harness: {killed} kills and {finished} runs left to finish in {:.1} s; per operation (killed, finished): {per_op:?}",
        started.elapsed().as_secs_f64()
    );
}
