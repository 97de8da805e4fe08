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

    /// The team library's git repository, or `git` itself, failed; the message says which
    /// command and what git answered.
    #[error("team library: {0}")]
    Git(String),

    /// An editor's copy of a postmortem is older than the stored one: someone else saved it
    /// (another window, the CLI, a team sync) after this copy was opened. Nothing was saved.
    #[error(
        "postmortem {id} was changed elsewhere (another window, the command line, an import or a \
         team sync) after this copy was opened; nothing was saved"
    )]
    Changed {
        /// The postmortem.
        id: String,
    },
}

impl Error {
    /// A stable, machine-readable code for the UI and scripts.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Validation { .. } => ErrorCode::Validation,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            Error::Parse { .. } => ErrorCode::Parse,
            Error::Io { .. } => ErrorCode::Io,
            Error::Search(_) => ErrorCode::Search,
            Error::Render(_) => ErrorCode::Render,
            Error::Database(_) => ErrorCode::Database,
            Error::Cancelled { .. } => ErrorCode::Cancelled,
            Error::Git(_) => ErrorCode::Git,
            Error::Changed { .. } => ErrorCode::Changed,
        }
    }

    /// Shorthand for a validation error on `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Validation { field: field.into(), message: message.into() }
    }

    /// The error with a validation field placed within `place`: `steps[2].minutes` within
    /// `plan` is `plan.steps[2].minutes`. Other errors are returned as they are.
    pub fn within(self, place: impl std::fmt::Display) -> Error {
        match self {
            Error::Validation { field, message } => Error::Validation { field: format!("{place}.{field}"), message },
            other => other,
        }
    }

    /// Shorthand for an I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}

/// Every error code there is. The front end switches on these (a TypeScript union through
/// ts-rs), the CLI prints them, and scripts may match them: they never change meaning.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    ts_rs::TS,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// A field failed validation; the payload's `field` says which.
    Validation,
    /// Nothing with the given id exists.
    NotFound,
    /// The library was written by a newer Debrief.
    DatabaseTooNew,
    /// A file or query could not be parsed.
    Parse,
    /// Reading or writing a file failed.
    Io,
    /// The search index failed.
    Search,
    /// Drawing a diagram or report failed.
    Render,
    /// SQLite failed.
    Database,
    /// The user cancelled long work; nothing was changed.
    Cancelled,
    /// The team library's git repository or `git` failed.
    Git,
    /// An editor's copy was older than the stored postmortem; nothing was saved.
    Changed,
    /// The library could not be opened when the app started (set by the app's shell).
    LibraryClosed,
    /// A bug: work panicked or was dropped (set by the app's shell).
    Internal,
    /// The window's call never reached a command, e.g. an argument that failed to
    /// deserialize (set by the window).
    Ipc,
    /// The page is not running inside the Debrief window (set by the window).
    NoCore,
}

impl ErrorCode {
    /// The code as written on the wire and printed by the CLI (`not_found`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Lets tests and scripts compare with the wire name: `e.code() == "not_found"`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The field a validation error is about, and what is wrong with it, apart.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct FieldError {
    /// A dotted path such as `action_items[2].owner` or `sections[1].key`.
    pub path: String,
    /// What is wrong, without the path: "must not be empty".
    pub problem: String,
}

/// How an error crosses to the front end: a stable code to branch on, the whole message to
/// show, and for validation errors the field apart, to mark it beside its input.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ErrorPayload {
    /// What kind of failure, stable for code to switch on.
    pub code: ErrorCode,
    /// The whole sentence for people; names the file, line or field.
    pub message: String,
    /// For a validation error, the field and its problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<FieldError>,
}

impl ErrorPayload {
    /// A payload with no field: for errors the shell or window raise themselves.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorPayload { code, message: message.into(), field: None }
    }
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        let field = match e {
            Error::Validation { field, message } => Some(FieldError { path: field.clone(), problem: message.clone() }),
            _ => None,
        };
        ErrorPayload { code: e.code(), message: e.to_string(), field }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validation_error_carries_its_field_apart_from_the_message() {
        let p = ErrorPayload::from(&Error::invalid("sections[1].key", "must not be empty"));
        assert_eq!(p.code, ErrorCode::Validation);
        assert_eq!(p.message, "sections[1].key: must not be empty");
        assert_eq!(p.field, Some(FieldError { path: "sections[1].key".into(), problem: "must not be empty".into() }));
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["code"], "validation");
        assert_eq!(json["field"]["path"], "sections[1].key");
    }

    #[test]
    fn other_errors_have_no_field_and_serialize_without_one() {
        let p = ErrorPayload::from(&Error::NotFound { what: "postmortem", id: "x".into() });
        assert_eq!(p.field, None);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["code"], "not_found");
        assert!(json.get("field").is_none());
    }

    #[test]
    fn every_code_is_written_as_serde_writes_it() {
        crate::model::names::assert_serde_and_strum_agree::<ErrorCode>();
        assert_eq!(ErrorCode::DatabaseTooNew.as_str(), "database_too_new");
        assert_eq!(ErrorCode::NoCore.to_string(), "no_core");
        assert!(ErrorCode::NotFound == "not_found");
    }
}
