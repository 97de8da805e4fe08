//! The Debrief desktop shell: opens the library, registers the commands, starts the window.
//! It knows nothing of SQL; every command delegates to `debrief::Library`.

mod commands;
mod dialogs;
mod error;

mod menu;
mod navigation;
mod opened;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use debrief::recent::RecentLibraries;
use debrief::Library;

/// The open library, shared by the commands. `None` when opening failed; the reason is kept
/// so the window can show it instead of an empty screen.
pub struct AppState {
    pub library: Arc<Mutex<Option<Library>>>,
    pub open_error: Option<debrief::error::ErrorPayload>,
    pub jobs: Arc<commands::Jobs>,
    /// The meeting the audience window shows (`open_audience_window`).
    pub presenting: Mutex<Option<String>>,
    /// The paths file dialogs returned: the only ones commands read or write.
    pub grants: dialogs::Grants,
    /// The libraries opened recently (File → Recent libraries), most recent first.
    pub recent: Mutex<RecentLibraries>,
    /// Files opened with Debrief from the file manager, waiting for the window to take them
    /// (`take_opened_files`): the window may not be listening yet when they arrive.
    pub opened_files: Mutex<Vec<PathBuf>>,
}

/// The event that tells the window files were opened with Debrief (it then takes them).
pub const OPENED_FILES_EVENT: &str = "debrief://opened-files";

/// Builds and runs the app.
pub fn run() {
    // The shell, like the CLI, is where the environment is read; the core takes the folder.
    #[allow(clippy::disallowed_methods)]
    let named = std::env::var_os("DEBRIEF_LIBRARY").map(PathBuf::from);
    let mut recent = RecentLibraries::load(&debrief::recent::default_config_dir());
    let dir = debrief::recent::library_to_open(named, &recent, Library::default_dir());
    let (library, open_error) = match Library::open(&dir) {
        Ok(lib) => {
            if let Err(e) = recent.opened(&dir) {
                eprintln!("debrief-app: could not remember the library in the recent list: {e}");
            }
            (Some(lib), None)
        }
        Err(e) => {
            eprintln!("debrief-app: cannot open library {}: {e}", dir.display());
            (None, Some((&e).into()))
        }
    };
    // Set only by the end-to-end tests (see dialogs.rs).
    #[allow(clippy::disallowed_methods)]
    let test_dialogs = std::env::var_os("DEBRIEF_E2E_DIALOGS").is_some_and(|v| v == "1");
    let library = Arc::new(Mutex::new(library));
    let recent_dirs = recent.dirs().to_vec();
    // Files named on the command line: "Open with Debrief" on the first start.
    let args: Vec<String> = std::env::args().collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    let opened_at_start = opened::from_args(&args, &cwd);
    prepare_insights_later(Arc::clone(&library));
    back_up_on_schedule(Arc::clone(&library));
    tauri::Builder::default()
        // First, as the plugin asks: a second start of the app (a second click on its icon)
        // brings this window forward instead of opening the library twice.
        // Files opened with Debrief while it runs arrive here, from that second start.
        .plugin(tauri_plugin_single_instance::init(|app, args, cwd| {
            focus_main_window(app);
            hand_over_opened(app, opened::from_args(&args, std::path::Path::new(&cwd)));
        }))
        .plugin(tauri_plugin_dialog::init())
        // The main window's size, position and maximized state, restored on the next start.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .menu(move |app| menu::build(app, &recent_dirs))
        .on_menu_event(|app, event| menu::forward(app, event.id().as_ref()))
        // After the single-instance plugin: a second start has ended by now, so it never
        // takes the first window's running meeting for one a crash left behind.
        .setup(move |app| {
            use tauri::Manager;
            let state = app.state::<AppState>();
            let mut guard = state.library.lock().unwrap_or_else(|p| p.into_inner());
            // A meeting still running was left by an app that did not close (a crash): its
            // time counts up to its last change.
            if let Some(Err(e)) = guard.as_mut().map(Library::pause_meetings_left_running) {
                eprintln!("debrief-app: could not pause a meeting left running: {e}");
            }
            drop(guard);
            hand_over_opened(app.handle(), opened_at_start.clone());
            Ok(())
        })
        .plugin(tauri_plugin_opener::init())
        .plugin(navigation::guard())
        .manage(AppState {
            library,
            open_error,
            jobs: Default::default(),
            presenting: Mutex::new(None),
            grants: dialogs::Grants::new(test_dialogs),
            recent: Mutex::new(recent),
            opened_files: Mutex::new(Vec::new()),
        })
        // Every `#[tauri::command]` in commands.rs, listed by build.rs.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handler.rs")))
        // The audience window belongs to the main one: it goes when the main window goes, so
        // closing the app never leaves a lone shared screen behind, and a meeting left
        // running stops counting. The presenter's button hears when the audience window goes.
        .on_window_event(|window, event| {
            if !matches!(event, tauri::WindowEvent::Destroyed) {
                return;
            }
            use tauri::{Emitter, Manager};
            let app = window.app_handle();
            if window.label() == commands::AUDIENCE_WINDOW {
                let _ = app.emit(commands::AUDIENCE_EVENT, false);
            } else if window.label() == "main" {
                if let Some(audience) = app.get_webview_window(commands::AUDIENCE_WINDOW) {
                    let _ = audience.close();
                }
                // Only if the library is free this instant: closing never waits on other work
                // (a meeting not paused here is paused at its last change on the next start).
                let state = app.state::<AppState>();
                if let Ok(mut guard) = state.library.try_lock() {
                    if let Some(lib) = guard.as_mut() {
                        if let Err(e) = lib.pause_running_meetings() {
                            eprintln!("debrief-app: could not pause the running meeting: {e}");
                        }
                    }
                };
            }
        })
        .build(tauri::generate_context!())
        .expect("error while building the Debrief app")
        .run(|_app, _event| {
            // macOS sends the files opened with Debrief as an event, not as arguments.
            #[cfg(target_os = "macos")]
            if let tauri::RunEvent::Opened { urls } = &_event {
                hand_over_opened(_app, opened::from_urls(urls.iter().map(|u| u.as_str())));
            }
        });
}

/// Grants the files opened with Debrief for reading (the user chose them in the file manager,
/// as in an open dialog), queues them for the window and tells it.
fn hand_over_opened<R: tauri::Runtime>(app: &tauri::AppHandle<R>, files: Vec<PathBuf>) {
    use tauri::{Emitter, Manager};
    if files.is_empty() {
        return;
    }
    let state = app.state::<AppState>();
    for f in &files {
        state.grants.grant_opened(f);
    }
    state.opened_files.lock().unwrap_or_else(|p| p.into_inner()).extend(files);
    let _ = app.emit(OPENED_FILES_EVENT, ());
}

/// Loads what the Insights screen counts from ([`Library::prepare_insights`]) on a thread of its
/// own, a moment after start-up so the window's first calls (the library list) go first: the
/// first visit to Insights then only counts. The similarity vectors, the longer part (reading
/// every stored document of the periods), are read on a worker handle, so the window's
/// commands (a search typed meanwhile) do not wait for them; the window's handle is held only
/// for the facts, read from SQLite.
fn prepare_insights_later(library: Arc<Mutex<Option<Library>>>) {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(2));
        let today = debrief::clock::today();
        let worker = {
            let guard = library.lock().unwrap_or_else(|p| p.into_inner());
            guard.as_ref().map(Library::worker)
        };
        if let Some(Ok(worker)) = worker {
            if let Err(e) = worker.prepare_insight_vectors(today) {
                eprintln!("debrief-app: could not prepare Insights: {e}");
            }
        }
        let guard = library.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(lib) = guard.as_ref() {
            if let Err(e) = lib.prepare_insights(today) {
                // Only a head start is lost: the screen loads the same on its first call, and
                // reports the error there.
                eprintln!("debrief-app: could not prepare Insights: {e}");
            }
        }
    });
}

/// How often the schedule of automatic backups is looked at.
const BACKUP_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Makes the automatic backups (see `Library::auto_backup_if_due`): a minute after start-up,
/// then every ten minutes, each on a worker handle so the window's commands are not held
/// while the copy is written.
fn back_up_on_schedule(library: Arc<Mutex<Option<Library>>>) {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(60));
        loop {
            let worker = {
                let guard = library.lock().unwrap_or_else(|p| p.into_inner());
                guard.as_ref().map(Library::worker)
            };
            match worker {
                Some(Ok(worker)) => {
                    if let Err(e) = worker.auto_backup_if_due(debrief::clock::now()) {
                        eprintln!("debrief-app: the automatic backup failed: {e}");
                    }
                }
                Some(Err(e)) => eprintln!("debrief-app: could not open the library for the automatic backup: {e}"),
                None => return,
            }
            std::thread::sleep(BACKUP_CHECK_EVERY);
        }
    });
}

/// Shows the main window and brings it to the front (a second instance was started).
fn focus_main_window<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::Manager;
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Opens the library in `dir` in place of the open one (File → Open library…, Recent
/// libraries). The new handle replaces the old in the shared state, so every command and
/// background task from now on uses it; work already running on a worker handle of the old
/// library finishes there. A meeting running in the old library is paused, as on closing.
/// The recent list and its menu follow. A folder that does not open leaves the open library
/// as it was.
pub(crate) async fn switch_library(
    app: &tauri::AppHandle,
    dir: PathBuf,
) -> Result<debrief::wire::LibraryStatus, error::CommandError> {
    use tauri::Manager;
    let state = app.state::<AppState>();
    let library = Arc::clone(&state.library);
    let opening = dir.clone();
    let status = tauri::async_runtime::spawn_blocking(move || -> debrief::Result<_> {
        let new = Library::open(&opening)?;
        let status = new.status()?;
        let mut guard = library.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(Err(e)) = guard.as_mut().map(Library::pause_running_meetings) {
            eprintln!("debrief-app: could not pause the running meeting: {e}");
        }
        *guard = Some(new);
        Ok(status)
    })
    .await
    .map_err(error::CommandError::internal)??;
    let dirs = {
        let mut recent = state.recent.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = recent.opened(&dir) {
            eprintln!("debrief-app: could not remember the library in the recent list: {e}");
        }
        recent.dirs().to_vec()
    };
    if let Err(e) = menu::refresh_recent(app, &dirs) {
        eprintln!("debrief-app: could not list the recent libraries in the menu: {e}");
    }
    Ok(status)
}
