//! Incidents as weighted words, read from the index, for the families of similar incidents
//! ([`crate::analysis::families`], whose module doc defines the similarity and why).
//!
//! The text is read from the index's stored fields (title, sections, contributing factors,
//! 5 whys), cut into words by the index's own stemming analyzer, and weighted with the index's
//! document frequencies, so "similar" here uses the same words as search does. The index may
//! lag the database by the changes still queued for it; the families then miss them until the
//! next sync.

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::sync::Arc;

use chrono::NaiveDate;
use tantivy::collector::DocSetCollector;
use tantivy::index::SegmentId;
use tantivy::query::RangeQuery;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocId, TantivyDocument, Term};

use super::document::day_number;
use super::engine::STOP_WORDS;
use super::{search_err, SearchIndex};
use crate::analysis::families::{DocTerms, TermVectors, MAX_DF_SHARE, MAX_TERMS, MIN_DF_CAP};
use crate::Result;

/// What is left of contractions once the tokenizer split them at the apostrophe ("don't" is
/// "don" and "t"): not words of any failure.
const CONTRACTIONS: &[&str] =
    &["don", "doesn", "didn", "isn", "wasn", "weren", "won", "wouldn", "couldn", "shouldn", "haven", "hasn", "aren"];

/// A title's words count this many times: a title names the failure.
const TITLE_WEIGHT: f32 = 2.0;

/// What weighing incidents learnt, kept by the index between calls so that a second call
/// (another period, the same index) reads and stems nothing again: stems, their idf for the
/// current searcher generation, and each indexed document's stem counts. A document's counts
/// never go stale: tantivy segments are written once, a changed postmortem is a new document.
#[derive(Default)]
pub struct Memory {
    /// Each stem met, by stem id, which is also the word id of the vectors.
    stem_ids: HashMap<String, u32>,
    /// Each stem id's stem.
    stems: Vec<String>,
    /// Each stem id's word as written, lowercase: the shortest spelling met.
    shown: Vec<String>,
    /// Per stem id: `Some(Some(idf))`, `Some(None)` when the word is left out, `None` unknown.
    idf: Vec<Option<Option<f32>>>,
    /// The searcher generation `idf` holds for.
    generation: Option<u64>,
    /// Per document (segment, doc id): its postmortem id and stem counts.
    docs: HashMap<(SegmentId, DocId), Arc<Counted>>,
}

/// A document's postmortem id and stem counts `(stem id, count)`, by stem id.
type Counted = (String, Vec<(u32, f32)>);

/// Turns texts into [`DocTerms`]: stems with the analyzer, weighs with the document
/// frequencies `doc_freq` gives out of `num_docs`, keeps the [`MAX_TERMS`] heaviest words.
pub struct Vectorizer<F: FnMut(&str) -> u64> {
    analyzer: TextAnalyzer,
    stop: HashSet<String>,
    num_docs: u64,
    doc_freq: F,
    memory: Memory,
}

impl<F: FnMut(&str) -> u64> Vectorizer<F> {
    /// A vectorizer stemming with `analyzer` (the index's `en_stem`), remembering into `memory`.
    fn with_memory(mut analyzer: TextAnalyzer, num_docs: u64, doc_freq: F, memory: Memory) -> Self {
        // The stop words go through the same stemmer, so "was" matches its stem "wa".
        let mut stop = HashSet::new();
        for w in STOP_WORDS.iter().chain(CONTRACTIONS) {
            let mut stream = analyzer.token_stream(w);
            while stream.advance() {
                stop.insert(stream.token().text.clone());
            }
        }
        Vectorizer { analyzer, stop, num_docs, doc_freq, memory }
    }

    /// A vectorizer with the index schema's own stemming analyzer (that of the prose fields),
    /// for weighing text outside an opened index: tests, and what the families compute on.
    pub fn for_schema(num_docs: u64, doc_freq: F) -> Result<Self> {
        let (schema, fields) = super::document::schema();
        let index = tantivy::Index::create_in_ram(schema);
        let analyzer = index.tokenizer_for_field(fields.title).map_err(search_err)?;
        Ok(Vectorizer::with_memory(analyzer, num_docs, doc_freq, Memory::default()))
    }

    /// Words used by more documents than this are left out.
    fn max_df(&self) -> u64 {
        ((self.num_docs as f64 * MAX_DF_SHARE) as u64).max(MIN_DF_CAP)
    }

    /// The stem counts of a title (its words counted [`TITLE_WEIGHT`] times) and the rest of
    /// the text: stop words, words under three characters and words without a letter left out.
    fn count(&mut self, title: &str, body: &str) -> Vec<(u32, f32)> {
        let mut tf: HashMap<u32, f32> = HashMap::new();
        let m = &mut self.memory;
        for (text, count) in [(title, TITLE_WEIGHT), (body, 1.0)] {
            let mut stream = self.analyzer.token_stream(text);
            while stream.advance() {
                let token = stream.token();
                let stem = token.text.as_str();
                let id = match m.stem_ids.get(stem) {
                    Some(&id) => {
                        // The word shown is the shortest spelling met (then the first in
                        // alphabetical order), so it does not depend on the order documents
                        // are read in.
                        let written = text.get(token.offset_from..token.offset_to).unwrap_or(stem);
                        let shown = &m.shown[id as usize];
                        if written.len() <= shown.len() && !written.eq_ignore_ascii_case(shown) {
                            let lower = written.to_lowercase();
                            if (lower.len(), &lower) < (shown.len(), shown) {
                                m.shown[id as usize] = lower;
                            }
                        }
                        id
                    }
                    None => {
                        if stem.chars().count() < 3
                            || !stem.chars().any(char::is_alphabetic)
                            || self.stop.contains(stem)
                        {
                            continue;
                        }
                        let id = m.shown.len() as u32;
                        // The word as written, to show; the stem may not be a word.
                        m.shown.push(text.get(token.offset_from..token.offset_to).unwrap_or(stem).to_lowercase());
                        m.stem_ids.insert(stem.to_string(), id);
                        m.stems.push(stem.to_string());
                        id
                    }
                };
                *tf.entry(id).or_default() += count;
            }
        }
        let mut counts: Vec<(u32, f32)> = tf.into_iter().collect();
        counts.sort_by_key(|c| c.0);
        counts
    }

    /// The idf of a stem id, `None` when the word is left out (too common).
    fn idf(&mut self, id: u32) -> Option<f32> {
        let i = id as usize;
        if self.memory.idf.len() <= i {
            self.memory.idf.resize(i + 1, None);
        }
        if let Some(known) = self.memory.idf[i] {
            return known;
        }
        let df = (self.doc_freq)(&self.memory.stems[i]).max(1);
        let n = self.num_docs.max(1) as f32;
        let idf = (df <= self.max_df()).then(|| (n / df as f32).ln().max(0.0));
        self.memory.idf[i] = Some(idf);
        idf
    }

    /// Weighs stem counts: `(1 + ln tf) * idf`, the [`MAX_TERMS`] heaviest kept, length 1.
    fn weigh(&mut self, counts: &[(u32, f32)]) -> Vec<(u32, f32)> {
        let mut weighted: Vec<(u32, f32)> = counts
            .iter()
            .filter_map(|&(id, tf)| Some((id, (1.0 + tf.ln()) * self.idf(id)?)))
            .filter(|(_, w)| *w > 0.0)
            .collect();
        // Equal weights are ordered by the stem, not its id: ids follow the order documents
        // were read in, and the words kept must not.
        let stems = &self.memory.stems;
        weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| stems[a.0 as usize].cmp(&stems[b.0 as usize])));
        weighted.truncate(MAX_TERMS);
        let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        for (_, w) in &mut weighted {
            *w /= norm;
        }
        weighted.sort_by_key(|t| t.0);
        weighted
    }

    /// The weighted words of an incident's title and the rest of its text.
    pub fn vector(&mut self, title: &str, body: &str) -> Vec<(u32, f32)> {
        let counts = self.count(title, body);
        self.weigh(&counts)
    }

    /// The words met so far, by word id.
    pub fn into_words(self) -> Vec<String> {
        self.memory.shown
    }
}

impl SearchIndex {
    /// The weighted words of every indexed incident dated `from` to `to` (both included).
    /// What was read and stemmed is remembered (see [`Memory`]); only documents not met
    /// before are read from the index's store.
    pub fn term_vectors(&self, from: NaiveDate, to: NaiveDate) -> Result<TermVectors> {
        let f = &self.fields;
        let searcher = self.searcher();
        let range = RangeQuery::new(
            Bound::Included(Term::from_field_u64(f.day, day_number(from))),
            Bound::Included(Term::from_field_u64(f.day, day_number(to))),
        );
        let mut addresses: Vec<DocAddress> =
            searcher.search(&range, &DocSetCollector).map_err(search_err)?.into_iter().collect();
        // In address order, each compressed block of the document store is read once.
        addresses.sort();
        let fields = [f.title, f.sections, f.factors, f.whys];
        let doc_freq = |stem: &str| {
            fields.iter().map(|fl| searcher.doc_freq(&Term::from_field_text(*fl, stem)).unwrap_or(0)).max().unwrap_or(0)
        };
        let mut guard = self.similarity.lock().unwrap_or_else(|p| p.into_inner());
        let mut memory = std::mem::take(&mut *guard);
        let generation = searcher.generation().generation_id();
        if memory.generation != Some(generation) {
            memory.idf.clear();
            memory.generation = Some(generation);
            let live: HashSet<SegmentId> = searcher.segment_readers().iter().map(|s| s.segment_id()).collect();
            memory.docs.retain(|(segment, _), _| live.contains(segment));
        }
        let mut vectorizer = Vectorizer::with_memory(self.analyzer(f.title)?, searcher.num_docs(), doc_freq, memory);
        let mut docs = Vec::with_capacity(addresses.len());
        let mut body = String::new();
        let read = (|| -> Result<()> {
            for address in addresses {
                let key = (searcher.segment_reader(address.segment_ord).segment_id(), address.doc_id);
                let known = vectorizer.memory.docs.get(&key).cloned();
                let counted = match known {
                    Some(c) => c,
                    None => {
                        let doc: TantivyDocument = searcher.doc(address).map_err(search_err)?;
                        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default();
                        body.clear();
                        for field in [f.sections, f.factors, f.whys] {
                            body.push_str(text(field));
                            body.push('\n');
                        }
                        // The section marks between bodies are not word characters: no need to strip.
                        let counts = vectorizer.count(text(f.title), &body);
                        let c = Arc::new((text(f.id).to_string(), counts));
                        vectorizer.memory.docs.insert(key, Arc::clone(&c));
                        c
                    }
                };
                docs.push(DocTerms { id: counted.0.clone(), terms: vectorizer.weigh(&counted.1) });
            }
            Ok(())
        })();
        let words = vectorizer.memory.shown.clone();
        *guard = vectorizer.memory;
        read?;
        Ok(TermVectors { words, docs })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::families::cosine;

    /// A vectorizer over a library of 100 documents with hand-set document frequencies
    /// (unlisted words: 1).
    fn vectorizer(dfs: &[(&'static str, u64)]) -> Vectorizer<impl FnMut(&str) -> u64> {
        let dfs: HashMap<&str, u64> = dfs.iter().copied().collect();
        Vectorizer::for_schema(100, move |stem: &str| dfs.get(stem).copied().unwrap_or(1)).unwrap()
    }

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn stems_make_inflections_one_word_and_the_vector_has_length_one() {
        let mut v = vectorizer(&[("disk", 2), ("full", 10)]);
        let a = v.vector("", "disk full");
        let b = v.vector("", "Disks FULL.");
        assert_eq!(a.len(), 2);
        assert!(close(a.iter().map(|t| t.1 * t.1).sum::<f32>(), 1.0));
        assert!(close(cosine(&a, &b), 1.0), "{a:?} {b:?}");
        // The word shown is the shortest spelling met, whatever the order.
        assert_eq!(v.into_words(), ["disk", "full"]);
        let mut v = vectorizer(&[("disk", 2)]);
        v.vector("", "Disks");
        v.vector("", "disk");
        assert_eq!(v.into_words(), ["disk"]);
    }

    #[test]
    fn cosine_worked_by_hand() {
        // disk: idf ln(100/2) = 3.912; full and leak: ln(100/10) = 2.303. "disk full" and
        // "disk leak" share only disk: 3.912^2 / (3.912^2 + 2.303^2) = 15.30 / 20.61 = 0.7427.
        let mut v = vectorizer(&[("disk", 2), ("full", 10), ("leak", 10)]);
        let a = v.vector("", "disk full");
        let d = v.vector("", "disk leak");
        assert!(close(cosine(&a, &d), 0.7427), "{}", cosine(&a, &d));
        let c = v.vector("", "memory leak");
        assert_eq!(cosine(&a, &c), 0.0, "no word in common");
    }

    #[test]
    fn title_words_count_twice() {
        // tf 2 in the title: (1 + ln 2) * idf for disk against 1 * idf for full, same idf.
        let mut v = vectorizer(&[("disk", 10), ("full", 10)]);
        let a = v.vector("disk", "full");
        let (disk, full) = (a[0].1, a[1].1);
        assert!(close(disk / full, 1.0 + 2f32.ln()), "{a:?}");
    }

    #[test]
    fn stop_words_short_words_numbers_and_common_words_are_left_out() {
        // 100 documents: the cap is max(10% of 100, 50) = 50; "servic" (service) is in 60.
        let mut v = vectorizer(&[("servic", 60)]);
        assert!(v.vector("The", "was and because of it don't 14:02 42 db service").is_empty());
    }

    #[test]
    fn only_the_heaviest_words_are_kept() {
        let mut v = vectorizer(&[]);
        let text: Vec<String> = (0..100).map(|i| format!("word{i}x")).collect();
        assert_eq!(v.vector("", &text.join(" ")).len(), MAX_TERMS);
    }
}
