//! Learning analytics: the facts every figure is counted from, loaded once per request, and
//! the figures built on them: the metrics and repeat patterns of a period, prevention ROI and
//! error budgets.

use chrono::NaiveDate;

use super::Library;
use crate::analysis::facts::IncidentFacts;
use crate::analysis::patterns::{self, Pattern};
use crate::analysis::{budget, roi};
use crate::store::taxonomy::{self, NameTable};
use crate::wire::{Insights, RoiInputs, RoiOverrides, RoiReport, ServiceBudget, Stats};
use crate::{clock, store, Error, Result};

/// One category's ROI row before counting: its name, the inputs used, whether they were saved,
/// and the names of the inputs overridden.
type RoiRow = (String, RoiInputs, bool, Vec<String>);

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
        let services = taxonomy::services(&self.conn)?;
        Ok(stats_of(&facts, &items, &services, from, to, service))
    }

    /// The repeat patterns of the incidents in `[from, to]`, each with its rule and its
    /// incidents (see [`crate::analysis::patterns`] for the rules).
    pub fn patterns(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Pattern>> {
        check_period(from, to)?;
        let facts = self.incident_facts()?;
        let items = store::actions::item_facts(&self.conn)?;
        let mut found = patterns::patterns(&facts, &items, from, to);
        found.extend(self.family_patterns(&facts, &items, from, to)?);
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
        let facts = self.incident_facts()?;
        Ok(roi::report(rows, to, &facts))
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
        let facts = self.incident_facts()?;
        Ok(budget::budgets(&services, to, &facts))
    }

    /// Everything the Insights screen shows for the period `from` to `to`: the metrics
    /// ([`Library::stats`] for the whole library), the repeat patterns ([`Library::patterns`]),
    /// the prevention ROI of every category over the days ending on `to` with its saved inputs
    /// ([`Library::roi`]), the error budgets ([`Library::error_budgets`]) and the incidents of
    /// this day in past years ([`Library::on_this_day`] of today); each equal to the call it
    /// names, from one load of the facts.
    pub fn insights(&self, from: NaiveDate, to: NaiveDate) -> Result<Insights> {
        check_period(from, to)?;
        let rows = self.roi_rows(None, None, &RoiOverrides::default())?;
        let facts = self.incident_facts()?;
        let items = store::actions::item_facts(&self.conn)?;
        let services = taxonomy::services(&self.conn)?;
        let stats = stats_of(&facts, &items, &services, from, to, None);
        let mut found = patterns::patterns(&facts, &items, from, to);
        found.extend(self.family_patterns(&facts, &items, from, to)?);
        Ok(Insights {
            on_this_day: self.on_this_day_of(&facts, clock::today())?,
            patterns: found,
            roi: roi::report(rows, to, &facts),
            budgets: budget::budgets(&services, to, &facts),
            stats,
        })
    }
}

/// The metrics of `[from, to]` (narrowed to `service` when given) with the error budgets.
fn stats_of(
    facts: &[IncidentFacts],
    items: &[crate::analysis::followthrough::ItemFacts],
    services: &[crate::model::Service],
    from: NaiveDate,
    to: NaiveDate,
    service: Option<&str>,
) -> Stats {
    let service = service.map(str::trim).filter(|s| !s.is_empty());
    let mut stats = crate::analysis::metrics::stats(facts, items, from, to, service, clock::now(), clock::today());
    stats.budgets = budget::budgets(services, to, facts)
        .into_iter()
        .filter(|b| service.is_none_or(|s| b.service.eq_ignore_ascii_case(s)))
        .collect();
    stats
}

impl Library {
    /// [`Library::insights`] for `from` to `to` with its charts, drawn in `palette`'s colours.
    pub fn insights_screen(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        palette: &crate::report::charts::ChartPalette,
    ) -> Result<crate::wire::InsightsScreen> {
        let insights = self.insights(from, to)?;
        let charts = crate::report::charts::insight_charts(&insights, palette)?;
        Ok(crate::wire::InsightsScreen { insights, charts })
    }

    /// The ids of the incidents behind a chart's bar or a figure, found by the rule the figure
    /// was counted with (see [`crate::analysis::drill`]), oldest first.
    pub fn incidents_behind(&self, drill: &crate::analysis::drill::Drill) -> Result<Vec<String>> {
        let facts = self.incident_facts()?;
        Ok(crate::analysis::drill::behind(&facts, drill))
    }
}
