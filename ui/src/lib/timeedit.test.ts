import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../api/types';
import { fromInputValue, moveWithinTie, nextEventTime, sortByTime, toInputValue } from './timeedit';

const ev = (id: string, at: string): TimelineEvent => ({ id, at, approximate: false, kind: 'action', marker: null, text: id });

describe('timeline times', () => {
  it('round-trip through the input in UTC', () => {
    expect(toInputValue('2026-03-14T14:05:00Z', 'utc')).toBe('2026-03-14T14:05');
    expect(fromInputValue('2026-03-14T14:05', 'utc')).toBe('2026-03-14T14:05:00Z');
  });
  it('round-trip through the input in local time', () => {
    const iso = '2026-07-01T23:45:00Z';
    expect(fromInputValue(toInputValue(iso, 'local'), 'local')).toBe(iso);
  });
  it('refuse garbage', () => {
    expect(fromInputValue('tomorrow', 'utc')).toBeNull();
  });
  it('sort stably and place new events after the last', () => {
    const list = [ev('b', '2026-01-01T10:05:00Z'), ev('a', '2026-01-01T10:00:00Z'), ev('c', '2026-01-01T10:05:00Z')];
    expect(sortByTime(list).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(nextEventTime(list, '2026-01-01')).toBe('2026-01-01T10:10:00Z');
    expect(nextEventTime([], '2026-01-01')).toBe('2026-01-01T00:00:00Z');
  });
  it('reorder only among events at the same time', () => {
    const list = sortByTime([ev('a', '2026-01-01T10:00:00Z'), ev('b', '2026-01-01T10:05:00Z'), ev('c', '2026-01-01T10:05:00Z')]);
    expect(moveWithinTie(list, 1, -1)).toBe(false);
    expect(moveWithinTie(list, 2, -1)).toBe(true);
    expect(list.map((e) => e.id)).toEqual(['a', 'c', 'b']);
  });
});
