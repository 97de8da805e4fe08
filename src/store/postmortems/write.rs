//! Writing a postmortem: a new one whole ([`insert`]), a stored one by what changed
//! ([`update`]). Child rows are matched to the stored ones by id (by position for the people
//! and the review history, which have none; by name for services, categories and tags), and
//! only the rows added, changed or removed are written: an autosave that edited one timeline
//! event writes that event's row, the postmortem's row and a revision. Callers run these in a
//! transaction, and give [`update`] the stored version they loaded in it.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Transaction};

use crate::clock::new_id;
use crate::history::Why;
use crate::model::*;
use crate::store::fmt_time;
use crate::store::revisions;
use crate::store::taxonomy::{ensure_name, NameTable};
use crate::Result;

/// Stores a new postmortem: its row and every child row.
pub fn insert(tx: &Transaction, pm: &Postmortem) -> Result<()> {
    write_row(tx, pm)?;
    write_children(tx, None, pm)
}

/// Stores `pm` over `stored`, the version of it that `tx` loaded: keeps `stored` as a
/// revision, writes the postmortem's row (which queues it for the search index) and only the
/// child rows that differ.
pub fn update(tx: &Transaction, stored: &Postmortem, pm: &Postmortem, why: Why) -> Result<()> {
    update_in(tx, stored, pm, why, false)
}

/// [`update`] for an editor's save that continues its editing session: no second revision
/// when the session's earlier save kept one (see [`revisions::add`]).
pub fn update_in(tx: &Transaction, stored: &Postmortem, pm: &Postmortem, why: Why, in_session: bool) -> Result<()> {
    debug_assert_eq!(stored.id, pm.id, "a postmortem is written over its own stored version");
    revisions::add(tx, stored, why, in_session)?;
    write_row(tx, pm)?;
    write_children(tx, Some(stored), pm)
}

/// The postmortem's own row, inserted or updated. Written on every save, changed or not: its
/// triggers queue the postmortem for the search index.
fn write_row(tx: &Transaction, pm: &Postmortem) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO postmortems (id, title, incident_date, severity, status, template, near_miss,
            novel_failure_mode, users_affected_pct, revenue_impact, support_tickets,
            error_budget_consumed_pct, data_impact, created_at, updated_at, extra, conflicts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
         ON CONFLICT(id) DO UPDATE SET title = excluded.title, incident_date = excluded.incident_date,
            severity = excluded.severity, status = excluded.status, template = excluded.template,
            near_miss = excluded.near_miss, novel_failure_mode = excluded.novel_failure_mode,
            users_affected_pct = excluded.users_affected_pct, revenue_impact = excluded.revenue_impact,
            support_tickets = excluded.support_tickets,
            error_budget_consumed_pct = excluded.error_budget_consumed_pct,
            data_impact = excluded.data_impact, created_at = excluded.created_at,
            updated_at = excluded.updated_at, extra = excluded.extra, conflicts = excluded.conflicts,
            writes = postmortems.writes + 1",
    )?
    .execute(params![
        pm.id,
        pm.title,
        pm.incident_date.to_string(),
        pm.severity.as_str(),
        pm.status.as_str(),
        pm.template,
        pm.near_miss,
        pm.novel_failure_mode,
        pm.users_affected_pct,
        pm.revenue_impact,
        pm.support_tickets,
        pm.error_budget_consumed_pct,
        pm.data_impact,
        fmt_time(&pm.created_at),
        fmt_time(&pm.updated_at),
        // Display of a JSON value cannot fail, unlike `serde_json::to_string`.
        (!pm.extra.is_empty()).then(|| serde_json::Value::Object(pm.extra.clone()).to_string()),
        // Strings and JSON values only: serializing cannot fail.
        (!pm.conflicts.is_empty()).then(|| serde_json::json!(pm.conflicts).to_string()),
    ])?;
    Ok(())
}

/// Brings the child rows from `stored` (none for a new postmortem) to `pm`.
fn write_children(tx: &Transaction, stored: Option<&Postmortem>, pm: &Postmortem) -> Result<()> {
    let id = pm.id.as_str();
    people(tx, id, stored, pm)?;
    for (table, link, column, pick) in LINKS {
        links(tx, id, (table, link, column), stored.map_or(&[][..], |s| pick(s)), pick(pm))?;
    }
    sections(tx, id, stored.map_or(&[][..], |s| &s.sections), &pm.sections)?;
    status_history(tx, id, stored.map_or(&[][..], |s| &s.status_history), &pm.status_history)?;
    timeline(tx, id, stored.map_or(&[][..], |s| &s.timeline), &pm.timeline)?;
    whys(tx, id, stored.map_or(&[][..], |s| &s.whys), &pm.whys)?;
    fishbones(tx, id, stored.map_or(&[][..], |s| &s.fishbones), &pm.fishbones)?;
    factors(tx, id, stored.map_or(&[][..], |s| &s.contributing_factors), &pm.contributing_factors)?;
    action_items(tx, id, stored.map_or(&[][..], |s| &s.action_items), &pm.action_items)
}

/// Whether a row is new or replaces the stored one with the same id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Insert,
    Update,
}

/// What to do to one child table: the rows to insert or update, in the order wanted (parents
/// before their children), and the ids of stored rows to delete.
struct Plan<'a, R> {
    writes: Vec<(Op, &'a str, R)>,
    deletes: Vec<&'a str>,
}

/// Matches the `wanted` rows of a child table to the `stored` ones by id. Each row is its id
/// and the columns that are compared: parent, position, values.
fn plan<'a, R: PartialEq>(stored: Vec<(&'a str, R)>, wanted: Vec<(&'a str, R)>) -> Plan<'a, R> {
    let wanted_ids: HashSet<&str> = wanted.iter().map(|(id, _)| *id).collect();
    let deletes = stored.iter().map(|(id, _)| *id).filter(|id| !wanted_ids.contains(id)).collect();
    let mut before: HashMap<&str, R> = stored.into_iter().collect();
    let writes = wanted
        .into_iter()
        .filter_map(|(id, row)| match before.remove(id) {
            None => Some((Op::Insert, id, row)),
            Some(old) if old != row => Some((Op::Update, id, row)),
            Some(_) => None,
        })
        .collect();
    Plan { writes, deletes }
}

/// Deletes rows of `table` by id (their own children go with them, by cascade).
fn delete(tx: &Transaction, table: &str, ids: &[&str]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut stmt = tx.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?;
    for id in ids {
        stmt.execute([id])?;
    }
    Ok(())
}

/// Rows kept by position (they have no id of their own): for each position, whether it is
/// stored, wanted, or both and different.
fn by_position<'a, T: PartialEq>(stored: &'a [T], wanted: &'a [T]) -> impl Iterator<Item = (usize, Option<&'a T>)> {
    (0..stored.len().max(wanted.len())).filter_map(move |i| match (stored.get(i), wanted.get(i)) {
        (Some(a), Some(b)) if a == b => None,
        (_, b) => Some((i, b)),
    })
}

const PERSON_KINDS: [&str; 4] = ["author", "incident_commander", "reviewer", "participant"];

/// The people of `pm` in one role, as `(name, role)` in order.
fn people_of<'a>(pm: &'a Postmortem, kind: &str) -> Vec<(&'a str, &'a str)> {
    let names = |list: &'a [String]| list.iter().map(|n| (n.as_str(), "")).collect();
    match kind {
        "author" => names(&pm.authors),
        "incident_commander" => pm.incident_commander.iter().map(|n| (n.as_str(), "")).collect(),
        "reviewer" => names(&pm.reviewers),
        _ => pm.participants.iter().map(|p| (p.name.as_str(), p.role.as_str())).collect(),
    }
}

fn people(tx: &Transaction, pm_id: &str, stored: Option<&Postmortem>, pm: &Postmortem) -> Result<()> {
    for kind in PERSON_KINDS {
        let before = stored.map(|s| people_of(s, kind)).unwrap_or_default();
        let wanted = people_of(pm, kind);
        for (position, row) in by_position(&before, &wanted) {
            let position = position as i64;
            match row {
                Some((name, role)) if position < before.len() as i64 => {
                    let person = ensure_name(tx, NameTable::People, name)?;
                    tx.prepare_cached(
                        "UPDATE postmortem_people SET person_id = ?4, role = ?5
                         WHERE postmortem_id = ?1 AND kind = ?2 AND position = ?3",
                    )?
                    .execute(params![pm_id, kind, position, person, role])?;
                }
                Some((name, role)) => {
                    let person = ensure_name(tx, NameTable::People, name)?;
                    tx.prepare_cached(
                        "INSERT INTO postmortem_people (postmortem_id, person_id, kind, role, position)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![pm_id, person, kind, role, position])?;
                }
                None => {
                    tx.prepare_cached(
                        "DELETE FROM postmortem_people WHERE postmortem_id = ?1 AND kind = ?2 AND position = ?3",
                    )?
                    .execute(params![pm_id, kind, position])?;
                }
            }
        }
    }
    Ok(())
}

type Pick = fn(&Postmortem) -> &[String];

/// The name lists linked through a table: the names' table, the link table, its column.
const LINKS: [(NameTable, &str, &str, Pick); 3] = [
    (NameTable::Services, "postmortem_services", "service_id", |p| &p.services),
    (NameTable::Categories, "postmortem_categories", "category_id", |p| &p.categories),
    (NameTable::Tags, "postmortem_tags", "tag_id", |p| &p.tags),
];

/// A link row is the postmortem and the name's row (the primary key) with a position: names
/// no longer listed are unlinked first, then moved ones get their new position and new ones
/// are linked.
fn links(
    tx: &Transaction,
    pm_id: &str,
    (names, link, column): (NameTable, &str, &str),
    stored: &[String],
    wanted: &[String],
) -> Result<()> {
    let table = names.table();
    let name_row = format!("(SELECT id FROM {table} WHERE name = ?2)");
    let before: HashMap<&str, usize> = stored.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let keep: HashSet<&str> = wanted.iter().map(String::as_str).collect();
    for name in stored.iter().filter(|n| !keep.contains(n.as_str())) {
        tx.prepare_cached(&format!("DELETE FROM {link} WHERE postmortem_id = ?1 AND {column} = {name_row}"))?
            .execute(params![pm_id, name])?;
    }
    for (i, name) in wanted.iter().enumerate() {
        match before.get(name.as_str()) {
            Some(&j) if j == i => {}
            Some(_) => {
                tx.prepare_cached(&format!(
                    "UPDATE {link} SET position = ?3 WHERE postmortem_id = ?1 AND {column} = {name_row}"
                ))?
                .execute(params![pm_id, name, i as i64])?;
            }
            None => {
                let id = ensure_name(tx, names, name)?;
                tx.prepare_cached(&format!(
                    "INSERT INTO {link} (postmortem_id, {column}, position) VALUES (?1, ?2, ?3)"
                ))?
                .execute(params![pm_id, id, i as i64])?;
            }
        }
    }
    Ok(())
}

fn sections(tx: &Transaction, pm_id: &str, stored: &[Section], wanted: &[Section]) -> Result<()> {
    fn rows(list: &[Section]) -> Vec<(&str, (i64, &Section))> {
        list.iter().enumerate().map(|(i, s)| (s.id.as_str(), (i as i64, s))).collect()
    }
    let plan = plan(rows(stored), rows(wanted));
    for (op, id, (position, s)) in plan.writes {
        let sql = match op {
            Op::Insert => {
                "INSERT INTO sections (id, postmortem_id, position, key, heading, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
            }
            Op::Update => "UPDATE sections SET position = ?3, key = ?4, heading = ?5, body = ?6 WHERE id = ?1 AND postmortem_id = ?2",
        };
        tx.prepare_cached(sql)?.execute(params![id, pm_id, position, s.key, s.heading, s.body])?;
    }
    delete(tx, "sections", &plan.deletes)
}

/// The review history has no ids in the model: rows go by position (the history only grows,
/// so a status change writes one row).
fn status_history(tx: &Transaction, pm_id: &str, stored: &[StatusChange], wanted: &[StatusChange]) -> Result<()> {
    for (position, change) in by_position(stored, wanted) {
        let position = position as i64;
        match change {
            Some(c) if position < stored.len() as i64 => {
                tx.prepare_cached(
                    "UPDATE status_changes SET from_status = ?3, to_status = ?4, changed_by = ?5, changed_at = ?6
                     WHERE postmortem_id = ?1 AND position = ?2",
                )?
                .execute(params![
                    pm_id,
                    position,
                    c.from.as_str(),
                    c.to.as_str(),
                    c.by,
                    fmt_time(&c.at)
                ])?;
            }
            Some(c) => {
                tx.prepare_cached(
                    "INSERT INTO status_changes (id, postmortem_id, position, from_status, to_status, changed_by, changed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![new_id(), pm_id, position, c.from.as_str(), c.to.as_str(), c.by, fmt_time(&c.at)])?;
            }
            None => {
                tx.prepare_cached("DELETE FROM status_changes WHERE postmortem_id = ?1 AND position = ?2")?
                    .execute(params![pm_id, position])?;
            }
        }
    }
    Ok(())
}

fn timeline(tx: &Transaction, pm_id: &str, stored: &[TimelineEvent], wanted: &[TimelineEvent]) -> Result<()> {
    fn rows(list: &[TimelineEvent]) -> Vec<(&str, (i64, &TimelineEvent))> {
        list.iter().enumerate().map(|(i, e)| (e.id.as_str(), (i as i64, e))).collect()
    }
    let plan = plan(rows(stored), rows(wanted));
    for (op, id, (position, e)) in plan.writes {
        let sql = match op {
            Op::Insert => {
                "INSERT INTO timeline_events (id, postmortem_id, position, at, approximate, kind, marker, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            }
            Op::Update => {
                "UPDATE timeline_events SET position = ?3, at = ?4, approximate = ?5, kind = ?6, marker = ?7, text = ?8
                 WHERE id = ?1 AND postmortem_id = ?2"
            }
        };
        tx.prepare_cached(sql)?.execute(params![
            id,
            pm_id,
            position,
            fmt_time(&e.at),
            e.approximate,
            e.kind.as_str(),
            e.marker.map(Marker::as_str),
            e.text
        ])?;
    }
    delete(tx, "timeline_events", &plan.deletes)
}

/// Chains, then their steps (parents first, each with its place in the user's list, which may
/// name a step before the one it answers), then the steps' evidence; removed steps and chains
/// go last, once every step that stays has moved to where it now belongs.
fn whys(tx: &Transaction, pm_id: &str, stored: &[WhysChain], wanted: &[WhysChain]) -> Result<()> {
    fn chains(list: &[WhysChain]) -> Vec<(&str, (i64, &str))> {
        list.iter().enumerate().map(|(i, c)| (c.id.as_str(), (i as i64, c.problem.as_str()))).collect()
    }
    let chain_plan = plan(chains(stored), chains(wanted));
    for (op, id, (position, problem)) in &chain_plan.writes {
        let sql = match op {
            Op::Insert => "INSERT INTO whys_chains (id, postmortem_id, position, problem) VALUES (?1, ?2, ?3, ?4)",
            Op::Update => "UPDATE whys_chains SET position = ?3, problem = ?4 WHERE id = ?1 AND postmortem_id = ?2",
        };
        tx.prepare_cached(sql)?.execute(params![id, pm_id, position, problem])?;
    }

    type Step<'a> = (&'a str, Option<&'a str>, i64, &'a str, &'a str);
    fn steps(list: &[WhysChain]) -> Vec<(&str, Step<'_>)> {
        list.iter()
            .flat_map(|c| {
                parents_first(&c.steps).into_iter().map(move |j| {
                    let s = &c.steps[j];
                    (
                        s.id.as_str(),
                        (c.id.as_str(), s.parent_id.as_deref(), j as i64, s.question.as_str(), s.answer.as_str()),
                    )
                })
            })
            .collect()
    }
    let step_plan = plan(steps(stored), steps(wanted));
    for (op, id, (chain, parent, position, question, answer)) in &step_plan.writes {
        let sql = match op {
            Op::Insert => {
                "INSERT INTO whys_steps (id, chain_id, parent_id, position, question, answer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
            }
            Op::Update => {
                "UPDATE whys_steps SET chain_id = ?2, parent_id = ?3, position = ?4, question = ?5, answer = ?6
                 WHERE id = ?1"
            }
        };
        tx.prepare_cached(sql)?.execute(params![id, chain, parent, position, question, answer])?;
    }

    let evidence_before: HashMap<&str, &[String]> =
        stored.iter().flat_map(|c| &c.steps).map(|s| (s.id.as_str(), s.evidence.as_slice())).collect();
    for step in wanted.iter().flat_map(|c| &c.steps) {
        match evidence_before.get(step.id.as_str()) {
            Some(before) if *before == step.evidence.as_slice() => continue,
            Some(_) => {
                tx.prepare_cached("DELETE FROM whys_evidence WHERE step_id = ?1")?.execute([&step.id])?;
            }
            None => {}
        }
        for (k, event) in step.evidence.iter().enumerate() {
            tx.prepare_cached("INSERT INTO whys_evidence (step_id, event_id, position) VALUES (?1, ?2, ?3)")?
                .execute(params![step.id, event, k as i64])?;
        }
    }

    delete(tx, "whys_steps", &step_plan.deletes)?;
    delete(tx, "whys_chains", &chain_plan.deletes)
}

/// Indexes of `steps` in an order where every step comes after its parent. Validation has
/// made sure the parents form a tree; a step whose parent is missing goes last.
fn parents_first(steps: &[WhyStep]) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::with_capacity(steps.len());
    let mut placed = HashSet::new();
    while order.len() < steps.len() {
        let before = order.len();
        for (j, s) in steps.iter().enumerate() {
            let ready = s.parent_id.as_deref().is_none_or(|p| placed.contains(p));
            if !placed.contains(s.id.as_str()) && ready {
                placed.insert(s.id.as_str());
                order.push(j);
            }
        }
        if order.len() == before {
            // No progress: what is left has no parent among the steps; let the database say so.
            order.extend((0..steps.len()).filter(|j| !placed.contains(steps[*j].id.as_str())));
        }
    }
    order
}

/// Fishbones, their categories, then the causes (parents first); removed causes, categories
/// and fishbones go last, once every cause that stays has moved to where it now belongs.
fn fishbones(tx: &Transaction, pm_id: &str, stored: &[Fishbone], wanted: &[Fishbone]) -> Result<()> {
    fn diagrams(list: &[Fishbone]) -> Vec<(&str, (i64, &str))> {
        list.iter().enumerate().map(|(i, f)| (f.id.as_str(), (i as i64, f.effect.as_str()))).collect()
    }
    let diagram_plan = plan(diagrams(stored), diagrams(wanted));
    for (op, id, (position, effect)) in &diagram_plan.writes {
        let sql = match op {
            Op::Insert => "INSERT INTO fishbones (id, postmortem_id, position, effect) VALUES (?1, ?2, ?3, ?4)",
            Op::Update => "UPDATE fishbones SET position = ?3, effect = ?4 WHERE id = ?1 AND postmortem_id = ?2",
        };
        tx.prepare_cached(sql)?.execute(params![id, pm_id, position, effect])?;
    }

    fn categories(list: &[Fishbone]) -> Vec<(&str, (&str, i64, &str))> {
        list.iter()
            .flat_map(|f| {
                f.categories
                    .iter()
                    .enumerate()
                    .map(move |(j, c)| (c.id.as_str(), (f.id.as_str(), j as i64, c.name.as_str())))
            })
            .collect()
    }
    let category_plan = plan(categories(stored), categories(wanted));
    for (op, id, (fishbone, position, name)) in &category_plan.writes {
        let sql = match op {
            Op::Insert => "INSERT INTO fishbone_categories (id, fishbone_id, position, name) VALUES (?1, ?2, ?3, ?4)",
            Op::Update => "UPDATE fishbone_categories SET fishbone_id = ?2, position = ?3, name = ?4 WHERE id = ?1",
        };
        tx.prepare_cached(sql)?.execute(params![id, fishbone, position, name])?;
    }

    fn causes(list: &[Fishbone]) -> Vec<CauseRow<'_>> {
        let mut rows = Vec::new();
        for category in list.iter().flat_map(|f| &f.categories) {
            cause_rows(&category.id, None, &category.causes, &mut rows);
        }
        rows
    }
    let cause_plan = plan(causes(stored), causes(wanted));
    for (op, id, (category, parent, position, text)) in &cause_plan.writes {
        let sql = match op {
            Op::Insert => {
                "INSERT INTO fishbone_causes (id, category_id, parent_id, position, text) VALUES (?1, ?2, ?3, ?4, ?5)"
            }
            Op::Update => {
                "UPDATE fishbone_causes SET category_id = ?2, parent_id = ?3, position = ?4, text = ?5 WHERE id = ?1"
            }
        };
        tx.prepare_cached(sql)?.execute(params![id, category, parent, position, text])?;
    }

    delete(tx, "fishbone_causes", &cause_plan.deletes)?;
    delete(tx, "fishbone_categories", &category_plan.deletes)?;
    delete(tx, "fishbones", &diagram_plan.deletes)
}

type CauseRow<'a> = (&'a str, (&'a str, Option<&'a str>, i64, &'a str));

/// A category's causes as rows, each before its children.
fn cause_rows<'a>(
    category: &'a str,
    parent: Option<&'a str>,
    causes: &'a [FishboneCause],
    out: &mut Vec<CauseRow<'a>>,
) {
    for (i, c) in causes.iter().enumerate() {
        out.push((c.id.as_str(), (category, parent, i as i64, c.text.as_str())));
        cause_rows(category, Some(&c.id), &c.children, out);
    }
}

fn factors(tx: &Transaction, pm_id: &str, stored: &[ContributingFactor], wanted: &[ContributingFactor]) -> Result<()> {
    fn rows(list: &[ContributingFactor]) -> Vec<(&str, (i64, &ContributingFactor))> {
        list.iter().enumerate().map(|(i, f)| (f.id.as_str(), (i as i64, f))).collect()
    }
    let plan = plan(rows(stored), rows(wanted));
    for (op, id, (position, f)) in plan.writes {
        let sql = match op {
            Op::Insert => {
                "INSERT INTO contributing_factors (id, postmortem_id, position, text, category, source_step_id, source_cause_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            }
            Op::Update => {
                "UPDATE contributing_factors SET position = ?3, text = ?4, category = ?5, source_step_id = ?6,
                    source_cause_id = ?7
                 WHERE id = ?1 AND postmortem_id = ?2"
            }
        };
        tx.prepare_cached(sql)?.execute(params![
            id,
            pm_id,
            position,
            f.text,
            f.category,
            f.source_step_id,
            f.source_cause_id
        ])?;
    }
    delete(tx, "contributing_factors", &plan.deletes)
}

fn action_items(tx: &Transaction, pm_id: &str, stored: &[ActionItem], wanted: &[ActionItem]) -> Result<()> {
    fn rows(list: &[ActionItem]) -> Vec<(&str, (i64, &ActionItem))> {
        list.iter().enumerate().map(|(i, a)| (a.id.as_str(), (i as i64, a))).collect()
    }
    let plan = plan(rows(stored), rows(wanted));
    for (op, id, (position, a)) in plan.writes {
        let owner = a.owner.as_deref().map(|o| ensure_name(tx, NameTable::People, o)).transpose()?;
        let sql = match op {
            Op::Insert => {
                "INSERT INTO action_items (id, postmortem_id, position, title, description, owner_id, due_date,
                    priority, kind, status, wont_do_reason, tracker_url, created_at, completed_at,
                    source_step_id, source_factor_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"
            }
            Op::Update => {
                "UPDATE action_items SET position = ?3, title = ?4, description = ?5, owner_id = ?6, due_date = ?7,
                    priority = ?8, kind = ?9, status = ?10, wont_do_reason = ?11, tracker_url = ?12,
                    created_at = ?13, completed_at = ?14, source_step_id = ?15, source_factor_id = ?16
                 WHERE id = ?1 AND postmortem_id = ?2"
            }
        };
        tx.prepare_cached(sql)?.execute(params![
            id,
            pm_id,
            position,
            a.title,
            a.description,
            owner,
            a.due_date.map(|d| d.to_string()),
            a.priority.as_str(),
            a.kind.as_str(),
            a.status.as_str(),
            a.wont_do_reason,
            a.tracker_url,
            fmt_time(&a.created_at),
            a.completed_at.as_ref().map(fmt_time),
            a.source_step_id,
            a.source_factor_id
        ])?;
    }
    delete(tx, "action_items", &plan.deletes)
}
