//! How a reader names the parts of a postmortem: a field (`incident_commander` → "Incident
//! commander") and an item of a list (`Action item "Add an alert"`), on the postmortem's JSON.
//! The team merge labels its conflicts with these, and the revision history its changes.

use serde_json::Value;

/// What identifies an item of a list: its `id`, else its `name` (participants, services),
/// else its `category` (ROI inputs).
pub fn item_key(item: &Value) -> Option<&str> {
    let o = item.as_object()?;
    ["id", "name", "category"].iter().find_map(|k| o.get(*k).and_then(Value::as_str))
}

/// A field's name as a reader says it: `incident_commander` → `Incident commander`.
pub fn field_label(key: &str) -> String {
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// An item of a list as a reader knows it: `Action item "Add an alert"`.
pub fn item_label(list: &str, item: Option<&Value>) -> String {
    let kind = match list {
        "Sections" => "Section",
        "Timeline" => "Timeline event",
        "Whys" => "5 whys",
        "Steps" => "Why",
        "Fishbones" => "Fishbone",
        "Categories" => "Fishbone category",
        "Causes" => "Cause",
        "Contributing factors" => "Contributing factor",
        "Action items" => "Action item",
        "Participants" => "Participant",
        "Conflicts" => "Conflict",
        other => other,
    };
    let text = item.and_then(Value::as_object).and_then(|o| {
        ["title", "heading", "problem", "effect", "text", "name", "answer", "description"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str).filter(|s| !s.trim().is_empty()))
    });
    match text {
        Some(t) => {
            let short: String = t.chars().take(40).collect();
            let more = if t.chars().count() > 40 { "…" } else { "" };
            format!("{kind} \"{}{more}\"", short.trim())
        }
        None => kind.to_string(),
    }
}
