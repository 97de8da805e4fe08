//! The prose analyzers.
//!
//! [`prose`] is tantivy's `en_stem` (simple tokenizer, words over 40 bytes dropped, lowercase,
//! English Snowball stemmer), with each word's stem remembered. Stemming was the largest single
//! cost of indexing a bulk import (a tenth of a 10,000 postmortem import's CPU), and a
//! library's words repeat (Zipf): most words met were met before. Registered under tantivy's
//! own name, `en_stem`, and giving exactly its tokens (a test compares the two on real and
//! random text), so queries, snippets and the similarity counts agree with what was indexed.
//!
//! [`prose_with_pairs`] is what the prose fields are indexed with: [`prose`], then
//! [`CommonPairs`], which adds a token for each two neighbouring words of which one is among
//! the [`COMMON_WORDS`] ("fail with", "the databas"). A phrase holding a common word is then
//! looked up by its pairs, whose postings are short, instead of by the positions of a word
//! nearly every postmortem uses: "failing with" read the positions of "with" in about every
//! document of a 100,000 library (22 ms; the slowest queries of the benchmark's log). The
//! same idea as Lucene's common-grams filter.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TextAnalyzerBuilder, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// The longest word indexed, in bytes, as tantivy's `en_stem` has it.
const LONGEST_WORD: usize = 40;

/// Words a memo holds before starting over: bounds its memory on a huge import (a segment's
/// analyzer lives as long as the segment is written).
const MEMO_LIMIT: usize = 100_000;

/// The prose analyzer (see the module's documentation).
pub fn prose() -> TextAnalyzer {
    stemmed_words().build()
}

/// The steps both analyzers share: words, the long ones dropped, lowercased, stemmed.
fn stemmed_words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(MemoStemmer)
}

/// The analyzer of the prose fields: [`prose`] then [`CommonPairs`].
pub fn prose_with_pairs() -> TextAnalyzer {
    stemmed_words().filter(CommonPairs).build()
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

/// Whether `token` is a pair made by [`CommonPairs`].
pub fn is_pair(token: &str) -> bool {
    token.contains(PAIR_SEPARATOR)
}

/// Gives each token, and after a token that follows its neighbour directly, when either of the
/// two is common ([`is_common`]), the pair of them: text "first second", at the first's
/// position, spanning both (two positions, and the text from the first's start to the
/// second's end, so a snippet highlights both words). The pair comes before the second word, so
/// positions never go back.
#[derive(Clone, Copy, Debug, Default)]
pub struct CommonPairs;

impl TokenFilter for CommonPairs {
    type Tokenizer<T: Tokenizer> = CommonPairsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CommonPairsFilter<T> {
        CommonPairsFilter { inner }
    }
}

/// [`CommonPairs`] over a tokenizer.
#[derive(Clone)]
pub struct CommonPairsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CommonPairsFilter<T> {
    type TokenStream<'a> = CommonPairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CommonPairsStream {
            tail: self.inner.token_stream(text),
            previous: None,
            previous_text: String::new(),
            pair: Token::default(),
            giving_pair: false,
        }
    }
}

/// The token stream of [`CommonPairsFilter`].
pub struct CommonPairsStream<S> {
    tail: S,
    /// The word before the tail's current one: its position, where it starts, whether it is
    /// common (its text is in `previous_text`, a buffer reused for every word).
    previous: Option<(usize, usize, bool)>,
    previous_text: String,
    pair: Token,
    /// The token given is the pair; the tail's word comes at the next advance.
    giving_pair: bool,
}

impl<S: TokenStream> TokenStream for CommonPairsStream<S> {
    fn advance(&mut self) -> bool {
        if self.giving_pair {
            self.giving_pair = false;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let word = self.tail.token();
        let common = is_common(&word.text);
        if let Some((position, from, previous_common)) = self.previous {
            if word.position == position + 1 && (common || previous_common) {
                self.pair.text.clear();
                self.pair.text.push_str(&self.previous_text);
                self.pair.text.push(PAIR_SEPARATOR);
                self.pair.text.push_str(&word.text);
                self.pair.position = position;
                self.pair.position_length = 2;
                self.pair.offset_from = from;
                self.pair.offset_to = word.offset_to;
                self.giving_pair = true;
            }
        }
        self.previous = Some((word.position, word.offset_from, common));
        self.previous_text.clear();
        self.previous_text.push_str(&word.text);
        true
    }

    fn token(&self) -> &Token {
        if self.giving_pair {
            &self.pair
        } else {
            self.tail.token()
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.giving_pair {
            &mut self.pair
        } else {
            self.tail.token_mut()
        }
    }
}

/// tantivy's English stemmer with a memo of the stems it gave.
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner, stemmer: frostem::Stemmer::new(frostem::Algorithm::English), memo: Memo::default() }
    }
}

/// The words this analyzer has stemmed, lowercased, with their stems.
#[derive(Default)]
struct Memo(FxHashMap<String, String>);

/// A copy starts empty: tantivy copies the registered analyzer for each segment writer and
/// each query, and copying a full memo would cost more than it saves.
impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

/// [`MemoStemmer`] over a tokenizer.
#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
    stemmer: frostem::Stemmer,
    memo: Memo,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream { tail: self.inner.token_stream(text), stemmer: self.stemmer, memo: &mut self.memo.0 }
    }
}

/// The token stream of [`MemoStemmerFilter`].
pub struct MemoStemmerStream<'a, S> {
    tail: S,
    stemmer: frostem::Stemmer,
    memo: &'a mut FxHashMap<String, String>,
}

impl<S: TokenStream> TokenStream for MemoStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.memo.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = match self.stemmer.stem(&token.text) {
            Cow::Owned(stem) => stem,
            Cow::Borrowed(stem) => stem.to_string(),
        };
        if self.memo.len() >= MEMO_LIMIT {
            self.memo.clear();
        }
        let word = std::mem::replace(&mut token.text, stem.clone());
        self.memo.insert(word, stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
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
        let words = "Running runs ran RUNNING connections Connection's générale ΣΊΣΥΦΟΣ straße naïve";
        assert_eq!(tokens(&mut ours, words), tokens(&mut theirs, words));
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
