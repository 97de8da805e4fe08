//! The long work the app runs in the background, as data: what can be asked for
//! ([`JobRequest`]), what the window hears while it runs ([`JobEvent`]), and [`run`], which does
//! it on a library handle with a [`Progress`]. The app's shell only spawns the thread, forwards
//! the events and sets the cancel flag; everything a job does, a test can do through here.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ErrorPayload;
use crate::exchange::foreign_md::FileReport;
use crate::library::{ImportFile, MarkdownImport};
use crate::progress::{Progress, Step};
use crate::report::pdf::PdfOutcome;
use crate::wire::{ActionFilter, ImportReport};
use crate::{Error, Library, Result};

/// Long work the window can start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobRequest {
    /// Load the sample library.
    LoadSample,
    /// Import files picked in the open dialog, each whole or not at all: JSON library
    /// documents and action-item CSV.
    Import {
        /// The files chosen, imported in this order.
        paths: Vec<PathBuf>,
    },
    /// Write the postmortems named by `ids` (all when empty) as one JSON library document.
    ExportLibrary {
        /// The postmortems to write; all of them when empty.
        ids: Vec<String>,
        /// The file to write.
        path: PathBuf,
        /// Replace people by their roles (see `exchange::anonymize`).
        #[serde(default)]
        anonymize: bool,
    },
    /// Write postmortems as PDF: one to the file `path`, several (or all, when `ids` is empty)
    /// into the folder `path`.
    ExportPdf {
        /// The postmortems to write; all of them when empty.
        ids: Vec<String>,
        /// The file (one postmortem) or folder (several) to write.
        path: PathBuf,
        /// Replace people by their roles.
        #[serde(default)]
        anonymize: bool,
    },
    /// Write postmortem `id`'s timeline as CSV (`time,event,kind,marker`, UTC), which the
    /// timeline import reads back.
    ExportTimelineCsv {
        /// The postmortem.
        id: String,
        /// The file to write.
        path: PathBuf,
    },
    /// Write postmortems in Debrief's own Markdown: one to the file `path`, several (or all,
    /// when `ids` is empty) into the folder `path`.
    ExportMarkdown {
        /// The postmortems to write; all of them when empty.
        ids: Vec<String>,
        /// The file (one postmortem) or folder (several) to write.
        path: PathBuf,
        /// Replace people by their roles.
        #[serde(default)]
        anonymize: bool,
    },
    /// Write the learning-review digest of `from` to `to` as a PDF.
    ExportDigest {
        /// First day of the period.
        from: NaiveDate,
        /// Last day of the period.
        to: NaiveDate,
        /// The file to write.
        path: PathBuf,
        /// Replace people by their roles.
        #[serde(default)]
        anonymize: bool,
    },
    /// Read every Markdown postmortem in `folder` (and the folders in it) and say what each
    /// would become, importing nothing: the preview before [`JobRequest::ImportMarkdown`].
    PreviewMarkdown {
        /// The folder the user picked.
        folder: PathBuf,
    },
    /// Import the Markdown postmortems `files` (paths within `folder`, as the preview named
    /// them) in one go; each file whole or not at all, a file that fails does not stop the rest.
    ImportMarkdown {
        /// The folder the user picked.
        folder: PathBuf,
        /// The files chosen, by their path within `folder`.
        files: Vec<String>,
    },
    /// Rebuild the search index from the database.
    Reindex,
    /// Write the action items matching `filter` as CSV.
    ExportActionsCsv {
        /// Which items to write, as on the action-item board.
        filter: ActionFilter,
        /// The file to write.
        path: PathBuf,
    },
    /// Replace the library with the backup in `path`, checked first; the current library is
    /// kept as a backup (see `Library::restore`).
    Restore {
        /// The backup file chosen.
        path: PathBuf,
    },
}

/// What a job does with a path the user chose, which decides the dialog that must have chosen
/// it: a file picked to be imported cannot become an export's target, nor a listed backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathUse {
    /// Reads a file (an import): chosen in an open dialog.
    ReadFile,
    /// Writes one file (an export): chosen in a save dialog.
    WriteFile,
    /// Reads the files in a folder (an import): chosen in a folder dialog asked for reading.
    ReadFolder,
    /// Writes files into a folder (an export of several): chosen in a folder dialog asked for
    /// writing.
    WriteFolder,
    /// Replaces the library with a backup: chosen in an open dialog, or one the app listed.
    RestoreFrom,
}

impl JobRequest {
    /// The files and folders the user chose for this work, each with what the work does with
    /// it. The app accepts a request only when each was returned, for that use, by a file
    /// dialog of this session.
    pub fn chosen_paths(&self) -> Vec<(&std::path::Path, PathUse)> {
        // One postmortem is written to a file, several into a folder.
        let file_or_folder = |ids: &[String]| if ids.len() == 1 { PathUse::WriteFile } else { PathUse::WriteFolder };
        match self {
            JobRequest::LoadSample | JobRequest::Reindex => Vec::new(),
            JobRequest::Import { paths } => paths.iter().map(|p| (p.as_path(), PathUse::ReadFile)).collect(),
            JobRequest::ExportLibrary { path, .. }
            | JobRequest::ExportTimelineCsv { path, .. }
            | JobRequest::ExportDigest { path, .. }
            | JobRequest::ExportActionsCsv { path, .. } => vec![(path.as_path(), PathUse::WriteFile)],
            JobRequest::ExportPdf { ids, path, .. } | JobRequest::ExportMarkdown { ids, path, .. } => {
                vec![(path.as_path(), file_or_folder(ids))]
            }
            JobRequest::Restore { path } => vec![(path.as_path(), PathUse::RestoreFrom)],
            // The files are only ever ones found inside the folder (see `markdown_files`).
            JobRequest::PreviewMarkdown { folder } | JobRequest::ImportMarkdown { folder, .. } => {
                vec![(folder.as_path(), PathUse::ReadFolder)]
            }
        }
    }

    /// What the window calls the work while it runs: "Importing big.json".
    pub fn label(&self) -> String {
        let name = |p: &PathBuf| p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into());
        match self {
            JobRequest::LoadSample => "Loading the sample library".into(),
            JobRequest::Import { paths } if paths.len() == 1 => format!("Importing {}", name(&paths[0])),
            JobRequest::Import { paths } => format!("Importing {} files", paths.len()),
            JobRequest::ExportLibrary { path, .. } => format!("Exporting to {}", name(path)),
            JobRequest::ExportPdf { ids, path, .. } if ids.len() == 1 => format!("Writing {}", name(path)),
            JobRequest::ExportPdf { path, .. } => format!("Writing PDFs into {}", name(path)),
            JobRequest::ExportDigest { path, .. } => format!("Writing the digest {}", name(path)),
            JobRequest::ExportTimelineCsv { path, .. } => format!("Exporting the timeline to {}", name(path)),
            JobRequest::ExportMarkdown { ids, path, .. } if ids.len() == 1 => format!("Writing {}", name(path)),
            JobRequest::ExportMarkdown { path, .. } => format!("Writing Markdown into {}", name(path)),
            JobRequest::PreviewMarkdown { folder } => format!("Reading the postmortems in {}", name(folder)),
            JobRequest::ImportMarkdown { files, .. } if files.len() == 1 => "Importing 1 postmortem".into(),
            JobRequest::ImportMarkdown { files, .. } => format!("Importing {} postmortems", files.len()),
            JobRequest::Reindex => "Rebuilding the search index".into(),
            JobRequest::ExportActionsCsv { path, .. } => format!("Exporting action items to {}", name(path)),
            JobRequest::Restore { path } => format!("Restoring the library from {}", name(path)),
        }
    }
}

/// What one imported file came to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FileOutcome {
    /// The file, as it was asked for.
    pub path: String,
    /// Set when the file was imported.
    pub report: Option<ImportReport>,
    /// Set when nothing from the file was imported, and why.
    pub error: Option<ErrorPayload>,
}

/// What a finished job produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobResult {
    /// The sample library was loaded.
    Sample {
        /// What loading the sample created, updated or left unchanged.
        report: ImportReport,
    },
    /// Every file was tried; each says what it came to.
    Imported {
        /// One outcome per file, in the order asked for.
        files: Vec<FileOutcome>,
    },
    /// `count` postmortems, or action items, were written to `path`.
    Exported {
        /// How many postmortems or action items were written.
        #[ts(type = "number")]
        count: u64,
        /// The file written.
        path: String,
    },
    /// PDF files were written.
    Pdf {
        /// Each file written, with its page count and any characters the fonts lacked.
        files: Vec<PdfOutcome>,
        /// The file, or the folder of files, the user chose.
        path: String,
    },
    /// Files were written (Markdown postmortems).
    Written {
        /// Each file written.
        files: Vec<String>,
        /// The file, or the folder of files, the user chose.
        path: String,
    },
    /// What each Markdown file in `folder` would become (a dry run), or became.
    Markdown {
        /// The folder.
        folder: String,
        /// Whether anything was imported (false for the preview).
        imported: bool,
        /// One report per file, in path order.
        files: Vec<FileReport>,
    },
    /// The index holds `count` postmortems.
    Reindexed {
        /// How many postmortems the rebuilt index holds.
        #[ts(type = "number")]
        count: u64,
    },
    /// The library was replaced by a backup.
    Restored {
        /// What was checked and restored, and where the replaced library was kept.
        report: crate::wire::RestoreReport,
    },
}

impl JobResult {
    /// The files (and the folder) an export wrote: what the window may then open.
    pub fn written(&self) -> Vec<PathBuf> {
        match self {
            JobResult::Exported { path, .. } => vec![PathBuf::from(path)],
            JobResult::Pdf { files, path } => chosen_and_files(path, files.iter().map(|f| f.path.as_str())),
            JobResult::Written { files, path } => chosen_and_files(path, files.iter().map(String::as_str)),
            JobResult::Sample { .. }
            | JobResult::Imported { .. }
            | JobResult::Markdown { .. }
            | JobResult::Reindexed { .. }
            | JobResult::Restored { .. } => vec![],
        }
    }
}

/// The place the user chose and the files written there (the same path once, for one file).
fn chosen_and_files<'a>(chosen: &'a str, files: impl Iterator<Item = &'a str>) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::iter::once(chosen).chain(files).map(PathBuf::from).collect();
    paths.dedup();
    paths
}

/// Where a job is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for the job before it to finish (jobs run one at a time).
    Queued,
    /// Under way.
    Running {
        /// The phase it is in and how far through it.
        step: Step,
    },
    /// Finished.
    Done {
        /// What it produced.
        result: JobResult,
    },
    /// Stopped by an error; nothing it would have changed was kept.
    Failed {
        /// The error, as the window shows errors.
        error: ErrorPayload,
    },
    /// Stopped by the user; `message` says what was kept (nothing, or the files imported
    /// before the cancelled one).
    Cancelled {
        /// The message to show, saying what was kept.
        message: String,
    },
}

/// One event about a job, as the window hears it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JobEvent {
    /// The id the app gave the job when it started it (and cancels it by).
    #[ts(type = "number")]
    pub id: u64,
    /// What the window calls the work ([`JobRequest::label`]).
    pub label: String,
    /// Where the job is now.
    #[serde(flatten)]
    pub state: JobState,
}

/// Runs `request` on `lib`, reporting to `progress`, and says how it ended.
pub fn run(lib: &mut Library, request: &JobRequest, today: NaiveDate, progress: &mut Progress) -> JobState {
    let outcome = match request {
        JobRequest::LoadSample => lib.load_sample_with(progress).map(|report| JobResult::Sample { report }),
        JobRequest::Import { paths } => return import(lib, paths, progress),
        JobRequest::ExportLibrary { ids, path, anonymize } => lib
            .export_json_file_with(ids, path, *anonymize, progress)
            .map(|n| JobResult::Exported { count: n as u64, path: path.display().to_string() }),
        JobRequest::ExportPdf { ids, path, anonymize } => lib
            .export_pdf(ids, path, *anonymize, progress)
            .map(|files| JobResult::Pdf { files, path: path.display().to_string() }),
        JobRequest::ExportMarkdown { ids, path, anonymize } => {
            lib.export_markdown(ids, path, *anonymize, progress).map(|files| JobResult::Written {
                files: files.iter().map(|f| f.display().to_string()).collect(),
                path: path.display().to_string(),
            })
        }
        JobRequest::ExportTimelineCsv { id, path } => lib
            .export_timeline_csv_file(id, path)
            .map(|n| JobResult::Exported { count: n as u64, path: path.display().to_string() }),
        JobRequest::ExportDigest { from, to, path, anonymize } => lib
            .export_digest(*from, *to, path, *anonymize, progress)
            .map(|file| JobResult::Pdf { files: vec![file], path: path.display().to_string() }),
        JobRequest::PreviewMarkdown { folder } => markdown_files(folder, None).and_then(|files| {
            let files =
                lib.import_markdown(&files, MarkdownImport { dry_run: true, ..Default::default() }, progress)?;
            Ok(JobResult::Markdown { folder: folder.display().to_string(), imported: false, files })
        }),
        JobRequest::ImportMarkdown { folder, files } => markdown_files(folder, Some(files)).and_then(|chosen| {
            let files = lib.import_markdown(&chosen, MarkdownImport::default(), progress)?;
            Ok(JobResult::Markdown { folder: folder.display().to_string(), imported: true, files })
        }),
        JobRequest::Reindex => lib.reindex_with(progress).map(|n| JobResult::Reindexed { count: n as u64 }),
        JobRequest::Restore { path } => lib.restore(path, progress).map(|report| JobResult::Restored { report }),
        JobRequest::ExportActionsCsv { filter, path } => lib
            .export_actions_csv_file_with(filter, today, path, progress)
            .map(|n| JobResult::Exported { count: n as u64, path: path.display().to_string() }),
    };
    finish(outcome)
}

/// The Markdown files in `folder` (those a folder import reads as Markdown), or only those of
/// `chosen` (paths within the folder); a chosen file that is not there is an error.
fn markdown_files(folder: &std::path::Path, chosen: Option<&[String]>) -> Result<Vec<ImportFile>> {
    let found: Vec<ImportFile> =
        Library::files_to_import(&[folder.to_path_buf()])?.into_iter().filter(|f| f.kind() == Some("md")).collect();
    let Some(chosen) = chosen else { return Ok(found) };
    chosen
        .iter()
        .map(|seed| {
            found.iter().find(|f| &f.seed == seed).cloned().ok_or_else(|| {
                Error::io(
                    folder.join(seed),
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no longer in the folder"),
                )
            })
        })
        .collect()
}

fn finish(outcome: Result<JobResult>) -> JobState {
    match outcome {
        Ok(result) => JobState::Done { result },
        Err(e @ Error::Cancelled { .. }) => JobState::Cancelled { message: e.to_string() },
        Err(e) => JobState::Failed { error: (&e).into() },
    }
}

/// Imports each file whole or not at all. A file that fails does not stop the others; a
/// cancel stops at the file being imported (rolled back) and skips the rest.
fn import(lib: &mut Library, paths: &[PathBuf], progress: &mut Progress) -> JobState {
    let mut files = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let name = path.display().to_string();
        progress.set_what(format!("the import of {name}"));
        match lib.import_file_with(path, progress) {
            Ok(report) => files.push(FileOutcome { path: name, report: Some(report), error: None }),
            Err(e @ Error::Cancelled { .. }) => {
                let kept: Vec<&str> = files.iter().filter(|f| f.report.is_some()).map(|f| f.path.as_str()).collect();
                let mut message = e.to_string();
                if !kept.is_empty() {
                    message = format!("{message}; imported before it: {}", kept.join(", "));
                }
                if i + 1 < paths.len() {
                    message = format!("{message}; not tried: {} more", paths.len() - i - 1);
                }
                return JobState::Cancelled { message };
            }
            Err(e) => files.push(FileOutcome { path: name, report: None, error: Some((&e).into()) }),
        }
    }
    JobState::Done { result: JobResult::Imported { files } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_a_request_reads_or_writes_is_named_with_its_use() {
        use PathUse::*;
        let p = |s: &str| PathBuf::from(s);
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let cases = [
            (JobRequest::LoadSample, vec![]),
            (JobRequest::Reindex, vec![]),
            (
                JobRequest::Import { paths: vec![p("/a.json"), p("/b.csv")] },
                vec![("/a.json", ReadFile), ("/b.csv", ReadFile)],
            ),
            (
                JobRequest::ExportLibrary { ids: vec![], path: p("/l.json"), anonymize: false },
                vec![("/l.json", WriteFile)],
            ),
            (JobRequest::ExportPdf { ids: vec![], path: p("/pdfs"), anonymize: false }, vec![("/pdfs", WriteFolder)]),
            (
                JobRequest::ExportPdf { ids: vec!["x".into()], path: p("/x.pdf"), anonymize: false },
                vec![("/x.pdf", WriteFile)],
            ),
            (JobRequest::ExportTimelineCsv { id: "x".into(), path: p("/t.csv") }, vec![("/t.csv", WriteFile)]),
            (JobRequest::ExportMarkdown { ids: vec![], path: p("/md"), anonymize: true }, vec![("/md", WriteFolder)]),
            (
                JobRequest::ExportMarkdown { ids: vec!["a".into(), "b".into()], path: p("/md"), anonymize: false },
                vec![("/md", WriteFolder)],
            ),
            (
                JobRequest::ExportMarkdown { ids: vec!["a".into()], path: p("/a.md"), anonymize: false },
                vec![("/a.md", WriteFile)],
            ),
            (
                JobRequest::ExportDigest { from: date, to: date, path: p("/d.pdf"), anonymize: false },
                vec![("/d.pdf", WriteFile)],
            ),
            (JobRequest::PreviewMarkdown { folder: p("/f") }, vec![("/f", ReadFolder)]),
            (JobRequest::ImportMarkdown { folder: p("/f"), files: vec!["a.md".into()] }, vec![("/f", ReadFolder)]),
            (
                JobRequest::ExportActionsCsv { filter: ActionFilter::default(), path: p("/a.csv") },
                vec![("/a.csv", WriteFile)],
            ),
            (JobRequest::Restore { path: p("/b.sqlite3") }, vec![("/b.sqlite3", RestoreFrom)]),
        ];
        for (request, want) in cases {
            let got: Vec<(String, PathUse)> =
                request.chosen_paths().into_iter().map(|(p, u)| (p.display().to_string(), u)).collect();
            let want: Vec<(String, PathUse)> = want.into_iter().map(|(p, u)| (p.to_string(), u)).collect();
            assert_eq!(got, want, "{request:?}");
        }
    }
}
