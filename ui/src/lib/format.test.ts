import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDayMonth,
  formatMinutes,
  formatUtcTime,
  overdueLabel,
  relativeTime,
  revisionsLabel,
  localDateIso,
} from './format';

describe('formatMinutes', () => {
  it('pads minutes after hours', () => {
    expect(formatMinutes(65)).toBe('1h 05m');
    expect(formatMinutes(120)).toBe('2h 00m');
  });
  it('shows short durations in minutes only', () => {
    expect(formatMinutes(0)).toBe('0m');
    expect(formatMinutes(42)).toBe('42m');
  });
  it('uses days past 24 hours', () => {
    expect(formatMinutes(24 * 60 + 3 * 60 + 5)).toBe('1d 3h 05m');
  });
  it('shows a dash when unknown', () => {
    expect(formatMinutes(null)).toBe('—');
    expect(formatMinutes(undefined)).toBe('—');
  });
});

describe('dates and times', () => {
  it('formats calendar dates with English month names', () => {
    expect(formatDate('2025-03-07')).toBe('7 Mar 2025');
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatDayMonth('2025-03-07')).toBe('7 Mar');
    expect(formatDayMonth('2025-13-07')).toBe('2025-13-07');
  });

  it('shows timeline times in UTC', () => {
    expect(formatUtcTime('2025-03-12T14:05:00Z')).toBe('14:05');
    expect(formatUtcTime('2025-03-12T15:05:00+01:00')).toBe('14:05');
  });
  it('gives today as a local ISO date', () => {
    expect(localDateIso(new Date(2025, 0, 9, 23, 30))).toBe('2025-01-09');
  });
});

describe('relativeTime', () => {
  const now = new Date('2025-03-12T12:00:00Z');
  it('covers seconds to days', () => {
    expect(relativeTime('2025-03-12T11:59:50Z', now)).toBe('just now');
    expect(relativeTime('2025-03-12T11:55:00Z', now)).toBe('5 min ago');
    expect(relativeTime('2025-03-12T09:00:00Z', now)).toBe('3 h ago');
    expect(relativeTime('2025-03-11T10:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2025-03-08T12:00:00Z', now)).toBe('4 days ago');
  });
  it('falls back to a date after a month and treats the future as now', () => {
    expect(relativeTime('2025-01-01T12:00:00Z', now)).toBe('1 Jan 2025');
    expect(relativeTime('2025-03-12T12:10:00Z', now)).toBe('just now');
  });
});

describe('counts', () => {
  it('pluralises revisions and overdue items', () => {
    expect(revisionsLabel(0)).toBe('');
    expect(revisionsLabel(1)).toBe('1 earlier version kept');
    expect(revisionsLabel(12)).toBe('12 earlier versions kept');
    expect(overdueLabel(1)).toBe('1 overdue item');
    expect(overdueLabel(3)).toBe('3 overdue items');
    expect(overdueLabel(5330)).toBe('5,330 overdue items');
  });
});
