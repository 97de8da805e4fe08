//! The page surface under every PDF report: A4 pages of printpdf drawing operations in a
//! top-down coordinate space (points from the page's top-left corner, as a reader measures),
//! the four embedded faces, links, the outline, and the document's metadata.
//!
//! printpdf 0.12 places text where it is told and nothing more, so everything here is explicit:
//! the flow layout above decides positions from the fonts' real advances, and this module only
//! turns them into operations. Text is cleaned before it is measured: a character none of the
//! embedded fonts can draw becomes a visible replacement mark and is remembered, so the caller
//! can report it instead of the PDF dropping it silently.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use printpdf::{
    Actions, BorderArray, Color, ColorArray, FontId, HighlightingMode, Line, LineCapStyle, LineJoinStyle, LinePoint,
    LinkAnnotation, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point,
    Polygon, PolygonRing, Pt, Rgb, TextItem, TextMatrix, WindingOrder,
};

use crate::report::fonts::Face;

/// A4 width in points.
pub const PAGE_WIDTH: f32 = 595.28;
/// A4 height in points.
pub const PAGE_HEIGHT: f32 = 841.89;
/// Left and right margins: nothing but the page furniture is drawn outside them.
pub const MARGIN_X: f32 = 54.0;
/// Top margin; the running header sits above it.
pub const MARGIN_TOP: f32 = 66.0;
/// Bottom margin; the page number sits below it.
pub const MARGIN_BOTTOM: f32 = 60.0;
/// Width of the text column.
pub const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

/// What is drawn for a character none of the fonts has.
pub const REPLACEMENT: char = '\u{FFFD}';

/// A colour, each channel 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colour {
    /// Red.
    pub r: f32,
    /// Green.
    pub g: f32,
    /// Blue.
    pub b: f32,
}

impl Colour {
    /// A colour from 8-bit channels.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Colour {
        Colour { r: r as f32 / 255.0, g: g as f32 / 255.0, b: b as f32 / 255.0 }
    }

    /// The colour seen when this one is painted at `opacity` over white paper.
    pub fn over_white(self, opacity: f32) -> Colour {
        let a = opacity.clamp(0.0, 1.0);
        let mix = |c: f32| c * a + (1.0 - a);
        Colour { r: mix(self.r), g: mix(self.g), b: mix(self.b) }
    }

    fn pdf(self) -> Color {
        Color::Rgb(Rgb::new(self.r, self.g, self.b, None))
    }
}

/// One point of a vector path, in page space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathPoint {
    /// Starts a new subpath.
    Move(f32, f32),
    /// A straight segment to here.
    Line(f32, f32),
    /// A cubic Bézier segment: two control points, then the end.
    Cubic(f32, f32, f32, f32, f32, f32),
    /// Closes the current subpath.
    Close,
}

/// How a shape is painted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paint {
    /// Fill colour, if filled.
    pub fill: Option<Colour>,
    /// Stroke colour and width in points, if stroked.
    pub stroke: Option<(Colour, f32)>,
    /// Fill by the even-odd rule rather than non-zero winding.
    pub even_odd: bool,
}

impl Paint {
    /// Filled only.
    pub fn fill(colour: Colour) -> Paint {
        Paint { fill: Some(colour), stroke: None, even_odd: false }
    }

    /// Stroked only.
    pub fn stroke(colour: Colour, width: f32) -> Paint {
        Paint { fill: None, stroke: Some((colour, width)), even_odd: false }
    }
}

/// The PDF's document information.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// The document title (the reader's window title).
    pub title: String,
    /// Who it is by.
    pub author: String,
    /// What it is about.
    pub subject: String,
    /// Search keywords.
    pub keywords: Vec<String>,
    /// When it was produced.
    pub produced: DateTime<Utc>,
}

fn parsed(face: Face) -> &'static ParsedFont {
    static FONTS: [OnceLock<ParsedFont>; 4] = [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    FONTS[face as usize].get_or_init(|| {
        let mut warnings = Vec::new();
        // The font files are compiled in and known good; failing here is a broken build.
        ParsedFont::from_bytes(face.ttf(), 0, &mut warnings).expect("embedded font parses for the PDF")
    })
}

fn pt(x: f32, y: f32) -> Point {
    Point { x: Pt(x), y: Pt(PAGE_HEIGHT - y) }
}

/// How far drawing had got: see [`Canvas::checkpoint`].
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pages: usize,
    ops: usize,
    outline: usize,
}

/// Pages being drawn, and what the finished PDF will hold besides them.
pub struct Canvas {
    doc: PdfDocument,
    fonts: [FontId; 4],
    used: [BTreeSet<char>; 4],
    pages: Vec<Vec<Op>>,
    outline: Vec<(String, usize)>,
    missing: BTreeSet<char>,
}

impl Canvas {
    /// An empty document with the embedded faces registered.
    pub fn new(title: &str) -> Canvas {
        // The fonts are added when the document is finished, subset to the characters used.
        let fonts = Face::ALL.map(|_| FontId::new());
        Canvas {
            doc: PdfDocument::new(title),
            fonts,
            used: Default::default(),
            pages: Vec::new(),
            outline: Vec::new(),
            missing: BTreeSet::new(),
        }
    }

    /// Adds a blank page at the end; returns its index (0-based).
    pub fn add_page(&mut self) -> usize {
        self.pages.push(Vec::new());
        self.pages.len() - 1
    }

    /// How far drawing has got: what [`Canvas::rollback`] returns to.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint { pages: self.pages.len(), ops: self.pages.last().map_or(0, Vec::len), outline: self.outline.len() }
    }

    /// Removes every page, operation and outline entry added since `at`. (Characters it used
    /// stay in the font subsets, which only makes them a little larger.)
    pub fn rollback(&mut self, at: &Checkpoint) {
        self.pages.truncate(at.pages);
        if let Some(last) = self.pages.last_mut() {
            last.truncate(at.ops);
        }
        self.outline.truncate(at.outline);
    }

    /// How many pages there are.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Characters that no embedded font could draw, each shown as [`REPLACEMENT`].
    pub fn missing(&self) -> &BTreeSet<char> {
        &self.missing
    }

    /// `text` as `face` can draw it: tabs become spaces, other control and invisible format
    /// characters are left out, and a character the face lacks becomes [`REPLACEMENT`]
    /// (and is remembered in [`Canvas::missing`]).
    pub fn clean(&mut self, text: &str, face: Face) -> String {
        let font = face.font();
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\t' => out.push_str("    "),
                c if c.is_control() => {}
                // Zero-width and directional marks, variation selectors and the byte-order mark
                // draw nothing in any font.
                '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}' => {}
                c if font.has_glyph(c) => out.push(c),
                c if c.is_whitespace() => out.push(' '),
                c => {
                    // A face without the glyph, when another face has it, still counts as missing
                    // here: mixing faces inside a word would break the measured layout.
                    self.missing.insert(c);
                    out.push(if font.has_glyph(REPLACEMENT) { REPLACEMENT } else { '?' });
                }
            }
        }
        out
    }

    fn use_font(&mut self, face: Face, text: &str) -> PdfFontHandle {
        self.used[face as usize].extend(text.chars());
        PdfFontHandle::External(self.fonts[face as usize].clone())
    }

    /// Draws `text` (already [cleaned](Canvas::clean)) with its baseline at `y`.
    #[allow(clippy::too_many_arguments)]
    pub fn text(&mut self, page: usize, x: f32, y: f32, face: Face, size: f32, colour: Colour, text: &str) {
        if text.is_empty() {
            return;
        }
        let font = self.use_font(face, text);
        self.pages[page].extend([
            Op::StartTextSection,
            Op::SetFont { font, size: Pt(size) },
            Op::SetFillColor { col: colour.pdf() },
            Op::SetTextCursor { pos: pt(x, y) },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
        ]);
    }

    /// Draws `text` with its baseline starting at (`x`, `y`) and running in the direction
    /// (`cos`, `sin`) of page space (y down): (1, 0) is ordinary text, (0, -1) reads upwards.
    #[allow(clippy::too_many_arguments)]
    pub fn text_turned(
        &mut self,
        page: usize,
        (x, y): (f32, f32),
        (cos, sin): (f32, f32),
        face: Face,
        size: f32,
        colour: Colour,
        text: &str,
    ) {
        if text.is_empty() {
            return;
        }
        let font = self.use_font(face, text);
        // PDF space has y up, so the direction's y flips.
        let (c, s) = (cos, -sin);
        self.pages[page].extend([
            Op::StartTextSection,
            Op::SetFont { font, size: Pt(size) },
            Op::SetFillColor { col: colour.pdf() },
            Op::SetTextMatrix { matrix: TextMatrix::Raw([c, s, -s, c, x, PAGE_HEIGHT - y]) },
            Op::ShowText { items: vec![TextItem::Text(text.to_string())] },
            Op::EndTextSection,
        ]);
    }

    /// Draws a rectangle with its top-left corner at (`x`, `y`).
    #[allow(clippy::too_many_arguments)]
    pub fn rect(&mut self, page: usize, x: f32, y: f32, width: f32, height: f32, paint: Paint) {
        let corners = [
            PathPoint::Move(x, y),
            PathPoint::Line(x + width, y),
            PathPoint::Line(x + width, y + height),
            PathPoint::Line(x, y + height),
            PathPoint::Close,
        ];
        self.path(page, &corners, paint);
    }

    /// Draws a straight line.
    pub fn line(&mut self, page: usize, from: (f32, f32), to: (f32, f32), colour: Colour, width: f32) {
        self.path(page, &[PathPoint::Move(from.0, from.1), PathPoint::Line(to.0, to.1)], Paint::stroke(colour, width));
    }

    /// Draws a path of one or more subpaths.
    pub fn path(&mut self, page: usize, points: &[PathPoint], paint: Paint) {
        let subpaths = subpaths(points);
        if subpaths.is_empty() {
            return;
        }
        let ops = &mut self.pages[page];
        ops.push(Op::SaveGraphicsState);
        if let Some(fill) = paint.fill {
            ops.push(Op::SetFillColor { col: fill.pdf() });
            let rings = subpaths.iter().map(|(points, _)| PolygonRing { points: points.clone() }).collect();
            let winding_order = if paint.even_odd { WindingOrder::EvenOdd } else { WindingOrder::NonZero };
            ops.push(Op::DrawPolygon { polygon: Polygon { rings, mode: PaintMode::Fill, winding_order } });
        }
        if let Some((colour, width)) = paint.stroke {
            ops.push(Op::SetOutlineColor { col: colour.pdf() });
            ops.push(Op::SetOutlineThickness { pt: Pt(width) });
            ops.push(Op::SetLineCapStyle { cap: LineCapStyle::Round });
            ops.push(Op::SetLineJoinStyle { join: LineJoinStyle::Round });
            for (points, closed) in subpaths {
                ops.push(Op::DrawLine { line: Line { points, is_closed: closed } });
            }
        }
        ops.push(Op::RestoreGraphicsState);
    }

    /// Makes the box with its top-left corner at (`x`, `y`) a link to `url`.
    pub fn link(&mut self, page: usize, x: f32, y: f32, width: f32, height: f32, url: &str) {
        let rect = printpdf::Rect {
            x: Pt(x),
            y: Pt(PAGE_HEIGHT - y - height),
            width: Pt(width),
            height: Pt(height),
            mode: None,
            winding_order: None,
        };
        let link = LinkAnnotation::new(
            rect,
            Actions::Uri(url.to_string()),
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            Some(ColorArray::Transparent),
            Some(HighlightingMode::Invert),
        );
        self.pages[page].push(Op::LinkAnnotation { link });
    }

    /// Adds an outline entry (a bookmark) for `page`. Entries on one page are ordered by
    /// title in printpdf, so callers number them when order matters.
    pub fn bookmark(&mut self, title: &str, page: usize) {
        self.outline.push((title.to_string(), page));
    }

    /// The outline so far: each entry's title and page index.
    pub fn outline(&self) -> &[(String, usize)] {
        &self.outline
    }

    /// The finished PDF file.
    pub fn finish(mut self, meta: &Metadata) -> Vec<u8> {
        let info = &mut self.doc.metadata.info;
        info.document_title = meta.title.clone();
        info.author = meta.author.clone();
        info.subject = meta.subject.clone();
        info.keywords = meta.keywords.clone();
        info.creator = format!("Debrief {}", env!("CARGO_PKG_VERSION"));
        info.producer = format!("Debrief {} (printpdf)", env!("CARGO_PKG_VERSION"));
        let date = printpdf::OffsetDateTime::from_unix_timestamp(meta.produced.timestamp())
            .unwrap_or_else(|_| printpdf::OffsetDateTime::now());
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
        for (title, page) in std::mem::take(&mut self.outline) {
            // printpdf numbers pages from 1.
            self.doc.add_bookmark(&title, page + 1);
        }
        for face in Face::ALL {
            let used = &self.used[face as usize];
            if !used.is_empty() {
                let font = subset(face, used).unwrap_or_else(|| parsed(face).clone());
                self.doc.resources.fonts.map.insert(self.fonts[face as usize].clone(), PdfFont::new(font));
            }
        }
        let pages = std::mem::take(&mut self.pages)
            .into_iter()
            .map(|ops| PdfPage::new(Mm::from(Pt(PAGE_WIDTH)), Mm::from(Pt(PAGE_HEIGHT)), ops))
            .collect();
        self.doc.with_pages(pages);
        let options = PdfSaveOptions { subset_fonts: true, ..Default::default() };
        let mut warnings = Vec::new();
        self.doc.save(&options, &mut warnings)
    }
}

/// `face` cut down to the glyphs of `chars` (allsorts renumbers them; the subset's own cmap
/// maps each character to its new glyph). `None` if the font cannot be subset, and then the
/// whole font is embedded instead.
fn subset(face: Face, chars: &BTreeSet<char>) -> Option<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};

    let font = face.font();
    let mut glyphs: Vec<u16> = chars.iter().filter_map(|&c| font.glyph_id(c)).collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    // Glyph 0 (.notdef) must come first.
    let glyphs: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
    let data = ReadScope::new(face.ttf()).read::<FontData<'_>>().ok()?;
    let provider = data.table_provider(0).ok()?;
    let bytes = subset(&provider, &glyphs, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()?;
    let mut warnings = Vec::new();
    let mut parsed = ParsedFont::from_bytes(&bytes, 0, &mut warnings)?;
    // A subset font's name carries a six-letter tag (ISO 32000-1, 9.6.4).
    let tag = ["DBRFAA", "DBRFAB", "DBRFAC", "DBRFAD"][face as usize];
    parsed.font_name = Some(format!("{tag}+{}", face.postscript_name()));
    Some(parsed)
}

/// Splits path points into printpdf subpaths: each a list of points (control points flagged)
/// and whether it is closed.
fn subpaths(points: &[PathPoint]) -> Vec<(Vec<LinePoint>, bool)> {
    let mut out: Vec<(Vec<LinePoint>, bool)> = Vec::new();
    let on = |x: f32, y: f32| LinePoint { p: pt(x, y), bezier: false };
    let control = |x: f32, y: f32| LinePoint { p: pt(x, y), bezier: true };
    for point in points {
        match *point {
            PathPoint::Move(x, y) => out.push((vec![on(x, y)], false)),
            PathPoint::Line(x, y) => match out.last_mut() {
                Some((sub, false)) => sub.push(on(x, y)),
                _ => out.push((vec![on(x, y)], false)),
            },
            PathPoint::Cubic(x1, y1, x2, y2, x, y) => {
                if let Some((sub, false)) = out.last_mut() {
                    sub.extend([control(x1, y1), control(x2, y2), on(x, y)]);
                }
            }
            PathPoint::Close => {
                if let Some(last) = out.last_mut() {
                    last.1 = true;
                }
            }
        }
    }
    out.retain(|(points, _)| points.len() > 1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_keeps_what_the_font_draws_and_marks_the_rest() {
        let mut canvas = Canvas::new("t");
        assert_eq!(canvas.clean("Ωμέγα Юля café\tx", Face::Regular), "Ωμέγα Юля café    x");
        assert!(canvas.missing().is_empty());
        let cleaned = canvas.clean("日本\u{200B}x\u{7}", Face::Regular);
        assert_eq!(cleaned, format!("{REPLACEMENT}{REPLACEMENT}x"));
        assert_eq!(canvas.missing().iter().collect::<String>(), "日本");
    }

    #[test]
    fn subpaths_split_on_moves_and_keep_curves_flagged() {
        let sub = subpaths(&[
            PathPoint::Move(0.0, 0.0),
            PathPoint::Cubic(1.0, 1.0, 2.0, 2.0, 3.0, 3.0),
            PathPoint::Close,
            PathPoint::Move(5.0, 5.0),
            PathPoint::Line(6.0, 6.0),
            PathPoint::Move(9.0, 9.0),
        ]);
        assert_eq!(sub.len(), 2, "a lone move draws nothing");
        assert!(sub[0].1);
        assert_eq!(sub[0].0.iter().filter(|p| p.bezier).count(), 2);
        assert!(!sub[1].1);
        assert_eq!(sub[1].0[0].p.y, Pt(PAGE_HEIGHT - 5.0));
    }
}
