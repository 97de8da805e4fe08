//! Incidents as weighted words, read from the index, for the families of similar incidents
//! ([`crate::analysis::families`], whose module doc defines the similarity and why).
//!
//! The text (title, sections, contributing factors, 5 whys) is cut into words by the index's
//! own stemming analyzer when the postmortem is indexed ([`StemCounter`]); the counts are
//! stored with the document, so asking for the families reads them instead of stemming every
//! incident's text again (at 100,000 postmortems, a year of incidents stemmed took over a
//! second). They are weighted with the index's document frequencies, so "similar" here uses
//! the same words as search does. The index may lag the database by the changes still queued
//! for it; the families then miss them until the next sync.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::schema::Value;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::SegmentReader;
use tantivy::{DocAddress, DocId, TantivyDocument, Term};

use super::document::{day_number, DAY_FIELD};
use super::engine::STOP_WORDS;
use super::{search_err, SearchIndex};
use crate::analysis::families::{DocTerms, TermVectors, MAX_DF_SHARE, MAX_TERMS, MIN_DF_CAP};
use crate::Result;

/// What is left of contractions once the tokenizer split them at the apostrophe ("don't" is
/// "don" and "t"): not words of any failure.
const CONTRACTIONS: &[&str] =
    &["don", "doesn", "didn", "isn", "wasn", "weren", "won", "wouldn", "couldn", "shouldn", "haven", "hasn", "aren"];

/// A title's words count this many times: a title names the failure.
pub const TITLE_WEIGHT: u32 = 2;

/// What weighing incidents learnt, kept by the index between calls so that a second call
/// (another period, the same index) reads nothing again: stems, their idf for the current
/// searcher generation, and each indexed document's stem counts. A document's counts never go
/// stale: tantivy segments are written once, a changed postmortem is a new document.
#[derive(Default)]
pub struct Memory {
    /// Each stem met, by stem id, which is also the word id of the vectors.
    stem_ids: FxHashMap<String, u32>,
    /// Each stem id's stem.
    stems: Vec<String>,
    /// Each stem id's word as written, lowercase: the shortest spelling met.
    shown: Vec<String>,
    /// Per stem id: `Some(Some(idf))`, `Some(None)` when the word is left out, `None` unknown.
    idf: Vec<Option<Option<f32>>>,
    /// The searcher generation `idf` holds for.
    generation: Option<u64>,
    /// Per segment, per doc id: the document's postmortem id and stem counts, once read. A
    /// vector per segment: a year of a large library is tens of thousands of lookups.
    docs: FxHashMap<SegmentId, Vec<Option<Arc<Counted>>>>,
}

impl Memory {
    /// Where the counts of document `doc` of `segment` are kept.
    fn slot(&mut self, segment: &SegmentReader, doc: DocId) -> &mut Option<Arc<Counted>> {
        let known = self.docs.entry(segment.segment_id()).or_default();
        if known.len() <= doc as usize {
            known.resize((segment.max_doc() as usize).max(doc as usize + 1), None);
        }
        &mut known[doc as usize]
    }
}

/// A document's postmortem id and stem counts `(stem id, count)`, by stem id.
type Counted = (String, Vec<(u32, f32)>);

/// One word of an incident's text as the families count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StemCount {
    /// The stem, as the index's `en_stem` analyzer makes it.
    pub stem: String,
    /// Its shortest spelling in the text (then the first in alphabetical order), lowercase:
    /// the word shown, as the stem may not be a word.
    pub shown: String,
    /// How many times it is used, a title's words counting `TITLE_WEIGHT` (2) times.
    pub count: u32,
}

/// Cuts an incident's text into the words the families count: the index's own stemming
/// analyzer (that of the prose fields), without stop words, words under three characters and
/// words without a letter. Used when a postmortem is indexed, whose counts are stored with it
/// ([`super::document::Fields::stems`]), so the families read them without stemming again.
///
/// Stemming is most of the cost of counting (and of a bulk import's indexing), and a library's
/// words repeat: each word met is stemmed once and remembered.
pub struct StemCounter {
    /// Stems a word at a time. Words are cut as the analyzer's own first step does
    /// ([`super::analyzer::word_spans`]: `en_stem` is the simple tokenizer, then per-word
    /// filters), so a word stemmed alone gives the stem the analyzer gives it in running text.
    analyzer: TextAnalyzer,
    stop: HashSet<String>,
    /// Each word met, as written: its stem's number in `stems` and its lowercase spelling's in
    /// `spellings`, or `None` when the word is not counted. Counting then works on numbers:
    /// a document's counts cost no string copies until they are written out.
    memo: FxHashMap<String, Option<(u32, u32)>>,
    stems: Interned,
    spellings: Interned,
}

/// Strings numbered in the order they were first met.
#[derive(Default)]
struct Interned {
    ids: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl Interned {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.to_string(), id);
        self.names.push(name.to_string());
        id
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    fn clear(&mut self) {
        self.ids.clear();
        self.names.clear();
    }
}

/// The words a counter remembers before starting over: bounds its memory on a huge import.
const MEMO_LIMIT: usize = 200_000;

impl Default for StemCounter {
    fn default() -> Self {
        StemCounter::new()
    }
}

impl StemCounter {
    /// A counter with the prose fields' stemming, words alone (`en_stem`).
    pub fn new() -> StemCounter {
        let mut analyzer = tantivy::tokenizer::TokenizerManager::default()
            .get(super::document::STEM_TOKENIZER)
            .expect("tantivy registers en_stem by default");
        // The stop words go through the same stemmer, so a stop word matches its stem.
        let mut stop = HashSet::new();
        for w in STOP_WORDS.iter().chain(CONTRACTIONS) {
            let mut stream = analyzer.token_stream(w);
            while stream.advance() {
                stop.insert(stream.token().text.clone());
            }
        }
        StemCounter {
            analyzer,
            stop,
            memo: FxHashMap::default(),
            stems: Interned::default(),
            spellings: Interned::default(),
        }
    }

    /// The words of a title and the rest of the text, by stem.
    pub fn count(&mut self, title: &str, body: &str) -> Vec<StemCount> {
        let tally = self.tally(Self::weighted_words(title, body));
        tally
            .into_iter()
            .map(|(stem, count, shown)| StemCount {
                stem: self.stems.name(stem).to_string(),
                shown: self.spellings.name(shown).to_string(),
                count,
            })
            .collect()
    }

    /// [`StemCounter::count`] as [`StemCounter::encode`] writes it, without the counts in
    /// between: what indexing stores.
    pub fn count_encoded(&mut self, title: &str, body: &str) -> String {
        self.encode_words(Self::weighted_words(title, body))
    }

    /// [`StemCounter::count_encoded`] of words already cut from their texts, each with its
    /// weight (a title's words [`TITLE_WEIGHT`], the rest 1; 0 for a word that is not counted):
    /// lets indexing cut a postmortem's texts into words once for this and for its other uses.
    pub fn encode_words<'w>(&mut self, words: impl Iterator<Item = (&'w str, u32)>) -> String {
        let mut out = String::new();
        for (stem, count, shown) in self.tally(words) {
            encode_line(&mut out, self.stems.name(stem), self.spellings.name(shown), count);
        }
        out
    }

    /// The words of a title and a body with their weights, as [`StemCounter::encode_words`]
    /// takes them.
    pub fn weighted_words<'w>(title: &'w str, body: &'w str) -> impl Iterator<Item = (&'w str, u32)> {
        [(title, TITLE_WEIGHT), (body, 1)]
            .into_iter()
            .flat_map(|(text, weight)| super::analyzer::words(text).map(move |word| (word, weight)))
    }

    /// The counts of weighted words as `(stem, count, spelling shown)` numbers, in the stems'
    /// alphabetical order.
    fn tally<'w>(&mut self, words: impl Iterator<Item = (&'w str, u32)>) -> Vec<(u32, u32, u32)> {
        let StemCounter { analyzer, stop, memo, stems, spellings } = self;
        // Between documents only: a document's counts hold numbers of the memo's strings.
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
            stems.clear();
            spellings.clear();
        }
        // Per stem: its count and the spelling shown. Sized for a long postmortem's stems:
        // growing the map as it fills was a tenth of building an index document.
        let mut counts: FxHashMap<u32, (u32, u32)> = FxHashMap::with_capacity_and_hasher(1024, Default::default());
        for (written, weight) in words.filter(|(_, weight)| *weight > 0) {
            let known = match memo.get(written) {
                Some(known) => *known,
                None => {
                    let known = counted_stem(analyzer, stop, written)
                        .map(|stem| (stems.id(&stem), spellings.id(&written.to_lowercase())));
                    memo.insert(written.to_string(), known);
                    known
                }
            };
            let Some((stem, spelling)) = known else { continue };
            counts
                .entry(stem)
                .and_modify(|(count, shown)| {
                    *count += weight;
                    // The same spelling again (the usual case) changes nothing.
                    if *shown != spelling {
                        *shown = shortest_spelling(spellings, *shown, spelling);
                    }
                })
                .or_insert((weight, spelling));
        }
        let mut counts: Vec<(u32, u32, u32)> =
            counts.into_iter().map(|(stem, (count, shown))| (stem, count, shown)).collect();
        counts.sort_unstable_by(|a, b| stems.name(a.0).cmp(stems.name(b.0)));
        counts
    }

    /// The counts as stored in the index: a line per word, "stem shown count", or "stem count"
    /// when the word is shown as its stem (half of them; neither a stem nor a spelling holds
    /// whitespace: the tokenizer cuts words at it).
    pub fn encode(counts: &[StemCount]) -> String {
        let mut out = String::new();
        for c in counts {
            encode_line(&mut out, &c.stem, &c.shown, c.count);
        }
        out
    }

    /// The counts [`StemCounter::encode`] stored, as `(stem, shown, count)`; a malformed line is
    /// skipped.
    pub fn decode(stored: &str) -> impl Iterator<Item = (&str, &str, u32)> {
        stored.lines().filter_map(|line| {
            let parts: Vec<&str> = line.split(' ').collect();
            let (stem, shown, count) = match parts[..] {
                [stem, count] => (stem, stem, count),
                [stem, shown, count] => (stem, shown, count),
                _ => return None,
            };
            (!stem.is_empty() && !shown.is_empty()).then_some((stem, shown, count.parse().ok()?))
        })
    }
}

/// The stem the families count for one word as written, or `None` when it is not counted
/// (a stop word, under three characters, without a letter, or too long to index).
fn counted_stem(analyzer: &mut TextAnalyzer, stop: &HashSet<String>, word: &str) -> Option<String> {
    let mut stream = analyzer.token_stream(word);
    let stem = stream.advance().then(|| stream.token().text.clone())?;
    (stem.chars().count() >= 3 && stem.chars().any(char::is_alphabetic) && !stop.contains(&stem)).then_some(stem)
}

/// The spelling shown of two: the shorter, then the first in alphabetical order, so it does not
/// depend on the order texts are read in.
fn shortest(a: String, b: String) -> String {
    if (b.len(), &b) < (a.len(), &a) {
        b
    } else {
        a
    }
}

/// [`shortest`] of two numbered spellings (lowercase: comparing raw lengths would let a letter
/// whose lowercase is shorter, the Kelvin sign, decide by order).
fn shortest_spelling(spellings: &Interned, a: u32, b: u32) -> u32 {
    let (x, y) = (spellings.name(a), spellings.name(b));
    if (y.len(), y) < (x.len(), x) {
        b
    } else {
        a
    }
}

/// One line of [`StemCounter::encode`].
fn encode_line(out: &mut String, stem: &str, shown: &str, count: u32) {
    out.push_str(stem);
    if shown != stem {
        out.push(' ');
        out.push_str(shown);
    }
    out.push(' ');
    // Not `write!`: formatting machinery was a tenth of building an index document.
    out.push_str(itoa::Buffer::new().format(count));
    out.push('\n');
}

/// Turns texts into [`DocTerms`]: stems with the analyzer, weighs with the document
/// frequencies `doc_freq` gives out of `num_docs`, keeps the [`MAX_TERMS`] heaviest words.
pub struct Vectorizer<F: FnMut(&str) -> u64> {
    counter: StemCounter,
    num_docs: u64,
    doc_freq: F,
    memory: Memory,
}

impl<F: FnMut(&str) -> u64> Vectorizer<F> {
    /// A vectorizer remembering into `memory`.
    fn with_memory(num_docs: u64, doc_freq: F, memory: Memory) -> Self {
        Vectorizer { counter: StemCounter::new(), num_docs, doc_freq, memory }
    }

    /// A vectorizer with the index schema's own stemming analyzer (that of the prose fields),
    /// for weighing text outside an opened index: tests, and what the families compute on.
    pub fn for_schema(num_docs: u64, doc_freq: F) -> Self {
        Vectorizer::with_memory(num_docs, doc_freq, Memory::default())
    }

    /// Words used by more documents than this are left out.
    fn max_df(&self) -> u64 {
        ((self.num_docs as f64 * MAX_DF_SHARE) as u64).max(MIN_DF_CAP)
    }

    /// The stem counts of a title (its words counted [`TITLE_WEIGHT`] times) and the rest of
    /// the text (see [`StemCounter`]), by stem id.
    fn count(&mut self, title: &str, body: &str) -> Vec<(u32, f32)> {
        let counts = self.counter.count(title, body);
        self.remember(counts.iter().map(|c| (c.stem.as_str(), c.shown.as_str(), c.count)))
    }

    /// Stem counts `(stem, shown, count)` by stem id, numbering the stems not met before and
    /// keeping the shortest spelling met of each.
    fn remember<'t>(&mut self, counts: impl Iterator<Item = (&'t str, &'t str, u32)>) -> Vec<(u32, f32)> {
        let m = &mut self.memory;
        let mut out: Vec<(u32, f32)> = counts
            .map(|(stem, shown, count)| {
                let id = match m.stem_ids.get(stem) {
                    Some(&id) => {
                        let known = &mut m.shown[id as usize];
                        if shown.len() <= known.len() && shown != known {
                            *known = shortest(std::mem::take(known), shown.to_string());
                        }
                        id
                    }
                    None => {
                        let id = m.shown.len() as u32;
                        m.shown.push(shown.to_string());
                        m.stem_ids.insert(stem.to_string(), id);
                        m.stems.push(stem.to_string());
                        id
                    }
                };
                (id, count as f32)
            })
            .collect();
        out.sort_by_key(|c| c.0);
        out
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
    /// What was read is remembered (see [`Memory`]); only documents not met before are read
    /// from the index's store, whose word counts were made when each was indexed.
    pub fn term_vectors(&self, from: NaiveDate, to: NaiveDate) -> Result<TermVectors> {
        let f = &self.fields;
        let searcher = self.searcher();
        // The documents dated in the period, read from the `day` column segment by segment, in
        // address order (each compressed block of the document store is then read once): a
        // scan of a number per document, cheaper than a range query collected into a set.
        let days = day_number(from)..=day_number(to);
        let mut addresses: Vec<DocAddress> = Vec::new();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let column = segment.fast_fields().u64(DAY_FIELD).map_err(search_err)?;
            addresses.extend(
                segment
                    .doc_ids_alive()
                    .filter(|&doc| column.first(doc).is_some_and(|d| days.contains(&d)))
                    .map(|doc| DocAddress::new(ord as u32, doc)),
            );
        }
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
            memory.docs.retain(|segment, _| live.contains(segment));
        }
        let mut vectorizer = Vectorizer::with_memory(searcher.num_docs(), doc_freq, memory);
        let mut docs = Vec::with_capacity(addresses.len());
        let read = (|| -> Result<()> {
            for address in addresses {
                let segment = searcher.segment_reader(address.segment_ord);
                let known = vectorizer.memory.slot(segment, address.doc_id).clone();
                let counted = match known {
                    Some(c) => c,
                    None => {
                        // The words were counted when the postmortem was indexed (document::build).
                        let doc: TantivyDocument = searcher.doc(address).map_err(search_err)?;
                        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default();
                        let counts = vectorizer.remember(StemCounter::decode(text(f.stems)));
                        let c = Arc::new((text(f.id).to_string(), counts));
                        *vectorizer.memory.slot(segment, address.doc_id) = Some(Arc::clone(&c));
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
        let dfs: std::collections::HashMap<&str, u64> = dfs.iter().copied().collect();
        Vectorizer::for_schema(100, move |stem: &str| dfs.get(stem).copied().unwrap_or(1))
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
    fn the_counts_stored_with_a_document_give_the_same_vector_as_its_text() {
        let title = "Disk full on db-7";
        let body = "The disks filled; DISK alerts fired.\nWhy? Disk quota";
        let mut counter = StemCounter::new();
        let counts = counter.count(title, body);
        let disk = counts.iter().find(|c| c.stem == "disk").unwrap();
        // Title words count twice: 2 + disks + DISK + Disk = 5, shown as its shortest spelling.
        assert_eq!((disk.shown.as_str(), disk.count), ("disk", 5));
        let stored = StemCounter::encode(&counts);
        let mut a = vectorizer(&[]);
        let mut b = vectorizer(&[]);
        let from_text = a.vector(title, body);
        let remembered = b.remember(StemCounter::decode(&stored));
        assert_eq!(b.weigh(&remembered), from_text);
        assert_eq!(a.into_words(), b.into_words());
    }

    #[test]
    fn a_malformed_stored_line_is_skipped() {
        let stored = "disk 3\nbad line\n\nfull x\nleak leak 1 extra\nfix fix 2\nfail failing 1\n 4";
        let read: Vec<_> = StemCounter::decode(stored).collect();
        assert_eq!(read, [("disk", "disk", 3), ("fix", "fix", 2), ("fail", "failing", 1)]);
    }

    #[test]
    fn only_the_heaviest_words_are_kept() {
        let mut v = vectorizer(&[]);
        let text: Vec<String> = (0..100).map(|i| format!("word{i}x")).collect();
        assert_eq!(v.vector("", &text.join(" ")).len(), MAX_TERMS);
    }

    /// The counts as the whole-text analyzer gives them (how they were made before the
    /// counter remembered stems): the reference the counter must equal.
    fn counted_by_whole_text(title: &str, body: &str) -> Vec<StemCount> {
        let mut reference = StemCounter::new();
        let mut counts: FxHashMap<String, StemCount> = FxHashMap::default();
        for (text, weight) in [(title, TITLE_WEIGHT), (body, 1)] {
            let mut stream = reference.analyzer.token_stream(text);
            while stream.advance() {
                let token = stream.token();
                let stem = token.text.clone();
                if stem.chars().count() < 3 || !stem.chars().any(char::is_alphabetic) || reference.stop.contains(&stem)
                {
                    continue;
                }
                let written = text[token.offset_from..token.offset_to].to_lowercase();
                let c = counts.entry(stem.clone()).or_insert(StemCount { stem, shown: written.clone(), count: 0 });
                c.count += weight;
                c.shown = shortest(std::mem::take(&mut c.shown), written);
            }
        }
        let mut counts: Vec<StemCount> = counts.into_values().collect();
        counts.sort_by(|a, b| a.stem.cmp(&b.stem));
        counts
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// Counting with remembered stems, word by word, gives what the analyzer gives on the
        /// whole text, for any text (and a counter reused across texts, as indexing does).
        #[test]
        fn remembered_stems_count_as_the_whole_text_analyzer_does(
            texts in proptest::collection::vec((".{0,40}", "(\\PC|[ .,;:!?'-]|Disks?|disk|FULL|the|was|db-7|14:05|Überlast|naïve|ﬁle){0,60}"), 1..4)
        ) {
            let mut counter = StemCounter::new();
            for (title, body) in &texts {
                let expected = counted_by_whole_text(title, body);
                proptest::prop_assert_eq!(counter.count_encoded(title, body), StemCounter::encode(&expected));
                proptest::prop_assert_eq!(counter.count(title, body), expected);
            }
        }
    }
}
