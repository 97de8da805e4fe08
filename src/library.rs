//! The one entry point the CLI and the app call. A [`Library`] is a folder holding the SQLite
//! database and its backups (and, later, the search index). Every method is one use-case; each
//! change runs in one transaction, so a failure leaves nothing half-written.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::analysis::followthrough::FollowThrough;
use crate::clock::{new_id, now};
use crate::exchange::json::{LibraryDocument, FORMAT, VERSION};
use crate::exchange::{actions_csv, sample};
use crate::model::*;
use crate::progress::Progress;
use crate::review::{markdown, templates, workflow};
use crate::search::{IndexDrift, SearchIndex, SearchOptions, SearchResults, SimilarHit};
use crate::store::actions::{ActionFilter, ActionPage, ActionRow};
use crate::store::postmortems::{ListFilter, ListPage, ListQuery};
use crate::store::{self, postmortems, taxonomy};
use crate::{Error, Result};

/// File name of the database inside a library folder.
pub const DB_FILE: &str = "debrief.sqlite3";
/// Folder of automatic and manual backups inside a library folder.
pub const BACKUP_DIR: &str = "backups";
/// Folder of the tantivy search index inside a library folder.
pub const INDEX_DIR: &str = "index";

/// What a new postmortem starts from.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewPostmortem {
    pub title: String,
    pub severity: Severity,
    /// Template name; `None` picks the one suggested for the severity.
    pub template: Option<String>,
    /// Defaults to today.
    pub incident_date: Option<NaiveDate>,
}

/// Image formats a diagram can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum DiagramFormat {
    Svg,
    Png,
}

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

/// What importing one document did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub source: String,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What `check` found.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckReport {
    pub library: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub postmortems: i64,
    /// Problems found; empty when the library is healthy.
    pub problems: Vec<String>,
    /// How the search index differs from the database.
    pub index: IndexDrift,
}

/// Where the library is and what it holds, for the start screen.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LibraryStatus {
    pub dir: String,
    #[ts(type = "number")]
    pub postmortems: i64,
    #[ts(type = "number")]
    pub overdue_action_items: i64,
}

/// A draft's text, for "similar incidents" while writing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftText {
    pub title: String,
    /// Summary or any text written so far.
    pub text: String,
    pub categories: Vec<String>,
    pub services: Vec<String>,
    /// The draft's own id once stored, so it does not find itself.
    pub exclude_id: Option<String>,
}

/// The vocabularies the editor offers.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Taxonomy {
    pub services: Vec<Service>,
    pub categories: Vec<Category>,
    pub people: Vec<String>,
    /// Root-cause types for contributing factors: the built-in ones, then those in use.
    pub root_cause_types: Vec<String>,
}

/// An open library.
pub struct Library {
    dir: PathBuf,
    conn: Connection,
    index: SearchIndex,
}

impl Library {
    /// The default library folder: the OS's app-data folder (e.g. `~/.local/share/debrief`).
    pub fn default_dir() -> PathBuf {
        directories::ProjectDirs::from("org", "Debrief", "debrief")
            .map(|d| d.data_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from("debrief-library"))
    }

    /// Opens the library in `dir`, creating the folder and database if needed and migrating
    /// the database to the current schema.
    pub fn open(dir: impl AsRef<Path>) -> Result<Library> {
        let dir = dir.as_ref().to_path_buf();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let conn = store::open(&dir.join(DB_FILE), &dir.join(BACKUP_DIR))?;
        let (index, fresh) = SearchIndex::open(&dir.join(INDEX_DIR))?;
        let mut lib = Library { dir, conn, index };
        lib.install_builtin_templates()?;
        lib.reconcile_index(fresh)?;
        Ok(lib)
    }

    /// Start-up reconciliation: drain changes a crash left queued; rebuild a new index or
    /// one whose size disagrees with the database.
    fn reconcile_index(&mut self, fresh: bool) -> Result<()> {
        let stored = self.count()?;
        if (fresh && stored > 0) || (self.index.sync(&self.conn)?.is_some() && self.index.len() != stored as u64) {
            self.index.rebuild(&self.conn, &mut Progress::none())?;
        }
        Ok(())
    }

    /// Brings the index up to date with queued changes. When another process holds the index
    /// writer the changes stay queued for it.
    fn sync_index(&mut self) -> Result<()> {
        self.index.sync(&self.conn)?;
        Ok(())
    }

    /// The library folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn install_builtin_templates(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        for t in templates::builtin() {
            taxonomy::upsert_template(&tx, &t)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Postmortems matching `filter`, newest incident first.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<PostmortemSummary>> {
        postmortems::list(&self.conn, filter, crate::clock::today(), now())
    }

    /// The plans SQLite chose for the list and board queries (for `check` and the benchmarks).
    pub fn query_plans(&self) -> Result<Vec<store::plans::QueryPlan>> {
        store::plans::hot_queries(&self.conn)
    }

    /// One page of the library list, filtered and sorted in the database.
    pub fn list_page(&self, query: &ListQuery) -> Result<ListPage> {
        postmortems::list_page(&self.conn, query, crate::clock::today(), now())
    }

    /// Where the library is and what it holds.
    pub fn status(&self) -> Result<LibraryStatus> {
        let (_, overdue) = store::actions::counts(&self.conn, crate::clock::today())?;
        Ok(LibraryStatus {
            dir: self.dir.display().to_string(),
            postmortems: self.count()?,
            overdue_action_items: overdue,
        })
    }

    /// Number of postmortems stored.
    pub fn count(&self) -> Result<i64> {
        postmortems::count(&self.conn)
    }

    /// Resolves a full id or a unique prefix of one (as `git` does with hashes).
    pub fn resolve_id(&self, id_or_prefix: &str) -> Result<String> {
        let p = id_or_prefix.trim().to_lowercase();
        if p.is_empty() {
            return Err(Error::invalid("id", "must not be empty"));
        }
        match postmortems::ids_with_prefix(&self.conn, &p)?.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(Error::NotFound { what: "postmortem", id: id_or_prefix.to_string() }),
            _ => {
                Err(Error::invalid("id", format!("{id_or_prefix:?} matches more than one postmortem; give more of it")))
            }
        }
    }

    /// One postmortem in full, with derived durations.
    pub fn get(&self, id: &str) -> Result<PostmortemView> {
        let postmortem = postmortems::load(&self.conn, id)?;
        let recurring =
            postmortems::has_recent_same_category(&self.conn, &postmortem, workflow::RECURRENCE_WINDOW_DAYS)?;
        let threshold = self
            .setting("postmortem_budget_threshold_pct")?
            .and_then(|v| v.as_f64())
            .unwrap_or(workflow::DEFAULT_BUDGET_THRESHOLD_PCT);
        Ok(PostmortemView {
            durations: Durations::from_timeline(&postmortem.timeline),
            revisions: postmortems::revision_count(&self.conn, id)?,
            requirement: workflow::assess(&postmortem, recurring, threshold, now()),
            postmortem,
        })
    }

    /// Creates a postmortem from a template (sections with their placeholders) and stores it.
    pub fn create(&mut self, new: NewPostmortem) -> Result<Postmortem> {
        let name = new.template.clone().unwrap_or_else(|| templates::suggested_for(new.severity).to_string());
        let template = self
            .templates()?
            .into_iter()
            .find(|t| t.name.eq_ignore_ascii_case(&name))
            .ok_or_else(|| Error::invalid("template", format!("no template called {name:?}")))?;
        let now = now();
        let pm = Postmortem {
            id: new_id(),
            title: new.title.trim().to_string(),
            incident_date: new.incident_date.unwrap_or_else(crate::clock::today),
            severity: new.severity,
            status: ReviewStatus::Draft,
            authors: vec![],
            incident_commander: None,
            reviewers: vec![],
            participants: vec![],
            services: vec![],
            categories: vec![],
            tags: vec![],
            template: Some(template.name.clone()),
            near_miss: template.name == templates::NEAR_MISS,
            novel_failure_mode: false,
            users_affected_pct: None,
            revenue_impact: None,
            support_tickets: None,
            error_budget_consumed_pct: None,
            data_impact: None,
            sections: template
                .sections
                .iter()
                .map(|s| Section {
                    id: new_id(),
                    key: s.key.clone(),
                    heading: s.heading.clone(),
                    body: s.placeholder.clone(),
                })
                .collect(),
            timeline: vec![],
            whys: vec![],
            fishbones: vec![],
            contributing_factors: vec![],
            action_items: vec![],
            status_history: vec![],
            created_at: now,
            updated_at: now,
        };
        pm.validate(crate::clock::today())?;
        let tx = self.conn.transaction()?;
        postmortems::write(&tx, &pm)?;
        tx.commit()?;
        self.sync_index()?;
        Ok(pm)
    }

    /// Validates and saves a postmortem, keeping the previously stored version as a revision.
    /// Returns the stored document (with `updated_at` set).
    pub fn save(&mut self, pm: Postmortem) -> Result<PostmortemView> {
        let id = pm.id.clone();
        if let Some(ready) = self.ready_for_save(pm)? {
            self.write_all(&[ready])?;
        }
        self.get(&id)
    }

    /// Readies `pm` for writing over its stored version: validated, completion times stamped,
    /// a status change checked and recorded. `None` when nothing changed.
    fn ready_for_save(&self, mut pm: Postmortem) -> Result<Option<Postmortem>> {
        normalize(&mut pm);
        pm.validate(crate::clock::today())?;
        if !postmortems::exists(&self.conn, &pm.id)? {
            return Err(Error::NotFound { what: "postmortem", id: pm.id });
        }
        let stored = postmortems::load(&self.conn, &pm.id)?;
        let now = now();
        // Completed items get a completion time the first time they are saved as done.
        for a in &mut pm.action_items {
            match (a.status, a.completed_at) {
                (ActionStatus::Done, None) => a.completed_at = Some(now),
                (s, Some(_)) if s != ActionStatus::Done => a.completed_at = None,
                _ => {}
            }
        }
        if pm.status != stored.status {
            let template = self.templates()?.into_iter().find(|t| Some(&t.name) == pm.template.as_ref());
            workflow::check_transition(&pm, stored.status, template.as_ref())?;
            pm.status_history = stored.status_history.clone();
            pm.status_history.push(StatusChange { from: stored.status, to: pm.status, by: self.user_name()?, at: now });
        } else {
            // The history is the core's record, not something a client edits.
            pm.status_history = stored.status_history.clone();
        }
        pm.created_at = stored.created_at;
        pm.updated_at = stored.updated_at;
        if pm == stored {
            return Ok(None);
        }
        pm.updated_at = now;
        Ok(Some(pm))
    }

    /// Writes ready postmortems, each keeping a revision, all in one transaction.
    fn write_all(&mut self, ready: &[Postmortem]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for pm in ready {
            postmortems::save_with_revision(&tx, pm)?;
        }
        tx.commit()?;
        self.sync_index()
    }

    /// Action items across the library matching `filter`, as of `today` (overdue, days open).
    pub fn actions(&self, filter: &ActionFilter, today: NaiveDate) -> Result<Vec<ActionRow>> {
        Ok(self.actions_page(filter, today)?.rows)
    }

    /// A page of the board (`filter.limit`, `filter.offset`) and the number of matching items.
    pub fn actions_page(&self, filter: &ActionFilter, today: NaiveDate) -> Result<ActionPage> {
        store::actions::board(&self.conn, filter, today)
    }

    /// Open and overdue action items as of `today`.
    pub fn action_counts(&self, today: NaiveDate) -> Result<(i64, i64)> {
        store::actions::counts(&self.conn, today)
    }

    /// Sets the status of every item in `item_ids` (a bulk change on the board), all or
    /// nothing. Won't-do needs a `reason`. Returns how many items changed.
    pub fn set_action_status(
        &mut self,
        item_ids: &[String],
        status: ActionStatus,
        reason: Option<&str>,
    ) -> Result<usize> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if status == ActionStatus::WontDo && reason.is_none() {
            return Err(Error::invalid("wont_do_reason", "say why the item will not be done"));
        }
        let mut by_postmortem: Vec<(String, Vec<&str>)> = Vec::new();
        for id in item_ids {
            let pm_id = store::actions::owner_postmortem(&self.conn, id)?;
            match by_postmortem.iter_mut().find(|(p, _)| *p == pm_id) {
                Some((_, ids)) => ids.push(id),
                None => by_postmortem.push((pm_id, vec![id])),
            }
        }
        let mut changed = 0;
        let mut ready = Vec::new();
        for (pm_id, ids) in by_postmortem {
            let mut pm = postmortems::load(&self.conn, &pm_id)?;
            for item in pm.action_items.iter_mut().filter(|a| ids.contains(&a.id.as_str())) {
                if item.status != status {
                    changed += 1;
                }
                item.status = status;
                item.wont_do_reason = if status == ActionStatus::WontDo { reason.map(str::to_string) } else { None };
            }
            ready.extend(self.ready_for_save(pm)?);
        }
        self.write_all(&ready)?;
        Ok(changed)
    }

    /// Replaces one action item (a quick edit on the board) in whichever postmortem holds it.
    pub fn update_action(&mut self, item: ActionItem, today: NaiveDate) -> Result<ActionRow> {
        let pm_id = store::actions::owner_postmortem(&self.conn, &item.id)?;
        let mut pm = postmortems::load(&self.conn, &pm_id)?;
        let id = item.id.clone();
        if let Some(slot) = pm.action_items.iter_mut().find(|a| a.id == id) {
            *slot = item;
        }
        self.save(pm)?;
        let filter = ActionFilter { postmortem_id: Some(pm_id), ..Default::default() };
        self.actions(&filter, today)?
            .into_iter()
            .find(|r| r.item.id == id)
            .ok_or_else(|| Error::NotFound { what: "action item", id })
    }

    /// Follow-through metrics across the library as of `today`.
    pub fn follow_through(&self, today: NaiveDate) -> Result<FollowThrough> {
        let items = store::actions::item_facts(&self.conn)?;
        let incidents = store::actions::incidents(&self.conn)?;
        Ok(crate::analysis::followthrough::follow_through(&items, &incidents, today))
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
        let mut docs: Vec<Postmortem> = Vec::new();
        for row in rows {
            let position = match docs.iter().position(|p| p.id == row.postmortem_id) {
                Some(i) => i,
                None => {
                    let pm = postmortems::load(&self.conn, &row.postmortem_id).map_err(|e| match e {
                        Error::NotFound { .. } => Error::Parse {
                            location: format!("{source}:{}", row.line),
                            message: format!("postmortem_id: no postmortem {}", row.postmortem_id),
                        },
                        other => other,
                    })?;
                    docs.push(pm);
                    docs.len() - 1
                }
            };
            let pm = &mut docs[position];
            match pm.action_items.iter_mut().find(|a| a.id == row.item.id) {
                Some(existing) if *existing == row.item => report.unchanged += 1,
                Some(existing) => {
                    *existing = row.item;
                    report.updated += 1;
                }
                None => {
                    if row.had_id && store::actions::owner_postmortem(&self.conn, &row.item.id).is_ok() {
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
        for pm in docs {
            let title = pm.title.clone();
            let changed = self.ready_for_save(pm).map_err(|e| match e {
                Error::Validation { field, message } => {
                    Error::Validation { field: format!("{source}: postmortem {title:?}: {field}"), message }
                }
                other => other,
            })?;
            ready.extend(changed);
        }
        self.write_all(&ready)?;
        Ok(report)
    }

    /// Who is using Debrief, for the review history: the `user_name` setting, else the
    /// operating-system user.
    pub fn user_name(&self) -> Result<String> {
        if let Some(name) = self.setting("user_name")?.and_then(|v| v.as_str().map(str::to_string)) {
            if !name.trim().is_empty() {
                return Ok(name);
            }
        }
        Ok(crate::clock::os_user().unwrap_or_else(|| "unknown".into()))
    }

    /// Deletes a postmortem and everything it owns.
    pub fn delete(&mut self, id: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        postmortems::delete(&tx, id)?;
        tx.commit()?;
        self.sync_index()?;
        Ok(())
    }

    /// All templates, built-in first.
    pub fn templates(&self) -> Result<Vec<Template>> {
        taxonomy::templates(&self.conn)
    }

    /// Creates or replaces a user template. Built-in templates cannot be changed: copy one
    /// under a new name instead.
    pub fn save_template(&mut self, mut template: Template) -> Result<Template> {
        template.name = template.name.trim().to_string();
        template.builtin = false;
        templates::validate(&template)?;
        if templates::builtin().iter().any(|b| b.name.eq_ignore_ascii_case(&template.name)) {
            return Err(Error::invalid(
                "name",
                format!("{:?} is a built-in template; save a copy under another name", template.name),
            ));
        }
        let tx = self.conn.transaction()?;
        taxonomy::upsert_template(&tx, &template)?;
        tx.commit()?;
        Ok(template)
    }

    /// A copy of any template under a new name, stored as a user template.
    pub fn copy_template(&mut self, name: &str, new_name: &str) -> Result<Template> {
        let mut t = self
            .templates()?
            .into_iter()
            .find(|t| t.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::NotFound { what: "template", id: name.to_string() })?;
        if self.templates()?.iter().any(|t| t.name.eq_ignore_ascii_case(new_name.trim())) {
            return Err(Error::invalid("name", format!("a template called {:?} already exists", new_name.trim())));
        }
        t.name = new_name.to_string();
        self.save_template(t)
    }

    /// Deletes a user template (postmortems started from it keep their sections).
    pub fn delete_template(&mut self, name: &str) -> Result<()> {
        if templates::builtin().iter().any(|b| b.name.eq_ignore_ascii_case(name)) {
            return Err(Error::invalid("name", format!("{name:?} is a built-in template and cannot be deleted")));
        }
        if !taxonomy::delete_user_template(&self.conn, name)? {
            return Err(Error::NotFound { what: "template", id: name.to_string() });
        }
        Ok(())
    }

    /// Appends imported events to a postmortem's timeline (one save, one revision) and keeps
    /// the timeline in time order.
    pub fn add_timeline_events(
        &mut self,
        id: &str,
        events: &[crate::exchange::timeline::ImportedEvent],
    ) -> Result<PostmortemView> {
        let mut pm = postmortems::load(&self.conn, id)?;
        crate::exchange::timeline::merge_into(&mut pm, events);
        self.save(pm)
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
        let mut pm = postmortems::load(&self.conn, id)?;
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
            self.save(pm)?;
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
                message: "this is not UTF-8 text; save the file as UTF-8".into(),
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

    /// Services, categories, people and root-cause types known to the library.
    pub fn taxonomy(&self) -> Result<Taxonomy> {
        Ok(Taxonomy {
            services: taxonomy::services(&self.conn)?,
            categories: taxonomy::categories(&self.conn)?,
            people: taxonomy::people(&self.conn)?,
            root_cause_types: taxonomy::root_cause_types(&self.conn)?,
        })
    }

    /// Renders Markdown to sanitized HTML for previews.
    pub fn render_markdown(markdown_text: &str) -> String {
        markdown::render(markdown_text)
    }

    /// A setting's JSON value.
    pub fn setting(&self, key: &str) -> Result<Option<serde_json::Value>> {
        taxonomy::setting(&self.conn, key)
    }

    /// Stores a setting.
    pub fn set_setting(&mut self, key: &str, value: &serde_json::Value) -> Result<()> {
        taxonomy::set_setting(&self.conn, key, value)
    }

    /// The library, or the postmortems named by `ids`, as one canonical JSON document.
    /// With no ids, everything is exported, including unused services and categories.
    pub fn export_document(&self, ids: &[String]) -> Result<LibraryDocument> {
        self.export_document_with(ids, &mut Progress::none())
    }

    /// Writes the library, or the postmortems named by `ids`, to `path` as a JSON document,
    /// reporting `reading` and `writing` steps. Cancelling leaves any file at `path` as it was.
    pub fn export_json_file_with(&self, ids: &[String], path: &Path, progress: &mut Progress) -> Result<usize> {
        let doc = self.export_document_with(ids, progress)?;
        progress.step("writing", 0, 1)?;
        let json = doc.to_json();
        progress.check()?;
        write_atomically(path, json.as_bytes())?;
        progress.report("writing", 1, 1);
        Ok(doc.postmortems.len())
    }

    /// [`Library::export_document`], reporting `reading` steps; cancellable.
    pub fn export_document_with(&self, ids: &[String], progress: &mut Progress) -> Result<LibraryDocument> {
        let ids = if ids.is_empty() { postmortems::all_ids(&self.conn)? } else { ids.to_vec() };
        let mut pms = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            if i % 100 == 0 {
                progress.step("reading", i, ids.len())?;
            }
            pms.push(postmortems::load(&self.conn, id)?);
        }
        let everything = ids.len() as i64 == self.count()?;
        let used = |name: &str, pick: fn(&Postmortem) -> &Vec<String>| {
            everything || pms.iter().any(|p| pick(p).iter().any(|n| n.eq_ignore_ascii_case(name)))
        };
        let services = taxonomy::services(&self.conn)?.into_iter().filter(|s| used(&s.name, |p| &p.services)).collect();
        let categories =
            taxonomy::categories(&self.conn)?.into_iter().filter(|c| used(&c.name, |p| &p.categories)).collect();
        let templates = self.templates()?.into_iter().filter(|t| !t.builtin).collect();
        let mut doc = LibraryDocument {
            format: FORMAT.to_string(),
            version: VERSION,
            services,
            categories,
            templates,
            postmortems: pms,
        };
        doc.canonicalize();
        Ok(doc)
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
        for (i, pm) in doc.postmortems.iter().enumerate() {
            if i % 100 == 0 {
                progress.step("checking", i, total)?;
            }
            pm.validate(today).map_err(|e| match e {
                Error::Validation { field, message } => {
                    Error::Validation { field: format!("{source}: postmortems[{i}] ({:?}).{field}", pm.title), message }
                }
                other => other,
            })?;
        }
        // The taxonomy and templates are checked first too, so a value the database would refuse
        // is reported by field, not as a constraint failure half-way through the transaction.
        let named = |list: &str, i: usize, name: &str, e: Error| match e {
            Error::Validation { field, message } => {
                Error::Validation { field: format!("{source}: {list}[{i}] ({name:?}).{field}"), message }
            }
            other => other,
        };
        for (i, s) in doc.services.iter().enumerate() {
            s.validate().map_err(|e| named("services", i, &s.name, e))?;
        }
        for (i, t) in doc.templates.iter().enumerate().filter(|(_, t)| !t.builtin) {
            templates::validate(t).map_err(|e| named("templates", i, &t.name, e))?;
        }
        let mut report = ImportReport { source: source.to_string(), ..Default::default() };
        let tx = self.conn.transaction()?;
        for s in &doc.services {
            taxonomy::upsert_service(&tx, s)?;
        }
        for c in &doc.categories {
            taxonomy::upsert_category(&tx, c)?;
        }
        for t in doc.templates.iter().filter(|t| !t.builtin) {
            taxonomy::upsert_template(&tx, t)?;
        }
        for (i, pm) in doc.postmortems.iter().enumerate() {
            if i % 50 == 0 {
                progress.step("saving", i, total)?;
            }
            let written = if postmortems::exists(&tx, &pm.id)? {
                if &postmortems::load(&tx, &pm.id)? == pm {
                    report.unchanged += 1;
                    continue;
                }
                report.updated += 1;
                postmortems::save_with_revision(&tx, pm)
            } else {
                report.created += 1;
                postmortems::write(&tx, pm)
            };
            written.map_err(|e| id_taken(e, source, i, pm))?;
        }
        progress.step("saving", total, total)?;
        tx.commit()?;
        self.index.sync_with(&self.conn, progress)?;
        Ok(report)
    }

    /// Reads and imports a JSON library document from a file.
    pub fn import_json_file(&mut self, path: &Path) -> Result<ImportReport> {
        self.import_json_file_with(path, &mut Progress::none())
    }

    /// [`Library::import_json_file`], reporting `reading` first.
    pub fn import_json_file_with(&mut self, path: &Path, progress: &mut Progress) -> Result<ImportReport> {
        progress.step("reading", 0, 1)?;
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let source = path.display().to_string();
        let doc = LibraryDocument::parse(&text, &source)?;
        drop(text);
        progress.step("reading", 1, 1)?;
        self.import_document_with(&doc, &source, progress)
    }

    /// Imports one file the app's import dialog picked, by its extension: a JSON library
    /// document or action items as CSV. The file is imported whole or not at all.
    pub fn import_file_with(&mut self, path: &Path, progress: &mut Progress) -> Result<ImportReport> {
        let extension = path.extension().and_then(|x| x.to_str()).unwrap_or("").to_ascii_lowercase();
        match extension.as_str() {
            "json" => self.import_json_file_with(path, progress),
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
                message: "not a file Debrief imports: Debrief JSON library documents (.json) and action items (.csv)"
                    .into(),
            }),
        }
    }

    /// Another handle on this library for background work (the app's imports, exports and
    /// reindex): its own SQLite connection, so the window's reads go on while it writes, and
    /// the same search index, whose writer the two share.
    pub fn worker(&self) -> Result<Library> {
        let conn = store::open(&self.dir.join(DB_FILE), &self.dir.join(BACKUP_DIR))?;
        Ok(Library { dir: self.dir.clone(), conn, index: self.index.share() })
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
                postmortems::write(&tx, &pm)?;
                report.created += 1;
            }
        }
        progress.step("saving", total, total)?;
        tx.commit()?;
        self.index.sync_with(&self.conn, progress)?;
        Ok(report)
    }

    /// Checks database integrity, foreign keys and the schema version.
    pub fn check(&self) -> Result<CheckReport> {
        let mut problems = Vec::new();
        for row in store::integrity::integrity_errors(&self.conn)? {
            problems.push(format!("integrity: {row}"));
        }
        for v in store::integrity::foreign_key_violations(&self.conn)? {
            problems.push(format!("foreign key: {} row {} points at a missing {} row", v.table, v.rowid, v.parent));
        }
        let index = self.index.drift(&self.conn)?;
        if !index.is_clean() {
            problems.push(format!(
                "search index: {} missing, {} extra, {} stale, {} queued; run `debrief reindex`",
                index.missing.len(),
                index.extra.len(),
                index.stale.len(),
                index.pending
            ));
        }
        let version = store::schema_version(&self.conn)?;
        if version != store::SCHEMA_VERSION {
            problems.push(format!("schema version {version}, expected {}", store::SCHEMA_VERSION));
        }
        // Every stored document must load and still pass validation.
        for id in postmortems::all_ids(&self.conn)? {
            match postmortems::load(&self.conn, &id) {
                Ok(pm) => {
                    if let Err(e) = pm.validate(crate::clock::today()) {
                        problems.push(format!("postmortem {id}: {e}"));
                    }
                }
                Err(e) => problems.push(format!("postmortem {id}: {e}")),
            }
        }
        Ok(CheckReport {
            library: self.dir.display().to_string(),
            schema_version: version,
            postmortems: self.count()?,
            problems,
            index,
        })
    }

    /// Blameless-language findings for a stored postmortem.
    pub fn lint(&self, id: &str) -> Result<Vec<crate::review::language::Finding>> {
        Ok(crate::review::language::check_postmortem(&postmortems::load(&self.conn, id)?))
    }

    /// The fishbone `fishbone` (an id, or a 1-based position such as `2`; the first when
    /// `None`) of postmortem `id`.
    pub fn fishbone(&self, id: &str, fishbone: Option<&str>) -> Result<Fishbone> {
        let pm = postmortems::load(&self.conn, id)?;
        let found = match fishbone {
            None => pm.fishbones.first(),
            Some(key) => pm.fishbones.iter().find(|f| f.id == key).or_else(|| {
                let position: usize = key.parse().ok()?;
                pm.fishbones.get(position.checked_sub(1)?)
            }),
        };
        found.cloned().ok_or_else(|| match fishbone {
            None => Error::invalid("fishbones", format!("postmortem {id} has no fishbone diagram")),
            Some(key) => Error::NotFound { what: "fishbone", id: format!("{key} in postmortem {id}") },
        })
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
        write_atomically(path, &Self::export_fishbone(fishbone, format)?)
    }

    /// Searches the library (see [`crate::search::query`] for the language).
    pub fn search(&mut self, query: &str, opts: &SearchOptions) -> Result<SearchResults> {
        self.sync_index()?;
        self.index.search(query, opts)
    }

    /// The postmortems most similar to a stored one.
    pub fn similar(&mut self, id: &str, limit: usize) -> Result<Vec<SimilarHit>> {
        self.sync_index()?;
        let pm = postmortems::load(&self.conn, id)?;
        self.index.similar_to(&pm, limit)
    }

    /// The postmortems most similar to a draft being written (title and text so far).
    pub fn similar_to_draft(&mut self, draft: &DraftText, limit: usize) -> Result<Vec<SimilarHit>> {
        self.sync_index()?;
        self.index.similar(
            draft.exclude_id.as_deref(),
            &draft.title,
            &draft.text,
            &draft.categories,
            &draft.services,
            limit,
        )
    }

    /// Rebuilds the search index from the database; `progress(done, total)` is called as it
    /// goes. Returns the number of postmortems indexed.
    pub fn reindex(&mut self, progress: &mut dyn FnMut(usize, usize)) -> Result<usize> {
        self.reindex_with(&mut Progress::reporting(|s| progress(s.done as usize, s.total as usize)))
    }

    /// Rebuilds the search index, reporting `indexing` steps; cancelling leaves the index as
    /// it was.
    pub fn reindex_with(&mut self, progress: &mut Progress) -> Result<usize> {
        self.index.rebuild(&self.conn, progress)
    }

    /// The search index, for benchmarks and diagnostics.
    pub fn search_index(&self) -> &SearchIndex {
        &self.index
    }

    /// A consistent copy of the database, made while the library is open.
    pub fn backup(&self, out: &Path) -> Result<()> {
        if out.exists() {
            return Err(Error::invalid("out", format!("{} already exists", out.display())));
        }
        store::copy_to(&self.conn, out)
    }
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

/// Trims the strings users type into lists and drops empty entries, so that a trailing comma
/// in "authors" does not fail validation.
fn normalize(pm: &mut Postmortem) {
    for list in [&mut pm.authors, &mut pm.reviewers, &mut pm.services, &mut pm.categories, &mut pm.tags] {
        for s in list.iter_mut() {
            *s = s.trim().to_string();
        }
        list.retain(|s| !s.is_empty());
    }
    pm.title = pm.title.trim().to_string();
    if pm.incident_commander.as_deref().is_some_and(|s| s.trim().is_empty()) {
        pm.incident_commander = None;
    }
    if pm.data_impact.as_deref().is_some_and(|s| s.trim().is_empty()) {
        pm.data_impact = None;
    }
    for a in &mut pm.action_items {
        if a.owner.as_deref().is_some_and(|s| s.trim().is_empty()) {
            a.owner = None;
        }
    }
}

/// Writes to a temporary file beside `path`, then renames it over it, so a crash or a full
/// disk never leaves a half-written export where the old file was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("partial");
    // Errors name the file the user chose; the temporary one beside it is an implementation
    // detail (and is removed if the write fails half-way).
    if let Err(e) = std::fs::write(&tmp, bytes) {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}
