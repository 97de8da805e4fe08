//! A postmortem's revision history: listing the kept revisions, comparing two versions and
//! restoring one. Which revisions are kept is [`crate::history`]'s policy.

use super::Library;
use crate::history::{self, Why};
use crate::model::{Postmortem, PostmortemView};
use crate::store::{postmortems, revisions};
use crate::wire::{RevisionDiff, RevisionInfo};
use crate::Result;

/// How many changed fields a history entry names.
const SUMMARY_LEN: usize = 4;

impl Library {
    /// The revisions kept for postmortem `id`, newest first, each with what the version that
    /// replaced it changed.
    pub fn history(&self, id: &str) -> Result<Vec<RevisionInfo>> {
        let current = postmortems::load(&self.conn, id)?;
        let kept = revisions::list(&self.conn, &current.id)?;
        let mut out = Vec::with_capacity(kept.len());
        let mut newer = current;
        for k in kept {
            let doc = revisions::load(&self.conn, &newer.id, k.number)?;
            let changes = history::diff(&doc, &newer);
            out.push(RevisionInfo {
                number: k.number,
                written_at: doc.updated_at,
                replaced_at: k.saved_at,
                replaced_by: k.reason,
                title: doc.title.clone(),
                summary: changes.iter().take(SUMMARY_LEN).map(|c| c.label.clone()).collect(),
                changed: changes.len(),
            });
            newer = doc;
        }
        Ok(out)
    }

    /// What changed from revision `from` of postmortem `id` to revision `to`, or to the
    /// current version when `to` is `None`.
    pub fn revision_diff(&self, id: &str, from: i64, to: Option<i64>) -> Result<RevisionDiff> {
        let current = postmortems::load(&self.conn, id)?;
        let before = revisions::load(&self.conn, &current.id, from)?;
        let after = match to {
            Some(n) => revisions::load(&self.conn, &current.id, n)?,
            None => current.clone(),
        };
        Ok(RevisionDiff { postmortem_id: current.id, from, to, changes: history::diff(&before, &after) })
    }

    /// Brings back revision `number` of postmortem `id`: its content replaces the current
    /// version, which is kept as a revision first. The review status and its history stay as
    /// they are (they are the review's record, not the document's content), and so do any
    /// unsettled team-sync conflicts.
    pub fn restore_revision(&mut self, id: &str, number: i64) -> Result<PostmortemView> {
        let old: Postmortem = revisions::load(&self.conn, id, number)?;
        self.rewrite(id, Why::Restore, move |stored, _| {
            let mut pm = old;
            pm.status = stored.status;
            pm.conflicts = stored.conflicts.clone();
            Ok(pm)
        })
    }
}
