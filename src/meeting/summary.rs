//! The meeting summary as Markdown: when and how long, who attended, the agenda as planned and
//! as run, decisions, the action items as the postmortem holds them now, the parking lot, the
//! follow-up date and the feedback. Private notes never go in.

use std::fmt::Write;

use super::session::{Answer, Meeting, FEEDBACK_QUESTIONS};
use crate::model::Postmortem;

/// The summary of `meeting` on `pm`.
pub fn markdown(meeting: &Meeting, pm: &Postmortem) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Postmortem meeting: {}\n", one_line(&pm.title));
    let when = match (meeting.started_at, meeting.ended_at) {
        (Some(start), Some(end)) => format!(
            "{} to {} UTC ({} minutes)",
            start.format("%Y-%m-%d %H:%M"),
            end.format("%H:%M"),
            (end - start).num_minutes()
        ),
        (Some(start), None) => format!("started {} UTC, not finished", start.format("%Y-%m-%d %H:%M")),
        _ => "not started".to_string(),
    };
    let _ = writeln!(out, "- When: {when}");
    let _ = writeln!(out, "- Incident: {} ({})", pm.incident_date, pm.severity.as_str());
    if let Some(date) = meeting.follow_up_review {
        let _ = writeln!(out, "- Follow-up review: {date}");
    }

    out.push_str("\n## Attendance\n\n");
    if meeting.attendees.is_empty() {
        out.push_str("Nobody was recorded.\n");
    } else {
        let rows = meeting.attendees.iter().map(|a| vec![cell(&a.name), a.role.label().into(), a.turns.to_string()]);
        table(&mut out, &["Name", "Role", "Turns:"], rows);
    }

    out.push_str("\n## Agenda\n\n");
    let rows = meeting.steps.iter().map(|step| {
        let spent = match step.skipped && step.spent_seconds == 0 {
            true => "skipped".to_string(),
            false => format!("{} min", (step.spent_seconds + 30) / 60),
        };
        vec![step.kind.title().into(), format!("{} min", step.minutes), spent]
    });
    table(&mut out, &["Step", "Planned:", "Spent:"], rows);

    list(&mut out, "Decisions", meeting.decisions.iter().map(|d| one_line(d)));

    out.push_str("\n## Action items\n\n");
    if pm.action_items.is_empty() {
        out.push_str("None yet.\n");
    } else {
        let rows = pm.action_items.iter().map(|a| {
            vec![
                cell(&a.title),
                cell(a.owner.as_deref().unwrap_or("—")),
                a.due_date.map_or("—".to_string(), |d| d.to_string()),
                crate::model::names::words(a.status.as_str()),
            ]
        });
        table(&mut out, &["Item", "Owner", "Due", "Status"], rows);
    }

    list(
        &mut out,
        "Parking lot",
        meeting.parked.iter().map(|p| format!("{} (raised in {})", one_line(&p.text), p.step.title())),
    );

    if !meeting.feedback.is_empty() {
        let _ = write!(out, "\n## Feedback\n\n{} answered.\n\n", meeting.feedback.len());
        let picks: [fn(&super::session::Feedback) -> Answer; 3] =
            [|f| f.blameless, |f| f.everyone_spoke, |f| f.learned];
        let rows = FEEDBACK_QUESTIONS.iter().zip(picks).map(|(question, pick)| {
            let count = |a: Answer| meeting.feedback.iter().filter(|f| pick(f) == a).count().to_string();
            vec![question.to_string(), count(Answer::Yes), count(Answer::Somewhat), count(Answer::No)]
        });
        table(&mut out, &["Question", "Yes:", "Somewhat:", "No:"], rows);
        let comments: Vec<String> =
            meeting.feedback.iter().filter(|f| !f.comment.is_empty()).map(|f| one_line(&f.comment)).collect();
        if !comments.is_empty() {
            out.push('\n');
            for c in comments {
                let _ = writeln!(out, "> {c}");
            }
        }
    }
    out
}

/// A Markdown table; a header ending in `:` names a right-aligned (numeric) column.
fn table(out: &mut String, header: &[&str], rows: impl Iterator<Item = Vec<String>>) {
    let names: Vec<&str> = header.iter().map(|h| h.trim_end_matches(':')).collect();
    let rules: Vec<&str> = header.iter().map(|h| if h.ends_with(':') { "---:" } else { "---" }).collect();
    let _ = writeln!(out, "| {} |\n| {} |", names.join(" | "), rules.join(" | "));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
}

/// A section of bullet points, left out when empty.
fn list(out: &mut String, heading: &str, items: impl Iterator<Item = String>) {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## {heading}\n");
    for item in items {
        let _ = writeln!(out, "- {item}");
    }
}

/// Text on one line (a line break would end a list item or table row).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for a table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::agenda::MeetingPlan;
    use crate::meeting::session::{Feedback, MeetingRole};
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn the_summary_has_attendance_agenda_decisions_items_parking_lot_and_feedback_but_no_notes() {
        let mut pm = crate::meeting::tests::postmortem();
        pm.title = "Checkout | 502s".into();
        let t0 = Utc.with_ymd_and_hms(2025, 11, 27, 10, 0, 0).unwrap();
        let mut m = Meeting::new("m".into(), pm.id.clone(), &MeetingPlan::standard()).unwrap();
        m.add_attendee("Ana", MeetingRole::Facilitator).unwrap();
        m.add_attendee("Bo", MeetingRole::SubjectMatterExpert).unwrap();
        m.spoke("Bo").unwrap();
        m.start(t0).unwrap();
        m.skip(5, true, t0).unwrap();
        m.park("CDN ownership\nfor later", t0 + Duration::minutes(2)).unwrap();
        m.decisions.push("Roll back first, investigate after".into());
        m.notes = "PRIVATE NOTE".into();
        m.follow_up_review = chrono::NaiveDate::from_ymd_opt(2025, 12, 11);
        m.finish(t0 + Duration::minutes(47)).unwrap();
        m.give_feedback(Feedback {
            blameless: Answer::Yes,
            everyone_spoke: Answer::Somewhat,
            learned: Answer::Yes,
            comment: " Good pace ".into(),
        })
        .unwrap();
        let md = markdown(&m, &pm);
        assert!(md.starts_with("# Postmortem meeting: Checkout | 502s\n"), "{md}");
        assert!(md.contains("- When: 2025-11-27 10:00 to 10:47 UTC (47 minutes)"), "{md}");
        assert!(md.contains("- Follow-up review: 2025-12-11"));
        assert!(md.contains("| Bo | Subject-matter expert | 1 |"));
        assert!(md.contains("| Ground rules | 3 min | 2 min |"), "{md}");
        assert!(md.contains("| Timeline, told forward | 15 min | 45 min |"), "{md}");
        assert!(md.contains("| Lessons learned | 4 min | skipped |"), "{md}");
        assert!(md.contains("- Roll back first, investigate after"));
        assert!(md.contains("- CDN ownership for later (raised in Ground rules)"));
        assert!(md.contains("| Did everyone get to speak? | 0 | 1 | 0 |"));
        assert!(md.contains("> Good pace"));
        assert!(!md.contains("PRIVATE"), "private notes stay out");
        assert!(md.contains("None yet."), "no action items yet");
    }

    #[test]
    fn feedback_waits_for_the_end_of_the_meeting() {
        let mut m = Meeting::new("m".into(), "pm".into(), &MeetingPlan::standard()).unwrap();
        let f =
            Feedback { blameless: Answer::No, everyone_spoke: Answer::No, learned: Answer::No, comment: String::new() };
        assert!(m.give_feedback(f).is_err());
    }
}
