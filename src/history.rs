//! Revision history: the rules for which revisions are kept (one per editing session, thinned
//! with age) and a readable diff of two versions of a postmortem, field by field and section
//! by section.
//!
//! The policy, stated once (README "Data safety" repeats it):
//! - A save keeps the version it replaces, unless it is an editor's autosave that continues
//!   its editing session (the page saved before and nothing made it start over) within
//!   [`SESSION_GAP_MINUTES`] of its previous save: a session keeps one revision, the version it
//!   started from. Every other write (the CLI, the board, a status change, "Keep mine", an
//!   import, a team sync, a restore) keeps one.
//! - The newest [`KEEP_NEWEST`] revisions of a postmortem are always kept, and so is every
//!   revision younger than [`KEEP_ALL_DAYS`] days.
//! - Older than that, the newest revision of each calendar month is kept.

use chrono::{DateTime, Datelike, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::model::labels::{field_label, item_key, item_label};
use crate::model::Postmortem;
use crate::store::revisions::Kept;
use crate::wire::{DiffLine, FieldChange, LineChange};

/// Minutes without an edit after which the next edit starts a new editing session.
pub const SESSION_GAP_MINUTES: i64 = 15;
/// Revisions of a postmortem always kept, whatever their age.
pub const KEEP_NEWEST: usize = 20;
/// Days during which every revision is kept.
pub const KEEP_ALL_DAYS: i64 = 30;

/// Why a revision was kept: what replaced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Why {
    /// Edited (in the app, the CLI, the board, a conflict settled).
    Edit,
    /// Overwritten by an import (a JSON or Markdown file with the same id, a timeline CSV).
    Import,
    /// Changed by a team-library sync.
    Sync,
    /// Replaced by restoring an older revision.
    Restore,
}

impl Why {
    /// The name stored in `revisions.reason`.
    pub fn as_str(self) -> &'static str {
        match self {
            Why::Edit => "edit",
            Why::Import => "import",
            Why::Sync => "sync",
            Why::Restore => "restore",
        }
    }

    /// The reason named `s` (as [`Why::as_str`] writes it).
    pub fn parse(s: &str) -> Option<Why> {
        [Why::Edit, Why::Import, Why::Sync, Why::Restore].into_iter().find(|w| w.as_str() == s)
    }
}

/// Whether an edit at `now`, over a version written at `written_at`, belongs to the editing
/// session that kept `newest`: that revision was kept by an edit, and the version being
/// replaced was written less than [`SESSION_GAP_MINUTES`] ago (by that session, since any
/// other kind of write would have kept a newer revision).
pub fn same_session(newest: &Kept, written_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    newest.reason == Why::Edit && now.signed_duration_since(written_at) < Duration::minutes(SESSION_GAP_MINUTES)
}

/// The numbers of the revisions (`all`, newest first) that the policy no longer keeps at `now`.
pub fn to_prune(all: &[Kept], now: DateTime<Utc>) -> Vec<i64> {
    let mut months_seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (i, k) in all.iter().enumerate() {
        let young = now.signed_duration_since(k.saved_at) < Duration::days(KEEP_ALL_DAYS);
        // Newest first: the first revision met in a month is that month's newest.
        let first_of_month = months_seen.insert((k.saved_at.year(), k.saved_at.month()));
        if i < KEEP_NEWEST || young || first_of_month {
            continue;
        }
        out.push(k.number);
    }
    out
}

/// What changed from `before` to `after`, field by field: sections, timeline events, action
/// items and the other lists item by item (matched by id), long text line by line. Times the
/// core keeps (`updated_at`, the status history) are left out.
pub fn diff(before: &Postmortem, after: &Postmortem) -> Vec<FieldChange> {
    let (a, b) = (
        serde_json::to_value(before).expect("model serializes"),
        serde_json::to_value(after).expect("model serializes"),
    );
    let mut out = Vec::new();
    let (Value::Object(a), Value::Object(b)) = (&a, &b) else { return out };
    for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
        if matches!(key.as_str(), "id" | "created_at" | "updated_at" | "status_history") {
            continue;
        }
        let null = Value::Null;
        walk(a.get(key).unwrap_or(&null), b.get(key).unwrap_or(&null), &mut vec![field_label(key)], &mut out);
    }
    out
}

fn walk(a: &Value, b: &Value, label: &mut Vec<String>, out: &mut Vec<FieldChange>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                if key == "id" {
                    continue;
                }
                let null = Value::Null;
                label.push(field_label(key));
                walk(x.get(key).unwrap_or(&null), y.get(key).unwrap_or(&null), label, out);
                label.pop();
            }
        }
        (Value::Array(x), Value::Array(y)) if is_item_list(x) && is_item_list(y) => items(x, y, label, out),
        (Value::Array(x), Value::Null) if is_item_list(x) => items(x, &[], label, out),
        (Value::Null, Value::Array(y)) if is_item_list(y) => items(&[], y, label, out),
        (Value::String(x), Value::String(y)) if x.contains('\n') || y.contains('\n') => out.push(FieldChange {
            label: label.join(": "),
            change: LineChange::Changed,
            before: Some(x.clone()),
            after: Some(y.clone()),
            lines: lines(x, y),
        }),
        _ => out.push(FieldChange {
            label: label.join(": "),
            change: match (a.is_null(), b.is_null()) {
                (true, false) => LineChange::Added,
                (false, true) => LineChange::Removed,
                _ => LineChange::Changed,
            },
            before: shown(a),
            after: shown(b),
            lines: Vec::new(),
        }),
    }
}

/// A list whose entries are objects with an identity (sections, events, action items...);
/// an empty list is one too, so emptying a list shows each item removed.
fn is_item_list(list: &[Value]) -> bool {
    list.iter().all(|v| item_key(v).is_some())
}

fn items(a: &[Value], b: &[Value], label: &mut Vec<String>, out: &mut Vec<FieldChange>) {
    let kind = label.last().cloned().unwrap_or_default();
    let find = |list: &[Value], key: &str| list.iter().find(|v| item_key(v) == Some(key)).cloned();
    for x in a {
        let key = item_key(x).unwrap_or_default();
        let this = item_label(&kind, Some(x));
        match find(b, key) {
            Some(y) => {
                let name = label.pop();
                label.push(item_label(&kind, Some(&y)));
                walk(x, &y, label, out);
                label.pop();
                label.extend(name);
            }
            None => out.push(FieldChange {
                label: with_last(label, this),
                change: LineChange::Removed,
                before: shown(x),
                after: None,
                lines: Vec::new(),
            }),
        }
    }
    for y in b.iter().filter(|y| find(a, item_key(y).unwrap_or_default()).is_none()) {
        out.push(FieldChange {
            label: with_last(label, item_label(&kind, Some(y))),
            change: LineChange::Added,
            before: None,
            after: shown(y),
            lines: Vec::new(),
        });
    }
}

/// `label` with its last part replaced by `last`, joined for display.
fn with_last(label: &[String], last: String) -> String {
    let mut parts: Vec<String> = label[..label.len().saturating_sub(1)].to_vec();
    parts.push(last);
    parts.join(": ")
}

/// A value as a reader would see it: text as written, lists of names joined, an item by
/// its main text.
fn shown(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(if *b { "yes" } else { "no" }.into()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(list) => Some(list.iter().filter_map(shown).collect::<Vec<_>>().join(", ")),
        Value::Object(o) => ["title", "heading", "problem", "effect", "text", "name", "answer", "description"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_str).filter(|s| !s.trim().is_empty()))
            .map(str::to_string)
            .or_else(|| Some(v.to_string())),
    }
}

/// A line-by-line diff of two texts, with three lines of context around each change.
fn lines(a: &str, b: &str) -> Vec<DiffLine> {
    let patch = diffy::create_patch(a, b);
    let mut out = Vec::new();
    for hunk in patch.hunks() {
        for line in hunk.lines() {
            let (change, text) = match line {
                diffy::Line::Context(t) => (LineChange::Same, t),
                diffy::Line::Delete(t) => (LineChange::Removed, t),
                diffy::Line::Insert(t) => (LineChange::Added, t),
            };
            out.push(DiffLine { change, text: text.trim_end_matches('\n').to_string() });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    fn kept(number: i64, saved_at: DateTime<Utc>) -> Kept {
        Kept { number, saved_at, reason: Why::Edit }
    }

    #[test]
    fn the_newest_twenty_and_the_last_thirty_days_are_always_kept() {
        let now = at(2026, 12, 1);
        // 40 revisions a day apart, newest first: 20 newest (and 30 days) are kept.
        let all: Vec<Kept> = (0..40).map(|i| kept(40 - i, now - Duration::days(i))).collect();
        let pruned = to_prune(&all, now);
        assert!(pruned.iter().all(|n| *n <= 10), "{pruned:?}");
        // Of the 10 older than 30 days (Oct 23 .. Nov 1) only the newest of October stays:
        // November's newest is a young one.
        assert_eq!(pruned, vec![10, 8, 7, 6, 5, 4, 3, 2, 1]);
    }

    #[test]
    fn older_revisions_thin_to_one_per_month() {
        let now = at(2026, 12, 1);
        let mut all: Vec<Kept> = (0..20).map(|i| kept(100 - i, now - Duration::hours(i))).collect();
        // Then three a month for six months, a year ago.
        let mut n = 80;
        for month in (1..=6).rev() {
            for day in [20, 10, 1] {
                all.push(kept(n, at(2025, month, day)));
                n -= 1;
            }
        }
        let kept_numbers: Vec<i64> =
            all.iter().map(|k| k.number).filter(|n| !to_prune(&all, now).contains(n)).collect();
        assert_eq!(kept_numbers.len(), 20 + 6);
    }

    #[test]
    fn a_session_is_edits_less_than_the_gap_apart_after_an_edit() {
        let now = at(2026, 12, 1);
        let newest = kept(3, now - Duration::minutes(40));
        assert!(same_session(&newest, now - Duration::minutes(5), now));
        assert!(!same_session(&newest, now - Duration::minutes(20), now));
        let imported = Kept { reason: Why::Import, ..newest.clone() };
        assert!(!same_session(&imported, now - Duration::minutes(5), now));
    }

    #[test]
    fn diff_names_fields_items_and_lines() {
        let doc: crate::exchange::json::LibraryDocument =
            serde_json::from_str(include_str!("sample/sample-library.json")).expect("sample parses");
        let before = doc.postmortems[0].clone();
        let mut after = before.clone();
        after.title = "A new title".into();
        after.sections[0].body.push_str("\nOne more line.");
        after.action_items.remove(0);
        after.tags.push("new-tag".into());
        let changes = diff(&before, &after);
        let labels: Vec<&str> = changes.iter().map(|c| c.label.as_str()).collect();
        assert!(labels.contains(&"Title"), "{labels:?}");
        assert!(labels.iter().any(|l| l.starts_with("Section \"") && l.ends_with(": Body")), "{labels:?}");
        let removed = changes.iter().find(|c| c.change == LineChange::Removed).expect("a removed item");
        assert!(removed.label.starts_with("Action item \""), "{}", removed.label);
        let body = changes.iter().find(|c| c.label.ends_with(": Body")).unwrap();
        assert!(
            body.lines.iter().any(|l| l.change == LineChange::Added && l.text == "One more line."),
            "{:?}",
            body.lines
        );
        assert!(diff(&before, &before).is_empty());
    }
}
