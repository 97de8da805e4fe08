//! Saving a postmortem: one load of the stored document, and only the child rows that
//! differ are written. The store-level tests count each table's writes with TEMP triggers on
//! a connection of their own; the library-level ones watch rowids, which an UPDATE keeps and
//! a DELETE and INSERT would not.

use std::path::Path;
use std::time::Instant;

use debrief::clock::new_id;
use debrief::library::{BACKUP_DIR, DB_FILE};
use debrief::model::*;
use debrief::store::postmortems;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;

use crate::helpers::{library, rich_postmortem};

/// Every table a postmortem's save may write.
const TABLES: &[&str] = &[
    "postmortems",
    "revisions",
    "postmortem_people",
    "postmortem_services",
    "postmortem_categories",
    "postmortem_tags",
    "sections",
    "status_changes",
    "timeline_events",
    "whys_chains",
    "whys_steps",
    "whys_evidence",
    "fishbones",
    "fishbone_categories",
    "fishbone_causes",
    "contributing_factors",
    "action_items",
    "people",
    "services",
    "categories",
    "tags",
];

/// A connection on a library's database that records every row written to [`TABLES`]
/// (TEMP triggers see this connection's writes only).
struct Counting {
    conn: Connection,
}

impl Counting {
    fn open(library: &Path) -> Counting {
        let conn = debrief::store::open(&library.join(DB_FILE), &library.join(BACKUP_DIR)).unwrap();
        conn.execute_batch("CREATE TEMP TABLE writes (tbl TEXT NOT NULL, op TEXT NOT NULL)").unwrap();
        for table in TABLES {
            for op in ["INSERT", "UPDATE", "DELETE"] {
                conn.execute_batch(&format!(
                    "CREATE TEMP TRIGGER count_{table}_{op} AFTER {op} ON main.{table}
                     BEGIN INSERT INTO writes VALUES ('{table}', '{op}'); END;"
                ))
                .unwrap();
            }
        }
        Counting { conn }
    }

    /// Writes `pm` over its stored version as a save does, checks that loading it back gives
    /// `pm`, and returns the child rows written, as `table OP` sorted (the postmortem's own
    /// row and the revision, written on every save, left out).
    fn update(&mut self, pm: &Postmortem) -> Vec<String> {
        self.conn.execute("DELETE FROM writes", []).unwrap();
        let tx = self.conn.transaction().unwrap();
        let stored = postmortems::load(&tx, &pm.id).unwrap();
        postmortems::update(&tx, &stored, pm, debrief::history::Why::Import).unwrap();
        tx.commit().unwrap();
        assert_eq!(&postmortems::load(&self.conn, &pm.id).unwrap(), pm, "the stored document is the one saved");
        let mut stmt = self.conn.prepare("SELECT tbl, op FROM writes").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))).unwrap();
        let mut all: Vec<(String, String)> = rows.map(Result::unwrap).collect();
        let own: Vec<_> = all.iter().filter(|(t, _)| t == "postmortems" || t == "revisions").cloned().collect();
        assert_eq!(
            own,
            vec![("revisions".to_string(), "INSERT".to_string()), ("postmortems".to_string(), "UPDATE".to_string())],
            "each save keeps one revision and writes the postmortem's row once"
        );
        all.retain(|(t, _)| t != "postmortems" && t != "revisions");
        let mut out: Vec<String> = all.into_iter().map(|(t, op)| format!("{t} {op}")).collect();
        out.sort();
        out
    }

    /// `(rowid, id)` of a child table's rows for postmortem `pm_id`, in their order.
    fn rowids(&self, table: &str, pm_id: &str) -> Vec<(i64, String)> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT rowid, id FROM {table} WHERE postmortem_id = ?1 ORDER BY position"))
            .unwrap();
        stmt.query_map([pm_id], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    }
}

/// A library holding the rich postmortem, and a counting connection on it.
fn rich() -> (tempfile::TempDir, debrief::Library, Counting, Postmortem) {
    let (d, mut lib) = library();
    let pm = rich_postmortem(&mut lib);
    let counting = Counting::open(&d.path().join("lib"));
    (d, lib, counting, pm)
}

fn writes(list: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    out.sort();
    out
}

#[test]
fn saving_an_unchanged_postmortem_writes_no_child_rows() {
    let (_d, mut lib, mut counting, pm) = rich();
    assert_eq!(counting.update(&pm), Vec::<String>::new());

    // Through the library nothing at all is written: no revision, the same rows.
    let before = lib.get(&pm.id).unwrap();
    let events = counting.rowids("timeline_events", &pm.id);
    let again = lib.save(before.postmortem.clone()).unwrap();
    assert_eq!(again.revisions, before.revisions);
    assert_eq!(again.postmortem, before.postmortem);
    assert_eq!(counting.rowids("timeline_events", &pm.id), events);
}

#[test]
fn editing_one_timeline_event_rewrites_only_that_row() {
    let (_d, mut lib, mut counting, mut pm) = rich();
    pm.timeline[2].text = "On-call acknowledges from the train".into();
    assert_eq!(counting.update(&pm), writes(&["timeline_events UPDATE"]));

    // Through the library: the other events' rows are untouched, the edited one keeps its rowid.
    let before = counting.rowids("timeline_events", &pm.id);
    pm.timeline[3].text = "Config rolled back by the deploy bot".into();
    let saved = lib.save(pm.clone()).unwrap().postmortem;
    assert_eq!(saved.timeline[3].text, "Config rolled back by the deploy bot");
    assert_eq!(counting.rowids("timeline_events", &pm.id), before);
    assert_eq!(lib.get(&pm.id).unwrap().postmortem, saved);
}

#[test]
fn reordering_moves_rows_without_rewriting_them() {
    let (_d, mut lib, mut counting, mut pm) = rich();
    let rowids: std::collections::HashMap<String, i64> =
        counting.rowids("timeline_events", &pm.id).into_iter().map(|(r, id)| (id, r)).collect();
    pm.timeline.reverse();
    // Five events reversed: the middle one stays where it was.
    assert_eq!(counting.update(&pm), writes(&["timeline_events UPDATE"; 4]));
    pm.sections.swap(0, 1);
    pm.action_items.push(ActionItem { id: new_id(), title: "Second item".into(), ..pm.action_items[0].clone() });
    pm.action_items.swap(0, 1);
    pm.services.reverse();
    pm.authors.reverse();
    let saved = lib.save(pm.clone()).unwrap().postmortem;
    assert_eq!(
        saved.timeline.iter().map(|e| &e.id).collect::<Vec<_>>(),
        pm.timeline.iter().map(|e| &e.id).collect::<Vec<_>>()
    );
    assert_eq!(saved.sections, pm.sections);
    assert_eq!(saved.services, pm.services);
    assert_eq!(saved.authors, pm.authors);
    assert_eq!(saved.action_items[1].id, pm.action_items[1].id);
    assert_eq!(lib.get(&pm.id).unwrap().postmortem, saved);
    for (rowid, id) in counting.rowids("timeline_events", &pm.id) {
        assert_eq!(rowids[&id], rowid, "a moved event keeps its row");
    }
}

#[test]
fn deleting_one_child_deletes_only_it() {
    let (_d, _lib, mut counting, mut pm) = rich();
    pm.timeline.pop();
    assert_eq!(counting.update(&pm), writes(&["timeline_events DELETE"]));
    // A middle section: its row goes, the ones after it move up a place.
    let after = pm.sections.len() - 3;
    pm.sections.remove(2);
    let mut expected = vec!["sections DELETE"];
    expected.extend(std::iter::repeat_n("sections UPDATE", after));
    assert_eq!(counting.update(&pm), writes(&expected));
    // A 5-whys step that answers another (a leaf), and a fishbone cause with a child.
    let leaf = pm.whys[0]
        .steps
        .iter()
        .position(|s| pm.whys[0].steps.iter().all(|t| t.parent_id.as_ref() != Some(&s.id)))
        .unwrap();
    pm.whys[0].steps.remove(leaf);
    pm.fishbones[0].categories[0].causes.clear();
    let changes = counting.update(&pm);
    assert!(changes.contains(&"whys_steps DELETE".to_string()), "{changes:?}");
    assert!(changes.contains(&"fishbone_causes DELETE".to_string()), "{changes:?}");
    assert!(changes.iter().all(|c| c.ends_with("DELETE") || c == "whys_steps UPDATE"), "{changes:?}");
}

#[test]
fn adding_one_child_inserts_only_it() {
    let (_d, _lib, mut counting, mut pm) = rich();
    let mut event = pm.timeline[4].clone();
    event.id = new_id();
    event.marker = None;
    event.text = "Postmortem scheduled".into();
    pm.timeline.push(event);
    assert_eq!(counting.update(&pm), writes(&["timeline_events INSERT"]));
    pm.tags.push("capacity".into());
    assert_eq!(counting.update(&pm), writes(&["tags INSERT", "postmortem_tags INSERT"]));
    pm.status_history.push(StatusChange {
        from: ReviewStatus::Draft,
        to: ReviewStatus::InReview,
        by: "Priya Raman".into(),
        at: pm.updated_at,
    });
    assert_eq!(counting.update(&pm), writes(&["status_changes INSERT"]));
    pm.whys[0].steps[1].evidence.push(pm.timeline[0].id.clone());
    assert_eq!(counting.update(&pm), writes(&["whys_evidence INSERT"]));
}

#[test]
fn steps_causes_and_ids_move_between_parents() {
    let (_d, _lib, mut counting, mut pm) = rich();
    // A new chain takes the first chain's root step (with its answers) and the first chain
    // goes; the fishbone's cause moves to a new category and the old category goes.
    let steps = std::mem::take(&mut pm.whys[0].steps);
    pm.whys = vec![WhysChain { id: new_id(), problem: "Why did the pool shrink?".into(), steps }];
    let causes = std::mem::take(&mut pm.fishbones[0].categories[0].causes);
    pm.fishbones[0].categories = vec![FishboneCategory { id: new_id(), name: "People".into(), causes }];
    let changes = counting.update(&pm);
    assert!(changes.contains(&"whys_chains INSERT".to_string()) && changes.contains(&"whys_chains DELETE".to_string()));
    assert!(!changes.contains(&"whys_steps INSERT".to_string()), "steps move, they are not re-created: {changes:?}");
    assert!(!changes.contains(&"fishbone_causes INSERT".to_string()), "{changes:?}");
    // A child cause becomes a root and its old parent goes; a step is re-parented.
    let child = pm.fishbones[0].categories[0].causes[0].children.remove(0);
    pm.fishbones[0].categories[0].causes = vec![child];
    let root = pm.whys[0].steps[0].id.clone();
    pm.whys[0].steps[2].parent_id = Some(pm.whys[0].steps[1].id.clone());
    assert_eq!(pm.whys[0].steps[1].parent_id, Some(root));
    let changes = counting.update(&pm);
    assert_eq!(changes, writes(&["fishbone_causes UPDATE", "fishbone_causes DELETE", "whys_steps UPDATE"]));
}

#[test]
fn a_save_returns_what_loading_gives() {
    let (_d, mut lib, _counting, mut pm) = rich();
    // Names match the stored ones case-insensitively and come back spelled as stored; SQLite
    // keeps -0.0 as 0.
    pm.authors[0] = "PRIYA RAMAN".into();
    pm.services[1] = "Payments-API".into();
    pm.participants[0].name = "dana okafor".into();
    pm.action_items[0].owner = Some("marcus CHEN".into());
    pm.revenue_impact = Some(-0.0);
    pm.title = "Renamed".into();
    let view = lib.save(pm.clone()).unwrap();
    let loaded = lib.get(&pm.id).unwrap();
    assert_eq!(view.postmortem, loaded.postmortem);
    assert_eq!(serde_json::to_string(&view).unwrap(), serde_json::to_string(&loaded).unwrap());
    assert_eq!(view.postmortem.authors[0], "Priya Raman");
    assert_eq!(view.postmortem.action_items[0].owner.as_deref(), Some("Marcus Chen"));
}

/// Random edits of every kind of child, saved one after another: each save stores exactly
/// the document given (checked by [`Counting::update`]).
#[test]
fn random_edits_store_exactly_the_document_saved() {
    let (_d, mut lib, mut counting, mut pm) = rich();
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    let today = debrief::clock::today();
    let mut saves = 0;
    for round in 0..150 {
        let mut next = pm.clone();
        for _ in 0..rng.random_range(1..4) {
            edit(&mut next, &mut rng, round);
        }
        if let Err(e) = next.validate(today) {
            panic!("the generator made an invalid document in round {round}: {e}");
        }
        counting.update(&next);
        saves += 1;
        pm = next;
    }
    assert_eq!(saves, 150);
    // The library reads the last one back (its own connection, its own load), indexes what
    // the other connection queued, and finds nothing amiss.
    assert_eq!(lib.get(&pm.id).unwrap().postmortem, pm);
    lib.search("pool", &Default::default()).unwrap();
    assert!(lib.check().unwrap().problems.is_empty(), "{:?}", lib.check().unwrap().problems);
}

fn pick<T>(rng: &mut ChaCha8Rng, list: &[T]) -> Option<usize> {
    (!list.is_empty()).then(|| rng.random_range(0..list.len()))
}

/// One random edit that keeps `pm` valid. New names are fresh, so what is stored reads back
/// spelled as written.
fn edit(pm: &mut Postmortem, rng: &mut ChaCha8Rng, round: usize) {
    let n = rng.random_range(0..16);
    match n {
        0 => pm.timeline.shuffle(rng),
        1 => {
            if let Some(i) = pick(rng, &pm.timeline) {
                pm.timeline.remove(i);
            }
        }
        2 => {
            let at = pm.timeline.first().map_or(pm.created_at, |e| e.at);
            let i = rng.random_range(0..=pm.timeline.len());
            pm.timeline.insert(
                i,
                TimelineEvent {
                    id: new_id(),
                    at,
                    approximate: rng.random_bool(0.5),
                    kind: EventKind::Other,
                    marker: None,
                    text: format!("note {round}"),
                },
            );
        }
        3 => {
            pm.sections.shuffle(rng);
            if let Some(i) = pick(rng, &pm.sections) {
                pm.sections[i].body = format!("body {round}");
            }
        }
        4 => {
            if rng.random_bool(0.5) {
                if let Some(i) = pick(rng, &pm.sections) {
                    pm.sections.remove(i);
                }
            } else {
                pm.sections.push(Section {
                    id: new_id(),
                    key: format!("extra_{round}"),
                    heading: format!("Extra {round}"),
                    body: String::new(),
                });
            }
        }
        5 => {
            // A new chain, or one goes.
            if rng.random_bool(0.5) || pm.whys.is_empty() {
                let root = new_id();
                pm.whys.push(WhysChain {
                    id: new_id(),
                    problem: format!("problem {round}"),
                    steps: vec![WhyStep {
                        id: root,
                        parent_id: None,
                        question: "Why?".into(),
                        answer: format!("because {round}"),
                        evidence: vec![],
                    }],
                });
            } else if let Some(i) = pick(rng, &pm.whys) {
                let chain = pm.whys.remove(i);
                let gone: Vec<&str> = chain.steps.iter().map(|s| s.id.as_str()).collect();
                for f in &mut pm.contributing_factors {
                    if f.source_step_id.as_deref().is_some_and(|s| gone.contains(&s)) {
                        f.source_step_id = None;
                    }
                }
            }
        }
        6 => {
            // A leaf step moves to another chain (as a root or under a step there), or a new
            // step answers one.
            let Some(from) = pick(rng, &pm.whys) else { return };
            let to = rng.random_range(0..pm.whys.len());
            let leaves: Vec<usize> = (0..pm.whys[from].steps.len())
                .filter(|&j| {
                    let id = &pm.whys[from].steps[j].id;
                    pm.whys[from].steps.iter().all(|s| s.parent_id.as_ref() != Some(id))
                })
                .collect();
            let roll = rng.random_range(0..3);
            if roll == 0 && !leaves.is_empty() {
                // A leaf step goes.
                let gone = pm.whys[from].steps.remove(leaves[rng.random_range(0..leaves.len())]);
                for f in &mut pm.contributing_factors {
                    if f.source_step_id.as_ref() == Some(&gone.id) {
                        f.source_step_id = None;
                    }
                }
            } else if roll == 1 && !leaves.is_empty() {
                let mut step = pm.whys[from].steps.remove(leaves[rng.random_range(0..leaves.len())]);
                step.parent_id = pick(rng, &pm.whys[to].steps).map(|k| pm.whys[to].steps[k].id.clone());
                let at = rng.random_range(0..=pm.whys[to].steps.len());
                pm.whys[to].steps.insert(at, step);
            } else {
                let parent = pick(rng, &pm.whys[to].steps).map(|k| pm.whys[to].steps[k].id.clone());
                pm.whys[to].steps.insert(
                    0,
                    WhyStep {
                        id: new_id(),
                        parent_id: parent,
                        question: format!("why {round}?"),
                        answer: "because".into(),
                        evidence: vec![],
                    },
                );
            }
        }
        7 => {
            // Evidence changes; the steps of a chain change order; an answer changes.
            let Some(c) = pick(rng, &pm.whys) else { return };
            let events: Vec<String> = pm.timeline.iter().map(|e| e.id.clone()).collect();
            pm.whys[c].steps.shuffle(rng);
            if let Some(j) = pick(rng, &pm.whys[c].steps) {
                let mut evidence: Vec<String> = events.into_iter().filter(|_| rng.random_bool(0.4)).collect();
                evidence.shuffle(rng);
                pm.whys[c].steps[j].evidence = evidence;
                pm.whys[c].steps[j].answer = format!("answer {round}");
            }
        }
        8 => {
            // Fishbones: a new one or category, a category goes, categories reorder.
            match rng.random_range(0..4) {
                0 => pm.fishbones.push(Fishbone {
                    id: new_id(),
                    effect: format!("effect {round}"),
                    categories: vec![FishboneCategory { id: new_id(), name: "Tools".into(), causes: vec![] }],
                }),
                1 => {
                    if let Some(f) = pick(rng, &pm.fishbones) {
                        pm.fishbones[f].categories.push(FishboneCategory {
                            id: new_id(),
                            name: format!("category {round}"),
                            causes: vec![FishboneCause {
                                id: new_id(),
                                text: format!("cause {round}"),
                                children: vec![],
                            }],
                        });
                    }
                }
                2 => {
                    if let Some(f) = pick(rng, &pm.fishbones) {
                        if let Some(c) = pick(rng, &pm.fishbones[f].categories) {
                            pm.fishbones[f].categories.remove(c);
                        }
                    }
                }
                _ => {
                    if let Some(f) = pick(rng, &pm.fishbones) {
                        pm.fishbones[f].categories.shuffle(rng);
                    }
                    pm.fishbones.shuffle(rng);
                }
            }
            let causes: Vec<String> =
                pm.fishbones.iter().flat_map(|f| &f.categories).flat_map(|c| &c.causes).map(|c| c.id.clone()).collect();
            for f in &mut pm.contributing_factors {
                if f.source_cause_id.as_ref().is_some_and(|c| !causes.contains(c)) {
                    f.source_cause_id = None;
                }
            }
        }
        9 => {
            // A cause moves to another category (of any fishbone), keeping its children; or a
            // cause gets a child.
            let cats: Vec<(usize, usize)> = pm
                .fishbones
                .iter()
                .enumerate()
                .flat_map(|(f, fb)| (0..fb.categories.len()).map(move |c| (f, c)))
                .collect();
            let Some(a) = pick(rng, &cats) else { return };
            let b = rng.random_range(0..cats.len());
            let (fa, ca) = cats[a];
            let (fb, cb) = cats[b];
            if let Some(k) = pick(rng, &pm.fishbones[fa].categories[ca].causes) {
                let roll = rng.random_range(0..3);
                if roll == 0 {
                    let cause = pm.fishbones[fa].categories[ca].causes.remove(k);
                    pm.fishbones[fb].categories[cb].causes.insert(0, cause);
                } else if roll == 1 {
                    // The cause goes, and its children with it.
                    let gone = pm.fishbones[fa].categories[ca].causes.remove(k);
                    let mut ids = vec![];
                    let mut stack = vec![&gone];
                    while let Some(c) = stack.pop() {
                        ids.push(c.id.clone());
                        stack.extend(&c.children);
                    }
                    for f in &mut pm.contributing_factors {
                        if f.source_cause_id.as_ref().is_some_and(|c| ids.contains(c)) {
                            f.source_cause_id = None;
                        }
                    }
                } else {
                    pm.fishbones[fa].categories[ca].causes[k].children.push(FishboneCause {
                        id: new_id(),
                        text: format!("deeper {round}"),
                        children: vec![],
                    });
                }
            } else {
                pm.fishbones[fa].categories[ca].causes.push(FishboneCause {
                    id: new_id(),
                    text: format!("cause {round}"),
                    children: vec![],
                });
            }
        }
        10 => {
            // Factors: reorder, one goes, one comes.
            pm.contributing_factors.shuffle(rng);
            if rng.random_bool(0.5) {
                if let Some(i) = pick(rng, &pm.contributing_factors) {
                    pm.contributing_factors.remove(i);
                }
            } else {
                pm.contributing_factors.push(ContributingFactor {
                    id: new_id(),
                    text: format!("factor {round}"),
                    category: rng.random_bool(0.5).then(|| "Process".into()),
                    source_step_id: None,
                    source_cause_id: None,
                });
            }
        }
        11 => {
            // Action items: reorder, edit, one goes, one comes with a new owner.
            pm.action_items.shuffle(rng);
            match rng.random_range(0..3) {
                0 => {
                    if let Some(i) = pick(rng, &pm.action_items) {
                        pm.action_items.remove(i);
                    }
                }
                1 => {
                    if let Some(i) = pick(rng, &pm.action_items) {
                        let a = &mut pm.action_items[i];
                        a.title = format!("item {round}");
                        a.owner = if rng.random_bool(0.5) { None } else { Some(format!("Owner {round}")) };
                        a.status = if rng.random_bool(0.5) { ActionStatus::InProgress } else { ActionStatus::Open };
                    }
                }
                _ => pm.action_items.push(ActionItem {
                    id: new_id(),
                    title: format!("new item {round}"),
                    description: String::new(),
                    owner: Some(format!("Owner {round}")),
                    due_date: None,
                    priority: Priority::P2,
                    kind: ActionKind::Detect,
                    status: ActionStatus::Open,
                    wont_do_reason: None,
                    tracker_url: None,
                    created_at: pm.created_at,
                    completed_at: None,
                    source_step_id: None,
                    source_factor_id: None,
                }),
            }
        }
        12 => {
            // People: reorder, come and go; the incident commander changes.
            pm.authors.shuffle(rng);
            if rng.random_bool(0.5) {
                pm.authors.push(format!("Author {round}"));
            } else if pm.authors.len() > 1 {
                pm.authors.remove(0);
            }
            pm.reviewers = (0..rng.random_range(0..3)).map(|i| format!("Reviewer {round}.{i}")).collect();
            pm.incident_commander = rng.random_bool(0.7).then(|| format!("Commander {round}"));
            pm.participants.shuffle(rng);
            if rng.random_bool(0.5) {
                pm.participants.push(Participant { name: format!("Responder {round}"), role: "responder".into() });
            } else if let Some(i) = pick(rng, &pm.participants) {
                pm.participants[i].role = format!("role {round}");
            }
        }
        13 => {
            // Services, categories, tags: reorder, come and go.
            for list in [&mut pm.services, &mut pm.categories, &mut pm.tags] {
                list.shuffle(rng);
                match rng.random_range(0..3) {
                    0 => list.push(format!("name {round} {}", list.len())),
                    1 if !list.is_empty() => {
                        list.pop();
                    }
                    _ => {}
                }
            }
        }
        14 => {
            // The review history (a save through the library keeps it; the store writes it).
            if rng.random_bool(0.6) || pm.status_history.is_empty() {
                pm.status_history.push(StatusChange {
                    from: ReviewStatus::Draft,
                    to: ReviewStatus::InReview,
                    by: format!("Reviewer {round}"),
                    at: pm.created_at,
                });
            } else {
                pm.status_history.pop();
            }
        }
        _ => {
            pm.title = format!("Title {round}");
            pm.revenue_impact = rng.random_bool(0.5).then_some(round as f64);
        }
    }
}
/// The sample postmortem with the most child rows.
fn largest_sample(lib: &mut debrief::Library) -> Postmortem {
    lib.load_sample().unwrap();
    let doc = lib.export_document(&[]).unwrap();
    let rows = |p: &Postmortem| {
        p.sections.len()
            + p.timeline.len()
            + p.whys.iter().map(|c| c.steps.len() + 1).sum::<usize>()
            + p.fishbones.len()
            + p.contributing_factors.len()
            + p.action_items.len()
    };
    doc.postmortems.into_iter().max_by_key(rows).unwrap()
}

/// Times 200 saves of the largest sample postmortem, each changing one timeline event (as an
/// autosave does): first through a handle that cannot index (another handle holds the index
/// writer, so the changes stay queued: the database work alone), then through the one that
/// indexes each save. Prints figures, asserts nothing:
/// `cargo test -p debrief --test integration saving::timing -- --ignored --nocapture`.
#[test]
#[ignore = "timing; run with --ignored --nocapture"]
fn timing() {
    let (d, mut indexing) = library();
    let mut pm = largest_sample(&mut indexing);
    println!(
        "largest sample postmortem: {} sections, {} events, {} whys chains, {} factors, {} items",
        pm.sections.len(),
        pm.timeline.len(),
        pm.whys.len(),
        pm.contributing_factors.len(),
        pm.action_items.len()
    );
    let mut queueing = debrief::Library::open(d.path().join("lib")).unwrap();
    const SAVES: usize = 200;
    for (label, lib) in [("database only", &mut queueing), ("with indexing", &mut indexing)] {
        let started = Instant::now();
        for i in 0..SAVES {
            let n = pm.timeline.len();
            pm.timeline[i % n].text = format!("{label} edit {i}");
            pm = lib.save(pm).unwrap().postmortem;
        }
        let total = started.elapsed();
        println!("{SAVES} saves, {label}: {total:.2?} ({:.2} ms each)", total.as_secs_f64() * 1000.0 / SAVES as f64);
    }

    // A bigger one: the timeline eight times over (the copies unmarked) and the action items
    // four times over, database work only.
    let copy = |pm: &mut Postmortem, times: usize| {
        let events = pm.timeline.clone();
        let items = pm.action_items.clone();
        for _ in 1..times {
            pm.timeline.extend(events.iter().map(|e| TimelineEvent { id: new_id(), marker: None, ..e.clone() }));
        }
        for _ in 1..times / 2 {
            pm.action_items.extend(items.iter().map(|a| ActionItem { id: new_id(), ..a.clone() }));
        }
    };
    copy(&mut pm, 8);
    pm = queueing.save(pm).unwrap().postmortem;
    let started = Instant::now();
    for i in 0..SAVES {
        let n = pm.timeline.len();
        pm.timeline[i % n].text = format!("big edit {i}");
        pm = queueing.save(pm).unwrap().postmortem;
    }
    let total = started.elapsed();
    println!(
        "{SAVES} saves of it with {} events and {} items, database only: {total:.2?} ({:.2} ms each)",
        pm.timeline.len(),
        pm.action_items.len(),
        total.as_secs_f64() * 1000.0 / SAVES as f64
    );
}

/// Names read beforehand ([`postmortems::Spellings`], what a Markdown import uses) give a
/// postmortem the spellings a query per name gives: the stored spelling for a name that
/// matches but for ASCII case, and a name left as written when it matches only by non-ASCII
/// case (SQLite's NOCASE folds ASCII letters alone) or not at all.
#[test]
fn names_read_beforehand_take_the_stored_spellings_a_query_per_name_gives() {
    let (dir, mut lib) = crate::helpers::library();
    let mut stored = crate::helpers::rich_postmortem(&mut lib);
    stored.services = vec!["Ledger-Svc".into(), "überweisung".into()];
    stored.tags = vec!["DB".into()];
    stored.action_items[0].owner = Some("Priya Raman".into());
    lib.save(stored.clone()).unwrap();
    drop(lib);
    let conn = Connection::open(dir.path().join("lib").join(DB_FILE)).unwrap();
    let mut pm = Postmortem { id: new_id(), title: "An import".into(), ..stored };
    pm.authors = vec!["PRIYA RAMAN".into(), "someone new".into()];
    pm.incident_commander = Some("sofia alvarez".into());
    pm.services = vec!["ledger-svc".into(), "Überweisung".into(), "PAYMENTS-API".into()];
    pm.categories = vec!["Config Change".into()];
    pm.tags = vec!["db".into(), "database".into()];
    pm.users_affected_pct = Some(-0.0);
    let (mut by_query, mut from_memory) = (pm.clone(), pm);
    postmortems::as_loaded(&conn, &mut by_query).unwrap();
    postmortems::as_loaded_in(&postmortems::Spellings::load(&conn).unwrap(), &mut from_memory);
    assert_eq!(from_memory, by_query);
    assert_eq!(from_memory.authors, ["Priya Raman", "someone new"]);
    assert_eq!(from_memory.incident_commander.as_deref(), Some("Sofia Alvarez"));
    assert_eq!(from_memory.services, ["Ledger-Svc", "Überweisung", "payments-api"]);
    assert_eq!(from_memory.categories, ["config change"]);
    assert_eq!(from_memory.tags, ["DB", "database"]);
    assert!(from_memory.users_affected_pct.unwrap().is_sign_positive());
}
