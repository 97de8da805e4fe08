//! The blameless language coach: finds phrasings that blame a person and offers a reframing.
//!
//! Rules are data (`language-rules.toml`, embedded): phrase rules are regular expressions
//! over the raw text ("human error", "obviously"); grammar patterns run over the words of
//! each sentence and use a small grammar of person phrases, so that "Ana took down the
//! cluster" is flagged while "Ana rolled the release back at 09:12" is not. A person is a
//! given name (the gazetteer `given-names.txt`, capitalised, minus common words), one of the
//! document's own people, an `@handle`, a pronoun, or a determiner + modifiers + role noun
//! ("the night-shift operator"). The patterns catch a person as the agent of a bad outcome,
//! questions aimed at a person, possessive blame, accountability and fault, fixes aimed at a
//! person, and hindsight about a person; the phrase rules add judgement words, hindsight
//! intensifiers and non-systemic causes and fixes. In a cause (root cause, contributing
//! factors, 5-whys answers, fishbone causes) any name or handle is flagged too.
//!
//! Offsets are UTF-8 byte offsets into the field's text, always on character boundaries.
//! The coach informs; it never blocks a save.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{FishboneCause, Postmortem};

const RULES: &str = include_str!("language-rules.toml");
const GIVEN_NAMES: &str = include_str!("given-names.txt");

/// How strongly a phrasing works against a blameless review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// Tone: wording that reads as judgement without blaming anyone.
    Mild,
    /// Hindsight, or a fix aimed at a person rather than the system.
    Moderate,
    /// Blames a person.
    Strong,
}

/// A phrase rule as written in the data file.
#[derive(Debug, Clone, Deserialize)]
struct RuleSpec {
    id: String,
    kind: String,
    pattern: String,
    why: String,
    suggestion: String,
    replacement: Option<String>,
    strength: Strength,
    /// A match that also matches this expression is dropped ("lazy loading").
    unless: Option<String>,
    /// A sentence the rule flags (tested).
    example: String,
}

/// A grammar pattern as written in the data file.
#[derive(Debug, Clone, Deserialize)]
struct PatternSpec {
    id: String,
    kind: String,
    #[serde(rename = "match")]
    sequence: String,
    why: String,
    suggestion: String,
    replacement: Option<String>,
    strength: Strength,
    #[serde(default)]
    question: bool,
    /// Not in a sentence that says the action was planned or sanctioned ("as planned",
    /// "per the runbook"): [lexicon] sanctioned.
    #[serde(default)]
    unless_sanctioned: bool,
    /// A sentence the pattern flags (tested).
    example: String,
}

#[derive(Debug, Deserialize)]
struct NamesSpec {
    never: Vec<String>,
    mid_sentence: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RuleFile {
    rule: Vec<RuleSpec>,
    pattern: Vec<PatternSpec>,
    names: NamesSpec,
    lexicon: BTreeMap<String, Vec<String>>,
}

struct Rule {
    spec: RuleSpec,
    regex: Regex,
    unless: Option<Regex>,
}

// ------------------------------------------------------------------------------------------
// Words
// ------------------------------------------------------------------------------------------

/// One word or punctuation mark of a text, with its byte offsets.
#[derive(Debug, Clone)]
struct Tok {
    start: usize,
    end: usize,
    /// Lower case, with typographic apostrophes made plain; a punctuation mark as itself.
    lower: String,
    word: bool,
    /// The first character is upper case ("Ana", "SRE").
    cap: bool,
    /// Two or more letters, all upper case ("SRE", "NAT").
    acronym: bool,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Clitics split off a word: "Ana's" is "Ana" + "'s", "he'll" is "he" + "'ll".
const CLITICS: [&str; 6] = ["'s", "'ll", "'d", "'ve", "'re", "'m"];

/// Splits a text into words and punctuation. A word is letters and digits with inner
/// apostrophes, hyphens, underscores and slashes ("didn't", "on-call", "copy/paste"), inner
/// dots and, between digits, colons and commas ("v1.2", "09:12", "1,000"); a leading `@` or
/// `#` ("@dana", "#incidents"). Line breaks are kept as `\n` marks; other spaces are dropped.
fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let offset = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let alnum = |k: usize| at(k).is_some_and(char::is_alphanumeric);
    let digit = |k: usize| at(k).is_some_and(|c| c.is_ascii_digit());
    let mut out = Vec::new();
    let mut k = 0;
    while k < n {
        let c = chars[k].1;
        let starts_word = c.is_alphanumeric()
            || ((c == '@' || c == '#') && alnum(k + 1))
            || (is_apostrophe(c) && (k == 0 || !alnum(k - 1)) && clitic_at(&chars, k + 1));
        if starts_word {
            let s = k;
            k += 1;
            while k < n {
                let c = chars[k].1;
                let inner = c.is_alphanumeric()
                    || c == '_'
                    || ((is_apostrophe(c) || c == '-' || c == '/' || c == '.') && alnum(k + 1) && alnum(k - 1))
                    || ((c == ':' || c == ',') && digit(k - 1) && digit(k + 1));
                if !inner {
                    break;
                }
                k += 1;
            }
            push_word(text, &mut out, offset(s), offset(k));
            // "engineers'" : a plural possessive.
            if k < n && is_apostrophe(chars[k].1) && !alnum(k + 1) && at(k - 1).is_some_and(|c| c == 's' || c == 'S') {
                out.push(Tok {
                    start: offset(k),
                    end: offset(k + 1),
                    lower: "'".into(),
                    word: true,
                    cap: false,
                    acronym: false,
                });
                k += 1;
            }
            continue;
        }
        if !c.is_whitespace() || c == '\n' {
            out.push(Tok {
                start: offset(k),
                end: offset(k + 1),
                lower: c.to_string(),
                word: false,
                cap: false,
                acronym: false,
            });
        }
        k += 1;
    }
    out
}

/// Whether a bare clitic ("s", "ll", "d", "ve", "re", "m") without more letters starts at `k`.
fn clitic_at(chars: &[(usize, char)], k: usize) -> bool {
    let rest: String =
        chars[k.min(chars.len())..].iter().map(|&(_, c)| c).take_while(|c| c.is_alphanumeric()).collect();
    CLITICS.iter().any(|c| c[1..].eq_ignore_ascii_case(&rest))
}

fn push_word(text: &str, out: &mut Vec<Tok>, start: usize, end: usize) {
    let raw = &text[start..end];
    let lower: String = raw.to_lowercase().chars().map(|c| if is_apostrophe(c) { '\'' } else { c }).collect();
    // Split a trailing clitic ("Ana's", "he'll"), unless the word is only the clitic.
    if let Some(clitic) = CLITICS.iter().find(|c| lower.ends_with(*c) && lower.len() > c.len()) {
        let cut = lower.len() - clitic.len();
        // The clitic is ASCII in `lower`; in `raw` its apostrophe may be wider.
        let raw_cut = raw.char_indices().rev().find(|&(_, ch)| is_apostrophe(ch)).map(|(b, _)| b);
        if let Some(raw_cut) = raw_cut.filter(|&b| b > 0) {
            out.push(word_tok(&raw[..raw_cut], start, lower[..cut].to_string()));
            out.push(Tok {
                start: start + raw_cut,
                end,
                lower: clitic.to_string(),
                word: true,
                cap: false,
                acronym: false,
            });
            return;
        }
    }
    out.push(word_tok(raw, start, lower));
}

fn word_tok(raw: &str, start: usize, lower: String) -> Tok {
    let first = raw.chars().find(|c| c.is_alphabetic());
    let letters = raw.chars().filter(|c| c.is_alphabetic()).count();
    Tok {
        start,
        end: start + raw.len(),
        cap: raw.chars().next().is_some_and(char::is_uppercase) || (raw.starts_with('@') && first.is_some()),
        acronym: letters >= 2 && raw.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase),
        lower,
        word: true,
    }
}

/// Punctuation that ends a clause for gaps and for `^`.
fn is_break(t: &Tok) -> bool {
    !t.word
        && matches!(
            t.lower.as_str(),
            "." | "!" | "?" | ";" | ":" | "," | "(" | ")" | "[" | "]" | "{" | "}" | "\n" | "—" | "–" | "|" | "•"
        )
}

/// Punctuation that may stand before the start of a clause without being part of it.
fn is_noise_punct(t: &Tok) -> bool {
    !t.word
        && matches!(
            t.lower.as_str(),
            "-" | "*"
                | "•"
                | ">"
                | "["
                | "]"
                | "("
                | ")"
                | "\""
                | "“"
                | "”"
                | "'"
                | "‘"
                | "`"
                | "#"
                | "|"
                | "~"
                | ","
                | "="
        )
}

/// A number, time or date: "09:12", "14:05:33", "2025-03-14", "3".
fn is_number(t: &Tok) -> bool {
    t.word
        && t.lower.chars().any(|c| c.is_ascii_digit())
        && t.lower.chars().all(|c| c.is_ascii_digit() || ":.-/tz+".contains(c))
}

// ------------------------------------------------------------------------------------------
// Word lists
// ------------------------------------------------------------------------------------------

/// A list of entries of one or more words, looked up by first word. A word written `*ly`
/// matches any word of four or more letters that ends in "ly".
#[derive(Default)]
struct WordList {
    by_first: HashMap<String, Vec<Vec<String>>>,
    /// Entries whose first word is a `*suffix` pattern.
    wild_first: Vec<Vec<String>>,
    /// A trailing "s" or "es" on the last word also matches (role nouns).
    plural: bool,
}

fn word_matches(pattern: &str, word: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) if !suffix.is_empty() => {
            word.ends_with(suffix) && word.chars().count() >= suffix.chars().count() + 2
        }
        _ => pattern == word,
    }
}

impl WordList {
    fn new(entries: &[String], plural: bool) -> Self {
        let mut list = WordList { plural, ..WordList::default() };
        for e in entries {
            let words: Vec<String> = e
                .split_whitespace()
                .flat_map(|w| {
                    if w.starts_with('*') {
                        vec![w.to_string()]
                    } else {
                        tokenize(w).into_iter().map(|t| t.lower).collect()
                    }
                })
                .collect();
            let Some(first) = words.first().cloned() else { continue };
            if first.starts_with('*') {
                list.wild_first.push(words);
                continue;
            }
            list.by_first.entry(first.clone()).or_default().push(words.clone());
            if plural && words.len() == 1 {
                list.by_first.entry(format!("{first}s")).or_default().push(vec![format!("{first}s")]);
            }
        }
        for l in list.by_first.values_mut() {
            l.sort_by_key(|e| std::cmp::Reverse(e.len()));
            l.dedup();
        }
        list.wild_first.sort_by_key(|e| std::cmp::Reverse(e.len()));
        list
    }

    /// Ends of every entry that starts at `i` and ends at or before `lim`, longest first.
    fn ends(&self, toks: &[Tok], i: usize, lim: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let Some(first) = toks.get(i) else { return out };
        if !first.word {
            if let Some(entries) = self.by_first.get(first.lower.as_str()) {
                self.collect(entries.iter(), toks, i, lim, &mut out);
            }
            return out;
        }
        let exact = self.by_first.get(first.lower.as_str()).into_iter().flatten();
        self.collect(exact.chain(self.wild_first.iter()), toks, i, lim, &mut out);
        out.sort_by_key(|&e| std::cmp::Reverse(e));
        out
    }

    fn collect<'e>(
        &self,
        entries: impl Iterator<Item = &'e Vec<String>>,
        toks: &[Tok],
        i: usize,
        lim: usize,
        out: &mut Vec<usize>,
    ) {
        for e in entries {
            let end = i + e.len();
            if end > lim {
                continue;
            }
            let ok = e.iter().enumerate().all(|(k, w)| {
                let t = &toks[i + k].lower;
                word_matches(w, t)
                    || (self.plural && k + 1 == e.len() && k > 0 && (*t == format!("{w}s") || *t == format!("{w}es")))
            });
            if ok && !out.contains(&end) {
                out.push(end);
            }
        }
    }

    fn longest(&self, toks: &[Tok], i: usize, lim: usize) -> Option<usize> {
        self.ends(toks, i, lim).into_iter().next()
    }

    fn contains_word(&self, word: &str) -> bool {
        self.by_first.get(word).is_some_and(|l| l.iter().any(|e| e.len() == 1))
            || self.wild_first.iter().any(|e| e.len() == 1 && word_matches(&e[0], word))
    }
}

// ------------------------------------------------------------------------------------------
// Patterns
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Atom {
    Person,
    PersonPoss,
    /// Any capitalised word ("Raj's fault" even when Raj is in no list).
    Capital,
    /// A person named by a name or an @handle (not a pronoun or a role).
    Name,
    /// The start of a clause, as an alternative ("^|@cognition"); takes no word.
    Start,
    List(String),
    Words(Vec<String>),
    Word,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Rep {
    One,
    Opt,
    Star,
}

#[derive(Debug, Clone)]
enum Step {
    Alt(Vec<Atom>, Rep),
    /// Up to this many words inside the clause.
    Gap(usize),
    /// Up to this many words inside a noun phrase.
    NpGap(usize),
    Not(Vec<Atom>),
    /// None of these in the next few words of the clause ("broke the work into parts").
    NotWithin(Vec<Atom>, usize),
    Start,
}

const MAX_REPEAT: usize = 4;

struct Pattern {
    spec: PatternSpec,
    steps: Vec<Step>,
}

fn parse_atoms(s: &str) -> Result<Vec<Atom>, String> {
    s.split('|')
        .map(|a| match a {
            "PERSON" => Ok(Atom::Person),
            "PERSON:poss" => Ok(Atom::PersonPoss),
            "CAPITAL" => Ok(Atom::Capital),
            "NAME" => Ok(Atom::Name),
            "^" => Ok(Atom::Start),
            "WORD" => Ok(Atom::Word),
            "" => Err(format!("empty alternative in {s:?}")),
            _ if a.starts_with('@') => Ok(Atom::List(a[1..].to_string())),
            _ => Ok(Atom::Words(tokenize(&a.replace('+', " ")).into_iter().map(|t| t.lower).collect())),
        })
        .collect()
}

fn parse_sequence(s: &str) -> Result<Vec<Step>, String> {
    s.split_whitespace()
        .map(|el| {
            Ok(match el {
                "..." => Step::Gap(6),
                "~" => Step::NpGap(3),
                "^" => Step::Start,
                _ if el.starts_with("!...") => Step::NotWithin(parse_atoms(&el[4..])?, 6),
                _ if el.starts_with('!') => Step::Not(parse_atoms(&el[1..])?),
                _ if el.len() > 1 && el.ends_with('?') => Step::Alt(parse_atoms(&el[..el.len() - 1])?, Rep::Opt),
                _ if el.len() > 1 && el.ends_with('*') => Step::Alt(parse_atoms(&el[..el.len() - 1])?, Rep::Star),
                _ => Step::Alt(parse_atoms(el)?, Rep::One),
            })
        })
        .collect()
}

// ------------------------------------------------------------------------------------------
// The coach
// ------------------------------------------------------------------------------------------

struct Coach {
    rules: Vec<Rule>,
    patterns: Vec<Pattern>,
    lists: HashMap<String, WordList>,
    given_names: HashSet<&'static str>,
    never_names: HashSet<String>,
    mid_sentence_names: HashSet<String>,
}

/// Lists the grammar itself reads (besides those the patterns name).
const GRAMMAR_LISTS: [&str; 27] = [
    "pronoun",
    "person_pp_start",
    "bare_group",
    "software_modifier",
    "software_role",
    "sanctioned",
    "indefinite_pronoun",
    "pre_verb",
    "hindsight_modal",
    "be",
    "fix_modal",
    "needs",
    "destructive_verb",
    "blame_adverb",
    "possessive_pronoun",
    "determiner",
    "role_noun",
    "role_needs_determiner",
    "role_modifier",
    "role_postmodifier",
    "role_compound",
    "clause_break",
    "np_break",
    "clause_opener",
    "action_verb",
    "negative_outcome",
    "produce_verb",
];

fn coach() -> &'static Coach {
    static COACH: OnceLock<Coach> = OnceLock::new();
    COACH.get_or_init(|| Coach::load().unwrap_or_else(|e| panic!("language-rules.toml: {e}")))
}

impl Coach {
    fn load() -> Result<Coach, String> {
        let file: RuleFile = toml::from_str(RULES).map_err(|e| e.to_string())?;
        let mut rules = Vec::new();
        for spec in file.rule {
            if spec.example.trim().is_empty() {
                return Err(format!("rule {} has no example", spec.id));
            }
            let build = |p: &str| RegexBuilder::new(p).case_insensitive(true).build();
            let regex = build(&spec.pattern).map_err(|e| format!("rule {}: {e}", spec.id))?;
            let unless = spec.unless.as_deref().map(build).transpose().map_err(|e| format!("rule {}: {e}", spec.id))?;
            rules.push(Rule { spec, regex, unless });
        }
        let lists: HashMap<String, WordList> =
            file.lexicon.iter().map(|(k, v)| (k.clone(), WordList::new(v, k == "role_noun"))).collect();
        for name in GRAMMAR_LISTS {
            if !lists.contains_key(name) {
                return Err(format!("[lexicon] has no {name}"));
            }
        }
        let mut patterns = Vec::new();
        for spec in file.pattern {
            if spec.example.trim().is_empty() {
                return Err(format!("pattern {} has no example", spec.id));
            }
            let steps = parse_sequence(&spec.sequence).map_err(|e| format!("pattern {}: {e}", spec.id))?;
            for step in &steps {
                if let Step::Alt(atoms, _) | Step::Not(atoms) | Step::NotWithin(atoms, _) = step {
                    for a in atoms {
                        if let Atom::List(l) = a {
                            if !lists.contains_key(l) {
                                return Err(format!("pattern {}: no list @{l}", spec.id));
                            }
                        }
                    }
                }
            }
            if !steps.iter().any(|s| matches!(s, Step::Alt(_, Rep::One))) {
                return Err(format!("pattern {}: matches nothing for certain", spec.id));
            }
            patterns.push(Pattern { spec, steps });
        }
        let given_names = GIVEN_NAMES.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
        Ok(Coach {
            rules,
            patterns,
            lists,
            given_names,
            never_names: file.names.never.into_iter().collect(),
            mid_sentence_names: file.names.mid_sentence.into_iter().collect(),
        })
    }

    fn list(&self, name: &str) -> &WordList {
        &self.lists[name]
    }
}

/// A person phrase: where it ends (exclusive) and its head word, where a mark starts.
#[derive(Debug, Clone, Copy, PartialEq)]
struct PersonSpan {
    end: usize,
    /// Further places the phrase may end ("whoever approved the change" before "needs").
    more: [usize; 3],
    /// Where the phrase ends without its post-modifiers ("the engineer" of "the engineer
    /// running it"); patterns try both.
    core_end: usize,
    head: usize,
}

/// One text prepared for the grammar: its words, sentences and person phrases.
struct Doc<'a> {
    c: &'a Coach,
    toks: Vec<Tok>,
    /// For each word, the sentence it belongs to: (first word, end, ends with "?").
    sentence: Vec<(usize, usize, bool)>,
    people: HashSet<String>,
    person: Vec<Option<PersonSpan>>,
    possessive: Vec<Option<PersonSpan>>,
}

/// Verbs after which the next person is not the agent: the tool "lets anyone delete".
const CAUSATIVE: [&str; 9] = ["let", "lets", "letting", "allowed", "allows", "allow", "enabled", "enables", "permits"];

/// Words a marked phrase does not end on ("didn't read the" is marked "didn't read").
const TRAILING: [&str; 12] = ["the", "a", "an", "this", "that", "his", "her", "their", "our", "my", "your", "its"];

/// Lists whose entries can start the verb phrase after a person.
const VERB_STARTS: [&str; 11] = [
    "negative_outcome",
    "action_verb",
    "produce_verb",
    "negation",
    "pre_verb",
    "hindsight_modal",
    "be",
    "fix_modal",
    "needs",
    "destructive_verb",
    "blame_adverb",
];

/// Latin letters without their diacritics, for looking up names: "zoë" -> "zoe".
fn fold(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'ď' | 'đ' => 'd',
            'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
            'ğ' => 'g',
            'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ı' => 'i',
            'ł' | 'ľ' => 'l',
            'ñ' | 'ń' | 'ň' => 'n',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ő' | 'ơ' => 'o',
            'ř' => 'r',
            'ś' | 'š' | 'ş' | 'ș' => 's',
            'ť' | 'ţ' | 'ț' => 't',
            'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ư' => 'u',
            'ý' | 'ÿ' => 'y',
            'ź' | 'ż' | 'ž' => 'z',
            _ => c,
        })
        .collect()
}

/// "her" is an object pronoun (not a possessive) before these words or punctuation.
const HER_OBJECT_BEFORE: [&str; 16] = [
    "to", "that", "about", "not", "know", "again", "why", "how", "what", "off", "up", "back", "out", "down", "for",
    "in",
];

/// Words before a capitalised word that make it a product or a thing ("the Ruby client").
const THING_DETERMINERS: [&str; 8] = ["the", "a", "an", "our", "their", "its", "my", "your"];

impl<'a> Doc<'a> {
    fn new(c: &'a Coach, text: &str, people: &[String]) -> Doc<'a> {
        let mut doc = Doc::words(c, text, people);
        doc.person = (0..doc.toks.len()).map(|i| doc.person_at(i)).collect();
        doc.possessive = (0..doc.toks.len()).map(|i| doc.possessive_at(i)).collect();
        doc
    }

    /// The words, sentences and people of `text`, without the person phrases: enough for
    /// [`Doc::is_name`] and [`Doc::name_end`], and much cheaper than [`Doc::new`].
    fn words(c: &'a Coach, text: &str, people: &[String]) -> Doc<'a> {
        let toks = tokenize(text);
        let mut sentence = vec![(0, 0, false); toks.len()];
        let mut s = 0;
        let mut k = 0;
        while k <= toks.len() {
            let ends = k == toks.len() || (!toks[k].word && matches!(toks[k].lower.as_str(), "." | "!" | "?" | "\n"));
            if ends {
                // A run of closing marks ("?!", "...") belongs to the sentence.
                let mut e = k;
                let mut question = false;
                while e < toks.len()
                    && !toks[e].word
                    && matches!(toks[e].lower.as_str(), "." | "!" | "?" | "\n" | "\"" | "”" | ")")
                {
                    question |= toks[e].lower == "?";
                    e += 1;
                }
                for slot in &mut sentence[s..e] {
                    *slot = (s, e, question);
                }
                s = e;
                k = e.max(k + 1);
            } else {
                k += 1;
            }
        }
        let mut known = HashSet::new();
        for p in people {
            for t in tokenize(p) {
                let skip = !t.word
                    || !t.cap
                    || t.acronym
                    || t.lower.chars().count() < 2
                    || t.lower.starts_with('@')
                    || c.list("role_noun").contains_word(&t.lower)
                    || c.list("role_modifier").contains_word(&t.lower)
                    || c.list("role_compound").contains_word(&t.lower)
                    || c.list("determiner").contains_word(&t.lower);
                if !skip {
                    known.insert(t.lower);
                }
            }
        }
        Doc { c, toks, sentence, people: known, person: Vec::new(), possessive: Vec::new() }
    }

    fn lower(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.lower.as_str())
    }

    fn sentence_end(&self, i: usize) -> usize {
        self.sentence.get(i).map_or(self.toks.len(), |s| s.1)
    }

    /// Whether word `i` starts a clause: only numbers, times, bullets, openers ("So,") and
    /// the like stand between it and the start of the text or a clause mark.
    fn clause_start(&self, i: usize) -> bool {
        let openers = self.c.list("clause_opener");
        let mut j = i;
        while j > 0 {
            j -= 1;
            let t = &self.toks[j];
            if !t.word && t.lower != "," && is_break(t) {
                return true;
            }
            // A chat speaker: "<kev> ok who broke staging".
            if t.lower == ">" {
                if let Some(open) = (j.saturating_sub(4)..j).rev().find(|&o| self.toks[o].lower == "<") {
                    j = open;
                    continue;
                }
            }
            if is_noise_punct(t) || is_number(t) || (t.word && openers.contains_word(&t.lower)) {
                continue;
            }
            return false;
        }
        true
    }

    /// A capitalised given name, one of the document's people, or neither.
    fn is_name(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if !t.word || !t.cap || t.lower.starts_with('@') {
            return false;
        }
        if self.people.contains(&t.lower) {
            return true;
        }
        if t.acronym
            || !(self.c.given_names.contains(t.lower.as_str()) || self.c.given_names.contains(fold(&t.lower).as_str()))
        {
            return false;
        }
        let mid = self.c.mid_sentence_names.contains(&t.lower);
        // "Max approved it" at the start of a clause: a name before a verb in the past tense.
        let past_verb_next = self.toks.get(i + 1).is_some_and(|n| {
            n.word
                && (n.lower.ends_with("ed")
                    || self.c.list("negative_outcome").longest(&self.toks, i + 1, self.toks.len()).is_some())
        });
        if (self.c.never_names.contains(&t.lower) && !mid) || (mid && self.clause_start(i) && !past_verb_next) {
            return false;
        }
        !(i > 0 && THING_DETERMINERS.contains(&self.lower(i - 1)))
    }

    fn is_handle(&self, i: usize) -> bool {
        let t = &self.toks[i];
        t.word && t.lower.starts_with('@') && t.lower.len() > 1
    }

    fn person_at(&self, i: usize) -> Option<PersonSpan> {
        let t = self.toks.get(i)?;
        if !t.word {
            return None;
        }
        let lim = self.sentence_end(i);
        let core = self.person_core(i, lim)?;
        let ends = self.postmodify(core.end, lim);
        let mut more = [0; 3];
        for (slot, &e) in more.iter_mut().zip(ends.iter().skip(1)) {
            *slot = e;
        }
        Some(PersonSpan { end: ends.first().copied().unwrap_or(core.end), more, core_end: core.end, head: core.head })
    }

    fn person_core(&self, i: usize, lim: usize) -> Option<PersonSpan> {
        let t = &self.toks[i];
        if self.is_handle(i) {
            return Some(PersonSpan { end: i + 1, more: [0; 3], core_end: i + 1, head: i });
        }
        if let Some(end) = self.c.list("pronoun").longest(&self.toks, i, lim) {
            // "someone on the data team", "nobody from the platform team"
            if self.c.list("indefinite_pronoun").longest(&self.toks, i, lim) == Some(end)
                && matches!(self.lower(end), "on" | "from" | "in" | "at" | "of")
            {
                if let Some(r) = self.role_at(end + 1, lim) {
                    return Some(PersonSpan { end: r.end, more: [0; 3], core_end: r.end, head: i });
                }
            }
            return Some(PersonSpan { end, more: [0; 3], core_end: end, head: i });
        }
        if t.lower == "her" {
            let next = self.toks.get(i + 1);
            if next.is_none_or(|n| !n.word || HER_OBJECT_BEFORE.contains(&n.lower.as_str())) {
                return Some(PersonSpan { end: i + 1, more: [0; 3], core_end: i + 1, head: i });
            }
        }
        if self.is_name(i) {
            // "Gustavo's team", "Ana's engineers": a role owned by a name.
            if self.lower(i + 1) == "'s" {
                if let Some(r) = self.role_at(i + 2, lim) {
                    return Some(PersonSpan { end: r.end, more: [0; 3], core_end: r.end, head: r.head });
                }
            }
            let end = self.name_end(i, lim);
            return Some(PersonSpan { end, more: [0; 3], core_end: end, head: i });
        }
        self.role_at(i, lim)
    }

    /// Where the name that starts at word `i` (a name by [`Doc::is_name`]) ends: up to two
    /// capitalised surnames follow it ("Ana Souza", "Dana Okafor", "Nguyễn Minh").
    fn name_end(&self, i: usize, lim: usize) -> usize {
        let mut end = i + 1;
        while end < lim && end < i + 3 {
            let n = &self.toks[end];
            if n.word
                && n.cap
                && !n.acronym
                && !n.lower.starts_with('@')
                && (self.is_name(end) || !self.verb_start(end))
            {
                end += 1;
            } else {
                break;
            }
        }
        end
    }

    /// Whether the clause after `end` gives a reason that is about the system, not a person:
    /// "Nobody checked the certificate because its renewal was automated".
    fn system_reason_after(&self, end: usize, lim: usize) -> bool {
        let Some(k) = (end..lim).find(|&k| matches!(self.lower(k), "because" | "since")) else { return false };
        let next = k + 1;
        let personal = self.person.get(next).copied().flatten().is_some()
            || self.possessive.get(next).copied().flatten().is_some()
            || matches!(self.lower(next), "of" | "i" | "we" | "our");
        next < lim && !personal
    }

    /// Whether word `i` can start the verb phrase that follows a person.
    fn verb_start(&self, i: usize) -> bool {
        i < self.toks.len()
            && VERB_STARTS.iter().any(|l| self.c.list(l).longest(&self.toks, i, self.toks.len()).is_some())
    }

    /// Extends a person phrase over what describes it before its verb: "on call", "who was
    /// on call that night", "running the migration", ", the on-call engineer,".
    fn postmodify(&self, end: usize, lim: usize) -> Vec<usize> {
        let mut end = end;
        let mut out = Vec::new();
        for _ in 0..2 {
            match self.c.list("role_postmodifier").longest(&self.toks, end, lim) {
                Some(e) => {
                    end = e;
                    out.push(e);
                }
                None => break,
            }
        }
        let Some(t) = self.toks.get(end).filter(|_| end < lim) else { return out };
        // "whoever approved the change needs...": a free relative runs up to its verb.
        let free_relative = end > 0 && matches!(self.lower(end - 1), "whoever" | "whomever");
        let relative_pronoun = matches!(t.lower.as_str(), "who" | "that");
        let participle = t.lower.ends_with("ing") && t.lower.len() > 4 && !t.cap;
        let reduced = matches!(t.lower.as_str(), "we" | "they" | "i" | "you" | "he" | "she");
        if t.word && (relative_pronoun || participle || reduced || free_relative) {
            let first = if relative_pronoun { 0 } else { 1 };
            for k in first..=6 {
                let e = end + k + usize::from(!free_relative);
                if e >= lim || !self.toks[end..e].iter().all(|w| w.word) {
                    break;
                }
                if (k > 0 || !free_relative) && self.verb_start(e) {
                    out.push(e);
                }
            }
            // The nearest verb first: "the engineer running it ignored".
            out.sort();
            out.dedup();
            if !out.is_empty() {
                return out;
            }
        }
        // "in charge of the migration", "from the vendor", "(Dominik)"
        if let Some(pp) = self.c.list("person_pp_start").longest(&self.toks, end, lim) {
            for e in pp + 1..(pp + 5).min(lim) {
                let inner = &self.toks[pp..e];
                let closes = e > 0 && self.toks[e - 1].lower == ")";
                if !inner.iter().all(|w| w.word || w.lower == ")") {
                    break;
                }
                if (closes || t.lower != "(") && self.verb_start(e) {
                    out.push(e);
                    return out;
                }
            }
        }
        if t.lower == "," {
            for e in end + 2..(end + 10).min(lim) {
                if self.toks[e].lower == "," {
                    if self.toks[end + 1..e].iter().all(|w| w.word) && self.verb_start(e + 1) {
                        out.push(e + 1);
                    }
                    break;
                }
            }
        }
        out
    }

    /// [determiner] [modifiers] role noun [post-modifier]: "the night-shift operator",
    /// "our new SRE", "one of the contractors", "the engineer on call".
    fn role_at(&self, i: usize, lim: usize) -> Option<PersonSpan> {
        let c = self.c;
        let det_end = c.list("determiner").longest(&self.toks, i, lim);
        let start = det_end.unwrap_or(i);
        let mut k = start;
        let mut last_role: Option<(usize, usize)> = None;
        while k < lim && k < start + 5 && self.toks[k].word {
            if let Some(e) = c.list("role_noun").longest(&self.toks, k, lim) {
                last_role = Some((k, e));
                k = e;
                continue;
            }
            if let Some(e) = c.list("role_modifier").longest(&self.toks, k, lim) {
                k = e;
                continue;
            }
            let t = &self.toks[k];
            let hyphenated = t.lower.contains('-') && !t.cap;
            let team_name = t.cap && k > i && !self.is_name(k);
            // "the vendor's engineer", "the payments team's on-call"
            let possessive = (t.lower == "'s" || t.lower == "'") && k > start;
            if hyphenated || team_name || possessive {
                k += 1;
                continue;
            }
            break;
        }
        let (head, end) = last_role?;
        let head_words = &self.toks[head..end];
        // "the cert-manager operator", "the Datadog agent", "the certificate manager": a role
        // noun that also names software is a person only with plain person modifiers.
        let head_lower = head_words.last().map_or("", |t| t.lower.as_str());
        let software = c.list("software_role").contains_word(head_lower)
            || c.list("software_role").contains_word(head_lower.trim_end_matches('s'));
        if software {
            let plain = |t: &Tok| {
                !c.list("software_modifier").contains_word(&t.lower) && c.list("role_modifier").contains_word(&t.lower)
                    || c.list("role_noun").contains_word(&t.lower)
                    || c.list("determiner").contains_word(&t.lower)
            };
            let before = &self.toks[det_end.unwrap_or(start).min(head)..head];
            let bare_after_word =
                det_end.is_none() && head == start && i > 0 && self.toks[i - 1].word && !plain(&self.toks[i - 1]);
            if !before.iter().all(|t| plain(t) && !t.cap) || bare_after_word {
                return None;
            }
        }
        let needs_det = head_words.len() == 1 && {
            let w = head_words[0].lower.trim_end_matches('s');
            c.list("role_needs_determiner").contains_word(&head_words[0].lower)
                || c.list("role_needs_determiner").contains_word(w)
        };
        // "People forgot...", "Devs keep ignoring...": a plural group opening a clause.
        let after_subordinator = i > 0
            && matches!(
                self.lower(i - 1),
                "when" | "if" | "because" | "since" | "as" | "that" | "where" | "while" | "unless" | "until"
            );
        let group_opening = head == i
            && (self.clause_start(i) || after_subordinator)
            && c.list("bare_group").contains_word(&self.toks[i].lower);
        let after_possessive = i > 0 && matches!(self.lower(i - 1), "'s" | "'");
        if needs_det && det_end.is_none() && head == start && !group_opening && !after_possessive {
            return None;
        }
        // "operator error", "on-call rotation": the role is a modifier of the next noun.
        if end < lim && self.toks[end].word && c.list("role_compound").longest(&self.toks, end, lim).is_some() {
            return None;
        }
        Some(PersonSpan { end, more: [0; 3], core_end: end, head })
    }

    fn possessive_at(&self, i: usize) -> Option<PersonSpan> {
        let t = self.toks.get(i)?;
        if t.word && self.c.list("possessive_pronoun").contains_word(&t.lower) {
            return Some(PersonSpan { end: i + 1, more: [0; 3], core_end: i + 1, head: i });
        }
        let p = self.person.get(i).copied().flatten()?;
        let is_possessive = |k: usize| self.toks.get(k).is_some_and(|t| t.lower == "'s" || t.lower == "'");
        [p.end, p.core_end].into_iter().find(|&e| is_possessive(e)).map(|e| PersonSpan {
            end: e + 1,
            more: [0; 3],
            core_end: e + 1,
            head: p.head,
        })
    }

    /// Where an atom starting at `i` may end, with the head of a person phrase.
    fn atom_ends(&self, atom: &Atom, i: usize, lim: usize) -> Vec<(usize, Option<usize>)> {
        if i >= lim {
            return Vec::new();
        }
        match atom {
            Atom::Person => match self.person[i] {
                Some(p) => {
                    let mut ends = vec![(p.end, Some(p.head))];
                    for e in p.more.into_iter().filter(|&e| e > 0).chain([p.core_end]) {
                        if !ends.iter().any(|x| x.0 == e) {
                            ends.push((e, Some(p.head)));
                        }
                    }
                    ends.retain(|e| e.0 <= lim);
                    ends
                }
                None => Vec::new(),
            },
            // Zero-width: handled by `alt`.
            Atom::Start => Vec::new(),
            Atom::Name => match self.person[i] {
                Some(p) if (self.is_name(i) || self.is_handle(i)) && p.core_end <= lim => {
                    vec![(p.core_end, Some(p.head))]
                }
                _ => Vec::new(),
            },
            Atom::Capital => {
                let t = &self.toks[i];
                if t.word && t.cap && !t.acronym && !t.lower.starts_with('@') {
                    vec![(i + 1, Some(i))]
                } else {
                    Vec::new()
                }
            }
            Atom::PersonPoss => {
                self.possessive[i].filter(|p| p.end <= lim).map(|p| (p.end, Some(p.head))).into_iter().collect()
            }
            Atom::Word => {
                if self.toks[i].word {
                    vec![(i + 1, None)]
                } else {
                    Vec::new()
                }
            }
            Atom::List(name) => self.c.list(name).ends(&self.toks, i, lim).into_iter().map(|e| (e, None)).collect(),
            Atom::Words(words) => {
                let end = i + words.len();
                let ok = end <= lim && words.iter().enumerate().all(|(k, w)| self.toks[i + k].lower == *w);
                if ok {
                    vec![(end, None)]
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// Matches `steps` at word `i`; returns the end and where the mark starts.
    fn run(&self, steps: &[Step], i: usize, lim: usize, mark: Option<usize>) -> Option<(usize, usize)> {
        let Some((step, rest)) = steps.split_first() else {
            return mark.map(|m| (i, m));
        };
        match step {
            Step::Start => {
                if self.clause_start(i) {
                    self.run(rest, i, lim, mark)
                } else {
                    None
                }
            }
            Step::Not(atoms) => {
                if atoms.iter().any(|a| !self.atom_ends(a, i, lim).is_empty()) {
                    None
                } else {
                    self.run(rest, i, lim, mark)
                }
            }
            Step::NotWithin(atoms, max) => {
                let mut j = i;
                while j < lim && j < i + max && !(is_break(&self.toks[j]) && self.toks[j].lower != ",") {
                    if atoms.iter().any(|a| !self.atom_ends(a, j, lim).is_empty()) {
                        return None;
                    }
                    j += 1;
                }
                self.run(rest, i, lim, mark)
            }
            Step::Gap(max) | Step::NpGap(max) => {
                let breaks = if matches!(step, Step::NpGap(_)) { "np_break" } else { "clause_break" };
                for skip in 0..=*max {
                    if skip > 0 {
                        let j = i + skip - 1;
                        let t = match self.toks.get(j) {
                            Some(t) if j < lim => t,
                            _ => return None,
                        };
                        let stop = !t.word
                            || self.c.list("clause_break").contains_word(&t.lower)
                            || self.c.list(breaks).contains_word(&t.lower);
                        if stop {
                            return None;
                        }
                    }
                    if let Some(r) = self.run(rest, i + skip, lim, mark.or(Some(i))) {
                        return Some(r);
                    }
                }
                None
            }
            Step::Alt(atoms, rep) => self.alt(atoms, *rep, rest, i, lim, mark, 0),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn alt(
        &self,
        atoms: &[Atom],
        rep: Rep,
        rest: &[Step],
        i: usize,
        lim: usize,
        mark: Option<usize>,
        count: usize,
    ) -> Option<(usize, usize)> {
        if rep != Rep::Star || count < MAX_REPEAT {
            for atom in atoms {
                if matches!(atom, Atom::Start) {
                    if self.clause_start(i) {
                        if let Some(found) = self.run(rest, i, lim, mark) {
                            return Some(found);
                        }
                    }
                    continue;
                }
                for (end, head) in self.atom_ends(atom, i, lim) {
                    if end <= i {
                        continue;
                    }
                    let mark = mark.or(head).or(Some(i));
                    let found = match rep {
                        Rep::Star => self.alt(atoms, rep, rest, end, lim, mark, count + 1),
                        _ => self.run(rest, end, lim, mark),
                    };
                    if found.is_some() {
                        return found;
                    }
                }
            }
        }
        match rep {
            Rep::One => None,
            Rep::Opt | Rep::Star => self.run(rest, i, lim, mark),
        }
    }
}

/// One flagged phrase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Finding {
    /// The id of the rule or grammar pattern that matched.
    pub rule: String,
    /// question_at_person, person_as_cause, possessive_blame, accountability, judgement,
    /// non_systemic_cause, non_systemic_fix (including fixes aimed at a person), hindsight,
    /// name_in_cause, tone; `chain_ends_on_person` on the last answer of a 5-whys branch.
    pub kind: String,
    /// How strongly the phrasing works against a blameless review.
    pub strength: Strength,
    /// Where: `title`, `sections.summary`, `whys[0].steps[2].answer`, `action_items[1].title`...
    pub field: String,
    /// Byte offsets of the phrase in the field's text.
    pub start: usize,
    /// Byte offset just past the end of the phrase.
    pub end: usize,
    /// 1-based line of the phrase within the field's text.
    pub line: usize,
    /// The phrase as written.
    pub text: String,
    /// Why the phrasing works against a blameless review.
    pub why: String,
    /// A reframing to consider instead.
    pub suggestion: String,
    /// Literal text that may replace the phrase (one-click apply); `None` when a rewrite
    /// needs a person's judgement.
    pub replacement: Option<String>,
}

/// Checks one piece of text. `people` are the incident's names (full names; each capitalised
/// part counts); `is_cause` marks text that states a cause, where any name is flagged.
pub fn check_text(field: &str, text: &str, people: &[String], is_cause: bool) -> Vec<Finding> {
    let c = coach();
    let line_starts: Vec<usize> = text.match_indices('\n').map(|(b, _)| b).collect();
    let line_of = |at: usize| line_starts.partition_point(|&b| b < at) + 1;
    let finding = |rule: &str,
                   kind: &str,
                   strength,
                   start: usize,
                   end: usize,
                   why: &str,
                   suggestion: &str,
                   replacement: Option<&String>| Finding {
        rule: rule.to_string(),
        kind: kind.to_string(),
        strength,
        field: field.to_string(),
        start,
        end,
        line: line_of(start),
        text: text[start..end].to_string(),
        why: why.to_string(),
        suggestion: suggestion.to_string(),
        replacement: replacement.cloned(),
    };
    let mut out = Vec::new();
    for rule in &c.rules {
        for m in rule.regex.find_iter(text) {
            if m.is_empty() || rule.unless.as_ref().is_some_and(|u| u.is_match(m.as_str())) {
                continue;
            }
            let s = &rule.spec;
            out.push(finding(
                &s.id,
                &s.kind,
                s.strength,
                m.start(),
                m.end(),
                &s.why,
                &s.suggestion,
                s.replacement.as_ref(),
            ));
        }
    }
    let doc = Doc::new(c, text, people);
    let n = doc.toks.len();
    let sanctioned: Vec<bool> = {
        let list = c.list("sanctioned");
        let mut marks = vec![false; n];
        let mut i = 0;
        while i < n {
            let (s, e, _) = doc.sentence[i];
            let found = (s..e).any(|k| list.longest(&doc.toks, k, e).is_some());
            marks[s..e].iter_mut().for_each(|m| *m = found);
            i = e.max(i + 1);
        }
        marks
    };
    for p in &c.patterns {
        let mut i = 0;
        while i < n {
            let (_, lim, question) = doc.sentence[i];
            if (p.spec.question && !question) || (p.spec.unless_sanctioned && sanctioned[i]) {
                i = lim.max(i + 1);
                continue;
            }
            // "The console lets anyone delete...": the tool is the agent, not the person.
            let caused = i > 0 && CAUSATIVE.contains(&doc.lower(i - 1));
            let found = doc
                .run(&p.steps, i, lim, None)
                .filter(|&(end, _)| !(caused || (p.spec.unless_sanctioned && doc.system_reason_after(end, lim))));
            match found {
                Some((mut end, mark)) if end > i && mark < end => {
                    while end > mark + 1 && (!doc.toks[end - 1].word || TRAILING.contains(&doc.lower(end - 1))) {
                        end -= 1;
                    }
                    let s = &p.spec;
                    let (start, stop) = (doc.toks[mark].start, doc.toks[end - 1].end);
                    out.push(finding(
                        &s.id,
                        &s.kind,
                        s.strength,
                        start,
                        stop,
                        &s.why,
                        &s.suggestion,
                        s.replacement.as_ref(),
                    ));
                    i = end;
                }
                _ => i += 1,
            }
        }
    }
    if is_cause {
        for i in 0..n {
            if doc.is_handle(i) || doc.is_name(i) {
                let t = &doc.toks[i];
                out.push(finding(
                    "name-in-cause",
                    "name_in_cause",
                    Strength::Strong,
                    t.start,
                    t.end,
                    "A named individual in a cause points at a person, not at the conditions; causes should survive any name being swapped out.",
                    "Replace the name with the role and describe the condition (\"the on-call engineer had no runbook for...\").",
                    Some(&"the responder".to_string()),
                ));
            }
        }
    }
    // Sorted by position (longest first); of overlapping findings of one kind, the first stays.
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| b.end.cmp(&a.end)));
    let mut reach: HashMap<String, usize> = HashMap::new();
    let mut kept = Vec::new();
    for f in out {
        let r = reach.entry(f.kind.clone()).or_insert(0);
        if f.start < *r {
            continue;
        }
        *r = f.end;
        kept.push(f);
    }
    kept
}

/// Byte ranges of the names in `text` as the coach sees them: a capitalised given name (the
/// gazetteer, or a part of one of `people`) with the capitalised surnames after it. A
/// possessive's "'s" is not part of the name. Ranges are in text order, on character
/// boundaries, and do not overlap. The anonymizer uses this to find people nobody listed.
pub fn name_spans(text: &str, people: &[String]) -> Vec<Range<usize>> {
    let doc = Doc::words(coach(), text, people);
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.toks.len() {
        if doc.is_name(i) {
            let end = doc.name_end(i, doc.sentence_end(i));
            out.push(doc.toks[i].start..doc.toks[end - 1].end);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Every person named in the postmortem.
pub fn people_of(pm: &Postmortem) -> Vec<String> {
    let mut people: Vec<String> = pm.authors.clone();
    people.extend(pm.reviewers.iter().cloned());
    people.extend(pm.incident_commander.iter().cloned());
    people.extend(pm.participants.iter().map(|p| p.name.clone()));
    people.extend(pm.action_items.iter().filter_map(|a| a.owner.clone()));
    people.sort();
    people.dedup();
    people
}

fn cause_tree(path: &str, causes: &[FishboneCause], people: &[String], out: &mut Vec<Finding>) {
    for (i, c) in causes.iter().enumerate() {
        let p = format!("{path}[{i}]");
        out.extend(check_text(&format!("{p}.text"), &c.text, people, true));
        cause_tree(&format!("{p}.children"), &c.children, people, out);
    }
}

/// Checks every text field, action item, 5-whys step and cause of a postmortem.
pub fn check_postmortem(pm: &Postmortem) -> Vec<Finding> {
    let people = people_of(pm);
    let mut out = check_text("title", &pm.title, &people, false);
    for s in &pm.sections {
        let is_cause = matches!(s.key.as_str(), "root_cause" | "contributing_factors");
        out.extend(check_text(&format!("sections.{}", s.key), &s.body, &people, is_cause));
    }
    for (i, e) in pm.timeline.iter().enumerate() {
        out.extend(check_text(&format!("timeline[{i}].text"), &e.text, &people, false));
    }
    for (i, c) in pm.whys.iter().enumerate() {
        out.extend(check_text(&format!("whys[{i}].problem"), &c.problem, &people, false));
        for (j, s) in c.steps.iter().enumerate() {
            out.extend(check_text(&format!("whys[{i}].steps[{j}].question"), &s.question, &people, false));
            let mut answer = check_text(&format!("whys[{i}].steps[{j}].answer"), &s.answer, &people, true);
            let is_leaf = !c.steps.iter().any(|o| o.parent_id.as_deref() == Some(&s.id));
            if is_leaf {
                answer.iter_mut().for_each(mark_chain_end);
            }
            out.extend(answer);
        }
    }
    for (i, f) in pm.fishbones.iter().enumerate() {
        out.extend(check_text(&format!("fishbones[{i}].effect"), &f.effect, &people, false));
        for (j, cat) in f.categories.iter().enumerate() {
            cause_tree(&format!("fishbones[{i}].categories[{j}].causes"), &cat.causes, &people, &mut out);
        }
    }
    for (i, f) in pm.contributing_factors.iter().enumerate() {
        out.extend(check_text(&format!("contributing_factors[{i}].text"), &f.text, &people, true));
    }
    for (i, a) in pm.action_items.iter().enumerate() {
        out.extend(check_text(&format!("action_items[{i}].title"), &a.title, &people, false));
        out.extend(check_text(&format!("action_items[{i}].description"), &a.description, &people, false));
    }
    out
}

/// Kinds of finding that, on the last answer of a 5-whys branch, mean the chain stopped at a
/// person instead of a condition of the system.
const PERSON_KINDS: [&str; 6] =
    ["person_as_cause", "non_systemic_cause", "name_in_cause", "possessive_blame", "accountability", "judgement"];

/// Re-labels a strong person-centred finding on the last step of a branch as
/// `chain_ends_on_person`, keeping the rule's own explanation after the chain-level one.
fn mark_chain_end(f: &mut Finding) {
    if f.strength == Strength::Strong && PERSON_KINDS.contains(&f.kind.as_str()) {
        f.kind = "chain_ends_on_person".to_string();
        f.why = format!(
            "This chain of whys stops at a person, so it stops too early: ask why once more, about \
             the conditions that made the action possible or likely. {}",
            f.why
        );
    }
}

/// The last step of each 5-whys branch that ends on a person (PRODUCT.md capability 6).
pub fn chain_ends_on_person(pm: &Postmortem) -> Vec<Finding> {
    check_postmortem(pm).into_iter().filter(|f| f.kind == "chain_ends_on_person").collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn kinds(text: &str) -> Vec<(String, String)> {
        check_text("x", text, &[], false).into_iter().map(|f| (f.kind, f.text)).collect()
    }

    #[test]
    fn the_rules_file_parses_and_every_pattern_compiles() {
        let c = coach();
        assert!(c.rules.len() >= 10);
        assert!(c.patterns.len() >= 30);
        assert!(c.given_names.contains("ana") && c.given_names.contains("kenji") && c.given_names.contains("josé"));
    }

    #[test]
    fn every_rule_and_pattern_flags_its_own_example() {
        let c = coach();
        let examples = c
            .rules
            .iter()
            .map(|r| (&r.spec.id, &r.spec.example))
            .chain(c.patterns.iter().map(|p| (&p.spec.id, &p.spec.example)));
        let mut silent = Vec::new();
        for (id, example) in examples {
            let found = check_text("x", example, &[], false);
            if !found.iter().any(|f| &f.rule == id) {
                silent.push(format!("{id}: {example:?} -> {:?}", found.iter().map(|f| &f.rule).collect::<Vec<_>>()));
            }
            for f in &found {
                assert!(!f.why.is_empty() && !f.suggestion.is_empty(), "{f:?}");
            }
        }
        assert!(silent.is_empty(), "{silent:#?}");
    }

    /// The kinds the UI and the action-item nudges know (see `Finding::kind`).
    const KINDS: [&str; 10] = [
        "question_at_person",
        "person_as_cause",
        "possessive_blame",
        "accountability",
        "judgement",
        "non_systemic_cause",
        "non_systemic_fix",
        "hindsight",
        "name_in_cause",
        "tone",
    ];

    #[test]
    fn every_rule_has_a_known_kind_and_every_kind_a_rule() {
        let c = coach();
        let used: BTreeSet<&str> = c
            .rules
            .iter()
            .map(|r| r.spec.kind.as_str())
            .chain(c.patterns.iter().map(|p| p.spec.kind.as_str()))
            .collect();
        for kind in &used {
            assert!(KINDS.contains(kind), "unknown kind {kind}");
        }
        for kind in KINDS.iter().filter(|k| **k != "name_in_cause") {
            assert!(used.contains(kind), "no rule of kind {kind}");
        }
    }

    #[test]
    fn non_systemic_causes_tone_and_names_in_causes() {
        assert!(kinds("Root cause: operator error.")
            .iter()
            .any(|(k, t)| k == "non_systemic_cause" && t == "operator error"));
        assert!(kinds("The problem here is people, not tools.").iter().any(|(k, _)| k == "non_systemic_cause"));
        assert!(kinds("All she had to do was wait.").iter().any(|(k, _)| k == "tone"));
        // Any recognised name in a cause, even one the document does not list.
        let f = check_text("x", "The replica was promoted by Kenji.", &[], true);
        assert_eq!(
            f.iter().map(|f| (f.kind.as_str(), f.text.as_str())).collect::<Vec<_>>(),
            [("name_in_cause", "Kenji")]
        );
        assert!(check_text("x", "The replica was promoted by Kenji.", &[], false).is_empty());
    }

    #[test]
    fn the_last_answer_of_a_chain_that_blames_a_person_ends_on_a_person() {
        let mut f = check_text("whys[0].steps[0].answer", "It was Bob's fault.", &[], true);
        f.iter_mut().for_each(mark_chain_end);
        assert!(f.iter().any(|f| f.kind == "chain_ends_on_person" && f.why.starts_with("This chain of whys")), "{f:?}");
    }

    #[test]
    fn system_language_and_sanctioned_actions_stay_quiet() {
        for s in [
            "The cert-manager operator failed to renew the certificate.",
            "The console lets anyone delete a production namespace.",
            "Lena took down the maintenance banner at 10:00.",
            "Jonas deleted the production alias after the migration, as planned.",
            "Nobody checked the certificate because its renewal was automated.",
            "Thanks to Ana, the rollback took four minutes.",
            "Tell Priya the database is back.",
            "Hugo added a regression test.",
        ] {
            assert!(kinds(s).is_empty(), "{s}: {:?}", kinds(s));
        }
    }

    #[test]
    fn a_finding_carries_its_offsets_line_and_replacement() {
        let text = "Summary line.\nThe root cause was human error.";
        let f = check_text("sections.root_cause", text, &[], true);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(&text[f[0].start..f[0].end], "human error");
        assert_eq!(f[0].line, 2);
        assert_eq!(f[0].replacement.as_deref(), Some("a gap in the system's safeguards"));
    }

    #[test]
    fn participants_are_flagged_in_causes_but_not_in_the_timeline() {
        let people = vec!["Dana Okafor".to_string()];
        assert_eq!(check_text("x", "Dana restarted the pods at 14:05", &people, false).len(), 0);
        let f = check_text("x", "The pods were restarted by Dana without a drain", &people, true);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].kind, "name_in_cause");
        assert_eq!(check_text("x", "Escalated to @dana", &people, true)[0].text, "@dana");
    }

    #[test]
    fn words_keep_their_byte_offsets_across_unicode() {
        let text = "Zoë’s change — at 09:12 — broke “prod”; didn't @ana-b say so?";
        let toks = tokenize(text);
        for t in &toks {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        let words: Vec<&str> = toks.iter().filter(|t| t.word).map(|t| t.lower.as_str()).collect();
        assert_eq!(words, ["zoë", "'s", "change", "at", "09:12", "broke", "prod", "didn't", "@ana-b", "say", "so"]);
    }

    #[test]
    fn a_person_is_a_name_a_handle_a_pronoun_or_a_role() {
        let c = coach();
        let heads = |text: &str| {
            let d = Doc::new(c, text, &["Wei Zhang".to_string()]);
            (0..d.toks.len()).filter_map(|i| d.person[i].map(|p| d.toks[p.head].lower.clone())).collect::<Vec<_>>()
        };
        assert_eq!(heads("Ana paged the night-shift operator"), ["ana", "operator", "operator", "operator"]);
        assert_eq!(heads("Our new SRE and @kenji"), ["sre", "sre", "sre", "@kenji"]);
        // A role noun that modifies another noun is not a person.
        assert!(heads("The on-call rotation and the operator console").is_empty());
        // Common words that are names only in the middle of a sentence.
        assert!(heads("Will the cache recover? Mark the node as drained.").is_empty());
        assert_eq!(heads("We paged Will at 10:02"), ["will"]);
        // The document's people count even when they are not in the gazetteer.
        assert_eq!(heads("Zhang restarted it"), ["zhang"]);
    }

    #[test]
    fn name_spans_are_the_names_the_coach_sees() {
        let spans = |text: &str, people: &[String]| -> Vec<String> {
            name_spans(text, people).into_iter().map(|r| text[r].to_string()).collect()
        };
        assert_eq!(spans("Kenji restarted the pod; Ana Souza watched.", &[]), ["Kenji", "Ana Souza"]);
        // A possessive keeps its "'s" outside the name.
        assert_eq!(spans("It was Zoë’s change", &[]), ["Zoë"]);
        // The document's people count; words that are names only mid-sentence do not open one.
        assert_eq!(spans("Zhang paged Will. Will the cache recover?", &["Wei Zhang".to_string()]), ["Zhang", "Will"]);
        assert!(spans("The Ruby client and @kenji", &[]).is_empty());
        let text = "«Ana» — 障害 🎉 Kenji\u{301}s";
        for r in name_spans(text, &[]) {
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }

    #[test]
    fn a_person_as_the_agent_of_a_bad_outcome() {
        for s in [
            "Ana took down the cluster",
            "The junior engineer deleted the production database",
            "he restarted the wrong node",
            "Kenji pushed a broken config",
            "the contractor accidentally dropped the table",
        ] {
            assert!(kinds(s).iter().any(|(k, _)| k == "person_as_cause"), "{s}: {:?}", kinds(s));
        }
        for s in ["Ana rolled the release back at 09:12", "Kenji paged the database team", "The deploy broke checkout"]
        {
            assert!(kinds(s).is_empty(), "{s}: {:?}", kinds(s));
        }
        // The mark starts at the person's head word.
        assert_eq!(kinds("The on-call engineer forgot to silence it")[0].1, "engineer forgot to");
    }

    #[test]
    fn questions_aimed_at_a_person() {
        for s in [
            "Who signed off on this?",
            "Did nobody think to check?",
            "How could the on-call miss it?",
            "Whose idea was this?",
        ] {
            assert!(kinds(s).iter().any(|(k, _)| k == "question_at_person"), "{s}: {:?}", kinds(s));
        }
        for s in ["What did the responders know at 14:10?", "Why did the alert not fire?", "Who owns the runbook?"] {
            assert!(kinds(s).is_empty(), "{s}: {:?}", kinds(s));
        }
    }

    #[test]
    fn possessive_blame_accountability_and_judgement() {
        assert!(kinds("It was Bob's error").iter().any(|(k, t)| k == "possessive_blame" && t == "Bob's error"));
        assert!(kinds("Priya is responsible for the outage").iter().any(|(k, _)| k == "accountability"));
        assert!(kinds("He must answer for this").iter().any(|(k, _)| k == "accountability"));
        assert!(kinds("A reckless change").iter().any(|(k, _)| k == "judgement"));
        assert!(kinds("Priya is responsible for the runbook update").is_empty());
        assert!(kinds("Lazy loading of the config delayed start-up").is_empty());
        assert!(kinds("The error budget was spent by Tuesday").is_empty());
    }

    #[test]
    fn fixes_aimed_at_a_person() {
        for s in ["Tell Bob to test his changes", "Ana needs retraining", "The on-call must be more vigilant"] {
            assert!(kinds(s).iter().any(|(k, _)| k == "non_systemic_fix"), "{s}: {:?}", kinds(s));
        }
        assert!(kinds("Ana will add an alert on pool saturation by Friday").is_empty());
    }

    #[test]
    fn hindsight_about_a_person() {
        for s in ["Plainly the config was wrong", "as anyone could see", "A competent admin would have caught it"] {
            assert!(kinds(s).iter().any(|(k, _)| k == "hindsight"), "{s}: {:?}", kinds(s));
        }
        assert!(kinds("A canary stage would have caught this").is_empty());
    }
}
