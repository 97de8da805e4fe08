//! The one clock and the one id source, and the few facts the core takes from the machine.
//!
//! Everything that depends on when or where the core runs goes through here, so there is one
//! answer to "what is today?" and tests can see every such dependency. `clippy.toml` forbids
//! `Utc::now`, `Local::now`, `Uuid::new_v4` and `std::env::var` everywhere else.
//!
//! "Today" is the user's local calendar date: an action item due on the 3rd is overdue once the
//! user's own midnight has passed, not UTC's. Stored times stay in UTC.

#![allow(clippy::disallowed_methods)] // the one module allowed to read the clock and the environment

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

/// The current UTC time at millisecond precision, the precision every stored time keeps.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

/// Today's date in the user's local time zone: the date every "overdue", "due today" and
/// "open for N days" is counted from, in the CLI, the app's commands and its screens alike.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A new random identifier for any stored thing.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The operating-system user's name (`USER`, `USERNAME` or `LOGNAME`), if any is set.
pub fn os_user() -> Option<String> {
    ["USER", "USERNAME", "LOGNAME"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
}

/// Whether the crash-consistency tests asked the process to abort at the fault point `name`
/// (through `DEBRIEF_FAULT`). Always false in normal use.
pub fn fault_requested(name: &str) -> bool {
    std::env::var("DEBRIEF_FAULT").is_ok_and(|f| f == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_keeps_millisecond_precision() {
        assert_eq!(now().timestamp_subsec_nanos() % 1_000_000, 0);
    }

    #[test]
    fn ids_are_fresh_uuids() {
        let (a, b) = (new_id(), new_id());
        assert_ne!(a, b);
        assert!(uuid::Uuid::parse_str(&a).is_ok());
    }
}
