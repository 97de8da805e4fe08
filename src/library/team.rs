//! Use cases of the team library (see [`crate::team`]): connect, sync, status, and choosing
//! a version of a conflicting field.
//!
//! A sync, in order, so that a kill at any moment leaves both sides consistent:
//! 1. fetch the remote's branch (R); the library last synced commit L, and their merge base B;
//! 2. merge in memory: for every postmortem changed on either side, B's, this library's and
//!    R's versions, field by field; read every changed file, reporting those that fail;
//! 3. if this library has anything to send, commit the merged files on top of R (objects
//!    only) and push; someone pushed first: start again; unreachable: nothing changes;
//! 4. one database transaction takes in what came, records each file as synced and the new
//!    commit. A kill before it leaves the pushed commit for the next sync, which finds it
//!    already holds this library's changes and merges without conflicts.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::exchange::{keep_stored_times, understand_markdown};
use super::Library;
use crate::clock::now;
use crate::error::{Error, Result};
use crate::exchange::debrief_md;
use crate::exchange::json::{CategoryRoiInputs, LibraryDocument};
use crate::history::Why;
use crate::model::Postmortem;
use crate::progress::Progress;
use crate::store::{self, postmortems, team as state};
use crate::team::git::{self, Git, Identity, Pushed};
use crate::team::merge::{self, Authors};
use crate::team::{self as layout, TeamSettings, SETTINGS_FILE};
use crate::wire::{ConflictedPostmortem, FileProblem, SyncReport, TeamStatus};

/// The bare repository's folder inside a library folder.
pub const TEAM_DIR: &str = "team.git";
/// Pushes tried before giving up on a remote that keeps moving.
const ATTEMPTS: usize = 4;
/// Files read (on every core) at a time.
const READ_CHUNK: usize = 256;

/// A postmortem's versions in one sync.
struct Sides {
    /// Its file in the repository (where R has it, else where it was synced, else new).
    path: Option<String>,
    base: Option<Postmortem>,
    theirs: Option<Postmortem>,
    /// R's version is another tool's Markdown (its times are the library's, not the file's).
    theirs_foreign: bool,
    /// R's version states no incident date (the importer took today's).
    theirs_date_guessed: bool,
    theirs_changed: bool,
    ours_changed: bool,
}

/// Who syncs, with which repository, against which of the remote's commits.
#[derive(Clone, Copy)]
struct Round<'a> {
    who: &'a Identity,
    git: &'a Git,
    theirs: Option<&'a str>,
}

/// What a sync would do, worked out in memory.
#[derive(Default)]
struct Plan {
    /// Postmortems to store (merged or received) and to delete.
    store: Vec<Postmortem>,
    delete: Vec<String>,
    /// Files to write in the commit: path and text, or `None` to remove.
    files: Vec<(String, Option<String>)>,
    /// Every postmortem's file and version once synced (for `team_files`), and those gone.
    synced: Vec<(String, String, DateTime<Utc>)>,
    forgotten: Vec<String>,
    /// Settings to take in.
    settings: Option<TeamSettings>,
    report: SyncReport,
    problems: Vec<(String, String)>,
}

impl Library {
    fn team_git(&self) -> Git {
        Git::at(&self.dir.join(TEAM_DIR))
    }

    /// Connects the library to the git repository at `url` and syncs: an empty repository gets
    /// the library's postmortems, an existing one's files (Debrief's or anyone's Markdown) come
    /// in. Connecting to another repository forgets what was synced with the last one.
    /// `author` (a name and email) is who this library commits as; `None`: git's own user.
    pub fn team_connect(
        &mut self,
        url: &str,
        author: Option<(&str, &str)>,
        progress: &mut Progress,
    ) -> Result<SyncReport> {
        let url = url.trim();
        if url.is_empty() {
            return Err(Error::invalid("remote", "give the repository's URL or path"));
        }
        // A folder named by a relative path is kept absolute: later syncs run from anywhere.
        let absolute = std::path::Path::new(url)
            .canonicalize()
            .ok()
            .filter(|_| !url.contains("://"))
            .map(|p| p.display().to_string());
        let url = absolute.as_deref().unwrap_or(url);
        if let Some(a) = author {
            check_author(a)?;
        }
        // Asked before anything of the current connection is touched: a typo changes nothing.
        let branch = git::remote_default_branch(url)?.unwrap_or_else(|| "main".to_string());
        let git = self.team_git();
        let same = state::remote(&self.conn)?.is_some_and(|r| r.url == url);
        if !same && git.dir().exists() {
            let _lock = SyncLock::wait(&git)?;
            std::fs::remove_dir_all(git.dir()).map_err(|e| Error::io(git.dir(), e))?;
        }
        git.init(url)?;
        if !same {
            state::connect(&self.conn, url, &branch)?;
        }
        if author.is_some() {
            self.team_set_author(author)?;
        }
        self.team_sync(progress)
    }

    /// Stops sharing the library: the postmortems stay, the link to the repository goes.
    pub fn team_disconnect(&mut self) -> Result<()> {
        let git = self.team_git();
        if git.dir().exists() {
            let _lock = SyncLock::wait(&git)?;
            state::disconnect(&self.conn)?;
            std::fs::remove_dir_all(git.dir()).map_err(|e| Error::io(git.dir(), e))?;
        } else {
            state::disconnect(&self.conn)?;
        }
        Ok(())
    }

    /// Sets the minutes between the app's automatic syncs (0: none).
    pub fn team_set_interval(&mut self, minutes: u32) -> Result<()> {
        self.connected()?;
        if minutes > 24 * 60 {
            return Err(Error::invalid("interval_minutes", "at most once a day (1440 minutes)"));
        }
        state::set_interval(&self.conn, minutes)
    }

    /// Sets the name and email commits are made with; `None` to use git's own.
    pub fn team_set_author(&mut self, author: Option<(&str, &str)>) -> Result<()> {
        self.connected()?;
        if let Some(a) = author {
            check_author(a)?;
        }
        state::set_author(&self.conn, author.map(|(n, e)| (n.trim(), e.trim())))
    }

    fn connected(&self) -> Result<store::team::Remote> {
        state::remote(&self.conn)?.ok_or_else(|| {
            Error::Git(
                "this library is not shared; connect it with `debrief sync --remote URL` or in Settings → Team library"
                    .into(),
            )
        })
    }

    /// Where the team library stands. With `fetch`, asks the remote first (so "to receive"
    /// is current, and an unreachable remote shows as offline).
    pub fn team_status(&mut self, fetch: bool) -> Result<TeamStatus> {
        let Some(remote) = state::remote(&self.conn)? else {
            let me = git::user_identity();
            return Ok(TeamStatus {
                url: None,
                branch: None,
                state: "not_connected".into(),
                to_send: 0,
                to_receive: 0,
                conflicts: vec![],
                problems: vec![],
                synced_at: None,
                offline_since: None,
                offline_reason: None,
                interval_minutes: 0,
                author_name: me.as_ref().map(|i| i.name.clone()).unwrap_or_default(),
                author_email: me.map(|i| i.email).unwrap_or_default(),
                author_set_here: false,
                last_report: None,
            });
        };
        let git = self.team_git();
        let mut remote = remote;
        // A sync running elsewhere (the CLI) is fetching anyway: the status reads what is there.
        let fetching = if fetch { SyncLock::take(&git).ok() } else { None };
        if fetching.is_some() {
            match git.fetch(&remote.branch) {
                Ok(_) if remote.offline.is_some() => state::clear_offline(&self.conn)?,
                Ok(_) => {}
                Err(e) => {
                    let report = remote.last_report.clone().unwrap_or_default();
                    state::set_offline(&self.conn, now(), &e.to_string(), &report)?;
                }
            }
            remote = self.connected()?;
        }
        let tracking = git.rev(&format!("refs/remotes/origin/{}", remote.branch))?;
        let to_receive = match (&remote.synced_commit, &tracking) {
            (Some(l), Some(r)) if l != r => git.changed(l, r)?.iter().filter(|p| layout::is_postmortem_path(p)).count(),
            (None, Some(r)) => git.files(r)?.iter().filter(|(p, _)| layout::is_postmortem_path(p)).count(),
            _ => 0,
        };
        let to_send = state::pending(&self.conn)?.len();
        let conflicts: Vec<ConflictedPostmortem> = state::conflicted(&self.conn)?
            .into_iter()
            .map(|(id, title, fields)| ConflictedPostmortem { id, title, fields })
            .collect();
        let problems: Vec<FileProblem> =
            state::problems(&self.conn)?.into_iter().map(|(path, message)| FileProblem { path, message }).collect();
        let word = if !conflicts.is_empty() {
            "conflict"
        } else if remote.offline.is_some() {
            "offline"
        } else if to_receive > 0 {
            "to_receive"
        } else if to_send > 0 {
            "to_send"
        } else {
            "up_to_date"
        };
        let git_identity = git::user_identity();
        let (author_name, author_email) = match (&remote.author, &git_identity) {
            (Some((n, e)), _) => (n.clone(), e.clone()),
            (None, Some(i)) => (i.name.clone(), i.email.clone()),
            (None, None) => (String::new(), String::new()),
        };
        Ok(TeamStatus {
            url: Some(remote.url.clone()),
            branch: Some(remote.branch.clone()),
            state: word.into(),
            to_send,
            to_receive,
            conflicts,
            problems,
            synced_at: remote.synced_at.map(|t| t.to_rfc3339()),
            offline_since: remote.offline.as_ref().map(|(t, _)| t.to_rfc3339()),
            offline_reason: remote.offline.map(|(_, r)| r),
            interval_minutes: remote.interval_minutes,
            author_name,
            author_email,
            author_set_here: remote.author.is_some(),
            last_report: remote.last_report.as_deref().and_then(|r| serde_json::from_str(r).ok()),
        })
    }

    /// Settles conflict `conflict_id` of postmortem `id` on its version `choice` (0 is the one
    /// the field holds); saved like any edit, so the choice is sent on the next sync.
    pub fn resolve_conflict(
        &mut self,
        id: &str,
        conflict_id: &str,
        choice: usize,
    ) -> Result<crate::model::PostmortemView> {
        // Chosen on the version read in the write's own transaction: a sync committed a moment
        // before is not overwritten.
        self.rewrite(id, Why::Edit, |stored, _| merge::choose(stored, conflict_id, choice))
    }

    /// Syncs with the repository: fetch, merge field by field, commit this library's changes
    /// with the user's git identity, push, and take in what came. Unreachable: nothing
    /// changes, and the report says why (the library keeps working; the next sync catches up).
    pub fn team_sync(&mut self, progress: &mut Progress) -> Result<SyncReport> {
        let remote = self.connected()?;
        let git = self.team_git();
        let _lock = SyncLock::wait(&git)?;
        git.clear_stale_locks();
        let who = match &remote.author {
            Some((name, email)) => Identity { name: name.clone(), email: email.clone() },
            None => git::user_identity().ok_or_else(|| {
                Error::Git(
                    "git does not know your name and email: set them in Settings → Team library, or run \
                     `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.com`"
                        .into(),
                )
            })?,
        };
        let at = now();
        let mut done = SyncReport::default();
        if !git.dir().join("HEAD").exists() {
            // The repository folder was removed: made again, and filled by the fetch.
            git.init(&remote.url)?;
        }
        for _ in 0..ATTEMPTS {
            progress.step("fetching", 0, 1)?;
            let theirs = match git.fetch(&remote.branch) {
                Ok(r) => r,
                Err(e) => return self.went_offline(&remote, e, at),
            };
            let remote = self.connected()?;
            if theirs.is_none() && remote.synced_commit.is_some() {
                return Err(Error::Git(format!(
                    "the branch {:?} is no longer in {}; was it renamed? Connect again with the repository's URL to sync with its default branch",
                    remote.branch, remote.url
                )));
            }
            // Whatever another process commits from here on makes this round start again, so
            // what it wrote is never overwritten by what was planned before it.
            let stamp = store::analytics::change_stamp(&self.conn)?;
            let mut plan = self.plan(&git, &remote, theirs.as_deref(), &who, progress)?;
            plan.report.at = at.to_rfc3339();
            let commit = if plan.files.is_empty() {
                theirs.clone()
            } else {
                progress.step("sending", 0, 1)?;
                let texts: Vec<&[u8]> =
                    plan.files.iter().filter_map(|(_, t)| t.as_deref().map(str::as_bytes)).collect();
                let mut blobs = git.write_blobs(&texts)?.into_iter();
                let changes: Vec<(String, Option<String>)> = plan
                    .files
                    .iter()
                    .map(|(path, text)| (path.clone(), text.as_ref().and_then(|_| blobs.next())))
                    .collect();
                let parents: Vec<&str> = theirs.iter().map(String::as_str).collect();
                let c = git.commit(theirs.as_deref(), &changes, &parents, &commit_message(&plan.report), &who)?;
                match git.push(&c, &remote.branch) {
                    Pushed::Done => Some(c),
                    Pushed::Behind => continue,
                    Pushed::Refused(m) => return Err(Error::Git(format!("the repository refused the push: {m}"))),
                    Pushed::Unreachable(m) => return self.went_offline(&remote, Error::Git(m), at),
                }
            };
            plan.report.commit = commit.clone();
            // The report covers every round of this sync (one that started again included).
            done = combine(done, plan.report.clone());
            plan.report = done.clone();
            if !self.take_in(plan, commit.as_deref(), at, stamp, progress)? {
                // Changed meanwhile: the pushed commit holds this round's changes, and the next
                // round merges it with what was written since, without conflicts.
                continue;
            }
            if let Some(c) = &commit {
                // Only for people looking at the repository with git; the database is the record.
                let _ = git.set_branch(&remote.branch, c);
            }
            return Ok(done);
        }
        Err(Error::Git("the repository or the library kept changing while syncing; sync again in a moment".into()))
    }

    fn went_offline(&mut self, remote: &store::team::Remote, e: Error, at: DateTime<Utc>) -> Result<SyncReport> {
        let reason = e.to_string();
        let report = SyncReport {
            at: at.to_rfc3339(),
            commit: remote.synced_commit.clone(),
            offline: Some(reason.clone()),
            ..Default::default()
        };
        let json = serde_json::to_string(&report).map_err(|e| Error::Render(e.to_string()))?;
        state::set_offline(&self.conn, at, &reason, &json)?;
        Ok(report)
    }

    /// Works out the sync against R (`theirs`, `None`: the branch does not exist yet).
    fn plan(
        &mut self,
        git: &Git,
        remote: &store::team::Remote,
        theirs: Option<&str>,
        who: &Identity,
        progress: &mut Progress,
    ) -> Result<Plan> {
        let today = crate::clock::today();
        let at = now();
        let ours_commit = match &remote.synced_commit {
            Some(l) => git.rev(l)?,
            None => None,
        };
        let base_commit = match (&ours_commit, theirs) {
            (Some(l), Some(r)) => git.merge_base(l, r)?,
            _ => None,
        };
        let r_files: HashMap<String, String> = match theirs {
            Some(r) => git.files(r)?.into_iter().collect(),
            None => HashMap::new(),
        };
        let b_files: HashMap<String, String> = match &base_commit {
            Some(b) => git.files(b)?.into_iter().collect(),
            None => HashMap::new(),
        };
        let relevant = |p: &String| layout::is_postmortem_path(p);
        let mut their_paths: Vec<String> = match (&base_commit, theirs) {
            (Some(b), Some(r)) if b != r => git.changed(b, r)?.into_iter().filter(relevant).collect(),
            (None, Some(_)) => r_files.keys().filter(|p| relevant(p)).cloned().collect(),
            _ => vec![],
        };
        // Files that could not be read last time are read again (fixed by hand, perhaps).
        for (path, _) in state::problems(&self.conn)? {
            if !their_paths.contains(&path) {
                their_paths.push(path);
            }
        }
        let mut our_paths: Vec<String> = match (&base_commit, &ours_commit) {
            (Some(b), Some(l)) if b != l => git.changed(b, l)?.into_iter().filter(relevant).collect(),
            _ => vec![],
        };
        their_paths.sort();
        our_paths.sort();

        // Read R's and B's versions of every path either side changed, on every core.
        let mut paths: Vec<String> =
            their_paths.iter().chain(&our_paths).cloned().collect::<HashSet<_>>().into_iter().collect();
        paths.sort();
        let mut wanted: Vec<(String, bool, String)> = Vec::new(); // (path, from R, blob)
        for p in &paths {
            if let Some(sha) = r_files.get(p) {
                wanted.push((p.clone(), true, sha.clone()));
            }
            if let Some(sha) = b_files.get(p) {
                wanted.push((p.clone(), false, sha.clone()));
            }
        }
        progress.step("reading", 0, wanted.len())?;
        let blobs = git.blobs(&wanted.iter().map(|w| w.2.clone()).collect::<Vec<_>>())?;
        let texts: Vec<(String, bool, Vec<u8>)> =
            wanted.into_iter().zip(blobs).map(|((p, r, _), b)| (p, r, b)).collect();
        let understood = read_all(&texts, today, at, progress)?;

        let mut plan = Plan::default();
        let synced_files = state::files(&self.conn)?;
        let mut sides: HashMap<String, Sides> = HashMap::new();
        let blank = |path: Option<String>| Sides {
            path,
            base: None,
            theirs: None,
            theirs_foreign: false,
            theirs_date_guessed: false,
            theirs_changed: false,
            ours_changed: false,
        };
        let mut r_ids_at: HashMap<String, String> = HashMap::new();
        for ((path, from_r, _), result) in texts.iter().zip(understood) {
            match (from_r, result) {
                (true, Ok((pm, foreign, date_guessed))) => {
                    // A copied file keeps the id it was copied from: only the first file is
                    // the postmortem; the copy is reported until it gets an id of its own.
                    let synced_at =
                        synced_files.get(&pm.id).map(|(p, _)| p).filter(|p| *p != path && r_files.contains_key(*p));
                    let read_here = r_ids_at.iter().find(|(p, id)| **id == pm.id && *p != path).map(|(p, _)| p);
                    if let Some(first) = synced_at.or(read_here).cloned() {
                        plan.problems.push((
                            path.clone(),
                            format!("{path}: the same postmortem (id {}) as {first}; give the copy a new id (or delete the id line) to import it", pm.id),
                        ));
                        continue;
                    }
                    r_ids_at.insert(path.clone(), pm.id.clone());
                    let s = sides.entry(pm.id.clone()).or_insert_with(|| blank(Some(path.clone())));
                    s.path = Some(path.clone());
                    s.theirs_changed |= their_paths.contains(path);
                    s.ours_changed |= our_paths.contains(path);
                    s.theirs_foreign = foreign;
                    s.theirs_date_guessed = date_guessed;
                    s.theirs = Some(pm);
                }
                (true, Err(e)) => plan.problems.push((path.clone(), e.to_string())),
                (false, Ok((pm, _, _))) => {
                    let s = sides.entry(pm.id.clone()).or_insert_with(|| blank(None));
                    s.theirs_changed |= their_paths.contains(path) && !r_files.contains_key(path);
                    s.ours_changed |= our_paths.contains(path);
                    s.base = Some(pm);
                }
                (false, Err(_)) => {}
            }
        }
        // A file deleted in the repository: its postmortem, by the path it was synced at.
        for path in their_paths.iter().filter(|p| !r_files.contains_key(*p) && layout::is_postmortem_path(p)) {
            if let Some((id, _)) = synced_files.iter().find(|(_, (p, _))| p == path) {
                let s = sides.entry(id.clone()).or_insert_with(|| blank(None));
                s.theirs_changed = true;
            }
        }
        for id in state::pending(&self.conn)? {
            let s = sides.entry(id.clone()).or_insert_with(|| blank(None));
            s.ours_changed = true;
            if s.path.is_none() {
                s.path = synced_files.get(&id).map(|(p, _)| p.clone());
            }
        }
        // A pending postmortem whose file R has but neither side changed: R's version is the base.
        let unread: Vec<(String, String)> = sides
            .iter()
            .filter(|(_, s)| s.ours_changed && !s.theirs_changed && s.theirs.is_none())
            .filter_map(|(id, s)| s.path.as_ref().and_then(|p| r_files.get(p).map(|sha| (id.clone(), sha.clone()))))
            .collect();
        if !unread.is_empty() {
            let blobs = git.blobs(&unread.iter().map(|u| u.1.clone()).collect::<Vec<_>>())?;
            for ((id, _), blob) in unread.iter().zip(blobs) {
                let s = sides.get_mut(id).expect("listed");
                let path = s.path.clone().unwrap_or_default();
                if let Ok(u) = std::str::from_utf8(&blob)
                    .map_err(|_| ())
                    .and_then(|t| understand_markdown(t, &path, &path, today, at).map_err(|_| ()))
                {
                    s.theirs_foreign = u.report.format != "debrief";
                    s.theirs = Some(u.postmortem.clone());
                    s.base = Some(u.postmortem);
                }
            }
        }
        let problem_paths: HashSet<String> = plan.problems.iter().map(|(p, _)| p.clone()).collect();
        let mut taken: HashSet<String> = r_files.keys().cloned().collect();
        let mut ids: Vec<String> = sides.keys().cloned().collect();
        ids.sort();
        for id in ids {
            let s = sides.remove(&id).expect("listed");
            if s.path.as_deref().is_some_and(|p| problem_paths.contains(p)) {
                // R's file is unreadable: nothing is applied or written over it until it is fixed.
                continue;
            }
            self.settle(&id, s, &Round { who, git, theirs }, &mut taken, &mut plan)?;
        }
        let settings_blob: Vec<String> = r_files.get(SETTINGS_FILE).into_iter().cloned().collect();
        let theirs_settings = git.blobs(&settings_blob)?.pop().map(|b| String::from_utf8_lossy(&b).into_owned());
        self.plan_settings(theirs_settings.as_deref(), &mut plan)?;
        plan.report.problems = plan
            .problems
            .iter()
            .map(|(path, message)| FileProblem { path: path.clone(), message: message.clone() })
            .collect();
        Ok(plan)
    }

    /// Decides one postmortem: what the library stores, what the commit writes.
    fn settle(
        &mut self,
        id: &str,
        s: Sides,
        round: &Round,
        taken: &mut HashSet<String>,
        plan: &mut Plan,
    ) -> Result<()> {
        let Round { who, git, theirs: theirs_commit } = *round;
        let ours = postmortems::find(&self.conn, id)?;
        let mut theirs = s.theirs;
        if let (Some(t), Some(o)) = (theirs.as_mut(), ours.as_ref()) {
            postmortems::as_loaded(&self.conn, t)?;
            if s.theirs_foreign {
                keep_stored_times(t, o, s.theirs_date_guessed);
            }
        }
        // What R holds now: its version if changed there, else the base (or ours, first sync).
        let r_version = if s.theirs_changed { theirs.clone() } else { theirs.clone().or_else(|| s.base.clone()) };
        let result: Option<Postmortem> = match (s.ours_changed, s.theirs_changed) {
            (false, false) => return Ok(()),
            (false, true) => r_version.clone(),
            (true, false) => ours.clone(),
            (true, true) => match (ours.as_ref(), theirs.as_ref()) {
                (None, None) => None,
                (Some(o), None) => {
                    if s.base.is_some() {
                        plan.report
                            .notices
                            .push(format!("\"{}\" was deleted in the repository but edited here: kept", o.title));
                    }
                    Some(o.clone())
                }
                (None, Some(t)) => {
                    plan.report
                        .notices
                        .push(format!("\"{}\" was deleted here but edited in the repository: kept", t.title));
                    Some(t.clone())
                }
                (Some(o), Some(t)) => {
                    let theirs_by = match (theirs_commit, &s.path) {
                        (Some(c), Some(p)) => git.author_of(c, p).unwrap_or_else(|| "the repository".into()),
                        _ => "the repository".into(),
                    };
                    let authors = Authors { ours: &who.name, theirs: &theirs_by };
                    match merge::postmortems(s.base.as_ref(), o, t, authors, &mut crate::clock::new_id) {
                        Ok(m) if m.postmortem.validate(crate::clock::today()).is_ok() => {
                            plan.report.merged += 1;
                            plan.report.new_conflicts += m.new_conflicts;
                            plan.report.notices.extend(m.notices.into_iter().map(|n| format!("\"{}\": {n}", o.title)));
                            Some(m.postmortem)
                        }
                        // Merged field by field, the result breaks a rule (two "resolved"
                        // markers, one section key twice): both whole versions are kept to choose
                        // from, ours shown meanwhile.
                        _ => {
                            plan.report.merged += 1;
                            plan.report.new_conflicts += 1;
                            plan.report.notices.push(format!(
                                "\"{}\" could not be merged field by field: both whole versions are kept until someone chooses",
                                o.title
                            ));
                            Some(merge::whole_conflict(o, t, authors, crate::clock::new_id())?)
                        }
                    }
                }
            },
        };
        // The library.
        if result != ours {
            match &result {
                Some(pm) => {
                    plan.report.received.push(format!(
                        "{}: {}",
                        if ours.is_some() { "updated" } else { "added" },
                        pm.title
                    ));
                    plan.store.push(pm.clone());
                }
                None => {
                    if let Some(o) = &ours {
                        plan.report.received.push(format!("deleted: {}", o.title));
                        plan.delete.push(id.to_string());
                    }
                }
            }
        }
        // The repository.
        match &result {
            Some(pm) => {
                let path = match &s.path {
                    Some(p) => p.clone(),
                    None => {
                        let p = layout::new_path(pm, |p| taken.contains(p));
                        taken.insert(p.clone());
                        p
                    }
                };
                // R already holds it (perhaps in another tool's words): nothing to write.
                if r_version.as_ref() != Some(pm) {
                    let text = debrief_md::write(pm)?;
                    let verb = if r_version.is_some() { "updated" } else { "added" };
                    plan.report.sent.push(format!("{verb}: {}", pm.title));
                    plan.files.push((path.clone(), Some(text)));
                }
                plan.synced.push((pm.id.clone(), path, pm.updated_at));
            }
            None => {
                if let (Some(path), Some(r)) = (&s.path, &r_version) {
                    if taken.contains(path) {
                        plan.report.sent.push(format!("deleted: {}", r.title));
                        plan.files.push((path.clone(), None));
                    }
                }
                plan.forgotten.push(id.to_string());
            }
        }
        Ok(())
    }

    /// Merges `debrief.yml`: R's text against the library's settings, from the settings as
    /// the last sync left the library (so an entry a teammate removed is not sent back: it
    /// stays in this library, which removes nothing from its taxonomy, but only an edit here
    /// sends it again).
    fn plan_settings(&mut self, theirs_text: Option<&str>, plan: &mut Plan) -> Result<()> {
        let ours = settings_of(&self.conn)?;
        let theirs = match theirs_text.map(TeamSettings::read) {
            Some(Ok(s)) => Some(s),
            Some(Err(e)) => {
                plan.problems.push((SETTINGS_FILE.into(), e.to_string()));
                return Ok(());
            }
            None => None,
        };
        let base = state::synced_settings(&self.conn)?.and_then(|t| TeamSettings::read(&t).ok());
        let mut merged = match (&theirs, &base) {
            (None, _) => ours.clone(),
            (Some(t), Some(b)) if *b == ours => t.clone(),
            (Some(t), _) => {
                let v = |s: &TeamSettings| serde_json::to_value(s).map_err(|e| Error::Render(e.to_string()));
                let (bv, ov, tv) = (base.as_ref().map(v).transpose()?, v(&ours)?, v(t)?);
                let (merged, clashes) = merge::values(bv.as_ref(), &ov, &tv);
                for c in clashes {
                    plan.report
                        .notices
                        .push(format!("{SETTINGS_FILE}: {c} was changed here and in the repository: yours is kept"));
                }
                serde_json::from_value(merged).unwrap_or(ours.clone())
            }
        };
        // ROI inputs need their category: one the merge left without it is reported, not stored.
        let known = |c: &str| {
            merged.categories.iter().any(|k| k.name.eq_ignore_ascii_case(c))
                || ours.categories.iter().any(|k| k.name.eq_ignore_ascii_case(c))
        };
        let (kept, orphans): (Vec<_>, Vec<_>) = merged.roi_inputs.drain(..).partition(|r| known(&r.category));
        merged.roi_inputs = kept;
        for r in orphans {
            plan.report
                .notices
                .push(format!("{SETTINGS_FILE}: ROI inputs for {:?}, a category nobody has, are left out", r.category));
        }
        if theirs.as_ref() != Some(&merged) {
            let text = merged.write()?;
            plan.files.push((SETTINGS_FILE.into(), Some(text)));
            let verb = if theirs_text.is_some() { "updated" } else { "added" };
            plan.report.sent.push(format!("{verb}: the taxonomy, templates and ROI inputs"));
        }
        // Taken in: the entries this library does not have as they are (it removes nothing).
        let new_here = fresh(&merged.services, &ours.services)
            || fresh(&merged.categories, &ours.categories)
            || fresh(&merged.cause_types, &ours.cause_types)
            || fresh(&merged.templates, &ours.templates)
            || fresh(&merged.roi_inputs, &ours.roi_inputs);
        if theirs.is_some() && new_here {
            plan.report.received.push("updated: the taxonomy, templates and ROI inputs".into());
            plan.settings = Some(merged);
        }
        Ok(())
    }

    /// Takes a plan in, in one transaction with the index: postmortems stored and deleted,
    /// files recorded as synced, the commit and the report recorded.
    /// `false` (nothing written) when another process changed the library since `stamp`.
    fn take_in(
        &mut self,
        plan: Plan,
        commit: Option<&str>,
        at: DateTime<Utc>,
        stamp: (i64, u64),
        progress: &mut Progress,
    ) -> Result<bool> {
        let Plan { store: to_store, delete, synced, forgotten, settings, report, problems, .. } = plan;
        let json = serde_json::to_string(&report).map_err(|e| Error::Render(e.to_string()))?;
        let settings = settings.map(|s| LibraryDocument {
            services: s.services,
            categories: s.categories,
            cause_types: s.cause_types,
            roi_inputs: s.roi_inputs,
            templates: s.templates,
            ..LibraryDocument::of(vec![])
        });
        let total = to_store.len();
        let stored = usize::try_from(postmortems::count(&self.conn)?).unwrap_or(usize::MAX);
        let index = &mut self.index;
        store::with_bulk_cache(&mut self.conn, stored.saturating_add(total), |conn| {
            index.save_and_index(conn, progress, |tx, staging, progress| {
                // Written since the plan (an import job, the CLI): nothing is taken in.
                if store::analytics::change_stamp(tx)?.0 != stamp.0 {
                    return Ok(false);
                }
                if let Some(doc) = &settings {
                    super::exchange::store_settings(tx, doc, "debrief.yml")?;
                }
                for (i, pm) in to_store.iter().enumerate() {
                    if i % 50 == 0 {
                        progress.step("saving", i, total)?;
                    }
                    match postmortems::find(tx, &pm.id)? {
                        Some(stored) => postmortems::update(tx, &stored, pm, Why::Sync)?,
                        None => postmortems::insert(tx, pm)?,
                    }
                    staging.index(pm);
                }
                for id in &delete {
                    if postmortems::find(tx, id)?.is_some() {
                        postmortems::delete(tx, id)?;
                    }
                }
                for (id, path, updated_at) in &synced {
                    state::set_file(tx, id, path, updated_at)?;
                }
                for id in &forgotten {
                    state::remove_file(tx, id)?;
                }
                state::set_problems(tx, &problems)?;
                state::set_synced(tx, commit, at, &json)?;
                // The settings as taken in: the base of the next sync's settings merge.
                state::set_synced_settings(tx, &settings_of(tx)?.write()?)?;
                Ok(true)
            })
        })
    }
}

fn check_author((name, email): (&str, &str)) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid("author_name", "must not be blank"));
    }
    if !email.contains('@') || email.trim().contains(char::is_whitespace) {
        return Err(Error::invalid("author_email", "must be an email address"));
    }
    Ok(())
}

/// Reads every file's text: `Ok((postmortem, foreign))` or the error naming the file and line.
fn read_all(
    texts: &[(String, bool, Vec<u8>)],
    today: chrono::NaiveDate,
    at: DateTime<Utc>,
    progress: &mut Progress,
) -> Result<Vec<Result<(Postmortem, bool, bool)>>> {
    let read = |(path, _, bytes): &(String, bool, Vec<u8>)| -> Result<(Postmortem, bool, bool)> {
        let text = std::str::from_utf8(bytes).map_err(|e| Error::Parse {
            location: path.clone(),
            message: format!("is not UTF-8 text (byte {} is not)", e.valid_up_to()),
        })?;
        let u = understand_markdown(text, path, path, today, at)?;
        Ok((u.postmortem, u.report.format != "debrief", u.date_guessed))
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let mut out = Vec::with_capacity(texts.len());
    for (c, chunk) in texts.chunks(READ_CHUNK).enumerate() {
        progress.step("reading", c * READ_CHUNK, texts.len())?;
        let per = chunk.len().div_ceil(workers).max(1);
        let parts: Vec<Vec<Result<(Postmortem, bool, bool)>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .chunks(per)
                .map(|part| (part.len(), scope.spawn(move || part.iter().map(read).collect::<Vec<_>>())))
                .collect();
            handles
                .into_iter()
                .map(|(len, h)| {
                    h.join().unwrap_or_else(|_| {
                        (0..len).map(|_| Err(Error::Render("reading this file stopped unexpectedly".into()))).collect()
                    })
                })
                .collect()
        });
        out.extend(parts.into_iter().flatten());
    }
    Ok(out)
}

/// Whether `merged` holds an entry `ours` does not have as it is.
fn fresh<T: PartialEq>(merged: &[T], ours: &[T]) -> bool {
    merged.iter().any(|e| !ours.contains(e))
}

/// A library's settings as `debrief.yml` holds them.
fn settings_of(conn: &rusqlite::Connection) -> Result<TeamSettings> {
    Ok(TeamSettings {
        debrief: 1,
        services: store::taxonomy::services(conn)?,
        categories: store::taxonomy::categories(conn)?,
        cause_types: store::taxonomy::cause_types(conn)?,
        templates: store::taxonomy::templates(conn)?.into_iter().filter(|t| !t.builtin).collect(),
        roi_inputs: store::roi::saved(conn)?
            .into_iter()
            .map(|(category, inputs)| CategoryRoiInputs { category, inputs })
            .collect(),
    })
}

/// Two rounds of one sync as one report.
fn combine(first: SyncReport, then: SyncReport) -> SyncReport {
    if first.at.is_empty() {
        return then;
    }
    let join = |mut a: Vec<String>, b: Vec<String>| {
        for x in b {
            if !a.contains(&x) {
                a.push(x);
            }
        }
        a
    };
    SyncReport {
        at: first.at,
        commit: then.commit,
        sent: join(first.sent, then.sent),
        received: join(first.received, then.received),
        merged: first.merged + then.merged,
        new_conflicts: first.new_conflicts + then.new_conflicts,
        notices: join(first.notices, then.notices),
        problems: then.problems,
        offline: then.offline,
    }
}

/// The commit's message: a summary line, then what was sent.
fn commit_message(report: &SyncReport) -> String {
    let count = |verb: &str| report.sent.iter().filter(|s| s.starts_with(verb)).count();
    let (added, updated, deleted) = (count("added"), count("updated"), count("deleted"));
    let mut parts = Vec::new();
    for (n, what) in [(added, "added"), (updated, "updated"), (deleted, "deleted")] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let mut msg = format!("Debrief: {}\n\n", parts.join(", "));
    for s in &report.sent {
        msg.push_str(&format!("- {s}\n"));
    }
    msg
}

/// This library's hold on its repository for one sync (a lock file, released when the
/// process ends, however it ends): the app and the CLI never sync one library at once.
struct SyncLock(#[allow(dead_code)] std::fs::File);

/// How long a sync waits for the lock: a status reading (one fetch) holds it for seconds, and
/// another process's sync for longer.
const SYNC_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(90);

impl SyncLock {
    /// Takes the lock, waiting up to [`SYNC_LOCK_WAIT`] while someone else holds it (a sync
    /// asked for while the team screen was reading the remote used to fail at once).
    fn wait(git: &Git) -> Result<SyncLock> {
        let deadline = std::time::Instant::now() + SYNC_LOCK_WAIT;
        loop {
            match SyncLock::take(git) {
                Err(Error::Git(_)) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                taken => return taken,
            }
        }
    }

    /// Takes the lock if it is free.
    fn take(git: &Git) -> Result<SyncLock> {
        let path: PathBuf = git.dir().join("debrief-sync");
        std::fs::create_dir_all(git.dir()).map_err(|e| Error::io(git.dir(), e))?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(SyncLock(file)),
            Err(std::fs::TryLockError::WouldBlock) => {
                Err(Error::Git("another sync of this library is running; try again when it finishes".into()))
            }
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }
}
