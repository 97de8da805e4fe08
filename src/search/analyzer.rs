//! The prose analyzer: tantivy's `en_stem` (simple tokenizer, words over 40 bytes dropped,
//! lowercase, English Snowball stemmer), with each word's stem remembered.
//!
//! Stemming was the largest single cost of indexing a bulk import (a tenth of a 10,000
//! postmortem import's CPU), and a library's words repeat (Zipf): most words met were met
//! before. Registered under tantivy's own name, `en_stem`, and giving exactly its tokens (a
//! test compares the two on real and random text), so indexes built before read the same
//! and queries, snippets and the similarity counts agree with what was indexed.

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// The longest word indexed, in bytes, as tantivy's `en_stem` has it.
const LONGEST_WORD: usize = 40;

/// Words a memo holds before starting over: bounds its memory on a huge import (a segment's
/// analyzer lives as long as the segment is written).
const MEMO_LIMIT: usize = 100_000;

/// The prose analyzer (see the module's documentation).
pub fn prose() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(MemoStemmer)
        .build()
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

    proptest! {
        #[test]
        fn never_panics_and_agrees_with_tantivy_on_any_unicode(a in "\\PC*", b in "\\PC*") {
            let (mut ours, mut theirs) = (prose(), tantivys());
            for text in [&a, &b, &a] {
                prop_assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text));
            }
        }
    }
}
