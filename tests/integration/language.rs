//! The language coach measured on labelled sentences (tests/fixtures/language): recall on
//! blameful sentences and false positives on neutral ones, for the training sentences the
//! rules were written against and for a held-out fifth (heldout/) that they never were. The
//! held-out test prints only aggregate figures, never the sentences. Every sentence is checked
//! as ordinary text (`is_cause = false`, no known people), as in a summary or a timeline.
//! Also: `check_text` never panics and keeps its offsets on character boundaries, whatever
//! the text.

use std::path::PathBuf;

use debrief::review::language::check_text;
use proptest::prelude::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/language").join(name)
}

fn sentences(name: &str) -> Vec<String> {
    let path = fixture(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn flagged(s: &str) -> bool {
    !check_text("text", s, &[], false).is_empty()
}

fn percent(part: usize, whole: usize) -> f64 {
    100.0 * part as f64 / whole.max(1) as f64
}

/// Training sentences the rules do not catch, kept as they were written: accounts whose blame
/// is carried by the whole story rather than by a phrase ("locked the orders table ... with an
/// unindexed update"), and "Leo's script deleted every file", whose neutral twin in
/// neutral.txt only adds the system's reason. The assertion allows this many.
const TRAINING_MISSES_ALLOWED: usize = 3;

#[test]
fn training_set_recall_and_false_positives() {
    let blameful = sentences("blameful.txt");
    let neutral = sentences("neutral.txt");
    let missed: Vec<&String> = blameful.iter().filter(|s| !flagged(s)).collect();
    let false_positives: Vec<(&String, Vec<String>)> = neutral
        .iter()
        .filter_map(|s| {
            let f = check_text("text", s, &[], false);
            (!f.is_empty()).then(|| (s, f.into_iter().map(|f| f.rule).collect()))
        })
        .collect();
    let caught = blameful.len() - missed.len();
    println!(
        "training: recall {:.1}% ({caught} of {} blameful), false positives {:.1}% ({} of {} neutral)",
        percent(caught, blameful.len()),
        blameful.len(),
        percent(false_positives.len(), neutral.len()),
        false_positives.len(),
        neutral.len()
    );
    println!("training misses: {missed:#?}");
    println!("training false positives: {false_positives:#?}");
    assert!(missed.len() <= TRAINING_MISSES_ALLOWED, "not flagged: {missed:#?}");
    assert!(percent(false_positives.len(), neutral.len()) < 5.0, "false positives: {false_positives:#?}");
}

/// The held-out fifth, written by someone else and never read while writing the rules.
/// Only the aggregate figures are printed.
#[test]
fn held_out_set_meets_the_target() {
    let blameful = sentences("heldout/blameful.txt");
    let neutral = sentences("heldout/neutral.txt");
    let caught = blameful.iter().filter(|s| flagged(s)).count();
    let false_positives = neutral.iter().filter(|s| flagged(s)).count();
    let recall = percent(caught, blameful.len());
    let fp_rate = percent(false_positives, neutral.len());
    println!(
        "held out: recall {recall:.1}% ({caught} of {} blameful), false positives {fp_rate:.1}% ({false_positives} of {} neutral)",
        blameful.len(),
        neutral.len()
    );
    assert!(recall >= 90.0, "held-out recall {recall:.1}% is below 90%");
    assert!(fp_rate <= 5.0, "held-out false positives {fp_rate:.1}% are above 5%");
}

#[test]
fn the_labelled_set_is_large_enough_and_a_fifth_is_held_out() {
    for kind in ["blameful", "neutral"] {
        let training = sentences(&format!("{kind}.txt")).len();
        let held_out = sentences(&format!("heldout/{kind}.txt")).len();
        let total = training + held_out;
        println!("{kind}: {training} training + {held_out} held out = {total}");
        assert!(total >= 300, "{kind}: only {total} labelled sentences");
        assert!(held_out * 5 >= total, "{kind}: {held_out} held out is less than a fifth of {total}");
    }
}

#[test]
fn the_coach_keeps_its_promises_to_the_editor() {
    // The authoring e2e test types this and expects both phrases marked, among 3 to 9.
    let text = "Bob should have checked the config before the rollout. The root cause was human error.";
    let f = check_text("sections.summary", text, &[], false);
    assert!((3..=9).contains(&f.len()), "{f:#?}");
    let hindsight = f.iter().find(|f| f.text == "should have checked").expect("hindsight");
    assert!(hindsight.why.starts_with("Hindsight") && hindsight.replacement.is_none());
    let error = f.iter().find(|f| f.text == "human error").expect("human error");
    assert_eq!(error.replacement.as_deref(), Some("a gap in the system's safeguards"));
    // The timeline e2e test expects one marked run, "engineer forgot to".
    let f = check_text("timeline[8].text", "The on-call engineer forgot to silence the duplicate alert", &[], false);
    let (start, end) = (f.iter().map(|f| f.start).min().unwrap(), f.iter().map(|f| f.end).max().unwrap());
    assert_eq!(&"The on-call engineer forgot to silence the duplicate alert"[start..end], "engineer forgot to");
    // The root-cause e2e test expects exactly one mark in this factor.
    assert_eq!(check_text("contributing_factors[0].text", "The pool change was human error.", &[], true).len(), 1);
}

/// Words the grammar reacts to, so that random texts reach deep into the patterns.
const VOCABULARY: &[&str] = &[
    "Ana",
    "Bob's",
    "the",
    "junior",
    "engineer",
    "on-call",
    "@dana",
    "he",
    "nobody",
    "no one",
    "who",
    "why",
    "did",
    "didn't",
    "not",
    "took",
    "down",
    "deleted",
    "the wrong",
    "node",
    "prod",
    "should have",
    "checked",
    "because",
    "fault",
    "error",
    "is",
    "responsible",
    "for",
    "outage",
    "tell",
    "to",
    "be more careful",
    "needs",
    "retraining",
    "plainly",
    "as anyone could see",
    "whoever",
    "and",
    "then",
    "without",
    "review",
    "?",
    ".",
    ",",
    ":",
    "’s",
    "—",
    "\n",
    "Zoë",
    "Łukasz's",
    "İ",
    "ß",
    "🚀",
    "’",
    "'",
    "09:12",
    "\u{200b}",
    "e\u{301}",
    "ﬁ",
    "Σ",
];

fn check_invariants(text: &str, people: &[String], is_cause: bool) {
    for f in check_text("x", text, people, is_cause) {
        assert!(f.start < f.end && f.end <= text.len(), "{f:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{f:?}");
        assert_eq!(f.text, text[f.start..f.end]);
        assert_eq!(f.line, text[..f.start].matches('\n').count() + 1);
        assert!(!f.why.is_empty() && !f.suggestion.is_empty(), "{f:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn check_text_never_panics_on_any_unicode(text in any::<String>(), cause in any::<bool>()) {
        check_invariants(&text, &["Ana Souza".to_string()], cause);
    }

    #[test]
    fn check_text_never_panics_on_texts_made_of_its_own_words(
        words in prop::collection::vec(prop::sample::select(VOCABULARY), 0..400),
        seps in prop::collection::vec(prop::sample::select(&[" ", "", "  ", "\n", "-", "'"][..]), 0..400),
        people in prop::collection::vec("[A-Za-zÀ-ÿ @]{0,12}", 0..3),
        cause in any::<bool>(),
    ) {
        let mut text = String::new();
        for (i, w) in words.iter().enumerate() {
            text.push_str(w);
            text.push_str(seps.get(i).copied().unwrap_or(" "));
        }
        check_invariants(&text, &people, cause);
    }
}

#[test]
fn a_long_text_is_checked_in_reasonable_time() {
    let paragraph = "At 14:05 the on-call engineer, who was on call that night, restarted the wrong node and \
                     nobody noticed; Bob's change took down the cluster. Why did you not check? ";
    let text = paragraph.repeat(400);
    let started = std::time::Instant::now();
    let found = check_text("x", &text, &[], true);
    assert!(found.len() >= 400 * 3, "{}", found.len());
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
