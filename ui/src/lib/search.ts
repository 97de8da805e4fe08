// The search query text as the UI edits it: facet chips add and remove `name:value` filters,
// examples are appended, and two spellings of the same query are recognised as one. The
// tokenizer follows the core's parser (src/search/query.rs): whitespace separates clauses,
// "double quotes" group words, `-` in front excludes, and only known names before a colon
// make a filter.
import type { FacetCount, SearchHit, SearchSort } from '../api/types';

export type FacetName = 'severity' | 'service' | 'category';
export const FACETS: readonly FacetName[] = ['severity', 'service', 'category'];

export const FILTER_NAMES = ['severity', 'status', 'service', 'category', 'tag', 'owner', 'after', 'before'] as const;
type FilterName = (typeof FILTER_NAMES)[number];

export interface Token {
  /** The clause exactly as written, e.g. `-category:"config change"`. */
  raw: string;
  negated: boolean;
  /** Lower-cased filter name, or null for a word or phrase. */
  name: FilterName | null;
  /** The value (unquoted), the word, or the phrase text. */
  value: string;
}

const isSpace = (c: string) => /\s/.test(c);

/** Splits a query into clauses. Never throws: an unclosed quote runs to the end. */
export function tokenize(query: string): Token[] {
  const out: Token[] = [];
  const n = query.length;
  let i = 0;
  // Reads a quoted run starting at `at` (a `"`); returns the text and the index after it.
  const quoted = (at: number): [string, number] => {
    const close = query.indexOf('"', at + 1);
    return close < 0 ? [query.slice(at + 1), n] : [query.slice(at + 1, close), close + 1];
  };
  while (i < n) {
    if (isSpace(query[i])) {
      i++;
      continue;
    }
    const start = i;
    const negated = query[i] === '-' && i + 1 < n && !isSpace(query[i + 1]);
    if (negated) i++;
    if (query[i] === '"') {
      const [text, next] = quoted(i);
      i = next;
      out.push({ raw: query.slice(start, i), negated, name: null, value: text.trim() });
      continue;
    }
    const nameStart = i;
    while (i < n && !isSpace(query[i]) && query[i] !== ':' && query[i] !== '"') i++;
    const name = query.slice(nameStart, i).toLowerCase();
    if (i < n && query[i] === ':' && (FILTER_NAMES as readonly string[]).includes(name)) {
      i++;
      let value: string;
      if (query[i] === '"') {
        [value, i] = quoted(i);
      } else {
        const vs = i;
        while (i < n && !isSpace(query[i])) i++;
        value = query.slice(vs, i);
      }
      out.push({ raw: query.slice(start, i), negated, name: name as FilterName, value: value.trim() });
      continue;
    }
    while (i < n && !isSpace(query[i]) && query[i] !== '"') i++;
    out.push({ raw: query.slice(start, i), negated, name: null, value: query.slice(nameStart, i) });
  }
  return out;
}

/** The query with runs of whitespace between clauses collapsed: equal for equal searches. */
export function normalizeQuery(query: string): string {
  return tokenize(query)
    .map((t) => t.raw)
    .join(' ');
}

/** Identifies what a page of results was asked for. */
export function searchKey(query: string, sort: SearchSort): string {
  return `${sort}\u0000${normalizeQuery(query)}`;
}

export function isBlankQuery(query: string): boolean {
  return query.trim() === '';
}

/** A filter clause for a value, quoted when it holds spaces: `category:"config change"`. */
export function filterClause(name: FilterName, value: string): string {
  return /[\s"]/.test(value) || value === '' ? `${name}:"${value.replace(/"/g, '')}"` : `${name}:${value}`;
}

const sameValue = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** True when the query already filters (not excludes) on `name:value`. */
export function hasFilter(query: string, name: FacetName, value: string): boolean {
  return tokenize(query).some((t) => !t.negated && t.name === name && sameValue(t.value, value));
}

/** Appends a clause to the query, separated by one space. */
export function appendClause(query: string, clause: string): string {
  const base = query.trimEnd();
  return base === '' ? clause : `${base} ${clause}`;
}

/**
 * Adds the filter `name:value` to the query, or removes it when it is already there (what
 * clicking a facet chip does). The value is used exactly as the facet names it.
 */
export function toggleFilter(query: string, name: FacetName, value: string): string {
  if (!hasFilter(query, name, value)) return appendClause(query, filterClause(name, value));
  return tokenize(query)
    .filter((t) => t.negated || t.name !== name || !sameValue(t.value, value))
    .map((t) => t.raw)
    .join(' ');
}

/** Adds an example clause unless the query already holds it. */
export function insertExample(query: string, example: string): string {
  const have = new Set(tokenize(query).map((t) => t.raw.toLowerCase()));
  const missing = tokenize(example).filter((t) => !have.has(t.raw.toLowerCase()));
  return missing.reduce((q, t) => appendClause(q, t.raw), query);
}

export interface FacetChip {
  value: string;
  count: number;
  active: boolean;
}

/**
 * The chips for one facet: the core's counts, marked active when the query filters on them,
 * plus active filters the counts do not mention (nothing matched), so they can be removed.
 */
export function facetChips(query: string, name: FacetName, counts: readonly FacetCount[]): FacetChip[] {
  const active = tokenize(query).filter((t) => !t.negated && t.name === name && t.value !== '');
  const chips: FacetChip[] = counts.map((c) => ({
    value: c.value,
    count: c.count,
    active: active.some((t) => sameValue(t.value, c.value)),
  }));
  for (const t of active) {
    if (!chips.some((c) => sameValue(c.value, t.value))) chips.unshift({ value: t.value, count: 0, active: true });
  }
  return chips;
}

/** The core's parse error reads `search query "…": message`; the box already shows the query. */
export function parseErrorText(message: string): string {
  const m = /^search query "(?:[^"\\]|\\.)*": /.exec(message);
  return m ? message.slice(m[0].length) : message;
}

/** Appends the next page, skipping hits already listed (the index may change between pages). */
export function appendHits(shown: readonly SearchHit[], more: readonly SearchHit[]): SearchHit[] {
  const seen = new Set(shown.map((h) => h.id));
  return [...shown, ...more.filter((h) => !seen.has(h.id))];
}

/** "1 result", "12 results". */
export function resultsLabel(n: number): string {
  return `${n} ${n === 1 ? 'result' : 'results'}`;
}
