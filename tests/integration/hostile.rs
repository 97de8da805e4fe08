//! Hostile content in every export (issue 16, item 6): text carrying script, event handlers,
//! `javascript:` and `data:` links, SVG with script, smuggled HTML and spreadsheet formulas is
//! written as text. CSV cells never start a formula (and import back exactly), JSON keeps the
//! text as written, Markdown escapes it so no renderer makes a tag or link of it (and imports
//! back exactly), the PDF prints it as text,
//! and the app's Markdown preview leaves nothing that could run.

use debrief::exchange::timeline;
use debrief::model::Postmortem;
use debrief::progress::Progress;
use debrief::wire::ActionFilter;
use debrief::Library;

use crate::helpers::{library, rich_postmortem};

const PAYLOADS: &[&str] = &[
    "<script>alert('script')</script>",
    "<img src=x onerror=\"alert('img')\">",
    "[open me](javascript:alert('js'))",
    "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<svg onload=\"alert('svg')\"><script>alert('svg')</script></svg>",
    "<details open ontoggle=\"alert('details')\"><summary>x</summary></details>",
];
const FORMULAS: &[&str] = &["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1"];

fn hostile(lib: &mut Library) -> Postmortem {
    let mut pm = rich_postmortem(lib);
    pm.title = "<img src=x onerror=alert(1)> Checkout 502s".into();
    pm.sections[0].body = PAYLOADS.join("\n\n");
    for (i, f) in FORMULAS.iter().enumerate() {
        if let Some(e) = pm.timeline.get_mut(i) {
            e.text = (*f).to_string();
        }
    }
    pm.action_items[0].title = FORMULAS[0].into();
    pm.action_items[0].description = FORMULAS[3].into();
    pm.action_items[0].owner = Some("=cmd|' /C calc'!A0".into());
    lib.save(pm).unwrap().postmortem
}

#[test]
fn csv_cells_never_start_a_formula_and_come_back_exactly() {
    let (dir, mut lib) = library();
    let pm = hostile(&mut lib);
    let csv = lib.export_actions_csv(&ActionFilter::default(), debrief::clock::today()).unwrap();
    let timeline_file = dir.path().join("timeline.csv");
    lib.export_timeline_csv_file(&pm.id, &timeline_file).unwrap();
    let timeline_csv = std::fs::read_to_string(&timeline_file).unwrap();
    for text in [&csv, &timeline_csv] {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "a cell starts a formula: {cell:?}");
            }
        }
    }
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    // Back in, exactly as written.
    let rows = debrief::exchange::actions_csv::parse(&csv, "actions.csv", debrief::clock::now()).unwrap();
    let item = rows.iter().find(|r| r.item.id == pm.action_items[0].id).unwrap();
    assert_eq!(item.item.title, pm.action_items[0].title);
    assert_eq!(item.item.description, pm.action_items[0].description);
    assert_eq!(item.item.owner, pm.action_items[0].owner);
    let events = timeline::parse_csv(&timeline_csv, None, "UTC").unwrap();
    let texts: Vec<&str> = events.iter().map(|e| e.text.as_str()).collect();
    for f in FORMULAS.iter().take(pm.timeline.len()) {
        assert!(texts.contains(f), "{f:?} not read back: {texts:?}");
    }
}

#[test]
fn json_and_markdown_keep_the_text_as_written_and_the_pdf_prints_it() {
    let (dir, mut lib) = library();
    let pm = hostile(&mut lib);
    let json = dir.path().join("lib.json");
    lib.export_json_file(std::slice::from_ref(&pm.id), &json).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(doc["postmortems"][0]["sections"][0]["body"], pm.sections[0].body);

    let md = dir.path().join("pm.md");
    lib.export_markdown(std::slice::from_ref(&pm.id), &md, false, &mut Progress::none()).unwrap();
    let (_other_dir, mut other) = library();
    other
        .import_markdown(
            &Library::files_to_import(std::slice::from_ref(&md)).unwrap(),
            debrief::library::MarkdownImport::default(),
            &mut Progress::none(),
        )
        .unwrap();
    let back = other.get(&pm.id).unwrap().postmortem;
    assert_eq!(back.sections[0].body, pm.sections[0].body);
    assert_eq!(back.title, pm.title);
    // And inert wherever the file is read: a renderer (front matter being metadata, as git
    // hosts and site generators treat it) makes no tag and no script link of it.
    let html = rendered(&std::fs::read_to_string(&md).unwrap());
    let lower = html.to_lowercase();
    for bad in ["<script", "<img", "<svg", "<details", "href=\"javascript:", "href=\"data:", "src=\"data:"] {
        assert!(!lower.contains(bad), "{bad} is active in the rendered Markdown export:\n{html}");
    }
    assert!(html.contains("&lt;script&gt;alert"), "the payload shows as text:\n{html}");

    let pdf = dir.path().join("pm.pdf");
    lib.export_pdf(std::slice::from_ref(&pm.id), &pdf, false, &mut Progress::none()).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("<img src=x onerror=alert(1)>"), "the title is printed as text:\n{text}");
    assert!(text.contains("=HYPERLINK"), "{text}");
}

/// `markdown` as a CommonMark + GFM renderer makes it.
fn rendered(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

#[test]
fn the_markdown_preview_leaves_nothing_that_runs() {
    let html = debrief::review::markdown::render(&PAYLOADS.join("\n\n"));
    let lower = html.to_lowercase();
    for bad in ["<script", "onerror", "onload", "ontoggle", "javascript:", "data:text", "<svg", "<iframe"] {
        assert!(!lower.contains(bad), "{bad} survived: {html}");
    }
    assert!(html.contains("open me"), "the link text stays: {html}");
}
