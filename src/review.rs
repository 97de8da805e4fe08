//! Authoring aids that are not storage: templates, the blameless language coach, nudges on
//! action items, the review workflow and Markdown rendering.

pub mod language;
pub mod markdown;
pub mod nudges;
pub mod templates;
pub mod workflow;
