//! Exchange formats: the lossless JSON library document, action items as CSV, timeline
//! imports, and the built-in sample library.

pub mod actions_csv;
pub mod json;
pub mod sample;
pub mod timeline;
