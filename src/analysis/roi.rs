//! Prevention ROI per category, exactly as PRODUCT.md defines it (seed 000,
//! "incident-driven development"), over an analysis window of `d` days holding `n` incidents:
//!
//! - `incidents_per_year = n * 365 / d`
//! - `avg_impact = mean(duration_hours * users_affected_pct / 100)`
//! - `annual_cost = incidents_per_year * avg_impact * hourly_cost`
//! - `annual_savings = annual_cost * effectiveness`
//! - `payback_months = implementation_cost / (annual_savings / 12)`
//! - `roi_3y_pct = (annual_savings * 3 - implementation_cost) / implementation_cost * 100`
//!
//! The duration is the incident's impact span ([`IncidentFacts::impact_span`]: started to
//! resolved, detection standing in for a missing start and mitigation for a missing
//! resolution, each flagged per incident).
//!
//! **Excluded incidents.** An incident without users affected or without a duration is never
//! guessed: it is left out of the average impact and listed with what it lacked. It still
//! counts in `n`, because it happened: the frequency counts every incident of the window, the
//! average impact is over the included ones only. When a category has incidents but none is
//! included, the average impact and everything after it are `None`, with the reason in the
//! notes.
//!
//! **Edge cases.** No incidents: the yearly frequency and the annual cost are 0, savings 0, it
//! never pays back (`payback_months` is `None`), and the three-year ROI is -100% (the whole
//! implementation cost is lost). Effectiveness 0: savings 0, never pays back. Implementation
//! cost 0: it pays back at once (`payback_months` 0 when there are savings) and the three-year
//! ROI is `None`, because a return on nothing spent is not a percentage (said in the notes).
//!
//! **Ranking.** Highest three-year ROI first; categories without one come last. Ties (and the
//! categories without an ROI) go by annual savings, highest first, then by name.

use std::cmp::Ordering;

use chrono::{Duration, NaiveDate};

use super::facts::IncidentFacts;
use crate::wire::{CategoryRoi, RoiExclusion, RoiIncident, RoiInputs, RoiOverrides, RoiReport};
use crate::{Error, Result};

/// The formula in words, as every result states it.
pub const FORMULA: &str = "incidents_per_year = n * 365 / window_days; \
     avg_impact = mean(duration_hours * users_affected_pct / 100); \
     annual_cost = incidents_per_year * avg_impact * hourly_cost; \
     annual_savings = annual_cost * effectiveness; \
     payback_months = implementation_cost / (annual_savings / 12); \
     roi_3y_pct = (annual_savings * 3 - implementation_cost) / implementation_cost * 100";

/// What is counted and what is left out, in words.
pub const RULE: &str = "n counts every incident of the category whose incident date falls in the \
     window_days days ending on the report's date. duration_hours is the impact span, started to \
     resolved (detection stands in for a missing start and mitigation for a missing resolution, \
     flagged per incident). An incident without users affected or without a duration is excluded \
     from the average impact and listed with what it lacked, never guessed; it still counts in n, \
     because it happened. With no incident included, the cost, savings, payback and ROI are not \
     computed. Ranked by three-year ROI, highest first; categories without one last.";

const LACKS_USERS: &str = "users affected";
const LACKS_DURATION: &str = "a duration (no start or detection, or no resolution or mitigation, marker)";

impl Default for RoiInputs {
    /// PRODUCT.md's defaults: 90 days, 10,000 an hour, 50,000 to implement, 0.8 effective.
    fn default() -> Self {
        RoiInputs { window_days: 90, hourly_cost: 10_000.0, implementation_cost: 50_000.0, effectiveness: 0.8 }
    }
}

impl RoiInputs {
    /// Checks each input, naming the field that fails: a window of at least 1 day, costs of
    /// at least 0, an effectiveness from 0 to 1 (all finite).
    pub fn validate(&self) -> Result<()> {
        if self.window_days < 1 {
            return Err(Error::invalid(
                "window_days",
                format!("{} days; the window is at least 1 day", self.window_days),
            ));
        }
        for (field, value) in [("hourly_cost", self.hourly_cost), ("implementation_cost", self.implementation_cost)] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::invalid(field, format!("{value} is not a cost of 0 or more")));
            }
        }
        if !(self.effectiveness.is_finite() && (0.0..=1.0).contains(&self.effectiveness)) {
            return Err(Error::invalid(
                "effectiveness",
                format!("{} is not a fraction from 0 to 1 (80% is 0.8)", self.effectiveness),
            ));
        }
        Ok(())
    }

    /// These inputs with `window_days` and the overrides given replacing them; returns the
    /// names of the inputs replaced.
    pub fn overridden(self, window_days: Option<i64>, o: &RoiOverrides) -> (RoiInputs, Vec<String>) {
        let mut out = self;
        let mut names = Vec::new();
        if let Some(w) = window_days {
            out.window_days = w;
            names.push("window_days".to_string());
        }
        if let Some(v) = o.hourly_cost {
            out.hourly_cost = v;
            names.push("hourly_cost".to_string());
        }
        if let Some(v) = o.implementation_cost {
            out.implementation_cost = v;
            names.push("implementation_cost".to_string());
        }
        if let Some(v) = o.effectiveness {
            out.effectiveness = v;
            names.push("effectiveness".to_string());
        }
        (out, names)
    }
}

/// The first day of the `window_days` days that end on `to` (both included).
pub fn window_start(to: NaiveDate, window_days: i64) -> NaiveDate {
    to - Duration::days(window_days.max(1) - 1)
}

/// One category's ROI over the `inputs.window_days` days ending on `to`, from every incident
/// in `facts` that carries the category (ASCII case ignored, as the taxonomy compares names).
/// `saved_inputs` and `overridden` are carried into the result as given.
pub fn category_roi(
    category: &str,
    inputs: RoiInputs,
    saved_inputs: bool,
    overridden: Vec<String>,
    to: NaiveDate,
    facts: &[IncidentFacts],
) -> CategoryRoi {
    let from = window_start(to, inputs.window_days);
    let mut included = Vec::new();
    let mut excluded = Vec::new();
    let mut n: i64 = 0;
    for f in facts {
        if f.incident_date < from || f.incident_date > to {
            continue;
        }
        if !f.categories.iter().any(|c| c.eq_ignore_ascii_case(category)) {
            continue;
        }
        n += 1;
        let span = f.impact_span();
        match (span, f.users_affected_pct) {
            (Some(span), Some(pct)) => {
                let duration_hours = span.minutes / 60.0;
                included.push(RoiIncident {
                    id: f.id.clone(),
                    title: f.title.clone(),
                    incident_date: f.incident_date,
                    duration_hours,
                    users_affected_pct: pct,
                    impact: duration_hours * pct / 100.0,
                    start_from_detection: span.start_from_detection,
                    end_from_mitigation: span.end_from_mitigation,
                });
            }
            (span, pct) => {
                let mut lacks = Vec::new();
                if pct.is_none() {
                    lacks.push(LACKS_USERS.to_string());
                }
                if span.is_none() {
                    lacks.push(LACKS_DURATION.to_string());
                }
                excluded.push(RoiExclusion {
                    id: f.id.clone(),
                    title: f.title.clone(),
                    incident_date: f.incident_date,
                    lacks,
                });
            }
        }
    }

    let incidents_per_year = n as f64 * 365.0 / inputs.window_days as f64;
    let mut notes = Vec::new();
    let avg_impact =
        (!included.is_empty()).then(|| included.iter().map(|i| i.impact).sum::<f64>() / included.len() as f64);
    let annual_cost = match avg_impact {
        Some(avg) => Some(incidents_per_year * avg * inputs.hourly_cost),
        None if n == 0 => {
            notes.push("no incidents in the window: nothing to prevent, so no annual cost".to_string());
            Some(0.0)
        }
        None => {
            notes.push(format!(
                "none of the {n} incidents has both users affected and a duration, so the average impact, \
                 cost, savings, payback and ROI are not computed"
            ));
            None
        }
    };
    if n > 0 && !excluded.is_empty() && avg_impact.is_some() {
        notes
            .push(format!("{} of {n} incidents excluded from the average impact (still counted in n)", excluded.len()));
    }
    let annual_savings = annual_cost.map(|c| c * inputs.effectiveness);
    let payback_months = match annual_savings {
        Some(s) if s > 0.0 => Some(inputs.implementation_cost / (s / 12.0)),
        Some(_) => {
            notes.push("no annual savings: never pays back".to_string());
            None
        }
        None => None,
    };
    let roi_3y_pct = match annual_savings {
        Some(_) if inputs.implementation_cost == 0.0 => {
            notes.push("implementation cost 0: nothing spent, so no three-year ROI percentage".to_string());
            None
        }
        Some(s) => Some((s * 3.0 - inputs.implementation_cost) / inputs.implementation_cost * 100.0),
        None => None,
    };
    CategoryRoi {
        excluded_total: excluded.len() as u32,
        category: category.to_string(),
        inputs,
        saved_inputs,
        overridden,
        from,
        to,
        incidents: n,
        incidents_per_year,
        included,
        excluded,
        avg_impact,
        annual_cost,
        annual_savings,
        payback_months,
        roi_3y_pct,
        notes,
    }
}

/// Sorts by three-year ROI, highest first, `None` last; then by annual savings, highest
/// first (`None` last); then by category name.
pub fn rank(rows: &mut [CategoryRoi]) {
    fn desc(a: Option<f64>, b: Option<f64>) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => b.total_cmp(&a),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    rows.sort_by(|a, b| {
        desc(a.roi_3y_pct, b.roi_3y_pct)
            .then_with(|| desc(a.annual_savings, b.annual_savings))
            .then_with(|| a.category.to_lowercase().cmp(&b.category.to_lowercase()))
    });
}

/// The ranked report for `categories` (each with its inputs, whether they were saved, and
/// which were overridden), ending on `to`.
pub fn report(
    categories: Vec<(String, RoiInputs, bool, Vec<String>)>,
    to: NaiveDate,
    facts: &[IncidentFacts],
) -> RoiReport {
    let mut rows: Vec<CategoryRoi> = categories
        .into_iter()
        .map(|(name, inputs, saved, overridden)| category_roi(&name, inputs, saved, overridden, to, facts))
        .collect();
    rank(&mut rows);
    RoiReport { to, formula: FORMULA.to_string(), rule: RULE.to_string(), categories: rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::facts::MarkerTimes;
    use crate::model::ReviewStatus;
    use chrono::{DateTime, TimeZone, Utc};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(date: NaiveDate, minutes: i64) -> DateTime<Utc> {
        Utc.from_utc_datetime(&date.and_hms_opt(10, 0, 0).unwrap()) + Duration::minutes(minutes)
    }

    /// An incident of `category` on `date` lasting `minutes` (None: no resolution) with `pct`.
    fn incident(id: &str, category: &str, date: &str, minutes: Option<i64>, pct: Option<f64>) -> IncidentFacts {
        let date = d(date);
        IncidentFacts {
            status: ReviewStatus::Final,
            categories: vec![category.into()],
            users_affected_pct: pct,
            markers: MarkerTimes {
                started: Some(at(date, 0)),
                resolved: minutes.map(|m| at(date, m)),
                ..Default::default()
            },
            ..IncidentFacts::example(id, date)
        }
    }

    fn worked_example() -> Vec<IncidentFacts> {
        vec![
            incident("a", "capacity", "2026-01-10", Some(72), Some(15.0)),
            incident("b", "capacity", "2026-02-10", Some(48), Some(20.0)),
            incident("c", "capacity", "2026-03-10", Some(120), Some(10.0)),
        ]
    }

    fn roi(inputs: RoiInputs, facts: &[IncidentFacts]) -> CategoryRoi {
        category_roi("capacity", inputs, false, vec![], d("2026-03-31"), facts)
    }

    fn close(a: f64, b: f64, precision: f64) {
        assert!((a - b).abs() < precision, "{a} is not {b} to within {precision}");
    }

    #[test]
    fn the_worked_example_gives_products_figures() {
        let r = roi(RoiInputs::default(), &worked_example());
        assert_eq!(r.incidents, 3);
        assert_eq!((r.from, r.to), (d("2026-01-01"), d("2026-03-31")), "90 days ending on the 31st");
        close(r.incidents_per_year, 12.1667, 0.00005);
        close(r.avg_impact.unwrap(), 0.18, 1e-9);
        close(r.annual_cost.unwrap(), 21_900.0, 1e-6);
        close(r.annual_savings.unwrap(), 17_520.0, 1e-6);
        close(r.payback_months.unwrap(), 34.25, 0.005);
        close(r.roi_3y_pct.unwrap(), 5.12, 1e-9);
        assert!(r.excluded.is_empty() && r.included.len() == 3);
    }

    #[test]
    fn defaults_are_products_and_validation_names_the_field() {
        let i = RoiInputs::default();
        assert_eq!(
            (i.window_days, i.hourly_cost, i.implementation_cost, i.effectiveness),
            (90, 10_000.0, 50_000.0, 0.8)
        );
        i.validate().unwrap();
        let field = |i: RoiInputs| match i.validate() {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(RoiInputs { window_days: 0, ..i }), "window_days");
        assert_eq!(field(RoiInputs { hourly_cost: -1.0, ..i }), "hourly_cost");
        assert_eq!(field(RoiInputs { implementation_cost: f64::NAN, ..i }), "implementation_cost");
        assert_eq!(field(RoiInputs { effectiveness: 1.01, ..i }), "effectiveness");
        assert_eq!(field(RoiInputs { effectiveness: -0.1, ..i }), "effectiveness");
        RoiInputs { window_days: 1, hourly_cost: 0.0, implementation_cost: 0.0, effectiveness: 1.0 }
            .validate()
            .unwrap();
        RoiInputs { effectiveness: 0.0, ..i }.validate().unwrap();
    }

    #[test]
    fn no_incidents_cost_nothing_and_never_pay_back() {
        let r = roi(RoiInputs::default(), &[]);
        assert_eq!(r.incidents, 0);
        assert_eq!(r.incidents_per_year, 0.0);
        assert_eq!(r.avg_impact, None);
        assert_eq!(r.annual_cost, Some(0.0));
        assert_eq!(r.annual_savings, Some(0.0));
        assert_eq!(r.payback_months, None);
        assert_eq!(r.roi_3y_pct, Some(-100.0));
        assert!(r.notes.iter().any(|n| n.contains("never pays back")), "{:?}", r.notes);
    }

    #[test]
    fn effectiveness_zero_saves_nothing_and_never_pays_back() {
        let r = roi(RoiInputs { effectiveness: 0.0, ..Default::default() }, &worked_example());
        close(r.annual_cost.unwrap(), 21_900.0, 1e-6);
        assert_eq!(r.annual_savings, Some(0.0));
        assert_eq!(r.payback_months, None);
        assert_eq!(r.roi_3y_pct, Some(-100.0));
        assert!(r.notes.iter().any(|n| n.contains("never pays back")));
    }

    #[test]
    fn one_incident() {
        let r = roi(RoiInputs::default(), &worked_example()[..1]);
        assert_eq!(r.incidents, 1);
        close(r.incidents_per_year, 365.0 / 90.0, 1e-12);
        close(r.avg_impact.unwrap(), 0.18, 1e-12);
        let cost = 365.0 / 90.0 * 0.18 * 10_000.0;
        close(r.annual_cost.unwrap(), cost, 1e-6);
        close(r.payback_months.unwrap(), 50_000.0 / (cost * 0.8 / 12.0), 1e-9);
        close(r.roi_3y_pct.unwrap(), (cost * 0.8 * 3.0 - 50_000.0) / 50_000.0 * 100.0, 1e-9);
    }

    #[test]
    fn implementation_cost_zero_pays_back_at_once_without_a_percentage() {
        let r = roi(RoiInputs { implementation_cost: 0.0, ..Default::default() }, &worked_example());
        assert_eq!(r.payback_months, Some(0.0));
        assert_eq!(r.roi_3y_pct, None);
        assert!(r.notes.iter().any(|n| n.contains("implementation cost 0")));
    }

    #[test]
    fn excluded_incidents_count_in_n_but_not_in_the_average_and_say_what_they_lacked() {
        let mut facts = worked_example();
        facts.push(incident("no-users", "capacity", "2026-03-20", Some(600), None));
        facts.push(incident("no-end", "capacity", "2026-03-21", None, Some(50.0)));
        facts.push(incident("neither", "capacity", "2026-03-22", None, None));
        let r = roi(RoiInputs::default(), &facts);
        assert_eq!(r.incidents, 6);
        close(r.incidents_per_year, 6.0 * 365.0 / 90.0, 1e-12);
        close(r.avg_impact.unwrap(), 0.18, 1e-12);
        let lacks: Vec<(&str, usize)> = r.excluded.iter().map(|e| (e.id.as_str(), e.lacks.len())).collect();
        assert_eq!(lacks, [("no-users", 1), ("no-end", 1), ("neither", 2)]);
        assert_eq!(r.excluded[0].lacks[0], "users affected");
        assert!(r.excluded[1].lacks[0].starts_with("a duration"));
    }

    #[test]
    fn with_every_incident_excluded_nothing_is_computed_and_the_reason_is_given() {
        let facts = vec![incident("x", "capacity", "2026-03-20", Some(60), None)];
        let r = roi(RoiInputs::default(), &facts);
        assert_eq!(r.incidents, 1);
        assert_eq!(
            (r.avg_impact, r.annual_cost, r.annual_savings, r.payback_months, r.roi_3y_pct),
            (None, None, None, None, None)
        );
        assert!(r.notes[0].contains("not computed"), "{:?}", r.notes);
    }

    #[test]
    fn only_the_window_and_the_category_count() {
        let mut facts = worked_example();
        facts.push(incident("before", "capacity", "2025-12-31", Some(60), Some(10.0)));
        facts.push(incident("after", "capacity", "2026-04-01", Some(60), Some(10.0)));
        facts.push(incident("other", "config change", "2026-03-01", Some(60), Some(10.0)));
        let r = roi(RoiInputs::default(), &facts);
        assert_eq!(r.incidents, 3);
        let r = category_roi("CAPACITY", RoiInputs::default(), false, vec![], d("2026-03-31"), &facts);
        assert_eq!(r.incidents, 3, "names match ignoring case");
    }

    #[test]
    fn a_fallback_span_is_flagged_per_incident() {
        let mut f = incident("m", "capacity", "2026-03-20", None, Some(100.0));
        f.markers.mitigated = Some(at(d("2026-03-20"), 30));
        let r = roi(RoiInputs::default(), &[f]);
        assert!(r.included[0].end_from_mitigation && !r.included[0].start_from_detection);
        close(r.included[0].impact, 0.5, 1e-12);
    }

    #[test]
    fn ranking_puts_the_best_roi_first_and_none_last() {
        let facts = worked_example();
        let rep = report(
            vec![
                ("empty".into(), RoiInputs::default(), false, vec![]),
                ("free".into(), RoiInputs { implementation_cost: 0.0, ..Default::default() }, true, vec![]),
                ("capacity".into(), RoiInputs::default(), false, vec![]),
            ],
            d("2026-03-31"),
            &facts,
        );
        let order: Vec<&str> = rep.categories.iter().map(|c| c.category.as_str()).collect();
        assert_eq!(order, ["capacity", "empty", "free"]);
        assert!(rep.rule.contains("still counts in n"));
        assert!(rep.formula.contains("roi_3y_pct"));
    }

    #[test]
    fn overrides_replace_only_what_they_give() {
        let o = RoiOverrides { effectiveness: Some(0.5), ..Default::default() };
        let (i, names) = RoiInputs::default().overridden(Some(30), &o);
        assert_eq!((i.window_days, i.effectiveness, i.hourly_cost), (30, 0.5, 10_000.0));
        assert_eq!(names, ["window_days", "effectiveness"]);
    }
}
