//! Facilitation mode's library calls: a postmortem's meeting opened (or begun, following the
//! plan saved for its template), saved whole as the meeting screen changes it, and finished
//! with its attendance written into the postmortem. Everything else typed in the meeting
//! (events, factors, whys, causes, action items, lessons) is saved into the postmortem by
//! the usual calls: the meeting holds no copy of it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use std::path::Path;

use super::{write_atomically, Library};
use crate::clock::{new_id, now};
use crate::meeting::agenda::{self, AgendaStep, MeetingPlan, GROUND_RULES};
use crate::meeting::checklist::{self, ClosingCheck};
use crate::meeting::session::{
    Answer, Feedback, Meeting, MeetingAction, MeetingClocks, VoiceNudge, FEEDBACK_QUESTIONS,
};
use crate::meeting::summary;
use crate::model::{Participant, Postmortem};
use crate::report::pdf::PdfOutcome;
use crate::store::{meetings, postmortems, taxonomy};
use crate::{Error, Result};

/// What the meeting screens show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingView {
    /// The meeting as stored.
    pub meeting: Meeting,
    /// Its agenda, built from the postmortem as it is now (new timeline events bring new
    /// questions).
    pub agenda: Vec<AgendaStep>,
    /// The wrap-up checklist against the postmortem as it is now.
    pub checklist: Vec<ClosingCheck>,
    /// The nudge when one voice takes most of the turns.
    pub voice: Option<VoiceNudge>,
    /// The clocks as of `as_of`: the screen counts on from there, second by second.
    pub clocks: MeetingClocks,
    /// When the clocks were read.
    pub as_of: DateTime<Utc>,
    /// Seed 004's ground rules, read out at the first step.
    pub ground_rules: Vec<String>,
    /// The three feedback questions asked after the meeting.
    pub feedback_questions: Vec<String>,
}

/// How one feedback question was answered across meetings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FeedbackTally {
    /// The question.
    pub question: String,
    /// Answers "yes".
    pub yes: u32,
    /// Answers "somewhat".
    pub somewhat: u32,
    /// Answers "no".
    pub no: u32,
}

/// The feedback of every finished meeting, for Insights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MeetingFeedbackSummary {
    /// Meetings finished in the library.
    pub meetings: u32,
    /// Of those, meetings with at least one answer.
    pub with_feedback: u32,
    /// Answers given in all.
    pub responses: u32,
    /// Each question's answers, in [`FEEDBACK_QUESTIONS`] order.
    pub questions: Vec<FeedbackTally>,
    /// The latest comments left, newest first, at most five.
    pub comments: Vec<String>,
}

impl MeetingView {
    /// The view without what only the facilitator sees: private notes, the questions and
    /// which were dismissed, the tally of turns and its nudge, and the feedback given.
    pub fn for_audience(mut self) -> MeetingView {
        self.meeting.notes.clear();
        self.meeting.dismissed.clear();
        self.meeting.attendees.clear();
        self.meeting.feedback.clear();
        self.voice = None;
        for step in &mut self.agenda {
            step.prompts.clear();
        }
        self
    }
}

impl Library {
    /// The postmortem's latest meeting (finished or not: a finished one still takes feedback
    /// and exports its summary), or, when it has none, a new one as [`Library::new_meeting`]
    /// makes.
    pub fn open_meeting(&mut self, postmortem_id: &str) -> Result<MeetingView> {
        let pm = postmortems::load(&self.conn, postmortem_id)?;
        match meetings::of_postmortem(&self.conn, &pm.id)?.pop() {
            Some(latest) => self.meeting_view(latest, &pm),
            None => self.new_meeting(postmortem_id),
        }
    }

    /// Begins another meeting on a postmortem whose meetings are all finished: stored at once,
    /// not started, following the plan saved for the postmortem's template, or the standard
    /// plan. Refused while a meeting on it is still open.
    pub fn new_meeting(&mut self, postmortem_id: &str) -> Result<MeetingView> {
        let pm = postmortems::load(&self.conn, postmortem_id)?;
        if meetings::of_postmortem(&self.conn, &pm.id)?.iter().any(|m| !m.is_finished()) {
            return Err(Error::invalid("meeting", "this postmortem's meeting is still open: finish it first"));
        }
        let plan = self.meeting_plan(pm.template.as_deref().unwrap_or(""))?;
        let m = Meeting::new(new_id(), pm.id.clone(), &plan)?;
        meetings::save(&self.conn, &m, now())?;
        self.meeting_view(m, &pm)
    }

    /// The stored meeting as the presenter's screen shows it (after the postmortem changed:
    /// the checklist and the questions follow the document).
    pub fn get_meeting(&self, meeting_id: &str) -> Result<MeetingView> {
        let meeting = self.stored_meeting(meeting_id)?;
        let pm = postmortems::load(&self.conn, &meeting.postmortem_id)?;
        self.meeting_view(meeting, &pm)
    }

    /// Keeps the meeting's agenda (order, minutes, skips) as the plan for its postmortem's
    /// template, which that template's next meetings follow. Returns the template's name.
    pub fn keep_meeting_plan(&mut self, meeting_id: &str) -> Result<String> {
        let meeting = self.stored_meeting(meeting_id)?;
        let pm = postmortems::load(&self.conn, &meeting.postmortem_id)?;
        let template = pm
            .template
            .ok_or_else(|| Error::invalid("template", "this postmortem has no template to keep the agenda for"))?;
        self.save_meeting_plan(&template, &meeting.plan())?;
        Ok(template)
    }

    /// The language coach on the facilitator's notes, knowing the postmortem's people and the
    /// meeting's attendees (a name as the agent of a mistake is flagged).
    pub fn lint_meeting_notes(&self, meeting_id: &str, text: &str) -> Result<Vec<crate::review::language::Finding>> {
        let meeting = self.stored_meeting(meeting_id)?;
        let pm = postmortems::load(&self.conn, &meeting.postmortem_id)?;
        let mut people = crate::review::language::people_of(&pm);
        people.extend(meeting.attendees.iter().map(|a| a.name.clone()));
        Ok(crate::review::language::check_text("notes", text, &people, false))
    }

    /// Applies one change from the facilitator's screen to the stored meeting, with the
    /// core's clock, and stores it. [`MeetingAction::Finish`] finishes it as
    /// [`Library::finish_meeting`] does.
    pub fn meeting_act(&mut self, meeting_id: &str, action: MeetingAction) -> Result<MeetingView> {
        let mut meeting = self.stored_meeting(meeting_id)?;
        if action == MeetingAction::Finish {
            return self.finish_meeting(&meeting);
        }
        meeting.apply(action, now())?;
        self.save_meeting(&meeting)
    }

    /// The meeting as the audience screen may see it ([`MeetingView::for_audience`]): what only
    /// the facilitator sees is left out before it leaves the core.
    pub fn audience_view(&self, meeting_id: &str) -> Result<MeetingView> {
        let meeting = self.stored_meeting(meeting_id)?;
        let pm = postmortems::load(&self.conn, &meeting.postmortem_id)?;
        Ok(self.meeting_view(meeting, &pm)?.for_audience())
    }

    /// Pauses every meeting whose clock is still running as the app starts: the app stopped
    /// without closing (a crash, a kill), and the meeting's time is counted up to its last
    /// change. Returns how many were paused.
    pub fn pause_meetings_left_running(&mut self) -> Result<usize> {
        self.pause_running(|since, changed| changed.max(since))
    }

    /// Pauses every meeting whose clock is running (the app is closing: a meeting left alone
    /// should not count time). Returns how many were paused.
    pub fn pause_running_meetings(&mut self) -> Result<usize> {
        let at = now();
        self.pause_running(|_, _| at)
    }

    /// Pauses each running meeting at `at(running since, last changed)`.
    fn pause_running(&mut self, at: impl Fn(DateTime<Utc>, DateTime<Utc>) -> DateTime<Utc>) -> Result<usize> {
        let mut paused = 0;
        for (mut m, changed) in meetings::unfinished_with_change(&self.conn)? {
            if let Some(since) = m.running_since {
                let when = at(since, changed);
                m.pause(when);
                meetings::save(&self.conn, &m, when)?;
                paused += 1;
            }
        }
        Ok(paused)
    }

    /// The feedback of every finished meeting, counted per question.
    pub fn meeting_feedback_summary(&self) -> Result<MeetingFeedbackSummary> {
        let finished = meetings::finished(&self.conn)?;
        let mut questions: Vec<FeedbackTally> = FEEDBACK_QUESTIONS
            .iter()
            .map(|q| FeedbackTally { question: (*q).into(), yes: 0, somewhat: 0, no: 0 })
            .collect();
        let mut comments = Vec::new();
        for m in &finished {
            for f in &m.feedback {
                for (tally, answer) in questions.iter_mut().zip([f.blameless, f.everyone_spoke, f.learned]) {
                    match answer {
                        Answer::Yes => tally.yes += 1,
                        Answer::Somewhat => tally.somewhat += 1,
                        Answer::No => tally.no += 1,
                    }
                }
                if !f.comment.is_empty() {
                    comments.push(f.comment.clone());
                }
            }
        }
        comments.reverse();
        comments.truncate(5);
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(MeetingFeedbackSummary {
            meetings: count(finished.len()),
            with_feedback: count(finished.iter().filter(|m| !m.feedback.is_empty()).count()),
            responses: count(finished.iter().map(|m| m.feedback.len()).sum()),
            questions,
            comments,
        })
    }

    /// Stores a whole meeting as given, times included: for tests that run a meeting on a
    /// clock of their own, and for restoring one. The app changes meetings only through
    /// [`Library::meeting_act`]. A finished meeting cannot change.
    pub fn save_meeting(&mut self, meeting: &Meeting) -> Result<MeetingView> {
        let pm = self.check_meeting(meeting)?;
        meetings::save(&self.conn, meeting, now())?;
        self.meeting_view(meeting.clone(), &pm)
    }

    /// Finishes the stored meeting: its clock stops, and each attendee not yet among the
    /// postmortem's participants is added with their meeting role (people already listed keep
    /// the role they had in the incident). The postmortem is saved first: finishing again
    /// after a crash between the two writes adds nobody twice. The screen adds the same
    /// participants to its copy (`withAttendance` in ui/src/lib/meeting.ts).
    fn finish_meeting(&mut self, meeting: &Meeting) -> Result<MeetingView> {
        let pm = self.check_meeting(meeting)?;
        let mut meeting = meeting.clone();
        meeting.finish(now())?;
        // Added to the version read in the write's own transaction (nothing else written
        // meanwhile is overwritten); nothing is written when everyone is listed already.
        let attendees = meeting.attendees.clone();
        let pm = self
            .rewrite(&pm.id, crate::history::Why::Edit, move |stored, _| {
                let mut pm = stored.clone();
                for a in &attendees {
                    if !pm.participants.iter().any(|p| p.name.eq_ignore_ascii_case(&a.name)) {
                        pm.participants.push(Participant { name: a.name.clone(), role: a.role.label().to_string() });
                    }
                }
                Ok(pm)
            })?
            .postmortem;
        meetings::save(&self.conn, &meeting, now())?;
        self.meeting_view(meeting, &pm)
    }

    /// Checks a meeting the screen sends against the stored one; returns its postmortem.
    fn check_meeting(&self, meeting: &Meeting) -> Result<Postmortem> {
        let stored = self.stored_meeting(&meeting.id)?;
        if stored.postmortem_id != meeting.postmortem_id {
            return Err(Error::invalid("postmortem_id", "a meeting stays with the postmortem it reviews"));
        }
        if stored.is_finished() || meeting.is_finished() {
            return Err(Error::invalid("meeting", "this meeting is finished; open a new one to meet again"));
        }
        meeting.validate()?;
        postmortems::load(&self.conn, &meeting.postmortem_id)
    }

    /// Records one person's feedback on a finished meeting.
    pub fn give_meeting_feedback(&mut self, meeting_id: &str, feedback: Feedback) -> Result<Meeting> {
        let mut meeting = self.stored_meeting(meeting_id)?;
        meeting.give_feedback(feedback)?;
        meetings::save(&self.conn, &meeting, now())?;
        Ok(meeting)
    }

    /// The meeting's summary as Markdown, with the postmortem's action items as they are now.
    pub fn meeting_summary(&self, meeting_id: &str) -> Result<String> {
        let meeting = self.stored_meeting(meeting_id)?;
        let pm = postmortems::load(&self.conn, &meeting.postmortem_id)?;
        Ok(summary::markdown(&meeting, &pm))
    }

    /// Writes the meeting's summary to `path`: Markdown for a `.md` file, PDF for a `.pdf`
    /// one. The file is written whole or not at all. The outcome counts the PDF's pages (1 for
    /// Markdown) and names any character the PDF's fonts could not draw.
    pub fn export_meeting_summary(&self, meeting_id: &str, path: &Path) -> Result<PdfOutcome> {
        let meeting = self.stored_meeting(meeting_id)?;
        let pm = postmortems::load(&self.conn, &meeting.postmortem_id)?;
        let text = summary::markdown(&meeting, &pm);
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let outcome = |pages: usize, missing: &[char]| PdfOutcome {
            path: path.display().to_string(),
            pages,
            postmortems: 1,
            missing_characters: missing.iter().collect(),
        };
        match extension.as_str() {
            "md" | "markdown" => {
                write_atomically(path, text.as_bytes())?;
                Ok(outcome(1, &[]))
            }
            "pdf" => {
                let rendered = crate::report::pdf::meeting::render(&text, &pm.title, now())?;
                write_atomically(path, &rendered.bytes)?;
                Ok(outcome(rendered.pages, &rendered.missing))
            }
            _ => {
                Err(Error::invalid("path", format!("{}: a meeting summary is written as .md or .pdf", path.display())))
            }
        }
    }

    fn stored_meeting(&self, meeting_id: &str) -> Result<Meeting> {
        meetings::find(&self.conn, meeting_id)?
            .ok_or_else(|| Error::NotFound { what: "meeting", id: meeting_id.to_string() })
    }

    /// Every meeting of a postmortem, the oldest first.
    pub fn meetings_of(&self, postmortem_id: &str) -> Result<Vec<Meeting>> {
        meetings::of_postmortem(&self.conn, postmortem_id)
    }

    /// The plan saved for a template (by name), or the standard plan.
    pub fn meeting_plan(&self, template: &str) -> Result<MeetingPlan> {
        Ok(meetings::plan(&self.conn, template)?.unwrap_or_else(MeetingPlan::standard))
    }

    /// Saves the plan for a template, which its next meetings follow.
    pub fn save_meeting_plan(&mut self, template: &str, plan: &MeetingPlan) -> Result<()> {
        plan.validate().map_err(|e| e.within("plan"))?;
        let name = template.trim();
        if !taxonomy::templates(&self.conn)?.iter().any(|t| t.name.eq_ignore_ascii_case(name)) {
            return Err(Error::invalid("template", format!("no template named {name:?}")));
        }
        meetings::save_plan(&self.conn, name, plan)
    }

    fn meeting_view(&self, meeting: Meeting, pm: &Postmortem) -> Result<MeetingView> {
        let templates = match pm.template {
            Some(_) => taxonomy::templates(&self.conn)?,
            None => vec![],
        };
        let as_of = now();
        Ok(MeetingView {
            clocks: meeting.clocks(as_of),
            as_of,
            agenda: agenda::build(pm, &meeting.plan()),
            checklist: checklist::wrap_up(pm, &templates, meeting.follow_up_review),
            voice: meeting.voice_nudge(),
            ground_rules: GROUND_RULES.iter().map(|r| (*r).into()).collect(),
            feedback_questions: FEEDBACK_QUESTIONS.iter().map(|q| (*q).into()).collect(),
            meeting,
        })
    }
}
