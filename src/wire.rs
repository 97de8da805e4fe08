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
    ActionItem, ActionKind, ActionStatus, Category, PostmortemSummary, Priority, ReviewStatus, RootCauseType, Service,
    Severity,
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
    /// Root-cause types offered for contributing factors: the managed ones not retired (the
    /// built-in list first, then those added), then any other type factors already use.
    pub root_cause_types: Vec<String>,
    /// Every managed root-cause type with its description, retired ones included, in the
    /// order they were added.
    pub cause_types: Vec<RootCauseType>,
}

/// Changes to a service's settings; a field left `None` stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServiceChanges {
    /// The owning team; an empty string clears it.
    pub team: Option<String>,
    /// The SLO target as a fraction strictly between 0 and 1, e.g. 0.999.
    pub slo_target: Option<f64>,
    /// The SLO window in days, at least 1.
    #[ts(type = "number | null")]
    pub slo_window_days: Option<i64>,
    /// What the service is.
    pub description: Option<String>,
}

/// Which vocabulary of the taxonomy a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum TaxonomyKind {
    /// Categories (failure modes), linked to postmortems.
    Category,
    /// Services, linked to postmortems.
    Service,
    /// Root-cause types, named by contributing factors.
    Cause,
}

impl TaxonomyKind {
    /// The word for one entry, as messages and the CLI say it: `category`, `service`, `cause`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaxonomyKind::Category => "category",
            TaxonomyKind::Service => "service",
            TaxonomyKind::Cause => "cause",
        }
    }

    /// The kind a word names (`category`, `service`, `cause`), ignoring case.
    pub fn parse(word: &str) -> Option<TaxonomyKind> {
        match word.trim().to_ascii_lowercase().as_str() {
            "category" => Some(TaxonomyKind::Category),
            "service" => Some(TaxonomyKind::Service),
            "cause" => Some(TaxonomyKind::Cause),
            _ => None,
        }
    }
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

// ---- Revision history ----

/// One kept revision of a postmortem, for the history list (newest first).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RevisionInfo {
    /// Its number, counting from 1 for the oldest ever kept.
    #[ts(type = "number")]
    pub number: i64,
    /// When this version had been written (its `updated_at`).
    pub written_at: chrono::DateTime<chrono::Utc>,
    /// When it was replaced, and by what.
    pub replaced_at: chrono::DateTime<chrono::Utc>,
    /// What replaced it.
    pub replaced_by: crate::history::Why,
    /// Its title then.
    pub title: String,
    /// The fields that differ between it and the version that replaced it, as labelled in a
    /// diff (at most a few; `changed` counts them all).
    pub summary: Vec<String>,
    /// How many fields differ between it and the version that replaced it.
    #[ts(type = "number")]
    pub changed: usize,
}

/// What changed from one version of a postmortem to another.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RevisionDiff {
    /// The postmortem compared.
    pub postmortem_id: String,
    /// The older version: a revision number.
    #[ts(type = "number")]
    pub from: i64,
    /// The newer version: a revision number, or `None` for the current one.
    #[ts(type = "number | null")]
    pub to: Option<i64>,
    /// Every difference, in the document's order.
    pub changes: Vec<FieldChange>,
}

/// One field, section or item that differs between two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldChange {
    /// Where, as a reader names it: `Sections: Section "Impact": Body`.
    pub label: String,
    /// Added, removed or changed.
    pub change: LineChange,
    /// The value before and after, as text (`None` when absent).
    pub before: Option<String>,
    /// The value after, as text.
    pub after: Option<String>,
    /// For text of several lines: the lines around each change.
    pub lines: Vec<DiffLine>,
}

/// One line of a text diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffLine {
    /// Added, removed, or the same (context).
    pub change: LineChange,
    /// The line, without its line break.
    pub text: String,
}

/// Whether something was added, removed, changed or left as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LineChange {
    /// Only in the newer version.
    Added,
    /// Only in the older version.
    Removed,
    /// In both, different.
    Changed,
    /// In both, the same.
    Same,
}

// ---- Backups ----

/// One backup file in the library's `backups/` folder.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    /// The file, as a displayable path.
    pub path: String,
    /// Its name in the folder.
    pub file_name: String,
    /// Why it was made.
    pub kind: BackupKind,
    /// When it was made (the file's modification time).
    pub made_at: chrono::DateTime<chrono::Utc>,
    /// Its size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// Its size as people read it: `1.4 MB`, `812 KB`.
    pub size: String,
}

/// Why a backup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupKind {
    /// On the schedule; only the newest few are kept.
    Auto,
    /// Asked for (`debrief backup`, the app's "Back up now").
    Manual,
    /// Before a migration to a newer schema.
    BeforeMigration,
    /// The library a restore replaced.
    BeforeRestore,
}

/// The automatic backups' schedule, and the backups there are.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BackupStatus {
    /// The folder backups go to.
    pub folder: String,
    /// Hours between automatic backups; 0 when they are off.
    pub interval_hours: u32,
    /// How many automatic backups are kept (older ones are deleted; other kinds never are).
    pub keep: u32,
    /// When the last automatic backup was made.
    pub last_auto_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Every backup in the folder, newest first.
    pub backups: Vec<BackupInfo>,
}

/// What a restore checked and did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RestoreReport {
    /// The file restored from.
    pub from: String,
    /// The schema version the file had (it was migrated if older).
    #[ts(type = "number")]
    pub schema_version: i64,
    /// What the restored library holds.
    #[ts(type = "number")]
    pub postmortems: i64,
    #[ts(type = "number")]
    /// Action items in the restored library.
    pub action_items: i64,
    /// Revisions in the restored library.
    #[ts(type = "number")]
    pub revisions: i64,
    /// Where the library it replaced was kept.
    pub kept_as: String,
    /// Set when the search index could not be rebuilt at once (another Debrief process
    /// holds it): it is rebuilt when the library is next opened.
    pub index_note: Option<String>,
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
    /// Only these postmortems (the incidents behind a figure the user drilled into); empty for
    /// any.
    pub ids: Vec<String>,
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

// ---- Metrics over a period (`stats`) ----

/// The metrics of one period, beside the same metrics of the period of the same length just
/// before it, so every figure can be read as "12 (was 9)". Counted by
/// [`crate::analysis::metrics::stats`]; each figure's rule is on its field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Stats {
    /// The one service the figures are narrowed to, as asked; `None` for the whole library.
    pub service: Option<String>,
    /// The period asked for.
    pub current: PeriodStats,
    /// The period of the same length that ends the day before `current` starts.
    pub previous: PeriodStats,
    /// The error budget of every service with an SLO, over its SLO window ending on the
    /// period's last day (narrowed to `service` when one is asked for).
    pub budgets: Vec<ServiceBudget>,
}

/// An incident behind a figure, to list it or drill into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IncidentRef {
    /// The postmortem's id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// Incidents counted by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SeverityCounts {
    /// SEV1 incidents.
    pub sev1: u32,
    /// SEV2 incidents.
    pub sev2: u32,
    /// SEV3 incidents.
    pub sev3: u32,
    /// SEV4 incidents.
    pub sev4: u32,
    /// All of them.
    pub total: u32,
}

/// One week or month of the period, with its incidents by severity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimeBucket {
    /// `2026-W05` (ISO week, ISO week-year) or `2026-01` (calendar month).
    pub label: String,
    /// The bucket's first day within the period (a bucket at an edge may be cut short).
    pub start: NaiveDate,
    /// The bucket's last day within the period.
    pub end: NaiveDate,
    /// Incidents whose incident date falls in the bucket.
    pub counts: SeverityCounts,
}

/// One bar of a duration histogram: `from_min <= minutes < to_min`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HistogramBin {
    /// e.g. `15–30 min`, `1–2 h`, `>24 h`.
    pub label: String,
    /// Lower edge in minutes, included.
    pub from_min: f64,
    /// Upper edge in minutes, excluded; `None` for the open last bar.
    pub to_min: Option<f64>,
    /// Incidents whose duration falls in the bar.
    pub count: u32,
}

/// The distribution of one duration (time to detect, resolve, ...) over a period's incidents.
/// Percentiles are nearest-rank: the p-th percentile of n sorted values is the value at rank
/// `ceil(p / 100 * n)`; the median is the 50th (the lower middle value for an even n).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DurationStats {
    /// Incidents the figure rests on: those with the markers it needs, in order.
    pub n: u32,
    /// Median in minutes; `None` when `n` is 0.
    pub median_min: Option<f64>,
    /// 90th percentile in minutes; `None` when `n` is 0.
    pub p90_min: Option<f64>,
    /// Mean in minutes; `None` when `n` is 0.
    pub mean_min: Option<f64>,
    /// Every bar, empty ones included, shortest first.
    pub histogram: Vec<HistogramBin>,
    /// How many incidents of the period were left out (the screen's copy of `lacking` may be
    /// cut short).
    pub lacking_total: u32,
    /// Incidents of the period left out: a marker it needs is missing, or its end is before
    /// its start.
    pub lacking: Vec<IncidentRef>,
    /// How many incidents were counted with a stated fallback (the screen's copy of
    /// `fallbacks` may be cut short).
    pub fallback_total: u32,
    /// Incidents counted with a stated fallback (impact only: detection for a missing start,
    /// mitigation for a missing resolution).
    pub fallbacks: Vec<IncidentRef>,
}

/// The five durations of a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PeriodDurations {
    /// Started to detected.
    pub time_to_detect: DurationStats,
    /// Detected to acknowledged.
    pub time_to_acknowledge: DurationStats,
    /// Detected to mitigated.
    pub time_to_mitigate: DurationStats,
    /// Detected to resolved (MTTR's duration).
    pub time_to_resolve: DurationStats,
    /// Started to resolved, with the stated fallbacks of `IncidentFacts::impact_span`.
    pub impact: DurationStats,
}

/// A share: `count` of `of`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Ratio {
    /// How many met the rule.
    pub count: u32,
    /// How many it was counted over.
    pub of: u32,
    /// `count / of`, 0 to 1; `None` when `of` is 0.
    pub rate: Option<f64>,
}

/// Drafts written within 48 hours of the resolution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftTimeliness {
    /// On-time drafts over the decided ones (left Draft in time, or not).
    pub on_time: Ratio,
    /// Incidents not yet decided: no resolution marker, or still a draft inside its 48 hours.
    pub undecided: Vec<IncidentRef>,
}

/// Action-item completion within 30 days for the items of a period's incidents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemCompletion {
    /// Items done within 30 days of creation, over items created more than 30 days ago.
    pub done_within_30_days: Ratio,
    /// Incidents of the period that have at least one counted item.
    pub incidents: u32,
    /// Items of the period's incidents too young to count yet.
    pub too_recent: u32,
}

/// The repeat-incident rate and the repeats behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RepeatRate {
    /// Repeats over all incidents of the period.
    pub rate: Ratio,
    /// The repeats: incidents sharing a category with an incident 1 to 90 days earlier.
    pub repeats: Vec<IncidentRef>,
}

/// Mean time between failures of one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServiceMtbf {
    /// The service.
    pub service: String,
    /// Its incidents in the period.
    pub incidents: u32,
    /// Mean days between consecutive incident dates; `None` with fewer than 2 incidents.
    pub mean_days: Option<f64>,
}

/// Headline figures for one service, severity or category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Breakdown {
    /// The service, severity code (`SEV1`) or category.
    pub key: String,
    /// Its incidents by severity.
    pub incidents: SeverityCounts,
    /// Of those, near misses.
    pub near_misses: u32,
    /// Incidents with a time to resolve.
    pub resolve_n: u32,
    /// Median time to resolve in minutes (nearest rank); `None` when `resolve_n` is 0.
    pub resolve_median_min: Option<f64>,
}

/// Every metric of one period `[from, to]` (local dates, both included), counted over the
/// incidents whose incident date falls in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PeriodStats {
    /// First day, included.
    pub from: NaiveDate,
    /// Last day, included.
    pub to: NaiveDate,
    /// Incidents in the period by severity (`total` is what most figures rest on).
    pub incidents: SeverityCounts,
    /// Of those, near misses.
    pub near_misses: u32,
    /// Every ISO week touching the period, zeros included.
    pub weekly: Vec<TimeBucket>,
    /// Every calendar month touching the period, zeros included.
    pub monthly: Vec<TimeBucket>,
    /// Time to detect, acknowledge, mitigate, resolve, and impact.
    pub durations: PeriodDurations,
    /// Per service with an incident in the period, in name order.
    pub mtbf: Vec<ServiceMtbf>,
    /// SEV1 and SEV2 postmortems now Final, over all SEV1 and SEV2 incidents of the period.
    pub sev12_final: Ratio,
    /// Drafts that left Draft within 48 hours of the resolution.
    pub drafts_within_48h: DraftTimeliness,
    /// Action-item completion within 30 days.
    pub action_items: ItemCompletion,
    /// The repeat-incident rate.
    pub repeats: RepeatRate,
    /// Per service, in name order.
    pub by_service: Vec<Breakdown>,
    /// Per severity, SEV1 first, all four present.
    pub by_severity: Vec<Breakdown>,
    /// Per category, in name order.
    pub by_category: Vec<Breakdown>,
}

// ---- Prevention ROI ----

/// The inputs of one category's prevention ROI (PRODUCT.md's formula). Defaults, validation and
/// the computation are in [`crate::analysis::roi`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoiInputs {
    /// The analysis window in days, ending on the report's date (at least 1; default 90).
    #[ts(type = "number")]
    pub window_days: i64,
    /// What an hour of full impact (every user affected) costs (at least 0; default 10,000).
    pub hourly_cost: f64,
    /// What the prevention work costs once (at least 0; default 50,000).
    pub implementation_cost: f64,
    /// The share of the category's cost the prevention removes, 0 to 1 (default 0.8).
    pub effectiveness: f64,
}

/// Inputs given for one request (the CLI's flags), overriding the saved and default ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoiOverrides {
    /// Replaces every category's hourly cost.
    pub hourly_cost: Option<f64>,
    /// Replaces every category's implementation cost.
    pub implementation_cost: Option<f64>,
    /// Replaces every category's effectiveness.
    pub effectiveness: Option<f64>,
}

/// An incident counted in a category's average impact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoiIncident {
    /// The postmortem's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The day the incident started.
    pub incident_date: NaiveDate,
    /// The impact span in hours (started to resolved, with the fallbacks below).
    pub duration_hours: f64,
    /// Share of users affected, 0 to 100.
    pub users_affected_pct: f64,
    /// `duration_hours * users_affected_pct / 100`: hours of full impact.
    pub impact: f64,
    /// The start was missing, so detection stood in for it.
    pub start_from_detection: bool,
    /// The resolution was missing, so mitigation stood in for it.
    pub end_from_mitigation: bool,
}

/// An incident of the window left out of a category's average impact, and what it lacked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoiExclusion {
    /// The postmortem's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The day the incident started.
    pub incident_date: NaiveDate,
    /// What it lacked: "users affected", "a duration (...)", or both.
    pub lacks: Vec<String>,
}

/// One category's prevention ROI, with everything it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CategoryRoi {
    /// The category (failure mode).
    pub category: String,
    /// The inputs used.
    pub inputs: RoiInputs,
    /// Whether the category has saved inputs (otherwise the defaults were the base).
    pub saved_inputs: bool,
    /// The inputs the request overrode (`hourly_cost`, `window_days`, ...).
    pub overridden: Vec<String>,
    /// First day of the window.
    pub from: NaiveDate,
    /// Last day of the window.
    pub to: NaiveDate,
    /// `n`: incidents of the category whose incident date is in the window, excluded ones too.
    #[ts(type = "number")]
    pub incidents: i64,
    /// `n * 365 / window_days`.
    pub incidents_per_year: f64,
    /// The incidents the average impact is over.
    pub included: Vec<RoiIncident>,
    /// How many incidents were excluded from the average impact (the screen's copy of
    /// `excluded` may be cut short).
    pub excluded_total: u32,
    /// The incidents counted in `n` but left out of the average impact, with what they lacked.
    pub excluded: Vec<RoiExclusion>,
    /// Mean impact (hours of full impact) of the included incidents; `None` when none is.
    pub avg_impact: Option<f64>,
    /// `incidents_per_year * avg_impact * hourly_cost`.
    pub annual_cost: Option<f64>,
    /// `annual_cost * effectiveness`.
    pub annual_savings: Option<f64>,
    /// `implementation_cost / (annual_savings / 12)`; `None` when it never pays back.
    pub payback_months: Option<f64>,
    /// `(annual_savings * 3 - implementation_cost) / implementation_cost * 100`.
    pub roi_3y_pct: Option<f64>,
    /// Why a figure is missing or what it rests on, in words.
    pub notes: Vec<String>,
}

/// Prevention ROI per category, best three-year ROI first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoiReport {
    /// The last day of every category's window.
    pub to: NaiveDate,
    /// The formula, in words.
    pub formula: String,
    /// What is counted and what is left out, in words.
    pub rule: String,
    /// Ranked by three-year ROI, highest first; categories without one last.
    pub categories: Vec<CategoryRoi>,
}

// ---- Error budgets ----

/// Where a service's error budget stands, by the share of it remaining.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BudgetStatus {
    /// More than 50% remaining.
    Healthy,
    /// 25% to 50% remaining, both ends included.
    Caution,
    /// More than 0% and less than 25% remaining.
    Warning,
    /// 0% or less remaining.
    Exhausted,
}

/// One incident's draw on a service's error budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetIncident {
    /// The postmortem's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The day the incident started.
    pub incident_date: NaiveDate,
    /// Its failure modes.
    pub categories: Vec<String>,
    /// The impact span in minutes.
    pub impact_minutes: f64,
    /// The share of users affected used, 0 to 100.
    pub users_affected_pct: f64,
    /// The postmortem did not give users affected, so all users (100%) were assumed.
    pub all_users_assumed: bool,
    /// The start was missing, so detection stood in for it.
    pub start_from_detection: bool,
    /// The resolution was missing, so mitigation stood in for it.
    pub end_from_mitigation: bool,
    /// `impact_minutes * users_affected_pct / 100`.
    pub consumed_minutes: f64,
    /// `consumed_minutes` as a percentage of the window's budget.
    pub consumed_pct: f64,
    /// It alone consumed more than 20% of the budget: a postmortem is required.
    pub postmortem_required: bool,
}

/// A category that consumed more than 20% of a service's budget over the quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CategoryBurn {
    /// The category.
    pub category: String,
    /// Minutes its incidents of the service consumed over the quarter.
    pub consumed_minutes: f64,
    /// As a percentage of the quarter's budget.
    pub consumed_pct: f64,
    /// The incidents behind it (ids).
    pub incidents: Vec<String>,
}

/// An incident of the service in the window whose consumption could not be counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetExclusion {
    /// The postmortem's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The day the incident started.
    pub incident_date: NaiveDate,
    /// Why it was not counted.
    pub reason: String,
}

/// A service's error budget over its SLO window ending on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ServiceBudget {
    /// The service.
    pub service: String,
    /// Its SLO target as a fraction (0.999).
    pub slo_target: f64,
    /// Its SLO window in days.
    #[ts(type = "number")]
    pub window_days: i64,
    /// The service has no window set, so 30 days was used.
    pub window_defaulted: bool,
    /// First day of the window.
    pub from: NaiveDate,
    /// Last day of the window.
    pub to: NaiveDate,
    /// `(1 - slo_target) * window_days * 1440`.
    pub budget_minutes: f64,
    /// What the counted incidents consumed.
    pub consumed_minutes: f64,
    /// `budget_minutes - consumed_minutes` (negative when overspent).
    pub remaining_minutes: f64,
    /// `remaining_minutes / budget_minutes * 100`.
    pub remaining_pct: f64,
    /// The status by `remaining_pct`.
    pub status: BudgetStatus,
    /// How many incidents alone consumed more than 20% of the budget, so that each requires a
    /// postmortem (the screen's copy of `incidents` may be cut short; [`Drill::BudgetRequired`]
    /// opens them all).
    ///
    /// [`Drill::BudgetRequired`]: crate::analysis::drill::Drill::BudgetRequired
    pub required_total: u32,
    /// The incidents counted, largest draw first.
    pub incidents: Vec<BudgetIncident>,
    /// Incidents of the window without an impact span, not counted.
    pub not_counted: Vec<BudgetExclusion>,
    /// Categories that consumed more than 20% of the budget of the quarter (90 days) ending on
    /// `to`, flagged for planning, largest first.
    pub categories_flagged: Vec<CategoryBurn>,
    /// The rules applied, in words.
    pub rule: String,
}

// ---- Insights ----

/// The Insights screen's data for one period (see [`crate::Library::insights`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Insights {
    /// The metrics, with the error budgets, as [`crate::Library::stats`] gives them.
    pub stats: Stats,
    /// The repeat patterns, as [`crate::Library::patterns`] gives them.
    pub patterns: Vec<crate::analysis::patterns::Pattern>,
    /// The prevention ROI of every category, as [`crate::Library::roi`] gives it with no overrides.
    pub roi: RoiReport,
    /// The error budgets, as [`crate::Library::error_budgets`] gives them.
    pub budgets: Vec<ServiceBudget>,
    /// Incidents of this calendar date (the user's local today) in past years, as
    /// [`crate::Library::on_this_day`] gives them (the screen's copy: the first few).
    pub on_this_day: Vec<OnThisDay>,
    /// How many incidents happened on this date in past years (a large library has a hundred
    /// a day; the screen lists the first few and opens the rest with
    /// [`crate::analysis::drill::Drill::OnThisDay`]).
    pub on_this_day_total: u32,
}

/// An incident of this calendar date in a past year (see [`crate::analysis::anniversary`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OnThisDay {
    /// The postmortem's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The day it started.
    pub incident_date: NaiveDate,
    /// How bad it was.
    pub severity: Severity,
    /// How many years before today: 1 or more.
    pub years_ago: u32,
    /// Its categories, as the taxonomy names them.
    pub categories: Vec<String>,
    /// The first sentence of its summary (of its first written section when none is headed
    /// "Summary"), at most 200 characters; `None` when nothing is written.
    pub summary: Option<String>,
}

/// The Insights screen: its data and its charts, drawn from that data in the window's colours
/// (see [`crate::Library::insights_screen`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InsightsScreen {
    /// The figures, as [`crate::Library::insights`] gives them, except that the metrics' copy
    /// of the error budgets is empty (`insights.budgets` holds them).
    pub insights: Insights,
    /// The charts, as [`crate::report::charts::insight_charts`] draws them.
    pub charts: Vec<crate::report::charts::Chart>,
}

// ---- Team library ----

/// Where a team library stands, as the app's sync badge and `debrief sync --status` show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamStatus {
    /// The repository's URL; `None` when the library is not shared.
    pub url: Option<String>,
    /// The branch synced.
    pub branch: Option<String>,
    /// One word for the badge: `not_connected`, `up_to_date`, `to_send`, `to_receive`,
    /// `conflict`, `offline` (the most pressing first: conflict, offline, to_receive, to_send).
    pub state: String,
    /// Postmortems changed here since the last sync (created, edited or deleted).
    pub to_send: usize,
    /// Files changed in the repository since the last sync, as of the last fetch.
    pub to_receive: usize,
    /// Postmortems with fields two people changed differently.
    pub conflicts: Vec<ConflictedPostmortem>,
    /// Files in the repository that could not be read, and are not applied until fixed.
    pub problems: Vec<FileProblem>,
    /// When the last sync finished (RFC 3339).
    pub synced_at: Option<String>,
    /// When the repository stopped answering (RFC 3339), and git's message.
    pub offline_since: Option<String>,
    /// Why the repository could not be reached.
    pub offline_reason: Option<String>,
    /// Minutes between the app's automatic syncs; 0 for none.
    pub interval_minutes: u32,
    /// The name commits are made with, and its email ("" when git knows neither).
    pub author_name: String,
    /// The email commits are made with.
    pub author_email: String,
    /// Whether the name and email are this library's own (not git's).
    pub author_set_here: bool,
    /// The last sync's report.
    pub last_report: Option<SyncReport>,
}

/// A postmortem with unresolved conflicts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConflictedPostmortem {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// How many fields are in conflict.
    pub fields: usize,
}

/// A file of the repository that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FileProblem {
    /// Its path in the repository.
    pub path: String,
    /// What is wrong, with the line where known.
    pub message: String,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncReport {
    /// When it ran (RFC 3339).
    pub at: String,
    /// The commit the library is now at; `None` when the repository is empty.
    pub commit: Option<String>,
    /// The postmortems this library sent, as "added: Title", "updated: Title", "deleted: Title".
    pub sent: Vec<String>,
    /// The postmortems taken in from the repository, the same way.
    pub received: Vec<String>,
    /// Postmortems both sides changed, merged field by field.
    pub merged: usize,
    /// Fields that clashed in this sync (kept side by side until someone chooses).
    pub new_conflicts: usize,
    /// What the user should know: an edit that won over a deletion, a merge that could not be
    /// made.
    pub notices: Vec<String>,
    /// Files that could not be read (not applied).
    pub problems: Vec<FileProblem>,
    /// Git's message when the repository could not be reached: nothing was exchanged and the
    /// library keeps working; the next sync sends and receives.
    pub offline: Option<String>,
}

/// What the app's About box shows: the version (Cargo.toml's, as in the CLI and the
/// installers) and what the app bundles, with its licences.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AboutInfo {
    /// The version, as `debrief --version` prints it.
    pub version: String,
    /// What the app bundles, with its licences.
    pub licences: Licences,
}

/// Everything the app bundles and the licence texts the packages ship
/// (`src-tauri/licences.json`, written by `scripts/licences.mjs`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Licences {
    /// The crates, npm packages and fonts, by kind and name.
    pub packages: Vec<BundledPackage>,
    /// Each distinct licence text once; packages refer to them by place.
    pub texts: Vec<String>,
}

/// A crate, npm package or font in the app, with its licence.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BundledPackage {
    /// `crate`, `npm` or `font`.
    pub kind: String,
    /// The package's name (a font's file name).
    pub name: String,
    /// The package's version (empty for a font).
    pub version: String,
    /// The licence as the package declares it (an SPDX expression for most).
    pub licence: String,
    /// Where the package lives (its repository, registry page or home page).
    pub url: String,
    /// Places in [`Licences::texts`] of the licence files the package ships.
    pub texts: Vec<u32>,
    /// For a package that ships no licence file of its own: places in [`Licences::texts`] of
    /// the standard texts (from the SPDX licence list) of the licences it declares, as
    /// `cargo about` gives them. Empty when the package ships its own.
    pub standard_texts: Vec<u32>,
}
