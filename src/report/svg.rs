//! A fishbone layout written as a standalone SVG document, and rasterised to PNG with resvg
//! using the same embedded fonts the layout was measured with. Text stays text in the SVG
//! (searchable, editable); the PNG is exact because it never depends on installed fonts.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use super::fishbone::{FishboneLayout, TextBox};
use super::fonts::{BOLD_TTF, FAMILY, REGULAR_TTF};
use crate::error::{Error, Result};

const INK: &str = "#1f2937";
const SPINE: &str = "#334155";
const BONE: &str = "#64748b";
const RULE: &str = "#94a3b8";
const FRAME_FILL: &str = "#e2e8f0";
const HEAD_FILL: &str = "#9f1239";

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn text(out: &mut String, label: &TextBox, fill: &str, full_text: Option<&str>) {
    let anchor = match label.align {
        super::fishbone::TextAlign::Start => "start",
        super::fishbone::TextAlign::Middle => "middle",
        super::fishbone::TextAlign::End => "end",
    };
    let weight = if label.bold { " font-weight=\"bold\"" } else { "" };
    let _ = write!(out, "<text font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{fill}\"{weight}>", label.font_size);
    if let Some(full) = full_text.filter(|_| label.truncated) {
        let _ = write!(out, "<title>{}</title>", escape(full));
    }
    for (i, line) in label.lines.iter().enumerate() {
        let _ =
            write!(out, "<tspan x=\"{:.1}\" y=\"{:.1}\">{}</tspan>", label.anchor_x(), label.baseline(i), escape(line));
    }
    out.push_str("</text>\n");
}

fn line(out: &mut String, s: &super::fishbone::Segment, stroke: &str, width: f32) {
    let _ = writeln!(
        out,
        "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{stroke}\" stroke-width=\"{width}\" stroke-linecap=\"round\"/>",
        s.x1, s.y1, s.x2, s.y2
    );
}

/// The diagram as an SVG document, titled with the effect.
pub fn fishbone_svg(layout: &FishboneLayout, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"{FAMILY}, Verdana, sans-serif\" style=\"font-kerning: none\">",
        w = layout.width,
        h = layout.height
    );
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    line(&mut out, &layout.spine, SPINE, 3.0);
    for bone in &layout.bones {
        line(&mut out, &bone.line, BONE, 2.0);
    }
    for cause in &layout.causes {
        line(&mut out, &cause.rule, RULE, 1.0);
        if let Some(connector) = &cause.connector {
            line(&mut out, connector, RULE, 1.0);
        }
    }
    for bone in &layout.bones {
        let f = bone.frame;
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"4\" fill=\"{FRAME_FILL}\" stroke=\"{BONE}\"/>",
            f.x, f.y, f.width, f.height
        );
        text(&mut out, &bone.label, INK, Some(&bone.name));
    }
    let h = layout.head;
    let _ = writeln!(
        out,
        "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\" fill=\"{HEAD_FILL}\"/>",
        h.x, h.y, h.width, h.height
    );
    text(&mut out, &layout.effect, "#ffffff", Some(title));
    for cause in &layout.causes {
        text(&mut out, &cause.label, INK, Some(&cause.text));
    }
    out.push_str("</svg>\n");
    out
}

fn font_database() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(REGULAR_TTF.to_vec());
        db.load_font_data(BOLD_TTF.to_vec());
        db.set_sans_serif_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Parses an SVG document of ours with the embedded fonts, laying out its text.
pub fn parse(svg: &str) -> Result<resvg::usvg::Tree> {
    let options = resvg::usvg::Options { fontdb: font_database(), ..Default::default() };
    resvg::usvg::Tree::from_str(svg, &options).map_err(|e| Error::Render(format!("the SVG could not be read: {e}")))
}

/// Rasterises an SVG document to PNG at `scale` (2.0 for crisp text on high-density screens).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>> {
    let tree = parse(svg)?;
    let size = tree.size();
    let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w.max(1), h.max(1))
        .ok_or_else(|| Error::Render(format!("an image of {w} x {h} pixels is too large")))?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| Error::Render(format!("the PNG could not be written: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fishbone, FishboneCategory, FishboneCause};
    use crate::report::fishbone::layout;

    fn sample() -> Fishbone {
        Fishbone {
            id: "f".into(),
            effect: "Checkout 502s <after> pool change".into(),
            categories: vec![FishboneCategory {
                id: "c".into(),
                name: "Config & deploy".into(),
                causes: vec![FishboneCause { id: "a".into(), text: "Pool limit 200 -> 20".into(), children: vec![] }],
            }],
        }
    }

    #[test]
    fn the_svg_is_well_formed_and_escapes_text() {
        let fishbone = sample();
        let svg = fishbone_svg(&layout(&fishbone), &fishbone.effect);
        assert!(svg.contains("Config &amp; deploy"));
        assert!(svg.contains("&lt;after&gt;"));
        assert!(svg.contains("Pool limit 200 -&gt; 20"));
        // resvg parses it, which a malformed document would not survive.
        let png = svg_to_png(&svg, 1.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
