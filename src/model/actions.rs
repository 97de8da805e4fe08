//! Action items: the follow-through of a postmortem.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Priority, P0 most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum Priority {
    P0,
    P1,
    P2,
    P3,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Priority; 4] = [Priority::P0, Priority::P1, Priority::P2, Priority::P3];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::P0 => "P0",
            Priority::P1 => "P1",
            Priority::P2 => "P2",
            Priority::P3 => "P3",
        }
    }

    /// Parses `P0`..`P3`, case-insensitive.
    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// What an item does for reliability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Detect,
    Mitigate,
    Prevent,
    Process,
}

impl ActionKind {
    /// Every kind.
    pub const ALL: [ActionKind; 4] =
        [ActionKind::Detect, ActionKind::Mitigate, ActionKind::Prevent, ActionKind::Process];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Detect => "detect",
            ActionKind::Mitigate => "mitigate",
            ActionKind::Prevent => "prevent",
            ActionKind::Process => "process",
        }
    }

    /// Parses a stored code.
    pub fn parse(s: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.as_str() == s.trim().to_ascii_lowercase())
    }
}

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    WontDo,
}

impl ActionStatus {
    /// Every status.
    pub const ALL: [ActionStatus; 4] =
        [ActionStatus::Open, ActionStatus::InProgress, ActionStatus::Done, ActionStatus::WontDo];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::WontDo => "wont_do",
        }
    }

    /// Parses `open`, `in_progress`, `in progress`, `done`, `wont_do`, `won't do`.
    pub fn parse(s: &str) -> Option<ActionStatus> {
        match s.trim().to_ascii_lowercase().replace(['-', ' '], "_").replace('\'', "").as_str() {
            "open" | "todo" | "to_do" | "pending" => Some(ActionStatus::Open),
            "in_progress" | "inprogress" => Some(ActionStatus::InProgress),
            "done" | "complete" | "completed" | "closed" => Some(ActionStatus::Done),
            "wont_do" | "wontdo" => Some(ActionStatus::WontDo),
            _ => None,
        }
    }

    /// Open or in progress: still owed.
    pub fn is_pending(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

/// One action item of a postmortem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionItem {
    pub id: String,
    pub title: String,
    pub description: String,
    /// One person, never a team.
    pub owner: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub priority: Priority,
    pub kind: ActionKind,
    pub status: ActionStatus,
    /// Why the item will not be done (status `wont_do`).
    pub wont_do_reason: Option<String>,
    pub tracker_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The 5-whys step the item came from, if any.
    pub source_step_id: Option<String>,
    /// The contributing factor the item came from, if any.
    pub source_factor_id: Option<String>,
}

impl ActionItem {
    /// Still owed and past its due date on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_pending() && self.due_date.is_some_and(|d| d < today)
    }
}
