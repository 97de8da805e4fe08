//! The search query language (`severity:SEV1 "phrase" -word after:2025-01-01 ...`).
#![no_main]

use debrief::search::query;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = query::parse(text);
});
