//! Managing the taxonomy: adding, renaming, merging and retiring categories, services and
//! root-cause types, a service's team and SLO, and the category a new postmortem is likely to
//! need. Each change is one transaction; a rename or merge relabels every postmortem and
//! brings the search index up to date.

use std::collections::HashMap;

use super::Library;
use crate::model::Service;
use crate::store::taxonomy;
use crate::wire::{DraftText, ServiceChanges, SimilarHit, TaxonomyKind};
use crate::{Error, Result};

/// How many similar incidents a category suggestion looks at.
const SUGGESTION_NEIGHBOURS: usize = 10;

/// `name` trimmed, or a validation error naming `field` when nothing is left.
fn name_in(field: &str, name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    Ok(name.to_string())
}

impl Library {
    /// Adds a category or a root-cause type with its description (services: see
    /// [`Library::add_service`], which this calls with no team or SLO).
    pub fn add_taxonomy(&mut self, kind: TaxonomyKind, name: &str, description: &str) -> Result<()> {
        let name = name_in("name", name)?;
        let description = description.trim();
        if kind == TaxonomyKind::Service {
            let service = Service {
                name,
                description: description.to_string(),
                slo_target: None,
                slo_window_days: None,
                team: None,
                retired: false,
            };
            return self.add_service(service).map(|_| ());
        }
        let tx = self.conn.transaction()?;
        // A root-cause type only factors name so far may be added: that makes it managed.
        let stored = match kind {
            TaxonomyKind::Cause => {
                taxonomy::cause_types(&tx)?.into_iter().find(|t| t.name.eq_ignore_ascii_case(&name)).map(|t| t.name)
            }
            _ => taxonomy::spelling(&tx, kind, &name)?,
        };
        if let Some(existing) = stored {
            return Err(Error::invalid("name", format!("a {} called {existing:?} already exists", kind.as_str())));
        }
        match kind {
            TaxonomyKind::Category => taxonomy::add_category(&tx, &name, description)?,
            _ => taxonomy::add_cause_type(&tx, &name, description)?,
        }
        taxonomy::drop_alias(&tx, kind, &name)?;
        tx.commit()?;
        Ok(())
    }

    /// Adds a service with its description, owning team and SLO (validated, errors naming the
    /// field).
    pub fn add_service(&mut self, mut service: Service) -> Result<Service> {
        service.name = name_in("name", &service.name)?;
        service.description = service.description.trim().to_string();
        service.team = service.team.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        service.retired = false;
        service.validate()?;
        let tx = self.conn.transaction()?;
        if let Some(existing) = taxonomy::spelling(&tx, TaxonomyKind::Service, &service.name)? {
            return Err(Error::invalid("name", format!("a service called {existing:?} already exists")));
        }
        taxonomy::upsert_service(&tx, &service)?;
        taxonomy::drop_alias(&tx, TaxonomyKind::Service, &service.name)?;
        tx.commit()?;
        Ok(service)
    }

    /// Changes a service's team, SLO target, SLO window or description; fields left `None`
    /// stay as they are, an empty team clears it.
    pub fn update_service(&mut self, name: &str, changes: &ServiceChanges) -> Result<Service> {
        let tx = self.conn.transaction()?;
        let mut service = taxonomy::services(&tx)?
            .into_iter()
            .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| Error::NotFound { what: "service", id: name.trim().to_string() })?;
        if let Some(team) = &changes.team {
            service.team = Some(team.trim().to_string()).filter(|t| !t.is_empty());
        }
        if let Some(t) = changes.slo_target {
            service.slo_target = Some(t);
        }
        if let Some(days) = changes.slo_window_days {
            service.slo_window_days = Some(days);
        }
        if let Some(d) = &changes.description {
            service.description = d.trim().to_string();
        }
        service.validate()?;
        taxonomy::upsert_service(&tx, &service)?;
        tx.commit()?;
        Ok(service)
    }

    /// Renames a category, service or root-cause type, relabelling every postmortem (prevention
    /// ROI inputs follow a category). Changing only the case is a rename; a name another entry
    /// has is refused, suggesting a merge. Returns how many postmortems were relabelled.
    pub fn rename_taxonomy(&mut self, kind: TaxonomyKind, name: &str, new_name: &str) -> Result<usize> {
        let new_name = name_in("new_name", new_name)?;
        let tx = self.conn.transaction()?;
        let from = known(&tx, kind, name)?;
        if let Some(other) = taxonomy::spelling(&tx, kind, &new_name)? {
            if !other.eq_ignore_ascii_case(&from) {
                return Err(Error::invalid(
                    "new_name",
                    format!(
                        "a {k} called {other:?} already exists; to relabel {from:?} as it, merge them \
                         (taxonomy merge {k} {from:?} {other:?})",
                        k = kind.as_str()
                    ),
                ));
            }
        }
        let relabelled = taxonomy::rename(&tx, kind, &from, &new_name)?;
        tx.commit()?;
        self.sync_index()?;
        Ok(relabelled.len())
    }

    /// Merges `name` into `into`: every postmortem labelled `name` gets `into` (once), then
    /// `name` is deleted. A category's prevention-ROI inputs move to `into` unless it has its
    /// own. All or nothing. Returns how many postmortems were relabelled.
    pub fn merge_taxonomy(&mut self, kind: TaxonomyKind, name: &str, into: &str) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let from = known(&tx, kind, name)?;
        let into = known(&tx, kind, into)?;
        if from.eq_ignore_ascii_case(&into) {
            return Err(Error::invalid("into", format!("{into:?} is the {} being merged", kind.as_str())));
        }
        let relabelled = taxonomy::merge(&tx, kind, &from, &into)?;
        tx.commit()?;
        self.sync_index()?;
        Ok(relabelled.len())
    }

    /// Retires a category, service or root-cause type (`retired` true), or brings it back:
    /// postmortems keep it either way; a retired one is marked in [`Library::taxonomy`] and
    /// no longer offered.
    pub fn retire_taxonomy(&mut self, kind: TaxonomyKind, name: &str, retired: bool) -> Result<()> {
        let tx = self.conn.transaction()?;
        let stored = known(&tx, kind, name)?;
        taxonomy::set_retired(&tx, kind, &stored, retired)?;
        tx.commit()?;
        Ok(())
    }

    /// Sets what a category, service or root-cause type is or covers (trimmed; empty clears
    /// it). An unknown name fails naming it.
    pub fn describe_taxonomy(&mut self, kind: TaxonomyKind, name: &str, description: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        let stored = known(&tx, kind, name)?;
        taxonomy::set_description(&tx, kind, &stored, description.trim())?;
        tx.commit()?;
        Ok(())
    }

    /// The category a new postmortem most likely needs: the most common category (not
    /// retired, not already chosen) among the incidents most similar to the draft, ties going
    /// to the one the closer incident has, with the similar incidents that carry it, closest
    /// first. `None` when no similar incident has such a category.
    pub fn suggest_category(&mut self, draft: &DraftText) -> Result<Option<(String, Vec<SimilarHit>)>> {
        let hits = self.similar_to_draft(draft, SUGGESTION_NEIGHBOURS)?;
        // Per category (by lowercase name): its spelling, the hits carrying it, first rank.
        let mut tally: HashMap<String, (String, Vec<SimilarHit>, usize)> = HashMap::new();
        for (rank, hit) in hits.into_iter().enumerate() {
            for c in taxonomy::offered_categories_of(&self.conn, &hit.id)? {
                if draft.categories.iter().any(|d| d.trim().eq_ignore_ascii_case(&c)) {
                    continue;
                }
                tally.entry(c.to_lowercase()).or_insert_with(|| (c, Vec::new(), rank)).1.push(hit.clone());
            }
        }
        let best = tally.into_values().max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.2.cmp(&a.2)));
        Ok(best.map(|(name, hits, _)| (name, hits)))
    }
}

/// The stored spelling of `name`, or not-found naming the kind.
fn known(conn: &rusqlite::Connection, kind: TaxonomyKind, name: &str) -> Result<String> {
    taxonomy::spelling(conn, kind, name.trim())?
        .ok_or_else(|| Error::NotFound { what: kind.as_str(), id: name.trim().to_string() })
}
