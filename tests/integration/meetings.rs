//! Facilitation mode through `Library`, on a real SQLite library: a meeting opened from a
//! postmortem, run, saved, reopened from disk, finished into the postmortem; the plan kept
//! per template.

use chrono::Duration;
use debrief::meeting::agenda::StepKind;
use debrief::meeting::session::{Answer, Feedback, MeetingAction, MeetingRole};
use debrief::Library;

use crate::helpers::{library, rich_postmortem};

#[test]
fn a_meeting_runs_is_saved_and_reopens_where_it_stopped() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let view = lib.open_meeting(&pm.id).unwrap();
    assert_eq!(view.agenda.len(), 7);
    assert_eq!(view.agenda[0].kind, StepKind::GroundRules);
    let timeline = view.agenda.iter().find(|s| s.kind == StepKind::Timeline).unwrap();
    assert_eq!(
        timeline.prompts[0].text,
        "At 14:00 pool size config deployed; what could have shown it before it reached users?"
    );
    assert_eq!(timeline.prompts[1].text, "At 14:05 5xx alert fires; what did the dashboards show then?");
    assert!(timeline.prompts.iter().any(|p| p.text.starts_with("At ~14:07 on-call acknowledges;")));
    assert_eq!(lib.open_meeting(&pm.id).unwrap().meeting.id, view.meeting.id, "the open meeting, not a second one");

    let t0 = debrief::clock::now();
    let mut m = view.meeting;
    m.start(t0).unwrap();
    m.add_attendee("Sofia Alvarez", MeetingRole::IncidentCommander).unwrap();
    m.add_attendee("Lee Park", MeetingRole::SubjectMatterExpert).unwrap();
    m.spoke("Sofia Alvarez").unwrap();
    m.next(t0 + Duration::minutes(3)).unwrap();
    m.park("Who owns pool sizing?", t0 + Duration::minutes(20)).unwrap();
    m.notes = "Private: ask Lee about the load test".into();
    lib.save_meeting(&m).unwrap();
    drop(lib);

    let mut lib = Library::open(dir.path().join("lib")).unwrap();
    let view = lib.open_meeting(&pm.id).unwrap();
    assert_eq!(view.meeting, m, "everything came back from disk");
    assert_eq!(view.meeting.steps[0].spent_seconds, 180);
    assert_eq!(view.meeting.steps[1].spent_seconds, 17 * 60);
    assert_eq!(view.meeting.steps[view.meeting.current].kind, StepKind::WentWell);
    assert_eq!(view.meeting.parked[0].step, StepKind::Timeline);
}

#[test]
fn finishing_writes_the_attendance_into_the_postmortem_once() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let mut m = lib.open_meeting(&pm.id).unwrap().meeting;
    m.add_attendee("dana okafor", MeetingRole::Scribe).unwrap();
    m.add_attendee("Lee Park", MeetingRole::Observer).unwrap();
    lib.save_meeting(&m).unwrap();
    lib.meeting_act(&m.id, MeetingAction::AddAttendee { name: "Ravi Shah".into(), role: MeetingRole::Facilitator })
        .unwrap();
    let view = lib.meeting_act(&m.id, MeetingAction::Finish).unwrap();
    assert!(view.meeting.is_finished());
    let stored = lib.get(&pm.id).unwrap().postmortem;
    let people: Vec<(&str, &str)> = stored.participants.iter().map(|p| (p.name.as_str(), p.role.as_str())).collect();
    assert_eq!(
        people,
        [("Dana Okafor", "scribe"), ("Lee Park", "Observer"), ("Ravi Shah", "Facilitator")],
        "people already listed keep their role"
    );
    assert!(lib.meeting_act(&m.id, MeetingAction::Finish).unwrap_err().to_string().contains("finished"));
    assert!(lib.save_meeting(&view.meeting).unwrap_err().to_string().contains("finished"));
    let feedback = debrief::meeting::session::Feedback {
        blameless: Answer::Yes,
        everyone_spoke: Answer::Somewhat,
        learned: Answer::Yes,
        comment: "Useful".into(),
    };
    lib.give_meeting_feedback(&m.id, feedback).unwrap();
    let summary = lib.meeting_summary(&m.id).unwrap();
    assert!(summary.starts_with("# Postmortem meeting: Checkout 502s after pool change"), "{summary}");
    assert!(summary.contains("| Lee Park | Observer | 0 |"), "{summary}");
    assert!(summary.contains("| Did everyone get to speak? | 0 | 1 | 0 |"), "{summary}");
    for item in &stored.action_items {
        assert!(summary.contains(&item.title), "{summary}");
    }
    assert_eq!(lib.open_meeting(&pm.id).unwrap().meeting.id, m.id, "the finished meeting opens again, for feedback");
    let next = lib.new_meeting(&pm.id).unwrap();
    assert_ne!(next.meeting.id, m.id, "a finished meeting stays finished; the next one is new");
    assert_eq!(lib.open_meeting(&pm.id).unwrap().meeting.id, next.meeting.id, "the latest opens");
    let err = lib.new_meeting(&pm.id).unwrap_err();
    assert!(err.to_string().contains("still open"), "{err}");
    assert_eq!(lib.meetings_of(&pm.id).unwrap().len(), 2);
    lib.delete(&pm.id).unwrap();
    assert!(lib.meetings_of(&pm.id).unwrap().is_empty(), "meetings go with their postmortem");
}

#[test]
fn the_plan_is_kept_per_template_and_new_meetings_follow_it() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let template = pm.template.clone().expect("created from a template");
    let mut m = lib.open_meeting(&pm.id).unwrap().meeting;
    m.move_step(5, 1).unwrap();
    m.set_minutes(1, 7).unwrap();
    m.skip(0, true, debrief::clock::now()).unwrap();
    lib.save_meeting_plan(&template, &m.plan()).unwrap();
    assert_eq!(lib.meeting_plan(&template.to_uppercase()).unwrap(), m.plan());
    assert_eq!(lib.meeting_plan("no such template").unwrap(), debrief::meeting::agenda::MeetingPlan::standard());

    let other = rich_postmortem(&mut lib);
    let view = lib.open_meeting(&other.id).unwrap();
    assert_eq!(view.agenda[1].kind, StepKind::Lessons);
    assert_eq!(view.agenda[1].minutes, 7);
    assert!(view.agenda[0].skipped);
    assert_eq!(view.meeting.steps[view.meeting.current].kind, StepKind::Lessons, "the first step not skipped");

    let err = lib.save_meeting_plan("Nope", &m.plan()).unwrap_err();
    assert!(err.to_string().contains("no template named \"Nope\""), "{err}");
    let mut bad = m.plan();
    bad.steps[2].minutes = 0;
    let err = lib.save_meeting_plan(&template, &bad).unwrap_err();
    assert!(err.to_string().contains("plan.steps[2].minutes"), "{err}");
}

#[test]
fn the_wrap_up_checklist_follows_the_postmortem_and_the_meeting() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let view = lib.open_meeting(&pm.id).unwrap();
    let follow_up = view.checklist.iter().find(|c| c.rule == "follow_up").unwrap();
    assert!(!follow_up.met);
    assert_eq!(follow_up.fields, ["meeting.follow_up_review"]);
    let mut m = view.meeting;
    m.follow_up_review = chrono::NaiveDate::from_ymd_opt(2025, 4, 14);
    let view = lib.save_meeting(&m).unwrap();
    assert!(view.checklist.iter().find(|c| c.rule == "follow_up").unwrap().met);
    let count = view.checklist.iter().find(|c| c.rule == "three_to_five").unwrap();
    assert_eq!(count.met, (3..=5).contains(&pm.action_items.len()));
}

#[test]
fn a_meeting_saved_under_an_unknown_id_or_with_a_broken_agenda_is_refused() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let mut m = lib.open_meeting(&pm.id).unwrap().meeting;
    let mut stranger = m.clone();
    stranger.id = debrief::clock::new_id();
    assert_eq!(lib.save_meeting(&stranger).unwrap_err().code(), "not_found");
    m.steps.pop();
    let err = lib.save_meeting(&m).unwrap_err();
    assert!(err.to_string().contains("Wrap-up"), "{err}");
    assert_eq!(lib.open_meeting(&pm.id).unwrap().meeting.steps.len(), 7, "nothing stored");
}

#[test]
fn the_screen_acts_through_the_core_clock_and_the_audience_never_sees_the_notes() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let id = lib.open_meeting(&pm.id).unwrap().meeting.id;
    let act = |lib: &mut Library, action: MeetingAction| lib.meeting_act(&id, action).unwrap();
    let view = act(&mut lib, MeetingAction::Start);
    assert!(view.clocks.running && view.meeting.started_at.is_some());
    assert_eq!(view.ground_rules.len(), 5);
    act(&mut lib, MeetingAction::Next);
    act(&mut lib, MeetingAction::AddAttendee { name: "Lee Park".into(), role: MeetingRole::Scribe });
    act(&mut lib, MeetingAction::SetNotes { notes: "Private: Lee seemed defensive".into() });
    let view = act(&mut lib, MeetingAction::Dismiss { prompt_id: "timeline:0".into(), dismissed: true });
    assert_eq!(view.meeting.steps[view.meeting.current].kind, StepKind::Timeline);
    assert_eq!(view.meeting.notes, "Private: Lee seemed defensive");

    let audience = lib.audience_view(&id).unwrap();
    assert_eq!(audience.meeting.current, view.meeting.current);
    assert!(audience.meeting.notes.is_empty() && audience.meeting.dismissed.is_empty());
    assert!(audience.agenda.iter().all(|s| s.prompts.is_empty()), "the questions are the facilitator's");
    let json = serde_json::to_string(&audience).unwrap();
    assert!(!json.contains("defensive"), "{json}");
    let went_well = audience.agenda.iter().find(|s| s.kind == StepKind::WentWell).unwrap();
    let keys: Vec<&str> = went_well.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["went_well", "went_poorly", "where_we_got_lucky"]);

    let err = lib.meeting_act(&id, MeetingAction::GoTo { index: 40 }).unwrap_err();
    assert!(err.to_string().contains("no step 40"), "{err}");
    let view = act(&mut lib, MeetingAction::Finish);
    assert!(view.meeting.is_finished());
    assert!(lib.get(&pm.id).unwrap().postmortem.participants.iter().any(|p| p.name == "Lee Park"));
    assert!(lib.meeting_act(&id, MeetingAction::Next).unwrap_err().to_string().contains("finished"));
}

#[test]
fn feedback_is_counted_across_finished_meetings() {
    let (_d, mut lib) = library();
    let empty = lib.meeting_feedback_summary().unwrap();
    assert_eq!((empty.meetings, empty.responses), (0, 0));
    assert_eq!(empty.questions.len(), 3);
    for answers in [[Answer::Yes, Answer::No, Answer::Yes], [Answer::Somewhat, Answer::Yes, Answer::Yes]] {
        let pm = rich_postmortem(&mut lib);
        let id = lib.open_meeting(&pm.id).unwrap().meeting.id;
        lib.meeting_act(&id, MeetingAction::Finish).unwrap();
        let [blameless, everyone_spoke, learned] = answers;
        let comment = format!("blameless {blameless:?}");
        lib.give_meeting_feedback(&id, Feedback { blameless, everyone_spoke, learned, comment }).unwrap();
    }
    let pm = rich_postmortem(&mut lib);
    lib.open_meeting(&pm.id).unwrap(); // open, not finished: not counted
    let summary = lib.meeting_feedback_summary().unwrap();
    assert_eq!((summary.meetings, summary.with_feedback, summary.responses), (2, 2, 2));
    let q = &summary.questions[0];
    assert_eq!((q.question.as_str(), q.yes, q.somewhat, q.no), ("Was the meeting blameless?", 1, 1, 0));
    assert_eq!((summary.questions[1].yes, summary.questions[1].no), (1, 1));
    assert_eq!(summary.comments, ["blameless Somewhat", "blameless Yes"], "newest first");
}

#[test]
fn the_summary_exports_as_markdown_and_as_a_pdf_that_says_the_same() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let id = lib.open_meeting(&pm.id).unwrap().meeting.id;
    lib.meeting_act(&id, MeetingAction::AddAttendee { name: "Lee Park".into(), role: MeetingRole::Scribe }).unwrap();
    lib.meeting_act(&id, MeetingAction::Park { topic: "Who owns pool sizing?".into() }).unwrap();
    lib.meeting_act(&id, MeetingAction::SetNotes { notes: "Private remark".into() }).unwrap();
    lib.meeting_act(&id, MeetingAction::Finish).unwrap();
    let md = dir.path().join("summary.md");
    assert_eq!(lib.export_meeting_summary(&id, &md).unwrap().pages, 1);
    let text = std::fs::read_to_string(&md).unwrap();
    assert_eq!(text, lib.meeting_summary(&id).unwrap());
    let pdf = dir.path().join("summary.pdf");
    let outcome = lib.export_meeting_summary(&id, &pdf).unwrap();
    assert!(outcome.pages >= 1 && outcome.missing_characters.is_empty(), "{outcome:?}");
    let out = std::process::Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().unwrap();
    let pdf_text = String::from_utf8_lossy(&out.stdout);
    for needle in ["Postmortem meeting: Checkout 502s after pool change", "Lee Park", "Who owns pool sizing?"] {
        assert!(pdf_text.contains(needle), "{needle:?} missing from the PDF:\n{pdf_text}");
    }
    assert!(!pdf_text.contains("Private remark"));
    let err = lib.export_meeting_summary(&id, &dir.path().join("summary.docx")).unwrap_err();
    assert!(err.to_string().contains("summary.docx"), "{err}");
    assert!(!dir.path().join("summary.docx").exists());
}

#[test]
fn the_agenda_is_kept_from_the_stored_meeting_and_closing_pauses_the_clock() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let id = lib.open_meeting(&pm.id).unwrap().meeting.id;
    lib.meeting_act(&id, MeetingAction::SetMinutes { index: 1, minutes: 25 }).unwrap();
    lib.meeting_act(&id, MeetingAction::Skip { index: 5, skipped: true }).unwrap();
    let template = lib.keep_meeting_plan(&id).unwrap();
    assert_eq!(Some(template.clone()), pm.template);
    let plan = lib.meeting_plan(&template).unwrap();
    assert_eq!((plan.steps[1].minutes, plan.steps[5].skipped), (25, true));

    lib.meeting_act(&id, MeetingAction::Start).unwrap();
    assert_eq!(lib.pause_running_meetings().unwrap(), 1);
    assert!(!lib.get_meeting(&id).unwrap().clocks.running, "the clock stopped when the app closed");
    assert_eq!(lib.pause_running_meetings().unwrap(), 0);
}

#[test]
fn the_notes_coach_knows_the_people_of_the_postmortem_and_the_meeting() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let id = lib.open_meeting(&pm.id).unwrap().meeting.id;
    lib.meeting_act(&id, MeetingAction::AddAttendee { name: "Ana Whitfield".into(), role: MeetingRole::Observer })
        .unwrap();
    let findings = lib.lint_meeting_notes(&id, "Whitfield forgot to check the dashboard").unwrap();
    assert!(!findings.is_empty(), "a named attendee as the agent of a mistake is flagged");
    assert!(findings.iter().all(|f| f.field == "notes"));
}

#[test]
fn meetings_and_plans_travel_in_the_json_document_and_come_back_the_same() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let id = lib.open_meeting(&pm.id).unwrap().meeting.id;
    lib.meeting_act(&id, MeetingAction::AddAttendee { name: "Lee Park".into(), role: MeetingRole::Scribe }).unwrap();
    lib.meeting_act(&id, MeetingAction::Park { topic: "Pool sizing".into() }).unwrap();
    lib.meeting_act(&id, MeetingAction::SetMinutes { index: 2, minutes: 12 }).unwrap();
    lib.keep_meeting_plan(&id).unwrap();
    lib.meeting_act(&id, MeetingAction::Finish).unwrap();
    let feedback =
        Feedback { blameless: Answer::Yes, everyone_spoke: Answer::Yes, learned: Answer::No, comment: String::new() };
    lib.give_meeting_feedback(&id, feedback).unwrap();

    let doc = lib.export_document(&[]).unwrap();
    assert_eq!(doc.meetings.len(), 1);
    assert_eq!(doc.meeting_plans.len(), 1);
    let json = doc.to_json();
    let file = dir.path().join("library.json");
    std::fs::write(&file, &json).unwrap();

    let other = dir.path().join("other");
    let mut fresh = Library::open(&other).unwrap();
    fresh.import_json_file(&file).unwrap();
    assert_eq!(fresh.meetings_of(&pm.id).unwrap(), lib.meetings_of(&pm.id).unwrap());
    assert_eq!(fresh.meeting_plan(pm.template.as_deref().unwrap()).unwrap().steps[2].minutes, 12);
    assert_eq!(fresh.export_document(&[]).unwrap().to_json(), json, "export, import, export: the same bytes");

    let anonymized = lib.export_document_with(&[], true, &mut debrief::progress::Progress::none()).unwrap();
    assert!(anonymized.meetings.is_empty(), "meetings name people: an anonymized export leaves them out");

    let mut stray = doc.clone();
    stray.postmortems.clear();
    stray.meetings[0].postmortem_id = "no-such-postmortem".into();
    let err = fresh.import_document(&stray, "stray.json").unwrap_err();
    assert!(err.to_string().contains("stray.json: meetings[0]"), "{err}");
    assert!(err.to_string().contains("no postmortem no-such-postmortem"), "{err}");
}

#[test]
fn importing_never_reopens_a_finished_meeting_and_refuses_what_cannot_be_kept() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let id = lib.open_meeting(&pm.id).unwrap().meeting.id;
    lib.meeting_act(&id, MeetingAction::Start).unwrap();
    let older = lib.export_document(&[]).unwrap();
    assert!(older.meetings[0].running_since.is_none(), "a running clock is written paused");
    lib.meeting_act(&id, MeetingAction::Finish).unwrap();
    let feedback =
        Feedback { blameless: Answer::Yes, everyone_spoke: Answer::Yes, learned: Answer::Yes, comment: String::new() };
    lib.give_meeting_feedback(&id, feedback).unwrap();

    lib.import_document(&older, "older.json").unwrap();
    let kept = &lib.meetings_of(&pm.id).unwrap()[0];
    assert!(kept.is_finished() && kept.feedback.len() == 1, "an older export does not reopen the meeting");

    let mut twice = lib.export_document(&[]).unwrap();
    twice.meetings.push(twice.meetings[0].clone());
    let err = lib.import_document(&twice, "twice.json").unwrap_err().to_string();
    assert!(err.contains("twice.json: meetings[1]") && err.contains("appears twice"), "{err}");

    let mut orphan = lib.export_document(&[]).unwrap();
    orphan.meeting_plans = vec![debrief::exchange::json::TemplatePlan {
        template: "Gone".into(),
        plan: debrief::meeting::agenda::MeetingPlan::standard(),
    }];
    let err = lib.import_document(&orphan, "orphan.json").unwrap_err().to_string();
    assert!(err.contains("meeting_plans[0] (\"Gone\").template"), "{err}");

    let mut broken = lib.export_document(&[]).unwrap();
    broken.meetings[0].steps[2].minutes = 0;
    let err = lib.import_document(&broken, "broken.json").unwrap_err().to_string();
    assert!(err.contains("meetings[0]") && err.contains(".steps[2].minutes"), "{err}");
    drop(dir);
}

#[test]
fn a_meeting_left_running_by_a_crash_is_paused_at_its_last_change_on_the_next_start() {
    let (_d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let mut m = lib.open_meeting(&pm.id).unwrap().meeting;
    let long_ago = debrief::clock::now() - Duration::hours(5);
    m.start(long_ago).unwrap();
    lib.save_meeting(&m).unwrap(); // stored now: its last change
    assert_eq!(lib.pause_meetings_left_running().unwrap(), 1);
    let view = lib.get_meeting(&m.id).unwrap();
    assert!(!view.clocks.running);
    let spent = view.meeting.steps[view.meeting.current].spent_seconds;
    assert!((5 * 3600 - 5..=5 * 3600 + 5).contains(&spent), "counted up to the last change: {spent}");
}

#[test]
fn a_template_deleted_takes_its_meeting_plan_with_it() {
    let (_d, mut lib) = library();
    let copy = lib.copy_template("Standard blameless", "Ours").unwrap();
    let mut plan = debrief::meeting::agenda::MeetingPlan::standard();
    plan.steps[0].minutes = 9;
    lib.save_meeting_plan(&copy.name, &plan).unwrap();
    lib.delete_template("Ours").unwrap();
    lib.copy_template("Standard blameless", "Ours").unwrap();
    assert_eq!(lib.meeting_plan("Ours").unwrap(), debrief::meeting::agenda::MeetingPlan::standard());
}
