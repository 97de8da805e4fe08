//! Errors as they cross IPC: `{ code, message, field? }`, built from the core's error.

use debrief::error::{ErrorCode, ErrorPayload};

/// The error type every command returns.
#[derive(Debug, serde::Serialize)]
#[serde(transparent)]
pub struct CommandError(pub ErrorPayload);

impl From<debrief::Error> for CommandError {
    fn from(e: debrief::Error) -> Self {
        CommandError((&e).into())
    }
}

impl CommandError {
    /// Work on the blocking pool panicked or was dropped: a bug, said plainly.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        CommandError(ErrorPayload::new(ErrorCode::Internal, format!("internal error: {e}")))
    }

    /// The library could not be opened at start-up; repeat why on every call.
    pub fn not_open(reason: Option<&ErrorPayload>) -> Self {
        CommandError(
            reason.cloned().unwrap_or_else(|| ErrorPayload::new(ErrorCode::LibraryClosed, "the library is not open")),
        )
    }
}
