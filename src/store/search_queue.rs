//! The `search_pending` queue: ids of postmortems changed since the search index last saw
//! them. Triggers (migration 0002) fill it in the same transaction as the change; the index
//! ([`crate::search::SearchIndex::sync`]) drains it, forgetting an entry only after the index
//! commit, and only the generation it indexed.

use rusqlite::{params, Connection};

use crate::Result;

/// A queued change: the postmortem and how many times it was queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// Id of the changed postmortem; it may since have been deleted.
    pub postmortem_id: String,
    /// Times queued since last indexed, from 1; forgetting needs it unchanged.
    pub generation: i64,
}

/// Queues postmortems changed by something the triggers do not see (a relabelling of the
/// taxonomy rewrites link tables and factors, not the postmortem rows).
pub fn queue(conn: &Connection, ids: &[String]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO search_pending (postmortem_id) VALUES (?1)
         ON CONFLICT(postmortem_id) DO UPDATE SET generation = generation + 1",
    )?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

/// Everything queued.
pub fn pending(conn: &Connection) -> Result<Vec<Queued>> {
    let mut stmt = conn.prepare_cached("SELECT postmortem_id, generation FROM search_pending")?;
    let rows = stmt.query_map([], |r| Ok(Queued { postmortem_id: r.get(0)?, generation: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Forgets the entries in `indexed`, each only if it is still at the generation indexed: a
/// change queued meanwhile (by another process) stays queued.
pub fn forget(conn: &Connection, indexed: &[Queued]) -> Result<()> {
    // One transaction for all, unless the caller's is open: outside one, each delete would
    // be a commit of its own (a quarter of a second for a 10,000-postmortem import's queue).
    let tx = if conn.is_autocommit() && indexed.len() > 1 { Some(conn.unchecked_transaction()?) } else { None };
    {
        let mut del = conn.prepare_cached("DELETE FROM search_pending WHERE postmortem_id = ?1 AND generation = ?2")?;
        for q in indexed {
            del.execute(params![q.postmortem_id, q.generation])?;
        }
    }
    if let Some(tx) = tx {
        tx.commit()?;
    }
    Ok(())
}

/// Number of queued changes.
pub fn len(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM search_pending", [], |r| r.get(0))?)
}
