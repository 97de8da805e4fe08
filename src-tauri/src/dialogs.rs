//! Native file dialogs, opened by the shell, and the paths they granted.
//!
//! The window never names a file on its own: it asks the shell to open a dialog
//! (`pick_save_path`, `pick_open_paths`, `pick_folder` in `commands.rs`), and every command
//! that reads or writes a file accepts only a path a dialog returned in this session. A
//! webview that ran hostile script could otherwise have an export overwrite any file the user
//! can write, or an import read any file. The dialog plugin is therefore not granted to the
//! window at all (capabilities/default.json).
//!
//! End-to-end tests click the real buttons but cannot click inside a native dialog: when the
//! app was started with `DEBRIEF_E2E_DIALOGS=1`, a dialog takes the answer the test queued in
//! the window instead of opening (and that answer is granted like a picked one). Without the
//! variable an answer sent by the window is ignored and the dialog opens.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

/// What to ask the user for.
pub enum Ask {
    /// Where to write one file, suggesting `default_name`.
    Save { title: String, default_name: String, extensions: Vec<String> },
    /// Files to read (several when `multiple`).
    Open { title: String, extensions: Vec<String>, multiple: bool },
    /// A folder.
    Folder { title: String },
}

/// The paths file dialogs returned in this session.
pub struct Grants {
    paths: Mutex<HashSet<PathBuf>>,
    /// Started for end-to-end tests: the window's queued answers stand in for dialogs.
    answers_from_window: bool,
}

impl Grants {
    /// `answers_from_window`: whether `DEBRIEF_E2E_DIALOGS=1` was set when the app started.
    pub fn new(answers_from_window: bool) -> Grants {
        Grants { paths: Mutex::new(HashSet::new()), answers_from_window }
    }

    fn grant(&self, paths: &[PathBuf]) {
        self.paths.lock().unwrap_or_else(|p| p.into_inner()).extend(paths.iter().cloned());
    }

    /// Grants a path the app listed itself (a backup in the library's folder).
    pub fn grant_listed(&self, path: &Path) {
        self.grant(&[path.to_path_buf()]);
    }

    /// Whether `path` was returned by a dialog of this session.
    pub fn allows(&self, path: &Path) -> bool {
        self.paths.lock().unwrap_or_else(|p| p.into_inner()).contains(path)
    }

    /// Ok when every path was returned by a dialog; else a validation error naming the first
    /// that was not.
    pub fn check<'p>(&self, paths: impl IntoIterator<Item = &'p Path>) -> debrief::Result<()> {
        for path in paths {
            if !self.allows(path) {
                return Err(debrief::Error::invalid(
                    "path",
                    format!("{} was not chosen in a file dialog; choose the file again", path.display()),
                ));
            }
        }
        Ok(())
    }

    /// Asks the user (blocking: call it off the main thread), grants what was chosen and
    /// returns it; empty when the dialog was cancelled. `test_answer` stands in for the dialog
    /// only when the app was started for end-to-end tests.
    pub fn ask<R: Runtime>(&self, app: &AppHandle<R>, ask: Ask, test_answer: Option<Vec<String>>) -> Vec<PathBuf> {
        let chosen: Vec<PathBuf> = match test_answer.filter(|_| self.answers_from_window) {
            Some(answer) => answer.into_iter().map(PathBuf::from).collect(),
            None => show(app, ask),
        };
        self.grant(&chosen);
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
        Ask::Folder { title } => dialog.set_title(title).blocking_pick_folder().into_iter().collect(),
    };
    picked.into_iter().filter_map(|p| p.into_path().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_granted_paths_pass() {
        let grants = Grants::new(false);
        grants.grant(&[PathBuf::from("/home/a/export.json")]);
        assert!(grants.check([Path::new("/home/a/export.json")]).is_ok());
        let refused = grants.check([Path::new("/home/a/export.json"), Path::new("/home/a/.bashrc")]).unwrap_err();
        assert_eq!(refused.code(), debrief::error::ErrorCode::Validation);
        assert!(refused.to_string().contains(".bashrc was not chosen in a file dialog"), "{refused}");
    }
}
