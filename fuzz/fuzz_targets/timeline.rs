//! Timeline import: pasted lines, CSV, a Slack day file, and the detector that tells them apart.
#![no_main]

use chrono::NaiveDate;
use debrief::exchange::timeline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let date = NaiveDate::from_ymd_opt(2025, 3, 14);

    let _ = timeline::parse_any(text, "fuzz.txt", date, "UTC");
    // Without a date: time-only lines take another path.
    let _ = timeline::parse_any(text, "fuzz.txt", None, "UTC");
    let _ = timeline::parse_lines(text, date, "UTC");
    let _ = timeline::parse_csv(text, date, "UTC");
    let _ = timeline::parse_slack(&[("2025-03-14.json".into(), text.into())]);
});
