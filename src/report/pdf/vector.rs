//! SVG drawings (the Insights charts and the fishbone) copied into a PDF page as vectors.
//!
//! The charts and the fishbone are drawn once, as SVG, by `report::charts` and
//! `report::svg`; the app shows the same documents. Here usvg parses one (with the embedded
//! fonts, so its text is laid out by the metrics we print with) and its tree is walked into
//! PDF paths and text: shapes keep their exact geometry, and text stays text, in the same
//! faces, so a reader can search and copy the figures. Opacity is flattened against white
//! paper, which is what every drawing here sits on.

use resvg::usvg::{self, tiny_skia_path::PathSegment, Node, Transform};

use super::canvas::{Canvas, Colour, Paint, PathPoint};
use crate::report::fonts::Face;
use crate::Result;

/// Where a drawing goes on a page: its top-left corner and the points per SVG pixel.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    /// The page.
    pub page: usize,
    /// Left edge on the page.
    pub x: f32,
    /// Top edge on the page.
    pub y: f32,
    /// Points per SVG pixel.
    pub scale: f32,
}

impl Placement {
    fn map(&self, ts: &Transform, x: f32, y: f32) -> (f32, f32) {
        let (px, py) = (ts.sx * x + ts.kx * y + ts.tx, ts.ky * x + ts.sy * y + ts.ty);
        (self.x + px * self.scale, self.y + py * self.scale)
    }
}

/// Draws the SVG document `svg` at `at`; returns its size in points.
pub fn draw_svg(canvas: &mut Canvas, svg: &str, at: Placement) -> Result<(f32, f32)> {
    let tree = crate::report::svg::parse(svg)?;
    draw_group(canvas, &tree, tree.root(), at, 1.0);
    let size = tree.size();
    Ok((size.width() * at.scale, size.height() * at.scale))
}

/// The size of an SVG document in its own pixels.
pub fn svg_size(svg: &str) -> Result<(f32, f32)> {
    let size = crate::report::svg::parse(svg)?.size();
    Ok((size.width(), size.height()))
}

fn colour(paint: &usvg::Paint) -> Option<Colour> {
    match paint {
        usvg::Paint::Color(c) => Some(Colour::rgb(c.red, c.green, c.blue)),
        // Gradients and patterns are not used by our drawings.
        _ => None,
    }
}

fn draw_group(canvas: &mut Canvas, tree: &usvg::Tree, group: &usvg::Group, at: Placement, opacity: f32) {
    let opacity = opacity * group.opacity().get();
    for node in group.children() {
        match node {
            Node::Group(g) => draw_group(canvas, tree, g, at, opacity),
            Node::Path(p) => draw_path(canvas, p, at, opacity),
            Node::Text(t) => draw_text(canvas, tree, t, at, opacity),
            Node::Image(_) => {}
        }
    }
}

fn draw_path(canvas: &mut Canvas, path: &usvg::Path, at: Placement, opacity: f32) {
    if !path.is_visible() {
        return;
    }
    let ts = path.abs_transform();
    let mut points = Vec::new();
    let mut current = (0.0, 0.0);
    for segment in path.data().segments() {
        match segment {
            PathSegment::MoveTo(p) => {
                current = (p.x, p.y);
                let (x, y) = at.map(&ts, p.x, p.y);
                points.push(PathPoint::Move(x, y));
            }
            PathSegment::LineTo(p) => {
                current = (p.x, p.y);
                let (x, y) = at.map(&ts, p.x, p.y);
                points.push(PathPoint::Line(x, y));
            }
            PathSegment::QuadTo(c, p) => {
                // A quadratic curve as the cubic that draws it exactly.
                let c1 = (current.0 + 2.0 / 3.0 * (c.x - current.0), current.1 + 2.0 / 3.0 * (c.y - current.1));
                let c2 = (p.x + 2.0 / 3.0 * (c.x - p.x), p.y + 2.0 / 3.0 * (c.y - p.y));
                let (a, b, e) = (at.map(&ts, c1.0, c1.1), at.map(&ts, c2.0, c2.1), at.map(&ts, p.x, p.y));
                points.push(PathPoint::Cubic(a.0, a.1, b.0, b.1, e.0, e.1));
                current = (p.x, p.y);
            }
            PathSegment::CubicTo(c1, c2, p) => {
                let (a, b, e) = (at.map(&ts, c1.x, c1.y), at.map(&ts, c2.x, c2.y), at.map(&ts, p.x, p.y));
                points.push(PathPoint::Cubic(a.0, a.1, b.0, b.1, e.0, e.1));
                current = (p.x, p.y);
            }
            PathSegment::Close => points.push(PathPoint::Close),
        }
    }
    let fill = path.fill().and_then(|f| colour(f.paint()).map(|c| (c, f.opacity().get(), f.rule())));
    let stroke = path.stroke().and_then(|s| colour(s.paint()).map(|c| (c, s.opacity().get(), s.width().get())));
    let scale = (ts.sx * ts.sy - ts.kx * ts.ky).abs().sqrt() * at.scale;
    let paint = Paint {
        fill: fill.map(|(c, o, _)| c.over_white(o * opacity)),
        stroke: stroke.map(|(c, o, w)| (c.over_white(o * opacity), (w * scale).max(0.1))),
        even_odd: fill.is_some_and(|(_, _, rule)| rule == usvg::FillRule::EvenOdd),
    };
    if paint.fill.is_some() || paint.stroke.is_some() {
        canvas.path(at.page, &points, paint);
    }
}

fn draw_text(canvas: &mut Canvas, tree: &usvg::Tree, text: &usvg::Text, at: Placement, opacity: f32) {
    let ts = text.abs_transform();
    for span in text.layouted() {
        if !span.visible {
            continue;
        }
        let Some(first) = span.positioned_glyphs.first() else { continue };
        let string: String = span.positioned_glyphs.iter().map(|g| g.text.as_str()).collect();
        let bold = tree.fontdb().face(first.font).is_some_and(|f| f.weight.0 >= 600);
        let face = if bold { Face::Bold } else { Face::Regular };
        let glyph = ts.pre_concat(first.transform());
        let origin = at.map(&glyph, 0.0, 0.0);
        let ahead = at.map(&glyph, 1.0, 0.0);
        let (dx, dy) = (ahead.0 - origin.0, ahead.1 - origin.1);
        let length = (dx * dx + dy * dy).sqrt();
        if length <= f32::EPSILON {
            continue;
        }
        let size = span.font_size.get() * (ts.sx * ts.sy - ts.kx * ts.ky).abs().sqrt() * at.scale;
        let fill =
            span.fill.as_ref().and_then(|f| colour(f.paint()).map(|c| c.over_white(f.opacity().get() * opacity)));
        let cleaned = canvas.clean(&string, face);
        canvas.text_turned(
            at.page,
            origin,
            (dx / length, dy / length),
            face,
            size,
            fill.unwrap_or(super::flow::INK),
            &cleaned,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_text_of_an_svg_become_pdf_operations() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" font-family="DejaVu Sans">
            <rect x="10" y="10" width="50" height="30" rx="4" fill="#9f1239" fill-opacity="0.5"/>
            <path d="M 0 90 Q 50 50 100 90" stroke="#000" fill="none"/>
            <text x="100" y="50" font-size="12" transform="rotate(-90 100 50)">Incidents</text>
            </svg>"##;
        let mut canvas = Canvas::new("t");
        let page = canvas.add_page();
        let size = draw_svg(&mut canvas, svg, Placement { page, x: 50.0, y: 50.0, scale: 0.5 }).unwrap();
        assert_eq!(size, (100.0, 50.0));
        let pdf = canvas.finish(&crate::report::pdf::tests::metadata());
        assert!(pdf.starts_with(b"%PDF"));
    }
}
