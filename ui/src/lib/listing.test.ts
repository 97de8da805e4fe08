import { describe, expect, it } from 'vitest';
import { countLabel, DEFAULT_SORT, isFiltered, NO_FILTERS, nextSort, toggle, toListQuery } from './listing';

// Filtering and sorting themselves run in the core and are tested there
// (tests/integration/store.rs: list_pages_concatenate_to_the_whole_list_in_every_sort, ...).

describe('sorting', () => {
  it('flips a column on a second click and starts others in their natural direction', () => {
    expect(nextSort(DEFAULT_SORT, 'date')).toEqual({ key: 'date', dir: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'title')).toEqual({ key: 'title', dir: 'asc' });
    expect(nextSort({ key: 'title', dir: 'asc' }, 'severity')).toEqual({ key: 'severity', dir: 'asc' });
  });
});

describe('the core query', () => {
  it('carries every filter, the sort and the window, copying the chip lists', () => {
    const filters = { severities: ['SEV1' as const], statuses: ['draft' as const], service: 'billing', category: null, drill: null };
    const q = toListQuery(filters, { key: 'status', dir: 'asc' }, 200, 100);
    expect(q).toEqual({
      filter: { severities: ['SEV1'], statuses: ['draft'], service: 'billing', category: null, ids: [] },
      sort: 'status',
      dir: 'asc',
      offset: 200,
      limit: 100,
    });
    expect(q.filter.severities).not.toBe(filters.severities);
  });
  it('narrows to the incidents behind a drilled figure', () => {
    const drill = { label: 'Repeats', ids: ['a', 'b'] };
    const q = toListQuery({ ...NO_FILTERS, drill }, DEFAULT_SORT, 0, 100);
    expect(q.filter.ids).toEqual(['a', 'b']);
    expect(q.filter.ids).not.toBe(drill.ids);
    expect(isFiltered({ ...NO_FILTERS, drill })).toBe(true);
  });
});

describe('filters', () => {
  it('toggles chips and knows when anything is filtered', () => {
    expect(toggle(['SEV1'], 'SEV2')).toEqual(['SEV1', 'SEV2']);
    expect(toggle(['SEV1', 'SEV2'], 'SEV1')).toEqual(['SEV2']);
    expect(isFiltered(NO_FILTERS)).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, category: 'Capacity' })).toBe(true);
  });
  it('counts the library, the matches and the rows loaded so far', () => {
    expect(countLabel(45, 45, 45, false)).toBe('45 postmortems');
    expect(countLabel(1, 1, 1, false)).toBe('1 postmortem');
    expect(countLabel(12, 12, 45, true)).toBe('12 of 45 postmortems');
    expect(countLabel(100, 10045, 10045, false)).toBe('10,045 postmortems · 100 shown');
    expect(countLabel(100, 523, 10045, true)).toBe('523 of 10,045 postmortems · 100 shown');
  });
});
