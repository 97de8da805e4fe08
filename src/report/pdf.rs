//! PDF reports: one postmortem, and the learning-review digest of a period.
//!
//! printpdf 0.12 writes pages of drawing operations and nothing more, so the layout is ours:
//! [`canvas`] turns positions into operations, [`flow`] breaks text into lines by the embedded
//! fonts' real advances and flows paragraphs, lists and tables down pages, [`markdown`] renders
//! a section's Markdown into that flow, and [`vector`] copies the SVG charts and fishbones in
//! as vectors. [`postmortem`] and [`digest`] compose the two documents; [`meeting`] sets a
//! meeting summary.

pub mod canvas;
pub mod digest;
pub mod flow;
pub mod markdown;
pub mod meeting;
pub mod postmortem;
pub mod vector;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A finished PDF and what the reader should know about it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// How many pages it has.
    pub pages: usize,
    /// Characters no embedded font could draw; each was printed as a replacement mark.
    pub missing: Vec<char>,
}

/// What writing a PDF file produced, for the CLI and the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PdfOutcome {
    /// Where it was written.
    pub path: String,
    /// How many pages it has.
    #[ts(type = "number")]
    pub pages: usize,
    /// How many postmortems it covers.
    #[ts(type = "number")]
    pub postmortems: usize,
    /// Characters no embedded font could draw, printed as "�" instead.
    pub missing_characters: String,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::canvas::Metadata;

    pub(crate) fn metadata() -> Metadata {
        Metadata {
            title: "Test".into(),
            author: "Debrief".into(),
            subject: "A test".into(),
            keywords: vec![],
            produced: chrono::DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
        }
    }
}
