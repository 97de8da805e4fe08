//! A section's Markdown rendered into a PDF [`Flow`]: headings, paragraphs, nested lists and
//! task lists, emphasis, strikethrough, inline code and code blocks, block quotes, tables,
//! rules, and links as link annotations. pulldown-cmark parses (the same parser and options as
//! the app's preview); this module only maps its events to the flow's blocks.
//!
//! Images are not fetched (nothing leaves the machine): their alternative text is printed in
//! their place. Raw HTML is printed as the text it is, never interpreted.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::review::markdown::options;

use super::flow::{Column, Flow, Span, Style, Table, LINK, MUTED};
use crate::report::fonts::Face;

/// Indent of one list level, in points.
const LIST_INDENT: f32 = 14.0;
/// Lists and quotes nested deeper than this are indented no further.
const MAX_DEPTH: usize = 8;

/// Only links a PDF reader can follow become annotations.
fn followable(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

struct List {
    next: Option<u64>,
}

#[derive(Default)]
struct TableBuild {
    header: Vec<Vec<Span>>,
    rows: Vec<Vec<Vec<Span>>>,
    row: Vec<Vec<Span>>,
    in_header: bool,
}

struct Renderer<'f> {
    flow: &'f mut Flow,
    x: f32,
    width: f32,
    spans: Vec<Span>,
    bold: usize,
    italic: usize,
    strike: usize,
    quote: usize,
    links: Vec<Option<String>>,
    lists: Vec<List>,
    marker: Option<String>,
    table: Option<TableBuild>,
    code: Option<String>,
    heading: Option<u8>,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        let mut style = Style::body();
        if self.bold > 0 || self.heading.is_some() {
            style.face = Face::Bold;
        } else if self.italic > 0 {
            style.face = Face::Italic;
        }
        if let Some(level) = self.heading {
            style.size = match level {
                1 => 12.5,
                2 => 11.5,
                _ => 10.5,
            };
        }
        if self.quote > 0 {
            style.colour = MUTED;
        }
        if self.table.is_some() {
            style.size = super::flow::SMALL;
        }
        style.strike = self.strike > 0;
        if let Some(Some(url)) = self.links.last() {
            style.link = followable(url).then(|| url.clone());
            style.colour = LINK;
        }
        style
    }

    fn left(&self) -> f32 {
        // Deeper nesting than this is drawn at this depth, so text keeps half the column.
        let depth = (self.lists.len() + self.quote).min(MAX_DEPTH);
        self.x + depth as f32 * LIST_INDENT
    }

    fn push(&mut self, text: &str, style: Style) {
        self.spans.push(Span::new(text, style));
    }

    /// Draws the text gathered so far as a paragraph or a list item.
    fn flush(&mut self) {
        if self.spans.is_empty() {
            return;
        }
        let spans = std::mem::take(&mut self.spans);
        if spans.iter().all(|s| s.text.trim().is_empty()) {
            return;
        }
        let left = self.left();
        match self.marker.take() {
            Some(marker) => self.flow.item(&marker, &spans, left - LIST_INDENT, LIST_INDENT),
            None => self.flow.paragraph(&spans, left, self.x + self.width - left),
        }
    }

    fn event(&mut self, event: Event) {
        if let Some(code) = self.code.as_mut() {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().unwrap_or_default();
                    let left = self.left();
                    self.flow.code_block(&code, left, self.x + self.width - left);
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                let style = self.style();
                self.push(&t, style);
            }
            Event::Code(t) => {
                let mut style = self.style();
                style.face = Face::Mono;
                style.code = style.link.is_none();
                style.size *= 0.92;
                self.push(&t, style);
            }
            Event::Html(t) | Event::InlineHtml(t) => {
                let style = self.style().colour(MUTED);
                self.push(&t, style);
            }
            Event::SoftBreak => {
                let style = self.style();
                self.push(" ", style);
            }
            Event::HardBreak => {
                let style = self.style();
                self.push("\n", style);
            }
            Event::Rule => {
                self.flush();
                self.flow.rule();
            }
            Event::TaskListMarker(done) => {
                let style = self.style();
                self.push(if done { "☑ " } else { "☐ " }, style);
            }
            Event::FootnoteReference(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                let style = self.style();
                self.push(&t, style);
            }
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Paragraph => self.flush(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    _ => 3,
                });
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(List { next: start });
            }
            Tag::Item => {
                self.flush();
                let depth = self.lists.len();
                let marker = match self.lists.last_mut() {
                    Some(List { next: Some(n) }) => {
                        let marker = format!("{n}.");
                        *n += 1;
                        marker
                    }
                    _ => if depth > 1 { "◦" } else { "•" }.to_string(),
                };
                self.marker = Some(marker);
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(TableBuild::default());
            }
            Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_header = true;
                }
            }
            Tag::TableRow | Tag::TableCell => {}
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link { dest_url, .. } => self.links.push(Some(dest_url.to_string())),
            Tag::Image { .. } => {
                let style = self.style().colour(MUTED).face(Face::Italic);
                self.push("[image: ", style);
                self.links.push(None);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.flow.gap(4.0);
                }
            }
            TagEnd::Heading(_) => {
                let spans = std::mem::take(&mut self.spans);
                self.heading = None;
                let text: String = spans.iter().map(|s| s.text.as_str()).collect();
                let style = Style::body().face(Face::Bold).size(spans.first().map_or(11.0, |s| s.style.size));
                self.flow.gap(6.0);
                self.flow.need(style.line_height() + 2.0 * Style::body().line_height());
                let left = self.left();
                self.flow.paragraph(&[Span::new(text, style)], left, self.x + self.width - left);
                self.flow.y += 1.0;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                self.flow.gap(3.0);
            }
            TagEnd::Item => self.flush(),
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => {
                self.links.pop();
            }
            TagEnd::Image => {
                self.links.pop();
                let style = self.style().colour(MUTED).face(Face::Italic);
                self.push("]", style);
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.spans);
                if let Some(t) = self.table.as_mut() {
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.header = std::mem::take(&mut t.row);
                    t.in_header = false;
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    let columns = t
                        .header
                        .iter()
                        .map(|cell| Column::new(cell.iter().map(|s| s.text.as_str()).collect::<String>(), 1.0))
                        .collect();
                    let mut table = Table { columns, rows: t.rows };
                    let left = self.left();
                    let width = self.x + self.width - left;
                    table.fit_columns(&mut self.flow.canvas, width);
                    self.flow.gap(2.0);
                    self.flow.table(&table, left, width);
                }
            }
            _ => {}
        }
    }
}

/// One line of Markdown (a table cell, an action's description) as styled spans in `base`:
/// emphasis, strong, inline code, strikethrough and links; block structure is flattened
/// into line breaks.
pub fn inline(text: &str, base: &Style) -> Vec<Span> {
    let mut spans = Vec::new();
    let (mut bold, mut italic, mut strike) = (0, 0, 0);
    let mut link: Option<String> = None;
    let mut started = false;
    for event in Parser::new_ext(text, options()) {
        let mut style = base.clone();
        if bold > 0 {
            style.face = Face::Bold;
        } else if italic > 0 {
            style.face = Face::Italic;
        }
        style.strike = strike > 0;
        if let Some(url) = &link {
            style.link = followable(url).then(|| url.clone());
            style.colour = LINK;
        }
        match event {
            Event::Start(Tag::Strong) => bold += 1,
            Event::End(TagEnd::Strong) => bold -= 1,
            Event::Start(Tag::Emphasis) => italic += 1,
            Event::End(TagEnd::Emphasis) => italic -= 1,
            Event::Start(Tag::Strikethrough) => strike += 1,
            Event::End(TagEnd::Strikethrough) => strike -= 1,
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => link = None,
            Event::Start(Tag::Paragraph | Tag::Item | Tag::Heading { .. } | Tag::CodeBlock(_)) if started => {
                spans.push(Span::new("\n", style));
            }
            Event::Code(t) => {
                style.face = Face::Mono;
                style.code = style.link.is_none();
                style.size *= 0.92;
                spans.push(Span::new(t.to_string(), style));
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => spans.push(Span::new(t.to_string(), style)),
            Event::SoftBreak => spans.push(Span::new(" ", style)),
            Event::HardBreak => spans.push(Span::new("\n", style)),
            Event::TaskListMarker(done) => spans.push(Span::new(if done { "☑ " } else { "☐ " }, style)),
            _ => {}
        }
        started = true;
    }
    spans
}

/// Renders `markdown` into `flow` at `x`, `width` wide.
pub fn render(flow: &mut Flow, markdown: &str, x: f32, width: f32) {
    let mut renderer = Renderer {
        flow,
        x,
        width,
        spans: Vec::new(),
        bold: 0,
        italic: 0,
        strike: 0,
        quote: 0,
        links: Vec::new(),
        lists: Vec::new(),
        marker: None,
        table: None,
        code: None,
        heading: None,
    };
    for event in Parser::new_ext(markdown, options()) {
        renderer.event(event);
    }
    renderer.flush();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::pdf::canvas::Canvas;

    #[test]
    fn every_kind_of_markdown_renders_without_leaving_the_column() {
        let mut flow = Flow::new(Canvas::new("t"));
        let md = "# Heading\n\nA *quiet* **bold** `code` ~~old~~ [link](https://example.com) line.\n\n\
                  - one\n  - nested\n- [x] done\n\n1. first\n2. second\n\n> quoted\n\n```\nfn x() {}\n```\n\n\
                  | a | b |\n|---|---|\n| 1 | two |\n\n---\n\n![diagram](x.png) <b>raw</b>";
        render(&mut flow, md, 54.0, 487.0);
        assert_eq!(flow.canvas.page_count(), 1);
        assert!(flow.y > 200.0);
    }

    #[test]
    fn deep_nesting_stays_on_the_page() {
        let mut flow = Flow::new(Canvas::new("t"));
        let md = format!("{} deep quote with words\n\n{}- deep item", ">".repeat(40), "  ".repeat(40));
        render(&mut flow, &md, 54.0, 487.0);
        // Without the cap the column is negative and every character takes a line of its own.
        assert_eq!(flow.canvas.page_count(), 1, "one line each, not a character per line");
        assert!(flow.y < 200.0, "two short paragraphs, {}", flow.y);
    }

    #[test]
    fn only_followable_links_become_annotations() {
        assert!(followable("https://x.test"));
        assert!(followable("MAILTO:a@b.test"));
        assert!(!followable("javascript:alert(1)"));
        assert!(!followable("../runbook.md"));
    }

    #[test]
    fn inline_markdown_becomes_styled_spans() {
        let spans = inline("Set `DB_POOL_MAX=60` on **payments-api**, see [run](https://x.test)", &Style::small());
        let faces: Vec<(String, Face)> = spans.iter().map(|s| (s.text.clone(), s.style.face)).collect();
        assert_eq!(faces[1], ("DB_POOL_MAX=60".to_string(), Face::Mono));
        assert_eq!(faces[3], ("payments-api".to_string(), Face::Bold));
        assert_eq!(spans.last().unwrap().style.link.as_deref(), Some("https://x.test"));
        let plain: String = inline("a\n\nb", &Style::small()).iter().map(|s| s.text.as_str()).collect();
        assert_eq!(plain, "a\nb");
    }
}
