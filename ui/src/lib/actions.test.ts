import { describe, expect, it } from 'vitest';
import type { ActionRow } from '../api/types';
import { agingLabel, groupRows, percent } from './actions';

const row = (id: string, owner: string | null, status: 'open' | 'done', overdue: boolean, services: string[]): ActionRow =>
  ({
    item: { id, title: id, owner, status, priority: 'P2', kind: 'prevent' },
    postmortem_id: 'pm',
    postmortem_title: 'Checkout 502s',
    services,
    overdue,
  }) as unknown as ActionRow;

describe('board grouping', () => {
  const rows = [row('a', 'Alice', 'open', true, ['api']), row('b', null, 'open', false, []), row('c', 'Alice', 'done', false, ['api', 'web'])];
  it('groups by owner with overdue counts, keeping row order', () => {
    const g = groupRows(rows, 'owner');
    expect(g.map((x) => [x.label, x.rows.map((r) => r.item.id), x.overdue])).toEqual([
      ['Alice', ['a', 'c'], 1],
      ['No owner', ['b'], 0],
    ]);
  });
  it('puts a row under each of its services', () => {
    expect(groupRows(rows, 'service').map((x) => [x.label, x.rows.length])).toEqual([
      ['api', 2],
      ['No service', 1],
      ['web', 1],
    ]);
  });
  it('orders statuses and keeps one group without grouping', () => {
    expect(groupRows(rows, 'status').map((x) => x.label)).toEqual(['Done', 'Open']);
    expect(groupRows(rows, 'none')).toHaveLength(1);
  });
  it('describes age and rates', () => {
    expect(agingLabel(0)).toBe('today');
    expect(agingLabel(1)).toBe('1 day');
    expect(agingLabel(40)).toBe('40 days');
    expect(percent(0.585)).toBe('58.5%');
    expect(percent(null)).toBe('—');
  });
});
