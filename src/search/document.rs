//! The index schema and how a postmortem becomes an index document.
//!
//! Prose fields use English stemming with pairs of common words (`en_stem_pairs`, see
//! [`super::analyzer`]) and are stored, for snippets. `all_words`
//! holds every word unstemmed, for typo-tolerant (fuzzy) matching, which works on what the
//! user typed rather than on stems. Filter fields (service, category, tag, owner) are
//! tokenized lowercase words so `service:payments` finds `payments-api`; severity and status
//! are exact codes. `facet` carries `/severity/SEV1`, `/service/x`, `/category/y` for counts.

use chrono::NaiveDate;
use rustc_hash::FxHashSet;
use tantivy::schema::{
    Facet, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::{Index, TantivyDocument};

use super::similarity::StemCounter;
use crate::model::{FishboneCause, Postmortem};

/// The analyzer of the prose fields: English stemming, plus each pair of neighbouring words one
/// of which is common ([`super::analyzer::prose_with_pairs`]).
pub const PROSE_TOKENIZER: &str = "en_stem_pairs";

/// The words of prose alone, stemmed as the prose fields are, without pairs
/// ([`super::analyzer::prose`]): what a typed word is looked up as, and what the similarity
/// counts read.
pub const STEM_TOKENIZER: &str = "en_stem";

/// The name of the incident-date field, whose fast column range scans read.
pub const DAY_FIELD: &str = "day";

/// Handles to every field of the schema.
#[derive(Clone, Debug)]
pub struct Fields {
    /// Postmortem id, indexed whole and stored: finds the document to replace or exclude.
    pub id: Field,
    /// The postmortem's `updated_at` (RFC 3339) when indexed; stored only, for [`super::SearchIndex::drift`].
    pub version: Field,
    /// Title; stemmed and stored.
    pub title: Field,
    /// Bodies of the non-empty sections, [`SECTION_MARK`] between them; stemmed and stored.
    pub sections: Field,
    /// Headings of the non-empty sections, in the order their bodies appear in `sections`.
    pub section_headings: Field,
    /// Timeline event texts, a line each; stemmed and stored.
    pub timeline: Field,
    /// 5-whys chains: each problem, then each step's question and answer, a line each; stemmed and stored.
    pub whys: Field,
    /// Each fishbone's effect and every cause (nested ones too), a line each; stemmed and stored.
    pub fishbone: Field,
    /// Contributing factors' texts, a line each; stemmed and stored.
    pub factors: Field,
    /// Action items as "title. description", a line each; stemmed and stored.
    pub actions: Field,
    /// Every prose field's words, unstemmed and not stored: what typo-tolerant matching reads.
    pub all_words: Field,
    /// Severity code (`SEV1` to `SEV4`), exact; stored.
    pub severity: Field,
    /// Review status code (`draft`, `in_review`, `final`), exact; stored.
    pub status: Field,
    /// Service names, one value each: indexed as lowercase words, stored as written.
    pub service: Field,
    /// Category names, one value each: indexed as lowercase words, stored as written.
    pub category: Field,
    /// Tags, as lowercase words; not stored.
    pub tag: Field,
    /// Names of the action items' owners, as lowercase words; not stored.
    pub owner: Field,
    /// Facets `/severity/SEV1`, `/service/<name>`, `/category/<name>`, for the counts.
    pub facet: Field,
    /// Incident date as days since 1970-01-01 ([`day_number`]), for range filters and date sorts.
    pub day: Field,
    /// The incident's words as the families of similar incidents count them
    /// ([`super::similarity::StemCounter`]), stored only: counted once here, when the
    /// postmortem is indexed, instead of stemmed again each time the families are asked for.
    pub stems: Field,
}

impl Fields {
    /// The prose fields searched for free text, with their weight and the name shown to
    /// users for a snippet from them.
    pub fn prose(&self) -> [(Field, f32, &'static str); 7] {
        [
            (self.title, 3.0, "Title"),
            (self.sections, 1.0, "Sections"),
            (self.timeline, 0.8, "Timeline"),
            (self.whys, 1.2, "5 whys"),
            (self.fishbone, 1.0, "Fishbone"),
            (self.factors, 1.2, "Contributing factors"),
            (self.actions, 1.0, "Action items"),
        ]
    }
}

/// Name of the tokenizer for unstemmed words (lowercased, long tokens dropped).
pub const WORDS: &str = "default";

/// Builds the schema.
pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stemmed = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(PROSE_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    // Unstemmed words are matched one at a time (typo-tolerant terms, filters), never as
    // phrases: no positions, which were a fifth of indexing's work for `all_words`.
    let words = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(WORDS).set_index_option(IndexRecordOption::WithFreqs),
    );
    // `all_words` is read only for which documents hold a word (a typo-tolerant match scores
    // alike whatever the count; similar incidents read document frequencies): no counts, and
    // each word given once ([`distinct_words`]).
    let word_set = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(WORDS).set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        version: b.add_text_field("version", STORED),
        title: b.add_text_field("title", stemmed.clone()),
        sections: b.add_text_field("sections", stemmed.clone()),
        section_headings: b.add_text_field("section_headings", STORED),
        timeline: b.add_text_field("timeline", stemmed.clone()),
        whys: b.add_text_field("whys", stemmed.clone()),
        fishbone: b.add_text_field("fishbone", stemmed.clone()),
        factors: b.add_text_field("factors", stemmed.clone()),
        actions: b.add_text_field("actions", stemmed),
        all_words: b.add_text_field("all_words", word_set),
        severity: b.add_text_field("severity", STRING | STORED),
        status: b.add_text_field("status", STRING | STORED),
        service: b.add_text_field("service", words.clone().set_stored()),
        category: b.add_text_field("category", words.clone().set_stored()),
        tag: b.add_text_field("tag", words.clone()),
        owner: b.add_text_field("owner", words),
        facet: b.add_facet_field("facet", INDEXED),
        day: b.add_u64_field(DAY_FIELD, INDEXED | FAST | STORED),
        stems: b.add_text_field("stems", STORED),
    };
    (b.build(), fields)
}

/// Registers the prose fields' analyzer, and the words-alone analyzer
/// ([`super::analyzer::prose`]) in place of tantivy's own `en_stem`, which gives the same
/// tokens without remembering stems.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(PROSE_TOKENIZER, super::analyzer::prose_with_pairs());
    index.tokenizers().register(STEM_TOKENIZER, super::analyzer::prose());
}

/// Days since 1970-01-01, the sortable and rangeable form of a date.
pub fn day_number(d: NaiveDate) -> u64 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid")).num_days().max(0) as u64
}

/// Facet path segment: facets may not contain `/`.
fn facet_part(s: &str) -> String {
    s.replace('/', "-")
}

fn causes_text(causes: &[FishboneCause], out: &mut Vec<String>) {
    for c in causes {
        out.push(c.text.clone());
        causes_text(&c.children, out);
    }
}

/// The separator between section bodies inside the `sections` field; counting them before a
/// snippet tells which of `section_headings` it came from.
pub const SECTION_MARK: &str = "\u{2029}";

/// Each word of `texts` once, as written, a space between: what `all_words` indexes. Its
/// analyzer ([`WORDS`]: the simple tokenizer, long words dropped, lowercase) finds the same words
/// here as in the texts, each being a run of letters and digits as that tokenizer cuts them (a word
/// written in two cases is kept twice and lowercased alike). The field records no counts, and
/// repeats were most of its tokens: indexing's one thread spent a fifth of its time on them.
pub fn distinct_words<'t>(texts: impl IntoIterator<Item = &'t str>) -> String {
    let mut distinct = DistinctWords::default();
    for text in texts {
        for word in super::analyzer::words(text) {
            distinct.add(word);
        }
    }
    distinct.text
}

/// Words gathered for [`distinct_words`], each once, as written, a space between.
struct DistinctWords<'t> {
    seen: FxHashSet<&'t str>,
    text: String,
}

impl Default for DistinctWords<'_> {
    /// Sized for a long postmortem's words: growing the set as it filled cost a tenth of
    /// building an index document.
    fn default() -> Self {
        DistinctWords {
            seen: FxHashSet::with_capacity_and_hasher(2048, Default::default()),
            text: String::with_capacity(16 * 1024),
        }
    }
}

impl<'t> DistinctWords<'t> {
    fn add(&mut self, word: &'t str) {
        if self.seen.insert(word) {
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            self.text.push_str(word);
        }
    }
}

/// The index document of a postmortem.
pub fn build(f: &Fields, pm: &Postmortem, stems: &mut StemCounter) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &pm.id);
    doc.add_text(f.version, crate::store::fmt_time(&pm.updated_at));
    doc.add_text(f.title, &pm.title);
    let written: Vec<&crate::model::Section> = pm.sections.iter().filter(|s| !s.body.trim().is_empty()).collect();
    let sections: Vec<&str> = written.iter().map(|s| s.body.as_str()).collect();
    doc.add_text(f.sections, sections.join(&format!("\n{SECTION_MARK}\n")));
    for s in &written {
        doc.add_text(f.section_headings, &s.heading);
    }
    let timeline: Vec<&str> = pm.timeline.iter().map(|e| e.text.as_str()).collect();
    doc.add_text(f.timeline, timeline.join("\n"));
    let mut whys = Vec::new();
    for c in &pm.whys {
        whys.push(c.problem.clone());
        for s in &c.steps {
            whys.push(format!("{} {}", s.question, s.answer));
        }
    }
    doc.add_text(f.whys, whys.join("\n"));
    let mut fish = Vec::new();
    for fb in &pm.fishbones {
        fish.push(fb.effect.clone());
        for cat in &fb.categories {
            causes_text(&cat.causes, &mut fish);
        }
    }
    doc.add_text(f.fishbone, fish.join("\n"));
    let factors: Vec<&str> = pm.contributing_factors.iter().map(|c| c.text.as_str()).collect();
    doc.add_text(f.factors, factors.join("\n"));
    let actions: Vec<String> = pm.action_items.iter().map(|a| format!("{}. {}", a.title, a.description)).collect();
    doc.add_text(f.actions, actions.join("\n"));
    // One pass over the words of every text, for two uses: the stem counts the families read
    // (the title's words weigh more; the sections, factors and whys count once; the rest not at
    // all) and each word once for `all_words`.
    let title = std::iter::once((pm.title.as_str(), super::similarity::TITLE_WEIGHT));
    let counted = [&sections, &factors].into_iter().flatten().copied().chain(whys.iter().map(String::as_str));
    let uncounted =
        timeline.iter().copied().chain(fish.iter().map(String::as_str)).chain(actions.iter().map(String::as_str));
    let texts = title.chain(counted.map(|t| (t, 1))).chain(uncounted.map(|t| (t, 0)));
    let mut distinct = DistinctWords::default();
    let words = texts.flat_map(|(text, weight)| super::analyzer::words(text).map(move |word| (word, weight)));
    doc.add_text(f.stems, stems.encode_words(words.inspect(|(word, _)| distinct.add(word))));
    doc.add_text(f.all_words, distinct.text);
    doc.add_text(f.severity, pm.severity.as_str());
    doc.add_text(f.status, pm.status.as_str());
    doc.add_facet(f.facet, Facet::from_path(["severity", pm.severity.as_str()]));
    for s in &pm.services {
        doc.add_text(f.service, s);
        doc.add_facet(f.facet, Facet::from_path(["service".to_string(), facet_part(s)]));
    }
    for c in &pm.categories {
        doc.add_text(f.category, c);
        doc.add_facet(f.facet, Facet::from_path(["category".to_string(), facet_part(c)]));
    }
    for t in &pm.tags {
        doc.add_text(f.tag, t);
    }
    for owner in pm.action_items.iter().filter_map(|a| a.owner.as_deref()) {
        doc.add_text(f.owner, owner);
    }
    doc.add_u64(f.day, day_number(pm.incident_date));
    doc
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;
    use tantivy::schema::Value;
    use tantivy::tokenizer::TokenizerManager;

    use super::*;

    /// The words the `all_words` analyzer finds in `text`.
    fn words(text: &str) -> BTreeSet<String> {
        let mut analyzer = TokenizerManager::default().get(WORDS).expect("tantivy's default analyzer");
        let mut stream = analyzer.token_stream(text);
        let mut out = BTreeSet::new();
        while stream.advance() {
            out.insert(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn each_word_is_given_once_as_written() {
        let given = distinct_words(["Disk full: the disk was FULL", "disk-7 at 14:05; naïve ﬁle"]);
        assert_eq!(given, "Disk full the disk was FULL 7 at 14 05 naïve ﬁle");
    }

    /// The stem counts and distinct words a document is built with (from one pass over its
    /// words) are what counting the families' text and listing every text's words give, on
    /// every sample postmortem.
    #[test]
    fn a_document_holds_the_stem_counts_of_its_counted_text_and_every_word_of_its_texts() {
        let (_, fields) = schema();
        let doc = crate::exchange::sample::document(chrono::NaiveDate::from_ymd_opt(2025, 11, 25).unwrap()).unwrap();
        let mut counter = StemCounter::new();
        for pm in &doc.postmortems {
            let built = build(&fields, pm, &mut counter);
            let text = |field| built.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let sections: Vec<&str> =
                pm.sections.iter().map(|s| s.body.as_str()).filter(|b| !b.trim().is_empty()).collect();
            let factors: Vec<&str> = pm.contributing_factors.iter().map(|c| c.text.as_str()).collect();
            let whys: Vec<String> = pm
                .whys
                .iter()
                .flat_map(|c| {
                    std::iter::once(c.problem.clone())
                        .chain(c.steps.iter().map(|s| format!("{} {}", s.question, s.answer)))
                })
                .collect();
            let body = [sections.join("\n"), factors.join("\n"), whys.join("\n")].join("\n");
            assert_eq!(text(fields.stems), StemCounter::new().count_encoded(&pm.title, &body), "{}", pm.title);
            let every = [
                text(fields.title),
                text(fields.sections),
                text(fields.timeline),
                text(fields.whys),
                text(fields.fishbone),
                text(fields.factors),
                text(fields.actions),
            ];
            assert!(!text(fields.stems).is_empty() && !text(fields.all_words).is_empty());
            assert_eq!(words(&text(fields.all_words)), words(&every.join("\n")), "{}", pm.title);
        }
    }

    proptest! {
        /// On any texts, the distinct words hold exactly the words of the texts as indexed.
        #[test]
        fn distinct_words_never_panic_and_index_as_the_texts_do_on_any_unicode(
            texts in proptest::collection::vec("(\\PC|[ .,;:'-]|Disk|disk|İ|ß|ﬁ|x{41}){0,40}", 0..5)
        ) {
            let given = distinct_words(texts.iter().map(String::as_str));
            prop_assert_eq!(words(&given), words(&texts.join("\n")));
        }
    }
}
