//! Postmortems and everything they own: sections, people, links to the taxonomy, timeline,
//! 5-whys, fishbones, contributing factors, action items and status history; and the library
//! list.
//!
//! A new postmortem is stored whole ([`insert`]); a save writes only what changed ([`update`],
//! in `postmortems/write.rs`), so the stored document always equals the last document saved.
//! Callers run both inside a transaction.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::taxonomy::{self, NameTable};
use super::{bad_code, parse_date, parse_time};
use crate::model::*;
use crate::wire::{ListFilter, ListPage, ListQuery, ListSortKey, SortDir};
use crate::{Error, Result};

mod write;

pub use write::{insert, update, update_in};

/// The largest page [`list_page`] returns; the app asks for much less.
pub const MAX_LIST_PAGE: u32 = 1000;

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery { filter: ListFilter::default(), sort: ListSortKey::Date, dir: SortDir::Desc, offset: 0, limit: 100 }
    }
}

/// Whether a postmortem with `id` is stored.
pub fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT 1 FROM postmortems WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some())
}

/// The ids that start with `prefix`, at most two: enough to tell one from several.
pub fn ids_with_prefix(conn: &Connection, prefix: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM postmortems WHERE id LIKE ?1 || '%' LIMIT 2")?;
    let ids = stmt.query_map([prefix], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Every postmortem's id with its `updated_at` as stored (the version the search index
/// records).
pub fn versions(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT id, updated_at FROM postmortems")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Number of stored postmortems.
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM postmortems", [], |r| r.get(0))?)
}

/// Whether another postmortem shares a category with `pm` and happened in the `days` before it.
pub fn has_recent_same_category(conn: &Connection, pm: &Postmortem, days: i64) -> Result<bool> {
    if pm.categories.is_empty() {
        return Ok(false);
    }
    let from = (pm.incident_date - chrono::Duration::days(days)).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT 1 FROM postmortems p
           JOIN postmortem_categories pc ON pc.postmortem_id = p.id
           JOIN categories c ON c.id = pc.category_id
          WHERE p.id <> ?1 AND p.incident_date >= ?2 AND p.incident_date < ?3 AND c.name = ?4 LIMIT 1",
    )?;
    for cat in &pm.categories {
        if stmt.exists(params![pm.id, from, pm.incident_date.to_string(), cat])? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Every postmortem id, oldest incident first, then by id.
pub fn all_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id FROM postmortems ORDER BY incident_date, id")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The ids of the postmortems dated `from` to `to` (both included), oldest first.
pub fn ids_dated(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT id FROM postmortems WHERE incident_date BETWEEN ?1 AND ?2 ORDER BY incident_date, id")?;
    let ids = stmt.query_map([from.to_string(), to.to_string()], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Everyone who ever changed a review status (the user names the history records).
pub fn status_changers(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT changed_by FROM status_changes")?;
    let names = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(names)
}

/// Deletes a postmortem and everything it owns.
pub fn delete(conn: &Connection, id: &str) -> Result<()> {
    let n = conn.execute("DELETE FROM postmortems WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(Error::NotFound { what: "postmortem", id: id.to_string() });
    }
    Ok(())
}

/// How many times postmortem `id` has been written since it was created (see
/// `migrations/0012_revision_history.sql`).
pub fn writes(conn: &Connection, id: &str) -> Result<i64> {
    conn.prepare_cached("SELECT writes FROM postmortems WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "postmortem", id: id.to_string() })
}

/// Loads one postmortem in full.
pub fn load(conn: &Connection, id: &str) -> Result<Postmortem> {
    find(conn, id)?.ok_or_else(|| Error::NotFound { what: "postmortem", id: id.to_string() })
}

/// Makes `pm`, just written, what loading it back gives, without loading it: each name in
/// the spelling its row was first stored with (names match case-insensitively), and a
/// negative zero as zero (SQLite keeps a whole REAL as an integer).
pub fn as_loaded(conn: &Connection, pm: &mut Postmortem) -> Result<()> {
    for (table, name) in names_mut(pm) {
        if let Some(stored) = taxonomy::stored_spelling(conn, table, name)? {
            *name = stored;
        }
    }
    zero_not_negative(pm);
    Ok(())
}

/// The names stored in a library, read at once: what [`as_loaded_in`] looks names up in.
pub struct Spellings(taxonomy::StoredSpellings);

impl Spellings {
    /// Reads every person, service, category and tag name stored.
    pub fn load(conn: &Connection) -> Result<Spellings> {
        Ok(Spellings(taxonomy::StoredSpellings::load(conn)?))
    }
}

/// [`as_loaded`] with the names read beforehand: for many postmortems at once (an import of
/// thousands made a query per name, one after another, before anything was written).
pub fn as_loaded_in(spellings: &Spellings, pm: &mut Postmortem) {
    for (table, name) in names_mut(pm) {
        if let Some(stored) = spellings.0.get(table, name) {
            if stored != name {
                *name = stored.to_string();
            }
        }
    }
    zero_not_negative(pm);
}

/// Every name a postmortem holds, with the table it is stored in.
fn names_mut(pm: &mut Postmortem) -> impl Iterator<Item = (NameTable, &mut String)> {
    let people = pm
        .authors
        .iter_mut()
        .chain(pm.incident_commander.iter_mut())
        .chain(pm.reviewers.iter_mut())
        .chain(pm.participants.iter_mut().map(|p| &mut p.name))
        .chain(pm.action_items.iter_mut().filter_map(|a| a.owner.as_mut()));
    people.map(|n| (NameTable::People, n)).chain(
        [
            (NameTable::Services, &mut pm.services),
            (NameTable::Categories, &mut pm.categories),
            (NameTable::Tags, &mut pm.tags),
        ]
        .into_iter()
        .flat_map(|(table, names)| names.iter_mut().map(move |n| (table, n))),
    )
}

/// A negative zero as zero, as SQLite gives it back (it keeps a whole REAL as an integer).
fn zero_not_negative(pm: &mut Postmortem) {
    for value in [&mut pm.users_affected_pct, &mut pm.revenue_impact, &mut pm.error_budget_consumed_pct] {
        if let Some(v) = value.as_mut().filter(|v| **v == 0.0) {
            *v = 0.0;
        }
    }
}

/// Loads one postmortem in full, if it is stored.
pub fn find(conn: &Connection, id: &str) -> Result<Option<Postmortem>> {
    type Head = (
        String,
        String,
        String,
        String,
        Option<String>,
        bool,
        bool,
        Option<f64>,
        Option<f64>,
        Option<i64>,
        Option<f64>,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let head: Option<Head> = conn
        .prepare_cached(
            "SELECT title, incident_date, severity, status, template, near_miss, novel_failure_mode,
                    users_affected_pct, revenue_impact, support_tickets, error_budget_consumed_pct,
                    data_impact, created_at, updated_at, extra, conflicts
             FROM postmortems WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
                r.get(13)?,
                r.get(14)?,
                r.get(15)?,
            ))
        })
        .optional()?;
    let Some((
        title,
        date,
        sev,
        status,
        template,
        near_miss,
        novel,
        users,
        revenue,
        tickets,
        budget,
        data,
        created,
        updated,
        extra,
        conflicts,
    )) = head
    else {
        return Ok(None);
    };

    let people = |kind: &str| -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare_cached(
            "SELECT p.name, pp.role FROM postmortem_people pp JOIN people p ON p.id = pp.person_id
             WHERE pp.postmortem_id = ?1 AND pp.kind = ?2 ORDER BY pp.position",
        )?;
        let rows = stmt.query_map(params![id, kind], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let names = |link: &str, table: &str, col: &str| -> Result<Vec<String>> {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT t.name FROM {link} l JOIN {table} t ON t.id = l.{col} WHERE l.postmortem_id = ?1 ORDER BY l.position"
        ))?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };

    let mut stmt =
        conn.prepare_cached("SELECT id, key, heading, body FROM sections WHERE postmortem_id = ?1 ORDER BY position")?;
    let sections = stmt
        .query_map([id], |r| Ok(Section { id: r.get(0)?, key: r.get(1)?, heading: r.get(2)?, body: r.get(3)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut stmt = conn.prepare_cached(
        "SELECT from_status, to_status, changed_by, changed_at FROM status_changes WHERE postmortem_id = ?1 ORDER BY position",
    )?;
    let status_history = stmt
        .query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(from, to, by, at)| {
            Ok(StatusChange {
                from: ReviewStatus::parse(&from).map_or_else(|| bad_code(&from, "status_changes.from_status"), Ok)?,
                to: ReviewStatus::parse(&to).map_or_else(|| bad_code(&to, "status_changes.to_status"), Ok)?,
                by,
                at: parse_time(&at, "status_changes.changed_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let mut stmt = conn.prepare_cached(
        "SELECT id, at, approximate, kind, marker, text FROM timeline_events WHERE postmortem_id = ?1 ORDER BY position",
    )?;
    let timeline = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(eid, at, approximate, kind, marker, text)| {
            Ok(TimelineEvent {
                id: eid,
                at: parse_time(&at, "timeline_events.at")?,
                approximate,
                kind: EventKind::parse(&kind).map_or_else(|| bad_code(&kind, "timeline_events.kind"), Ok)?,
                marker: match marker {
                    None => None,
                    Some(m) => Some(Marker::parse(&m).map_or_else(|| bad_code(&m, "timeline_events.marker"), Ok)?),
                },
                text,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    let whys = load_whys(conn, id)?;
    let fishbones = load_fishbones(conn, id)?;

    let mut stmt = conn.prepare_cached(
        "SELECT id, text, category, source_step_id, source_cause_id FROM contributing_factors
         WHERE postmortem_id = ?1 ORDER BY position",
    )?;
    let contributing_factors = stmt
        .query_map([id], |r| {
            Ok(ContributingFactor {
                id: r.get(0)?,
                text: r.get(1)?,
                category: r.get(2)?,
                source_step_id: r.get(3)?,
                source_cause_id: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let action_items = load_action_items(conn, id)?;

    Ok(Some(Postmortem {
        id: id.to_string(),
        title,
        incident_date: parse_date(&date, "postmortems.incident_date")?,
        severity: Severity::parse(&sev).map_or_else(|| bad_code(&sev, "postmortems.severity"), Ok)?,
        status: ReviewStatus::parse(&status).map_or_else(|| bad_code(&status, "postmortems.status"), Ok)?,
        authors: people("author")?.into_iter().map(|p| p.0).collect(),
        incident_commander: people("incident_commander")?.into_iter().next().map(|p| p.0),
        reviewers: people("reviewer")?.into_iter().map(|p| p.0).collect(),
        participants: people("participant")?.into_iter().map(|(name, role)| Participant { name, role }).collect(),
        services: names("postmortem_services", "services", "service_id")?,
        categories: names("postmortem_categories", "categories", "category_id")?,
        tags: names("postmortem_tags", "tags", "tag_id")?,
        template,
        near_miss,
        novel_failure_mode: novel,
        users_affected_pct: users,
        revenue_impact: revenue,
        support_tickets: tickets,
        error_budget_consumed_pct: budget,
        data_impact: data,
        sections,
        timeline,
        whys,
        fishbones,
        contributing_factors,
        action_items,
        status_history,
        created_at: parse_time(&created, "postmortems.created_at")?,
        updated_at: parse_time(&updated, "postmortems.updated_at")?,
        extra: match extra {
            None => serde_json::Map::new(),
            Some(json) => serde_json::from_str(&json).map_err(|e| Error::Parse {
                location: "database column postmortems.extra".into(),
                message: format!("not a JSON object: {e}"),
            })?,
        },
        conflicts: match conflicts {
            None => vec![],
            Some(json) => serde_json::from_str(&json).map_err(|e| Error::Parse {
                location: "database column postmortems.conflicts".into(),
                message: format!("not a list of conflicts: {e}"),
            })?,
        },
    }))
}

fn load_whys(conn: &Connection, pm_id: &str) -> Result<Vec<WhysChain>> {
    let mut chains_stmt =
        conn.prepare_cached("SELECT id, problem FROM whys_chains WHERE postmortem_id = ?1 ORDER BY position")?;
    let chains = chains_stmt
        .query_map([pm_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut steps_stmt = conn.prepare_cached(
        "SELECT id, parent_id, question, answer FROM whys_steps WHERE chain_id = ?1 ORDER BY position",
    )?;
    let mut ev_stmt = conn.prepare_cached("SELECT event_id FROM whys_evidence WHERE step_id = ?1 ORDER BY position")?;
    let mut out = Vec::new();
    for (cid, problem) in chains {
        let raw = steps_stmt
            .query_map([&cid], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut steps = Vec::with_capacity(raw.len());
        for (sid, parent_id, question, answer) in raw {
            let evidence = ev_stmt.query_map([&sid], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            steps.push(WhyStep { id: sid, parent_id, question, answer, evidence });
        }
        out.push(WhysChain { id: cid, problem, steps });
    }
    Ok(out)
}

fn load_fishbones(conn: &Connection, pm_id: &str) -> Result<Vec<Fishbone>> {
    let mut fb_stmt =
        conn.prepare_cached("SELECT id, effect FROM fishbones WHERE postmortem_id = ?1 ORDER BY position")?;
    let fbs = fb_stmt
        .query_map([pm_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut cat_stmt =
        conn.prepare_cached("SELECT id, name FROM fishbone_categories WHERE fishbone_id = ?1 ORDER BY position")?;
    let mut cause_stmt = conn
        .prepare_cached("SELECT id, parent_id, text FROM fishbone_causes WHERE category_id = ?1 ORDER BY position")?;
    let mut out = Vec::new();
    for (fid, effect) in fbs {
        let cats = cat_stmt
            .query_map([&fid], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut categories = Vec::new();
        for (cat_id, name) in cats {
            let rows = cause_stmt
                .query_map([&cat_id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, String>(2)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let causes = build_cause_tree(&rows, None);
            categories.push(FishboneCategory { id: cat_id, name, causes });
        }
        out.push(Fishbone { id: fid, effect, categories });
    }
    Ok(out)
}

fn build_cause_tree(rows: &[(String, Option<String>, String)], parent: Option<&str>) -> Vec<FishboneCause> {
    rows.iter()
        .filter(|(_, p, _)| p.as_deref() == parent)
        .map(|(id, _, text)| FishboneCause {
            id: id.clone(),
            text: text.clone(),
            children: build_cause_tree(rows, Some(id)),
        })
        .collect()
}

fn load_action_items(conn: &Connection, pm_id: &str) -> Result<Vec<ActionItem>> {
    let sql = format!(
        "SELECT {} FROM action_items a LEFT JOIN people p ON p.id = a.owner_id
         WHERE a.postmortem_id = ?1 ORDER BY a.position",
        super::actions::ITEM_COLUMNS
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows =
        stmt.query_map([pm_id], |r| super::actions::RawItem::read(r, 0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(super::actions::RawItem::into_item).collect()
}

/// The `WHERE` clause shared by the list's count and page queries, for the filters `filter`
/// sets. Parameters: ?1 severities and ?2 statuses as JSON arrays (empty means any), ?3
/// category, ?4 service, ?5 ids as a JSON array (empty means any).
///
/// Only the filters set are written as conditions; an unset one is a constant (`?3 IS NULL`)
/// that keeps its parameter in the statement. An `(?3 IS NULL OR ...)` in one statement for
/// every filter hid the set ones from the planner: a count by service walked all 100,000
/// postmortems probing each instead of counting the service's links through their index. A
/// category or service is matched through the set of its postmortems' ids, read once by name.
/// The SQL differs per combination of filters set (32 at most), each cached once.
pub(crate) fn list_where(filter: &ListFilter) -> String {
    let clause = |set: bool, condition: &str, unset: &str| if set { condition.to_string() } else { unset.to_string() };
    [
        clause(!filter.severities.is_empty(), "p.severity IN (SELECT value FROM json_each(?1))", "?1 = '[]'"),
        clause(!filter.statuses.is_empty(), "p.status IN (SELECT value FROM json_each(?2))", "?2 = '[]'"),
        clause(
            filter.category.is_some(),
            "p.id IN (SELECT pc.postmortem_id FROM postmortem_categories pc
                      WHERE pc.category_id IN (SELECT id FROM categories WHERE name = ?3 COLLATE NOCASE))",
            "?3 IS NULL",
        ),
        clause(
            filter.service.is_some(),
            "p.id IN (SELECT ps.postmortem_id FROM postmortem_services ps
                      WHERE ps.service_id IN (SELECT id FROM services WHERE name = ?4 COLLATE NOCASE))",
            "?4 IS NULL",
        ),
        clause(!filter.ids.is_empty(), "p.id IN (SELECT value FROM json_each(?5))", "?5 = '[]'"),
    ]
    .join("\n   AND ")
}

/// `ORDER BY` for a sort. Ties fall back to newest first, then title, then id, so paging is
/// stable. Status sorts in workflow order, not alphabetically.
fn list_order(sort: ListSortKey, dir: SortDir) -> String {
    let d = match dir {
        SortDir::Asc => "ASC",
        SortDir::Desc => "DESC",
    };
    let first = match sort {
        ListSortKey::Date => format!("p.incident_date {d}"),
        ListSortKey::Title => format!("p.title COLLATE NOCASE {d}"),
        ListSortKey::Severity => format!("p.severity {d}"),
        ListSortKey::Status => format!("CASE p.status WHEN 'draft' THEN 0 WHEN 'in_review' THEN 1 ELSE 2 END {d}"),
    };
    format!("{first}, p.incident_date DESC, p.title COLLATE NOCASE, p.id")
}

/// The filter's lists as the JSON arrays [`list_where`] reads: severities (?1), statuses (?2)
/// and ids (?5).
fn list_params(filter: &ListFilter) -> Result<(String, String, String)> {
    let codes = |v: Vec<&str>| {
        serde_json::to_string(&v).map_err(|e| Error::Parse { location: "list filter".into(), message: e.to_string() })
    };
    Ok((
        codes(filter.severities.iter().map(|s| s.as_str()).collect())?,
        codes(filter.statuses.iter().map(|s| s.as_str()).collect())?,
        codes(filter.ids.iter().map(String::as_str).collect())?,
    ))
}

/// Every postmortem matching `filter`, newest incident first. `today` decides which action
/// items are overdue and `now` which drafts are late.
pub fn list(
    conn: &Connection,
    filter: &ListFilter,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<PostmortemSummary>> {
    summaries(conn, filter, ListSortKey::Date, SortDir::Desc, None, today, now)
}

/// One page of the library list, with how many postmortems match and how many there are.
pub fn list_page(
    conn: &Connection,
    query: &ListQuery,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ListPage> {
    if query.limit > MAX_LIST_PAGE {
        return Err(Error::Validation {
            field: "limit".into(),
            message: format!("{} rows asked for; a page holds at most {MAX_LIST_PAGE}", query.limit),
        });
    }
    let (severities, statuses, ids) = list_params(&query.filter)?;
    let total = count(conn)? as u32;
    // Without a filter every postmortem matches: no second count.
    let matching: u32 = if query.filter == ListFilter::default() {
        total
    } else {
        let sql = format!("SELECT count(*) FROM postmortems p WHERE {}", list_where(&query.filter));
        conn.prepare_cached(&sql)?
            .query_row(params![severities, statuses, query.filter.category, query.filter.service, ids], |r| r.get(0))?
    };
    let rows = summaries(conn, &query.filter, query.sort, query.dir, Some((query.offset, query.limit)), today, now)?;
    Ok(ListPage { rows, matching, total })
}

/// The per-row figures of the list, for a postmortem `p`: services, categories, open and
/// overdue action items (?6 today), and whether it is a draft more than 48 hours after its
/// resolution (?7 now).
const ROW_COLUMNS: &str = "p.id, p.title, p.incident_date, p.severity, p.status, p.near_miss, p.updated_at,
    (SELECT json_group_array(name) FROM (SELECT s.name FROM postmortem_services ps
        JOIN services s ON s.id = ps.service_id WHERE ps.postmortem_id = p.id ORDER BY ps.position)),
    (SELECT json_group_array(name) FROM (SELECT c.name FROM postmortem_categories pc
        JOIN categories c ON c.id = pc.category_id WHERE pc.postmortem_id = p.id ORDER BY pc.position)),
    (SELECT count(*) FROM action_items a INDEXED BY action_items_open_by_postmortem
        WHERE a.postmortem_id = p.id AND a.status IN ('open','in_progress')),
    (SELECT count(*) FROM action_items a INDEXED BY action_items_open_by_postmortem
        WHERE a.postmortem_id = p.id AND a.status IN ('open','in_progress')
        AND a.due_date IS NOT NULL AND a.due_date < ?6),
    p.status = 'draft' AND EXISTS (SELECT 1 FROM timeline_events e WHERE e.postmortem_id = p.id
        AND e.marker = 'resolved' AND julianday(e.at) + 2.0 < julianday(?7))";

/// The SQL of the list. Parameters: ?1 to ?5 the filter (see [`list_where`]), ?6
/// today, ?7 now, ?8 limit, ?9 offset.
///
/// A page picks its ids first on the postmortems table alone and computes the per-row figures
/// for those rows only: SQLite evaluates a result column for every row it sorts. Every row
/// (`whole`, for `debrief list`) computes them walking the postmortems in id order, the order
/// of the child tables' indexes, so each lookup lands near the one before (about a third
/// faster at 100,000 than walking in date order), then sorts the finished rows.
pub(crate) fn list_sql(filter: &ListFilter, sort: ListSortKey, dir: SortDir, whole: bool) -> String {
    let order = list_order(sort, dir);
    let list_where = list_where(filter);
    if whole {
        format!(
            "SELECT * FROM (SELECT {ROW_COLUMNS} FROM postmortems p WHERE {list_where} ORDER BY p.id) p
             ORDER BY {order} LIMIT ?8 OFFSET ?9"
        )
    } else {
        format!(
            "WITH page AS (SELECT p.id FROM postmortems p WHERE {list_where} ORDER BY {order} LIMIT ?8 OFFSET ?9)
             SELECT {ROW_COLUMNS} FROM page JOIN postmortems p ON p.id = page.id ORDER BY {order}"
        )
    }
}

/// The list's rows: a window of them, or every one (see [`list_sql`]).
fn summaries(
    conn: &Connection,
    filter: &ListFilter,
    sort: ListSortKey,
    dir: SortDir,
    window: Option<(u32, u32)>,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<PostmortemSummary>> {
    let (limit, offset) = window.map_or((-1i64, 0i64), |(o, l)| (i64::from(l), i64::from(o)));
    let sql = list_sql(filter, sort, dir, window.is_none());
    let (severities, statuses, ids) = list_params(filter)?;
    let mut stmt = conn.prepare_cached(&sql)?;
    type Row = (String, String, String, String, String, bool, String, String, String, i64, i64, bool);
    let rows = stmt
        .query_map(
            params![
                severities,
                statuses,
                filter.category,
                filter.service,
                ids,
                today.to_string(),
                super::fmt_time(&now),
                limit,
                offset
            ],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    rows.into_iter()
        .map(
            |(id, title, date, sev, status, near_miss, updated, services, categories, open, overdue, draft_overdue)| {
                let json_list = |s: &str, field: &str| -> Result<Vec<String>> {
                    serde_json::from_str(s)
                        .map_err(|e| Error::Parse { location: format!("database {field}"), message: e.to_string() })
                };
                Ok(PostmortemSummary {
                    incident_date: parse_date(&date, "postmortems.incident_date")?,
                    severity: Severity::parse(&sev).map_or_else(|| bad_code(&sev, "postmortems.severity"), Ok)?,
                    status: ReviewStatus::parse(&status).map_or_else(|| bad_code(&status, "postmortems.status"), Ok)?,
                    services: json_list(&services, "services")?,
                    categories: json_list(&categories, "categories")?,
                    near_miss,
                    action_items_open: open,
                    action_items_overdue: overdue,
                    draft_overdue,
                    updated_at: parse_time(&updated, "postmortems.updated_at")?,
                    id,
                    title,
                })
            },
        )
        .collect()
}
