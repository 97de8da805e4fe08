//! "On this day" (issue 11 part 6): the incidents that happened on today's calendar date in
//! past years, for the Insights screen's card.
//!
//! Rules:
//! - the same month and day as `today` (the user's local date, [`crate::clock::today`]), in an
//!   earlier year; an incident of this year is not a memory yet;
//! - 29 February: on 28 February of a year that has no 29th, the incidents of past 29ths are
//!   shown too, so a leap-day incident comes back every year rather than every fourth; on
//!   29 February itself only the 29ths are shown (the 28ths had their day);
//! - most recent year first, then by severity (SEV1 first), then by id.

use chrono::{Datelike, NaiveDate};

use super::facts::IncidentFacts;

/// The incidents of `facts` on this day in past years, with how many years ago each was.
pub fn on_this_day(facts: &[IncidentFacts], today: NaiveDate) -> Vec<(&IncidentFacts, u32)> {
    let leap_stand_in =
        today.month() == 2 && today.day() == 28 && NaiveDate::from_ymd_opt(today.year(), 2, 29).is_none();
    let mut out: Vec<(&IncidentFacts, u32)> = facts
        .iter()
        .filter(|f| f.incident_date.year() < today.year())
        .filter(|f| {
            let d = f.incident_date;
            (d.month() == today.month() && d.day() == today.day()) || (leap_stand_in && d.month() == 2 && d.day() == 29)
        })
        .map(|f| (f, (today.year() - f.incident_date.year()) as u32))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.severity.cmp(&b.0.severity)).then(a.0.id.cmp(&b.0.id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ids(found: &[(&IncidentFacts, u32)]) -> Vec<(String, u32)> {
        found.iter().map(|(f, y)| (f.id.clone(), *y)).collect()
    }

    fn library() -> Vec<IncidentFacts> {
        [
            ("a", "2023-06-15"),
            ("b", "2025-06-15"),
            ("c", "2026-06-15"),
            ("d", "2025-06-14"),
            ("e", "2025-06-16"),
            ("leap", "2024-02-29"),
            ("feb28", "2025-02-28"),
            ("mar1", "2025-03-01"),
        ]
        .iter()
        .map(|(id, date)| IncidentFacts::example(id, d(date)))
        .collect()
    }

    #[test]
    fn the_same_date_in_past_years_newest_first_and_not_this_year() {
        let facts = library();
        assert_eq!(ids(&on_this_day(&facts, d("2026-06-15"))), [("b".into(), 1), ("a".into(), 3)]);
    }

    #[test]
    fn a_day_with_no_past_incidents_gives_none() {
        assert!(on_this_day(&library(), d("2026-06-17")).is_empty());
        assert!(on_this_day(&[], d("2026-06-15")).is_empty());
    }

    #[test]
    fn on_28_february_of_a_common_year_the_29ths_come_back_too() {
        let facts = library();
        // 2026 has no 29 February: the 28th shows the 28ths and the leap day.
        assert_eq!(ids(&on_this_day(&facts, d("2026-02-28"))), [("feb28".into(), 1), ("leap".into(), 2)]);
        // 1 March is not a stand-in.
        assert_eq!(ids(&on_this_day(&facts, d("2026-03-01"))), [("mar1".into(), 1)]);
    }

    #[test]
    fn on_29_february_only_the_29ths() {
        let facts = library();
        assert_eq!(ids(&on_this_day(&facts, d("2028-02-29"))), [("leap".into(), 4)]);
        // In a leap year the 28th is only the 28th.
        assert_eq!(ids(&on_this_day(&facts, d("2028-02-28"))), [("feb28".into(), 3)]);
    }

    #[test]
    fn ties_in_a_year_go_by_severity() {
        let mut facts = library();
        facts.push(IncidentFacts {
            severity: crate::model::Severity::Sev1,
            ..IncidentFacts::example("z", d("2025-06-15"))
        });
        assert_eq!(ids(&on_this_day(&facts, d("2026-06-15"))), [("z".into(), 1), ("b".into(), 1), ("a".into(), 3)]);
    }
}
