//! Exchange formats: the lossless JSON library document, action items as CSV, timeline
//! imports, the built-in sample library, the anonymizer that takes people's names out of
//! any export, and the one YAML reader every format shares.

pub mod actions_csv;
pub mod anonymize;
pub mod csv_cell;
pub mod debrief_md;
pub mod foreign_md;
pub mod json;
pub mod md_inert;
pub mod sample;
pub mod timeline;
pub mod yaml;
