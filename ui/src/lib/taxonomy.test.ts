import { describe, expect, it } from 'vitest';
import type { Taxonomy } from '../api/types';
import { fieldOf, mergeMessage, mergeTargets, parseDays, parseSloPercent, relabelledNote, rowsOf, sloPercent } from './taxonomy';

const taxonomy: Taxonomy = {
  services: [
    { name: 'api', description: 'The API', slo_target: 0.999, slo_window_days: 30, team: 'Core', retired: false },
    { name: 'old', description: '', slo_target: null, slo_window_days: null, team: null, retired: true },
  ],
  categories: [
    { name: 'Capacity', description: 'Ran out', retired: false },
    { name: 'Legacy', description: '', retired: true },
    { name: 'Config', description: '', retired: false },
  ],
  people: [],
  root_cause_types: ['Monitoring gap'],
  cause_types: [{ name: 'Monitoring gap', description: 'Nobody saw it', retired: false }],
};

describe('rowsOf', () => {
  it('shows each vocabulary with retired entries kept', () => {
    expect(rowsOf(taxonomy, 'category').map((r) => [r.name, r.retired])).toEqual([
      ['Capacity', false],
      ['Legacy', true],
      ['Config', false],
    ]);
    expect(rowsOf(taxonomy, 'service')[0]).toEqual({
      name: 'api',
      description: 'The API',
      retired: false,
      team: 'Core',
      sloTarget: 0.999,
      sloWindowDays: 30,
    });
    expect(rowsOf(taxonomy, 'cause')).toEqual([{ name: 'Monitoring gap', description: 'Nobody saw it', retired: false }]);
  });
});

describe('mergeTargets', () => {
  it('offers every other entry, those still offered first, ignoring case', () => {
    expect(mergeTargets(rowsOf(taxonomy, 'category'), 'capacity').map((r) => r.name)).toEqual(['Config', 'Legacy']);
  });
});

describe('SLO as a percentage', () => {
  it('reads a fraction as a percentage without float noise', () => {
    expect(sloPercent(0.999)).toBe('99.9%');
    expect(sloPercent(0.9995)).toBe('99.95%');
    expect(sloPercent(0.99)).toBe('99%');
    expect(sloPercent(null)).toBe('');
  });
  it('parses a typed percentage to the fraction the core keeps', () => {
    expect(parseSloPercent('99.9')).toBe(0.999);
    expect(parseSloPercent(' 99.95 % ')).toBe(0.9995);
    expect(parseSloPercent('')).toBeNull();
    expect(parseSloPercent('abc')).toEqual({ error: 'abc is not a percentage, e.g. 99.9' });
    // Out of range is the core's to refuse, naming the field.
    expect(parseSloPercent('120')).toBe(1.2);
  });
  it('parses a window in whole days', () => {
    expect(parseDays('30')).toBe(30);
    expect(parseDays(' ')).toBeNull();
    expect(parseDays('1.5')).toEqual({ error: '1.5 is not a whole number of days' });
  });
});

describe('mergeMessage', () => {
  it('says how many postmortems are relabelled when known', () => {
    expect(mergeMessage('category', 'A', 'B', 3)).toBe('3 postmortems will be relabelled from “A” to “B”. “A” is then removed; this cannot be undone.');
    expect(mergeMessage('service', 'A', 'B', 1)).toMatch(/^1 postmortem will be relabelled/);
    expect(mergeMessage('category', 'A', 'B', 0)).toMatch(/^No postmortem has the category “A”\./);
  });
  it('says what merging does when the count is unknown', () => {
    expect(mergeMessage('service', 'A', 'B', null)).toMatch(/^Every postmortem with the service “A” gets “B” instead\./);
    expect(mergeMessage('cause', 'A', 'B', null)).toMatch(/^Every contributing factor typed “A” becomes “B”\./);
  });
  it('reports what a change came to', () => {
    expect(relabelledNote('Merged', 'A', 'B', 2)).toBe('Merged “A” into “B”: 2 postmortems relabelled.');
    expect(relabelledNote('Renamed', 'A', 'B', 1)).toBe('Renamed “A” to “B”: 1 postmortem relabelled.');
  });
});

describe('fieldOf', () => {
  it('keeps a field the form shows, else null', () => {
    expect(fieldOf('slo_target', ['team', 'slo_target'])).toBe('slo_target');
    expect(fieldOf('limit', ['team'])).toBeNull();
    expect(fieldOf(null, ['team'])).toBeNull();
  });
});
