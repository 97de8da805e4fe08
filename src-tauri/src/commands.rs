//! Tauri commands: each takes the state, calls one `Library` method, maps the error.

use debrief::exchange::timeline::{self, ImportedEvent};
use debrief::library::{DraftText, ImportReport, LibraryStatus, NewPostmortem, Taxonomy};
use debrief::model::{Postmortem, PostmortemSummary, PostmortemView, Template};
use debrief::review::language::{self, Finding};
use debrief::search::{SearchOptions, SearchResults, SimilarHit};
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
