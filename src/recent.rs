//! The libraries a user opened recently, most recent first: what the app's File → Recent
//! libraries lists and which library it opens on start. Kept in a small JSON file in the app's
//! configuration folder, outside every library (it names them). A missing or unreadable file
//! is an empty list: the list is a convenience and never stops the app from opening.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// How many libraries the list keeps.
pub const MAX: usize = 8;

/// The file's name in the configuration folder.
pub const FILE_NAME: &str = "recent-libraries.json";

#[derive(Serialize, Deserialize, Default)]
struct Stored {
    libraries: Vec<PathBuf>,
}

/// The recent libraries and the file they are kept in.
#[derive(Debug, Clone)]
pub struct RecentLibraries {
    file: PathBuf,
    dirs: Vec<PathBuf>,
}

impl RecentLibraries {
    /// Reads the list from `config_dir`. Folders that no longer exist are left out.
    pub fn load(config_dir: &Path) -> RecentLibraries {
        let file = config_dir.join(FILE_NAME);
        let stored: Stored =
            std::fs::read(&file).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default();
        let mut recent = RecentLibraries { file, dirs: Vec::new() };
        for dir in stored.libraries {
            if dir.is_dir() && !recent.dirs.contains(&dir) && recent.dirs.len() < MAX {
                recent.dirs.push(dir);
            }
        }
        recent
    }

    /// The libraries, most recently opened first.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// The most recently opened library, if any still exists.
    pub fn last(&self) -> Option<&Path> {
        self.dirs.first().map(PathBuf::as_path)
    }

    /// Puts `dir` first (once), keeps at most [`MAX`], and saves the list.
    pub fn opened(&mut self, dir: &Path) -> Result<()> {
        let dir = std::path::absolute(dir).map_err(|e| Error::io(dir, e))?;
        self.dirs.retain(|d| d != &dir);
        self.dirs.insert(0, dir);
        self.dirs.truncate(MAX);
        self.save()
    }

    /// Takes `dir` off the list (it could not be opened) and saves the list.
    pub fn forget(&mut self, dir: &Path) -> Result<()> {
        self.dirs.retain(|d| d != dir);
        self.save()
    }

    fn save(&self) -> Result<()> {
        if let Some(parent) = self.file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let json = serde_json::to_vec_pretty(&Stored { libraries: self.dirs.clone() })
            .map_err(|e| Error::invalid("recent libraries", e.to_string()))?;
        crate::library::write_atomically(&self.file, &json)
    }
}

/// The configuration folder of this user: `~/.config/debrief` on Linux, `~/Library/Application
/// Support/org.Debrief.debrief` on macOS, `%APPDATA%\\Debrief\\debrief\\config` on Windows.
pub fn default_config_dir() -> PathBuf {
    directories::ProjectDirs::from("org", "Debrief", "debrief")
        .map(|d| d.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("debrief-config"))
}

/// The library the app opens on start: the folder named by the environment
/// (`DEBRIEF_LIBRARY`), else the one opened last, else the default library folder.
pub fn library_to_open(named: Option<PathBuf>, recent: &RecentLibraries, default: PathBuf) -> PathBuf {
    named.or_else(|| recent.last().map(Path::to_path_buf)).unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_opened_comes_first_once_and_the_list_is_capped() {
        let config = tempfile::tempdir().unwrap();
        let libs = tempfile::tempdir().unwrap();
        let dirs: Vec<PathBuf> = (0..MAX + 2)
            .map(|i| {
                let d = libs.path().join(format!("lib{i}"));
                std::fs::create_dir(&d).unwrap();
                d
            })
            .collect();
        let mut recent = RecentLibraries::load(config.path());
        assert!(recent.dirs().is_empty() && recent.last().is_none());
        for d in &dirs {
            recent.opened(d).unwrap();
        }
        recent.opened(&dirs[MAX]).unwrap(); // again: moves to the front, not listed twice
        let read = RecentLibraries::load(config.path());
        assert_eq!(read.dirs().len(), MAX);
        assert_eq!(read.last(), Some(dirs[MAX].as_path()));
        assert_eq!(read.dirs()[1], dirs[MAX + 1]);
        assert!(!read.dirs().contains(&dirs[0]), "the oldest fell off");
    }

    #[test]
    fn the_app_opens_the_named_library_else_the_last_else_the_default() {
        let config = tempfile::tempdir().unwrap();
        let last = tempfile::tempdir().unwrap();
        let mut recent = RecentLibraries::load(config.path());
        let default = PathBuf::from("/default");
        assert_eq!(library_to_open(None, &recent, default.clone()), default);
        recent.opened(last.path()).unwrap();
        assert_eq!(library_to_open(None, &recent, default.clone()), last.path());
        assert_eq!(library_to_open(Some("/named".into()), &recent, default), PathBuf::from("/named"));
    }

    #[test]
    fn missing_folders_and_unreadable_files_give_what_is_left_never_an_error() {
        let config = tempfile::tempdir().unwrap();
        let libs = tempfile::tempdir().unwrap();
        let (kept, gone) = (libs.path().join("kept"), libs.path().join("gone"));
        std::fs::create_dir(&kept).unwrap();
        std::fs::create_dir(&gone).unwrap();
        let mut recent = RecentLibraries::load(config.path());
        recent.opened(&kept).unwrap();
        recent.opened(&gone).unwrap();
        std::fs::remove_dir(&gone).unwrap();
        assert_eq!(RecentLibraries::load(config.path()).dirs(), std::slice::from_ref(&kept));
        let mut forgetting = RecentLibraries::load(config.path());
        forgetting.forget(&kept).unwrap();
        assert!(RecentLibraries::load(config.path()).dirs().is_empty());
        std::fs::write(config.path().join(FILE_NAME), "{ not json").unwrap();
        assert!(RecentLibraries::load(config.path()).dirs().is_empty());
    }
}
