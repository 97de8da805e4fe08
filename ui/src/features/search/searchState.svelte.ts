// The state of global search: the query in the top bar, the results page by page, the parse
// error, and the keyboard selection. One instance lives in App and is shared by the search box
// and the search view.
//
// Typing is debounced; chips, sort and examples search at once. Only the latest request may
// deliver (LatestOnly), so a slow answer to an older query never replaces a newer one. Results
// of an earlier query stay on screen, dimmed, until the new ones arrive, so typing does not
// flicker; `current` says whether what is shown answers the query in the box.
import { search as runSearch, toErrorPayload, type Facets, type SearchHit, type SearchSort } from '../../api';
import { debounce } from '../../lib/debounce';
import { LatestOnly, STALE } from '../../lib/latest';
import {
  appendHits,
  insertExample,
  isBlankQuery,
  parseErrorText,
  searchKey,
  toggleFilter,
  type FacetName,
} from '../../lib/search';
import { clampSelection, moveSelection } from '../../lib/selection';
import { showError } from '../../state/notices.svelte';

export const PAGE_SIZE = 20;
/** The deepest offset the core serves (`search::engine::MAX_OFFSET`); deeper pages are refused. */
export const MAX_OFFSET = 100_000;
export const TYPING_DEBOUNCE_MS = 120;
const NO_FACETS: Facets = { severity: [], service: [], category: [] };

export class SearchState {
  /** The search view is showing (it replaces the main content). */
  open = $state(false);
  query = $state('');
  sort = $state<SearchSort>('relevance');
  hits = $state.raw<SearchHit[]>([]);
  total = $state(0);
  facets = $state.raw<Facets>(NO_FACETS);
  /** The search the shown results answer, or null when none are shown. */
  shownKey = $state<string | null>(null);
  /** The query text of the shown results (facet chips are marked from it). */
  shownQuery = $state('');
  /** The parse error of the last search, and the search it belongs to. */
  error = $state<string | null>(null);
  errorKey = $state<string | null>(null);
  /** A first page is being fetched. */
  loading = $state(false);
  loadingMore = $state(false);
  selected = $state(-1);

  readonly key = $derived(searchKey(this.query, this.sort));
  /** The shown results answer the query in the box (and it parsed). */
  readonly current = $derived(this.shownKey !== null && this.shownKey === this.key && this.error === null);
  /** The shown error belongs to the query in the box. */
  readonly errorCurrent = $derived(this.error !== null && this.errorKey === this.key);
  /** More results can be fetched: the next page's offset (the hits shown) is within the core's bound. */
  readonly hasMore = $derived(this.hits.length < this.total && this.hits.length <= MAX_OFFSET);
  readonly blank = $derived(isBlankQuery(this.query));

  #latest = new LatestOnly();
  #inflight: Promise<void> | null = null;
  #typed = debounce(() => void this.#search(), TYPING_DEBOUNCE_MS);

  /** The query changed by typing: search after a short pause. */
  setQuery(query: string): void {
    if (query === this.query) return;
    this.query = query;
    if (isBlankQuery(query)) {
      this.#reset();
      return;
    }
    this.#typed();
  }

  /** Runs the query in the box again (the library may have changed since it was shown). */
  refresh(): void {
    if (isBlankQuery(this.query)) return;
    this.#typed.cancel();
    void this.#search(true);
  }

  /** Adds or removes a facet filter and searches at once. */
  toggleFacet(name: FacetName, value: string): void {
    this.#now(toggleFilter(this.query, name, value));
  }

  /** Appends an example clause (from the help card) and searches at once. */
  insert(example: string): void {
    this.#now(insertExample(this.query, example));
  }

  setSort(sort: SearchSort): void {
    if (sort === this.sort) return;
    this.sort = sort;
    if (!isBlankQuery(this.query)) this.#now(this.query);
  }

  move(delta: number): void {
    this.selected = moveSelection(this.selected, delta, this.hits.length);
  }

  /** Closes the view; `clear` also forgets the query and its results. */
  close(clear: boolean): void {
    this.open = false;
    if (clear) {
      this.query = '';
      this.#reset();
    }
  }

  /**
   * The postmortem Enter should open: the selected hit (the first by default) of results that
   * answer the query in the box, waiting for a pending search first. Null when there is none.
   */
  async target(): Promise<string | null> {
    if (!this.current) {
      this.#typed.flush();
      while (this.#inflight) await this.#inflight;
    }
    if (!this.current) return null;
    return this.hits[clampSelection(this.selected, this.hits.length)]?.id ?? null;
  }

  /** Fetches the next page and appends it. */
  async loadMore(): Promise<void> {
    if (!this.current || !this.hasMore || this.loadingMore) return;
    const { query, sort, key } = this;
    const offset = this.hits.length;
    this.loadingMore = true;
    try {
      const r = await this.#latest.run(() => runSearch(query, { limit: PAGE_SIZE, offset, sort }));
      if (r === STALE || this.shownKey !== key) return;
      this.hits = appendHits(this.hits, r.hits);
      this.total = r.total;
    } catch (e) {
      showError(e, 'Could not load more results');
    } finally {
      this.loadingMore = false;
    }
  }

  #now(query: string) {
    this.#typed.cancel();
    this.query = query;
    if (isBlankQuery(query)) this.#reset();
    else void this.#search();
  }

  #reset() {
    this.#typed.cancel();
    this.#latest.invalidate();
    this.hits = [];
    this.total = 0;
    this.facets = NO_FACETS;
    this.shownKey = null;
    this.shownQuery = '';
    this.error = null;
    this.errorKey = null;
    this.loading = false;
    this.loadingMore = false;
    this.selected = -1;
  }

  #search(force = false): Promise<void> {
    const { query, sort, key } = this;
    if (isBlankQuery(query)) return Promise.resolve();
    if (!force && key === this.shownKey && this.error === null) {
      // Back to what is shown (e.g. a space typed and deleted): drop anything in flight.
      this.#latest.invalidate();
      this.loading = false;
      return Promise.resolve();
    }
    this.loading = true;
    const run = (async () => {
      try {
        const r = await this.#latest.run(() => runSearch(query, { limit: PAGE_SIZE, offset: 0, sort }));
        if (r === STALE) return;
        this.hits = r.hits;
        this.total = r.total;
        this.facets = r.facets;
        this.shownKey = key;
        this.shownQuery = query;
        this.error = null;
        this.errorKey = null;
        this.selected = r.hits.length ? 0 : -1;
        this.loading = false;
      } catch (e) {
        this.loading = false;
        const p = toErrorPayload(e);
        if (p.code === 'parse') {
          // Shown under the box; the previous results stay, dimmed.
          this.error = parseErrorText(p.message);
          this.errorKey = key;
        } else {
          showError(p, 'Search failed');
        }
      }
    })();
    this.#inflight = run;
    void run.then(() => {
      if (this.#inflight === run) this.#inflight = null;
    });
    return run;
  }
}
