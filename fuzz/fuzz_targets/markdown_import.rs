//! Markdown import: Debrief's own Markdown (front matter `debrief: 1`) and anyone else's.
//! Every public reader is called on every input, not only the one `import` would choose,
//! so each gets the whole input space; an `Err` is a fine answer, only a panic is a bug.
#![no_main]

use chrono::{NaiveDate, TimeZone, Utc};
use debrief::exchange::{debrief_md, foreign_md};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let today = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
    let now = Utc.with_ymd_and_hms(2025, 3, 14, 12, 0, 0).unwrap();

    // The detectors `import` uses to choose a reader.
    let _ = foreign_md::looks_like_markdown(text);
    let _ = debrief_md::is_debrief_markdown(text);

    // Debrief's own Markdown, then the checks `import` runs on what it read.
    if let Ok(pm) = debrief_md::read(text, "fuzz.md") {
        let _ = foreign_md::check(&pm, "fuzz.md", today);
    }

    // Anyone's Markdown.
    let _ = foreign_md::read(text, "fuzz.md", "fuzz/fuzz.md", today, now);
});
