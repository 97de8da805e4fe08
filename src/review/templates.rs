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
/// Name of the Google-SRE-style template.
pub const SRE: &str = "Google SRE style";
/// Name of the security-incident template.
pub const SECURITY: &str = "Security incident";

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

/// A Google-SRE-book-style template: impact, root causes, trigger, resolution, detection,
/// what went well and poorly, and where we got lucky.
pub fn sre() -> Template {
    Template {
        name: SRE.into(),
        description: "The SRE book's postmortem: root causes and trigger, detection, resolution, \
                      and where we got lucky."
            .into(),
        builtin: true,
        sections: vec![
            summary(),
            section(
                "impact",
                "Impact",
                true,
                "Who and what was affected, for how long, and at what cost.",
                &["Which SLOs were missed?"],
                "",
            ),
            section(
                "root_causes",
                "Root causes",
                true,
                "The conditions that made the incident possible, usually several. Causes are systemic; \
                 a person is never a root cause.",
                &["What latent conditions existed before the trigger?"],
                "",
            ),
            section(
                "trigger",
                "Trigger",
                true,
                "The event that turned latent conditions into an outage.",
                &["What changed just before?"],
                "",
            ),
            section(
                "resolution",
                "Resolution",
                true,
                "What restored service, and what was tried first.",
                &["What made mitigation slow or fast?"],
                "",
            ),
            section(
                "detection",
                "Detection",
                true,
                "How the incident was detected and how long it took.",
                &["Would an alert have found it sooner?"],
                "",
            ),
            section(
                "went_well",
                "What went well",
                false,
                "Practices and tools that helped.",
                &["What should we keep doing?"],
                "",
            ),
            section(
                "went_poorly",
                "What went wrong",
                false,
                "Where the response struggled, described as conditions.",
                &["Where did we lose time?"],
                "",
            ),
            section(
                "where_we_got_lucky",
                "Where we got lucky",
                false,
                "Near misses inside the incident: what could have made it much worse but did not. \
                 Luck is not a defence; each item here is a candidate action.",
                &["What would have happened at peak traffic?", "Which safeguard held only by chance?"],
                "",
            ),
            section(
                "action_items",
                "Action items",
                false,
                "Systemic items with one owner and a due date each.",
                &["Prevent, mitigate, detect: which is missing?"],
                "",
            ),
            lessons(),
        ],
    }
}

/// A template for security incidents: exposure, containment, eradication, notification.
pub fn security() -> Template {
    Template {
        name: SECURITY.into(),
        description: "For breaches, exposures and attacks: scope of exposure, containment, eradication, \
                      recovery and notification."
            .into(),
        builtin: true,
        sections: vec![
            summary(),
            section(
                "exposure",
                "Scope of exposure",
                true,
                "What data or systems were exposed, to whom, for how long. State what is known and \
                 what is still being established.",
                &["Which data classes were involved?", "How was access confirmed or ruled out?"],
                "",
            ),
            section(
                "detection",
                "Detection",
                true,
                "How the activity was found and by what signal.",
                &["How long between first activity and detection?"],
                "",
            ),
            section(
                "containment",
                "Containment",
                true,
                "Steps that stopped further access or damage.",
                &["What was revoked, rotated or blocked?"],
                "",
            ),
            section(
                "eradication",
                "Eradication and recovery",
                true,
                "How the root of the access was removed and systems restored.",
                &["How do we know the attacker is out?"],
                "",
            ),
            section(
                "notification",
                "Notification",
                true,
                "Who was notified (customers, regulators, partners), when, and under which obligation.",
                &["Which deadlines applied (e.g. 72 hours)?"],
                "",
            ),
            section(
                "root_cause",
                "Root cause analysis",
                true,
                "The conditions that allowed the access. Avoid naming individuals.",
                &["Which control was missing or bypassed?"],
                "",
            ),
            section(
                "action_items",
                "Action items",
                false,
                "Systemic items with one owner and a due date each.",
                &[],
                "",
            ),
            lessons(),
        ],
    }
}

/// Every built-in template.
pub fn builtin() -> Vec<Template> {
    vec![standard(), sre(), near_miss(), security(), light()]
}

/// Checks a user template before it is stored; errors name the field.
pub fn validate(t: &Template) -> crate::Result<()> {
    use crate::Error;
    if t.name.trim().is_empty() {
        return Err(Error::invalid("name", "must not be empty"));
    }
    if t.sections.is_empty() {
        return Err(Error::invalid("sections", "a template needs at least one section"));
    }
    let mut keys = std::collections::HashSet::new();
    for (i, s) in t.sections.iter().enumerate() {
        if s.heading.trim().is_empty() {
            return Err(Error::invalid(format!("sections[{i}].heading"), "must not be empty"));
        }
        if !TemplateSection::is_valid_key(&s.key) {
            return Err(Error::invalid(
                format!("sections[{i}].key"),
                format!("{:?} must be lowercase letters, digits and _", s.key),
            ));
        }
        if !keys.insert(s.key.as_str()) {
            return Err(Error::invalid(format!("sections[{i}].key"), format!("{:?} is used twice", s.key)));
        }
    }
    Ok(())
}

/// A section key made from a heading: "What went well?" -> "what_went_well".
pub fn key_for(heading: &str) -> String {
    let mut key = String::new();
    for c in heading.trim().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_string()
}

/// The template suggested for a new postmortem of this severity (near misses pick theirs
/// explicitly).
pub fn suggested_for(severity: Severity) -> &'static str {
    match severity {
        Severity::Sev1 | Severity::Sev2 => STANDARD,
        Severity::Sev3 | Severity::Sev4 => LIGHT,
    }
}
