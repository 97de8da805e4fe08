//! People, services, categories, tags, templates and settings: the rows that postmortems
//! refer to by name.

use rusqlite::{params, Connection, OptionalExtension};

use crate::clock::new_id;
use crate::model::{Category, RootCauseType, Service, Template, TemplateSection};
use crate::wire::TaxonomyKind;
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

/// Every name stored in the name tables, read at once, for normalizing the names of many
/// postmortems without a query per name (see [`super::postmortems::as_loaded_in`]). Names are
/// keyed as the tables compare them: `COLLATE NOCASE` folds the ASCII letters and nothing else.
pub(crate) struct StoredSpellings([rustc_hash::FxHashMap<String, String>; 4]);

impl StoredSpellings {
    /// Reads every name of the four tables.
    pub(crate) fn load(conn: &Connection) -> Result<StoredSpellings> {
        let mut tables: [rustc_hash::FxHashMap<String, String>; 4] = Default::default();
        for table in [NameTable::People, NameTable::Services, NameTable::Categories, NameTable::Tags] {
            let mut stmt = conn.prepare(&format!("SELECT name FROM {}", table.table()))?;
            let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
            let by_key = &mut tables[table as usize];
            for name in names {
                let name = name?;
                by_key.insert(name.to_ascii_lowercase(), name);
            }
        }
        Ok(StoredSpellings(tables))
    }

    /// What [`stored_spelling`] gives, from memory.
    pub(crate) fn get(&self, table: NameTable, name: &str) -> Option<&str> {
        self.0[table as usize].get(&name.to_ascii_lowercase()).map(String::as_str)
    }
}

/// The id of the row called `name` (case-insensitive), creating it if there is none.
pub(crate) fn ensure_name(conn: &Connection, table: NameTable, name: &str) -> Result<String> {
    let t = table.table();
    let found: Option<String> = conn
        .prepare_cached(&format!("SELECT id FROM {t} WHERE name = ?1"))?
        .query_row([name], |r| r.get(0))
        .optional()?;
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
    let mut stmt = conn.prepare(
        "SELECT name, description, slo_target, slo_window_days, team, retired FROM services
         ORDER BY name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Service {
            name: r.get(0)?,
            description: r.get(1)?,
            slo_target: r.get(2)?,
            slo_window_days: r.get(3)?,
            team: r.get(4)?,
            retired: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Creates or updates the service called `s.name`.
pub fn upsert_service(conn: &Connection, s: &Service) -> Result<()> {
    let id = ensure_name(conn, NameTable::Services, &s.name)?;
    conn.execute(
        "UPDATE services SET name = ?2, description = ?3, slo_target = ?4, slo_window_days = ?5, team = ?6,
                             retired = ?7
         WHERE id = ?1",
        params![id, s.name, s.description, s.slo_target, s.slo_window_days, s.team, s.retired],
    )?;
    Ok(())
}

/// All categories, by name.
pub fn categories(conn: &Connection) -> Result<Vec<Category>> {
    let mut stmt = conn.prepare("SELECT name, description, retired FROM categories ORDER BY name COLLATE NOCASE")?;
    let rows = stmt.query_map([], |r| Ok(Category { name: r.get(0)?, description: r.get(1)?, retired: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Creates or updates the category called `c.name`.
pub fn upsert_category(conn: &Connection, c: &Category) -> Result<()> {
    let id = ensure_name(conn, NameTable::Categories, &c.name)?;
    conn.execute(
        "UPDATE categories SET name = ?2, description = ?3, retired = ?4 WHERE id = ?1",
        params![id, c.name, c.description, c.retired],
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

/// The root-cause types on offer for contributing factors: the managed ones not retired, in the
/// order they were added (the built-in list first), then every other type the library's
/// factors already use (fishbone categories excepted), by name.
pub fn root_cause_types(conn: &Connection) -> Result<Vec<String>> {
    use crate::model::rootcause::Fishbone;
    let managed = cause_types(conn)?;
    let mut types: Vec<String> = managed.iter().filter(|t| !t.retired).map(|t| t.name.clone()).collect();
    let known = |t: &str| {
        managed.iter().any(|k| k.name.eq_ignore_ascii_case(t))
            || Fishbone::DEFAULT_CATEGORIES.iter().any(|k| k.eq_ignore_ascii_case(t))
    };
    for t in causes_in_use(conn)? {
        if !known(&t) && !types.iter().any(|k| k.eq_ignore_ascii_case(&t)) {
            types.push(t);
        }
    }
    Ok(types)
}

/// Every managed root-cause type, retired ones included, in the order they were added.
pub fn cause_types(conn: &Connection) -> Result<Vec<RootCauseType>> {
    let mut stmt = conn.prepare("SELECT name, description, retired FROM root_cause_types ORDER BY id")?;
    let rows =
        stmt.query_map([], |r| Ok(RootCauseType { name: r.get(0)?, description: r.get(1)?, retired: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The root-cause types contributing factors name, trimmed, by name.
fn causes_in_use(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT trim(category) FROM contributing_factors
         WHERE category IS NOT NULL AND trim(category) <> '' ORDER BY 1 COLLATE NOCASE",
    )?;
    let used = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(used)
}

// ---- Managing the taxonomy ----

/// The table holding `kind`'s entries.
fn kind_table(kind: TaxonomyKind) -> &'static str {
    match kind {
        TaxonomyKind::Category => "categories",
        TaxonomyKind::Service => "services",
        TaxonomyKind::Cause => "root_cause_types",
    }
}

/// The link table and its column for categories and services; `None` for root-cause types,
/// which factors name as text.
fn kind_links(kind: TaxonomyKind) -> Option<(&'static str, &'static str)> {
    match kind {
        TaxonomyKind::Category => Some(("postmortem_categories", "category_id")),
        TaxonomyKind::Service => Some(("postmortem_services", "service_id")),
        TaxonomyKind::Cause => None,
    }
}

/// How the entry called `name` (case-insensitive) is spelled in the library, if it is known:
/// stored in its table, or, for a root-cause type, named by a contributing factor.
pub fn spelling(conn: &Connection, kind: TaxonomyKind, name: &str) -> Result<Option<String>> {
    let t = kind_table(kind);
    let stored: Option<String> =
        conn.query_row(&format!("SELECT name FROM {t} WHERE name = ?1"), [name], |r| r.get(0)).optional()?;
    if stored.is_some() || kind != TaxonomyKind::Cause {
        return Ok(stored);
    }
    Ok(conn
        .query_row(
            "SELECT trim(category) FROM contributing_factors WHERE trim(category) = trim(?1) COLLATE NOCASE
             ORDER BY rowid LIMIT 1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// Adds a category.
pub fn add_category(conn: &Connection, name: &str, description: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO categories (id, name, description) VALUES (?1, ?2, ?3)",
        params![new_id(), name, description],
    )?;
    Ok(())
}

/// Adds a root-cause type after the others.
pub fn add_cause_type(conn: &Connection, name: &str, description: &str) -> Result<()> {
    conn.execute("INSERT INTO root_cause_types (name, description) VALUES (?1, ?2)", params![name, description])?;
    Ok(())
}

/// Adds the root-cause type `t`, or sets the description and retirement of the one of its name
/// (ignoring case), keeping that one's spelling and place.
pub fn upsert_cause_type(conn: &Connection, t: &RootCauseType) -> Result<()> {
    conn.execute(
        "INSERT INTO root_cause_types (name, description, retired) VALUES (?1, ?2, ?3)
         ON CONFLICT(name) DO UPDATE SET description = excluded.description, retired = excluded.retired",
        params![t.name, t.description, t.retired],
    )?;
    Ok(())
}

/// Makes sure the root-cause type called `name` has a row (one only factors name gets one).
fn ensure_cause_type(conn: &Connection, name: &str) -> Result<()> {
    conn.execute("INSERT INTO root_cause_types (name) VALUES (?1) ON CONFLICT(name) DO NOTHING", [name])?;
    Ok(())
}

/// The postmortems labelled with `name` of `kind`: linked to it, or with a factor naming it.
fn labelled(conn: &Connection, kind: TaxonomyKind, name: &str) -> Result<Vec<String>> {
    let sql = match kind_links(kind) {
        Some((links, col)) => format!(
            "SELECT DISTINCT l.postmortem_id FROM {links} l JOIN {t} x ON x.id = l.{col} WHERE x.name = ?1",
            t = kind_table(kind)
        ),
        None => "SELECT DISTINCT postmortem_id FROM contributing_factors
                 WHERE trim(category) = trim(?1) COLLATE NOCASE"
            .to_string(),
    };
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt.query_map([name], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// Renames the entry `from` (as stored) to `to`, relabelling every postmortem: links are by
/// id, so categories and services only change their name; factors naming a root-cause type
/// are rewritten. Returns the postmortems relabelled, queued for the search index.
pub fn rename(conn: &Connection, kind: TaxonomyKind, from: &str, to: &str) -> Result<Vec<String>> {
    let ids = labelled(conn, kind, from)?;
    if kind == TaxonomyKind::Cause {
        ensure_cause_type(conn, from)?;
        conn.execute(
            "UPDATE contributing_factors SET category = ?2 WHERE trim(category) = trim(?1) COLLATE NOCASE",
            params![from, to],
        )?;
    }
    conn.execute(&format!("UPDATE {} SET name = ?2 WHERE name = ?1", kind_table(kind)), params![from, to])?;
    record_alias(conn, kind, from, to)?;
    super::search_queue::queue(conn, &ids)?;
    Ok(ids)
}

/// Merges the entry `from` into `into` (both as stored): every postmortem labelled `from` is
/// labelled `into` once, then `from` is deleted. Prevention-ROI inputs saved for a category
/// `from` move to `into` unless it has its own. Returns the postmortems relabelled, queued for
/// the search index.
pub fn merge(conn: &Connection, kind: TaxonomyKind, from: &str, into: &str) -> Result<Vec<String>> {
    let ids = labelled(conn, kind, from)?;
    let t = kind_table(kind);
    match kind_links(kind) {
        Some((links, col)) => {
            let id_of = |name: &str| -> Result<String> {
                Ok(conn.query_row(&format!("SELECT id FROM {t} WHERE name = ?1"), [name], |r| r.get(0))?)
            };
            let (a, b) = (id_of(from)?, id_of(into)?);
            // A postmortem with both keeps its link to `into`; the other links move.
            conn.execute(&format!("UPDATE OR IGNORE {links} SET {col} = ?2 WHERE {col} = ?1"), params![a, b])?;
            conn.execute(&format!("DELETE FROM {links} WHERE {col} = ?1"), [&a])?;
            if kind == TaxonomyKind::Category {
                conn.execute(
                    "DELETE FROM roi_inputs WHERE category_id = ?1
                       AND EXISTS (SELECT 1 FROM roi_inputs WHERE category_id = ?2)",
                    params![a, b],
                )?;
                conn.execute("UPDATE roi_inputs SET category_id = ?2 WHERE category_id = ?1", params![a, b])?;
            }
            conn.execute(&format!("DELETE FROM {t} WHERE id = ?1"), [&a])?;
        }
        None => {
            conn.execute(
                "UPDATE contributing_factors SET category = ?2 WHERE trim(category) = trim(?1) COLLATE NOCASE",
                params![from, into],
            )?;
            conn.execute("DELETE FROM root_cause_types WHERE name = ?1", [from])?;
        }
    }
    record_alias(conn, kind, from, into)?;
    super::search_queue::queue(conn, &ids)?;
    Ok(ids)
}

/// Records that `old` of `kind` is now called `new`: an alias from `old`, and every alias that
/// led to `old` now leading to `new` (so a rename of a rename still finds its way). An alias of
/// `new` itself is dropped: that name is in use again.
pub fn record_alias(conn: &Connection, kind: TaxonomyKind, old: &str, new: &str) -> Result<()> {
    let k = kind.as_str();
    conn.execute("DELETE FROM taxonomy_aliases WHERE kind = ?1 AND old_name = ?2", params![k, new])?;
    conn.execute(
        "UPDATE taxonomy_aliases SET new_name = ?3 WHERE kind = ?1 AND new_name = ?2 COLLATE NOCASE",
        params![k, old, new],
    )?;
    if !old.eq_ignore_ascii_case(new) {
        conn.execute(
            "INSERT INTO taxonomy_aliases (kind, old_name, new_name) VALUES (?1, ?2, ?3)
             ON CONFLICT(kind, old_name) DO UPDATE SET new_name = excluded.new_name",
            params![k, old, new],
        )?;
    }
    Ok(())
}

/// Forgets any alias from `name` of `kind`: an entry of that name exists again.
pub fn drop_alias(conn: &Connection, kind: TaxonomyKind, name: &str) -> Result<()> {
    conn.execute("DELETE FROM taxonomy_aliases WHERE kind = ?1 AND old_name = ?2", params![kind.as_str(), name])?;
    Ok(())
}

/// Every alias: (kind, old name, the name it became).
pub fn aliases(conn: &Connection) -> Result<Vec<(TaxonomyKind, String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT kind, old_name, new_name FROM taxonomy_aliases")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(0)?;
        let kind = match kind.as_str() {
            "category" => TaxonomyKind::Category,
            "service" => TaxonomyKind::Service,
            "cause" => TaxonomyKind::Cause,
            other => return super::bad_code(other, "taxonomy_aliases.kind"),
        };
        out.push((kind, r.get(1)?, r.get(2)?));
    }
    Ok(out)
}

/// Retires the entry `name` (as stored), or brings it back when `retired` is false. Postmortems
/// keep it either way.
pub fn set_retired(conn: &Connection, kind: TaxonomyKind, name: &str, retired: bool) -> Result<()> {
    if kind == TaxonomyKind::Cause {
        ensure_cause_type(conn, name)?;
    }
    conn.execute(&format!("UPDATE {} SET retired = ?2 WHERE name = ?1", kind_table(kind)), params![name, retired])?;
    Ok(())
}

/// Sets the description of the entry `name` (as stored) of `kind`.
pub fn set_description(conn: &Connection, kind: TaxonomyKind, name: &str, description: &str) -> Result<()> {
    if kind == TaxonomyKind::Cause {
        ensure_cause_type(conn, name)?;
    }
    conn.execute(
        &format!("UPDATE {} SET description = ?2 WHERE name = ?1", kind_table(kind)),
        params![name, description],
    )?;
    Ok(())
}

/// The categories of postmortem `id` that are not retired, in the postmortem's order.
pub fn offered_categories_of(conn: &Connection, id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.name FROM postmortem_categories pc JOIN categories c ON c.id = pc.category_id
         WHERE pc.postmortem_id = ?1 AND c.retired = 0 ORDER BY pc.position",
    )?;
    let names = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}
