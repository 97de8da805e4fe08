//! Action items across the whole library: the board query (items joined with their
//! postmortem, filtered in SQL so the board stays fast on large libraries) and the row mapping
//! shared with the postmortem loader. Items are written with their postmortem
//! ([`super::postmortems::insert`] and [`super::postmortems::update`]); nothing here writes.

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use super::{bad_code, code, opt_text, parse_date, parse_time, text};
use crate::analysis::followthrough::ItemFacts;
use crate::model::*;
use crate::wire::{ActionFilter, ActionPage, ActionRow};
use crate::{Error, Result};

/// The columns [`RawItem::read`] expects, from `action_items a LEFT JOIN people p`.
pub(crate) const ITEM_COLUMNS: &str = "a.id, a.title, a.description, p.name, a.due_date, a.priority, a.kind, \
     a.status, a.wont_do_reason, a.tracker_url, a.created_at, a.completed_at, a.source_step_id, a.source_factor_id";

/// An action item as stored, before its codes and times are checked.
pub(crate) struct RawItem {
    id: String,
    title: String,
    description: String,
    owner: Option<String>,
    due: Option<String>,
    priority: String,
    kind: String,
    status: String,
    reason: Option<String>,
    url: Option<String>,
    created: String,
    completed: Option<String>,
    step: Option<String>,
    factor: Option<String>,
}

impl RawItem {
    /// Reads [`ITEM_COLUMNS`] starting at column `at`.
    pub(crate) fn read(r: &rusqlite::Row, at: usize) -> rusqlite::Result<RawItem> {
        Ok(RawItem {
            id: r.get(at)?,
            title: r.get(at + 1)?,
            description: r.get(at + 2)?,
            owner: r.get(at + 3)?,
            due: r.get(at + 4)?,
            priority: r.get(at + 5)?,
            kind: r.get(at + 6)?,
            status: r.get(at + 7)?,
            reason: r.get(at + 8)?,
            url: r.get(at + 9)?,
            created: r.get(at + 10)?,
            completed: r.get(at + 11)?,
            step: r.get(at + 12)?,
            factor: r.get(at + 13)?,
        })
    }

    pub(crate) fn into_item(self) -> Result<ActionItem> {
        Ok(ActionItem {
            id: self.id,
            title: self.title,
            description: self.description,
            owner: self.owner,
            due_date: self.due.map(|d| parse_date(&d, "action_items.due_date")).transpose()?,
            priority: Priority::parse(&self.priority)
                .map_or_else(|| bad_code(&self.priority, "action_items.priority"), Ok)?,
            kind: ActionKind::parse(&self.kind).map_or_else(|| bad_code(&self.kind, "action_items.kind"), Ok)?,
            status: ActionStatus::parse(&self.status)
                .map_or_else(|| bad_code(&self.status, "action_items.status"), Ok)?,
            wont_do_reason: self.reason,
            tracker_url: self.url,
            created_at: parse_time(&self.created, "action_items.created_at")?,
            completed_at: self.completed.map(|c| parse_time(&c, "action_items.completed_at")).transpose()?,
            source_step_id: self.step,
            source_factor_id: self.factor,
        })
    }
}

impl ActionRow {
    /// Days `item` has been (or was) open, as of `today`.
    pub fn days_open(item: &ActionItem, today: NaiveDate) -> i64 {
        let end = match (item.status, item.completed_at) {
            (ActionStatus::Done, Some(done)) => done.date_naive(),
            _ => today,
        };
        (end - item.created_at.date_naive()).num_days().max(0)
    }
}

/// The SQL of a board page. Parameters: ?1 owner, ?2 status, ?3 open only, ?4 overdue only,
/// ?5 today, ?6 priority, ?7 kind, ?8 postmortem id, ?9 service, ?10 limit, ?11 offset.
pub(crate) fn board_sql() -> String {
    // Choose and order the rows first, then fetch details (with their per-postmortem lists)
    // for the chosen page only: the lists cost more than the choosing.
    format!(
        "WITH picked AS (
            SELECT a.id AS item_id, row_number() OVER (
                ORDER BY a.due_date IS NULL, a.due_date, a.priority, pm.incident_date DESC, pm.id, a.position) AS n,
                count(*) OVER () AS total
            FROM action_items a
            JOIN postmortems pm ON pm.id = a.postmortem_id
            LEFT JOIN people p ON p.id = a.owner_id
            WHERE (?1 IS NULL OR p.name = ?1 COLLATE NOCASE OR p.name LIKE ?1 || ' %')
              AND (?2 IS NULL OR a.status = ?2)
              AND (?3 = 0 OR a.status IN ('open', 'in_progress'))
              AND (?4 = 0 OR (a.status IN ('open', 'in_progress') AND a.due_date < ?5))
              AND (?6 IS NULL OR a.priority = ?6)
              AND (?7 IS NULL OR a.kind = ?7)
              AND (?8 IS NULL OR pm.id = ?8)
              AND (?9 IS NULL OR EXISTS (SELECT 1 FROM postmortem_services ps JOIN services s ON s.id = ps.service_id
                                         WHERE ps.postmortem_id = pm.id AND s.name = ?9 COLLATE NOCASE))
            ORDER BY n LIMIT ?10 OFFSET ?11
         )
         SELECT {ITEM_COLUMNS}, pm.id, pm.title, pm.severity, pm.incident_date,
            (SELECT json_group_array(name) FROM (SELECT s.name FROM postmortem_services ps
                JOIN services s ON s.id = ps.service_id WHERE ps.postmortem_id = pm.id ORDER BY ps.position)),
            (SELECT json_group_array(name) FROM (SELECT c.name FROM postmortem_categories pc
                JOIN categories c ON c.id = pc.category_id WHERE pc.postmortem_id = pm.id ORDER BY pc.position)),
            a.position, picked.total
         FROM picked
         JOIN action_items a ON a.id = picked.item_id
         JOIN postmortems pm ON pm.id = a.postmortem_id
         LEFT JOIN people p ON p.id = a.owner_id
         ORDER BY picked.n"
    )
}

/// The SQL of the start-up counts: open items, and those overdue as of ?1.
pub(crate) const COUNTS_SQL: &str = "SELECT count(*), coalesce(sum(due_date IS NOT NULL AND due_date < ?1), 0)
         FROM action_items WHERE status IN ('open', 'in_progress')";

/// Action items matching `filter`, soonest due first (undated last), then by priority.
pub fn board(conn: &Connection, filter: &ActionFilter, today: NaiveDate) -> Result<ActionPage> {
    let sql = board_sql();
    let mut stmt = conn.prepare_cached(&sql)?;
    type Rest = (String, String, String, String, String, String, i64, i64);
    let rows = stmt
        .query_map(
            params![
                filter.owner.as_deref().map(str::trim),
                filter.status.map(ActionStatus::as_str),
                filter.open_only,
                filter.overdue,
                today.to_string(),
                filter.priority.map(Priority::as_str),
                filter.kind.map(ActionKind::as_str),
                filter.postmortem_id,
                filter.service,
                filter.limit.map_or(-1, i64::from),
                filter.offset.map_or(0, i64::from),
            ],
            |r| {
                let rest: Rest =
                    (r.get(14)?, r.get(15)?, r.get(16)?, r.get(17)?, r.get(18)?, r.get(19)?, r.get(20)?, r.get(21)?);
                Ok((RawItem::read(r, 0)?, rest))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let json_list = |s: &str, field: &str| -> Result<Vec<String>> {
        serde_json::from_str(s)
            .map_err(|e| Error::Parse { location: format!("database {field}"), message: e.to_string() })
    };
    let total = rows.first().map_or(0, |(_, rest)| rest.7);
    let rows = rows
        .into_iter()
        .map(|(raw, (pm_id, title, severity, date, services, categories, position, _))| {
            let item = raw.into_item()?;
            Ok(ActionRow {
                days_open: ActionRow::days_open(&item, today),
                overdue: item.is_overdue(today),
                item,
                postmortem_id: pm_id,
                postmortem_title: title,
                severity: Severity::parse(&severity).map_or_else(|| bad_code(&severity, "postmortems.severity"), Ok)?,
                incident_date: parse_date(&date, "postmortems.incident_date")?,
                services: json_list(&services, "services")?,
                categories: json_list(&categories, "categories")?,
                position,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ActionPage { rows, total })
}

/// The facts follow-through needs of every action item (or, `only`, of one postmortem's), in
/// one light query, in the table's order. Codes and times are read from SQLite's own text,
/// copying only the two strings kept.
pub fn item_facts(conn: &Connection, only: Option<&str>) -> Result<Vec<ItemFacts>> {
    const ALL: &str = "SELECT a.postmortem_id, p.name, a.kind, a.status, a.due_date, a.created_at, a.completed_at
         FROM action_items a LEFT JOIN people p ON p.id = a.owner_id";
    // Two statements, not one with `?1 IS NULL OR ...`, which would scan every item for one.
    let mut stmt = match only {
        Some(_) => conn.prepare_cached(&format!("{ALL} WHERE a.postmortem_id = ?1 ORDER BY a.rowid"))?,
        None => conn.prepare_cached(ALL)?,
    };
    let mut rows = match only {
        Some(id) => stmt.query([id])?,
        None => stmt.query([])?,
    };
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(ItemFacts {
            postmortem_id: text(r, 0)?.to_owned(),
            owner: opt_text(r, 1)?.map(str::to_owned),
            kind: code(text(r, 2)?, ActionKind::parse, "action_items.kind")?,
            status: code(text(r, 3)?, ActionStatus::parse, "action_items.status")?,
            due_date: opt_text(r, 4)?.map(|d| parse_date(d, "action_items.due_date")).transpose()?,
            created_at: parse_time(text(r, 5)?, "action_items.created_at")?,
            completed_at: opt_text(r, 6)?.map(|c| parse_time(c, "action_items.completed_at")).transpose()?,
        });
    }
    Ok(out)
}

/// Every postmortem's incident date and categories, oldest first, for follow-through analysis.
pub fn incidents(conn: &Connection) -> Result<Vec<(String, NaiveDate, Vec<String>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT pm.id, pm.incident_date,
            (SELECT json_group_array(name) FROM (SELECT c.name FROM postmortem_categories pc
                JOIN categories c ON c.id = pc.category_id WHERE pc.postmortem_id = pm.id ORDER BY pc.position))
         FROM postmortems pm ORDER BY pm.incident_date, pm.id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, date, categories)| {
            let categories = serde_json::from_str(&categories)
                .map_err(|e| Error::Parse { location: "database categories".into(), message: e.to_string() })?;
            Ok((id, parse_date(&date, "postmortems.incident_date")?, categories))
        })
        .collect()
}

/// The postmortem that owns action item `item_id`.
pub fn owner_postmortem(conn: &Connection, item_id: &str) -> Result<String> {
    use rusqlite::OptionalExtension;
    conn.query_row("SELECT postmortem_id FROM action_items WHERE id = ?1", [item_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "action item", id: item_id.to_string() })
}

/// Counts of open and overdue items as of `today`.
pub fn counts(conn: &Connection, today: NaiveDate) -> Result<(i64, i64)> {
    Ok(conn.query_row(COUNTS_SQL, [today.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Action items created, and items marked done, from `from` to `to` (UTC dates, both
/// included), across the library.
pub fn opened_and_done(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<(u32, u32)> {
    let (from, to) = (from.to_string(), to.to_string());
    let opened = conn.query_row(
        "SELECT count(*) FROM action_items WHERE substr(created_at, 1, 10) BETWEEN ?1 AND ?2",
        [&from, &to],
        |r| r.get(0),
    )?;
    let done = conn.query_row(
        "SELECT count(*) FROM action_items WHERE status = 'done' AND substr(completed_at, 1, 10) BETWEEN ?1 AND ?2",
        [&from, &to],
        |r| r.get(0),
    )?;
    Ok((opened, done))
}
