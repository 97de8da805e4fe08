//! People, services, categories, tags, templates and settings: the rows that postmortems
//! refer to by name.

use rusqlite::{params, Connection, OptionalExtension};

use crate::clock::new_id;
use crate::model::{Category, Service, Template, TemplateSection};
use crate::{Error, Result};

/// Which name table to look up or fill.
#[derive(Clone, Copy)]
pub(crate) enum NameTable {
    People,
    Services,
    Categories,
    Tags,
}

impl NameTable {
    pub(crate) fn table(self) -> &'static str {
        match self {
            NameTable::People => "people",
            NameTable::Services => "services",
            NameTable::Categories => "categories",
            NameTable::Tags => "tags",
        }
    }
}

/// The name of the row called `name` (case-insensitive) as it is stored, if there is one.
pub(crate) fn stored_spelling(conn: &Connection, table: NameTable, name: &str) -> Result<Option<String>> {
    let t = table.table();
    Ok(conn
        .prepare_cached(&format!("SELECT name FROM {t} WHERE name = ?1"))?
        .query_row([name], |r| r.get(0))
        .optional()?)
}

/// The id of the row called `name` (case-insensitive), creating it if there is none.
pub(crate) fn ensure_name(conn: &Connection, table: NameTable, name: &str) -> Result<String> {
    let t = table.table();
    let found: Option<String> =
        conn.query_row(&format!("SELECT id FROM {t} WHERE name = ?1"), [name], |r| r.get(0)).optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    let id = new_id();
    conn.prepare_cached(&format!("INSERT INTO {t} (id, name) VALUES (?1, ?2)"))?.execute(params![id, name])?;
    Ok(id)
}

/// Every person named anywhere in the library, by name.
pub fn people(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM people ORDER BY name COLLATE NOCASE")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// All services, by name.
pub fn services(conn: &Connection) -> Result<Vec<Service>> {
    let mut stmt = conn
        .prepare("SELECT name, description, slo_target, slo_window_days FROM services ORDER BY name COLLATE NOCASE")?;
    let rows = stmt.query_map([], |r| {
        Ok(Service { name: r.get(0)?, description: r.get(1)?, slo_target: r.get(2)?, slo_window_days: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Creates or updates the service called `s.name`.
pub fn upsert_service(conn: &Connection, s: &Service) -> Result<()> {
    let id = ensure_name(conn, NameTable::Services, &s.name)?;
    conn.execute(
        "UPDATE services SET name = ?2, description = ?3, slo_target = ?4, slo_window_days = ?5 WHERE id = ?1",
        params![id, s.name, s.description, s.slo_target, s.slo_window_days],
    )?;
    Ok(())
}

/// All categories, by name.
pub fn categories(conn: &Connection) -> Result<Vec<Category>> {
    let mut stmt = conn.prepare("SELECT name, description FROM categories ORDER BY name COLLATE NOCASE")?;
    let rows = stmt.query_map([], |r| Ok(Category { name: r.get(0)?, description: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Creates or updates the category called `c.name`.
pub fn upsert_category(conn: &Connection, c: &Category) -> Result<()> {
    let id = ensure_name(conn, NameTable::Categories, &c.name)?;
    conn.execute(
        "UPDATE categories SET name = ?2, description = ?3 WHERE id = ?1",
        params![id, c.name, c.description],
    )?;
    Ok(())
}

/// All templates with their sections; built-in ones first, then by name.
pub fn templates(conn: &Connection) -> Result<Vec<Template>> {
    let mut stmt = conn
        .prepare("SELECT id, name, description, builtin FROM templates ORDER BY builtin DESC, name COLLATE NOCASE")?;
    let heads = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<(String, String, String, bool)>>>()?;
    let mut sec = conn.prepare(
        "SELECT key, heading, guidance, prompts, required, placeholder FROM template_sections
         WHERE template_id = ?1 ORDER BY position",
    )?;
    let mut out = Vec::with_capacity(heads.len());
    for (id, name, description, builtin) in heads {
        let sections = sec
            .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get(4)?, r.get(5)?)))?
            .collect::<rusqlite::Result<Vec<(String, String, String, String, bool, String)>>>()?
            .into_iter()
            .map(|(key, heading, guidance, prompts, required, placeholder)| {
                let prompts = serde_json::from_str(&prompts).map_err(|e| Error::Parse {
                    location: format!("database template {name:?} section {key:?} prompts"),
                    message: e.to_string(),
                })?;
                Ok(TemplateSection { key, heading, guidance, prompts, required, placeholder })
            })
            .collect::<Result<Vec<_>>>()?;
        out.push(Template { name, description, builtin, sections });
    }
    Ok(out)
}

/// Creates or replaces the template called `t.name` with its sections.
pub fn upsert_template(conn: &Connection, t: &Template) -> Result<()> {
    let existing: Option<String> =
        conn.query_row("SELECT id FROM templates WHERE name = ?1", [&t.name], |r| r.get(0)).optional()?;
    let id = existing.unwrap_or_else(new_id);
    conn.execute(
        "INSERT INTO templates (id, name, description, builtin) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description,
                                        builtin = excluded.builtin",
        params![id, t.name, t.description, t.builtin],
    )?;
    conn.execute("DELETE FROM template_sections WHERE template_id = ?1", [&id])?;
    for (pos, s) in t.sections.iter().enumerate() {
        conn.execute(
            "INSERT INTO template_sections (id, template_id, position, key, heading, guidance, prompts, required, placeholder)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                new_id(),
                id,
                pos as i64,
                s.key,
                s.heading,
                s.guidance,
                serde_json::to_string(&s.prompts).expect("strings serialize"),
                s.required,
                s.placeholder
            ],
        )?;
    }
    Ok(())
}

/// Deletes the user template called `name` (case-insensitive; built-in ones are left alone).
/// Returns whether there was one.
pub fn delete_user_template(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM templates WHERE name = ?1 AND builtin = 0", [name])? > 0)
}

/// A setting's JSON value, if set.
pub fn setting(conn: &Connection, key: &str) -> Result<Option<serde_json::Value>> {
    let raw: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?;
    raw.map(|s| {
        serde_json::from_str(&s)
            .map_err(|e| Error::Parse { location: format!("database setting {key:?}"), message: e.to_string() })
    })
    .transpose()
}

/// Stores a setting's JSON value.
pub fn set_setting(conn: &Connection, key: &str, value: &serde_json::Value) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value.to_string()],
    )?;
    Ok(())
}

/// The root-cause types on offer for contributing factors: the built-in ones first, then every
/// other category the library's factors already use (fishbone categories excepted), by name.
pub fn root_cause_types(conn: &Connection) -> Result<Vec<String>> {
    use crate::model::rootcause::{Fishbone, ROOT_CAUSE_TYPES};
    let mut types: Vec<String> = ROOT_CAUSE_TYPES.iter().map(|t| t.to_string()).collect();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT trim(category) FROM contributing_factors
         WHERE category IS NOT NULL AND trim(category) <> '' ORDER BY 1 COLLATE NOCASE",
    )?;
    let used = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let known = |t: &str, types: &[String]| {
        types.iter().any(|k| k.eq_ignore_ascii_case(t))
            || Fishbone::DEFAULT_CATEGORIES.iter().any(|k| k.eq_ignore_ascii_case(t))
    };
    for t in used {
        if !known(&t, &types) {
            types.push(t);
        }
    }
    Ok(types)
}
