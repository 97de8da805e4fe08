//! The blameless language coach: rules kept as data (`language-rules.toml`) applied to every
//! text of a postmortem, plus two checks that need the incident's context: a person's name
//! (or an `@handle`) followed by a blame verb anywhere, and any participant's name or handle
//! inside a cause (root cause, contributing factors, 5-whys answers, fishbone causes).
//!
//! It informs; it never blocks a save.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{FishboneCause, Postmortem};

const RULES: &str = include_str!("language-rules.toml");

/// How strongly a phrasing works against a blameless review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Mild,
    Moderate,
    Strong,
}

/// One rule as written in the data file.
#[derive(Debug, Clone, Deserialize)]
struct RuleSpec {
    id: String,
    kind: String,
    pattern: String,
    why: String,
    suggestion: String,
    replacement: Option<String>,
    strength: Strength,
}

#[derive(Debug, Deserialize)]
struct NamesSpec {
    common: Vec<String>,
    blame_verbs: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RuleFile {
    rule: Vec<RuleSpec>,
    names: NamesSpec,
}

struct Rule {
    spec: RuleSpec,
    regex: Regex,
}

struct Coach {
    rules: Vec<Rule>,
    names: BTreeSet<String>,
    blame_verbs: BTreeSet<String>,
}

fn coach() -> &'static Coach {
    static COACH: OnceLock<Coach> = OnceLock::new();
    COACH.get_or_init(|| {
        let file: RuleFile = toml::from_str(RULES).expect("language-rules.toml is valid (tested)");
        let rules = file
            .rule
            .into_iter()
            .map(|spec| {
                let regex = RegexBuilder::new(&spec.pattern)
                    .case_insensitive(true)
                    .build()
                    .unwrap_or_else(|e| panic!("rule {}: {e}", spec.id));
                Rule { spec, regex }
            })
            .collect();
        Coach {
            rules,
            names: file.names.common.into_iter().collect(),
            blame_verbs: file.names.blame_verbs.into_iter().collect(),
        }
    })
}

/// One flagged phrase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Finding {
    pub rule: String,
    /// question_at_person, person_as_cause, non_systemic_cause, non_systemic_fix, hindsight,
    /// name_in_cause, tone; `chain_ends_on_person` on the last answer of a 5-whys branch.
    pub kind: String,
    pub strength: Strength,
    /// Where: `title`, `sections.summary`, `whys[0].steps[2].answer`, `action_items[1].title`...
    pub field: String,
    /// Byte offsets of the phrase in the field's text.
    pub start: usize,
    pub end: usize,
    /// 1-based line of the phrase within the field's text.
    pub line: usize,
    pub text: String,
    pub why: String,
    pub suggestion: String,
    /// Literal text that may replace the phrase (one-click apply); `None` when a rewrite
    /// needs a person's judgement.
    pub replacement: Option<String>,
}

/// Checks one piece of text. `people` are the incident's names (full names; first names are
/// derived); `is_cause` marks text that states a cause, where any name is flagged.
pub fn check_text(field: &str, text: &str, people: &[String], is_cause: bool) -> Vec<Finding> {
    let c = coach();
    let mut out = Vec::new();
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    for rule in &c.rules {
        for m in rule.regex.find_iter(text) {
            out.push(Finding {
                rule: rule.spec.id.clone(),
                kind: rule.spec.kind.clone(),
                strength: rule.spec.strength,
                field: field.to_string(),
                start: m.start(),
                end: m.end(),
                line: line_of(m.start()),
                text: m.as_str().to_string(),
                why: rule.spec.why.clone(),
                suggestion: rule.spec.suggestion.clone(),
                replacement: rule.spec.replacement.clone(),
            });
        }
    }
    // Names of this incident's people: full names and first names, lowercased.
    let mut known: BTreeSet<String> = BTreeSet::new();
    for p in people {
        let p = p.trim().to_lowercase();
        if p.is_empty() {
            continue;
        }
        if let Some(first) = p.split_whitespace().next() {
            if first.chars().count() >= 2 {
                known.insert(first.to_string());
            }
        }
        known.insert(p);
    }
    for (start, end, word) in words(text) {
        let lower = word.to_lowercase();
        let handle = word.starts_with('@') && word.len() > 1;
        let capitalized = word.chars().next().is_some_and(char::is_uppercase);
        let is_known = known.contains(&lower) || known.contains(lower.trim_start_matches('@'));
        let is_name = handle || is_known || (capitalized && c.names.contains(&lower));
        if !is_name {
            continue;
        }
        // A name followed by a blame verb: the person is the subject of the failure.
        let next = words(&text[end..]).into_iter().next().map(|(_, _, w)| w.to_lowercase());
        if next.as_deref().is_some_and(|v| c.blame_verbs.contains(v)) {
            let (_, next_end, _) = words(&text[end..])[0];
            out.push(Finding {
                rule: "person-did".into(),
                kind: "person_as_cause".into(),
                strength: Strength::Strong,
                field: field.to_string(),
                start,
                end: end + next_end,
                line: line_of(start),
                text: text[start..end + next_end].to_string(),
                why: "\"Person Y did X\" makes a person the cause and hides what the system allowed (seed 004).".into(),
                suggestion:
                    "Reframe with the system as the subject: \"The system allowed X\", \"The pipeline accepted Y\"."
                        .into(),
                replacement: None,
            });
        } else if is_cause && (handle || is_known) {
            out.push(Finding {
                rule: "name-in-cause".into(),
                kind: "name_in_cause".into(),
                strength: Strength::Strong,
                field: field.to_string(),
                start,
                end,
                line: line_of(start),
                text: word.to_string(),
                why: "A named individual in a cause points at a person, not at the conditions; causes should survive any name being swapped out.".into(),
                suggestion: "Replace the name with the role and describe the condition (\"the on-call engineer had no runbook for...\").".into(),
                replacement: Some("the responder".into()),
            });
        }
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| b.end.cmp(&a.end)));
    // Overlapping matches of the same phrase: keep the first (longest) one.
    let mut kept: Vec<Finding> = Vec::new();
    for f in out {
        if kept.last().is_some_and(|k| f.start < k.end && f.rule == k.rule) {
            continue;
        }
        kept.push(f);
    }
    kept
}

/// Words with their byte offsets: letters, digits, `'`, `-` and a leading `@`.
fn words(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in text.char_indices() {
        let part = ch.is_alphanumeric() || ch == '\'' || ch == '-' || (ch == '@' && start.is_none());
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), &text[s..]));
    }
    out
}

/// Every person named in the postmortem.
pub fn people_of(pm: &Postmortem) -> Vec<String> {
    let mut people: Vec<String> = pm.authors.clone();
    people.extend(pm.reviewers.iter().cloned());
    people.extend(pm.incident_commander.iter().cloned());
    people.extend(pm.participants.iter().map(|p| p.name.clone()));
    people.extend(pm.action_items.iter().filter_map(|a| a.owner.clone()));
    people.sort();
    people.dedup();
    people
}

fn cause_tree(path: &str, causes: &[FishboneCause], people: &[String], out: &mut Vec<Finding>) {
    for (i, c) in causes.iter().enumerate() {
        let p = format!("{path}[{i}]");
        out.extend(check_text(&format!("{p}.text"), &c.text, people, true));
        cause_tree(&format!("{p}.children"), &c.children, people, out);
    }
}

/// Checks every text field, action item, 5-whys step and cause of a postmortem.
pub fn check_postmortem(pm: &Postmortem) -> Vec<Finding> {
    let people = people_of(pm);
    let mut out = check_text("title", &pm.title, &people, false);
    for s in &pm.sections {
        let is_cause = matches!(s.key.as_str(), "root_cause" | "contributing_factors");
        out.extend(check_text(&format!("sections.{}", s.key), &s.body, &people, is_cause));
    }
    for (i, e) in pm.timeline.iter().enumerate() {
        out.extend(check_text(&format!("timeline[{i}].text"), &e.text, &people, false));
    }
    for (i, c) in pm.whys.iter().enumerate() {
        out.extend(check_text(&format!("whys[{i}].problem"), &c.problem, &people, false));
        for (j, s) in c.steps.iter().enumerate() {
            out.extend(check_text(&format!("whys[{i}].steps[{j}].question"), &s.question, &people, false));
            let mut answer = check_text(&format!("whys[{i}].steps[{j}].answer"), &s.answer, &people, true);
            let is_leaf = !c.steps.iter().any(|o| o.parent_id.as_deref() == Some(&s.id));
            if is_leaf {
                answer.iter_mut().for_each(mark_chain_end);
            }
            out.extend(answer);
        }
    }
    for (i, f) in pm.fishbones.iter().enumerate() {
        out.extend(check_text(&format!("fishbones[{i}].effect"), &f.effect, &people, false));
        for (j, cat) in f.categories.iter().enumerate() {
            cause_tree(&format!("fishbones[{i}].categories[{j}].causes"), &cat.causes, &people, &mut out);
        }
    }
    for (i, f) in pm.contributing_factors.iter().enumerate() {
        out.extend(check_text(&format!("contributing_factors[{i}].text"), &f.text, &people, true));
    }
    for (i, a) in pm.action_items.iter().enumerate() {
        out.extend(check_text(&format!("action_items[{i}].title"), &a.title, &people, false));
        out.extend(check_text(&format!("action_items[{i}].description"), &a.description, &people, false));
    }
    out
}

/// Kinds of finding that, on the last answer of a 5-whys branch, mean the chain stopped at a
/// person instead of a condition of the system.
const PERSON_KINDS: [&str; 3] = ["person_as_cause", "non_systemic_cause", "name_in_cause"];

/// Re-labels a strong person-centred finding on the last step of a branch as
/// `chain_ends_on_person`, keeping the rule's own explanation after the chain-level one.
fn mark_chain_end(f: &mut Finding) {
    if f.strength == Strength::Strong && PERSON_KINDS.contains(&f.kind.as_str()) {
        f.kind = "chain_ends_on_person".to_string();
        f.why = format!(
            "This chain of whys stops at a person, so it stops too early: ask why once more, about \
             the conditions that made the action possible or likely. {}",
            f.why
        );
    }
}

/// The last step of each 5-whys branch that ends on a person (PRODUCT.md capability 6).
pub fn chain_ends_on_person(pm: &Postmortem) -> Vec<Finding> {
    check_postmortem(pm).into_iter().filter(|f| f.kind == "chain_ends_on_person").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_file_parses_and_every_pattern_compiles() {
        assert!(coach().rules.len() >= 10);
        assert!(coach().names.contains("bob"));
    }

    #[test]
    fn a_finding_carries_its_offsets_line_and_replacement() {
        let text = "Summary line.\nThe root cause was human error.";
        let f = check_text("sections.root_cause", text, &[], true);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(&text[f[0].start..f[0].end], "human error");
        assert_eq!(f[0].line, 2);
        assert_eq!(f[0].replacement.as_deref(), Some("a gap in the system's safeguards"));
    }

    #[test]
    fn participants_are_flagged_in_causes_but_not_in_the_timeline() {
        let people = vec!["Dana Okafor".to_string()];
        assert_eq!(check_text("x", "Dana restarted the pods at 14:05", &people, false).len(), 0);
        let f = check_text("x", "The pods were restarted by Dana without a drain", &people, true);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].kind, "name_in_cause");
        assert_eq!(check_text("x", "Escalated to @dana", &people, true)[0].text, "@dana");
    }
}
