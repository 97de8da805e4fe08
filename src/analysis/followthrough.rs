//! Action-item follow-through (PRODUCT.md capability 7 and "Action-item completion"):
//! completion within 30 days, median days to done, overdue items by owner, and, for each
//! incident category, whether incidents recurred after its prevent-type items were done.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{ActionKind, ActionStatus};

/// What follow-through needs to know of one action item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFacts {
    /// The postmortem the item belongs to.
    pub postmortem_id: String,
    /// The one person who owns it, if anyone does.
    pub owner: Option<String>,
    /// What the item does for reliability.
    pub kind: ActionKind,
    /// Where it stands.
    pub status: ActionStatus,
    /// When it is due, if a date was set.
    pub due_date: Option<NaiveDate>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was marked done; `None` while it is not.
    pub completed_at: Option<DateTime<Utc>>,
}

impl ItemFacts {
    /// A prevent-type item of postmortem `postmortem_id`, created at `created_at` and done at
    /// `completed_at`, for the analysis tests.
    #[cfg(test)]
    pub(crate) fn prevention_done(postmortem_id: &str, created_at: DateTime<Utc>, completed_at: DateTime<Utc>) -> Self {
        ItemFacts {
            postmortem_id: postmortem_id.into(),
            owner: None,
            kind: ActionKind::Prevent,
            status: ActionStatus::Done,
            due_date: None,
            created_at,
            completed_at: Some(completed_at),
        }
    }

    /// PRODUCT.md's action-item completion rule for this item as of `today`: `None` while it
    /// is not counted yet (created 30 days ago or less: on a day not before `today - 30`),
    /// else whether it was done within 30 days of its creation (won't-do counts as not done).
    pub fn done_within_window(&self, today: NaiveDate) -> Option<bool> {
        let window = Duration::days(COMPLETION_WINDOW_DAYS);
        // "Created more than 30 days ago": on a day before today - 30.
        (self.created_at.date_naive() < today - window).then(|| {
            self.status == ActionStatus::Done && self.completed_at.is_some_and(|done| done - self.created_at <= window)
        })
    }

    fn overdue(&self, today: NaiveDate) -> bool {
        self.status.is_pending() && self.due_date.is_some_and(|d| d < today)
    }
}

/// The seed's target for completion within 30 days.
pub const COMPLETION_TARGET: f64 = 0.75;
/// The window an item has to be done in to count as completed on time.
pub const COMPLETION_WINDOW_DAYS: i64 = 30;

/// Overdue and open items of one owner (`None`: items nobody owns).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OwnerLoad {
    /// The owner; `None` gathers the items nobody owns.
    pub owner: Option<String>,
    /// Items still open or in progress.
    #[ts(type = "number")]
    pub open: u64,
    /// Of those, items past their due date.
    #[ts(type = "number")]
    pub overdue: u64,
}

/// Whether a category's incidents came back after its prevention work was done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CategoryRecurrence {
    /// The category, as the taxonomy names it.
    pub category: String,
    /// Incidents in the category.
    #[ts(type = "number")]
    pub incidents: u64,
    /// Prevent-type items on those incidents, and how many are done.
    #[ts(type = "number")]
    pub prevent_items: u64,
    /// How many of those prevent-type items are done.
    #[ts(type = "number")]
    pub prevent_done: u64,
    /// When the last done prevent-type item was completed; `None` when none is done.
    pub prevention_done_at: Option<DateTime<Utc>>,
    /// Incidents in the category that started after `prevention_done_at`.
    #[ts(type = "number")]
    pub incidents_after: u64,
    /// Some prevention was done and the category still had an incident after it.
    pub recurred: bool,
}

/// Follow-through across the library as of `today`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FollowThrough {
    /// The date the metrics are counted as of.
    pub today: NaiveDate,
    /// Every action item counted.
    #[ts(type = "number")]
    pub items: u64,
    /// Items still open or in progress.
    #[ts(type = "number")]
    pub open: u64,
    /// Of those, items past their due date.
    #[ts(type = "number")]
    pub overdue: u64,
    /// Items created more than 30 days before today (the denominator of completion).
    #[ts(type = "number")]
    pub eligible: u64,
    /// Of those, items done within 30 days of being created.
    #[ts(type = "number")]
    pub done_within_30_days: u64,
    /// `done_within_30_days / eligible`, 0 to 1; `None` with no eligible items.
    pub completion_rate: Option<f64>,
    /// Seed 003's target (0.75): the rate should be above it.
    pub completion_target: f64,
    /// Median whole days from creation to done, over done items.
    pub median_days_to_done: Option<f64>,
    /// Owners with open items, most overdue first.
    pub by_owner: Vec<OwnerLoad>,
    /// Categories with incidents, those whose prevention was followed by a recurrence first.
    pub categories: Vec<CategoryRecurrence>,
}

/// Computes follow-through from every action item (`items`) and every incident's id, date and
/// categories (`incidents`), as of `today`.
///
/// Completion follows PRODUCT.md exactly: an item counts when it was created more than 30
/// days before `today` (an item created exactly 30 days ago is not yet counted), and is done
/// within 30 days when its completion time is at most 30 days after its creation time. Items
/// won't-do count as not done.
pub fn follow_through(
    items: &[ItemFacts],
    incidents: &[(String, NaiveDate, Vec<String>)],
    today: NaiveDate,
) -> FollowThrough {
    let mut eligible = 0;
    let mut on_time = 0;
    let mut days_to_done = Vec::new();
    let mut owners: BTreeMap<Option<String>, OwnerLoad> = BTreeMap::new();
    for item in items {
        if let Some(done) = item.done_within_window(today) {
            eligible += 1;
            on_time += u64::from(done);
        }
        if item.status == ActionStatus::Done {
            if let Some(done) = item.completed_at {
                days_to_done.push((done - item.created_at).num_days().max(0));
            }
        }
        if item.status.is_pending() {
            let load = owners.entry(item.owner.clone()).or_insert_with(|| OwnerLoad {
                owner: item.owner.clone(),
                open: 0,
                overdue: 0,
            });
            load.open += 1;
            if item.overdue(today) {
                load.overdue += 1;
            }
        }
    }
    let mut by_owner: Vec<OwnerLoad> = owners.into_values().collect();
    by_owner.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.open.cmp(&a.open)).then(a.owner.cmp(&b.owner)));

    FollowThrough {
        today,
        items: items.len() as u64,
        open: items.iter().filter(|i| i.status.is_pending()).count() as u64,
        overdue: items.iter().filter(|i| i.overdue(today)).count() as u64,
        eligible,
        done_within_30_days: on_time,
        completion_rate: (eligible > 0).then(|| on_time as f64 / eligible as f64),
        completion_target: COMPLETION_TARGET,
        median_days_to_done: median(&mut days_to_done),
        by_owner,
        categories: recurrence(items, incidents),
    }
}

fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] as f64 } else { (values[mid - 1] + values[mid]) as f64 / 2.0 })
}

/// For each category: its prevent-type items, when the last of them was done, and how many of
/// the category's incidents started after that day.
fn recurrence(items: &[ItemFacts], incidents: &[(String, NaiveDate, Vec<String>)]) -> Vec<CategoryRecurrence> {
    let categories_of: HashMap<&str, &Vec<String>> = incidents.iter().map(|(id, _, c)| (id.as_str(), c)).collect();
    let mut by_category: BTreeMap<String, CategoryRecurrence> = BTreeMap::new();
    for (_, _, categories) in incidents {
        for category in categories {
            by_category
                .entry(category.clone())
                .or_insert_with(|| CategoryRecurrence {
                    category: category.clone(),
                    incidents: 0,
                    prevent_items: 0,
                    prevent_done: 0,
                    prevention_done_at: None,
                    incidents_after: 0,
                    recurred: false,
                })
                .incidents += 1;
        }
    }
    for item in items.iter().filter(|i| i.kind == ActionKind::Prevent) {
        let Some(categories) = categories_of.get(item.postmortem_id.as_str()) else { continue };
        for category in categories.iter() {
            let Some(entry) = by_category.get_mut(category) else { continue };
            entry.prevent_items += 1;
            if item.status == ActionStatus::Done {
                entry.prevent_done += 1;
                if let Some(done) = item.completed_at {
                    entry.prevention_done_at = Some(entry.prevention_done_at.map_or(done, |d| d.max(done)));
                }
            }
        }
    }
    for entry in by_category.values_mut() {
        if let Some(done) = entry.prevention_done_at {
            let day = done.date_naive();
            entry.incidents_after = incidents
                .iter()
                .filter(|(_, date, categories)| *date > day && categories.contains(&entry.category))
                .count() as u64;
            entry.recurred = entry.incidents_after > 0;
        }
    }
    let mut out: Vec<CategoryRecurrence> = by_category.into_values().collect();
    out.sort_by(|a, b| {
        b.recurred.cmp(&a.recurred).then(b.incidents.cmp(&a.incidents)).then(a.category.cmp(&b.category))
    });
    out
}
