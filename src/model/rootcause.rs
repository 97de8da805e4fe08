//! Root-cause structures: 5-whys chains, fishbone (Ishikawa) diagrams, contributing factors.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ActionItem, ActionKind, ActionStatus, Postmortem, Priority};
use crate::{Error, Result};

/// One step of a 5-whys chain: a "why" question and its "because" answer. Steps form a tree
/// through `parent_id`, so one answer may branch into several causes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WhyStep {
    /// Stable id; contributing factors and action items made from the step refer to it.
    pub id: String,
    /// The step this one asks "why?" of; `None` for the first step of the chain.
    pub parent_id: Option<String>,
    /// The "why?" asked.
    pub question: String,
    /// The "because" found.
    pub answer: String,
    /// Timeline event ids cited as evidence. An id whose event was deleted stays here and is
    /// shown as a broken link.
    pub evidence: Vec<String>,
}

/// A 5-whys chain starting from one problem statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WhysChain {
    /// Stable id.
    pub id: String,
    /// The problem the chain starts from.
    pub problem: String,
    /// The steps, a tree through their `parent_id`.
    pub steps: Vec<WhyStep>,
}

/// A cause on a fishbone, possibly with sub-causes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FishboneCause {
    /// Stable id; contributing factors refer to it.
    pub id: String,
    /// The cause, in words.
    pub text: String,
    /// Sub-causes of this cause.
    pub children: Vec<FishboneCause>,
}

/// One bone of a fishbone (People, Process, Technology, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FishboneCategory {
    /// Stable id.
    pub id: String,
    /// The category's name (`People`, `Process`, ...).
    pub name: String,
    /// The causes on this bone.
    pub causes: Vec<FishboneCause>,
}

/// A fishbone diagram: an effect and the categories of causes leading to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Fishbone {
    /// Stable id.
    pub id: String,
    /// The problem the diagram explains, drawn at the head of the fish.
    pub effect: String,
    /// The categories, one bone each.
    pub categories: Vec<FishboneCategory>,
}

impl Fishbone {
    /// The default categories of seed 004.
    pub const DEFAULT_CATEGORIES: [&'static str; 6] =
        ["People", "Process", "Technology", "Environment", "Timing", "Configuration"];
}

/// Root-cause types a contributing factor can be filed under besides the fishbone categories:
/// the kinds of systemic gap that incident reviews keep finding (seed 003's "root cause type"
/// tag). The library's taxonomy offers these plus any other type its factors already use.
pub const ROOT_CAUSE_TYPES: [&str; 12] = [
    "Change management",
    "Configuration drift",
    "Capacity planning",
    "Dependency failure",
    "Software defect",
    "Monitoring gap",
    "Alerting gap",
    "Runbook gap",
    "Testing gap",
    "Access and permissions",
    "Third-party provider",
    "Hardware or infrastructure",
];

/// A condition that enabled or worsened the incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContributingFactor {
    /// Stable id; action items refer to it.
    pub id: String,
    /// The condition, in words.
    pub text: String,
    /// A fishbone category or a root-cause type of the taxonomy.
    pub category: Option<String>,
    /// The 5-whys step this factor was gathered from, if any.
    pub source_step_id: Option<String>,
    /// The fishbone cause this factor was gathered from, if any.
    #[serde(default)]
    pub source_cause_id: Option<String>,
}

/// A citation from a 5-whys step to a timeline event that no longer exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BrokenEvidence {
    /// The chain the step is in.
    pub chain_id: String,
    /// The step that cites the missing event.
    pub step_id: String,
    /// The id of the event that no longer exists.
    pub event_id: String,
}

/// Longest title an action item gets from the text it was made from.
const TITLE_CHARS: usize = 140;

/// `text` cut to at most `TITLE_CHARS` characters at a word boundary, with an ellipsis.
pub(crate) fn title_from(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= TITLE_CHARS {
        return text;
    }
    let cut: String = text.chars().take(TITLE_CHARS).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// Root-cause operations on a postmortem being edited: turning a 5-whys step or a fishbone
/// cause into a contributing factor or an action item, keeping a link back to where it came
/// from. Each is idempotent: asking twice returns what the first call made.
impl Postmortem {
    /// The chain and step with id `step_id`.
    pub fn find_step(&self, step_id: &str) -> Option<(&WhysChain, &WhyStep)> {
        self.whys.iter().find_map(|c| c.steps.iter().find(|s| s.id == step_id).map(|s| (c, s)))
    }

    /// The category and cause with id `cause_id`, searching nested causes.
    pub fn find_cause(&self, cause_id: &str) -> Option<(&FishboneCategory, &FishboneCause)> {
        fn walk<'a>(causes: &'a [FishboneCause], id: &str) -> Option<&'a FishboneCause> {
            causes.iter().find_map(|c| if c.id == id { Some(c) } else { walk(&c.children, id) })
        }
        self.fishbones.iter().flat_map(|f| &f.categories).find_map(|cat| walk(&cat.causes, cause_id).map(|c| (cat, c)))
    }

    fn step(&self, step_id: &str) -> Result<&WhyStep> {
        self.find_step(step_id)
            .map(|(_, s)| s)
            .ok_or_else(|| Error::NotFound { what: "5-whys step", id: step_id.to_string() })
    }

    /// Index of the contributing factor gathered from 5-whys step `step_id`, adding it (text
    /// from the step's answer, no category yet) when there is none.
    pub fn factor_from_step(&mut self, step_id: &str) -> Result<usize> {
        if let Some(i) = self.contributing_factors.iter().position(|f| f.source_step_id.as_deref() == Some(step_id)) {
            return Ok(i);
        }
        let step = self.step(step_id)?;
        let text = if step.answer.trim().is_empty() { step.question.trim() } else { step.answer.trim() }.to_string();
        self.contributing_factors.push(ContributingFactor {
            id: crate::clock::new_id(),
            text,
            category: None,
            source_step_id: Some(step_id.to_string()),
            source_cause_id: None,
        });
        Ok(self.contributing_factors.len() - 1)
    }

    /// Index of the contributing factor gathered from fishbone cause `cause_id`, adding it
    /// (text from the cause, category from its bone) when there is none.
    pub fn factor_from_cause(&mut self, cause_id: &str) -> Result<usize> {
        if let Some(i) = self.contributing_factors.iter().position(|f| f.source_cause_id.as_deref() == Some(cause_id)) {
            return Ok(i);
        }
        let (category, cause) = self
            .find_cause(cause_id)
            .ok_or_else(|| Error::NotFound { what: "fishbone cause", id: cause_id.to_string() })?;
        let factor = ContributingFactor {
            id: crate::clock::new_id(),
            text: cause.text.trim().to_string(),
            category: Some(category.name.clone()).filter(|n| !n.trim().is_empty()),
            source_step_id: None,
            source_cause_id: Some(cause_id.to_string()),
        };
        self.contributing_factors.push(factor);
        Ok(self.contributing_factors.len() - 1)
    }

    /// Index of the action item made from 5-whys step `step_id`, adding a prevent-type, P2,
    /// unowned item when there is none: the facilitator fills in owner and due date.
    pub fn action_from_step(&mut self, step_id: &str, now: DateTime<Utc>) -> Result<usize> {
        if let Some(i) = self.action_items.iter().position(|a| a.source_step_id.as_deref() == Some(step_id)) {
            return Ok(i);
        }
        let (chain, step) =
            self.find_step(step_id).ok_or_else(|| Error::NotFound { what: "5-whys step", id: step_id.to_string() })?;
        let cause = if step.answer.trim().is_empty() { &step.question } else { &step.answer };
        let description =
            format!("From the 5 whys on \"{}\": {} {}", chain.problem.trim(), step.question.trim(), step.answer.trim());
        let item = new_item(title_from(&format!("Address: {}", cause.trim())), description, now);
        self.action_items.push(ActionItem { source_step_id: Some(step_id.to_string()), ..item });
        Ok(self.action_items.len() - 1)
    }

    /// Index of the action item made from contributing factor `factor_id` (see
    /// [`Postmortem::action_from_step`]); the item also keeps the factor's step, if any.
    pub fn action_from_factor(&mut self, factor_id: &str, now: DateTime<Utc>) -> Result<usize> {
        if let Some(i) = self.action_items.iter().position(|a| a.source_factor_id.as_deref() == Some(factor_id)) {
            return Ok(i);
        }
        let factor = self
            .contributing_factors
            .iter()
            .find(|f| f.id == factor_id)
            .ok_or_else(|| Error::NotFound { what: "contributing factor", id: factor_id.to_string() })?;
        let item = new_item(
            title_from(&format!("Address: {}", factor.text.trim())),
            format!("From the contributing factor: {}", factor.text.trim()),
            now,
        );
        let source_step_id = factor.source_step_id.clone();
        self.action_items.push(ActionItem { source_factor_id: Some(factor_id.to_string()), source_step_id, ..item });
        Ok(self.action_items.len() - 1)
    }

    /// Evidence citations whose timeline event was deleted, shown as broken links.
    pub fn broken_evidence(&self) -> Vec<BrokenEvidence> {
        let mut out = Vec::new();
        for chain in &self.whys {
            for step in &chain.steps {
                for event_id in &step.evidence {
                    if !self.timeline.iter().any(|e| &e.id == event_id) {
                        out.push(BrokenEvidence {
                            chain_id: chain.id.clone(),
                            step_id: step.id.clone(),
                            event_id: event_id.clone(),
                        });
                    }
                }
            }
        }
        out
    }
}

fn new_item(title: String, description: String, now: DateTime<Utc>) -> ActionItem {
    ActionItem {
        id: crate::clock::new_id(),
        title,
        description,
        owner: None,
        due_date: None,
        priority: Priority::P2,
        kind: ActionKind::Prevent,
        status: ActionStatus::Open,
        wont_do_reason: None,
        tracker_url: None,
        created_at: now,
        completed_at: None,
        source_step_id: None,
        source_factor_id: None,
    }
}
