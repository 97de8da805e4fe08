//! Timeline events and the durations derived from their key markers.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};
use ts_rs::TS;

use super::names;

/// What kind of moment an event records (PRODUCT.md capability 5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, EnumString, IntoStaticStr, VariantArray,
)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    /// What set the incident off (a deploy, a config change, a failure).
    Trigger,
    /// The first sign that something was wrong.
    Detection,
    /// A responder took it on.
    Acknowledgement,
    /// More people or teams were brought in.
    Escalation,
    /// A choice the responders made.
    Decision,
    /// Something the responders did.
    Action,
    /// An update to users, stakeholders or the status page.
    Communication,
    /// The harm stopped or was limited.
    Mitigation,
    /// The incident was over.
    Resolution,
    /// Anything else worth recording.
    Other,
}

impl EventKind {
    /// Every kind, in the order a timeline usually tells them.
    pub const ALL: [EventKind; 10] = names::array(Self::VARIANTS);

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses a stored code, case-insensitive.
    pub fn parse(s: &str) -> Option<EventKind> {
        s.trim().to_ascii_lowercase().parse().ok()
    }
}

/// A key moment from which durations are derived. At most one event carries each marker.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, EnumString, IntoStaticStr, VariantArray,
)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Marker {
    /// The incident began.
    Started,
    /// It was noticed.
    Detected,
    /// A responder took it on.
    Acknowledged,
    /// The harm stopped or was limited.
    Mitigated,
    /// It was over.
    Resolved,
}

impl Marker {
    /// Every marker in the order they happen.
    pub const ALL: [Marker; 5] = names::array(Self::VARIANTS);

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses a stored code, case-insensitive.
    pub fn parse(s: &str) -> Option<Marker> {
        s.trim().to_ascii_lowercase().parse().ok()
    }

    /// The marker an event of `kind` usually sets (a trigger starts the incident, a detection
    /// detects it, ...); `None` for kinds that mark nothing.
    pub fn for_kind(kind: EventKind) -> Option<Marker> {
        match kind {
            EventKind::Trigger => Some(Marker::Started),
            EventKind::Detection => Some(Marker::Detected),
            EventKind::Acknowledgement => Some(Marker::Acknowledged),
            EventKind::Mitigation => Some(Marker::Mitigated),
            EventKind::Resolution => Some(Marker::Resolved),
            _ => None,
        }
    }
}

/// One event on the incident timeline, stored in UTC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineEvent {
    /// Stable id; 5-whys steps cite it as evidence.
    pub id: String,
    /// When it happened, in UTC.
    pub at: DateTime<Utc>,
    /// The source gave the time as approximate (`~14:20`).
    pub approximate: bool,
    /// What kind of moment it records.
    pub kind: EventKind,
    /// The key moment it marks, if any.
    pub marker: Option<Marker>,
    /// What happened.
    pub text: String,
}

/// Durations derived from the timeline markers, in whole minutes. Each is `None` when one of
/// its two markers is missing.
///
/// Definitions (PRODUCT.md capability 5): detect = started to detected; acknowledge = detected
/// to acknowledged; mitigate = detected to mitigated; resolve = detected to resolved;
/// impact = started to resolved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Durations {
    /// Started to detected.
    #[ts(type = "number | null")]
    pub time_to_detect_min: Option<i64>,
    /// Detected to acknowledged.
    #[ts(type = "number | null")]
    pub time_to_acknowledge_min: Option<i64>,
    /// Detected to mitigated.
    #[ts(type = "number | null")]
    pub time_to_mitigate_min: Option<i64>,
    /// Detected to resolved.
    #[ts(type = "number | null")]
    pub time_to_resolve_min: Option<i64>,
    /// Started to resolved: how long the incident had an impact.
    #[ts(type = "number | null")]
    pub impact_duration_min: Option<i64>,
}

impl Durations {
    /// Derives the durations from the events' markers.
    pub fn from_timeline(events: &[TimelineEvent]) -> Durations {
        let at = |m: Marker| events.iter().find(|e| e.marker == Some(m)).map(|e| e.at);
        let minutes = |a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>| match (a, b) {
            (Some(a), Some(b)) => Some((b - a).num_minutes()),
            _ => None,
        };
        let started = at(Marker::Started);
        let detected = at(Marker::Detected);
        Durations {
            time_to_detect_min: minutes(started, detected),
            time_to_acknowledge_min: minutes(detected, at(Marker::Acknowledged)),
            time_to_mitigate_min: minutes(detected, at(Marker::Mitigated)),
            time_to_resolve_min: minutes(detected, at(Marker::Resolved)),
            impact_duration_min: minutes(started, at(Marker::Resolved)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event(min: u32, marker: Option<Marker>) -> TimelineEvent {
        TimelineEvent {
            id: crate::clock::new_id(),
            at: Utc.with_ymd_and_hms(2025, 3, 1, 14, min, 0).unwrap(),
            approximate: false,
            kind: EventKind::Other,
            marker,
            text: String::new(),
        }
    }

    #[test]
    fn event_kind_names_agree_in_serde_and_strum() {
        crate::model::names::assert_serde_and_strum_agree::<EventKind>();
        assert_eq!(EventKind::ALL.first(), Some(&EventKind::Trigger));
        assert_eq!(EventKind::ALL.last(), Some(&EventKind::Other));
        assert_eq!(EventKind::parse(" Acknowledgement "), Some(EventKind::Acknowledgement));
        assert_eq!(EventKind::parse("ack"), None);
    }

    #[test]
    fn marker_names_agree_in_serde_and_strum() {
        crate::model::names::assert_serde_and_strum_agree::<Marker>();
        assert_eq!(
            Marker::ALL,
            [Marker::Started, Marker::Detected, Marker::Acknowledged, Marker::Mitigated, Marker::Resolved]
        );
        assert_eq!(Marker::parse("RESOLVED"), Some(Marker::Resolved));
        assert_eq!(Marker::parse("fixed"), None);
    }

    #[test]
    fn durations_follow_the_markers() {
        let events = vec![
            event(0, Some(Marker::Started)),
            event(5, Some(Marker::Detected)),
            event(7, Some(Marker::Acknowledged)),
            event(22, Some(Marker::Mitigated)),
            event(30, Some(Marker::Resolved)),
        ];
        let d = Durations::from_timeline(&events);
        assert_eq!(d.time_to_detect_min, Some(5));
        assert_eq!(d.time_to_acknowledge_min, Some(2));
        assert_eq!(d.time_to_mitigate_min, Some(17));
        assert_eq!(d.time_to_resolve_min, Some(25));
        assert_eq!(d.impact_duration_min, Some(30));
    }

    #[test]
    fn a_missing_marker_leaves_its_durations_empty() {
        let d = Durations::from_timeline(&[event(0, Some(Marker::Started)), event(9, None)]);
        assert_eq!(d, Durations::default());
    }
}
