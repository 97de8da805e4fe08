//! Timeline import on real postmortems written elsewhere (DFDS's published postmortems, copied
//! with their license into tests/fixtures/corpus/dfds-2019-2020): every timeline section reads
//! without error, in the zone its document states.

use debrief::exchange::timeline::parse_lines;

#[test]
fn every_dfds_timeline_section_parses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus/dfds-2019-2020");
    let mut parsed = 0;
    let mut failed = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the DFDS fixtures are in the repository") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("PM") || name.contains("template") {
            continue;
        }
        let doc = std::fs::read_to_string(&path).unwrap();
        let Some(start) = doc.find("## Timeline") else { continue };
        let body = &doc[start + "## Timeline".len()..];
        let section = &body[..body.find("\n## ").unwrap_or(body.len())];
        // Keep table rows and list items; prose lines ("All times in CET.") state the zone.
        let zone = if section.contains("UTC") { "UTC" } else { "CET" };
        let lines: Vec<&str> = section
            .lines()
            .filter(|l| {
                l.trim_start().starts_with('|') || l.trim_start().starts_with("- ") || l.trim_start().starts_with("* ")
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        let events = match parse_lines(&lines.join("\n"), None, zone) {
            Ok(events) => events,
            Err(e) => {
                // Real documents have typos (a year written 20202): the error must point at
                // the line and quote it, so the user can fix it.
                let msg = e.to_string();
                assert!(msg.starts_with("line ") && msg.contains('"'), "{name}: unhelpful error {msg}");
                failed.push(name);
                continue;
            }
        };
        assert!(events.len() >= 2, "{name}: {events:?}");
        assert!(events.windows(2).all(|w| w[0].at <= w[1].at || w[1].approximate), "{name}: out of order");
        parsed += 1;
    }
    assert!(parsed >= 10, "only {parsed} timelines parsed; failed: {failed:?}");
    assert!(failed.len() <= 1, "{failed:?}");
}
