//! The managed taxonomy (services, categories) and postmortem templates.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A service incidents happen to, with its SLO for error-budget analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Service {
    /// Unique name, case-insensitive (`payments-api`), as postmortems refer to it.
    pub name: String,
    /// What the service is; may be empty.
    pub description: String,
    /// SLO target as a fraction, e.g. 0.999.
    pub slo_target: Option<f64>,
    /// SLO window in days, e.g. 30.
    #[ts(type = "number | null")]
    pub slo_window_days: Option<i64>,
    /// The team that owns the service, if named.
    #[serde(default)]
    pub team: Option<String>,
    /// Retired: kept on the postmortems that name it, no longer offered for new ones.
    #[serde(default)]
    pub retired: bool,
}

impl Service {
    /// Checks what the database would refuse, so the error names the field: a name, an SLO
    /// target strictly between 0 and 1 (99.9% is 0.999), a window of at least one day.
    pub fn validate(&self) -> crate::Result<()> {
        use crate::Error;
        if self.name.trim().is_empty() {
            return Err(Error::invalid("name", "must not be empty"));
        }
        if let Some(t) = self.slo_target {
            if !(t > 0.0 && t < 1.0) {
                return Err(Error::invalid(
                    "slo_target",
                    format!("{t} is not a fraction between 0 and 1 (99.9% is 0.999)"),
                ));
            }
        }
        if let Some(days) = self.slo_window_days {
            if days < 1 {
                return Err(Error::invalid("slo_window_days", format!("{days} days; the window is at least 1 day")));
            }
        }
        if self.team.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(Error::invalid("team", "must not be blank; leave it out for no team"));
        }
        Ok(())
    }
}

/// A category: an incident failure mode (`config change`, `capacity`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Category {
    /// Unique name, case-insensitive, as postmortems refer to it.
    pub name: String,
    /// What the category covers; may be empty.
    pub description: String,
    /// Retired: kept on the postmortems that name it, no longer offered for new ones.
    #[serde(default)]
    pub retired: bool,
}

/// A root-cause type for contributing factors (`Monitoring gap`, ...). Factors keep the type
/// as text, so renaming or merging a type rewrites the factors that name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RootCauseType {
    /// Unique name, case-insensitive.
    pub name: String,
    /// What the type covers; may be empty.
    pub description: String,
    /// Retired: kept on the factors that name it, no longer offered for new ones.
    pub retired: bool,
}

/// One section of a template, with the guidance shown beside the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateSection {
    /// Stable key the postmortem's section keeps (`summary`, `impact`, ...).
    pub key: String,
    /// The section's heading in a new postmortem.
    pub heading: String,
    /// What to write in the section.
    pub guidance: String,
    /// Questions that help write it.
    pub prompts: Vec<String>,
    /// Final needs the section written.
    pub required: bool,
    /// Markdown the section starts with in a new postmortem.
    pub placeholder: String,
}

impl TemplateSection {
    /// Whether `key` is one a section may have: lowercase ASCII letters, digits and `_`, not
    /// empty. The template editor repeats this while typing (pinned by the golden cases in
    /// `tests/fixtures/golden/section-keys.json`).
    pub fn is_valid_key(key: &str) -> bool {
        !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }

    /// Whether `body` counts as written for this section: not blank, and not still the
    /// template's starting text.
    pub fn is_written(&self, body: &str) -> bool {
        let body = body.trim();
        !body.is_empty() && body != self.placeholder.trim()
    }
}

impl Template {
    /// The required sections not yet written in `sections` (missing, blank, or still the
    /// starting text), in template order. Final needs none; the editor's checklist shows the
    /// same list (pinned by `tests/fixtures/golden/required-sections.json`).
    pub fn unwritten_required<'t>(&'t self, sections: &[super::Section]) -> Vec<&'t TemplateSection> {
        self.sections
            .iter()
            .filter(|ts| ts.required)
            .filter(|ts| !sections.iter().find(|s| s.key == ts.key).is_some_and(|s| ts.is_written(&s.body)))
            .collect()
    }
}

/// A postmortem template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Template {
    /// Unique name, case-insensitive; postmortems record the one they were started from.
    pub name: String,
    /// What the template is for.
    pub description: String,
    /// Ships with Debrief; cannot be replaced or deleted.
    pub builtin: bool,
    /// The sections, in order.
    pub sections: Vec<TemplateSection>,
}
