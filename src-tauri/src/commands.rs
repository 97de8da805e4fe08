//! Tauri commands: each takes the state, calls one `Library` method, maps the error.

use std::path::PathBuf;

use chrono::Utc;
use debrief::analysis::followthrough::FollowThrough;
use debrief::exchange::timeline::{self, ImportedEvent};
use debrief::library::{DraftText, ImportReport, LibraryStatus, NewPostmortem, Taxonomy};
use debrief::model::{ActionItem, ActionStatus, Fishbone, Postmortem, PostmortemSummary, PostmortemView, Template};
use debrief::report::fishbone::{self, FishboneLayout};
use debrief::review::language::{self, Finding};
use debrief::review::nudges::{self, Nudge};
use debrief::search::{SearchOptions, SearchResults, SimilarHit};
use debrief::store::actions::{ActionFilter, ActionPage, ActionRow};
use debrief::store::postmortems::ListFilter;
use debrief::Library;
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

type Result<T> = std::result::Result<T, CommandError>;

fn with<T>(state: &State<AppState>, f: impl FnOnce(&mut Library) -> debrief::Result<T>) -> Result<T> {
    let mut guard = state.library.lock().unwrap_or_else(|p| p.into_inner());
    match guard.as_mut() {
        Some(lib) => Ok(f(lib)?),
        None => Err(CommandError::not_open(state.open_error.as_ref())),
    }
}

#[tauri::command]
pub fn library_status(state: State<AppState>) -> Result<LibraryStatus> {
    with(&state, |lib| lib.status())
}

#[tauri::command]
pub fn list_postmortems(state: State<AppState>, filter: ListFilter) -> Result<Vec<PostmortemSummary>> {
    with(&state, |lib| lib.list(&filter))
}

#[tauri::command]
pub fn get_postmortem(state: State<AppState>, id: String) -> Result<PostmortemView> {
    with(&state, |lib| lib.get(&id))
}

#[tauri::command]
pub fn create_postmortem(state: State<AppState>, new: NewPostmortem) -> Result<Postmortem> {
    with(&state, |lib| lib.create(new))
}

#[tauri::command]
pub fn save_postmortem(state: State<AppState>, postmortem: Postmortem) -> Result<PostmortemView> {
    with(&state, |lib| lib.save(postmortem))
}

#[tauri::command]
pub fn delete_postmortem(state: State<AppState>, id: String) -> Result<()> {
    with(&state, |lib| lib.delete(&id))
}

#[tauri::command]
pub fn load_sample(state: State<AppState>) -> Result<ImportReport> {
    with(&state, |lib| lib.load_sample())
}

#[tauri::command]
pub fn list_templates(state: State<AppState>) -> Result<Vec<Template>> {
    with(&state, |lib| lib.templates())
}

#[tauri::command]
pub fn get_taxonomy(state: State<AppState>) -> Result<Taxonomy> {
    with(&state, |lib| lib.taxonomy())
}

#[tauri::command]
pub fn render_markdown(markdown: String) -> String {
    Library::render_markdown(&markdown)
}

#[tauri::command]
pub fn get_setting(state: State<AppState>, key: String) -> Result<Option<serde_json::Value>> {
    with(&state, |lib| lib.setting(&key))
}

#[tauri::command]
pub fn set_setting(state: State<AppState>, key: String, value: serde_json::Value) -> Result<()> {
    with(&state, |lib| lib.set_setting(&key, &value))
}

/// Who status changes are recorded as: the `user_name` setting, else the OS user.
#[tauri::command]
pub fn current_user(state: State<AppState>) -> Result<String> {
    with(&state, |lib| lib.user_name())
}

#[tauri::command]
pub fn search(state: State<AppState>, query: String, options: SearchOptions) -> Result<SearchResults> {
    with(&state, |lib| lib.search(&query, &options))
}

#[tauri::command]
pub fn similar_postmortems(state: State<AppState>, id: String, limit: usize) -> Result<Vec<SimilarHit>> {
    with(&state, |lib| lib.similar(&id, limit))
}

#[tauri::command]
pub fn similar_to_draft(state: State<AppState>, draft: DraftText, limit: usize) -> Result<Vec<SimilarHit>> {
    with(&state, |lib| lib.similar_to_draft(&draft, limit))
}

#[tauri::command]
pub fn save_template(state: State<AppState>, template: Template) -> Result<Template> {
    with(&state, |lib| lib.save_template(template))
}

#[tauri::command]
pub fn copy_template(state: State<AppState>, name: String, new_name: String) -> Result<Template> {
    with(&state, |lib| lib.copy_template(&name, &new_name))
}

#[tauri::command]
pub fn delete_template(state: State<AppState>, name: String) -> Result<()> {
    with(&state, |lib| lib.delete_template(&name))
}

/// Blameless-language findings for the document being edited (saved or not).
#[tauri::command]
pub fn lint_postmortem(postmortem: Postmortem) -> Vec<Finding> {
    language::check_postmortem(&postmortem)
}

/// Reads pasted lines (`format` "lines"), CSV ("csv") or a Slack channel export ("slack",
/// with `files` as `[name, content]` pairs) into events for review before adding.
#[tauri::command]
pub fn parse_timeline(
    format: String,
    text: String,
    files: Vec<(String, String)>,
    date: Option<chrono::NaiveDate>,
    zone: String,
) -> Result<Vec<ImportedEvent>> {
    let parsed = match format.as_str() {
        "csv" => timeline::parse_csv(&text, date, &zone),
        "slack" => timeline::parse_slack(&files),
        _ => timeline::parse_lines(&text, date, &zone),
    };
    Ok(parsed?)
}

#[tauri::command]
pub fn add_timeline_events(state: State<AppState>, id: String, events: Vec<ImportedEvent>) -> Result<PostmortemView> {
    with(&state, |lib| lib.add_timeline_events(&id, &events))
}

/// The fishbone laid out for drawing (pure: the diagram being edited, saved or not).
#[tauri::command]
pub fn layout_fishbone(fishbone: Fishbone) -> FishboneLayout {
    fishbone::layout(&fishbone)
}

/// Draws the fishbone to `path` (chosen in the save dialog) as SVG or PNG by extension.
#[tauri::command]
pub fn export_fishbone(fishbone: Fishbone, path: PathBuf) -> Result<()> {
    Ok(Library::export_fishbone_file(&fishbone, &path)?)
}

/// The document with a contributing factor gathered from 5-whys step `step_id`.
#[tauri::command]
pub fn factor_from_step(mut postmortem: Postmortem, step_id: String) -> Result<Postmortem> {
    postmortem.factor_from_step(&step_id)?;
    Ok(postmortem)
}

/// The document with a contributing factor gathered from fishbone cause `cause_id`.
#[tauri::command]
pub fn factor_from_cause(mut postmortem: Postmortem, cause_id: String) -> Result<Postmortem> {
    postmortem.factor_from_cause(&cause_id)?;
    Ok(postmortem)
}

/// The document with an action item made from 5-whys step `step_id`.
#[tauri::command]
pub fn action_from_step(mut postmortem: Postmortem, step_id: String) -> Result<Postmortem> {
    postmortem.action_from_step(&step_id, Utc::now())?;
    Ok(postmortem)
}

/// The document with an action item made from contributing factor `factor_id`.
#[tauri::command]
pub fn action_from_factor(mut postmortem: Postmortem, factor_id: String) -> Result<Postmortem> {
    postmortem.action_from_factor(&factor_id, Utc::now())?;
    Ok(postmortem)
}

/// Nudges on the action items of the document being edited.
#[tauri::command]
pub fn action_nudges(postmortem: Postmortem) -> Vec<Nudge> {
    nudges::action_nudges(&postmortem)
}

/// A page of the action-item board as of today.
#[tauri::command]
pub fn list_actions(state: State<AppState>, filter: ActionFilter) -> Result<ActionPage> {
    with(&state, |lib| lib.actions_page(&filter, Utc::now().date_naive()))
}

/// Bulk status change on the board; returns how many items changed.
#[tauri::command]
pub fn set_action_status(
    state: State<AppState>,
    ids: Vec<String>,
    status: ActionStatus,
    reason: Option<String>,
) -> Result<usize> {
    with(&state, |lib| lib.set_action_status(&ids, status, reason.as_deref()))
}

/// Quick edit of one item on the board.
#[tauri::command]
pub fn update_action(state: State<AppState>, item: ActionItem) -> Result<ActionRow> {
    with(&state, |lib| lib.update_action(item, Utc::now().date_naive()))
}

/// Follow-through metrics as of today.
#[tauri::command]
pub fn follow_through(state: State<AppState>) -> Result<FollowThrough> {
    with(&state, |lib| lib.follow_through(Utc::now().date_naive()))
}

/// Writes the items matching `filter` to `path` (chosen in the save dialog) as CSV.
#[tauri::command]
pub fn export_actions_csv(state: State<AppState>, filter: ActionFilter, path: PathBuf) -> Result<()> {
    with(&state, |lib| lib.export_actions_csv_file(&filter, Utc::now().date_naive(), &path))
}

/// Imports action items from the CSV file at `path` (chosen in the open dialog).
#[tauri::command]
pub fn import_actions_csv(state: State<AppState>, path: PathBuf) -> Result<ImportReport> {
    with(&state, |lib| lib.import_actions_csv_file(&path))
}

/// The document with imported events added in time order, missing key markers taken from the
/// first event of the matching kind (pure: the editor autosaves the result).
#[tauri::command]
pub fn merge_timeline_events(mut postmortem: Postmortem, events: Vec<ImportedEvent>) -> Postmortem {
    timeline::merge_into(&mut postmortem, &events);
    postmortem
}
