//! The meeting's agenda, made from the postmortem (PRODUCT.md capability 4, issue 14).
//!
//! A [`MeetingPlan`] is the facilitator's choice of steps, order and minutes; it is saved per
//! template, and [`MeetingPlan::standard`] is the plan a template starts with. [`build`] turns a plan
//! and a postmortem into the steps shown in the meeting, each with its suggested questions
//! ([`MeetingPrompt`]):
//! - the ground rules are seed 004's five, read out;
//! - every step has standing questions from seed 000's "use" list (question framing) and
//!   seed 004's facilitator guide;
//! - the timeline step gets questions built from the postmortem's own timeline, by phase:
//!   detection (up to the `detected` marker), diagnosis (to `mitigated`, or `resolved` when
//!   there is no `mitigated`), repair (from there). Without markers an event's kind says its phase: a trigger or detection
//!   event is detection; an action, mitigation or resolution is repair; the rest diagnosis.
//!   Markers are asked about first, then decisions, then triggers and detections, then the
//!   rest, at most [`MAX_TIMELINE_QUESTIONS`], listed in time order (the timeline is told
//!   forward: what was known when). A prompt built from an event has the id `event:<id>`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};
use ts_rs::TS;

use crate::model::names;
use crate::model::{EventKind, Marker, Postmortem, TimelineEvent};
use crate::{Error, Result};

/// Seed 004's ground rules for a blameless postmortem, read out at the start.
pub const GROUND_RULES: [&str; 5] = [
    "We examine what happened, not who is at fault",
    "Everyone involved was doing their best with the information they had",
    "Focus on systemic improvements, not individual actions",
    "All perspectives are valuable and welcome",
    "Action items must have clear owners and deadlines",
];

/// At most this many questions are built from the timeline: a meeting has time for a few.
pub const MAX_TIMELINE_QUESTIONS: usize = 6;

/// Longest a step may be planned for, in minutes.
pub const MAX_STEP_MINUTES: u32 = 240;

/// One step of the meeting.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, EnumString, IntoStaticStr, VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum StepKind {
    /// Seed 004's five ground rules, read out.
    GroundRules,
    /// The timeline told forward: what was known when.
    Timeline,
    /// What went well, what went poorly, where we got lucky.
    WentWell,
    /// Contributing factors, with the 5 whys and the fishbone.
    Factors,
    /// The action items.
    ActionItems,
    /// Lessons learned.
    Lessons,
    /// The closing checklist, the parking lot and feedback.
    WrapUp,
}

impl StepKind {
    /// Every step, in the standard order (the order of the variants).
    pub const ALL: [StepKind; 7] = names::array(Self::VARIANTS);

    /// The code, as stored and in prompt ids (`ground_rules`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The step's name on the agenda.
    pub fn title(self) -> &'static str {
        match self {
            StepKind::GroundRules => "Ground rules",
            StepKind::Timeline => "Timeline, told forward",
            StepKind::WentWell => "Went well, went poorly, got lucky",
            StepKind::Factors => "Contributing factors",
            StepKind::ActionItems => "Action items",
            StepKind::Lessons => "Lessons learned",
            StepKind::WrapUp => "Wrap-up",
        }
    }

    /// Minutes in the standard plan: an hour in all, most of it on the timeline and factors.
    pub fn standard_minutes(self) -> u32 {
        match self {
            StepKind::GroundRules => 3,
            StepKind::Timeline => 15,
            StepKind::WentWell => 8,
            StepKind::Factors => 15,
            StepKind::ActionItems => 10,
            StepKind::Lessons => 4,
            StepKind::WrapUp => 5,
        }
    }

    /// The document sections this step writes, as (key, heading for a section the
    /// postmortem does not have yet). The other steps write the structured parts (timeline,
    /// factors, whys, fishbones, action items) instead.
    pub fn sections(self) -> &'static [(&'static str, &'static str)] {
        match self {
            StepKind::WentWell => &[
                ("went_well", "What went well"),
                ("went_poorly", "What went poorly"),
                ("where_we_got_lucky", "Where we got lucky"),
            ],
            StepKind::Lessons => &[("lessons", "Lessons learned")],
            _ => &[],
        }
    }

    /// The questions asked at this step in every meeting: seed 000's question framing ("use")
    /// and seed 004's facilitator guide.
    fn standing_questions(self) -> &'static [&'static str] {
        match self {
            StepKind::GroundRules => &[
                "Does anyone want to add a rule for this meeting?",
                "Is everyone who was involved in the room, or represented?",
            ],
            StepKind::Timeline => &[
                "What information did you have at that time?",
                "What made that decision seem right given what you knew?",
                "What were you seeing that we cannot see in the timeline?",
            ],
            StepKind::WentWell => &[
                "What went well that we should keep doing on purpose?",
                "What went poorly in how the system and the process behaved?",
                "Where did we get lucky, and what would have happened without that luck?",
            ],
            StepKind::Factors => &[
                "What could make this more visible to any engineer in this situation?",
                "How did the system allow this to happen?",
                "Which factor has nobody named yet?",
            ],
            StepKind::ActionItems => &[
                "What would prevent a recurrence, rather than what should have been done differently?",
                "Who is the one owner of this item, and by when?",
                "Does this item change the system, or ask people to try harder?",
            ],
            StepKind::Lessons => {
                &["What do we know now that applies beyond this incident?", "Who else should hear about this?"]
            }
            StepKind::WrapUp => &["Has everyone who took part had a say?", "Where does each parked topic go next?"],
        }
    }
}

/// One step as planned: which, for how long, and whether it is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlannedStep {
    /// Which step.
    pub kind: StepKind,
    /// Minutes planned for it.
    pub minutes: u32,
    /// Left out of this meeting (kept in the plan, so it can be brought back).
    pub skipped: bool,
}

/// The facilitator's plan: the steps in order, with their minutes. Saved per template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingPlan {
    /// Every step, in the order of the meeting.
    pub steps: Vec<PlannedStep>,
}

impl MeetingPlan {
    /// The standard plan: every step in the standard order, an hour in all.
    pub fn standard() -> MeetingPlan {
        MeetingPlan {
            steps: StepKind::ALL
                .iter()
                .map(|&kind| PlannedStep { kind, minutes: kind.standard_minutes(), skipped: false })
                .collect(),
        }
    }

    /// Checks that every step is there once and each has 1 to [`MAX_STEP_MINUTES`] minutes;
    /// errors name the field within the plan (`steps[2].minutes`).
    pub fn validate(&self) -> Result<()> {
        for kind in StepKind::ALL {
            let count = self.steps.iter().filter(|s| s.kind == kind).count();
            if count != 1 {
                return Err(Error::invalid(
                    "steps",
                    format!("must hold the step \"{}\" once, not {count} times", kind.title()),
                ));
            }
        }
        if self.steps.iter().all(|s| s.skipped) {
            return Err(Error::invalid("steps", "one step at least must stay on the agenda"));
        }
        for (i, step) in self.steps.iter().enumerate() {
            if step.minutes == 0 || step.minutes > MAX_STEP_MINUTES {
                return Err(Error::invalid(
                    format!("steps[{i}].minutes"),
                    format!("must be 1 to {MAX_STEP_MINUTES} minutes, not {}", step.minutes),
                ));
            }
        }
        Ok(())
    }

    /// Minutes of the steps not skipped.
    pub fn total_minutes(&self) -> u32 {
        self.steps.iter().filter(|s| !s.skipped).map(|s| s.minutes).sum()
    }
}

/// A suggested question for the facilitator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingPrompt {
    /// Stable within a postmortem (`factors:0`, `timeline:<event id>`), so a dismissal sticks.
    pub id: String,
    /// The question.
    pub text: String,
    /// Where it comes from: `framing` (seed 000 and seed 004's guide) or `timeline`.
    pub source: String,
}

/// One step of the agenda as shown in the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgendaStep {
    /// Which step.
    pub kind: StepKind,
    /// Its name.
    pub title: String,
    /// Minutes planned.
    pub minutes: u32,
    /// Left out of this meeting.
    pub skipped: bool,
    /// Suggested questions: built from the timeline first (the timeline step), then standing.
    pub prompts: Vec<MeetingPrompt>,
    /// The document sections captured at this step ([`StepKind::sections`]).
    pub sections: Vec<StepSection>,
}

/// A document section a step writes into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepSection {
    /// The section's key in the postmortem.
    pub key: String,
    /// Its heading when the meeting adds it (the postmortem's own heading wins when it has one).
    pub heading: String,
}

/// The agenda of a meeting on `pm` following `plan`.
pub fn build(pm: &Postmortem, plan: &MeetingPlan) -> Vec<AgendaStep> {
    plan.steps
        .iter()
        .map(|step| {
            let mut prompts = match step.kind {
                StepKind::Timeline => timeline_questions(&pm.timeline),
                _ => Vec::new(),
            };
            let key = step.kind.as_str();
            prompts.extend(step.kind.standing_questions().iter().enumerate().map(|(i, q)| MeetingPrompt {
                id: format!("{key}:{i}"),
                text: (*q).to_string(),
                source: "framing".into(),
            }));
            AgendaStep {
                kind: step.kind,
                title: step.kind.title().into(),
                minutes: step.minutes,
                skipped: step.skipped,
                prompts,
                sections: step
                    .kind
                    .sections()
                    .iter()
                    .map(|(key, heading)| StepSection { key: (*key).into(), heading: (*heading).into() })
                    .collect(),
            }
        })
        .collect()
}

/// A phase of the response, for the question asked about an event in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Detection,
    Diagnosis,
    Repair,
}

/// The questions built from a timeline: see the module's rules.
pub fn timeline_questions(timeline: &[TimelineEvent]) -> Vec<MeetingPrompt> {
    let mut events: Vec<&TimelineEvent> = timeline.iter().filter(|e| !e.text.trim().is_empty()).collect();
    events.sort_by_key(|e| e.at);
    let first_at = |m: Marker| events.iter().find(|e| e.marker == Some(m)).map(|e| e.at);
    let detected = first_at(Marker::Detected);
    // Repair starts at mitigation, or, when the timeline has no mitigated marker, at resolution.
    let mitigated = first_at(Marker::Mitigated).or_else(|| first_at(Marker::Resolved));
    let has_markers = events.iter().any(|e| e.marker.is_some());
    let phase = |e: &TimelineEvent| -> Phase {
        if has_markers {
            match (detected, mitigated) {
                (Some(d), _) if e.at <= d => Phase::Detection,
                (_, Some(m)) if e.at >= m => Phase::Repair,
                (None, None) => by_kind(e),
                (None, Some(_)) if matches!(e.kind, EventKind::Trigger | EventKind::Detection) => Phase::Detection,
                _ => Phase::Diagnosis,
            }
        } else {
            by_kind(e)
        }
    };
    // Rank: markers first (the phases' edges), then decisions, then triggers and
    // detections, then the rest; earlier first within a rank.
    let rank = |e: &TimelineEvent| match (e.marker, e.kind) {
        (Some(_), _) => 0,
        (None, EventKind::Decision) => 1,
        (None, EventKind::Trigger | EventKind::Detection) => 2,
        _ => 3,
    };
    let mut chosen: Vec<&TimelineEvent> = events.clone();
    chosen.sort_by_key(|e| (rank(e), e.at));
    chosen.truncate(MAX_TIMELINE_QUESTIONS);
    chosen.sort_by_key(|e| e.at);
    let several_days = events.first().zip(events.last()).is_some_and(|(a, b)| a.at.date_naive() != b.at.date_naive());
    chosen
        .into_iter()
        .map(|e| {
            let when = clock(e.at, e.approximate, several_days);
            let what = e.text.trim().trim_end_matches(['.', ';', ':']);
            let ask = match (phase(e), e.kind) {
                (Phase::Detection, EventKind::Trigger) => "what could have shown it before it reached users?",
                (Phase::Detection, _) => "what did the dashboards show then?",
                (Phase::Diagnosis, EventKind::Decision) => "what made that decision seem right given what you knew?",
                (Phase::Diagnosis, _) => "what did you know then, and what were you trying next?",
                (Phase::Repair, _) => "what made the fix possible, and what slowed it down?",
            };
            MeetingPrompt {
                id: format!("event:{}", e.id),
                text: format!("At {when} {}; {ask}", sentence_inside(what)),
                source: "timeline".into(),
            }
        })
        .collect()
}

/// An event's text inside a sentence: a capital that only starts a sentence is lowered ("The
/// first alert fired" reads "the first alert fired"); a name or code ("API", "DNS") is kept.
fn sentence_inside(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_string(),
    }
}

/// An event's phase by its kind, for timelines without markers.
fn by_kind(e: &TimelineEvent) -> Phase {
    match e.kind {
        EventKind::Trigger | EventKind::Detection => Phase::Detection,
        EventKind::Action | EventKind::Mitigation | EventKind::Resolution => Phase::Repair,
        _ => Phase::Diagnosis,
    }
}

/// `14:07` (UTC, as the timeline shows it), `~14:07` when approximate, with the day when the
/// timeline spans several (`Nov 29 14:07`).
fn clock(at: DateTime<Utc>, approximate: bool, with_day: bool) -> String {
    let tilde = if approximate { "~" } else { "" };
    match with_day {
        true => format!("{tilde}{}", at.format("%b %-d %H:%M")),
        false => format!("{tilde}{}", at.format("%H:%M")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event(id: &str, hm: (u32, u32), kind: EventKind, marker: Option<Marker>, text: &str) -> TimelineEvent {
        TimelineEvent {
            id: id.into(),
            at: Utc.with_ymd_and_hms(2025, 11, 25, hm.0, hm.1, 0).unwrap(),
            approximate: false,
            kind,
            marker,
            text: text.into(),
        }
    }

    #[test]
    fn step_codes_are_spelled_alike_by_serde_and_strum() {
        names::assert_serde_and_strum_agree::<StepKind>();
        assert_eq!(StepKind::GroundRules.as_str(), "ground_rules");
    }

    #[test]
    fn the_standard_plan_is_every_step_once_and_an_hour() {
        let plan = MeetingPlan::standard();
        plan.validate().unwrap();
        assert_eq!(plan.total_minutes(), 60);
        assert_eq!(plan.steps.iter().map(|s| s.kind).collect::<Vec<_>>(), StepKind::ALL);
    }

    #[test]
    fn a_plan_missing_or_repeating_a_step_or_with_zero_minutes_is_refused() {
        let mut plan = MeetingPlan::standard();
        plan.steps.pop();
        assert!(plan.validate().unwrap_err().to_string().contains("Wrap-up"));
        let mut plan = MeetingPlan::standard();
        plan.steps[1].kind = StepKind::GroundRules;
        assert!(plan.validate().is_err());
        let mut plan = MeetingPlan::standard();
        plan.steps[2].minutes = 0;
        assert!(plan.validate().unwrap_err().to_string().contains("steps[2].minutes"));
    }

    #[test]
    fn questions_come_from_the_timeline_markers_by_phase_in_time_order() {
        let timeline = vec![
            event("e3", (14, 20), EventKind::Decision, None, "Rolled back the deploy"),
            event("e1", (14, 0), EventKind::Trigger, Some(Marker::Started), "Deploy 4812 went out"),
            event("e2", (14, 7), EventKind::Detection, Some(Marker::Detected), "The first alert fired"),
            event("e4", (14, 35), EventKind::Action, Some(Marker::Mitigated), "Error rate back to normal"),
            event("e5", (14, 10), EventKind::Communication, None, "Status page updated"),
        ];
        let texts: Vec<String> = timeline_questions(&timeline).into_iter().map(|p| p.text).collect();
        assert_eq!(
            texts,
            [
                "At 14:00 deploy 4812 went out; what could have shown it before it reached users?",
                "At 14:07 the first alert fired; what did the dashboards show then?",
                "At 14:10 status page updated; what did you know then, and what were you trying next?",
                "At 14:20 rolled back the deploy; what made that decision seem right given what you knew?",
                "At 14:35 error rate back to normal; what made the fix possible, and what slowed it down?",
            ]
        );
    }

    #[test]
    fn without_markers_the_kind_says_the_phase_and_at_most_six_are_asked() {
        let mut timeline: Vec<TimelineEvent> =
            (0..10).map(|i| event(&format!("a{i}"), (15, i), EventKind::Action, None, &format!("Step {i}"))).collect();
        timeline.push(event("t", (14, 50), EventKind::Trigger, None, "Config pushed"));
        timeline.push(event("d", (15, 30), EventKind::Decision, None, "Failed over"));
        let prompts = timeline_questions(&timeline);
        assert_eq!(prompts.len(), MAX_TIMELINE_QUESTIONS);
        assert_eq!(prompts[0].text, "At 14:50 config pushed; what could have shown it before it reached users?");
        assert!(prompts[1].text.ends_with("what made the fix possible, and what slowed it down?"));
        assert_eq!(prompts.last().unwrap().id, "event:d");
        assert!(timeline_questions(&[]).is_empty());
    }

    #[test]
    fn decisions_never_push_the_markers_out_and_names_keep_their_capitals() {
        let mut timeline: Vec<TimelineEvent> = (0..8)
            .map(|i| event(&format!("d{i}"), (14, i), EventKind::Decision, None, &format!("Decision {i}")))
            .collect();
        timeline.push(event("m", (14, 40), EventKind::Mitigation, Some(Marker::Mitigated), "API errors stopped"));
        let prompts = timeline_questions(&timeline);
        assert_eq!(prompts.len(), MAX_TIMELINE_QUESTIONS);
        let last = prompts.last().unwrap();
        assert_eq!(last.id, "event:m");
        assert_eq!(last.text, "At 14:40 API errors stopped; what made the fix possible, and what slowed it down?");
    }

    #[test]
    fn a_timeline_over_several_days_names_the_day_and_approximate_times_are_marked() {
        let mut late = event("b", (9, 5), EventKind::Action, Some(Marker::Resolved), "Index rebuilt.");
        late.at = Utc.with_ymd_and_hms(2025, 11, 26, 9, 5, 0).unwrap();
        late.approximate = true;
        let timeline = vec![event("a", (23, 50), EventKind::Detection, Some(Marker::Detected), "Disk alert"), late];
        let texts: Vec<String> = timeline_questions(&timeline).into_iter().map(|p| p.text).collect();
        assert_eq!(texts[0], "At Nov 25 23:50 disk alert; what did the dashboards show then?");
        assert_eq!(texts[1], "At ~Nov 26 09:05 index rebuilt; what made the fix possible, and what slowed it down?");
    }

    #[test]
    fn the_agenda_follows_the_plan_and_puts_timeline_questions_before_standing_ones() {
        let mut pm = super::super::tests::postmortem();
        pm.timeline.push(event("e1", (14, 7), EventKind::Detection, Some(Marker::Detected), "First alert"));
        let mut plan = MeetingPlan::standard();
        plan.steps.swap(0, 1);
        plan.steps[3].skipped = true;
        let agenda = build(&pm, &plan);
        assert_eq!(agenda[0].kind, StepKind::Timeline);
        assert_eq!(agenda[0].prompts[0].id, "event:e1");
        assert_eq!(agenda[0].prompts[1].id, "timeline:0");
        assert_eq!(agenda[1].prompts[0].id, "ground_rules:0");
        assert!(agenda[3].skipped);
        assert!(agenda.iter().all(|s| s.prompts.iter().any(|p| p.source == "framing")));
    }
}
