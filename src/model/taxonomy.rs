//! The managed taxonomy (services, categories) and postmortem templates.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A service incidents happen to, with its SLO for error-budget analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Service {
    pub name: String,
    pub description: String,
    /// SLO target as a fraction, e.g. 0.999.
    pub slo_target: Option<f64>,
    /// SLO window in days, e.g. 30.
    #[ts(type = "number | null")]
    pub slo_window_days: Option<i64>,
}

/// A category: an incident failure mode (`config change`, `capacity`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Category {
    pub name: String,
    pub description: String,
}

/// One section of a template, with the guidance shown beside the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateSection {
    pub key: String,
    pub heading: String,
    pub guidance: String,
    pub prompts: Vec<String>,
    pub required: bool,
    /// Markdown the section starts with in a new postmortem.
    pub placeholder: String,
}

/// A postmortem template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Template {
    pub name: String,
    pub description: String,
    pub builtin: bool,
    pub sections: Vec<TemplateSection>,
}
