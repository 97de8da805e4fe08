//! 5 whys, fishbones and contributing factors through the library: storage round trips,
//! branching, evidence links that outlive their events, links from factors and action items
//! back to where they came from, the chain-ends-on-a-person flag, search, and the diagram
//! export from the command line.

use assert_cmd::Command;
use debrief::clock::new_id;
use debrief::model::*;
use debrief::wire::DiagramFormat;
use debrief::wire::SearchOptions;
use debrief::Library;

use crate::helpers::{library, rich_postmortem};

/// A stable UUID for a short test label, so steps can name their parents readably.
fn uid(label: &str) -> String {
    if uuid::Uuid::parse_str(label).is_ok() {
        return label.to_string();
    }
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, label.as_bytes()).to_string()
}

fn step(id: &str, parent: Option<&str>, question: &str, answer: &str) -> WhyStep {
    WhyStep {
        id: uid(id),
        parent_id: parent.map(uid),
        question: question.into(),
        answer: answer.into(),
        evidence: vec![],
    }
}

fn cause(text: &str, children: Vec<FishboneCause>) -> FishboneCause {
    FishboneCause { id: new_id(), text: text.into(), children }
}

#[test]
fn several_branching_chains_and_a_deep_fishbone_load_back_identical() {
    let (_dir, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    pm.whys.push(WhysChain {
        id: new_id(),
        problem: "The alert fired 5 minutes late".into(),
        steps: vec![
            step("a", None, "Why late?", "The alert waits for 5 bad minutes."),
            step("b", Some("a"), "Why 5 minutes?", "Copied from a batch job's alert."),
            step("c", Some("a"), "Why no faster signal?", "No SLO burn-rate alert exists."),
            step("d", Some("c"), "Why none?", "SLOs were never defined for checkout."),
            step("e", Some("d"), "Why never defined?", "No owner for checkout reliability."),
        ],
    });
    pm.fishbones[0].categories.push(FishboneCategory {
        id: new_id(),
        name: "Technology".into(),
        causes: vec![cause("Retries", vec![cause("No backoff", vec![cause("Client library default", vec![])])])],
    });
    let saved = lib.save(pm.clone()).unwrap().postmortem;
    let loaded = lib.get(&pm.id).unwrap().postmortem;
    assert_eq!(loaded.whys, saved.whys);
    assert_eq!(loaded.fishbones, saved.fishbones);
    assert_eq!(loaded.whys.len(), 2);
    let branches = loaded.whys[1].steps.iter().filter(|s| s.parent_id == Some(uid("a"))).count();
    assert_eq!(branches, 2, "step a branches into two causes");
    let deep = &loaded.fishbones[0].categories[1].causes[0].children[0].children[0];
    assert_eq!(deep.text, "Client library default");

    // And through JSON export and import into another library.
    let doc = lib.export_document(&[]).unwrap();
    let (_dir2, mut other) = library();
    other.import_document(&doc, "test").unwrap();
    assert_eq!(other.get(&pm.id).unwrap().postmortem.whys, loaded.whys);
    assert_eq!(other.get(&pm.id).unwrap().postmortem.fishbones, loaded.fishbones);
}

#[test]
fn evidence_links_survive_event_edits_and_deletion_shows_a_broken_link() {
    let (_dir, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    let cited = pm.whys[0].steps[0].evidence[0].clone();
    assert!(pm.broken_evidence().is_empty());

    // Editing the cited event (text, time) keeps the link.
    let event = pm.timeline.iter_mut().find(|e| e.id == cited).unwrap();
    event.text = "5xx alert fires (checkout-web)".into();
    event.at += chrono::Duration::minutes(1);
    let pm = lib.save(pm).unwrap().postmortem;
    assert_eq!(pm.whys[0].steps[0].evidence, vec![cited.clone()]);
    assert!(pm.broken_evidence().is_empty());

    // Deleting it keeps the citation, now reported as broken, and nothing fails.
    let mut pm = pm;
    pm.timeline.retain(|e| e.id != cited);
    let view = lib.save(pm).unwrap();
    let pm = view.postmortem;
    assert_eq!(pm.whys[0].steps[0].evidence, vec![cited.clone()]);
    let broken = pm.broken_evidence();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].event_id, cited);
    assert_eq!(broken[0].step_id, pm.whys[0].steps[0].id);
    // The postmortem still exports and lints.
    lib.export_document(std::slice::from_ref(&pm.id)).unwrap();
    lib.lint(&pm.id).unwrap();
}

#[test]
fn a_step_becomes_a_factor_and_an_action_item_once_with_links_back() {
    let (_dir, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    let step_id = pm.whys[0].steps[2].id.clone(); // "Retries had no backoff."
    let now = debrief::clock::now();

    let f = pm.factor_from_step(&step_id).unwrap();
    assert_eq!(pm.factor_from_step(&step_id).unwrap(), f, "asking twice adds nothing");
    assert_eq!(pm.contributing_factors[f].text, "Retries had no backoff.");
    assert_eq!(pm.contributing_factors[f].source_step_id.as_deref(), Some(step_id.as_str()));

    let a = pm.action_from_step(&step_id, now).unwrap();
    assert_eq!(pm.action_from_step(&step_id, now).unwrap(), a);
    let item = &pm.action_items[a];
    assert_eq!(item.title, "Address: Retries had no backoff.");
    assert!(item.description.contains("Why did retries make it worse?"), "{}", item.description);
    assert_eq!((item.kind, item.status, item.owner.clone()), (ActionKind::Prevent, ActionStatus::Open, None));

    let cause_id = pm.fishbones[0].categories[0].causes[0].children[0].id.clone(); // "No validation"
    let g = pm.factor_from_cause(&cause_id).unwrap();
    assert_eq!(pm.contributing_factors[g].category.as_deref(), Some("Configuration"));
    let b = pm.action_from_factor(&pm.contributing_factors[g].id.clone(), now).unwrap();
    assert_eq!(pm.action_items[b].source_factor_id, Some(pm.contributing_factors[g].id.clone()));

    let saved = lib.save(pm).unwrap().postmortem;
    let loaded = lib.get(&saved.id).unwrap().postmortem;
    assert_eq!(loaded.contributing_factors, saved.contributing_factors);
    assert_eq!(loaded.contributing_factors[g].source_cause_id.as_deref(), Some(cause_id.as_str()));
    assert_eq!(loaded.action_items[a].source_step_id.as_deref(), Some(step_id.as_str()));

    // Unknown ids are refused by name.
    let mut pm = loaded;
    let err = pm.action_from_step("nope", now).unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.to_string().contains("5-whys step"), "{err}");
}

#[test]
fn a_chain_that_ends_on_a_person_is_flagged_with_the_coachs_explanation() {
    let (_dir, mut lib) = library();
    let mut pm = rich_postmortem(&mut lib);
    let last = pm.whys[0].steps.len();
    let parent = pm.whys[0].steps[1].id.clone();
    pm.whys[0].steps.push(step("h", Some(&parent), "Why lowered?", "Human error."));
    let pm = lib.save(pm).unwrap().postmortem;
    let flagged = debrief::review::language::chain_ends_on_person(&pm);
    assert_eq!(flagged.len(), 1, "{flagged:#?}");
    assert_eq!(flagged[0].field, format!("whys[0].steps[{last}].answer"));
    assert!(flagged[0].why.starts_with("This chain of whys stops at a person"), "{}", flagged[0].why);
    // The same words in the middle of a chain are an ordinary finding, not a chain end.
    let findings = lib.lint(&pm.id).unwrap();
    assert!(findings.iter().any(|f| f.kind == "chain_ends_on_person"));

    let mut pm = pm;
    pm.whys[0].steps.push(step("i", Some("h"), "Why was that possible?", "No validation on pool size."));
    let pm = lib.save(pm).unwrap().postmortem;
    assert!(debrief::review::language::chain_ends_on_person(&pm).is_empty());
    assert!(lib.lint(&pm.id).unwrap().iter().any(|f| f.field == format!("whys[0].steps[{last}].answer")));
}

#[test]
fn whys_and_fishbone_text_is_searchable() {
    let (_dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    for q in ["backoff", "\"no validation\""] {
        let r = lib.search(q, &SearchOptions { limit: 5, ..Default::default() }).unwrap();
        assert_eq!(r.hits.first().map(|h| h.id.clone()), Some(pm.id.clone()), "{q}");
    }
}

#[test]
fn the_fishbone_exports_as_svg_and_png_from_the_library_and_the_cli() {
    let (dir, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let fishbone = lib.fishbone(&pm.id, None).unwrap();
    let svg = String::from_utf8(Library::export_fishbone(&fishbone, DiagramFormat::Svg).unwrap()).unwrap();
    for text in ["Checkout 502s", "Configuration", "Pool size lowered", "No validation"] {
        assert!(svg.contains(text), "{text} missing from the SVG");
    }
    assert_eq!(lib.fishbone(&pm.id, Some("1")).unwrap(), fishbone);
    assert_eq!(lib.fishbone(&pm.id, Some(&fishbone.id)).unwrap(), fishbone);
    assert_eq!(lib.fishbone(&pm.id, Some("2")).unwrap_err().code(), "not_found");
    drop(lib);

    let library_dir = dir.path().join("lib");
    let png = dir.path().join("fish.png");
    Command::cargo_bin("debrief")
        .unwrap()
        .args(["--library", library_dir.to_str().unwrap(), "fishbone", &pm.id[..8], "--out", png.to_str().unwrap()])
        .assert()
        .success();
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let out = Command::cargo_bin("debrief")
        .unwrap()
        .args(["--library", library_dir.to_str().unwrap(), "fishbone", &pm.id, "--out", "fish.gif"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("fish.gif") && stderr.contains(".svg or .png"), "{stderr}");
}

#[test]
fn factor_categories_offer_root_cause_types_and_those_the_library_uses() {
    let (_dir, mut lib) = library();
    let before = lib.taxonomy().unwrap().root_cause_types;
    assert_eq!(
        before,
        debrief::model::rootcause::ROOT_CAUSE_TYPES.map(String::from).to_vec(),
        "an empty library offers the built-ins"
    );

    let mut pm = rich_postmortem(&mut lib);
    for (text, category) in [
        ("Schema changes skip the expand/contract review", Some("Migration safety")),
        ("No canary for the config push", Some("change management")),
        ("Pool limit lowered", Some("Configuration")),
    ] {
        pm.contributing_factors.push(ContributingFactor {
            id: new_id(),
            text: text.into(),
            category: category.map(String::from),
            source_step_id: None,
            source_cause_id: None,
        });
    }
    lib.save(pm).unwrap();

    let types = lib.taxonomy().unwrap().root_cause_types;
    assert_eq!(
        types.last().map(String::as_str),
        Some("Migration safety"),
        "a type in use is offered after the built-ins"
    );
    assert_eq!(types.iter().filter(|t| t.eq_ignore_ascii_case("change management")).count(), 1, "no duplicate by case");
    assert!(!types.iter().any(|t| t == "Configuration"), "fishbone categories are offered by the diagram, not here");
}

/// Found by `never_panics`: a document listing a 5-whys step before the step it answers (valid:
/// the order is the user's) failed to store with a foreign-key error.
#[test]
fn a_chain_listing_a_step_before_its_parent_stores_and_loads_back_in_that_order() {
    let (_d, mut lib) = crate::helpers::library();
    let mut pm = crate::helpers::rich_postmortem(&mut lib);
    let steps = &mut pm.whys[0].steps;
    let root = steps.iter().position(|s| s.parent_id.is_none()).unwrap();
    let moved = steps.remove(root);
    steps.push(moved);
    assert!(steps[0].parent_id.is_some(), "a child now comes first");
    let saved = lib.save(pm.clone()).unwrap().postmortem;
    assert_eq!(saved.whys, pm.whys);
    assert_eq!(lib.get(&pm.id).unwrap().postmortem.whys, pm.whys);
}
