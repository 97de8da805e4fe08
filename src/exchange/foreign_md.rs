//! The importer for postmortems written elsewhere: Markdown from git repositories, wikis and
//! shared folders, in whatever template their team used. [`read`] turns one file into a
//! postmortem and a [`FileReport`] of what became what, what was kept as written and what it
//! was unsure of. Nothing is dropped: a heading it cannot map becomes a section of its own, and
//! a table, list or line it cannot read stays in its section's text.
//!
//! How a document is read, in order:
//! - **Front matter** (`---` YAML) of other collections maps to fields (`title`, `date`,
//!   `start_time`, `categories`, `product`, `summary`, `url` (kept as a "Supporting
//!   information" section), ...); other keys are kept in [`Postmortem::extra`].
//! - **Title**: the front matter's `title`, else the first heading when it is a level-1 heading
//!   (that heading is not a section), else the file name.
//! - **Sections**: every later heading starts a section, except an unknown heading deeper than
//!   the heading of the section it sits in (it stays in that section's text) and a field
//!   heading (`Date`, `Authors`, `Status`, `Stats`, ...) whose text was all read as fields.
//!   Known names (Summary, TL;DR, Impact, Root causes, Lessons learned, ...) get Debrief's keys.
//!   Text before the first section becomes "Summary" (or "Introduction" when there is one).
//! - **Timeline** sections: table rows, list items and lines that start with a date or time
//!   become events, in the zone the document names ("All times in CET", "Date and Time in
//!   UTC", a `Time (PST)` column), times without a date take the incident's date, and a time
//!   that jumps back crosses midnight.
//! - **Action items** from tables (owner, due, status, tracker, priority and type columns) and
//!   lists (`**Title**: details`, `- [x]` done, `owner: @x`, `due 2025-01-31`, a tracker link).
//! - **Contributing factors** and **attendees** from lists and tables.
//! - **Fields** from `Key: value` lines, lists and two- or four-column tables: severity,
//!   status, date, authors, incident commander, category, services, tags, and time to
//!   detection and to recovery ("54 minutes", "1h 30m"), which mark the matching events.
//!
//! A table or list is removed from its section's text only when every row was read.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::timeline::{self, guess_kind, Clock, ImportedEvent, Stamp, Unplaced, Zone};
use crate::model::rootcause::title_from;
use crate::model::{
    ActionItem, ActionKind, ActionStatus, ContributingFactor, Marker, Participant, Postmortem, Priority, ReviewStatus,
    Section, Severity,
};
use crate::{Error, Result};

/// Longest duration read, in minutes (ten years); longer ones are not durations of an incident.
const MAX_MINUTES: i64 = 10 * 366 * 24 * 60;
/// Most timeline events one document may have; more is a log, not a postmortem.
pub const MAX_EVENTS: usize = 5_000;

/// Largest file the importer reads; a postmortem is a few pages, not an archive.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Most sections one imported document may have.
pub const MAX_SECTIONS: usize = 500;

/// One heading or field mapped onto the postmortem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Mapping {
    /// 1-based line in the file.
    pub line: usize,
    /// What the file had (`## Root Cause(s)`, `Time to detection: 54 minutes`).
    pub from: String,
    /// What it became (`section root_causes`, `4 timeline events`).
    pub to: String,
}

/// Something the importer was unsure of, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Note {
    /// 1-based line in the file (0 when it is about the whole file).
    pub line: usize,
    /// What it was unsure of and what it did.
    pub message: String,
}

/// What the import of one file did, or would do on a dry run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FileReport {
    /// The file, as the user named it (or as found in a folder).
    pub source: String,
    /// Its path within the folder imported (its name when it was named itself), with `/`.
    pub file: String,
    /// `debrief` for Debrief's own Markdown, `markdown` for anyone else's.
    pub format: String,
    /// The postmortem's id (stable: importing the same file again updates it).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its incident date.
    #[ts(type = "string | null")]
    pub incident_date: Option<NaiveDate>,
    /// Sections it has.
    pub sections: usize,
    /// Timeline events.
    pub timeline_events: usize,
    /// Action items.
    pub action_items: usize,
    /// Contributing factors.
    pub contributing_factors: usize,
    /// Attendees and other participants.
    pub participants: usize,
    /// What became what.
    pub mapped: Vec<Mapping>,
    /// Headings kept as sections under their own name, not matched to a known one.
    pub unmapped: Vec<String>,
    /// What it was unsure of.
    pub unsure: Vec<Note>,
    /// Its title is a template's placeholder ("Title", "Incident Title"): most likely a
    /// template kept beside the postmortems, not one of them. The app leaves it unticked and
    /// the CLI skips it unless asked ([`crate::library::MarkdownImport::skip_templates`]).
    #[serde(default)]
    pub template: bool,
    /// `created`, `updated` or `unchanged` once imported; `would be created` (`updated`,
    /// `unchanged`) on a dry run; `skipped` (`would be skipped`) for a template left out;
    /// `failed` when the file could not be imported.
    pub outcome: String,
    /// Why it failed, naming the file and line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<String>,
}

/// A file read into a postmortem, with its report.
#[derive(Debug, Clone)]
pub struct Understood {
    /// The postmortem, valid and ready to import.
    pub postmortem: Postmortem,
    /// What became what.
    pub report: FileReport,
    /// The file states no incident date anywhere, so today's was used.
    pub date_guessed: bool,
}

impl FileReport {
    /// Fills the postmortem's id, title, date and counts in.
    pub fn describe(&mut self, pm: &Postmortem) {
        self.id = pm.id.clone();
        self.title = pm.title.clone();
        self.incident_date = Some(pm.incident_date);
        self.sections = pm.sections.len();
        self.timeline_events = pm.timeline.len();
        self.action_items = pm.action_items.len();
        self.contributing_factors = pm.contributing_factors.len();
        self.participants = pm.participants.len();
    }
}

/// Validates a postmortem read from `source`, the error naming the file before the field.
pub fn check(pm: &Postmortem, source: &str, today: NaiveDate) -> Result<()> {
    pm.validate(today).map_err(|e| match e {
        Error::Validation { field, message } => Error::Validation { field: format!("{source}: {field}"), message },
        other => other,
    })
}

/// What kind of content a known heading holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    Prose,
    Timeline,
    Actions,
    Factors,
    Attendees,
    /// Key-value fields (`Stats`, `Date`, `Authors`); not a section when all were read.
    Fields,
}

/// Known headings: the section key, its heading as Debrief writes it, what it holds, and the
/// normalized names (see [`normalize`]) that map to it.
const KNOWN: &[(&str, &str, Holds, &[&str])] = &[
    (
        "summary",
        "Summary",
        Holds::Prose,
        &[
            "summary",
            "tldr",
            "tl dr",
            "executive summary",
            "issue summary",
            "incident summary",
            "overview",
            "summary of impact",
            "synopsis",
            "abstract",
            "zusammenfassung",
            "resume",
            "resumen",
            "sammanfattning",
        ],
    ),
    (
        "impact",
        "Impact",
        Holds::Prose,
        &[
            "impact",
            "customer impact",
            "user impact",
            "business impact",
            "affected users",
            "scope of impact",
            "impact assessment",
            "who was affected",
            "blast radius",
            "auswirkungen",
        ],
    ),
    (
        "what_happened",
        "What happened",
        Holds::Prose,
        &["what happened", "outage description", "incident description", "description", "the incident"],
    ),
    ("background", "Background", Holds::Prose, &["background", "context"]),
    (
        "root_causes",
        "Root causes",
        Holds::Prose,
        &[
            "root cause",
            "root causes",
            "root cause analysis",
            "rca",
            "cause",
            "causes",
            "what caused the incident",
            "root cause and mitigation",
            "underlying cause",
            "ursache",
            "cause racine",
        ],
    ),
    ("trigger", "Trigger", Holds::Prose, &["trigger", "triggers", "what triggered the incident"]),
    (
        "resolution",
        "Resolution",
        Holds::Prose,
        &[
            "resolution",
            "resolution and recovery",
            "mitigation",
            "mitigation and resolution",
            "recovery",
            "remediation",
            "fix",
            "how it was fixed",
            "how was it resolved",
            "repair",
            "losung",
        ],
    ),
    (
        "detection",
        "Detection",
        Holds::Prose,
        &["detection", "how was it detected", "how it was detected", "how we found out", "monitoring and detection"],
    ),
    (
        "went_well",
        "What went well",
        Holds::Prose,
        &["what went well", "things that went well", "went well", "what worked", "the good"],
    ),
    (
        "went_poorly",
        "What went wrong",
        Holds::Prose,
        &[
            "what went wrong",
            "what went poorly",
            "what went badly",
            "what could have gone better",
            "what didnt go well",
            "what did not go well",
            "went wrong",
            "what could be improved",
            "things that went wrong",
            "the bad",
        ],
    ),
    (
        "where_we_got_lucky",
        "Where we got lucky",
        Holds::Prose,
        &["where we got lucky", "where did we get lucky", "where we were lucky", "where were we lucky", "lucky"],
    ),
    (
        "lessons",
        "Lessons learned",
        Holds::Prose,
        &[
            "lessons learned",
            "lessons learnt",
            "lessons",
            "learnings",
            "takeaways",
            "key takeaways",
            "what we learned",
            "lecons apprises",
            "erkenntnisse",
        ],
    ),
    (
        "action_items",
        "Action items",
        Holds::Actions,
        &[
            "action items",
            "action items and followups",
            "action items and follow ups",
            "followup",
            "follow up",
            "followups",
            "follow ups",
            "next steps",
            "corrective and preventative measures",
            "corrective and preventive measures",
            "corrective actions",
            "remediation items",
            "remediations",
            "recommendations",
            "todo",
            "to do",
            "action plan",
            "actions",
            "massnahmen",
            "actions correctives",
        ],
    ),
    (
        "timeline",
        "Timeline",
        Holds::Timeline,
        &[
            "timeline",
            "incident timeline",
            "chain of events",
            "sequence of events",
            "timeline of events",
            "chronology",
            "events",
            "zeitablauf",
            "zeitleiste",
            "chronologie",
        ],
    ),
    (
        "contributing_factors",
        "Contributing factors",
        Holds::Factors,
        &[
            "contributing factors",
            "contributing conditions",
            "contributing conditions analysis",
            "contributing causes",
            "factors",
            "process breakdowns",
        ],
    ),
    (
        "attendees",
        "Attendees",
        Holds::Attendees,
        &[
            "attendees",
            "staff present",
            "postmortem attendees",
            "participants",
            "people involved",
            "names of people involved",
            "responders",
            "who was involved",
            "teilnehmer",
        ],
    ),
    (
        "supporting_information",
        "Supporting information",
        Holds::Prose,
        &[
            "supporting information",
            "supporting documents",
            "appendix",
            "references",
            "links",
            "related links",
            "resources",
            "further reading",
        ],
    ),
    ("open_questions", "Open questions", Holds::Prose, &["open questions", "questions"]),
    (
        "fields",
        "Details",
        Holds::Fields,
        &[
            "stats",
            "statistics",
            "metadata",
            "details",
            "incident details",
            "key facts",
            "facts",
            "incident timing",
            "date",
            "dates",
            "authors",
            "author",
            "status",
            "report status",
            "severity",
            "start date time",
            "end date time",
            "start time",
            "end time",
            "duration",
            "incident date",
            "owner",
            "owners",
        ],
    ),
];

/// A heading's words for matching: lower case, `(s)` as `s`, `&` as `and`, numbering,
/// punctuation and accents dropped, spaces collapsed.
fn normalize(heading: &str) -> String {
    let lowered = heading.to_lowercase().replace("(s)", "s").replace('&', " and ").replace('ß', "ss");
    let plain: String = lowered
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_alphanumeric() => c,
            '\'' | '’' => '\u{0}',
            _ => ' ',
        })
        .filter(|c| *c != '\u{0}')
        .collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    // Leading numbering: "1", "2 1", "a" before a longer name.
    let skip = words.iter().take_while(|w| w.chars().all(|c| c.is_ascii_digit())).count();
    words[skip.min(words.len())..].join(" ")
}

/// The known heading `heading` names, if any.
fn known(heading: &str) -> Option<(&'static str, &'static str, Holds)> {
    static ASIDE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\([^)]*\)|\[[^\]]*\]").expect("valid regex"));
    let find =
        |n: &str| KNOWN.iter().find(|(_, _, _, names)| names.contains(&n)).map(|(key, h, holds, _)| (*key, *h, *holds));
    // "Root Cause(s)" reads as "root causes"; "Contributing Factors (findings)" by its name.
    find(&normalize(heading)).or_else(|| find(&normalize(&ASIDE.replace_all(&heading.replace("(s)", "s"), ""))))
}

/// A section key from a heading: lower-case words joined by `_`.
pub fn slug(heading: &str) -> String {
    let s = normalize(heading).replace(' ', "_");
    let s: String = s.chars().take(60).collect();
    if s.is_empty() {
        "section".into()
    } else {
        s
    }
}

/// `wanted` (or its slug) made unique among `taken` keys by a `_2`, `_3`, ... suffix.
pub fn unique_key<'a>(wanted: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    let base = if wanted.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') && !wanted.is_empty()
    {
        wanted.to_string()
    } else {
        slug(wanted)
    };
    let free = |k: &str| !taken.clone().any(|t| t == k);
    if free(&base) {
        return base;
    }
    (2..).map(|n| format!("{base}_{n}")).find(|k| free(k)).expect("an unused suffix exists")
}

// ---------------------------------------------------------------------------------------------
// Markdown structure
// ---------------------------------------------------------------------------------------------

/// A heading of the document.
#[derive(Debug, Clone)]
struct Heading {
    level: usize,
    text: String,
    /// Bytes of the heading's own line(s) in the body.
    range: Range<usize>,
}

/// A top-level block of a section's text.
#[derive(Debug, Clone)]
enum Block {
    Table { range: Range<usize>, header: Vec<String>, rows: Vec<(usize, Vec<String>)> },
    List { range: Range<usize>, items: Vec<Item> },
    Paragraph { range: Range<usize> },
    Other,
}

/// One list item: its bytes, its text without the marker, and its task box if it has one.
#[derive(Debug, Clone)]
struct Item {
    range: Range<usize>,
    text: String,
    task: Option<bool>,
}

fn level(l: HeadingLevel) -> usize {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

static BOLD_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\*\*|__|\*|_)([^*_\n]{1,80}?):?(\*\*|__|\*|_):?\s*$").expect("valid regex"));

/// The document's headings, and paragraphs that are only a bold known name ("**Timeline:**"),
/// which chat-ops summaries use as headings (given level 7, below every real heading).
fn headings(body: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize, String)> = None;
    let mut para_start = None;
    for (event, range) in Parser::new_ext(body, crate::review::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level: l, .. }) => current = Some((level(l), range.start, String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((l, start, text)) = current.take() {
                    out.push(Heading { level: l, text: text.trim().to_string(), range: start..range.end });
                }
            }
            Event::Start(Tag::Paragraph) => para_start = Some(range.start),
            Event::End(TagEnd::Paragraph) => {
                if let Some(start) = para_start.take() {
                    if let Some(c) = BOLD_LINE.captures(&body[start..range.end]) {
                        let name = c[2].trim().trim_end_matches(':').trim();
                        if known(name).is_some() {
                            out.push(Heading { level: 7, text: name.to_string(), range: start..range.end });
                        }
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, text)) = current.as_mut() {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

/// The text of a table cell or list item as written, with escaped pipes unescaped.
fn raw(text: &str) -> String {
    text.trim().trim_matches('|').trim().replace("\\|", "|")
}

static ITEM_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[-*+]|[0-9]{1,9}[.)])[ \t]*(?:\[[ xX]\][ \t]*)?").expect("valid regex"));

/// A list item's text: the marker and task box removed, continuation lines un-indented.
fn item_text(raw_item: &str) -> String {
    let without = ITEM_MARKER.replace(raw_item, "");
    without.lines().map(str::trim).collect::<Vec<_>>().join("\n").trim().to_string()
}

/// The top-level blocks of `text`.
fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    // Table state.
    let mut header: Vec<String> = Vec::new();
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut in_head = false;
    let mut row_start = 0usize;
    // List state.
    let mut items: Vec<Item> = Vec::new();
    let mut list_depth = 0usize;
    let mut task: Option<bool> = None;
    for (event, range) in Parser::new_ext(text, crate::review::markdown::options()).into_offset_iter() {
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    start = range.start;
                    header.clear();
                    rows.clear();
                    items.clear();
                }
                depth += 1;
                match tag {
                    Tag::TableHead => {
                        in_head = true;
                        row.clear();
                    }
                    Tag::TableRow => {
                        row.clear();
                        row_start = range.start;
                    }
                    Tag::List(_) => list_depth += 1,
                    Tag::Item if list_depth == 1 => task = None,
                    _ => {}
                }
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                match tag {
                    TagEnd::TableCell => row.push(raw(&text[range.clone()])),
                    TagEnd::TableHead => {
                        in_head = false;
                        header = std::mem::take(&mut row);
                    }
                    TagEnd::TableRow if !in_head => rows.push((row_start, std::mem::take(&mut row))),
                    TagEnd::Item if list_depth == 1 => {
                        items.push(Item { range: range.clone(), text: item_text(&text[range.clone()]), task })
                    }
                    TagEnd::List(_) => list_depth = list_depth.saturating_sub(1),
                    _ => {}
                }
                if depth == 0 {
                    let whole = start..range.end;
                    out.push(match tag {
                        TagEnd::Table => Block::Table {
                            range: whole,
                            header: std::mem::take(&mut header),
                            rows: std::mem::take(&mut rows),
                        },
                        TagEnd::List(_) => Block::List { range: whole, items: std::mem::take(&mut items) },
                        TagEnd::Paragraph => Block::Paragraph { range: whole },
                        _ => Block::Other,
                    });
                }
            }
            Event::TaskListMarker(done) if list_depth == 1 => task = Some(*done),
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Dates, times, zones and durations as people write them
// ---------------------------------------------------------------------------------------------

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let n = n.get(..3)?;
    MONTHS.iter().position(|m| *m == n).map(|i| i as u32 + 1)
}

static ISO_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<y>[0-9]{4,5})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})(?:[T\s,]+|$)").expect("valid regex")
});
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<a>[0-9]{1,2})[./](?P<b>[0-9]{1,2})[./](?P<y>[0-9]{4}|[0-9]{2})(?:[\s,]+|$)").expect("valid regex")
});
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:the\s+)?(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?,?(?:\s+(?P<y>[0-9]{4}))?(?:[\s,]+(?:at\s+)?|$)",
    )
    .expect("valid regex")
});
static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?\s+(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?,?(?:\s+(?P<y>[0-9]{4}))?(?:[\s,]+(?:at\s+)?|$)",
    )
    .expect("valid regex")
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?P<h>[0-9]{1,2})(?:[:h.](?P<m>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.[0-9]+)?)?)?\s*(?P<ampm>[ap]\.?m\b\.?)?(?:\s*(?:uhr|hrs|h)\b)?",
    )
    .expect("valid regex")
});
static ZONE_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:Z\b|(?:UTC|GMT)(?:\s*[+-]\s*[0-9]{1,2}(?::?[0-9]{2})?)?\b|[+-][0-9]{2}:?[0-9]{2}\b|(?:CEST|CET|EEST|EET|WEST|WET|BST|IST|JST|KST|AEST|AEDT|PST|PDT|PT|EST|EDT|ET|CST|CDT|MST|MDT|SGT|HKT|NZST|NZDT|MSK)\b|(?:pacific|eastern|central european|central|mountain)(?:\s+(?:standard|daylight|summer))?\s+time\b|[A-Z][a-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?)",
    )
    .expect("valid regex")
});

/// A zone as documents name it: abbreviations and long names mapped to the IANA zones whose
/// clocks people mean by them (PST in July means Pacific time), else [`Zone::parse`].
fn zone_named(token: &str) -> Option<Zone> {
    let t = token.trim();
    let lower = t.to_lowercase();
    let iana = match lower.as_str() {
        "pst" | "pdt" | "pt" => Some("America/Los_Angeles"),
        "est" | "edt" | "et" => Some("America/New_York"),
        "cst" | "cdt" => Some("America/Chicago"),
        "mst" | "mdt" => Some("America/Denver"),
        "cest" | "cet" => Some("CET"),
        "eest" | "eet" => Some("EET"),
        "west" | "wet" => Some("WET"),
        "bst" => Some("Europe/London"),
        "ist" => Some("Asia/Kolkata"),
        "jst" => Some("Asia/Tokyo"),
        "kst" => Some("Asia/Seoul"),
        "aest" | "aedt" => Some("Australia/Sydney"),
        "sgt" => Some("Asia/Singapore"),
        "hkt" => Some("Asia/Hong_Kong"),
        "nzst" | "nzdt" => Some("Pacific/Auckland"),
        "msk" => Some("Europe/Moscow"),
        l if l.starts_with("pacific") => Some("America/Los_Angeles"),
        l if l.starts_with("eastern") => Some("America/New_York"),
        l if l.starts_with("central european") => Some("CET"),
        l if l.starts_with("central") => Some("America/Chicago"),
        l if l.starts_with("mountain") => Some("America/Denver"),
        _ => None,
    };
    Zone::parse(iana.unwrap_or(&t.replace(' ', ""))).ok()
}

static ZONE_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:times?|timestamps?|zeiten|heures?|horas?)\b[^.\n|]{0,40}?(?:\b(?:in|are|is)\b|:|\s)\s*\(?\s*(?P<z>[A-Za-z][A-Za-z/_ ]{0,40}?|[+-][0-9]{2}:?[0-9]{2})\s*\)?(?:[.,;|)]|\s*$|\s+\(|\s+unless)")
        .expect("valid regex")
});
static ZONE_IN_BRACKETS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:time|date|when)\s*[(\[]\s*(?P<z>[A-Za-z][A-Za-z/_ ]{0,30}?|[+-][0-9]{2}:?[0-9]{2})\s*[)\]]")
        .expect("valid regex")
});
static ZONE_AFTER_TIME_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:time|date|when)\b\s*[(\[]?\s*(?P<z>[A-Za-z][A-Za-z/_]{0,30}|[+-][0-9]{2}:?[0-9]{2})\s*[)\]]?\s*$",
    )
    .expect("valid regex")
});

/// The time zone a heading, sentence or column header names: "All times in CET", "Date and
/// Time in UTC", "(all times in Pacific Time)", "Time (PST)".
fn zone_in(text: &str) -> Option<(Zone, String)> {
    for line in text.lines() {
        for re in [&*ZONE_SENTENCE, &*ZONE_IN_BRACKETS, &*ZONE_AFTER_TIME_WORD] {
            for c in re.captures_iter(line) {
                let z = c["z"].trim();
                // The first word of the capture from which a zone is named ("in Eastern Time").
                let starts = std::iter::once(0).chain(z.match_indices(' ').map(|(i, _)| i + 1));
                for start in starts {
                    if let Some(m) = ZONE_TOKEN.find(&z[start..]) {
                        if let Some(zone) = zone_named(m.as_str()) {
                            return Some((zone, m.as_str().to_string()));
                        }
                    }
                }
            }
        }
    }
    None
}

/// A date and time read from the start of a cell or line.
struct When {
    date: Option<NaiveDate>,
    time: Option<NaiveTime>,
    approximate: bool,
    /// A zone written next to the time (`14:05 PDT`), overriding the document's.
    zone: Option<Zone>,
    /// The text after the date and time.
    rest: String,
    /// A year mistyped with five digits (`20202`), read as its first four.
    fixed_year: Option<String>,
}

/// An action item's due date as written. One without a year is the first such day on or after
/// the incident: a December incident's "due Jan 15" is next January, not eleven months before.
fn due_date(text: &str, incident: NaiveDate) -> Option<NaiveDate> {
    if let Some(stated) = when(text, None, false).and_then(|w| w.date) {
        return Some(stated);
    }
    let this_year = when(text, Some(incident.year()), false).and_then(|w| w.date);
    match this_year {
        Some(d) if d < incident => when(text, Some(incident.year() + 1), false).and_then(|w| w.date).or(Some(d)),
        // 29 February in a year without one: the next year that has it is too far to guess.
        other => other,
    }
}

/// Markdown emphasis, code and brackets around a leading stamp (`**14:05**`, `` `14:05` ``,
/// `[14:05]`) taken off, so the stamp reads as plain text.
fn unmark(s: &str) -> String {
    let t = s.trim_start();
    for (open, close) in [("**", "**"), ("__", "__"), ("`", "`"), ("[", "]"), ("*", "*"), ("_", "_")] {
        if let Some(r) = t.strip_prefix(open) {
            if let Some(end) = r.find(close).filter(|e| *e <= 48) {
                return format!("{} {}", &r[..end], &r[end + close.len()..]);
            }
        }
    }
    t.to_string()
}

/// Reads a leading date and/or time: ISO dates (with a five-digit year read as four), `29/11/2019`
/// (day first unless `month_first`), `29 November 2019`, `Nov 29, 2019`, weekdays before them;
/// `14:05`, `14.05`, `14h05`, `2:05 pm`, `14:05:09`; `~`, `ca.` and `approx.` before or `~` after
/// mark it approximate, and `--:--` is an unknown time on the date given. A zone after the time
/// is read. `year` completes dates written without one.
fn when(cell: &str, year: Option<i32>, month_first: bool) -> Option<When> {
    let cleaned = unmark(cell);
    let mut rest = cleaned.trim();
    let mut approximate = false;
    let approx_prefix = |r: &mut &str, approximate: &mut bool| {
        for p in ["~", "≈", "ca.", "ca ", "approx.", "approx ", "about ", "around ", "circa "] {
            if r.len() >= p.len() && r.is_char_boundary(p.len()) && r[..p.len()].eq_ignore_ascii_case(p) {
                *r = r[p.len()..].trim_start();
                *approximate = true;
            }
        }
    };
    approx_prefix(&mut rest, &mut approximate);
    let mut date = None;
    let mut fixed_year = None;
    if let Some(c) = ISO_DATE.captures(rest) {
        let y = &c["y"];
        let (y, fixed) = if y.len() == 5 { (&y[..4], Some(y.to_string())) } else { (y, None) };
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse(), c["m"].parse(), c["d"].parse()) {
            if let Some(found) = NaiveDate::from_ymd_opt(y, m, d) {
                date = Some(found);
                fixed_year = fixed;
                rest = &rest[c.get(0).map_or(0, |m| m.end())..];
            }
        }
    } else if let Some(c) = NUMERIC_DATE.captures(rest) {
        let (a, b): (u32, u32) = (c["a"].parse().ok()?, c["b"].parse().ok()?);
        let y: i32 = c["y"].parse().ok()?;
        let y = if y < 100 { 2000 + y } else { y };
        let (m, d) = if a > 12 || (!month_first && b <= 12) { (b, a) } else { (a, b) };
        if let Some(found) = NaiveDate::from_ymd_opt(y, m, d) {
            date = Some(found);
            rest = &rest[c.get(0).map_or(0, |m| m.end())..];
        }
    } else if let Some(c) = DAY_MONTH.captures(rest).or_else(|| MONTH_DAY.captures(rest)) {
        let y = c.name("y").and_then(|y| y.as_str().parse().ok()).or(year);
        if let (Some(y), Some(m), Ok(d)) = (y, month(&c["mon"]), c["d"].parse()) {
            if let Some(found) = NaiveDate::from_ymd_opt(y, m, d) {
                date = Some(found);
                rest = &rest[c.get(0).map_or(0, |m| m.end())..];
            }
        }
    }
    rest = rest.trim_start_matches([' ', ',', 'T']);
    approx_prefix(&mut rest, &mut approximate);
    let mut time = None;
    if rest.starts_with("--:--") || rest.starts_with("??:??") || rest.starts_with("xx:xx") {
        approximate = true;
        rest = &rest[5..];
    } else if let Some(c) = TIME.captures(rest) {
        let h: u32 = c["h"].parse().ok()?;
        let minute: Option<u32> = c.name("m").and_then(|m| m.as_str().parse().ok());
        let ampm = c.name("ampm").map(|a| a.as_str().to_ascii_lowercase());
        // A bare number is a time only with am/pm ("2 pm"); otherwise it is text ("3 nodes").
        if minute.is_some() || ampm.is_some() {
            let h = match ampm.as_deref().map(|a| a.starts_with('p')) {
                Some(true) if h < 12 => h + 12,
                Some(false) if h == 12 => 0,
                _ => h,
            };
            let sec = c.name("s").and_then(|s| s.as_str().parse().ok()).unwrap_or(0);
            if let Some(t) = NaiveTime::from_hms_opt(h, minute.unwrap_or(0), sec) {
                time = Some(t);
                rest = &rest[c.get(0).map_or(0, |m| m.end())..];
            }
        }
    }
    if date.is_none() && time.is_none() {
        return None;
    }
    if let Some(r) = rest.strip_prefix('~') {
        approximate = true;
        rest = r;
    }
    let mut zone = None;
    let trimmed = rest.trim_start();
    if time.is_some() {
        if let Some(m) = ZONE_TOKEN.find(trimmed) {
            if let Some(z) = zone_named(m.as_str()) {
                zone = Some(z);
                rest = &trimmed[m.end()..];
            }
        }
    }
    if time.is_none() && !approximate {
        // A date alone: placed at the previous event's time, so approximate.
        approximate = true;
    }
    // A span ("09:00 - 11:00") starts at its first time; the end is kept in the text.
    static UNTIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:-|–|—|to|until|bis)\s*([0-9]{1,2}[:h.][0-9]{2})\b").expect("valid regex")
    });
    let mut until = None;
    if time.is_some() {
        if let Some(c) = UNTIL.captures(rest) {
            until = Some(c[1].to_string());
            rest = &rest[c.get(0).map_or(0, |m| m.end())..];
        }
    }
    let rest = rest.trim_start_matches(['*', '`', ']', ')']).trim_start();
    let rest = rest.trim_start_matches([' ', '-', '–', '—', ':', '|', '\t', ',']).trim();
    let rest = match until {
        Some(u) if !rest.is_empty() => format!("{rest} (until {u})"),
        _ => rest.to_string(),
    };
    Some(When { date, time, approximate, zone, rest, fixed_year })
}

/// The first date written anywhere in `text` ("On Friday 29 November 2019", "2024-03-01").
fn date_in(text: &str) -> Option<NaiveDate> {
    static ANY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?,?\s+[0-9]{4}|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+[0-9]{4})")
            .expect("valid regex")
    });
    ANY.find_iter(text).find_map(|m| when(m.as_str(), None, false).and_then(|w| w.date))
}

/// Minutes in a duration as people write it: `54 minutes`, `2 min`, `1h 30m`, `1 hour 30
/// minutes`, `1.5 hours`, `2 days`, `01:30`, `90`.
pub fn minutes(text: &str) -> Option<i64> {
    static PART: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?P<n>[0-9]+(?:[.,][0-9]+)?)\s*(?P<u>d(?:ays?)?|h(?:ours?|rs?)?|m(?:in(?:ute)?s?)?|s(?:ec(?:ond)?s?)?)\b",
        )
        .expect("valid regex")
    });
    let t = text.trim().trim_start_matches(['~', '≈']).trim();
    let sane = |n: i64| (0..=MAX_MINUTES).contains(&n).then_some(n);
    if let Ok(n) = t.parse::<i64>() {
        return sane(n);
    }
    if let Some((h, m)) = t.split_once(':') {
        if let (Ok(h), Ok(m)) = (h.trim().parse::<i64>(), m.trim().parse::<i64>()) {
            return if (0..60).contains(&m) {
                h.checked_mul(60).and_then(|h| h.checked_add(m)).and_then(sane)
            } else {
                None
            };
        }
    }
    let mut total = 0.0;
    let mut any = false;
    for c in PART.captures_iter(t) {
        let n: f64 = c["n"].replace(',', ".").parse().ok()?;
        let unit = c["u"].to_ascii_lowercase();
        total += n * match unit.chars().next() {
            Some('d') => 1440.0,
            Some('h') => 60.0,
            Some('s') => 1.0 / 60.0,
            _ => 1.0,
        };
        any = true;
    }
    (any && total.is_finite() && total <= MAX_MINUTES as f64).then(|| total.round() as i64)
}

// ---------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------

/// A postmortem field a key-value line can set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Date,
    Severity,
    Status,
    Authors,
    Commander,
    Categories,
    Services,
    Tags,
    TimeToDetect,
    TimeToRecover,
    UsersAffected,
    Revenue,
    Tickets,
}

fn field_for(key: &str) -> Option<Field> {
    let k = normalize(key);
    Some(match k.as_str() {
        "title" | "incident title" | "name of incident" => Field::Title,
        "date" | "incident date" | "date of incident" | "start date" | "start date time" | "start time" | "started"
        | "start" | "incident start" | "started at" | "datum" => Field::Date,
        "severity" | "sev" | "incident severity" | "severity level" | "impact level" => Field::Severity,
        "status" | "report status" | "postmortem status" | "document status" | "review status" => Field::Status,
        "authors" | "author" | "by" | "written by" | "names" | "name" | "postmortem owner" | "postmortem lead"
        | "owner" | "owners" | "autor" | "auteur" => Field::Authors,
        "incident commander" | "ic" | "incident lead" | "incident manager" | "incident mgmt lead" => Field::Commander,
        "category" | "categories" | "failure mode" | "incident type" | "kategorie" => Field::Categories,
        "service"
        | "services"
        | "affected service"
        | "affected services"
        | "affected systems"
        | "systems affected"
        | "components"
        | "affected components"
        | "product"
        | "products"
        | "system"
        | "systems" => Field::Services,
        "tags" | "labels" | "keywords" => Field::Tags,
        "time to detection" | "time to detect" | "ttd" | "time to detect ttd" | "mttd" => Field::TimeToDetect,
        "time to recovery"
        | "time to recover"
        | "time to resolve"
        | "time to resolution"
        | "ttr"
        | "mttr"
        | "time to resolve ttr"
        | "time to restore"
        | "duration of impact" => Field::TimeToRecover,
        "users affected" | "affected users pct" | "users affected pct" | "share of users affected" => {
            Field::UsersAffected
        }
        "revenue impact" | "revenue lost" | "cost" => Field::Revenue,
        "support tickets" | "tickets" | "customer tickets" => Field::Tickets,
        _ => return None,
    })
}

/// What a `key: value` came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Read whole (or it said nothing): its line leaves the text.
    Read,
    /// Read, but part of it has no field (a time after a date, words after a severity): its
    /// line stays in the text.
    Partly,
    /// Not a field.
    NotField,
    /// A time to detection or recovery: its line leaves the text only when an event is marked.
    Deferred,
}

/// A value that says nothing: empty, `?`, `TBD`, `N/A`, `XXX`, or a placeholder in brackets.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(['*', '_', '`']).trim();
    let lower = v.to_lowercase();
    v.is_empty()
        || ["?", "-", "—", "–", "n/a", "na", "tbd", "tba", "unknown", "todo", "...", "…", "none yet"]
            .contains(&lower.as_str())
        || (v.len() >= 2 && v.chars().all(|c| c == v.chars().next().unwrap_or(' ') && c.is_ascii_uppercase()))
        || (v.starts_with('(') && v.ends_with(')'))
        || (v.starts_with('<') && v.ends_with('>'))
        || (v.starts_with('[') && v.ends_with(']') && !v.contains("]("))
}

/// Whether a title is a template's placeholder rather than an incident's name: "Title",
/// "Incident Title", "Postmortem Template", "Title of the incident: Date", "Title (incident #)".
/// Read without what follows a colon and what is in parentheses, it is made only of such
/// words, and says "title" or "template". A template in a folder of postmortems imports like one
/// (dated today when it states no date); the report asks instead of guessing.
fn reads_like_a_template_title(title: &str) -> bool {
    const WORDS: [&str; 16] = [
        "title",
        "template",
        "incident",
        "incidents",
        "postmortem",
        "post",
        "mortem",
        "of",
        "the",
        "a",
        "an",
        "name",
        "report",
        "date",
        "your",
        "here",
    ];
    let before_colon = title.split(':').next().unwrap_or("");
    let mut bare = String::new();
    let mut depth = 0usize;
    for c in before_colon.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => bare.extend(c.to_lowercase()),
            _ => {}
        }
    }
    let words: Vec<&str> = bare.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    !words.is_empty()
        && words.iter().all(|w| WORDS.contains(w))
        && words.iter().any(|w| matches!(*w, "title" | "template"))
}

/// Whether `list` has `name` already, as validation compares names: ignoring case.
fn has_name(list: &[String], name: &str) -> bool {
    let lower = name.to_lowercase();
    list.iter().any(|n| n.to_lowercase() == lower)
}

/// Names in a list written as text: `Ann, Bob and Cy`, `Ann; Bob`, `@ann @bob`.
fn names(value: &str) -> Vec<String> {
    value
        .replace(" and ", ",")
        .replace(" & ", ",")
        .split([',', ';'])
        .flat_map(|part| {
            let p = part.trim();
            if p.starts_with('@') && p.contains(' ') {
                p.split_whitespace().map(str::to_string).collect::<Vec<_>>()
            } else {
                vec![p.to_string()]
            }
        })
        .map(|n| n.trim().trim_start_matches('@').trim_matches(['*', '_', '`']).trim().to_string())
        .filter(|n| !n.is_empty() && !is_placeholder(n))
        .collect()
}

static KEY_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<k>[A-Za-z][\w /()#&'.-]{0,40}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:|:)\s*(?P<v>.*?)\s*(?:\\|  )?$")
        .expect("valid regex")
});

// ---------------------------------------------------------------------------------------------
// Reading one file
// ---------------------------------------------------------------------------------------------

/// The UUID namespace of imported Markdown: ids are derived from where a file came from, so
/// importing the same file again updates its postmortem instead of adding a copy.
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6d1f_0b5e_8c2a_4a57_9f0e_3b7d_2c41_a9e6);

pub(crate) fn stable_id(seed: &str) -> String {
    uuid::Uuid::new_v5(&NAMESPACE, seed.as_bytes()).to_string()
}

/// A heading that starts a section, and where its text runs.
struct Part {
    heading: Option<Heading>,
    known: Option<(&'static str, &'static str, Holds)>,
    /// The section's text (after its heading, up to the next section's heading), as ranges of
    /// the body; the text before the first section may be in two pieces around the title.
    ranges: Vec<Range<usize>>,
    /// Parts of `ranges` read into structure and left out of the section's text.
    removed: Vec<Range<usize>>,
}

/// Deferred time-to-detect or -recover: minutes, the part and range of its line.
struct Pending {
    minutes: i64,
    part: usize,
    range: Range<usize>,
    line: usize,
    text: String,
}

struct Reader<'a> {
    body: &'a str,
    /// Offset of the body's first byte in the file, and the file's line starts.
    first_line: usize,
    line_starts: Vec<usize>,
    report: FileReport,
    pm: Postmortem,
    date: Option<(NaiveDate, String)>,
    severity: Option<Severity>,
    status: Option<ReviewStatus>,
    ttd: Option<Pending>,
    ttr: Option<Pending>,
    now: DateTime<Utc>,
    /// Events read whose row named its own zone (`09:12 UTC`).
    zoned_events: usize,
    /// Whether numeric dates are month first (`04/03/2024` is April 3): the document's zone is
    /// American.
    month_first: bool,
}

fn is_american(zone: &Zone) -> bool {
    matches!(zone, Zone::Named(tz) if tz.name().starts_with("America/"))
}

impl Reader<'_> {
    /// The 1-based line of body offset `at`.
    fn line(&self, at: usize) -> usize {
        self.first_line + self.line_starts.partition_point(|s| *s <= at).saturating_sub(1)
    }

    fn unsure(&mut self, at: usize, message: impl Into<String>) {
        let line = if at == usize::MAX { 0 } else { self.line(at) };
        self.report.unsure.push(Note { line, message: message.into() });
    }

    fn mapped(&mut self, at: usize, from: impl Into<String>, to: impl Into<String>) {
        let line = self.line(at);
        self.report.mapped.push(Mapping { line, from: from.into(), to: to.into() });
    }

    /// Applies one `key: value`; `Ok(true)` when it was read (or said nothing), `Ok(false)` when
    /// the key is not a field, `Err(why)` when the value could not be read.
    fn field(
        &mut self,
        key: &str,
        value: &str,
        at: usize,
        part: usize,
        range: Range<usize>,
    ) -> std::result::Result<Use, String> {
        let Some(field) = field_for(key) else { return Ok(Use::NotField) };
        let value = value.trim();
        if is_placeholder(value) {
            return Ok(Use::Read);
        }
        let shown = format!("{}: {}", key.trim(), value);
        let mut used = Use::Read;
        let to = match field {
            Field::Title => {
                if !self.pm.title.is_empty() {
                    // A second title is kept as written.
                    return Ok(Use::NotField);
                }
                self.pm.title = value.to_string();
                "title".to_string()
            }
            Field::Date => {
                let read = when(value, None, self.month_first);
                let d = read.as_ref().and_then(|w| w.date).or_else(|| date_in(value));
                let Some(d) = d else { return Err(format!("{value:?} is not a date this importer reads")) };
                // A time of day, or more words, have no field: the line stays.
                if read.is_none_or(|w| w.time.is_some() || !w.rest.is_empty()) {
                    used = Use::Partly;
                }
                match &self.date {
                    None => self.date = Some((d, format!("{} (line {})", key.trim(), self.line(at)))),
                    Some((first, _)) if *first != d => used = Use::Partly,
                    Some(_) => {}
                }
                format!("incident date {d}")
            }
            Field::Severity => {
                let code = value.split_whitespace().next().unwrap_or("");
                if value.split_whitespace().count() > 1 {
                    used = Use::Partly;
                }
                let sev = Severity::parse(code)
                    .or_else(|| Severity::parse(value))
                    .or_else(
                        || if code.eq_ignore_ascii_case("sev0") || code == "0" { Some(Severity::Sev1) } else { None },
                    )
                    .or_else(|| match value.to_lowercase().as_str() {
                        "critical" | "major" | "high" => Some(Severity::Sev1),
                        "significant" => Some(Severity::Sev2),
                        "medium" | "moderate" | "minor" => Some(Severity::Sev3),
                        "low" => Some(Severity::Sev4),
                        _ => None,
                    });
                let Some(sev) = sev else { return Err(format!("{value:?} is not a severity (SEV1 to SEV4)")) };
                self.severity.get_or_insert(sev);
                format!("severity {}", sev.as_str())
            }
            Field::Status => {
                let lower = value.to_lowercase();
                let status = ReviewStatus::parse(value).or(match lower.as_str() {
                    "complete" | "completed" | "published" | "done" | "closed" | "reviewed" | "approved" => {
                        Some(ReviewStatus::Final)
                    }
                    "in progress" | "wip" | "work in progress" | "open" | "incomplete" => Some(ReviewStatus::Draft),
                    "under review" | "ready for review" => Some(ReviewStatus::InReview),
                    _ => None,
                });
                let Some(status) = status else { return Err(format!("{value:?} is not a review status")) };
                self.status.get_or_insert(status);
                format!("status {}", status.as_str())
            }
            Field::Authors => {
                let found = names(value);
                for n in &found {
                    if !has_name(&self.pm.authors, n) {
                        self.pm.authors.push(n.clone());
                    }
                }
                format!("authors {}", found.join(", "))
            }
            Field::Commander => {
                let name = value.trim_start_matches('@').trim();
                if name.is_empty() {
                    return Ok(Use::NotField);
                }
                self.pm.incident_commander.get_or_insert_with(|| name.to_string());
                "incident commander".to_string()
            }
            Field::Categories | Field::Services | Field::Tags => {
                let list = match field {
                    Field::Categories => &mut self.pm.categories,
                    Field::Services => &mut self.pm.services,
                    _ => &mut self.pm.tags,
                };
                let found = names(value);
                for n in &found {
                    if !has_name(list, n) {
                        list.push(n.clone());
                    }
                }
                let what = match field {
                    Field::Categories => "categories",
                    Field::Services => "services",
                    _ => "tags",
                };
                format!("{what} {}", found.join(", "))
            }
            Field::TimeToDetect | Field::TimeToRecover => {
                let Some(m) = minutes(value) else { return Err(format!("{value:?} is not a duration")) };
                let pending = Pending { minutes: m, part, range, line: self.line(at), text: shown.clone() };
                if field == Field::TimeToDetect {
                    self.ttd = Some(pending);
                } else {
                    self.ttr = Some(pending);
                }
                return Ok(Use::Deferred);
            }
            Field::UsersAffected => {
                let n: f64 =
                    value.trim_end_matches('%').trim().parse().map_err(|_| format!("{value:?} is not a share"))?;
                self.pm.users_affected_pct = Some(n);
                "users affected (%)".to_string()
            }
            Field::Revenue => {
                // Only a plain amount ("12500", "$12,500", "12500 EUR"); "1.2M" or "€12.000" are
                // left as written rather than misread.
                let plain: String = value
                    .trim_start_matches(['$', '€', '£', '¥'])
                    .trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == ' ')
                    .replace(',', "");
                let n: f64 = plain.trim().parse().map_err(|_| format!("{value:?} is not a plain amount"))?;
                self.pm.revenue_impact = Some(n);
                "revenue impact".to_string()
            }
            Field::Tickets => {
                let n: i64 = value.trim().parse().map_err(|_| format!("{value:?} is not a number"))?;
                self.pm.support_tickets = Some(n);
                "support tickets".to_string()
            }
        };
        self.mapped(at, shown, to);
        Ok(used)
    }

    /// Reads `key: value` lines, list items and two- or four-column key-value tables in a part.
    fn fields(&mut self, parts: &mut [Part], p: usize) {
        let ranges = parts[p].ranges.clone();
        for r in ranges {
            let text = &self.body[r.clone()];
            for block in blocks(text) {
                match block {
                    Block::Paragraph { range } | Block::List { range, .. } => {
                        let mut offset = r.start + range.start;
                        for line in self.body[offset..r.start + range.end].split_inclusive('\n') {
                            let here = offset..offset + line.len();
                            offset += line.len();
                            let Some(c) = KEY_VALUE.captures(line.trim_end_matches('\n')) else { continue };
                            let (k, v) = (c["k"].to_string(), c["v"].to_string());
                            match self.field(&k, &v, here.start, p, here.clone()) {
                                Ok(Use::Read) => parts[p].removed.push(here),
                                Ok(_) => {}
                                Err(why) => self.unsure(here.start, format!("{k}: {why}; kept as text")),
                            }
                        }
                    }
                    Block::Table { range, header, rows } => {
                        let width = header.len();
                        if width != 2 && width != 4 {
                            continue;
                        }
                        // Markdown tables need a header row, so key-value tables often put their first
                        // pair there; a header that names its columns ("Key | Value", "Owner |
                        // Action") is not a pair.
                        const COLUMN_WORDS: [&str; 24] = [
                            "value",
                            "values",
                            "details",
                            "description",
                            "action",
                            "actions",
                            "notes",
                            "note",
                            "status",
                            "owner",
                            "who",
                            "what",
                            "when",
                            "result",
                            "answer",
                            "comment",
                            "comments",
                            "info",
                            "information",
                            "field",
                            "key",
                            "property",
                            "item",
                            "task",
                        ];
                        let header_is_pair = field_for(&header[0]).is_some()
                            && (is_placeholder(&header[1])
                                || (field_for(&header[1]).is_none()
                                    && !COLUMN_WORDS.contains(&normalize(&header[1]).as_str())));
                        let pairs_of = |row: &[String], at: usize| -> Vec<(usize, String, String)> {
                            row.chunks(2)
                                .filter_map(|pair| match pair {
                                    [k, v] => Some((r.start + at, k.clone(), v.clone())),
                                    _ => None,
                                })
                                .collect()
                        };
                        let body: Vec<(usize, String, String)> =
                            rows.iter().flat_map(|(at, row)| pairs_of(row, *at)).collect();
                        // A key-value table: a key below the header is a field (or the header is a
                        // pair); then even a table of empty values (a form) has been read.
                        let body_known = body.iter().filter(|(_, k, _)| field_for(k).is_some()).count();
                        if body_known == 0 && !header_is_pair {
                            continue;
                        }
                        let mut pairs = if header_is_pair { pairs_of(&header, range.start) } else { Vec::new() };
                        pairs.extend(body);
                        let mut all_read = true;
                        for (at, k, v) in pairs {
                            if is_placeholder(&v) {
                                continue;
                            }
                            match self.field(&k, &v, at, p, at..at) {
                                Ok(Use::Read) => {}
                                // A table stays whole unless all of it was read.
                                Ok(_) => all_read = false,
                                Err(why) => {
                                    all_read = false;
                                    self.unsure(at, format!("{k}: {why}"));
                                }
                            }
                        }
                        if all_read {
                            parts[p].removed.push(r.start + range.start..r.start + range.end);
                        }
                    }
                    Block::Other => {}
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Timelines, action items, factors and attendees
// ---------------------------------------------------------------------------------------------

/// Which header cell, by its words, names what.
fn column(header: &[String], words: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let n = normalize(h);
        words.iter().any(|w| n == *w || n.split(' ').any(|part| part == *w) || n.starts_with(&format!("{w} ")))
    })
}

impl Reader<'_> {
    /// Reads a timeline part: table rows, list items and paragraph lines that start with a time.
    fn timeline(&mut self, parts: &mut [Part], p: usize, zone: Zone, date: NaiveDate, events: &mut Vec<ImportedEvent>) {
        use chrono::Datelike;
        let month_first = is_american(&zone) || self.month_first;
        let year = Some(date.year());
        let mut clock = Clock::new(zone, Some(date));
        let ranges = parts[p].ranges.clone();
        let mut read_here = 0usize;
        for r in ranges {
            let text = &self.body[r.clone()];
            for block in blocks(text) {
                match block {
                    Block::Table { range, header, rows } => {
                        let date_col = column(&header, &["date", "day", "datum", "tag"]);
                        let time_col =
                            column(&header, &["time", "timestamp", "when", "hour", "zeit", "heure", "hora", "uhrzeit"])
                                .or(date_col)
                                .unwrap_or(0);
                        let date_col = date_col.filter(|d| *d != time_col);
                        let who_col = column(&header, &["who", "actor", "person", "by"]).filter(|c| *c != time_col);
                        let column_zone = header.get(time_col).and_then(|h| zone_in(&format!("time {h}")).map(|z| z.0));
                        let mut all_read = true;
                        for (at, row) in rows {
                            let at = r.start + at;
                            if row.iter().all(|c| c.trim().is_empty()) {
                                continue;
                            }
                            let stamp_text = match date_col {
                                Some(d) => format!(
                                    "{} {}",
                                    row.get(d).map_or("", String::as_str),
                                    row.get(time_col).map_or("", String::as_str)
                                ),
                                None => row.get(time_col).cloned().unwrap_or_default(),
                            };
                            let mut texts: Vec<String> = Vec::new();
                            for (i, cell) in row.iter().enumerate() {
                                if i == time_col || Some(i) == date_col || cell.trim().is_empty() {
                                    continue;
                                }
                                if Some(i) == who_col {
                                    texts.insert(0, format!("{}:", cell.trim()));
                                } else {
                                    texts.push(cell.trim().to_string());
                                }
                            }
                            let joined = texts.join(" ");
                            let e = self.event(&stamp_text, &joined, at, &mut clock, column_zone, year, month_first);
                            all_read &= keep(e, events, &mut read_here);
                        }
                        if all_read {
                            parts[p].removed.push(r.start + range.start..r.start + range.end);
                        }
                    }
                    Block::List { range, items } => {
                        let timed = items.iter().filter(|i| when(&i.text, year, month_first).is_some()).count();
                        if timed == 0 {
                            continue;
                        }
                        let mut all_read = true;
                        for item in items {
                            let at = r.start + item.range.start;
                            let e = self.event(&item.text, "", at, &mut clock, None, year, month_first);
                            all_read &= keep(e, events, &mut read_here);
                        }
                        if all_read {
                            parts[p].removed.push(r.start + range.start..r.start + range.end);
                        }
                    }
                    Block::Paragraph { range } => {
                        let lines: Vec<&str> = self.body[r.start + range.start..r.start + range.end].lines().collect();
                        let timed = lines
                            .iter()
                            .filter(|l| when(l, year, month_first).is_some_and(|w| !w.rest.is_empty()))
                            .count();
                        if timed == 0 || timed < lines.iter().filter(|l| !l.trim().is_empty()).count() {
                            continue;
                        }
                        let mut offset = r.start + range.start;
                        let mut all_read = true;
                        for line in lines {
                            let at = offset;
                            offset += line.len() + 1;
                            let line = line.trim_end_matches(['\\', ' ']);
                            if line.trim().is_empty() {
                                continue;
                            }
                            let e = self.event(line, "", at, &mut clock, None, year, month_first);
                            all_read &= keep(e, events, &mut read_here);
                        }
                        if all_read {
                            parts[p].removed.push(r.start + range.start..r.start + range.end);
                        }
                    }
                    Block::Other => {}
                }
            }
        }
        if read_here > 0 {
            let at = parts[p].heading.as_ref().map_or(0, |h| h.range.start);
            self.mapped(at, heading_label(parts[p].heading.as_ref()), format!("{read_here} timeline events"));
        }
    }

    /// One timeline event from a stamp and its text (the text after the stamp when `extra` is
    /// empty); `None`, with a note, when it has no readable time or no text.
    #[allow(clippy::too_many_arguments)]
    fn event(
        &mut self,
        stamp_text: &str,
        extra: &str,
        at: usize,
        clock: &mut Clock,
        column_zone: Option<Zone>,
        year: Option<i32>,
        month_first: bool,
    ) -> Option<ImportedEvent> {
        let quoted = stamp_text.chars().take(60).collect::<String>();
        let Some(w) = when(stamp_text, year, month_first) else {
            self.unsure(at, format!("no date or time this importer reads in {quoted:?}; the row is kept as text"));
            return None;
        };
        if let Some(typo) = &w.fixed_year {
            self.unsure(at, format!("the year {typo} has five digits; read as {}", &typo[..4]));
        }
        let text =
            [w.rest.as_str(), extra].iter().filter(|t| !t.trim().is_empty()).cloned().collect::<Vec<_>>().join(" ");
        if text.trim().is_empty() {
            self.unsure(at, format!("{quoted:?} has a time but no event text; kept as text"));
            return None;
        }
        let saved = clock.zone;
        if let Some(z) = w.zone.or(column_zone) {
            clock.zone = z;
            self.zoned_events += 1;
        }
        let placed =
            clock.place(&Stamp { date: w.date, time: w.time, approximate: w.approximate, rest: String::new() });
        clock.zone = saved;
        match placed {
            Ok(when_utc) => Some(ImportedEvent {
                at: when_utc,
                approximate: w.approximate,
                kind: guess_kind(&text),
                text: text.trim().to_string(),
                line: self.line(at),
                marker: None,
            }),
            Err(Unplaced::NoDate) => None,
            Err(Unplaced::Other(why)) => {
                self.unsure(at, format!("{why}; kept as text"));
                None
            }
        }
    }

    /// Reads an action-items part: table rows and list items.
    fn actions(&mut self, parts: &mut [Part], p: usize, incident: NaiveDate) {
        let ranges = parts[p].ranges.clone();
        let mut read_here = 0;
        for r in ranges {
            let text = &self.body[r.clone()];
            for block in blocks(text) {
                match block {
                    Block::Table { range, header, rows } => {
                        let title_col = column(
                            &header,
                            &[
                                "action",
                                "item",
                                "task",
                                "what",
                                "description",
                                "title",
                                "todo",
                                "remediation",
                                "measure",
                                "massnahme",
                            ],
                        )
                        .unwrap_or(0);
                        let owner_col = column(
                            &header,
                            &["owner", "owners", "who", "assignee", "assigned", "responsible", "dri", "verantwortlich"],
                        );
                        let due_col = column(&header, &["due", "deadline", "eta", "target", "by", "frist"]);
                        let status_col = column(&header, &["status", "state", "done", "progress"]);
                        let tracker_col =
                            column(&header, &["bug", "ticket", "issue", "link", "tracker", "jira", "url", "reference"]);
                        let priority_col = column(&header, &["priority", "prio", "p"]);
                        let kind_col = column(&header, &["type", "kind"]);
                        let mut all_read = true;
                        for (at, row) in rows {
                            let at = r.start + at;
                            if row.iter().all(|c| c.trim().is_empty()) {
                                continue;
                            }
                            let cell = |c: Option<usize>| {
                                c.and_then(|c| row.get(c)).map(|s| s.trim().to_string()).filter(|s| !is_placeholder(s))
                            };
                            let Some(title) = cell(Some(title_col)) else {
                                self.unsure(at, "an action-item row without a title; kept as text");
                                all_read = false;
                                continue;
                            };
                            let mut item = self.action(&title, None, at, incident);
                            if let Some(o) = cell(owner_col) {
                                let o = o.trim_start_matches('@').trim();
                                if !o.is_empty() {
                                    item.owner = Some(o.to_string());
                                }
                            }
                            if let Some(d) = cell(due_col) {
                                match due_date(&d, incident) {
                                    Some(date) => item.due_date = Some(date),
                                    None => {
                                        self.unsure(
                                            at,
                                            format!("the due date {d:?} is not a date; kept in the description"),
                                        );
                                        push_line(&mut item.description, &format!("Due: {d}"));
                                    }
                                }
                            }
                            if let Some(s) = cell(status_col) {
                                if !apply_status(&mut item, &s) {
                                    push_line(&mut item.description, &format!("Status: {s}"));
                                }
                            }
                            if let Some(t) = cell(tracker_col) {
                                match url_in(&t) {
                                    Some(u) => item.tracker_url = Some(u),
                                    None => push_line(&mut item.description, &format!("Tracker: {t}")),
                                }
                            }
                            if let Some(v) = cell(priority_col) {
                                match priority(&v) {
                                    Some(pr) => item.priority = pr,
                                    None => push_line(&mut item.description, &format!("Priority: {v}")),
                                }
                            }
                            if let Some(k) = cell(kind_col) {
                                match ActionKind::parse(&k) {
                                    Some(k) => item.kind = k,
                                    None => push_line(&mut item.description, &format!("Type: {k}")),
                                }
                            }
                            // Columns with no field of their own ("Notes", "ID") go into the
                            // description under their header, so nothing in the row is lost.
                            let used =
                                [Some(title_col), owner_col, due_col, status_col, tracker_col, priority_col, kind_col];
                            for (i, value) in row.iter().enumerate() {
                                if used.contains(&Some(i)) || is_placeholder(value) {
                                    continue;
                                }
                                let name = header.get(i).map(|h| h.trim()).filter(|h| !h.is_empty()).unwrap_or("Also");
                                push_line(&mut item.description, &format!("{name}: {}", value.trim()));
                            }
                            self.pm.action_items.push(item);
                            read_here += 1;
                        }
                        if all_read {
                            parts[p].removed.push(r.start + range.start..r.start + range.end);
                        }
                    }
                    Block::List { range, items } => {
                        for it in items {
                            if is_placeholder(&it.text) {
                                continue;
                            }
                            let item = self.action(&it.text, it.task, r.start + it.range.start, incident);
                            self.pm.action_items.push(item);
                            read_here += 1;
                        }
                        parts[p].removed.push(r.start + range.start..r.start + range.end);
                    }
                    _ => {}
                }
            }
        }
        if read_here > 0 {
            let at = parts[p].heading.as_ref().map_or(0, |h| h.range.start);
            self.mapped(at, heading_label(parts[p].heading.as_ref()), format!("{read_here} action items"));
        }
    }

    /// An action item from a list item's text: `**Title**: details`, a `[x]` box, and `owner:`,
    /// `@handle`, `due`, `status:`, `P1` and a tracker link written in it.
    fn action(&mut self, text: &str, task: Option<bool>, at: usize, incident: NaiveDate) -> ActionItem {
        static BOLD_LEAD: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?s)^(?:\*\*|__)(?P<t>.+?)(?:\*\*|__)\s*[:.\-–—]?\s*(?P<d>.*)$").expect("valid regex")
        });
        static OWNER: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?:\b(?i:owners?|assignee|responsible|dri)\s*[:=]\s*@?|\b(?i:assigned to)\s+@?)(?P<o>\p{L}[\p{L}.'\-]*(?:\s\p{Lu}[\p{L}.'\-]*)?)|(?:^|\s|\()@(?P<h>[\w.\-]*\w)")
                .expect("valid regex")
        });
        static DUE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\b(?:due(?:\s+date)?|deadline|eta|by)\s*[:=]?\s*(?P<d>[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{2,4}|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?\s+[0-9]{1,2}(?:,?\s+[0-9]{4})?|[0-9]{1,2}\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?:\s+[0-9]{4})?)").expect("valid regex")
        });
        static STATUS: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\bstatus\s*[:=]\s*(?P<s>[\w' -]+?)\s*(?:[,;)\]]|$)").expect("valid regex")
        });
        static META: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\s*[(\[][^()\[\]]*\b(?:owner|assignee|due|status|eta|deadline)\b[^()\[\]]*[)\]]\s*$")
                .expect("valid regex")
        });
        let text = text.trim();
        let (title, description) = match BOLD_LEAD.captures(text) {
            Some(c) if !c["t"].trim().is_empty() => {
                (c["t"].trim().trim_end_matches(':').trim().to_string(), c["d"].trim().to_string())
            }
            _ => {
                let first = text.lines().next().unwrap_or("").trim();
                let first_clean = META.replace(first, "").trim().to_string();
                let title = title_from(&first_clean);
                let description =
                    if title != first_clean || text.lines().count() > 1 { text.to_string() } else { String::new() };
                (title, description)
            }
        };
        let mut item = ActionItem {
            id: String::new(),
            title: if title.is_empty() { title_from(text) } else { title },
            description,
            owner: None,
            due_date: None,
            priority: Priority::P2,
            kind: action_kind(text),
            status: ActionStatus::Open,
            wont_do_reason: None,
            tracker_url: url_in(text),
            created_at: self.now,
            completed_at: None,
            source_step_id: None,
            source_factor_id: None,
        };
        if let Some(c) = OWNER.captures(text) {
            let o = c.name("o").or(c.name("h")).map(|m| m.as_str().trim().to_string()).filter(|o| !o.is_empty());
            item.owner = o.filter(|o| !is_placeholder(o));
        }
        if let Some(c) = DUE.captures(text) {
            match due_date(&c["d"], incident) {
                Some(d) => item.due_date = Some(d),
                None => self.unsure(at, format!("the due date {:?} is not a date", &c["d"])),
            }
        }
        if let Some(c) = STATUS.captures(text) {
            apply_status(&mut item, &c["s"]);
        }
        if let Some(done) = task {
            item.status = if done { ActionStatus::Done } else { ActionStatus::Open };
            item.completed_at = done.then_some(self.now);
        }
        static PRIORITY: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(P[0-3])\b").expect("valid regex"));
        if let Some(c) = PRIORITY.captures(text) {
            item.priority = Priority::parse(&c[1]).unwrap_or(Priority::P2);
        }
        item
    }

    /// Reads a contributing-factors part: list items, and table rows (their cells joined).
    fn factors(&mut self, parts: &mut [Part], p: usize) {
        let ranges = parts[p].ranges.clone();
        let mut read_here = 0;
        for r in ranges {
            for block in blocks(&self.body[r.clone()]) {
                let texts: Vec<String> = match &block {
                    Block::List { items, .. } => items.iter().map(|i| i.text.clone()).collect(),
                    Block::Table { rows, .. } => rows
                        .iter()
                        .map(|(_, row)| {
                            row.iter().filter(|c| !c.trim().is_empty()).cloned().collect::<Vec<_>>().join(" — ")
                        })
                        .collect(),
                    _ => continue,
                };
                for t in texts.into_iter().filter(|t| !is_placeholder(t)) {
                    self.pm.contributing_factors.push(ContributingFactor {
                        id: String::new(),
                        text: t.lines().map(str::trim).collect::<Vec<_>>().join(" "),
                        category: None,
                        source_step_id: None,
                        source_cause_id: None,
                    });
                    read_here += 1;
                }
                if let Block::List { range, .. } | Block::Table { range, .. } = block {
                    parts[p].removed.push(r.start + range.start..r.start + range.end);
                }
            }
        }
        if read_here > 0 {
            let at = parts[p].heading.as_ref().map_or(0, |h| h.range.start);
            self.mapped(at, heading_label(parts[p].heading.as_ref()), format!("{read_here} contributing factors"));
        }
    }

    /// Reads an attendees part: `Name (role)` list items, or a table with name and role columns.
    fn attendees(&mut self, parts: &mut [Part], p: usize) {
        static NAME_ROLE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"^(?P<n>[^(,:–—]+?)\s*(?:\((?P<r1>[^)]*)\)|[,:–—]\s*(?P<r2>.+)|\s-\s(?P<r3>.+))?$")
                .expect("valid regex")
        });
        let ranges = parts[p].ranges.clone();
        let mut read_here = 0;
        for r in ranges {
            for block in blocks(&self.body[r.clone()]) {
                let people: Vec<(String, String)> = match &block {
                    Block::List { items, .. } => items
                        .iter()
                        .filter(|i| !is_placeholder(&i.text))
                        .map(|i| {
                            let line = i.text.lines().next().unwrap_or("").trim_start_matches('@').to_string();
                            match NAME_ROLE.captures(&line) {
                                Some(c) => {
                                    let role =
                                        c.name("r1").or(c.name("r2")).or(c.name("r3")).map_or("", |m| m.as_str());
                                    (c["n"].trim().to_string(), role.trim().to_string())
                                }
                                None => (line.trim().to_string(), String::new()),
                            }
                        })
                        .collect(),
                    Block::Table { header, rows, .. } => {
                        let name = column(header, &["name", "person", "who", "attendee"]).unwrap_or(0);
                        let role = column(header, &["role", "team", "title", "function"]);
                        rows.iter()
                            .filter_map(|(_, row)| {
                                let n = row.get(name).map(|s| s.trim().to_string()).filter(|s| !is_placeholder(s))?;
                                let mut r =
                                    role.and_then(|c| row.get(c)).map(|s| s.trim().to_string()).unwrap_or_default();
                                // Other columns ("In attendance") join the role, so nothing is lost.
                                for (i, v) in row.iter().enumerate() {
                                    if i != name && Some(i) != role && !is_placeholder(v) {
                                        let h = header.get(i).map_or("", |h| h.trim());
                                        let extra = if h.is_empty() {
                                            v.trim().to_string()
                                        } else {
                                            format!("{h}: {}", v.trim())
                                        };
                                        r = if r.is_empty() { extra } else { format!("{r}; {extra}") };
                                    }
                                }
                                Some((n, r))
                            })
                            .collect()
                    }
                    _ => continue,
                };
                for (name, role) in people {
                    if name.is_empty() {
                        continue;
                    }
                    let role = if role.is_empty() { "attendee".to_string() } else { role };
                    self.pm.participants.push(Participant { name, role });
                    read_here += 1;
                }
                // A list item with more than its first line keeps the list in the text.
                let whole = match &block {
                    Block::List { items, .. } => items.iter().all(|i| i.text.lines().count() <= 1),
                    _ => true,
                };
                if let (true, Block::List { range, .. } | Block::Table { range, .. }) = (whole, &block) {
                    parts[p].removed.push(r.start + range.start..r.start + range.end);
                }
            }
        }
        if read_here > 0 {
            let at = parts[p].heading.as_ref().map_or(0, |h| h.range.start);
            self.mapped(at, heading_label(parts[p].heading.as_ref()), format!("{read_here} participants"));
        }
    }
}

/// Adds an event that was read to `events`, counting it; false when there was none.
fn keep(event: Option<ImportedEvent>, events: &mut Vec<ImportedEvent>, read: &mut usize) -> bool {
    let Some(e) = event else { return false };
    events.push(e);
    *read += 1;
    true
}

fn heading_label(h: Option<&Heading>) -> String {
    match h {
        Some(h) if h.level <= 6 => format!("{} {}", "#".repeat(h.level), h.text),
        Some(h) => format!("**{}**", h.text),
        None => "text before the first heading".into(),
    }
}

fn push_line(text: &mut String, line: &str) {
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(line);
}

/// The first web address in `text`: a Markdown link's target or a bare `https://` address.
fn url_in(text: &str) -> Option<String> {
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\]\((?P<l>https?://[^)\s]+)\)|(?P<b>https?://[^\s)<>\]|]+)").expect("valid regex")
    });
    URL.captures(text)
        .and_then(|c| c.name("l").or(c.name("b")))
        .map(|m| m.as_str().trim_end_matches(['.', ',']).to_string())
}

fn priority(value: &str) -> Option<Priority> {
    Priority::parse(value).or(match value.trim().to_lowercase().as_str() {
        "critical" | "urgent" | "highest" | "blocker" => Some(Priority::P0),
        "high" => Some(Priority::P1),
        "medium" | "normal" => Some(Priority::P2),
        "low" | "lowest" => Some(Priority::P3),
        _ => None,
    })
}

/// Sets the item's status from a word; false when the word is not a status.
fn apply_status(item: &mut ActionItem, value: &str) -> bool {
    let lower = value.trim().to_lowercase();
    let status = ActionStatus::parse(&lower).or(match lower.as_str() {
        "fixed" | "resolved" | "yes" | "y" | "x" | "✅" | "✔" | "complete" | "finished" | "shipped" | "merged" => {
            Some(ActionStatus::Done)
        }
        "wip" | "ongoing" | "started" | "in flight" | "doing" | "in review" => Some(ActionStatus::InProgress),
        "no" | "not started" | "new" | "backlog" | "planned" => Some(ActionStatus::Open),
        "cancelled" | "canceled" | "rejected" | "dropped" | "wont fix" | "won't fix" | "wontfix" => {
            Some(ActionStatus::WontDo)
        }
        _ => None,
    });
    let Some(s) = status else { return false };
    item.status = s;
    item.completed_at = (s == ActionStatus::Done).then_some(item.created_at);
    if s == ActionStatus::WontDo {
        item.wont_do_reason = Some(format!("marked {value:?} in the imported file"));
    }
    true
}

/// An action's type from its words.
fn action_kind(text: &str) -> ActionKind {
    let t = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["monitor", "alert", "detect", "dashboard", "observab", "metric"]) {
        ActionKind::Detect
    } else if has(&["runbook", "rollback", "roll back", "failover", "mitigat", "playbook", "restore"]) {
        ActionKind::Mitigate
    } else if has(&[
        "document",
        "process",
        "review",
        "training",
        "communicat",
        "policy",
        "talk with",
        "guideline",
        "onboard",
    ]) {
        ActionKind::Process
    } else {
        ActionKind::Prevent
    }
}

// ---------------------------------------------------------------------------------------------
// The whole file
// ---------------------------------------------------------------------------------------------

/// The deepest nesting of lists and block quotes a postmortem is read with.
pub const MAX_NESTING: usize = 32;

/// The 1-based line of the first list item or quote nested deeper than [`MAX_NESTING`]: by
/// its run of markers (`- - - x`, `> > > x`) or its indentation (two spaces a level).
fn nested_too_deep(text: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
            let mut rest = line.trim_start();
            let mut depth = 0;
            loop {
                let next = ["- ", "* ", "+ ", "> ", ">"].iter().find_map(|m| rest.strip_prefix(m));
                match next {
                    Some(r) => {
                        depth += 1;
                        rest = r.trim_start();
                    }
                    None => break,
                }
            }
            // Indentation counts only on a list item or quote (a code block may be indented far).
            depth > 0 && depth + indent / 2 > MAX_NESTING
        })
        .map(|i| i + 1)
}

/// The first `YYYY-MM-DD` that has the shape of a date (month 1 to 12, day 1 to 31) but names
/// no day of the calendar (`2025-02-30`, `2023-04-31`), with its 1-based line, where the
/// importer would read it as a date: in the front matter, or at the start of a line, list item
/// or table cell (a timeline row). A date quoted in prose or in a code block (a postmortem about
/// a leap-day bug) is the document's text, not its date, and is left alone.
fn impossible_date(text: &str) -> Option<(usize, String)> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?:^|[^0-9])(([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))(?:[^0-9]|$)")
            .expect("the date pattern compiles")
    });
    let mut in_front_matter = text.starts_with("---");
    let mut in_code = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if i > 0 && in_front_matter && (trimmed.starts_with("---") || trimmed.starts_with("...")) {
            in_front_matter = false;
            continue;
        }
        if !in_front_matter && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        // Where a date is read: the front matter, or a line's (item's, cell's) first word.
        let lead = trimmed
            .trim_start_matches(|c: char| matches!(c, '-' | '*' | '+' | '|' | '#' | '>' | '~') || c.is_whitespace());
        let candidates: Vec<&str> = if in_front_matter {
            vec![line]
        } else {
            let mut cells: Vec<&str> = vec![lead];
            // A key-value line (`Date: ...`, `**Date:** ...`) is read as a field.
            if let Some((_, value)) = lead.split_once(':') {
                cells.push(value.trim_start_matches(|c: char| c == '*' || c == '_' || c.is_whitespace()));
            }
            if trimmed.starts_with('|') {
                cells.extend(trimmed.split('|').map(str::trim));
            }
            cells
        };
        for c in candidates.iter().flat_map(|cell| {
            DATE.captures_iter(cell).filter(|c| in_front_matter || c.get(1).is_some_and(|m| m.start() == 0))
        }) {
            let number = |k: usize| c[k].parse::<u32>().expect("digits");
            if NaiveDate::from_ymd_opt(number(2) as i32, number(3), number(4)).is_none() {
                return Some((i + 1, c[1].to_string()));
            }
        }
    }
    None
}

fn parse_err(source: &str, line: usize, message: impl Into<String>) -> Error {
    Error::Parse {
        location: if line == 0 { source.to_string() } else { format!("{source}:{line}") },
        message: message.into(),
    }
}

/// Whether `text` reads as Markdown: it has a heading (ATX or setext), front matter, a table or
/// a list, and no NUL bytes. Used for files without a `.md` extension found in a folder.
pub fn looks_like_markdown(text: &str) -> bool {
    if text.contains('\0') {
        return false;
    }
    let t = text.trim_start_matches('\u{feff}');
    t.starts_with("---\n")
        || t.starts_with("---\r\n")
        || t.lines().take(2000).any(|l| {
            let l = l.trim_start();
            (l.starts_with('#')
                && l.trim_start_matches('#').starts_with(' ')
                && l.chars().take_while(|c| *c == '#').count() <= 6)
                || (l.starts_with('|') && l.ends_with('|') && l.len() > 2)
                || l.starts_with("===")
        })
}

/// The front matter (YAML between `---` lines at the top) and where the body starts; `None`
/// when there is none. A YAML error names its line in the file.
fn front_matter(text: &str, source: &str) -> Result<Option<(serde_json::Map<String, Value>, usize)>> {
    let Some(after) = text.strip_prefix("---\n") else { return Ok(None) };
    let mut offset = 4;
    for line in after.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let yaml = &text[4..offset];
            let value: Value = if yaml.trim().is_empty() {
                Value::Object(serde_json::Map::new())
            } else {
                crate::exchange::yaml::from_str(yaml, 1)
                    .map_err(|e| parse_err(source, e.line.unwrap_or(2), format!("front matter: {}", e.message)))?
            };
            return match value {
                Value::Object(map) => Ok(Some((map, offset + line.len()))),
                Value::Null => Ok(Some((serde_json::Map::new(), offset + line.len()))),
                _ => Err(parse_err(source, 2, "front matter: should be keys and values (`title: ...`)")),
            };
        }
        offset += line.len();
    }
    // No closing line: the `---` was a rule, not front matter.
    Ok(None)
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => Some(items.iter().filter_map(value_text).collect::<Vec<_>>().join(", ")),
        _ => None,
    }
}

/// Reads a postmortem written in any Markdown. `source` names the file in the report and in
/// errors; `seed` (the file's path within what was imported) gives the postmortem and its
/// parts their stable ids; `today` bounds dates; `now` stamps new action items.
pub fn read(text: &str, source: &str, seed: &str, today: NaiveDate, now: DateTime<Utc>) -> Result<Understood> {
    if text.len() > MAX_BYTES {
        return Err(parse_err(
            source,
            0,
            format!(
                "is {:.1} MB; a postmortem is read only up to {} MB (is it an archive or a log?)",
                text.len() as f64 / 1_048_576.0,
                MAX_BYTES / 1_048_576
            ),
        ));
    }
    if text.contains('\0') {
        return Err(parse_err(source, 0, "is not a text file (it has NUL bytes)"));
    }
    if let Some(line) = nested_too_deep(text) {
        return Err(parse_err(
            source,
            line,
            format!("has lists or quotes nested more than {MAX_NESTING} deep; is it a postmortem?"),
        ));
    }
    if let Some((line, date)) = impossible_date(text) {
        // Read on, the date would silently become "no date" (the incident dated today, a
        // timeline row taken for text): the file is refused with the place to fix instead.
        return Err(parse_err(
            source,
            line,
            format!("{date} is not a day of the calendar; correct the date and import again"),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let owned;
    let text = if text.contains('\r') {
        owned = text.replace("\r\n", "\n").replace('\r', "\n");
        owned.as_str()
    } else {
        text
    };
    let (front, body_start) = match front_matter(text, source)? {
        Some((map, start)) => (map, start),
        None => (serde_json::Map::new(), 0),
    };
    let body = &text[body_start..];
    let first_line = text[..body_start].matches('\n').count() + 1;
    let mut line_starts = vec![0];
    line_starts.extend(body.match_indices('\n').map(|(i, _)| i + 1));

    let whole_zone = zone_in(body);
    let file_stem = std::path::Path::new(seed).file_stem().and_then(|s| s.to_str()).unwrap_or(seed).to_string();
    let mut r = Reader {
        body,
        first_line,
        line_starts,
        report: FileReport { source: source.to_string(), format: "markdown".into(), ..Default::default() },
        pm: Postmortem {
            id: stable_id(seed),
            title: String::new(),
            incident_date: today,
            severity: Severity::Sev3,
            status: ReviewStatus::Draft,
            authors: vec![],
            incident_commander: None,
            reviewers: vec![],
            participants: vec![],
            services: vec![],
            categories: vec![],
            tags: vec![],
            template: None,
            near_miss: false,
            novel_failure_mode: false,
            users_affected_pct: None,
            revenue_impact: None,
            support_tickets: None,
            error_budget_consumed_pct: None,
            data_impact: None,
            sections: vec![],
            timeline: vec![],
            whys: vec![],
            fishbones: vec![],
            contributing_factors: vec![],
            action_items: vec![],
            status_history: vec![],
            created_at: now,
            updated_at: now,
            extra: serde_json::Map::new(),
            conflicts: vec![],
        },
        date: None,
        severity: None,
        status: None,
        ttd: None,
        ttr: None,
        now,
        zoned_events: 0,
        month_first: whole_zone.as_ref().is_some_and(|z| is_american(&z.0)),
    };

    // Front matter from other collections.
    let mut front_summary = None;
    let mut front_url = None;
    for (key, value) in front {
        let shown = format!("{key}: {}", value_text(&value).unwrap_or_else(|| "…".into()));
        let k = key.to_lowercase();
        let text_value = value_text(&value).unwrap_or_default();
        let line = 1 + text[..body_start].lines().position(|l| l.starts_with(&format!("{key}:"))).unwrap_or(0);
        let mut to = |what: String| r.report.mapped.push(Mapping { line, from: shown.clone(), to: what });
        match k.as_str() {
            "summary" | "description" | "excerpt" | "tldr" => {
                front_summary = Some(text_value);
                to("section summary".into());
            }
            "url" | "link" | "source" | "permalink" => {
                front_url = Some(text_value);
                to("section supporting information".into());
            }
            "company" | "organization" | "organisation" | "team" => {
                let tag = text_value.trim().to_string();
                if !tag.is_empty() && !has_name(&r.pm.tags, &tag) {
                    r.pm.tags.push(tag);
                }
                to("tags".into());
            }
            "start_time" | "started_at" | "start" | "incident_start" | "date" | "incident_date" => {
                match when(&text_value, None, false).and_then(|w| w.date).or_else(|| date_in(&text_value)) {
                    Some(d) => {
                        r.date.get_or_insert((d, format!("front matter {key}")));
                        // Kept too: the time of day is not a field of its own.
                        r.pm.extra.insert(key.clone(), value.clone());
                        to(format!("incident date {d}"));
                    }
                    None => {
                        r.pm.extra.insert(key.clone(), value.clone());
                        r.report
                            .unsure
                            .push(Note { line, message: format!("{key}: {text_value:?} is not a date; kept") });
                    }
                }
            }
            _ => match field_for(&key.replace('_', " ")) {
                Some(_) if !text_value.is_empty() => {
                    let at = 0;
                    match r.field(&key.replace('_', " "), &text_value, at, 0, 0..0) {
                        Ok(Use::Read) => {
                            // `field` reported it against the body's first line; point at the key.
                            if let Some(last) = r.report.mapped.last_mut() {
                                last.line = line;
                            }
                        }
                        _ => {
                            r.pm.extra.insert(key.clone(), value);
                            r.report.mapped.push(Mapping { line, from: shown, to: "kept as an extra field".into() });
                        }
                    }
                }
                _ => {
                    r.pm.extra.insert(key.clone(), value);
                    r.report.mapped.push(Mapping { line, from: shown, to: "kept as an extra field".into() });
                }
            },
        }
    }

    // Title and sections.
    let all = headings(body);
    let mut title_heading: Option<usize> = None;
    if all.first().is_some_and(|h| h.level == 1) {
        title_heading = Some(0);
        let h = &all[0];
        if r.pm.title.is_empty() {
            r.pm.title = h.text.clone();
            r.mapped(h.range.start, format!("# {}", h.text), "title");
        }
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut current_level = usize::MAX;
    for (i, h) in all.iter().enumerate() {
        if Some(i) == title_heading {
            continue;
        }
        let k = known(&h.text);
        // An unknown heading below the current section's heading stays in its text.
        if k.is_none() && !parts.is_empty() && h.level > current_level {
            continue;
        }
        current_level = h.level;
        parts.push(Part { heading: Some(h.clone()), known: k, ranges: vec![], removed: vec![] });
        if parts.len() > MAX_SECTIONS {
            return Err(parse_err(
                source,
                r.line(h.range.start),
                format!("has more than {MAX_SECTIONS} sections; is it a postmortem?"),
            ));
        }
    }
    // Each part's text runs to the next part's heading.
    let starts: Vec<usize> = parts.iter().map(|p| p.heading.as_ref().map_or(0, |h| h.range.start)).collect();
    for (i, part) in parts.iter_mut().enumerate() {
        let h = part.heading.as_ref().expect("parts so far have headings");
        part.ranges.push(h.range.end..starts.get(i + 1).copied().unwrap_or(body.len()));
    }
    // The text before the first section, around the title heading.
    let first_start = starts.first().copied().unwrap_or(body.len());
    let mut intro = Vec::new();
    match title_heading.map(|t| all[t].range.clone()) {
        Some(t) if t.start < first_start => {
            intro.push(0..t.start);
            intro.push(t.end..first_start);
        }
        _ => intro.push(0..first_start),
    }
    parts.insert(0, Part { heading: None, known: None, ranges: intro, removed: vec![] });

    // Fields first: the incident date and zone decide how timelines read.
    for p in 0..parts.len() {
        let holds = parts[p].known.map(|k| k.2);
        if matches!(holds, None | Some(Holds::Prose) | Some(Holds::Fields)) {
            r.fields(&mut parts, p);
        }
        // A field heading with its value on the next line ("### Date" then "2024-01-05").
        if holds == Some(Holds::Fields) {
            let name = parts[p].heading.as_ref().map(|h| h.text.clone()).unwrap_or_default();
            if field_for(&name).is_some() {
                let ranges = parts[p].ranges.clone();
                for range in ranges {
                    let value = r.body[range.clone()].trim().to_string();
                    if value.is_empty()
                        || value.contains('\n')
                        || parts[p].removed.iter().any(|x| x.start >= range.start && x.end <= range.end)
                    {
                        continue;
                    }
                    match r.field(&name, &value, range.start, p, range.clone()) {
                        Ok(Use::Read) => parts[p].removed.push(range),
                        Ok(_) => {}
                        Err(why) => r.unsure(range.start, format!("{name}: {why}; kept as text")),
                    }
                }
            }
        }
    }
    if r.pm.title.trim().is_empty() {
        let from_name = file_stem.replace(['-', '_'], " ");
        let from_name = from_name.trim();
        r.pm.title = if from_name.is_empty() { "Imported postmortem".to_string() } else { from_name.to_string() };
        r.unsure(usize::MAX, format!("no title heading; the title is taken from the file name: {:?}", r.pm.title));
    }
    if reads_like_a_template_title(&r.pm.title) {
        let message = format!(
            "the title {:?} reads like a template's placeholder: is this a template, not a postmortem?",
            r.pm.title
        );
        r.unsure(usize::MAX, message);
        r.report.template = true;
    }

    // The incident date: stated, else the first date in a timeline, else in the text, else the
    // file name, else today.
    let timeline_parts: Vec<usize> =
        (0..parts.len()).filter(|p| parts[*p].known.is_some_and(|k| k.2 == Holds::Timeline)).collect();
    if r.date.is_none() {
        let found = timeline_parts.iter().flat_map(|p| parts[*p].ranges.clone()).find_map(|range| {
            r.body[range].lines().find_map(|l| {
                let cell = l.trim().trim_start_matches(['|', '-', '*', '+', ' ']);
                when(cell, None, r.month_first).and_then(|w| w.date).filter(|d| *d <= today)
            })
        });
        if let Some(d) = found {
            r.date = Some((d, "the timeline's first date".into()));
        }
    }
    if r.date.is_none() {
        let prose = parts.iter().flat_map(|p| p.ranges.clone()).map(|x| &r.body[x]).collect::<Vec<_>>().join("\n");
        if let Some(d) = date_in(&prose).filter(|d| *d <= today) {
            r.date = Some((d, "the first date in the text".into()));
            r.unsure(usize::MAX, format!("no incident date stated; took {d}, the first date in the text"));
        }
    }
    if r.date.is_none() {
        static NAME_DATE: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})").expect("valid regex"));
        if let Some(c) = NAME_DATE.captures(&file_stem) {
            if let Some(d) =
                NaiveDate::from_ymd_opt(c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0), c[3].parse().unwrap_or(0))
                    .filter(|d| *d <= today)
            {
                r.date = Some((d, "the file name".into()));
            }
        }
    }
    let (date, _) = r.date.clone().unwrap_or_else(|| (today, String::new()));
    if r.date.is_none() {
        r.unsure(usize::MAX, format!("no incident date found; set to today ({today})"));
    }
    r.pm.incident_date = date;

    // Timelines, in the zone the document names.
    let mut events = Vec::new();
    for &p in &timeline_parts {
        let local = parts[p]
            .heading
            .as_ref()
            .and_then(|h| zone_in(&format!("times {}", h.text)))
            .or_else(|| parts[p].ranges.iter().find_map(|x| zone_in(&r.body[x.clone()])))
            .or_else(|| whole_zone.clone());
        let at = parts[p].heading.as_ref().map_or(0, |h| h.range.start);
        let zone = local.as_ref().map_or_else(|| Zone::parse("UTC").expect("UTC is a zone"), |z| z.0);
        let (before, zoned_before) = (events.len(), r.zoned_events);
        r.timeline(&mut parts, p, zone, date, &mut events);
        let (read, zoned) = (events.len() - before, r.zoned_events - zoned_before);
        if read > 0 {
            match local {
                Some((_, name)) => r.mapped(at, format!("times in {name}"), "converted to UTC"),
                // Every time named its own zone ("09:12 UTC", a "Time (PST)" column).
                None if zoned == read => r.mapped(at, "times with their zone", "converted to UTC"),
                None => r.unsure(at, "the timeline does not say its time zone; read as UTC"),
            }
        }
    }
    if events.len() > MAX_EVENTS {
        return Err(parse_err(
            source,
            0,
            format!(
                "has {} timeline events, more than the {MAX_EVENTS} a postmortem may have; is it a log?",
                events.len()
            ),
        ));
    }
    timeline::merge_into(&mut r.pm, &events);
    mark_durations(&mut r, &mut parts);

    for p in 0..parts.len() {
        match parts[p].known.map(|k| k.2) {
            Some(Holds::Actions) => r.actions(&mut parts, p, date),
            Some(Holds::Factors) => r.factors(&mut parts, p),
            Some(Holds::Attendees) => r.attendees(&mut parts, p),
            _ => {}
        }
    }

    // Sections from what is left of each part's text.
    let has_summary = parts.iter().any(|p| p.known.is_some_and(|k| k.0 == "summary"));
    for (i, part) in parts.iter().enumerate() {
        let body_text = assemble(body, &part.ranges, &part.removed);
        // A field heading whose text was all read as fields is not a section.
        let all_read = body_text.trim().is_empty();
        let (key, heading) = match (&part.heading, part.known) {
            (None, _) => {
                let mut t = body_text.clone();
                if let Some(s) = front_summary.take() {
                    t = if t.trim().is_empty() { s } else { format!("{s}\n\n{t}") };
                }
                if t.trim().is_empty() {
                    continue;
                }
                let (key, heading) =
                    if has_summary { ("introduction", "Introduction") } else { ("summary", "Summary") };
                let key = unique_key(key, r.pm.sections.iter().map(|s| s.key.as_str()));
                r.pm.sections.push(Section { id: String::new(), key, heading: heading.into(), body: t });
                continue;
            }
            (Some(_), Some((_, _, Holds::Fields))) if all_read => continue,
            (Some(h), Some((key, _, _))) => (key.to_string(), h.text.clone()),
            (Some(h), None) => {
                r.report.unmapped.push(heading_label(Some(h)));
                (slug(&h.text), h.text.clone())
            }
        };
        let key = unique_key(&key, r.pm.sections.iter().map(|s| s.key.as_str()));
        if let (Some(h), Some(_)) = (&part.heading, part.known) {
            let to = format!("section {key}");
            let line = r.first_line + r.line_starts.partition_point(|s| *s <= h.range.start).saturating_sub(1);
            if !r.report.mapped.iter().any(|m| m.line == line && m.from == heading_label(Some(h))) {
                r.report.mapped.push(Mapping { line, from: heading_label(Some(h)), to });
            }
        }
        let heading = if heading.trim().is_empty() { format!("Section {}", i) } else { heading };
        r.pm.sections.push(Section { id: String::new(), key, heading, body: body_text });
    }
    if let Some(s) = front_summary.take().filter(|s| !s.trim().is_empty()) {
        if let Some(sec) = r.pm.sections.iter_mut().find(|x| x.key == "summary") {
            sec.body = if sec.body.trim().is_empty() { s } else { format!("{s}\n\n{}", sec.body) };
        }
    }
    if let Some(url) = front_url.filter(|u| !u.trim().is_empty()) {
        let line = format!("Source: <{}>", url.trim());
        match r.pm.sections.iter_mut().find(|x| x.key == "supporting_information") {
            Some(sec) => push_line(&mut sec.body, &line),
            None => {
                let key = unique_key("supporting_information", r.pm.sections.iter().map(|s| s.key.as_str()));
                r.pm.sections.push(Section {
                    id: String::new(),
                    key,
                    heading: "Supporting information".into(),
                    body: line,
                });
            }
        }
    }

    // What was not stated.
    r.pm.severity = r.severity.unwrap_or_else(|| {
        r.report.unsure.push(Note { line: 0, message: "no severity stated; set to SEV3".into() });
        Severity::Sev3
    });
    let has_content = !r.pm.timeline.is_empty() || r.pm.sections.iter().any(|s| !s.body.trim().is_empty());
    r.pm.status = r.status.unwrap_or(if has_content { ReviewStatus::Final } else { ReviewStatus::Draft });
    if r.pm.title.chars().count() > 200 {
        let short: String = r.pm.title.chars().take(199).collect();
        r.unsure(usize::MAX, "the title is longer than 200 characters; cut");
        r.pm.title = format!("{}…", short.trim_end());
    }
    assign_ids(&mut r.pm);
    finish(r, source, today)
}

/// Sets the markers time to detection and to recovery point at, when an event sits exactly
/// there; otherwise their lines stay in the text. Without them, the first event is "started".
fn mark_durations(r: &mut Reader, parts: &mut [Part]) {
    if r.pm.timeline.is_empty() {
        for pending in [r.ttd.take(), r.ttr.take()].into_iter().flatten() {
            r.report.unsure.push(Note {
                line: pending.line,
                message: format!("{}: there is no timeline to mark; kept as text", pending.text),
            });
        }
        return;
    }
    // The start is the event from which the stated durations reach events: the pair (or the
    // one) that fits best, earliest first; without stated durations, the first event.
    let times: Vec<DateTime<Utc>> = r.pm.timeline.iter().map(|e| e.at).collect();
    let n = times.len();
    let near =
        |from: usize, to: usize, m: i64| to != from && ((times[to] - times[from]).num_seconds() - m * 60).abs() < 60;
    let (ttd, ttr) = (r.ttd.take(), r.ttr.take());
    let mut best: (usize, Option<usize>, Option<usize>, u8) = (0, None, None, 0);
    for s in 0..n {
        let d = ttd.as_ref().and_then(|p| (0..n).find(|&j| near(s, j, p.minutes)));
        let e = ttr.as_ref().and_then(|p| {
            (0..n).find(|&j| near(s, j, p.minutes)).or_else(|| d.and_then(|d| (0..n).find(|&j| near(d, j, p.minutes))))
        });
        let score = u8::from(d.is_some()) + u8::from(e.is_some());
        if score > best.3 {
            best = (s, d, e, score);
        }
    }
    let (s, d, e, _) = best;
    let put = |r: &mut Reader, i: usize, marker: Marker| {
        for ev in r.pm.timeline.iter_mut() {
            if ev.marker == Some(marker) {
                ev.marker = None;
            }
        }
        r.pm.timeline[i].marker = Some(marker);
    };
    if r.pm.timeline[s].marker.is_none() || best.3 > 0 {
        put(r, s, Marker::Started);
    }
    for (pending, found, marker) in [(ttd, d, Marker::Detected), (ttr, e, Marker::Resolved)] {
        let Some(pending) = pending else { continue };
        match found {
            Some(i) => {
                // Recovery before a later event already marked resolved is the mitigation.
                let later_resolved = marker == Marker::Resolved
                    && r.pm.timeline.iter().any(|x| x.marker == Some(Marker::Resolved) && x.at > times[i]);
                let marker = if later_resolved { Marker::Mitigated } else { marker };
                put(r, i, marker);
                r.report.mapped.push(Mapping {
                    line: pending.line,
                    from: pending.text.clone(),
                    to: format!("marker {} on the event at {}", marker.as_str(), times[i].format("%Y-%m-%d %H:%M UTC")),
                });
                parts[pending.part].removed.push(pending.range);
            }
            None => r.report.unsure.push(Note {
                line: pending.line,
                message: format!("{}: no timeline event sits at that time from another; kept as text", pending.text),
            }),
        }
    }
    // Markers must stay in time order; drop any derived one that does not.
    let order = |m: Marker| Marker::ALL.iter().position(|x| *x == m).unwrap_or(0);
    let marked: Vec<(Marker, DateTime<Utc>)> =
        r.pm.timeline.iter().filter_map(|e| e.marker.map(|m| (m, e.at))).collect();
    for e in r.pm.timeline.iter_mut() {
        if let Some(m) = e.marker {
            if marked.iter().any(|(o, at)| (order(*o) < order(m) && *at > e.at) || (order(*o) > order(m) && *at < e.at))
            {
                e.marker = None;
            }
        }
    }
}

/// The text of `ranges` with `removed` left out, blank runs collapsed.
fn assemble(body: &str, ranges: &[Range<usize>], removed: &[Range<usize>]) -> String {
    let mut removed: Vec<Range<usize>> = removed.to_vec();
    removed.sort_by_key(|x| x.start);
    let mut out = String::new();
    for r in ranges {
        let mut at = r.start;
        for x in removed.iter().filter(|x| x.start >= r.start && x.end <= r.end) {
            if x.start > at {
                out.push_str(&body[at..x.start]);
            }
            at = at.max(x.end);
        }
        if r.end > at {
            out.push_str(&body[at..r.end]);
        }
        out.push('\n');
    }
    let mut lines: Vec<&str> = Vec::new();
    for l in out.lines() {
        if l.trim().is_empty() && lines.last().is_none_or(|p: &&str| p.trim().is_empty()) {
            continue;
        }
        lines.push(l.trim_end());
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// Gives every part of the postmortem an id derived from the postmortem's, by position.
fn assign_ids(pm: &mut Postmortem) {
    let base = pm.id.clone();
    let id = |what: &str, i: usize| stable_id(&format!("{base}/{what}/{i}"));
    for (i, s) in pm.sections.iter_mut().enumerate() {
        s.id = id("section", i);
    }
    for (i, e) in pm.timeline.iter_mut().enumerate() {
        e.id = id("event", i);
    }
    for (i, f) in pm.contributing_factors.iter_mut().enumerate() {
        f.id = id("factor", i);
    }
    for (i, a) in pm.action_items.iter_mut().enumerate() {
        a.id = id("action", i);
    }
}

/// Counts, validation and the report's summary.
fn finish(r: Reader, source: &str, today: NaiveDate) -> Result<Understood> {
    let date_guessed = r.date.is_none();
    let Reader { pm, mut report, .. } = r;
    check(&pm, source, today)?;
    report.describe(&pm);
    report.mapped.sort_by_key(|m| m.line);
    report.unsure.sort_by_key(|n| n.line);
    Ok(Understood { postmortem: pm, report, date_guessed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn now() -> DateTime<Utc> {
        "2026-12-01T12:00:00Z".parse().unwrap()
    }

    fn import(text: &str) -> Understood {
        read(text, "test.md", "test.md", today(), now()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_template_title_is_asked_about_and_an_incident_title_is_not() {
        for title in [
            "Title",
            "Incident Title",
            "Postmortem Template",
            "Title of the incident: Date",
            "Title (incident #)",
            "Post-mortem template",
        ] {
            assert!(reads_like_a_template_title(title), "{title}");
        }
        for title in [
            "Incident report",
            "Title search returned stale results",
            "Checkout 502s after a config change",
            "Postmortem: the incident of the missing template",
            "(Title)",
            "[Incident title]",
            "",
        ] {
            assert!(!reads_like_a_template_title(title), "{title}");
        }
        let u = import("# Incident Title\n\nDate: 2024-05-05\n\n## Summary\n\nWhat happened.\n");
        assert!(u.report.unsure.iter().any(|n| n.message.contains("reads like a template")), "{:?}", u.report.unsure);
        assert!(u.report.template, "flagged for the app and the CLI to leave out");
        let u = import("# Queue stuck\n\nDate: 2024-05-05\n\n## Summary\n\nWhat happened.\n");
        assert!(!u.report.unsure.iter().any(|n| n.message.contains("template")), "{:?}", u.report.unsure);
        assert!(!u.report.template);
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn nesting_past_the_limit_is_named_with_its_line() {
        assert_eq!(nested_too_deep("# T\n\n- a\n  - b\n"), None);
        assert_eq!(nested_too_deep(&format!("# T\n{}x\n", "- ".repeat(40))), Some(2));
        assert_eq!(nested_too_deep(&format!("# T\n\n{}deep\n", "> ".repeat(40))), Some(3));
        assert_eq!(nested_too_deep(&format!("{}- x\n", " ".repeat(100))), Some(1));
        assert_eq!(nested_too_deep(&format!("```\n{}\"deep\": 1\n```\n", " ".repeat(100))), None);
    }

    #[test]
    fn a_date_that_is_no_day_of_the_calendar_is_named_with_its_line() {
        assert_eq!(impossible_date("---\ntitle: x\ndate: 2025-02-30\n---\n"), Some((3, "2025-02-30".into())));
        assert_eq!(impossible_date("# T\n\n**Date:** 2025-02-30\n"), Some((3, "2025-02-30".into())));
        assert_eq!(impossible_date("- 2023-04-31 14:05 alert"), Some((1, "2023-04-31".into())));
        assert_eq!(impossible_date("2024-02-29 was a leap day; build 12025-02-30x"), None);
        // Quoted in prose, in a code block, or in a later table cell's text: the document's text.
        assert_eq!(impossible_date("The certificates were dated 2013-02-29, a day that never was."), None);
        assert_eq!(impossible_date("```\n2013-02-29T00:00:00Z cert invalid\n```\n"), None);
        assert_eq!(impossible_date("| 2023-04-31 14:05 | alert |"), Some((1, "2023-04-31".into())));
        let e = read("---\ntitle: T\ndate: 2025-02-30\n---\n## Summary\nx\n", "f.md", "f", today(), now()).unwrap_err();
        assert_eq!(e.to_string(), "f.md:3: 2025-02-30 is not a day of the calendar; correct the date and import again");
    }

    #[test]
    fn dates_and_times_in_many_forms() {
        let d = |s: &str| when(s, Some(2024), false).and_then(|w| w.date);
        let t = |s: &str| when(s, Some(2024), false).and_then(|w| w.time);
        let ymd = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(d("2019-11-29 12:00 text"), ymd(2019, 11, 29));
        assert_eq!(d("29/11/2019 12:00"), ymd(2019, 11, 29));
        assert_eq!(d("03.04.2024 22:55"), ymd(2024, 4, 3));
        assert_eq!(when("04/03/2024", None, true).and_then(|w| w.date), ymd(2024, 4, 3));
        assert_eq!(d("Friday 29 November 2019, 14:05"), ymd(2019, 11, 29));
        assert_eq!(d("Nov 29, 2019 at 2:05 pm"), ymd(2019, 11, 29));
        assert_eq!(t("Nov 29, 2019 at 2:05 pm"), hm(14, 5));
        assert_eq!(d("5 March"), ymd(2024, 3, 5));
        assert_eq!(t("14h05 Alerte"), hm(14, 5));
        assert_eq!(t("12:00 AM midnight"), hm(0, 0));
        assert_eq!(t("2019-11-29T12:00:30Z deploy"), NaiveTime::from_hms_opt(12, 0, 30));
        let approx = when("~14:05 restarted", None, false).unwrap();
        assert!(approx.approximate);
        assert_eq!(approx.rest, "restarted");
        assert!(when("14:05~ x", None, false).unwrap().approximate);
        assert!(when("2019-12-03 --:-- surge", None, false).unwrap().approximate);
        let zoned = when("14:05 PDT paged", None, false).unwrap();
        assert!(zoned.zone.is_some());
        assert_eq!(zoned.rest, "paged");
        assert_eq!(when("20202-01-16 12:00 x", None, false).unwrap().fixed_year.as_deref(), Some("20202"));
        assert_eq!(when("09:00 - 11:00 Investigation", None, false).unwrap().rest, "Investigation (until 11:00)");
        // Text that starts with a number is not a time.
        assert!(when("3 nodes were lost", None, false).is_none());
        assert!(when("20xx-MM-DD HH:mm", None, false).is_none());
    }

    #[test]
    fn zones_named_in_headings_sentences_and_columns() {
        let name = |s: &str| zone_in(s).map(|z| z.1);
        assert_eq!(name("All times in CET.").as_deref(), Some("CET"));
        assert_eq!(name("Date and Time in UTC").as_deref(), Some("UTC"));
        assert_eq!(name("> (all times in Pacific Time)").as_deref(), Some("Pacific Time"));
        assert_eq!(name("All times are in Eastern Time (ET).").as_deref(), Some("Eastern Time"));
        assert_eq!(name("time (PST)").as_deref(), Some("PST"));
        assert_eq!(name("Times are Europe/Berlin.").as_deref(), Some("Europe/Berlin"));
        assert_eq!(name("The time was right."), None);
    }

    #[test]
    fn durations_as_people_write_them() {
        assert_eq!(minutes("54 minutes"), Some(54));
        assert_eq!(minutes("2 min"), Some(2));
        assert_eq!(minutes("1h 30m"), Some(90));
        assert_eq!(minutes("1 hour 30 minutes"), Some(90));
        assert_eq!(minutes("1.5 hours"), Some(90));
        assert_eq!(minutes("2 days"), Some(2880));
        assert_eq!(minutes("01:30"), Some(90));
        assert_eq!(minutes("?"), None);
    }

    #[test]
    fn headings_map_to_sections_and_unknown_ones_are_kept() {
        let u = import(
            "# Checkout 502s\n\n## TL;DR\n\nShort.\n\n## Root Cause(s)\n\nA config.\n\n### Deep dive\n\nDetails.\n\n## Where did we get lucky?\n\nLow traffic.\n\n## Sidebar notes\n\nKept.\n",
        );
        let keys: Vec<&str> = u.postmortem.sections.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["summary", "root_causes", "where_we_got_lucky", "sidebar_notes"]);
        assert_eq!(u.postmortem.title, "Checkout 502s");
        // The unknown deeper heading stays in its section's text, and nothing is dropped.
        assert!(u.postmortem.sections[1].body.contains("### Deep dive\n\nDetails."));
        assert_eq!(u.report.unmapped, ["## Sidebar notes"]);
    }

    #[test]
    fn a_timeline_table_in_a_named_zone_crosses_midnight() {
        let u = import(
            "# DB failover\n\nDate: 2024-03-03\n\n## Timeline\n\nAll times in CET.\n\n| Time | Event |\n|---|---|\n| 22:55 | Deploy started |\n| 23:40 | Alert fired |\n| ~00:15 | Failover done |\n",
        );
        let t = &u.postmortem.timeline;
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].at, utc("2024-03-03T21:55:00Z"));
        assert_eq!(t[2].at, utc("2024-03-03T23:15:00Z"));
        assert!(t[2].approximate);
        assert_eq!(t[0].marker, Some(Marker::Started));
        assert_eq!(t[1].marker, Some(Marker::Detected));
        // The table was read whole, so it is not left in the section's text.
        let timeline = u.postmortem.sections.iter().find(|s| s.key == "timeline").unwrap();
        assert_eq!(timeline.body, "All times in CET.");
    }

    #[test]
    fn times_that_name_their_own_zone_need_no_stated_zone() {
        let u = import("# X\n\nDate: 2024-01-02\n\n## Timeline\n\n- 09:12 PST Paged\n- 09:30 PST Rolled back\n");
        assert_eq!(u.postmortem.timeline[0].at, utc("2024-01-02T17:12:00Z"));
        assert!(!u.report.unsure.iter().any(|n| n.message.contains("time zone")), "{:?}", u.report.unsure);
        let bare = import("# X\n\nDate: 2024-01-02\n\n## Timeline\n\n- 09:12 Paged\n");
        assert!(bare.report.unsure.iter().any(|n| n.message.contains("does not say its time zone")));
    }

    #[test]
    fn a_row_it_cannot_read_keeps_the_table_in_the_text_and_is_reported() {
        let u = import(
            "# X\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 2024-01-02 10:00 | Paged |\n| soon | Fixed |\n",
        );
        assert_eq!(u.postmortem.timeline.len(), 1);
        let timeline = u.postmortem.sections.iter().find(|s| s.key == "timeline").unwrap();
        assert!(timeline.body.contains("| soon | Fixed |"), "{}", timeline.body);
        assert!(u.report.unsure.iter().any(|n| n.line == 8 && n.message.contains("\"soon\"")), "{:?}", u.report.unsure);
    }

    #[test]
    fn a_due_date_without_a_year_is_on_or_after_the_incident() {
        let u = import(
            "# X\n\nDate: 2024-12-20\n\n## Action items\n\n| Action | Due |\n|---|---|\n| Alert on queue depth | Jan 15 |\n| Runbook | 28 Dec |\n| Dashboard | 2024-11-30 |\n\n## Follow-up\n\n- Review paging policy (due Feb 2)\n",
        );
        let due: Vec<Option<NaiveDate>> = u.postmortem.action_items.iter().map(|a| a.due_date).collect();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        // A stated year stands, even before the incident.
        assert_eq!(due, [day(2025, 1, 15), day(2024, 12, 28), day(2024, 11, 30), day(2025, 2, 2)]);
    }

    #[test]
    fn action_items_from_tables_and_lists() {
        let u = import(
            "# X\n\nDate: 2024-01-02\n\n## Action items\n\n| Action | Owner | Due | Status | Ticket |\n|---|---|---|---|---|\n| Add alert on queue depth | @ana | 2024-02-01 | Done | [OPS-1](https://jira.example.com/OPS-1) |\n| Write runbook | Bo | next week | open | OPS-2 |\n\n## Follow-up\n\n- [x] **Roll back faster**: add a one-click rollback (owner: Cy, due 2024-03-01) P1\n- [ ] Review paging policy https://tracker.example.com/42\n",
        );
        let a = &u.postmortem.action_items;
        assert_eq!(a.len(), 4);
        assert_eq!(a[0].owner.as_deref(), Some("ana"));
        assert_eq!(a[0].due_date, NaiveDate::from_ymd_opt(2024, 2, 1));
        assert_eq!(a[0].status, ActionStatus::Done);
        assert_eq!(a[0].tracker_url.as_deref(), Some("https://jira.example.com/OPS-1"));
        assert_eq!(a[0].kind, ActionKind::Detect);
        assert!(a[1].description.contains("Due: next week") && a[1].description.contains("Tracker: OPS-2"));
        assert_eq!(a[2].title, "Roll back faster");
        assert_eq!(a[2].owner.as_deref(), Some("Cy"));
        assert_eq!(a[2].due_date, NaiveDate::from_ymd_opt(2024, 3, 1));
        assert_eq!((a[2].status, a[2].priority), (ActionStatus::Done, Priority::P1));
        assert_eq!(a[3].tracker_url.as_deref(), Some("https://tracker.example.com/42"));
        assert_eq!(a[3].status, ActionStatus::Open);
    }

    #[test]
    fn stats_mark_the_events_they_measure_and_front_matter_maps_or_is_kept() {
        let u = import(
            "---\ntitle: Cert expiry\ncompany: Acme\nproduct: kiam\nurl: https://example.com/pm\nteam_channel: '#sre'\n---\n\n## Timeline\n\nTimes in UTC.\n\n- 2020-01-21 15:36 Certificate expires\n- 2020-01-21 16:02 Unrelated alert\n- 2020-01-21 16:30 KIAM alert\n- 2020-01-21 18:04 Restored\n\n# Stats\n\n- Category: Kubernetes\n- Time to detection: 54 minutes\n- Time to recovery: 2h 28m\n",
        );
        let pm = &u.postmortem;
        assert_eq!(pm.title, "Cert expiry");
        assert_eq!(pm.categories, ["Kubernetes"]);
        assert_eq!(pm.services, ["kiam"]);
        assert_eq!(pm.tags, ["Acme"]);
        assert_eq!(pm.extra.get("team_channel").and_then(Value::as_str), Some("#sre"));
        let marked: Vec<Option<Marker>> = pm.timeline.iter().map(|e| e.marker).collect();
        assert_eq!(marked, [Some(Marker::Started), None, Some(Marker::Detected), Some(Marker::Resolved)]);
        assert!(!pm.sections.iter().any(|s| s.heading == "Stats"), "every stat was read");
        let source = pm.sections.iter().find(|s| s.key == "supporting_information").unwrap();
        assert_eq!(source.body, "Source: <https://example.com/pm>");
    }

    #[test]
    fn ids_are_stable_for_the_same_file() {
        let text = "# X\n\nDate: 2024-01-02\n\n## Summary\n\nS.\n\n## Actions\n\n- Fix it\n";
        let (a, b) = (import(text).postmortem, import(text).postmortem);
        assert_eq!(a.id, b.id);
        assert_eq!(a.action_items[0].id, b.action_items[0].id);
        let other = read(text, "other.md", "other.md", today(), now()).unwrap().postmortem;
        assert_ne!(a.id, other.id);
    }

    #[test]
    fn bad_input_is_refused_naming_the_file_and_line() {
        let e = read("---\ntitle: [unclosed\n---\n# X\n", "bad.md", "bad.md", today(), now()).unwrap_err();
        assert!(e.to_string().starts_with("bad.md:") && e.to_string().contains("front matter"), "{e}");
        let e = read("a\0b", "bin.md", "bin.md", today(), now()).unwrap_err();
        assert!(e.to_string().contains("bin.md") && e.to_string().contains("not a text file"), "{e}");
        let many: String = (0..10_000).map(|i| format!("## Heading {i}\n\ntext\n\n")).collect();
        let e = read(&many, "many.md", "many.md", today(), now()).unwrap_err();
        assert!(e.to_string().contains("many.md:") && e.to_string().contains("sections"), "{e}");
        let big = "x".repeat(MAX_BYTES + 1);
        assert!(read(&big, "big.md", "big.md", today(), now()).unwrap_err().to_string().contains("MB"));
    }

    #[test]
    fn what_review_found_stays_fixed() {
        // Digits of other scripts are not ASCII digits: no cut through a character.
        assert!(when("123٤-01-05 x", None, false).is_none());
        let _ = import("# X\n\nOn 123٤-01-05 it broke.\n\n## Timeline\n\n- 123٤-01-05 10:00 x\n");
        // A duration that marks no event stays in the text.
        let u = import("# X\n\n## Timeline\n\n- 2024-01-02 10:00 Start\n- 2024-01-02 10:55 Alert\n\n# Stats\n\n- Time to detection: 54 minutes\n");
        let stats = u.postmortem.sections.iter().find(|s| s.heading == "Stats").expect("kept");
        assert!(stats.body.contains("Time to detection: 54 minutes"), "{}", stats.body);
        // A timeline paragraph with a line that cannot be placed stays whole.
        let u = import("# X\n\nDate: 2024-01-02\n\n## Timeline\n\n10:00 Paged\n10:05\n");
        assert!(u.postmortem.sections.iter().any(|s| s.key == "timeline" && s.body.contains("10:00 Paged")));
        // A table in prose whose header names its columns is not fields.
        let u = import(
            "# X\n\nDate: 2024-01-02\n\n## Lessons learned\n\n| Owner | Action |\n|---|---|\n| Ana | Fix it |\n",
        );
        assert!(u.postmortem.authors.is_empty(), "{:?}", u.postmortem.authors);
        assert!(u.postmortem.sections.iter().any(|s| s.key == "lessons" && s.body.contains("| Ana | Fix it |")));
        // Words that start like a month are not dates; "owner" needs a colon to name one.
        assert!(when("Marked 3 nodes drained", None, false).is_none());
        let u = import("# X\n\nDate: 2024-01-02\n\n## Action items\n\n- Assign an owner to every alert\n- Rotate keys (owner: Bo)\n");
        assert_eq!(u.postmortem.action_items[0].owner, None);
        assert_eq!(u.postmortem.action_items[1].owner.as_deref(), Some("Bo"));
        // Columns without a field of their own go into the description.
        let u = import("# X\n\nDate: 2024-01-02\n\n## Action items\n\n| ID | Action | Notes |\n|---|---|---|\n| 7 | Add alert | after the freeze |\n");
        let a = &u.postmortem.action_items[0];
        assert_eq!(a.title, "Add alert");
        assert!(
            a.description.contains("ID: 7") && a.description.contains("Notes: after the freeze"),
            "{}",
            a.description
        );
        // Names that differ only in case are one name (validation compares them so).
        let u = import("# X\n\nDate: 2024-01-02\nServices: API\nAffected systems: api, db\n");
        assert_eq!(u.postmortem.services, ["API", "db"]);
        // Durations too long to be real are not durations.
        assert_eq!(minutes("9223372036854775807"), None);
        assert_eq!(minutes("99999999999:00"), None);
        // A date with a time keeps its line: the time has no field.
        let u = import("# X\n\nStart Date/Time: 2024-01-05 14:02 UTC\n\n## Summary\n\nS.\n");
        assert_eq!(u.postmortem.incident_date, NaiveDate::from_ymd_opt(2024, 1, 5).unwrap());
        assert!(u.postmortem.sections.iter().any(|s| s.body.contains("Start Date/Time: 2024-01-05 14:02 UTC")));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Reading never panics on any Unicode, bare or around Markdown structure.
        #[test]
        fn reading_never_panics(text in any::<String>(), cell in any::<String>()) {
            let _ = read(&text, "any.md", "any.md", today(), now());
            let doc = format!(
                "---\ntitle: {cell}\n---\n# {text}\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| {cell} | {text} |\n\n- {cell} {text}\n\n## Action items\n\n- **{cell}**: {text}\n\n| Action | Owner | Due |\n|---|---|---|\n| {text} | {cell} | {cell} |\n\n# Stats\n\n- Time to detection: {cell}\n- Severity: {text}\n"
            );
            let _ = read(&doc, "any.md", "any.md", today(), now());
            let _ = when(&cell, Some(2024), false);
            let _ = minutes(&text);
            let _ = zone_in(&text);
        }
    }
}
