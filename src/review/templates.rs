//! The built-in postmortem templates (seeds 003 and 004), with guidance and prompts for each
//! section. They are written into every library when it opens, so they can be listed and
//! copied like user templates; user templates with other names are left alone.

use crate::model::{Severity, Template, TemplateSection};

/// Name of the standard blameless template.
pub const STANDARD: &str = "Standard blameless";
/// Name of the near-miss template.
pub const NEAR_MISS: &str = "Near miss";
/// Name of the light template for minor incidents.
pub const LIGHT: &str = "Light (SEV3/SEV4)";

fn section(
    key: &str,
    heading: &str,
    required: bool,
    guidance: &str,
    prompts: &[&str],
    placeholder: &str,
) -> TemplateSection {
    TemplateSection {
        key: key.into(),
        heading: heading.into(),
        guidance: guidance.into(),
        prompts: prompts.iter().map(|p| p.to_string()).collect(),
        required,
        placeholder: placeholder.into(),
    }
}

fn summary() -> TemplateSection {
    section(
        "summary",
        "Summary",
        true,
        "2-3 sentences: what happened, what the impact was, how it was resolved. A reader who \
         reads only this section should understand the incident.",
        &["What did users experience?", "How was it resolved?"],
        "",
    )
}

fn lessons() -> TemplateSection {
    section(
        "lessons",
        "Lessons learned",
        true,
        "Broader insights beyond the action items: what did this incident reveal about our \
         systems, processes or assumptions?",
        &["What surprised us?", "What would we tell a team that has not met this failure yet?"],
        "",
    )
}

/// The standard blameless template of seeds 003/004.
pub fn standard() -> Template {
    Template {
        name: STANDARD.into(),
        description: "The full blameless postmortem: impact, timeline, 5 whys, contributing factors, \
                      what went well and poorly, action items, lessons."
            .into(),
        builtin: true,
        sections: vec![
            summary(),
            section(
                "impact",
                "Impact",
                true,
                "Who was affected and how much: duration, users affected, revenue, support \
                 tickets, error budget consumed, any data loss or exposure. The structured \
                 impact fields hold the numbers; use this section for the story behind them.",
                &["Which users or regions?", "Was any data lost, corrupted or exposed?"],
                "",
            ),
            section(
                "timeline",
                "Timeline",
                false,
                "Chronological record in UTC: detection, key decisions, actions, escalations, \
                 resolution. Tell it forward: what was known at each moment.",
                &["What did responders know at this point?", "What signals were available but not seen?"],
                "All times UTC. Key events are in the structured timeline.",
            ),
            section(
                "root_cause",
                "Root cause analysis",
                true,
                "Ask \"why?\" iteratively to move past the proximate cause to systemic factors. \
                 A chain that ends on a person has stopped too early.",
                &["What conditions allowed this?", "Why did our safeguards not catch it?"],
                "",
            ),
            section(
                "contributing_factors",
                "Contributing factors",
                false,
                "Other conditions that enabled or worsened the incident, even if they did not \
                 directly cause it.",
                &["What made detection slower?", "What made mitigation harder?"],
                "",
            ),
            section(
                "went_well",
                "What went well",
                false,
                "What worked during the response: detection, mitigation, communication. This \
                 reinforces practices worth keeping.",
                &["Which alert or tool helped most?"],
                "",
            ),
            section(
                "went_poorly",
                "What went poorly",
                false,
                "Where the response struggled. Describe systems and conditions, not people.",
                &["Where did we lose time?", "What information was missing?"],
                "",
            ),
            section(
                "action_items",
                "Action items",
                false,
                "Three to five systemic items, each with one owner and a due date. \"Be more \
                 careful\" is not an action item.",
                &["What would prevent recurrence?", "What would detect it sooner?"],
                "",
            ),
            lessons(),
        ],
    }
}

/// A short template for situations that could have become incidents.
pub fn near_miss() -> Template {
    Template {
        name: NEAR_MISS.into(),
        description: "For a situation caught by luck or a single safeguard before it became an incident.".into(),
        builtin: true,
        sections: vec![
            summary(),
            section(
                "what_happened",
                "What happened",
                true,
                "The sequence of events and what was about to go wrong.",
                &["How close did it come?", "Who or what noticed?"],
                "",
            ),
            section(
                "why_it_did_not_become_an_incident",
                "Why it did not become an incident",
                true,
                "The safeguard, the luck or the timing that stopped it. Near misses are cheap \
                 lessons: name the defence that held and the ones that did not.",
                &["Which defence held?", "Would it hold next time?"],
                "",
            ),
            lessons(),
        ],
    }
}

/// A light template for minor incidents.
pub fn light() -> Template {
    Template {
        name: LIGHT.into(),
        description: "A short write-up for minor incidents with a workaround or no user impact.".into(),
        builtin: true,
        sections: vec![
            summary(),
            section(
                "root_cause",
                "Root cause",
                true,
                "What conditions allowed this, in a few sentences.",
                &["What changed?"],
                "",
            ),
            section(
                "action_items",
                "Follow-up",
                false,
                "One or two systemic follow-ups, each with an owner and a due date.",
                &["What would stop this recurring?"],
                "",
            ),
        ],
    }
}

/// Every built-in template.
pub fn builtin() -> Vec<Template> {
    vec![standard(), near_miss(), light()]
}

/// The template suggested for a new postmortem of this severity.
pub fn suggested_for(severity: Severity) -> &'static str {
    match severity {
        Severity::Sev1 | Severity::Sev2 => STANDARD,
        Severity::Sev3 | Severity::Sev4 => LIGHT,
    }
}
