import { describe, expect, it } from 'vitest';
import type { ActionRow } from '../api/types';
import {
  agingLabel,
  countLabel,
  daysBetween,
  DEFAULT_FILTERS,
  dueLabel,
  groupRows,
  inItemMessage,
  isFiltered,
  itemSource,
  nudgeTarget,
  percent,
  toActionFilter,
  toggleAll,
  trackerLabel,
} from './actions';

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

describe('board filters', () => {
  it('defaults to open and in-progress items of anyone, paged', () => {
    expect(toActionFilter(DEFAULT_FILTERS, { limit: 200, offset: 400 })).toEqual({
      owner: null,
      status: null,
      open_only: true,
      overdue: false,
      priority: null,
      kind: null,
      postmortem_id: null,
      service: null,
      limit: 200,
      offset: 400,
    });
    expect(isFiltered(DEFAULT_FILTERS)).toBe(false);
  });
  it('maps every filter, and no paging for an export', () => {
    const f = { status: 'done', owner: '  Aisha ', priority: 'P1', kind: 'detect', service: 'api', postmortemId: 'pm-1', overdueOnly: true } as const;
    expect(toActionFilter(f, null)).toEqual({
      owner: 'Aisha',
      status: 'done',
      open_only: false,
      overdue: true,
      priority: 'P1',
      kind: 'detect',
      postmortem_id: 'pm-1',
      service: 'api',
      limit: null,
      offset: null,
    });
    expect(isFiltered(f)).toBe(true);
  });
  it('treats any status as no status filter and blank owners as none', () => {
    const f = { ...DEFAULT_FILTERS, status: 'any' as const, owner: '   ' };
    expect(toActionFilter(f, null)).toMatchObject({ status: null, open_only: false, owner: null });
    expect(isFiltered({ ...DEFAULT_FILTERS, owner: '  ' })).toBe(false);
  });
});

describe('due dates and counts', () => {
  it('counts days across months and years', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2026-01-01')).toBe(-364);
  });
  it('says how late or how soon an owed item is', () => {
    const owed = (due_date: string | null, status = 'open') => ({ due_date, status }) as Parameters<typeof dueLabel>[0];
    expect(dueLabel(owed('2026-03-01'), '2026-03-13')).toBe('12 days late');
    expect(dueLabel(owed('2026-03-12'), '2026-03-13')).toBe('1 day late');
    expect(dueLabel(owed('2026-03-13'), '2026-03-13')).toBe('due today');
    expect(dueLabel(owed('2026-03-14', 'in_progress'), '2026-03-13')).toBe('due tomorrow');
    expect(dueLabel(owed('2026-03-20'), '2026-03-13')).toBe('due in 7 days');
    expect(dueLabel(owed('2026-03-01', 'done'), '2026-03-13')).toBeNull();
    expect(dueLabel(owed(null), '2026-03-13')).toBeNull();
  });
  it('shows the page within the total', () => {
    expect(countLabel(26, 26, 0, true)).toBe('26 items overdue');
    expect(countLabel(1, 1, 0, false)).toBe('1 item');
    expect(countLabel(740, 200, 200, false)).toBe('740 items · 201–400 shown');
  });
});

describe('nudges and selection', () => {
  it('finds the item and field a nudge is about', () => {
    expect(nudgeTarget('action_items')).toEqual({ index: null, field: null });
    expect(nudgeTarget('action_items[3].owner')).toEqual({ index: 3, field: 'owner' });
    expect(nudgeTarget('action_items[0]')).toEqual({ index: 0, field: null });
  });
  it('selects a whole group, or clears it when it was all selected', () => {
    const some = toggleAll(new Set(['x', 'a']), ['a', 'b']);
    expect([...some].sort()).toEqual(['a', 'b', 'x']);
    expect([...toggleAll(some, ['a', 'b'])]).toEqual(['x']);
    expect(toggleAll(new Set(), []).size).toBe(0);
  });
});

describe('where an item came from', () => {
  const pm = {
    whys: [{ steps: [{ id: 's1', question: 'Why?', answer: 'The pool was too small' }, { id: 's2', question: 'Why was it small?', answer: ' ' }] }],
    contributing_factors: [{ id: 'f1', text: 'No load test for the pool' }],
  };
  it('names the step or factor, preferring the factor', () => {
    expect(itemSource({ source_step_id: 's1', source_factor_id: null }, pm)).toEqual({ kind: 'step', id: 's1', text: 'The pool was too small' });
    expect(itemSource({ source_step_id: 's2', source_factor_id: null }, pm)?.text).toBe('Why was it small?');
    expect(itemSource({ source_step_id: 's1', source_factor_id: 'f1' }, pm)).toEqual({ kind: 'factor', id: 'f1', text: 'No load test for the pool' });
  });
  it('says when the source was deleted, and nothing for a typed item', () => {
    expect(itemSource({ source_step_id: 'gone', source_factor_id: null }, pm)).toEqual({ kind: 'step', id: 'gone', text: null });
    expect(itemSource({ source_step_id: null, source_factor_id: 'gone' }, pm)?.text).toBeNull();
    expect(itemSource({ source_step_id: null, source_factor_id: null }, pm)).toBeNull();
  });
});

describe('nudges inside their item', () => {
  it('says "this item" for an item without a title yet', () => {
    expect(inItemMessage('"" has no due date: items without one rarely get done.', '')).toBe('This item has no due date: items without one rarely get done.');
  });
  it('keeps the core\'s words otherwise', () => {
    const owner = '"Add alerts" has no owner: name one person.';
    expect(inItemMessage(owner, 'Add alerts')).toBe(owner);
    const team = '"Platform team" is a group: name one person.';
    expect(inItemMessage(team, '')).toBe(team);
  });
});

describe('tracker links in a cell', () => {
  it('shows the ticket, else the host, else what was typed', () => {
    expect(trackerLabel('https://tracker.example.com/REL-1213')).toBe('REL-1213');
    expect(trackerLabel('https://github.com/acme/api/issues/42/')).toBe('42');
    expect(trackerLabel('https://jira.example.com/')).toBe('jira.example.com');
    expect(trackerLabel('not a url')).toBe('not a url');
  });
});
