// The library list's sort and filters as the user sets them, and the query the core runs for
// them: filtering, sorting and paging happen in the core (store::postmortems::list_page).
import type { ListQuery, ReviewStatus, Severity } from '../api/types';

export type SortKey = 'date' | 'title' | 'severity' | 'status';
export type SortDir = 'asc' | 'desc';
export interface Sort {
  key: SortKey;
  dir: SortDir;
}

export const DEFAULT_SORT: Sort = { key: 'date', dir: 'desc' };

/**
 * The direction a column starts in when first clicked: newest date first, titles A to Z,
 * most severe first, draft before final.
 */
const FIRST_DIR: Record<SortKey, SortDir> = { date: 'desc', title: 'asc', severity: 'asc', status: 'asc' };

/** Clicking a header: the same column flips direction, another column starts in its natural one. */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: FIRST_DIR[key] };
}

/** The incidents behind a figure the user drilled into from Insights, and what the figure was. */
export interface Drill {
  label: string;
  ids: string[];
}

export interface Filters {
  severities: Severity[];
  statuses: ReviewStatus[];
  service: string | null;
  category: string | null;
  drill: Drill | null;
}

export const NO_FILTERS: Filters = { severities: [], statuses: [], service: null, category: null, drill: null };

export function isFiltered(f: Filters): boolean {
  return f.severities.length > 0 || f.statuses.length > 0 || f.service !== null || f.category !== null || f.drill !== null;
}

/** Adds or removes one value of a multi-toggle chip group. */
export function toggle<T>(values: readonly T[], v: T): T[] {
  return values.includes(v) ? values.filter((x) => x !== v) : [...values, v];
}

/** The core's query for one page of the list. */
export function toListQuery(filters: Filters, sort: Sort, offset: number, limit: number): ListQuery {
  return {
    filter: {
      severities: [...filters.severities],
      statuses: [...filters.statuses],
      service: filters.service,
      category: filters.category,
      ids: filters.drill ? [...filters.drill.ids] : [],
    },
    sort: sort.key,
    dir: sort.dir,
    offset,
    limit,
  };
}

const n = (x: number) => x.toLocaleString('en-US');

/** "45 postmortems", "12 of 45 postmortems", "100 of 10,045 shown": what the list holds. */
export function countLabel(shown: number, matching: number, total: number, filtered: boolean): string {
  const noun = (k: number) => (k === 1 ? 'postmortem' : 'postmortems');
  const head = filtered ? `${n(matching)} of ${n(total)} ${noun(total)}` : `${n(total)} ${noun(total)}`;
  return shown < matching ? `${head} · ${n(shown)} shown` : head;
}
