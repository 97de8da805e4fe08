//! The `debrief` command line: argument parsing and printing only. Every command calls one
//! `Library` method; errors go to stderr with their stable code and a non-zero exit.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use debrief::analysis::followthrough::FollowThrough;
use debrief::exchange::foreign_md::FileReport;
use debrief::model::{ActionStatus, Postmortem, PostmortemView, ReviewStatus, Severity};
use debrief::wire::ActionFilter;
use debrief::wire::ListFilter;
use debrief::wire::{BudgetStatus, IncidentRef, Ratio, ServiceBudget, SeverityCounts, Stats, TimeBucket};
use debrief::wire::{DiagramFormat, NewPostmortem};
use debrief::wire::{RoiOverrides, RoiReport};
use debrief::wire::{SearchOptions, SearchResults, SearchSort};
use debrief::wire::{ServiceChanges, Taxonomy, TaxonomyKind};
use debrief::{Error, Library, Result};

#[derive(Parser)]
#[command(name = "debrief", version, about = "Blameless postmortems and learning reviews, kept on your own machine")]
struct Cli {
    /// Library folder (database, index, backups). Default: the OS's app-data folder.
    #[arg(long, global = true, env = "DEBRIEF_LIBRARY", value_name = "DIR")]
    library: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load the sample library (idempotent: never overwrites edits)
    Demo,
    /// Create a postmortem from a template and print its id
    New {
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "SEV3", value_parser = parse_severity)]
        severity: Severity,
        /// Template name (default: the one suggested for the severity)
        #[arg(long)]
        template: Option<String>,
        /// Incident date, YYYY-MM-DD (default: today)
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
    },
    /// List postmortems, newest first
    List {
        #[arg(long, value_parser = parse_severity)]
        severity: Option<Severity>,
        #[arg(long, value_parser = parse_status)]
        status: Option<ReviewStatus>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        service: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one postmortem in full, with derived durations (ID may be a unique prefix)
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// A postmortem's timeline with times (UTC), kinds, markers and approximate flags (ID may
    /// be a unique prefix); --import merges a file into it, --csv writes it to a file
    Timeline {
        id: String,
        /// Merge this file into the timeline, all or nothing: pasted "time text" lines, CSV, a
        /// Slack day file or a Slack channel folder, told apart by content
        #[arg(long, value_name = "FILE", conflicts_with = "csv")]
        import: Option<PathBuf>,
        /// The time zone imported times are written in: UTC, CET, Europe/Berlin, +02:00 (default
        /// UTC)
        #[arg(long, value_name = "TZ", requires = "import")]
        zone: Option<String>,
        /// The day of imported lines that give only a time (default: the incident date)
        #[arg(long, value_name = "YYYY-MM-DD", requires = "import")]
        date: Option<chrono::NaiveDate>,
        /// Write the timeline to this file as CSV, in the form --import reads back
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Import files or folders (and the folders in them); each file is imported whole or not
    /// at all, and a report per file says what became what
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ImportFormat::Auto)]
        format: ImportFormat,
        /// Print the reports as JSON
        #[arg(long)]
        json: bool,
        /// Read every file and report what would be imported, without importing anything
        #[arg(long)]
        dry_run: bool,
        /// Import Markdown files that read like a template (a placeholder title such as
        /// "Title" or "Incident Title") too; without it they are skipped and reported
        #[arg(long)]
        include_templates: bool,
    },
    /// Export postmortems (all when no ID is given)
    Export {
        ids: Vec<String>,
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        #[arg(long)]
        out: PathBuf,
        /// Replace people's names, @handles and e-mail addresses by their role in each
        /// postmortem ("incident commander", "responder 2") or a stable "Person A" label
        #[arg(long)]
        anonymize: bool,
    },
    /// The learning-review digest of a period as a PDF: a summary, the most instructive
    /// incidents, key figures with charts, repeat patterns, prevention ROI, follow-through,
    /// near misses and every incident of the period
    Digest {
        #[command(flatten)]
        period: Period,
        #[arg(long)]
        out: PathBuf,
        /// Replace people by their role or a stable "Person A" label, as `export --anonymize`
        #[arg(long)]
        anonymize: bool,
    },
    /// Search the library: words, "phrases", severity:SEV1 status:final service:x
    /// category:"config change" owner:alice tag:x after:2025-01-01 before:2025-06-30 -word
    Search {
        query: Vec<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        #[arg(long)]
        json: bool,
    },
    /// The postmortems most similar to one, with the reasons
    Similar {
        id: String,
        #[arg(long, default_value_t = 5)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Repeat patterns of the incidents in a period (default: the 90 days ending today), each
    /// with its rule and its incidents
    Patterns {
        #[command(flatten)]
        period: Period,
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the search index from the database
    Reindex,
    /// Blameless-language findings for a postmortem (ID) or a file (a JSON library document,
    /// or any Markdown or text file, checked line by line)
    Lint {
        target: String,
        #[arg(long)]
        json: bool,
    },
    /// Action items across the library, soonest due first
    Actions {
        /// Only open or in-progress items past their due date
        #[arg(long)]
        overdue: bool,
        /// Only items owned by this person (full or first name)
        #[arg(long)]
        owner: Option<String>,
        /// Only items with this status: open, in_progress, done, wont_do
        #[arg(long, value_parser = parse_action_status)]
        status: Option<ActionStatus>,
        /// Only items of postmortems touching this service
        #[arg(long)]
        service: Option<String>,
        /// Print follow-through metrics instead of the items
        #[arg(long)]
        metrics: bool,
        /// Write the items as CSV to this file instead of printing them
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Count overdue and days open as of this date (default: today)
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Incident metrics over a period, each with its count and the previous period's value
    Stats {
        #[command(flatten)]
        period: Period,
        /// Only incidents touching this service
        #[arg(long)]
        service: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The taxonomy: categories, services (team, SLO) and root-cause types, retired ones marked;
    /// with a subcommand, manages them
    Taxonomy {
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        action: Option<TaxonomyAction>,
    },
    /// Prevention ROI per category, ranked, over the N days that end on --to; flags override
    /// each category's saved inputs
    Roi {
        /// Analysis window in days (default: each category's saved window, else 90)
        #[arg(long, value_name = "N")]
        window_days: Option<i64>,
        /// Last day of the window, YYYY-MM-DD (default: today)
        #[arg(long, value_name = "D")]
        to: Option<chrono::NaiveDate>,
        /// Only this category
        #[arg(long, value_name = "C")]
        category: Option<String>,
        /// Cost of an hour of full impact (default: saved, else 10000)
        #[arg(long, value_name = "X")]
        hourly_cost: Option<f64>,
        /// One-off cost of the prevention work (default: saved, else 50000)
        #[arg(long, value_name = "X")]
        implementation_cost: Option<f64>,
        /// Share of the cost the prevention removes, 0 to 1 (default: saved, else 0.8)
        #[arg(long, value_name = "F")]
        effectiveness: Option<f64>,
        #[arg(long)]
        json: bool,
    },
    /// Draw a postmortem's fishbone diagram to an SVG or PNG file (by the extension of --out)
    Fishbone {
        id: String,
        /// Which diagram: its id or 1-based position (default: the first)
        #[arg(long)]
        diagram: Option<String>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Share the library through a git repository of Markdown postmortems: the first call with
    /// --remote connects it; each call fetches, merges field by field, commits and pushes
    Sync {
        /// The repository (any URL or path git understands); connects the library to it
        #[arg(long)]
        remote: Option<String>,
        /// Only say where the library stands (asks the remote what there is to receive)
        #[arg(long, conflicts_with_all = ["remote", "disconnect"])]
        status: bool,
        /// Stop sharing the library (the postmortems stay)
        #[arg(long, conflicts_with = "remote")]
        disconnect: bool,
        /// Commit as this person instead of git's user ("Name <email>"; "" for git's own)
        #[arg(long)]
        author: Option<String>,
        /// Minutes between the app's automatic syncs (0: none)
        #[arg(long)]
        interval: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// A postmortem's revisions: list them, compare one with the current version (or another
    /// revision), or restore one (the current version is kept as a revision first)
    History {
        /// The postmortem (a unique prefix will do)
        id: String,
        /// Show what changed from revision N to the current version (or to --to)
        #[arg(long, value_name = "N", conflicts_with = "restore")]
        diff: Option<i64>,
        /// With --diff: compare with revision M instead of the current version
        #[arg(long, value_name = "M", requires = "diff")]
        to: Option<i64>,
        /// Bring back revision N's content
        #[arg(long, value_name = "N")]
        restore: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Choose a version of a field two people changed differently (see `debrief sync --status`)
    Resolve {
        /// The postmortem
        id: String,
        /// The conflict's id (`debrief show ID --json` lists them under "conflicts")
        conflict: String,
        /// The version to keep: 1 for the one the field holds, 2 for the other, ...
        #[arg(long)]
        keep: usize,
    },
    /// Check database integrity and search-index consistency
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Back up the library: a checked, consistent copy into FILE (--out) or, without --out, into
    /// the library's backups folder. --list shows the backups; --every and --keep set the
    /// automatic backups the app makes; --auto makes one now if it is due (for cron)
    Backup {
        #[arg(long, value_name = "FILE", conflicts_with_all = ["list", "auto"])]
        out: Option<PathBuf>,
        /// List the backups and the schedule
        #[arg(long)]
        list: bool,
        /// Hours between automatic backups (0 turns them off)
        #[arg(long, value_name = "HOURS")]
        every: Option<u32>,
        /// How many automatic backups to keep (older ones are deleted; other backups never are)
        #[arg(long, value_name = "N")]
        keep: Option<u32>,
        /// Make the automatic backup now if one is due by the schedule
        #[arg(long)]
        auto: bool,
        #[arg(long)]
        json: bool,
    },
    /// Replace the library with a backup: the file is checked first (integrity, schema
    /// version, every postmortem readable) and the current library is kept as a backup
    Restore {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum TaxonomyAction {
    /// Add a category, service or root-cause type (KIND: category, service or cause)
    Add {
        #[arg(value_parser = parse_kind)]
        kind: TaxonomyKind,
        name: String,
        /// What it is or covers
        #[arg(long, default_value = "")]
        description: String,
        /// A service's owning team
        #[arg(long, value_name = "T")]
        team: Option<String>,
        /// A service's SLO target as a fraction, e.g. 0.999
        #[arg(long, value_name = "X")]
        slo: Option<f64>,
        /// A service's SLO window in days, e.g. 30
        #[arg(long, value_name = "N")]
        window_days: Option<i64>,
    },
    /// Rename one, relabelling every postmortem (a name already taken: merge instead)
    Rename {
        #[arg(value_parser = parse_kind)]
        kind: TaxonomyKind,
        name: String,
        new_name: String,
    },
    /// Merge NAME into INTO: every postmortem labelled NAME gets INTO, then NAME is deleted
    Merge {
        #[arg(value_parser = parse_kind)]
        kind: TaxonomyKind,
        name: String,
        into: String,
    },
    /// Set what one is or covers (an empty DESCRIPTION clears it)
    Describe {
        #[arg(value_parser = parse_kind)]
        kind: TaxonomyKind,
        name: String,
        description: String,
    },
    /// Retire one: postmortems keep it, new ones are no longer offered it
    Retire {
        #[arg(value_parser = parse_kind)]
        kind: TaxonomyKind,
        name: String,
        /// Bring a retired one back instead
        #[arg(long)]
        undo: bool,
    },
    /// Set a service's owning team, SLO target or SLO window (an empty --team clears it)
    Service {
        name: String,
        #[arg(long, value_name = "T")]
        team: Option<String>,
        /// SLO target as a fraction, e.g. 0.999
        #[arg(long, value_name = "X")]
        slo: Option<f64>,
        /// SLO window in days, e.g. 30
        #[arg(long, value_name = "N")]
        window_days: Option<i64>,
        #[arg(long)]
        description: Option<String>,
    },
}

fn parse_kind(s: &str) -> std::result::Result<TaxonomyKind, String> {
    TaxonomyKind::parse(s).ok_or_else(|| format!("unknown kind {s:?}; use category, service or cause"))
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum ImportFormat {
    Auto,
    Json,
    /// Action items as CSV (see `debrief actions --csv`)
    Csv,
    /// Postmortems in Markdown: Debrief's own (see `debrief export --format md`) or anyone's
    Md,
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// One JSON library document holding every postmortem exported
    Json,
    /// One PDF per postmortem: a file for one, a folder for several
    Pdf,
    /// Debrief's own Markdown with YAML front matter, read back exactly by `import`: a file
    /// for one postmortem, a folder for several
    Md,
}

/// Prints where a PDF went, and warns about characters the fonts could not draw.
fn report_pdf(file: &debrief::report::pdf::PdfOutcome) {
    println!("{} ({} pages, {} postmortems)", file.path, file.pages, file.postmortems);
    if !file.missing_characters.is_empty() {
        eprintln!(
            "warning: {}: the embedded fonts have no glyph for {}; each was printed as \u{FFFD}",
            file.path, file.missing_characters
        );
    }
}

fn parse_severity(s: &str) -> std::result::Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("unknown severity {s:?}; use SEV1, SEV2, SEV3 or SEV4"))
}

fn parse_action_status(s: &str) -> std::result::Result<ActionStatus, String> {
    ActionStatus::parse(s).ok_or_else(|| format!("unknown status {s:?}; use open, in_progress, done or wont_do"))
}

fn parse_status(s: &str) -> std::result::Result<ReviewStatus, String> {
    ReviewStatus::parse(s).ok_or_else(|| format!("unknown status {s:?}; use draft, in_review or final"))
}

fn main() -> ExitCode {
    // Behave like other Unix tools when the reader goes away (`debrief list | head`).
    #[cfg(unix)]
    // SAFETY: restoring the default signal disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("debrief: error [{}]: {e}", e.code());
            ExitCode::FAILURE
        }
    }
}

/// The period a report covers, as `stats` and `patterns` take it.
#[derive(clap::Args)]
struct Period {
    /// First incident date counted, YYYY-MM-DD (default: 89 days before --to, 90 days in all)
    #[arg(long)]
    from: Option<chrono::NaiveDate>,
    /// Last incident date counted, YYYY-MM-DD (default: today)
    #[arg(long)]
    to: Option<chrono::NaiveDate>,
}

impl Period {
    /// The first and last day, defaults filled in.
    fn days(&self) -> (chrono::NaiveDate, chrono::NaiveDate) {
        let to = self.to.unwrap_or_else(debrief::clock::today);
        (self.from.unwrap_or(to - chrono::Duration::days(89)), to)
    }
}

/// A fraction as a percentage without float noise: 0.9995 is 99.95.
fn percent(fraction: f64) -> f64 {
    (fraction * 100.0 * 1e6).round() / 1e6
}

/// A retired entry's mark.
fn retired_mark(retired: bool) -> &'static str {
    if retired {
        " (retired)"
    } else {
        ""
    }
}

/// `name` and, when there is one, ` — description`.
fn described(name: &str, description: &str) -> String {
    if description.is_empty() {
        name.to_string()
    } else {
        format!("{name} — {description}")
    }
}

fn print_taxonomy(t: &Taxonomy) {
    println!("categories ({})", t.categories.len());
    for c in &t.categories {
        println!("  {}{}", described(&c.name, &c.description), retired_mark(c.retired));
    }
    println!("services ({})", t.services.len());
    for s in &t.services {
        let team = s.team.as_deref().map_or_else(|| "no team".to_string(), |t| format!("team {t}"));
        let slo = match (s.slo_target, s.slo_window_days) {
            (Some(t), Some(d)) => format!("SLO {}% over {d} days", percent(t)),
            (Some(t), None) => format!("SLO {}%, no window", percent(t)),
            (None, _) => "no SLO".to_string(),
        };
        println!("  {}{}  [{team}; {slo}]", described(&s.name, &s.description), retired_mark(s.retired));
    }
    println!("root-cause types ({})", t.root_cause_types.len() + t.cause_types.iter().filter(|c| c.retired).count());
    for c in &t.cause_types {
        println!("  {}{}", described(&c.name, &c.description), retired_mark(c.retired));
    }
    for name in t.root_cause_types.iter().filter(|n| !t.cause_types.iter().any(|c| c.name.eq_ignore_ascii_case(n))) {
        println!("  {name} (in use, not managed)");
    }
}

/// Runs a `taxonomy` subcommand and says what it did.
fn taxonomy_change(lib: &mut Library, action: TaxonomyAction) -> Result<()> {
    match action {
        TaxonomyAction::Add { kind, name, description, team, slo, window_days } => {
            if kind == TaxonomyKind::Service {
                let service = debrief::model::Service {
                    name,
                    description,
                    slo_target: slo,
                    slo_window_days: window_days,
                    team,
                    retired: false,
                };
                let s = lib.add_service(service)?;
                println!("added service {:?}", s.name);
            } else {
                for (field, given) in
                    [("team", team.is_some()), ("slo", slo.is_some()), ("window_days", window_days.is_some())]
                {
                    if given {
                        return Err(Error::invalid(field, format!("only a service has one, not a {}", kind.as_str())));
                    }
                }
                lib.add_taxonomy(kind, &name, &description)?;
                println!("added {} {:?}", kind.as_str(), name.trim());
            }
        }
        TaxonomyAction::Rename { kind, name, new_name } => {
            let n = lib.rename_taxonomy(kind, &name, &new_name)?;
            println!("renamed {} {name:?} to {:?}; {n} postmortems relabelled", kind.as_str(), new_name.trim());
        }
        TaxonomyAction::Merge { kind, name, into } => {
            let n = lib.merge_taxonomy(kind, &name, &into)?;
            println!("merged {} {name:?} into {into:?}; {n} postmortems relabelled", kind.as_str());
        }
        TaxonomyAction::Describe { kind, name, description } => {
            lib.describe_taxonomy(kind, &name, &description)?;
            println!("described {} {name:?}", kind.as_str());
        }
        TaxonomyAction::Retire { kind, name, undo } => {
            lib.retire_taxonomy(kind, &name, !undo)?;
            let done = if undo { "brought back" } else { "retired" };
            println!("{done} {} {name:?}", kind.as_str());
        }
        TaxonomyAction::Service { name, team, slo, window_days, description } => {
            let changes = ServiceChanges { team, slo_target: slo, slo_window_days: window_days, description };
            let s = lib.update_service(&name, &changes)?;
            println!(
                "service {:?}: team {}, SLO target {}, window {}",
                s.name,
                s.team.as_deref().unwrap_or("-"),
                s.slo_target.map_or_else(|| "-".to_string(), |t| t.to_string()),
                s.slo_window_days.map_or_else(|| "-".to_string(), |d| format!("{d} days"))
            );
        }
    }
    Ok(())
}

/// A figure for the ROI table: two decimals, or a dash with no value.
fn fig(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.2}"))
}

fn print_roi(r: &RoiReport) {
    println!("Prevention ROI, windows ending {}, best three-year ROI first", r.to);
    println!("formula: {}", r.formula);
    println!();
    println!(
        "{:<4} {:<24} {:>6} {:>10} {:>10} {:>4} {:>7} {:>9} {:>9} {:>12} {:>12} {:>8} {:>9}",
        "rank",
        "category",
        "window",
        "hourly",
        "implement",
        "eff",
        "n",
        "per_year",
        "avg_imp",
        "annual_cost",
        "savings",
        "payback",
        "roi_3y_%"
    );
    for (i, c) in r.categories.iter().enumerate() {
        let inp = &c.inputs;
        println!(
            "{:<4} {:<24} {:>5}d {:>10.2} {:>10.2} {:>4.2} {:>7} {:>9.4} {:>9} {:>12} {:>12} {:>8} {:>9}",
            i + 1,
            c.category,
            inp.window_days,
            inp.hourly_cost,
            inp.implementation_cost,
            inp.effectiveness,
            c.incidents,
            c.incidents_per_year,
            c.avg_impact.map_or_else(|| "-".to_string(), |v| format!("{v:.4}")),
            fig(c.annual_cost),
            fig(c.annual_savings),
            fig(c.payback_months),
            fig(c.roi_3y_pct)
        );
    }
    for c in &r.categories {
        let source = if c.saved_inputs { "saved inputs" } else { "default inputs" };
        let over =
            if c.overridden.is_empty() { String::new() } else { format!(", overridden: {}", c.overridden.join(", ")) };
        let mut lines = Vec::new();
        for e in &c.excluded {
            lines.push(format!(
                "  excluded {} {} \"{}\": lacks {}",
                &e.id[..8.min(e.id.len())],
                e.incident_date,
                e.title,
                e.lacks.join(" and ")
            ));
        }
        for inc in c.included.iter().filter(|i| i.start_from_detection || i.end_from_mitigation) {
            let how = match (inc.start_from_detection, inc.end_from_mitigation) {
                (true, true) => "detection to mitigation",
                (true, false) => "detection to resolution",
                _ => "start to mitigation",
            };
            lines.push(format!("  {} \"{}\": duration measured {how}", &inc.id[..8.min(inc.id.len())], inc.title));
        }
        lines.extend(c.notes.iter().map(|n| format!("  note: {n}")));
        if !lines.is_empty() || c.saved_inputs || !c.overridden.is_empty() {
            println!();
            println!("{} ({} to {}, {source}{over})", c.category, c.from, c.to);
            for l in lines {
                println!("{l}");
            }
        }
    }
    println!();
    println!("rule: {}", r.rule);
}

/// `debrief sync`: connects, sets, reports or syncs; prints what happened.
fn sync(
    lib: &mut Library,
    remote: Option<String>,
    status: bool,
    disconnect: bool,
    author: Option<String>,
    interval: Option<u32>,
    json: bool,
) -> Result<ExitCode> {
    if disconnect {
        lib.team_disconnect()?;
        println!("the library is no longer shared (its postmortems stay)");
        return Ok(ExitCode::SUCCESS);
    }
    let mut progress = debrief::progress::Progress::none();
    // "Name <email>", or "" for git's own.
    let author: Option<Option<(String, String)>> = match author.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(a) => match a.strip_suffix('>').and_then(|rest| rest.rsplit_once('<')) {
            Some((name, email)) => Some(Some((name.trim().to_string(), email.trim().to_string()))),
            None => return Err(Error::invalid("author", "write it as \"Name <email>\"")),
        },
    };
    let as_refs = |a: &Option<(String, String)>| a.as_ref().map(|(n, e)| (n.clone(), e.clone()));
    let report = match remote {
        Some(url) => {
            let who = author.as_ref().and_then(as_refs);
            Some(lib.team_connect(&url, who.as_ref().map(|(n, e)| (n.as_str(), e.as_str())), &mut progress)?)
        }
        None => {
            if let Some(a) = &author {
                lib.team_set_author(a.as_ref().map(|(n, e)| (n.as_str(), e.as_str())))?;
            }
            None
        }
    };
    if let Some(minutes) = interval {
        lib.team_set_interval(minutes)?;
    }
    let report = match report {
        Some(r) => Some(r),
        None if status => None,
        None => Some(lib.team_sync(&mut progress)?),
    };
    let state = lib.team_status(status)?;
    if json {
        json_out(&serde_json::json!({ "report": report, "status": state }));
    } else {
        if let Some(r) = &report {
            if let Some(why) = &r.offline {
                println!("offline: {why}");
                println!("nothing was exchanged; the library keeps working and the next sync catches up");
            }
            for s in &r.received {
                println!("received {s}");
            }
            for s in &r.sent {
                println!("sent {s}");
            }
            if r.merged > 0 {
                println!("merged {} postmortems changed on both sides", r.merged);
            }
            for n in &r.notices {
                println!("note: {n}");
            }
            for p in &r.problems {
                println!("not applied: {}: {}", p.path, p.message);
            }
        }
        println!(
            "{} ({}, branch {}): {} to send, {} to receive",
            state.state.replace('_', " "),
            state.url.as_deref().unwrap_or("not connected"),
            state.branch.as_deref().unwrap_or("-"),
            state.to_send,
            state.to_receive
        );
        for c in &state.conflicts {
            println!(
                "conflict: {} ({}) has {} fields with two versions; `debrief show {} --json` lists them",
                c.title, c.id, c.fields, c.id
            );
        }
    }
    let offline = report.as_ref().is_some_and(|r| r.offline.is_some());
    Ok(if offline { ExitCode::from(3) } else { ExitCode::SUCCESS })
}

fn json_out<T: serde::Serialize>(value: &T) {
    println!("{}", serde_json::to_string_pretty(value).expect("serializes"));
}

fn run(cli: Cli) -> Result<ExitCode> {
    let dir = cli.library.unwrap_or_else(Library::default_dir);
    let mut lib = Library::open(&dir)?;
    match cli.command {
        Command::Demo => {
            let r = lib.load_sample()?;
            println!(
                "sample library: {} postmortems added, {} already present ({})",
                r.created,
                r.unchanged,
                lib.dir().display()
            );
        }
        Command::New { title, severity, template, date } => {
            let pm = lib.create(NewPostmortem { title, severity, template, incident_date: date })?;
            println!("{}", pm.id);
        }
        Command::List { severity, status, category, service, json } => {
            let rows = lib.list(&ListFilter {
                severities: severity.into_iter().collect(),
                statuses: status.into_iter().collect(),
                category,
                service,
                ids: Vec::new(),
            })?;
            if json {
                json_out(&rows);
            } else if rows.is_empty() {
                println!("no postmortems (try `debrief demo` to load the sample library)");
            } else {
                println!("{:<8}  {:<10}  {:<4}  {:<9}  {:<5}  TITLE", "ID", "DATE", "SEV", "STATUS", "OPEN");
                for r in &rows {
                    let open = if r.action_items_overdue > 0 {
                        format!("{}!", r.action_items_open)
                    } else {
                        r.action_items_open.to_string()
                    };
                    println!(
                        "{:<8}  {}  {:<4}  {:<9}  {:<5}  {}{}",
                        &r.id[..8],
                        r.incident_date,
                        r.severity.as_str(),
                        r.status.as_str(),
                        open,
                        r.title,
                        if r.near_miss { "  (near miss)" } else { "" }
                    );
                }
                println!("{} postmortems; OPEN = open action items, ! = some overdue", rows.len());
            }
        }
        Command::Show { id, json } => {
            let id = lib.resolve_id(&id)?;
            let view = lib.get(&id)?;
            if json {
                json_out(&view);
            } else {
                print_postmortem(&view);
            }
        }
        Command::Timeline { id, import, zone, date, csv, json } => {
            let id = lib.resolve_id(&id)?;
            if let Some(path) = import {
                let r = lib.import_timeline_file(&id, &path, zone.as_deref().unwrap_or("UTC"), date)?;
                if json {
                    json_out(&r);
                } else {
                    let already = match r.already_present {
                        0 => String::new(),
                        n => format!("; {n} already in the timeline, not added again"),
                    };
                    println!(
                        "{} ({}): {} events read, {} added{already}",
                        r.source,
                        r.format.as_str(),
                        r.read,
                        r.added
                    );
                }
            } else if let Some(path) = csv {
                let n = lib.export_timeline_csv_file(&id, &path)?;
                println!("{n} events written to {}", path.display());
            } else {
                let view = lib.get(&id)?;
                if json {
                    let p = &view.postmortem;
                    json_out(&TimelineJson {
                        id: &p.id,
                        title: &p.title,
                        incident_date: p.incident_date,
                        timeline: &p.timeline,
                        durations: &view.durations,
                    });
                } else {
                    print_timeline(&view);
                }
            }
        }
        Command::Import { paths, format, json, dry_run, include_templates } => {
            let files = Library::files_to_import(&paths)?;
            if files.is_empty() {
                eprintln!(
                    "debrief: no .json, .csv or Markdown files found in {}",
                    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
                );
                return Ok(ExitCode::FAILURE);
            }
            let how = debrief::library::MarkdownImport { dry_run, skip_templates: !include_templates };
            let reports = import_files(&mut lib, &files, format, how)?;
            let failed = reports.iter().filter(|r| r.outcome == "failed").count();
            if json {
                json_out(&reports);
            } else {
                for r in &reports {
                    print_file_report(r);
                }
                if reports.len() > 1 {
                    // JSON and CSV reports say their own counts; these count Markdown files.
                    let count = |o: &str| {
                        reports
                            .iter()
                            .filter(|r| r.format != "json" && r.format != "csv" && r.outcome.ends_with(o))
                            .count()
                    };
                    let skipped = match count("skipped") {
                        0 => String::new(),
                        n => format!(", {n} skipped as templates"),
                    };
                    println!(
                        "{} files: {} created, {} updated, {} unchanged{skipped}, {failed} failed{}",
                        reports.len(),
                        count("created"),
                        count("updated"),
                        count("unchanged"),
                        if dry_run { " (a dry run: nothing was imported)" } else { "" }
                    );
                }
            }
            if failed > 0 {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Export { ids, format: ExportFormat::Json, out, anonymize } => {
            let ids = ids.iter().map(|i| lib.resolve_id(i)).collect::<Result<Vec<_>>>()?;
            let n = lib.export_json_file_with(&ids, &out, anonymize, &mut debrief::progress::Progress::none())?;
            println!("{n} postmortems written to {}", out.display());
        }
        Command::Export { ids, format: ExportFormat::Pdf, out, anonymize } => {
            let ids = ids.iter().map(|i| lib.resolve_id(i)).collect::<Result<Vec<_>>>()?;
            let written = lib.export_pdf(&ids, &out, anonymize, &mut debrief::progress::Progress::none())?;
            for file in &written {
                report_pdf(file);
            }
            if written.len() != 1 {
                println!("{} PDFs written to {}", written.len(), out.display());
            }
        }
        Command::Export { ids, format: ExportFormat::Md, out, anonymize } => {
            let ids = ids.iter().map(|i| lib.resolve_id(i)).collect::<Result<Vec<_>>>()?;
            let written = lib.export_markdown(&ids, &out, anonymize, &mut debrief::progress::Progress::none())?;
            match written.as_slice() {
                [one] => println!("{}", one.display()),
                many => println!("{} Markdown files written to {}", many.len(), out.display()),
            }
        }
        Command::Digest { period, out, anonymize } => {
            let (from, to) = period.days();
            let written = lib.export_digest(from, to, &out, anonymize, &mut debrief::progress::Progress::none())?;
            report_pdf(&written);
        }
        Command::Search { query, limit, offset, sort, json } => {
            let sort = match sort {
                SortArg::Relevance => SearchSort::Relevance,
                SortArg::Newest => SearchSort::Newest,
                SortArg::Oldest => SearchSort::Oldest,
            };
            let query = query.join(" ");
            let results = lib.search(&query, &SearchOptions { limit, offset, sort })?;
            if json {
                json_out(&results);
            } else {
                print_results(&results, offset);
            }
        }
        Command::Patterns { period, json } => {
            let (from, to) = period.days();
            let found = lib.patterns(from, to)?;
            if json {
                json_out(&found);
            } else if found.is_empty() {
                println!("no repeat patterns from {from} to {to}");
            } else {
                for p in &found {
                    println!("{}", p.rule);
                    for i in &p.incidents {
                        println!("    {}  {}  {}", &i.id[..8.min(i.id.len())], i.incident_date, i.title);
                    }
                }
            }
        }
        Command::Similar { id, limit, json } => {
            let id = lib.resolve_id(&id)?;
            let hits = lib.similar(&id, limit)?;
            if json {
                json_out(&hits);
            } else if hits.is_empty() {
                println!("no similar postmortems");
            } else {
                for h in &hits {
                    println!("{}  {}  {:<4}  {}", &h.id[..8], h.incident_date, h.severity.as_str(), h.title);
                    for r in &h.reasons {
                        println!("          {r}");
                    }
                }
            }
        }
        Command::Lint { target, json } => {
            let path = Path::new(&target);
            let findings =
                if path.is_file() { Library::lint_file(path)? } else { lib.lint(&lib.resolve_id(&target)?)? };
            if json {
                json_out(&findings);
            } else if findings.is_empty() {
                println!("no blameful phrasing found in {target}");
            } else {
                for f in &findings {
                    println!("{}:{}: [{:?}] \"{}\": {}", f.field, f.line, f.strength, f.text, f.why);
                    println!("    suggestion: {}", f.suggestion);
                }
                println!("{} findings (the coach informs; nothing is blocked)", findings.len());
            }
        }
        Command::Stats { period, service, json } => {
            let (from, to) = period.days();
            let stats = lib.stats(from, to, service.as_deref())?;
            if json {
                json_out(&stats);
            } else {
                print_stats(&stats);
            }
        }
        Command::Actions { overdue, owner, status, service, metrics, csv, today, json } => {
            let today = today.unwrap_or_else(debrief::clock::today);
            if metrics {
                let m = lib.follow_through(today)?;
                if json {
                    json_out(&m);
                } else {
                    print_follow_through(&m);
                }
                return Ok(ExitCode::SUCCESS);
            }
            let filter = ActionFilter { overdue, owner, status, service, ..Default::default() };
            if let Some(path) = csv {
                lib.export_actions_csv_file(&filter, today, &path)?;
                println!("{}", path.display());
                return Ok(ExitCode::SUCCESS);
            }
            let rows = lib.actions(&filter, today)?;
            if json {
                json_out(&rows);
            } else if rows.is_empty() {
                println!("no action items match");
            } else {
                println!(
                    "{:<10}  {:<11}  {:<2}  {:<18}  {:>4}  TITLE (POSTMORTEM)",
                    "DUE", "STATUS", "PR", "OWNER", "DAYS"
                );
                for r in &rows {
                    let due = r.item.due_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
                    let flag = if r.overdue { "!" } else { " " };
                    println!(
                        "{due:<10}{flag} {:<11}  {:<2}  {:<18}  {:>4}  {} ({})",
                        r.item.status.as_str(),
                        r.item.priority.as_str(),
                        truncate(r.item.owner.as_deref().unwrap_or("(no owner)"), 18),
                        r.days_open,
                        r.item.title,
                        truncate(&r.postmortem_title, 40)
                    );
                }
                let overdue = rows.iter().filter(|r| r.overdue).count();
                println!("{} items, {overdue} overdue (marked !)", rows.len());
            }
        }
        Command::Taxonomy { json, action: None } => {
            let t = lib.taxonomy()?;
            if json {
                json_out(&t);
            } else {
                print_taxonomy(&t);
            }
        }
        Command::Taxonomy { action: Some(action), .. } => taxonomy_change(&mut lib, action)?,
        Command::Roi { window_days, to, category, hourly_cost, implementation_cost, effectiveness, json } => {
            let to = to.unwrap_or_else(debrief::clock::today);
            let overrides = RoiOverrides { hourly_cost, implementation_cost, effectiveness };
            let report = lib.roi(to, window_days, category.as_deref(), &overrides)?;
            if json {
                json_out(&report);
            } else {
                print_roi(&report);
            }
        }
        Command::Fishbone { id, diagram, out } => {
            let format = DiagramFormat::from_path(&out)
                .ok_or_else(|| Error::invalid("out", format!("{}: name the file .svg or .png", out.display())))?;
            lib.export_stored_fishbone(&lib.resolve_id(&id)?, diagram.as_deref(), format, &out)?;
            println!("{}", out.display());
        }
        Command::Reindex => {
            let started = std::time::Instant::now();
            let n = lib.reindex(&mut |done, total| {
                if total >= 2000 {
                    eprint!("\rindexing {done}/{total}");
                }
            })?;
            eprintln!();
            println!("indexed {n} postmortems in {:.1?}", started.elapsed());
        }
        Command::Sync { remote, status, disconnect, author, interval, json } => {
            return sync(&mut lib, remote, status, disconnect, author, interval, json);
        }
        Command::History { id, diff, to, restore, json } => {
            let id = lib.resolve_id(&id)?;
            if let Some(number) = restore {
                let view = lib.restore_revision(&id, number)?;
                if json {
                    json_out(&view);
                } else {
                    println!(
                        "restored revision {number} of {}; the version it replaced is revision {}",
                        view.postmortem.title, view.revisions
                    );
                }
            } else if let Some(from) = diff {
                let d = lib.revision_diff(&id, from, to)?;
                if json {
                    json_out(&d);
                } else {
                    print_diff(&d);
                }
            } else {
                let revisions = lib.history(&id)?;
                if json {
                    json_out(&revisions);
                } else {
                    print_history(&revisions);
                }
            }
        }
        Command::Resolve { id, conflict, keep } => {
            let id = lib.resolve_id(&id)?;
            if keep == 0 {
                return Err(Error::invalid("keep", "versions are numbered from 1"));
            }
            let view = lib.resolve_conflict(&id, &conflict, keep - 1)?;
            println!(
                "kept version {keep}; {} conflicts left in {}",
                view.postmortem.conflicts.len(),
                view.postmortem.title
            );
        }
        Command::Check { json } => {
            let r = lib.check()?;
            if json {
                json_out(&r);
            } else {
                println!("library {}: schema v{}, {} postmortems", r.library, r.schema_version, r.postmortems);
                println!(
                    "search index: {} missing, {} extra, {} stale, {} queued",
                    r.index.missing.len(),
                    r.index.extra.len(),
                    r.index.stale.len(),
                    r.index.pending
                );
                for p in &r.problems {
                    println!("problem: {p}");
                }
                println!("{}", if r.problems.is_empty() { "ok" } else { "PROBLEMS FOUND" });
            }
            if !r.problems.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Backup { out, list, every, keep, auto, json } => {
            if every.is_some() || keep.is_some() {
                let now = lib.backup_status()?;
                lib.set_backup_schedule(every.unwrap_or(now.interval_hours), keep.unwrap_or(now.keep))?;
            }
            if list || ((every.is_some() || keep.is_some()) && !auto && out.is_none()) {
                let status = lib.backup_status()?;
                if json {
                    json_out(&status);
                } else {
                    print_backups(&status);
                }
            } else if auto {
                let made = lib.auto_backup_if_due(debrief::clock::now())?;
                if json {
                    json_out(&made);
                } else {
                    match made {
                        Some(b) => println!("automatic backup written to {}", b.path),
                        None => println!("no automatic backup due (see `debrief backup --list`)"),
                    }
                }
            } else {
                let made = match out {
                    Some(out) => lib.backup(&out)?,
                    None => lib.backup_now()?,
                };
                if json {
                    json_out(&made);
                } else {
                    println!("backup written to {} ({}, checked)", made.path, made.size);
                }
            }
        }
        Command::Restore { file, json } => {
            let report = lib.restore(&file, &mut debrief::progress::Progress::none())?;
            if json {
                json_out(&report);
            } else {
                println!(
                    "restored {}: {} postmortems, {} action items, {} revisions (it had schema v{})",
                    report.from, report.postmortems, report.action_items, report.revisions, report.schema_version
                );
                println!("the library it replaced is kept as {}", report.kept_as);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `text` cut to `max` characters, an ellipsis marking the cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

/// Minutes as a person reads them: `42 min`, `3 h 10 min`, `2 d 4 h`.
fn minutes_text(minutes: f64) -> String {
    let m = minutes.round() as i64;
    match m {
        ..=59 => format!("{m} min"),
        60..=2879 if m % 60 == 0 => format!("{} h", m / 60),
        60..=2879 => format!("{} h {} min", m / 60, m % 60),
        _ if m % 1440 / 60 == 0 => format!("{} d", m / 1440),
        _ => format!("{} d {} h", m / 1440, m % 1440 / 60),
    }
}

fn maybe_minutes(minutes: Option<f64>) -> String {
    minutes.map_or_else(|| "–".to_string(), minutes_text)
}

/// `3 of 5 (60%)`, or `none to count` when there is nothing to count over.
fn ratio_text(r: &Ratio) -> String {
    match r.rate {
        Some(rate) => format!("{} of {} ({:.0}%)", r.count, r.of, rate * 100.0),
        None => "none to count".to_string(),
    }
}

/// A few incidents by title and short id, and how many more.
fn incidents_text(refs: &[IncidentRef]) -> String {
    const SHOWN: usize = 4;
    let mut text =
        refs.iter().take(SHOWN).map(|r| format!("{} ({})", r.title, truncate(&r.id, 8))).collect::<Vec<_>>().join("; ");
    if refs.len() > SHOWN {
        text.push_str(&format!("; and {} more", refs.len() - SHOWN));
    }
    text
}

fn severity_text(c: &SeverityCounts) -> String {
    format!("SEV1 {}, SEV2 {}, SEV3 {}, SEV4 {}", c.sev1, c.sev2, c.sev3, c.sev4)
}

fn print_stats(s: &Stats) {
    let (now, was) = (&s.current, &s.previous);
    let days = (now.to - now.from).num_days() + 1;
    println!(
        "Incident metrics {} to {} ({days} days{}), compared with {} to {}",
        now.from,
        now.to,
        s.service.as_ref().map(|x| format!(", service {x}")).unwrap_or_default(),
        was.from,
        was.to
    );
    println!();
    println!("Incidents  {} (was {}): {}", now.incidents.total, was.incidents.total, severity_text(&now.incidents));
    println!("Near misses  {} (was {})", now.near_misses, was.near_misses);
    let buckets = |title: &str, list: &[TimeBucket]| {
        println!("{title}:");
        for b in list {
            println!("  {:<9} {:>4}   {}", b.label, b.counts.total, severity_text(&b.counts));
        }
    };
    buckets("By month", &now.monthly);
    if now.weekly.len() <= 16 {
        buckets("By ISO week", &now.weekly);
    } else {
        println!("By ISO week: {} weeks, in --json", now.weekly.len());
    }

    println!();
    println!("Durations (nearest-rank median and p90, in minutes of the incidents with the markers each needs):");
    let d = (&now.durations, &was.durations);
    for (name, this, before) in [
        ("Time to detect", &d.0.time_to_detect, &d.1.time_to_detect),
        ("Time to acknowledge", &d.0.time_to_acknowledge, &d.1.time_to_acknowledge),
        ("Time to mitigate", &d.0.time_to_mitigate, &d.1.time_to_mitigate),
        ("Time to resolve", &d.0.time_to_resolve, &d.1.time_to_resolve),
        ("Impact duration", &d.0.impact, &d.1.impact),
    ] {
        let mut notes = format!("n={}", this.n);
        if !this.lacking.is_empty() {
            notes.push_str(&format!(", {} lacked markers", this.lacking.len()));
        }
        if !this.fallbacks.is_empty() {
            notes.push_str(&format!(", {} used a fallback", this.fallbacks.len()));
        }
        println!(
            "  {name:<20} median {}  p90 {}  mean {}  ({notes}; was median {}, n={})",
            maybe_minutes(this.median_min),
            maybe_minutes(this.p90_min),
            maybe_minutes(this.mean_min),
            maybe_minutes(before.median_min),
            before.n
        );
        if this.n > 0 {
            let bars: Vec<String> = this.histogram.iter().map(|b| format!("{} {}", b.label, b.count)).collect();
            println!("    {}", bars.join(" · "));
        }
        if !this.lacking.is_empty() {
            println!("    lacked: {}", incidents_text(&this.lacking));
        }
        if !this.fallbacks.is_empty() {
            println!(
                "    fallback (detection for a missing start, mitigation for a missing resolution): {}",
                incidents_text(&this.fallbacks)
            );
        }
    }

    println!();
    println!("MTBF per service (mean days between consecutive incident dates):");
    if now.mtbf.is_empty() {
        println!("  no incidents");
    }
    for m in &now.mtbf {
        let before = was.mtbf.iter().find(|b| b.service == m.service).and_then(|b| b.mean_days);
        let before = before.map_or_else(|| "–".to_string(), |d| format!("{d:.1} days"));
        match m.mean_days {
            Some(days) => println!("  {:<24} {days:.1} days  (n={} incidents; was {before})", m.service, m.incidents),
            None => println!("  {:<24} needs 2 incidents, has {}  (was {before})", m.service, m.incidents),
        }
    }

    println!();
    println!(
        "SEV1/SEV2 postmortems Final       {}  (was {})",
        ratio_text(&now.sev12_final),
        ratio_text(&was.sev12_final)
    );
    let drafts = &now.drafts_within_48h;
    println!(
        "Drafts within 48 hours            {} decided  (was {}){}",
        ratio_text(&drafts.on_time),
        ratio_text(&was.drafts_within_48h.on_time),
        if drafts.undecided.is_empty() { String::new() } else { format!("; {} undecided", drafts.undecided.len()) }
    );
    if !drafts.undecided.is_empty() {
        println!("    undecided: {}", incidents_text(&drafts.undecided));
    }
    let items = &now.action_items;
    println!(
        "Action items done within 30 days  {}  (items of {} incidents, {} too recent to count; was {})",
        ratio_text(&items.done_within_30_days),
        items.incidents,
        items.too_recent,
        ratio_text(&was.action_items.done_within_30_days)
    );
    println!(
        "Repeat-incident rate              {}  (was {})",
        ratio_text(&now.repeats.rate),
        ratio_text(&was.repeats.rate)
    );
    if !now.repeats.repeats.is_empty() {
        println!("    repeats: {}", incidents_text(&now.repeats.repeats));
    }

    for (title, rows, before) in [
        ("service", &now.by_service, &was.by_service),
        ("severity", &now.by_severity, &was.by_severity),
        ("category", &now.by_category, &was.by_category),
    ] {
        println!();
        println!("By {title}:  incidents (was)  near misses  MTTR median (n)");
        if rows.is_empty() {
            println!("  none");
        }
        for b in rows {
            let was_total = before.iter().find(|x| x.key == b.key).map_or(0, |x| x.incidents.total);
            println!(
                "  {:<24} {:>4} ({:>3})  {:>4}         {} (n={})",
                truncate(&b.key, 24),
                b.incidents.total,
                was_total,
                b.near_misses,
                maybe_minutes(b.resolve_median_min),
                b.resolve_n
            );
        }
    }
    print_budgets(&s.budgets);
}

fn print_budgets(budgets: &[ServiceBudget]) {
    println!();
    if budgets.is_empty() {
        println!("Error budgets: no service has an SLO (set one with the taxonomy)");
        return;
    }
    println!("Error budgets");
    for b in budgets {
        println!(
            "  {:<22} {:>7.3}% over {} days{}: {:.1} of {:.1} min used, {:.1}% left, {}",
            b.service,
            b.slo_target * 100.0,
            b.window_days,
            if b.window_defaulted { " (window not set)" } else { "" },
            b.consumed_minutes,
            b.budget_minutes,
            b.remaining_pct,
            budget_status(b.status)
        );
        for i in b.incidents.iter().filter(|i| i.postmortem_required) {
            println!(
                "      {} \"{}\" used {:.0}% of the budget alone: a postmortem is required",
                i.incident_date, i.title, i.consumed_pct
            );
        }
        for c in &b.categories_flagged {
            println!(
                "      category {} used {:.0}% of the quarter's budget: plan work on it",
                c.category, c.consumed_pct
            );
        }
        if !b.not_counted.is_empty() {
            println!("      {} incidents not counted (no impact span)", b.not_counted.len());
        }
    }
}

fn budget_status(s: BudgetStatus) -> &'static str {
    match s {
        BudgetStatus::Healthy => "healthy",
        BudgetStatus::Caution => "caution",
        BudgetStatus::Warning => "warning",
        BudgetStatus::Exhausted => "exhausted",
    }
}

fn print_follow_through(m: &FollowThrough) {
    println!("Action-item follow-through as of {}", m.today);
    println!("  items {}, open {}, overdue {}", m.items, m.open, m.overdue);
    match m.completion_rate {
        Some(rate) => println!(
            "  done within 30 days: {:.1}% ({} of {} items older than 30 days; target above {:.0}%){}",
            rate * 100.0,
            m.done_within_30_days,
            m.eligible,
            m.completion_target * 100.0,
            if rate > m.completion_target { "" } else { "  BELOW TARGET" }
        ),
        None => println!("  done within 30 days: no items older than 30 days yet"),
    }
    if let Some(days) = m.median_days_to_done {
        println!("  median days to done: {days:.1}");
    }
    if !m.by_owner.is_empty() {
        println!("  open items by owner (overdue / open):");
        for o in &m.by_owner {
            println!("    {:<24} {:>3} / {:<3}", o.owner.as_deref().unwrap_or("(no owner)"), o.overdue, o.open);
        }
    }
    let with_prevention: Vec<_> = m.categories.iter().filter(|c| c.prevention_done_at.is_some()).collect();
    if !with_prevention.is_empty() {
        println!("  recurrence after prevention was done:");
        for c in with_prevention {
            println!(
                "    {:<24} {} of {} prevent items done, last {}; {} incidents since{}",
                c.category,
                c.prevent_done,
                c.prevent_items,
                c.prevention_done_at.map(|t| t.date_naive().to_string()).unwrap_or_default(),
                c.incidents_after,
                if c.recurred { "  RECURRED" } else { "" }
            );
        }
    }
}

/// Turns `<mark>` highlights into terminal bold (only when stdout is a terminal).
fn highlight(html: &str) -> String {
    use std::io::IsTerminal;
    let (on, off) = if std::io::stdout().is_terminal() { ("\x1b[1;33m", "\x1b[0m") } else { ("[", "]") };
    html.replace("<mark>", on)
        .replace("</mark>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .replace('\n', " ")
}

fn print_results(r: &SearchResults, offset: usize) {
    if r.hits.is_empty() {
        println!("no postmortems match {:?}", r.query);
        return;
    }
    for (i, h) in r.hits.iter().enumerate() {
        println!("{:>3}. {}  {}  {:<4}  {}", offset + i + 1, &h.id[..8], h.incident_date, h.severity.as_str(), h.title);
        if let Some(s) = &h.snippet {
            println!("     {}: {}", s.field, highlight(&s.html));
        }
    }
    let facet = |v: &[debrief::wire::FacetCount]| {
        v.iter().take(6).map(|f| format!("{} {}", f.value, f.count)).collect::<Vec<_>>().join(", ")
    };
    println!(
        "\n{} of {} matches shown. severity: {}\nservice: {}\ncategory: {}",
        r.hits.len(),
        r.total,
        facet(&r.facets.severity),
        facet(&r.facets.service),
        facet(&r.facets.category)
    );
}

fn minutes(m: Option<i64>) -> String {
    match m {
        None => "-".into(),
        Some(m) if m >= 60 => format!("{}h {:02}m", m / 60, m % 60),
        Some(m) => format!("{m}m"),
    }
}

/// What `timeline ID --json` prints: the postmortem the timeline belongs to, its events and
/// the durations they give.
#[derive(serde::Serialize)]
struct TimelineJson<'a> {
    id: &'a str,
    title: &'a str,
    incident_date: chrono::NaiveDate,
    timeline: &'a [debrief::model::TimelineEvent],
    durations: &'a debrief::model::Durations,
}

/// One timeline event as a line: `~` for an approximate time, the kind, the text, the marker.
fn timeline_line(e: &debrief::model::TimelineEvent) -> String {
    let marker = e.marker.map(|m| format!(" [{}]", m.as_str())).unwrap_or_default();
    let approx = if e.approximate { "~" } else { " " };
    let text = e.text.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{approx}{}  {:<15} {text}{marker}", e.at.format("%Y-%m-%d %H:%M"), e.kind.as_str())
}

fn print_timeline(view: &PostmortemView) {
    let p = &view.postmortem;
    println!("{} ({}, {}, {})", p.title, &p.id[..8], p.incident_date, p.severity.as_str());
    if p.timeline.is_empty() {
        println!("no timeline events yet (add some with `debrief timeline {} --import FILE`)", &p.id[..8]);
        return;
    }
    println!("times in UTC; ~ = approximate, [marker] = key moment\n");
    for e in &p.timeline {
        println!("{}", timeline_line(e));
    }
    let d = &view.durations;
    println!(
        "\n{} events. durations: detect {}  acknowledge {}  mitigate {}  resolve {}  impact {}",
        p.timeline.len(),
        minutes(d.time_to_detect_min),
        minutes(d.time_to_acknowledge_min),
        minutes(d.time_to_mitigate_min),
        minutes(d.time_to_resolve_min),
        minutes(d.impact_duration_min)
    );
}

fn print_postmortem(view: &PostmortemView) {
    let p: &Postmortem = &view.postmortem;
    println!("{}", p.title);
    println!("{}", "=".repeat(p.title.chars().count().min(80)));
    println!("id:         {}", p.id);
    println!("date:       {}   severity: {}   status: {}", p.incident_date, p.severity.as_str(), p.status.as_str());
    if p.near_miss {
        println!("            near miss");
    }
    let list = |v: &[String]| if v.is_empty() { "-".to_string() } else { v.join(", ") };
    println!("services:   {}", list(&p.services));
    println!("categories: {}", list(&p.categories));
    println!("authors:    {}", list(&p.authors));
    println!("IC:         {}", p.incident_commander.as_deref().unwrap_or("-"));
    let d = &view.durations;
    println!(
        "durations:  detect {}  acknowledge {}  mitigate {}  resolve {}  impact {}",
        minutes(d.time_to_detect_min),
        minutes(d.time_to_acknowledge_min),
        minutes(d.time_to_mitigate_min),
        minutes(d.time_to_resolve_min),
        minutes(d.impact_duration_min)
    );
    let opt = |v: Option<f64>, unit: &str| v.map_or("-".to_string(), |v| format!("{v}{unit}"));
    println!(
        "impact:     users {}  revenue {}  tickets {}  error budget {}",
        opt(p.users_affected_pct, "%"),
        opt(p.revenue_impact, ""),
        p.support_tickets.map_or("-".into(), |t| t.to_string()),
        opt(p.error_budget_consumed_pct, "%")
    );
    if let Some(d) = &p.data_impact {
        println!("data:       {d}");
    }
    for s in &p.sections {
        println!("\n## {}\n", s.heading);
        println!("{}", if s.body.trim().is_empty() { "(empty)" } else { s.body.trim_end() });
    }
    if !p.timeline.is_empty() {
        println!("\n## Timeline events (UTC)\n");
        for e in &p.timeline {
            println!("{}", timeline_line(e));
        }
    }
    for c in &p.whys {
        println!("\n## 5 whys: {}\n", c.problem);
        for (i, s) in c.steps.iter().enumerate() {
            println!("{}. Why? {}\n   Because {}", i + 1, s.question, s.answer);
        }
    }
    if !p.contributing_factors.is_empty() {
        println!("\n## Contributing factors (structured)\n");
        for f in &p.contributing_factors {
            println!("- {}{}", f.text, f.category.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default());
        }
    }
    if !p.action_items.is_empty() {
        println!("\n## Action items\n");
        for a in &p.action_items {
            println!(
                "- [{}] {} {} ({}; owner {}; due {})",
                a.status.as_str(),
                a.priority.as_str(),
                a.title,
                a.kind.as_str(),
                a.owner.as_deref().unwrap_or("none"),
                a.due_date.map_or("none".into(), |d| d.to_string())
            );
        }
    }
    println!("\n{} earlier revisions kept", view.revisions);
}

/// Imports `files`: Markdown in one batch (each file whole or not at all), JSON and CSV one file
/// at a time. Returns a report per file, in the order given.
fn import_files(
    lib: &mut Library,
    files: &[debrief::library::ImportFile],
    format: ImportFormat,
    how: debrief::library::MarkdownImport,
) -> Result<Vec<FileReport>> {
    let dry_run = how.dry_run;
    let kind = |f: &debrief::library::ImportFile| match format {
        ImportFormat::Json => Some("json"),
        ImportFormat::Csv => Some("csv"),
        ImportFormat::Md => Some("md"),
        ImportFormat::Auto => f.kind(),
    };
    let mut reports: Vec<Option<FileReport>> = vec![None; files.len()];
    let markdown: Vec<usize> = (0..files.len()).filter(|i| kind(&files[*i]) == Some("md")).collect();
    if !markdown.is_empty() {
        let batch: Vec<_> = markdown.iter().map(|i| files[*i].clone()).collect();
        let read = lib.import_markdown(&batch, how, &mut debrief::progress::Progress::none())?;
        for (i, r) in markdown.iter().zip(read) {
            reports[*i] = Some(r);
        }
    }
    for (i, file) in files.iter().enumerate() {
        if reports[i].is_some() {
            continue;
        }
        let source = file.path.display().to_string();
        let k = kind(file);
        let result = match k {
            Some("json") if dry_run => std::fs::read_to_string(&file.path)
                .map_err(|e| Error::io(&file.path, e))
                .and_then(|text| debrief::exchange::json::LibraryDocument::parse(&text, &source))
                .map(|doc| format!("would import {} postmortems", doc.postmortems.len())),
            Some("csv") if dry_run => Ok("not checked on a dry run (action items CSV)".to_string()),
            Some("json") => lib.import_json_file(&file.path).map(|r| summary(&r)),
            Some("csv") => lib.import_actions_csv_file(&file.path).map(|r| summary(&r)),
            _ => Err(Error::Parse {
                location: source.clone(),
                message: "not a file Debrief imports: Debrief JSON library documents (.json), action items \
                          (.csv) and Markdown postmortems"
                    .into(),
            }),
        };
        reports[i] = Some(match result {
            Ok(outcome) => FileReport { source, format: k.unwrap_or("").into(), outcome, ..Default::default() },
            Err(e) => FileReport {
                source,
                format: k.unwrap_or("").into(),
                outcome: "failed".into(),
                error: Some(format!("[{}] {e}", e.code())),
                ..Default::default()
            },
        });
    }
    Ok(reports.into_iter().map(|r| r.expect("every file has a report")).collect())
}

fn summary(r: &debrief::wire::ImportReport) -> String {
    format!("{} created, {} updated, {} unchanged", r.created, r.updated, r.unchanged)
}

/// One file's import report, for people.
fn print_file_report(r: &FileReport) {
    if let Some(error) = &r.error {
        eprintln!("debrief: error: {error} (nothing from this file was imported)");
        return;
    }
    if r.format != "md" && r.format != "markdown" && r.format != "debrief" {
        println!("{}: {}", r.source, r.outcome);
        return;
    }
    println!(
        "{}: {} {:?} ({}): {} sections, {} timeline events, {} action items, {} contributing factors, {} participants",
        r.source,
        r.outcome,
        r.title,
        r.incident_date.map_or_else(String::new, |d| d.to_string()),
        r.sections,
        r.timeline_events,
        r.action_items,
        r.contributing_factors,
        r.participants
    );
    for m in &r.mapped {
        println!("  line {:>4}: {} → {}", m.line, m.from, m.to);
    }
    for h in &r.unmapped {
        println!("  kept as a section of its own: {h}");
    }
    for n in &r.unsure {
        if n.line == 0 {
            println!("  unsure: {}", n.message);
        } else {
            println!("  unsure (line {}): {}", n.line, n.message);
        }
    }
    if r.outcome.ends_with("skipped") {
        println!("  skipped as a template: import it with --include-templates");
    }
}

/// The history list: one line per revision, newest first, with what replaced it.
fn print_history(revisions: &[debrief::wire::RevisionInfo]) {
    if revisions.is_empty() {
        println!("no earlier revisions kept");
        return;
    }
    for r in revisions {
        let more = r.changed.saturating_sub(r.summary.len());
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        println!(
            "{:>4}  {}  {:<40}  replaced {} by {}: {}{more}",
            r.number,
            r.written_at.format("%Y-%m-%d %H:%M"),
            truncate(&r.title, 40),
            r.replaced_at.format("%Y-%m-%d %H:%M"),
            r.replaced_by.as_str(),
            if r.summary.is_empty() { "nothing but times".to_string() } else { r.summary.join(", ") },
        );
    }
    println!("\n`debrief history ID --diff N` shows a revision's changes; `--restore N` brings it back");
}

/// A revision diff as a reader wants it: each field, then its old and new value, or for long
/// text the changed lines marked `-` and `+`.
fn print_diff(d: &debrief::wire::RevisionDiff) {
    use debrief::wire::LineChange;
    let to = d.to.map_or("the current version".to_string(), |n| format!("revision {n}"));
    println!("from revision {} to {to}: {} changes", d.from, d.changes.len());
    for c in &d.changes {
        println!();
        match c.change {
            LineChange::Added => println!("+ {}: {}", c.label, c.after.as_deref().unwrap_or("")),
            LineChange::Removed => println!("- {}: {}", c.label, c.before.as_deref().unwrap_or("")),
            _ if !c.lines.is_empty() => {
                println!("~ {}", c.label);
                for l in &c.lines {
                    let mark = match l.change {
                        LineChange::Added => '+',
                        LineChange::Removed => '-',
                        _ => ' ',
                    };
                    println!("    {mark} {}", l.text);
                }
            }
            _ => {
                println!("~ {}", c.label);
                println!("    - {}", c.before.as_deref().unwrap_or("(none)"));
                println!("    + {}", c.after.as_deref().unwrap_or("(none)"));
            }
        }
    }
}

/// The backups folder, the schedule and every backup, newest first.
fn print_backups(status: &debrief::wire::BackupStatus) {
    println!("backups in {}", status.folder);
    match (status.interval_hours, status.last_auto_at) {
        (0, _) => println!("automatic backups: off"),
        (h, last) => println!(
            "automatic backups: every {h} h, the newest {} kept; last {}",
            status.keep,
            last.map_or("never".to_string(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        ),
    }
    if status.backups.is_empty() {
        println!("no backups yet (`debrief backup` makes one)");
    }
    for b in &status.backups {
        let kind = match b.kind {
            debrief::wire::BackupKind::Auto => "automatic",
            debrief::wire::BackupKind::Manual => "manual",
            debrief::wire::BackupKind::BeforeMigration => "before a migration",
            debrief::wire::BackupKind::BeforeRestore => "before a restore",
        };
        println!("  {}  {:>9}  {:<18}  {}", b.made_at.format("%Y-%m-%d %H:%M"), b.size, kind, b.file_name);
    }
}
