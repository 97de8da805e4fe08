//! Finding postmortems: full-text search and similar incidents, for a stored postmortem or a
//! draft being written.

use super::Library;
use crate::search::SearchIndex;
use crate::store::{postmortems, search_queue};
use crate::wire::{DraftText, SearchOptions, SearchResults, SimilarHit};
use crate::Result;

impl Library {
    /// Searches the library (see [`crate::search::query`] for the language).
    pub fn search(&mut self, query: &str, opts: &SearchOptions) -> Result<SearchResults> {
        self.sync_index()?;
        self.index.search(query, opts)
    }

    /// The postmortems most similar to a stored one. Read from the index's copy of it when the
    /// index holds every change (no database read); from the database when changes are still
    /// queued (another process holds the index) or the index does not hold it.
    pub fn similar(&mut self, id: &str, limit: usize) -> Result<Vec<SimilarHit>> {
        self.sync_index()?;
        if search_queue::len(&self.conn)? == 0 {
            if let Some(hits) = self.index.similar_to_indexed(id, limit)? {
                return Ok(hits);
            }
        }
        let pm = postmortems::load(&self.conn, id)?;
        self.index.similar_to(&pm, limit)
    }

    /// The postmortems most similar to a draft being written (title and text so far).
    pub fn similar_to_draft(&mut self, draft: &DraftText, limit: usize) -> Result<Vec<SimilarHit>> {
        self.sync_index()?;
        self.index.similar(
            draft.exclude_id.as_deref(),
            &draft.title,
            &draft.text,
            &draft.categories,
            &draft.services,
            limit,
        )
    }

    /// The search index, for benchmarks and diagnostics.
    pub fn search_index(&self) -> &SearchIndex {
        &self.index
    }
}
