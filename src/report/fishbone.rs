//! Automatic layout of a fishbone (Ishikawa) diagram: a horizontal spine ending in the effect,
//! category bones slanting away from the head alternately above and below the spine, and
//! causes written along each bone, sub-causes indented under their parent.
//!
//! The layout is pure geometry measured with the embedded font ([`super::fonts`]); the app
//! draws it as SVG with its own colours, [`super::svg`] writes it for export, and the PDF
//! reports draw the same numbers as vectors. Nothing here knows how it will be painted.
//!
//! How overlaps are avoided, so the reasoning can be checked rather than trusted:
//! - Every cause gets its own horizontal band; bands of one category are stacked, so labels of
//!   one bone never share a height.
//! - A label is placed left of its bone, with its right edge measured from the bone's position
//!   at the label's far edge (bones slant, so that is where the bone comes closest).
//! - Two neighbouring columns of bones are parallel, so the horizontal distance between them is
//!   the same at every height; columns are spaced by the widest band that must fit between.
//! - Sub-cause connectors run parallel to the bone, between the bone and every label of equal
//!   or deeper nesting, so they cross no text.
//!
//! `tests` checks the result rather than the reasoning: no two labels overlap and no line
//! crosses a label, for diagrams of 1 to 30 causes and random shapes.

use serde::Serialize;
use ts_rs::TS;

use super::fonts::{Font, Weight};
use crate::model::{Fishbone, FishboneCause};

const CAUSE_FONT: f32 = 11.0;
const CATEGORY_FONT: f32 = 12.0;
const EFFECT_FONT: f32 = 13.0;
const CAUSE_MAX_WIDTH: f32 = 170.0;
const CAUSE_MIN_WIDTH: f32 = 90.0;
const CAUSE_MAX_LINES: usize = 4;
const CATEGORY_MAX_WIDTH: f32 = 150.0;
const EFFECT_MAX_WIDTH: f32 = 170.0;
const EFFECT_MAX_LINES: usize = 6;
/// Horizontal run of a bone per unit of height (a bone leans about 63° from the spine).
const SLOPE: f32 = 0.5;
/// Space between a label and the bone (or connector) to its right.
const PAD: f32 = 6.0;
/// Extra leftward shift per level of nesting.
const INDENT: f32 = 18.0;
/// Space between a label and the rule under it.
const RULE_GAP: f32 = 2.0;
const ROW_GAP: f32 = 7.0;
/// Distance from the spine to the nearest band.
const FIRST_ROW: f32 = 14.0;
/// Bone beyond the farthest band, before the category label.
const BONE_TAIL: f32 = 12.0;
const MIN_BONE: f32 = 70.0;
/// Clear space between neighbouring columns.
const COLUMN_GAP: f32 = 16.0;
const MIN_COLUMN_SPACING: f32 = 60.0;
/// Shortest rule drawn under a label, so a one-letter cause still has a visible line.
const MIN_RULE: f32 = 16.0;
const FRAME_PAD_X: f32 = 8.0;
const FRAME_PAD_Y: f32 = 5.0;
const HEAD_GAP: f32 = 24.0;
const SPINE_TAIL: f32 = 30.0;
const MARGIN: f32 = 16.0;
/// Shown in place of an empty cause, category or effect.
const EMPTY: &str = "(empty)";

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width, rightwards from `x`.
    pub width: f32,
    /// Height, downwards from `y`.
    pub height: f32,
}

impl Rect {
    /// True when the two rectangles share interior area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }

    fn translate(&mut self, dx: f32, dy: f32) {
        self.x += dx;
        self.y += dy;
    }
}

/// A straight line from (x1, y1) to (x2, y2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Segment {
    /// Start, x.
    pub x1: f32,
    /// Start, y.
    pub y1: f32,
    /// End, x.
    pub x2: f32,
    /// End, y.
    pub y2: f32,
}

impl Segment {
    fn translate(&mut self, dx: f32, dy: f32) {
        self.x1 += dx;
        self.x2 += dx;
        self.y1 += dy;
        self.y2 += dy;
    }

    /// True when the segment passes through the inside of `rect` (touching an edge does not
    /// count). Clips the segment against the rectangle (Liang–Barsky).
    pub fn crosses(&self, rect: &Rect) -> bool {
        let (dx, dy) = (self.x2 - self.x1, self.y2 - self.y1);
        let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
        let checks = [
            (-dx, self.x1 - rect.x),
            (dx, rect.x + rect.width - self.x1),
            (-dy, self.y1 - rect.y),
            (dy, rect.y + rect.height - self.y1),
        ];
        for (p, q) in checks {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        // A positive-length piece inside, not just a touch at an edge or corner.
        if t1 - t0 <= 1e-4 {
            return false;
        }
        let (mx, my) = (self.x1 + dx * (t0 + t1) / 2.0, self.y1 + dy * (t0 + t1) / 2.0);
        mx > rect.x && mx < rect.x + rect.width && my > rect.y && my < rect.y + rect.height
    }
}

/// Horizontal alignment of the lines of a [`TextBox`] within its rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum TextAlign {
    /// Lines start at the left edge.
    Start,
    /// Lines are centred.
    Middle,
    /// Lines end at the right edge.
    End,
}

/// Lines of text placed in a rectangle: line `i` has its baseline at
/// `rect.y + ascent + i * line_height`, its x at the rectangle's left, centre or right edge.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TextBox {
    /// Where the text sits.
    pub rect: Rect,
    /// The text, already wrapped to fit the width.
    pub lines: Vec<String>,
    /// Font size in points.
    pub font_size: f32,
    /// Distance from one baseline to the next.
    pub line_height: f32,
    /// Distance from the top of the rectangle to the first baseline.
    pub ascent: f32,
    /// Set in the bold weight.
    pub bold: bool,
    /// How each line is placed between the rectangle's edges.
    pub align: TextAlign,
    /// The text did not fit and was cut with an ellipsis; the full text is in the owner.
    pub truncated: bool,
}

impl TextBox {
    fn new(text: &str, size: f32, weight: Weight, max_width: f32, max_lines: usize, align: TextAlign) -> TextBox {
        let font = Font::get(weight);
        // Backticks mark code in the Markdown people type everywhere else; a diagram label
        // cannot show code style, and raw backticks only add noise.
        let plain = text.replace('`', "");
        let shown = if plain.trim().is_empty() { EMPTY } else { plain.trim() };
        let wrapped = font.wrap(shown, size, max_width, max_lines);
        let line_height = font.line_height(size);
        TextBox {
            rect: Rect { x: 0.0, y: 0.0, width: wrapped.width, height: line_height * wrapped.lines.len() as f32 },
            lines: wrapped.lines,
            font_size: size,
            line_height,
            ascent: font.ascent(size),
            bold: weight == Weight::Bold,
            align,
            truncated: wrapped.truncated,
        }
    }

    /// The x at which line text starts for its alignment (SVG `text-anchor` semantics).
    pub fn anchor_x(&self) -> f32 {
        match self.align {
            TextAlign::Start => self.rect.x,
            TextAlign::Middle => self.rect.x + self.rect.width / 2.0,
            TextAlign::End => self.rect.x + self.rect.width,
        }
    }

    /// Baseline of line `i`.
    pub fn baseline(&self, i: usize) -> f32 {
        self.rect.y + self.ascent + self.line_height * i as f32
    }
}

/// One category bone.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BoneLayout {
    /// The fishbone category this bone draws.
    pub category_id: String,
    /// The category's name as written (the label may be cut).
    pub name: String,
    /// From the spine to the far end of the bone.
    pub line: Segment,
    /// The framed label at the far end.
    pub frame: Rect,
    /// The category's name, wrapped inside the frame.
    pub label: TextBox,
    /// Above the spine (else below).
    pub above: bool,
}

/// One cause written along a bone.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CauseLayout {
    /// The cause this label draws.
    pub cause_id: String,
    /// The category whose bone the cause is on.
    pub category_id: String,
    /// The cause this one is a sub-cause of; `None` on the bone itself.
    pub parent_id: Option<String>,
    /// 0 for a cause directly on the bone, 1 for its sub-causes, and so on.
    pub depth: u32,
    /// The full text (the label may be cut).
    pub text: String,
    /// The cause's text, wrapped and cut to fit.
    pub label: TextBox,
    /// The line the label sits on, joining the bone or the parent's connector.
    pub rule: Segment,
    /// For a sub-cause: the line parallel to the bone joining its rule to its parent's rule.
    pub connector: Option<Segment>,
}

/// A fishbone diagram laid out in points, origin at the top left.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct FishboneLayout {
    /// Width of the whole drawing.
    pub width: f32,
    /// Height of the whole drawing.
    pub height: f32,
    /// The horizontal spine, from the tail to the head.
    pub spine: Segment,
    /// The framed effect at the head of the fish.
    pub head: Rect,
    /// The effect's text, wrapped inside the head.
    pub effect: TextBox,
    /// One bone per category, in the fishbone's category order.
    pub bones: Vec<BoneLayout>,
    /// Every cause and sub-cause, each on its category's bone.
    pub causes: Vec<CauseLayout>,
}

impl FishboneLayout {
    /// Every rectangle that holds text: the head, each category frame, each cause label.
    pub fn label_rects(&self) -> Vec<(String, Rect)> {
        let mut out = vec![("effect".to_string(), self.head)];
        out.extend(self.bones.iter().map(|b| (format!("category {}", b.name), b.frame)));
        out.extend(self.causes.iter().map(|c| (format!("cause {}", c.text), c.label.rect)));
        out
    }

    /// Every line drawn, with what it belongs to.
    pub fn segments(&self) -> Vec<(String, Segment)> {
        let mut out = vec![("spine".to_string(), self.spine)];
        out.extend(self.bones.iter().map(|b| (format!("bone {}", b.name), b.line)));
        for c in &self.causes {
            out.push((format!("rule {}", c.text), c.rule));
            if let Some(connector) = c.connector {
                out.push((format!("connector {}", c.text), connector));
            }
        }
        out
    }

    fn translate(&mut self, dx: f32, dy: f32) {
        self.spine.translate(dx, dy);
        self.head.translate(dx, dy);
        self.effect.rect.translate(dx, dy);
        for bone in &mut self.bones {
            bone.line.translate(dx, dy);
            bone.frame.translate(dx, dy);
            bone.label.rect.translate(dx, dy);
        }
        for cause in &mut self.causes {
            cause.label.rect.translate(dx, dy);
            cause.rule.translate(dx, dy);
            if let Some(connector) = &mut cause.connector {
                connector.translate(dx, dy);
            }
        }
    }
}

/// A cause flattened to a row of its category, before placement.
struct Row<'a> {
    cause: &'a FishboneCause,
    parent_id: Option<&'a str>,
    /// Index of the parent's row in the same category (ids are not trusted to be unique).
    parent_row: Option<usize>,
    depth: u32,
    label: TextBox,
}

fn flatten<'a>(causes: &'a [FishboneCause], parent: Option<(&'a str, usize)>, depth: u32, out: &mut Vec<Row<'a>>) {
    for cause in causes {
        let max_width = (CAUSE_MAX_WIDTH - depth as f32 * 10.0).max(CAUSE_MIN_WIDTH);
        let label = TextBox::new(&cause.text, CAUSE_FONT, Weight::Regular, max_width, CAUSE_MAX_LINES, TextAlign::End);
        let index = out.len();
        out.push(Row { cause, parent_id: parent.map(|p| p.0), parent_row: parent.map(|p| p.1), depth, label });
        flatten(&cause.children, Some((&cause.id, index)), depth + 1, out);
    }
}

/// Height of a stack of rows: each label, its rule, and the gaps between rows.
fn block_height(rows: &[Row]) -> f32 {
    let labels: f32 = rows.iter().map(|r| r.label.rect.height + RULE_GAP).sum();
    labels + ROW_GAP * rows.len().saturating_sub(1) as f32
}

/// Offset, left of the bone, of the connector joining sub-causes at `depth` to their parent.
fn connector_offset(depth: u32) -> f32 {
    PAD + (depth as f32 - 1.0) * INDENT + INDENT / 2.0
}

/// Lays out `fishbone`. Categories alternate above and below the spine, first category
/// farthest from the head (read left to right, top then bottom).
pub fn layout(fishbone: &Fishbone) -> FishboneLayout {
    let categories: Vec<(Vec<Row>, TextBox)> = fishbone
        .categories
        .iter()
        .map(|category| {
            let mut rows = Vec::new();
            flatten(&category.causes, None, 0, &mut rows);
            let label =
                TextBox::new(&category.name, CATEGORY_FONT, Weight::Bold, CATEGORY_MAX_WIDTH, 2, TextAlign::Middle);
            (rows, label)
        })
        .collect();
    let above = |index: usize| index.is_multiple_of(2);
    let bone_length = |want_above: bool| {
        let longest = categories
            .iter()
            .enumerate()
            .filter(|(i, _)| above(*i) == want_above)
            .map(|(_, (rows, _))| block_height(rows))
            .fold(0.0, f32::max);
        (FIRST_ROW + longest + BONE_TAIL).max(MIN_BONE)
    };
    let (length_above, length_below) = (bone_length(true), bone_length(false));
    let frame_size = |label: &TextBox| (label.rect.width + 2.0 * FRAME_PAD_X, label.rect.height + 2.0 * FRAME_PAD_Y);

    // Where each column of bones meets the spine (spine at y = 0, first column at x = 0).
    let columns = categories.len().div_ceil(2);
    let mut spine_x = vec![0.0_f32; columns];
    for column in 1..columns {
        let mut spacing = MIN_COLUMN_SPACING;
        for index in [2 * column, 2 * column + 1] {
            let Some((rows, label)) = categories.get(index) else { continue };
            for row in rows {
                let width = row.label.rect.width.max(MIN_RULE);
                let needed = row.label.rect.height * SLOPE + PAD + row.depth as f32 * INDENT + width + COLUMN_GAP;
                spacing = spacing.max(needed);
            }
            // Frames at the far ends of neighbouring bones on the same side.
            let (left_label, this_label) = (&categories[index - 2].1, label);
            spacing = spacing.max((frame_size(left_label).0 + frame_size(this_label).0) / 2.0 + COLUMN_GAP);
        }
        spine_x[column] = spine_x[column - 1] + spacing;
    }

    let mut bones = Vec::new();
    let mut causes = Vec::new();
    for (index, (category, (rows, label))) in fishbone.categories.iter().zip(&categories).enumerate() {
        let xs = spine_x[index / 2];
        let is_above = above(index);
        let length = if is_above { length_above } else { length_below };
        let sign = if is_above { -1.0 } else { 1.0 };
        // Bone x at height y: the bone leans left as it leaves the spine.
        let bone_x = |y: f32| xs - y.abs() * SLOPE;
        let end = Segment { x1: xs, y1: 0.0, x2: bone_x(length), y2: sign * length };
        let (frame_w, frame_h) = frame_size(label);
        let frame_y = if is_above { -length - frame_h } else { length };
        let frame = Rect { x: end.x2 - frame_w / 2.0, y: frame_y, width: frame_w, height: frame_h };
        let mut text = label.clone();
        text.rect.x = frame.x + FRAME_PAD_X;
        text.rect.y = frame.y + FRAME_PAD_Y;
        bones.push(BoneLayout {
            category_id: category.id.clone(),
            name: category.name.clone(),
            line: end,
            frame,
            label: text,
            above: is_above,
        });

        // Rows read top to bottom on both sides: above the spine the block ends just over it,
        // below the spine it starts just under it.
        let mut y = if is_above { -FIRST_ROW - block_height(rows) } else { FIRST_ROW };
        let mut rule_ys: Vec<f32> = Vec::with_capacity(rows.len());
        for row in rows {
            let height = row.label.rect.height;
            let (top, bottom) = (y, y + height);
            let rule_y = bottom + RULE_GAP;
            let far = top.abs().max(bottom.abs());
            let right = xs - far * SLOPE - PAD - row.depth as f32 * INDENT;
            let mut label = row.label.clone();
            label.rect.x = right - label.rect.width;
            label.rect.y = top;
            let rule_end = if row.depth == 0 { bone_x(rule_y) } else { bone_x(rule_y) - connector_offset(row.depth) };
            let rule_start = label.rect.x.min(rule_end - MIN_RULE);
            let rule = Segment { x1: rule_start, y1: rule_y, x2: rule_end, y2: rule_y };
            let connector = row.parent_row.map(|parent| {
                let parent_y = rule_ys[parent];
                let offset = connector_offset(row.depth);
                Segment { x1: bone_x(rule_y) - offset, y1: rule_y, x2: bone_x(parent_y) - offset, y2: parent_y }
            });
            rule_ys.push(rule_y);
            causes.push(CauseLayout {
                cause_id: row.cause.id.clone(),
                category_id: category.id.clone(),
                parent_id: row.parent_id.map(str::to_string),
                depth: row.depth,
                text: row.cause.text.clone(),
                label,
                rule,
                connector,
            });
            y = rule_y + ROW_GAP;
        }
    }

    // The head sits right of the last column; the spine runs from a short tail to the head.
    let last_x = spine_x.last().copied().unwrap_or(0.0);
    let mut effect =
        TextBox::new(&fishbone.effect, EFFECT_FONT, Weight::Bold, EFFECT_MAX_WIDTH, EFFECT_MAX_LINES, TextAlign::Start);
    let (head_w, head_h) = (effect.rect.width + 2.0 * FRAME_PAD_X + 4.0, effect.rect.height + 2.0 * FRAME_PAD_Y + 4.0);
    let head = Rect { x: last_x + HEAD_GAP, y: -head_h / 2.0, width: head_w, height: head_h };
    effect.rect.x = head.x + FRAME_PAD_X + 2.0;
    effect.rect.y = head.y + FRAME_PAD_Y + 2.0;
    let spine = Segment { x1: -SPINE_TAIL, y1: 0.0, x2: head.x, y2: 0.0 };

    let mut result = FishboneLayout { width: 0.0, height: 0.0, spine, head, effect, bones, causes };
    let mut min = (f32::MAX, f32::MAX);
    let mut max = (f32::MIN, f32::MIN);
    let mut include = |x: f32, y: f32| {
        min = (min.0.min(x), min.1.min(y));
        max = (max.0.max(x), max.1.max(y));
    };
    for (_, r) in result.label_rects() {
        include(r.x, r.y);
        include(r.x + r.width, r.y + r.height);
    }
    for (_, s) in result.segments() {
        include(s.x1, s.y1);
        include(s.x2, s.y2);
    }
    result.translate(MARGIN - min.0, MARGIN - min.1);
    result.width = (max.0 - min.0 + 2.0 * MARGIN).ceil();
    result.height = (max.1 - min.1 + 2.0 * MARGIN).ceil();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FishboneCategory;
    use proptest::prelude::*;

    /// Every way the layout could draw text over text or a line through text.
    pub(crate) fn collisions(layout: &FishboneLayout) -> Vec<String> {
        let mut problems = Vec::new();
        let labels = layout.label_rects();
        for (i, (a, ra)) in labels.iter().enumerate() {
            for (b, rb) in &labels[i + 1..] {
                if ra.overlaps(rb) {
                    problems.push(format!("{a} overlaps {b}"));
                }
            }
            if ra.x < 0.0 || ra.y < 0.0 || ra.x + ra.width > layout.width || ra.y + ra.height > layout.height {
                problems.push(format!("{a} is outside the diagram"));
            }
        }
        for (line, segment) in layout.segments() {
            for (label, rect) in &labels {
                if segment.crosses(rect) {
                    problems.push(format!("{line} crosses {label}"));
                }
            }
        }
        problems
    }

    const WORDS: [&str; 24] = [
        "connection",
        "pool",
        "limit",
        "lowered",
        "retry",
        "storm",
        "config",
        "review",
        "missed",
        "alert",
        "threshold",
        "too",
        "high",
        "runbook",
        "outdated",
        "on-call",
        "handover",
        "DNS",
        "TTL",
        "certificate",
        "expiry",
        "unmonitored",
        "capacity",
        "headroom",
    ];

    fn cause(id: &str, text: &str, children: Vec<FishboneCause>) -> FishboneCause {
        FishboneCause { id: id.into(), text: text.into(), children }
    }

    fn diagram(categories: Vec<(&str, Vec<FishboneCause>)>) -> Fishbone {
        Fishbone {
            id: "f".into(),
            effect: "Checkout returned 502 for 38 minutes".into(),
            categories: categories
                .into_iter()
                .enumerate()
                .map(|(i, (name, causes))| FishboneCategory { id: format!("c{i}"), name: name.into(), causes })
                .collect(),
        }
    }

    /// `n` causes spread over the six default categories, with some nesting and long texts.
    fn with_causes(n: usize) -> Fishbone {
        let mut categories: Vec<(&str, Vec<FishboneCause>)> =
            Fishbone::DEFAULT_CATEGORIES.iter().map(|name| (*name, Vec::new())).collect();
        for i in 0..n {
            let words: Vec<&str> = (0..(3 + i * 7 % 14)).map(|w| WORDS[(i * 5 + w * 3) % WORDS.len()]).collect();
            let text = words.join(" ");
            let slot = &mut categories[i % 6].1;
            if i % 4 == 3 && !slot.is_empty() {
                let parent = slot.last_mut().unwrap();
                if i % 8 == 7 && !parent.children.is_empty() {
                    parent.children.last_mut().unwrap().children.push(cause(&format!("x{i}"), &text, vec![]));
                } else {
                    parent.children.push(cause(&format!("x{i}"), &text, vec![]));
                }
            } else {
                slot.push(cause(&format!("x{i}"), &text, vec![]));
            }
        }
        diagram(categories)
    }

    #[test]
    fn diagrams_of_one_to_thirty_causes_have_no_overlapping_labels() {
        for n in 1..=30 {
            let layout = layout(&with_causes(n));
            assert_eq!(layout.causes.len(), n);
            let problems = collisions(&layout);
            assert!(problems.is_empty(), "{n} causes: {problems:#?}");
        }
    }

    #[test]
    fn thirty_causes_stay_a_legible_size() {
        let layout = layout(&with_causes(30));
        // Fits a landscape page at a readable scale: not a ribbon, not a tower.
        assert!(layout.width < 1400.0 && layout.height < 1000.0, "{} x {}", layout.width, layout.height);
        assert!(layout.causes.iter().all(|c| c.label.font_size >= 11.0));
    }

    #[test]
    fn bones_alternate_sides_and_lean_away_from_the_head() {
        let layout = layout(&with_causes(12));
        let spine_y = layout.spine.y1;
        for (i, bone) in layout.bones.iter().enumerate() {
            assert_eq!(bone.above, i.is_multiple_of(2));
            assert_eq!(bone.line.y1, spine_y);
            assert!(bone.line.x2 < bone.line.x1, "bone {} leans left", bone.name);
            assert_eq!(bone.line.y2 < spine_y, bone.above);
        }
        assert!(layout.head.x > layout.bones.iter().map(|b| b.line.x1).fold(0.0, f32::max));
    }

    #[test]
    fn sub_causes_hang_off_their_parent() {
        let fishbone = diagram(vec![(
            "Technology",
            vec![cause(
                "a",
                "Pool exhausted",
                vec![cause("b", "Limit lowered to 20", vec![cause("c", "Typo fix", vec![])])],
            )],
        )]);
        let layout = layout(&fishbone);
        let by_id = |id: &str| layout.causes.iter().find(|c| c.cause_id == id).unwrap();
        let (a, b, c) = (by_id("a"), by_id("b"), by_id("c"));
        assert_eq!((a.depth, b.depth, c.depth), (0, 1, 2));
        assert_eq!(b.parent_id.as_deref(), Some("a"));
        let connector = b.connector.expect("sub-cause has a connector");
        assert_eq!(connector.y2, a.rule.y1, "connector reaches the parent's rule");
        assert!(connector.x2 > a.rule.x1 && connector.x2 < a.rule.x2);
        assert!(b.label.rect.x + b.label.rect.width < a.label.rect.x + a.label.rect.width, "indented");
        assert!(collisions(&layout).is_empty());
    }

    #[test]
    fn empty_and_degenerate_diagrams_still_lay_out() {
        let empty = Fishbone { id: "e".into(), effect: String::new(), categories: vec![] };
        let layout_empty = layout(&empty);
        assert_eq!(layout_empty.effect.lines, vec![EMPTY.to_string()]);
        assert!(layout_empty.width > 0.0 && layout_empty.height > 0.0);
        let bare = diagram(vec![("", vec![cause("a", "", vec![])]), ("Process", vec![])]);
        assert!(collisions(&layout(&bare)).is_empty());
    }

    #[test]
    fn an_overflowing_cause_is_cut_with_its_full_text_kept() {
        let long = WORDS.iter().cycle().take(80).copied().collect::<Vec<_>>().join(" ");
        let layout = layout(&diagram(vec![("Process", vec![cause("a", &long, vec![])])]));
        let only = &layout.causes[0];
        assert!(only.label.truncated);
        assert_eq!(only.label.lines.len(), CAUSE_MAX_LINES);
        assert_eq!(only.text, long);
    }

    fn arb_causes(depth: u32) -> BoxedStrategy<Vec<FishboneCause>> {
        let text = prop::collection::vec(prop::sample::select(WORDS.to_vec()), 1..16).prop_map(|w| w.join(" "));
        if depth == 0 {
            prop::collection::vec(text.prop_map(|t| cause("x", &t, vec![])), 0..4).boxed()
        } else {
            prop::collection::vec(
                (text, arb_causes(depth - 1)).prop_map(|(t, children)| cause("x", &t, children)),
                0..4,
            )
            .boxed()
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]
        #[test]
        fn random_diagrams_never_overlap(
            names in prop::collection::vec(prop::sample::select(vec!["People", "Process", "Technology",
                "Environment", "Timing", "Configuration", "Third-party vendors and contracts", "X"]), 1..9),
            causes in prop::collection::vec(arb_causes(2), 9),
        ) {
            let fishbone = diagram(names.into_iter().zip(causes).collect());
            let layout = layout(&fishbone);
            let problems = collisions(&layout);
            prop_assert!(problems.is_empty(), "{:#?}", problems);
        }
    }
}
