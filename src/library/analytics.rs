//! Learning analytics: the facts every figure is counted from, loaded once per request, and
//! the metrics and repeat patterns of a period.

use chrono::NaiveDate;

use super::Library;
use crate::analysis::facts::IncidentFacts;
use crate::analysis::patterns::{self, Pattern};
use crate::wire::Stats;
use crate::{clock, store, Error, Result};

/// Checks a period's bounds; the error names both flags.
pub(crate) fn check_period(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if from > to {
        return Err(Error::invalid(
            "--from",
            format!("{from} is after --to {to}; the period must start on or before its end"),
        ));
    }
    Ok(())
}

impl Library {
    /// What the analytics know of every incident in the library, oldest first.
    pub fn incident_facts(&self) -> Result<Vec<IncidentFacts>> {
        store::analytics::facts(&self.conn)
    }

    /// The metrics of the incidents dated `from` to `to` (both included), optionally narrowed
    /// to one service, beside those of the period of the same length before it, as of the
    /// clock's now and today (see [`crate::analysis::metrics`] for each figure's rule).
    pub fn stats(&self, from: NaiveDate, to: NaiveDate, service: Option<&str>) -> Result<Stats> {
        check_period(from, to)?;
        let facts = self.incident_facts()?;
        let items = store::actions::item_facts(&self.conn)?;
        let service = service.map(str::trim).filter(|s| !s.is_empty());
        Ok(crate::analysis::metrics::stats(&facts, &items, from, to, service, clock::now(), clock::today()))
    }

    /// The repeat patterns of the incidents in `[from, to]`, each with its rule and its
    /// incidents (see [`crate::analysis::patterns`] for the rules).
    pub fn patterns(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Pattern>> {
        check_period(from, to)?;
        let facts = self.incident_facts()?;
        let items = store::actions::item_facts(&self.conn)?;
        Ok(patterns::patterns(&facts, &items, from, to))
    }
}
