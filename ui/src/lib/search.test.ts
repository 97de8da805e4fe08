import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../api/types';
import {
  appendHits,
  facetChips,
  filterClause,
  hasFilter,
  insertExample,
  normalizeQuery,
  parseErrorText,
  resultsLabel,
  searchKey,
  toggleFilter,
  tokenize,
} from './search';

describe('tokenize', () => {
  it('splits words, phrases, filters and exclusions like the core parser', () => {
    const t = tokenize('disk  "connection pool" -cdn severity:SEV1 category:"config change" -service:edge error:500');
    expect(t.map((x) => [x.raw, x.name, x.value, x.negated])).toEqual([
      ['disk', null, 'disk', false],
      ['"connection pool"', null, 'connection pool', false],
      ['-cdn', null, 'cdn', true],
      ['severity:SEV1', 'severity', 'SEV1', false],
      ['category:"config change"', 'category', 'config change', false],
      ['-service:edge', 'service', 'edge', true],
      ['error:500', null, 'error:500', false],
    ]);
  });

  it('survives an unclosed quote and a lone dash', () => {
    expect(tokenize('a "open phrase').map((x) => x.raw)).toEqual(['a', '"open phrase']);
    expect(tokenize(' - ').map((x) => x.raw)).toEqual(['-']);
  });
});

describe('toggleFilter', () => {
  it('adds a filter at the end, separated by one space', () => {
    expect(toggleFilter('certificate expiry', 'severity', 'SEV1')).toBe('certificate expiry severity:SEV1');
    expect(toggleFilter('disk  ', 'service', 'payments-api')).toBe('disk service:payments-api');
    expect(toggleFilter('', 'service', 'payments-api')).toBe('service:payments-api');
  });

  it('quotes values that hold spaces and uses the value exactly', () => {
    expect(toggleFilter('pool', 'category', 'config change')).toBe('pool category:"config change"');
    expect(filterClause('service', 'Payments-API')).toBe('service:Payments-API');
  });

  it('removes an active filter, quoted or not, whatever its case', () => {
    expect(toggleFilter('pool category:"config change" disk', 'category', 'config change')).toBe('pool disk');
    expect(toggleFilter('severity:sev1 timeout', 'severity', 'SEV1')).toBe('timeout');
    expect(toggleFilter('service:payments-api', 'service', 'payments-api')).toBe('');
  });

  it('leaves exclusions and other filters alone', () => {
    const q = '-service:cdn service:api category:cdn';
    expect(hasFilter(q, 'service', 'cdn')).toBe(false);
    expect(toggleFilter(q, 'service', 'cdn')).toBe('-service:cdn service:api category:cdn service:cdn');
    expect(toggleFilter(q, 'service', 'api')).toBe('-service:cdn category:cdn');
  });
});

describe('facetChips', () => {
  const counts = [
    { value: 'payments-api', count: 4 },
    { value: 'cdn-edge', count: 2 },
  ];
  it('marks the values the query filters on', () => {
    expect(facetChips('x service:cdn-edge', 'service', counts)).toEqual([
      { value: 'payments-api', count: 4, active: false },
      { value: 'cdn-edge', count: 2, active: true },
    ]);
  });
  it('keeps an active filter that matched nothing so it can be removed', () => {
    expect(facetChips('service:ghost', 'service', [])).toEqual([{ value: 'ghost', count: 0, active: true }]);
  });
});

describe('query helpers', () => {
  it('treats spacing differences as the same search', () => {
    expect(normalizeQuery('  disk   full "a  b" ')).toBe('disk full "a  b"');
    expect(searchKey('disk full ', 'newest')).toBe(searchKey('disk  full', 'newest'));
    expect(searchKey('disk', 'newest')).not.toBe(searchKey('disk', 'oldest'));
  });

  it('inserts an example once', () => {
    expect(insertExample('pool', 'severity:SEV1')).toBe('pool severity:SEV1');
    expect(insertExample('pool severity:SEV1', 'severity:SEV1')).toBe('pool severity:SEV1');
    expect(insertExample('', 'after:2025-01-01 before:2025-06-30')).toBe('after:2025-01-01 before:2025-06-30');
  });

  it('strips the query echo from parse errors', () => {
    expect(parseErrorText('search query "severity:SEV9": severity:SEV9 is not a severity; use SEV1, SEV2, SEV3 or SEV4')).toBe(
      'severity:SEV9 is not a severity; use SEV1, SEV2, SEV3 or SEV4',
    );
    expect(parseErrorText('search query "disk \\"full": the quote at column 6 is never closed')).toBe(
      'the quote at column 6 is never closed',
    );
    expect(parseErrorText('something else')).toBe('something else');
  });

  it('appends a page without repeating hits', () => {
    const hit = (id: string) => ({ id }) as SearchHit;
    expect(appendHits([hit('a'), hit('b')], [hit('b'), hit('c')]).map((h) => h.id)).toEqual(['a', 'b', 'c']);
  });

  it('labels the total', () => {
    expect(resultsLabel(1)).toBe('1 result');
    expect(resultsLabel(0)).toBe('0 results');
    expect(resultsLabel(12)).toBe('12 results');
  });
});
