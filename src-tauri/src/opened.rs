//! Files the user opened with Debrief from the file manager ("Open with Debrief" on a
//! Markdown or JSON file; the bundle's file associations register them). They go to the
//! importer: the window asks whether to import them into the open library.
//!
//! Linux and Windows hand them over as arguments, to the first start or, through the
//! single-instance plugin, from a second start; macOS sends `file://` URLs in an event.
//! [`from_args`] and [`from_urls`] turn each into paths (tested on every platform's form).

use std::path::{Path, PathBuf};

/// The file kinds Debrief opens (the bundle's `fileAssociations`).
const KINDS: [&str; 3] = ["md", "markdown", "json"];

fn is_importable(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| KINDS.iter().any(|k| e.eq_ignore_ascii_case(k)))
}

/// The files named in a start's arguments (the program itself first, then flags and files),
/// made absolute against `cwd` (the directory the second start ran in). Flags and files of
/// other kinds are left out.
pub fn from_args(args: &[String], cwd: &Path) -> Vec<PathBuf> {
    args.iter()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(|a| {
            let p = PathBuf::from(a);
            if p.is_absolute() {
                p
            } else {
                cwd.join(p)
            }
        })
        .filter(|p| is_importable(p))
        .collect()
}

/// The local files among the URLs macOS sends (`file:///Users/me/pm.md`); other schemes and
/// other kinds of file are left out.
#[cfg_attr(not(target_os = "macos"), allow(dead_code))] // macOS only; tested on every platform
pub fn from_urls<'u>(urls: impl IntoIterator<Item = &'u str>) -> Vec<PathBuf> {
    urls.into_iter()
        .filter_map(|u| tauri::Url::parse(u).ok())
        .filter(|u| u.scheme() == "file")
        .filter_map(|u| u.to_file_path().ok())
        .filter(|p| is_importable(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn linux_arguments_give_absolute_markdown_and_json_paths() {
        let cwd = Path::new("/home/me/notes");
        let files = from_args(
            &args(&["/usr/bin/debrief-app", "pm.md", "/tmp/Export.JSON", "--flag", "picture.png", "sub/b.markdown"]),
            cwd,
        );
        assert_eq!(
            files,
            [PathBuf::from("/home/me/notes/pm.md"), "/tmp/Export.JSON".into(), "/home/me/notes/sub/b.markdown".into()]
        );
        assert!(from_args(&args(&["/usr/bin/debrief-app"]), cwd).is_empty(), "a plain start opens nothing");
    }

    #[test]
    #[cfg(windows)]
    fn windows_arguments_give_absolute_paths() {
        let files = from_args(
            &args(&["C:\\Program Files\\Debrief\\debrief-app.exe", "C:\\Users\\me\\pm.md", "b.json"]),
            Path::new("C:\\Users\\me"),
        );
        assert_eq!(files, [PathBuf::from("C:\\Users\\me\\pm.md"), PathBuf::from("C:\\Users\\me\\b.json")]);
    }

    #[test]
    #[cfg(not(windows))]
    fn windows_style_arguments_are_taken_as_given_elsewhere() {
        // The branch for Windows paths runs on Windows (above); here a drive path is relative.
        let files = from_args(&args(&["debrief-app.exe", "C:\\Users\\me\\pm.md"]), Path::new("/cwd"));
        assert_eq!(files, [PathBuf::from("/cwd/C:\\Users\\me\\pm.md")]);
    }

    #[test]
    #[cfg(not(windows))]
    fn macos_urls_give_local_markdown_and_json_files() {
        let files = from_urls([
            "file:///Users/me/Postmortems/2025-11-25%20checkout.md",
            "file:///Users/me/export.json",
            "https://example.com/pm.md",
            "file:///Users/me/photo.jpg",
            "not a url",
        ]);
        assert_eq!(
            files,
            [PathBuf::from("/Users/me/Postmortems/2025-11-25 checkout.md"), PathBuf::from("/Users/me/export.json")]
        );
    }
}
