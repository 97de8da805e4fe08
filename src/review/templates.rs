//! The built-in postmortem templates (seeds 003 and 004), with guidance and prompts for each
//! section. They are written into every library when it opens, so they can be listed and
//! copied like user templates; user templates with other names are left alone.
//!
//! The templates are data: one TOML file each in `templates/` (embedded), plus
//! `templates/shared.toml` for the sections several of them share. A file has `name`,
//! `description`, `sections` (the section keys in order) and one `[section.KEY]` table per
//! section it defines, with `heading`, `required`, `guidance`, and optionally `prompts` and
//! `placeholder` (Markdown the section starts with). A key listed but not defined in the file
//! comes from `shared.toml`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::Deserialize;

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

/// The data files, by name, in the order [`builtin`] lists the templates.
const FILES: [(&str, &str); 5] = [
    ("standard.toml", include_str!("templates/standard.toml")),
    ("sre.toml", include_str!("templates/sre.toml")),
    ("near-miss.toml", include_str!("templates/near-miss.toml")),
    ("security.toml", include_str!("templates/security.toml")),
    ("light.toml", include_str!("templates/light.toml")),
];
/// Sections several templates share (summary, lessons learned).
const SHARED: (&str, &str) = ("shared.toml", include_str!("templates/shared.toml"));

/// A template as written in its data file. `sections` gives the order by key; each key is
/// defined under `[section.KEY]` in the same file or in `shared.toml`, never both. Built-in
/// is implied.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    name: String,
    description: String,
    sections: Vec<String>,
    #[serde(default)]
    section: BTreeMap<String, SectionSpec>,
}

/// `shared.toml`: only `[section.KEY]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedFile {
    section: BTreeMap<String, SectionSpec>,
}

/// One `[section.KEY]` table; the key is the table's name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionSpec {
    heading: String,
    required: bool,
    guidance: String,
    #[serde(default)]
    prompts: Vec<String>,
    #[serde(default)]
    placeholder: String,
}

impl SectionSpec {
    fn to_section(&self, key: &str) -> TemplateSection {
        TemplateSection {
            key: key.to_string(),
            heading: self.heading.clone(),
            guidance: self.guidance.clone(),
            prompts: self.prompts.clone(),
            required: self.required,
            placeholder: self.placeholder.clone(),
        }
    }
}

/// Deserializes one data file; errors name the file, the line and the field's path
/// (`sre.toml:31: section.trigger.required: invalid type: string "yes", expected a boolean`).
fn parse_file<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, String> {
    let line = |span: Option<std::ops::Range<usize>>| {
        span.map(|s| format!(":{}", text.get(..s.start).unwrap_or(text).matches('\n').count() + 1)).unwrap_or_default()
    };
    let de = toml::Deserializer::parse(text).map_err(|e| format!("{file}{}: {}", line(e.span()), e.message()))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let e = e.into_inner();
        format!("{file}{}: {path}: {}", line(e.span()), e.message())
    })
}

/// Builds the template of one data file, taking the sections it does not define from `shared`.
fn load(file: &str, text: &str, shared: &BTreeMap<String, SectionSpec>) -> Result<Template, String> {
    let t: TemplateFile = parse_file(file, text)?;
    let mut sections = Vec::with_capacity(t.sections.len());
    for (i, key) in t.sections.iter().enumerate() {
        let spec = match (t.section.get(key), shared.get(key)) {
            (Some(spec), None) | (None, Some(spec)) => spec,
            (Some(_), Some(_)) => {
                return Err(format!("{file}: section.{key}: also defined in {}; define it in one place", SHARED.0))
            }
            (None, None) => {
                return Err(format!("{file}: sections[{i}]: {key:?} is defined neither here nor in {}", SHARED.0))
            }
        };
        if sections.iter().any(|s: &TemplateSection| s.key == *key) {
            return Err(format!("{file}: sections[{i}]: {key:?} is listed twice"));
        }
        sections.push(spec.to_section(key));
    }
    if let Some(unused) = t.section.keys().find(|k| !t.sections.contains(k)) {
        return Err(format!("{file}: section.{unused}: not listed in sections"));
    }
    Ok(Template { name: t.name, description: t.description, builtin: true, sections })
}

/// Every built-in template, parsed once; the files are compiled in, so an error in them is a
/// bug, caught by this module's tests.
fn all() -> &'static [Template] {
    static ALL: OnceLock<Vec<Template>> = OnceLock::new();
    ALL.get_or_init(|| {
        let load_all = || -> Result<Vec<Template>, String> {
            let shared: SharedFile = parse_file(SHARED.0, SHARED.1)?;
            FILES.iter().map(|(file, text)| load(file, text, &shared.section)).collect()
        };
        load_all().unwrap_or_else(|e| panic!("src/review/templates/{e}"))
    })
}

/// The built-in template of one data file.
fn by_file(file: &str) -> Template {
    let i = FILES.iter().position(|(f, _)| *f == file).expect("a built-in template file");
    all()[i].clone()
}

/// The standard blameless template of seeds 003/004.
pub fn standard() -> Template {
    by_file("standard.toml")
}

/// A short template for situations that could have become incidents.
pub fn near_miss() -> Template {
    by_file("near-miss.toml")
}

/// A light template for minor incidents.
pub fn light() -> Template {
    by_file("light.toml")
}

/// A Google-SRE-book-style template: impact, root causes, trigger, resolution, detection,
/// what went well and poorly, and where we got lucky.
pub fn sre() -> Template {
    by_file("sre.toml")
}

/// A template for security incidents: exposure, containment, eradication, notification.
pub fn security() -> Template {
    by_file("security.toml")
}

/// Every built-in template.
pub fn builtin() -> Vec<Template> {
    all().to_vec()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in templates as they were before they moved from Rust code to data files.
    const SNAPSHOT: &str = include_str!("../../tests/fixtures/templates/builtin.json");

    #[test]
    fn the_builtin_templates_match_the_snapshot() {
        let snapshot: Vec<Template> = serde_json::from_str(SNAPSHOT).unwrap();
        assert_eq!(builtin(), snapshot);
        let mut json = serde_json::to_string_pretty(&builtin()).unwrap();
        json.push('\n');
        assert!(json == SNAPSHOT, "the built-in templates serialize differently from the snapshot");
    }

    #[test]
    fn every_builtin_template_is_valid_and_named_by_its_constant() {
        let names: Vec<String> = builtin().into_iter().map(|t| t.name).collect();
        assert_eq!(names, [STANDARD, SRE, NEAR_MISS, SECURITY, LIGHT]);
        for t in builtin() {
            validate(&t).unwrap_or_else(|e| panic!("{}: {e}", t.name));
            assert!(t.builtin, "{}", t.name);
        }
        assert_eq!(standard().name, STANDARD);
        assert_eq!(near_miss().name, NEAR_MISS);
        assert_eq!(light().name, LIGHT);
        assert_eq!(sre().name, SRE);
        assert_eq!(security().name, SECURITY);
    }

    fn shared() -> BTreeMap<String, SectionSpec> {
        parse_file::<SharedFile>(SHARED.0, SHARED.1).unwrap().section
    }

    /// A small template file with `bad` appended to its one section.
    fn with(bad: &str) -> String {
        format!(
            "name = \"Mini\"\ndescription = \"A test.\"\nsections = [\"summary\", \"trigger\"]\n\n\
             [section.trigger]\nheading = \"Trigger\"\nguidance = \"What set it off.\"\n{bad}\n"
        )
    }

    #[test]
    fn a_file_that_parses_gives_its_sections_in_the_listed_order() {
        let t = load("mini.toml", &with("required = true"), &shared()).unwrap();
        let keys: Vec<&str> = t.sections.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["summary", "trigger"]);
        assert!(t.builtin && t.sections[1].prompts.is_empty() && t.sections[1].placeholder.is_empty());
    }

    #[test]
    fn errors_in_a_data_file_name_the_file_the_line_and_the_field() {
        let err = |text: &str| load("mini.toml", text, &shared()).unwrap_err();
        let e = err(&with("required = \"yes\""));
        assert!(e.starts_with("mini.toml:8: section.trigger.required: "), "{e}");
        let e = err(&with("required = true\nheadline = \"x\""));
        assert!(e.starts_with("mini.toml:9: section.trigger.headline: unknown field `headline`"), "{e}");
        let e = err(&with(""));
        assert!(e.starts_with("mini.toml") && e.contains("section.trigger: missing field `required`"), "{e}");
        let e = err(&with("required = true\nprompts = [\"a\", 3]"));
        assert!(e.starts_with("mini.toml:9: section.trigger.prompts[1]: "), "{e}");
        let e = err("name = \"Mini\"\ndescription = \"A test.\"\nsections = [\"summary\",\n");
        assert!(e.starts_with("mini.toml:"), "{e}");
    }

    #[test]
    fn sections_must_be_listed_defined_once_and_used() {
        let err = |text: String| load("mini.toml", &text, &shared()).unwrap_err();
        let e = err(with("required = true").replace("\"trigger\"]", "\"trigger\", \"cause\"]"));
        assert_eq!(e, "mini.toml: sections[2]: \"cause\" is defined neither here nor in shared.toml");
        let e = err(with("required = true").replace(", \"trigger\"]", "]"));
        assert_eq!(e, "mini.toml: section.trigger: not listed in sections");
        let e = err(with("required = true").replace("\"trigger\"]", "\"trigger\", \"trigger\"]"));
        assert_eq!(e, "mini.toml: sections[2]: \"trigger\" is listed twice");
        let e =
            err(with("required = true").replace("[section.trigger]", "[section.summary]").replace("\"trigger\"]", "]"));
        assert!(e.starts_with("mini.toml: section.summary: also defined in shared.toml"), "{e}");
    }
}
