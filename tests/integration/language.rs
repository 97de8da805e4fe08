//! The language coach on the example sentences: every blameful sentence is flagged, and the
//! false-positive rate on neutral system language stays under 5%.

use debrief::review::language::check_text;

fn sentences(name: &str) -> Vec<String> {
    let path = format!("{}/tests/fixtures/language/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_blameful_example_is_flagged() {
    let examples = sentences("blameful.txt");
    assert!(examples.len() >= 50, "{}", examples.len());
    let missed: Vec<&String> = examples.iter().filter(|s| check_text("text", s, &[], true).is_empty()).collect();
    assert!(missed.is_empty(), "not flagged: {missed:#?}");
}

#[test]
fn neutral_system_language_stays_quiet() {
    let examples = sentences("neutral.txt");
    assert!(examples.len() >= 50, "{}", examples.len());
    let flagged: Vec<(String, Vec<String>)> = examples
        .iter()
        .filter_map(|s| {
            let f = check_text("text", s, &[], true);
            (!f.is_empty()).then(|| (s.clone(), f.into_iter().map(|f| f.rule).collect()))
        })
        .collect();
    let rate = flagged.len() as f64 / examples.len() as f64;
    println!("false positives: {} of {} ({:.1}%): {flagged:?}", flagged.len(), examples.len(), rate * 100.0);
    assert!(rate < 0.05, "false-positive rate {:.1}%: {flagged:#?}", rate * 100.0);
}
