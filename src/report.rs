//! Drawing what a postmortem holds: embedded fonts and text measurement, and diagram layouts
//! (the fishbone) computed once here so the app, the SVG and PNG exports and the PDF reports
//! all draw the same picture from the same numbers.

pub mod charts;
pub mod fishbone;
pub mod fonts;
pub mod pdf;
pub mod svg;
