//! Action items: the follow-through of a postmortem.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};
use ts_rs::TS;

use super::names;

/// Priority, P0 most urgent.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    TS,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[ts(export)]
pub enum Priority {
    /// Most urgent.
    P0,
    /// Urgent.
    P1,
    /// Normal: the priority an imported item without one gets.
    P2,
    /// Least urgent.
    P3,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Priority; 4] = names::array(Self::VARIANTS);

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses `P0`..`P3`, case-insensitive.
    pub fn parse(s: &str) -> Option<Priority> {
        s.trim().to_ascii_uppercase().parse().ok()
    }
}

/// What an item does for reliability.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, EnumString, IntoStaticStr, VariantArray,
)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ActionKind {
    /// Finds the problem sooner (an alert, a check, a dashboard).
    Detect,
    /// Limits the harm when it happens again (a timeout, a fallback, a dead-letter queue).
    Mitigate,
    /// Stops it from happening again.
    Prevent,
    /// Changes how people and teams work: ownership, runbooks, routing, review.
    Process,
}

impl ActionKind {
    /// Every kind.
    pub const ALL: [ActionKind; 4] = names::array(Self::VARIANTS);

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses a stored code, case-insensitive.
    pub fn parse(s: &str) -> Option<ActionKind> {
        s.trim().to_ascii_lowercase().parse().ok()
    }
}

/// Where an item stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, EnumString, IntoStaticStr, VariantArray,
)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ActionStatus {
    /// Not started.
    Open,
    /// Being worked on.
    InProgress,
    /// Finished; `completed_at` says when.
    Done,
    /// Decided against; `wont_do_reason` says why.
    WontDo,
}

impl ActionStatus {
    /// Every status.
    pub const ALL: [ActionStatus; 4] = names::array(Self::VARIANTS);

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses `open`, `in_progress`, `in progress`, `done`, `wont_do`, `won't do`, and the
    /// words trackers use for them (`todo`, `pending`, `completed`, `closed`, ...).
    pub fn parse(s: &str) -> Option<ActionStatus> {
        let code = s.trim().to_ascii_lowercase().replace(['-', ' '], "_").replace('\'', "");
        let code = match code.as_str() {
            "todo" | "to_do" | "pending" => "open",
            "inprogress" => "in_progress",
            "complete" | "completed" | "closed" => "done",
            "wontdo" => "wont_do",
            code => code,
        };
        code.parse().ok()
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
    /// Stable id, kept across saves, exports and imports.
    pub id: String,
    /// What is to be done, in a line.
    pub title: String,
    /// Details; may be empty.
    pub description: String,
    /// One person, never a team.
    pub owner: Option<String>,
    /// When it is due; `None` when no date was set.
    pub due_date: Option<NaiveDate>,
    /// How urgent it is.
    pub priority: Priority,
    /// What it does for reliability.
    pub kind: ActionKind,
    /// Where it stands.
    pub status: ActionStatus,
    /// Why the item will not be done (status `wont_do`).
    pub wont_do_reason: Option<String>,
    /// A link to the same item in an issue tracker.
    pub tracker_url: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was marked done; cleared if it is reopened.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::names::assert_serde_and_strum_agree;

    #[test]
    fn priority_names_agree_in_serde_and_strum() {
        assert_serde_and_strum_agree::<Priority>();
        assert_eq!(Priority::ALL, [Priority::P0, Priority::P1, Priority::P2, Priority::P3]);
        assert_eq!(Priority::parse(" p1 "), Some(Priority::P1));
        assert_eq!(Priority::parse("P4"), None);
    }

    #[test]
    fn action_kind_names_agree_in_serde_and_strum() {
        assert_serde_and_strum_agree::<ActionKind>();
        assert_eq!(
            ActionKind::ALL,
            [ActionKind::Detect, ActionKind::Mitigate, ActionKind::Prevent, ActionKind::Process]
        );
        assert_eq!(ActionKind::parse(" Detect"), Some(ActionKind::Detect));
        assert_eq!(ActionKind::parse("fix"), None);
    }

    #[test]
    fn action_status_names_agree_in_serde_and_strum() {
        assert_serde_and_strum_agree::<ActionStatus>();
        assert_eq!(
            ActionStatus::ALL,
            [ActionStatus::Open, ActionStatus::InProgress, ActionStatus::Done, ActionStatus::WontDo]
        );
        let parsed = |s: &str| ActionStatus::parse(s);
        assert_eq!(parsed("In progress"), Some(ActionStatus::InProgress));
        assert_eq!(parsed("in-progress"), Some(ActionStatus::InProgress));
        assert_eq!(parsed("Won't do"), Some(ActionStatus::WontDo));
        assert_eq!(parsed("to-do"), Some(ActionStatus::Open));
        assert_eq!(parsed("Closed"), Some(ActionStatus::Done));
        assert_eq!(parsed("wont"), None);
    }
}
