import { describe, expect, it } from 'vitest';
import type { PostmortemSummary } from '../api/types';
import { countLabel, DEFAULT_SORT, filterSummaries, NO_FILTERS, nextSort, sortSummaries, toggle } from './listing';

function pm(p: Partial<PostmortemSummary> & { id: string }): PostmortemSummary {
  return {
    title: p.id,
    incident_date: '2025-01-01',
    severity: 'SEV3',
    status: 'draft',
    services: [],
    categories: [],
    near_miss: false,
    action_items_open: 0,
    action_items_overdue: 0,
    draft_overdue: false,
    updated_at: '2025-01-01T00:00:00Z',
    ...p,
  };
}

const list = [
  pm({ id: 'a', title: 'Checkout outage', incident_date: '2025-02-01', severity: 'SEV1', status: 'final', services: ['checkout'], categories: ['config change'] }),
  pm({ id: 'b', title: 'api latency', incident_date: '2025-03-05', severity: 'SEV3', status: 'in_review', services: ['API Gateway'] }),
  pm({ id: 'c', title: 'Billing delay', incident_date: '2025-01-10', severity: 'SEV2', status: 'draft', services: ['billing'], categories: ['Capacity'] }),
  pm({ id: 'd', title: 'Cert near miss', incident_date: '2025-03-05', severity: 'SEV4', status: 'draft', near_miss: true }),
];

const ids = (l: PostmortemSummary[]) => l.map((p) => p.id).join('');

describe('sorting', () => {
  it('defaults to newest first, ties broken by title', () => {
    expect(ids(sortSummaries(list, DEFAULT_SORT))).toBe('bdac');
  });
  it('sorts titles case-insensitively', () => {
    expect(ids(sortSummaries(list, { key: 'title', dir: 'asc' }))).toBe('bcda');
  });
  it('puts the most severe first, and status in workflow order', () => {
    expect(ids(sortSummaries(list, { key: 'severity', dir: 'asc' }))).toBe('acbd');
    expect(ids(sortSummaries(list, { key: 'severity', dir: 'desc' }))).toBe('dbca');
    expect(ids(sortSummaries(list, { key: 'status', dir: 'asc' }))).toBe('dcba');
  });
  it('flips a column on a second click and starts others in their natural direction', () => {
    expect(nextSort(DEFAULT_SORT, 'date')).toEqual({ key: 'date', dir: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'title')).toEqual({ key: 'title', dir: 'asc' });
    expect(nextSort({ key: 'title', dir: 'asc' }, 'severity')).toEqual({ key: 'severity', dir: 'asc' });
  });
  it('does not modify the input', () => {
    const copy = [...list];
    sortSummaries(list, { key: 'title', dir: 'desc' });
    expect(list).toEqual(copy);
  });
});

describe('filtering', () => {
  it('shows everything without filters', () => {
    expect(filterSummaries(list, NO_FILTERS)).toHaveLength(4);
  });
  it('combines severity and status chips', () => {
    expect(ids(filterSummaries(list, { ...NO_FILTERS, severities: ['SEV1', 'SEV4'] }))).toBe('ad');
    expect(ids(filterSummaries(list, { ...NO_FILTERS, severities: ['SEV1', 'SEV4'], statuses: ['draft'] }))).toBe('d');
  });
  it('matches services and categories case-insensitively', () => {
    expect(ids(filterSummaries(list, { ...NO_FILTERS, service: 'api gateway' }))).toBe('b');
    expect(ids(filterSummaries(list, { ...NO_FILTERS, category: 'capacity' }))).toBe('c');
  });
  it('toggles chips', () => {
    expect(toggle(['SEV1'], 'SEV2')).toEqual(['SEV1', 'SEV2']);
    expect(toggle(['SEV1', 'SEV2'], 'SEV1')).toEqual(['SEV2']);
  });
  it('counts shown of total', () => {
    expect(countLabel(2, 4)).toBe('2 of 4 postmortems');
    expect(countLabel(1, 1)).toBe('1 of 1 postmortem');
  });
});
