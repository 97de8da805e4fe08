//! Tauri commands: each takes the state, calls one `Library` method, maps the error.
//!
//! Every command is `async` and does its work on Tauri's blocking pool, never on the thread
//! that runs the window. Long work (imports, exports, reindex, the sample) is a job: it runs on
//! a library handle of its own, tells the window how far it got through `debrief://job`
//! events, and stops when `cancel_job` asks it to.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use debrief::analysis::drill::Drill;
use debrief::analysis::followthrough::FollowThrough;
use debrief::exchange::timeline::{self, ImportedEvent, TimelineFormat};
use debrief::jobs::{self, JobEvent, JobRequest, JobState, PathUse};
use debrief::library::{MeetingFeedbackSummary, MeetingView};
use debrief::meeting::session::{Feedback, Meeting, MeetingAction};
use debrief::model::{ActionItem, ActionStatus, Fishbone, Postmortem, PostmortemView, Service, Template};
use debrief::progress::Progress;
use debrief::report::charts::ChartPalette;
use debrief::report::fishbone::{self, FishboneLayout};
use debrief::report::pdf::PdfOutcome;
use debrief::review::language::{self, Finding};
use debrief::review::nudges::{self, Nudge};
use debrief::wire::{AboutInfo, ActionFilter, ActionPage, ActionRow};
use debrief::wire::{BackupInfo, BackupStatus};
use debrief::wire::{DraftText, LibraryStatus, NewPostmortem, Taxonomy};
use debrief::wire::{InsightsScreen, RoiInputs, RoiOverrides, RoiReport};
use debrief::wire::{ListPage, ListQuery};
use debrief::wire::{RevisionDiff, RevisionInfo};
use debrief::wire::{SearchOptions, SearchResults, SimilarHit};
use debrief::wire::{ServiceChanges, TaxonomyKind};
use debrief::wire::{SyncReport, TeamStatus};
use debrief::Library;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::dialogs::Ask;
use crate::error::CommandError;
use crate::AppState;

type Result<T> = std::result::Result<T, CommandError>;

/// Runs `f` on the open library on the blocking pool.
async fn with<T: Send + 'static>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut Library) -> debrief::Result<T> + Send + 'static,
) -> Result<T> {
    let library = Arc::clone(&state.library);
    let open_error = state.open_error.clone();
    off_thread(move || {
        let mut guard = library.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            Some(lib) => Ok(f(lib)?),
            None => Err(CommandError::not_open(open_error.as_ref())),
        }
    })
    .await
}

/// Runs `f` on a worker handle of the library (its own SQLite connection, the same index) on
/// the blocking pool: for work that waits on the network (the team library's git), so the
/// window's own commands are not held meanwhile. What the window writes meanwhile is another
/// connection's commit, which the sync notices and merges instead of overwriting.
async fn with_worker<T: Send + 'static>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut Library) -> debrief::Result<T> + Send + 'static,
) -> Result<T> {
    let library = Arc::clone(&state.library);
    let open_error = state.open_error.clone();
    off_thread(move || {
        // The window's handle is held only to open the worker.
        let mut worker = {
            let guard = library.lock().unwrap_or_else(|p| p.into_inner());
            match guard.as_ref() {
                Some(lib) => lib.worker()?,
                None => return Err(CommandError::not_open(open_error.as_ref())),
            }
        };
        Ok(f(&mut worker)?)
    })
    .await
}

/// Runs `f`, which needs no library (pure work on what the window sent), on the blocking pool.
async fn off_thread<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(CommandError::internal)?
}

#[tauri::command]
pub async fn library_status(state: State<'_, AppState>) -> Result<LibraryStatus> {
    with(&state, move |lib| lib.status()).await
}

/// Today as the core counts it: the user's local date. Every screen's "overdue", "due today"
/// and latest incident date use this, so the board, the page and the CLI agree at midnight.
#[tauri::command]
pub async fn today() -> Result<chrono::NaiveDate> {
    Ok(debrief::clock::today())
}

#[tauri::command]
pub async fn list_postmortems(state: State<'_, AppState>, query: ListQuery) -> Result<ListPage> {
    with(&state, move |lib| lib.list_page(&query)).await
}

#[tauri::command]
pub async fn get_postmortem(state: State<'_, AppState>, id: String) -> Result<PostmortemView> {
    with(&state, move |lib| lib.get(&id)).await
}

#[tauri::command]
pub async fn create_postmortem(state: State<'_, AppState>, new_postmortem: NewPostmortem) -> Result<Postmortem> {
    with(&state, move |lib| lib.create(new_postmortem)).await
}

#[tauri::command]
pub async fn save_postmortem(
    app: AppHandle,
    state: State<'_, AppState>,
    postmortem: Postmortem,
    writes: i64,
    continues: bool,
) -> Result<PostmortemView> {
    // Only over the version the page opened (`writes`, from the view it last got): a save
    // from another window, the CLI or a sync in between is reported (`changed`), never
    // silently overwritten.
    let view = with(&state, move |lib| lib.save_edit(postmortem, writes, continues)).await?;
    let _ = app.emit(POSTMORTEM_EVENT, view.postmortem.id.clone());
    index_soon(&state);
    Ok(view)
}

/// How long after an autosave the search index takes it.
const INDEX_AFTER_SAVE: std::time::Duration = std::time::Duration::from_millis(1500);

/// Indexes what an autosave left queued, a moment later and off the save's path (see
/// `Library::save_edit`): a burst of saves is indexed by the first of these to run, and the
/// later ones find nothing to do. A search meanwhile indexes it first itself.
fn index_soon(state: &State<'_, AppState>) {
    let library = Arc::clone(&state.library);
    tauri::async_runtime::spawn_blocking(move || {
        std::thread::sleep(INDEX_AFTER_SAVE);
        let mut guard = library.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(lib) = guard.as_mut() {
            // A failure leaves the change queued: the next search or open indexes it.
            let _ = lib.index_queued_changes();
        }
    });
}

/// The revisions kept for a postmortem, newest first.
#[tauri::command]
pub async fn postmortem_history(state: State<'_, AppState>, id: String) -> Result<Vec<RevisionInfo>> {
    with(&state, move |lib| lib.history(&id)).await
}

/// What changed from revision `from` to revision `to` (the current version when `None`).
#[tauri::command]
pub async fn revision_diff(state: State<'_, AppState>, id: String, from: i64, to: Option<i64>) -> Result<RevisionDiff> {
    with(&state, move |lib| lib.revision_diff(&id, from, to)).await
}

/// The automatic backups' schedule and every backup in the library's folder.
#[tauri::command]
pub async fn backup_status(state: State<'_, AppState>) -> Result<BackupStatus> {
    with(&state, |lib| lib.backup_status()).await
}

/// Makes a backup now into the library's backups folder (on a worker handle: the window's
/// commands go on while it is written).
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Result<BackupInfo> {
    with_worker(&state, |lib| lib.backup_now()).await
}

/// The full path of backup `file_name` in the library's backups folder, which a restore job
/// then accepts: the backups the list shows are files the app itself wrote, so picking one
/// there stands for choosing it in a dialog. Only a plain name of a listed backup is taken.
#[tauri::command]
pub async fn choose_listed_backup(state: State<'_, AppState>, file_name: String) -> Result<String> {
    let listed = with(&state, |lib| lib.backup_status()).await?;
    let backup = listed
        .backups
        .into_iter()
        .find(|b| b.file_name == file_name)
        .ok_or_else(|| debrief::Error::NotFound { what: "backup", id: file_name.clone() })?;
    let path = PathBuf::from(&backup.path);
    state.grants.grant_listed_backup(&path);
    Ok(backup.path)
}

/// Sets how often automatic backups are made (0: off) and how many are kept.
#[tauri::command]
pub async fn set_backup_schedule(state: State<'_, AppState>, interval_hours: u32, keep: u32) -> Result<BackupStatus> {
    with(&state, move |lib| lib.set_backup_schedule(interval_hours, keep)).await
}

/// Brings back revision `number`'s content; the version it replaces is kept as a revision.
#[tauri::command]
pub async fn restore_revision(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    number: i64,
) -> Result<PostmortemView> {
    let view = with(&state, move |lib| lib.restore_revision(&id, number)).await?;
    let _ = app.emit(POSTMORTEM_EVENT, view.postmortem.id.clone());
    Ok(view)
}

#[tauri::command]
pub async fn delete_postmortem(state: State<'_, AppState>, id: String) -> Result<()> {
    with(&state, move |lib| lib.delete(&id)).await
}

#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>) -> Result<Vec<Template>> {
    with(&state, move |lib| lib.templates()).await
}

#[tauri::command]
pub async fn get_taxonomy(state: State<'_, AppState>) -> Result<Taxonomy> {
    with(&state, move |lib| lib.taxonomy()).await
}

#[tauri::command]
pub async fn render_markdown(markdown: String) -> Result<String> {
    off_thread(move || Ok(Library::render_markdown(&markdown))).await
}

#[tauri::command]
pub async fn get_setting(state: State<'_, AppState>, key: String) -> Result<Option<serde_json::Value>> {
    with(&state, move |lib| lib.setting(&key)).await
}

#[tauri::command]
pub async fn set_setting(state: State<'_, AppState>, key: String, value: serde_json::Value) -> Result<()> {
    with(&state, move |lib| lib.set_setting(&key, &value)).await
}

/// Who status changes are recorded as: the `user_name` setting, else the OS user.
#[tauri::command]
pub async fn current_user(state: State<'_, AppState>) -> Result<String> {
    with(&state, move |lib| lib.user_name()).await
}

#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String, options: SearchOptions) -> Result<SearchResults> {
    with(&state, move |lib| lib.search(&query, &options)).await
}

#[tauri::command]
pub async fn similar_postmortems(state: State<'_, AppState>, id: String, limit: usize) -> Result<Vec<SimilarHit>> {
    with(&state, move |lib| lib.similar(&id, limit)).await
}

#[tauri::command]
pub async fn similar_to_draft(state: State<'_, AppState>, draft: DraftText, limit: usize) -> Result<Vec<SimilarHit>> {
    with(&state, move |lib| lib.similar_to_draft(&draft, limit)).await
}

#[tauri::command]
pub async fn save_template(state: State<'_, AppState>, template: Template) -> Result<Template> {
    with(&state, move |lib| lib.save_template(template)).await
}

#[tauri::command]
pub async fn copy_template(state: State<'_, AppState>, name: String, new_name: String) -> Result<Template> {
    with(&state, move |lib| lib.copy_template(&name, &new_name)).await
}

#[tauri::command]
pub async fn delete_template(state: State<'_, AppState>, name: String) -> Result<()> {
    with(&state, move |lib| lib.delete_template(&name)).await
}

/// Blameless-language findings for the document being edited (saved or not).
#[tauri::command]
pub async fn lint_postmortem(postmortem: Postmortem) -> Result<Vec<Finding>> {
    off_thread(move || Ok(language::check_postmortem(&postmortem))).await
}

/// Reads pasted lines, CSV or a Slack channel export (`files` as `[name, content]` pairs) into
/// events for review before adding; a line that cannot be read fails with a `parse` error
/// naming it.
#[tauri::command]
pub async fn parse_timeline(
    format: TimelineFormat,
    text: String,
    files: Vec<(String, String)>,
    date: Option<chrono::NaiveDate>,
    zone: String,
) -> Result<Vec<ImportedEvent>> {
    off_thread(move || Ok(timeline::parse(format, &text, &files, date, &zone)?)).await
}

/// The fishbone laid out for drawing (pure: the diagram being edited, saved or not).
#[tauri::command]
pub async fn layout_fishbone(fishbone: Fishbone) -> Result<FishboneLayout> {
    off_thread(move || Ok(fishbone::layout(&fishbone))).await
}

/// Draws the fishbone to `path` (chosen in the save dialog) as SVG or PNG by extension.
#[tauri::command]
pub async fn export_fishbone(state: State<'_, AppState>, fishbone: Fishbone, path: PathBuf) -> Result<()> {
    state.grants.check([(path.as_path(), PathUse::WriteFile)])?;
    off_thread(move || Ok(Library::export_fishbone_file(&fishbone, &path)?)).await
}

/// Asks where to save one file (the native save dialog); `None` when the user cancels. The
/// path returned is one the export commands then accept (see `dialogs.rs`); `test_answer`
/// stands in for the dialog only in an app started for end-to-end tests.
#[tauri::command]
pub async fn pick_save_path(
    app: AppHandle,
    title: String,
    default_name: String,
    extensions: Vec<String>,
    test_answer: Option<String>,
) -> Result<Option<String>> {
    let ask = Ask::Save { title, default_name, extensions };
    let picked = pick(app, ask, test_answer.map(|a| vec![a])).await?;
    Ok(picked.into_iter().next())
}

/// Asks for files to read (several when `multiple`); empty when the user cancels.
#[tauri::command]
pub async fn pick_open_paths(
    app: AppHandle,
    title: String,
    extensions: Vec<String>,
    multiple: bool,
    test_answer: Option<Vec<String>>,
) -> Result<Vec<String>> {
    pick(app, Ask::Open { title, extensions, multiple }, test_answer).await
}

/// Asks for a folder to read from, or (`for_writing`) to write files into; `None` when the
/// user cancels. The grant is for that use only.
#[tauri::command]
pub async fn pick_folder(
    app: AppHandle,
    title: String,
    for_writing: bool,
    test_answer: Option<String>,
) -> Result<Option<String>> {
    let picked = pick(app, Ask::Folder { title, write: for_writing }, test_answer.map(|a| vec![a])).await?;
    Ok(picked.into_iter().next())
}

/// Opens a dialog off the main thread (it waits for the user) and grants what was chosen.
async fn pick(app: AppHandle, ask: Ask, test_answer: Option<Vec<String>>) -> Result<Vec<String>> {
    off_thread(move || {
        let grants = &app.state::<AppState>().grants;
        Ok(grants.ask(&app, ask, test_answer).into_iter().map(|p| p.display().to_string()).collect())
    })
    .await
}

/// The document with a contributing factor gathered from 5-whys step `step_id`.
#[tauri::command]
pub async fn factor_from_step(mut postmortem: Postmortem, step_id: String) -> Result<Postmortem> {
    off_thread(move || {
        postmortem.factor_from_step(&step_id)?;
        Ok(postmortem)
    })
    .await
}

/// The document with a contributing factor gathered from fishbone cause `cause_id`.
#[tauri::command]
pub async fn factor_from_cause(mut postmortem: Postmortem, cause_id: String) -> Result<Postmortem> {
    off_thread(move || {
        postmortem.factor_from_cause(&cause_id)?;
        Ok(postmortem)
    })
    .await
}

/// The document with an action item made from 5-whys step `step_id`.
#[tauri::command]
pub async fn action_from_step(mut postmortem: Postmortem, step_id: String) -> Result<Postmortem> {
    off_thread(move || {
        postmortem.action_from_step(&step_id, debrief::clock::now())?;
        Ok(postmortem)
    })
    .await
}

/// The document with an action item made from contributing factor `factor_id`.
#[tauri::command]
pub async fn action_from_factor(mut postmortem: Postmortem, factor_id: String) -> Result<Postmortem> {
    off_thread(move || {
        postmortem.action_from_factor(&factor_id, debrief::clock::now())?;
        Ok(postmortem)
    })
    .await
}

/// Nudges on the action items of the document being edited.
#[tauri::command]
pub async fn action_nudges(postmortem: Postmortem) -> Result<Vec<Nudge>> {
    off_thread(move || Ok(nudges::action_nudges(&postmortem))).await
}

/// The postmortem's latest meeting (finished or not), or a new one following its template's plan.
#[tauri::command]
pub async fn open_meeting(state: State<'_, AppState>, postmortem_id: String) -> Result<MeetingView> {
    with(&state, move |lib| lib.open_meeting(&postmortem_id)).await
}

/// Begins another meeting on a postmortem whose meetings are all finished.
#[tauri::command]
pub async fn new_meeting(state: State<'_, AppState>, postmortem_id: String) -> Result<MeetingView> {
    with(&state, move |lib| lib.new_meeting(&postmortem_id)).await
}

/// The stored meeting as the presenter's screen shows it (after the postmortem was saved).
#[tauri::command]
pub async fn get_meeting(state: State<'_, AppState>, meeting_id: String) -> Result<MeetingView> {
    with(&state, move |lib| lib.get_meeting(&meeting_id)).await
}

/// Applies one change from the facilitator's screen (next step, start, a turn, a parked
/// topic, notes, finish) with the core's clock, stores it, and tells the audience window.
#[tauri::command]
pub async fn meeting_act(
    app: AppHandle,
    state: State<'_, AppState>,
    meeting_id: String,
    action: MeetingAction,
) -> Result<MeetingView> {
    let id = meeting_id.clone();
    let view = with(&state, move |lib| lib.meeting_act(&meeting_id, action)).await?;
    // The id only: the audience window asks for its own view, which never holds the notes.
    let _ = app.emit(MEETING_EVENT, id);
    Ok(view)
}

/// The meeting the audience window shows (the one last put on it), without the
/// facilitator's notes and questions; `None` before a meeting is put on it.
#[tauri::command]
pub async fn audience_view(state: State<'_, AppState>) -> Result<Option<MeetingView>> {
    let presenting = state.presenting.lock().unwrap_or_else(|p| p.into_inner()).clone();
    match presenting {
        Some(id) => with(&state, move |lib| lib.audience_view(&id).map(Some)).await,
        None => Ok(None),
    }
}

/// Puts a meeting on the audience window, opening that window (or bringing it forward). The
/// user drags it to the shared screen and makes it full screen there.
#[tauri::command]
pub async fn open_audience_window(app: AppHandle, state: State<'_, AppState>, meeting_id: String) -> Result<()> {
    *state.presenting.lock().unwrap_or_else(|p| p.into_inner()) = Some(meeting_id.clone());
    match app.get_webview_window(AUDIENCE_WINDOW) {
        Some(window) => {
            let _ = app.emit(MEETING_EVENT, meeting_id);
            window.set_focus().map_err(CommandError::internal)?;
        }
        None => {
            let window =
                tauri::WebviewWindowBuilder::new(&app, AUDIENCE_WINDOW, tauri::WebviewUrl::App("index.html".into()))
                    .title("Debrief: audience")
                    .inner_size(1280.0, 800.0)
                    .min_inner_size(640.0, 400.0)
                    .build()
                    .map_err(CommandError::internal)?;
            // The shared screen shows the meeting only: no menu bar (Linux and Windows put
            // the app's menu on every window).
            #[cfg(not(target_os = "macos"))]
            let _ = window.remove_menu();
            let _ = app.emit(AUDIENCE_EVENT, true);
        }
    }
    Ok(())
}

/// Closes the audience window, if it is open.
#[tauri::command]
pub async fn close_audience_window(app: AppHandle) -> Result<()> {
    if let Some(window) = app.get_webview_window(AUDIENCE_WINDOW) {
        window.close().map_err(CommandError::internal)?;
    }
    Ok(())
}

/// The feedback of every finished meeting, counted per question (Insights).
#[tauri::command]
pub async fn meeting_feedback_summary(state: State<'_, AppState>) -> Result<MeetingFeedbackSummary> {
    with(&state, move |lib| lib.meeting_feedback_summary()).await
}

/// The language coach on the facilitator's notes (knowing the postmortem's people and the
/// attendees).
#[tauri::command]
pub async fn lint_meeting_notes(state: State<'_, AppState>, meeting_id: String, text: String) -> Result<Vec<Finding>> {
    with(&state, move |lib| lib.lint_meeting_notes(&meeting_id, &text)).await
}

/// Whether the audience window is open (the presenter's button follows it through
/// [`AUDIENCE_EVENT`] afterwards).
#[tauri::command]
pub async fn audience_window_open(app: AppHandle) -> Result<bool> {
    Ok(app.get_webview_window(AUDIENCE_WINDOW).is_some())
}

/// Writes the meeting's summary to a file the user chose in the save dialog: Markdown for
/// `.md`, PDF for `.pdf`.
#[tauri::command]
pub async fn export_meeting_summary(
    state: State<'_, AppState>,
    meeting_id: String,
    path: PathBuf,
) -> Result<PdfOutcome> {
    state.grants.check([(path.as_path(), PathUse::WriteFile)])?;
    with(&state, move |lib| lib.export_meeting_summary(&meeting_id, &path)).await
}

/// Where the team library stands; with `fetch`, the remote is asked first.
#[tauri::command]
pub async fn team_status(state: State<'_, AppState>, fetch: bool) -> Result<TeamStatus> {
    if fetch {
        with_worker(&state, move |lib| lib.team_status(true)).await
    } else {
        with(&state, move |lib| lib.team_status(false)).await
    }
}

/// Connects the library to a git repository (committing as `author`, or as git's own user)
/// and syncs.
#[tauri::command]
pub async fn team_connect(
    state: State<'_, AppState>,
    url: String,
    author_name: Option<String>,
    author_email: Option<String>,
) -> Result<SyncReport> {
    with_worker(&state, move |lib| {
        let who = author_name.as_deref().zip(author_email.as_deref());
        lib.team_connect(&url, who, &mut Progress::none())
    })
    .await
}

/// Fetches, merges, commits and pushes.
#[tauri::command]
pub async fn team_sync(state: State<'_, AppState>) -> Result<SyncReport> {
    with_worker(&state, move |lib| lib.team_sync(&mut Progress::none())).await
}

/// Stops sharing the library (its postmortems stay).
#[tauri::command]
pub async fn team_disconnect(state: State<'_, AppState>) -> Result<()> {
    with(&state, move |lib| lib.team_disconnect()).await
}

/// Minutes between automatic syncs (0: none).
#[tauri::command]
pub async fn team_set_interval(state: State<'_, AppState>, minutes: u32) -> Result<()> {
    with(&state, move |lib| lib.team_set_interval(minutes)).await
}

/// The name and email commits are made with; `None` for git's own.
#[tauri::command]
pub async fn team_set_author(
    state: State<'_, AppState>,
    author_name: Option<String>,
    author_email: Option<String>,
) -> Result<()> {
    with(&state, move |lib| lib.team_set_author(author_name.as_deref().zip(author_email.as_deref()))).await
}

/// Keeps version `choice` of a field two people changed differently.
#[tauri::command]
pub async fn resolve_conflict(
    app: AppHandle,
    state: State<'_, AppState>,
    postmortem_id: String,
    conflict_id: String,
    choice: usize,
) -> Result<PostmortemView> {
    let view = with(&state, move |lib| lib.resolve_conflict(&postmortem_id, &conflict_id, choice)).await?;
    let _ = app.emit(POSTMORTEM_EVENT, view.postmortem.id.clone());
    Ok(view)
}

/// The event sent (with the meeting's id) whenever a meeting changes.
pub const MEETING_EVENT: &str = "debrief://meeting";

/// The event sent (with the postmortem's id) whenever a postmortem is saved, so the audience
/// window shows what the meeting just captured.
pub const POSTMORTEM_EVENT: &str = "debrief://postmortem";

/// The event sent (with `true` or `false`) when the audience window opens or closes.
pub const AUDIENCE_EVENT: &str = "debrief://audience";

/// The audience window's label.
pub const AUDIENCE_WINDOW: &str = "audience";

/// Keeps the meeting's agenda (order, minutes, skips) for its postmortem's template; returns
/// the template's name.
#[tauri::command]
pub async fn keep_meeting_plan(state: State<'_, AppState>, meeting_id: String) -> Result<String> {
    with(&state, move |lib| lib.keep_meeting_plan(&meeting_id)).await
}

/// Records one person's feedback on a finished meeting.
#[tauri::command]
pub async fn give_meeting_feedback(
    state: State<'_, AppState>,
    meeting_id: String,
    feedback: Feedback,
) -> Result<Meeting> {
    with(&state, move |lib| lib.give_meeting_feedback(&meeting_id, feedback)).await
}

/// A page of the action-item board as of today.
#[tauri::command]
pub async fn list_actions(state: State<'_, AppState>, filter: ActionFilter) -> Result<ActionPage> {
    with(&state, move |lib| lib.actions_page(&filter, debrief::clock::today())).await
}

/// Bulk status change on the board; returns how many items changed.
#[tauri::command]
pub async fn set_action_status(
    state: State<'_, AppState>,
    ids: Vec<String>,
    status: ActionStatus,
    reason: Option<String>,
) -> Result<usize> {
    with(&state, move |lib| lib.set_action_status(&ids, status, reason.as_deref())).await
}

/// Quick edit of one item on the board.
#[tauri::command]
pub async fn update_action(state: State<'_, AppState>, item: ActionItem) -> Result<ActionRow> {
    with(&state, move |lib| lib.update_action(item, debrief::clock::today())).await
}

/// Follow-through metrics as of today.
#[tauri::command]
pub async fn follow_through(state: State<'_, AppState>) -> Result<FollowThrough> {
    with(&state, move |lib| lib.follow_through(debrief::clock::today())).await
}

/// The document with imported events added in time order, missing key markers taken from the
/// first event of the matching kind (pure: the editor autosaves the result).
#[tauri::command]
pub async fn merge_timeline_events(mut postmortem: Postmortem, events: Vec<ImportedEvent>) -> Result<Postmortem> {
    off_thread(move || {
        timeline::merge_into(&mut postmortem, &events);
        Ok(postmortem)
    })
    .await
}

/// Everything the Insights screen shows for `from` to `to` (metrics with error budgets, repeat
/// patterns, prevention ROI over the windows ending on `to`), from one load of the facts, with
/// its charts drawn in the window's colours.
#[tauri::command]
pub async fn insights(
    state: State<'_, AppState>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    palette: ChartPalette,
) -> Result<InsightsScreen> {
    with(&state, move |lib| lib.insights_screen(from, to, &palette)).await
}

/// The ids of the incidents behind a chart's bar or a figure, oldest first.
#[tauri::command]
pub async fn incidents_behind(state: State<'_, AppState>, drill: Drill) -> Result<Vec<String>> {
    with(&state, move |lib| lib.incidents_behind(&drill)).await
}

/// Prevention ROI of every category over its window ending on `to`, with its saved inputs.
#[tauri::command]
pub async fn roi(state: State<'_, AppState>, to: chrono::NaiveDate) -> Result<RoiReport> {
    with(&state, move |lib| lib.roi(to, None, None, &RoiOverrides::default())).await
}

/// Saves one category's prevention-ROI inputs; a bad input fails naming its field.
#[tauri::command]
pub async fn set_roi_inputs(state: State<'_, AppState>, category: String, inputs: RoiInputs) -> Result<()> {
    with(&state, move |lib| lib.set_roi_inputs(&category, inputs)).await
}

/// Adds a category, service or root-cause type with its description (a service with no team
/// or SLO yet: set them with `update_service`); a name already taken fails naming `name`.
#[tauri::command]
pub async fn add_taxonomy(
    state: State<'_, AppState>,
    kind: TaxonomyKind,
    name: String,
    description: String,
) -> Result<()> {
    with(&state, move |lib| lib.add_taxonomy(kind, &name, &description)).await
}

/// Renames a category, service or root-cause type, relabelling every postmortem; a name
/// another entry has fails naming `new_name`. Returns how many postmortems were relabelled.
#[tauri::command]
pub async fn rename_taxonomy(
    state: State<'_, AppState>,
    kind: TaxonomyKind,
    name: String,
    new_name: String,
) -> Result<usize> {
    with(&state, move |lib| lib.rename_taxonomy(kind, &name, &new_name)).await
}

/// Sets what a category, service or root-cause type is or covers; an unknown name fails.
#[tauri::command]
pub async fn describe_taxonomy(
    state: State<'_, AppState>,
    kind: TaxonomyKind,
    name: String,
    description: String,
) -> Result<()> {
    with(&state, move |lib| lib.describe_taxonomy(kind, &name, &description)).await
}

/// Merges `name` into `into` in one transaction: every postmortem labelled `name` gets `into`,
/// then `name` is gone. Returns how many postmortems were relabelled.
#[tauri::command]
pub async fn merge_taxonomy(
    state: State<'_, AppState>,
    kind: TaxonomyKind,
    name: String,
    into: String,
) -> Result<usize> {
    with(&state, move |lib| lib.merge_taxonomy(kind, &name, &into)).await
}

/// Retires a category, service or root-cause type (`retired` true: kept on the postmortems
/// that have it, no longer offered), or brings it back (`retired` false).
#[tauri::command]
pub async fn retire_taxonomy(
    state: State<'_, AppState>,
    kind: TaxonomyKind,
    name: String,
    retired: bool,
) -> Result<()> {
    with(&state, move |lib| lib.retire_taxonomy(kind, &name, retired)).await
}

/// Changes a service's team, SLO target (a fraction, 0.999), SLO window or description; fields
/// left null stay as they are, an empty team clears it. A bad value fails naming its field.
#[tauri::command]
pub async fn update_service(state: State<'_, AppState>, name: String, changes: ServiceChanges) -> Result<Service> {
    with(&state, move |lib| lib.update_service(&name, &changes)).await
}

/// The category a draft most likely needs, from its most similar incidents, with the similar
/// incidents that carry it (closest first); null when none has a category to offer.
#[tauri::command]
pub async fn suggest_category(
    state: State<'_, AppState>,
    draft: DraftText,
) -> Result<Option<(String, Vec<SimilarHit>)>> {
    with(&state, move |lib| lib.suggest_category(&draft)).await
}

/// The event every job's progress and end are sent as.
pub const JOB_EVENT: &str = "debrief://job";

/// Starts long work in the background and returns its id at once; the window follows it
/// through [`JOB_EVENT`] events. Jobs run one at a time, each on a library handle of its own,
/// so the window's searches and edits go on while it works.
#[tauri::command]
pub async fn start_job(app: AppHandle, state: State<'_, AppState>, request: JobRequest) -> Result<u64> {
    state.grants.check(request.chosen_paths())?;
    let jobs = Arc::clone(&state.jobs);
    let (id, cancel) = jobs.register();
    let library = Arc::clone(&state.library);
    let open_error = state.open_error.clone();
    let label = request.label();
    tauri::async_runtime::spawn_blocking(move || {
        let emit = |state: JobState| {
            // A window that is gone cannot hear it; the work goes on regardless.
            let _ = app.emit(JOB_EVENT, JobEvent { id, label: label.clone(), state });
        };
        emit(JobState::Queued);
        let _turn = jobs.one_at_a_time.lock().unwrap_or_else(|p| p.into_inner());
        let worker = {
            let guard = library.lock().unwrap_or_else(|p| p.into_inner());
            match guard.as_ref() {
                Some(lib) => lib.worker().map_err(|e| CommandError::from(e).0),
                None => Err(CommandError::not_open(open_error.as_ref()).0),
            }
        };
        let end = match worker {
            Ok(mut worker) => {
                // At most a dozen progress events a second, and always the last of a phase.
                let mut last: Option<Instant> = None;
                let mut progress = Progress::new(
                    label.clone(),
                    |step| {
                        if step.done == step.total || last.is_none_or(|t| t.elapsed() >= Duration::from_millis(80)) {
                            last = Some(Instant::now());
                            emit(JobState::Running { step: step.clone() });
                        }
                    },
                    cancel.as_ref(),
                );
                jobs::run(&mut worker, &request, debrief::clock::today(), &mut progress)
            }
            Err(error) => JobState::Failed { error },
        };
        if let JobState::Done { result } = &end {
            jobs.wrote(result.written());
        }
        emit(end);
        jobs.finish(id);
    });
    Ok(id)
}

/// The file name an export of postmortem `id` is offered under, without its extension:
/// `2025-11-25-checkout-502s-after-3f2a9c1e` (from the anonymized title when `anonymize`).
#[tauri::command]
pub async fn export_file_stem(state: State<'_, AppState>, id: String, anonymize: bool) -> Result<String> {
    with(&state, move |lib| lib.export_file_stem(&id, anonymize)).await
}

/// Opens a file an export of this session wrote (a PDF, a JSON document, a folder of PDFs) in
/// the system's application for it: "Open the file" when an export is done. Nothing else can
/// be opened this way, so the window cannot ask to open an arbitrary path.
#[tauri::command]
pub async fn open_export(app: AppHandle, state: State<'_, AppState>, path: String) -> Result<()> {
    let path = PathBuf::from(path);
    // Only what exports write: PDF, JSON, CSV and Markdown files, and folders of them. A webview that
    // named another kind of file in an export (a script) still cannot have it run.
    let kind_ok = path.is_dir()
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["pdf", "json", "csv"].iter().any(|k| e.eq_ignore_ascii_case(k)));
    if !kind_ok || !state.jobs.was_written(&path) {
        let message = format!("{} was not written by an export of this session", path.display());
        return Err(debrief::Error::invalid("path", message).into());
    }
    open_in_system(&app, &path, "application")
}

/// Opens `path` in the system's `handler` for it (its application, the file manager), naming
/// the path when nothing on the system could.
fn open_in_system(app: &AppHandle, path: &std::path::Path, handler: &str) -> Result<()> {
    use tauri_plugin_opener::OpenerExt;
    app.opener().open_path(path.display().to_string(), None::<&str>).map_err(|e| {
        let message = format!("no {handler} on this system opened {}: {e}", path.display());
        debrief::Error::invalid("path", message).into()
    })
}

/// Help → About: the version and the licences of everything the app bundles
/// (`licences.json`, written by `scripts/licences.mjs`).
#[tauri::command]
pub async fn about_app() -> Result<AboutInfo> {
    off_thread(|| {
        let licences = serde_json::from_str(include_str!("../licences.json")).map_err(CommandError::internal)?;
        Ok(AboutInfo { version: env!("CARGO_PKG_VERSION").to_string(), licences })
    })
    .await
}

/// Zooms the window's content (View → Zoom in, Zoom out, Actual size); 1.0 is actual size.
#[tauri::command]
pub async fn set_zoom(window: tauri::WebviewWindow, factor: f64) -> Result<()> {
    if !(0.5..=3.0).contains(&factor) {
        return Err(debrief::Error::invalid("factor", format!("{factor} is outside 0.5 to 3")).into());
    }
    window.set_zoom(factor).map_err(CommandError::internal)
}

/// Quit: closes the main window (the window saved its page first), which ends the app as its
/// close button does: the audience window goes with it and a running meeting is paused.
#[tauri::command]
pub async fn quit_app(app: AppHandle) -> Result<()> {
    match app.get_webview_window("main") {
        Some(window) => window.close().map_err(CommandError::internal),
        None => {
            app.exit(0);
            Ok(())
        }
    }
}

/// Help → Open the data folder: the open library's folder in the file manager.
#[tauri::command]
pub async fn open_data_folder(app: AppHandle, state: State<'_, AppState>) -> Result<()> {
    let dir = with(&state, |lib| Ok(lib.dir().to_path_buf())).await?;
    open_in_system(&app, &dir, "file manager")
}

/// The libraries opened recently, most recent first (the open one among them).
#[tauri::command]
pub async fn recent_libraries(state: State<'_, AppState>) -> Result<Vec<String>> {
    let recent = state.recent.lock().unwrap_or_else(|p| p.into_inner());
    Ok(recent.dirs().iter().map(|d| d.display().to_string()).collect())
}

/// File → Open library…: opens the library in a folder the user picked in a folder dialog for
/// writing (an empty folder becomes a new library). The window then loads it afresh.
#[tauri::command]
pub async fn open_library(app: AppHandle, state: State<'_, AppState>, path: String) -> Result<LibraryStatus> {
    let dir = PathBuf::from(path);
    state.grants.check([(dir.as_path(), PathUse::WriteFolder)])?;
    crate::switch_library(&app, dir).await
}

/// File → Recent libraries: opens the `index`th library of the recent list.
#[tauri::command]
pub async fn open_recent_library(app: AppHandle, state: State<'_, AppState>, index: usize) -> Result<LibraryStatus> {
    let dir = state.recent.lock().unwrap_or_else(|p| p.into_inner()).dirs().get(index).cloned();
    let Some(dir) = dir else {
        return Err(debrief::Error::invalid("index", format!("no recent library {index}")).into());
    };
    crate::switch_library(&app, dir).await
}

/// The files opened with Debrief from the file manager since the window last asked (each
/// granted for reading): the window offers to import them.
#[tauri::command]
pub async fn take_opened_files(state: State<'_, AppState>) -> Result<Vec<String>> {
    let files = std::mem::take(&mut *state.opened_files.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(files.iter().map(|f| f.display().to_string()).collect())
}

/// Asks a running job to stop. It stops at its next step and keeps nothing it had not
/// committed; returns false when no such job is running (it may just have finished).
#[tauri::command]
pub async fn cancel_job(state: State<'_, AppState>, id: u64) -> Result<bool> {
    Ok(state.jobs.cancel(id))
}

/// The jobs running now and their cancel flags.
#[derive(Default)]
pub struct Jobs {
    next: std::sync::atomic::AtomicU64,
    running: std::sync::Mutex<std::collections::HashMap<u64, Arc<AtomicBool>>>,
    /// Held by the job that is working; the others wait their turn (two imports writing at
    /// once would only wait on each other's database lock).
    one_at_a_time: std::sync::Mutex<()>,
    /// Files and folders the exports of this session wrote: the only paths `open_export` opens.
    written: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Jobs {
    fn register(&self) -> (u64, Arc<AtomicBool>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let flag = Arc::new(AtomicBool::new(false));
        self.running.lock().unwrap_or_else(|p| p.into_inner()).insert(id, Arc::clone(&flag));
        (id, flag)
    }

    fn cancel(&self, id: u64) -> bool {
        match self.running.lock().unwrap_or_else(|p| p.into_inner()).get(&id) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    fn finish(&self, id: u64) {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
    }

    fn wrote(&self, paths: Vec<PathBuf>) {
        self.written.lock().unwrap_or_else(|p| p.into_inner()).extend(paths);
    }

    fn was_written(&self, path: &std::path::Path) -> bool {
        self.written.lock().unwrap_or_else(|p| p.into_inner()).contains(path)
    }
}

#[cfg(test)]
mod tests {
    use debrief::wire::Licences;

    /// The About box has a licence text for everything bundled: the package's own files, or the
    /// standard texts of the licences it declares (scripts/licences.mjs); every place is a text.
    #[test]
    fn every_bundled_package_has_a_licence_text() {
        let licences: Licences = serde_json::from_str(include_str!("../licences.json")).expect("licences.json reads");
        assert!(licences.packages.len() > 100, "only {} packages", licences.packages.len());
        for p in &licences.packages {
            let places = if p.texts.is_empty() { &p.standard_texts } else { &p.texts };
            assert!(!places.is_empty(), "{} {} ({}) has no licence text", p.name, p.version, p.licence);
            assert!(places.iter().all(|&t| (t as usize) < licences.texts.len()), "{} points past the texts", p.name);
        }
        let tantivy_common =
            licences.packages.iter().find(|p| p.name == "tantivy-common").expect("tantivy-common bundled");
        assert!(tantivy_common.texts.is_empty(), "tantivy-common now ships a licence file: pick another example");
        let standard = &licences.texts[tantivy_common.standard_texts[0] as usize];
        assert!(standard.starts_with("MIT License"), "{standard}");
    }
}
