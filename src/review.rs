//! Authoring aids that are not storage: built-in templates and Markdown rendering.

pub mod language;
pub mod markdown;
pub mod templates;
pub mod workflow;
