//! The native menu bar (File, Edit, View, Go, Help, and on macOS the app menu and Window), built from
//! `ui/src/lib/app-actions.json`: the table the command palette and the keyboard-shortcut sheet
//! read too, so the three never disagree. Choosing an item sends its action id to the main
//! window as a [`MENU_EVENT`]; the window runs it as the palette would. Cut, copy, paste and
//! select all are the platform's own items, and so are undo and redo on macOS.
//!
//! [`plan`] decides what each platform gets (pure, unit-tested for every platform); [`build`]
//! turns the plan into Tauri's menu.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Emitter, Runtime};

/// The event the main window hears when a menu item is chosen.
pub const MENU_EVENT: &str = "debrief://menu";

/// The id prefix of the items of File → Recent libraries (`recent:<index>`).
const RECENT_PREFIX: &str = "recent:";

const TABLE: &str = include_str!("../../ui/src/lib/app-actions.json");

#[derive(Deserialize)]
struct Table {
    menus: Vec<String>,
    actions: Vec<Action>,
}

/// One row of the actions table.
#[derive(Deserialize, Clone)]
struct Action {
    id: String,
    label: String,
    menu: Option<String>,
    keys: Option<String>,
    role: Option<String>,
    #[serde(default)]
    separator: bool,
    submenu: Option<String>,
}

/// What the window is told when an item is chosen.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct MenuChoice {
    /// The action's id in the table (`open-recent` for a recent library).
    pub action: String,
    /// For `open-recent`: which of the recent libraries, by its place in the list.
    pub index: Option<usize>,
}

/// The systems whose menus differ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Platform {
    MacOs,
    Windows,
    Linux,
}

impl Platform {
    /// The system this build runs on.
    pub fn current() -> Platform {
        if cfg!(target_os = "macos") {
            Platform::MacOs
        } else if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Linux
        }
    }
}

/// An entry of a planned menu.
#[derive(Debug, PartialEq)]
pub enum Entry {
    Separator,
    /// An item of ours: its id, label and accelerator.
    Item {
        id: String,
        label: String,
        accelerator: Option<String>,
    },
    /// An item the platform provides.
    Native(NativeItem),
    /// A submenu of the recent libraries (empty: one disabled item saying so).
    Recent {
        label: String,
        libraries: Vec<PathBuf>,
    },
}

/// The items the platform provides, with their own labels and keys.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NativeItem {
    Cut,
    Copy,
    Paste,
    SelectAll,
    Undo,
    Redo,
    /// macOS's app menu: Hide Debrief, Hide Others, Show All.
    Hide,
    HideOthers,
    ShowAll,
    /// macOS's Window menu: Minimize (Cmd+M), Zoom, Bring All to Front.
    Minimize,
    Maximize,
    BringAllToFront,
}

impl NativeItem {
    /// The item a `role` of the actions table names (`None` for a role the menu cannot build:
    /// a test keeps the table free of those).
    fn from_role(role: &str) -> Option<NativeItem> {
        Some(match role {
            "cut" => NativeItem::Cut,
            "copy" => NativeItem::Copy,
            "paste" => NativeItem::Paste,
            "select_all" => NativeItem::SelectAll,
            "undo" => NativeItem::Undo,
            "redo" => NativeItem::Redo,
            _ => return None,
        })
    }
}

/// The menus for `platform`: titles and entries, in order.
///
/// - macOS: an app menu ("Debrief") comes first and holds About and Quit, as Mac apps do;
///   undo and redo are the system's (without them Cmd+Z would not reach text fields).
///   A Window menu (Minimize, Zoom, Bring All to Front, the open windows) comes before Help.
/// - Windows and Linux: About is under Help and Quit under File; undo and redo are items of
///   ours without an accelerator, because the web view already handles Ctrl+Z and Ctrl+Shift+Z
///   in text fields and a menu accelerator would take the keys from it.
pub fn plan(platform: Platform, recent: &[PathBuf]) -> Vec<(String, Vec<Entry>)> {
    let table: Table = serde_json::from_str(TABLE).expect("ui/src/lib/app-actions.json is valid (tested)");
    let mac = platform == Platform::MacOs;
    let on_app_menu = |id: &str| mac && matches!(id, "about" | "quit");
    let mut menus = Vec::new();
    if mac {
        let find = |id: &str| table.actions.iter().find(|a| a.id == id).expect("about and quit are in the table");
        let item = |a: &Action| Entry::Item { id: a.id.clone(), label: a.label.clone(), accelerator: a.keys.clone() };
        menus.push((
            "Debrief".to_string(),
            vec![
                item(find("about")),
                Entry::Separator,
                Entry::Native(NativeItem::Hide),
                Entry::Native(NativeItem::HideOthers),
                Entry::Native(NativeItem::ShowAll),
                Entry::Separator,
                item(find("quit")),
            ],
        ));
    }
    for title in &table.menus {
        let mut entries = Vec::new();
        for a in table.actions.iter().filter(|a| a.menu.as_deref() == Some(title) && !on_app_menu(&a.id)) {
            if a.separator && !entries.is_empty() {
                entries.push(Entry::Separator);
            }
            let entry = match (a.role.as_deref(), a.submenu.as_deref()) {
                (_, Some("recent")) => Entry::Recent { label: a.label.clone(), libraries: recent.to_vec() },
                (Some("undo" | "redo"), _) if !mac => {
                    Entry::Item { id: a.id.clone(), label: a.label.clone(), accelerator: None }
                }
                (Some(role), _) => match NativeItem::from_role(role) {
                    Some(item) => Entry::Native(item),
                    None => continue,
                },
                (None, _) => Entry::Item { id: a.id.clone(), label: a.label.clone(), accelerator: a.keys.clone() },
            };
            entries.push(entry);
        }
        menus.push((title.clone(), entries));
    }
    if mac {
        // Mac apps have a Window menu before Help: Minimize (Cmd+M), Zoom, Bring All to Front,
        // and the open windows, which macOS lists itself (build marks it as the Window menu).
        // Enter Full Screen is not added: macOS puts it in the View menu by itself.
        let window = vec![
            Entry::Native(NativeItem::Minimize),
            Entry::Native(NativeItem::Maximize),
            Entry::Separator,
            Entry::Native(NativeItem::BringAllToFront),
        ];
        let help = menus.iter().position(|(title, _)| title == "Help").unwrap_or(menus.len());
        menus.insert(help, ("Window".to_string(), window));
    }
    menus
}

/// Builds the menu bar for this platform, with `recent` under File → Recent libraries.
pub fn build<R: Runtime>(app: &AppHandle<R>, recent: &[PathBuf]) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for (title, entries) in plan(Platform::current(), recent) {
        let submenu = Submenu::with_id(app, &title, &title, true)?;
        for entry in entries {
            append(app, &submenu, entry)?;
        }
        // macOS lists the open windows (the main one, the meeting's audience window) here.
        #[cfg(target_os = "macos")]
        if title == "Window" {
            submenu.set_as_windows_menu_for_nsapp()?;
        }
        menu.append(&submenu)?;
    }
    Ok(menu)
}

fn append<R: Runtime>(app: &AppHandle<R>, to: &Submenu<R>, entry: Entry) -> tauri::Result<()> {
    let item: Box<dyn IsMenuItem<R>> = match entry {
        Entry::Separator => Box::new(PredefinedMenuItem::separator(app)?),
        Entry::Item { id, label, accelerator } => Box::new(MenuItem::with_id(app, id, label, true, accelerator)?),
        Entry::Native(item) => Box::new(match item {
            NativeItem::Cut => PredefinedMenuItem::cut(app, None)?,
            NativeItem::Copy => PredefinedMenuItem::copy(app, None)?,
            NativeItem::Paste => PredefinedMenuItem::paste(app, None)?,
            NativeItem::SelectAll => PredefinedMenuItem::select_all(app, None)?,
            NativeItem::Undo => PredefinedMenuItem::undo(app, None)?,
            NativeItem::Redo => PredefinedMenuItem::redo(app, None)?,
            NativeItem::Hide => PredefinedMenuItem::hide(app, None)?,
            NativeItem::HideOthers => PredefinedMenuItem::hide_others(app, None)?,
            NativeItem::ShowAll => PredefinedMenuItem::show_all(app, None)?,
            NativeItem::Minimize => PredefinedMenuItem::minimize(app, None)?,
            NativeItem::Maximize => PredefinedMenuItem::maximize(app, None)?,
            NativeItem::BringAllToFront => PredefinedMenuItem::bring_all_to_front(app, None)?,
        }),
        Entry::Recent { label, libraries } => {
            let sub = Submenu::with_id(app, RECENT_MENU, label, true)?;
            fill_recent(app, &sub, &libraries)?;
            Box::new(sub)
        }
    };
    to.append(item.as_ref())
}

/// The id of File → Recent libraries.
const RECENT_MENU: &str = "recent-libraries";

fn fill_recent<R: Runtime>(app: &AppHandle<R>, sub: &Submenu<R>, libraries: &[PathBuf]) -> tauri::Result<()> {
    while sub.remove_at(0)?.is_some() {}
    if libraries.is_empty() {
        sub.append(&MenuItem::with_id(app, "recent-none", "No libraries yet", false, None::<&str>)?)?;
    }
    for (i, dir) in libraries.iter().enumerate() {
        let id = format!("{RECENT_PREFIX}{i}");
        sub.append(&MenuItem::with_id(app, id, dir.display().to_string(), true, None::<&str>)?)?;
    }
    Ok(())
}

/// Lists `libraries` under File → Recent libraries, in the menu the app already shows (setting
/// a new menu would put it back on the audience window).
pub fn refresh_recent<R: Runtime>(app: &AppHandle<R>, libraries: &[PathBuf]) -> tauri::Result<()> {
    let recent = app
        .menu()
        .and_then(|m| m.get("File"))
        .and_then(|f| f.as_submenu().and_then(|f| f.get(RECENT_MENU)))
        .and_then(|r| r.as_submenu().cloned());
    match recent {
        Some(sub) => fill_recent(app, &sub, libraries),
        None => Ok(()),
    }
}

/// What choosing the item `id` asks the window to do.
pub fn choice(id: &str) -> MenuChoice {
    match id.strip_prefix(RECENT_PREFIX).and_then(|i| i.parse().ok()) {
        Some(index) => MenuChoice { action: "open-recent".into(), index: Some(index) },
        None => MenuChoice { action: id.to_string(), index: None },
    }
}

/// Hands a chosen menu item to the main window (only: the audience window has no menu).
pub fn forward<R: Runtime>(app: &AppHandle<R>, id: &str) {
    let _ = app.emit_to("main", MENU_EVENT, choice(id));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(menus: &[(String, Vec<Entry>)]) -> Vec<&str> {
        menus.iter().map(|(t, _)| t.as_str()).collect()
    }

    fn ids(menus: &[(String, Vec<Entry>)], title: &str) -> Vec<String> {
        let (_, entries) = menus.iter().find(|(t, _)| t == title).unwrap();
        entries
            .iter()
            .map(|e| match e {
                Entry::Separator => "-".to_string(),
                Entry::Item { id, .. } => id.clone(),
                Entry::Native(item) => format!("native:{item:?}"),
                Entry::Recent { libraries, .. } => format!("recent({})", libraries.len()),
            })
            .collect()
    }

    fn accelerator(menus: &[(String, Vec<Entry>)], wanted: &str) -> Option<String> {
        menus.iter().flat_map(|(_, e)| e).find_map(|e| match e {
            Entry::Item { id, accelerator, .. } if id == wanted => Some(accelerator.clone().unwrap_or_default()),
            _ => None,
        })
    }

    #[test]
    fn linux_and_windows_have_file_edit_view_go_help_with_quit_in_file_and_about_in_help() {
        for platform in [Platform::Linux, Platform::Windows] {
            let menus = plan(platform, &[PathBuf::from("/libs/team")]);
            assert_eq!(titles(&menus), ["File", "Edit", "View", "Go", "Help"]);
            let file = ids(&menus, "File");
            assert_eq!(file.first().map(String::as_str), Some("new-postmortem"));
            assert!(file.contains(&"recent(1)".to_string()) && file.last().map(String::as_str) == Some("quit"));
            assert_eq!(ids(&menus, "Help").last().map(String::as_str), Some("about"));
            // Undo and redo are ours, without accelerators: the web view keeps Ctrl+Z.
            let edit = ids(&menus, "Edit");
            assert_eq!(&edit[..2], ["undo", "redo"]);
            assert_eq!(accelerator(&menus, "undo"), Some(String::new()));
            assert!(edit.contains(&"native:Copy".to_string()) && edit.contains(&"native:Paste".to_string()));
            assert_eq!(accelerator(&menus, "palette").as_deref(), Some("CmdOrCtrl+Shift+P"));
        }
    }

    #[test]
    fn macos_has_an_app_menu_with_about_and_quit_and_the_systems_undo() {
        let menus = plan(Platform::MacOs, &[]);
        assert_eq!(titles(&menus), ["Debrief", "File", "Edit", "View", "Go", "Window", "Help"]);
        assert_eq!(ids(&menus, "Window"), ["native:Minimize", "native:Maximize", "-", "native:BringAllToFront"]);
        let app = ids(&menus, "Debrief");
        assert_eq!(app.first().map(String::as_str), Some("about"));
        assert_eq!(app.last().map(String::as_str), Some("quit"));
        assert!(!ids(&menus, "File").contains(&"quit".to_string()));
        assert!(!ids(&menus, "Help").contains(&"about".to_string()));
        assert!(ids(&menus, "File").contains(&"recent(0)".to_string()));
        assert_eq!(&ids(&menus, "Edit")[..2], ["native:Undo", "native:Redo"]);
        // CmdOrCtrl is Cmd here: Tauri maps it; the table says it once for every platform.
        assert_eq!(accelerator(&menus, "new-postmortem").as_deref(), Some("CmdOrCtrl+N"));
    }

    #[test]
    fn every_menu_has_entries_and_no_separator_starts_or_doubles() {
        for platform in [Platform::Linux, Platform::Windows, Platform::MacOs] {
            for (title, entries) in plan(platform, &[]) {
                assert!(!entries.is_empty(), "{title}");
                assert_ne!(entries.first(), Some(&Entry::Separator), "{title}");
                assert_ne!(entries.last(), Some(&Entry::Separator), "{title}");
                assert!(!entries.windows(2).any(|w| w[0] == Entry::Separator && w[1] == Entry::Separator), "{title}");
            }
        }
    }

    #[test]
    fn every_accelerator_parses_and_none_is_used_twice() {
        let table: Table = serde_json::from_str(TABLE).unwrap();
        let mut seen = std::collections::HashSet::new();
        for a in table.actions.iter().filter(|a| a.menu.is_some()) {
            if let Some(keys) = &a.keys {
                assert!(keys.parse::<muda::accelerator::Accelerator>().is_ok(), "{}: {keys}", a.id);
                assert!(seen.insert(keys.clone()), "{keys} is used twice");
            }
        }
    }

    #[test]
    fn every_role_of_the_table_is_an_item_the_platform_provides() {
        // A role the menu cannot build would leave the item out of the menu bar.
        let table: Table = serde_json::from_str(TABLE).unwrap();
        for a in &table.actions {
            if let Some(role) = &a.role {
                assert!(NativeItem::from_role(role).is_some(), "{}: no platform item {role}", a.id);
            }
        }
    }

    #[test]
    fn a_recent_item_names_its_place_and_other_items_their_action() {
        assert_eq!(choice("recent:3"), MenuChoice { action: "open-recent".into(), index: Some(3) });
        assert_eq!(choice("go-insights"), MenuChoice { action: "go-insights".into(), index: None });
    }
}
