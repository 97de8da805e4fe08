//! Families of textually similar incidents (PRODUCT.md capability 9, issue 11 part 3): groups
//! of incidents whose write-ups say nearly the same thing, whatever category they were filed
//! under. Categories are ignored when linking: a family across "deployment" and "database" is
//! the point.
//!
//! ## Similarity
//!
//! Each incident is a vector of weighted words ([`TermVectors`], built from the search index by
//! [`crate::search::similarity`]):
//!
//! - the text is the title (its words counted twice: a title names the failure), the written
//!   sections, the contributing factors and the 5 whys; not the timeline (mostly boilerplate:
//!   "alert fires", "on-call acknowledges") nor the action items (remedies, not the failure);
//! - the words are the index's own: the same English stemming as search (`en_stem`), the
//!   search's stop words, words of at least three letters with at least one letter in them;
//! - a word's weight is `(1 + ln tf) * ln(N / df)`: tf its count in the text, N the documents
//!   in the index and df the documents using it (`Searcher::doc_freq`, the largest over the four
//!   fields read). Words in more than [`MAX_DF_SHARE`] of the library (and in more than
//!   [`MIN_DF_CAP`] documents) are left out: they say little ("service", "users") and would make
//!   every pair a candidate;
//! - each incident keeps its [`MAX_TERMS`] heaviest words, and the vector is scaled to length 1.
//!
//! The similarity of two incidents is the cosine of their vectors: 0 (no word in common) to 1
//! (the same words in the same proportions). Unlike a raw BM25 or MoreLikeThis score it does
//! not depend on the length of the query or of the documents, so one threshold means the same
//! for every pair. Pairs are found through an inverted index over the word ids, so only pairs
//! sharing a word cost anything.
//!
//! ## Families
//!
//! A family is built like single-linkage clustering, strongest pair first, with two brakes on
//! chaining (A like B, B like C, so A with C although they share nothing):
//!
//! 1. two incidents are linked when their similarity is at least [`THRESHOLD`]; every member
//!    reaches it with at least one other member;
//! 2. two groups merge only if the merged family still has at least [`MIN_SHARED_WORDS`] words
//!    that every member uses (among each one's [`MAX_TERMS`] heaviest), and at most
//!    [`MAX_FAMILY`] members. Those shared words are the family's subject;
//! 3. each incident makes at most [`MAX_LINKS`] links, its strongest, which bounds the work
//!    where many write-ups are alike.
//!
//! The incidents considered are those dated in the period and in the [`LOOKBACK_DAYS`] before
//! it (as a repeat's earlier incident may be before the period); a family is reported when at
//! least one member is in the period. At most [`MAX_FAMILIES`] are listed, largest first, then
//! the one with the latest incident.
//!
//! ## Calibration of [`THRESHOLD`]
//!
//! `cargo test --test integration families::calibration -- --ignored --nocapture` prints the
//! similarity of every pair in one library holding the sample library (49 incidents) and the
//! 12 DFDS postmortems of `tests/fixtures/corpus/` (61 in all, 1,830 pairs). Real write-ups are
//! long and varied, so cosines are low: 350 pairs share a word at all, 303 of them score below
//! 0.1, 43 from 0.1 to 0.2, 4 above 0.2 (the highest 0.33). Reading the pairs:
//!
//! - above 0.15 nearly every pair is one failure told twice: 0.33 "Duplicate order-confirmation
//!   emails after notification retry storm" / "Duplicate refunds after billing-worker retried
//!   timed-out refund calls" (idempotency, duplicate; three categories between them); 0.27 the
//!   two Redis eviction incidents; 0.21 "Pods evicted ... kubelet eviction threshold" / DFDS's
//!   "Unhealthy node"; 0.20 the expired and expiring certificates; 0.19 the two DFDS ADSync
//!   postmortems; 0.17 "SSO logins failing after identity provider rotated its signing
//!   certificate" / "Mobile app sessions logged out after token signing key rotation". The
//!   weakest there share a thing more than a failure: 0.18 a CDN origin certificate / a CDN
//!   cache rule, 0.15 a connection-pool config change / DFDS's KIAM upgrade (both a Helm chart);
//! - from 0.10 to 0.15 related and unrelated pairs mix: 0.144 the two connection-pool incidents
//!   (related), 0.134 "missing index on audit_events" / "search indexer OOM-kill" (only the word
//!   "index"), 0.120 a hot partition / a network partition, 0.114 a status-page banner / a DNS
//!   migration.
//!
//! So the threshold is 0.15: it keeps the clear pairs and drops the mixed band below. At 40
//! words per incident instead of 20 the ranking was much the same, with more pairs lifted by
//! incidental words (0.185 for the status-page / DNS pair), hence [`MAX_TERMS`] of 20.
//!
//! The generated benchmark libraries (`crate::synthetic`) are templated text drawn from a small
//! vocabulary: at 1,000 postmortems every word is under the [`MIN_DF_CAP`] and families of
//! near-identical write-ups are found (capped at [`MAX_FAMILY`]); from 10,000 on every word is
//! in more than 2% of the library, so no word is distinctive and no family is found. Both are
//! what the rule says of such text; neither is one family of everything.
//!
//! ## Recurrence after prevention
//!
//! A family with a prevent-type action item done on one member and another member in the
//! period that started after the item was done (the same test as the category rule of
//! [`super::patterns`]).

use rustc_hash::FxHashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::facts::IncidentFacts;
use super::followthrough::ItemFacts;
use super::patterns::{Pattern, PatternIncident, PatternKind, REPEAT_WINDOW_DAYS};
use crate::model::{ActionKind, ActionStatus};

/// Two incidents whose similarity (cosine, 0 to 1) is at least this are linked; calibrated on
/// real write-ups (see the module doc): pairs above it are one failure told twice.
pub const THRESHOLD: f32 = 0.15;
/// Each incident makes at most this many links, its strongest, to the incidents before it:
/// bounds the work where many incidents are alike (templated text), and a family grows
/// through its strongest links first anyway.
pub const MAX_LINKS: usize = 5;
/// A family's members all use at least this many of the same words.
pub const MIN_SHARED_WORDS: usize = 2;
/// Most members one family may have: a bigger group is better read as a category.
pub const MAX_FAMILY: usize = 12;
/// Most families listed.
pub const MAX_FAMILIES: usize = 25;
/// Words kept per incident, the heaviest.
pub const MAX_TERMS: usize = 20;
/// Words used by more than this share of the library are left out...
pub const MAX_DF_SHARE: f64 = 0.02;
/// ...when they are also used by more than this many documents (a small library keeps them).
pub const MIN_DF_CAP: u64 = 50;
/// Days before the period whose incidents may join a family of the period.
pub const LOOKBACK_DAYS: i64 = REPEAT_WINDOW_DAYS;

/// Incidents as weighted words, as [`crate::search::similarity`] makes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermVectors {
    /// Each word id's word as written (the shortest spelling met), lowercase.
    pub words: Vec<String>,
    /// The incidents.
    pub docs: Vec<DocTerms>,
}

/// One incident's words.
#[derive(Debug, Clone, PartialEq)]
pub struct DocTerms {
    /// The postmortem's id.
    pub id: String,
    /// `(word id, weight)`, sorted by word id, of length 1 (or empty).
    pub terms: Vec<(u32, f32)>,
}

/// The cosine of two vectors of length 1 (their dot product), each sorted by word id.
pub fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// Pairs `(i, j, similarity)` with `i < j` and similarity at least `min`, strongest first
/// (ties by indexes): for each `j`, its `per_doc` strongest partners among the docs before it.
/// Dot products are accumulated through an inverted index over word ids, so pairs without a
/// word in common are never visited.
pub fn similar_pairs(docs: &[DocTerms], min: f32, per_doc: usize) -> Vec<(u32, u32, f32)> {
    // Word ids are dense (numbered as met), so the inverted index is a vector.
    let words = docs.iter().flat_map(|d| d.terms.iter().map(|t| t.0 as usize + 1)).max().unwrap_or(0);
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); words];
    let mut acc = vec![0.0f32; docs.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    for (j, doc) in docs.iter().enumerate() {
        for &(t, w) in &doc.terms {
            for &(i, wi) in &postings[t as usize] {
                if acc[i as usize] == 0.0 {
                    touched.push(i);
                }
                acc[i as usize] += w * wi;
            }
        }
        let mut mine: Vec<(u32, u32, f32)> = Vec::new();
        for &i in &touched {
            // Rounding could push the cosine of identical vectors a hair above 1.
            let s = acc[i as usize].min(1.0);
            if s >= min {
                mine.push((i, j as u32, s));
            }
            acc[i as usize] = 0.0;
        }
        touched.clear();
        if mine.len() > per_doc {
            mine.select_nth_unstable_by(per_doc, |a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
            mine.truncate(per_doc);
        }
        out.extend(mine);
        for &(t, w) in &doc.terms {
            postings[t as usize].push((j as u32, w));
        }
    }
    out.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    out
}

/// One family: indexes into the docs, in no particular order, and the word ids every member
/// uses, heaviest (summed over the members) first.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// Indexes of the members in the docs given.
    pub members: Vec<usize>,
    /// Word ids every member uses, heaviest first.
    pub shared: Vec<u32>,
}

/// The families of `docs` under the module's rule, with `threshold` for the link (the module
/// uses [`THRESHOLD`]).
pub fn families(docs: &[DocTerms], threshold: f32) -> Vec<Family> {
    // Union-find over the docs; each root keeps its members and the words all of them use.
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    let mut members: Vec<Vec<usize>> = (0..docs.len()).map(|i| vec![i]).collect();
    let mut shared: Vec<Vec<u32>> = docs.iter().map(|d| d.terms.iter().map(|t| t.0).collect()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (a, b, _) in similar_pairs(docs, threshold, MAX_LINKS) {
        let (ra, rb) = (root(&mut parent, a as usize), root(&mut parent, b as usize));
        if ra == rb || members[ra].len() + members[rb].len() > MAX_FAMILY {
            continue;
        }
        let both = intersect(&shared[ra], &shared[rb]);
        if both.len() < MIN_SHARED_WORDS {
            continue;
        }
        let moved = std::mem::take(&mut members[rb]);
        members[ra].extend(moved);
        shared[ra] = both;
        shared[rb] = Vec::new();
        parent[rb] = ra;
    }
    let mut out = Vec::new();
    for r in 0..docs.len() {
        if parent[r] != r || members[r].len() < 2 {
            continue;
        }
        let weight = |t: u32| -> f32 {
            members[r].iter().map(|&m| docs[m].terms.iter().find(|x| x.0 == t).map_or(0.0, |x| x.1)).sum()
        };
        let mut words: Vec<(f32, u32)> = shared[r].iter().map(|&t| (weight(t), t)).collect();
        words.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        out.push(Family { members: std::mem::take(&mut members[r]), shared: words.into_iter().map(|w| w.1).collect() });
    }
    out
}

/// Sorted-list intersection.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The family patterns of the period `[from, to]`: one [`PatternKind::SimilarFamily`] per family
/// (at most [`MAX_FAMILIES`]), then one [`PatternKind::RecurrenceAfterPrevention`] per listed family
/// with a member in the period that started after a member's prevent item was done. `vectors`
/// holds the incidents of the period and the [`LOOKBACK_DAYS`] before it; `facts` and `items`
/// may be the whole library.
pub fn patterns(
    vectors: &TermVectors,
    facts: &[IncidentFacts],
    items: &[ItemFacts],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Pattern> {
    // An incident without a word kept links to none: at 100,000 templated postmortems that is
    // every one, and a year of them need not be matched to their facts for nothing.
    let worded: Vec<&DocTerms> = vectors.docs.iter().filter(|d| !d.terms.is_empty()).collect();
    if worded.len() < 2 {
        return Vec::new();
    }
    // Only incidents the facts know, in the window: the index may lag the database.
    let start = from - chrono::Duration::days(LOOKBACK_DAYS);
    let by_id: FxHashMap<&str, &IncidentFacts> = facts
        .iter()
        .filter(|f| f.incident_date >= start && f.incident_date <= to)
        .map(|f| (f.id.as_str(), f))
        .collect();
    let docs: Vec<(&DocTerms, &IncidentFacts)> =
        worded.into_iter().filter_map(|d| by_id.get(d.id.as_str()).map(|f| (d, *f))).collect();
    let terms: Vec<DocTerms> = docs.iter().map(|(d, _)| (*d).clone()).collect();
    let mut found: Vec<(Vec<&IncidentFacts>, Vec<u32>)> = families(&terms, THRESHOLD)
        .into_iter()
        .map(|fam| {
            let mut list: Vec<&IncidentFacts> = fam.members.iter().map(|&m| docs[m].1).collect();
            list.sort_by(|a, b| a.incident_date.cmp(&b.incident_date).then(a.id.cmp(&b.id)));
            (list, fam.shared)
        })
        .filter(|(list, _)| list.iter().any(|f| f.incident_date >= from))
        .collect();
    found.sort_by(|a, b| {
        b.0.len()
            .cmp(&a.0.len())
            .then(b.0.last().map(|f| f.incident_date).cmp(&a.0.last().map(|f| f.incident_date)))
            .then(a.0[0].id.cmp(&b.0[0].id))
    });
    let word = |t: &u32| vectors.words.get(*t as usize).cloned().unwrap_or_default();
    // When each incident of the window had its first prevention done, read once: looking the
    // items up per family (each item against each member) was most of Insights' time at
    // 100,000 postmortems.
    let mut prevented: FxHashMap<&str, DateTime<Utc>> = FxHashMap::default();
    for item in items.iter().filter(|i| i.kind == ActionKind::Prevent && i.status == ActionStatus::Done) {
        if let (Some(done), Some(f)) = (item.completed_at, by_id.get(item.postmortem_id.as_str())) {
            let first = prevented.entry(f.id.as_str()).or_insert(done);
            *first = (*first).min(done);
        }
    }
    let mut out = Vec::new();
    let mut recurrences = Vec::new();
    for (list, shared) in &found {
        let subject = shared.iter().take(3).map(word).collect::<Vec<_>>().join(", ");
        // Only the families listed: a recurrence names a family the reader can see.
        if out.len() == MAX_FAMILIES {
            break;
        }
        {
            out.push(Pattern {
                kind: PatternKind::SimilarFamily,
                rule: family_rule(list, &shared.iter().take(5).map(word).collect::<Vec<_>>()),
                subject: subject.clone(),
                noise: false,
                total: list.len() as u32,
                incidents: list.iter().map(|f| incident(f)).collect(),
                days: super::patterns::days_of(list.iter().copied()),
            });
        }
        recurrences.extend(recurrence(list, &subject, &prevented, from));
    }
    out.extend(recurrences);
    out
}

fn incident(f: &IncidentFacts) -> PatternIncident {
    PatternIncident { id: f.id.clone(), title: f.title.clone(), incident_date: f.incident_date }
}

/// "3 incidents, each at least 15% alike in text (...) to another of them, across categories A
/// and B; all use the words 'x', 'y'".
fn family_rule(list: &[&IncidentFacts], words: &[String]) -> String {
    let mut categories: Vec<String> = Vec::new();
    for c in list.iter().flat_map(|f| &f.categories) {
        if !categories.iter().any(|k| k.eq_ignore_ascii_case(c)) {
            categories.push(c.clone());
        }
    }
    let across = match categories.len() {
        0 => "with no category".to_string(),
        1 => format!("all in category {}", categories[0]),
        n => format!("across categories {} and {}", categories[..n - 1].join(", "), categories[n - 1]),
    };
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    format!(
        "{} incidents, each at least {:.0}% alike in text (cosine of TF-IDF word weights) to another of them, \
         {across}; all use the words {}",
        list.len(),
        THRESHOLD * 100.0,
        quoted.join(", ")
    )
}

/// The recurrence-after-prevention pattern of one family, if any. `prevented` holds, per incident, when the
/// first of its prevent-type action items was done.
fn recurrence(
    list: &[&IncidentFacts],
    subject: &str,
    prevented: &FxHashMap<&str, DateTime<Utc>>,
    from: NaiveDate,
) -> Option<Pattern> {
    let (done, origin) = list
        .iter()
        .filter_map(|f| Some((*prevented.get(f.id.as_str())?, *f)))
        // Of two done at the same moment, the earlier incident's, as the category rule has it.
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.incident_date.cmp(&b.1.incident_date)).then(a.1.id.cmp(&b.1.id)))?;
    let after: Vec<&IncidentFacts> = list
        .iter()
        .filter(|f| f.incident_date >= from && f.id != origin.id && super::patterns::started_after(f, done))
        .copied()
        .collect();
    if after.is_empty() {
        return None;
    }
    let mut incidents = vec![incident(origin)];
    incidents.extend(after.iter().map(|f| incident(f)));
    Some(Pattern {
        kind: PatternKind::RecurrenceAfterPrevention,
        rule: format!(
            "family '{subject}': prevention from \"{}\" was done on {}, and {} of the family happened since",
            origin.title,
            done.date_naive(),
            if after.len() == 1 { "an incident".to_string() } else { format!("{} incidents", after.len()) }
        ),
        subject: format!("family: {subject}"),
        noise: false,
        total: incidents.len() as u32,
        incidents,
        days: super::patterns::days_of(std::iter::once(origin).chain(after.iter().copied())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ReviewStatus;
    use chrono::{TimeZone, Utc};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A vector of length 1 from raw weights.
    fn doc(id: &str, raw: &[(u32, f32)]) -> DocTerms {
        let norm = raw.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
        let mut terms: Vec<(u32, f32)> = raw.iter().map(|&(t, w)| (t, w / norm)).collect();
        terms.sort_by_key(|t| t.0);
        DocTerms { id: id.into(), terms }
    }

    fn inc(id: &str, date: &str, categories: &[&str]) -> IncidentFacts {
        IncidentFacts {
            status: ReviewStatus::Final,
            categories: categories.iter().map(|c| c.to_string()).collect(),
            ..IncidentFacts::example(id, d(date))
        }
    }

    fn member_ids(docs: &[DocTerms], f: &Family) -> Vec<String> {
        let mut ids: Vec<String> = f.members.iter().map(|&m| docs[m].id.clone()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn cosine_by_hand() {
        // (0.6, 0.8, 0) . (0, 0.8, 0.6) = 0.64
        assert!((cosine(&[(0, 0.6), (1, 0.8)], &[(1, 0.8), (2, 0.6)]) - 0.64).abs() < 1e-6);
        assert_eq!(cosine(&[(0, 1.0)], &[(1, 1.0)]), 0.0);
        assert_eq!(cosine(&[], &[(1, 1.0)]), 0.0);
    }

    #[test]
    fn pairs_come_strongest_first_and_only_when_they_share_a_word() {
        let docs = [doc("a", &[(0, 3.0), (1, 4.0)]), doc("b", &[(1, 4.0), (2, 3.0)]), doc("c", &[(9, 1.0)])];
        let pairs = similar_pairs(&docs, 0.0, 10);
        assert_eq!(pairs.len(), 1, "c shares no word: never a pair");
        assert_eq!((pairs[0].0, pairs[0].1), (0, 1));
        assert!((pairs[0].2 - 0.64).abs() < 1e-6);
        assert!(similar_pairs(&docs, 0.65, 10).is_empty());
        let four: Vec<DocTerms> = (0..4).map(|i| doc(&format!("d{i}"), &[(0, 1.0)])).collect();
        assert_eq!(similar_pairs(&four, 0.0, 1).len(), 3, "one link made per doc");
    }

    #[test]
    fn near_identical_incidents_form_a_family_and_unrelated_ones_do_not() {
        let docs = [
            doc("a", &[(0, 5.0), (1, 4.0), (2, 1.0)]),
            doc("b", &[(0, 5.0), (1, 4.0), (3, 1.0)]),
            doc("c", &[(7, 1.0), (8, 1.0)]),
        ];
        let found = families(&docs, THRESHOLD);
        assert_eq!(found.len(), 1);
        assert_eq!(member_ids(&docs, &found[0]), ["a", "b"]);
        assert_eq!(found[0].shared, [0, 1], "the shared words, heaviest first");
    }

    #[test]
    fn the_threshold_is_inclusive() {
        // a . b = 0.64 by hand (see cosine_by_hand), but they share one word only.
        let a = DocTerms { id: "a".into(), terms: vec![(0, 0.6), (1, 0.8)] };
        let b = DocTerms { id: "b".into(), terms: vec![(1, 0.8), (2, 0.6)] };
        assert!(families(&[a.clone(), b], 0.5).is_empty(), "one shared word is not enough");
        // a . c = 0.6 * 0.8 + 0.8 * 0.6 = 0.96, two shared words.
        let c = DocTerms { id: "c".into(), terms: vec![(0, 0.8), (1, 0.6)] };
        let docs = [a, c];
        let s = cosine(&docs[0].terms, &docs[1].terms);
        assert!((s - 0.96).abs() < 1e-6);
        assert_eq!(families(&docs, s).len(), 1, "similarity equal to the threshold links");
        assert!(families(&docs, s + 1e-4).is_empty(), "just below does not");
    }

    #[test]
    fn a_chain_of_likes_does_not_make_one_family() {
        // a~b through words 0 and 1, b~c through words 2 and 3; a and c share nothing. Single
        // linkage would chain all three; the shared-words rule keeps the stronger pair only.
        let docs = [
            doc("a", &[(0, 1.0), (1, 1.0)]),
            doc("b", &[(0, 1.0), (1, 1.0), (2, 0.9), (3, 0.9)]),
            doc("c", &[(2, 1.0), (3, 1.0)]),
        ];
        assert!(cosine(&docs[1].terms, &docs[2].terms) >= THRESHOLD);
        let found = families(&docs, THRESHOLD);
        assert_eq!(found.len(), 1);
        assert_eq!(member_ids(&docs, &found[0]), ["a", "b"]);
    }

    #[test]
    fn a_family_never_grows_past_the_cap() {
        let docs: Vec<DocTerms> =
            (0..MAX_FAMILY + 2).map(|i| doc(&format!("d{i:02}"), &[(0, 1.0), (1, 1.0)])).collect();
        let sizes: Vec<usize> = families(&docs, THRESHOLD).iter().map(|f| f.members.len()).collect();
        // The two left over link (at most MAX_LINKS each) to members of the full family only.
        assert_eq!(sizes, [MAX_FAMILY]);
    }

    fn vectors(ids: &[(&str, &[(u32, f32)])]) -> TermVectors {
        TermVectors {
            words: vec!["connection".into(), "pool".into(), "timeout".into(), "dns".into(), "ttl".into()],
            docs: ids.iter().map(|(id, raw)| doc(id, raw)).collect(),
        }
    }

    #[test]
    fn a_family_across_categories_states_its_rule() {
        let v = vectors(&[
            ("a", &[(0, 3.0), (1, 3.0), (2, 1.0)]),
            ("b", &[(0, 3.0), (1, 3.0), (2, 1.0)]),
            ("c", &[(3, 1.0), (4, 1.0)]),
        ]);
        let facts = [
            inc("a", "2026-02-01", &["deployment"]),
            inc("b", "2026-03-01", &["database"]),
            inc("c", "2026-03-02", &["network"]),
        ];
        let found = patterns(&v, &facts, &[], d("2026-03-01"), d("2026-05-29"));
        assert_eq!(found.len(), 1);
        let p = &found[0];
        assert_eq!(p.kind, PatternKind::SimilarFamily);
        assert_eq!(p.subject, "connection, pool, timeout");
        assert_eq!(p.incidents.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(
            p.rule,
            "2 incidents, each at least 15% alike in text (cosine of TF-IDF word weights) to another of them, across \
             categories deployment and database; all use the words 'connection', 'pool', 'timeout'"
        );
        // The same two, both before the period: no family of the period.
        assert!(patterns(&v, &facts, &[], d("2026-04-01"), d("2026-05-29")).is_empty());
    }

    #[test]
    fn a_member_after_a_members_prevention_was_done_is_a_recurrence() {
        let v = vectors(&[("o", &[(0, 1.0), (1, 1.0)]), ("e", &[(0, 1.0), (1, 1.0)]), ("l", &[(0, 1.0), (1, 1.0)])]);
        let mut later = inc("l", "2026-03-01", &["database"]);
        later.markers.started = Some(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
        let facts = [inc("o", "2026-01-10", &["deployment"]), inc("e", "2026-01-20", &["config"]), later];
        let item = ItemFacts::prevention_done(
            "o",
            Utc.with_ymd_and_hms(2026, 1, 11, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap(),
        );
        let found = patterns(&v, &facts, &[item], d("2026-01-01"), d("2026-06-30"));
        let p = found.iter().find(|p| p.kind == PatternKind::RecurrenceAfterPrevention).expect("a recurrence");
        assert_eq!(p.incidents.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["o", "l"]);
        assert!(p.rule.contains("2026-02-01") && p.rule.contains("family 'connection, pool'"), "{}", p.rule);
        assert_eq!(found.iter().filter(|p| p.kind == PatternKind::SimilarFamily).count(), 1);
    }

    #[test]
    fn the_first_prevention_done_in_a_family_is_its_origin_whichever_member_has_it() {
        let v = vectors(&[("o", &[(0, 1.0), (1, 1.0)]), ("e", &[(0, 1.0), (1, 1.0)]), ("l", &[(0, 1.0), (1, 1.0)])]);
        let mut later = inc("l", "2026-03-01", &["database"]);
        later.markers.started = Some(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap());
        let facts = [inc("o", "2026-01-10", &["deployment"]), inc("e", "2026-01-20", &["config"]), later];
        let at = |m, d| Utc.with_ymd_and_hms(2026, m, d, 0, 0, 0).unwrap();
        // "o" has two done (the later one listed first), "e" one done between them: the first
        // done is o's second listed. An item of an incident outside the family and a
        // prevention not done count for nothing.
        let mut open = ItemFacts::prevention_done("e", at(1, 21), at(1, 22));
        open.status = ActionStatus::Open;
        open.completed_at = None;
        let items = [
            ItemFacts::prevention_done("o", at(1, 11), at(2, 20)),
            ItemFacts::prevention_done("e", at(1, 21), at(2, 15)),
            ItemFacts::prevention_done("o", at(1, 11), at(2, 10)),
            ItemFacts::prevention_done("elsewhere", at(1, 1), at(1, 2)),
            open,
        ];
        let found = patterns(&v, &facts, &items, d("2026-01-01"), d("2026-06-30"));
        let p = found.iter().find(|p| p.kind == PatternKind::RecurrenceAfterPrevention).expect("a recurrence");
        assert_eq!(p.incidents.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["o", "l"]);
        assert!(p.rule.contains("2026-02-10"), "{}", p.rule);
    }
}
