import { describe, expect, it } from 'vitest';
import { exportDefaultName, openable } from './exporting';
import { resultLines, staysShown } from './jobs';

const file = (path: string, pages: number, missing = '') => ({ path, pages, postmortems: 1, missing_characters: missing });

describe('export names', () => {
  it('offers the core stem for a postmortem, once it has answered', () => {
    const pm = { kind: 'postmortem' as const, id: 'x', title: 'T' };
    expect(exportDefaultName(pm, 'pdf', '2025-11-25-checkout-3f2a9c1e', '', '')).toBe('2025-11-25-checkout-3f2a9c1e.pdf');
    expect(exportDefaultName(pm, 'json', null, '', '')).toBe('postmortem.json');
  });

  it('names the digest by its period and the library by its format', () => {
    expect(exportDefaultName({ kind: 'digest', from: '', to: '' }, 'pdf', null, '2026-09-01', '2026-11-30')).toBe(
      'learning-review-2026-09-01-to-2026-11-30.pdf',
    );
    expect(exportDefaultName({ kind: 'library' }, 'json', null, '', '')).toBe('debrief-library.json');
  });
});

describe('finished exports', () => {
  it('open the one file, or the folder of several', () => {
    expect(openable({ kind: 'pdf', path: '/o/d.pdf', files: [file('/o/d.pdf', 30)] })).toEqual({
      path: '/o/d.pdf',
      label: 'Open the file',
    });
    expect(openable({ kind: 'pdf', path: '/o', files: [file('/o/a.pdf', 2), file('/o/b.pdf', 3)] })).toEqual({
      path: '/o',
      label: 'Open the folder',
    });
    expect(openable({ kind: 'exported', count: 3, path: '/o/x.json' })?.label).toBe('Open the file');
    expect(openable({ kind: 'reindexed', count: 3 })).toBeNull();
    expect(openable({ kind: 'written', path: '/o/a.md', files: ['/o/a.md'] })?.label).toBe('Open the file');
    expect(openable({ kind: 'written', path: '/o', files: ['/o/a.md', '/o/b.md'] })).toEqual({
      path: '/o',
      label: 'Open the folder',
    });
  });

  it('say how many pages and which characters the fonts lacked, and stay in the tray', () => {
    const one = { kind: 'pdf' as const, path: '/o/d.pdf', files: [file('/o/d.pdf', 1, '日本')] };
    expect(resultLines(one)).toEqual(['Wrote d.pdf: 1 page', 'The fonts have no glyph for 日 本; each is printed as �']);
    expect(resultLines({ kind: 'pdf', path: '/o', files: [file('/o/a.pdf', 2), file('/o/b.pdf', 3)] })).toEqual([
      'Wrote 2 PDFs into /o',
    ]);
    expect(staysShown(one)).toBe(true);
    expect(staysShown({ kind: 'reindexed', count: 1 })).toBe(false);
    expect(resultLines({ kind: 'written', path: '/o', files: ['/o/a.md', '/o/b.md'] })).toEqual(['Wrote 2 files into /o']);
    expect(resultLines({ kind: 'written', path: '/o/a.md', files: ['/o/a.md'] })).toEqual(['Wrote a.md']);
  });
});
