// Latest-response-wins: of several requests in flight, only the one started last may deliver.
// Used for search-as-you-type and the similar-incident panels, where an older, slower answer
// must never overwrite a newer one.

/** What `run` resolves to when a later task started meanwhile. */
export const STALE: unique symbol = Symbol('stale');
export type Stale = typeof STALE;

export class LatestOnly {
  #seq = 0;

  /** Marks the start of a request; pass the ticket to `isLatest` when it answers. */
  begin(): number {
    return ++this.#seq;
  }

  /** True when no request began after the one holding `ticket` (and none was invalidated). */
  isLatest(ticket: number): boolean {
    return ticket === this.#seq;
  }

  /** Makes every request in flight stale (e.g. the query was cleared). */
  invalidate(): void {
    this.#seq++;
  }

  /**
   * Runs `task`. Resolves to its value, or to `STALE` when a later task began (or `invalidate`
   * was called) before it settled. A stale task's failure is swallowed; the latest one's is thrown.
   */
  async run<T>(task: () => Promise<T>): Promise<T | Stale> {
    const ticket = this.begin();
    try {
      const value = await task();
      return this.isLatest(ticket) ? value : STALE;
    } catch (e) {
      if (!this.isLatest(ticket)) return STALE;
      throw e;
    }
  }
}
