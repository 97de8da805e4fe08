// The taxonomy screen's pure parts: one row shape for the three vocabularies, the SLO as a
// percentage both ways, what a merge will do, and which field a refusal belongs to. Adding,
// renaming, merging and retiring are the core's (library::taxonomy); nothing here relabels.
import type { Taxonomy, TaxonomyKind } from '../api/types';

/** One entry of a vocabulary as the screen's tables show it. */
export interface TaxonomyRow {
  name: string;
  description: string;
  retired: boolean;
  /** Services only: the owning team, the SLO target (a fraction) and its window in days. */
  team?: string | null;
  sloTarget?: number | null;
  sloWindowDays?: number | null;
}

export const KINDS: { kind: TaxonomyKind; title: string; one: string; blurb: string }[] = [
  { kind: 'category', title: 'Categories', one: 'category', blurb: 'Failure modes postmortems are filed under.' },
  { kind: 'service', title: 'Services', one: 'service', blurb: 'What was affected, who owns it and its SLO.' },
  { kind: 'cause', title: 'Root-cause types', one: 'root-cause type', blurb: 'Types contributing factors are given.' },
];

/** The entries of one vocabulary, retired ones included, in the order the core keeps them. */
export function rowsOf(t: Taxonomy, kind: TaxonomyKind): TaxonomyRow[] {
  switch (kind) {
    case 'category':
      return t.categories.map((c) => ({ name: c.name, description: c.description, retired: c.retired }));
    case 'service':
      return t.services.map((s) => ({
        name: s.name,
        description: s.description,
        retired: s.retired,
        team: s.team,
        sloTarget: s.slo_target,
        sloWindowDays: s.slo_window_days,
      }));
    case 'cause':
      return t.cause_types.map((c) => ({ name: c.name, description: c.description, retired: c.retired }));
  }
}

/** The entries `name` can be merged into: every other one, those still offered first. */
export function mergeTargets(rows: readonly TaxonomyRow[], name: string): TaxonomyRow[] {
  const others = rows.filter((r) => r.name.toLowerCase() !== name.toLowerCase());
  return [...others.filter((r) => !r.retired), ...others.filter((r) => r.retired)];
}

/** 0.999 as "99.9%"; "" when there is no SLO. */
export function sloPercent(target: number | null | undefined): string {
  if (target === null || target === undefined) return '';
  return `${Number((target * 100).toFixed(6))}%`;
}

/**
 * What was typed as an SLO percentage ("99.9", "99.95%") as the fraction the core keeps
 * (0.999); null for an empty field; an error message for anything else. The range is the
 * core's to check, so its refusal names the field.
 */
export function parseSloPercent(text: string): number | null | { error: string } {
  const t = text.trim().replace(/%$/, '').trim();
  if (t === '') return null;
  const n = Number(t);
  if (!Number.isFinite(n)) return { error: `${text.trim()} is not a percentage, e.g. 99.9` };
  return Math.round(n * 1e6) / 1e8;
}

/** A window in days as typed: null for empty, an error for anything but a whole number. */
export function parseDays(text: string): number | null | { error: string } {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  if (!Number.isInteger(n)) return { error: `${t} is not a whole number of days` };
  return n;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * The confirmation a merge asks: how many postmortems it relabels when known, else what
 * merging does; either way that `from` is gone afterwards.
 */
export function mergeMessage(kind: TaxonomyKind, from: string, into: string, count: number | null): string {
  const one = KINDS.find((k) => k.kind === kind)!.one;
  const gone = `“${from}” is then removed; this cannot be undone.`;
  if (kind === 'cause') {
    return `Every contributing factor typed “${from}” becomes “${into}”. ${gone}`;
  }
  if (count === null) return `Every postmortem with the ${one} “${from}” gets “${into}” instead. ${gone}`;
  if (count === 0) return `No postmortem has the ${one} “${from}”. ${gone}`;
  return `${plural(count, 'postmortem')} will be relabelled from “${from}” to “${into}”. ${gone}`;
}

/** What a rename or merge came to, for the note under the tables. */
export function relabelledNote(verb: 'Renamed' | 'Merged', from: string, to: string, count: number): string {
  const what = verb === 'Renamed' ? `Renamed “${from}” to “${to}”` : `Merged “${from}” into “${to}”`;
  return `${what}: ${plural(count, 'postmortem')} relabelled.`;
}

/** The fields of a service as the core's refusals name them, for the error beside the field. */
export type ServiceField = 'name' | 'description' | 'team' | 'slo_target' | 'slo_window_days';

/** The field a refusal names, if it is one the form shows; otherwise null (shown for the row). */
export function fieldOf(path: string | null, fields: readonly string[]): string | null {
  return path !== null && fields.includes(path) ? path : null;
}
