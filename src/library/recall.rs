//! What the library recalls beyond the counted figures, from the search index: the families of
//! textually similar incidents ([`crate::analysis::families`]) and the incidents of this day in
//! past years ([`crate::analysis::anniversary`]).

use chrono::{Duration, NaiveDate};

use super::Library;
use crate::analysis::facts::IncidentFacts;
use crate::analysis::families::{self, LOOKBACK_DAYS};
use crate::analysis::followthrough::ItemFacts;
use crate::analysis::{anniversary, patterns::Pattern};
use crate::wire::OnThisDay;
use crate::Result;

/// Two incidents' ids, their similarity and the words that weigh most in it.
pub type SimilarPair = (String, String, f32, Vec<String>);

impl Library {
    /// The family patterns of `[from, to]` (families of similar incidents, and their
    /// recurrences after prevention), from the indexed text of the period and the
    /// [`LOOKBACK_DAYS`] before it.
    pub(crate) fn family_patterns(
        &self,
        facts: &[IncidentFacts],
        items: &[ItemFacts],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Pattern>> {
        let vectors = self.index.term_vectors(from - Duration::days(LOOKBACK_DAYS), to)?;
        Ok(families::patterns(&vectors, facts, items, from, to))
    }

    /// Every pair of indexed incidents dated `from` to `to` whose text similarity (as the
    /// families define it) is at least `min`, strongest first, as `(id, id, similarity)`: what
    /// the families' threshold is calibrated on. Each pair comes with the words that weigh most
    /// in its similarity, heaviest first.
    pub fn similarity_pairs(&self, from: NaiveDate, to: NaiveDate, min: f32) -> Result<Vec<SimilarPair>> {
        let vectors = self.index.term_vectors(from, to)?;
        let docs = &vectors.docs;
        Ok(families::similar_pairs(docs, min, usize::MAX)
            .into_iter()
            .map(|(a, b, s)| {
                let (a, b) = (&docs[a as usize], &docs[b as usize]);
                let mut words: Vec<(f32, &String)> = a
                    .terms
                    .iter()
                    .filter_map(|(t, w)| {
                        let theirs = b.terms.iter().find(|x| x.0 == *t)?.1;
                        Some((w * theirs, vectors.words.get(*t as usize)?))
                    })
                    .collect();
                words.sort_by(|x, y| y.0.total_cmp(&x.0));
                (a.id.clone(), b.id.clone(), s, words.into_iter().map(|w| w.1.clone()).collect())
            })
            .collect())
    }

    /// The incidents of `today`'s calendar date in past years (see
    /// [`crate::analysis::anniversary`] for the rule, 29 February included), with a one-line
    /// summary from the index.
    pub fn on_this_day(&self, today: NaiveDate) -> Result<Vec<OnThisDay>> {
        let facts = self.incident_facts()?;
        Ok(self.on_this_day_of(&facts, today, crate::analysis::ALL_INCIDENTS)?.0)
    }

    /// [`Library::on_this_day`] from facts already loaded, the first `keep` of them (their
    /// summaries read from the index), and how many there are.
    pub(crate) fn on_this_day_of(
        &self,
        facts: &[IncidentFacts],
        today: NaiveDate,
        keep: usize,
    ) -> Result<(Vec<OnThisDay>, u32)> {
        let mut found = anniversary::on_this_day(facts, today);
        let total = found.len() as u32;
        found.truncate(keep);
        let ids: Vec<&str> = found.iter().map(|(f, _)| f.id.as_str()).collect();
        let mut summaries = self.index.summary_lines(&ids)?;
        let listed = found
            .into_iter()
            .map(|(f, years_ago)| OnThisDay {
                id: f.id.clone(),
                title: f.title.clone(),
                incident_date: f.incident_date,
                severity: f.severity,
                years_ago,
                categories: f.categories.clone(),
                summary: summaries.remove(&f.id),
            })
            .collect();
        Ok((listed, total))
    }
}
