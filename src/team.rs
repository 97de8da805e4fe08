//! The team library: a library shared through a git repository of Markdown postmortems,
//! hosted wherever the team keeps its code. There is no server of ours: each member's
//! library (SQLite and index) is a working copy, and a sync fetches, merges field by field
//! ([`merge`]), commits with the member's git identity and pushes, through the member's own
//! `git` ([`git`]).
//!
//! The repository's layout, readable on any git host's web view:
//! - `postmortems/*.md`, one postmortem per file in Debrief's own Markdown (a file keeps the
//!   name it was first given, so links and history survive a new title); Markdown files
//!   elsewhere, in other people's formats, are read through the Markdown importer and written
//!   back in Debrief's format only when edited in Debrief;
//! - `debrief.yml`: the taxonomy (services, categories, root-cause types), the user
//!   templates and the prevention-ROI inputs.

pub mod git;
pub mod merge;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::exchange::json::CategoryRoiInputs;
use crate::model::{Category, Postmortem, RootCauseType, Service, Template};

/// The folder of new postmortem files.
pub const POSTMORTEM_DIR: &str = "postmortems";
/// The library's settings file, at the top of the repository.
pub const SETTINGS_FILE: &str = "debrief.yml";

/// Names (without extension, lower case) of a repository's own documents: never postmortems.
const REPOSITORY_DOCUMENTS: [&str; 11] = [
    "readme",
    "contributing",
    "changelog",
    "license",
    "licence",
    "code_of_conduct",
    "security",
    "index",
    "pull_request_template",
    "issue_template",
    "codeowners",
];

/// Whether the repository file `path` holds a postmortem: Markdown, not under a hidden folder,
/// not one of the repository's own documents and not a template. A README or index two
/// folders down is a postmortem (`postmortems/2020-03-01-outage/README.md`: one folder per
/// incident is a common layout); one at the top or in a top folder describes the folder.
pub fn is_postmortem_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let stem = name.split('.').next().unwrap_or("");
    let shallow = lower.matches('/').count() <= 1;
    let own_document = REPOSITORY_DOCUMENTS.contains(&stem) && (shallow || !["readme", "index"].contains(&stem));
    (lower.ends_with(".md") || lower.ends_with(".markdown"))
        && !lower.split('/').any(|part| part.starts_with('.'))
        && !own_document
        && !stem.contains("template")
}

/// The path a postmortem new to the repository gets: `postmortems/<date>-<title>-<id>.md`,
/// numbered if (unusually) taken.
pub fn new_path(pm: &Postmortem, taken: impl Fn(&str) -> bool) -> String {
    let stem = crate::library::file_stem(pm);
    let mut path = format!("{POSTMORTEM_DIR}/{stem}.md");
    let mut n = 2;
    while taken(&path) {
        path = format!("{POSTMORTEM_DIR}/{stem}-{n}.md");
        n += 1;
    }
    path
}

/// What `debrief.yml` holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamSettings {
    /// The format version, `1`.
    pub debrief: u32,
    /// The services, by name.
    #[serde(default)]
    pub services: Vec<Service>,
    /// The categories, by name.
    #[serde(default)]
    pub categories: Vec<Category>,
    /// The root-cause types, in the library's order.
    #[serde(default)]
    pub cause_types: Vec<RootCauseType>,
    /// The user templates, by name.
    #[serde(default)]
    pub templates: Vec<Template>,
    /// Prevention-ROI inputs per category.
    #[serde(default)]
    pub roi_inputs: Vec<CategoryRoiInputs>,
}

impl TeamSettings {
    /// The file's text.
    pub fn write(&self) -> Result<String> {
        let body = serde_saphyr::to_string(self).map_err(|e| Error::Render(format!("{SETTINGS_FILE}: {e}")))?;
        Ok(format!("# Debrief team library settings: the taxonomy, templates and ROI inputs.\n{body}"))
    }

    /// Reads the file's text; errors name the file and line.
    pub fn read(text: &str) -> Result<TeamSettings> {
        crate::exchange::yaml::from_str(text, 0).map_err(|e| Error::Parse {
            location: match e.line {
                Some(line) => format!("{SETTINGS_FILE}:{line}"),
                None => SETTINGS_FILE.into(),
            },
            message: e.message,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postmortem_paths_are_markdown_that_is_not_the_repositorys_own() {
        for yes in [
            "postmortems/2025-01-02-x.md",
            "2019/outage.md",
            "incidents/db.markdown",
            "postmortems/2020-03-01-outage/README.md",
        ] {
            assert!(is_postmortem_path(yes), "{yes}");
        }
        for no in [
            "README.md",
            "postmortems/README.md",
            "docs/CONTRIBUTING.md",
            ".github/PULL_REQUEST_TEMPLATE.md",
            "templates/postmortem-template.md",
            "debrief.yml",
            "postmortems/notes.txt",
        ] {
            assert!(!is_postmortem_path(no), "{no}");
        }
    }

    #[test]
    fn settings_round_trip() {
        let doc = crate::exchange::sample::document(chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()).unwrap();
        let s = TeamSettings {
            debrief: 1,
            services: doc.services,
            categories: doc.categories,
            cause_types: doc.cause_types,
            templates: doc.templates,
            roi_inputs: doc.roi_inputs,
        };
        let text = s.write().unwrap();
        assert_eq!(TeamSettings::read(&text).unwrap(), s);
        let e = TeamSettings::read("debrief: 1\nservices: 3\n").unwrap_err().to_string();
        assert!(e.starts_with("debrief.yml"), "{e}");
    }
}
