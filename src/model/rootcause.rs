//! Root-cause structures: 5-whys chains, fishbone (Ishikawa) diagrams, contributing factors.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One step of a 5-whys chain: a "why" question and its "because" answer. Steps form a tree
/// through `parent_id`, so one answer may branch into several causes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WhyStep {
    pub id: String,
    /// The step this one asks "why?" of; `None` for the first step of the chain.
    pub parent_id: Option<String>,
    pub question: String,
    pub answer: String,
    /// Timeline event ids cited as evidence. An id whose event was deleted stays here and is
    /// shown as a broken link.
    pub evidence: Vec<String>,
}

/// A 5-whys chain starting from one problem statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WhysChain {
    pub id: String,
    pub problem: String,
    pub steps: Vec<WhyStep>,
}

/// A cause on a fishbone, possibly with sub-causes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FishboneCause {
    pub id: String,
    pub text: String,
    pub children: Vec<FishboneCause>,
}

/// One bone of a fishbone (People, Process, Technology, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FishboneCategory {
    pub id: String,
    pub name: String,
    pub causes: Vec<FishboneCause>,
}

/// A fishbone diagram: an effect and the categories of causes leading to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Fishbone {
    pub id: String,
    pub effect: String,
    pub categories: Vec<FishboneCategory>,
}

impl Fishbone {
    /// The default categories of seed 004.
    pub const DEFAULT_CATEGORIES: [&'static str; 6] =
        ["People", "Process", "Technology", "Environment", "Timing", "Configuration"];
}

/// A condition that enabled or worsened the incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContributingFactor {
    pub id: String,
    pub text: String,
    /// A fishbone category or a root-cause type of the taxonomy.
    pub category: Option<String>,
    /// The 5-whys step this factor was gathered from, if any.
    pub source_step_id: Option<String>,
}
