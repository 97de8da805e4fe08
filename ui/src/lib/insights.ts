// The Insights screen's pure parts: the period presets and how a figure reads beside the
// previous period's. The figures themselves come from the core (analysis::metrics, patterns,
// roi, budget); nothing here counts incidents.
import type { ChartPalette, Ratio } from '../api/types';

export type Preset = '30' | '90' | '365' | 'quarter' | 'custom';

export const PRESETS: { key: Preset; label: string }[] = [
  { key: '30', label: '30 days' },
  { key: '90', label: '90 days' },
  { key: '365', label: '365 days' },
  { key: 'quarter', label: 'This quarter' },
  { key: 'custom', label: 'Custom' },
];

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (s: string) => new Date(`${s}T00:00:00Z`);

/** The period a preset means on `today` (YYYY-MM-DD): the N days ending today, both included, or the calendar quarter so far. */
export function presetPeriod(preset: Exclude<Preset, 'custom'>, today: string): { from: string; to: string } {
  const t = utc(today);
  if (preset === 'quarter') {
    const q = Math.floor(t.getUTCMonth() / 3) * 3;
    return { from: iso(new Date(Date.UTC(t.getUTCFullYear(), q, 1))), to: today };
  }
  const days = Number(preset);
  return { from: iso(new Date(t.getTime() - (days - 1) * 86_400_000)), to: today };
}

/**
 * The period on screen once the day has turned over to `today`: a preset ends today, so it
 * moves with the day; a period the user typed stays as typed.
 */
export function periodOnNewDay(
  preset: Preset,
  shown: { from: string; to: string },
  today: string,
): { from: string; to: string } {
  return preset === 'custom' ? shown : presetPeriod(preset, today);
}

/** "40%" from a rate 0..1; "—" when there is nothing to rate. */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** "5 of 7 (71%)", or "none" when it was counted over nothing. */
export function ratioText(r: Ratio): string {
  return r.of === 0 ? 'none' : `${r.count} of ${r.of} (${percent(r.rate)})`;
}

/** Money as "21,900"; "—" when unknown. */
export function money(x: number | null): string {
  return x === null ? '—' : Math.round(x).toLocaleString('en-US');
}

/**
 * The chart colours of the current theme, read from its design tokens (`read` gives a CSS
 * custom property's value), so the core draws charts in the window's colours without a second
 * copy of the palette here. The core refuses anything but `#rrggbb` or `#rgb`, naming the field.
 */
export function chartPalette(read: (token: string) => string): ChartPalette {
  const t = (token: string) => read(token).trim();
  return {
    background: t('--bg-elevated'),
    text: t('--text'),
    muted: t('--text-muted'),
    grid: t('--border'),
    accent: t('--accent'),
    good: t('--success-text'),
    danger: t('--danger'),
    severities: [t('--sev1-fg'), t('--sev2-fg'), t('--sev3-fg'), t('--sev4-fg')],
  };
}

/** A mark's box as percentages of its chart, so the overlay scales with the SVG. */
export function markBox(chart: { width: number; height: number }, m: { x: number; y: number; width: number; height: number }) {
  const pct = (v: number, of: number) => `${((v / of) * 100).toFixed(3)}%`;
  return { left: pct(m.x, chart.width), top: pct(m.y, chart.height), width: pct(m.width, chart.width), height: pct(m.height, chart.height) };
}
