//! The review workflow (Draft, In review, Final) with its guards, and the postmortem-required
//! criteria with the 48-hour draft deadline (PRODUCT.md "Definitions").

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Marker, Postmortem, ReviewStatus, Severity, Template};
use crate::{Error, Result};

/// Hours after resolution by which the draft is due.
pub const DRAFT_DUE_HOURS: i64 = 48;
/// Default share of a service's error budget above which one incident needs a postmortem.
pub const DEFAULT_BUDGET_THRESHOLD_PCT: f64 = 20.0;
/// Window in which an incident of the same category makes a pattern recurring.
pub const RECURRENCE_WINDOW_DAYS: i64 = 90;

/// Checks that `pm` may move from `from` to its status. Moving into review needs a named
/// reviewer; Final also needs every required section of the template written.
pub fn check_transition(pm: &Postmortem, from: ReviewStatus, template: Option<&Template>) -> Result<()> {
    use ReviewStatus::*;
    let to = pm.status;
    if to == from || matches!(to, Draft) {
        return Ok(()); // staying, or reopening to draft
    }
    if pm.reviewers.is_empty() {
        return Err(Error::invalid(
            "status",
            format!("name at least one reviewer before moving to {}", if to == Final { "Final" } else { "In review" }),
        ));
    }
    if to == Final {
        let missing: Vec<String> = template
            .map(|t| t.unwritten_required(&pm.sections).into_iter().map(|ts| ts.heading.clone()).collect())
            .unwrap_or_default();
        if !missing.is_empty() {
            return Err(Error::invalid(
                "status",
                format!("Final needs the required sections written: {}", missing.join(", ")),
            ));
        }
    }
    Ok(())
}

/// Whether a postmortem is required, why, and when its draft is due.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Requirement {
    /// At least one criterion is met: the incident needs a postmortem.
    pub required: bool,
    /// Each criterion met, in words ("SEV1 or SEV2", "near miss", ...).
    pub reasons: Vec<String>,
    /// 48 hours after the resolved marker; `None` without one.
    pub draft_due: Option<DateTime<Utc>>,
    /// Still a draft after the due time.
    pub draft_overdue: bool,
}

/// Assesses the criteria. `recurring` says whether another incident of one of its categories
/// happened in the 90 days before it (the library knows; see `Library::get`).
pub fn assess(pm: &Postmortem, recurring: bool, budget_threshold_pct: f64, now: DateTime<Utc>) -> Requirement {
    let mut reasons = Vec::new();
    if matches!(pm.severity, Severity::Sev1 | Severity::Sev2) {
        reasons.push(format!("{} incident", pm.severity.as_str()));
    }
    if let Some(b) = pm.error_budget_consumed_pct.filter(|b| *b > budget_threshold_pct) {
        reasons.push(format!("consumed {b}% of the error budget (more than {budget_threshold_pct}%)"));
    }
    if pm.data_impact.as_deref().is_some_and(|d| !d.trim().is_empty() && !d.trim().eq_ignore_ascii_case("none")) {
        reasons.push("data loss, corruption or exposure".into());
    }
    if recurring {
        reasons.push(format!("recurring: same category within {RECURRENCE_WINDOW_DAYS} days"));
    }
    if pm.near_miss {
        reasons.push("near miss".into());
    }
    if pm.novel_failure_mode {
        reasons.push("novel failure mode".into());
    }
    let draft_due = pm
        .timeline
        .iter()
        .find(|e| e.marker == Some(Marker::Resolved))
        .map(|e| e.at + Duration::hours(DRAFT_DUE_HOURS));
    Requirement {
        required: !reasons.is_empty(),
        reasons,
        draft_due,
        draft_overdue: pm.status == ReviewStatus::Draft && draft_due.is_some_and(|d| now > d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::new_id;
    use crate::model::{EventKind, TimelineEvent};
    use crate::review::templates;

    fn pm(status: ReviewStatus) -> Postmortem {
        let now = crate::clock::now();
        let mut pm = Postmortem::from_template("x", Severity::Sev3, now.date_naive(), &templates::standard(), now);
        pm.status = status;
        pm
    }

    #[test]
    fn review_needs_a_reviewer_and_final_needs_required_sections() {
        let t = templates::standard();
        let mut p = pm(ReviewStatus::InReview);
        let e = check_transition(&p, ReviewStatus::Draft, Some(&t)).unwrap_err();
        assert!(e.to_string().starts_with("status: name at least one reviewer"), "{e}");
        p.reviewers = vec!["Sofia Alvarez".into()];
        check_transition(&p, ReviewStatus::Draft, Some(&t)).unwrap();
        p.status = ReviewStatus::Final;
        let e = check_transition(&p, ReviewStatus::InReview, Some(&t)).unwrap_err().to_string();
        assert!(e.contains("Summary") && e.contains("Root cause analysis") && e.contains("Lessons learned"), "{e}");
        assert!(!e.contains("What went well"), "optional sections are not required: {e}");
        for s in &mut p.sections {
            s.body = format!("Written {}", s.key);
        }
        check_transition(&p, ReviewStatus::InReview, Some(&t)).unwrap();
        // Reopening is always allowed.
        p.status = ReviewStatus::Draft;
        check_transition(&p, ReviewStatus::Final, Some(&t)).unwrap();
    }

    #[test]
    fn criteria_and_the_draft_deadline() {
        let now = crate::clock::now();
        let mut p = pm(ReviewStatus::Draft);
        assert!(!assess(&p, false, 20.0, now).required);
        p.severity = Severity::Sev2;
        p.error_budget_consumed_pct = Some(25.0);
        p.data_impact = Some("1,200 rows of order history lost".into());
        p.near_miss = true;
        p.novel_failure_mode = true;
        let r = assess(&p, true, 20.0, now);
        assert_eq!(r.reasons.len(), 6, "{:?}", r.reasons);
        assert_eq!(r.draft_due, None);
        p.timeline.push(TimelineEvent {
            id: new_id(),
            at: now - Duration::hours(49),
            approximate: false,
            kind: EventKind::Resolution,
            marker: Some(Marker::Resolved),
            text: "resolved".into(),
        });
        let r = assess(&p, false, 20.0, now);
        assert_eq!(r.draft_due, Some(now - Duration::hours(1)));
        assert!(r.draft_overdue);
        p.status = ReviewStatus::InReview;
        assert!(!assess(&p, false, 20.0, now).draft_overdue);
        p.error_budget_consumed_pct = Some(20.0);
        assert!(
            !assess(&p, false, 20.0, now).reasons.iter().any(|r| r.contains("error budget")),
            "exactly 20% is not more than 20%"
        );
    }
}
