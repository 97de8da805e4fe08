//! The JSON library document (export / re-import).
#![no_main]

use debrief::exchange::json::LibraryDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = LibraryDocument::parse(text, "fuzz.json");
});
