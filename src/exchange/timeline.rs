//! Timeline import: pasted "time text" lines (plain, Markdown lists or tables), CSV
//! (`time,event[,kind]`) and Slack channel exports (the per-day JSON files). Every format
//! yields [`ImportedEvent`]s in UTC; a line that cannot be read is an error naming its line,
//! and nothing is returned for a text with any bad line, so nothing is half-added.
//!
//! Times are read in the zone the user states (`UTC`, `CET`, `Europe/Copenhagen`,
//! `+02:00`). A `~` before or after a time, or an unknown `--:--`, marks it approximate.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::EventKind;
use crate::{Error, Result};

/// One event read from an import, not yet part of a postmortem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportedEvent {
    pub at: DateTime<Utc>,
    pub approximate: bool,
    pub kind: EventKind,
    pub text: String,
    /// 1-based line (or message number) in the source, for review before adding.
    pub line: usize,
}

/// A time zone as users write it.
#[derive(Debug, Clone, Copy)]
pub enum Zone {
    Named(chrono_tz::Tz),
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
struct Stamp {
    date: Option<NaiveDate>,
    time: Option<NaiveTime>,
    approximate: bool,
    rest: String,
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    for fmt in ["%H:%M:%S", "%H:%M", "%H.%M"] {
        if let Ok(t) = NaiveTime::parse_from_str(s, fmt) {
            return Some(t);
        }
    }
    None
}

/// Reads a leading `[date] time` from a cleaned line.
fn stamp(line: &str) -> Option<Stamp> {
    let mut rest = line.trim();
    let mut approximate = false;
    if let Some(r) = rest.strip_prefix('~') {
        approximate = true;
        rest = r.trim_start();
    }
    let mut date = None;
    if rest.len() >= 10 {
        if let Ok(d) = NaiveDate::parse_from_str(&rest[..10], "%Y-%m-%d") {
            date = Some(d);
            rest = rest[10..].trim_start_matches(['T', ' ']).trim_start();
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

/// Parses pasted timeline lines. `date` is used for lines that give only a time; `zone` is the
/// zone all times are written in. Lines without a time are skipped only when they are blank,
/// Markdown table headers or separators; any other is an error naming its line.
pub fn parse_lines(text: &str, date: Option<NaiveDate>, zone: &str) -> Result<Vec<ImportedEvent>> {
    let zone = Zone::parse(zone)?;
    let mut out: Vec<ImportedEvent> = Vec::new();
    let mut day = date;
    let mut last_local: Option<NaiveDateTime> = None;
    let lines: Vec<&str> = text.lines().collect();
    let is_separator = |l: &str| {
        let l = l.trim();
        l.starts_with('|') && l.contains('-') && l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
    };
    for (i, raw) in lines.iter().enumerate() {
        let n = i + 1;
        let mut line = raw.trim();
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
            return Err(Error::Parse {
                location: format!("line {n}"),
                message: format!("no time at the start of {raw:?}; write e.g. \"14:23 Alert fires\" or \"2021-06-22 08:29 Issue detected\""),
            });
        };
        let text = s.rest.trim_start_matches("| ").replace(" | ", " - ");
        if text.trim().is_empty() {
            return Err(Error::Parse {
                location: format!("line {n}"),
                message: format!("{raw:?} has a time but no event text"),
            });
        }
        if let Some(d) = s.date {
            day = Some(d);
        }
        let Some(d) = day else {
            return Err(Error::Parse {
                location: format!("line {n}"),
                message: "this line gives only a time; choose the incident date first".into(),
            });
        };
        // An unknown time ("--:--") sits at the previous event's time, or the day's start.
        let time = s.time.unwrap_or_else(|| last_local.filter(|l| l.date() == d).map_or(NaiveTime::MIN, |l| l.time()));
        let mut local = d.and_time(time);
        // Time-only lines that jump far back crossed midnight.
        if s.date.is_none() {
            if let Some(prev) = last_local {
                if local < prev - Duration::hours(6) {
                    local += Duration::days(1);
                    day = Some(local.date());
                }
            }
        }
        last_local = Some(local);
        let at = zone.to_utc(local).ok_or_else(|| Error::Parse {
            location: format!("line {n}"),
            message: format!("{local} does not exist in {}", zone.offset_name()),
        })?;
        out.push(ImportedEvent {
            at,
            approximate: s.approximate,
            kind: guess_kind(&text),
            text: text.trim().to_string(),
            line: n,
        });
    }
    if out.is_empty() {
        return Err(Error::Parse { location: "timeline".into(), message: "no events found".into() });
    }
    Ok(out)
}

/// Parses CSV with columns `time, event[, kind]` (a header row is optional). Times are
/// `YYYY-MM-DD HH:MM[:SS]`, RFC 3339, or `HH:MM` with `date`.
pub fn parse_csv(text: &str, date: Option<NaiveDate>, zone: &str) -> Result<Vec<ImportedEvent>> {
    let zone_parsed = Zone::parse(zone)?;
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let n = i + 1;
        let record = record.map_err(|e| Error::Parse { location: format!("line {n}"), message: e.to_string() })?;
        let time = record.get(0).unwrap_or("").trim();
        let event = record.get(1).unwrap_or("").trim();
        if time.is_empty() && event.is_empty() {
            continue;
        }
        if n == 1 && time.eq_ignore_ascii_case("time") {
            continue;
        }
        let (at, approximate) = if let Ok(t) = DateTime::parse_from_rfc3339(time) {
            (t.with_timezone(&Utc), false)
        } else {
            let line = format!("{time} {event}");
            let parsed = parse_lines(&line, date, zone).map_err(|e| match e {
                Error::Parse { message, .. } => Error::Parse { location: format!("line {n}"), message },
                other => other,
            })?;
            (parsed[0].at, parsed[0].approximate)
        };
        if event.is_empty() {
            return Err(Error::Parse { location: format!("line {n}"), message: "the event column is empty".into() });
        }
        let kind = match record.get(2).map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => EventKind::parse(k).ok_or_else(|| Error::Parse {
                location: format!("line {n}"),
                message: format!("unknown kind {k:?}; use one of trigger, detection, acknowledgement, escalation, decision, action, communication, mitigation, resolution, other"),
            })?,
            None => guess_kind(event),
        };
        out.push(ImportedEvent { at, approximate, kind, text: event.to_string(), line: n });
    }
    let _ = zone_parsed;
    if out.is_empty() {
        return Err(Error::Parse { location: "timeline.csv".into(), message: "no events found".into() });
    }
    Ok(out)
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
/// without text are skipped; `<@U123>` mentions and `<url|label>` links are tidied.
pub fn parse_slack(files: &[(String, String)]) -> Result<Vec<ImportedEvent>> {
    let mut out = Vec::new();
    for (name, content) in files {
        let messages: Vec<SlackMessage> = serde_json::from_str(content).map_err(|e| Error::Parse {
            location: format!("{name}:{}:{}", e.line(), e.column()),
            message: format!("not a Slack channel export file: {e}"),
        })?;
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
            let secs: f64 = ts.parse().map_err(|_| Error::Parse {
                location: format!("{name}: message {}", i + 1),
                message: format!("ts {ts:?} is not a Slack timestamp"),
            })?;
            let at = DateTime::from_timestamp(secs.trunc() as i64, 0).ok_or_else(|| Error::Parse {
                location: format!("{name}: message {}", i + 1),
                message: format!("ts {ts:?} is out of range"),
            })?;
            let who = m
                .user_profile
                .and_then(|p| p.real_name.filter(|s| !s.is_empty()).or(p.display_name))
                .or(m.user_name)
                .filter(|s| !s.is_empty());
            let text = match who {
                Some(w) => format!("{w}: {text}"),
                None => text,
            };
            out.push(ImportedEvent { at, approximate: false, kind: guess_kind(&text), text, line: i + 1 });
        }
    }
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

/// Adds imported events to `pm`'s timeline, in time order. Key markers the timeline does not
/// have yet are taken from the first imported event of the matching kind (the first detection
/// becomes "detected", ...), so durations appear as soon as a chat log is imported; markers
/// already set by hand are never moved.
pub fn merge_into(pm: &mut crate::model::Postmortem, events: &[ImportedEvent]) {
    use crate::model::{Marker, TimelineEvent};
    let mut sorted: Vec<&ImportedEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.at);
    for e in sorted {
        let marker = Marker::for_kind(e.kind).filter(|m| !pm.timeline.iter().any(|t| t.marker == Some(*m)));
        pm.timeline.push(TimelineEvent {
            id: crate::model::new_id(),
            at: e.at,
            approximate: e.approximate,
            kind: e.kind,
            marker,
            text: e.text.clone(),
        });
    }
    pm.timeline.sort_by_key(|e| e.at);
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
