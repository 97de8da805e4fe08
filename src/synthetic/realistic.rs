//! A realistic corpus for the benchmarks: postmortems as long and as varied in vocabulary as
//! real ones, deterministic for a seed.
//!
//! The prose is learned from real text: a word-level Markov chain (order 2) is trained on every
//! sentence of the built-in sample library (49 postmortems written like a team's, about 30,000
//! words). Identifiers in that text (`payments-api`, `p99`, `redis-7`) become slots, filled from
//! large generated pools, and about a third of the sentences name a host, an error code, a
//! person or a product drawn from those pools. The pools are sampled with Zipf weights, as
//! names are in a real company: a few hosts and services come up all the time, most rarely.
//!
//! Structure follows real postmortems: 250 to 1,500 words (log-normal around 600), sections of
//! paragraphs and lists, 8 to 24 timeline events, one to three 5-whys chains, up to two
//! fishbones, contributing factors, and three to six action items with descriptions. The
//! structured fields that the analytics read (dates, severity, services, categories, markers,
//! statuses) come from [`super::generate`], so the two corpora analyse alike.
//!
//! [`CorpusStats`] reports what a corpus is made of: words per postmortem, distinct terms, and
//! how well term frequencies follow Zipf's law.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::*;

/// The seed of the name pools: the same pools for every corpus.
const POOL_SEED: u64 = 0xD0C5_F00D;
/// Pool sizes: enough distinct names that a 100,000-postmortem library has tens of thousands
/// of distinct terms, as a large company's decade of postmortems does.
const HOSTS: usize = 9_000;
const PRODUCTS: usize = 2_500;
const ERRORS: usize = 6_000;
const FIRST_NAMES: usize = 900;
const LAST_NAMES: usize = 2_200;
/// The exponent of the Zipf weights over each pool.
const ZIPF_S: f64 = 1.05;

const ONSETS: &[&str] = &[
    "b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p", "pr", "qu", "r", "s",
    "sh", "st", "t", "tr", "v", "w", "z",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ei", "ou", "y"];
const CODAS: &[&str] = &["", "", "n", "r", "l", "s", "x", "m", "nd", "rk", "st", "th"];
const SURNAME_ENDS: &[&str] = &["son", "sen", "berg", "ski", "ez", "ova", "ani", "ford", "ton", "er", "ek", "ura"];
const PRODUCT_ENDS: &[&str] = &["", "", "db", "mq", "ctl", "hub", "io", "ly", "net", "ops"];
const ERROR_PREFIXES: &[&str] = &["E", "ERR", "X", "ORA", "PG", "K", "SQ", "NET", "TLS", "IO"];

/// Where an entity is mentioned: the clause added to a sentence.
const MENTIONS: &[&str] = &[
    "on {host}",
    "({error})",
    "according to {person}",
    "in {product}",
    "with {error} in the logs of {host}",
    "while {person} was on call",
    "for {product} customers",
    "after {host} and {host} failed over",
    "as {person} confirmed from the {product} dashboard",
];

/// Generated names, each drawn with Zipf weights.
struct Pool {
    names: Vec<String>,
    /// Cumulative weights, for sampling by binary search.
    cumulative: Vec<f64>,
}

impl Pool {
    fn new(names: Vec<String>) -> Pool {
        let mut total = 0.0;
        let cumulative = (1..=names.len())
            .map(|rank| {
                total += 1.0 / (rank as f64).powf(ZIPF_S);
                total
            })
            .collect();
        Pool { names, cumulative }
    }

    fn draw<R: Rng>(&self, rng: &mut R) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.random_range(0.0..total);
        let at = self.cumulative.partition_point(|&c| c < x).min(self.names.len() - 1);
        &self.names[at]
    }
}

/// A pronounceable word of `syllables` syllables.
fn word<R: Rng>(rng: &mut R, syllables: usize) -> String {
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(ONSETS[rng.random_range(0..ONSETS.len())]);
        w.push_str(VOWELS[rng.random_range(0..VOWELS.len())]);
    }
    w.push_str(CODAS[rng.random_range(0..CODAS.len())]);
    w
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

/// `n` distinct names made by `make`.
fn distinct<R: Rng>(rng: &mut R, n: usize, mut make: impl FnMut(&mut R) -> String) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let name = make(rng);
        if seen.insert(name.clone()) {
            out.push(name);
        }
    }
    out
}

struct Pools {
    hosts: Pool,
    products: Pool,
    errors: Pool,
    first: Pool,
    last: Pool,
}

impl Pools {
    fn new() -> Pools {
        let mut rng = ChaCha8Rng::seed_from_u64(POOL_SEED);
        let products = distinct(&mut rng, PRODUCTS, |r| {
            let syllables = r.random_range(2..4);
            format!("{}{}", word(r, syllables), PRODUCT_ENDS[r.random_range(0..PRODUCT_ENDS.len())])
        });
        let hosts = distinct(&mut rng, HOSTS, |r| format!("{}{:02}", word(r, 2), r.random_range(1..64)));
        let errors = distinct(&mut rng, ERRORS, |r| match r.random_range(0..3) {
            0 => format!("{}{}", ERROR_PREFIXES[r.random_range(0..ERROR_PREFIXES.len())], r.random_range(1000..99_999)),
            1 => format!("0x{:08x}", r.random::<u32>()),
            _ => format!("{}Exception", capitalized(&word(r, 2))),
        });
        let first = distinct(&mut rng, FIRST_NAMES, |r| {
            let syllables = r.random_range(2..3);
            capitalized(&word(r, syllables))
        });
        let last = distinct(&mut rng, LAST_NAMES, |r| {
            format!("{}{}", capitalized(&word(r, 1)), SURNAME_ENDS[r.random_range(0..SURNAME_ENDS.len())])
        });
        Pools {
            hosts: Pool::new(hosts),
            products: Pool::new(products),
            errors: Pool::new(errors),
            first: Pool::new(first),
            last: Pool::new(last),
        }
    }

    fn person<R: Rng>(&self, rng: &mut R) -> String {
        format!("{} {}", self.first.draw(rng), self.last.draw(rng))
    }

    /// `template` with each `{host}`, `{error}`, `{person}` and `{product}` filled.
    fn fill<R: Rng>(&self, rng: &mut R, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let Some(close) = rest[open..].find('}') else { break };
            match &rest[open + 1..open + close] {
                "host" => out.push_str(self.hosts.draw(rng)),
                "error" => out.push_str(self.errors.draw(rng)),
                "person" => out.push_str(&self.person(rng)),
                "product" => out.push_str(self.products.draw(rng)),
                other => out.push_str(other),
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// The slot an identifier of the training text becomes.
const SLOT: &str = "\u{1}";

/// A word-level Markov chain of order 2 over sentences.
struct Chain {
    words: Vec<String>,
    /// Sentence openings: the first two words.
    starts: Vec<(u32, u32)>,
    /// What follows each pair of words; `END` ends the sentence.
    next: HashMap<(u32, u32), Vec<u32>>,
}

const END: u32 = u32::MAX;
const NONE: u32 = u32::MAX - 1;

/// Whether a word of the training text names something (`payments-api`, `p99`, `redis-7`):
/// letters with digits, or words joined by hyphens or underscores. It becomes a slot.
fn is_identifier(word: &str) -> bool {
    let core = word.trim_matches(|c: char| !c.is_alphanumeric());
    let has_alpha = core.chars().any(|c| c.is_alphabetic());
    let has_digit = core.chars().any(|c| c.is_ascii_digit());
    let joined = core.contains('-') || core.contains('_');
    has_alpha && (has_digit || joined) && core.len() >= 3
}

impl Chain {
    fn train(texts: &[String]) -> Chain {
        let mut chain = Chain { words: Vec::new(), starts: Vec::new(), next: HashMap::new() };
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut intern = |w: &str, words: &mut Vec<String>| -> u32 {
            *ids.entry(w.to_string()).or_insert_with(|| {
                words.push(w.to_string());
                (words.len() - 1) as u32
            })
        };
        for text in texts {
            for line in text.lines() {
                let line = line.trim().trim_start_matches(['-', '*', '#', '>', ' ']).trim();
                let mut sentence: Vec<u32> = Vec::new();
                let tokens: Vec<&str> = line.split_whitespace().collect();
                for (i, raw) in tokens.iter().enumerate() {
                    // Markdown emphasis and code marks are not words.
                    let cleaned = raw.replace(['*', '`'], "");
                    if cleaned.is_empty() || cleaned.starts_with('|') {
                        continue;
                    }
                    let token = cleaned.as_str();
                    let w = if is_identifier(token) {
                        let trail: String =
                            token.chars().rev().take_while(|c| matches!(c, '.' | ',' | ';' | ':' | ')')).collect();
                        format!("{SLOT}{}", trail.chars().rev().collect::<String>())
                    } else {
                        token.to_string()
                    };
                    sentence.push(intern(&w, &mut chain.words));
                    let ends = token.ends_with(['.', '!', '?']) || i + 1 == tokens.len();
                    if ends {
                        chain.add(&sentence);
                        sentence.clear();
                    }
                }
            }
        }
        chain
    }

    fn add(&mut self, sentence: &[u32]) {
        if sentence.len() < 4 {
            return;
        }
        self.starts.push((sentence[0], sentence[1]));
        let mut a = NONE;
        let mut b = NONE;
        for &w in sentence {
            if a != NONE {
                self.next.entry((a, b)).or_default().push(w);
            }
            a = b;
            b = w;
            if a == NONE {
                continue;
            }
        }
        self.next.entry((a, b)).or_default().push(END);
    }

    /// One sentence, its slots filled from `pools`.
    fn sentence<R: Rng>(&self, rng: &mut R, pools: &Pools) -> String {
        self.sentence_up_to(rng, pools, 48)
    }

    /// One sentence of at most about `most` words (a timeline entry, a cause, a title).
    fn sentence_up_to<R: Rng>(&self, rng: &mut R, pools: &Pools, most: usize) -> String {
        let (mut a, mut b) = self.starts[rng.random_range(0..self.starts.len())];
        let mut out = Vec::with_capacity(24);
        out.push(a);
        out.push(b);
        while out.len() < most.max(3) {
            let Some(options) = self.next.get(&(a, b)) else { break };
            let w = options[rng.random_range(0..options.len())];
            if w == END {
                break;
            }
            out.push(w);
            a = b;
            b = w;
        }
        let mut text = String::with_capacity(out.len() * 7);
        for (i, &w) in out.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            let word = &self.words[w as usize];
            match word.strip_prefix(SLOT) {
                Some(trail) => {
                    let name = match rng.random_range(0..3) {
                        0 => pools.hosts.draw(rng),
                        1 => pools.products.draw(rng),
                        _ => pools.errors.draw(rng),
                    };
                    text.push_str(name);
                    text.push_str(trail);
                }
                None => text.push_str(word),
            }
        }
        if !text.ends_with(['.', '!', '?']) {
            text.push('.');
        }
        // About a third of the sentences name something from the pools.
        if rng.random_bool(if most < 20 { 0.25 } else { 0.35 }) {
            let template = MENTIONS[rng.random_range(0..MENTIONS.len())];
            let mention = pools.fill(rng, template);
            let end = text.pop().unwrap_or('.');
            text.push(' ');
            text.push_str(&mention);
            text.push(end);
        }
        capitalized(&text)
    }

    /// Sentences until they hold at least `words` words.
    fn sentences<R: Rng>(&self, rng: &mut R, pools: &Pools, words: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut count = 0;
        while count < words.max(1) {
            let s = self.sentence(rng, pools);
            count += s.split_whitespace().count();
            out.push(s);
        }
        out
    }
}

/// Every sentence of the sample library: the text the chain learns from.
fn training_text() -> Vec<String> {
    let day = NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid");
    let sample = crate::exchange::sample::document(day).expect("the built-in sample library reads");
    let mut texts = Vec::new();
    for pm in sample.postmortems {
        texts.extend(pm.sections.into_iter().map(|s| s.body));
        texts.extend(pm.timeline.into_iter().map(|e| e.text));
        for chain in pm.whys {
            texts.push(chain.problem);
            texts.extend(chain.steps.into_iter().flat_map(|s| [s.question, s.answer]));
        }
        texts.extend(pm.contributing_factors.into_iter().map(|f| f.text));
        texts.extend(pm.action_items.into_iter().flat_map(|a| [a.title, a.description]));
    }
    texts
}

/// How facilitators ask the next why.
const WHY_QUESTIONS: &[&str] = &[
    "Why did that happen?",
    "Why was that possible?",
    "Why did nobody notice sooner?",
    "Why did the safeguard not stop it?",
    "Why was the change made that way?",
];

/// The sections a realistic postmortem has, with their share of its prose and whether they
/// are written as lists.
const SECTIONS: &[(&str, &str, f64, bool)] = &[
    ("summary", "Summary", 0.12, false),
    ("impact", "Impact", 0.10, false),
    ("detection", "Detection", 0.08, false),
    ("response", "Response", 0.14, false),
    ("root_cause", "Root cause analysis", 0.22, false),
    ("resolution", "Resolution and recovery", 0.10, false),
    ("went_well", "What went well", 0.06, true),
    ("went_wrong", "What went wrong", 0.08, true),
    ("lessons", "Lessons learned", 0.10, true),
];

/// A postmortem's length in words: log-normal around 600, kept within 250 to 1,500.
fn length<R: Rng>(rng: &mut R) -> usize {
    // Box-Muller from two uniforms.
    let (u1, u2): (f64, f64) = (rng.random_range(f64::EPSILON..1.0), rng.random_range(0.0..1.0));
    let normal = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    (600.0 * (0.45 * normal).exp()).round().clamp(250.0, 1500.0) as usize
}

/// The days a library of `count` postmortems spans: two years up to 20,000 of them, then a
/// year for each 10,000 more, up to a decade (100,000 postmortems are a large company's
/// decade, not 50,000 incidents a year).
pub fn span_days(count: usize) -> i64 {
    (count as i64 / 10_000 * 365).clamp(730, 3650)
}

/// `count` realistic postmortems over the [`span_days`] before `end`, deterministic for
/// `seed`. Their structured fields are [`super::generate_over`]'s for the same seed and span;
/// their text and structure are rewritten as described in the module's notes.
pub fn generate(seed: u64, count: usize, end: NaiveDate) -> impl Iterator<Item = Postmortem> {
    let chain = Chain::train(&training_text());
    let pools = Pools::new();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7E47_0000_0000_0001);
    let mut child = 0u64;
    super::generate_over(seed, count, end, span_days(count)).map(move |mut pm| {
        let mut next_id = |kind: &str| {
            child += 1;
            super::id(seed, &format!("realistic-{kind}"), child)
        };
        let words = length(&mut rng);

        // The timeline: the markers of the compact corpus, and more events between them.
        let first = pm.timeline.first().map(|e| e.at).unwrap_or_else(crate::clock::now);
        let last = pm.timeline.last().map(|e| e.at).unwrap_or(first);
        let span = (last - first).num_minutes().max(1);
        for event in &mut pm.timeline {
            event.text = format!("{} {}", event.text, chain.sentence_up_to(&mut rng, &pools, 8));
        }
        for _ in 0..rng.random_range(2..12) {
            let at = first + Duration::minutes(rng.random_range(0..span));
            let kind = [EventKind::Decision, EventKind::Communication, EventKind::Action, EventKind::Other]
                [rng.random_range(0..4)];
            pm.timeline.push(TimelineEvent {
                id: next_id("event"),
                at,
                approximate: rng.random_bool(0.1),
                kind,
                marker: None,
                text: chain.sentence_up_to(&mut rng, &pools, 14),
            });
        }
        pm.timeline.sort_by_key(|e| e.at);

        // 5 whys: one to three chains of three to five steps.
        pm.whys = (0..rng.random_range(1..4))
            .map(|_| {
                let mut parent: Option<String> = None;
                let steps = (0..rng.random_range(3..6))
                    .map(|_| {
                        let id = next_id("step");
                        WhyStep {
                            id: id.clone(),
                            parent_id: parent.replace(id),
                            question: WHY_QUESTIONS[rng.random_range(0..WHY_QUESTIONS.len())].into(),
                            answer: chain.sentence_up_to(&mut rng, &pools, 16),
                            evidence: vec![],
                        }
                    })
                    .collect();
                WhysChain { id: next_id("chain"), problem: chain.sentence_up_to(&mut rng, &pools, 12), steps }
            })
            .collect();

        // Fishbones: none, one or two, three to six bones of one to three causes.
        pm.fishbones = (0..rng.random_range(0..3))
            .map(|_| Fishbone {
                id: next_id("fishbone"),
                effect: pm.title.clone(),
                categories: Fishbone::DEFAULT_CATEGORIES[..rng.random_range(3..7)]
                    .iter()
                    .map(|name| FishboneCategory {
                        id: next_id("bone"),
                        name: (*name).into(),
                        causes: (0..rng.random_range(1..3))
                            .map(|_| FishboneCause {
                                id: next_id("cause"),
                                text: chain.sentence_up_to(&mut rng, &pools, 10),
                                children: vec![],
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();

        // Contributing factors: the compact corpus's, and one to three more.
        for _ in 0..rng.random_range(1..4) {
            let category = pm.contributing_factors.first().and_then(|f| f.category.clone());
            pm.contributing_factors.push(ContributingFactor {
                id: next_id("factor"),
                text: chain.sentence_up_to(&mut rng, &pools, 16),
                category,
                source_step_id: None,
                source_cause_id: None,
            });
        }

        // Action items: three to six, with descriptions, owners from the pool and, for some,
        // a tracker link. The first keeps the compact corpus's status and dates.
        let template = pm.action_items.first().cloned();
        if let Some(first) = template {
            let more = rng.random_range(2..6);
            let mut items = vec![first];
            for i in 0..more {
                let mut item = items[0].clone();
                item.id = next_id("action");
                item.title = chain.sentence_up_to(&mut rng, &pools, 10);
                item.kind = [ActionKind::Prevent, ActionKind::Mitigate, ActionKind::Detect, ActionKind::Process][i % 4];
                item.priority = [Priority::P1, Priority::P2, Priority::P3][rng.random_range(0..3)];
                items.push(item);
            }
            for item in &mut items {
                item.description = chain.sentences(&mut rng, &pools, 12).join(" ");
                item.owner = Some(pools.person(&mut rng));
                if rng.random_bool(0.4) {
                    item.tracker_url =
                        Some(format!("https://tracker.example.com/browse/OPS-{}", rng.random_range(1000..99_999)));
                }
            }
            pm.action_items = items;
        }
        // The sections take what the rest left of the postmortem's length.
        let used: usize = texts(&pm).map(|t| t.split_whitespace().count()).sum();
        let prose = words.saturating_sub(used).max(words / 3);
        pm.sections = SECTIONS
            .iter()
            .map(|&(key, heading, share, list)| {
                let sentences = chain.sentences(&mut rng, &pools, (prose as f64 * share) as usize);
                let body = if list {
                    sentences.iter().map(|s| format!("- {s}")).collect::<Vec<_>>().join("\n")
                } else {
                    sentences.chunks(4).map(|p| p.join(" ")).collect::<Vec<_>>().join("\n\n")
                };
                Section { id: next_id("section"), key: key.into(), heading: heading.into(), body }
            })
            .collect();

        pm.authors = vec![pools.person(&mut rng)];
        pm.incident_commander = Some(pools.person(&mut rng));
        pm
    })
}

/// What a corpus is made of (see [`stats`]).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CorpusStats {
    /// Postmortems counted.
    pub postmortems: usize,
    /// Words per postmortem: mean, 10th and 90th percentiles, fewest, most.
    pub words_mean: f64,
    /// 10th percentile of words per postmortem.
    pub words_p10: usize,
    /// 90th percentile of words per postmortem.
    pub words_p90: usize,
    /// Fewest words in one postmortem.
    pub words_min: usize,
    /// Most words in one postmortem.
    pub words_max: usize,
    /// Distinct terms: lower-cased runs of letters and digits, as the search index cuts them.
    pub distinct_terms: usize,
    /// The slope of log(frequency) against log(rank), fitted over ranks 1 to 10,000 (Zipf's
    /// law gives about -1).
    pub zipf_slope: f64,
    /// How well that line fits (R², 1 is a perfect fit).
    pub zipf_r2: f64,
}

/// Every piece of text a postmortem holds.
fn texts(pm: &Postmortem) -> impl Iterator<Item = &str> {
    std::iter::once(pm.title.as_str())
        .chain(pm.sections.iter().map(|s| s.body.as_str()))
        .chain(pm.timeline.iter().map(|e| e.text.as_str()))
        .chain(pm.whys.iter().flat_map(|c| {
            std::iter::once(c.problem.as_str())
                .chain(c.steps.iter().flat_map(|s| [s.question.as_str(), s.answer.as_str()]))
        }))
        .chain(
            pm.fishbones
                .iter()
                .flat_map(|f| f.categories.iter().flat_map(|c| c.causes.iter().map(|c| c.text.as_str()))),
        )
        .chain(pm.contributing_factors.iter().map(|f| f.text.as_str()))
        .chain(pm.action_items.iter().flat_map(|a| [a.title.as_str(), a.description.as_str()]))
}

/// Counts a corpus: words per postmortem, distinct terms, Zipf fit.
pub fn stats<'a>(postmortems: impl IntoIterator<Item = &'a Postmortem>) -> CorpusStats {
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut lengths = Vec::new();
    for pm in postmortems {
        let mut n = 0;
        for text in texts(pm) {
            for term in text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()) {
                n += 1;
                *counts.entry(term.to_lowercase()).or_default() += 1;
            }
        }
        lengths.push(n);
    }
    lengths.sort_unstable();
    let at = |q: f64| lengths.get(((lengths.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0);
    let mut freq: Vec<u64> = counts.values().copied().collect();
    freq.sort_unstable_by(|a, b| b.cmp(a));
    let points: Vec<(f64, f64)> =
        freq.iter().take(10_000).enumerate().map(|(r, &f)| (((r + 1) as f64).ln(), (f as f64).ln())).collect();
    let (slope, r2) = fit(&points);
    CorpusStats {
        postmortems: lengths.len(),
        words_mean: lengths.iter().sum::<usize>() as f64 / lengths.len().max(1) as f64,
        words_p10: at(0.1),
        words_p90: at(0.9),
        words_min: lengths.first().copied().unwrap_or(0),
        words_max: lengths.last().copied().unwrap_or(0),
        distinct_terms: counts.len(),
        zipf_slope: slope,
        zipf_r2: r2,
    }
}

/// Least-squares line through `points`: its slope and R².
fn fit(points: &[(f64, f64)]) -> (f64, f64) {
    let n = points.len() as f64;
    if n < 2.0 {
        return (0.0, 0.0);
    }
    let (mx, my) = (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n);
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let syy: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
    if sxx == 0.0 || syy == 0.0 {
        return (0.0, 0.0);
    }
    (sxy / sxx, sxy * sxy / (sxx * syy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_deterministic_valid_and_as_long_as_real_postmortems() {
        let end = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let a: Vec<_> = generate(3, 60, end).collect();
        assert_eq!(a, generate(3, 60, end).collect::<Vec<_>>());
        for pm in &a {
            pm.validate(end).unwrap_or_else(|e| panic!("{}: {e}", pm.title));
            assert!((3..=6).contains(&pm.action_items.len()));
            assert!(pm.action_items.iter().all(|a| !a.description.is_empty()));
            assert!(!pm.whys.is_empty() && pm.timeline.len() >= 8);
        }
        let s = stats(&a);
        assert!(s.words_min >= 250 && s.words_max <= 2_000, "{s:?}");
        assert!(s.words_mean > 400.0 && s.words_mean < 1_000.0, "{s:?}");
        // Already richer than the compact corpus's whole vocabulary at 100,000.
        assert!(s.distinct_terms > 3_000, "{s:?}");
        assert!(s.zipf_slope < -0.7 && s.zipf_slope > -1.6 && s.zipf_r2 > 0.85, "{s:?}");
    }

    #[test]
    fn zipf_fit_recovers_a_known_slope() {
        let points: Vec<(f64, f64)> = (1..200).map(|r| ((r as f64).ln(), 10.0 - (r as f64).ln())).collect();
        let (slope, r2) = fit(&points);
        assert!((slope + 1.0).abs() < 1e-9 && (r2 - 1.0).abs() < 1e-9);
    }
}
