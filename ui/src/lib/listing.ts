import type { PostmortemSummary, ReviewStatus, Severity } from '../api/types';
import { severityRank, statusRank } from './labels';

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

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function compareBy(key: SortKey, a: PostmortemSummary, b: PostmortemSummary): number {
  switch (key) {
    case 'date':
      return a.incident_date < b.incident_date ? -1 : a.incident_date > b.incident_date ? 1 : 0;
    case 'title':
      return collator.compare(a.title, b.title);
    case 'severity':
      return severityRank(a.severity) - severityRank(b.severity);
    case 'status':
      return statusRank(a.status) - statusRank(b.status);
  }
}

/** A sorted copy; ties fall back to newest first, then title, so the order is stable. */
export function sortSummaries(list: readonly PostmortemSummary[], sort: Sort): PostmortemSummary[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...list].sort(
    (a, b) =>
      sign * compareBy(sort.key, a, b) ||
      -compareBy('date', a, b) ||
      compareBy('title', a, b) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

export interface Filters {
  severities: Severity[];
  statuses: ReviewStatus[];
  service: string | null;
  category: string | null;
}

export const NO_FILTERS: Filters = { severities: [], statuses: [], service: null, category: null };

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Empty chip sets mean "any". Service and category match case-insensitively. */
export function filterSummaries(list: readonly PostmortemSummary[], f: Filters): PostmortemSummary[] {
  return list.filter(
    (p) =>
      (f.severities.length === 0 || f.severities.includes(p.severity)) &&
      (f.statuses.length === 0 || f.statuses.includes(p.status)) &&
      (f.service === null || p.services.some((s) => sameName(s, f.service as string))) &&
      (f.category === null || p.categories.some((c) => sameName(c, f.category as string))),
  );
}

export function isFiltered(f: Filters): boolean {
  return f.severities.length > 0 || f.statuses.length > 0 || f.service !== null || f.category !== null;
}

/** Adds or removes one value of a multi-toggle chip group. */
export function toggle<T>(values: readonly T[], v: T): T[] {
  return values.includes(v) ? values.filter((x) => x !== v) : [...values, v];
}

/** "7 of 12 postmortems", "1 of 1 postmortem". */
export function countLabel(shown: number, total: number): string {
  return `${shown} of ${total} ${total === 1 ? 'postmortem' : 'postmortems'}`;
}
