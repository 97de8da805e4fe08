//! What a release is made of: one version (Cargo.toml's) in the CLI, the app's bundles and the
//! UI package; its notes in CHANGELOG.md, found by the script the release workflow runs; and a
//! bundle configuration whose icons, licence and file associations exist.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::helpers::{library, run_cli};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn json(path: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(repo(path)).unwrap()).unwrap()
}

#[test]
fn one_version_is_used_everywhere() {
    let (d, _lib) = library();
    let (ok, out, _) = run_cli(&d.path().join("lib"), &["--version"]);
    assert!(ok);
    assert_eq!(out.trim(), format!("debrief {VERSION}"));
    // Tauri takes the app crate's version when its config names none; the app crate, like the
    // core, takes the workspace's.
    let tauri = json("src-tauri/tauri.conf.json");
    assert!(tauri.get("version").is_none(), "tauri.conf.json must not carry a version of its own");
    for manifest in ["Cargo.toml", "src-tauri/Cargo.toml"] {
        let text = std::fs::read_to_string(repo(manifest)).unwrap();
        assert!(text.contains("version.workspace = true"), "{manifest} does not take the workspace's version");
    }
    assert_eq!(json("ui/package.json")["version"], VERSION, "ui/package.json");
}

fn release_notes(version: &str) -> std::process::Output {
    Command::new("bash").arg(repo("scripts/release-notes.sh")).arg(version).output().unwrap()
}

#[test]
fn the_changelog_has_this_versions_notes_and_a_missing_version_is_refused_by_name() {
    let out = release_notes(VERSION);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let notes = String::from_utf8(out.stdout).unwrap();
    assert!(notes.contains("### Added"), "{notes}");
    assert!(!notes.contains(&format!("## [{VERSION}]")), "the heading is left out: {notes}");
    assert!(!notes.contains("## ["), "only this version's section: {notes}");
    let missing = release_notes("99.0.0");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no notes for version 99.0.0"));
}

#[test]
fn the_bundle_names_icons_for_every_platform_a_licence_and_the_files_it_opens() {
    let tauri = json("src-tauri/tauri.conf.json");
    let bundle = &tauri["bundle"];
    let conf_dir = repo("src-tauri");
    let icons: Vec<&str> = bundle["icon"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    for icon in &icons {
        assert!(conf_dir.join(icon).is_file(), "{icon} is listed but missing");
    }
    // Linux takes PNGs in several sizes, macOS an .icns, Windows an .ico.
    for wanted in ["32x32.png", "128x128.png", "256x256.png", "icon.icns", "icon.ico"] {
        assert!(icons.iter().any(|i| i.ends_with(wanted)), "no {wanted} in {icons:?}");
    }
    // The Linux bundler files a PNG under hicolor by its pixel size (and a name with @2x under
    // SIZE@2, a folder for double-size images): each listed PNG is as large as its name says,
    // and none is an @2x.
    for icon in icons.iter().filter(|i| i.ends_with(".png")) {
        assert!(!icon.contains("@2x"), "{icon} would be filed under a folder for twice its size");
        let file = std::path::Path::new(icon).file_name().unwrap().to_str().unwrap();
        if let Some((w, h)) = file.trim_end_matches(".png").split_once('x') {
            let bytes = std::fs::read(conf_dir.join(icon)).unwrap();
            // A PNG's IHDR holds the width and height as big-endian u32 at bytes 16..24.
            let size = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
            assert_eq!((size(16).to_string(), size(20).to_string()), (w.to_string(), h.to_string()), "{icon}");
        }
    }
    assert!(conf_dir.join(bundle["licenseFile"].as_str().unwrap()).is_file());
    assert_eq!(bundle["license"], "MIT");
    for key in ["publisher", "copyright", "category", "shortDescription", "longDescription"] {
        assert!(bundle[key].as_str().is_some_and(|s| !s.is_empty()), "bundle.{key} is not set");
    }
    let extensions: Vec<&str> = bundle["fileAssociations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["ext"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()))
        .collect();
    for ext in ["md", "json"] {
        assert!(extensions.contains(&ext), "Debrief is not offered for .{ext} files: {extensions:?}");
    }
    // The Linux packages carry the CLI beside the app.
    for format in ["deb", "rpm"] {
        assert_eq!(bundle["linux"][format]["files"]["/usr/bin/debrief"], "../target/release/debrief", "{format}");
    }
}

#[test]
fn the_linux_desktop_entry_hands_opened_files_to_the_app_and_claims_the_associated_types() {
    let tauri = json("src-tauri/tauri.conf.json");
    let bundle = &tauri["bundle"];
    let template_path = bundle["linux"]["deb"]["desktopTemplate"].as_str().expect("the deb names a desktop template");
    assert_eq!(bundle["linux"]["rpm"]["desktopTemplate"], template_path, "deb and rpm share it");
    let template = std::fs::read_to_string(repo("src-tauri").join(template_path)).unwrap();
    let line = |key: &str| template.lines().find(|l| l.starts_with(&format!("{key}="))).map(str::to_string);
    // Without a field code a file manager's "Open with" starts the app without the file.
    assert_eq!(line("Exec").as_deref(), Some("Exec={{exec}} %F"));
    let claimed = line("MimeType").expect("a MimeType line");
    let associated: Vec<&str> =
        bundle["fileAssociations"].as_array().unwrap().iter().map(|a| a["mimeType"].as_str().unwrap()).collect();
    assert_eq!(claimed, format!("MimeType={};", associated.join(";")));
}
