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
        // Every `#[tauri::command]` in commands.rs, listed by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handler.rs")))
        .run(tauri::generate_context!())
        .expect("error while running the Debrief app");
}
