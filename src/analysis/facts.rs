//! What the analytics need to know of each incident, loaded once for the whole library
//! (`store::analytics::facts`) and then counted by pure functions. Nothing here reads SQLite.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::model::{Marker, ReviewStatus, Severity};

/// The times of one incident's key timeline markers (the first event carrying each).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MarkerTimes {
    /// When the impact began.
    pub started: Option<DateTime<Utc>>,
    /// When someone or something noticed.
    pub detected: Option<DateTime<Utc>>,
    /// When a responder took it on.
    pub acknowledged: Option<DateTime<Utc>>,
    /// When the impact stopped growing or was worked around.
    pub mitigated: Option<DateTime<Utc>>,
    /// When the incident was over.
    pub resolved: Option<DateTime<Utc>>,
}

impl MarkerTimes {
    /// Records `at` for `marker` unless an earlier event already carried it.
    pub fn set_first(&mut self, marker: Marker, at: DateTime<Utc>) {
        let slot = match marker {
            Marker::Started => &mut self.started,
            Marker::Detected => &mut self.detected,
            Marker::Acknowledged => &mut self.acknowledged,
            Marker::Mitigated => &mut self.mitigated,
            Marker::Resolved => &mut self.resolved,
        };
        if slot.is_none() {
            *slot = Some(at);
        }
    }
}

/// How long an incident had an impact, and which fallbacks it took to say so.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImpactSpan {
    /// Minutes from the start (or detection) to the resolution (or mitigation).
    pub minutes: f64,
    /// The start was missing, so detection stood in for it.
    pub start_from_detection: bool,
    /// The resolution was missing, so mitigation stood in for it.
    pub end_from_mitigation: bool,
}

/// One incident as the analytics see it.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFacts {
    /// The postmortem's id.
    pub id: String,
    /// Its title, to list it behind a figure.
    pub title: String,
    /// The day the incident started.
    pub incident_date: NaiveDate,
    /// How bad it was.
    pub severity: Severity,
    /// Where its review stands now.
    pub status: ReviewStatus,
    /// A situation that could easily have become an incident.
    pub near_miss: bool,
    /// Services affected, as the taxonomy names them.
    pub services: Vec<String>,
    /// Failure modes, as the taxonomy names them.
    pub categories: Vec<String>,
    /// Root-cause types its contributing factors are filed under.
    pub root_cause_types: Vec<String>,
    /// Share of users affected, 0 to 100, when known.
    pub users_affected_pct: Option<f64>,
    /// Its key timeline markers.
    pub markers: MarkerTimes,
    /// When the draft first left Draft (moved to review or final), if it has.
    pub left_draft_at: Option<DateTime<Utc>>,
}

impl IncidentFacts {
    /// The impact span: started to resolved, with detection standing in for a missing start
    /// and mitigation for a missing resolution (each fallback flagged). `None` when no start
    /// or detection, or no resolution or mitigation, was recorded, or the end is before the
    /// start.
    pub fn impact_span(&self) -> Option<ImpactSpan> {
        let m = &self.markers;
        let (start, start_from_detection) = match (m.started, m.detected) {
            (Some(s), _) => (s, false),
            (None, Some(d)) => (d, true),
            (None, None) => return None,
        };
        let (end, end_from_mitigation) = match (m.resolved, m.mitigated) {
            (Some(r), _) => (r, false),
            (None, Some(mi)) => (mi, true),
            (None, None) => return None,
        };
        let minutes = (end - start).num_seconds() as f64 / 60.0;
        (minutes >= 0.0).then_some(ImpactSpan { minutes, start_from_detection, end_from_mitigation })
    }

    /// Whether the postmortem's draft left Draft within `hours` of the resolution. `None`
    /// when the incident has no resolution marker, or is still a draft whose deadline has not
    /// passed by `now`.
    pub fn draft_within(&self, hours: i64, now: DateTime<Utc>) -> Option<bool> {
        let due = self.markers.resolved? + Duration::hours(hours);
        match self.left_draft_at {
            Some(left) => Some(left <= due),
            None if now > due => Some(false),
            None => None,
        }
    }
}

/// The incidents of `facts`, oldest first (as the library loads them), dated `from` to `to`,
/// both included; `from` `None`: from the first. A slice found by bisection: a figure handed
/// only the days it can look at spares a pass over the rest of the library.
pub fn dated(facts: &[IncidentFacts], from: Option<NaiveDate>, to: NaiveDate) -> &[IncidentFacts] {
    let start = from.map_or(0, |from| facts.partition_point(|f| f.incident_date < from));
    let end = facts.partition_point(|f| f.incident_date <= to);
    &facts[start..end.max(start)]
}

#[cfg(test)]
impl IncidentFacts {
    /// A SEV2 draft titled "incident {id}" with nothing else known, for tests to fill in with
    /// struct update syntax.
    pub(crate) fn example(id: &str, incident_date: NaiveDate) -> IncidentFacts {
        IncidentFacts {
            id: id.into(),
            title: format!("incident {id}"),
            incident_date,
            severity: Severity::Sev2,
            status: ReviewStatus::Draft,
            near_miss: false,
            services: vec![],
            categories: vec![],
            root_cause_types: vec![],
            users_affected_pct: None,
            markers: MarkerTimes::default(),
            left_draft_at: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(2026, 3, 1, h, m, 0).unwrap())
    }

    fn facts(markers: MarkerTimes) -> IncidentFacts {
        IncidentFacts { markers, ..IncidentFacts::example("i", NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()) }
    }

    #[test]
    fn the_impact_span_runs_from_start_to_resolution() {
        let f =
            facts(MarkerTimes { started: at(10, 0), detected: at(10, 5), resolved: at(11, 30), ..Default::default() });
        assert_eq!(
            f.impact_span(),
            Some(ImpactSpan { minutes: 90.0, start_from_detection: false, end_from_mitigation: false })
        );
    }

    #[test]
    fn detection_stands_in_for_a_missing_start_and_mitigation_for_a_missing_resolution_and_says_so() {
        let f = facts(MarkerTimes { detected: at(10, 5), mitigated: at(10, 35), ..Default::default() });
        assert_eq!(
            f.impact_span(),
            Some(ImpactSpan { minutes: 30.0, start_from_detection: true, end_from_mitigation: true })
        );
    }

    #[test]
    fn no_span_without_an_end_or_with_an_end_before_the_start() {
        assert_eq!(facts(MarkerTimes { started: at(10, 0), ..Default::default() }).impact_span(), None);
        assert_eq!(facts(MarkerTimes { resolved: at(10, 0), ..Default::default() }).impact_span(), None);
        let backwards = facts(MarkerTimes { started: at(11, 0), resolved: at(10, 0), ..Default::default() });
        assert_eq!(backwards.impact_span(), None);
    }

    #[test]
    fn a_draft_is_on_time_when_it_left_draft_within_the_hours_after_resolution() {
        let mut f = facts(MarkerTimes { resolved: at(10, 0), ..Default::default() });
        let later = |h| Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap() + Duration::hours(h);
        assert_eq!(f.draft_within(48, later(1)), None, "still inside the window");
        assert_eq!(f.draft_within(48, later(49)), Some(false), "still a draft after 48 hours");
        f.left_draft_at = Some(later(48));
        assert_eq!(f.draft_within(48, later(100)), Some(true), "exactly at the deadline counts");
        f.left_draft_at = Some(later(48) + Duration::seconds(1));
        assert_eq!(f.draft_within(48, later(100)), Some(false));
        f.markers.resolved = None;
        assert_eq!(f.draft_within(48, later(100)), None, "no resolution, no deadline");
    }
}
