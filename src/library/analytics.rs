//! Learning analytics: the facts every figure is counted from, loaded once per request.

use super::Library;
use crate::analysis::facts::IncidentFacts;
use crate::store;
use crate::Result;

impl Library {
    /// What the analytics know of every incident in the library, oldest first.
    pub fn incident_facts(&self) -> Result<Vec<IncidentFacts>> {
        store::analytics::facts(&self.conn)
    }
}
