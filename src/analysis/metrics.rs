//! Metrics over any period (issue 11, part 2): incidents by severity per week and month, the
//! durations from detection to resolution as distributions, MTBF per service, postmortem
//! discipline, action-item completion and the repeat-incident rate, each with the incidents it
//! rests on, and the same figures for the previous period of the same length.
//!
//! The rules, one per figure:
//! - An incident belongs to a period when its incident date falls in `[from, to]`, both
//!   included; narrowed to a service, when that service is among its services (ignoring case).
//! - Durations are in minutes between the first events carrying each marker: detect =
//!   started→detected, acknowledge = detected→acknowledged, mitigate = detected→mitigated,
//!   resolve = detected→resolved, impact = [`IncidentFacts::impact_span`] (detection for a
//!   missing start, mitigation for a missing resolution, each listed). An incident missing a
//!   marker, or whose end is before its start, is listed as lacking and left out.
//! - Percentiles are nearest-rank: the p-th percentile of n sorted values is the value at rank
//!   `ceil(p / 100 * n)` (1-based); the median is the 50th percentile, so the lower middle
//!   value for an even n. The same method everywhere, breakdowns included.
//! - MTBF of a service: (last incident date − first incident date) / (incidents − 1) days,
//!   i.e. the mean gap between consecutive incident dates; needs two incidents.
//! - SEV1/SEV2 reaching Final: SEV1 and SEV2 incidents whose postmortem is Final now, over all
//!   SEV1 and SEV2 incidents.
//! - Drafts within 48 hours: [`IncidentFacts::draft_within`] for every incident; on time over
//!   decided, the undecided listed.
//! - Action-item completion: [`ItemFacts::done_within_window`] (PRODUCT.md's definition, as of
//!   `today`) over the items of the period's incidents.
//! - Repeat-incident rate (PRODUCT.md): incidents of the period sharing a category with an
//!   incident of the whole library dated 1 to 90 days earlier (so possibly before the period,
//!   and of any service), over all incidents of the period.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use strum::VariantArray;
use ts_rs::TS;

use super::facts::IncidentFacts;
use super::followthrough::ItemFacts;
use crate::model::{ReviewStatus, Severity};
use crate::wire::{
    Breakdown, DraftTimeliness, DurationStats, HistogramBin, IncidentRef, ItemCompletion, PeriodDurations, PeriodStats,
    Ratio, RepeatRate, ServiceMtbf, SeverityCounts, Stats, TimeBucket,
};

/// Hours after the resolution a draft is due in (PRODUCT.md, "Postmortem required").
pub const DRAFT_DUE_HOURS: i64 = 48;
/// How far back an earlier incident of the same category makes a repeat.
pub const REPEAT_WINDOW_DAYS: i64 = 90;
/// The histogram's inner edges in minutes: bars 0–5, 5–15, 15–30, 30–60 min, 1–2, 2–4, 4–8,
/// 8–24 h and >24 h, each including its lower edge.
pub const HISTOGRAM_EDGES_MIN: [f64; 8] = [5.0, 15.0, 30.0, 60.0, 120.0, 240.0, 480.0, 1440.0];
const HISTOGRAM_LABELS: [&str; 9] =
    ["0–5 min", "5–15 min", "15–30 min", "30–60 min", "1–2 h", "2–4 h", "4–8 h", "8–24 h", ">24 h"];

/// The metrics of `[from, to]` and of the period of the same length before it, optionally
/// narrowed to `service`. `facts` is every incident of the library (earlier ones decide
/// repeats), `items` every action item; `now` decides whether a draft's 48 hours have passed
/// and `today` whether an item is old enough to count. A `from` after `to` gives empty periods.
/// Each list of incidents (repeats, undecided drafts, those lacking a marker or counted with a
/// fallback) holds its first `keep` ([`super::ALL_INCIDENTS`]: all); the figures count them all.
#[allow(clippy::too_many_arguments)] // each is one input of the rules above; a struct would only rename them
pub fn stats(
    facts: &[IncidentFacts],
    items: &[ItemFacts],
    from: NaiveDate,
    to: NaiveDate,
    service: Option<&str>,
    now: DateTime<Utc>,
    today: NaiveDate,
    keep: usize,
) -> Stats {
    let days = ((to - from).num_days() + 1).max(1);
    let counter = Counter::new(facts, items, now, today, keep);
    Stats {
        service: service.map(str::to_string),
        current: counter.period(from, to, service),
        previous: counter.period(from - Duration::days(days), from - Duration::days(1), service),
        budgets: Vec::new(), // the library adds them (analysis::budget), from the taxonomy's SLOs
    }
}

/// What both periods share: the library's incidents, its items by incident, and each
/// category's incident dates (sorted) for the repeat rule.
struct Counter<'a> {
    facts: &'a [IncidentFacts],
    items: FxHashMap<&'a str, ItemTally>,
    category_dates: FxHashMap<&'a str, Vec<NaiveDate>>,
    now: DateTime<Utc>,
    /// How many incidents each list holds.
    keep: usize,
}

impl<'a> Counter<'a> {
    fn new(
        facts: &'a [IncidentFacts],
        items: &'a [ItemFacts],
        now: DateTime<Utc>,
        today: NaiveDate,
        keep: usize,
    ) -> Self {
        // Each incident's items are only counted, as of `today`, whatever the period: counted
        // once here rather than listed and walked for each period.
        let mut by_incident: FxHashMap<&str, ItemTally> = FxHashMap::default();
        for item in items {
            let tally = by_incident.entry(item.postmortem_id.as_str()).or_default();
            match item.done_within_window(today) {
                Some(ok) => {
                    tally.eligible += 1;
                    tally.done += usize::from(ok);
                }
                None => tally.too_recent += 1,
            }
        }
        let mut category_dates: FxHashMap<&str, Vec<NaiveDate>> = FxHashMap::default();
        for f in facts {
            for c in &f.categories {
                category_dates.entry(c.as_str()).or_default().push(f.incident_date);
            }
        }
        for dates in category_dates.values_mut() {
            dates.sort_unstable();
        }
        Counter { facts, items: by_incident, category_dates, now, keep }
    }

    fn period(&self, from: NaiveDate, to: NaiveDate, service: Option<&str>) -> PeriodStats {
        let has_service =
            |f: &IncidentFacts| service.is_none_or(|s| f.services.iter().any(|x| x.eq_ignore_ascii_case(s)));
        let incidents: Vec<&IncidentFacts> = in_period(self.facts, from, to).filter(|f| has_service(f)).collect();
        // Narrowed to a service, only that service's own rows: another service named on the
        // same incidents would show only the incidents it shares with this one.
        let in_scope = |s: &str| service.is_none_or(|want| want.eq_ignore_ascii_case(s));
        let mut by_service = group_by(&incidents, |f| &f.services);
        by_service.retain(|(s, _)| in_scope(s));

        PeriodStats {
            from,
            to,
            incidents: SeverityCounts::of(&incidents),
            near_misses: near_misses(&incidents),
            weekly: weekly(&incidents, from, to),
            monthly: monthly(&incidents, from, to),
            durations: PeriodDurations {
                time_to_detect: duration_stats(&incidents, Measure::TimeToDetect, self.keep),
                time_to_acknowledge: duration_stats(&incidents, Measure::TimeToAcknowledge, self.keep),
                time_to_mitigate: duration_stats(&incidents, Measure::TimeToMitigate, self.keep),
                time_to_resolve: duration_stats(&incidents, Measure::TimeToResolve, self.keep),
                impact: duration_stats(&incidents, Measure::Impact, self.keep),
            },
            mtbf: by_service.iter().map(|(service, list)| mtbf(service.to_string(), list)).collect(),
            sev12_final: {
                let severe: Vec<_> =
                    incidents.iter().filter(|f| matches!(f.severity, Severity::Sev1 | Severity::Sev2)).collect();
                Ratio::new(severe.iter().filter(|f| f.status == ReviewStatus::Final).count(), severe.len())
            },
            drafts_within_48h: self.drafts(&incidents),
            action_items: self.items(&incidents),
            repeats: self.repeats(&incidents),
            by_service: by_service.iter().map(|(key, list)| breakdown(key.to_string(), list)).collect(),
            by_severity: Severity::ALL
                .iter()
                .map(|s| {
                    let list: Vec<&IncidentFacts> = incidents.iter().copied().filter(|f| f.severity == *s).collect();
                    breakdown(s.as_str().to_string(), &list)
                })
                .collect(),
            by_category: group_by(&incidents, |f| &f.categories)
                .into_iter()
                .map(|(key, list)| breakdown(key.to_string(), &list))
                .collect(),
        }
    }

    fn drafts(&self, incidents: &[&IncidentFacts]) -> DraftTimeliness {
        let (mut on_time, mut decided, mut undecided) = (0, 0, Vec::new());
        for f in incidents {
            match f.draft_within(DRAFT_DUE_HOURS, self.now) {
                Some(ok) => {
                    decided += 1;
                    on_time += usize::from(ok);
                }
                None => list(&mut undecided, f, self.keep),
            }
        }
        DraftTimeliness { on_time: Ratio::new(on_time, decided), undecided }
    }

    fn items(&self, incidents: &[&IncidentFacts]) -> ItemCompletion {
        let (mut done, mut eligible, mut with_items, mut too_recent) = (0, 0, 0, 0);
        for f in incidents {
            if let Some(tally) = self.items.get(f.id.as_str()) {
                eligible += tally.eligible;
                done += tally.done;
                too_recent += tally.too_recent;
                with_items += u32::from(tally.eligible > 0);
            }
        }
        ItemCompletion { done_within_30_days: Ratio::new(done, eligible), incidents: with_items, too_recent }
    }

    fn repeats(&self, incidents: &[&IncidentFacts]) -> RepeatRate {
        let (mut count, mut repeats) = (0, Vec::new());
        let is_repeat = |f: &IncidentFacts| {
            let earliest = f.incident_date - Duration::days(REPEAT_WINDOW_DAYS);
            f.categories.iter().any(|c| {
                let dates = self.category_dates.get(c.as_str()).map_or(&[][..], Vec::as_slice);
                // The latest date of the category strictly before this incident's.
                let before = dates.partition_point(|d| *d < f.incident_date);
                before > 0 && dates[before - 1] >= earliest
            })
        };
        for f in incidents.iter().filter(|f| is_repeat(f)) {
            count += 1;
            list(&mut repeats, f, self.keep);
        }
        RepeatRate { rate: Ratio::new(count, incidents.len()), repeats }
    }
}

/// One incident's action items as counted for completion as of `today`.
#[derive(Default)]
struct ItemTally {
    /// Items old enough to count.
    eligible: usize,
    /// Of those, items done within the window.
    done: usize,
    /// Items too recent to count yet.
    too_recent: u32,
}

impl SeverityCounts {
    fn of(incidents: &[&IncidentFacts]) -> SeverityCounts {
        let mut c = SeverityCounts::default();
        for f in incidents {
            c.add(f.severity);
        }
        c
    }

    fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Sev1 => self.sev1 += 1,
            Severity::Sev2 => self.sev2 += 1,
            Severity::Sev3 => self.sev3 += 1,
            Severity::Sev4 => self.sev4 += 1,
        }
        self.total += 1;
    }
}

impl Ratio {
    fn new(count: usize, of: usize) -> Ratio {
        Ratio { count: count as u32, of: of as u32, rate: (of > 0).then(|| count as f64 / of as f64) }
    }
}

impl IncidentRef {
    fn of(f: &IncidentFacts) -> IncidentRef {
        IncidentRef { id: f.id.clone(), title: f.title.clone() }
    }
}

/// One of the five durations a period's figures are counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, VariantArray)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Measure {
    /// Started to detected.
    TimeToDetect,
    /// Detected to acknowledged.
    TimeToAcknowledge,
    /// Detected to mitigated.
    TimeToMitigate,
    /// Detected to resolved.
    TimeToResolve,
    /// Started to resolved, with the stated fallbacks of [`IncidentFacts::impact_span`].
    Impact,
}

impl Measure {
    /// The measure's minutes for `f` and whether a stated fallback was used, or `None` when the
    /// incident lacks a marker it needs or its end is before its start.
    pub fn minutes(self, f: &IncidentFacts) -> Option<(f64, bool)> {
        let m = &f.markers;
        match self {
            Measure::TimeToDetect => between(m.started, m.detected),
            Measure::TimeToAcknowledge => between(m.detected, m.acknowledged),
            Measure::TimeToMitigate => between(m.detected, m.mitigated),
            Measure::TimeToResolve => resolve(f),
            Measure::Impact => f.impact_span().map(|s| (s.minutes, s.start_from_detection || s.end_from_mitigation)),
        }
    }

    /// This measure's figures among a period's five.
    pub fn of(self, d: &crate::wire::PeriodDurations) -> &crate::wire::DurationStats {
        match self {
            Measure::TimeToDetect => &d.time_to_detect,
            Measure::TimeToAcknowledge => &d.time_to_acknowledge,
            Measure::TimeToMitigate => &d.time_to_mitigate,
            Measure::TimeToResolve => &d.time_to_resolve,
            Measure::Impact => &d.impact,
        }
    }

    /// How the screens and reports name it.
    pub fn label(self) -> &'static str {
        match self {
            Measure::TimeToDetect => "Time to detect",
            Measure::TimeToAcknowledge => "Time to acknowledge",
            Measure::TimeToMitigate => "Time to mitigate",
            Measure::TimeToResolve => "Time to resolve",
            Measure::Impact => "Impact duration",
        }
    }
}

/// The histogram bar `minutes` falls in: 0 for `[0, 5)`, up to 8 for `>= 24 h`.
pub fn histogram_bin(minutes: f64) -> usize {
    HISTOGRAM_EDGES_MIN.partition_point(|edge| *edge <= minutes)
}

/// The incidents dated in `[from, to]`, oldest first, as the metrics count them.
pub fn in_period(facts: &[IncidentFacts], from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = &IncidentFacts> {
    facts.iter().filter(move |f| f.incident_date >= from && f.incident_date <= to)
}

fn near_misses(incidents: &[&IncidentFacts]) -> u32 {
    incidents.iter().filter(|f| f.near_miss).count() as u32
}

/// Minutes from `a` to `b`, when both exist and `b` is not before `a`; never a fallback.
fn between(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<(f64, bool)> {
    let minutes = (b? - a?).num_seconds() as f64 / 60.0;
    (minutes >= 0.0).then_some((minutes, false))
}

fn resolve(f: &IncidentFacts) -> Option<(f64, bool)> {
    between(f.markers.detected, f.markers.resolved)
}

/// The nearest-rank `p`-th percentile of `sorted` (ascending): the value at rank
/// `ceil(p / 100 * n)`, 1-based; `None` when empty.
fn percentile(sorted: &[f64], p: usize) -> Option<f64> {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    // Values equal under total_cmp are the same bits, so an unstable sort gives the same order.
    values.sort_unstable_by(f64::total_cmp);
    values
}

/// Adds `f` to `list` unless it already holds `keep` incidents.
fn list(list: &mut Vec<IncidentRef>, f: &IncidentFacts, keep: usize) {
    if list.len() < keep {
        list.push(IncidentRef::of(f));
    }
}

/// One duration's distribution over `incidents`, listing the first `keep` incidents lacking
/// its markers and the first `keep` counted with a fallback.
fn duration_stats(incidents: &[&IncidentFacts], measure: Measure, keep: usize) -> DurationStats {
    let (mut values, mut lacking, mut fallbacks) = (Vec::new(), Vec::new(), Vec::new());
    let (mut lacking_total, mut fallback_total) = (0, 0);
    for f in incidents {
        match measure.minutes(f) {
            Some((minutes, fallback)) => {
                values.push(minutes);
                if fallback {
                    fallback_total += 1;
                    list(&mut fallbacks, f, keep);
                }
            }
            None => {
                lacking_total += 1;
                list(&mut lacking, f, keep);
            }
        }
    }
    let values = sorted(values);
    let mut histogram: Vec<HistogramBin> = HISTOGRAM_LABELS
        .iter()
        .enumerate()
        .map(|(i, label)| HistogramBin {
            label: label.to_string(),
            from_min: if i == 0 { 0.0 } else { HISTOGRAM_EDGES_MIN[i - 1] },
            to_min: HISTOGRAM_EDGES_MIN.get(i).copied(),
            count: 0,
        })
        .collect();
    for v in &values {
        histogram[histogram_bin(*v)].count += 1;
    }
    let n = values.len();
    DurationStats {
        n: n as u32,
        median_min: percentile(&values, 50),
        p90_min: percentile(&values, 90),
        mean_min: (n > 0).then(|| values.iter().sum::<f64>() / n as f64),
        histogram,
        lacking_total,
        lacking,
        fallback_total,
        fallbacks,
    }
}

/// The incidents under each name `names` gives them (an incident under each of its names), in
/// name order. The names are borrowed: the few groups own a copy, not every incident. Grouped
/// by hash and sorted once: a year of a large library puts a hundred thousand names in a few
/// groups.
fn group_by<'a>(
    incidents: &[&'a IncidentFacts],
    names: impl Fn(&'a IncidentFacts) -> &'a Vec<String>,
) -> Vec<(&'a str, Vec<&'a IncidentFacts>)> {
    let mut groups: FxHashMap<&str, Vec<&IncidentFacts>> = FxHashMap::default();
    for f in incidents {
        for name in names(f) {
            groups.entry(name.as_str()).or_default().push(f);
        }
    }
    let mut groups: Vec<(&str, Vec<&IncidentFacts>)> = groups.into_iter().collect();
    groups.sort_unstable_by_key(|g| g.0);
    groups
}

fn mtbf(service: String, incidents: &[&IncidentFacts]) -> ServiceMtbf {
    let first = incidents.iter().map(|f| f.incident_date).min();
    let last = incidents.iter().map(|f| f.incident_date).max();
    let n = incidents.len();
    let mean_days = match (first, last) {
        (Some(first), Some(last)) if n >= 2 => Some((last - first).num_days() as f64 / (n - 1) as f64),
        _ => None,
    };
    ServiceMtbf { service, incidents: n as u32, mean_days }
}

fn breakdown(key: String, incidents: &[&IncidentFacts]) -> Breakdown {
    let resolve = sorted(incidents.iter().filter_map(|f| resolve(f)).map(|(m, _)| m).collect());
    Breakdown {
        key,
        incidents: SeverityCounts::of(incidents),
        near_misses: near_misses(incidents),
        resolve_n: resolve.len() as u32,
        resolve_median_min: percentile(&resolve, 50),
    }
}

/// Every ISO week touching `[from, to]`, each cut to the period, with its incidents.
fn weekly(incidents: &[&IncidentFacts], from: NaiveDate, to: NaiveDate) -> Vec<TimeBucket> {
    let first_monday = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    let mut buckets = Vec::new();
    let mut monday = first_monday;
    while monday <= to {
        let week = monday.iso_week();
        buckets.push(TimeBucket {
            label: format!("{}-W{:02}", week.year(), week.week()),
            start: monday.max(from),
            end: (monday + Duration::days(6)).min(to),
            counts: SeverityCounts::default(),
        });
        monday += Duration::days(7);
    }
    for f in incidents {
        let index = ((f.incident_date - first_monday).num_days() / 7) as usize;
        if let Some(b) = buckets.get_mut(index) {
            b.counts.add(f.severity);
        }
    }
    buckets
}

/// Every calendar month touching `[from, to]`, each cut to the period, with its incidents.
fn monthly(incidents: &[&IncidentFacts], from: NaiveDate, to: NaiveDate) -> Vec<TimeBucket> {
    let month_index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    let first = month_index(from);
    let mut buckets = Vec::new();
    let mut start = from.with_day(1).unwrap_or(from);
    while start <= to {
        let next = start.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
        buckets.push(TimeBucket {
            label: format!("{}-{:02}", start.year(), start.month()),
            start: start.max(from),
            end: next.pred_opt().unwrap_or(next).min(to),
            counts: SeverityCounts::default(),
        });
        start = next;
    }
    for f in incidents {
        if let Some(b) = usize::try_from(month_index(f.incident_date) - first).ok().and_then(|i| buckets.get_mut(i)) {
            b.counts.add(f.severity);
        }
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::facts::MarkerTimes;
    use crate::analysis::ALL_INCIDENTS;
    use crate::model::{ActionKind, ActionStatus};
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap())
    }

    fn inc(id: &str, date: NaiveDate, severity: Severity) -> IncidentFacts {
        IncidentFacts { severity, ..IncidentFacts::example(id, date) }
    }

    /// Markers on `date`: started at 10:00, then detected, acknowledged, mitigated and resolved
    /// the given minutes after 10:00 (`None`: not recorded).
    fn markers(date: NaiveDate, started: bool, offsets: [Option<i64>; 4]) -> MarkerTimes {
        let base = Utc.from_utc_datetime(&date.and_hms_opt(10, 0, 0).unwrap());
        let t = |o: Option<i64>| o.map(|m| base + Duration::minutes(m));
        MarkerTimes {
            started: started.then_some(base),
            detected: t(offsets[0]),
            acknowledged: t(offsets[1]),
            mitigated: t(offsets[2]),
            resolved: t(offsets[3]),
        }
    }

    fn run(facts: &[IncidentFacts], from: NaiveDate, to: NaiveDate) -> Stats {
        let now = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        stats(facts, &[], from, to, None, now, day(2030, 1, 1), ALL_INCIDENTS)
    }

    fn ids(refs: &[IncidentRef]) -> Vec<&str> {
        refs.iter().map(|r| r.id.as_str()).collect()
    }

    fn bins(d: &DurationStats) -> Vec<u32> {
        d.histogram.iter().map(|b| b.count).collect()
    }

    #[test]
    fn an_empty_period_has_every_bucket_and_n_zero_and_no_nan() {
        // A 14-day period, Mon 2 Mar to Sun 15 Mar 2026, with the only incident outside it.
        let other = inc("x", day(2026, 1, 5), Severity::Sev1);
        let s = run(&[other], day(2026, 3, 2), day(2026, 3, 15));
        let c = &s.current;
        assert_eq!(c.incidents, SeverityCounts::default());
        assert_eq!(c.weekly.iter().map(|b| b.label.as_str()).collect::<Vec<_>>(), ["2026-W10", "2026-W11"]);
        assert_eq!(c.monthly.len(), 1);
        assert!(c.weekly.iter().chain(&c.monthly).all(|b| b.counts.total == 0));
        for d in [
            &c.durations.time_to_detect,
            &c.durations.time_to_acknowledge,
            &c.durations.time_to_mitigate,
            &c.durations.time_to_resolve,
            &c.durations.impact,
        ] {
            assert_eq!((d.n, d.median_min, d.p90_min, d.mean_min), (0, None, None, None));
            assert_eq!(bins(d), [0; 9]);
        }
        for r in [c.sev12_final, c.drafts_within_48h.on_time, c.action_items.done_within_30_days, c.repeats.rate] {
            assert_eq!(r, Ratio { count: 0, of: 0, rate: None });
        }
        assert!(c.mtbf.is_empty() && c.by_service.is_empty() && c.by_category.is_empty());
        assert_eq!(c.by_severity.len(), 4);
        assert!(c.by_severity.iter().all(|b| b.resolve_median_min.is_none()));
        // The previous 14 days: 16 Feb to 1 Mar.
        assert_eq!((s.previous.from, s.previous.to), (day(2026, 2, 16), day(2026, 3, 1)));
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
    }

    #[test]
    fn exactly_one_incident_is_its_own_median_p90_and_mean() {
        // Detected 10:07, acknowledged 10:10, mitigated 10:30, resolved 11:00 after a 10:00 start:
        // detect 7, acknowledge 3, mitigate 23, resolve 53, impact 60 minutes.
        let mut one = inc("a", day(2026, 3, 4), Severity::Sev2);
        one.markers = markers(one.incident_date, true, [Some(7), Some(10), Some(30), Some(60)]);
        one.services = vec!["api".into()];
        let c = run(&[one], day(2026, 3, 1), day(2026, 3, 31)).current;
        let d = &c.durations;
        for (figure, minutes) in [
            (&d.time_to_detect, 7.0),
            (&d.time_to_acknowledge, 3.0),
            (&d.time_to_mitigate, 23.0),
            (&d.time_to_resolve, 53.0),
            (&d.impact, 60.0),
        ] {
            assert_eq!(figure.n, 1);
            assert_eq!(
                (figure.median_min, figure.p90_min, figure.mean_min),
                (Some(minutes), Some(minutes), Some(minutes))
            );
            assert!(figure.lacking.is_empty() && figure.fallbacks.is_empty());
        }
        // 7 is in 5–15, 3 in 0–5, 23 in 15–30, 53 in 30–60, and 60 (an edge) in 1–2 h.
        assert_eq!(bins(&d.time_to_detect), [0, 1, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(bins(&d.time_to_acknowledge), [1, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(bins(&d.impact), [0, 0, 0, 0, 1, 0, 0, 0, 0]);
        assert_eq!(c.mtbf, [ServiceMtbf { service: "api".into(), incidents: 1, mean_days: None }]);
        assert_eq!(c.incidents.sev2, 1);
        assert_eq!(c.sev12_final, Ratio { count: 0, of: 1, rate: Some(0.0) });
    }

    #[test]
    fn missing_timestamps_are_listed_and_the_impact_fallbacks_are_counted_and_named() {
        // a: every marker. b: detected 10:10 and mitigated 10:40 only. c: no markers at all.
        // d: resolved (10:05) before detected (10:20): out of order for resolve.
        let date = day(2026, 5, 6);
        let mut a = inc("a", date, Severity::Sev1);
        a.markers = markers(date, true, [Some(5), Some(6), Some(20), Some(95)]);
        let mut b = inc("b", date, Severity::Sev2);
        b.markers = markers(date, false, [Some(10), None, Some(40), None]);
        let c = inc("c", date, Severity::Sev3);
        let mut d = inc("d", date, Severity::Sev3);
        d.markers = markers(date, true, [Some(20), None, None, Some(5)]);
        let s = run(&[a, b, c, d], day(2026, 5, 1), day(2026, 5, 31)).current;
        let t = &s.durations;
        // Detect: a 5, d 20 (b has no start) → n 2, median rank ceil(1) = 5, p90 rank 2 = 20.
        assert_eq!(
            (t.time_to_detect.n, t.time_to_detect.median_min, t.time_to_detect.p90_min),
            (2, Some(5.0), Some(20.0))
        );
        assert_eq!(ids(&t.time_to_detect.lacking), ["b", "c"]);
        // Acknowledge: a only (1 minute).
        assert_eq!(ids(&t.time_to_acknowledge.lacking), ["b", "c", "d"]);
        // Mitigate: a 15, b 30.
        assert_eq!((t.time_to_mitigate.n, t.time_to_mitigate.mean_min), (2, Some(22.5)));
        // Resolve: a 90 only; d's resolution precedes its detection.
        assert_eq!((t.time_to_resolve.n, t.time_to_resolve.median_min), (1, Some(90.0)));
        assert_eq!(ids(&t.time_to_resolve.lacking), ["b", "c", "d"]);
        // Impact: a 95 (started→resolved), b 30 (detected→mitigated, both fallbacks), d 5.
        assert_eq!(t.impact.n, 3);
        assert_eq!(t.impact.mean_min, Some((95.0 + 30.0 + 5.0) / 3.0));
        assert_eq!(ids(&t.impact.fallbacks), ["b"]);
        assert_eq!(ids(&t.impact.lacking), ["c"]);
        assert!(t.time_to_resolve.fallbacks.is_empty());
    }

    #[test]
    fn lists_kept_short_hold_their_first_incidents_and_the_figures_count_them_all() {
        // Four incidents a day apart without markers, of one category, all undecided drafts.
        let facts: Vec<IncidentFacts> = ["a", "b", "c", "d"]
            .iter()
            .zip(6..)
            .map(|(id, d)| IncidentFacts { categories: vec!["dns".into()], ..inc(id, day(2026, 5, d), Severity::Sev2) })
            .collect();
        let now = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let cut = stats(&facts, &[], day(2026, 5, 1), day(2026, 5, 31), None, now, day(2030, 1, 1), 2).current;
        let whole = run(&facts, day(2026, 5, 1), day(2026, 5, 31)).current;
        assert_eq!(ids(&cut.durations.impact.lacking), ["a", "b"]);
        assert_eq!((cut.durations.impact.lacking_total, whole.durations.impact.lacking.len()), (4, 4));
        // The first is no repeat; each of the others repeats the one the day before.
        assert_eq!(ids(&cut.repeats.repeats), ["b", "c"]);
        assert_eq!(cut.repeats.rate, whole.repeats.rate);
        assert_eq!(ids(&whole.repeats.repeats), ["b", "c", "d"]);
        assert_eq!(cut.drafts_within_48h.undecided.len(), 2);
    }

    #[test]
    fn an_incident_across_a_month_boundary_counts_in_the_month_of_its_incident_date() {
        // Started 31 Jan 23:50, detected 23:55, resolved 1 Feb 00:20: detect 5, resolve 25,
        // impact 30 minutes, all counted in January, whose incident date it has.
        let mut x = inc("x", day(2026, 1, 31), Severity::Sev2);
        x.markers = MarkerTimes {
            started: at(2026, 1, 31, 23, 50),
            detected: at(2026, 1, 31, 23, 55),
            resolved: at(2026, 2, 1, 0, 20),
            ..Default::default()
        };
        let s = run(std::slice::from_ref(&x), day(2026, 1, 1), day(2026, 2, 28));
        let c = &s.current;
        let months: Vec<(&str, u32)> = c.monthly.iter().map(|b| (b.label.as_str(), b.counts.total)).collect();
        assert_eq!(months, [("2026-01", 1), ("2026-02", 0)]);
        assert_eq!(c.monthly[1].end, day(2026, 2, 28));
        assert_eq!(c.durations.time_to_detect.median_min, Some(5.0));
        assert_eq!(c.durations.time_to_resolve.median_min, Some(25.0));
        assert_eq!(c.durations.impact.median_min, Some(30.0));
        // 30 is the 30–60 bar's lower edge.
        assert_eq!(bins(&c.durations.impact), [0, 0, 0, 1, 0, 0, 0, 0, 0]);
        // 31 Jan 2026 is a Saturday: ISO week 5 (26 Jan to 1 Feb).
        let w5 = c.weekly.iter().find(|b| b.label == "2026-W05").unwrap();
        assert_eq!((w5.start, w5.end, w5.counts.sev2), (day(2026, 1, 26), day(2026, 2, 1), 1));
        // A period that is only February holds nothing.
        assert_eq!(run(&[x], day(2026, 2, 1), day(2026, 2, 28)).current.incidents.total, 0);
    }

    #[test]
    fn weeks_and_months_across_a_year_end() {
        // 28 Dec 2026 is a Monday; 1 Jan 2027 a Friday, so 28 Dec to 3 Jan is ISO week 53 of
        // 2026, and 4 to 10 Jan is 2027-W01. Incidents: 30 Dec SEV1, 2 Jan SEV2, 5 Jan SEV3.
        let facts = [
            inc("a", day(2026, 12, 30), Severity::Sev1),
            inc("b", day(2027, 1, 2), Severity::Sev2),
            inc("c", day(2027, 1, 5), Severity::Sev3),
        ];
        let c = run(&facts, day(2026, 12, 28), day(2027, 1, 10)).current;
        let weeks: Vec<(&str, SeverityCounts)> = c.weekly.iter().map(|b| (b.label.as_str(), b.counts)).collect();
        let counts = |sev1, sev2, sev3| SeverityCounts { sev1, sev2, sev3, sev4: 0, total: sev1 + sev2 + sev3 };
        assert_eq!(weeks, [("2026-W53", counts(1, 1, 0)), ("2027-W01", counts(0, 0, 1))]);
        let months: Vec<(&str, SeverityCounts)> = c.monthly.iter().map(|b| (b.label.as_str(), b.counts)).collect();
        assert_eq!(months, [("2026-12", counts(1, 0, 0)), ("2027-01", counts(0, 1, 1))]);
        assert_eq!((c.monthly[0].start, c.monthly[0].end), (day(2026, 12, 28), day(2026, 12, 31)));
        // A period starting mid-week keeps the week, cut to the period.
        let c = run(&facts, day(2026, 12, 31), day(2027, 1, 4)).current;
        assert_eq!(
            c.weekly.iter().map(|b| (b.label.as_str(), b.start, b.end)).collect::<Vec<_>>(),
            [("2026-W53", day(2026, 12, 31), day(2027, 1, 3)), ("2027-W01", day(2027, 1, 4), day(2027, 1, 4))]
        );
        assert_eq!(c.incidents.total, 1);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        // Ten incidents resolved 10, 20, ..., 100 minutes after detection (given out of order):
        // median rank ceil(5) = 5 → 50; p90 rank 9 → 90; mean 55.
        let date = day(2026, 4, 1);
        let facts: Vec<IncidentFacts> = [70, 10, 100, 40, 20, 90, 30, 60, 80, 50]
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let mut f = inc(&i.to_string(), date, Severity::Sev3);
                f.markers = markers(date, false, [Some(0), None, None, Some(*m)]);
                f
            })
            .collect();
        let r = run(&facts, date, date).current.durations.time_to_resolve;
        assert_eq!((r.n, r.median_min, r.p90_min, r.mean_min), (10, Some(50.0), Some(90.0), Some(55.0)));
        // 10 → 5–15; 20 → 15–30; 30, 40, 50 → 30–60; 60..100 → 1–2 h.
        assert_eq!(bins(&r), [0, 1, 1, 3, 5, 0, 0, 0, 0]);
        // Nine values: median rank 5, p90 rank ceil(8.1) = 9 (the largest).
        let r = run(&facts[1..], date, date).current.durations.time_to_resolve;
        assert_eq!((r.median_min, r.p90_min), (Some(50.0), Some(100.0)));
    }

    #[test]
    fn the_repeat_rate_looks_back_90_days_before_the_period_too() {
        // June 2026. x (10 Jun, "db") follows y (12 Mar, "db"): 90 days back, inside.
        // z (20 Jun, "net") follows w (21 Mar, "net"): 91 days back, outside.
        // v (25 Jun, "db", "net") follows x (15 days): a repeat. u (25 Jun) has no category.
        // Rate: x and v of x, z, v, u = 2 of 4.
        let cat = |mut f: IncidentFacts, c: &[&str]| {
            f.categories = c.iter().map(|s| s.to_string()).collect();
            f
        };
        let facts = [
            cat(inc("y", day(2026, 3, 12), Severity::Sev3), &["db"]),
            cat(inc("w", day(2026, 3, 21), Severity::Sev3), &["net"]),
            cat(inc("x", day(2026, 6, 10), Severity::Sev3), &["db"]),
            cat(inc("z", day(2026, 6, 20), Severity::Sev3), &["net"]),
            cat(inc("v", day(2026, 6, 25), Severity::Sev3), &["db", "net"]),
            inc("u", day(2026, 6, 25), Severity::Sev3),
        ];
        assert_eq!((day(2026, 6, 10) - day(2026, 3, 12)).num_days(), 90);
        assert_eq!((day(2026, 6, 20) - day(2026, 3, 21)).num_days(), 91);
        let s = run(&facts, day(2026, 6, 1), day(2026, 6, 30));
        assert_eq!(s.current.repeats.rate, Ratio { count: 2, of: 4, rate: Some(0.5) });
        assert_eq!(ids(&s.current.repeats.repeats), ["x", "v"]);
        // The previous 30 days (2 to 31 May) hold nothing.
        assert_eq!(s.previous.repeats.rate.of, 0);
        // Two incidents of one category on the same day are not each other's repeat.
        let same_day = [
            cat(inc("p", day(2026, 6, 3), Severity::Sev3), &["db"]),
            cat(inc("q", day(2026, 6, 3), Severity::Sev3), &["db"]),
        ];
        assert_eq!(run(&same_day, day(2026, 6, 1), day(2026, 6, 30)).current.repeats.rate.count, 0);
        // by_category: db holds x and v, net z and v.
        let keys: Vec<(&str, u32)> =
            s.current.by_category.iter().map(|b| (b.key.as_str(), b.incidents.total)).collect();
        assert_eq!(keys, [("db", 2), ("net", 2)]);
    }

    #[test]
    fn mtbf_is_the_mean_gap_between_incident_dates_per_service() {
        // api: 1, 11 and 31 Jan → gaps 10 and 20 → 15 days over 3 incidents. db: one, no MTBF.
        let svc = |mut f: IncidentFacts, s: &[&str]| {
            f.services = s.iter().map(|x| x.to_string()).collect();
            f
        };
        let facts = [
            svc(inc("a", day(2026, 1, 1), Severity::Sev2), &["api"]),
            svc(inc("b", day(2026, 1, 11), Severity::Sev3), &["api", "db"]),
            svc(inc("c", day(2026, 1, 31), Severity::Sev1), &["api"]),
        ];
        let c = run(&facts, day(2026, 1, 1), day(2026, 1, 31)).current;
        assert_eq!(
            c.mtbf,
            [
                ServiceMtbf { service: "api".into(), incidents: 3, mean_days: Some(15.0) },
                ServiceMtbf { service: "db".into(), incidents: 1, mean_days: None },
            ]
        );
        // Narrowed to db (any case): one incident, and only db's own rows.
        let now = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
        let s = stats(&facts, &[], day(2026, 1, 1), day(2026, 1, 31), Some("DB"), now, day(2030, 1, 1), ALL_INCIDENTS);
        assert_eq!(s.current.incidents.total, 1);
        assert_eq!(s.current.mtbf.len(), 1);
        assert_eq!(s.current.by_service.iter().map(|b| b.key.as_str()).collect::<Vec<_>>(), ["db"]);
    }

    #[test]
    fn postmortem_discipline_items_and_the_previous_period() {
        // Period 11–20 Mar 2026; previous 1–10 Mar. now = 20 Mar 12:00; today = 20 Mar.
        let now = Utc.with_ymd_and_hms(2026, 3, 20, 12, 0, 0).unwrap();
        let mut a = inc("a", day(2026, 3, 12), Severity::Sev1); // final; draft left 24 h after resolution
        a.status = ReviewStatus::Final;
        a.markers.resolved = at(2026, 3, 12, 10, 0);
        a.left_draft_at = at(2026, 3, 13, 10, 0);
        let mut b = inc("b", day(2026, 3, 13), Severity::Sev2); // still a draft, 48 h long past
        b.markers.resolved = at(2026, 3, 13, 10, 0);
        let mut c = inc("c", day(2026, 3, 19), Severity::Sev3); // final, SEV3; 48 h not yet passed
        c.status = ReviewStatus::Final;
        c.markers.resolved = at(2026, 3, 19, 10, 0);
        let d = inc("d", day(2026, 3, 20), Severity::Sev4); // no resolution: undecided
        let e = inc("e", day(2026, 3, 2), Severity::Sev1); // previous period
        let mut f = inc("f", day(2026, 3, 5), Severity::Sev2); // previous period, final
        f.status = ReviewStatus::Final;
        let item = |pm: &str, created: (u32, u32), done: Option<(u32, u32)>| ItemFacts {
            postmortem_id: pm.into(),
            owner: None,
            kind: ActionKind::Prevent,
            status: if done.is_some() { ActionStatus::Done } else { ActionStatus::Open },
            due_date: None,
            created_at: at(2026, created.0, created.1, 9, 0).unwrap(),
            completed_at: done.and_then(|(m, d)| at(2026, m, d, 9, 0)),
        };
        // a's items: created 1 Feb done 20 Feb (on time); created 1 Feb open (late);
        // created 10 Mar (too recent, under 30 days before 20 Mar). e's item: created 1 Jan,
        // done 1 Mar (59 days: late).
        let items = [
            item("a", (2, 1), Some((2, 20))),
            item("a", (2, 1), None),
            item("a", (3, 10), None),
            item("e", (1, 1), Some((3, 1))),
        ];
        let s = stats(
            &[e, f, a, b, c, d],
            &items,
            day(2026, 3, 11),
            day(2026, 3, 20),
            None,
            now,
            day(2026, 3, 20),
            ALL_INCIDENTS,
        );
        let cur = &s.current;
        assert_eq!(cur.incidents.total, 4);
        // SEV1/SEV2: a (final) and b (draft); c is final but SEV3.
        assert_eq!(cur.sev12_final, Ratio { count: 1, of: 2, rate: Some(0.5) });
        // Drafts: a on time, b late; c (inside 48 h of 19 Mar 10:00) and d undecided.
        assert_eq!(cur.drafts_within_48h.on_time, Ratio { count: 1, of: 2, rate: Some(0.5) });
        assert_eq!(ids(&cur.drafts_within_48h.undecided), ["c", "d"]);
        assert_eq!(cur.action_items.done_within_30_days, Ratio { count: 1, of: 2, rate: Some(0.5) });
        assert_eq!((cur.action_items.incidents, cur.action_items.too_recent), (1, 1));
        let prev = &s.previous;
        assert_eq!((prev.from, prev.to, prev.incidents.total), (day(2026, 3, 1), day(2026, 3, 10), 2));
        assert_eq!(prev.sev12_final, Ratio { count: 1, of: 2, rate: Some(0.5) });
        assert_eq!(prev.action_items.done_within_30_days, Ratio { count: 0, of: 1, rate: Some(0.0) });
        // Per severity, all four present, SEV1 first.
        let sev: Vec<(&str, u32)> = cur.by_severity.iter().map(|b| (b.key.as_str(), b.incidents.total)).collect();
        assert_eq!(sev, [("SEV1", 1), ("SEV2", 1), ("SEV3", 1), ("SEV4", 1)]);
    }

    #[test]
    fn breakdowns_carry_the_mttr_median_per_group() {
        // api: resolves in 30 and 90 (median rank 1 → 30) and one without markers; web: 45.
        let date = day(2026, 8, 3);
        let mk = |id: &str, svc: &str, resolve: Option<i64>, near_miss: bool| {
            let mut f = inc(id, date, Severity::Sev3);
            f.services = vec![svc.into()];
            f.near_miss = near_miss;
            f.markers = markers(date, false, [resolve.map(|_| 0), None, None, resolve]);
            f
        };
        let facts = [
            mk("a", "api", Some(90), false),
            mk("b", "api", Some(30), true),
            mk("c", "api", None, false),
            mk("d", "web", Some(45), false),
        ];
        let c = run(&facts, date, date).current;
        assert_eq!(c.near_misses, 1);
        let rows: Vec<(&str, u32, u32, u32, Option<f64>)> = c
            .by_service
            .iter()
            .map(|b| (b.key.as_str(), b.incidents.total, b.near_misses, b.resolve_n, b.resolve_median_min))
            .collect();
        assert_eq!(rows, [("api", 3, 1, 2, Some(30.0)), ("web", 1, 0, 1, Some(45.0))]);
    }
}
