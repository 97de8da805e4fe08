// @ts-expect-error: the UI has no Node types; vitest runs these tests in Node (vite.config.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartPalette, markBox, money, percent, periodOnNewDay, presetPeriod, ratioText } from './insights';

describe('insights', () => {
  it('turns a preset into the days ending today, both included', () => {
    expect(presetPeriod('30', '2026-03-31')).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(presetPeriod('90', '2026-03-31')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(presetPeriod('365', '2028-03-01')).toEqual({ from: '2027-03-03', to: '2028-03-01' });
  });
  it('starts this quarter on its first day', () => {
    expect(presetPeriod('quarter', '2026-05-17')).toEqual({ from: '2026-04-01', to: '2026-05-17' });
    expect(presetPeriod('quarter', '2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-01-01' });
    expect(presetPeriod('quarter', '2026-12-31')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
  });
  it('moves a preset period with a new day and keeps a typed one', () => {
    const shown = { from: '2026-09-08', to: '2026-12-06' };
    expect(periodOnNewDay('90', shown, '2026-12-07')).toEqual({ from: '2026-09-09', to: '2026-12-07' });
    expect(periodOnNewDay('quarter', shown, '2027-01-01')).toEqual({ from: '2027-01-01', to: '2027-01-01' });
    expect(periodOnNewDay('custom', shown, '2026-12-07')).toEqual(shown);
  });
  it('reads ratios and money', () => {
    expect(ratioText({ count: 5, of: 7, rate: 5 / 7 })).toBe('5 of 7 (71%)');
    expect(ratioText({ count: 0, of: 0, rate: null })).toBe('none');
    expect(percent(null)).toBe('—');
    expect(money(21900)).toBe('21,900');
    expect(money(null)).toBe('—');
  });
});

describe('charts', () => {
  it('takes the palette from the theme tokens, trimmed, severities in order', () => {
    const tokens: Record<string, string> = {
      '--bg-elevated': ' #ffffff',
      '--text': '#111111',
      '--text-muted': '#666666',
      '--border': '#eeeeee',
      '--accent': '#4e5bd6',
      '--success-text': '#157347',
      '--danger': '#c8322a',
      '--sev1-fg': '#b42318',
      '--sev2-fg': '#b14a06',
      '--sev3-fg': '#7f5d00',
      '--sev4-fg': '#3c5878 ',
    };
    const p = chartPalette((t) => tokens[t] ?? '');
    expect(p.background).toBe('#ffffff');
    expect(p.good).toBe('#157347');
    expect(p.severities).toEqual(['#b42318', '#b14a06', '#7f5d00', '#3c5878']);
  });

  it('places a mark by percentages of its chart, so the overlay scales with the SVG', () => {
    expect(markBox({ width: 400, height: 200 }, { x: 100, y: 50, width: 40, height: 100 })).toEqual({
      left: '25.000%',
      top: '25.000%',
      width: '10.000%',
      height: '50.000%',
    });
  });

  it('reads only tokens both themes set as #rrggbb, the only colours the core accepts', () => {
    // Read as text: vitest hands CSS modules over empty.
    const css: string = readFileSync(new URL('../app.css', import.meta.url), 'utf8');
    for (const theme of ['light', 'dark']) {
      const block = css.slice(css.indexOf(`:root[data-theme='${theme}']`));
      const body = block.slice(block.indexOf('{') + 1, block.indexOf('}'));
      const read = (token: string) => new RegExp(`${token}:\\s*([^;]+);`).exec(body)?.[1] ?? 'missing';
      const palette = chartPalette(read);
      for (const value of [palette.background, palette.text, palette.muted, palette.grid, palette.accent, palette.good, palette.danger, ...palette.severities]) {
        expect(value, theme).toMatch(/^#[0-9a-fA-F]{6}$/);
      }
    }
  });
});
