//! The golden cases in `tests/fixtures/golden/`: rules the window repeats from the core, read
//! by both this suite and the window's (`ui/src/lib/golden.test.ts`), so the two copies
//! cannot drift apart.

use chrono::NaiveDate;
use debrief::model::{
    ActionItem, ActionKind, ActionStatus, Fishbone, Priority, Section, Severity, Template, TemplateSection,
};
use serde::Deserialize;

fn golden<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Deserialize)]
struct OverdueCase {
    why: String,
    status: ActionStatus,
    due_date: Option<NaiveDate>,
    today: NaiveDate,
    overdue: bool,
}

#[test]
fn overdue_follows_the_golden_cases() {
    let cases: Vec<OverdueCase> = golden("overdue.json");
    assert!(cases.len() >= 5);
    for c in cases {
        let item = ActionItem {
            id: "a".into(),
            title: "t".into(),
            description: String::new(),
            owner: None,
            due_date: c.due_date,
            priority: Priority::P2,
            kind: ActionKind::Prevent,
            status: c.status,
            wont_do_reason: None,
            tracker_url: None,
            created_at: debrief::clock::now(),
            completed_at: None,
            source_step_id: None,
            source_factor_id: None,
        };
        assert_eq!(item.is_overdue(c.today), c.overdue, "{}", c.why);
    }
}

#[derive(Deserialize)]
struct RequiredSections {
    template: Template,
    cases: Vec<RequiredCase>,
}

#[derive(Deserialize)]
struct RequiredCase {
    why: String,
    sections: Vec<Section>,
    unwritten: Vec<String>,
}

#[test]
fn unwritten_required_sections_follow_the_golden_cases() {
    let golden: RequiredSections = golden("required-sections.json");
    for c in golden.cases {
        let unwritten: Vec<String> =
            golden.template.unwritten_required(&c.sections).into_iter().map(|s| s.heading.clone()).collect();
        assert_eq!(unwritten, c.unwritten, "{}", c.why);
    }
}

#[derive(Deserialize)]
struct KeyCase {
    key: String,
    valid: bool,
}

#[test]
fn section_keys_follow_the_golden_cases() {
    let cases: Vec<KeyCase> = golden("section-keys.json");
    for c in cases {
        assert_eq!(TemplateSection::is_valid_key(&c.key), c.valid, "{:?}", c.key);
    }
}

#[test]
fn fishbone_default_categories_are_the_golden_list() {
    let names: Vec<String> = golden("fishbone-categories.json");
    assert_eq!(names, Fishbone::DEFAULT_CATEGORIES);
}

#[derive(Deserialize)]
struct SuggestedCase {
    severity: Severity,
    template: String,
}

#[test]
fn the_suggested_template_follows_the_golden_cases() {
    let cases: Vec<SuggestedCase> = golden("suggested-template.json");
    assert_eq!(cases.len(), 4, "one case per severity");
    for c in cases {
        assert_eq!(debrief::review::templates::suggested_for(c.severity), c.template);
    }
}

#[test]
fn search_filter_names_are_the_golden_list() {
    let names: Vec<String> = golden("search-filter-names.json");
    assert_eq!(names, debrief::search::query::FILTER_NAMES);
}

#[derive(Deserialize)]
struct ClocksCase {
    why: String,
    minutes: Vec<u32>,
    spent: Vec<i64>,
    skipped: Vec<usize>,
    current: usize,
    running: bool,
    read_after_s: i64,
    elapsed_ms: i64,
    at_read: debrief::meeting::session::MeetingClocks,
    later: debrief::meeting::session::MeetingClocks,
}

#[test]
fn meeting_clocks_follow_the_golden_cases() {
    use debrief::meeting::{agenda::MeetingPlan, session::Meeting};
    let cases: Vec<ClocksCase> = golden("meeting-clocks.json");
    assert!(cases.len() >= 5);
    let t0 = chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap();
    for c in cases {
        let mut m = Meeting::new("m".into(), "pm".into(), &MeetingPlan::standard()).unwrap();
        for (i, step) in m.steps.iter_mut().enumerate() {
            step.minutes = c.minutes[i];
            step.spent_seconds = c.spent[i];
            step.skipped = c.skipped.contains(&i);
        }
        m.current = c.current;
        m.running_since = c.running.then_some(t0);
        let read = t0 + chrono::Duration::seconds(c.read_after_s);
        assert_eq!(m.clocks(read), c.at_read, "{} (as read)", c.why);
        // The screen never counts back; the core, asked at an earlier moment, would.
        let later = read + chrono::Duration::milliseconds(c.elapsed_ms.max(0));
        assert_eq!(m.clocks(later), c.later, "{} (later)", c.why);
    }
}

#[derive(Deserialize)]
struct RoleCase {
    role: debrief::meeting::session::MeetingRole,
    label: String,
}

#[test]
fn meeting_role_labels_follow_the_golden_cases() {
    use strum::VariantArray;
    let cases: Vec<RoleCase> = golden("meeting-roles.json");
    assert_eq!(cases.len(), debrief::meeting::session::MeetingRole::VARIANTS.len(), "every role has a case");
    for c in cases {
        assert_eq!(c.role.label(), c.label);
    }
}
