//! The sample library: realistic postmortems written for the project (not real incidents),
//! embedded in the binary. `debrief demo` and the app's first launch load it.
//!
//! The file is anchored in time; at load it is shifted by whole weeks so that its newest
//! incident falls about two weeks before today. That keeps weekdays, keeps the spread over
//! twelve months, and keeps some action items overdue whenever it is loaded.

use chrono::{Duration, NaiveDate};

use super::json::LibraryDocument;
use crate::Result;

const SAMPLE: &str = include_str!("../sample/sample-library.json");

/// The sample library, shifted relative to `today`.
pub fn document(today: NaiveDate) -> Result<LibraryDocument> {
    let mut doc = LibraryDocument::parse(SAMPLE, "sample-library.json")?;
    let newest = doc.postmortems.iter().map(|p| p.incident_date).max().unwrap_or(today);
    let target = today - Duration::days(14);
    let weeks = (target - newest).num_days().div_euclid(7);
    shift(&mut doc, Duration::days(weeks * 7));
    Ok(doc)
}

fn shift(doc: &mut LibraryDocument, by: Duration) {
    for pm in &mut doc.postmortems {
        pm.incident_date += by;
        pm.created_at += by;
        pm.updated_at += by;
        for e in &mut pm.timeline {
            e.at += by;
        }
        for c in &mut pm.status_history {
            c.at += by;
        }
        for a in &mut pm.action_items {
            a.created_at += by;
            a.due_date = a.due_date.map(|d| d + by);
            a.completed_at = a.completed_at.map(|d| d + by);
        }
    }
}
