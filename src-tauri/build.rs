//! Declares the app's commands so Tauri generates an `allow-<command>` permission for each;
//! `capabilities/default.json` then grants the main window exactly those.

const COMMANDS: &[&str] = &[
    "library_status",
    "list_postmortems",
    "get_postmortem",
    "create_postmortem",
    "save_postmortem",
    "delete_postmortem",
    "list_templates",
    "get_taxonomy",
    "render_markdown",
    "get_setting",
    "set_setting",
    "current_user",
    "search",
    "similar_postmortems",
    "similar_to_draft",
    "save_template",
    "copy_template",
    "delete_template",
    "lint_postmortem",
    "parse_timeline",
    "add_timeline_events",
    "layout_fishbone",
    "export_fishbone",
    "factor_from_step",
    "factor_from_cause",
    "action_from_step",
    "action_from_factor",
    "action_nudges",
    "list_actions",
    "set_action_status",
    "update_action",
    "follow_through",
    "merge_timeline_events",
    "start_job",
    "cancel_job",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
