//! Loads what the analytics count ([`IncidentFacts`], and [`ItemFacts`] through
//! [`super::actions::item_facts`]) for every postmortem in a handful of statements, grouped in
//! memory: no per-postmortem queries, so a 100,000-postmortem library costs seven statements.
//! [`change_stamp`] tells a cache of them when the database has changed.

use rusqlite::{Connection, Row};

use super::{code, parse_date, parse_time, text};
use crate::analysis::facts::{IncidentFacts, MarkerTimes};
use crate::analysis::followthrough::ItemFacts;
use crate::model::{Marker, ReviewStatus, Severity};
use crate::Result;

/// What tells whether the database changed since it was taken: `PRAGMA data_version`, which
/// moves when another connection (the app's worker, the CLI, another process) commits, and
/// this connection's `total_changes()`, which moves when it inserts, updates or deletes a row
/// (data_version ignores a connection's own commits). Equal stamps on the same connection: no
/// row the analytics read has changed in between.
pub fn change_stamp(conn: &Connection) -> Result<(i64, u64)> {
    let version: i64 = conn.pragma_query_value(None, "data_version", |r| r.get(0))?;
    Ok((version, conn.total_changes()))
}

/// Every postmortem's facts and every action item's, read in one transaction so the two agree.
pub fn load(conn: &Connection) -> Result<(Vec<IncidentFacts>, Vec<ItemFacts>)> {
    // A read transaction: the statements see one snapshot, whatever commits meanwhile.
    let tx = conn.unchecked_transaction()?;
    let incidents = facts(&tx)?;
    let items = super::actions::item_facts(&tx, None)?;
    tx.commit()?;
    Ok((incidents, items))
}

/// One postmortem's facts (`None` when there is no such postmortem) and its action items',
/// read in one transaction: what a cache of [`load`]'s facts replaces after writing it.
pub fn load_one(conn: &Connection, id: &str) -> Result<(Option<IncidentFacts>, Vec<ItemFacts>)> {
    let tx = conn.unchecked_transaction()?;
    let incident = facts_of(&tx, Some(id))?.pop();
    let items = super::actions::item_facts(&tx, Some(id))?;
    tx.commit()?;
    Ok((incident, items))
}

/// `sql` with its `{only}` mark replaced: by nothing for the whole library, by `AND <column> =
/// ?1` for one postmortem (whose id the statement is then given).
fn only(sql: &str, column: &str, id: Option<&str>) -> String {
    sql.replace("{only}", &id.map_or(String::new(), |_| format!("AND {column} = ?1")))
}

/// Every postmortem's facts, oldest incident first (then by id).
///
/// The postmortems are put in id order, and each child statement reads its rows in
/// `(postmortem_id, position)` order from an index that holds every column it needs
/// (`migrations/0007_analytics_indexes.sql`), so rows are matched to their postmortem by
/// walking both in step, comparing ids as SQLite's BINARY collation does (byte by byte, as
/// `str` compares): no map, no copy of an id. The orders that decide a result (first marker
/// event by position, first move out of Draft, first spelling of a root-cause type) are the
/// statements' `ORDER BY`, so they hold whatever plan SQLite picks.
pub fn facts(conn: &Connection) -> Result<Vec<IncidentFacts>> {
    facts_of(conn, None)
}

/// [`facts`] of every postmortem, or (`only`) of one.
fn facts_of(conn: &Connection, only_id: Option<&str>) -> Result<Vec<IncidentFacts>> {
    let params: &[&dyn rusqlite::ToSql] = match &only_id {
        Some(id) => &[id as &dyn rusqlite::ToSql],
        None => &[],
    };
    let mut out = Vec::new();
    {
        let mut stmt = conn.prepare_cached(&only(
            "SELECT id, title, incident_date, severity, status, near_miss, users_affected_pct FROM postmortems
             WHERE 1 {only}",
            "id",
            only_id,
        ))?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            out.push(IncidentFacts {
                incident_date: parse_date(text(r, 2)?, "postmortems.incident_date")?,
                severity: code(text(r, 3)?, Severity::parse, "postmortems.severity")?,
                status: code(text(r, 4)?, ReviewStatus::parse, "postmortems.status")?,
                id: text(r, 0)?.to_owned(),
                title: text(r, 1)?.to_owned(),
                near_miss: r.get(5)?,
                services: Vec::new(),
                categories: Vec::new(),
                root_cause_types: Vec::new(),
                users_affected_pct: r.get(6)?,
                markers: MarkerTimes::default(),
                left_draft_at: None,
            });
        }
    }
    let mut out = in_id_order(out);

    // Each statement of child rows, narrowed to the one postmortem when asked.
    let read = |sql: &str,
                column: &str,
                out: &mut [IncidentFacts],
                add: &mut dyn FnMut(&mut IncidentFacts, &Row) -> Result<()>| {
        children(conn, &only(sql, column, only_id), params, out, add)
    };
    read(
        "SELECT ps.postmortem_id, s.name FROM postmortem_services ps JOIN services s ON s.id = ps.service_id
         WHERE 1 {only} ORDER BY ps.postmortem_id, ps.position",
        "ps.postmortem_id",
        &mut out,
        &mut |f, r| {
            f.services.push(text(r, 1)?.to_owned());
            Ok(())
        },
    )?;
    read(
        "SELECT pc.postmortem_id, c.name FROM postmortem_categories pc JOIN categories c ON c.id = pc.category_id
         WHERE 1 {only} ORDER BY pc.postmortem_id, pc.position",
        "pc.postmortem_id",
        &mut out,
        &mut |f, r| {
            f.categories.push(text(r, 1)?.to_owned());
            Ok(())
        },
    )?;
    // Each root-cause type once per postmortem (compared as SQLite's NOCASE does, ASCII only),
    // spelt as its first factor by position spells it, in the order of first appearance.
    read(
        "SELECT postmortem_id, trim(category) FROM contributing_factors
         WHERE category IS NOT NULL AND trim(category) <> '' {only} ORDER BY postmortem_id, position",
        "postmortem_id",
        &mut out,
        &mut |f, r| {
            let name = text(r, 1)?;
            if !f.root_cause_types.iter().any(|t| t.eq_ignore_ascii_case(name)) {
                f.root_cause_types.push(name.to_owned());
            }
            Ok(())
        },
    )?;
    read(
        "SELECT postmortem_id, marker, at FROM timeline_events WHERE marker IS NOT NULL {only}
         ORDER BY postmortem_id, position",
        "postmortem_id",
        &mut out,
        &mut |f, r| {
            let marker = code(text(r, 1)?, Marker::parse, "timeline_events.marker")?;
            f.markers.set_first(marker, parse_time(text(r, 2)?, "timeline_events.at")?);
            Ok(())
        },
    )?;
    // The first move out of Draft, in the order the changes were made.
    read(
        "SELECT postmortem_id, changed_at FROM status_changes
         WHERE from_status = 'draft' AND to_status <> 'draft' {only} ORDER BY postmortem_id, position",
        "postmortem_id",
        &mut out,
        &mut |f, r| {
            if f.left_draft_at.is_none() {
                f.left_draft_at = Some(parse_time(text(r, 1)?, "status_changes.changed_at")?);
            }
            Ok(())
        },
    )?;

    // Oldest incident first; the sort is stable, so incidents of a day stay in id order (as
    // SQLite's ORDER BY incident_date, id would give them).
    out.sort_by_key(|f| f.incident_date);
    Ok(out)
}

/// `facts` sorted by id, byte by byte (as SQLite's BINARY collation and `str` compare).
///
/// Sorting here costs less than reading the table through its id index (a lookup per row), and
/// sorting small keys less than sorting the facts: each key is an id's first 16 bytes read as a
/// big-endian number, zero-padded, which orders ids as their bytes do; two ids with the same 16
/// bytes (never two UUIDs) are compared whole.
fn in_id_order(facts: Vec<IncidentFacts>) -> Vec<IncidentFacts> {
    let prefix = |id: &str| {
        let mut bytes = [0u8; 16];
        let n = id.len().min(16);
        bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
        u128::from_be_bytes(bytes)
    };
    let mut keys: Vec<(u128, usize)> = facts.iter().enumerate().map(|(i, f)| (prefix(&f.id), i)).collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| facts[a.1].id.cmp(&facts[b.1].id)));
    let mut slots: Vec<Option<IncidentFacts>> = facts.into_iter().map(Some).collect();
    // Each index is taken once, so every slot is full when taken.
    keys.iter().filter_map(|&(_, i)| slots[i].take()).collect()
}

/// Runs `sql`, whose rows start with a postmortem id and come in id order, and hands each row
/// to `add` with the postmortem in `out` (sorted by id) it belongs to. Rows of a postmortem not
/// in `out` are skipped.
fn children(
    conn: &Connection,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
    out: &mut [IncidentFacts],
    add: &mut dyn FnMut(&mut IncidentFacts, &Row) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut at = 0;
    while let Some(r) = rows.next()? {
        let id = text(r, 0)?;
        while at < out.len() && out[at].id.as_str() < id {
            at += 1;
        }
        match out.get_mut(at) {
            Some(f) if f.id == id => add(f, r)?,
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_put_in_the_order_of_their_ids_bytes() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let ids = [
            "0123456789abcdef-b",
            "0123456789abcdef-a",
            "0123456789abcdef",
            "0123456789abcde",
            "0123456789abcde\u{0}",
            "f",
            "",
            "é",
            "e",
            "9f0e7c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
            "9f0e7c1a-2b3c-4d5e-8f90-a1b2c3d4e5f5",
        ];
        let facts: Vec<IncidentFacts> = ids.iter().map(|id| IncidentFacts::example(id, day)).collect();
        let mut expected: Vec<&str> = ids.to_vec();
        expected.sort();
        let sorted: Vec<String> = in_id_order(facts).into_iter().map(|f| f.id).collect();
        assert_eq!(sorted, expected);
    }
}
