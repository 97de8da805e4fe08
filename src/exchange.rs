//! Exchange formats: the lossless JSON library document, and the built-in sample library.

pub mod json;
pub mod sample;
pub mod timeline;
