//! The malformed files (tests/fixtures/malformed, and a 50 MB file made here): each is
//! refused with an error that names the file and the place (a line, a byte, the size), and the
//! library is exactly as it was.

use std::path::{Path, PathBuf};

use debrief::progress::Progress;
use debrief::Library;

use crate::helpers::{library, rich_postmortem};

/// Everything the library holds, as one JSON document.
fn contents(lib: &Library) -> String {
    lib.export_document(&[]).unwrap().to_json()
}

fn refused(lib: &mut Library, path: &Path) -> String {
    let before = contents(lib);
    let e = lib
        .import_file_with(path, &mut Progress::none())
        .map(|r| format!("{r:?}"))
        .expect_err(&format!("{} was imported", path.display()));
    assert_eq!(contents(lib), before, "{}: the library changed", path.display());
    assert!(lib.check().unwrap().problems.is_empty());
    e.to_string()
}

#[test]
fn every_malformed_file_is_refused_by_name_and_place_and_changes_nothing() {
    let (dir, mut lib) = library();
    rich_postmortem(&mut lib);
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "md"))
        .filter(|p| !p.ends_with("README.md"))
        .collect();
    files.sort();
    assert!(files.len() >= 12, "{files:?}");
    // A 50 MB file is made here rather than kept in the repository.
    let big = dir.path().join("fifty-megabytes.md");
    let line = "The cache fell over and the pool ran dry while the pager stayed quiet.\n";
    std::fs::write(&big, format!("# Big\n\n## Summary\n\n{}", line.repeat(50 * 1024 * 1024 / line.len()))).unwrap();
    files.push(big);
    for path in files {
        let message = refused(&mut lib, &path);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(message.contains(&name), "the error does not name {name}: {message}");
        let place = regex_place(&message, &name);
        assert!(place, "the error does not say where in {name}: {message}");
    }
}

/// Whether `message` says where in file `name` the problem is: `name:LINE`, a field's path, a
/// byte, or the size.
fn regex_place(message: &str, name: &str) -> bool {
    let after = message.split(name).nth(1).unwrap_or("");
    after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit())
        || message.contains("postmortems[")
        || message.contains("byte ")
        || message.contains(" MB")
}
