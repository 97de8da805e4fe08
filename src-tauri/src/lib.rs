//! The Debrief desktop shell: opens the library, registers the commands, starts the window.
//! It knows nothing of SQL; every command delegates to `debrief::Library`.

mod commands;
mod error;

mod navigation;

use std::sync::{Arc, Mutex};

use debrief::Library;

/// The open library, shared by the commands. `None` when opening failed; the reason is kept
/// so the window can show it instead of an empty screen.
pub struct AppState {
    pub library: Arc<Mutex<Option<Library>>>,
    pub open_error: Option<debrief::error::ErrorPayload>,
    pub jobs: Arc<commands::Jobs>,
}

/// Builds and runs the app.
pub fn run() {
    // The shell, like the CLI, is where the environment is read; the core takes the folder.
    #[allow(clippy::disallowed_methods)]
    let dir = std::env::var_os("DEBRIEF_LIBRARY").map(std::path::PathBuf::from).unwrap_or_else(Library::default_dir);
    let (library, open_error) = match Library::open(&dir) {
        Ok(lib) => (Some(lib), None),
        Err(e) => {
            eprintln!("debrief-app: cannot open library {}: {e}", dir.display());
            (None, Some((&e).into()))
        }
    };
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(navigation::guard())
        .manage(AppState { library: Arc::new(Mutex::new(library)), open_error, jobs: Default::default() })
        .invoke_handler(tauri::generate_handler![
            commands::library_status,
            commands::list_postmortems,
            commands::get_postmortem,
            commands::create_postmortem,
            commands::save_postmortem,
            commands::delete_postmortem,
            commands::list_templates,
            commands::get_taxonomy,
            commands::render_markdown,
            commands::get_setting,
            commands::set_setting,
            commands::current_user,
            commands::search,
            commands::similar_postmortems,
            commands::similar_to_draft,
            commands::save_template,
            commands::copy_template,
            commands::delete_template,
            commands::lint_postmortem,
            commands::parse_timeline,
            commands::add_timeline_events,
            commands::layout_fishbone,
            commands::export_fishbone,
            commands::factor_from_step,
            commands::factor_from_cause,
            commands::action_from_step,
            commands::action_from_factor,
            commands::action_nudges,
            commands::list_actions,
            commands::set_action_status,
            commands::update_action,
            commands::follow_through,
            commands::merge_timeline_events,
            commands::start_job,
            commands::cancel_job,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Debrief app");
}
