//! Action-item CSV import.
#![no_main]

use chrono::{TimeZone, Utc};
use debrief::exchange::actions_csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let now = Utc.with_ymd_and_hms(2025, 3, 14, 12, 0, 0).unwrap();
    let _ = actions_csv::parse(text, "fuzz.csv", now);
});
