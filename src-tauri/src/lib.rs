//! The Debrief desktop shell: opens the library, registers the commands, starts the window.
//! It knows nothing of SQL; every command delegates to `debrief::Library`.

mod commands;
mod error;

use std::sync::Mutex;

use debrief::Library;

/// The open library, shared by the commands. `None` when opening failed; the reason is kept
/// so the window can show it instead of an empty screen.
pub struct AppState {
    pub library: Mutex<Option<Library>>,
    pub open_error: Option<debrief::error::ErrorPayload>,
}

/// Builds and runs the app.
pub fn run() {
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
        .manage(AppState { library: Mutex::new(library), open_error })
        .invoke_handler(tauri::generate_handler![
            commands::library_status,
            commands::list_postmortems,
            commands::get_postmortem,
            commands::create_postmortem,
            commands::save_postmortem,
            commands::delete_postmortem,
            commands::load_sample,
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
            commands::export_actions_csv,
            commands::import_actions_csv,
            commands::merge_timeline_events,
        ])
        .run(tauri::generate_context!())
        .expect("error while running the Debrief app");
}
