//! Repeat patterns (PRODUCT.md capability 9): failure modes that come back. Each pattern says
//! its rule in words and lists the incidents behind it, so a reader can check it.
//!
//! Rules:
//! - **Repeat category**: an incident in the period shares a category with an earlier incident
//!   at most [`REPEAT_WINDOW_DAYS`] days before it (PRODUCT.md's repeat definition). One
//!   pattern per category, counting every incident of the chain (and listing all of them, or
//!   the newest few). Names compare case-insensitively; a chain is named by the first spelling
//!   met in the period and the window before it (categories and services have one spelling
//!   each; root-cause types are the factors' own text).
//! - **Repeat service and root-cause type**: the same pair, on a service and a contributing
//!   factor's root-cause type, again within the same window.
//! - **Rising**: a category with more incidents in the period than in the previous period of
//!   the same length. A rise is called noise when it is within what chance alone makes likely:
//!   fewer than [`MIN_RISING`] incidents now, or a rise of at most two standard deviations of a
//!   Poisson count with the previous period's mean (`now - before <= 2 * sqrt(before)`).
//! - **Recurrence after prevention**: a category with a prevent-type action item done, and an
//!   incident in that category that started after the item was done.
//! - **Families of similar incidents**, and their recurrence after prevention, come from the
//!   search index's text and live in [`super::families`]; the library appends them.

use chrono::{Duration, NaiveDate};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::facts::IncidentFacts;
use super::followthrough::ItemFacts;
use crate::model::{ActionKind, ActionStatus};

/// The repeat window of PRODUCT.md: an incident within this many days after another of the same
/// category is a repeat.
pub const REPEAT_WINDOW_DAYS: i64 = 90;
/// Fewer incidents than this in the period and a rise is called noise, whatever the change.
pub const MIN_RISING: u64 = 4;

/// What kind of pattern it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PatternKind {
    /// The same category again within the repeat window.
    RepeatCategory,
    /// The same service and root-cause type again within the repeat window.
    RepeatServiceCause,
    /// More incidents of a category than in the previous period.
    Rising,
    /// An incident of a category, or of a family, after its prevention work was done.
    RecurrenceAfterPrevention,
    /// Incidents whose text is alike, across categories (see [`super::families`]).
    SimilarFamily,
}

/// One incident behind a pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PatternIncident {
    /// The postmortem's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The day it started.
    pub incident_date: NaiveDate,
}

/// One repeat pattern: its rule in words and its incidents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Pattern {
    /// Which rule found it.
    pub kind: PatternKind,
    /// What it is about: a category, "service / root-cause type", or a family's shared words.
    pub subject: String,
    /// The rule, applied, in words: "config change happened again within 90 days, 3 times".
    pub rule: String,
    /// For a rising trend: the change is within what chance alone makes likely.
    pub noise: bool,
    /// How many incidents are behind it: `incidents` may list only the newest of them.
    pub total: u32,
    /// The incidents behind it, oldest first: all of them, or the newest (see [`patterns`]'s
    /// `keep`).
    pub incidents: Vec<PatternIncident>,
    /// The days its incidents happened on, all of them however few `incidents` lists, oldest
    /// first, each once: what the repeat-families chart draws. Not sent: the chart is.
    #[serde(skip)]
    #[ts(skip)]
    pub days: Vec<NaiveDate>,
}

/// The days `incidents` happened on, oldest first, each once (see [`Pattern::days`]).
pub(crate) fn days_of<'a>(incidents: impl IntoIterator<Item = &'a IncidentFacts>) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = incidents.into_iter().map(|f| f.incident_date).collect();
    days.sort_unstable();
    days.dedup();
    days
}

/// The patterns of the incidents in `[from, to]`, strongest first within each kind. `facts`
/// is the whole library, oldest first (then by id), as [`crate::Library::incident_facts`] gives
/// it (earlier incidents make later ones repeats); `items` every action item. Each pattern
/// lists its newest `keep` incidents ([`super::ALL_INCIDENTS`]: all) and counts them all in `total`: at
/// 100,000 postmortems a year's patterns hold a couple of hundred thousand entries, and the
/// screen shows ten of each.
pub fn patterns(
    facts: &[IncidentFacts],
    items: &[ItemFacts],
    from: NaiveDate,
    to: NaiveDate,
    keep: usize,
) -> Vec<Pattern> {
    // An incident more than the repeat window before the period can be neither in a repeat of
    // the period nor the one it repeats; nor can one after the period.
    let window = facts_between(facts, from - Duration::days(REPEAT_WINDOW_DAYS), to);
    let mut out = Vec::new();
    out.extend(repeats(&window, from, PatternKind::RepeatCategory, keep, |f, keys| {
        keys.extend(f.categories.iter().map(|c| (c.as_str(), None)));
    }));
    out.extend(repeats(&window, from, PatternKind::RepeatServiceCause, keep, |f, keys| {
        for s in &f.services {
            keys.extend(f.root_cause_types.iter().map(|c| (s.as_str(), Some(c.as_str()))));
        }
    }));
    out.extend(rising(facts, from, to, keep));
    out.extend(recurrence_after_prevention(facts, items, from, to, keep));
    out
}

/// The incidents of `facts` dated `from` to `to`, in the order of the library (incident date,
/// then id): a slice of the library's own facts when they come in that order, as they do;
/// anything else (a test's hand-built list) is sorted.
fn facts_between(facts: &[IncidentFacts], from: NaiveDate, to: NaiveDate) -> Vec<&IncidentFacts> {
    let order = |a: &&IncidentFacts, b: &&IncidentFacts| a.incident_date.cmp(&b.incident_date).then(a.id.cmp(&b.id));
    if facts.is_sorted_by(|a, b| order(&a, &b).is_le()) {
        return super::facts::dated(facts, Some(from), to).iter().collect();
    }
    let mut found: Vec<&IncidentFacts> =
        facts.iter().filter(|f| f.incident_date >= from && f.incident_date <= to).collect();
    found.sort_by(order);
    found
}

/// The newest `keep` of `list` (oldest first), as the pattern lists them.
fn newest(list: &[&IncidentFacts], keep: usize) -> Vec<PatternIncident> {
    list[list.len().saturating_sub(keep)..].iter().map(|f| incident(f)).collect()
}

fn incident(f: &IncidentFacts) -> PatternIncident {
    PatternIncident { id: f.id.clone(), title: f.title.clone(), incident_date: f.incident_date }
}

/// Names compared ignoring case, as the taxonomy compares them, without a lowercase copy per
/// use: each spelling met is looked up as written, and only a new spelling is lowercased.
#[derive(Default)]
struct Names<'a> {
    by_spelling: FxHashMap<&'a str, usize>,
    by_lowercase: FxHashMap<String, usize>,
}

impl<'a> Names<'a> {
    /// The number of the name `spelling` is a spelling of.
    fn of(&mut self, spelling: &'a str) -> usize {
        if let Some(&n) = self.by_spelling.get(spelling) {
            return n;
        }
        let next = self.by_lowercase.len();
        let n = *self.by_lowercase.entry(spelling.to_lowercase()).or_insert(next);
        self.by_spelling.insert(spelling, n);
        n
    }
}

/// One repeat key as the incident spells it: a category, or a service and a root-cause type.
type Key<'a> = (&'a str, Option<&'a str>);

/// A key's chain so far: its name (the first spelling met), the incident before, the
/// incidents listed and the repeats counted in the period.
struct Chain<'a> {
    name: Key<'a>,
    last: Option<&'a IncidentFacts>,
    behind: Vec<&'a IncidentFacts>,
    repeats_in_period: usize,
}

/// Chains of incidents sharing a key, each within the window of the one before; one pattern
/// per key with at least one repeat in the period (from `from`), listing its newest `keep`.
/// One pass over `facts`, the period and the repeat window before it in the library's order
/// (by incident date, then id), which is the order of each key's chain.
fn repeats<'a>(
    facts: &[&'a IncidentFacts],
    from: NaiveDate,
    kind: PatternKind,
    keep: usize,
    keys: impl Fn(&'a IncidentFacts, &mut Vec<Key<'a>>),
) -> Vec<Pattern> {
    let window = Duration::days(REPEAT_WINDOW_DAYS);
    // Keys compare case-insensitively, part by part; the first spelling met names the chain.
    let mut names = Names::default();
    let mut chains: FxHashMap<(usize, Option<usize>), Chain<'a>> = FxHashMap::default();
    let mut found: Vec<Key<'a>> = Vec::new();
    for &f in facts {
        found.clear();
        keys(f, &mut found);
        for &(a, b) in &found {
            let id = (names.of(a), b.map(|b| names.of(b)));
            let chain = chains.entry(id).or_insert(Chain {
                name: (a, b),
                last: None,
                behind: Vec::new(),
                repeats_in_period: 0,
            });
            if let Some(before) =
                chain.last.filter(|b| f.incident_date >= from && f.incident_date - b.incident_date <= window)
            {
                chain.repeats_in_period += 1;
                // The one before is already listed exactly when it was the last one listed.
                if chain.behind.last().is_none_or(|l| !std::ptr::eq(*l, before)) {
                    chain.behind.push(before);
                }
                chain.behind.push(f);
            }
            chain.last = Some(f);
        }
    }
    let what = match kind {
        PatternKind::RepeatServiceCause => "the same service and root-cause type",
        _ => "the same category",
    };
    let mut out: Vec<Pattern> = chains
        .into_values()
        .filter(|c| c.repeats_in_period > 0)
        .map(|c| {
            let name = match c.name {
                (category, None) => category.to_string(),
                (service, Some(cause)) => format!("{service} / {cause}"),
            };
            Pattern {
                kind,
                rule: format!(
                    "{name}: {what} came back within {REPEAT_WINDOW_DAYS} days of the time before, {} in this period",
                    times(c.repeats_in_period)
                ),
                subject: name,
                noise: false,
                total: c.behind.len() as u32,
                incidents: newest(&c.behind, keep),
                days: days_of(c.behind.iter().copied()),
            }
        })
        .collect();
    out.sort_by(|a, b| b.total.cmp(&a.total).then(a.subject.cmp(&b.subject)));
    out
}

fn times(n: usize) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}

/// Categories with more incidents in the period than in the previous one of the same length,
/// each listing its newest `keep` incidents of the period.
fn rising(facts: &[IncidentFacts], from: NaiveDate, to: NaiveDate, keep: usize) -> Vec<Pattern> {
    let days = (to - from).num_days() + 1;
    let before_from = from - Duration::days(days);
    let mut names = Names::default();
    let mut counts: FxHashMap<usize, (String, u64, Vec<&IncidentFacts>)> = FxHashMap::default();
    for f in facts_between(facts, before_from, to) {
        let now = f.incident_date >= from;
        for c in &f.categories {
            let e = counts.entry(names.of(c)).or_insert_with(|| (c.clone(), 0, Vec::new()));
            if now {
                e.2.push(f);
            } else {
                e.1 += 1;
            }
        }
    }
    let mut out: Vec<Pattern> = counts
        .into_values()
        .filter(|(_, before, list)| list.len() as u64 > *before)
        .map(|(name, before, list)| {
            let now = list.len() as u64;
            let noise = now < MIN_RISING || (now - before) as f64 <= 2.0 * (before as f64).sqrt();
            Pattern {
                kind: PatternKind::Rising,
                rule: format!(
                    "{name}: {} in this period against {before} in the {days} days before{}",
                    if now == 1 { "1 incident".to_string() } else { format!("{now} incidents") },
                    if noise { "; few enough that chance alone could explain the rise" } else { "" }
                ),
                subject: name,
                noise,
                total: now as u32,
                incidents: newest(&list, keep),
                days: days_of(list.iter().copied()),
            }
        })
        .collect();
    out.sort_by(|a, b| a.noise.cmp(&b.noise).then(b.total.cmp(&a.total)).then(a.subject.cmp(&b.subject)));
    out
}

/// A category's first completed prevention: its name as first spelt, when the work was done,
/// and the incident it came from.
struct Prevention<'a> {
    name: String,
    done: chrono::DateTime<chrono::Utc>,
    origin: &'a IncidentFacts,
    /// The period's incidents that started after it.
    after: Vec<&'a IncidentFacts>,
}

/// Categories whose prevent-type work was done and which had an incident in the period that
/// started after it; each lists the incident the work came from and the incidents since, the
/// newest `keep` of them all. The first completed prevention of a category counts; of two
/// done at the same moment, that of the earlier incident (by date, then id).
fn recurrence_after_prevention(
    facts: &[IncidentFacts],
    items: &[ItemFacts],
    from: NaiveDate,
    to: NaiveDate,
    keep: usize,
) -> Vec<Pattern> {
    // Each incident's first completed prevent item: a map of those incidents, not of the library.
    let mut done_by_incident: FxHashMap<&str, chrono::DateTime<chrono::Utc>> = FxHashMap::default();
    for item in items.iter().filter(|i| i.kind == ActionKind::Prevent && i.status == ActionStatus::Done) {
        if let Some(done) = item.completed_at {
            let e = done_by_incident.entry(item.postmortem_id.as_str()).or_insert(done);
            *e = (*e).min(done);
        }
    }
    // Categories compare case-insensitively, by the name id `names` gives each spelling.
    let mut names = Names::default();
    let mut prevented: FxHashMap<usize, Prevention> = FxHashMap::default();
    if !done_by_incident.is_empty() {
        for f in facts {
            let Some(&done) = done_by_incident.get(f.id.as_str()) else { continue };
            for c in &f.categories {
                let e = prevented.entry(names.of(c)).or_insert_with(|| Prevention {
                    name: c.clone(),
                    done,
                    origin: f,
                    after: Vec::new(),
                });
                let earlier = (done, f.incident_date, &f.id) < (e.done, e.origin.incident_date, &e.origin.id);
                if earlier {
                    *e = Prevention { name: c.clone(), done, origin: f, after: Vec::new() };
                }
            }
        }
    }
    if prevented.is_empty() {
        return Vec::new();
    }
    for f in facts_between(facts, from, to) {
        for c in &f.categories {
            let Some(p) = prevented.get_mut(&names.of(c)) else { continue };
            // An incident filed under two spellings of one category counts once.
            if started_after(f, p.done) && p.after.last().is_none_or(|l| !std::ptr::eq(*l, f)) {
                p.after.push(f);
            }
        }
    }
    let mut found: Vec<Prevention> = prevented.into_values().filter(|p| !p.after.is_empty()).collect();
    found.sort_by_cached_key(|p| p.name.to_lowercase());
    found
        .into_iter()
        .map(|p| {
            let mut list = vec![p.origin];
            list.extend(&p.after);
            Pattern {
                kind: PatternKind::RecurrenceAfterPrevention,
                rule: format!(
                    "{}: prevention from \"{}\" was done on {}, and {} happened since",
                    p.name,
                    p.origin.title,
                    p.done.date_naive(),
                    if p.after.len() == 1 { "an incident".to_string() } else { format!("{} incidents", p.after.len()) }
                ),
                subject: p.name,
                noise: false,
                total: list.len() as u32,
                incidents: newest(&list, keep),
                days: days_of(list.iter().copied()),
            }
        })
        .collect()
}

/// Whether the incident started (else was detected; else, by its date, on a later day) after
/// `done`.
pub(crate) fn started_after(f: &IncidentFacts, done: chrono::DateTime<chrono::Utc>) -> bool {
    f.markers.started.or(f.markers.detected).map_or(f.incident_date > done.date_naive(), |s| s > done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::ALL_INCIDENTS as ALL;
    use crate::model::ReviewStatus;
    use chrono::{TimeZone, Utc};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn inc(id: &str, date: &str, categories: &[&str]) -> IncidentFacts {
        IncidentFacts {
            status: ReviewStatus::Final,
            services: vec!["api".into()],
            categories: categories.iter().map(|c| c.to_string()).collect(),
            ..IncidentFacts::example(id, d(date))
        }
    }

    fn ids(p: &Pattern) -> Vec<&str> {
        p.incidents.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn a_category_again_within_90_days_is_a_repeat_and_lists_both_incidents() {
        // a (1 Jan) and b (1 Apr, 90 days later) chain; c (30 Jul, 120 days after b) does not.
        let facts =
            [inc("a", "2026-01-01", &["dns"]), inc("b", "2026-04-01", &["DNS"]), inc("c", "2026-07-30", &["dns"])];
        let found = patterns(&facts, &[], d("2026-03-01"), d("2026-12-31"), ALL);
        let repeats: Vec<&Pattern> = found.iter().filter(|p| p.kind == PatternKind::RepeatCategory).collect();
        assert_eq!(repeats.len(), 1);
        assert_eq!(repeats[0].subject, "dns");
        assert_eq!(ids(repeats[0]), ["a", "b"], "the earlier incident may be before the period");
        assert!(repeats[0].rule.contains("within 90 days"), "{}", repeats[0].rule);
        assert!(repeats[0].rule.contains("once"), "{}", repeats[0].rule);
    }

    #[test]
    fn a_pattern_kept_short_lists_its_newest_incidents_and_counts_them_all() {
        let facts: Vec<IncidentFacts> =
            (1..=5).map(|i| inc(&format!("i{i}"), &format!("2026-0{i}-01"), &["dns"])).collect();
        for keep in [2, ALL] {
            let found = patterns(&facts, &[], d("2026-01-01"), d("2026-12-31"), keep);
            let repeat = found.iter().find(|p| p.kind == PatternKind::RepeatCategory).unwrap();
            assert_eq!(repeat.total, 5);
            let expected: &[&str] = if keep == 2 { &["i4", "i5"] } else { &["i1", "i2", "i3", "i4", "i5"] };
            assert_eq!(ids(repeat), expected);
            let rising = found.iter().find(|p| p.kind == PatternKind::Rising).unwrap();
            assert_eq!((rising.total, rising.incidents.len()), (5, keep.min(5)));
        }
    }

    #[test]
    fn ninety_one_days_apart_is_not_a_repeat() {
        let facts = [inc("a", "2026-01-01", &["dns"]), inc("b", "2026-04-02", &["dns"])];
        assert!(patterns(&facts, &[], d("2026-01-01"), d("2026-12-31"), ALL)
            .iter()
            .all(|p| p.kind != PatternKind::RepeatCategory));
    }

    #[test]
    fn the_same_service_and_root_cause_type_again_is_a_pattern() {
        let mut a = inc("a", "2026-02-01", &["x"]);
        let mut b = inc("b", "2026-03-01", &["y"]);
        a.root_cause_types = vec!["missing alert".into()];
        b.root_cause_types = vec!["Missing alert".into()];
        let found = patterns(&[a, b], &[], d("2026-01-01"), d("2026-06-30"), ALL);
        let p = found.iter().find(|p| p.kind == PatternKind::RepeatServiceCause).expect("a pattern");
        assert_eq!(p.subject, "api / missing alert");
        assert_eq!(ids(p), ["a", "b"]);
    }

    #[test]
    fn a_small_rise_is_called_noise_and_a_large_one_is_not() {
        // Period: Apr–Jun 2026 (91 days); the previous period is the 91 days before.
        let mut facts = vec![inc("p1", "2026-02-10", &["capacity"])];
        for i in 0..3 {
            facts.push(inc(&format!("n{i}"), "2026-05-01", &["capacity"]));
        }
        for i in 0..10 {
            facts.push(inc(&format!("c{i}"), "2026-05-02", &["config"]));
        }
        let found = patterns(&facts, &[], d("2026-04-01"), d("2026-06-30"), ALL);
        let rising: Vec<&Pattern> = found.iter().filter(|p| p.kind == PatternKind::Rising).collect();
        assert_eq!(rising.len(), 2);
        assert_eq!((rising[0].subject.as_str(), rising[0].noise), ("config", false), "10 against 0");
        assert_eq!((rising[1].subject.as_str(), rising[1].noise), ("capacity", true), "3 against 1 is noise");
        assert!(rising[1].rule.contains("chance"), "{}", rising[1].rule);
    }

    #[test]
    fn an_incident_after_prevention_was_done_is_a_recurrence() {
        let origin = inc("o", "2026-01-10", &["dns"]);
        let mut later = inc("l", "2026-03-01", &["dns"]);
        later.markers.started = Some(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
        let before_done = inc("e", "2026-01-20", &["dns"]);
        let item = ItemFacts::prevention_done(
            "o",
            Utc.with_ymd_and_hms(2026, 1, 11, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap(),
        );
        let found = patterns(&[origin, before_done, later], &[item], d("2026-01-01"), d("2026-06-30"), ALL);
        let p = found.iter().find(|p| p.kind == PatternKind::RecurrenceAfterPrevention).expect("a recurrence");
        assert_eq!(ids(p), ["o", "l"], "the incident before the item was done is not a recurrence");
        assert!(p.rule.contains("2026-02-01"), "{}", p.rule);
    }

    #[test]
    fn of_two_preventions_done_at_the_same_moment_the_earlier_incidents_counts_whatever_the_item_order() {
        // A bulk "done" on the board gives both items one completion time.
        let done = Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap();
        let created = Utc.with_ymd_and_hms(2026, 1, 25, 0, 0, 0).unwrap();
        let facts =
            [inc("a", "2026-01-05", &["dns"]), inc("b", "2026-01-10", &["DNS"]), inc("c", "2026-03-01", &["dns"])];
        for items in [
            [ItemFacts::prevention_done("b", created, done), ItemFacts::prevention_done("a", created, done)],
            [ItemFacts::prevention_done("a", created, done), ItemFacts::prevention_done("b", created, done)],
        ] {
            let found = patterns(&facts, &items, d("2026-02-15"), d("2026-06-30"), ALL);
            let p = found.iter().find(|p| p.kind == PatternKind::RecurrenceAfterPrevention).unwrap();
            assert_eq!(ids(p), ["a", "c"]);
            assert_eq!(p.subject, "dns", "named as the origin spells it");
        }
    }

    #[test]
    fn an_incident_90_days_before_the_period_makes_its_first_a_repeat_and_91_days_does_not() {
        // The repeat chains look only at the period and the 90 days before it.
        for (earlier, repeat) in [("2026-01-01", true), ("2025-12-31", false)] {
            let facts = [inc("early", earlier, &["dns"]), inc("first", "2026-04-01", &["dns"])];
            let found = patterns(&facts, &[], d("2026-04-01"), d("2026-06-30"), ALL);
            let chain = found.iter().find(|p| p.kind == PatternKind::RepeatCategory);
            assert_eq!(chain.is_some(), repeat, "{earlier}");
            if let Some(p) = chain {
                assert_eq!(ids(p), ["early", "first"]);
            }
        }
    }

    #[test]
    fn an_empty_library_has_no_patterns() {
        assert!(patterns(&[], &[], d("2026-01-01"), d("2026-12-31"), ALL).is_empty());
    }
}
