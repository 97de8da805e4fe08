//! The one error type of the core. Every variant has a stable [`Error::code`] that the CLI
//! prints and the app's front end switches on; the message names the file, line or field.

use std::path::PathBuf;

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field failed validation; `field` is a dotted path such as `action_items[2].owner`.
    #[error("{field}: {message}")]
    Validation {
        /// The field that failed, as a dotted path.
        field: String,
        /// What is wrong with it and, where it helps, what would be accepted.
        message: String,
    },

    /// Nothing with this id exists.
    #[error("no {what} with id {id}")]
    NotFound {
        /// What was looked for: `postmortem`, `template`, ...
        what: &'static str,
        /// The id (or prefix) that matched nothing.
        id: String,
    },

    /// The database was written by a newer Debrief.
    #[error(
        "the library at {path} has schema version {found}, but this Debrief only knows up to \
         version {supported}; upgrade Debrief to open it (nothing was changed)"
    )]
    DatabaseTooNew {
        /// The library database file.
        path: PathBuf,
        /// The schema version the file has.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },

    /// A file could not be parsed; `location` names the file and, where known, the line.
    #[error("{location}: {message}")]
    Parse {
        /// The file and, where known, line, column and field (`export.json:57:31: postmortems[3]`).
        location: String,
        /// What the parser expected or found.
        message: String,
    },

    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder read or written (the one the user named, not a temporary one).
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// The search index reported an error.
    #[error("search index error: {0}")]
    Search(String),

    /// Drawing a diagram or report failed.
    #[error("render error: {0}")]
    Render(String),

    /// SQLite reported an error.
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),

    /// The user cancelled long work before it finished; nothing it would have changed was kept.
    #[error("{what} was cancelled; nothing was changed")]
    Cancelled {
        /// The work that was stopped, as the user would name it ("Importing big.json").
        what: String,
    },
}

impl Error {
    /// A stable, machine-readable code for the UI and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation { .. } => "validation",
            Error::NotFound { .. } => "not_found",
            Error::DatabaseTooNew { .. } => "database_too_new",
            Error::Parse { .. } => "parse",
            Error::Io { .. } => "io",
            Error::Search(_) => "search",
            Error::Render(_) => "render",
            Error::Database(_) => "database",
            Error::Cancelled { .. } => "cancelled",
        }
    }

    /// Shorthand for a validation error on `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Validation { field: field.into(), message: message.into() }
    }

    /// Shorthand for an I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}

/// How an error crosses to the front end: a stable code to branch on and a message to show.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ErrorPayload {
    /// The error's stable [`Error::code`].
    pub code: String,
    /// The error's message, as the CLI would print it.
    pub message: String,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        ErrorPayload { code: e.code().to_string(), message: e.to_string() }
    }
}
