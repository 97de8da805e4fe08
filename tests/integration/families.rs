//! Families of textually similar incidents on a real index: the sample library and the DFDS
//! postmortems of `tests/fixtures/corpus/`, and the calibration of the threshold (an ignored
//! test that prints the similarity of every pair, see `debrief::analysis::families`).

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use debrief::analysis::families::THRESHOLD;
use debrief::analysis::patterns::PatternKind;
use debrief::model::Severity;
use debrief::wire::NewPostmortem;
use debrief::Library;

use crate::helpers::library;

/// Stores the DFDS postmortems (not their template): the title from the first heading, the
/// prose of every section but the timeline and the action items in the first section.
fn import_dfds(lib: &mut Library) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/dfds-2019-2020");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("PM2"))
        .collect();
    names.sort();
    for (n, path) in names.iter().enumerate() {
        let doc = std::fs::read_to_string(path).unwrap();
        let title = doc.lines().find_map(|l| l.strip_prefix("# ")).unwrap().trim().to_string();
        let mut body = String::new();
        for part in doc.split("\n## ").skip(1) {
            let heading = part.lines().next().unwrap_or_default().to_lowercase();
            if !heading.starts_with("timeline") && !heading.starts_with("action") {
                body.push_str(part);
                body.push('\n');
            }
        }
        let year = if path.to_string_lossy().contains("PM2019") { 2019 } else { 2020 };
        let date = NaiveDate::from_ymd_opt(year, 1 + (n % 12) as u32, 10).unwrap();
        let mut pm = lib
            .create(NewPostmortem { title, severity: Severity::Sev2, template: None, incident_date: Some(date) })
            .unwrap();
        pm.sections[0].body = body;
        lib.save(pm).unwrap();
    }
    names.len()
}

#[test]
#[ignore = "prints the pairwise similarity distribution for calibrating THRESHOLD"]
fn calibration() {
    let (_dir, mut lib) = library();
    lib.load_sample().unwrap();
    let dfds = import_dfds(&mut lib);
    let facts = lib.incident_facts().unwrap();
    let title = |id: &str| facts.iter().find(|f| f.id == id).map(|f| f.title.clone()).unwrap_or_default();
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    let pairs = lib.similarity_pairs(from, to, 0.0).unwrap();
    let n = facts.len();
    println!("{n} incidents ({dfds} DFDS), {} of {} pairs share a word", pairs.len(), n * (n - 1) / 2);
    let mut bins = [0usize; 10];
    for (_, _, s, _) in &pairs {
        bins[((s * 10.0) as usize).min(9)] += 1;
    }
    for (i, b) in bins.iter().enumerate() {
        println!("  {:.1}-{:.1}: {b}", i as f32 / 10.0, (i + 1) as f32 / 10.0);
    }
    for (a, b, s, words) in pairs.iter().filter(|p| p.2 >= 0.10) {
        println!("{s:.3}  {}  |  {}  [{}]", title(a), title(b), words[..words.len().min(4)].join(", "));
    }
    for p in lib.patterns(from, to).unwrap().iter().filter(|p| p.kind == PatternKind::SimilarFamily) {
        println!("\n{} [{}]", p.rule, p.subject);
        for i in &p.incidents {
            println!("    {}  {}", i.incident_date, i.title);
        }
    }
    println!("threshold {THRESHOLD}");
}

#[test]
fn the_sample_library_has_families_across_categories_and_no_giant_one() {
    let (_dir, mut lib) = library();
    lib.load_sample().unwrap();
    let today = debrief::clock::today();
    let found = lib.patterns(today - chrono::Duration::days(800), today + chrono::Duration::days(1)).unwrap();
    let families: Vec<_> = found.iter().filter(|p| p.kind == PatternKind::SimilarFamily).collect();
    assert!(!families.is_empty());
    for f in &families {
        assert!((2..=debrief::analysis::families::MAX_FAMILY).contains(&f.incidents.len()), "{f:?}");
        assert!(f.rule.contains("at least 15% alike"), "{}", f.rule);
    }
    // The strongest pair of the sample (similarity 0.33 in the calibration): the same retry
    // without idempotency, filed under different categories.
    let dup = families
        .iter()
        .find(|f| f.incidents.iter().any(|i| i.title.starts_with("Duplicate refunds")))
        .expect("the duplicate-refunds family");
    assert!(dup.incidents.iter().any(|i| i.title.starts_with("Duplicate order-confirmation emails")), "{dup:?}");
    assert!(dup.rule.contains("across categories"), "{}", dup.rule);
    assert!(dup.subject.contains("idempotent"), "{}", dup.subject);
    // The same through insights.
    let insights = lib.insights(today - chrono::Duration::days(800), today + chrono::Duration::days(1)).unwrap();
    assert_eq!(insights.patterns, found);
}

#[test]
fn the_dfds_postmortems_pair_up_by_what_they_are_about() {
    // Beside the sample library, as calibrated: twelve documents alone make poor document
    // frequencies.
    let (_dir, mut lib) = library();
    lib.load_sample().unwrap();
    import_dfds(&mut lib);
    let from = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2020, 12, 31).unwrap();
    let families: Vec<_> =
        lib.patterns(from, to).unwrap().into_iter().filter(|p| p.kind == PatternKind::SimilarFamily).collect();
    let adsync = families.iter().find(|f| f.subject.contains("adsync")).expect("the two ADSync postmortems");
    assert_eq!(adsync.incidents.len(), 2, "{adsync:?}");
}

#[test]
fn on_this_day_lists_last_years_incident_with_its_summary_line() {
    let (_dir, mut lib) = library();
    let today = debrief::clock::today();
    // On 29 February there is no same date last year; the rule is unit-tested with fixed dates.
    let Some(last_year) = today.with_year(today.year() - 1) else { return };
    let mut pm = lib
        .create(NewPostmortem {
            title: "Checkout down".into(),
            severity: Severity::Sev1,
            template: None,
            incident_date: Some(last_year),
        })
        .unwrap();
    let at = pm.sections.iter().position(|s| s.heading == "Summary").unwrap_or(0);
    pm.sections[at].body = "Checkout failed for 20 minutes. Then it recovered.".into();
    pm.categories = vec!["deployment".into()];
    lib.save(pm.clone()).unwrap();
    lib.create(NewPostmortem {
        title: "Yesterday last year".into(),
        severity: Severity::Sev2,
        template: None,
        incident_date: Some(last_year - chrono::Duration::days(1)),
    })
    .unwrap();
    let insights = lib.insights(today - chrono::Duration::days(89), today).unwrap();
    assert_eq!(insights.on_this_day, lib.on_this_day(today).unwrap());
    assert_eq!(insights.on_this_day.len(), 1, "{:?}", insights.on_this_day);
    let day = &insights.on_this_day[0];
    assert_eq!((day.id.as_str(), day.years_ago, day.severity), (pm.id.as_str(), 1, Severity::Sev1));
    assert_eq!(day.categories, ["deployment"]);
    assert_eq!(day.summary.as_deref(), Some("Checkout failed for 20 minutes."));
    assert!(lib.on_this_day(today + chrono::Duration::days(2)).unwrap().is_empty());
}

/// A busy date: the screen's card lists the first few (the most recent years first) and counts
/// them all; the rest open by rule.
#[test]
fn on_this_day_lists_the_first_few_on_the_screen_and_opens_all_by_rule() {
    use debrief::analysis::drill::Drill;
    use debrief::library::SCREEN_ON_THIS_DAY;
    let (_dir, mut lib) = library();
    let today = debrief::clock::today();
    let mut made = Vec::new();
    for years in 1..=3 {
        let Some(then) = today.with_year(today.year() - years) else { return };
        for n in 0..3 {
            let new = NewPostmortem {
                title: format!("Incident {n} {years} years ago"),
                severity: if n == 0 { Severity::Sev1 } else { Severity::Sev3 },
                template: None,
                incident_date: Some(then),
            };
            made.push((then, lib.create(new).unwrap().id));
        }
    }
    let palette = debrief::report::charts::ChartPalette::print();
    let screen = lib.insights_screen(today - chrono::Duration::days(89), today, &palette).unwrap().insights;
    assert_eq!(screen.on_this_day_total, 9);
    assert_eq!(screen.on_this_day.len(), SCREEN_ON_THIS_DAY);
    assert_eq!(
        screen.on_this_day,
        lib.on_this_day(today).unwrap()[..SCREEN_ON_THIS_DAY],
        "the first of the whole list"
    );
    assert_eq!(screen.on_this_day[0].years_ago, 1, "the most recent year first");
    made.sort();
    let all: Vec<String> = made.into_iter().map(|(_, id)| id).collect();
    assert_eq!(lib.incidents_behind(&Drill::OnThisDay { today }).unwrap(), all, "oldest first");
}
