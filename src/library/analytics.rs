//! Learning analytics: the facts every figure is counted from, and the figures built on them:
//! the metrics and repeat patterns of a period, prevention ROI and error budgets.
//!
//! The facts of the whole library (every incident and every action item) are loaded once and
//! kept while the database is unchanged: at 100,000 postmortems the load costs several times
//! the counting, and the Insights screen asks again for each period the user picks. The cache
//! is keyed on [`store::analytics::change_stamp`], which moves on any write through this
//! library's connection and on any commit by another (the app's worker, the CLI, another
//! process), so a figure never counts facts older than the database it is asked of. This
//! library's own edits of postmortems (save, create, delete, the board's item edits) patch the
//! cache in place (`Library::refresh_facts`); any other write leaves it to load again.
//! `Library::prepare_insights` loads it ahead, as the app does after start-up.

use std::cell::RefCell;
use std::sync::Arc;

use chrono::{Duration, NaiveDate};

use super::Library;
use crate::analysis::drill::{self, Drill};
use crate::analysis::facts::{dated, IncidentFacts};
use crate::analysis::followthrough::ItemFacts;
use crate::analysis::patterns::{self, Pattern};
use crate::analysis::{budget, families, metrics, roi, ALL_INCIDENTS};
use crate::store::taxonomy::{self, NameTable};
use crate::wire::{Insights, RoiInputs, RoiOverrides, RoiReport, ServiceBudget, Stats};
use crate::{clock, store, Error, Result};

/// One category's ROI row before counting: its name, the inputs used, whether they were saved,
/// and the names of the inputs overridden.
type RoiRow = (String, RoiInputs, bool, Vec<String>);

/// The facts of the whole library as loaded at one change stamp.
pub(super) struct LoadedFacts {
    stamp: (i64, u64),
    /// Every incident, oldest first (then by id).
    incidents: Vec<IncidentFacts>,
    /// Every action item, in the table's order.
    items: Vec<ItemFacts>,
}

impl LoadedFacts {
    /// Puts `incident` (`None`: deleted) and `items` in place of postmortem `id`'s facts,
    /// keeping the incidents in date-then-id order. The items go last: no figure depends on
    /// their order.
    fn replace(&mut self, id: &str, incident: Option<IncidentFacts>, items: Vec<ItemFacts>) {
        self.incidents.retain(|f| f.id != id);
        if let Some(f) = incident {
            let at = self.incidents.partition_point(|g| (g.incident_date, &g.id) < (f.incident_date, &f.id));
            self.incidents.insert(at, f);
        }
        self.items.retain(|i| i.postmortem_id != id);
        self.items.extend(items);
    }
}

/// The last facts loaded, if any. Shared out as an `Arc` so a figure can count from them
/// without holding the cell borrowed.
#[derive(Default)]
pub(super) struct FactsCache(RefCell<Option<Arc<LoadedFacts>>>);

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

/// `day` moved `days` back, `None` when that is before the calendar's first day.
fn days_before(day: NaiveDate, days: i64) -> Option<NaiveDate> {
    day.checked_sub_signed(Duration::try_days(days)?)
}

impl Library {
    /// What the analytics know of every incident in the library, oldest first.
    pub fn incident_facts(&self) -> Result<Vec<IncidentFacts>> {
        Ok(self.loaded_facts()?.incidents.clone())
    }

    /// The facts of the whole library: those last loaded if the database has not changed
    /// since, else loaded afresh (and kept).
    fn loaded_facts(&self) -> Result<Arc<LoadedFacts>> {
        // Taken before loading: a commit landing during the load moves the stamp past the one
        // kept, so the next call loads again rather than trusting facts that may predate it.
        let stamp = store::analytics::change_stamp(&self.conn)?;
        let mut cache = self.facts.0.borrow_mut();
        if let Some(loaded) = cache.as_ref().filter(|l| l.stamp == stamp) {
            return Ok(Arc::clone(loaded));
        }
        // The old facts go before the new ones load, not after: one library's worth in memory.
        *cache = None;
        let (incidents, items) = store::analytics::load(&self.conn)?;
        let loaded = Arc::new(LoadedFacts { stamp, incidents, items });
        *cache = Some(Arc::clone(&loaded));
        Ok(loaded)
    }

    /// Loads, without counting, what the Insights screen counts from for any period within the
    /// [`PREPARED_DAYS`] ending on `today`: the facts of the library and the words of the
    /// incidents the families compare (`Library::family_patterns`). Both stay in memory
    /// while the library is unchanged, so the screen's first call only counts. The app calls
    /// this in the background after opening a library: at 100,000 postmortems the load is
    /// most of a second, the counting a tenth of that.
    pub fn prepare_insights(&self, today: NaiveDate) -> Result<()> {
        self.loaded_facts()?;
        self.prepare_insight_vectors(today)
    }

    /// The part of [`Library::prepare_insights`] kept by the search index, which every handle
    /// of the library shares ([`Library::worker`]'s too): the similarity vectors of the
    /// incidents the screen's periods reach, read from the stored documents (the longer part
    /// of a first Insights call). A worker can do it without holding the window's handle.
    pub fn prepare_insight_vectors(&self, today: NaiveDate) -> Result<()> {
        let from = days_before(today, PREPARED_DAYS - 1).unwrap_or(NaiveDate::MIN);
        self.index.term_vectors(days_before(from, families::LOOKBACK_DAYS).unwrap_or(NaiveDate::MIN), today)?;
        Ok(())
    }

    /// The change stamp of the database now: what [`Library::refresh_facts`] is given after a
    /// write, taken before it.
    pub(super) fn facts_stamp(&self) -> Result<(i64, u64)> {
        store::analytics::change_stamp(&self.conn)
    }

    /// Keeps the cached facts through a write by this library of the postmortems `ids` (and
    /// nothing else), begun at stamp `before`: when the cache held the facts of the database as
    /// it was then, and no other connection has committed since, only those postmortems'
    /// facts are read again and the cache moves to the stamp of now. Otherwise it is left to
    /// reload on its next use, as any other write leaves it. An edit then costs the next
    /// Insights call a few small reads instead of the whole library's (half a second at
    /// 100,000 postmortems). Called after the write committed, so it never fails the write:
    /// when a read fails, the cache is dropped and the next call loads everything.
    pub(super) fn refresh_facts(&self, before: (i64, u64), ids: &[&str]) {
        let mut cache = self.facts.0.borrow_mut();
        let Some(loaded) = cache.as_mut().filter(|l| l.stamp == before) else { return };
        let patched = (|| -> Result<bool> {
            let now = store::analytics::change_stamp(&self.conn)?;
            // Another connection's commit moves data_version: its changes are not among `ids`.
            let Some(facts) = Arc::get_mut(loaded).filter(|_| now.0 == before.0) else { return Ok(false) };
            // Read first, replace after: a failed read leaves nothing half patched.
            let fresh = ids.iter().map(|id| store::analytics::load_one(&self.conn, id)).collect::<Result<Vec<_>>>()?;
            for (id, (incident, items)) in ids.iter().zip(fresh) {
                facts.replace(id, incident, items);
            }
            facts.stamp = now;
            Ok(true)
        })();
        if !matches!(patched, Ok(true)) {
            *cache = None;
        }
    }

    /// Whether the facts are cached for the database as it is now: what a next figure counts
    /// from without loading. The tests use it to prove an edit patched the cache.
    pub fn facts_are_current(&self) -> Result<bool> {
        let stamp = store::analytics::change_stamp(&self.conn)?;
        Ok(self.facts.0.borrow().as_ref().is_some_and(|l| l.stamp == stamp))
    }

    /// The metrics of the incidents dated `from` to `to` (both included), optionally narrowed
    /// to one service, beside those of the period of the same length before it, as of the
    /// clock's now and today (see [`crate::analysis::metrics`] for each figure's rule).
    pub fn stats(&self, from: NaiveDate, to: NaiveDate, service: Option<&str>) -> Result<Stats> {
        check_period(from, to)?;
        let services = taxonomy::services(&self.conn)?;
        let loaded = self.loaded_facts()?;
        Ok(stats_of(&loaded, &services, from, to, service, ALL_INCIDENTS))
    }

    /// The repeat patterns of the incidents in `[from, to]`, each with its rule and its
    /// incidents (see [`crate::analysis::patterns`] for the rules).
    pub fn patterns(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Pattern>> {
        check_period(from, to)?;
        let loaded = self.loaded_facts()?;
        let mut found = patterns::patterns(&loaded.incidents, &loaded.items, from, to, ALL_INCIDENTS);
        found.extend(self.family_patterns(&loaded.incidents, &loaded.items, from, to)?);
        Ok(found)
    }

    /// The category's name as stored, or a validation error naming `category` when the library
    /// has no such category.
    fn known_category(&self, category: &str) -> Result<String> {
        taxonomy::stored_spelling(&self.conn, NameTable::Categories, category.trim())?
            .ok_or_else(|| Error::invalid("category", format!("no category named {category:?}")))
    }

    /// The prevention-ROI inputs of `category`: those saved for it, else the defaults. An
    /// unknown category is a validation error naming it.
    pub fn roi_inputs(&self, category: &str) -> Result<RoiInputs> {
        let name = self.known_category(category)?;
        Ok(store::roi::inputs(&self.conn, &name)?.unwrap_or_default())
    }

    /// Saves the prevention-ROI inputs of `category` after validating them (the error names the
    /// field). An unknown category is a validation error naming it.
    pub fn set_roi_inputs(&mut self, category: &str, inputs: RoiInputs) -> Result<()> {
        inputs.validate()?;
        let name = self.known_category(category)?;
        if !store::roi::set_inputs(&self.conn, &name, &inputs)? {
            return Err(Error::invalid("category", format!("no category named {category:?}")));
        }
        Ok(())
    }

    /// Prevention ROI of every category (or only `category`), over the days ending on `to`:
    /// each category's saved inputs (else the defaults), with `window_days` and `overrides`,
    /// when given, replacing them. The inputs used are validated, naming the field that fails;
    /// an unknown `category` is a validation error naming it. Ranked by three-year ROI.
    pub fn roi(
        &self,
        to: NaiveDate,
        window_days: Option<i64>,
        category: Option<&str>,
        overrides: &RoiOverrides,
    ) -> Result<RoiReport> {
        let rows = self.roi_rows(window_days, category, overrides)?;
        let loaded = self.loaded_facts()?;
        Ok(roi_of(rows, to, &loaded.incidents))
    }

    /// Each category's name and ROI inputs (see [`Library::roi`]), validated.
    fn roi_rows(
        &self,
        window_days: Option<i64>,
        category: Option<&str>,
        overrides: &RoiOverrides,
    ) -> Result<Vec<RoiRow>> {
        let names: Vec<String> = match category {
            Some(c) => vec![self.known_category(c)?],
            None => taxonomy::categories(&self.conn)?.into_iter().map(|c| c.name).collect(),
        };
        let saved = store::roi::all_inputs(&self.conn)?;
        let mut rows = Vec::with_capacity(names.len());
        for name in names {
            let stored = saved.get(&name.to_lowercase()).copied();
            let (inputs, overridden) = stored.unwrap_or_default().overridden(window_days, overrides);
            inputs.validate()?;
            rows.push((name, inputs, stored.is_some(), overridden));
        }
        Ok(rows)
    }

    /// The error budget of every service with an SLO target, over its SLO window ending on
    /// `to`, in service-name order.
    pub fn error_budgets(&self, to: NaiveDate) -> Result<Vec<ServiceBudget>> {
        let services = taxonomy::services(&self.conn)?;
        let loaded = self.loaded_facts()?;
        Ok(budgets_of(&services, to, &loaded.incidents))
    }

    /// Everything the Insights screen shows for the period `from` to `to`: the metrics
    /// ([`Library::stats`] for the whole library), the repeat patterns ([`Library::patterns`]),
    /// the prevention ROI of every category over the days ending on `to` with its saved inputs
    /// ([`Library::roi`]), the error budgets ([`Library::error_budgets`]) and the incidents of
    /// this day in past years ([`Library::on_this_day`] of today); each equal to the call it
    /// names, from one load of the facts.
    pub fn insights(&self, from: NaiveDate, to: NaiveDate) -> Result<Insights> {
        self.insights_keeping(from, to, ALL_INCIDENTS)
    }

    /// [`Library::insights`] with each list of incidents of the metrics and of the repeat
    /// patterns built only to `keep` entries (see [`metrics::stats`], [`patterns::patterns`]),
    /// the figures still counting them all.
    fn insights_keeping(&self, from: NaiveDate, to: NaiveDate, keep: usize) -> Result<Insights> {
        check_period(from, to)?;
        let rows = self.roi_rows(None, None, &RoiOverrides::default())?;
        let services = taxonomy::services(&self.conn)?;
        let loaded = self.loaded_facts()?;
        // The patterns pass over the whole library and cost about as much as the other three
        // together; on a second core the two halves overlap. The facts are only read.
        let ((stats, roi, budgets), patterns) = std::thread::scope(|scope| {
            let rest = scope.spawn(|| {
                (
                    metrics_of(&loaded, from, to, None, keep),
                    roi_of(rows, to, &loaded.incidents),
                    budgets_of(&services, to, &loaded.incidents),
                )
            });
            let mut patterns = patterns::patterns(&loaded.incidents, &loaded.items, from, to, keep);
            let families = self.family_patterns(&loaded.incidents, &loaded.items, from, to);
            let rest = rest.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (
                rest,
                families.map(|f| {
                    patterns.extend(f);
                    patterns
                }),
            )
        });
        // The metrics carry the budgets of the whole library: the same as the budgets' own.
        let stats = Stats { budgets: budgets.clone(), ..stats };
        let (on_this_day, on_this_day_total) = self.on_this_day_of(&loaded.incidents, clock::today(), keep)?;
        Ok(Insights { stats, patterns: patterns?, roi, budgets, on_this_day, on_this_day_total })
    }
}

/// The metrics of `[from, to]` (narrowed to `service` when given) with the error budgets.
fn stats_of(
    loaded: &LoadedFacts,
    services: &[crate::model::Service],
    from: NaiveDate,
    to: NaiveDate,
    service: Option<&str>,
    keep: usize,
) -> Stats {
    let service = service.map(str::trim).filter(|s| !s.is_empty());
    let mut stats = metrics_of(loaded, from, to, service, keep);
    stats.budgets = budgets_of(services, to, &loaded.incidents)
        .into_iter()
        .filter(|b| service.is_none_or(|s| b.service.eq_ignore_ascii_case(s)))
        .collect();
    stats
}

/// The metrics of `[from, to]`, narrowed to `service` (trimmed, not empty) when given, without
/// the budgets, each list holding `keep` incidents.
fn metrics_of(loaded: &LoadedFacts, from: NaiveDate, to: NaiveDate, service: Option<&str>, keep: usize) -> Stats {
    // The metrics look at the period, the period of the same length before it, and, for the
    // repeat rule, the days up to the repeat window before that.
    let days = (to - from).num_days() + 1;
    let first = days_before(from, days + metrics::REPEAT_WINDOW_DAYS);
    let facts = dated(&loaded.incidents, first, to);
    metrics::stats(facts, &loaded.items, from, to, service, clock::now(), clock::today(), keep)
}

/// The ROI report of `rows` over their windows ending on `to`.
fn roi_of(rows: Vec<RoiRow>, to: NaiveDate, facts: &[IncidentFacts]) -> RoiReport {
    let first = rows.iter().map(|(_, inputs, _, _)| roi::window_start(to, inputs.window_days)).min();
    roi::report(rows, to, dated(facts, first, to))
}

/// The error budgets of `services` over their windows (and the planning quarter) ending on `to`.
fn budgets_of(services: &[crate::model::Service], to: NaiveDate, facts: &[IncidentFacts]) -> Vec<ServiceBudget> {
    let first = services
        .iter()
        .filter(|s| s.slo_target.is_some())
        .map(|s| s.slo_window_days.unwrap_or(budget::DEFAULT_WINDOW_DAYS))
        .chain([budget::QUARTER_DAYS])
        .map(|days| roi::window_start(to, days))
        .min();
    budget::budgets(services, to, dated(facts, first, to))
}

impl Library {
    /// [`Library::insights`] for `from` to `to` with its charts, drawn in `palette`'s colours,
    /// cut for the window: the metrics' copy of the error budgets is left empty (`budgets` holds
    /// the same), and every list of incidents is cut to [`SCREEN_LIST`] entries (see
    /// `cut_for_screen`); the screen opens the incidents behind a figure with a [`Drill`].
    /// At 100,000 postmortems the lists are tens of megabytes for the window to parse.
    pub fn insights_screen(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        palette: &crate::report::charts::ChartPalette,
    ) -> Result<crate::wire::InsightsScreen> {
        // The lists the screen cuts are not built past what it keeps: at 100,000 postmortems a
        // year's lists hold a couple of hundred thousand entries. Every one the charts read
        // (the families, whose members are few, and the budgets) is built whole.
        let mut insights = self.insights_keeping(from, to, SCREEN_LIST.max(SCREEN_PATTERN_LIST))?;
        insights.stats.budgets = Vec::new();
        let charts = crate::report::charts::insight_charts(&insights, palette)?;
        cut_for_screen(&mut insights);
        Ok(crate::wire::InsightsScreen { insights, charts })
    }

    /// The ids of the incidents behind a chart's bar or a figure, found by the rule the figure
    /// was counted with (see [`crate::analysis::drill`]), oldest first.
    pub fn incidents_behind(&self, drill: &Drill) -> Result<Vec<String>> {
        match drill {
            Drill::Pattern { pattern, subject, from, to } => Ok(self
                .patterns(*from, *to)?
                .into_iter()
                .find(|p| p.kind == *pattern && p.subject == *subject)
                .map(|p| p.incidents.into_iter().map(|i| i.id).collect())
                .unwrap_or_default()),
            Drill::Roi { category, to } => {
                let report = self.roi(*to, None, Some(category), &RoiOverrides::default())?;
                let mut ids = Vec::new();
                for c in report.categories {
                    let dated = c.included.into_iter().map(|i| (i.incident_date, i.id));
                    let mut all: Vec<_> =
                        dated.chain(c.excluded.into_iter().map(|e| (e.incident_date, e.id))).collect();
                    all.sort();
                    ids.extend(all.into_iter().map(|(_, id)| id));
                }
                Ok(ids)
            }
            Drill::BudgetRequired { service, to } => {
                let budgets = self.error_budgets(*to)?;
                let Some(budget) = budgets.into_iter().find(|b| b.service.eq_ignore_ascii_case(service)) else {
                    return Ok(Vec::new());
                };
                let mut required: Vec<(NaiveDate, String)> = budget
                    .incidents
                    .into_iter()
                    .filter(|i| i.postmortem_required)
                    .map(|i| (i.incident_date, i.id))
                    .collect();
                required.sort();
                Ok(required.into_iter().map(|(_, id)| id).collect())
            }
            _ => {
                let loaded = self.loaded_facts()?;
                Ok(drill::behind(&loaded.incidents, drill).unwrap_or_default())
            }
        }
    }
}

/// The longest period [`Library::prepare_insights`] loads for: the screen's longest preset.
pub const PREPARED_DAYS: i64 = 365;

/// The most incidents any one list of the Insights screen carries (see `cut_for_screen`).
pub const SCREEN_LIST: usize = 100;
/// The most incidents a repeat pattern carries to the screen, which shows its count and opens
/// the rest by rule: a library can have a hundred patterns.
pub const SCREEN_PATTERN_LIST: usize = 10;
/// The incidents "on this day" the screen's card lists (the most recent years first); it opens
/// the rest by rule. A library of 100,000 postmortems has over a hundred on any date.
pub const SCREEN_ON_THIS_DAY: usize = 5;

/// Cuts every list of incidents in `insights` to [`SCREEN_LIST`] entries, for the screen, which
/// shows their counts (kept in the figures: `Ratio::count`, `DurationStats::lacking_total` and
/// `fallback_total`, `Pattern::total`, `CategoryRoi::incidents` and `excluded_total`,
/// `ServiceBudget::required_total`) and opens the incidents behind a figure with a [`Drill`] by
/// its rule. A pattern keeps its newest [`SCREEN_PATTERN_LIST`] incidents, an error budget its
/// [`SCREEN_PATTERN_LIST`] largest draws, the rest their first entries.
fn cut_for_screen(insights: &mut Insights) {
    fn cut<T>(list: &mut Vec<T>) {
        list.truncate(SCREEN_LIST);
    }
    for period in [&mut insights.stats.current, &mut insights.stats.previous] {
        cut(&mut period.repeats.repeats);
        cut(&mut period.drafts_within_48h.undecided);
        let d = &mut period.durations;
        for stats in [
            &mut d.time_to_detect,
            &mut d.time_to_acknowledge,
            &mut d.time_to_mitigate,
            &mut d.time_to_resolve,
            &mut d.impact,
        ] {
            cut(&mut stats.lacking);
            cut(&mut stats.fallbacks);
        }
    }
    for pattern in &mut insights.patterns {
        let extra = pattern.incidents.len().saturating_sub(SCREEN_PATTERN_LIST);
        pattern.incidents.drain(..extra);
    }
    for category in &mut insights.roi.categories {
        cut(&mut category.included);
        cut(&mut category.excluded);
    }
    insights.on_this_day.truncate(SCREEN_ON_THIS_DAY);
    for budget in &mut insights.budgets {
        // Largest draws first: the screen names the heaviest; `required_total` counts those
        // that require a postmortem, and Drill::BudgetRequired opens them all.
        budget.incidents.truncate(SCREEN_PATTERN_LIST);
        cut(&mut budget.not_counted);
    }
}
