import { describe, expect, it } from 'vitest';
import { changeMark, replacedByLabel, summaryLine } from './history';

describe('history words', () => {
  it('names what replaced a version', () => {
    expect(replacedByLabel('edit')).toBe('Edited');
    expect(replacedByLabel('sync')).toBe('Changed by a team sync');
  });
  it('summarises the changed fields', () => {
    expect(summaryLine(['Title', 'Tags'], 2)).toBe('Title, Tags');
    expect(summaryLine(['Title', 'Tags', 'Severity', 'Services'], 7)).toBe('Title, Tags, Severity, Services and 3 more');
    expect(summaryLine([], 0)).toBe('No visible change (only times)');
  });
  it('marks changes', () => {
    expect([changeMark({ change: 'added' }), changeMark({ change: 'removed' }), changeMark({ change: 'changed' })]).toEqual(['+', '−', '~']);
  });
});
