import { describe, expect, it } from 'vitest';
import { hasEnded, hasFailures, jobError, resultLines, stepFraction, stepText } from './jobs';

describe('job wording', () => {
  it('counts a phase with its total and leaves single steps bare', () => {
    expect(stepText({ phase: 'saving', done: 3400, total: 10000 })).toBe('Saving 3,400 of 10,000');
    expect(stepText({ phase: 'reading', done: 0, total: 1 })).toBe('Reading…');
    expect(stepText({ phase: 'unknown', done: 0, total: 0 })).toBe('unknown…');
  });

  it('gives a fraction only when the total is known, clamped to 0..1', () => {
    expect(stepFraction({ phase: 'saving', done: 50, total: 200 })).toBe(0.25);
    expect(stepFraction({ phase: 'saving', done: 5, total: 0 })).toBeNull();
    expect(stepFraction({ phase: 'reading', done: 0, total: 1 })).toBeNull();
    expect(stepFraction({ phase: 'saving', done: 300, total: 200 })).toBe(1);
  });

  it('words every kind of result, one line per imported file', () => {
    const report = (created: number, updated = 0, unchanged = 0) => ({ source: 'x', created, updated, unchanged });
    expect(resultLines({ kind: 'sample', report: report(45) })).toEqual(['Sample library: 45 added']);
    expect(
      resultLines({
        kind: 'imported',
        files: [
          { path: '/home/a/big.json', report: report(10000, 2, 3), error: null },
          { path: 'C:\\x\\bad.json', report: null, error: { code: 'parse', message: 'bad.json:1:2: expected value' } },
        ],
      }),
    ).toEqual(['big.json: 10,000 added, 2 updated, 3 already there', 'bad.json: not imported: bad.json:1:2: expected value']);
    expect(
      resultLines({
        kind: 'imported',
        files: [{ path: 'a.csv', report: null, error: { code: 'parse', message: '2 rows refused\nrow 2: x\nrow 3: y' } }],
      }),
    ).toEqual(['a.csv: not imported: 2 rows refused (and 2 more lines)']);
    expect(resultLines({ kind: 'exported', count: 1200, path: '/tmp/all.json' })).toEqual(['Wrote 1,200 to /tmp/all.json']);
    expect(resultLines({ kind: 'reindexed', count: 45 })).toEqual(['Search index rebuilt: 45 postmortems']);
    const restored = { from: '/b/auto-1.sqlite3', schema_version: 12, postmortems: 49, action_items: 159, revisions: 3, kept_as: '/lib/backups/before-restore-2.sqlite3', index_note: null };
    expect(resultLines({ kind: 'restored', report: restored })).toEqual([
      'Restored auto-1.sqlite3: 49 postmortems, 159 action items',
      'The library it replaced is kept as before-restore-2.sqlite3',
    ]);
  });

  it('words a folder of Markdown: the preview as a count, the import as outcomes and each failure', () => {
    const file = (f: string, outcome: string, error?: string) => ({
      source: `/p/${f}`,
      file: f,
      format: 'markdown',
      id: '',
      title: f,
      incident_date: null,
      sections: 0,
      timeline_events: 0,
      action_items: 0,
      contributing_factors: 0,
      participants: 0,
      mapped: [],
      unmapped: [],
      unsure: [],
      template: false,
      outcome,
      error,
    });
    const preview = [file('a.md', 'would be created'), file('b/c.md', 'would be updated'), file('bad.md', 'failed', 'bad.md: not UTF-8')];
    expect(resultLines({ kind: 'markdown', folder: '/home/x/pms', imported: false, files: preview })).toEqual([
      'Read 3 files in pms',
    ]);
    expect(hasFailures({ kind: 'markdown', folder: '/home/x/pms', imported: false, files: preview })).toBe(false);
    const done = [file('a.md', 'created'), file('b/c.md', 'unchanged'), file('bad.md', 'failed', 'bad.md: not UTF-8\nmore')];
    expect(resultLines({ kind: 'markdown', folder: '/home/x/pms', imported: true, files: done })).toEqual([
      'pms: 1 added, 1 already there, 1 not readable',
      'bad.md: not imported: bad.md: not UTF-8 (and 1 more lines)',
    ]);
    expect(hasFailures({ kind: 'markdown', folder: '/home/x/pms', imported: true, files: done })).toBe(true);
  });

  it('tells an ended job and the error its starter hears', () => {
    const base = { id: 1, label: 'Importing a.json' };
    expect(hasEnded({ ...base, state: 'running', step: { phase: 'saving', done: 1, total: 2 } })).toBe(false);
    expect(hasEnded({ ...base, state: 'queued' })).toBe(false);
    expect(hasEnded({ ...base, state: 'cancelled', message: 'stopped' })).toBe(true);
    expect(jobError({ ...base, state: 'cancelled', message: 'stopped' })).toEqual({ code: 'cancelled', message: 'stopped' });
    expect(jobError({ ...base, state: 'failed', error: { code: 'io', message: 'x' } })).toEqual({ code: 'io', message: 'x' });
    expect(jobError({ ...base, state: 'done', result: { kind: 'reindexed', count: 1 } })).toBeNull();
    expect(hasFailures({ kind: 'imported', files: [{ path: 'a', report: null, error: { code: 'parse', message: 'm' } }] })).toBe(
      true,
    );
  });
});
