//! Debrief's core: blameless postmortems kept in a local SQLite library.
//!
//! Layers, from the outside in:
//! - [`library`]: the one entry point the CLI (`src/bin/debrief.rs`) and the Tauri app both
//!   call. Each public method is a use-case ("save this postmortem", "export these").
//! - [`analysis`]: metrics that follow PRODUCT.md's definitions (action follow-through).
//! - [`exchange`]: file formats (JSON export/import) and the sample library.
//! - [`review`]: templates, the blameless language coach, workflow and Markdown rendering.
//! - [`report`]: embedded fonts, text measurement and diagram layout (fishbone), SVG and PNG.
//! - [`store`]: SQLite: opening, migrating, and one module per table family.
//! - [`model`]: plain serde types shared with the front end through ts-rs.
//! - [`wire`]: the requests, pages and reports of the use cases (not domain types) that the
//!   window and the CLI's JSON see.
//! - [`progress`]: how long work reports progress and is cancelled; [`jobs`]: the long work
//!   the app runs in the background, as data.
//!
//! The core has no GUI dependency; nothing here knows about windows.

#![warn(missing_docs)]

pub mod analysis;
pub mod clock;
pub mod error;
pub mod exchange;
pub mod history;
pub mod jobs;
pub mod library;
pub mod meeting;
pub mod model;
pub mod progress;
pub mod recent;
pub mod report;
pub mod review;
pub mod search;
pub mod store;
#[cfg(feature = "synthetic")]
pub mod synthetic;
pub mod team;
pub mod wire;

pub use error::{Error, Result};
pub use library::Library;
