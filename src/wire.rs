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
    /// One-line title; trimmed, must not be empty, at most 200 characters.
    pub title: String,
    /// How bad the incident was; also picks the suggested template.
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
    /// The library's folder, as a displayable path.
    pub dir: String,
    /// Postmortems stored.
    #[ts(type = "number")]
    pub postmortems: i64,
    /// Open or in-progress action items whose due date is before today.
    #[ts(type = "number")]
    pub overdue_action_items: i64,
}

// ---- Writing ----

/// A draft's text, for "similar incidents" while writing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftText {
    /// The title typed so far; may be empty.
    pub title: String,
    /// Summary or any text written so far.
    pub text: String,
    /// Category names already chosen; a match sharing one ranks higher and says so.
    pub categories: Vec<String>,
    /// Service names already chosen; a match sharing one ranks higher and says so.
    pub services: Vec<String>,
    /// The draft's own id once stored, so it does not find itself.
    pub exclude_id: Option<String>,
}

// ---- Taxonomy ----

/// The vocabularies the editor offers.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Taxonomy {
    /// Every service with its description and SLO, in name order ignoring case.
    pub services: Vec<Service>,
    /// Every category with its description, in name order ignoring case.
    pub categories: Vec<Category>,
    /// Every person named anywhere in the library, in name order ignoring case.
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
    /// An SVG document (UTF-8 text), files named `.svg`.
    Svg,
    /// A PNG image at twice the diagram's size for crisp text, files named `.png`.
    Png,
}

/// What importing one document did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    /// What was imported: the file's path as the caller named it, or "sample library".
    pub source: String,
    /// Postmortems (or, from CSV, action items) that were new and were added.
    pub created: usize,
    /// Known ones (by id) that differed and were overwritten, the old postmortem kept as a revision.
    pub updated: usize,
    /// Known ones left as they were: identical, or already there when loading the sample.
    pub unchanged: usize,
}

// ---- Maintenance ----

/// What `check` found.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckReport {
    /// The library's folder, as a displayable path.
    pub library: String,
    /// The database's schema version (`PRAGMA user_version`); a problem if not the current one.
    #[ts(type = "number")]
    pub schema_version: i64,
    /// Postmortems stored.
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
    /// Postmortems of any of these severities; empty for any severity.
    pub severities: Vec<Severity>,
    /// Postmortems in any of these review statuses; empty for any status.
    pub statuses: Vec<ReviewStatus>,
    /// Only postmortems with a category of this name (whole name, ignoring case).
    pub category: Option<String>,
    /// Only postmortems with a service of this name (whole name, ignoring case).
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
    /// Title, alphabetically, ignoring case.
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
    /// Smallest first: oldest date, A to Z, SEV1, draft.
    Asc,
    /// Largest first: newest date, Z to A, SEV4, final.
    #[default]
    Desc,
}

/// One page of the library list: filter, sort, and the window of rows wanted.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct ListQuery {
    /// Which postmortems the list shows.
    pub filter: ListFilter,
    /// Column sorted by; ties go newest incident first, then title, then id.
    pub sort: ListSortKey,
    /// Direction of the sort column (not of the tie-breaks).
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
    /// Rows of this page, in the query's order.
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
    /// Only items in this status.
    pub status: Option<ActionStatus>,
    /// Only items still open or in progress.
    #[serde(default)]
    pub open_only: bool,
    /// Only open or in-progress items past their due date.
    #[serde(default)]
    pub overdue: bool,
    /// Only items of this priority.
    pub priority: Option<Priority>,
    /// Only items of this kind (detect, mitigate, prevent or process).
    pub kind: Option<ActionKind>,
    /// Only items of the postmortem with this full id.
    pub postmortem_id: Option<String>,
    /// Only items of postmortems with a service of this name (whole name, ignoring case).
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
    /// The action item, as stored.
    pub item: ActionItem,
    /// Id of the postmortem the item belongs to.
    pub postmortem_id: String,
    /// That postmortem's title.
    pub postmortem_title: String,
    /// That postmortem's severity.
    pub severity: Severity,
    /// That postmortem's incident date.
    pub incident_date: NaiveDate,
    /// That postmortem's service names, in its order.
    pub services: Vec<String>,
    /// That postmortem's category names, in its order.
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
    /// Rows of this page: soonest due first (undated last), then by priority.
    pub rows: Vec<ActionRow>,
    /// Items matching the filter over all pages; 0 when this page is empty (offset past the end).
    #[ts(type = "number")]
    pub total: i64,
}

// ---- Search ----

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    /// Best match first, by score.
    #[default]
    Relevance,
    /// Latest incident date first; hits then carry a score of 0.
    Newest,
    /// Earliest incident date first; hits then carry a score of 0.
    Oldest,
}

/// Paging and order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchOptions {
    /// Hits wanted on the page, from 1 to 1000 ([`crate::search::engine::MAX_LIMIT`]); 20 by default.
    pub limit: usize,
    /// Hits to skip before the page, at most 100,000 ([`crate::search::engine::MAX_OFFSET`]).
    pub offset: usize,
    /// Order of the hits; relevance by default.
    pub sort: SearchSort,
}

/// A highlighted excerpt. `html` is escaped text with `<mark>` around matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Snippet {
    /// Where the excerpt comes from: "Title", a section heading, "Timeline", "5 whys", ...
    pub field: String,
    /// The excerpt as HTML: escaped text with `<mark>` around the matched words.
    pub html: String,
    /// The excerpt as plain text.
    pub text: String,
}

/// One ranked hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchHit {
    /// Id of the postmortem.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its incident date.
    pub incident_date: NaiveDate,
    /// Its severity.
    pub severity: Severity,
    /// Its review status.
    pub status: ReviewStatus,
    /// Its service names, in its order.
    pub services: Vec<String>,
    /// Its category names, in its order.
    pub categories: Vec<String>,
    /// Relevance (BM25, higher is better; comparable within one query only); 0 when sorted by date.
    pub score: f32,
    /// The best excerpt showing the query's words; `None` when no prose field does (a filter-only query).
    pub snippet: Option<Snippet>,
}

/// How many matching postmortems have one facet value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FacetCount {
    /// A severity code, or a service or category name (a `/` in a name shows as `-`).
    pub value: String,
    /// Matching postmortems with that value.
    #[ts(type = "number")]
    pub count: u64,
}

/// Facet counts over all matches (not just the page).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Facets {
    /// Per severity present among the matches, SEV1 first.
    pub severity: Vec<FacetCount>,
    /// Per service present among the matches, most matches first, then by name.
    pub service: Vec<FacetCount>,
    /// Per category present among the matches, most matches first, then by name.
    pub category: Vec<FacetCount>,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SearchResults {
    /// The query string as given.
    pub query: String,
    /// Postmortems matching the query, over all pages.
    pub total: usize,
    /// Hits of this page, in the order of [`SearchOptions::sort`].
    pub hits: Vec<SearchHit>,
    /// Counts by severity, service and category over every match.
    pub facets: Facets,
}

/// One similar incident and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SimilarHit {
    /// Id of the similar postmortem.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its incident date.
    pub incident_date: NaiveDate,
    /// Its severity.
    pub severity: Severity,
    /// How similar, higher is closer; comparable within one call only.
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
