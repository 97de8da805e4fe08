//! A meeting in progress: which step is on, the clocks, the parking lot and who has spoken.
//!
//! Every change takes the time it happens (`now`), so the rules are tested with a clock the
//! test sets, and the stored meeting is the whole truth: reopening it mid-meeting continues
//! where it stopped. Time counts only while the meeting runs (started and not paused), and it
//! counts toward the current step. A step overruns when its time spent passes its minutes;
//! the meeting overruns when all steps' time passes the planned total. Going to the next
//! step skips the steps marked skipped. "Enough, let's move on" ([`Meeting::park`]) puts the
//! topic in the parking lot and moves on.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};
use ts_rs::TS;

use super::agenda::{MeetingPlan, PlannedStep, StepKind, MAX_STEP_MINUTES};
use crate::{Error, Result};

/// With fewer turns than this counted, nobody is called dominant yet.
pub const DOMINANCE_MIN_TURNS: u32 = 6;

/// One voice with at least this share of the turns (and more than anyone else) gets a nudge.
pub const DOMINANCE_SHARE: f64 = 0.5;

/// A role in the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, EnumString, IntoStaticStr, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum MeetingRole {
    /// Runs the meeting.
    Facilitator,
    /// Led the response to the incident.
    IncidentCommander,
    /// Writes things down.
    Scribe,
    /// Knows a part of the system well.
    SubjectMatterExpert,
    /// Listens.
    Observer,
}

impl MeetingRole {
    /// The role in words, as stored in the postmortem's participants.
    pub fn label(self) -> &'static str {
        match self {
            MeetingRole::Facilitator => "Facilitator",
            MeetingRole::IncidentCommander => "Incident commander",
            MeetingRole::Scribe => "Scribe",
            MeetingRole::SubjectMatterExpert => "Subject-matter expert",
            MeetingRole::Observer => "Observer",
        }
    }
}

/// Someone at the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Attendee {
    /// Their name.
    pub name: String,
    /// Their role in the meeting.
    pub role: MeetingRole,
    /// Times they spoke, as tallied by the facilitator.
    pub turns: u32,
}

/// A step as run: its plan and the time spent on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StepRun {
    /// Which step.
    pub kind: StepKind,
    /// Minutes planned.
    pub minutes: u32,
    /// Left out of this meeting.
    pub skipped: bool,
    /// Seconds spent on it so far, not counting the stretch running now.
    #[ts(type = "number")]
    pub spent_seconds: i64,
}

/// A topic parked with "enough, let's move on".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Parked {
    /// The topic, in a line.
    pub text: String,
    /// The step it came up in.
    pub step: StepKind,
    /// When it was parked.
    pub at: DateTime<Utc>,
}

/// The meeting, as stored with its postmortem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Meeting {
    /// Stable id.
    pub id: String,
    /// The postmortem it reviews.
    pub postmortem_id: String,
    /// The steps in the order of this meeting.
    pub steps: Vec<StepRun>,
    /// Index in `steps` of the step on now.
    pub current: usize,
    /// When the clock last started; `None` while stopped (not started, paused or finished).
    pub running_since: Option<DateTime<Utc>>,
    /// When the meeting first started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it was finished.
    pub ended_at: Option<DateTime<Utc>>,
    /// Who attends.
    pub attendees: Vec<Attendee>,
    /// The parking lot.
    pub parked: Vec<Parked>,
    /// Ids of the suggested questions the facilitator dismissed.
    pub dismissed: Vec<String>,
    /// The facilitator's private notes (never on the audience screen).
    pub notes: String,
    /// The date of the follow-up review agreed at the wrap-up.
    pub follow_up_review: Option<NaiveDate>,
    /// Decisions the meeting took, a line each, for the summary.
    #[serde(default)]
    pub decisions: Vec<String>,
    /// The feedback given after the meeting, one per person who answered.
    #[serde(default)]
    pub feedback: Vec<Feedback>,
}

/// An answer to one feedback question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, EnumString, IntoStaticStr, VariantArray)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum Answer {
    /// Yes.
    Yes,
    /// Partly.
    Somewhat,
    /// No.
    No,
}

/// One person's answers to the three questions asked after the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Feedback {
    /// Was it blameless?
    pub blameless: Answer,
    /// Did everyone get to speak?
    pub everyone_spoke: Answer,
    /// Did we learn something?
    pub learned: Answer,
    /// Anything else, in their words; may be empty.
    #[serde(default)]
    pub comment: String,
}

/// The three feedback questions, in the order of [`Feedback`]'s answers.
pub const FEEDBACK_QUESTIONS: [&str; 3] =
    ["Was the meeting blameless?", "Did everyone get to speak?", "Did we learn something?"];

/// The clocks at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingClocks {
    /// Whether time is counting.
    pub running: bool,
    /// Seconds spent on the current step.
    #[ts(type = "number")]
    pub step_spent: i64,
    /// Seconds left of the current step's minutes; negative when it overran.
    #[ts(type = "number")]
    pub step_left: i64,
    /// The current step has run past its minutes.
    pub step_overrun: bool,
    /// Seconds spent on the whole meeting.
    #[ts(type = "number")]
    pub total_spent: i64,
    /// Seconds left of the planned total (steps not skipped); negative when over.
    #[ts(type = "number")]
    pub total_left: i64,
}

/// A nudge about who is being heard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoiceNudge {
    /// The voice taking most of the turns.
    pub name: String,
    /// Their turns, and everyone's.
    pub turns: u32,
    /// Every turn counted.
    pub of: u32,
    /// Attendees not heard yet, to invite in.
    pub quiet: Vec<String>,
    /// The nudge in words.
    pub message: String,
}

/// One change the facilitator's screen asks for. The core applies it with its own clock
/// ([`Meeting::apply`]), so the stored times never come from the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
#[ts(export)]
pub enum MeetingAction {
    /// Start the clock, or resume it.
    Start,
    /// Pause the clock.
    Pause,
    /// Start or pause (the space bar).
    Toggle,
    /// Go to a step.
    GoTo {
        /// The step's place in the agenda.
        index: usize,
    },
    /// The next step not skipped.
    Next,
    /// The previous step not skipped.
    Previous,
    /// Skip a step, or bring it back.
    Skip {
        /// The step's place in the agenda.
        index: usize,
        /// Skip it (true) or bring it back.
        skipped: bool,
    },
    /// Move a step to another place in the agenda.
    Move {
        /// The step's place now.
        from: usize,
        /// Its new place.
        to: usize,
    },
    /// Give a step its minutes.
    SetMinutes {
        /// The step's place in the agenda.
        index: usize,
        /// Its minutes, 1 to [`MAX_STEP_MINUTES`].
        minutes: u32,
    },
    /// "Enough, let's move on": park the topic and go to the next step.
    Park {
        /// The topic, in a line.
        topic: String,
    },
    /// Add an attendee, or change their role.
    AddAttendee {
        /// Their name.
        name: String,
        /// Their role in the meeting.
        role: MeetingRole,
    },
    /// Remove an attendee.
    RemoveAttendee {
        /// Their name.
        name: String,
    },
    /// Count a turn for an attendee.
    Spoke {
        /// Their name.
        name: String,
    },
    /// Dismiss a suggested question, or bring it back.
    Dismiss {
        /// The question's id.
        prompt_id: String,
        /// Dismiss it (true) or bring it back.
        dismissed: bool,
    },
    /// Replace the facilitator's private notes.
    SetNotes {
        /// The notes, whole.
        notes: String,
    },
    /// Set (or clear) the follow-up review date.
    SetFollowUp {
        /// The review's date; `None` clears it.
        date: Option<NaiveDate>,
    },
    /// Record a decision.
    AddDecision {
        /// The decision, in a line.
        text: String,
    },
    /// Remove a decision.
    RemoveDecision {
        /// Its place in the list.
        index: usize,
    },
    /// Finish the meeting (the library also writes the attendance into the postmortem).
    Finish,
}

/// Longest private notes a meeting keeps, in bytes: a meeting's worth, not a document.
pub const MAX_NOTES_BYTES: usize = 100_000;

impl Meeting {
    /// A meeting on `postmortem_id` following `plan`, not started.
    pub fn new(id: String, postmortem_id: String, plan: &MeetingPlan) -> Result<Meeting> {
        plan.validate()?;
        let steps: Vec<StepRun> = plan
            .steps
            .iter()
            .map(|s| StepRun { kind: s.kind, minutes: s.minutes, skipped: s.skipped, spent_seconds: 0 })
            .collect();
        let current = steps.iter().position(|s| !s.skipped).unwrap_or(0);
        Ok(Meeting {
            id,
            postmortem_id,
            steps,
            current,
            running_since: None,
            started_at: None,
            ended_at: None,
            attendees: vec![],
            parked: vec![],
            dismissed: vec![],
            notes: String::new(),
            follow_up_review: None,
            decisions: vec![],
            feedback: vec![],
        })
    }

    /// The plan this meeting now follows (its order, minutes and skips): what is saved for the
    /// template when the facilitator keeps it.
    pub fn plan(&self) -> MeetingPlan {
        MeetingPlan {
            steps: self
                .steps
                .iter()
                .map(|s| PlannedStep { kind: s.kind, minutes: s.minutes, skipped: s.skipped })
                .collect(),
        }
    }

    /// Checks a meeting as stored or read from a file: its agenda holds every step once with
    /// sane minutes (errors name `steps[i]`), and the current step is on it (and, while the
    /// meeting runs, not skipped).
    pub fn validate(&self) -> Result<()> {
        self.plan().validate()?;
        let on_agenda = self.steps.get(self.current).is_some_and(|s| !s.skipped || self.is_finished());
        if !on_agenda {
            return Err(Error::invalid("current", format!("step {} is not on the agenda", self.current)));
        }
        if self.attendees.iter().any(|a| a.name.trim().is_empty()) {
            return Err(Error::invalid("attendees", "every attendee needs a name"));
        }
        Ok(())
    }

    /// Whether the meeting is finished.
    pub fn is_finished(&self) -> bool {
        self.ended_at.is_some()
    }

    fn not_finished(&self) -> Result<()> {
        match self.ended_at {
            Some(_) => Err(Error::invalid("meeting", "this meeting is finished")),
            None => Ok(()),
        }
    }

    /// Adds the stretch running now to the current step, as of `now`.
    fn bank(&mut self, now: DateTime<Utc>) {
        if let Some(since) = self.running_since {
            // Whole seconds are banked and the remainder carries on; a clock that went back
            // banks nothing and moves nothing back (no second is counted twice).
            let seconds = (now - since).num_seconds().max(0);
            self.steps[self.current].spent_seconds += seconds;
            self.running_since = Some(since + chrono::Duration::seconds(seconds));
        }
    }

    /// Starts the clock (or resumes it after a pause).
    pub fn start(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.not_finished()?;
        if self.running_since.is_none() {
            self.running_since = Some(now);
            self.started_at.get_or_insert(now);
        }
        Ok(())
    }

    /// Pauses the clock.
    pub fn pause(&mut self, now: DateTime<Utc>) {
        self.bank(now);
        self.running_since = None;
    }

    /// Starts the clock when it is stopped, pauses it when it runs (the space bar).
    pub fn toggle(&mut self, now: DateTime<Utc>) -> Result<()> {
        match self.running_since {
            Some(_) => {
                self.pause(now);
                Ok(())
            }
            None => self.start(now),
        }
    }

    /// Makes step `index` the current one; time from now on counts toward it.
    pub fn go_to(&mut self, index: usize, now: DateTime<Utc>) -> Result<()> {
        self.not_finished()?;
        if index >= self.steps.len() {
            return Err(Error::invalid("step", format!("no step {index}: the agenda has {}", self.steps.len())));
        }
        if self.steps[index].skipped {
            return Err(Error::invalid(
                format!("steps[{index}]"),
                format!("\"{}\" is skipped; bring it back to go to it", self.steps[index].kind.title()),
            ));
        }
        self.bank(now);
        self.current = index;
        Ok(())
    }

    /// Goes to the next step not skipped. Returns false at the last one (nothing changes).
    pub fn next(&mut self, now: DateTime<Utc>) -> Result<bool> {
        self.not_finished()?;
        match (self.current + 1..self.steps.len()).find(|&i| !self.steps[i].skipped) {
            Some(i) => self.go_to(i, now).map(|_| true),
            None => Ok(false),
        }
    }

    /// Goes back to the previous step not skipped. Returns false at the first one.
    pub fn previous(&mut self, now: DateTime<Utc>) -> Result<bool> {
        self.not_finished()?;
        match (0..self.current).rev().find(|&i| !self.steps[i].skipped) {
            Some(i) => self.go_to(i, now).map(|_| true),
            None => Ok(false),
        }
    }

    /// Skips step `index` (or brings it back). Skipping the current step moves on to the next
    /// one (or back, at the end); the last step not skipped cannot be skipped.
    pub fn skip(&mut self, index: usize, skipped: bool, now: DateTime<Utc>) -> Result<()> {
        self.not_finished()?;
        let field = format!("steps[{index}].skipped");
        if index >= self.steps.len() {
            return Err(Error::invalid(field, "no such step"));
        }
        if skipped && self.steps.iter().enumerate().all(|(i, s)| i == index || s.skipped) {
            return Err(Error::invalid(field, "one step at least stays on the agenda"));
        }
        self.steps[index].skipped = skipped;
        if skipped && index == self.current && !self.next(now)? {
            self.previous(now)?;
        }
        Ok(())
    }

    /// Moves step `from` to position `to`; the current step stays current wherever it goes.
    pub fn move_step(&mut self, from: usize, to: usize) -> Result<()> {
        self.not_finished()?;
        let len = self.steps.len();
        if from >= len || to >= len {
            return Err(Error::invalid("step", format!("steps are 0 to {}, not {from} to {to}", len - 1)));
        }
        let current_kind = self.steps[self.current].kind;
        let step = self.steps.remove(from);
        self.steps.insert(to, step);
        self.current = self.steps.iter().position(|s| s.kind == current_kind).unwrap_or(0);
        Ok(())
    }

    /// Sets the minutes of step `index`.
    pub fn set_minutes(&mut self, index: usize, minutes: u32) -> Result<()> {
        self.not_finished()?;
        let field = format!("steps[{index}].minutes");
        let step = self.steps.get_mut(index).ok_or_else(|| Error::invalid(field.clone(), "no such step"))?;
        if minutes == 0 || minutes > MAX_STEP_MINUTES {
            return Err(Error::invalid(field, format!("must be 1 to {MAX_STEP_MINUTES} minutes")));
        }
        step.minutes = minutes;
        Ok(())
    }

    /// "Enough, let's move on": parks `topic` and goes to the next step (at the last step it
    /// stays there).
    pub fn park(&mut self, topic: &str, now: DateTime<Utc>) -> Result<()> {
        self.not_finished()?;
        let text = topic.trim();
        if text.is_empty() {
            return Err(Error::invalid("topic", "name the topic to park, in a few words"));
        }
        self.parked.push(Parked { text: text.to_string(), step: self.steps[self.current].kind, at: now });
        self.next(now)?;
        Ok(())
    }

    /// Adds someone to the meeting, or changes the role of someone already there.
    pub fn add_attendee(&mut self, name: &str, role: MeetingRole) -> Result<()> {
        self.not_finished()?;
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid("name", "an attendee needs a name"));
        }
        match self.attendees.iter_mut().find(|a| a.name.eq_ignore_ascii_case(name)) {
            Some(a) => a.role = role,
            None => self.attendees.push(Attendee { name: name.to_string(), role, turns: 0 }),
        }
        Ok(())
    }

    /// Removes an attendee (added by mistake).
    pub fn remove_attendee(&mut self, name: &str) -> Result<()> {
        self.not_finished()?;
        self.attendees.retain(|a| !a.name.eq_ignore_ascii_case(name.trim()));
        Ok(())
    }

    /// Counts a turn for `name` (one key per person in the app).
    pub fn spoke(&mut self, name: &str) -> Result<()> {
        self.not_finished()?;
        let attendee = self
            .attendees
            .iter_mut()
            .find(|a| a.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| Error::invalid("name", format!("{name:?} is not an attendee of this meeting")))?;
        attendee.turns += 1;
        Ok(())
    }

    /// The nudge when one voice takes most of the turns: at least [`DOMINANCE_MIN_TURNS`]
    /// counted, one attendee with [`DOMINANCE_SHARE`] of them or more and more than anyone
    /// else. Names those not heard yet.
    pub fn voice_nudge(&self) -> Option<VoiceNudge> {
        let of: u32 = self.attendees.iter().map(|a| a.turns).sum();
        if of < DOMINANCE_MIN_TURNS || self.attendees.len() < 2 {
            return None;
        }
        let top = self.attendees.iter().max_by_key(|a| a.turns)?;
        let alone_on_top = self.attendees.iter().filter(|a| a.turns == top.turns).count() == 1;
        if f64::from(top.turns) < DOMINANCE_SHARE * f64::from(of) || !alone_on_top {
            return None;
        }
        let quiet: Vec<String> = self.attendees.iter().filter(|a| a.turns == 0).map(|a| a.name.clone()).collect();
        let invite = match quiet.len() {
            0 => "Ask the others what they saw.".to_string(),
            _ => format!("Invite {} in.", quiet.join(", ")),
        };
        Some(VoiceNudge {
            name: top.name.clone(),
            turns: top.turns,
            of,
            message: format!("{} has taken {} of {of} turns. {invite}", top.name, top.turns),
            quiet,
        })
    }

    /// The clocks at `now`.
    pub fn clocks(&self, now: DateTime<Utc>) -> MeetingClocks {
        let running = self.running_since.map_or(0, |since| (now - since).num_seconds().max(0));
        let step = &self.steps[self.current];
        let step_spent = step.spent_seconds + running;
        let step_left = i64::from(step.minutes) * 60 - step_spent;
        let total_spent = self.steps.iter().map(|s| s.spent_seconds).sum::<i64>() + running;
        let planned: i64 = self.steps.iter().filter(|s| !s.skipped).map(|s| i64::from(s.minutes) * 60).sum();
        MeetingClocks {
            running: self.running_since.is_some(),
            step_spent,
            step_left,
            step_overrun: step_left < 0,
            total_spent,
            total_left: planned - total_spent,
        }
    }

    /// Finishes the meeting: the clock stops for good, and the wrap-up becomes the current
    /// step, where the feedback and the summary are (a skipped wrap-up stays marked skipped:
    /// the summary reports the meeting as it ran).
    pub fn finish(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.not_finished()?;
        self.pause(now);
        if let Some(wrap_up) = self.steps.iter().position(|s| s.kind == StepKind::WrapUp) {
            self.current = wrap_up;
        }
        self.started_at.get_or_insert(now);
        self.ended_at = Some(now);
        Ok(())
    }

    /// Records one person's feedback; only once the meeting is finished.
    pub fn give_feedback(&mut self, feedback: Feedback) -> Result<()> {
        if !self.is_finished() {
            return Err(Error::invalid("feedback", "feedback is asked for once the meeting is finished"));
        }
        self.feedback.push(Feedback { comment: feedback.comment.trim().to_string(), ..feedback });
        Ok(())
    }

    /// Applies one change from the screen at `now`.
    pub fn apply(&mut self, action: MeetingAction, now: DateTime<Utc>) -> Result<()> {
        match action {
            MeetingAction::Start => self.start(now),
            MeetingAction::Pause => {
                self.not_finished()?;
                self.pause(now);
                Ok(())
            }
            MeetingAction::Toggle => self.toggle(now),
            MeetingAction::GoTo { index } => self.go_to(index, now),
            MeetingAction::Next => self.next(now).map(drop),
            MeetingAction::Previous => self.previous(now).map(drop),
            MeetingAction::Skip { index, skipped } => self.skip(index, skipped, now),
            MeetingAction::Move { from, to } => self.move_step(from, to),
            MeetingAction::SetMinutes { index, minutes } => self.set_minutes(index, minutes),
            MeetingAction::Park { topic } => self.park(&topic, now),
            MeetingAction::AddAttendee { name, role } => self.add_attendee(&name, role),
            MeetingAction::RemoveAttendee { name } => self.remove_attendee(&name),
            MeetingAction::Spoke { name } => self.spoke(&name),
            MeetingAction::Dismiss { prompt_id, dismissed } => self.dismiss(&prompt_id, dismissed),
            MeetingAction::SetNotes { notes } => {
                self.not_finished()?;
                if notes.len() > MAX_NOTES_BYTES {
                    return Err(Error::invalid("notes", format!("keep notes under {} kB", MAX_NOTES_BYTES / 1000)));
                }
                self.notes = notes;
                Ok(())
            }
            MeetingAction::SetFollowUp { date } => {
                self.not_finished()?;
                self.follow_up_review = date;
                Ok(())
            }
            MeetingAction::AddDecision { text } => {
                self.not_finished()?;
                let text = text.trim();
                if text.is_empty() {
                    return Err(Error::invalid("decision", "write the decision in a line"));
                }
                self.decisions.push(text.to_string());
                Ok(())
            }
            MeetingAction::RemoveDecision { index } => {
                self.not_finished()?;
                if index >= self.decisions.len() {
                    return Err(Error::invalid("decision", format!("no decision {index}")));
                }
                self.decisions.remove(index);
                Ok(())
            }
            MeetingAction::Finish => self.finish(now),
        }
    }

    /// Dismisses a suggested question (or brings it back).
    pub fn dismiss(&mut self, prompt_id: &str, dismissed: bool) -> Result<()> {
        self.not_finished()?;
        self.dismissed.retain(|d| d != prompt_id);
        if dismissed {
            self.dismissed.push(prompt_id.to_string());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    /// A clock the test moves by hand.
    struct Clock(DateTime<Utc>);

    impl Clock {
        fn new() -> Clock {
            Clock(Utc.with_ymd_and_hms(2025, 11, 27, 10, 0, 0).unwrap())
        }
        fn after(&mut self, minutes: i64, seconds: i64) -> DateTime<Utc> {
            self.0 += Duration::minutes(minutes) + Duration::seconds(seconds);
            self.0
        }
    }

    fn meeting() -> Meeting {
        Meeting::new("m".into(), "pm".into(), &MeetingPlan::standard()).unwrap()
    }

    #[test]
    fn role_and_answer_codes_are_spelled_alike_by_serde_and_strum() {
        crate::model::names::assert_serde_and_strum_agree::<MeetingRole>();
        crate::model::names::assert_serde_and_strum_agree::<Answer>();
    }

    #[test]
    fn time_counts_toward_the_current_step_only_while_running() {
        let mut c = Clock::new();
        let mut m = meeting();
        assert_eq!(m.clocks(c.0).total_spent, 0);
        m.start(c.0).unwrap();
        let now = c.after(2, 0);
        assert_eq!(m.clocks(now).step_spent, 120);
        assert_eq!(m.clocks(now).step_left, 60, "ground rules: 3 minutes");
        m.pause(now);
        let later = c.after(10, 0);
        assert_eq!(m.clocks(later).step_spent, 120, "paused: no time counts");
        assert!(!m.clocks(later).running);
        m.toggle(later).unwrap();
        let now = c.after(0, 30);
        assert!(m.next(now).unwrap());
        assert_eq!(m.steps[0].spent_seconds, 150);
        let now = c.after(1, 0);
        assert_eq!(m.clocks(now).step_spent, 60, "the timeline step's own time");
        assert_eq!(m.clocks(now).total_spent, 210);
        assert_eq!(m.clocks(now).total_left, 60 * 60 - 210);
    }

    #[test]
    fn a_step_overruns_when_its_minutes_are_spent() {
        let mut c = Clock::new();
        let mut m = meeting();
        m.start(c.0).unwrap();
        assert!(!m.clocks(c.after(3, 0)).step_overrun, "exactly on time is not over");
        let clocks = m.clocks(c.after(0, 1));
        assert!(clocks.step_overrun);
        assert_eq!(clocks.step_left, -1);
    }

    #[test]
    fn next_and_previous_pass_over_skipped_steps_and_stop_at_the_ends() {
        let mut c = Clock::new();
        let mut m = meeting();
        assert!(!m.previous(c.0).unwrap(), "already at the first step");
        m.skip(1, true, c.0).unwrap();
        assert!(m.next(c.after(1, 0)).unwrap());
        assert_eq!(m.steps[m.current].kind, StepKind::WentWell);
        assert!(m.previous(c.0).unwrap());
        assert_eq!(m.steps[m.current].kind, StepKind::GroundRules);
        while m.next(c.0).unwrap() {}
        assert_eq!(m.steps[m.current].kind, StepKind::WrapUp);
        assert_eq!(m.clocks(c.0).total_left, (60 - 15) * 60, "a skipped step's minutes are not planned");
        assert!(m.go_to(1, c.0).unwrap_err().to_string().contains("is skipped"));
    }

    #[test]
    fn skipping_the_current_step_moves_on_and_one_step_always_stays() {
        let mut c = Clock::new();
        let mut m = meeting();
        m.skip(0, true, c.0).unwrap();
        assert_eq!(m.current, 1);
        m.go_to(6, c.0).unwrap();
        m.skip(6, true, c.after(1, 0)).unwrap();
        assert_eq!(m.current, 5, "at the end it goes back");
        for i in 1..6 {
            if i != 3 {
                m.skip(i, true, c.0).unwrap();
            }
        }
        assert_eq!(m.current, 3);
        let err = m.skip(3, true, c.0).unwrap_err();
        assert!(err.to_string().contains("one step at least"), "{err}");
        m.skip(0, false, c.0).unwrap();
        assert!(!m.steps[0].skipped);
    }

    #[test]
    fn reordering_keeps_the_current_step_and_the_plan_follows() {
        let c = Clock::new();
        let mut m = meeting();
        m.go_to(2, c.0).unwrap();
        m.move_step(5, 0).unwrap();
        assert_eq!(m.steps[0].kind, StepKind::Lessons);
        assert_eq!(m.steps[m.current].kind, StepKind::WentWell);
        m.set_minutes(0, 9).unwrap();
        let plan = m.plan();
        plan.validate().unwrap();
        assert_eq!((plan.steps[0].kind, plan.steps[0].minutes), (StepKind::Lessons, 9));
        assert!(m.move_step(0, 7).is_err());
        assert!(m.set_minutes(0, 0).is_err());
    }

    #[test]
    fn parking_a_topic_moves_on() {
        let mut c = Clock::new();
        let mut m = meeting();
        m.start(c.0).unwrap();
        m.go_to(1, c.after(1, 0)).unwrap();
        m.park("  Who owns the CDN config? ", c.after(4, 0)).unwrap();
        assert_eq!(m.parked[0].text, "Who owns the CDN config?");
        assert_eq!(m.parked[0].step, StepKind::Timeline);
        assert_eq!(m.steps[m.current].kind, StepKind::WentWell);
        assert!(m.park(" ", c.0).is_err());
    }

    #[test]
    fn one_voice_taking_most_turns_gets_a_nudge_naming_the_quiet_ones() {
        let mut m = meeting();
        for (name, role) in [
            ("Ana", MeetingRole::IncidentCommander),
            ("Bo", MeetingRole::SubjectMatterExpert),
            ("Cy", MeetingRole::Observer),
        ] {
            m.add_attendee(name, role).unwrap();
        }
        for _ in 0..4 {
            m.spoke("ana").unwrap();
        }
        m.spoke("Bo").unwrap();
        assert_eq!(m.voice_nudge(), None, "five turns are too few to judge");
        m.spoke("Ana").unwrap();
        let nudge = m.voice_nudge().unwrap();
        assert_eq!((nudge.name.as_str(), nudge.turns, nudge.of), ("Ana", 5, 6));
        assert_eq!(nudge.quiet, ["Cy"]);
        assert_eq!(nudge.message, "Ana has taken 5 of 6 turns. Invite Cy in.");
        for _ in 0..4 {
            m.spoke("Bo").unwrap();
        }
        assert_eq!(m.voice_nudge(), None, "5 of 11 is under half");
        assert!(m.spoke("Dee").is_err());
        m.add_attendee("ANA", MeetingRole::Facilitator).unwrap();
        assert_eq!(m.attendees.len(), 3, "the same person, a new role");
        assert_eq!(m.attendees[0].role, MeetingRole::Facilitator);
    }

    #[test]
    fn a_finished_meeting_keeps_its_time_and_refuses_changes() {
        let mut c = Clock::new();
        let mut m = meeting();
        m.start(c.0).unwrap();
        let end = c.after(7, 0);
        m.finish(end).unwrap();
        assert!(m.is_finished());
        assert_eq!(m.clocks(c.after(30, 0)).total_spent, 420);
        assert!(m.start(c.0).is_err());
        assert!(m.next(c.0).is_err());
        assert!(m.park("late", c.0).is_err());
    }

    #[test]
    fn a_meeting_survives_a_round_trip_through_json_mid_step() {
        let mut c = Clock::new();
        let mut m = meeting();
        m.start(c.0).unwrap();
        m.add_attendee("Ana", MeetingRole::Scribe).unwrap();
        m.dismiss("timeline:0", true).unwrap();
        let now = c.after(2, 0);
        let stored: Meeting = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
        assert_eq!(stored, m);
        assert_eq!(stored.clocks(now).step_spent, 120, "the running clock carries on after reopening");
    }

    #[test]
    fn actions_from_the_screen_apply_with_the_core_clock() {
        let mut c = Clock::new();
        let mut m = meeting();
        let action: MeetingAction = serde_json::from_str(r#"{"action":"toggle"}"#).unwrap();
        m.apply(action, c.0).unwrap();
        m.apply(serde_json::from_str(r#"{"action":"go_to","index":3}"#).unwrap(), c.after(2, 0)).unwrap();
        assert_eq!(m.steps[0].spent_seconds, 120);
        assert_eq!(m.current, 3);
        m.apply(MeetingAction::AddAttendee { name: "Ana".into(), role: MeetingRole::Scribe }, c.0).unwrap();
        m.apply(MeetingAction::Spoke { name: "ana".into() }, c.0).unwrap();
        assert_eq!(m.attendees[0].turns, 1);
        m.apply(MeetingAction::AddDecision { text: "  Pool sizing goes to the platform team ".into() }, c.0).unwrap();
        assert_eq!(m.decisions, ["Pool sizing goes to the platform team"]);
        assert!(m.apply(MeetingAction::AddDecision { text: " ".into() }, c.0).is_err());
        assert!(m.apply(MeetingAction::RemoveDecision { index: 4 }, c.0).is_err());
        m.apply(MeetingAction::RemoveDecision { index: 0 }, c.0).unwrap();
        let date = NaiveDate::from_ymd_opt(2025, 12, 20);
        m.apply(MeetingAction::SetFollowUp { date }, c.0).unwrap();
        assert_eq!(m.follow_up_review, date);
        let long = "x".repeat(MAX_NOTES_BYTES + 1);
        assert!(m.apply(MeetingAction::SetNotes { notes: long }, c.0).unwrap_err().to_string().contains("notes"));
        m.apply(MeetingAction::Finish, c.after(1, 0)).unwrap();
        assert_eq!(m.steps[3].spent_seconds, 60);
        assert!(m.apply(MeetingAction::Pause, c.0).is_err(), "a finished meeting refuses every change");
        assert!(m.apply(MeetingAction::SetNotes { notes: String::new() }, c.0).is_err());
    }

    #[test]
    fn finishing_anywhere_lands_on_the_wrap_up_where_the_feedback_is() {
        let mut c = Clock::new();
        let mut m = meeting();
        m.skip(6, true, c.0).unwrap();
        m.go_to(4, c.0).unwrap();
        m.start(c.0).unwrap();
        m.finish(c.after(2, 0)).unwrap();
        assert_eq!(m.steps[m.current].kind, StepKind::WrapUp);
        assert!(m.steps[6].skipped, "the summary still says it was skipped");
        assert_eq!(m.steps[4].spent_seconds, 120, "the time went to the step that was on");
    }
}
