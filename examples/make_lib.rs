fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let n: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let end = debrief::clock::today();
    let mut lib = debrief::Library::open(&dir).unwrap();
    let doc = debrief::exchange::json::LibraryDocument {
        services: debrief::synthetic::services(),
        ..debrief::exchange::json::LibraryDocument::of(debrief::synthetic::generate(7, n, end).collect())
    };
    lib.import_document(&doc, "synthetic").unwrap();
}
