//! PDF reports through the `debrief` binary, checked with poppler's own tools: `pdftotext`
//! finds the text in reading order, `pdffonts` lists embedded fonts only, `pdftoppm` renders
//! every page, and `pdftotext -bbox` places every word inside the page margins.

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use debrief::report::pdf::canvas::{MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH};
use serde_json::{json, Value};

fn debrief(lib: &Path) -> Command {
    let mut c = Command::cargo_bin("debrief").unwrap();
    c.arg("--library").arg(lib);
    c
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Process::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool} runs (poppler-utils): {e}"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The PDF's text in reading order, one string.
fn text(pdf: &Path) -> String {
    poppler("pdftotext", &[pdf.to_str().unwrap(), "-"])
}

/// Asserts that each of `needles` occurs in `haystack`, in that order.
fn in_order(haystack: &str, needles: &[&str]) {
    let mut at = 0;
    for needle in needles {
        match haystack[at..].find(needle) {
            Some(i) => at += i + needle.len(),
            None => panic!("{needle:?} not found after byte {at} in:\n{}", &haystack[..haystack.len().min(3000)]),
        }
    }
}

/// Every font embedded, every page rendered, every word inside the margins; returns the page count.
fn check_pages(pdf: &Path) -> usize {
    let p = pdf.to_str().unwrap();
    let fonts = poppler("pdffonts", &[p]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type (two words), encoding, emb, sub, uni, object, id
        assert_eq!(cols[cols.len() - 5], "yes", "a font is not embedded: {row}");
    }
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    poppler("pdftoppm", &["-r", "20", "-png", p, prefix.to_str().unwrap()]);
    let rendered = std::fs::read_dir(dir.path()).unwrap().count();
    let bbox = poppler("pdftotext", &["-bbox", p, "-"]);
    let words =
        regex::Regex::new(r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<"#).unwrap();
    let mut count = 0;
    for w in words.captures_iter(&bbox) {
        let n = |i: usize| w[i].parse::<f32>().unwrap();
        let (x0, y0, x1, y1) = (n(1), n(2), n(3), n(4));
        assert!(
            x0 >= MARGIN_X - 1.0 && x1 <= PAGE_WIDTH - MARGIN_X + 1.0 && y0 >= 20.0 && y1 <= PAGE_HEIGHT - 20.0,
            "{:?} at ({x0}, {y0})-({x1}, {y1}) is outside the margins",
            &w[5]
        );
        count += 1;
    }
    assert!(count > 50, "only {count} words");
    let pages = bbox.matches("<page ").count();
    assert_eq!(rendered, pages, "pdftoppm rendered every page");
    pages
}

fn first_id(lib: &Path) -> (String, String) {
    let out = debrief(lib).args(["list", "--json"]).output().unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &list.as_array().unwrap()[0];
    (first["id"].as_str().unwrap().to_string(), first["title"].as_str().unwrap().to_string())
}

#[test]
fn a_postmortem_pdf_reads_in_order_embeds_its_fonts_and_stays_inside_the_margins() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    debrief(&lib).arg("demo").assert().success();
    let (id, title) = first_id(&lib);
    let pdf = dir.path().join("one.pdf");
    debrief(&lib).args(["export", &id, "--format", "pdf", "--out"]).arg(&pdf).assert().success();
    let pages = check_pages(&pdf);
    assert!(pages >= 2);
    let t = text(&pdf);
    let words: Vec<&str> = title.split_whitespace().take(3).collect();
    in_order(
        &t,
        &[
            &words.join(" "),
            "People and impact",
            "Time to detect",
            "Summary",
            "Timeline of events",
            "Contributing factors",
            "Action items",
        ],
    );
    assert!(t.contains(&format!("Page 1 of {pages}")) && t.contains(&format!("Page {pages} of {pages}")));
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains(&format!("Title:           {title}")), "{info}");
    assert!(info.contains("Subject:         Postmortem of a SEV"), "{info}");
    assert!(info.contains("Author:"), "{info}");
    // An outline by section: one entry per numbered part, and the reader opens it.
    let raw = std::fs::read(&pdf).unwrap();
    let has = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"/Outlines") && has(b"UseOutlines"), "the PDF has an outline and opens with it");
    let entries = raw.windows(5).filter(|w| w == b"/Dest").count();
    assert!(entries >= 8, "{entries} outline entries");

    // Several ids, or none, write a folder of files.
    let folder = dir.path().join("all");
    debrief(&lib).args(["export", "--format", "pdf", "--out"]).arg(&folder).assert().success();
    let files = std::fs::read_dir(&folder).unwrap().count();
    assert_eq!(files, 49, "one PDF per postmortem of the sample library");
}

#[test]
fn a_hard_postmortem_lays_out_without_clipping_and_reports_what_the_fonts_lack() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    debrief(&lib).arg("demo").assert().success();
    let (id, _) = first_id(&lib);
    let doc_path = dir.path().join("doc.json");
    debrief(&lib).args(["export", &id, "--format", "json", "--out"]).arg(&doc_path).assert().success();
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&doc_path).unwrap()).unwrap();
    let pm = &mut doc["postmortems"][0];
    let url = "https://grafana.example.com/d/abc123/checkout-latency?orgId=1&from=now-6h&to=now&var-cluster=prod-eu-west-1&var-namespace=payments";
    let trace = (0..60)
        .map(|i| format!("    at com.example.payments.PoolManager.acquire{i}(PoolManager.java:{i})"))
        .collect::<Vec<_>>()
        .join("\n");
    let markdown = format!(
        "# Heading one\n\n## Heading two\n\nPlain, *emphasis*, **strong**, `inline code`, ~~struck~~ and a [link]({url}).\n\n\
         A bare URL: {url}\n\nUnbrokenstring{}\n\n- one\n  - nested two\n    - nested three\n- [x] a task\n\n1. first\n2. second\n\n\
         > A quote that goes on for a while so that it wraps onto a second line of the quoted block.\n\n\
         ```\n{trace}\n```\n\n| Service | Region | Note |\n|---|---|---|\n| payments-api | eu-west-1 | {url} |\n| checkout | us-east-1 | fine |\n\n---\n\n\
         Ελληνικά: Ωμέγα αστοχία. Кириллица: Отказ базы данных. Accents: café, naïve, Zürich, São Paulo, Øresund.\n\n\
         Not in the fonts: 日本語 and 🙂.",
        "x".repeat(400)
    );
    pm["sections"][0]["body"] = json!(markdown);
    let day = pm["incident_date"].as_str().unwrap().to_string();
    let events: Vec<Value> = (0..200)
        .map(|i| {
            json!({
                "id": format!("00000000-0000-4000-8000-{:012}", i),
                "at": format!("{day}T{:02}:{:02}:00Z", 10 + i / 60, i % 60),
                "approximate": i % 7 == 0,
                "kind": "other",
                "marker": null,
                "text": if i % 50 == 0 { format!("Long one: {url} {}", "word ".repeat(60)) } else { format!("Event {i}: Ωμέγα Отказ café") },
            })
        })
        .collect();
    pm["timeline"] = json!(events);
    pm["whys"] = json!([]);
    pm["contributing_factors"] = json!([]);
    pm["action_items"].as_array_mut().unwrap().iter_mut().for_each(|a| {
        a["source_step_id"] = Value::Null;
        a["source_factor_id"] = Value::Null;
    });
    std::fs::write(&doc_path, serde_json::to_string(&doc).unwrap()).unwrap();
    debrief(&lib).args(["import"]).arg(&doc_path).assert().success();

    let pdf = dir.path().join("hard.pdf");
    let out = debrief(&lib).args(["export", &id, "--format", "pdf", "--out"]).arg(&pdf).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no glyph for") && stderr.contains('日') && stderr.contains('🙂'), "{stderr}");
    let pages = check_pages(&pdf);
    assert!(pages > 6, "200 events take pages: {pages}");
    let t = text(&pdf);
    in_order(
        &t,
        &[
            "Heading one",
            "Heading two",
            "emphasis",
            "strong",
            "inline code",
            "PoolManager.acquire59",
            "Ωμέγα αστοχία",
            "Отказ базы данных",
            "Zürich",
            "\u{FFFD}",
            "Event 199",
        ],
    );
    // The table header is repeated on every page the timeline continues on.
    let headers = t.matches("What happened").count();
    assert!(headers >= 4, "header repeated: {headers}");
    // The link is an annotation.
    let raw = std::fs::read(&pdf).unwrap();
    assert!(raw.windows(4).any(|w| w == b"/URI"), "a link annotation");
}

#[test]
fn the_digest_tells_stories_first_then_figures_and_ends_reproducibly() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    debrief(&lib).arg("demo").assert().success();
    let today = debrief::clock::today();
    let from = today - chrono::Duration::days(364);
    let pdf = dir.path().join("digest.pdf");
    debrief(&lib)
        .args(["digest", "--from", &from.to_string(), "--to", &today.to_string(), "--out"])
        .arg(&pdf)
        .assert()
        .success();
    check_pages(&pdf);
    let t = text(&pdf);
    in_order(
        &t,
        &[
            "Learning review",
            "Library: lib",
            "Summary",
            "SEV1",
            "The most instructive incidents",
            "SEV1 first",
            "STORY 1",
            "Key figures",
            "Incidents over time",
            "Repeat patterns and families",
            "Prevention ROI",
            "Action-item follow-through",
            "Near misses",
            "Appendix: every incident in the period",
            "How these figures were made",
            "SHA-256",
        ],
    );
    assert!(t.contains(&format!("debrief digest --from {from} --to {today}")));
    // The charts' own text (a histogram's bins) is real, searchable text, not outlines.
    assert!(t.contains("5–15m") && t.contains("1–2h"), "chart labels are text");
    // Each story fits on one page: story n+1 is on the page after story n.
    let pages: Vec<&str> = t.split('\u{c}').collect();
    let page_of = |n: usize| pages.iter().position(|p| p.contains(&format!("STORY {n}\n")));
    let stories: Vec<usize> = (1..=5).map_while(page_of).collect();
    assert!(stories.len() >= 3, "3 to 5 stories: {stories:?}");
    for pair in stories.windows(2) {
        assert_eq!(pair[1], pair[0] + 1, "a story took more than one page: {stories:?}");
    }
    assert!(pages[*stories.last().unwrap() + 1].contains("Key figures"), "the last story fits on its page too");
}

#[test]
fn anonymized_pdfs_name_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib");
    debrief(&lib).arg("demo").assert().success();
    let json = dir.path().join("all.json");
    debrief(&lib).args(["export", "--format", "json", "--out"]).arg(&json).assert().success();
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let mut people = Vec::new();
    for pm in doc["postmortems"].as_array().unwrap() {
        let names = |v: &Value| {
            v.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(String::from)).collect::<Vec<_>>()
        };
        people.extend(names(&pm["authors"]));
        people.extend(names(&pm["reviewers"]));
        people.extend(pm["incident_commander"].as_str().map(String::from));
        people
            .extend(pm["participants"].as_array().unwrap().iter().filter_map(|p| p["name"].as_str().map(String::from)));
        people.extend(
            pm["action_items"].as_array().unwrap().iter().filter_map(|a| a["owner"].as_str().map(String::from)),
        );
    }
    people.sort();
    people.dedup();
    assert!(people.len() > 10);

    let today = debrief::clock::today();
    let from = today - chrono::Duration::days(364);
    let digest = dir.path().join("digest.pdf");
    debrief(&lib)
        .args(["digest", "--anonymize", "--from", &from.to_string(), "--to", &today.to_string(), "--out"])
        .arg(&digest)
        .assert()
        .success();
    let (id, _) = first_id(&lib);
    let one = dir.path().join("one.pdf");
    debrief(&lib).args(["export", &id, "--anonymize", "--format", "pdf", "--out"]).arg(&one).assert().success();
    for pdf in [&digest, &one] {
        // pdftotext may break a name across lines; compare with whitespace folded.
        let t = text(pdf).split_whitespace().collect::<Vec<_>>().join(" ");
        let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
        for person in &people {
            assert!(!t.contains(person.as_str()), "{person} named in {}", pdf.display());
            assert!(!info.contains(person.as_str()), "{person} in the metadata of {}", pdf.display());
        }
        assert!(t.contains("anonymized"), "the reader is told");
    }
}
