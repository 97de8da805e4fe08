//! Running queries: ranked hits with a highlighted snippet from the best-matching field,
//! facet counts, sorting and paging; and "similar incidents" for a postmortem or a draft.
//! Paging is bounded ([`MAX_LIMIT`] hits a page, offsets up to [`MAX_OFFSET`], at most
//! [`MAX_SIMILAR`] similar incidents): a request beyond a bound is a validation error naming the
//! field and the bound, never a panic or an unbounded allocation.

use std::collections::{BTreeMap, HashSet};
use std::ops::Bound;

use chrono::{Duration, NaiveDate};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::postings::Postings;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Order, Searcher, TantivyDocument, Term};

use super::analyzer::is_pair;
use super::document::{day_number, Fields, SECTION_MARK, STEM_TOKENIZER};
use super::query::{parse, Clause, Filter, ParsedQuery};
use super::{search_err, SearchIndex};
use crate::model::{Postmortem, ReviewStatus, Severity};
use crate::wire::{FacetCount, Facets, SearchHit, SearchOptions, SearchResults, SearchSort, SimilarHit, Snippet};
use crate::{Error, Result};

/// Words of at least this many letters match with one typo.
pub const FUZZY_MIN_LEN: usize = 5;
/// A word found in at least 1/COMMON_WORD_DIVISOR of the postmortems (and in at least
/// COMMON_WORD_MIN of them) is taken as correctly spelt: no typo alternative is searched.
const COMMON_WORD_DIVISOR: u64 = 1000;
const COMMON_WORD_MIN: u64 = 3;
/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 180;
/// What a highlighted word that only shares a typed word's stem (or is a typo away from it)
/// counts for in choosing the snippet's field, against 1 for the word as typed.
const STEM_ONLY_MATCH: f32 = 0.6;

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { limit: 20, offset: 0, sort: SearchSort::Relevance }
    }
}

/// Most hits one page of results holds.
pub const MAX_LIMIT: usize = 1000;
/// Deepest a page of results may start: paging further costs memory and time for every page
/// skipped, and a query that matches more is better narrowed.
pub const MAX_OFFSET: usize = 100_000;
/// Most similar incidents one call returns.
pub const MAX_SIMILAR: usize = 100;

impl SearchOptions {
    /// Checks the paging bounds: `limit` from 1 to [`MAX_LIMIT`], `offset` at most
    /// [`MAX_OFFSET`]. The error names the field and its bound.
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_LIMIT).contains(&self.limit) {
            return Err(Error::invalid(
                "limit",
                format!("{} is out of range; a page holds from 1 to {MAX_LIMIT} hits", self.limit),
            ));
        }
        if self.offset > MAX_OFFSET {
            return Err(Error::invalid(
                "offset",
                format!(
                    "{} is past the deepest page search returns (offset {MAX_OFFSET} at most); narrow the query",
                    self.offset
                ),
            ));
        }
        Ok(())
    }
}

/// Checks the number of similar incidents asked for: from 1 to [`MAX_SIMILAR`].
fn check_similar_limit(limit: usize) -> Result<()> {
    if (1..=MAX_SIMILAR).contains(&limit) {
        Ok(())
    } else {
        Err(Error::invalid("limit", format!("{limit} is out of range; ask for 1 to {MAX_SIMILAR} similar incidents")))
    }
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

/// A boolean query, or the single sub-query itself when there is just one.
fn boolean(mut parts: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if parts.len() == 1 && parts[0].0 != Occur::MustNot {
        parts.pop().expect("one part").1
    } else {
        Box::new(BooleanQuery::new(parts))
    }
}

/// The terms a phrase is looked up by, with their offsets in it, as the prose fields were
/// indexed ([`super::analyzer::StemmedWords`]): every pair of neighbouring words the analyzer
/// gives (one of the two is a common word), and each word no pair covers. "failing with" is the
/// one term "fail with", found without reading any positions; "timeout on the primary" is
/// "timeout on", "on the", "the primari". The offsets are the words' positions, so a word the
/// analyzer drops (longer than it indexes) leaves the same gap in the phrase as in the text.
fn phrase_terms(with_pairs: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut singles = Vec::new();
    let mut pairs = Vec::new();
    let mut stream = with_pairs.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        let into = if is_pair(&token.text) { &mut pairs } else { &mut singles };
        into.push((token.position, token.text.clone()));
    }
    // A set, not a scan per word: nothing bounds the length of a pasted phrase.
    let covered: HashSet<usize> = pairs.iter().flat_map(|(p, _)| [*p, *p + 1]).collect();
    let mut terms: Vec<(usize, String)> = singles.into_iter().filter(|(at, _)| !covered.contains(at)).collect();
    terms.extend(pairs);
    terms.sort();
    let first = terms.first().map_or(0, |t| t.0);
    terms.into_iter().map(|(at, t)| (at - first, t)).collect()
}

/// The query and what the snippet highlighter needs to know about it.
struct Built {
    query: Box<dyn Query>,
    /// Lowercased words typed, for typo-tolerant highlighting.
    fuzzy_words: Vec<String>,
    /// Lowercased words of the positive words and phrases, as typed: a snippet showing them
    /// as written beats one that only shares their stem.
    typed: Vec<String>,
}

impl SearchIndex {
    pub(crate) fn analyzer(&self, field: Field) -> Result<TextAnalyzer> {
        self.index().tokenizer_for_field(field).map_err(search_err)
    }

    /// The prose fields' stemming, words alone (no pairs): what a typed word is looked up as.
    fn stemmer(&self) -> Result<TextAnalyzer> {
        self.index()
            .tokenizers()
            .get(STEM_TOKENIZER)
            .ok_or_else(|| search_err(tantivy::TantivyError::InvalidArgument(format!("no analyzer {STEM_TOKENIZER}"))))
    }

    /// Builds the tantivy query for a parsed query.
    fn build(&self, pq: &ParsedQuery) -> Result<Built> {
        let f = &self.fields;
        let searcher = self.searcher();
        let mut stem = self.stemmer()?;
        let mut with_pairs = self.analyzer(f.title)?;
        let mut words = self.analyzer(f.all_words)?;
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut fuzzy_words = Vec::new();
        let mut typed = Vec::new();
        let mut positive = false;
        for clause in &pq.clauses {
            let (occur, query) = match clause {
                Clause::Word { text, negated } => {
                    let stems = tokens(&mut stem, text);
                    let raw = tokens(&mut words, text);
                    if stems.is_empty() {
                        continue;
                    }
                    if !negated {
                        typed.extend(raw.iter().cloned());
                    }
                    // Each token of the word must match somewhere (a word like "http/2" is
                    // two tokens); each may match exactly in any prose field or, if long
                    // enough, with one typo.
                    let mut per_token: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                    for (i, s) in stems.iter().enumerate() {
                        let mut any: Vec<(Occur, Box<dyn Query>)> = f
                            .prose()
                            .iter()
                            .map(|(field, boost, _)| {
                                (
                                    Occur::Should,
                                    Box::new(BoostQuery::new(term_query(*field, s), *boost)) as Box<dyn Query>,
                                )
                            })
                            .collect();
                        // A word the library already uses often is not a typo: matching its
                        // one-edit neighbours too would only add noise and cost. Rare or
                        // unknown words get the typo-tolerant alternative.
                        let exact_df = f
                            .prose()
                            .iter()
                            .map(|(field, _, _)| searcher.doc_freq(&Term::from_field_text(*field, s)).unwrap_or(0))
                            .max()
                            .unwrap_or(0);
                        let common = exact_df >= (searcher.num_docs() / COMMON_WORD_DIVISOR).max(COMMON_WORD_MIN);
                        if let Some(w) = raw.get(i).filter(|w| w.chars().count() >= FUZZY_MIN_LEN && !common) {
                            let fuzzy = FuzzyTermQuery::new(Term::from_field_text(f.all_words, w), 1, true);
                            any.push((Occur::Should, Box::new(BoostQuery::new(Box::new(fuzzy), 0.3))));
                            if !negated {
                                fuzzy_words.push(w.clone());
                            }
                        }
                        per_token.push((Occur::Must, Box::new(BooleanQuery::new(any))));
                    }
                    (if *negated { Occur::MustNot } else { Occur::Must }, boolean(per_token))
                }
                Clause::Phrase { text, negated } => {
                    let stems = tokens(&mut stem, text);
                    if stems.is_empty() {
                        continue;
                    }
                    if !negated {
                        typed.extend(tokens(&mut words, text));
                    }
                    let phrase = phrase_terms(&mut with_pairs, text);
                    let any: Vec<(Occur, Box<dyn Query>)> = f
                        .prose()
                        .iter()
                        .map(|(field, boost, _)| {
                            let q: Box<dyn Query> = match phrase.as_slice() {
                                [(_, one)] => term_query(*field, one),
                                _ => Box::new(PhraseQuery::new_with_offset(
                                    phrase.iter().map(|(at, s)| (*at, Term::from_field_text(*field, s))).collect(),
                                )),
                            };
                            (Occur::Should, Box::new(BoostQuery::new(q, *boost)) as Box<dyn Query>)
                        })
                        .collect();
                    (
                        if *negated { Occur::MustNot } else { Occur::Must },
                        Box::new(BooleanQuery::new(any)) as Box<dyn Query>,
                    )
                }
                Clause::Filter { filter, negated } => {
                    let q = match filter {
                        Filter::Severity(s) => term_query(f.severity, s.as_str()),
                        Filter::Status(s) => term_query(f.status, s.as_str()),
                        Filter::Service(v) | Filter::Category(v) | Filter::Tag(v) | Filter::Owner(v) => {
                            let field = match filter {
                                Filter::Service(_) => f.service,
                                Filter::Category(_) => f.category,
                                Filter::Tag(_) => f.tag,
                                _ => f.owner,
                            };
                            let all: Vec<(Occur, Box<dyn Query>)> =
                                tokens(&mut words, v).iter().map(|t| (Occur::Must, term_query(field, t))).collect();
                            if all.is_empty() {
                                continue;
                            }
                            boolean(all)
                        }
                    };
                    (if *negated { Occur::MustNot } else { Occur::Must }, q)
                }
            };
            positive |= occur == Occur::Must;
            parts.push((occur, query));
        }
        if pq.after.is_some() || pq.before.is_some() {
            let lower =
                pq.after.map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_u64(f.day, day_number(d))));
            let upper =
                pq.before.map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_u64(f.day, day_number(d))));
            parts.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
            positive = true;
        }
        if !positive {
            // Only exclusions (or nothing): start from everything.
            parts.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Built { query: boolean(parts), fuzzy_words, typed })
    }

    /// Runs a query string.
    pub fn search(&self, query: &str, opts: &SearchOptions) -> Result<SearchResults> {
        let _searching = super::Searching::start();
        opts.validate()?;
        let parsed = parse(query)?;
        let built = self.build(&parsed)?;
        let searcher = self.searcher();
        let limit = opts.limit;
        let mut facets = FacetCollector::for_field("facet");
        facets.add_facet("/severity");
        facets.add_facet("/service");
        facets.add_facet("/category");
        let (addresses, total, facet_counts): (Vec<(f32, DocAddress)>, usize, _) = match opts.sort {
            SearchSort::Relevance => {
                let top = TopDocs::with_limit(limit).and_offset(opts.offset).order_by_score();
                let (hits, total, counts) =
                    searcher.search(&*built.query, &(top, Count, facets)).map_err(search_err)?;
                (hits, total, counts)
            }
            SearchSort::Newest | SearchSort::Oldest => {
                let order = if opts.sort == SearchSort::Newest { Order::Desc } else { Order::Asc };
                let top = TopDocs::with_limit(limit).and_offset(opts.offset).order_by_u64_field("day", order);
                let (hits, total, counts) =
                    searcher.search(&*built.query, &(top, Count, facets)).map_err(search_err)?;
                (hits.into_iter().map(|(_, a)| (0.0, a)).collect(), total, counts)
            }
        };
        let mut snippets = SnippetMaker::new(self, &searcher, &*built.query, &built.fuzzy_words, &built.typed)?;
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(search_err)?;
            let mut hit = self.hit_from(&doc, score);
            hit.snippet = snippets.best(&doc, address)?;
            hits.push(hit);
        }
        let count = |prefix: &str| -> Vec<FacetCount> {
            let mut v: Vec<FacetCount> = facet_counts
                .get(prefix)
                .map(|(facet, count)| FacetCount {
                    value: facet.to_path().last().map(|s| s.to_string()).unwrap_or_default(),
                    count,
                })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            v
        };
        let mut severity = count("/severity");
        severity.sort_by(|a, b| a.value.cmp(&b.value));
        Ok(SearchResults {
            query: query.to_string(),
            total,
            hits,
            facets: Facets { severity, service: count("/service"), category: count("/category") },
        })
    }

    fn hit_from(&self, doc: &TantivyDocument, score: f32) -> SearchHit {
        let f = &self.fields;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let all = |field| doc.get_all(field).filter_map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>();
        let day = doc.get_first(f.day).and_then(|v| v.as_u64()).unwrap_or(0);
        SearchHit {
            id: text(f.id),
            title: text(f.title),
            incident_date: NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid") + Duration::days(day as i64),
            severity: Severity::parse(&text(f.severity)).unwrap_or(Severity::Sev4),
            status: ReviewStatus::parse(&text(f.status)).unwrap_or(ReviewStatus::Draft),
            services: all(f.service),
            categories: all(f.category),
            score,
            snippet: None,
        }
    }

    /// The postmortems most similar to a stored one, best first; itself excluded. Its text is
    /// what its index document holds ([`similarity_text`]).
    pub fn similar_to(&self, pm: &Postmortem, limit: usize) -> Result<Vec<SimilarHit>> {
        let sections: Vec<&str> = pm.sections.iter().map(|s| s.body.as_str()).collect();
        let factors: Vec<&str> = pm.contributing_factors.iter().map(|c| c.text.as_str()).collect();
        let mut whys = Vec::new();
        for c in &pm.whys {
            whys.push(c.problem.clone());
            whys.extend(c.steps.iter().map(|s| format!("{} {}", s.question, s.answer)));
        }
        let text = similarity_text(&pm.title, &sections.join("\n"), &factors.join("\n"), &whys.join("\n"));
        self.similar(Some(&pm.id), &pm.title, &text, &pm.categories, &pm.services, limit)
    }

    /// [`SearchIndex::similar_to`] the postmortem `id` as its index document holds it, read from
    /// the index alone; `None` when the index does not hold it. Right after a cold open, loading
    /// the postmortem from the database was most of a lookup: at 100,000 postmortems, loads had
    /// p99 24 ms, the lookups themselves 2.8 ms (`examples/profile similar 100000 cold`).
    pub fn similar_to_indexed(&self, id: &str, limit: usize) -> Result<Option<Vec<SimilarHit>>> {
        let f = &self.fields;
        let searcher = self.searcher();
        let found =
            searcher.search(&term_query(f.id, id), &TopDocs::with_limit(1).order_by_score()).map_err(search_err)?;
        let Some((_, address)) = found.first() else { return Ok(None) };
        let doc: TantivyDocument = searcher.doc(*address).map_err(search_err)?;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default();
        let all = |field| doc.get_all(field).filter_map(|v| v.as_str().map(str::to_string)).collect::<Vec<_>>();
        let title = text(f.title);
        let body = similarity_text(title, text(f.sections), text(f.factors), text(f.whys));
        self.similar(Some(id), title, &body, &all(f.category), &all(f.service), limit).map(Some)
    }

    /// The postmortems most similar to a draft: its title, its text so far, and any services
    /// and categories already chosen. `exclude` leaves out the draft itself once stored.
    pub fn similar(
        &self,
        exclude: Option<&str>,
        title: &str,
        text: &str,
        categories: &[String],
        services: &[String],
        limit: usize,
    ) -> Result<Vec<SimilarHit>> {
        let _searching = super::Searching::start();
        check_similar_limit(limit)?;
        let f = &self.fields;
        let searcher = self.searcher();
        let mut stem = self.stemmer()?;
        let mlt = more_like_this(&searcher, [(f.title, title), (f.sections, text)], &mut stem);
        let mut parts: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, mlt)];
        let mut words = self.analyzer(f.all_words)?;
        for (field, values, boost) in [(f.category, categories, 1.5f32), (f.service, services, 0.8)] {
            for v in values {
                let all: Vec<(Occur, Box<dyn Query>)> =
                    tokens(&mut words, v).iter().map(|t| (Occur::Must, term_query(field, t))).collect();
                if !all.is_empty() {
                    parts.push((Occur::Should, Box::new(BoostQuery::new(boolean(all), boost))));
                }
            }
        }
        if let Some(id) = exclude {
            parts.push((Occur::MustNot, term_query(f.id, id)));
        }
        let query = BooleanQuery::new(parts);
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score()).map_err(search_err)?;
        let mine = key_terms(&searcher, f.all_words, &mut words, &format!("{title}\n{text}"));
        let mut out = Vec::new();
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(search_err)?;
            let hit = self.hit_from(&doc, score);
            let mut reasons = Vec::new();
            let same = |mine: &[String], theirs: &[String]| -> Vec<String> {
                theirs.iter().filter(|t| mine.iter().any(|m| m.eq_ignore_ascii_case(t))).cloned().collect()
            };
            let cats = same(categories, &hit.categories);
            if !cats.is_empty() {
                reasons.push(format!("same category: {}", cats.join(", ")));
            }
            let svcs = same(services, &hit.services);
            if !svcs.is_empty() {
                reasons.push(format!("same service: {}", svcs.join(", ")));
            }
            let their_text = [f.title, f.sections, f.factors, f.whys]
                .iter()
                .filter_map(|fl| doc.get_first(*fl).and_then(|v| v.as_str()).map(str::to_string))
                .collect::<Vec<_>>()
                .join("\n");
            let theirs = significant_words(&mut words, &their_text);
            // The draft's most characteristic words (by tf-idf) that this incident shares.
            let shared: Vec<&str> =
                mine.iter().filter(|w| theirs.contains(String::as_str(w))).take(5).map(String::as_str).collect();
            if !shared.is_empty() {
                reasons.push(format!("shared terms: {}", shared.join(", ")));
            }
            out.push(SimilarHit {
                id: hit.id,
                title: hit.title,
                incident_date: hit.incident_date,
                severity: hit.severity,
                score,
                reasons,
            });
        }
        Ok(out)
    }
}

impl SearchIndex {
    /// The one-line summary of each of `ids` that is indexed: the first sentence of the section
    /// headed "Summary" (else of the first written section), at most [`SUMMARY_CHARS`]
    /// characters, "…" marking a cut. Ids not indexed, or with nothing written, are left out.
    pub fn summary_lines(&self, ids: &[&str]) -> Result<BTreeMap<String, String>> {
        let f = &self.fields;
        let searcher = self.searcher();
        let mut out = BTreeMap::new();
        for id in ids {
            let top = searcher.search(&*term_query(f.id, id), &TopDocs::with_limit(1).order_by_score());
            let Some((_, address)) = top.map_err(search_err)?.into_iter().next() else { continue };
            let doc: TantivyDocument = searcher.doc(address).map_err(search_err)?;
            let sections = doc.get_first(f.sections).and_then(|v| v.as_str()).unwrap_or_default();
            let bodies: Vec<&str> = sections.split(SECTION_MARK).map(str::trim).collect();
            let at = doc
                .get_all(f.section_headings)
                .position(|h| h.as_str().is_some_and(|h| h.trim().eq_ignore_ascii_case("summary")))
                .unwrap_or(0);
            if let Some(line) = bodies.get(at).and_then(|b| first_sentence(b)) {
                out.insert(id.to_string(), line);
            }
        }
        Ok(out)
    }
}

/// Longest one-line summary, in characters.
pub const SUMMARY_CHARS: usize = 200;

/// The first sentence (or line) of `text`, cut at [`SUMMARY_CHARS`]; `None` when empty.
fn first_sentence(text: &str) -> Option<String> {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            c == '\n' || (matches!(c, '.' | '!' | '?') && text[i + c.len_utf8()..].starts_with(char::is_whitespace))
        })
        .map_or(text.len(), |(i, c)| if c == '\n' { i } else { i + c.len_utf8() });
    let line = text[..end].trim();
    if line.is_empty() {
        return None;
    }
    if line.chars().count() <= SUMMARY_CHARS {
        return Some(line.to_string());
    }
    let cut: String = line.chars().take(SUMMARY_CHARS - 1).collect();
    Some(format!("{}…", cut.trim_end()))
}

/// The words of a postmortem that most tell it apart, as a query for others holding them:
/// tantivy's more-like-this, with ties broken by the term. Each stem (of at least
/// [`MLT_MIN_BYTES`] bytes, not a stop word, in at most a quarter of the documents) of `texts`
/// in its field scores its count times its idf; the best [`MLT_TERMS`] are asked for, each
/// boosted by its score over the best's. tantivy's own `MoreLikeThisQuery` keeps the best in a
/// heap fed from a hash map in random order, so among words of equal score which made the
/// query was chance: the same postmortem's similar incidents changed from one call to the next.
/// Words alone (`stem`): the fields' own analyzer would add pairs of common words, which are for
/// phrases, not for what makes two incidents alike.
fn more_like_this(searcher: &Searcher, texts: [(Field, &str); 2], stem: &mut TextAnalyzer) -> Box<dyn Query> {
    let num_docs = searcher.num_docs();
    let max_doc_freq = (num_docs / 4).max(2);
    let mut counts: BTreeMap<Term, usize> = BTreeMap::new();
    for (field, text) in texts {
        for word in tokens(stem, text) {
            if word.len() >= MLT_MIN_BYTES && !STOP_WORDS.contains(&word.as_str()) {
                *counts.entry(Term::from_field_text(field, &word)).or_default() += 1;
            }
        }
    }
    let mut scored: Vec<(f32, Term)> = counts
        .into_iter()
        .filter_map(|(term, count)| {
            let doc_freq = searcher.doc_freq(&term).ok().filter(|df| (1..=max_doc_freq).contains(df))?;
            // tantivy's idf (BM25's); a deleted document still counts in `doc_freq` until merged.
            let idf = ((num_docs.saturating_sub(doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5) + 1.0).ln();
            Some((count as f32 * idf, term))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.truncate(MLT_TERMS);
    let best = scored.first().map_or(1.0, |s| s.0);
    Box::new(BooleanQuery::new(
        scored
            .into_iter()
            .map(|(score, term)| {
                let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, Box::new(BoostQuery::new(query, score / best)) as Box<dyn Query>)
            })
            .collect(),
    ))
}

/// How many words a more-like-this query asks for ([`more_like_this`]).
const MLT_TERMS: usize = 30;

/// The shortest stem, in bytes, a more-like-this query asks for ([`more_like_this`]).
const MLT_MIN_BYTES: usize = 3;

/// The text a stored postmortem is compared by: its title, sections, contributing factors and
/// 5-whys (each problem, then each step's question and answer), as its index document holds
/// them, so [`SearchIndex::similar_to`] from the database and
/// [`SearchIndex::similar_to_indexed`] from the index compare the same words.
fn similarity_text(title: &str, sections: &str, factors: &str, whys: &str) -> String {
    [title, sections, factors, whys].join("\n")
}

/// The words of `text` by tf-idf over the index, most characteristic first (top 40).
fn key_terms(searcher: &Searcher, field: Field, words: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut tf: BTreeMap<String, f32> = BTreeMap::new();
    for w in tokens(words, text) {
        if w.chars().count() >= 4 && w.chars().all(|c| c.is_alphabetic()) && !STOP_WORDS.contains(&w.as_str()) {
            *tf.entry(w).or_default() += 1.0;
        }
    }
    let n = searcher.num_docs().max(1) as f32;
    let mut scored: Vec<(f32, String)> = tf
        .into_iter()
        .map(|(w, count)| {
            let df = searcher.doc_freq(&Term::from_field_text(field, &w)).unwrap_or(0) as f32;
            (count.sqrt() * (1.0 + n / (1.0 + df)).ln(), w)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(40).map(|(_, w)| w).collect()
}

/// Lowercased words of four or more letters that are not stop words.
fn significant_words(words: &mut TextAnalyzer, text: &str) -> HashSet<String> {
    tokens(words, text)
        .into_iter()
        .filter(|w| w.chars().count() >= 4 && w.chars().all(|c| c.is_alphabetic()) && !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

/// English words too common to make two incidents similar.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before",
    "being", "but", "by", "can", "could", "did", "do", "does", "during", "each", "for", "from", "had", "has", "have",
    "how", "if", "in", "into", "is", "it", "its", "more", "most", "no", "not", "of", "on", "once", "only", "or",
    "other", "our", "out", "over", "same", "should", "so", "some", "such", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "would", "because",
    "incident", "which", "without", "within", "were", "what", "went", "well", "poorly",
];

/// Builds the best snippet of each hit. The highlighted terms of a field are the query's
/// exact terms for it plus the stems of the library's words within one typo of a typed word.
///
/// A field is highlighted only where the index says a term occurs in it, and only around the
/// densest run of matches (read from the postings' positions): stemming a whole long field
/// for each of twenty hits was most of a search's time.
struct SnippetMaker<'a> {
    index: &'a SearchIndex,
    searcher: &'a Searcher,
    /// Per prose field: weight, label, and the terms to highlight with their weights.
    fields: Vec<(Field, f32, &'static str, BTreeMap<String, f32>)>,
    typed: &'a [String],
    stem: TextAnalyzer,
    /// Reused buffers: positions of one term, and of every term of a field.
    term_positions: Vec<u32>,
    positions: Vec<(u32, f32)>,
}

/// At most this many library words are taken as one typed word's typo neighbours.
const MAX_NEAR_WORDS: usize = 64;
/// The run of matches a snippet is centred on spans this many tokens (about one snippet).
const SNIPPET_TOKENS: u32 = 28;
/// Tokens of context kept around that run before the snippet generator picks its fragment.
const CONTEXT_TOKENS: u32 = 12;

impl<'a> SnippetMaker<'a> {
    fn new(
        index: &'a SearchIndex,
        searcher: &'a Searcher,
        query: &dyn Query,
        fuzzy_words: &[String],
        typed: &'a [String],
    ) -> Result<Self> {
        let near = near_words(searcher, index.fields.all_words, &mut index.stemmer()?, fuzzy_words)?;
        // The fields' own analyzer: it gives the pairs a phrase's query holds, so they are
        // highlighted (both words of one).
        let stem = index.analyzer(index.fields.title)?;
        let mut fields = Vec::new();
        for (field, weight, label) in index.fields.prose() {
            let mut terms: BTreeMap<String, f32> = BTreeMap::new();
            let mut found: Vec<Term> = Vec::new();
            query.query_terms(&mut |term, _| {
                if term.field() == field {
                    found.push(term.clone());
                }
            });
            for term in found {
                if let Some(text) = term.value().as_str() {
                    // Rarer terms make better snippets, as in tantivy's own generator.
                    let df = searcher.doc_freq(&term).map_err(search_err)?;
                    terms.insert(text.to_string(), 1.0 / (1.0 + df as f32));
                }
            }
            for s in &near {
                terms.entry(s.clone()).or_insert(1.0);
            }
            // The title is already shown with every hit: prefer context from elsewhere.
            let weight = if field == index.fields.title { 0.3 } else { weight };
            fields.push((field, weight, label, terms));
        }
        Ok(SnippetMaker { index, searcher, fields, typed, stem, term_positions: Vec::new(), positions: Vec::new() })
    }

    /// Token positions of the highlighted terms in one field of one document, with each
    /// term's weight; empty when none occurs there.
    fn matches(&mut self, address: DocAddress, field_at: usize) -> Result<&[(u32, f32)]> {
        self.positions.clear();
        let (field, _, _, terms) = &self.fields[field_at];
        let inverted = self.searcher.segment_reader(address.segment_ord).inverted_index(*field).map_err(search_err)?;
        for (text, weight) in terms {
            let term = Term::from_field_text(*field, text);
            let Some(mut postings) = inverted
                .read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
                .map_err(|e| search_err(e.into()))?
            else {
                continue;
            };
            // `seek` may only move forward (tantivy asserts it in debug builds).
            let doc = address.doc_id;
            if postings.doc() == doc || (postings.doc() < doc && postings.seek(doc) == doc) {
                postings.positions(&mut self.term_positions);
                self.positions.extend(self.term_positions.iter().map(|p| (*p, *weight)));
            }
        }
        self.positions.sort_by_key(|(p, _)| *p);
        Ok(&self.positions)
    }

    /// The snippet of the field with the most (weighted) highlighted matches; a match of a
    /// word as typed counts more than one that only shares its stem ("validate" is shown where
    /// "Validate" is written rather than where "validation" is), and a tie goes to the field
    /// listed first.
    fn best(&mut self, doc: &TantivyDocument, address: DocAddress) -> Result<Option<Snippet>> {
        let mut best: Option<(f32, Snippet)> = None;
        for at in 0..self.fields.len() {
            let (field, weight, label) = (self.fields[at].0, self.fields[at].1, self.fields[at].2);
            let text = doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default();
            if text.is_empty() {
                continue;
            }
            let window = match densest_run(self.matches(address, at)?) {
                Some(first) => {
                    token_window(text, first.saturating_sub(CONTEXT_TOKENS), first + SNIPPET_TOKENS + CONTEXT_TOKENS)
                }
                None => continue,
            };
            let generator = SnippetGenerator::new(self.fields[at].3.clone(), self.stem.clone(), field, SNIPPET_CHARS);
            let mut snippet = generator.snippet(&text[window.clone()]);
            if snippet.highlighted().is_empty() {
                continue;
            }
            let fragment = snippet.fragment();
            let matched: f32 = snippet
                .highlighted()
                .iter()
                .map(|r| {
                    // A highlighted pair is two words.
                    let words = fragment.get(r.clone()).unwrap_or_default().to_lowercase();
                    words
                        .split(|c: char| !c.is_alphanumeric())
                        .filter(|w| !w.is_empty())
                        .map(|w| if self.typed.iter().any(|t| t == w) { 1.0 } else { STEM_ONLY_MATCH })
                        .sum::<f32>()
                })
                .sum();
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let f: &Fields = &self.index.fields;
            let field_name = if field == f.sections {
                // The n-th separator before the fragment names the n-th written section.
                let nth = text[..window.start + snippet.fragment_range().start].matches(SECTION_MARK).count();
                doc.get_all(f.section_headings).nth(nth).and_then(|v| v.as_str()).unwrap_or(label).to_string()
            } else {
                label.to_string()
            };
            let score = matched * weight;
            let candidate = Snippet {
                field: field_name,
                html: snippet.to_html().replace(SECTION_MARK, " "),
                text: snippet.fragment().replace(SECTION_MARK, " "),
            };
            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((score, candidate));
            }
        }
        Ok(best.map(|(_, s)| s))
    }
}

/// The first token position of the run of [`SNIPPET_TOKENS`] tokens holding the most match
/// weight; `matches` is sorted by position.
fn densest_run(matches: &[(u32, f32)]) -> Option<u32> {
    let mut best: Option<(f32, u32)> = None;
    let (mut end, mut sum) = (0, 0.0);
    for (start, &(first, _)) in matches.iter().enumerate() {
        while end < matches.len() && matches[end].0 < first + SNIPPET_TOKENS {
            sum += matches[end].1;
            end += 1;
        }
        if best.is_none_or(|(b, _)| sum > b) {
            best = Some((sum, first));
        }
        sum -= matches[start].1;
    }
    best.map(|(_, first)| first)
}

/// The byte range of `text` from token `from` to the end of token `to` (token positions as
/// the index counts them: tantivy's simple tokenizer, which every prose analyzer starts with),
/// clamped to the text.
fn token_window(text: &str, from: u32, to: u32) -> std::ops::Range<usize> {
    let mut tokenizer = tantivy::tokenizer::SimpleTokenizer::default();
    let mut stream = tantivy::tokenizer::Tokenizer::token_stream(&mut tokenizer, text);
    let (mut start, mut end) = (None, text.len());
    while let Some(token) = tantivy::tokenizer::TokenStream::next(&mut stream) {
        let position = token.position as u32;
        if position >= from && start.is_none() {
            start = Some(token.offset_from);
        }
        if position >= to {
            end = token.offset_to;
            break;
        }
    }
    start.unwrap_or(0)..end
}

/// The stems of the library's words (of at least `FUZZY_MIN_LEN - 1` letters) within one
/// typo of a typed word: what a typo-tolerant query matched, so what its snippets highlight.
fn near_words(
    searcher: &Searcher,
    all_words: Field,
    stem: &mut TextAnalyzer,
    typed: &[String],
) -> Result<HashSet<String>> {
    let mut out = HashSet::new();
    for word in typed {
        let query = FuzzyTermQuery::new(Term::from_field_text(all_words, word), 1, true);
        let mut found = 0;
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(all_words).map_err(search_err)?;
            let mut stream = inverted
                .terms()
                .search(query.automaton().map_err(search_err)?)
                .into_stream()
                .map_err(|e| search_err(e.into()))?;
            while found < MAX_NEAR_WORDS && stream.advance() {
                let Ok(w) = std::str::from_utf8(stream.key()) else { continue };
                if w.chars().count() >= FUZZY_MIN_LEN - 1 {
                    out.extend(tokens(stem, w));
                    found += 1;
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_is_looked_up_by_its_pairs_and_the_words_no_pair_covers() {
        let mut analyzer = super::super::analyzer::prose_with_pairs();
        let mut terms = |text: &str| phrase_terms(&mut analyzer, text);
        let owned = |v: &[(usize, &str)]| v.iter().map(|(a, t)| (*a, t.to_string())).collect::<Vec<_>>();
        assert_eq!(terms("Failing with"), owned(&[(0, "fail with")]));
        assert_eq!(terms("timeouts on the primary"), owned(&[(0, "timeout on"), (1, "on the"), (2, "the primari")]));
        assert_eq!(terms("pool was exhausted quickly"), owned(&[(0, "pool was"), (1, "was exhaust"), (3, "quick")]));
        assert_eq!(terms("disk full"), owned(&[(0, "disk"), (1, "full")]));
        assert_eq!(terms("with"), owned(&[(0, "with")]));
        assert_eq!(terms("  "), owned(&[]));
        // A word too long to index leaves its gap in the phrase, as in the text.
        let long = "y".repeat(41);
        assert_eq!(terms(&format!("disk {long} full")), owned(&[(0, "disk"), (2, "full")]));
    }

    proptest::proptest! {
        #[test]
        fn phrase_terms_of_any_text_start_at_zero_and_cover_every_word(text in "(\\PC|the |with |a )*") {
            let terms = phrase_terms(&mut super::super::analyzer::prose_with_pairs(), &text);
            let mut words = super::super::analyzer::prose();
            let count = tokens(&mut words, &text).len();
            proptest::prop_assert_eq!(terms.first().map(|t| t.0), (count > 0).then_some(0));
            proptest::prop_assert_eq!(count == 0, terms.is_empty());
        }
    }

    #[test]
    fn the_densest_run_of_matches_wins_and_a_lone_match_is_its_own_run() {
        assert_eq!(densest_run(&[]), None);
        assert_eq!(densest_run(&[(7, 1.0)]), Some(7));
        // Two light matches close together beat one heavier alone; a tie keeps the first.
        assert_eq!(densest_run(&[(2, 0.5), (100, 0.6), (104, 0.6)]), Some(100));
        assert_eq!(densest_run(&[(2, 1.0), (100, 1.0)]), Some(2));
        // Matches SNIPPET_TOKENS or more apart are separate runs.
        assert_eq!(densest_run(&[(0, 1.0), (SNIPPET_TOKENS, 1.0), (SNIPPET_TOKENS + 1, 1.0)]), Some(SNIPPET_TOKENS));
    }

    #[test]
    fn a_token_window_cuts_at_token_boundaries_counted_as_the_index_counts() {
        let text = "Zero, one — two\u{2029}three ünïcode five";
        assert_eq!(&text[token_window(text, 0, 0)], "Zero");
        assert_eq!(&text[token_window(text, 1, 3)], "one — two\u{2029}three");
        assert_eq!(&text[token_window(text, 4, 99)], "ünïcode five");
        assert_eq!(&text[token_window(text, 99, 120)], text, "past the end: the whole text");
    }

    proptest::proptest! {
        #[test]
        fn a_token_window_of_any_text_is_a_slice_of_it(text in "\\PC*", from in 0u32..40, len in 0u32..40) {
            let range = token_window(&text, from, from + len);
            proptest::prop_assert!(text.get(range).is_some());
        }
    }
}
