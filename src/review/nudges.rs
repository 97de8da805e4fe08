//! Nudges while writing action items (PRODUCT.md capability 7, seed 003: "most postmortem
//! action items never get completed"): an item needs one owner who is a person and a due
//! date; a postmortem needs at least one item and does better with five or fewer; an item
//! that asks people to try harder is not a fix. Nudges inform; nothing is blocked.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::language;
use crate::model::Postmortem;

/// More items than this and the list stops being a plan.
pub const MAX_ITEMS: usize = 5;

/// Words that mark an owner as a group rather than one person.
const TEAM_WORDS: [&str; 12] =
    ["team", "squad", "group", "guild", "crew", "dept", "department", "everyone", "all", "ops", "sre", "oncall"];

/// One nudge about the action items of a postmortem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Nudge {
    /// `action_items` for the list as a whole, else `action_items[i].owner` and so on.
    pub field: String,
    /// no_items, too_many_items, no_owner, team_owner, no_due_date, not_systemic.
    pub kind: String,
    /// The nudge, in words, for the author.
    pub message: String,
}

/// Whether `owner` names a group ("Platform team", "SRE", "@payments-oncall") not a person.
pub fn looks_like_team(owner: &str) -> bool {
    let lower = owner.trim().trim_start_matches('@').to_lowercase();
    lower.split(|c: char| !c.is_alphanumeric()).any(|word| TEAM_WORDS.contains(&word))
        || lower.ends_with("-team")
        || lower.ends_with("team")
}

/// The nudges for `pm`'s action items, in list order.
pub fn action_nudges(pm: &Postmortem) -> Vec<Nudge> {
    let mut out = Vec::new();
    let nudge = |field: String, kind: &str, message: String| Nudge { field, kind: kind.into(), message };
    let live: Vec<_> = pm.action_items.iter().enumerate().filter(|(_, a)| a.status.is_pending()).collect();
    if pm.action_items.is_empty() {
        out.push(nudge(
            "action_items".into(),
            "no_items",
            "No action items yet: a postmortem should leave at least one change behind that makes a repeat less \
             likely or less harmful."
                .into(),
        ));
    } else if live.len() > MAX_ITEMS {
        out.push(nudge(
            "action_items".into(),
            "too_many_items",
            format!(
                "{} open items: long lists are where items go to die. Keep the {MAX_ITEMS} that matter most and \
                 move the rest to a backlog.",
                live.len()
            ),
        ));
    }
    for (i, item) in live {
        match item.owner.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            None => out.push(nudge(
                format!("action_items[{i}].owner"),
                "no_owner",
                format!("\"{}\" has no owner: name one person who will see it through.", item.title),
            )),
            Some(owner) if looks_like_team(owner) => out.push(nudge(
                format!("action_items[{i}].owner"),
                "team_owner",
                format!("\"{owner}\" is a group: an item owned by everyone is owned by no one. Name one person."),
            )),
            Some(_) => {}
        }
        if item.due_date.is_none() {
            out.push(nudge(
                format!("action_items[{i}].due_date"),
                "no_due_date",
                format!("\"{}\" has no due date: items without one rarely get done.", item.title),
            ));
        }
        let text = format!("{}\n{}", item.title, item.description);
        for finding in language::check_text(&format!("action_items[{i}]"), &text, &[], false)
            .into_iter()
            .filter(|f| f.kind == "non_systemic_fix")
        {
            out.push(nudge(
                format!("action_items[{i}].title"),
                "not_systemic",
                format!("\"{}\" is not a systemic fix. {} {}", finding.text, finding.why, finding.suggestion),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_are_told_from_people() {
        for team in ["Platform team", "SRE", "@payments-oncall", "payments-team", "Ops", "Everyone", "DBA Squad"] {
            assert!(looks_like_team(team), "{team}");
        }
        for person in ["Priya Raman", "Marcus Chen", "@dana", "Allison Teal", "Opal Stream"] {
            assert!(!looks_like_team(person), "{person}");
        }
    }
}
