//! Timeline import and export: pasted "time text" lines (plain, Markdown lists or tables), CSV
//! (`time,event[,kind[,marker]]`) and Slack channel exports (the per-day JSON files). Every
//! format yields [`ImportedEvent`]s in UTC. Every unreadable line is reported, each naming its
//! line and quoting its text, and nothing is returned for a text with any bad line, so nothing
//! is half-added. [`detect`] tells the formats apart by content, not by file name;
//! [`write_csv`] writes a timeline in the CSV form [`parse_csv`] reads back.
//!
//! Times are read in the zone the user states (`UTC`, `CET`, `Europe/Copenhagen`,
//! `+02:00`). A `~` before or after a time, an unknown `--:--`, or a date without a time marks
//! it approximate. Text is handled as Unicode characters throughout, never sliced by bytes.

use chrono::{
    DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, SecondsFormat, TimeZone, Utc,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{EventKind, Marker, Postmortem, TimelineEvent};
use crate::{Error, Result};

/// One event read from an import, not yet part of a postmortem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportedEvent {
    /// When it happened, in UTC.
    pub at: DateTime<Utc>,
    /// The source gave the time as approximate (`~14:20`).
    pub approximate: bool,
    /// What kind of moment it records, as stated or guessed from the text.
    pub kind: EventKind,
    /// What happened, as the source wrote it.
    pub text: String,
    /// 1-based line (or message number) in the source, for review before adding.
    pub line: usize,
    /// A key marker the source states (the `marker` column of a CSV export); when no event of
    /// an import states one, [`merge_into`] derives them from the kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub marker: Option<Marker>,
}

/// Reads `text` (lines or CSV) or `files` (a Slack export's `(name, content)` pairs) into
/// events for review before adding; `date` and `zone` complete times that lack them.
pub fn parse(
    format: TimelineFormat,
    text: &str,
    files: &[(String, String)],
    date: Option<NaiveDate>,
    zone: &str,
) -> Result<Vec<ImportedEvent>> {
    match format {
        TimelineFormat::Lines => parse_lines(text, date, zone),
        TimelineFormat::Csv => parse_csv(text, date, zone),
        TimelineFormat::Slack => parse_slack(files),
    }
}

/// What importing a file into a timeline did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineImport {
    /// The file or folder read.
    pub source: String,
    /// The format it was read as.
    pub format: TimelineFormat,
    /// Events read from it.
    pub read: usize,
    /// Events added to the timeline.
    pub added: usize,
    /// Events the timeline already held (the same time and text), left out.
    pub already_present: usize,
}

/// The formats a timeline import reads.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    TS,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
#[ts(export)]
pub enum TimelineFormat {
    /// Pasted "time text" lines, Markdown lists or tables.
    Lines,
    /// `time,event[,kind[,marker]]` rows.
    Csv,
    /// A Slack channel export: a day file (`2024-03-14.json`) or a folder of them.
    Slack,
}

impl TimelineFormat {
    /// The name shown to users.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A time zone as users write it.
#[derive(Debug, Clone, Copy)]
pub enum Zone {
    /// A zone of the IANA database (`Europe/Copenhagen`, `CET`), with its daylight-saving rules.
    Named(chrono_tz::Tz),
    /// A fixed offset from UTC (`+02:00`, `UTC`).
    Fixed(FixedOffset),
}

impl Zone {
    /// Parses `UTC`, `Z`, `CET`, `Europe/Copenhagen`, `+02:00`, `-0500`, `UTC+2`.
    pub fn parse(s: &str) -> Result<Zone> {
        let t = s.trim();
        let bad = || {
            Error::invalid("time_zone", format!("{t:?} is not a time zone; use e.g. UTC, CET, Europe/Berlin or +02:00"))
        };
        if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("gmt") {
            return Ok(Zone::Fixed(FixedOffset::east_opt(0).expect("zero offset")));
        }
        let offset = t.strip_prefix("UTC").or_else(|| t.strip_prefix("GMT")).unwrap_or(t);
        if let Some(sign) = offset.chars().next().filter(|c| *c == '+' || *c == '-') {
            let digits: String = offset[1..].chars().filter(|c| c.is_ascii_digit()).collect();
            let (h, m) = match digits.len() {
                1 | 2 => (digits.parse::<i32>().map_err(|_| bad())?, 0),
                3 | 4 => {
                    let (h, m) = digits.split_at(digits.len() - 2);
                    (h.parse::<i32>().map_err(|_| bad())?, m.parse::<i32>().map_err(|_| bad())?)
                }
                _ => return Err(bad()),
            };
            let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
            return FixedOffset::east_opt(secs).map(Zone::Fixed).ok_or_else(bad);
        }
        t.parse::<chrono_tz::Tz>().map(Zone::Named).map_err(|_| bad())
    }

    fn to_utc(self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            // In a DST gap or overlap, take the earlier reading: timelines are rarely exact.
            Zone::Named(tz) => tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc)),
            Zone::Fixed(off) => off.from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc)),
        }
    }

    fn offset_name(self) -> String {
        match self {
            Zone::Named(tz) => tz.name().to_string(),
            Zone::Fixed(off) => off.fix().to_string(),
        }
    }
}

/// Guesses an event's kind from its words.
pub fn guess_kind(text: &str) -> EventKind {
    let t = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["resolved", "all clear", "all-clear", "back to normal", "fully recovered", "incident closed"]) {
        EventKind::Resolution
    } else if has(&["acknowledg", "acked", "on it"])
        || t.split(|c: char| !c.is_alphanumeric()).any(|w| w == "ack" || w == "acking")
    {
        EventKind::Acknowledgement
    } else if has(&["alert", "paged", "page fired", "detected", "noticed", "reported", "monitor"]) {
        EventKind::Detection
    } else if has(&[
        "rolled back",
        "rollback",
        "roll back",
        "mitigat",
        "restored",
        "failed over",
        "failover",
        "workaround",
    ]) {
        EventKind::Mitigation
    } else if has(&["escalat", "declared", "paged in", "incident commander"]) {
        EventKind::Escalation
    } else if has(&["decided", "decision", "agreed"]) {
        EventKind::Decision
    } else if has(&["status page", "announced", "posted", "notified", "customers informed", "email sent"]) {
        EventKind::Communication
    } else if has(&[
        "deployed",
        "deploy ",
        "deploying",
        "released",
        "rolling out",
        "rollout",
        "upgrade",
        "config change",
        "migration started",
        "merged",
    ]) {
        EventKind::Trigger
    } else {
        EventKind::Action
    }
}

/// One cell split off a line: `(date, time, approximate, rest)`.
pub(crate) struct Stamp {
    pub(crate) date: Option<NaiveDate>,
    pub(crate) time: Option<NaiveTime>,
    pub(crate) approximate: bool,
    pub(crate) rest: String,
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    for fmt in ["%H:%M:%S", "%H:%M", "%H.%M"] {
        if let Ok(t) = NaiveTime::parse_from_str(s, fmt) {
            return Some(t);
        }
    }
    None
}

/// Reads a leading `[date] time` from a cleaned line. Only ASCII is consumed, and the text
/// after the time is never cut inside a character (`14:23 Café`, `14:23 障害`).
fn stamp(line: &str) -> Option<Stamp> {
    let mut rest = line.trim();
    let mut approximate = false;
    if let Some(r) = rest.strip_prefix('~') {
        approximate = true;
        rest = r.trim_start();
    }
    let mut date = None;
    // `get` rather than `[..10]`: the tenth byte may sit inside a character.
    if let Some(head) = rest.get(..10) {
        if let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
            date = Some(d);
            rest = rest[head.len()..].trim_start_matches(['T', ' ']).trim_start();
            if let Some(r) = rest.strip_prefix('~') {
                approximate = true;
                rest = r.trim_start();
            }
        }
    }
    let token_end =
        rest.find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.' || c == '-')).unwrap_or(rest.len());
    let raw_token = &rest[..token_end];
    let token = raw_token.trim_end_matches(['.', '-']);
    let (time, used) = if raw_token == "--:--" || rest.starts_with("??:??") {
        approximate = true;
        (None, 5)
    } else if let Some(t) = parse_time(token) {
        (Some(t), token.len())
    } else if date.is_some() {
        // A date without a time of day: placed at the previous event's time, so approximate.
        approximate = true;
        (None, 0)
    } else {
        return None;
    };
    rest = &rest[used..];
    if let Some(r) = rest.strip_prefix('~') {
        approximate = true;
        rest = r;
    }
    // A zone written after the time ("14:23 UTC") is dropped: the chosen zone applies.
    let rest = rest.trim_start();
    let rest = ["UTC", "CET", "CEST", "GMT"].iter().find_map(|z| rest.strip_prefix(z)).unwrap_or(rest);
    let rest = rest.trim_start_matches([' ', '-', '–', '—', ':', '|', '\t']).trim();
    Some(Stamp { date, time, approximate, rest: rest.to_string() })
}

/// Puts read times on the calendar: remembers the day (from the last date given, else the
/// chosen incident date) and the previous event, so time-only lines that jump far back move
/// to the next day and an unknown time sits at the previous event's.
pub(crate) struct Clock {
    pub(crate) zone: Zone,
    day: Option<NaiveDate>,
    last: Option<NaiveDateTime>,
}

/// Why a stamp could not be placed.
pub(crate) enum Unplaced {
    /// Only a time was given and no incident date was chosen.
    NoDate,
    Other(String),
}

impl Clock {
    pub(crate) fn new(zone: Zone, date: Option<NaiveDate>) -> Clock {
        Clock { zone, day: date, last: None }
    }

    pub(crate) fn place(&mut self, s: &Stamp) -> std::result::Result<DateTime<Utc>, Unplaced> {
        if let Some(d) = s.date {
            self.day = Some(d);
        }
        let d = self.day.ok_or(Unplaced::NoDate)?;
        let time = s.time.unwrap_or_else(|| self.last.filter(|l| l.date() == d).map_or(NaiveTime::MIN, |l| l.time()));
        let mut local = d.and_time(time);
        // Time-only lines that jump far back crossed midnight.
        if s.date.is_none() {
            if let Some(prev) = self.last {
                if prev.checked_sub_signed(Duration::hours(6)).is_some_and(|p| local < p) {
                    local = local
                        .checked_add_signed(Duration::days(1))
                        .ok_or_else(|| Unplaced::Other(format!("{local} is at the end of the calendar")))?;
                    self.day = Some(local.date());
                }
            }
        }
        self.last = Some(local);
        self.zone
            .to_utc(local)
            .ok_or_else(|| Unplaced::Other(format!("{local} does not exist in {}", self.zone.offset_name())))
    }
}

/// Most problems listed in one error; the count still says how many there were.
const MAX_LISTED: usize = 200;
/// Longest quote of a bad line in an error, in characters.
const QUOTE_CHARS: usize = 120;

/// `text` quoted for an error message, cut to [`QUOTE_CHARS`] characters.
fn quote(text: &str) -> String {
    if text.chars().count() <= QUOTE_CHARS {
        format!("{text:?}")
    } else {
        let cut: String = text.chars().take(QUOTE_CHARS).collect();
        format!("{cut:?}…")
    }
}

/// The unreadable lines of one import, each with where it is and what is wrong.
struct Problems {
    /// The file or text, for locations (`notes.txt:3`); `None` gives `line 3`.
    source: Option<String>,
    /// `(location, item, message)`; `item` tells lines (or files and messages) apart, so a line
    /// with two problems counts once.
    found: Vec<(String, (usize, usize), String)>,
}

impl Problems {
    fn new(source: Option<&str>) -> Problems {
        Problems { source: source.map(str::to_string), found: Vec::new() }
    }

    /// A problem on 1-based line `line`.
    fn line(&mut self, line: usize, message: String) {
        let location = match &self.source {
            Some(s) => format!("{s}:{line}"),
            None => format!("line {line}"),
        };
        self.found.push((location, (0, line), message));
    }

    /// A problem at a location of another kind (`day.json: message 3`).
    fn at(&mut self, location: String, item: (usize, usize), message: String) {
        self.found.push((location, item, message));
    }

    /// `Ok(value)` when nothing was wrong; otherwise one error naming every problem, after
    /// saying how many `what` (singular, plural) are unreadable.
    fn result<T>(self, value: T, what: (&str, &str)) -> Result<T> {
        let mut found = self.found;
        match found.len() {
            0 => Ok(value),
            1 => {
                let (location, _, message) = found.pop().expect("one problem");
                Err(Error::Parse { location, message })
            }
            n => {
                let mut items: Vec<(usize, usize)> = found.iter().map(|(_, item, _)| *item).collect();
                items.sort_unstable();
                items.dedup();
                let mut listed: Vec<String> = found
                    .iter()
                    .take(MAX_LISTED)
                    .map(|(location, _, message)| format!("{location}: {message}"))
                    .collect();
                if n > MAX_LISTED {
                    listed.push(format!("... and {} more", n - MAX_LISTED));
                }
                let count = items.len();
                Err(Error::Parse {
                    location: self.source.unwrap_or_else(|| "timeline".into()),
                    message: format!(
                        "{count} unreadable {}; nothing was imported:\n  {}",
                        if count == 1 { what.0 } else { what.1 },
                        listed.join("\n  ")
                    ),
                })
            }
        }
    }
}

/// Parses pasted timeline lines. `date` is used for lines that give only a time; `zone` is the
/// zone all times are written in. Lines without a time are skipped only when they are blank,
/// Markdown table headers or separators; any other is an error, and every such line is named.
pub fn parse_lines(text: &str, date: Option<NaiveDate>, zone: &str) -> Result<Vec<ImportedEvent>> {
    read_lines(text, date, zone, None)
}

fn read_lines(text: &str, date: Option<NaiveDate>, zone: &str, source: Option<&str>) -> Result<Vec<ImportedEvent>> {
    let mut clock = Clock::new(Zone::parse(zone)?, date);
    let mut problems = Problems::new(source);
    let mut date_asked = false;
    let mut out: Vec<ImportedEvent> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let is_separator = |l: &str| {
        let l = l.trim();
        l.starts_with('|') && l.contains('-') && l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
    };
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        let mut line = raw.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        // Markdown tables: skip the separator and the header row above it; every other row
        // must carry a time, so a mistyped one is reported rather than dropped.
        let table = line.starts_with('|');
        if table && (is_separator(line) || lines.get(i + 1).is_some_and(|next| is_separator(next))) {
            continue;
        }
        line = line.trim_start_matches(['-', '*', '+', ' ']);
        let cleaned: String = if table {
            line.trim_matches('|').split('|').map(str::trim).collect::<Vec<_>>().join(" | ")
        } else {
            line.to_string()
        };
        let Some(s) = stamp(&cleaned) else {
            problems.line(
                n,
                format!(
                    "no time at the start of {}; write e.g. \"14:23 Alert fires\" or \"2021-06-22 08:29 Issue detected\"",
                    quote(raw)
                ),
            );
            continue;
        };
        let text = s.rest.trim_start_matches("| ").replace(" | ", " - ");
        if text.trim().is_empty() {
            problems.line(n, format!("{} has a time but no event text", quote(raw)));
            continue;
        }
        let at = match clock.place(&s) {
            Ok(at) => at,
            Err(Unplaced::NoDate) => {
                if !date_asked {
                    date_asked = true;
                    problems.line(n, format!("{} gives only a time; choose the incident date first", quote(raw)));
                }
                continue;
            }
            Err(Unplaced::Other(message)) => {
                problems.line(n, message);
                continue;
            }
        };
        out.push(ImportedEvent {
            at,
            approximate: s.approximate,
            kind: guess_kind(&text),
            text: text.trim().to_string(),
            line: n,
            marker: None,
        });
    }
    let out = problems.result(out, ("line", "lines"))?;
    if out.is_empty() {
        return Err(Error::Parse {
            location: source.unwrap_or("timeline").to_string(),
            message: "no events found".into(),
        });
    }
    Ok(out)
}

/// A CSV time cell on its own: RFC 3339 (`2026-01-05T10:00:00Z`), or a date and time, or a
/// time, in the chosen zone; `~` before or after marks it approximate.
fn csv_time(cell: &str, clock: &mut Clock) -> std::result::Result<(DateTime<Utc>, bool), Unplaced> {
    let approximate = cell.starts_with('~') || cell.ends_with('~');
    if let Ok(t) = DateTime::parse_from_rfc3339(cell.trim_matches('~').trim()) {
        return Ok((t.with_timezone(&Utc), approximate));
    }
    match stamp(cell) {
        Some(s) if s.rest.is_empty() => clock.place(&s).map(|at| (at, s.approximate)),
        _ => Err(Unplaced::Other(format!(
            "time {} is not a time; write 2026-01-05 10:00, 10:00 (with the incident date) or 2026-01-05T10:00:00Z",
            quote(cell)
        ))),
    }
}

/// Whether a CSV cell holds a time and nothing else.
fn is_time_cell(cell: &str) -> bool {
    DateTime::parse_from_rfc3339(cell.trim_matches('~').trim()).is_ok()
        || stamp(cell).is_some_and(|s| s.rest.is_empty() && (s.time.is_some() || s.date.is_some() || s.approximate))
}

/// Parses CSV with columns `time, event[, kind[, marker]]` (a header row whose first cell is
/// `time` is optional). Times are RFC 3339, `YYYY-MM-DD HH:MM[:SS]`, or `HH:MM` with `date`,
/// with an optional `~`; a `marker` (started, detected, acknowledged, mitigated, resolved) is
/// taken as stated. Every bad row is named.
pub fn parse_csv(text: &str, date: Option<NaiveDate>, zone: &str) -> Result<Vec<ImportedEvent>> {
    read_csv(text, date, zone, None)
}

fn read_csv(text: &str, date: Option<NaiveDate>, zone: &str, source: Option<&str>) -> Result<Vec<ImportedEvent>> {
    let mut clock = Clock::new(Zone::parse(zone)?, date);
    let text = text.trim_start_matches('\u{feff}');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut problems = Problems::new(source);
    let mut date_asked = false;
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let n = e.position().map_or(i + 1, |p| p.line() as usize);
                problems.line(n, e.to_string());
                continue;
            }
        };
        let n = record.position().map_or(i + 1, |p| p.line() as usize);
        let time = record.get(0).unwrap_or("").trim();
        // A `'` an export put in front of a formula-like text comes off (see csv_cell).
        let event = super::csv_cell::read(record.get(1).unwrap_or("").trim());
        if time.is_empty() && event.is_empty() {
            continue;
        }
        if i == 0 && time.eq_ignore_ascii_case("time") {
            continue;
        }
        let placed = match csv_time(time, &mut clock) {
            Ok(placed) => Some(placed),
            Err(Unplaced::NoDate) => {
                if !date_asked {
                    date_asked = true;
                    problems.line(n, format!("time {} gives only a time; choose the incident date first", quote(time)));
                }
                None
            }
            Err(Unplaced::Other(message)) => {
                problems.line(n, message);
                None
            }
        };
        if event.is_empty() {
            problems.line(n, "the event column is empty".into());
        }
        let kind = match record.get(2).map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => EventKind::parse(k).or_else(|| {
                problems.line(n, format!("unknown kind {}; use one of trigger, detection, acknowledgement, escalation, decision, action, communication, mitigation, resolution, other", quote(k)));
                None
            }),
            None => Some(guess_kind(event)),
        };
        let marker = match record.get(3).map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => match Marker::parse(m) {
                Some(marker) => Some(Some(marker)),
                None => {
                    problems.line(
                        n,
                        format!(
                            "unknown marker {}; use started, detected, acknowledged, mitigated or resolved",
                            quote(m)
                        ),
                    );
                    None
                }
            },
            None => Some(None),
        };
        if let (Some((at, approximate)), Some(kind), Some(marker), false) = (placed, kind, marker, event.is_empty()) {
            out.push(ImportedEvent { at, approximate, kind, text: event.to_string(), line: n, marker });
        }
    }
    let out = problems.result(out, ("row", "rows"))?;
    if out.is_empty() {
        return Err(Error::Parse {
            location: source.unwrap_or("timeline.csv").to_string(),
            message: "no events found".into(),
        });
    }
    Ok(out)
}

/// Writes `events` as CSV that [`parse_csv`] reads back as they are: a `time,event,kind,marker`
/// header, then one row per event with its time in RFC 3339 UTC (`~` first when approximate).
pub fn write_csv(events: &[TimelineEvent]) -> Result<String> {
    let csv_err = |e: csv::Error| Error::Parse { location: "timeline CSV".into(), message: e.to_string() };
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["time", "event", "kind", "marker"]).map_err(csv_err)?;
    for e in events {
        let time = e.at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        let time = if e.approximate { format!("~{time}") } else { time };
        // The text is anyone's: it cannot run as a formula in a spreadsheet (see csv_cell).
        out.write_record([
            time.as_str(),
            &super::csv_cell::inert(&e.text),
            e.kind.as_str(),
            e.marker.map_or("", Marker::as_str),
        ])
        .map_err(csv_err)?;
    }
    let bytes =
        out.into_inner().map_err(|e| Error::Parse { location: "timeline CSV".into(), message: e.to_string() })?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8"))
}

#[derive(Deserialize)]
struct SlackMessage {
    #[serde(default)]
    ts: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    subtype: Option<String>,
    #[serde(default)]
    user_profile: Option<SlackProfile>,
    #[serde(default)]
    user_name: Option<String>,
}

#[derive(Deserialize)]
struct SlackProfile {
    #[serde(default)]
    real_name: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
}

/// Parses one channel of a Slack export: `files` are `(file name, content)` of its per-day
/// JSON files (`2024-03-14.json`, each an array of messages). Joins, leaves and bot chatter
/// without text are skipped; `<@U123>` mentions and `<url|label>` links are tidied. Every
/// unreadable file and message is named.
pub fn parse_slack(files: &[(String, String)]) -> Result<Vec<ImportedEvent>> {
    let mut out = Vec::new();
    let mut problems = Problems::new(None);
    for (f, (name, content)) in files.iter().enumerate() {
        let messages: Vec<SlackMessage> = match serde_json::from_str(content.trim_start_matches('\u{feff}')) {
            Ok(m) => m,
            Err(e) => {
                problems.at(
                    format!("{name}:{}:{}", e.line(), e.column()),
                    (f, 0),
                    format!("not a Slack channel export file: {e}"),
                );
                continue;
            }
        };
        for (i, m) in messages.into_iter().enumerate() {
            if matches!(
                m.subtype.as_deref(),
                Some("channel_join" | "channel_leave" | "channel_purpose" | "channel_topic")
            ) {
                continue;
            }
            let text = tidy_slack(m.text.as_deref().unwrap_or(""));
            if text.is_empty() {
                continue;
            }
            let ts = m.ts.as_deref().unwrap_or("");
            let location = format!("{name}: message {}", i + 1);
            let Some(secs) = ts.parse::<f64>().ok().filter(|s| s.is_finite()) else {
                problems.at(location, (f, i + 1), format!("ts {} is not a Slack timestamp", quote(ts)));
                continue;
            };
            let Some(at) = DateTime::from_timestamp(secs.trunc() as i64, 0) else {
                problems.at(location, (f, i + 1), format!("ts {} is out of range", quote(ts)));
                continue;
            };
            let who = m
                .user_profile
                .and_then(|p| p.real_name.filter(|s| !s.is_empty()).or(p.display_name))
                .or(m.user_name)
                .filter(|s| !s.is_empty());
            let text = match who {
                Some(w) => format!("{w}: {text}"),
                None => text,
            };
            out.push(ImportedEvent {
                at,
                approximate: false,
                kind: guess_kind(&text),
                text,
                line: i + 1,
                marker: None,
            });
        }
    }
    let mut out = problems.result(out, ("file or message", "files or messages"))?;
    out.sort_by_key(|e| e.at);
    if out.is_empty() {
        return Err(Error::Parse { location: "Slack export".into(), message: "no messages with text found".into() });
    }
    Ok(out)
}

fn tidy_slack(text: &str) -> String {
    // <https://x|label> -> label, <https://x> -> https://x, <@U123|name> -> @name, <@U123> -> @U123
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = &rest[open + 1..open + close];
        let shown = match inner.split_once('|') {
            Some((target, label)) if target.starts_with('@') => format!("@{label}"),
            Some((_, label)) => label.to_string(),
            None => inner.to_string(),
        };
        out.push_str(&shown);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tells the formats apart by content: JSON (an array of objects, or an object) is a Slack day
/// file; a first line whose first comma-separated cell is `time` or a time on its own, with
/// another cell after it, is CSV; anything else is pasted lines.
pub fn detect(text: &str) -> TimelineFormat {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let mut chars = t.chars();
    match chars.next() {
        Some('{') => return TimelineFormat::Slack,
        Some('[') if matches!(chars.as_str().trim_start().chars().next(), None | Some('{' | ']')) => {
            return TimelineFormat::Slack
        }
        _ => {}
    }
    let first = t.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(first.as_bytes());
    if let Some(Ok(record)) = reader.records().next() {
        let cell = record.get(0).unwrap_or("");
        if record.len() >= 2 && (cell.eq_ignore_ascii_case("time") || is_time_cell(cell)) {
            return TimelineFormat::Csv;
        }
    }
    TimelineFormat::Lines
}

/// Reads an import of any format ([`detect`]); `source` (a file name) names every unreadable
/// line (`notes.txt:3`). `date` places time-only lines; `zone` is the zone times are written in
/// (checked even for Slack, whose times carry their own zone).
pub fn parse_any(
    text: &str,
    source: &str,
    date: Option<NaiveDate>,
    zone: &str,
) -> Result<(TimelineFormat, Vec<ImportedEvent>)> {
    Zone::parse(zone)?;
    let format = detect(text);
    let events = match format {
        TimelineFormat::Slack => parse_slack(&[(source.to_string(), text.to_string())])?,
        TimelineFormat::Csv => read_csv(text, date, zone, Some(source))?,
        TimelineFormat::Lines => read_lines(text, date, zone, Some(source))?,
    };
    Ok((format, events))
}

/// Whether marking an event at `at` with `marker` keeps the timeline's markers in time order
/// (started, detected, acknowledged, mitigated, resolved), as validation requires.
fn keeps_order(timeline: &[TimelineEvent], marker: Marker, at: DateTime<Utc>) -> bool {
    let rank = |m: Marker| Marker::ALL.iter().position(|x| *x == m);
    timeline.iter().filter_map(|t| t.marker.map(|m| (m, t.at))).all(|(m, t)| match rank(m).cmp(&rank(marker)) {
        std::cmp::Ordering::Less => t <= at,
        std::cmp::Ordering::Greater => t >= at,
        std::cmp::Ordering::Equal => true,
    })
}

/// Adds imported events to `pm`'s timeline, in time order. Markers stated by the import (a
/// CSV export's `marker` column) are used as stated; an import that states none gets the key
/// markers the timeline does not have yet from the first imported event of the matching kind
/// (the first detection becomes "detected", ...) where that keeps the markers in time order, so
/// durations appear as soon as a chat log is imported. Markers already set by hand are never
/// moved.
pub fn merge_into(pm: &mut Postmortem, events: &[ImportedEvent]) {
    let mut sorted: Vec<&ImportedEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.at);
    let stated = events.iter().any(|e| e.marker.is_some());
    for e in sorted {
        let free = |m: &Marker| !pm.timeline.iter().any(|t| t.marker == Some(*m));
        let marker = if stated {
            e.marker.filter(free)
        } else {
            Marker::for_kind(e.kind).filter(free).filter(|m| keeps_order(&pm.timeline, *m, e.at))
        };
        pm.timeline.push(TimelineEvent {
            id: crate::clock::new_id(),
            at: e.at,
            approximate: e.approximate,
            kind: e.kind,
            marker,
            text: e.text.clone(),
        });
    }
    pm.timeline.sort_by_key(|e| e.at);
}

/// Like [`merge_into`], but leaves out events the timeline already holds (the same time and
/// text), so importing a file twice adds nothing the second time. Returns how many events were
/// added and how many were already there.
pub fn merge_new(pm: &mut Postmortem, events: &[ImportedEvent]) -> (usize, usize) {
    let same = |t: &TimelineEvent, e: &ImportedEvent| t.at == e.at && t.text.trim() == e.text.trim();
    let new: Vec<ImportedEvent> = events.iter().filter(|e| !pm.timeline.iter().any(|t| same(t, e))).cloned().collect();
    let added = new.len();
    merge_into(pm, &new);
    (added, events.len() - added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_format_names_agree_in_serde_and_strum() {
        crate::model::names::assert_serde_and_strum_agree::<TimelineFormat>();
        assert_eq!(TimelineFormat::Slack.as_str(), "slack");
    }

    fn d(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn plain_lines_with_a_chosen_date_and_zone() {
        let ev =
            parse_lines("14:23 Alert fires\n14:25 On-call acknowledges\n~14:40 Rolled back", d("2026-02-12"), "CET")
                .unwrap();
        assert_eq!(ev.len(), 3);
        assert_eq!(ev[0].at.to_rfc3339(), "2026-02-12T13:23:00+00:00", "CET is UTC+1 in February");
        assert_eq!(ev[0].kind, EventKind::Detection);
        assert_eq!(ev[1].kind, EventKind::Acknowledgement);
        assert!(ev[2].approximate);
        assert_eq!(ev[2].kind, EventKind::Mitigation);
        assert_eq!(ev[2].text, "Rolled back");
    }

    #[test]
    fn summer_time_follows_the_named_zone() {
        let ev = parse_lines("2021-06-22 08:29 Issue detected", None, "CET").unwrap();
        assert_eq!(ev[0].at.to_rfc3339(), "2021-06-22T06:29:00+00:00", "CEST is UTC+2");
        let ev = parse_lines("08:29 Issue detected", d("2021-06-22"), "+05:30").unwrap();
        assert_eq!(ev[0].at.to_rfc3339(), "2021-06-22T02:59:00+00:00");
    }

    #[test]
    fn markdown_tables_lists_and_trailing_tildes_as_in_real_documents() {
        let md = "| Time              | Event |\n| :---------------- | ----- |\n| 2020-11-17 10:45~ | KIAM upgraded |\n| 2020-11-23 14:11  | \"Fix\" applied |\n| 2019-12-03 --:--  | Surge of deployments |\n";
        let ev = parse_lines(md, None, "CET").unwrap();
        assert_eq!(ev.len(), 3);
        assert!(ev[0].approximate);
        assert_eq!(ev[0].text, "KIAM upgraded");
        assert!(!ev[1].approximate);
        assert!(ev[2].approximate, "--:-- is an unknown, approximate time");
        let ev = parse_lines("- 14:23 UTC: Alert fires\n* 14:30 - Bridge opened", d("2026-01-01"), "UTC").unwrap();
        assert_eq!(ev[0].text, "Alert fires");
        assert_eq!(ev[1].text, "Bridge opened");
    }

    #[test]
    fn times_that_cross_midnight_move_to_the_next_day() {
        let ev = parse_lines("23:50 Deploy starts\n00:10 Errors rise", d("2026-03-01"), "UTC").unwrap();
        assert_eq!(ev[1].at.to_rfc3339(), "2026-03-02T00:10:00+00:00");
    }

    #[test]
    fn a_bad_line_is_named_and_nothing_is_returned() {
        let err = parse_lines("14:23 Alert fires\nthe bridge was opened\n14:30 Rollback", d("2026-01-01"), "UTC")
            .unwrap_err();
        assert!(err.to_string().starts_with("line 2:"), "{err}");
        assert!(err.to_string().contains("\"the bridge was opened\""), "the line is quoted: {err}");
        let err = parse_lines("14:23 Alert fires", None, "UTC").unwrap_err();
        assert!(err.to_string().contains("choose the incident date"), "{err}");
        let err = parse_lines("14:23 x", d("2026-01-01"), "Mars/Olympus").unwrap_err();
        assert!(err.to_string().contains("not a time zone"), "{err}");
    }

    #[test]
    fn csv_with_and_without_header_and_kinds() {
        let csv = "time,event,kind\n2026-01-05 10:00,Deploy of v2.3,trigger\n10:05,\"Alert: 5xx, checkout\",\n";
        let ev = parse_csv(csv, d("2026-01-05"), "UTC").unwrap();
        assert_eq!(ev.len(), 2);
        assert_eq!(ev[0].kind, EventKind::Trigger);
        assert_eq!(ev[1].text, "Alert: 5xx, checkout");
        assert_eq!(ev[1].kind, EventKind::Detection);
        let err = parse_csv("10:00,ok\n10:05,x,explosion\n", d("2026-01-05"), "UTC").unwrap_err();
        assert!(err.to_string().starts_with("line 2:") && err.to_string().contains("explosion"), "{err}");
        let err = parse_csv("10:00,ok\nnot a time,x\n", d("2026-01-05"), "UTC").unwrap_err();
        assert!(err.to_string().starts_with("line 2:"), "{err}");
    }

    #[test]
    fn slack_export_messages_become_events() {
        let day = r#"[
          {"type":"message","subtype":"channel_join","ts":"1710410000.000100","text":"<@U1> has joined the channel"},
          {"type":"message","ts":"1710410400.000200","text":"Alert fired for <https://grafana/x|checkout 5xx>","user_profile":{"real_name":"Priya Raman"}},
          {"type":"message","ts":"1710410520.000300","text":"ack, looking","user_profile":{"real_name":"Marcus Chen"}},
          {"type":"message","ts":"1710411600.000400","text":"Rolled back to v41; error rate recovering"}
        ]"#;
        let ev = parse_slack(&[("2024-03-14.json".into(), day.into())]).unwrap();
        assert_eq!(ev.len(), 3);
        assert_eq!(ev[0].text, "Priya Raman: Alert fired for checkout 5xx");
        assert_eq!(ev[0].kind, EventKind::Detection);
        assert_eq!(ev[0].at.to_rfc3339(), "2024-03-14T10:00:00+00:00");
        assert_eq!(ev[2].kind, EventKind::Mitigation);
        let err = parse_slack(&[("2024-03-15.json".into(), "{\"not\": \"a list\"}".into())]).unwrap_err();
        assert!(err.to_string().starts_with("2024-03-15.json:1:"), "{err}");
    }

    #[test]
    fn a_line_with_an_accent_after_the_time_is_read_not_sliced_mid_character() {
        // Regression: `stamp` cut `&rest[..10]` by bytes, and the tenth byte of
        // "14:23 Café indisponible" is inside the "é": the import panicked.
        let ev = parse_lines("14:23 Café indisponible", d("2026-02-12"), "UTC").unwrap();
        assert_eq!(ev[0].text, "Café indisponible");
        assert_eq!(ev[0].at.to_rfc3339(), "2026-02-12T14:23:00+00:00");
    }

    #[test]
    fn cjk_and_emoji_lines_are_read_as_characters_not_bytes() {
        let text = "14:23 決済APIが応答しない\n14:25 障害を確認\n~14:40 ロールバック完了 🎉\n2026-02-12 15:00 復旧";
        let ev = parse_lines(text, d("2026-02-12"), "Asia/Tokyo").unwrap();
        assert_eq!(ev.len(), 4);
        assert_eq!(ev[0].text, "決済APIが応答しない");
        assert_eq!(ev[0].at.to_rfc3339(), "2026-02-12T05:23:00+00:00", "Tokyo is UTC+9");
        assert!(ev[2].approximate);
        assert_eq!(ev[2].text, "ロールバック完了 🎉");
        let err = parse_lines("障害発生 14:23", d("2026-02-12"), "UTC").unwrap_err();
        assert!(err.to_string().contains("\"障害発生 14:23\""), "{err}");
        let ev = parse_csv("14:23,Café indisponible\n2026-02-12 14:30,決済 復旧\n", d("2026-02-12"), "UTC").unwrap();
        assert_eq!(ev[1].text, "決済 復旧");
    }

    #[test]
    fn every_unreadable_line_is_named_with_its_text_not_just_the_first() {
        let text = "14:23 Alert fires\nthe bridge was opened\n14:30 Rollback\nwe waited\n14:40";
        let err = parse_lines(text, d("2026-01-01"), "UTC").unwrap_err().to_string();
        assert!(err.starts_with("timeline: 3 unreadable lines; nothing was imported"), "{err}");
        for expected in [
            "line 2: no time at the start of \"the bridge was opened\"",
            "line 4: ",
            "\"we waited\"",
            "line 5: \"14:40\" has a time but no event text",
        ] {
            assert!(err.contains(expected), "{expected} missing from {err}");
        }
        // Without an incident date, the date is asked for once, not once per line.
        let err = parse_lines("14:23 Alert fires\n14:30 Rollback", None, "UTC").unwrap_err().to_string();
        assert_eq!(err.matches("choose the incident date").count(), 1, "{err}");
    }

    #[test]
    fn a_date_without_a_time_is_approximate() {
        let ev = parse_lines("2019-12-03 14:00 Deploys\n2019-12-03 Surge of deployments", None, "UTC").unwrap();
        assert!(!ev[0].approximate);
        assert!(ev[1].approximate);
        assert_eq!(ev[1].at, ev[0].at, "placed at the previous event's time");
    }

    #[test]
    fn csv_reads_tildes_markers_quoted_newlines_and_names_rows_by_their_line() {
        let csv = "time,event,kind,marker\n~2026-01-05T10:00:00Z,Deploy,trigger,started\n2026-01-05T10:05:00Z,\"Alert:\nfirst line, second line\",detection,\n10:09,Ack,,acknowledged\n";
        let ev = parse_csv(csv, d("2026-01-05"), "UTC").unwrap();
        assert_eq!(ev.len(), 3);
        assert!(ev[0].approximate);
        assert_eq!(ev[0].marker, Some(Marker::Started));
        assert_eq!(ev[1].text, "Alert:\nfirst line, second line");
        assert_eq!(ev[1].marker, None);
        assert_eq!(ev[2].line, 5, "the row after a quoted newline is on line 5");
        assert_eq!(ev[2].kind, EventKind::Acknowledgement);
        let bad = "10:00,ok\n10:05 and then,x\n10:07,,\n10:09,y,trigger,finished\n";
        let err = parse_csv(bad, d("2026-01-05"), "UTC").unwrap_err().to_string();
        assert!(err.starts_with("timeline: 3 unreadable rows"), "{err}");
        assert!(err.contains("line 2: time \"10:05 and then\" is not a time"), "{err}");
        assert!(err.contains("line 3: the event column is empty"), "{err}");
        assert!(err.contains("line 4: unknown marker \"finished\""), "{err}");
    }

    #[test]
    fn a_timeline_written_as_csv_reads_back_as_it_was() {
        let at = |h, m, s| NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(h, m, s).unwrap().and_utc();
        let event = |at, approximate, kind, marker, text: &str| TimelineEvent {
            id: crate::clock::new_id(),
            at,
            approximate,
            kind,
            marker,
            text: text.into(),
        };
        let timeline = vec![
            event(at(9, 0, 0), false, EventKind::Trigger, Some(Marker::Started), "Déploiement, \"v2\""),
            event(at(9, 4, 30), true, EventKind::Detection, None, "Alert\non two lines"),
            event(at(9, 6, 0), false, EventKind::Detection, Some(Marker::Detected), "障害を確認"),
        ];
        let csv = write_csv(&timeline).unwrap();
        assert!(csv.starts_with("time,event,kind,marker\n2026-03-01T09:00:00Z,"), "{csv}");
        assert_eq!(detect(&csv), TimelineFormat::Csv);
        let back = parse_csv(&csv, None, "Europe/Paris").unwrap();
        let seen: Vec<_> = back.iter().map(|e| (e.at, e.approximate, e.kind, e.marker, e.text.as_str())).collect();
        let want: Vec<_> = timeline.iter().map(|e| (e.at, e.approximate, e.kind, e.marker, e.text.as_str())).collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn formats_are_told_apart_by_content() {
        assert_eq!(detect("[\n {\"ts\": \"1\"}]"), TimelineFormat::Slack);
        assert_eq!(detect("\u{feff}[]"), TimelineFormat::Slack);
        assert_eq!(detect("{\"not\": \"a list\"}"), TimelineFormat::Slack);
        assert_eq!(detect("time,event\n10:00,x"), TimelineFormat::Csv);
        assert_eq!(detect("\n2026-01-05 10:00,Deploy,trigger"), TimelineFormat::Csv);
        assert_eq!(detect("~10:00, Deploy"), TimelineFormat::Csv);
        assert_eq!(detect("14:23 Alert fires, paging on-call"), TimelineFormat::Lines);
        assert_eq!(detect("| Time | Event |\n| --- | --- |"), TimelineFormat::Lines);
        assert_eq!(detect("[14:23] Alert fires"), TimelineFormat::Lines);
        let (format, ev) = parse_any("10:00,Alert fires\n", "t.csv", d("2026-01-05"), "UTC").unwrap();
        assert_eq!((format, ev.len()), (TimelineFormat::Csv, 1));
        let err = parse_any("10:00 ok\nnope\nnor this\n", "notes.txt", d("2026-01-05"), "UTC").unwrap_err();
        let err = err.to_string();
        assert!(err.starts_with("notes.txt: 2 unreadable lines"), "{err}");
        assert!(err.contains("notes.txt:2: no time at the start of \"nope\""), "{err}");
        assert!(err.contains("notes.txt:3: no time at the start of \"nor this\""), "{err}");
        let err = parse_any("[{}]", "day.json", None, "Mars/Base").unwrap_err();
        assert!(err.to_string().contains("not a time zone"), "{err}");
    }

    fn postmortem(timeline: Vec<TimelineEvent>) -> Postmortem {
        let doc = crate::exchange::sample::document(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()).unwrap();
        let mut pm = doc.postmortems.into_iter().next().unwrap();
        pm.timeline = timeline;
        pm
    }

    fn imported(at: DateTime<Utc>, kind: EventKind, marker: Option<Marker>, text: &str) -> ImportedEvent {
        ImportedEvent { at, approximate: false, kind, text: text.into(), line: 1, marker }
    }

    #[test]
    fn stated_markers_are_used_and_none_is_derived_beside_them() {
        let at = |m| NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(9, m, 0).unwrap().and_utc();
        let mut pm = postmortem(vec![]);
        let events = [
            imported(at(1), EventKind::Detection, None, "first alert"),
            imported(at(3), EventKind::Detection, Some(Marker::Detected), "the alert that counted"),
            imported(at(5), EventKind::Resolution, None, "resolved"),
        ];
        merge_into(&mut pm, &events);
        let markers: Vec<_> = pm.timeline.iter().map(|e| e.marker).collect();
        assert_eq!(markers, vec![None, Some(Marker::Detected), None]);
    }

    #[test]
    fn derived_markers_never_put_the_markers_out_of_time_order() {
        let at = |m| NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(9, m, 0).unwrap().and_utc();
        let resolved = TimelineEvent {
            id: crate::clock::new_id(),
            at: at(10),
            approximate: false,
            kind: EventKind::Resolution,
            marker: Some(Marker::Resolved),
            text: "resolved by hand".into(),
        };
        let mut pm = postmortem(vec![resolved]);
        // A trigger after the hand-set resolution cannot be "started".
        merge_into(
            &mut pm,
            &[
                imported(at(5), EventKind::Detection, None, "alert"),
                imported(at(20), EventKind::Trigger, None, "deploy"),
            ],
        );
        let marker = |text: &str| pm.timeline.iter().find(|e| e.text == text).unwrap().marker;
        assert_eq!(marker("alert"), Some(Marker::Detected));
        assert_eq!(marker("deploy"), None);
        assert!(pm.validate(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()).is_ok());
    }

    #[test]
    fn merging_the_same_events_twice_adds_them_once() {
        let at = |m| NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(9, m, 0).unwrap().and_utc();
        let mut pm = postmortem(vec![]);
        let events =
            [imported(at(1), EventKind::Detection, None, "alert"), imported(at(2), EventKind::Action, None, "x")];
        assert_eq!(merge_new(&mut pm, &events), (2, 0));
        let more = [events[1].clone(), imported(at(2), EventKind::Action, None, "y")];
        assert_eq!(merge_new(&mut pm, &more), (1, 1));
        assert_eq!(pm.timeline.len(), 3);
    }

    #[test]
    fn slack_timestamps_that_are_not_finite_numbers_are_refused() {
        for ts in ["NaN", "inf", "-infinity", "1e400"] {
            let day = format!(r#"[{{"ts":"{ts}","text":"hello"}}]"#);
            let err = parse_slack(&[("d.json".into(), day)]).unwrap_err().to_string();
            assert!(err.starts_with("d.json: message 1: ts"), "{ts}: {err}");
        }
        let err = parse_slack(&[
            ("a.json".into(), "nope".into()),
            ("b.json".into(), "[{\"ts\":\"x\",\"text\":\"t\"}]".into()),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("2 unreadable files or messages")
                && err.contains("a.json:1:")
                && err.contains("b.json: message 1"),
            "{err}"
        );
    }
}
