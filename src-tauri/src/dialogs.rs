//! Native file dialogs, opened by the shell, and the paths they granted.
//!
//! The window never names a file on its own: it asks the shell to open a dialog
//! (`pick_save_path`, `pick_open_paths`, `pick_folder` in `commands.rs`), and every command
//! that reads or writes a file accepts only a path a dialog returned in this session, for the
//! use that dialog was for: a save dialog's path can be written, an open dialog's read (or
//! restored from), a folder dialog's folder read or filled (as the dialog was asked for), and a
//! backup the app listed only restored from. A webview that ran hostile script could otherwise have an export overwrite
//! any file the user can write (or a file they picked to import, or a backup), or an import
//! read any file. The dialog plugin is therefore not granted to the window at all
//! (capabilities/default.json).
//!
//! End-to-end tests click the real buttons but cannot click inside a native dialog: when the
//! app was started with `DEBRIEF_E2E_DIALOGS=1`, a dialog takes the answer the test queued in
//! the window instead of opening (and that answer is granted like a picked one). Without the
//! variable an answer sent by the window is ignored and the dialog opens.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use debrief::jobs::PathUse;
use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

/// What to ask the user for.
pub enum Ask {
    /// Where to write one file, suggesting `default_name`.
    Save { title: String, default_name: String, extensions: Vec<String> },
    /// Files to read (several when `multiple`).
    Open { title: String, extensions: Vec<String>, multiple: bool },
    /// A folder, to read the files in it or (`write`) to write files into it.
    Folder { title: String, write: bool },
}

/// How a path was granted: which dialog returned it, or that the app listed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Grant {
    Opened,
    Saved,
    FolderToRead,
    FolderToWrite,
    ListedBackup,
}

impl Grant {
    fn of(ask: &Ask) -> Grant {
        match ask {
            Ask::Save { .. } => Grant::Saved,
            Ask::Open { .. } => Grant::Opened,
            Ask::Folder { write: false, .. } => Grant::FolderToRead,
            Ask::Folder { write: true, .. } => Grant::FolderToWrite,
        }
    }

    /// Whether a path granted this way may be used so.
    fn permits(self, with: PathUse) -> bool {
        matches!(
            (self, with),
            (Grant::Opened, PathUse::ReadFile | PathUse::RestoreFrom)
                | (Grant::Saved, PathUse::WriteFile)
                | (Grant::FolderToRead, PathUse::ReadFolder)
                | (Grant::FolderToWrite, PathUse::WriteFolder)
                | (Grant::ListedBackup, PathUse::RestoreFrom)
        )
    }
}

/// What a use needs, for the error that refuses it.
fn dialog_for(with: PathUse) -> &'static str {
    match with {
        PathUse::ReadFile => "an open dialog",
        PathUse::WriteFile => "a save dialog",
        PathUse::ReadFolder => "a folder dialog for reading",
        PathUse::WriteFolder => "a folder dialog for writing",
        PathUse::RestoreFrom => "the restore dialog or the list of backups",
    }
}

/// The paths file dialogs returned in this session, each with how it was granted.
pub struct Grants {
    paths: Mutex<HashSet<(PathBuf, Grant)>>,
    /// Started for end-to-end tests: the window's queued answers stand in for dialogs.
    answers_from_window: bool,
}

impl Grants {
    /// `answers_from_window`: whether `DEBRIEF_E2E_DIALOGS=1` was set when the app started.
    pub fn new(answers_from_window: bool) -> Grants {
        Grants { paths: Mutex::new(HashSet::new()), answers_from_window }
    }

    fn grant(&self, paths: &[PathBuf], how: Grant) {
        self.paths.lock().unwrap_or_else(|p| p.into_inner()).extend(paths.iter().map(|p| (p.clone(), how)));
    }

    /// Grants a backup the app listed itself (in the library's folder): it can be restored
    /// from, never written.
    pub fn grant_listed_backup(&self, path: &Path) {
        self.grant(&[path.to_path_buf()], Grant::ListedBackup);
    }

    /// Grants a file the user opened with Debrief from the file manager: it can be read (imported),
    /// as one chosen in an open dialog.
    pub fn grant_opened(&self, path: &Path) {
        self.grant(&[path.to_path_buf()], Grant::Opened);
    }

    /// Whether `path` was granted in this session for this use.
    pub fn allows(&self, path: &Path, with: PathUse) -> bool {
        let grants = self.paths.lock().unwrap_or_else(|p| p.into_inner());
        [Grant::Opened, Grant::Saved, Grant::FolderToRead, Grant::FolderToWrite, Grant::ListedBackup]
            .into_iter()
            .any(|how| how.permits(with) && grants.contains(&(path.to_path_buf(), how)))
    }

    /// Ok when every path was granted for its use; else a validation error naming the first
    /// that was not.
    pub fn check<'p>(&self, uses: impl IntoIterator<Item = (&'p Path, PathUse)>) -> debrief::Result<()> {
        for (path, with) in uses {
            if !self.allows(path, with) {
                return Err(debrief::Error::invalid(
                    "path",
                    format!("{} was not chosen in {} for this; choose it again", path.display(), dialog_for(with)),
                ));
            }
        }
        Ok(())
    }

    /// Asks the user (blocking: call it off the main thread), grants what was chosen and
    /// returns it; empty when the dialog was cancelled. `test_answer` stands in for the dialog
    /// only when the app was started for end-to-end tests.
    pub fn ask<R: Runtime>(&self, app: &AppHandle<R>, ask: Ask, test_answer: Option<Vec<String>>) -> Vec<PathBuf> {
        let how = Grant::of(&ask);
        let chosen: Vec<PathBuf> = match test_answer.filter(|_| self.answers_from_window) {
            Some(answer) => answer.into_iter().map(PathBuf::from).collect(),
            None => show(app, ask),
        };
        self.grant(&chosen, how);
        chosen
    }
}

/// The extensions as the dialog builder takes them.
fn filter(extensions: &[String]) -> Vec<&str> {
    extensions.iter().map(String::as_str).collect()
}

/// Opens the native dialog and waits for the user.
fn show<R: Runtime>(app: &AppHandle<R>, ask: Ask) -> Vec<PathBuf> {
    let dialog = app.dialog().file();
    let picked = match ask {
        Ask::Save { title, default_name, extensions } => dialog
            .set_title(title)
            .set_file_name(default_name)
            .add_filter(extensions.join(", ").to_uppercase(), &filter(&extensions))
            .blocking_save_file()
            .into_iter()
            .collect(),
        Ask::Open { title, extensions, multiple } => {
            let dialog = dialog.set_title(title.clone()).add_filter(title, &filter(&extensions));
            if multiple {
                dialog.blocking_pick_files().unwrap_or_default()
            } else {
                dialog.blocking_pick_file().into_iter().collect()
            }
        }
        Ask::Folder { title, .. } => dialog.set_title(title).blocking_pick_folder().into_iter().collect(),
    };
    picked.into_iter().filter_map(|p| p.into_path().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_granted_for_their_use_pass() {
        let grants = Grants::new(false);
        let (export, import, folder, backup) = (
            PathBuf::from("/home/a/export.json"),
            PathBuf::from("/home/a/notes.md"),
            PathBuf::from("/home/a/postmortems"),
            PathBuf::from("/home/a/lib/backups/auto-1.sqlite3"),
        );
        grants.grant(std::slice::from_ref(&export), Grant::Saved);
        grants.grant(std::slice::from_ref(&import), Grant::Opened);
        grants.grant(std::slice::from_ref(&folder), Grant::FolderToRead);
        let out = PathBuf::from("/home/a/exports");
        grants.grant(std::slice::from_ref(&out), Grant::FolderToWrite);
        grants.grant_listed_backup(&backup);
        assert!(grants.check([(export.as_path(), PathUse::WriteFile)]).is_ok());
        assert!(grants
            .check([(import.as_path(), PathUse::ReadFile), (import.as_path(), PathUse::RestoreFrom)])
            .is_ok());
        assert!(grants.check([(folder.as_path(), PathUse::ReadFolder)]).is_ok());
        assert!(grants.check([(out.as_path(), PathUse::WriteFolder)]).is_ok());
        assert!(grants.check([(backup.as_path(), PathUse::RestoreFrom)]).is_ok());

        // Never a path nobody chose, and never a chosen one for another use: the file picked
        // to import, or a listed backup, cannot become an export's target.
        for (path, with) in [
            (Path::new("/home/a/.bashrc"), PathUse::ReadFile),
            (import.as_path(), PathUse::WriteFile),
            (backup.as_path(), PathUse::WriteFile),
            (backup.as_path(), PathUse::ReadFile),
            (export.as_path(), PathUse::ReadFile),
            (folder.as_path(), PathUse::WriteFile),
            (export.as_path(), PathUse::ReadFolder),
            // A folder picked to import from cannot become an export's target, nor the reverse.
            (folder.as_path(), PathUse::WriteFolder),
            (out.as_path(), PathUse::ReadFolder),
        ] {
            let refused = grants.check([(path, with)]).unwrap_err();
            assert_eq!(refused.code(), debrief::error::ErrorCode::Validation);
            assert!(refused.to_string().contains(&format!("{} was not chosen in", path.display())), "{refused}");
        }
    }
}
