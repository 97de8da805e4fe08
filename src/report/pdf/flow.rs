//! Flow layout for the PDF reports: styled text broken into lines by the embedded fonts' real
//! advances, paragraphs and list items that continue across pages, headings kept with what
//! follows them, and tables whose rows break across pages with the header repeated.
//!
//! A [`Flow`] is a cursor down the text column of the current page. Everything placed through
//! it stays inside the margins: words too wide for the column are split between characters,
//! and a block that does not fit in what is left of a page moves to the next one. The running
//! header and the "page N of M" footer are drawn at the end, when the page count is known.

use super::canvas::{
    Canvas, Colour, Paint, CONTENT_WIDTH, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH,
};
use crate::report::fonts::Face;

/// Body text.
pub const INK: Colour = Colour::rgb(0x1f, 0x29, 0x37);
/// Secondary text: captions, labels, the page furniture.
pub const MUTED: Colour = Colour::rgb(0x5b, 0x64, 0x72);
/// Links.
pub const LINK: Colour = Colour::rgb(0x1d, 0x4e, 0xd8);
/// Table rules and separators.
pub const RULE: Colour = Colour::rgb(0xcb, 0xd2, 0xdb);
/// Table headers and code backgrounds.
pub const SHADE: Colour = Colour::rgb(0xf1, 0xf3, 0xf6);
/// The accent of headings and the cover.
pub const ACCENT: Colour = Colour::rgb(0x9f, 0x12, 0x39);

/// Body text size in points.
pub const BODY: f32 = 10.0;
/// Table and caption text size in points.
pub const SMALL: f32 = 8.5;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.38;
/// Baseline below a line's top, as a multiple of the font size (DejaVu's ascent plus half
/// the extra leading).
const BASELINE: f32 = 1.06;
/// Cell padding in tables.
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.0;

/// How a run of text looks.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// The face it is drawn in.
    pub face: Face,
    /// Size in points.
    pub size: f32,
    /// Its colour.
    pub colour: Colour,
    /// Where it links to, for a link.
    pub link: Option<String>,
    /// Inline code: drawn on a shaded background.
    pub code: bool,
    /// Struck through.
    pub strike: bool,
}

impl Style {
    /// Body text.
    pub fn body() -> Style {
        Style { face: Face::Regular, size: BODY, colour: INK, link: None, code: false, strike: false }
    }

    /// Small text, as in tables and captions.
    pub fn small() -> Style {
        Style { size: SMALL, ..Style::body() }
    }

    /// The same style in `face`.
    pub fn face(mut self, face: Face) -> Style {
        self.face = face;
        self
    }

    /// The same style at `size` points.
    pub fn size(mut self, size: f32) -> Style {
        self.size = size;
        self
    }

    /// The same style in `colour`.
    pub fn colour(mut self, colour: Colour) -> Style {
        self.colour = colour;
        self
    }

    /// Height of a line of this style.
    pub fn line_height(&self) -> f32 {
        self.size * LEADING
    }
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The text; `\n` forces a line break.
    pub text: String,
    /// How it looks.
    pub style: Style,
}

impl Span {
    /// A span of `text` in `style`.
    pub fn new(text: impl Into<String>, style: Style) -> Span {
        Span { text: text.into(), style }
    }
}

/// A stretch of one line in one style, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The text, cleaned for its face.
    pub text: String,
    /// How it looks.
    pub style: Style,
    /// Offset from the line's left edge.
    pub x: f32,
    /// Its advance width.
    pub width: f32,
}

/// One laid-out line.
#[derive(Debug, Clone, PartialEq)]
pub struct LaidLine {
    /// Its runs, left to right.
    pub runs: Vec<Run>,
    /// Width of the text on it.
    pub width: f32,
    /// Height of the line box.
    pub height: f32,
    /// Baseline below the line's top.
    pub baseline: f32,
}

struct Frag {
    text: String,
    style: Style,
    width: f32,
}

#[derive(Default)]
struct Word {
    frags: Vec<Frag>,
    width: f32,
    /// Width of the space before it, in the style of that space.
    space: f32,
    hard_break_before: bool,
}

fn width_of(text: &str, style: &Style) -> f32 {
    style.face.font().width(text, style.size)
}

/// Breaks styled text into words, cleaning each span for its face.
fn words(canvas: &mut Canvas, spans: &[Span]) -> Vec<Word> {
    let mut words = Vec::new();
    let mut current = Word::default();
    let mut pending_space: Option<f32> = None;
    let mut pending_break = false;
    let finish = |current: &mut Word, words: &mut Vec<Word>| {
        if !current.frags.is_empty() {
            words.push(std::mem::take(current));
        }
    };
    for span in spans {
        let text = span.text.replace("\r\n", "\n");
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                finish(&mut current, &mut words);
                pending_break = true;
                pending_space = None;
            }
            let cleaned = canvas.clean(line, span.style.face);
            for (j, piece) in cleaned.split(' ').enumerate() {
                if j > 0 {
                    finish(&mut current, &mut words);
                    if !pending_break && (!words.is_empty() || pending_space.is_some()) {
                        pending_space = Some(width_of(" ", &span.style));
                    }
                }
                if piece.is_empty() {
                    continue;
                }
                if current.frags.is_empty() {
                    current.space = pending_space.take().unwrap_or(0.0);
                    current.hard_break_before = std::mem::take(&mut pending_break);
                }
                let width = width_of(piece, &span.style);
                current.width += width;
                current.frags.push(Frag { text: piece.to_string(), style: span.style.clone(), width });
            }
        }
    }
    finish(&mut current, &mut words);
    words
}

/// Splits a word wider than `width` into pieces that each fit, between characters.
fn split_word(word: Word, width: f32) -> Vec<Word> {
    let mut pieces = Vec::new();
    let mut current = Word::default();
    for frag in word.frags {
        let mut text = String::new();
        for c in frag.text.chars() {
            let w = width_of(&c.to_string(), &frag.style);
            if current.width + w > width && (current.width > 0.0 || !text.is_empty()) {
                if !text.is_empty() {
                    let tw = width_of(&text, &frag.style);
                    current.frags.push(Frag { text: std::mem::take(&mut text), style: frag.style.clone(), width: tw });
                }
                current.width = current.frags.iter().map(|f| f.width).sum();
                pieces.push(std::mem::take(&mut current));
            }
            text.push(c);
            current.width += w;
        }
        if !text.is_empty() {
            let tw = width_of(&text, &frag.style);
            current.frags.push(Frag { text, style: frag.style.clone(), width: tw });
            current.width = current.frags.iter().map(|f| f.width).sum();
        }
    }
    if !current.frags.is_empty() {
        pieces.push(current);
    }
    if let Some(first) = pieces.first_mut() {
        first.space = word.space;
        first.hard_break_before = word.hard_break_before;
    }
    pieces
}

fn close_line(runs: Vec<Run>, fallback: &Style) -> LaidLine {
    let size = runs.iter().map(|r| r.style.size).fold(0.0, f32::max);
    let size = if size > 0.0 { size } else { fallback.size };
    let width = runs.last().map_or(0.0, |r| r.x + r.width);
    LaidLine { runs, width, height: size * LEADING, baseline: size * BASELINE }
}

/// Lays out styled text in lines no wider than `width`.
pub fn layout(canvas: &mut Canvas, spans: &[Span], width: f32) -> Vec<LaidLine> {
    let fallback = spans.first().map(|s| s.style.clone()).unwrap_or_else(Style::body);
    let mut lines = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    let mut x = 0.0;
    for word in words(canvas, spans) {
        let pieces = if word.width > width { split_word(word, width) } else { vec![word] };
        for (k, piece) in pieces.into_iter().enumerate() {
            // The pieces of a split word after the first each start a line of their own.
            let breaks =
                !runs.is_empty() && (k > 0 || piece.hard_break_before || x + piece.space + piece.width > width);
            if breaks {
                lines.push(close_line(std::mem::take(&mut runs), &fallback));
                x = 0.0;
            }
            if !runs.is_empty() {
                x += piece.space;
            }
            for frag in piece.frags {
                // Join a fragment to the run before it when the style goes on, so each line
                // draws in as few text operations as it can. Without kerning, the advance of
                // "a b" is exactly that of "a", " " and "b".
                let joined = match runs.last_mut() {
                    Some(last) if last.style == frag.style => {
                        let gap = x - (last.x + last.width);
                        let glue = if gap.abs() < 0.01 {
                            Some("")
                        } else if (gap - width_of(" ", &last.style)).abs() < 0.01 {
                            Some(" ")
                        } else {
                            None
                        };
                        glue.map(|glue| {
                            last.text.push_str(glue);
                            last.text.push_str(&frag.text);
                            last.width = x + frag.width - last.x;
                        })
                        .is_some()
                    }
                    _ => false,
                };
                if !joined {
                    runs.push(Run { text: frag.text, style: frag.style, x, width: frag.width });
                }
                x += frag.width;
            }
        }
    }
    if !runs.is_empty() || lines.is_empty() {
        lines.push(close_line(runs, &fallback));
    }
    lines
}

/// Lays out preformatted text (a code block): every line kept, spaces kept, and a line too
/// wide for `width` continued on the next line.
pub fn layout_pre(canvas: &mut Canvas, text: &str, style: &Style, width: f32) -> Vec<LaidLine> {
    let mut lines = Vec::new();
    let text = text.strip_suffix('\n').unwrap_or(text);
    for source in text.split('\n') {
        let cleaned = canvas.clean(source.trim_end_matches('\r'), style.face);
        let mut current = String::new();
        let mut current_width = 0.0;
        for c in cleaned.chars() {
            let w = width_of(&c.to_string(), style);
            if current_width + w > width && !current.is_empty() {
                let run =
                    Run { text: std::mem::take(&mut current), style: style.clone(), x: 0.0, width: current_width };
                lines.push(close_line(vec![run], style));
                current_width = 0.0;
            }
            current.push(c);
            current_width += w;
        }
        let runs = if current.is_empty() {
            vec![]
        } else {
            vec![Run { text: current, style: style.clone(), x: 0.0, width: current_width }]
        };
        lines.push(close_line(runs, style));
    }
    lines
}

/// What is drawn at the top and bottom of every page.
#[derive(Debug, Clone, Default)]
pub struct Furniture {
    /// Left of the running header: the document's title.
    pub header_left: String,
    /// Right of the running header: what the document is.
    pub header_right: String,
    /// Left of the footer, beside the page number.
    pub footer_left: String,
}

/// A column of a [`Table`].
#[derive(Debug, Clone)]
pub struct Column {
    /// Its heading.
    pub title: String,
    /// Its share of the table's width, relative to the other columns.
    pub weight: f32,
}

impl Column {
    /// A column titled `title` with relative width `weight`.
    pub fn new(title: impl Into<String>, weight: f32) -> Column {
        Column { title: title.into(), weight }
    }
}

/// A table: columns and rows of styled cells.
#[derive(Debug, Clone)]
pub struct Table {
    /// The columns, left to right.
    pub columns: Vec<Column>,
    /// The rows; each holds one cell per column (missing cells are empty).
    pub rows: Vec<Vec<Vec<Span>>>,
}

impl Table {
    /// Column weights from the cells' natural widths, so short columns stay narrow and long
    /// text gets the room (each column gets at least a fair minimum).
    pub fn fit_columns(&mut self, canvas: &mut Canvas, width: f32) {
        let n = self.columns.len().max(1);
        let natural: Vec<f32> = (0..self.columns.len())
            .map(|c| {
                let header = width_of(&self.columns[c].title, &Style::small().face(Face::Bold));
                let cells = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|cell| layout(canvas, cell, f32::MAX / 4.0).iter().map(|l| l.width).fold(0.0, f32::max));
                cells.fold(header, f32::max) + 2.0 * CELL_PAD_X
            })
            .collect();
        let total: f32 = natural.iter().sum();
        let minimum = (width / n as f32).min(60.0);
        for (column, natural) in self.columns.iter_mut().zip(&natural) {
            column.weight = if total <= width { *natural } else { natural.min(width * 0.6).max(minimum) };
        }
    }
}

/// A cursor down the text column of the current page.
pub struct Flow {
    /// The pages drawn so far.
    pub canvas: Canvas,
    /// The page being filled.
    pub page: usize,
    /// Top of the free space on it, from the page's top edge.
    pub y: f32,
    /// Text placed through the flow (all but level-1 headings) is set at this multiple of its
    /// size: the digest sets a story smaller when it would not fit on one page.
    pub scale: f32,
}

/// Where a flow was, to go back to: see [`Flow::checkpoint`].
#[derive(Debug, Clone)]
pub struct FlowCheckpoint {
    canvas: super::canvas::Checkpoint,
    page: usize,
    y: f32,
}

impl FlowCheckpoint {
    /// The page the flow was on.
    pub fn page(&self) -> usize {
        self.page
    }
}

impl Flow {
    /// A flow on the first page of `canvas`.
    pub fn new(mut canvas: Canvas) -> Flow {
        let page = canvas.add_page();
        Flow { canvas, page, y: MARGIN_TOP, scale: 1.0 }
    }

    /// Where the flow is now.
    pub fn checkpoint(&self) -> FlowCheckpoint {
        FlowCheckpoint { canvas: self.canvas.checkpoint(), page: self.page, y: self.y }
    }

    /// Undoes everything placed since `at`, to lay it out again another way.
    pub fn rollback(&mut self, at: &FlowCheckpoint) {
        self.canvas.rollback(&at.canvas);
        self.page = at.page;
        self.y = at.y;
    }

    /// Lays out `spans` at the flow's [`scale`](Flow::scale).
    fn lay(&mut self, spans: &[Span], width: f32) -> Vec<LaidLine> {
        if (self.scale - 1.0).abs() < f32::EPSILON {
            return layout(&mut self.canvas, spans, width);
        }
        let scaled: Vec<Span> = spans
            .iter()
            .map(|s| Span { text: s.text.clone(), style: Style { size: s.style.size * self.scale, ..s.style.clone() } })
            .collect();
        layout(&mut self.canvas, &scaled, width)
    }

    /// The lowest a line may end.
    pub fn bottom(&self) -> f32 {
        PAGE_HEIGHT - MARGIN_BOTTOM
    }

    /// Space left on the page.
    pub fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    /// Whether nothing has been placed on this page yet.
    pub fn at_top(&self) -> bool {
        self.y <= MARGIN_TOP + 0.5
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.page = self.canvas.add_page();
        self.y = MARGIN_TOP;
    }

    /// Moves to a new page unless `height` still fits on this one.
    pub fn need(&mut self, height: f32) {
        if self.y + height > self.bottom() && !self.at_top() {
            self.new_page();
        }
    }

    /// Vertical space, dropped at the top of a page.
    pub fn gap(&mut self, height: f32) {
        if !self.at_top() {
            self.y += height;
        }
        if self.y > self.bottom() {
            self.new_page();
        }
    }

    fn draw_line(&mut self, line: &LaidLine, x: f32) {
        let page = self.page;
        let baseline = self.y + line.baseline;
        for run in &line.runs {
            let s = &run.style;
            if s.code {
                let top = baseline - s.size * 0.95;
                self.canvas.rect(page, x + run.x - 1.5, top, run.width + 3.0, s.size * 1.25, Paint::fill(SHADE));
            }
            self.canvas.text(page, x + run.x, baseline, s.face, s.size, s.colour, &run.text);
            if s.strike {
                let mid = baseline - s.size * 0.3;
                self.canvas.line(page, (x + run.x, mid), (x + run.x + run.width, mid), s.colour, 0.6);
            }
            if let Some(url) = &s.link {
                let under = baseline + s.size * 0.15;
                self.canvas.line(page, (x + run.x, under), (x + run.x + run.width, under), s.colour, 0.5);
                self.canvas.link(page, x + run.x, self.y, run.width, line.height, url);
            }
        }
    }

    /// Draws laid-out lines from the cursor, moving to a new page between lines as needed.
    pub fn lines(&mut self, lines: &[LaidLine], x: f32) {
        for line in lines {
            self.need(line.height);
            self.draw_line(line, x);
            self.y += line.height;
        }
    }

    /// A paragraph at `x`, `width` wide.
    pub fn paragraph(&mut self, spans: &[Span], x: f32, width: f32) {
        let lines = self.lay(spans, width);
        // Keep two lines together at the foot of a page rather than leave one alone.
        if lines.len() > 1 {
            self.need(lines[0].height + lines[1].height);
        }
        self.lines(&lines, x);
    }

    /// A paragraph across the whole text column.
    pub fn text(&mut self, spans: &[Span]) {
        self.paragraph(spans, MARGIN_X, CONTENT_WIDTH);
    }

    /// A list item: `marker` hanging at `x`, the text `indent` further in.
    pub fn item(&mut self, marker: &str, spans: &[Span], x: f32, indent: f32) {
        let style = spans.first().map(|s| s.style.clone()).unwrap_or_else(Style::body);
        let lines = self.lay(spans, MARGIN_X + CONTENT_WIDTH - x - indent);
        let first = lines.first().map_or(style.line_height(), |l| l.height);
        self.need(first);
        let marker_style = Style { link: None, code: false, strike: false, face: Face::Regular, ..style };
        let marker_style = Style { size: marker_style.size * self.scale, ..marker_style };
        let marker = self.canvas.clean(marker, Face::Regular);
        let baseline = self.y + lines.first().map_or(marker_style.size * BASELINE, |l| l.baseline);
        self.canvas.text(self.page, x, baseline, Face::Regular, marker_style.size, marker_style.colour, &marker);
        self.lines(&lines, x + indent);
    }

    /// A heading; level 1 is the largest. With `bookmark`, the heading goes in the outline.
    pub fn heading(&mut self, text: &str, level: u8, bookmark: Option<&str>) {
        let (size, colour, before) = match level {
            1 => (16.0, ACCENT, 16.0),
            2 => (12.5, INK, 12.0),
            _ => (10.5, INK, 8.0),
        };
        let style = Style::body().face(Face::Bold).size(size).colour(colour);
        let lines = layout(&mut self.canvas, &[Span::new(text, style)], CONTENT_WIDTH);
        let height: f32 = lines.iter().map(|l| l.height).sum();
        self.gap(before);
        // A heading is never left alone at the foot of a page.
        self.need(height + 3.0 * Style::body().line_height());
        if let Some(title) = bookmark {
            self.canvas.bookmark(title, self.page);
        }
        self.lines(&lines, MARGIN_X);
        if level == 1 {
            let y = self.y + 1.0;
            self.canvas.line(self.page, (MARGIN_X, y), (MARGIN_X + CONTENT_WIDTH, y), RULE, 0.8);
            self.y += 5.0;
        } else {
            self.y += 2.0;
        }
    }

    /// A thin rule across the column.
    pub fn rule(&mut self) {
        self.gap(4.0);
        self.need(6.0);
        let y = self.y + 2.0;
        self.canvas.line(self.page, (MARGIN_X, y), (MARGIN_X + CONTENT_WIDTH, y), RULE, 0.6);
        self.y += 6.0;
    }

    /// A code block: shaded, monospaced, lines kept as written.
    pub fn code_block(&mut self, text: &str, x: f32, width: f32) {
        let style = Style::small().face(Face::Mono).size(SMALL * self.scale);
        let lines = layout_pre(&mut self.canvas, text, &style, width - 12.0);
        self.gap(2.0);
        let mut i = 0;
        while i < lines.len() {
            self.need(lines[i].height + 8.0);
            // As many lines as fit on this page go in one shaded box.
            let mut end = i;
            let mut height = 8.0;
            while end < lines.len() && self.y + height + lines[end].height <= self.bottom() {
                height += lines[end].height;
                end += 1;
            }
            if end == i {
                end = i + 1;
                height += lines[i].height;
            }
            self.canvas.rect(self.page, x, self.y, width, height, Paint::fill(SHADE));
            self.y += 4.0;
            for line in &lines[i..end] {
                self.draw_line(line, x + 6.0);
                self.y += line.height;
            }
            self.y += 4.0;
            i = end;
            if i < lines.len() {
                self.new_page();
            }
        }
        self.gap(4.0);
    }

    /// A table at `x`, `width` wide. Rows never split unless one is taller than a page; the
    /// header row is repeated at the top of every page the table continues on.
    pub fn table(&mut self, table: &Table, x: f32, width: f32) {
        if table.columns.is_empty() {
            return;
        }
        let total: f32 = table.columns.iter().map(|c| c.weight.max(0.0)).sum::<f32>().max(f32::EPSILON);
        let widths: Vec<f32> = table.columns.iter().map(|c| c.weight.max(0.0) / total * width).collect();
        let lefts: Vec<f32> = widths.iter().scan(x, |at, w| Some(std::mem::replace(at, *at + w))).collect();
        let header_style = Style::small().face(Face::Bold);
        let header: Vec<Vec<LaidLine>> = table
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                // A header is at most three lines, so it can never fill a page by itself.
                let mut lines = self.lay(&[Span::new(c.title.clone(), header_style.clone())], w - 2.0 * CELL_PAD_X);
                lines.truncate(3);
                lines
            })
            .collect();
        let header_height = cell_height(&header);
        let rows: Vec<Vec<Vec<LaidLine>>> = table
            .rows
            .iter()
            .map(|row| {
                widths
                    .iter()
                    .enumerate()
                    .map(|(c, w)| {
                        let empty = Vec::new();
                        let cell = row.get(c).unwrap_or(&empty);
                        if cell.iter().all(|s| s.text.trim().is_empty()) {
                            Vec::new()
                        } else {
                            self.lay(cell, w - 2.0 * CELL_PAD_X)
                        }
                    })
                    .collect()
            })
            .collect();
        let first_row = rows.first().map_or(0.0, |r| cell_height(r).min(self.bottom() - MARGIN_TOP - header_height));
        self.need(header_height + first_row);
        self.table_header(&header, &lefts, &widths, header_height);
        for (index, row) in rows.iter().enumerate() {
            let mut taken = vec![0usize; row.len()];
            // Whether the row has moved to a fresh page: it then goes on there, forcing a line
            // of each cell if not even one fits, rather than moving again (and again).
            let mut moved = false;
            loop {
                let room = self.bottom() - self.y - 2.0 * CELL_PAD_Y;
                let mut ends: Vec<usize> = Vec::with_capacity(row.len());
                for (cell, &from) in row.iter().zip(&taken) {
                    let mut used = 0.0;
                    let mut end = from;
                    while end < cell.len() && used + cell[end].height <= room {
                        used += cell[end].height;
                        end += 1;
                    }
                    ends.push(end);
                }
                let progress = ends.iter().zip(&taken).any(|(e, t)| e > t);
                let whole = ends.iter().zip(row).all(|(e, cell)| *e == cell.len());
                let untouched = taken.iter().all(|&t| t == 0);
                let row_fits_a_page = cell_height(row) <= self.bottom() - MARGIN_TOP - header_height;
                if !whole && !moved && (!progress || (untouched && row_fits_a_page)) {
                    // Move the row to the next page whole, under a repeated header.
                    self.new_page();
                    self.table_header(&header, &lefts, &widths, header_height);
                    moved = true;
                    continue;
                }
                if !progress {
                    for ((end, cell), &from) in ends.iter_mut().zip(row).zip(&taken) {
                        if from < cell.len() {
                            *end = from + 1;
                        }
                    }
                }
                let part: Vec<&[LaidLine]> = row.iter().zip(&taken).zip(&ends).map(|((c, &f), &e)| &c[f..e]).collect();
                let height =
                    part.iter().map(|p| p.iter().map(|l| l.height).sum::<f32>()).fold(0.0, f32::max) + 2.0 * CELL_PAD_Y;
                if index % 2 == 1 {
                    let shade = SHADE.over_white(0.55);
                    self.canvas.rect(self.page, x, self.y, width, height, Paint::fill(shade));
                }
                let top = self.y;
                for (c, lines) in part.iter().enumerate() {
                    self.y = top + CELL_PAD_Y;
                    for line in lines.iter() {
                        self.draw_line(line, lefts[c] + CELL_PAD_X);
                        self.y += line.height;
                    }
                }
                taken = ends;
                self.y = top + height;
                self.canvas.line(self.page, (x, self.y), (x + width, self.y), RULE, 0.5);
                if taken.iter().zip(row).all(|(t, cell)| *t == cell.len()) {
                    break;
                }
                self.new_page();
                self.table_header(&header, &lefts, &widths, header_height);
                moved = true;
            }
        }
        self.y += 6.0;
    }

    fn table_header(&mut self, header: &[Vec<LaidLine>], lefts: &[f32], widths: &[f32], height: f32) {
        let (x, width) = (lefts[0], widths.iter().sum::<f32>());
        self.canvas.rect(self.page, x, self.y, width, height, Paint::fill(SHADE));
        let top = self.y;
        for (c, lines) in header.iter().enumerate() {
            self.y = top + CELL_PAD_Y;
            for line in lines {
                self.draw_line(line, lefts[c] + CELL_PAD_X);
                self.y += line.height;
            }
        }
        self.y = top + height;
        self.canvas.line(self.page, (x, self.y), (x + width, self.y), MUTED, 0.7);
    }

    /// Draws the running header and the page numbers on every page, and returns the canvas.
    pub fn finish(mut self, furniture: &Furniture) -> Canvas {
        let total = self.canvas.page_count();
        let style = Style::small().size(7.5).colour(MUTED);
        for page in 0..total {
            let right = self.canvas.clean(&furniture.header_right, Face::Regular);
            let right_width = width_of(&right, &style);
            let left = fit(&mut self.canvas, &furniture.header_left, &style, CONTENT_WIDTH - right_width - 16.0);
            self.canvas.text(page, MARGIN_X, 40.0, Face::Regular, style.size, style.colour, &left);
            self.canvas.text(
                page,
                PAGE_WIDTH - MARGIN_X - right_width,
                40.0,
                Face::Regular,
                style.size,
                style.colour,
                &right,
            );
            self.canvas.line(page, (MARGIN_X, 46.0), (PAGE_WIDTH - MARGIN_X, 46.0), RULE, 0.5);
            let number = format!("Page {} of {total}", page + 1);
            let number_width = width_of(&number, &style);
            let footer_y = PAGE_HEIGHT - 34.0;
            let footer = fit(&mut self.canvas, &furniture.footer_left, &style, CONTENT_WIDTH - number_width - 16.0);
            self.canvas.text(page, MARGIN_X, footer_y, Face::Regular, style.size, style.colour, &footer);
            self.canvas.text(
                page,
                PAGE_WIDTH - MARGIN_X - number_width,
                footer_y,
                Face::Regular,
                style.size,
                style.colour,
                &number,
            );
        }
        self.canvas
    }
}

fn cell_height(cells: &[Vec<LaidLine>]) -> f32 {
    cells.iter().map(|c| c.iter().map(|l| l.height).sum::<f32>()).fold(0.0, f32::max).max(SMALL * LEADING)
        + 2.0 * CELL_PAD_Y
}

/// `text` cleaned and cut with an ellipsis to fit in `width` on one line.
pub fn fit(canvas: &mut Canvas, text: &str, style: &Style, width: f32) -> String {
    let cleaned = canvas.clean(text, style.face);
    style.face.font().wrap(&cleaned, style.size, width, 1).lines.into_iter().next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[LaidLine]) -> Vec<String> {
        lines.iter().map(|l| l.runs.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join("|")).collect()
    }

    #[test]
    fn lines_fit_the_width_and_keep_every_word() {
        let mut canvas = Canvas::new("t");
        let text = "The connection pool limit was lowered from 200 to 20 in a change reviewed as a typo fix.";
        let lines = layout(&mut canvas, &[Span::new(text, Style::body())], 150.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(line.width <= 150.0 + 0.01, "{line:?}");
        }
        let joined: Vec<String> = texts(&lines);
        assert_eq!(joined.join(" "), text);
    }

    #[test]
    fn styles_join_words_without_spaces_and_split_runs() {
        let mut canvas = Canvas::new("t");
        let spans = [
            Span::new("Use ", Style::body()),
            Span::new("pgbouncer", Style::body().face(Face::Mono)),
            Span::new(", then ", Style::body()),
            Span::new("retry", Style::body().face(Face::Bold)),
            Span::new(".", Style::body()),
        ];
        let lines = layout(&mut canvas, &spans, 400.0);
        assert_eq!(texts(&lines), vec!["Use|pgbouncer|, then|retry|."]);
        let runs = &lines[0].runs;
        assert!(runs[1].x > runs[0].x + runs[0].width, "the space after 'Use' is kept");
        assert!((runs[2].x - (runs[1].x + runs[1].width)).abs() < 0.01, "the comma follows the code directly");
    }

    #[test]
    fn a_long_unbroken_string_is_split_inside_the_width() {
        let mut canvas = Canvas::new("t");
        let url = "https://grafana.example.com/d/abc123/checkout?orgId=1&from=now-6h&to=now&var-cluster=prod-eu-west-1";
        let lines = layout(&mut canvas, &[Span::new(format!("See {url} now"), Style::body())], 120.0);
        assert!(lines.len() >= 4);
        for line in &lines {
            assert!(line.width <= 120.0 + 0.01, "{line:?}");
        }
        assert_eq!(texts(&lines).concat().replace(' ', ""), format!("See{url}now"));
    }

    #[test]
    fn hard_breaks_and_code_lines_are_kept() {
        let mut canvas = Canvas::new("t");
        let lines = layout(&mut canvas, &[Span::new("one\ntwo three", Style::body())], 400.0);
        assert_eq!(texts(&lines), vec!["one", "two three"]);
        let code = layout_pre(&mut canvas, "fn main() {\n    panic!()\n}\n", &Style::small().face(Face::Mono), 400.0);
        assert_eq!(texts(&code), vec!["fn main() {", "    panic!()", "}"]);
    }

    #[test]
    fn a_table_repeats_its_header_on_every_page_and_stays_inside_the_margins() {
        let mut flow = Flow::new(Canvas::new("t"));
        let rows = (0..200)
            .map(|i| {
                vec![
                    vec![Span::new(format!("{i}"), Style::small())],
                    vec![Span::new("text ".repeat(i % 30 + 1), Style::small())],
                ]
            })
            .collect();
        let table = Table { columns: vec![Column::new("N", 1.0), Column::new("What happened", 6.0)], rows };
        flow.table(&table, MARGIN_X, CONTENT_WIDTH);
        assert!(flow.canvas.page_count() > 3);
        assert!(flow.y <= flow.bottom() + 6.0);
    }

    #[test]
    fn a_table_with_huge_headers_and_many_columns_ends() {
        let mut flow = Flow::new(Canvas::new("t"));
        let columns = (0..20).map(|i| Column::new(format!("{i} {}", "header ".repeat(40)), 1.0)).collect();
        let rows = vec![(0..20).map(|i| vec![Span::new(format!("cell {i}"), Style::small())]).collect()];
        flow.table(&Table { columns, rows }, MARGIN_X, CONTENT_WIDTH);
        assert!(flow.canvas.page_count() <= 2);
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_not_clipped() {
        let mut flow = Flow::new(Canvas::new("t"));
        let stack = (0..150).map(|i| format!("at frame{i} (server.rs:{i})")).collect::<Vec<_>>().join("\n");
        let table = Table {
            columns: vec![Column::new("Time", 1.0), Column::new("Text", 5.0)],
            rows: vec![vec![vec![Span::new("14:02", Style::small())], vec![Span::new(stack, Style::small())]]],
        };
        flow.table(&table, MARGIN_X, CONTENT_WIDTH);
        assert!(flow.canvas.page_count() >= 2);
    }
}
