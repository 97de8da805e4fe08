//! The shapes the library's use cases take and give that are not the domain model itself:
//! requests (a list query, search options, a new postmortem), pages and reports. The app's
//! window sends and receives them (ts-rs writes them to `ui/src/bindings`), and the CLI prints
//! them as JSON. They live here, in one place, so what crosses to the window can be read at a
//! glance; the domain types they carry are in [`crate::model`]. The behaviour that goes with
//! them (defaults, bounds, paging) stays beside the code that uses it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{
    ActionItem, ActionKind, ActionStatus, Category, PostmortemSummary, Priority, ReviewStatus, Service, Severity,
};

// ---- Postmortems ----

/// What a new postmortem starts from.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewPostmortem {
    pub title: String,
    pub severity: Severity,
    /// Template name; `None` picks the one suggested for the severity.
    pub template: Option<String>,
    /// Defaults to today.
    pub incident_date: Option<NaiveDate>,
}

/// Where the library is and what it holds, for the start screen.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LibraryStatus {
    pub dir: String,
    #[ts(type = "number")]
    pub postmortems: i64,
    #[ts(type = "number")]
    pub overdue_action_items: i64,
}

// ---- Writing ----

/// A draft's text, for "similar incidents" while writing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftText {
    pub title: String,
    /// Summary or any text written so far.
    pub text: String,
    pub categories: Vec<String>,
    pub services: Vec<String>,
    /// The draft's own id once stored, so it does not find itself.
    pub exclude_id: Option<String>,
}

// ---- Taxonomy ----

/// The vocabularies the editor offers.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Taxonomy {
    pub services: Vec<Service>,
    pub categories: Vec<Category>,
    pub people: Vec<String>,
    /// Root-cause types for contributing factors: the built-in ones, then those in use.
    pub root_cause_types: Vec<String>,
}

// ---- Exchange ----

/// Image formats a diagram can be exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum DiagramFormat {
    Svg,
    Png,
}

/// What importing one document did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub source: String,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

// ---- Maintenance ----

/// What `check` found.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckReport {
    pub library: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    #[ts(type = "number")]
    pub postmortems: i64,
    /// Problems found; empty when the library is healthy.
    pub problems: Vec<String>,
    /// How the search index differs from the database.
    pub index: IndexDrift,
}

// ---- The library list ----

/// Which postmortems [`crate::store::postmortems::list_page`] returns. An empty list of severities or statuses means any;
/// service and category match a name case-insensitively.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct ListFilter {
    pub severities: Vec<Severity>,
    pub statuses: Vec<ReviewStatus>,
    pub category: Option<String>,
    pub service: Option<String>,
}

/// The column the library list is sorted by.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ListSortKey {
    /// Incident date.
    #[default]
    Date,
    Title,
    /// SEV1 first when ascending.
    Severity,
    /// Workflow order (draft, in review, final) when ascending.
    Status,
}

/// Sort direction.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum SortDir {
    Asc,
    #[default]
    Desc,
}

/// One page of the library list: filter, sort, and the window of rows wanted.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct ListQuery {
    pub filter: ListFilter,
    pub sort: ListSortKey,
    pub dir: SortDir,
    /// Rows to skip.
    pub offset: u32,
    /// Rows wanted, at most [`crate::store::postmortems::MAX_LIST_PAGE`].
    pub limit: u32,
}

/// A page of the library list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ListPage {
    pub rows: Vec<PostmortemSummary>,
    /// Postmortems matching the filter (all pages).
    pub matching: u32,
    /// Postmortems in the library.
    pub total: u32,
}

// ---- The action-item board ----

/// Filters for the board; `None` and `false` mean any.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionFilter {
    /// A person's full name or first name, any case.
    pub owner: Option<String>,
    pub status: Option<ActionStatus>,
    /// Only items still open or in progress.
    #[serde(default)]
    pub open_only: bool,
    /// Only open or in-progress items past their due date.
    #[serde(default)]
    pub overdue: bool,
    pub priority: Option<Priority>,
    pub kind: Option<ActionKind>,
    pub postmortem_id: Option<String>,
    pub service: Option<String>,
    /// At most this many rows (a page of the board); all when `None`.
    #[serde(default)]
    pub limit: Option<u32>,
    /// Rows to skip before the page.
    #[serde(default)]
    pub offset: Option<u32>,
}

/// One action item on the board, with what it belongs to and how old it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionRow {
    pub item: ActionItem,
    pub postmortem_id: String,
    pub postmortem_title: String,
    pub severity: Severity,
    pub incident_date: NaiveDate,
    pub services: Vec<String>,
    pub categories: Vec<String>,
    /// Days from creation to completion, or to today while not done.
    #[ts(type = "number")]
    pub days_open: i64,
    /// Open or in progress, with a due date before today.
    pub overdue: bool,
    /// Place of the item in its postmortem's list.
    #[ts(type = "number")]
    pub position: i64,
}

/// A page of the board and how many items match in all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionPage {
    pub rows: Vec<ActionRow>,
    #[ts(type = "number")]
    pub total: i64,
}

// ---- Search ----

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// Paging and order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    pub sort: SearchSort,
}

/// A highlighted excerpt. `html` is escaped text with `<mark>` around matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Snippet {
    /// Where the excerpt comes from: "Title", a section heading, "Timeline", "5 whys", ...
    pub field: String,
    pub html: String,
    /// The excerpt as plain text.
    pub text: String,
}

/// One ranked hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchHit {
    pub id: String,
    pub title: String,
    pub incident_date: NaiveDate,
    pub severity: Severity,
    pub status: ReviewStatus,
    pub services: Vec<String>,
    pub categories: Vec<String>,
    pub score: f32,
    pub snippet: Option<Snippet>,
}

/// How many matching postmortems have one facet value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FacetCount {
    pub value: String,
    #[ts(type = "number")]
    pub count: u64,
}

/// Facet counts over all matches (not just the page).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Facets {
    pub severity: Vec<FacetCount>,
    pub service: Vec<FacetCount>,
    pub category: Vec<FacetCount>,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchResults {
    pub query: String,
    pub total: usize,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
}

/// One similar incident and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SimilarHit {
    pub id: String,
    pub title: String,
    pub incident_date: NaiveDate,
    pub severity: Severity,
    pub score: f32,
    /// e.g. "same category: config change", "shared terms: pool, timeout, checkout".
    pub reasons: Vec<String>,
}

// ---- The search index ----

/// What `check` found about the index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IndexDrift {
    /// Ids stored in the database but missing from the index.
    pub missing: Vec<String>,
    /// Ids in the index that the database no longer has.
    pub extra: Vec<String>,
    /// Ids whose indexed version differs from the database's.
    pub stale: Vec<String>,
    /// Changes queued but not yet indexed.
    #[ts(type = "number")]
    pub pending: i64,
}
