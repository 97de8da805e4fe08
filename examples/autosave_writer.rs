//! The app's autosave, as a process the crash harness can kill: it opens a library, then saves
//! postmortem `ID` over and over through the core call the app's autosave makes
//! (`Library::save_edit` over the version it last got), changing one section each time, and
//! prints `saved N` after each save returns, N counting on from the number stored. Whatever it printed must be in the library after
//! a SIGKILL (tests/integration/crash.rs).
//!
//! Usage: autosave_writer LIBRARY_DIR ID

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(id)) = (args.next(), args.next()) else {
        eprintln!("usage: autosave_writer LIBRARY_DIR ID");
        std::process::exit(2);
    };
    let mut lib = debrief::Library::open(&dir).expect("open the library");
    let mut view = lib.get(&id).expect("the postmortem");
    // Numbers go on from the stored one, so a later run's acknowledgements are never below an
    // earlier run's.
    let stored = view.postmortem.sections[0].body.strip_prefix("autosave ").and_then(|n| n.parse::<u64>().ok());
    let stdout = std::io::stdout();
    for n in stored.unwrap_or(0) + 1.. {
        let mut pm = view.postmortem.clone();
        pm.sections[0].body = format!("autosave {n}");
        // Its first save starts an editing session; the rest continue it, as the page's do.
        view = lib.save_edit(pm, view.writes, n > stored.unwrap_or(0) + 1).expect("save");
        let mut out = stdout.lock();
        writeln!(out, "saved {n}").expect("stdout");
        out.flush().expect("stdout");
    }
}
