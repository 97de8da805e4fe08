//! The JSON library document: lossless export and re-import.
//!
//! Ordering rules, so that export -> import into an empty library -> export gives the same
//! bytes: postmortems by incident date, then id; services and categories by name
//! (case-insensitive); root-cause types in the library's order; saved prevention-ROI inputs by
//! category name; user templates by name; every list inside a postmortem (sections,
//! timeline, steps, causes, items, ...) in the order the user gave it. Built-in templates are
//! not exported: every library has them. No export timestamp is written, for the same reason.
//! Facilitated meetings follow the postmortems, by postmortem then id, and meeting plans by
//! template name; both are left out of the file when there are none.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::meeting::agenda::MeetingPlan;
use crate::meeting::session::Meeting;
use crate::model::{Category, Postmortem, RootCauseType, Service, Template};
use crate::wire::RoiInputs;
use crate::{Error, Result};

/// The value of the `format` field of every library document.
pub const FORMAT: &str = "debrief-library";
/// The document version this build writes and reads.
pub const VERSION: u32 = 1;

/// One category's saved prevention-ROI inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CategoryRoiInputs {
    /// The category, by name.
    pub category: String,
    /// Its inputs.
    #[serde(flatten)]
    pub inputs: RoiInputs,
}

/// The meeting plan saved for one template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplatePlan {
    /// The template, by name.
    pub template: String,
    /// Its plan.
    #[serde(flatten)]
    pub plan: MeetingPlan,
}

/// A whole library (or a selection of it) as one JSON document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LibraryDocument {
    /// Always [`FORMAT`]: says what kind of file this is.
    pub format: String,
    /// The document version, [`VERSION`] for this build.
    pub version: u32,
    /// The services of the taxonomy, by name.
    pub services: Vec<Service>,
    /// The categories of the taxonomy, by name.
    pub categories: Vec<Category>,
    /// The root-cause types of the taxonomy, in the library's order (absent in files written
    /// before they were exported: then none).
    #[serde(default)]
    pub cause_types: Vec<RootCauseType>,
    /// The prevention-ROI inputs saved per category, by category name (absent in older files).
    #[serde(default)]
    pub roi_inputs: Vec<CategoryRoiInputs>,
    /// The user templates, by name (built-in templates are not exported).
    pub templates: Vec<Template>,
    /// The postmortems, by incident date then id, each with everything attached to it.
    pub postmortems: Vec<Postmortem>,
    /// The facilitated meetings of these postmortems, by postmortem then id (absent when there
    /// are none, and from anonymized exports: notes and tallies name people).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meetings: Vec<Meeting>,
    /// The meeting plans saved per template, by template name (absent when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meeting_plans: Vec<TemplatePlan>,
}

impl LibraryDocument {
    /// A document holding just `postmortems`, with no services, categories or templates of
    /// its own (benchmarks and tests build libraries this way).
    pub fn of(postmortems: Vec<Postmortem>) -> LibraryDocument {
        LibraryDocument {
            format: FORMAT.into(),
            version: VERSION,
            services: vec![],
            categories: vec![],
            cause_types: vec![],
            roi_inputs: vec![],
            templates: vec![],
            postmortems,
            meetings: vec![],
            meeting_plans: vec![],
        }
    }

    /// Puts the document in canonical order (see the module docs).
    pub fn canonicalize(&mut self) {
        self.postmortems.sort_by(|a, b| a.incident_date.cmp(&b.incident_date).then_with(|| a.id.cmp(&b.id)));
        self.services.sort_by_key(|s| s.name.to_lowercase());
        self.categories.sort_by_key(|c| c.name.to_lowercase());
        self.roi_inputs.sort_by_key(|r| r.category.to_lowercase());
        self.templates.sort_by_key(|t| t.name.to_lowercase());
        self.meetings.sort_by(|a, b| a.postmortem_id.cmp(&b.postmortem_id).then_with(|| a.id.cmp(&b.id)));
        self.meeting_plans.sort_by_key(|p| p.template.to_lowercase());
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("model serializes");
        s.push('\n');
        s
    }

    /// Parses a document; errors name `source` with the line and column and, for a field that
    /// does not fit, its JSON path (`postmortems[3].timeline[0].at`).
    pub fn parse(text: &str, source: &str) -> Result<LibraryDocument> {
        // The usual case first: a good document, read in one pass. Tracking each field's path
        // for the error message cost a third of reading a large library; a document that does
        // not parse, or is not ours, is read again below to say precisely what is wrong.
        if let Ok(doc) = serde_json::from_str::<LibraryDocument>(text) {
            if doc.format == FORMAT && doc.version == VERSION {
                return Ok(doc);
            }
        }
        // Check the envelope first so a wrong file gets a plain answer, not a field error. Only
        // `format` and `version` are kept: the rest is skipped, not built (a whole
        // `serde_json::Value` of a large library cost as much as the typed parse itself).
        #[derive(serde::Deserialize)]
        struct Envelope {
            #[serde(default)]
            format: serde_json::Value,
            #[serde(default)]
            version: serde_json::Value,
        }
        let syntax = |e: serde_json::Error| Error::Parse {
            location: format!("{source}:{}:{}", e.line(), e.column()),
            message: e.to_string(),
        };
        // serde reads a struct from an array too (its fields in order), and called a valid
        // array of three objects "trailing characters at line 20": valid JSON that is not an
        // object is simply not ours.
        if let Some(kind) = json_kind(text).filter(|kind| *kind != "object") {
            serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(syntax)?;
            return Err(Error::Parse {
                location: source.to_string(),
                message: format!(
                    "not a Debrief library document (the file holds a JSON {kind}; a library document is an object with \"format\": {FORMAT:?})"
                ),
            });
        }
        let envelope = match serde_json::from_str::<Envelope>(text) {
            Ok(envelope) => envelope,
            // Valid JSON whose `format` or `version` is not a plain value: no format either.
            Err(e) if e.is_data() => Envelope { format: serde_json::Value::Null, version: serde_json::Value::Null },
            Err(e) => return Err(syntax(e)),
        };
        match envelope.format.as_str() {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(Error::Parse {
                    location: format!("{source}: field format"),
                    message: format!("expected {FORMAT:?}, found {other:?}"),
                })
            }
            None => {
                return Err(Error::Parse {
                    location: source.to_string(),
                    message: format!("not a Debrief library document (no \"format\": {FORMAT:?})"),
                })
            }
        }
        let version = envelope.version.as_u64().unwrap_or(0);
        if version != u64::from(VERSION) {
            return Err(Error::Parse {
                location: format!("{source}: field version"),
                message: format!("version {version} is not supported (this Debrief reads version {VERSION})"),
            });
        }
        // The typed parse tracks the path so an error names the field
        // (`postmortems[3].timeline[0].at`) as well as the line.
        let mut de = serde_json::Deserializer::from_str(text);
        let doc: LibraryDocument = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            // Only now is the whole document read as a value, for the postmortem's title.
            let value = serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
            let location = field_location(source, e.inner(), e.path(), &value);
            Error::Parse { location, message: e.into_inner().to_string() }
        })?;
        de.end().map_err(|e| Error::Parse {
            location: format!("{source}:{}:{}", e.line(), e.column()),
            message: e.to_string(),
        })?;
        Ok(doc)
    }
}

/// What kind of JSON value `text` starts with, from its first character after white space
/// (`None` for an empty text or one that starts with no JSON value).
fn json_kind(text: &str) -> Option<&'static str> {
    match text.trim_start_matches([' ', '\t', '\n', '\r']).chars().next()? {
        '{' => Some("object"),
        '[' => Some("array"),
        '"' => Some("string"),
        't' | 'f' => Some("boolean"),
        'n' => Some("null"),
        '-' | '0'..='9' => Some("number"),
        _ => None,
    }
}

/// Where a field error is: the file, line and column, the JSON path of the field and, inside a
/// postmortem, its title (`broken.json:57:31: postmortems[3].timeline[0].at (postmortem
/// "Checkout 502s")`).
fn field_location(
    source: &str,
    e: &serde_json::Error,
    path: &serde_path_to_error::Path,
    value: &serde_json::Value,
) -> String {
    use serde_path_to_error::Segment;
    let mut location = format!("{source}:{}:{}", e.line(), e.column());
    if path.iter().any(|s| !matches!(s, Segment::Unknown)) {
        location.push_str(&format!(": {path}"));
    }
    let mut segments = path.iter();
    if let (Some(Segment::Map { key }), Some(Segment::Seq { index })) = (segments.next(), segments.next()) {
        if key == "postmortems" {
            if let Some(title) = value.pointer(&format!("/postmortems/{index}/title")).and_then(|t| t.as_str()) {
                location.push_str(&format!(" (postmortem {title:?})"));
            }
        }
    }
    location
}
