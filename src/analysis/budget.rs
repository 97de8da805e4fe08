//! Error budgets per service, as PRODUCT.md defines them (seed 003, Google's error-budget
//! policy).
//!
//! A service with SLO `s` over a window of `w` days has `(1 - s) * w * 1440` minutes of budget
//! (99.9% over 30 days is 43.2 minutes); the window is the `w` days ending on the report's date,
//! both ends included. Each incident of the service whose incident date falls in the window
//! consumes its impact span in minutes ([`IncidentFacts::impact_span`], with the detection and
//! mitigation fallbacks flagged) times the fraction of users affected; when the postmortem does
//! not give users affected, all users (100%) are assumed and the incident says so. An incident
//! without an impact span is listed as not counted.
//!
//! **Status** by the percentage of the budget remaining, `r`:
//! - healthy when `r > 50`;
//! - caution when `25 <= r <= 50` (50% exactly is caution: healthy is *above* 50%);
//! - warning when `0 < r < 25` (PRODUCT.md names 10 to 25%; below 10% stays warning until the
//!   budget is gone, there being no fifth status);
//! - exhausted when `r <= 0`.
//!
//! Percentages are rounded to a millionth of a percent ([`pct_rounded`]) before they meet a
//! boundary, so floating-point noise cannot tip a service over one.
//!
//! **Postmortem required**: an incident that alone consumed more than 20% (strictly) of the
//! window's budget. **Flagged for planning**: a category whose incidents of the service
//! consumed more than 20% (strictly) of the budget of the quarter, the 90 days ending on the
//! report's date (`(1 - s) * 90 * 1440` minutes), whatever the service's own window.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::facts::IncidentFacts;
use super::roi::window_start;
use crate::model::Service;
use crate::wire::{BudgetExclusion, BudgetIncident, BudgetStatus, CategoryBurn, ServiceBudget};

/// The window used for a service with an SLO target but no window set.
pub const DEFAULT_WINDOW_DAYS: i64 = 30;
/// The share of a window's budget (percent) above which one incident requires a postmortem.
pub const POSTMORTEM_REQUIRED_PCT: f64 = 20.0;
/// The share of a quarter's budget (percent) above which a category is flagged for planning.
pub const PLANNING_FLAG_PCT: f64 = 20.0;
/// The days of the quarter the planning flag looks at.
pub const QUARTER_DAYS: i64 = 90;

/// The rules applied, in words.
pub const RULE: &str = "Budget = (1 - SLO) * window minutes, over the window's days ending on the \
     date. Each incident of the service in the window consumes its impact span (started to \
     resolved; detection stands in for a missing start, mitigation for a missing resolution) in \
     minutes times users affected / 100, all users when not given. Status by budget remaining: \
     healthy above 50%, caution 25% to 50% inclusive, warning above 0% and below 25%, exhausted \
     at 0% or less. An incident that alone consumed more than 20% of the budget requires a \
     postmortem. A category that consumed more than 20% of the budget of the 90 days ending on \
     the date is flagged for planning. Incidents without an impact span are not counted.";

/// Minutes of error budget for an SLO `target` (a fraction) over `window_days`.
pub fn budget_minutes(target: f64, window_days: i64) -> f64 {
    (1.0 - target) * window_days as f64 * 24.0 * 60.0
}

impl BudgetStatus {
    /// The status for `remaining_pct` percent of the budget remaining (see the module's
    /// boundaries).
    pub fn from_remaining_pct(remaining_pct: f64) -> BudgetStatus {
        let remaining_pct = pct_rounded(remaining_pct);
        if remaining_pct > 50.0 {
            BudgetStatus::Healthy
        } else if remaining_pct >= 25.0 {
            BudgetStatus::Caution
        } else if remaining_pct > 0.0 {
            BudgetStatus::Warning
        } else {
            BudgetStatus::Exhausted
        }
    }
}

/// A percentage rounded to a millionth of a percent before it meets a boundary, so the noise of
/// `1 - 0.999` (which is not exactly 0.001 in binary) cannot move a service across one: half of
/// a 43.2-minute budget used leaves exactly 50%, which is caution.
pub fn pct_rounded(pct: f64) -> f64 {
    (pct * 1e6).round() / 1e6
}

/// What one incident consumed, if it has an impact span: (minutes consumed, the draw).
fn draw(f: &IncidentFacts) -> Option<(f64, BudgetIncident)> {
    let span = f.impact_span()?;
    let pct = f.users_affected_pct.unwrap_or(100.0);
    let consumed = span.minutes * pct / 100.0;
    Some((
        consumed,
        BudgetIncident {
            id: f.id.clone(),
            title: f.title.clone(),
            incident_date: f.incident_date,
            categories: f.categories.clone(),
            impact_minutes: span.minutes,
            users_affected_pct: pct,
            all_users_assumed: f.users_affected_pct.is_none(),
            start_from_detection: span.start_from_detection,
            end_from_mitigation: span.end_from_mitigation,
            consumed_minutes: consumed,
            consumed_pct: 0.0,
            postmortem_required: false,
        },
    ))
}

/// The error budget of `service` over its window ending on `to`; `None` when the service has
/// no SLO target.
pub fn service_budget(service: &Service, to: NaiveDate, facts: &[IncidentFacts]) -> Option<ServiceBudget> {
    let target = service.slo_target?;
    let window_days = service.slo_window_days.unwrap_or(DEFAULT_WINDOW_DAYS);
    let from = window_start(to, window_days);
    let budget = budget_minutes(target, window_days);
    let of_service = |f: &&IncidentFacts| f.services.iter().any(|s| s.eq_ignore_ascii_case(&service.name));

    let mut incidents = Vec::new();
    let mut not_counted = Vec::new();
    let mut consumed = 0.0;
    for f in facts.iter().filter(of_service).filter(|f| f.incident_date >= from && f.incident_date <= to) {
        match draw(f) {
            Some((minutes, mut row)) => {
                consumed += minutes;
                row.consumed_pct = pct_rounded(minutes / budget * 100.0);
                row.postmortem_required = row.consumed_pct > POSTMORTEM_REQUIRED_PCT;
                incidents.push(row);
            }
            None => not_counted.push(BudgetExclusion {
                id: f.id.clone(),
                title: f.title.clone(),
                incident_date: f.incident_date,
                reason: "no impact span (no start or detection, or no resolution or mitigation, marker)".into(),
            }),
        }
    }
    incidents.sort_by(|a, b| b.consumed_minutes.total_cmp(&a.consumed_minutes).then_with(|| a.id.cmp(&b.id)));

    let quarter_from = window_start(to, QUARTER_DAYS);
    let quarter_budget = budget_minutes(target, QUARTER_DAYS);
    let mut by_category: BTreeMap<String, (String, f64, Vec<String>)> = BTreeMap::new();
    for f in facts.iter().filter(of_service).filter(|f| f.incident_date >= quarter_from && f.incident_date <= to) {
        let Some((minutes, _)) = draw(f) else { continue };
        for c in &f.categories {
            let e = by_category.entry(c.to_ascii_lowercase()).or_insert_with(|| (c.clone(), 0.0, Vec::new()));
            e.1 += minutes;
            e.2.push(f.id.clone());
        }
    }
    let mut categories_flagged: Vec<CategoryBurn> = by_category
        .into_values()
        .map(|(category, minutes, incidents)| CategoryBurn {
            category,
            consumed_minutes: minutes,
            consumed_pct: pct_rounded(minutes / quarter_budget * 100.0),
            incidents,
        })
        .filter(|c| c.consumed_pct > PLANNING_FLAG_PCT)
        .collect();
    categories_flagged.sort_by(|a, b| b.consumed_minutes.total_cmp(&a.consumed_minutes));

    let remaining = budget - consumed;
    let remaining_pct = pct_rounded(remaining / budget * 100.0);
    Some(ServiceBudget {
        required_total: incidents.iter().filter(|i| i.postmortem_required).count() as u32,
        service: service.name.clone(),
        slo_target: target,
        window_days,
        window_defaulted: service.slo_window_days.is_none(),
        from,
        to,
        budget_minutes: budget,
        consumed_minutes: consumed,
        remaining_minutes: remaining,
        remaining_pct,
        status: BudgetStatus::from_remaining_pct(remaining_pct),
        incidents,
        not_counted,
        categories_flagged,
        rule: RULE.to_string(),
    })
}

/// The error budget of every service with an SLO target, in the order given.
pub fn budgets(services: &[Service], to: NaiveDate, facts: &[IncidentFacts]) -> Vec<ServiceBudget> {
    services.iter().filter_map(|s| service_budget(s, to, facts)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::facts::MarkerTimes;
    use crate::model::ReviewStatus;
    use chrono::{DateTime, Duration, TimeZone, Utc};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(date: NaiveDate, minutes: f64) -> DateTime<Utc> {
        Utc.from_utc_datetime(&date.and_hms_opt(10, 0, 0).unwrap()) + Duration::seconds((minutes * 60.0) as i64)
    }

    fn service(name: &str) -> Service {
        Service {
            name: name.into(),
            description: String::new(),
            slo_target: Some(0.999),
            slo_window_days: Some(30),
            team: None,
            retired: false,
        }
    }

    fn incident(id: &str, category: &str, date: &str, minutes: Option<f64>, pct: Option<f64>) -> IncidentFacts {
        let date = d(date);
        IncidentFacts {
            status: ReviewStatus::Final,
            services: vec!["api".into()],
            categories: vec![category.into()],
            users_affected_pct: pct,
            markers: MarkerTimes {
                started: Some(at(date, 0.0)),
                resolved: minutes.map(|m| at(date, m)),
                ..Default::default()
            },
            ..IncidentFacts::example(id, date)
        }
    }

    const TO: &str = "2026-03-31";

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-6, "{a} is not {b}");
    }

    #[test]
    fn ninety_nine_point_nine_over_thirty_days_is_43_2_minutes() {
        close(budget_minutes(0.999, 30), 43.2);
        let b = service_budget(&service("api"), d(TO), &[]).unwrap();
        close(b.budget_minutes, 43.2);
        assert_eq!((b.from, b.to), (d("2026-03-02"), d(TO)), "30 days ending on the date");
    }

    #[test]
    fn the_status_at_each_boundary() {
        use BudgetStatus::*;
        let s = BudgetStatus::from_remaining_pct;
        assert_eq!(s(100.0), Healthy);
        assert_eq!(s(50.000001), Healthy);
        assert_eq!(s(50.0), Caution, "healthy is above 50%");
        assert_eq!(s(25.0), Caution, "caution is 25 to 50% inclusive");
        assert_eq!(s(24.999999), Warning);
        assert_eq!(s(10.0), Warning);
        assert_eq!(s(9.999), Warning, "below 10% stays warning until exhausted");
        assert_eq!(s(0.000001), Warning);
        assert_eq!(s(0.0), Exhausted);
        assert_eq!(s(-30.0), Exhausted);
    }

    #[test]
    fn the_status_follows_the_consumption() {
        // 43.2 minutes of budget; 21.6 minutes consumed leaves exactly 50%: caution.
        let facts = [incident("a", "capacity", "2026-03-20", Some(21.6), Some(100.0))];
        let b = service_budget(&service("api"), d(TO), &facts).unwrap();
        close(b.remaining_pct, 50.0);
        assert_eq!(b.status, BudgetStatus::Caution);
        let facts = [incident("a", "capacity", "2026-03-20", Some(43.2), Some(100.0))];
        let b = service_budget(&service("api"), d(TO), &facts).unwrap();
        assert_eq!(b.status, BudgetStatus::Exhausted);
        let facts = [incident("a", "capacity", "2026-03-20", Some(90.0), None)];
        assert_eq!(service_budget(&service("api"), d(TO), &facts).unwrap().status, BudgetStatus::Exhausted);
    }

    #[test]
    fn a_lone_incident_over_20_percent_requires_a_postmortem() {
        // 20% of 43.2 is 8.64 minutes: 10 minutes at 100% is over, 8 minutes is not, and 10
        // minutes at 50% (5 minutes) is not.
        let facts = [
            incident("big", "capacity", "2026-03-20", Some(10.0), Some(100.0)),
            incident("small", "capacity", "2026-03-21", Some(8.0), Some(100.0)),
            incident("half", "capacity", "2026-03-22", Some(10.0), Some(50.0)),
        ];
        let b = service_budget(&service("api"), d(TO), &facts).unwrap();
        let req: Vec<(&str, bool)> = b.incidents.iter().map(|i| (i.id.as_str(), i.postmortem_required)).collect();
        assert_eq!(req, [("big", true), ("small", false), ("half", false)], "largest draw first");
        close(b.consumed_minutes, 23.0);
        close(b.incidents[0].consumed_pct, 10.0 / 43.2 * 100.0);
    }

    #[test]
    fn exactly_20_percent_is_not_more_than_20_percent() {
        // 99% over 30 days is 432 minutes; 86.4 minutes is exactly 20%, 86.5 is over.
        let svc = Service { slo_target: Some(0.99), ..service("api") };
        let at_20 = [incident("a", "capacity", "2026-03-20", Some(86.4), Some(100.0))];
        let b = service_budget(&svc, d(TO), &at_20).unwrap();
        close(b.incidents[0].consumed_pct, 20.0);
        assert!(!b.incidents[0].postmortem_required);
        let over = [incident("a", "capacity", "2026-03-20", Some(86.5), Some(100.0))];
        assert!(service_budget(&svc, d(TO), &over).unwrap().incidents[0].postmortem_required);
    }

    #[test]
    fn a_category_over_20_percent_of_the_quarter_is_flagged_for_planning() {
        // The quarter's budget is 0.001 * 90 * 1440 = 129.6 minutes; 20% is 25.92.
        let facts = [
            incident("q1", "capacity", "2026-01-15", Some(20.0), Some(100.0)), // outside the 30 days
            incident("q2", "capacity", "2026-03-20", Some(10.0), Some(100.0)),
            incident("c1", "config change", "2026-03-21", Some(25.0), Some(100.0)),
            incident("old", "dependency", "2025-12-01", Some(500.0), Some(100.0)), // before the quarter
        ];
        let b = service_budget(&service("api"), d(TO), &facts).unwrap();
        assert_eq!(b.incidents.len(), 2, "only the window's incidents consume this window's budget");
        let flagged: Vec<(&str, usize)> =
            b.categories_flagged.iter().map(|c| (c.category.as_str(), c.incidents.len())).collect();
        assert_eq!(flagged, [("capacity", 2)]);
        close(b.categories_flagged[0].consumed_pct, 30.0 / 129.6 * 100.0);
    }

    #[test]
    fn no_incidents_leave_the_whole_budget() {
        let b = service_budget(&service("api"), d(TO), &[]).unwrap();
        close(b.remaining_pct, 100.0);
        assert_eq!(b.status, BudgetStatus::Healthy);
        assert!(b.incidents.is_empty() && b.not_counted.is_empty() && b.categories_flagged.is_empty());
    }

    #[test]
    fn users_not_given_means_all_users_and_says_so() {
        let facts = [incident("a", "capacity", "2026-03-20", Some(21.6), None)];
        let b = service_budget(&service("api"), d(TO), &facts).unwrap();
        assert!(b.incidents[0].all_users_assumed);
        close(b.incidents[0].users_affected_pct, 100.0);
        close(b.remaining_pct, 50.0);
    }

    #[test]
    fn incidents_without_a_span_are_listed_as_not_counted() {
        let facts = [incident("open", "capacity", "2026-03-20", None, Some(100.0))];
        let b = service_budget(&service("api"), d(TO), &facts).unwrap();
        assert!(b.incidents.is_empty());
        assert_eq!(b.not_counted[0].id, "open");
        close(b.consumed_minutes, 0.0);
    }

    #[test]
    fn services_without_an_slo_have_no_budget_and_a_missing_window_is_30_days_and_said() {
        let none = Service { slo_target: None, ..service("x") };
        let no_window = Service { slo_window_days: None, ..service("api") };
        let all = budgets(&[none, no_window], d(TO), &[]);
        assert_eq!(all.len(), 1);
        assert!(all[0].window_defaulted);
        assert_eq!(all[0].window_days, 30);
    }
}
