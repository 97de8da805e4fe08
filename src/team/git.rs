//! The user's own `git`, run as a child process on a bare repository inside the library
//! folder. Using the user's git (not a library linked in) means authentication works exactly
//! as their git already does: SSH agent and `~/.ssh/config`, credential helpers, HTTPS
//! tokens, proxies. Only plumbing commands are used, so there is no working tree to get out
//! of step: files are read from commits and written as blobs into a tree that is committed.
//!
//! Git never prompts: a remote that wants a password it has no helper for fails with git's
//! message instead of waiting for a terminal that is not there.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// A bare repository and its one remote, `origin`.
pub struct Git {
    dir: PathBuf,
}

/// How a push went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pushed {
    /// The remote's branch is now the commit.
    Done,
    /// Someone pushed first: fetch, merge and try again.
    Behind,
    /// The remote refused the commit (a protected branch, a hook, secret scanning); git's message.
    Refused(String),
    /// The remote could not be reached (or refused us); git's message.
    Unreachable(String),
}

/// Who commits: a name and an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The name shown in the history.
    pub name: String,
    /// The email shown in the history.
    pub email: String,
}

impl Git {
    /// The bare repository at `dir` (made by [`Git::init`]).
    pub fn at(dir: &Path) -> Git {
        Git { dir: dir.to_path_buf() }
    }

    /// The repository's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn command(&self) -> Command {
        let mut c = plain_git();
        c.arg("--git-dir").arg(&self.dir).arg("--literal-pathspecs");
        // ssh is left as the user set it up (core.sshCommand, ~/.ssh/config, the agent): with no
        // terminal (the app) it cannot prompt, and fails with its message.
        c.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        c
    }

    /// Runs git with `args`, feeding `input`; its standard output, or an error with its message.
    fn run_with(&self, args: &[&str], input: Option<&[u8]>, env: &[(&str, &str)]) -> Result<Vec<u8>> {
        let mut c = self.command();
        c.args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        if input.is_some() {
            c.stdin(Stdio::piped());
        }
        let mut child = c.spawn().map_err(|e| missing_git(&e))?;
        // Written from another thread: a large input and a large output must not wait on
        // each other's pipe.
        let writer = input.map(|bytes| {
            let mut stdin = child.stdin.take().expect("piped");
            let bytes = bytes.to_vec();
            std::thread::spawn(move || stdin.write_all(&bytes))
        });
        let output = child.wait_with_output().map_err(|e| Error::io(&self.dir, e))?;
        if let Some(w) = writer {
            let _ = w.join();
        }
        let (status, out, err) = (output.status, output.stdout, String::from_utf8_lossy(&output.stderr).into_owned());
        if !status.success() {
            let said = err.trim();
            let said = if said.is_empty() { format!("exited with {status}") } else { said.to_string() };
            return Err(Error::Git(format!("`git {}` failed: {said}", args.first().copied().unwrap_or(""))));
        }
        Ok(out)
    }

    fn run(&self, args: &[&str]) -> Result<String> {
        let out = self.run_with(args, None, &[])?;
        Ok(String::from_utf8_lossy(&out).trim_end().to_string())
    }

    /// Makes the bare repository (if it is not there yet) with `url` as its `origin`.
    pub fn init(&self, url: &str) -> Result<()> {
        if !self.dir.join("HEAD").exists() {
            std::fs::create_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
            let mut c = plain_git();
            c.args(["init", "--bare", "--quiet"]).arg(&self.dir);
            let out = c.output().map_err(|e| missing_git(&e))?;
            if !out.status.success() {
                return Err(Error::Git(format!("`git init` failed: {}", String::from_utf8_lossy(&out.stderr).trim())));
            }
        }
        self.run(&["config", "remote.origin.url", url])?;
        self.run(&["config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"])?;
        Ok(())
    }

    /// Removes lock files and temporary folders a git (or a sync) killed mid-way left behind.
    /// Called while this library's own sync lock is held; a git a killed sync started may
    /// still be running, so only what is older than a few minutes is taken for stale.
    pub fn clear_stale_locks(&self) {
        let stale = |p: &Path| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > std::time::Duration::from_secs(300))
        };
        fn walk(dir: &Path, stale: &dyn Fn(&Path) -> bool) {
            let Ok(entries) = std::fs::read_dir(dir) else { return };
            for e in entries.flatten() {
                let p = e.path();
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if p.is_dir() {
                    if name.starts_with(".tmp") && stale(&p) {
                        let _ = std::fs::remove_dir_all(&p);
                    } else if name != "objects" {
                        walk(&p, stale);
                    }
                } else if name.ends_with(".lock") && stale(&p) {
                    let _ = std::fs::remove_file(&p);
                }
            }
        }
        walk(&self.dir, &stale);
    }

    /// Fetches `branch` from origin; the remote's commit, `None` when the branch does not exist
    /// there yet.
    pub fn fetch(&self, branch: &str) -> Result<Option<String>> {
        // The remote lists its branches first: fetching a branch an empty repository lacks fails.
        let heads = self.run(&["ls-remote", "--heads", "origin", branch])?;
        if heads.trim().is_empty() {
            return Ok(None);
        }
        let spec = format!("+refs/heads/{branch}:refs/remotes/origin/{branch}");
        self.run(&["fetch", "--quiet", "--no-tags", "origin", &spec])?;
        self.rev(&format!("refs/remotes/origin/{branch}"))
    }

    /// The commit `name` names, if it is a commit here.
    pub fn rev(&self, name: &str) -> Result<Option<String>> {
        match self.run(&["rev-parse", "--verify", "--quiet", &format!("{name}^{{commit}}")]) {
            Ok(sha) if !sha.is_empty() => Ok(Some(sha)),
            _ => Ok(None),
        }
    }

    /// The best common ancestor of two commits, if they have one.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<Option<String>> {
        Ok(self.run(&["merge-base", a, b]).ok().filter(|s| !s.is_empty()))
    }

    /// Every file of `commit`: path and blob id.
    pub fn files(&self, commit: &str) -> Result<Vec<(String, String)>> {
        let out = self.run_with(&["ls-tree", "-r", "-z", "--full-tree", commit], None, &[])?;
        Ok(out
            .split(|b| *b == 0)
            .filter_map(|entry| {
                let entry = std::str::from_utf8(entry).ok()?;
                let (meta, path) = entry.split_once('\t')?;
                let mut parts = meta.split(' ');
                let (_mode, kind, sha) = (parts.next()?, parts.next()?, parts.next()?);
                (kind == "blob").then(|| (path.to_string(), sha.to_string()))
            })
            .collect())
    }

    /// The paths that differ between two commits.
    pub fn changed(&self, from: &str, to: &str) -> Result<Vec<String>> {
        let out = self.run_with(&["diff", "--name-only", "-z", "--no-renames", from, to], None, &[])?;
        Ok(out.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| String::from_utf8_lossy(p).into_owned()).collect())
    }

    /// The contents of blobs, in order, read by one `git cat-file --batch`.
    pub fn blobs(&self, ids: &[String]) -> Result<Vec<Vec<u8>>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let input = ids.join("\n") + "\n";
        let out = self.run_with(&["cat-file", "--batch"], Some(input.as_bytes()), &[])?;
        let mut blobs = Vec::with_capacity(ids.len());
        let mut at = 0;
        for id in ids {
            let eol = out[at..].iter().position(|b| *b == b'\n').map(|p| at + p);
            let header = eol.map(|e| String::from_utf8_lossy(&out[at..e]).into_owned()).unwrap_or_default();
            let size: usize = header
                .split(' ')
                .nth(2)
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| Error::Git(format!("could not read object {id}: {header}")))?;
            let start = eol.expect("a header line") + 1;
            blobs.push(out[start..start + size].to_vec());
            at = start + size + 1;
        }
        Ok(blobs)
    }

    /// Stores each text as a blob; their ids, in order.
    pub fn write_blobs(&self, texts: &[&[u8]]) -> Result<Vec<String>> {
        if texts.is_empty() {
            return Ok(vec![]);
        }
        let temp = tempfile::tempdir_in(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let mut paths = String::new();
        for (i, t) in texts.iter().enumerate() {
            let p = temp.path().join(i.to_string());
            std::fs::write(&p, t).map_err(|e| Error::io(&p, e))?;
            paths.push_str(&p.to_string_lossy());
            paths.push('\n');
        }
        let out =
            self.run_with(&["hash-object", "-w", "--no-filters", "--stdin-paths"], Some(paths.as_bytes()), &[])?;
        Ok(String::from_utf8_lossy(&out).lines().map(str::to_string).collect())
    }

    /// Makes a commit: the tree of `start` (or an empty tree) with `changes` applied (a path
    /// and its new blob, or `None` to remove it), with `parents`, `message` and `who` as author
    /// and committer. Nothing but objects is written: no branch moves.
    pub fn commit(
        &self,
        start: Option<&str>,
        changes: &[(String, Option<String>)],
        parents: &[&str],
        message: &str,
        who: &Identity,
    ) -> Result<String> {
        let temp = tempfile::tempdir_in(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        let index = temp.path().join("index");
        let index = index.to_string_lossy();
        let env = [("GIT_INDEX_FILE", index.as_ref())];
        match start {
            Some(c) => self.run_with(&["read-tree", c], None, &env)?,
            None => self.run_with(&["read-tree", "--empty"], None, &env)?,
        };
        // NUL-terminated records: a path from the repository may hold a quote or a newline.
        let mut info = String::new();
        for (path, blob) in changes {
            match blob {
                Some(b) => info.push_str(&format!("100644 {b}\t{path}\0")),
                None => info.push_str(&format!("0 {}\t{path}\0", "0".repeat(40))),
            }
        }
        self.run_with(&["update-index", "-z", "--index-info"], Some(info.as_bytes()), &env)?;
        let tree = String::from_utf8_lossy(&self.run_with(&["write-tree"], None, &env)?).trim().to_string();
        let mut args = vec!["commit-tree", tree.as_str()];
        for p in parents {
            args.extend(["-p", p]);
        }
        let env = [
            ("GIT_AUTHOR_NAME", who.name.as_str()),
            ("GIT_AUTHOR_EMAIL", who.email.as_str()),
            ("GIT_COMMITTER_NAME", who.name.as_str()),
            ("GIT_COMMITTER_EMAIL", who.email.as_str()),
        ];
        let out = self.run_with(&args, Some(message.as_bytes()), &env)?;
        Ok(String::from_utf8_lossy(&out).trim().to_string())
    }

    /// Pushes `commit` to origin's `branch`, only as a fast-forward.
    pub fn push(&self, commit: &str, branch: &str) -> Pushed {
        match self.run(&["push", "--quiet", "origin", &format!("{commit}:refs/heads/{branch}")]) {
            Ok(_) => Pushed::Done,
            Err(Error::Git(m)) if m.contains("(fetch first)") || m.contains("(non-fast-forward)") => Pushed::Behind,
            // "[remote rejected]" (a hook, a protected branch) and the like: the remote answered.
            Err(Error::Git(m)) if m.contains("rejected") || m.contains("remote:") => Pushed::Refused(m),
            Err(e) => Pushed::Unreachable(e.to_string()),
        }
    }

    /// Points this repository's own `branch` at `commit` (for anyone looking at it with git).
    pub fn set_branch(&self, branch: &str, commit: &str) -> Result<()> {
        self.run(&["update-ref", &format!("refs/heads/{branch}"), commit])?;
        self.run(&["symbolic-ref", "HEAD", &format!("refs/heads/{branch}")])?;
        Ok(())
    }

    /// Who last changed `path` up to `commit`.
    pub fn author_of(&self, commit: &str, path: &str) -> Option<String> {
        self.run(&["log", "-1", "--format=%an", commit, "--", path]).ok().filter(|n| !n.is_empty())
    }
}

/// `git` with nothing of the caller's repository in its environment (a sync run from a git
/// hook inherits GIT_DIR and friends), never prompting, in the C locale.
fn plain_git() -> Command {
    let mut c = Command::new("git");
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_NAMESPACE",
        "GIT_COMMON_DIR",
        "GIT_PREFIX",
    ] {
        c.env_remove(var);
    }
    c.env("GIT_TERMINAL_PROMPT", "0").env("LC_ALL", "C").env("GIT_OPTIONAL_LOCKS", "0");
    c
}

/// Asks the repository at `url` for its default branch, without any repository of ours:
/// `Ok(None)` for an empty repository, an error with git's message when it cannot be reached.
pub fn remote_default_branch(url: &str) -> Result<Option<String>> {
    let mut c = plain_git();
    c.args(["ls-remote", "--symref", "--", url, "HEAD"]).stdin(Stdio::null());
    let out = c.output().map_err(|e| missing_git(&e))?;
    if !out.status.success() {
        return Err(Error::Git(format!("could not reach {url}: {}", String::from_utf8_lossy(&out.stderr).trim())));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("ref: refs/heads/").and_then(|rest| rest.split('\t').next()).map(str::to_string)))
}

/// The name and email the user's git commits with (its global and system settings), if it
/// has both.
pub fn user_identity() -> Option<Identity> {
    let get = |key: &str| {
        let out = plain_git()
            .args(["config", "--includes", key])
            .current_dir(std::env::temp_dir())
            .stdin(Stdio::null())
            .output()
            .ok()?;
        let v = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !v.is_empty()).then_some(v)
    };
    Some(Identity { name: get("user.name")?, email: get("user.email")? })
}

fn missing_git(e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::Git("git is not installed (or not on the PATH); install git to share a library".into())
    } else {
        Error::Git(format!("could not run git: {e}"))
    }
}
