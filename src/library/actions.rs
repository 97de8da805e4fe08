//! The action-item board across the library: pages of items, bulk status changes, quick
//! edits, and follow-through metrics.

use chrono::NaiveDate;

use super::{checked, ready_for_save, write_all, write_over, Library};
use crate::analysis::followthrough::FollowThrough;
use crate::history::Why;
use crate::model::*;
use crate::store::{self, postmortems};
use crate::wire::{ActionFilter, ActionPage, ActionRow};
use crate::{Error, Result};

impl Library {
    /// Action items across the library matching `filter`, as of `today` (overdue, days open).
    pub fn actions(&self, filter: &ActionFilter, today: NaiveDate) -> Result<Vec<ActionRow>> {
        Ok(self.actions_page(filter, today)?.rows)
    }

    /// A page of the board (`filter.limit`, `filter.offset`) and the number of matching items.
    pub fn actions_page(&self, filter: &ActionFilter, today: NaiveDate) -> Result<ActionPage> {
        store::actions::board(&self.conn, filter, today)
    }

    /// Open and overdue action items as of `today`.
    pub fn action_counts(&self, today: NaiveDate) -> Result<(i64, i64)> {
        store::actions::counts(&self.conn, today)
    }

    /// Sets the status of every item in `item_ids` (a bulk change on the board), all or
    /// nothing. Won't-do needs a `reason`. Returns how many items changed.
    pub fn set_action_status(
        &mut self,
        item_ids: &[String],
        status: ActionStatus,
        reason: Option<&str>,
    ) -> Result<usize> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if status == ActionStatus::WontDo && reason.is_none() {
            return Err(Error::invalid("wont_do_reason", "say why the item will not be done"));
        }
        let before = self.facts_stamp()?;
        let tx = self.conn.transaction()?;
        let mut by_postmortem: Vec<(String, Vec<&str>)> = Vec::new();
        for id in item_ids {
            let pm_id = store::actions::owner_postmortem(&tx, id)?;
            match by_postmortem.iter_mut().find(|(p, _)| *p == pm_id) {
                Some((_, ids)) => ids.push(id),
                None => by_postmortem.push((pm_id, vec![id])),
            }
        }
        let mut changed = 0;
        let mut ready = Vec::new();
        for (pm_id, ids) in by_postmortem {
            let stored = postmortems::load(&tx, &pm_id)?;
            let mut pm = stored.clone();
            for item in pm.action_items.iter_mut().filter(|a| ids.contains(&a.id.as_str())) {
                if item.status != status {
                    changed += 1;
                }
                item.status = status;
                item.wont_do_reason = if status == ActionStatus::WontDo { reason.map(str::to_string) } else { None };
            }
            if let Some(pm) = ready_for_save(&tx, checked(pm)?, &stored)? {
                ready.push((stored, pm));
            }
        }
        write_all(&tx, &ready, Why::Edit)?;
        tx.commit()?;
        self.sync_index()?;
        let written: Vec<&str> = ready.iter().map(|(stored, _)| stored.id.as_str()).collect();
        self.refresh_facts(before, &written);
        Ok(changed)
    }

    /// Replaces one action item (a quick edit on the board) in whichever postmortem holds it.
    pub fn update_action(&mut self, item: ActionItem, today: NaiveDate) -> Result<ActionRow> {
        let id = item.id.clone();
        let before = self.facts_stamp()?;
        let tx = self.conn.transaction()?;
        let pm_id = store::actions::owner_postmortem(&tx, &id)?;
        let stored = postmortems::load(&tx, &pm_id)?;
        let mut pm = stored.clone();
        if let Some(slot) = pm.action_items.iter_mut().find(|a| a.id == id) {
            *slot = item;
        }
        if write_over(&tx, &stored, checked(pm)?, Why::Edit)?.is_some() {
            tx.commit()?;
            self.sync_index()?;
            self.refresh_facts(before, &[&pm_id]);
        } else {
            drop(tx);
        }
        let filter = ActionFilter { postmortem_id: Some(pm_id), ..Default::default() };
        self.actions(&filter, today)?
            .into_iter()
            .find(|r| r.item.id == id)
            .ok_or_else(|| Error::NotFound { what: "action item", id })
    }

    /// Follow-through metrics across the library as of `today`.
    pub fn follow_through(&self, today: NaiveDate) -> Result<FollowThrough> {
        let items = store::actions::item_facts(&self.conn, None)?;
        let incidents = store::actions::incidents(&self.conn)?;
        Ok(crate::analysis::followthrough::follow_through(&items, &incidents, today))
    }
}
