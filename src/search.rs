//! Full-text search over the library with tantivy, kept consistent with SQLite.
//!
//! SQLite is the truth. Triggers (migration 0002) queue the id of every postmortem that is
//! inserted, updated or deleted into `search_pending`, inside the same transaction as the
//! change. [`SearchIndex::sync`] drains that queue into the index and only then removes the
//! rows it indexed, so a process killed between the database commit and the index commit
//! leaves the ids queued, and the next open catches up. `reindex` rebuilds from scratch.
//! Imports use [`SearchIndex::save_and_index`]: each postmortem the transaction writes is
//! indexed meanwhile on another thread, and the index commits after the database does, so
//! the same rule holds.
//!
//! Submodules: [`query`] parses the query language; [`document`] turns a postmortem into an
//! index document; [`engine`] runs queries (hits, snippets, facets, similar incidents);
//! [`similarity`] reads incidents as weighted words for the families of similar incidents.

pub mod analyzer;
pub mod document;
pub mod engine;
pub mod query;
pub mod similarity;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, Transaction};
use rustc_hash::FxHashSet;
use tantivy::schema::Schema;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::model::Postmortem;
use crate::progress::Progress;
use crate::search::similarity::StemCounter;
use crate::store::postmortems;
use crate::store::search_queue::{self, Queued};
use crate::wire::IndexDrift;
use crate::{Error, Result};

/// Memory for each indexing thread's buffer (tantivy asks for at least 15 MB a thread). A
/// full buffer is written out as a segment, and a commit of several segments is merged into
/// one after it ([`MERGE_AFTER`]). The realistic corpus fills about 14 KB of buffer a
/// postmortem: at 50 MB a 10,000-postmortem import made 3 segments and spent a second merging
/// them (7.0 s in all, `examples/profile import-json 10000`); at 256 MB it makes one and takes
/// 5.0-5.5 s, with a lower peak (860 against 950 MB: merging needs memory too). The buffer
/// grows only as documents are added: an autosave uses a sliver of it.
const WRITER_HEAP_PER_THREAD: usize = 256_000_000;

/// How many threads index: one per core but one, which the caller's own work keeps busy (a
/// bulk import writes SQLite on its thread meanwhile). On two cores a second indexing thread
/// only competed with that writing and made more segments to merge: a 10,000-postmortem
/// import ran 7% slower with it.
fn indexing_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1)).clamp(1, 4)
}

/// After a commit that indexed at least this many documents at once (an import, a team sync,
/// a rebuild), the index is merged into one segment. Such a commit leaves one segment per
/// indexing buffer that filled (about six at 100,000 postmortems), and every query pays each
/// segment's term lookups, typo automaton and facet columns: at 100,000 one segment takes a
/// search from 2.88 to 1.58 ms at the median (`examples/profile search 100000` before and
/// after `examples/profile merge 100000`; the merge took 9 s).
pub const MERGE_AFTER: usize = 500;

/// Bumped whenever the index schema or what goes into a document changes; an index built
/// with another version is rebuilt on open.
pub const INDEX_FORMAT: u32 = 6;

impl IndexDrift {
    /// No drift at all.
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.stale.is_empty() && self.pending == 0
    }
}

/// The tantivy index of one library. Handles made with [`SearchIndex::share`] (the app's
/// background jobs) share the reader and the one writer a process may hold.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Arc<Mutex<Option<IndexWriter>>>,
    /// Whether [`SearchIndex::sync`] waits for a writer another handle is using (background
    /// work) or leaves the queue for that handle and returns at once (the interactive handle,
    /// so a search never waits for an import to finish indexing).
    waits_for_writer: bool,
    pub(crate) fields: document::Fields,
    /// What weighing incidents for the families learnt, shared by the handles.
    similarity: Arc<Mutex<similarity::Memory>>,
}

type WriterGuard<'a> = MutexGuard<'a, Option<IndexWriter>>;

/// How much lower than its caller's the priority of the thread writing a save's rows is
/// ([`yield_to_indexing`]): nice 10 weighs a tenth of nice 0.
#[cfg(target_os = "linux")]
const WRITER_NICE: libc::c_int = 10;

/// Lowers the calling thread's priority, on Linux, so that when every core is busy tantivy's
/// indexing thread runs first. A bulk import waits for that thread, which has the most work;
/// on two cores it shared them with the database writing, the documents being built and the
/// store's compression, and was off a core a fifth of the time. The writing, which only has
/// to finish before the indexing does, now takes what is left (`examples/profile import-json
/// 10000`, runs alternating with the build before: 5.5/5.9/5.2 -> 5.2/5.4/5.1 s). Only for a
/// thread that ends with the save: a thread cannot take back a priority it gave up without
/// privileges. Elsewhere (where the nice value is the whole process's) nothing changes.
fn yield_to_indexing() {
    // SAFETY: `nice` only changes the scheduling weight; with NPTL it applies to the calling
    // thread alone. A failure leaves the priority as it was, which is harmless.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::nice(WRITER_NICE);
    }
}

/// A merge of segments under way ([`SearchIndex::start_merge`]).
type Merging = tantivy::FutureResult<Option<tantivy::index::SegmentMeta>>;

/// Where [`SearchIndex::save_and_index`]'s `save` hands each postmortem it wrote.
pub struct Staging<'p> {
    /// `None` when the writer is held elsewhere: the changes stay queued for its holder.
    to_index: Option<std::sync::mpsc::SyncSender<&'p Postmortem>>,
}

impl<'p> Staging<'p> {
    /// Indexes `pm`, just written in the transaction, as it is in memory (equal to what is
    /// stored). A postmortem not handed over is loaded from the database at the end.
    pub fn index(&self, pm: &'p Postmortem) {
        if let Some(to_index) = &self.to_index {
            // A send fails only when the indexing thread stopped on an error, which the end
            // of `save_and_index` reports.
            let _ = to_index.send(pm);
        }
    }
}

/// The index's files, memory-mapped. On Unix the maps are advised random access: a search
/// reads a few small pieces of large files (a posting list, a stored block per hit), and the
/// kernel's default read-around on a page fault reads the device's whole readahead window
/// around each (8 MiB on these machines): the first query after opening a 100,000 library
/// cold read 140 MiB of stored documents to show 20 hits.
fn directory(dir: &Path) -> Result<tantivy::directory::MmapDirectory> {
    #[cfg(unix)]
    let opened = tantivy::directory::MmapDirectory::open_with_madvice(dir, tantivy::directory::Advice::Random);
    #[cfg(not(unix))]
    let opened = tantivy::directory::MmapDirectory::open(dir);
    opened.map_err(|e| search_err(e.into()))
}

/// The index's files, in the order a first query needs them: term dictionaries, norms, fast
/// columns, postings, positions, and last the stored documents (a page of hits reads 20 small
/// blocks of them; the rest serve later pages and later queries).
const WARMED: [&str; 6] = ["term", "fieldnorm", "fast", "idx", "pos", "store"];

/// Reads the index's [`WARMED`] files once, on a thread of its own, so that they are in the
/// page cache before the searches that follow an open need them. The maps are advised random
/// access (see [`directory`]), so a query's first touch of a page not yet cached reads that page
/// alone: right after a cold start, a common word's long postings and each hit's stored block
/// come in page by page. Reading whole files in large sequential pieces costs the disk far
/// less (about 0.9 s for the 874 MB index at 100,000 here). While the first search after the
/// open runs the warmer waits, so that one query reads only what it needs (23-28 ms at
/// 100,000); then it reads on while later searches run. Waiting for every search instead left
/// back-to-back searches paying their own page faults for as long as they kept coming: similar
/// incidents right after a cold open had p99 25 ms, 10-13 ms with this alone (`examples/profile
/// cold 100000`; 2.4 ms once they read the postmortem from the index, not the database). Only reads, into the kernel's cache (no memory of the process's own); a file
/// merged away meanwhile is skipped. [`warming`] tells whether a warmer is still reading.
fn warm_page_cache(dir: &Path) {
    let files = warmed_files(dir);
    let finished_before = SEARCHES_FINISHED.load(Ordering::Relaxed);
    let warming = Warming::start();
    let spawned = std::thread::Builder::new().name("index-warmer".into()).spawn(move || {
        use std::io::Read;
        let _warming = warming;
        let mut buffer = vec![0u8; WARM_CHUNK];
        for path in files {
            let Ok(mut file) = std::fs::File::open(&path) else { continue };
            no_readahead(&file);
            loop {
                // The first search's own reads go first: the warmer waits while it runs.
                while SEARCHES.load(Ordering::Relaxed) > 0
                    && SEARCHES_FINISHED.load(Ordering::Relaxed) == finished_before
                {
                    std::thread::sleep(std::time::Duration::from_micros(300));
                }
                if !matches!(file.read(&mut buffer), Ok(n) if n > 0) {
                    break;
                }
            }
        }
    });
    // A thread that cannot start only leaves the cache cold (and its guard, dropped with the
    // closure, counts it finished).
    drop(spawned);
}

/// Index warmers ([`warm_page_cache`]) still reading in this process.
static WARMERS: AtomicUsize = AtomicUsize::new(0);

/// Counts one warmer in [`WARMERS`] while it lives, however its thread ends.
struct Warming;

impl Warming {
    fn start() -> Warming {
        WARMERS.fetch_add(1, Ordering::Relaxed);
        Warming
    }
}

impl Drop for Warming {
    fn drop(&mut self) {
        WARMERS.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Whether an index opened in this process is still being read into the page cache after its
/// open ([`warm_page_cache`]): the benchmark suite waits for it before timing searches in the
/// steady state a user meets seconds after opening.
pub fn warming() -> bool {
    WARMERS.load(Ordering::Relaxed) > 0
}

/// How much the warmer reads at a time. Small enough that a query's own reads, queued behind
/// one, wait little: with the kernel's readahead (8 MiB here) the warmer kept the disk busy
/// with large requests, and the first query right after a cold open of a 100,000 library took
/// 120 ms (28 ms with no warmer). With 256 KiB and no readahead: 36 to 44 ms (64 KiB was no
/// better); waiting while a search runs as well: 23 to 30 ms.
const WARM_CHUNK: usize = 256 * 1024;

/// Turns the kernel's readahead off for `file` (Linux): the warmer reads in [`WARM_CHUNK`]s and
/// nothing more.
fn no_readahead(file: &std::fs::File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: posix_fadvise only reads its arguments; the descriptor is open for the call.
        // Advice is a hint: its failure changes nothing but speed.
        let _ = unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_RANDOM) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// Searches (and similar-incident lookups) running in this process, which [`warm_page_cache`]
/// waits for.
static SEARCHES: AtomicUsize = AtomicUsize::new(0);

/// Counts one running search in [`SEARCHES`] while it lives.
pub(crate) struct Searching;

impl Searching {
    pub(crate) fn start() -> Searching {
        SEARCHES.fetch_add(1, Ordering::Relaxed);
        Searching
    }
}

/// Searches (and similar-incident lookups) finished in this process.
static SEARCHES_FINISHED: AtomicUsize = AtomicUsize::new(0);

impl Drop for Searching {
    fn drop(&mut self) {
        SEARCHES_FINISHED.fetch_add(1, Ordering::Relaxed);
        SEARCHES.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The files of `dir` that [`warm_page_cache`] reads, in its order (by [`WARMED`], then name).
fn warmed_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<(usize, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let at = WARMED.iter().position(|ext| p.extension().is_some_and(|e| e == *ext))?;
            Some((at, p))
        })
        .collect();
    files.sort();
    files.into_iter().map(|(_, p)| p).collect()
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (or recreating it, if it was built with another
    /// [`INDEX_FORMAT`] or cannot be read) as needed. Returns the index and whether it was
    /// created empty, in which case the caller must fill it from the database.
    pub fn open(dir: &Path) -> Result<(SearchIndex, bool)> {
        let (schema, fields) = document::schema();
        let format_file = dir.join("debrief-index-format");
        let current = std::fs::read_to_string(&format_file).ok().and_then(|s| s.trim().parse::<u32>().ok());
        let reusable = current == Some(INDEX_FORMAT) && dir.join("meta.json").exists();
        let (index, fresh) = match reusable.then(|| directory(dir).and_then(|d| Index::open(d).map_err(search_err))) {
            Some(Ok(index)) if index.schema() == schema => (index, false),
            _ => (Self::create(dir, schema)?, true),
        };
        std::fs::write(&format_file, INDEX_FORMAT.to_string()).map_err(|e| Error::io(&format_file, e))?;
        if !fresh {
            warm_page_cache(dir);
        }
        document::register_tokenizers(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(search_err)?;
        let writer = Arc::new(Mutex::new(None));
        let similarity = Arc::default();
        Ok((
            SearchIndex { dir: dir.to_path_buf(), index, reader, writer, waits_for_writer: false, fields, similarity },
            fresh,
        ))
    }

    fn create(dir: &Path, schema: Schema) -> Result<Index> {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        Index::create(directory(dir)?, schema, tantivy::IndexSettings::default()).map_err(search_err)
    }

    /// The folder of the index.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Another handle on the same index for background work: same reader (a commit by either
    /// is seen by both after reload) and same writer; its syncs wait for the writer.
    pub fn share(&self) -> SearchIndex {
        SearchIndex {
            dir: self.dir.clone(),
            index: self.index.clone(),
            reader: self.reader.clone(),
            writer: Arc::clone(&self.writer),
            waits_for_writer: true,
            fields: self.fields.clone(),
            similarity: Arc::clone(&self.similarity),
        }
    }

    /// The writer, opened on first use. `None` when another process holds the index lock
    /// (the CLI while the app is open): changes then stay queued in SQLite for the holder.
    /// Also `None` when another handle of this process is using it and this one does not wait.
    fn writer(&self, wait: bool) -> Result<Option<WriterGuard<'_>>> {
        let mut guard = if wait {
            self.writer.lock().unwrap_or_else(unpoison)
        } else {
            match self.writer.try_lock() {
                Ok(g) => g,
                Err(std::sync::TryLockError::Poisoned(p)) => unpoison(p),
                Err(std::sync::TryLockError::WouldBlock) => return Ok(None),
            }
        };
        if guard.is_none() {
            let threads = indexing_threads();
            match self.index.writer_with_num_threads(threads, threads * WRITER_HEAP_PER_THREAD) {
                Ok(w) => {
                    // A process killed inside a commit can leave files that `meta.json` never
                    // came to name (a segment's `<id>.<opstamp>.del`). This writer restarts
                    // from the last committed operation number, would reach the same names,
                    // and tantivy refuses to overwrite a file: collect them first. Holding the
                    // writer's lock, nothing else can be writing them.
                    w.garbage_collect_files().wait().map_err(search_err)?;
                    *guard = Some(w);
                }
                Err(tantivy::TantivyError::LockFailure(..)) => return Ok(None),
                Err(e) => return Err(search_err(e)),
            }
        }
        Ok(Some(guard))
    }

    /// Merges the index into one segment (see [`MERGE_AFTER`]) with `writer`, after a commit.
    /// The commit stands either way: a merge that fails leaves the index as it was, complete
    /// and searchable, so callers do not report it as their own failure.
    fn merge_into_one(&self, writer: &mut IndexWriter) {
        let merging = self.start_merge(writer);
        self.finish_merge(writer, merging);
    }

    /// Starts merging the committed segments into one, on tantivy's merge threads; the
    /// writer can go on meanwhile. `None` when there is nothing to merge.
    fn start_merge(&self, writer: &mut IndexWriter) -> Option<Merging> {
        let segments = self.index.searchable_segment_ids().ok()?;
        (segments.len() >= 2).then(|| writer.merge(&segments))
    }

    /// Waits for a merge [`SearchIndex::start_merge`] started, and cleans up after it.
    fn finish_merge(&self, writer: &mut IndexWriter, merging: Option<Merging>) {
        if merging.is_none_or(|m| m.wait().is_err()) {
            return;
        }
        // The merged-away segments' files go now, not at the next commit.
        let _ = writer.garbage_collect_files().wait();
        let _ = self.reader.reload();
    }

    /// Indexes every queued change. Returns how many postmortems were (re)indexed or removed,
    /// or `None` if another process (or, for the interactive handle, another handle) holds the
    /// writer.
    pub fn sync(&mut self, conn: &Connection) -> Result<Option<usize>> {
        self.sync_with(conn, &mut Progress::none())
    }

    /// [`SearchIndex::sync`], reporting `indexing` steps. Not cancellable: the changes are
    /// already committed to the database, and what is left unindexed would stay queued anyway.
    pub fn sync_with(&mut self, conn: &Connection, progress: &mut Progress) -> Result<Option<usize>> {
        if search_queue::len(conn)? == 0 {
            return Ok(Some(0));
        }
        let Some(mut guard) = self.writer(self.waits_for_writer)? else { return Ok(None) };
        let writer = guard.as_mut().expect("writer() opened it");
        let indexed = self.index_queued(conn, writer, |_| false, progress)?;
        Ok(Some(indexed))
    }

    /// Runs `save`, a database transaction that writes postmortems, while a second thread
    /// indexes each postmortem `save` hands to its [`Staging`]: a bulk import's indexing
    /// overlaps its writing instead of following it (on two cores, most of its time). The
    /// index commit is prepared (its segments written) while the database commits, and made
    /// only once the database has; then whatever else is queued is indexed from the database
    /// as [`SearchIndex::sync`] does (a postmortem changed again by another process between
    /// the two commits is loaded, not taken from the staged copy), while a large commit's
    /// segments merge on tantivy's threads. If `save` or the commit fails, nothing is written
    /// and the staged documents are dropped. When another process holds the writer, `save`
    /// runs alone and its changes stay queued.
    pub fn save_and_index<'p, R: Send>(
        &mut self,
        conn: &mut Connection,
        progress: &mut Progress,
        save: impl FnOnce(&Transaction, &Staging<'p>, &mut Progress) -> Result<R> + Send,
    ) -> Result<R> {
        let Some(mut guard) = self.writer(self.waits_for_writer)? else {
            let tx = conn.transaction()?;
            let saved = save(&tx, &Staging { to_index: None }, progress)?;
            tx.commit()?;
            return Ok(saved);
        };
        let writer = guard.as_mut().expect("writer() opened it");
        let fields = &self.fields;
        let (saved, staged) = std::thread::scope(|scope| {
            let (to_index, staged_pms) = std::sync::mpsc::sync_channel::<&'p Postmortem>(256);
            // Whether the database committed, sent once the transaction has ended.
            let (verdict, database_committed) = std::sync::mpsc::sync_channel::<bool>(1);
            let writer: &mut IndexWriter = writer;
            let stager = scope.spawn(move || -> Result<FxHashSet<&'p str>> {
                let mut stems = StemCounter::new();
                let mut staged = FxHashSet::default();
                for pm in staged_pms {
                    writer.delete_term(Term::from_field_text(fields.id, &pm.id));
                    writer.add_document(document::build(fields, pm, &mut stems)).map_err(search_err)?;
                    staged.insert(pm.id.as_str());
                }
                // Everything is staged. The heavy half of the index commit (writing out the
                // segments) runs now, while the database commits; the light half (naming
                // them in `meta.json`) waits for the database's outcome, so the index never
                // holds what the database does not.
                // The outcome may be known already (a small save ends first), or not yet.
                let known = database_committed.try_recv().ok();
                if known == Some(false) {
                    return Ok(staged);
                }
                let prepared = writer.prepare_commit().map_err(search_err)?;
                if known.unwrap_or_else(|| database_committed.recv() == Ok(true)) {
                    fault_point("before-index-commit");
                    prepared.commit().map_err(search_err)?;
                } else {
                    prepared.abort().map_err(search_err)?;
                }
                Ok(staged)
            });
            let staging = Staging { to_index: Some(to_index) };
            // The database is written on a thread that gives way to indexing (see
            // `yield_to_indexing`); this one reports its progress meanwhile.
            let saved = progress.run_elsewhere(yield_to_indexing, |progress| {
                let tx = conn.transaction()?;
                let saved = save(&tx, &staging, progress)?;
                // The generations this transaction leaves queued: a later one at commit time
                // means another process changed that postmortem since.
                let queued_here = search_queue::pending(&tx)?;
                drop(staging);
                tx.commit()?;
                Ok((saved, queued_here))
            });
            let _ = verdict.send(saved.is_ok());
            let staged = stager.join().unwrap_or_else(|_| Err(Error::Search("indexing stopped unexpectedly".into())));
            (saved, staged)
        });
        let (saved, queued_here) = match saved {
            Ok(saved) => saved,
            Err(e) => {
                discard_staged(&mut guard);
                return Err(e);
            }
        };
        let staged = match staged {
            Ok(staged) => staged,
            // The database committed but the staged documents could not all be made or
            // committed: the save stands, and everything queued is indexed from the database
            // instead (an error there leaves the changes queued for the next sync).
            Err(_) => {
                discard_staged(&mut guard);
                if let Some(writer) = guard.as_mut() {
                    self.index_queued(conn, writer, |_| false, progress)?;
                }
                return Ok(saved);
            }
        };
        let writer = guard.as_mut().expect("writer() opened it");
        let queued_here: FxHashSet<(&str, i64)> =
            queued_here.iter().map(|q| (q.postmortem_id.as_str(), q.generation)).collect();
        let already = |q: &Queued| {
            staged.contains(q.postmortem_id.as_str()) && queued_here.contains(&(&q.postmortem_id, q.generation))
        };
        // The staged documents are committed; this indexes what else is queued (another
        // process's changes) and forgets the queue.
        // The merge runs on tantivy's threads while this one drains the queue.
        let merging = if staged.len() >= MERGE_AFTER { self.start_merge(writer) } else { None };
        let queued = self.index_queued(conn, writer, already, progress);
        self.finish_merge(writer, merging);
        queued?;
        Ok(saved)
    }

    /// Indexes every queued change into `writer` (loading each postmortem, except those
    /// `already` in it), commits, and only then forgets the queue entries, and only the
    /// generations indexed: a change queued meanwhile (by another process) stays queued.
    fn index_queued(
        &self,
        conn: &Connection,
        writer: &mut IndexWriter,
        already: impl Fn(&Queued) -> bool,
        progress: &mut Progress,
    ) -> Result<usize> {
        let pending = search_queue::pending(conn)?;
        let mut stems = StemCounter::new();
        let mut changed = false;
        for (n, queued) in pending.iter().enumerate() {
            if n % 200 == 0 {
                progress.report("indexing", n, pending.len());
            }
            if already(queued) {
                continue;
            }
            changed = true;
            let id = &queued.postmortem_id;
            writer.delete_term(Term::from_field_text(self.fields.id, id));
            match postmortems::load(conn, id) {
                Ok(pm) => {
                    writer.add_document(document::build(&self.fields, &pm, &mut stems)).map_err(search_err)?;
                }
                Err(Error::NotFound { .. }) => {} // deleted: the delete above is all
                Err(e) => return Err(e),
            }
        }
        if changed {
            fault_point("before-index-commit");
            writer.commit().map_err(search_err)?;
        }
        search_queue::forget(conn, &pending)?;
        self.reader.reload().map_err(search_err)?;
        progress.report("indexing", pending.len(), pending.len());
        Ok(pending.len())
    }

    /// Rebuilds the whole index from the database, reporting `indexing` steps. Cancelling, or
    /// any error, rolls the writer back: the index stays as it was.
    pub fn rebuild(&mut self, conn: &Connection, progress: &mut Progress) -> Result<usize> {
        self.rebuild_unless_busy(conn, progress)?.ok_or_else(|| {
            Error::invalid(
                "index",
                "another Debrief process (the app?) is using the search index; close it and run reindex again",
            )
        })
    }

    /// [`SearchIndex::rebuild`], or `None` without touching anything when another process
    /// holds the index writer (that process keeps the index, and reconciles it when it opens).
    pub fn rebuild_unless_busy(&mut self, conn: &Connection, progress: &mut Progress) -> Result<Option<usize>> {
        // What is queued before reading: only that is forgotten after the commit. A change
        // another process queues while the rebuild runs (perhaps after its postmortem was read)
        // stays queued, and is indexed on the next sync.
        let queued = search_queue::pending(conn)?;
        let ids = postmortems::all_ids(conn)?;
        let fields = self.fields.clone();
        let Some(mut guard) = self.writer(true)? else { return Ok(None) };
        let writer = guard.as_mut().expect("writer() opened it");
        let filled = (|| {
            let mut stems = StemCounter::new();
            writer.delete_all_documents().map_err(search_err)?;
            for (n, id) in ids.iter().enumerate() {
                if n % 200 == 0 {
                    progress.step("indexing", n, ids.len())?;
                }
                let pm = postmortems::load(conn, id)?;
                writer.add_document(document::build(&fields, &pm, &mut stems)).map_err(search_err)?;
            }
            progress.check()
        })();
        if let Err(e) = filled {
            writer.rollback().map_err(search_err)?;
            return Err(e);
        }
        writer.commit().map_err(search_err)?;
        if ids.len() >= MERGE_AFTER {
            self.merge_into_one(writer);
        }
        // Everything queued before the rebuild was just indexed from the truth.
        search_queue::forget(conn, &queued)?;
        progress.report("indexing", ids.len(), ids.len());
        self.reader.reload().map_err(search_err)?;
        Ok(Some(ids.len()))
    }

    /// Compares the index with the database.
    pub fn drift(&self, conn: &Connection) -> Result<IndexDrift> {
        use std::collections::HashMap;
        let db: HashMap<String, String> = postmortems::versions(conn)?.into_iter().collect();
        let indexed = self.indexed_versions()?;
        let mut drift = IndexDrift { pending: search_queue::len(conn)?, ..Default::default() };
        for (id, version) in &db {
            match indexed.get(id) {
                None => drift.missing.push(id.clone()),
                Some(v) if v != version => drift.stale.push(id.clone()),
                _ => {}
            }
        }
        drift.extra = indexed.keys().filter(|id| !db.contains_key(*id)).cloned().collect();
        drift.missing.sort();
        drift.extra.sort();
        drift.stale.sort();
        Ok(drift)
    }

    /// Every indexed id with the `updated_at` it was indexed at.
    fn indexed_versions(&self) -> Result<std::collections::HashMap<String, String>> {
        use tantivy::schema::Value;
        let searcher = self.reader.searcher();
        let mut out = std::collections::HashMap::new();
        for segment in searcher.segment_readers() {
            let store = segment.get_store_reader(64).map_err(|e| Error::Search(e.to_string()))?;
            for doc_id in segment.doc_ids_alive() {
                let doc: TantivyDocument = store.get(doc_id).map_err(search_err)?;
                let id = doc.get_first(self.fields.id).and_then(|v| v.as_str()).unwrap_or_default().to_string();
                let version =
                    doc.get_first(self.fields.version).and_then(|v| v.as_str()).unwrap_or_default().to_string();
                out.insert(id, version);
            }
        }
        Ok(out)
    }

    /// How many segments the index is made of (see [`MERGE_AFTER`]).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    /// Reloads the reader, so that [`SearchIndex::len`] and searches see what another process
    /// committed since.
    pub fn refresh(&self) -> Result<()> {
        self.reader.reload().map_err(search_err)
    }

    /// How many postmortems the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no documents.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the index takes on disk.
    pub fn size_on_disk(&self) -> u64 {
        fn walk(p: &Path) -> u64 {
            std::fs::read_dir(p)
                .map(|rd| {
                    rd.filter_map(|e| e.ok())
                        .map(|e| {
                            let m = e.metadata().ok();
                            if m.as_ref().is_some_and(|m| m.is_dir()) {
                                walk(&e.path())
                            } else {
                                m.map_or(0, |m| m.len())
                            }
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        walk(&self.dir)
    }

    pub(crate) fn searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }
}

/// The writer of a lock whose holder panicked, perhaps with documents staged for a transaction
/// that never committed: that writer is dropped, which discards them, and opened afresh.
fn unpoison(p: std::sync::PoisonError<WriterGuard<'_>>) -> WriterGuard<'_> {
    let mut guard = p.into_inner();
    *guard = None;
    guard
}

/// Discards documents staged for a transaction that did not commit, which must never reach
/// the index: the writer is rolled back, or dropped (which discards them) if even that fails.
fn discard_staged(guard: &mut WriterGuard<'_>) {
    if guard.as_mut().is_some_and(|w| w.rollback().is_err()) {
        **guard = None;
    }
}

/// Maps a tantivy error into the core's error.
pub(crate) fn search_err(e: tantivy::TantivyError) -> Error {
    Error::Search(e.to_string())
}

/// A pause for the concurrency tests: when `DEBRIEF_FAULT` names this point, the process waits
/// two seconds here, so another process can try to write at this moment. Unset in normal use.
pub(crate) fn pause_point(name: &str) {
    if crate::clock::fault_requested(name) {
        eprintln!("debrief: DEBRIEF_FAULT={name}: pausing on purpose");
        std::thread::sleep(std::time::Duration::from_secs(2));
    }
}

/// A fault-injection point for the crash-consistency test: when `DEBRIEF_FAULT` names this
/// point, the process aborts here, as a power cut would. Unset in normal use.
pub(crate) fn fault_point(name: &str) {
    if crate::clock::fault_requested(name) {
        eprintln!("debrief: DEBRIEF_FAULT={name}: aborting on purpose");
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warmer_reads_dictionaries_norms_columns_postings_positions_then_stored_documents() {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["b.pos", "a.pos", "a.idx", "a.store", "a.term", "meta.json", "a.fast", "a.fieldnorm", "b.term"] {
            std::fs::write(dir.path().join(name), b"x").expect("file");
        }
        let names: Vec<String> = warmed_files(dir.path())
            .iter()
            .map(|p| p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string())
            .collect();
        assert_eq!(names, ["a.term", "b.term", "a.fieldnorm", "a.fast", "a.idx", "a.pos", "b.pos", "a.store"]);
        assert!(warmed_files(&dir.path().join("missing")).is_empty());
        // Starting it on a folder that is not there is harmless.
        warm_page_cache(&dir.path().join("missing"));
    }
}
