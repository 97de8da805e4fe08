//! The prose analyzers.
//!
//! [`prose`] is tantivy's `en_stem` (simple tokenizer, words of 40 bytes or more dropped,
//! lowercase, English Snowball stemmer) done in one pass ([`StemmedWords`]), with each word's
//! stem remembered. Stemming was the largest single
//! cost of indexing a bulk import (a tenth of a 10,000 postmortem import's CPU), and a
//! library's words repeat (Zipf): most words met were met before. Registered under tantivy's
//! own name, `en_stem`, and giving exactly its tokens (a test compares the two on real and
//! random text), so queries, snippets and the similarity counts agree with what was indexed.
//!
//! [`prose_with_pairs`] is what the prose fields are indexed with: [`prose`], which then also
//! gives a token for each two neighbouring words of which one is among
//! the [`COMMON_WORDS`] ("fail with", "the databas"). A phrase holding a common word is then
//! looked up by its pairs, whose postings are short, instead of by the positions of a word
//! nearly every postmortem uses: "failing with" read the positions of "with" in about every
//! document of a 100,000 library (22 ms; the slowest queries of the benchmark's log). The
//! same idea as Lucene's common-grams filter.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Words of this many bytes or more are dropped, as tantivy's `en_stem` drops them
/// (`RemoveLongFilter::limit(40)`).
const LONGEST_WORD: usize = 40;

/// Words a memo holds before starting over: bounds its memory on a huge import (a segment's
/// analyzer lives as long as the segment is written).
const MEMO_LIMIT: usize = 100_000;

/// The prose analyzer (see the module's documentation).
pub fn prose() -> TextAnalyzer {
    TextAnalyzer::from(StemmedWords::new(false))
}

/// The analyzer of the prose fields: [`prose`] with the pairs of [`StemmedWords`].
pub fn prose_with_pairs() -> TextAnalyzer {
    TextAnalyzer::from(StemmedWords::new(true))
}

/// The words so common in English prose that a phrase holding one is looked up by pairs: the
/// function words that each make up a large share of running text. Kept short on purpose:
/// every pair is one more token to index (this list adds about a third to the prose fields'
/// tokens). Changing it changes what is indexed: bump [`super::INDEX_FORMAT`].
pub const COMMON_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "by", "for", "from", "had", "has", "have", "in", "into", "is",
    "it", "its", "not", "of", "on", "or", "that", "the", "this", "to", "was", "we", "were", "when", "with",
];

/// The stems of [`COMMON_WORDS`], as [`prose`] makes them.
fn common_stems() -> &'static rustc_hash::FxHashSet<String> {
    static STEMS: std::sync::LazyLock<rustc_hash::FxHashSet<String>> = std::sync::LazyLock::new(|| {
        let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
        COMMON_WORDS.iter().map(|w| stemmer.stem(w).into_owned()).collect()
    });
    &STEMS
}

/// Whether `stem` is the stem of one of the [`COMMON_WORDS`].
pub fn is_common(stem: &str) -> bool {
    common_stems().contains(stem)
}

/// Separates the two words of a pair token. The simple tokenizer splits at spaces, so no
/// single word holds one.
pub const PAIR_SEPARATOR: char = ' ';

/// Whether `token` is a pair made by [`StemmedWords`].
pub fn is_pair(token: &str) -> bool {
    token.contains(PAIR_SEPARATOR)
}

/// tantivy's `en_stem` in one pass (the simple tokenizer's words, those of [`LONGEST_WORD`]
/// bytes or more dropped, lowercased, stemmed), remembering each word as written with its stem
/// and whether the stem is common ([`is_common`]). With `pairs`, it also gives, after a word
/// that follows its neighbour directly, when either of the two is common, the pair of them:
/// text "first second", at the first's position, spanning both (two positions, and the text
/// from the first's start to the second's end, so a snippet highlights both words). The pair
/// comes before the second word, so positions never go back.
///
/// One pass instead of tantivy's chain of filters: each of them copied or looked up every word
/// again (the words copied out of the text, lowercased in place, stemmed through a memo, then
/// looked up among the common words), and the prose fields' words are most of a bulk import's
/// indexing.
#[derive(Clone)]
pub struct StemmedWords {
    pairs: bool,
    stemmer: frostem::Stemmer,
    memo: Memo,
}

impl StemmedWords {
    fn new(pairs: bool) -> StemmedWords {
        StemmedWords { pairs, stemmer: frostem::Stemmer::new(frostem::Algorithm::English), memo: Memo::default() }
    }
}

/// Each word met, as written, with its stem and whether the stem is common.
#[derive(Default)]
struct Memo(FxHashMap<String, (String, bool)>);

/// A copy starts empty: tantivy copies the registered analyzer for each segment writer and
/// each query, and copying a full memo would cost more than it saves.
impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

impl Tokenizer for StemmedWords {
    type TokenStream<'a> = StemmedWordsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StemmedWordsStream<'a> {
        StemmedWordsStream {
            text,
            words: word_spans(text),
            position: usize::MAX,
            word: Token::default(),
            pairs: self.pairs,
            previous: None,
            previous_text: String::new(),
            pair: Token::default(),
            giving_pair: false,
            stemmer: self.stemmer,
            memo: &mut self.memo.0,
        }
    }
}

/// The token stream of [`StemmedWords`].
pub struct StemmedWordsStream<'a> {
    text: &'a str,
    words: WordSpans<'a>,
    /// The position of the last word cut, a long one too (dropping it leaves a gap, as
    /// tantivy's filter does).
    position: usize,
    word: Token,
    pairs: bool,
    /// The word before the current one: its position, where it starts, whether it is common
    /// (its text is in `previous_text`, a buffer reused for every word).
    previous: Option<(usize, usize, bool)>,
    previous_text: String,
    pair: Token,
    /// The token given is the pair; the current word comes at the next advance.
    giving_pair: bool,
    stemmer: frostem::Stemmer,
    memo: &'a mut FxHashMap<String, (String, bool)>,
}

/// Where the words of `text` are, as tantivy's simple tokenizer cuts them (runs of letters and
/// digits), as byte ranges `(from, to)`: the words themselves are borrowed, not copied.
pub fn word_spans(text: &str) -> WordSpans<'_> {
    WordSpans { len: text.len(), chars: text.char_indices() }
}

/// The words of `text` as [`word_spans`] finds them, borrowed.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    word_spans(text).map(move |(from, to)| &text[from..to])
}

/// The iterator of [`word_spans`].
pub struct WordSpans<'a> {
    len: usize,
    chars: std::str::CharIndices<'a>,
}

impl Iterator for WordSpans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let from = self.chars.by_ref().find(|(_, c)| c.is_alphanumeric())?.0;
        let to = self.chars.by_ref().find(|(_, c)| !c.is_alphanumeric()).map_or(self.len, |(at, _)| at);
        Some((from, to))
    }
}

/// Writes the stem of a word as written into `out`, and says whether it is common: remembered
/// in `memo`, or worked out (lowercased character by character, as tantivy's `LowerCaser`
/// does, then stemmed) and remembered.
fn stem_into(
    memo: &mut FxHashMap<String, (String, bool)>,
    stemmer: frostem::Stemmer,
    written: &str,
    out: &mut String,
) -> bool {
    out.clear();
    if let Some((stem, common)) = memo.get(written) {
        out.push_str(stem);
        return *common;
    }
    let lower: String = if written.is_ascii() {
        written.to_ascii_lowercase()
    } else {
        written.chars().flat_map(char::to_lowercase).collect()
    };
    let stem = stemmer.stem(&lower).into_owned();
    let common = is_common(&stem);
    out.push_str(&stem);
    if memo.len() >= MEMO_LIMIT {
        memo.clear();
    }
    memo.insert(written.to_string(), (stem, common));
    common
}

impl TokenStream for StemmedWordsStream<'_> {
    fn advance(&mut self) -> bool {
        if self.giving_pair {
            self.giving_pair = false;
            return true;
        }
        loop {
            let Some((from, to)) = self.words.next() else { return false };
            self.position = self.position.wrapping_add(1);
            if to - from >= LONGEST_WORD {
                continue;
            }
            let common = stem_into(self.memo, self.stemmer, &self.text[from..to], &mut self.word.text);
            let position = self.position;
            (self.word.offset_from, self.word.offset_to, self.word.position) = (from, to, position);
            if !self.pairs {
                return true;
            }
            if let Some((before, before_from, before_common)) = self.previous {
                if position == before + 1 && (common || before_common) {
                    self.pair.text.clear();
                    self.pair.text.push_str(&self.previous_text);
                    self.pair.text.push(PAIR_SEPARATOR);
                    self.pair.text.push_str(&self.word.text);
                    self.pair.position = before;
                    self.pair.position_length = 2;
                    self.pair.offset_from = before_from;
                    self.pair.offset_to = to;
                    self.giving_pair = true;
                }
            }
            self.previous = Some((position, from, common));
            self.previous_text.clear();
            self.previous_text.push_str(&self.word.text);
            return true;
        }
    }

    fn token(&self) -> &Token {
        if self.giving_pair {
            &self.pair
        } else {
            &self.word
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.giving_pair {
            &mut self.pair
        } else {
            &mut self.word
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tantivy::tokenizer::TokenizerManager;

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    fn tantivys() -> TextAnalyzer {
        TokenizerManager::default().get("en_stem").expect("tantivy's en_stem")
    }

    #[test]
    fn gives_tantivys_en_stem_tokens_on_real_text_read_twice() {
        let text =
            include_str!("../../tests/fixtures/corpus/dfds-2019-2020/PM2020-001 - Inotify file watches exhaustion.md");
        let (mut ours, mut theirs) = (prose(), tantivys());
        // The second reading comes from the memo.
        for _ in 0..2 {
            assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text));
        }
        let words = "Running runs ran RUNNING connections Connection's générale ΣΊΣΥΦΟΣ straße naïve İstanbul";
        assert_eq!(tokens(&mut ours, words), tokens(&mut theirs, words));
        // Around the longest word kept, in bytes: 39 kept, 40 and 41 dropped, a gap left.
        let long = format!("a {} b {} c {} é{}", "x".repeat(39), "y".repeat(40), "z".repeat(41), "w".repeat(37));
        assert_eq!(tokens(&mut ours, &long), tokens(&mut theirs, &long));
    }

    fn texts(tokens: &[Token]) -> Vec<(usize, &str)> {
        tokens.iter().map(|t| (t.position, t.text.as_str())).collect()
    }

    #[test]
    fn a_common_word_and_its_neighbours_are_also_indexed_as_pairs() {
        let text = "Checkout was failing with timeouts; the  database   LOCKED.";
        let given = tokens(&mut prose_with_pairs(), text);
        assert_eq!(
            texts(&given),
            [
                (0, "checkout"),
                (0, "checkout was"),
                (1, "was"),
                (1, "was fail"),
                (2, "fail"),
                (2, "fail with"),
                (3, "with"),
                (3, "with timeout"),
                (4, "timeout"),
                (4, "timeout the"),
                (5, "the"),
                (5, "the databas"),
                (6, "databas"),
                (7, "lock"),
            ]
        );
        // A pair spans both words, as written, for the snippet's highlight.
        let pair = given.iter().find(|t| t.text == "the databas").expect("pair");
        assert_eq!(&text[pair.offset_from..pair.offset_to], "the  database");
        assert_eq!(pair.position_length, 2);
        // Without a common word, no pair; a word dropped as too long breaks the run.
        let long = "x".repeat(LONGEST_WORD + 1);
        assert_eq!(texts(&tokens(&mut prose_with_pairs(), "disk full")), [(0, "disk"), (1, "full")]);
        assert_eq!(texts(&tokens(&mut prose_with_pairs(), &format!("the {long} with"))), [(0, "the"), (2, "with")]);
    }

    proptest! {
        #[test]
        fn never_panics_and_agrees_with_tantivy_on_any_unicode(a in "\\PC*", b in "\\PC*") {
            let (mut ours, mut theirs) = (prose(), tantivys());
            for text in [&a, &b, &a] {
                prop_assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text));
            }
        }

        /// On any text, the pairs analyzer gives exactly the words `prose` gives, in order, and
        /// between them only pairs of two neighbours of which one is common, never going back.
        #[test]
        fn pairs_never_panic_and_only_add_pairs_of_neighbours_on_any_unicode(
            text in "(\\PC|the |with |was |a )*"
        ) {
            let words = tokens(&mut prose(), &text);
            let given = tokens(&mut prose_with_pairs(), &text);
            let singles: Vec<&Token> = given.iter().filter(|t| !is_pair(&t.text)).collect();
            prop_assert_eq!(singles.len(), words.len());
            for (a, b) in singles.iter().zip(&words) {
                prop_assert_eq!(*a, b);
            }
            for pair in given.iter().filter(|t| is_pair(&t.text)) {
                let first = words.iter().find(|w| w.position == pair.position).expect("its first word");
                let second = words.iter().find(|w| w.position == pair.position + 1).expect("its second word");
                prop_assert!(is_common(&first.text) || is_common(&second.text));
                prop_assert_eq!(&pair.text, &format!("{} {}", first.text, second.text));
                prop_assert_eq!((pair.offset_from, pair.offset_to), (first.offset_from, second.offset_to));
            }
            for w in given.windows(2) {
                prop_assert!(w[0].position <= w[1].position);
            }
        }
    }
}
