//! The domain model: plain serde types shared by the store, the exchange formats, the CLI and
//! (through ts-rs bindings in `ui/src/bindings`) the app's front end.
//!
//! A [`Postmortem`] is an aggregate: its sections, timeline, 5-whys chains, fishbones,
//! contributing factors and action items travel together, are saved together in one
//! transaction, and are exported together. Durations are derived from timeline markers and
//! never stored.

pub mod actions;
pub mod labels;
pub(crate) mod names;
pub mod postmortem;
pub mod rootcause;
pub mod taxonomy;
pub mod timeline;
pub mod validate;

pub use actions::{ActionItem, ActionKind, ActionStatus, Priority};
pub use postmortem::{
    ConflictVersion, FieldConflict, Participant, Postmortem, PostmortemSummary, PostmortemView, ReviewStatus, Section,
    Severity, StatusChange,
};
pub use rootcause::{ContributingFactor, Fishbone, FishboneCategory, FishboneCause, WhyStep, WhysChain};
pub use taxonomy::{Category, RootCauseType, Service, Template, TemplateSection};
pub use timeline::{Durations, EventKind, Marker, TimelineEvent};
