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
    /// The most severe; always needs a postmortem.
    Sev1,
    /// Always needs a postmortem.
    Sev2,
    /// Minor; the light template is suggested.
    Sev3,
    /// The least severe; the light template is suggested.
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
    /// Being written.
    Draft,
    /// With its reviewers; moving here needs at least one named.
    InReview,
    /// Reviewed and closed; moving here needs every required section written.
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
    /// Stable id, kept across saves, exports and imports.
    pub id: String,
    /// Stable key from the template (`summary`, `impact`, ...) or a slug of the heading.
    pub key: String,
    /// The heading as shown.
    pub heading: String,
    /// The section's text, in Markdown.
    pub body: String,
}

/// A person involved in the incident and their role in it (responder, scribe, SME, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Participant {
    /// The person's name.
    pub name: String,
    /// What they did in the incident or the review.
    pub role: String,
}

/// One recorded review-status transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusChange {
    /// The status before the change.
    pub from: ReviewStatus,
    /// The status after it.
    pub to: ReviewStatus,
    /// Who made the change: the user name set in the library, else the OS user's.
    pub by: String,
    /// When the change was saved.
    pub at: DateTime<Utc>,
}

/// A postmortem with everything attached to it. This is the unit that is saved, revised,
/// exported and imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Postmortem {
    /// Stable id, kept across saves, exports and imports.
    pub id: String,
    /// A one-line description of the incident.
    pub title: String,
    /// Calendar date of the incident (the day it started, UTC).
    pub incident_date: NaiveDate,
    /// How bad the incident was.
    pub severity: Severity,
    /// Where the postmortem is in its review.
    pub status: ReviewStatus,
    /// Who wrote the postmortem.
    pub authors: Vec<String>,
    /// Who led the response, if anyone did.
    pub incident_commander: Option<String>,
    /// Who reviews the postmortem; needed before it moves into review.
    pub reviewers: Vec<String>,
    /// Everyone else involved, with their roles.
    pub participants: Vec<Participant>,
    /// The services the incident affected, as the taxonomy names them.
    pub services: Vec<String>,
    /// The incident's failure modes, as the taxonomy names them.
    pub categories: Vec<String>,
    /// Free-form labels.
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
    /// Number of support tickets the incident raised.
    #[ts(type = "number | null")]
    pub support_tickets: Option<i64>,
    /// Share of the service's error budget this incident consumed, 0 to 100 and beyond.
    pub error_budget_consumed_pct: Option<f64>,
    /// Any data loss, corruption or exposure, in words; empty when none.
    pub data_impact: Option<String>,
    /// The Markdown sections, in the template's order.
    pub sections: Vec<Section>,
    /// The timeline, in the order the user gave it.
    pub timeline: Vec<TimelineEvent>,
    /// The 5-whys chains.
    pub whys: Vec<WhysChain>,
    /// The fishbone diagrams.
    pub fishbones: Vec<Fishbone>,
    /// Conditions that enabled or worsened the incident.
    pub contributing_factors: Vec<ContributingFactor>,
    /// The follow-up work.
    pub action_items: Vec<ActionItem>,
    /// Every review-status change, oldest first; kept by the core, not edited by clients.
    pub status_history: Vec<StatusChange>,
    /// When the postmortem was created.
    pub created_at: DateTime<Utc>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
    /// Front-matter keys of an imported Markdown file that Debrief has no field for, kept
    /// untouched so they are written back out on export (sorted by key).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    #[ts(type = "Record<string, unknown>")]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Fields two people of a team library changed differently: the field holds the first
    /// version until someone chooses, and every version is kept here (see `team::merge`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<FieldConflict>,
}

/// One field that two edits of a shared postmortem set differently. Nothing is lost: every
/// version is kept, with who wrote it, until someone chooses one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldConflict {
    /// Stable id, to choose a version by.
    pub id: String,
    /// Where the field is, from the postmortem down: object keys, and the id of an item in a
    /// list (`["action_items", "<id>", "owner"]`).
    pub path: Vec<String>,
    /// The field as a reader knows it (`Action item "Add an alert": owner`).
    pub label: String,
    /// The versions, the one the field holds first.
    pub versions: Vec<ConflictVersion>,
}

/// One side of a [`FieldConflict`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConflictVersion {
    /// Who wrote it (their git name), or "you" for this library's own edit.
    pub by: String,
    /// The field's value in this version, as the postmortem's JSON holds it.
    #[ts(type = "unknown")]
    pub value: serde_json::Value,
}

impl Postmortem {
    /// A new draft started from `template`: a fresh id, one section per template section holding
    /// its starting text, and nothing else filled in yet.
    pub fn from_template(
        title: &str,
        severity: Severity,
        incident_date: NaiveDate,
        template: &super::Template,
        now: DateTime<Utc>,
    ) -> Postmortem {
        let sections = template
            .sections
            .iter()
            .map(|s| Section {
                id: crate::clock::new_id(),
                key: s.key.clone(),
                heading: s.heading.clone(),
                body: s.placeholder.clone(),
            })
            .collect();
        Postmortem {
            id: crate::clock::new_id(),
            title: title.trim().to_string(),
            incident_date,
            severity,
            status: ReviewStatus::Draft,
            authors: vec![],
            incident_commander: None,
            reviewers: vec![],
            participants: vec![],
            services: vec![],
            categories: vec![],
            tags: vec![],
            template: Some(template.name.clone()),
            near_miss: false,
            novel_failure_mode: false,
            users_affected_pct: None,
            revenue_impact: None,
            support_tickets: None,
            error_budget_consumed_pct: None,
            data_impact: None,
            sections,
            timeline: vec![],
            whys: vec![],
            fishbones: vec![],
            contributing_factors: vec![],
            action_items: vec![],
            status_history: vec![],
            created_at: now,
            updated_at: now,
            extra: serde_json::Map::new(),
            conflicts: vec![],
        }
    }
}

/// A postmortem as the app and `debrief show` present it: the stored document plus what is
/// derived from it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PostmortemView {
    /// The stored document.
    pub postmortem: Postmortem,
    /// Durations derived from the timeline's markers.
    pub durations: Durations,
    /// Number of earlier saved versions kept for this postmortem.
    #[ts(type = "number")]
    pub revisions: i64,
    /// How many times it has been written: the version an editor opened, which its saves name
    /// (`Library::save_edit`) so a save from a stale copy is refused.
    #[ts(type = "number")]
    pub writes: i64,
    /// Whether a postmortem is required and why, and when the draft is due.
    pub requirement: crate::review::workflow::Requirement,
}

/// One row of the library list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PostmortemSummary {
    /// The postmortem's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Calendar date of the incident.
    pub incident_date: NaiveDate,
    /// Its severity.
    pub severity: Severity,
    /// Its review status.
    pub status: ReviewStatus,
    /// The services it affected.
    pub services: Vec<String>,
    /// Its categories.
    pub categories: Vec<String>,
    /// A near miss rather than an incident.
    pub near_miss: bool,
    /// Action items still open or in progress.
    #[ts(type = "number")]
    pub action_items_open: i64,
    /// Of those, items past their due date.
    #[ts(type = "number")]
    pub action_items_overdue: i64,
    /// Still a draft more than 48 hours after resolution.
    pub draft_overdue: bool,
    /// When it was last saved.
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
