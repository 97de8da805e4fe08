//! The meeting summary as PDF: the same Markdown the summary exports
//! ([`crate::meeting::summary::markdown`]), set in the report fonts with a running header, so
//! the PDF and the `.md` file can never say different things.

use chrono::{DateTime, Utc};

use super::canvas::{Canvas, Metadata, CONTENT_WIDTH, MARGIN_X};
use super::flow::{Flow, Furniture};
use super::{markdown, Rendered};
use crate::Result;

/// Renders the summary `markdown` of a meeting on the postmortem titled `title`.
pub fn render(markdown_text: &str, title: &str, produced: DateTime<Utc>) -> Result<Rendered> {
    let mut flow = Flow::new(Canvas::new(title));
    flow.canvas.bookmark("Meeting summary", 0);
    markdown::render(&mut flow, markdown_text, MARGIN_X, CONTENT_WIDTH);
    let furniture = Furniture {
        header_left: title.to_string(),
        header_right: "Postmortem meeting summary".into(),
        footer_left: format!("Debrief · exported {}", produced.format("%Y-%m-%d")),
    };
    let canvas = flow.finish(&furniture);
    let pages = canvas.page_count();
    let missing = canvas.missing().iter().copied().collect();
    let meta = Metadata {
        title: format!("Meeting summary: {title}"),
        author: "Debrief".into(),
        subject: format!("Summary of the postmortem meeting on {title}"),
        keywords: vec!["postmortem".into(), "meeting".into()],
        produced,
    };
    Ok(Rendered { bytes: canvas.finish(&meta), pages, missing })
}
