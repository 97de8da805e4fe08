//! Files in and out: JSON library documents, action items as CSV, timelines (pasted lines,
//! CSV, Slack exports), fishbone diagrams as SVG or PNG, and the sample library.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{checked, ready_for_save, write_all, write_atomically, write_over, Library};
use crate::clock::now;
use crate::exchange::anonymize::Anonymizer;
use crate::exchange::foreign_md::{self, FileReport};
use crate::exchange::json::{CategoryRoiInputs, LibraryDocument, TemplatePlan, FORMAT, VERSION};
use crate::exchange::{actions_csv, debrief_md, sample};
use crate::history::Why;
use crate::model::*;
use crate::progress::Progress;
use crate::review::templates;
use crate::search::Staging;
use crate::store::{self, postmortems, taxonomy};
use crate::wire::{ActionFilter, DiagramFormat, ImportReport};
use crate::{Error, Result};

impl DiagramFormat {
    /// The format a file name asks for by its extension.
    pub fn from_path(path: &Path) -> Option<DiagramFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "svg" => Some(DiagramFormat::Svg),
            "png" => Some(DiagramFormat::Png),
            _ => None,
        }
    }
}

/// Where an entry of a document's list is, for its errors: `library.json: postmortems[3]
/// ("Checkout 502s")`.
fn entry(source: &str, list: &str, i: usize, name: &str) -> String {
    format!("{source}: {list}[{i}] ({name:?})")
}

impl Library {
    /// The library, or the postmortems named by `ids`, as one canonical JSON document.
    /// With no ids, everything is exported, including unused services and categories.
    pub fn export_document(&self, ids: &[String]) -> Result<LibraryDocument> {
        self.export_document_with(ids, false, &mut Progress::none())
    }

    /// [`Library::export_document`], reporting `reading` steps; cancellable. With `anonymize`,
    /// every person in the postmortems is replaced by a label, consistently across the
    /// document (see [`crate::exchange::anonymize`]); the taxonomy is exported as it is.
    pub fn export_document_with(
        &self,
        ids: &[String],
        anonymize: bool,
        progress: &mut Progress,
    ) -> Result<LibraryDocument> {
        let ids = if ids.is_empty() { postmortems::all_ids(&self.conn)? } else { ids.to_vec() };
        let mut anonymizer = if anonymize { Some(self.anonymizer()?) } else { None };
        let mut pms = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            if i % 100 == 0 {
                progress.step("reading", i, ids.len())?;
            }
            let pm = postmortems::load(&self.conn, id)?;
            pms.push(match anonymizer.as_mut() {
                Some(a) => a.postmortem(&pm),
                None => pm,
            });
        }
        let everything = ids.len() as i64 == self.count()?;
        let used = |name: &str, pick: fn(&Postmortem) -> &Vec<String>| {
            everything || pms.iter().any(|p| pick(p).iter().any(|n| n.eq_ignore_ascii_case(name)))
        };
        let services = taxonomy::services(&self.conn)?.into_iter().filter(|s| used(&s.name, |p| &p.services)).collect();
        let categories =
            taxonomy::categories(&self.conn)?.into_iter().filter(|c| used(&c.name, |p| &p.categories)).collect();
        let cause_types = taxonomy::cause_types(&self.conn)?
            .into_iter()
            .filter(|t| {
                everything
                    || pms.iter().any(|p| {
                        p.contributing_factors
                            .iter()
                            .any(|f| f.category.as_deref().is_some_and(|c| c.trim().eq_ignore_ascii_case(&t.name)))
                    })
            })
            .collect();
        let roi_inputs = store::roi::saved(&self.conn)?
            .into_iter()
            .filter(|(category, _)| used(category, |p| &p.categories))
            .map(|(category, inputs)| CategoryRoiInputs { category, inputs })
            .collect();
        let templates = self.templates()?.into_iter().filter(|t| !t.builtin).collect();
        let mut meetings = match (anonymize, everything) {
            (true, _) => vec![],
            (false, true) => store::meetings::all(&self.conn)?,
            (false, false) => {
                let mut of_these = Vec::new();
                for id in &ids {
                    of_these.extend(store::meetings::of_postmortem(&self.conn, id)?);
                }
                of_these
            }
        };
        // A clock does not run across files: a meeting running now is written paused, with its
        // time so far.
        let at = crate::clock::now();
        for m in meetings.iter_mut().filter(|m| m.running_since.is_some()) {
            m.pause(at);
        }
        let meeting_plans = store::meetings::plans(&self.conn)?
            .into_iter()
            .map(|(template, plan)| TemplatePlan { template, plan })
            .collect();
        let mut doc = LibraryDocument {
            format: FORMAT.to_string(),
            version: VERSION,
            services,
            categories,
            cause_types,
            roi_inputs,
            templates,
            postmortems: pms,
            meetings,
            meeting_plans,
        };
        doc.canonicalize();
        Ok(doc)
    }

    /// Writes the library, or the postmortems named by `ids`, to `path` as a JSON document;
    /// returns how many postmortems it holds.
    pub fn export_json_file(&self, ids: &[String], path: &Path) -> Result<usize> {
        self.export_json_file_with(ids, path, false, &mut Progress::none())
    }

    /// Writes the library, or the postmortems named by `ids`, to `path` as a JSON document,
    /// anonymized with `anonymize` (see [`Library::export_document_with`]), reporting
    /// `reading` and `writing` steps. Cancelling leaves any file at `path` as it was.
    pub fn export_json_file_with(
        &self,
        ids: &[String],
        path: &Path,
        anonymize: bool,
        progress: &mut Progress,
    ) -> Result<usize> {
        let doc = self.export_document_with(ids, anonymize, progress)?;
        progress.step("writing", 0, 1)?;
        let json = doc.to_json();
        progress.check()?;
        write_atomically(path, json.as_bytes())?;
        progress.report("writing", 1, 1);
        Ok(doc.postmortems.len())
    }

    /// An anonymizer for one export that knows every person of the library: the people of
    /// every postmortem (authors, commanders, reviewers, participants, action-item owners,
    /// one table for all), whoever changed a review status, and the library's user name.
    /// Read with a few queries, not by loading the postmortems.
    pub fn anonymizer(&self) -> Result<Anonymizer> {
        let mut people = taxonomy::people(&self.conn)?;
        people.extend(postmortems::status_changers(&self.conn)?);
        if let Some(user) = taxonomy::setting(&self.conn, "user_name")?.and_then(|v| v.as_str().map(str::to_string)) {
            people.push(user);
        }
        Ok(Anonymizer::new(people))
    }

    /// Imports a library document in one transaction: postmortems with a known id are
    /// updated (keeping a revision), unknown ones created, identical ones left alone. If any
    /// postmortem is invalid nothing is imported, and the error names the file and field.
    pub fn import_document(&mut self, doc: &LibraryDocument, source: &str) -> Result<ImportReport> {
        self.import_document_with(doc, source, &mut Progress::none())
    }

    /// [`Library::import_document`], reporting `checking`, `saving` and `indexing` steps.
    /// Cancelling before the database commit rolls everything back.
    pub fn import_document_with(
        &mut self,
        doc: &LibraryDocument,
        source: &str,
        progress: &mut Progress,
    ) -> Result<ImportReport> {
        let today = crate::clock::today();
        let total = doc.postmortems.len();
        // On every core, a chunk at a time (progress and a cancel between chunks): a 10,000
        // import's checks were 81 ms of one core with the other idle, before anything is
        // written. The first invalid postmortem in the document's order is the one reported.
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
        for (c, chunk) in doc.postmortems.chunks(CHECK_CHUNK).enumerate() {
            progress.step("checking", c * CHECK_CHUNK, total)?;
            let per_worker = chunk.len().div_ceil(workers);
            let first_invalid = std::thread::scope(|scope| {
                let checks: Vec<_> = chunk
                    .chunks(per_worker.max(1))
                    .enumerate()
                    .map(|(w, part)| {
                        scope.spawn(move || {
                            part.iter().enumerate().find_map(|(j, pm)| {
                                let i = c * CHECK_CHUNK + w * per_worker + j;
                                pm.validate(today).err().map(|e| e.within(entry(source, "postmortems", i, &pm.title)))
                            })
                        })
                    })
                    .collect();
                // Validation never panics (property-tested); a panic would go on here.
                checks.into_iter().find_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            });
            if let Some(invalid) = first_invalid {
                return Err(invalid);
            }
        }
        // The taxonomy and templates are checked first too, so a value the database would refuse
        // is reported by field, not as a constraint failure half-way through the transaction.
        let named = |list: &str, i: usize, name: &str, e: Error| e.within(entry(source, list, i, name));
        for (i, s) in doc.services.iter().enumerate() {
            s.validate().map_err(|e| named("services", i, &s.name, e))?;
        }
        for (i, t) in doc.templates.iter().enumerate().filter(|(_, t)| !t.builtin) {
            templates::validate(t).map_err(|e| named("templates", i, &t.name, e))?;
        }
        for (i, r) in doc.roi_inputs.iter().enumerate() {
            r.inputs.validate().map_err(|e| named("roi_inputs", i, &r.category, e))?;
        }
        for (i, t) in doc.cause_types.iter().enumerate() {
            if t.name.trim().is_empty() || t.name.trim() != t.name {
                let problem = Error::invalid("name", "must be a name without spaces around it, not blank");
                return Err(named("cause_types", i, &t.name, problem));
            }
        }
        self.check_meetings(doc, source)?;
        self.write_checked_document(doc, source, progress)
    }

    /// Writes a document every part of which was checked as [`Library::import_document_with`]
    /// checks it, in one transaction.
    fn write_checked_document(
        &mut self,
        doc: &LibraryDocument,
        source: &str,
        progress: &mut Progress,
    ) -> Result<ImportReport> {
        // One transaction; each postmortem written is indexed meanwhile, from memory (it is
        // what is stored), on another thread. A large import into a small library (a team's
        // first migration) writes its rows without the secondary indexes and builds them once
        // at the end.
        let stored = usize::try_from(postmortems::count(&self.conn)?).unwrap_or(usize::MAX);
        let bulk = doc.postmortems.len() >= store::BULK_IMPORT_MIN && doc.postmortems.len() >= stored;
        let index = &mut self.index;
        store::with_bulk_cache(&mut self.conn, stored.saturating_add(doc.postmortems.len()), |conn| {
            index.save_and_index(conn, progress, |tx, staging, progress| {
                // Everything in the document was validated above.
                store::with_validated_rows(tx, |tx| {
                    if bulk {
                        store::without_secondary_indexes(tx, |tx| write_document(tx, doc, source, staging, progress))
                    } else {
                        write_document(tx, doc, source, staging, progress)
                    }
                })
            })
        })
    }

    /// Checks a document's meetings and meeting plans before anything is written: each
    /// meeting's agenda, its id (once in the document, and not stored under another
    /// postmortem), its postmortem (in the document or the library), at most one open meeting
    /// per postmortem; each plan's steps and its template (in the document or the library).
    fn check_meetings(&self, doc: &LibraryDocument, source: &str) -> Result<()> {
        use std::collections::HashSet;
        let named = |list: &str, i: usize, name: &str, e: Error| e.within(entry(source, list, i, name));
        let in_document: HashSet<&str> = doc.postmortems.iter().map(|p| p.id.as_str()).collect();
        let mut ids = HashSet::new();
        let mut open_on = HashSet::new();
        for (i, m) in doc.meetings.iter().enumerate() {
            let fail = |field: &str, message: String| Err(named("meetings", i, &m.id, Error::invalid(field, message)));
            m.validate().map_err(|e| named("meetings", i, &m.id, e))?;
            if !ids.insert(m.id.as_str()) {
                return fail("id", "appears twice in the document".into());
            }
            let pm = m.postmortem_id.as_str();
            if !in_document.contains(pm) && !postmortems::exists(&self.conn, pm)? {
                return fail("postmortem_id", format!("no postmortem {pm} in the document or the library"));
            }
            if let Some(owner) = store::meetings::postmortem_of(&self.conn, &m.id)? {
                if owner != pm {
                    return fail("postmortem_id", format!("this meeting is stored with postmortem {owner}, not {pm}"));
                }
            }
            if !m.is_finished() {
                if !open_on.insert(pm) {
                    return fail("ended_at", format!("a second open meeting on postmortem {pm}; finish one"));
                }
                if store::meetings::of_postmortem(&self.conn, pm)?.iter().any(|o| !o.is_finished() && o.id != m.id) {
                    return fail(
                        "ended_at",
                        format!("postmortem {pm} has an open meeting in this library; finish it first"),
                    );
                }
            }
        }
        let mut templates: HashSet<String> = self.templates()?.into_iter().map(|t| t.name.to_lowercase()).collect();
        templates.extend(doc.templates.iter().map(|t| t.name.to_lowercase()));
        for (i, p) in doc.meeting_plans.iter().enumerate() {
            p.plan.validate().map_err(|e| named("meeting_plans", i, &p.template, e))?;
            if !templates.contains(&p.template.to_lowercase()) {
                let problem = Error::invalid("template", "no template of that name in the document or the library");
                return Err(named("meeting_plans", i, &p.template, problem));
            }
        }
        Ok(())
    }

    /// Reads and imports a JSON library document from a file.
    pub fn import_json_file(&mut self, path: &Path) -> Result<ImportReport> {
        self.import_json_file_with(path, &mut Progress::none())
    }

    /// [`Library::import_json_file`], reporting `reading` first.
    pub fn import_json_file_with(&mut self, path: &Path, progress: &mut Progress) -> Result<ImportReport> {
        progress.step("reading", 0, 1)?;
        // Read as UTF-8 with the line of the first bad byte named (not just "invalid UTF-8").
        let text = Self::read_utf8(path)?;
        let source = path.display().to_string();
        let doc = LibraryDocument::parse(&text, &source)?;
        drop(text);
        progress.step("reading", 1, 1)?;
        self.import_document_with(&doc, &source, progress)
    }

    /// Imports one Markdown file, Debrief's own or anyone's (see [`Library::import_markdown`]).
    pub fn import_markdown_file_with(&mut self, path: &Path, progress: &mut Progress) -> Result<ImportReport> {
        let file = Library::files_to_import(&[path.to_path_buf()])?.remove(0);
        let reports = self.import_markdown(std::slice::from_ref(&file), MarkdownImport::default(), progress)?;
        let report = reports.into_iter().next().expect("one report per file");
        if let Some(error) = report.error {
            // The report's error names the file (and line) already: not a second time.
            let shown = path.display().to_string();
            let (location, message) = match error.strip_prefix(&shown) {
                Some(rest) => match rest.strip_prefix(':').and_then(|r| r.split_once(": ")) {
                    Some((line, message)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => {
                        (format!("{shown}:{line}"), message.to_string())
                    }
                    _ => (shown, rest.trim_start_matches(':').trim_start().to_string()),
                },
                None => (shown, error),
            };
            return Err(Error::Parse { location, message });
        }
        Ok(ImportReport {
            source: report.source,
            created: usize::from(report.outcome == "created"),
            updated: usize::from(report.outcome == "updated"),
            unchanged: usize::from(report.outcome == "unchanged"),
        })
    }

    /// Reads Markdown files, in Debrief's own format ([`debrief_md`]) or anyone else's
    /// ([`foreign_md`]), and imports every one that reads in one transaction (then indexes
    /// them). A file that cannot be read gets a report naming the file and line, and the others
    /// still import; each file is imported whole or not at all. A postmortem read from another
    /// tool's Markdown keeps the id its path gives it, so importing the folder again updates
    /// rather than copies. On a dry run ([`MarkdownImport::dry_run`]) nothing is written: the
    /// reports say what would be. Files that read like a template are left out when `how` says
    /// so ([`MarkdownImport::skip_templates`]).
    pub fn import_markdown(
        &mut self,
        files: &[ImportFile],
        how: MarkdownImport,
        progress: &mut Progress,
    ) -> Result<Vec<FileReport>> {
        let dry_run = how.dry_run;
        let today = crate::clock::today();
        let now = now();
        let total = files.len();
        let mut reports = Vec::with_capacity(total);
        // Each file read: its report's index, the postmortem, and whether its date was guessed.
        let mut ready: Vec<(usize, Postmortem, bool)> = Vec::new();
        // Files are read and understood on every core, a chunk at a time so progress moves and
        // a cancel is heard between chunks; results keep the files' order.
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
        for (c, chunk) in files.chunks(READ_CHUNK).enumerate() {
            progress.step("reading", c * READ_CHUNK, total)?;
            let per_worker = chunk.len().div_ceil(workers);
            let read: Vec<Result<foreign_md::Understood>> = std::thread::scope(|scope| {
                let handles: Vec<_> = chunk
                    .chunks(per_worker.max(1))
                    .map(|part| {
                        let handle = scope.spawn(move || {
                            part.iter().map(|f| read_markdown(&f.path, &f.seed, today, now)).collect::<Vec<_>>()
                        });
                        (part.len(), handle)
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|(len, h)| {
                        // A reader never panics (property-tested); if one did, its files fail.
                        h.join().unwrap_or_else(|_| {
                            (0..len)
                                .map(|_| Err(Error::Render("reading this file stopped unexpectedly".into())))
                                .collect()
                        })
                    })
                    .collect()
            });
            for (file, result) in chunk.iter().zip(read) {
                match result {
                    Ok(u) => {
                        ready.push((reports.len(), u.postmortem, u.date_guessed));
                        reports.push(FileReport { file: file.seed.clone(), ..u.report });
                    }
                    Err(e) => reports.push(FileReport {
                        source: file.path.display().to_string(),
                        file: file.seed.clone(),
                        outcome: "failed".into(),
                        error: Some(e.to_string()),
                        ..Default::default()
                    }),
                }
            }
        }
        progress.step("reading", total, total)?;
        if how.skip_templates {
            ready.retain(|(at, _, _)| {
                let report = &mut reports[*at];
                if report.template {
                    report.outcome = if dry_run { "would be skipped" } else { "skipped" }.into();
                }
                !report.template
            });
        }
        // The same postmortem twice (a copied file): the first is imported, the copy refused.
        let mut seen: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
        ready.retain(|(at, pm, _)| match seen.get(&pm.id) {
            None => {
                seen.insert(pm.id.clone(), *at);
                true
            }
            Some(first) => {
                let first_file = reports[*first].file.clone();
                let copy = &mut reports[*at];
                copy.outcome = "failed".into();
                copy.error = Some(format!(
                    "{}: the same postmortem (id {}) as {first_file}; only that one is imported",
                    copy.source, pm.id
                ));
                false
            }
        });
        // What each would do, against what is stored. Times the importer made up (when it was
        // created, when an item was added) are taken from the stored copy, so importing the
        // same file again is "unchanged".
        let spellings = postmortems::Spellings::load(&self.conn)?;
        for (at, pm, date_guessed) in ready.iter_mut() {
            // Names in the spelling the library already has ("API" stored as "api"), as saving
            // would leave them; then the postmortem in memory is the one stored.
            postmortems::as_loaded_in(&spellings, pm);
            let stored = postmortems::find(&self.conn, &pm.id)?;
            let outcome = match stored {
                None => "created",
                Some(stored) => {
                    if reports[*at].format == "markdown" {
                        keep_stored_times(pm, &stored, *date_guessed);
                    }
                    if &stored == pm {
                        "unchanged"
                    } else {
                        pm.updated_at = now;
                        // Checked again with the stored times in it (each file was checked as
                        // it was read; the import below does not check again).
                        if let Err(e) = foreign_md::check(pm, &reports[*at].source, today) {
                            reports[*at].outcome = "failed".into();
                            reports[*at].error = Some(e.to_string());
                            continue;
                        }
                        "updated"
                    }
                }
            };
            reports[*at].outcome = if dry_run { format!("would be {outcome}") } else { outcome.to_string() };
        }
        ready.retain(|(at, _, _)| reports[*at].outcome != "failed");
        if dry_run || ready.is_empty() {
            return Ok(reports);
        }
        // Moved, not copied: a large import's postmortems are a hundred megabytes of text.
        let at: Vec<usize> = ready.iter().map(|(at, _, _)| *at).collect();
        let all = LibraryDocument::of(ready.into_iter().map(|(_, pm, _)| pm).collect());
        // Every postmortem was checked above: a Markdown file holds no taxonomy, templates
        // or meetings to check.
        match self.write_checked_document(&all, "Markdown import", progress) {
            Ok(_) => {}
            // Cancelled, or the index failed after the database committed: no retry.
            Err(e @ (Error::Cancelled { .. } | Error::Search(_))) => return Err(e),
            // One postmortem the database refuses (an id another already uses) must not stop the
            // rest: import them one by one, each whole or not at all.
            Err(_) => {
                for (at, pm) in at.into_iter().zip(all.postmortems) {
                    let source = reports[at].source.clone();
                    if let Err(e) = self.import_document_with(&LibraryDocument::of(vec![pm]), &source, progress) {
                        if matches!(e, Error::Cancelled { .. }) {
                            return Err(e);
                        }
                        reports[at].outcome = "failed".into();
                        reports[at].error = Some(e.to_string());
                    }
                }
            }
        }
        Ok(reports)
    }

    /// Writes postmortems in Debrief's own Markdown: one to the file `out` (or into the folder
    /// `out`), several, or all when `ids` is empty, into the folder `out`, one file each named
    /// by [`super::reports::file_stem`]. Anonymized when asked, with one anonymizer for all.
    pub fn export_markdown(
        &self,
        ids: &[String],
        out: &Path,
        anonymize: bool,
        progress: &mut Progress,
    ) -> Result<Vec<PathBuf>> {
        self.export_each(ids, out, "md", anonymize, progress, |pm, path| {
            write_atomically(path, debrief_md::write(pm)?.as_bytes())?;
            Ok(path.to_path_buf())
        })
    }

    /// Imports one file the app's import dialog picked, by its extension: a JSON library
    /// document, action items as CSV, or a postmortem in Debrief's own Markdown. The file is
    /// imported whole or not at all.
    pub fn import_file_with(&mut self, path: &Path, progress: &mut Progress) -> Result<ImportReport> {
        let extension = path.extension().and_then(|x| x.to_str()).unwrap_or("").to_ascii_lowercase();
        match extension.as_str() {
            "json" => self.import_json_file_with(path, progress),
            "md" | "markdown" => self.import_markdown_file_with(path, progress),
            "csv" => {
                progress.step("reading", 0, 1)?;
                let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
                progress.step("saving", 0, 1)?;
                let report = self.import_actions_csv(&text, &path.display().to_string())?;
                progress.report("saving", 1, 1);
                Ok(report)
            }
            _ => Err(Error::Parse {
                location: path.display().to_string(),
                message: "not a file Debrief imports: Debrief JSON library documents (.json), action items \
                          (.csv) and postmortems in Debrief's Markdown (.md)"
                    .into(),
            }),
        }
    }

    /// Loads the sample library. Idempotent: postmortems already present (by id) are left
    /// as they are, so loading twice adds nothing and never overwrites edits.
    pub fn load_sample(&mut self) -> Result<ImportReport> {
        self.load_sample_with(&mut Progress::none())
    }

    /// [`Library::load_sample`], reporting `saving` and `indexing` steps.
    pub fn load_sample_with(&mut self, progress: &mut Progress) -> Result<ImportReport> {
        let mut doc = sample::document(crate::clock::today())?;
        let total = doc.postmortems.len();
        let mut report = ImportReport { source: "sample library".into(), ..Default::default() };
        let tx = self.conn.transaction()?;
        let known_services: Vec<String> = taxonomy::services(&tx)?.into_iter().map(|s| s.name.to_lowercase()).collect();
        for s in doc.services.iter().filter(|s| !known_services.contains(&s.name.to_lowercase())) {
            taxonomy::upsert_service(&tx, s)?;
        }
        let known_categories: Vec<String> =
            taxonomy::categories(&tx)?.into_iter().map(|c| c.name.to_lowercase()).collect();
        for c in doc.categories.iter().filter(|c| !known_categories.contains(&c.name.to_lowercase())) {
            taxonomy::upsert_category(&tx, c)?;
        }
        for (i, pm) in doc.postmortems.drain(..).enumerate() {
            progress.step("saving", i, total)?;
            if postmortems::exists(&tx, &pm.id)? {
                report.unchanged += 1;
            } else {
                postmortems::insert(&tx, &pm)?;
                report.created += 1;
            }
        }
        progress.step("saving", total, total)?;
        tx.commit()?;
        self.index.sync_with(&self.conn, progress)?;
        Ok(report)
    }

    /// The items matching `filter` as CSV (see [`crate::exchange::actions_csv`]), grouped by
    /// postmortem (oldest incident first) in each postmortem's own order, so that importing
    /// the file back recreates the lists as they were.
    pub fn export_actions_csv(&self, filter: &ActionFilter, today: NaiveDate) -> Result<String> {
        Ok(self.actions_csv(filter, today)?.0)
    }

    /// The CSV text and how many items it holds.
    fn actions_csv(&self, filter: &ActionFilter, today: NaiveDate) -> Result<(String, usize)> {
        let mut rows = self.actions(filter, today)?;
        rows.sort_by(|a, b| {
            (a.incident_date, &a.postmortem_id, a.position).cmp(&(b.incident_date, &b.postmortem_id, b.position))
        });
        Ok((actions_csv::write(&rows)?, rows.len()))
    }

    /// Writes the items matching `filter` to a CSV file.
    pub fn export_actions_csv_file(&self, filter: &ActionFilter, today: NaiveDate, path: &Path) -> Result<()> {
        write_atomically(path, self.export_actions_csv(filter, today)?.as_bytes())
    }

    /// [`Library::export_actions_csv_file`], reporting `reading` and `writing` steps; returns
    /// how many items were written.
    pub fn export_actions_csv_file_with(
        &self,
        filter: &ActionFilter,
        today: NaiveDate,
        path: &Path,
        progress: &mut Progress,
    ) -> Result<usize> {
        progress.step("reading", 0, 1)?;
        let (csv, count) = self.actions_csv(filter, today)?;
        progress.step("writing", 0, 1)?;
        write_atomically(path, csv.as_bytes())?;
        progress.report("writing", 1, 1);
        Ok(count)
    }

    /// Imports action items from a CSV file (see [`Library::import_actions_csv`]).
    pub fn import_actions_csv_file(&mut self, path: &Path) -> Result<ImportReport> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        self.import_actions_csv(&text, &path.display().to_string())
    }

    /// Imports action items from CSV text: rows with a known id update that item, others are
    /// added to their postmortem. Every bad row is reported by line; nothing is imported then.
    pub fn import_actions_csv(&mut self, text: &str, source: &str) -> Result<ImportReport> {
        let rows = actions_csv::parse(text, source, now())?;
        let mut report = ImportReport { source: source.to_string(), ..Default::default() };
        let tx = self.conn.transaction()?;
        // Each postmortem the rows name, as stored and as the rows edit it.
        let mut docs: Vec<(Postmortem, Postmortem)> = Vec::new();
        for row in rows {
            let position = match docs.iter().position(|(p, _)| p.id == row.postmortem_id) {
                Some(i) => i,
                None => {
                    let pm = postmortems::load(&tx, &row.postmortem_id).map_err(|e| match e {
                        Error::NotFound { .. } => Error::Parse {
                            location: format!("{source}:{}", row.line),
                            message: format!("postmortem_id: no postmortem {}", row.postmortem_id),
                        },
                        other => other,
                    })?;
                    docs.push((pm.clone(), pm));
                    docs.len() - 1
                }
            };
            let pm = &mut docs[position].1;
            match pm.action_items.iter_mut().find(|a| a.id == row.item.id) {
                Some(existing) if *existing == row.item => report.unchanged += 1,
                Some(existing) => {
                    *existing = row.item;
                    report.updated += 1;
                }
                None => {
                    if row.had_id && store::actions::owner_postmortem(&tx, &row.item.id).is_ok() {
                        return Err(Error::Parse {
                            location: format!("{source}:{}", row.line),
                            message: format!("id: item {} belongs to another postmortem", row.item.id),
                        });
                    }
                    pm.action_items.push(row.item);
                    report.created += 1;
                }
            }
        }
        let mut ready = Vec::new();
        for (stored, pm) in docs {
            let title = pm.title.clone();
            let changed = checked(pm).and_then(|pm| ready_for_save(&tx, pm, &stored)).map_err(|e| match e {
                Error::Validation { field, message } => {
                    Error::Validation { field: format!("{source}: postmortem {title:?}: {field}"), message }
                }
                other => other,
            })?;
            ready.extend(changed.map(|pm| (stored, pm)));
        }
        write_all(&tx, &ready, Why::Import)?;
        tx.commit()?;
        self.sync_index()?;
        Ok(report)
    }

    /// Reads a timeline import from `path` and merges it into postmortem `id`, all or nothing.
    /// The format is told by content, not by name: pasted lines, CSV, a Slack day file, or a
    /// folder of day files (one channel of a Slack export). Times are read in `zone`; lines that
    /// give only a time fall on `date`, by default the incident date. Events the timeline
    /// already holds (same time and text) are not added again. If any line is unreadable,
    /// nothing is saved and the error names every one (`file:line` and its text).
    pub fn import_timeline_file(
        &mut self,
        id: &str,
        path: &Path,
        zone: &str,
        date: Option<NaiveDate>,
    ) -> Result<crate::exchange::timeline::TimelineImport> {
        use crate::exchange::timeline::{self, TimelineFormat, TimelineImport, Zone};
        let tx = self.conn.transaction()?;
        let stored = postmortems::load(&tx, id)?;
        let mut pm = stored.clone();
        let source = path.display().to_string();
        Zone::parse(zone)?;
        let (format, events) = if path.is_dir() {
            (TimelineFormat::Slack, timeline::parse_slack(&Self::slack_day_files(path)?)?)
        } else {
            let text = Self::read_utf8(path)?;
            timeline::parse_any(&text, &source, Some(date.unwrap_or(pm.incident_date)), zone)?
        };
        let (added, already_present) = timeline::merge_new(&mut pm, &events);
        if added > 0 {
            let written = write_over(&tx, &stored, checked(pm)?, Why::Import)?;
            if written.is_some() {
                tx.commit()?;
                self.sync_index()?;
            }
        }
        Ok(TimelineImport { source, format, read: events.len(), added, already_present })
    }

    /// The day files (`2024-03-14.json`) of a Slack channel folder, by name, as
    /// `(path, content)`.
    fn slack_day_files(dir: &Path) -> Result<Vec<(String, String)>> {
        let is_day = |p: &Path| {
            p.is_file()
                && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("json"))
                && p.file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok())
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| is_day(p))
            .collect();
        if files.is_empty() {
            return Err(Error::Parse {
                location: dir.display().to_string(),
                message: "no Slack day files (YYYY-MM-DD.json) in this folder; give the folder of one channel \
                          of a Slack export, or one of its day files"
                    .into(),
            });
        }
        files.sort();
        files.iter().map(|f| Ok((f.display().to_string(), Self::read_utf8(f)?))).collect()
    }

    /// A text file's content; a file that is not UTF-8 is refused naming the line where it
    /// stops being so.
    fn read_utf8(path: &Path) -> Result<String> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        String::from_utf8(bytes).map_err(|e| {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            Error::Parse {
                location: format!("{}:{line}", path.display()),
                message: format!(
                    "this is not UTF-8 text (byte {} is not); save the file as UTF-8",
                    e.utf8_error().valid_up_to()
                ),
            }
        })
    }

    /// Writes postmortem `id`'s timeline to `path` as CSV (`time,event,kind,marker`, times in
    /// UTC) that [`Library::import_timeline_file`] reads back; the file is replaced whole or
    /// not at all. Returns how many events were written.
    pub fn export_timeline_csv_file(&self, id: &str, path: &Path) -> Result<usize> {
        let pm = postmortems::load(&self.conn, id)?;
        write_atomically(path, crate::exchange::timeline::write_csv(&pm.timeline)?.as_bytes())?;
        Ok(pm.timeline.len())
    }

    /// A fishbone drawn as an SVG document or a PNG image (twice the diagram's size, for
    /// crisp text), laid out by [`crate::report::fishbone::layout`].
    pub fn export_fishbone(fishbone: &Fishbone, format: DiagramFormat) -> Result<Vec<u8>> {
        let layout = crate::report::fishbone::layout(fishbone);
        let svg = crate::report::svg::fishbone_svg(&layout, &fishbone.effect);
        match format {
            DiagramFormat::Svg => Ok(svg.into_bytes()),
            DiagramFormat::Png => crate::report::svg::svg_to_png(&svg, 2.0),
        }
    }

    /// Draws `fishbone` into `path` as SVG or PNG, by the file's extension.
    pub fn export_fishbone_file(fishbone: &Fishbone, path: &Path) -> Result<()> {
        let format = DiagramFormat::from_path(path)
            .ok_or_else(|| Error::invalid("path", format!("{}: name the file .svg or .png", path.display())))?;
        Self::write_fishbone_file(fishbone, format, path)
    }

    /// Draws the fishbone `fishbone` (as [`Library::fishbone`] finds it) of postmortem `id`
    /// into `path` as `format`.
    pub fn export_stored_fishbone(
        &self,
        id: &str,
        fishbone: Option<&str>,
        format: DiagramFormat,
        path: &Path,
    ) -> Result<()> {
        Self::write_fishbone_file(&self.fishbone(id, fishbone)?, format, path)
    }

    /// Draws `fishbone` as `format` and replaces `path` with it, whole or not at all.
    fn write_fishbone_file(fishbone: &Fishbone, format: DiagramFormat, path: &Path) -> Result<()> {
        write_atomically(path, &Self::export_fishbone(fishbone, format)?)
    }

    /// The files an import of `paths` reads: files as given, and in each folder (and the
    /// folders in it, hidden ones left out) its `.json`, `.csv`, `.md` and `.markdown` files, and
    /// files without those extensions whose content is Markdown, in path order. Each comes with
    /// its path within what was named, which gives imported Markdown its stable id. A path that
    /// does not exist is an error.
    pub fn files_to_import(paths: &[PathBuf]) -> Result<Vec<ImportFile>> {
        let mut out = Vec::new();
        for p in paths {
            if p.is_dir() {
                let mut found = Vec::new();
                walk(p, p, &mut found)?;
                found.sort_by(|a: &ImportFile, b| a.seed.cmp(&b.seed));
                // The folder's own name is part of each file's seed, so two folders' files of the
                // same name do not take each other's ids.
                let folder = folder_name(p);
                out.extend(found.into_iter().map(|f| ImportFile { seed: format!("{folder}/{}", f.seed), ..f }));
            } else if p.exists() {
                let name = p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned());
                let parent = p.parent().map(folder_name).unwrap_or_default();
                out.push(ImportFile { path: p.clone(), seed: format!("{parent}/{name}") });
            } else {
                return Err(Error::io(p, std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder")));
            }
        }
        Ok(out)
    }
}

/// How [`Library::import_markdown`] treats the files it reads. The default imports every file
/// that reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarkdownImport {
    /// Only read: each report says what would happen, and nothing is written.
    pub dry_run: bool,
    /// Leave out the files that read like a template ([`FileReport::template`]): a folder of
    /// postmortems in a repository often keeps its template beside them. Their reports say
    /// `skipped`, with the reason among the notes.
    pub skip_templates: bool,
}

/// A file to import, and its path within the folder it was found in (its name when it was
/// named itself), with `/` between folders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its path within what the user named; imported Markdown takes its stable id from this.
    pub seed: String,
}

impl ImportFile {
    /// The file's lower-case extension, or "".
    pub fn extension(&self) -> String {
        self.path.extension().and_then(|x| x.to_str()).unwrap_or("").to_ascii_lowercase()
    }

    /// What the file holds, told by its extension, else by whether its content is Markdown:
    /// `json`, `csv` or `md`; `None` for anything else.
    pub fn kind(&self) -> Option<&'static str> {
        match self.extension().as_str() {
            "json" => Some("json"),
            "csv" => Some("csv"),
            "md" | "markdown" => Some("md"),
            x if MAYBE_MARKDOWN.contains(&x) => holds_markdown(&self.path).then_some("md"),
            _ => None,
        }
    }
}

/// Names (without extension) of a repository's own documents, skipped at the top of a folder.
const REPOSITORY_DOCUMENTS: [&str; 8] =
    ["readme", "contributing", "changelog", "license", "licence", "code_of_conduct", "security", "index"];

/// Markdown files read (on every core) between progress reports and cancel checks.
const READ_CHUNK: usize = 256;

/// Postmortems an import checks between two progress steps (see
/// [`Library::import_document_with`]).
const CHECK_CHUNK: usize = 1000;

/// Extensions a folder import reads by name; other files are read when they hold Markdown.
const KNOWN_EXTENSIONS: [&str; 4] = ["json", "csv", "md", "markdown"];
/// Other extensions whose files are opened to see whether they hold Markdown (none, plain
/// text, Markdown's rarer extensions); code and data files are never read as postmortems.
const MAYBE_MARKDOWN: [&str; 9] = ["", "txt", "text", "mdown", "mkd", "mkdn", "mdwn", "markdn", "mdtxt"];

/// A folder's own name, also for `.` or a path ending in `..` (resolved first).
fn folder_name(dir: &Path) -> String {
    let named = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    named(dir)
        .filter(|n| n != "." && n != "..")
        .or_else(|| dir.canonicalize().ok().and_then(|c| named(&c)))
        .unwrap_or_default()
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<ImportFile>) -> Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        // A repository's own documents at the top of the folder are not postmortems (a
        // README.md one folder down, one folder per incident, is).
        let stem = name.split('.').next().unwrap_or("").to_ascii_lowercase();
        if dir == root && path.is_file() && REPOSITORY_DOCUMENTS.contains(&stem.as_str()) {
            continue;
        }
        // Linked folders are not followed: a link back up would never end.
        let linked = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if path.is_dir() {
            if !linked {
                walk(root, &path, out)?;
            }
            continue;
        }
        let extension = path.extension().and_then(|x| x.to_str()).unwrap_or("").to_ascii_lowercase();
        let wanted = KNOWN_EXTENSIONS.contains(&extension.as_str())
            || (MAYBE_MARKDOWN.contains(&extension.as_str()) && holds_markdown(&path));
        if wanted {
            let seed = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push(ImportFile { path, seed });
        }
    }
    Ok(())
}

/// Whether a file without a Markdown extension holds Markdown, by its first 64 KiB.
fn holds_markdown(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    // A cut in the middle of a character at the end is not a reason to say no.
    let valid = match std::str::from_utf8(&head) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
        Err(_) => return false,
    };
    foreign_md::looks_like_markdown(valid)
}

/// Writes a checked document's settings, postmortems (each handed to `staging` for the
/// index), meetings and meeting plans in `tx`: what [`Library::import_document_with`] saves.
fn write_document<'p>(
    tx: &rusqlite::Transaction,
    doc: &'p LibraryDocument,
    source: &str,
    staging: &Staging<'p>,
    progress: &mut Progress,
) -> Result<ImportReport> {
    let total = doc.postmortems.len();
    let mut report = ImportReport { source: source.to_string(), ..Default::default() };
    store_settings(tx, doc, source)?;
    for (i, pm) in doc.postmortems.iter().enumerate() {
        if i % 50 == 0 {
            progress.step("saving", i, total)?;
        }
        let written = match postmortems::find(tx, &pm.id)? {
            Some(stored) if &stored == pm => {
                report.unchanged += 1;
                continue;
            }
            Some(stored) => {
                report.updated += 1;
                postmortems::update(tx, &stored, pm, Why::Import)
            }
            None => {
                report.created += 1;
                postmortems::insert(tx, pm)
            }
        };
        written.map_err(|e| id_taken(e, source, i, pm))?;
        staging.index(pm);
    }
    let at = crate::clock::now();
    for m in &doc.meetings {
        // A stored finished meeting is kept unless this copy is finished too and has
        // more feedback: re-importing an older export never reopens a meeting or
        // loses an answer.
        let replace = match store::meetings::find(tx, &m.id)? {
            None => true,
            Some(stored) => !stored.is_finished() || (m.is_finished() && m.feedback.len() > stored.feedback.len()),
        };
        if replace {
            let mut m = m.clone();
            m.running_since = None; // a clock does not run across files
            store::meetings::save(tx, &m, at)?;
        }
    }
    for p in &doc.meeting_plans {
        store::meetings::save_plan(tx, &p.template, &p.plan)?;
    }
    progress.step("saving", total, total)?;
    Ok(report)
}

/// Stores a document's taxonomy, ROI inputs and user templates (added or updated by name;
/// nothing is removed).
pub(crate) fn store_settings(tx: &rusqlite::Transaction, doc: &LibraryDocument, source: &str) -> Result<()> {
    for s in &doc.services {
        taxonomy::upsert_service(tx, s)?;
    }
    for c in &doc.categories {
        taxonomy::upsert_category(tx, c)?;
    }
    for t in &doc.cause_types {
        taxonomy::upsert_cause_type(tx, t)?;
    }
    for (i, r) in doc.roi_inputs.iter().enumerate() {
        if !store::roi::set_inputs(tx, &r.category, &r.inputs)? {
            let message = format!("no category named {:?} in the document or the library", r.category);
            return Err(Error::invalid("category", message).within(entry(source, "roi_inputs", i, &r.category)));
        }
    }
    for t in doc.templates.iter().filter(|t| !t.builtin) {
        taxonomy::upsert_template(tx, t)?;
    }
    Ok(())
}

/// Reads one Markdown file: Debrief's own when its front matter says so, anyone's otherwise.
fn read_markdown(
    path: &Path,
    seed: &str,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<foreign_md::Understood> {
    let source = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.len() > foreign_md::MAX_BYTES as u64 {
        return Err(Error::Parse {
            location: source,
            message: format!(
                "is {:.1} MB; a postmortem is read only up to {} MB (is it an archive or a log?)",
                meta.len() as f64 / 1_048_576.0,
                foreign_md::MAX_BYTES / 1_048_576
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Parse {
        location: source.clone(),
        message: format!(
            "is not UTF-8 text (byte {} is not); save it as UTF-8 and import it again",
            e.utf8_error().valid_up_to()
        ),
    })?;
    understand_markdown(&text, &source, seed, today, now)
}

/// Understands Markdown text read from `source`: Debrief's own when its front matter says so,
/// anyone's otherwise (`seed` gives such a file its stable ids).
pub(crate) fn understand_markdown(
    text: &str,
    source: &str,
    seed: &str,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<foreign_md::Understood> {
    let source = source.to_string();
    if text.contains('\0') {
        return Err(Error::Parse { location: source, message: "is not a text file (it has NUL bytes)".into() });
    }
    if debrief_md::is_debrief_markdown(text) {
        let pm = debrief_md::read(text, &source)?;
        foreign_md::check(&pm, &source, today)?;
        let mut report = FileReport {
            source,
            format: "debrief".into(),
            mapped: vec![foreign_md::Mapping {
                line: 1,
                from: "front matter (debrief:)".into(),
                to: "every field, exactly".into(),
            }],
            ..Default::default()
        };
        report.describe(&pm);
        return Ok(foreign_md::Understood { postmortem: pm, report, date_guessed: false });
    }
    foreign_md::read(text, &source, seed, today, now)
}

/// Takes the times an import made up (created, updated, when an item was added or done) from
/// the stored postmortem with the same id, so an unchanged file compares equal.
pub(crate) fn keep_stored_times(pm: &mut Postmortem, stored: &Postmortem, date_guessed: bool) {
    pm.created_at = stored.created_at;
    pm.updated_at = stored.updated_at;
    // A file that states no date was given the day of its first import; it keeps that day.
    if date_guessed {
        pm.incident_date = stored.incident_date;
    }
    for a in pm.action_items.iter_mut() {
        if let Some(old) = stored.action_items.iter().find(|o| o.id == a.id) {
            a.created_at = old.created_at;
            if a.status == ActionStatus::Done && old.completed_at.is_some() {
                a.completed_at = old.completed_at;
            } else if a.status == ActionStatus::Done {
                a.completed_at = Some(a.created_at);
            }
        }
    }
    // The review history is kept by the library, not by the file.
    pm.status_history = stored.status_history.clone();
}

/// A part of an imported postmortem whose id another postmortem already uses (ids are stable
/// references, unique across the library) is refused naming the postmortem and the part,
/// instead of as a bare constraint failure.
fn id_taken(e: Error, source: &str, i: usize, pm: &Postmortem) -> Error {
    let Some(column) = store::unique_violation(&e) else { return e };
    Error::Validation {
        field: format!("{source}: postmortems[{i}] ({:?})", pm.title),
        message: format!("an id in it ({column}) already belongs to another postmortem; give the copy new ids"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file read again takes what the first import made up from the stored copy: the times,
    /// and the date when the file states none (a day later, "today" has moved on).
    #[test]
    fn a_reimported_file_keeps_the_times_and_guessed_date_of_its_first_import() {
        let text = "# Queue stuck\n\n## Action items\n\n- [x] Add an alert\n";
        let first_day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let read = |today: NaiveDate, now: &str| {
            foreign_md::read(text, "q.md", "pms/q.md", today, now.parse().unwrap()).unwrap()
        };
        let stored = read(first_day, "2026-03-01T09:00:00Z").postmortem;
        let again = read(first_day.succ_opt().unwrap(), "2026-03-02T09:00:00Z");
        assert!(again.date_guessed);
        let mut pm = again.postmortem;
        assert_ne!(pm, stored, "read a day later, the guesses differ");
        keep_stored_times(&mut pm, &stored, true);
        assert_eq!(pm, stored);
        // A stated date is the file's to change.
        let mut dated = pm.clone();
        dated.incident_date = first_day.succ_opt().unwrap();
        keep_stored_times(&mut dated, &stored, false);
        assert_ne!(dated.incident_date, stored.incident_date);
    }
}
