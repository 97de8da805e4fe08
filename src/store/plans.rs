//! Query plans of the queries that must stay fast on a large library: the library list in every
//! sort, its count, the action-item board and the start-up counts. The plan test and the list
//! benchmark read them. A per-row subquery that reads an index not narrowed to that row is what
//! once made the library list quadratic (issue 9: the overdue count searched
//! `action_items_by_due (status=? AND due_date<?)`, every overdue item of the library, for each
//! postmortem), so [`QueryPlan::per_row_scans`] names any such step.

use rusqlite::Connection;

use super::postmortems::{list_sql, list_where};
use crate::wire::{ListFilter, ListSortKey, SortDir};
use crate::Result;

/// One query's plan as SQLite reports it, one line per step, indented by depth.
#[derive(Debug, Clone)]
pub struct QueryPlan {
    /// Which query, e.g. "list page by Date Desc" or "board page".
    pub name: String,
    /// The `EXPLAIN QUERY PLAN` steps in order, indented two spaces per level.
    pub lines: Vec<String>,
    /// Steps run for every row of an outer query that are not narrowed to that row.
    per_row_scans: Vec<String>,
}

impl QueryPlan {
    /// Steps that, for every row of an outer query, read a whole table or an index range whose
    /// leading column is not tied to that row: their cost grows with the library, so the
    /// query's grows with its square.
    pub fn per_row_scans(&self) -> &[String] {
        &self.per_row_scans
    }
}

impl std::fmt::Display for QueryPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}:", self.name)?;
        for l in &self.lines {
            writeln!(f, "  {l}")?;
        }
        Ok(())
    }
}

/// The plans of every list and board query, with representative parameters.
pub fn hot_queries(conn: &Connection) -> Result<Vec<QueryPlan>> {
    let mut out = Vec::new();
    // Every filter set, so every condition is planned.
    let all = ListFilter {
        severities: vec![crate::model::Severity::Sev1],
        statuses: vec![crate::model::ReviewStatus::Draft],
        category: Some("x".into()),
        service: Some("x".into()),
        ids: vec!["x".into()],
    };
    for sort in [ListSortKey::Date, ListSortKey::Title, ListSortKey::Severity, ListSortKey::Status] {
        for dir in [SortDir::Desc, SortDir::Asc] {
            out.push(explain(conn, &format!("list page by {sort:?} {dir:?}"), &list_sql(&all, sort, dir, false))?);
        }
    }
    out.push(explain(
        conn,
        "every row of the list (debrief list)",
        &list_sql(&all, ListSortKey::Date, SortDir::Desc, true),
    )?);
    out.push(explain(conn, "list count", &format!("SELECT count(*) FROM postmortems p WHERE {}", list_where(&all)))?);
    out.push(explain(conn, "board page", &super::actions::board_sql())?);
    out.push(explain(conn, "start-up counts", super::actions::COUNTS_SQL)?);
    Ok(out)
}

/// `EXPLAIN QUERY PLAN` of `sql` with every parameter bound to a plausible value.
fn explain(conn: &Connection, name: &str, sql: &str) -> Result<QueryPlan> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    for i in 1..=stmt.parameter_count() {
        // Filters present (a JSON list, a name, a date) so no branch is planned away.
        stmt.raw_bind_parameter(i, "[\"SEV1\"]")?;
    }
    let mut rows = stmt.raw_query();
    let mut steps: Vec<(i64, i64, String)> = Vec::new();
    while let Some(r) = rows.next()? {
        steps.push((r.get(0)?, r.get(1)?, r.get(3)?));
    }
    let depth_of = |mut parent: i64| {
        let mut depth = 0;
        while let Some((_, p, _)) = steps.iter().find(|(id, _, _)| *id == parent) {
            depth += 1;
            parent = *p;
        }
        depth
    };
    let under_correlated = |mut parent: i64| {
        while let Some((_, p, detail)) = steps.iter().find(|(id, _, _)| *id == parent) {
            if detail.contains("CORRELATED") {
                return true;
            }
            parent = *p;
        }
        false
    };
    let lines = steps.iter().map(|(_, parent, d)| format!("{}{d}", "  ".repeat(depth_of(*parent)))).collect();
    let per_row_scans = steps
        .iter()
        .filter(|(_, parent, d)| under_correlated(*parent) && !narrowed_to_the_row(d))
        .map(|(_, _, d)| d.clone())
        .collect();
    Ok(QueryPlan { name: name.to_string(), lines, per_row_scans })
}

/// Whether a step inside a per-row subquery reads only what belongs to the outer row: a search
/// whose index constraint starts with an equality on the row's key (`postmortem_id=?`,
/// `rowid=?`, `id=?`), or a pass over something already that small (a subquery's result,
/// `json_each` of one value).
fn narrowed_to_the_row(detail: &str) -> bool {
    if detail.starts_with("SCAN (") || detail.contains("json_each") {
        return true;
    }
    if !detail.starts_with("SEARCH ") {
        // SCAN of a table, or anything else reading it whole.
        return !detail.starts_with("SCAN ");
    }
    let constraint = detail.rsplit_once('(').map_or("", |(_, c)| c.trim_end_matches(')'));
    let tied_to_row = ["postmortem_id=?", "rowid=?", "id=?"].iter().any(|key| constraint.starts_with(key));
    // A UNIQUE constraint's index looked up by equality on all it holds finds one row,
    // whatever the library's size (a category by its name).
    let unique_lookup = detail.contains("sqlite_autoindex_")
        && !constraint.is_empty()
        && constraint.split(" AND ").all(|c| c.ends_with("=?") && !c.contains('<') && !c.contains('>'));
    tied_to_row || unique_lookup
}

#[cfg(test)]
mod tests {
    use super::narrowed_to_the_row;

    #[test]
    fn the_old_overdue_count_plan_is_not_narrowed_to_the_row() {
        // The plan SQLite chose before migration 0004.
        assert!(!narrowed_to_the_row(
            "SEARCH a USING INDEX action_items_by_due (status=? AND due_date>? AND due_date<?)"
        ));
        assert!(!narrowed_to_the_row("SCAN a"));
        assert!(narrowed_to_the_row(
            "SEARCH a USING COVERING INDEX action_items_open_by_postmortem (postmortem_id=? AND status=?)"
        ));
        assert!(narrowed_to_the_row("SEARCH s USING INTEGER PRIMARY KEY (rowid=?)"));
        assert!(narrowed_to_the_row("SEARCH c USING INDEX sqlite_autoindex_categories_2 (name=?)"));
        assert!(!narrowed_to_the_row("SEARCH a USING INDEX action_items_by_owner (owner_id=?)"));
        assert!(narrowed_to_the_row("SCAN json_each VIRTUAL TABLE INDEX 0:"));
        assert!(narrowed_to_the_row("SCAN (subquery-2)"));
    }
}
