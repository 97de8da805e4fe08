//! Saving a postmortem: one load of the stored document, and only the child rows that
//! differ are written.

use std::time::Instant;

use crate::helpers::library;
use debrief::model::*;

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
}
