//! Learning analytics: the facts every figure is counted from, loaded once per request.

use chrono::NaiveDate;

use super::Library;
use crate::analysis::facts::IncidentFacts;
use crate::analysis::patterns::{self, Pattern};
use crate::store;
use crate::{Error, Result};

/// Checks a period's bounds; the error names the flag or field that is wrong.
pub(crate) fn check_period(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if from > to {
        return Err(Error::invalid("from", format!("{from} is after the end of the period ({to})")));
    }
    Ok(())
}

impl Library {
    /// What the analytics know of every incident in the library, oldest first.
    pub fn incident_facts(&self) -> Result<Vec<IncidentFacts>> {
        store::analytics::facts(&self.conn)
    }

    /// The repeat patterns of the incidents in `[from, to]`, each with its rule and its
    /// incidents (see [`crate::analysis::patterns`] for the rules).
    pub fn patterns(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Pattern>> {
        check_period(from, to)?;
        let facts = store::analytics::facts(&self.conn)?;
        let items = store::actions::item_facts(&self.conn)?;
        Ok(patterns::patterns(&facts, &items, from, to))
    }
}
