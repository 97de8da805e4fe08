//! Integration tests of the core, through `Library` and the `debrief` binary, on real SQLite
//! files in temporary folders. One test binary, one module per area.

mod actions;
mod analytics;
mod anonymize;
mod backups;
mod cli;
mod crash;
mod exchange;
mod families;
mod golden;
mod helpers;
mod history;
mod hostile;
mod jobs;
mod language;
mod malformed;
mod markdown;
mod markdown_import;
mod meetings;
mod migrations;
mod never_panics;
mod pdf;
mod release;
mod reliability;
mod roi;
mod rootcause;
mod sample;
mod saving;
mod search;
mod stats;
mod store;
mod taxonomy;
mod team;
mod timeline_import;
mod validation;
mod workflow;
