//! Prevention ROI inputs saved per category (`roi_inputs`, keyed by category id).

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::wire::RoiInputs;
use crate::Result;

fn row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<RoiInputs> {
    Ok(RoiInputs {
        window_days: r.get(at)?,
        hourly_cost: r.get(at + 1)?,
        implementation_cost: r.get(at + 2)?,
        effectiveness: r.get(at + 3)?,
    })
}

/// The inputs saved for the category called `category` (case-insensitive), if any.
pub fn inputs(conn: &Connection, category: &str) -> Result<Option<RoiInputs>> {
    Ok(conn
        .prepare_cached(
            "SELECT r.window_days, r.hourly_cost, r.implementation_cost, r.effectiveness
             FROM roi_inputs r JOIN categories c ON c.id = r.category_id WHERE c.name = ?1",
        )?
        .query_row([category], |r| row(r, 0))
        .optional()?)
}

/// Every saved input, by the category's lowercased name.
pub fn all_inputs(conn: &Connection) -> Result<HashMap<String, RoiInputs>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.name, r.window_days, r.hourly_cost, r.implementation_cost, r.effectiveness
         FROM roi_inputs r JOIN categories c ON c.id = r.category_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?.to_lowercase(), row(r, 1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every category's saved inputs with the category's name as stored, by name.
pub fn saved(conn: &Connection) -> Result<Vec<(String, RoiInputs)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.name, r.window_days, r.hourly_cost, r.implementation_cost, r.effectiveness
         FROM roi_inputs r JOIN categories c ON c.id = r.category_id ORDER BY c.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, row(r, 1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Saves `inputs` for the category called `category` (case-insensitive), replacing any saved
/// before. Returns false, saving nothing, when there is no such category.
pub fn set_inputs(conn: &Connection, category: &str, inputs: &RoiInputs) -> Result<bool> {
    let changed = conn
        .prepare_cached(
            "INSERT INTO roi_inputs (category_id, window_days, hourly_cost, implementation_cost, effectiveness)
         SELECT id, ?2, ?3, ?4, ?5 FROM categories WHERE name = ?1
         ON CONFLICT (category_id) DO UPDATE SET window_days = excluded.window_days,
             hourly_cost = excluded.hourly_cost, implementation_cost = excluded.implementation_cost,
             effectiveness = excluded.effectiveness",
        )?
        .execute(params![
            category,
            inputs.window_days,
            inputs.hourly_cost,
            inputs.implementation_cost,
            inputs.effectiveness
        ])?;
    Ok(changed > 0)
}
