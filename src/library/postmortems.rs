//! Writing postmortems: listing, opening, creating, saving and deleting them, and the
//! writing aids that work on one (the language coach, Markdown previews, a fishbone by
//! position, imported timeline events).

use std::path::Path;

use super::{checked, write_over_in, Library};
use crate::clock::now;
use crate::exchange::json::LibraryDocument;
use crate::history::Why;
use crate::model::*;
use crate::review::language::{self, Finding};
use crate::review::{markdown, templates, workflow};
use crate::store;
use crate::store::postmortems;
use crate::wire::{LibraryStatus, ListFilter, ListPage, ListQuery, NewPostmortem};
use crate::{Error, Result};

impl Library {
    /// Postmortems matching `filter`, newest incident first.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<PostmortemSummary>> {
        postmortems::list(&self.conn, filter, crate::clock::today(), now())
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
        self.view(postmortems::load(&self.conn, id)?)
    }

    /// A stored postmortem with what is derived from it: durations, revisions kept, and what
    /// the workflow asks of it.
    fn view(&self, postmortem: Postmortem) -> Result<PostmortemView> {
        let recurring =
            postmortems::has_recent_same_category(&self.conn, &postmortem, workflow::RECURRENCE_WINDOW_DAYS)?;
        let threshold = self
            .setting("postmortem_budget_threshold_pct")?
            .and_then(|v| v.as_f64())
            .unwrap_or(workflow::DEFAULT_BUDGET_THRESHOLD_PCT);
        Ok(PostmortemView {
            durations: Durations::from_timeline(&postmortem.timeline),
            revisions: store::revisions::count(&self.conn, &postmortem.id)?,
            writes: postmortems::writes(&self.conn, &postmortem.id)?,
            requirement: workflow::assess(&postmortem, recurring, threshold, now()),
            postmortem,
        })
    }

    /// The view of `pm` just committed by a save: indexed, and as loading it back would give,
    /// without loading it.
    fn saved(&mut self, pm: Postmortem) -> Result<PostmortemView> {
        self.sync_index()?;
        self.committed(pm)
    }

    /// [`Library::saved`] without indexing: the change stays queued for the index.
    fn committed(&self, mut pm: Postmortem) -> Result<PostmortemView> {
        postmortems::as_loaded(&self.conn, &mut pm)?;
        self.view(pm)
    }

    /// Creates a postmortem from a template (sections with their placeholders) and stores it.
    pub fn create(&mut self, new: NewPostmortem) -> Result<Postmortem> {
        let name = new.template.clone().unwrap_or_else(|| templates::suggested_for(new.severity).to_string());
        let template = self
            .templates()?
            .into_iter()
            .find(|t| t.name.eq_ignore_ascii_case(&name))
            .ok_or_else(|| Error::invalid("template", format!("no template called {name:?}")))?;
        let mut pm = Postmortem::from_template(
            &new.title,
            new.severity,
            new.incident_date.unwrap_or_else(crate::clock::today),
            &template,
            now(),
        );
        pm.near_miss = template.name == templates::NEAR_MISS;
        pm.validate(crate::clock::today())?;
        let before = self.facts_stamp()?;
        let tx = self.conn.transaction()?;
        postmortems::insert(&tx, &pm)?;
        tx.commit()?;
        self.sync_index()?;
        self.refresh_facts(before, &[&pm.id]);
        Ok(pm)
    }

    /// Validates and saves a postmortem, keeping the previously stored version as a revision.
    /// Returns the stored document (with `updated_at` set).
    pub fn save(&mut self, pm: Postmortem) -> Result<PostmortemView> {
        // Checked before loading, so a bad document is refused for what is wrong with it.
        let pm = checked(pm)?;
        let id = pm.id.clone();
        self.rewrite(&id, Why::Edit, move |_, _| Ok(pm))
    }

    /// Saves what an editor holds, like [`Library::save`], but only over the version it
    /// opened: `writes` is [`PostmortemView::writes`] as its last open or save gave it. If
    /// someone else wrote the postmortem since (another window, the CLI, an import, a sync),
    /// nothing is saved and [`Error::Changed`] says so: two editors never overwrite each other
    /// silently.
    ///
    /// `continues`: this save continues the editor's editing session (it saved before, and
    /// nothing made it start over). Then, within [`crate::history::SESSION_GAP_MINUTES`] of
    /// its last save, no second revision is kept: a session keeps the version it began from.
    /// Every other write keeps the version it replaces.
    ///
    /// The save is in the database when this returns, and queued for the search index, which
    /// takes it at the next search or similar-incidents lookup, or at
    /// [`Library::index_queued_changes`] (the app calls that a moment after an autosave). A
    /// commit of the index costs about as much as the whole save (tantivy sets up a segment
    /// writer for each), and an editor saves every few seconds: the save does not wait for it.
    pub fn save_edit(&mut self, pm: Postmortem, writes: i64, continues: bool) -> Result<PostmortemView> {
        let pm = checked(pm)?;
        let id = pm.id.clone();
        self.rewrite_in(&id, Why::Edit, continues, false, move |stored, stamp| {
            if stamp != writes {
                return Err(Error::Changed { id: stored.id.clone() });
            }
            Ok(pm)
        })
    }

    /// Writes stored postmortem `id` over with what `edit` makes of it, checked, in one
    /// transaction (a revision only when something changed), and returns its view. `edit` is
    /// given the stored version and how many times it has been written (as read in that
    /// transaction), and may refuse.
    pub(super) fn rewrite(
        &mut self,
        id: &str,
        why: Why,
        edit: impl FnOnce(&Postmortem, i64) -> Result<Postmortem>,
    ) -> Result<PostmortemView> {
        self.rewrite_in(id, why, false, true, edit)
    }

    /// [`Library::rewrite`] for an editor's save that continues its session when `in_session`;
    /// indexed before returning when `index_now`, else left queued for the index.
    fn rewrite_in(
        &mut self,
        id: &str,
        why: Why,
        in_session: bool,
        index_now: bool,
        edit: impl FnOnce(&Postmortem, i64) -> Result<Postmortem>,
    ) -> Result<PostmortemView> {
        let before = self.facts_stamp()?;
        let tx = self.conn.transaction()?;
        let stored = postmortems::load(&tx, id)?;
        let pm = checked(edit(&stored, postmortems::writes(&tx, id)?)?)?;
        match write_over_in(&tx, &stored, pm, why, in_session)? {
            Some(written) => {
                tx.commit()?;
                let view = if index_now { self.saved(written)? } else { self.committed(written)? };
                self.refresh_facts(before, &[id]);
                Ok(view)
            }
            None => {
                drop(tx);
                self.view(stored)
            }
        }
    }

    /// Deletes a postmortem and everything it owns.
    pub fn delete(&mut self, id: &str) -> Result<()> {
        let before = self.facts_stamp()?;
        let tx = self.conn.transaction()?;
        postmortems::delete(&tx, id)?;
        tx.commit()?;
        self.sync_index()?;
        self.refresh_facts(before, &[id]);
        Ok(())
    }

    /// Appends imported events to a postmortem's timeline (one save, one revision) and keeps
    /// the timeline in time order.
    pub fn add_timeline_events(
        &mut self,
        id: &str,
        events: &[crate::exchange::timeline::ImportedEvent],
    ) -> Result<PostmortemView> {
        self.rewrite(id, Why::Import, |stored, _| {
            let mut pm = stored.clone();
            crate::exchange::timeline::merge_into(&mut pm, events);
            Ok(pm)
        })
    }

    /// Blameless-language findings for a stored postmortem.
    pub fn lint(&self, id: &str) -> Result<Vec<Finding>> {
        Ok(language::check_postmortem(&postmortems::load(&self.conn, id)?))
    }

    /// Blameless-language findings for a file: each postmortem of a JSON library document
    /// (fields named `file: postmortems[i].field`), or the text of any other file, line by line.
    pub fn lint_file(path: &Path) -> Result<Vec<Finding>> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let name = path.display().to_string();
        if path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json")) {
            let doc = LibraryDocument::parse(&text, &name)?;
            let mut out = Vec::new();
            for (i, pm) in doc.postmortems.iter().enumerate() {
                for mut f in language::check_postmortem(pm) {
                    f.field = format!("{name}: postmortems[{i}].{}", f.field);
                    out.push(f);
                }
            }
            return Ok(out);
        }
        Ok(language::check_text(&name, &text, &[], false))
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

    /// Renders Markdown to sanitized HTML for previews.
    pub fn render_markdown(markdown_text: &str) -> String {
        markdown::render(markdown_text)
    }
}
