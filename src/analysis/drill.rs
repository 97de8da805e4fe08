//! Drilling down: what a chart's bar or a figure stands for, and the incidents behind it,
//! found by the same rules the figure was counted with ([`super::metrics`]), so a bar of 7
//! always opens 7 incidents.
//!
//! A chart names its bars by rule rather than by id list, so a 365-day chart over a large
//! library does not carry every id of every bar to the window; the list is computed when the
//! user clicks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::facts::IncidentFacts;
use super::metrics::{self, histogram_bin, in_period, Measure};
use super::patterns::PatternKind;
use super::ALL_INCIDENTS;
use crate::model::Severity;

/// What a bar or figure stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Drill {
    /// These incidents, already known where the figure was made (a budget's, a pattern's).
    Incidents {
        /// The postmortems' ids.
        ids: Vec<String>,
    },
    /// The incidents dated `from` to `to` (both included), of one severity when given.
    Period {
        /// First day, included.
        from: NaiveDate,
        /// Last day, included.
        to: NaiveDate,
        /// Only this severity.
        severity: Option<Severity>,
    },
    /// The incidents of `[from, to]` whose `measure` falls in histogram bar `bin`.
    Duration {
        /// Which duration.
        measure: Measure,
        /// First day, included.
        from: NaiveDate,
        /// Last day, included.
        to: NaiveDate,
        /// The bar, 0 (shortest) to 8 (`>24 h`).
        bin: u32,
    },
    /// The incidents of `[from, to]` on the service `name`, as the per-service breakdown groups
    /// them: the name exactly as stored.
    Service {
        /// The service.
        name: String,
        /// First day, included.
        from: NaiveDate,
        /// Last day, included.
        to: NaiveDate,
    },
    /// The repeats of `[from, to]`: incidents sharing a category with one 1 to 90 days earlier
    /// (the repeat-incident rate's rule).
    Repeats {
        /// First day, included.
        from: NaiveDate,
        /// Last day, included.
        to: NaiveDate,
    },
    /// The incidents of `[from, to]` left out of `measure` for lacking a marker it needs.
    Lacking {
        /// Which duration.
        measure: Measure,
        /// First day, included.
        from: NaiveDate,
        /// Last day, included.
        to: NaiveDate,
    },
    /// The incidents of the repeat pattern of `kind` about `subject` over `[from, to]`
    /// (resolved by the library, which finds the families through the search index).
    Pattern {
        /// The pattern's kind.
        pattern: PatternKind,
        /// Its subject, as the pattern names it.
        subject: String,
        /// First day, included.
        from: NaiveDate,
        /// Last day, included.
        to: NaiveDate,
    },
    /// The incidents a category's prevention ROI is counted over, in its window ending on
    /// `to` (resolved by the library, which holds the window).
    Roi {
        /// The category.
        category: String,
        /// The window's last day.
        to: NaiveDate,
    },
    /// The incidents that alone consumed more than 20% of `service`'s error budget over its
    /// window ending on `to`, so that each requires a postmortem (resolved by the library,
    /// which holds the service's SLO).
    BudgetRequired {
        /// The service.
        service: String,
        /// The window's last day.
        to: NaiveDate,
    },
    /// The incidents of `today`'s calendar date in past years ("on this day", see
    /// [`super::anniversary`]).
    OnThisDay {
        /// The day whose date is remembered.
        today: NaiveDate,
    },
    /// The incidents of `[from, to]` labelled with any of `names` (as the category breakdown
    /// counts them: the name exactly as stored).
    Categories {
        /// The categories.
        names: Vec<String>,
        /// First day, included.
        from: NaiveDate,
        /// Last day, included.
        to: NaiveDate,
    },
}

/// The ids of the incidents behind `drill`, oldest first (for [`Drill::Incidents`], as given,
/// keeping only those `facts` still holds); `None` for the drills the library resolves
/// ([`Drill::Pattern`], [`Drill::Roi`], [`Drill::BudgetRequired`]).
pub fn behind(facts: &[IncidentFacts], drill: &Drill) -> Option<Vec<String>> {
    let ids = |it: &mut dyn Iterator<Item = &IncidentFacts>| it.map(|f| f.id.clone()).collect();
    match drill {
        Drill::Incidents { ids: wanted } => {
            let known: std::collections::HashSet<&str> = facts.iter().map(|f| f.id.as_str()).collect();
            Some(wanted.iter().filter(|id| known.contains(id.as_str())).cloned().collect())
        }
        Drill::Pattern { .. } | Drill::Roi { .. } | Drill::BudgetRequired { .. } => None,
        Drill::Repeats { from, to } => {
            // The metrics' own rule; the items, clock and today play no part in the repeats.
            let stats = metrics::stats(facts, &[], *from, *to, None, chrono::DateTime::UNIX_EPOCH, *to, ALL_INCIDENTS);
            Some(stats.current.repeats.repeats.into_iter().map(|r| r.id).collect())
        }
        Drill::Lacking { measure, from, to } => {
            Some(ids(&mut in_period(facts, *from, *to).filter(|f| measure.minutes(f).is_none())))
        }
        Drill::Period { from, to, severity } => {
            Some(ids(&mut in_period(facts, *from, *to).filter(|f| severity.is_none_or(|s| f.severity == s))))
        }
        Drill::Duration { measure, from, to, bin } => Some(ids(&mut in_period(facts, *from, *to)
            .filter(|f| measure.minutes(f).is_some_and(|(m, _)| histogram_bin(m) == *bin as usize)))),
        Drill::Service { name, from, to } => {
            Some(ids(&mut in_period(facts, *from, *to).filter(|f| f.services.iter().any(|s| s == name))))
        }
        Drill::Categories { names, from, to } => {
            Some(ids(&mut in_period(facts, *from, *to).filter(|f| f.categories.iter().any(|c| names.contains(c)))))
        }
        Drill::OnThisDay { today } => {
            let mut found: Vec<&IncidentFacts> =
                super::anniversary::on_this_day(facts, *today).into_iter().map(|(f, _)| f).collect();
            found.sort_by(|a, b| a.incident_date.cmp(&b.incident_date).then(a.id.cmp(&b.id)));
            Some(ids(&mut found.into_iter()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::metrics;
    use chrono::{DateTime, Utc};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn at(d: u32, h: u32, m: u32) -> Option<DateTime<Utc>> {
        Some(day(d).and_hms_opt(h, m, 0).unwrap().and_utc())
    }

    /// Three incidents: a SEV2 resolved in 20 minutes, a SEV1 in 3 hours, a SEV2 with no
    /// resolution; categories Deploy, Deploy+Database, Database.
    fn library() -> Vec<IncidentFacts> {
        let mut a = IncidentFacts { severity: Severity::Sev2, ..IncidentFacts::example("a", day(2)) };
        a.categories = vec!["Deploy".into()];
        a.markers.detected = at(2, 10, 0);
        a.markers.resolved = at(2, 10, 20);
        let mut b = IncidentFacts { severity: Severity::Sev1, ..IncidentFacts::example("b", day(9)) };
        b.categories = vec!["Deploy".into(), "Database".into()];
        b.markers.detected = at(9, 1, 0);
        b.markers.resolved = at(9, 4, 0);
        let mut c = IncidentFacts { severity: Severity::Sev2, ..IncidentFacts::example("c", day(20)) };
        c.categories = vec!["Database".into()];
        c.markers.detected = at(20, 8, 0);
        c.markers.resolved = None;
        vec![a, b, c]
    }

    #[test]
    fn each_drill_finds_what_its_figure_counted() {
        let facts = library();
        let period = |from, to, severity| Drill::Period { from: day(from), to: day(to), severity };
        assert_eq!(behind(&facts, &period(1, 31, None)).unwrap(), ["a", "b", "c"]);
        assert_eq!(behind(&facts, &period(1, 31, Some(Severity::Sev2))).unwrap(), ["a", "c"]);
        assert_eq!(behind(&facts, &period(3, 19, None)).unwrap(), ["b"]);

        // 20 minutes is bar 2 (15–30 min), 3 hours bar 5 (2–4 h); c lacks a resolution.
        let resolve = |bin| Drill::Duration { measure: Measure::TimeToResolve, from: day(1), to: day(31), bin };
        assert_eq!(behind(&facts, &resolve(2)).unwrap(), ["a"]);
        assert_eq!(behind(&facts, &resolve(5)).unwrap(), ["b"]);
        assert!(behind(&facts, &resolve(8)).unwrap().is_empty());

        let cats = |names: &[&str]| Drill::Categories {
            names: names.iter().map(|n| n.to_string()).collect(),
            from: day(1),
            to: day(31),
        };
        assert_eq!(behind(&facts, &cats(&["Database"])).unwrap(), ["b", "c"]);
        assert_eq!(behind(&facts, &cats(&["Deploy", "Database"])).unwrap(), ["a", "b", "c"]);

        let mut on_db = facts.clone();
        on_db[1].services = vec!["Ledger".into()];
        on_db[2].services = vec!["LEDGER".into(), "api".into()];
        let service = |name: &str| Drill::Service { name: name.into(), from: day(1), to: day(31) };
        assert_eq!(behind(&on_db, &service("Ledger")).unwrap(), ["b"], "as the breakdown groups: by the exact name");
        assert_eq!(behind(&on_db, &service("LEDGER")).unwrap(), ["c"]);

        let known = Drill::Incidents { ids: vec!["c".into(), "gone".into(), "a".into()] };
        assert_eq!(behind(&facts, &known).unwrap(), ["c", "a"]);
    }

    #[test]
    fn a_drill_opens_as_many_incidents_as_its_bar_counts() {
        let facts = library();
        let stats = metrics::stats(&facts, &[], day(1), day(31), None, at(31, 0, 0).unwrap(), day(31), ALL_INCIDENTS);
        for (bin, bar) in stats.current.durations.time_to_resolve.histogram.iter().enumerate() {
            let drill = Drill::Duration { measure: Measure::TimeToResolve, from: day(1), to: day(31), bin: bin as u32 };
            assert_eq!(behind(&facts, &drill).unwrap().len(), bar.count as usize, "bar {}", bar.label);
        }
        for week in &stats.current.weekly {
            let drill = Drill::Period { from: week.start, to: week.end, severity: None };
            assert_eq!(behind(&facts, &drill).unwrap().len(), week.counts.total as usize, "week {}", week.label);
        }
        // b repeats a's Deploy and c repeats b's Database, within 90 days: the rate's rule.
        let repeats = behind(&facts, &Drill::Repeats { from: day(1), to: day(31) }).unwrap();
        assert_eq!(repeats, ["b", "c"]);
        assert_eq!(repeats.len(), stats.current.repeats.rate.count as usize);
        let lacking = Drill::Lacking { measure: Measure::TimeToResolve, from: day(1), to: day(31) };
        assert_eq!(behind(&facts, &lacking).unwrap(), ["c"], "c has no resolution");
        let pattern =
            Drill::Pattern { pattern: PatternKind::Rising, subject: "Deploy".into(), from: day(1), to: day(31) };
        assert_eq!(behind(&facts, &pattern), None, "the library resolves patterns");
    }
}
