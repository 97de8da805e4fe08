//! The wrap-up checklist: PRODUCT.md's closing rules for a postmortem meeting, each checked
//! against the postmortem as it stands, and each unmet one naming the field to fix (the same
//! paths as validation and the action-item nudges: `action_items[2].owner`, `sections.impact`).
//!
//! The rules: every item still owed has one owner (a person, not a team) and a due date, and
//! is systemic (these three are [`nudges::action_nudges`]' findings); there are three to five
//! items (not counting those marked won't do); the template's required sections are written;
//! a follow-up review date is set.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{ActionStatus, Postmortem, Template};
use crate::review::nudges;

/// Fewest action items a meeting should leave behind.
pub const MIN_ITEMS: usize = 3;

/// One closing rule, met or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ClosingCheck {
    /// `owners_and_dates`, `three_to_five`, `systemic`, `required_sections`, `follow_up`.
    pub rule: String,
    /// The rule in words.
    pub title: String,
    /// Whether it holds.
    pub met: bool,
    /// What is wrong, in words; empty when met.
    pub problem: String,
    /// Where to fix it: field paths, the first first; empty when met.
    pub fields: Vec<String>,
}

/// The wrap-up checklist of `pm`, with the library's templates (its own names the required
/// sections) and the follow-up review date agreed in the meeting.
pub fn wrap_up(pm: &Postmortem, templates: &[Template], follow_up_review: Option<NaiveDate>) -> Vec<ClosingCheck> {
    let check = |rule: &str, title: &str, problems: Vec<(String, String)>| {
        let problem = problems.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>().join(" ");
        ClosingCheck {
            rule: rule.into(),
            title: title.into(),
            met: problems.is_empty(),
            problem,
            fields: problems.into_iter().map(|(f, _)| f).collect(),
        }
    };
    // Owners, due dates and "try harder" items are the action-item nudges' own findings (on
    // the items still owed), so the meeting and the editor never disagree.
    let nudges = nudges::action_nudges(pm);
    let of_kind = |kinds: &[&str]| -> Vec<(String, String)> {
        nudges
            .iter()
            .filter(|n| kinds.contains(&n.kind.as_str()))
            .map(|n| (n.field.clone(), n.message.clone()))
            .collect()
    };
    let owners = of_kind(&["no_owner", "team_owner", "no_due_date"]);
    let systemic = of_kind(&["not_systemic"]);
    let counted = pm.action_items.iter().filter(|a| a.status != ActionStatus::WontDo).count();

    let mut count = Vec::new();
    if !(MIN_ITEMS..=nudges::MAX_ITEMS).contains(&counted) {
        let n = counted;
        let problem = match n < MIN_ITEMS {
            true => format!("{n} action item{}: a meeting should leave three to five changes behind.", plural(n)),
            false => format!("{n} action items: keep the five that matter most; long lists are where items go to die."),
        };
        count.push(("action_items".to_string(), problem));
    }

    let template =
        pm.template.as_deref().map(|name| (name, templates.iter().find(|t| t.name.eq_ignore_ascii_case(name))));
    let sections: Vec<(String, String)> = match template {
        None => vec![],
        // A template renamed or deleted since: which sections it required is unknown, which is
        // said rather than passed over.
        Some((name, None)) => vec![(
            "template".to_string(),
            format!("The template \"{name}\" is no longer in the library: choose one to check the required sections."),
        )],
        Some((_, Some(t))) => t
            .unwritten_required(&pm.sections)
            .into_iter()
            .map(|ts| (format!("sections.{}", ts.key), format!("\"{}\" is not written yet.", ts.heading)))
            .collect(),
    };

    let follow_up = match follow_up_review {
        Some(_) => vec![],
        None => vec![(
            "meeting.follow_up_review".to_string(),
            "No follow-up review date: set when the team checks the items' progress.".to_string(),
        )],
    };

    vec![
        check("owners_and_dates", "Every action item has one owner and a due date", owners),
        check("three_to_five", "Three to five action items", count),
        check("systemic", "The items change the system", systemic),
        check("required_sections", "The required sections are written", sections),
        check("follow_up", "A follow-up review date is set", follow_up),
    ]
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ActionItem;

    fn item(title: &str, owner: Option<&str>, due: bool) -> ActionItem {
        ActionItem {
            id: crate::clock::new_id(),
            title: title.into(),
            description: String::new(),
            owner: owner.map(str::to_string),
            due_date: due.then(|| NaiveDate::from_ymd_opt(2025, 12, 15).unwrap()),
            priority: crate::model::Priority::P1,
            kind: crate::model::ActionKind::Prevent,
            status: ActionStatus::Open,
            wont_do_reason: None,
            tracker_url: None,
            created_at: crate::clock::now(),
            completed_at: None,
            source_step_id: None,
            source_factor_id: None,
        }
    }

    fn rule<'a>(checks: &'a [ClosingCheck], name: &str) -> &'a ClosingCheck {
        checks.iter().find(|c| c.rule == name).unwrap()
    }

    #[test]
    fn a_good_postmortem_meets_every_rule() {
        let template = crate::review::templates::standard();
        let mut pm = super::super::tests::postmortem();
        for s in pm.sections.iter_mut() {
            s.body = "Written in the meeting.".into();
        }
        pm.action_items = vec![
            item("Alert on connection-pool saturation", Some("Ana"), true),
            item("Add a pre-deploy migration check to CI", Some("Bo"), true),
            item("Load test with production-sized data", Some("Cy"), true),
        ];
        let checks = wrap_up(&pm, &[template], NaiveDate::from_ymd_opt(2026, 1, 5));
        assert!(checks.iter().all(|c| c.met && c.fields.is_empty()), "{checks:#?}");
        assert_eq!(checks.len(), 5);
    }

    #[test]
    fn each_unmet_rule_names_the_field_to_fix() {
        let template = crate::review::templates::standard();
        let mut pm = super::super::tests::postmortem();
        pm.action_items = vec![
            item("Alert on pool saturation", None, true),
            item("Be more careful when deploying", Some("Platform team"), false),
        ];
        let checks = wrap_up(&pm, std::slice::from_ref(&template), None);
        let owners = rule(&checks, "owners_and_dates");
        assert!(!owners.met);
        assert_eq!(owners.fields, ["action_items[0].owner", "action_items[1].owner", "action_items[1].due_date"]);
        assert!(owners.problem.contains("\"Platform team\" is a group"), "{}", owners.problem);
        let count = rule(&checks, "three_to_five");
        assert_eq!((count.met, count.fields.as_slice()), (false, &["action_items".to_string()][..]));
        assert!(count.problem.starts_with("2 action items"));
        let systemic = rule(&checks, "systemic");
        assert_eq!(systemic.fields, ["action_items[1].title"]);
        let sections = rule(&checks, "required_sections");
        assert!(!sections.met);
        assert!(sections.fields.iter().all(|f| f.starts_with("sections.")), "{:?}", sections.fields);
        assert_eq!(rule(&checks, "follow_up").fields, ["meeting.follow_up_review"]);
    }

    #[test]
    fn items_marked_wont_do_do_not_count() {
        let mut pm = super::super::tests::postmortem();
        pm.action_items =
            (0..6).map(|i| item(&format!("Add alert {i} on the queue depth"), Some("Ana"), true)).collect();
        pm.template = None;
        assert!(!rule(&wrap_up(&pm, &[], None), "three_to_five").met);
        pm.action_items[5].status = ActionStatus::WontDo;
        pm.action_items[5].wont_do_reason = Some("Covered by item 1".into());
        let checks = wrap_up(&pm, &[], None);
        assert!(rule(&checks, "three_to_five").met);
        assert!(rule(&checks, "required_sections").met, "no template: nothing is required");
    }

    #[test]
    fn a_template_gone_from_the_library_is_said_not_passed_over() {
        let mut pm = super::super::tests::postmortem();
        pm.template = Some("Retired template".into());
        let sections = wrap_up(&pm, &[crate::review::templates::standard()], None)
            .into_iter()
            .find(|c| c.rule == "required_sections")
            .unwrap();
        assert!(!sections.met);
        assert_eq!(sections.fields, ["template"]);
        assert!(sections.problem.contains("\"Retired template\" is no longer in the library"), "{}", sections.problem);
    }
}
