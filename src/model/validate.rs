//! Validation of a postmortem before it is stored. Every error names the field by a dotted
//! path (`timeline[2].marker`, `action_items[0].title`) so the UI and the CLI can point at it.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};

use super::{ActionStatus, Marker, Postmortem};
use crate::{Error, Result};

/// Longest title accepted.
pub const MAX_TITLE: usize = 200;

fn uuid(field: impl FnOnce() -> String, id: &str) -> Result<()> {
    uuid::Uuid::parse_str(id).map(|_| ()).map_err(|_| Error::invalid(field(), format!("{id:?} is not a UUID")))
}

fn non_empty(field: &str, s: &str) -> Result<()> {
    non_empty_at(|| field.to_string(), s)
}

/// [`non_empty`] for a field whose path (`sections[3].key`) is only made when it is wrong: a
/// large import validates hundreds of thousands of fields.
fn non_empty_at(field: impl FnOnce() -> String, s: &str) -> Result<()> {
    if s.trim().is_empty() {
        return Err(Error::invalid(field(), "must not be empty"));
    }
    // SQLite's text functions stop at a NUL, so the database would see "\0abc" as empty.
    if s.contains('\0') {
        return Err(Error::invalid(field(), "must not contain a NUL character"));
    }
    Ok(())
}

fn names(field: &str, list: &[String]) -> Result<()> {
    let mut seen = HashSet::new();
    for (i, n) in list.iter().enumerate() {
        non_empty_at(|| format!("{field}[{i}]"), n)?;
        if !seen.insert(n.trim().to_lowercase()) {
            return Err(Error::invalid(format!("{field}[{i}]"), format!("{n:?} is listed twice")));
        }
    }
    Ok(())
}

fn pct(field: &str, v: Option<f64>, max: Option<f64>) -> Result<()> {
    if let Some(v) = v {
        if !v.is_finite() || v < 0.0 || max.is_some_and(|m| v > m) {
            let range = max.map_or("0 or more".to_string(), |m| format!("between 0 and {m}"));
            return Err(Error::invalid(field, format!("{v} must be {range}")));
        }
    }
    Ok(())
}

impl Postmortem {
    /// Checks the document; `today` bounds the incident date (a day of slack for time zones).
    pub fn validate<'a>(&'a self, today: NaiveDate) -> Result<()> {
        uuid(|| "id".into(), &self.id)?;
        non_empty("title", &self.title)?;
        if self.title.chars().count() > MAX_TITLE {
            return Err(Error::invalid("title", format!("is longer than {MAX_TITLE} characters")));
        }
        if self.incident_date > today + Duration::days(1) {
            return Err(Error::invalid("incident_date", format!("{} is in the future", self.incident_date)));
        }
        names("authors", &self.authors)?;
        names("reviewers", &self.reviewers)?;
        names("services", &self.services)?;
        names("categories", &self.categories)?;
        names("tags", &self.tags)?;
        if let Some(ic) = &self.incident_commander {
            non_empty("incident_commander", ic)?;
        }
        for (i, p) in self.participants.iter().enumerate() {
            non_empty_at(|| format!("participants[{i}].name"), &p.name)?;
        }
        pct("users_affected_pct", self.users_affected_pct, Some(100.0))?;
        pct("revenue_impact", self.revenue_impact, None)?;
        pct("error_budget_consumed_pct", self.error_budget_consumed_pct, None)?;
        if self.support_tickets.is_some_and(|t| t < 0) {
            return Err(Error::invalid("support_tickets", "must be 0 or more"));
        }

        // Child ids are unique across the whole document: they are stable references.
        let mut ids: HashSet<&str> = HashSet::new();
        let mut unique = |field: &dyn Fn() -> String, id: &'a str| -> Result<()> {
            uuid(field, id)?;
            if !ids.insert(id) {
                return Err(Error::invalid(field(), format!("id {id} is used twice")));
            }
            Ok(())
        };

        let mut keys = HashSet::new();
        for (i, s) in self.sections.iter().enumerate() {
            unique(&|| format!("sections[{i}].id"), &s.id)?;
            non_empty_at(|| format!("sections[{i}].key"), &s.key)?;
            non_empty_at(|| format!("sections[{i}].heading"), &s.heading)?;
            if !keys.insert(s.key.as_str()) {
                return Err(Error::invalid(format!("sections[{i}].key"), format!("{:?} is used twice", s.key)));
            }
        }

        let mut markers: Vec<(Marker, usize)> = Vec::new();
        for (i, e) in self.timeline.iter().enumerate() {
            unique(&|| format!("timeline[{i}].id"), &e.id)?;
            non_empty_at(|| format!("timeline[{i}].text"), &e.text)?;
            if let Some(m) = e.marker {
                if markers.iter().any(|(seen, _)| *seen == m) {
                    return Err(Error::invalid(
                        format!("timeline[{i}].marker"),
                        format!("another event is already marked {}", m.as_str()),
                    ));
                }
                markers.push((m, i));
            }
        }
        // Markers must not go backwards in time (resolved before started, ...).
        for (a, ia) in &markers {
            for (b, ib) in &markers {
                let (ta, tb) = (self.timeline[*ia].at, self.timeline[*ib].at);
                if Marker::ALL.iter().position(|m| m == a) < Marker::ALL.iter().position(|m| m == b) && tb < ta {
                    return Err(Error::invalid(
                        format!("timeline[{ib}].at"),
                        format!("{} ({}) is before {} ({})", b.as_str(), tb, a.as_str(), ta),
                    ));
                }
            }
        }

        for (i, c) in self.whys.iter().enumerate() {
            unique(&|| format!("whys[{i}].id"), &c.id)?;
            let step_ids: HashSet<&str> = c.steps.iter().map(|s| s.id.as_str()).collect();
            for (j, s) in c.steps.iter().enumerate() {
                unique(&|| format!("whys[{i}].steps[{j}].id"), &s.id)?;
                if let Some(p) = &s.parent_id {
                    if !step_ids.contains(p.as_str()) || p == &s.id {
                        return Err(Error::invalid(
                            format!("whys[{i}].steps[{j}].parent_id"),
                            format!("{p} is not another step of this chain"),
                        ));
                    }
                }
            }
            // Parents must form a tree: walking up from any step must end at a root.
            for (j, s) in c.steps.iter().enumerate() {
                let mut cur = s.parent_id.as_deref();
                let mut hops = 0;
                while let Some(p) = cur {
                    hops += 1;
                    if hops > c.steps.len() {
                        return Err(Error::invalid(format!("whys[{i}].steps[{j}].parent_id"), "steps form a cycle"));
                    }
                    cur = c.steps.iter().find(|x| x.id == p).and_then(|x| x.parent_id.as_deref());
                }
            }
        }

        for (i, f) in self.fishbones.iter().enumerate() {
            unique(&|| format!("fishbones[{i}].id"), &f.id)?;
            for (j, cat) in f.categories.iter().enumerate() {
                unique(&|| format!("fishbones[{i}].categories[{j}].id"), &cat.id)?;
                non_empty_at(|| format!("fishbones[{i}].categories[{j}].name"), &cat.name)?;
                let mut stack: Vec<(String, &super::FishboneCause)> = cat
                    .causes
                    .iter()
                    .enumerate()
                    .map(|(k, c)| (format!("fishbones[{i}].categories[{j}].causes[{k}]"), c))
                    .collect();
                while let Some((path, c)) = stack.pop() {
                    unique(&|| format!("{path}.id"), &c.id)?;
                    for (k, child) in c.children.iter().enumerate() {
                        stack.push((format!("{path}.children[{k}]"), child));
                    }
                }
            }
        }

        for (i, f) in self.contributing_factors.iter().enumerate() {
            unique(&|| format!("contributing_factors[{i}].id"), &f.id)?;
            non_empty_at(|| format!("contributing_factors[{i}].text"), &f.text)?;
        }

        for (i, a) in self.action_items.iter().enumerate() {
            unique(&|| format!("action_items[{i}].id"), &a.id)?;
            non_empty_at(|| format!("action_items[{i}].title"), &a.title)?;
            if let Some(o) = &a.owner {
                non_empty_at(|| format!("action_items[{i}].owner"), o)?;
            }
            if a.status == ActionStatus::WontDo && a.wont_do_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                return Err(Error::invalid(
                    format!("action_items[{i}].wont_do_reason"),
                    "say why the item will not be done",
                ));
            }
            if let Some(url) = a.tracker_url.as_deref().filter(|u| !u.trim().is_empty()) {
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(Error::invalid(
                        format!("action_items[{i}].tracker_url"),
                        format!("{url:?} is not a web address (http:// or https://)"),
                    ));
                }
            }
            if let (Some(done), created) = (a.completed_at, a.created_at) {
                if done < created {
                    return Err(Error::invalid(format!("action_items[{i}].completed_at"), "is before created_at"));
                }
            }
        }
        Ok(())
    }
}
