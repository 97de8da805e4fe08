//! The postmortem aggregate: header, impact, Markdown sections and everything attached to it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};
use ts_rs::TS;

use super::names;
use super::{ActionItem, ContributingFactor, Durations, Fishbone, TimelineEvent, WhysChain};

/// Incident severity (seed 004): SEV1 critical to SEV4 low.
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
#[serde(rename_all = "UPPERCASE")]
#[strum(serialize_all = "UPPERCASE")]
pub enum Severity {
    Sev1,
    Sev2,
    Sev3,
    Sev4,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 4] = names::array(Self::VARIANTS);

    /// The stored and displayed code, e.g. `SEV2`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses `SEV2`, `sev2`, `SEV-2` or `2`.
    pub fn parse(s: &str) -> Option<Severity> {
        let t: String = s.trim().to_ascii_uppercase().replace(['-', ' '], "");
        format!("SEV{}", t.trim_start_matches("SEV")).parse().ok()
    }
}

/// Where a postmortem is in its review.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, EnumString, IntoStaticStr, VariantArray,
)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ReviewStatus {
    Draft,
    InReview,
    Final,
}

impl ReviewStatus {
    /// Every status in workflow order.
    pub const ALL: [ReviewStatus; 3] = names::array(Self::VARIANTS);

    /// The stored code, e.g. `in_review`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses `draft`, `in_review`, `In review`, `in-review`, `review` or `final`.
    pub fn parse(s: &str) -> Option<ReviewStatus> {
        let code = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let code = match code.as_str() {
            "inreview" | "review" => "in_review",
            code => code,
        };
        code.parse().ok()
    }
}

/// One Markdown section of the document, in template order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Section {
    pub id: String,
    /// Stable key from the template (`summary`, `impact`, ...) or a slug of the heading.
    pub key: String,
    pub heading: String,
    pub body: String,
}

/// A person involved in the incident and their role in it (responder, scribe, SME, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Participant {
    pub name: String,
    pub role: String,
}

/// One recorded review-status transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusChange {
    pub from: ReviewStatus,
    pub to: ReviewStatus,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A postmortem with everything attached to it. This is the unit that is saved, revised,
/// exported and imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Postmortem {
    pub id: String,
    pub title: String,
    /// Calendar date of the incident (the day it started, UTC).
    pub incident_date: NaiveDate,
    pub severity: Severity,
    pub status: ReviewStatus,
    pub authors: Vec<String>,
    pub incident_commander: Option<String>,
    pub reviewers: Vec<String>,
    pub participants: Vec<Participant>,
    pub services: Vec<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// Name of the template the document was started from.
    pub template: Option<String>,
    /// A situation that could easily have become an incident.
    pub near_miss: bool,
    /// A failure mode nobody anticipated.
    pub novel_failure_mode: bool,
    // Impact.
    /// Share of users affected, 0 to 100.
    pub users_affected_pct: Option<f64>,
    /// Estimated revenue impact in the organisation's currency.
    pub revenue_impact: Option<f64>,
    #[ts(type = "number | null")]
    pub support_tickets: Option<i64>,
    /// Share of the service's error budget this incident consumed, 0 to 100 and beyond.
    pub error_budget_consumed_pct: Option<f64>,
    /// Any data loss, corruption or exposure, in words; empty when none.
    pub data_impact: Option<String>,
    pub sections: Vec<Section>,
    pub timeline: Vec<TimelineEvent>,
    pub whys: Vec<WhysChain>,
    pub fishbones: Vec<Fishbone>,
    pub contributing_factors: Vec<ContributingFactor>,
    pub action_items: Vec<ActionItem>,
    pub status_history: Vec<StatusChange>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A postmortem as the app and `debrief show` present it: the stored document plus what is
/// derived from it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PostmortemView {
    pub postmortem: Postmortem,
    pub durations: Durations,
    /// Number of earlier saved versions kept for this postmortem.
    #[ts(type = "number")]
    pub revisions: i64,
    /// Whether a postmortem is required and why, and when the draft is due.
    pub requirement: crate::review::workflow::Requirement,
}

/// One row of the library list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PostmortemSummary {
    pub id: String,
    pub title: String,
    pub incident_date: NaiveDate,
    pub severity: Severity,
    pub status: ReviewStatus,
    pub services: Vec<String>,
    pub categories: Vec<String>,
    pub near_miss: bool,
    #[ts(type = "number")]
    pub action_items_open: i64,
    #[ts(type = "number")]
    pub action_items_overdue: i64,
    /// Still a draft more than 48 hours after resolution.
    pub draft_overdue: bool,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::names::assert_serde_and_strum_agree;

    #[test]
    fn severity_names_agree_in_serde_and_strum() {
        assert_serde_and_strum_agree::<Severity>();
        assert_eq!(Severity::ALL, [Severity::Sev1, Severity::Sev2, Severity::Sev3, Severity::Sev4]);
        for s in ["SEV2", "sev2", "SEV-2", " Sev 2 ", "2"] {
            assert_eq!(Severity::parse(s), Some(Severity::Sev2), "{s:?}");
        }
        for s in ["SEV5", "SEV", "", "high"] {
            assert_eq!(Severity::parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn review_status_names_agree_in_serde_and_strum() {
        assert_serde_and_strum_agree::<ReviewStatus>();
        assert_eq!(ReviewStatus::ALL, [ReviewStatus::Draft, ReviewStatus::InReview, ReviewStatus::Final]);
        for s in ["in_review", "In review", "in-review", "InReview", "review"] {
            assert_eq!(ReviewStatus::parse(s), Some(ReviewStatus::InReview), "{s:?}");
        }
        assert_eq!(ReviewStatus::parse(" Final "), Some(ReviewStatus::Final));
        assert_eq!(ReviewStatus::parse("published"), None);
    }
}
